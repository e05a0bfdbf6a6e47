-- bangfu 0.2.0 -> 0.3.0: ALTER EXTENSION bangfu UPDATE TO '0.3.0'.
--
-- Every change 0.3.0 makes to the install script (src/*.sql), made here to a
-- database installed at 0.2.0; scripts/upgrade_test.sh checks that the result
-- equals a fresh install.  One section per piece of work, in this order.

\echo Use "ALTER EXTENSION bangfu UPDATE TO '0.3.0'" to load this file. \quit


-- ==== security: the limit engine (issue 8) ================================



-- ==== security: privileges, personal data, install hazards (issue 8) ======



-- ==== the register on its own, restore (issue 9) ==========================

-- bangfu now creates only bangfu_policy_admin; the department roles come
-- with the register.  Roles are the cluster's: nothing to undo here.
--
-- The ready register becomes extension bangfu_register.  This update leaves
-- its objects in bangfu (so that no DROP can take them unnoticed in
-- between); bangfu_register adopts them, one by one, in its update from
-- 'unpackaged'.  Run the three statements in one transaction:
--     BEGIN;
--     ALTER EXTENSION bangfu UPDATE;
--     CREATE EXTENSION bangfu_register VERSION 'unpackaged';
--     ALTER EXTENSION bangfu_register UPDATE;
--     COMMIT;
DO $notice$
BEGIN
    RAISE NOTICE 'the ready register is now the extension bangfu_register: adopt it with CREATE EXTENSION bangfu_register VERSION ''unpackaged''; ALTER EXTENSION bangfu_register UPDATE;';
END
$notice$;

-- ---------------------------------------------------------------------------
-- A restore loads history; it does not judge it again (十二: standards change,
-- and a row legal when it was entered stays legal).
--
-- pg_dump writes the data of an extension's tables as one
--     COPY schema.table (every column, in order) FROM stdin;
-- per table, which runs with the extension's triggers and foreign keys in
-- place, and pg_restore -j N runs those COPYs side by side in no fixed order.
-- A table given the two triggers below takes such a COPY, from a superuser,
-- as a restore: for that statement only, session_replication_role is
-- 'replica', so its rows go in as they were dumped (no row trigger, no
-- foreign key check, no limit), and at its end the limits' ledger of that
-- table is counted again from its rows.  Anything else (an INSERT, a COPY
-- of some columns, a clerk's COPY) is checked as always.
-- ---------------------------------------------------------------------------

-- Is the statement running pg_dump's COPY of all of tab's columns, run by
-- a superuser (the one who may restore, and may set session_replication_role)?
CREATE FUNCTION bangfu.is_restore_copy(tab regclass)
RETURNS boolean
LANGUAGE sql STABLE
SET search_path = pg_catalog, pg_temp
AS $$
    -- as pg_dump quotes names: where needed, or all (--quote-all-identifiers)
    SELECT r.rolsuper
           AND rtrim(current_query(), E' \n\r\t') OPERATOR(pg_catalog.=) ANY
               ((SELECT ARRAY[format('COPY %I.%I (%s) FROM stdin;', n.nspname, c.relname,
                                    string_agg(quote_ident(a.attname), ', ' ORDER BY a.attnum)),
                             format('COPY "%s"."%s" (%s) FROM stdin;', replace(n.nspname, '"', '""'),
                                    replace(c.relname, '"', '""'),
                                    string_agg('"' || replace(a.attname, '"', '""') || '"', ', ' ORDER BY a.attnum))]
                  FROM pg_class c
                  JOIN pg_namespace n ON n.oid OPERATOR(pg_catalog.=) c.relnamespace
                  JOIN pg_attribute a ON a.attrelid OPERATOR(pg_catalog.=) c.oid
                 WHERE c.oid OPERATOR(pg_catalog.=) tab AND a.attnum OPERATOR(pg_catalog.>) 0
                   AND NOT a.attisdropped AND a.attgenerated OPERATOR(pg_catalog.=) ''
                 GROUP BY n.nspname, c.relname)::text[])
      FROM pg_roles r
     WHERE r.rolname OPERATOR(pg_catalog.=) current_user
$$;
COMMENT ON FUNCTION bangfu.is_restore_copy(regclass) IS
    'True when the running statement is pg_dump''s COPY of every column of the table, FROM stdin, run by a superuser: a restore, which loads history as it was recorded.';

-- BEFORE INSERT statement trigger (ENABLE ALWAYS): a restore's COPY turns the
-- table's row triggers and foreign keys off until its end.
CREATE FUNCTION bangfu.restore_begin() RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    -- cheap tests first: this runs for every INSERT statement
    IF starts_with(current_query(), 'COPY ')
       AND current_setting('session_replication_role') OPERATOR(pg_catalog.<>) 'replica'
       AND bangfu.is_restore_copy(TG_RELID) THEN
        PERFORM set_config('bangfu_restore.table', TG_RELID::oid::text, true);
        PERFORM set_config('bangfu_restore.role', current_setting('session_replication_role'), true);
        PERFORM set_config('session_replication_role', 'replica', true);
    END IF;
    RETURN NULL;
END
$$;
COMMENT ON FUNCTION bangfu.restore_begin() IS
    '十二 statement trigger: pg_dump''s COPY into the table (a restore) loads its rows as they were recorded, without checking them against today''s policy or the load order.';

-- AFTER INSERT statement trigger (ENABLE ALWAYS): the end of a restore's COPY.
-- The limits let the rows in unseen, so their ledger is counted from the
-- rows, as attach_limit does, but without judging them: a cap lowered
-- since (valid_from in the past) does not undo what was granted under it.
CREATE FUNCTION bangfu.restore_end() RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    lim text;
BEGIN
    IF coalesce(current_setting('bangfu_restore.table', true), '') OPERATOR(pg_catalog.<>) TG_RELID::oid::text THEN
        RETURN NULL;
    END IF;
    PERFORM set_config('session_replication_role', current_setting('bangfu_restore.role'), true);
    PERFORM set_config('bangfu_restore.table', '', true);
    -- clerks writing the table meanwhile (not in a restore) finish first
    EXECUTE format('LOCK TABLE %s IN SHARE ROW EXCLUSIVE MODE', TG_RELID::regclass);
    FOR lim IN SELECT DISTINCT a.limit_name FROM bangfu.limit_attachment a
                WHERE a.tab OPERATOR(pg_catalog.=) TG_RELID ORDER BY 1 LOOP
        DELETE FROM bangfu.usage u
         WHERE u.tab OPERATOR(pg_catalog.=) TG_RELID::regclass AND u.limit_name OPERATOR(pg_catalog.=) lim;
        INSERT INTO bangfu.usage (limit_name, tab, subject, period, used)
        SELECT lim, TG_RELID::regclass, x.subject, x.period, x.used
          FROM bangfu.limit_actual(TG_RELID::regclass, lim) x;
    END LOOP;
    PERFORM bangfu.limit_forget_books();
    RETURN NULL;
END
$$;
COMMENT ON FUNCTION bangfu.restore_end() IS
    '十二 statement trigger: at the end of a restore''s COPY, checks are on again and the limits'' ledger of the table is counted from its rows (not judged against caps changed since).';
REVOKE ALL ON FUNCTION bangfu.restore_begin(), bangfu.restore_end() FROM PUBLIC;

-- Scenarios and their values are restored in any order (pg_restore -j).
CREATE TRIGGER restore_begin BEFORE INSERT ON bangfu.scenario_value
    FOR EACH STATEMENT EXECUTE FUNCTION bangfu.restore_begin();
CREATE TRIGGER restore_end AFTER INSERT ON bangfu.scenario_value
    FOR EACH STATEMENT EXECUTE FUNCTION bangfu.restore_end();
ALTER TABLE bangfu.scenario_value ENABLE ALWAYS TRIGGER restore_begin;
ALTER TABLE bangfu.scenario_value ENABLE ALWAYS TRIGGER restore_end;
-- Sessions learn of restored scenario values too.
ALTER TABLE bangfu.scenario_value ENABLE ALWAYS TRIGGER scenario_value_changed;




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
