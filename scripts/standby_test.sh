#!/usr/bin/env bash
#
# scripts/standby_test.sh: bangfu on a streaming hot standby, and after the
# standby is promoted (issue 9: reporting tools often read a replica).
#
#   bash scripts/standby_test.sh
#
# 1. A primary (scripts/cluster.sh) holds a county: test/load/dump_fixture.sql
#    (guarded tables of its own, a raised cap, a limit of its own) and
#    test/load/dump_fixture_register.sql (the register, with history: policy
#    lowered from dates in the past), plus a what-if scenario.
# 2. A standby is made from it with pg_basebackup -R (streaming replication
#    over the primary's unix socket, as the postgres OS user), in a temp
#    directory of its own, and started as a hot standby.
# 3. When it has replayed everything, test/standby/reads.sql (every rule and
#    its explanation, the aggregates, the policy and scenario functions, the
#    limits' functions, limit_check() and every view) prints the same on the
#    standby as on the primary, in a new session there (caches loaded on the
#    standby, which no cache may write to); writes on the standby are refused
#    with 25006 and leave it running.
#    A policy version added on the primary is used by the next statement of
#    a standby session (in an open transaction) once it is replayed.
# 4. The primary stops; the standby is promoted.  The books are right
#    (limit_check() empty, test/load/dump_fingerprint.sql as on the primary)
#    and writes go on: a guarded row within the cap is taken, one over it is
#    refused (23514), a new policy version is used at once, and the books
#    are right again.
#
# Both servers are throwaway clusters of this script (the one of
# scripts/test.sh is not touched), removed on every exit path.
set -euo pipefail
cd "$(dirname "$0")/.."
exec </dev/null

export PG_CONFIG=${PG_CONFIG:-/usr/lib/postgresql/15/bin/pg_config}
export LC_ALL=C.UTF-8 PGCLIENTENCODING=UTF8
# Our own primary, whatever the caller runs.
unset BANGFU_CLUSTER_DIR PGHOST PGPORT PGUSER PGDATABASE
# shellcheck source=scripts/cluster.sh
source scripts/cluster.sh

db=bangfu_standby
standby_dir=
failed=0
say() { echo "standby_test.sh: $*" >&2; }
bad() { say "FAIL: $*"; failed=1; }

standby_stop() {
    [ -n "$standby_dir" ] || return 0
    if [ -f "$standby_dir/data/postmaster.pid" ]; then
        _cluster_as_owner "$BANGFU_PGBIN/pg_ctl" -D "$standby_dir/data" -m fast -w -t 30 stop >/dev/null 2>&1 || {
            pid=$(head -n 1 "$standby_dir/data/postmaster.pid" 2>/dev/null || true)
            [ -n "$pid" ] && kill -KILL "$pid" 2>/dev/null || true
        }
    fi
    if [ "$failed" != 0 ] && [ -f "$standby_dir/log" ]; then
        say "last lines of the standby's log:"
        tail -n 30 "$standby_dir/log" >&2
    fi
    case "$standby_dir" in
    /tmp/bangfu-pg.*) rm -rf -- "$standby_dir" ;;
    esac
    standby_dir=
}
trap 'standby_stop; cluster_stop; rm -f -- "${primary_fp:-}"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

cluster_start
primary_host=$PGHOST
work="$BANGFU_CLUSTER_DIR/standby_test"
mkdir -p "$work"

# psql against the primary or the standby
qp() { psql -X -q -v ON_ERROR_STOP=1 -h "$primary_host" -d "$db" "$@"; }
qs() { psql -X -q -v ON_ERROR_STOP=1 -h "$standby_dir" -d "$db" "$@"; }

# ------------------------------------------------------------ 1. the primary
createdb "$db"
qp -f test/load/dump_fixture.sql >/dev/null
# The register's data, as scripts/dump_restore_test.sh loads it (the file
# creates the extension bangfu_register, which test/standby/reads.sql reads).
if [ "$(qp -At -c "SELECT count(*) FROM pg_available_extensions WHERE name = 'bangfu_register'")" != 1 ]; then
    bad "bangfu_register is not installed on this server (make install)"
    exit 1
fi
qp -f test/load/dump_fixture_register.sql >/dev/null
qp >/dev/null <<'SQL'
INSERT INTO bangfu.scenario (name, description) VALUES ('standby_what_if', '十二 a proposal read on the standby');
INSERT INTO bangfu.scenario_value (scenario, param, amount)
VALUES ('standby_what_if', 'medical.charity_bed.yearly_cap', 30000);
SQL
primary_fp=$(mktemp /tmp/bangfu-standby-fp.XXXXXX)
psql -X -q -At -v ON_ERROR_STOP=1 -h "$primary_host" -d "$db" -f test/load/dump_fingerprint.sql >"$primary_fp"
grep -qx 'bangfu.limit_check() | 0 differences' "$primary_fp" || bad "the primary's books are wrong to begin with"

# ------------------------------------------------------------ 2. the standby
standby_dir=$(mktemp -d /tmp/bangfu-pg.XXXXXX)
[ "$(id -u)" = 0 ] && chown postgres: "$standby_dir"
_cluster_as_owner "$BANGFU_PGBIN/pg_basebackup" -h "$primary_host" -p "$PGPORT" -U postgres \
    -D "$standby_dir/data" -R -X stream --checkpoint=fast --no-sync
cat >>"$standby_dir/data/postgresql.conf" <<CONF

# ---- bangfu standby (scripts/standby_test.sh) ----
unix_socket_directories = '$standby_dir'
hot_standby = on
CONF
_cluster_pg_ctl -D "$standby_dir/data" -l "$standby_dir/log" -w -t 120 start >/dev/null
[ "$(qs -At -c 'SELECT pg_is_in_recovery()')" = t ] || bad "the standby is not in recovery"

# Wait (at most a minute) until the standby has replayed all the primary wrote.
lsn=$(qp -At -c 'SELECT pg_current_wal_lsn()')
caught_up() { [ "$(qs -At -c "SELECT pg_last_wal_replay_lsn() >= '$lsn'::pg_lsn")" = t ]; }
for _ in $(seq 1 300); do
    caught_up && break
    sleep 0.2
done
caught_up || bad "the standby did not catch up with the primary's $lsn"

# ------------------------------------------------------------ 3. reads
qp -f test/standby/reads.sql >"$work/primary.out" 2>&1 || bad "reads.sql failed on the primary: $(tail -n 3 "$work/primary.out")"
qs -f test/standby/reads.sql >"$work/standby.out" 2>&1 || bad "reads.sql failed on the standby: $(tail -n 3 "$work/standby.out")"
if ! diff -u "$work/primary.out" "$work/standby.out" >"$work/reads.diff"; then
    bad "the standby reads differently from the primary:"
    head -n 60 "$work/reads.diff" >&2
fi
grep -qx 'limit_check|0' "$work/standby.out" || bad "limit_check() is not empty on the standby"
say "reads: $(wc -l <"$work/standby.out") lines, the same on the primary and on the standby"

# Writes on the standby: refused as read-only (25006), or for a lock that
# recovery does not allow (55000, limit_rebuild()); the server stays up.
for stmt in \
    "INSERT INTO county.stay (person, amount, stay_date) VALUES ('s', 100, '2025-09-01')" \
    "INSERT INTO bangfu.policy (param, valid_from, amount) VALUES ('medical.charity_bed.yearly_cap', '2087-01-01', 26000)" \
    "SELECT bangfu.limit_rebuild()"; do
    out=$(psql -X -q -h "$standby_dir" -d "$db" -c '\set VERBOSITY verbose' -c "$stmt" 2>&1 || true)
    case "$out" in
    *"ERROR:  25006:"* | *"ERROR:  55000: cannot acquire lock mode"*"while recovery is in progress"*) ;;
    *) bad "on the standby, '$stmt' was not refused as a write: $out" ;;
    esac
done
[ "$(qs -At -c 'SELECT 1')" = 1 ] || bad "the standby went down after the refused writes"

# A policy change made on the primary reaches a standby session that has
# the store in its cache, at its first statement after the change was
# replayed, also inside an open transaction (doc/policy.md).  The change is
# made from psql's \! between two statements of that session.
export STANDBY_TEST_PRIMARY=$primary_host STANDBY_TEST_STANDBY=$standby_dir STANDBY_TEST_DB=$db
got=$(qs -At <<'SQL'
BEGIN;
SELECT bangfu.medical_reduction(30000, '2092-06-01', 19000);
\! bash scripts/standby_raise.sh
SELECT bangfu.medical_reduction(30000, '2092-06-01', 19000);
COMMIT;
SQL
) || true
if [ "$got" != $'6000.00\n7500.00' ]; then
    bad "a policy change on the primary was not seen by the standby session's next statement: $got"
fi
psql -X -q -At -v ON_ERROR_STOP=1 -h "$primary_host" -d "$db" -f test/load/dump_fingerprint.sql >"$primary_fp"

# ------------------------------------------------------------ 4. promotion
# The primary goes (its directory too); the standby takes over.
cluster_stop
work="$standby_dir/work"
mkdir -p "$work"
_cluster_as_owner "$BANGFU_PGBIN/pg_ctl" -D "$standby_dir/data" -w -t 60 promote >/dev/null
[ "$(qs -At -c 'SELECT pg_is_in_recovery()')" = f ] || bad "the standby was not promoted"
psql -X -q -At -v ON_ERROR_STOP=1 -h "$standby_dir" -d "$db" -f test/load/dump_fingerprint.sql >"$work/promoted.fp" ||
    bad "test/load/dump_fingerprint.sql failed on the promoted server"
if ! diff -u "$primary_fp" "$work/promoted.fp" >&2; then
    bad "the promoted server's data differs from the primary's"
fi

# Writes go on.  a has 25,000 of 2025's raised cap: 1 more is refused; b has
# nothing in 2026: 500 is taken; then a version raising 2026's cap to 30,000
# is used by the next statement of the same session.
got=$(qs -At <<'SQL'
\set ON_ERROR_STOP 0
SET client_min_messages = warning;
CREATE FUNCTION pg_temp.try(stmt text) RETURNS text LANGUAGE plpgsql AS $f$
BEGIN
    EXECUTE stmt;
    RETURN 'ok';
EXCEPTION WHEN OTHERS THEN
    RETURN SQLSTATE;
END $f$;
SELECT 'over the cap: ' || pg_temp.try($$INSERT INTO county.stay (person, amount, stay_date) VALUES ('a', 1, '2025-12-01')$$);
SELECT 'within the cap: ' || pg_temp.try($$INSERT INTO county.stay (person, amount, stay_date) VALUES ('b', 500, '2026-01-15')$$);
SELECT 'before the raise: ' || bangfu.medical_reduction(200000, '2026-06-01', 16000);
INSERT INTO bangfu.policy (param, valid_from, amount, backdate_ack) VALUES ('medical.charity_bed.yearly_cap', '2026-06-01', 30000, 'standby test: reaches back (十二)');
SELECT 'used to the raise: ' || bangfu.medical_reduction(200000, '2026-06-01', 16000);
SELECT 'limit_check: ' || count(*) FROM bangfu.limit_check();
SELECT 'ledger of b in 2026: ' || used FROM bangfu.usage_report WHERE tab = 'county.stay'::regclass AND subject = 'b' AND period = 2026;
SQL
) || true
expect='over the cap: 23514
within the cap: ok
before the raise: 9000.00
used to the raise: 14000.00
limit_check: 0
ledger of b in 2026: 500.00'
if [ "$got" != "$expect" ]; then
    bad "after promotion, writes did not go on as they should:"
    diff <(echo "$expect") <(echo "$got") >&2 || true
fi

if [ "$failed" = 0 ]; then
    say "OK: the standby answered every read as the primary did and refused writes; promoted, its books were right and writes went on"
else
    say "FAILED"
    exit 1
fi
