#!/usr/bin/env bash
#
# scripts/load.sh: the limits under load and through a crash (issue 4,
# "Correct under concurrency").
#
#   bash scripts/load.sh                 # small: what scripts/test.sh runs
#   LOAD_SCALE=10 bash scripts/load.sh   # ten times the people and the claims
#
# 1. load   pgbench, 8 clients, a few thousand attempts: charity-bed claims
#           (clamp and reject tables sharing one person's 20,000 a year; READ
#           COMMITTED, REPEATABLE READ and SERIALIZABLE; two people in one
#           transaction in random order), relief grants (once a household a
#           year), disbursements and credits of two small funds, and clerks'
#           corrections (delete, halve, move to another person).  Every
#           attempt records its outcome in load.attempts in its own
#           transaction (test/load/setup.sql); 40001 is retried by pgbench
#           (--max-tries) and counted apart.
# 2. crash  the same load again, and `pg_ctl stop -m immediate` part way
#           through; the server recovers and nothing committed is lost.
# 3. after  a short load on the recovered server.
# 4. copy   a bulk COPY into a guarded table, and `pg_ctl stop -m immediate`
#           while it runs: none of its rows, nor of its ledger, survive.
# 5. rebuild  bangfu.limit_rebuild() on a ledger made wrong, killed the same
#           way while it writes: the ledger is as before it; a full rebuild
#           then mends every difference.
# 6. disk full  a COPY into a guarded table whose tablespace (a small tmpfs)
#           fills up: 53100, nothing of it stays (skipped without mount).
# 7. money  the register's funds (一, 二): approvals, payments of
#           installments and transfers between two funds at once, then
#           money_load.check() (test/load/money_setup.sql; skipped without
#           bangfu_register).
#
# (The whole run takes about fifteen seconds at LOAD_SCALE=1.)
# After each: load.check() must hold (no person-year over its cap, no
# household relieved twice a year, funds = sum of entries and >= 0,
# bangfu.limit_check() empty, every row matched by one accepted attempt), and
# after 1 and 3 every transaction pgbench completed must be in load.attempts
# with one outcome per attempt: accepted + clamped + refused = attempted.
# (pg_dump/restore is scripts/dump_restore_test.sh.)
#
# Exits non-zero if any check fails; prints one summary line per phase and a
# closing "load: OK" / "load: FAILED" line.
#
# Server: when run by scripts/test.sh it reuses that cluster (cluster_ensure in
# scripts/cluster.sh) and crashes/restarts it in step 2; alone it starts and
# removes its own throwaway cluster.  The extension must be installed (make
# install, or scripts/setup.sh).
#
# Environment:
#   LOAD_SCALE    multiplies people, households and transactions (default 1)
#   LOAD_CLIENTS  pgbench clients (default 8), LOAD_JOBS threads (default 2)
#   LOAD_CRASH    0 to skip the crashes (default 1)
#   LOAD_DISK_FULL  0 to skip the disk-full phase (default 1)
#   LOAD_MONEY    0 to skip the register's money phase (default 1)
set -euo pipefail
cd "$(dirname "$0")/.."
exec </dev/null

export PG_CONFIG=${PG_CONFIG:-/usr/lib/postgresql/15/bin/pg_config}
export LC_ALL=C.UTF-8 PGCLIENTENCODING=UTF8
# shellcheck source=scripts/cluster.sh
source scripts/cluster.sh

scale=${LOAD_SCALE:-1}
clients=${LOAD_CLIENTS:-8}
jobs=${LOAD_JOBS:-2}
people=$((300 * scale))
households=$((200 * scale))
funds=2
fund_start=3000
per_client=$((400 * scale))       # 8 clients x 400 = 3,200 transactions
after_per_client=$((50 * scale))
db=bangfu_load
work=$(mktemp -d /tmp/bangfu-load.XXXXXX)
failed=0

# pgbench's logs go when all is well, and stay for a look when not.
cleanup_work() {
    full_unmount
    if [ "$failed" = 0 ]; then
        rm -rf -- "$work"
    else
        say "pgbench logs kept in $work"
    fi
}

# The scripts and their weights; family.sql makes two attempts, the rest one.
scripts=(claim_clamp@30 claim_reject@20 claim_rr@6 claim_serializable@6 family@6
         grant@14 disburse@12 credit@3 correct@3)

say() { echo "load.sh: $*" >&2; }

# secs_since T0: seconds since $EPOCHREALTIME was T0, to a tenth.
secs_since() { awk -v a="$1" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1f", b - a }'; }

q() { psql -X -q -v ON_ERROR_STOP=1 -d "$db" -At "$@"; }

# pgbench PHASE OUT ARGS...: one pgbench run, its attempts tagged PHASE.
run_pgbench() {
    local phase=$1 out=$2 args=()
    shift 2
    local s
    for s in "${scripts[@]}"; do
        args+=(-f "test/load/${s%@*}.sql@${s#*@}")
    done
    PGOPTIONS="-c load.phase=$phase" pgbench -n -c "$clients" -j "$jobs" \
        --max-tries=100 --failures-detailed --verbose-errors \
        -D people="$people" -D households="$households" -D funds="$funds" \
        "${args[@]}" "$@" "$db" >"$out" 2>&1
}

# processed OUT: transactions pgbench completed (its "actually processed";
# failed ones, given up after --max-tries, rolled back and wrote nothing).
# Its per-script counts are not used: in PG 15 they can be one short of the
# total when transactions are retried.
processed() {
    awk '/^number of transactions actually processed: / { split($6, a, "/"); print a[1]; exit }' "$1"
}

# pgbench_field OUT REGEX: the first number on the first matching line.
pgbench_field() {
    awk -v re="$2" '$0 ~ re { for (i = 1; i <= NF; i++) if ($i ~ /^[0-9]+$/) { print $i; exit } }' "$1" | head -n 1
}

# check PHASE: load.check() must hold; prints any broken invariant.
check() {
    local phase=$1 bad
    bad=$(q -F ' | ' -c "SELECT name, detail FROM load.check() WHERE NOT ok")
    if [ -n "$bad" ]; then
        say "$phase: BROKEN INVARIANTS:"
        echo "$bad" | sed 's/^/    /' >&2
        return 1
    fi
}

# account PHASE OUT: every transaction pgbench completed is in load.attempts
# (one attempt each, two for a family claim), each attempt with exactly one
# outcome: accepted + clamped + refused (+ corrections) = attempted.
account() {
    local phase=$1 out=$2 want got
    want=$(processed "$out")
    got=$(q -c "SELECT count(DISTINCT xact) FROM load.attempts WHERE phase = '$phase'")
    if [ "$want" != "$got" ]; then
        say "$phase: pgbench completed $want transactions but load.attempts has $got"
        return 1
    fi
}

attempts() {
    q -c "SELECT count(*) FROM load.attempts WHERE phase = '$1'"
}

# outcomes PHASE: "accepted N, clamped N, refused N, corrections N"
outcomes() {
    q -c "SELECT format('accepted %s, clamped %s, refused %s, corrections %s',
                        count(*) FILTER (WHERE outcome = 'accepted'),
                        count(*) FILTER (WHERE outcome = 'clamped'),
                        count(*) FILTER (WHERE outcome = 'refused' AND kind <> 'correct'),
                        count(*) FILTER (WHERE kind = 'correct'))
            FROM load.attempts WHERE phase = '$1'"
}

# copy_rows FROM TO [PREFIX]: charity-bed stays of people PREFIX<FROM>..
# PREFIX<TO> (default copy), one each, as COPY text.
copy_rows() {
    awk -v a="$1" -v b="$2" -v p="${3:-copy}" 'BEGIN { for (i = a; i <= b; i++)
        printf "%s%d\t%d.00\t2025-%02d-%02d\n", p, i, 100 + i % 900, i % 12 + 1, i % 28 + 1 }'
}

# The small file system of the disk-full phase, gone however we exit (lazily:
# a failed run may leave the server holding files there).
full_dir=
full_unmount() {
    if [ -n "$full_dir" ]; then
        umount -l "$full_dir" 2>/dev/null || true
        full_dir=
    fi
}

# ledger_fp: the whole ledger, as a count and a digest.
ledger_fp() {
    q -c "SELECT count(*) || ' ' || md5(coalesce(string_agg(format('%s|%s|%s|%s|%s', limit_name, tab, subject, period, used),
                                                            E'\n' ORDER BY limit_name, tab, subject, period), ''))
            FROM bangfu.usage"
}

balances() {
    q -c "SELECT string_agg(format('%s %s', fund, s), ', ' ORDER BY fund)
            FROM (SELECT fund, sum(amount) AS s FROM load.fund_entries GROUP BY fund) f"
}

# retries OUT: what pgbench retried, by cause (--verbose-errors prints each).
retries() {
    local out=$1
    printf '%s txns retried: %s x 40001 from the limits, %s x 40001 from SSI, %s x 40P01; %s gave up' \
        "$(pgbench_field "$out" '^number of transactions retried:' || echo 0)" \
        "$(grep -c 'got an error.*could not serialize access to limit' "$out" || true)" \
        "$(grep -c 'got an error.*could not serialize access due to' "$out" || true)" \
        "$(grep -c 'got an error.*deadlock detected' "$out" || true)" \
        "$(pgbench_field "$out" '^number of failed transactions:' || echo 0)"
}

# No deadlock, ever: the limits answer lock conflicts with 40001.
no_deadlock() {
    if grep -q 'deadlock detected' "$1"; then
        say "a deadlock (40P01) happened:"
        grep -B2 -A6 'deadlock detected' "$1" | head -n 40 >&2
        return 1
    fi
}

# A pgbench that stopped on an error other than 40001/40P01 is a failure:
# it means the engine raised something no client could handle.
pgbench_clean() {
    local out=$1
    if grep -q 'aborted\|Run was aborted' "$out"; then
        say "pgbench aborted:"
        grep -i 'error\|abort' "$out" | head -n 20 >&2
        return 1
    fi
}

# ------------------------------------------------------------------ setup
# A cluster exported by the caller (scripts/test.sh) is reused and must
# survive us; one we start ourselves is removed on every exit path.
reused=0
if [ -n "${BANGFU_CLUSTER_DIR:-}" ] && [ -S "$BANGFU_CLUSTER_DIR/.s.PGSQL.${PGPORT:-}" ]; then
    reused=1
fi
cluster_ensure
if [ "$reused" = 1 ]; then
    trap 'cleanup_work' EXIT
else
    trap 'cleanup_work; cluster_stop' EXIT
fi

if ! psql -X -At -d postgres -c "SELECT 1 FROM pg_available_extensions WHERE name = 'bangfu'" | grep -q 1; then
    say "the bangfu extension is not installed on this server (run make install or scripts/setup.sh)"
    exit 1
fi
PGOPTIONS="-c client_min_messages=warning" dropdb --if-exists "$db"
createdb "$db"
psql -X -q -d "$db" -v ON_ERROR_STOP=1 -v people="$people" -v households="$households" \
    -v funds="$funds" -v fund_start="$fund_start" -f test/load/setup.sql >/dev/null
say "$people people, $households households, $funds funds of $fund_start.00; $clients clients x $per_client transactions"

# ------------------------------------------------------------------ 1. load
start=$EPOCHREALTIME
if run_pgbench run "$work/run.log" -t "$per_client"; then :; else
    say "pgbench failed:"; tail -n 30 "$work/run.log" >&2; failed=1
fi
run_secs=$(secs_since "$start")
pgbench_clean "$work/run.log" || failed=1
no_deadlock "$work/run.log" || failed=1
check run || failed=1
account run "$work/run.log" || failed=1
run_attempts=$(q -c "SELECT count(*) FROM load.attempts WHERE phase = 'run'")
echo "load: $(processed "$work/run.log") transactions, $(attempts run) attempts in ${run_secs}s ($(awk '/^tps = / { printf "%d", $3; exit }' "$work/run.log") tps): $(outcomes run); $(retries "$work/run.log"); funds $(balances)"

# ------------------------------------------------------------------ 2. crash
if [ "${LOAD_CRASH:-1}" = 1 ]; then
    start=$EPOCHREALTIME
    run_pgbench crash "$work/crash.log" -T 60 &
    bench=$!
    # Let it commit a few hundred attempts, then pull the plug.
    for _ in $(seq 1 100); do
        n=$(q -c "SELECT count(*) FROM load.attempts WHERE phase = 'crash'" 2>/dev/null || echo 0)
        [ "$n" -ge $((300 * scale)) ] && break
        sleep 0.1
    done
    before=$(q -c "SELECT count(*) FROM load.attempts WHERE phase = 'crash'")
    say "crash: pg_ctl stop -m immediate after $before committed attempts"
    t0=$EPOCHREALTIME
    cluster_restart_immediate
    recover_secs=$(secs_since "$t0")
    wait "$bench" || true       # its connections were cut: it exits non-zero
    if ! grep -q -i 'terminat\|connection\|server closed' "$work/crash.log"; then
        say "crash: pgbench does not seem to have been cut off:"; tail -n 20 "$work/crash.log" >&2
        failed=1
    fi
    after=$(q -c "SELECT count(*) FROM load.attempts WHERE phase = 'crash'")
    still=$(q -c "SELECT count(*) FROM load.attempts WHERE phase = 'run'")
    if [ "$after" -lt "$before" ] || [ "$still" != "$run_attempts" ]; then
        say "crash: committed attempts lost (crash phase $before -> $after, run phase $run_attempts -> $still)"
        failed=1
    fi
    verdict=hold
    check crash || { failed=1; verdict=BROKEN; }
    echo "crash: killed mid-load after $before committed attempts ($after after recovery), restarted in ${recover_secs}s: $(outcomes crash); invariants $verdict; funds $(balances) ($(secs_since "$start")s)"

    # ---------------------------------------------------------- 3. after
    if run_pgbench after "$work/after.log" -t "$after_per_client"; then :; else
        say "pgbench after the crash failed:"; tail -n 30 "$work/after.log" >&2; failed=1
    fi
    pgbench_clean "$work/after.log" || failed=1
    no_deadlock "$work/after.log" || failed=1
    check after || failed=1
    account after "$work/after.log" || failed=1
    echo "after crash: $(processed "$work/after.log") transactions, $(attempts after) attempts: $(outcomes after); $(retries "$work/after.log")"

    # ---------------------------------------------------------- 4. crash in a COPY
    # A bulk COPY into a guarded table (clamp mode, a subject per row), cut
    # off by an immediate shutdown once a quarter of it is in: after recovery
    # neither its rows nor its ledger entries are there, the first COPY's
    # are, and every invariant holds.
    copy_n=$((100000 * scale))
    big=$((4 * copy_n))
    q -c "CREATE TABLE load.copy_stays (LIKE load.stays_clamp INCLUDING ALL)" \
      -c "SELECT bangfu.attach_limit('load.copy_stays', 'charity_bed_yearly', ARRAY['person'], 'amount', 'stay_date', 'clamp')" >/dev/null
    copy_rows 1 "$copy_n" | q -c "COPY load.copy_stays (person, amount, stay_date) FROM STDIN"
    rows0=$(q -c "SELECT count(*) FROM load.copy_stays")
    ledger0=$(ledger_fp)
    copy_rows $((copy_n + 1)) $((copy_n + big)) |
        q -c "COPY load.copy_stays (person, amount, stay_date) FROM STDIN" >"$work/copy.log" 2>&1 &
    copier=$!
    seen=0
    for _ in $(seq 1 1200); do
        seen=$(q -c "SELECT coalesce(max(tuples_processed), 0) FROM pg_stat_progress_copy
                      WHERE relid = 'load.copy_stays'::regclass" 2>/dev/null || echo 0)
        [ "$seen" -ge $((big / 4)) ] && break
        sleep 0.05
    done
    cluster_restart_immediate
    if wait "$copier"; then
        say "crash in COPY: the COPY ended before the crash ($seen rows seen)"
        failed=1
    fi
    rows1=$(q -c "SELECT count(*) FROM load.copy_stays")
    verdict=hold
    if [ "$rows1" != "$rows0" ] || [ "$(ledger_fp)" != "$ledger0" ]; then
        say "crash in COPY: the table has $rows1 rows (before: $rows0) or the ledger changed"
        failed=1; verdict=BROKEN
    fi
    check copy || { failed=1; verdict=BROKEN; }
    echo "crash in COPY: killed with $seen of $big rows copied; after recovery $rows1 rows, as before, and the same ledger; invariants $verdict"

    # ---------------------------------------------------------- 5. crash in limit_rebuild()
    # The ledger made wrong as a restore with triggers off would (rows
    # loaded with session_replication_role = replica), then
    # bangfu.limit_rebuild() cut off by an immediate shutdown once it has
    # begun to write (its transaction has an xid: the ledger is deleted
    # and being counted again).  After recovery the ledger is exactly as
    # before it; a rebuild run to its end then mends every difference.
    q -c "SET session_replication_role = replica" \
      -c "INSERT INTO load.copy_stays (person, amount, stay_date)
          SELECT 'lost' || i, 100, date '2025-03-01' + i % 300 FROM generate_series(1, 1000) i" >/dev/null
    diffs0=$(q -c "SELECT count(*) FROM bangfu.limit_check()")
    ledger0=$(ledger_fp)
    q -c "SELECT bangfu.limit_rebuild()" >"$work/rebuild.log" 2>&1 &
    rebuilder=$!
    writing=0
    for _ in $(seq 1 1500); do
        writing=$(q -c "SELECT count(*) FROM pg_stat_activity
                         WHERE query LIKE '%limit_rebuild%' AND backend_xid IS NOT NULL
                           AND pid <> pg_backend_pid()" 2>/dev/null || echo 0)
        [ "$writing" = 1 ] && break
        sleep 0.02
    done
    cluster_restart_immediate
    if wait "$rebuilder"; then
        say "crash in limit_rebuild(): it ended before the crash (writing: $writing)"
        failed=1
    fi
    verdict=hold
    diffs1=$(q -c "SELECT count(*) FROM bangfu.limit_check()")
    if [ "$diffs1" != "$diffs0" ] || [ "$(ledger_fp)" != "$ledger0" ]; then
        say "crash in limit_rebuild(): half a rebuild survived ($diffs0 differences before, $diffs1 after)"
        failed=1; verdict=BROKEN
    fi
    mended=$(q -c "SELECT bangfu.limit_rebuild()")
    check rebuild || { failed=1; verdict=BROKEN; }
    if [ "$mended" != "$diffs0" ]; then
        say "limit_rebuild() mended $mended differences, not $diffs0"
        failed=1; verdict=BROKEN
    fi
    echo "crash in limit_rebuild(): killed while writing; after recovery the ledger as before ($diffs1 of $diffs0 differences); a full rebuild mended $mended; invariants $verdict"
fi

# ------------------------------------------------------------------ 6. disk full
# A guarded table in a tablespace on an 8 MB tmpfs: a COPY that does not fit
# fails with 53100 and leaves nothing, neither rows nor ledger entries; once
# the file system is made larger, writes go on.  Needs root and mount(8):
# where they are missing it says so and goes on.
if [ "${LOAD_DISK_FULL:-1}" = 1 ]; then
    full_dir="$BANGFU_CLUSTER_DIR/full"
    mkdir -p "$full_dir"
    if [ "$(id -u)" = 0 ] && mount -t tmpfs -o size=8m,mode=0700 bangfu-full "$full_dir" 2>/dev/null; then
        chown postgres: "$full_dir"
        q -c "CREATE TABLESPACE bangfu_full LOCATION '$full_dir'" \
          -c "CREATE TABLE load.full_stays (LIKE load.stays_clamp INCLUDING ALL) TABLESPACE bangfu_full" \
          -c "SELECT bangfu.attach_limit('load.full_stays', 'charity_bed_yearly', ARRAY['person'], 'amount', 'stay_date', 'clamp')" >/dev/null
        copy_rows 1 20000 full | q -c "COPY load.full_stays (person, amount, stay_date) FROM STDIN"
        rows0=$(q -c "SELECT count(*) FROM load.full_stays")
        ledger0=$(ledger_fp)
        copy_rows 20001 400000 full |
            q -c '\set VERBOSITY verbose' -c "COPY load.full_stays (person, amount, stay_date) FROM STDIN" >"$work/full.log" 2>&1 || true
        verdict=hold
        if ! grep -q 'ERROR:  53100' "$work/full.log"; then
            say "disk full: the COPY did not fail with 53100:"; head -n 5 "$work/full.log" >&2
            failed=1; verdict=BROKEN
        fi
        rows1=$(q -c "SELECT count(*) FROM load.full_stays")
        if [ "$rows1" != "$rows0" ] || [ "$(ledger_fp)" != "$ledger0" ]; then
            say "disk full: the table has $rows1 rows (before: $rows0) or the ledger changed"
            failed=1; verdict=BROKEN
        fi
        check full || { failed=1; verdict=BROKEN; }
        # The DBA adds space; the failed COPY's pages are reused.
        mount -o remount,size=64m "$full_dir"
        q -c "VACUUM load.full_stays" -c "INSERT INTO load.full_stays (person, amount, stay_date) VALUES ('full0', 100, '2025-05-01')" >/dev/null ||
            { say "disk full: no write once there was space again"; failed=1; verdict=BROKEN; }
        check full-after || { failed=1; verdict=BROKEN; }
        echo "disk full: the COPY stopped with 53100 ($(grep -o 'No space left on device' "$work/full.log" | head -n 1)); $rows1 rows and the ledger as before; with space again, writes go on; invariants $verdict"
        q -c "DROP TABLE load.full_stays" -c "DROP TABLESPACE bangfu_full" >/dev/null
        full_unmount
    else
        echo "disk full: skipped (needs root and a tmpfs mount)"
        full_dir=
    fi
fi

# ------------------------------------------------------------------ 7. money
# The register's money (一, 二) in a database of its own
# (test/load/money_setup.sql): clerks approving relief grants against a
# relief fund left with 20,000.00, finance paying installments and moving
# money between the relief and enterprise funds, all at once.  Afterwards
# money_load.check() must hold (no fund below zero, balance or uncommitted;
# no installment paid twice; what each grant has committed is its unpaid
# installments; no household granted twice a year; bangfu.limit_check()
# empty; every row an accepted attempt; refusals only 23514 and 23505), and
# every transaction pgbench completed is an attempt.  How many transactions
# pgbench retried on 40001 is reported: the register's acquire triggers
# take each fund's locks before the first write, so clerks on one fund take
# turns instead (doc/concurrency.md).
if [ "${LOAD_MONEY:-1}" = 1 ] && psql -X -At -d postgres -c "SELECT 1 FROM pg_available_extensions WHERE name = 'bangfu_register'" | grep -q 1; then
    mdb=bangfu_load_money
    mq() { psql -X -q -v ON_ERROR_STOP=1 -d "$mdb" -At "$@"; }
    PGOPTIONS="-c client_min_messages=warning" dropdb --if-exists "$mdb"
    createdb "$mdb"
    psql -X -q -d "$mdb" -v ON_ERROR_STOP=1 -v households="$households" -f test/load/money_setup.sql >/dev/null
    start=$EPOCHREALTIME
    if pgbench -n -c "$clients" -j "$jobs" --max-tries=100 --failures-detailed --verbose-errors \
            -D households="$households" \
            -f test/load/money_approve.sql@5 -f test/load/money_pay.sql@4 -f test/load/money_transfer.sql@2 \
            -t "$per_client" "$mdb" >"$work/money.log" 2>&1; then :; else
        say "money: pgbench failed:"; tail -n 30 "$work/money.log" >&2; failed=1
    fi
    money_secs=$(secs_since "$start")
    pgbench_clean "$work/money.log" || failed=1
    no_deadlock "$work/money.log" || failed=1
    verdict=hold
    bad=$(mq -F ' | ' -c "SELECT name, detail FROM money_load.check() WHERE NOT ok")
    if [ -n "$bad" ]; then
        say "money: BROKEN INVARIANTS:"
        echo "$bad" | sed 's/^/    /' >&2
        failed=1; verdict=BROKEN
    fi
    want=$(processed "$work/money.log")
    got=$(mq -c "SELECT count(DISTINCT xact) FROM money_load.attempts")
    if [ "$want" != "$got" ]; then
        say "money: pgbench completed $want transactions but money_load.attempts has $got"
        failed=1; verdict=BROKEN
    fi
    echo "money: $want transactions in ${money_secs}s: $(mq -c "SELECT string_agg(format('%s %s', kind, o), ', ' ORDER BY kind)
        FROM (SELECT kind, string_agg(format('%s %s', outcome, n), ' / ' ORDER BY outcome) AS o
                FROM (SELECT kind, outcome, count(*) AS n FROM money_load.attempts GROUP BY 1, 2) c GROUP BY kind) k");" \
         "$(retries "$work/money.log"); funds $(mq -c "SELECT string_agg(format('%s %s (uncommitted %s)', fund, balance, uncommitted), ', ' ORDER BY fund)
        FROM bangfu_register.fund_runway('2026-12-31') WHERE fund IN ('relief', 'enterprise')"); invariants $verdict"
    [ "$failed" = 0 ] && dropdb "$mdb"
else
    echo "money: skipped (LOAD_MONEY=0, or bangfu_register not installed)"
fi

# The database of a failed run stays for a look (in a throwaway cluster).
if [ "$failed" = 0 ]; then
    dropdb "$db"
    echo "load: OK"
else
    echo "load: FAILED"
    exit 1
fi
