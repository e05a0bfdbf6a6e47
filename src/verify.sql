
-- ---------------------------------------------------------------------------
-- A live conformance check (issue 13): every stored benefit of the register
-- derived again from the policy store and compared.  Appended by the Makefile
-- to bangfu_register--VERSION.sql and to the script that adopts a 0.2.0
-- register (bangfu_register--unpackaged--VERSION.sql), so both paths have it.
--
-- What is compared (doc/verify.md):
--   四 medical_stay: reduction (四(1)), relief (四(2)) and patient_pays, settled
--      again stay after stay in the order the register settled them (entry
--      order: recorded_at, then id) per person and calendar year of
--      discharge, each with bangfu.medical_settlement under the policy in
--      force on its discharge date, against what the person-year's earlier
--      stays get on this derivation (not what they store: one edited stay
--      shows as one stay, not as every later one).
--   二 relief_grant: amount inside bangfu.relief_band(reason, granted_on), and
--      first_half/second_half as bangfu.relief_installments(amount) splits it.
--   五 pension_subsidy: months and amount, per person in entry order (the
--      36 months are a lifetime count), bangfu.pension_subsidy on the
--      contribution's day; 八(1) employer_subsidy: amount, at the rates of the
--      hire date, 0 outside the window or past the months; 十 fee_waiver:
--      waived; rent_concession: a concession above its ceiling.
-- Two derivations, the policy store as it is now ('expected'), and the store
-- as it was when each row was recorded (the versions recorded by then; the
-- shipped defaults always).  A stored amount equal to neither is 'differs':
-- nothing in the policy explains it (a hand edit, a restore from elsewhere).
-- One equal to the derivation as recorded but not to today's is a
-- retroactive policy change (a version recorded later that applies from a
-- date on or before the row's): 'owed' when the person gets more now,
-- 'overpaid' when less, never corruption.  The derivation as recorded reads
-- the 四 rule as bangfu.medical_settlement applies it (the tiers applied
-- with bangfu.apply, then the yearly cap's remainder), and runs only for
-- person-years that a later-recorded version can touch.
-- ---------------------------------------------------------------------------

-- 四 of bangfu_register.verify: every stay of each person-year the range
-- touches, derived again as described above; rows for the stays dated in
-- the range.  Its own function so that a back-payment of 四 (by person and
-- year, bangfu_register.medical_arrears) derives one person's year without
-- settling everyone's stays again.
CREATE FUNCTION bangfu_register.verify_medical(from_date date, to_date date, who bangfu.cnid DEFAULT NULL)
RETURNS TABLE (tab text, row_id bigint, field text, stored numeric, expected numeric, kind text, detail text,
               person bangfu.cnid, year integer)
LANGUAGE plpgsql STABLE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    s record;
    cur_person bangfu.cnid;
    cur_year integer;
    first_rec timestamptz;
    last_change timestamptz;
    -- running use of the person-year: as now, and as recorded
    reduced numeric := 0;
    relieved numeric := 0;
    reduced_rec numeric := 0;
    relieved_rec numeric := 0;
    e record;
    r_red numeric;
    r_rel numeric;
    r_pay numeric;
    lo date;
    hi date;
BEGIN
    IF from_date IS NULL OR to_date IS NULL THEN
        RETURN;
    ELSIF from_date > to_date THEN
        PERFORM bangfu.raise_error('verify_range', from_date, to_date);
    END IF;
    -- every stay of each person-year the range touches: the yearly caps of
    -- 四 count from 1 January
    lo := CASE WHEN isfinite(from_date) THEN make_date(extract(year FROM from_date)::integer, 1, 1) ELSE from_date END;
    hi := CASE WHEN isfinite(to_date) THEN make_date(extract(year FROM to_date)::integer, 12, 31) ELSE to_date END;
    -- the last 四 policy version recorded: person-years settled after it
    -- cannot have been touched by a retroactive change
    SELECT max(p.recorded_at) INTO last_change
      FROM bangfu.policy p
     WHERE p.param IN ('medical.charity_bed', 'medical.charity_bed.yearly_cap',
                       'medical.serious_illness', 'medical.serious_illness.yearly_cap')
       AND NOT p.shipped;

    FOR s IN
        SELECT m.id, m.person, m.discharged, m.cost, m.reduction, m.relief, m.patient_pays,
               m.recorded_at, extract(year FROM m.discharged)::integer AS yr
          FROM bangfu_register.medical_stay m
         WHERE m.discharged >= lo AND m.discharged <= hi
           AND (who IS NULL OR m.person OPERATOR(bangfu.=) who)
         ORDER BY m.person, 9, m.recorded_at, m.id
    LOOP
        IF cur_person IS NULL OR NOT (s.person OPERATOR(bangfu.=) cur_person) OR s.yr <> cur_year THEN
            cur_person := s.person;
            cur_year := s.yr;
            first_rec := s.recorded_at;
            reduced := 0;
            relieved := 0;
            reduced_rec := 0;
            relieved_rec := 0;
        END IF;
        SELECT * INTO e FROM bangfu.medical_settlement(s.cost, s.discharged, reduced, relieved);
        reduced := reduced + e.reduction;
        relieved := relieved + e.relief;
        IF last_change IS NULL OR last_change <= first_rec THEN
            r_red := e.reduction;
            r_rel := e.relief;
        ELSE
            -- as recorded: the versions in the store when the stay was
            -- settled (shipped defaults always), the latest valid on its date
            SELECT least(bangfu.apply(t.tiers, s.cost), greatest(c.amount - reduced_rec, 0)) INTO r_red
              FROM (SELECT p.tiers FROM bangfu.policy p
                     WHERE p.param = 'medical.charity_bed' AND p.valid_from <= s.discharged
                       AND (p.shipped OR p.recorded_at <= s.recorded_at)
                     ORDER BY p.valid_from DESC LIMIT 1) t,
                   (SELECT p.amount FROM bangfu.policy p
                     WHERE p.param = 'medical.charity_bed.yearly_cap' AND p.valid_from <= s.discharged
                       AND (p.shipped OR p.recorded_at <= s.recorded_at)
                     ORDER BY p.valid_from DESC LIMIT 1) c;
            SELECT least(bangfu.apply(t.tiers, s.cost - r_red), greatest(c.amount - relieved_rec, 0)) INTO r_rel
              FROM (SELECT p.tiers FROM bangfu.policy p
                     WHERE p.param = 'medical.serious_illness' AND p.valid_from <= s.discharged
                       AND (p.shipped OR p.recorded_at <= s.recorded_at)
                     ORDER BY p.valid_from DESC LIMIT 1) t,
                   (SELECT p.amount FROM bangfu.policy p
                     WHERE p.param = 'medical.serious_illness.yearly_cap' AND p.valid_from <= s.discharged
                       AND (p.shipped OR p.recorded_at <= s.recorded_at)
                     ORDER BY p.valid_from DESC LIMIT 1) c;
            -- no version then (the store was rewritten): nothing explains it
            r_red := coalesce(r_red, -1);
            r_rel := coalesce(r_rel, -1);
        END IF;
        reduced_rec := reduced_rec + r_red;
        relieved_rec := relieved_rec + r_rel;
        r_pay := s.cost - r_red - r_rel;
        CONTINUE WHEN s.discharged < from_date OR s.discharged > to_date
                      OR (s.reduction = e.reduction AND s.relief = e.relief AND s.patient_pays = e.patient_pays);

        tab := 'medical_stay';
        row_id := s.id;
        person := s.person;
        year := s.yr;
        IF s.reduction <> e.reduction THEN
            field := 'reduction'; stored := s.reduction; expected := e.reduction;
            kind := CASE WHEN stored <> r_red THEN 'differs' WHEN expected > stored THEN 'owed' ELSE 'overpaid' END;
            detail := format('四(1) charity-bed reduction; as recorded %s', r_red);
            RETURN NEXT;
        END IF;
        IF s.relief <> e.relief THEN
            field := 'relief'; stored := s.relief; expected := e.relief;
            kind := CASE WHEN stored <> r_rel THEN 'differs' WHEN expected > stored THEN 'owed' ELSE 'overpaid' END;
            detail := format('四(2) serious-illness relief; as recorded %s', r_rel);
            RETURN NEXT;
        END IF;
        IF s.patient_pays <> e.patient_pays THEN
            -- the patient paying less now means the patient is owed
            field := 'patient_pays'; stored := s.patient_pays; expected := e.patient_pays;
            kind := CASE WHEN stored <> r_pay THEN 'differs' WHEN expected < stored THEN 'owed' ELSE 'overpaid' END;
            detail := format('四 what the patient pays; as recorded %s', r_pay);
            RETURN NEXT;
        END IF;
    END LOOP;
    RETURN;
END
$$;
COMMENT ON FUNCTION bangfu_register.verify_medical(date, date, bangfu.cnid) IS
    'Issue 13 the part of bangfu_register.verify for 四 stays (四(1) reduction, 四(2) relief, what the patient pays; in entry order per person-year with the yearly caps), read-only, with verify''s columns and the person and year of the stay; who (NULL: everyone) keeps one person''s stays. bangfu_register.medical_arrears reads what a person-year is owed from it.';
REVOKE ALL ON FUNCTION bangfu_register.verify_medical(date, date, bangfu.cnid) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION bangfu_register.verify_medical(date, date, bangfu.cnid) TO bangfu_policy_admin;

-- What one person-year's stays of 四 are owed now, before back-payments:
-- for 四(1) and for 四(2), the sum over the stays discharged in the year of
-- what they get under the policy as it is now less what they got, as
-- bangfu_register.verify_medical derives it ('owed' and 'overpaid' net, so
-- a stay a change makes overpaid offsets one it makes owed; a stay that
-- differs, a hand edit, is owed nothing), never below 0.  The figures
-- bangfu_register.arrears reports as due - paid; a back-payment of 四
-- (bangfu_register.medical_backpay_owed) and verify read it.
CREATE FUNCTION bangfu_register.medical_arrears(who bangfu.cnid, year integer)
RETURNS TABLE (reduction numeric, relief numeric)
LANGUAGE sql STABLE STRICT
SET search_path = pg_catalog, pg_temp
AS $$
    SELECT greatest(coalesce(sum(v.expected OPERATOR(pg_catalog.-) v.stored)
                             FILTER (WHERE v.field OPERATOR(pg_catalog.=) 'reduction'), 0), 0)::numeric(14,2),
           greatest(coalesce(sum(v.expected OPERATOR(pg_catalog.-) v.stored)
                             FILTER (WHERE v.field OPERATOR(pg_catalog.=) 'relief'), 0), 0)::numeric(14,2)
      FROM bangfu_register.verify_medical(make_date(medical_arrears.year, 1, 1), make_date(medical_arrears.year, 12, 31),
                                          medical_arrears.who) v
     WHERE v.kind IN ('owed', 'overpaid')
$$;
COMMENT ON FUNCTION bangfu_register.medical_arrears(bangfu.cnid, integer) IS
    '十二, 四 what the stays of a person (who) discharged in a year are owed now, before back-payments: 四(1) reduction and 四(2) relief they get under the policy as it is now less what they got (bangfu_register.verify_medical, owed and overpaid net; a stay that differs is owed nothing), never below 0.';
REVOKE ALL ON FUNCTION bangfu_register.medical_arrears(bangfu.cnid, integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION bangfu_register.medical_arrears(bangfu.cnid, integer) TO bangfu_policy_admin;

CREATE FUNCTION bangfu_register.verify(from_date date DEFAULT '-infinity', to_date date DEFAULT 'infinity')
RETURNS TABLE (tab text, row_id bigint, field text, stored numeric, expected numeric, kind text, detail text)
LANGUAGE plpgsql STABLE STRICT
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF from_date > to_date THEN
        PERFORM bangfu.raise_error('verify_range', from_date, to_date);
    END IF;
    -- 四 stays: bangfu_register.verify_medical
    RETURN QUERY
    SELECT v.tab, v.row_id, v.field, v.stored, v.expected, v.kind, v.detail
      FROM bangfu_register.verify_medical(from_date, to_date) WITH ORDINALITY v
     ORDER BY v.ordinality;

    -- 四's back-payments (补发, 十二), per person-year (for_date's year):
    -- what was paid back against what the person-year's stays are owed now
    -- (bangfu_register.medical_arrears: the net 'owed' and 'overpaid'
    -- differences of its stays; a stay that differs is owed nothing), as
    -- for 五, 八(1), 十 below: more paid back than owed is 'overpaid' when a
    -- version of 四's policy was recorded after the last of them (of the
    -- field: 四(1) reduction, 四(2) relief; named by row_id), else 'differs'.
    RETURN QUERY
    WITH bp AS (
        SELECT b.person, extract(year FROM b.for_date)::integer AS yr,
               max(b.id) FILTER (WHERE b.reduction > 0) AS red_id, max(b.recorded_at) FILTER (WHERE b.reduction > 0) AS red_at,
               max(b.id) FILTER (WHERE b.relief > 0) AS rel_id, max(b.recorded_at) FILTER (WHERE b.relief > 0) AS rel_at,
               sum(b.reduction) AS red_back, sum(b.relief) AS rel_back
          FROM bangfu_register.medical_backpay b
         -- every back-payment of a person-year with one in the range: a
         -- range over part of a year compares them all with the year
         WHERE (b.person, extract(year FROM b.for_date)::integer) IN
               (SELECT r.person, extract(year FROM r.for_date)::integer
                  FROM bangfu_register.medical_backpay r
                 WHERE r.for_date >= from_date AND r.for_date <= to_date)
         GROUP BY 1, 2
    ), d AS (
        SELECT bp.*, o.reduction AS red_owed, o.relief AS rel_owed,
               (SELECT max(p.recorded_at) FROM bangfu.policy p
                 WHERE p.param IN ('medical.charity_bed', 'medical.charity_bed.yearly_cap',
                                   'medical.serious_illness', 'medical.serious_illness.yearly_cap')
                   AND NOT p.shipped) AS last_change
          FROM bp CROSS JOIN LATERAL bangfu_register.medical_arrears(bp.person, bp.yr) o
    )
    SELECT u.tab, u.row_id, u.field, u.stored, u.expected, u.kind, u.detail
      FROM (SELECT 'medical_backpay'::text AS tab, d.red_id AS row_id, 'reduction'::text AS field,
                   d.red_back AS stored, d.red_owed AS expected,
                   CASE WHEN d.last_change > d.red_at THEN 'overpaid' ELSE 'differs' END AS kind,
                   format('四(1) back-payments of person %s in %s: %s paid back, %s owed',
                          bangfu.mask(d.person), d.yr, d.red_back, d.red_owed) AS detail
              FROM d WHERE d.red_back > d.red_owed
            UNION ALL
            SELECT 'medical_backpay', d.rel_id, 'relief', d.rel_back, d.rel_owed,
                   CASE WHEN d.last_change > d.rel_at THEN 'overpaid' ELSE 'differs' END,
                   format('四(2) back-payments of person %s in %s: %s paid back, %s owed',
                          bangfu.mask(d.person), d.yr, d.rel_back, d.rel_owed)
              FROM d WHERE d.rel_back > d.rel_owed) u
     ORDER BY u.row_id, u.field COLLATE "C";

    -- 二 grants: the band of the reason on the grant date (now, and as
    -- recorded), and the two installments
    RETURN QUERY
    WITH g AS (
        SELECT r.id, r.reason, r.amount, r.granted_on, r.first_half, r.second_half,
               bangfu.relief_band(r.reason, r.granted_on) AS band,
               (SELECT p.band FROM bangfu.policy p
                 WHERE p.param = 'relief.band.' || r.reason::text AND p.valid_from <= r.granted_on
                   AND (p.shipped OR p.recorded_at <= r.recorded_at)
                 ORDER BY p.valid_from DESC LIMIT 1) AS band_rec,
               i.first_half AS want_first, i.second_half AS want_second
          FROM bangfu_register.relief_grant r
         CROSS JOIN LATERAL bangfu.relief_installments(r.amount) i
         WHERE r.granted_on >= from_date AND r.granted_on <= to_date
    ), d AS (
        SELECT g.id, 'amount' AS field, g.amount AS stored,
               CASE WHEN g.amount < lower(g.band) THEN lower(g.band) ELSE upper(g.band) END AS expected,
               coalesce(g.amount <@ g.band_rec, false) AS retro,
               format('二 band %s of reason %s on %s; as recorded %s', g.band, g.reason,
                      to_char(g.granted_on, 'YYYY-MM-DD'), g.band_rec) AS detail
          FROM g WHERE NOT (g.amount <@ g.band)
        UNION ALL
        SELECT g.id, 'first_half', g.first_half, g.want_first, false, '二 first installment: half the amount, rounded up to the fen'
          FROM g WHERE g.first_half <> g.want_first
        UNION ALL
        SELECT g.id, 'second_half', g.second_half, g.want_second, false, '二 second installment: the rest'
          FROM g WHERE g.second_half <> g.want_second
    )
    SELECT 'relief_grant', d.id, d.field, d.stored, d.expected,
           CASE WHEN NOT d.retro THEN 'differs' WHEN d.expected > d.stored THEN 'owed' ELSE 'overpaid' END,
           d.detail
      FROM d
     ORDER BY d.id, d.field COLLATE "C";

    -- 五, 八(1), 十: bangfu_register.verify_employment (the back-payments of
    -- those clauses ask it what one row is owed).  Then their back-payments
    -- (补发, 十二): what was paid back on a row against what the row is owed
    -- (its 'owed' difference; nothing when it conforms or differs).  More
    -- paid back than owed is 'overpaid' when a version of the clause's
    -- policy was recorded after the row's last back-payment (the change
    -- went back again), else 'differs' (a back-payment edited or loaded
    -- around the register's trigger).  What is paid back within what is
    -- owed is no difference.
    RETURN QUERY
    WITH ev AS MATERIALIZED (
        SELECT x.*, row_number() OVER () AS n FROM bangfu_register.verify_employment(from_date, to_date) x
    ), bp AS (
        SELECT 'pension_backpay'::text AS btab, 'pension_subsidy'::text AS rtab, b.subsidy_id AS rid, 'amount'::text AS rfield,
               max(b.id) AS last_id, max(b.recorded_at) AS last_at, sum(b.amount) AS paid_back, sum(b.months) AS months_back,
               ARRAY['pension.subsidy_rate', 'pension.max_months'] AS params, '五'::text AS clause
          FROM bangfu_register.pension_backpay b
         WHERE b.for_date >= from_date AND b.for_date <= to_date
         GROUP BY b.subsidy_id
        UNION ALL
        SELECT 'employer_subsidy_backpay', 'employer_subsidy', b.subsidy_id, 'amount',
               max(b.id), max(b.recorded_at), sum(b.amount), 0,
               ARRAY['employer.subsidy.pension_rate', 'employer.subsidy.injury_rate', 'employer.subsidy.unemployment_rate',
                     'employer.subsidy.months', 'employer.subsidy.window_months'], '八(1)'
          FROM bangfu_register.employer_subsidy_backpay b
         WHERE b.for_date >= date_trunc('month', from_date) AND b.for_date <= to_date
         GROUP BY b.subsidy_id
        UNION ALL
        SELECT 'fee_waiver_backpay', 'fee_waiver', b.waiver_id, 'waived',
               max(b.id), max(b.recorded_at), sum(b.amount), 0, ARRAY['business.fee_waiver_rate'], '十'
          FROM bangfu_register.fee_waiver_backpay b
         WHERE b.for_date >= from_date AND b.for_date <= to_date
         GROUP BY b.waiver_id
    ), d AS (
        SELECT bp.*,
               greatest(coalesce((SELECT ev.expected - ev.stored FROM ev
                                   WHERE ev.tab = bp.rtab AND ev.row_id = bp.rid AND ev.field = bp.rfield AND ev.kind = 'owed'), 0), 0) AS owed_amount,
               greatest(coalesce((SELECT ev.expected - ev.stored FROM ev
                                   WHERE ev.tab = bp.rtab AND ev.row_id = bp.rid AND ev.field = 'months' AND ev.kind = 'owed'), 0), 0) AS owed_months,
               EXISTS (SELECT FROM bangfu.policy p
                        WHERE p.param = ANY (bp.params) AND NOT p.shipped AND p.recorded_at > bp.last_at) AS changed_since
          FROM bp
    ), res AS (
        SELECT 0 AS sec, ev.n, ev.tab, ev.row_id, ev.field, ev.stored, ev.expected, ev.kind, ev.detail FROM ev
        UNION ALL
        SELECT 1, d.rid, d.btab, d.last_id, 'amount', d.paid_back, d.owed_amount,
               CASE WHEN d.changed_since THEN 'overpaid' ELSE 'differs' END,
               format('%s back-payments of %s row %s: %s paid back, %s owed', d.clause, d.rtab, d.rid, d.paid_back, d.owed_amount)
          FROM d WHERE d.paid_back > d.owed_amount
        UNION ALL
        SELECT 1, d.rid, d.btab, d.last_id, 'months', d.months_back, d.owed_months,
               CASE WHEN d.changed_since THEN 'overpaid' ELSE 'differs' END,
               format('%s months paid back on %s row %s: %s, %s owed', d.clause, d.rtab, d.rid, d.months_back, d.owed_months)
          FROM d WHERE d.months_back > d.owed_months
    )
    SELECT o.tab, o.row_id, o.field, o.stored, o.expected, o.kind, o.detail
      FROM res o
     ORDER BY o.sec, CASE WHEN o.sec = 0 THEN '' ELSE o.tab END COLLATE "C", o.n, o.field COLLATE "C";
END
$$;
COMMENT ON FUNCTION bangfu_register.verify(date, date) IS
    'Issue 13 live conformance check, read-only: every stored benefit of the register dated from from_date to to_date derived again from the policy store (四(1), 四(2) stays in entry order per person-year with the yearly caps; 二 bands and installments; 五 pension subsidies in entry order per person with the 36 months; 八(1) employer subsidies in the hiring window; 十 fee waivers and rent concessions; the back-payments of 四 against what their person-year is owed and of 五, 八(1), 十 against what their rows are owed), one row per difference: ''owed'' or ''overpaid'' where a policy version recorded later applies retroactively, ''differs'' where nothing explains it. No rows: the register conforms.';
REVOKE ALL ON FUNCTION bangfu_register.verify(date, date) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION bangfu_register.verify(date, date) TO bangfu_policy_admin;

-- 五, 八(1), 十 of bangfu_register.verify: the register's employment rows
-- (issue 14), derived again as verify derives them.  Its own function so
-- that a back-payment of one of these rows (bangfu_register.backpay_owed)
-- derives them without settling every stay of 四 again.
CREATE FUNCTION bangfu_register.verify_employment(from_date date DEFAULT '-infinity', to_date date DEFAULT 'infinity')
RETURNS TABLE (tab text, row_id bigint, field text, stored numeric, expected numeric, kind text, detail text)
LANGUAGE plpgsql STABLE STRICT
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    s record;
    cur_person bangfu.cnid;
    first_rec timestamptz;
    last_change timestamptz;
    -- 五: months of the 36 used by the person's earlier subsidies
    used integer;
    used_rec integer;
    most integer;
    most_rec integer;
    m_now integer;
    m_rec integer;
    a_now numeric;
    a_rec numeric;
    t_rec bangfu.tiers;
BEGIN
    IF from_date > to_date THEN
        PERFORM bangfu.raise_error('verify_range', from_date, to_date);
    END IF;
    -- 五 pension subsidies (先缴后补), per person in the order the register
    -- booked them (recorded_at, then id): the trigger counts the months the
    -- person has used of pension.max_months (a lifetime limit) when the
    -- subsidy is entered, so the earlier ones count with their derived
    -- months.  Each: the contribution's person, paid on or after it, to a
    -- certificate holder in flexible employment on the contribution's day;
    -- bangfu.pension_subsidy (2/3, pro rata) under the policy in force on the
    -- contribution's day.  A subsidy nothing allows any more is expected 0.
    SELECT max(p.recorded_at) INTO last_change
      FROM bangfu.policy p
     WHERE p.param IN ('pension.subsidy_rate', 'pension.max_months') AND NOT p.shipped;
    cur_person := NULL;
    FOR s IN
        SELECT x.id, x.person, x.paid_on, x.months, x.amount, x.recorded_at,
               c.paid_on AS c_paid_on, c.months AS c_months, c.amount AS c_amount,
               (c.person OPERATOR(bangfu.=) x.person AND x.paid_on >= c.paid_on
                AND EXISTS (SELECT FROM bangfu_register.employment_certificate ec
                             WHERE ec.person OPERATOR(bangfu.=) c.person AND ec.issued_on <= c.paid_on
                               AND ec.flexible @> c.paid_on)) AS eligible
          FROM bangfu_register.pension_subsidy x
          JOIN bangfu_register.pension_contribution c ON c.id = x.contribution_id
         ORDER BY x.person, x.recorded_at, x.id
    LOOP
        IF cur_person IS NULL OR NOT (s.person OPERATOR(bangfu.=) cur_person) THEN
            cur_person := s.person;
            first_rec := s.recorded_at;
            used := 0;
            used_rec := 0;
        END IF;
        most := coalesce(bangfu.policy_count('pension.max_months', s.c_paid_on), 0);
        IF s.eligible AND used < most THEN
            m_now := least(s.c_months, most - used);
            a_now := bangfu.pension_subsidy(s.c_amount, s.c_months, used, s.c_paid_on);
        ELSE
            m_now := 0;
            a_now := 0;
        END IF;
        used := used + m_now;
        IF last_change IS NULL OR last_change <= first_rec THEN
            m_rec := m_now;
            a_rec := a_now;
        ELSE
            -- as recorded: 2/3 of the contribution exactly (bangfu.explain),
            -- pro rata for the months covered, rounded once, then the cap
            SELECT p.count INTO most_rec FROM bangfu.policy p
             WHERE p.param = 'pension.max_months' AND p.valid_from <= s.c_paid_on
               AND (p.shipped OR p.recorded_at <= s.recorded_at)
             ORDER BY p.valid_from DESC LIMIT 1;
            SELECT p.tiers INTO t_rec FROM bangfu.policy p
             WHERE p.param = 'pension.subsidy_rate' AND p.valid_from <= s.c_paid_on
               AND (p.shipped OR p.recorded_at <= s.recorded_at)
             ORDER BY p.valid_from DESC LIMIT 1;
            IF s.eligible AND used_rec < coalesce(most_rec, 0) AND t_rec IS NOT NULL THEN
                m_rec := least(s.c_months, most_rec - used_rec);
                SELECT CASE WHEN j->>'cap' IS NULL THEN v ELSE least(v, (j->>'cap')::numeric) END INTO a_rec
                  FROM bangfu.explain(t_rec, s.c_amount) j,
                       LATERAL (SELECT round(CASE WHEN strpos(j->>'exact', '/') > 0
                                                  THEN split_part(j->>'exact', '/', 1)::numeric
                                                       / split_part(j->>'exact', '/', 2)::numeric
                                                  ELSE (j->>'exact')::numeric END
                                             * m_rec / s.c_months, 2) AS v) r;
            ELSE
                m_rec := 0;
                a_rec := 0;
            END IF;
        END IF;
        used_rec := used_rec + m_rec;
        CONTINUE WHEN s.paid_on < from_date OR s.paid_on > to_date
                      OR (s.months = m_now AND s.amount = a_now);
        tab := 'pension_subsidy';
        row_id := s.id;
        IF s.months <> m_now THEN
            field := 'months'; stored := s.months; expected := m_now;
            kind := CASE WHEN stored <> m_rec THEN 'differs' WHEN expected > stored THEN 'owed' ELSE 'overpaid' END;
            detail := format('五 months subsidised (最长3年, pension.max_months %s on %s); as recorded %s',
                             most, to_char(s.c_paid_on, 'YYYY-MM-DD'), m_rec);
            RETURN NEXT;
        END IF;
        IF s.amount <> a_now THEN
            field := 'amount'; stored := s.amount; expected := a_now;
            kind := CASE WHEN stored <> a_rec THEN 'differs' WHEN expected > stored THEN 'owed' ELSE 'overpaid' END;
            detail := format('五 2/3 of %s paid on %s for %s months%s; as recorded %s', s.c_amount,
                             to_char(s.c_paid_on, 'YYYY-MM-DD'), s.c_months,
                             CASE WHEN s.eligible THEN '' ELSE ', not eligible (person, date or certificate)' END, a_rec);
            RETURN NEXT;
        END IF;
    END LOOP;

    -- 八(1) employer subsidies, 十 fee waivers and rent concessions: each row
    -- on its own, under the policy in force on the hire date, the
    -- registration day, the first rented day.  As recorded: the versions in
    -- the store when the row was entered (shipped defaults always), each
    -- contribution's exact part (bangfu.explain) added and rounded once as
    -- bangfu.enterprise_subsidy does.
    RETURN QUERY
    WITH rec AS (
        -- the latest version of a parameter valid on a date among those
        -- recorded by a time; only needed when one recorded later applies
        SELECT p.param, p.valid_from, p.tiers, p.count, p.recorded_at, p.shipped
          FROM bangfu.policy p
         WHERE p.param IN ('employer.subsidy.pension_rate', 'employer.subsidy.injury_rate',
                           'employer.subsidy.unemployment_rate', 'employer.subsidy.months',
                           'employer.subsidy.window_months', 'business.fee_waiver_rate',
                           'business.rent_concession_rate')
    ), es AS (
        SELECT x.id, x.month, x.pension, x.injury, x.unemployment, x.amount, x.recorded_at, h.hired_on,
               h.id AS hire_id,
               bangfu.hard_to_employ(h.person, h.hired_on) AS hard,
               x.month < bangfu_register.months_after(h.hired_on, bangfu.policy_count('employer.subsidy.window_months', h.hired_on))
                 AND (x.month + interval '1 month')::date > h.hired_on
                 AND (h.left_on IS NULL OR x.month <= h.left_on) AS in_window,
               row_number() OVER (PARTITION BY x.employer_id, x.person ORDER BY x.recorded_at, x.id) AS nth,
               EXISTS (SELECT FROM rec WHERE NOT rec.shipped AND rec.recorded_at > x.recorded_at
                          AND rec.param LIKE 'employer.subsidy.%'
                          AND rec.valid_from <= greatest(x.month, h.hired_on)) AS touched
          FROM bangfu_register.employer_subsidy x
          JOIN bangfu_register.hire h ON h.id = x.hire_id
    ), es2 AS (
        SELECT es.*,
               CASE WHEN es.hard AND es.in_window
                         AND es.nth <= coalesce(bangfu.policy_count('employer.subsidy.months', es.month), 0)
                    THEN bangfu.enterprise_subsidy(es.pension, es.injury, es.unemployment, es.hired_on) ELSE 0 END AS want
          FROM es
         WHERE es.month >= date_trunc('month', from_date) AND es.month <= to_date
    ), es3 AS (
        SELECT es2.*,
               CASE WHEN NOT es2.touched THEN es2.want
                    WHEN NOT es2.hard OR es2.nth > coalesce(r.months, 0)
                         OR es2.month >= bangfu_register.months_after(es2.hired_on, coalesce(r.window_months, 0))
                         OR (es2.month + interval '1 month')::date <= es2.hired_on THEN 0
                    ELSE coalesce(round(r.parts, 2), -1) END AS want_rec
          FROM es2
          LEFT JOIN LATERAL (
              SELECT (SELECT x.count FROM rec x WHERE x.param = 'employer.subsidy.months' AND x.valid_from <= es2.month
                         AND (x.shipped OR x.recorded_at <= es2.recorded_at) ORDER BY x.valid_from DESC LIMIT 1) AS months,
                     (SELECT x.count FROM rec x WHERE x.param = 'employer.subsidy.window_months' AND x.valid_from <= es2.hired_on
                         AND (x.shipped OR x.recorded_at <= es2.recorded_at) ORDER BY x.valid_from DESC LIMIT 1) AS window_months,
                     (SELECT sum(CASE WHEN (j->>'cap_applied')::boolean THEN (j->>'value')::numeric
                                      WHEN strpos(j->>'exact', '/') > 0
                                      THEN split_part(j->>'exact', '/', 1)::numeric / split_part(j->>'exact', '/', 2)::numeric
                                      ELSE (j->>'exact')::numeric END)
                        FROM (VALUES ('employer.subsidy.pension_rate', es2.pension),
                                     ('employer.subsidy.injury_rate', es2.injury),
                                     ('employer.subsidy.unemployment_rate', es2.unemployment)) v(param, amt)
                       CROSS JOIN LATERAL (SELECT x.tiers FROM rec x WHERE x.param = v.param AND x.valid_from <= es2.hired_on
                                              AND (x.shipped OR x.recorded_at <= es2.recorded_at)
                                            ORDER BY x.valid_from DESC LIMIT 1) t
                       CROSS JOIN LATERAL bangfu.explain(t.tiers, v.amt) j) AS parts
               WHERE es2.touched) r ON true
    ), fw AS (
        SELECT w.id, w.waived,
               CASE WHEN bangfu.hard_to_employ(w.person, w.registered_on)
                    THEN round(bangfu.apply(bangfu.policy_tiers('business.fee_waiver_rate', w.registered_on), w.charges), 2)
                    ELSE 0 END AS want,
               bangfu.hard_to_employ(w.person, w.registered_on) AS hard,
               (SELECT round(bangfu.apply(x.tiers, w.charges), 2) FROM rec x
                 WHERE x.param = 'business.fee_waiver_rate' AND x.valid_from <= w.registered_on
                   AND (x.shipped OR x.recorded_at <= w.recorded_at) ORDER BY x.valid_from DESC LIMIT 1) AS want_rec,
               w.charges, w.registered_on
          FROM bangfu_register.fee_waiver w
         WHERE w.registered_on >= from_date AND w.registered_on <= to_date
    ), rc AS (
        SELECT r.id, r.concession, r.rent, r.rent_from,
               CASE WHEN coalesce(emp.handicraft AND emp.eco_park, false)
                    THEN round(bangfu.apply(bangfu.policy_tiers('business.rent_concession_rate', r.rent_from), r.rent), 2)
                    ELSE 0 END AS most,
               (SELECT round(bangfu.apply(x.tiers, r.rent), 2) FROM rec x
                 WHERE x.param = 'business.rent_concession_rate' AND x.valid_from <= r.rent_from
                   AND (x.shipped OR x.recorded_at <= r.recorded_at) ORDER BY x.valid_from DESC LIMIT 1) AS most_rec,
               coalesce(emp.handicraft AND emp.eco_park, false) AS eligible
          FROM bangfu_register.rent_concession r
          LEFT JOIN bangfu_register.employer emp ON emp.id = r.employer_id
         WHERE r.rent_from >= from_date AND r.rent_from <= to_date
    ), d AS (
        SELECT 'employer_subsidy' AS tab, es3.id, 'amount' AS field, es3.amount AS stored, es3.want AS expected,
               es3.amount = es3.want_rec AS retro,
               format('八(1) %s, %s, %s at the rates of %s (hire %s, month %s of the pair)%s; as recorded %s',
                      es3.pension, es3.injury, es3.unemployment, to_char(es3.hired_on, 'YYYY-MM-DD'), es3.hire_id, es3.nth,
                      CASE WHEN NOT es3.hard THEN ', not hard to employ on the hire date'
                           WHEN NOT es3.in_window THEN ', outside the hiring window' ELSE '' END, es3.want_rec) AS detail
          FROM es3 WHERE es3.amount <> es3.want
        UNION ALL
        SELECT 'fee_waiver', fw.id, 'waived', fw.waived, fw.want,
               fw.hard AND fw.waived = fw.want_rec,
               format('十 business.fee_waiver_rate of %s charges on %s%s; as recorded %s', fw.charges,
                      to_char(fw.registered_on, 'YYYY-MM-DD'),
                      CASE WHEN fw.hard THEN '' ELSE ', not hard to employ that day' END, fw.want_rec)
          FROM fw WHERE fw.waived <> fw.want
        UNION ALL
        SELECT 'rent_concession', rc.id, 'concession', rc.concession, rc.most,
               rc.eligible AND rc.concession <= rc.most_rec,
               format('十 at most business.rent_concession_rate of %s rent from %s%s; as recorded at most %s', rc.rent,
                      to_char(rc.rent_from, 'YYYY-MM-DD'),
                      CASE WHEN rc.eligible THEN '' ELSE ', not a handicraft business in the eco-cultural park' END, rc.most_rec)
          FROM rc WHERE rc.concession > rc.most
    )
    SELECT d.tab, d.id, d.field, d.stored, d.expected,
           CASE WHEN NOT coalesce(d.retro, false) THEN 'differs' WHEN d.expected > d.stored THEN 'owed' ELSE 'overpaid' END,
           d.detail
      FROM d
     ORDER BY d.tab COLLATE "C", d.id;
END
$$;
COMMENT ON FUNCTION bangfu_register.verify_employment(date, date) IS
    'Issue 13, 14 the part of bangfu_register.verify for 五 pension subsidies (entry order per person, the 36 months), 八(1) employer subsidies (the hiring window) and 十 fee waivers and rent concessions, read-only, with the same columns; bangfu_register.backpay_owed reads what one row is owed from it.';
REVOKE ALL ON FUNCTION bangfu_register.verify_employment(date, date) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION bangfu_register.verify_employment(date, date) TO bangfu_policy_admin;
