#!/usr/bin/env bash
#
# scripts/demo.sh: build bangfu, start a throwaway server, load the county
# demo (demo/county.sql) into a fresh database and show its output.
#
#   bash scripts/demo.sh
#   BANGFU_DEMO_KEEP=1 bash scripts/demo.sh   # leave the server running and
#                                             # print how to connect and stop it
set -euo pipefail
# The picture of 四(1) in force and a proposal (bangfu.tiers_svg, issue 13) is
# written here; the default is the directory the demo was started from.
export BANGFU_DEMO_SVG=${BANGFU_DEMO_SVG:-$PWD/bangfu-demo-4-1.svg}
cd "$(dirname "$0")/.."

export PG_CONFIG=${PG_CONFIG:-/usr/lib/postgresql/15/bin/pg_config}
# UTF-8 client so the Chinese names print (and align) the same everywhere.
export LC_ALL=C.UTF-8
export PGCLIENTENCODING=UTF8

bash scripts/setup.sh

# shellcheck source=scripts/cluster.sh
source scripts/cluster.sh
cluster_cleanup_on_exit
cluster_start

createdb bangfu_demo
psql -X -v ON_ERROR_STOP=1 -d bangfu_demo -f demo/county.sql

if [ "${BANGFU_DEMO_KEEP:-0}" = 1 ]; then
    # Hand the server over to the user instead of removing it.
    trap - EXIT INT TERM
    cat <<MSG

The demo server is still running. To connect:
    export PGHOST=$PGHOST PGPORT=$PGPORT PGUSER=$PGUSER PGDATABASE=bangfu_demo
    $BANGFU_PGBIN/psql
To stop it and delete its directory:
    PGHOST=$PGHOST bash scripts/cluster.sh stop
MSG
fi
