-- bench/report.sql: print the timings, ratios and checks of this run as
-- Markdown tables. Targets are reported, never asserted.

\set ON_ERROR_STOP on
\pset format unaligned
\pset tuples_only on
\pset footer off

CREATE TEMP VIEW ratio_values AS
SELECT r.ord, r.section, r.name, r.target, r.note, r.if_meets, r.if_misses,
       round(n.t_ms / avg(d.t_ms), 2) AS value
FROM bench.ratios r
JOIN bench.best n ON n.label = r.num
JOIN bench.best d ON d.label = ANY (r.den)
GROUP BY r.ord, r.section, r.name, r.target, r.note, r.if_meets, r.if_misses, n.t_ms;

SELECT coalesce(bool_and(cpu_ms IS NOT NULL), false) AS have_cpu FROM bench.runs \gset
SELECT '### Timings (best of ' || max(round) || ' after one warm-up; '
       || CASE WHEN :'have_cpu' THEN 'ns/row and ratios from the best CPU time' ELSE 'ns/row and ratios from the best wall time' END
       || ')'
FROM bench.runs;
SELECT '';
SELECT '| section | benchmark | best CPU ms | best wall ms | median wall ms | ns/row | result |';
SELECT '|---|---|---:|---:|---:|---:|---|';
SELECT format('| %s | %s | %s | %s | %s | %s | %s%s |',
              section, replace(descr, '|', '\|'), coalesce(best_cpu_ms::text, '-'), best_ms,
              round(median_ms::numeric, 1), round(t_ms * 1000000 / nrows), result,
              CASE WHEN distinct_results > 1 THEN ' **(results differ between runs!)**' ELSE '' END)
FROM bench.best ORDER BY ord;

SELECT '';
SELECT '### Ratios (same run)';
SELECT '';
SELECT '| section | ratio | value | target | |';
SELECT '|---|---|---:|---|---|';
SELECT format('| %s | %s | %s | %s | %s |',
              section, name, value, coalesce(target, 'info'),
              CASE
                  WHEN target IS NULL THEN coalesce(note, '')
                  WHEN (target LIKE '<=%' AND value <= substr(target, 3)::numeric)
                    OR (target LIKE '>=%' AND value >= substr(target, 3)::numeric)
                  THEN 'meets' || coalesce(' (' || nullif(concat_ws('; ', if_meets, note), '') || ')', '')
                  -- a miss says which way: the value against the bound it fails
                  ELSE format('**MISSES** (%s %s %s%s)', value,
                              CASE WHEN target LIKE '<=%' THEN '>' ELSE '<' END,
                              btrim(substr(target, 3)),
                              coalesce(': ' || nullif(concat_ws('; ', if_misses, note), ''), ''))
              END)
FROM ratio_values ORDER BY ord;

SELECT '' WHERE EXISTS (SELECT FROM bench.checks);
SELECT '### Do the sums agree?' WHERE EXISTS (SELECT FROM bench.checks);
SELECT '' WHERE EXISTS (SELECT FROM bench.checks);
SELECT '| check | left | right | |' WHERE EXISTS (SELECT FROM bench.checks);
SELECT '|---|---:|---:|---|' WHERE EXISTS (SELECT FROM bench.checks);
SELECT format('| %s | %s | %s | %s |', c.name, a.result, b.result,
              CASE WHEN a.result::numeric = b.result::numeric THEN 'equal'
                   ELSE '**MISMATCH**' END)
FROM bench.checks c
JOIN bench.best a ON a.label = c.a
JOIN bench.best b ON b.label = c.b
ORDER BY c.ord;

SELECT '' WHERE EXISTS (SELECT FROM bench.notices);
SELECT '### Notices' WHERE EXISTS (SELECT FROM bench.notices);
SELECT '' WHERE EXISTS (SELECT FROM bench.notices);
SELECT '- ' || section || ': ' || msg FROM bench.notices ORDER BY ord;
