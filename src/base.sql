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
