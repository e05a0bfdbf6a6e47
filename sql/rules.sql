-- 二 temporary relief, 五 pension subsidy, 八 employer incentives, read from
-- the dated policy store.
--
-- Every expected value is a worked example of doc/clauses.md §2, §5 and §8 or a
-- hand calculation in the comment beside it.  Rows carry the expected value
-- and an "ok" column.  Dates are explicit: the shipped defaults apply from
-- -infinity, the versions added in section 9 from 2090-01-01 (and are rolled
-- back).
-- Quiet whether or not an earlier file made the extension.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS bangfu;
RESET client_min_messages;

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
-- 1. 二 relief reasons, labels and bands.
-- clauses.md: critical_illness 2000–5000, disability_chronic 1000–2000,
-- education 1000–2000, single_parent_other 1000–1500, inclusive.
-- ---------------------------------------------------------------------------
SELECT r AS reason, bangfu.relief_reason_label(r) AS label,
       bangfu.relief_band(r, '2025-06-30') AS band,
       lower_inc(bangfu.relief_band(r, '2025-06-30')) AND upper_inc(bangfu.relief_band(r, '2025-06-30')) AS inclusive
  FROM unnest(enum_range(NULL::bangfu.relief_reason)) AS r;

SELECT bangfu.relief_band_explain('critical_illness', '2025-06-30');

-- An amount moved into the band: one fen either side of each bound.
SELECT reason, amount, want, bangfu.relief_in_band(reason, amount, '2025-06-30') AS got,
       bangfu.relief_in_band(reason, amount, '2025-06-30')::text = want AS ok
  FROM (VALUES
    ('education'::bangfu.relief_reason, 0::numeric, '1000.00'),
    ('education',           999.99,  '1000.00'),
    ('education',           1000,    '1000.00'),
    ('education',           1000.01, '1000.01'),
    ('education',           1999.99, '1999.99'),
    ('education',           2000,    '2000.00'),
    ('education',           2000.01, '2000.00'),
    ('critical_illness',    1999.99, '2000.00'),
    ('critical_illness',    5000.01, '5000.00'),
    ('single_parent_other', 1500.01, '1500.00'),
    ('disability_chronic',  1234.56, '1234.56')
  ) AS t(reason, amount, want);

SELECT bangfu.relief_in_band_explain('education', 999.99, '2025-06-30') - 'policy' AS explained;

-- An unknown reason is refused with 22023 naming the argument and the rule,
-- by every function that takes a reason (doc/clauses.md §0; before 0.3.0 a quoted
-- literal went to the enum's input function, whose 22P02 names neither).
SELECT call, t.state, t.message, t.detail
  FROM unnest(ARRAY[
    $$bangfu.relief_band('gambling', '2025-06-30')$$,
    $$bangfu.relief_band('gambling')$$,
    $$bangfu.relief_band('drug_use', '2025-06-30', 'no_scenario_needed')$$,
    $$bangfu.relief_band_explain('Education', '2025-06-30')$$,
    $$bangfu.relief_band_explain('', '2025-06-30', 'x')$$,
    $$bangfu.relief_in_band('gambling', 1500, '2025-06-30')$$,
    $$bangfu.relief_in_band(' education', 1500)$$,
    $$bangfu.relief_in_band('gambling', 1500, '2025-06-30', 'x')$$,
    $$bangfu.relief_in_band_explain('critical', 1500, '2025-06-30')$$,
    $$bangfu.relief_in_band_explain('gambling', 1500, '2025-06-30', 'x')$$,
    $$bangfu.relief_reason_label('gambling')$$,
    $$bangfu.relief_band('gambling'::text, '2025-06-30')$$,
    $$bangfu.relief_band(repeat('x', 100), '2025-06-30')$$
  ]) AS call,
  LATERAL pg_temp.try('SELECT ' || call) AS t;
-- A known reason with a bad amount: the amount's own error.
SELECT t.state, t.message
  FROM pg_temp.try($$SELECT bangfu.relief_in_band('education', -1, '2025-06-30')$$) AS t;
-- A cast to the enum still gives the enum's own error (it is not a call).
SELECT t.state, t.message
  FROM pg_temp.try($$SELECT bangfu.relief_band('gambling'::bangfu.relief_reason, '2025-06-30')$$) AS t;

-- Known codes as text give what the enum gives, in every call shape a
-- clerk writes; none of them is ambiguous.
SELECT r::text AS reason,
       bangfu.relief_band(r::text, '2025-06-30') = bangfu.relief_band(r, '2025-06-30') AS band_same,
       bangfu.relief_in_band(r::text, 1700, '2025-06-30') = bangfu.relief_in_band(r, 1700, '2025-06-30') AS in_band_same,
       bangfu.relief_band_explain(r::text, '2025-06-30') = bangfu.relief_band_explain(r, '2025-06-30') AS explain_same,
       bangfu.relief_in_band_explain(r::text, 99, '2025-06-30') = bangfu.relief_in_band_explain(r, 99, '2025-06-30') AS in_band_explain_same,
       bangfu.relief_reason_label(r::text) = bangfu.relief_reason_label(r) AS label_same
  FROM unnest(enum_range(NULL::bangfu.relief_reason)) AS r;
SELECT bangfu.relief_band('education') AS one_literal,
       bangfu.relief_band('education', '2025-06-30') AS two_literals,
       bangfu.relief_in_band('education', 999.99) AS literal_and_number,
       bangfu.relief_in_band('education', '2500', '2025-06-30') AS three_literals,
       bangfu.relief_reason_label('education') AS label,
       bangfu.relief_band_explain('education', '2025-06-30')->>'band' AS explained,
       bangfu.relief_band_explain('education')->>'reason' AS explained_today,
       bangfu.relief_in_band_explain('education', 999.99)->>'result' AS in_band_explained;
-- Which function each call shape resolves to: a literal takes the text
-- form, a value of the enum type the enum form (the one a caseload read
-- from bangfu_register.relief_grant uses, and the one measured in bench/).
CREATE TEMP TABLE reason_probe (reason bangfu.relief_reason, code text, amount numeric);
CREATE TEMP VIEW reason_calls AS
SELECT bangfu.relief_band(reason) AS a, bangfu.relief_band(code) AS b, bangfu.relief_band('education') AS c,
       bangfu.relief_in_band(reason, amount) AS d, bangfu.relief_in_band('education', amount, '2025-06-30') AS e,
       bangfu.relief_reason_label(reason) AS f, bangfu.relief_reason_label('education') AS g,
       bangfu.relief_band(NULL) AS h
  FROM reason_probe;
SELECT DISTINCT d.refobjid::regprocedure::text AS resolves_to
  FROM pg_depend d JOIN pg_rewrite w ON w.oid = d.objid
 WHERE w.ev_class = 'reason_calls'::regclass AND d.refclassid = 'pg_proc'::regclass
 ORDER BY 1;
SELECT bangfu.relief_band(NULL, '2025-06-30') IS NULL AS null_reason,
       bangfu.relief_band('education', NULL) IS NULL AS null_date,
       bangfu.relief_reason_label(NULL) IS NULL AS null_label,
       bangfu.relief_in_band('education', NULL, '2025-06-30') IS NULL AS null_amount;

-- ---------------------------------------------------------------------------
-- 2. 二 two installments: first = half rounded up to the fen, second = rest.
-- clauses.md: 1500.01 → 750.01 + 750.00.
-- ---------------------------------------------------------------------------
SELECT amount, want_first, want_second, i.first_half, i.second_half,
       i.first_half::text = want_first AND i.second_half::text = want_second
       AND i.first_half + i.second_half = amount AS ok
  FROM (VALUES
    (1500.01::numeric, '750.01', '750.00'),
    (1500,             '750.00', '750.00'),
    (1500.02,          '750.01', '750.01'),
    (1999.99,          '1000.00', '999.99'),
    (5000,             '2500.00', '2500.00'),
    (0.01,             '0.01', '0.00'),
    (0,                '0.00', '0.00'),
    (1000000000000,    '500000000000.00', '500000000000.00'),
    (999999999999.99,  '500000000000.00', '499999999999.99')
  ) AS t(amount, want_first, want_second),
  LATERAL bangfu.relief_installments(amount) AS i;

SELECT bangfu.relief_installments_explain(1500.01);

SELECT amount, t.state, t.message, t.detail
  FROM unnest(ARRAY['-0.01', '1500.001', 'NaN', 'Infinity', '1000000000000.01']) AS amount,
       LATERAL pg_temp.try(format('SELECT first_half FROM bangfu.relief_installments(%L::numeric)', amount)) AS t;
-- NULL in, one row of NULLs out (the scalar parts are strict).
SELECT count(*) AS rows_for_null, count(first_half) AS first_not_null, count(second_half) AS second_not_null
  FROM bangfu.relief_installments(NULL);
-- The parts as scalars, at the rounding point and one fen either side.
SELECT amount, bangfu.relief_first_half(amount) AS first_half,
       bangfu.relief_second_half(amount) AS second_half
  FROM unnest(ARRAY[1500.00, 1500.01, 1500.02, 0.01, 0]::numeric[]) AS amount;
-- relief_installments is inlined into the query: no table function per row.
CREATE TEMP TABLE inline_probe (amount numeric(12,2), households integer);
EXPLAIN (COSTS OFF, VERBOSE)
SELECT sum(i.first_half) FROM inline_probe, LATERAL bangfu.relief_installments(amount) AS i;

-- ---------------------------------------------------------------------------
-- 3. 二 quota: at least ceil(3%), at most floor(5%) of urban households.
-- clauses.md: 20,000 households → 600 to 1,000.
-- ---------------------------------------------------------------------------
SELECT households, want_min, want_max, q.min_households, q.max_households,
       q.min_households = want_min AND q.max_households = want_max AS ok
  FROM (VALUES
    (20000, 600, 1000),
    (19999, 600, 999),         -- 599.97 up, 999.95 down
    (20001, 601, 1000),        -- 600.03 up, 1000.05 down
    (20020, 601, 1001),        -- 600.6, 1001
    (100,   3,   5),
    (34,    1,   1),           -- 1.02 up is 2, 1.7 down is 1: the ceiling holds, 1 to 1
    (33,    1,   1),           -- 0.99, 1.65
    (39,    1,   1),           -- 1.17 up is 2, 1.95 down is 1
    (40,    2,   2),           -- 1.2, 2
    (1,     0,   0),           -- 0.03 up is 1, 0.05 down is 0
    (19,    0,   0),           -- 0.57, 0.95
    (20,    1,   1),           -- 0.6, 1
    (0,     0,   0),
    (2147483647, 64424510, 107374182)   -- 64424509.41, 107374182.35
  ) AS t(households, want_min, want_max),
  LATERAL bangfu.relief_quota(households, '2025-06-30') AS q;

SELECT bangfu.relief_quota_explain(20001, '2025-06-30') - 'policy' AS explained;

-- clauses.md §2: where ceil(3%) would exceed floor(5%), the lower figure
-- is the ceiling; the ceiling always holds.  Every count from 0 to 60
-- against the figures worked out here in integers: ceil(3n/100) is
-- (3n + 99) / 100, floor(5n/100) is 5n / 100.  The counts where the
-- ceiling lowers the floor are listed: 1-19 and 34-39.
SELECT count(*) AS counts,
       count(*) FILTER (WHERE q.min_households = least((3 * n + 99) / 100, 5 * n / 100)
                          AND q.max_households = 5 * n / 100
                          AND q.min_households <= q.max_households) AS ok,
       string_agg(n::text, ',' ORDER BY n) FILTER (WHERE (3 * n + 99) / 100 > 5 * n / 100) AS ceiling_lowers_floor,
       count(*) FILTER (WHERE bangfu.relief_quota_min(n, '2025-06-30') = q.min_households
                          AND bangfu.relief_quota_max(n, '2025-06-30') = q.max_households
                          AND (bangfu.relief_quota_explain(n, '2025-06-30')->>'min_households')::int = q.min_households
                          AND (bangfu.relief_quota_explain(n, '2025-06-30')->>'max_households')::int = q.max_households)
         AS parts_and_explain_agree
  FROM generate_series(0, 60) AS n, LATERAL bangfu.relief_quota(n, '2025-06-30') AS q;
-- The same from a table (the fast path of the two parts) and under a
-- scenario (the long way).
INSERT INTO inline_probe (households) SELECT n FROM generate_series(0, 60) AS n;
BEGIN;
INSERT INTO bangfu.scenario (name) VALUES ('same_quota');
SELECT count(*) AS rows,
       count(*) FILTER (WHERE bangfu.relief_quota_min(households, '2025-06-30') = least((3 * households + 99) / 100, 5 * households / 100)) AS min_ok,
       count(*) FILTER (WHERE bangfu.relief_quota_min(households, '2025-06-30', 'same_quota') = least((3 * households + 99) / 100, 5 * households / 100)) AS scenario_min_ok
  FROM inline_probe;
ROLLBACK;
TRUNCATE inline_probe;
SELECT jsonb_pretty(bangfu.relief_quota_explain(34, '2025-06-30') - 'policy');

SELECT t.state, t.message, t.detail
  FROM pg_temp.try($$SELECT min_households FROM bangfu.relief_quota(-1, '2025-06-30')$$) AS t;
SELECT count(*) AS rows_for_null, count(min_households) AS min_not_null, count(max_households) AS max_not_null
  FROM bangfu.relief_quota(NULL, '2025-06-30');
SELECT bangfu.relief_quota_min(19999, '2025-06-30') AS least, bangfu.relief_quota_max(19999, '2025-06-30') AS most;
EXPLAIN (COSTS OFF, VERBOSE)
SELECT sum(q.max_households) FROM inline_probe, LATERAL bangfu.relief_quota(households, '2025-06-30') AS q;

-- ---------------------------------------------------------------------------
-- 4. 五 pension subsidy: 2/3 of the payment, exact, rounded once.
-- clauses.md: 3000 → 2000.00; 1000 → 666.67; 100.01 → 66.67.
-- ---------------------------------------------------------------------------
SELECT paid, want, bangfu.pension_subsidy(paid, '2025-06-30') AS got,
       bangfu.pension_subsidy(paid, '2025-06-30')::text = want AS ok
  FROM (VALUES
    (3000::numeric, '2000.00'),
    (1000,          '666.67'),    -- 666.666…
    (100.01,        '66.67'),     -- 66.6733…
    (100.02,        '66.68'),     -- 66.68
    (100,           '66.67'),
    (1,             '0.67'),
    (0.04,          '0.03'),      -- 0.02666…
    (0.03,          '0.02'),
    (0.02,          '0.01'),      -- 0.01333…
    (0.01,          '0.01'),      -- 0.00666…
    (0,             '0.00'),
    (1000000000000, '666666666666.67')
  ) AS t(paid, want);

-- The one-argument and three-argument calls resolve without casts.
SELECT bangfu.pension_subsidy(1000) AS one_arg, bangfu.pension_subsidy(1000, 12, 0) AS three_args,
       bangfu.pension_subsidy(1000, '2025-06-30') AS with_date,
       bangfu.pension_subsidy(1000, 12, 0, '2025-06-30') AS pro_rata_with_date;

-- Pro rata for the months still inside the 36-month limit.
SELECT paid, months, before, want, bangfu.pension_subsidy(paid, months, before, '2025-06-30') AS got,
       bangfu.pension_subsidy(paid, months, before, '2025-06-30')::text = want AS ok
  FROM (VALUES
    (1000::numeric, 12, 0,  '666.67'),
    (3000,          12, 0,  '2000.00'),
    (1200,          12, 24, '800.00'),     -- 12 months left, all covered
    (1200,          12, 25, '733.33'),     -- 11 of 12: 1200·11/12·2/3 = 733.33…
    (1200,          12, 30, '400.00'),     -- 6 of 12
    (1200,          12, 35, '66.67'),      -- 1 of 12: 66.666…
    (1200,          12, 36, '0.00'),       -- used up
    (1200,          12, 37, '0.00'),
    (1000,          36, 0,  '666.67'),     -- exactly the limit
    (1000,          37, 0,  '648.65'),     -- 36 of 37: 24000/37 = 648.648…
    (1000,          1,  35, '666.67'),
    (1000,          1,  36, '0.00'),
    (1000,          7,  30, '571.43'),     -- 6 of 7: 4000/7 = 571.428…
    (100.01,        3,  34, '44.45'),      -- 2 of 3: 400.04/9 = 44.448…
    (1.00,          3,  34, '0.44'),       -- 4/9 = 0.444…; rounding twice would give 0.67·2/3 → 0.45
    (0,             12, 0,  '0.00')
  ) AS t(paid, months, before, want);

SELECT jsonb_pretty(bangfu.pension_subsidy_explain(1200, 12, 25, '2025-06-30'));
SELECT bangfu.pension_subsidy_explain(100.01, '2025-06-30') - 'policy' AS explained;

SELECT call, t.state, t.message, t.detail
  FROM unnest(ARRAY[
    $$bangfu.pension_subsidy(-0.01, '2025-06-30')$$,
    $$bangfu.pension_subsidy(1000.001, '2025-06-30')$$,
    $$bangfu.pension_subsidy('NaN', '2025-06-30')$$,
    $$bangfu.pension_subsidy('-Infinity', '2025-06-30')$$,
    $$bangfu.pension_subsidy(1000000000000.01, '2025-06-30')$$,
    $$bangfu.pension_subsidy(1000, 0, 0, '2025-06-30')$$,
    $$bangfu.pension_subsidy(1000, -12, 0, '2025-06-30')$$,
    $$bangfu.pension_subsidy(1000, 12, -1, '2025-06-30')$$,
    $$bangfu.pension_subsidy(-1, 12, 0, '2025-06-30')$$
  ]) AS call,
  LATERAL pg_temp.try('SELECT ' || call) AS t;

SELECT bangfu.pension_subsidy(NULL, '2025-06-30') IS NULL AS null_paid,
       bangfu.pension_subsidy(1000, NULL::date) IS NULL AS null_date,
       bangfu.pension_subsidy(1000, NULL, 0, '2025-06-30') IS NULL AS null_months,
       bangfu.pension_subsidy(1000, 12, NULL, '2025-06-30') IS NULL AS null_before;

-- ---------------------------------------------------------------------------
-- 5. 八(1) hard-to-employ: a man who has reached 45, a woman who has reached
-- 40 (年满: on the birthday counts).  Born 29 February: the birthday is
-- 1 March in common years, 29 February in leap years.
-- ---------------------------------------------------------------------------
SELECT sex, birth, hired, want, bangfu.hard_to_employ(sex, birth, hired) AS got,
       bangfu.hard_to_employ(sex, birth, hired) = want AS ok
  FROM (VALUES
    ('M', '1980-06-15'::date, '2025-06-14'::date, false),   -- 44, the day before
    ('M', '1980-06-15', '2025-06-15', true),                 -- 45 on the birthday
    ('M', '1980-06-15', '2025-06-16', true),
    ('男', '1980-06-15', '2025-06-15', true),
    ('男', '1980-06-15', '2025-06-14', false),
    ('M', '1985-06-15', '2025-06-15', false),                -- a man of 40
    ('F', '1985-06-15', '2025-06-14', false),                -- 39, the day before
    ('F', '1985-06-15', '2025-06-15', true),
    ('女', '1985-06-15', '2025-06-16', true),
    ('女', '1985-06-16', '2025-06-15', false),
    ('F', '1990-01-01', '2025-06-15', false),
    ('M', '1979-12-31', '2024-12-30', false),                -- across the new year
    ('M', '1979-12-31', '2024-12-31', true),
    ('M', '1980-01-01', '2024-12-31', false),
    ('M', '1980-01-01', '2025-01-01', true),
    ('M', '1984-02-29', '2029-02-28', false),                -- 2029 is common
    ('M', '1984-02-29', '2029-03-01', true),
    ('F', '1984-02-29', '2024-02-28', false),                -- 2024 is leap
    ('F', '1984-02-29', '2024-02-29', true),
    ('F', '1984-02-29', '2024-03-01', true),
    ('F', '2060-02-29', '2100-02-28', false),                -- 2100 is common
    ('F', '2060-02-29', '2100-03-01', true),
    ('F', '1950-01-01', '2025-01-01', true),
    ('M', '2025-01-01', '2025-01-01', false)                 -- born on the hire date
  ) AS t(sex, birth, hired, want);

SELECT jsonb_pretty(bangfu.hard_to_employ_explain('M', '1984-02-29', '2029-03-01'));

SELECT call, t.state, t.message, t.detail
  FROM unnest(ARRAY[
    $$bangfu.hard_to_employ('m', '1980-01-01', '2025-06-30')$$,
    $$bangfu.hard_to_employ('male', '1980-01-01', '2025-06-30')$$,
    $$bangfu.hard_to_employ('', '1980-01-01', '2025-06-30')$$,
    $$bangfu.hard_to_employ(' M', '1980-01-01', '2025-06-30')$$,
    $$bangfu.hard_to_employ('X', '1980-01-01', '2025-06-30')$$,
    $$bangfu.hard_to_employ('男性', '1980-01-01', '2025-06-30')$$,
    $$bangfu.hard_to_employ('M', '2025-07-01', '2025-06-30')$$,
    $$bangfu.hard_to_employ('M', '-infinity', '2025-06-30')$$,
    $$bangfu.hard_to_employ('M', '1980-01-01', 'infinity')$$
  ]) AS call,
  LATERAL pg_temp.try('SELECT ' || call) AS t;

-- Sex read from a stored row where the next byte is not zero (a "char"
-- column follows the text): the label is matched on its own length.
CREATE TEMP TABLE sex_probe (sex text, tag "char", birth date, hired date);
INSERT INTO sex_probe VALUES ('女', 'x', '1985-06-15', '2025-06-15'), ('男', 'y', '1980-06-15', '2025-06-14'),
                             ('F', 'z', '1985-06-15', '2025-06-14'), ('M', 'w', '1980-06-15', '2025-06-15');
SELECT sex, tag, bangfu.hard_to_employ(sex, birth, hired) AS hard_to_employ FROM sex_probe;

SELECT bangfu.hard_to_employ(NULL, '1980-01-01', '2025-06-30') IS NULL AS null_sex,
       bangfu.hard_to_employ('M', NULL, '2025-06-30') IS NULL AS null_birth,
       bangfu.hard_to_employ('M', '1980-01-01', NULL) IS NULL AS null_date;

-- The same from a resident identity number (bangfu.cnid): digit 17 odd is a
-- man, even a woman; digits 7-14 the birth date.  The check character is
-- computed here (ISO 7064 MOD 11-2), not copied.
CREATE FUNCTION pg_temp.cnid_of(body text) RETURNS bangfu.cnid LANGUAGE sql AS $$
    SELECT (body || substr('10X98765432',
                           1 + (SELECT sum(substr(body, i, 1)::int * ((2 ^ (18 - i))::int % 11))
                                  FROM generate_series(1, 17) AS i)::int % 11, 1))::bangfu.cnid
$$;
SELECT id, bangfu.sex(id) AS sex, bangfu.birth_date(id) AS birth, hired, want,
       bangfu.hard_to_employ(id, hired) AS got, bangfu.hard_to_employ(id, hired) = want AS ok
  FROM (VALUES
    (pg_temp.cnid_of('11010519800615001'), '2025-06-14'::date, false),   -- man, the day before 45
    (pg_temp.cnid_of('11010519800615001'), '2025-06-15', true),
    (pg_temp.cnid_of('11010519850615002'), '2025-06-14', false),         -- woman, the day before 40
    (pg_temp.cnid_of('11010519850615002'), '2025-06-15', true),
    (pg_temp.cnid_of('11010519840229003'), '2029-02-28', false),         -- man born 29 February
    (pg_temp.cnid_of('11010519840229003'), '2029-03-01', true)
  ) AS t(id, hired, want);
SELECT bangfu.hard_to_employ_explain(pg_temp.cnid_of('11010519840229003'), '2029-03-01')
       - 'policy' AS explained;
SELECT bangfu.hard_to_employ(NULL::bangfu.cnid, '2025-06-30') IS NULL AS null_id,
       bangfu.hard_to_employ(pg_temp.cnid_of('11010519800615001'), NULL) IS NULL AS null_date;
-- An ID whose birth date comes after the hire date.
SELECT t.state, t.message
  FROM pg_temp.try($$SELECT bangfu.hard_to_employ(pg_temp.cnid_of('11010520300615001'), '2025-06-30')$$) AS t;

-- ---------------------------------------------------------------------------
-- 6. 八(1) social-insurance subsidy: 10% / 25% / 50% of the employer's three
-- contributions, summed exactly, rounded once.
-- clauses.md: 1000 / 100 / 200 → 100 + 25 + 100 = 225.00.
-- ---------------------------------------------------------------------------
SELECT p, i, u, want, bangfu.enterprise_subsidy(p, i, u, '2025-06-30') AS got,
       bangfu.enterprise_subsidy(p, i, u, '2025-06-30')::text = want AS ok
  FROM (VALUES
    (1000::numeric, 100::numeric, 200::numeric, '225.00'),
    (10000,  1000,   2000,   '2250.00'),
    (0,      0,      0,      '0.00'),
    (0.04,   0,      0,      '0.00'),     -- 0.004
    (0.05,   0,      0,      '0.01'),     -- 0.005, half away from zero
    (0,      0.01,   0,      '0.00'),     -- 0.0025
    (0,      0.02,   0,      '0.01'),     -- 0.005
    (0,      0,      0.01,   '0.01'),     -- 0.005
    (0.03,   0.01,   0,      '0.01'),     -- 0.003 + 0.0025 = 0.0055; rounding each part would give 0.00
    (0.02,   0.01,   0,      '0.00'),     -- 0.002 + 0.0025 = 0.0045
    (333.33, 333.33, 333.33, '283.33'),   -- 33.333 + 83.3325 + 166.665 = 283.3305
    (1000000000000, 1000000000000, 1000000000000, '850000000000.00')
  ) AS t(p, i, u, want);

SELECT jsonb_pretty(bangfu.enterprise_subsidy_explain(0.03, 0.01, 0, '2025-06-30') - 'policy');

SELECT call, t.state, t.message, t.detail
  FROM unnest(ARRAY[
    $$bangfu.enterprise_subsidy(-1000, 100, 200, '2025-06-30')$$,
    $$bangfu.enterprise_subsidy(1000, 100.001, 200, '2025-06-30')$$,
    $$bangfu.enterprise_subsidy(1000, 100, 'NaN', '2025-06-30')$$,
    $$bangfu.enterprise_subsidy(1000, 100, 'Infinity', '2025-06-30')$$
  ]) AS call,
  LATERAL pg_temp.try('SELECT ' || call) AS t;

SELECT bangfu.enterprise_subsidy(NULL, 100, 200, '2025-06-30') IS NULL AS null_pension,
       bangfu.enterprise_subsidy(1000, 100, 200, NULL) IS NULL AS null_date;

-- ---------------------------------------------------------------------------
-- 7. 八(2) loans: 10,000 per hardship hire when hires >= 3 and hires make up
-- 30% or more of the staff (compared exactly).
-- clauses.md: 3 of 10 → 30000.00; 2 of 5 → 0 (fewer than 3); 3 of 11 → 0 (27%).
-- ---------------------------------------------------------------------------
SELECT hires, staff, want, bangfu.enterprise_loan_quota(hires, staff, '2025-06-30') AS got,
       bangfu.enterprise_loan_quota(hires, staff, '2025-06-30')::text = want AS ok
  FROM (VALUES
    (3, 10, '30000.00'),
    (2, 5,  '0.00'),         -- fewer than 3
    (3, 11, '0.00'),         -- 27.3%
    (3, 9,  '30000.00'),
    (2, 2,  '0.00'),         -- 100% but fewer than 3
    (3, 3,  '30000.00'),
    (30, 100, '300000.00'),  -- exactly 30%
    (29, 100, '0.00'),
    (30, 101, '0.00'),       -- 29.7%
    (31, 101, '310000.00'),  -- 30.7%
    (300, 1000, '3000000.00'),
    (299, 1000, '0.00'),
    (4, 13, '40000.00'),     -- 30.8%
    (4, 14, '0.00'),         -- 28.6%
    (0, 0,  '0.00'),
    (0, 10, '0.00'),
    (100000000, 100000000, '1000000000000.00')   -- the largest amount there is
  ) AS t(hires, staff, want);

SELECT bangfu.enterprise_loan_quota_explain(3, 11, '2025-06-30') - 'policy' AS explained;

SELECT call, t.state, t.message, t.detail
  FROM unnest(ARRAY[
    $$bangfu.enterprise_loan_quota(11, 10, '2025-06-30')$$,
    $$bangfu.enterprise_loan_quota(-1, 10, '2025-06-30')$$,
    $$bangfu.enterprise_loan_quota(3, -1, '2025-06-30')$$,
    $$bangfu.enterprise_loan_quota(1, 0, '2025-06-30')$$,
    $$bangfu.enterprise_loan_quota(100000001, 100000001, '2025-06-30')$$
  ]) AS call,
  LATERAL pg_temp.try('SELECT ' || call) AS t;

SELECT bangfu.enterprise_loan_quota(NULL, 10, '2025-06-30') IS NULL AS null_hires,
       bangfu.enterprise_loan_quota(3, NULL, '2025-06-30') IS NULL AS null_staff;

-- ---------------------------------------------------------------------------
-- 8. 八(2) interest subsidy: interest at annual_rate / 360 a day on the days
-- of [period_from, period_to) within [loan_start, loan_start + 2 years).
-- 10000 at 0.0435 is 435/360 = 1.2083… a day.
-- ---------------------------------------------------------------------------
SELECT principal, rate, start, pfrom, pto, want,
       bangfu.loan_interest_subsidy(principal, rate, start, pfrom, pto) AS got,
       bangfu.loan_interest_subsidy(principal, rate, start, pfrom, pto)::text = want AS ok
  FROM (VALUES
    (10000::numeric, 0.0435::numeric, '2025-01-01'::date, '2025-01-01'::date, '2026-01-01'::date, '441.04'),  -- 365 days: 441.0416…
    (10000, 0.0435, '2025-01-01', '2025-01-01', '2027-01-01', '882.08'),  -- 730 days: 882.083…
    (10000, 0.0435, '2025-01-01', '2024-01-01', '2030-01-01', '882.08'),  -- only the 2 years count
    (10000, 0.0435, '2025-01-01', '2026-06-01', '2027-06-01', '258.58'),  -- straddles the end: 214 days
    (10000, 0.0435, '2025-01-01', '2026-12-31', '2027-01-01', '1.21'),    -- the last day
    (10000, 0.0435, '2025-01-01', '2027-01-01', '2027-01-02', '0.00'),    -- the day after
    (10000, 0.0435, '2025-01-01', '2024-12-31', '2025-01-01', '0.00'),    -- the day before the start
    (10000, 0.0435, '2025-01-01', '2024-12-31', '2025-01-02', '1.21'),    -- the first day
    (10000, 0.0435, '2025-01-01', '2025-03-01', '2025-03-01', '0.00'),    -- empty period
    (10000, 0.0435, '2023-06-01', '2023-06-01', '2025-06-01', '883.29'),  -- 731 days (29 Feb 2024): 883.291…
    (10000, 0.0435, '2024-02-29', '2026-02-27', '2026-03-05', '2.42'),    -- anniversary 2026-03-01: 27 and 28 February
    (10000, 0.0435, '2024-02-29', '2026-02-28', '2026-03-05', '1.21'),    -- the last day (clauses.md §8(2))
    (10000, 0.0435, '2024-02-29', '2026-03-01', '2026-03-05', '0.00'),    -- the anniversary itself
    (10000, 0.0435, '2024-02-29', '2024-02-29', '2026-03-01', '883.29'),  -- 731 days: 883.291…
    (10000, 0.0435, '2024-02-28', '2026-02-27', '2026-03-05', '1.21'),    -- anniversary 2026-02-28
    (10000, 0.0435, '2024-03-01', '2026-02-28', '2026-03-05', '1.21'),    -- anniversary 2026-03-01: 28 February only
    (30000, 0.0435, '2025-01-01', '2025-01-01', '2025-01-31', '108.75'),  -- 30 days, exact
    (100,   0.018,  '2025-01-01', '2025-01-01', '2025-01-02', '0.01'),    -- 0.005, half away from zero
    (100,   0.0179, '2025-01-01', '2025-01-01', '2025-01-02', '0.00'),    -- 0.00497…
    (10000, 1,      '2025-01-01', '2025-01-01', '2025-01-02', '27.78'),   -- 27.777…
    (10000, 0,      '2025-01-01', '2025-01-01', '2026-01-01', '0.00'),
    (0,     0.0435, '2025-01-01', '2025-01-01', '2026-01-01', '0.00'),
    (10000, 0.0435000000, '2025-01-01', '2025-01-01', '2026-01-01', '441.04'),
    (10000, 0.043500000000000, '2025-01-01', '2025-01-01', '2026-01-01', '441.04'),  -- trailing zeros are not decimals
    (10000, 0.0000000001, '2025-01-01', '2025-01-01', '2026-01-01', '0.00')
  ) AS t(principal, rate, start, pfrom, pto, want);

SELECT jsonb_pretty(bangfu.loan_interest_subsidy_explain(10000, 0.0435, '2025-01-01', '2026-06-01', '2027-06-01'));
SELECT jsonb_pretty(bangfu.loan_interest_subsidy_explain(10000, 0.0435, '2024-02-29', '2026-02-01', '2026-04-01') - 'policy');

-- 29 February, one reading everywhere (clauses.md §8(1), §8(2)): the window of a
-- loan runs from its start up to the day before its second anniversary,
-- and the anniversary of 29 February is 1 March in a common year, as the
-- birthday is for 八(1).  Every start date of a leap cycle (2024-2027):
-- the window's last day gets one day's interest (10000 at 0.0435: 1.21),
-- the anniversary gets none, and the whole window holds 730 or 731 days.
-- The anniversary is worked out here from the calendar, not by the rule.
SELECT count(*) AS starts,
       count(*) FILTER (WHERE bangfu.loan_interest_subsidy(10000, 0.0435, s, ann - 1, ann) = 1.21) AS last_day_ok,
       count(*) FILTER (WHERE bangfu.loan_interest_subsidy(10000, 0.0435, s, ann, ann + 1) = 0.00) AS day_after_ok,
       count(*) FILTER (WHERE bangfu.loan_interest_subsidy(10000, 0.0435, s, s - 10, ann + 10)
                              = round(10000 * 0.0435 * (ann - s) / 360, 2)) AS whole_window_ok,
       count(*) FILTER (WHERE (bangfu.loan_interest_subsidy_explain(10000, 0.0435, s, s, s + 1)->>'last_day_subsidised')::date = ann - 1)
         AS explained_ok,
       string_agg(format('%s..%s', s, ann - 1), ', ') FILTER (WHERE extract(day FROM s) = 29 AND extract(month FROM s) = 2) AS feb_29
  FROM generate_series('2024-01-01'::date, '2027-12-31', '1 day') AS g(ts), LATERAL (SELECT ts::date AS s) AS sd,
       LATERAL (SELECT extract(year FROM s)::int + 2 AS y2, extract(month FROM s)::int AS m,
                       extract(day FROM s)::int AS d) AS p,
       LATERAL (SELECT CASE WHEN m = 2 AND d = 29 AND NOT (y2 % 4 = 0 AND (y2 % 100 <> 0 OR y2 % 400 = 0))
                            THEN make_date(y2, 3, 1) ELSE make_date(y2, m, d) END AS ann) AS a;
-- The number of years is policy data: under a scenario of 1 and of 4
-- years, a loan of 29 February ends on 1 March 2025 and on 29 February 2028.
BEGIN;
INSERT INTO bangfu.scenario (name) VALUES ('one_year'), ('four_years');
INSERT INTO bangfu.scenario_value (scenario, param, count) VALUES ('one_year', 'loan.interest_years', 1),
                                                                  ('four_years', 'loan.interest_years', 4);
SELECT sc, e->>'subsidy_ends' AS subsidy_ends, e->>'last_day_subsidised' AS last_day_subsidised,
       bangfu.loan_interest_subsidy(10000, 0.0435, '2024-02-29', (e->>'last_day_subsidised')::date,
                                    (e->>'subsidy_ends')::date + 1, sc) AS last_day_and_after
  FROM unnest(ARRAY['one_year', 'four_years']) AS sc,
       LATERAL bangfu.loan_interest_subsidy_explain(10000, 0.0435, '2024-02-29', '2024-02-29', '2024-03-01', sc) AS e;
ROLLBACK;
-- The birthdays of 八(1) read 29 February the same way: every birth date of
-- a leap cycle (1980-1983), a man hired on the day he reaches 45 (in 2025,
-- common) and the day before, a woman on the day she reaches 40 (in 2020,
-- leap: 29 February is her birthday) and the day before.
SELECT count(*) AS births,
       count(*) FILTER (WHERE bangfu.hard_to_employ('M', b, m45) AND NOT bangfu.hard_to_employ('M', b, m45 - 1)) AS man_ok,
       count(*) FILTER (WHERE bangfu.hard_to_employ('F', b, f40) AND NOT bangfu.hard_to_employ('F', b, f40 - 1)) AS woman_ok,
       string_agg(format('%s: %s, %s', b, m45, f40), '; ') FILTER (WHERE extract(day FROM b) = 29 AND extract(month FROM b) = 2) AS feb_29
  FROM generate_series('1980-01-01'::date, '1983-12-31', '1 day') AS g(ts), LATERAL (SELECT ts::date AS b) AS bd,
       LATERAL (SELECT CASE WHEN to_char(b, 'MM-DD') = '02-29' AND NOT (y % 4 = 0 AND (y % 100 <> 0 OR y % 400 = 0))
                            THEN make_date(y, 3, 1)
                            ELSE make_date(y, extract(month FROM b)::int, extract(day FROM b)::int) END AS m45
                  FROM (SELECT extract(year FROM b)::int + 45 AS y) AS yy) AS m,
       LATERAL (SELECT CASE WHEN to_char(b, 'MM-DD') = '02-29' AND NOT (y % 4 = 0 AND (y % 100 <> 0 OR y % 400 = 0))
                            THEN make_date(y, 3, 1)
                            ELSE make_date(y, extract(month FROM b)::int, extract(day FROM b)::int) END AS f40
                  FROM (SELECT extract(year FROM b)::int + 40 AS y) AS yy) AS f;

-- The rate as an exact fraction, whichever way it is spelled, read from a
-- table (stored form) and from a constant.
CREATE TEMP TABLE rate_probe (rate numeric);
INSERT INTO rate_probe VALUES (0.0435), (0.04350), (0.5), (1), (1.0000), (0), (0.0000000001),
    (0.123456789), (0.0001), (0.00012), (0.9999999999), (0.03), (0.0005);
SELECT r.rate,
       bangfu.loan_interest_subsidy_explain(10000, r.rate, '2025-01-01', '2025-01-01', '2025-01-02')->>'annual_rate_exact' AS from_table,
       bangfu.loan_interest_subsidy_explain(10000, r.rate::text::numeric, '2025-01-01', '2025-01-01', '2025-01-02')->>'annual_rate_exact' AS computed,
       bangfu.loan_interest_subsidy(10000, r.rate, '2025-01-01', '2025-01-01', '2025-01-02') AS one_day
  FROM rate_probe r;

SELECT call, t.state, t.message, t.detail
  FROM unnest(ARRAY[
    $$bangfu.loan_interest_subsidy(10000, 0.0435, '2025-01-01', '2025-02-01', '2025-01-31')$$,
    $$bangfu.loan_interest_subsidy(-10000, 0.0435, '2025-01-01', '2025-01-01', '2026-01-01')$$,
    $$bangfu.loan_interest_subsidy(10000, -0.0435, '2025-01-01', '2025-01-01', '2026-01-01')$$,
    $$bangfu.loan_interest_subsidy(10000, 1.01, '2025-01-01', '2025-01-01', '2026-01-01')$$,
    $$bangfu.loan_interest_subsidy(10000, 4.35, '2025-01-01', '2025-01-01', '2026-01-01')$$,
    $$bangfu.loan_interest_subsidy(10000, 0.04350000001, '2025-01-01', '2025-01-01', '2026-01-01')$$,
    $$bangfu.loan_interest_subsidy(10000, 'NaN', '2025-01-01', '2025-01-01', '2026-01-01')$$,
    $$bangfu.loan_interest_subsidy(10000, 'Infinity', '2025-01-01', '2025-01-01', '2026-01-01')$$,
    $$bangfu.loan_interest_subsidy(10000, 0.0435, 'infinity', '2025-01-01', '2026-01-01')$$,
    $$bangfu.loan_interest_subsidy(10000, 0.0435, '2025-01-01', '-infinity', '2026-01-01')$$
  ]) AS call,
  LATERAL pg_temp.try('SELECT ' || call) AS t;

SELECT bangfu.loan_interest_subsidy(NULL, 0.0435, '2025-01-01', '2025-01-01', '2026-01-01') IS NULL AS null_principal,
       bangfu.loan_interest_subsidy(10000, NULL, '2025-01-01', '2025-01-01', '2026-01-01') IS NULL AS null_rate,
       bangfu.loan_interest_subsidy(10000, 0.0435, NULL, '2025-01-01', '2026-01-01') IS NULL AS null_start,
       bangfu.loan_interest_subsidy(10000, 0.0435, '2025-01-01', '2025-01-01', NULL) IS NULL AS null_to;

-- ---------------------------------------------------------------------------
-- 9. 八(3) handicraft reward: a bound belongs to the higher tier.
-- clauses.md: below 300,000 → 0; to below 500,000 → 5,000; to below 1,000,000 →
-- 10,000; 1,000,000 and above → 20,000.
-- ---------------------------------------------------------------------------
SELECT sales, want, bangfu.handicraft_reward(sales, '2025-06-30') AS got,
       bangfu.handicraft_reward(sales, '2025-06-30')::text = want AS ok
  FROM (VALUES
    (0::numeric,    '0.00'),
    (299999.99,     '0.00'),
    (300000,        '5000.00'),
    (300000.01,     '5000.00'),
    (499999.99,     '5000.00'),
    (500000,        '10000.00'),
    (500000.01,     '10000.00'),
    (999999.99,     '10000.00'),
    (1000000,       '20000.00'),
    (1000000.01,    '20000.00'),
    (1000000000000, '20000.00')
  ) AS t(sales, want);

SELECT jsonb_pretty(bangfu.handicraft_reward_explain(299999.99, '2025-06-30'));

SELECT call, t.state, t.message, t.detail
  FROM unnest(ARRAY[
    $$bangfu.handicraft_reward(-0.01, '2025-06-30')$$,
    $$bangfu.handicraft_reward(300000.001, '2025-06-30')$$,
    $$bangfu.handicraft_reward('NaN', '2025-06-30')$$
  ]) AS call,
  LATERAL pg_temp.try('SELECT ' || call) AS t;
SELECT bangfu.handicraft_reward(NULL, '2025-06-30') IS NULL AS null_sales;

-- ---------------------------------------------------------------------------
-- 10. Policy versions by date (十二 提高救助标准).  Versions from 2090-01-01:
-- the day before keeps the shipped figure, the day itself takes the new one,
-- and the explanation names the version.  Rolled back.
-- ---------------------------------------------------------------------------
BEGIN;
INSERT INTO bangfu.policy (param, valid_from, tiers, note) VALUES
    ('pension.subsidy_rate', '2090-01-01', '[0,) 3/4', 'test version'),
    ('handicraft.reward', '2090-01-01', 'flat: [0,200000) 0, [200000,500000) 6000, [500000,) 12000', 'test version');
INSERT INTO bangfu.policy (param, valid_from, band, note) VALUES
    ('relief.band.education', '2090-01-01', '[1500,3000]', 'test version');
INSERT INTO bangfu.policy (param, valid_from, count, note) VALUES
    ('employer.hard_to_employ.female_age', '2090-01-01', 35, 'test version'),
    ('pension.max_months', '2090-01-01', 48, 'test version');
SELECT d, bangfu.pension_subsidy(1000, d) AS pension,
       bangfu.pension_subsidy(1200, 12, 36, d) AS pension_month_37,
       bangfu.handicraft_reward(200000, d) AS reward_200000,
       bangfu.relief_band('education', d) AS education_band,
       bangfu.hard_to_employ('F', '2054-06-01', d) AS woman_of_35,
       bangfu.pension_subsidy_explain(1000, d)->>'policy_valid_from' AS pension_version
  FROM unnest(ARRAY['2089-12-31', '2090-01-01']::date[]) AS d;
ROLLBACK;
SELECT bangfu.pension_subsidy(1000, '2090-01-01') AS after_rollback;

-- ---------------------------------------------------------------------------
-- The default on_date.  When a call is planned, a trailing CURRENT_DATE
-- argument of a rule is taken out (the rule then reads today's date, kept
-- for the transaction and time zone), and one elsewhere becomes
-- bangfu.today() (src/today.c): the same date, not worked out for every row.
-- ---------------------------------------------------------------------------
EXPLAIN (COSTS OFF, VERBOSE)
SELECT bangfu.pension_subsidy(paid), bangfu.pension_subsidy(paid, DATE '2025-06-30'),
       bangfu.pension_subsidy(paid, CURRENT_DATE), bangfu.medical_reduction(paid),
       bangfu.pension_subsidy(paid, CURRENT_DATE, 'a_scenario')
  FROM (VALUES (1000::numeric)) AS t(paid);
-- The date really is today's: a version that starts today applies to calls
-- without a date, and not to yesterday.
BEGIN;
INSERT INTO bangfu.policy (param, valid_from, tiers) VALUES ('pension.subsidy_rate', CURRENT_DATE, '[0,) 50%');
INSERT INTO bangfu.policy (param, valid_from, tiers) VALUES ('employer.subsidy.pension_rate', CURRENT_DATE, '[0,) 20%');
INSERT INTO bangfu.policy (param, valid_from, band) VALUES ('relief.band.education', CURRENT_DATE, '[1500,3000]');
INSERT INTO bangfu.policy (param, valid_from, tiers) VALUES ('relief.quota.max_share', CURRENT_DATE, '[0,) 6%');
INSERT INTO bangfu.scenario (name) VALUES ('probe');
CREATE TEMP TABLE default_probe (paid numeric(12,2), households integer);
INSERT INTO default_probe VALUES (1000, 20000);
SELECT bangfu.pension_subsidy(paid) AS today, bangfu.pension_subsidy(paid, CURRENT_DATE - 1) AS yesterday,
       bangfu.pension_subsidy(paid, 12, 0) AS today_months,
       bangfu.enterprise_subsidy(paid, 100, 200) AS enterprise_today,
       bangfu.enterprise_subsidy(paid, 100, 200, CURRENT_DATE - 1) AS enterprise_yesterday,
       bangfu.relief_band('education') AS band_today,
       bangfu.relief_in_band('education', 1000) AS in_band_today,
       q.min_households, q.max_households,
       bangfu.medical_reduction(paid) AS medical_today,
       bangfu.pension_subsidy(paid, CURRENT_DATE, 'probe') AS scenario_today
  FROM default_probe, LATERAL bangfu.relief_quota(households) AS q;
ROLLBACK;
-- today() follows the time zone within a transaction: the two zones are 26
-- hours apart, so their dates always differ.
BEGIN;
SET LOCAL TIME ZONE 'Etc/GMT-14';
CREATE TEMP TABLE today_probe ON COMMIT DROP AS
SELECT 1 AS n, CURRENT_DATE AS current, bangfu.today() AS today;
SET LOCAL TIME ZONE 'Etc/GMT+12';
INSERT INTO today_probe SELECT 2, CURRENT_DATE, bangfu.today();
SELECT bool_and(current = today) AS today_is_current_date,
       count(DISTINCT today) AS dates_seen
  FROM today_probe;
COMMIT;

-- ---------------------------------------------------------------------------
-- 11. clauses.md §0: usage already over a cap (a cap lowered with a past
-- valid_from) gives 0.00, never an error; the overpayment is reported
-- elsewhere, not clawed back by the rule.  Every rule with a used-so-far
-- argument, in force and under a scenario, and the yearly-cap aggregates.
-- Caps lowered from 2090-01-01, rolled back.
-- ---------------------------------------------------------------------------
BEGIN;
INSERT INTO bangfu.policy (param, valid_from, amount, note) VALUES
    ('medical.charity_bed.yearly_cap', '2090-01-01', 10000, 'test: lowered'),
    ('medical.serious_illness.yearly_cap', '2090-01-01', 20000, 'test: lowered');
INSERT INTO bangfu.policy (param, valid_from, count, note) VALUES
    ('pension.max_months', '2090-01-01', 24, 'test: lowered');
INSERT INTO bangfu.scenario (name) VALUES ('lower_caps');
INSERT INTO bangfu.scenario_value (scenario, param, amount) VALUES
    ('lower_caps', 'medical.charity_bed.yearly_cap', 10000),
    ('lower_caps', 'medical.serious_illness.yearly_cap', 20000);
INSERT INTO bangfu.scenario_value (scenario, param, count) VALUES ('lower_caps', 'pension.max_months', 24);
SELECT call, want, t.state, t.result, t.result = want AS ok
  FROM (VALUES
    ($$bangfu.medical_reduction(5000, '2090-06-30', 15000)$$, '0.00'),          -- 15000 used of 10000
    ($$bangfu.medical_reduction(5000, '2090-06-30', 10000)$$, '0.00'),          -- exactly used up
    ($$bangfu.medical_reduction(5000, '2090-06-30', 9999.99)$$, '0.01'),        -- one fen left
    ($$bangfu.medical_reduction(5000, '2089-12-31', 15000)$$, '500.00'),        -- the old cap of 20000
    ($$bangfu.medical_reduction(5000, '2025-06-30', 15000, 'lower_caps')$$, '0.00'),
    ($$bangfu.illness_relief(5000, '2090-06-30', 25000)$$, '0.00'),             -- 25000 used of 20000
    ($$bangfu.illness_relief(5000, '2025-06-30', 25000, 'lower_caps')$$, '0.00'),
    ($$bangfu.illness_relief(5000, '2089-12-31', 25000)$$, '3000.00'),
    ($$(bangfu.medical_settlement(30000, '2090-06-30', 15000, 25000)).reduction$$, '0.00'),
    ($$(bangfu.medical_settlement(30000, '2090-06-30', 15000, 25000)).relief$$, '0.00'),
    ($$(bangfu.medical_settlement(30000, '2090-06-30', 15000, 25000)).patient_pays$$, '30000.00'),
    ($$(bangfu.medical_settlement(30000, '2025-06-30', 15000, 25000, 'lower_caps')).patient_pays$$, '30000.00'),
    ($$bangfu.medical_reduction_explain(5000, '2090-06-30', 15000)->>'remaining_this_year'$$, '0.00'),
    ($$bangfu.illness_relief_explain(5000, '2090-06-30', 25000)->>'remaining_this_year'$$, '0.00'),
    ($$bangfu.pension_subsidy(1200, 12, 30, '2090-06-30')$$, '0.00'),          -- 30 months of 24
    ($$bangfu.pension_subsidy(1200, 12, 24, '2090-06-30')$$, '0.00'),
    ($$bangfu.pension_subsidy(1200, 12, 30, '2025-06-30', 'lower_caps')$$, '0.00'),
    ($$bangfu.pension_subsidy(1200, 12, 30, '2089-12-31')$$, '400.00'),       -- 6 of 36 left
    ($$bangfu.pension_subsidy_explain(1200, 12, 30, '2090-06-30')->>'months_remaining'$$, '0'),
    ($$(SELECT bangfu.medical_reduction_total(c, d ORDER BY d)
          FROM (VALUES (60000::numeric, '2089-12-01'::date), (60000, '2090-01-10'), (60000, '2090-02-10'),
                       (1000, '2090-03-01')) AS v(c, d))$$, '25000.00'),        -- 15000; 10000 (cap 10000); 0; 0
    ($$(SELECT bangfu.illness_relief_total(c, d, 'lower_caps' ORDER BY d)
          FROM (VALUES (40000::numeric, '2025-01-10'::date), (1000, '2025-03-01')) AS v(c, d))$$, '20000.00')
  ) AS c(call, want),
  LATERAL pg_temp.try('SELECT ' || call) AS t;
ROLLBACK;

-- ---------------------------------------------------------------------------
-- 12. An unknown scenario is refused with 22023 naming the argument and the
-- function it was given to (the aggregate, not its transition function),
-- by every function that takes a scenario.  The list is checked against
-- the catalogue: a function with a scenario argument missing here shows up.
-- relief_quota is SQL that the planner inlines over its two parts: the
-- message names the part that met the scenario first.
-- ---------------------------------------------------------------------------
CREATE TEMP TABLE scenario_call (fn regprocedure, call text);
INSERT INTO scenario_call VALUES
    ('bangfu.relief_band(bangfu.relief_reason,date,text)', $$bangfu.relief_band('education'::bangfu.relief_reason, '2025-06-30', 'nope')$$),
    ('bangfu.relief_band(text,date,text)', $$bangfu.relief_band('education', '2025-06-30', 'nope')$$),
    ('bangfu.relief_band_explain(bangfu.relief_reason,date,text)', $$bangfu.relief_band_explain('education'::bangfu.relief_reason, '2025-06-30', 'nope')$$),
    ('bangfu.relief_band_explain(text,date,text)', $$bangfu.relief_band_explain('education', '2025-06-30', 'nope')$$),
    ('bangfu.relief_in_band(bangfu.relief_reason,numeric,date,text)', $$bangfu.relief_in_band('education'::bangfu.relief_reason, 1500, '2025-06-30', 'nope')$$),
    ('bangfu.relief_in_band(text,numeric,date,text)', $$bangfu.relief_in_band('education', 1500, '2025-06-30', 'nope')$$),
    ('bangfu.relief_in_band_explain(bangfu.relief_reason,numeric,date,text)', $$bangfu.relief_in_band_explain('education'::bangfu.relief_reason, 1500, '2025-06-30', 'nope')$$),
    ('bangfu.relief_in_band_explain(text,numeric,date,text)', $$bangfu.relief_in_band_explain('education', 1500, '2025-06-30', 'nope')$$),
    ('bangfu.relief_quota(integer,date,text)', $$(SELECT max_households FROM bangfu.relief_quota(20000, '2025-06-30', 'nope'))$$),
    ('bangfu.relief_quota_min(integer,date,text)', $$bangfu.relief_quota_min(20000, '2025-06-30', 'nope')$$),
    ('bangfu.relief_quota_max(integer,date,text)', $$bangfu.relief_quota_max(20000, '2025-06-30', 'nope')$$),
    ('bangfu.relief_quota_explain(integer,date,text)', $$bangfu.relief_quota_explain(20000, '2025-06-30', 'nope')$$),
    ('bangfu.pension_subsidy(numeric,date,text)', $$bangfu.pension_subsidy(1000, '2025-06-30'::date, 'nope')$$),
    ('bangfu.pension_subsidy(numeric,integer,integer,date,text)', $$bangfu.pension_subsidy(1000, 12, 0, '2025-06-30', 'nope')$$),
    ('bangfu.pension_subsidy_explain(numeric,date,text)', $$bangfu.pension_subsidy_explain(1000, '2025-06-30'::date, 'nope')$$),
    ('bangfu.pension_subsidy_explain(numeric,integer,integer,date,text)', $$bangfu.pension_subsidy_explain(1000, 12, 0, '2025-06-30', 'nope')$$),
    ('bangfu.hard_to_employ(text,date,date,text)', $$bangfu.hard_to_employ('M', '1980-01-01', '2025-06-30', 'nope')$$),
    ('bangfu.hard_to_employ_explain(text,date,date,text)', $$bangfu.hard_to_employ_explain('M', '1980-01-01', '2025-06-30', 'nope')$$),
    ('bangfu.enterprise_subsidy(numeric,numeric,numeric,date,text)', $$bangfu.enterprise_subsidy(1000, 100, 200, '2025-06-30', 'nope')$$),
    ('bangfu.enterprise_subsidy_explain(numeric,numeric,numeric,date,text)', $$bangfu.enterprise_subsidy_explain(1000, 100, 200, '2025-06-30', 'nope')$$),
    ('bangfu.enterprise_loan_quota(integer,integer,date,text)', $$bangfu.enterprise_loan_quota(3, 10, '2025-06-30', 'nope')$$),
    ('bangfu.enterprise_loan_quota_explain(integer,integer,date,text)', $$bangfu.enterprise_loan_quota_explain(3, 10, '2025-06-30', 'nope')$$),
    ('bangfu.loan_interest_subsidy(numeric,numeric,date,date,date,text)', $$bangfu.loan_interest_subsidy(10000, 0.0435, '2025-01-01', '2025-01-01', '2026-01-01', 'nope')$$),
    ('bangfu.loan_interest_subsidy_explain(numeric,numeric,date,date,date,text)', $$bangfu.loan_interest_subsidy_explain(10000, 0.0435, '2025-01-01', '2025-01-01', '2026-01-01', 'nope')$$),
    ('bangfu.handicraft_reward(numeric,date,text)', $$bangfu.handicraft_reward(300000, '2025-06-30', 'nope')$$),
    ('bangfu.handicraft_reward_explain(numeric,date,text)', $$bangfu.handicraft_reward_explain(300000, '2025-06-30', 'nope')$$),
    ('bangfu.medical_reduction(numeric,date,numeric,text)', $$bangfu.medical_reduction(5000, '2025-06-30', 0, 'nope')$$),
    ('bangfu.medical_reduction_explain(numeric,date,numeric,text)', $$bangfu.medical_reduction_explain(5000, '2025-06-30', 0, 'nope')$$),
    ('bangfu.illness_relief(numeric,date,numeric,text)', $$bangfu.illness_relief(5000, '2025-06-30', 0, 'nope')$$),
    ('bangfu.illness_relief_explain(numeric,date,numeric,text)', $$bangfu.illness_relief_explain(5000, '2025-06-30', 0, 'nope')$$),
    ('bangfu.medical_settlement(numeric,date,numeric,numeric,text)', $$(bangfu.medical_settlement(30000, '2025-06-30', 0, 0, 'nope')).relief$$),
    ('bangfu.medical_reduction_total(numeric,date,text)', $$(SELECT bangfu.medical_reduction_total(5000, '2025-06-30', 'nope'))$$),
    ('bangfu.illness_relief_total(numeric,date,text)', $$(SELECT bangfu.illness_relief_total(5000, '2025-06-30', 'nope'))$$),
    ('bangfu.scenario_compare(text,date)', $$(SELECT count(*) FROM bangfu.scenario_compare('nope', '2025-06-30'))$$),
    ('bangfu.medical_settle(numeric,date,text)', $$(SELECT count(s) FROM (SELECT bangfu.medical_settle(5000, '2025-06-30', 'nope') OVER (ORDER BY 1)) AS x(s))$$),
    ('bangfu.medical_settle(numeric,date,numeric,numeric,text)', $$(SELECT count(s) FROM (SELECT bangfu.medical_settle(5000, '2025-06-30', 0, 0, 'nope') OVER (ORDER BY 1)) AS x(s))$$),
    ('bangfu.capped(text,numeric,date,numeric,text)', $$(SELECT count(s) FROM (SELECT bangfu.capped('charity_bed_yearly', 5000, '2025-06-30', 0, 'nope') OVER (ORDER BY 1)) AS x(s))$$),
    ('bangfu.medical_settle(numeric,date,bigint,text)', $$(SELECT count(s) FROM (SELECT bangfu.medical_settle(5000, '2025-06-30', 1, 'nope') OVER ()) AS x(s))$$),
    ('bangfu.medical_settle(numeric,date,bigint,numeric,numeric,text)', $$(SELECT count(s) FROM (SELECT bangfu.medical_settle(5000, '2025-06-30', 1, 0, 0, 'nope') OVER ()) AS x(s))$$),
    ('bangfu.capped(text,numeric,date,bigint,numeric,text)', $$(SELECT count(s) FROM (SELECT bangfu.capped('charity_bed_yearly', 5000, '2025-06-30', 1, 0, 'nope') OVER ()) AS x(s))$$),
    ('bangfu.medical_settle_grouped(anyelement,numeric,date,bigint,text)', $$(SELECT count(s) FROM (SELECT bangfu.medical_settle_grouped(7, 5000, '2025-06-30', 1, 'nope') OVER ()) AS x(s))$$),
    ('bangfu.medical_settle_grouped(anyelement,numeric,date,bigint,numeric,numeric,text)', $$(SELECT count(s) FROM (SELECT bangfu.medical_settle_grouped(7, 5000, '2025-06-30', 1, 0, 0, 'nope') OVER ()) AS x(s))$$),
    ('bangfu.capped_grouped(text,anyelement,numeric,date,bigint,numeric,text)', $$(SELECT count(s) FROM (SELECT bangfu.capped_grouped('charity_bed_yearly', 7, 5000, '2025-06-30', 1, 0, 'nope') OVER ()) AS x(s))$$);
SELECT c.fn, t.state, t.message
  FROM scenario_call c, LATERAL pg_temp.try('SELECT ' || c.call) AS t
 ORDER BY c.fn::text COLLATE "C";
-- Functions with an argument named scenario that the list above misses
-- (none), and transition functions, which are reached through their
-- aggregates.
SELECT p.oid::regprocedure AS untested
  FROM pg_proc p
 WHERE p.pronamespace = 'bangfu'::regnamespace AND 'scenario' = ANY (p.proargnames)
   AND p.oid NOT IN (SELECT fn FROM scenario_call) AND p.proname NOT LIKE '%\_step'
 ORDER BY 1::text;

-- ---------------------------------------------------------------------------
-- 13. The worked examples of doc/clauses.md, every call and result exactly
-- as printed there (keep the two in step): the project's own account of the
-- policy is checked here.
-- ---------------------------------------------------------------------------
SELECT clause, call, want, t.result, t.result = want AS ok
  FROM (VALUES
    ('§2', $$bangfu.relief_band('critical_illness', '2026-06-30')$$, '[2000,5000]'),
    ('§2', $$bangfu.relief_band('single_parent_other', '2026-06-30')$$, '[1000,1500]'),
    ('§2', $$bangfu.relief_in_band('education', 2500, '2026-06-30')$$, '2000.00'),
    ('§2', $$bangfu.relief_first_half(1500.01)$$, '750.01'),
    ('§2', $$bangfu.relief_second_half(1500.01)$$, '750.00'),
    ('§2', $$bangfu.relief_quota_min(20000, '2026-06-30')$$, '600'),
    ('§2', $$bangfu.relief_quota_max(20000, '2026-06-30')$$, '1000'),
    ('§2', $$bangfu.relief_quota_min(34, '2026-06-30')$$, '1'),
    ('§2', $$bangfu.relief_quota_max(34, '2026-06-30')$$, '1'),
    ('§2', $$bangfu.relief_quota_min(19, '2026-06-30')$$, '0'),
    ('§4(1)', $$bangfu.medical_reduction(5000, '2026-06-30')$$, '500.00'),
    ('§4(1)', $$bangfu.medical_reduction(6000, '2026-06-30')$$, '600.00'),
    ('§4(1)', $$bangfu.medical_reduction(6000.01, '2026-06-30')$$, '900.00'),
    ('§4(1)', $$bangfu.medical_reduction(12000, '2026-06-30')$$, '1800.00'),
    ('§4(1)', $$bangfu.medical_reduction(20000.01, '2026-06-30')$$, '5000.00'),
    ('§4(1)', $$bangfu.medical_reduction(100000, '2026-06-30')$$, '15000.00'),
    ('§4(1)', $$bangfu.medical_reduction(60000, '2026-06-30', 15000)$$, '5000.00'),
    ('§4(1)', $$bangfu.medical_reduction(5000, '2026-06-30', 25000)$$, '0.00'),
    ('§4(1)', $$bangfu.apply('marginal: [0,6000] 10%, (6000,12000] 15%, (12000,20000] 20%, (20000,) 25%; cap 15000', 30000)$$, '5600.00'),
    ('§4(2)', $$bangfu.illness_relief(15000, '2026-06-30')$$, '10500.00'),
    ('§4(2)', $$bangfu.illness_relief(40000, '2026-06-30')$$, '30000.00'),
    ('§4', $$bangfu.medical_settlement(30000, '2026-06-30')$$, '(7500.00,18000.00,4500.00)'),
    ('§5', $$bangfu.pension_subsidy(3000, '2026-06-30')$$, '2000.00'),
    ('§5', $$bangfu.pension_subsidy(100.01, '2026-06-30')$$, '66.67'),
    ('§5', $$bangfu.pension_subsidy(1200, 12, 30, '2026-06-30')$$, '400.00'),
    ('§5', $$bangfu.pension_subsidy(1200, 12, 36, '2026-06-30')$$, '0.00'),
    ('§8(1)', $$bangfu.hard_to_employ('M', '1980-06-15', '2025-06-15')$$, 'true'),
    ('§8(1)', $$bangfu.hard_to_employ('M', '1984-02-29', '2029-02-28')$$, 'false'),
    ('§8(1)', $$bangfu.hard_to_employ('M', '1984-02-29', '2029-03-01')$$, 'true'),
    ('§8(1)', $$bangfu.hard_to_employ('女', '1984-02-29', '2024-02-29')$$, 'true'),
    ('§8(1)', $$bangfu.enterprise_subsidy(1000, 100, 200, '2026-06-30')$$, '225.00'),
    ('§8(1)', $$bangfu.enterprise_subsidy(0.03, 0.01, 0, '2026-06-30')$$, '0.01'),
    ('§8(2)', $$bangfu.enterprise_loan_quota(3, 10, '2026-06-30')$$, '30000.00'),
    ('§8(2)', $$bangfu.enterprise_loan_quota(2, 5, '2026-06-30')$$, '0.00'),
    ('§8(2)', $$bangfu.enterprise_loan_quota(3, 11, '2026-06-30')$$, '0.00'),
    ('§8(2)', $$bangfu.loan_interest_subsidy(10000, 0.0435, '2025-01-01', '2025-01-01', '2026-01-01')$$, '441.04'),
    ('§8(2)', $$bangfu.loan_interest_subsidy(10000, 0.0435, '2024-02-29', '2026-02-28', '2026-03-01')$$, '1.21'),
    ('§8(2)', $$bangfu.loan_interest_subsidy(10000, 0.0435, '2024-02-29', '2026-03-01', '2026-03-02')$$, '0.00'),
    ('§8(3)', $$bangfu.handicraft_reward(299999.99, '2026-06-30')$$, '0.00'),
    ('§8(3)', $$bangfu.handicraft_reward(300000, '2026-06-30')$$, '5000.00'),
    ('§8(3)', $$bangfu.handicraft_reward(500000, '2026-06-30')$$, '10000.00'),
    ('§8(3)', $$bangfu.handicraft_reward(1000000, '2026-06-30')$$, '20000.00')
  ) AS e(clause, call, want),
  LATERAL pg_temp.try('SELECT ' || call) AS t;
SELECT t.state, t.message
  FROM pg_temp.try($$SELECT bangfu.relief_band('gambling', '2026-06-30')$$) AS t;

-- ---------------------------------------------------------------------------
-- 14. What doc/tiers.md and doc/cnid.md promise: the rates' common
-- denominator is at most 10^12 (one under the limit, one over it), and
-- white space around an identity number is trimmed (inside it is not).
-- ---------------------------------------------------------------------------
SELECT lit, t.state, t.result, t.detail
  FROM unnest(ARRAY[
    'flat: [0,100) 1/1000000, [100,) 1/999999',
    'flat: [0,100) 1/1000000, [100,) 1/1000001',
    '[0,) 12.345678%',
    '[0,) 1000000000/1000000000',
    '[0,) 1/1000000001'
  ]) AS lit,
  LATERAL pg_temp.try(format('SELECT %L::bangfu.tiers::text', lit)) AS t;
SELECT lit, t.state, t.result, t.detail
  FROM unnest(ARRAY[' 11010519491231002X ', E'\t11010519491231002x\n', '110105 19491231002X']) AS lit,
  LATERAL pg_temp.try(format('SELECT %L::bangfu.cnid::text', lit)) AS t;
