#!/usr/bin/env bash
#
# scripts/live_test.sh: the DBA's read-only conformance file
# (test/live/conformance.sql, issue 13) against a populated database that is
# not a fresh install (rows of every clause the register keeps: 四, 二, 五,
# 八(1), 十): it must pass on a register settled by its triggers,
# still pass after a committed retroactive policy change (reported as owed),
# and fail on a single hand-edited amount (a 四 stay, then a 八(1) month).  The database uses an ICU Turkish
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
# 五, 八(1) and 十 (issue 14) as 人社 books them, through the register's
# triggers: the person of household 1 works flexibly and pays pension
# contributions (two subsidised); the one of household 2 is hired by an
# employer (three months of employer subsidy) and registers a business
# (fee waiver), as does the one of household 3.  人社 does not read the
# members: it names the person of a certificate or contribution by number
# and name (person_name, 二要素; doc/security.md).
q <<'SQL'
SET ROLE bangfu_hrss;
INSERT INTO bangfu_register.employment_certificate (person, person_name, number, issued_on, flexible)
VALUES ('110105198001010016', 'İlk', 'JY-İ1', '2026-01-01', '[2026-01-01,2026-12-31]');
INSERT INTO bangfu_register.pension_contribution (person, person_name, paid_on, months, amount) VALUES
    ('110105198001010016', 'İlk', '2026-02-01', 12, 3000.00), ('110105198001010016', 'İlk', '2026-03-01', 30, 1000.00);
INSERT INTO bangfu_register.pension_subsidy (contribution_id, paid_on)
SELECT c.id, c.paid_on + 9 FROM bangfu_register.pension_contribution c ORDER BY c.id;
INSERT INTO bangfu_register.employer (name) VALUES ('Işık 物业公司');
INSERT INTO bangfu_register.hire (employer_id, person, hired_on)
SELECT e.id, '110105198001010024', '2026-03-01' FROM bangfu_register.employer e;
INSERT INTO bangfu_register.employer_subsidy (hire_id, month, pension, injury, unemployment)
SELECT h.id, m.month, m.pension, 100, 200
  FROM bangfu_register.hire h,
       (VALUES ('2026-03-01'::date, 1000.00), ('2026-04-01', 1000.01), ('2026-05-01', 1200.00)) m(month, pension);
INSERT INTO bangfu_register.fee_waiver (person, business, registered_on, charges) VALUES
    ('110105198001010024', 'İnci 小吃店', '2026-03-01', 300.01), ('110105198001010032', 'ılık 茶铺', '2026-06-01', 120.00);
SQL
q -At -c "SELECT 'live_test: rows: ' || string_agg(t || ' ' || n, ', ' ORDER BY t COLLATE \"C\") FROM (
            SELECT 'medical_stay' t, count(*) n FROM bangfu_register.medical_stay UNION ALL
            SELECT 'relief_grant', count(*) FROM bangfu_register.relief_grant UNION ALL
            SELECT 'pension_subsidy', count(*) FROM bangfu_register.pension_subsidy UNION ALL
            SELECT 'employer_subsidy', count(*) FROM bangfu_register.employer_subsidy UNION ALL
            SELECT 'fee_waiver', count(*) FROM bangfu_register.fee_waiver) x"

echo "live_test: a register settled by its triggers"
pg_prove -d "$db" test/live/conformance.sql

echo "live_test: after a retroactive policy change (四(1) yearly cap 25,000 from 2026-01-01)"
q -c "INSERT INTO bangfu.policy (param, valid_from, amount, backdate_ack) VALUES ('medical.charity_bed.yearly_cap', '2026-01-01', 25000, 'live test: reaches back (十二)')"
pg_prove -v -d "$db" test/live/conformance.sql | tee "$out"
grep -q 'retroactive policy changes: 2 amounts owed (5000.00 yuan), 0 overpaid' "$out" || {
    echo "live_test: the retroactive change was not reported as 5,000 owed" >&2
    exit 1
}

echo "live_test: 卫生 pays back what the change made owed (四(1) 5,000, medical_backpay): still conformant"
q -c 'SET ROLE bangfu_health' \
  -c "INSERT INTO bangfu_register.medical_backpay (person, for_date, reduction, booked_on, note)
      SELECT '110105198001010016', '2026-12-31', o.reduction, '2026-12-31', 'live test: 补发'
        FROM bangfu_register.medical_backpay_owed('110105198001010016', 2026) o"
test "$(q -At -c "SELECT sum(reduction) FROM bangfu_register.medical_backpay")" = 5000.00 || {
    echo "live_test: the back-payment is not the 5,000 owed" >&2
    exit 1
}
pg_prove -d "$db" test/live/conformance.sql

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

echo "live_test: one hand-edited 八(1) amount (the stay's edit taken back first)"
q -c 'ALTER TABLE bangfu_register.medical_stay DISABLE TRIGGER USER' \
  -c "UPDATE bangfu_register.medical_stay SET reduction = reduction + 0.01, patient_pays = patient_pays - 0.01
       WHERE person::text = '110105198001010024'" \
  -c 'ALTER TABLE bangfu_register.medical_stay ENABLE TRIGGER USER'
pg_prove -d "$db" test/live/conformance.sql
q -c 'ALTER TABLE bangfu_register.employer_subsidy DISABLE TRIGGER USER' \
  -c "UPDATE bangfu_register.employer_subsidy SET amount = amount + 0.01 WHERE month = '2026-05-01'" \
  -c 'ALTER TABLE bangfu_register.employer_subsidy ENABLE TRIGGER USER'
if pg_prove -d "$db" test/live/conformance.sql > "$out" 2>&1; then
    cat "$out"
    echo "live_test: the conformance check passed a hand-edited employer subsidy" >&2
    exit 1
fi
grep -q "(employer_subsidy,[0-9]*,amount,[0-9.]*,[0-9.]*," "$out" || { cat "$out"; echo "live_test: the edited employer subsidy is not named" >&2; exit 1; }
echo "live_test: the hand edit fails the check, naming the employer subsidy"
dropdb "$db"
