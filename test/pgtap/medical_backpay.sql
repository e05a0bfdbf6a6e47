-- pgTAP: back-payments (补发, 十二) of 四 after a policy change that reaches
-- back (issue 13): a row of medical_backpay pays no more than the
-- person-year is owed now (bangfu_register.medical_backpay_owed: what its
-- stays get under the policy as it is now, less what they got, less the
-- back-payments booked for the year), at it and one fen either side, for
-- 四(1) and 四(2) apart; a person-year owed nothing gets nothing; arrears
-- shows it paid; verify reports a back-payment beyond what is owed.  The
-- register is created here and rolled back; runs as superuser (the hand
-- edit below loads a row around the register's triggers).
BEGIN;
SET LOCAL client_min_messages = warning;
CREATE EXTENSION bangfu_register;
RESET client_min_messages;
SELECT plan(28);

-- Person A (0016) has two stays of 60,000 in 2026.  The first: 四(1)
-- 25% of 60,000 = 15,000 (at the 15,000 per stay cap); 四(2) 80% of
-- 45,000 = 36,000, held to the 30,000 yearly cap.  The second: 四(1) 5,000
-- (the 20,000 yearly cap less 15,000); 四(2) nothing (the cap is used).
-- Person B (0024) has one stay of 1,000: 四(1) 10% = 100; 四(2) 60% of 900
-- = 540, far from either cap.
INSERT INTO bangfu_register.household (id, head, lost_capacity) VALUES
    (1, '110105198001010016', false), (2, '110105198001010024', false);
INSERT INTO bangfu_register.member (household_id, id, name, relation)
SELECT id, head, 'head', '户主' FROM bangfu_register.household;
INSERT INTO bangfu_register.medical_stay (person, discharged, cost) VALUES
    ('110105198001010016', '2026-02-01', 60000), ('110105198001010016', '2026-03-01', 60000),
    ('110105198001010024', '2026-02-01', 1000);
SELECT results_eq($$SELECT reduction, relief FROM bangfu_register.medical_stay ORDER BY id$$,
                  $$VALUES (15000.00::numeric(12,2), 30000.00::numeric(12,2)), (5000.00, 0.00), (100.00, 540.00)$$,
                  '四 the stays as the register settled them');
SELECT results_eq($$SELECT * FROM bangfu_register.medical_backpay_owed('110105198001010016', 2026)$$,
                  $$VALUES (0.00::numeric, 0.00::numeric)$$, 'before any change, nothing is owed');
SELECT throws_ok($$INSERT INTO bangfu_register.medical_backpay (person, for_date, reduction, booked_on) VALUES ('110105198001010016', '2026-12-31', 0.01, '2026-12-31')$$,
                 '23514', 'a back-payment of 0.01 (四(1)) is more than person 110105********0016 is owed for 2026, which is 0.00',
                 '十二 nothing owed, nothing paid back (the yearly cap alone would allow none either)');

-- The yearly caps raised from 1 January, recorded the next day (十二,
-- acknowledged): 四(1) 25,000, 四(2) 40,000.  Now the first stay gets
-- 15,000 and 36,000; the second 四(1) 25,000 - 15,000 = 10,000 and 四(2)
-- 80% of (60,000 - 10,000) = 40,000 held to 40,000 - 36,000 = 4,000.
-- Owed: 四(1) 10,000 - 5,000 = 5,000; 四(2) 6,000 + 4,000 = 10,000.
INSERT INTO bangfu.policy (param, valid_from, amount, recorded_at, backdate_ack) VALUES
    ('medical.charity_bed.yearly_cap', '2026-01-01', 25000, now() + interval '1 day', 'test: reaches back (十二)'),
    ('medical.serious_illness.yearly_cap', '2026-01-01', 40000, now() + interval '1 day', 'test: reaches back (十二)');
SELECT results_eq($$SELECT * FROM bangfu_register.medical_backpay_owed('110105198001010016', 2026)$$,
                  $$VALUES (5000.00::numeric, 10000.00::numeric)$$, '十二 person A is owed 5,000 of 四(1) and 10,000 of 四(2) for 2026');
SELECT results_eq($$SELECT clause, year, paid, due, back_paid, owed, overpaid FROM bangfu_register.arrears('2026-01-01', '2026-12-31') ORDER BY clause$$,
                  $$VALUES ('四(1)', 2026, 20000.00::numeric(14,2), 25000.00::numeric(14,2), 0.00::numeric(14,2), 5000.00::numeric(14,2), 0.00::numeric(14,2)),
                           ('四(2)', 2026, 30000.00, 40000.00, 0.00, 10000.00, 0.00)$$,
                  '十二 arrears shows the same');
SELECT results_eq($$SELECT * FROM bangfu_register.medical_backpay_owed('110105198001010024', 2026)$$,
                  $$VALUES (0.00::numeric, 0.00::numeric)$$, '十二 person B''s stay is untouched by the caps: owed nothing');

-- 卫生 pays back 四(1): one fen more than owed refused, one fen less
-- accepted, then one fen more than the fen left refused, the fen accepted.
SET LOCAL ROLE bangfu_health;
SELECT results_eq($$SELECT * FROM bangfu_register.medical_backpay_owed('110105198001010016', 2026)$$,
                  $$VALUES (5000.00::numeric, 10000.00::numeric)$$, '十二 health asks what is owed');
SELECT throws_ok($$INSERT INTO bangfu_register.medical_backpay (person, for_date, reduction, booked_on) VALUES ('110105198001010016', '2026-12-31', 5000.01, '2026-12-31')$$,
                 '23514', 'a back-payment of 5000.01 (四(1)) is more than person 110105********0016 is owed for 2026, which is 5000.00',
                 '十二 one fen more than owed is refused');
SELECT lives_ok($$INSERT INTO bangfu_register.medical_backpay (person, for_date, reduction, booked_on, note) VALUES ('110105198001010016', '2026-12-31', 4999.99, '2026-12-31', '补发')$$,
                '十二 one fen less than owed is paid back');
SELECT throws_ok($$INSERT INTO bangfu_register.medical_backpay (person, for_date, reduction, booked_on) VALUES ('110105198001010016', '2026-06-30', 0.02, '2026-12-31')$$,
                 '23514', 'a back-payment of 0.02 (四(1)) is more than person 110105********0016 is owed for 2026, which is 0.01',
                 '十二 then one fen more than the fen left is refused (any day of the year names the same person-year)');
SELECT lives_ok($$INSERT INTO bangfu_register.medical_backpay (person, for_date, reduction, booked_on) VALUES ('110105198001010016', '2026-12-31', 0.01, '2026-12-31')$$,
                '十二 and the fen left is paid');
SELECT throws_ok($$INSERT INTO bangfu_register.medical_backpay (person, for_date, reduction, booked_on) VALUES ('110105198001010016', '2026-12-31', 0.01, '2026-12-31')$$,
                 '23514', 'a back-payment of 0.01 (四(1)) is more than person 110105********0016 is owed for 2026, which is 0.00',
                 '十二 after which nothing more');
SELECT throws_ok($$INSERT INTO bangfu_register.medical_backpay (person, for_date, reduction, booked_on) VALUES ('110105198001010024', '2026-12-31', 0.01, '2026-12-31')$$,
                 '23514', 'a back-payment of 0.01 (四(1)) is more than person 110105********0024 is owed for 2026, which is 0.00',
                 '十二 a person-year owed nothing is refused, far below its cap');
SELECT throws_ok($$INSERT INTO bangfu_register.medical_backpay (person, for_date, reduction, booked_on) VALUES ('110105198001010016', '2025-12-31', 0.01, '2025-12-31')$$,
                 '23514', 'a back-payment of 0.01 (四(1)) is more than person 110105********0016 is owed for 2025, which is 0.00',
                 '十二 so is a year without stays');
RESET ROLE;

-- 民政 pays back 四(2): exactly what is owed, then not a fen more.
SET LOCAL ROLE bangfu_civil_affairs;
SELECT throws_ok($$INSERT INTO bangfu_register.medical_backpay (person, for_date, relief, booked_on) VALUES ('110105198001010016', '2026-12-31', 10000.01, '2026-12-31')$$,
                 '23514', 'a back-payment of 10000.01 (四(2)) is more than person 110105********0016 is owed for 2026, which is 10000.00',
                 '十二 四(2): one fen more than owed is refused');
SELECT lives_ok($$INSERT INTO bangfu_register.medical_backpay (person, for_date, relief, booked_on) VALUES ('110105198001010016', '2026-12-31', 10000.00, '2026-12-31')$$,
                '十二 四(2): what is owed is paid back');
SELECT throws_ok($$INSERT INTO bangfu_register.medical_backpay (person, for_date, relief, booked_on) VALUES ('110105198001010016', '2026-12-31', 0.01, '2026-12-31')$$,
                 '23514', 'a back-payment of 0.01 (四(2)) is more than person 110105********0016 is owed for 2026, which is 0.00',
                 '十二 四(2): then not a fen more');
RESET ROLE;

SELECT results_eq($$SELECT person::text, extract(year FROM for_date)::integer, nth, reduction, relief FROM bangfu_register.medical_backpay ORDER BY id$$,
                  $$VALUES ('110105198001010016', 2026, 1, 4999.99::numeric(12,2), 0.00::numeric(12,2)), ('110105198001010016', 2026, 2, 0.01, 0.00),
                           ('110105198001010016', 2026, 3, 0.00, 10000.00)$$,
                  '十二 three back-payments, numbered within the person-year');
SELECT results_eq($$SELECT clause, paid, due, back_paid, owed, overpaid FROM bangfu_register.report_arrears ORDER BY clause$$,
                  $$VALUES ('四(1)', 20000.00::numeric(14,2), 25000.00::numeric(14,2), 5000.00::numeric(14,2), 0.00::numeric(14,2), 0.00::numeric(14,2)),
                           ('四(2)', 30000.00, 40000.00, 10000.00, 0.00, 0.00)$$,
                  '十二 arrears: owed 5,000 and 10,000 before, nothing now');
SELECT results_eq($$SELECT * FROM bangfu_register.medical_backpay_owed('110105198001010016', 2026)$$,
                  $$VALUES (0.00::numeric, 0.00::numeric)$$, '十二 and nothing is owed');
SELECT is((SELECT bangfu.limit_used('charity_bed_yearly', '110105198001010016', '2026-06-30')), 25000.00::numeric,
          '十二 the yearly limit counts the back-payments');
SELECT is_empty($$SELECT * FROM bangfu_register.verify() WHERE tab = 'medical_backpay'$$,
                '十二 verify: back-payments within what is owed are no difference');
SELECT is_empty($$SELECT * FROM bangfu.limit_check()$$, 'the limits'' ledger equals the register');

-- A back-payment loaded around the register's triggers (a hand edit):
-- 100.00 of 四(2) more, recorded after the change of 四's policy (which
-- this transaction dated the next day) and none since: differs.
SET LOCAL session_replication_role = replica;
INSERT INTO bangfu_register.medical_backpay (id, person, for_date, nth, relief, booked_on, recorded_at)
VALUES (100, '110105198001010016', '2026-06-30', 4, 100.00, '2026-12-31', now() + interval '1 day 1 hour');
RESET session_replication_role;
SELECT results_eq($$SELECT tab, row_id, field, stored, expected, kind FROM bangfu_register.verify() WHERE tab = 'medical_backpay'$$,
                  $$VALUES ('medical_backpay', 100::bigint, 'relief', 10100.00::numeric, 10000.00::numeric, 'differs')$$,
                  '十二 verify finds a back-payment beyond what is owed that nothing explains');
SELECT results_eq($$SELECT tab, row_id, field, stored, expected, kind FROM bangfu_register.verify('2026-12-01', '2026-12-31') WHERE tab = 'medical_backpay'$$,
                  $$VALUES ('medical_backpay', 100::bigint, 'relief', 10100.00::numeric, 10000.00::numeric, 'differs')$$,
                  '十二 and so does a verify of December: the person-year''s back-payments are all counted, the hand-edited one (for 30 June) too');

-- The 四(1) cap lowered to 24,000 for 2026 after the back-payments (a
-- change that reaches back again): the second stay is due 9,000, the
-- person-year owed 4,000 and paid back 5,000: overpaid.
INSERT INTO bangfu.policy (param, valid_from, amount, recorded_at, backdate_ack)
VALUES ('medical.charity_bed.yearly_cap', '2026-01-02', 24000, now() + interval '2 days', 'test: lowered again (十二)');
SELECT results_eq($$SELECT tab, row_id, field, stored, expected, kind FROM bangfu_register.verify('2026-01-01', '2026-12-31') WHERE tab = 'medical_backpay' AND field = 'reduction'$$,
                  $$SELECT 'medical_backpay', max(id), 'reduction', 5000.00::numeric, 4000.00::numeric, 'overpaid' FROM bangfu_register.medical_backpay WHERE reduction > 0$$,
                  '十二 verify: paid back beyond what is owed after a later change is overpaid');
SELECT results_eq($$SELECT clause, back_paid, owed, overpaid FROM bangfu_register.report_arrears WHERE clause = '四(1)'$$,
                  $$VALUES ('四(1)', 5000.00::numeric(14,2), 0.00::numeric(14,2), 1000.00::numeric(14,2))$$,
                  '十二 arrears: 1,000 overpaid, reported, never taken back');
SELECT is_empty($$SELECT * FROM bangfu_register.verify('2025-01-01', '2025-12-31')$$, 'verify of a year without rows is empty');

SELECT * FROM finish();
ROLLBACK;
