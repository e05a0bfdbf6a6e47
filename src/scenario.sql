
-- ---------------------------------------------------------------------------
-- What-if scenarios.  A scenario (bangfu.scenario) overrides the parameters
-- it names (bangfu.scenario_value) at every date and falls back to the policy
-- in force for the rest; every rule function has an overload ending in
-- "scenario text".  This part adds the comparison of a scenario with the
-- policy in force, and aggregates that apply the yearly caps of 四 stay after
-- stay, so that a whole caseload is re-computed in one statement.
-- ---------------------------------------------------------------------------

CREATE FUNCTION bangfu.scenario_compare(scenario text, on_date date DEFAULT CURRENT_DATE)
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
COMMENT ON FUNCTION bangfu.scenario_compare(text, date) IS
    '十二 what-if: the parameters a scenario overrides, with the value in force on a date (and the date it applies from) beside the proposed one.';

-- 四(1) over a caseload: the charity-bed reduction of each stay, with the
-- per-stay cap and what remains of the yearly cap, summed in date order.
CREATE FUNCTION bangfu.medical_reduction_total_step(internal, numeric, date)
RETURNS internal
    AS 'MODULE_PATHNAME', 'bf_medical_reduction_total_step' LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION bangfu.medical_reduction_total_step(internal, numeric, date) IS
    '四(1) transition function of bangfu.medical_reduction_total.';

CREATE FUNCTION bangfu.medical_reduction_total_step(internal, numeric, date, text)
RETURNS internal
    AS 'MODULE_PATHNAME', 'bf_medical_reduction_total_step' LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION bangfu.medical_reduction_total_step(internal, numeric, date, text) IS
    '四(1) transition function of bangfu.medical_reduction_total under a scenario.';

CREATE FUNCTION bangfu.illness_relief_total_step(internal, numeric, date)
RETURNS internal
    AS 'MODULE_PATHNAME', 'bf_illness_relief_total_step' LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION bangfu.illness_relief_total_step(internal, numeric, date) IS
    '四(2) transition function of bangfu.illness_relief_total.';

CREATE FUNCTION bangfu.illness_relief_total_step(internal, numeric, date, text)
RETURNS internal
    AS 'MODULE_PATHNAME', 'bf_illness_relief_total_step' LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION bangfu.illness_relief_total_step(internal, numeric, date, text) IS
    '四(2) transition function of bangfu.illness_relief_total under a scenario.';

CREATE FUNCTION bangfu.cap_total_final(internal)
RETURNS numeric
    AS 'MODULE_PATHNAME', 'bf_cap_total_final' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION bangfu.cap_total_final(internal) IS
    '四 final function of the yearly-cap aggregates: the total in yuan.';

-- No combine function: the cap makes the order matter, so these never run
-- as partial aggregates; PARALLEL SAFE lets them run inside a parallel plan.
CREATE AGGREGATE bangfu.medical_reduction_total(cost numeric, on_date date) (
    SFUNC = bangfu.medical_reduction_total_step,
    STYPE = internal,
    FINALFUNC = bangfu.cap_total_final,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE bangfu.medical_reduction_total(numeric, date) IS
    '四(1) charity-bed reductions of a patient''s stays, per-stay and yearly caps applied stay after stay (the yearly cap starts again each calendar year). Call with ORDER BY the date.';

CREATE AGGREGATE bangfu.medical_reduction_total(cost numeric, on_date date, scenario text) (
    SFUNC = bangfu.medical_reduction_total_step,
    STYPE = internal,
    FINALFUNC = bangfu.cap_total_final,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE bangfu.medical_reduction_total(numeric, date, text) IS
    '四(1) charity-bed reductions of a patient''s stays under a what-if scenario. Call with ORDER BY the date.';

CREATE AGGREGATE bangfu.illness_relief_total(own_share numeric, on_date date) (
    SFUNC = bangfu.illness_relief_total_step,
    STYPE = internal,
    FINALFUNC = bangfu.cap_total_final,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE bangfu.illness_relief_total(numeric, date) IS
    '四(2) serious-illness relief of a patient''s stays, the yearly cap applied stay after stay (starting again each calendar year). Call with ORDER BY the date.';

CREATE AGGREGATE bangfu.illness_relief_total(own_share numeric, on_date date, scenario text) (
    SFUNC = bangfu.illness_relief_total_step,
    STYPE = internal,
    FINALFUNC = bangfu.cap_total_final,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE bangfu.illness_relief_total(numeric, date, text) IS
    '四(2) serious-illness relief of a patient''s stays under a what-if scenario. Call with ORDER BY the date.';
