-- test/encoding/labels.sql: what a UTF8 client reads from bangfu, run by
-- scripts/encoding_test.sh in a UTF8 and in an EUC_CN database; both outputs
-- must equal test/encoding/expected.out byte for byte.  Every line is ASCII
-- names and Chinese text that the server stored in its own encoding and
-- converted back for the client.
\set ON_ERROR_STOP 1
\pset format unaligned
\pset tuples_only on
\pset null '(null)'
SET client_min_messages = warning;

-- Run a statement; give its first column, or its error as SQLSTATE, message
-- and detail (the details name the rule by its clause: 四(1), 二 ...).
CREATE FUNCTION pg_temp.try(sql text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
    r text;
    st text; msg text; det text;
BEGIN
    EXECUTE sql INTO r;
    RETURN r;
EXCEPTION WHEN OTHERS THEN
    GET STACKED DIAGNOSTICS st = RETURNED_SQLSTATE, msg = MESSAGE_TEXT, det = PG_EXCEPTION_DETAIL;
    RETURN format('ERROR %s: %s / %s', st, msg, det);
END
$$;

-- 二 the four reasons for temporary relief, as the register shows them
SELECT r, bangfu.relief_reason_label(r)
FROM pg_catalog.unnest(pg_catalog.enum_range(NULL::bangfu.relief_reason)) AS r
ORDER BY r;

-- the seed's own wording kept beside each shipped version (四(1), 四(2) ...)
SELECT param, note FROM bangfu.policy WHERE note IS NOT NULL ORDER BY param, valid_from;

-- clauses that the C code names in errors and explanations
SELECT pg_temp.try($$SELECT bangfu.medical_reduction(-1, '2026-01-01')$$);
SELECT pg_temp.try($$SELECT bangfu.illness_relief(0.001, '2026-01-01')$$);
SELECT pg_temp.try($$SELECT bangfu.pension_subsidy(-5, '2026-01-01')$$);
SELECT pg_temp.try($$SELECT bangfu.relief_in_band('education', -1, '2026-01-01')$$);
SELECT pg_temp.try($$SELECT bangfu.medical_reduction_total(x, '2026-01-01', NULL) FROM (VALUES (-1::numeric)) v(x)$$);
SELECT bangfu.medical_reduction_explain(7000, '2026-01-01') ->> 'rule';
SELECT bangfu.illness_relief_explain(15000, '2026-01-01') ->> 'rule';
SELECT bangfu.relief_band_explain('education', '2026-01-01') ->> 'rule';

-- 八(1) sex given in Chinese
SELECT bangfu.hard_to_employ('女', '1970-06-01', '2026-01-01'),
       bangfu.hard_to_employ('男', '1970-06-01', '2026-01-01');

-- a scenario named in Chinese, stored and found again by the C cache
INSERT INTO bangfu.scenario (name, description) VALUES ('提高标准', '十二 提高救助标准');
INSERT INTO bangfu.scenario_value (scenario, param, amount)
VALUES ('提高标准', 'medical.charity_bed.yearly_cap', 25000);
SELECT s.name, s.description, bangfu.medical_reduction(30000, '2026-01-01', 0, s.name)
FROM bangfu.scenario s;
SELECT pg_temp.try($$SELECT bangfu.medical_reduction(30000, '2026-01-01', 0, '没有方案')$$);

-- every comment on the extension's objects, in a collation-free order
SELECT pg_catalog.pg_describe_object(d.classid, d.objid, d.objsubid) || ': ' || c.description
FROM pg_catalog.pg_depend d
JOIN pg_catalog.pg_extension e ON e.oid = d.refobjid
JOIN pg_catalog.pg_description c ON c.classoid = d.classid AND c.objoid = d.objid AND c.objsubid = 0
WHERE d.refclassid = 'pg_catalog.pg_extension'::pg_catalog.regclass
  AND e.extname IN ('bangfu', 'bangfu_register') AND d.deptype = 'e'
ORDER BY pg_catalog.convert_to(pg_catalog.pg_describe_object(d.classid, d.objid, d.objsubid), 'UTF8');

-- the extensions' own comments (from their control files), as \dx shows them
SELECT e.extname, pg_catalog.obj_description(e.oid, 'pg_extension'), a.comment
FROM pg_catalog.pg_extension e JOIN pg_catalog.pg_available_extensions a ON a.name = e.extname
WHERE e.extname IN ('bangfu', 'bangfu_register') ORDER BY 1;

-- Messages in both languages (issue 10's catalog, po/zh_CN.po): a rule's
-- clause named in an error is translated AND in the database's encoding
-- (gettext hands the translation over in it; the untranslated UTF-8 source
-- is converted), and so are bangfu.raise_error's texts, seed clauses and all
-- (一 渠道不乱、用途不变 of program_other_fund, without characters GB 2312
-- lacks).  encoding_test.sh checks the Chinese lines' words too.
SELECT pg_temp.try($$SELECT bangfu.raise_error('program_other_fund', 'relief_grant', 'relief', 'enterprise')$$);
SELECT bangfu.message_text('program_other_fund', 'relief_grant', 'relief', 'enterprise');
SET lc_messages = 'zh_CN.UTF-8';
SELECT 'zh: ' || pg_temp.try($$SELECT bangfu.medical_reduction(-1, '2026-01-01')$$);
SELECT 'zh: ' || pg_temp.try($$SELECT bangfu.relief_band('nonesuch', '2026-01-01')$$);
SELECT 'zh: ' || pg_temp.try($$SELECT bangfu.raise_error('program_other_fund', 'relief_grant', 'relief', 'enterprise')$$);
SELECT 'zh: ' || bangfu.message_text('program_other_fund', 'relief_grant', 'relief', 'enterprise');
RESET lc_messages;
