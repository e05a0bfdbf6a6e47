
-- ---------------------------------------------------------------------------
-- 四 medical relief (src/medical.c): the charity-bed reduction (四(1)), the
-- serious-illness relief (四(2)), both on one stay, and both over a
-- patient's stays with the yearly caps.  STABLE: they read the policy
-- store (through a per-session cache, with search_path pinned while it
-- loads); each has an overload ending in "scenario text".
-- ---------------------------------------------------------------------------

-- Its parameters: every figure, versioned by date in the policy store (十二).
INSERT INTO bangfu.policy_param (param, kind, clause, description) VALUES
    ('medical.charity_bed', 'tiers', '四(1)',
     'Charity-bed reduction (济困病床) of one stay''s cost after basic medical insurance; the cap is the per-stay limit.'),
    ('medical.charity_bed.yearly_cap', 'amount', '四(1)',
     'Most a person can be reduced in one calendar year over all stays.'),
    ('medical.serious_illness', 'tiers', '四(2)',
     'Serious-illness relief (大病医疗救助) of the patient''s own share after basic medical insurance.'),
    ('medical.serious_illness.yearly_cap', 'amount', '四(2)',
     'Most a person can be relieved in one calendar year.');

INSERT INTO bangfu.policy (param, tiers, amount, shipped, note) VALUES
    ('medical.charity_bed', 'flat: [0,6000] 10%, (6000,12000] 15%, (12000,20000] 20%, (20000,) 25%; cap 15000', NULL, true,
     '0.6万元(含0.6万元)以下的减免10%; 0.6-1.2万元(含1.2万元) 15%; 1.2-2万元(含2万元) 20%; 2万元以上 25%; 每人每次住院最高减免1.5万元'),
    ('medical.charity_bed.yearly_cap', NULL, 20000, true, '一年多次住院的总减免最高限额为2万元'),
    ('medical.serious_illness', 'flat: [0,10000] 60%, (10000,20000] 70%, (20000,) 80%', NULL, true,
     '个人负担部分1万元以下的按60%救助, 1-2万元的按70%, 2万元以上的按80%'),
    ('medical.serious_illness.yearly_cap', NULL, 30000, true, '个人年度救助总额不超过3万元');

CREATE FUNCTION bangfu.medical_reduction(cost numeric, on_date date DEFAULT CURRENT_DATE,
                                         reduced_this_year numeric DEFAULT 0)
RETURNS numeric
    AS 'MODULE_PATHNAME', 'bf_medical_reduction' LANGUAGE C STABLE STRICT PARALLEL SAFE
    SUPPORT bangfu.today_support;
COMMENT ON FUNCTION bangfu.medical_reduction(numeric, date, numeric) IS
    '四(1) charity-bed reduction (济困病床) of one stay''s cost after basic medical insurance, limited by the per-stay cap and by what remains of the yearly cap after reduced_this_year.';

CREATE FUNCTION bangfu.medical_reduction(cost numeric, on_date date,
                                         reduced_this_year numeric, scenario text)
RETURNS numeric
    AS 'MODULE_PATHNAME', 'bf_medical_reduction' LANGUAGE C STABLE STRICT PARALLEL SAFE
    SUPPORT bangfu.today_support;
COMMENT ON FUNCTION bangfu.medical_reduction(numeric, date, numeric, text) IS
    '四(1) charity-bed reduction as a what-if scenario would compute it.';

CREATE FUNCTION bangfu.illness_relief(own_share numeric, on_date date DEFAULT CURRENT_DATE,
                                      relieved_this_year numeric DEFAULT 0)
RETURNS numeric
    AS 'MODULE_PATHNAME', 'bf_illness_relief' LANGUAGE C STABLE STRICT PARALLEL SAFE
    SUPPORT bangfu.today_support;
COMMENT ON FUNCTION bangfu.illness_relief(numeric, date, numeric) IS
    '四(2) serious-illness relief (大病医疗救助) of a stay''s own share after basic medical insurance, limited by what remains of the yearly cap after relieved_this_year.';

CREATE FUNCTION bangfu.illness_relief(own_share numeric, on_date date,
                                      relieved_this_year numeric, scenario text)
RETURNS numeric
    AS 'MODULE_PATHNAME', 'bf_illness_relief' LANGUAGE C STABLE STRICT PARALLEL SAFE
    SUPPORT bangfu.today_support;
COMMENT ON FUNCTION bangfu.illness_relief(numeric, date, numeric, text) IS
    '四(2) serious-illness relief as a what-if scenario would compute it.';

CREATE FUNCTION bangfu.medical_settlement(cost numeric, on_date date DEFAULT CURRENT_DATE,
                                          reduced_this_year numeric DEFAULT 0,
                                          relieved_this_year numeric DEFAULT 0,
                                          OUT reduction numeric, OUT relief numeric,
                                          OUT patient_pays numeric)
RETURNS record
    AS 'MODULE_PATHNAME', 'bf_medical_settlement' LANGUAGE C STABLE STRICT PARALLEL SAFE
    SUPPORT bangfu.today_support;
COMMENT ON FUNCTION bangfu.medical_settlement(numeric, date, numeric, numeric) IS
    '四 both medical rules on one stay: the charity-bed reduction first, then serious-illness relief on what the patient still owes; reduction + relief + patient_pays = cost.';

CREATE FUNCTION bangfu.medical_settlement(cost numeric, on_date date,
                                          reduced_this_year numeric,
                                          relieved_this_year numeric, scenario text,
                                          OUT reduction numeric, OUT relief numeric,
                                          OUT patient_pays numeric)
RETURNS record
    AS 'MODULE_PATHNAME', 'bf_medical_settlement' LANGUAGE C STABLE STRICT PARALLEL SAFE
    SUPPORT bangfu.today_support;
COMMENT ON FUNCTION bangfu.medical_settlement(numeric, date, numeric, numeric, text) IS
    '四 medical settlement as a what-if scenario would compute it.';

CREATE FUNCTION bangfu.medical_reduction_explain(cost numeric, on_date date DEFAULT CURRENT_DATE,
                                                 reduced_this_year numeric DEFAULT 0)
RETURNS jsonb
    AS 'MODULE_PATHNAME', 'bf_medical_reduction_explain' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION bangfu.medical_reduction_explain(numeric, date, numeric) IS
    '四(1) step by step: policy version, mode, bracket, rate, exact and rounded values, and which cap bit.';

CREATE FUNCTION bangfu.medical_reduction_explain(cost numeric, on_date date,
                                                 reduced_this_year numeric, scenario text)
RETURNS jsonb
    AS 'MODULE_PATHNAME', 'bf_medical_reduction_explain' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION bangfu.medical_reduction_explain(numeric, date, numeric, text) IS
    '四(1) step by step, as a what-if scenario would compute it.';

CREATE FUNCTION bangfu.illness_relief_explain(own_share numeric, on_date date DEFAULT CURRENT_DATE,
                                              relieved_this_year numeric DEFAULT 0)
RETURNS jsonb
    AS 'MODULE_PATHNAME', 'bf_illness_relief_explain' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION bangfu.illness_relief_explain(numeric, date, numeric) IS
    '四(2) step by step: policy version, mode, bracket, rate, exact and rounded values, and whether the yearly cap bit.';

CREATE FUNCTION bangfu.illness_relief_explain(own_share numeric, on_date date,
                                              relieved_this_year numeric, scenario text)
RETURNS jsonb
    AS 'MODULE_PATHNAME', 'bf_illness_relief_explain' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION bangfu.illness_relief_explain(numeric, date, numeric, text) IS
    '四(2) step by step, as a what-if scenario would compute it.';

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

-- Its limits (src/limits.sql): what the limit triggers enforce row by row.
INSERT INTO bangfu.limit_def (name, clause, unit, period, direction, cap_param, zero_cap, subjects, description, shipped)
SELECT v.*, true FROM (VALUES
    ('charity_bed_yearly', '四(1)', 'money', 'year', 1, 'medical.charity_bed.yearly_cap', false, 1,
     'Charity-bed reductions of one person in one calendar year (一年多次住院的总减免最高限额).'),
    ('serious_illness_yearly', '四(2)', 'money', 'year', 1, 'medical.serious_illness.yearly_cap', false, 1,
     'Serious-illness relief of one person in one calendar year (个人年度救助总额).')
) AS v(name, clause, unit, period, direction, cap_param, zero_cap, subjects, description);
