-- bench/settle.sql: issue 12, a caseload settled in one pass (四(1) then 四(2),
-- the yearly caps stay after stay) against the ways users would otherwise
-- write it.  Run by bench/settle.sh inside bench/run.sh's database (the
-- harness of bench/harness.sql is there).
--
-- psql variables: rows (stays), rounds (counted runs per case), workmem.
--
-- Data: :rows stays of :rows/10 people over 2025-2026.  People are skewed
-- (a few chronic patients stay dozens of times) and costs are log-normal with
-- a heavy tail (median 7,000, about 5 % above 36,000), so the 15,000 stay cap
-- and both yearly caps bite.  Seeded: every run sees the same table.
--
-- Cases (section settle):
--   floor     the one-sort floor: sum(cost) OVER (PARTITION BY person ORDER BY d, id)
--   one       bangfu.medical_settle(cost, d) OVER the same window
--   four      today's doc/scenarios.md form: two _total window aggregates and
--             two lags (four sorts)
--   case      the DBA's inline CASE with running-sum windows (the shipped
--             figures written into the query)
--   plpgsql   a PL/pgSQL loop over the sorted stays calling medical_settlement
-- Every case returns sum(reduction) * 10^12 + sum(relief), which must agree.

\set ON_ERROR_STOP on
SET client_min_messages = warning;
SET work_mem = :'workmem';

SELECT setseed(0.1212);
CREATE TABLE bench.settle_stays (
    id     integer NOT NULL,
    person integer NOT NULL,
    d      date NOT NULL,
    cost   numeric(12,2) NOT NULL
);
INSERT INTO bench.settle_stays
SELECT g,
       1 + floor(power(random(), 1.6) * greatest(1, :rows / 10))::integer,
       DATE '2025-01-01' + floor(random() * 730)::integer,
       least(1000000, round(exp(ln(7000) + 1.0 * sqrt(-2 * ln(1 - random()))
                                              * cos(2 * pi() * random()))::numeric, 2))
FROM generate_series(1, :rows) g;
VACUUM ANALYZE bench.settle_stays;

-- What the data looks like, for the report.
INSERT INTO bench.notices (section, msg)
SELECT 'settle', format('%s stays of %s people (largest: %s stays), cost median %s, %s%% above 36,000; '
                        'work_mem = %s', count(*), count(DISTINCT person),
                        (SELECT max(n) FROM (SELECT count(*) AS n FROM bench.settle_stays GROUP BY person) x),
                        percentile_disc(0.5) WITHIN GROUP (ORDER BY cost),
                        round(100.0 * count(*) FILTER (WHERE cost > 36000) / count(*), 1),
                        current_setting('work_mem'))
  FROM bench.settle_stays;

-- (plpgsql) the loop a developer writes around the per-stay function.
CREATE FUNCTION bench.settle_plpgsql() RETURNS numeric
LANGUAGE plpgsql STABLE AS $$
DECLARE
    r record;
    s record;
    cur_person integer;
    cur_year integer;
    reduced numeric := 0;
    relieved numeric := 0;
    total_red numeric := 0;
    total_rel numeric := 0;
BEGIN
    FOR r IN SELECT person, d, cost FROM bench.settle_stays ORDER BY person, d, id LOOP
        IF r.person IS DISTINCT FROM cur_person OR extract(year FROM r.d) <> cur_year THEN
            cur_person := r.person;
            cur_year := extract(year FROM r.d);
            reduced := 0;
            relieved := 0;
        END IF;
        s := bangfu.medical_settlement(r.cost, r.d, reduced, relieved);
        reduced := reduced + s.reduction;
        relieved := relieved + s.relief;
        total_red := total_red + s.reduction;
        total_rel := total_rel + s.relief;
    END LOOP;
    RETURN total_red * 1000000000000 + total_rel;
END
$$;

SELECT bench.add_case('settle', 'settle_floor', 'floor: sum(cost) OVER (PARTITION BY person ORDER BY d, id)',
    $q$SELECT sum(s) FROM (SELECT sum(cost) OVER (PARTITION BY person ORDER BY d, id) AS s
                          FROM bench.settle_stays) x$q$, :rows);
SELECT bench.add_case('settle', 'settle_one', 'bangfu one pass: medical_settle(cost, d) OVER w',
    $q$SELECT sum((s).reduction) * 1000000000000 + sum((s).relief)
         FROM (SELECT bangfu.medical_settle(cost, d) OVER (PARTITION BY person ORDER BY d, id) AS s
                 FROM bench.settle_stays) x$q$, :rows);
SELECT bench.add_case('settle', 'settle_four', 'bangfu four-pass: two _total window aggregates + two lags',
    $q$WITH running AS (
           SELECT s.*, bangfu.medical_reduction_total(cost, d) OVER w AS red_run
             FROM bench.settle_stays s
           WINDOW w AS (PARTITION BY person ORDER BY d, id ROWS UNBOUNDED PRECEDING)
       ), reduced AS (
           SELECT r.*, red_run - coalesce(lag(red_run) OVER w, 0) AS red
             FROM running r WINDOW w AS (PARTITION BY person ORDER BY d, id)
       ), relieved AS (
           SELECT r.*, bangfu.illness_relief_total(cost - red, d) OVER w AS rel_run
             FROM reduced r
           WINDOW w AS (PARTITION BY person ORDER BY d, id ROWS UNBOUNDED PRECEDING)
       )
       SELECT sum(red) * 1000000000000 + sum(rel)
         FROM (SELECT red, rel_run - coalesce(lag(rel_run) OVER w, 0) AS rel
                 FROM relieved WINDOW w AS (PARTITION BY person ORDER BY d, id)) x$q$, :rows);
-- The DBA's form: a stay's yearly-capped amount is its own amount cut to
-- what the cap leaves after the running sum of the year's earlier uncapped
-- amounts (once the cap is reached every later stay gets 0, so the capped
-- and uncapped running sums agree up to it).
SELECT bench.add_case('settle', 'settle_case', 'inline CASE with running-sum windows',
    $q$WITH bed AS (
           SELECT s.*, least(15000, round(cost * CASE WHEN cost <= 6000 THEN 0.10 WHEN cost <= 12000 THEN 0.15
                                                      WHEN cost <= 20000 THEN 0.20 ELSE 0.25 END, 2)) AS raw_red
             FROM bench.settle_stays s
       ), red AS (
           SELECT b.*, greatest(0, least(raw_red, 20000 - coalesce(sum(raw_red) OVER w - raw_red, 0))) AS red
             FROM bed b
           WINDOW w AS (PARTITION BY person, date_trunc('year', d) ORDER BY d, id ROWS UNBOUNDED PRECEDING)
       ), ill AS (
           SELECT r.*, round((cost - red) * CASE WHEN cost - red <= 10000 THEN 0.60 WHEN cost - red <= 20000 THEN 0.70
                                                 ELSE 0.80 END, 2) AS raw_rel
             FROM red r
       )
       SELECT sum(red) * 1000000000000 + sum(rel)
         FROM (SELECT red, greatest(0, least(raw_rel, 30000 - coalesce(sum(raw_rel) OVER w - raw_rel, 0))) AS rel
                 FROM ill
               WINDOW w AS (PARTITION BY person, date_trunc('year', d) ORDER BY d, id ROWS UNBOUNDED PRECEDING)) x$q$,
    :rows);
SELECT bench.add_case('settle', 'settle_plpgsql', 'PL/pgSQL loop calling medical_settlement',
    'SELECT bench.settle_plpgsql()', :rows);

INSERT INTO bench.ratios (section, name, num, den, target, note) VALUES
    ('settle', 'one pass / floor', 'settle_one', '{settle_floor}', '<= 1.3', NULL),
    ('settle', 'four-pass / one pass', 'settle_four', '{settle_one}', '>= 3', NULL),
    ('settle', 'inline CASE / one pass', 'settle_case', '{settle_one}', '>= 3', NULL),
    ('settle', 'PL/pgSQL loop / one pass', 'settle_plpgsql', '{settle_one}', NULL, NULL),
    ('settle', 'four-pass / floor', 'settle_four', '{settle_floor}', NULL, NULL);

INSERT INTO bench.checks (name, a, b) VALUES
    ('one pass = four-pass', 'settle_one', 'settle_four'),
    ('one pass = inline CASE', 'settle_one', 'settle_case'),
    ('one pass = PL/pgSQL loop', 'settle_one', 'settle_plpgsql');

SELECT bench.run_section('settle', :rounds);
