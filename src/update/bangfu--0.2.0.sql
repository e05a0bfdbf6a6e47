-- bangfu: hardship benefit rules, limits and funds as SQL.
-- This file is the head of the install script assembled by the Makefile.

\echo Use "CREATE EXTENSION bangfu" to load this file. \quit

-- Which build of bangfu is loaded (the version is kept in bangfu.control).
CREATE FUNCTION bangfu.version() RETURNS text
    AS 'MODULE_PATHNAME', 'bf_version'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION bangfu.version() IS
    'Version of the bangfu shared library (the install script carries the same version).';

-- CURRENT_DATE as the rules read it (see src/today.c): the rules' default
-- on_date is CURRENT_DATE, which the executor would work out again for every
-- row; the support function swaps it for bangfu.today(), the same date kept
-- for the transaction.
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

-- ---------------------------------------------------------------------------
-- bangfu.tiers: a bracketed rate schedule as a value (spec section 0).
-- ---------------------------------------------------------------------------

CREATE TYPE bangfu.tiers;

CREATE FUNCTION bangfu.tiers_in(cstring) RETURNS bangfu.tiers
    AS 'MODULE_PATHNAME', 'tiers_in' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION bangfu.tiers_out(bangfu.tiers) RETURNS cstring
    AS 'MODULE_PATHNAME', 'tiers_out' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION bangfu.tiers_recv(internal) RETURNS bangfu.tiers
    AS 'MODULE_PATHNAME', 'tiers_recv' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION bangfu.tiers_send(bangfu.tiers) RETURNS bytea
    AS 'MODULE_PATHNAME', 'tiers_send' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE TYPE bangfu.tiers (
    INPUT = bangfu.tiers_in,
    OUTPUT = bangfu.tiers_out,
    RECEIVE = bangfu.tiers_recv,
    SEND = bangfu.tiers_send,
    INTERNALLENGTH = VARIABLE,
    ALIGNMENT = double,
    STORAGE = main
);
COMMENT ON FUNCTION bangfu.tiers_in(cstring) IS 'Text input of bangfu.tiers: refuses a bad literal with 22P02 and a detail saying where.';
COMMENT ON FUNCTION bangfu.tiers_out(bangfu.tiers) IS 'Canonical text of bangfu.tiers; reading it back gives the same value.';
COMMENT ON FUNCTION bangfu.tiers_recv(internal) IS 'Binary input of bangfu.tiers: a version byte, then every field, checked like text input.';
COMMENT ON FUNCTION bangfu.tiers_send(bangfu.tiers) IS 'Binary output of bangfu.tiers, with a version byte.';
COMMENT ON TYPE bangfu.tiers IS
    'Bracketed rate schedule, e.g. ''flat: [0,6000] 10%, (6000,12000] 15%, (12000,20000] 20%, (20000,) 25%; cap 15000'' (四(1)). Brackets in range notation, rates as percentages or exact fractions, or fixed amounts; flat or marginal; optional cap.';

CREATE FUNCTION bangfu.tiers_eq(bangfu.tiers, bangfu.tiers) RETURNS boolean
    AS 'MODULE_PATHNAME', 'tiers_eq' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION bangfu.tiers_ne(bangfu.tiers, bangfu.tiers) RETURNS boolean
    AS 'MODULE_PATHNAME', 'tiers_ne' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION bangfu.tiers_eq(bangfu.tiers, bangfu.tiers) IS 'Schedules are equal when brackets, rates, mode and cap are.';
COMMENT ON FUNCTION bangfu.tiers_ne(bangfu.tiers, bangfu.tiers) IS 'Negation of tiers_eq.';

CREATE OPERATOR bangfu.= (
    LEFTARG = bangfu.tiers, RIGHTARG = bangfu.tiers, PROCEDURE = bangfu.tiers_eq,
    COMMUTATOR = OPERATOR(bangfu.=), NEGATOR = OPERATOR(bangfu.<>),
    RESTRICT = eqsel, JOIN = eqjoinsel
);
CREATE OPERATOR bangfu.<> (
    LEFTARG = bangfu.tiers, RIGHTARG = bangfu.tiers, PROCEDURE = bangfu.tiers_ne,
    COMMUTATOR = OPERATOR(bangfu.<>), NEGATOR = OPERATOR(bangfu.=),
    RESTRICT = neqsel, JOIN = neqjoinsel
);

COMMENT ON OPERATOR bangfu.=(bangfu.tiers, bangfu.tiers) IS 'Same brackets, rates, mode and cap.';
COMMENT ON OPERATOR bangfu.<>(bangfu.tiers, bangfu.tiers) IS 'Not the same schedule.';

CREATE FUNCTION bangfu.apply(schedule bangfu.tiers, amount numeric) RETURNS numeric
    AS 'MODULE_PATHNAME', 'tiers_apply' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION bangfu.apply(bangfu.tiers, numeric) IS
    'Apply a schedule to an amount: exact, rounded once half away from zero to the fen, then capped (spec section 0).';

CREATE FUNCTION bangfu.explain(schedule bangfu.tiers, amount numeric) RETURNS jsonb
    AS 'MODULE_PATHNAME', 'tiers_explain' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION bangfu.explain(bangfu.tiers, numeric) IS
    'How a schedule turns an amount into a value: bracket, bounds, rate, exact and rounded values, cap, and for flat schedules the jump at the nearest bound.';

CREATE FUNCTION bangfu.mode(schedule bangfu.tiers) RETURNS text
    AS 'MODULE_PATHNAME', 'tiers_mode' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION bangfu.mode(bangfu.tiers) IS 'flat or marginal (spec section 0, flat vs marginal).';

CREATE FUNCTION bangfu.cap(schedule bangfu.tiers) RETURNS numeric
    AS 'MODULE_PATHNAME', 'tiers_cap' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION bangfu.cap(bangfu.tiers) IS 'The cap on a schedule''s result, or NULL when it has none.';

CREATE FUNCTION bangfu.with_mode(schedule bangfu.tiers, mode text) RETURNS bangfu.tiers
    AS 'MODULE_PATHNAME', 'tiers_with_mode' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION bangfu.with_mode(bangfu.tiers, text) IS
    'The same brackets and rates read flat or marginal, e.g. to propose 分段计算.';

CREATE FUNCTION bangfu.with_cap(schedule bangfu.tiers, cap numeric) RETURNS bangfu.tiers
    AS 'MODULE_PATHNAME', 'tiers_with_cap' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION bangfu.with_cap(bangfu.tiers, numeric) IS
    'The same schedule with another cap; NULL removes the cap.';

-- ---------------------------------------------------------------------------
-- The policy store: every figure of the policy, versioned by date (十二:
-- counties raise standards, so nothing is a constant in C).
-- ---------------------------------------------------------------------------

-- Roles matching the departments of 十一/十二.  Roles belong to the cluster,
-- not to one database, so a second database's install finds them in place.
DO $roles$
DECLARE
    r text;
BEGIN
    FOREACH r IN ARRAY ARRAY['bangfu_policy_admin', 'bangfu_street', 'bangfu_civil_affairs',
                             'bangfu_health', 'bangfu_hrss', 'bangfu_finance', 'bangfu_reader']
    LOOP
        IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname OPERATOR(pg_catalog.=) r) THEN
            EXECUTE pg_catalog.format('CREATE ROLE %I NOLOGIN', r);
        END IF;
    END LOOP;
END
$roles$;

CREATE TABLE bangfu.policy_param (
    param       text PRIMARY KEY,
    kind        text NOT NULL CHECK (kind IN ('tiers', 'amount', 'count', 'band')),
    clause      text NOT NULL,
    description text NOT NULL
);
COMMENT ON TABLE bangfu.policy_param IS
    'The parameters of the policy: name, kind of value (tiers, amount in yuan, count, band of yuan), seed clause, meaning.';

CREATE TABLE bangfu.policy (
    param       text NOT NULL REFERENCES bangfu.policy_param,
    valid_from  date NOT NULL DEFAULT '-infinity',
    tiers       bangfu.tiers,
    amount      numeric,
    count       integer,
    band        numrange,
    note        text,
    shipped     boolean NOT NULL DEFAULT false,
    recorded_at timestamptz NOT NULL DEFAULT pg_catalog.now(),
    recorded_by name NOT NULL DEFAULT CURRENT_USER,
    PRIMARY KEY (param, valid_from),
    CONSTRAINT policy_one_value CHECK (pg_catalog.num_nonnulls(tiers, amount, count, band) OPERATOR(pg_catalog.=) 1)
);
COMMENT ON TABLE bangfu.policy IS
    'Dated policy store: the value of each parameter from valid_from on (十二 提高救助标准). Add a version with one INSERT; earlier dates keep the older version. Shipped defaults apply from -infinity.';

CREATE TABLE bangfu.scenario (
    name        text PRIMARY KEY CHECK (name OPERATOR(pg_catalog.<>) ''),
    description text,
    created_at  timestamptz NOT NULL DEFAULT pg_catalog.now(),
    created_by  name NOT NULL DEFAULT CURRENT_USER
);
COMMENT ON TABLE bangfu.scenario IS
    'What-if scenarios: proposed policies, computed beside the policy in force without changing it.';

CREATE TABLE bangfu.scenario_value (
    scenario    text NOT NULL REFERENCES bangfu.scenario ON DELETE CASCADE,
    param       text NOT NULL REFERENCES bangfu.policy_param,
    tiers       bangfu.tiers,
    amount      numeric,
    count       integer,
    band        numrange,
    PRIMARY KEY (scenario, param),
    CONSTRAINT scenario_one_value CHECK (pg_catalog.num_nonnulls(tiers, amount, count, band) OPERATOR(pg_catalog.=) 1)
);
COMMENT ON TABLE bangfu.scenario_value IS
    'The parameters a scenario overrides, at every date; the rest fall back to the policy in force.';

-- One check of a value against its parameter's kind, for both tables.
CREATE FUNCTION bangfu.check_policy_value(p_param text, p_tiers bangfu.tiers, p_amount numeric,
                                          p_count integer, p_band numrange)
RETURNS void
LANGUAGE plpgsql STABLE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    k text;
BEGIN
    SELECT kind INTO k FROM bangfu.policy_param WHERE param = p_param;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'unknown policy parameter "%"', p_param
            USING ERRCODE = 'invalid_parameter_value',
                  HINT = 'The parameters are the rows of bangfu.policy_param.';
    END IF;
    IF (k = 'tiers' AND p_tiers IS NULL) OR (k = 'amount' AND p_amount IS NULL)
       OR (k = 'count' AND p_count IS NULL) OR (k = 'band' AND p_band IS NULL) THEN
        RAISE EXCEPTION 'policy parameter "%" takes a value in column %', p_param, k
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF k = 'amount' AND (p_amount = 'NaN' OR p_amount < 0 OR p_amount > 1000000000000
                         OR p_amount <> round(p_amount, 2)) THEN
        RAISE EXCEPTION 'policy parameter "%": amount % is not money (0 to 1000000000000 yuan, to the fen)', p_param, p_amount
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF k = 'count' AND p_count < 0 THEN
        RAISE EXCEPTION 'policy parameter "%": count % is negative', p_param, p_count
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF k = 'band' AND (isempty(p_band) OR lower_inf(p_band) OR upper_inf(p_band)
                       OR lower(p_band) < 0 OR upper(p_band) > 1000000000000
                       OR lower(p_band) <> round(lower(p_band), 2) OR upper(p_band) <> round(upper(p_band), 2)) THEN
        RAISE EXCEPTION 'policy parameter "%": band % must be a non-empty range of money with both ends', p_param, p_band
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
END
$$;
COMMENT ON FUNCTION bangfu.check_policy_value(text, bangfu.tiers, numeric, integer, numrange) IS
    'Refuses a policy or scenario value that does not fit its parameter''s kind.';

CREATE FUNCTION bangfu.policy_guard() RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF TG_OP = 'TRUNCATE' THEN
        RAISE EXCEPTION 'bangfu.policy cannot be truncated: it holds the shipped defaults'
            USING ERRCODE = 'object_not_in_prerequisite_state',
                  HINT = 'Delete the versions you added instead.';
    END IF;
    IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.shipped THEN
        RAISE EXCEPTION 'the shipped default of "%" cannot be changed or removed', OLD.param
            USING ERRCODE = 'object_not_in_prerequisite_state',
                  HINT = 'Add a new version: INSERT INTO bangfu.policy (param, valid_from, ...) VALUES (...).';
    END IF;
    IF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;
    IF NEW.shipped THEN
        RAISE EXCEPTION 'only the install script ships policy rows'
            USING ERRCODE = 'object_not_in_prerequisite_state';
    END IF;
    PERFORM bangfu.check_policy_value(NEW.param, NEW.tiers, NEW.amount, NEW.count, NEW.band);
    RETURN NEW;
END
$$;
COMMENT ON FUNCTION bangfu.policy_guard() IS
    'Keeps shipped defaults unchanged and every policy value of its parameter''s kind.';

CREATE FUNCTION bangfu.scenario_guard() RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    PERFORM bangfu.check_policy_value(NEW.param, NEW.tiers, NEW.amount, NEW.count, NEW.band);
    RETURN NEW;
END
$$;
COMMENT ON FUNCTION bangfu.scenario_guard() IS 'Keeps every scenario value of its parameter''s kind.';

CREATE FUNCTION bangfu.policy_changed() RETURNS trigger
    AS 'MODULE_PATHNAME', 'bf_policy_changed' LANGUAGE C;
COMMENT ON FUNCTION bangfu.policy_changed() IS
    'Statement trigger: tells every session to reload the policy store.';

-- View of what is in force on a date, for reading and reporting.
CREATE FUNCTION bangfu.policy_in_force(on_date date DEFAULT CURRENT_DATE)
RETURNS TABLE (param text, valid_from date, kind text, value text, clause text, description text)
LANGUAGE sql STABLE STRICT PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
    SELECT DISTINCT ON (p.param) p.param, p.valid_from, k.kind,
           coalesce(p.tiers::text, p.amount::text, p.count::text, p.band::text),
           k.clause, k.description
      FROM bangfu.policy p JOIN bangfu.policy_param k ON k.param = p.param
     WHERE p.valid_from <= on_date
     ORDER BY p.param, p.valid_from DESC
$$;
COMMENT ON FUNCTION bangfu.policy_in_force(date) IS
    'Every parameter''s value in force on a date, with the date its version applies from.';

-- 四 medical relief
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
-- cnid.sql: bangfu.cnid, the 18-character Chinese resident identity number
-- (GB 11643-1999).  Part of bangfu--VERSION.sql; src/base.sql carries the
-- CREATE EXTENSION guard.  C code: src/cnid.c over src/cnid_core.c.

CREATE TYPE bangfu.cnid;

CREATE FUNCTION bangfu.cnid_in(cstring) RETURNS bangfu.cnid
    AS 'MODULE_PATHNAME', 'cnid_in'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION bangfu.cnid_out(bangfu.cnid) RETURNS cstring
    AS 'MODULE_PATHNAME', 'cnid_out'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION bangfu.cnid_recv(internal) RETURNS bangfu.cnid
    AS 'MODULE_PATHNAME', 'cnid_recv'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION bangfu.cnid_send(bangfu.cnid) RETURNS bytea
    AS 'MODULE_PATHNAME', 'cnid_send'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

-- The 17 digits before the check character as one int64; the check
-- character is recomputed on output.
CREATE TYPE bangfu.cnid (
    INPUT = bangfu.cnid_in,
    OUTPUT = bangfu.cnid_out,
    RECEIVE = bangfu.cnid_recv,
    SEND = bangfu.cnid_send,
    INTERNALLENGTH = 8,
    PASSEDBYVALUE,
    ALIGNMENT = double,
    STORAGE = plain
);

COMMENT ON TYPE bangfu.cnid IS
    'Chinese resident identity number (GB 11643-1999), checked on input; a 15-digit legacy number is widened to 18. Names the applicant in 二 published recipient lists (公开程序, 阳光操作) and gives 八(1) hard-to-employ age and sex';
COMMENT ON FUNCTION bangfu.cnid_in(cstring) IS
    'text input for bangfu.cnid (二, 八(1) applicant identity): 18 characters or a 15-digit legacy number; rejects a bad region code, birth date or check character';
COMMENT ON FUNCTION bangfu.cnid_out(bangfu.cnid) IS
    'text output for bangfu.cnid (二, 八(1) applicant identity): always 18 characters, check character X in upper case';
COMMENT ON FUNCTION bangfu.cnid_recv(internal) IS
    'binary input for bangfu.cnid (二, 八(1) applicant identity): version byte 1 then an int8; checked like text input';
COMMENT ON FUNCTION bangfu.cnid_send(bangfu.cnid) IS
    'binary output for bangfu.cnid (二, 八(1) applicant identity): version byte 1 then the 17 digits as an int8';

-- Comparison.  Order is that of the 17-digit number: region, birth date,
-- sequence.

CREATE FUNCTION bangfu.cnid_eq(bangfu.cnid, bangfu.cnid) RETURNS boolean
    AS 'MODULE_PATHNAME', 'cnid_eq'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION bangfu.cnid_ne(bangfu.cnid, bangfu.cnid) RETURNS boolean
    AS 'MODULE_PATHNAME', 'cnid_ne'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION bangfu.cnid_lt(bangfu.cnid, bangfu.cnid) RETURNS boolean
    AS 'MODULE_PATHNAME', 'cnid_lt'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION bangfu.cnid_le(bangfu.cnid, bangfu.cnid) RETURNS boolean
    AS 'MODULE_PATHNAME', 'cnid_le'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION bangfu.cnid_ge(bangfu.cnid, bangfu.cnid) RETURNS boolean
    AS 'MODULE_PATHNAME', 'cnid_ge'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION bangfu.cnid_gt(bangfu.cnid, bangfu.cnid) RETURNS boolean
    AS 'MODULE_PATHNAME', 'cnid_gt'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION bangfu.cnid_cmp(bangfu.cnid, bangfu.cnid) RETURNS integer
    AS 'MODULE_PATHNAME', 'cnid_cmp'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION bangfu.cnid_sortsupport(internal) RETURNS void
    AS 'MODULE_PATHNAME', 'cnid_sortsupport'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION bangfu.cnid_hash(bangfu.cnid) RETURNS integer
    AS 'MODULE_PATHNAME', 'cnid_hash'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION bangfu.cnid_hash_extended(bangfu.cnid, bigint) RETURNS bigint
    AS 'MODULE_PATHNAME', 'cnid_hash_extended'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;

COMMENT ON FUNCTION bangfu.cnid_eq(bangfu.cnid, bangfu.cnid) IS
    'bangfu.cnid = (二, 八(1)): the same person, for unique keys and joins';
COMMENT ON FUNCTION bangfu.cnid_ne(bangfu.cnid, bangfu.cnid) IS
    'bangfu.cnid <> (二, 八(1)): different people';
COMMENT ON FUNCTION bangfu.cnid_lt(bangfu.cnid, bangfu.cnid) IS
    'bangfu.cnid < (二 recipient lists in a stable order): by region, birth date, sequence';
COMMENT ON FUNCTION bangfu.cnid_le(bangfu.cnid, bangfu.cnid) IS
    'bangfu.cnid <= (二 recipient lists in a stable order): by region, birth date, sequence';
COMMENT ON FUNCTION bangfu.cnid_ge(bangfu.cnid, bangfu.cnid) IS
    'bangfu.cnid >= (二 recipient lists in a stable order): by region, birth date, sequence';
COMMENT ON FUNCTION bangfu.cnid_gt(bangfu.cnid, bangfu.cnid) IS
    'bangfu.cnid > (二 recipient lists in a stable order): by region, birth date, sequence';
COMMENT ON FUNCTION bangfu.cnid_cmp(bangfu.cnid, bangfu.cnid) IS
    'btree comparison for bangfu.cnid (二, 八(1) applicant identity): -1, 0 or 1';
COMMENT ON FUNCTION bangfu.cnid_sortsupport(internal) IS
    'btree sort support for bangfu.cnid (二 recipient lists sorted without a function call per comparison)';
COMMENT ON FUNCTION bangfu.cnid_hash(bangfu.cnid) IS
    'hash for bangfu.cnid (二, 八(1) applicant identity): hash joins and aggregates; same as hashint8 of the 17 digits';
COMMENT ON FUNCTION bangfu.cnid_hash_extended(bangfu.cnid, bigint) IS
    'seeded hash for bangfu.cnid (二, 八(1) applicant identity): PARTITION BY HASH; same as hashint8extended of the 17 digits';

CREATE OPERATOR bangfu.= (
    LEFTARG = bangfu.cnid, RIGHTARG = bangfu.cnid,
    FUNCTION = bangfu.cnid_eq,
    COMMUTATOR = OPERATOR(bangfu.=), NEGATOR = OPERATOR(bangfu.<>),
    RESTRICT = pg_catalog.eqsel, JOIN = pg_catalog.eqjoinsel,
    HASHES, MERGES
);
CREATE OPERATOR bangfu.<> (
    LEFTARG = bangfu.cnid, RIGHTARG = bangfu.cnid,
    FUNCTION = bangfu.cnid_ne,
    COMMUTATOR = OPERATOR(bangfu.<>), NEGATOR = OPERATOR(bangfu.=),
    RESTRICT = pg_catalog.neqsel, JOIN = pg_catalog.neqjoinsel
);
CREATE OPERATOR bangfu.< (
    LEFTARG = bangfu.cnid, RIGHTARG = bangfu.cnid,
    FUNCTION = bangfu.cnid_lt,
    COMMUTATOR = OPERATOR(bangfu.>), NEGATOR = OPERATOR(bangfu.>=),
    RESTRICT = pg_catalog.scalarltsel, JOIN = pg_catalog.scalarltjoinsel
);
CREATE OPERATOR bangfu.<= (
    LEFTARG = bangfu.cnid, RIGHTARG = bangfu.cnid,
    FUNCTION = bangfu.cnid_le,
    COMMUTATOR = OPERATOR(bangfu.>=), NEGATOR = OPERATOR(bangfu.>),
    RESTRICT = pg_catalog.scalarlesel, JOIN = pg_catalog.scalarlejoinsel
);
CREATE OPERATOR bangfu.>= (
    LEFTARG = bangfu.cnid, RIGHTARG = bangfu.cnid,
    FUNCTION = bangfu.cnid_ge,
    COMMUTATOR = OPERATOR(bangfu.<=), NEGATOR = OPERATOR(bangfu.<),
    RESTRICT = pg_catalog.scalargesel, JOIN = pg_catalog.scalargejoinsel
);
CREATE OPERATOR bangfu.> (
    LEFTARG = bangfu.cnid, RIGHTARG = bangfu.cnid,
    FUNCTION = bangfu.cnid_gt,
    COMMUTATOR = OPERATOR(bangfu.<), NEGATOR = OPERATOR(bangfu.<=),
    RESTRICT = pg_catalog.scalargtsel, JOIN = pg_catalog.scalargtjoinsel
);

COMMENT ON OPERATOR bangfu.= (bangfu.cnid, bangfu.cnid) IS
    'same person (二, 八(1) applicant identity)';
COMMENT ON OPERATOR bangfu.<> (bangfu.cnid, bangfu.cnid) IS
    'different people (二, 八(1) applicant identity)';
COMMENT ON OPERATOR bangfu.< (bangfu.cnid, bangfu.cnid) IS
    'less than, by region, birth date, sequence (二 recipient lists in a stable order)';
COMMENT ON OPERATOR bangfu.<= (bangfu.cnid, bangfu.cnid) IS
    'less than or equal, by region, birth date, sequence (二 recipient lists in a stable order)';
COMMENT ON OPERATOR bangfu.>= (bangfu.cnid, bangfu.cnid) IS
    'greater than or equal, by region, birth date, sequence (二 recipient lists in a stable order)';
COMMENT ON OPERATOR bangfu.> (bangfu.cnid, bangfu.cnid) IS
    'greater than, by region, birth date, sequence (二 recipient lists in a stable order)';

CREATE OPERATOR CLASS bangfu.cnid_ops
    DEFAULT FOR TYPE bangfu.cnid USING btree AS
        OPERATOR 1 bangfu.<,
        OPERATOR 2 bangfu.<=,
        OPERATOR 3 bangfu.=,
        OPERATOR 4 bangfu.>=,
        OPERATOR 5 bangfu.>,
        FUNCTION 1 bangfu.cnid_cmp(bangfu.cnid, bangfu.cnid),
        FUNCTION 2 bangfu.cnid_sortsupport(internal);

CREATE OPERATOR CLASS bangfu.cnid_ops
    DEFAULT FOR TYPE bangfu.cnid USING hash AS
        OPERATOR 1 bangfu.=,
        FUNCTION 1 bangfu.cnid_hash(bangfu.cnid),
        FUNCTION 2 bangfu.cnid_hash_extended(bangfu.cnid, bigint);

-- Text casts.  Both directions exist as I/O conversions anyway; declaring
-- them lets them carry a comment.  text -> cnid stays explicit because it can
-- fail; cnid -> text is allowed in assignment, like any type to text.

CREATE CAST (text AS bangfu.cnid) WITH INOUT;
CREATE CAST (bangfu.cnid AS text) WITH INOUT AS ASSIGNMENT;

COMMENT ON CAST (text AS bangfu.cnid) IS
    'checks an identity number typed as text (二, 八(1) applicant identity)';
COMMENT ON CAST (bangfu.cnid AS text) IS
    'the 18-character form of an identity number (二, 八(1) applicant identity)';

-- What the rules read from a number.

CREATE FUNCTION bangfu.birth_date(bangfu.cnid) RETURNS date
    AS 'MODULE_PATHNAME', 'cnid_birth_date'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION bangfu.sex(bangfu.cnid) RETURNS text
    AS 'MODULE_PATHNAME', 'cnid_sex'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION bangfu.mask(bangfu.cnid) RETURNS text
    AS 'MODULE_PATHNAME', 'cnid_mask'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION bangfu.birth_date(bangfu.cnid) IS
    '八(1) hard-to-employ: birth date from digits 7-14 of the identity number, for the age test';
COMMENT ON FUNCTION bangfu.sex(bangfu.cnid) IS
    '八(1) hard-to-employ: M when digit 17 is odd, F when even, for the age limits that differ by sex';
COMMENT ON FUNCTION bangfu.mask(bangfu.cnid) IS
    '二 公开程序, 阳光操作: the number as published in recipient lists, region code and last four kept, the rest *';

-- ---------------------------------------------------------------------------
-- 二 temporary relief, 五 pension subsidy, 八 employer incentives.
-- Every figure is a parameter of the policy store (below), versioned by date;
-- the functions are STABLE because they read it (through the per-session
-- cache), and each has an overload ending in "scenario text" that computes
-- the same under a what-if scenario (see scenario.sql).
-- ---------------------------------------------------------------------------

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
     'Least share of the county''s urban permanent-resident households relieved in a year (one rate over [0,); the count is rounded up).'),
    ('relief.quota.max_share', 'tiers', '二',
     'Greatest share of the county''s urban permanent-resident households relieved in a year (one rate over [0,); the count is rounded down).'),
    ('pension.subsidy_rate', 'tiers', '五',
     'Pension subsidy of a flexibly employed person''s own pension payment.'),
    ('pension.max_months', 'count', '五',
     'Most months of pension payments subsidised per person.'),
    ('employer.hard_to_employ.male_age', 'count', '八(1)',
     'Age a man has reached (birthday passed) to count as hard to employ.'),
    ('employer.hard_to_employ.female_age', 'count', '八(1)',
     'Age a woman has reached (birthday passed) to count as hard to employ.'),
    ('employer.subsidy.pension_rate', 'tiers', '八(1)',
     'County subsidy of the employer''s pension contribution for a hard-to-employ hire.'),
    ('employer.subsidy.injury_rate', 'tiers', '八(1)',
     'County subsidy of the employer''s work-injury contribution for a hard-to-employ hire.'),
    ('employer.subsidy.unemployment_rate', 'tiers', '八(1)',
     'County subsidy of the employer''s unemployment contribution for a hard-to-employ hire.'),
    ('employer.subsidy.months', 'count', '八(1)',
     'Months after hiring during which the contributions are subsidised.'),
    ('loan.per_hire', 'amount', '八(2)',
     'Guaranteed small loan per hardship worker hired.'),
    ('loan.min_hires', 'count', '八(2)',
     'Least number of hardship workers an employer must hire to get the loans.'),
    ('loan.min_share', 'tiers', '八(2)',
     'Least share of the employer''s staff the hardship hires must make up (one rate over [0,), compared exactly).'),
    ('loan.interest_years', 'count', '八(2)',
     'Years from the loan''s start whose interest the enterprise fund pays.'),
    ('loan.day_count', 'count', '八(2)',
     'Days in the interest year: daily interest is the annual rate divided by this.'),
    ('handicraft.reward', 'tiers', '八(3)',
     'Reward for a year''s sales of handicrafts made by hardship households, per enterprise or individual business.');

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
    ('pension.subsidy_rate', '[0,) 2/3', NULL, NULL, NULL, true,
     '按照“先缴后补”办法,给予养老保险金补贴,补贴标准为其实际缴费额的2/3'),
    ('pension.max_months', NULL, NULL, 36, NULL, true,
     '最长补贴期限为3年'),
    ('employer.hard_to_employ.male_age', NULL, NULL, 45, NULL, true,
     '招用男年满45周岁、女年满40周岁就业困难人员'),
    ('employer.hard_to_employ.female_age', NULL, NULL, 40, NULL, true,
     '招用男年满45周岁、女年满40周岁就业困难人员'),
    ('employer.subsidy.pension_rate', '[0,) 10%', NULL, NULL, NULL, true,
     '县财政分别按照单位为其缴纳“三金”10%、25%、50%给予补贴(养老)'),
    ('employer.subsidy.injury_rate', '[0,) 25%', NULL, NULL, NULL, true,
     '县财政分别按照单位为其缴纳“三金”10%、25%、50%给予补贴(工伤)'),
    ('employer.subsidy.unemployment_rate', '[0,) 50%', NULL, NULL, NULL, true,
     '县财政分别按照单位为其缴纳“三金”10%、25%、50%给予补贴(失业)'),
    ('employer.subsidy.months', NULL, NULL, 12, NULL, true,
     '期限1年'),
    ('loan.per_hire', NULL, 10000, NULL, NULL, true,
     '按照实际招用困难人数,平均每人给予1万元的小额担保贷款扶持'),
    ('loan.min_hires', NULL, NULL, 3, NULL, true,
     '吸纳城镇困难人员就业3人以上且占员工总数30%以上的企业'),
    ('loan.min_share', '[0,) 30%', NULL, NULL, NULL, true,
     '吸纳城镇困难人员就业3人以上且占员工总数30%以上的企业'),
    ('loan.interest_years', NULL, NULL, 2, NULL, true,
     '由财政从创业基金中给予2年贴息'),
    ('loan.day_count', NULL, NULL, 360, NULL, true,
     '给予2年贴息 (the text gives no day count; Chinese banks'' convention: 日利率 = 年利率/360)'),
    ('handicraft.reward', 'flat: [0,300000) 0, [300000,500000) 5000, [500000,1000000) 10000, [1000000,) 20000', NULL, NULL, NULL, true,
     '销售困难群众产品在30-50万元之间的奖励5000元;50-100万元之间的奖励1万元;100万元以上的奖励2万元 (以上 includes the bound)');

-- ---------------------------------------------------------------------------
-- 二 temporary relief for special-hardship families
-- ---------------------------------------------------------------------------

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
    '二 households relieved in a year: at least ceil(3%), at most floor(5%) of the urban permanent-resident households (城镇常住户的3%-5%).';

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

-- ---------------------------------------------------------------------------
-- 五 pension subsidy for the flexibly employed
-- ---------------------------------------------------------------------------

CREATE FUNCTION bangfu.pension_subsidy(paid numeric, on_date date DEFAULT CURRENT_DATE)
RETURNS numeric
    AS 'MODULE_PATHNAME', 'bf_pension_subsidy' LANGUAGE C STABLE STRICT PARALLEL SAFE
    SUPPORT bangfu.today_support;
COMMENT ON FUNCTION bangfu.pension_subsidy(numeric, date) IS
    '五 pension subsidy of one payment (先缴后补): 2/3 of what was paid, exact, rounded once.';

CREATE FUNCTION bangfu.pension_subsidy(paid numeric, on_date date, scenario text)
RETURNS numeric
    AS 'MODULE_PATHNAME', 'bf_pension_subsidy' LANGUAGE C STABLE STRICT PARALLEL SAFE
    SUPPORT bangfu.today_support;
COMMENT ON FUNCTION bangfu.pension_subsidy(numeric, date, text) IS
    '五 pension subsidy under a what-if scenario.';

CREATE FUNCTION bangfu.pension_subsidy(paid numeric, months integer, months_subsidised_before integer,
                                       on_date date DEFAULT CURRENT_DATE)
RETURNS numeric
    AS 'MODULE_PATHNAME', 'bf_pension_subsidy_months' LANGUAGE C STABLE STRICT PARALLEL SAFE
    SUPPORT bangfu.today_support;
COMMENT ON FUNCTION bangfu.pension_subsidy(numeric, integer, integer, date) IS
    '五 pension subsidy of a payment covering months, pro rata for the months still inside the 36-month limit (最长补贴期限为3年); 0 once it is used.';

CREATE FUNCTION bangfu.pension_subsidy(paid numeric, months integer, months_subsidised_before integer,
                                       on_date date, scenario text)
RETURNS numeric
    AS 'MODULE_PATHNAME', 'bf_pension_subsidy_months' LANGUAGE C STABLE STRICT PARALLEL SAFE
    SUPPORT bangfu.today_support;
COMMENT ON FUNCTION bangfu.pension_subsidy(numeric, integer, integer, date, text) IS
    '五 pro rata pension subsidy under a what-if scenario.';

CREATE FUNCTION bangfu.pension_subsidy_explain(paid numeric, on_date date DEFAULT CURRENT_DATE)
RETURNS jsonb
    AS 'MODULE_PATHNAME', 'bf_pension_subsidy_explain' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION bangfu.pension_subsidy_explain(numeric, date) IS
    '五 pension subsidy step by step: policy version, rate, exact and rounded values.';

CREATE FUNCTION bangfu.pension_subsidy_explain(paid numeric, on_date date, scenario text)
RETURNS jsonb
    AS 'MODULE_PATHNAME', 'bf_pension_subsidy_explain' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION bangfu.pension_subsidy_explain(numeric, date, text) IS
    '五 pension subsidy step by step, under a what-if scenario.';

CREATE FUNCTION bangfu.pension_subsidy_explain(paid numeric, months integer, months_subsidised_before integer,
                                               on_date date DEFAULT CURRENT_DATE)
RETURNS jsonb
    AS 'MODULE_PATHNAME', 'bf_pension_subsidy_months_explain' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION bangfu.pension_subsidy_explain(numeric, integer, integer, date) IS
    '五 pro rata pension subsidy step by step: months remaining and covered, exact and rounded values.';

CREATE FUNCTION bangfu.pension_subsidy_explain(paid numeric, months integer, months_subsidised_before integer,
                                               on_date date, scenario text)
RETURNS jsonb
    AS 'MODULE_PATHNAME', 'bf_pension_subsidy_months_explain' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION bangfu.pension_subsidy_explain(numeric, integer, integer, date, text) IS
    '五 pro rata pension subsidy step by step, under a what-if scenario.';

-- ---------------------------------------------------------------------------
-- 八(1) hard-to-employ persons and the employer's social-insurance subsidy
-- ---------------------------------------------------------------------------

-- on_date (the hire date) has no default here: with one, a two-argument call
-- with a quoted ID number would resolve to this form instead of the cnid one.
CREATE FUNCTION bangfu.hard_to_employ(sex text, birth_date date, on_date date)
RETURNS boolean
    AS 'MODULE_PATHNAME', 'bf_hard_to_employ' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION bangfu.hard_to_employ(text, date, date) IS
    '八(1) hard-to-employ person on the hire date: a man who has reached 45 or a woman who has reached 40 (男年满45周岁、女年满40周岁, birthday passed; born 29 February, the birthday is 1 March in common years). sex is M/F or 男/女.';

CREATE FUNCTION bangfu.hard_to_employ(sex text, birth_date date, on_date date, scenario text)
RETURNS boolean
    AS 'MODULE_PATHNAME', 'bf_hard_to_employ' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION bangfu.hard_to_employ(text, date, date, text) IS
    '八(1) hard-to-employ person under a what-if scenario.';

CREATE FUNCTION bangfu.hard_to_employ_explain(sex text, birth_date date, on_date date)
RETURNS jsonb
    AS 'MODULE_PATHNAME', 'bf_hard_to_employ_explain' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION bangfu.hard_to_employ_explain(text, date, date) IS
    '八(1) hard_to_employ step by step: completed age, threshold, the birthday it is reached on.';

CREATE FUNCTION bangfu.hard_to_employ_explain(sex text, birth_date date, on_date date, scenario text)
RETURNS jsonb
    AS 'MODULE_PATHNAME', 'bf_hard_to_employ_explain' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION bangfu.hard_to_employ_explain(text, date, date, text) IS
    '八(1) hard_to_employ step by step, under a what-if scenario.';

CREATE FUNCTION bangfu.enterprise_subsidy(pension numeric, injury numeric, unemployment numeric,
                                          on_date date DEFAULT CURRENT_DATE)
RETURNS numeric
    AS 'MODULE_PATHNAME', 'bf_enterprise_subsidy' LANGUAGE C STABLE STRICT PARALLEL SAFE
    SUPPORT bangfu.today_support;
COMMENT ON FUNCTION bangfu.enterprise_subsidy(numeric, numeric, numeric, date) IS
    '八(1) county subsidy of an employer''s contributions for a hard-to-employ hire: 10% pension + 25% work injury + 50% unemployment (“三金”10%、25%、50%), exact, rounded once.';

CREATE FUNCTION bangfu.enterprise_subsidy(pension numeric, injury numeric, unemployment numeric,
                                          on_date date, scenario text)
RETURNS numeric
    AS 'MODULE_PATHNAME', 'bf_enterprise_subsidy' LANGUAGE C STABLE STRICT PARALLEL SAFE
    SUPPORT bangfu.today_support;
COMMENT ON FUNCTION bangfu.enterprise_subsidy(numeric, numeric, numeric, date, text) IS
    '八(1) social-insurance subsidy under a what-if scenario.';

CREATE FUNCTION bangfu.enterprise_subsidy_explain(pension numeric, injury numeric, unemployment numeric,
                                                  on_date date DEFAULT CURRENT_DATE)
RETURNS jsonb
    AS 'MODULE_PATHNAME', 'bf_enterprise_subsidy_explain' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION bangfu.enterprise_subsidy_explain(numeric, numeric, numeric, date) IS
    '八(1) social-insurance subsidy step by step: each contribution''s rate and exact value, the exact sum, the rounded result.';

CREATE FUNCTION bangfu.enterprise_subsidy_explain(pension numeric, injury numeric, unemployment numeric,
                                                  on_date date, scenario text)
RETURNS jsonb
    AS 'MODULE_PATHNAME', 'bf_enterprise_subsidy_explain' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION bangfu.enterprise_subsidy_explain(numeric, numeric, numeric, date, text) IS
    '八(1) social-insurance subsidy step by step, under a what-if scenario.';

-- ---------------------------------------------------------------------------
-- 八(2) loans for employers of hardship workers
-- ---------------------------------------------------------------------------

CREATE FUNCTION bangfu.enterprise_loan_quota(hardship_hires integer, total_staff integer,
                                             on_date date DEFAULT CURRENT_DATE)
RETURNS numeric
    AS 'MODULE_PATHNAME', 'bf_enterprise_loan_quota' LANGUAGE C STABLE STRICT PARALLEL SAFE
    SUPPORT bangfu.today_support;
COMMENT ON FUNCTION bangfu.enterprise_loan_quota(integer, integer, date) IS
    '八(2) guaranteed small loans for an employer: 10000 per hardship hire when it hires 3 or more who make up 30% or more of its staff (3人以上且占员工总数30%以上, compared exactly), else 0.';

CREATE FUNCTION bangfu.enterprise_loan_quota(hardship_hires integer, total_staff integer,
                                             on_date date, scenario text)
RETURNS numeric
    AS 'MODULE_PATHNAME', 'bf_enterprise_loan_quota' LANGUAGE C STABLE STRICT PARALLEL SAFE
    SUPPORT bangfu.today_support;
COMMENT ON FUNCTION bangfu.enterprise_loan_quota(integer, integer, date, text) IS
    '八(2) loan quota under a what-if scenario.';

CREATE FUNCTION bangfu.enterprise_loan_quota_explain(hardship_hires integer, total_staff integer,
                                                     on_date date DEFAULT CURRENT_DATE)
RETURNS jsonb
    AS 'MODULE_PATHNAME', 'bf_enterprise_loan_quota_explain' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION bangfu.enterprise_loan_quota_explain(integer, integer, date) IS
    '八(2) loan quota step by step: both conditions, the exact share, the amount per hire.';

CREATE FUNCTION bangfu.enterprise_loan_quota_explain(hardship_hires integer, total_staff integer,
                                                     on_date date, scenario text)
RETURNS jsonb
    AS 'MODULE_PATHNAME', 'bf_enterprise_loan_quota_explain' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION bangfu.enterprise_loan_quota_explain(integer, integer, date, text) IS
    '八(2) loan quota step by step, under a what-if scenario.';

-- The policy version is the one in force on loan_start: a loan keeps its terms.
CREATE FUNCTION bangfu.loan_interest_subsidy(principal numeric, annual_rate numeric, loan_start date,
                                             period_from date, period_to date)
RETURNS numeric
    AS 'MODULE_PATHNAME', 'bf_loan_interest_subsidy' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION bangfu.loan_interest_subsidy(numeric, numeric, date, date, date) IS
    '八(2) interest paid from the enterprise fund (给予2年贴息): principal × annual_rate × days / 360 over the days of [period_from, period_to) inside [loan_start, loan_start + 2 years); annual_rate is a fraction (0.0435).';

CREATE FUNCTION bangfu.loan_interest_subsidy(principal numeric, annual_rate numeric, loan_start date,
                                             period_from date, period_to date, scenario text)
RETURNS numeric
    AS 'MODULE_PATHNAME', 'bf_loan_interest_subsidy' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION bangfu.loan_interest_subsidy(numeric, numeric, date, date, date, text) IS
    '八(2) loan interest subsidy under a what-if scenario.';

CREATE FUNCTION bangfu.loan_interest_subsidy_explain(principal numeric, annual_rate numeric, loan_start date,
                                                     period_from date, period_to date)
RETURNS jsonb
    AS 'MODULE_PATHNAME', 'bf_loan_interest_subsidy_explain' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION bangfu.loan_interest_subsidy_explain(numeric, numeric, date, date, date) IS
    '八(2) loan interest subsidy step by step: subsidised window, days counted, day count, exact and rounded values.';

CREATE FUNCTION bangfu.loan_interest_subsidy_explain(principal numeric, annual_rate numeric, loan_start date,
                                                     period_from date, period_to date, scenario text)
RETURNS jsonb
    AS 'MODULE_PATHNAME', 'bf_loan_interest_subsidy_explain' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION bangfu.loan_interest_subsidy_explain(numeric, numeric, date, date, date, text) IS
    '八(2) loan interest subsidy step by step, under a what-if scenario.';

-- ---------------------------------------------------------------------------
-- 八(3) handicraft sales reward
-- ---------------------------------------------------------------------------

CREATE FUNCTION bangfu.handicraft_reward(sales numeric, on_date date DEFAULT CURRENT_DATE)
RETURNS numeric
    AS 'MODULE_PATHNAME', 'bf_handicraft_reward' LANGUAGE C STABLE STRICT PARALLEL SAFE
    SUPPORT bangfu.today_support;
COMMENT ON FUNCTION bangfu.handicraft_reward(numeric, date) IS
    '八(3) reward for a year''s sales of handicrafts made by hardship households: 0 below 300000, 5000 from 300000, 10000 from 500000, 20000 from 1000000 (a bound belongs to the higher tier).';

CREATE FUNCTION bangfu.handicraft_reward(sales numeric, on_date date, scenario text)
RETURNS numeric
    AS 'MODULE_PATHNAME', 'bf_handicraft_reward' LANGUAGE C STABLE STRICT PARALLEL SAFE
    SUPPORT bangfu.today_support;
COMMENT ON FUNCTION bangfu.handicraft_reward(numeric, date, text) IS
    '八(3) handicraft reward under a what-if scenario.';

CREATE FUNCTION bangfu.handicraft_reward_explain(sales numeric, on_date date DEFAULT CURRENT_DATE)
RETURNS jsonb
    AS 'MODULE_PATHNAME', 'bf_handicraft_reward_explain' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION bangfu.handicraft_reward_explain(numeric, date) IS
    '八(3) handicraft reward step by step: tier, reward, and the jump at the nearest tier bound.';

CREATE FUNCTION bangfu.handicraft_reward_explain(sales numeric, on_date date, scenario text)
RETURNS jsonb
    AS 'MODULE_PATHNAME', 'bf_handicraft_reward_explain' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION bangfu.handicraft_reward_explain(numeric, date, text) IS
    '八(3) handicraft reward step by step, under a what-if scenario.';

-- 八(1) with sex and birth date read from the resident identity number (in
-- C, straight from the stored number).  There is no (cnid, date, text)
-- scenario overload: it would make the three-literal call
-- hard_to_employ('M', '1980-01-01', '2025-06-30') ambiguous.  Under a
-- scenario, pass bangfu.sex(id) and bangfu.birth_date(id) to the text form.
CREATE FUNCTION bangfu.hard_to_employ(id bangfu.cnid, on_date date)
RETURNS boolean
    AS 'MODULE_PATHNAME', 'bf_hard_to_employ_cnid' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION bangfu.hard_to_employ(bangfu.cnid, date) IS
    '八(1) hard-to-employ person on the hire date, sex and birth date taken from the identity number (男年满45周岁、女年满40周岁).';

CREATE FUNCTION bangfu.hard_to_employ_explain(id bangfu.cnid, on_date date)
RETURNS jsonb
LANGUAGE sql STABLE STRICT PARALLEL SAFE
RETURN bangfu.hard_to_employ_explain(bangfu.sex(id), bangfu.birth_date(id), on_date);
COMMENT ON FUNCTION bangfu.hard_to_employ_explain(bangfu.cnid, date) IS
    '八(1) hard_to_employ by identity number, step by step.';

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
        RAISE EXCEPTION 'unknown scenario "%"', scenario_compare.scenario
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

-- ---------------------------------------------------------------------------
-- Limits that cannot be broken (二, 四, 五, 八, 一/九): a trigger engine any
-- table can be given with one statement, keeping a ledger of what each
-- subject has used per period, safe under concurrent clerks.
-- ---------------------------------------------------------------------------

-- Figures the limits need that the rules do not already carry.
INSERT INTO bangfu.policy_param (param, kind, clause, description) VALUES
    ('relief.grants_per_year', 'count', '二',
     'Reliefs a household may get in one calendar year, whatever the reason (一年救助一次, 不得以不同原因重复救助).'),
    ('handicraft.rewards_per_year', 'count', '八(3)',
     'Handicraft sales rewards an enterprise or individual business may get in one calendar year.');
INSERT INTO bangfu.policy (param, count, shipped, note) VALUES
    ('relief.grants_per_year', 1, true, '一般一年救助一次 … 不得以不同原因重复救助'),
    ('handicraft.rewards_per_year', 1, true, 'once per enterprise per year (spec 8(3))');

CREATE TABLE bangfu.limit_def (
    name        text PRIMARY KEY,
    clause      text NOT NULL,
    unit        text NOT NULL CHECK (unit IN ('money', 'count', 'rows')),
    period      text NOT NULL CHECK (period IN ('year', 'lifetime')),
    direction   integer NOT NULL DEFAULT 1 CHECK (direction IN (1, -1)),
    cap_param   text REFERENCES bangfu.policy_param,
    cap_function regprocedure,
    description text NOT NULL,
    shipped     boolean NOT NULL DEFAULT false,
    CONSTRAINT limit_one_cap CHECK (pg_catalog.num_nonnulls(cap_param, cap_function) OPERATOR(pg_catalog.<=) 1)
);
COMMENT ON TABLE bangfu.limit_def IS
    'Limits a table can be guarded by: what is counted (money in yuan, a count such as months, or rows), over which period (calendar year of the event or lifetime), and where the cap comes from (a policy parameter at the event''s date, a function of the date, or zero). direction -1 counts amounts negatively: with a zero cap it keeps a balance from going below zero.';

INSERT INTO bangfu.limit_def (name, clause, unit, period, direction, cap_param, description, shipped)
SELECT v.*, true FROM (VALUES
    ('charity_bed_yearly', '四(1)', 'money', 'year', 1, 'medical.charity_bed.yearly_cap',
     'Charity-bed reductions of one person in one calendar year (一年多次住院的总减免最高限额).'),
    ('serious_illness_yearly', '四(2)', 'money', 'year', 1, 'medical.serious_illness.yearly_cap',
     'Serious-illness relief of one person in one calendar year (个人年度救助总额).'),
    ('pension_months', '五', 'count', 'lifetime', 1, 'pension.max_months',
     'Months of pension subsidy for one person (最长补贴期限为3年).'),
    ('employer_subsidy_months', '八(1)', 'count', 'lifetime', 1, 'employer.subsidy.months',
     'Months of social-insurance subsidy for one employer and employee after hiring (期限1年).'),
    ('handicraft_reward_yearly', '八(3)', 'rows', 'year', 1, 'handicraft.rewards_per_year',
     'Handicraft sales rewards of one enterprise in one calendar year.'),
    ('relief_yearly', '二', 'rows', 'year', 1, 'relief.grants_per_year',
     'Temporary reliefs of one household in one calendar year, whatever the reason.'),
    ('fund_balance', '一, 九', 'money', 'lifetime', -1, NULL,
     'A fund''s balance (credits minus disbursements) never goes below zero (渠道不乱、用途不变).')
) AS v(name, clause, unit, period, direction, cap_param, description);

-- The ledger the limits keep: per limit, guarded table, subject and period,
-- what has been used (fen for money, a count otherwise).
-- The limit triggers read and write it directly through its primary key
-- (no SQL per row), so the key's text columns use the "C" collation and
-- its layout is fixed: see src/caps.c.
CREATE TABLE bangfu.usage (
    limit_name  text COLLATE "C" NOT NULL,
    tab         regclass NOT NULL,
    subject     text COLLATE "C" NOT NULL,
    period      integer NOT NULL,
    used        bigint NOT NULL,
    CONSTRAINT usage_pkey PRIMARY KEY (limit_name, subject, period, tab)
);
COMMENT ON TABLE bangfu.usage IS
    'What each subject has used of each limit per period (calendar year, or 0 for lifetime), per guarded table: fen for money limits, a count otherwise. Written only by the limit triggers; read it through bangfu.usage_report.';

CREATE FUNCTION bangfu.limit_guard() RETURNS trigger
    AS 'MODULE_PATHNAME', 'bf_limit_guard' LANGUAGE C;
COMMENT ON FUNCTION bangfu.limit_guard() IS
    'Row trigger of an attached limit, BEFORE INSERT OR UPDATE (checks and clamps, reserving what it lets through) and AFTER INSERT OR UPDATE OR DELETE (books what was really written). Arguments: limit name, mode (clamp or reject), amount column ('''' for row limits), date column ('''' for today), then the subject columns.';

CREATE FUNCTION bangfu.limit_flush() RETURNS trigger
    AS 'MODULE_PATHNAME', 'bf_limit_flush' LANGUAGE C;
COMMENT ON FUNCTION bangfu.limit_flush() IS
    'Statement trigger of an attached limit: writes the statement''s usage to bangfu.usage.';

CREATE FUNCTION bangfu.limit_no_truncate() RETURNS trigger
    AS 'MODULE_PATHNAME', 'bf_limit_no_truncate' LANGUAGE C;
COMMENT ON FUNCTION bangfu.limit_no_truncate() IS
    'Refuses TRUNCATE of a guarded table, which would bypass the limits'' ledger.';

CREATE FUNCTION bangfu.limit_used(limit_name text, subject text, on_date date DEFAULT CURRENT_DATE)
RETURNS numeric
    AS 'MODULE_PATHNAME', 'bf_limit_used' LANGUAGE C VOLATILE STRICT;
COMMENT ON FUNCTION bangfu.limit_used(text, text, date) IS
    'What a subject has used of a limit in the period of on_date, locking that subject''s ledger until the transaction ends, so that a computation can use the remainder safely (money limits in yuan, others as counts).';

CREATE FUNCTION bangfu.limit_cap(limit_name text, on_date date DEFAULT CURRENT_DATE)
RETURNS numeric
    AS 'MODULE_PATHNAME', 'bf_limit_cap' LANGUAGE C STABLE STRICT;
COMMENT ON FUNCTION bangfu.limit_cap(text, date) IS
    'The cap of a limit on a date, from the policy store (money limits in yuan, others as counts).';

CREATE FUNCTION bangfu.limit_forget_books() RETURNS void
    AS 'MODULE_PATHNAME', 'bf_limit_forget_books' LANGUAGE C VOLATILE;
COMMENT ON FUNCTION bangfu.limit_forget_books() IS
    'Internal: after SQL rewrote bangfu.usage, the limit triggers of this transaction read it again.';

CREATE FUNCTION bangfu.trigger_args(tgargs bytea, tgnargs smallint) RETURNS text[]
    AS 'MODULE_PATHNAME', 'bf_trigger_args' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION bangfu.trigger_args(bytea, smallint) IS
    'The arguments of a trigger (pg_trigger.tgargs) as a text array.';

-- Every limit attached to a table, read from the triggers themselves.
CREATE VIEW bangfu.limit_attachment AS
SELECT t.tgrelid::pg_catalog.regclass AS tab,
       a.args[1] AS limit_name,
       a.args[2] AS mode,
       NULLIF(a.args[3], '') AS amount_col,
       NULLIF(a.args[4], '') AS date_col,
       a.args[5:] AS subject_cols,
       t.tgname AS trigger_name
  FROM pg_catalog.pg_trigger t
 CROSS JOIN LATERAL (SELECT bangfu.trigger_args(t.tgargs, t.tgnargs) AS args) a
 WHERE t.tgfoid OPERATOR(pg_catalog.=) 'bangfu.limit_guard()'::pg_catalog.regprocedure
   AND (t.tgtype::pg_catalog.int4 OPERATOR(pg_catalog.&) 2) OPERATOR(pg_catalog.<>) 0;  -- the BEFORE row trigger
COMMENT ON VIEW bangfu.limit_attachment IS
    'Which limits guard which tables, with the columns they read (from pg_trigger).';

-- What the rows of one attachment add up to, per subject and period, in the
-- ledger's units.  The subject text is built exactly as the trigger does.
CREATE FUNCTION bangfu.limit_actual(p_tab regclass, p_limit text)
RETURNS TABLE (subject text, period integer, used bigint)
LANGUAGE plpgsql STABLE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    att record;
    def bangfu.limit_def;
    subj text;
    per text;
    amt text;
BEGIN
    SELECT * INTO att FROM bangfu.limit_attachment a WHERE a.tab = p_tab AND a.limit_name = p_limit;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'limit "%" is not attached to %', p_limit, p_tab
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    SELECT * INTO def FROM bangfu.limit_def d WHERE d.name = p_limit;
    IF coalesce(array_length(att.subject_cols, 1), 0) = 0 THEN
        subj := quote_literal('');
    ELSE
        SELECT string_agg(format('%I::text', c), ' || E''\x1f'' || ') INTO subj
          FROM unnest(att.subject_cols) c;
    END IF;
    per := CASE def.period WHEN 'year' THEN format('extract(year FROM %I)::integer', att.date_col) ELSE '0' END;
    amt := CASE def.unit
               WHEN 'money' THEN format('round(sum(%I) * 100)::bigint', att.amount_col)
               WHEN 'count' THEN format('sum(%I)::bigint', att.amount_col)
               ELSE 'count(*)::bigint' END;
    RETURN QUERY EXECUTE format('SELECT %s, %s, %s * %s FROM %s GROUP BY 1, 2',
                                subj, per, def.direction, amt, p_tab);
END
$$;
COMMENT ON FUNCTION bangfu.limit_actual(regclass, text) IS
    'What the rows of a guarded table add up to per subject and period, in the ledger''s units.';

-- Differences between the ledger and the tables; empty when all is well.
CREATE FUNCTION bangfu.limit_check()
RETURNS TABLE (tab regclass, limit_name text, subject text, period integer, recorded bigint, actual bigint)
LANGUAGE plpgsql STABLE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    att record;
BEGIN
    FOR att IN SELECT DISTINCT a.tab, a.limit_name FROM bangfu.limit_attachment a LOOP
        RETURN QUERY
            SELECT att.tab, att.limit_name, coalesce(u.subject, x.subject), coalesce(u.period, x.period),
                   coalesce(u.used, 0), coalesce(x.used, 0)
              FROM (SELECT * FROM bangfu.usage WHERE usage.limit_name = att.limit_name AND usage.tab = att.tab) u
              FULL JOIN bangfu.limit_actual(att.tab, att.limit_name) x
                ON x.subject = u.subject AND x.period = u.period
             WHERE coalesce(u.used, 0) <> coalesce(x.used, 0);
    END LOOP;
    -- ledger rows of tables that no longer carry the limit
    RETURN QUERY
        SELECT u.tab, u.limit_name, u.subject, u.period, u.used, 0::bigint
          FROM bangfu.usage u
         WHERE u.used <> 0
           AND NOT EXISTS (SELECT FROM bangfu.limit_attachment a
                            WHERE a.tab = u.tab AND a.limit_name = u.limit_name);
END
$$;
COMMENT ON FUNCTION bangfu.limit_check() IS
    'Every difference between what the limits have recorded (bangfu.usage) and what the guarded tables hold; no rows means the books are right.';

-- Recount the ledger from the tables (after a restore without triggers, say).
CREATE FUNCTION bangfu.limit_rebuild()
RETURNS bigint
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    att record;
    n bigint;
BEGIN
    LOCK TABLE bangfu.usage IN EXCLUSIVE MODE;
    SELECT count(*) INTO n FROM bangfu.limit_check();
    FOR att IN SELECT DISTINCT a.tab, a.limit_name FROM bangfu.limit_attachment a LOOP
        EXECUTE format('LOCK TABLE %s IN SHARE MODE', att.tab);
    END LOOP;
    DELETE FROM bangfu.usage;
    FOR att IN SELECT DISTINCT a.tab, a.limit_name FROM bangfu.limit_attachment a LOOP
        INSERT INTO bangfu.usage (limit_name, tab, subject, period, used)
        SELECT att.limit_name, att.tab, x.subject, x.period, x.used
          FROM bangfu.limit_actual(att.tab, att.limit_name) x;
    END LOOP;
    PERFORM bangfu.limit_forget_books();
    RETURN n;
END
$$;
COMMENT ON FUNCTION bangfu.limit_rebuild() IS
    'Recounts bangfu.usage from the guarded tables; returns how many differences it mended. Executable by bangfu_policy_admin only.';

-- Count what a guarded table already holds into the ledger (attach_limit's
-- second half).  SECURITY DEFINER to write the ledger, which is harmless to
-- expose: it only recounts a limit whose triggers are really on the table.
CREATE FUNCTION bangfu.limit_recount(p_tab regclass, p_limit text)
RETURNS void
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    bad record;
BEGIN
    IF NOT EXISTS (SELECT FROM bangfu.limit_attachment a WHERE a.tab = p_tab AND a.limit_name = p_limit) THEN
        RAISE EXCEPTION 'limit "%" is not attached to %', p_limit, p_tab
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    EXECUTE format('LOCK TABLE %s IN SHARE ROW EXCLUSIVE MODE', p_tab);
    DELETE FROM bangfu.usage u WHERE u.tab = p_tab AND u.limit_name = p_limit;
    INSERT INTO bangfu.usage (limit_name, tab, subject, period, used)
    SELECT p_limit, p_tab, x.subject, x.period, x.used
      FROM bangfu.limit_actual(p_tab, p_limit) x;
    PERFORM bangfu.limit_forget_books();
    SELECT * INTO bad FROM bangfu.limit_over(p_limit) LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION 'table % already breaks limit "%": subject % used % in period % (cap %)',
            p_tab, p_limit, bad.subject, bad.used, bad.period, bad.cap
            USING ERRCODE = 'check_violation';
    END IF;
END
$$;
COMMENT ON FUNCTION bangfu.limit_recount(regclass, text) IS
    'Recount one attached limit of one table into the ledger, refusing if the rows already break it.';

-- Forget the ledger of a limit that is no longer attached (detach_limit's second half).
CREATE FUNCTION bangfu.limit_forget(p_tab regclass, p_limit text)
RETURNS void
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF EXISTS (SELECT FROM bangfu.limit_attachment a WHERE a.tab = p_tab AND a.limit_name = p_limit) THEN
        RAISE EXCEPTION 'limit "%" is still attached to %', p_limit, p_tab
            USING ERRCODE = 'object_not_in_prerequisite_state';
    END IF;
    DELETE FROM bangfu.usage u WHERE u.tab = p_tab AND u.limit_name = p_limit;
    PERFORM bangfu.limit_forget_books();
END
$$;
COMMENT ON FUNCTION bangfu.limit_forget(regclass, text) IS
    'Drop the ledger rows of a limit that is no longer attached to a table.';

-- Attach a limit to a table in one statement.  It runs with the caller's
-- rights: creating the triggers needs the table's ownership.
CREATE FUNCTION bangfu.attach_limit(tab regclass, limit_name text, subject text[],
                                    amount name DEFAULT NULL, on_date name DEFAULT NULL,
                                    mode text DEFAULT 'reject')
RETURNS void
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    def bangfu.limit_def;
    c text;
    args text;
    trig text;
BEGIN
    SELECT * INTO def FROM bangfu.limit_def d WHERE d.name = attach_limit.limit_name;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'unknown limit "%"', attach_limit.limit_name
            USING ERRCODE = 'invalid_parameter_value',
                  HINT = 'The limits are the rows of bangfu.limit_def.';
    END IF;
    IF mode IS NULL OR mode NOT IN ('clamp', 'reject') THEN
        RAISE EXCEPTION 'unknown mode "%": a limit either clamps or rejects', mode
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF def.unit = 'rows' AND mode = 'clamp' THEN
        RAISE EXCEPTION 'limit "%" counts rows, which cannot be clamped; use mode reject', def.name
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF (def.unit <> 'rows') <> (amount IS NOT NULL) THEN
        RAISE EXCEPTION 'limit "%" counts %: %', def.name, def.unit,
            CASE WHEN def.unit = 'rows' THEN 'give no amount column' ELSE 'name the amount column' END
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF def.period = 'year' AND on_date IS NULL THEN
        RAISE EXCEPTION 'limit "%" is per calendar year: name the date column', def.name
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    FOREACH c IN ARRAY coalesce(subject, '{}'::text[]) || ARRAY[amount::text, on_date::text] LOOP
        IF c IS NOT NULL AND NOT EXISTS (SELECT FROM pg_attribute
                                          WHERE attrelid = tab AND attname = c AND attnum > 0 AND NOT attisdropped) THEN
            RAISE EXCEPTION 'table % has no column "%"', tab, c
                USING ERRCODE = 'undefined_column';
        END IF;
    END LOOP;

    args := format('%L, %L, %L, %L', def.name, mode, coalesce(amount::text, ''), coalesce(on_date::text, ''));
    IF subject IS NOT NULL THEN
        FOREACH c IN ARRAY subject LOOP
            args := args || format(', %L', c);
        END LOOP;
    END IF;
    trig := 'zz_bangfu_' || def.name;
    EXECUTE format('LOCK TABLE %s IN SHARE ROW EXCLUSIVE MODE', tab);
    EXECUTE format('CREATE TRIGGER %I BEFORE INSERT OR UPDATE ON %s FOR EACH ROW EXECUTE FUNCTION bangfu.limit_guard(%s)',
                   trig, tab, args);
    EXECUTE format('CREATE TRIGGER %I AFTER INSERT OR UPDATE OR DELETE ON %s FOR EACH ROW EXECUTE FUNCTION bangfu.limit_guard(%s)',
                   trig || '_after', tab, args);
    EXECUTE format('CREATE TRIGGER %I AFTER INSERT OR UPDATE OR DELETE ON %s FOR EACH STATEMENT EXECUTE FUNCTION bangfu.limit_flush()',
                   trig || '_flush', tab);
    IF NOT EXISTS (SELECT FROM pg_trigger WHERE tgrelid = tab AND tgname = 'zz_bangfu_no_truncate') THEN
        EXECUTE format('CREATE TRIGGER zz_bangfu_no_truncate BEFORE TRUNCATE ON %s FOR EACH STATEMENT EXECUTE FUNCTION bangfu.limit_no_truncate()', tab);
    END IF;
    -- count what the table already holds, refusing if it already breaks the limit
    PERFORM bangfu.limit_recount(tab, def.name);
END
$$;
COMMENT ON FUNCTION bangfu.attach_limit(regclass, text, text[], name, name, text) IS
    'Guard a table with a limit in one statement (the table''s owner): subject columns, amount column (none for row limits), date column (none for lifetime limits), mode clamp or reject. Counts the rows already there and refuses if they already break the limit.';

CREATE FUNCTION bangfu.detach_limit(tab regclass, limit_name text)
RETURNS void
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    EXECUTE format('DROP TRIGGER %I ON %s', 'zz_bangfu_' || limit_name, tab);
    EXECUTE format('DROP TRIGGER %I ON %s', 'zz_bangfu_' || limit_name || '_after', tab);
    EXECUTE format('DROP TRIGGER %I ON %s', 'zz_bangfu_' || limit_name || '_flush', tab);
    PERFORM bangfu.limit_forget(tab, limit_name);
    IF NOT EXISTS (SELECT FROM bangfu.limit_attachment a WHERE a.tab = detach_limit.tab) THEN
        EXECUTE format('DROP TRIGGER IF EXISTS zz_bangfu_no_truncate ON %s', tab);
    END IF;
END
$$;
COMMENT ON FUNCTION bangfu.detach_limit(regclass, text) IS
    'Remove a limit from a table (its owner only) and forget its ledger.';

CREATE FUNCTION bangfu.limit_cap_units(limit_name text, on_date date) RETURNS bigint
    AS 'MODULE_PATHNAME', 'bf_limit_cap_units' LANGUAGE C STABLE STRICT;
COMMENT ON FUNCTION bangfu.limit_cap_units(text, date) IS
    'The cap of a limit on a date in the ledger''s units (fen for money).';

-- Dropping a guarded table takes its ledger rows with it.
CREATE FUNCTION bangfu.forget_dropped_tables() RETURNS event_trigger
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    -- DROP EXTENSION bangfu drops the ledger itself
    IF to_regclass('bangfu.usage') IS NULL THEN
        RETURN;
    END IF;
    DELETE FROM bangfu.usage u
     WHERE u.tab::oid IN (SELECT d.objid FROM pg_event_trigger_dropped_objects() d
                           WHERE d.classid = 'pg_class'::regclass AND d.objsubid = 0);
    PERFORM bangfu.limit_forget_books();
END
$$;
COMMENT ON FUNCTION bangfu.forget_dropped_tables() IS
    'sql_drop event trigger: dropping a guarded table removes its rows from the limits'' ledger.';
CREATE EVENT TRIGGER bangfu_forget_dropped_tables ON sql_drop
    EXECUTE FUNCTION bangfu.forget_dropped_tables();
COMMENT ON EVENT TRIGGER bangfu_forget_dropped_tables IS
    'Keeps bangfu.usage free of rows for tables that no longer exist.';

-- Subjects over their cap in the ledger, all tables together.
CREATE FUNCTION bangfu.limit_over(p_limit text)
RETURNS TABLE (subject text, period integer, used bigint, cap bigint)
LANGUAGE sql STABLE
SET search_path = pg_catalog, pg_temp
AS $$
    SELECT s.subject, s.period, s.used, s.cap
      FROM (SELECT u.subject, u.period, sum(u.used)::bigint AS used,
                   bangfu.limit_cap_units(p_limit, CASE WHEN u.period = 0 THEN CURRENT_DATE
                                                        ELSE make_date(u.period, 12, 31) END) AS cap
              FROM bangfu.usage u WHERE u.limit_name = p_limit
             GROUP BY u.subject, u.period) s
     WHERE s.used > s.cap
$$;
COMMENT ON FUNCTION bangfu.limit_over(text) IS
    'Subjects whose recorded use of a limit is over its cap (the cap as of the period''s last day).';

-- The ledger in yuan, for people.
CREATE VIEW bangfu.usage_report AS
SELECT u.limit_name COLLATE "default" AS limit_name, d.clause, u.tab,
       u.subject COLLATE "default" AS subject, u.period,
       CASE d.unit WHEN 'money' THEN (u.used::numeric / 100)::numeric(20,2) ELSE u.used::numeric END AS used
  FROM bangfu.usage u JOIN bangfu.limit_def d ON d.name OPERATOR(pg_catalog.=) u.limit_name;
COMMENT ON VIEW bangfu.usage_report IS
    'bangfu.usage with money in yuan and the clause of each limit.';

-- ---------------------------------------------------------------------------
-- The ready register (二, 四, 一/九, 十一/十二): tables for counties with no
-- system of their own, guarded by the same attachable limits a DBA gives
-- their own tables (bangfu.attach_limit), not by a second mechanism.
--
-- Its own schema, bangfu_register, for pg_dump: the data of an extension's
-- configuration tables is restored schema by schema, table by table, with
-- the extension's triggers in place, and "bangfu_register" sorts after
-- "bangfu", so the county's own policy versions (bangfu.policy) are back
-- before any register row is checked against them.  See doc/register.md.
--
-- Rows that arrive with recorded_at already set come from pg_dump: only the
-- table's owner may write that column (clerks' column privileges leave it
-- out, and the triggers refuse it from anyone else).  Such rows were checked
-- when first recorded and are taken as they stand; the limits still count
-- them, so the ledger is rebuilt by the restore itself.
-- ---------------------------------------------------------------------------

CREATE SCHEMA bangfu_register;
COMMENT ON SCHEMA bangfu_register IS
    '十二 the ready register (台账) of hardship households, relief grants (二), medical stays (四) and the hardship fund (一, 九), guarded by bangfu''s limits.';

-- Raise unless the current user may act as the owner of a table: the one
-- who may hand the register rows it will not re-check (pg_dump's restore).
CREATE FUNCTION bangfu_register.require_owner(tab regclass, what text)
RETURNS void
LANGUAGE plpgsql STABLE
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF NOT pg_has_role(current_user, (SELECT c.relowner FROM pg_class c WHERE c.oid = tab), 'USAGE') THEN
        RAISE EXCEPTION 'only the owner of % may %', tab, what
            USING ERRCODE = 'insufficient_privilege';
    END IF;
END
$$;
COMMENT ON FUNCTION bangfu_register.require_owner(regclass, text) IS
    'Refuses (42501) unless the current user may act as the owner of the table: only the owner hands the register rows already checked (a restore).';

-- ---------------------------------------------------------------------------
-- Households and their members (十二 困难群众台账, kept by the street office)
-- ---------------------------------------------------------------------------

CREATE TABLE bangfu_register.household (
    id              bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    head            bangfu.cnid NOT NULL UNIQUE,
    address         text,
    urban           boolean NOT NULL DEFAULT true,
    lost_capacity   boolean NOT NULL,
    registered_on   date NOT NULL DEFAULT CURRENT_DATE,
    note            text
);
COMMENT ON TABLE bangfu_register.household IS
    '十二 the register of hardship households (困难群众台账), kept by the street office and community.';
COMMENT ON COLUMN bangfu_register.household.head IS
    'Identity number of the head of the household; published only masked (bangfu_register.relief_published).';
COMMENT ON COLUMN bangfu_register.household.urban IS
    '二 an urban household (城镇): only these get temporary relief.';
COMMENT ON COLUMN bangfu_register.household.lost_capacity IS
    '二 the household has completely lost the capacity to work and to support itself (完全丧失劳动能力和自救能力): only these get temporary relief.';

CREATE TABLE bangfu_register.member (
    household_id    bigint NOT NULL REFERENCES bangfu_register.household,
    id              bangfu.cnid PRIMARY KEY,
    name            text NOT NULL,
    relation        text NOT NULL
);
CREATE INDEX member_household_idx ON bangfu_register.member (household_id);
COMMENT ON TABLE bangfu_register.member IS
    '十二 members of the registered households, the head included (relation 户主): the people the street office and the departments have determined to be relieved (四 由街道社区与民政、教育、卫生、残联等部门共同确定的救助对象).';
COMMENT ON COLUMN bangfu_register.member.relation IS
    'Relation to the head: 户主, 配偶, 子女, 父母, ...';

CREATE TABLE bangfu_register.county_year (
    year                integer PRIMARY KEY CHECK (year BETWEEN 1900 AND 9999),
    urban_households    integer NOT NULL CHECK (urban_households > 0),
    note                text
);
COMMENT ON TABLE bangfu_register.county_year IS
    '二 the county''s urban permanent-resident households (城镇常住户) in a year, which the relief quota (3%-5%) is taken of; recorded by the county each year.';

-- ---------------------------------------------------------------------------
-- Exclusions from relief (二: 因参与赌博、吸毒等违法行为导致家庭生活困难或者
-- 拒绝参加技能培训和就业援助的不予实施困难救助)
-- ---------------------------------------------------------------------------

CREATE FUNCTION bangfu_register.exclusion_reason_label(reason text)
RETURNS text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
RETURN CASE
    WHEN reason OPERATOR(pg_catalog.=) 'gambling' THEN '因参与赌博导致家庭生活困难'
    WHEN reason OPERATOR(pg_catalog.=) 'drug_use' THEN '因吸毒导致家庭生活困难'
    WHEN reason OPERATOR(pg_catalog.=) 'illegal_act' THEN '因其他违法行为导致家庭生活困难'
    WHEN reason OPERATOR(pg_catalog.=) 'refused_training' THEN '拒绝参加技能培训'
    WHEN reason OPERATOR(pg_catalog.=) 'refused_employment_assistance' THEN '拒绝参加就业援助'
END;
COMMENT ON FUNCTION bangfu_register.exclusion_reason_label(text) IS
    '二 the seed''s wording of an exclusion reason (因参与赌博 … 拒绝参加技能培训和就业援助).';

CREATE TABLE bangfu_register.exclusion (
    id              bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    household_id    bigint NOT NULL REFERENCES bangfu_register.household,
    reason          text NOT NULL CHECK (reason IN ('gambling', 'drug_use', 'illegal_act',
                                                    'refused_training', 'refused_employment_assistance')),
    in_force        daterange NOT NULL CHECK (NOT isempty(in_force) AND NOT lower_inf(in_force)),
    note            text,
    recorded_by     name NOT NULL DEFAULT CURRENT_USER,
    recorded_at     timestamptz NOT NULL DEFAULT pg_catalog.now()
);
CREATE INDEX exclusion_household_idx ON bangfu_register.exclusion (household_id);
COMMENT ON TABLE bangfu_register.exclusion IS
    '二 exclusions from temporary relief: hardship from gambling (gambling), drug use (drug_use) or other illegal acts (illegal_act), or a refusal of skills training (refused_training) or employment assistance (refused_employment_assistance). A grant dated inside in_force is refused with a message naming the exclusion; labels: bangfu_register.exclusion_reason_label.';
COMMENT ON COLUMN bangfu_register.exclusion.in_force IS
    'Days the exclusion is in force: a start is required, the end may be open (lifted by setting it). [2026-01-01,2026-06-30] lets grants from 2026-07-01.';

-- ---------------------------------------------------------------------------
-- Temporary relief grants (二)
-- ---------------------------------------------------------------------------

CREATE TABLE bangfu_register.relief_grant (
    id              bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    household_id    bigint NOT NULL REFERENCES bangfu_register.household,
    reason          bangfu.relief_reason NOT NULL,
    amount          numeric(12,2) NOT NULL,
    granted_on      date NOT NULL,
    first_half      numeric(12,2) NOT NULL,
    second_half     numeric(12,2) NOT NULL,
    paid_first_on   date,
    paid_second_on  date,
    note            text,
    recorded_by     name NOT NULL,
    recorded_at     timestamptz NOT NULL,
    CONSTRAINT relief_grant_installments CHECK (first_half + second_half = amount),
    CONSTRAINT relief_grant_paid_first CHECK (paid_first_on >= granted_on),
    CONSTRAINT relief_grant_paid_second CHECK (paid_second_on IS NULL
                                               OR (paid_first_on IS NOT NULL AND paid_second_on >= paid_first_on))
);
CREATE INDEX relief_grant_household_idx ON bangfu_register.relief_grant (household_id);
COMMENT ON TABLE bangfu_register.relief_grant IS
    '二 temporary relief of special-hardship households: amount inside the band of its reason, urban households that have lost the capacity to work only, none under an exclusion, at most one per household per calendar year whatever the reason (limit relief_yearly), at most floor(5%) of the year''s urban permanent households (limit relief_quota), paid in two installments. Kept by civil affairs.';
COMMENT ON COLUMN bangfu_register.relief_grant.amount IS
    '二 yuan, picked by the committee inside bangfu.relief_band(reason, granted_on).';
COMMENT ON COLUMN bangfu_register.relief_grant.first_half IS
    '二 分上、下半年两次发放: first installment, half the amount rounded up to the fen (set from bangfu.relief_installments).';
COMMENT ON COLUMN bangfu_register.relief_grant.second_half IS
    '二 second installment: the rest of the amount.';
COMMENT ON COLUMN bangfu_register.relief_grant.paid_second_on IS
    'Day the second installment was paid; not before the first.';
COMMENT ON COLUMN bangfu_register.relief_grant.recorded_at IS
    'When the grant was checked and recorded (set by the check trigger). A row arriving with it set comes from pg_dump and is not checked again: only the owner may write it.';

-- Lock a household for a grant's checks: a concurrent exclusion or change of
-- the household waits for the grant, or the grant for it (and at REPEATABLE
-- READ fails with 40001 rather than missing it).  SECURITY DEFINER because a
-- row lock needs UPDATE privilege, which civil affairs has not.
CREATE FUNCTION bangfu_register.household_for_grant(p_id bigint)
RETURNS bangfu_register.household
LANGUAGE sql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
    SELECT h.* FROM bangfu_register.household h WHERE h.id OPERATOR(pg_catalog.=) p_id FOR SHARE
$$;
REVOKE ALL ON FUNCTION bangfu_register.household_for_grant(bigint) FROM PUBLIC;
COMMENT ON FUNCTION bangfu_register.household_for_grant(bigint) IS
    '二 a household row locked against concurrent changes until the grant being checked commits.';

-- The checks of 二 on a grant, and its installments.  Named to fire before
-- the limits' zz_bangfu_* triggers, so a refused grant reserves nothing.
CREATE FUNCTION bangfu_register.relief_grant_check() RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    band numrange;
    hh bangfu_register.household;
    ex bangfu_register.exclusion;
BEGIN
    IF TG_OP = 'UPDATE' THEN
        NEW.recorded_by := OLD.recorded_by;
        NEW.recorded_at := OLD.recorded_at;
        IF NEW.household_id = OLD.household_id AND NEW.reason = OLD.reason
           AND NEW.amount = OLD.amount AND NEW.granted_on = OLD.granted_on THEN
            -- payment dates or the note: nothing of 二 to check again
            NEW.first_half := OLD.first_half;
            NEW.second_half := OLD.second_half;
            RETURN NEW;
        END IF;
    ELSIF NEW.recorded_at IS NOT NULL THEN
        -- a row from pg_dump, checked when it was first recorded
        PERFORM bangfu_register.require_owner(TG_RELID, 'record a grant as already checked (recorded_at)');
        SELECT i.first_half, i.second_half INTO NEW.first_half, NEW.second_half
          FROM bangfu.relief_installments(NEW.amount) i;
        RETURN NEW;
    ELSE
        NEW.recorded_by := current_user;
        NEW.recorded_at := now();
    END IF;

    band := bangfu.relief_band(NEW.reason, NEW.granted_on);
    IF NOT (NEW.amount <@ band) THEN
        RAISE EXCEPTION 'relief of % yuan is outside the band % of reason % (%)',
                        NEW.amount, band, NEW.reason, bangfu.relief_reason_label(NEW.reason)
            USING ERRCODE = 'invalid_parameter_value',
                  DETAIL = format('二: the band in force on %s for this reason is %s yuan.',
                                  to_char(NEW.granted_on, 'YYYY-MM-DD'), band),
                  HINT = 'Pick the amount inside the band, or state the reason that fits.';
    END IF;

    hh := bangfu_register.household_for_grant(NEW.household_id);
    IF hh.id IS NULL THEN
        RAISE EXCEPTION 'household % is not in the register', NEW.household_id
            USING ERRCODE = 'foreign_key_violation';
    END IF;
    IF NOT (hh.urban AND hh.lost_capacity) THEN
        RAISE EXCEPTION 'household % may not get temporary relief: %', hh.id,
                        CASE WHEN NOT hh.urban THEN 'it is not an urban household'
                             ELSE 'it has not completely lost the capacity to work and to support itself' END
            USING ERRCODE = 'check_violation',
                  DETAIL = '二: temporary relief is for urban households that have completely lost the capacity to work and to support themselves (完全丧失劳动能力和自救能力的城镇特困家庭).';
    END IF;

    SELECT e.* INTO ex FROM bangfu_register.exclusion e
     WHERE e.household_id = NEW.household_id AND e.in_force @> NEW.granted_on
     ORDER BY lower(e.in_force), e.id
     LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION 'household % is excluded from relief on %: exclusion % (%, %), in force from % %',
                        hh.id, to_char(NEW.granted_on, 'YYYY-MM-DD'), ex.id, ex.reason,
                        bangfu_register.exclusion_reason_label(ex.reason),
                        to_char(lower(ex.in_force), 'YYYY-MM-DD'),
                        CASE WHEN upper_inf(ex.in_force) THEN 'with no end'
                             ELSE 'to ' || to_char(upper(ex.in_force) - 1, 'YYYY-MM-DD') END
            USING ERRCODE = 'check_violation',
                  DETAIL = '二: 因参与赌博、吸毒等违法行为导致家庭生活困难或者拒绝参加技能培训和就业援助的不予实施困难救助.';
    END IF;

    SELECT i.first_half, i.second_half INTO NEW.first_half, NEW.second_half
      FROM bangfu.relief_installments(NEW.amount) i;
    RETURN NEW;
END
$$;
COMMENT ON FUNCTION bangfu_register.relief_grant_check() IS
    '二 trigger: amount inside the band of its reason (22023), household urban and without capacity to work (23514), no exclusion in force on the grant date (23514, naming it); sets the two installments. Re-checks an UPDATE only when household, reason, amount or date change.';

CREATE TRIGGER relief_grant_check BEFORE INSERT OR UPDATE ON bangfu_register.relief_grant
    FOR EACH ROW EXECUTE FUNCTION bangfu_register.relief_grant_check();

-- An exclusion recorded or changed takes the household's row: a grant being
-- checked at the same time either commits first or sees the exclusion.  The
-- row gets a new version so that a grant at REPEATABLE READ fails with 40001
-- instead of checking against an older snapshot.
CREATE FUNCTION bangfu_register.household_touch(p_id bigint)
RETURNS void
LANGUAGE sql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
    UPDATE bangfu_register.household SET id = id WHERE id OPERATOR(pg_catalog.=) p_id
$$;
REVOKE ALL ON FUNCTION bangfu_register.household_touch(bigint) FROM PUBLIC;
COMMENT ON FUNCTION bangfu_register.household_touch(bigint) IS
    '二 gives a household row a new version, serialising an exclusion with concurrent grants.';

CREATE FUNCTION bangfu_register.exclusion_touch() RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    PERFORM bangfu_register.household_touch(NEW.household_id);
    RETURN NEW;
END
$$;
COMMENT ON FUNCTION bangfu_register.exclusion_touch() IS
    '二 trigger: an exclusion waits for, or is seen by, every grant being checked for its household.';

CREATE TRIGGER exclusion_touch BEFORE INSERT OR UPDATE ON bangfu_register.exclusion
    FOR EACH ROW EXECUTE FUNCTION bangfu_register.exclusion_touch();

-- ---------------------------------------------------------------------------
-- The relief quota (二 每年救助的对象控制在城镇常住户的3%-5%): one subject per
-- year, the whole table, capped by floor(5%) of the year's households.
-- ---------------------------------------------------------------------------

-- VOLATILE: read with a fresh snapshot after the limit's lock is taken, so a
-- county_year change committed meanwhile is seen.
CREATE FUNCTION bangfu_register.relief_quota_cap(on_date date)
RETURNS numeric
LANGUAGE plpgsql VOLATILE STRICT
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    n integer;
BEGIN
    SELECT c.urban_households INTO n FROM bangfu_register.county_year c
     WHERE c.year = extract(year FROM on_date)::integer;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'the urban permanent-resident households (城镇常住户) of % are not recorded',
                        extract(year FROM on_date)::integer
            USING ERRCODE = 'object_not_in_prerequisite_state',
                  DETAIL = '二: households relieved in a year are kept within 5% of that year''s urban permanent-resident households.',
                  HINT = format('INSERT INTO bangfu_register.county_year (year, urban_households) VALUES (%s, ...);',
                                extract(year FROM on_date)::integer);
    END IF;
    RETURN (SELECT q.max_households FROM bangfu.relief_quota(n, on_date) q)::numeric;
END
$$;
COMMENT ON FUNCTION bangfu_register.relief_quota_cap(date) IS
    '二 cap of limit relief_quota: floor(max share × the urban permanent-resident households recorded for the year of on_date) grants; an error if the year is not recorded.';

INSERT INTO bangfu.limit_def (name, clause, unit, period, direction, cap_function, description, shipped) VALUES
    ('relief_quota', '二', 'rows', 'year', 1, 'bangfu_register.relief_quota_cap(date)'::regprocedure,
     'Temporary reliefs granted in one calendar year, all households together: at most floor(5%) of the year''s urban permanent-resident households (每年救助的对象控制在城镇常住户的3%-5%).',
     true);

-- Households may be re-counted, but not below what the year has granted.
CREATE FUNCTION bangfu_register.county_year_check() RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    granted numeric;
    most integer;
BEGIN
    -- the quota's own lock for the year: no grant of it is being checked now
    granted := bangfu.limit_used('relief_quota', '', make_date(OLD.year, 1, 1));
    IF TG_OP = 'UPDATE' AND NEW.year = OLD.year THEN
        most := (SELECT q.max_households FROM bangfu.relief_quota(NEW.urban_households, make_date(NEW.year, 12, 31)) q);
        IF granted > most THEN
            RAISE EXCEPTION '% already has % relief grants; % urban households allow at most %',
                            OLD.year, granted, NEW.urban_households, most
                USING ERRCODE = 'check_violation',
                      DETAIL = '二: households relieved in a year are kept within 5% of that year''s urban permanent-resident households.';
        END IF;
        RETURN NEW;
    END IF;
    IF granted > 0 THEN
        RAISE EXCEPTION 'the households of % cannot be removed: the year has % relief grants', OLD.year, granted
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
END
$$;
COMMENT ON FUNCTION bangfu_register.county_year_check() IS
    '二 trigger: a year''s urban households cannot be lowered below what its grants need (23514), nor removed once it has grants.';

CREATE TRIGGER county_year_check BEFORE UPDATE OR DELETE ON bangfu_register.county_year
    FOR EACH ROW EXECUTE FUNCTION bangfu_register.county_year_check();

SELECT bangfu.attach_limit('bangfu_register.relief_grant', 'relief_yearly', ARRAY['household_id'],
                           NULL, 'granted_on', 'reject');
-- The quota's subject is the whole table: no subject column.
SELECT bangfu.attach_limit('bangfu_register.relief_grant', 'relief_quota', '{}',
                           NULL, 'granted_on', 'reject');

-- Published list of recipients (二 公开程序, 阳光操作): no address, the head's
-- number masked.
CREATE VIEW bangfu_register.relief_published AS
SELECT extract(year FROM g.granted_on)::integer AS year,
       bangfu.mask(h.head) AS head,
       bangfu.relief_reason_label(g.reason) AS reason,
       g.amount
  FROM bangfu_register.relief_grant g
  JOIN bangfu_register.household h ON h.id OPERATOR(pg_catalog.=) g.household_id;
COMMENT ON VIEW bangfu_register.relief_published IS
    '二 公开程序, 阳光操作: relief recipients as published, year, masked identity number of the head, reason in the seed''s words, amount; no address.';

-- The quota as the county reports it (二: the 3% is a floor to report against).
CREATE VIEW bangfu_register.relief_quota_status AS
SELECT c.year, c.urban_households, q.min_households, q.max_households,
       (SELECT count(*) FROM bangfu_register.relief_grant g
         WHERE g.granted_on >= make_date(c.year, 1, 1)
           AND g.granted_on < make_date(c.year OPERATOR(pg_catalog.+) 1, 1, 1))::integer AS relieved
  FROM bangfu_register.county_year c
 CROSS JOIN LATERAL bangfu.relief_quota(c.urban_households, make_date(c.year, 12, 31)) q;
COMMENT ON VIEW bangfu_register.relief_quota_status IS
    '二 per recorded year: urban households, the 3% floor to report against, the 5% ceiling, and how many households were relieved.';

-- ---------------------------------------------------------------------------
-- Medical stays (四): settled on insert against what the person has used in
-- the year, then counted by the yearly limits.
-- ---------------------------------------------------------------------------

CREATE TABLE bangfu_register.medical_stay (
    id              bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    person          bangfu.cnid NOT NULL REFERENCES bangfu_register.member,
    discharged      date NOT NULL,
    cost            numeric(12,2) NOT NULL CHECK (cost >= 0),
    reduction       numeric(12,2) NOT NULL,
    relief          numeric(12,2) NOT NULL,
    patient_pays    numeric(12,2) NOT NULL,
    note            text,
    recorded_by     name NOT NULL,
    recorded_at     timestamptz NOT NULL,
    CONSTRAINT medical_stay_settled CHECK (reduction >= 0 AND relief >= 0 AND patient_pays >= 0
                                           AND reduction + relief + patient_pays = cost)
);
CREATE INDEX medical_stay_person_idx ON bangfu_register.medical_stay (person, discharged);
COMMENT ON TABLE bangfu_register.medical_stay IS
    '四 hospital stays of registered members: the charity-bed reduction (四(1), limit charity_bed_yearly) and the serious-illness relief on what is still owed (四(2), limit serious_illness_yearly) are computed on insert from the cost and what the person already used in the year of discharge. Kept by health.';
COMMENT ON COLUMN bangfu_register.medical_stay.cost IS
    '四 cost of the stay after basic medical insurance has paid (经城镇居民基本医疗保险报销后).';
COMMENT ON COLUMN bangfu_register.medical_stay.reduction IS '四(1) charity-bed reduction (济困病床), set by the settlement trigger.';
COMMENT ON COLUMN bangfu_register.medical_stay.relief IS '四(2) serious-illness relief (大病医疗救助), set by the settlement trigger.';
COMMENT ON COLUMN bangfu_register.medical_stay.patient_pays IS '四 what the patient still pays: cost - reduction - relief.';
COMMENT ON COLUMN bangfu_register.medical_stay.recorded_at IS
    'When the stay was settled. A row arriving with it set comes from pg_dump and keeps its settlement: only the owner may write it.';

CREATE FUNCTION bangfu_register.medical_stay_settle() RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    reduced numeric;
    relieved numeric;
    s record;
BEGIN
    IF TG_OP = 'UPDATE' THEN
        NEW.recorded_by := OLD.recorded_by;
        NEW.recorded_at := OLD.recorded_at;
        IF NEW.person OPERATOR(bangfu.=) OLD.person AND NEW.discharged = OLD.discharged
           AND NEW.cost = OLD.cost THEN
            NEW.reduction := OLD.reduction;
            NEW.relief := OLD.relief;
            NEW.patient_pays := OLD.patient_pays;
            RETURN NEW;
        END IF;
    ELSIF NEW.recorded_at IS NOT NULL THEN
        -- a row from pg_dump keeps the settlement it was given
        PERFORM bangfu_register.require_owner(TG_RELID, 'record a stay as already settled (recorded_at)');
        RETURN NEW;
    ELSE
        NEW.recorded_by := current_user;
        NEW.recorded_at := now();
    END IF;

    -- what the person-year has used, locked until commit: exact under
    -- concurrent clerks
    reduced := bangfu.limit_used('charity_bed_yearly', NEW.person::text, NEW.discharged);
    relieved := bangfu.limit_used('serious_illness_yearly', NEW.person::text, NEW.discharged);
    IF TG_OP = 'UPDATE' AND NEW.person OPERATOR(bangfu.=) OLD.person
       AND extract(year FROM NEW.discharged) = extract(year FROM OLD.discharged) THEN
        -- this stay's own share is settled anew
        reduced := reduced - OLD.reduction;
        relieved := relieved - OLD.relief;
    END IF;
    SELECT * INTO s FROM bangfu.medical_settlement(NEW.cost, NEW.discharged, reduced, relieved);
    NEW.reduction := s.reduction;
    NEW.relief := s.relief;
    NEW.patient_pays := s.patient_pays;
    RETURN NEW;
END
$$;
COMMENT ON FUNCTION bangfu_register.medical_stay_settle() IS
    '四 trigger: settles a stay with bangfu.medical_settlement against what the person used in the year of discharge (bangfu.limit_used, which locks that person-year). An UPDATE of person, discharge date or cost settles the stay again against what the other stays of the year used; the other stays keep their settlement. The settlement columns cannot be written directly.';

CREATE TRIGGER medical_stay_settle BEFORE INSERT OR UPDATE ON bangfu_register.medical_stay
    FOR EACH ROW EXECUTE FUNCTION bangfu_register.medical_stay_settle();

SELECT bangfu.attach_limit('bangfu_register.medical_stay', 'charity_bed_yearly', ARRAY['person'],
                           'reduction', 'discharged', 'clamp');
SELECT bangfu.attach_limit('bangfu_register.medical_stay', 'serious_illness_yearly', ARRAY['person'],
                           'relief', 'discharged', 'clamp');

-- ---------------------------------------------------------------------------
-- The hardship fund (一, 九): funds, their sources, programs, and an
-- append-only ledger of entries.
--
-- Reading of 一 and 九: the 1,800,000 hardship fund (帮扶解困基金) is split
-- into the relief fund (救助基金, 1,200,000, for 二 only) and the enterprise
-- fund (创业基金, 600,000); 九 sets 200,000 of the enterprise fund aside as the
-- small-loan guarantee fund (小额贷款担保基金).  The register books three
-- funds: relief 1,200,000, enterprise 400,000 (the 600,000 less what is set
-- aside) and loan_guarantee 200,000.
-- ---------------------------------------------------------------------------

-- Shipped rows come with the extension and are not dumped; nobody changes them.
CREATE FUNCTION bangfu_register.shipped_guard() RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.shipped THEN
        RAISE EXCEPTION 'the shipped row of % cannot be changed or removed', TG_TABLE_NAME
            USING ERRCODE = 'object_not_in_prerequisite_state',
                  DETAIL = 'Rows marked shipped come with the extension (一, 九).';
    END IF;
    IF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;
    IF NEW.shipped THEN
        RAISE EXCEPTION 'only the install script ships rows of %', TG_TABLE_NAME
            USING ERRCODE = 'object_not_in_prerequisite_state';
    END IF;
    RETURN NEW;
END
$$;
COMMENT ON FUNCTION bangfu_register.shipped_guard() IS
    '一, 九 trigger: keeps the shipped funds, sources and programs as shipped; rows added later are never marked shipped.';

CREATE TABLE bangfu_register.fund (
    code        text PRIMARY KEY,
    label       text NOT NULL,
    opening     numeric(14,2) NOT NULL CHECK (opening >= 0),
    clause      text NOT NULL,
    description text NOT NULL,
    shipped     boolean NOT NULL DEFAULT false
);
COMMENT ON TABLE bangfu_register.fund IS
    '一, 九 the funds money is booked against, with the amount each opened with (its opening credit in fund_entry). 渠道不乱、用途不变: each program''s money only from its fund.';

CREATE TABLE bangfu_register.fund_source (
    code        text PRIMARY KEY,
    label       text NOT NULL,
    amount      numeric(14,2) NOT NULL CHECK (amount >= 0),
    clause      text NOT NULL,
    shipped     boolean NOT NULL DEFAULT false
);
COMMENT ON TABLE bangfu_register.fund_source IS
    '一 where the 1,800,000 of the hardship fund (帮扶解困基金) comes from; the sources together equal the funds'' opening amounts together.';

CREATE TABLE bangfu_register.program (
    code        text PRIMARY KEY,
    fund        text NOT NULL REFERENCES bangfu_register.fund,
    label       text NOT NULL,
    clause      text NOT NULL,
    shipped     boolean NOT NULL DEFAULT false,
    UNIQUE (code, fund)
);
COMMENT ON TABLE bangfu_register.program IS
    '一, 二, 八, 九 what money is paid out for, and the one fund that pays it (用途不变).';

INSERT INTO bangfu_register.fund (code, label, opening, clause, description, shipped) VALUES
    ('relief', '救助基金', 1200000, '一',
     'Relief fund: 1,200,000 of the hardship fund, used only for special-hardship relief (专门用于特困救助, 二).', true),
    ('enterprise', '创业基金', 400000, '一, 八, 九',
     'Enterprise fund: 600,000 of the hardship fund for enterprise support (创业扶持), less the 200,000 set aside as the small-loan guarantee fund (九); pays loan interest subsidies (八(2)) and handicraft sales rewards (八(3)).', true),
    ('loan_guarantee', '小额贷款担保基金', 200000, '九',
     'Small-loan guarantee fund: 200,000 set aside from the enterprise fund for loans to hardship people starting a business and to labour-intensive employers of them (县财政从创业基金中列支20万元).', true);

INSERT INTO bangfu_register.fund_source (code, label, amount, clause, shipped) VALUES
    ('county_finance', '县财政及城乡临时救助资金', 1000000, '一', true),
    ('education_fund', '县长教育基金', 150000, '一', true),
    ('union_fund', '工会困难职工帮扶资金', 150000, '一', true),
    ('donations', '社会捐助', 500000, '一', true);

-- 八(1)'s social-insurance subsidy is paid by county finance (县财政), not
-- from these funds; 四's reductions and relief are the hospitals' and civil
-- affairs'.  The handicraft reward (八(3)) names no fund: read as enterprise
-- support, from the enterprise fund.
INSERT INTO bangfu_register.program (code, fund, label, clause, shipped) VALUES
    ('relief_grant', 'relief', '特困家庭临时救助', '二', true),
    ('loan_interest', 'enterprise', '小额担保贷款贴息', '八(2)', true),
    ('handicraft_reward', 'enterprise', '工艺品销售奖励', '八(3)', true),
    ('loan_guarantee', 'loan_guarantee', '小额贷款担保', '九', true);

CREATE TABLE bangfu_register.fund_entry (
    id          bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    fund        text NOT NULL REFERENCES bangfu_register.fund,
    program     text REFERENCES bangfu_register.program,
    amount      numeric(14,2) NOT NULL CHECK (amount <> 0),
    booked_on   date NOT NULL DEFAULT CURRENT_DATE,
    reverses    bigint UNIQUE,
    note        text,
    booked_by   name NOT NULL DEFAULT CURRENT_USER,
    shipped     boolean NOT NULL DEFAULT false,
    CONSTRAINT fund_entry_program_fund FOREIGN KEY (program, fund) REFERENCES bangfu_register.program (code, fund)
);
COMMENT ON TABLE bangfu_register.fund_entry IS
    '一, 九 the funds'' ledger, append-only: positive amounts are money in, negative money out; a disbursement names its program and is booked against that program''s fund only (渠道不乱、用途不变); no balance goes below zero (limit fund_balance); a mistake is corrected by a reversing entry. Kept by finance.';
COMMENT ON COLUMN bangfu_register.fund_entry.program IS
    'What a disbursement pays for; NULL for money in.';
COMMENT ON COLUMN bangfu_register.fund_entry.reverses IS
    'The entry this one reverses: same fund and program, the opposite amount; each entry is reversed at most once. The trigger checks that it exists (entries are never removed, so it stays): a foreign key to the table itself would make every pg_dump warn about circular foreign keys.';
COMMENT ON COLUMN bangfu_register.fund_entry.shipped IS
    'The opening credits the install script books, one per fund; they are not dumped.';

-- Opening credits, on the fixed date the register's books open.
INSERT INTO bangfu_register.fund_entry (fund, amount, booked_on, note, booked_by, shipped)
SELECT f.code, f.opening, '2026-01-01', '一 opening credit: ' || f.label, 'bangfu', true
  FROM bangfu_register.fund f
 ORDER BY f.opening DESC;

CREATE FUNCTION bangfu_register.fund_entry_guard() RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    orig bangfu_register.fund_entry;
    pfund text;
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        RAISE EXCEPTION 'fund entries are never changed or removed (entry %)', OLD.id
            USING ERRCODE = 'object_not_in_prerequisite_state',
                  DETAIL = '一: every movement of a fund stays on its books.',
                  HINT = format('Correct a mistake with a reversing entry: INSERT INTO bangfu_register.fund_entry (fund, program, amount, reverses) VALUES (%L, %L, %s, %s);',
                                OLD.fund, OLD.program, -OLD.amount, OLD.id);
    END IF;
    IF NEW.shipped THEN
        RAISE EXCEPTION 'only the install script books opening credits'
            USING ERRCODE = 'object_not_in_prerequisite_state';
    END IF;

    IF NEW.reverses IS NOT NULL THEN
        SELECT e.* INTO orig FROM bangfu_register.fund_entry e WHERE e.id = NEW.reverses;
        IF NOT FOUND THEN
            RAISE EXCEPTION 'entry % reverses entry %, which does not exist', NEW.id, NEW.reverses
                USING ERRCODE = 'foreign_key_violation';
        END IF;
        IF EXISTS (SELECT FROM bangfu_register.fund_entry e WHERE e.reverses = NEW.reverses) THEN
            RAISE EXCEPTION 'entry % is already reversed', NEW.reverses
                USING ERRCODE = 'unique_violation';
        END IF;
        IF NEW.fund <> orig.fund OR NEW.program IS DISTINCT FROM orig.program
           OR NEW.amount <> -orig.amount OR NEW.booked_on < orig.booked_on THEN
            RAISE EXCEPTION 'a reversal of entry % must be booked against fund % and program %, for %, on or after %',
                            orig.id, orig.fund, coalesce(orig.program, '(none)'), -orig.amount,
                            to_char(orig.booked_on, 'YYYY-MM-DD')
                USING ERRCODE = 'check_violation',
                      DETAIL = format('The reversal says fund %s, program %s, %s on %s.', NEW.fund,
                                      coalesce(NEW.program, '(none)'), NEW.amount, to_char(NEW.booked_on, 'YYYY-MM-DD'));
        END IF;
    ELSIF NEW.amount > 0 AND NEW.program IS NOT NULL THEN
        RAISE EXCEPTION 'money into fund % names no program (it names %)', NEW.fund, NEW.program
            USING ERRCODE = 'check_violation',
                  HINT = 'To take back a disbursement, reverse it (column reverses).';
    ELSIF NEW.amount < 0 AND NEW.program IS NULL THEN
        RAISE EXCEPTION 'a disbursement from fund % must name the program it pays for', NEW.fund
            USING ERRCODE = 'check_violation',
                  HINT = 'The programs are the rows of bangfu_register.program.';
    END IF;

    IF NEW.program IS NOT NULL THEN
        SELECT p.fund INTO pfund FROM bangfu_register.program p WHERE p.code = NEW.program;
        IF NOT FOUND THEN
            RAISE EXCEPTION 'unknown program "%"', NEW.program
                USING ERRCODE = 'foreign_key_violation',
                      HINT = 'The programs are the rows of bangfu_register.program.';
        END IF;
        IF pfund <> NEW.fund THEN
            RAISE EXCEPTION 'program % is paid from fund %, not from fund %', NEW.program, pfund, NEW.fund
                USING ERRCODE = 'check_violation',
                      DETAIL = '一: 渠道不乱、用途不变 — a fund''s money keeps its purpose.';
        END IF;
    END IF;
    RETURN NEW;
END
$$;
COMMENT ON FUNCTION bangfu_register.fund_entry_guard() IS
    '一, 九 trigger: refuses UPDATE and DELETE of fund entries, even the owner''s (55000); a reversal names an entry not yet reversed and books its opposite against the same fund and program; money in names no program, money out names one, and a program''s money goes only through its own fund (23514).';

CREATE FUNCTION bangfu_register.fund_entry_no_truncate() RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    RAISE EXCEPTION 'fund entries are never removed: % cannot be truncated', TG_TABLE_NAME
        USING ERRCODE = 'object_not_in_prerequisite_state',
              DETAIL = '一: every movement of a fund stays on its books.';
END
$$;
COMMENT ON FUNCTION bangfu_register.fund_entry_no_truncate() IS
    '一 statement trigger: refuses TRUNCATE of the fund ledger.';

CREATE TRIGGER fund_entry_guard BEFORE INSERT OR UPDATE OR DELETE ON bangfu_register.fund_entry
    FOR EACH ROW EXECUTE FUNCTION bangfu_register.fund_entry_guard();
CREATE TRIGGER fund_entry_no_truncate BEFORE TRUNCATE ON bangfu_register.fund_entry
    FOR EACH STATEMENT EXECUTE FUNCTION bangfu_register.fund_entry_no_truncate();
CREATE TRIGGER shipped_guard BEFORE INSERT OR UPDATE OR DELETE ON bangfu_register.fund
    FOR EACH ROW EXECUTE FUNCTION bangfu_register.shipped_guard();
CREATE TRIGGER shipped_guard BEFORE INSERT OR UPDATE OR DELETE ON bangfu_register.fund_source
    FOR EACH ROW EXECUTE FUNCTION bangfu_register.shipped_guard();
CREATE TRIGGER shipped_guard BEFORE INSERT OR UPDATE OR DELETE ON bangfu_register.program
    FOR EACH ROW EXECUTE FUNCTION bangfu_register.shipped_guard();

-- The balance: counts the opening credits booked above.
SELECT bangfu.attach_limit('bangfu_register.fund_entry', 'fund_balance', ARRAY['fund'], 'amount', NULL, 'reject');

CREATE VIEW bangfu_register.fund_balance AS
SELECT f.code AS fund, f.label,
       coalesce(sum(e.amount) FILTER (WHERE e.amount > 0), 0)::numeric(14,2) AS money_in,
       coalesce(-sum(e.amount) FILTER (WHERE e.amount < 0), 0)::numeric(14,2) AS money_out,
       coalesce(sum(e.amount), 0)::numeric(14,2) AS balance
  FROM bangfu_register.fund f
  LEFT JOIN bangfu_register.fund_entry e ON e.fund OPERATOR(pg_catalog.=) f.code
 GROUP BY f.code, f.label;
COMMENT ON VIEW bangfu_register.fund_balance IS
    '一, 九 each fund''s money in, money out and balance, from its entries.';

-- ---------------------------------------------------------------------------
-- pg_dump keeps the register's data (and where its identity sequences stand).
-- Shipped rows come back with CREATE EXTENSION and are left out.  Rows with
-- an id are dumped in the order they were recorded (pg_dump appends the
-- condition to its "SELECT ... FROM table"), not in the order an UPDATE left
-- them on disk: the restore counts every row through the limits again, and
-- in recorded order it meets the same caps the clerks met (a yearly cap
-- raised in July, say) and no disbursement before the money it was paid from.
-- ---------------------------------------------------------------------------
SELECT pg_catalog.pg_extension_config_dump('bangfu_register.household', 'ORDER BY id');
SELECT pg_catalog.pg_extension_config_dump('bangfu_register.member', '');
SELECT pg_catalog.pg_extension_config_dump('bangfu_register.county_year', '');
SELECT pg_catalog.pg_extension_config_dump('bangfu_register.exclusion', 'ORDER BY id');
-- Restored rows pass the limit triggers again.  In date order each one meets
-- the same or less of its year's usage than when it was first recorded (its
-- year's cap does not fall within the year), so none is refused or clamped.
SELECT pg_catalog.pg_extension_config_dump('bangfu_register.relief_grant', 'ORDER BY granted_on, id');
SELECT pg_catalog.pg_extension_config_dump('bangfu_register.medical_stay', 'ORDER BY discharged, id');
SELECT pg_catalog.pg_extension_config_dump('bangfu_register.fund', 'WHERE NOT shipped');
SELECT pg_catalog.pg_extension_config_dump('bangfu_register.fund_source', 'WHERE NOT shipped');
SELECT pg_catalog.pg_extension_config_dump('bangfu_register.program', 'WHERE NOT shipped');
-- Money in first (credits that reverse nothing), then everything else in the
-- order it was booked: every balance on the way is at least what it was when
-- the entry was first booked, so no restored entry is refused.
SELECT pg_catalog.pg_extension_config_dump('bangfu_register.fund_entry',
    'WHERE NOT shipped ORDER BY (amount < 0 OR reverses IS NOT NULL), id');
SELECT pg_catalog.pg_extension_config_dump('bangfu_register.household_id_seq', '');
SELECT pg_catalog.pg_extension_config_dump('bangfu_register.exclusion_id_seq', '');
SELECT pg_catalog.pg_extension_config_dump('bangfu_register.relief_grant_id_seq', '');
SELECT pg_catalog.pg_extension_config_dump('bangfu_register.medical_stay_id_seq', '');
SELECT pg_catalog.pg_extension_config_dump('bangfu_register.fund_entry_id_seq', '');

-- ---------------------------------------------------------------------------
-- Who does what (十一, 十二).  Every department reads the register; each
-- writes only what it keeps, and only the columns a clerk fills in: ids,
-- settlements, installments, recorded_* and shipped are the triggers' and
-- the owner's.  Nobody but the owner deletes, and fund entries not even the
-- owner.  The recipients list is public.
-- ---------------------------------------------------------------------------
GRANT USAGE ON SCHEMA bangfu_register TO PUBLIC;
GRANT SELECT ON ALL TABLES IN SCHEMA bangfu_register
    TO bangfu_policy_admin, bangfu_street, bangfu_civil_affairs, bangfu_health,
       bangfu_hrss, bangfu_finance, bangfu_reader;
GRANT SELECT ON bangfu_register.relief_published TO PUBLIC;

-- 街道社区: the households, their members, the county's households per year, exclusions
GRANT INSERT (head, address, urban, lost_capacity, registered_on, note),
      UPDATE (head, address, urban, lost_capacity, registered_on, note)
   ON bangfu_register.household TO bangfu_street;
GRANT INSERT (household_id, id, name, relation), UPDATE (household_id, id, name, relation)
   ON bangfu_register.member TO bangfu_street;
GRANT INSERT (year, urban_households, note), UPDATE (urban_households, note)
   ON bangfu_register.county_year TO bangfu_street;
GRANT INSERT (household_id, reason, in_force, note), UPDATE (reason, in_force, note)
   ON bangfu_register.exclusion TO bangfu_street;
GRANT EXECUTE ON FUNCTION bangfu_register.household_touch(bigint) TO bangfu_street;

-- 民政: relief grants, and the days their installments were paid
GRANT INSERT (household_id, reason, amount, granted_on, paid_first_on, paid_second_on, note),
      UPDATE (paid_first_on, paid_second_on, note)
   ON bangfu_register.relief_grant TO bangfu_civil_affairs;
GRANT EXECUTE ON FUNCTION bangfu_register.household_for_grant(bigint) TO bangfu_civil_affairs;

-- 卫生: hospital stays
GRANT INSERT (person, discharged, cost, note) ON bangfu_register.medical_stay TO bangfu_health;

-- 财政: fund entries
GRANT INSERT (fund, program, amount, booked_on, reverses, note)
   ON bangfu_register.fund_entry TO bangfu_finance;

-- ---------------------------------------------------------------------------
-- Last part of the install script: guards that must come after every
-- shipped row, privileges by department (十一, 十二), and pg_dump.
-- ---------------------------------------------------------------------------

CREATE TRIGGER policy_guard BEFORE INSERT OR UPDATE OR DELETE ON bangfu.policy
    FOR EACH ROW EXECUTE FUNCTION bangfu.policy_guard();
CREATE TRIGGER policy_no_truncate BEFORE TRUNCATE ON bangfu.policy
    FOR EACH STATEMENT EXECUTE FUNCTION bangfu.policy_guard();
CREATE TRIGGER policy_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON bangfu.policy
    FOR EACH STATEMENT EXECUTE FUNCTION bangfu.policy_changed();
CREATE TRIGGER scenario_guard BEFORE INSERT OR UPDATE ON bangfu.scenario_value
    FOR EACH ROW EXECUTE FUNCTION bangfu.scenario_guard();
CREATE TRIGGER scenario_value_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON bangfu.scenario_value
    FOR EACH STATEMENT EXECUTE FUNCTION bangfu.policy_changed();
CREATE TRIGGER limit_def_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON bangfu.limit_def
    FOR EACH STATEMENT EXECUTE FUNCTION bangfu.policy_changed();
CREATE TRIGGER scenario_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON bangfu.scenario
    FOR EACH STATEMENT EXECUTE FUNCTION bangfu.policy_changed();

-- pg_dump keeps what users added; the shipped defaults come with the extension.
SELECT pg_catalog.pg_extension_config_dump('bangfu.policy', 'WHERE NOT shipped');
SELECT pg_catalog.pg_extension_config_dump('bangfu.scenario', '');
SELECT pg_catalog.pg_extension_config_dump('bangfu.scenario_value', '');
SELECT pg_catalog.pg_extension_config_dump('bangfu.limit_def', 'WHERE NOT shipped');
-- The ledger of users' own guarded tables is dumped (their triggers are
-- created after their data is restored); the ready register's ledger is not,
-- because restoring the register's rows books them again through its triggers.
SELECT pg_catalog.pg_extension_config_dump('bangfu.usage',
    $$WHERE (SELECT n.nspname FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid OPERATOR(pg_catalog.=) c.relnamespace
             WHERE c.oid OPERATOR(pg_catalog.=) tab::pg_catalog.oid) OPERATOR(pg_catalog.<>) 'bangfu_register'$$);

-- Everybody may read the policy; only the leading group office changes it.
GRANT USAGE ON SCHEMA bangfu TO PUBLIC;
GRANT SELECT ON bangfu.policy, bangfu.policy_param, bangfu.scenario, bangfu.scenario_value TO PUBLIC;
GRANT INSERT, UPDATE, DELETE ON bangfu.policy TO bangfu_policy_admin;
-- Anyone who may study a proposal may write scenarios; they never touch the policy in force.
GRANT INSERT, UPDATE, DELETE ON bangfu.scenario, bangfu.scenario_value TO bangfu_policy_admin;
REVOKE ALL ON FUNCTION bangfu.policy_changed() FROM PUBLIC;

-- The limits' definitions and ledger are for everybody to read; only the
-- limit triggers write the ledger (directly, not through SQL privileges).
GRANT SELECT ON bangfu.limit_def, bangfu.usage, bangfu.limit_attachment, bangfu.usage_report TO PUBLIC;
GRANT INSERT, UPDATE, DELETE ON bangfu.limit_def TO bangfu_policy_admin;
REVOKE ALL ON FUNCTION bangfu.limit_rebuild() FROM PUBLIC;
REVOKE ALL ON FUNCTION bangfu.limit_forget_books() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION bangfu.limit_rebuild() TO bangfu_policy_admin;
