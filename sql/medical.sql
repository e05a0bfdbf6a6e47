-- 四 medical relief: the charity-bed reduction (四(1)), the serious-illness
-- relief (四(2)) and both on one stay, read from the dated policy store.
--
-- Every expected value is a worked example of spec section 4 or a hand
-- calculation in the comment beside it.  Rows carry the expected value and an
-- "ok" column.  Dates are explicit: the shipped defaults apply from
-- -infinity, the versions added here from 2090-01-01.
SET client_min_messages = warning;  -- the extension may exist already
CREATE EXTENSION IF NOT EXISTS bangfu;
RESET client_min_messages;

-- Dates in ISO form, here and inside the explain JSON (section 9 shows that
-- the JSON must not depend on this setting).
SET DateStyle = 'ISO, YMD';

-- Run a query, report its result, or its SQLSTATE, message and detail.
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
-- 1. 四(1) charity-bed reduction, shipped flat schedule, every bound ± 0.01.
-- Spec: 5000 → 500.00; 6000 → 600.00; 6000.01 → 900.00; 12000 → 1800.00;
-- 20000 → 4000.00; 20000.01 → 5000.00; 60000 → 15000.00; 100000 → 15000.00.
-- ---------------------------------------------------------------------------
SELECT cost, want, bangfu.medical_reduction(cost, '2024-06-01', 0) AS got,
       bangfu.medical_reduction(cost, '2024-06-01', 0)::text = want AS ok
  FROM (VALUES
    (0::numeric, '0.00'),
    (0.01,       '0.00'),      -- 0.001
    (5000,       '500.00'),
    (5999.99,    '600.00'),    -- 599.999
    (6000,       '600.00'),
    (6000.01,    '900.00'),    -- 900.0015
    (11999.99,   '1800.00'),   -- 1799.9985
    (12000,      '1800.00'),
    (12000.01,   '2400.00'),   -- 2400.002
    (19999.99,   '4000.00'),   -- 3999.998
    (20000,      '4000.00'),
    (20000.01,   '5000.00'),   -- 5000.0025
    (59999.99,   '15000.00'),  -- 14999.9975 → 15000.00, equal to the stay cap
    (60000,      '15000.00'),
    (60000.01,   '15000.00'),  -- 15000.0025 → 15000.00
    (60000.02,   '15000.00'),  -- 15000.005 → 15000.01 → stay cap 15000
    (100000,     '15000.00')   -- 25000 → stay cap
  ) AS t(cost, want);

-- The defaults of the 3-argument form: reduced_this_year defaults to 0.
SELECT bangfu.medical_reduction(6000.01, '2024-06-01') AS two_args,
       bangfu.illness_relief(10000.01, '2024-06-01') AS two_args_relief;

-- The per-stay cap bites only once the rounded value passes 15000: the first
-- cost where it does is 60000.02 (15000.01 before the cap).
SELECT cost, e->>'exact' AS exact, e->>'rounded' AS rounded, e->'cap_applied' AS cap_applied,
       e->>'capped_by' AS capped_by, e->>'result' AS result
  FROM unnest(ARRAY[59999.99, 60000, 60000.01, 60000.02, 100000]::numeric[]) AS cost,
       LATERAL bangfu.medical_reduction_explain(cost, '2024-06-01', 0) AS e;

-- ---------------------------------------------------------------------------
-- 2. 四(1) yearly cap of 20000 over all stays: a stay gets what remains.
-- ---------------------------------------------------------------------------
SELECT cost, reduced_this_year, want,
       bangfu.medical_reduction(cost, '2024-06-01', reduced_this_year) AS got,
       bangfu.medical_reduction(cost, '2024-06-01', reduced_this_year)::text = want AS ok
  FROM (VALUES
    (60000::numeric, 0::numeric, '15000.00'),  -- stay cap
    (60000,          15000,      '5000.00'),   -- spec: second stay of 60000
    (60000,          19999.99,   '0.01'),      -- 20000 - 19999.99
    (60000,          20000,      '0.00'),      -- nothing left
    (60000,          25000,      '0.00'),      -- more than the cap already used
    (1000,           19900,      '100.00'),    -- 100 = what remains, not capped
    (1000,           19900.01,   '99.99'),     -- 100 > 99.99 remaining
    (1000,           19950,      '50.00')      -- 100 > 50 remaining
  ) AS t(cost, reduced_this_year, want);

-- Two stays of 60000 in one year: 15000.00 then 5000.00 (spec 四(1)).
SELECT first_stay, bangfu.medical_reduction(60000, '2024-09-01', first_stay) AS second_stay
  FROM bangfu.medical_reduction(60000, '2024-03-01', 0) AS first_stay;

-- Which cap bit, in explain.
SELECT cost, reduced_this_year, e->>'rounded' AS rounded, e->'cap_applied' AS stay_cap,
       e->'yearly_cap_applied' AS yearly_cap, e->>'remaining_this_year' AS remaining,
       e->>'capped_by' AS capped_by, e->>'result' AS result
  FROM (VALUES (5000::numeric, 0::numeric), (100000, 0), (60000, 15000), (100000, 15000),
               (1000, 19950)) AS t(cost, reduced_this_year),
       LATERAL bangfu.medical_reduction_explain(cost, '2024-06-01', reduced_this_year) AS e;

-- ---------------------------------------------------------------------------
-- 3. 四(2) serious-illness relief, shipped flat schedule, every bound ± 0.01,
-- and its yearly cap of 30000.  Spec: 10000 → 6000.00; 15000 → 10500.00;
-- 20000 → 14000.00; 30000 → 24000.00; 40000 → 30000.00 (nothing used before).
-- ---------------------------------------------------------------------------
SELECT own_share, relieved_this_year, want,
       bangfu.illness_relief(own_share, '2024-06-01', relieved_this_year) AS got,
       bangfu.illness_relief(own_share, '2024-06-01', relieved_this_year)::text = want AS ok
  FROM (VALUES
    (0::numeric, 0::numeric, '0.00'),
    (0.01,       0,          '0.01'),      -- 0.006
    (9999.99,    0,          '5999.99'),   -- 5999.994
    (10000,      0,          '6000.00'),
    (10000.01,   0,          '7000.01'),   -- 7000.007
    (15000,      0,          '10500.00'),
    (19999.99,   0,          '13999.99'),  -- 13999.993
    (20000,      0,          '14000.00'),
    (20000.01,   0,          '16000.01'),  -- 16000.008
    (30000,      0,          '24000.00'),
    (37499.99,   0,          '29999.99'),  -- 29999.992
    (37500,      0,          '30000.00'),  -- 30000 exactly
    (37500.01,   0,          '30000.00'),  -- 30000.008 → 30000.01 → yearly cap
    (40000,      0,          '30000.00'),  -- 32000 → yearly cap
    (40000,      1000,       '29000.00'),  -- 30000 - 1000 remains
    (40000,      29999.99,   '0.01'),
    (40000,      30000,      '0.00'),
    (40000,      35000,      '0.00'),
    (100,        29990,      '10.00')      -- 60 > 10 remaining
  ) AS t(own_share, relieved_this_year, want);

SELECT own_share, relieved_this_year, e->>'rounded' AS rounded,
       e->'yearly_cap_applied' AS yearly_cap, e->>'capped_by' AS capped_by, e->>'result' AS result
  FROM (VALUES (30000::numeric, 0::numeric), (40000, 0), (40000, 1000)) AS t(own_share, relieved_this_year),
       LATERAL bangfu.illness_relief_explain(own_share, '2024-06-01', relieved_this_year) AS e;

-- The whole explanation of one case each.
SELECT jsonb_pretty(bangfu.medical_reduction_explain(60000.02, '2024-06-01', 0));
SELECT jsonb_pretty(bangfu.illness_relief_explain(40000, '2024-06-01', 1000));

-- ---------------------------------------------------------------------------
-- 4. Both modes.  A county that adopts 分段计算 from 2090 adds one version of
-- each schedule; earlier dates keep the shipped flat ones.  Marginal hand
-- calculations for 四(1): 6000 × 10% = 600; + 6000 × 15% = 1500 at 12000;
-- + 8000 × 20% = 3100 at 20000; then 25% above 20000 (spec: 12000 → 1500.00,
-- 20000 → 3100.00, 30000 → 5600.00).  For 四(2): 6000 at 10000, + 7000 =
-- 13000 at 20000, then 80% above.
-- ---------------------------------------------------------------------------
BEGIN;
INSERT INTO bangfu.policy (param, valid_from, tiers) VALUES
    ('medical.charity_bed', '2090-01-01',
     'marginal: [0,6000] 10%, (6000,12000] 15%, (12000,20000] 20%, (20000,) 25%; cap 15000'),
    ('medical.serious_illness', '2090-01-01',
     'marginal: [0,10000] 60%, (10000,20000] 70%, (20000,) 80%');

SELECT rule, amount, flat_want, marginal_want,
       CASE rule WHEN '四(1)' THEN bangfu.medical_reduction(amount, '2089-12-31', 0)
                 ELSE bangfu.illness_relief(amount, '2089-12-31', 0) END AS flat_2089,
       CASE rule WHEN '四(1)' THEN bangfu.medical_reduction(amount, '2090-01-01', 0)
                 ELSE bangfu.illness_relief(amount, '2090-01-01', 0) END AS marginal_2090,
       CASE rule WHEN '四(1)' THEN bangfu.medical_reduction(amount, '2089-12-31', 0)::text = flat_want
                                   AND bangfu.medical_reduction(amount, '2090-01-01', 0)::text = marginal_want
                 ELSE bangfu.illness_relief(amount, '2089-12-31', 0)::text = flat_want
                      AND bangfu.illness_relief(amount, '2090-01-01', 0)::text = marginal_want END AS ok
  FROM (VALUES
    ('四(1)', 5000::numeric, '500.00',   '500.00'),
    ('四(1)', 6000,     '600.00',   '600.00'),
    ('四(1)', 6000.01,  '900.00',   '600.00'),   -- 600 + 0.0015
    ('四(1)', 12000,    '1800.00',  '1500.00'),
    ('四(1)', 20000,    '4000.00',  '3100.00'),
    ('四(1)', 20000.01, '5000.00',  '3100.00'),  -- 3100 + 0.0025
    ('四(1)', 30000,    '7500.00',  '5600.00'),
    ('四(1)', 60000,    '15000.00', '13100.00'), -- 3100 + 40000 × 25%
    ('四(1)', 67600,    '15000.00', '15000.00'), -- 3100 + 47600 × 25% = 15000
    ('四(1)', 100000,   '15000.00', '15000.00'), -- 23100 → stay cap
    ('四(2)', 10000,    '6000.00',  '6000.00'),
    ('四(2)', 15000,    '10500.00', '9500.00'),  -- 6000 + 5000 × 70%
    ('四(2)', 20000,    '14000.00', '13000.00'),
    ('四(2)', 30000,    '24000.00', '21000.00'), -- 13000 + 10000 × 80%
    ('四(2)', 40000,    '30000.00', '29000.00'), -- flat 32000 → cap; 13000 + 16000
    ('四(2)', 41250,    '30000.00', '30000.00'), -- 13000 + 21250 × 80% = 30000
    ('四(2)', 50000,    '30000.00', '30000.00')  -- 37000 → yearly cap
  ) AS t(rule, amount, flat_want, marginal_want);

-- explain names the version it used.
SELECT d, e->>'policy_valid_from' AS policy_valid_from, e->>'mode' AS mode,
       e->>'bracket' AS bracket, e->>'rate' AS rate, e->>'exact' AS exact, e->>'result' AS result
  FROM unnest(ARRAY['2089-12-31', '2090-01-01']::date[]) AS d,
       LATERAL bangfu.medical_reduction_explain(30000, d, 0) AS e;
SELECT jsonb_pretty(bangfu.illness_relief_explain(40000, '2090-01-01', 0));

-- A new yearly cap from 2090 too: the second stay of 60000 gets what remains
-- of 25000 after 15000 in 2090 (10000; marginal 13100 > 10000), of 20000 in
-- 2089 (5000).
INSERT INTO bangfu.policy (param, valid_from, amount) VALUES ('medical.charity_bed.yearly_cap', '2090-01-01', 25000);
SELECT d, e->>'yearly_cap' AS yearly_cap, e->'policy'->'medical.charity_bed.yearly_cap'->>'valid_from' AS cap_from,
       e->>'rounded' AS rounded, e->>'capped_by' AS capped_by, e->>'result' AS result
  FROM unnest(ARRAY['2089-12-31', '2090-01-01']::date[]) AS d,
       LATERAL bangfu.medical_reduction_explain(60000, d, 15000) AS e;
ROLLBACK;
-- Rolled back: 2090 is flat again.
SELECT bangfu.medical_reduction(6000.01, '2090-01-01', 0) AS after_rollback;  -- 900.00

-- ---------------------------------------------------------------------------
-- 5. medical_settlement: the reduction first, relief on what is still owed,
-- reduction + relief + patient_pays = cost.
-- ---------------------------------------------------------------------------
SELECT cost, reduced, relieved, s.*,
       s.reduction::text = w_red AND s.relief::text = w_rel AND s.patient_pays::text = w_pay AS ok
  FROM (VALUES
    (0::numeric, 0::numeric, 0::numeric, '0.00', '0.00', '0.00'),
    -- 500 off; relief on 4500 at 60% = 2700; 5000 - 500 - 2700 = 1800
    (5000,     0,     0,     '500.00',   '2700.00',  '1800.00'),
    -- 900 off; relief on 5100.01 at 60% = 3060.006 → 3060.01; 6000.01 - 900 - 3060.01
    (6000.01,  0,     0,     '900.00',   '3060.01',  '2040.00'),
    -- 1800 off; relief on 10200 at 70% = 7140; 12000 - 1800 - 7140
    (12000,    0,     0,     '1800.00',  '7140.00',  '3060.00'),
    -- 5000 off; relief on 15000.01 at 70% = 10500.007 → 10500.01; 20000.01 - 5000 - 10500.01
    (20000.01, 0,     0,     '5000.00',  '10500.01', '4500.00'),
    -- 7500 off (25%); relief on 22500 at 80% = 18000; 30000 - 7500 - 18000
    (30000,    0,     0,     '7500.00',  '18000.00', '4500.00'),
    -- 15000 off (stay cap); relief on 85000 at 80% = 68000 → yearly cap 30000
    (100000,   0,     0,     '15000.00', '30000.00', '55000.00'),
    -- 5000 of the yearly 20000 left; relief on 55000 = 44000, 5000 of 30000 left
    (60000,    15000, 25000, '5000.00',  '5000.00',  '50000.00')
  ) AS t(cost, reduced, relieved, w_red, w_rel, w_pay),
  LATERAL bangfu.medical_settlement(cost, '2024-06-01', reduced, relieved) AS s;

-- The identity and the agreement with the two rules, over costs 0 .. 100000
-- in steps of 19.99 and every bound ± 0.01, under four states of the year.
SELECT count(*) AS stays,
       count(*) FILTER (WHERE s.reduction + s.relief + s.patient_pays <> cost) AS identity_broken,
       count(*) FILTER (WHERE s.reduction < 0 OR s.relief < 0 OR s.patient_pays < 0) AS negative,
       count(*) FILTER (WHERE s.reduction <> bangfu.medical_reduction(cost, '2024-06-01', reduced)) AS reduction_differs,
       count(*) FILTER (WHERE s.relief <> bangfu.illness_relief(cost - s.reduction, '2024-06-01', relieved)) AS relief_differs,
       count(*) FILTER (WHERE scale(s.reduction) <> 2 OR scale(s.relief) <> 2 OR scale(s.patient_pays) <> 2) AS not_fen
  FROM (SELECT i * 19.99 AS cost FROM generate_series(0, 5003) AS i
        UNION ALL
        SELECT b + d FROM unnest(ARRAY[6000, 10000, 12000, 20000, 37500, 60000]::numeric[]) AS b,
                          unnest(ARRAY[-0.01, 0, 0.01]) AS d) AS c,
       (VALUES (0::numeric, 0::numeric), (15000, 25000), (19999.99, 29999.99), (20000, 30000)) AS y(reduced, relieved),
       LATERAL bangfu.medical_settlement(cost, '2024-06-01', reduced, relieved) AS s;

-- ---------------------------------------------------------------------------
-- 6. NULL in, NULL out, for every argument of every function.
-- ---------------------------------------------------------------------------
SELECT bangfu.medical_reduction(NULL, '2024-06-01', 0) IS NULL AS r1,
       bangfu.medical_reduction(1, NULL, 0) IS NULL AS r2,
       bangfu.medical_reduction(1, '2024-06-01', NULL) IS NULL AS r3,
       bangfu.medical_reduction(1, '2024-06-01', 0, NULL) IS NULL AS r4,
       bangfu.illness_relief(NULL, '2024-06-01', 0) IS NULL AS i1,
       bangfu.illness_relief(1, NULL, 0) IS NULL AS i2,
       bangfu.illness_relief(1, '2024-06-01', NULL) IS NULL AS i3,
       bangfu.illness_relief(1, '2024-06-01', 0, NULL) IS NULL AS i4,
       bangfu.medical_reduction_explain(NULL, '2024-06-01', 0) IS NULL AS re1,
       bangfu.medical_reduction_explain(1, NULL, 0) IS NULL AS re2,
       bangfu.medical_reduction_explain(1, '2024-06-01', NULL) IS NULL AS re3,
       bangfu.medical_reduction_explain(1, '2024-06-01', 0, NULL) IS NULL AS re4,
       bangfu.illness_relief_explain(NULL, '2024-06-01', 0) IS NULL AS ie1,
       bangfu.illness_relief_explain(1, NULL, 0) IS NULL AS ie2,
       bangfu.illness_relief_explain(1, '2024-06-01', NULL) IS NULL AS ie3,
       bangfu.illness_relief_explain(1, '2024-06-01', 0, NULL) IS NULL AS ie4;
SELECT s IS NULL AS all_null, a
  FROM (VALUES (1), (2), (3), (4), (5)) AS v(a),
       LATERAL (SELECT bangfu.medical_settlement(
                    CASE WHEN a = 1 THEN NULL ELSE 1 END::numeric,
                    CASE WHEN a = 2 THEN NULL ELSE '2024-06-01' END::date,
                    CASE WHEN a = 3 THEN NULL ELSE 0 END::numeric,
                    CASE WHEN a = 4 THEN NULL ELSE 0 END::numeric,
                    CASE WHEN a = 5 THEN NULL ELSE '' END::text) AS s) AS x;

-- ---------------------------------------------------------------------------
-- 7. Bad input never yields a number: class 22, naming the argument and the
-- rule.  Negative, NaN, infinite, sub-fen: 22023; beyond 10^12 yuan: 22003.
-- ---------------------------------------------------------------------------
SELECT q, r.state, r.result, r.message, r.detail
  FROM unnest(ARRAY[
    'bangfu.medical_reduction(-0.01, ''2024-06-01'', 0)',
    'bangfu.medical_reduction(''NaN'', ''2024-06-01'', 0)',
    'bangfu.medical_reduction(''Infinity'', ''2024-06-01'', 0)',
    'bangfu.medical_reduction(''-Infinity'', ''2024-06-01'', 0)',
    'bangfu.medical_reduction(6000.001, ''2024-06-01'', 0)',
    'bangfu.medical_reduction(1000000000000.01, ''2024-06-01'', 0)',
    'bangfu.medical_reduction(1000, ''2024-06-01'', -0.01)',
    'bangfu.medical_reduction(1000, ''2024-06-01'', ''NaN'')',
    'bangfu.medical_reduction(1000, ''2024-06-01'', 0.001)',
    'bangfu.illness_relief(-1, ''2024-06-01'', 0)',
    'bangfu.illness_relief(''Infinity'', ''2024-06-01'', 0)',
    'bangfu.illness_relief(10000000000000, ''2024-06-01'', 0)',
    'bangfu.illness_relief(1000, ''2024-06-01'', -5)',
    'bangfu.illness_relief(1000, ''2024-06-01'', 1000000000000.01)',
    'bangfu.medical_settlement(-1, ''2024-06-01'', 0, 0)',
    'bangfu.medical_settlement(1, ''2024-06-01'', 0, -1)',
    'bangfu.medical_settlement(1, ''2024-06-01'', ''NaN'', 0)',
    'bangfu.medical_settlement(0.005, ''2024-06-01'', 0, 0)',
    'bangfu.medical_reduction_explain(-1, ''2024-06-01'', 0)',
    'bangfu.illness_relief_explain(1, ''2024-06-01'', -1)',
    -- the largest amounts are accepted (nothing of the yearly 20000 is left
    -- after 10^12; 80% of 10^12 is capped at 30000)
    'bangfu.medical_reduction(1000000000000, ''2024-06-01'', 1000000000000)',
    'bangfu.illness_relief(1000000000000, ''2024-06-01'', 0)'
  ]) AS q,
  LATERAL pg_temp.try('SELECT ' || q) AS r;

-- ---------------------------------------------------------------------------
-- 8. What-if scenarios: the overloads with a scenario name compute as the
-- scenario would, beside the policy in force, without changing it.  A
-- scenario overrides some parameters at every date; the rest fall back.
-- ---------------------------------------------------------------------------
BEGIN;
INSERT INTO bangfu.scenario (name, description) VALUES
    ('regress_marginal', '四(1) read marginally'),
    ('regress_generous', '四(2) yearly cap raised to 40000');
INSERT INTO bangfu.scenario_value (scenario, param, tiers) VALUES
    ('regress_marginal', 'medical.charity_bed',
     'marginal: [0,6000] 10%, (6000,12000] 15%, (12000,20000] 20%, (20000,) 25%; cap 15000');
INSERT INTO bangfu.scenario_value (scenario, param, amount) VALUES
    ('regress_generous', 'medical.serious_illness.yearly_cap', 40000);

-- Side by side (hand values as in section 4; the generous cap: flat 40000 →
-- 32000 ≤ 40000; 60000 → 48000 → 40000).
SELECT cost, in_force, marginal, want_in_force, want_marginal,
       in_force::text = want_in_force AND marginal::text = want_marginal AS ok
  FROM (VALUES (6000.01::numeric, '900.00', '600.00'), (12000, '1800.00', '1500.00'),
               (20000, '4000.00', '3100.00'), (30000, '7500.00', '5600.00'),
               (60000, '15000.00', '13100.00')) AS t(cost, want_in_force, want_marginal),
       LATERAL (SELECT bangfu.medical_reduction(cost, '2024-06-01', 0) AS in_force,
                       bangfu.medical_reduction(cost, '2024-06-01', 0, 'regress_marginal') AS marginal) AS x;
SELECT own_share, in_force, generous, want_in_force, want_generous,
       in_force::text = want_in_force AND generous::text = want_generous AS ok
  FROM (VALUES (30000::numeric, '24000.00', '24000.00'), (40000, '30000.00', '32000.00'),
               (60000, '30000.00', '40000.00')) AS t(own_share, want_in_force, want_generous),
       LATERAL (SELECT bangfu.illness_relief(own_share, '2024-06-01', 0) AS in_force,
                       bangfu.illness_relief(own_share, '2024-06-01', 0, 'regress_generous') AS generous) AS x;
-- Settlement under a scenario: 30000 → 5600 off (marginal), relief on 24400
-- at 80% (flat, not overridden) = 19520, patient 30000 - 5600 - 19520 = 4880.
SELECT s.* FROM bangfu.medical_settlement(30000, '2024-06-01', 0, 0, 'regress_marginal') AS s;
SELECT e->>'scenario' AS scenario, e->>'mode' AS mode, e->>'result' AS result
  FROM bangfu.medical_reduction_explain(30000, '2024-06-01', 0, 'regress_marginal') AS e;
-- The empty name is the policy in force.
SELECT bangfu.medical_reduction(6000.01, '2024-06-01', 0, '') AS in_force;  -- 900.00

-- Several scenarios in one query, row by row: each row must use its own
-- scenario.  Hand values: 6000.01 → 600.00 marginal, 900.00 otherwise.
-- (Each row is computed once, through LATERAL, so "got" and "ok" come from
-- the same call.)
SELECT s, want, got, got::text = want AS ok
  FROM (VALUES (1, 'regress_marginal', '600.00'), (2, 'regress_generous', '900.00'),
               (3, 'regress_marginal', '600.00'), (4, '', '900.00'),
               (5, 'regress_generous', '900.00')) AS t(n, s, want),
       LATERAL bangfu.medical_reduction(6000.01, '2024-06-01', 0, s) AS got
 ORDER BY n;
-- Settlements, row by row: regress_generous at 20000: 4000 off (flat), relief
-- on 16000 at 70% = 11200, patient 4800; regress_marginal: 3100 off, relief
-- on 16900 at 70% = 11830, patient 5070.
SELECT s, r.*, r.reduction::text = w_red AND r.relief::text = w_rel AND r.patient_pays::text = w_pay AS ok
  FROM (VALUES (1, 'regress_generous', '4000.00', '11200.00', '4800.00'),
               (2, 'regress_marginal', '3100.00', '11830.00', '5070.00'),
               (3, 'regress_generous', '4000.00', '11200.00', '4800.00')) AS t(n, s, w_red, w_rel, w_pay),
       LATERAL bangfu.medical_settlement(20000, '2024-06-01', 0, 0, s) AS r
 ORDER BY n;

-- An unknown scenario is an error naming it.
SELECT q, r.state, r.message
  FROM unnest(ARRAY[
    'bangfu.medical_reduction(1000, ''2024-06-01'', 0, ''regress_nonesuch'')',
    'bangfu.illness_relief(1000, ''2024-06-01'', 0, ''regress_nonesuch'')',
    'bangfu.medical_settlement(1000, ''2024-06-01'', 0, 0, ''regress_nonesuch'')',
    'bangfu.medical_reduction_explain(1000, ''2024-06-01'', 0, ''regress_nonesuch'')',
    'bangfu.illness_relief_explain(1000, ''2024-06-01'', 0, ''regress_nonesuch'')'
  ]) AS q,
  LATERAL pg_temp.try('SELECT ' || q) AS r;
ROLLBACK;

-- Dropped with the transaction: the scenario is unknown again.
SELECT r.state, r.message
  FROM pg_temp.try($$SELECT bangfu.medical_reduction(1000, '2024-06-01', 0, 'regress_marginal')$$) AS r;

-- ---------------------------------------------------------------------------
-- 9. The dates inside explain's JSON are data for auditors' tools: ISO 8601
-- whatever the session's DateStyle (as to_json(date) writes them), never
-- 06-01-2024 or 01.06.2024, which read differently in MDY and DMY.
-- ---------------------------------------------------------------------------
SET DateStyle = 'Postgres, MDY';
SELECT e->>'on_date' AS on_date, e->>'policy_valid_from' AS policy_valid_from,
       e->>'on_date' = '2024-06-01' AS ok
  FROM bangfu.medical_reduction_explain(1000, '2024-06-01', 0) AS e;
SET DateStyle = 'German, DMY';
SELECT e->>'on_date' AS on_date, e->>'on_date' = '2030-01-02' AS ok,
       to_json(date '2030-01-02') AS as_to_json_writes_it
  FROM bangfu.illness_relief_explain(1000, '2030-01-02', 0) AS e;
RESET DateStyle;

DROP FUNCTION pg_temp.try(text);
