
-- ---------------------------------------------------------------------------
-- The policy store: every figure of the policy, versioned by date (十二:
-- counties raise standards, so nothing is a constant in C).
-- ---------------------------------------------------------------------------

-- The leading group office's role (十二: it changes the policy), which bangfu's
-- own grants name.  Roles belong to the cluster, not to one database, so a
-- second database's install finds it in place.  The departments' roles come
-- with the register (extension bangfu_register), checked the same way there.
-- A role bangfu makes carries the comment below, which only a superuser or a
-- role with CREATEROLE can set (doc/security.md).  A role of the same name
-- that is already there is taken as a department only if it is a bare group
-- (no LOGIN, no SUPERUSER/CREATEDB/CREATEROLE/REPLICATION/BYPASSRLS, member
-- of no other role) and either carries that comment (an earlier install of
-- bangfu made it) or has no members yet; otherwise the install stops, naming
-- the role: someone may have made it to be handed the department's rights.
-- One function for both extensions' roles.
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
SELECT bangfu.adopt_roles(ARRAY['bangfu_policy_admin']);
REVOKE ALL ON FUNCTION bangfu.adopt_roles(pg_catalog.text[]) FROM PUBLIC;
COMMENT ON FUNCTION bangfu.adopt_roles(pg_catalog.text[]) IS
    'Install hazards (issue 8): creates each department role that is missing, and takes one already there only if it is a bare group that bangfu made or that has no members. Run by the install scripts of bangfu and bangfu_register.';

CREATE TABLE bangfu.policy_param (
    param       text PRIMARY KEY,
    kind        text NOT NULL CHECK (kind IN ('tiers', 'amount', 'count', 'band')),
    clause      text NOT NULL,
    description text NOT NULL
);
COMMENT ON TABLE bangfu.policy_param IS
    'The parameters of the policy: name, kind of value (tiers, amount in yuan, count, band of yuan), seed clause, meaning.';

CREATE TABLE bangfu.policy (
    param       text NOT NULL REFERENCES bangfu.policy_param,
    valid_from  date NOT NULL DEFAULT '-infinity',
    tiers       bangfu.tiers,
    amount      numeric,
    count       integer,
    band        numrange,
    note        text,
    shipped     boolean NOT NULL DEFAULT false,
    recorded_at timestamptz NOT NULL DEFAULT pg_catalog.now(),
    recorded_by name NOT NULL DEFAULT CURRENT_USER,
    PRIMARY KEY (param, valid_from),
    CONSTRAINT policy_one_value CHECK (pg_catalog.num_nonnulls(tiers, amount, count, band) OPERATOR(pg_catalog.=) 1)
);
COMMENT ON TABLE bangfu.policy IS
    'Dated policy store: the value of each parameter from valid_from on (十二 提高救助标准). Add a version with one INSERT; earlier dates keep the older version. Shipped defaults apply from -infinity.';

CREATE TABLE bangfu.scenario (
    name        text PRIMARY KEY CHECK (name OPERATOR(pg_catalog.<>) ''),
    description text,
    created_at  timestamptz NOT NULL DEFAULT pg_catalog.now(),
    created_by  name NOT NULL DEFAULT CURRENT_USER
);
COMMENT ON TABLE bangfu.scenario IS
    'What-if scenarios: proposed policies, computed beside the policy in force without changing it.';

CREATE TABLE bangfu.scenario_value (
    scenario    text NOT NULL REFERENCES bangfu.scenario ON DELETE CASCADE,
    param       text NOT NULL REFERENCES bangfu.policy_param,
    tiers       bangfu.tiers,
    amount      numeric,
    count       integer,
    band        numrange,
    PRIMARY KEY (scenario, param),
    CONSTRAINT scenario_one_value CHECK (pg_catalog.num_nonnulls(tiers, amount, count, band) OPERATOR(pg_catalog.=) 1)
);
COMMENT ON TABLE bangfu.scenario_value IS
    'The parameters a scenario overrides, at every date; the rest fall back to the policy in force.';

-- One check of a value against its parameter's kind, for both tables.
CREATE FUNCTION bangfu.check_policy_value(p_param text, p_tiers bangfu.tiers, p_amount numeric,
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
COMMENT ON FUNCTION bangfu.check_policy_value(text, bangfu.tiers, numeric, integer, numrange) IS
    'Refuses a policy or scenario value that does not fit its parameter''s kind.';

CREATE FUNCTION bangfu.policy_guard() RETURNS trigger
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
COMMENT ON FUNCTION bangfu.policy_guard() IS
    'Keeps shipped defaults unchanged and every policy value of its parameter''s kind.';

CREATE FUNCTION bangfu.scenario_guard() RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    PERFORM bangfu.check_policy_value(NEW.param, NEW.tiers, NEW.amount, NEW.count, NEW.band);
    RETURN NEW;
END
$$;
COMMENT ON FUNCTION bangfu.scenario_guard() IS 'Keeps every scenario value of its parameter''s kind.';

CREATE FUNCTION bangfu.policy_changed() RETURNS trigger
    AS 'MODULE_PATHNAME', 'bf_policy_changed' LANGUAGE C;
COMMENT ON FUNCTION bangfu.policy_changed() IS
    'Statement trigger: tells every session to reload the policy store.';

-- View of what is in force on a date, for reading and reporting.
CREATE FUNCTION bangfu.policy_in_force(on_date date DEFAULT CURRENT_DATE)
RETURNS TABLE (param text, valid_from date, kind text, value text, clause text, description text)
LANGUAGE sql STABLE STRICT PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
    SELECT DISTINCT ON (p.param) p.param, p.valid_from, k.kind,
           coalesce(p.tiers::text, p.amount::text, p.count::text, p.band::text),
           k.clause, k.description
      FROM bangfu.policy p JOIN bangfu.policy_param k ON k.param = p.param
     WHERE p.valid_from <= on_date
     ORDER BY p.param, p.valid_from DESC
$$;
COMMENT ON FUNCTION bangfu.policy_in_force(date) IS
    'Every parameter''s value in force on a date, with the date its version applies from.';

-- 十二 what-if: a scenario (bangfu.scenario) overrides the parameters it
-- names (bangfu.scenario_value) at every date and falls back to the policy
-- in force for the rest; every rule function has an overload ending in
-- "scenario text".  This compares a scenario with the policy in force.
CREATE FUNCTION bangfu.scenario_compare(scenario text, on_date date DEFAULT CURRENT_DATE)
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
COMMENT ON FUNCTION bangfu.scenario_compare(text, date) IS
    '十二 what-if: the parameters a scenario overrides, with the value in force on a date (and the date it applies from) beside the proposed one.';
