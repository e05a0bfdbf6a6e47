#!/usr/bin/env bash
#
# scripts/dump_restore_test.sh: pg_dump a county's database and restore it
# into a new one: same rows, same ledger, same balances, and the restore is
# neither refused nor double-counted (issue 4, "Correct under concurrency";
# issue 9: a restore loads history, it does not judge it again).
#
#   bash scripts/dump_restore_test.sh
#
# The database (test/load/dump_fixture.sql, plus dump_fixture_register.sql
# with CREATE EXTENSION bangfu_register when it is installed): guarded
# tables of the county's own with data, a policy version raising the yearly
# charity-bed cap from 2025-07-01 with stays that only fit under it, a limit
# of the county's own, scenarios, rows whose dump order is neither their
# date order nor the order they were checked in; then history a restore
# must not judge again: the policy admin lowers the yearly cap and a relief
# band from dates in the past, below what was granted under them, and fund
# payments are reversed.
#
#   1. plain:    pg_dump | psql -v ON_ERROR_STOP=1 into a new database;
#   2. custom:   pg_dump -Fc | pg_restore --exit-on-error into another;
#   3. parallel: the same archive, pg_restore -j 4 (DUMP_PARALLEL=N for -j N),
#                which loads tables side by side in no fixed order;
#   4. one transaction: pg_dump --quote-all-identifiers | psql --single-transaction;
#   5. late admissions: the archive with one job, in the order -j may pick
#                and that made it fail at random: pg_restore -l, the data
#                of bangfu.limit_share (the admissions to the common books)
#                moved after every table's limit triggers, pg_restore -L;
#                and with it the data of bangfu.limit_member_attachment
#                (limits attached by hand to the register's tables, whose
#                triggers pg_dump does not write), after the register's
#                rows: the triggers are made again and the ledger counted
#                from rows already there (in 1-4 they come first, and the
#                register's rows are counted as they load).
#   6. early attachments: the same with one job, the data of
#                bangfu.limit_member_attachment moved before every other
#                table's data, the limits it names (bangfu.limit_def) among
#                them, as pg_restore -j may load it on PostgreSQL 17: the
#                kept rows wait, and the limits' load makes them again.
# After each, test/load/dump_fingerprint.sql must print the same lines as
# for the original (every table's rows, the added policy and limits, the
# ledger, the sequences, the fund balances, limit_check() = 0), and the
# restore must have printed no ERROR.
#
# DUMP_REGISTER=0 leaves the register's data out (the county's own tables
# only).
#
# Server: reuses the cluster of scripts/test.sh or scripts/load.sh (via
# cluster_ensure in scripts/cluster.sh), else starts and removes its own.
set -euo pipefail
cd "$(dirname "$0")/.."
exec </dev/null

export PG_CONFIG=${PG_CONFIG:-/usr/lib/postgresql/15/bin/pg_config}
export LC_ALL=C.UTF-8 PGCLIENTENCODING=UTF8
# shellcheck source=scripts/cluster.sh
source scripts/cluster.sh

src=bangfu_dump_src
dst=bangfu_dump_dst
dst2=bangfu_dump_dst2
dst3=bangfu_dump_dst3
dst4=bangfu_dump_dst4
dst5=bangfu_dump_dst5
dst6=bangfu_dump_dst6
work=$(mktemp -d /tmp/bangfu-dump.XXXXXX)
failed=0

say() { echo "dump_restore_test.sh: $*" >&2; }

cleanup_work() {
    if [ "$failed" = 0 ]; then
        rm -rf -- "$work"
    else
        say "dumps, logs and fingerprints kept in $work"
    fi
}

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

# fingerprint DB FILE: the data (test/load/dump_fingerprint.sql), then
# whether new writes are checked again (test/load/dump_probe.sql: each probe
# is rolled back, but takes sequence numbers, so it runs last).
fingerprint() {
    psql -X -q -At -v ON_ERROR_STOP=1 -d "$1" -f test/load/dump_fingerprint.sql >"$2"
    if [ "$1" != "$src" ]; then
        psql -X -q -At -v ON_ERROR_STOP=1 -d "$1" -f test/load/dump_probe.sql >>"$2"
    fi
}

# compare NAME FILE: FILE must equal the original's fingerprint.
compare() {
    if ! diff -u "$work/src.fp" "$2" >"$work/${1// /_}.diff"; then
        say "$1: the restored database differs from the original:"
        cat "$work/${1// /_}.diff" >&2
        failed=1
    fi
}

# restored NAME LOG RC: the restore ran to the end and printed no error.
restored() {
    if [ "$3" != 0 ] || grep -q 'ERROR' "$2"; then
        say "$1: the restore failed (exit $3):"
        grep -B2 -A8 'ERROR' "$2" | head -n 40 >&2 || tail -n 20 "$2" >&2
        failed=1
        return 1
    fi
}

for db in "$src" "$dst" "$dst2" "$dst3" "$dst4" "$dst5" "$dst6"; do
    dropdb --if-exists "$db" 2>/dev/null
done

# ------------------------------------------------------------ the original
createdb "$src"
psql -X -q -v ON_ERROR_STOP=1 -d "$src" -f test/load/dump_fixture.sql >/dev/null
register=no
if [ "${DUMP_REGISTER:-1}" = 1 ] &&
    [ "$(psql -X -At -d "$src" -c "SELECT count(*) FROM pg_available_extensions WHERE name = 'bangfu_register'")" = 1 ]; then
    register=yes
    psql -X -q -v ON_ERROR_STOP=1 -d "$src" -f test/load/dump_fixture_register.sql >/dev/null
fi
fingerprint "$src" "$work/src.fp"
if ! grep -qx 'bangfu.limit_check() | 0 differences' "$work/src.fp"; then
    say "the original's ledger is already wrong:"; cat "$work/src.fp" >&2
    failed=1
fi

pg_dump -d "$src" -f "$work/dump.sql" 2>"$work/dump.log"
pg_dump -Fc -d "$src" -f "$work/dump.custom" 2>>"$work/dump.log"
pg_dump --quote-all-identifiers -d "$src" -f "$work/dump_quoted.sql" 2>>"$work/dump.log"
# The original's probes, now that it is dumped.
psql -X -q -At -v ON_ERROR_STOP=1 -d "$src" -f test/load/dump_probe.sql >>"$work/src.fp"

# ------------------------------------------------------------ 1. plain
createdb "$dst"
rc=0
psql -X -v ON_ERROR_STOP=1 -d "$dst" -f "$work/dump.sql" >"$work/restore.log" 2>&1 || rc=$?
if restored plain "$work/restore.log" "$rc"; then
    fingerprint "$dst" "$work/dst.fp"
    compare plain "$work/dst.fp"
fi

# ------------------------------------------------------------ 2. custom
createdb "$dst2"
rc=0
pg_restore --exit-on-error -d "$dst2" "$work/dump.custom" >"$work/restore2.log" 2>&1 || rc=$?
if restored "pg_restore" "$work/restore2.log" "$rc"; then
    fingerprint "$dst2" "$work/dst2.fp"
    compare "pg_restore" "$work/dst2.fp"
fi

# ------------------------------------------------------------ 3. parallel
jobs=${DUMP_PARALLEL:-4}
createdb "$dst3"
rc=0
pg_restore -j "$jobs" --exit-on-error -d "$dst3" "$work/dump.custom" >"$work/restore3.log" 2>&1 || rc=$?
if restored "pg_restore -j $jobs" "$work/restore3.log" "$rc"; then
    fingerprint "$dst3" "$work/dst3.fp"
    compare "pg_restore -j $jobs" "$work/dst3.fp"
fi

# ------------------------------------------------------------ 4. one transaction
createdb "$dst4"
rc=0
psql -X -v ON_ERROR_STOP=1 --single-transaction -d "$dst4" -f "$work/dump_quoted.sql" >"$work/restore4.log" 2>&1 || rc=$?
if restored "psql --single-transaction (quoted names)" "$work/restore4.log" "$rc"; then
    fingerprint "$dst4" "$work/dst4.fp"
    compare "psql --single-transaction" "$work/dst4.fp"
fi

# ------------------------------------------------------------ 5. late admissions
# pg_restore -j creates a table's triggers once its data is in, so the
# admissions of the table to a limit's common books (八(2), 十二) may load
# after its limit triggers exist: a restore loads them as they were, and
# the ledger stays right.  One job and a fixed list make that order certain.
pg_restore -l "$work/dump.custom" >"$work/list.txt"
late=' TABLE DATA bangfu \(limit_share\|limit_member_attachment\) '
if ! grep -q ' TABLE DATA bangfu limit_share ' "$work/list.txt" ||
    ! grep -q ' TRIGGER county stay zz_bangfu_charity_bed_yearly ' "$work/list.txt" ||
    { [ "$register" = yes ] && ! grep -q ' TABLE DATA bangfu limit_member_attachment ' "$work/list.txt"; }; then
    say "late admissions: the archive has no data of bangfu.limit_share (or limit_member_attachment) or no limit trigger of county.stay"
    failed=1
else
    { grep -v "$late" "$work/list.txt"
      grep "$late" "$work/list.txt"; } >"$work/list_late.txt"
    createdb "$dst5"
    rc=0
    pg_restore --exit-on-error -L "$work/list_late.txt" -d "$dst5" "$work/dump.custom" >"$work/restore5.log" 2>&1 || rc=$?
    if restored "pg_restore -L (admissions after the triggers)" "$work/restore5.log" "$rc"; then
        fingerprint "$dst5" "$work/dst5.fp"
        compare "pg_restore -L (admissions after the triggers)" "$work/dst5.fp"
    fi
fi

# ------------------------------------------------------------ 6. early attachments
# pg_restore -j on PostgreSQL 17 loaded the kept attachments to the
# register's tables before the limit they name, and the restore failed
# (a foreign key, then "unknown limit"); one job and a fixed list make that
# order certain.
if [ "$register" = yes ]; then
    early=' TABLE DATA bangfu limit_member_attachment '
    awk -v early="$early" '
        index($0, early) { next }
        !done && / TABLE DATA / { while ((getline l < list) > 0) if (index(l, early)) print l; done = 1 }
        { print }' list="$work/list.txt" "$work/list.txt" >"$work/list_early.txt"
    createdb "$dst6"
    rc=0
    pg_restore --exit-on-error -L "$work/list_early.txt" -d "$dst6" "$work/dump.custom" >"$work/restore6.log" 2>&1 || rc=$?
    if restored "pg_restore -L (kept attachments before the limits)" "$work/restore6.log" "$rc"; then
        fingerprint "$dst6" "$work/dst6.fp"
        compare "pg_restore -L (kept attachments before the limits)" "$work/dst6.fp"
    fi
fi

if [ -s "$work/dump.log" ]; then
    say "pg_dump said:"; sed 's/^/    /' "$work/dump.log" >&2
fi

tables=$(grep -c '^county\.\|^bangfu_register\.' "$work/src.fp" || true)
ledger=$(sed -n 's/^bangfu.usage | \([0-9]*\) .*/\1/p' "$work/src.fp")
if [ "$failed" = 0 ]; then
    for db in "$src" "$dst" "$dst2" "$dst3" "$dst4" "$dst5"; do dropdb "$db"; done
    [ "$register" = yes ] && dropdb "$dst6"
    echo "dump/restore: OK: $tables tables (register: $register), $ledger ledger rows, policy versions, scenarios, limits, sequences and fund balances identical after psql < pg_dump, pg_restore, pg_restore -j $jobs, psql --single-transaction of a --quote-all-identifiers dump and pg_restore -L with the admissions to the common books after the limit triggers and the kept attachments to the register's tables after its rows, and before the limits; a county limit attached to a register table enforced after each; limit_check() empty"
else
    echo "dump/restore: FAILED"
    exit 1
fi
