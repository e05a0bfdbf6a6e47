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
