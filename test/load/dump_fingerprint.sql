-- test/load/dump_fingerprint.sql: one line per table of a county's data,
-- "name | rows | md5 of the sorted rows", for scripts/dump_restore_test.sh to
-- compare before pg_dump and after the restore.  Covers the county's own
-- tables, the ready register (if any), what the county added to the
-- extension's tables (policy versions, scenarios, limits, admissions to the
-- common books), which limits guard which tables in whose books, the limits'
-- ledger with its books (zeros left out: a deleted row's zero is not data), where every sequence stands,
-- the fund balances, and how many differences bangfu.limit_check() finds.
\set ON_ERROR_STOP 1
SET client_min_messages = warning;
SET DateStyle = 'ISO, YMD';
SET extra_float_digits = 3;
CREATE FUNCTION pg_temp.fp(q text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE r text;
BEGIN
    EXECUTE format($f$SELECT count(*) || ' | ' || md5(coalesce(string_agg(t::text, E'\n' ORDER BY t::text), ''))
                        FROM (%s) t$f$, q) INTO r;
    RETURN r;
END $$;
SELECT name || ' | ' || fp
  FROM (SELECT c.oid::regclass::text AS name, pg_temp.fp(format('SELECT * FROM %s', c.oid::regclass)) AS fp
          FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
         WHERE n.nspname IN ('county', 'bangfu_register') AND c.relkind = 'r'
        UNION ALL
        SELECT 'sequence ' || c.oid::regclass::text, pg_temp.fp(format('SELECT last_value, is_called FROM %s', c.oid::regclass))
          FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
         WHERE n.nspname IN ('county', 'bangfu_register') AND c.relkind = 'S'
        UNION ALL
        SELECT 'bangfu.policy (added)', pg_temp.fp('SELECT * FROM bangfu.policy WHERE NOT shipped')
        UNION ALL
        SELECT 'bangfu.policy_superseded', pg_temp.fp('SELECT * FROM bangfu.policy_superseded')
        UNION ALL
        SELECT 'bangfu.scenario', pg_temp.fp('SELECT * FROM bangfu.scenario')
        UNION ALL
        SELECT 'bangfu.scenario_value', pg_temp.fp('SELECT * FROM bangfu.scenario_value')
        UNION ALL
        SELECT 'bangfu.limit_def (added)', pg_temp.fp('SELECT * FROM bangfu.limit_def WHERE NOT shipped')
        UNION ALL
        SELECT 'bangfu.limit_share (added)', pg_temp.fp('SELECT limit_name, tab::text, note FROM bangfu.limit_share WHERE NOT shipped')
        UNION ALL
        SELECT 'bangfu.limit_attachment', pg_temp.fp('SELECT tab::text, limit_name, mode, amount_col, date_col, subject_cols, books FROM bangfu.limit_attachment')
        UNION ALL
        SELECT 'bangfu.usage', pg_temp.fp('SELECT limit_name, tab::text, subject, period, used, book::oid <> 0 AS own_books FROM bangfu.usage WHERE used <> 0')
        UNION ALL
        SELECT 'county fund balances', pg_temp.fp('SELECT fund, sum(amount) FROM county.fund_entry GROUP BY fund')
        UNION ALL
        SELECT 'register fund balances', pg_temp.fp('SELECT * FROM bangfu_register.fund_balance')
         WHERE to_regclass('bangfu_register.fund_balance') IS NOT NULL
        UNION ALL
        SELECT 'bangfu.limit_check()', (SELECT count(*) FROM bangfu.limit_check()) || ' differences') x
 ORDER BY 1;

