-- bench/rules.sql: issue 3 "Quality bars", each scalar rule function against
-- the sum(abs(x)) floor over :rows rows (target: at most 1.5x).
--
-- psql variables: rows, rounds.
--
-- A function that is not in the installed extension yet (to_regprocedure is
-- NULL) is skipped with a notice; set-returning functions
-- (relief_installments, relief_quota) are not benchmarked.
--
-- The floor is sum(abs()) of the function's money argument that comes last
-- in the table, so both sides deform the same columns of each tuple (the
-- columns are ordered for that); on_date is left to its default
-- (current_date).
--
-- Data (seeded): paid: a pension payment, 100..12,000; months 1..12 and
-- months_before 0..40 for the pro-rata variant; sales: log-normal around
-- 400,000 (about half the rows in the reward tiers), up to 3,000,000;
-- p/i/u: an employer's monthly pension, work-injury and unemployment
-- contributions.

\set ON_ERROR_STOP on
SET client_min_messages = warning;

CREATE TEMP TABLE rule_cases (ord serial, label text, sig text, descr text, floor_q text, q text);
INSERT INTO rule_cases (label, sig, descr, floor_q, q) VALUES
    ('pension', 'bangfu.pension_subsidy(numeric,date)', 'pension_subsidy(paid)',
     'SELECT sum(abs(paid)) FROM bench.amounts',
     'SELECT sum(bangfu.pension_subsidy(paid)) FROM bench.amounts'),
    ('pension_months', 'bangfu.pension_subsidy(numeric,integer,integer,date)',
     'pension_subsidy(paid, months, months_before)',
     'SELECT sum(abs(paid)) FROM bench.amounts',
     'SELECT sum(bangfu.pension_subsidy(paid, months, months_before)) FROM bench.amounts'),
    ('handicraft', 'bangfu.handicraft_reward(numeric,date)', 'handicraft_reward(sales)',
     'SELECT sum(abs(sales)) FROM bench.amounts',
     'SELECT sum(bangfu.handicraft_reward(sales)) FROM bench.amounts'),
    ('enterprise', 'bangfu.enterprise_subsidy(numeric,numeric,numeric,date)',
     'enterprise_subsidy(p, i, u)',
     'SELECT sum(abs(u)) FROM bench.amounts',
     'SELECT sum(bangfu.enterprise_subsidy(p, i, u)) FROM bench.amounts');

INSERT INTO bench.notices (section, msg)
SELECT 'rules', descr || ': skipped, ' || sig || ' is not in the installed extension'
FROM rule_cases WHERE to_regprocedure(sig) IS NULL ORDER BY ord;
INSERT INTO bench.notices (section, msg)
SELECT 'rules', p.oid::regprocedure || ': set-returning, not benchmarked'
FROM pg_proc p
WHERE p.pronamespace = to_regnamespace('bangfu')
  AND p.proname IN ('relief_installments', 'relief_quota')
ORDER BY 1;

SELECT count(*) > 0 AS any_rule FROM rule_cases WHERE to_regprocedure(sig) IS NOT NULL \gset
\if :any_rule
SELECT setseed(0.2025);
CREATE TABLE bench.amounts (
    months        integer NOT NULL,
    months_before integer NOT NULL,
    paid          numeric(12,2) NOT NULL,
    p             numeric(12,2) NOT NULL,
    i             numeric(12,2) NOT NULL,
    u             numeric(12,2) NOT NULL,
    sales         numeric(14,2) NOT NULL
);
INSERT INTO bench.amounts
SELECT 1 + floor(random() * 12)::integer,
       floor(random() * 41)::integer,
       round((100 + random() * 11900)::numeric, 2),
       round((300 + random() * 1200)::numeric, 2),
       round((10 + random() * 90)::numeric, 2),
       round((20 + random() * 180)::numeric, 2),
       least(3000000, round(exp(ln(400000) + 0.8 * sqrt(-2 * ln(1 - random()))
                                                  * cos(2 * pi() * random()))::numeric, 2))
FROM generate_series(1, :rows);
VACUUM ANALYZE bench.amounts;

SELECT bench.add_case('rules', label || '_floor', 'floor for ' || descr || ': ' || substring(floor_q from 'SELECT (.*) FROM'),
                      floor_q, :rows),
       bench.add_case('rules', label, descr, q, :rows)
FROM rule_cases WHERE to_regprocedure(sig) IS NOT NULL ORDER BY ord;

INSERT INTO bench.ratios (section, name, num, den, target)
SELECT 'rules', descr || ' / floor', label, ARRAY[label || '_floor'], '<= 1.5'
FROM rule_cases WHERE to_regprocedure(sig) IS NOT NULL ORDER BY ord;

-- enterprise_subsidy reads three amounts where the floor reads one: for
-- information, a floor of one trivial built-in expression over the same
-- three columns.
SELECT bench.add_case('rules', 'enterprise_floor3', 'floor with three inputs: sum(greatest(p, i, u))',
                      'SELECT sum(greatest(p, i, u)) FROM bench.amounts', :rows)
WHERE to_regprocedure('bangfu.enterprise_subsidy(numeric,numeric,numeric,date)') IS NOT NULL;
INSERT INTO bench.ratios (section, name, num, den, target)
SELECT 'rules', 'enterprise_subsidy(p, i, u) / three-input floor', 'enterprise', ARRAY['enterprise_floor3'], NULL
WHERE to_regprocedure('bangfu.enterprise_subsidy(numeric,numeric,numeric,date)') IS NOT NULL;

SELECT bench.run_section('rules', :rounds);
\endif
