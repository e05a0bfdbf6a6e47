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
-- As in src/cnid.sql.  0.2.0's six operators of cnid move to pg_catalog (same
-- objects: the operator classes, constraints and views that use them keep
-- them), then their old names come back as aliases.
ALTER OPERATOR bangfu.= (bangfu.cnid, bangfu.cnid) SET SCHEMA pg_catalog;
ALTER OPERATOR bangfu.<> (bangfu.cnid, bangfu.cnid) SET SCHEMA pg_catalog;
ALTER OPERATOR bangfu.< (bangfu.cnid, bangfu.cnid) SET SCHEMA pg_catalog;
ALTER OPERATOR bangfu.<= (bangfu.cnid, bangfu.cnid) SET SCHEMA pg_catalog;
ALTER OPERATOR bangfu.>= (bangfu.cnid, bangfu.cnid) SET SCHEMA pg_catalog;
ALTER OPERATOR bangfu.> (bangfu.cnid, bangfu.cnid) SET SCHEMA pg_catalog;
--
-- A clerk's report tool compares a cnid column with a string literal (psql,
-- psycopg2), an untyped parameter (node-postgres), a varchar parameter (JDBC
-- setString: DBeaver, Metabase) or a text one (npgsql, psycopg 3), with the
-- default search_path, where schema bangfu is not.  PostgreSQL finds an
-- operator only through the search_path; pg_catalog is always on it,
-- searched first unless a session names it later on purpose, and only a
-- superuser can create there.  So the comparison operators of cnid (above,
-- the ones its btree and hash operator classes hold) live in pg_catalog,
-- and so do exact matches for (cnid, text), (cnid, varchar) and their
-- mirrors: an operator a user plants in a schema of his own (say
-- `=`(cnid, varchar), to answer another clerk's query with his function) is
-- never the exact match chosen.
--
-- The text forms are SQL functions whose body is parsed here (RETURN, not a
-- string): no search_path is consulted when they run, and the planner
-- inlines them into the operator above, so a text or varchar parameter
-- still uses the btree index.  The text is read by the cast to cnid: a
-- string that is no identity number is refused (22P02), never compared as
-- characters, and a 15-digit legacy number equals its 18-character form.
-- No implicit cast from text is added: that would make other calls
-- ambiguous or silently change which function a text argument picks.
--
-- bangfu 0.2.0 had these operators in schema bangfu, and code writes
-- OPERATOR(bangfu.=): those names stay, as aliases inlined the same way.
-- (contrib/isn gets comparisons with literals by living in the schema users
-- already have on their path, public; bangfu's schema is fixed and off it.)

CREATE FUNCTION bangfu.cnid_eq_alias(a bangfu.cnid, b bangfu.cnid) RETURNS boolean
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN a OPERATOR(pg_catalog.=) b;
CREATE FUNCTION bangfu.cnid_ne_alias(a bangfu.cnid, b bangfu.cnid) RETURNS boolean
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN a OPERATOR(pg_catalog.<>) b;
CREATE FUNCTION bangfu.cnid_lt_alias(a bangfu.cnid, b bangfu.cnid) RETURNS boolean
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN a OPERATOR(pg_catalog.<) b;
CREATE FUNCTION bangfu.cnid_le_alias(a bangfu.cnid, b bangfu.cnid) RETURNS boolean
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN a OPERATOR(pg_catalog.<=) b;
CREATE FUNCTION bangfu.cnid_ge_alias(a bangfu.cnid, b bangfu.cnid) RETURNS boolean
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN a OPERATOR(pg_catalog.>=) b;
CREATE FUNCTION bangfu.cnid_gt_alias(a bangfu.cnid, b bangfu.cnid) RETURNS boolean
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN a OPERATOR(pg_catalog.>) b;

CREATE FUNCTION bangfu.cnid_eq_text(a bangfu.cnid, b text) RETURNS boolean
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN a OPERATOR(pg_catalog.=) b::bangfu.cnid;
CREATE FUNCTION bangfu.cnid_ne_text(a bangfu.cnid, b text) RETURNS boolean
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN a OPERATOR(pg_catalog.<>) b::bangfu.cnid;
CREATE FUNCTION bangfu.text_eq_cnid(a text, b bangfu.cnid) RETURNS boolean
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN a::bangfu.cnid OPERATOR(pg_catalog.=) b;
CREATE FUNCTION bangfu.text_ne_cnid(a text, b bangfu.cnid) RETURNS boolean
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN a::bangfu.cnid OPERATOR(pg_catalog.<>) b;
CREATE FUNCTION bangfu.cnid_eq_varchar(a bangfu.cnid, b varchar) RETURNS boolean
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN a OPERATOR(pg_catalog.=) b::text::bangfu.cnid;
CREATE FUNCTION bangfu.cnid_ne_varchar(a bangfu.cnid, b varchar) RETURNS boolean
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN a OPERATOR(pg_catalog.<>) b::text::bangfu.cnid;
CREATE FUNCTION bangfu.varchar_eq_cnid(a varchar, b bangfu.cnid) RETURNS boolean
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN a::text::bangfu.cnid OPERATOR(pg_catalog.=) b;
CREATE FUNCTION bangfu.varchar_ne_cnid(a varchar, b bangfu.cnid) RETURNS boolean
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN a::text::bangfu.cnid OPERATOR(pg_catalog.<>) b;

COMMENT ON FUNCTION bangfu.cnid_eq_alias(bangfu.cnid, bangfu.cnid) IS
    'bangfu.= for bangfu.cnid, the 0.2.0 name of pg_catalog.= (二, 八(1) applicant identity); inlined into it';
COMMENT ON FUNCTION bangfu.cnid_ne_alias(bangfu.cnid, bangfu.cnid) IS
    'bangfu.<> for bangfu.cnid, the 0.2.0 name of pg_catalog.<> (二, 八(1) applicant identity); inlined into it';
COMMENT ON FUNCTION bangfu.cnid_lt_alias(bangfu.cnid, bangfu.cnid) IS
    'bangfu.< for bangfu.cnid, the 0.2.0 name of pg_catalog.< (二, 八(1) applicant identity); inlined into it';
COMMENT ON FUNCTION bangfu.cnid_le_alias(bangfu.cnid, bangfu.cnid) IS
    'bangfu.<= for bangfu.cnid, the 0.2.0 name of pg_catalog.<= (二, 八(1) applicant identity); inlined into it';
COMMENT ON FUNCTION bangfu.cnid_ge_alias(bangfu.cnid, bangfu.cnid) IS
    'bangfu.>= for bangfu.cnid, the 0.2.0 name of pg_catalog.>= (二, 八(1) applicant identity); inlined into it';
COMMENT ON FUNCTION bangfu.cnid_gt_alias(bangfu.cnid, bangfu.cnid) IS
    'bangfu.> for bangfu.cnid, the 0.2.0 name of pg_catalog.> (二, 八(1) applicant identity); inlined into it';
COMMENT ON FUNCTION bangfu.cnid_eq_text(bangfu.cnid, text) IS
    'cnid = text (二, 八(1) applicant identity): the text is read as an identity number (22P02 if it is none); inlined into pg_catalog.=';
COMMENT ON FUNCTION bangfu.cnid_ne_text(bangfu.cnid, text) IS
    'cnid <> text (二, 八(1) applicant identity): the text is read as an identity number (22P02 if it is none); inlined into pg_catalog.<>';
COMMENT ON FUNCTION bangfu.text_eq_cnid(text, bangfu.cnid) IS
    'text = cnid (二, 八(1) applicant identity): the text is read as an identity number (22P02 if it is none); inlined into pg_catalog.=';
COMMENT ON FUNCTION bangfu.text_ne_cnid(text, bangfu.cnid) IS
    'text <> cnid (二, 八(1) applicant identity): the text is read as an identity number (22P02 if it is none); inlined into pg_catalog.<>';
COMMENT ON FUNCTION bangfu.cnid_eq_varchar(bangfu.cnid, varchar) IS
    'cnid = varchar (二, 八(1) applicant identity): the varchar is read as an identity number (22P02 if it is none); inlined into pg_catalog.=';
COMMENT ON FUNCTION bangfu.cnid_ne_varchar(bangfu.cnid, varchar) IS
    'cnid <> varchar (二, 八(1) applicant identity): the varchar is read as an identity number (22P02 if it is none); inlined into pg_catalog.<>';
COMMENT ON FUNCTION bangfu.varchar_eq_cnid(varchar, bangfu.cnid) IS
    'varchar = cnid (二, 八(1) applicant identity): the varchar is read as an identity number (22P02 if it is none); inlined into pg_catalog.=';
COMMENT ON FUNCTION bangfu.varchar_ne_cnid(varchar, bangfu.cnid) IS
    'varchar <> cnid (二, 八(1) applicant identity): the varchar is read as an identity number (22P02 if it is none); inlined into pg_catalog.<>';

CREATE OPERATOR bangfu.= (
    LEFTARG = bangfu.cnid, RIGHTARG = bangfu.cnid,
    FUNCTION = bangfu.cnid_eq_alias,
    COMMUTATOR = OPERATOR(bangfu.=), NEGATOR = OPERATOR(bangfu.<>),
    RESTRICT = pg_catalog.eqsel, JOIN = pg_catalog.eqjoinsel
);
CREATE OPERATOR bangfu.<> (
    LEFTARG = bangfu.cnid, RIGHTARG = bangfu.cnid,
    FUNCTION = bangfu.cnid_ne_alias,
    COMMUTATOR = OPERATOR(bangfu.<>), NEGATOR = OPERATOR(bangfu.=),
    RESTRICT = pg_catalog.neqsel, JOIN = pg_catalog.neqjoinsel
);
CREATE OPERATOR bangfu.< (
    LEFTARG = bangfu.cnid, RIGHTARG = bangfu.cnid,
    FUNCTION = bangfu.cnid_lt_alias,
    COMMUTATOR = OPERATOR(bangfu.>), NEGATOR = OPERATOR(bangfu.>=),
    RESTRICT = pg_catalog.scalarltsel, JOIN = pg_catalog.scalarltjoinsel
);
CREATE OPERATOR bangfu.<= (
    LEFTARG = bangfu.cnid, RIGHTARG = bangfu.cnid,
    FUNCTION = bangfu.cnid_le_alias,
    COMMUTATOR = OPERATOR(bangfu.>=), NEGATOR = OPERATOR(bangfu.>),
    RESTRICT = pg_catalog.scalarlesel, JOIN = pg_catalog.scalarlejoinsel
);
CREATE OPERATOR bangfu.>= (
    LEFTARG = bangfu.cnid, RIGHTARG = bangfu.cnid,
    FUNCTION = bangfu.cnid_ge_alias,
    COMMUTATOR = OPERATOR(bangfu.<=), NEGATOR = OPERATOR(bangfu.<),
    RESTRICT = pg_catalog.scalargesel, JOIN = pg_catalog.scalargejoinsel
);
CREATE OPERATOR bangfu.> (
    LEFTARG = bangfu.cnid, RIGHTARG = bangfu.cnid,
    FUNCTION = bangfu.cnid_gt_alias,
    COMMUTATOR = OPERATOR(bangfu.<), NEGATOR = OPERATOR(bangfu.<=),
    RESTRICT = pg_catalog.scalargtsel, JOIN = pg_catalog.scalargtjoinsel
);
CREATE OPERATOR pg_catalog.= (
    LEFTARG = bangfu.cnid, RIGHTARG = text,
    FUNCTION = bangfu.cnid_eq_text,
    COMMUTATOR = OPERATOR(pg_catalog.=), NEGATOR = OPERATOR(pg_catalog.<>),
    RESTRICT = pg_catalog.eqsel, JOIN = pg_catalog.eqjoinsel
);
CREATE OPERATOR pg_catalog.<> (
    LEFTARG = bangfu.cnid, RIGHTARG = text,
    FUNCTION = bangfu.cnid_ne_text,
    COMMUTATOR = OPERATOR(pg_catalog.<>), NEGATOR = OPERATOR(pg_catalog.=),
    RESTRICT = pg_catalog.neqsel, JOIN = pg_catalog.neqjoinsel
);
CREATE OPERATOR pg_catalog.= (
    LEFTARG = text, RIGHTARG = bangfu.cnid,
    FUNCTION = bangfu.text_eq_cnid,
    COMMUTATOR = OPERATOR(pg_catalog.=), NEGATOR = OPERATOR(pg_catalog.<>),
    RESTRICT = pg_catalog.eqsel, JOIN = pg_catalog.eqjoinsel
);
CREATE OPERATOR pg_catalog.<> (
    LEFTARG = text, RIGHTARG = bangfu.cnid,
    FUNCTION = bangfu.text_ne_cnid,
    COMMUTATOR = OPERATOR(pg_catalog.<>), NEGATOR = OPERATOR(pg_catalog.=),
    RESTRICT = pg_catalog.neqsel, JOIN = pg_catalog.neqjoinsel
);
CREATE OPERATOR pg_catalog.= (
    LEFTARG = bangfu.cnid, RIGHTARG = varchar,
    FUNCTION = bangfu.cnid_eq_varchar,
    COMMUTATOR = OPERATOR(pg_catalog.=), NEGATOR = OPERATOR(pg_catalog.<>),
    RESTRICT = pg_catalog.eqsel, JOIN = pg_catalog.eqjoinsel
);
CREATE OPERATOR pg_catalog.<> (
    LEFTARG = bangfu.cnid, RIGHTARG = varchar,
    FUNCTION = bangfu.cnid_ne_varchar,
    COMMUTATOR = OPERATOR(pg_catalog.<>), NEGATOR = OPERATOR(pg_catalog.=),
    RESTRICT = pg_catalog.neqsel, JOIN = pg_catalog.neqjoinsel
);
CREATE OPERATOR pg_catalog.= (
    LEFTARG = varchar, RIGHTARG = bangfu.cnid,
    FUNCTION = bangfu.varchar_eq_cnid,
    COMMUTATOR = OPERATOR(pg_catalog.=), NEGATOR = OPERATOR(pg_catalog.<>),
    RESTRICT = pg_catalog.eqsel, JOIN = pg_catalog.eqjoinsel
);
CREATE OPERATOR pg_catalog.<> (
    LEFTARG = varchar, RIGHTARG = bangfu.cnid,
    FUNCTION = bangfu.varchar_ne_cnid,
    COMMUTATOR = OPERATOR(pg_catalog.<>), NEGATOR = OPERATOR(pg_catalog.=),
    RESTRICT = pg_catalog.neqsel, JOIN = pg_catalog.neqjoinsel
);

COMMENT ON OPERATOR bangfu.= (bangfu.cnid, bangfu.cnid) IS
    'same person (二, 八(1) applicant identity): the 0.2.0 name of pg_catalog.=';
COMMENT ON OPERATOR bangfu.<> (bangfu.cnid, bangfu.cnid) IS
    'different people (二, 八(1) applicant identity): the 0.2.0 name of pg_catalog.<>';
COMMENT ON OPERATOR bangfu.< (bangfu.cnid, bangfu.cnid) IS
    'less than, by region, birth date, sequence (二 recipient lists in a stable order): the 0.2.0 name of pg_catalog.<';
COMMENT ON OPERATOR bangfu.<= (bangfu.cnid, bangfu.cnid) IS
    'less than or equal, by region, birth date, sequence (二 recipient lists in a stable order): the 0.2.0 name of pg_catalog.<=';
COMMENT ON OPERATOR bangfu.>= (bangfu.cnid, bangfu.cnid) IS
    'greater than or equal, by region, birth date, sequence (二 recipient lists in a stable order): the 0.2.0 name of pg_catalog.>=';
COMMENT ON OPERATOR bangfu.> (bangfu.cnid, bangfu.cnid) IS
    'greater than, by region, birth date, sequence (二 recipient lists in a stable order): the 0.2.0 name of pg_catalog.>';
COMMENT ON OPERATOR pg_catalog.= (bangfu.cnid, text) IS
    'same person as the identity number in a text (二, 八(1)); 22P02 if it is none';
COMMENT ON OPERATOR pg_catalog.<> (bangfu.cnid, text) IS
    'not the person of the identity number in a text (二, 八(1)); 22P02 if it is none';
COMMENT ON OPERATOR pg_catalog.= (text, bangfu.cnid) IS
    'same person as the identity number in a text (二, 八(1)); 22P02 if it is none';
COMMENT ON OPERATOR pg_catalog.<> (text, bangfu.cnid) IS
    'not the person of the identity number in a text (二, 八(1)); 22P02 if it is none';
COMMENT ON OPERATOR pg_catalog.= (bangfu.cnid, varchar) IS
    'same person as the identity number in a varchar, as JDBC sends strings (二, 八(1)); 22P02 if it is none';
COMMENT ON OPERATOR pg_catalog.<> (bangfu.cnid, varchar) IS
    'not the person of the identity number in a varchar, as JDBC sends strings (二, 八(1)); 22P02 if it is none';
COMMENT ON OPERATOR pg_catalog.= (varchar, bangfu.cnid) IS
    'same person as the identity number in a varchar, as JDBC sends strings (二, 八(1)); 22P02 if it is none';
COMMENT ON OPERATOR pg_catalog.<> (varchar, bangfu.cnid) IS
    'not the person of the identity number in a varchar, as JDBC sends strings (二, 八(1)); 22P02 if it is none';



-- ==== readings settled in the spec (issue 15) =============================



-- ==== one-pass settlement (issue 12) ======================================



-- ==== messages in Chinese (issue 10) =======================================



-- ==== end ==================================================================
