-- bench/rules.sql: issue 3 "Quality bars", every rule function of 二, 五 and
-- 八 against the sum(abs(x)) floor over :rows rows (target: at most 1.5x).
--
-- psql variables: rows, rounds.
--
-- The floor is the foundation's (bench/medical.sql): sum(abs(x)) of a money
-- column x, i.e. reading a row, one trivial numeric function, one numeric
-- aggregate.  Each rule is measured over a table of its own, laid out so
-- that the floor reads no more of the row than the rule does:
--
-- - a rule with a money argument: x is that argument (the last one in the
--   row, so both sides unpack the same columns);
-- - a rule whose arguments are not money (a reason, counts, a sex and dates,
--   an ID number): x is a money column of the same row placed first (the
--   grant, the employer's loan, the hire's monthly wage), so the rule unpacks
--   more of each row than the floor.
--
-- - relief_quota turns a count into counts: its floor is sum(abs(x)) of
--   that count, an integer, like its result.
--
-- Each query aggregates the rule's whole result: a numeric result is summed,
-- a boolean counted, a numrange summed by its upper bound, a date or a
-- label compared and counted, a masked number counted (count evaluates it), and a table function's two columns both read (so
-- that the planner, which inlines it, cannot drop one).  The citizen-ID
-- accessors and the reason label are measured the same way.  on_date is left to its default (current_date) wherever
-- the rule has one.
--
-- A function that is not in the installed extension (to_regprocedure is
-- NULL) is skipped with a notice.

\set ON_ERROR_STOP on
SET client_min_messages = warning;

CREATE TEMP TABLE rule_cases (ord serial, label text, sig text, descr text, tbl text, q text);
INSERT INTO rule_cases (label, sig, descr, tbl, q) VALUES
    -- 二 temporary relief
    ('band', 'bangfu.relief_band(bangfu.relief_reason,date)',
     'relief_band(reason): sum(upper(...))', 'relief',
     'SELECT sum(upper(bangfu.relief_band(reason))) FROM bench.relief'),
    ('in_band', 'bangfu.relief_in_band(bangfu.relief_reason,numeric,date)',
     'relief_in_band(reason, amount)', 'relief',
     'SELECT sum(bangfu.relief_in_band(reason, amount)) FROM bench.relief'),
    ('installments', 'bangfu.relief_installments(numeric)',
     'relief_installments(amount): count(first_half >= second_half)', 'relief',
     'SELECT count(*) FILTER (WHERE i.first_half >= i.second_half) FROM bench.relief, LATERAL bangfu.relief_installments(amount) AS i'),
    ('reason_label', 'bangfu.relief_reason_label(bangfu.relief_reason)',
     'relief_reason_label(reason): count(label = ...)', 'relief',
     'SELECT count(*) FILTER (WHERE bangfu.relief_reason_label(reason) = ''因子女教育费用负担过重'') FROM bench.relief'),
    ('quota', 'bangfu.relief_quota(integer,date)',
     'relief_quota(households): sum(max - min)', 'quota',
     'SELECT sum(q.max_households - q.min_households) FROM bench.quota, LATERAL bangfu.relief_quota(households) AS q'),
    -- 五 pension subsidy
    ('pension', 'bangfu.pension_subsidy(numeric,date)', 'pension_subsidy(paid)', 'amounts',
     'SELECT sum(bangfu.pension_subsidy(paid)) FROM bench.amounts'),
    ('pension_months', 'bangfu.pension_subsidy(numeric,integer,integer,date)',
     'pension_subsidy(paid, months, months_before)', 'amounts',
     'SELECT sum(bangfu.pension_subsidy(paid, months, months_before)) FROM bench.amounts'),
    -- 八 employer incentives
    ('hte', 'bangfu.hard_to_employ(text,date,date)',
     'hard_to_employ(sex, birth_date, hired): count(true)', 'people',
     'SELECT count(*) FILTER (WHERE bangfu.hard_to_employ(sex, birth, hired)) FROM bench.people'),
    ('hte_id', 'bangfu.hard_to_employ(bangfu.cnid,date)',
     'hard_to_employ(id, hired): count(true)', 'people_id',
     'SELECT count(*) FILTER (WHERE bangfu.hard_to_employ(id, hired)) FROM bench.people_id'),
    ('cnid_birth', 'bangfu.birth_date(bangfu.cnid)',
     'birth_date(id): count(before 1980)', 'people_id',
     'SELECT count(*) FILTER (WHERE bangfu.birth_date(id) < DATE ''1980-01-01'') FROM bench.people_id'),
    ('cnid_sex', 'bangfu.sex(bangfu.cnid)',
     'sex(id): count(M)', 'people_id',
     'SELECT count(*) FILTER (WHERE bangfu.sex(id) = ''M'') FROM bench.people_id'),
    ('cnid_mask', 'bangfu.mask(bangfu.cnid)',
     'mask(id): count(mask(id))', 'people_id',
     'SELECT count(bangfu.mask(id)) FROM bench.people_id'),
    ('enterprise', 'bangfu.enterprise_subsidy(numeric,numeric,numeric,date)',
     'enterprise_subsidy(p, i, u)', 'employer_contributions',
     'SELECT sum(bangfu.enterprise_subsidy(p, i, u)) FROM bench.amounts'),
    ('loan_quota', 'bangfu.enterprise_loan_quota(integer,integer,date)',
     'enterprise_loan_quota(hires, staff)', 'employers',
     'SELECT sum(bangfu.enterprise_loan_quota(hires, staff)) FROM bench.employers'),
    ('interest', 'bangfu.loan_interest_subsidy(numeric,numeric,date,date,date)',
     'loan_interest_subsidy(principal, rate, start, from, to)', 'loans',
     'SELECT sum(bangfu.loan_interest_subsidy(principal, rate, loan_start, period_from, period_to)) FROM bench.loans'),
    ('handicraft', 'bangfu.handicraft_reward(numeric,date)', 'handicraft_reward(sales)', 'sales',
     'SELECT sum(bangfu.handicraft_reward(sales)) FROM bench.amounts');

-- The floor of each table: x, and what it stands for.
CREATE TEMP TABLE rule_floors (tbl text PRIMARY KEY, descr text, q text);
INSERT INTO rule_floors VALUES
    ('relief', 'floor: sum(abs(amount)), the grant',
     'SELECT sum(abs(amount)) FROM bench.relief'),
    ('quota', 'floor: sum(abs(households)), an integer',
     'SELECT sum(abs(households)) FROM bench.quota'),
    ('amounts', 'floor: sum(abs(paid))',
     'SELECT sum(abs(paid)) FROM bench.amounts'),
    ('people', 'floor: sum(abs(wage)), the hire''s monthly wage',
     'SELECT sum(abs(wage)) FROM bench.people'),
    ('people_id', 'floor: sum(abs(wage)), the hire''s monthly wage',
     'SELECT sum(abs(wage)) FROM bench.people_id'),
    ('employer_contributions', 'floor: sum(abs(u))',
     'SELECT sum(abs(u)) FROM bench.amounts'),
    ('employers', 'floor: sum(abs(loan)), the loan asked for',
     'SELECT sum(abs(loan)) FROM bench.employers'),
    ('loans', 'floor: sum(abs(principal))',
     'SELECT sum(abs(principal)) FROM bench.loans'),
    ('sales', 'floor: sum(abs(sales))',
     'SELECT sum(abs(sales)) FROM bench.amounts');

INSERT INTO bench.notices (section, msg)
SELECT 'rules', descr || ': skipped, ' || sig || ' is not in the installed extension'
FROM rule_cases WHERE to_regprocedure(sig) IS NULL ORDER BY ord;
DELETE FROM rule_cases WHERE to_regprocedure(sig) IS NULL;

SELECT count(*) > 0 AS any_rule FROM rule_cases \gset
\if :any_rule
SELECT setseed(0.2025);

-- 五 and 八(1)/八(3): a payment, months, an employer's three monthly
-- contributions, a year's handicraft sales (log-normal around 400,000, about
-- half the rows in the reward tiers).
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

-- 二: grants of 500 to 6,000 (some outside their band) for the four reasons.
CREATE TABLE bench.relief (
    amount numeric(12,2) NOT NULL,
    reason bangfu.relief_reason NOT NULL
);
INSERT INTO bench.relief
SELECT round((500 + random() * 5500)::numeric, 2),
       (enum_range(NULL::bangfu.relief_reason))[1 + floor(random() * 4)::integer]
FROM generate_series(1, :rows);

-- 二 quota: a county's urban households, 1,000 to 500,000.
CREATE TABLE bench.quota (
    households integer NOT NULL
);
INSERT INTO bench.quota
SELECT 1000 + floor(random() * 499000)::integer
FROM generate_series(1, :rows);

-- 八(1) hires: monthly wage, sex (M/F/男/女), born 1960-1999, hired 2025-2026.
CREATE TABLE bench.people (
    wage   numeric(12,2) NOT NULL,
    sex    text NOT NULL,
    birth  date NOT NULL,
    hired  date NOT NULL
);
INSERT INTO bench.people
SELECT round((1800 + random() * 6000)::numeric, 2),
       (ARRAY['M', 'F', '男', '女'])[1 + floor(random() * 4)::integer],
       date '1960-01-01' + floor(random() * 14600)::integer,
       date '2025-01-01' + floor(random() * 700)::integer
FROM generate_series(1, :rows);

-- The same hires keyed by ID number: legacy 15-digit numbers (19xx births),
-- which bangfu.cnid converts to 18 characters with their check character.
CREATE TABLE bench.people_id (
    wage  numeric(12,2) NOT NULL,
    id    bangfu.cnid NOT NULL,
    hired date NOT NULL
);
INSERT INTO bench.people_id
SELECT round((1800 + random() * 6000)::numeric, 2),
       ('620102' || to_char(date '1960-01-01' + floor(random() * 14600)::integer, 'YYMMDD')
        || lpad(floor(random() * 1000)::integer::text, 3, '0'))::bangfu.cnid,
       date '2025-01-01' + floor(random() * 700)::integer
FROM generate_series(1, :rows);

-- 八(2) employers: the loan asked for, hardship hires and staff (hires <= staff).
CREATE TABLE bench.employers (
    loan  numeric(12,2) NOT NULL,
    hires integer NOT NULL,
    staff integer NOT NULL
);
INSERT INTO bench.employers
SELECT round((10000 + random() * 490000)::numeric, 2), h, h + floor(random() * 30)::integer
FROM (SELECT floor(random() * 12)::integer AS h FROM generate_series(1, :rows)) AS g;

-- 八(2) loans: started 2023-2025, subsidy periods straddling the two-year
-- end, rates 3.0% to 5.9% in steps of 0.1%.
CREATE TABLE bench.loans (
    loan_start  date NOT NULL,
    period_from date NOT NULL,
    period_to   date NOT NULL,
    rate        numeric(6,4) NOT NULL,
    principal   numeric(12,2) NOT NULL
);
INSERT INTO bench.loans
SELECT s, s + floor(random() * 800)::integer, s + 800 + floor(random() * 400)::integer,
       0.03 + floor(random() * 30) / 1000, round((10000 + random() * 490000)::numeric, 2)
FROM (SELECT date '2023-01-01' + floor(random() * 900)::integer AS s
      FROM generate_series(1, :rows)) AS g;

VACUUM ANALYZE bench.amounts, bench.relief, bench.quota, bench.people, bench.people_id,
               bench.employers, bench.loans;

-- One floor per table that a rule uses, then the rules, in order.
SELECT bench.add_case('rules', 'floor_' || f.tbl, f.descr, f.q, :rows)
FROM rule_floors f
WHERE f.tbl IN (SELECT tbl FROM rule_cases)
ORDER BY (SELECT min(ord) FROM rule_cases c WHERE c.tbl = f.tbl);
SELECT bench.add_case('rules', label, descr, q, :rows) FROM rule_cases ORDER BY ord;

INSERT INTO bench.ratios (section, name, num, den, target)
SELECT 'rules', descr || ' / floor', label, ARRAY['floor_' || tbl], '<= 1.5'
FROM rule_cases ORDER BY ord;

-- enterprise_subsidy (three amounts) against a floor over all three, for
-- information.
SELECT bench.add_case('rules', 'floor_enterprise3', 'floor with three inputs: sum(greatest(p, i, u))',
                      'SELECT sum(greatest(p, i, u)) FROM bench.amounts', :rows)
WHERE EXISTS (SELECT FROM rule_cases WHERE label = 'enterprise');
INSERT INTO bench.ratios (section, name, num, den, target)
SELECT 'rules', 'enterprise_subsidy(p, i, u) / three-input floor', 'enterprise', ARRAY['floor_enterprise3'], NULL
WHERE EXISTS (SELECT FROM rule_cases WHERE label = 'enterprise');

SELECT bench.run_section('rules', :rounds);
\endif
