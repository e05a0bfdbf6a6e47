-- bangfu: hardship benefit rules, limits and funds as SQL.
-- This file is the head of the install script assembled by the Makefile.

\echo Use "CREATE EXTENSION bangfu" to load this file. \quit

-- Install hazards (issue 8; PostgreSQL's "Security Considerations for
-- Extension Scripts"; CVE-2023-39417's class).  CREATE EXTENSION uses the
-- control file's schema bangfu as it finds it.  Whoever owns that schema, or
-- may create objects in it, could have planted look-alikes this script would
-- call, and could later rename the schema and put their own "bangfu" where
-- the extension's SECURITY DEFINER code looks: so the schema must belong to
-- a superuser, nobody else may create in it, and it must be empty (a restore
-- of pg_dump's output creates it empty, as its superuser).  The same holds
-- for the register's schema bangfu_register if it is there already.  The
-- installing role's default privileges must not hand the new objects to
-- anyone.  The guard runs first, before anything else could be diverted,
-- and names only pg_catalog.  It is a function so that bangfu_register's
-- script runs the very same checks on its schema; it is created and called
-- before anything else
-- (a look-alike of the same name already in the schema makes CREATE FUNCTION
-- fail, and an uncommitted function is out of everybody else's reach).
--
-- Its refusals are in the clerk's language (issue 10): their texts are keyed
-- in src/messages.c, like bangfu.raise_error's (po/zh_CN.po translates
-- them), and raised by bangfu.install_refusal, made before the guard.  It
-- takes exactly (text, text[]) and the guard's calls pass exactly those
-- types, so a look-alike planted in a prepared schema either has its
-- signature (then this CREATE FUNCTION fails) or is never the one picked.
CREATE FUNCTION bangfu.install_refusal(key pg_catalog.text, args pg_catalog.text[])
RETURNS void
AS 'MODULE_PATHNAME', 'bf_install_refusal'
LANGUAGE C VOLATILE;
REVOKE ALL ON FUNCTION bangfu.install_refusal(pg_catalog.text, pg_catalog.text[]) FROM PUBLIC;
COMMENT ON FUNCTION bangfu.install_refusal(pg_catalog.text, pg_catalog.text[]) IS
    'Install hazards (issues 8, 10): raises the install or update guard''s refusal named key (src/messages.c) with its arguments, in the language of lc_messages.';

CREATE FUNCTION bangfu.install_guard(ext pg_catalog.text, schemas pg_catalog.text[])
RETURNS void
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $bangfu_install_guard$
DECLARE
    sname pg_catalog.text;
    s pg_catalog.oid;
    owner_name pg_catalog.text;
    owner_super pg_catalog.bool;
    creator pg_catalog.text;
    obj pg_catalog.text;
    refusal pg_catalog.text;
    refusal_args pg_catalog.text[];
BEGIN
    FOREACH sname IN ARRAY schemas LOOP
        s := pg_catalog.to_regnamespace(sname)::pg_catalog.oid;
        CONTINUE WHEN s IS NULL;
        SELECT r.rolname, r.rolsuper INTO owner_name, owner_super
          FROM pg_catalog.pg_namespace n JOIN pg_catalog.pg_roles r ON r.oid OPERATOR(pg_catalog.=) n.nspowner
         WHERE n.oid OPERATOR(pg_catalog.=) s;
        IF NOT owner_super THEN
            PERFORM bangfu.install_refusal('install_schema_owner'::pg_catalog.text,
                                           ARRAY[sname, owner_name, ext, sname]::pg_catalog.text[]);
        END IF;
        SELECT pg_catalog.string_agg(DISTINCT CASE WHEN a.grantee OPERATOR(pg_catalog.=) 0 THEN 'PUBLIC'
                                              ELSE pg_catalog.quote_ident(pg_catalog.pg_get_userbyid(a.grantee)::pg_catalog.text) END, ', ')
          INTO creator
          FROM pg_catalog.pg_namespace n, pg_catalog.aclexplode(n.nspacl) a
         WHERE n.oid OPERATOR(pg_catalog.=) s AND a.privilege_type OPERATOR(pg_catalog.=) 'CREATE'
           AND a.grantee OPERATOR(pg_catalog.<>) n.nspowner;
        IF creator IS NOT NULL THEN
            PERFORM bangfu.install_refusal('install_schema_create'::pg_catalog.text,
                                           ARRAY[sname, creator, ext, sname, ext]::pg_catalog.text[]);
        END IF;
        SELECT pg_catalog.pg_describe_object(o.classid, o.objid, 0) INTO obj
          FROM (SELECT 'pg_catalog.pg_class'::pg_catalog.regclass AS classid, c.oid AS objid FROM pg_catalog.pg_class c WHERE c.relnamespace OPERATOR(pg_catalog.=) s
                UNION ALL SELECT 'pg_catalog.pg_proc'::pg_catalog.regclass, p.oid FROM pg_catalog.pg_proc p WHERE p.pronamespace OPERATOR(pg_catalog.=) s
                UNION ALL SELECT 'pg_catalog.pg_type'::pg_catalog.regclass, t.oid FROM pg_catalog.pg_type t WHERE t.typnamespace OPERATOR(pg_catalog.=) s
                UNION ALL SELECT 'pg_catalog.pg_operator'::pg_catalog.regclass, o.oid FROM pg_catalog.pg_operator o WHERE o.oprnamespace OPERATOR(pg_catalog.=) s
                UNION ALL SELECT 'pg_catalog.pg_collation'::pg_catalog.regclass, c.oid FROM pg_catalog.pg_collation c WHERE c.collnamespace OPERATOR(pg_catalog.=) s
                UNION ALL SELECT 'pg_catalog.pg_conversion'::pg_catalog.regclass, c.oid FROM pg_catalog.pg_conversion c WHERE c.connamespace OPERATOR(pg_catalog.=) s
                UNION ALL SELECT 'pg_catalog.pg_opclass'::pg_catalog.regclass, c.oid FROM pg_catalog.pg_opclass c WHERE c.opcnamespace OPERATOR(pg_catalog.=) s
                UNION ALL SELECT 'pg_catalog.pg_opfamily'::pg_catalog.regclass, f.oid FROM pg_catalog.pg_opfamily f WHERE f.opfnamespace OPERATOR(pg_catalog.=) s
                UNION ALL SELECT 'pg_catalog.pg_ts_config'::pg_catalog.regclass, c.oid FROM pg_catalog.pg_ts_config c WHERE c.cfgnamespace OPERATOR(pg_catalog.=) s
                UNION ALL SELECT 'pg_catalog.pg_ts_dict'::pg_catalog.regclass, d.oid FROM pg_catalog.pg_ts_dict d WHERE d.dictnamespace OPERATOR(pg_catalog.=) s
                UNION ALL SELECT 'pg_catalog.pg_ts_parser'::pg_catalog.regclass, p.oid FROM pg_catalog.pg_ts_parser p WHERE p.prsnamespace OPERATOR(pg_catalog.=) s
                UNION ALL SELECT 'pg_catalog.pg_ts_template'::pg_catalog.regclass, t.oid FROM pg_catalog.pg_ts_template t WHERE t.tmplnamespace OPERATOR(pg_catalog.=) s
                UNION ALL SELECT 'pg_catalog.pg_statistic_ext'::pg_catalog.regclass, x.oid FROM pg_catalog.pg_statistic_ext x WHERE x.stxnamespace OPERATOR(pg_catalog.=) s
                UNION ALL SELECT 'pg_catalog.pg_extension'::pg_catalog.regclass, e.oid FROM pg_catalog.pg_extension e
                           WHERE e.extnamespace OPERATOR(pg_catalog.=) s AND e.extname OPERATOR(pg_catalog.<>) ext) o
         -- but what this very CREATE EXTENSION made (this function, for bangfu)
         WHERE NOT EXISTS (SELECT FROM pg_catalog.pg_depend d JOIN pg_catalog.pg_extension x ON x.oid OPERATOR(pg_catalog.=) d.refobjid
                            WHERE d.classid OPERATOR(pg_catalog.=) o.classid AND d.objid OPERATOR(pg_catalog.=) o.objid
                              AND d.refclassid OPERATOR(pg_catalog.=) 'pg_catalog.pg_extension'::pg_catalog.regclass
                              AND d.deptype OPERATOR(pg_catalog.=) 'e' AND x.extname OPERATOR(pg_catalog.=) ext)
         LIMIT 1;
        IF obj IS NOT NULL THEN
            PERFORM bangfu.install_refusal('install_schema_not_empty'::pg_catalog.text,
                                           ARRAY[sname, obj, ext, sname]::pg_catalog.text[]);
        END IF;
    END LOOP;

    -- A careless default (ALTER DEFAULT PRIVILEGES ... GRANT SELECT ON TABLES
    -- TO reporting) would hand the ledger and the register to whoever it names.
    SELECT CASE WHEN d.defaclnamespace OPERATOR(pg_catalog.=) 0 THEN 'install_default_acl' ELSE 'install_default_acl_schema' END,
           ARRAY[pg_catalog.quote_ident(pg_catalog.pg_get_userbyid(d.defaclrole)::pg_catalog.text)]
           OPERATOR(pg_catalog.||) CASE WHEN d.defaclnamespace OPERATOR(pg_catalog.=) 0 THEN ARRAY[]::pg_catalog.text[]
                                        ELSE ARRAY[d.defaclnamespace::pg_catalog.regnamespace::pg_catalog.text] END
           OPERATOR(pg_catalog.||) ARRAY[a.privilege_type,
                             CASE d.defaclobjtype WHEN 'r' THEN 'tables' WHEN 'S' THEN 'sequences' WHEN 'f' THEN 'functions'
                                                  WHEN 'T' THEN 'types' WHEN 'n' THEN 'schemas' ELSE d.defaclobjtype::pg_catalog.text END,
                             CASE WHEN a.grantee OPERATOR(pg_catalog.=) 0 THEN 'PUBLIC'
                                  ELSE pg_catalog.quote_ident(pg_catalog.pg_get_userbyid(a.grantee)::pg_catalog.text) END,
                             ext]
      INTO refusal, refusal_args
      FROM pg_catalog.pg_default_acl d, pg_catalog.aclexplode(d.defaclacl) a
     WHERE d.defaclrole OPERATOR(pg_catalog.=) (SELECT r.oid FROM pg_catalog.pg_roles r WHERE r.rolname OPERATOR(pg_catalog.=) CURRENT_USER)
       AND (d.defaclnamespace OPERATOR(pg_catalog.=) 0
            OR d.defaclnamespace OPERATOR(pg_catalog.=) ANY (SELECT n.oid FROM pg_catalog.pg_namespace n
                                                              WHERE n.nspname OPERATOR(pg_catalog.=) ANY (schemas::pg_catalog.name[])))
       AND a.grantee OPERATOR(pg_catalog.<>) d.defaclrole
       -- PUBLIC's EXECUTE on functions and USAGE on types are PostgreSQL's own defaults
       AND NOT (a.grantee OPERATOR(pg_catalog.=) 0
                AND ((d.defaclobjtype OPERATOR(pg_catalog.=) 'f' AND a.privilege_type OPERATOR(pg_catalog.=) 'EXECUTE')
                  OR (d.defaclobjtype OPERATOR(pg_catalog.=) 'T' AND a.privilege_type OPERATOR(pg_catalog.=) 'USAGE')))
     LIMIT 1;
    IF refusal IS NOT NULL THEN
        PERFORM bangfu.install_refusal(refusal, refusal_args);
    END IF;
END
$bangfu_install_guard$;
SELECT bangfu.install_guard('bangfu', ARRAY['bangfu', 'bangfu_register']);
REVOKE ALL ON FUNCTION bangfu.install_guard(pg_catalog.text, pg_catalog.text[]) FROM PUBLIC;
COMMENT ON FUNCTION bangfu.install_guard(pg_catalog.text, pg_catalog.text[]) IS
    'Install hazards (issue 8): refuses unless each of the schemas is a superuser''s, nobody else may create in it, it is empty but for the extension ext, and the installing role''s default privileges give nothing away. Run by the install scripts of bangfu and bangfu_register.';

-- The policy texts and labels are Chinese (二 relief reasons, 四 notes), so
-- the database must store them: UTF8 or EUC_CN (GB 2312).  bangfu.control
-- says the scripts are UTF-8, and PostgreSQL converts the whole script before
-- running it, so another encoding without these characters (LATIN1, EUC_JP
-- ...) fails there with 22P05 naming the encoding; SQL_ASCII, which converts
-- nothing, stops here.  ASCII only in this block: it runs where Chinese can't
-- (the refusal comes from src/messages.c, in the language of lc_messages).
DO $$
BEGIN
    IF pg_catalog.getdatabaseencoding() OPERATOR(pg_catalog.<>) ALL (ARRAY['UTF8', 'EUC_CN']) THEN
        PERFORM bangfu.install_refusal('install_encoding'::pg_catalog.text,
                                       ARRAY[pg_catalog.getdatabaseencoding()]::pg_catalog.text[]);
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
