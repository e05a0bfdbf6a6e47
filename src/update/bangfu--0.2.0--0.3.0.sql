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

-- The scripts are now declared UTF-8 (bangfu.control) so that an EUC_CN
-- database gets its Chinese converted.  GB 2312 has no em dash, so the one
-- in fund_entry_guard's message became a semicolon; redefine it from its own
-- definition with only that character changed.
DO $$
DECLARE
    def text;
BEGIN
    -- only while it is still bangfu's (the register may have moved out)
    IF EXISTS (SELECT FROM pg_catalog.pg_depend d JOIN pg_catalog.pg_extension e ON e.oid OPERATOR(pg_catalog.=) d.refobjid
                WHERE d.classid OPERATOR(pg_catalog.=) 'pg_catalog.pg_proc'::pg_catalog.regclass
                  AND d.objid OPERATOR(pg_catalog.=) pg_catalog.to_regprocedure('bangfu_register.fund_entry_guard()')
                  AND d.refclassid OPERATOR(pg_catalog.=) 'pg_catalog.pg_extension'::pg_catalog.regclass
                  AND d.deptype OPERATOR(pg_catalog.=) 'e' AND e.extname OPERATOR(pg_catalog.=) 'bangfu') THEN
        def := pg_catalog.pg_get_functiondef('bangfu_register.fund_entry_guard()'::pg_catalog.regprocedure);
        IF pg_catalog.strpos(def, U&'\2014') OPERATOR(pg_catalog.>) 0 THEN
            EXECUTE pg_catalog.replace(def, U&' \2014 ', '; ');
        END IF;
    END IF;
END
$$;



-- ==== platforms: PostgreSQL 17 (issue 10) =================================



-- ==== clients: cnid comparisons with text (issue 10) ======================



-- ==== readings settled in the spec (issue 15) =============================



-- ==== one-pass settlement (issue 12) ======================================



-- ==== messages in Chinese (issue 10) =======================================



-- ==== end ==================================================================
