#!/usr/bin/env bash
# scripts/test_selftest.sh: the test command counts right (suite "harness").
#
# 1. scripts/test.sh's run_step must fail a suite whose middle command fails,
#    also when run_step is called from `|| true` (where bash ignores
#    errexit): the bug that once let security failures pass.
# 2. A suite whose script or files are missing fails, never passes or is
#    skipped (issue 11: renaming a suite used to leave CI green), and a part
#    of an install script listed in the Makefile but missing stops the build.
#    Shown on a copy of the tree, through test.sh's own run_step and suite:
#    every suite test.sh runs is a Makefile target; then, one at a time, a
#    suite's script, a unit test, a fuzzer, one pg_regress file or isolation
#    spec (its expected output left), every pg_regress file, a SQL part and
#    a register part are taken away, and each must fail.
# 3. No merge conflict marker is left in the tree.
set -euo pipefail
cd "$(dirname "$0")/.."
exec </dev/null
export PG_CONFIG=${PG_CONFIG:-/usr/lib/postgresql/15/bin/pg_config}

# Take run_step, suite and their helpers out of test.sh without running the suites.
eval "$(sed -n '/^pass() {/,/^skip() {/p; /^run_step() {/,/^}/p; /^suite() {/p' scripts/test.sh)"
declare -F run_step suite >/dev/null ||
    { echo "test_selftest.sh: run_step or suite not found in scripts/test.sh" >&2; exit 1; }
passed=0 failed=0 report=()
status=0
bad() { echo "test_selftest.sh: $*" >&2; status=1; }

# ---- 1. a failing middle command fails its suite
middle_fails() { false; true; }
all_pass() { true; true; }
run_step middle middle_fails >/dev/null || true
run_step good all_pass >/dev/null || true
if [ "$failed" = 1 ] && [ "$passed" = 1 ]; then
    echo "test_selftest.sh: run_step fails a suite whose middle command fails"
else
    bad "run_step counted $passed passed, $failed failed; want 1 and 1"
fi

# ---- 2. missing suites and parts fail
here=$PWD
work=$(mktemp -d /tmp/bangfu-selftest.XXXXXX)
trap 'rm -rf -- "$work"' EXIT
# What make reads (no build products: they would not change the outcome,
# but keep the copy small).
tar -C "$here" --exclude='*.o' --exclude='*.so' --exclude='*.bc' --exclude='test/unit/corpus_*' \
    --exclude=test/unit/run_unit --exclude=test/unit/cnid_unit \
    --exclude=test/unit/fuzz_tiers --exclude=test/unit/fuzz_cnid \
    -cf - Makefile ./*.control src sql expected test scripts po | tar -C "$work" -xf -
cd "$work"

# expect_fail WHAT NAME COMMAND...: run_step must count NAME as a failure.
expect_fail() {
    local what=$1 name=$2 f0=$failed p0=$passed
    shift 2
    run_step "$name" "$@" >"$work/out" 2>&1 || true
    if [ "$failed" = $((f0 + 1)) ] && [ "$passed" = "$p0" ]; then
        echo "test_selftest.sh: $what: suite $name fails ($(grep -m1 -o 'No such file.*\|No rule.*\|\*\*\* .*' "$work/out" || echo "exit non-zero"))"
    else
        bad "$what: suite $name was not counted as a failure"
        cat "$work/out" >&2
    fi
}

# Every suite that test.sh runs is a target the Makefile has (make -n: no
# suite runs here), as is the whole build: the positive controls.
mapfile -t suites < <(sed -n 's/^[[:space:]]*run_step [a-z0-9-]* suite \([a-z0-9-]*\).*/\1/p; s/^\(server\|own_cluster\)_suites=(\(.*\))$/\2/p' \
    "$here/scripts/test.sh" | tr ' ' '\n' | grep . | sort -u)
[ ${#suites[@]} -ge 20 ] || bad "found only ${#suites[@]} suites in scripts/test.sh: ${suites[*]}"
for s in "${suites[@]}"; do
    make -n --no-print-directory "$s" >/dev/null 2>"$work/err" ||
        { bad "make -n $s: $(cat "$work/err")"; }
done
make -n --no-print-directory all >/dev/null 2>"$work/err" || bad "make -n all in the intact copy: $(cat "$work/err")"
# test.sh skips a suite only for what the machine lacks (a build, a server,
# root), never because a file is missing.
if grep -n '^[[:space:]]*skip ' "$here/scripts/test.sh" | grep -v 'build\|server\|root' >"$work/skips"; then
    bad "scripts/test.sh skips a suite for another reason: $(cat "$work/skips")"
fi
[ "$status" = 0 ] && echo "test_selftest.sh: all ${#suites[@]} suites of test.sh are make targets; the intact copy builds (make -n)"

# A suite's script renamed away: the suite runs it and fails.
mv scripts/load.sh "$work/gone"
expect_fail "scripts/load.sh missing" load suite load
mv "$work/gone" scripts/load.sh

# A unit test or a fuzzer gone, even with its binary left from an earlier
# build: the suite says so and fails.
touch test/unit/cnid_unit test/unit/fuzz_cnid
mv test/unit/cnid_unit.c "$work/gone"
expect_fail "test/unit/cnid_unit.c missing" unit suite -n unit
mv "$work/gone" test/unit/cnid_unit.c
mv test/unit/fuzz_cnid.c "$work/gone"
expect_fail "test/unit/fuzz_cnid.c missing" fuzz-cnid suite -n fuzz-cnid
mv "$work/gone" test/unit/fuzz_cnid.c

# One pg_regress file or isolation spec gone, its expected output left:
# the suite fails instead of running one test fewer.
mv sql/cnid.sql "$work/gone"
expect_fail "sql/cnid.sql missing (expected/cnid.out there)" regress suite -n regress
mv "$work/gone" sql/cnid.sql
mv test/isolation/specs/limit_relief_once.spec "$work/gone"
expect_fail "limit_relief_once.spec missing (its expected output there)" isolation suite -n isolation
mv "$work/gone" test/isolation/specs/limit_relief_once.spec

# No pg_regress file left: regress has nothing to run and fails.
mkdir "$work/gone_sql" && mv sql/*.sql "$work/gone_sql/"
expect_fail "sql/*.sql missing" regress suite -n regress
mv "$work/gone_sql"/*.sql sql/

# A part of bangfu's install script, and one of the register's, gone: the
# build stops and names it.
for part in "$(sed -n 's/^SQL_PARTS *= *\([^ ]*\).*/\1/p' Makefile)" src/verify.sql; do
    mv "$part" "$work/gone"
    if make -n --no-print-directory all >/dev/null 2>"$work/err"; then
        bad "the build goes on without $part"
    elif grep -q "$part is listed in the Makefile but does not exist" "$work/err"; then
        echo "test_selftest.sh: $part missing: the build stops ($(head -n 1 "$work/err"))"
    else
        bad "the build stops without $part, but does not name it: $(cat "$work/err")"
    fi
    mv "$work/gone" "$part"
done

# ---- 3. no merge left half done: a conflict marker in a script or a
# source would make some suites fail far from its cause (the update script
# once did)
markers=$(cd "$here" && grep -rlE '^(<<<<<<<|>>>>>>>)( |$)' Makefile ./*.control ./*.md src sql expected test scripts po doc debian 2>/dev/null || true)
[ -z "$markers" ] || bad "merge conflict markers in: $markers"

exit "$status"
