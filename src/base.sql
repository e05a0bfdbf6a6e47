-- bangfu: hardship benefit rules, limits and funds as SQL.
-- This file is the head of the install script assembled by the Makefile.

\echo Use "CREATE EXTENSION bangfu" to load this file. \quit

-- The policy texts and labels are Chinese (二 relief reasons, 四 notes), so
-- the database must store them: UTF8 or EUC_CN (GB 2312).  bangfu.control
-- says the scripts are UTF-8, and PostgreSQL converts the whole script before
-- running it, so another encoding without these characters (LATIN1, EUC_JP
-- ...) fails there with 22P05 naming the encoding; SQL_ASCII, which converts
-- nothing, stops here.  ASCII only in this block: it runs where Chinese can't.
DO $$
BEGIN
    IF pg_catalog.getdatabaseencoding() OPERATOR(pg_catalog.<>) ALL (ARRAY['UTF8', 'EUC_CN']) THEN
        RAISE EXCEPTION 'bangfu cannot be installed in a database with encoding %', pg_catalog.getdatabaseencoding()
            USING ERRCODE = 'untranslatable_character',
                  DETAIL = 'Its policy texts and labels are Chinese: the database encoding must be UTF8 or EUC_CN.',
                  HINT = 'Create the database with ENCODING ''UTF8'' TEMPLATE template0 (see doc/operations.md).';
    END IF;
END
$$;

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
