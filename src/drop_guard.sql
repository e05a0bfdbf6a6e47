
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
