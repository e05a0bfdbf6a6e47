-- Attack class "the policy admin is powerful, not omnipotent" (issue 8), the
-- limit engine's half.  Before 0.3.0 the policy admin crashed the server
-- (SIGSEGV) with a cap function returning an integer, where the engine read
-- a numeric, and could change or delete the shipped limits.
BEGIN;
SELECT plan(19);

CREATE ROLE sec_padmin LOGIN IN ROLE bangfu_policy_admin;
GRANT CREATE ON SCHEMA public TO sec_padmin;
CREATE TABLE public.sec_t (who text NOT NULL, amount numeric(12,2) NOT NULL, d date NOT NULL);
SELECT bangfu.attach_limit('public.sec_t', 'charity_bed_yearly', ARRAY['who'], 'amount', 'd');
GRANT INSERT ON public.sec_t TO PUBLIC;

SET LOCAL ROLE sec_padmin;
-- 1. Shipped limits cannot be changed or removed.
SELECT throws_ok($$UPDATE bangfu.limit_def SET cap_param = 'medical.serious_illness.yearly_cap' WHERE name = 'charity_bed_yearly'$$,
                 '55000', NULL, 'a shipped limit''s cap cannot be pointed elsewhere');
SELECT throws_ok($$UPDATE bangfu.limit_def SET direction = 1 WHERE name = 'fund_balance'$$,
                 '55000', NULL, 'the fund balance cannot be turned around');
SELECT throws_ok($$DELETE FROM bangfu.limit_def WHERE name = 'relief_quota'$$,
                 '55000', NULL, 'the relief quota cannot be removed');
SELECT throws_ok($$INSERT INTO bangfu.limit_def (name, clause, unit, period, cap_param, description, shipped)
                   VALUES ('sec_fake', '二', 'rows', 'year', 'relief.grants_per_year', 'fake', true)$$,
                 '55000', NULL, 'nor can a row pretend to be shipped');

-- 2. Caps that would break every later write are refused when written.
CREATE FUNCTION public.sec_cap_int(date) RETURNS integer LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog
    AS $$ SELECT 3 $$;
CREATE FUNCTION public.sec_cap_text(date) RETURNS text LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog
    AS $$ SELECT 'lots' $$;
CREATE FUNCTION public.sec_cap_two(date, date) RETURNS numeric LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog
    AS $$ SELECT 3::numeric $$;
CREATE FUNCTION public.sec_cap_invoker(date) RETURNS numeric LANGUAGE sql
    AS $$ SELECT 3::numeric $$;
SELECT throws_ok($$INSERT INTO bangfu.limit_def (name, clause, unit, period, cap_function, description)
                   VALUES ('sec_text', '县', 'rows', 'year', 'public.sec_cap_text(date)', 'x')$$,
                 '22023', NULL, 'a cap function returning text is refused');
SELECT throws_ok($$INSERT INTO bangfu.limit_def (name, clause, unit, period, cap_function, description)
                   VALUES ('sec_two', '县', 'rows', 'year', 'public.sec_cap_two(date,date)', 'x')$$,
                 '22023', NULL, 'a cap function of two arguments is refused');
SELECT throws_ok($$INSERT INTO bangfu.limit_def (name, clause, unit, period, cap_function, description)
                   VALUES ('sec_inv', '县', 'rows', 'year', 'public.sec_cap_invoker(date)', 'x')$$,
                 '42501', NULL, 'a cap function that would run with each writer''s rights is refused');
CREATE FUNCTION public.sec_cap_steerable(date) RETURNS numeric LANGUAGE sql SECURITY DEFINER
    AS $$ SELECT 3::numeric $$;
SELECT throws_ok($$INSERT INTO bangfu.limit_def (name, clause, unit, period, cap_function, description)
                   VALUES ('sec_steer', '县', 'rows', 'year', 'public.sec_cap_steerable(date)', 'x')$$,
                 '42501', NULL, 'a SECURITY DEFINER cap function without its own search_path is refused (a writer could steer it)');
SELECT throws_ok($$INSERT INTO bangfu.limit_def (name, clause, unit, period, description)
                   VALUES ('sec_nocap', '县', 'money', 'year', 'x')$$,
                 '22023', NULL, 'a limit with no cap is refused');
SELECT throws_ok($$INSERT INTO bangfu.limit_def (name, clause, unit, period, cap_param, description)
                   VALUES ('sec_kind', '县', 'money', 'year', 'relief.grants_per_year', 'x')$$,
                 '22023', NULL, 'a money limit with a count parameter is refused');
SELECT lives_ok($$INSERT INTO bangfu.limit_def (name, clause, unit, period, cap_function, description)
                  VALUES ('sec_int', '县', 'rows', 'year', 'public.sec_cap_int(date)', 'three a year')$$,
                'an integer cap function of the right shape is taken');
SELECT lives_ok($$INSERT INTO bangfu.limit_def (name, clause, unit, period, zero_cap, direction, description)
                  VALUES ('sec_zero', '县', 'money', 'lifetime', true, -1, 'a balance')$$,
                'a zero cap said so explicitly is taken');
RESET ROLE;

-- 3. The engine reads an integer cap right (this crashed the server before).
CREATE TABLE public.sec_rows (who text NOT NULL, d date NOT NULL);
SELECT bangfu.attach_limit('public.sec_rows', 'sec_int', ARRAY['who'], NULL, 'd');
INSERT INTO public.sec_rows VALUES ('w', '2026-01-01'), ('w', '2026-02-01'), ('w', '2026-03-01');
SELECT throws_ok($$INSERT INTO public.sec_rows VALUES ('w', '2026-04-01')$$, '23514', NULL,
                 'an integer cap of 3 lets three rows through and refuses the fourth');

SET LOCAL ROLE sec_padmin;
SELECT throws_ok($$DELETE FROM bangfu.limit_def WHERE name = 'sec_int'$$, '55000', NULL,
                 'a limit in use cannot be removed from under its tables');
SELECT throws_ok($$UPDATE bangfu.limit_def SET unit = 'count' WHERE name = 'sec_int'$$, '55000', NULL,
                 'nor can what it counts change');
RESET ROLE;

-- 4. What the admin does afterwards to its function never reaches a writer's rights or crashes.
SET LOCAL ROLE sec_padmin;
ALTER FUNCTION public.sec_cap_int(date) SECURITY INVOKER;
RESET ROLE;
SELECT throws_ok($$INSERT INTO public.sec_rows VALUES ('x', '2026-01-01')$$, '42P17', NULL,
                 'a cap function turned SECURITY INVOKER later is no longer called');
SET LOCAL ROLE sec_padmin;
DROP FUNCTION public.sec_cap_int(date);
RESET ROLE;
SELECT throws_ok($$INSERT INTO public.sec_rows VALUES ('x', '2026-01-01')$$, '42883', NULL,
                 'a dropped cap function gives a clear error');
-- even a superuser who bypasses the guard cannot make the engine crash
ALTER TABLE bangfu.limit_def DISABLE TRIGGER limit_def_guard;
UPDATE bangfu.limit_def SET cap_function = 'public.sec_cap_text(date)' WHERE name = 'sec_int';
ALTER TABLE bangfu.limit_def ENABLE TRIGGER limit_def_guard;
SELECT throws_ok($$INSERT INTO public.sec_rows VALUES ('x', '2026-01-01')$$, '42P17', NULL,
                 'a cap function of the wrong type written behind the guard''s back is refused, not called');
SELECT throws_ok($$SELECT bangfu.limit_cap('sec_int', '2026-01-01')$$, '42P17', NULL,
                 'limit_cap refuses it the same way');

SELECT * FROM finish();
ROLLBACK;
