-- Every grant deliberate (issue 8): the privileges every role other than
-- the owner holds on bangfu's objects, PUBLIC's default EXECUTE on
-- functions and USAGE on types included, are exactly the reviewed list in
-- test/security/grants.txt.  Run from the repository's top directory (the
-- list is read with \copy).
\set ON_ERROR_STOP 1
SET client_min_messages = warning;
BEGIN;
SELECT plan(4);

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

SELECT * FROM finish();
ROLLBACK;
