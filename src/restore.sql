
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
        PERFORM bangfu.restore_count(TG_RELID::regclass, lim);
    END LOOP;
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
