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
-- The table has the index a county's stays table has, (person, d, id) (the
-- register's medical_stay has (person, discharged)), and the same index
-- covering the cost, (person, d, id) INCLUDE (cost).  Every form but the
-- grouped one is run three times on it:
--   settle_X        sorted: no index path, so a sequential scan feeds a Sort
--                   (the figures of a table without the indexes)
--   settle_X_ix     index order: enable_sort = off and no index-only scan,
--                   so an Index Scan on (person, d, id) gives the window
--                   its order, fetching each stay from the heap
--   settle_X_cover  covering index: enable_sort = off, so an Index Only
--                   Scan on the covering index gives the order and the cost
-- The grouped form groups the stays by person itself, over a window with
-- no PARTITION BY and no ORDER BY, so its plan has no Sort and no index in
-- any variant; it is run once, as settle_grouped (with the sorted variant's
-- settings: a sequential scan), and compared with the others both sorted
-- and reading an index.  It holds the whole caseload (about 200 bytes a
-- stay, within work_mem times hash_mem_multiplier).
-- Before timing, each case's plan is checked (bench.settle_plan_check): a
-- sorted case must have a Sort node, an indexed one no Sort and the scan of
-- its index (the inline CASE, partitioned by (person, year), keeps an
-- Incremental Sort above the index, which gives only the person: allowed
-- for it alone, and reported), the grouped one no sort at all and only a
-- Seq Scan.
--
-- Cases (section settle), each sorted, _ix and _cover but the grouped one:
--   floor     the one-sort floor: sum(cost) OVER (PARTITION BY person ORDER BY d, id)
--   one       bangfu.medical_settle(cost, d) OVER the same window
--   keyed     bangfu.medical_settle(cost, d, id) OVER (PARTITION BY person):
--             the function orders each person's stays, so the sort (or
--             the index) needs to give only the person
--   grouped   bangfu.medical_settle_grouped(person, cost, d, id) OVER (): the
--             function groups the stays by person in a hash table and
--             orders each person's stays, so nothing is sorted (a
--             WindowAgg over a Seq Scan); once, not _ix or _cover
--   bound     the keyed form's window doing nothing: first_value(cost)
--             OVER (PARTITION BY person), summed twice (its sums differ)
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
CREATE INDEX settle_stays_cover ON bench.settle_stays (person, d, id) INCLUDE (cost);
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
-- expect, when set, is the plan the form has whatever the settings: such a
-- form is run once, with the first variant's settings and no suffix (the
-- grouped form, whose window gives the planner no order to sort for or to
-- take from an index).
CREATE TEMP TABLE settle_forms (
    ord serial, label text, descr text, q text, explain text, expect text
);
INSERT INTO settle_forms (label, descr, q) VALUES
('settle_floor', 'floor: sum(cost) OVER (PARTITION BY person ORDER BY d, id)',
    $q$SELECT sum(s) FROM (SELECT sum(cost) OVER (PARTITION BY person ORDER BY d, id) AS s
                          FROM bench.settle_stays) x$q$),
('settle_one', 'bangfu one pass: medical_settle(cost, d) OVER w',
    $q$SELECT sum((s).reduction) * 1000000000000 + sum((s).relief)
         FROM (SELECT bangfu.medical_settle(cost, d) OVER (PARTITION BY person ORDER BY d, id) AS s
                 FROM bench.settle_stays) x$q$),
('settle_keyed', 'bangfu keyed one pass: medical_settle(cost, d, id) OVER (PARTITION BY person)',
    $q$SELECT sum((s).reduction) * 1000000000000 + sum((s).relief)
         FROM (SELECT bangfu.medical_settle(cost, d, id) OVER (PARTITION BY person) AS s
                 FROM bench.settle_stays) x$q$),
-- The grouped form: OVER () is one partition of every stay, in no order;
-- the function groups it by person (a hash table, as a hash aggregate
-- would) and orders each person's stays by (d, id) itself.
('settle_grouped', 'bangfu grouped one pass: medical_settle_grouped(person, cost, d, id) OVER (), no sort',
    $q$SELECT sum((s).reduction) * 1000000000000 + sum((s).relief)
         FROM (SELECT bangfu.medical_settle_grouped(person, cost, d, id) OVER () AS s
                 FROM bench.settle_stays) x$q$),
-- The keyed form's window with nothing to do: the sort by person, each
-- partition spooled, one value a row handed back and summed twice.  No
-- function over that window can take less; the ratios against it say how
-- far the keyed form is from that, and how far the targets are.
('settle_bound', 'the keyed window with nothing to do: first_value(cost) OVER (PARTITION BY person), summed twice',
    $q$SELECT sum(s) * 1000000000000 + sum(s)
         FROM (SELECT first_value(cost) OVER (PARTITION BY person) AS s
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
UPDATE settle_forms SET expect = 'none' WHERE label = 'settle_grouped';

-- The settings of the three variants (bench/settle.sh's scale runs use
-- them too).  Sorted: no index path at all, so the rows come from a
-- sequential scan and are sorted, as without the indexes.  Index order:
-- enable_sort = off and no index-only scan, so an Index Scan of
-- (person, d, id) with a heap fetch a stay.  Covering: enable_sort = off,
-- an Index Only Scan of the covering index.  expect: what the plan must
-- have (bench.settle_plan_check).
CREATE TABLE bench.settle_variants (ord int, suffix text, descr text, settings text[], expect text);
INSERT INTO bench.settle_variants VALUES
    (1, '', '', '{enable_indexscan=off,enable_indexonlyscan=off,enable_bitmapscan=off}', 'sort'),
    (2, '_ix', ' [index order, no sort]', '{enable_sort=off,enable_indexonlyscan=off}', 'index'),
    (3, '_cover', ' [covering index, no sort]', '{enable_sort=off}', 'index only');

-- The sorts and scans of a query's plan under settings: 'Sort',
-- 'Incremental Sort', 'Seq Scan', 'Index Scan <index>', 'Index Only Scan
-- <index>', 'Bitmap Heap Scan', in plan order.
CREATE FUNCTION bench.settle_plan_nodes(p_query text, p_settings text[]) RETURNS text[]
LANGUAGE plpgsql AS $$
DECLARE
    old   text[];
    line  text;
    m     text[];
    nodes text[] := '{}';
BEGIN
    old := bench.apply_settings(p_settings);
    FOR line IN EXECUTE 'EXPLAIN ' || p_query LOOP
        -- a node's line ("->  Sort  (cost=..."), not "Sort Key: ..."
        m := regexp_match(line, '^\s*(?:->\s+)?(Incremental Sort|Sort|Seq Scan|Bitmap Heap Scan'
                                || '|Index Only Scan using \S+|Index Scan using \S+)\s.*\(cost=');
        IF m IS NOT NULL THEN
            nodes := nodes || replace(m[1], ' using ', ' ');
        END IF;
    END LOOP;
    PERFORM bench.apply_settings(old);
    RETURN nodes;
END
$$;

-- Refuse to time a case whose plan is not what its label says:
--   sort        a Sort, and no index scan
--   index       no Sort, an Index Scan of the (person, d, id) index (name
--               ending in _order), no other scan
--   index only  no Sort, an Index Only Scan of the covering index (name
--               ending in _cover), no other scan
--   none        no Sort and no Incremental Sort, a Seq Scan and no other
--               scan (the grouped form: if the planner ever sorted for it,
--               or read an index, it would not be the form measured)
-- An Incremental Sort is allowed above the index for the inline CASE alone
-- (its partition is (person, year): the index gives only the person).
-- Returns the nodes, for the report.
CREATE FUNCTION bench.settle_plan_check(p_label text, p_query text, p_settings text[], p_expect text)
RETURNS text LANGUAGE plpgsql AS $$
DECLARE
    nodes text[] := bench.settle_plan_nodes(p_query, p_settings);
    scans text[] := ARRAY(SELECT n FROM unnest(nodes) n WHERE n NOT LIKE '%Sort');
    ok    boolean;
BEGIN
    ok := CASE p_expect
              WHEN 'sort' THEN 'Sort' = ANY (nodes) AND scans <@ ARRAY['Seq Scan']
              WHEN 'index' THEN NOT 'Sort' = ANY (nodes)
                   AND cardinality(scans) = 1 AND scans[1] ~ '^Index Scan \S+_order$'
              WHEN 'index only' THEN NOT 'Sort' = ANY (nodes)
                   AND cardinality(scans) = 1 AND scans[1] ~ '^Index Only Scan \S+_cover$'
              WHEN 'none' THEN NOT 'Sort' = ANY (nodes) AND NOT 'Incremental Sort' = ANY (nodes)
                   AND scans = ARRAY['Seq Scan']
          END
          AND (p_expect = 'sort' OR p_label LIKE 'settle_case%' OR NOT 'Incremental Sort' = ANY (nodes));
    IF NOT ok THEN
        RAISE EXCEPTION 'bench/settle.sql: the plan of % is not "%": {%}',
            p_label, p_expect, array_to_string(nodes, ', ');
    END IF;
    RETURN format('%s: %s', p_label, array_to_string(nodes, ', '));
END
$$;

-- The variants each form runs in: all three, or the first alone for a form
-- with an expect of its own (the grouped form).
CREATE TEMP VIEW settle_runs AS
SELECT f.ord AS ford, f.label, f.descr, f.q, f.explain,
       v.ord AS vord, v.suffix, v.descr AS vdescr, v.settings, coalesce(f.expect, v.expect) AS expect
  FROM settle_forms f JOIN bench.settle_variants v ON f.expect IS NULL OR v.ord = 1;

INSERT INTO bench.notices (section, msg)
SELECT 'settle', 'sorts and scans of each plan (checked): '
       || string_agg(bench.settle_plan_check(label || suffix, explain, settings, expect), '; '
                     ORDER BY vord, ford)
  FROM settle_runs;

-- What the planner does by itself (default settings) with both indexes there.
INSERT INTO bench.notices (section, msg)
SELECT 'settle', 'with default settings the one pass is planned as: '
       || array_to_string(bench.settle_plan_nodes(q, '{}'), ', ')
  FROM settle_forms WHERE label = 'settle_one';
-- and the grouped form (timed with the index paths off, like the sorted
-- cases: this says the planner would not pick an index for it either)
INSERT INTO bench.notices (section, msg)
SELECT 'settle', 'with default settings the grouped one pass is planned as: '
       || array_to_string(bench.settle_plan_nodes(q, '{}'), ', ')
  FROM settle_forms WHERE label = 'settle_grouped';

SELECT bench.add_case('settle', label || suffix, descr || vdescr, q, :rows, false, settings)
  FROM settle_runs
 ORDER BY vord, ford;

INSERT INTO bench.ratios (section, name, num, den, target, note, if_meets, if_misses)
SELECT 'settle', r.name || v.descr, r.num || v.suffix, ARRAY[r.den || v.suffix], r.target, NULL, r.if_meets, r.if_misses
  FROM bench.settle_variants v CROSS JOIN (VALUES
    (1, 'one pass / floor', 'settle_one', 'settle_floor', '<= 1.3', NULL, NULL),
    (2, 'four-pass / one pass', 'settle_four', 'settle_one', '>= 3', NULL, NULL),
    (3, 'inline CASE / one pass', 'settle_case', 'settle_one', '>= 3', NULL, NULL),
    (4, 'PL/pgSQL loop / one pass', 'settle_plpgsql', 'settle_one', NULL, NULL, NULL),
    (5, 'four-pass / floor', 'settle_four', 'settle_floor', NULL, NULL, NULL),
    (6, 'keyed one pass / floor', 'settle_keyed', 'settle_floor', '<= 1.3', NULL, NULL),
    (7, 'four-pass / keyed one pass', 'settle_four', 'settle_keyed', '>= 3', NULL, NULL),
    (8, 'inline CASE / keyed one pass', 'settle_case', 'settle_keyed', '>= 3', NULL, NULL),
    (9, 'keyed one pass / one pass', 'settle_keyed', 'settle_one', NULL, NULL, NULL),
    (10, 'keyed one pass / its window doing nothing', 'settle_keyed', 'settle_bound', NULL, NULL, NULL),
    (11, 'four-pass / the keyed window doing nothing (the most any keyed function could reach)', 'settle_four', 'settle_bound', NULL, NULL, NULL)) r(ord, name, num, den, target, if_meets, if_misses)
 ORDER BY v.ord, r.ord;
-- The grouped form, run once, against the sorted forms, and (information)
-- against the four-pass form and the floor reading an index: the grouped
-- form sorts nothing without an index, the others need one to spare the
-- sort.
INSERT INTO bench.ratios (section, name, num, den, target, note) VALUES
    ('settle', 'grouped one pass / floor', 'settle_grouped', '{settle_floor}', '<= 1.3', NULL),
    ('settle', 'four-pass / grouped one pass', 'settle_four', '{settle_grouped}', '>= 3', NULL),
    ('settle', 'inline CASE / grouped one pass', 'settle_case', '{settle_grouped}', '>= 3', NULL),
    ('settle', 'PL/pgSQL loop / grouped one pass', 'settle_plpgsql', '{settle_grouped}', NULL, NULL),
    ('settle', 'grouped one pass / keyed one pass', 'settle_grouped', '{settle_keyed}', NULL, NULL),
    ('settle', 'four-pass [index order, no sort] / grouped one pass', 'settle_four_ix', '{settle_grouped}', NULL,
     'the grouped form reads no index'),
    ('settle', 'four-pass [covering index, no sort] / grouped one pass', 'settle_four_cover', '{settle_grouped}', NULL,
     'the grouped form reads no index'),
    ('settle', 'grouped one pass / floor with the covering index', 'settle_grouped', '{settle_floor_cover}', NULL,
     'the grouped form reads no index');
INSERT INTO bench.ratios (section, name, num, den, target, note) VALUES
    ('settle', 'one pass sorted / in index order', 'settle_one', '{settle_one_ix}', NULL,
     'above 1: reading in index order costs less than sorting'),
    ('settle', 'one pass sorted / with the covering index', 'settle_one', '{settle_one_cover}', NULL, NULL),
    ('settle', 'floor sorted / in index order', 'settle_floor', '{settle_floor_ix}', NULL, NULL),
    ('settle', 'floor sorted / with the covering index', 'settle_floor', '{settle_floor_cover}', NULL, NULL);

INSERT INTO bench.checks (name, a, b)
SELECT c.name || v.descr, c.a || v.suffix, c.b || v.suffix
  FROM bench.settle_variants v CROSS JOIN (VALUES
    (1, 'one pass = four-pass', 'settle_one', 'settle_four'),
    (2, 'one pass = inline CASE', 'settle_one', 'settle_case'),
    (3, 'one pass = PL/pgSQL loop', 'settle_one', 'settle_plpgsql'),
    (4, 'one pass = keyed one pass', 'settle_one', 'settle_keyed')) c(ord, name, a, b)
 ORDER BY v.ord, c.ord;
INSERT INTO bench.checks (name, a, b) VALUES
    ('one pass sorted = in index order', 'settle_one', 'settle_one_ix'),
    ('one pass sorted = with the covering index', 'settle_one', 'settle_one_cover'),
    ('one pass = grouped one pass', 'settle_one', 'settle_grouped');

SELECT bench.run_section('settle', :rounds);
