#!/usr/bin/env bash
#
# scripts/logical_test.sh: a guarded table under logical replication, and
# the failover procedure of doc/operations.md ("Logical replication").
#
#   bash scripts/logical_test.sh
#
# 1. A publisher (scripts/cluster.sh, wal_level = logical) and a subscriber
#    (a second throwaway cluster) each have bangfu and the same table,
#    guarded by 四(1)'s yearly cap (charity_bed_yearly, 20,000, reject).
# 2. The publisher's rows reach the subscriber (the initial copy, then a
#    streamed insert).  The subscriber's books are not kept, as the doc
#    says: limit_check() there lists each person-year as unrecorded.
# 3. Failover as the doc tells it: the subscription disabled, then
#    limit_rebuild() before the first write.  The books are then right
#    (limit_check() empty), one fen over a cap is refused (23514) and what
#    is left is taken, to the fen.
#
# Both servers are throwaway clusters of this script, removed on every exit
# path (the one of scripts/test.sh is not touched).
set -euo pipefail
cd "$(dirname "$0")/.."
exec </dev/null

export PG_CONFIG=${PG_CONFIG:-/usr/lib/postgresql/15/bin/pg_config}
export LC_ALL=C.UTF-8 PGCLIENTENCODING=UTF8
# our own publisher, whatever the caller runs
unset BANGFU_CLUSTER_DIR PGHOST PGPORT PGUSER PGDATABASE
# shellcheck source=scripts/cluster.sh
source scripts/cluster.sh

db=bangfu_logical
sub_dir=
failed=0
say() { echo "logical_test.sh: $*" >&2; }
bad() { say "FAIL: $*"; failed=1; }

sub_stop() {
    [ -n "$sub_dir" ] || return 0
    env -u BANGFU_CLUSTER_DIR BANGFU_CLUSTER_DIR="$sub_dir" PGHOST="$sub_dir" \
        bash scripts/cluster.sh stop >/dev/null 2>&1 || true
    sub_dir=
}
trap 'sub_stop; cluster_stop' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# ------------------------------------------------------------ 1. two servers
cluster_start
pub=$PGHOST
echo "wal_level = logical" >>"$BANGFU_CLUSTER_DIR/data/postgresql.conf"
_cluster_pg_ctl -D "$BANGFU_CLUSTER_DIR/data" -l "$BANGFU_CLUSTER_DIR/log" -w -t 120 restart >/dev/null
# the subscriber: another throwaway cluster (its own socket directory, so
# the same port number)
sub_env=$(env -u BANGFU_CLUSTER_DIR -u PGHOST -u PGUSER -u PGDATABASE bash scripts/cluster.sh start 2>/dev/null)
sub_dir=$(sed -n 's/.*BANGFU_CLUSTER_DIR=\([^ ]*\).*/\1/p' <<<"$sub_env" | head -n 1)
[ -n "$sub_dir" ] && [ -S "$sub_dir/.s.PGSQL.$PGPORT" ] || { bad "the subscriber did not start"; exit 1; }

qp() { psql -X -q -At -v ON_ERROR_STOP=1 -h "$pub" -d "$db" "$@"; }
qs() { psql -X -q -At -v ON_ERROR_STOP=1 -h "$sub_dir" -d "$db" "$@"; }
# the SQLSTATE a statement fails with on the subscriber ("ok" if none)
state_s() {
    local out code
    out=$(psql -X -q -At -h "$sub_dir" -d "$db" -c '\set VERBOSITY sqlstate' -c "$1" 2>&1 >/dev/null || true)
    code=$(sed -n 's/^ERROR: *\([0-9A-Z]\{5\}\).*/\1/p' <<<"$out" | head -n 1)
    echo "${code:-ok}"
}
check() { # what expected got
    if [ "$3" = "$2" ]; then say "ok   $1: $3"; else bad "$1: expected $2, got $3"; fi
}

schema="CREATE EXTENSION bangfu;
CREATE TABLE stay (id integer PRIMARY KEY, person text NOT NULL, d date NOT NULL,
                   reduction numeric(12,2) NOT NULL);
SELECT bangfu.attach_limit('stay', 'charity_bed_yearly', '{person}', 'reduction', 'd', 'reject');"
createdb -h "$pub" "$db"
createdb -h "$sub_dir" "$db"
qp -c "$schema" >/dev/null
qs -c "$schema" >/dev/null

# ------------------------------------------------------------ 2. replication
qp -c "INSERT INTO stay VALUES (1, 'p', '2026-02-01', 15000), (2, 'q', '2026-02-01', 5000)" \
   -c "CREATE PUBLICATION bangfu_pub FOR TABLE stay"
qs -c "CREATE SUBSCRIPTION bangfu_sub CONNECTION 'host=$pub port=$PGPORT dbname=$db user=postgres' PUBLICATION bangfu_pub" 2>/dev/null
qp -c "INSERT INTO stay VALUES (3, 'p', '2026-03-01', 5000)"
# wait (up to a minute) for the copy and the streamed row
for _ in $(seq 1 120); do
    [ "$(qs -c "SELECT count(*) FROM stay")" = 3 ] && break
    sleep 0.5
done
check "rows on the subscriber (copied and streamed)" 3 "$(qs -c "SELECT count(*) FROM stay")"
check "the subscriber's books are not kept (limit_check() rows)" 2 \
    "$(qs -c "SELECT count(*) FROM bangfu.limit_check()")"

# ------------------------------------------------------------ 3. failover
qs -c "ALTER SUBSCRIPTION bangfu_sub DISABLE"
qs -c "SELECT bangfu.limit_rebuild()" >/dev/null
check "after limit_rebuild(), limit_check() rows" 0 "$(qs -c "SELECT count(*) FROM bangfu.limit_check()")"
check "p (20,000 used) one fen more: refused" 23514 \
    "$(state_s "INSERT INTO stay VALUES (4, 'p', '2026-04-01', 0.01)")"
check "q (5,000 used) 15,000 more: taken" ok \
    "$(state_s "INSERT INTO stay VALUES (5, 'q', '2026-04-01', 15000)")"
check "q then one fen more: refused" 23514 \
    "$(state_s "INSERT INTO stay VALUES (6, 'q', '2026-04-02', 0.01)")"
check "the books after the writes (limit_check() rows)" 0 "$(qs -c "SELECT count(*) FROM bangfu.limit_check()")"
check "q's 2026 in the ledger" 20000.00 \
    "$(qs -c "SELECT used FROM bangfu.usage_report WHERE tab = 'stay'::regclass AND subject = 'q' AND period = 2026")"

# the subscription and its slot go, so both servers stop cleanly
qs -c "ALTER SUBSCRIPTION bangfu_sub SET (slot_name = NONE)" -c "DROP SUBSCRIPTION bangfu_sub"
qp -c "SELECT pg_drop_replication_slot('bangfu_sub')" >/dev/null

if [ "$failed" = 0 ]; then
    say "OK: a guarded table replicated, its subscriber's books rebuilt on failover, caps kept"
else
    exit 1
fi
