-- bangfu 0.2.0 -> 0.3.0: ALTER EXTENSION bangfu UPDATE TO '0.3.0'.
--
-- Every change 0.3.0 makes to the install script (src/*.sql), made here to a
-- database installed at 0.2.0; scripts/upgrade_test.sh checks that the result
-- equals a fresh install.  One section per piece of work, in this order.

\echo Use "ALTER EXTENSION bangfu UPDATE TO '0.3.0'" to load this file. \quit

-- (security: install hazards, issue 8) Before anything else: this script
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


-- ==== security: the limit engine (issue 8) ================================



-- ==== security: privileges, personal data, install hazards (issue 8) ======

-- The office's role: 0.2.0 took any role of the right name as it found it.
-- One that can log in, has a role attribute or is a member of another role
-- is refused now as at install (src/policy.sql); otherwise it was adopted
-- by 0.2.0 already and is marked as bangfu's, so that an install into
-- another database of the cluster takes it.  (The departments' roles are
-- the register's: its update from 'unpackaged' does the same for them.)
DO $roles$
DECLARE
    r pg_catalog.text;
    rec record;
    mark CONSTANT pg_catalog.text := 'bangfu department role (policy clauses 11, 12): its rights are granted by the bangfu extension; see doc/security.md';
BEGIN
    FOREACH r IN ARRAY ARRAY['bangfu_policy_admin']
    LOOP
        SELECT a.oid, a.rolcanlogin, a.rolsuper, a.rolcreatedb, a.rolcreaterole, a.rolreplication, a.rolbypassrls
          INTO rec FROM pg_catalog.pg_roles a WHERE a.rolname OPERATOR(pg_catalog.=) r;
        IF NOT FOUND THEN
            EXECUTE pg_catalog.format('CREATE ROLE %I NOLOGIN', r);
        ELSIF rec.rolcanlogin OR rec.rolsuper OR rec.rolcreatedb OR rec.rolcreaterole OR rec.rolreplication OR rec.rolbypassrls
           OR EXISTS (SELECT FROM pg_catalog.pg_auth_members m WHERE m.member OPERATOR(pg_catalog.=) rec.oid) THEN
            RAISE EXCEPTION 'role "%" is not a bare group role (it can log in, has a role attribute, or is a member of another role): bangfu will not keep giving it a department''s rights', r
                USING ERRCODE = 'insufficient_privilege',
                      HINT = pg_catalog.format('Check who changed role %I and why; make it NOLOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS and a member of nothing, then update again.', r);
        END IF;
        EXECUTE pg_catalog.format('COMMENT ON ROLE %I IS %L', r, mark);
    END LOOP;
END
$roles$;

-- Privileges (src/roles.sql, the end of src/register.sql): the ledger and
-- the register's personal data are no longer everybody's; functions only
-- bangfu calls are no longer PUBLIC's.
REVOKE ALL ON FUNCTION bangfu.policy_guard() FROM PUBLIC;
REVOKE ALL ON FUNCTION bangfu.scenario_guard() FROM PUBLIC;
REVOKE SELECT ON bangfu.usage, bangfu.usage_report FROM PUBLIC;
GRANT SELECT ON bangfu.usage, bangfu.usage_report TO bangfu_policy_admin;
REVOKE ALL ON FUNCTION bangfu.forget_dropped_tables() FROM PUBLIC;
REVOKE ALL ON FUNCTION bangfu.limit_used(text, text, date) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION bangfu.limit_used(text, text, date)
    TO bangfu_policy_admin, bangfu_civil_affairs, bangfu_health;

-- The published list is read by PUBLIC: a security barrier (src/register.sql).
ALTER VIEW bangfu_register.relief_published SET (security_barrier = true);
REVOKE SELECT ON ALL TABLES IN SCHEMA bangfu_register
    FROM bangfu_street, bangfu_civil_affairs, bangfu_health, bangfu_hrss, bangfu_finance, bangfu_reader;
GRANT SELECT ON bangfu_register.relief_published, bangfu_register.relief_quota_status,
                bangfu_register.fund_balance, bangfu_register.county_year,
                bangfu_register.fund, bangfu_register.fund_source, bangfu_register.program
    TO bangfu_policy_admin, bangfu_street, bangfu_civil_affairs, bangfu_health,
       bangfu_hrss, bangfu_finance, bangfu_reader;
GRANT SELECT ON bangfu_register.household, bangfu_register.member, bangfu_register.exclusion,
                bangfu_register.relief_grant
    TO bangfu_street, bangfu_civil_affairs;
GRANT SELECT ON bangfu_register.medical_stay TO bangfu_civil_affairs, bangfu_health;
GRANT SELECT ON bangfu_register.member TO bangfu_health;
GRANT SELECT ON bangfu_register.fund_entry, bangfu_register.relief_grant TO bangfu_finance;
REVOKE ALL ON FUNCTION bangfu_register.relief_grant_check() FROM PUBLIC;
REVOKE ALL ON FUNCTION bangfu_register.exclusion_touch() FROM PUBLIC;
REVOKE ALL ON FUNCTION bangfu_register.county_year_check() FROM PUBLIC;
REVOKE ALL ON FUNCTION bangfu_register.medical_stay_settle() FROM PUBLIC;
REVOKE ALL ON FUNCTION bangfu_register.shipped_guard() FROM PUBLIC;
REVOKE ALL ON FUNCTION bangfu_register.fund_entry_guard() FROM PUBLIC;
REVOKE ALL ON FUNCTION bangfu_register.fund_entry_no_truncate() FROM PUBLIC;

-- How many reliefs a year has granted, with the quota's lock (二): what the
-- street office's recount needs of the ledger, without bangfu.limit_used,
-- which would also tell it any person's medical amounts (issue 8).
-- SECURITY DEFINER over a constant limit and subject and a year.
CREATE FUNCTION bangfu_register.relief_quota_used(p_year integer)
RETURNS numeric
LANGUAGE sql VOLATILE STRICT
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$ SELECT bangfu.limit_used('relief_quota', '', pg_catalog.make_date(p_year, 1, 1)) $$;
REVOKE ALL ON FUNCTION bangfu_register.relief_quota_used(integer) FROM PUBLIC;
COMMENT ON FUNCTION bangfu_register.relief_quota_used(integer) IS
    '二 reliefs granted in a year (limit relief_quota), locking the year''s quota until the transaction ends.';

GRANT EXECUTE ON FUNCTION bangfu_register.relief_quota_used(integer) TO bangfu_street;
-- The street office's recount reads the quota through it (was bangfu.limit_used).
CREATE OR REPLACE FUNCTION bangfu_register.county_year_check() RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    granted numeric;
    most integer;
BEGIN
    -- the quota's own lock for the year: no grant of it is being checked now
    granted := bangfu_register.relief_quota_used(OLD.year);
    IF TG_OP = 'UPDATE' AND NEW.year = OLD.year THEN
        most := (SELECT q.max_households FROM bangfu.relief_quota(NEW.urban_households, make_date(NEW.year, 12, 31)) q);
        IF granted > most THEN
            RAISE EXCEPTION '% already has % relief grants; % urban households allow at most %',
                            OLD.year, granted, NEW.urban_households, most
                USING ERRCODE = 'check_violation',
                      DETAIL = '二: households relieved in a year are kept within 5% of that year''s urban permanent-resident households.';
        END IF;
        RETURN NEW;
    END IF;
    IF granted > 0 THEN
        RAISE EXCEPTION 'the households of % cannot be removed: the year has % relief grants', OLD.year, granted
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
END
$$;



-- ==== the register on its own, restore (issue 9) ==========================

-- bangfu now creates only bangfu_policy_admin; the department roles come
-- with the register.  Roles are the cluster's: nothing to undo here.
--
-- The ready register becomes extension bangfu_register.  This update leaves
-- its objects in bangfu (so that no DROP can take them unnoticed in
-- between); bangfu_register adopts them, one by one, in its update from
-- 'unpackaged'.  Run the three statements in one transaction:
--     BEGIN;
--     ALTER EXTENSION bangfu UPDATE;
--     CREATE EXTENSION bangfu_register VERSION 'unpackaged';
--     ALTER EXTENSION bangfu_register UPDATE;
--     COMMIT;
DO $notice$
BEGIN
    RAISE NOTICE 'the ready register is now the extension bangfu_register: adopt it with CREATE EXTENSION bangfu_register VERSION ''unpackaged''; ALTER EXTENSION bangfu_register UPDATE;';
END
$notice$;

-- ---------------------------------------------------------------------------
-- A restore loads history; it does not judge it again (十二: standards change,
-- and a row legal when it was entered stays legal).
--
-- pg_dump writes the data of an extension's tables as one
--     COPY schema.table (every column, in order) FROM stdin;
-- per table, which runs with the extension's triggers and foreign keys in
-- place, and pg_restore -j N runs those COPYs side by side in no fixed order.
-- A table given the two triggers below takes such a COPY, from a superuser,
-- as a restore: for that statement only, session_replication_role is
-- 'replica', so its rows go in as they were dumped (no row trigger, no
-- foreign key check, no limit), and at its end the limits' ledger of that
-- table is counted again from its rows.  Anything else (an INSERT, a COPY
-- of some columns, a clerk's COPY) is checked as always.
-- ---------------------------------------------------------------------------

-- Is the statement running pg_dump's COPY of all of tab's columns, run by
-- a superuser (the one who may restore, and may set session_replication_role)?
CREATE FUNCTION bangfu.is_restore_copy(tab regclass)
RETURNS boolean
LANGUAGE sql STABLE
SET search_path = pg_catalog, pg_temp
AS $$
    -- as pg_dump quotes names: where needed, or all (--quote-all-identifiers)
    SELECT r.rolsuper
           AND rtrim(current_query(), E' \n\r\t') OPERATOR(pg_catalog.=) ANY
               ((SELECT ARRAY[format('COPY %I.%I (%s) FROM stdin;', n.nspname, c.relname,
                                    string_agg(quote_ident(a.attname), ', ' ORDER BY a.attnum)),
                             format('COPY "%s"."%s" (%s) FROM stdin;', replace(n.nspname, '"', '""'),
                                    replace(c.relname, '"', '""'),
                                    string_agg('"' || replace(a.attname, '"', '""') || '"', ', ' ORDER BY a.attnum))]
                  FROM pg_class c
                  JOIN pg_namespace n ON n.oid OPERATOR(pg_catalog.=) c.relnamespace
                  JOIN pg_attribute a ON a.attrelid OPERATOR(pg_catalog.=) c.oid
                 WHERE c.oid OPERATOR(pg_catalog.=) tab AND a.attnum OPERATOR(pg_catalog.>) 0
                   AND NOT a.attisdropped AND a.attgenerated OPERATOR(pg_catalog.=) ''
                 GROUP BY n.nspname, c.relname)::text[])
      FROM pg_roles r
     WHERE r.rolname OPERATOR(pg_catalog.=) current_user
$$;
COMMENT ON FUNCTION bangfu.is_restore_copy(regclass) IS
    'True when the running statement is pg_dump''s COPY of every column of the table, FROM stdin, run by a superuser: a restore, which loads history as it was recorded.';

-- BEFORE INSERT statement trigger (ENABLE ALWAYS): a restore's COPY turns the
-- table's row triggers and foreign keys off until its end.
CREATE FUNCTION bangfu.restore_begin() RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    -- cheap tests first: this runs for every INSERT statement
    IF starts_with(current_query(), 'COPY ')
       AND current_setting('session_replication_role') OPERATOR(pg_catalog.<>) 'replica'
       AND bangfu.is_restore_copy(TG_RELID) THEN
        PERFORM set_config('bangfu_restore.table', TG_RELID::oid::text, true);
        PERFORM set_config('bangfu_restore.role', current_setting('session_replication_role'), true);
        PERFORM set_config('session_replication_role', 'replica', true);
    END IF;
    RETURN NULL;
END
$$;
COMMENT ON FUNCTION bangfu.restore_begin() IS
    '十二 statement trigger: pg_dump''s COPY into the table (a restore) loads its rows as they were recorded, without checking them against today''s policy or the load order.';

-- AFTER INSERT statement trigger (ENABLE ALWAYS): the end of a restore's COPY.
-- The limits let the rows in unseen, so their ledger is counted from the
-- rows, as attach_limit does, but without judging them: a cap lowered
-- since (valid_from in the past) does not undo what was granted under it.
CREATE FUNCTION bangfu.restore_end() RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    lim text;
BEGIN
    IF coalesce(current_setting('bangfu_restore.table', true), '') OPERATOR(pg_catalog.<>) TG_RELID::oid::text THEN
        RETURN NULL;
    END IF;
    PERFORM set_config('session_replication_role', current_setting('bangfu_restore.role'), true);
    PERFORM set_config('bangfu_restore.table', '', true);
    -- clerks writing the table meanwhile (not in a restore) finish first
    EXECUTE format('LOCK TABLE %s IN SHARE ROW EXCLUSIVE MODE', TG_RELID::regclass);
    FOR lim IN SELECT DISTINCT a.limit_name FROM bangfu.limit_attachment a
                WHERE a.tab OPERATOR(pg_catalog.=) TG_RELID ORDER BY 1 LOOP
        DELETE FROM bangfu.usage u
         WHERE u.tab OPERATOR(pg_catalog.=) TG_RELID::regclass AND u.limit_name OPERATOR(pg_catalog.=) lim;
        INSERT INTO bangfu.usage (limit_name, tab, subject, period, used)
        SELECT lim, TG_RELID::regclass, x.subject, x.period, x.used
          FROM bangfu.limit_actual(TG_RELID::regclass, lim) x;
    END LOOP;
    PERFORM bangfu.limit_forget_books();
    RETURN NULL;
END
$$;
COMMENT ON FUNCTION bangfu.restore_end() IS
    '十二 statement trigger: at the end of a restore''s COPY, checks are on again and the limits'' ledger of the table is counted from its rows (not judged against caps changed since).';
REVOKE ALL ON FUNCTION bangfu.restore_begin(), bangfu.restore_end() FROM PUBLIC;

-- Scenarios and their values are restored in any order (pg_restore -j).
CREATE TRIGGER restore_begin BEFORE INSERT ON bangfu.scenario_value
    FOR EACH STATEMENT EXECUTE FUNCTION bangfu.restore_begin();
CREATE TRIGGER restore_end AFTER INSERT ON bangfu.scenario_value
    FOR EACH STATEMENT EXECUTE FUNCTION bangfu.restore_end();
ALTER TABLE bangfu.scenario_value ENABLE ALWAYS TRIGGER restore_begin;
ALTER TABLE bangfu.scenario_value ENABLE ALWAYS TRIGGER restore_end;
-- Sessions learn of restored scenario values too.
ALTER TABLE bangfu.scenario_value ENABLE ALWAYS TRIGGER scenario_value_changed;




-- ==== operations: encodings, policy visibility (issue 9) ==================



-- ==== platforms: PostgreSQL 17 (issue 10) =================================



-- ==== clients: cnid comparisons with text (issue 10) ======================



-- ==== readings settled in the spec (issue 15) =============================



-- ==== one-pass settlement (issue 12) ======================================



-- ==== messages in Chinese (issue 10) =======================================



-- ==== end ==================================================================
