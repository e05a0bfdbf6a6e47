-- bangfu_register 'unpackaged' -> 0.3.0: ALTER EXTENSION bangfu_register UPDATE.
--
-- The ready register of bangfu 0.2.0 was part of extension bangfu.  This
-- script moves every object of it from bangfu into bangfu_register, one by
-- one (each is at every moment a member of one of the two, so a DROP in
-- between cannot take it unnoticed), registers the tables with pg_dump
-- again, and adds what 0.3.0's register has that 0.2.0's had not.  Rows are
-- not touched.  scripts/upgrade_test.sh checks that the result equals a
-- fresh CREATE EXTENSION bangfu_register, with every row kept.

\echo Use "ALTER EXTENSION bangfu_register UPDATE" to load this file. \quit

-- Every member of bangfu in schema bangfu_register moves to the register
-- (whatever an update of bangfu added there too); the schema itself leaves
-- bangfu and, as for a fresh install, belongs to no extension.
DO $move$
DECLARE
    o record;
BEGIN
    FOR o IN SELECT i.type, i.identity, d.classid
               FROM pg_catalog.pg_depend d
               JOIN pg_catalog.pg_extension e ON e.oid OPERATOR(pg_catalog.=) d.refobjid
              CROSS JOIN LATERAL pg_catalog.pg_identify_object(d.classid, d.objid, d.objsubid) i
              WHERE d.refclassid OPERATOR(pg_catalog.=) 'pg_catalog.pg_extension'::pg_catalog.regclass
                AND d.deptype OPERATOR(pg_catalog.=) 'e'
                AND e.extname OPERATOR(pg_catalog.=) 'bangfu'
                AND (i.schema OPERATOR(pg_catalog.=) 'bangfu_register'
                     OR (d.classid OPERATOR(pg_catalog.=) 'pg_catalog.pg_namespace'::pg_catalog.regclass
                         AND i.identity OPERATOR(pg_catalog.=) 'bangfu_register'))
              ORDER BY d.classid OPERATOR(pg_catalog.=) 'pg_catalog.pg_namespace'::pg_catalog.regclass, i.type, i.identity
    LOOP
        EXECUTE pg_catalog.format('ALTER EXTENSION bangfu DROP %s %s', pg_catalog.upper(o.type), o.identity);
        IF o.classid OPERATOR(pg_catalog.<>) 'pg_catalog.pg_namespace'::pg_catalog.regclass THEN
            EXECUTE pg_catalog.format('ALTER EXTENSION bangfu_register ADD %s %s', pg_catalog.upper(o.type), o.identity);
        END IF;
    END LOOP;
END
$move$;

-- pg_dump keeps the register's data, now as bangfu_register's (leaving
-- bangfu took the tables off bangfu's list).
SELECT pg_catalog.pg_extension_config_dump('bangfu_register.household', 'ORDER BY id');
SELECT pg_catalog.pg_extension_config_dump('bangfu_register.member', '');
SELECT pg_catalog.pg_extension_config_dump('bangfu_register.county_year', '');
SELECT pg_catalog.pg_extension_config_dump('bangfu_register.exclusion', 'ORDER BY id');
SELECT pg_catalog.pg_extension_config_dump('bangfu_register.relief_grant', 'ORDER BY granted_on, id');
SELECT pg_catalog.pg_extension_config_dump('bangfu_register.medical_stay', 'ORDER BY discharged, id');
SELECT pg_catalog.pg_extension_config_dump('bangfu_register.fund', 'WHERE NOT shipped');
SELECT pg_catalog.pg_extension_config_dump('bangfu_register.fund_source', 'WHERE NOT shipped');
SELECT pg_catalog.pg_extension_config_dump('bangfu_register.program', 'WHERE NOT shipped');
SELECT pg_catalog.pg_extension_config_dump('bangfu_register.fund_entry',
    'WHERE NOT shipped ORDER BY (amount < 0 OR reverses IS NOT NULL), id');
SELECT pg_catalog.pg_extension_config_dump('bangfu_register.household_id_seq', '');
SELECT pg_catalog.pg_extension_config_dump('bangfu_register.exclusion_id_seq', '');
SELECT pg_catalog.pg_extension_config_dump('bangfu_register.relief_grant_id_seq', '');
SELECT pg_catalog.pg_extension_config_dump('bangfu_register.medical_stay_id_seq', '');
SELECT pg_catalog.pg_extension_config_dump('bangfu_register.fund_entry_id_seq', '');


-- Roles matching the departments of 十一/十二 that keep the register.  Roles
-- belong to the cluster, not to one database.  0.2.0 took any role of the
-- right name as it found it: one that can log in, has a role attribute or is
-- a member of another role is refused now as at install (issue 8,
-- doc/security.md); the others were adopted already and are marked as
-- bangfu's, so that an install into another database of the cluster takes
-- them.
DO $roles$
DECLARE
    r pg_catalog.text;
    rec record;
    mark CONSTANT pg_catalog.text := 'bangfu department role (policy clauses 11, 12): its rights are granted by the bangfu extension; see doc/security.md';
BEGIN
    FOREACH r IN ARRAY ARRAY['bangfu_street', 'bangfu_civil_affairs', 'bangfu_health',
                             'bangfu_hrss', 'bangfu_finance', 'bangfu_reader']
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

-- ---------------------------------------------------------------------------
-- A restore loads history (十二: a row legal when entered stays legal).
-- pg_dump's COPY of a register table, from a superuser, goes in without
-- row triggers, foreign key checks or limits, and the table's ledger is
-- counted from its rows at the end (bangfu.restore_begin, restore_end):
-- pg_dump | psql, pg_restore and pg_restore -j N give back every row as it
-- was, also after a cap was lowered from a date in the past.
-- ---------------------------------------------------------------------------
DO $restore$
DECLARE
    t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['household', 'member', 'county_year', 'exclusion', 'relief_grant',
                             'medical_stay', 'fund', 'fund_source', 'program', 'fund_entry']
    LOOP
        EXECUTE pg_catalog.format('CREATE TRIGGER restore_begin BEFORE INSERT ON bangfu_register.%I
                                       FOR EACH STATEMENT EXECUTE FUNCTION bangfu.restore_begin()', t);
        EXECUTE pg_catalog.format('CREATE TRIGGER restore_end AFTER INSERT ON bangfu_register.%I
                                       FOR EACH STATEMENT EXECUTE FUNCTION bangfu.restore_end()', t);
        EXECUTE pg_catalog.format('ALTER TABLE bangfu_register.%I ENABLE ALWAYS TRIGGER restore_begin', t);
        EXECUTE pg_catalog.format('ALTER TABLE bangfu_register.%I ENABLE ALWAYS TRIGGER restore_end', t);
    END LOOP;
END
$restore$;

-- ---------------------------------------------------------------------------
-- Dropping never deletes entered data silently.  DROP EXTENSION
-- bangfu_register, DROP EXTENSION bangfu CASCADE, DROP SCHEMA ... CASCADE
-- of either schema and DROP OWNED BY the register's owner would take every
-- table of the register with it; while any of them holds rows a county
-- entered (not the shipped funds and programs), they are refused, naming
-- the tables and their rows, unless the same transaction says
--     SET LOCAL bangfu_register.drop_with_data = on;
-- Export first: doc/operations.md, "Removing bangfu".
-- ---------------------------------------------------------------------------

-- Rows entered by the county in each table of the register, largest first.
CREATE FUNCTION bangfu_register.entered_rows()
RETURNS TABLE (tab regclass, entered bigint)
LANGUAGE plpgsql STABLE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    r record;
    n bigint;
BEGIN
    FOR r IN SELECT c.oid,
                    EXISTS (SELECT FROM pg_attribute a WHERE a.attrelid OPERATOR(pg_catalog.=) c.oid
                               AND a.attname OPERATOR(pg_catalog.=) 'shipped' AND NOT a.attisdropped) AS has_shipped
               FROM pg_depend d
               JOIN pg_class c ON c.oid OPERATOR(pg_catalog.=) d.objid
              WHERE d.classid OPERATOR(pg_catalog.=) 'pg_class'::regclass
                AND d.refclassid OPERATOR(pg_catalog.=) 'pg_extension'::regclass
                AND d.refobjid OPERATOR(pg_catalog.=) (SELECT e.oid FROM pg_extension e
                                                         WHERE e.extname OPERATOR(pg_catalog.=) 'bangfu_register')
                AND d.deptype OPERATOR(pg_catalog.=) 'e' AND c.relkind OPERATOR(pg_catalog.=) 'r'
    LOOP
        EXECUTE format('SELECT count(*) FROM %s%s', r.oid::regclass,
                       CASE WHEN r.has_shipped THEN ' WHERE NOT shipped' ELSE '' END) INTO n;
        IF n OPERATOR(pg_catalog.>) 0 THEN
            tab := r.oid;
            entered := n;
            RETURN NEXT;
        END IF;
    END LOOP;
END
$$;
COMMENT ON FUNCTION bangfu_register.entered_rows() IS
    'Tables of the register holding rows the county entered (shipped funds and programs not counted), with their row counts: what a DROP would delete.';

-- Called by the event trigger with what a DROP statement names: refuses
-- when the statement would drop the register while it holds entered rows.
CREATE FUNCTION bangfu_register.drop_check(kind text, names text[], cascade boolean)
RETURNS void
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    reg oid;
    hit boolean;
    listing text;
BEGIN
    SELECT e.oid INTO reg FROM pg_extension e WHERE e.extname OPERATOR(pg_catalog.=) 'bangfu_register';
    IF reg IS NULL THEN
        RETURN;
    END IF;
    -- the register and the extensions it requires (bangfu)
    hit := CASE kind
        WHEN 'extension' THEN
            'bangfu_register' OPERATOR(pg_catalog.=) ANY (names)
            -- CASCADE from an extension bangfu or the register is built on:
            -- bangfu itself, or one whose objects theirs use (plpgsql)
            OR (cascade AND EXISTS (
                SELECT FROM pg_extension x
                 WHERE x.extname OPERATOR(pg_catalog.=) ANY (names)
                   AND EXISTS (SELECT FROM pg_depend d
                                WHERE (d.classid, d.objid) IN (SELECT 'pg_extension'::regclass, e.oid FROM pg_extension e
                                                                WHERE e.extname IN ('bangfu', 'bangfu_register')
                                                               UNION ALL
                                                               SELECT m.classid, m.objid FROM pg_depend m
                                                                 JOIN pg_extension e ON e.oid OPERATOR(pg_catalog.=) m.refobjid
                                                                WHERE m.refclassid OPERATOR(pg_catalog.=) 'pg_extension'::regclass
                                                                  AND m.deptype OPERATOR(pg_catalog.=) 'e'
                                                                  AND e.extname IN ('bangfu', 'bangfu_register'))
                                  AND ((d.refclassid, d.refobjid) = ('pg_extension'::regclass, x.oid)
                                       OR (d.refclassid, d.refobjid) IN (SELECT m.classid, m.objid FROM pg_depend m
                                                                          WHERE m.refclassid OPERATOR(pg_catalog.=) 'pg_extension'::regclass
                                                                            AND m.refobjid OPERATOR(pg_catalog.=) x.oid
                                                                            AND m.deptype OPERATOR(pg_catalog.=) 'e')))))
        WHEN 'schema' THEN
            cascade AND EXISTS (SELECT FROM pg_extension e JOIN pg_namespace n ON n.oid OPERATOR(pg_catalog.=) e.extnamespace
                                 WHERE e.extname IN ('bangfu', 'bangfu_register')
                                   AND n.nspname OPERATOR(pg_catalog.=) ANY (names))
        WHEN 'owned' THEN
            EXISTS (SELECT FROM pg_extension e JOIN pg_roles r ON r.oid OPERATOR(pg_catalog.=) e.extowner
                     WHERE e.extname IN ('bangfu', 'bangfu_register')
                       AND r.rolname OPERATOR(pg_catalog.=) ANY (names))
        ELSE false END;
    IF NOT hit THEN
        RETURN;
    END IF;
    SELECT string_agg(format('%s (%s rows)', x.tab, x.entered), ', ' ORDER BY x.entered DESC, x.tab::text)
      INTO listing FROM bangfu_register.entered_rows() x;
    IF listing IS NOT NULL
       AND coalesce(current_setting('bangfu_register.drop_with_data', true), '') NOT IN ('on', 'true', 'yes', '1') THEN
        RAISE EXCEPTION 'the ready register holds entered data: dropping it would delete %', listing
            USING ERRCODE = 'dependent_objects_still_exist',
                  DETAIL = '十二: the register (台账) of households, grants, stays and fund entries is the county''s record; DROP does not delete it silently.',
                  HINT = 'Export it first (pg_dump -Fc -d DBNAME -f register.dump; see doc/operations.md, "Removing bangfu"), then drop it with its data in one transaction: BEGIN; SET LOCAL bangfu_register.drop_with_data = on; DROP ...; COMMIT;';
    END IF;
    -- The register goes: so does the limit it added to bangfu (if this
    -- DROP fails after all, the transaction takes this back too).
    DELETE FROM bangfu.limit_def l
     WHERE l.name OPERATOR(pg_catalog.=) 'relief_quota' AND l.shipped
       AND l.cap_function OPERATOR(pg_catalog.=) 'bangfu_register.relief_quota_cap(date)'::regprocedure;
END
$$;
COMMENT ON FUNCTION bangfu_register.drop_check(text, text[], boolean) IS
    '十二 refuses (2BP01) a DROP EXTENSION, DROP SCHEMA ... CASCADE or DROP OWNED that would delete the register while it holds entered rows, naming the tables and rows, unless bangfu_register.drop_with_data is on in the transaction.';
-- With the caller's rights, which every DROP runs under: anyone's own DROP
-- passes (hit is false), and only who may drop the register (its owner)
-- can count its rows and remove its limit.  Called directly it can do no
-- more than its caller may do with plain SQL.

-- The event trigger reads the DROP statement itself (in C: which extension,
-- which schema, CASCADE or not) before anything is dropped, then asks
-- drop_check.  It must fire before: once the DROP has run, the tables and
-- their rows are gone, and so is this trigger.
CREATE FUNCTION bangfu_register.drop_guard() RETURNS event_trigger
    AS 'MODULE_PATHNAME', 'bf_register_drop_guard' LANGUAGE C;
COMMENT ON FUNCTION bangfu_register.drop_guard() IS
    '十二 ddl_command_start event trigger: hands drop_check what a DROP EXTENSION, DROP SCHEMA or DROP OWNED statement names.';
CREATE EVENT TRIGGER bangfu_register_drop_guard ON ddl_command_start
    WHEN TAG IN ('DROP EXTENSION', 'DROP SCHEMA', 'DROP OWNED')
    EXECUTE FUNCTION bangfu_register.drop_guard();
COMMENT ON EVENT TRIGGER bangfu_register_drop_guard IS
    'Refuses to drop the ready register while it holds entered rows (bangfu_register.drop_check).';

