
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
        PERFORM bangfu.raise_error('scenario_unknown', scenario_compare.scenario);
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

-- ---------------------------------------------------------------------------
-- A caseload settled in one window pass (src/settle.c).  Window functions
-- over the running frame: each row settled against what the rows before it
-- in its partition used, once, in date order.  Window aggregates run in the
-- leader of a parallel plan; PARALLEL SAFE lets them sit above one.
-- ---------------------------------------------------------------------------

CREATE TYPE bangfu.settlement AS (reduction numeric, relief numeric, patient_pays numeric);
COMMENT ON TYPE bangfu.settlement IS
    '四 one stay''s settlement: the charity-bed reduction (四(1)), the serious-illness relief on what is still owed (四(2)), and what the patient pays; reduction + relief + patient_pays = cost.';

CREATE FUNCTION bangfu.medical_settle_step(internal, numeric, date)
RETURNS internal
    AS 'MODULE_PATHNAME', 'bf_medical_settle_step' LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION bangfu.medical_settle_step(internal, numeric, date) IS
    '四 transition function of bangfu.medical_settle.';

CREATE FUNCTION bangfu.medical_settle_step(internal, numeric, date, text)
RETURNS internal
    AS 'MODULE_PATHNAME', 'bf_medical_settle_step' LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION bangfu.medical_settle_step(internal, numeric, date, text) IS
    '四 transition function of bangfu.medical_settle under a scenario.';

CREATE FUNCTION bangfu.medical_settle_step(internal, numeric, date, numeric, numeric)
RETURNS internal
    AS 'MODULE_PATHNAME', 'bf_medical_settle_step' LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION bangfu.medical_settle_step(internal, numeric, date, numeric, numeric) IS
    '四 transition function of bangfu.medical_settle with a starting use.';

CREATE FUNCTION bangfu.medical_settle_step(internal, numeric, date, numeric, numeric, text)
RETURNS internal
    AS 'MODULE_PATHNAME', 'bf_medical_settle_step' LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION bangfu.medical_settle_step(internal, numeric, date, numeric, numeric, text) IS
    '四 transition function of bangfu.medical_settle with a starting use, under a scenario.';

CREATE FUNCTION bangfu.medical_settle_final(internal)
RETURNS bangfu.settlement
    AS 'MODULE_PATHNAME', 'bf_medical_settle_final' LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION bangfu.medical_settle_final(internal) IS
    '四 final function of bangfu.medical_settle: the current row''s settlement, read from the state without changing it.';

CREATE AGGREGATE bangfu.medical_settle(cost numeric, on_date date) (
    SFUNC = bangfu.medical_settle_step,
    STYPE = internal,
    FINALFUNC = bangfu.medical_settle_final,
    FINALFUNC_MODIFY = READ_ONLY,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE bangfu.medical_settle(numeric, date) IS
    '四 a caseload in one pass, as a window function: medical_settle(cost, discharged) OVER (PARTITION BY person ORDER BY discharged, id) gives each stay its 四(1) reduction, 四(2) relief and patient share, the yearly caps applied stay after stay and starting again each calendar year.';

CREATE AGGREGATE bangfu.medical_settle(cost numeric, on_date date, scenario text) (
    SFUNC = bangfu.medical_settle_step,
    STYPE = internal,
    FINALFUNC = bangfu.medical_settle_final,
    FINALFUNC_MODIFY = READ_ONLY,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE bangfu.medical_settle(numeric, date, text) IS
    '四 a caseload in one pass under a what-if scenario (十二), as a window function.';

CREATE AGGREGATE bangfu.medical_settle(cost numeric, on_date date,
                                       reduced_before numeric, relieved_before numeric) (
    SFUNC = bangfu.medical_settle_step,
    STYPE = internal,
    FINALFUNC = bangfu.medical_settle_final,
    FINALFUNC_MODIFY = READ_ONLY,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE bangfu.medical_settle(numeric, date, numeric, numeric) IS
    '四 a caseload in one pass, as a window function, for person-years already partly used: reduced_before and relieved_before are read at each person-year''s first row (what that year used before it) and ignored on its later rows.';

CREATE AGGREGATE bangfu.medical_settle(cost numeric, on_date date,
                                       reduced_before numeric, relieved_before numeric,
                                       scenario text) (
    SFUNC = bangfu.medical_settle_step,
    STYPE = internal,
    FINALFUNC = bangfu.medical_settle_final,
    FINALFUNC_MODIFY = READ_ONLY,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE bangfu.medical_settle(numeric, date, numeric, numeric, text) IS
    '四 a caseload in one pass for person-years already partly used, under a what-if scenario (十二).';

CREATE FUNCTION bangfu.capped_step(internal, text, numeric, date)
RETURNS internal
    AS 'MODULE_PATHNAME', 'bf_capped_step' LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION bangfu.capped_step(internal, text, numeric, date) IS
    '二, 四, 五, 八, 一/九 transition function of bangfu.capped.';

CREATE FUNCTION bangfu.capped_step(internal, text, numeric, date, numeric)
RETURNS internal
    AS 'MODULE_PATHNAME', 'bf_capped_step' LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION bangfu.capped_step(internal, text, numeric, date, numeric) IS
    '二, 四, 五, 八, 一/九 transition function of bangfu.capped with a starting use.';

CREATE FUNCTION bangfu.capped_step(internal, text, numeric, date, numeric, text)
RETURNS internal
    AS 'MODULE_PATHNAME', 'bf_capped_step' LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION bangfu.capped_step(internal, text, numeric, date, numeric, text) IS
    '二, 四, 五, 八, 一/九 transition function of bangfu.capped with a starting use, under a scenario.';

CREATE FUNCTION bangfu.capped_final(internal)
RETURNS numeric
    AS 'MODULE_PATHNAME', 'bf_capped_final' LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION bangfu.capped_final(internal) IS
    '二, 四, 五, 八, 一/九 final function of bangfu.capped: what the current row gets, read from the state without changing it.';

CREATE AGGREGATE bangfu.capped(limit_name text, amount numeric, on_date date) (
    SFUNC = bangfu.capped_step,
    STYPE = internal,
    FINALFUNC = bangfu.capped_final,
    FINALFUNC_MODIFY = READ_ONLY,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE bangfu.capped(text, numeric, date) IS
    '二, 四, 五, 八, 一/九 any limit of bangfu.limit_def over a user''s table in one pass, as a window function: capped(limit, amount, on_date) OVER (PARTITION BY subject ORDER BY on_date, id) gives each row what the limit''s cap lets through (the policy at the row''s date; yearly limits start again each calendar year).';

CREATE AGGREGATE bangfu.capped(limit_name text, amount numeric, on_date date, used_before numeric) (
    SFUNC = bangfu.capped_step,
    STYPE = internal,
    FINALFUNC = bangfu.capped_final,
    FINALFUNC_MODIFY = READ_ONLY,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE bangfu.capped(text, numeric, date, numeric) IS
    '二, 四, 五, 八, 一/九 a limit over a user''s table in one pass, for subjects that already used part of the period: used_before (as bangfu.limit_used reports it) is read at each period''s first row.';

CREATE AGGREGATE bangfu.capped(limit_name text, amount numeric, on_date date, used_before numeric,
                               scenario text) (
    SFUNC = bangfu.capped_step,
    STYPE = internal,
    FINALFUNC = bangfu.capped_final,
    FINALFUNC_MODIFY = READ_ONLY,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE bangfu.capped(text, numeric, date, numeric, text) IS
    '二, 四, 五, 八, 一/九 a limit over a user''s table in one pass under a what-if scenario (十二): the cap parameter as the scenario overrides it.';
