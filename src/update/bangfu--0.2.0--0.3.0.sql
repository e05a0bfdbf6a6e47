-- bangfu 0.2.0 -> 0.3.0: ALTER EXTENSION bangfu UPDATE TO '0.3.0'.
--
-- Every change 0.3.0 makes to the install script (src/*.sql), made here to a
-- database installed at 0.2.0; scripts/upgrade_test.sh checks that the result
-- equals a fresh install.  One section per piece of work, in this order.

\echo Use "ALTER EXTENSION bangfu UPDATE TO '0.3.0'" to load this file. \quit


-- ==== security: the limit engine (issue 8) ================================



-- ==== security: privileges, personal data, install hazards (issue 8) ======



-- ==== the register on its own, restore (issue 9) ==========================



-- ==== operations: encodings, policy visibility (issue 9) ==================



-- ==== platforms: PostgreSQL 17 (issue 10) =================================



-- ==== clients: cnid comparisons with text (issue 10) ======================



-- ==== readings settled in the spec (issue 15) =============================

-- 二 quota: the floor reported is never above the ceiling.
UPDATE bangfu.policy_param
   SET description = 'Least share of the county''s urban permanent-resident households relieved in a year (one rate over [0,); the count is rounded up, and lowered to the ceiling where it would pass it).'
 WHERE param OPERATOR(pg_catalog.=) 'relief.quota.min_share';
COMMENT ON FUNCTION bangfu.relief_quota_min(integer, date) IS
    '二 least households to relieve in a year: ceil(3%) of the urban permanent-resident households, or the ceiling floor(5%) where that is lower (1-19 and 34-39 households).';
COMMENT ON FUNCTION bangfu.relief_quota(integer, date) IS
    '二 households relieved in a year: at least ceil(3%), at most floor(5%) of the urban permanent-resident households (城镇常住户的3%-5%); the ceiling holds, so where ceil(3%) would pass it (1-19 and 34-39 households) the least is the ceiling.';

-- 八(2): the window of a loan of 29 February runs through 28 February.
COMMENT ON FUNCTION bangfu.loan_interest_subsidy(numeric, numeric, date, date, date) IS
    '八(2) interest paid from the enterprise fund (给予2年贴息): principal × annual_rate × days / 360 over the days of [period_from, period_to) from loan_start up to the day before its second anniversary (the anniversary of 29 February is 1 March in a common year: a loan of 2024-02-29 is subsidised through 2026-02-28); annual_rate is a fraction (0.0435); the policy version is the one in force on loan_start.';

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
        RAISE EXCEPTION 'unknown relief reason "%" (argument reason of bangfu.relief_reason_label)', reason
            USING ERRCODE = 'invalid_parameter_value',
                  DETAIL = 'Rule: bangfu.relief_reason_label (二 temporary relief).',
                  HINT = 'A reason is one of the values of bangfu.relief_reason: SELECT enum_range(NULL::bangfu.relief_reason).';
    END IF;
    RETURN bangfu.relief_reason_label(reason::bangfu.relief_reason);
END
$$;
COMMENT ON FUNCTION bangfu.relief_reason_label(text) IS
    '二 the seed''s Chinese wording of a relief reason given by its code; an unknown code is refused naming the function.';

-- An unknown scenario named with the function it was given to.
CREATE OR REPLACE FUNCTION bangfu.scenario_compare(scenario text, on_date date DEFAULT CURRENT_DATE)
RETURNS TABLE (param text, kind text, clause text, in_force text, in_force_from date, proposed text)
LANGUAGE plpgsql STABLE STRICT PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
#variable_conflict use_column
BEGIN
    IF NOT EXISTS (SELECT FROM bangfu.scenario s WHERE s.name = scenario_compare.scenario) THEN
        RAISE EXCEPTION 'unknown scenario "%" (argument scenario of bangfu.scenario_compare)', scenario_compare.scenario
            USING ERRCODE = 'invalid_parameter_value',
                  HINT = 'Scenarios are rows of bangfu.scenario.';
    END IF;
    RETURN QUERY
    SELECT v.param, k.kind, k.clause, f.value, f.valid_from,
           coalesce(v.tiers::text, v.amount::text, v.count::text, v.band::text)
      FROM bangfu.scenario_value v
      JOIN bangfu.policy_param k ON k.param = v.param
      LEFT JOIN bangfu.policy_in_force(scenario_compare.on_date) f ON f.param = v.param
     WHERE v.scenario = scenario_compare.scenario
     ORDER BY v.param COLLATE "C";
END
$$;


-- ==== one-pass settlement (issue 12) ======================================



-- ==== messages in Chinese (issue 10) =======================================



-- ==== end ==================================================================
