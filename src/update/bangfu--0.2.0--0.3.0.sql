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



-- ==== one-pass settlement (issue 12) ======================================

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



-- ==== messages in Chinese (issue 10) =======================================



-- ==== end ==================================================================
