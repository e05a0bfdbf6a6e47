-- test/upgrade/register_data.sql: the ready register's rows, one line per
-- table ("name | rows | md5 of the sorted rows"), its ledger and fund
-- balances, and limit_check(); equal before and after an update.
\set ON_ERROR_STOP 1
SET client_min_messages = warning;
SET DateStyle = 'ISO, YMD';
CREATE FUNCTION pg_temp.fp(q text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE r text;
BEGIN
    EXECUTE format($f$SELECT count(*) || ' | ' || md5(coalesce(string_agg(t::text, E'\n' ORDER BY t::text), ''))
                        FROM (%s) t$f$, q) INTO r;
    RETURN r;
END $$;
SELECT name || ' | ' || fp
  FROM (SELECT c.oid::regclass::text AS name, pg_temp.fp(format('SELECT * FROM %s', c.oid::regclass)) AS fp
          FROM pg_class c WHERE c.relnamespace = 'bangfu_register'::regnamespace AND c.relkind = 'r'
        UNION ALL
        SELECT c.oid::regclass::text, pg_temp.fp(format('SELECT last_value, is_called FROM %s', c.oid::regclass))
          FROM pg_class c WHERE c.relnamespace = 'bangfu_register'::regnamespace AND c.relkind = 'S'
        UNION ALL
        SELECT 'bangfu.policy (added)', pg_temp.fp('SELECT * FROM bangfu.policy WHERE NOT shipped')
        UNION ALL
        SELECT 'bangfu.usage', pg_temp.fp('SELECT limit_name, tab::text, subject, period, used FROM bangfu.usage')
        UNION ALL
        SELECT 'fund balances', pg_temp.fp('SELECT * FROM bangfu_register.fund_balance')
        UNION ALL
        SELECT 'bangfu.limit_check()', (SELECT count(*) FROM bangfu.limit_check()) || ' differences') x
 ORDER BY 1;
