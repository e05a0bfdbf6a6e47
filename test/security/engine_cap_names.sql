-- A limit's cap function is kept by name (bangfu.limit_def.cap_function is
-- text since 0.3.0: pg_upgrade keeps no function OIDs and refused the
-- regprocedure column it was; scripts/pg_upgrade_test.sh).  A name, unlike
-- an OID, could be taken over: once the function is dropped or renamed,
-- whoever may create a function of that name in its schema could have the
-- limit call theirs.  So the function must belong to a role that may change
-- the limits anyway (a superuser, a member of bangfu_policy_admin, or
-- bangfu), when the limit is written and each time it is read.
BEGIN;
SELECT plan(12);

CREATE ROLE sec_cn_admin IN ROLE bangfu_policy_admin;
CREATE ROLE sec_cn_squatter;
GRANT CREATE ON SCHEMA public TO sec_cn_admin, sec_cn_squatter;
CREATE TABLE public.sec_cn_rows (who text NOT NULL, d date NOT NULL);
GRANT INSERT ON public.sec_cn_rows TO PUBLIC;

-- No table of bangfu or the register has a column pg_upgrade refuses.
SELECT is((SELECT count(*)::integer FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
             JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname IN ('bangfu', 'bangfu_register') AND a.attnum > 0 AND NOT a.attisdropped
              AND c.relkind IN ('r', 'p', 'm')
              AND a.atttypid IN ('regproc'::regtype, 'regprocedure'::regtype, 'regoper'::regtype,
                                 'regoperator'::regtype, 'regconfig'::regtype, 'regdictionary'::regtype,
                                 'regnamespace'::regtype, 'regcollation'::regtype)),
          0, 'no reg* column that pg_upgrade refuses (regclass, regtype and regrole it keeps)');
SELECT col_type_is('bangfu', 'limit_def', 'cap_function', 'text', 'cap_function is text');

SET LOCAL ROLE sec_cn_admin;
CREATE FUNCTION public.sec_cn_cap(date) RETURNS integer LANGUAGE sql SECURITY DEFINER
    SET search_path = pg_catalog AS $$ SELECT 2 $$;
-- written in any spelling, kept in one: schema-qualified, as the engine resolves it
SELECT lives_ok($$INSERT INTO bangfu.limit_def (name, clause, unit, period, cap_function, description)
                  VALUES ('sec_cn', '县', 'rows', 'year', 'PUBLIC.Sec_Cn_Cap( date )', 'two a year')$$,
                'the admin names its own SECURITY DEFINER function');
SELECT is((SELECT cap_function FROM bangfu.limit_def WHERE name = 'sec_cn'), 'public.sec_cn_cap(date)',
          'stored schema-qualified, in one spelling');
SELECT throws_ok($$INSERT INTO bangfu.limit_def (name, clause, unit, period, cap_function, description)
                   VALUES ('sec_cn_bare', '县', 'rows', 'year', 'sec_cn_cap(date)', 'x')$$,
                 '22023', NULL, 'a name without its schema is not looked up on the writer''s search_path');
RESET ROLE;

-- A function of a role that may not change the limits cannot be named.
SET LOCAL ROLE sec_cn_squatter;
CREATE FUNCTION public.sec_cn_other(date) RETURNS integer LANGUAGE sql SECURITY DEFINER
    SET search_path = pg_catalog AS $$ SELECT 1000000 $$;
RESET ROLE;
SET LOCAL ROLE sec_cn_admin;
SELECT throws_ok($$INSERT INTO bangfu.limit_def (name, clause, unit, period, cap_function, description)
                   VALUES ('sec_cn_x', '县', 'rows', 'year', 'public.sec_cn_other(date)', 'x')$$,
                 '42501', 'cap function public.sec_cn_other(date) of limit "sec_cn_x" belongs to sec_cn_squatter, a role that may not change the limits',
                 'a cap function of a role that may not change the limits is refused');
RESET ROLE;

SELECT bangfu.attach_limit('public.sec_cn_rows', 'sec_cn', ARRAY['who'], NULL, 'd');
INSERT INTO public.sec_cn_rows VALUES ('w', '2026-01-01'), ('w', '2026-02-01');
SELECT throws_ok($$INSERT INTO public.sec_cn_rows VALUES ('w', '2026-03-01')$$, '23514', NULL,
                 'the cap function found by name gives the cap (two a year)');

-- The admin drops its function; the squatter takes the name.  The limit
-- must not call the squatter's function (a cap of a million).
SET LOCAL ROLE sec_cn_admin;
DROP FUNCTION public.sec_cn_cap(date);
RESET ROLE;
SELECT throws_ok($$INSERT INTO public.sec_cn_rows VALUES ('v', '2026-03-01')$$, '42883', NULL,
                 'a dropped cap function gives a clear error');
SET LOCAL ROLE sec_cn_squatter;
CREATE FUNCTION public.sec_cn_cap(date) RETURNS integer LANGUAGE sql SECURITY DEFINER
    SET search_path = pg_catalog AS $$ SELECT 1000000 $$;
RESET ROLE;
-- (any change to bangfu.limit_def makes every session read the limits again,
-- and a new session reads them afresh: the name now finds the squatter's)
SET LOCAL ROLE sec_cn_admin;
INSERT INTO bangfu.limit_def (name, clause, unit, period, cap_param, description)
VALUES ('sec_cn_reload', '县', 'money', 'year', 'medical.charity_bed.yearly_cap', 'another limit');
RESET ROLE;
SELECT throws_ok($$INSERT INTO public.sec_cn_rows VALUES ('w', '2026-03-01')$$, '42P17', NULL,
                 'a function of the same name made by another role is not called');
SELECT throws_ok($$SELECT bangfu.limit_cap('sec_cn', '2026-01-01')$$, '42P17', NULL,
                 'limit_cap refuses it the same way');
SELECT is((SELECT count(*)::integer FROM public.sec_cn_rows WHERE who = 'w'), 2,
          'the squatter''s cap let no row through');

-- The admin makes it again under its own name: the limit works again.
SET LOCAL ROLE sec_cn_admin;
CREATE FUNCTION public.sec_cn_cap2(date) RETURNS integer LANGUAGE sql SECURITY DEFINER
    SET search_path = pg_catalog AS $$ SELECT 3 $$;
UPDATE bangfu.limit_def SET cap_function = 'public.sec_cn_cap2(date)' WHERE name = 'sec_cn';
RESET ROLE;
SELECT lives_ok($$INSERT INTO public.sec_cn_rows VALUES ('w', '2026-03-01')$$,
                'pointed at the admin''s new function, the limit gives its cap (three a year)');

SELECT * FROM finish();
ROLLBACK;
