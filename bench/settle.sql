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
-- The table has the index a county's stays table has: (person, d, id), as
-- the register's medical_stay has (person, discharged).  Every form is run
-- twice on it:
--   settle_X     sorted: index scans off, so a sequential scan feeds a Sort
--                (the figures of a table without the index)
--   settle_X_ix  indexed: enable_sort = off, so the index scan gives the
--                window its order and nothing is sorted
-- Before timing, each case's plan is checked (bench.settle_plan_check): a
-- sorted case must have a Sort node, an indexed one none (the inline CASE,
-- partitioned by (person, year), keeps an Incremental Sort on top of the
-- index: the index gives only the person; that is checked and reported).
--
-- Cases (section settle), each sorted and _ix:
--   floor     the one-sort floor: sum(cost) OVER (PARTITION BY person ORDER BY d, id)
--   one       bangfu.medical_settle(cost, d) OVER the same window
--   four      today's doc/scenarios.md form: two _total window aggregates and
--             two lags (four window passes; PostgreSQL 15 sorts once for
--             them, as they share one ordering)
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
-- the county's index (the register's medical_stay has (person, discharged))
CREATE INDEX settle_stays_order ON bench.settle_stays (person, d, id);
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
    -- EXECUTE: planned at each call under the case's settings (a static
    -- query's plan would be cached from the first call, sorted or not)
    FOR r IN EXECUTE 'SELECT person, d, cost FROM bench.settle_stays ORDER BY person, d, id' LOOP
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

-- The forms: label, description, query, and for the plan check the query
-- whose plan is the form's (the PL/pgSQL loop's own query for the loop).
CREATE TEMP TABLE settle_forms (
    ord serial, label text, descr text, q text, explain text
);
INSERT INTO settle_forms (label, descr, q) VALUES
('settle_floor', 'floor: sum(cost) OVER (PARTITION BY person ORDER BY d, id)',
    $q$SELECT sum(s) FROM (SELECT sum(cost) OVER (PARTITION BY person ORDER BY d, id) AS s
                          FROM bench.settle_stays) x$q$),
('settle_one', 'bangfu one pass: medical_settle(cost, d) OVER w',
    $q$SELECT sum((s).reduction) * 1000000000000 + sum((s).relief)
         FROM (SELECT bangfu.medical_settle(cost, d) OVER (PARTITION BY person ORDER BY d, id) AS s
                 FROM bench.settle_stays) x$q$),
('settle_four', 'bangfu four-pass: two _total window aggregates + two lags',
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
                 FROM relieved WINDOW w AS (PARTITION BY person ORDER BY d, id)) x$q$),
-- The DBA's form: a stay's yearly-capped amount is its own amount cut to
-- what the cap leaves after the running sum of the year's earlier uncapped
-- amounts (once the cap is reached every later stay gets 0, so the capped
-- and uncapped running sums agree up to it).
('settle_case', 'inline CASE with running-sum windows',
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
               WINDOW w AS (PARTITION BY person, date_trunc('year', d) ORDER BY d, id ROWS UNBOUNDED PRECEDING)) x$q$),
('settle_plpgsql', 'PL/pgSQL loop calling medical_settlement', 'SELECT bench.settle_plpgsql()');
UPDATE settle_forms SET explain = CASE label
    WHEN 'settle_plpgsql' THEN 'SELECT person, d, cost FROM bench.settle_stays ORDER BY person, d, id'
    ELSE q END;

-- The settings of the two variants.  Sorted: no index path at all, so the
-- rows come from a sequential scan and are sorted, as without the index.
-- Indexed: enable_sort = off, so the planner takes the index's order.
CREATE TABLE bench.settle_variants (suffix text, descr text, settings text[], expect text);
INSERT INTO bench.settle_variants VALUES
    ('', '', '{enable_indexscan=off,enable_indexonlyscan=off,enable_bitmapscan=off}', 'sort'),
    ('_ix', ' [index order, no sort]', '{enable_sort=off}', 'no sort');

-- The Sort and Incremental Sort nodes of a query's plan under settings.
CREATE FUNCTION bench.settle_sort_nodes(p_query text, p_settings text[]) RETURNS text[]
LANGUAGE plpgsql AS $$
DECLARE
    old   text[];
    line  text;
    nodes text[] := '{}';
BEGIN
    old := bench.apply_settings(p_settings);
    FOR line IN EXECUTE 'EXPLAIN ' || p_query LOOP
        IF line ~ '^\s*(->\s+)?(Incremental Sort|Sort)\s+\(cost' THEN
            nodes := nodes || (regexp_match(line, '(Incremental Sort|Sort)'))[1];
        END IF;
    END LOOP;
    PERFORM bench.apply_settings(old);
    RETURN nodes;
END
$$;

-- Refuse to time a case whose plan is not what its label says: a sorted
-- case needs a Sort, an indexed case no Sort (an Incremental Sort only for
-- the inline CASE, whose partition is (person, year)).  Reported too.
CREATE FUNCTION bench.settle_plan_check(p_label text, p_query text, p_settings text[], p_expect text)
RETURNS text LANGUAGE plpgsql AS $$
DECLARE
    nodes text[] := bench.settle_sort_nodes(p_query, p_settings);
    ok    boolean;
BEGIN
    ok := CASE p_expect
              WHEN 'sort' THEN 'Sort' = ANY (nodes)
              ELSE NOT 'Sort' = ANY (nodes)
                   AND (p_label LIKE 'settle_case%' OR NOT 'Incremental Sort' = ANY (nodes))
          END;
    IF NOT ok THEN
        RAISE EXCEPTION 'bench/settle.sql: % should have % in its plan, has {%}',
            p_label, CASE p_expect WHEN 'sort' THEN 'a Sort' ELSE 'no Sort' END, array_to_string(nodes, ', ');
    END IF;
    RETURN format('%s: %s', p_label,
                  CASE WHEN cardinality(nodes) = 0 THEN 'no sort' ELSE array_to_string(nodes, ', ') END);
END
$$;

INSERT INTO bench.notices (section, msg)
SELECT 'settle', 'sort nodes in each plan (checked): '
       || string_agg(bench.settle_plan_check(f.label || v.suffix, f.explain, v.settings, v.expect), '; '
                     ORDER BY v.suffix, f.ord)
  FROM settle_forms f CROSS JOIN bench.settle_variants v;

SELECT bench.add_case('settle', f.label || v.suffix, f.descr || v.descr, f.q, :rows, false, v.settings)
  FROM bench.settle_variants v CROSS JOIN settle_forms f
 ORDER BY v.suffix, f.ord;

INSERT INTO bench.ratios (section, name, num, den, target, note, if_meets, if_misses)
SELECT 'settle', r.name || v.descr, r.num || v.suffix, ARRAY[r.den || v.suffix], r.target, NULL, r.if_meets, r.if_misses
  FROM bench.settle_variants v CROSS JOIN (VALUES
    (1, 'one pass / floor', 'settle_one', 'settle_floor', '<= 1.3', NULL, NULL),
    (2, 'four-pass / one pass', 'settle_four', 'settle_one', '>= 3', NULL, NULL),
    (3, 'inline CASE / one pass', 'settle_case', 'settle_one', '>= 3', NULL, NULL),
    (4, 'PL/pgSQL loop / one pass', 'settle_plpgsql', 'settle_one', NULL, NULL, NULL),
    (5, 'four-pass / floor', 'settle_four', 'settle_floor', NULL, NULL, NULL)) r(ord, name, num, den, target, if_meets, if_misses)
 ORDER BY v.suffix, r.ord;
INSERT INTO bench.ratios (section, name, num, den, target, note) VALUES
    ('settle', 'one pass sorted / one pass in index order', 'settle_one', '{settle_one_ix}', NULL, 'what the sort costs'),
    ('settle', 'floor sorted / floor in index order', 'settle_floor', '{settle_floor_ix}', NULL, NULL);

INSERT INTO bench.checks (name, a, b)
SELECT c.name || v.descr, c.a || v.suffix, c.b || v.suffix
  FROM bench.settle_variants v CROSS JOIN (VALUES
    (1, 'one pass = four-pass', 'settle_one', 'settle_four'),
    (2, 'one pass = inline CASE', 'settle_one', 'settle_case'),
    (3, 'one pass = PL/pgSQL loop', 'settle_one', 'settle_plpgsql')) c(ord, name, a, b)
 ORDER BY v.suffix, c.ord;
INSERT INTO bench.checks (name, a, b) VALUES ('one pass sorted = one pass in index order', 'settle_one', 'settle_one_ix');

SELECT bench.run_section('settle', :rounds);
