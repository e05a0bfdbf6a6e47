#!/usr/bin/env bash
#
# scripts/test.sh: build bangfu and run every test suite; what CI runs.
#
#   bash scripts/test.sh
#
# Suites, each counted once in the closing "N passed, N failed" line:
#   unit        pure C tests of src/*_core.c (test/unit/run_unit.c), ASan+UBSan
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
#   security    test/security/: pgTAP attack files and attack scripts
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
#   collations  scripts/collation_test.sh (regress and pgTAP again on
#               clusters made with zh_CN.UTF-8 and an ICU zh collation)
#   pg17: ...   all of the above again against PostgreSQL 17, in a Debian 13
#               root (scripts/pg17.sh); BANGFU_PG17=0 leaves it out
# A suite whose files do not exist yet is skipped with a notice. A failed
# build counts as a failure (a successful build is not counted as a test).
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

# Print a diff file if it exists, capped so a wholesale mismatch cannot bury
# the rest of the run.
show_file() {
    if [ -s "$1" ]; then
        echo "---- $1 ----"
        head -n 1000 "$1"
        echo "---- end of $1 ----"
    fi
}

have() { compgen -G "$1" >/dev/null; }

# ---------------------------------------------------------------- build
build_ok=1
echo "==== build (scripts/setup.sh)"
if ! bash scripts/setup.sh; then
    build_ok=0
    fail "build (scripts/setup.sh)"
fi

# ---------------------------------------------------------------- C suites
# These need no server, so they still run when the extension failed to build.
unit() { make PG_CONFIG="$PG_CONFIG" unit; }

fuzz_tiers() { make PG_CONFIG="$PG_CONFIG" fuzz FUZZ_SECONDS="$FUZZ_SECONDS"; }

# The Makefile has a pattern rule for test/unit/fuzz_%, but only a `fuzz`
# target for tiers, so the cnid fuzzer is built and run from here.
fuzz_cnid() {
    local args=()
    make PG_CONFIG="$PG_CONFIG" test/unit/fuzz_cnid
    mkdir -p test/unit/corpus_cnid
    [ -f test/unit/cnid.dict ] && args+=("-dict=test/unit/cnid.dict")
    args+=(test/unit/corpus_cnid)
    [ -d test/unit/seeds_cnid ] && args+=(test/unit/seeds_cnid)
    test/unit/fuzz_cnid -max_total_time="$FUZZ_SECONDS" "${args[@]}"
}

run_step harness bash scripts/test_selftest.sh || true
if [ -f test/unit/run_unit.c ]; then
    run_step unit unit || true
else
    skip unit "test/unit/run_unit.c does not exist yet"
fi
if [ -f test/unit/fuzz_tiers.c ]; then
    run_step fuzz-tiers fuzz_tiers || true
else
    skip fuzz-tiers "test/unit/fuzz_tiers.c does not exist yet"
fi
if [ -f test/unit/fuzz_cnid.c ]; then
    run_step fuzz-cnid fuzz_cnid || true
else
    skip fuzz-cnid "test/unit/fuzz_cnid.c does not exist yet"
fi
if [ -f scripts/po_check.sh ]; then
    run_step messages bash scripts/po_check.sh || true
else
    skip messages "scripts/po_check.sh does not exist yet"
fi

# Out-of-tree builds (pg_buildext's way) give a complete library and install.
if [ "$build_ok" = 1 ]; then
    run_step out-of-tree bash scripts/outoftree.sh || true
else
    skip out-of-tree "the in-tree build failed"
fi

# ---------------------------------------------------------------- server suites
# PGXS's installcheck runs REGRESS and then ISOLATION in one go, stopping at
# the first failure. Emptying one of the two on the command line runs them as
# separate suites, so a regress failure cannot hide the isolation result.
regress() {
    rm -rf results regression.diffs regression.out
    make PG_CONFIG="$PG_CONFIG" installcheck ISOLATION= || {
        show_file regression.diffs
        return 1
    }
}

isolation() {
    rm -rf output_iso
    make PG_CONFIG="$PG_CONFIG" installcheck REGRESS= || {
        show_file output_iso/regression.diffs
        return 1
    }
}

# The pgTAP files each run BEGIN; plan(N); ...; ROLLBACK; against a database
# that already has pgtap and bangfu (the rules alone: a file that needs the
# register creates extension bangfu_register inside its transaction).
pgtap() {
    dropdb --if-exists bangfu_tap
    createdb bangfu_tap
    psql -X -q -v ON_ERROR_STOP=1 -d bangfu_tap \
        -c 'CREATE EXTENSION pgtap' -c 'CREATE EXTENSION bangfu CASCADE'
    pg_prove --failures -d bangfu_tap test/pgtap/*.sql
}

load() { bash scripts/load.sh; }

dump_restore() { bash scripts/dump_restore_test.sh; }

upgrade() { bash scripts/upgrade_test.sh; }

clients() { bash scripts/clients_test.sh; }

docs() { bash scripts/doc_test.sh; }

sqlsmith_suite() { bash scripts/sqlsmith.sh; }

# bangfu.tiers_svg renders to a non-blank PNG (issue 13).
svg() { bash scripts/svg_test.sh; }

# A rule added by the checklist runs on the rule runtime (issue 11).
fixture() { bash scripts/fixture_test.sh; }

# The DBA's read-only conformance file on a populated register (issue 13).
live() { bash scripts/live_test.sh; }

encodings() { bash scripts/encoding_test.sh; }

collations() { bash scripts/collation_test.sh; }

standby() { bash scripts/standby_test.sh; }

# Attacks a hostile clerk or a careless DBA would try (issue 8): every
# test/security/*.sql is a pgTAP file (BEGIN; plan(N); ...; ROLLBACK;) run as
# superuser in a fresh database holding pgtap and bangfu, which becomes the
# attacker with SET ROLE; every test/security/*.sh is a script for attacks
# that need their own database or cluster-level steps, run with the
# cluster's libpq variables set, and must exit non-zero when an attack works.
security() {
    # Every file runs, and any failure fails the suite (run_step is called
    # under "|| true", where errexit does not stop at a failed command).
    local f rc=0
    dropdb --if-exists bangfu_sec
    createdb bangfu_sec
    # the rules and the ready register (its own extension since issue 9)
    psql -X -q -v ON_ERROR_STOP=1 -d bangfu_sec \
        -c 'CREATE EXTENSION pgtap' -c 'CREATE EXTENSION bangfu_register CASCADE' || return 1
    if have 'test/security/*.sql'; then
        pg_prove --failures -d bangfu_sec test/security/*.sql || rc=1
    fi
    for f in test/security/*.sh; do
        [ -e "$f" ] || continue
        echo "-- $f"
        bash "$f" || rc=1
    done
    return "$rc"
}

server_suites=(regress isolation pgtap fixture security svg live sqlsmith load dump-restore upgrade clients docs encodings standby collations)
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
    for s in "${server_suites[@]}"; do
        skip "$s" "no server (build or cluster start failed)"
    done
else
    if have 'sql/*.sql'; then
        run_db_step regress regress || true
    else
        skip regress "no sql/*.sql yet"
    fi
    if have 'test/isolation/specs/*.spec'; then
        run_db_step isolation isolation || true
    else
        skip isolation "no test/isolation/specs/*.spec yet"
    fi
    if have 'test/pgtap/*.sql'; then
        run_db_step pgtap pgtap || true
    else
        skip pgtap "no test/pgtap/*.sql yet"
    fi
    if [ -f scripts/fixture_test.sh ]; then
        run_db_step fixture fixture || true
    else
        fail "fixture (scripts/fixture_test.sh is missing)"
    fi
    if have 'test/security/*'; then
        run_db_step security security || true
    else
        skip security "no test/security/ yet"
    fi
    if [ -f scripts/svg_test.sh ]; then
        run_db_step svg svg || true
    else
        skip svg "scripts/svg_test.sh does not exist yet"
    fi
    if [ -f scripts/live_test.sh ]; then
        run_db_step live live || true
    else
        skip live "scripts/live_test.sh does not exist yet"
    fi
    if [ -f scripts/sqlsmith.sh ]; then
        run_db_step sqlsmith sqlsmith_suite || true
    else
        skip sqlsmith "scripts/sqlsmith.sh does not exist yet"
    fi
    if [ -f scripts/load.sh ]; then
        run_db_step load load || true
    else
        skip load "scripts/load.sh does not exist yet"
    fi
    if [ -f scripts/dump_restore_test.sh ]; then
        run_db_step dump-restore dump_restore || true
    else
        skip dump-restore "scripts/dump_restore_test.sh does not exist yet"
    fi
    if [ -f scripts/upgrade_test.sh ]; then
        run_db_step upgrade upgrade || true
    else
        skip upgrade "scripts/upgrade_test.sh does not exist yet"
    fi
    if [ -f scripts/clients_test.sh ]; then
        run_db_step clients clients || true
    else
        skip clients "scripts/clients_test.sh does not exist yet"
    fi
    if [ -f scripts/doc_test.sh ]; then
        run_db_step docs docs || true
    else
        skip docs "scripts/doc_test.sh does not exist yet"
    fi
    if [ -f scripts/encoding_test.sh ]; then
        run_db_step encodings encodings || true
    else
        skip encodings "scripts/encoding_test.sh does not exist yet"
    fi
    echo
    echo "==== stop throwaway cluster"
    cluster_stop
    # Clusters of their own (a primary and its standby; one per collation),
    # after ours is gone.
    if [ -f scripts/standby_test.sh ]; then
        run_step standby standby || true
    else
        skip standby "scripts/standby_test.sh does not exist yet"
    fi
    if [ -f scripts/collation_test.sh ]; then
        run_step collations collations || true
    else
        skip collations "scripts/collation_test.sh does not exist yet"
    fi
fi

# ---------------------------------------------------------------- package
# The Debian package (debian/, pg_buildext), its installcheck included; last,
# since in scripts/pg17.sh's root it installs the package and purges it again
# (which removes what `make install` put there).
if [ "$build_ok" = 1 ] && [ "$(id -u)" = 0 ]; then
    run_step package bash scripts/package.sh || true
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
