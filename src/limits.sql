
-- ---------------------------------------------------------------------------
-- Limits that cannot be broken (二, 四, 五, 八, 一/九): a trigger engine any
-- table can be given with one statement, keeping a ledger of what each
-- subject has used per period, safe under concurrent clerks.
-- ---------------------------------------------------------------------------

CREATE TABLE bangfu.limit_def (
    name        text PRIMARY KEY,
    clause      text NOT NULL,
    unit        text NOT NULL CHECK (unit IN ('money', 'count', 'rows')),
    period      text NOT NULL CHECK (period IN ('year', 'lifetime')),
    direction   integer NOT NULL DEFAULT 1 CHECK (direction IN (1, -1)),
    cap_param   text REFERENCES bangfu.policy_param,
    cap_function text,
    description text NOT NULL,
    shipped     boolean NOT NULL DEFAULT false,
    zero_cap    boolean NOT NULL DEFAULT false,
    subjects    integer NOT NULL DEFAULT 1 CHECK (subjects OPERATOR(pg_catalog.>=) 0 AND subjects OPERATOR(pg_catalog.<=) 8),
    CONSTRAINT limit_one_cap CHECK (pg_catalog.num_nonnulls(cap_param, cap_function) OPERATOR(pg_catalog.+) zero_cap::pg_catalog.int4 OPERATOR(pg_catalog.=) 1)
);
COMMENT ON TABLE bangfu.limit_def IS
    'Limits a table can be guarded by: what is counted (money in yuan, a count such as months, or rows), over which period (calendar year of the event or lifetime), how many subject columns name who is limited, and where the cap comes from: exactly one of a policy parameter at the event''s date, a function of the date, or zero_cap (the cap is zero by definition). direction -1 counts amounts negatively: with a zero cap it keeps a balance from going below zero. Shipped rows cannot be changed or removed.';
COMMENT ON COLUMN bangfu.limit_def.cap_function IS
    'The cap as a function of the date: its signature, schema-qualified (written as the guard stores it, e.g. county.transport_cap(date)), resolved each time the limits are loaded. Text, not regprocedure: pg_upgrade keeps no function OIDs and refuses reg* columns.';

-- The funds' balance (一, 九) is the engine's own; every other shipped limit
-- is defined in the SQL of its clause (src/medical.sql, src/relief.sql, ...).
INSERT INTO bangfu.limit_def (name, clause, unit, period, direction, cap_param, zero_cap, subjects, description, shipped)
SELECT v.*, true FROM (VALUES
    ('fund_balance', '一, 九', 'money', 'lifetime', -1, NULL, true, 1,
     'A fund''s balance (credits minus disbursements) never goes below zero (渠道不乱、用途不变).')
) AS v(name, clause, unit, period, direction, cap_param, zero_cap, subjects, description);

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

-- The ledger the limits keep: per limit, books, subject, period and guarded
-- table, what has been used (fen for money, a count otherwise).
-- The limit triggers read and write it directly through its primary key
-- (no SQL per row), so the key's text columns use the "C" collation and
-- its layout is fixed: see src/limits_ledger.c.
CREATE TABLE bangfu.usage (
    limit_name  text COLLATE "C" NOT NULL,
    tab         regclass NOT NULL,
    subject     text COLLATE "C" NOT NULL,
    period      integer NOT NULL,
    used        bigint NOT NULL,
    book        regclass NOT NULL,
    CONSTRAINT usage_pkey PRIMARY KEY (limit_name, book, subject, period, tab)
);
COMMENT ON TABLE bangfu.usage IS
    'What each subject has used of each limit per period (calendar year, or 0 for lifetime), per guarded table: fen for money limits, a count otherwise. book is 0 (shown -) for the limit''s common books (the register''s and admitted tables''), else the one table whose own books the row is in; a cap applies to the sum over one book. Written only by the limit engine''s C code; read it through bangfu.usage_report.';

CREATE FUNCTION bangfu.limit_guard() RETURNS trigger
    AS 'MODULE_PATHNAME', 'bf_limit_guard' LANGUAGE C;
COMMENT ON FUNCTION bangfu.limit_guard() IS
    'Row trigger of an attached limit, BEFORE INSERT OR UPDATE OR DELETE (checks and clamps, reserving what it lets through, and counts at once what a deleted or lowered row gives back) and AFTER INSERT OR UPDATE OR DELETE (books what was really written). Arguments: limit name, mode (clamp or reject), amount column ('''' for row limits), date column ('''' for today), then the subject columns.';

CREATE FUNCTION bangfu.limit_flush() RETURNS trigger
    AS 'MODULE_PATHNAME', 'bf_limit_flush' LANGUAGE C;
COMMENT ON FUNCTION bangfu.limit_flush() IS
    'Statement trigger of an attached limit: writes the statement''s usage to bangfu.usage.';

CREATE FUNCTION bangfu.limit_no_truncate() RETURNS trigger
    AS 'MODULE_PATHNAME', 'bf_limit_no_truncate' LANGUAGE C;
COMMENT ON FUNCTION bangfu.limit_no_truncate() IS
    'Refuses TRUNCATE of a guarded table, which would bypass the limits'' ledger.';

CREATE FUNCTION bangfu.limit_used(limit_name text, subject text, on_date date DEFAULT CURRENT_DATE)
RETURNS numeric
    AS 'MODULE_PATHNAME', 'bf_limit_used' LANGUAGE C VOLATILE STRICT;
COMMENT ON FUNCTION bangfu.limit_used(text, text, date) IS
    'What a subject has used of a limit in the period of on_date in the limit''s common books (the caller needs SELECT on bangfu.usage or on a table admitted to them), locking that subject''s ledger until the transaction ends, so that a computation can use the remainder safely (money limits in yuan, others as counts). A subject never seen has used 0; a subject with the wrong number of parts is refused (22023). Write a subject of several columns with bangfu.limit_subject.';

CREATE FUNCTION bangfu.limit_used(limit_name text, subject text, on_date date, tab regclass)
RETURNS numeric
    AS 'MODULE_PATHNAME', 'bf_limit_used' LANGUAGE C VOLATILE STRICT;
COMMENT ON FUNCTION bangfu.limit_used(text, text, date, regclass) IS
    'limit_used in the books table tab counts in: its own, or the common books if it was admitted to them (the caller needs SELECT on tab). It locks the subject only for a caller that may also write tab (INSERT or UPDATE); one that may only read it gets the ledger as its snapshot sees it.';

CREATE FUNCTION bangfu.limit_lock(limit_names text[], subjects text[], on_date date DEFAULT CURRENT_DATE)
RETURNS void
    AS 'MODULE_PATHNAME', 'bf_limit_lock' LANGUAGE C VOLATILE STRICT;
COMMENT ON FUNCTION bangfu.limit_lock(text[], text[], date) IS
    'Locks, in the limits'' common books, the period of on_date of each subjects[i] of limit limit_names[i] until the transaction ends, all together: a transaction that has written nothing and holds no limit lock waits until it can take every one, holding none while it waits, so that a statement about to book against several subjects (a transfer, against two funds) waits for clerks on any of them instead of failing with 40001 on the second. The caller needs what limit_used needs for each.';

CREATE FUNCTION bangfu.limit_subject(VARIADIC parts text[]) RETURNS text
    AS 'MODULE_PATHNAME', 'bf_limit_subject' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION bangfu.limit_subject(text[]) IS
    'The subject of a limit with several subject columns as the ledger keeps it: the columns'' text forms, escaped and joined, so that no two rows can collide.';

CREATE FUNCTION bangfu.limit_cap(limit_name text, on_date date DEFAULT CURRENT_DATE)
RETURNS numeric
    AS 'MODULE_PATHNAME', 'bf_limit_cap' LANGUAGE C STABLE STRICT;
COMMENT ON FUNCTION bangfu.limit_cap(text, date) IS
    'The cap of a limit on a date, from the policy store (money limits in yuan, others as counts).';

CREATE FUNCTION bangfu.limit_forget_books() RETURNS void
    AS 'MODULE_PATHNAME', 'bf_limit_forget_books' LANGUAGE C VOLATILE;
COMMENT ON FUNCTION bangfu.limit_forget_books() IS
    'Internal: after SQL rewrote bangfu.usage, the limit triggers of this transaction read it again.';

CREATE FUNCTION bangfu.trigger_args(tgargs bytea, tgnargs smallint) RETURNS text[]
    AS 'MODULE_PATHNAME', 'bf_trigger_args' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION bangfu.trigger_args(bytea, smallint) IS
    'The arguments of a trigger (pg_trigger.tgargs) as a text array.';

-- Every limit attached to a table, read from the triggers themselves.
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

-- What the rows of one attachment add up to, per subject and period, in the
-- ledger's units: C code running with the caller's rights (SELECT on the
-- table), computing each row exactly as the trigger does.
CREATE FUNCTION bangfu.limit_actual(p_tab regclass, p_limit text)
RETURNS TABLE (subject text, period integer, used bigint)
    AS 'MODULE_PATHNAME', 'bf_limit_actual' LANGUAGE C VOLATILE STRICT;
COMMENT ON FUNCTION bangfu.limit_actual(regclass, text) IS
    'What the rows of a guarded table add up to per subject and period, in the ledger''s units, read with the caller''s rights (a partitioned table through its partitions).';

-- Differences between the ledger and the tables; empty when all is well.
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

-- Recount the ledger from the tables (after a restore without triggers, say).
-- It runs with the caller's rights: each table is read and recounted by
-- bangfu.limit_recount, which checks who may.
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

-- Count what a guarded table holds into its books (attach_limit's second
-- half, and limit_rebuild's step).  C code running with the caller's rights:
-- it reads the table as the caller and writes only what its rows add up to.
CREATE FUNCTION bangfu.limit_recount(p_tab regclass, p_limit text)
RETURNS void
    AS 'MODULE_PATHNAME', 'bf_limit_recount' LANGUAGE C VOLATILE STRICT;
COMMENT ON FUNCTION bangfu.limit_recount(regclass, text) IS
    'Recount one attached limit of one table into its books, refusing if the rows already break it; the table''s owner or a policy admin only, with SELECT on the table.';

-- Forget the ledger of a limit that is no longer attached (detach_limit's second half).
CREATE FUNCTION bangfu.limit_forget(p_tab regclass, p_limit text)
RETURNS void
    AS 'MODULE_PATHNAME', 'bf_limit_forget' LANGUAGE C VOLATILE STRICT;
COMMENT ON FUNCTION bangfu.limit_forget(regclass, text) IS
    'Release what a table no longer guarded by a limit had used of it (its rows in the ledger go to zero, under the subjects'' locks); the table''s owner or a policy admin only.';

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

-- Attach a limit to a table in one statement.  It runs with the caller's
-- rights: creating the triggers needs the table's ownership.
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
COMMENT ON FUNCTION bangfu.detach_limit(regclass, text) IS
    'Remove a limit from a table (its owner only) and forget its ledger.';

CREATE FUNCTION bangfu.limit_cap_units(limit_name text, on_date date) RETURNS bigint
    AS 'MODULE_PATHNAME', 'bf_limit_cap_units' LANGUAGE C STABLE STRICT;
COMMENT ON FUNCTION bangfu.limit_cap_units(text, date) IS
    'The cap of a limit on a date in the ledger''s units (fen for money).';

-- Dropping a guarded table takes its ledger rows with it.
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
    DELETE FROM bangfu.limit_member_attachment k
     WHERE k.tab::oid IN (SELECT d.objid FROM pg_event_trigger_dropped_objects() d
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

-- Subjects over their cap in the ledger, all tables together.
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

-- The ledger in yuan, for people.
CREATE VIEW bangfu.usage_report AS
SELECT u.limit_name COLLATE "default" AS limit_name, d.clause, u.tab,
       u.subject COLLATE "default" AS subject, u.period,
       CASE d.unit WHEN 'money' THEN (u.used::numeric / 100)::numeric(20,2) ELSE u.used::numeric END AS used
  FROM bangfu.usage u JOIN bangfu.limit_def d ON d.name OPERATOR(pg_catalog.=) u.limit_name;
COMMENT ON VIEW bangfu.usage_report IS
    'bangfu.usage with money in yuan and the clause of each limit.';
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

-- Who may do what with the engine (doc/limits.md, "Whose books").
GRANT SELECT ON bangfu.limit_share TO PUBLIC;
GRANT INSERT, DELETE ON bangfu.limit_share TO bangfu_policy_admin;
SELECT pg_catalog.pg_extension_config_dump('bangfu.limit_share', 'WHERE NOT shipped');
-- Who may attach a limit to an extension's table owns it (the extension's
-- owner, a superuser): the kept attachments are theirs to write, everybody's to read.
GRANT SELECT ON bangfu.limit_member_attachment TO PUBLIC;
SELECT pg_catalog.pg_extension_config_dump('bangfu.limit_member_attachment', '');
REVOKE ALL ON FUNCTION bangfu.limit_member_restore() FROM PUBLIC;
REVOKE ALL ON FUNCTION bangfu.in_extension_script() FROM PUBLIC;
REVOKE ALL ON FUNCTION bangfu.limit_share_guard() FROM PUBLIC;
REVOKE ALL ON FUNCTION bangfu.limit_def_guard() FROM PUBLIC;
