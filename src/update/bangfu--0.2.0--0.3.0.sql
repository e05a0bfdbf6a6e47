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
-- The refusal is in the clerk's language (issue 10): bangfu.install_refusal
-- (src/base.sql says why it is safe to make first) raises the keyed message
-- of src/messages.c; see the section "suites" at the end.
CREATE FUNCTION bangfu.install_refusal(key pg_catalog.text, args pg_catalog.text[])
RETURNS void
AS 'MODULE_PATHNAME', 'bf_install_refusal'
LANGUAGE C VOLATILE;
REVOKE ALL ON FUNCTION bangfu.install_refusal(pg_catalog.text, pg_catalog.text[]) FROM PUBLIC;
COMMENT ON FUNCTION bangfu.install_refusal(pg_catalog.text, pg_catalog.text[]) IS
    'Install hazards (issues 8, 10): raises the install or update guard''s refusal named key (src/messages.c) with its arguments, in the language of lc_messages.';

DO $bangfu_update_guard$
DECLARE
    bad pg_catalog.text;
    bad_args pg_catalog.text[];
BEGIN
    SELECT 'update_schema_owner', ARRAY[pg_catalog.quote_ident(n.nspname::pg_catalog.text), pg_catalog.quote_ident(r.rolname::pg_catalog.text)]
      INTO bad, bad_args
      FROM pg_catalog.pg_namespace n JOIN pg_catalog.pg_roles r ON r.oid OPERATOR(pg_catalog.=) n.nspowner
     WHERE n.nspname OPERATOR(pg_catalog.=) ANY (ARRAY['bangfu', 'bangfu_register']::pg_catalog.name[]) AND NOT r.rolsuper
     LIMIT 1;
    IF bad IS NULL THEN
        SELECT 'update_schema_create', ARRAY[pg_catalog.quote_ident(n.nspname::pg_catalog.text),
                                 CASE WHEN a.grantee OPERATOR(pg_catalog.=) 0 THEN 'PUBLIC'
                                      ELSE pg_catalog.quote_ident(pg_catalog.pg_get_userbyid(a.grantee)::pg_catalog.text) END]
          INTO bad, bad_args
          FROM pg_catalog.pg_namespace n, pg_catalog.aclexplode(n.nspacl) a
         WHERE n.nspname OPERATOR(pg_catalog.=) ANY (ARRAY['bangfu', 'bangfu_register']::pg_catalog.name[])
           AND a.privilege_type OPERATOR(pg_catalog.=) 'CREATE' AND a.grantee OPERATOR(pg_catalog.<>) n.nspowner
           AND NOT (SELECT r.rolsuper FROM pg_catalog.pg_roles r WHERE r.oid OPERATOR(pg_catalog.=) a.grantee)
         LIMIT 1;
    END IF;
    IF bad IS NULL THEN
        SELECT 'update_object_owner', ARRAY[pg_catalog.pg_describe_object(o.classid, o.objid, 0),
                                            pg_catalog.quote_ident(r.rolname::pg_catalog.text)]
          INTO bad, bad_args
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
        SELECT 'update_default_acl', ARRAY[pg_catalog.quote_ident(pg_catalog.pg_get_userbyid(d.defaclrole)::pg_catalog.text), a.privilege_type,
                                 CASE WHEN a.grantee OPERATOR(pg_catalog.=) 0 THEN 'PUBLIC'
                                      ELSE pg_catalog.quote_ident(pg_catalog.pg_get_userbyid(a.grantee)::pg_catalog.text) END]
          INTO bad, bad_args
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
        PERFORM bangfu.install_refusal(bad, bad_args);
    END IF;
END
$bangfu_update_guard$;


-- ==== security: the limit engine (issue 8) ================================

-- bangfu.limit_def: how many subject columns a limit takes, and a cap that
-- is zero by definition said so (zero_cap) instead of by a missing cap.
ALTER TABLE bangfu.limit_def ADD COLUMN zero_cap boolean NOT NULL DEFAULT false;
ALTER TABLE bangfu.limit_def ADD COLUMN subjects integer NOT NULL DEFAULT 1 CHECK (subjects OPERATOR(pg_catalog.>=) 0 AND subjects OPERATOR(pg_catalog.<=) 8);
UPDATE bangfu.limit_def SET zero_cap = true
 WHERE cap_param IS NULL AND cap_function IS NULL;
UPDATE bangfu.limit_def SET subjects = 2 WHERE name OPERATOR(pg_catalog.=) 'employer_subsidy_months';
UPDATE bangfu.limit_def SET subjects = 0 WHERE name OPERATOR(pg_catalog.=) 'relief_quota';
-- a county's own limits take as many subject columns as their first attachment names
UPDATE bangfu.limit_def d SET subjects = a.n
  FROM (SELECT DISTINCT ON (la.limit_name) la.limit_name, pg_catalog.cardinality(la.subject_cols) AS n
          FROM bangfu.limit_attachment la ORDER BY la.limit_name, la.tab::pg_catalog.oid) a
 WHERE a.limit_name OPERATOR(pg_catalog.=) d.name AND NOT d.shipped;
ALTER TABLE bangfu.limit_def DROP CONSTRAINT limit_one_cap;
ALTER TABLE bangfu.limit_def ADD CONSTRAINT limit_one_cap CHECK (pg_catalog.num_nonnulls(cap_param, cap_function) OPERATOR(pg_catalog.+) zero_cap::pg_catalog.int4 OPERATOR(pg_catalog.=) 1);
COMMENT ON TABLE bangfu.limit_def IS
    'Limits a table can be guarded by: what is counted (money in yuan, a count such as months, or rows), over which period (calendar year of the event or lifetime), how many subject columns name who is limited, and where the cap comes from: exactly one of a policy parameter at the event''s date, a function of the date, or zero_cap (the cap is zero by definition). direction -1 counts amounts negatively: with a zero cap it keeps a balance from going below zero. Shipped rows cannot be changed or removed.';

-- Whose books (doc/limits.md): a table counts in a limit's common books --
-- the ready register's, where the county's funds, quotas and each person's
-- yearly caps are kept -- only if the policy admin admitted it here.  Any
-- other guarded table keeps books of its own, so no role can credit a fund,
-- use up a quota or spend a person's cap through a table of its own.
CREATE TABLE bangfu.limit_share (
    limit_name  text NOT NULL REFERENCES bangfu.limit_def ON DELETE CASCADE,
    tab         regclass NOT NULL,
    note        text,
    shipped     boolean NOT NULL DEFAULT false,
    PRIMARY KEY (limit_name, tab)
);
COMMENT ON TABLE bangfu.limit_share IS
    'Tables admitted to a limit''s common books (the register''s): only a policy admin writes it, only permanent tables can be admitted, and only while the limit is not attached to them. Every other guarded table counts in books of its own.';

CREATE FUNCTION bangfu.limit_share_guard() RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    r record;
    -- the extensions' scripts (bangfu, bangfu_register) run as a superuser
    su boolean := (SELECT g.rolsuper FROM pg_roles g WHERE g.rolname OPERATOR(pg_catalog.=) current_user);
BEGIN
    IF TG_OP = 'TRUNCATE' THEN
        RAISE EXCEPTION 'bangfu.limit_share cannot be truncated'
            USING ERRCODE = 'object_not_in_prerequisite_state';
    END IF;
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        -- a dropped table's admission goes with it (bangfu.forget_dropped_tables)
        -- and a superuser's DELETE is the extensions' own (dropping the register)
        IF EXISTS (SELECT FROM pg_class c WHERE c.oid OPERATOR(pg_catalog.=) OLD.tab::oid)
           AND NOT (TG_OP = 'DELETE' AND su) THEN
            IF OLD.shipped THEN
                RAISE EXCEPTION 'the shipped admission of % to the common books of "%" cannot be changed or removed',
                    OLD.tab, OLD.limit_name
                    USING ERRCODE = 'object_not_in_prerequisite_state';
            END IF;
            IF EXISTS (SELECT FROM bangfu.limit_attachment a
                        WHERE a.tab OPERATOR(pg_catalog.=) OLD.tab AND a.limit_name OPERATOR(pg_catalog.=) OLD.limit_name) THEN
                RAISE EXCEPTION 'limit "%" is attached to %: detach it before changing which books it counts in',
                    OLD.limit_name, OLD.tab
                    USING ERRCODE = 'object_not_in_prerequisite_state';
            END IF;
        END IF;
        IF TG_OP = 'DELETE' THEN
            RETURN OLD;
        END IF;
        RAISE EXCEPTION 'admissions are not updated: delete one and insert another'
            USING ERRCODE = 'object_not_in_prerequisite_state';
    END IF;
    IF NEW.shipped AND NOT su THEN
        RAISE EXCEPTION 'only the install script ships admissions'
            USING ERRCODE = 'object_not_in_prerequisite_state';
    END IF;
    SELECT c.relpersistence, c.relkind INTO r FROM pg_class c WHERE c.oid OPERATOR(pg_catalog.=) NEW.tab::oid;
    IF r.relpersistence OPERATOR(pg_catalog.<>) 'p' OR r.relkind NOT IN ('r', 'p') THEN
        RAISE EXCEPTION '% cannot count in the common books of "%": only a permanent table can', NEW.tab, NEW.limit_name
            USING ERRCODE = 'insufficient_privilege',
                  DETAIL = 'A temporary or unlogged table loses its rows without its books knowing.';
    END IF;
    -- the engine keeps at most 4 tables per subject of one book (BF_LIMIT_MAX_TABS in src/limits_engine.h)
    IF (SELECT count(*) FROM bangfu.limit_share s WHERE s.limit_name OPERATOR(pg_catalog.=) NEW.limit_name) OPERATOR(pg_catalog.>=) 4 THEN
        RAISE EXCEPTION 'the common books of limit "%" already have 4 tables, the most they can have', NEW.limit_name
            USING ERRCODE = 'program_limit_exceeded';
    END IF;
    IF EXISTS (SELECT FROM bangfu.limit_attachment a
                WHERE a.tab OPERATOR(pg_catalog.=) NEW.tab AND a.limit_name OPERATOR(pg_catalog.=) NEW.limit_name) THEN
        RAISE EXCEPTION 'limit "%" is attached to % with books of its own: detach it, admit the table, attach it again',
            NEW.limit_name, NEW.tab
            USING ERRCODE = 'object_not_in_prerequisite_state';
    END IF;
    RETURN NEW;
END
$$;
COMMENT ON FUNCTION bangfu.limit_share_guard() IS
    'Admits only permanent tables to a limit''s common books, at most 4, never while the limit is attached to them; shipped admissions come and go only with the extensions'' scripts (a superuser).';

CREATE TRIGGER limit_share_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON bangfu.limit_share
    FOR EACH STATEMENT EXECUTE FUNCTION bangfu.policy_changed();

-- The policy admin is powerful, not omnipotent: what it writes here is
-- checked when written, so that no later write of a guarded row can fail
-- for it, crash, or run the admin's code with the writer's rights.
CREATE FUNCTION bangfu.limit_def_guard() RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    p record;
    k text;
    -- the extensions' scripts run as a superuser: bangfu_register ships
    -- relief_quota and takes it away when it is dropped
    su boolean := (SELECT g.rolsuper FROM pg_roles g WHERE g.rolname OPERATOR(pg_catalog.=) current_user);
BEGIN
    IF TG_OP = 'TRUNCATE' THEN
        RAISE EXCEPTION 'bangfu.limit_def cannot be truncated: it holds the shipped limits'
            USING ERRCODE = 'object_not_in_prerequisite_state';
    END IF;
    IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.shipped AND NOT (TG_OP = 'DELETE' AND su) THEN
        RAISE EXCEPTION 'the shipped limit "%" cannot be changed or removed', OLD.name
            USING ERRCODE = 'object_not_in_prerequisite_state',
                  HINT = 'Caps change through the policy store (bangfu.policy), from a date.';
    END IF;
    IF TG_OP IN ('UPDATE', 'DELETE')
       AND (TG_OP = 'DELETE' OR (NEW.name, NEW.unit, NEW.period, NEW.direction, NEW.subjects)
                                 IS DISTINCT FROM (OLD.name, OLD.unit, OLD.period, OLD.direction, OLD.subjects))
       AND NOT (TG_OP = 'DELETE' AND su AND OLD.shipped)
       AND (EXISTS (SELECT FROM bangfu.limit_attachment a WHERE a.limit_name OPERATOR(pg_catalog.=) OLD.name)
            OR EXISTS (SELECT FROM bangfu.usage u WHERE u.limit_name OPERATOR(pg_catalog.=) OLD.name)) THEN
        RAISE EXCEPTION 'limit "%" is in use: its name, what it counts and its subjects cannot change', OLD.name
            USING ERRCODE = 'object_not_in_prerequisite_state',
                  HINT = 'Detach it from every table first (bangfu.limit_attachment lists them).';
    END IF;
    IF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;
    IF NEW.shipped AND NOT su THEN
        RAISE EXCEPTION 'only the install script ships limits'
            USING ERRCODE = 'object_not_in_prerequisite_state';
    END IF;
    IF pg_catalog.num_nonnulls(NEW.cap_param, NEW.cap_function) OPERATOR(pg_catalog.+) NEW.zero_cap::int4 OPERATOR(pg_catalog.<>) 1 THEN
        RAISE EXCEPTION 'limit "%" needs exactly one cap: a policy parameter (cap_param), a function of the date (cap_function), or zero_cap', NEW.name
            USING ERRCODE = 'invalid_parameter_value',
                  HINT = 'A balance that must not go below zero says so with zero_cap = true.';
    END IF;
    IF NEW.cap_param IS NOT NULL THEN
        SELECT pp.kind INTO k FROM bangfu.policy_param pp WHERE pp.param OPERATOR(pg_catalog.=) NEW.cap_param;
        IF k IS DISTINCT FROM (CASE WHEN NEW.unit OPERATOR(pg_catalog.=) 'money' THEN 'amount' ELSE 'count' END) THEN
            RAISE EXCEPTION 'limit "%" counts %, so its cap parameter must be of kind %, not %', NEW.name, NEW.unit,
                CASE WHEN NEW.unit OPERATOR(pg_catalog.=) 'money' THEN 'amount' ELSE 'count' END, coalesce(k, 'unknown')
                USING ERRCODE = 'invalid_parameter_value';
        END IF;
    END IF;
    IF NEW.cap_function IS NOT NULL THEN
        SELECT f.prokind, f.proretset, f.pronargs, f.proargtypes, f.prorettype, f.prosecdef,
               EXISTS (SELECT FROM pg_catalog.unnest(f.proconfig) c WHERE c LIKE 'search\_path=%') AS pinned,
               r.rolsuper AS owner_super,
               EXISTS (SELECT FROM pg_depend d JOIN pg_extension e ON e.oid OPERATOR(pg_catalog.=) d.refobjid
                        WHERE d.classid OPERATOR(pg_catalog.=) 'pg_proc'::regclass
                          AND d.objid OPERATOR(pg_catalog.=) f.oid AND d.deptype OPERATOR(pg_catalog.=) 'e'
                          AND e.extname OPERATOR(pg_catalog.=) 'bangfu') AS ours
          INTO p
          FROM pg_proc f JOIN pg_roles r ON r.oid OPERATOR(pg_catalog.=) f.proowner
         WHERE f.oid OPERATOR(pg_catalog.=) NEW.cap_function::oid;
        IF NOT FOUND OR p.prokind OPERATOR(pg_catalog.<>) 'f' OR p.proretset OR p.pronargs OPERATOR(pg_catalog.<>) 1
           OR p.proargtypes[0] OPERATOR(pg_catalog.<>) 'date'::regtype
           OR p.prorettype NOT IN ('numeric'::regtype, 'int2'::regtype, 'int4'::regtype, 'int8'::regtype) THEN
            RAISE EXCEPTION 'cap function % of limit "%" must take one date and return numeric or an integer',
                NEW.cap_function, NEW.name
                USING ERRCODE = 'invalid_parameter_value';
        END IF;
        IF NOT (p.prosecdef OR p.owner_super OR p.ours) THEN
            RAISE EXCEPTION 'cap function % of limit "%" would run with the rights of whoever writes a guarded row',
                NEW.cap_function, NEW.name
                USING ERRCODE = 'insufficient_privilege',
                      HINT = 'Make it SECURITY DEFINER (it then runs as its owner) with a fixed search_path.';
        END IF;
        IF p.prosecdef AND NOT p.pinned THEN
            RAISE EXCEPTION 'cap function % of limit "%" is SECURITY DEFINER without its own search_path', NEW.cap_function, NEW.name
                USING ERRCODE = 'insufficient_privilege',
                      HINT = 'Add SET search_path = pg_catalog, pg_temp (and qualify the names it uses).';
        END IF;
    END IF;
    RETURN NEW;
END
$$;
COMMENT ON FUNCTION bangfu.limit_def_guard() IS
    'Keeps shipped limits unchanged (they come and go only with the extensions'' scripts, run by a superuser), limits in use from changing what they count, and refuses a limit whose cap could not be read: exactly one cap, a parameter of the right kind, a cap function of the shape date -> number that cannot run with a writer''s rights.';

-- The register's tables count in the common books; every other guarded
-- table now keeps books of its own (doc/limits.md, "Upgrading to 0.3.0").
INSERT INTO bangfu.limit_share (limit_name, tab, note, shipped) VALUES
    ('relief_yearly', 'bangfu_register.relief_grant', '二 the register''s relief grants', true),
    ('relief_quota', 'bangfu_register.relief_grant', '二 the register''s relief grants', true),
    ('charity_bed_yearly', 'bangfu_register.medical_stay', '四(1) the register''s hospital stays', true),
    ('serious_illness_yearly', 'bangfu_register.medical_stay', '四(2) the register''s hospital stays', true),
    ('fund_balance', 'bangfu_register.fund_entry', '一, 九 the register''s fund entries', true);

-- bangfu.usage: which books each row is in.
ALTER TABLE bangfu.usage ADD COLUMN book regclass;
UPDATE bangfu.usage u
   SET book = CASE WHEN EXISTS (SELECT FROM bangfu.limit_share s
                                 WHERE s.tab OPERATOR(pg_catalog.=) u.tab
                                   AND s.limit_name OPERATOR(pg_catalog.=) u.limit_name)
                   THEN 0::pg_catalog.oid::pg_catalog.regclass ELSE u.tab END;
ALTER TABLE bangfu.usage ALTER COLUMN book SET NOT NULL;
ALTER TABLE bangfu.usage DROP CONSTRAINT usage_pkey;
ALTER TABLE bangfu.usage ADD CONSTRAINT usage_pkey PRIMARY KEY (limit_name, book, subject, period, tab);
COMMENT ON TABLE bangfu.usage IS
    'What each subject has used of each limit per period (calendar year, or 0 for lifetime), per guarded table: fen for money limits, a count otherwise. book is 0 (shown -) for the limit''s common books (the register''s and admitted tables''), else the one table whose own books the row is in; a cap applies to the sum over one book. Written only by the limit engine''s C code; read it through bangfu.usage_report.';
COMMENT ON FUNCTION bangfu.limit_used(text, text, date) IS
    'What a subject has used of a limit in the period of on_date in the limit''s common books (the caller needs SELECT on bangfu.usage or on a table admitted to them), locking that subject''s ledger until the transaction ends, so that a computation can use the remainder safely (money limits in yuan, others as counts). A subject never seen has used 0; a subject with the wrong number of parts is refused (22023). Write a subject of several columns with bangfu.limit_subject.';

CREATE FUNCTION bangfu.limit_used(limit_name text, subject text, on_date date, tab regclass)
RETURNS numeric
    AS 'MODULE_PATHNAME', 'bf_limit_used' LANGUAGE C VOLATILE STRICT;
COMMENT ON FUNCTION bangfu.limit_used(text, text, date, regclass) IS
    'limit_used in the books table tab counts in: its own, or the common books if it was admitted to them (the caller needs SELECT on tab). It locks the subject only for a caller that may also write tab (INSERT or UPDATE); one that may only read it gets the ledger as its snapshot sees it.';

CREATE FUNCTION bangfu.limit_subject(VARIADIC parts text[]) RETURNS text
    AS 'MODULE_PATHNAME', 'bf_limit_subject' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION bangfu.limit_subject(text[]) IS
    'The subject of a limit with several subject columns as the ledger keeps it: the columns'' text forms, escaped and joined, so that no two rows can collide.';

-- Partitions' clones leave the list; the books each attachment counts in.
DROP VIEW bangfu.limit_attachment;
CREATE VIEW bangfu.limit_attachment AS
SELECT t.tgrelid::pg_catalog.regclass AS tab,
       a.args[1] AS limit_name,
       a.args[2] AS mode,
       NULLIF(a.args[3], '') AS amount_col,
       NULLIF(a.args[4], '') AS date_col,
       a.args[5:] AS subject_cols,
       t.tgname AS trigger_name,
       CASE WHEN EXISTS (SELECT FROM bangfu.limit_share s
                          WHERE s.tab OPERATOR(pg_catalog.=) t.tgrelid::pg_catalog.regclass
                            AND s.limit_name OPERATOR(pg_catalog.=) a.args[1])
            THEN 'common' ELSE 'own' END AS books,
       -- its three triggers (the BEFORE and AFTER row triggers, the
       -- statement's flush) are there and fire: not disabled, nor made to
       -- fire only for replication
       (SELECT pg_catalog.count(*) FROM pg_catalog.pg_trigger g
         WHERE g.tgrelid OPERATOR(pg_catalog.=) t.tgrelid
           AND g.tgname::pg_catalog.text OPERATOR(pg_catalog.=) ANY
               (ARRAY[t.tgname::pg_catalog.text, pg_catalog.concat(t.tgname, '_after'), pg_catalog.concat(t.tgname, '_flush')])
           AND g.tgenabled OPERATOR(pg_catalog.=) ANY (ARRAY['O', 'A']::pg_catalog."char"[]))
         OPERATOR(pg_catalog.=) 3 AS enabled
  FROM pg_catalog.pg_trigger t
 CROSS JOIN LATERAL (SELECT bangfu.trigger_args(t.tgargs, t.tgnargs) AS args) a
 WHERE t.tgfoid OPERATOR(pg_catalog.=) 'bangfu.limit_guard()'::pg_catalog.regprocedure
   AND (t.tgtype::pg_catalog.int4 OPERATOR(pg_catalog.&) 2) OPERATOR(pg_catalog.<>) 0  -- the BEFORE row trigger
   AND t.tgparentid OPERATOR(pg_catalog.=) 0;  -- a partition's clone is its table's attachment
COMMENT ON VIEW bangfu.limit_attachment IS
    'Which limits guard which tables, with the columns they read (from pg_trigger) and the books they count in: common (admitted in bangfu.limit_share) or own. A partitioned table''s partitions are guarded by its attachment and not listed.';
GRANT SELECT ON bangfu.limit_attachment TO PUBLIC;

-- Nothing of the engine that runs as its owner reads a caller's table any more.
DROP FUNCTION bangfu.limit_actual(regclass, text);
DROP FUNCTION bangfu.limit_check();
DROP FUNCTION bangfu.limit_rebuild();
DROP FUNCTION bangfu.limit_recount(regclass, text);
DROP FUNCTION bangfu.limit_forget(regclass, text);
DROP FUNCTION bangfu.attach_limit(regclass, text, text[], name, name, text);
DROP FUNCTION bangfu.detach_limit(regclass, text);
DROP FUNCTION bangfu.limit_over(text);
DROP EVENT TRIGGER bangfu_forget_dropped_tables;
DROP FUNCTION bangfu.forget_dropped_tables();

CREATE FUNCTION bangfu.limit_actual(p_tab regclass, p_limit text)
RETURNS TABLE (subject text, period integer, used bigint)
    AS 'MODULE_PATHNAME', 'bf_limit_actual' LANGUAGE C VOLATILE STRICT;
COMMENT ON FUNCTION bangfu.limit_actual(regclass, text) IS
    'What the rows of a guarded table add up to per subject and period, in the ledger''s units, read with the caller''s rights (a partitioned table through its partitions).';

CREATE FUNCTION bangfu.limit_check()
RETURNS TABLE (tab regclass, limit_name text, subject text, period integer, recorded bigint, actual bigint)
LANGUAGE plpgsql STABLE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    att record;
BEGIN
    -- the tables the caller may read whole: another session's temporary
    -- tables, tables it was not granted and tables whose row-level security
    -- hides rows from it are their owners' business
    FOR att IN SELECT DISTINCT a.tab, a.limit_name FROM bangfu.limit_attachment a
                 JOIN pg_class c ON c.oid = a.tab::oid
                WHERE (c.relpersistence <> 't' OR c.relnamespace = pg_my_temp_schema())
                  AND has_table_privilege(a.tab::oid, 'SELECT')
                  AND NOT row_security_active(a.tab::oid) LOOP
        RETURN QUERY
            SELECT att.tab, att.limit_name, coalesce(u.subject, x.subject), coalesce(u.period, x.period),
                   coalesce(u.used, 0), coalesce(x.used, 0)
              FROM (SELECT * FROM bangfu.usage WHERE usage.limit_name = att.limit_name AND usage.tab = att.tab) u
              FULL JOIN bangfu.limit_actual(att.tab, att.limit_name) x
                ON x.subject = u.subject AND x.period = u.period
             WHERE coalesce(u.used, 0) <> coalesce(x.used, 0);
    END LOOP;
    -- ledger rows of tables that no longer carry the limit
    RETURN QUERY
        SELECT u.tab, u.limit_name, u.subject, u.period, u.used, 0::bigint
          FROM bangfu.usage u
         WHERE u.used <> 0
           AND NOT EXISTS (SELECT FROM bangfu.limit_attachment a
                            WHERE a.tab = u.tab AND a.limit_name = u.limit_name);
END
$$;
COMMENT ON FUNCTION bangfu.limit_check() IS
    'Every difference between what the limits have recorded (bangfu.usage) and what the guarded tables the caller may read hold; no rows means the books are right.';

CREATE FUNCTION bangfu.limit_rebuild()
RETURNS bigint
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    att record;
    n bigint;
BEGIN
    SELECT count(*) INTO n FROM bangfu.limit_check();
    FOR att IN SELECT DISTINCT a.tab, a.limit_name FROM bangfu.limit_attachment a ORDER BY 1, 2 LOOP
        PERFORM bangfu.limit_recount(att.tab, att.limit_name);
    END LOOP;
    -- ledger rows of tables that no longer carry the limit
    FOR att IN SELECT DISTINCT u.tab, u.limit_name FROM bangfu.usage u
                WHERE u.used <> 0
                  AND NOT EXISTS (SELECT FROM bangfu.limit_attachment a
                                   WHERE a.tab = u.tab AND a.limit_name = u.limit_name) LOOP
        PERFORM bangfu.limit_forget(att.tab, att.limit_name);
    END LOOP;
    RETURN n;
END
$$;
COMMENT ON FUNCTION bangfu.limit_rebuild() IS
    'Recounts bangfu.usage from the guarded tables; returns how many differences it mended. Executable by bangfu_policy_admin only, with its own rights: it must be able to read every guarded table.';
REVOKE ALL ON FUNCTION bangfu.limit_rebuild() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION bangfu.limit_rebuild() TO bangfu_policy_admin;

CREATE FUNCTION bangfu.limit_recount(p_tab regclass, p_limit text)
RETURNS void
    AS 'MODULE_PATHNAME', 'bf_limit_recount' LANGUAGE C VOLATILE STRICT;
COMMENT ON FUNCTION bangfu.limit_recount(regclass, text) IS
    'Recount one attached limit of one table into its books, refusing if the rows already break it; the table''s owner or a policy admin only, with SELECT on the table.';

CREATE FUNCTION bangfu.limit_forget(p_tab regclass, p_limit text)
RETURNS void
    AS 'MODULE_PATHNAME', 'bf_limit_forget' LANGUAGE C VOLATILE STRICT;
COMMENT ON FUNCTION bangfu.limit_forget(regclass, text) IS
    'Release what a table no longer guarded by a limit had used of it (its rows in the ledger go to zero, under the subjects'' locks); the table''s owner or a policy admin only.';

CREATE FUNCTION bangfu.attach_limit(tab regclass, limit_name text, subject text[],
                                    amount name DEFAULT NULL, on_date name DEFAULT NULL,
                                    mode text DEFAULT 'reject', books text DEFAULT 'own')
RETURNS void
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    def bangfu.limit_def;
    c text;
    args text;
    trig text;
    admitted boolean;
    part regclass;
BEGIN
    SELECT * INTO def FROM bangfu.limit_def d WHERE d.name = attach_limit.limit_name;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'unknown limit "%"', attach_limit.limit_name
            USING ERRCODE = 'invalid_parameter_value',
                  HINT = 'The limits are the rows of bangfu.limit_def.';
    END IF;
    IF mode IS NULL OR mode NOT IN ('clamp', 'reject') THEN
        RAISE EXCEPTION 'unknown mode "%": a limit either clamps or rejects', mode
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF def.unit = 'rows' AND mode = 'clamp' THEN
        RAISE EXCEPTION 'limit "%" counts rows, which cannot be clamped; use mode reject', def.name
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF (def.unit <> 'rows') <> (amount IS NOT NULL) THEN
        RAISE EXCEPTION 'limit "%" counts %: %', def.name, def.unit,
            CASE WHEN def.unit = 'rows' THEN 'give no amount column' ELSE 'name the amount column' END
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF coalesce(array_length(subject, 1), 0) <> def.subjects THEN
        RAISE EXCEPTION 'limit "%" takes % subject columns, not %', def.name, def.subjects,
            coalesce(array_length(subject, 1), 0)
            USING ERRCODE = 'invalid_parameter_value',
                  HINT = CASE WHEN def.subjects = 0 THEN 'Pass ''{}'': the subject is the whole table.'
                              ELSE 'Name the subject columns in the order the limit''s description gives.' END;
    END IF;
    IF books IS NULL OR books NOT IN ('own', 'common') THEN
        RAISE EXCEPTION 'unknown books "%": a limit counts in the table''s own books or in the limit''s common books', books
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    admitted := EXISTS (SELECT FROM bangfu.limit_share s WHERE s.tab = attach_limit.tab AND s.limit_name = def.name);
    IF books = 'common' AND NOT admitted THEN
        RAISE EXCEPTION '% is not admitted to the common books of limit "%"', tab, def.name
            USING ERRCODE = 'insufficient_privilege',
                  DETAIL = 'The common books are the county''s (the register''s): a table counts in them only if a policy admin admitted it.',
                  HINT = format('A policy admin runs: INSERT INTO bangfu.limit_share (limit_name, tab) VALUES (%L, %L);', def.name, tab::text);
    END IF;
    IF books = 'own' AND admitted THEN
        RAISE EXCEPTION '% is admitted to the common books of limit "%": attach it with books => ''common''', tab, def.name
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF def.period = 'year' AND on_date IS NULL THEN
        RAISE EXCEPTION 'limit "%" is per calendar year: name the date column', def.name
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    FOREACH c IN ARRAY coalesce(subject, '{}'::text[]) || ARRAY[amount::text, on_date::text] LOOP
        IF c IS NOT NULL AND NOT EXISTS (SELECT FROM pg_attribute
                                          WHERE attrelid = tab AND attname = c AND attnum > 0 AND NOT attisdropped) THEN
            RAISE EXCEPTION 'table % has no column "%"', tab, c
                USING ERRCODE = 'undefined_column';
        END IF;
    END LOOP;

    args := format('%L, %L, %L, %L', def.name, mode, coalesce(amount::text, ''), coalesce(on_date::text, ''));
    IF subject IS NOT NULL THEN
        FOREACH c IN ARRAY subject LOOP
            args := args || format(', %L', c);
        END LOOP;
    END IF;
    trig := 'zz_bangfu_' || def.name;
    EXECUTE format('LOCK TABLE %s IN SHARE ROW EXCLUSIVE MODE', tab);
    EXECUTE format('CREATE TRIGGER %I BEFORE INSERT OR UPDATE ON %s FOR EACH ROW EXECUTE FUNCTION bangfu.limit_guard(%s)',
                   trig, tab, args);
    EXECUTE format('CREATE TRIGGER %I AFTER INSERT OR UPDATE OR DELETE ON %s FOR EACH ROW EXECUTE FUNCTION bangfu.limit_guard(%s)',
                   trig || '_after', tab, args);
    EXECUTE format('CREATE TRIGGER %I AFTER INSERT OR UPDATE OR DELETE ON %s FOR EACH STATEMENT EXECUTE FUNCTION bangfu.limit_flush()',
                   trig || '_flush', tab);
    IF NOT EXISTS (SELECT FROM pg_trigger WHERE tgrelid = tab AND tgname = 'zz_bangfu_no_truncate') THEN
        EXECUTE format('CREATE TRIGGER zz_bangfu_no_truncate BEFORE TRUNCATE ON %s FOR EACH STATEMENT EXECUTE FUNCTION bangfu.limit_no_truncate()', tab);
    END IF;
    -- Statement triggers are not cloned to partitions: a row written straight
    -- into a partition is booked by the partition's own.
    FOR part IN SELECT p.relid FROM pg_partition_tree(tab) p WHERE p.relid <> tab LOOP
        EXECUTE format('CREATE TRIGGER %I AFTER INSERT OR UPDATE OR DELETE ON %s FOR EACH STATEMENT EXECUTE FUNCTION bangfu.limit_flush()',
                       trig || '_flush', part);
        IF NOT EXISTS (SELECT FROM pg_trigger WHERE tgrelid = part AND tgname = 'zz_bangfu_no_truncate') THEN
            EXECUTE format('CREATE TRIGGER zz_bangfu_no_truncate BEFORE TRUNCATE ON %s FOR EACH STATEMENT EXECUTE FUNCTION bangfu.limit_no_truncate()', part);
        END IF;
    END LOOP;
    -- count what the table already holds, refusing if it already breaks the limit
    PERFORM bangfu.limit_recount(tab, def.name);
END
$$;
COMMENT ON FUNCTION bangfu.attach_limit(regclass, text, text[], name, name, text, text) IS
    'Guard a table with a limit in one statement (the table''s owner): subject columns (as many as the limit takes), amount column (none for row limits), date column (none for lifetime limits), mode clamp or reject, books own (the default) or common (only for a table a policy admin admitted in bangfu.limit_share). Counts the rows already there and refuses if they already break the limit.';

CREATE FUNCTION bangfu.detach_limit(tab regclass, limit_name text)
RETURNS void
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    missing text[];
BEGIN
    IF NOT EXISTS (SELECT FROM bangfu.limit_def d WHERE d.name = detach_limit.limit_name) THEN
        RAISE EXCEPTION 'unknown limit "%"', limit_name
            USING ERRCODE = 'invalid_parameter_value',
                  HINT = 'The limits are the rows of bangfu.limit_def.';
    END IF;
    SELECT array_agg(t.n ORDER BY t.n) INTO missing
      FROM unnest(ARRAY['zz_bangfu_' || limit_name, 'zz_bangfu_' || limit_name || '_after',
                        'zz_bangfu_' || limit_name || '_flush']) AS t(n)
     WHERE NOT EXISTS (SELECT FROM pg_trigger g WHERE g.tgrelid = tab AND g.tgname = t.n);
    IF cardinality(missing) = 3 THEN
        RAISE EXCEPTION 'limit "%" is not attached to %', limit_name, tab
            USING ERRCODE = 'undefined_object',
                  HINT = 'bangfu.limit_attachment lists what is attached where.';
    ELSIF missing IS NOT NULL THEN
        RAISE EXCEPTION 'limit "%" is only partly attached to %: trigger % is missing', limit_name, tab,
            array_to_string(missing, ', ')
            USING ERRCODE = 'undefined_object',
                  HINT = 'Drop the remaining zz_bangfu_ triggers of the limit by hand, then run bangfu.limit_forget.';
    END IF;
    EXECUTE format('DROP TRIGGER %I ON %s', 'zz_bangfu_' || limit_name, tab);
    EXECUTE format('DROP TRIGGER %I ON %s', 'zz_bangfu_' || limit_name || '_after', tab);
    EXECUTE format('DROP TRIGGER %I ON %s', 'zz_bangfu_' || limit_name || '_flush', tab);
    EXECUTE coalesce((SELECT string_agg(format('DROP TRIGGER IF EXISTS %I ON %s', 'zz_bangfu_' || limit_name || '_flush', p.relid), '; ')
                        FROM pg_partition_tree(tab) p WHERE p.relid <> tab), 'SELECT');
    PERFORM bangfu.limit_forget(tab, limit_name);
    IF NOT EXISTS (SELECT FROM bangfu.limit_attachment a WHERE a.tab = detach_limit.tab) THEN
        EXECUTE format('DROP TRIGGER IF EXISTS zz_bangfu_no_truncate ON %s', tab);
    END IF;
END
$$;
COMMENT ON FUNCTION bangfu.detach_limit(regclass, text) IS
    'Remove a limit from a table (its owner only) and forget its ledger.';

CREATE FUNCTION bangfu.forget_dropped_tables() RETURNS event_trigger
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    -- DROP EXTENSION bangfu drops the ledger itself
    IF to_regclass('bangfu.usage') IS NULL THEN
        RETURN;
    END IF;
    DELETE FROM bangfu.usage u
     WHERE u.tab::oid IN (SELECT d.objid FROM pg_event_trigger_dropped_objects() d
                           WHERE d.classid = 'pg_class'::regclass AND d.objsubid = 0);
    DELETE FROM bangfu.limit_share s
     WHERE s.tab::oid IN (SELECT d.objid FROM pg_event_trigger_dropped_objects() d
                           WHERE d.classid = 'pg_class'::regclass AND d.objsubid = 0);
    PERFORM bangfu.limit_forget_books();
END
$$;
COMMENT ON FUNCTION bangfu.forget_dropped_tables() IS
    'sql_drop event trigger: dropping a guarded table removes its rows from the limits'' ledger.';
CREATE EVENT TRIGGER bangfu_forget_dropped_tables ON sql_drop
    EXECUTE FUNCTION bangfu.forget_dropped_tables();
COMMENT ON EVENT TRIGGER bangfu_forget_dropped_tables IS
    'Keeps bangfu.usage free of rows for tables that no longer exist.';

-- A partition's rows were booked under its partitioned table, which is
-- still there when the partition is dropped: a dropped copy of one of its
-- limit's triggers (a partition's clone) has that table counted again.
-- It runs as whoever ran the DROP (as guard_partitions does), and counts
-- only a table that role owns (a superuser: only its own): the trigger's
-- name is all a DROP leaves to go by, and anyone may name a trigger of a
-- table of their own so.  (Before, running as the owner, a stranger's DROP
-- had every guarded partitioned table of that limit locked and counted
-- again; and a superuser's DROP counted a stranger's tables, which could
-- hold it up or make it fail.)  A partition of a table owned by another
-- role, dropped by a superuser, is not counted: limit_rebuild() mends that
-- table's books (limit_check() shows them).
CREATE FUNCTION bangfu.recount_dropped_partitions() RETURNS event_trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    att record;
    -- bangfu.limit_guard, found in pg_catalog: this runs for every role's
    -- DROP, and a role need not have USAGE on schema bangfu
    guard oid := (SELECT f.oid FROM pg_proc f JOIN pg_namespace n ON n.oid = f.pronamespace
                   WHERE n.nspname = 'bangfu' AND f.proname = 'limit_guard' AND f.pronargs = 0);
BEGIN
    IF guard IS NULL OR NOT EXISTS (SELECT FROM pg_event_trigger_dropped_objects() d
                                     WHERE d.classid = 'pg_trigger'::regclass
                                       AND starts_with(d.object_identity, 'zz_bangfu_')) THEN
        RETURN;
    END IF;
    FOR att IN SELECT t.tgrelid::regclass AS tab,
                      convert_from(substring(t.tgargs FROM 1 FOR position('\x00'::bytea IN t.tgargs) - 1), 'UTF8') AS limit_name
                 FROM pg_trigger t
                 JOIN pg_class c ON c.oid = t.tgrelid AND c.relkind = 'p'
                WHERE t.tgfoid = guard AND t.tgparentid = 0 AND (t.tgtype::int4 & 2) <> 0
                  -- owned by the DROP's role itself, or (for a role that is
                  -- not a superuser) a role it is a member of: a superuser's
                  -- DROP must not count a stranger's tables, which could hold
                  -- it up or make it fail
                  AND (c.relowner = (SELECT r.oid FROM pg_roles r WHERE r.rolname = current_user)
                       OR (NOT (SELECT r.rolsuper FROM pg_roles r WHERE r.rolname = current_user)
                           AND pg_has_role(current_user, c.relowner, 'USAGE')))
                  AND EXISTS (SELECT FROM pg_event_trigger_dropped_objects() d
                               WHERE d.classid = 'pg_trigger'::regclass
                                 AND starts_with(d.object_identity, t.tgname || ' on ')) LOOP
        PERFORM bangfu.limit_recount(att.tab, att.limit_name);
    END LOOP;
END
$$;
COMMENT ON FUNCTION bangfu.recount_dropped_partitions() IS
    'sql_drop event trigger: a partition dropped from a guarded partitioned table that the DROP''s role owns is taken out of that table''s books (counted again).';
CREATE EVENT TRIGGER bangfu_recount_dropped_partitions ON sql_drop
    EXECUTE FUNCTION bangfu.recount_dropped_partitions();
COMMENT ON EVENT TRIGGER bangfu_recount_dropped_partitions IS
    'Keeps a guarded partitioned table''s books right when one of its partitions is dropped.';

-- A partition created or attached after the limit was: statement triggers
-- are not cloned, so it gets the limit's own, and the rows it brought are
-- counted into its table's books (refused if they break the limit); a
-- partition detached takes its rows out of them.  It runs as whoever ran
-- the DDL, who owns the partitioned table.
CREATE FUNCTION bangfu.guard_partitions() RETURNS event_trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    att record;
    part regclass;
    added boolean;
    -- bangfu.limit_guard, found in pg_catalog: these run for every role's
    -- DDL, and a role need not have USAGE on schema bangfu
    guard oid := (SELECT f.oid FROM pg_proc f JOIN pg_namespace n ON n.oid = f.pronamespace
                   WHERE n.nspname = 'bangfu' AND f.proname = 'limit_guard' AND f.pronargs = 0);
BEGIN
    IF guard IS NULL THEN
        RETURN;
    END IF;
    -- a table guarded in its own right made a partition (ATTACH PARTITION,
    -- here or further down the tree the command touched): rows written
    -- through the partitioned table would be checked by its triggers but
    -- never written to the ledger, whose flush fires only for the table a
    -- statement names
    FOR att IN SELECT t.tgrelid::regclass AS tab, d.objid::regclass AS parent,
                      convert_from(substring(t.tgargs FROM 1 FOR position('\x00'::bytea IN t.tgargs) - 1), 'UTF8') AS limit_name
                 FROM pg_event_trigger_ddl_commands() d
                 JOIN pg_class k ON k.oid = d.objid AND k.relkind = 'p'
                 CROSS JOIN LATERAL pg_partition_tree(d.objid::regclass) p
                 JOIN pg_class c ON c.oid = p.relid AND c.relispartition
                 JOIN pg_trigger t ON t.tgrelid = p.relid
                WHERE d.classid = 'pg_class'::regclass AND d.objsubid = 0
                  AND t.tgfoid = guard AND t.tgparentid = 0
                  AND (t.tgtype::int4 & 2) <> 0
                LIMIT 1 LOOP
        PERFORM bangfu.raise_error('limit_guarded_partition', att.tab, att.parent, att.limit_name,
                                   att.tab, att.limit_name);
    END LOOP;
    -- plain inheritance from a guarded table (CREATE TABLE ... INHERITS,
    -- ALTER TABLE ... INHERIT): the child's rows are read with the table's,
    -- but none of the table's triggers fire for them
    FOR att IN SELECT d.objid::regclass AS tab, i.inhparent::regclass AS parent,
                      convert_from(substring(t.tgargs FROM 1 FOR position('\x00'::bytea IN t.tgargs) - 1), 'UTF8') AS limit_name
                 FROM pg_event_trigger_ddl_commands() d
                 JOIN pg_class k ON k.oid = d.objid AND NOT k.relispartition
                 JOIN pg_inherits i ON i.inhrelid = d.objid
                 JOIN pg_trigger t ON t.tgrelid = i.inhparent
                WHERE d.classid = 'pg_class'::regclass AND d.objsubid = 0
                  AND t.tgfoid = guard AND (t.tgtype::int4 & 2) <> 0
                LIMIT 1 LOOP
        PERFORM bangfu.raise_error('limit_guarded_inherited', att.tab, att.parent, att.limit_name);
    END LOOP;
    -- the limits attached to a partitioned table the command touched, or to
    -- an ancestor of a table it touched (from pg_catalog alone: this runs
    -- for every CREATE and ALTER TABLE of every role)
    FOR att IN SELECT DISTINCT t.tgrelid::regclass AS tab, t.tgname::text AS tgname,
                      convert_from(substring(t.tgargs FROM 1 FOR position('\x00'::bytea IN t.tgargs) - 1), 'UTF8') AS limit_name,
                      -- the table itself, or a partitioned table inside it
                      -- (an ATTACH or DETACH one level down)
                      bool_or(d.objid = t.tgrelid OR k.relkind = 'p') AS touched_root
                 FROM pg_event_trigger_ddl_commands() d
                 JOIN pg_trigger t
                   ON t.tgrelid = d.objid
                   OR t.tgrelid IN (SELECT x.relid FROM pg_partition_ancestors(d.objid::regclass) x)
                 JOIN pg_class c ON c.oid = t.tgrelid
                 JOIN pg_class k ON k.oid = d.objid AND k.relkind IN ('r', 'p')
                WHERE d.classid = 'pg_class'::regclass AND d.objsubid = 0
                  AND c.relkind = 'p' AND t.tgparentid = 0
                  AND t.tgfoid = guard
                  AND (t.tgtype::int4 & 2) <> 0
                GROUP BY 1, 2, 3 LOOP
        added := false;
        FOR part IN SELECT p.relid FROM pg_partition_tree(att.tab) p WHERE p.relid <> att.tab LOOP
            IF NOT EXISTS (SELECT FROM pg_trigger g WHERE g.tgrelid = part AND g.tgname = att.tgname || '_flush') THEN
                EXECUTE format('CREATE TRIGGER %I AFTER INSERT OR UPDATE OR DELETE ON %s FOR EACH STATEMENT EXECUTE FUNCTION bangfu.limit_flush()',
                               att.tgname || '_flush', part);
                added := true;
            END IF;
            IF NOT EXISTS (SELECT FROM pg_trigger g WHERE g.tgrelid = part AND g.tgname = 'zz_bangfu_no_truncate') THEN
                EXECUTE format('CREATE TRIGGER zz_bangfu_no_truncate BEFORE TRUNCATE ON %s FOR EACH STATEMENT EXECUTE FUNCTION bangfu.limit_no_truncate()', part);
            END IF;
        END LOOP;
        -- a partition added brings rows; one detached (ALTER TABLE of the table) takes them away
        IF added OR att.touched_root THEN
            PERFORM bangfu.limit_recount(att.tab, att.limit_name);
        END IF;
    END LOOP;
END
$$;
COMMENT ON FUNCTION bangfu.guard_partitions() IS
    'ddl_command_end event trigger: a partition created, attached or detached under a guarded partitioned table gets the limit''s statement triggers, and the table''s books are recounted.';
CREATE EVENT TRIGGER bangfu_guard_partitions ON ddl_command_end
    WHEN TAG IN ('CREATE TABLE', 'ALTER TABLE')
    EXECUTE FUNCTION bangfu.guard_partitions();
COMMENT ON EVENT TRIGGER bangfu_guard_partitions IS
    'Keeps the partitions of a guarded partitioned table guarded and its books right.';

CREATE FUNCTION bangfu.limit_over(p_limit text)
RETURNS TABLE (subject text, period integer, used bigint, cap bigint)
LANGUAGE sql STABLE
SET search_path = pg_catalog, pg_temp
AS $$
    SELECT s.subject, s.period, s.used, s.cap
      FROM (SELECT u.subject, u.period, sum(u.used)::bigint AS used,
                   bangfu.limit_cap_units(p_limit, CASE WHEN d.period = 'lifetime' THEN CURRENT_DATE
                                                        ELSE make_date(u.period, 12, 31) END) AS cap
              FROM bangfu.usage u JOIN bangfu.limit_def d ON d.name = u.limit_name
             WHERE u.limit_name = p_limit
             GROUP BY u.book, u.subject, u.period, d.period) s
     WHERE s.used > s.cap
$$;
COMMENT ON FUNCTION bangfu.limit_over(text) IS
    'Subjects whose recorded use of a limit, in one of its books, is over its cap (the cap as of the period''s last day).';

-- Guards that come after every shipped row.
CREATE TRIGGER limit_def_guard BEFORE INSERT OR UPDATE OR DELETE ON bangfu.limit_def
    FOR EACH ROW EXECUTE FUNCTION bangfu.limit_def_guard();
CREATE TRIGGER limit_def_no_truncate BEFORE TRUNCATE ON bangfu.limit_def
    FOR EACH STATEMENT EXECUTE FUNCTION bangfu.limit_def_guard();
CREATE TRIGGER limit_share_guard BEFORE INSERT OR UPDATE OR DELETE ON bangfu.limit_share
    FOR EACH ROW EXECUTE FUNCTION bangfu.limit_share_guard();
CREATE TRIGGER limit_share_no_truncate BEFORE TRUNCATE ON bangfu.limit_share
    FOR EACH STATEMENT EXECUTE FUNCTION bangfu.limit_share_guard();

-- Who may do what with the engine (doc/limits.md, "Whose books").
GRANT SELECT ON bangfu.limit_share TO PUBLIC;
GRANT INSERT, DELETE ON bangfu.limit_share TO bangfu_policy_admin;
SELECT pg_catalog.pg_extension_config_dump('bangfu.limit_share', 'WHERE NOT shipped');
REVOKE ALL ON FUNCTION bangfu.limit_share_guard() FROM PUBLIC;
REVOKE ALL ON FUNCTION bangfu.limit_def_guard() FROM PUBLIC;

-- Subjects of several columns are now escaped and 1 BC is year -1 (it was 0):
-- recount the attachments whose ledger rows may be written differently.
DO $$
DECLARE
    att record;
BEGIN
    FOR att IN SELECT a.tab, a.limit_name FROM bangfu.limit_attachment a
                 JOIN pg_catalog.pg_class c ON c.oid OPERATOR(pg_catalog.=) a.tab::pg_catalog.oid
                WHERE c.relpersistence OPERATOR(pg_catalog.<>) 't'
                  AND (pg_catalog.cardinality(a.subject_cols) OPERATOR(pg_catalog.>) 1
                       OR EXISTS (SELECT FROM bangfu.usage u WHERE u.tab OPERATOR(pg_catalog.=) a.tab
                                     AND u.limit_name OPERATOR(pg_catalog.=) a.limit_name
                                     AND u.period OPERATOR(pg_catalog.<=) 0
                                     AND EXISTS (SELECT FROM bangfu.limit_def d
                                                  WHERE d.name OPERATOR(pg_catalog.=) u.limit_name
                                                    AND d.period OPERATOR(pg_catalog.=) 'year'))) LOOP
        PERFORM bangfu.limit_recount(att.tab, att.limit_name);
    END LOOP;
END
$$;


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



-- The install guard as a function, shared with bangfu_register's script
-- (created here so that an updated database has what a fresh install has;
-- an update runs the update guard above instead).
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
BEGIN
    FOREACH sname IN ARRAY schemas LOOP
        s := pg_catalog.to_regnamespace(sname)::pg_catalog.oid;
        CONTINUE WHEN s IS NULL;
        SELECT r.rolname, r.rolsuper INTO owner_name, owner_super
          FROM pg_catalog.pg_namespace n JOIN pg_catalog.pg_roles r ON r.oid OPERATOR(pg_catalog.=) n.nspowner
         WHERE n.oid OPERATOR(pg_catalog.=) s;
        IF NOT owner_super THEN
            RAISE EXCEPTION 'schema "%" is owned by role "%", which is not a superuser: % will not install into it', sname, owner_name, ext
                USING ERRCODE = 'insufficient_privilege',
                      DETAIL = 'The owner of the extension''s schema could replace what the extension''s own functions call, and run code as the superuser who installs it.',
                      HINT = pg_catalog.format('Drop schema %s (check what is in it first) and let CREATE EXTENSION create it.', sname);
        END IF;
        SELECT pg_catalog.string_agg(DISTINCT CASE WHEN a.grantee OPERATOR(pg_catalog.=) 0 THEN 'PUBLIC'
                                              ELSE pg_catalog.quote_ident(pg_catalog.pg_get_userbyid(a.grantee)::pg_catalog.text) END, ', ')
          INTO creator
          FROM pg_catalog.pg_namespace n, pg_catalog.aclexplode(n.nspacl) a
         WHERE n.oid OPERATOR(pg_catalog.=) s AND a.privilege_type OPERATOR(pg_catalog.=) 'CREATE'
           AND a.grantee OPERATOR(pg_catalog.<>) n.nspowner;
        IF creator IS NOT NULL THEN
            RAISE EXCEPTION 'schema "%" lets % create objects in it: % will not install into it', sname, creator, ext
                USING ERRCODE = 'insufficient_privilege',
                      DETAIL = 'Whoever may create objects in the extension''s schema could plant look-alikes of what its functions call.',
                      HINT = pg_catalog.format('REVOKE CREATE ON SCHEMA %s FROM ...; then run CREATE EXTENSION %s again.', sname, ext);
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
            RAISE EXCEPTION 'schema "%" is not empty (it holds %): % will not install into it', sname, obj, ext
                USING ERRCODE = 'object_not_in_prerequisite_state',
                      DETAIL = 'An object made before the extension could stand in for one the install script or the extension''s functions use.',
                      HINT = pg_catalog.format('Drop schema %s (check what is in it and who made it) and let CREATE EXTENSION create it.', sname);
        END IF;
    END LOOP;

    -- A careless default (ALTER DEFAULT PRIVILEGES ... GRANT SELECT ON TABLES
    -- TO reporting) would hand the ledger and the register to whoever it names.
    SELECT pg_catalog.format('ALTER DEFAULT PRIVILEGES of role %s%s grants %s on %s to %s',
                             pg_catalog.quote_ident(pg_catalog.pg_get_userbyid(d.defaclrole)::pg_catalog.text),
                             CASE WHEN d.defaclnamespace OPERATOR(pg_catalog.=) 0 THEN ''
                                  ELSE ' in schema ' OPERATOR(pg_catalog.||) d.defaclnamespace::pg_catalog.regnamespace::pg_catalog.text END,
                             a.privilege_type,
                             CASE d.defaclobjtype WHEN 'r' THEN 'tables' WHEN 'S' THEN 'sequences' WHEN 'f' THEN 'functions'
                                                  WHEN 'T' THEN 'types' WHEN 'n' THEN 'schemas' ELSE d.defaclobjtype::pg_catalog.text END,
                             CASE WHEN a.grantee OPERATOR(pg_catalog.=) 0 THEN 'PUBLIC'
                                  ELSE pg_catalog.quote_ident(pg_catalog.pg_get_userbyid(a.grantee)::pg_catalog.text) END)
      INTO creator
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
    IF creator IS NOT NULL THEN
        RAISE EXCEPTION '% in this database: % will not install with it, its tables hold ID numbers', creator, ext
            USING ERRCODE = 'insufficient_privilege',
                  DETAIL = 'Default privileges of the installing role would apply to every table, function and type the install script creates.',
                  HINT = 'Install as a superuser without such default privileges, or revoke them (ALTER DEFAULT PRIVILEGES ... REVOKE ...) for the install.';
    END IF;
END
$bangfu_install_guard$;
REVOKE ALL ON FUNCTION bangfu.install_guard(pg_catalog.text, pg_catalog.text[]) FROM PUBLIC;
COMMENT ON FUNCTION bangfu.install_guard(pg_catalog.text, pg_catalog.text[]) IS
    'Install hazards (issue 8): refuses unless each of the schemas is a superuser''s, nobody else may create in it, it is empty but for the extension ext, and the installing role''s default privileges give nothing away. Run by the install scripts of bangfu and bangfu_register.';


-- The role checks of both install scripts, as one function.
CREATE FUNCTION bangfu.adopt_roles(roles pg_catalog.text[])
RETURNS void
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $roles$
DECLARE
    r pg_catalog.text;
    rec record;
    members pg_catalog.text;
    mark CONSTANT pg_catalog.text := 'bangfu department role (policy clauses 11, 12): its rights are granted by the bangfu extension; see doc/security.md';
BEGIN
    FOREACH r IN ARRAY roles
    LOOP
        SELECT a.oid, a.rolcanlogin, a.rolsuper, a.rolcreatedb, a.rolcreaterole, a.rolreplication, a.rolbypassrls,
               pg_catalog.shobj_description(a.oid, 'pg_authid') AS note
          INTO rec FROM pg_catalog.pg_roles a WHERE a.rolname OPERATOR(pg_catalog.=) r;
        IF NOT FOUND THEN
            EXECUTE pg_catalog.format('CREATE ROLE %I NOLOGIN', r);
            EXECUTE pg_catalog.format('COMMENT ON ROLE %I IS %L', r, mark);
            CONTINUE;
        END IF;
        IF rec.rolcanlogin OR rec.rolsuper OR rec.rolcreatedb OR rec.rolcreaterole OR rec.rolreplication OR rec.rolbypassrls
           OR EXISTS (SELECT FROM pg_catalog.pg_auth_members m WHERE m.member OPERATOR(pg_catalog.=) rec.oid) THEN
            PERFORM bangfu.raise_error('role_not_bare', r, pg_catalog.quote_ident(r));
        END IF;
        IF rec.note IS DISTINCT FROM mark THEN
            SELECT pg_catalog.string_agg(pg_catalog.quote_ident(pg_catalog.pg_get_userbyid(m.member)::pg_catalog.text), ', '
                                         ORDER BY pg_catalog.pg_get_userbyid(m.member))
              INTO members FROM pg_catalog.pg_auth_members m WHERE m.roleid OPERATOR(pg_catalog.=) rec.oid;
            IF members IS NOT NULL THEN
                PERFORM bangfu.raise_error('role_has_members',
                                           r,
                                           members,
                                           pg_catalog.quote_ident(r),
                                           pg_catalog.quote_ident(r),
                                           pg_catalog.quote_nullable(mark));
            END IF;
            EXECUTE pg_catalog.format('COMMENT ON ROLE %I IS %L', r, mark);
        END IF;
    END LOOP;
END
$roles$;
REVOKE ALL ON FUNCTION bangfu.adopt_roles(pg_catalog.text[]) FROM PUBLIC;
COMMENT ON FUNCTION bangfu.adopt_roles(pg_catalog.text[]) IS
    'Install hazards (issue 8): creates each department role that is missing, and takes one already there only if it is a bare group that bangfu made or that has no members. Run by the install scripts of bangfu and bangfu_register.';


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
-- (This script says so at its end, in the clerk's language: section "suites".)

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
        INSERT INTO bangfu.usage (limit_name, tab, subject, period, used, book)
        SELECT lim, TG_RELID::regclass, x.subject, x.period, x.used,
               CASE WHEN EXISTS (SELECT FROM bangfu.limit_share s
                                  WHERE s.tab OPERATOR(pg_catalog.=) TG_RELID::regclass
                                    AND s.limit_name OPERATOR(pg_catalog.=) lim)
                    THEN 0::oid::regclass ELSE TG_RELID::regclass END
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

-- A county's admissions to the limits' common books are restored as they
-- were (pg_restore -j may create a table's limit triggers before they load).
CREATE TRIGGER restore_begin BEFORE INSERT ON bangfu.limit_share
    FOR EACH STATEMENT EXECUTE FUNCTION bangfu.restore_begin();
CREATE TRIGGER restore_end AFTER INSERT ON bangfu.limit_share
    FOR EACH STATEMENT EXECUTE FUNCTION bangfu.restore_end();
ALTER TABLE bangfu.limit_share ENABLE ALWAYS TRIGGER restore_begin;
ALTER TABLE bangfu.limit_share ENABLE ALWAYS TRIGGER restore_end;
ALTER TABLE bangfu.limit_share ENABLE ALWAYS TRIGGER limit_share_changed;




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
-- Nothing to do in SQL: PostgreSQL 16 and 17 needed only C changes
-- (src/compat.h), and the install script is the same on 15, 16 and 17.


-- ==== clients: cnid comparisons with text (issue 10) ======================
-- As in src/cnid.sql.  0.2.0's six operators of cnid move to pg_catalog (same
-- objects: the operator classes, constraints and views that use them keep
-- them), then their old names come back as aliases.
ALTER OPERATOR bangfu.= (bangfu.cnid, bangfu.cnid) SET SCHEMA pg_catalog;
ALTER OPERATOR bangfu.<> (bangfu.cnid, bangfu.cnid) SET SCHEMA pg_catalog;
ALTER OPERATOR bangfu.< (bangfu.cnid, bangfu.cnid) SET SCHEMA pg_catalog;
ALTER OPERATOR bangfu.<= (bangfu.cnid, bangfu.cnid) SET SCHEMA pg_catalog;
ALTER OPERATOR bangfu.>= (bangfu.cnid, bangfu.cnid) SET SCHEMA pg_catalog;
ALTER OPERATOR bangfu.> (bangfu.cnid, bangfu.cnid) SET SCHEMA pg_catalog;
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



-- ==== readings settled in the spec (issue 15) =============================

-- 二 quota: the floor reported is never above the ceiling.
UPDATE bangfu.policy_param
   SET description = 'Least share of the county''s urban permanent-resident households relieved in a year (one rate over [0,); the count is rounded up, and lowered to the ceiling where it would pass it).'
 WHERE param OPERATOR(pg_catalog.=) 'relief.quota.min_share';
COMMENT ON FUNCTION bangfu.relief_quota_min(integer, date) IS
    '二 least households to relieve in a year: ceil(3%) of the urban permanent-resident households, or the ceiling floor(5%) where that is lower (1-19 and 34-39 households).';
COMMENT ON FUNCTION bangfu.relief_quota(integer, date) IS
    '二 households relieved in a year: at least ceil(3%), at most floor(5%) of the urban permanent-resident households (城镇常住户的3%-5%); the ceiling holds, so where ceil(3%) would pass it (1-19 and 34-39 households) the least is the ceiling.';

-- 八(2): the window of a loan of 29 February runs through 28 February.
COMMENT ON FUNCTION bangfu.loan_interest_subsidy(numeric, numeric, date, date, date) IS
    '八(2) interest paid from the enterprise fund (给予2年贴息): principal × annual_rate × days / 360 over the days of [period_from, period_to) from loan_start up to the day before its second anniversary (the anniversary of 29 February is 1 March in a common year: a loan of 2024-02-29 is subsidised through 2026-02-28); annual_rate is a fraction (0.0435); the policy version is the one in force on loan_start.';

-- The 二 functions also take the reason as text, its code.  An enum
-- argument refuses an unknown code in the enum's own input function, whose
-- message cannot say which rule was called; these forms refuse it naming
-- the argument and the rule (doc/clauses.md §0), with SQLSTATE 22023.  A quoted
-- literal resolves to them (an unknown-type argument prefers text), a
-- column or value of type bangfu.relief_reason to the enum forms, so a
-- caseload read from a table keeps the enum's speed.
CREATE FUNCTION bangfu.relief_band(reason text, on_date date DEFAULT CURRENT_DATE)
RETURNS numrange
    AS 'MODULE_PATHNAME', 'bf_relief_band_text' LANGUAGE C STABLE STRICT PARALLEL SAFE
    SUPPORT bangfu.today_support;
COMMENT ON FUNCTION bangfu.relief_band(text, date) IS
    '二 relief band of a reason given by its code (critical_illness, disability_chronic, education, single_parent_other); an unknown code is refused naming the rule.';

CREATE FUNCTION bangfu.relief_band(reason text, on_date date, scenario text)
RETURNS numrange
    AS 'MODULE_PATHNAME', 'bf_relief_band_text' LANGUAGE C STABLE STRICT PARALLEL SAFE
    SUPPORT bangfu.today_support;
COMMENT ON FUNCTION bangfu.relief_band(text, date, text) IS
    '二 relief band of a reason given by its code, as a what-if scenario would set it.';

CREATE FUNCTION bangfu.relief_band_explain(reason text, on_date date DEFAULT CURRENT_DATE)
RETURNS jsonb
    AS 'MODULE_PATHNAME', 'bf_relief_band_explain_text' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION bangfu.relief_band_explain(text, date) IS
    '二 relief band of a reason given by its code, with the policy version it comes from.';

CREATE FUNCTION bangfu.relief_band_explain(reason text, on_date date, scenario text)
RETURNS jsonb
    AS 'MODULE_PATHNAME', 'bf_relief_band_explain_text' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION bangfu.relief_band_explain(text, date, text) IS
    '二 relief band of a reason given by its code, explained, as a what-if scenario would set it.';

CREATE FUNCTION bangfu.relief_in_band(reason text, amount numeric, on_date date DEFAULT CURRENT_DATE)
RETURNS numeric
    AS 'MODULE_PATHNAME', 'bf_relief_in_band_text' LANGUAGE C STABLE STRICT PARALLEL SAFE
    SUPPORT bangfu.today_support;
COMMENT ON FUNCTION bangfu.relief_in_band(text, numeric, date) IS
    '二 the amount moved into the band of a reason given by its code; an unknown code is refused naming the rule.';

CREATE FUNCTION bangfu.relief_in_band(reason text, amount numeric, on_date date, scenario text)
RETURNS numeric
    AS 'MODULE_PATHNAME', 'bf_relief_in_band_text' LANGUAGE C STABLE STRICT PARALLEL SAFE
    SUPPORT bangfu.today_support;
COMMENT ON FUNCTION bangfu.relief_in_band(text, numeric, date, text) IS
    '二 amount moved into the band a what-if scenario sets, the reason given by its code.';

CREATE FUNCTION bangfu.relief_in_band_explain(reason text, amount numeric, on_date date DEFAULT CURRENT_DATE)
RETURNS jsonb
    AS 'MODULE_PATHNAME', 'bf_relief_in_band_explain_text' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION bangfu.relief_in_band_explain(text, numeric, date) IS
    '二 relief_in_band step by step, the reason given by its code.';

CREATE FUNCTION bangfu.relief_in_band_explain(reason text, amount numeric, on_date date, scenario text)
RETURNS jsonb
    AS 'MODULE_PATHNAME', 'bf_relief_in_band_explain_text' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION bangfu.relief_in_band_explain(text, numeric, date, text) IS
    '二 relief_in_band step by step under a what-if scenario, the reason given by its code.';

CREATE FUNCTION bangfu.relief_reason_label(reason text)
RETURNS text
LANGUAGE plpgsql STABLE STRICT PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF NOT reason OPERATOR(pg_catalog.=) ANY (pg_catalog.enum_range(NULL::bangfu.relief_reason)::text[]) THEN
        RAISE EXCEPTION 'unknown relief reason "%" (argument reason of bangfu.relief_reason_label)', reason
            USING ERRCODE = 'invalid_parameter_value',
                  DETAIL = 'Rule: bangfu.relief_reason_label (二 temporary relief).',
                  HINT = 'A reason is one of the values of bangfu.relief_reason: SELECT enum_range(NULL::bangfu.relief_reason).';
    END IF;
    RETURN bangfu.relief_reason_label(reason::bangfu.relief_reason);
END
$$;
COMMENT ON FUNCTION bangfu.relief_reason_label(text) IS
    '二 the seed''s Chinese wording of a relief reason given by its code; an unknown code is refused naming the function.';

-- An unknown scenario named with the function it was given to.
CREATE OR REPLACE FUNCTION bangfu.scenario_compare(scenario text, on_date date DEFAULT CURRENT_DATE)
RETURNS TABLE (param text, kind text, clause text, in_force text, in_force_from date, proposed text)
LANGUAGE plpgsql STABLE STRICT PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
#variable_conflict use_column
BEGIN
    IF NOT EXISTS (SELECT FROM bangfu.scenario s WHERE s.name = scenario_compare.scenario) THEN
        RAISE EXCEPTION 'unknown scenario "%" (argument scenario of bangfu.scenario_compare)', scenario_compare.scenario
            USING ERRCODE = 'invalid_parameter_value',
                  HINT = 'Scenarios are rows of bangfu.scenario.';
    END IF;
    RETURN QUERY
    SELECT v.param, k.kind, k.clause, f.value, f.valid_from,
           coalesce(v.tiers::text, v.amount::text, v.count::text, v.band::text)
      FROM bangfu.scenario_value v
      JOIN bangfu.policy_param k ON k.param = v.param
      LEFT JOIN bangfu.policy_in_force(scenario_compare.on_date) f ON f.param = v.param
     WHERE v.scenario = scenario_compare.scenario
     ORDER BY v.param COLLATE "C";
END
$$;


-- ==== one-pass settlement (issue 12) ======================================

-- ---------------------------------------------------------------------------
-- A caseload settled in one window pass (src/settle.c).  Window functions
-- (WINDOW): each row settled once, in date order, against what the rows
-- before it in its partition used.  The order is the window's ORDER BY, or
-- in the keyed forms (a bigint key after on_date) the function's own order
-- of (on_date, key) within each partition.  Window functions run in the
-- leader of a parallel plan; PARALLEL SAFE lets them sit above one.
-- ---------------------------------------------------------------------------

CREATE TYPE bangfu.settlement AS (reduction numeric, relief numeric, patient_pays numeric);
COMMENT ON TYPE bangfu.settlement IS
    '四 one stay''s settlement: the charity-bed reduction (四(1)), the serious-illness relief on what is still owed (四(2)), and what the patient pays; reduction + relief + patient_pays = cost.';

CREATE FUNCTION bangfu.medical_settle(cost numeric, on_date date)
RETURNS bangfu.settlement
    AS 'MODULE_PATHNAME', 'bf_medical_settle' LANGUAGE C WINDOW STABLE PARALLEL SAFE;
COMMENT ON FUNCTION bangfu.medical_settle(numeric, date) IS
    '四 a caseload in one pass, as a window function: medical_settle(cost, discharged) OVER (PARTITION BY person ORDER BY discharged, id) gives each stay its 四(1) reduction, 四(2) relief and patient share, the yearly caps applied stay after stay and starting again each calendar year.';

CREATE FUNCTION bangfu.medical_settle(cost numeric, on_date date, scenario text)
RETURNS bangfu.settlement
    AS 'MODULE_PATHNAME', 'bf_medical_settle' LANGUAGE C WINDOW STABLE PARALLEL SAFE;
COMMENT ON FUNCTION bangfu.medical_settle(numeric, date, text) IS
    '四 a caseload in one pass under a what-if scenario (十二), as a window function.';

CREATE FUNCTION bangfu.medical_settle(cost numeric, on_date date,
                                      reduced_before numeric, relieved_before numeric)
RETURNS bangfu.settlement
    AS 'MODULE_PATHNAME', 'bf_medical_settle' LANGUAGE C WINDOW STABLE PARALLEL SAFE;
COMMENT ON FUNCTION bangfu.medical_settle(numeric, date, numeric, numeric) IS
    '四 a caseload in one pass, as a window function, for person-years already partly used: reduced_before and relieved_before are read at each person-year''s first row (what that year used before it) and ignored on its later rows.';

CREATE FUNCTION bangfu.medical_settle(cost numeric, on_date date,
                                      reduced_before numeric, relieved_before numeric,
                                      scenario text)
RETURNS bangfu.settlement
    AS 'MODULE_PATHNAME', 'bf_medical_settle' LANGUAGE C WINDOW STABLE PARALLEL SAFE;
COMMENT ON FUNCTION bangfu.medical_settle(numeric, date, numeric, numeric, text) IS
    '四 a caseload in one pass for person-years already partly used, under a what-if scenario (十二).';

CREATE FUNCTION bangfu.capped(limit_name text, amount numeric, on_date date)
RETURNS numeric
    AS 'MODULE_PATHNAME', 'bf_capped' LANGUAGE C WINDOW STABLE PARALLEL SAFE;
COMMENT ON FUNCTION bangfu.capped(text, numeric, date) IS
    '二, 四, 五, 八, 一/九 any limit of bangfu.limit_def over a user''s table in one pass, as a window function: capped(limit, amount, on_date) OVER (PARTITION BY subject ORDER BY on_date, id) gives each row what the limit''s cap lets through (the policy at the row''s date; yearly limits start again each calendar year).';

CREATE FUNCTION bangfu.capped(limit_name text, amount numeric, on_date date, used_before numeric)
RETURNS numeric
    AS 'MODULE_PATHNAME', 'bf_capped' LANGUAGE C WINDOW STABLE PARALLEL SAFE;
COMMENT ON FUNCTION bangfu.capped(text, numeric, date, numeric) IS
    '二, 四, 五, 八, 一/九 a limit over a user''s table in one pass, for subjects that already used part of the period: used_before (as bangfu.limit_used reports it) is read at each period''s first row.';

CREATE FUNCTION bangfu.capped(limit_name text, amount numeric, on_date date, used_before numeric,
                              scenario text)
RETURNS numeric
    AS 'MODULE_PATHNAME', 'bf_capped' LANGUAGE C WINDOW STABLE PARALLEL SAFE;
COMMENT ON FUNCTION bangfu.capped(text, numeric, date, numeric, text) IS
    '二, 四, 五, 八, 一/九 a limit over a user''s table in one pass under a what-if scenario (十二): the cap parameter as the scenario overrides it.';

-- The keyed forms: the function puts each partition in order of (on_date,
-- key) itself, so the window needs no ORDER BY and PostgreSQL sorts by the
-- PARTITION BY alone.  capped's keyed forms always take used_before (0 for
-- none): a four-argument capped(limit, amount, on_date, 30) must stay the
-- used_before form, and an integer there would fit a bigint key as well.
CREATE FUNCTION bangfu.medical_settle(cost numeric, on_date date, stay_key bigint)
RETURNS bangfu.settlement
    AS 'MODULE_PATHNAME', 'bf_medical_settle_keyed' LANGUAGE C WINDOW STABLE PARALLEL SAFE;
COMMENT ON FUNCTION bangfu.medical_settle(numeric, date, bigint) IS
    '四 a caseload in one pass, ordered by the function: medical_settle(cost, discharged, id) OVER (PARTITION BY person) settles each person''s stays in order of (discharged, id), the yearly caps applied stay after stay; the same figures as the ORDER BY form, with a cheaper sort.';

CREATE FUNCTION bangfu.medical_settle(cost numeric, on_date date, stay_key bigint, scenario text)
RETURNS bangfu.settlement
    AS 'MODULE_PATHNAME', 'bf_medical_settle_keyed' LANGUAGE C WINDOW STABLE PARALLEL SAFE;
COMMENT ON FUNCTION bangfu.medical_settle(numeric, date, bigint, text) IS
    '四 a caseload in one pass, ordered by the function (stays in order of on_date, stay_key), under a what-if scenario (十二).';

CREATE FUNCTION bangfu.medical_settle(cost numeric, on_date date, stay_key bigint,
                                      reduced_before numeric, relieved_before numeric)
RETURNS bangfu.settlement
    AS 'MODULE_PATHNAME', 'bf_medical_settle_keyed' LANGUAGE C WINDOW STABLE PARALLEL SAFE;
COMMENT ON FUNCTION bangfu.medical_settle(numeric, date, bigint, numeric, numeric) IS
    '四 a caseload in one pass, ordered by the function (on_date, stay_key), for person-years already partly used: reduced_before and relieved_before are read at each person-year''s first stay.';

CREATE FUNCTION bangfu.medical_settle(cost numeric, on_date date, stay_key bigint,
                                      reduced_before numeric, relieved_before numeric,
                                      scenario text)
RETURNS bangfu.settlement
    AS 'MODULE_PATHNAME', 'bf_medical_settle_keyed' LANGUAGE C WINDOW STABLE PARALLEL SAFE;
COMMENT ON FUNCTION bangfu.medical_settle(numeric, date, bigint, numeric, numeric, text) IS
    '四 a caseload in one pass, ordered by the function (on_date, stay_key), for person-years already partly used, under a what-if scenario (十二).';

CREATE FUNCTION bangfu.capped(limit_name text, amount numeric, on_date date, row_key bigint,
                              used_before numeric)
RETURNS numeric
    AS 'MODULE_PATHNAME', 'bf_capped_keyed' LANGUAGE C WINDOW STABLE PARALLEL SAFE;
COMMENT ON FUNCTION bangfu.capped(text, numeric, date, bigint, numeric) IS
    '二, 四, 五, 八, 一/九 a limit over a user''s table in one pass, ordered by the function: capped(limit, amount, on_date, id, used_before) OVER (PARTITION BY subject) takes each subject''s rows in order of (on_date, row_key); used_before (0 for none) is read at each period''s first row.';

CREATE FUNCTION bangfu.capped(limit_name text, amount numeric, on_date date, row_key bigint,
                              used_before numeric, scenario text)
RETURNS numeric
    AS 'MODULE_PATHNAME', 'bf_capped_keyed' LANGUAGE C WINDOW STABLE PARALLEL SAFE;
COMMENT ON FUNCTION bangfu.capped(text, numeric, date, bigint, numeric, text) IS
    '二, 四, 五, 八, 一/九 a limit in one pass, ordered by the function (on_date, row_key), under a what-if scenario (十二).';

-- The grouped forms: the subject is an argument too, and the function
-- groups the window's rows by it (a hash table, as a hash aggregate groups)
-- before ordering each subject's rows by (on_date, key).  The window needs
-- neither PARTITION BY nor ORDER BY (OVER ()), so PostgreSQL does not sort
-- at all; the function holds the window's whole partition, within work_mem
-- times hash_mem_multiplier.  The subject may be of any type with a default
-- hash operator class (integers, text, bangfu.cnid, ...).
CREATE FUNCTION bangfu.medical_settle_grouped(person anyelement, cost numeric, on_date date,
                                              stay_key bigint)
RETURNS bangfu.settlement
    AS 'MODULE_PATHNAME', 'bf_medical_settle_grouped' LANGUAGE C WINDOW STABLE PARALLEL SAFE;
COMMENT ON FUNCTION bangfu.medical_settle_grouped(anyelement, numeric, date, bigint) IS
    '四 a caseload in one pass with no sort: medical_settle_grouped(person, cost, discharged, id) OVER () groups the stays by person itself and settles each person''s stays in order of (discharged, id), the yearly caps applied stay after stay; the same figures as medical_settle(cost, discharged) OVER (PARTITION BY person ORDER BY discharged, id).';

CREATE FUNCTION bangfu.medical_settle_grouped(person anyelement, cost numeric, on_date date,
                                              stay_key bigint, scenario text)
RETURNS bangfu.settlement
    AS 'MODULE_PATHNAME', 'bf_medical_settle_grouped' LANGUAGE C WINDOW STABLE PARALLEL SAFE;
COMMENT ON FUNCTION bangfu.medical_settle_grouped(anyelement, numeric, date, bigint, text) IS
    '四 a caseload in one pass with no sort, grouped by person by the function, under a what-if scenario (十二).';

CREATE FUNCTION bangfu.medical_settle_grouped(person anyelement, cost numeric, on_date date,
                                              stay_key bigint,
                                              reduced_before numeric, relieved_before numeric)
RETURNS bangfu.settlement
    AS 'MODULE_PATHNAME', 'bf_medical_settle_grouped' LANGUAGE C WINDOW STABLE PARALLEL SAFE;
COMMENT ON FUNCTION bangfu.medical_settle_grouped(anyelement, numeric, date, bigint, numeric, numeric) IS
    '四 a caseload in one pass with no sort, grouped by person by the function, for person-years already partly used: reduced_before and relieved_before are read at each person-year''s first stay.';

CREATE FUNCTION bangfu.medical_settle_grouped(person anyelement, cost numeric, on_date date,
                                              stay_key bigint,
                                              reduced_before numeric, relieved_before numeric,
                                              scenario text)
RETURNS bangfu.settlement
    AS 'MODULE_PATHNAME', 'bf_medical_settle_grouped' LANGUAGE C WINDOW STABLE PARALLEL SAFE;
COMMENT ON FUNCTION bangfu.medical_settle_grouped(anyelement, numeric, date, bigint, numeric, numeric, text) IS
    '四 a caseload in one pass with no sort, grouped by person by the function, for person-years already partly used, under a what-if scenario (十二).';

CREATE FUNCTION bangfu.capped_grouped(limit_name text, subject anyelement, amount numeric,
                                      on_date date, row_key bigint, used_before numeric)
RETURNS numeric
    AS 'MODULE_PATHNAME', 'bf_capped_grouped' LANGUAGE C WINDOW STABLE PARALLEL SAFE;
COMMENT ON FUNCTION bangfu.capped_grouped(text, anyelement, numeric, date, bigint, numeric) IS
    '二, 四, 五, 八, 一/九 a limit over a user''s table in one pass with no sort: capped_grouped(limit, subject, amount, on_date, id, used_before) OVER () groups the rows by subject itself and takes each subject''s rows in order of (on_date, row_key); used_before (0 for none) is read at each period''s first row.';

CREATE FUNCTION bangfu.capped_grouped(limit_name text, subject anyelement, amount numeric,
                                      on_date date, row_key bigint, used_before numeric,
                                      scenario text)
RETURNS numeric
    AS 'MODULE_PATHNAME', 'bf_capped_grouped' LANGUAGE C WINDOW STABLE PARALLEL SAFE;
COMMENT ON FUNCTION bangfu.capped_grouped(text, anyelement, numeric, date, bigint, numeric, text) IS
    '二, 四, 五, 八, 一/九 a limit in one pass with no sort, grouped by subject by the function, under a what-if scenario (十二).';

-- ==== messages in Chinese (issue 10) =======================================

-- ---------------------------------------------------------------------------
-- Messages in the clerk's language (issue 10).  The PL/pgSQL code raises its
-- refusals through bangfu.raise_error, whose texts live in src/messages.c so
-- that gettext translates them (po/zh_CN.po): with lc_messages = 'zh_CN.UTF-8'
-- a clerk reads them in Chinese, with the clause (二, 四(1) ...).
-- ---------------------------------------------------------------------------
CREATE FUNCTION bangfu.raise_error(key text)
RETURNS void
AS 'MODULE_PATHNAME', 'bf_raise_error'
LANGUAGE C VOLATILE PARALLEL SAFE;
COMMENT ON FUNCTION bangfu.raise_error(text) IS
    'Raises bangfu''s error named key (src/messages.c), with its SQLSTATE, detail and hint, in the language of lc_messages.';

CREATE FUNCTION bangfu.raise_error(key text, VARIADIC args "any")
RETURNS void
AS 'MODULE_PATHNAME', 'bf_raise_error'
LANGUAGE C VOLATILE PARALLEL SAFE;
COMMENT ON FUNCTION bangfu.raise_error(text, "any") IS
    'Raises bangfu''s error named key (src/messages.c) with its arguments (message''s, then detail''s, then hint''s), in the language of lc_messages.';

CREATE FUNCTION bangfu.message_text(key text)
RETURNS text
AS 'MODULE_PATHNAME', 'bf_message_text'
LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION bangfu.message_text(text) IS
    'A phrase of bangfu''s messages (src/messages.c) in the language of lc_messages.';

CREATE FUNCTION bangfu.message_text(key text, VARIADIC args "any")
RETURNS text
AS 'MODULE_PATHNAME', 'bf_message_text'
LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION bangfu.message_text(text, "any") IS
    'A phrase of bangfu''s messages (src/messages.c) with its arguments, in the language of lc_messages.';

-- The PL/pgSQL refusals are raised through bangfu.raise_error (their texts
-- are in src/messages.c, where gettext reaches them); the functions raising
-- them, as the install script has them now.
CREATE OR REPLACE FUNCTION bangfu.limit_share_guard() RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    r record;
    -- the extensions' scripts (bangfu, bangfu_register) run as a superuser
    su boolean := (SELECT g.rolsuper FROM pg_roles g WHERE g.rolname OPERATOR(pg_catalog.=) current_user);
BEGIN
    IF TG_OP = 'TRUNCATE' THEN
        PERFORM bangfu.raise_error('limit_share_no_truncate');
    END IF;
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        -- a dropped table's admission goes with it (bangfu.forget_dropped_tables)
        -- and a superuser's DELETE is the extensions' own (dropping the register)
        IF EXISTS (SELECT FROM pg_class c WHERE c.oid OPERATOR(pg_catalog.=) OLD.tab::oid)
           AND NOT (TG_OP = 'DELETE' AND su) THEN
            IF OLD.shipped THEN
                PERFORM bangfu.raise_error('limit_share_shipped_fixed', OLD.tab, OLD.limit_name);
            END IF;
            IF EXISTS (SELECT FROM bangfu.limit_attachment a
                        WHERE a.tab OPERATOR(pg_catalog.=) OLD.tab AND a.limit_name OPERATOR(pg_catalog.=) OLD.limit_name) THEN
                PERFORM bangfu.raise_error('limit_share_attached', OLD.limit_name, OLD.tab);
            END IF;
        END IF;
        IF TG_OP = 'DELETE' THEN
            RETURN OLD;
        END IF;
        PERFORM bangfu.raise_error('limit_share_no_update');
    END IF;
    IF NEW.shipped AND NOT su THEN
        PERFORM bangfu.raise_error('limit_share_only_install');
    END IF;
    SELECT c.relpersistence, c.relkind INTO r FROM pg_class c WHERE c.oid OPERATOR(pg_catalog.=) NEW.tab::oid;
    IF r.relpersistence OPERATOR(pg_catalog.<>) 'p' OR r.relkind NOT IN ('r', 'p') THEN
        PERFORM bangfu.raise_error('limit_share_not_permanent', NEW.tab, NEW.limit_name);
    END IF;
    -- the engine keeps at most 4 tables per subject of one book (BF_LIMIT_MAX_TABS in src/limits_engine.h)
    IF (SELECT count(*) FROM bangfu.limit_share s WHERE s.limit_name OPERATOR(pg_catalog.=) NEW.limit_name) OPERATOR(pg_catalog.>=) 4 THEN
        PERFORM bangfu.raise_error('limit_share_full', NEW.limit_name);
    END IF;
    IF EXISTS (SELECT FROM bangfu.limit_attachment a
                WHERE a.tab OPERATOR(pg_catalog.=) NEW.tab AND a.limit_name OPERATOR(pg_catalog.=) NEW.limit_name) THEN
        PERFORM bangfu.raise_error('limit_share_own_books', NEW.limit_name, NEW.tab);
    END IF;
    RETURN NEW;
END
$$;

CREATE OR REPLACE FUNCTION bangfu.check_policy_value(p_param text, p_tiers bangfu.tiers, p_amount numeric,
                                          p_count integer, p_band numrange)
RETURNS void
LANGUAGE plpgsql STABLE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    k text;
BEGIN
    SELECT kind INTO k FROM bangfu.policy_param WHERE param = p_param;
    IF NOT FOUND THEN
        PERFORM bangfu.raise_error('policy_param_unknown', p_param);
    END IF;
    IF (k = 'tiers' AND p_tiers IS NULL) OR (k = 'amount' AND p_amount IS NULL)
       OR (k = 'count' AND p_count IS NULL) OR (k = 'band' AND p_band IS NULL) THEN
        PERFORM bangfu.raise_error('policy_value_column', p_param, k);
    END IF;
    IF k = 'amount' AND (p_amount = 'NaN' OR p_amount < 0 OR p_amount > 1000000000000
                         OR p_amount <> round(p_amount, 2)) THEN
        PERFORM bangfu.raise_error('policy_amount_not_money', p_param, p_amount);
    END IF;
    IF k = 'count' AND p_count < 0 THEN
        PERFORM bangfu.raise_error('policy_count_negative', p_param, p_count);
    END IF;
    IF k = 'band' AND (isempty(p_band) OR lower_inf(p_band) OR upper_inf(p_band)
                       OR lower(p_band) < 0 OR upper(p_band) > 1000000000000
                       OR lower(p_band) <> round(lower(p_band), 2) OR upper(p_band) <> round(upper(p_band), 2)) THEN
        PERFORM bangfu.raise_error('policy_band_bad', p_param, p_band);
    END IF;
END
$$;

CREATE OR REPLACE FUNCTION bangfu.policy_guard() RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF TG_OP = 'TRUNCATE' THEN
        PERFORM bangfu.raise_error('policy_no_truncate');
    END IF;
    IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.shipped THEN
        PERFORM bangfu.raise_error('policy_shipped_fixed', OLD.param);
    END IF;
    IF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;
    IF NEW.shipped THEN
        PERFORM bangfu.raise_error('policy_ship_only_install');
    END IF;
    PERFORM bangfu.check_policy_value(NEW.param, NEW.tiers, NEW.amount, NEW.count, NEW.band);
    RETURN NEW;
END
$$;

CREATE OR REPLACE FUNCTION bangfu.scenario_compare(scenario text, on_date date DEFAULT CURRENT_DATE)
RETURNS TABLE (param text, kind text, clause text, in_force text, in_force_from date, proposed text)
LANGUAGE plpgsql STABLE STRICT PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
#variable_conflict use_column
BEGIN
    IF NOT EXISTS (SELECT FROM bangfu.scenario s WHERE s.name = scenario_compare.scenario) THEN
        PERFORM bangfu.raise_error('scenario_unknown', scenario_compare.scenario);
    END IF;
    RETURN QUERY
    SELECT v.param, k.kind, k.clause, f.value, f.valid_from,
           coalesce(v.tiers::text, v.amount::text, v.count::text, v.band::text)
      FROM bangfu.scenario_value v
      JOIN bangfu.policy_param k ON k.param = v.param
      LEFT JOIN bangfu.policy_in_force(scenario_compare.on_date) f ON f.param = v.param
     WHERE v.scenario = scenario_compare.scenario
     ORDER BY v.param COLLATE "C";
END
$$;

CREATE OR REPLACE FUNCTION bangfu.relief_reason_label(reason text)
RETURNS text
LANGUAGE plpgsql STABLE STRICT PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF NOT reason OPERATOR(pg_catalog.=) ANY (pg_catalog.enum_range(NULL::bangfu.relief_reason)::text[]) THEN
        PERFORM bangfu.raise_error('relief_reason_unknown', reason);
    END IF;
    RETURN bangfu.relief_reason_label(reason::bangfu.relief_reason);
END
$$;


-- ==== a picture of a schedule (issue 13) ================================

CREATE FUNCTION bangfu.tiers_svg(t bangfu.tiers, upto numeric DEFAULT NULL,
                                 compare bangfu.tiers DEFAULT NULL,
                                 label text DEFAULT 'in force',
                                 compare_label text DEFAULT 'proposal',
                                 title text DEFAULT NULL) RETURNS text
    AS 'MODULE_PATHNAME', 'tiers_svg' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION bangfu.tiers_svg(bangfu.tiers, numeric, bangfu.tiers, text, text, text) IS
    'A picture of a schedule (issue 13): an SVG document of benefit against amount from 0 to upto (default a fifth past the last bound), exact bracket geometry, the cap, and optionally a second schedule (a proposal) drawn over it with a legend.';



-- ==== clauses (issue 14): figures of 三, 六, 八(1), 十; the holiday calendar ====
-- (src/people.sql)
-- ---------------------------------------------------------------------------
-- Figures of the clauses about people and duties (issue 14): 三 leader
-- pairing, 五 pay first (its 2/3 and 36 months are rules.sql's), 六 training,
-- 八(1) the hiring window, 十 fee waivers and rent concessions.  The register
-- (bangfu_register: register_pairing.sql, register_training.sql,
-- register_jobs.sql, register_employment.sql) reads them at the date of each
-- event; doc/people.md gives the readings taken where the seed is silent.
-- ---------------------------------------------------------------------------

INSERT INTO bangfu.policy_param (param, kind, clause, description) VALUES
    ('pairing.residents_per_leader', 'count', '三',
     'Hardship residents one county-level leader helps at a time (每人帮扶一名城镇困难居民).'),
    ('pairing.holiday_visit.days_before', 'count', '三',
     'A visit counts for an important holiday (重要节假日走访慰问) when made at most this many days before it.'),
    ('pairing.holiday_visit.days_after', 'count', '三',
     'A visit counts for an important holiday when made at most this many days after it.'),
    ('training.new_labour.min_age', 'count', '六',
     'Youngest age (reached) of the new labour force (新成长劳动力) given free pre-employment training.'),
    ('training.new_labour.max_age', 'count', '六',
     'Oldest age (not yet passed: under this plus one) of the new labour force given free pre-employment training.'),
    ('training.refusal.exclusion_months', 'count', '六, 二',
     'Months a refusal of skills training or employment assistance excludes the household from relief (二 拒绝参加技能培训和就业援助的不予实施困难救助), from the day of the refusal.'),
    ('employer.subsidy.window_months', 'count', '八(1)',
     'Months from the hire date inside which a contribution month must fall to be subsidised (期限1年), on top of the count employer.subsidy.months.'),
    ('business.fee_waiver_rate', 'tiers', '十',
     'Share of the registration charges (登记类收费) waived for a hard-to-employ person setting up an individual business (one rate over [0,)).'),
    ('business.rent_concession_rate', 'tiers', '十',
     'Most a rent concession may be, as a share of the rent, for a handicraft business renting in the 城东生态文化园 (one rate over [0,)).');

-- The shipped figures go in as the install script's do: past the guard
-- that keeps anyone else from marking a row shipped.
ALTER TABLE bangfu.policy DISABLE TRIGGER policy_guard;
INSERT INTO bangfu.policy (param, tiers, count, shipped, note) VALUES
    ('pairing.residents_per_leader', NULL, 1, true, '每人帮扶一名城镇困难居民'),
    ('pairing.holiday_visit.days_before', NULL, 30, true, '落实重要节假日走访慰问 (county reading: within 30 days before)'),
    ('pairing.holiday_visit.days_after', NULL, 7, true, '落实重要节假日走访慰问 (county reading: up to 7 days after)'),
    ('training.new_labour.min_age', NULL, 16, true, '城镇困难家庭新成长劳动力 (county reading: 16 to 24)'),
    ('training.new_labour.max_age', NULL, 24, true, '城镇困难家庭新成长劳动力 (county reading: 16 to 24)'),
    ('training.refusal.exclusion_months', NULL, 12, true, '拒绝参加技能培训和就业援助的不予实施困难救助 (county reading: 12 months)'),
    ('employer.subsidy.window_months', NULL, 12, true, '期限1年'),
    ('business.fee_waiver_rate', '[0,) 100%', NULL, true, '对就业困难人员自主创业从事个体经营的减免登记类收费 (减免: read as waived in full)'),
    ('business.rent_concession_rate', '[0,) 50%', NULL, true, '房屋租赁费用上给予优惠 (no figure in the text: the county''s default ceiling)');
ALTER TABLE bangfu.policy ENABLE TRIGGER policy_guard;

-- A parameter's value in force on a date, for the register's triggers (SQL
-- cannot reach the C cache of the rules).  NULL when nothing is in force.
CREATE FUNCTION bangfu.policy_count(param text, on_date date)
RETURNS integer
LANGUAGE sql STABLE STRICT PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
    SELECT p.count FROM bangfu.policy p
     WHERE p.param OPERATOR(pg_catalog.=) policy_count.param
       AND p.valid_from OPERATOR(pg_catalog.<=) policy_count.on_date
     ORDER BY p.valid_from DESC
     LIMIT 1
$$;
COMMENT ON FUNCTION bangfu.policy_count(text, date) IS
    '十二 the count of a parameter in force on a date (a dated policy figure such as 三''s one resident per leader).';

CREATE FUNCTION bangfu.policy_tiers(param text, on_date date)
RETURNS bangfu.tiers
LANGUAGE sql STABLE STRICT PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
    SELECT p.tiers FROM bangfu.policy p
     WHERE p.param OPERATOR(pg_catalog.=) policy_tiers.param
       AND p.valid_from OPERATOR(pg_catalog.<=) policy_tiers.on_date
     ORDER BY p.valid_from DESC
     LIMIT 1
$$;
COMMENT ON FUNCTION bangfu.policy_tiers(text, date) IS
    '十二 the schedule of a parameter in force on a date (a dated policy rate such as 十''s fee waiver).';

-- The important holidays (三 重要节假日走访慰问), kept as dated data: the
-- State Council fixes the lunar holidays year by year, so the office enters
-- each year's days; nothing is shipped.
CREATE TABLE bangfu.holiday (
    day         date PRIMARY KEY CHECK (pg_catalog.isfinite(day)),
    name        text NOT NULL CHECK (name OPERATOR(pg_catalog.<>) ''),
    note        text,
    recorded_at timestamptz NOT NULL DEFAULT pg_catalog.now(),
    recorded_by name NOT NULL DEFAULT CURRENT_USER
);
COMMENT ON TABLE bangfu.holiday IS
    '三 the important holidays at which leaders visit the residents they help (重要节假日走访慰问): one row per holiday and year (春节 2026-02-17, 中秋节 2026-09-25 ...), entered by the leading group office.';

CREATE FUNCTION bangfu.last_holiday(on_date date)
RETURNS date
LANGUAGE sql STABLE STRICT PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
    SELECT max(h.day) FROM bangfu.holiday h WHERE h.day OPERATOR(pg_catalog.<=) last_holiday.on_date
$$;
COMMENT ON FUNCTION bangfu.last_holiday(date) IS
    '三 the last important holiday on or before a date (NULL before the first one recorded).';

SELECT pg_catalog.pg_extension_config_dump('bangfu.holiday', '');

GRANT SELECT ON bangfu.holiday TO PUBLIC;
GRANT INSERT, UPDATE, DELETE ON bangfu.holiday TO bangfu_policy_admin;


-- ==== money (issue 13) =====================================================
-- the fund_uncommitted limit, the relief reserve parameter and the
-- acknowledgement of a policy change that reaches back
-- (src/policy_money.sql, the same statements).

-- ---------------------------------------------------------------------------
-- Money that can be followed (一, 二, 九, 十二; issue 13): what bangfu itself
-- keeps for the funds' commitments and for policy changes that reach back.
-- ---------------------------------------------------------------------------

-- 二, 一: approving a relief grant commits its two installments against the
-- relief fund; the uncommitted balance (money in, less money out, less what
-- approved grants still owe) never goes below zero.  A book shared by the
-- fund ledger and the commitments (bangfu_register.fund_commitment).
INSERT INTO bangfu.limit_def (name, clause, unit, period, direction, zero_cap, subjects, description, shipped) VALUES
    ('fund_uncommitted', '一, 二', 'money', 'lifetime', -1, true, 1,
     'A fund''s uncommitted balance (credits minus disbursements minus what approved grants still owe) never goes below zero: no grant is approved that the fund cannot pay.',
     true);

-- The allocation rule when the relief fund runs short (二 lists the reasons
-- from the gravest, 因患危重疾病或意外事故 first): approval beyond the
-- uncommitted balance is refused, and of that balance this much is kept for
-- critical_illness grants; a grant for any other reason is approved only if
-- the uncommitted balance after it is still at least this.  The seed sets no
-- figure: 0 (every reason alike) unless the county records one from a date.
INSERT INTO bangfu.policy_param (param, kind, clause, description) VALUES
    ('relief.fund.reserve', 'amount', '二, 一',
     'Of the relief fund''s uncommitted balance, the part kept for grants for critical illness or accident (因患危重疾病或意外事故): a grant for another reason must leave at least this uncommitted.');
-- (a fresh install ships it before policy_guard exists, src/roles.sql)
ALTER TABLE bangfu.policy DISABLE TRIGGER policy_guard;
INSERT INTO bangfu.policy (param, amount, shipped, note) VALUES
    ('relief.fund.reserve', 0, true, 'the seed sets no reserve: every reason alike, first approved first committed');
ALTER TABLE bangfu.policy ENABLE TRIGGER policy_guard;

-- 十二 a change dated in the past.  A policy version whose valid_from lies
-- before the day it is recorded is accepted only with an acknowledgement
-- written with it (column backdate_ack: why, and on whose decision; who
-- recorded it and when are the row's recorded_by and recorded_at), whether
-- or not benefits are already recorded in those years: the county's
-- decision is what goes back, not only what it costs today.  Changing a
-- version's value or date, where the older of its old and new valid_from
-- lies in the past, needs a new acknowledgement.  A version from today or
-- later needs none.  Shipped defaults (from -infinity) are the install's,
-- and a restore (pg_dump's COPY) loads rows as they were.  Whether such a
-- change makes arrears (补发) or overpayments is a separate question,
-- bangfu.policy_reaches_back (named in the refusal's detail).
ALTER TABLE bangfu.policy ADD COLUMN backdate_ack text;
COMMENT ON COLUMN bangfu.policy.backdate_ack IS
    '十二 the acknowledgement of a change dated in the past (valid_from before the day it is recorded): why, and on whose decision; what was paid may become owed or overpaid (bangfu.policy_reaches_back, bangfu_register.arrears). Required on every such row, a new one on each change of its value or date.';

-- Benefits recorded in the calendar year of from_date or later (the yearly
-- limits' ledger): SECURITY DEFINER over a date, as policy admins do not
-- read the ledger (ID numbers, issue 8); answers only yes or no.
CREATE FUNCTION bangfu.policy_reaches_back(from_date date)
RETURNS boolean
LANGUAGE sql STABLE STRICT
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
    SELECT from_date OPERATOR(pg_catalog.<) CURRENT_DATE
       AND EXISTS (SELECT FROM bangfu.usage u
                    WHERE u.period OPERATOR(pg_catalog.>) 0
                      AND u.period OPERATOR(pg_catalog.>=) extract(year FROM from_date)
                      AND u.used OPERATOR(pg_catalog.<>) 0)
$$;
REVOKE ALL ON FUNCTION bangfu.policy_reaches_back(date) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION bangfu.policy_reaches_back(date) TO bangfu_policy_admin;
COMMENT ON FUNCTION bangfu.policy_reaches_back(date) IS
    '十二 whether a policy version from this day reaches back over what was paid (arrears 补发 or overpayments may follow): the day is before today and benefits are recorded under a yearly limit in its year or later. Every version dated before today needs an acknowledgement (bangfu.policy.backdate_ack) whatever this says.';

CREATE FUNCTION bangfu.policy_backdate() RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    -- blank is none: spaces, tabs, line breaks, the full-width space (U+3000)
    blanks constant text := E' \t\n\r\f\x0B　';
    changed boolean;
    from_date date;
    from_year text;
    msg_key text;
BEGIN
    IF NEW.shipped THEN
        RETURN NEW;
    END IF;
    changed := TG_OP = 'INSERT'
               OR (NEW.param, NEW.valid_from, NEW.tiers::text, NEW.amount, NEW.count, NEW.band)
                  IS DISTINCT FROM (OLD.param, OLD.valid_from, OLD.tiers::text, OLD.amount, OLD.count, OLD.band);
    -- A change of the note (or of the acknowledgement's wording) alone needs
    -- none; but an acknowledgement once recorded is not taken away.
    IF NOT changed
       AND NOT (coalesce(btrim(NEW.backdate_ack, blanks), '') = ''
                AND coalesce(btrim(OLD.backdate_ack, blanks), '') <> '') THEN
        RETURN NEW;
    END IF;
    from_date := CASE WHEN TG_OP = 'UPDATE' THEN least(NEW.valid_from, OLD.valid_from) ELSE NEW.valid_from END;
    IF from_date OPERATOR(pg_catalog.>=) CURRENT_DATE THEN
        RETURN NEW;
    END IF;
    IF starts_with(current_query(), 'COPY ') AND bangfu.is_restore_copy(TG_RELID) THEN
        RETURN NEW;
    END IF;
    IF coalesce(btrim(NEW.backdate_ack, blanks), '') = ''
       OR (changed AND TG_OP = 'UPDATE' AND NEW.backdate_ack IS NOT DISTINCT FROM OLD.backdate_ack) THEN
        -- the detail says whether benefits are recorded in those years
        -- (one look at the ledger, only on the way to a refusal)
        msg_key := CASE WHEN bangfu.policy_reaches_back(from_date) THEN 'policy_backdated'
                        ELSE 'policy_backdated_unpaid' END;
        from_year := CASE WHEN isfinite(from_date) THEN extract(year FROM from_date)::text
                          ELSE from_date::text END;
        PERFORM bangfu.raise_error(msg_key, NEW.param, NEW.valid_from, from_year);
    END IF;
    RETURN NEW;
END
$$;
REVOKE ALL ON FUNCTION bangfu.policy_backdate() FROM PUBLIC;
COMMENT ON FUNCTION bangfu.policy_backdate() IS
    '十二 trigger: a policy version dated before today (the older of its old and new valid_from on a change of value or date) is refused (22023) without an acknowledgement (column backdate_ack), a new one on each change, and one recorded is not blanked afterwards; shipped rows and a restore are let through. The refusal says whether benefits are recorded in those years (bangfu.policy_reaches_back).';
CREATE TRIGGER policy_backdate BEFORE INSERT OR UPDATE ON bangfu.policy
    FOR EACH ROW EXECUTE FUNCTION bangfu.policy_backdate();

-- ==== view comments ======================================================
-- Every column of every view is commented (issue 13: reports for tools).
COMMENT ON COLUMN bangfu.limit_attachment.tab IS
    'The guarded table.';
COMMENT ON COLUMN bangfu.limit_attachment.limit_name IS
    'The limit (bangfu.limit_def.name) its trigger enforces.';
COMMENT ON COLUMN bangfu.limit_attachment.mode IS
    'reject (refuse a row over the cap) or clamp (cut the amount to what is left).';
COMMENT ON COLUMN bangfu.limit_attachment.amount_col IS
    'Column holding the amount counted; NULL for a count limit (each row counts one).';
COMMENT ON COLUMN bangfu.limit_attachment.date_col IS
    'Column whose date places a row in its period and picks the cap in force; NULL: the day the row is written.';
COMMENT ON COLUMN bangfu.limit_attachment.subject_cols IS
    'Columns naming whom the cap is per (a person, a household, an employer and employee).';
COMMENT ON COLUMN bangfu.limit_attachment.trigger_name IS
    'Name of the BEFORE row trigger that guards the table.';
COMMENT ON COLUMN bangfu.limit_attachment.books IS
    'common: counted with every admitted table (bangfu.limit_share); own: this tables books alone.';
COMMENT ON COLUMN bangfu.limit_attachment.enabled IS
    'false when a trigger of the attachment was disabled (ALTER TABLE ... DISABLE TRIGGER, or ENABLE REPLICA TRIGGER) or dropped by hand: rows written meanwhile are neither checked nor booked, and bangfu.limit_check() shows them.';
COMMENT ON COLUMN bangfu.usage_report.limit_name IS
    'The limit (bangfu.limit_def.name).';
COMMENT ON COLUMN bangfu.usage_report.clause IS
    'The policy clause of the limit (四(1), 五, 八(1) …).';
COMMENT ON COLUMN bangfu.usage_report.tab IS
    'The guarded table the use was recorded from.';
COMMENT ON COLUMN bangfu.usage_report.subject IS
    'Whom the use is of, as the limits subject key (ID numbers as stored; bangfu.usage is not granted to readers).';
COMMENT ON COLUMN bangfu.usage_report.period IS
    'The calendar year the use falls in, or 0 for a lifetime limit.';
COMMENT ON COLUMN bangfu.usage_report.used IS
    'Use recorded so far: yuan to the fen for a money limit, a count otherwise.';

-- ==== runtime ==============================================================
-- One rule runtime and one explanation shape (issue 11).  The install
-- script's files were regrouped, one per clause (src/relief.sql,
-- src/medical.sql, ...), without changing any object, so nothing here
-- creates or alters one.  What changes with the new bangfu.so is the jsonb
-- of every *_explain function, documented field by field in doc/explain.md:
-- each one now carries "rule", "function", "scenario" (null for the policy
-- in force), "policy_valid_from" (null when no policy was read) and
-- "policy" ({} then); medical_reduction_explain and illness_relief_explain
-- gain "policy" (the schedule's and the yearly cap's versions), their
-- "scenario" is the scenario given (it was always null), their
-- "policy_valid_from" is the newer of those two versions, and
-- "yearly_cap_valid_from" is gone (it is "policy"'s entry of the cap).
-- The SQL declarations of those functions are unchanged.


-- ==== suites: install guards in the clerk's language (issue 10) ==========

-- bangfu.install_refusal is made at the top of this script (the update
-- guard needs it); the install guard, shared with bangfu_register's script,
-- raises its refusals through it, as src/base.sql has it.
CREATE OR REPLACE FUNCTION bangfu.install_guard(ext pg_catalog.text, schemas pg_catalog.text[])
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


-- The notice of the section on the register (issue 9), now that
-- bangfu.message_text can give it in the clerk's language.
DO $notice$
BEGIN
    RAISE NOTICE '%', bangfu.message_text('register_adopt_notice');
END
$notice$;


-- ==== dropsafe: no DROP deletes entered rows silently (src/drop_guard.sql) ====

-- ---------------------------------------------------------------------------
-- Dropping never deletes entered data silently (十二: the policy versions a
-- county enters when it raises a standard, its scenarios, its own limits
-- and their ledger, its holidays and its register are its record).
--
-- One guard for both extensions.  DROP EXTENSION bangfu [CASCADE], DROP
-- EXTENSION bangfu_register, CASCADE from an extension they are built on,
-- DROP SCHEMA bangfu [or bangfu_register] CASCADE and DROP OWNED BY their
-- owner would take their tables with them; while a table of an extension
-- the statement would drop holds rows the county entered, the statement is
-- refused (2BP01), naming the tables and their rows, unless the same
-- session said, for that extension,
--     SET LOCAL bangfu.drop_with_data = on;            -- bangfu's own rows
--     SET LOCAL bangfu_register.drop_with_data = on;   -- the register's
-- What "entered" means is what pg_dump keeps: the tables and conditions
-- each extension registered with pg_extension_config_dump.  Export first:
-- doc/operations.md, "Removing bangfu".
-- ---------------------------------------------------------------------------

-- Rows the county entered in an extension's tables, largest first: what
-- pg_dump keeps of them, which is what a DROP would delete.  With the
-- caller's rights: it counts only what the caller may read.
CREATE FUNCTION bangfu.entered_rows(ext name)
RETURNS TABLE (tab regclass, entered bigint)
LANGUAGE plpgsql STABLE STRICT
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    r record;
    n bigint;
BEGIN
    FOR r IN SELECT c.oid, coalesce(x.cond, '') AS cond
               FROM pg_extension e
              CROSS JOIN LATERAL unnest(e.extconfig, e.extcondition) AS x(tab, cond)
               JOIN pg_class c ON c.oid OPERATOR(pg_catalog.=) x.tab
              WHERE e.extname OPERATOR(pg_catalog.=) entered_rows.ext
                AND c.relkind IN ('r', 'p')
              ORDER BY c.oid
    LOOP
        -- the condition is the extension script's own (pg_extension_config_dump),
        -- a WHERE and/or an ORDER BY, read as pg_dump reads it
        EXECUTE format('SELECT count(*) FROM (SELECT FROM %s %s) s', r.oid::regclass, r.cond) INTO n;
        IF n OPERATOR(pg_catalog.>) 0 THEN
            tab := r.oid;
            entered := n;
            RETURN NEXT;
        END IF;
    END LOOP;
END
$$;
COMMENT ON FUNCTION bangfu.entered_rows(name) IS
    '十二 the tables of an extension (bangfu, bangfu_register) holding rows the county entered -- what pg_dump keeps of them, shipped rows not counted -- with their row counts: what a DROP would delete.';

-- The value of a setting when this session set it itself (SET or SET LOCAL),
-- else NULL: a default planted with ALTER DATABASE or ALTER ROLE ... SET
-- (which a database owner, or any role for itself, may do), a configuration
-- file or connection options do not count.  bangfu's library declares its
-- settings; until it is loaded in the session, a SET of one is a
-- placeholder, which pg_settings does not show (loading it turns the
-- placeholder into the setting, its source kept), so it is loaded first.
CREATE FUNCTION bangfu.session_setting(setting_name text)
RETURNS text
LANGUAGE plpgsql STABLE STRICT
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    v text;
BEGIN
    PERFORM bangfu.version();
    SELECT s.setting INTO v FROM pg_catalog.pg_settings s
     WHERE s.name OPERATOR(pg_catalog.=) setting_name
       AND s.source OPERATOR(pg_catalog.=) 'session';
    RETURN v;
END
$$;
COMMENT ON FUNCTION bangfu.session_setting(text) IS
    '十二 a setting''s value when this session set it itself (SET or SET LOCAL), else NULL: not a database, role or file default. Read by bangfu.drop_with_data and the trigger policy_supersede (bangfu.backdate_ack).';

-- Did this session say, itself, that a DROP may take ext's data?  A SET or
-- SET LOCAL of <ext>.drop_with_data counts; a default planted with ALTER
-- DATABASE or ALTER ROLE ... SET (which a database owner may do), a
-- configuration file or connection options do not.
CREATE FUNCTION bangfu.drop_with_data(ext name)
RETURNS boolean
LANGUAGE sql STABLE STRICT
SET search_path = pg_catalog, pg_temp
AS $$
    SELECT coalesce(lower(bangfu.session_setting(drop_with_data.ext::text OPERATOR(pg_catalog.||) '.drop_with_data'))
                    IN ('on', 'true', 'yes', '1'),
                    false)
$$;
COMMENT ON FUNCTION bangfu.drop_with_data(name) IS
    '十二 true when this session set <ext>.drop_with_data on itself (SET or SET LOCAL; not a database, role or file default): a DROP may then delete the extension''s entered rows.';

-- Called by the event trigger with what a DROP statement names: refuses
-- when the statement would drop bangfu or the register while it holds
-- entered rows.  With the caller's rights, which every DROP runs under:
-- only an extension whose owner the caller acts for is looked at (anyone
-- else's DROP of it is refused by PostgreSQL itself, as before, and learns
-- nothing of its rows); anyone's own DROPs pass.
CREATE FUNCTION bangfu.drop_check(kind text, names text[], cascade boolean)
RETURNS void
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    e record;
    hit boolean;
    hits name[] := '{}';
    listing text;
BEGIN
    -- Which of the two the statement drops: bangfu first, for the register
    -- is built on it and goes where it goes.
    FOR e IN SELECT x.oid, x.extname, x.extowner, n.nspname
               FROM pg_extension x JOIN pg_namespace n ON n.oid OPERATOR(pg_catalog.=) x.extnamespace
              WHERE x.extname IN ('bangfu', 'bangfu_register')
              ORDER BY x.extname OPERATOR(pg_catalog.=) 'bangfu_register'
    LOOP
        hit := CASE kind
            WHEN 'extension' THEN
                e.extname OPERATOR(pg_catalog.=) ANY (names)
                -- CASCADE from an extension it is built on: one whose
                -- objects it or its objects use (plpgsql; bangfu for the register)
                OR (cascade AND EXISTS (
                    SELECT FROM pg_extension x
                     WHERE x.extname OPERATOR(pg_catalog.=) ANY (names)
                       AND x.oid OPERATOR(pg_catalog.<>) e.oid
                       AND EXISTS (SELECT FROM pg_depend d
                                    WHERE (d.classid, d.objid) IN (SELECT 'pg_extension'::regclass, e.oid
                                                                   UNION ALL
                                                                   SELECT m.classid, m.objid FROM pg_depend m
                                                                    WHERE m.refclassid OPERATOR(pg_catalog.=) 'pg_extension'::regclass
                                                                      AND m.refobjid OPERATOR(pg_catalog.=) e.oid
                                                                      AND m.deptype OPERATOR(pg_catalog.=) 'e')
                                      AND ((d.refclassid, d.refobjid) IN (SELECT 'pg_extension'::regclass, x.oid
                                                                          UNION ALL
                                                                          SELECT m.classid, m.objid FROM pg_depend m
                                                                           WHERE m.refclassid OPERATOR(pg_catalog.=) 'pg_extension'::regclass
                                                                             AND m.refobjid OPERATOR(pg_catalog.=) x.oid
                                                                             AND m.deptype OPERATOR(pg_catalog.=) 'e')))))
            WHEN 'schema' THEN
                cascade AND e.nspname OPERATOR(pg_catalog.=) ANY (names)
            WHEN 'owned' THEN
                EXISTS (SELECT FROM pg_roles r WHERE r.oid OPERATOR(pg_catalog.=) e.extowner
                                                 AND r.rolname OPERATOR(pg_catalog.=) ANY (names))
            ELSE false END
            -- the register goes with bangfu, unless PostgreSQL refuses (no CASCADE)
            OR (e.extname OPERATOR(pg_catalog.=) 'bangfu_register' AND 'bangfu' OPERATOR(pg_catalog.=) ANY (hits)
                AND (cascade OR kind OPERATOR(pg_catalog.=) 'owned'));
        -- only what the caller may drop: anyone else is refused by PostgreSQL
        IF hit AND pg_has_role(e.extowner, 'USAGE') THEN
            hits := hits OPERATOR(pg_catalog.||) e.extname;
        END IF;
    END LOOP;
    -- The register's rows first (its message names the register), then bangfu's.
    FOR e IN SELECT x.oid, x.extname FROM pg_extension x
              WHERE x.extname OPERATOR(pg_catalog.=) ANY (hits)
              ORDER BY x.extname OPERATOR(pg_catalog.=) 'bangfu'
    LOOP
        SELECT string_agg(bangfu.message_text('table_rows', x.tab, x.entered), ', ' ORDER BY x.entered DESC, x.tab::text)
          INTO listing FROM bangfu.entered_rows(e.extname) x;
        IF listing IS NOT NULL AND NOT bangfu.drop_with_data(e.extname) THEN
            PERFORM bangfu.raise_error(CASE e.extname WHEN 'bangfu' THEN 'bangfu_drop_with_data'
                                                      ELSE 'register_drop_with_data' END, listing);
        END IF;
        -- The register goes: so do the limits it added to bangfu, whose cap
        -- is its function (relief_quota); if this DROP fails after all, the
        -- transaction takes this back too.
        IF e.extname OPERATOR(pg_catalog.<>) 'bangfu' AND NOT 'bangfu' OPERATOR(pg_catalog.=) ANY (hits) THEN
            DELETE FROM bangfu.limit_def l
             WHERE l.shipped
               AND EXISTS (SELECT FROM pg_depend d
                            WHERE d.classid OPERATOR(pg_catalog.=) 'pg_proc'::regclass
                              AND d.objid OPERATOR(pg_catalog.=) pg_catalog.to_regprocedure(l.cap_function::text)
                              AND d.refclassid OPERATOR(pg_catalog.=) 'pg_extension'::regclass
                              AND d.refobjid OPERATOR(pg_catalog.=) e.oid
                              AND d.deptype OPERATOR(pg_catalog.=) 'e');
        END IF;
    END LOOP;
END
$$;
COMMENT ON FUNCTION bangfu.drop_check(text, text[], boolean) IS
    '十二 refuses (2BP01) a DROP EXTENSION, DROP SCHEMA ... CASCADE or DROP OWNED that would delete bangfu or the ready register while it holds entered rows, naming the tables and rows, unless the session set bangfu.drop_with_data (bangfu_register.drop_with_data for the register) on in the transaction. Looks only at extensions the caller acts for the owner of.';

-- The event trigger reads the DROP statement itself (in C: which extension,
-- which schema or role, CASCADE or not) before anything is dropped, then
-- asks drop_check.  It must fire before: once the DROP has run, the tables
-- and their rows are gone, and so is this trigger.
CREATE FUNCTION bangfu.drop_guard() RETURNS event_trigger
    AS 'MODULE_PATHNAME', 'bf_drop_guard' LANGUAGE C;
COMMENT ON FUNCTION bangfu.drop_guard() IS
    '十二 ddl_command_start event trigger: hands drop_check what a DROP EXTENSION, DROP SCHEMA or DROP OWNED statement names.';
CREATE EVENT TRIGGER bangfu_drop_guard ON ddl_command_start
    WHEN TAG IN ('DROP EXTENSION', 'DROP SCHEMA', 'DROP OWNED')
    EXECUTE FUNCTION bangfu.drop_guard();
COMMENT ON EVENT TRIGGER bangfu_drop_guard IS
    'Refuses to drop bangfu or the ready register while they hold entered rows (bangfu.drop_check).';



-- Issue (2) of dropsafe: a limit attached by hand to a table of the register
-- (an extension's table, whose triggers pg_dump does not write) is kept in
-- bangfu.limit_member_attachment and made again by a restore
-- (src/limits.sql, src/restore.sql).
-- The triggers of one attachment (attach_limit's, and a restore's of an
-- attachment to an extension's table): with the caller's rights, which
-- must own the table.  It checks nothing: attach_limit checks before, and
-- what it does any table owner may do with CREATE TRIGGER ...
-- bangfu.limit_guard(...).
CREATE FUNCTION bangfu.limit_attach_triggers(tab regclass, p_limit text, mode text, amount text,
                                             on_date text, subject text[])
RETURNS void
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    c text;
    args text;
    trig text;
    part regclass;
BEGIN
    args := format('%L, %L, %L, %L', p_limit, mode, amount, on_date);
    FOREACH c IN ARRAY subject LOOP
        args := args || format(', %L', c);
    END LOOP;
    trig := 'zz_bangfu_' || p_limit;
    EXECUTE format('LOCK TABLE %s IN SHARE ROW EXCLUSIVE MODE', tab);
    -- BEFORE DELETE too: what a deleted row gives back counts at once for
    -- the statement's later rows (an UPDATE moving a row to another
    -- partition is a DELETE and an INSERT)
    EXECUTE format('CREATE TRIGGER %I BEFORE INSERT OR UPDATE OR DELETE ON %s FOR EACH ROW EXECUTE FUNCTION bangfu.limit_guard(%s)',
                   trig, tab, args);
    EXECUTE format('CREATE TRIGGER %I AFTER INSERT OR UPDATE OR DELETE ON %s FOR EACH ROW EXECUTE FUNCTION bangfu.limit_guard(%s)',
                   trig || '_after', tab, args);
    EXECUTE format('CREATE TRIGGER %I AFTER INSERT OR UPDATE OR DELETE ON %s FOR EACH STATEMENT EXECUTE FUNCTION bangfu.limit_flush()',
                   trig || '_flush', tab);
    IF NOT EXISTS (SELECT FROM pg_trigger WHERE tgrelid = tab AND tgname = 'zz_bangfu_no_truncate') THEN
        EXECUTE format('CREATE TRIGGER zz_bangfu_no_truncate BEFORE TRUNCATE ON %s FOR EACH STATEMENT EXECUTE FUNCTION bangfu.limit_no_truncate()', tab);
    END IF;
    -- Statement triggers are not cloned to partitions: a row written straight
    -- into a partition is booked by the partition's own.
    FOR part IN SELECT p.relid FROM pg_partition_tree(tab) p WHERE p.relid <> tab LOOP
        EXECUTE format('CREATE TRIGGER %I AFTER INSERT OR UPDATE OR DELETE ON %s FOR EACH STATEMENT EXECUTE FUNCTION bangfu.limit_flush()',
                       trig || '_flush', part);
        IF NOT EXISTS (SELECT FROM pg_trigger WHERE tgrelid = part AND tgname = 'zz_bangfu_no_truncate') THEN
            EXECUTE format('CREATE TRIGGER zz_bangfu_no_truncate BEFORE TRUNCATE ON %s FOR EACH STATEMENT EXECUTE FUNCTION bangfu.limit_no_truncate()', part);
        END IF;
    END LOOP;
END
$$;
COMMENT ON FUNCTION bangfu.limit_attach_triggers(regclass, text, text, text, text, text[]) IS
    'Internal: the triggers of one attachment of a limit to a table (arguments as bangfu.limit_guard takes them), with the caller''s rights; attach_limit checks the attachment first.';

-- Is tab a table of an extension (the register's)?  pg_dump writes no
-- trigger of such a table.
CREATE FUNCTION bangfu.is_member_table(tab regclass)
RETURNS boolean
LANGUAGE sql STABLE STRICT
SET search_path = pg_catalog, pg_temp
AS $$
    SELECT EXISTS (SELECT FROM pg_depend d
                    WHERE d.classid OPERATOR(pg_catalog.=) 'pg_class'::regclass
                      AND d.objid OPERATOR(pg_catalog.=) tab::oid
                      AND d.refclassid OPERATOR(pg_catalog.=) 'pg_extension'::regclass
                      AND d.deptype OPERATOR(pg_catalog.=) 'e')
$$;
COMMENT ON FUNCTION bangfu.is_member_table(regclass) IS
    'Whether a table belongs to an extension (the ready register''s tables): pg_dump does not write its triggers.';

CREATE FUNCTION bangfu.in_extension_script() RETURNS boolean
    AS 'MODULE_PATHNAME', 'bf_in_extension_script' LANGUAGE C STABLE;
COMMENT ON FUNCTION bangfu.in_extension_script() IS
    'Internal: whether an extension''s script is running (the register attaching its own limits, which come back with CREATE EXTENSION).';

-- Limits attached by hand (by the owner of the extension, a superuser) to a
-- table of an extension, the register's: pg_dump writes no trigger of an
-- extension's table, so the attachment is kept here, which pg_dump keeps,
-- and a restore makes its triggers again from it (limit_member_restore).
-- Written by attach_limit and detach_limit; a dropped table's rows go with
-- it (forget_dropped_tables).
CREATE TABLE bangfu.limit_member_attachment (
    tab          regclass NOT NULL,
    limit_name   text NOT NULL REFERENCES bangfu.limit_def ON DELETE CASCADE,
    mode         text NOT NULL CHECK (mode IN ('clamp', 'reject')),
    amount_col   name,
    date_col     name,
    subject_cols name[] NOT NULL,
    PRIMARY KEY (tab, limit_name)
);
COMMENT ON TABLE bangfu.limit_member_attachment IS
    'Limits attached by hand to tables of an extension (the ready register''s), whose triggers pg_dump does not write: kept here for pg_dump, and made again from here by a restore. Mirrors bangfu.limit_attachment for those tables.';

-- A restore loads the kept attachments: their triggers are made again (a
-- new database has only those the register's script makes) and the
-- ledger of the table is counted from its rows, as a restore's COPY of the
-- table itself does (bangfu.restore_end), without judging them.  Only a
-- superuser writes this table (no grant), so only a superuser can make it
-- create triggers.
CREATE FUNCTION bangfu.limit_member_restore() RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    -- pg_restore -j may load the kept attachments before the limit they
    -- name: the limit's own load makes them then (limit_member_pending)
    IF NOT EXISTS (SELECT FROM bangfu.limit_def d WHERE d.name OPERATOR(pg_catalog.=) NEW.limit_name) THEN
        RETURN NULL;
    END IF;
    IF NOT EXISTS (SELECT FROM bangfu.limit_attachment a
                    WHERE a.tab OPERATOR(pg_catalog.=) NEW.tab AND a.limit_name OPERATOR(pg_catalog.=) NEW.limit_name) THEN
        PERFORM bangfu.limit_attach_triggers(NEW.tab, NEW.limit_name, NEW.mode, coalesce(NEW.amount_col::text, ''),
                                             coalesce(NEW.date_col::text, ''), NEW.subject_cols::text[]);
        PERFORM bangfu.restore_count(NEW.tab, NEW.limit_name);
    END IF;
    RETURN NULL;
END
$$;
COMMENT ON FUNCTION bangfu.limit_member_restore() IS
    '十二 a kept attachment loaded (a restore): makes its triggers again if the table has none for the limit, and counts the table''s ledger from its rows; one whose limit is not loaded yet is left to the limit''s load (limit_member_pending).';
CREATE TRIGGER limit_member_restore AFTER INSERT ON bangfu.limit_member_attachment
    FOR EACH ROW EXECUTE FUNCTION bangfu.limit_member_restore();
ALTER TABLE bangfu.limit_member_attachment ENABLE ALWAYS TRIGGER limit_member_restore;

CREATE OR REPLACE FUNCTION bangfu.attach_limit(tab regclass, limit_name text, subject text[],
                                    amount name DEFAULT NULL, on_date name DEFAULT NULL,
                                    mode text DEFAULT 'reject', books text DEFAULT 'own')
RETURNS void
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    def bangfu.limit_def;
    c text;
    admitted boolean;
BEGIN
    SELECT * INTO def FROM bangfu.limit_def d WHERE d.name = attach_limit.limit_name;
    IF NOT FOUND THEN
        PERFORM bangfu.raise_error('limit_unknown', attach_limit.limit_name);
    END IF;
    IF mode IS NULL OR mode NOT IN ('clamp', 'reject') THEN
        PERFORM bangfu.raise_error('limit_unknown_mode', mode);
    END IF;
    IF def.unit = 'rows' AND mode = 'clamp' THEN
        PERFORM bangfu.raise_error('limit_rows_no_clamp', def.name);
    END IF;
    IF (def.unit <> 'rows') <> (amount IS NOT NULL) THEN
        PERFORM bangfu.raise_error(CASE WHEN def.unit = 'rows' THEN 'limit_rows_no_amount' ELSE 'limit_needs_amount' END,
                                   def.name, def.unit);
    END IF;
    IF coalesce(array_length(subject, 1), 0) <> def.subjects THEN
        PERFORM bangfu.raise_error(CASE WHEN def.subjects = 0 THEN 'limit_subject_count_none' ELSE 'limit_subject_count' END,
                                   def.name, def.subjects, coalesce(array_length(subject, 1), 0));
    END IF;
    IF books IS NULL OR books NOT IN ('own', 'common') THEN
        PERFORM bangfu.raise_error('limit_unknown_books', books);
    END IF;
    admitted := EXISTS (SELECT FROM bangfu.limit_share s WHERE s.tab = attach_limit.tab AND s.limit_name = def.name);
    IF books = 'common' AND NOT admitted THEN
        PERFORM bangfu.raise_error('limit_not_admitted',
                                   tab,
                                   def.name,
                                   quote_nullable(def.name),
                                   quote_nullable(tab::text));
    END IF;
    IF books = 'own' AND admitted THEN
        PERFORM bangfu.raise_error('limit_admitted_use_common', tab, def.name);
    END IF;
    IF def.period = 'year' AND on_date IS NULL THEN
        PERFORM bangfu.raise_error('limit_needs_date', def.name);
    END IF;
    -- emptied by a crash and not on standbys, while the ledger keeps its use
    IF (SELECT c.relpersistence FROM pg_class c WHERE c.oid = tab) = 'u' THEN
        PERFORM bangfu.raise_error('limit_unlogged', tab, def.name, tab);
    END IF;
    -- a partition: rows written through its partitioned table would be
    -- checked by its triggers, but the statement's flush fires only for the
    -- table the statement names
    IF (SELECT c.relispartition FROM pg_class c WHERE c.oid = tab) THEN
        PERFORM bangfu.raise_error('limit_on_partition', tab, pg_partition_root(tab), def.name);
    END IF;
    -- plain inheritance: a child's rows are read with the table's, but no
    -- trigger of the table fires for them
    IF EXISTS (SELECT FROM pg_inherits i JOIN pg_class k ON k.oid = i.inhrelid
                WHERE i.inhparent = tab AND NOT k.relispartition) THEN
        PERFORM bangfu.raise_error('limit_inherited', tab, def.name);
    END IF;
    FOREACH c IN ARRAY coalesce(subject, '{}'::text[]) || ARRAY[amount::text, on_date::text] LOOP
        IF c IS NOT NULL AND NOT EXISTS (SELECT FROM pg_attribute
                                          WHERE attrelid = tab AND attname = c AND attnum > 0 AND NOT attisdropped) THEN
            PERFORM bangfu.raise_error('limit_no_column', tab, c);
        END IF;
    END LOOP;

    PERFORM bangfu.limit_attach_triggers(tab, def.name, mode, coalesce(amount::text, ''),
                                         coalesce(on_date::text, ''), coalesce(subject::text[], '{}'));
    -- count what the table already holds, refusing if it already breaks the limit
    PERFORM bangfu.limit_recount(tab, def.name);
    -- pg_dump writes no trigger of an extension's table: an attachment made
    -- by hand to one (the register's) is kept where pg_dump finds it
    IF bangfu.is_member_table(tab) THEN
        IF NOT bangfu.in_extension_script() THEN
            INSERT INTO bangfu.limit_member_attachment (tab, limit_name, mode, amount_col, date_col, subject_cols)
            VALUES (tab, def.name, mode, amount, on_date, coalesce(subject::name[], '{}'));
        END IF;
    END IF;
END
$$;

CREATE OR REPLACE FUNCTION bangfu.detach_limit(tab regclass, limit_name text)
RETURNS void
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    missing text[];
BEGIN
    IF NOT EXISTS (SELECT FROM bangfu.limit_def d WHERE d.name = detach_limit.limit_name) THEN
        PERFORM bangfu.raise_error('limit_unknown', limit_name);
    END IF;
    SELECT array_agg(t.n ORDER BY t.n) INTO missing
      FROM unnest(ARRAY['zz_bangfu_' || limit_name, 'zz_bangfu_' || limit_name || '_after',
                        'zz_bangfu_' || limit_name || '_flush']) AS t(n)
     WHERE NOT EXISTS (SELECT FROM pg_trigger g WHERE g.tgrelid = tab AND g.tgname = t.n);
    IF cardinality(missing) = 3 THEN
        PERFORM bangfu.raise_error('limit_not_attached_detach', limit_name, tab);
    ELSIF missing IS NOT NULL THEN
        PERFORM bangfu.raise_error('limit_partly_attached', limit_name, tab, array_to_string(missing, ', '));
    END IF;
    EXECUTE format('DROP TRIGGER %I ON %s', 'zz_bangfu_' || limit_name, tab);
    EXECUTE format('DROP TRIGGER %I ON %s', 'zz_bangfu_' || limit_name || '_after', tab);
    EXECUTE format('DROP TRIGGER %I ON %s', 'zz_bangfu_' || limit_name || '_flush', tab);
    EXECUTE coalesce((SELECT string_agg(format('DROP TRIGGER IF EXISTS %I ON %s', 'zz_bangfu_' || limit_name || '_flush', p.relid), '; ')
                        FROM pg_partition_tree(tab) p WHERE p.relid <> tab), 'SELECT');
    PERFORM bangfu.limit_forget(tab, limit_name);
    IF bangfu.is_member_table(tab) THEN
        DELETE FROM bangfu.limit_member_attachment k
         WHERE k.tab = detach_limit.tab AND k.limit_name = detach_limit.limit_name;
    END IF;
    IF NOT EXISTS (SELECT FROM bangfu.limit_attachment a WHERE a.tab = detach_limit.tab) THEN
        EXECUTE format('DROP TRIGGER IF EXISTS zz_bangfu_no_truncate ON %s', tab);
    END IF;
END
$$;

CREATE OR REPLACE FUNCTION bangfu.forget_dropped_tables() RETURNS event_trigger
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    -- DROP EXTENSION bangfu drops the ledger itself
    IF to_regclass('bangfu.usage') IS NULL THEN
        RETURN;
    END IF;
    DELETE FROM bangfu.usage u
     WHERE u.tab::oid IN (SELECT d.objid FROM pg_event_trigger_dropped_objects() d
                           WHERE d.classid = 'pg_class'::regclass AND d.objsubid = 0);
    DELETE FROM bangfu.limit_share s
     WHERE s.tab::oid IN (SELECT d.objid FROM pg_event_trigger_dropped_objects() d
                           WHERE d.classid = 'pg_class'::regclass AND d.objsubid = 0);
    DELETE FROM bangfu.limit_member_attachment k
     WHERE k.tab::oid IN (SELECT d.objid FROM pg_event_trigger_dropped_objects() d
                           WHERE d.classid = 'pg_class'::regclass AND d.objsubid = 0);
    PERFORM bangfu.limit_forget_books();
END
$$;

-- A restore's count of one attachment's ledger from the table's rows, as
-- attach_limit counts but without judging them (restore_end, and a kept
-- attachment to an extension's table made again, limit_member_restore).
CREATE FUNCTION bangfu.restore_count(tab regclass, lim text)
RETURNS void
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    DELETE FROM bangfu.usage u
     WHERE u.tab OPERATOR(pg_catalog.=) restore_count.tab AND u.limit_name OPERATOR(pg_catalog.=) lim;
    INSERT INTO bangfu.usage (limit_name, tab, subject, period, used, book)
    SELECT lim, restore_count.tab, x.subject, x.period, x.used,
           CASE WHEN EXISTS (SELECT FROM bangfu.limit_share s
                              WHERE s.tab OPERATOR(pg_catalog.=) restore_count.tab
                                AND s.limit_name OPERATOR(pg_catalog.=) lim)
                THEN 0::oid::regclass ELSE restore_count.tab END
      FROM bangfu.limit_actual(restore_count.tab, lim) x;
    PERFORM bangfu.limit_forget_books();
END
$$;
COMMENT ON FUNCTION bangfu.restore_count(regclass, text) IS
    '十二 internal: a restore counts the ledger of one attached limit of a table from its rows, without judging them against caps changed since.';
REVOKE ALL ON FUNCTION bangfu.restore_count(regclass, text) FROM PUBLIC;

CREATE OR REPLACE FUNCTION bangfu.restore_end() RETURNS trigger
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
        PERFORM bangfu.restore_count(TG_RELID::regclass, lim);
    END LOOP;
    RETURN NULL;
END
$$;

-- Who may attach a limit to an extension's table owns it (the extension's
-- owner, a superuser): the kept attachments are theirs to write, everybody's to read.
GRANT SELECT ON bangfu.limit_member_attachment TO PUBLIC;
SELECT pg_catalog.pg_extension_config_dump('bangfu.limit_member_attachment', '');
REVOKE ALL ON FUNCTION bangfu.limit_member_restore() FROM PUBLIC;
REVOKE ALL ON FUNCTION bangfu.in_extension_script() FROM PUBLIC;
-- Limits attached by hand before 0.3.0 to the register's tables (then
-- bangfu's own) are kept now, so that pg_dump carries them.  0.1.0's and
-- 0.2.0's scripts attached exactly these five; any other is the county's.
INSERT INTO bangfu.limit_member_attachment (tab, limit_name, mode, amount_col, date_col, subject_cols)
SELECT a.tab, a.limit_name, a.mode, a.amount_col, a.date_col, a.subject_cols::pg_catalog.name[]
  FROM bangfu.limit_attachment a
 WHERE bangfu.is_member_table(a.tab)
   AND NOT EXISTS (SELECT FROM (VALUES ('bangfu_register.relief_grant', 'relief_yearly'),
                                       ('bangfu_register.relief_grant', 'relief_quota'),
                                       ('bangfu_register.medical_stay', 'charity_bed_yearly'),
                                       ('bangfu_register.medical_stay', 'serious_illness_yearly'),
                                       ('bangfu_register.fund_entry', 'fund_balance')) v(t, l)
                    WHERE v.t OPERATOR(pg_catalog.=) a.tab::pg_catalog.oid::pg_catalog.regclass::pg_catalog.text
                      AND v.l OPERATOR(pg_catalog.=) a.limit_name);


-- Issue (3) of dropsafe: pg_upgrade refused a cluster with bangfu, because
-- bangfu.limit_def.cap_function was a regprocedure (pg_upgrade keeps no
-- function OIDs).  It is the function's schema-qualified signature as text
-- now, resolved when the limits are loaded; existing rows keep the
-- function they named, written with pg_catalog alone on the search_path
-- (so every other schema is spelled out).
CREATE FUNCTION bangfu.cap_function_name(f regprocedure) RETURNS text
LANGUAGE sql STABLE STRICT
SET search_path = pg_catalog, pg_temp
AS $$ SELECT f::text $$;
ALTER TABLE bangfu.limit_def ALTER COLUMN cap_function TYPE text USING bangfu.cap_function_name(cap_function);
DROP FUNCTION bangfu.cap_function_name(regprocedure);
COMMENT ON COLUMN bangfu.limit_def.cap_function IS
    'The cap as a function of the date: its signature, schema-qualified (written as the guard stores it, e.g. county.transport_cap(date)), resolved each time the limits are loaded. Text, not regprocedure: pg_upgrade keeps no function OIDs and refuses reg* columns.';

CREATE OR REPLACE FUNCTION bangfu.limit_def_guard() RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    p record;
    k text;
    fn regprocedure;
    -- the extensions' scripts run as a superuser: bangfu_register ships
    -- relief_quota and takes it away when it is dropped
    su boolean := (SELECT g.rolsuper FROM pg_roles g WHERE g.rolname OPERATOR(pg_catalog.=) current_user);
BEGIN
    IF TG_OP = 'TRUNCATE' THEN
        PERFORM bangfu.raise_error('limit_def_no_truncate');
    END IF;
    IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.shipped AND NOT (TG_OP = 'DELETE' AND su) THEN
        PERFORM bangfu.raise_error('limit_def_shipped_fixed', OLD.name);
    END IF;
    IF TG_OP IN ('UPDATE', 'DELETE')
       AND (TG_OP = 'DELETE' OR (NEW.name, NEW.unit, NEW.period, NEW.direction, NEW.subjects)
                                 IS DISTINCT FROM (OLD.name, OLD.unit, OLD.period, OLD.direction, OLD.subjects))
       AND NOT (TG_OP = 'DELETE' AND su AND OLD.shipped)
       AND (EXISTS (SELECT FROM bangfu.limit_attachment a WHERE a.limit_name OPERATOR(pg_catalog.=) OLD.name)
            OR EXISTS (SELECT FROM bangfu.usage u WHERE u.limit_name OPERATOR(pg_catalog.=) OLD.name)) THEN
        PERFORM bangfu.raise_error('limit_def_in_use', OLD.name);
    END IF;
    IF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;
    IF NEW.shipped AND NOT su THEN
        PERFORM bangfu.raise_error('limit_def_only_install');
    END IF;
    IF pg_catalog.num_nonnulls(NEW.cap_param, NEW.cap_function) OPERATOR(pg_catalog.+) NEW.zero_cap::int4 OPERATOR(pg_catalog.<>) 1 THEN
        PERFORM bangfu.raise_error('limit_def_one_cap', NEW.name);
    END IF;
    IF NEW.cap_param IS NOT NULL THEN
        SELECT pp.kind INTO k FROM bangfu.policy_param pp WHERE pp.param OPERATOR(pg_catalog.=) NEW.cap_param;
        IF k IS DISTINCT FROM (CASE WHEN NEW.unit OPERATOR(pg_catalog.=) 'money' THEN 'amount' ELSE 'count' END) THEN
            PERFORM bangfu.raise_error('limit_def_cap_kind',
                                       NEW.name,
                                       NEW.unit,
                                       CASE WHEN NEW.unit OPERATOR(pg_catalog.=) 'money' THEN 'amount' ELSE 'count' END,
                                       coalesce(k, 'unknown'));
        END IF;
    END IF;
    IF NEW.cap_function IS NOT NULL THEN
        -- the name resolves here, under this function's search_path: write
        -- it schema-qualified (an unknown name is a wrong signature)
        fn := pg_catalog.to_regprocedure(NEW.cap_function);
        SELECT f.prokind, f.proretset, f.pronargs, f.proargtypes, f.prorettype, f.prosecdef, f.proowner,
               EXISTS (SELECT FROM pg_catalog.unnest(f.proconfig) c WHERE c LIKE 'search\_path=%') AS pinned,
               r.rolsuper AS owner_super,
               EXISTS (SELECT FROM pg_depend d JOIN pg_extension e ON e.oid OPERATOR(pg_catalog.=) d.refobjid
                        WHERE d.classid OPERATOR(pg_catalog.=) 'pg_proc'::regclass
                          AND d.objid OPERATOR(pg_catalog.=) f.oid AND d.deptype OPERATOR(pg_catalog.=) 'e'
                          AND e.extname OPERATOR(pg_catalog.=) 'bangfu') AS ours
          INTO p
          FROM pg_proc f JOIN pg_roles r ON r.oid OPERATOR(pg_catalog.=) f.proowner
         WHERE f.oid OPERATOR(pg_catalog.=) fn::oid;
        IF NOT FOUND OR p.prokind OPERATOR(pg_catalog.<>) 'f' OR p.proretset OR p.pronargs OPERATOR(pg_catalog.<>) 1
           OR p.proargtypes[0] OPERATOR(pg_catalog.<>) 'date'::regtype
           OR p.prorettype NOT IN ('numeric'::regtype, 'int2'::regtype, 'int4'::regtype, 'int8'::regtype) THEN
            PERFORM bangfu.raise_error('limit_cap_fn_signature', NEW.cap_function, NEW.name);
        END IF;
        -- stored as the engine will resolve it: schema-qualified, one spelling
        NEW.cap_function := fn::text;
        IF NOT (p.prosecdef OR p.owner_super OR p.ours) THEN
            PERFORM bangfu.raise_error('limit_cap_fn_rights', NEW.cap_function, NEW.name);
        END IF;
        IF p.prosecdef AND NOT p.pinned THEN
            PERFORM bangfu.raise_error('limit_cap_fn_path', NEW.cap_function, NEW.name);
        END IF;
        -- the limit names its function by name, not by OID: only a role
        -- that may change the limits may own it, so that no one else can
        -- take the name over once the function is dropped or renamed
        IF NOT (p.owner_super OR p.ours OR pg_has_role(p.proowner, 'bangfu_policy_admin', 'USAGE')) THEN
            PERFORM bangfu.raise_error('limit_cap_fn_owner', NEW.cap_function, NEW.name, p.proowner::regrole);
        END IF;
    END IF;
    RETURN NEW;
END
$$;
COMMENT ON FUNCTION bangfu.limit_def_guard() IS
    'Keeps shipped limits unchanged (they come and go only with the extensions'' scripts, run by a superuser), limits in use from changing what they count, and refuses a limit whose cap could not be read: exactly one cap, a parameter of the right kind, a cap function of the shape date -> number that cannot run with a writer''s rights, owned by a role that may change the limits, stored by its schema-qualified name.';


-- ==== lead: kept attachments restored in any order (pg_restore -j) ====
-- The limits attached by hand to an extension's tables, kept for pg_dump in
-- bangfu.limit_member_attachment, are restored in any order as well: their
-- rows load unchecked (the limit they name may come later), and whichever of
-- the two loads comes second makes the attachment again: the kept row's own
-- trigger (limit_member_restore) when the limit is there, else the limit's
-- load (limit_member_pending).  The limit's load takes the kept rows' table
-- in a mode that waits for a load of them still running, so that neither
-- side can miss the other.
CREATE FUNCTION bangfu.limit_member_pending() RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    k record;
BEGIN
    IF NOT (starts_with(current_query(), 'COPY ') AND bangfu.is_restore_copy(TG_RELID)) THEN
        RETURN NULL;
    END IF;
    LOCK TABLE bangfu.limit_member_attachment IN SHARE ROW EXCLUSIVE MODE;
    FOR k IN SELECT m.tab, m.limit_name, m.mode, m.amount_col, m.date_col, m.subject_cols
               FROM bangfu.limit_member_attachment m
               JOIN bangfu.limit_def d ON d.name OPERATOR(pg_catalog.=) m.limit_name
              WHERE NOT EXISTS (SELECT FROM bangfu.limit_attachment a
                                 WHERE a.tab OPERATOR(pg_catalog.=) m.tab
                                   AND a.limit_name OPERATOR(pg_catalog.=) m.limit_name)
              ORDER BY m.tab::oid, m.limit_name LOOP
        PERFORM bangfu.limit_attach_triggers(k.tab, k.limit_name, k.mode, coalesce(k.amount_col::text, ''),
                                             coalesce(k.date_col::text, ''), k.subject_cols::text[]);
        PERFORM bangfu.restore_count(k.tab, k.limit_name);
    END LOOP;
    RETURN NULL;
END
$$;
REVOKE ALL ON FUNCTION bangfu.limit_member_pending() FROM PUBLIC;
COMMENT ON FUNCTION bangfu.limit_member_pending() IS
    '十二 statement trigger: a restore''s load of the limits makes again the kept attachments to extension tables that were loaded before their limit.';
CREATE TRIGGER limit_member_pending AFTER INSERT ON bangfu.limit_def
    FOR EACH STATEMENT EXECUTE FUNCTION bangfu.limit_member_pending();
ALTER TABLE bangfu.limit_def ENABLE ALWAYS TRIGGER limit_member_pending;
CREATE TRIGGER restore_begin BEFORE INSERT ON bangfu.limit_member_attachment
    FOR EACH STATEMENT EXECUTE FUNCTION bangfu.restore_begin();
CREATE TRIGGER restore_end AFTER INSERT ON bangfu.limit_member_attachment
    FOR EACH STATEMENT EXECUTE FUNCTION bangfu.restore_end();
ALTER TABLE bangfu.limit_member_attachment ENABLE ALWAYS TRIGGER restore_begin;
ALTER TABLE bangfu.limit_member_attachment ENABLE ALWAYS TRIGGER restore_end;


-- ==== policy history (十二) ===========================================

-- 十二 the policy's history.  A version whose value or date is changed, or
-- which is removed, is kept as it was in bangfu.policy_superseded, with how
-- it went, when, by whom and on what acknowledgement: no version the county
-- recorded is lost, and an auditor can tell which figures were in force when
-- a benefit was paid (a version's recorded_at to its superseded_at).
-- Removing a version dated before today needs an acknowledgement, as adding
-- or changing one does; there being no row to write it in, the session gives
-- it, and it is kept with the removed version:
--     SET LOCAL bangfu.backdate_ack = 'why, and on whose decision';
--     DELETE FROM bangfu.policy WHERE param = ... AND valid_from = ...;
-- Only a value this session set counts (SET or SET LOCAL): not a database's
-- or role's default.  The history is written by the trigger alone (SECURITY
-- DEFINER: nobody holds a privilege to write it), read by everyone, as the
-- policy is, and dumped.
CREATE TABLE bangfu.policy_superseded (
    param          text NOT NULL,
    valid_from     date NOT NULL,
    tiers          bangfu.tiers,
    amount         numeric,
    count          integer,
    band           numrange,
    note           text,
    recorded_at    timestamptz NOT NULL,
    recorded_by    name NOT NULL,
    backdate_ack   text,
    superseded     text NOT NULL CHECK (superseded IN ('changed', 'removed')),
    superseded_at  timestamptz NOT NULL,
    superseded_by  name NOT NULL,
    superseded_ack text
);
CREATE INDEX policy_superseded_version ON bangfu.policy_superseded (param, valid_from);
GRANT SELECT ON bangfu.policy_superseded TO PUBLIC;
SELECT pg_catalog.pg_extension_config_dump('bangfu.policy_superseded', '');
COMMENT ON TABLE bangfu.policy_superseded IS
    '十二 the policy''s history: every version of bangfu.policy whose value or date was changed (superseded = ''changed'') or which was removed (''removed''), as it was, with when, by whom and the acknowledgement (superseded_ack: the new backdate_ack of a change, the session''s bangfu.backdate_ack of a removal; required when the version is dated before today). Written only by the trigger policy_supersede.';

CREATE FUNCTION bangfu.policy_supersede() RETURNS trigger
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    -- blank is none, as for backdate_ack
    blanks constant text := E' \t\n\r\f\x0B　';
    ack text;
    who text;
BEGIN
    IF TG_OP = 'UPDATE' THEN
        -- a change of the note (or of the acknowledgement's wording) alone
        -- makes no new version
        IF (NEW.param, NEW.valid_from, NEW.tiers::text, NEW.amount, NEW.count, NEW.band)
           IS NOT DISTINCT FROM (OLD.param, OLD.valid_from, OLD.tiers::text, OLD.amount, OLD.count, OLD.band) THEN
            RETURN NULL;
        END IF;
        -- policy_backdate required it when either date is in the past
        ack := NEW.backdate_ack;
    ELSE
        -- only an acknowledgement this session gave counts
        ack := bangfu.session_setting('bangfu.backdate_ack');
        IF coalesce(btrim(ack, blanks), '') OPERATOR(pg_catalog.=) '' THEN
            ack := NULL;
            IF OLD.valid_from OPERATOR(pg_catalog.<) CURRENT_DATE THEN
                PERFORM bangfu.raise_error('policy_remove_backdated', OLD.param, OLD.valid_from);
            END IF;
        END IF;
    END IF;
    -- who did it: the role the session acts as (this function runs as its owner)
    who := current_setting('role');
    IF who OPERATOR(pg_catalog.=) 'none' THEN
        who := session_user;
    END IF;
    INSERT INTO bangfu.policy_superseded
        (param, valid_from, tiers, amount, count, band, note, recorded_at, recorded_by, backdate_ack,
         superseded, superseded_at, superseded_by, superseded_ack)
    VALUES (OLD.param, OLD.valid_from, OLD.tiers, OLD.amount, OLD.count, OLD.band, OLD.note,
            OLD.recorded_at, OLD.recorded_by, OLD.backdate_ack,
            CASE TG_OP WHEN 'UPDATE' THEN 'changed' ELSE 'removed' END, now(), who, ack);
    RETURN NULL;
END
$$;
REVOKE ALL ON FUNCTION bangfu.policy_supersede() FROM PUBLIC;
COMMENT ON FUNCTION bangfu.policy_supersede() IS
    '十二 trigger: keeps a version of bangfu.policy whose value or date changes, or which is removed, in bangfu.policy_superseded; refuses (22023) to remove a version dated before today unless this session set bangfu.backdate_ack (SET LOCAL), which is kept with it.';
CREATE TRIGGER policy_supersede AFTER UPDATE OR DELETE ON bangfu.policy
    FOR EACH ROW EXECUTE FUNCTION bangfu.policy_supersede();

-- ==== several subjects locked together (src/limits.sql, src/privileges.sql) ====
CREATE FUNCTION bangfu.limit_lock(limit_names text[], subjects text[], on_date date DEFAULT CURRENT_DATE)
RETURNS void
    AS 'MODULE_PATHNAME', 'bf_limit_lock' LANGUAGE C VOLATILE STRICT;
COMMENT ON FUNCTION bangfu.limit_lock(text[], text[], date) IS
    'Locks, in the limits'' common books, the period of on_date of each subjects[i] of limit limit_names[i] until the transaction ends, all together: a transaction that has written nothing and holds no limit lock waits until it can take every one, holding none while it waits, so that a statement about to book against several subjects (a transfer, against two funds) waits for clerks on any of them instead of failing with 40001 on the second. The caller needs what limit_used needs for each.';
REVOKE ALL ON FUNCTION bangfu.limit_lock(text[], text[], date) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION bangfu.limit_lock(text[], text[], date) TO bangfu_policy_admin;

-- ==== the columns a limit reads (src/limits.sql) ====
-- A column a limit reads (its amount, date and subjects, as its triggers
-- name them), renamed, dropped or given a type the limit cannot read, would
-- make every later write to the table fail, and limit_check() with it: such
-- an ALTER TABLE is refused (2BP01), as PostgreSQL refuses to drop a column
-- a view reads.  The way to change one is to detach the limit, change the
-- table and attach it again.  A rewrite of the table by the ALTER (a type
-- changed, USING an expression) writes its rows without firing a trigger:
-- noted by bangfu_note_rewritten_tables, the table's books are counted
-- again, refused (23514) if the rows as rewritten break the limit.  They
-- run as whoever ran the DDL (who owns the table), for every role's DDL:
-- a command that touches no guarded table reads pg_catalog alone (a role
-- need not have USAGE on schema bangfu); one that does reads what PUBLIC
-- may read (bangfu.limit_attachment, limit_def).
CREATE FUNCTION bangfu.note_rewritten_tables() RETURNS event_trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    rewritten oid := pg_event_trigger_table_rewrite_oid();
    -- bangfu.limit_guard, found in pg_catalog: these run for every role's
    -- DDL, and a role need not have USAGE on schema bangfu
    guard oid := (SELECT f.oid FROM pg_proc f JOIN pg_namespace n ON n.oid = f.pronamespace
                   WHERE n.nspname = 'bangfu' AND f.proname = 'limit_guard' AND f.pronargs = 0);
BEGIN
    IF guard IS NULL THEN
        RETURN;
    END IF;
    -- the guarded table itself, or the partitioned table a partition is of
    IF EXISTS (SELECT FROM pg_trigger t
                WHERE t.tgfoid = guard AND t.tgparentid = 0
                  AND (t.tgrelid = rewritten
                       OR t.tgrelid IN (SELECT x.relid FROM pg_partition_ancestors(rewritten) x))) THEN
        PERFORM set_config('bangfu.rewritten_tables',
                           concat_ws(' ', nullif(current_setting('bangfu.rewritten_tables', true), ''), rewritten::text),
                           true);
    END IF;
END
$$;
COMMENT ON FUNCTION bangfu.note_rewritten_tables() IS
    'table_rewrite event trigger: notes, for the rest of the transaction (setting bangfu.rewritten_tables), a guarded table (or a partition of one) that an ALTER rewrites, so that bangfu.guard_attached_columns counts its books again.';
CREATE EVENT TRIGGER bangfu_note_rewritten_tables ON table_rewrite
    EXECUTE FUNCTION bangfu.note_rewritten_tables();
COMMENT ON EVENT TRIGGER bangfu_note_rewritten_tables IS
    'Notes guarded tables rewritten by an ALTER, whose rows were written without their limit''s triggers.';

CREATE FUNCTION bangfu.guard_attached_columns() RETURNS event_trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    att record;
    col text;
    kind text;
    typ oid;
    -- bangfu.limit_guard, found in pg_catalog: these run for every role's
    -- DDL, and a role need not have USAGE on schema bangfu
    guard oid := (SELECT f.oid FROM pg_proc f JOIN pg_namespace n ON n.oid = f.pronamespace
                   WHERE n.nspname = 'bangfu' AND f.proname = 'limit_guard' AND f.pronargs = 0);
BEGIN
    -- nothing guarded among the tables the command touched (or the tables
    -- they are partitions of): bangfu is not read at all
    IF guard IS NULL OR NOT EXISTS (
            SELECT FROM pg_event_trigger_ddl_commands() x
              JOIN pg_trigger t
                ON t.tgrelid = x.objid
                OR t.tgrelid IN (SELECT y.relid FROM pg_partition_ancestors(x.objid::regclass) y)
             WHERE x.classid = 'pg_class'::regclass AND t.tgfoid = guard) THEN
        RETURN;
    END IF;
    FOR att IN SELECT DISTINCT a.tab, a.limit_name, a.amount_col, a.date_col, a.subject_cols, d.unit
                 FROM pg_event_trigger_ddl_commands() x
                 JOIN bangfu.limit_attachment a ON a.tab::oid = x.objid
                 JOIN bangfu.limit_def d ON d.name = a.limit_name
                WHERE x.classid = 'pg_class'::regclass LOOP
        FOR col, kind IN
            SELECT att.amount_col, CASE WHEN att.unit = 'money' THEN 'limit_col_amount_numeric'
                                        ELSE 'limit_col_amount_integer' END
             WHERE att.amount_col IS NOT NULL
            UNION ALL
            SELECT att.date_col, 'limit_col_date' WHERE att.date_col IS NOT NULL
            UNION ALL
            SELECT s, 'limit_col_subject' FROM unnest(att.subject_cols) s LOOP
            typ := (SELECT a.atttypid FROM pg_attribute a
                     WHERE a.attrelid = att.tab AND a.attname = col AND a.attnum > 0 AND NOT a.attisdropped);
            -- the types the limit's triggers read (src/limits_row.c)
            IF typ IS NULL
               OR (kind = 'limit_col_amount_numeric' AND typ <> 'numeric'::regtype)
               OR (kind = 'limit_col_amount_integer' AND typ NOT IN ('int2'::regtype, 'int4'::regtype, 'int8'::regtype))
               OR (kind = 'limit_col_date' AND typ <> 'date'::regtype) THEN
                PERFORM bangfu.raise_error('limit_alter_breaks', att.tab, att.limit_name, col,
                                           bangfu.message_text(kind), att.tab, att.limit_name);
            END IF;
        END LOOP;
        -- rewritten (the table or a partition of it): its rows as they are now
        IF EXISTS (SELECT FROM unnest(string_to_array(nullif(current_setting('bangfu.rewritten_tables', true), ''), ' ')) r
                    WHERE r::oid = att.tab::oid
                       OR att.tab::oid IN (SELECT x.relid FROM pg_partition_ancestors(r::oid::regclass) x)) THEN
            PERFORM bangfu.limit_recount(att.tab, att.limit_name);
        END IF;
    END LOOP;
    -- made unlogged (ALTER TABLE ... SET UNLOGGED, or a new unlogged
    -- partition): emptied by a crash and not on standbys, while the ledger
    -- keeps what its rows used
    FOR att IN SELECT DISTINCT x.objid::regclass AS rel, a.tab, a.limit_name
                 FROM pg_event_trigger_ddl_commands() x
                 JOIN pg_class c ON c.oid = x.objid AND c.relkind IN ('r', 'p') AND c.relpersistence = 'u'
                 JOIN bangfu.limit_attachment a
                   ON a.tab::oid = x.objid
                   OR a.tab::oid IN (SELECT y.relid FROM pg_partition_ancestors(x.objid::regclass) y)
                WHERE x.classid = 'pg_class'::regclass LOOP
        PERFORM bangfu.raise_error('limit_guarded_unlogged', att.rel, att.limit_name, att.tab, att.limit_name);
    END LOOP;
END
$$;
COMMENT ON FUNCTION bangfu.guard_attached_columns() IS
    'ddl_command_end event trigger: refuses (2BP01) an ALTER TABLE that renames, drops or retypes a column a limit attached to the table reads (its amount, date or subjects), which would make every later write to it fail (detach the limit, change the table, attach it again); counts again the books of a guarded table the ALTER rewrote (bangfu.note_rewritten_tables), refusing (23514) rows that break the limit; refuses (55000) to make a guarded table, or a partition of one, unlogged.';
CREATE EVENT TRIGGER bangfu_guard_attached_columns ON ddl_command_end
    WHEN TAG IN ('ALTER TABLE', 'CREATE TABLE')
    EXECUTE FUNCTION bangfu.guard_attached_columns();
COMMENT ON EVENT TRIGGER bangfu_guard_attached_columns IS
    'Keeps the columns a limit reads where its triggers find them.';

-- A limit's triggers are found by name (detach_limit, limit_attachment):
-- one renamed would leave the limit neither detachable nor attachable
-- again, and one made to depend on another extension would go, unseen,
-- with that extension.  ALTER TRIGGER on them is refused (55000); the
-- way to take a limit off a table is detach_limit.
CREATE FUNCTION bangfu.guard_limit_triggers() RETURNS event_trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    trg record;
BEGIN
    -- bangfu's trigger functions, found in pg_catalog: this runs for every
    -- role's ALTER TRIGGER, and a role need not have USAGE on schema bangfu
    FOR trg IN SELECT t.tgrelid::regclass AS tab
                 FROM pg_event_trigger_ddl_commands() x
                 JOIN pg_trigger t ON t.oid = x.objid
                 JOIN pg_proc f ON f.oid = t.tgfoid
                 JOIN pg_namespace n ON n.oid = f.pronamespace
                WHERE x.classid = 'pg_trigger'::regclass
                  AND n.nspname = 'bangfu' AND f.pronargs = 0
                  AND f.proname IN ('limit_guard', 'limit_flush', 'limit_no_truncate') LOOP
        PERFORM bangfu.raise_error('limit_trigger_alter', trg.tab, trg.tab);
    END LOOP;
END
$$;
COMMENT ON FUNCTION bangfu.guard_limit_triggers() IS
    'ddl_command_end event trigger: refuses (55000) ALTER TRIGGER (a rename, DEPENDS ON EXTENSION) on the triggers of a limit, which bangfu.detach_limit and bangfu.limit_attachment find by name.';
CREATE EVENT TRIGGER bangfu_guard_limit_triggers ON ddl_command_end
    WHEN TAG IN ('ALTER TRIGGER')
    EXECUTE FUNCTION bangfu.guard_limit_triggers();
COMMENT ON EVENT TRIGGER bangfu_guard_limit_triggers IS
    'Keeps the triggers of a limit under the names bangfu finds them by.';

-- The limit's BEFORE trigger also fires BEFORE DELETE, so that what a
-- deleted row gives back counts at once for the statement's later rows
-- (limit_attach_triggers): every attachment made before gets it, its
-- trigger made again with the same name and arguments, and disabled or
-- replica-only as it was.
DO $bf_before_delete$
DECLARE
    t record;
BEGIN
    FOR t IN SELECT g.tgrelid::pg_catalog.regclass AS tab, g.tgname, g.tgenabled,
                    pg_catalog.pg_get_triggerdef(g.oid) AS def
               FROM pg_catalog.pg_trigger g
              WHERE g.tgfoid OPERATOR(pg_catalog.=) 'bangfu.limit_guard()'::pg_catalog.regprocedure
                AND g.tgparentid OPERATOR(pg_catalog.=) 0
                AND (g.tgtype::pg_catalog.int4 OPERATOR(pg_catalog.&) 2) OPERATOR(pg_catalog.<>) 0
                AND (g.tgtype::pg_catalog.int4 OPERATOR(pg_catalog.&) 8) OPERATOR(pg_catalog.=) 0 LOOP
        EXECUTE pg_catalog.format('DROP TRIGGER %I ON %s', t.tgname, t.tab);
        EXECUTE pg_catalog.replace(t.def, ' BEFORE INSERT OR UPDATE ON ', ' BEFORE INSERT OR DELETE OR UPDATE ON ');
        IF t.tgenabled OPERATOR(pg_catalog.<>) 'O' THEN
            EXECUTE pg_catalog.format('ALTER TABLE %s %s TRIGGER %I', t.tab,
                                      CASE t.tgenabled WHEN 'D' THEN 'DISABLE' WHEN 'R' THEN 'ENABLE REPLICA'
                                                       ELSE 'ENABLE ALWAYS' END, t.tgname);
        END IF;
    END LOOP;
END
$bf_before_delete$;
COMMENT ON FUNCTION bangfu.limit_guard() IS
    'Row trigger of an attached limit, BEFORE INSERT OR UPDATE OR DELETE (checks and clamps, reserving what it lets through, and counts at once what a deleted or lowered row gives back) and AFTER INSERT OR UPDATE OR DELETE (books what was really written). Arguments: limit name, mode (clamp or reject), amount column ('''' for row limits), date column ('''' for today), then the subject columns.';

-- ==== end ==================================================================
