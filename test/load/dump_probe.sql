-- test/load/dump_probe.sql: after a restore that loaded history unchecked,
-- new writes are checked again (the limits, the register's own checks,
-- foreign keys): one line per attempted write, with the SQLSTATE it got
-- (P0001 when accepted); each is rolled back.  scripts/dump_restore_test.sh
-- compares the lines of each restored database with the original's.
\set ON_ERROR_STOP 1
SET client_min_messages = warning;
CREATE FUNCTION pg_temp.probe(q text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE q;
    RAISE EXCEPTION 'accepted';
EXCEPTION WHEN OTHERS THEN
    RETURN SQLSTATE;
END $$;
SELECT 'probe ' || what || ' | ' || pg_temp.probe(q)
  FROM (VALUES
    ('county stay over the yearly cap', $q$INSERT INTO county.stay (person, amount, stay_date) VALUES ('b', 1, '2024-12-01')$q$),
    ('county stay within the cap', $q$INSERT INTO county.stay (person, amount, stay_date) VALUES ('z', 1, '2024-12-01')$q$),
    ('scenario value of no scenario', $q$INSERT INTO bangfu.scenario_value (scenario, param, amount) VALUES ('none', 'medical.charity_bed.yearly_cap', 1)$q$)
  ) p(what, q)
UNION ALL
SELECT 'probe ' || what || ' | ' || pg_temp.probe(q)
  FROM (VALUES
    ('second grant of a household in a year', $q$INSERT INTO bangfu_register.relief_grant (household_id, reason, amount, granted_on) SELECT household_id, 'education', 1000, '2025-12-01' FROM bangfu_register.relief_grant ORDER BY id LIMIT 1$q$),
    -- member 1 had 2 stays in 2025; the county's own limit on the register's table allows 3
    ('fourth stay of a person in a year, over the county''s limit on a register table',
     $q$INSERT INTO bangfu_register.medical_stay (person, discharged, cost)
        SELECT person, d, 10 FROM bangfu_register.medical_stay, (VALUES (date '2025-10-01'), ('2025-10-02')) v(d)
         WHERE discharged = '2025-02-20'$q$),
    ('member of no household', $q$INSERT INTO bangfu_register.member (household_id, id, name, relation) VALUES (-1, '11010519491231002X', 'x', '配偶')$q$),
    ('disbursement beyond the balance', $q$INSERT INTO bangfu_register.fund_entry (fund, program, amount) VALUES ('loan_guarantee', 'loan_guarantee', -200000.01)$q$),
    -- member 1 had 25,000 reduced in 2025; the cap of April is now 10,000
    ('a stay under the lowered cap is reduced by nothing (BF000)',
     $q$DO $d$ DECLARE x numeric; BEGIN
            INSERT INTO bangfu_register.medical_stay (person, discharged, cost)
            SELECT person, '2025-04-01', 1000 FROM bangfu_register.medical_stay WHERE discharged = '2025-02-20'
            RETURNING reduction INTO x;
            IF x = 0 THEN RAISE EXCEPTION 'reduced by nothing' USING ERRCODE = 'BF000'; END IF;
        END $d$$q$)
  ) p(what, q)
 WHERE to_regclass('bangfu_register.fund_balance') IS NOT NULL
 ORDER BY 1;
