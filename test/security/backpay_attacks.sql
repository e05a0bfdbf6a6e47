-- Attack class "back-payments of 五, 八(1), 十" (issue 13, 十二): only 人社
-- (bangfu_hrss), who keeps the rows they complete, books them; no other
-- department or reader can pay anything back, nor 人社 more than is owed, in
-- someone else's name, or with months of its choosing.  Run as superuser in a
-- fresh database with pgtap and bangfu_register, becoming each role with SET
-- ROLE.
BEGIN;
SELECT plan(30);

CREATE ROLE sec_b_hrss LOGIN IN ROLE bangfu_hrss;
CREATE ROLE sec_b_nobody LOGIN;
INSERT INTO bangfu_register.household (id, head, lost_capacity) VALUES (1, '110105198001010016', true), (2, '110105198001010024', true);
INSERT INTO bangfu_register.member (household_id, id, name, relation) VALUES
    (1, '110105198001010016', 'head', '户主'), (2, '110105198001010024', 'head', '户主');
INSERT INTO bangfu_register.employment_certificate (person, number, issued_on, flexible)
VALUES ('110105198001010016', 'JY-1', '2026-01-01', '[2026-01-01,2026-12-31]');
INSERT INTO bangfu_register.pension_contribution (id, person, paid_on, months, amount) VALUES (1, '110105198001010016', '2026-02-01', 12, 3000);
INSERT INTO bangfu_register.pension_subsidy (id, contribution_id, paid_on) VALUES (1, 1, '2026-02-10');
INSERT INTO bangfu_register.employer (id, name) VALUES (1, '城东物业公司');
INSERT INTO bangfu_register.hire (id, employer_id, person, hired_on) VALUES (1, 1, '110105198001010024', '2026-03-01');
INSERT INTO bangfu_register.employer_subsidy (id, hire_id, month, pension, injury, unemployment) VALUES (1, 1, '2026-03-01', 1000, 100, 200);
INSERT INTO bangfu.policy (param, valid_from, tiers, backdate_ack)
VALUES ('business.fee_waiver_rate', '2026-01-01', 'flat: [0,) 50%', 'test: 县 waives half from 1 January');
INSERT INTO bangfu_register.fee_waiver (id, person, business, registered_on, charges) VALUES (1, '110105198001010024', '小吃店', '2026-03-01', 300);
-- changes that reach back: 五 owed 250.00, 八(1) 100.00, 十 150.00
INSERT INTO bangfu.policy (param, valid_from, tiers, recorded_at, backdate_ack) VALUES
    ('pension.subsidy_rate', '2026-01-01', 'flat: [0,) 3/4', now() + interval '1 day', 'test: reaches back (十二)'),
    ('employer.subsidy.pension_rate', '2026-01-01', 'flat: [0,) 20%', now() + interval '1 day', 'test: reaches back (十二)'),
    ('business.fee_waiver_rate', '2026-02-01', 'flat: [0,) 100%', now() + interval '1 day', 'test: reaches back (十二)');

-- Every other department, the readers and a role with no grant: no
-- back-payment of any kind, not even what is owed.
SET LOCAL ROLE bangfu_civil_affairs;
SELECT throws_ok($$INSERT INTO bangfu_register.pension_backpay (subsidy_id, amount, booked_on) VALUES (1, 1.00, '2026-12-31')$$,
                 '42501', NULL, 'bangfu_civil_affairs cannot book pension_backpay');
SELECT throws_ok($$INSERT INTO bangfu_register.employer_subsidy_backpay (subsidy_id, amount, booked_on) VALUES (1, 1.00, '2026-12-31')$$,
                 '42501', NULL, 'bangfu_civil_affairs cannot book employer_subsidy_backpay');
SELECT throws_ok($$INSERT INTO bangfu_register.fee_waiver_backpay (waiver_id, amount, booked_on) VALUES (1, 1.00, '2026-12-31')$$,
                 '42501', NULL, 'bangfu_civil_affairs cannot book fee_waiver_backpay');
RESET ROLE;
SET LOCAL ROLE bangfu_finance;
SELECT throws_ok($$INSERT INTO bangfu_register.pension_backpay (subsidy_id, amount, booked_on) VALUES (1, 1.00, '2026-12-31')$$,
                 '42501', NULL, 'bangfu_finance cannot book pension_backpay');
SELECT throws_ok($$INSERT INTO bangfu_register.employer_subsidy_backpay (subsidy_id, amount, booked_on) VALUES (1, 1.00, '2026-12-31')$$,
                 '42501', NULL, 'bangfu_finance cannot book employer_subsidy_backpay');
SELECT throws_ok($$INSERT INTO bangfu_register.fee_waiver_backpay (waiver_id, amount, booked_on) VALUES (1, 1.00, '2026-12-31')$$,
                 '42501', NULL, 'bangfu_finance cannot book fee_waiver_backpay');
RESET ROLE;
SET LOCAL ROLE sec_b_nobody;
SELECT throws_ok($$INSERT INTO bangfu_register.pension_backpay (subsidy_id, amount, booked_on) VALUES (1, 1.00, '2026-12-31')$$,
                 '42501', NULL, 'sec_b_nobody cannot book pension_backpay');
SELECT throws_ok($$INSERT INTO bangfu_register.employer_subsidy_backpay (subsidy_id, amount, booked_on) VALUES (1, 1.00, '2026-12-31')$$,
                 '42501', NULL, 'sec_b_nobody cannot book employer_subsidy_backpay');
SELECT throws_ok($$INSERT INTO bangfu_register.fee_waiver_backpay (waiver_id, amount, booked_on) VALUES (1, 1.00, '2026-12-31')$$,
                 '42501', NULL, 'sec_b_nobody cannot book fee_waiver_backpay');
RESET ROLE;
SET LOCAL ROLE bangfu_health;
SELECT throws_ok($$INSERT INTO bangfu_register.pension_backpay (subsidy_id, amount) VALUES (1, 1)$$, '42501', NULL,
                 'health (四(1)''s back-payments) cannot book a 五 one');
RESET ROLE;
SET LOCAL ROLE bangfu_street;
SELECT throws_ok($$INSERT INTO bangfu_register.fee_waiver_backpay (waiver_id, amount) VALUES (1, 1)$$, '42501', NULL,
                 'the street office cannot book a 十 refund');
RESET ROLE;
SET LOCAL ROLE bangfu_policy_admin;
SELECT throws_ok($$INSERT INTO bangfu_register.employer_subsidy_backpay (subsidy_id, amount) VALUES (1, 1)$$, '42501', NULL,
                 'the leading group office reads the back-payments but books none');
SELECT lives_ok($$SELECT count(*) FROM bangfu_register.pension_backpay$$, 'it reads them (audit)');
RESET ROLE;
SET LOCAL ROLE bangfu_reader;
SELECT throws_ok($$SELECT * FROM bangfu_register.pension_backpay$$, '42501', NULL, 'readers do not read back-payments by ID number');
SELECT throws_ok($$SELECT * FROM bangfu_register.backpay_owed('pension_subsidy', 1)$$, '42501', NULL,
                 'nor ask what a row is owed (it locks the row)');
RESET ROLE;
SET LOCAL ROLE sec_b_nobody;
SELECT throws_ok($$SELECT * FROM bangfu_register.verify_employment()$$, '42501', NULL, 'nobody else derives the employment rows');
RESET ROLE;

-- 人社: books what is owed, nothing more, in its own name, months and
-- person set by the register; cannot change or remove what it booked.
SET LOCAL ROLE sec_b_hrss;
SELECT throws_ok($$INSERT INTO bangfu_register.pension_backpay (subsidy_id, amount, booked_on) VALUES (1, 250.01, '2026-12-31')$$,
                 '23514', NULL, '人社 cannot pay back more than is owed');
SELECT throws_ok($$INSERT INTO bangfu_register.pension_backpay (subsidy_id, amount, booked_on, months) VALUES (1, 250, '2026-12-31', 24)$$,
                 '42501', NULL, 'nor book months into the limit');
SELECT throws_ok($$INSERT INTO bangfu_register.pension_backpay (subsidy_id, amount, booked_on, person) VALUES (1, 250, '2026-12-31', '110105198001010024')$$,
                 '42501', NULL, 'nor pay someone else');
SELECT throws_ok($$INSERT INTO bangfu_register.employer_subsidy_backpay (subsidy_id, amount, booked_on, recorded_by) VALUES (1, 100, '2026-12-31', 'someone')$$,
                 '42501', NULL, 'nor book in someone else''s name');
SELECT throws_ok($$INSERT INTO bangfu_register.fee_waiver_backpay (waiver_id, amount, booked_on, nth) VALUES (1, 150, '2026-12-31', 7)$$,
                 '42501', NULL, 'nor choose the row''s number (what stops two clerks paying twice)');
SELECT lives_ok($$INSERT INTO bangfu_register.pension_backpay (subsidy_id, amount, booked_on) VALUES (1, 250, '2026-12-31')$$,
                '人社 pays back the 250.00 owed');
SELECT lives_ok($$INSERT INTO bangfu_register.employer_subsidy_backpay (subsidy_id, amount, booked_on) VALUES (1, 100, '2026-12-31')$$,
                '人社 pays back the 100.00 owed');
SELECT lives_ok($$INSERT INTO bangfu_register.fee_waiver_backpay (waiver_id, amount, booked_on) VALUES (1, 150, '2026-12-31')$$,
                '人社 refunds the 150.00 owed');
SELECT throws_ok($$UPDATE bangfu_register.pension_backpay SET amount = 2500$$, '42501', NULL, '人社 cannot change a back-payment');
SELECT throws_ok($$DELETE FROM bangfu_register.fee_waiver_backpay$$, '42501', NULL, 'nor remove one');
SELECT is((SELECT sum(owed) FROM bangfu_register.arrears()), 0.00::numeric, '人社 reads the arrears: nothing owed any more');
RESET ROLE;
SELECT throws_ok($$TRUNCATE bangfu_register.pension_backpay$$, '55000', NULL, 'the owner cannot truncate 五''s back-payments');
SELECT throws_ok($$TRUNCATE bangfu_register.employer_subsidy_backpay$$, '55000', NULL, 'nor 八(1)''s');
SELECT throws_ok($$TRUNCATE bangfu_register.fee_waiver_backpay$$, '55000', NULL, 'nor 十''s');

SELECT * FROM finish();
ROLLBACK;
