-- 四 a caseload settled in one window pass (issue 12): bangfu.medical_settle
-- gives each stay its charity-bed reduction (四(1)), its serious-illness
-- relief on what is still owed (四(2)) and the patient's share, the yearly
-- caps applied stay after stay in date order; bangfu.capped does the same for
-- any limit of bangfu.limit_def.
--
-- Every expected value is in a column beside the result, worked out by hand
-- in the comment or the row; the "ok" columns must all be true.  Policy
-- versions added here are rolled back; scenarios are deleted at the end.
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
-- 1. Hand-calculated stays under the shipped policy (flat brackets; 四(1)
-- per-stay cap 15000, yearly 20000; 四(2) yearly 30000).  Each person's
-- stays in date order; the expected reduction, relief and patient share.
-- ---------------------------------------------------------------------------
CREATE TEMP TABLE hand (person int, id int, cost numeric(12,2), discharged date,
                        exp_red numeric, exp_rel numeric, exp_pays numeric, why text);
INSERT INTO hand VALUES
    -- one stay each, at every bracket bound of 四(1) and one fen above;
    -- 四(2) on cost - reduction
    (1, 1, 5000,     '2026-03-01', 500.00,  2700.00,  1800.00, '10%; 4500 x 60%'),
    (2, 1, 6000,     '2026-03-01', 600.00,  3240.00,  2160.00, '10% at the bound; 5400 x 60%'),
    (3, 1, 6000.01,  '2026-03-01', 900.00,  3060.01,  2040.00, '15% of 6000.01 = 900.0015; 5100.01 x 60% = 3060.006'),
    (4, 1, 12000,    '2026-03-01', 1800.00, 7140.00,  3060.00, '15%; 10200 is above 10000: x 70%'),
    (5, 1, 20000,    '2026-03-01', 4000.00, 11200.00, 4800.00, '20%; 16000 x 70%'),
    (6, 1, 20000.01, '2026-03-01', 5000.00, 10500.01, 4500.00, '25% = 5000.0025; 15000.01 x 70% = 10500.007'),
    (7, 1, 60000,    '2026-03-01', 15000.00, 30000.00, 15000.00, '15000 = 25%; 45000 x 80% = 36000 > 30000'),
    (8, 1, 100000,   '2026-03-01', 15000.00, 30000.00, 55000.00, 'per-stay cap 15000; relief cap'),
    (9, 1, 0,        '2026-03-01', 0.00,    0.00,     0.00,     'nothing to settle'),
    (15, 1, 5999.99,  '2026-03-01', 600.00,  3239.99,  2160.00, '10% = 599.999; 5399.99 x 60% = 3239.994'),
    (16, 1, 12000.01, '2026-03-01', 2400.00, 5760.01,  3840.00, '20% = 2400.002; 9600.01 x 60% = 5760.006'),
    (17, 1, 19999.99, '2026-03-01', 4000.00, 11199.99, 4800.00, '20% = 3999.998; 15999.99 x 70% = 11199.993'),
    -- 四(2) at its bound: what is still owed is 10000.00, then 10000.01
    (18, 1, 11764.71, '2026-03-01', 1764.71, 6000.00,  4000.00, '15% = 1764.7065; 10000.00 x 60%'),
    (19, 1, 11764.72, '2026-03-01', 1764.71, 7000.01,  3000.00, '15% = 1764.708; 10000.01 x 70% = 7000.007'),
    -- spec 4(1): two stays of 60000 in one year → 15000 then 5000
    (10, 1, 60000, '2026-02-01', 15000.00, 30000.00, 15000.00, 'first stay'),
    (10, 2, 60000, '2026-03-01', 5000.00,  0.00,     55000.00, '5000 left of 20000; relief cap used'),
    -- the caps start again on 1 January
    (11, 1, 60000, '2025-12-31', 15000.00, 30000.00, 15000.00, '2025'),
    (11, 2, 60000, '2026-01-01', 15000.00, 30000.00, 15000.00, '2026: a new year'),
    -- 四(2) reaching its cap over three stays
    (12, 1, 20000, '2026-01-10', 4000.00, 11200.00, 4800.00, '20%; 16000 x 70%'),
    (12, 2, 30000, '2026-02-10', 7500.00, 18000.00, 4500.00, '25%; 22500 x 80% = 18000 < 18800 left'),
    (12, 3, 10000, '2026-03-10', 1500.00, 800.00,   7700.00, '15%, 8500 left; 8500 x 60% = 5100 > 800 left'),
    -- two stays on one day, ordered by id
    (13, 1, 40000, '2025-05-05', 10000.00, 24000.00, 6000.00, '25%; 30000 x 80%'),
    (13, 2, 10000, '2025-05-05', 1500.00,  5100.00,  3400.00, '15%; 8500 x 60% = 5100 < 6000 left'),
    -- a NULL cost gets NULL and counts for nothing
    (14, 1, 60000, '2026-02-01', 15000.00, 30000.00, 15000.00, 'first stay'),
    (14, 2, NULL,  '2026-02-15', NULL,     NULL,     NULL,     'NULL in, NULL out'),
    (14, 3, 60000, '2026-03-01', 5000.00,  0.00,     55000.00, 'as if the NULL row were not there');

SELECT person, id, cost, discharged, (s).*,
       (s).reduction IS NOT DISTINCT FROM exp_red AND (s).relief IS NOT DISTINCT FROM exp_rel
       AND (s).patient_pays IS NOT DISTINCT FROM exp_pays AS ok, why
  FROM (SELECT h.*, bangfu.medical_settle(cost, discharged)
                       OVER (PARTITION BY person ORDER BY discharged, id) AS s
          FROM hand h) x
 ORDER BY person, id;

-- The example of doc/scenarios.md.
SELECT h.person, h.id, h.cost, h.discharged,
       (bangfu.medical_settle(cost, discharged) OVER (PARTITION BY person ORDER BY discharged, id)).*
  FROM hand h WHERE person IN (10, 11)
 ORDER BY person, id;

-- The same rows as a per-stay SQL call (bangfu.medical_settlement) given what
-- the rows before it in the person-year used: equal on every row.
WITH w AS (
    SELECT h.*, bangfu.medical_settle(cost, discharged)
                   OVER (PARTITION BY person ORDER BY discharged, id) AS s
      FROM hand h
), prior AS (
    SELECT w.*,
           coalesce(sum((s).reduction) OVER y, 0) AS reduced_before,
           coalesce(sum((s).relief) OVER y, 0) AS relieved_before
      FROM w
    WINDOW y AS (PARTITION BY person, extract(year FROM discharged) ORDER BY discharged, id
                 ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING)
)
SELECT count(*) AS stays,
       count(*) FILTER (WHERE (p.s).reduction IS NOT DISTINCT FROM m.reduction
                          AND (p.s).relief IS NOT DISTINCT FROM m.relief
                          AND (p.s).patient_pays IS NOT DISTINCT FROM m.patient_pays)
           AS equal_to_medical_settlement
  FROM prior p,
       LATERAL bangfu.medical_settlement(p.cost, p.discharged, p.reduced_before, p.relieved_before) m;

-- Every row: reduction + relief + patient_pays = cost.
SELECT count(*) FILTER (WHERE (s).reduction + (s).relief + (s).patient_pays <> cost) AS not_adding_up
  FROM (SELECT cost, bangfu.medical_settle(cost, discharged)
                       OVER (PARTITION BY person ORDER BY discharged, id) AS s FROM hand) x;

-- ---------------------------------------------------------------------------
-- 2. A starting use: reduced_before and relieved_before are what the
-- person-year used before its first row here (read there, ignored after).
-- ---------------------------------------------------------------------------
SELECT person, id, cost, discharged, reduced_before, relieved_before, (s).*,
       s = (exp_red, exp_rel, exp_pays)::bangfu.settlement AS ok, why
  FROM (SELECT v.*, bangfu.medical_settle(cost, discharged, reduced_before, relieved_before)
                       OVER (PARTITION BY person ORDER BY discharged, id) AS s
          FROM (VALUES
            (20, 1, 60000::numeric, date '2026-01-05', 10000::numeric, 29000::numeric, 10000.00, 1000.00, 49000.00,
             '10000 of 四(1) left; 50000 x 80% = 40000 > 1000 of 四(2) left'),
            (20, 2, 10000, '2026-04-01', 0, 0, 0.00, 0.00, 10000.00,
             'later row of the year: its starting use is ignored, both caps used'),
            (20, 3, 5000, '2027-02-01', 19900, 0, 100.00, 2940.00, 1960.00,
             'a new year reads its own: 100 left; 4900 x 60%'),
            -- spec §0: use already over a cap (lowered after the fact) gives 0.00
            (21, 1, 10000, '2026-06-01', 25000, 35000, 0.00, 0.00, 10000.00,
             'use over both caps: 0.00, not an error'),
            (21, 2, 10000, '2026-07-01', 25000, 35000, 0.00, 0.00, 10000.00, 'still over')
          ) AS v(person, id, cost, discharged, reduced_before, relieved_before, exp_red, exp_rel, exp_pays, why)) x
 ORDER BY person, id;

-- ---------------------------------------------------------------------------
-- 3. A policy change in mid-year (十二 提高救助标准, here the other way): from
-- 2026-07-01 the 四(1) yearly cap is 10000 and its brackets are marginal.
-- Each stay is judged by the version in force on its date.  Dated in the
-- past, each version carries its acknowledgement (backdate_ack, 十二).
-- ---------------------------------------------------------------------------
BEGIN;
INSERT INTO bangfu.policy (param, valid_from, amount, backdate_ack) VALUES
    ('medical.charity_bed.yearly_cap', '2026-07-01', 10000, 'regress: lowered from July (十二)');
INSERT INTO bangfu.policy (param, valid_from, tiers, backdate_ack) VALUES
    ('medical.charity_bed', '2026-07-01',
     'marginal: [0,6000] 10%, (6000,12000] 15%, (12000,20000] 20%, (20000,) 25%; cap 15000',
     'regress: 分段计算 from July (十二)');
SELECT person, id, cost, discharged, (s).*,
       s = (exp_red, exp_rel, exp_pays)::bangfu.settlement AS ok, why
  FROM (SELECT v.*, bangfu.medical_settle(cost, discharged)
                       OVER (PARTITION BY person ORDER BY discharged, id) AS s
          FROM (VALUES
            (30, 1, 40000::numeric, date '2026-03-01', 10000.00, 24000.00, 6000.00,
             'before: flat 25%; 30000 x 80%'),
            (30, 2, 8000, '2026-08-01', 0.00, 4800.00, 3200.00,
             'after: 10000 used of the lowered 10000 cap gives 0.00; 8000 x 60%'),
            (31, 1, 20000, '2026-06-30', 4000.00, 11200.00, 4800.00,
             'the last day of the old version'),
            (31, 2, 40000, '2026-07-01', 6000.00, 18800.00, 15200.00,
             'marginal 600+900+1600+5000 = 8100, 6000 left of 10000; 34000 x 80% = 27200, 18800 left'),
            (32, 1, 12000, '2026-09-01', 1500.00, 7350.00, 3150.00,
             'marginal: 600 + 900; 10500 x 70%')
          ) AS v(person, id, cost, discharged, exp_red, exp_rel, exp_pays, why)) x
 ORDER BY person, id;
-- The same change seen by capped: 10000 of 四(1) used before July leaves
-- nothing under the lowered cap; 2027 is a new year under it.
SELECT d, amount, bangfu.capped('charity_bed_yearly', amount, d) OVER (ORDER BY d) AS capped
  FROM (VALUES (date '2026-03-01', 10000::numeric), ('2026-08-01', 1200), ('2027-01-01', 12000)) AS v(d, amount);
ROLLBACK;

-- ---------------------------------------------------------------------------
-- 4. A scenario (十二 what-if): the yearly cap of 四(1) at 25000.
-- ---------------------------------------------------------------------------
INSERT INTO bangfu.scenario (name, description) VALUES ('settle_cap25k', 'charity-bed yearly cap 25,000');
INSERT INTO bangfu.scenario_value (scenario, param, amount) VALUES
    ('settle_cap25k', 'medical.charity_bed.yearly_cap', 25000);
SELECT person, id, cost, (bangfu.medical_settle(cost, discharged) OVER w).reduction AS in_force,
       (bangfu.medical_settle(cost, discharged, 'settle_cap25k') OVER w).* ,
       (bangfu.medical_settle(cost, discharged, 0, 0, 'settle_cap25k') OVER w).reduction AS with_start,
       (bangfu.medical_settle(cost, discharged, 5000, 0, 'settle_cap25k') OVER w).reduction AS started_5000
  FROM hand WHERE person IN (10, 11)
WINDOW w AS (PARTITION BY person ORDER BY discharged, id)
 ORDER BY person, id;
-- person 10: 15000 then 10000 (25000 - 15000), relief 30000 then 0 (cap),
-- pays 15000 then 50000; with 5000 used before: 15000 then 5000.
-- The empty string is the policy in force.
SELECT (bangfu.medical_settle(60000, date '2026-01-01', '') OVER ()).* ;

-- ---------------------------------------------------------------------------
-- 5. bangfu.capped: any limit over a user's table, one pass.
-- ---------------------------------------------------------------------------
CREATE TEMP TABLE uses (lim text, subject int, id int, amount numeric, on_date date, exp numeric, why text);
INSERT INTO uses VALUES
    -- 五 pension_months: 36 months per person, lifetime
    ('pension_months', 1, 1, 20, '2025-03-01', 20, '20 of 36'),
    ('pension_months', 1, 2, 12, '2026-03-01', 12, '32 of 36: no yearly restart'),
    ('pension_months', 1, 3, 10, '2027-03-01', 4,  '4 months remain'),
    ('pension_months', 1, 4, 1,  '2027-04-01', 0,  'none remain'),
    -- 八(1) employer_subsidy_months: 12 months
    ('employer_subsidy_months', 2, 1, 7, '2026-01-31', 7, '7 of 12'),
    ('employer_subsidy_months', 2, 2, 7, '2026-08-31', 5, '5 remain'),
    -- 四(1) charity_bed_yearly: 20000 a year, money
    ('charity_bed_yearly', 3, 1, 15000,    '2026-01-05', 15000.00, '15000 of 20000'),
    ('charity_bed_yearly', 3, 2, 12000,    '2026-06-01', 5000.00,  '5000 remain'),
    ('charity_bed_yearly', 3, 3, 0.01,     '2026-12-31', 0.00,     'none remain'),
    ('charity_bed_yearly', 3, 4, 20000.01, '2027-01-01', 20000.00, 'a new year, cut to the cap'),
    -- 二 relief_yearly: one grant a year, the row's amount whole or nothing
    ('relief_yearly', 4, 1, 1500, '2026-03-01', 1500.00, 'first grant of 2026'),
    ('relief_yearly', 4, 2, 2000, '2026-09-01', 0.00,    'second grant of 2026'),
    ('relief_yearly', 4, 3, 1000, '2027-01-02', 1000.00, 'first of 2027'),
    -- 一, 九 fund_balance: credits pass, a disbursement is cut to the balance
    ('fund_balance', 5, 1, 1500,  '2026-01-01', 1500.00,  'credit'),
    ('fund_balance', 5, 2, -1200, '2026-02-01', -1200.00, 'balance 300 left'),
    ('fund_balance', 5, 3, -1000, '2027-02-01', -300.00,  'cut to the balance (lifetime)'),
    ('fund_balance', 5, 4, 50,    '2027-03-01', 50.00,    'credit again'),
    -- NULL amount: NULL, counts for nothing
    ('pension_months', 6, 1, NULL, '2025-03-01', NULL, 'NULL'),
    ('pension_months', 6, 2, 40,   '2025-04-01', 36,   'cut to 36');
SELECT lim, subject, id, amount, on_date, c AS capped, c IS NOT DISTINCT FROM exp AS ok, why
  FROM (SELECT u.*, bangfu.capped(lim, amount, on_date)
                       OVER (PARTITION BY lim, subject ORDER BY on_date, id) AS c
          FROM uses u) x
 ORDER BY subject, id;

-- A starting use (as bangfu.limit_used reports it), read at each period's
-- first row; and a scenario for the cap.
SELECT lim, id, amount, on_date, used_before,
       bangfu.capped(lim, amount, on_date, used_before) OVER w AS capped,
       bangfu.capped(lim, amount, on_date, used_before, 'settle_cap25k') OVER w AS cap_25000
  FROM (VALUES ('charity_bed_yearly', 1, 8000::numeric, date '2026-03-01', 15000::numeric),
               ('charity_bed_yearly', 2, 8000, '2026-04-01', 15000),
               ('charity_bed_yearly', 3, 8000, '2027-04-01', 19999.99),
               ('charity_bed_yearly', 4, 8000, '2027-05-01', 0)) AS v(lim, id, amount, on_date, used_before)
WINDOW w AS (ORDER BY on_date, id)
 ORDER BY id;
-- in force: 5000 (15000 used), 0, 0.01 (19999.99 used in 2027), 0;
-- cap 25000: 8000, 2000, 5000.01, 0.
SELECT bangfu.capped('pension_months', m, d, 30) OVER (ORDER BY d) AS months_with_30_used
  FROM (VALUES (12::numeric, date '2026-01-01')) AS v(m, d);
SELECT bangfu.capped('relief_yearly', 1500, d, 1) OVER (ORDER BY d) AS grant_with_one_already
  FROM (VALUES (date '2026-01-01')) AS v(d);
SELECT bangfu.capped('fund_balance', a, d, 100) OVER (ORDER BY d) AS paid_from_balance_100
  FROM (VALUES (-250::numeric, date '2026-01-01')) AS v(a, d);

-- ---------------------------------------------------------------------------
-- 6. Bad input: class 22 naming the argument and the rule; misuse of the
-- window: 42809 or 42P20.  Nothing is computed.
-- ---------------------------------------------------------------------------
SELECT call, t.state, t.message, t.detail
  FROM unnest(ARRAY[
    $$(SELECT count(s) FROM (SELECT bangfu.medical_settle(c, d) OVER (ORDER BY d) AS s FROM (VALUES (-1::numeric, date '2026-01-01')) v(c, d)) x)$$,
    $$(SELECT count(s) FROM (SELECT bangfu.medical_settle(c, d) OVER (ORDER BY d) AS s FROM (VALUES (100.001::numeric, date '2026-01-01')) v(c, d)) x)$$,
    $$(SELECT count(s) FROM (SELECT bangfu.medical_settle(c, d) OVER (ORDER BY d) AS s FROM (VALUES ('NaN'::numeric, date '2026-01-01')) v(c, d)) x)$$,
    $$(SELECT count(s) FROM (SELECT bangfu.medical_settle(c, d) OVER (ORDER BY d) AS s FROM (VALUES (1e13::numeric, date '2026-01-01')) v(c, d)) x)$$,
    $$(SELECT count(s) FROM (SELECT bangfu.medical_settle(c, d) OVER (ORDER BY d) AS s FROM (VALUES (1::numeric, date 'infinity')) v(c, d)) x)$$,
    $$(SELECT count(s) FROM (SELECT bangfu.medical_settle(c, d, -5, 0) OVER (ORDER BY d) AS s FROM (VALUES (1::numeric, date '2026-01-01')) v(c, d)) x)$$,
    $$(SELECT count(s) FROM (SELECT bangfu.medical_settle(c, d, 0, 0.001) OVER (ORDER BY d) AS s FROM (VALUES (1::numeric, date '2026-01-01')) v(c, d)) x)$$,
    $$(SELECT count(s) FROM (SELECT bangfu.medical_settle(c, d, 'nope') OVER (ORDER BY d) AS s FROM (VALUES (1::numeric, date '2026-01-01')) v(c, d)) x)$$,
    $$(SELECT count(s) FROM (SELECT bangfu.medical_settle(c, d) OVER (ORDER BY i) AS s FROM (VALUES (1, 1::numeric, date '2026-02-01'), (2, 1, '2026-01-01')) v(i, c, d)) x)$$,
    $$(SELECT count(s) FROM (SELECT bangfu.medical_settle(c, d) OVER (ORDER BY d) AS s FROM (VALUES (1, 1::numeric, date '2026-02-01'), (2, 1, '2026-02-01')) v(i, c, d)) x)$$,
    $$(SELECT count(s) FROM (SELECT bangfu.medical_settle(c, d) OVER () AS s FROM (VALUES (1, 1::numeric, date '2026-02-01'), (2, 1, '2026-02-02')) v(i, c, d)) x)$$,
    $$(SELECT count(s) FROM (SELECT bangfu.medical_settle(c, d) OVER (ORDER BY d ROWS BETWEEN 1 PRECEDING AND CURRENT ROW) AS s FROM (VALUES (1::numeric, date '2026-01-01')) v(c, d)) x)$$,
    $$(SELECT count(s) FROM (SELECT bangfu.medical_settle(c, d) OVER (ORDER BY d ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING) AS s FROM (VALUES (1::numeric, date '2026-01-01')) v(c, d)) x)$$,
    $$(SELECT count(s) FROM (SELECT bangfu.medical_settle(c, d) OVER (ORDER BY d ROWS UNBOUNDED PRECEDING EXCLUDE CURRENT ROW) AS s FROM (VALUES (1::numeric, date '2026-01-01'), (2, '2026-01-02')) v(c, d)) x)$$,
    $$(SELECT count(c) FROM (SELECT bangfu.capped('pension_months', a, d) OVER (ORDER BY d DESC) AS c FROM (VALUES (1::numeric, date '2026-01-01'), (1, '2026-01-02')) v(a, d)) x)$$,
    $$(SELECT bangfu.medical_settle(c, d)::text FROM (VALUES (1::numeric, date '2026-01-01')) v(c, d))$$,
    $$(SELECT count(c) FROM (SELECT bangfu.capped('nope', a, d) OVER (ORDER BY d) AS c FROM (VALUES (1::numeric, date '2026-01-01')) v(a, d)) x)$$,
    $$(SELECT count(c) FROM (SELECT bangfu.capped('pension_months', a, d) OVER (ORDER BY d) AS c FROM (VALUES (2.5::numeric, date '2026-01-01')) v(a, d)) x)$$,
    $$(SELECT count(c) FROM (SELECT bangfu.capped('charity_bed_yearly', a, d) OVER (ORDER BY d) AS c FROM (VALUES (-1::numeric, date '2026-01-01')) v(a, d)) x)$$,
    $$(SELECT count(c) FROM (SELECT bangfu.capped('pension_months', a, d, 1.5) OVER (ORDER BY d) AS c FROM (VALUES (1::numeric, date '2026-01-01')) v(a, d)) x)$$,
    $$(SELECT count(c) FROM (SELECT bangfu.capped(l, a, d) OVER (ORDER BY d) AS c FROM (VALUES ('pension_months', 1::numeric, date '2026-01-01'), ('employer_subsidy_months', 1, '2026-01-02')) v(l, a, d)) x)$$,
    $$(SELECT count(c) FROM (SELECT bangfu.capped('charity_bed_yearly', a, d, 0, 'nope') OVER (ORDER BY d) AS c FROM (VALUES (1::numeric, date '2026-01-01')) v(a, d)) x)$$,
    $$(SELECT count(c) FROM (SELECT bangfu.capped('pension_months', a, d) OVER (ORDER BY d) AS c FROM (VALUES (1::numeric, date '2026-01-01'), (1, '2026-01-01')) v(a, d)) x)$$
  ]) AS call,
  LATERAL pg_temp.try('SELECT ' || call) AS t;

-- ---------------------------------------------------------------------------
-- 6b. Window functions, not aggregates: the running frame written any way
-- gives the same rows; a partition of thousands of rows (the executor lets
-- the rows before the current one go now and then) is settled as the
-- per-stay function settles it, and two rows of one date that are peers
-- are refused however deep in the partition they come.
-- ---------------------------------------------------------------------------
SELECT count(*) AS stays,
       count(*) FILTER (WHERE a IS NOT DISTINCT FROM b AND a IS NOT DISTINCT FROM c
                          AND a IS NOT DISTINCT FROM d) AS same_in_every_running_frame
  FROM (SELECT bangfu.medical_settle(cost, discharged) OVER (PARTITION BY person ORDER BY discharged, id) AS a,
               bangfu.medical_settle(cost, discharged) OVER (PARTITION BY person ORDER BY discharged, id
                                                             ROWS UNBOUNDED PRECEDING) AS b,
               bangfu.medical_settle(cost, discharged) OVER (PARTITION BY person ORDER BY discharged, id
                                                             GROUPS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS c,
               bangfu.medical_settle(cost, discharged) OVER (PARTITION BY person ORDER BY discharged, id
                                                             RANGE BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW
                                                             EXCLUDE NO OTHERS) AS d
          FROM hand) x;

-- One person, 3000 stays over 2025-2026, up to 5 on a day (told apart by
-- id), a NULL cost every 700th: equal to medical_settlement told what the
-- person-year used before each stay (the NULL rows get NULL and count for
-- nothing).
SELECT setseed(0.0603);
CREATE TEMP TABLE long_stays AS
SELECT g AS id, date '2025-01-01' + (g / 5) * 730 / 600 AS discharged,
       CASE WHEN g % 700 = 0 THEN NULL ELSE round((50 + 900 * random())::numeric, 2) END AS cost
  FROM generate_series(0, 2999) AS g;
WITH w AS (
    SELECT l.*, bangfu.medical_settle(cost, discharged) OVER (ORDER BY discharged, id) AS s
      FROM long_stays l
), prior AS (
    SELECT w.*,
           coalesce(sum((s).reduction) OVER y, 0) AS reduced_before,
           coalesce(sum((s).relief) OVER y, 0) AS relieved_before
      FROM w
    WINDOW y AS (PARTITION BY extract(year FROM discharged) ORDER BY discharged, id
                 ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING)
)
SELECT count(*) AS stays,
       count(*) FILTER (WHERE cost IS NULL AND s IS NULL) AS null_rows,
       count(*) FILTER (WHERE cost IS NOT NULL AND (p.s).reduction = m.reduction
                          AND (p.s).relief = m.relief AND (p.s).patient_pays = m.patient_pays)
           AS equal_to_medical_settlement,
       sum((s).reduction) AS reduced, sum((s).relief) AS relieved
  FROM prior p
  LEFT JOIN LATERAL bangfu.medical_settlement(p.cost, p.discharged, p.reduced_before, p.relieved_before) m
         ON p.cost IS NOT NULL;
-- the yearly caps: 20000.00 of 四(1) and 30000.00 of 四(2) in each of the two years
SELECT extract(year FROM discharged) AS year, sum((s).reduction) AS reduced, sum((s).relief) AS relieved
  FROM (SELECT discharged, bangfu.medical_settle(cost, discharged) OVER (ORDER BY discharged, id) AS s
          FROM long_stays) x
 GROUP BY 1 ORDER BY 1;

-- 2000 rows on 2000 days, then a 2001st on the last day: with ORDER BY the
-- date alone, the last two are peers (refused, 42P20); with the id too, not.
SELECT t.state, t.message
  FROM pg_temp.try($$SELECT count(s) FROM (SELECT bangfu.medical_settle(c, d) OVER (ORDER BY d) AS s
                     FROM (SELECT 100::numeric AS c, date '2020-01-01' + least(g, 1999) AS d
                             FROM generate_series(0, 2000) g) v) x$$) AS t
UNION ALL
SELECT t.state, t.result
  FROM pg_temp.try($$SELECT count(s) FROM (SELECT bangfu.medical_settle(c, d) OVER (ORDER BY d, g) AS s
                     FROM (SELECT g, 100::numeric AS c, date '2020-01-01' + least(g, 1999) AS d
                             FROM generate_series(0, 2000) g) v) x$$) AS t;

-- ---------------------------------------------------------------------------
-- 7. The four-pass form it replaces, over a generated caseload of two years
-- with a heavy tail (so both caps bite): equal on every stay.
-- ---------------------------------------------------------------------------
SELECT setseed(0.1212);
CREATE TEMP TABLE caseload AS
SELECT g AS id, 1 + (g * 7919) % 400 AS person,
       date '2025-01-01' + floor(random() * 730)::integer AS discharged,
       round((300 + 9000 * -ln(1 - random()) * CASE WHEN g % 5 = 0 THEN 4 ELSE 1 END)::numeric, 2) AS cost
  FROM generate_series(1, 4000) AS g;
WITH one_pass AS (
    SELECT id, bangfu.medical_settle(cost, discharged)
                  OVER (PARTITION BY person ORDER BY discharged, id) AS s
      FROM caseload
), running AS (
    SELECT c.*, bangfu.medical_reduction_total(cost, discharged) OVER w AS red_run
      FROM caseload c
    WINDOW w AS (PARTITION BY person ORDER BY discharged, id ROWS UNBOUNDED PRECEDING)
), reduced AS (
    SELECT r.*, red_run - coalesce(lag(red_run) OVER w, 0) AS red
      FROM running r
    WINDOW w AS (PARTITION BY person ORDER BY discharged, id)
), relieved_run AS (
    SELECT r.*, bangfu.illness_relief_total(cost - red, discharged) OVER w AS rel_run
      FROM reduced r
    WINDOW w AS (PARTITION BY person ORDER BY discharged, id ROWS UNBOUNDED PRECEDING)
), four_pass AS (
    SELECT id, cost, red, rel_run - coalesce(lag(rel_run) OVER w, 0) AS rel
      FROM relieved_run
    WINDOW w AS (PARTITION BY person ORDER BY discharged, id)
)
SELECT count(*) AS stays,
       count(*) FILTER (WHERE (o.s).reduction = f.red AND (o.s).relief = f.rel
                        AND (o.s).patient_pays = f.cost - f.red - f.rel) AS equal,
       count(*) FILTER (WHERE (o.s).reduction = 15000) AS at_stay_cap,
       count(*) FILTER (WHERE (o.s).reduction < bangfu.medical_reduction(f.cost, '2025-06-01')) AS cut_by_yearly_cap_4_1,
       count(*) FILTER (WHERE (o.s).relief < bangfu.illness_relief(f.cost - (o.s).reduction, '2025-06-01')) AS cut_by_yearly_cap_4_2,
       sum((o.s).reduction) AS reduction, sum((o.s).relief) AS relief, sum((o.s).patient_pays) AS patient_pays
  FROM one_pass o JOIN four_pass f USING (id);

-- bangfu.capped over the same rows equals the 四(1) part of the settlement.
SELECT count(*) FILTER (WHERE c = (s).reduction) AS capped_equal_reduction, count(*) AS stays
  FROM (SELECT bangfu.capped('charity_bed_yearly', bangfu.medical_reduction(cost, discharged), discharged) OVER w AS c,
               bangfu.medical_settle(cost, discharged) OVER w AS s
          FROM caseload
        WINDOW w AS (PARTITION BY person ORDER BY discharged, id)) x;

-- ---------------------------------------------------------------------------
-- 8. The caseload example of doc/scenarios.md, in one pass per policy.
-- ---------------------------------------------------------------------------
INSERT INTO bangfu.scenario (name, description) VALUES
    ('cap25k_edu1500', 'charity-bed yearly cap 25,000; education relief band 1,500-3,000');
INSERT INTO bangfu.scenario_value (scenario, param, amount) VALUES
    ('cap25k_edu1500', 'medical.charity_bed.yearly_cap', 25000);
INSERT INTO bangfu.scenario_value (scenario, param, band) VALUES
    ('cap25k_edu1500', 'relief.band.education', '[1500,3000]');
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

WITH settled AS (
    SELECT bangfu.medical_settle(cost, discharged) OVER w AS in_force,
           bangfu.medical_settle(cost, discharged, 'cap25k_edu1500') OVER w AS proposed
      FROM stays
     WHERE discharged >= '2026-01-01' AND discharged < '2027-01-01'
    WINDOW w AS (PARTITION BY patient ORDER BY discharged, stay)
), programs (n, program, in_force, proposed) AS (
    SELECT 1, '四(1) charity-bed reductions', sum((in_force).reduction), sum((proposed).reduction) FROM settled
    UNION ALL
    SELECT 2, '四(2) serious-illness relief', sum((in_force).relief), sum((proposed).relief) FROM settled
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

-- ---------------------------------------------------------------------------
-- 9. The keyed forms: a bigint key after on_date, and the function orders
-- each partition by (on_date, key) itself, a NULL key last (as ORDER BY
-- on_date, key sorts it); the window needs only PARTITION BY.  The same
-- figures as the ORDER BY forms on every row.
-- ---------------------------------------------------------------------------
-- The hand-calculated stays of section 1 (an integer id is a bigint key).
SELECT count(*) AS stays,
       count(*) FILTER (WHERE (s).reduction IS NOT DISTINCT FROM exp_red
                          AND (s).relief IS NOT DISTINCT FROM exp_rel
                          AND (s).patient_pays IS NOT DISTINCT FROM exp_pays) AS as_calculated
  FROM (SELECT h.*, bangfu.medical_settle(cost, discharged, id) OVER (PARTITION BY person) AS s
          FROM hand h) x;

-- Two stays on one day: the key decides.  60000 then 20000: 15000 and 30000
-- (45000 x 80% = 36000, cut to the cap), then 20% of 20000 = 4000 (16000 of
-- 四(1) left) and no relief left.  20000 then 60000: 4000 and 16000 x 70% =
-- 11200, then 15000 (per stay) and 36000 cut to the 18800 left.  A NULL key
-- comes after the day's keyed stays; the window's own ORDER BY, if any,
-- does not matter.
SELECT label, id, cost, (s).*
  FROM (SELECT '1 keys 1, 2' AS label, id, cost,
               bangfu.medical_settle(cost, d, id) OVER (PARTITION BY 1) AS s
          FROM (VALUES (1, 60000::numeric, date '2026-05-05'), (2, 20000, '2026-05-05')) v(id, cost, d)
        UNION ALL
        SELECT '2 keys 2, 1', id, cost, bangfu.medical_settle(cost, d, 3 - id) OVER ()
          FROM (VALUES (1, 60000::numeric, date '2026-05-05'), (2, 20000, '2026-05-05')) v(id, cost, d)
        UNION ALL
        SELECT '3 NULL key, 1', id, cost, bangfu.medical_settle(cost, d, k) OVER ()
          FROM (VALUES (1, 60000::numeric, date '2026-05-05', NULL::bigint), (2, 20000, '2026-05-05', 1)) v(id, cost, d, k)
        UNION ALL
        SELECT '4 keys 1, 2, window ORDER BY id DESC', id, cost,
               bangfu.medical_settle(cost, d, id) OVER (ORDER BY id DESC)
          FROM (VALUES (1, 60000::numeric, date '2026-05-05'), (2, 20000, '2026-05-05')) v(id, cost, d)) x
 ORDER BY label, id;

-- NULL in, NULL out, counting for nothing: a NULL date or cost.
SELECT id, (s).*
  FROM (SELECT id, bangfu.medical_settle(cost, d, id) OVER () AS s
          FROM (VALUES (1, 60000::numeric, date '2026-02-01'), (2, 60000, NULL),
                       (3, NULL, '2026-02-15'), (4, 60000, '2026-03-01')) v(id, cost, d)) x
 ORDER BY id;

-- Refused (42P20): two rows of a date with one key, or both without one;
-- a frame other than the running frame.  A date that is not a calendar date
-- is 22023, as in the ORDER BY form.
SELECT call, t.state, t.message, t.detail
  FROM unnest(ARRAY[
    $$(SELECT count(s) FROM (SELECT bangfu.medical_settle(c, d, k) OVER () AS s FROM (VALUES (1::numeric, date '2026-02-01', 7::bigint), (2, '2026-02-01', 7)) v(c, d, k)) x)$$,
    $$(SELECT count(s) FROM (SELECT bangfu.medical_settle(c, d, k) OVER () AS s FROM (VALUES (1::numeric, date '2026-02-01', NULL::bigint), (2, '2026-02-01', NULL)) v(c, d, k)) x)$$,
    $$(SELECT count(s) FROM (SELECT bangfu.medical_settle(c, d, k) OVER (ORDER BY k ROWS BETWEEN 1 PRECEDING AND CURRENT ROW) AS s FROM (VALUES (1::numeric, date '2026-02-01', 1::bigint)) v(c, d, k)) x)$$,
    $$(SELECT count(s) FROM (SELECT bangfu.medical_settle(c, d, k) OVER () AS s FROM (VALUES (1::numeric, date 'infinity', 1::bigint)) v(c, d, k)) x)$$,
    $$(SELECT count(c) FROM (SELECT bangfu.capped('pension_months', a, d, k, 0) OVER () AS c FROM (VALUES (1::numeric, date '2026-01-01', 3::bigint), (1, '2026-01-01', 3)) v(a, d, k)) x)$$,
    $$(SELECT count(c) FROM (SELECT bangfu.capped(l, a, d, k, 0) OVER () AS c FROM (VALUES ('pension_months', 1::numeric, date '2026-01-01', 1::bigint), ('employer_subsidy_months', 1, '2026-01-02', 2)) v(l, a, d, k)) x)$$
  ]) AS call,
  LATERAL pg_temp.try('SELECT ' || call) AS t;

-- Memory within work_mem: the keyed form of medical_settle keeps 57 bytes a
-- row of its own (24 to order it, 8 for the cost, 3 x 8 of figures, 1 flag)
-- and a copy of the cost (the numeric 100: 8 bytes), 65 bytes a row, at most
-- 1008 rows in 64 kB (65,536 bytes), and the window's store of the rows must
-- fit as well (whichever is tighter refuses): 1008 rows fit, 1009 do not
-- (54000, nothing computed).
SET work_mem = '64kB';
SELECT n, t.state, t.result, t.message
  FROM (VALUES (1008), (1009)) v(n),
       LATERAL pg_temp.try(format($$SELECT count(s) FROM (SELECT bangfu.medical_settle(100, date '2026-01-01' + g %% 300, g)
                                                              OVER () AS s FROM generate_series(1, %s) g) x$$, n)) AS t;

-- The window's own store of the partition must stay in memory too: read
-- from disk out of order, each jump would reread the rows between (20,000
-- wide rows took 90 s at work_mem 4 MB).  1000 rows with 200 characters of
-- other columns each overflow 64 kB: 54000; the same rows without them fit.
CREATE TEMP TABLE wide_stays AS
SELECT g AS id, 100::numeric AS cost, date '2026-01-01' + g AS d, repeat('x', 200) AS pad
  FROM generate_series(1, 1000) g;
SELECT label, t.state, t.result, t.message, t.detail
  FROM (VALUES ('wide rows', $$SELECT count(s) || ' ' || max(length(pad)) FROM (SELECT bangfu.medical_settle(cost, d, id) OVER () AS s, pad FROM wide_stays) x$$),
               ('narrow rows', $$SELECT count(s) FROM (SELECT bangfu.medical_settle(cost, d, id) OVER () AS s FROM wide_stays) x$$)) v(label, q),
       LATERAL pg_temp.try(q) AS t;
RESET work_mem;

-- The generated caseload of section 7 (400 people, 4000 stays): every form
-- keyed equals its ORDER BY form on every stay, with a starting use and
-- under a scenario too.
SELECT count(*) AS stays,
       count(*) FILTER (WHERE a = ak) AS plain,
       count(*) FILTER (WHERE b = bk) AS scenario,
       count(*) FILTER (WHERE c = ck) AS started,
       count(*) FILTER (WHERE e = ek) AS started_scenario,
       count(*) FILTER (WHERE f = fk) AS capped_reduction,
       count(*) FILTER (WHERE g = gk) AS capped_started_scenario
  FROM (SELECT bangfu.medical_settle(cost, discharged) OVER w AS a,
               bangfu.medical_settle(cost, discharged, id) OVER p AS ak,
               bangfu.medical_settle(cost, discharged, 'settle_cap25k') OVER w AS b,
               bangfu.medical_settle(cost, discharged, id, 'settle_cap25k') OVER p AS bk,
               bangfu.medical_settle(cost, discharged, 5000, 100) OVER w AS c,
               bangfu.medical_settle(cost, discharged, id, 5000, 100) OVER p AS ck,
               bangfu.medical_settle(cost, discharged, 5000, 100, 'settle_cap25k') OVER w AS e,
               bangfu.medical_settle(cost, discharged, id, 5000, 100, 'settle_cap25k') OVER p AS ek,
               bangfu.capped('charity_bed_yearly', bangfu.medical_reduction(cost, discharged), discharged) OVER w AS f,
               bangfu.capped('charity_bed_yearly', bangfu.medical_reduction(cost, discharged), discharged, id, 0) OVER p AS fk,
               bangfu.capped('charity_bed_yearly', cost, discharged, 7000, 'settle_cap25k') OVER w AS g,
               bangfu.capped('charity_bed_yearly', cost, discharged, id, 7000, 'settle_cap25k') OVER p AS gk
          FROM caseload
        WINDOW w AS (PARTITION BY person ORDER BY discharged, id), p AS (PARTITION BY person)) x;

-- The limits of section 5, keyed (used_before 0: none), as expected there.
SELECT count(*) AS rows_,
       count(*) FILTER (WHERE c IS NOT DISTINCT FROM exp) AS as_expected
  FROM (SELECT u.*, bangfu.capped(lim, amount, on_date, id, 0) OVER (PARTITION BY lim, subject) AS c
          FROM uses u) x;

-- Long partitions (sorted with qsort rather than insertion): the 3000 stays
-- of section 6b in one partition, and 100 stays on one day keyed in the
-- reverse of their id order.
SELECT count(*) AS stays,
       count(*) FILTER (WHERE a IS NOT DISTINCT FROM b) AS equal
  FROM (SELECT bangfu.medical_settle(cost, discharged) OVER (ORDER BY discharged, id) AS a,
               bangfu.medical_settle(cost, discharged, id) OVER () AS b
          FROM long_stays) x;
SELECT count(*) AS stays,
       count(*) FILTER (WHERE a = b) AS equal,
       sum((b).reduction) AS reduced, sum((b).relief) AS relieved
  FROM (SELECT bangfu.medical_settle(cost, d) OVER (ORDER BY d, g DESC) AS a,
               bangfu.medical_settle(cost, d, -g) OVER () AS b
          FROM (SELECT g, (1000 + g * 10)::numeric AS cost, date '2026-06-01' AS d
                  FROM generate_series(1, 100) g) v) x;

-- ---------------------------------------------------------------------------
-- 10. The grouped forms: the subject is the first argument (of capped, the
-- second), and the function groups the window's rows by it and orders each
-- subject's rows by (on_date, key) itself: OVER (), no PARTITION BY and no
-- sort.  The same figures as the ORDER BY forms on every row.
-- ---------------------------------------------------------------------------
-- The hand-calculated stays of section 1, in one window.
SELECT count(*) AS stays,
       count(*) FILTER (WHERE (s).reduction IS NOT DISTINCT FROM exp_red
                          AND (s).relief IS NOT DISTINCT FROM exp_rel
                          AND (s).patient_pays IS NOT DISTINCT FROM exp_pays) AS as_calculated
  FROM (SELECT h.*, bangfu.medical_settle_grouped(person, cost, discharged, id) OVER () AS s
          FROM hand h) x;

-- The generated caseload of section 7: every grouped form equals its ORDER
-- BY form on every stay, with a starting use and under a scenario; the
-- person as an integer, a bigint, a smallint, text and numeric (grouped by
-- their hash functions: '0042' is not '42' as text, 42.0 is 42 as numeric),
-- and with the window cut into partitions of its own (each grouped inside).
SELECT count(*) AS stays,
       count(*) FILTER (WHERE a = ag) AS plain,
       count(*) FILTER (WHERE b = bg) AS scenario,
       count(*) FILTER (WHERE c = cg) AS started,
       count(*) FILTER (WHERE e = eg) AS started_scenario,
       count(*) FILTER (WHERE a = a8 AND a = a2 AND a = at AND a = an) AS other_types,
       count(*) FILTER (WHERE a = ap) AS in_partitions,
       count(*) FILTER (WHERE f = fg) AS capped_reduction,
       count(*) FILTER (WHERE g = gg) AS capped_started_scenario
  FROM (SELECT bangfu.medical_settle(cost, discharged) OVER w AS a,
               bangfu.medical_settle_grouped(person, cost, discharged, id) OVER () AS ag,
               bangfu.medical_settle_grouped(person::bigint, cost, discharged, id) OVER () AS a8,
               bangfu.medical_settle_grouped(person::smallint, cost, discharged, id) OVER () AS a2,
               bangfu.medical_settle_grouped('p' || person, cost, discharged, id) OVER () AS at,
               bangfu.medical_settle_grouped(person + 0.0, cost, discharged, id) OVER () AS an,
               bangfu.medical_settle_grouped(person, cost, discharged, id) OVER (PARTITION BY person % 7) AS ap,
               bangfu.medical_settle(cost, discharged, 'settle_cap25k') OVER w AS b,
               bangfu.medical_settle_grouped(person, cost, discharged, id, 'settle_cap25k') OVER () AS bg,
               bangfu.medical_settle(cost, discharged, 5000, 100) OVER w AS c,
               bangfu.medical_settle_grouped(person, cost, discharged, id, 5000, 100) OVER () AS cg,
               bangfu.medical_settle(cost, discharged, 5000, 100, 'settle_cap25k') OVER w AS e,
               bangfu.medical_settle_grouped(person, cost, discharged, id, 5000, 100, 'settle_cap25k') OVER () AS eg,
               bangfu.capped('charity_bed_yearly', bangfu.medical_reduction(cost, discharged), discharged) OVER w AS f,
               bangfu.capped_grouped('charity_bed_yearly', person, bangfu.medical_reduction(cost, discharged), discharged, id, 0) OVER () AS fg,
               bangfu.capped('charity_bed_yearly', cost, discharged, 7000, 'settle_cap25k') OVER w AS g,
               bangfu.capped_grouped('charity_bed_yearly', person, cost, discharged, id, 7000, 'settle_cap25k') OVER () AS gg
          FROM caseload
        WINDOW w AS (PARTITION BY person ORDER BY discharged, id)) x;

-- The limits of section 5 (one limit per subject there), as expected there:
-- in one window, and in a window per limit.
SELECT count(*) AS rows_,
       count(*) FILTER (WHERE c IS NOT DISTINCT FROM exp) AS as_expected,
       count(*) FILTER (WHERE cl IS NOT DISTINCT FROM exp) AS as_expected_by_limit
  FROM (SELECT u.*, bangfu.capped_grouped(lim, subject, amount, on_date, id, 0) OVER () AS c,
               bangfu.capped_grouped(lim, subject, amount, on_date, id, 0) OVER (PARTITION BY lim) AS cl
          FROM uses u) x;

-- Subjects that are NULL are one subject, as PARTITION BY makes them one
-- partition: two stays of 60000 without a person share the yearly caps;
-- person 1's stay on the same date and key is another subject's.
SELECT who, id, (s).*
  FROM (SELECT coalesce(p::text, 'NULL') AS who, id,
               bangfu.medical_settle_grouped(p, cost, d, 1) OVER () AS s
          FROM (VALUES (NULL::int, 1, 60000::numeric, date '2026-02-01'), (NULL, 2, 60000, '2026-03-01'),
                       (1, 3, 60000, '2026-02-01')) v(p, id, cost, d)) x
 ORDER BY who, id;

-- A person's 3000 stays (qsort rather than insertion within a subject), and
-- text subjects under a case-insensitive collation: 'Li' and 'LI' are one
-- person there, two under the default collation.
SELECT count(*) AS stays,
       count(*) FILTER (WHERE a IS NOT DISTINCT FROM b) AS equal
  FROM (SELECT bangfu.medical_settle(cost, discharged) OVER (ORDER BY discharged, id) AS a,
               bangfu.medical_settle_grouped('one person'::text, cost, discharged, id) OVER () AS b
          FROM long_stays) x;
CREATE COLLATION pg_temp.case_blind (provider = icu, locale = 'und-u-ks-level2', deterministic = false);
SELECT name, id, (s).reduction AS default_collation, (t).reduction AS case_blind
  FROM (SELECT name, id,
               bangfu.medical_settle_grouped(name, 60000, d, id) OVER () AS s,
               bangfu.medical_settle_grouped(name COLLATE pg_temp.case_blind, 60000, d, id) OVER () AS t
          FROM (VALUES ('Li', 1, date '2026-02-01'), ('LI', 2, date '2026-03-01')) v(name, id, d)) x
 ORDER BY id;

-- A row with a NULL argument gets NULL and takes nothing, as in the ORDER BY
-- form: it is not judged (an infinite date, or a date and key another row
-- of the person has, give no error for it).
SELECT label, id, (s).*
  FROM (SELECT '1 NULL cost on an infinite date' AS label, id, bangfu.medical_settle_grouped(p, c, d, k) OVER () AS s
          FROM (VALUES (1, 1, 100::numeric, date '2026-01-01', 1::bigint), (2, 1, NULL, 'infinity', 2)) v(id, p, c, d, k)
        UNION ALL
        SELECT '2 NULL cost, same date and key', id, bangfu.medical_settle_grouped(p, c, d, k) OVER ()
          FROM (VALUES (1, 1, 100::numeric, date '2026-01-01', 1::bigint), (2, 1, NULL, '2026-01-01', 1)) v(id, p, c, d, k)
        UNION ALL
        SELECT '3 keyed: NULL cost, same date and key', id, bangfu.medical_settle(c, d, k) OVER ()
          FROM (VALUES (1, 100::numeric, date '2026-01-01', 1::bigint), (2, NULL, '2026-01-01', 1)) v(id, c, d, k)) x
 ORDER BY label, id;

-- Refused: two stays of one person on a date with one key, or both without
-- one (42P20; another person's stay on that date and key is no conflict;
-- with a row between them that gets NULL, still refused);
-- a subject type without a hash function (42883); a frame other than the
-- running frame (42P20); a subject changing its limit (22023).
SELECT call, t.state, t.result, t.message, t.detail
  FROM unnest(ARRAY[
    $$(SELECT count(s) FROM (SELECT bangfu.medical_settle_grouped(p, c, d, k) OVER () AS s FROM (VALUES (1, 1::numeric, date '2026-02-01', 7::bigint), (2, 2, '2026-02-01', 7)) v(p, c, d, k)) x)$$,
    $$(SELECT count(s) FROM (SELECT bangfu.medical_settle_grouped(p, c, d, k) OVER () AS s FROM (VALUES (1, 1::numeric, date '2026-02-01', 7::bigint), (1, 2, '2026-02-01', 7)) v(p, c, d, k)) x)$$,
    $$(SELECT count(s) FROM (SELECT bangfu.medical_settle_grouped(p, c, d, k) OVER () AS s FROM (VALUES ('a', 1::numeric, date '2026-02-01', NULL::bigint), ('a', 2, '2026-02-01', NULL)) v(p, c, d, k)) x)$$,
    $$(SELECT count(s) FROM (SELECT bangfu.medical_settle_grouped(p, c, d, k) OVER () AS s FROM (VALUES (1, 1::numeric, date '2026-02-01', 7::bigint), (1, NULL, '2026-02-01', 7), (1, 2, '2026-02-01', 7)) v(p, c, d, k)) x)$$,
    $$(SELECT count(s) FROM (SELECT bangfu.medical_settle_grouped(point(1, 2), 1, date '2026-02-01', 1) OVER () AS s) x)$$,
    $$(SELECT count(s) FROM (SELECT bangfu.medical_settle_grouped(1, 1, date '2026-02-01', 1) OVER (ORDER BY 1 ROWS BETWEEN 1 PRECEDING AND CURRENT ROW) AS s) x)$$,
    $$(SELECT count(c) FROM (SELECT bangfu.capped_grouped(l, 1, a, d, k, 0) OVER () AS c FROM (VALUES ('pension_months', 1::numeric, date '2026-01-01', 1::bigint), ('employer_subsidy_months', 1, '2026-01-02', 2)) v(l, a, d, k)) x)$$
  ]) AS call,
  LATERAL pg_temp.try('SELECT ' || call) AS t;

-- Memory: the grouped form holds the window's whole partition, within what
-- PostgreSQL gives a hash table (work_mem x hash_mem_multiplier; here 64 kB
-- x 2 = 131,072 bytes).  A row costs it 197 bytes (the keyed form's 57; the
-- row as read, 24; its group, 4; and for its subject at most 112: a count,
-- the integer between the two passes and up to six slots of 16 bytes) and a
-- copy of the cost (8 bytes): 639 rows fit, 640 do not (54000, nothing
-- computed).
SET work_mem = '64kB';
SET hash_mem_multiplier = 2;
SELECT n, t.state, t.result, t.message
  FROM (VALUES (639), (640)) v(n),
       LATERAL pg_temp.try(format($$SELECT count(s) FROM (SELECT bangfu.medical_settle_grouped(g %% 50, 100, date '2026-01-01' + g %% 300, g)
                                                              OVER () AS s FROM generate_series(1, %s) g) x$$, n)) AS t;
-- The window's store of the rows may spill to disk: the grouped form reads
-- it once, in its own order.  The wide rows of section 9 (the keyed form
-- refuses them at 64 kB) settle with room for the grouped form's own.
SET hash_mem_multiplier = 8;
SELECT t.state, t.result, t.message
  FROM pg_temp.try($$SELECT count(s) || ' ' || max(length(pad)) FROM (SELECT bangfu.medical_settle_grouped(id % 10, cost, d, id) OVER () AS s, pad FROM wide_stays) x$$) AS t;
RESET hash_mem_multiplier;
RESET work_mem;

DELETE FROM bangfu.scenario WHERE name IN ('settle_cap25k', 'cap25k_edu1500');
SELECT count(*) AS policy_versions_left
  FROM bangfu.policy WHERE valid_from = '2026-07-01';
