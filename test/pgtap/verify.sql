-- pgTAP: bangfu_register.verify, the live conformance check (issue 13).
-- Run with pg_prove in a database with CREATE EXTENSION pgtap and bangfu;
-- the register is created here and rolled back.  Runs as superuser: the
-- hand edit below disables the register's triggers, as an attacker with the
-- owner's rights (or a careless DBA) would.
BEGIN;
SET LOCAL client_min_messages = warning;
CREATE EXTENSION bangfu_register;
RESET client_min_messages;
SELECT plan(34);

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
-- Issue 14's amounts.  五: person 1 (a man) works flexibly in 2026 and pays
-- 3,000 for 12 months (subsidy 2,000.00), then 1,000 for 30 months of which
-- 24 are left of 36 (1,000 × 24/30 × 2/3 = 533.33).  八(1): person 2 (a
-- woman of 46) hired on 2026-03-01, two months (225.00, 225.00).  十: she
-- registers a business (300 charges waived in full); a handicraft workshop in
-- the eco-cultural park gets 5,000 of a 12,000 rent (at most 6,000).
INSERT INTO bangfu_register.employment_certificate (person, number, issued_on, flexible)
VALUES ('110105198001010016', 'JY-1', '2026-01-01', '[2026-01-01,2026-12-31]');
INSERT INTO bangfu_register.pension_contribution (id, person, paid_on, months, amount) VALUES
    (1, '110105198001010016', '2026-02-01', 12, 3000.00), (2, '110105198001010016', '2026-03-01', 30, 1000.00);
INSERT INTO bangfu_register.pension_subsidy (id, contribution_id, paid_on) VALUES (1, 1, '2026-02-10'), (2, 2, '2026-03-10');
INSERT INTO bangfu_register.employer (id, name) VALUES (1, '城东物业公司');
INSERT INTO bangfu_register.employer (id, name, kind, handicraft, eco_park) VALUES (2, '阿依刺绣坊', 'individual', true, true);
INSERT INTO bangfu_register.hire (id, employer_id, person, hired_on) VALUES (1, 1, '110105198001010024', '2026-03-01');
INSERT INTO bangfu_register.employer_subsidy (id, hire_id, month, pension, injury, unemployment) VALUES
    (1, 1, '2026-03-01', 1000, 100, 200), (2, 1, '2026-04-01', 1000.01, 100, 200);
INSERT INTO bangfu_register.fee_waiver (id, person, business, registered_on, charges)
VALUES (1, '110105198001010024', '小吃店', '2026-03-01', 300);
INSERT INTO bangfu_register.rent_concession (id, employer_id, rent_from, rent_to, rent, concession)
VALUES (1, 2, '2026-01-01', '2026-12-31', 12000, 5000);
SELECT results_eq($$SELECT amount FROM bangfu_register.pension_subsidy ORDER BY id$$,
                  $$VALUES (2000.00::numeric(12,2)), (533.33)$$, '五 the trigger booked 2,000.00 and 533.33');

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

-- A hand-edited amount in each of issue 14's tables (五, 八(1), 十), one at a
-- time, as above: verify lists exactly that row with what the policy gives.
ALTER TABLE bangfu_register.pension_subsidy DISABLE TRIGGER USER;
UPDATE bangfu_register.pension_subsidy SET amount = 633.33 WHERE id = 2;
ALTER TABLE bangfu_register.pension_subsidy ENABLE TRIGGER USER;
SELECT results_eq($$SELECT tab, row_id, field, stored, expected, kind FROM bangfu_register.verify()$$,
                  $$VALUES ('pension_subsidy', 2::bigint, 'amount', 633.33, 533.33, 'differs')$$,
                  '五 a hand-edited pension subsidy is found: 1,000 × 24/30 × 2/3 = 533.33 (12 of 36 months used before)');
ALTER TABLE bangfu_register.pension_subsidy DISABLE TRIGGER USER;
UPDATE bangfu_register.pension_subsidy SET amount = 533.33, months = 30 WHERE id = 2;
ALTER TABLE bangfu_register.pension_subsidy ENABLE TRIGGER USER;
SELECT results_eq($$SELECT tab, row_id, field, stored, expected, kind FROM bangfu_register.verify()$$,
                  $$VALUES ('pension_subsidy', 2::bigint, 'months', 30::numeric, 24::numeric, 'differs')$$,
                  '五 months past the 36 of 最长3年 are found');
ALTER TABLE bangfu_register.pension_subsidy DISABLE TRIGGER USER;
UPDATE bangfu_register.pension_subsidy SET months = 24 WHERE id = 2;
ALTER TABLE bangfu_register.pension_subsidy ENABLE TRIGGER USER;

ALTER TABLE bangfu_register.employer_subsidy DISABLE TRIGGER USER;
UPDATE bangfu_register.employer_subsidy SET amount = 252.00 WHERE id = 2;
ALTER TABLE bangfu_register.employer_subsidy ENABLE TRIGGER USER;
SELECT results_eq($$SELECT tab, row_id, field, stored, expected, kind FROM bangfu_register.verify()$$,
                  $$VALUES ('employer_subsidy', 2::bigint, 'amount', 252.00, 225.00, 'differs')$$,
                  '八(1) a hand-edited employer subsidy is found: 10% of 1,000.01 + 25% of 100 + 50% of 200 = 225.00');
ALTER TABLE bangfu_register.employer_subsidy DISABLE TRIGGER USER;
UPDATE bangfu_register.employer_subsidy SET amount = 225.00, month = '2027-03-01' WHERE id = 2;
ALTER TABLE bangfu_register.employer_subsidy ENABLE TRIGGER USER;
SELECT results_eq($$SELECT tab, row_id, field, stored, expected, kind FROM bangfu_register.verify()$$,
                  $$VALUES ('employer_subsidy', 2::bigint, 'amount', 225.00, 0::numeric, 'differs')$$,
                  '八(1) a month moved outside the hiring window (期限1年) is owed nothing');
ALTER TABLE bangfu_register.employer_subsidy DISABLE TRIGGER USER;
UPDATE bangfu_register.employer_subsidy SET month = '2026-04-01' WHERE id = 2;
ALTER TABLE bangfu_register.employer_subsidy ENABLE TRIGGER USER;

ALTER TABLE bangfu_register.fee_waiver DISABLE TRIGGER USER;
UPDATE bangfu_register.fee_waiver SET waived = 30 WHERE id = 1;
ALTER TABLE bangfu_register.fee_waiver ENABLE TRIGGER USER;
SELECT results_eq($$SELECT tab, row_id, field, stored, expected, kind FROM bangfu_register.verify()$$,
                  $$VALUES ('fee_waiver', 1::bigint, 'waived', 30.00, 300.00, 'differs')$$,
                  '十 a hand-edited fee waiver is found: 300 waived in full');
ALTER TABLE bangfu_register.fee_waiver DISABLE TRIGGER USER;
UPDATE bangfu_register.fee_waiver SET waived = 300 WHERE id = 1;
ALTER TABLE bangfu_register.fee_waiver ENABLE TRIGGER USER;

ALTER TABLE bangfu_register.rent_concession DISABLE TRIGGER USER;
UPDATE bangfu_register.rent_concession SET concession = 6000.01 WHERE id = 1;
ALTER TABLE bangfu_register.rent_concession ENABLE TRIGGER USER;
SELECT results_eq($$SELECT tab, row_id, field, stored, expected, kind FROM bangfu_register.verify()$$,
                  $$VALUES ('rent_concession', 1::bigint, 'concession', 6000.01, 6000.00, 'differs')$$,
                  '十 a rent concession above 50% of the rent is found (expected: the ceiling)');
ALTER TABLE bangfu_register.rent_concession DISABLE TRIGGER USER;
UPDATE bangfu_register.rent_concession SET concession = 5000 WHERE id = 1;
ALTER TABLE bangfu_register.rent_concession ENABLE TRIGGER USER;
SELECT is_empty($$SELECT * FROM bangfu_register.verify()$$, 'issue 14''s rows undone by hand: the register conforms');

SELECT throws_ok($$SELECT * FROM bangfu_register.verify('2026-12-31', '2026-01-01')$$, '22023',
                 'from_date 2026-12-31 is after to_date 2026-01-01', 'a range that ends before it starts is refused');

-- A legal policy change for the future leaves every stored amount right.
INSERT INTO bangfu.policy (param, valid_from, amount, recorded_at)
VALUES ('medical.charity_bed.yearly_cap', '2090-01-01', 25000, now() + interval '1 day');
SELECT is_empty($$SELECT * FROM bangfu_register.verify()$$, 'a policy version from 2090 on changes nothing stored for 2026');

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


-- Changes of issue 14's rates that reach back (acknowledged, recorded the
-- next day): owed, not corruption, and in the arrears per clause.
INSERT INTO bangfu.policy (param, valid_from, tiers, recorded_at, backdate_ack) VALUES
    ('pension.subsidy_rate', '2026-01-01', 'flat: [0,) 3/4', now() + interval '1 day', 'test: reaches back (十二)'),
    ('employer.subsidy.pension_rate', '2026-01-01', 'flat: [0,) 20%', now() + interval '1 day', 'test: reaches back (十二)'),
    ('business.fee_waiver_rate', '2026-01-01', 'flat: [0,) 50%', now() + interval '1 day', 'test: reaches back (十二)');
SELECT results_eq($$SELECT tab, row_id, field, stored, expected, kind FROM bangfu_register.verify()
                     WHERE tab IN ('pension_subsidy', 'employer_subsidy', 'fee_waiver', 'rent_concession')$$,
                  $$VALUES ('pension_subsidy', 1::bigint, 'amount', 2000.00, 2250.00, 'owed'),
                           ('pension_subsidy', 2::bigint, 'amount', 533.33, 600.00, 'owed'),
                           ('employer_subsidy', 1::bigint, 'amount', 225.00, 325.00, 'owed'),
                           ('employer_subsidy', 2::bigint, 'amount', 225.00, 325.00, 'owed'),
                           ('fee_waiver', 1::bigint, 'waived', 300.00, 150.00, 'overpaid')$$,
                  '五 3/4, 八(1) 20% pension part, 十 a half waiver from 2026-01-01: owed and overpaid');
-- (set_eq: arrears and report_monthly sort by clause in the database's
-- collation, which orders 五, 八, 十 differently under zh_CN)
SELECT set_eq($$SELECT clause, stays, paid, due, back_paid, owed, overpaid FROM bangfu_register.arrears('2026-01-01', '2026-12-31')
                     WHERE clause IN ('五', '八(1)', '十')$$,
                  $$VALUES ('五', 2::bigint, 2533.33, 2850.00, 0.00, 316.67, 0.00),
                           ('八(1)', 2::bigint, 450.00, 650.00, 0.00, 200.00, 0.00),
                           ('十', 1::bigint, 300.00, 150.00, 0.00, 0.00, 150.00)$$,
                  'arrears per clause: 五 owed 316.67, 八(1) owed 200.00, 十 overpaid 150.00 (never taken back)');
ALTER TABLE bangfu_register.employer_subsidy DISABLE TRIGGER USER;
UPDATE bangfu_register.employer_subsidy SET amount = 325.01 WHERE id = 1;
ALTER TABLE bangfu_register.employer_subsidy ENABLE TRIGGER USER;
SELECT is((SELECT kind FROM bangfu_register.verify() WHERE tab = 'employer_subsidy' AND row_id = 1), 'differs',
          '八(1) a hand edit is not taken for arrears of the retroactive change');
SELECT set_eq($$SELECT month, clause, cases, amount FROM bangfu_register.report_monthly
                     WHERE clause IN ('五', '八(1)', '十')$$,
                  $$VALUES ('2026-01-01'::date, '十', 1::bigint, 5000.00::numeric(14,2)),
                           ('2026-02-01', '五', 1, 2000.00), ('2026-03-01', '五', 1, 533.33),
                           ('2026-03-01', '八(1)', 1, 325.01), ('2026-03-01', '十', 1, 300.00),
                           ('2026-04-01', '八(1)', 1, 225.00)$$,
                  'report_monthly: 五, 八(1), 十 per month (人社)');
SELECT results_eq($$SELECT person, year, clause, limit_name, used, cap, at_cap FROM bangfu_register.report_near_cap
                     WHERE clause IN ('五', '八(1)')$$,
                  $$VALUES (bangfu.mask('110105198001010016'), NULL::integer, '五', 'pension_months', 36.00::numeric(14,2),
                            36.00::numeric(14,2), true)$$,
                  'report_near_cap: 五 36 of 36 months (a lifetime count); 八(1) 2 of 12 months is not near its cap');
ALTER TABLE bangfu_register.pension_subsidy DISABLE TRIGGER USER;
UPDATE bangfu_register.pension_subsidy SET amount = 2000.01 WHERE id = 1;
ALTER TABLE bangfu_register.pension_subsidy ENABLE TRIGGER USER;
SELECT results_eq($$SELECT row_id, kind FROM bangfu_register.verify() WHERE tab = 'pension_subsidy'$$,
                  $$VALUES (1::bigint, 'differs'), (2::bigint, 'owed')$$,
                  '五 a hand edit under the retroactive rate differs (2/3 then, 3/4 now: neither is 2,000.01)');
ALTER TABLE bangfu_register.pension_subsidy DISABLE TRIGGER USER;
UPDATE bangfu_register.pension_subsidy SET amount = 2000.00 WHERE id = 1;
ALTER TABLE bangfu_register.pension_subsidy ENABLE TRIGGER USER;
-- 十 a rent ceiling lowered back to 1 January (40%): the concession of 5,000
-- on 12,000 was overpaid by 200, for the employer, never taken back.
INSERT INTO bangfu.policy (param, valid_from, tiers, recorded_at, backdate_ack)
VALUES ('business.rent_concession_rate', '2026-01-01', 'flat: [0,) 40%', now() + interval '1 day', 'test: reaches back (十二)');
SELECT results_eq($$SELECT tab, row_id, field, stored, expected, kind FROM bangfu_register.verify() WHERE tab = 'rent_concession'$$,
                  $$VALUES ('rent_concession', 1::bigint, 'concession', 5000.00, 4800.00, 'overpaid')$$,
                  '十 a lower rent ceiling that reaches back: the concession was overpaid');
SELECT results_eq($$SELECT person, household_id, stays, paid, due, owed, overpaid FROM bangfu_register.arrears()
                     WHERE person = 'employer 2'$$,
                  $$VALUES ('employer 2', NULL::bigint, 1::bigint, 5000.00, 4800.00, 0.00, 200.00)$$,
                  '十 arrears of a rent concession are the employer''s: 200.00 overpaid');

SELECT * FROM finish();
ROLLBACK;
