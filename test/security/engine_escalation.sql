-- Attack class "no escalation" (issue 8), the limit engine's half: no
-- function of the engine that runs with its owner's rights may evaluate
-- anything a caller controls.  Before 0.3.0 attach_limit called
-- limit_recount (SECURITY DEFINER), whose limit_actual ran
-- "SELECT subject::text ..." over the caller's table: a cast the caller
-- wrote ran as the extension's owner, and any login became superuser.
BEGIN;
SELECT plan(10);

CREATE ROLE sec_mallory LOGIN;          -- no grants at all

-- 1. A temporary composite type with a cast to text that makes its caller superuser.
SET LOCAL ROLE sec_mallory;
CREATE TYPE pg_temp.who AS (x text);
CREATE FUNCTION pg_temp.evil(pg_temp.who) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE 'ALTER ROLE sec_mallory SUPERUSER';
    RETURN $1.x;
END $$;
CREATE CAST (pg_temp.who AS text) WITH FUNCTION pg_temp.evil(pg_temp.who);
CREATE TEMP TABLE grab (who pg_temp.who, on_date date);
INSERT INTO grab VALUES (ROW('a'), '2026-01-01'), (ROW('b'), '2026-02-01');
SELECT lives_ok($$SELECT bangfu.attach_limit('pg_temp.grab', 'relief_yearly', ARRAY['who'], NULL, 'on_date')$$,
                'the attacker may guard a table of its own');
RESET ROLE;
SELECT is((SELECT rolsuper FROM pg_roles WHERE rolname = 'sec_mallory'), false,
          'attach_limit over a caller type with a hostile cast does not make the caller superuser');

-- 2. The same through the engine's functions called directly.
SET LOCAL ROLE sec_mallory;
SELECT lives_ok($$SELECT bangfu.limit_recount('pg_temp.grab', 'relief_yearly')$$, 'limit_recount runs as the caller');
SELECT lives_ok($$SELECT * FROM bangfu.limit_actual('pg_temp.grab', 'relief_yearly')$$, 'limit_actual runs as the caller');
-- (the ledger holds ID numbers and is the office's to read, doc/security.md:
-- a role with no grants is refused, as itself)
SELECT throws_ok($$SELECT * FROM bangfu.limit_check()$$, '42501', NULL,
                 'limit_check runs as the caller, who may not read the ledger');
SELECT lives_ok($$SELECT bangfu.detach_limit('pg_temp.grab', 'relief_yearly')$$, 'detach_limit and limit_forget run as the caller');
-- 3. Dropping a guarded table fires the engine's event trigger (SECURITY DEFINER):
--    it must read nothing of the dropped table.
SELECT bangfu.attach_limit('pg_temp.grab', 'relief_yearly', ARRAY['who'], NULL, 'on_date');
DROP TABLE pg_temp.grab;
RESET ROLE;
SELECT is((SELECT rolsuper FROM pg_roles WHERE rolname = 'sec_mallory'), false,
          'nothing the engine ran for the attacker made it superuser');

-- 4. The root of the class: the engine's functions that run as their owner
--    are a reviewed list, and each takes no caller-controlled expression.
SELECT is(
    (SELECT string_agg(p.proname::text, ',' ORDER BY p.proname) FROM pg_proc p
      WHERE p.pronamespace = 'bangfu'::regnamespace AND p.prosecdef
        AND p.proname IN ('attach_limit', 'detach_limit', 'limit_actual', 'limit_check', 'limit_rebuild',
                          'limit_recount', 'limit_forget', 'limit_used', 'limit_cap', 'limit_cap_units',
                          'limit_over', 'limit_subject', 'limit_guard', 'limit_flush', 'forget_dropped_tables',
                          'limit_def_guard', 'limit_share_guard')),
    'forget_dropped_tables',
'of the limit engine only the sql_drop event trigger runs as its owner (it deletes by OID)');

-- 5. The rebuild reads every guarded table with the rights of its caller.
CREATE ROLE sec_admin_esc;
GRANT bangfu_policy_admin TO sec_admin_esc;
CREATE TABLE public.sec_hidden (who text NOT NULL, on_date date NOT NULL);
SELECT bangfu.attach_limit('public.sec_hidden', 'relief_yearly', ARRAY['who'], NULL, 'on_date');
SET LOCAL ROLE sec_admin_esc;
SELECT throws_ok($$SELECT bangfu.limit_rebuild()$$, '42501', NULL,
                 'limit_rebuild cannot read a table its caller was not granted');
RESET ROLE;

-- 6. ... and with the caller's row-level security: the engine reads rows
--    directly, so it refuses to count a table whose policies hide rows.
CREATE TABLE public.sec_rls (who text NOT NULL, on_date date NOT NULL);
SELECT bangfu.attach_limit('public.sec_rls', 'relief_yearly', ARRAY['who'], NULL, 'on_date');
INSERT INTO public.sec_rls VALUES ('secret', '2026-01-01');
ALTER TABLE public.sec_rls ENABLE ROW LEVEL SECURITY;
CREATE POLICY none_for_mallory ON public.sec_rls USING (false);
GRANT SELECT ON public.sec_rls TO sec_mallory;
SET LOCAL ROLE sec_mallory;
SELECT throws_ok($$SELECT * FROM bangfu.limit_actual('public.sec_rls', 'relief_yearly')$$, '42501', NULL,
                 'limit_actual does not count rows row-level security hides from its caller');
RESET ROLE;

SELECT * FROM finish();
ROLLBACK;
