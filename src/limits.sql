
-- ---------------------------------------------------------------------------
-- Limits that cannot be broken (二, 四, 五, 八, 一/九): a trigger engine any
-- table can be given with one statement, keeping a ledger of what each
-- subject has used per period, safe under concurrent clerks.
-- ---------------------------------------------------------------------------

-- Figures the limits need that the rules do not already carry.
INSERT INTO bangfu.policy_param (param, kind, clause, description) VALUES
    ('relief.grants_per_year', 'count', '二',
     'Reliefs a household may get in one calendar year, whatever the reason (一年救助一次, 不得以不同原因重复救助).'),
    ('handicraft.rewards_per_year', 'count', '八(3)',
     'Handicraft sales rewards an enterprise or individual business may get in one calendar year.');
INSERT INTO bangfu.policy (param, count, shipped, note) VALUES
    ('relief.grants_per_year', 1, true, '一般一年救助一次 … 不得以不同原因重复救助'),
    ('handicraft.rewards_per_year', 1, true, 'once per enterprise per year (spec 8(3))');

CREATE TABLE bangfu.limit_def (
    name        text PRIMARY KEY,
    clause      text NOT NULL,
    unit        text NOT NULL CHECK (unit IN ('money', 'count', 'rows')),
    period      text NOT NULL CHECK (period IN ('year', 'lifetime')),
    direction   integer NOT NULL DEFAULT 1 CHECK (direction IN (1, -1)),
    cap_param   text REFERENCES bangfu.policy_param,
    cap_function regprocedure,
    description text NOT NULL,
    shipped     boolean NOT NULL DEFAULT false,
    CONSTRAINT limit_one_cap CHECK (pg_catalog.num_nonnulls(cap_param, cap_function) OPERATOR(pg_catalog.<=) 1)
);
COMMENT ON TABLE bangfu.limit_def IS
    'Limits a table can be guarded by: what is counted (money in yuan, a count such as months, or rows), over which period (calendar year of the event or lifetime), and where the cap comes from (a policy parameter at the event''s date, a function of the date, or zero). direction -1 counts amounts negatively: with a zero cap it keeps a balance from going below zero.';

INSERT INTO bangfu.limit_def (name, clause, unit, period, direction, cap_param, description, shipped)
SELECT v.*, true FROM (VALUES
    ('charity_bed_yearly', '四(1)', 'money', 'year', 1, 'medical.charity_bed.yearly_cap',
     'Charity-bed reductions of one person in one calendar year (一年多次住院的总减免最高限额).'),
    ('serious_illness_yearly', '四(2)', 'money', 'year', 1, 'medical.serious_illness.yearly_cap',
     'Serious-illness relief of one person in one calendar year (个人年度救助总额).'),
    ('pension_months', '五', 'count', 'lifetime', 1, 'pension.max_months',
     'Months of pension subsidy for one person (最长补贴期限为3年).'),
    ('employer_subsidy_months', '八(1)', 'count', 'lifetime', 1, 'employer.subsidy.months',
     'Months of social-insurance subsidy for one employer and employee after hiring (期限1年).'),
    ('handicraft_reward_yearly', '八(3)', 'rows', 'year', 1, 'handicraft.rewards_per_year',
     'Handicraft sales rewards of one enterprise in one calendar year.'),
    ('relief_yearly', '二', 'rows', 'year', 1, 'relief.grants_per_year',
     'Temporary reliefs of one household in one calendar year, whatever the reason.'),
    ('fund_balance', '一, 九', 'money', 'lifetime', -1, NULL,
     'A fund''s balance (credits minus disbursements) never goes below zero (渠道不乱、用途不变).')
) AS v(name, clause, unit, period, direction, cap_param, description);

-- The ledger the limits keep: per limit, guarded table, subject and period,
-- what has been used (fen for money, a count otherwise).
-- The limit triggers read and write it directly through its primary key
-- (no SQL per row), so the key's text columns use the "C" collation and
-- its layout is fixed: see src/caps.c.
CREATE TABLE bangfu.usage (
    limit_name  text COLLATE "C" NOT NULL,
    tab         regclass NOT NULL,
    subject     text COLLATE "C" NOT NULL,
    period      integer NOT NULL,
    used        bigint NOT NULL,
    CONSTRAINT usage_pkey PRIMARY KEY (limit_name, subject, period, tab)
);
COMMENT ON TABLE bangfu.usage IS
    'What each subject has used of each limit per period (calendar year, or 0 for lifetime), per guarded table: fen for money limits, a count otherwise. Written only by the limit triggers; read it through bangfu.usage_report.';

CREATE FUNCTION bangfu.limit_guard() RETURNS trigger
    AS 'MODULE_PATHNAME', 'bf_limit_guard' LANGUAGE C;
COMMENT ON FUNCTION bangfu.limit_guard() IS
    'Row trigger of an attached limit, BEFORE INSERT OR UPDATE (checks and clamps, reserving what it lets through) and AFTER INSERT OR UPDATE OR DELETE (books what was really written). Arguments: limit name, mode (clamp or reject), amount column ('''' for row limits), date column ('''' for today), then the subject columns.';

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
    'What a subject has used of a limit in the period of on_date, locking that subject''s ledger until the transaction ends, so that a computation can use the remainder safely (money limits in yuan, others as counts).';

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
       t.tgname AS trigger_name
  FROM pg_catalog.pg_trigger t
 CROSS JOIN LATERAL (SELECT bangfu.trigger_args(t.tgargs, t.tgnargs) AS args) a
 WHERE t.tgfoid OPERATOR(pg_catalog.=) 'bangfu.limit_guard()'::pg_catalog.regprocedure
   AND (t.tgtype::pg_catalog.int4 OPERATOR(pg_catalog.&) 2) OPERATOR(pg_catalog.<>) 0;  -- the BEFORE row trigger
COMMENT ON VIEW bangfu.limit_attachment IS
    'Which limits guard which tables, with the columns they read (from pg_trigger).';

-- What the rows of one attachment add up to, per subject and period, in the
-- ledger's units.  The subject text is built exactly as the trigger does.
CREATE FUNCTION bangfu.limit_actual(p_tab regclass, p_limit text)
RETURNS TABLE (subject text, period integer, used bigint)
LANGUAGE plpgsql STABLE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    att record;
    def bangfu.limit_def;
    subj text;
    per text;
    amt text;
BEGIN
    SELECT * INTO att FROM bangfu.limit_attachment a WHERE a.tab = p_tab AND a.limit_name = p_limit;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'limit "%" is not attached to %', p_limit, p_tab
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    SELECT * INTO def FROM bangfu.limit_def d WHERE d.name = p_limit;
    IF coalesce(array_length(att.subject_cols, 1), 0) = 0 THEN
        subj := quote_literal('');
    ELSE
        SELECT string_agg(format('%I::text', c), ' || E''\x1f'' || ') INTO subj
          FROM unnest(att.subject_cols) c;
    END IF;
    per := CASE def.period WHEN 'year' THEN format('extract(year FROM %I)::integer', att.date_col) ELSE '0' END;
    amt := CASE def.unit
               WHEN 'money' THEN format('round(sum(%I) * 100)::bigint', att.amount_col)
               WHEN 'count' THEN format('sum(%I)::bigint', att.amount_col)
               ELSE 'count(*)::bigint' END;
    RETURN QUERY EXECUTE format('SELECT %s, %s, %s * %s FROM %s GROUP BY 1, 2',
                                subj, per, def.direction, amt, p_tab);
END
$$;
COMMENT ON FUNCTION bangfu.limit_actual(regclass, text) IS
    'What the rows of a guarded table add up to per subject and period, in the ledger''s units.';

-- Differences between the ledger and the tables; empty when all is well.
CREATE FUNCTION bangfu.limit_check()
RETURNS TABLE (tab regclass, limit_name text, subject text, period integer, recorded bigint, actual bigint)
LANGUAGE plpgsql STABLE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    att record;
BEGIN
    FOR att IN SELECT DISTINCT a.tab, a.limit_name FROM bangfu.limit_attachment a LOOP
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
    'Every difference between what the limits have recorded (bangfu.usage) and what the guarded tables hold; no rows means the books are right.';

-- Recount the ledger from the tables (after a restore without triggers, say).
CREATE FUNCTION bangfu.limit_rebuild()
RETURNS bigint
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    att record;
    n bigint;
BEGIN
    LOCK TABLE bangfu.usage IN EXCLUSIVE MODE;
    SELECT count(*) INTO n FROM bangfu.limit_check();
    FOR att IN SELECT DISTINCT a.tab, a.limit_name FROM bangfu.limit_attachment a LOOP
        EXECUTE format('LOCK TABLE %s IN SHARE MODE', att.tab);
    END LOOP;
    DELETE FROM bangfu.usage;
    FOR att IN SELECT DISTINCT a.tab, a.limit_name FROM bangfu.limit_attachment a LOOP
        INSERT INTO bangfu.usage (limit_name, tab, subject, period, used)
        SELECT att.limit_name, att.tab, x.subject, x.period, x.used
          FROM bangfu.limit_actual(att.tab, att.limit_name) x;
    END LOOP;
    PERFORM bangfu.limit_forget_books();
    RETURN n;
END
$$;
COMMENT ON FUNCTION bangfu.limit_rebuild() IS
    'Recounts bangfu.usage from the guarded tables; returns how many differences it mended. Executable by bangfu_policy_admin only.';

-- Count what a guarded table already holds into the ledger (attach_limit's
-- second half).  SECURITY DEFINER to write the ledger, which is harmless to
-- expose: it only recounts a limit whose triggers are really on the table.
CREATE FUNCTION bangfu.limit_recount(p_tab regclass, p_limit text)
RETURNS void
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    bad record;
BEGIN
    IF NOT EXISTS (SELECT FROM bangfu.limit_attachment a WHERE a.tab = p_tab AND a.limit_name = p_limit) THEN
        RAISE EXCEPTION 'limit "%" is not attached to %', p_limit, p_tab
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    EXECUTE format('LOCK TABLE %s IN SHARE ROW EXCLUSIVE MODE', p_tab);
    DELETE FROM bangfu.usage u WHERE u.tab = p_tab AND u.limit_name = p_limit;
    INSERT INTO bangfu.usage (limit_name, tab, subject, period, used)
    SELECT p_limit, p_tab, x.subject, x.period, x.used
      FROM bangfu.limit_actual(p_tab, p_limit) x;
    PERFORM bangfu.limit_forget_books();
    SELECT * INTO bad FROM bangfu.limit_over(p_limit) LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION 'table % already breaks limit "%": subject % used % in period % (cap %)',
            p_tab, p_limit, bad.subject, bad.used, bad.period, bad.cap
            USING ERRCODE = 'check_violation';
    END IF;
END
$$;
COMMENT ON FUNCTION bangfu.limit_recount(regclass, text) IS
    'Recount one attached limit of one table into the ledger, refusing if the rows already break it.';

-- Forget the ledger of a limit that is no longer attached (detach_limit's second half).
CREATE FUNCTION bangfu.limit_forget(p_tab regclass, p_limit text)
RETURNS void
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF EXISTS (SELECT FROM bangfu.limit_attachment a WHERE a.tab = p_tab AND a.limit_name = p_limit) THEN
        RAISE EXCEPTION 'limit "%" is still attached to %', p_limit, p_tab
            USING ERRCODE = 'object_not_in_prerequisite_state';
    END IF;
    DELETE FROM bangfu.usage u WHERE u.tab = p_tab AND u.limit_name = p_limit;
    PERFORM bangfu.limit_forget_books();
END
$$;
COMMENT ON FUNCTION bangfu.limit_forget(regclass, text) IS
    'Drop the ledger rows of a limit that is no longer attached to a table.';

-- Attach a limit to a table in one statement.  It runs with the caller's
-- rights: creating the triggers needs the table's ownership.
CREATE FUNCTION bangfu.attach_limit(tab regclass, limit_name text, subject text[],
                                    amount name DEFAULT NULL, on_date name DEFAULT NULL,
                                    mode text DEFAULT 'reject')
RETURNS void
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    def bangfu.limit_def;
    c text;
    args text;
    trig text;
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
    -- count what the table already holds, refusing if it already breaks the limit
    PERFORM bangfu.limit_recount(tab, def.name);
END
$$;
COMMENT ON FUNCTION bangfu.attach_limit(regclass, text, text[], name, name, text) IS
    'Guard a table with a limit in one statement (the table''s owner): subject columns, amount column (none for row limits), date column (none for lifetime limits), mode clamp or reject. Counts the rows already there and refuses if they already break the limit.';

CREATE FUNCTION bangfu.detach_limit(tab regclass, limit_name text)
RETURNS void
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    EXECUTE format('DROP TRIGGER %I ON %s', 'zz_bangfu_' || limit_name, tab);
    EXECUTE format('DROP TRIGGER %I ON %s', 'zz_bangfu_' || limit_name || '_after', tab);
    EXECUTE format('DROP TRIGGER %I ON %s', 'zz_bangfu_' || limit_name || '_flush', tab);
    PERFORM bangfu.limit_forget(tab, limit_name);
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
    PERFORM bangfu.limit_forget_books();
END
$$;
COMMENT ON FUNCTION bangfu.forget_dropped_tables() IS
    'sql_drop event trigger: dropping a guarded table removes its rows from the limits'' ledger.';
CREATE EVENT TRIGGER bangfu_forget_dropped_tables ON sql_drop
    EXECUTE FUNCTION bangfu.forget_dropped_tables();
COMMENT ON EVENT TRIGGER bangfu_forget_dropped_tables IS
    'Keeps bangfu.usage free of rows for tables that no longer exist.';

-- Subjects over their cap in the ledger, all tables together.
CREATE FUNCTION bangfu.limit_over(p_limit text)
RETURNS TABLE (subject text, period integer, used bigint, cap bigint)
LANGUAGE sql STABLE
SET search_path = pg_catalog, pg_temp
AS $$
    SELECT s.subject, s.period, s.used, s.cap
      FROM (SELECT u.subject, u.period, sum(u.used)::bigint AS used,
                   bangfu.limit_cap_units(p_limit, CASE WHEN u.period = 0 THEN CURRENT_DATE
                                                        ELSE make_date(u.period, 12, 31) END) AS cap
              FROM bangfu.usage u WHERE u.limit_name = p_limit
             GROUP BY u.subject, u.period) s
     WHERE s.used > s.cap
$$;
COMMENT ON FUNCTION bangfu.limit_over(text) IS
    'Subjects whose recorded use of a limit is over its cap (the cap as of the period''s last day).';

-- The ledger in yuan, for people.
CREATE VIEW bangfu.usage_report AS
SELECT u.limit_name COLLATE "default" AS limit_name, d.clause, u.tab,
       u.subject COLLATE "default" AS subject, u.period,
       CASE d.unit WHEN 'money' THEN (u.used::numeric / 100)::numeric(20,2) ELSE u.used::numeric END AS used
  FROM bangfu.usage u JOIN bangfu.limit_def d ON d.name OPERATOR(pg_catalog.=) u.limit_name;
COMMENT ON VIEW bangfu.usage_report IS
    'bangfu.usage with money in yuan and the clause of each limit.';
