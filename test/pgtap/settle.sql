-- pgTAP: a caseload settled in one window pass (issue 12), against three
-- other ways of getting the same figures:
--   * the ready register, which settles each stay on insert against what
--     the person-year used (bangfu_register.medical_stay, src/register.sql);
--   * the shipped policy written as plain numeric SQL (as test/pgtap/
--     oracle.sql does for one stay), carried stay after stay by a recursive
--     query;
--   * the limit engine's clamp (bangfu.attach_limit), for bangfu.capped.
-- Run with pg_prove in a database with CREATE EXTENSION pgtap and bangfu;
-- the register, an extension of its own, is created here and rolled back.
BEGIN;
SET LOCAL client_min_messages = warning;
CREATE EXTENSION bangfu_register;
RESET client_min_messages;
SELECT plan(28);

-- the operators of bangfu.cnid live in schema bangfu
SET LOCAL search_path = public, bangfu;

-- The contract: window functions (WINDOW: called once per row in the
-- window's order, no frame computed), their signatures, STABLE (they read
-- the policy store), PARALLEL SAFE; and nothing left of the aggregates they
-- were before (their support functions).
SELECT is((SELECT array_agg(pg_get_function_identity_arguments(p.oid)::text || ' ' || p.prokind::text
                            || p.provolatile::text || p.proparallel::text ORDER BY p.pronargs, p.proargtypes::text)
             FROM pg_proc p WHERE p.pronamespace = 'bangfu'::regnamespace AND p.proname = 'medical_settle'),
          ARRAY['cost numeric, on_date date wss',
                'cost numeric, on_date date, stay_key bigint wss',
                'cost numeric, on_date date, scenario text wss',
                'cost numeric, on_date date, reduced_before numeric, relieved_before numeric wss',
                'cost numeric, on_date date, stay_key bigint, scenario text wss',
                'cost numeric, on_date date, reduced_before numeric, relieved_before numeric, scenario text wss',
                'cost numeric, on_date date, stay_key bigint, reduced_before numeric, relieved_before numeric wss',
                'cost numeric, on_date date, stay_key bigint, reduced_before numeric, relieved_before numeric, scenario text wss'],
          'medical_settle: eight window functions (four keyed), STABLE, PARALLEL SAFE');
SELECT is((SELECT array_agg(pg_get_function_identity_arguments(p.oid)::text || ' ' || p.prokind::text
                            || p.provolatile::text || p.proparallel::text ORDER BY p.pronargs, p.proargtypes::text)
             FROM pg_proc p WHERE p.pronamespace = 'bangfu'::regnamespace AND p.proname = 'capped'),
          ARRAY['limit_name text, amount numeric, on_date date wss',
                'limit_name text, amount numeric, on_date date, used_before numeric wss',
                'limit_name text, amount numeric, on_date date, used_before numeric, scenario text wss',
                'limit_name text, amount numeric, on_date date, row_key bigint, used_before numeric wss',
                'limit_name text, amount numeric, on_date date, row_key bigint, used_before numeric, scenario text wss'],
          'capped: five window functions (two keyed), STABLE, PARALLEL SAFE');
SELECT is((SELECT array_agg(pg_get_function_identity_arguments(p.oid)::text || ' ' || p.prokind::text
                            || p.provolatile::text || p.proparallel::text ORDER BY p.pronargs, p.proargtypes::text)
             FROM pg_proc p WHERE p.pronamespace = 'bangfu'::regnamespace
              AND p.proname IN ('medical_settle_grouped', 'capped_grouped')),
          ARRAY['person anyelement, cost numeric, on_date date, stay_key bigint wss',
                'person anyelement, cost numeric, on_date date, stay_key bigint, scenario text wss',
                'person anyelement, cost numeric, on_date date, stay_key bigint, reduced_before numeric, relieved_before numeric wss',
                'limit_name text, subject anyelement, amount numeric, on_date date, row_key bigint, used_before numeric wss',
                'person anyelement, cost numeric, on_date date, stay_key bigint, reduced_before numeric, relieved_before numeric, scenario text wss',
                'limit_name text, subject anyelement, amount numeric, on_date date, row_key bigint, used_before numeric, scenario text wss'],
          'the grouped forms: four of medical_settle_grouped, two of capped_grouped, window functions, STABLE, PARALLEL SAFE');
-- A four-argument capped with an integer (what a clerk types for months
-- already used) is the used_before form, not a keyed one.
SELECT is((SELECT bangfu.capped('pension_months', 12, d, 30) OVER (ORDER BY d)
             FROM (VALUES (date '2026-01-01')) v(d)),
          6::numeric, '五 capped(limit, 12, on_date, 30): 30 of 36 months used, 6 left');
SELECT is((SELECT count(*)::integer FROM pg_proc WHERE pronamespace = 'bangfu'::regnamespace
              AND proname IN ('medical_settle_step', 'medical_settle_final', 'capped_step', 'capped_final')),
          0, 'no aggregate support functions are left');
SELECT is((SELECT prorettype FROM pg_proc WHERE oid = 'bangfu.medical_settle(numeric, date)'::regprocedure),
          'bangfu.settlement'::regtype::oid, 'medical_settle returns bangfu.settlement');

-- A seeded caseload: 60 people, 2025-2026, a heavy tail so that the per-stay
-- and both yearly caps bite, some stays on the same day.
SELECT setseed(0.0412);
CREATE TEMP TABLE tap_people AS
SELECT n, (p || substr('10X98765432',
                       ((SELECT sum(substr(p, i, 1)::integer * w[i]) FROM generate_series(1, 17) i) % 11 + 1)::integer,
                       1))::bangfu.cnid AS person
  FROM generate_series(1, 60) AS n,
       LATERAL (SELECT '11010519750101' || lpad(n::text, 3, '0') AS p,
                       ARRAY[7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2] AS w) s;
INSERT INTO bangfu_register.household (id, head, lost_capacity)
SELECT 7000 + n, person, true FROM tap_people;
INSERT INTO bangfu_register.member (household_id, id, name, relation)
SELECT 7000 + n, person, 'head', '户主' FROM tap_people;
CREATE TEMP TABLE tap_stays AS
SELECT g AS k, p.person,
       date '2025-01-01' + floor(random() * 730)::integer AS discharged,
       round((200 + 8000 * -ln(1 - random()) * CASE WHEN g % 4 = 0 THEN 5 ELSE 1 END)::numeric, 2) AS cost
  FROM generate_series(1, 900) AS g
  JOIN tap_people p ON p.n = 1 + g % 60;
-- Entered in date order, as clerks would: the register settles each stay.
INSERT INTO bangfu_register.medical_stay (person, discharged, cost)
SELECT person, discharged, cost FROM tap_stays ORDER BY discharged, k;

SELECT is((SELECT count(*)::integer FROM bangfu_register.medical_stay s JOIN tap_people p USING (person)),
          900, 'the register holds the 900 stays');
SELECT ok((SELECT count(*) FROM bangfu_register.medical_stay s JOIN tap_people p USING (person)
            WHERE reduction = 15000) > 0
          AND (SELECT count(*) FROM (SELECT person, extract(year FROM discharged), sum(reduction) AS r, sum(relief) AS l
                                       FROM bangfu_register.medical_stay JOIN tap_people USING (person)
                                      GROUP BY 1, 2) y WHERE r = 20000) > 0
          AND (SELECT count(*) FROM (SELECT person, extract(year FROM discharged), sum(relief) AS l
                                       FROM bangfu_register.medical_stay JOIN tap_people USING (person)
                                      GROUP BY 1, 2) y WHERE l = 30000) > 0,
   'the caseload reaches the 15,000 stay cap and both yearly caps');

-- 1. The register's own settlement, stay by stay.
SELECT is_empty($$
    SELECT id, reduction, relief, patient_pays, (s).*
      FROM (SELECT m.*, bangfu.medical_settle(cost, discharged)
                           OVER (PARTITION BY person ORDER BY discharged, id) AS s
              FROM bangfu_register.medical_stay m JOIN tap_people USING (person)) x
     WHERE (s).reduction <> reduction OR (s).relief <> relief OR (s).patient_pays <> patient_pays$$,
    '四 medical_settle over the register equals the register''s settlement on every stay');
SELECT is_empty($$
    SELECT id, reduction, relief, patient_pays, (s).*
      FROM (SELECT m.*, bangfu.medical_settle(cost, discharged, id) OVER (PARTITION BY person) AS s
              FROM bangfu_register.medical_stay m JOIN tap_people USING (person)) x
     WHERE (s).reduction <> reduction OR (s).relief <> relief OR (s).patient_pays <> patient_pays$$,
    '四 the keyed medical_settle(cost, discharged, id) OVER (PARTITION BY person) equals it too');
-- The grouped form, grouping the register's people by their ID numbers
-- (bangfu.cnid, through its hash function) in one window.
SELECT is_empty($$
    SELECT id, reduction, relief, patient_pays, (s).*
      FROM (SELECT m.*, bangfu.medical_settle_grouped(person, cost, discharged, id) OVER () AS s
              FROM bangfu_register.medical_stay m JOIN tap_people USING (person)) x
     WHERE (s).reduction <> reduction OR (s).relief <> relief OR (s).patient_pays <> patient_pays$$,
    '四 the grouped medical_settle_grouped(person, cost, discharged, id) OVER () equals it too');
SELECT is((SELECT count(DISTINCT person)::integer FROM bangfu_register.medical_stay JOIN tap_people USING (person)), 60,
          'the register''s stays of 60 people in that one window');

-- 2. The shipped policy as plain numeric SQL: flat brackets 10/15/20/25 %
-- (bounds 6000, 12000, 20000 included below), 15,000 a stay, 20,000 a year;
-- then 60/70/80 % (bounds 10000, 20000) of what is still owed, 30,000 a year.
-- Rounded once each, half away from zero (round()), caps after rounding.
-- The oracle's figures, stay by stay (id, red, rel), compared with each form.
CREATE TEMP TABLE tap_oracle AS
WITH RECURSIVE ordered AS (
    SELECT id, person, discharged, cost,
           row_number() OVER (PARTITION BY person ORDER BY discharged, id) AS n
      FROM bangfu_register.medical_stay JOIN tap_people USING (person)
), walk AS (
    SELECT o.id, o.person, o.n, o.discharged, x.red, y.rel,
           x.red AS reduced, y.rel AS relieved
      FROM ordered o,
           LATERAL (SELECT least(15000, round(o.cost * CASE WHEN o.cost <= 6000 THEN 0.10
                                                          WHEN o.cost <= 12000 THEN 0.15
                                                          WHEN o.cost <= 20000 THEN 0.20
                                                          ELSE 0.25 END, 2), 20000) AS red) x,
           LATERAL (SELECT least(round((o.cost - x.red) * CASE WHEN o.cost - x.red <= 10000 THEN 0.60
                                                             WHEN o.cost - x.red <= 20000 THEN 0.70
                                                             ELSE 0.80 END, 2), 30000) AS rel) y
     WHERE o.n = 1
    UNION ALL
    SELECT o.id, o.person, o.n, o.discharged, x.red, y.rel,
           x.used_red + x.red, y.used_rel + y.rel
      FROM walk w
      JOIN ordered o ON o.person OPERATOR(bangfu.=) w.person AND o.n = w.n + 1,
           LATERAL (SELECT CASE WHEN extract(year FROM o.discharged) = extract(year FROM w.discharged)
                                THEN w.reduced ELSE 0 END AS used_red,
                           CASE WHEN extract(year FROM o.discharged) = extract(year FROM w.discharged)
                                THEN w.relieved ELSE 0 END AS used_rel) u,
           LATERAL (SELECT u.used_red, least(least(15000, round(o.cost * CASE WHEN o.cost <= 6000 THEN 0.10
                                                                 WHEN o.cost <= 12000 THEN 0.15
                                                                 WHEN o.cost <= 20000 THEN 0.20
                                                                 ELSE 0.25 END, 2)),
                                             greatest(0, 20000 - u.used_red)) AS red) x,
           LATERAL (SELECT u.used_rel, least(round((o.cost - x.red) * CASE WHEN o.cost - x.red <= 10000 THEN 0.60
                                                                         WHEN o.cost - x.red <= 20000 THEN 0.70
                                                                         ELSE 0.80 END, 2),
                                             greatest(0, 30000 - u.used_rel)) AS rel) y
)
SELECT id, red, rel FROM walk;
SELECT is_empty($$
    SELECT w.id, w.red, w.rel, (x.s).*
      FROM tap_oracle w
      JOIN (SELECT id, bangfu.medical_settle(cost, discharged)
                          OVER (PARTITION BY person ORDER BY discharged, id) AS s
              FROM bangfu_register.medical_stay JOIN tap_people USING (person)) x USING (id)
     WHERE (x.s).reduction <> w.red OR (x.s).relief <> w.rel$$,
    '四 medical_settle equals the shipped policy written as plain numeric SQL, stay after stay');
SELECT is_empty($$
    SELECT w.id, w.red, w.rel, (x.s).*
      FROM tap_oracle w
      JOIN (SELECT id, bangfu.medical_settle_grouped(person, cost, discharged, id) OVER () AS s
              FROM bangfu_register.medical_stay JOIN tap_people USING (person)) x USING (id)
     WHERE (x.s).reduction <> w.red OR (x.s).relief <> w.rel$$,
    '四 medical_settle_grouped equals the plain numeric SQL too');

-- 3. A starting use: settle a second batch of 2026 stays in one pass, with
-- what the register already holds for each person-year as reduced_before /
-- relieved_before (bangfu.limit_used, the ledger), then enter them: the
-- register gives the same figures.
CREATE TEMP TABLE tap_batch AS
SELECT g AS k, p.person, date '2026-12-31' AS discharged,
       round((500 + 9000 * -ln(1 - random()))::numeric, 2) AS cost
  FROM generate_series(1, 120) AS g JOIN tap_people p ON p.n = 1 + g % 60;
CREATE TEMP TABLE tap_predicted AS
SELECT k, (s).*
  FROM (SELECT b.k, bangfu.medical_settle(cost, discharged,
                    bangfu.limit_used('charity_bed_yearly', person::text, discharged),
                    bangfu.limit_used('serious_illness_yearly', person::text, discharged))
                    OVER (PARTITION BY person ORDER BY discharged, k) AS s
          FROM tap_batch b) x;
CREATE TEMP TABLE tap_predicted_grouped AS
SELECT k, (s).*
  FROM (SELECT b.k, bangfu.medical_settle_grouped(person, cost, discharged, k,
                    bangfu.limit_used('charity_bed_yearly', person::text, discharged),
                    bangfu.limit_used('serious_illness_yearly', person::text, discharged))
                    OVER () AS s
          FROM tap_batch b) x;
CREATE TEMP TABLE tap_entered (k int, reduction numeric, relief numeric, patient_pays numeric);
WITH ins AS (
    INSERT INTO bangfu_register.medical_stay (person, discharged, cost, note)
    SELECT person, discharged, cost, k::text AS note FROM tap_batch ORDER BY tap_batch.k
    RETURNING note, reduction, relief, patient_pays)
INSERT INTO tap_entered SELECT note::int, reduction, relief, patient_pays FROM ins;
SELECT ok((SELECT count(*) FROM tap_predicted WHERE reduction > 0) > 0
          AND (SELECT count(*) FROM tap_predicted WHERE reduction = 0) > 0,
          'the batch has stays with and without room left under the 四(1) cap');
SELECT results_eq($$SELECT k, reduction, relief, patient_pays FROM tap_predicted ORDER BY k$$,
                  $$SELECT k, reduction, relief, patient_pays FROM tap_entered ORDER BY k$$,
                  '四 a batch settled in one pass with reduced_before/relieved_before equals the register''s settlement of it');
SELECT results_eq($$SELECT k, reduction, relief, patient_pays FROM tap_predicted_grouped ORDER BY k$$,
                  $$SELECT k, reduction, relief, patient_pays FROM tap_entered ORDER BY k$$,
                  '四 the same batch, grouped, equals it too');

-- 4. bangfu.capped equals the limit engine's clamp (attach_limit), for a
-- money limit by year and a count limit over a lifetime.
CREATE TABLE pg_temp.tap_red (id serial PRIMARY KEY, person int NOT NULL, d date NOT NULL, amount numeric(12,2) NOT NULL);
SELECT bangfu.attach_limit('pg_temp.tap_red', 'charity_bed_yearly', '{person}', 'amount', 'd', 'clamp');
CREATE TEMP TABLE tap_red_in AS
SELECT g AS id, 1 + g % 25 AS person, date '2025-01-01' + floor(random() * 730)::integer AS d,
       round((random() * 16000)::numeric, 2) AS amount
  FROM generate_series(1, 500) AS g;
INSERT INTO pg_temp.tap_red (id, person, d, amount) SELECT id, person, d, amount FROM tap_red_in ORDER BY d, id;
SELECT is_empty($$
    SELECT i.id, r.amount, c
      FROM (SELECT id, bangfu.capped('charity_bed_yearly', amount, d) OVER (PARTITION BY person ORDER BY d, id) AS c
              FROM tap_red_in) i
      JOIN pg_temp.tap_red r USING (id)
     WHERE r.amount <> c$$,
    '四(1) capped(charity_bed_yearly) equals the limit engine''s clamp on every row');
SELECT is_empty($$
    SELECT i.id, r.amount, c
      FROM (SELECT id, bangfu.capped('charity_bed_yearly', amount, d, id, 0) OVER (PARTITION BY person) AS c
              FROM tap_red_in) i
      JOIN pg_temp.tap_red r USING (id)
     WHERE r.amount <> c$$,
    '四(1) the keyed capped(charity_bed_yearly, amount, d, id, 0) equals the clamp too');
SELECT is_empty($$
    SELECT i.id, r.amount, c
      FROM (SELECT id, bangfu.capped_grouped('charity_bed_yearly', person, amount, d, id, 0) OVER () AS c
              FROM tap_red_in) i
      JOIN pg_temp.tap_red r USING (id)
     WHERE r.amount <> c$$,
    '四(1) the grouped capped_grouped(charity_bed_yearly, person, amount, d, id, 0) OVER () equals the clamp too');
SELECT ok((SELECT count(*) FROM pg_temp.tap_red r JOIN tap_red_in i USING (id) WHERE r.amount < i.amount) > 10,
          'the yearly cap cut some rows');

CREATE TABLE pg_temp.tap_months (id serial PRIMARY KEY, person int NOT NULL, d date NOT NULL, months integer NOT NULL);
SELECT bangfu.attach_limit('pg_temp.tap_months', 'pension_months', '{person}', 'months', 'd', 'clamp');
CREATE TEMP TABLE tap_months_in AS
SELECT g AS id, 1 + g % 10 AS person, date '2023-01-01' + floor(random() * 1500)::integer AS d,
       1 + floor(random() * 12)::integer AS months
  FROM generate_series(1, 80) AS g;
INSERT INTO pg_temp.tap_months (id, person, d, months) SELECT id, person, d, months FROM tap_months_in ORDER BY d, id;
SELECT is_empty($$
    SELECT i.id, m.months, c
      FROM (SELECT id, bangfu.capped('pension_months', months, d) OVER (PARTITION BY person ORDER BY d, id) AS c
              FROM tap_months_in) i
      JOIN pg_temp.tap_months m USING (id)
     WHERE m.months <> c$$,
    '五 capped(pension_months) equals the limit engine''s clamp on every row');
SELECT is_empty($$
    SELECT i.id, m.months, c
      FROM (SELECT id, bangfu.capped_grouped('pension_months', person, months, d, id, 0) OVER () AS c
              FROM tap_months_in) i
      JOIN pg_temp.tap_months m USING (id)
     WHERE m.months <> c$$,
    '五 capped_grouped(pension_months) equals the clamp on every row, in whole months');
SELECT is((SELECT max(s)::integer FROM (SELECT sum(months) AS s FROM pg_temp.tap_months GROUP BY person) x), 36,
          '五 36 months at most per person');

-- A limit whose cap is a function (二 quota: floor(5 % of the year's urban
-- households), read through bangfu.limit_cap): 40 households → 2 grants.
INSERT INTO bangfu_register.county_year (year, urban_households) VALUES (2031, 40);
SELECT results_eq(
    $$SELECT bangfu.capped('relief_quota', 1500, d) OVER (ORDER BY d)
        FROM (VALUES (date '2031-01-01'), ('2031-02-01'), ('2031-03-01')) AS v(d) ORDER BY d$$,
    $$VALUES (1500.00::numeric), (1500.00), (0.00)$$,
    '二 capped(relief_quota) lets 2 grants through for 40 households');

-- 5. Run in parallel: the per-stay rule functions can run in workers; the
-- window function runs above the Gather, in the leader, with the same result.
SET LOCAL max_parallel_workers_per_gather = 2;
SET LOCAL parallel_setup_cost = 0;
SET LOCAL parallel_tuple_cost = 0;
SET LOCAL min_parallel_table_scan_size = 0;
CREATE FUNCTION pg_temp.plan_of(q text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
    line text;
    result text := '';
BEGIN
    FOR line IN EXECUTE 'EXPLAIN (COSTS OFF) ' || q LOOP
        result := result || line || E'\n';
    END LOOP;
    RETURN result;
END
$$;
SELECT matches(pg_temp.plan_of($$SELECT (bangfu.medical_settle(cost, discharged) OVER (PARTITION BY person ORDER BY discharged, id)).reduction
                                   FROM bangfu_register.medical_stay WHERE bangfu.medical_reduction(cost, discharged) >= 0$$),
               'WindowAgg.*Gather.*Parallel Seq Scan',
               'the window function runs in the leader, above a Gather of workers evaluating the per-stay rule');
SELECT results_eq(
    $$SELECT sum((s).reduction), sum((s).relief) FROM
        (SELECT bangfu.medical_settle(cost, discharged) OVER (PARTITION BY person ORDER BY discharged, id) AS s
           FROM bangfu_register.medical_stay WHERE note IS NULL) x$$,
    $$SELECT sum(reduction), sum(relief) FROM bangfu_register.medical_stay WHERE note IS NULL$$,
    'the same sums with parallel query allowed');
SELECT matches(pg_temp.plan_of($$SELECT (bangfu.medical_settle_grouped(person, cost, discharged, id) OVER ()).reduction
                                   FROM bangfu_register.medical_stay WHERE bangfu.medical_reduction(cost, discharged) >= 0$$),
               '^WindowAgg\s+->  Gather.*Parallel Seq Scan',
               'the grouped form: no sort at all, the window function above a Gather of workers');

SELECT * FROM finish();
ROLLBACK;
