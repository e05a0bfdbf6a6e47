-- Every grant deliberate (issue 8): the privileges every role other than
-- the owner holds on bangfu's objects, PUBLIC's default EXECUTE on
-- functions and USAGE on types included, are exactly the reviewed list in
-- test/security/grants.txt.  Run from the repository's top directory (the
-- list is read with \copy).
\set ON_ERROR_STOP 1
SET client_min_messages = warning;
BEGIN;
SELECT plan(7);

\i test/security/grants_query.psql
CREATE TEMP TABLE reviewed (line text);
\copy reviewed FROM 'test/security/grants.txt'
DELETE FROM reviewed WHERE line ~ '^\s*(#|$)';

SELECT cmp_ok((SELECT count(*)::integer FROM reviewed), '>', 100, 'the reviewed list is read');
SELECT is_empty($$SELECT line FROM bangfu_grants EXCEPT SELECT line FROM reviewed ORDER BY 1$$,
                'no privilege outside the reviewed list (test/security/grants.txt)');
SELECT is_empty($$SELECT line FROM reviewed EXCEPT SELECT line FROM bangfu_grants ORDER BY 1$$,
                'every privilege of the reviewed list is granted');
-- The list's own spot checks: what the issue names.
SELECT is_empty($$SELECT line FROM bangfu_grants
                   WHERE line ~ '^(table|view|column) (bangfu\.usage|bangfu\.usage_report|bangfu_register\.(household|member|medical_stay|relief_grant|exclusion))[ .].*\| (PUBLIC|bangfu_reader|bangfu_hrss) \|'
                   ORDER BY 1$$,
                'PUBLIC, bangfu_reader and bangfu_hrss read no table or view with ID numbers or what a person received');

-- Install hazards, by class: no function of bangfu looks names up in its
-- caller's search_path when it runs.  PL/pgSQL and SQL functions with a
-- string body pin theirs; SQL-standard bodies (prosqlbody) are bound when
-- created.  SECURITY DEFINER ones above all.
SELECT is_empty($$SELECT p.oid::regprocedure::text FROM pg_proc p
                    JOIN pg_depend d ON d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e'
                    JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'bangfu'
                   WHERE p.prosecdef
                     AND NOT coalesce(p.proconfig::text[] && ARRAY['search_path=pg_catalog, pg_temp'], false)
                   ORDER BY 1$$,
                'every SECURITY DEFINER function of bangfu runs with search_path = pg_catalog, pg_temp');
SELECT is_empty($$SELECT p.oid::regprocedure::text FROM pg_proc p
                    JOIN pg_language l ON l.oid = p.prolang AND l.lanname IN ('sql', 'plpgsql')
                    JOIN pg_depend d ON d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e'
                    JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'bangfu'
                   WHERE p.prosqlbody IS NULL
                     AND NOT coalesce(EXISTS (SELECT FROM unnest(p.proconfig) c WHERE c LIKE 'search\_path=%'), false)
                   ORDER BY 1$$,
                'every SQL or PL/pgSQL function of bangfu with a string body pins its search_path');

-- Every SECURITY DEFINER function is deliberate: doc/security.md ("What
-- the owner's rights are used for") names each, with why it needs the
-- owner and why it is safe.  A new one fails here until it is written up.
CREATE TEMP TABLE security_doc (line text);
\copy security_doc FROM 'doc/security.md' WITH (FORMAT csv, DELIMITER E'\x01', QUOTE E'\x02')
SELECT is_empty($$SELECT p.oid::regprocedure::text FROM pg_proc p
                   WHERE p.prosecdef
                     AND p.pronamespace IN ('bangfu'::regnamespace, 'bangfu_register'::regnamespace)
                     AND NOT EXISTS (SELECT FROM security_doc d
                                      WHERE d.line LIKE '| %'
                                        AND strpos(d.line, '`' || p.pronamespace::regnamespace::text || '.'
                                                           || p.proname || '(') > 0)
                   ORDER BY 1$$,
                'every SECURITY DEFINER function is written up in doc/security.md, with its reasons');

SELECT * FROM finish();
ROLLBACK;
