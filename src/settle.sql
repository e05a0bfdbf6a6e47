
-- ---------------------------------------------------------------------------
-- A caseload settled in one window pass (src/settle.c).  Window functions
-- (WINDOW): each row settled once, in date order, against what the rows
-- before it in its partition used.  The order is the window's ORDER BY, or
-- in the keyed forms (a bigint key after on_date) the function's own order
-- of (on_date, key) within each partition.  Window functions run in the
-- leader of a parallel plan; PARALLEL SAFE lets them sit above one.
-- ---------------------------------------------------------------------------

CREATE TYPE bangfu.settlement AS (reduction numeric, relief numeric, patient_pays numeric);
COMMENT ON TYPE bangfu.settlement IS
    '四 one stay''s settlement: the charity-bed reduction (四(1)), the serious-illness relief on what is still owed (四(2)), and what the patient pays; reduction + relief + patient_pays = cost.';

CREATE FUNCTION bangfu.medical_settle(cost numeric, on_date date)
RETURNS bangfu.settlement
    AS 'MODULE_PATHNAME', 'bf_medical_settle' LANGUAGE C WINDOW STABLE PARALLEL SAFE;
COMMENT ON FUNCTION bangfu.medical_settle(numeric, date) IS
    '四 a caseload in one pass, as a window function: medical_settle(cost, discharged) OVER (PARTITION BY person ORDER BY discharged, id) gives each stay its 四(1) reduction, 四(2) relief and patient share, the yearly caps applied stay after stay and starting again each calendar year.';

CREATE FUNCTION bangfu.medical_settle(cost numeric, on_date date, scenario text)
RETURNS bangfu.settlement
    AS 'MODULE_PATHNAME', 'bf_medical_settle' LANGUAGE C WINDOW STABLE PARALLEL SAFE;
COMMENT ON FUNCTION bangfu.medical_settle(numeric, date, text) IS
    '四 a caseload in one pass under a what-if scenario (十二), as a window function.';

CREATE FUNCTION bangfu.medical_settle(cost numeric, on_date date,
                                      reduced_before numeric, relieved_before numeric)
RETURNS bangfu.settlement
    AS 'MODULE_PATHNAME', 'bf_medical_settle' LANGUAGE C WINDOW STABLE PARALLEL SAFE;
COMMENT ON FUNCTION bangfu.medical_settle(numeric, date, numeric, numeric) IS
    '四 a caseload in one pass, as a window function, for person-years already partly used: reduced_before and relieved_before are read at each person-year''s first row (what that year used before it) and ignored on its later rows.';

CREATE FUNCTION bangfu.medical_settle(cost numeric, on_date date,
                                      reduced_before numeric, relieved_before numeric,
                                      scenario text)
RETURNS bangfu.settlement
    AS 'MODULE_PATHNAME', 'bf_medical_settle' LANGUAGE C WINDOW STABLE PARALLEL SAFE;
COMMENT ON FUNCTION bangfu.medical_settle(numeric, date, numeric, numeric, text) IS
    '四 a caseload in one pass for person-years already partly used, under a what-if scenario (十二).';

CREATE FUNCTION bangfu.capped(limit_name text, amount numeric, on_date date)
RETURNS numeric
    AS 'MODULE_PATHNAME', 'bf_capped' LANGUAGE C WINDOW STABLE PARALLEL SAFE;
COMMENT ON FUNCTION bangfu.capped(text, numeric, date) IS
    '二, 四, 五, 八, 一/九 any limit of bangfu.limit_def over a user''s table in one pass, as a window function: capped(limit, amount, on_date) OVER (PARTITION BY subject ORDER BY on_date, id) gives each row what the limit''s cap lets through (the policy at the row''s date; yearly limits start again each calendar year).';

CREATE FUNCTION bangfu.capped(limit_name text, amount numeric, on_date date, used_before numeric)
RETURNS numeric
    AS 'MODULE_PATHNAME', 'bf_capped' LANGUAGE C WINDOW STABLE PARALLEL SAFE;
COMMENT ON FUNCTION bangfu.capped(text, numeric, date, numeric) IS
    '二, 四, 五, 八, 一/九 a limit over a user''s table in one pass, for subjects that already used part of the period: used_before (as bangfu.limit_used reports it) is read at each period''s first row.';

CREATE FUNCTION bangfu.capped(limit_name text, amount numeric, on_date date, used_before numeric,
                              scenario text)
RETURNS numeric
    AS 'MODULE_PATHNAME', 'bf_capped' LANGUAGE C WINDOW STABLE PARALLEL SAFE;
COMMENT ON FUNCTION bangfu.capped(text, numeric, date, numeric, text) IS
    '二, 四, 五, 八, 一/九 a limit over a user''s table in one pass under a what-if scenario (十二): the cap parameter as the scenario overrides it.';

-- The keyed forms: the function puts each partition in order of (on_date,
-- key) itself, so the window needs no ORDER BY and PostgreSQL sorts by the
-- PARTITION BY alone.  capped's keyed forms always take used_before (0 for
-- none): a four-argument capped(limit, amount, on_date, 30) must stay the
-- used_before form, and an integer there would fit a bigint key as well.
CREATE FUNCTION bangfu.medical_settle(cost numeric, on_date date, stay_key bigint)
RETURNS bangfu.settlement
    AS 'MODULE_PATHNAME', 'bf_medical_settle_keyed' LANGUAGE C WINDOW STABLE PARALLEL SAFE;
COMMENT ON FUNCTION bangfu.medical_settle(numeric, date, bigint) IS
    '四 a caseload in one pass, ordered by the function: medical_settle(cost, discharged, id) OVER (PARTITION BY person) settles each person''s stays in order of (discharged, id), the yearly caps applied stay after stay; the same figures as the ORDER BY form, with a cheaper sort.';

CREATE FUNCTION bangfu.medical_settle(cost numeric, on_date date, stay_key bigint, scenario text)
RETURNS bangfu.settlement
    AS 'MODULE_PATHNAME', 'bf_medical_settle_keyed' LANGUAGE C WINDOW STABLE PARALLEL SAFE;
COMMENT ON FUNCTION bangfu.medical_settle(numeric, date, bigint, text) IS
    '四 a caseload in one pass, ordered by the function (stays in order of on_date, stay_key), under a what-if scenario (十二).';

CREATE FUNCTION bangfu.medical_settle(cost numeric, on_date date, stay_key bigint,
                                      reduced_before numeric, relieved_before numeric)
RETURNS bangfu.settlement
    AS 'MODULE_PATHNAME', 'bf_medical_settle_keyed' LANGUAGE C WINDOW STABLE PARALLEL SAFE;
COMMENT ON FUNCTION bangfu.medical_settle(numeric, date, bigint, numeric, numeric) IS
    '四 a caseload in one pass, ordered by the function (on_date, stay_key), for person-years already partly used: reduced_before and relieved_before are read at each person-year''s first stay.';

CREATE FUNCTION bangfu.medical_settle(cost numeric, on_date date, stay_key bigint,
                                      reduced_before numeric, relieved_before numeric,
                                      scenario text)
RETURNS bangfu.settlement
    AS 'MODULE_PATHNAME', 'bf_medical_settle_keyed' LANGUAGE C WINDOW STABLE PARALLEL SAFE;
COMMENT ON FUNCTION bangfu.medical_settle(numeric, date, bigint, numeric, numeric, text) IS
    '四 a caseload in one pass, ordered by the function (on_date, stay_key), for person-years already partly used, under a what-if scenario (十二).';

CREATE FUNCTION bangfu.capped(limit_name text, amount numeric, on_date date, row_key bigint,
                              used_before numeric)
RETURNS numeric
    AS 'MODULE_PATHNAME', 'bf_capped_keyed' LANGUAGE C WINDOW STABLE PARALLEL SAFE;
COMMENT ON FUNCTION bangfu.capped(text, numeric, date, bigint, numeric) IS
    '二, 四, 五, 八, 一/九 a limit over a user''s table in one pass, ordered by the function: capped(limit, amount, on_date, id, used_before) OVER (PARTITION BY subject) takes each subject''s rows in order of (on_date, row_key); used_before (0 for none) is read at each period''s first row.';

CREATE FUNCTION bangfu.capped(limit_name text, amount numeric, on_date date, row_key bigint,
                              used_before numeric, scenario text)
RETURNS numeric
    AS 'MODULE_PATHNAME', 'bf_capped_keyed' LANGUAGE C WINDOW STABLE PARALLEL SAFE;
COMMENT ON FUNCTION bangfu.capped(text, numeric, date, bigint, numeric, text) IS
    '二, 四, 五, 八, 一/九 a limit in one pass, ordered by the function (on_date, row_key), under a what-if scenario (十二).';

-- The grouped forms: the subject is an argument too, and the function
-- groups the window's rows by it (a hash table, as a hash aggregate groups)
-- before ordering each subject's rows by (on_date, key).  The window needs
-- neither PARTITION BY nor ORDER BY (OVER ()), so PostgreSQL does not sort
-- at all; the function holds the window's whole partition, within work_mem
-- times hash_mem_multiplier.  The subject may be of any type with a default
-- hash operator class (integers, text, bangfu.cnid, ...).
CREATE FUNCTION bangfu.medical_settle_grouped(person anyelement, cost numeric, on_date date,
                                              stay_key bigint)
RETURNS bangfu.settlement
    AS 'MODULE_PATHNAME', 'bf_medical_settle_grouped' LANGUAGE C WINDOW STABLE PARALLEL SAFE;
COMMENT ON FUNCTION bangfu.medical_settle_grouped(anyelement, numeric, date, bigint) IS
    '四 a caseload in one pass with no sort: medical_settle_grouped(person, cost, discharged, id) OVER () groups the stays by person itself and settles each person''s stays in order of (discharged, id), the yearly caps applied stay after stay; the same figures as medical_settle(cost, discharged) OVER (PARTITION BY person ORDER BY discharged, id).';

CREATE FUNCTION bangfu.medical_settle_grouped(person anyelement, cost numeric, on_date date,
                                              stay_key bigint, scenario text)
RETURNS bangfu.settlement
    AS 'MODULE_PATHNAME', 'bf_medical_settle_grouped' LANGUAGE C WINDOW STABLE PARALLEL SAFE;
COMMENT ON FUNCTION bangfu.medical_settle_grouped(anyelement, numeric, date, bigint, text) IS
    '四 a caseload in one pass with no sort, grouped by person by the function, under a what-if scenario (十二).';

CREATE FUNCTION bangfu.medical_settle_grouped(person anyelement, cost numeric, on_date date,
                                              stay_key bigint,
                                              reduced_before numeric, relieved_before numeric)
RETURNS bangfu.settlement
    AS 'MODULE_PATHNAME', 'bf_medical_settle_grouped' LANGUAGE C WINDOW STABLE PARALLEL SAFE;
COMMENT ON FUNCTION bangfu.medical_settle_grouped(anyelement, numeric, date, bigint, numeric, numeric) IS
    '四 a caseload in one pass with no sort, grouped by person by the function, for person-years already partly used: reduced_before and relieved_before are read at each person-year''s first stay.';

CREATE FUNCTION bangfu.medical_settle_grouped(person anyelement, cost numeric, on_date date,
                                              stay_key bigint,
                                              reduced_before numeric, relieved_before numeric,
                                              scenario text)
RETURNS bangfu.settlement
    AS 'MODULE_PATHNAME', 'bf_medical_settle_grouped' LANGUAGE C WINDOW STABLE PARALLEL SAFE;
COMMENT ON FUNCTION bangfu.medical_settle_grouped(anyelement, numeric, date, bigint, numeric, numeric, text) IS
    '四 a caseload in one pass with no sort, grouped by person by the function, for person-years already partly used, under a what-if scenario (十二).';

CREATE FUNCTION bangfu.capped_grouped(limit_name text, subject anyelement, amount numeric,
                                      on_date date, row_key bigint, used_before numeric)
RETURNS numeric
    AS 'MODULE_PATHNAME', 'bf_capped_grouped' LANGUAGE C WINDOW STABLE PARALLEL SAFE;
COMMENT ON FUNCTION bangfu.capped_grouped(text, anyelement, numeric, date, bigint, numeric) IS
    '二, 四, 五, 八, 一/九 a limit over a user''s table in one pass with no sort: capped_grouped(limit, subject, amount, on_date, id, used_before) OVER () groups the rows by subject itself and takes each subject''s rows in order of (on_date, row_key); used_before (0 for none) is read at each period''s first row.';

CREATE FUNCTION bangfu.capped_grouped(limit_name text, subject anyelement, amount numeric,
                                      on_date date, row_key bigint, used_before numeric,
                                      scenario text)
RETURNS numeric
    AS 'MODULE_PATHNAME', 'bf_capped_grouped' LANGUAGE C WINDOW STABLE PARALLEL SAFE;
COMMENT ON FUNCTION bangfu.capped_grouped(text, anyelement, numeric, date, bigint, numeric, text) IS
    '二, 四, 五, 八, 一/九 a limit in one pass with no sort, grouped by subject by the function, under a what-if scenario (十二).';
