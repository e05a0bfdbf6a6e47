-- Attack class "money that can be followed" (issue 13): who can write the
-- commitments, transfers, payments and back-payments, and what the readers
-- of the reports see.  Run as superuser in a fresh database with pgtap and
-- bangfu_register, becoming each role with SET ROLE.
BEGIN;
SELECT plan(16);

CREATE ROLE sec_m_finance LOGIN IN ROLE bangfu_finance;
CREATE ROLE sec_m_civil LOGIN IN ROLE bangfu_civil_affairs;
CREATE ROLE sec_m_reader LOGIN IN ROLE bangfu_reader;
CREATE ROLE sec_m_admin LOGIN IN ROLE bangfu_policy_admin;
CREATE ROLE sec_m_nobody LOGIN;
INSERT INTO bangfu_register.county_year (year, urban_households) VALUES (2026, 20000);
INSERT INTO bangfu_register.household (id, head, lost_capacity) VALUES (1, '11010519491231002X', true);
INSERT INTO bangfu_register.member (household_id, id, name, relation) VALUES (1, '11010519491231002X', '王某', '户主');
INSERT INTO bangfu_register.relief_grant (id, household_id, reason, amount, granted_on) VALUES (1, 1, 'education', 2000, '2026-03-01');
INSERT INTO bangfu_register.medical_stay (person, discharged, cost) VALUES ('11010519491231002X', '2026-02-01', 100000);

-- finance: pays, but cannot release a commitment, book a transfer leg by
-- hand, pay more than the installment, or undo a transfer
SET LOCAL ROLE sec_m_finance;
SELECT throws_ok($$INSERT INTO bangfu_register.fund_commitment (fund, grant_id, installment, kind, amount, booked_on, recorded_by)
                   VALUES ('relief', 1, 1, 'paid', 1000, '2026-03-02', 'x')$$,
                 '42501', NULL, 'finance cannot release a commitment by hand (money would look uncommitted)');
SELECT throws_ok($$INSERT INTO bangfu_register.fund_entry (fund, amount, booked_on, transfer) VALUES ('relief', 100000, '2026-03-02', 1)$$,
                 '42501', NULL, 'finance cannot book a transfer leg without a transfer');
SELECT throws_ok($$INSERT INTO bangfu_register.fund_entry (fund, program, amount, booked_on, grant_id, installment)
                   VALUES ('relief', 'relief_grant', -1000.01, '2026-03-02', 1, 1)$$,
                 '23514', NULL, 'finance cannot pay more than the installment');
SELECT lives_ok($$SELECT bangfu_register.pay_installment(1, 1, '2026-03-02')$$, 'finance pays the installment');
SELECT throws_ok($$SELECT bangfu_register.pay_installment(1, 1, '2026-03-03')$$, '23505', NULL, 'but only once');
SELECT lives_ok($$INSERT INTO bangfu_register.fund_transfer (from_fund, to_fund, amount, booked_on, authority)
                  VALUES ('enterprise', 'relief', 100, '2026-03-04', 'test')$$, 'finance records a transfer');
SELECT throws_ok($$UPDATE bangfu_register.fund_transfer SET amount = 1$$, '42501', NULL, 'and cannot change it');
SELECT throws_ok($$INSERT INTO bangfu_register.fund_transfer (from_fund, to_fund, amount, booked_on, authority, recorded_by)
                   VALUES ('enterprise', 'relief', 100, '2026-03-04', 'test', 'someone')$$,
                 '42501', NULL, 'nor record one in someone else''s name');
RESET ROLE;

-- civil affairs: approves and withdraws, but does not pay
SET LOCAL ROLE sec_m_civil;
SELECT throws_ok($$SELECT bangfu_register.pay_installment(1, 2, '2026-07-01')$$, '42501', NULL,
                 'civil affairs cannot pay out of the fund');
SELECT lives_ok($$UPDATE bangfu_register.relief_grant SET withdrawn_on = '2026-04-01' WHERE id = 1$$,
                'civil affairs withdraws a grant (its commitment is released by the owner''s trigger)');
RESET ROLE;

-- the reader: the reports, masked; never an ID number
SET LOCAL ROLE sec_m_reader;
SELECT is((SELECT count(*)::integer FROM bangfu_register.report_near_cap WHERE person::text LIKE '%*%'), 1,
          'the reader sees who is near a cap, masked');
SELECT is((SELECT count(*)::integer FROM bangfu_register.relief_unpaid), 0, 'and the unpaid installments (none left)');
SELECT throws_ok($$SELECT * FROM bangfu_register.medical_backpay$$, '42501', NULL, 'but not the back-payments by ID number');
SELECT throws_ok($$SELECT bangfu.policy_reaches_back('2026-01-01')$$, '42501', NULL, 'nor ask about the ledger');
RESET ROLE;

-- nobody: the arrears (a definer's function) are not PUBLIC's
SET LOCAL ROLE sec_m_nobody;
SELECT throws_ok($$SELECT * FROM bangfu_register.arrears()$$, '42501', NULL, 'a role with no grant cannot read the arrears');
RESET ROLE;

-- the policy admin: a change that reaches back is acknowledged
SET LOCAL ROLE sec_m_admin;
SELECT throws_ok($$INSERT INTO bangfu.policy (param, valid_from, amount) VALUES ('medical.charity_bed.yearly_cap', '2026-01-01', 10000)$$,
                 '22023', NULL, 'the policy admin cannot lower a cap over recorded stays without an acknowledgement');
RESET ROLE;

SELECT * FROM finish();
ROLLBACK;
