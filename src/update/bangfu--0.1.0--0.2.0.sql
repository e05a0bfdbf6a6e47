-- bangfu 0.1.0 -> 0.2.0
--
-- * The rules' default on_date (CURRENT_DATE) no longer costs anything per
--   row: a planner support function (bangfu.today_support) takes it out of a
--   planned call, or swaps it for bangfu.today() where it is not the last
--   argument (src/today.c).
-- * relief_installments and relief_quota become SQL functions over C scalars
--   (relief_first_half/second_half, relief_quota_min/max) that the planner
--   inlines; they are no longer STRICT, and a NULL argument gives one row of
--   NULLs instead of none.  relief_reason_label is inlinable too.
-- * hard_to_employ(cnid, date) reads sex and birth date in C.
--
-- The C entry points of 0.1.0 stay in the library, so a database still at
-- 0.1.0 keeps working with the new library until it is updated.

\echo Use "ALTER EXTENSION bangfu UPDATE TO '0.2.0'" to load this file. \quit

-- (added in 0.3.0, issue 8: install hazards) Before anything else: this script
-- runs as a superuser with search_path = bangfu, pg_temp.  If a role that is
-- not a superuser owns schema bangfu or bangfu_register, may create objects
-- in them, or owns an object in them, it could have planted look-alikes of
-- what this script calls: refuse, naming it (see src/base.sql for install).
DO $bangfu_update_guard$
DECLARE
    bad pg_catalog.text;
BEGIN
    SELECT pg_catalog.format('schema %I is owned by role %I, which is not a superuser', n.nspname, r.rolname) INTO bad
      FROM pg_catalog.pg_namespace n JOIN pg_catalog.pg_roles r ON r.oid OPERATOR(pg_catalog.=) n.nspowner
     WHERE n.nspname OPERATOR(pg_catalog.=) ANY (ARRAY['bangfu', 'bangfu_register']::pg_catalog.name[]) AND NOT r.rolsuper
     LIMIT 1;
    IF bad IS NULL THEN
        SELECT pg_catalog.format('schema %I lets %s create objects in it', n.nspname,
                                 CASE WHEN a.grantee OPERATOR(pg_catalog.=) 0 THEN 'PUBLIC'
                                      ELSE pg_catalog.quote_ident(pg_catalog.pg_get_userbyid(a.grantee)::pg_catalog.text) END) INTO bad
          FROM pg_catalog.pg_namespace n, pg_catalog.aclexplode(n.nspacl) a
         WHERE n.nspname OPERATOR(pg_catalog.=) ANY (ARRAY['bangfu', 'bangfu_register']::pg_catalog.name[])
           AND a.privilege_type OPERATOR(pg_catalog.=) 'CREATE' AND a.grantee OPERATOR(pg_catalog.<>) n.nspowner
           AND NOT (SELECT r.rolsuper FROM pg_catalog.pg_roles r WHERE r.oid OPERATOR(pg_catalog.=) a.grantee)
         LIMIT 1;
    END IF;
    IF bad IS NULL THEN
        SELECT pg_catalog.format('%s is owned by role %I, which is not a superuser',
                                 pg_catalog.pg_describe_object(o.classid, o.objid, 0), r.rolname) INTO bad
          FROM (SELECT 'pg_catalog.pg_class'::pg_catalog.regclass AS classid, c.oid AS objid, c.relowner AS owner, c.relnamespace AS nsp FROM pg_catalog.pg_class c
                UNION ALL SELECT 'pg_catalog.pg_proc'::pg_catalog.regclass, p.oid, p.proowner, p.pronamespace FROM pg_catalog.pg_proc p
                UNION ALL SELECT 'pg_catalog.pg_type'::pg_catalog.regclass, t.oid, t.typowner, t.typnamespace FROM pg_catalog.pg_type t
                UNION ALL SELECT 'pg_catalog.pg_operator'::pg_catalog.regclass, o.oid, o.oprowner, o.oprnamespace FROM pg_catalog.pg_operator o
                UNION ALL SELECT 'pg_catalog.pg_collation'::pg_catalog.regclass, c.oid, c.collowner, c.collnamespace FROM pg_catalog.pg_collation c
                UNION ALL SELECT 'pg_catalog.pg_conversion'::pg_catalog.regclass, c.oid, c.conowner, c.connamespace FROM pg_catalog.pg_conversion c
                UNION ALL SELECT 'pg_catalog.pg_opclass'::pg_catalog.regclass, c.oid, c.opcowner, c.opcnamespace FROM pg_catalog.pg_opclass c
                UNION ALL SELECT 'pg_catalog.pg_opfamily'::pg_catalog.regclass, f.oid, f.opfowner, f.opfnamespace FROM pg_catalog.pg_opfamily f) o
          JOIN pg_catalog.pg_namespace n ON n.oid OPERATOR(pg_catalog.=) o.nsp
          JOIN pg_catalog.pg_roles r ON r.oid OPERATOR(pg_catalog.=) o.owner
         WHERE n.nspname OPERATOR(pg_catalog.=) ANY (ARRAY['bangfu', 'bangfu_register']::pg_catalog.name[]) AND NOT r.rolsuper
         LIMIT 1;
    END IF;
    IF bad IS NULL THEN
        SELECT pg_catalog.format('ALTER DEFAULT PRIVILEGES of role %s grants %s to %s in this database',
                                 pg_catalog.quote_ident(pg_catalog.pg_get_userbyid(d.defaclrole)::pg_catalog.text), a.privilege_type,
                                 CASE WHEN a.grantee OPERATOR(pg_catalog.=) 0 THEN 'PUBLIC'
                                      ELSE pg_catalog.quote_ident(pg_catalog.pg_get_userbyid(a.grantee)::pg_catalog.text) END) INTO bad
          FROM pg_catalog.pg_default_acl d, pg_catalog.aclexplode(d.defaclacl) a
         WHERE d.defaclrole OPERATOR(pg_catalog.=) (SELECT r.oid FROM pg_catalog.pg_roles r WHERE r.rolname OPERATOR(pg_catalog.=) CURRENT_USER)
           AND (d.defaclnamespace OPERATOR(pg_catalog.=) 0
                OR d.defaclnamespace OPERATOR(pg_catalog.=) ANY (SELECT n.oid FROM pg_catalog.pg_namespace n
                                                                  WHERE n.nspname OPERATOR(pg_catalog.=) ANY (ARRAY['bangfu', 'bangfu_register']::pg_catalog.name[])))
           AND a.grantee OPERATOR(pg_catalog.<>) d.defaclrole
           -- PUBLIC's EXECUTE on functions and USAGE on types are PostgreSQL's own defaults
           AND NOT (a.grantee OPERATOR(pg_catalog.=) 0
                    AND ((d.defaclobjtype OPERATOR(pg_catalog.=) 'f' AND a.privilege_type OPERATOR(pg_catalog.=) 'EXECUTE')
                      OR (d.defaclobjtype OPERATOR(pg_catalog.=) 'T' AND a.privilege_type OPERATOR(pg_catalog.=) 'USAGE')))
         LIMIT 1;
    END IF;
    IF bad IS NOT NULL THEN
        RAISE EXCEPTION 'bangfu will not update: %', bad
            USING ERRCODE = 'insufficient_privilege',
                  DETAIL = 'A role that may put objects into the extension''s schemas could divert this script, run as a superuser.',
                  HINT = 'Give the schemas and their objects to a superuser and revoke CREATE on them from everyone else (see doc/security.md), then update again.';
    END IF;
END
$bangfu_update_guard$;

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

ALTER FUNCTION bangfu.medical_reduction(numeric, date, numeric) SUPPORT bangfu.today_support;
ALTER FUNCTION bangfu.illness_relief(numeric, date, numeric) SUPPORT bangfu.today_support;
ALTER FUNCTION bangfu.medical_settlement(numeric, date, numeric, numeric) SUPPORT bangfu.today_support;
ALTER FUNCTION bangfu.relief_band(bangfu.relief_reason, date) SUPPORT bangfu.today_support;
ALTER FUNCTION bangfu.relief_in_band(bangfu.relief_reason, numeric, date) SUPPORT bangfu.today_support;
ALTER FUNCTION bangfu.pension_subsidy(numeric, date) SUPPORT bangfu.today_support;
ALTER FUNCTION bangfu.pension_subsidy(numeric, integer, integer, date) SUPPORT bangfu.today_support;
ALTER FUNCTION bangfu.enterprise_subsidy(numeric, numeric, numeric, date) SUPPORT bangfu.today_support;
ALTER FUNCTION bangfu.enterprise_loan_quota(integer, integer, date) SUPPORT bangfu.today_support;
ALTER FUNCTION bangfu.handicraft_reward(numeric, date) SUPPORT bangfu.today_support;
-- the scenario overloads: a CURRENT_DATE written there becomes bangfu.today()
ALTER FUNCTION bangfu.medical_reduction(numeric, date, numeric, text) SUPPORT bangfu.today_support;
ALTER FUNCTION bangfu.illness_relief(numeric, date, numeric, text) SUPPORT bangfu.today_support;
ALTER FUNCTION bangfu.medical_settlement(numeric, date, numeric, numeric, text) SUPPORT bangfu.today_support;
ALTER FUNCTION bangfu.relief_band(bangfu.relief_reason, date, text) SUPPORT bangfu.today_support;
ALTER FUNCTION bangfu.relief_in_band(bangfu.relief_reason, numeric, date, text) SUPPORT bangfu.today_support;
ALTER FUNCTION bangfu.pension_subsidy(numeric, date, text) SUPPORT bangfu.today_support;
ALTER FUNCTION bangfu.pension_subsidy(numeric, integer, integer, date, text) SUPPORT bangfu.today_support;
ALTER FUNCTION bangfu.enterprise_subsidy(numeric, numeric, numeric, date, text) SUPPORT bangfu.today_support;
ALTER FUNCTION bangfu.enterprise_loan_quota(integer, integer, date, text) SUPPORT bangfu.today_support;
ALTER FUNCTION bangfu.handicraft_reward(numeric, date, text) SUPPORT bangfu.today_support;

CREATE OR REPLACE FUNCTION bangfu.relief_reason_label(reason bangfu.relief_reason)
RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN CASE
    WHEN reason OPERATOR(pg_catalog.=) 'critical_illness'::bangfu.relief_reason THEN '因患危重疾病或意外事故'
    WHEN reason OPERATOR(pg_catalog.=) 'disability_chronic'::bangfu.relief_reason THEN '因身体残疾或患疑难慢性疾病'
    WHEN reason OPERATOR(pg_catalog.=) 'education'::bangfu.relief_reason THEN '因子女教育费用负担过重'
    WHEN reason OPERATOR(pg_catalog.=) 'single_parent_other'::bangfu.relief_reason THEN '因单亲家庭及其他特殊原因'
END;

CREATE FUNCTION bangfu.relief_first_half(amount numeric)
RETURNS numeric
    AS 'MODULE_PATHNAME', 'bf_relief_first_half' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION bangfu.relief_first_half(numeric) IS
    '二 first installment of a relief (上半年): half the amount rounded up to the fen.';

CREATE FUNCTION bangfu.relief_second_half(amount numeric)
RETURNS numeric
    AS 'MODULE_PATHNAME', 'bf_relief_second_half' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION bangfu.relief_second_half(numeric) IS
    '二 second installment of a relief (下半年): the amount less the first installment.';

CREATE OR REPLACE FUNCTION bangfu.relief_installments(amount numeric)
RETURNS TABLE (first_half numeric, second_half numeric)
LANGUAGE sql IMMUTABLE PARALLEL SAFE ROWS 1
BEGIN ATOMIC
    SELECT bangfu.relief_first_half(amount), bangfu.relief_second_half(amount);
END;

CREATE FUNCTION bangfu.relief_quota_min(urban_households integer, on_date date DEFAULT CURRENT_DATE)
RETURNS integer
    AS 'MODULE_PATHNAME', 'bf_relief_quota_min' LANGUAGE C STABLE STRICT PARALLEL SAFE
    SUPPORT bangfu.today_support;
COMMENT ON FUNCTION bangfu.relief_quota_min(integer, date) IS
    '二 least households to relieve in a year: ceil(3%) of the urban permanent-resident households.';

CREATE FUNCTION bangfu.relief_quota_min(urban_households integer, on_date date, scenario text)
RETURNS integer
    AS 'MODULE_PATHNAME', 'bf_relief_quota_min' LANGUAGE C STABLE STRICT PARALLEL SAFE
    SUPPORT bangfu.today_support;
COMMENT ON FUNCTION bangfu.relief_quota_min(integer, date, text) IS
    '二 least households to relieve, under a what-if scenario.';

CREATE FUNCTION bangfu.relief_quota_max(urban_households integer, on_date date DEFAULT CURRENT_DATE)
RETURNS integer
    AS 'MODULE_PATHNAME', 'bf_relief_quota_max' LANGUAGE C STABLE STRICT PARALLEL SAFE
    SUPPORT bangfu.today_support;
COMMENT ON FUNCTION bangfu.relief_quota_max(integer, date) IS
    '二 most households to relieve in a year: floor(5%) of the urban permanent-resident households.';

CREATE FUNCTION bangfu.relief_quota_max(urban_households integer, on_date date, scenario text)
RETURNS integer
    AS 'MODULE_PATHNAME', 'bf_relief_quota_max' LANGUAGE C STABLE STRICT PARALLEL SAFE
    SUPPORT bangfu.today_support;
COMMENT ON FUNCTION bangfu.relief_quota_max(integer, date, text) IS
    '二 most households to relieve, under a what-if scenario.';

CREATE OR REPLACE FUNCTION bangfu.relief_quota(urban_households integer, on_date date DEFAULT CURRENT_DATE)
RETURNS TABLE (min_households integer, max_households integer)
LANGUAGE sql STABLE PARALLEL SAFE ROWS 1
BEGIN ATOMIC
    SELECT bangfu.relief_quota_min(urban_households, on_date),
           bangfu.relief_quota_max(urban_households, on_date);
END;

CREATE OR REPLACE FUNCTION bangfu.relief_quota(urban_households integer, on_date date, scenario text)
RETURNS TABLE (min_households integer, max_households integer)
LANGUAGE sql STABLE PARALLEL SAFE ROWS 1
BEGIN ATOMIC
    SELECT bangfu.relief_quota_min(urban_households, on_date, scenario),
           bangfu.relief_quota_max(urban_households, on_date, scenario);
END;

CREATE OR REPLACE FUNCTION bangfu.hard_to_employ(id bangfu.cnid, on_date date)
RETURNS boolean
    AS 'MODULE_PATHNAME', 'bf_hard_to_employ_cnid' LANGUAGE C STABLE STRICT PARALLEL SAFE;
