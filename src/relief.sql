
-- ---------------------------------------------------------------------------
-- 二 temporary relief for special-hardship families (src/relief.c): the
-- bands by reason, the two installments and the yearly quota.  STABLE: the
-- functions read the policy store (through the per-session cache), and
-- each has an overload ending in "scenario text" (a what-if scenario).
-- ---------------------------------------------------------------------------

-- Its parameters: every figure, versioned by date in the policy store (十二).
INSERT INTO bangfu.policy_param (param, kind, clause, description) VALUES
    ('relief.band.critical_illness', 'band', '二(1)',
     'Relief band (yuan, inclusive) for a household in hardship through critical illness or accident.'),
    ('relief.band.disability_chronic', 'band', '二(2)',
     'Relief band (yuan, inclusive) for a household in hardship through disability or a hard-to-cure chronic illness.'),
    ('relief.band.education', 'band', '二(3)',
     'Relief band (yuan, inclusive) for a household in hardship through the cost of its children''s education.'),
    ('relief.band.single_parent_other', 'band', '二(4)',
     'Relief band (yuan, inclusive) for a single-parent household or other special reasons.'),
    ('relief.quota.min_share', 'tiers', '二',
     'Least share of the county''s urban permanent-resident households relieved in a year (one rate over [0,); the count is rounded up, and lowered to the ceiling where it would pass it).'),
    ('relief.quota.max_share', 'tiers', '二',
     'Greatest share of the county''s urban permanent-resident households relieved in a year (one rate over [0,); the count is rounded down).'),
    ('relief.grants_per_year', 'count', '二',
     'Reliefs a household may get in one calendar year, whatever the reason (一年救助一次, 不得以不同原因重复救助).');

INSERT INTO bangfu.policy (param, tiers, amount, count, band, shipped, note) VALUES
    ('relief.band.critical_illness', NULL, NULL, NULL, '[2000,5000]', true,
     '因患危重疾病或意外事故等原因导致家庭生活特别困难的救助标准为2000-5000元'),
    ('relief.band.disability_chronic', NULL, NULL, NULL, '[1000,2000]', true,
     '因身体残疾或患疑难慢性疾病导致家庭生活特别困难的救助标准为1000-2000元'),
    ('relief.band.education', NULL, NULL, NULL, '[1000,2000]', true,
     '因子女教育费用负担过重造成家庭生活困难的救助标准为1000-2000元'),
    ('relief.band.single_parent_other', NULL, NULL, NULL, '[1000,1500]', true,
     '因单亲家庭及其他特殊原因造成家庭生活困难的救助标准为1000-1500元'),
    ('relief.quota.min_share', '[0,) 3%', NULL, NULL, NULL, true,
     '每年救助的对象控制在城镇常住户的3%-5%'),
    ('relief.quota.max_share', '[0,) 5%', NULL, NULL, NULL, true,
     '每年救助的对象控制在城镇常住户的3%-5%'),
    ('relief.grants_per_year', NULL, NULL, 1, NULL, true,
     '一般一年救助一次 … 不得以不同原因重复救助');

CREATE TYPE bangfu.relief_reason AS ENUM
    ('critical_illness', 'disability_chronic', 'education', 'single_parent_other');
COMMENT ON TYPE bangfu.relief_reason IS
    '二 the four reasons for temporary relief, each with its own band (relief.band.<reason>).';

-- Not STRICT, so that the planner inlines the CASE into the calling query
-- (a STRICT SQL function whose body is not strict is called row by row);
-- NULL still gives NULL, as no WHEN matches it.
CREATE FUNCTION bangfu.relief_reason_label(reason bangfu.relief_reason)
RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN CASE
    WHEN reason OPERATOR(pg_catalog.=) 'critical_illness'::bangfu.relief_reason THEN '因患危重疾病或意外事故'
    WHEN reason OPERATOR(pg_catalog.=) 'disability_chronic'::bangfu.relief_reason THEN '因身体残疾或患疑难慢性疾病'
    WHEN reason OPERATOR(pg_catalog.=) 'education'::bangfu.relief_reason THEN '因子女教育费用负担过重'
    WHEN reason OPERATOR(pg_catalog.=) 'single_parent_other'::bangfu.relief_reason THEN '因单亲家庭及其他特殊原因'
END;
COMMENT ON FUNCTION bangfu.relief_reason_label(bangfu.relief_reason) IS
    '二 the seed''s Chinese wording of a relief reason (因患危重疾病或意外事故 …).';

CREATE FUNCTION bangfu.relief_band(reason bangfu.relief_reason, on_date date DEFAULT CURRENT_DATE)
RETURNS numrange
    AS 'MODULE_PATHNAME', 'bf_relief_band' LANGUAGE C STABLE STRICT PARALLEL SAFE
    SUPPORT bangfu.today_support;
COMMENT ON FUNCTION bangfu.relief_band(bangfu.relief_reason, date) IS
    '二 the band (yuan, inclusive) the committee picks a relief amount in, for a reason, in force on a date.';

CREATE FUNCTION bangfu.relief_band(reason bangfu.relief_reason, on_date date, scenario text)
RETURNS numrange
    AS 'MODULE_PATHNAME', 'bf_relief_band' LANGUAGE C STABLE STRICT PARALLEL SAFE
    SUPPORT bangfu.today_support;
COMMENT ON FUNCTION bangfu.relief_band(bangfu.relief_reason, date, text) IS
    '二 relief band as a what-if scenario would set it.';

CREATE FUNCTION bangfu.relief_band_explain(reason bangfu.relief_reason, on_date date DEFAULT CURRENT_DATE)
RETURNS jsonb
    AS 'MODULE_PATHNAME', 'bf_relief_band_explain' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION bangfu.relief_band_explain(bangfu.relief_reason, date) IS
    '二 relief band with the policy version it comes from.';

CREATE FUNCTION bangfu.relief_band_explain(reason bangfu.relief_reason, on_date date, scenario text)
RETURNS jsonb
    AS 'MODULE_PATHNAME', 'bf_relief_band_explain' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION bangfu.relief_band_explain(bangfu.relief_reason, date, text) IS
    '二 relief band explained, as a what-if scenario would set it.';

CREATE FUNCTION bangfu.relief_in_band(reason bangfu.relief_reason, amount numeric,
                                      on_date date DEFAULT CURRENT_DATE)
RETURNS numeric
    AS 'MODULE_PATHNAME', 'bf_relief_in_band' LANGUAGE C STABLE STRICT PARALLEL SAFE
    SUPPORT bangfu.today_support;
COMMENT ON FUNCTION bangfu.relief_in_band(bangfu.relief_reason, numeric, date) IS
    '二 the amount moved into the reason''s band (raised to its least or lowered to its most): what a grant must at least become when the band moves.';

CREATE FUNCTION bangfu.relief_in_band(reason bangfu.relief_reason, amount numeric,
                                      on_date date, scenario text)
RETURNS numeric
    AS 'MODULE_PATHNAME', 'bf_relief_in_band' LANGUAGE C STABLE STRICT PARALLEL SAFE
    SUPPORT bangfu.today_support;
COMMENT ON FUNCTION bangfu.relief_in_band(bangfu.relief_reason, numeric, date, text) IS
    '二 amount moved into the band a what-if scenario sets.';

CREATE FUNCTION bangfu.relief_in_band_explain(reason bangfu.relief_reason, amount numeric,
                                              on_date date DEFAULT CURRENT_DATE)
RETURNS jsonb
    AS 'MODULE_PATHNAME', 'bf_relief_in_band_explain' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION bangfu.relief_in_band_explain(bangfu.relief_reason, numeric, date) IS
    '二 relief_in_band step by step.';

CREATE FUNCTION bangfu.relief_in_band_explain(reason bangfu.relief_reason, amount numeric,
                                              on_date date, scenario text)
RETURNS jsonb
    AS 'MODULE_PATHNAME', 'bf_relief_in_band_explain' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION bangfu.relief_in_band_explain(bangfu.relief_reason, numeric, date, text) IS
    '二 relief_in_band step by step, under a what-if scenario.';

-- The 二 functions also take the reason as text, its code.  An enum
-- argument refuses an unknown code in the enum's own input function, whose
-- message cannot say which rule was called; these forms refuse it naming
-- the argument and the rule (doc/clauses.md §0), with SQLSTATE 22023.  A quoted
-- literal resolves to them (an unknown-type argument prefers text), a
-- column or value of type bangfu.relief_reason to the enum forms, so a
-- caseload read from a table keeps the enum's speed.
CREATE FUNCTION bangfu.relief_band(reason text, on_date date DEFAULT CURRENT_DATE)
RETURNS numrange
    AS 'MODULE_PATHNAME', 'bf_relief_band_text' LANGUAGE C STABLE STRICT PARALLEL SAFE
    SUPPORT bangfu.today_support;
COMMENT ON FUNCTION bangfu.relief_band(text, date) IS
    '二 relief band of a reason given by its code (critical_illness, disability_chronic, education, single_parent_other); an unknown code is refused naming the rule.';

CREATE FUNCTION bangfu.relief_band(reason text, on_date date, scenario text)
RETURNS numrange
    AS 'MODULE_PATHNAME', 'bf_relief_band_text' LANGUAGE C STABLE STRICT PARALLEL SAFE
    SUPPORT bangfu.today_support;
COMMENT ON FUNCTION bangfu.relief_band(text, date, text) IS
    '二 relief band of a reason given by its code, as a what-if scenario would set it.';

CREATE FUNCTION bangfu.relief_band_explain(reason text, on_date date DEFAULT CURRENT_DATE)
RETURNS jsonb
    AS 'MODULE_PATHNAME', 'bf_relief_band_explain_text' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION bangfu.relief_band_explain(text, date) IS
    '二 relief band of a reason given by its code, with the policy version it comes from.';

CREATE FUNCTION bangfu.relief_band_explain(reason text, on_date date, scenario text)
RETURNS jsonb
    AS 'MODULE_PATHNAME', 'bf_relief_band_explain_text' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION bangfu.relief_band_explain(text, date, text) IS
    '二 relief band of a reason given by its code, explained, as a what-if scenario would set it.';

CREATE FUNCTION bangfu.relief_in_band(reason text, amount numeric, on_date date DEFAULT CURRENT_DATE)
RETURNS numeric
    AS 'MODULE_PATHNAME', 'bf_relief_in_band_text' LANGUAGE C STABLE STRICT PARALLEL SAFE
    SUPPORT bangfu.today_support;
COMMENT ON FUNCTION bangfu.relief_in_band(text, numeric, date) IS
    '二 the amount moved into the band of a reason given by its code; an unknown code is refused naming the rule.';

CREATE FUNCTION bangfu.relief_in_band(reason text, amount numeric, on_date date, scenario text)
RETURNS numeric
    AS 'MODULE_PATHNAME', 'bf_relief_in_band_text' LANGUAGE C STABLE STRICT PARALLEL SAFE
    SUPPORT bangfu.today_support;
COMMENT ON FUNCTION bangfu.relief_in_band(text, numeric, date, text) IS
    '二 amount moved into the band a what-if scenario sets, the reason given by its code.';

CREATE FUNCTION bangfu.relief_in_band_explain(reason text, amount numeric, on_date date DEFAULT CURRENT_DATE)
RETURNS jsonb
    AS 'MODULE_PATHNAME', 'bf_relief_in_band_explain_text' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION bangfu.relief_in_band_explain(text, numeric, date) IS
    '二 relief_in_band step by step, the reason given by its code.';

CREATE FUNCTION bangfu.relief_in_band_explain(reason text, amount numeric, on_date date, scenario text)
RETURNS jsonb
    AS 'MODULE_PATHNAME', 'bf_relief_in_band_explain_text' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION bangfu.relief_in_band_explain(text, numeric, date, text) IS
    '二 relief_in_band step by step under a what-if scenario, the reason given by its code.';

CREATE FUNCTION bangfu.relief_reason_label(reason text)
RETURNS text
LANGUAGE plpgsql STABLE STRICT PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF NOT reason OPERATOR(pg_catalog.=) ANY (pg_catalog.enum_range(NULL::bangfu.relief_reason)::text[]) THEN
        PERFORM bangfu.raise_error('relief_reason_unknown', reason);
    END IF;
    RETURN bangfu.relief_reason_label(reason::bangfu.relief_reason);
END
$$;
COMMENT ON FUNCTION bangfu.relief_reason_label(text) IS
    '二 the seed''s Chinese wording of a relief reason given by its code; an unknown code is refused naming the function.';

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

-- An SQL function with one SELECT: the planner inlines it into the calling
-- query (FROM t, LATERAL bangfu.relief_installments(t.amount)), so it costs
-- two scalar calls per row.  Not STRICT (that would stop the inlining): a
-- NULL amount gives one row of NULLs, as the two scalars do.
CREATE FUNCTION bangfu.relief_installments(amount numeric)
RETURNS TABLE (first_half numeric, second_half numeric)
LANGUAGE sql IMMUTABLE PARALLEL SAFE ROWS 1
BEGIN ATOMIC
    SELECT bangfu.relief_first_half(amount), bangfu.relief_second_half(amount);
END;
COMMENT ON FUNCTION bangfu.relief_installments(numeric) IS
    '二 a relief paid in the first and second half of the year (分上、下半年两次发放): first = half rounded up to the fen, second = the rest.';

CREATE FUNCTION bangfu.relief_installments_explain(amount numeric)
RETURNS jsonb
    AS 'MODULE_PATHNAME', 'bf_relief_installments_explain' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION bangfu.relief_installments_explain(numeric) IS
    '二 installments step by step: the exact half and how each installment is rounded.';

CREATE FUNCTION bangfu.relief_quota_min(urban_households integer, on_date date DEFAULT CURRENT_DATE)
RETURNS integer
    AS 'MODULE_PATHNAME', 'bf_relief_quota_min' LANGUAGE C STABLE STRICT PARALLEL SAFE
    SUPPORT bangfu.today_support;
COMMENT ON FUNCTION bangfu.relief_quota_min(integer, date) IS
    '二 least households to relieve in a year: ceil(3%) of the urban permanent-resident households, or the ceiling floor(5%) where that is lower (1-19 and 34-39 households).';

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

-- Inlined into the calling query like relief_installments; a NULL argument
-- gives one row of NULLs.
CREATE FUNCTION bangfu.relief_quota(urban_households integer, on_date date DEFAULT CURRENT_DATE)
RETURNS TABLE (min_households integer, max_households integer)
LANGUAGE sql STABLE PARALLEL SAFE ROWS 1
BEGIN ATOMIC
    SELECT bangfu.relief_quota_min(urban_households, on_date),
           bangfu.relief_quota_max(urban_households, on_date);
END;
COMMENT ON FUNCTION bangfu.relief_quota(integer, date) IS
    '二 households relieved in a year: at least ceil(3%), at most floor(5%) of the urban permanent-resident households (城镇常住户的3%-5%); the ceiling holds, so where ceil(3%) would pass it (1-19 and 34-39 households) the least is the ceiling.';

CREATE FUNCTION bangfu.relief_quota(urban_households integer, on_date date, scenario text)
RETURNS TABLE (min_households integer, max_households integer)
LANGUAGE sql STABLE PARALLEL SAFE ROWS 1
BEGIN ATOMIC
    SELECT bangfu.relief_quota_min(urban_households, on_date, scenario),
           bangfu.relief_quota_max(urban_households, on_date, scenario);
END;
COMMENT ON FUNCTION bangfu.relief_quota(integer, date, text) IS
    '二 relief quota under a what-if scenario.';

CREATE FUNCTION bangfu.relief_quota_explain(urban_households integer, on_date date DEFAULT CURRENT_DATE)
RETURNS jsonb
    AS 'MODULE_PATHNAME', 'bf_relief_quota_explain' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION bangfu.relief_quota_explain(integer, date) IS
    '二 relief quota step by step: shares, exact counts, rounding.';

CREATE FUNCTION bangfu.relief_quota_explain(urban_households integer, on_date date, scenario text)
RETURNS jsonb
    AS 'MODULE_PATHNAME', 'bf_relief_quota_explain' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION bangfu.relief_quota_explain(integer, date, text) IS
    '二 relief quota step by step, under a what-if scenario.';

-- Its limits (src/limits.sql): what the limit triggers enforce row by row.
INSERT INTO bangfu.limit_def (name, clause, unit, period, direction, cap_param, zero_cap, subjects, description, shipped)
SELECT v.*, true FROM (VALUES
    ('relief_yearly', '二', 'rows', 'year', 1, 'relief.grants_per_year', false, 1,
     'Temporary reliefs of one household in one calendar year, whatever the reason.')
) AS v(name, clause, unit, period, direction, cap_param, zero_cap, subjects, description);
