
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
INSERT INTO bangfu.policy (param, amount, shipped, note) VALUES
    ('relief.fund.reserve', 0, true, 'the seed sets no reserve: every reason alike, first approved first committed');

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
