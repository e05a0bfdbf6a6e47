#!/usr/bin/env bash
#
# scripts/sqlsmith.sh: random SQL from sqlsmith against a database holding
# the demo county (demo/county.sql), as a role that is a member of every
# department role (so it reaches every table, view and function a clerk can),
# checking that bangfu never crashes the server and never raises an internal
# error (SQLSTATE XX000, "can't happen": a bug, never a user's mistake).
#
#   bash scripts/sqlsmith.sh                        # 5,000 queries (the test command)
#   SQLSMITH_QUERIES=100000 bash scripts/sqlsmith.sh   # by hand, about 7 minutes
#
# bangfu must be built and installed first (bash scripts/setup.sh, which
# also installs sqlsmith); scripts/test.sh does that.
#
# Environment:
#   SQLSMITH_QUERIES  queries to generate (default 5000)
#   SQLSMITH_SEED     seed of sqlsmith's generator (default 1: the same
#                     queries every run; set another to explore)
#   PG_CONFIG         as for scripts/test.sh
#
# sqlsmith logs every error it meets into a second database (bangfu_smith_log,
# table error: msg, query, sqlstate), which is kept until the next run for
# reading.  Fails (exit 1) if the server log shows a backend killed by a
# signal, if the server does not answer afterwards, or if a query failed with
# a class XX error raised by bangfu's code (its C files, by the server log's
# LOCATION lines, or its SQL functions, by the error's CONTEXT); prints the
# messages and queries.  Internal errors of PostgreSQL's own code are listed.  Errors of other
# classes (type mismatches, permission denied, 22023 ...) are what random SQL
# should get and are only counted.
#
# Server: reuses the cluster of scripts/test.sh (cluster_ensure), else starts
# and removes its own.
set -euo pipefail
cd "$(dirname "$0")/.."
exec </dev/null

export PG_CONFIG=${PG_CONFIG:-/usr/lib/postgresql/15/bin/pg_config}
export LC_ALL=C.UTF-8 PGCLIENTENCODING=UTF8
queries=${SQLSMITH_QUERIES:-5000}
seed=${SQLSMITH_SEED:-1}

if ! command -v sqlsmith >/dev/null; then
    echo "sqlsmith.sh: sqlsmith is not installed (Debian package sqlsmith; scripts/setup.sh installs it)" >&2
    exit 1
fi

# shellcheck source=scripts/cluster.sh
source scripts/cluster.sh
cluster_ensure

db=bangfu_smith
logdb=bangfu_smith_log
role=bangfu_smith
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

psql -X -q -d postgres -c "DROP DATABASE IF EXISTS $db" -c "DROP DATABASE IF EXISTS $logdb"
psql -X -q -d postgres -c "DROP ROLE IF EXISTS $role"
createdb "$db"
createdb "$logdb"
echo "sqlsmith.sh: loading the demo county (demo/county.sql)"
psql -X -q -v ON_ERROR_STOP=1 -d "$db" -f demo/county.sql >"$work/demo.log" 2>&1 || {
    tail -n 30 "$work/demo.log"
    exit 1
}
# Not a superuser: sqlsmith calls whatever functions exist, and a superuser's
# pg_terminate_backend or lo_export would be aimed at the server itself.
psql -X -q -v ON_ERROR_STOP=1 -d postgres -c "CREATE ROLE $role LOGIN IN ROLE bangfu_policy_admin, bangfu_street,
    bangfu_civil_affairs, bangfu_health, bangfu_hrss, bangfu_finance, bangfu_reader"
# The server logs where each error was raised (LOCATION: function, file),
# which tells bangfu's internal errors from PostgreSQL's own.
psql -X -q -v ON_ERROR_STOP=1 -d postgres -c "ALTER DATABASE $db SET log_error_verbosity = verbose"
# The tables sqlsmith's --log-to writes.
psql -X -q -v ON_ERROR_STOP=1 -d "$logdb" <<'SQL'
CREATE TABLE instance (id serial PRIMARY KEY, rev text, target text, hostname text, version text, seed text,
                       t timestamptz DEFAULT now());
CREATE TABLE error (id integer, msg text, query text, sqlstate text, t timestamptz DEFAULT now());
CREATE TABLE stat (id integer, generated text, level text, nodes text, updates text, retries text, impedance text, updated timestamptz,
                   t timestamptz DEFAULT now());
SQL

serverlog=${BANGFU_CLUSTER_DIR:+$BANGFU_CLUSTER_DIR/log}
logstart=0
if [ -n "$serverlog" ] && [ -f "$serverlog" ]; then
    logstart=$(wc -l <"$serverlog")
fi

conn="host=$PGHOST port=$PGPORT dbname=$db user=$role"
logconn="host=$PGHOST port=$PGPORT dbname=$logdb user=${PGUSER:-postgres}"
echo "sqlsmith.sh: $queries queries, seed $seed"
start=$SECONDS
rc=0
# sqlsmith works in its own directory, and exits once it has generated its
# queries; the timeout only guards against a hang.
(cd "$work" && timeout 1800 sqlsmith --target="$conn" --log-to="$logconn" --seed="$seed" \
    --exclude-catalog --max-queries="$queries" >"$work/sqlsmith.out" 2>&1) || rc=$?
echo "sqlsmith.sh: sqlsmith exited with $rc after $((SECONDS - start))s"

fails=0
if [ -n "$serverlog" ] && [ -f "$serverlog" ]; then
    if tail -n +"$((logstart + 1))" "$serverlog" | grep -E "terminated by signal|was terminated by exception|PANIC" >"$work/crash"; then
        echo "sqlsmith.sh: FAIL: a backend crashed:"
        head -n 20 "$work/crash"
        fails=$((fails + 1))
    fi
fi
if ! psql -X -q -d "$db" -c 'SELECT 1' >/dev/null 2>&1; then
    sleep 5
    if ! psql -X -q -d "$db" -c 'SELECT 1' >/dev/null 2>&1; then
        echo "sqlsmith.sh: FAIL: the server does not answer after the run"
        fails=$((fails + 1))
    fi
fi
if [ "$rc" != 0 ]; then
    echo "sqlsmith.sh: FAIL: sqlsmith did not finish normally; its last output:"
    tail -n 20 "$work/sqlsmith.out"
    fails=$((fails + 1))
fi

psql -X -d "$logdb" -c "SELECT sqlstate, count(*) AS errors FROM error GROUP BY 1 ORDER BY 2 DESC, 1"
# Class XX errors: bangfu's if the server log places them in one of bangfu's
# C files (src/*.c; PostgreSQL has a policy.c of its own, which is counted
# too, to be safe) or if their CONTEXT names a function of bangfu.  Others
# are PostgreSQL's own (sqlsmith meets a few in any database): counted and
# shown, not failed.
internal=$(psql -X -At -d "$logdb" -c "SELECT count(*) FROM error WHERE sqlstate LIKE 'XX%'")
ours=0
if [ -n "$serverlog" ] && [ -f "$serverlog" ]; then
    srcs=$(cd src && ls ./*.c | sed 's|^\./||' | paste -sd'|')
    tail -n +"$((logstart + 1))" "$serverlog" |
        awk -v re="LOCATION: +[^ ]+, ($srcs):" '
            /ERROR: +XX[0-9A-Z][0-9A-Z][0-9A-Z]:/ { err = $0; next }
            /LOCATION:/ { if (err != "" && $0 ~ re) { print err; print $0 } err = ""; next }' >"$work/ours" || true
    ours=$(grep -c 'ERROR:' "$work/ours" || true)
fi
ctx=$(psql -X -At -d "$logdb" -c "SELECT count(*) FROM error WHERE sqlstate LIKE 'XX%' AND msg ~ 'function bangfu(_register)?\\.'")
if [ "$ours" != 0 ] || [ "$ctx" != 0 ]; then
    echo "sqlsmith.sh: FAIL: internal errors (class XX) raised in bangfu's code: $ours by its C files, $ctx in its functions:"
    head -n 20 "$work/ours" 2>/dev/null || true
    psql -X -d "$logdb" -c "SELECT sqlstate, msg, left(query, 2000) AS query FROM error
                             WHERE sqlstate LIKE 'XX%' ORDER BY t LIMIT 5"
    fails=$((fails + 1))
elif [ "$internal" != 0 ]; then
    echo "sqlsmith.sh: $internal internal errors (class XX) raised by PostgreSQL itself, not by bangfu:"
    psql -X -At -d "$logdb" -c "SELECT DISTINCT split_part(msg, E'\n', 1) FROM error WHERE sqlstate LIKE 'XX%'"
fi
broken=$(psql -X -At -d "$logdb" -c "SELECT count(*) FROM error WHERE sqlstate IS NULL OR sqlstate = ''
                                        OR msg ~* 'server closed the connection|terminating connection'")
if [ "$broken" != 0 ]; then
    echo "sqlsmith.sh: FAIL: $broken queries lost their connection:"
    psql -X -d "$logdb" -c "SELECT msg, left(query, 2000) AS query FROM error
                             WHERE sqlstate IS NULL OR sqlstate = '' OR msg ~* 'server closed the connection|terminating connection'
                             ORDER BY t LIMIT 3"
    fails=$((fails + 1))
fi

psql -X -q -d postgres -c "DROP DATABASE IF EXISTS $db" >/dev/null
psql -X -q -d postgres -c "DROP ROLE IF EXISTS $role" >/dev/null
[ "$fails" = 0 ] && echo "sqlsmith.sh: $queries queries: no crash, no internal error raised by bangfu"
[ "$fails" = 0 ]
