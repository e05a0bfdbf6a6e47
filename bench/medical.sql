-- bench/medical.sql: issue 2 "Speed", the charity-bed reduction 四(1).
--
-- psql variables: rows (number of stays), rounds (counted runs per case).
--
-- Data: :rows stays, cost numeric(12,2) drawn log-normally (median 8,000,
-- long right tail, clamped to 0..60,000 so a sliver sits on the 60,000 edge
-- where the 15,000 stay cap bites), dates uniform over 2024-01-01..2025-12-31.
-- Seeded, so every run sees the same table.
--
-- Sections, in this order (the policy change must come last):
--   medical      one policy version: floor, bangfu, inline CASE, PL/pgSQL
--   medical-jit  the floor, bangfu and CASE again, JIT-compiled with every
--                optimisation (info only: with the default thresholds these
--                plans are too cheap for JIT, so the default is the jit-off
--                figure; the compile time is part of the figure)
--   medical-2v   after adding a marginal version valid from 2025-01-01:
--                per-row date spread over both versions vs a fixed date

\set ON_ERROR_STOP on
SET client_min_messages = warning;

SELECT setseed(0.2024);
CREATE TABLE bench.stays (
    id   integer NOT NULL,
    cost numeric(12,2) NOT NULL,
    d    date NOT NULL
);
INSERT INTO bench.stays
SELECT g,
       least(60000, greatest(0, round(exp(ln(8000) + 0.9 * sqrt(-2 * ln(1 - random()))
                                                      * cos(2 * pi() * random()))::numeric, 2))),
       DATE '2024-01-01' + floor(random() * 731)::integer
FROM generate_series(1, :rows) g;
VACUUM ANALYZE bench.stays;

-- (c) the same rule as a straightforward PL/pgSQL function.
CREATE FUNCTION bench.charity_bed_plpgsql(cost numeric) RETURNS numeric
LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS $$
DECLARE
    rate numeric;
BEGIN
    IF cost <= 6000 THEN
        rate := 0.10;
    ELSIF cost <= 12000 THEN
        rate := 0.15;
    ELSIF cost <= 20000 THEN
        rate := 0.20;
    ELSE
        rate := 0.25;
    END IF;
    RETURN least(15000, round(cost * rate, 2));
END
$$;

-- The hand-written rules, as SQL expressions over a column named cost.
\set flat_case 'least(15000, round(cost * CASE WHEN cost <= 6000 THEN 0.10 WHEN cost <= 12000 THEN 0.15 WHEN cost <= 20000 THEN 0.20 ELSE 0.25 END, 2))'
\set marginal_case 'least(15000, round(0.10 * least(cost, 6000) + 0.15 * greatest(0, least(cost, 12000) - 6000) + 0.20 * greatest(0, least(cost, 20000) - 12000) + 0.25 * greatest(0, cost - 20000), 2))'

SELECT bench.add_case('medical', 'floor', '(a) sum(abs(cost))',
    'SELECT sum(abs(cost)) FROM bench.stays', :rows);
SELECT bench.add_case('medical', 'bangfu', 'bangfu: sum(bangfu.medical_reduction(cost))',
    'SELECT sum(bangfu.medical_reduction(cost)) FROM bench.stays', :rows);
SELECT bench.add_case('medical', 'case', '(b) inline SQL CASE, incl. 15000 cap',
    'SELECT sum(' || :'flat_case' || ') FROM bench.stays', :rows);
SELECT bench.add_case('medical', 'plpgsql', '(c) PL/pgSQL IMMUTABLE IF/ELSIF',
    'SELECT sum(bench.charity_bed_plpgsql(cost)) FROM bench.stays', :rows);
SELECT bench.add_case('medical', 'bangfu_d1', 'bangfu, per-row on_date, one version',
    'SELECT sum(bangfu.medical_reduction(cost, d)) FROM bench.stays', :rows);

SELECT bench.add_case('medical-jit', 'floor_jit', '(a) sum(abs(cost)), JIT forced',
    'SELECT sum(abs(cost)) FROM bench.stays', :rows, true);
SELECT bench.add_case('medical-jit', 'bangfu_jit', 'bangfu, JIT forced',
    'SELECT sum(bangfu.medical_reduction(cost)) FROM bench.stays', :rows, true);
SELECT bench.add_case('medical-jit', 'case_jit', '(b) inline CASE, JIT forced',
    'SELECT sum(' || :'flat_case' || ') FROM bench.stays', :rows, true);

SELECT bench.add_case('medical-2v', 'bangfu_2v', 'bangfu, per-row on_date over two versions',
    'SELECT sum(bangfu.medical_reduction(cost, d)) FROM bench.stays', :rows);
SELECT bench.add_case('medical-2v', 'fixed_flat', 'bangfu, fixed date 2024-07-01 (flat version)',
    'SELECT sum(bangfu.medical_reduction(cost, DATE ''2024-07-01'')) FROM bench.stays', :rows);
SELECT bench.add_case('medical-2v', 'fixed_marginal', 'bangfu, fixed date 2025-07-01 (marginal version)',
    'SELECT sum(bangfu.medical_reduction(cost, DATE ''2025-07-01'')) FROM bench.stays', :rows);
SELECT bench.add_case('medical-2v', 'case_2v', 'inline CASE switching flat/marginal on d',
    'SELECT sum(CASE WHEN d < DATE ''2025-01-01'' THEN ' || :'flat_case'
        || ' ELSE ' || :'marginal_case' || ' END) FROM bench.stays', :rows);

INSERT INTO bench.ratios (section, name, num, den, target, note) VALUES
    ('medical', 'bangfu / (a) floor', 'bangfu', '{floor}', '<= 1.5', NULL),
    ('medical', '(b) CASE / bangfu', 'case', '{bangfu}', '>= 2', NULL),
    ('medical', '(c) PL/pgSQL / bangfu', 'plpgsql', '{bangfu}', '>= 5', NULL),
    ('medical-2v', 'two versions / fixed date', 'bangfu_2v', '{fixed_flat,fixed_marginal}', '<= 1.3',
     'fixed = mean of the two fixed-date runs, so only the per-row date differs'),
    ('medical', 'per-row date (one version) / bangfu', 'bangfu_d1', '{bangfu}', NULL, NULL),
    ('medical-2v', 'two versions / bangfu (fixed, first section)', 'bangfu_2v', '{bangfu}', NULL, NULL),
    ('medical-2v', 'CASE two versions / bangfu two versions', 'case_2v', '{bangfu_2v}', NULL, NULL),
    ('medical-jit', 'JIT forced: bangfu / (a) floor', 'bangfu_jit', '{floor_jit}', NULL, NULL),
    ('medical-jit', 'JIT forced: (b) CASE / bangfu', 'case_jit', '{bangfu_jit}', NULL, NULL);

INSERT INTO bench.checks (name, a, b) VALUES
    ('bangfu sum = (b) CASE sum', 'bangfu', 'case'),
    ('bangfu sum = (c) PL/pgSQL sum', 'bangfu', 'plpgsql'),
    ('per-row date, one version = fixed date', 'bangfu_d1', 'bangfu'),
    ('two versions: bangfu sum = CASE sum', 'bangfu_2v', 'case_2v');

SELECT bench.run_section('medical', :rounds);
SELECT bench.run_section('medical-jit', :rounds);

-- The policy change of issue 2: the reduction turns marginal from mid-range
-- (dated in the past: acknowledged, 十二).
INSERT INTO bangfu.policy (param, valid_from, tiers, backdate_ack)
VALUES ('medical.charity_bed', DATE '2025-01-01',
        'marginal: [0,6000] 10%, (6000,12000] 15%, (12000,20000] 20%, (20000,) 25%; cap 15000',
        'bench: a second version, dated in the past');

SELECT bench.run_section('medical-2v', :rounds);
