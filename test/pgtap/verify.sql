-- pgTAP: bangfu_register.verify, the live conformance check (issue 13).
-- Run with pg_prove in a database with CREATE EXTENSION pgtap and bangfu;
-- the register is created here and rolled back.  Runs as superuser: the
-- hand edit below disables the register's triggers, as an attacker with the
-- owner's rights (or a careless DBA) would.
BEGIN;
SET LOCAL client_min_messages = warning;
CREATE EXTENSION bangfu_register;
RESET client_min_messages;
SELECT plan(18);

SELECT has_function('bangfu_register', 'verify', ARRAY['date', 'date'], 'bangfu_register.verify(from_date, to_date)');
SELECT volatility_is('bangfu_register', 'verify', ARRAY['date', 'date'], 'stable', 'verify is STABLE: it writes nothing');
SELECT function_privs_are('bangfu_register', 'verify', ARRAY['date', 'date'], 'bangfu_policy_admin', ARRAY['EXECUTE'],
                          'the leading group office runs the check');
SELECT function_privs_are('bangfu_register', 'verify', ARRAY['date', 'date'], 'public', ARRAY[]::text[],
                          'the public does not (it reads every stay)');

-- A small county: households 1-3, member = head.
INSERT INTO bangfu_register.county_year (year, urban_households) VALUES (2026, 20000);
INSERT INTO bangfu_register.household (id, head, lost_capacity) VALUES
    (1, '110105198001010016', true), (2, '110105198001010024', true), (3, '110105198001010032', true);
INSERT INTO bangfu_register.member (household_id, id, name, relation)
SELECT id, head, 'head', '户主' FROM bangfu_register.household;
-- 四: two stays of 60,000 (the second cut by the yearly caps of 四(1) and
-- 四(2)), and small ones; entered with explicit ids in date order.
INSERT INTO bangfu_register.medical_stay (id, person, discharged, cost) VALUES
    (1, '110105198001010016', '2026-02-01', 60000), (2, '110105198001010016', '2026-03-01', 60000),
    (3, '110105198001010024', '2026-04-01', 7000.01), (4, '110105198001010032', '2026-05-01', 25000);
-- 二: grants with odd fen, split into two installments
INSERT INTO bangfu_register.relief_grant (id, household_id, reason, amount, granted_on) VALUES
    (1, 1, 'disability_chronic', 1500.01, '2026-03-01'), (2, 2, 'education', 1999.99, '2026-07-01');

SELECT is_empty($$SELECT * FROM bangfu_register.verify()$$, 'a register settled by its triggers conforms');
SET LOCAL ROLE bangfu_policy_admin;
SELECT is_empty($$SELECT * FROM bangfu_register.verify()$$, 'the leading group office can run it with its own rights');
RESET ROLE;
SET LOCAL ROLE bangfu_health;
SELECT throws_ok($$SELECT * FROM bangfu_register.verify()$$, '42501', NULL, 'a department cannot');
RESET ROLE;
SELECT is_empty($$SELECT * FROM bangfu_register.verify('2026-03-01', '2026-03-01')$$,
                'one day: stay 2 is derived after stay 1 of its person-year, which lies outside the range');

-- A hand-edited amount: the superuser disables the triggers and moves 100
-- yuan of stay 3 from the reduction to the patient.  verify lists exactly it.
-- (Each edit is undone by hand: pgTAP's results would not survive ROLLBACK TO.)
ALTER TABLE bangfu_register.medical_stay DISABLE TRIGGER USER;
UPDATE bangfu_register.medical_stay SET reduction = reduction - 100, patient_pays = patient_pays + 100 WHERE id = 3;
ALTER TABLE bangfu_register.medical_stay ENABLE TRIGGER USER;
SELECT results_eq($$SELECT tab, row_id, field, stored, expected, kind FROM bangfu_register.verify()$$,
                  $$VALUES ('medical_stay', 3::bigint, 'reduction', 950.00, 1050.00, 'differs'),
                           ('medical_stay', 3::bigint, 'patient_pays', 2480.00, 2380.00, 'differs')$$,
                  '四(1) a hand-edited reduction of stay 3 is found, and nothing else (15% of 7000.01 = 1050.00; 四(2) relieves part of the rest)');
ALTER TABLE bangfu_register.medical_stay DISABLE TRIGGER USER;
UPDATE bangfu_register.medical_stay SET reduction = reduction + 100, patient_pays = patient_pays - 100 WHERE id = 3;
ALTER TABLE bangfu_register.medical_stay ENABLE TRIGGER USER;

-- A hand-edited installment of a grant.
ALTER TABLE bangfu_register.relief_grant DISABLE TRIGGER USER;
UPDATE bangfu_register.relief_grant SET first_half = 750.00, second_half = 750.01 WHERE id = 1;
ALTER TABLE bangfu_register.relief_grant ENABLE TRIGGER USER;
SELECT results_eq($$SELECT tab, row_id, field, stored, expected, kind FROM bangfu_register.verify()$$,
                  $$VALUES ('relief_grant', 1::bigint, 'first_half', 750.00, 750.01, 'differs'),
                           ('relief_grant', 1::bigint, 'second_half', 750.01, 750.00, 'differs')$$,
                  '二 a swapped installment of grant 1 is found');
ALTER TABLE bangfu_register.relief_grant DISABLE TRIGGER USER;
UPDATE bangfu_register.relief_grant SET first_half = 750.01, second_half = 750.00 WHERE id = 1;
ALTER TABLE bangfu_register.relief_grant ENABLE TRIGGER USER;
SELECT is_empty($$SELECT * FROM bangfu_register.verify()$$, 'undone by hand, the register conforms again');

SELECT throws_ok($$SELECT * FROM bangfu_register.verify('2026-12-31', '2026-01-01')$$, '22023',
                 'from_date 2026-12-31 is after to_date 2026-01-01', 'a range that ends before it starts is refused');

-- A legal policy change for the future leaves every stored amount right.
INSERT INTO bangfu.policy (param, valid_from, amount, recorded_at)
VALUES ('medical.charity_bed.yearly_cap', '2027-01-01', 25000, now() + interval '1 day');
SELECT is_empty($$SELECT * FROM bangfu_register.verify()$$, 'a policy version from 2027 on changes nothing stored for 2026');

-- A retroactive change, recorded after the stays (the next day): 四(1)'s
-- yearly cap raised to 25,000 from 1 January 2026.  Stay 2 got 5,000 of
-- reduction, capped at 20,000 for the year; it is now owed 5,000 more.
-- Reported as owed, not as corruption.
INSERT INTO bangfu.policy (param, valid_from, amount, recorded_at, backdate_ack)
VALUES ('medical.charity_bed.yearly_cap', '2026-01-01', 25000, now() + interval '1 day', 'test: reaches back (十二)');
SELECT results_eq($$SELECT tab, row_id, field, stored, expected, kind FROM bangfu_register.verify()$$,
                  $$VALUES ('medical_stay', 2::bigint, 'reduction', 5000.00, 10000.00, 'owed'),
                           ('medical_stay', 2::bigint, 'patient_pays', 55000.00, 50000.00, 'owed')$$,
                  '四(1) a retroactive cap of 25,000: stay 2 is owed 5,000');
SELECT is_empty($$SELECT * FROM bangfu_register.verify('2026-04-01', 'infinity')$$, 'the range selects the rows reported');
-- A hand edit in a person-year the retroactive change touches still differs:
-- stay 1 stored 15,000.00 both as recorded and now.
ALTER TABLE bangfu_register.medical_stay DISABLE TRIGGER USER;
UPDATE bangfu_register.medical_stay SET reduction = reduction + 0.01, patient_pays = patient_pays - 0.01 WHERE id = 1;
ALTER TABLE bangfu_register.medical_stay ENABLE TRIGGER USER;
SELECT results_eq($$SELECT row_id, field, kind FROM bangfu_register.verify()$$,
                  $$VALUES (1::bigint, 'reduction', 'differs'), (1, 'patient_pays', 'differs'),
                           (2, 'reduction', 'owed'), (2, 'patient_pays', 'owed')$$,
                  'a hand edit is not taken for arrears of the retroactive change');
ALTER TABLE bangfu_register.medical_stay DISABLE TRIGGER USER;
UPDATE bangfu_register.medical_stay SET reduction = reduction - 0.01, patient_pays = patient_pays + 0.01 WHERE id = 1;
ALTER TABLE bangfu_register.medical_stay ENABLE TRIGGER USER;
-- The same edit as a retroactive lowering of the 二 education band: grant 2
-- is now above its band, and was overpaid.
INSERT INTO bangfu.policy (param, valid_from, band, recorded_at, backdate_ack)
VALUES ('relief.band.education', '2026-01-01', '[1000,1800]', now() + interval '1 day', 'test: reaches back (十二)');
SELECT results_eq($$SELECT tab, row_id, field, stored, expected, kind FROM bangfu_register.verify('2026-06-01', '2026-12-31')$$,
                  $$VALUES ('relief_grant', 2::bigint, 'amount', 1999.99, 1800::numeric, 'overpaid')$$,
                  '二 a retroactive band [1000,1800]: grant 2 of 1,999.99 was overpaid');
-- ... while a band change recorded before a grant and ignored by it is not
-- retroactive: the grant differs.
ALTER TABLE bangfu_register.relief_grant DISABLE TRIGGER USER;
UPDATE bangfu_register.relief_grant SET recorded_at = now() + interval '2 days' WHERE id = 2;
ALTER TABLE bangfu_register.relief_grant ENABLE TRIGGER USER;
SELECT is((SELECT kind FROM bangfu_register.verify('2026-06-01', '2026-12-31') WHERE row_id = 2), 'differs',
          '二 a grant outside the band in force when it was recorded differs');

SELECT * FROM finish();
ROLLBACK;
