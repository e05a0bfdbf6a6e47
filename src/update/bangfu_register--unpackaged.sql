-- bangfu_register 'unpackaged': the ready register of a database updated
-- from bangfu 0.2.0, where it was part of extension bangfu.  This script only
-- checks that it is there; ALTER EXTENSION bangfu_register UPDATE (the
-- script bangfu_register--unpackaged--0.3.0.sql) then adopts it.
--
--     BEGIN;
--     ALTER EXTENSION bangfu UPDATE;
--     CREATE EXTENSION bangfu_register VERSION 'unpackaged';
--     ALTER EXTENSION bangfu_register UPDATE;
--     COMMIT;

\echo Use "CREATE EXTENSION bangfu_register VERSION 'unpackaged'" to load this file. \quit

-- The refusals are in the clerk's language (src/messages.c): bangfu may be
-- older than this script, without bangfu.raise_error, so they go to bangfu's
-- library (already the new one) through a temporary function, which the
-- refusal's rollback takes away.
DO $check$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_catalog.pg_depend d
                     JOIN pg_catalog.pg_extension e ON e.oid OPERATOR(pg_catalog.=) d.refobjid
                    WHERE d.classid OPERATOR(pg_catalog.=) 'pg_catalog.pg_namespace'::pg_catalog.regclass
                      AND d.objid OPERATOR(pg_catalog.=) 'bangfu_register'::pg_catalog.regnamespace
                      AND d.refclassid OPERATOR(pg_catalog.=) 'pg_catalog.pg_extension'::pg_catalog.regclass
                      AND d.deptype OPERATOR(pg_catalog.=) 'e'
                      AND e.extname OPERATOR(pg_catalog.=) 'bangfu') THEN
        CREATE FUNCTION pg_temp.bangfu_install_refusal(pg_catalog.text, pg_catalog.text[]) RETURNS void
            AS 'MODULE_PATHNAME', 'bf_install_refusal' LANGUAGE C VOLATILE;
        PERFORM pg_temp.bangfu_install_refusal('register_nothing_to_adopt'::pg_catalog.text, ARRAY[]::pg_catalog.text[]);
    END IF;
    IF pg_catalog.to_regprocedure('bangfu.restore_begin()') IS NULL THEN
        CREATE FUNCTION pg_temp.bangfu_install_refusal(pg_catalog.text, pg_catalog.text[]) RETURNS void
            AS 'MODULE_PATHNAME', 'bf_install_refusal' LANGUAGE C VOLATILE;
        PERFORM pg_temp.bangfu_install_refusal('register_bangfu_older'::pg_catalog.text, ARRAY[]::pg_catalog.text[]);
    END IF;
END
$check$;
