-- What-if scenarios: every rule of 二, 五, 八 under a scenario beside the
-- policy in force, the comparison of a scenario with the policy, the yearly-cap
-- aggregates of 四, and the issue's question over a caseload in one statement:
-- "what would raising the charity-bed yearly cap to 25,000 and the education
-- band to 1,500–3,000 cost this year?"
--
-- Scenarios made here are deleted at the end; tables are temporary.
-- Quiet whether or not an earlier file made the extension.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS bangfu;
RESET client_min_messages;

SET DateStyle = 'ISO, YMD';

CREATE FUNCTION pg_temp.try(q text, OUT state text, OUT result text, OUT message text, OUT detail text)
LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE q INTO result;
    state := '00000';
EXCEPTION WHEN OTHERS THEN
    GET STACKED DIAGNOSTICS state = RETURNED_SQLSTATE, message = MESSAGE_TEXT,
                            detail = PG_EXCEPTION_DETAIL;
END
$$;

-- ---------------------------------------------------------------------------
-- 1. A scenario overrides what it names, at every date; the rest falls back to
-- the policy in force.
-- ---------------------------------------------------------------------------
INSERT INTO bangfu.scenario (name, description) VALUES
    ('what_if', 'test: a bit of everything'),
    ('empty', 'test: overrides nothing');
INSERT INTO bangfu.scenario_value (scenario, param, tiers) VALUES
    ('what_if', 'relief.quota.max_share', '[0,) 6%'),
    ('what_if', 'pension.subsidy_rate', '[0,) 3/4'),
    ('what_if', 'employer.subsidy.injury_rate', '[0,) 30%'),
    ('what_if', 'handicraft.reward', 'flat: [0,200000) 0, [200000,500000) 5000, [500000,) 10000');
INSERT INTO bangfu.scenario_value (scenario, param, band) VALUES
    ('what_if', 'relief.band.education', '[1500,3000]');
INSERT INTO bangfu.scenario_value (scenario, param, count) VALUES
    ('what_if', 'pension.max_months', 48),
    ('what_if', 'employer.hard_to_employ.male_age', 40),
    ('what_if', 'loan.min_hires', 2),
    ('what_if', 'loan.interest_years', 3);
INSERT INTO bangfu.scenario_value (scenario, param, amount) VALUES
    ('what_if', 'loan.per_hire', 20000),
    ('what_if', 'medical.charity_bed.yearly_cap', 25000);

SELECT param, kind, clause, in_force, in_force_from, proposed
  FROM bangfu.scenario_compare('what_if', '2025-06-30');
SELECT count(*) AS overrides_of_empty FROM bangfu.scenario_compare('empty', '2025-06-30');

-- Each rule, in force and under the scenario, side by side.  Hand values:
-- pension 1000·3/4 = 750; 1200 for 12 months after 36 of 48: 1200·3/4 = 900;
-- 1000 / 100 / 200 → 100 + 30 + 100 = 230; 2 of 5 hires at 20000 = 40000;
-- 20000 households → max floor(6%) = 1200; a man of 40 qualifies;
-- interest for the third year (3 years): 10000·0.0435·365/360 = 441.04.
SELECT rule, in_force, proposed
  FROM (VALUES
    ('relief_band(education)',
     bangfu.relief_band('education', '2025-06-30')::text,
     bangfu.relief_band('education', '2025-06-30', 'what_if')::text),
    ('relief_band(critical_illness) (not overridden)',
     bangfu.relief_band('critical_illness', '2025-06-30')::text,
     bangfu.relief_band('critical_illness', '2025-06-30', 'what_if')::text),
    ('relief_in_band(education, 1200)',
     bangfu.relief_in_band('education', 1200, '2025-06-30')::text,
     bangfu.relief_in_band('education', 1200, '2025-06-30', 'what_if')::text),
    ('relief_quota(20000)',
     (SELECT format('%s-%s', min_households, max_households) FROM bangfu.relief_quota(20000, '2025-06-30')),
     (SELECT format('%s-%s', min_households, max_households) FROM bangfu.relief_quota(20000, '2025-06-30', 'what_if'))),
    ('pension_subsidy(1000)',
     bangfu.pension_subsidy(1000, '2025-06-30')::text,
     bangfu.pension_subsidy(1000, date '2025-06-30', 'what_if')::text),
    ('pension_subsidy(1200, 12 months, 36 before)',
     bangfu.pension_subsidy(1200, 12, 36, '2025-06-30')::text,
     bangfu.pension_subsidy(1200, 12, 36, '2025-06-30', 'what_if')::text),
    ('hard_to_employ(M, 40 years old)',
     bangfu.hard_to_employ('M', '1985-06-30', '2025-06-30')::text,
     bangfu.hard_to_employ('M', '1985-06-30', '2025-06-30', 'what_if')::text),
    ('hard_to_employ(F, 40 years old) (not overridden)',
     bangfu.hard_to_employ('F', '1985-06-30', '2025-06-30')::text,
     bangfu.hard_to_employ('F', '1985-06-30', '2025-06-30', 'what_if')::text),
    ('enterprise_subsidy(1000, 100, 200)',
     bangfu.enterprise_subsidy(1000, 100, 200, '2025-06-30')::text,
     bangfu.enterprise_subsidy(1000, 100, 200, '2025-06-30', 'what_if')::text),
    ('enterprise_loan_quota(2 of 5)',
     bangfu.enterprise_loan_quota(2, 5, '2025-06-30')::text,
     bangfu.enterprise_loan_quota(2, 5, '2025-06-30', 'what_if')::text),
    ('enterprise_loan_quota(3 of 11) (share not overridden)',
     bangfu.enterprise_loan_quota(3, 11, '2025-06-30')::text,
     bangfu.enterprise_loan_quota(3, 11, '2025-06-30', 'what_if')::text),
    ('loan_interest_subsidy(third year)',
     bangfu.loan_interest_subsidy(10000, 0.0435, '2025-01-01', '2027-01-01', '2028-01-01')::text,
     bangfu.loan_interest_subsidy(10000, 0.0435, '2025-01-01', '2027-01-01', '2028-01-01', 'what_if')::text),
    ('handicraft_reward(200000)',
     bangfu.handicraft_reward(200000, '2025-06-30')::text,
     bangfu.handicraft_reward(200000, '2025-06-30', 'what_if')::text),
    ('handicraft_reward(1000000)',
     bangfu.handicraft_reward(1000000, '2025-06-30')::text,
     bangfu.handicraft_reward(1000000, '2025-06-30', 'what_if')::text),
    ('medical_reduction(60000, 10000 used)',
     bangfu.medical_reduction(60000, '2025-06-30', 10000)::text,
     bangfu.medical_reduction(60000, '2025-06-30', 10000, 'what_if')::text)
  ) AS t(rule, in_force, proposed);

-- The explanations say which scenario and which version they used.
SELECT bangfu.pension_subsidy_explain(1000, date '2025-06-30', 'what_if') AS explained;
SELECT e->>'scenario' AS scenario, e->>'result' AS result, e->'policy' AS policy
  FROM (VALUES (bangfu.enterprise_subsidy_explain(1000, 100, 200, '2025-06-30', 'what_if'))) AS t(e);

-- A scenario that overrides nothing gives the policy in force.  The empty
-- name is not a scenario (bangfu.scenario refuses it): it stands for the
-- policy in force, so a list of scenarios can include it.
SELECT bangfu.pension_subsidy(1000, date '2025-06-30', 'empty') AS empty_scenario,
       bangfu.pension_subsidy(1000, date '2025-06-30', '') AS empty_name,
       bangfu.handicraft_reward(300000, '2025-06-30', 'empty') AS empty_reward;

-- One call site, the scenario changing from row to row.
SELECT n, quote_literal(s) AS scenario, bangfu.pension_subsidy(1000, date '2025-06-30', s) AS pension,
       bangfu.relief_band('education', '2025-06-30', s) AS band,
       bangfu.enterprise_subsidy(1000, 100, 200, '2025-06-30', s) AS employer
  FROM unnest(ARRAY['what_if', '', 'empty', 'what_if', '', 'what_if']) WITH ORDINALITY AS t(s, n)
 ORDER BY n;

-- Unknown scenarios are errors; a NULL scenario gives NULL.
SELECT call, t.state, t.message
  FROM unnest(ARRAY[
    $$bangfu.pension_subsidy(1000, date '2025-06-30', 'nope')$$,
    $$bangfu.relief_band('education', '2025-06-30', 'nope')$$,
    $$bangfu.hard_to_employ('M', '1980-01-01', '2025-06-30', 'nope')$$,
    $$bangfu.loan_interest_subsidy(10000, 0.0435, '2025-01-01', '2025-01-01', '2026-01-01', 'nope')$$,
    $$bangfu.scenario_compare('nope')$$
  ]) AS call,
  LATERAL pg_temp.try('SELECT ' || call) AS t;
SELECT bangfu.pension_subsidy(1000, date '2025-06-30', NULL) IS NULL AS null_scenario,
       (SELECT count(*) FROM bangfu.scenario_compare(NULL)) AS rows_for_null_compare;

-- A scenario value must serve its rule: a share must be one rate over [0,).
INSERT INTO bangfu.scenario (name) VALUES ('bad_share');
INSERT INTO bangfu.scenario_value (scenario, param, tiers) VALUES
    ('bad_share', 'loan.min_share', '[0,10) 50%, [10,) 30%');
SELECT t.state, t.message, t.detail
  FROM pg_temp.try($$SELECT bangfu.enterprise_loan_quota(3, 10, '2025-06-30', 'bad_share')$$) AS t;

-- ---------------------------------------------------------------------------
-- 2. The yearly-cap aggregates of 四, stay after stay in date order.
-- Spec 4(1): two stays of 60000 in one year → 15000.00 then 5000.00.
-- Spec 4(2): 40000 → 30000.00 (yearly cap).
-- ---------------------------------------------------------------------------
CREATE TEMP TABLE spec_stays (patient int, stay int, cost numeric, discharged date);
INSERT INTO spec_stays VALUES
    (1, 1, 60000, '2025-03-01'),
    (1, 2, 60000, '2025-06-01'),     -- 5000 left of the 20000 cap
    (1, 3, 60000, '2026-01-05'),     -- a new year: the cap starts again
    (2, 1, 5000,  '2025-01-01'),     -- 500
    (2, 2, NULL,  '2025-02-01'),     -- left out, as sum() leaves NULLs out
    (3, 1, 40000, '2025-05-05'),     -- 四(2): 32000 → 30000 cap
    (3, 2, 10000, '2025-05-05'),     -- same day: nothing left of the relief cap
    (4, 1, NULL,  '2025-05-05');     -- no row counted: NULL

SELECT patient,
       bangfu.medical_reduction_total(cost, discharged ORDER BY discharged, stay) AS reduction,
       bangfu.medical_reduction_total(cost, discharged, 'what_if' ORDER BY discharged, stay) AS reduction_cap_25000,
       bangfu.illness_relief_total(cost, discharged ORDER BY discharged, stay) AS relief
  FROM spec_stays GROUP BY patient ORDER BY patient;
-- patient 1: 15000 + 5000 + 15000 = 35000; cap 25000: 15000 + 10000 + 15000
--            = 40000; relief 30000 + 0 (2025) + 30000 (2026) = 60000.
-- patient 2: 500; relief 5000·60% = 3000.
-- patient 3: 40000·25% = 10000, 10000·15% = 1500 → 11500; relief 40000·80%
--            = 32000 → 30000 (cap), then 10000·60% = 6000 → 0 → 30000.
-- patient 4: NULL.

-- Per stay, as a running total over a window.
SELECT patient, stay, discharged, cost,
       bangfu.medical_reduction_total(cost, discharged) OVER w AS reduced_so_far,
       bangfu.illness_relief_total(cost, discharged) OVER w AS relieved_so_far
  FROM spec_stays
WINDOW w AS (PARTITION BY patient ORDER BY discharged, stay ROWS UNBOUNDED PRECEDING)
 ORDER BY patient, stay;

SELECT bangfu.medical_reduction_total(cost, discharged) AS no_rows FROM spec_stays WHERE false;

SELECT call, t.state, t.message, t.detail
  FROM unnest(ARRAY[
    $$(SELECT bangfu.medical_reduction_total(cost, discharged ORDER BY discharged DESC) FROM spec_stays WHERE patient = 1)$$,
    $$(SELECT bangfu.illness_relief_total(cost, d ORDER BY d) FROM (VALUES (-1::numeric, '2025-01-01'::date)) AS v(cost, d))$$,
    $$(SELECT bangfu.medical_reduction_total(cost, d ORDER BY d) FROM (VALUES (100.001::numeric, '2025-01-01'::date)) AS v(cost, d))$$,
    $$(SELECT bangfu.medical_reduction_total(cost, d ORDER BY d) FROM (VALUES (100::numeric, 'infinity'::date)) AS v(cost, d))$$,
    $$(SELECT bangfu.medical_reduction_total(cost, d, 'nope' ORDER BY d) FROM (VALUES (100::numeric, '2025-01-01'::date)) AS v(cost, d))$$
  ]) AS call,
  LATERAL pg_temp.try('SELECT ' || call) AS t;

-- One aggregate call site, grouped by scenario.
SELECT quote_literal(s) AS scenario, bangfu.medical_reduction_total(cost, discharged, s ORDER BY discharged, stay) AS reduction
  FROM spec_stays CROSS JOIN unnest(ARRAY['what_if', '', 'empty']) AS s
 WHERE patient = 1
 GROUP BY s ORDER BY s;

-- ---------------------------------------------------------------------------
-- 3. The issue's question over a caseload, in one statement.
-- ---------------------------------------------------------------------------
INSERT INTO bangfu.scenario (name, description) VALUES
    ('cap25k_edu1500', 'charity-bed yearly cap 25,000; education relief band 1,500-3,000');
INSERT INTO bangfu.scenario_value (scenario, param, amount) VALUES
    ('cap25k_edu1500', 'medical.charity_bed.yearly_cap', 25000);
INSERT INTO bangfu.scenario_value (scenario, param, band) VALUES
    ('cap25k_edu1500', 'relief.band.education', '[1500,3000]');

-- A small generated caseload: 60 patients with 1 to 4 stays in 2026 (and a
-- stay in 2025 for some, which this year's cap does not see), and 40 relief
-- grants inside the bands in force.
CREATE TEMP TABLE stays (stay serial PRIMARY KEY, patient int NOT NULL,
                         cost numeric(12,2) NOT NULL, discharged date NOT NULL);
INSERT INTO stays (patient, cost, discharged)
SELECT p, ((p * 7919 + s * 104729) % 95000 + 500 + (p + s) % 100 / 100.0)::numeric(12,2),
       date '2026-01-01' + (p * 37 + s * 97) % 365
  FROM generate_series(1, 60) AS p, generate_series(1, 1 + p % 4) AS s;
INSERT INTO stays (patient, cost, discharged)
SELECT p, 70000, '2025-12-31' FROM generate_series(1, 60, 7) AS p;

CREATE TEMP TABLE relief_grants (household int PRIMARY KEY, reason bangfu.relief_reason NOT NULL,
                                 amount numeric(12,2) NOT NULL, granted date NOT NULL);
INSERT INTO relief_grants
SELECT h, r, lower(b) + (h * 131 % 11) * (upper(b) - lower(b)) / 10, date '2026-01-01' + h * 7
  FROM generate_series(1, 40) AS h,
       LATERAL (SELECT (enum_range(NULL::bangfu.relief_reason))[1 + h % 4] AS r) AS rr,
       LATERAL (SELECT bangfu.relief_band(r, '2026-06-30') AS b) AS bb;

SELECT count(*) AS stays_2026, count(DISTINCT patient) AS patients, sum(cost) AS cost
  FROM stays WHERE discharged >= '2026-01-01';
SELECT reason, count(*) AS grants, min(amount), max(amount), sum(amount)
  FROM relief_grants GROUP BY reason ORDER BY reason;

-- The statement of doc/scenarios.md.  The charity-bed reduction comes first;
-- serious-illness relief applies to what the patient still owes after it, so
-- raising the reduction cap also lowers that relief.  A grant keeps its
-- amount unless the proposed band moves it (relief_in_band): the least the
-- proposal costs.
WITH stay_2026 AS (
    SELECT * FROM stays WHERE discharged >= '2026-01-01' AND discharged < '2027-01-01'
), running AS (
    SELECT s.*,
           bangfu.medical_reduction_total(cost, discharged) OVER w AS red_now,
           bangfu.medical_reduction_total(cost, discharged, 'cap25k_edu1500') OVER w AS red_new
      FROM stay_2026 AS s
    WINDOW w AS (PARTITION BY patient ORDER BY discharged, stay ROWS UNBOUNDED PRECEDING)
), per_stay AS (
    SELECT patient, stay, discharged, cost,
           red_now - coalesce(lag(red_now) OVER w, 0) AS red_now,
           red_new - coalesce(lag(red_new) OVER w, 0) AS red_new
      FROM running
    WINDOW w AS (PARTITION BY patient ORDER BY discharged, stay)
), per_patient AS (
    SELECT patient, sum(red_now) AS red_now, sum(red_new) AS red_new,
           bangfu.illness_relief_total(cost - red_now, discharged ORDER BY discharged, stay) AS rel_now,
           bangfu.illness_relief_total(cost - red_new, discharged, 'cap25k_edu1500' ORDER BY discharged, stay) AS rel_new
      FROM per_stay GROUP BY patient
), programs (n, program, in_force, proposed) AS (
    SELECT 1, '四(1) charity-bed reductions', sum(red_now), sum(red_new) FROM per_patient
    UNION ALL
    SELECT 2, '四(2) serious-illness relief', sum(rel_now), sum(rel_new) FROM per_patient
    UNION ALL
    SELECT 3, '二 temporary relief', sum(amount),
           sum(bangfu.relief_in_band(reason, amount, granted, 'cap25k_edu1500'))
      FROM relief_grants WHERE granted >= '2026-01-01' AND granted < '2027-01-01'
)
SELECT coalesce(program, 'total') AS program, sum(in_force) AS in_force,
       sum(proposed) AS proposed, sum(proposed) - sum(in_force) AS change
  FROM programs
 GROUP BY GROUPING SETS ((n, program), ())
 ORDER BY n NULLS LAST;

-- Cross-check of the 四 rows: medical_settlement stay by stay, carrying what
-- each patient has been reduced and relieved so far this year.
CREATE FUNCTION pg_temp.settle_2026(scen text, OUT reduction numeric, OUT relief numeric)
LANGUAGE plpgsql AS $$
DECLARE
    r record;
    cur int;
    used numeric;
    rel numeric;
    s record;
BEGIN
    reduction := 0;
    relief := 0;
    FOR r IN SELECT * FROM stays WHERE discharged >= '2026-01-01' AND discharged < '2027-01-01'
             ORDER BY patient, discharged, stay LOOP
        IF cur IS DISTINCT FROM r.patient THEN
            cur := r.patient;
            used := 0;
            rel := 0;
        END IF;
        IF scen IS NULL THEN
            s := bangfu.medical_settlement(r.cost, r.discharged, used, rel);
        ELSE
            s := bangfu.medical_settlement(r.cost, r.discharged, used, rel, scen);
        END IF;
        used := used + s.reduction;
        rel := rel + s.relief;
        reduction := reduction + s.reduction;
        relief := relief + s.relief;
    END LOOP;
END
$$;
SELECT 'in force' AS policy, * FROM pg_temp.settle_2026(NULL)
UNION ALL
SELECT 'cap25k_edu1500', * FROM pg_temp.settle_2026('cap25k_edu1500');

-- Cross-check of the 二 row: only education grants below 1500 move.
SELECT count(*) AS grants_raised, sum(1500 - amount) AS raised_by
  FROM relief_grants WHERE reason = 'education' AND amount < 1500;

-- The policy in force is untouched.
SELECT bangfu.relief_band('education', '2026-06-30') AS education_band,
       (SELECT value FROM bangfu.policy_in_force('2026-06-30') WHERE param = 'medical.charity_bed.yearly_cap') AS yearly_cap;

DELETE FROM bangfu.scenario WHERE name IN ('what_if', 'empty', 'bad_share', 'cap25k_edu1500');
SELECT count(*) AS scenario_values_left FROM bangfu.scenario_value
 WHERE scenario IN ('what_if', 'empty', 'bad_share', 'cap25k_edu1500');
