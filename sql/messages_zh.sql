-- Messages in the clerk's language (issue 10).  With lc_messages =
-- 'zh_CN.UTF-8' every refusal of bangfu reads in Chinese and names its clause
-- (二, 四(1) ...); with 'C' it stays English.  Messages come from the text
-- domain bangfu-<major> (po/zh_CN.po): those of C code through ereport, those
-- of PL/pgSQL through bangfu.raise_error (src/messages.c).
--
-- Errors are caught and their parts printed as rows, so the output does not
-- depend on whether the server's own catalog (postgres-<major>.mo, which
-- translates "ERROR:") is installed.
SET DateStyle = 'ISO, YMD';

CREATE FUNCTION pg_temp.say(q text, OUT state text, OUT message text, OUT detail text, OUT hint text)
LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE q;
    state := '00000';
EXCEPTION WHEN OTHERS THEN
    GET STACKED DIAGNOSTICS state = RETURNED_SQLSTATE, message = MESSAGE_TEXT,
                            detail = PG_EXCEPTION_DETAIL, hint = PG_EXCEPTION_HINT;
END
$$;

BEGIN;
-- Both extensions, for this file only (register.sql creates the register).
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS bangfu;
CREATE EXTENSION IF NOT EXISTS bangfu_register;
RESET client_min_messages;
-- A hospital's own table of charity-bed stays, guarded by the 四(1) cap
-- (20000 yuan a year) in reject mode.
CREATE SCHEMA hospital;
CREATE TABLE hospital.stays (
    id         integer PRIMARY KEY,
    patient_id bangfu.cnid NOT NULL,
    discharged date NOT NULL,
    reduction  numeric NOT NULL
);
SELECT bangfu.attach_limit('hospital.stays', 'charity_bed_yearly',
                           subject => '{patient_id}', amount => 'reduction',
                           on_date => 'discharged', mode => 'reject');
INSERT INTO hospital.stays VALUES (1, '11010519491231002X', '2026-03-01', 15000);

SET lc_messages = 'zh_CN.UTF-8';
\x on
-- C code: input of the types, the rules, the limit triggers
SELECT * FROM pg_temp.say($$SELECT '110105194912310021'::bangfu.cnid$$);
SELECT * FROM pg_temp.say($$SELECT '1101051949123100'::bangfu.cnid$$);
SELECT * FROM pg_temp.say($$SELECT '11010519490231002X'::bangfu.cnid$$);
SELECT * FROM pg_temp.say($$SELECT 'flat: [0, 100) 10%; [90, 200) 5%'::bangfu.tiers$$);
SELECT * FROM pg_temp.say($$SELECT 'flat: [0, 100) 10%, [100, 200) 5%'::bangfu.tiers$$);
SELECT * FROM pg_temp.say($$SELECT bangfu.medical_reduction(-1, '2026-03-01')$$);
SELECT * FROM pg_temp.say($$SELECT bangfu.medical_reduction(100.001, '2026-03-01')$$);
SELECT * FROM pg_temp.say($$INSERT INTO hospital.stays VALUES (2, '11010519491231002X', '2026-06-01', 6000)$$);
SELECT * FROM pg_temp.say($$TRUNCATE hospital.stays$$);
-- PL/pgSQL, through bangfu.raise_error
SELECT * FROM pg_temp.say($$SELECT bangfu.attach_limit('hospital.stays', 'no_such_limit', '{patient_id}')$$);
SELECT * FROM pg_temp.say($$DELETE FROM bangfu.policy WHERE param = 'medical.charity_bed.yearly_cap'$$);
SELECT * FROM pg_temp.say($$INSERT INTO bangfu_register.county_year (year, urban_households) VALUES (2026, 1000);
                            INSERT INTO bangfu_register.household (id, head, urban, lost_capacity)
                            VALUES (900001, '11010519491231002X', false, true);
                            INSERT INTO bangfu_register.relief_grant (household_id, reason, amount, granted_on)
                            VALUES (900001, 'critical_illness', 3000, '2026-03-01')$$);
SELECT * FROM pg_temp.say($$UPDATE bangfu.limit_def SET clause = 'x' WHERE name = 'charity_bed_yearly'$$);
SELECT * FROM pg_temp.say($$SELECT bangfu.detach_limit('hospital.stays', 'serious_illness_yearly')$$);
SELECT * FROM pg_temp.say($$SELECT * FROM bangfu.scenario_compare('no_such_scenario')$$);
SELECT * FROM pg_temp.say($$UPDATE bangfu_register.fund_entry SET amount = 1 WHERE id = (SELECT min(id) FROM bangfu_register.fund_entry)$$);
SELECT * FROM pg_temp.say($$SELECT bangfu.raise_error('county_year_missing', 2027, 2027)$$);
SELECT * FROM pg_temp.say($$SELECT bangfu.raise_error('register_drop_with_data', bangfu.message_text('table_rows', 'bangfu_register.household', 3))$$);

-- The same refusals with lc_messages = 'C': English.
SET lc_messages = 'C';
SELECT * FROM pg_temp.say($$SELECT '110105194912310021'::bangfu.cnid$$);
SELECT * FROM pg_temp.say($$SELECT 'flat: [0, 100) 10%; [90, 200) 5%'::bangfu.tiers$$);
SELECT * FROM pg_temp.say($$SELECT bangfu.medical_reduction(100.001, '2026-03-01')$$);
SELECT * FROM pg_temp.say($$INSERT INTO hospital.stays VALUES (2, '11010519491231002X', '2026-06-01', 6000)$$);
SELECT * FROM pg_temp.say($$DELETE FROM bangfu.policy WHERE param = 'medical.charity_bed.yearly_cap'$$);
SELECT * FROM pg_temp.say($$SELECT bangfu.raise_error('county_year_missing', 2027, 2027)$$);
\x off

-- raise_error checks its own use: an unknown key, a fragment, a wrong count
-- of arguments are refused as bad arguments (22023): anyone may call it, so
-- none of them is an internal error.
SELECT state FROM pg_temp.say($$SELECT bangfu.raise_error('no_such_message')$$);
SELECT state FROM pg_temp.say($$SELECT bangfu.raise_error('no_program')$$);
SELECT state FROM pg_temp.say($$SELECT bangfu.raise_error('limit_unknown')$$);
SELECT state FROM pg_temp.say($$SELECT bangfu.raise_error('limit_unknown', 'a', 'b')$$);
-- arguments of any type, NULL printed as RAISE prints it, VARIADIC arrays
SELECT bangfu.message_text('table_rows', 'bangfu.policy'::regclass, 12::bigint),
       bangfu.message_text('table_rows', NULL::text, 0),
       bangfu.message_text('table_rows', VARIADIC ARRAY['a', 'b']),
       bangfu.message_text('no_program');
ROLLBACK;
