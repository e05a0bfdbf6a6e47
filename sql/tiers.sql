-- bangfu.tiers: the bracketed rate schedule type (spec section 0), applied to
-- the schedules of 四(1), 四(2), 五 and 八(3).
--
-- Every expected value below is either a worked example of the spec or a hand
-- calculation shown in the comment next to it.  Rows carry their expected
-- value and an "ok" column, so a wrong result shows as "f" even if someone
-- regenerates this file's expected output without reading it.
SET client_min_messages = warning;  -- the extension may exist already
CREATE EXTENSION IF NOT EXISTS bangfu;
RESET client_min_messages;

-- Run a query, report its result, or its SQLSTATE, message and detail
-- instead of failing.
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

-- Parse a literal; report the SQLSTATE and errdetail of a refusal.
CREATE FUNCTION pg_temp.try_tiers(lit text, OUT state text, OUT detail text)
LANGUAGE sql AS $$
    SELECT t.state, t.detail FROM pg_temp.try(format('SELECT %L::bangfu.tiers', lit)) t
$$;

-- ---------------------------------------------------------------------------
-- 1. Canonical text.  Whitespace, case, trailing zeros, equivalent rates and
-- the spelling of open bounds all normalise; the canonical text parses back
-- to itself.
-- ---------------------------------------------------------------------------
SELECT lit, lit::bangfu.tiers::text AS canonical,
       lit::bangfu.tiers::text = want AS ok,
       want::bangfu.tiers::text = want AS fixpoint
  FROM unnest(
    ARRAY[
      -- 四(1) as shipped
      'flat: [0,6000] 10%, (6000,12000] 15%, (12000,20000] 20%, (20000,) 25%; cap 15000',
      -- the same with odd spacing, tabs, a newline, upper case, 20.0%, 25.000%, 15000.00
      E'  FLAT :[0 , 6000]10 %,(6000,12000]  15%,\t(12000,20000] 20.0%,\n (20000,)25.000%;CAP 15000.00  ',
      -- no mode word means flat
      '[0,6000] 10%, (6000,12000] 15%, (12000,20000] 20%, (20000,) 25%; cap 15000',
      -- 四(1) read marginally (分段计算), mixed case
      'MarGinal: [0,6000] 10%, (6000,12000] 15%, (12000,20000] 20%, (20000,) 25%',
      -- 四(2) as shipped
      'flat: [0,10000] 60%, (10000,20000] 70%, (20000,) 80%',
      -- 五: 2/3 stays a fraction; 4/6 reduces to it
      '[0,) 2/3', '[0,) 4/6', '[0,) 2 / 3',
      -- 12.5% = 1/8 prints as a percentage because it is exact with one decimal
      '[0,) 12.5%', '[0,) 1/8', '[0,) 1/2', '[0,) 66.666667%', '[0,) 0.000001%',
      '[0,) 0/7', '[0,) 7/7', '[0,) 100.0000000%',
      -- 八(3): fixed amounts, every lower bound belongs to the higher tier
      '[0,300000) 0, [300000,500000) 5000, [500000,1000000) 10000, [1000000,) 20000',
      '[0,300000.00) 0.00, [300000,500000) 5000.0, [500000,1000000) 10000, [1000000,) 20000',
      -- an open bound is always written "(," or ",)"
      '[,6000] 10%, (6000,] 15%',
      -- bounds and amounts print with the fewest decimals that are exact
      '[0.50,1.10) 10%, [1.1,2.05] 2.50, (2.05,) 0.1',
      -- a one-point bracket, the largest bound and cap, a zero cap
      '[5,5] 10%', '[0,1000000000000] 100%; cap 1000000000000', '[0,) 10%; cap 0'
    ],
    ARRAY[
      'flat: [0,6000] 10%, (6000,12000] 15%, (12000,20000] 20%, (20000,) 25%; cap 15000',
      'flat: [0,6000] 10%, (6000,12000] 15%, (12000,20000] 20%, (20000,) 25%; cap 15000',
      'flat: [0,6000] 10%, (6000,12000] 15%, (12000,20000] 20%, (20000,) 25%; cap 15000',
      'marginal: [0,6000] 10%, (6000,12000] 15%, (12000,20000] 20%, (20000,) 25%',
      'flat: [0,10000] 60%, (10000,20000] 70%, (20000,) 80%',
      'flat: [0,) 2/3', 'flat: [0,) 2/3', 'flat: [0,) 2/3',
      'flat: [0,) 12.5%', 'flat: [0,) 12.5%', 'flat: [0,) 50%', 'flat: [0,) 66.666667%', 'flat: [0,) 0.000001%',
      'flat: [0,) 0%', 'flat: [0,) 100%', 'flat: [0,) 100%',
      'flat: [0,300000) 0, [300000,500000) 5000, [500000,1000000) 10000, [1000000,) 20000',
      'flat: [0,300000) 0, [300000,500000) 5000, [500000,1000000) 10000, [1000000,) 20000',
      'flat: (,6000] 10%, (6000,) 15%',
      'flat: [0.5,1.1) 10%, [1.1,2.05] 2.5, (2.05,) 0.1',
      'flat: [5,5] 10%', 'flat: [0,1000000000000] 100%; cap 1000000000000', 'flat: [0,) 10%; cap 0'
    ]) AS t(lit, want);

-- ---------------------------------------------------------------------------
-- 2. Equality and inequality: the same schedule however it is spelt; any
-- difference in a bound, its inclusivity, a rate, the mode or the cap.
-- ---------------------------------------------------------------------------
SELECT a, b, want,
       a::bangfu.tiers OPERATOR(bangfu.=) b::bangfu.tiers AS eq,
       a::bangfu.tiers OPERATOR(bangfu.<>) b::bangfu.tiers AS ne,
       (a::bangfu.tiers OPERATOR(bangfu.=) b::bangfu.tiers) = want
         AND (a::bangfu.tiers OPERATOR(bangfu.<>) b::bangfu.tiers) = NOT want AS ok
  FROM (VALUES
    ('[0,) 2/3',                  'flat: [0,) 4/6',                 true),
    ('[0,) 50%',                  '[0,) 1/2',                       true),
    ('[0,6000] 10%; cap 15000',   'FLAT: [0,6000.00] 10.0%; CAP 15000', true),
    ('[,6000] 10%',               '(,6000] 10%',                    true),
    ('[0,) 2/3',                  '[0,) 66.666667%',                false),
    ('[0,6000] 10%, (6000,) 15%', '[0,6000) 10%, [6000,) 15%',      false),
    ('[0,6000] 10%, (6000,) 15%', '[0,6000.01] 10%, (6000.01,) 15%', false),
    ('[0,6000] 10%, (6000,) 15%', 'marginal: [0,6000] 10%, (6000,) 15%', false),
    ('[0,) 10%',                  '[0,) 10%; cap 15000',            false),
    ('[0,) 10%; cap 15000',       '[0,) 10%; cap 15000.01',         false),
    ('[0,) 0',                    '[0,) 0%',                        false)
  ) AS t(a, b, want);

-- With bangfu on the search_path the operators read as usual.
SET search_path = bangfu, public;
SELECT '[0,) 2/3'::tiers = '[0,) 4/6'::tiers AS eq, '[0,) 2/3'::tiers <> '[0,) 4/6'::tiers AS ne;
RESET search_path;

-- ---------------------------------------------------------------------------
-- 3. Bad literals: each is refused with 22P02 and a detail that says what is
-- wrong and where.
-- ---------------------------------------------------------------------------
SELECT n, lit, r.state, r.detail
  FROM unnest(ARRAY[
    -- empty, blank
    '', E'  \t\n ',
    -- truncated
    'flat', 'flat:', 'flat: [0,6000', 'flat: [0,6000] 10%,', '[0,6000] 10%, (6000,', '[0,)',
    -- trailing junk
    '[0,6000] 10% x', '[0,) 10%; cap 5 6', '[0,) 10%; cap 1;', '[0,) 10% cap 5',
    -- unsorted, gap, overlap, shared bound in both brackets
    '[6000,12000] 15%, [0,6000) 10%', '[0,6000] 10%, (7000,) 15%', '[0,6000) 10%, (6000,) 15%',
    '[0,6000] 10%, [5000,) 15%', '[0,6000] 10%, [6000,) 15%',
    -- empty brackets: one bound, one side excluded; reversed bounds; no
    -- whole fen strictly between the bounds
    '[5,5) 10%', '(5,5] 10%', '[6,5] 10%', '[0,6000] 10%, (6000,6000.01) 12%, [6000.01,) 15%',
    -- negative bound, negative rate, negative cap
    '[-1,) 10%', '[0,) -10%', '[0,) 10%; cap -1',
    -- NaN, Infinity
    '[NaN,) 10%', '[0,) NaN%', '[0,Infinity) 10%', '[0,inf) 10%', '[0,) 10%; cap -Infinity',
    -- rates over 100%, division by zero
    '[0,) 101%', '[0,) 100.000001%', '[0,) 101/100', '[0,) 1/0',
    -- bad mode, missing colon
    'steep: [0,) 10%', 'flat [0,) 10%',
    -- fixed amount in marginal mode, marginal with an open lower bound
    'marginal: [0,100) 5000, [100,) 10%', 'marginal: (,100] 10%, (100,) 20%',
    -- a bracket after one with an open upper bound; two open lower bounds
    '[0,) 10%, [100,) 20%', '(,5] 10%, (,6] 10%',
    -- bound overflow: 10^13 yuan, one fen past 10^12 yuan
    '[0,10000000000000) 10%', '[0,1000000000000.01) 10%', '[0,) 10%; cap 1000000000000.01',
    -- too many decimals: bound, fixed amount, percentage
    '[0,6000.001] 10%', '[0,) 5000.001', '[0,) 12.1234567%',
    -- fractions of decimals, a denominator too large, a common denominator too large
    '[0,) 1.5/3', '[0,) 1/2.5', '[0,) 1/10000000000',
    '[0,1] 1/999999999, (1,2] 1/999999998, (2,) 1/999999997',
    -- missing rate, unknown option, missing cap amount
    '[0,6000] , (6000,) 15%', '[0,) 10%; floor 5', '[0,) 10%;', '[0,) 10%; cap',
    -- wrong punctuation, words for numbers
    '{0,) 10%', '[0;5] 10%', '[0,5} 10%', '[0 5] 10%', '[0,) ten percent'
  ]) WITH ORDINALITY AS t(lit, n), LATERAL pg_temp.try_tiers(lit) AS r
 ORDER BY n;

-- 65 brackets, one more than a schedule may have (BF_TIERS_MAX_BRACKETS = 64);
-- 64 are accepted.
SELECT nb, r.state, r.detail
  FROM (SELECT nb, string_agg(format('[%s,%s) 1%%', i, i + 1), ', ' ORDER BY i)
                   || format(', [%s,) 1%%', nb - 1) AS lit
          FROM (VALUES (64), (65)) AS v(nb), generate_series(0, nb - 2) AS i
         GROUP BY nb) AS s, LATERAL pg_temp.try_tiers(lit) AS r
 ORDER BY nb;

-- ---------------------------------------------------------------------------
-- 4. apply() at every bound of the spec's schedules and one fen either side.
-- Flat: the whole amount takes its bracket's rate; marginal: each slice its
-- own.  Exact value first, then one rounding half away from zero, then the cap.
-- ---------------------------------------------------------------------------
CREATE TEMP TABLE sched (name text PRIMARY KEY, t bangfu.tiers);
INSERT INTO sched VALUES
    ('四(1) flat',     'flat: [0,6000] 10%, (6000,12000] 15%, (12000,20000] 20%, (20000,) 25%; cap 15000'),
    ('四(1) marginal', 'marginal: [0,6000] 10%, (6000,12000] 15%, (12000,20000] 20%, (20000,) 25%; cap 15000'),
    ('四(2) flat',     'flat: [0,10000] 60%, (10000,20000] 70%, (20000,) 80%'),
    ('四(2) marginal', 'marginal: [0,10000] 60%, (10000,20000] 70%, (20000,) 80%'),
    ('五 2/3',         '[0,) 2/3'),
    ('八(3) fixed',    '[0,300000) 0, [300000,500000) 5000, [500000,1000000) 10000, [1000000,) 20000');

SELECT s.name, v.amount, v.want, bangfu.apply(s.t, v.amount) AS got,
       bangfu.apply(s.t, v.amount)::text = v.want AS ok
  FROM (VALUES
    -- 四(1) flat (spec: 5000→500.00, 6000→600.00, 6000.01→900.00, 12000→1800.00,
    -- 20000→4000.00, 20000.01→5000.00, 60000→15000.00, 100000→15000.00)
    ('四(1) flat', 0::numeric,     '0.00'),     -- 0 × 10%
    ('四(1) flat', 0.01,           '0.00'),     -- 0.001 → 0.00
    ('四(1) flat', 5000,           '500.00'),
    ('四(1) flat', 5999.99,        '600.00'),   -- 599.999 → 600.00
    ('四(1) flat', 6000,           '600.00'),
    ('四(1) flat', 6000.01,        '900.00'),   -- 900.0015 → 900.00 (the notch)
    ('四(1) flat', 11999.99,       '1800.00'),  -- 1799.9985 → 1800.00
    ('四(1) flat', 12000,          '1800.00'),
    ('四(1) flat', 12000.01,       '2400.00'),  -- 2400.002 → 2400.00
    ('四(1) flat', 19999.99,       '4000.00'),  -- 3999.998 → 4000.00
    ('四(1) flat', 20000,          '4000.00'),
    ('四(1) flat', 20000.01,       '5000.00'),  -- 5000.0025 → 5000.00
    ('四(1) flat', 59999.99,       '15000.00'), -- 14999.9975 → 15000.00, not capped
    ('四(1) flat', 60000,          '15000.00'),
    ('四(1) flat', 60000.01,       '15000.00'), -- 15000.0025 → 15000.00, not capped
    ('四(1) flat', 60000.02,       '15000.00'), -- 15000.005 → 15000.01, capped to 15000
    ('四(1) flat', 100000,         '15000.00'), -- 25000 → cap
    -- 四(1) marginal (spec: 12000→1500.00, 20000→3100.00, 30000→5600.00)
    ('四(1) marginal', 0,          '0.00'),
    ('四(1) marginal', 0.01,       '0.00'),     -- 0.001
    ('四(1) marginal', 5999.99,    '600.00'),   -- 599.999
    ('四(1) marginal', 6000,       '600.00'),   -- 6000 × 10%
    ('四(1) marginal', 6000.01,    '600.00'),   -- 600 + 0.01 × 15% = 600.0015
    ('四(1) marginal', 11999.99,   '1500.00'),  -- 600 + 5999.99 × 15% = 1499.9985
    ('四(1) marginal', 12000,      '1500.00'),  -- 600 + 900
    ('四(1) marginal', 12000.01,   '1500.00'),  -- 1500 + 0.002
    ('四(1) marginal', 19999.99,   '3100.00'),  -- 1500 + 7999.99 × 20% = 3099.998
    ('四(1) marginal', 20000,      '3100.00'),  -- 1500 + 1600
    ('四(1) marginal', 20000.01,   '3100.00'),  -- 3100 + 0.0025
    ('四(1) marginal', 30000,      '5600.00'),  -- 3100 + 10000 × 25%
    ('四(1) marginal', 67600,      '15000.00'), -- 3100 + 47600 × 25% = 15000 exactly
    ('四(1) marginal', 67600.02,   '15000.00'), -- 15000.005 → 15000.01, capped
    -- 四(2) flat (spec: 10000→6000.00, 15000→10500.00, 20000→14000.00,
    -- 30000→24000.00; the 30000 yearly cap is not part of this schedule)
    ('四(2) flat', 0,              '0.00'),
    ('四(2) flat', 0.01,           '0.01'),     -- 0.006 → 0.01
    ('四(2) flat', 9999.99,        '5999.99'),  -- 5999.994
    ('四(2) flat', 10000,          '6000.00'),
    ('四(2) flat', 10000.01,       '7000.01'),  -- 7000.007
    ('四(2) flat', 15000,          '10500.00'),
    ('四(2) flat', 19999.99,       '13999.99'), -- 13999.993
    ('四(2) flat', 20000,          '14000.00'),
    ('四(2) flat', 20000.01,       '16000.01'), -- 16000.008
    ('四(2) flat', 30000,          '24000.00'),
    ('四(2) flat', 40000,          '32000.00'), -- no cap in the schedule itself
    -- 四(2) marginal (hand: 60% of the first 10000, 70% of the next, 80% above)
    ('四(2) marginal', 0,          '0.00'),
    ('四(2) marginal', 0.01,       '0.01'),     -- 0.006
    ('四(2) marginal', 9999.99,    '5999.99'),  -- 5999.994
    ('四(2) marginal', 10000,      '6000.00'),
    ('四(2) marginal', 10000.01,   '6000.01'),  -- 6000 + 0.007
    ('四(2) marginal', 19999.99,   '12999.99'), -- 6000 + 9999.99 × 70% = 12999.993
    ('四(2) marginal', 20000,      '13000.00'), -- 6000 + 7000
    ('四(2) marginal', 20000.01,   '13000.01'), -- 13000 + 0.008
    ('四(2) marginal', 30000,      '21000.00'), -- 13000 + 8000
    -- 五 (spec: 3000→2000.00, 1000→666.67, 100.01→66.67)
    ('五 2/3', 3000,               '2000.00'),
    ('五 2/3', 1000,               '666.67'),   -- 666.666…
    ('五 2/3', 100.01,             '66.67'),    -- 66.673…
    ('五 2/3', 0.01,               '0.01'),     -- 0.00666…
    ('五 2/3', 0.02,               '0.01'),     -- 0.01333…
    ('五 2/3', 0.03,               '0.02'),
    -- 八(3): a bound belongs to the higher tier
    ('八(3) fixed', 0,             '0.00'),
    ('八(3) fixed', 299999.99,     '0.00'),
    ('八(3) fixed', 300000,        '5000.00'),
    ('八(3) fixed', 300000.01,     '5000.00'),
    ('八(3) fixed', 499999.99,     '5000.00'),
    ('八(3) fixed', 500000,        '10000.00'),
    ('八(3) fixed', 500000.01,     '10000.00'),
    ('八(3) fixed', 999999.99,     '10000.00'),
    ('八(3) fixed', 1000000,       '20000.00'),
    ('八(3) fixed', 1000000.01,    '20000.00'),
    ('八(3) fixed', 1000000000000, '20000.00')
  ) AS v(name, amount, want)
  JOIN sched s USING (name)
 ORDER BY s.name COLLATE "C", v.amount;   -- the same order under every collation

-- Rounding is half away from zero, once (spec section 0): 10% of 0.05 is
-- 0.005 → 0.01 (half-even would give 0.00); 10% of 0.25 is 0.025 → 0.03
-- (half-even 0.02); 10% of 0.04 is 0.004 → 0.00; 10% of 0.15 is 0.015 → 0.02.
-- 12.5% of 0.04 is 0.005 → 0.01; 12.5% of 0.12 is 0.015 → 0.02.
SELECT sch, amount, want, bangfu.apply(sch::bangfu.tiers, amount) AS got,
       bangfu.apply(sch::bangfu.tiers, amount)::text = want AS ok
  FROM (VALUES ('[0,) 10%', 0.05, '0.01'), ('[0,) 10%', 0.25, '0.03'),
               ('[0,) 10%', 0.04, '0.00'), ('[0,) 10%', 0.15, '0.02'),
               ('[0,) 10%', 0.14, '0.01'), ('[0,) 10%', 0.06, '0.01'),
               ('[0,) 12.5%', 0.04, '0.01'), ('[0,) 12.5%', 0.12, '0.02'),
               ('[0,) 12.5%', 0.03, '0.00')) AS t(sch, amount, want);

-- The cap applies after rounding: 25% with cap 10 at 40.01 is 10.0025 → 10.00,
-- not capped; at 40.02 it is 10.005 → 10.01, capped to 10.00.
SELECT amount, bangfu.apply('[0,) 25%; cap 10', amount) AS got,
       (bangfu.explain('[0,) 25%; cap 10', amount))->>'rounded' AS rounded,
       (bangfu.explain('[0,) 25%; cap 10', amount))->'cap_applied' AS cap_applied
  FROM unnest(ARRAY[40, 40.01, 40.02]::numeric[]) AS amount;

-- The largest amount is accepted; the result keeps all its digits.
SELECT bangfu.apply('[0,) 100%', 1000000000000) AS all_of_it,
       bangfu.apply('[0,) 10%', 1000000000000) AS tenth,
       bangfu.apply('[0,) 2/3', 999999999999.99) AS two_thirds;  -- 666666666666.66 exactly

-- ---------------------------------------------------------------------------
-- 5. Bad amounts: never a number.  Negative, NaN, infinite and sub-fen
-- amounts are 22023; beyond 10^12 yuan is 22003.  An amount outside every
-- bracket is 22023.  Zero decimals beyond the fen are fine.
-- ---------------------------------------------------------------------------
SELECT sch, amount, r.*
  FROM (VALUES ('[0,) 10%', '-0.01'), ('[0,) 10%', '''NaN'''), ('[0,) 10%', '''Infinity'''),
               ('[0,) 10%', '''-Infinity'''), ('[0,) 10%', '1000000000000.01'),
               ('[0,) 10%', '10000000000000000000000000000'), ('[0,) 10%', '0.001'),
               ('[0,) 10%', '0.000000000000000000001'), ('[0,) 10%', '-0.001'),
               ('(0,) 10%', '0'), ('[100,200] 10%', '200.01'),
               ('[0,) 10%', '1000000000000'), ('[0,) 10%', '5.1000000'), ('[0,) 10%', '-0.00')
       ) AS t(sch, amount),
       LATERAL pg_temp.try(format('SELECT bangfu.apply(%L, %s::numeric)', sch, amount)) AS r;
-- NULL in, NULL out.
SELECT bangfu.apply('[0,) 10%', NULL) IS NULL AS null_amount,
       bangfu.apply(NULL, 1) IS NULL AS null_schedule;

-- ---------------------------------------------------------------------------
-- 6. explain(): how a value came about.  6000.01 under 四(1) flat sits just
-- above the notch at 6000: 600.00 below, 900.00 above.
-- ---------------------------------------------------------------------------
SELECT jsonb_pretty(bangfu.explain(t, 6000.01)) FROM sched WHERE name = '四(1) flat';
-- 6000 itself is in the first bracket; the nearest bound is the same notch.
SELECT e->>'bracket' AS bracket, e->>'rate' AS rate, e->>'exact' AS exact,
       e->'jump' AS jump
  FROM sched, bangfu.explain(t, 6000) AS e WHERE name = '四(1) flat';
-- Marginal: 12345.67 = 6000 × 10% + 6000 × 15% + 345.67 × 20%
--           = 600 + 900 + 69.134 = 1569.134 → 1569.13; no jump in marginal mode.
SELECT jsonb_pretty(bangfu.explain(t, 12345.67)) FROM sched WHERE name = '四(1) marginal';
-- Marginal at the cap: 67600.02 → 15000.005 → 15000.01 → capped to 15000.
SELECT e->>'exact' AS exact, e->>'rounded' AS rounded, e->'cap_applied' AS cap_applied,
       e->>'value' AS value
  FROM sched, bangfu.explain(t, 67600.02) AS e WHERE name = '四(1) marginal';
-- A fraction that does not terminate is shown as a fraction: 2/3 of 1000 = 2000/3.
SELECT jsonb_pretty(bangfu.explain('[0,) 2/3', 1000));
-- 八(3) at 300000: a fixed amount, the jump from 0 to 5000 at the bound.
SELECT jsonb_pretty(bangfu.explain(t, 300000)) FROM sched WHERE name = '八(3) fixed';

-- ---------------------------------------------------------------------------
-- 7. mode(), cap(), with_mode(), with_cap().
-- ---------------------------------------------------------------------------
SELECT bangfu.mode(t) AS mode, bangfu.cap(t) AS cap, name FROM sched ORDER BY name COLLATE "C";
-- Switching the shipped 四(1) to marginal gives exactly the marginal schedule
-- above, and back again the flat one.
SELECT bangfu.with_mode(f.t, 'marginal') OPERATOR(bangfu.=) m.t AS to_marginal,
       bangfu.with_mode(m.t, 'flat') OPERATOR(bangfu.=) f.t AS to_flat,
       bangfu.with_mode(f.t, 'flat') OPERATOR(bangfu.=) f.t AS unchanged
  FROM sched f, sched m WHERE f.name = '四(1) flat' AND m.name = '四(1) marginal';
SELECT bangfu.with_cap('[0,) 10%', 7.25) AS new_cap,
       bangfu.with_cap('[0,) 10%; cap 3', NULL) AS no_cap,
       bangfu.with_cap('[0,) 10%; cap 3', 0) AS zero_cap,
       bangfu.cap(bangfu.with_cap('[0,) 10%', 7.25)) AS cap_back,
       bangfu.with_cap(NULL, 3) IS NULL AS null_schedule;
-- Refusals: a fixed amount cannot be read marginally (八(3)), nor an open lower
-- bound; unknown mode; bad caps.
SELECT q, r.*
  FROM unnest(ARRAY[
    $q$SELECT bangfu.with_mode('[0,300000) 0, [300000,500000) 5000, [500000,1000000) 10000, [1000000,) 20000', 'marginal')$q$,
    $q$SELECT bangfu.with_mode('(,100] 5%, (100,) 10%', 'marginal')$q$,
    $q$SELECT bangfu.with_mode('[0,) 10%', 'steep')$q$,
    $q$SELECT bangfu.with_cap('[0,) 10%', -1)$q$,
    $q$SELECT bangfu.with_cap('[0,) 10%', 0.001)$q$,
    $q$SELECT bangfu.with_cap('[0,) 10%', 'NaN')$q$,
    $q$SELECT bangfu.with_cap('[0,) 10%', 1000000000000.01)$q$
  ]) AS q, LATERAL pg_temp.try(q) AS r;

-- ---------------------------------------------------------------------------
-- 8. Binary send/receive.  tiers_recv takes an internal argument, so it is
-- driven by COPY ... (FORMAT binary): out to a server file with tiers_send,
-- back in with tiers_recv.  The file name carries the backend's pid.
-- ---------------------------------------------------------------------------
SELECT '/tmp/bangfu_regress_tiers_' || pg_backend_pid() || '.bin' AS copyfile \gset
CREATE TEMP TABLE recv_in (i int, t bangfu.tiers);
-- The format: version byte 1, bracket count, mode, cap (-1 for none),
-- common denominator, then per bracket flags (0x04 lower bound included,
-- 0x02 open upper bound), lower, upper, rate numerator, denominator.
SELECT bangfu.tiers_send('[0,) 10%') AS ten_percent;
-- Every schedule of section 4 and a few odd ones survive the round trip.
CREATE TEMP TABLE recv_src AS
    SELECT row_number() OVER (ORDER BY name COLLATE "C")::int AS i, t FROM sched
    UNION ALL
    SELECT 100 + n::int, lit::bangfu.tiers
      FROM unnest(ARRAY['[0,) 0', '[5,5] 10%', '(,6000] 10%, (6000,) 2/3; cap 0',
                        '[0,1000000000000] 100%; cap 1000000000000',
                        '[0.5,1.1) 0.000001%, [1.1,) 999999999/1000000000']) WITH ORDINALITY AS u(lit, n);
COPY (SELECT i, t FROM recv_src ORDER BY i) TO :'copyfile' (FORMAT binary);
COPY recv_in FROM :'copyfile' (FORMAT binary);
SELECT count(*) AS sent,
       count(*) FILTER (WHERE r.t OPERATOR(bangfu.=) s.t AND r.t::text = s.t::text) AS same
  FROM recv_src s LEFT JOIN recv_in r USING (i);

-- Damaged binary values are refused.  A bytea copied out in binary is its raw
-- bytes, so crafted bytes can be fed to tiers_recv the same way.
CREATE FUNCTION pg_temp.try_recv(b bytea, OUT state text, OUT message text, OUT detail text)
LANGUAGE plpgsql AS $$
DECLARE
    f text := '/tmp/bangfu_regress_tiers_' || pg_backend_pid() || '.bin';
BEGIN
    EXECUTE format('COPY (SELECT %L::bytea) TO %L (FORMAT binary)', b, f);
    CREATE TEMP TABLE recv_one (t bangfu.tiers);
    EXECUTE format('COPY recv_one FROM %L (FORMAT binary)', f);
    SELECT '00000', t::text INTO state, message FROM recv_one;
    DROP TABLE recv_one;
EXCEPTION WHEN OTHERS THEN
    GET STACKED DIAGNOSTICS state = RETURNED_SQLSTATE, message = MESSAGE_TEXT,
                            detail = PG_EXCEPTION_DETAIL;
END
$$;
-- Offsets (1-based) in the value of '[0,) 10%': version 1, count 2-5, mode 6,
-- cap 7-14, lcm 15-22, flags 23-26, lower 27-34, upper 35-42, numerator 43-50,
-- denominator 51-58.
SELECT what, r.*
  FROM (SELECT s AS b0 FROM bangfu.tiers_send('[0,) 10%') AS s) AS base,
       LATERAL (VALUES
         ('unchanged',              b0),
         ('version 2',              overlay(b0 PLACING '\x02' FROM 1)),
         ('0 brackets',             overlay(b0 PLACING int4send(0) FROM 2)),
         ('65 brackets',            overlay(b0 PLACING int4send(65) FROM 2)),
         ('2 brackets, data for 1', overlay(b0 PLACING int4send(2) FROM 2)),
         ('truncated',              substring(b0 FROM 1 FOR 57)),
         ('trailing byte',          b0 || '\x00'::bytea),
         ('mode 7',                 overlay(b0 PLACING '\x07' FROM 6)),
         ('cap -2',                 overlay(b0 PLACING int8send(-2) FROM 7)),
         ('cap 10^12 yuan + 1 fen', overlay(b0 PLACING int8send(100000000000001) FROM 7)),
         ('lcm 20',                 overlay(b0 PLACING int8send(20) FROM 15)),
         ('flags 0x26',             overlay(b0 PLACING int4send(38) FROM 23)),
         ('open lower included',    overlay(b0 PLACING int4send(7) FROM 23)),
         ('open upper with bound',  overlay(b0 PLACING int8send(5) FROM 35)),
         ('rate 11/10',             overlay(b0 PLACING int8send(11) FROM 43)),
         ('rate -1/10',             overlay(b0 PLACING int8send(-1) FROM 43)),
         ('rate 2/20, lcm 20',      overlay(overlay(overlay(b0 PLACING int8send(2) FROM 43)
                                            PLACING int8send(20) FROM 51) PLACING int8send(20) FROM 15)),
         ('denominator 0',          overlay(b0 PLACING int8send(0) FROM 51)),
         ('negative lower bound',   overlay(overlay(b0 PLACING int4send(6) FROM 23) PLACING int8send(-1) FROM 27))
       ) AS v(what, b),
       LATERAL pg_temp.try_recv(b) AS r;
-- Remove this backend's file (and only it).
SELECT 'rm -f ' || :'copyfile' AS rmcmd \gset
COPY (SELECT 1 WHERE false) TO PROGRAM :'rmcmd';

-- ---------------------------------------------------------------------------
-- 9. Results are numerics identical in bytes to the built-in ones: the same
-- send form as round(x, 2), and a hash join on them finds every row.
-- Values: the edges named in the spec and 400 spread over 0 .. 10^12 yuan
-- (some with trailing zero decimals from the division).
-- ---------------------------------------------------------------------------
CREATE TEMP TABLE amounts AS
    SELECT row_number() OVER ()::int AS i, v
      FROM (SELECT unnest(ARRAY[0, 0.00, 0.01, 0.1, 0.10, 1, 9.99, 99.99, 9999.99, 10000, 10000.01,
                                99999999.99, 100000000, 100000000.01, 999999999999.99,
                                1000000000000]::numeric[])
            UNION ALL
            SELECT (i::numeric * i * 7919 + i * 13) % 100000000000000 / 100
              FROM generate_series(1, 400) AS i) AS s(v);
SELECT count(*) AS amounts,
       count(*) FILTER (WHERE numeric_send(bangfu.apply('[0,) 100%', v))
                              <> numeric_send(round(v, 2))) AS differ_100pct,
       count(*) FILTER (WHERE numeric_send(bangfu.apply('[0,) 10%', v))
                              <> numeric_send(round(v * 0.1, 2))) AS differ_10pct,
       -- 2v/3 in fen is never exactly half a fen, so numeric division is exact enough
       count(*) FILTER (WHERE numeric_send(bangfu.apply('[0,) 2/3', v))
                              <> numeric_send(round(v * 2 / 3, 2))) AS differ_2_3,
       count(*) FILTER (WHERE bangfu.apply('[0,) 100%', v)::text <> round(v, 2)::text) AS differ_text
  FROM amounts;

CREATE TEMP TABLE applied AS SELECT i, bangfu.apply('[0,) 100%', v) AS r FROM amounts;
CREATE TEMP TABLE rounded AS SELECT i, round(v, 2) AS r FROM amounts;
ANALYZE applied;
ANALYZE rounded;
SET enable_mergejoin = off;
SET enable_nestloop = off;
EXPLAIN (COSTS OFF) SELECT count(*) FROM applied a JOIN rounded r ON a.r = r.r AND a.i = r.i;
SELECT (SELECT count(*) FROM amounts) AS amounts,
       (SELECT count(*) FROM applied a JOIN rounded r ON a.r = r.r AND a.i = r.i) AS matched;
-- Also grouped by value: every value forms one group with both sides in it.
SELECT count(*) AS groups, count(*) FILTER (WHERE n % 2 <> 0) AS unpaired
  FROM (SELECT r, count(*) AS n
          FROM (SELECT r FROM applied UNION ALL SELECT r FROM rounded) AS u
         GROUP BY r) AS g;
RESET enable_mergejoin;
RESET enable_nestloop;

-- Leave the database as it was.
DROP TABLE applied, rounded, amounts, recv_in, recv_src, sched;
DROP FUNCTION pg_temp.try_recv(bytea), pg_temp.try_tiers(text), pg_temp.try(text);
