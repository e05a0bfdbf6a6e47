-- bangfu_register: the ready register, an extension of its own on top of
-- bangfu (CREATE EXTENSION bangfu_register), so that a county may install
-- the rules alone.  This file is its install script (the Makefile copies it
-- to bangfu_register--VERSION.sql).

\echo Use "CREATE EXTENSION bangfu_register" to load this file. \quit

-- ---------------------------------------------------------------------------
-- The ready register (二, 四, 一/九, 十一/十二): tables for counties with no
-- system of their own, guarded by the same attachable limits a DBA gives
-- their own tables (bangfu.attach_limit), not by a second mechanism.
--
-- Its own schema, bangfu_register, made by CREATE EXTENSION from the control
-- file (so, like schema bangfu, it is not a member and DROP EXTENSION leaves
-- it).  A restore (pg_dump | psql, pg_restore, pg_restore -j N) loads the
-- register's rows as history: they were checked when first recorded and are
-- neither checked nor settled again (see the end of this file).
--
-- Rows that a clerk inserts with recorded_at already set are refused: only
-- the table's owner may write that column (clerks' column privileges leave
-- it out, and the triggers refuse it from anyone else); the owner's are
-- taken as already checked.
-- ---------------------------------------------------------------------------

-- A database updated from bangfu 0.2.0 already has the register, inside
-- bangfu: it is adopted, not made again.
DO $adopt$
BEGIN
    IF pg_catalog.to_regclass('bangfu_register.household') IS NOT NULL THEN
        -- in the clerk's language when bangfu is current (else in English, below)
        IF pg_catalog.to_regprocedure('bangfu.raise_error(text)') IS NOT NULL THEN
            PERFORM bangfu.raise_error('register_exists');
        END IF;
        RAISE EXCEPTION 'schema bangfu_register already holds a ready register (from bangfu 0.2.0)'
            USING ERRCODE = 'duplicate_table',
                  HINT = 'Adopt it, keeping every row: CREATE EXTENSION bangfu_register VERSION ''unpackaged''; ALTER EXTENSION bangfu_register UPDATE;';
    END IF;
END
$adopt$;

-- Install hazards (issue 8; see src/base.sql and doc/security.md): CREATE
-- EXTENSION uses the control file's schema bangfu_register as it finds it.
-- It must belong to a superuser, nobody else may create objects in it, and
-- it must be empty; the installing role's default privileges must not hand
-- the register's tables (ID numbers) to anyone.  Names only pg_catalog.
DO $register_install_guard$
DECLARE
    sname pg_catalog.text;
    s pg_catalog.oid;
    owner_name pg_catalog.text;
    owner_super pg_catalog.bool;
    creator pg_catalog.text;
    obj pg_catalog.text;
BEGIN
    FOREACH sname IN ARRAY ARRAY['bangfu_register'] LOOP
        s := pg_catalog.to_regnamespace(sname)::pg_catalog.oid;
        CONTINUE WHEN s IS NULL;
        SELECT r.rolname, r.rolsuper INTO owner_name, owner_super
          FROM pg_catalog.pg_namespace n JOIN pg_catalog.pg_roles r ON r.oid OPERATOR(pg_catalog.=) n.nspowner
         WHERE n.oid OPERATOR(pg_catalog.=) s;
        IF NOT owner_super THEN
            RAISE EXCEPTION 'schema "%" is owned by role "%", which is not a superuser: bangfu_register will not install into it', sname, owner_name
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
            RAISE EXCEPTION 'schema "%" lets % create objects in it: bangfu_register will not install into it', sname, creator
                USING ERRCODE = 'insufficient_privilege',
                      DETAIL = 'Whoever may create objects in the extension''s schema could plant look-alikes of what its functions call.',
                      HINT = pg_catalog.format('REVOKE CREATE ON SCHEMA %s FROM ...; then run CREATE EXTENSION bangfu_register again.', sname);
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
                           WHERE e.extnamespace OPERATOR(pg_catalog.=) s AND e.extname OPERATOR(pg_catalog.<>) 'bangfu_register') o
         LIMIT 1;
        IF obj IS NOT NULL THEN
            RAISE EXCEPTION 'schema "%" is not empty (it holds %): bangfu_register will not install into it', sname, obj
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
                                                              WHERE n.nspname OPERATOR(pg_catalog.=) ANY (ARRAY['bangfu_register']::pg_catalog.name[])))
       AND a.grantee OPERATOR(pg_catalog.<>) d.defaclrole
       -- PUBLIC's EXECUTE on functions and USAGE on types are PostgreSQL's own defaults
       AND NOT (a.grantee OPERATOR(pg_catalog.=) 0
                AND ((d.defaclobjtype OPERATOR(pg_catalog.=) 'f' AND a.privilege_type OPERATOR(pg_catalog.=) 'EXECUTE')
                  OR (d.defaclobjtype OPERATOR(pg_catalog.=) 'T' AND a.privilege_type OPERATOR(pg_catalog.=) 'USAGE')))
     LIMIT 1;
    IF creator IS NOT NULL THEN
        RAISE EXCEPTION '% in this database: bangfu_register will not install with it, its tables hold ID numbers', creator
            USING ERRCODE = 'insufficient_privilege',
                  DETAIL = 'Default privileges of the installing role would apply to every table, function and type the install script creates.',
                  HINT = 'Install as a superuser without such default privileges, or revoke them (ALTER DEFAULT PRIVILEGES ... REVOKE ...) for the install.';
    END IF;
END
$register_install_guard$;

-- Roles matching the departments of 十一/十二 that keep the register.  Roles
-- belong to the cluster, not to one database: a second database's install
-- finds them in place, and DROP EXTENSION leaves them (they may own grants
-- in other databases).  A role of the same name made by someone else is not
-- handed a department's rights: the same checks as bangfu_policy_admin's in
-- bangfu (src/policy.sql; doc/security.md).
DO $roles$
DECLARE
    r pg_catalog.text;
    rec record;
    members pg_catalog.text;
    mark CONSTANT pg_catalog.text := 'bangfu department role (policy clauses 11, 12): its rights are granted by the bangfu extension; see doc/security.md';
BEGIN
    FOREACH r IN ARRAY ARRAY['bangfu_street', 'bangfu_civil_affairs', 'bangfu_health',
                             'bangfu_hrss', 'bangfu_finance', 'bangfu_reader']
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

COMMENT ON SCHEMA bangfu_register IS
    '十二 the ready register (台账) of hardship households, relief grants (二), medical stays (四) and the hardship fund (一, 九), guarded by bangfu''s limits.';

-- Raise unless the current user may act as the owner of a table: the one
-- who may hand the register rows it will not re-check (pg_dump's restore).
CREATE FUNCTION bangfu_register.require_owner(tab regclass, what text)
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
COMMENT ON FUNCTION bangfu_register.require_owner(regclass, text) IS
    'Refuses (42501) unless the current user may act as the owner of the table: only the owner hands the register rows already checked (a restore).';

-- ---------------------------------------------------------------------------
-- Households and their members (十二 困难群众台账, kept by the street office)
-- ---------------------------------------------------------------------------

CREATE TABLE bangfu_register.household (
    id              bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    head            bangfu.cnid NOT NULL UNIQUE,
    address         text,
    urban           boolean NOT NULL DEFAULT true,
    lost_capacity   boolean NOT NULL,
    registered_on   date NOT NULL DEFAULT CURRENT_DATE,
    note            text
);
COMMENT ON TABLE bangfu_register.household IS
    '十二 the register of hardship households (困难群众台账), kept by the street office and community.';
COMMENT ON COLUMN bangfu_register.household.head IS
    'Identity number of the head of the household; published only masked (bangfu_register.relief_published).';
COMMENT ON COLUMN bangfu_register.household.urban IS
    '二 an urban household (城镇): only these get temporary relief.';
COMMENT ON COLUMN bangfu_register.household.lost_capacity IS
    '二 the household has completely lost the capacity to work and to support itself (完全丧失劳动能力和自救能力): only these get temporary relief.';

CREATE TABLE bangfu_register.member (
    household_id    bigint NOT NULL REFERENCES bangfu_register.household,
    id              bangfu.cnid PRIMARY KEY,
    name            text NOT NULL,
    relation        text NOT NULL
);
CREATE INDEX member_household_idx ON bangfu_register.member (household_id);
COMMENT ON TABLE bangfu_register.member IS
    '十二 members of the registered households, the head included (relation 户主): the people the street office and the departments have determined to be relieved (四 由街道社区与民政、教育、卫生、残联等部门共同确定的救助对象).';
COMMENT ON COLUMN bangfu_register.member.relation IS
    'Relation to the head: 户主, 配偶, 子女, 父母, ...';

CREATE TABLE bangfu_register.county_year (
    year                integer PRIMARY KEY CHECK (year BETWEEN 1900 AND 9999),
    urban_households    integer NOT NULL CHECK (urban_households > 0),
    note                text
);
COMMENT ON TABLE bangfu_register.county_year IS
    '二 the county''s urban permanent-resident households (城镇常住户) in a year, which the relief quota (3%-5%) is taken of; recorded by the county each year.';

-- ---------------------------------------------------------------------------
-- Exclusions from relief (二: 因参与赌博、吸毒等违法行为导致家庭生活困难或者
-- 拒绝参加技能培训和就业援助的不予实施困难救助)
-- ---------------------------------------------------------------------------

CREATE FUNCTION bangfu_register.exclusion_reason_label(reason text)
RETURNS text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
RETURN CASE
    WHEN reason OPERATOR(pg_catalog.=) 'gambling' THEN '因参与赌博导致家庭生活困难'
    WHEN reason OPERATOR(pg_catalog.=) 'drug_use' THEN '因吸毒导致家庭生活困难'
    WHEN reason OPERATOR(pg_catalog.=) 'illegal_act' THEN '因其他违法行为导致家庭生活困难'
    WHEN reason OPERATOR(pg_catalog.=) 'refused_training' THEN '拒绝参加技能培训'
    WHEN reason OPERATOR(pg_catalog.=) 'refused_employment_assistance' THEN '拒绝参加就业援助'
END;
COMMENT ON FUNCTION bangfu_register.exclusion_reason_label(text) IS
    '二 the seed''s wording of an exclusion reason (因参与赌博 … 拒绝参加技能培训和就业援助).';

CREATE TABLE bangfu_register.exclusion (
    id              bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    household_id    bigint NOT NULL REFERENCES bangfu_register.household,
    reason          text NOT NULL CHECK (reason IN ('gambling', 'drug_use', 'illegal_act',
                                                    'refused_training', 'refused_employment_assistance')),
    in_force        daterange NOT NULL CHECK (NOT isempty(in_force) AND NOT lower_inf(in_force)),
    note            text,
    recorded_by     name NOT NULL DEFAULT CURRENT_USER,
    recorded_at     timestamptz NOT NULL DEFAULT pg_catalog.now()
);
CREATE INDEX exclusion_household_idx ON bangfu_register.exclusion (household_id);
COMMENT ON TABLE bangfu_register.exclusion IS
    '二 exclusions from temporary relief: hardship from gambling (gambling), drug use (drug_use) or other illegal acts (illegal_act), or a refusal of skills training (refused_training) or employment assistance (refused_employment_assistance). A grant dated inside in_force is refused with a message naming the exclusion; labels: bangfu_register.exclusion_reason_label.';
COMMENT ON COLUMN bangfu_register.exclusion.in_force IS
    'Days the exclusion is in force: a start is required, the end may be open (lifted by setting it). [2026-01-01,2026-06-30] lets grants from 2026-07-01.';

-- ---------------------------------------------------------------------------
-- Temporary relief grants (二)
-- ---------------------------------------------------------------------------

CREATE TABLE bangfu_register.relief_grant (
    id              bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    household_id    bigint NOT NULL REFERENCES bangfu_register.household,
    reason          bangfu.relief_reason NOT NULL,
    amount          numeric(12,2) NOT NULL,
    granted_on      date NOT NULL,
    first_half      numeric(12,2) NOT NULL,
    second_half     numeric(12,2) NOT NULL,
    paid_first_on   date,
    paid_second_on  date,
    note            text,
    recorded_by     name NOT NULL,
    recorded_at     timestamptz NOT NULL,
    CONSTRAINT relief_grant_installments CHECK (first_half + second_half = amount),
    CONSTRAINT relief_grant_paid_first CHECK (paid_first_on >= granted_on),
    CONSTRAINT relief_grant_paid_second CHECK (paid_second_on IS NULL
                                               OR (paid_first_on IS NOT NULL AND paid_second_on >= paid_first_on))
);
CREATE INDEX relief_grant_household_idx ON bangfu_register.relief_grant (household_id);
COMMENT ON TABLE bangfu_register.relief_grant IS
    '二 temporary relief of special-hardship households: amount inside the band of its reason, urban households that have lost the capacity to work only, none under an exclusion, at most one per household per calendar year whatever the reason (limit relief_yearly), at most floor(5%) of the year''s urban permanent households (limit relief_quota), paid in two installments. Kept by civil affairs.';
COMMENT ON COLUMN bangfu_register.relief_grant.amount IS
    '二 yuan, picked by the committee inside bangfu.relief_band(reason, granted_on).';
COMMENT ON COLUMN bangfu_register.relief_grant.first_half IS
    '二 分上、下半年两次发放: first installment, half the amount rounded up to the fen (set from bangfu.relief_installments).';
COMMENT ON COLUMN bangfu_register.relief_grant.second_half IS
    '二 second installment: the rest of the amount.';
COMMENT ON COLUMN bangfu_register.relief_grant.paid_second_on IS
    'Day the second installment was paid; not before the first.';
COMMENT ON COLUMN bangfu_register.relief_grant.recorded_at IS
    'When the grant was checked and recorded (set by the check trigger). A row arriving with it set comes from pg_dump and is not checked again: only the owner may write it.';

-- Lock a household for a grant's checks: a concurrent exclusion or change of
-- the household waits for the grant, or the grant for it (and at REPEATABLE
-- READ fails with 40001 rather than missing it).  SECURITY DEFINER because a
-- row lock needs UPDATE privilege, which civil affairs has not.
CREATE FUNCTION bangfu_register.household_for_grant(p_id bigint)
RETURNS bangfu_register.household
LANGUAGE sql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
    SELECT h.* FROM bangfu_register.household h WHERE h.id OPERATOR(pg_catalog.=) p_id FOR SHARE
$$;
REVOKE ALL ON FUNCTION bangfu_register.household_for_grant(bigint) FROM PUBLIC;
COMMENT ON FUNCTION bangfu_register.household_for_grant(bigint) IS
    '二 a household row locked against concurrent changes until the grant being checked commits.';

-- The checks of 二 on a grant, and its installments.  Named to fire before
-- the limits' zz_bangfu_* triggers, so a refused grant reserves nothing.
CREATE FUNCTION bangfu_register.relief_grant_check() RETURNS trigger
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
COMMENT ON FUNCTION bangfu_register.relief_grant_check() IS
    '二 trigger: amount inside the band of its reason (22023), household urban and without capacity to work (23514), no exclusion in force on the grant date (23514, naming it); sets the two installments. Re-checks an UPDATE only when household, reason, amount or date change.';

CREATE TRIGGER relief_grant_check BEFORE INSERT OR UPDATE ON bangfu_register.relief_grant
    FOR EACH ROW EXECUTE FUNCTION bangfu_register.relief_grant_check();

-- An exclusion recorded or changed takes the household's row: a grant being
-- checked at the same time either commits first or sees the exclusion.  The
-- row gets a new version so that a grant at REPEATABLE READ fails with 40001
-- instead of checking against an older snapshot.
CREATE FUNCTION bangfu_register.household_touch(p_id bigint)
RETURNS void
LANGUAGE sql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
    UPDATE bangfu_register.household SET id = id WHERE id OPERATOR(pg_catalog.=) p_id
$$;
REVOKE ALL ON FUNCTION bangfu_register.household_touch(bigint) FROM PUBLIC;
COMMENT ON FUNCTION bangfu_register.household_touch(bigint) IS
    '二 gives a household row a new version, serialising an exclusion with concurrent grants.';

CREATE FUNCTION bangfu_register.exclusion_touch() RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    PERFORM bangfu_register.household_touch(NEW.household_id);
    RETURN NEW;
END
$$;
COMMENT ON FUNCTION bangfu_register.exclusion_touch() IS
    '二 trigger: an exclusion waits for, or is seen by, every grant being checked for its household.';

CREATE TRIGGER exclusion_touch BEFORE INSERT OR UPDATE ON bangfu_register.exclusion
    FOR EACH ROW EXECUTE FUNCTION bangfu_register.exclusion_touch();

-- ---------------------------------------------------------------------------
-- The relief quota (二 每年救助的对象控制在城镇常住户的3%-5%): one subject per
-- year, the whole table, capped by floor(5%) of the year's households.
-- ---------------------------------------------------------------------------

-- VOLATILE: read with a fresh snapshot after the limit's lock is taken, so a
-- county_year change committed meanwhile is seen.
CREATE FUNCTION bangfu_register.relief_quota_cap(on_date date)
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
COMMENT ON FUNCTION bangfu_register.relief_quota_cap(date) IS
    '二 cap of limit relief_quota: floor(max share × the urban permanent-resident households recorded for the year of on_date) grants; an error if the year is not recorded.';

INSERT INTO bangfu.limit_def (name, clause, unit, period, direction, cap_function, subjects, description, shipped) VALUES
    ('relief_quota', '二', 'rows', 'year', 1, 'bangfu_register.relief_quota_cap(date)'::regprocedure, 0,
     'Temporary reliefs granted in one calendar year, all households together: at most floor(5%) of the year''s urban permanent-resident households (每年救助的对象控制在城镇常住户的3%-5%).',
     true);

-- Households may be re-counted, but not below what the year has granted.
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

CREATE FUNCTION bangfu_register.county_year_check() RETURNS trigger
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
COMMENT ON FUNCTION bangfu_register.county_year_check() IS
    '二 trigger: a year''s urban households cannot be lowered below what its grants need (23514), nor removed once it has grants.';

CREATE TRIGGER county_year_check BEFORE UPDATE OR DELETE ON bangfu_register.county_year
    FOR EACH ROW EXECUTE FUNCTION bangfu_register.county_year_check();

-- The register's limits count in the common books (bangfu.limit_share).
INSERT INTO bangfu.limit_share (limit_name, tab, note, shipped) VALUES
    ('relief_yearly', 'bangfu_register.relief_grant', '二 the register''s relief grants', true),
    ('relief_quota', 'bangfu_register.relief_grant', '二 the register''s relief grants', true);
SELECT bangfu.attach_limit('bangfu_register.relief_grant', 'relief_yearly', ARRAY['household_id'],
                           NULL, 'granted_on', 'reject', 'common');
-- The quota's subject is the whole table: no subject column.
SELECT bangfu.attach_limit('bangfu_register.relief_grant', 'relief_quota', '{}',
                           NULL, 'granted_on', 'reject', 'common');

-- Published list of recipients (二 公开程序, 阳光操作): no address, the head's
-- number masked.  PUBLIC reads it; security_barrier, so that a reader's own
-- function in a WHERE clause sees only the rows and columns of the list
-- (issue 8).
CREATE VIEW bangfu_register.relief_published WITH (security_barrier) AS
SELECT extract(year FROM g.granted_on)::integer AS year,
       bangfu.mask(h.head) AS head,
       bangfu.relief_reason_label(g.reason) AS reason,
       g.amount
  FROM bangfu_register.relief_grant g
  JOIN bangfu_register.household h ON h.id OPERATOR(pg_catalog.=) g.household_id;
COMMENT ON VIEW bangfu_register.relief_published IS
    '二 公开程序, 阳光操作: relief recipients as published, year, masked identity number of the head, reason in the seed''s words, amount; no address.';

-- The quota as the county reports it (二: the 3% is a floor to report against).
CREATE VIEW bangfu_register.relief_quota_status AS
SELECT c.year, c.urban_households, q.min_households, q.max_households,
       (SELECT count(*) FROM bangfu_register.relief_grant g
         WHERE g.granted_on >= make_date(c.year, 1, 1)
           AND g.granted_on < make_date(c.year OPERATOR(pg_catalog.+) 1, 1, 1))::integer AS relieved
  FROM bangfu_register.county_year c
 CROSS JOIN LATERAL bangfu.relief_quota(c.urban_households, make_date(c.year, 12, 31)) q;
COMMENT ON VIEW bangfu_register.relief_quota_status IS
    '二 per recorded year: urban households, the 3% floor to report against, the 5% ceiling, and how many households were relieved.';

-- ---------------------------------------------------------------------------
-- Medical stays (四): settled on insert against what the person has used in
-- the year, then counted by the yearly limits.
-- ---------------------------------------------------------------------------

CREATE TABLE bangfu_register.medical_stay (
    id              bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    person          bangfu.cnid NOT NULL REFERENCES bangfu_register.member,
    discharged      date NOT NULL,
    cost            numeric(12,2) NOT NULL CHECK (cost >= 0),
    reduction       numeric(12,2) NOT NULL,
    relief          numeric(12,2) NOT NULL,
    patient_pays    numeric(12,2) NOT NULL,
    note            text,
    recorded_by     name NOT NULL,
    recorded_at     timestamptz NOT NULL,
    CONSTRAINT medical_stay_settled CHECK (reduction >= 0 AND relief >= 0 AND patient_pays >= 0
                                           AND reduction + relief + patient_pays = cost)
);
CREATE INDEX medical_stay_person_idx ON bangfu_register.medical_stay (person, discharged);
COMMENT ON TABLE bangfu_register.medical_stay IS
    '四 hospital stays of registered members: the charity-bed reduction (四(1), limit charity_bed_yearly) and the serious-illness relief on what is still owed (四(2), limit serious_illness_yearly) are computed on insert from the cost and what the person already used in the year of discharge. Kept by health.';
COMMENT ON COLUMN bangfu_register.medical_stay.cost IS
    '四 cost of the stay after basic medical insurance has paid (经城镇居民基本医疗保险报销后).';
COMMENT ON COLUMN bangfu_register.medical_stay.reduction IS '四(1) charity-bed reduction (济困病床), set by the settlement trigger.';
COMMENT ON COLUMN bangfu_register.medical_stay.relief IS '四(2) serious-illness relief (大病医疗救助), set by the settlement trigger.';
COMMENT ON COLUMN bangfu_register.medical_stay.patient_pays IS '四 what the patient still pays: cost - reduction - relief.';
COMMENT ON COLUMN bangfu_register.medical_stay.recorded_at IS
    'When the stay was settled. A row arriving with it set comes from pg_dump and keeps its settlement: only the owner may write it.';

CREATE FUNCTION bangfu_register.medical_stay_settle() RETURNS trigger
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
COMMENT ON FUNCTION bangfu_register.medical_stay_settle() IS
    '四 trigger: settles a stay with bangfu.medical_settlement against what the person used in the year of discharge (bangfu.limit_used, which locks that person-year). An UPDATE of person, discharge date or cost settles the stay again against what the other stays of the year used; the other stays keep their settlement. The settlement columns cannot be written directly.';

CREATE TRIGGER medical_stay_settle BEFORE INSERT OR UPDATE ON bangfu_register.medical_stay
    FOR EACH ROW EXECUTE FUNCTION bangfu_register.medical_stay_settle();

INSERT INTO bangfu.limit_share (limit_name, tab, note, shipped) VALUES
    ('charity_bed_yearly', 'bangfu_register.medical_stay', '四(1) the register''s hospital stays', true),
    ('serious_illness_yearly', 'bangfu_register.medical_stay', '四(2) the register''s hospital stays', true);
SELECT bangfu.attach_limit('bangfu_register.medical_stay', 'charity_bed_yearly', ARRAY['person'],
                           'reduction', 'discharged', 'clamp', 'common');
SELECT bangfu.attach_limit('bangfu_register.medical_stay', 'serious_illness_yearly', ARRAY['person'],
                           'relief', 'discharged', 'clamp', 'common');

-- ---------------------------------------------------------------------------
-- The hardship fund (一, 九): funds, their sources, programs, and an
-- append-only ledger of entries.
--
-- Reading of 一 and 九: the 1,800,000 hardship fund (帮扶解困基金) is split
-- into the relief fund (救助基金, 1,200,000, for 二 only) and the enterprise
-- fund (创业基金, 600,000); 九 sets 200,000 of the enterprise fund aside as the
-- small-loan guarantee fund (小额贷款担保基金).  The register books three
-- funds: relief 1,200,000, enterprise 400,000 (the 600,000 less what is set
-- aside) and loan_guarantee 200,000.
-- ---------------------------------------------------------------------------

-- Shipped rows come with the extension and are not dumped; nobody changes them.
CREATE FUNCTION bangfu_register.shipped_guard() RETURNS trigger
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
COMMENT ON FUNCTION bangfu_register.shipped_guard() IS
    '一, 九 trigger: keeps the shipped funds, sources and programs as shipped; rows added later are never marked shipped.';

CREATE TABLE bangfu_register.fund (
    code        text PRIMARY KEY,
    label       text NOT NULL,
    opening     numeric(14,2) NOT NULL CHECK (opening >= 0),
    clause      text NOT NULL,
    description text NOT NULL,
    shipped     boolean NOT NULL DEFAULT false
);
COMMENT ON TABLE bangfu_register.fund IS
    '一, 九 the funds money is booked against, with the amount each opened with (its opening credit in fund_entry). 渠道不乱、用途不变: each program''s money only from its fund.';

CREATE TABLE bangfu_register.fund_source (
    code        text PRIMARY KEY,
    label       text NOT NULL,
    amount      numeric(14,2) NOT NULL CHECK (amount >= 0),
    clause      text NOT NULL,
    shipped     boolean NOT NULL DEFAULT false
);
COMMENT ON TABLE bangfu_register.fund_source IS
    '一 where the 1,800,000 of the hardship fund (帮扶解困基金) comes from; the sources together equal the funds'' opening amounts together.';

CREATE TABLE bangfu_register.program (
    code        text PRIMARY KEY,
    fund        text NOT NULL REFERENCES bangfu_register.fund,
    label       text NOT NULL,
    clause      text NOT NULL,
    shipped     boolean NOT NULL DEFAULT false,
    UNIQUE (code, fund)
);
COMMENT ON TABLE bangfu_register.program IS
    '一, 二, 八, 九 what money is paid out for, and the one fund that pays it (用途不变).';

INSERT INTO bangfu_register.fund (code, label, opening, clause, description, shipped) VALUES
    ('relief', '救助基金', 1200000, '一',
     'Relief fund: 1,200,000 of the hardship fund, used only for special-hardship relief (专门用于特困救助, 二).', true),
    ('enterprise', '创业基金', 400000, '一, 八, 九',
     'Enterprise fund: 600,000 of the hardship fund for enterprise support (创业扶持), less the 200,000 set aside as the small-loan guarantee fund (九); pays loan interest subsidies (八(2)) and handicraft sales rewards (八(3)).', true),
    ('loan_guarantee', '小额贷款担保基金', 200000, '九',
     'Small-loan guarantee fund: 200,000 set aside from the enterprise fund for loans to hardship people starting a business and to labour-intensive employers of them (县财政从创业基金中列支20万元).', true);

INSERT INTO bangfu_register.fund_source (code, label, amount, clause, shipped) VALUES
    ('county_finance', '县财政及城乡临时救助资金', 1000000, '一', true),
    ('education_fund', '县长教育基金', 150000, '一', true),
    ('union_fund', '工会困难职工帮扶资金', 150000, '一', true),
    ('donations', '社会捐助', 500000, '一', true);

-- 八(1)'s social-insurance subsidy is paid by county finance (县财政), not
-- from these funds; 四's reductions and relief are the hospitals' and civil
-- affairs'.  The handicraft reward (八(3)) names no fund: read as enterprise
-- support, from the enterprise fund.
INSERT INTO bangfu_register.program (code, fund, label, clause, shipped) VALUES
    ('relief_grant', 'relief', '特困家庭临时救助', '二', true),
    ('loan_interest', 'enterprise', '小额担保贷款贴息', '八(2)', true),
    ('handicraft_reward', 'enterprise', '工艺品销售奖励', '八(3)', true),
    ('loan_guarantee', 'loan_guarantee', '小额贷款担保', '九', true);

CREATE TABLE bangfu_register.fund_entry (
    id          bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    fund        text NOT NULL REFERENCES bangfu_register.fund,
    program     text REFERENCES bangfu_register.program,
    amount      numeric(14,2) NOT NULL CHECK (amount <> 0),
    booked_on   date NOT NULL DEFAULT CURRENT_DATE,
    reverses    bigint UNIQUE,
    note        text,
    booked_by   name NOT NULL DEFAULT CURRENT_USER,
    shipped     boolean NOT NULL DEFAULT false,
    CONSTRAINT fund_entry_program_fund FOREIGN KEY (program, fund) REFERENCES bangfu_register.program (code, fund)
);
COMMENT ON TABLE bangfu_register.fund_entry IS
    '一, 九 the funds'' ledger, append-only: positive amounts are money in, negative money out; a disbursement names its program and is booked against that program''s fund only (渠道不乱、用途不变); no balance goes below zero (limit fund_balance); a mistake is corrected by a reversing entry. Kept by finance.';
COMMENT ON COLUMN bangfu_register.fund_entry.program IS
    'What a disbursement pays for; NULL for money in.';
COMMENT ON COLUMN bangfu_register.fund_entry.reverses IS
    'The entry this one reverses: same fund and program, the opposite amount; each entry is reversed at most once. The trigger checks that it exists (entries are never removed, so it stays): a foreign key to the table itself would make every pg_dump warn about circular foreign keys.';
COMMENT ON COLUMN bangfu_register.fund_entry.shipped IS
    'The opening credits the install script books, one per fund; they are not dumped.';

-- Opening credits, on the fixed date the register's books open.
INSERT INTO bangfu_register.fund_entry (fund, amount, booked_on, note, booked_by, shipped)
SELECT f.code, f.opening, '2026-01-01', '一 opening credit: ' || f.label, 'bangfu', true
  FROM bangfu_register.fund f
 ORDER BY f.opening DESC;

CREATE FUNCTION bangfu_register.fund_entry_guard() RETURNS trigger
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
    ELSIF NEW.amount > 0 AND NEW.program IS NOT NULL THEN
        PERFORM bangfu.raise_error('fund_credit_names_program', NEW.fund, NEW.program);
    ELSIF NEW.amount < 0 AND NEW.program IS NULL THEN
        PERFORM bangfu.raise_error('fund_debit_no_program', NEW.fund);
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
COMMENT ON FUNCTION bangfu_register.fund_entry_guard() IS
    '一, 九 trigger: refuses UPDATE and DELETE of fund entries, even the owner''s (55000); a reversal names an entry not yet reversed and books its opposite against the same fund and program; money in names no program, money out names one, and a program''s money goes only through its own fund (23514).';

CREATE FUNCTION bangfu_register.fund_entry_no_truncate() RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    PERFORM bangfu.raise_error('fund_entry_no_truncate', TG_TABLE_NAME);
END
$$;
COMMENT ON FUNCTION bangfu_register.fund_entry_no_truncate() IS
    '一 statement trigger: refuses TRUNCATE of the fund ledger.';

CREATE TRIGGER fund_entry_guard BEFORE INSERT OR UPDATE OR DELETE ON bangfu_register.fund_entry
    FOR EACH ROW EXECUTE FUNCTION bangfu_register.fund_entry_guard();
CREATE TRIGGER fund_entry_no_truncate BEFORE TRUNCATE ON bangfu_register.fund_entry
    FOR EACH STATEMENT EXECUTE FUNCTION bangfu_register.fund_entry_no_truncate();
CREATE TRIGGER shipped_guard BEFORE INSERT OR UPDATE OR DELETE ON bangfu_register.fund
    FOR EACH ROW EXECUTE FUNCTION bangfu_register.shipped_guard();
CREATE TRIGGER shipped_guard BEFORE INSERT OR UPDATE OR DELETE ON bangfu_register.fund_source
    FOR EACH ROW EXECUTE FUNCTION bangfu_register.shipped_guard();
CREATE TRIGGER shipped_guard BEFORE INSERT OR UPDATE OR DELETE ON bangfu_register.program
    FOR EACH ROW EXECUTE FUNCTION bangfu_register.shipped_guard();

-- The balance: counts the opening credits booked above.
INSERT INTO bangfu.limit_share (limit_name, tab, note, shipped) VALUES
    ('fund_balance', 'bangfu_register.fund_entry', '一, 九 the register''s fund entries', true);
SELECT bangfu.attach_limit('bangfu_register.fund_entry', 'fund_balance', ARRAY['fund'], 'amount', NULL, 'reject', 'common');

CREATE VIEW bangfu_register.fund_balance AS
SELECT f.code AS fund, f.label,
       coalesce(sum(e.amount) FILTER (WHERE e.amount > 0), 0)::numeric(14,2) AS money_in,
       coalesce(-sum(e.amount) FILTER (WHERE e.amount < 0), 0)::numeric(14,2) AS money_out,
       coalesce(sum(e.amount), 0)::numeric(14,2) AS balance
  FROM bangfu_register.fund f
  LEFT JOIN bangfu_register.fund_entry e ON e.fund OPERATOR(pg_catalog.=) f.code
 GROUP BY f.code, f.label;
COMMENT ON VIEW bangfu_register.fund_balance IS
    '一, 九 each fund''s money in, money out and balance, from its entries.';

-- ---------------------------------------------------------------------------
-- pg_dump keeps the register's data (and where its identity sequences stand).
-- Shipped rows come back with CREATE EXTENSION and are left out.  A restore
-- loads the rows as history (bangfu.restore_begin, below): not judged again
-- against today's policy, in whatever order pg_restore -j loads the tables.
-- Rows are still dumped parents first and in the order they were recorded,
-- which is the order a reader of the dump expects.
-- ---------------------------------------------------------------------------
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
    SELECT string_agg(bangfu.message_text('table_rows', x.tab, x.entered), ', ' ORDER BY x.entered DESC, x.tab::text)
      INTO listing FROM bangfu_register.entered_rows() x;
    IF listing IS NOT NULL
       AND coalesce(current_setting('bangfu_register.drop_with_data', true), '') NOT IN ('on', 'true', 'yes', '1') THEN
        PERFORM bangfu.raise_error('register_drop_with_data', listing);
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

-- ---------------------------------------------------------------------------
-- Who does what (十一, 十二).  Each department reads what it keeps or pays
-- for, and writes only what it keeps, and only the columns a clerk fills
-- in: ids, settlements, installments, recorded_* and shipped are the
-- triggers' and the owner's.  Nobody but the owner deletes, and fund entries
-- not even the owner.  ID numbers and what a person received are read only
-- by the departments that keep them (doc/security.md):
--   街道 street       households, members, exclusions, grants (台账)
--   民政 civil affairs households, members, exclusions, grants, stays (四(2))
--   卫生 health       members, stays (四(1))
--   财政 finance      funds, entries, grants (to pay them; no ID numbers)
--   every department and bangfu_reader: the published list (masked
--                     numbers, 二 公开), the quota, the funds and their
--                     balances, the county's yearly households
--   PUBLIC: the published list
--   office (policy admin): everything, for audit
-- ---------------------------------------------------------------------------
GRANT USAGE ON SCHEMA bangfu_register TO PUBLIC;
GRANT SELECT ON ALL TABLES IN SCHEMA bangfu_register TO bangfu_policy_admin;
GRANT SELECT ON bangfu_register.relief_published TO PUBLIC;
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

-- The triggers' functions are called by their triggers only.
REVOKE ALL ON FUNCTION bangfu_register.relief_grant_check() FROM PUBLIC;
REVOKE ALL ON FUNCTION bangfu_register.exclusion_touch() FROM PUBLIC;
REVOKE ALL ON FUNCTION bangfu_register.county_year_check() FROM PUBLIC;
REVOKE ALL ON FUNCTION bangfu_register.medical_stay_settle() FROM PUBLIC;
REVOKE ALL ON FUNCTION bangfu_register.shipped_guard() FROM PUBLIC;
REVOKE ALL ON FUNCTION bangfu_register.fund_entry_guard() FROM PUBLIC;
REVOKE ALL ON FUNCTION bangfu_register.fund_entry_no_truncate() FROM PUBLIC;

-- 街道社区: the households, their members, the county's households per year, exclusions
GRANT INSERT (head, address, urban, lost_capacity, registered_on, note),
      UPDATE (head, address, urban, lost_capacity, registered_on, note)
   ON bangfu_register.household TO bangfu_street;
GRANT INSERT (household_id, id, name, relation), UPDATE (household_id, id, name, relation)
   ON bangfu_register.member TO bangfu_street;
GRANT INSERT (year, urban_households, note), UPDATE (urban_households, note)
   ON bangfu_register.county_year TO bangfu_street;
GRANT INSERT (household_id, reason, in_force, note), UPDATE (reason, in_force, note)
   ON bangfu_register.exclusion TO bangfu_street;
GRANT EXECUTE ON FUNCTION bangfu_register.household_touch(bigint) TO bangfu_street;
GRANT EXECUTE ON FUNCTION bangfu_register.relief_quota_used(integer) TO bangfu_street;

-- 民政: relief grants, and the days their installments were paid
GRANT INSERT (household_id, reason, amount, granted_on, paid_first_on, paid_second_on, note),
      UPDATE (paid_first_on, paid_second_on, note)
   ON bangfu_register.relief_grant TO bangfu_civil_affairs;
GRANT EXECUTE ON FUNCTION bangfu_register.household_for_grant(bigint) TO bangfu_civil_affairs;

-- 卫生: hospital stays
GRANT INSERT (person, discharged, cost, note) ON bangfu_register.medical_stay TO bangfu_health;

-- 卫生 and 民政 settle stays against what a person used of the yearly caps
-- (bangfu.limit_used: an ID number's amounts; not PUBLIC's, src/roles.sql).
GRANT EXECUTE ON FUNCTION bangfu.limit_used(text, text, date) TO bangfu_civil_affairs, bangfu_health;

-- 财政: fund entries
GRANT INSERT (fund, program, amount, booked_on, reverses, note)
   ON bangfu_register.fund_entry TO bangfu_finance;
