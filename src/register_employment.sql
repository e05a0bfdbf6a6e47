
-- ---------------------------------------------------------------------------
-- Employment in the register (issue 14; doc/people.md): 五 pay first,
-- subsidy after; 八(1) the hiring window; 十 fee waivers and rent
-- concessions.  Kept by human resources and social security (人社, 就业,
-- 社保), which 十二 gives 就业、社会保障; 十's waivers and concessions have no
-- department of their own among the roles and are read as 就业's (创业扶持).
-- Appended to bangfu_register's install script and to the script that
-- adopts a 0.2.0 register (Makefile: REGISTER_PARTS, REGISTER_ADOPT_ADD).
-- ---------------------------------------------------------------------------

-- A restore loads the rows of these tables as history too (see the end of
-- src/register.sql): the two statement triggers of bangfu.restore_begin/end.
CREATE FUNCTION bangfu_register.restore_triggers(tabs text[])
RETURNS void
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    t text;
BEGIN
    FOREACH t IN ARRAY tabs
    LOOP
        EXECUTE format('CREATE TRIGGER restore_begin BEFORE INSERT ON bangfu_register.%I
                            FOR EACH STATEMENT EXECUTE FUNCTION bangfu.restore_begin()', t);
        EXECUTE format('CREATE TRIGGER restore_end AFTER INSERT ON bangfu_register.%I
                            FOR EACH STATEMENT EXECUTE FUNCTION bangfu.restore_end()', t);
        EXECUTE format('ALTER TABLE bangfu_register.%I ENABLE ALWAYS TRIGGER restore_begin', t);
        EXECUTE format('ALTER TABLE bangfu_register.%I ENABLE ALWAYS TRIGGER restore_end', t);
    END LOOP;
END
$$;
REVOKE ALL ON FUNCTION bangfu_register.restore_triggers(text[]) FROM PUBLIC;
COMMENT ON FUNCTION bangfu_register.restore_triggers(text[]) IS
    '十二 gives tables of the register the restore''s statement triggers (bangfu.restore_begin, restore_end); run by the install scripts.';

-- 二要素 for the people 人社 records (doc/security.md, "What a department
-- can learn from an ID number alone").  人社 does not read the register's
-- members, yet its tables take a person's ID number: the foreign keys to
-- bangfu_register.member (employment_certificate, pension_contribution,
-- assistance_refusal) accepted a registered number and refused any other,
-- and the hardship that a placement, a candidate's wait or a pre-employment
-- enrolment works out said whether the number's household was in hardship,
-- so that numbers tried one after another listed the registered people of a
-- region and birth month.  So a role that cannot read the members' numbers
-- and names gives the person's name with the number (person_name), as it
-- does for person_household(who, name): an unknown number, another name and
-- (where the table takes members only) no name all give one error, the
-- same whatever the number, before the foreign key or any other trigger
-- sees the row; the name is checked, then cleared (a CHECK keeps it out of
-- every stored row).  Where the table takes anyone (welfare_candidate,
-- welfare_placement, training_enrolment), a row with no name is taken as of
-- someone the register does not know (named false: never of a household in
-- hardship), so a number alone again tells nothing.  Roles that read the
-- members (the owner, the street office) are not asked for a name.
-- Not SECURITY DEFINER: it asks whether the acting role (current_user,
-- which a SECURITY DEFINER function would replace by the owner) reads the
-- members; a role that does not checks the name through person_household
-- (who, name), which it must be allowed to call (人社 is).  Its trigger's
-- name (a_person_named) sorts before every other trigger of its tables.
-- TG_ARGV[0]: 'member' where the person must be a registered member,
-- 'anyone' where the table has the column named.
CREATE FUNCTION bangfu_register.person_named() RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    reads boolean;
    ok boolean;
BEGIN
    IF NEW.person IS NULL THEN
        RETURN NEW;             -- NOT NULL names it
    END IF;
    IF TG_OP = 'UPDATE' AND NEW.person_name IS NULL AND NEW.person OPERATOR(bangfu.=) OLD.person THEN
        RETURN NEW;             -- the same person, named when the row was recorded
    END IF;
    reads := pg_catalog.has_column_privilege('bangfu_register.member', 'id', 'SELECT')
             AND pg_catalog.has_column_privilege('bangfu_register.member', 'name', 'SELECT');
    IF NEW.person_name IS NOT NULL THEN
        IF reads THEN
            ok := EXISTS (SELECT FROM bangfu_register.member m
                           WHERE m.id OPERATOR(bangfu.=) NEW.person AND m.name OPERATOR(pg_catalog.=) NEW.person_name);
        ELSE
            ok := bangfu_register.person_household(NEW.person, NEW.person_name) IS NOT NULL;
        END IF;
    ELSIF reads THEN
        RETURN NEW;             -- the owner and the register's own clerks name nobody (named as given: true, or a restore's)
    ELSE
        ok := false;            -- no name: someone the register does not know, whatever the number
    END IF;
    -- one error, raised from one place, for another name, an unknown number
    -- and (members only) no name
    IF NOT ok AND (NEW.person_name IS NOT NULL OR TG_ARGV[0] = 'member') THEN
        PERFORM bangfu.raise_error('person_not_named', TG_TABLE_NAME, bangfu.mask(NEW.person));
    END IF;
    NEW.person_name := NULL;    -- checked, not kept
    IF TG_ARGV[0] = 'anyone' THEN
        NEW.named := ok;
    END IF;
    RETURN NEW;
END
$$;
REVOKE ALL ON FUNCTION bangfu_register.person_named() FROM PUBLIC;
COMMENT ON FUNCTION bangfu_register.person_named() IS
    '五, 六, 七 trigger (二要素): a role that does not read the register''s members names the person of a row by ID number and name (person_name), both as the register has them, else one error (23503) whatever the number; where the table takes anyone (argument anyone), a row with no name is of someone the register does not know (named false). The name is checked, then cleared.';

-- Employers and individual businesses (八, 十, 十二): who hires, who rents
-- in the eco-cultural park, who posts jobs.
CREATE TABLE bangfu_register.employer (
    id              bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    name            text NOT NULL CHECK (name <> ''),
    kind            text NOT NULL DEFAULT 'enterprise' CHECK (kind IN ('enterprise', 'individual')),
    handicraft      boolean NOT NULL DEFAULT false,
    eco_park        boolean NOT NULL DEFAULT false,
    note            text
);
COMMENT ON TABLE bangfu_register.employer IS
    '八, 十, 十二 enterprises (kind enterprise) and individual businesses (individual, 个体工商户) that hire, rent or post jobs.';
COMMENT ON COLUMN bangfu_register.employer.handicraft IS
    '八(3), 十 makes, buys or sells handicrafts such as embroidery and carpets (从事刺绣、地毯等工艺品制作、收购、销售).';
COMMENT ON COLUMN bangfu_register.employer.eco_park IS
    '十 rents its premises in the 城东生态文化园.';

-- ---------------------------------------------------------------------------
-- 五 pension subsidy for the flexibly employed: 持《就业失业登记证》并通过自谋职业
-- 实现灵活就业 ... 以个人身份缴纳养老保险金时, 按照“先缴后补”办法 ... 实际缴费额
-- 的2/3, 最长补贴期限为3年.
-- ---------------------------------------------------------------------------

CREATE TABLE bangfu_register.employment_certificate (
    id              bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    person          bangfu.cnid NOT NULL REFERENCES bangfu_register.member,
    number          text NOT NULL UNIQUE CHECK (number <> ''),
    issued_on       date NOT NULL,
    flexible        daterange NOT NULL CHECK (NOT isempty(flexible) AND NOT lower_inf(flexible)),
    note            text,
    person_name     text CONSTRAINT employment_certificate_person_name_not_kept CHECK (person_name IS NULL)
);
CREATE INDEX employment_certificate_person_idx ON bangfu_register.employment_certificate (person);
COMMENT ON TABLE bangfu_register.employment_certificate IS
    '五 employment-unemployment registration certificates (《就业失业登记证》) of registered members, with the days the holder works flexibly (灵活就业, 自谋职业).';
COMMENT ON COLUMN bangfu_register.employment_certificate.person_name IS
    '二要素: the holder''s name as the register has it, given with the ID number by a role that does not read the register''s members (人社); checked against bangfu_register.member by the trigger a_person_named, then cleared: the name is checked, not kept (always NULL in a stored row).';
CREATE TRIGGER a_person_named BEFORE INSERT OR UPDATE ON bangfu_register.employment_certificate
    FOR EACH ROW EXECUTE FUNCTION bangfu_register.person_named('member');
COMMENT ON COLUMN bangfu_register.employment_certificate.flexible IS
    '五 days of flexible employment: a contribution paid on one of them, on or after issued_on, may be subsidised.';

CREATE TABLE bangfu_register.pension_contribution (
    id              bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    person          bangfu.cnid NOT NULL REFERENCES bangfu_register.member,
    paid_on         date NOT NULL,
    months          integer NOT NULL CHECK (months BETWEEN 1 AND 120),
    amount          numeric(12,2) NOT NULL CHECK (amount > 0),
    note            text,
    recorded_by     name NOT NULL DEFAULT CURRENT_USER,
    recorded_at     timestamptz NOT NULL DEFAULT pg_catalog.now(),
    person_name     text CONSTRAINT pension_contribution_person_name_not_kept CHECK (person_name IS NULL)
);
CREATE INDEX pension_contribution_person_idx ON bangfu_register.pension_contribution (person);
COMMENT ON TABLE bangfu_register.pension_contribution IS
    '五 pension contributions a member paid as an individual (以个人身份缴纳养老保险金), as the social insurance office recorded them: the day, the months covered, the amount.';
COMMENT ON COLUMN bangfu_register.pension_contribution.person_name IS
    '二要素: the contributor''s name as the register has it, given with the ID number by a role that does not read the register''s members (人社); checked against bangfu_register.member by the trigger a_person_named, then cleared: the name is checked, not kept (always NULL in a stored row).';
CREATE TRIGGER a_person_named BEFORE INSERT OR UPDATE ON bangfu_register.pension_contribution
    FOR EACH ROW EXECUTE FUNCTION bangfu_register.person_named('member');

CREATE TABLE bangfu_register.pension_subsidy (
    id              bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    contribution_id bigint NOT NULL UNIQUE REFERENCES bangfu_register.pension_contribution,
    person          bangfu.cnid NOT NULL,
    paid_on         date NOT NULL,
    months          integer NOT NULL,
    amount          numeric(12,2) NOT NULL,
    note            text,
    recorded_by     name NOT NULL,
    recorded_at     timestamptz NOT NULL
);
CREATE INDEX pension_subsidy_person_idx ON bangfu_register.pension_subsidy (person);
COMMENT ON TABLE bangfu_register.pension_subsidy IS
    '五 先缴后补: the subsidy of one recorded contribution, paid on or after it, to a holder of the certificate in flexible employment on the day of the contribution: bangfu.pension_subsidy (2/3, pro rata for the months left of 36; limit pension_months). person, months and amount are set by the trigger.';

-- What a person has used of the 36 months, locking it until commit (五):
-- the check trigger's, without bangfu.limit_used, which would tell
-- 人社 any person's other amounts.
CREATE FUNCTION bangfu_register.pension_months_used(p_person bangfu.cnid)
RETURNS integer
LANGUAGE sql VOLATILE STRICT
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$ SELECT bangfu.limit_used('pension_months', p_person::text, DATE '2000-01-01')::integer $$;
REVOKE ALL ON FUNCTION bangfu_register.pension_months_used(bangfu.cnid) FROM PUBLIC;
COMMENT ON FUNCTION bangfu_register.pension_months_used(bangfu.cnid) IS
    '五 months of pension subsidy a person has had (limit pension_months, lifetime), locking them until the transaction ends.';

CREATE FUNCTION bangfu_register.pension_subsidy_check() RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    c bangfu_register.pension_contribution;
    used integer;
    most integer;
BEGIN
    IF TG_OP = 'UPDATE' THEN
        -- a booked subsidy is history: only its note changes
        IF NEW.contribution_id <> OLD.contribution_id OR NEW.paid_on <> OLD.paid_on THEN
            PERFORM bangfu.raise_error('people_row_fixed', TG_TABLE_NAME, OLD.id);
        END IF;
        NEW.person := OLD.person; NEW.months := OLD.months; NEW.amount := OLD.amount;
        NEW.recorded_by := OLD.recorded_by; NEW.recorded_at := OLD.recorded_at;
        RETURN NEW;
    ELSIF NEW.recorded_at IS NOT NULL THEN
        PERFORM bangfu_register.require_owner(TG_RELID, bangfu.message_text('what_people_checked'));
        RETURN NEW;
    END IF;
    NEW.recorded_by := current_user;
    NEW.recorded_at := now();

    SELECT * INTO c FROM bangfu_register.pension_contribution p WHERE p.id = NEW.contribution_id;
    IF NOT FOUND THEN
        PERFORM bangfu.raise_error('pension_no_contribution', NEW.contribution_id);
    END IF;
    IF NEW.paid_on < c.paid_on THEN
        PERFORM bangfu.raise_error('pension_before_payment', to_char(NEW.paid_on, 'YYYY-MM-DD'),
                                   c.id, to_char(c.paid_on, 'YYYY-MM-DD'));
    END IF;
    IF NOT EXISTS (SELECT FROM bangfu_register.employment_certificate e
                    WHERE e.person OPERATOR(bangfu.=) c.person AND e.issued_on <= c.paid_on
                      AND e.flexible @> c.paid_on) THEN
        PERFORM bangfu.raise_error('pension_not_flexible', bangfu.mask(c.person), to_char(c.paid_on, 'YYYY-MM-DD'));
    END IF;
    used := bangfu_register.pension_months_used(c.person);
    most := bangfu.policy_count('pension.max_months', c.paid_on);
    IF used >= most THEN
        PERFORM bangfu.raise_error('pension_months_used_up', bangfu.mask(c.person), used, most);
    END IF;
    NEW.person := c.person;
    NEW.months := least(c.months, most - used);
    NEW.amount := bangfu.pension_subsidy(c.amount, c.months, used, c.paid_on);
    RETURN NEW;
END
$$;
COMMENT ON FUNCTION bangfu_register.pension_subsidy_check() IS
    '五 trigger: a subsidy refers to a recorded contribution (23503), is paid on or after it (22023, 先缴后补), to a certificate holder in flexible employment on the contribution''s day (23514), while months are left of pension.max_months (23514); sets person, months and amount (bangfu.pension_subsidy, pro rata). An UPDATE changes the note only.';

CREATE TRIGGER pension_subsidy_check BEFORE INSERT OR UPDATE ON bangfu_register.pension_subsidy
    FOR EACH ROW EXECUTE FUNCTION bangfu_register.pension_subsidy_check();

INSERT INTO bangfu.limit_share (limit_name, tab, note, shipped) VALUES
    ('pension_months', 'bangfu_register.pension_subsidy', '五 the register''s pension subsidies', true);
SELECT bangfu.attach_limit('bangfu_register.pension_subsidy', 'pension_months', ARRAY['person'],
                           'months', 'paid_on', 'reject', 'common');

-- ---------------------------------------------------------------------------
-- 八(1) the employer's social-insurance subsidy: 招用男年满45周岁、女年满40周岁
-- 就业困难人员 ... 县财政分别按照单位为其缴纳“三金”10%、25%、50%给予补贴, 期限1年.
-- ---------------------------------------------------------------------------

CREATE TABLE bangfu_register.hire (
    id              bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    employer_id     bigint NOT NULL REFERENCES bangfu_register.employer,
    person          bangfu.cnid NOT NULL,
    hired_on        date NOT NULL,
    left_on         date,
    note            text,
    UNIQUE (employer_id, person, hired_on),
    CONSTRAINT hire_left CHECK (left_on >= hired_on)
);
COMMENT ON TABLE bangfu_register.hire IS
    '八(1) a person hired by an employer on a day (and left on a day); the subsidy is for hard-to-employ hires (bangfu.hard_to_employ on the hire date).';

-- The day the window of n months after a hire closes (exclusive): the
-- monthly anniversary, which for a day the month lacks (31st, 29 February)
-- is the 1st of the next month, as for birthdays and loans (spec 8).
CREATE FUNCTION bangfu_register.months_after(d date, n integer)
RETURNS date
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
RETURN CASE WHEN extract(day FROM (d + make_interval(months => n))::date) OPERATOR(pg_catalog.<) extract(day FROM d)
            THEN ((d + make_interval(months => n))::date OPERATOR(pg_catalog.+) 1)
            ELSE (d + make_interval(months => n))::date END;
COMMENT ON FUNCTION bangfu_register.months_after(date, integer) IS
    '八(1) the day n months after d: its monthly anniversary, or the 1st of the next month when that month lacks the day (2026-01-31 + 1 → 2026-03-01).';

CREATE TABLE bangfu_register.employer_subsidy (
    id              bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    hire_id         bigint NOT NULL REFERENCES bangfu_register.hire,
    month           date NOT NULL,
    pension         numeric(12,2) NOT NULL CHECK (pension >= 0),
    injury          numeric(12,2) NOT NULL CHECK (injury >= 0),
    unemployment    numeric(12,2) NOT NULL CHECK (unemployment >= 0),
    amount          numeric(12,2) NOT NULL,
    employer_id     bigint NOT NULL,
    person          bangfu.cnid NOT NULL,
    months          integer NOT NULL DEFAULT 1 CHECK (months = 1),
    note            text,
    recorded_by     name NOT NULL,
    recorded_at     timestamptz NOT NULL,
    UNIQUE (hire_id, month)
);
COMMENT ON TABLE bangfu_register.employer_subsidy IS
    '八(1) the county''s subsidy of one month of an employer''s three contributions for a hard-to-employ hire (bangfu.enterprise_subsidy): only for a calendar month that overlaps the first employer.subsidy.window_months months after the hire date (期限1年), and at most employer.subsidy.months months per employer and employee (limit employer_subsidy_months). amount, employer_id and person are set by the trigger.';
COMMENT ON COLUMN bangfu_register.employer_subsidy.month IS
    '八(1) the contribution month, as its first day.';

CREATE FUNCTION bangfu_register.employer_subsidy_check() RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    h bangfu_register.hire;
    closes date;
BEGIN
    IF TG_OP = 'UPDATE' THEN
        IF NEW.hire_id <> OLD.hire_id OR NEW.month <> OLD.month OR NEW.pension <> OLD.pension
           OR NEW.injury <> OLD.injury OR NEW.unemployment <> OLD.unemployment THEN
            PERFORM bangfu.raise_error('people_row_fixed', TG_TABLE_NAME, OLD.id);
        END IF;
        NEW.amount := OLD.amount; NEW.employer_id := OLD.employer_id; NEW.person := OLD.person;
        NEW.recorded_by := OLD.recorded_by; NEW.recorded_at := OLD.recorded_at;
        RETURN NEW;
    ELSIF NEW.recorded_at IS NOT NULL THEN
        PERFORM bangfu_register.require_owner(TG_RELID, bangfu.message_text('what_people_checked'));
        RETURN NEW;
    END IF;
    NEW.recorded_by := current_user;
    NEW.recorded_at := now();

    IF NEW.month <> date_trunc('month', NEW.month)::date THEN
        PERFORM bangfu.raise_error('subsidy_month_not_first', to_char(NEW.month, 'YYYY-MM-DD'));
    END IF;
    SELECT * INTO h FROM bangfu_register.hire x WHERE x.id = NEW.hire_id;
    IF NOT FOUND THEN
        PERFORM bangfu.raise_error('hire_unknown', NEW.hire_id);
    END IF;
    IF NOT bangfu.hard_to_employ(h.person, h.hired_on) THEN
        PERFORM bangfu.raise_error('hire_not_hard_to_employ', h.id, bangfu.mask(h.person),
                                   to_char(h.hired_on, 'YYYY-MM-DD'));
    END IF;
    closes := bangfu_register.months_after(h.hired_on, bangfu.policy_count('employer.subsidy.window_months', h.hired_on));
    IF NEW.month >= closes OR (NEW.month + interval '1 month')::date <= h.hired_on
       OR NEW.month > h.left_on THEN
        PERFORM bangfu.raise_error('subsidy_month_outside_window', to_char(NEW.month, 'YYYY-MM'), h.id,
                                   to_char(h.hired_on, 'YYYY-MM-DD'), to_char(closes - 1, 'YYYY-MM-DD'));
    END IF;
    NEW.employer_id := h.employer_id;
    NEW.person := h.person;
    NEW.amount := bangfu.enterprise_subsidy(NEW.pension, NEW.injury, NEW.unemployment, h.hired_on);
    RETURN NEW;
END
$$;
COMMENT ON FUNCTION bangfu_register.employer_subsidy_check() IS
    '八(1) trigger: the month is given by its first day (22023), the hire exists (23503) and is of a hard-to-employ person on the hire date (23514), the month overlaps the hiring window and precedes leaving (23514); sets employer, person and amount (the rates in force on the hire date). An UPDATE changes the note only.';

CREATE TRIGGER employer_subsidy_check BEFORE INSERT OR UPDATE ON bangfu_register.employer_subsidy
    FOR EACH ROW EXECUTE FUNCTION bangfu_register.employer_subsidy_check();

INSERT INTO bangfu.limit_share (limit_name, tab, note, shipped) VALUES
    ('employer_subsidy_months', 'bangfu_register.employer_subsidy', '八(1) the register''s employer subsidies', true);
SELECT bangfu.attach_limit('bangfu_register.employer_subsidy', 'employer_subsidy_months', ARRAY['employer_id', 'person'],
                           'months', 'month', 'reject', 'common');

-- ---------------------------------------------------------------------------
-- 十 business environment: 对就业困难人员自主创业从事个体经营的减免登记类收费;
-- 对在城东生态文化园租房从事刺绣、地毯等工艺品制作、收购、销售的企业和个体工商户,
-- 房屋租赁费用上给予优惠.
-- ---------------------------------------------------------------------------

CREATE TABLE bangfu_register.fee_waiver (
    id              bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    person          bangfu.cnid NOT NULL,
    business        text NOT NULL CHECK (business <> ''),
    registered_on   date NOT NULL,
    charges         numeric(12,2) NOT NULL CHECK (charges >= 0),
    waived          numeric(12,2) NOT NULL,
    note            text,
    recorded_by     name NOT NULL,
    recorded_at     timestamptz NOT NULL
);
COMMENT ON TABLE bangfu_register.fee_waiver IS
    '十 registration charges (登记类收费) waived for a hard-to-employ person (bangfu.hard_to_employ on the registration day) setting up an individual business: waived = business.fee_waiver_rate of the charges, set by the trigger.';

CREATE TABLE bangfu_register.rent_concession (
    id              bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    employer_id     bigint NOT NULL REFERENCES bangfu_register.employer,
    rent_from       date NOT NULL,
    rent_to         date NOT NULL,
    rent            numeric(12,2) NOT NULL CHECK (rent >= 0),
    concession      numeric(12,2) NOT NULL CHECK (concession >= 0),
    note            text,
    recorded_by     name NOT NULL,
    recorded_at     timestamptz NOT NULL,
    CONSTRAINT rent_concession_period CHECK (rent_to >= rent_from)
);
COMMENT ON TABLE bangfu_register.rent_concession IS
    '十 a rent concession for a handicraft business (employer.handicraft, 八(3)''s activity) renting in the 城东生态文化园 (employer.eco_park): at most business.rent_concession_rate of the rent of the period, in force on its first day.';

CREATE FUNCTION bangfu_register.business_support_check() RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    e bangfu_register.employer;
    most numeric;
BEGIN
    IF TG_OP = 'UPDATE' THEN
        NEW.recorded_by := OLD.recorded_by; NEW.recorded_at := OLD.recorded_at;
    ELSIF NEW.recorded_at IS NOT NULL THEN
        PERFORM bangfu_register.require_owner(TG_RELID, bangfu.message_text('what_people_checked'));
        RETURN NEW;
    ELSE
        NEW.recorded_by := current_user;
        NEW.recorded_at := now();
    END IF;
    IF TG_TABLE_NAME = 'fee_waiver' THEN
        IF NOT bangfu.hard_to_employ(NEW.person, NEW.registered_on) THEN
            PERFORM bangfu.raise_error('waiver_not_hard_to_employ', bangfu.mask(NEW.person),
                                       to_char(NEW.registered_on, 'YYYY-MM-DD'));
        END IF;
        NEW.waived := round(bangfu.apply(bangfu.policy_tiers('business.fee_waiver_rate', NEW.registered_on), NEW.charges), 2);
        RETURN NEW;
    END IF;
    SELECT * INTO e FROM bangfu_register.employer x WHERE x.id = NEW.employer_id;
    IF NOT (coalesce(e.handicraft, false) AND coalesce(e.eco_park, false)) THEN
        PERFORM bangfu.raise_error('rent_not_eligible', NEW.employer_id);
    END IF;
    most := round(bangfu.apply(bangfu.policy_tiers('business.rent_concession_rate', NEW.rent_from), NEW.rent), 2);
    IF NEW.concession > most THEN
        PERFORM bangfu.raise_error('rent_concession_too_high', NEW.concession, NEW.rent, most,
                                   to_char(NEW.rent_from, 'YYYY-MM-DD'));
    END IF;
    RETURN NEW;
END
$$;
COMMENT ON FUNCTION bangfu_register.business_support_check() IS
    '十 trigger: a fee waiver is for a hard-to-employ person on the registration day (23514) and waives business.fee_waiver_rate of the charges; a rent concession is for a handicraft business in the eco-cultural park (23514) and at most business.rent_concession_rate of the rent (22023).';

CREATE TRIGGER fee_waiver_check BEFORE INSERT OR UPDATE ON bangfu_register.fee_waiver
    FOR EACH ROW EXECUTE FUNCTION bangfu_register.business_support_check();
CREATE TRIGGER rent_concession_check BEFORE INSERT OR UPDATE ON bangfu_register.rent_concession
    FOR EACH ROW EXECUTE FUNCTION bangfu_register.business_support_check();

-- ---------------------------------------------------------------------------
-- Back-payments (补发) of 五, 八(1) and 十 after a policy change that reaches
-- back (十二; issue 13): what bangfu_register.verify reports as owed on a
-- pension subsidy, an employer subsidy or a fee waiver is paid back as an
-- ordinary row naming it, one table per clause as for 四
-- (medical_backpay): each row is the clause's money, with the clause's
-- subject and limit.  A back-payment is refused beyond what its row is
-- owed now (these clauses have no yearly amount cap: what is owed is the
-- cap), and a 五 back-payment carries the months the row is owed, counted
-- by limit pension_months like the subsidies (refused beyond the 36, or the
-- count in force).  A 八(1) back-payment completes a month its subsidy row
-- counted already (limit employer_subsidy_months counts rows of months);
-- 十 has no limit (bangfu_register.business_support_yearly totals them).
-- 十's rent concessions are chosen up to a ceiling, so a change can only
-- make one overpaid: nothing to pay back.  Kept by 人社, like the rows.
-- ---------------------------------------------------------------------------

-- What one row of pension_subsidy, employer_subsidy or fee_waiver is owed
-- now: verify's 'owed' difference (a hand edit, 'differs', is owed
-- nothing) less the back-payments booked on it.  The row is locked until
-- the transaction ends, so two clerks paying back the same row are counted
-- one after the other.  With the owner's rights over a table name and a
-- row number: verify reads the policy and the person's earlier rows.
CREATE FUNCTION bangfu_register.backpay_owed(tab text, row_id bigint)
RETURNS TABLE (months integer, amount numeric)
LANGUAGE plpgsql VOLATILE STRICT
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    d date;
    f text;
    m numeric;
    a numeric;
BEGIN
    IF backpay_owed.tab = 'pension_subsidy' THEN
        SELECT x.paid_on INTO d FROM bangfu_register.pension_subsidy x WHERE x.id = backpay_owed.row_id FOR NO KEY UPDATE;
        f := 'amount';
    ELSIF backpay_owed.tab = 'employer_subsidy' THEN
        SELECT x.month INTO d FROM bangfu_register.employer_subsidy x WHERE x.id = backpay_owed.row_id FOR NO KEY UPDATE;
        f := 'amount';
    ELSIF backpay_owed.tab = 'fee_waiver' THEN
        SELECT x.registered_on INTO d FROM bangfu_register.fee_waiver x WHERE x.id = backpay_owed.row_id FOR NO KEY UPDATE;
        f := 'waived';
    ELSE
        PERFORM bangfu.raise_error('backpay_unknown_table', backpay_owed.tab);
    END IF;
    IF d IS NULL THEN
        RETURN;                 -- no such row
    END IF;
    SELECT coalesce(sum(v.expected - v.stored) FILTER (WHERE v.field = 'months'), 0),
           coalesce(sum(v.expected - v.stored) FILTER (WHERE v.field = f), 0)
      INTO m, a
      FROM bangfu_register.verify_employment(d, d) v
     WHERE v.tab = backpay_owed.tab AND v.row_id = backpay_owed.row_id AND v.kind = 'owed';
    IF backpay_owed.tab = 'pension_subsidy' THEN
        SELECT m - coalesce(sum(b.months), 0), a - coalesce(sum(b.amount), 0) INTO m, a
          FROM bangfu_register.pension_backpay b WHERE b.subsidy_id = backpay_owed.row_id;
    ELSIF backpay_owed.tab = 'employer_subsidy' THEN
        SELECT a - coalesce(sum(b.amount), 0) INTO a
          FROM bangfu_register.employer_subsidy_backpay b WHERE b.subsidy_id = backpay_owed.row_id;
    ELSE
        SELECT a - coalesce(sum(b.amount), 0) INTO a
          FROM bangfu_register.fee_waiver_backpay b WHERE b.waiver_id = backpay_owed.row_id;
    END IF;
    months := greatest(m, 0)::integer;
    amount := greatest(a, 0)::numeric(12,2);
    RETURN NEXT;
END
$$;
REVOKE ALL ON FUNCTION bangfu_register.backpay_owed(text, bigint) FROM PUBLIC;
COMMENT ON FUNCTION bangfu_register.backpay_owed(text, bigint) IS
    '十二, 五, 八(1), 十 what a row of pension_subsidy, employer_subsidy or fee_waiver (tab) is owed now: months and yuan that bangfu_register.verify finds owed after a change that reaches back, less the back-payments booked on it; nothing for a row that differs (a hand edit). Locks the row until the transaction ends (two clerks paying it back are counted one after the other); no row for an unknown row.';

CREATE TABLE bangfu_register.pension_backpay (
    id          bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    subsidy_id  bigint NOT NULL REFERENCES bangfu_register.pension_subsidy,
    nth         integer NOT NULL,
    person      bangfu.cnid NOT NULL,
    for_date    date NOT NULL,
    months      integer NOT NULL DEFAULT 0 CHECK (months >= 0),
    amount      numeric(12,2) NOT NULL CHECK (amount > 0),
    booked_on   date NOT NULL DEFAULT CURRENT_DATE,
    note        text,
    recorded_by name NOT NULL,
    recorded_at timestamptz NOT NULL,
    UNIQUE (subsidy_id, nth),
    CONSTRAINT pension_backpay_after CHECK (booked_on >= for_date)
);
CREATE INDEX pension_backpay_person_idx ON bangfu_register.pension_backpay (person);
COMMENT ON TABLE bangfu_register.pension_backpay IS
    '十二, 五 back-payments (补发) of a pension subsidy that a change reaching back made owed (bangfu_register.backpay_owed): at most what the subsidy is owed now; months (set by the register: the months the subsidy is owed, with the first back-payment of them) are counted by limit pension_months like the subsidies (refused beyond pension.max_months). Kept by human resources and social security; never changed or removed.';
COMMENT ON COLUMN bangfu_register.pension_backpay.id IS 'Number of the back-payment.';
COMMENT ON COLUMN bangfu_register.pension_backpay.subsidy_id IS 'The pension subsidy (bangfu_register.pension_subsidy) it completes.';
COMMENT ON COLUMN bangfu_register.pension_backpay.nth IS '1 for the first back-payment of the subsidy, 2 for the second ...: set by the register; unique, so that two clerks who did not see each other''s cannot both pay it back.';
COMMENT ON COLUMN bangfu_register.pension_backpay.person IS 'The contributor (the subsidy''s), set by the register.';
COMMENT ON COLUMN bangfu_register.pension_backpay.for_date IS 'The subsidy''s payment day, set by the register: arrears count it in that year.';
COMMENT ON COLUMN bangfu_register.pension_backpay.months IS '五 months of subsidy the subsidy is owed (a higher pension.max_months), set by the register; counted by limit pension_months.';
COMMENT ON COLUMN bangfu_register.pension_backpay.amount IS '五 yuan paid back: more than 0, at most what the subsidy is owed.';
COMMENT ON COLUMN bangfu_register.pension_backpay.booked_on IS 'Day it was paid, on or after the subsidy.';
COMMENT ON COLUMN bangfu_register.pension_backpay.note IS 'Free text (the policy change it follows).';
COMMENT ON COLUMN bangfu_register.pension_backpay.recorded_by IS 'Who recorded it.';
COMMENT ON COLUMN bangfu_register.pension_backpay.recorded_at IS 'When it was recorded.';

CREATE TABLE bangfu_register.employer_subsidy_backpay (
    id          bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    subsidy_id  bigint NOT NULL REFERENCES bangfu_register.employer_subsidy,
    nth         integer NOT NULL,
    employer_id bigint NOT NULL,
    person      bangfu.cnid NOT NULL,
    for_date    date NOT NULL,
    amount      numeric(12,2) NOT NULL CHECK (amount > 0),
    booked_on   date NOT NULL DEFAULT CURRENT_DATE,
    note        text,
    recorded_by name NOT NULL,
    recorded_at timestamptz NOT NULL,
    UNIQUE (subsidy_id, nth),
    CONSTRAINT employer_subsidy_backpay_after CHECK (booked_on >= for_date)
);
CREATE INDEX employer_subsidy_backpay_person_idx ON bangfu_register.employer_subsidy_backpay (person);
COMMENT ON TABLE bangfu_register.employer_subsidy_backpay IS
    '十二, 八(1) back-payments (补发) of an employer''s social-insurance subsidy for one month that a change reaching back made owed (bangfu_register.backpay_owed): at most what the month is owed now. The month is counted already by limit employer_subsidy_months (its subsidy row). Kept by human resources and social security; never changed or removed.';
COMMENT ON COLUMN bangfu_register.employer_subsidy_backpay.id IS 'Number of the back-payment.';
COMMENT ON COLUMN bangfu_register.employer_subsidy_backpay.subsidy_id IS 'The month''s subsidy (bangfu_register.employer_subsidy) it completes.';
COMMENT ON COLUMN bangfu_register.employer_subsidy_backpay.nth IS '1 for the first back-payment of the subsidy, 2 for the second ...: set by the register; unique, so that two clerks who did not see each other''s cannot both pay it back.';
COMMENT ON COLUMN bangfu_register.employer_subsidy_backpay.employer_id IS 'The employer paid (the subsidy''s), set by the register.';
COMMENT ON COLUMN bangfu_register.employer_subsidy_backpay.person IS 'The employee (the subsidy''s), set by the register.';
COMMENT ON COLUMN bangfu_register.employer_subsidy_backpay.for_date IS 'The contribution month (its first day), set by the register: arrears count it in that year.';
COMMENT ON COLUMN bangfu_register.employer_subsidy_backpay.amount IS '八(1) yuan paid back: more than 0, at most what the month is owed.';
COMMENT ON COLUMN bangfu_register.employer_subsidy_backpay.booked_on IS 'Day it was paid, on or after the month''s first day.';
COMMENT ON COLUMN bangfu_register.employer_subsidy_backpay.note IS 'Free text (the policy change it follows).';
COMMENT ON COLUMN bangfu_register.employer_subsidy_backpay.recorded_by IS 'Who recorded it.';
COMMENT ON COLUMN bangfu_register.employer_subsidy_backpay.recorded_at IS 'When it was recorded.';

CREATE TABLE bangfu_register.fee_waiver_backpay (
    id          bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    waiver_id   bigint NOT NULL REFERENCES bangfu_register.fee_waiver,
    nth         integer NOT NULL,
    person      bangfu.cnid NOT NULL,
    for_date    date NOT NULL,
    amount      numeric(12,2) NOT NULL CHECK (amount > 0),
    booked_on   date NOT NULL DEFAULT CURRENT_DATE,
    note        text,
    recorded_by name NOT NULL,
    recorded_at timestamptz NOT NULL,
    UNIQUE (waiver_id, nth),
    CONSTRAINT fee_waiver_backpay_after CHECK (booked_on >= for_date)
);
CREATE INDEX fee_waiver_backpay_person_idx ON bangfu_register.fee_waiver_backpay (person);
COMMENT ON TABLE bangfu_register.fee_waiver_backpay IS
    '十二, 十 registration charges refunded (补发) because a change reaching back waives more of them (bangfu_register.backpay_owed): at most what the waiver is owed now; totalled per year by bangfu_register.business_support_yearly. Kept by human resources and social security; never changed or removed.';
COMMENT ON COLUMN bangfu_register.fee_waiver_backpay.id IS 'Number of the back-payment.';
COMMENT ON COLUMN bangfu_register.fee_waiver_backpay.waiver_id IS 'The fee waiver (bangfu_register.fee_waiver) it completes.';
COMMENT ON COLUMN bangfu_register.fee_waiver_backpay.nth IS '1 for the first back-payment of the waiver, 2 for the second ...: set by the register; unique, so that two clerks who did not see each other''s cannot both pay it back.';
COMMENT ON COLUMN bangfu_register.fee_waiver_backpay.person IS 'The business founder (the waiver''s), set by the register.';
COMMENT ON COLUMN bangfu_register.fee_waiver_backpay.for_date IS 'The registration day, set by the register: arrears count it in that year.';
COMMENT ON COLUMN bangfu_register.fee_waiver_backpay.amount IS '十 yuan refunded: more than 0, at most what the waiver is owed.';
COMMENT ON COLUMN bangfu_register.fee_waiver_backpay.booked_on IS 'Day it was paid, on or after the registration.';
COMMENT ON COLUMN bangfu_register.fee_waiver_backpay.note IS 'Free text (the policy change it follows).';
COMMENT ON COLUMN bangfu_register.fee_waiver_backpay.recorded_by IS 'Who recorded it.';
COMMENT ON COLUMN bangfu_register.fee_waiver_backpay.recorded_at IS 'When it was recorded.';

CREATE FUNCTION bangfu_register.backpay_check() RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    row_tab text;
    row_id bigint;
    o record;
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        PERFORM bangfu.raise_error('backpay_fixed', OLD.id);
    ELSIF NEW.recorded_at IS NOT NULL THEN
        -- a row from pg_dump, checked when it was first recorded
        PERFORM bangfu_register.require_owner(TG_RELID, bangfu.message_text('what_people_checked'));
        RETURN NEW;
    END IF;
    NEW.recorded_by := current_user;
    NEW.recorded_at := now();
    IF TG_TABLE_NAME = 'pension_backpay' THEN
        row_tab := 'pension_subsidy';
        row_id := NEW.subsidy_id;
        SELECT x.person, x.paid_on INTO NEW.person, NEW.for_date
          FROM bangfu_register.pension_subsidy x WHERE x.id = row_id;
    ELSIF TG_TABLE_NAME = 'employer_subsidy_backpay' THEN
        row_tab := 'employer_subsidy';
        row_id := NEW.subsidy_id;
        SELECT x.employer_id, x.person, x.month INTO NEW.employer_id, NEW.person, NEW.for_date
          FROM bangfu_register.employer_subsidy x WHERE x.id = row_id;
    ELSE
        row_tab := 'fee_waiver';
        row_id := NEW.waiver_id;
        SELECT x.person, x.registered_on INTO NEW.person, NEW.for_date
          FROM bangfu_register.fee_waiver x WHERE x.id = row_id;
    END IF;
    IF NOT FOUND THEN
        PERFORM bangfu.raise_error('backpay_unknown_row', row_tab, row_id);
    END IF;
    -- what the row is owed, with the row locked until commit; then the
    -- back-payments booked on it so far (a clerk who waited sees them)
    SELECT * INTO o FROM bangfu_register.backpay_owed(row_tab, row_id);
    IF TG_TABLE_NAME = 'pension_backpay' THEN
        SELECT count(*) + 1 INTO NEW.nth FROM bangfu_register.pension_backpay b WHERE b.subsidy_id = row_id;
        -- the months owed are paid back with the first back-payment of them
        NEW.months := coalesce(o.months, 0);
    ELSIF TG_TABLE_NAME = 'employer_subsidy_backpay' THEN
        SELECT count(*) + 1 INTO NEW.nth FROM bangfu_register.employer_subsidy_backpay b WHERE b.subsidy_id = row_id;
    ELSE
        SELECT count(*) + 1 INTO NEW.nth FROM bangfu_register.fee_waiver_backpay b WHERE b.waiver_id = row_id;
    END IF;
    IF o.amount IS NULL OR NEW.amount > o.amount THEN
        PERFORM bangfu.raise_error('backpay_beyond_owed', NEW.amount, row_tab, row_id, coalesce(o.amount, 0));
    END IF;
    RETURN NEW;
END
$$;
REVOKE ALL ON FUNCTION bangfu_register.backpay_check() FROM PUBLIC;
COMMENT ON FUNCTION bangfu_register.backpay_check() IS
    '十二 trigger of the back-payments of 五, 八(1) and 十: sets who, the row''s date and its number among the row''s back-payments, and for 五 the months owed; refuses a row that does not exist (23503) and (23514) more than the row is owed now (bangfu_register.backpay_owed; nothing for a row that differs); back-payments are never changed or removed (55000).';

CREATE TRIGGER backpay_check BEFORE INSERT OR UPDATE OR DELETE ON bangfu_register.pension_backpay
    FOR EACH ROW EXECUTE FUNCTION bangfu_register.backpay_check();
CREATE TRIGGER backpay_check BEFORE INSERT OR UPDATE OR DELETE ON bangfu_register.employer_subsidy_backpay
    FOR EACH ROW EXECUTE FUNCTION bangfu_register.backpay_check();
CREATE TRIGGER backpay_check BEFORE INSERT OR UPDATE OR DELETE ON bangfu_register.fee_waiver_backpay
    FOR EACH ROW EXECUTE FUNCTION bangfu_register.backpay_check();

CREATE FUNCTION bangfu_register.backpay_no_truncate() RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    PERFORM bangfu.raise_error('backpay_no_truncate', TG_TABLE_NAME);
END
$$;
REVOKE ALL ON FUNCTION bangfu_register.backpay_no_truncate() FROM PUBLIC;
COMMENT ON FUNCTION bangfu_register.backpay_no_truncate() IS
    '十二 statement trigger: refuses TRUNCATE of the back-payments (55000).';
CREATE TRIGGER backpay_no_truncate BEFORE TRUNCATE ON bangfu_register.pension_backpay
    FOR EACH STATEMENT EXECUTE FUNCTION bangfu_register.backpay_no_truncate();
CREATE TRIGGER backpay_no_truncate BEFORE TRUNCATE ON bangfu_register.employer_subsidy_backpay
    FOR EACH STATEMENT EXECUTE FUNCTION bangfu_register.backpay_no_truncate();
CREATE TRIGGER backpay_no_truncate BEFORE TRUNCATE ON bangfu_register.fee_waiver_backpay
    FOR EACH STATEMENT EXECUTE FUNCTION bangfu_register.backpay_no_truncate();

INSERT INTO bangfu.limit_share (limit_name, tab, note, shipped) VALUES
    ('pension_months', 'bangfu_register.pension_backpay', '五 the register''s back-payments', true);
SELECT bangfu.attach_limit('bangfu_register.pension_backpay', 'pension_months', ARRAY['person'],
                           'months', 'for_date', 'reject', 'common');

CREATE VIEW bangfu_register.business_support_yearly AS
SELECT extract(year FROM w.registered_on)::integer AS year, 'fee_waiver'::text AS kind,
       count(*)::integer AS cases, sum(w.waived)::numeric(14,2) AS total
  FROM bangfu_register.fee_waiver w
 GROUP BY 1
UNION ALL
SELECT extract(year FROM r.rent_from)::integer, 'rent_concession', count(*)::integer, sum(r.concession)::numeric(14,2)
  FROM bangfu_register.rent_concession r
 GROUP BY 1
UNION ALL
SELECT extract(year FROM b.for_date)::integer, 'fee_waiver_backpay', count(*)::integer, sum(b.amount)::numeric(14,2)
  FROM bangfu_register.fee_waiver_backpay b
 GROUP BY 1;
COMMENT ON VIEW bangfu_register.business_support_yearly IS
    '十 fee waivers (year of registration), rent concessions (year the rented period starts) and charges refunded after a change that reaches back (补发, year of the waiver): cases and yuan per year; no ID numbers.';
COMMENT ON COLUMN bangfu_register.business_support_yearly.year IS
    'Calendar year: of the registration for a fee waiver and its refunds, of the first rented day for a rent concession.';
COMMENT ON COLUMN bangfu_register.business_support_yearly.kind IS
    'fee_waiver (减免登记类收费, 十), rent_concession (城东生态文化园 rent, 十) or fee_waiver_backpay (charges refunded, 补发, 十二).';
COMMENT ON COLUMN bangfu_register.business_support_yearly.cases IS
    'Number of waivers, concessions or refunds recorded for that year.';
COMMENT ON COLUMN bangfu_register.business_support_yearly.total IS
    'Yuan waived or conceded in that year, to the fen.';

-- The restore (src/register.sql's end) and pg_dump, as for every table of the register.
DO $dump$
DECLARE
    t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['employer', 'employment_certificate', 'pension_contribution', 'pension_subsidy',
                    'hire', 'employer_subsidy', 'fee_waiver', 'rent_concession',
                    'pension_backpay', 'employer_subsidy_backpay', 'fee_waiver_backpay']
    LOOP
        PERFORM pg_catalog.pg_extension_config_dump(('bangfu_register.' || t)::regclass, '');
    END LOOP;
END
$dump$;
DO $dump$
DECLARE
    t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['employer', 'employment_certificate', 'pension_contribution', 'pension_subsidy',
                    'hire', 'employer_subsidy', 'fee_waiver', 'rent_concession',
                    'pension_backpay', 'employer_subsidy_backpay', 'fee_waiver_backpay']
    LOOP
        PERFORM pg_catalog.pg_extension_config_dump(('bangfu_register.' || t || '_id_seq')::regclass, '');
    END LOOP;
END
$dump$;
SELECT bangfu_register.restore_triggers(ARRAY['employer', 'employment_certificate', 'pension_contribution',
                                              'pension_subsidy', 'hire', 'employer_subsidy', 'fee_waiver',
                                              'rent_concession', 'pension_backpay', 'employer_subsidy_backpay',
                                              'fee_waiver_backpay']);

-- Who does what (十二: 人社、就业、社保 … 就业、社会保障): 人社 keeps all of it;
-- the street office reads the employers (job postings, 十二); every
-- department and the readers see the yearly totals.
GRANT SELECT, INSERT (name, kind, handicraft, eco_park, note), UPDATE (name, kind, handicraft, eco_park, note)
   ON bangfu_register.employer TO bangfu_hrss;
GRANT SELECT ON bangfu_register.employer TO bangfu_street;
GRANT SELECT, INSERT (person, person_name, number, issued_on, flexible, note), UPDATE (flexible, note)
   ON bangfu_register.employment_certificate TO bangfu_hrss;
GRANT SELECT, INSERT (person, person_name, paid_on, months, amount, note), UPDATE (note)
   ON bangfu_register.pension_contribution TO bangfu_hrss;
GRANT SELECT, INSERT (contribution_id, paid_on, note), UPDATE (note)
   ON bangfu_register.pension_subsidy TO bangfu_hrss;
GRANT SELECT, INSERT (employer_id, person, hired_on, left_on, note), UPDATE (left_on, note)
   ON bangfu_register.hire TO bangfu_hrss;
GRANT SELECT, INSERT (hire_id, month, pension, injury, unemployment, note), UPDATE (note)
   ON bangfu_register.employer_subsidy TO bangfu_hrss;
GRANT SELECT, INSERT (person, business, registered_on, charges, note), UPDATE (note)
   ON bangfu_register.fee_waiver TO bangfu_hrss;
GRANT SELECT, INSERT (employer_id, rent_from, rent_to, rent, concession, note), UPDATE (note)
   ON bangfu_register.rent_concession TO bangfu_hrss;
-- 十二 back-payments (补发) of 五, 八(1), 十: booked by 人社, who keeps the rows
GRANT SELECT, INSERT (subsidy_id, amount, booked_on, note) ON bangfu_register.pension_backpay TO bangfu_hrss;
GRANT SELECT, INSERT (subsidy_id, amount, booked_on, note) ON bangfu_register.employer_subsidy_backpay TO bangfu_hrss;
GRANT SELECT, INSERT (waiver_id, amount, booked_on, note) ON bangfu_register.fee_waiver_backpay TO bangfu_hrss;
GRANT SELECT ON bangfu_register.pension_backpay, bangfu_register.employer_subsidy_backpay,
                bangfu_register.fee_waiver_backpay TO bangfu_policy_admin;
GRANT EXECUTE ON FUNCTION bangfu_register.backpay_owed(text, bigint) TO bangfu_hrss;
GRANT SELECT ON bangfu_register.business_support_yearly
   TO bangfu_policy_admin, bangfu_street, bangfu_civil_affairs, bangfu_health, bangfu_hrss, bangfu_finance, bangfu_reader;
GRANT SELECT ON bangfu_register.employer, bangfu_register.employment_certificate, bangfu_register.pension_contribution,
                bangfu_register.pension_subsidy, bangfu_register.hire, bangfu_register.employer_subsidy,
                bangfu_register.fee_waiver, bangfu_register.rent_concession
   TO bangfu_policy_admin;
GRANT EXECUTE ON FUNCTION bangfu_register.pension_months_used(bangfu.cnid) TO bangfu_hrss;
REVOKE ALL ON FUNCTION bangfu_register.pension_subsidy_check() FROM PUBLIC;
REVOKE ALL ON FUNCTION bangfu_register.employer_subsidy_check() FROM PUBLIC;
REVOKE ALL ON FUNCTION bangfu_register.business_support_check() FROM PUBLIC;
