-- pgTAP: money that can be followed (一, 二, 九, 十二; issue 13): sources to
-- funds, transfers, commitments, payments, statements and reports.
-- Run with pg_prove in a database with pgtap and bangfu; the register is
-- created here and rolled back.  Every figure is a hand calculation.
BEGIN;
SET LOCAL client_min_messages = warning;
CREATE EXTENSION bangfu_register;
RESET client_min_messages;
SELECT plan(81);

-- ---------------------------------------------------------------------------
-- 一 sources to funds.  Each source split over the funds in proportion to
-- the 1,800,000 (relief 2/3, enterprise 2/9, loan guarantee 1/9), to the fen.
-- ---------------------------------------------------------------------------
SELECT results_eq($$SELECT fund, sum(amount) FROM bangfu_register.fund_opening_source GROUP BY fund ORDER BY fund$$,
                  $$SELECT code, opening FROM bangfu_register.fund ORDER BY code$$,
                  '一 the sources'' parts add up to each fund''s opening credit');
SELECT results_eq($$SELECT source, sum(amount) FROM bangfu_register.fund_opening_source GROUP BY source ORDER BY source$$,
                  $$SELECT code, amount FROM bangfu_register.fund_source ORDER BY code$$,
                  '一 and to each source''s amount');
SELECT is((SELECT amount FROM bangfu_register.fund_opening_source WHERE fund = 'relief' AND source = 'county_finance'),
          666666.67::numeric(14,2), '一 2/3 of county finance''s 1,000,000 opened the relief fund');
SELECT throws_ok($$INSERT INTO bangfu_register.fund_entry (fund, amount, booked_on) VALUES ('relief', 100, '2026-02-01')$$,
                 '23514', 'money into fund relief must name its source', '一 money in names its source');
SELECT throws_ok($$INSERT INTO bangfu_register.fund_entry (fund, program, amount, booked_on, source) VALUES ('enterprise', 'loan_interest', -100, '2026-02-01', 'donations')$$,
                 '23514', 'a disbursement from fund enterprise names no source (it names donations)', '一 money out names none');
SELECT throws_ok($$INSERT INTO bangfu_register.fund_entry (fund, amount, booked_on, source) VALUES ('relief', 100, '2026-02-01', 'lottery')$$,
                 '23503', NULL, '一 an unknown source is refused');
SELECT lives_ok($$INSERT INTO bangfu_register.fund_entry (fund, amount, booked_on, source, note) VALUES ('relief', 3000, '2026-02-01', 'donations', '社会捐助')$$,
                '一 a donation to the relief fund');
SELECT throws_ok($$UPDATE bangfu_register.fund_opening_source SET amount = 1 WHERE fund = 'relief' AND source = 'donations'$$,
                 '55000', NULL, '一 the shipped split is fixed');

-- ---------------------------------------------------------------------------
-- 一 transfers: one audited row, two entries naming it.
-- ---------------------------------------------------------------------------
SELECT throws_ok($$INSERT INTO bangfu_register.fund_transfer (from_fund, to_fund, amount, booked_on, authority) VALUES ('relief', 'enterprise', 100, '2026-02-02', '')$$,
                 '23514', NULL, '一 a transfer names its authority');
SELECT throws_ok($$INSERT INTO bangfu_register.fund_transfer (from_fund, to_fund, amount, booked_on, authority) VALUES ('relief', 'relief', 100, '2026-02-02', 'x')$$,
                 '23514', NULL, '一 a transfer goes between two funds');
SELECT throws_ok($$INSERT INTO bangfu_register.fund_transfer (from_fund, to_fund, amount, booked_on, authority) VALUES ('loan_guarantee', 'relief', 200000.01, '2026-02-02', 'x')$$,
                 '23514', NULL, '九 a transfer cannot take a fund below zero');
SELECT lives_ok($$INSERT INTO bangfu_register.fund_transfer (id, from_fund, to_fund, amount, booked_on, authority) VALUES (1, 'enterprise', 'relief', 100000, '2026-02-02', '领导小组 2026-1')$$,
                '一 a transfer from the enterprise fund to the relief fund');
SELECT results_eq($$SELECT fund, amount, transfer, program, source FROM bangfu_register.fund_entry WHERE transfer = 1 ORDER BY amount$$,
                  $$VALUES ('enterprise', -100000.00::numeric(14,2), 1::bigint, NULL::text, NULL::text),
                           ('relief', 100000.00, 1, NULL, NULL)$$,
                  '一 booked as two entries naming it');
SELECT throws_ok($$UPDATE bangfu_register.fund_transfer SET amount = 1 WHERE id = 1$$, '55000', NULL, '一 a transfer is never changed');
SELECT throws_ok($$DELETE FROM bangfu_register.fund_transfer WHERE id = 1$$, '55000', NULL, '一 nor removed');
SELECT throws_ok($$INSERT INTO bangfu_register.fund_entry (fund, program, amount, booked_on, transfer) VALUES ('relief', 'relief_grant', -5, '2026-02-02', 1)$$,
                 '23514', 'an entry of transfer 1 names no program and no source', '一 a transfer leg names no program');
-- relief now holds 1,200,000 + 3,000 + 100,000 = 1,303,000; take it down to 6,000
INSERT INTO bangfu_register.fund_transfer (id, from_fund, to_fund, amount, booked_on, authority)
VALUES (2, 'relief', 'enterprise', 1297000, '2026-02-03', '领导小组 2026-2');
SELECT is((SELECT balance FROM bangfu_register.fund_balance WHERE fund = 'relief'), 6000.00::numeric(14,2),
          '一 the relief fund holds 6,000');

-- ---------------------------------------------------------------------------
-- 二 commitments: approving commits both installments; refused beyond the
-- uncommitted balance; the reserve for critical illness (relief.fund.reserve).
-- ---------------------------------------------------------------------------
INSERT INTO bangfu_register.county_year (year, urban_households) VALUES (2026, 20000);
INSERT INTO bangfu_register.household (id, head, lost_capacity) VALUES
    (1, '110105198001010016', true), (2, '110105198001010024', true), (3, '110105198001010032', true),
    (4, '110105198001010040', true);
SELECT lives_ok($$INSERT INTO bangfu_register.relief_grant (id, household_id, reason, amount, granted_on) VALUES (1, 1, 'disability_chronic', 1500.01, '2026-03-01')$$,
                '二 a grant of 1500.01 is approved');
SELECT results_eq($$SELECT installment, kind, amount, booked_on FROM bangfu_register.fund_commitment WHERE grant_id = 1 ORDER BY installment$$,
                  $$VALUES (1::smallint, 'commit', -750.01::numeric(14,2), '2026-03-01'::date), (2::smallint, 'commit', -750.00, '2026-03-01')$$,
                  '二 approving commits 750.01 + 750.00 against the relief fund');
SELECT is(bangfu.limit_used('fund_uncommitted', 'relief'), 4499.99::numeric, '一 4499.99 stays uncommitted');
SELECT throws_ok($$INSERT INTO bangfu_register.relief_grant (id, household_id, reason, amount, granted_on) VALUES (90, 2, 'critical_illness', 4500, '2026-03-02')$$,
                 '23514', 'a relief grant of 4500.00 cannot be approved: fund relief has 4499.99 uncommitted',
                 '二 a grant one fen beyond the uncommitted balance is refused');
SELECT lives_ok($$INSERT INTO bangfu.policy (param, valid_from, amount, note, backdate_ack) VALUES ('relief.fund.reserve', '2026-01-01', 3000, 'test', 'test: kept for critical illness')$$,
                '十二 the county keeps 3,000 for critical illness from 2026');
SELECT throws_ok($$INSERT INTO bangfu_register.relief_grant (id, household_id, reason, amount, granted_on) VALUES (91, 2, 'education', 1500, '2026-03-02')$$,
                 '23514', 'a relief grant of 1500.00 cannot be approved: fund relief has 4499.99 uncommitted',
                 '二 an education grant may not eat into the reserve (4499.99 - 1500 < 3000)');
SELECT lives_ok($$INSERT INTO bangfu_register.relief_grant (id, household_id, reason, amount, granted_on) VALUES (2, 2, 'education', 1499.99, '2026-03-02')$$,
                '二 one that leaves exactly the reserve is approved');
SELECT lives_ok($$INSERT INTO bangfu_register.relief_grant (id, household_id, reason, amount, granted_on) VALUES (3, 3, 'critical_illness', 2000, '2026-03-03')$$,
                '二 a critical-illness grant may use the reserve');
SELECT throws_ok($$INSERT INTO bangfu_register.relief_grant (id, household_id, reason, amount, granted_on) VALUES (92, 4, 'critical_illness', 2000, '2026-03-04')$$,
                 '23514', NULL, '二 but not more than the fund has');

-- the fund holds 6000, but 5000.00 of it is committed: only 1000.00 may leave
SELECT throws_ok($$INSERT INTO bangfu_register.fund_transfer (from_fund, to_fund, amount, booked_on, authority) VALUES ('relief', 'enterprise', 1000.01, '2026-03-04', 'x')$$,
                 '23514', NULL, '一 committed money cannot be transferred away (1000.01 of 1000.00 uncommitted)');

-- ---------------------------------------------------------------------------
-- 二 payments: exactly an installment, once, of a grant not withdrawn.
-- ---------------------------------------------------------------------------
SELECT throws_ok($$INSERT INTO bangfu_register.fund_entry (fund, program, amount, booked_on) VALUES ('relief', 'relief_grant', -750.01, '2026-03-05')$$,
                 '23514', 'a payment of program relief_grant from fund relief must name the grant and installment it pays',
                 '二 a relief payment names its grant');
SELECT throws_ok($$SELECT bangfu_register.pay_installment(1, 2, '2026-07-01')$$,
                 '23514', 'the second installment of relief grant 1 cannot be paid before the first', '二 the first installment first');
SELECT throws_ok($$SELECT bangfu_register.pay_installment(1, 1, '2026-02-28')$$,
                 '23514', 'relief grant 1 cannot be paid on 2026-02-28, before it was granted on 2026-03-01', '二 not before the grant');
SELECT throws_ok($$INSERT INTO bangfu_register.fund_entry (fund, program, amount, booked_on, grant_id, installment) VALUES ('relief', 'relief_grant', -750.02, '2026-03-05', 1, 1)$$,
                 '23514', 'a payment of 750.02 does not match installment 1 of relief grant 1, which is 750.01',
                 '二 one fen more than the installment is refused');
SELECT throws_ok($$INSERT INTO bangfu_register.fund_entry (fund, program, amount, booked_on, grant_id, installment) VALUES ('relief', 'relief_grant', 750.01, '2026-03-05', 1, 1)$$,
                 '23514', NULL, '二 money in cannot name a grant');
SELECT throws_ok($$INSERT INTO bangfu_register.fund_entry (fund, program, amount, booked_on, grant_id, installment) VALUES ('relief', 'relief_grant', -750.01, '2026-03-05', 99, 1)$$,
                 '23503', 'relief grant 99 does not exist', '二 an unknown grant');
SELECT is(bangfu_register.pay_installment(1, 1, '2026-03-05') > 0, true, '二 the first installment of grant 1 is paid');
SELECT throws_ok($$SELECT bangfu_register.pay_installment(1, 1, '2026-03-06')$$,
                 '23505', 'installment 1 of relief grant 1 is already paid', '二 paying twice is refused');
SELECT is((SELECT paid_first_on FROM bangfu_register.relief_grant WHERE id = 1), '2026-03-05'::date,
          '二 the grant shows the day it was paid');
SELECT throws_ok($$UPDATE bangfu_register.relief_grant SET paid_second_on = '2026-07-01' WHERE id = 1$$,
                 '23514', 'the installments of relief grant 1 are paid from its fund: their paid days are those of the payments',
                 '二 an installment is not marked paid by hand');
SELECT results_eq($$SELECT grant_id, installment::integer, amount, due_from FROM bangfu_register.relief_unpaid ORDER BY grant_id, installment$$,
                  $$VALUES (1::bigint, 2, 750.00::numeric(14,2), '2026-07-01'::date),
                           (2, 1, 750.00, '2026-03-02'), (2, 2, 749.99, '2026-07-01'),
                           (3, 1, 1000.00, '2026-03-03'), (3, 2, 1000.00, '2026-07-01')$$,
                  '二 the unpaid installments, the second due from 1 July');
SELECT is((SELECT head FROM bangfu_register.relief_unpaid WHERE grant_id = 1), '110105********0016',
          '二 with the head''s number masked');

-- the payment reversed: owed and committed again; the first not while the second stands
SELECT lives_ok($$SELECT bangfu_register.pay_installment(1, 2, '2026-07-02')$$, '二 the second installment is paid');
SELECT throws_ok($$INSERT INTO bangfu_register.fund_entry (fund, program, amount, booked_on, reverses)
                   SELECT 'relief', 'relief_grant', 750.01, '2026-07-03', id FROM bangfu_register.fund_entry WHERE grant_id = 1 AND installment = 1$$,
                 '23514', NULL, '一 the first payment is not reversed while the second stands');
SELECT lives_ok($$INSERT INTO bangfu_register.fund_entry (fund, program, amount, booked_on, reverses)
                  SELECT 'relief', 'relief_grant', 750.00, '2026-07-03', id FROM bangfu_register.fund_entry WHERE grant_id = 1 AND installment = 2$$,
                '一 the second payment is reversed');
SELECT results_eq($$SELECT grant_id, installment, amount FROM bangfu_register.relief_unpaid WHERE grant_id = 1$$,
                  $$VALUES (1::bigint, 2::smallint, 750.00::numeric(14,2))$$,
                  '二 and is owed (committed) again');
SELECT is((SELECT paid_second_on FROM bangfu_register.relief_grant WHERE id = 1), NULL::date, '二 its paid day cleared');

-- withdrawal: what is unpaid goes back; a withdrawn grant is not paid
SELECT lives_ok($$UPDATE bangfu_register.relief_grant SET withdrawn_on = '2026-04-01' WHERE id = 3$$, '二 grant 3 is withdrawn');
SELECT is((SELECT count(*)::integer FROM bangfu_register.relief_unpaid WHERE grant_id = 3), 0, '二 nothing of it is owed');
SELECT throws_ok($$SELECT bangfu_register.pay_installment(3, 1, '2026-04-02')$$,
                 '23514', 'relief grant 3 was withdrawn on 2026-04-01 and is not paid', '二 a withdrawn grant is not paid');
SELECT throws_ok($$UPDATE bangfu_register.relief_grant SET withdrawn_on = NULL WHERE id = 3$$,
                 '55000', NULL, '二 a withdrawal is final');
SELECT throws_ok($$UPDATE bangfu_register.relief_grant SET amount = 1400 WHERE id = 1$$,
                 '55000', NULL, '二 a grant paid in part keeps its amount');
SELECT lives_ok($$UPDATE bangfu_register.relief_grant SET amount = 1200 WHERE id = 2$$,
                '二 an unpaid grant''s amount is corrected, committed again');
SELECT is((SELECT sum(amount) FROM bangfu_register.relief_unpaid WHERE grant_id = 2), 1200.00::numeric,
          '二 1,200 owed on it now');
SELECT throws_ok($$DELETE FROM bangfu_register.fund_commitment$$, '55000', NULL, '一 commitments are never removed');

-- ---------------------------------------------------------------------------
-- 一 statements and the runway.
-- relief: opening 1,200,000, in 3,000, transfers +100,000/-1,297,000;
-- committed 1500.01 + 1499.99 + 2000 + 750 (reversal) + 1200 = 6950.00;
-- paid 750.01 + 750.00 = 1500.01; reversed +750.00; balance 5249.99;
-- owed 750.00 + 1200.00 = 1950.00; uncommitted 3299.99.
-- ---------------------------------------------------------------------------
SELECT results_eq($$SELECT opening_balance, money_in, transfers_in, transfers_out, committed, paid, reversed, balance, unpaid_committed, uncommitted
                      FROM bangfu_register.fund_statement WHERE fund = 'relief' AND year = 2026$$,
                  $$VALUES (0.00::numeric(14,2), 1203000.00::numeric(14,2), 100000.00::numeric(14,2), 1297000.00::numeric(14,2),
                            6950.00::numeric(14,2), 1500.01::numeric(14,2), 750.00::numeric(14,2), 5249.99::numeric(14,2),
                            1950.00::numeric(14,2), 3299.99::numeric(14,2))$$,
                  '一 the relief fund''s 2026 statement');
SELECT is((SELECT sum(money_in) FROM bangfu_register.fund_source_statement WHERE fund = 'relief' AND year = 2026),
          1203000.00::numeric, '一 the sources put in what the fund took in');
SELECT is((SELECT money_in FROM bangfu_register.fund_source_statement WHERE fund = 'relief' AND year = 2026 AND source = 'donations'),
          336333.33::numeric(14,2), '一 donations: 333,333.33 at the opening and 3,000 since');
-- On 2 July (before the reversal): 6000 - 1500.01 = 4499.99 in the fund, 1200
-- owed on grant 2, 1500.01 paid in the 180 days before: the balance lasts
-- ceil(4499.99 x 180 / 1500.01) = ceil(539.989...) = 540 days, to 2027-12-24.
SELECT results_eq($$SELECT balance, committed, uncommitted, paid_in_window, pace_per_day, runs_out_on FROM bangfu_register.fund_runway('2026-07-02', 180) WHERE fund = 'relief'$$,
                  $$VALUES (4499.99::numeric, 1200.00::numeric, 3299.99::numeric, 1500.01::numeric, 8.33::numeric, '2027-12-24'::date)$$,
                  '一 when the relief fund runs out at the pace of the last 180 days');
SELECT is_empty($$SELECT * FROM bangfu.limit_check()$$, 'the limits'' ledger equals the register');

-- ---------------------------------------------------------------------------
-- 十二 a change that reaches back, and the arrears (补发) it makes.  Member 1
-- has two stays of 60000 in 2026: 15000 then 5000 reduced (yearly cap 20000).
-- ---------------------------------------------------------------------------
INSERT INTO bangfu_register.member (household_id, id, name, relation) VALUES (1, '110105198001010016', 'head', '户主');
INSERT INTO bangfu_register.medical_stay (person, discharged, cost) VALUES
    ('110105198001010016', '2026-02-01', 60000), ('110105198001010016', '2026-03-01', 60000);
SELECT throws_ok($$INSERT INTO bangfu.policy (param, valid_from, amount) VALUES ('medical.charity_bed.yearly_cap', '2026-01-01', 25000)$$,
                 '22023', NULL, '十二 raising the cap from a day already past, over recorded stays, needs an acknowledgement');
SELECT throws_ok($$INSERT INTO bangfu.policy (param, valid_from, amount, backdate_ack) VALUES ('medical.charity_bed.yearly_cap', '2026-01-01', 25000, '  ')$$,
                 '22023', NULL, '十二 a blank one is none');
SELECT lives_ok($$INSERT INTO bangfu.policy (param, valid_from, amount) VALUES ('medical.charity_bed.yearly_cap', '9999-01-01', 25000)$$,
                '十二 a change from a day to come needs none');
SELECT lives_ok($$INSERT INTO bangfu.policy (param, valid_from, amount, backdate_ack, recorded_at)
                  VALUES ('medical.charity_bed.yearly_cap', '2026-01-01', 25000, '领导小组 decision 2026-9: 补发 from 1 January', now() + interval '1 second')$$,
                '十二 with one, it is recorded');
SELECT throws_ok($$UPDATE bangfu.policy SET amount = 26000 WHERE param = 'medical.charity_bed.yearly_cap' AND valid_from = '2026-01-01'$$,
                 '22023', NULL, '十二 changing its value needs a new acknowledgement');
SELECT results_eq($$SELECT clause, person, household_id, year, stays, paid, due, back_paid, owed, overpaid FROM bangfu_register.arrears('2026-01-01', '2026-12-31')$$,
                  $$VALUES ('四(1)', '110105********0016', 1::bigint, 2026, 2::bigint, 20000.00::numeric(14,2), 25000.00::numeric(14,2), 0.00::numeric(14,2), 5000.00::numeric(14,2), 0.00::numeric(14,2))$$,
                  '十二 the second stay is owed 5000 (25000 - 15000 - 5000)');
SELECT throws_ok($$INSERT INTO bangfu_register.medical_backpay (person, for_date, reduction, booked_on) VALUES ('110105198001010016', '2026-12-31', 5000.01, '2026-12-31')$$,
                 '23514', NULL, '十二 a back-payment beyond what is owed (and the raised cap) is refused');
SELECT lives_ok($$INSERT INTO bangfu_register.medical_backpay (person, for_date, reduction, booked_on, note) VALUES ('110105198001010016', '2026-12-31', 5000, '2026-12-31', '补发')$$,
                '十二 the 5000 owed is paid back as an ordinary row');
SELECT is(bangfu.limit_used('charity_bed_yearly', '110105198001010016', '2026-06-30'), 25000.00::numeric,
          '十二 the yearly limit counts it');
SELECT results_eq($$SELECT back_paid, owed, overpaid FROM bangfu_register.report_arrears WHERE year = 2026$$,
                  $$VALUES (5000.00::numeric(14,2), 0.00::numeric(14,2), 0.00::numeric(14,2))$$,
                  '十二 nothing is owed any more');
SELECT lives_ok($$INSERT INTO bangfu.policy (param, valid_from, amount, backdate_ack, recorded_at)
                  VALUES ('medical.charity_bed.yearly_cap', '2026-06-01', 18000, 'test: lowered from June', now() + interval '2 seconds')$$,
                '十二 the cap lowered from June');
SELECT results_eq($$SELECT paid, due, back_paid, owed, overpaid FROM bangfu_register.report_arrears WHERE year = 2026$$,
                  $$VALUES (20000.00::numeric(14,2), 25000.00::numeric(14,2), 5000.00::numeric(14,2), 0.00::numeric(14,2), 0.00::numeric(14,2))$$,
                  '十二 stays before June keep the 25000 cap');
SELECT throws_ok($$DELETE FROM bangfu_register.medical_backpay$$, '55000', NULL, '十二 a back-payment is never removed');

-- ---------------------------------------------------------------------------
-- Reports: every column of every view commented; bangfu_reader reads them.
-- ---------------------------------------------------------------------------
SELECT is_empty($$SELECT n.nspname || '.' || c.relname || '.' || a.attname
                    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                    JOIN pg_attribute a ON a.attrelid = c.oid
                   WHERE n.nspname IN ('bangfu', 'bangfu_register') AND c.relkind = 'v'
                     AND a.attnum > 0 AND NOT a.attisdropped AND col_description(c.oid, a.attnum) IS NULL$$,
                'every column of every view of bangfu and bangfu_register has a comment (what a reporting tool shows)');
SELECT ok(has_table_privilege('bangfu_reader', 'bangfu_register.' || v, 'SELECT'), 'bangfu_reader reads ' || v)
  FROM unnest(ARRAY['report_monthly', 'report_fund_monthly', 'report_quota', 'report_near_cap', 'relief_unpaid',
                    'fund_statement', 'fund_source_statement', 'fund_runway', 'report_arrears']) v;
SET LOCAL ROLE bangfu_reader;
SELECT results_eq($$SELECT person, used, cap, at_cap FROM bangfu_register.report_near_cap WHERE year = 2026 AND clause = '四(1)'$$,
                  $$VALUES ('110105********0016', 25000.00::numeric(14,2), 18000.00::numeric(14,2), true)$$,
                  '四 bangfu_reader sees who is at a cap, masked: 20000 on stays and 5000 paid back, against the cap in force on 31 December');
RESET ROLE;

SELECT * FROM finish();
ROLLBACK;
