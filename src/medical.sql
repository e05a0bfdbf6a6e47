
-- ---------------------------------------------------------------------------
-- 四 medical relief.  STABLE: they read the policy store (through a
-- per-session cache, with search_path pinned while it loads).
-- ---------------------------------------------------------------------------

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
