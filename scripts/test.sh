#!/usr/bin/env bash
#
# scripts/test.sh: build bangfu and run every test suite; what CI runs.
#
#   bash scripts/test.sh
#
# Suites, each counted once in the closing "N passed, N failed" line:
#   harness     scripts/test_selftest.sh: this runner counts right
#   unit        pure C tests of src/*_core.c (test/unit/run_unit.c and
#               test/unit/cnid_unit.c), ASan+UBSan
#   fuzz-tiers  libFuzzer on the tiers parser    (test/unit/fuzz_tiers.c)
#   fuzz-cnid   libFuzzer on the citizen-ID code (test/unit/fuzz_cnid.c)
#   messages    scripts/po_check.sh: every message in the sources has a
#               zh_CN translation (the Chinese messages themselves are tested
#               by sql/messages_zh.sql, in regress)
#   out-of-tree scripts/outoftree.sh (make -f SRC/Makefile and pg_buildext's
#               VPATH build: bangfu.so exports every C function; install)
#   package     scripts/package.sh (dpkg-buildpackage of debian/: the package
#               and its installcheck in a pg_virtualenv cluster)
#   regress     pg_regress over sql/ against expected/
#   isolation   pg_isolation_regress over test/isolation/specs/
#   pgtap       pg_prove over test/pgtap/*.sql
#   fixture     scripts/fixture_test.sh (a made-up rule added by CONTRIBUTING.md
#               "Adding a rule", built into a test-only module, pgTAP)
#   load        scripts/load.sh (pgbench load, then an immediate shutdown mid-load)
#   dump-restore  scripts/dump_restore_test.sh (pg_dump, restore, compare)
#   security    scripts/security_test.sh: test/security/'s pgTAP attack
#               files and attack scripts
#   sqlsmith    scripts/sqlsmith.sh (5,000 random queries against the demo
#               county: no crash, no internal error; SQLSMITH_QUERIES)
#   upgrade     scripts/upgrade_test.sh (each released version, updated, is
#               the same as a fresh install)
#   clients     scripts/clients_test.sh (psycopg2 and node-postgres, default
#               settings: cnid compared with strings, exact amounts)
#   docs        scripts/doc_test.sh (every ```sql / ```psql example of every
#               *.md runs; psql outputs shown are compared)
#   encodings   scripts/encoding_test.sh (UTF8 and EUC_CN databases read the
#               same labels; LATIN1 and SQL_ASCII are refused)
#   standby     scripts/standby_test.sh (a primary and a hot standby: every
#               read the same on both, writes refused; promoted, books right)
#   logical     scripts/logical_test.sh (a guarded table under logical
#               replication; failover to the subscriber as doc/operations.md
#               says: books rebuilt, caps kept)
#   collations  scripts/collation_test.sh (regress and pgTAP again on
#               clusters made with zh_CN.UTF-8 and an ICU zh collation)
#   aging       scripts/aging_test.sh (regress, isolation, pgTAP, docs and
#               standby again with the server's clock on 2044-02-29)
#   pg17: ...   all of the above again against PostgreSQL 17, in a Debian 13
#               root (scripts/pg17.sh); BANGFU_PG17=0 leaves it out
# Each suite is a target of the Makefile (`make unit`, `make regress`, ...:
# the command is written there once; CONTRIBUTING.md says how to run one
# suite or one test by hand). A suite whose script or files are missing
# fails, it is never skipped: renaming a suite cannot leave CI green
# (scripts/test_selftest.sh checks it). A failed build counts as a failure
# (a successful build is not counted as a test); when it fails, the suites
# that need the server are reported SKIP.
#
# Environment:
#   PG_CONFIG     default /usr/lib/postgresql/15/bin/pg_config
#   FUZZ_SECONDS  time per fuzzer, default 20
#
# Exits non-zero if anything failed. The server is a throwaway cluster in a
# temp directory (scripts/cluster.sh), removed on every exit path.
set -euo pipefail
cd "$(dirname "$0")/.."

# Nothing here may wait for input; CI has none.
exec </dev/null

export PG_CONFIG=${PG_CONFIG:-/usr/lib/postgresql/15/bin/pg_config}
export FUZZ_SECONDS=${FUZZ_SECONDS:-20}
# The same bytes on every machine: psql picks its client encoding (and so the
# column widths it prints for Chinese text) from the locale, and a CI
# environment may have none set. Expected outputs are made under UTF-8.
export LC_ALL=C.UTF-8
export PGCLIENTENCODING=UTF8

# shellcheck source=scripts/cluster.sh
source scripts/cluster.sh

passed=0
failed=0
report=()

pass() { passed=$((passed + 1)); report+=("PASS  $1"); }
fail() { failed=$((failed + 1)); report+=("FAIL  $1"); }
skip() { report+=("SKIP  $1: $2"); echo "test.sh: skipping $1: $2"; }

# run_step NAME COMMAND...: run one suite and record the result.
# The suite runs in a fresh bash with `-e -o pipefail`.  A subshell would not
# do: run_step is called from `... || true`, and bash ignores errexit in
# everything run from such a list, even in a subshell that sets -e again, so
# a suite whose middle command failed used to PASS when its last one passed.
# The fresh process gets the script's functions (export -f) and the exported
# variables; scripts/test_selftest.sh checks that a failing middle command
# fails its suite.
run_step() {
    local name=$1 rc start=$SECONDS
    shift
    echo
    echo "==== $name"
    set +e
    # shellcheck disable=SC2046
    export -f $(compgen -A function)
    bash -eo pipefail -c '"$@"' "$name" "$@"
    rc=$?
    set -e
    if [ "$rc" = 0 ]; then
        pass "$name ($((SECONDS - start))s)"
    else
        fail "$name (exit $rc, $((SECONDS - start))s)"
    fi
    return "$rc"
}

# Like run_step, for suites that talk to the server: on failure, show the
# end of the server log too (a crash in our C code shows up there).
run_db_step() {
    run_step "$@" || cluster_log_tail 40
}

# ---------------------------------------------------------------- build
build_ok=1
echo "==== build (scripts/setup.sh)"
if ! bash scripts/setup.sh; then
    build_ok=0
    fail "build (scripts/setup.sh)"
fi

# ---------------------------------------------------------------- suites
# suite TARGET: one suite, as the Makefile has it.
suite() { make --no-print-directory PG_CONFIG="$PG_CONFIG" "$@"; }

# These need no server, so they still run when the extension failed to build.
run_step harness suite harness || true
run_step unit suite unit || true
run_step fuzz-tiers suite fuzz-tiers FUZZ_SECONDS="$FUZZ_SECONDS" || true
run_step fuzz-cnid suite fuzz-cnid FUZZ_SECONDS="$FUZZ_SECONDS" || true
run_step messages suite messages || true

# Out-of-tree builds (pg_buildext's way) give a complete library and install.
if [ "$build_ok" = 1 ]; then
    run_step out-of-tree suite out-of-tree || true
else
    skip out-of-tree "the in-tree build failed"
fi

# The suites against our throwaway cluster, in this order, then those that
# make clusters of their own (a primary and its standby; one per collation),
# after ours is gone (pg-upgrade: two clusters, the old one upgraded into
# the new one by pg_upgrade).
server_suites=(regress isolation pgtap fixture security svg live sqlsmith load dump-restore upgrade clients docs encodings)
own_cluster_suites=(standby logical collations aging pg-upgrade)
cluster_up=0
if [ "$build_ok" = 1 ]; then
    cluster_cleanup_on_exit
    echo
    echo "==== start throwaway cluster"
    if cluster_start; then
        cluster_up=1
    else
        fail "cluster start"
    fi
fi

if [ "$cluster_up" = 0 ]; then
    for s in "${server_suites[@]}" "${own_cluster_suites[@]}"; do
        skip "$s" "no server (build or cluster start failed)"
    done
else
    for s in "${server_suites[@]}"; do
        run_db_step "$s" suite "$s" || true
    done
    echo
    echo "==== stop throwaway cluster"
    cluster_stop
    for s in "${own_cluster_suites[@]}"; do
        run_step "$s" suite "$s" || true
    done
fi

# ---------------------------------------------------------------- package
# The Debian package (debian/, pg_buildext), its installcheck included; last,
# since in scripts/pg17.sh's root it installs the package and purges it again
# (which removes what `make install` put there).
if [ "$build_ok" = 1 ] && [ "$(id -u)" = 0 ]; then
    run_step package suite package || true
else
    skip package "needs root and a successful build"
fi

# ---------------------------------------------------------------- PostgreSQL 17
# The whole command again inside a Debian 13 root with PostgreSQL 17
# (scripts/pg17.sh); each of its suites is reported here as "pg17: NAME".
# BANGFU_PG17=0 skips it (and is what the inner run is given).
pg17() {
    local log rc line
    log=$(mktemp /tmp/bangfu-pg17.XXXXXX)
    echo
    echo "==== pg17 (scripts/pg17.sh, inner output prefixed [pg17])"
    set +e
    bash scripts/pg17.sh test 2>&1 | tee "$log" | sed -u 's/^/[pg17] /'
    rc=${PIPESTATUS[0]}
    set -e
    while IFS= read -r line; do
        case "$line" in
        "PASS  "*) pass "pg17: ${line#PASS  }" ;;
        "FAIL  "*) fail "pg17: ${line#FAIL  }" ;;
        "SKIP  "*) report+=("SKIP  pg17: ${line#SKIP  }") ;;
        esac
    done < <(sed -n '/^==== summary$/,$p' "$log")
    # Nothing failed inside, yet the run did: the root or the copy failed.
    if [ "$rc" != 0 ] && ! grep -q '^FAIL  ' <(sed -n '/^==== summary$/,$p' "$log"); then
        fail "pg17: scripts/pg17.sh (exit $rc)"
    fi
    rm -f "$log"
}
if [ "${BANGFU_PG17:-1}" = 0 ]; then
    :
elif [ "$(id -u)" != 0 ]; then
    skip pg17 "needs root (debootstrap, chroot)"
else
    pg17
fi

# ---------------------------------------------------------------- summary
echo
echo "==== summary"
for line in "${report[@]}"; do
    echo "$line"
done
# The closing line CI reads: exactly "N passed, N failed", alone on its line.
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
