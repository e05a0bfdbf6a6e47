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
-- PostgreSQL 17 records the dependent types (the row type of a table or
-- view, array and multirange types) as members of the extension too, and
-- ALTER EXTENSION moves them with the object they depend on; they are left
-- to move so (15 and 16 never list them).
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
                AND NOT EXISTS (SELECT FROM pg_catalog.pg_type t
                                  LEFT JOIN pg_catalog.pg_class r ON r.oid OPERATOR(pg_catalog.=) t.typrelid
                                 WHERE d.classid OPERATOR(pg_catalog.=) 'pg_catalog.pg_type'::pg_catalog.regclass
                                   AND t.oid OPERATOR(pg_catalog.=) d.objid
                                   AND (t.typcategory OPERATOR(pg_catalog.=) 'A'
                                        OR t.typtype OPERATOR(pg_catalog.=) 'm'
                                        OR r.relkind OPERATOR(pg_catalog.<>) 'c'))
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
            PERFORM bangfu.raise_error('role_not_bare_update', r, pg_catalog.quote_ident(r));
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
-- entered (what pg_dump keeps: not the shipped funds and programs), they
-- are refused, naming the tables and their rows, unless the same
-- transaction says
--     SET LOCAL bangfu_register.drop_with_data = on;
-- The guard is bangfu's (src/drop_guard.sql: one event trigger and one
-- check for both extensions, bangfu.drop_check); it also removes the
-- limit the register added to bangfu (relief_quota) when the register goes.
-- Export first: doc/operations.md, "Removing bangfu".
-- ---------------------------------------------------------------------------

-- Rows entered by the county in each table of the register, largest first.
CREATE FUNCTION bangfu_register.entered_rows()
RETURNS TABLE (tab regclass, entered bigint)
LANGUAGE sql STABLE
SET search_path = pg_catalog, pg_temp
AS $$
    SELECT x.tab, x.entered FROM bangfu.entered_rows('bangfu_register') x
$$;
COMMENT ON FUNCTION bangfu_register.entered_rows() IS
    'Tables of the register holding rows the county entered (shipped funds and programs not counted), with their row counts: what a DROP would delete.';

-- ---------------------------------------------------------------------------
-- Messages in the clerk's language (issue 10): the refusals are raised
-- through bangfu.raise_error (texts in src/messages.c, translated with
-- gettext); the functions raising them, as the install script has them now.
-- ---------------------------------------------------------------------------
CREATE OR REPLACE FUNCTION bangfu_register.require_owner(tab regclass, what text)
RETURNS void
LANGUAGE plpgsql STABLE
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF NOT pg_has_role(current_user, (SELECT c.relowner FROM pg_class c WHERE c.oid = tab), 'USAGE') THEN
        PERFORM bangfu.raise_error('register_owner_only', tab, what);
    END IF;
END
$$;

CREATE OR REPLACE FUNCTION bangfu_register.relief_grant_check() RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    band numrange;
    hh bangfu_register.household;
    ex bangfu_register.exclusion;
BEGIN
    IF TG_OP = 'UPDATE' THEN
        NEW.recorded_by := OLD.recorded_by;
        NEW.recorded_at := OLD.recorded_at;
        IF NEW.household_id = OLD.household_id AND NEW.reason = OLD.reason
           AND NEW.amount = OLD.amount AND NEW.granted_on = OLD.granted_on THEN
            -- payment dates or the note: nothing of 二 to check again
            NEW.first_half := OLD.first_half;
            NEW.second_half := OLD.second_half;
            RETURN NEW;
        END IF;
    ELSIF NEW.recorded_at IS NOT NULL THEN
        -- a row from pg_dump, checked when it was first recorded
        PERFORM bangfu_register.require_owner(TG_RELID, bangfu.message_text('what_grant_checked'));
        SELECT i.first_half, i.second_half INTO NEW.first_half, NEW.second_half
          FROM bangfu.relief_installments(NEW.amount) i;
        RETURN NEW;
    ELSE
        NEW.recorded_by := current_user;
        NEW.recorded_at := now();
    END IF;

    band := bangfu.relief_band(NEW.reason, NEW.granted_on);
    IF NOT (NEW.amount <@ band) THEN
        PERFORM bangfu.raise_error('relief_outside_band',
                                   NEW.amount, band, NEW.reason, bangfu.relief_reason_label(NEW.reason),
                                   to_char(NEW.granted_on, 'YYYY-MM-DD'), band);
    END IF;

    hh := bangfu_register.household_for_grant(NEW.household_id);
    IF hh.id IS NULL THEN
        PERFORM bangfu.raise_error('household_not_registered', NEW.household_id);
    END IF;
    IF NOT (hh.urban AND hh.lost_capacity) THEN
        PERFORM bangfu.raise_error(CASE WHEN NOT hh.urban THEN 'relief_not_urban' ELSE 'relief_has_capacity' END, hh.id);
    END IF;

    SELECT e.* INTO ex FROM bangfu_register.exclusion e
     WHERE e.household_id = NEW.household_id AND e.in_force @> NEW.granted_on
     ORDER BY lower(e.in_force), e.id
     LIMIT 1;
    IF FOUND THEN
        IF upper_inf(ex.in_force) THEN
            PERFORM bangfu.raise_error('relief_excluded',
                                       hh.id, to_char(NEW.granted_on, 'YYYY-MM-DD'), ex.id, ex.reason,
                                       bangfu_register.exclusion_reason_label(ex.reason),
                                       to_char(lower(ex.in_force), 'YYYY-MM-DD'));
        ELSE
            PERFORM bangfu.raise_error('relief_excluded_until',
                                       hh.id, to_char(NEW.granted_on, 'YYYY-MM-DD'), ex.id, ex.reason,
                                       bangfu_register.exclusion_reason_label(ex.reason),
                                       to_char(lower(ex.in_force), 'YYYY-MM-DD'),
                                       to_char(upper(ex.in_force) - 1, 'YYYY-MM-DD'));
        END IF;
    END IF;

    SELECT i.first_half, i.second_half INTO NEW.first_half, NEW.second_half
      FROM bangfu.relief_installments(NEW.amount) i;
    RETURN NEW;
END
$$;

CREATE OR REPLACE FUNCTION bangfu_register.relief_quota_cap(on_date date)
RETURNS numeric
LANGUAGE plpgsql VOLATILE STRICT
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    n integer;
BEGIN
    SELECT c.urban_households INTO n FROM bangfu_register.county_year c
     WHERE c.year = extract(year FROM on_date)::integer;
    IF NOT FOUND THEN
        PERFORM bangfu.raise_error('county_year_missing',
                                   extract(year FROM on_date)::integer, extract(year FROM on_date)::integer);
    END IF;
    RETURN (SELECT q.max_households FROM bangfu.relief_quota(n, on_date) q)::numeric;
END
$$;

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
            PERFORM bangfu.raise_error('county_year_over_quota', OLD.year, granted, NEW.urban_households, most);
        END IF;
        RETURN NEW;
    END IF;
    IF granted > 0 THEN
        PERFORM bangfu.raise_error('county_year_in_use', OLD.year, granted);
    END IF;
    RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
END
$$;

CREATE OR REPLACE FUNCTION bangfu_register.medical_stay_settle() RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    reduced numeric;
    relieved numeric;
    s record;
BEGIN
    IF TG_OP = 'UPDATE' THEN
        NEW.recorded_by := OLD.recorded_by;
        NEW.recorded_at := OLD.recorded_at;
        IF NEW.person OPERATOR(bangfu.=) OLD.person AND NEW.discharged = OLD.discharged
           AND NEW.cost = OLD.cost THEN
            NEW.reduction := OLD.reduction;
            NEW.relief := OLD.relief;
            NEW.patient_pays := OLD.patient_pays;
            RETURN NEW;
        END IF;
    ELSIF NEW.recorded_at IS NOT NULL THEN
        -- a row from pg_dump keeps the settlement it was given
        PERFORM bangfu_register.require_owner(TG_RELID, bangfu.message_text('what_stay_settled'));
        RETURN NEW;
    ELSE
        NEW.recorded_by := current_user;
        NEW.recorded_at := now();
    END IF;

    -- what the person-year has used, locked until commit: exact under
    -- concurrent clerks
    reduced := bangfu.limit_used('charity_bed_yearly', NEW.person::text, NEW.discharged);
    relieved := bangfu.limit_used('serious_illness_yearly', NEW.person::text, NEW.discharged);
    IF TG_OP = 'UPDATE' AND NEW.person OPERATOR(bangfu.=) OLD.person
       AND extract(year FROM NEW.discharged) = extract(year FROM OLD.discharged) THEN
        -- this stay's own share is settled anew
        reduced := reduced - OLD.reduction;
        relieved := relieved - OLD.relief;
    END IF;
    SELECT * INTO s FROM bangfu.medical_settlement(NEW.cost, NEW.discharged, reduced, relieved);
    NEW.reduction := s.reduction;
    NEW.relief := s.relief;
    NEW.patient_pays := s.patient_pays;
    RETURN NEW;
END
$$;

CREATE OR REPLACE FUNCTION bangfu_register.shipped_guard() RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.shipped THEN
        PERFORM bangfu.raise_error('shipped_row_fixed', TG_TABLE_NAME);
    END IF;
    IF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;
    IF NEW.shipped THEN
        PERFORM bangfu.raise_error('shipped_row_only_install', TG_TABLE_NAME);
    END IF;
    RETURN NEW;
END
$$;

-- 0.3.0's fund ledger (issue 13) has four columns more, last, as a fresh
-- install has them (src/register_funds.sql); their constraints, comments and
-- triggers come with src/register_money.sql, appended to this script.
ALTER TABLE bangfu_register.fund_entry
    ADD COLUMN source text,
    ADD COLUMN transfer bigint,
    ADD COLUMN grant_id bigint,
    ADD COLUMN installment smallint;

CREATE OR REPLACE FUNCTION bangfu_register.fund_entry_guard() RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    orig bangfu_register.fund_entry;
    pfund text;
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        PERFORM bangfu.raise_error('fund_entry_fixed', OLD.id,
                                   quote_nullable(OLD.fund), quote_nullable(OLD.program), -OLD.amount, OLD.id);
    END IF;
    IF NEW.shipped THEN
        PERFORM bangfu.raise_error('fund_entry_only_install');
    END IF;

    IF NEW.reverses IS NOT NULL THEN
        SELECT e.* INTO orig FROM bangfu_register.fund_entry e WHERE e.id = NEW.reverses;
        IF NOT FOUND THEN
            PERFORM bangfu.raise_error('fund_reversal_missing', NEW.id, NEW.reverses);
        END IF;
        IF EXISTS (SELECT FROM bangfu_register.fund_entry e WHERE e.reverses = NEW.reverses) THEN
            PERFORM bangfu.raise_error('fund_reversal_twice', NEW.reverses);
        END IF;
        IF NEW.fund <> orig.fund OR NEW.program IS DISTINCT FROM orig.program
           OR NEW.amount <> -orig.amount OR NEW.booked_on < orig.booked_on THEN
            PERFORM bangfu.raise_error('fund_reversal_mismatch',
                                       orig.id, orig.fund, coalesce(orig.program, bangfu.message_text('no_program')), -orig.amount,
                                       to_char(orig.booked_on, 'YYYY-MM-DD'),
                                       NEW.fund, coalesce(NEW.program, bangfu.message_text('no_program')), NEW.amount,
                                       to_char(NEW.booked_on, 'YYYY-MM-DD'));
        END IF;
    ELSIF NEW.transfer IS NOT NULL THEN
        -- one leg of a transfer between funds (bangfu_register.fund_transfer)
        IF NEW.program IS NOT NULL OR NEW.source IS NOT NULL THEN
            PERFORM bangfu.raise_error('fund_transfer_leg', NEW.transfer);
        END IF;
    ELSIF NEW.amount > 0 AND NEW.program IS NOT NULL THEN
        PERFORM bangfu.raise_error('fund_credit_names_program', NEW.fund, NEW.program);
    ELSIF NEW.amount > 0 AND NEW.source IS NULL THEN
        PERFORM bangfu.raise_error('fund_credit_no_source', NEW.fund);
    ELSIF NEW.amount < 0 AND NEW.program IS NULL THEN
        PERFORM bangfu.raise_error('fund_debit_no_program', NEW.fund);
    ELSIF NEW.amount < 0 AND NEW.source IS NOT NULL THEN
        PERFORM bangfu.raise_error('fund_debit_names_source', NEW.fund, NEW.source);
    END IF;

    IF NEW.program IS NOT NULL THEN
        SELECT p.fund INTO pfund FROM bangfu_register.program p WHERE p.code = NEW.program;
        IF NOT FOUND THEN
            PERFORM bangfu.raise_error('program_unknown', NEW.program);
        END IF;
        IF pfund <> NEW.fund THEN
            PERFORM bangfu.raise_error('program_other_fund', NEW.program, pfund, NEW.fund);
        END IF;
    END IF;
    RETURN NEW;
END
$$;

CREATE OR REPLACE FUNCTION bangfu_register.fund_entry_no_truncate() RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    PERFORM bangfu.raise_error('fund_entry_no_truncate', TG_TABLE_NAME);
END
$$;
