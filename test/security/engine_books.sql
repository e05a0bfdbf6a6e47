-- Attack class "books that belong to someone" (issue 8): a limit's common
-- books (the county's, the register's) can be written only through tables a
-- policy admin admitted to them.  Before 0.3.0 every table guarded by a limit
-- shared its books: a role with no grants credited the relief fund through a
-- temporary table of its own, and a read-only role used up the county's 5 %
-- relief quota the same way.
BEGIN;
SELECT plan(21);

CREATE ROLE sec_nobody LOGIN;                       -- no grants at all
CREATE ROLE sec_reader LOGIN IN ROLE bangfu_reader; -- read-only
CREATE ROLE sec_finance LOGIN IN ROLE bangfu_finance;
CREATE ROLE sec_health LOGIN IN ROLE bangfu_health;  -- keeps the stays (四)
INSERT INTO bangfu_register.county_year (year, urban_households) VALUES (2026, 40);  -- quota: 2 households

-- 1. Credit the relief fund through a temporary table.
SET LOCAL ROLE sec_nobody;
CREATE TEMP TABLE my_entry (fund text NOT NULL, amount numeric(14,2) NOT NULL);
SELECT throws_ok($$SELECT bangfu.attach_limit('pg_temp.my_entry', 'fund_balance', ARRAY['fund'], 'amount', NULL, 'reject', 'common')$$,
                 '42501', NULL, 'a table not admitted cannot count in the common books');
SELECT throws_ok($$INSERT INTO bangfu.limit_share (limit_name, tab) VALUES ('fund_balance', 'pg_temp.my_entry')$$,
                 '42501', NULL, 'nor can the attacker admit it');
SELECT bangfu.attach_limit('pg_temp.my_entry', 'fund_balance', ARRAY['fund'], 'amount', NULL, 'reject');
INSERT INTO my_entry VALUES ('relief', 1000000);
-- the same by hand, without attach_limit
CREATE TEMP TABLE my_entry2 (fund text NOT NULL, amount numeric(14,2) NOT NULL);
CREATE TRIGGER zz_bangfu_fund_balance BEFORE INSERT OR UPDATE ON my_entry2
    FOR EACH ROW EXECUTE FUNCTION bangfu.limit_guard('fund_balance', 'reject', 'amount', '', 'fund');
CREATE TRIGGER zz_bangfu_fund_balance_after AFTER INSERT OR UPDATE OR DELETE ON my_entry2
    FOR EACH ROW EXECUTE FUNCTION bangfu.limit_guard('fund_balance', 'reject', 'amount', '', 'fund');
CREATE TRIGGER zz_bangfu_fund_balance_flush AFTER INSERT OR UPDATE OR DELETE ON my_entry2
    FOR EACH STATEMENT EXECUTE FUNCTION bangfu.limit_flush();
INSERT INTO my_entry2 VALUES ('relief', 1000000);
RESET ROLE;
SELECT is(bangfu.limit_used('fund_balance', 'relief'), 1200000.00,
          'the relief fund''s balance in the common books is still 1,200,000');
SET LOCAL ROLE sec_finance;
-- (a relief payment names a grant since 0.3.0: the money leaves by a transfer)
SELECT throws_ok($$INSERT INTO bangfu_register.fund_transfer (from_fund, to_fund, amount, booked_on, authority)
                   VALUES ('relief', 'enterprise', 1200000.01, '2026-03-01', 'test')$$,
                 '23514', 'limit "fund_balance" (一, 九) refuses 1200000.01 from fund relief: the balance would go below zero',
                 '一: finance cannot pay out more than the fund holds');
SELECT lives_ok($$INSERT INTO bangfu_register.fund_transfer (from_fund, to_fund, amount, booked_on, authority)
                  VALUES ('relief', 'enterprise', 1200000, '2026-03-01', 'test')$$,
                'finance can pay out what the fund really holds');
RESET ROLE;

-- 2. Use up the county's relief quota through a table of one's own.
SET LOCAL ROLE sec_reader;
CREATE TEMP TABLE my_grant (granted_on date NOT NULL);
SELECT throws_ok($$SELECT bangfu.attach_limit('pg_temp.my_grant', 'relief_quota', '{}', NULL, 'granted_on', 'reject', 'common')$$,
                 '42501', NULL, 'the read-only role cannot attach the county''s quota books');
SELECT bangfu.attach_limit('pg_temp.my_grant', 'relief_quota', '{}', NULL, 'granted_on', 'reject');
INSERT INTO my_grant VALUES ('2026-03-01'), ('2026-03-02');
SELECT throws_ok($$INSERT INTO my_grant VALUES ('2026-03-03')$$, '23514', NULL,
                 'its own table has a quota of its own');
RESET ROLE;
SELECT is(bangfu.limit_used('relief_quota', '', '2026-06-30'), 0::numeric,
          '二: the county''s quota for 2026 is untouched');
SELECT is((SELECT count(*)::integer FROM bangfu.usage WHERE book = 0::oid::regclass AND tab <> ALL
             (ARRAY['bangfu_register.relief_grant', 'bangfu_register.medical_stay', 'bangfu_register.fund_entry']::regclass[])),
          0, 'no row outside the register is in the common books');

-- 3. A temporary or unlogged table can never share books with a permanent one.
CREATE ROLE sec_admin LOGIN IN ROLE bangfu_policy_admin;
CREATE TEMP TABLE admin_tmp (fund text NOT NULL, amount numeric(14,2) NOT NULL);
CREATE UNLOGGED TABLE public.admin_unlogged (fund text NOT NULL, amount numeric(14,2) NOT NULL);
GRANT SELECT ON admin_tmp TO sec_admin;
SET LOCAL ROLE sec_admin;
SELECT throws_ok($$INSERT INTO bangfu.limit_share (limit_name, tab) VALUES ('fund_balance', 'pg_temp.admin_tmp')$$,
                 '42501', NULL, 'even a policy admin cannot admit a temporary table');
SELECT throws_ok($$INSERT INTO bangfu.limit_share (limit_name, tab) VALUES ('fund_balance', 'public.admin_unlogged')$$,
                 '42501', NULL, 'nor an unlogged one');
SELECT throws_ok($$DELETE FROM bangfu.limit_share WHERE tab = 'bangfu_register.fund_entry'::regclass$$,
                 '55000', NULL, 'nor take the register out of its own books');
RESET ROLE;

-- 4. An admitted table counts in the common books, and only with books => 'common'.
CREATE TABLE public.sec_county_entry (fund text NOT NULL, amount numeric(14,2) NOT NULL);
SET LOCAL ROLE sec_admin;
INSERT INTO bangfu.limit_share (limit_name, tab) VALUES ('fund_balance', 'public.sec_county_entry');
RESET ROLE;
SELECT throws_ok($$SELECT bangfu.attach_limit('public.sec_county_entry', 'fund_balance', ARRAY['fund'], 'amount')$$,
                 '22023', NULL, 'an admitted table says it counts in the common books');
SELECT bangfu.attach_limit('public.sec_county_entry', 'fund_balance', ARRAY['fund'], 'amount', books => 'common');
INSERT INTO public.sec_county_entry VALUES ('relief', 50);
SELECT is(bangfu.limit_used('fund_balance', 'relief'), 50.00, 'an admitted table''s credit is in the county''s books');

-- 5. Reading (and locking) a subject's use needs the right to read the books.
CREATE TABLE public.sec_private (who text NOT NULL, amount numeric(12,2) NOT NULL, d date NOT NULL);
SELECT bangfu.attach_limit('public.sec_private', 'charity_bed_yearly', ARRAY['who'], 'amount', 'd');
SET LOCAL ROLE sec_nobody;
SELECT throws_ok($$SELECT bangfu.limit_used('charity_bed_yearly', 'x', '2026-01-01', 'public.sec_private')$$,
                 '42501', NULL, 'limit_used on a table''s books needs SELECT on the table');
RESET ROLE;
REVOKE SELECT ON bangfu.usage FROM PUBLIC;
SET LOCAL ROLE sec_nobody;
SELECT throws_ok($$SELECT bangfu.limit_used('serious_illness_yearly', '110105194912310029')$$,
                 '42501', NULL, 'limit_used on the common books needs what reading the ledger needs');
RESET ROLE;
-- (health reads the register's stays; readers do not: doc/security.md)
SET LOCAL ROLE sec_health;
SELECT lives_ok($$SELECT bangfu.limit_used('serious_illness_yearly', '110105194912310029')$$,
                'health, which reads the register''s stays, may read (and lock) a person''s use of their cap without reading the ledger');
RESET ROLE;

-- 6. The engine's ledger-writing steps are for the table's owner or a policy admin.
SET LOCAL ROLE sec_nobody;
SELECT throws_ok($$SELECT bangfu.limit_recount('bangfu_register.fund_entry', 'fund_balance')$$, '42501', NULL,
                 'nobody else may recount the register''s books (and lock the table meanwhile)');
SELECT throws_ok($$SELECT bangfu.limit_forget('bangfu_register.fund_entry', 'fund_balance')$$, '42501', NULL,
                 'nor make the engine forget what the register used');
RESET ROLE;
SET LOCAL ROLE sec_admin;
SELECT throws_ok($$SELECT bangfu.limit_forget('bangfu_register.fund_entry', 'fund_balance')$$, '55000', NULL,
                 'and not even a policy admin while the limit is attached');
RESET ROLE;

-- 7. The common books hold as many tables as the engine can count (4).
CREATE TABLE public.sec_b2 (fund text NOT NULL, amount numeric(14,2) NOT NULL);
CREATE TABLE public.sec_b3 (LIKE public.sec_b2);
CREATE TABLE public.sec_b4 (LIKE public.sec_b2);
INSERT INTO bangfu.limit_share (limit_name, tab) VALUES ('fund_balance', 'public.sec_b2'), ('fund_balance', 'public.sec_b3');
SELECT throws_ok($$INSERT INTO bangfu.limit_share (limit_name, tab) VALUES ('fund_balance', 'public.sec_b4')$$,
                 '54000', NULL, 'a fifth table is refused when admitted, not when its rows are written');

SELECT * FROM finish();
ROLLBACK;
