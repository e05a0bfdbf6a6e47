#!/usr/bin/env bash
# scripts/test_selftest.sh: scripts/test.sh's run_step must fail a suite
# whose middle command fails, also when run_step is called from `|| true`
# (where bash ignores errexit): the bug that once let security failures pass.
set -euo pipefail
cd "$(dirname "$0")/.."
# Take run_step and its helpers out of test.sh without running the suites.
eval "$(sed -n '/^pass() {/,/^skip() {/p; /^run_step() {/,/^}/p' scripts/test.sh)"
passed=0 failed=0 report=()
middle_fails() { false; true; }
all_pass() { true; true; }
run_step middle middle_fails >/dev/null || true
run_step good all_pass >/dev/null || true
if [ "$failed" = 1 ] && [ "$passed" = 1 ]; then
    echo "test_selftest.sh: run_step fails a suite whose middle command fails"
else
    echo "test_selftest.sh: run_step counted $passed passed, $failed failed; want 1 and 1" >&2
    exit 1
fi
