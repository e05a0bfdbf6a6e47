-- pgTAP: the contract of the 二, 五, 八 rules and the what-if machinery, for
-- auditors.  Run with pg_prove in a database with CREATE EXTENSION pgtap and
-- bangfu.
BEGIN;
SELECT plan(294);

-- Every rule function, with its exact signature, volatility and strictness.
CREATE TEMP TABLE rule_fn (name text, args text[], volatility text) ON COMMIT DROP;
INSERT INTO rule_fn VALUES
    ('relief_reason_label', '{bangfu.relief_reason}', 'immutable'),
    ('relief_band', '{bangfu.relief_reason,date}', 'stable'),
    ('relief_band', '{bangfu.relief_reason,date,text}', 'stable'),
    ('relief_band_explain', '{bangfu.relief_reason,date}', 'stable'),
    ('relief_band_explain', '{bangfu.relief_reason,date,text}', 'stable'),
    ('relief_in_band', '{bangfu.relief_reason,numeric,date}', 'stable'),
    ('relief_in_band', '{bangfu.relief_reason,numeric,date,text}', 'stable'),
    ('relief_in_band_explain', '{bangfu.relief_reason,numeric,date}', 'stable'),
    ('relief_in_band_explain', '{bangfu.relief_reason,numeric,date,text}', 'stable'),
    -- the reason as text: an unknown code is refused naming the rule
    ('relief_reason_label', '{text}', 'stable'),
    ('relief_band', '{text,date}', 'stable'),
    ('relief_band', '{text,date,text}', 'stable'),
    ('relief_band_explain', '{text,date}', 'stable'),
    ('relief_band_explain', '{text,date,text}', 'stable'),
    ('relief_in_band', '{text,numeric,date}', 'stable'),
    ('relief_in_band', '{text,numeric,date,text}', 'stable'),
    ('relief_in_band_explain', '{text,numeric,date}', 'stable'),
    ('relief_in_band_explain', '{text,numeric,date,text}', 'stable'),
    ('relief_installments', '{numeric}', 'immutable'),
    ('relief_first_half', '{numeric}', 'immutable'),
    ('relief_second_half', '{numeric}', 'immutable'),
    ('relief_installments_explain', '{numeric}', 'immutable'),
    ('relief_quota', '{integer,date}', 'stable'),
    ('relief_quota', '{integer,date,text}', 'stable'),
    ('relief_quota_min', '{integer,date}', 'stable'),
    ('relief_quota_min', '{integer,date,text}', 'stable'),
    ('relief_quota_max', '{integer,date}', 'stable'),
    ('relief_quota_max', '{integer,date,text}', 'stable'),
    ('relief_quota_explain', '{integer,date}', 'stable'),
    ('relief_quota_explain', '{integer,date,text}', 'stable'),
    ('pension_subsidy', '{numeric,date}', 'stable'),
    ('pension_subsidy', '{numeric,date,text}', 'stable'),
    ('pension_subsidy', '{numeric,integer,integer,date}', 'stable'),
    ('pension_subsidy', '{numeric,integer,integer,date,text}', 'stable'),
    ('pension_subsidy_explain', '{numeric,date}', 'stable'),
    ('pension_subsidy_explain', '{numeric,date,text}', 'stable'),
    ('pension_subsidy_explain', '{numeric,integer,integer,date}', 'stable'),
    ('pension_subsidy_explain', '{numeric,integer,integer,date,text}', 'stable'),
    ('hard_to_employ', '{text,date,date}', 'stable'),
    ('hard_to_employ', '{text,date,date,text}', 'stable'),
    ('hard_to_employ', '{bangfu.cnid,date}', 'stable'),
    ('hard_to_employ_explain', '{text,date,date}', 'stable'),
    ('hard_to_employ_explain', '{text,date,date,text}', 'stable'),
    ('hard_to_employ_explain', '{bangfu.cnid,date}', 'stable'),
    ('enterprise_subsidy', '{numeric,numeric,numeric,date}', 'stable'),
    ('enterprise_subsidy', '{numeric,numeric,numeric,date,text}', 'stable'),
    ('enterprise_subsidy_explain', '{numeric,numeric,numeric,date}', 'stable'),
    ('enterprise_subsidy_explain', '{numeric,numeric,numeric,date,text}', 'stable'),
    ('enterprise_loan_quota', '{integer,integer,date}', 'stable'),
    ('enterprise_loan_quota', '{integer,integer,date,text}', 'stable'),
    ('enterprise_loan_quota_explain', '{integer,integer,date}', 'stable'),
    ('enterprise_loan_quota_explain', '{integer,integer,date,text}', 'stable'),
    ('loan_interest_subsidy', '{numeric,numeric,date,date,date}', 'stable'),
    ('loan_interest_subsidy', '{numeric,numeric,date,date,date,text}', 'stable'),
    ('loan_interest_subsidy_explain', '{numeric,numeric,date,date,date}', 'stable'),
    ('loan_interest_subsidy_explain', '{numeric,numeric,date,date,date,text}', 'stable'),
    ('handicraft_reward', '{numeric,date}', 'stable'),
    ('handicraft_reward', '{numeric,date,text}', 'stable'),
    ('handicraft_reward_explain', '{numeric,date}', 'stable'),
    ('handicraft_reward_explain', '{numeric,date,text}', 'stable'),
    ('scenario_compare', '{text,date}', 'stable');

SELECT has_function('bangfu', name, args, format('%s(%s) exists', name, array_to_string(args, ', ')))
  FROM rule_fn ORDER BY name, cardinality(args), args;
SELECT volatility_is('bangfu', name, args, volatility,
                     format('%s(%s) is %s', name, array_to_string(args, ', '), upper(volatility)))
  FROM rule_fn ORDER BY name, cardinality(args), args;
SELECT is_strict('bangfu', name, args, format('%s(%s) is STRICT', name, array_to_string(args, ', ')))
  FROM rule_fn WHERE name NOT IN ('relief_installments', 'relief_quota', 'relief_reason_label') OR args = '{text}' ORDER BY name, cardinality(args), args;
-- The two table functions and the label are SQL that the planner inlines
-- (over strict scalars, or a CASE); STRICT would stop that.  NULL in gives a
-- row of NULLs, or NULL.
SELECT isnt_strict('bangfu', name, args, format('%s(%s) is not STRICT (inlined SQL)', name, array_to_string(args, ', ')))
  FROM rule_fn WHERE name IN ('relief_installments', 'relief_quota', 'relief_reason_label') AND args <> '{text}' ORDER BY name, cardinality(args), args;
SELECT is(bangfu.relief_reason_label(NULL), NULL, '二 the label of NULL is NULL');
-- The rules with an on_date (the medical ones and the scenario overloads
-- too) let the planner take a CURRENT_DATE there out of the per-row work.
SELECT results_eq($$SELECT p.oid::regprocedure::text FROM pg_proc p
                     WHERE p.prosupport = 'bangfu.today_support'::regproc ORDER BY p.oid::regprocedure::text COLLATE "C"$$,
                  ARRAY['bangfu.enterprise_loan_quota(integer,integer,date)',
                        'bangfu.enterprise_loan_quota(integer,integer,date,text)',
                        'bangfu.enterprise_subsidy(numeric,numeric,numeric,date)',
                        'bangfu.enterprise_subsidy(numeric,numeric,numeric,date,text)',
                        'bangfu.handicraft_reward(numeric,date)',
                        'bangfu.handicraft_reward(numeric,date,text)',
                        'bangfu.illness_relief(numeric,date,numeric)',
                        'bangfu.illness_relief(numeric,date,numeric,text)',
                        'bangfu.medical_reduction(numeric,date,numeric)',
                        'bangfu.medical_reduction(numeric,date,numeric,text)',
                        'bangfu.medical_settlement(numeric,date,numeric,numeric)',
                        'bangfu.medical_settlement(numeric,date,numeric,numeric,text)',
                        'bangfu.pension_subsidy(numeric,date)',
                        'bangfu.pension_subsidy(numeric,date,text)',
                        'bangfu.pension_subsidy(numeric,integer,integer,date)',
                        'bangfu.pension_subsidy(numeric,integer,integer,date,text)',
                        'bangfu.relief_band(bangfu.relief_reason,date)',
                        'bangfu.relief_band(bangfu.relief_reason,date,text)',
                        'bangfu.relief_band(text,date)',
                        'bangfu.relief_band(text,date,text)',
                        'bangfu.relief_in_band(bangfu.relief_reason,numeric,date)',
                        'bangfu.relief_in_band(bangfu.relief_reason,numeric,date,text)',
                        'bangfu.relief_in_band(text,numeric,date)',
                        'bangfu.relief_in_band(text,numeric,date,text)',
                        'bangfu.relief_quota_max(integer,date)',
                        'bangfu.relief_quota_max(integer,date,text)',
                        'bangfu.relief_quota_min(integer,date)',
                        'bangfu.relief_quota_min(integer,date,text)'],
                  'the rules with an on_date have the planner support function');
SELECT results_eq($$SELECT first_half, second_half FROM bangfu.relief_installments(NULL)$$,
                  $$VALUES (NULL::numeric, NULL::numeric)$$, '二 installments of NULL: one row of NULLs');
SELECT function_returns('bangfu', name, args, 'jsonb', format('%s(%s) returns jsonb', name, array_to_string(args, ', ')))
  FROM rule_fn WHERE name LIKE '%\_explain' ORDER BY name, cardinality(args), args;

SELECT function_returns('bangfu', 'relief_band', ARRAY['bangfu.relief_reason', 'date'], 'numrange', 'relief_band returns numrange');
SELECT function_returns('bangfu', 'relief_installments', ARRAY['numeric'], 'setof record', 'relief_installments returns a table');
SELECT function_returns('bangfu', 'relief_quota', ARRAY['integer', 'date'], 'setof record', 'relief_quota returns a table');
SELECT function_returns('bangfu', 'pension_subsidy', ARRAY['numeric', 'date'], 'numeric', 'pension_subsidy returns numeric');
SELECT function_returns('bangfu', 'hard_to_employ', ARRAY['text', 'date', 'date'], 'boolean', 'hard_to_employ returns boolean');
SELECT function_returns('bangfu', 'enterprise_loan_quota', ARRAY['integer', 'integer', 'date'], 'numeric', 'enterprise_loan_quota returns numeric');

SELECT has_type('bangfu', 'relief_reason', 'type bangfu.relief_reason exists');
SELECT enum_has_labels('bangfu', 'relief_reason',
                       ARRAY['critical_illness', 'disability_chronic', 'education', 'single_parent_other'],
                       '二 the four relief reasons, in the seed''s order');
SELECT is_aggregate('bangfu', 'medical_reduction_total', ARRAY['numeric', 'date'], 'medical_reduction_total(numeric, date) is an aggregate');
SELECT is_aggregate('bangfu', 'medical_reduction_total', ARRAY['numeric', 'date', 'text'], 'medical_reduction_total(numeric, date, text) is an aggregate');
SELECT is_aggregate('bangfu', 'illness_relief_total', ARRAY['numeric', 'date'], 'illness_relief_total(numeric, date) is an aggregate');
SELECT is_aggregate('bangfu', 'illness_relief_total', ARRAY['numeric', 'date', 'text'], 'illness_relief_total(numeric, date, text) is an aggregate');

-- 二
SELECT is(bangfu.relief_band('critical_illness', '2025-06-30'), '[2000,5000]'::numrange, '二 critical illness band 2000-5000');
SELECT is(bangfu.relief_band('single_parent_other', '2025-06-30'), '[1000,1500]'::numrange, '二 single parent band 1000-1500');
SELECT is(bangfu.relief_reason_label('education'), '因子女教育费用负担过重', '二 education label in the seed''s wording');
SELECT results_eq($$SELECT first_half::text, second_half::text FROM bangfu.relief_installments(1500.01)$$,
                  $$VALUES ('750.01', '750.00')$$, '二 1500.01 → 750.01 + 750.00');
SELECT is(bangfu.relief_first_half(1500.01)::text, '750.01', '二 first half of 1500.01 is 750.01 (rounded up)');
SELECT is(bangfu.relief_second_half(1500.01)::text, '750.00', '二 second half of 1500.01 is 750.00 (the rest)');
SELECT is(bangfu.relief_quota_min(20001, '2025-06-30'), 601, '二 least of 20001 households: ceil(600.03) = 601');
SELECT is(bangfu.relief_quota_max(20001, '2025-06-30'), 1000, '二 most of 20001 households: floor(1000.05) = 1000');
SELECT results_eq($$SELECT min_households, max_households FROM bangfu.relief_quota(20000, '2025-06-30')$$,
                  $$VALUES (600, 1000)$$, '二 20000 households → 600 to 1000');
SELECT results_eq($$SELECT min_households, max_households FROM bangfu.relief_quota(34, '2025-06-30')$$,
                  $$VALUES (1, 1)$$, '二 34 households → 1 to 1 (ceil 2 passes floor 1: the ceiling holds)');
SELECT results_eq($$SELECT min_households, max_households FROM bangfu.relief_quota(19, '2025-06-30')$$,
                  $$VALUES (0, 0)$$, '二 19 households → 0 to 0');
SELECT is((SELECT count(*) FROM generate_series(0, 60) AS n, LATERAL bangfu.relief_quota(n, '2025-06-30') AS q
            WHERE q.min_households > q.max_households), 0::bigint, '二 the least never passes the most, 0 to 60 households');
-- An unknown reason names the argument and the rule (clauses.md §0), in every
-- function that takes one.
SELECT throws_ok($$SELECT bangfu.relief_band('gambling', '2025-06-30')$$, '22023',
                 'unknown relief reason "gambling" (argument reason of bangfu.relief_band)', '二 unknown reason in relief_band is 22023, named');
SELECT throws_ok($$SELECT bangfu.relief_in_band('gambling', 1500, '2025-06-30')$$, '22023',
                 'unknown relief reason "gambling" (argument reason of bangfu.relief_in_band)', '二 unknown reason in relief_in_band is 22023, named');
SELECT throws_ok($$SELECT bangfu.relief_band_explain('gambling', '2025-06-30')$$, '22023',
                 'unknown relief reason "gambling" (argument reason of bangfu.relief_band)', '二 unknown reason in relief_band_explain is 22023, named');
SELECT throws_ok($$SELECT bangfu.relief_in_band_explain('gambling', 1500, '2025-06-30', 'x')$$, '22023',
                 'unknown relief reason "gambling" (argument reason of bangfu.relief_in_band)', '二 unknown reason in relief_in_band_explain is 22023, named');
SELECT throws_ok($$SELECT bangfu.relief_reason_label('gambling')$$, '22023',
                 'unknown relief reason "gambling" (argument reason of bangfu.relief_reason_label)', '二 unknown reason in relief_reason_label is 22023, named');
SELECT is(bangfu.relief_in_band('education', 999.99, '2025-06-30')::text, '1000.00', '二 a known reason as a literal resolves (text form)');
SELECT is(bangfu.relief_band('education'), bangfu.relief_band('education'::bangfu.relief_reason), '二 text and enum forms agree');
SELECT throws_ok($$SELECT * FROM bangfu.relief_quota(-1, '2025-06-30')$$, '22023', NULL, '二 negative households is 22023');

-- 五
SELECT is(bangfu.pension_subsidy(3000, '2025-06-30')::text, '2000.00', '五 3000 → 2000.00');
SELECT is(bangfu.pension_subsidy(1000, '2025-06-30')::text, '666.67', '五 1000 → 666.67');
SELECT is(bangfu.pension_subsidy(100.01, '2025-06-30')::text, '66.67', '五 100.01 → 66.67');
SELECT is(bangfu.pension_subsidy(1000)::text, '666.67', '五 one-argument call resolves');
SELECT is(bangfu.pension_subsidy(1000, 12, 0)::text, '666.67', '五 three-argument call resolves to the pro rata form');
SELECT is(bangfu.pension_subsidy(1200, 12, 30, '2025-06-30')::text, '400.00', '五 6 of 12 months left of 36 → 400.00');
SELECT is(bangfu.pension_subsidy(1200, 12, 36, '2025-06-30')::text, '0.00', '五 36 months used → 0.00');
SELECT throws_ok($$SELECT bangfu.pension_subsidy(-1, '2025-06-30')$$, '22023', NULL, '五 negative payment is 22023');
SELECT throws_ok($$SELECT bangfu.pension_subsidy(1000, 0, 0, '2025-06-30')$$, '22023', NULL, '五 zero months is 22023');

-- 八(1)
SELECT is(bangfu.hard_to_employ('M', '1980-06-15', '2025-06-14'), false, '八(1) man the day before 45');
SELECT is(bangfu.hard_to_employ('男', '1980-06-15', '2025-06-15'), true, '八(1) man on his 45th birthday');
SELECT is(bangfu.hard_to_employ('女', '1985-06-15', '2025-06-15'), true, '八(1) woman on her 40th birthday');
SELECT is(bangfu.hard_to_employ('M', '1984-02-29', '2029-02-28'), false, '八(1) born 29 Feb: not on 28 Feb of a common year');
SELECT is(bangfu.hard_to_employ('M', '1984-02-29', '2029-03-01'), true, '八(1) born 29 Feb: on 1 Mar of a common year');
SELECT is(bangfu.hard_to_employ('F', '1984-02-29', '2024-02-29'), true, '八(1) born 29 Feb: on 29 Feb of a leap year');
SELECT throws_ok($$SELECT bangfu.hard_to_employ('X', '1980-01-01', '2025-06-30')$$, '22023', 'sex "X" is not M or F', '八(1) unknown sex is 22023');
SELECT is(bangfu.enterprise_subsidy(1000, 100, 200, '2025-06-30')::text, '225.00', '八(1) 1000/100/200 → 225.00');
SELECT is(bangfu.enterprise_subsidy(0.03, 0.01, 0, '2025-06-30')::text, '0.01', '八(1) rounded once: 0.003 + 0.0025 → 0.01');
-- 八(1) over rows of a table (amounts stored as they are in a register) whose
-- dates cross policy versions, back and forth: each row takes the rates of
-- its own date, including a version whose rate has a cap.
INSERT INTO bangfu.policy (param, valid_from, tiers) VALUES
    ('employer.subsidy.pension_rate', '2091-01-01', '[0,) 15%'),
    ('employer.subsidy.unemployment_rate', '2092-01-01', '[0,) 50%; cap 60');
CREATE TEMP TABLE ent_rows (n int, p numeric(12,2), i numeric(12,2), u numeric(12,2), d date) ON COMMIT DROP;
INSERT INTO ent_rows VALUES
    (1, 1000, 100, 200, '2090-12-31'),
    (2, 1000, 100, 200, '2091-01-01'),
    (3, 1000, 100, 200, '2090-12-31'),
    (4, 1000, 100, 200, '2092-01-01'),
    (5, 1000, 100, 200, '2091-12-31'),
    (6, 1000.01, 100.03, 200.05, '2091-06-30'),
    (7, 1000.01, 100.03, 200.05, '2092-06-30'),
    (8, 1000.01, 100.03, 200.05, '2090-06-30'),
    (9, 0.5, 0, 999999.99, '2090-06-30'),
    (10, 1000, 100, 200, '-infinity'),
    (11, 1000, 100, 200, 'infinity');
SELECT results_eq(
    $$SELECT bangfu.enterprise_subsidy(p, i, u, d)::text FROM ent_rows ORDER BY n$$,
    ARRAY['225.00', '275.00', '225.00', '235.00', '275.00',
          -- 150.0015 + 25.0075 + 100.025 = 275.034; the cap: 150.0015 + 25.0075 + 60
          '275.03', '235.01',
          -- 100.001 + 25.0075 + 100.025 = 225.0335
          '225.03',
          -- 0.05 + 499999.995
          '500000.05',
          '225.00', '235.00'],
    '八(1) each row takes the rates of its date (10% → 15% on 2091-01-01, cap 60 on 50% from 2092)');

-- 八(2)
SELECT is(bangfu.enterprise_loan_quota(3, 10, '2025-06-30')::text, '30000.00', '八(2) 3 of 10 → 30000.00');
SELECT is(bangfu.enterprise_loan_quota(2, 5, '2025-06-30')::text, '0.00', '八(2) 2 of 5 → 0 (fewer than 3)');
SELECT is(bangfu.enterprise_loan_quota(3, 11, '2025-06-30')::text, '0.00', '八(2) 3 of 11 → 0 (27%)');
SELECT throws_ok($$SELECT bangfu.enterprise_loan_quota(11, 10, '2025-06-30')$$, '22023',
                 'hardship_hires 11 exceeds total_staff 10', '八(2) hires > staff is 22023');
SELECT is(bangfu.loan_interest_subsidy(10000, 0.0435, '2025-01-01', '2025-01-01', '2026-01-01')::text, '441.04',
          '八(2) 10000 at 4.35% for 365 days / 360 → 441.04');
SELECT is(bangfu.loan_interest_subsidy(10000, 0.0435, '2025-01-01', '2026-06-01', '2027-06-01')::text, '258.58',
          '八(2) only the days before 2027-01-01 count (214)');
SELECT is(bangfu.loan_interest_subsidy(10000, 0.0435, '2024-02-29', '2026-02-28', '2026-03-01')::text, '1.21',
          '八(2) a loan of 2024-02-29 is subsidised through 2026-02-28 (anniversary 1 March)');
SELECT is(bangfu.loan_interest_subsidy(10000, 0.0435, '2024-02-29', '2026-03-01', '2026-03-02')::text, '0.00',
          '八(2) a loan of 2024-02-29: nothing on 2026-03-01');
SELECT is(bangfu.loan_interest_subsidy_explain(10000, 0.0435, '2024-02-29', '2024-02-29', '2024-03-01')->>'last_day_subsidised',
          '2026-02-28', '八(2) explain: the last day subsidised');
SELECT throws_ok($$SELECT bangfu.loan_interest_subsidy(10000, 0.0435, '2025-01-01', '2025-02-01', '2025-01-31')$$,
                 '22023', NULL, '八(2) period_to before period_from is 22023');

-- 八(2) the subsidy ends on the interest_years-th anniversary of the loan's
-- start (29 February: 1 March in a year without one), for every start day
-- of 1895-2105 (1900 and 2100 are not leap years, 2000 is) and around year
-- 0 (1 BC, a leap year), checked against PostgreSQL's own calendar: date +
-- n years, moved to 1 March where it clamped 29 February.  A loan of
-- 1,000,000 at 36 % over [end - 1, end + 1) is one day, 1000.00: 0.00 or
-- 2000.00 if the end were a day early or late.  The plain call (its fast
-- path, the policy in force: 2 years) and the explanation under scenarios
-- of 1, 3 and 4 years (the versions read each time).
CREATE TEMP TABLE anniversary_case AS
WITH s AS (SELECT d::date AS d FROM generate_series('1895-01-01'::date, '2105-12-31', '1 day') d
           UNION ALL
           SELECT d::date FROM generate_series('0002-01-01 BC'::date, '0003-12-31', '1 day') d),
     o AS (SELECT s.d, v.n, v.scenario, (s.d + make_interval(years => v.n))::date AS p
             FROM s CROSS JOIN (VALUES (2, NULL), (1, 'tap_years_1'), (3, 'tap_years_3'), (4, 'tap_years_4')) v(n, scenario))
SELECT d, n, scenario, CASE WHEN extract(day FROM p) <> extract(day FROM d) THEN p + 1 ELSE p END AS want FROM o;
INSERT INTO bangfu.scenario (name) VALUES ('tap_years_1'), ('tap_years_3'), ('tap_years_4');
INSERT INTO bangfu.scenario_value (scenario, param, count)
VALUES ('tap_years_1', 'loan.interest_years', 1), ('tap_years_3', 'loan.interest_years', 3), ('tap_years_4', 'loan.interest_years', 4);
SELECT results_eq($$SELECT d, n, want FROM anniversary_case
                     WHERE (d, n) IN (('2024-02-29', 2), ('2000-02-29', 4), ('1896-02-29', 4), ('2023-03-01', 1), ('0001-02-29 BC', 4))
                     ORDER BY d, n$$,
                  $$VALUES ('0001-02-29 BC'::date, 4, '0004-02-29'::date), ('1896-02-29', 4, '1900-03-01'), ('2000-02-29', 4, '2004-02-29'),
                           ('2023-03-01', 1, '2024-03-01'), ('2024-02-29', 2, '2026-03-01')$$,
                  '八(2) the oracle itself, by hand: 29 February to 1 March where the year has none (1900, 2026), kept where it has (2004, 4 AD)');
SELECT is_empty($$SELECT d, want FROM anniversary_case
                   WHERE scenario IS NULL AND bangfu.loan_interest_subsidy(1000000, 0.36, d, want - 1, want + 1) <> 1000.00$$,
                '八(2) the subsidy ends on the second anniversary of every start day (the plain call)');
SELECT is_empty($$SELECT d, n, want FROM anniversary_case
                   WHERE (bangfu.loan_interest_subsidy_explain(1000000, 0.36, d, d, d + 1, scenario)->>'subsidy_ends')::date <> want$$,
                '八(2) and on the first, second, third and fourth (the explanation, under scenarios)');

-- 八(3)
SELECT is(bangfu.handicraft_reward(299999.99, '2025-06-30')::text, '0.00', '八(3) 299999.99 → 0');
SELECT is(bangfu.handicraft_reward(300000, '2025-06-30')::text, '5000.00', '八(3) 300000 → 5000 (bound in the higher tier)');
SELECT is(bangfu.handicraft_reward(1000000, '2025-06-30')::text, '20000.00', '八(3) 1000000 → 20000');

-- Explanations name the policy version.
SELECT is(bangfu.pension_subsidy_explain(1000, '2025-06-30')->>'policy_valid_from', '-infinity', 'explain names the version in force');
SELECT is(bangfu.enterprise_subsidy_explain(1000, 100, 200, '2025-06-30')->>'exact', '225', 'explain shows the exact sum');

-- What-if: a scenario overrides what it names; the policy in force stays.
INSERT INTO bangfu.scenario (name) VALUES ('tap_what_if');
INSERT INTO bangfu.scenario_value (scenario, param, amount) VALUES ('tap_what_if', 'medical.charity_bed.yearly_cap', 25000);
INSERT INTO bangfu.scenario_value (scenario, param, band) VALUES ('tap_what_if', 'relief.band.education', '[1500,3000]');
SELECT is(bangfu.relief_band('education', '2025-06-30', 'tap_what_if'), '[1500,3000]'::numrange, 'scenario band');
SELECT is(bangfu.relief_band('education', '2025-06-30'), '[1000,2000]'::numrange, 'band in force unchanged');
SELECT is(bangfu.relief_band('critical_illness', '2025-06-30', 'tap_what_if'), '[2000,5000]'::numrange, 'scenario falls back for what it does not name');
SELECT results_eq($$SELECT param, in_force, proposed FROM bangfu.scenario_compare('tap_what_if', '2025-06-30')$$,
                  $$VALUES ('medical.charity_bed.yearly_cap', '20000', '25000'), ('relief.band.education', '[1000,2000]', '[1500,3000]')$$,
                  'scenario_compare lists the overrides beside the values in force');
SELECT results_eq($$SELECT bangfu.medical_reduction_total(cost, d ORDER BY d)::text,
                           bangfu.medical_reduction_total(cost, d, 'tap_what_if' ORDER BY d)::text
                      FROM (VALUES (60000::numeric, '2025-03-01'::date), (60000, '2025-06-01')) AS v(cost, d)$$,
                  $$VALUES ('20000.00', '25000.00')$$,
                  '四(1) two stays of 60000: 15000 + 5000 in force, 15000 + 10000 with the cap at 25000');
SELECT is(bangfu.illness_relief_total(cost, d ORDER BY d)::text, '30000.00', '四(2) yearly cap over stays')
  FROM (VALUES (40000::numeric, '2025-03-01'::date), (10000, '2025-06-01')) AS v(cost, d);
SELECT throws_ok($$SELECT bangfu.medical_reduction_total(cost, d ORDER BY d DESC)
                     FROM (VALUES (1::numeric, '2025-03-01'::date), (1, '2025-06-01')) AS v(cost, d)$$,
                 '22023', NULL, 'dates going backwards are 22023');
SELECT throws_ok($$SELECT bangfu.pension_subsidy(1000, date '2025-06-30', 'no_such_scenario')$$, '22023',
                 'unknown scenario "no_such_scenario" (argument scenario of bangfu.pension_subsidy)',
                 'unknown scenario is 22023, naming the argument and the rule');
SELECT throws_ok($$SELECT bangfu.medical_reduction(1000, date '2025-06-30', 0, 'no_such_scenario')$$, '22023',
                 'unknown scenario "no_such_scenario" (argument scenario of bangfu.medical_reduction)',
                 'unknown scenario in a 四 rule is 22023, named');
SELECT throws_ok($$SELECT bangfu.illness_relief_total(1000, date '2025-06-30', 'no_such_scenario')$$, '22023',
                 'unknown scenario "no_such_scenario" (argument scenario of bangfu.illness_relief_total)',
                 'unknown scenario in an aggregate is 22023, naming the aggregate');
SELECT throws_ok($$SELECT * FROM bangfu.scenario_compare('no_such_scenario')$$, '22023',
                 'unknown scenario "no_such_scenario" (argument scenario of bangfu.scenario_compare)',
                 'unknown scenario in scenario_compare is 22023, named');
-- Spec §0: usage already over a cap (a cap lowered with a past valid_from)
-- gives 0.00, not an error.
INSERT INTO bangfu.policy (param, valid_from, amount) VALUES ('medical.charity_bed.yearly_cap', '2093-01-01', 10000);
INSERT INTO bangfu.policy (param, valid_from, count) VALUES ('pension.max_months', '2093-01-01', 24);
SELECT is(bangfu.medical_reduction(5000, '2093-06-30', 15000)::text, '0.00', '§0 15000 reduced of a cap lowered to 10000 → 0.00');
SELECT is(bangfu.pension_subsidy(1200, 12, 30, '2093-06-30')::text, '0.00', '§0 30 months subsidised of a limit lowered to 24 → 0.00');

SELECT * FROM finish();
ROLLBACK;
