#!/usr/bin/env bash
#
# scripts/aging_test.sh: the tests again with the server's clock years ahead,
# so that none of them passes only because today is still 2026.
#
#   bash scripts/aging_test.sh                          # the server in 2044
#   AGING_FAKETIME='+3y' bash scripts/aging_test.sh     # any FAKETIME value
#
# A policy version dated before today is refused without an acknowledgement
# (十二, bangfu.policy_backdate), so a test or a doc example that adds a
# version "from 2030" works until 2030 and then fails.  Run on 2044-02-29 (a
# leap day, years after every dated example), the regression, isolation and
# pgTAP suites, every example of the docs and the standby test must give
# what they give today: their future versions are dated in the 2090s, or
# (the docs) from 1 January next year.
#
# The clock is moved for the server alone (scripts/cluster.sh,
# BANGFU_FAKETIME: libfaketime preloaded into pg_ctl and so into every
# backend); psql, make and the shell keep the machine's.
set -euo pipefail
cd "$(dirname "$0")/.."
exec </dev/null

export PG_CONFIG=${PG_CONFIG:-/usr/lib/postgresql/15/bin/pg_config}
export LC_ALL=C.UTF-8 PGCLIENTENCODING=UTF8
export BANGFU_FAKETIME=${AGING_FAKETIME:-@2044-02-29 09:30:00}

# The caller's cluster (scripts/test.sh) keeps the real clock: not ours.
unset BANGFU_CLUSTER_DIR PGHOST PGPORT PGUSER PGDATABASE
# shellcheck source=scripts/cluster.sh
source scripts/cluster.sh
cluster_cleanup_on_exit
cluster_start

# A clock that did not move would make this suite pass for nothing.
server_today=$(psql -X -At -d postgres -c 'SELECT current_date')
if [ "$server_today" = "$(date -u +%F)" ] || [ "$server_today" = "$(date +%F)" ]; then
    echo "aging_test.sh: the server's date is today's ($server_today): BANGFU_FAKETIME=$BANGFU_FAKETIME did not move it" >&2
    exit 1
fi
echo "aging_test.sh: the server's date is $server_today (the machine's $(date -u +%F))"

failed=0
step() {
    local name=$1
    shift
    echo "==== aging: $name"
    if ! "$@"; then
        echo "aging_test.sh: $name FAILED with the server on $server_today" >&2
        failed=1
    fi
}
regress() {
    rm -rf results regression.diffs regression.out output_iso
    if ! make -s PG_CONFIG="$PG_CONFIG" installcheck; then
        for f in regression.diffs output_iso/regression.diffs; do
            [ -s "$f" ] && head -n 200 "$f"
        done
        return 1
    fi
}
step regress+isolation regress
step pgtap make -s --no-print-directory PG_CONFIG="$PG_CONFIG" pgtap
step docs bash scripts/doc_test.sh
# the standby test makes its own primary and standby, both on the moved clock
step standby env -u BANGFU_CLUSTER_DIR -u PGHOST -u PGPORT -u PGUSER -u PGDATABASE \
    bash scripts/standby_test.sh

[ "$failed" = 0 ] && echo "aging_test.sh: OK with the server on $server_today"
exit "$failed"
