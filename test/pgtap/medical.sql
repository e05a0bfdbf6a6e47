-- pgTAP: 四 medical relief, the contract for auditors.
-- Run with pg_prove in a database with CREATE EXTENSION pgtap and bangfu.
BEGIN;
SELECT plan(60);

-- The contract functions, with exact signatures, return types, volatility
-- (STABLE: they read the dated policy store) and strictness.
SELECT has_function('bangfu', f, args, format('%s(%s)', f, array_to_string(args, ', ')))
  FROM (VALUES ('medical_reduction', ARRAY['numeric', 'date', 'numeric']),
               ('medical_reduction', ARRAY['numeric', 'date', 'numeric', 'text']),
               ('illness_relief', ARRAY['numeric', 'date', 'numeric']),
               ('illness_relief', ARRAY['numeric', 'date', 'numeric', 'text']),
               ('medical_settlement', ARRAY['numeric', 'date', 'numeric', 'numeric']),
               ('medical_settlement', ARRAY['numeric', 'date', 'numeric', 'numeric', 'text']),
               ('medical_reduction_explain', ARRAY['numeric', 'date', 'numeric']),
               ('medical_reduction_explain', ARRAY['numeric', 'date', 'numeric', 'text']),
               ('illness_relief_explain', ARRAY['numeric', 'date', 'numeric']),
               ('illness_relief_explain', ARRAY['numeric', 'date', 'numeric', 'text'])) AS t(f, args);
SELECT function_returns('bangfu', 'medical_reduction', ARRAY['numeric', 'date', 'numeric'], 'numeric', '四(1) medical_reduction returns numeric');
SELECT function_returns('bangfu', 'illness_relief', ARRAY['numeric', 'date', 'numeric'], 'numeric', '四(2) illness_relief returns numeric');
SELECT function_returns('bangfu', 'medical_settlement', ARRAY['numeric', 'date', 'numeric', 'numeric'], 'record', '四 medical_settlement returns a record');
SELECT function_returns('bangfu', 'medical_reduction_explain', ARRAY['numeric', 'date', 'numeric'], 'jsonb', '四(1) explain returns jsonb');
SELECT function_returns('bangfu', 'illness_relief_explain', ARRAY['numeric', 'date', 'numeric'], 'jsonb', '四(2) explain returns jsonb');
SELECT volatility_is('bangfu', f, args, 'stable', format('%s(%s) is STABLE', f, array_to_string(args, ', ')))
  FROM (VALUES ('medical_reduction', ARRAY['numeric', 'date', 'numeric']),
               ('illness_relief', ARRAY['numeric', 'date', 'numeric']),
               ('medical_settlement', ARRAY['numeric', 'date', 'numeric', 'numeric']),
               ('medical_reduction_explain', ARRAY['numeric', 'date', 'numeric']),
               ('illness_relief_explain', ARRAY['numeric', 'date', 'numeric'])) AS t(f, args);
SELECT is_strict('bangfu', 'medical_reduction', ARRAY['numeric', 'date', 'numeric'], '四(1) medical_reduction is STRICT');
SELECT is_strict('bangfu', 'medical_settlement', ARRAY['numeric', 'date', 'numeric', 'numeric'], '四 medical_settlement is STRICT');

-- 四(1) worked examples, shipped flat schedule (spec section 4).
SELECT is(bangfu.medical_reduction(cost, '2024-06-01', 0)::text, want, format('四(1) %s → %s', cost, want))
  FROM (VALUES (5000::numeric, '500.00'), (6000, '600.00'), (6000.01, '900.00'), (12000, '1800.00'),
               (20000, '4000.00'), (20000.01, '5000.00'), (60000, '15000.00'), (100000, '15000.00')) AS t(cost, want);
SELECT is(bangfu.medical_reduction(60000, '2024-09-01', bangfu.medical_reduction(60000, '2024-03-01', 0))::text,
          '5000.00', '四(1) two stays of 60000 in one year: the second gets 5000.00');
SELECT is(bangfu.medical_reduction(60000, '2024-06-01', 19999.99)::text, '0.01', '四(1) yearly cap: 19999.99 used leaves 0.01');
SELECT is(bangfu.medical_reduction_explain(100000, '2024-06-01', 0) ->> 'capped_by', 'per-stay cap', '四(1) 100000: the per-stay cap bites');
SELECT is(bangfu.medical_reduction_explain(60000, '2024-06-01', 15000) ->> 'capped_by', 'yearly cap', '四(1) second stay: the yearly cap bites');

-- 四(2) worked examples.
SELECT is(bangfu.illness_relief(own_share, '2024-06-01', 0)::text, want, format('四(2) %s → %s', own_share, want))
  FROM (VALUES (10000::numeric, '6000.00'), (10000.01, '7000.01'), (15000, '10500.00'), (20000, '14000.00'),
               (30000, '24000.00'), (40000, '30000.00')) AS t(own_share, want);
SELECT is(bangfu.illness_relief(40000, '2024-06-01', 1000)::text, '29000.00', '四(2) 40000 after 1000 relieved → 29000.00');

-- 四: reduction first, relief on what is still owed (30000: 7500 off, 80% of 22500).
SELECT results_eq(
    $$SELECT reduction, relief, patient_pays FROM bangfu.medical_settlement(30000, '2024-06-01', 0, 0)$$,
    $$VALUES (7500.00::numeric, 18000.00::numeric, 4500.00::numeric)$$,
    '四 settlement of 30000: 7500.00 + 18000.00 + 4500.00');

-- Bad input never yields a number (spec section 0).
SELECT throws_ok(format('SELECT bangfu.medical_reduction(%s, %L, %s)', cost, '2024-06-01', used), code, NULL,
                 format('四(1) cost %s, reduced_this_year %s → %s', cost, used, code))
  FROM (VALUES ('-0.01', '0', '22023'), ('''NaN''', '0', '22023'), ('''Infinity''', '0', '22023'),
               ('6000.001', '0', '22023'), ('1000000000000.01', '0', '22003'), ('1000', '-1', '22023')) AS t(cost, used, code);
SELECT throws_ok($$SELECT bangfu.illness_relief(-1, '2024-06-01', 0)$$, '22023', NULL, '四(2) negative own share → 22023');
SELECT throws_ok($$SELECT bangfu.medical_settlement(1000, '2024-06-01', 0, 0, 'regress_nonesuch')$$, '22023',
                 'unknown scenario "regress_nonesuch" (argument scenario of bangfu.medical_settlement)', '四 unknown scenario → 22023');
SELECT is(bangfu.medical_reduction(NULL, '2024-06-01', 0), NULL, '四(1) NULL cost → NULL');

-- A county switches 四(1) and 四(2) to 分段计算 from 2090-01-01: one INSERT.
SELECT lives_ok($$
    INSERT INTO bangfu.policy (param, valid_from, tiers) VALUES
        ('medical.charity_bed', '2090-01-01', 'marginal: [0,6000] 10%, (6000,12000] 15%, (12000,20000] 20%, (20000,) 25%; cap 15000'),
        ('medical.serious_illness', '2090-01-01', 'marginal: [0,10000] 60%, (10000,20000] 70%, (20000,) 80%')
$$, '十二 a new policy version is one INSERT');
SELECT results_eq(
    $$SELECT d, c, bangfu.medical_reduction(c, d, 0)
        FROM unnest(ARRAY['2089-12-31', '2090-01-01']::date[]) AS d,
             unnest(ARRAY[6000.01, 12000, 20000, 30000]::numeric[]) AS c
       ORDER BY d, c$$,
    $$VALUES ('2089-12-31'::date, 6000.01::numeric, 900.00::numeric), ('2089-12-31', 12000, 1800.00),
             ('2089-12-31', 20000, 4000.00), ('2089-12-31', 30000, 7500.00),
             ('2090-01-01', 6000.01, 600.00), ('2090-01-01', 12000, 1500.00),
             ('2090-01-01', 20000, 3100.00), ('2090-01-01', 30000, 5600.00)$$,
    '四(1) marginal takes effect from 2090-01-01 only (12000 → 1500.00, 20000 → 3100.00, 30000 → 5600.00)');
SELECT results_eq(
    $$SELECT d, bangfu.illness_relief(30000, d, 0) FROM unnest(ARRAY['2089-12-31', '2090-01-01']::date[]) AS d ORDER BY d$$,
    $$VALUES ('2089-12-31'::date, 24000.00::numeric), ('2090-01-01', 21000.00)$$,
    '四(2) marginal from 2090-01-01: 30000 → 6000 + 7000 + 8000 = 21000.00');
SELECT is(bangfu.medical_reduction_explain(30000, '2090-06-01', 0) ->> 'policy_valid_from', '2090-01-01',
          '四(1) explain names the 2090 version it used');
SELECT is(bangfu.medical_reduction_explain(30000, '2089-12-31', 0) ->> 'policy_valid_from', '-infinity',
          '四(1) explain names the shipped version before 2090');
-- One explanation shape (issue 11, doc/explain.md): 四 lists both versions it
-- used in "policy", like every other rule, and names the scenario it ran under.
SELECT is(bangfu.medical_reduction_explain(30000, '2090-06-01', 0) -> 'policy',
          jsonb_build_object(
              'medical.charity_bed', jsonb_build_object('valid_from', '2090-01-01', 'value',
                  (SELECT p.tiers::text FROM bangfu.policy p
                    WHERE p.param = 'medical.charity_bed' AND p.valid_from = '2090-01-01')),
              'medical.charity_bed.yearly_cap', jsonb_build_object('valid_from', '-infinity', 'value', 20000.00)),
          '四(1) explain: policy holds the 2090 schedule and the shipped yearly cap');
SELECT ok(NOT bangfu.illness_relief_explain(30000, '2090-06-01', 0) ? 'yearly_cap_valid_from',
          '四(2) explain: the yearly cap''s version is in policy, no yearly_cap_valid_from');
INSERT INTO bangfu.scenario (name, description) VALUES ('pgtap_medical', 'a lower yearly cap');
INSERT INTO bangfu.scenario_value (scenario, param, amount) VALUES ('pgtap_medical', 'medical.serious_illness.yearly_cap', 10000);
SELECT is(bangfu.illness_relief_explain(30000, '2089-06-01', 0, 'pgtap_medical') ->> 'scenario', 'pgtap_medical',
          '四(2) explain names the scenario it ran under (it was always null before 0.3.0)');
SELECT is(bangfu.illness_relief_explain(30000, '2089-06-01', 0, 'pgtap_medical') -> 'policy' -> 'medical.serious_illness.yearly_cap' ->> 'value',
          '10000.00', '四(2) explain under a scenario lists the scenario''s yearly cap');

SELECT * FROM finish();
ROLLBACK;
