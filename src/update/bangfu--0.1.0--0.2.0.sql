-- bangfu 0.1.0 -> 0.2.0
--
-- * The rules' default on_date (CURRENT_DATE) no longer costs anything per
--   row: a planner support function (bangfu.today_support) takes it out of a
--   planned call, or swaps it for bangfu.today() where it is not the last
--   argument (src/today.c).
-- * relief_installments and relief_quota become SQL functions over C scalars
--   (relief_first_half/second_half, relief_quota_min/max) that the planner
--   inlines; they are no longer STRICT, and a NULL argument gives one row of
--   NULLs instead of none.  relief_reason_label is inlinable too.
-- * hard_to_employ(cnid, date) reads sex and birth date in C.
--
-- The C entry points of 0.1.0 stay in the library, so a database still at
-- 0.1.0 keeps working with the new library until it is updated.

\echo Use "ALTER EXTENSION bangfu UPDATE TO '0.2.0'" to load this file. \quit

CREATE FUNCTION bangfu.today() RETURNS date
    AS 'MODULE_PATHNAME', 'bf_today'
    LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION bangfu.today() IS
    'CURRENT_DATE, worked out once per transaction and time zone: what a rule''s default on_date becomes in a plan.';

CREATE FUNCTION bangfu.today_support(internal) RETURNS internal
    AS 'MODULE_PATHNAME', 'bf_today_support'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION bangfu.today_support(internal) IS
    'Planner support of the rule functions: a CURRENT_DATE argument becomes bangfu.today().';

ALTER FUNCTION bangfu.medical_reduction(numeric, date, numeric) SUPPORT bangfu.today_support;
ALTER FUNCTION bangfu.illness_relief(numeric, date, numeric) SUPPORT bangfu.today_support;
ALTER FUNCTION bangfu.medical_settlement(numeric, date, numeric, numeric) SUPPORT bangfu.today_support;
ALTER FUNCTION bangfu.relief_band(bangfu.relief_reason, date) SUPPORT bangfu.today_support;
ALTER FUNCTION bangfu.relief_in_band(bangfu.relief_reason, numeric, date) SUPPORT bangfu.today_support;
ALTER FUNCTION bangfu.pension_subsidy(numeric, date) SUPPORT bangfu.today_support;
ALTER FUNCTION bangfu.pension_subsidy(numeric, integer, integer, date) SUPPORT bangfu.today_support;
ALTER FUNCTION bangfu.enterprise_subsidy(numeric, numeric, numeric, date) SUPPORT bangfu.today_support;
ALTER FUNCTION bangfu.enterprise_loan_quota(integer, integer, date) SUPPORT bangfu.today_support;
ALTER FUNCTION bangfu.handicraft_reward(numeric, date) SUPPORT bangfu.today_support;
-- the scenario overloads: a CURRENT_DATE written there becomes bangfu.today()
ALTER FUNCTION bangfu.medical_reduction(numeric, date, numeric, text) SUPPORT bangfu.today_support;
ALTER FUNCTION bangfu.illness_relief(numeric, date, numeric, text) SUPPORT bangfu.today_support;
ALTER FUNCTION bangfu.medical_settlement(numeric, date, numeric, numeric, text) SUPPORT bangfu.today_support;
ALTER FUNCTION bangfu.relief_band(bangfu.relief_reason, date, text) SUPPORT bangfu.today_support;
ALTER FUNCTION bangfu.relief_in_band(bangfu.relief_reason, numeric, date, text) SUPPORT bangfu.today_support;
ALTER FUNCTION bangfu.pension_subsidy(numeric, date, text) SUPPORT bangfu.today_support;
ALTER FUNCTION bangfu.pension_subsidy(numeric, integer, integer, date, text) SUPPORT bangfu.today_support;
ALTER FUNCTION bangfu.enterprise_subsidy(numeric, numeric, numeric, date, text) SUPPORT bangfu.today_support;
ALTER FUNCTION bangfu.enterprise_loan_quota(integer, integer, date, text) SUPPORT bangfu.today_support;
ALTER FUNCTION bangfu.handicraft_reward(numeric, date, text) SUPPORT bangfu.today_support;

CREATE OR REPLACE FUNCTION bangfu.relief_reason_label(reason bangfu.relief_reason)
RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN CASE
    WHEN reason OPERATOR(pg_catalog.=) 'critical_illness'::bangfu.relief_reason THEN '因患危重疾病或意外事故'
    WHEN reason OPERATOR(pg_catalog.=) 'disability_chronic'::bangfu.relief_reason THEN '因身体残疾或患疑难慢性疾病'
    WHEN reason OPERATOR(pg_catalog.=) 'education'::bangfu.relief_reason THEN '因子女教育费用负担过重'
    WHEN reason OPERATOR(pg_catalog.=) 'single_parent_other'::bangfu.relief_reason THEN '因单亲家庭及其他特殊原因'
END;

CREATE FUNCTION bangfu.relief_first_half(amount numeric)
RETURNS numeric
    AS 'MODULE_PATHNAME', 'bf_relief_first_half' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION bangfu.relief_first_half(numeric) IS
    '二 first installment of a relief (上半年): half the amount rounded up to the fen.';

CREATE FUNCTION bangfu.relief_second_half(amount numeric)
RETURNS numeric
    AS 'MODULE_PATHNAME', 'bf_relief_second_half' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION bangfu.relief_second_half(numeric) IS
    '二 second installment of a relief (下半年): the amount less the first installment.';

CREATE OR REPLACE FUNCTION bangfu.relief_installments(amount numeric)
RETURNS TABLE (first_half numeric, second_half numeric)
LANGUAGE sql IMMUTABLE PARALLEL SAFE ROWS 1
BEGIN ATOMIC
    SELECT bangfu.relief_first_half(amount), bangfu.relief_second_half(amount);
END;

CREATE FUNCTION bangfu.relief_quota_min(urban_households integer, on_date date DEFAULT CURRENT_DATE)
RETURNS integer
    AS 'MODULE_PATHNAME', 'bf_relief_quota_min' LANGUAGE C STABLE STRICT PARALLEL SAFE
    SUPPORT bangfu.today_support;
COMMENT ON FUNCTION bangfu.relief_quota_min(integer, date) IS
    '二 least households to relieve in a year: ceil(3%) of the urban permanent-resident households.';

CREATE FUNCTION bangfu.relief_quota_min(urban_households integer, on_date date, scenario text)
RETURNS integer
    AS 'MODULE_PATHNAME', 'bf_relief_quota_min' LANGUAGE C STABLE STRICT PARALLEL SAFE
    SUPPORT bangfu.today_support;
COMMENT ON FUNCTION bangfu.relief_quota_min(integer, date, text) IS
    '二 least households to relieve, under a what-if scenario.';

CREATE FUNCTION bangfu.relief_quota_max(urban_households integer, on_date date DEFAULT CURRENT_DATE)
RETURNS integer
    AS 'MODULE_PATHNAME', 'bf_relief_quota_max' LANGUAGE C STABLE STRICT PARALLEL SAFE
    SUPPORT bangfu.today_support;
COMMENT ON FUNCTION bangfu.relief_quota_max(integer, date) IS
    '二 most households to relieve in a year: floor(5%) of the urban permanent-resident households.';

CREATE FUNCTION bangfu.relief_quota_max(urban_households integer, on_date date, scenario text)
RETURNS integer
    AS 'MODULE_PATHNAME', 'bf_relief_quota_max' LANGUAGE C STABLE STRICT PARALLEL SAFE
    SUPPORT bangfu.today_support;
COMMENT ON FUNCTION bangfu.relief_quota_max(integer, date, text) IS
    '二 most households to relieve, under a what-if scenario.';

CREATE OR REPLACE FUNCTION bangfu.relief_quota(urban_households integer, on_date date DEFAULT CURRENT_DATE)
RETURNS TABLE (min_households integer, max_households integer)
LANGUAGE sql STABLE PARALLEL SAFE ROWS 1
BEGIN ATOMIC
    SELECT bangfu.relief_quota_min(urban_households, on_date),
           bangfu.relief_quota_max(urban_households, on_date);
END;

CREATE OR REPLACE FUNCTION bangfu.relief_quota(urban_households integer, on_date date, scenario text)
RETURNS TABLE (min_households integer, max_households integer)
LANGUAGE sql STABLE PARALLEL SAFE ROWS 1
BEGIN ATOMIC
    SELECT bangfu.relief_quota_min(urban_households, on_date, scenario),
           bangfu.relief_quota_max(urban_households, on_date, scenario);
END;

CREATE OR REPLACE FUNCTION bangfu.hard_to_employ(id bangfu.cnid, on_date date)
RETURNS boolean
    AS 'MODULE_PATHNAME', 'bf_hard_to_employ_cnid' LANGUAGE C STABLE STRICT PARALLEL SAFE;
