
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

CREATE FUNCTION bangfu_register.verify(from_date date DEFAULT '-infinity', to_date date DEFAULT 'infinity')
RETURNS TABLE (tab text, row_id bigint, field text, stored numeric, expected numeric, kind text, detail text)
LANGUAGE plpgsql STABLE STRICT
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
    IF from_date > to_date THEN
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
END
$$;
COMMENT ON FUNCTION bangfu_register.verify(date, date) IS
    'Issue 13 live conformance check, read-only: every stored benefit of the register dated from from_date to to_date derived again from the policy store (四(1), 四(2) stays in entry order per person-year with the yearly caps; 二 bands and installments), one row per difference: ''owed'' or ''overpaid'' where a policy version recorded later applies retroactively, ''differs'' where nothing explains it. No rows: the register conforms.';
REVOKE ALL ON FUNCTION bangfu_register.verify(date, date) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION bangfu_register.verify(date, date) TO bangfu_policy_admin;
