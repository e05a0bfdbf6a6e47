#!/usr/bin/env bash
#
# scripts/security_test.sh: the attacks a hostile clerk or a careless DBA
# would try (issue 8), from test/security/.  `make security` runs it.
#
#   bash scripts/security_test.sh                 # every attack file
#   bash scripts/security_test.sh test/security/access_install.sh   # some
#
# Every test/security/*.sql is a pgTAP file (BEGIN; plan(N); ...; ROLLBACK;)
# run as superuser in a fresh database bangfu_sec holding pgtap, bangfu and
# the register, which becomes the attacker with SET ROLE; every
# test/security/*.sh is a script for attacks that need their own database or
# cluster-level steps, run with the libpq variables (PGHOST, PGPORT, PGUSER: a
# superuser) set, and exits non-zero when an attack works.  Every file runs;
# any failure, and a run with no attack file at all, fails.
set -euo pipefail
cd "$(dirname "$0")/.."
exec </dev/null

if [ $# -gt 0 ]; then
    files=("$@")
else
    files=()
    for f in test/security/*.sql test/security/*.sh; do
        [ -e "$f" ] && files+=("$f")
    done
fi
if [ ${#files[@]} = 0 ]; then
    echo "security_test.sh: no attack file (test/security/*.sql, *.sh)" >&2
    exit 1
fi
tap=() scripts=()
for f in "${files[@]}"; do
    case "$f" in
    *.sql) tap+=("$f") ;;
    *.sh) scripts+=("$f") ;;
    *)
        echo "security_test.sh: $f is neither a pgTAP file (.sql) nor an attack script (.sh)" >&2
        exit 1
        ;;
    esac
done

rc=0
# Made also when only scripts run: the register's install leaves its
# cluster-wide roles behind, which some attack scripts expect.
dropdb --if-exists bangfu_sec
createdb bangfu_sec
# the rules and the ready register (its own extension since issue 9)
psql -X -q -v ON_ERROR_STOP=1 -d bangfu_sec \
    -c 'CREATE EXTENSION pgtap' -c 'CREATE EXTENSION bangfu_register CASCADE'
if [ ${#tap[@]} -gt 0 ]; then
    pg_prove --failures -d bangfu_sec "${tap[@]}" || rc=1
fi
for f in "${scripts[@]}"; do
    echo "-- $f"
    bash "$f" || rc=1
done
exit "$rc"
