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

CREATE OPERATOR pg_catalog.= (
    LEFTARG = bangfu.cnid, RIGHTARG = bangfu.cnid,
    FUNCTION = bangfu.cnid_eq,
    COMMUTATOR = OPERATOR(pg_catalog.=), NEGATOR = OPERATOR(pg_catalog.<>),
    RESTRICT = pg_catalog.eqsel, JOIN = pg_catalog.eqjoinsel,
    HASHES, MERGES
);
CREATE OPERATOR pg_catalog.<> (
    LEFTARG = bangfu.cnid, RIGHTARG = bangfu.cnid,
    FUNCTION = bangfu.cnid_ne,
    COMMUTATOR = OPERATOR(pg_catalog.<>), NEGATOR = OPERATOR(pg_catalog.=),
    RESTRICT = pg_catalog.neqsel, JOIN = pg_catalog.neqjoinsel
);
CREATE OPERATOR pg_catalog.< (
    LEFTARG = bangfu.cnid, RIGHTARG = bangfu.cnid,
    FUNCTION = bangfu.cnid_lt,
    COMMUTATOR = OPERATOR(pg_catalog.>), NEGATOR = OPERATOR(pg_catalog.>=),
    RESTRICT = pg_catalog.scalarltsel, JOIN = pg_catalog.scalarltjoinsel
);
CREATE OPERATOR pg_catalog.<= (
    LEFTARG = bangfu.cnid, RIGHTARG = bangfu.cnid,
    FUNCTION = bangfu.cnid_le,
    COMMUTATOR = OPERATOR(pg_catalog.>=), NEGATOR = OPERATOR(pg_catalog.>),
    RESTRICT = pg_catalog.scalarlesel, JOIN = pg_catalog.scalarlejoinsel
);
CREATE OPERATOR pg_catalog.>= (
    LEFTARG = bangfu.cnid, RIGHTARG = bangfu.cnid,
    FUNCTION = bangfu.cnid_ge,
    COMMUTATOR = OPERATOR(pg_catalog.<=), NEGATOR = OPERATOR(pg_catalog.<),
    RESTRICT = pg_catalog.scalargesel, JOIN = pg_catalog.scalargejoinsel
);
CREATE OPERATOR pg_catalog.> (
    LEFTARG = bangfu.cnid, RIGHTARG = bangfu.cnid,
    FUNCTION = bangfu.cnid_gt,
    COMMUTATOR = OPERATOR(pg_catalog.<), NEGATOR = OPERATOR(pg_catalog.<=),
    RESTRICT = pg_catalog.scalargtsel, JOIN = pg_catalog.scalargtjoinsel
);

COMMENT ON OPERATOR pg_catalog.= (bangfu.cnid, bangfu.cnid) IS
    'same person (二, 八(1) applicant identity)';
COMMENT ON OPERATOR pg_catalog.<> (bangfu.cnid, bangfu.cnid) IS
    'different people (二, 八(1) applicant identity)';
COMMENT ON OPERATOR pg_catalog.< (bangfu.cnid, bangfu.cnid) IS
    'less than, by region, birth date, sequence (二 recipient lists in a stable order)';
COMMENT ON OPERATOR pg_catalog.<= (bangfu.cnid, bangfu.cnid) IS
    'less than or equal, by region, birth date, sequence (二 recipient lists in a stable order)';
COMMENT ON OPERATOR pg_catalog.>= (bangfu.cnid, bangfu.cnid) IS
    'greater than or equal, by region, birth date, sequence (二 recipient lists in a stable order)';
COMMENT ON OPERATOR pg_catalog.> (bangfu.cnid, bangfu.cnid) IS
    'greater than, by region, birth date, sequence (二 recipient lists in a stable order)';

CREATE OPERATOR CLASS bangfu.cnid_ops
    DEFAULT FOR TYPE bangfu.cnid USING btree AS
        OPERATOR 1 pg_catalog.<,
        OPERATOR 2 pg_catalog.<=,
        OPERATOR 3 pg_catalog.=,
        OPERATOR 4 pg_catalog.>=,
        OPERATOR 5 pg_catalog.>,
        FUNCTION 1 bangfu.cnid_cmp(bangfu.cnid, bangfu.cnid),
        FUNCTION 2 bangfu.cnid_sortsupport(internal);

CREATE OPERATOR CLASS bangfu.cnid_ops
    DEFAULT FOR TYPE bangfu.cnid USING hash AS
        OPERATOR 1 pg_catalog.=,
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

-- ==== Comparisons every client finds (issue 10) ===========================
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
