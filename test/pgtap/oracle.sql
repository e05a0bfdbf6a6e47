-- pgTAP: the rules of 二, 四, 五 and 八 against plain numeric SQL, row by row.
--
-- The C rules take shortcuts for speed (amounts read from numeric's stored
-- digits, results written the same way, a rate read from its digits, one
-- fraction per call site for plain rates, divisions by multiplication, the
-- default date read once per transaction).  Here each is checked against the
-- same rule written with PostgreSQL's own numeric arithmetic -- exact, and
-- round() rounds half away from zero as the spec asks -- over 20,000 seeded
-- random rows stored in a table (as a register stores them), plus the
-- amounts at every power of ten and one fen either side.  The shipped policy
-- is the one in force (no version is added here).  Each SQL formula divides
-- once, at the end: numeric division is exact only to about 20 digits, and a
-- quotient taken early (paid * 2 / 3, then * 3 / 4) can land a hair below a
-- half fen that the exact value sits on.
BEGIN;
SELECT plan(14);

SELECT setseed(0.4242);
CREATE TEMP TABLE o (
    n          integer PRIMARY KEY,
    amount     numeric(14,2) NOT NULL,
    p          numeric(12,2) NOT NULL,
    i          numeric(12,2) NOT NULL,
    u          numeric(12,2) NOT NULL,
    months     integer NOT NULL,
    before     integer NOT NULL,
    households integer NOT NULL,
    hires      integer NOT NULL,
    staff      integer NOT NULL,
    rate       numeric NOT NULL,
    loan_start date NOT NULL,
    period_from date NOT NULL,
    period_to  date NOT NULL
) ON COMMIT DROP;

-- Amounts from 0.01 to 10^10 yuan (log-uniform, so every digit group and
-- weight occurs), rates with 1 to 10 decimals, periods around the two-year
-- end of a loan's subsidy.
INSERT INTO o
SELECT g,
       round(exp(random() * ln(1e12))::numeric / 100, 2),
       round(exp(random() * ln(1e9))::numeric / 100, 2),
       round(exp(random() * ln(1e9))::numeric / 100, 2),
       round(exp(random() * ln(1e9))::numeric / 100, 2),
       1 + floor(random() * 12)::integer,
       floor(random() * 40)::integer,
       floor(random() * 2000000)::integer,
       h, h + floor(random() * 20)::integer,
       round((random() * 0.2)::numeric, 1 + floor(random() * 10)::integer),
       s, f, f + floor(random() * 400)::integer
FROM generate_series(1, 20000) AS g,
     LATERAL (SELECT floor(random() * 15)::integer + g * 0 AS h,
                     date '2023-01-01' + floor(random() * 1000)::integer + g * 0 AS s) AS x,
     LATERAL (SELECT x.s - 100 + floor(random() * 900)::integer AS f) AS y;
-- Every power of ten of yuan, and one fen either side.
INSERT INTO o
SELECT 100000 + k * 3 + d, greatest(0, power(10::numeric, k) + d * 0.01), 1000, 100, 200, 12, 0, 20000, 3, 10,
       0.0435, '2025-01-01', '2025-01-01', '2026-01-01'
FROM generate_series(0, 11) AS k, generate_series(-1, 1) AS d;

SELECT is((SELECT count(*) FROM o), 20036::bigint, 'the rows to check: 20,000 random and 36 at the powers of ten');

-- 五: 2/3 of the payment; pro rata for the months inside the 36.
SELECT is((SELECT count(*) FROM o WHERE bangfu.pension_subsidy(amount) <> round(amount * 2 / 3, 2)), 0::bigint,
          '五 pension_subsidy(paid) = round(paid * 2/3, 2) on every row');
SELECT is((SELECT count(*) FROM o
            WHERE bangfu.pension_subsidy(amount, months, before)
                  <> round(amount * 2 * greatest(0, least(months, 36 - before)) / (3 * months), 2)), 0::bigint,
          '五 pension_subsidy(paid, months, before) = round(paid * 2/3 * covered / months, 2) on every row');

-- 八(1): 10% + 25% + 50%, added exactly, rounded once.
SELECT is((SELECT count(*) FROM o
            WHERE bangfu.enterprise_subsidy(p, i, u) <> round(p * 0.10 + i * 0.25 + u * 0.50, 2)), 0::bigint,
          '八(1) enterprise_subsidy = round(p/10 + i/4 + u/2, 2) on every row');
SELECT is((SELECT count(*) FROM o
            WHERE bangfu.enterprise_subsidy(p, i, u, CURRENT_DATE + 0) <> bangfu.enterprise_subsidy(p, i, u)), 0::bigint,
          '八(1) the default date (read once per transaction) gives what today written out gives');

-- 二: the installments, and the quota.
SELECT is((SELECT count(*) FROM o, LATERAL bangfu.relief_installments(amount) AS r
            WHERE r.first_half <> ceil(amount * 100 / 2) / 100
               OR r.second_half <> amount - ceil(amount * 100 / 2) / 100), 0::bigint,
          '二 relief_installments: half rounded up to the fen, and the rest, on every row');
SELECT is((SELECT count(*) FROM o, LATERAL bangfu.relief_quota(households) AS q
            WHERE q.min_households <> ceil(households * 0.03) OR q.max_households <> floor(households * 0.05)), 0::bigint,
          '二 relief_quota = ceil(3%), floor(5%) on every row');

-- 八(2): the loan quota, compared exactly; the interest on the subsidised days.
SELECT is((SELECT count(*) FROM o
            WHERE bangfu.enterprise_loan_quota(hires, staff)
                  <> CASE WHEN hires >= 3 AND hires * 10 >= staff * 3 THEN 10000 * hires ELSE 0 END), 0::bigint,
          '八(2) enterprise_loan_quota = 10000 per hire when >= 3 hires and >= 30% of staff, on every row');
SELECT is((SELECT count(*) FROM o
            WHERE bangfu.loan_interest_subsidy(amount, rate, loan_start, period_from, period_to)
                  <> round(amount * rate
                           -- the second anniversary; of 29 February, 1 March (spec §8(2))
                           * greatest(0, least(period_to, (loan_start + interval '2 years')::date
                                                          + (to_char(loan_start, 'MM-DD') = '02-29')::int)
                                         - greatest(period_from, loan_start)) / 360, 2)), 0::bigint,
          '八(2) loan_interest_subsidy = round(principal * rate * days / 360, 2) on every row');
SELECT is((SELECT count(*) FROM o
            WHERE bangfu.loan_interest_subsidy(amount, rate, loan_start, period_from, period_to)
                  <> bangfu.loan_interest_subsidy(amount, rate::text::numeric, loan_start, period_from, period_to)), 0::bigint,
          '八(2) a rate read from a row and the same rate computed give the same interest');

-- 八(3): the tiers, a bound in the higher tier.
SELECT is((SELECT count(*) FROM o
            WHERE bangfu.handicraft_reward(amount)
                  <> CASE WHEN amount >= 1000000 THEN 20000 WHEN amount >= 500000 THEN 10000
                          WHEN amount >= 300000 THEN 5000 ELSE 0 END), 0::bigint,
          '八(3) handicraft_reward by its tiers on every row');

-- 四, the foundation's rules, by the same yardstick: flat brackets, the
-- 四(1) cap of 15,000 per stay after rounding, the 四(2) yearly 30,000 (no
-- relief yet this year).
SELECT is((SELECT count(*) FROM o
            WHERE bangfu.medical_reduction(amount)
                  <> least(15000, round(amount * CASE WHEN amount <= 6000 THEN 0.10 WHEN amount <= 12000 THEN 0.15
                                                      WHEN amount <= 20000 THEN 0.20 ELSE 0.25 END, 2))), 0::bigint,
          '四(1) medical_reduction by its brackets and cap on every row');
SELECT is((SELECT count(*) FROM o
            WHERE bangfu.illness_relief(amount)
                  <> least(30000, round(amount * CASE WHEN amount <= 10000 THEN 0.60 WHEN amount <= 20000 THEN 0.70
                                                      ELSE 0.80 END, 2))), 0::bigint,
          '四(2) illness_relief by its brackets, within the yearly 30,000, on every row');

-- Results are numerics of scale 2, as built-in arithmetic writes them.
SELECT is((SELECT count(*) FROM o
            WHERE bangfu.pension_subsidy(amount)::text <> round(amount * 2 / 3, 2)::text
               OR numeric_send(bangfu.enterprise_subsidy(p, i, u)) <> numeric_send(round(p * 0.10 + i * 0.25 + u * 0.50, 2))),
          0::bigint, 'results are byte for byte the numerics PostgreSQL writes');

SELECT * FROM finish();
ROLLBACK;
