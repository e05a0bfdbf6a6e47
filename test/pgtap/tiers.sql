-- pgTAP: the bangfu.tiers contract (spec section 0) for auditors.
-- Run with pg_prove in a database with CREATE EXTENSION pgtap and bangfu.
BEGIN;
SELECT plan(62);

-- The type and its functions, with exact signatures.
SELECT has_type('bangfu', 'tiers', 'type bangfu.tiers exists');
SELECT has_function('bangfu', 'tiers_in', ARRAY['cstring'], 'tiers_in(cstring)');
SELECT has_function('bangfu', 'tiers_out', ARRAY['bangfu.tiers'], 'tiers_out(tiers)');
SELECT has_function('bangfu', 'tiers_recv', ARRAY['internal'], 'tiers_recv(internal)');
SELECT has_function('bangfu', 'tiers_send', ARRAY['bangfu.tiers'], 'tiers_send(tiers)');
SELECT has_function('bangfu', 'apply', ARRAY['bangfu.tiers', 'numeric'], 'apply(tiers, numeric)');
SELECT has_function('bangfu', 'explain', ARRAY['bangfu.tiers', 'numeric'], 'explain(tiers, numeric)');
SELECT has_function('bangfu', 'mode', ARRAY['bangfu.tiers'], 'mode(tiers)');
SELECT has_function('bangfu', 'cap', ARRAY['bangfu.tiers'], 'cap(tiers)');
SELECT has_function('bangfu', 'with_mode', ARRAY['bangfu.tiers', 'text'], 'with_mode(tiers, text)');
SELECT has_function('bangfu', 'with_cap', ARRAY['bangfu.tiers', 'numeric'], 'with_cap(tiers, numeric)');
SELECT function_returns('bangfu', 'apply', ARRAY['bangfu.tiers', 'numeric'], 'numeric', 'apply returns numeric');
SELECT function_returns('bangfu', 'explain', ARRAY['bangfu.tiers', 'numeric'], 'jsonb', 'explain returns jsonb');
SELECT volatility_is('bangfu', 'apply', ARRAY['bangfu.tiers', 'numeric'], 'immutable', 'apply is IMMUTABLE');
SELECT volatility_is('bangfu', 'explain', ARRAY['bangfu.tiers', 'numeric'], 'immutable', 'explain is IMMUTABLE');
SELECT is_strict('bangfu', 'apply', ARRAY['bangfu.tiers', 'numeric'], 'apply is STRICT (NULL in, NULL out)');
SELECT has_operator('bangfu.tiers', 'bangfu', '=', 'bangfu.tiers', 'boolean', 'tiers = tiers');
SELECT has_operator('bangfu.tiers', 'bangfu', '<>', 'bangfu.tiers', 'boolean', 'tiers <> tiers');

-- Canonical text.
SELECT is(bangfu.tiers_out('  FLAT :[0 , 6000]10 %,(6000,12000]15%,(12000,20000] 20.0%,(20000,)25%;CAP 15000.00'::bangfu.tiers)::text,
          'flat: [0,6000] 10%, (6000,12000] 15%, (12000,20000] 20%, (20000,) 25%; cap 15000',
          '四(1) literal normalises to canonical text');
SELECT ok('[0,) 4/6'::bangfu.tiers OPERATOR(bangfu.=) '[0,) 2/3'::bangfu.tiers, '五 4/6 equals 2/3');

-- 四(1) flat (spec worked examples and one fen either side of 6000).
SELECT is(bangfu.apply('flat: [0,6000] 10%, (6000,12000] 15%, (12000,20000] 20%, (20000,) 25%; cap 15000', amount)::text,
          want, format('四(1) flat %s → %s', amount, want))
  FROM (VALUES (5000::numeric, '500.00'), (5999.99, '600.00'), (6000, '600.00'), (6000.01, '900.00'),
               (12000, '1800.00'), (20000, '4000.00'), (20000.01, '5000.00'), (60000, '15000.00'),
               (100000, '15000.00')) AS t(amount, want);
-- 四(1) marginal (spec).
SELECT is(bangfu.apply('marginal: [0,6000] 10%, (6000,12000] 15%, (12000,20000] 20%, (20000,) 25%; cap 15000', amount)::text,
          want, format('四(1) marginal %s → %s', amount, want))
  FROM (VALUES (12000::numeric, '1500.00'), (20000, '3100.00'), (30000, '5600.00')) AS t(amount, want);
-- 四(2) flat (spec), without the yearly cap.
SELECT is(bangfu.apply('flat: [0,10000] 60%, (10000,20000] 70%, (20000,) 80%', amount)::text,
          want, format('四(2) flat %s → %s', amount, want))
  FROM (VALUES (10000::numeric, '6000.00'), (15000, '10500.00'), (20000, '14000.00'), (30000, '24000.00')) AS t(amount, want);
-- 五: 2/3, exact then rounded (spec).
SELECT is(bangfu.apply('[0,) 2/3', amount)::text, want, format('五 2/3 of %s → %s', amount, want))
  FROM (VALUES (3000::numeric, '2000.00'), (1000, '666.67'), (100.01, '66.67')) AS t(amount, want);
-- 八(3): a bound belongs to the higher tier.
SELECT is(bangfu.apply('[0,300000) 0, [300000,500000) 5000, [500000,1000000) 10000, [1000000,) 20000', amount)::text,
          want, format('八(3) sales %s → %s', amount, want))
  FROM (VALUES (299999.99::numeric, '0.00'), (300000, '5000.00'), (499999.99, '5000.00'),
               (500000, '10000.00'), (999999.99, '10000.00'), (1000000, '20000.00')) AS t(amount, want);
-- Section 0: rounded once, half away from zero.
SELECT is(bangfu.apply('[0,) 10%', 0.05)::text, '0.01', '§0 rounding: 10% of 0.05 = 0.005 → 0.01');
SELECT is(bangfu.apply('[0,) 10%', 0.25)::text, '0.03', '§0 rounding: 10% of 0.25 = 0.025 → 0.03 (not half-even)');
SELECT is(bangfu.apply('[0,) 10%', 0.04)::text, '0.00', '§0 rounding: 10% of 0.04 = 0.004 → 0.00');
-- Section 0: explanations make the notch visible.
SELECT is(bangfu.explain('flat: [0,6000] 10%, (6000,12000] 15%, (12000,20000] 20%, (20000,) 25%; cap 15000', 6000.01) -> 'jump',
          '{"at": 6000.00, "below": 600.00, "above": 900.00, "change": 300.00}'::jsonb,
          '§0 explain(6000.01) shows the jump at 6000: 600.00 → 900.00');

-- Bad literals: 22P02.
SELECT throws_ok(format('SELECT %L::bangfu.tiers', lit), '22P02', NULL, format('bad literal %s is 22P02 (%s)', quote_literal(lit), why))
  FROM (VALUES ('', 'empty'), ('[0,6000] 10%, (7000,) 15%', 'gap'), ('[0,6000] 10%, [6000,) 15%', 'overlap'),
               ('[0,) 101%', 'over 100%'), ('[0,) 1/0', 'division by zero'), ('[NaN,) 10%', 'NaN'),
               ('marginal: [0,100) 5000, [100,) 10%', 'fixed amount in marginal mode')) AS t(lit, why);
-- Bad amounts: class 22.
SELECT throws_ok($$SELECT bangfu.apply('[0,) 10%', -0.01)$$, '22023', NULL, '§0 negative amount is 22023');
SELECT throws_ok($$SELECT bangfu.apply('[0,) 10%', 'NaN')$$, '22023', NULL, '§0 NaN amount is 22023');
SELECT throws_ok($$SELECT bangfu.apply('[0,) 10%', 0.001)$$, '22023', NULL, '§0 sub-fen amount is 22023');
SELECT throws_ok($$SELECT bangfu.apply('[0,) 10%', 1000000000000.01)$$, '22003', NULL, '§0 amount beyond 10^12 yuan is 22003');
SELECT lives_ok($$SELECT bangfu.apply('[0,) 10%', 1000000000000)$$, '§0 amount of 10^12 yuan is accepted');
SELECT throws_ok($$SELECT bangfu.with_mode('[0,300000) 0, [300000,500000) 5000, [500000,1000000) 10000, [1000000,) 20000', 'marginal')$$,
                 '22023', NULL, '八(3) fixed amounts cannot be read marginally');

SELECT * FROM finish();
ROLLBACK;
