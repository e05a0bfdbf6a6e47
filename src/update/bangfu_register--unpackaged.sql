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

DO $check$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_catalog.pg_depend d
                     JOIN pg_catalog.pg_extension e ON e.oid OPERATOR(pg_catalog.=) d.refobjid
                    WHERE d.classid OPERATOR(pg_catalog.=) 'pg_catalog.pg_namespace'::pg_catalog.regclass
                      AND d.objid OPERATOR(pg_catalog.=) 'bangfu_register'::pg_catalog.regnamespace
                      AND d.refclassid OPERATOR(pg_catalog.=) 'pg_catalog.pg_extension'::pg_catalog.regclass
                      AND d.deptype OPERATOR(pg_catalog.=) 'e'
                      AND e.extname OPERATOR(pg_catalog.=) 'bangfu') THEN
        RAISE EXCEPTION 'there is no register of bangfu 0.2.0 to adopt: schema bangfu_register is not part of extension bangfu'
            USING ERRCODE = 'object_not_in_prerequisite_state',
                  HINT = 'For a new register: CREATE EXTENSION bangfu_register;';
    END IF;
    IF pg_catalog.to_regprocedure('bangfu.restore_begin()') IS NULL THEN
        RAISE EXCEPTION 'extension bangfu is older than the register: update it first'
            USING ERRCODE = 'object_not_in_prerequisite_state',
                  HINT = 'ALTER EXTENSION bangfu UPDATE;';
    END IF;
END
$check$;
