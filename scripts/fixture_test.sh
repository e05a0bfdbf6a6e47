#!/usr/bin/env bash
#
# scripts/fixture_test.sh: a rule added by following CONTRIBUTING.md
# "Adding a rule" works (issue 11).  The rule is made up and is a test
# fixture, never part of the extension: test/fixture/heating.c and
# heating.sql, built with bangfu's objects into the test-only module
# bangfu_fixture (test/fixture/Makefile), installed into the server under
# test, run in a scratch database (heating.sql with MODULE_PATHNAME set to
# that module), tested with pgTAP (test/fixture/heating_test.sql), then
# uninstalled.  Needs the cluster's libpq variables, PG_CONFIG, and bangfu
# built and installed.
set -euo pipefail
cd "$(dirname "$0")/.."

export PG_CONFIG=${PG_CONFIG:-/usr/lib/postgresql/15/bin/pg_config}
db=bangfu_fixture
make -s -C test/fixture PG_CONFIG="$PG_CONFIG"
make -s -C test/fixture PG_CONFIG="$PG_CONFIG" install
cleanup() {
    dropdb --if-exists "$db" || true
    make -s -C test/fixture PG_CONFIG="$PG_CONFIG" uninstall || true
    # not `make clean`: its OBJS are bangfu's own objects too
    rm -f test/fixture/heating.o test/fixture/bangfu_fixture.so
}
trap cleanup EXIT

dropdb --if-exists "$db"
createdb "$db"
psql -X -q -v ON_ERROR_STOP=1 -d "$db" \
    -c 'CREATE EXTENSION pgtap' -c 'CREATE EXTENSION bangfu' -c 'CREATE SCHEMA bangfu_fixture'
sed 's|MODULE_PATHNAME|$libdir/bangfu_fixture|g' test/fixture/heating.sql |
    psql -X -q -v ON_ERROR_STOP=1 -d "$db"
pg_prove --failures -d "$db" test/fixture/heating_test.sql
