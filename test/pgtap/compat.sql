-- pgTAP: what depends on the server's major version (src/compat.h).
-- Run with pg_prove in a database with CREATE EXTENSION pgtap and bangfu;
-- scripts/test.sh runs it on PostgreSQL 15 and, in its pg17 pass, on 17.
--
-- Soft input errors (PostgreSQL 16 and later): the text input functions of
-- bangfu.tiers (0, the bracketed schedule) and bangfu.cnid (二, 八: the
-- resident ID) report a bad literal through the caller's error context, so
-- pg_input_is_valid() answers false instead of raising, and
-- pg_input_error_info() gives the same message and SQLSTATE 22P02 that a
-- cast raises. On 15 those functions do not exist: the tests are skipped
-- there, and the cast itself still raises 22P02 (checked on every version).
BEGIN;
SELECT plan(14);

-- Every version: the library answers and a bad literal is 22P02.
SELECT is(bangfu.version(), (SELECT extversion FROM pg_extension WHERE extname = 'bangfu'),
          'the library loaded is the build of the installed version');
SELECT throws_ok($$SELECT 'xyz'::bangfu.tiers$$, '22P02', NULL,
                 'a bad tiers literal raises 22P02 when cast');
SELECT throws_ok($$SELECT '11010519491231002Y'::bangfu.cnid$$, '22P02', NULL,
                 'a bad cnid literal raises 22P02 when cast');

-- 16 and later hand out palloc memory aligned to 8 bytes only (the chunk
-- header shrank), so a 128-bit field of a cached state must not be read as
-- 16-byte aligned: 八(1)'s explanation over rows, the first of them NULL,
-- crashed the backend on 17 (found by sqlsmith).
SELECT lives_ok($$SELECT count(bangfu.enterprise_subsidy_explain(p.amount, p.amount, p.amount, p.valid_from))
                    FROM (SELECT NULL::numeric, date '2026-01-01' UNION ALL
                          SELECT 20000, date '2026-01-01' UNION ALL SELECT 30000, date '2026-02-01') p(amount, valid_from)$$,
                'enterprise_subsidy_explain over rows whose first is NULL (128-bit fields of its cache)');

-- 16 and later: soft errors.
CREATE TEMP TABLE v16 AS
SELECT current_setting('server_version_num')::int >= 160000 AS soft;

SELECT CASE WHEN NOT soft THEN skip('pg_input_is_valid() arrived in PostgreSQL 16', 1)
       ELSE results_eq($$SELECT pg_input_is_valid('flat: [0,6000] 10%, (6000,12000] 15%; cap 15000', 'bangfu.tiers')$$,
                       $$VALUES (true)$$, 'pg_input_is_valid: a good tiers literal') END FROM v16;
SELECT CASE WHEN NOT soft THEN skip('pg_input_is_valid() arrived in PostgreSQL 16', 1)
       ELSE results_eq($$SELECT pg_input_is_valid('xyz', 'bangfu.tiers')$$,
                       $$VALUES (false)$$, 'pg_input_is_valid: unknown mode, false without an error') END FROM v16;
SELECT CASE WHEN NOT soft THEN skip('pg_input_is_valid() arrived in PostgreSQL 16', 1)
       ELSE results_eq($$SELECT pg_input_is_valid('flat: [0,6000] 10%, [6000,12000] 15%', 'bangfu.tiers')$$,
                       $$VALUES (false)$$, 'pg_input_is_valid: overlapping brackets, false') END FROM v16;
SELECT CASE WHEN NOT soft THEN skip('pg_input_is_valid() arrived in PostgreSQL 16', 1)
       ELSE results_eq($$SELECT pg_input_is_valid('flat: (6000,6000.01) 10%', 'bangfu.tiers')$$,
                       $$VALUES (false)$$, 'pg_input_is_valid: a bracket with no whole fen, false') END FROM v16;
SELECT CASE WHEN NOT soft THEN skip('pg_input_error_info() arrived in PostgreSQL 16', 1)
       ELSE results_eq($$SELECT sql_error_code::text, message FROM pg_input_error_info('xyz', 'bangfu.tiers')$$,
                       $$VALUES ('22P02', 'invalid input syntax for type tiers: "xyz"')$$,
                       'pg_input_error_info: tiers gives 22P02 and the message a cast gives') END FROM v16;
SELECT CASE WHEN NOT soft THEN skip('pg_input_is_valid() arrived in PostgreSQL 16', 1)
       ELSE results_eq($$SELECT pg_input_is_valid('11010519491231002X', 'bangfu.cnid')$$,
                       $$VALUES (true)$$, 'pg_input_is_valid: a good cnid') END FROM v16;
SELECT CASE WHEN NOT soft THEN skip('pg_input_is_valid() arrived in PostgreSQL 16', 1)
       ELSE results_eq($$SELECT pg_input_is_valid('11010519491231002Y', 'bangfu.cnid')$$,
                       $$VALUES (false)$$, 'pg_input_is_valid: a cnid with a bad last character, false') END FROM v16;
SELECT CASE WHEN NOT soft THEN skip('pg_input_is_valid() arrived in PostgreSQL 16', 1)
       ELSE results_eq($$SELECT pg_input_is_valid('110105194912310023', 'bangfu.cnid')$$,
                       $$VALUES (false)$$, 'pg_input_is_valid: a cnid with a wrong check digit, false') END FROM v16;
SELECT CASE WHEN NOT soft THEN skip('pg_input_error_info() arrived in PostgreSQL 16', 1)
       ELSE results_eq($$SELECT sql_error_code::text, message FROM pg_input_error_info('11010519491231002Y', 'bangfu.cnid')$$,
                       $$VALUES ('22P02', 'invalid input syntax for type cnid: "11010519491231002Y"')$$,
                       'pg_input_error_info: cnid gives 22P02 and the message a cast gives') END FROM v16;
-- 17: COPY ... (ON_ERROR ignore) skips rows whose literal is bad, through
-- the same soft errors; a clerk's import of a roster keeps the good rows.
SELECT current_setting('server_version_num')::int >= 170000 AS pg17 \gset
\if :pg17
-- (a file of its own: psql cannot skip COPY data inside an \if branch)
\ir compat_copy17.psql
\else
SELECT skip('COPY ... ON_ERROR arrived in PostgreSQL 17', 1);
\endif

SELECT * FROM finish();
ROLLBACK;
