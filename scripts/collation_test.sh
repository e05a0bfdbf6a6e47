#!/usr/bin/env bash
#
# scripts/collation_test.sh: the regression and pgTAP suites again, each on a
# throwaway cluster of its own initialised with another default collation
# (issue 9: counties run servers whose collation is Chinese).
#
#   bash scripts/collation_test.sh                       # zh_CN.UTF-8 and icu:zh
#   COLLATION_LOCALES="en_US.UTF-8 zh_CN.UTF-8 icu:zh" bash scripts/collation_test.sh
#
# Each locale is given to scripts/cluster.sh as BANGFU_LOCALE: a glibc locale
# name (scripts/setup.sh generates en_US.UTF-8 and zh_CN.UTF-8), or icu:NAME
# for an ICU default collation.  The main run of scripts/test.sh is the C.UTF-8
# one.  Only regress and pgTAP run here, to keep it cheap; a test that sorts
# text must give the same output under every collation.
set -euo pipefail
cd "$(dirname "$0")/.."
exec </dev/null

export PG_CONFIG=${PG_CONFIG:-/usr/lib/postgresql/15/bin/pg_config}
export LC_ALL=C.UTF-8 PGCLIENTENCODING=UTF8
locales=${COLLATION_LOCALES:-"zh_CN.UTF-8 icu:zh"}
failed=0

# one LOCALE: a fresh cluster, regress, pgTAP; the cluster goes on exit.
one() {
    # The caller's cluster (scripts/test.sh) is not ours to reuse here.
    unset BANGFU_CLUSTER_DIR PGHOST PGPORT PGUSER PGDATABASE
    export BANGFU_LOCALE=$1
    # shellcheck source=scripts/cluster.sh
    source scripts/cluster.sh
    cluster_cleanup_on_exit
    cluster_start
    # daticulocale became datlocale in PostgreSQL 17: read whichever there is.
    psql -X -At -d postgres -c "SELECT 'collation_test.sh: ' || datcollate || ' ' || datlocprovider::text || coalesce(' ' || (to_jsonb(d) ->> 'daticulocale'), ' ' || (to_jsonb(d) ->> 'datlocale'), '') FROM pg_database d WHERE datname = 'template1'"
    rm -rf results regression.diffs regression.out
    if ! make -s PG_CONFIG="$PG_CONFIG" installcheck ISOLATION=; then
        [ -s regression.diffs ] && head -n 300 regression.diffs
        return 1
    fi
    dropdb --if-exists bangfu_tap 2>/dev/null
    createdb bangfu_tap
    psql -X -q -v ON_ERROR_STOP=1 -d bangfu_tap \
        -c 'CREATE EXTENSION pgtap' -c 'CREATE EXTENSION bangfu CASCADE'
    pg_prove --failures -d bangfu_tap test/pgtap/*.sql
}

for loc in $locales; do
    echo "==== collation $loc"
    # Not `if ! (...)`: errexit would be off inside the subshell.
    set +e
    (
        set -e
        one "$loc"
    )
    rc=$?
    set -e
    if [ "$rc" != 0 ]; then
        echo "collation_test.sh: FAILED under $loc" >&2
        failed=1
    fi
done
[ "$failed" = 0 ] && echo "collation_test.sh: OK ($locales)"
exit "$failed"
