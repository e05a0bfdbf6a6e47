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
  -- Columns added by an update are NULL in the rows it kept (jsonb_strip_nulls
  -- leaves them out), and tables it added have no rows before it (issue 13:
  -- the commitments, transfers, back-payments and the shipped split of the
  -- opening credits;
  -- the object comparison checks them).
  FROM (SELECT c.oid::regclass::text AS name,
               pg_temp.fp(format('SELECT jsonb_strip_nulls(to_jsonb(t)) FROM %s t', c.oid::regclass)) AS fp
          FROM pg_class c WHERE c.relnamespace = 'bangfu_register'::regnamespace AND c.relkind = 'r'
           AND c.relname NOT IN ('fund_commitment', 'fund_transfer', 'fund_opening_source', 'medical_backpay')
        UNION ALL
        SELECT c.oid::regclass::text, pg_temp.fp(format('SELECT last_value, is_called FROM %s', c.oid::regclass))
          FROM pg_class c WHERE c.relnamespace = 'bangfu_register'::regnamespace AND c.relkind = 'S'
           AND c.relname NOT IN ('fund_commitment_id_seq', 'fund_transfer_id_seq', 'medical_backpay_id_seq')
        UNION ALL
        SELECT 'bangfu.policy (added)', pg_temp.fp('SELECT jsonb_strip_nulls(to_jsonb(p)) FROM bangfu.policy p WHERE NOT shipped')
        UNION ALL
        SELECT 'bangfu.usage', pg_temp.fp('SELECT limit_name, tab::text, subject, period, used FROM bangfu.usage
                                             WHERE limit_name <> ''fund_uncommitted''')  -- added by 0.3.0
        UNION ALL
        SELECT 'limits attached by hand', pg_temp.fp('SELECT a.tab::text, a.limit_name, a.mode, a.amount_col, a.date_col, a.subject_cols
                                                        FROM bangfu.limit_attachment a JOIN bangfu.limit_def d ON d.name = a.limit_name
                                                       WHERE NOT d.shipped')
        UNION ALL
        SELECT 'fund balances', pg_temp.fp('SELECT * FROM bangfu_register.fund_balance')
        UNION ALL
        SELECT 'bangfu.limit_check()', (SELECT count(*) FROM bangfu.limit_check()) || ' differences') x
 ORDER BY 1;
