-- bangfu: hardship benefit rules, limits and funds as SQL.
-- This file is the head of the install script assembled by the Makefile.

\echo Use "CREATE EXTENSION bangfu" to load this file. \quit

-- Which build of bangfu is loaded (the version is kept in bangfu.control).
CREATE FUNCTION bangfu.version() RETURNS text
    AS 'MODULE_PATHNAME', 'bf_version'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION bangfu.version() IS
    'Version of the bangfu shared library (the install script carries the same version).';
