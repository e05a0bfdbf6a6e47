#!/usr/bin/env bash
#
# scripts/clients_test.sh: bangfu from the clients county staff use (issue 10),
# end to end, each with its default settings and the default search_path:
#   Python   Debian's python3-psycopg2      test/clients/test_psycopg2.py
#   Node.js  node-postgres (`pg` from npm)  test/clients/test_node_pg.js
# A JDBC tool's varchar parameter is emulated in both with PREPARE ...(varchar),
# and in Node also at the protocol level (a Parse message declaring varchar);
# psql and the planner's side are in test/pgtap/cnid_clients.sql.
#
#   bash scripts/clients_test.sh
#
# Each test prints TAP lines and exits non-zero on a failure. Both query
# test/clients/schema.sql in a fresh database with the extension.
#
# `pg` (pinned below) is installed with npm into a scratch cache outside the
# repository ($BANGFU_NODE_CACHE, default ~/.cache/bangfu/node), never into
# the tree; a warm machine reuses it. python3-psycopg2, nodejs and npm come
# from scripts/setup.sh. /usr/bin/python3 is used on purpose: Debian's
# psycopg2 is installed for the system Python, not for a pyenv or venv one.
#
# Server: reuses the cluster of scripts/test.sh (cluster_ensure), else
# starts and removes its own.
set -euo pipefail
cd "$(dirname "$0")/.."
exec </dev/null

export PG_CONFIG=${PG_CONFIG:-/usr/lib/postgresql/15/bin/pg_config}
export LC_ALL=C.UTF-8 PGCLIENTENCODING=UTF8
# shellcheck source=scripts/cluster.sh
source scripts/cluster.sh
cluster_ensure

PG_NPM_VERSION=8.23.1
cache=${BANGFU_NODE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/bangfu/node}

db=bangfu_clients
dropdb --if-exists "$db"
createdb "$db"
psql -X -q -v ON_ERROR_STOP=1 -d "$db" -c 'CREATE EXTENSION bangfu' -f test/clients/schema.sql

status=0

echo "-- Python, psycopg2 $(/usr/bin/python3 -c 'import psycopg2; print(psycopg2.__version__.split()[0])')"
PGDATABASE=$db /usr/bin/python3 test/clients/test_psycopg2.py || status=1

if [ ! -f "$cache/node_modules/pg/package.json" ] ||
    [ "$(node -p "require('$cache/node_modules/pg/package.json').version")" != "$PG_NPM_VERSION" ]; then
    echo "clients_test.sh: npm install pg@$PG_NPM_VERSION into $cache"
    mkdir -p "$cache"
    (cd "$cache" && npm install --no-audit --no-fund --no-save --silent "pg@$PG_NPM_VERSION")
fi
echo "-- Node.js $(node --version), pg $PG_NPM_VERSION"
PGDATABASE=$db NODE_PATH="$cache/node_modules" node test/clients/test_node_pg.js || status=1

dropdb "$db"
exit "$status"
