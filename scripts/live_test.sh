#!/usr/bin/env bash
#
# scripts/live_test.sh: the DBA's read-only conformance file
# (test/live/conformance.sql, issue 13) against a populated database that is
# not a fresh install: it must pass on a register settled by its triggers,
# still pass after a committed retroactive policy change (reported as owed),
# and fail on a single hand-edited amount.  The database uses an ICU Turkish
# collation (dotted and dotless i sort and case differently), so nothing in
# the check may depend on the collation.  Needs the cluster's libpq variables.
set -euo pipefail
cd "$(dirname "$0")/.."

db=bangfu_live
out=$(mktemp)
trap 'rm -f "$out"' EXIT
q() { psql -X -q -v ON_ERROR_STOP=1 -d "$db" "$@"; }

dropdb --if-exists "$db"
createdb --template=template0 --locale-provider=icu --icu-locale=tr-TR --locale=C.UTF-8 --encoding=UTF8 "$db"
q -c 'CREATE EXTENSION pgtap' -c 'SET client_min_messages = warning' -c 'CREATE EXTENSION bangfu_register CASCADE'
q <<'SQL'
INSERT INTO bangfu_register.county_year (year, urban_households) VALUES (2026, 20000);
INSERT INTO bangfu_register.household (id, head, lost_capacity) VALUES
    (1, '110105198001010016', true), (2, '110105198001010024', true), (3, '110105198001010032', true);
INSERT INTO bangfu_register.member (household_id, id, name, relation)
SELECT id, head, 'İlk', '户主' FROM bangfu_register.household;
INSERT INTO bangfu_register.medical_stay (person, discharged, cost) VALUES
    ('110105198001010016', '2026-02-01', 60000), ('110105198001010016', '2026-03-01', 60000),
    ('110105198001010024', '2026-04-01', 7000.01), ('110105198001010032', '2026-05-01', 25000);
INSERT INTO bangfu_register.relief_grant (household_id, reason, amount, granted_on) VALUES
    (1, 'disability_chronic', 1500.01, '2026-03-01'), (2, 'education', 1999.99, '2026-07-01');
SQL

echo "live_test: a register settled by its triggers"
pg_prove -d "$db" test/live/conformance.sql

echo "live_test: after a retroactive policy change (四(1) yearly cap 25,000 from 2026-01-01)"
q -c "INSERT INTO bangfu.policy (param, valid_from, amount, backdate_ack) VALUES ('medical.charity_bed.yearly_cap', '2026-01-01', 25000, 'live test: reaches back (十二)')"
pg_prove -v -d "$db" test/live/conformance.sql | tee "$out"
grep -q 'retroactive policy changes: 2 amounts owed (5000.00 yuan), 0 overpaid' "$out" || {
    echo "live_test: the retroactive change was not reported as 5,000 owed" >&2
    exit 1
}

echo "live_test: one hand-edited amount (the owner disables the triggers)"
q -c 'ALTER TABLE bangfu_register.medical_stay DISABLE TRIGGER USER' \
  -c "UPDATE bangfu_register.medical_stay SET reduction = reduction - 0.01, patient_pays = patient_pays + 0.01
       WHERE person::text = '110105198001010024'" \
  -c 'ALTER TABLE bangfu_register.medical_stay ENABLE TRIGGER USER'
if pg_prove -d "$db" test/live/conformance.sql > "$out" 2>&1; then
    cat "$out"
    echo "live_test: the conformance check passed a hand-edited reduction" >&2
    exit 1
fi
grep -q "(medical_stay,[0-9]*,reduction,1049.99,1050.00," "$out" || { cat "$out"; echo "live_test: the edited stay is not named" >&2; exit 1; }
echo "live_test: the hand edit fails the check, naming the stay"
dropdb "$db"
