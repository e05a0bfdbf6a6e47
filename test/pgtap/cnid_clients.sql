-- pgTAP: a bangfu.cnid column compared the way clients compare it (issue 10),
-- with the DEFAULT search_path ("$user", public: bangfu is not on it).
--   psql and psycopg2 send a string literal (type unknown);
--   node-postgres sends an untyped parameter (unknown);
--   JDBC tools (DBeaver, Metabase) send setString() as varchar, others text.
-- The identity number names the applicant in 二 (published lists) and gives
-- the age and sex of 八(1); a comparison that fails, or that a user's own
-- operator could answer, would mislead both.
-- Run with pg_prove in a database with CREATE EXTENSION pgtap and bangfu.
BEGIN;
SELECT plan(31);

SET LOCAL search_path = "$user", public;

-- 11010519491231002X is the example of GB 11643-1999; 110105491231002 is
-- the same person's 15-digit legacy number; 440524188001010014 another one.
CREATE TEMP TABLE person (id bangfu.cnid PRIMARY KEY, name text NOT NULL);
INSERT INTO person VALUES ('11010519491231002X', '王某'), ('440524188001010014', '李某');
CREATE TEMP TABLE stay (stay int PRIMARY KEY, person bangfu.cnid NOT NULL REFERENCES person, cost numeric(12,2) NOT NULL);
INSERT INTO stay VALUES (1, '11010519491231002X', 6000.01), (2, '11010519491231002X', 100), (3, '440524188001010014', 50);
ANALYZE person;
ANALYZE stay;

-- A string literal, as psql and psycopg2 send it.
SELECT is((SELECT name FROM person WHERE id = '11010519491231002X'), '王某',
          'default search_path: cnid = string literal');
SELECT is((SELECT name FROM person WHERE id = '110105491231002'), '王某',
          'default search_path: a 15-digit legacy literal is the same person');
SELECT is((SELECT name FROM person WHERE '11010519491231002x' = id), '王某',
          'default search_path: literal = cnid, lower-case x');
SELECT is((SELECT count(*)::int FROM person WHERE id <> '11010519491231002X'), 1,
          'default search_path: cnid <> literal');
SELECT is((SELECT count(*)::int FROM person WHERE id < '440524188001010014'), 1,
          'default search_path: cnid < literal (ordered by region, birth date, sequence)');
SELECT is((SELECT count(*)::int FROM person WHERE id >= '11010519491231002X' AND id <= '440524188001010014'), 2,
          'default search_path: cnid >= and <= literal');
SELECT is((SELECT count(*)::int FROM person WHERE id > '11010519491231002X'), 1,
          'default search_path: cnid > literal');
SELECT is((SELECT count(*)::int FROM person WHERE id IN ('11010519491231002X', '440524188001010014')), 2,
          'default search_path: cnid IN (literals)');

-- Parameters typed text (psycopg3, npgsql, many ORMs) and varchar (JDBC).
PREPARE by_text(text) AS SELECT name FROM person WHERE id = $1;
PREPARE by_varchar(varchar) AS SELECT name FROM person WHERE id = $1;
PREPARE by_varchar_left(varchar) AS SELECT name FROM person WHERE $1 = id;
PREPARE by_text_left(text) AS SELECT name FROM person WHERE $1 = id;
PREPARE not_varchar(varchar) AS SELECT name FROM person WHERE id <> $1;
PREPARE not_text_left(text) AS SELECT name FROM person WHERE $1 <> id;
PREPARE any_text(text[]) AS SELECT count(*)::int FROM person WHERE id = ANY ($1);
SELECT is((SELECT name FROM person WHERE id = '11010519491231002X'::text), '王某', 'cnid = text');
SELECT results_eq('EXECUTE by_text(''110105491231002'')', $$VALUES ('王某')$$, 'cnid = text parameter (legacy form)');
SELECT results_eq('EXECUTE by_varchar(''11010519491231002x'')', $$VALUES ('王某')$$, 'cnid = varchar parameter (JDBC setString)');
SELECT results_eq('EXECUTE by_varchar_left(''440524188001010014'')', $$VALUES ('李某')$$, 'varchar parameter = cnid');
SELECT results_eq('EXECUTE by_text_left(''440524188001010014'')', $$VALUES ('李某')$$, 'text parameter = cnid');
SELECT results_eq('EXECUTE not_varchar(''440524188001010014'')', $$VALUES ('王某')$$, 'cnid <> varchar parameter');
SELECT results_eq('EXECUTE not_text_left(''440524188001010014'')', $$VALUES ('王某')$$, 'text parameter <> cnid');
SELECT results_eq($$EXECUTE any_text('{11010519491231002X,440524188001010014}')$$, $$VALUES (2)$$, 'cnid = ANY (text[] parameter)');
SELECT is((SELECT count(*)::int FROM person WHERE id = NULL::text), 0, 'cnid = NULL text is not true');

-- A text that is not an identity number is refused like a bad literal, not
-- compared as a string: 22P02 naming the failed check.
SELECT throws_ok($$SELECT count(*) FROM person WHERE id = '11010519491231002A'::text$$, '22P02', NULL,
                 'cnid = a text that is no identity number: 22P02');
SELECT throws_ok($$SELECT count(*) FROM person WHERE id = '110105194912310023'::varchar$$, '22P02',
                 'invalid input syntax for type cnid: "110105194912310023"',
                 'cnid = varchar with a wrong check character: 22P02');

-- Other constructs that look up "=" by name.
SELECT is((SELECT count(*)::int FROM person WHERE id IS DISTINCT FROM '110105491231002'), 1,
          'default search_path: IS DISTINCT FROM literal');
SELECT is((SELECT count(*)::int FROM person WHERE id IN (SELECT person FROM stay WHERE cost > 1000)), 1,
          'default search_path: cnid IN (subquery)');
SELECT is((SELECT string_agg(CASE id WHEN '110105491231002' THEN 'legacy match' ELSE 'other' END, ',' ORDER BY id) FROM person),
          'legacy match,other', 'default search_path: CASE cnid WHEN literal');
SELECT is((SELECT count(NULLIF(id, '11010519491231002X'))::int FROM person), 1,
          'default search_path: NULLIF(cnid, literal)');

-- A join along the foreign key, with the default search_path.
SELECT results_eq(
    $$SELECT p.name, sum(s.cost) FROM stay s JOIN person p ON p.id = s.person GROUP BY p.name ORDER BY 1$$,
    $$VALUES ('李某', 50.00), ('王某', 6100.01)$$,
    'join on the foreign key between cnid columns, default search_path');

-- The operators that make this work are bangfu's own index operator once
-- planned: a text or varchar parameter uses the primary key's btree index.
CREATE FUNCTION pg_temp.plan_of(q text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
    line text;
    plan text := '';
BEGIN
    FOR line IN EXECUTE 'EXPLAIN (COSTS OFF) ' || q LOOP
        plan := plan || line || E'\n';
    END LOOP;
    RETURN plan;
END
$$;
SET LOCAL enable_seqscan = off;
SELECT matches(pg_temp.plan_of('EXECUTE by_varchar(''11010519491231002X'')'), 'Index (Only )?Scan using person_pkey',
               'cnid = varchar parameter uses the btree index');
SELECT matches(pg_temp.plan_of($$SELECT name FROM person WHERE id = '11010519491231002X'$$), 'Index (Only )?Scan using person_pkey',
               'cnid = literal uses the btree index');
SELECT matches(pg_temp.plan_of($$SELECT * FROM stay s JOIN person p ON p.id = s.person$$), '(Hash|Merge) Join|Nested Loop',
               'the join is an ordinary equi-join');
RESET enable_seqscan;

-- A user who can create objects in a schema on someone's search_path plants
-- operators that say every number matches (a Trojan operator would also run
-- its function with the victim's rights).  The planted ones must never be
-- chosen: bangfu's are exact matches in pg_catalog, searched first.
CREATE SCHEMA evil;
CREATE FUNCTION evil.yes(bangfu.cnid, text) RETURNS boolean LANGUAGE sql AS 'SELECT true';
CREATE FUNCTION evil.yes(bangfu.cnid, varchar) RETURNS boolean LANGUAGE sql AS 'SELECT true';
CREATE FUNCTION evil.yes(bangfu.cnid, bangfu.cnid) RETURNS boolean LANGUAGE sql AS 'SELECT true';
CREATE OPERATOR evil.= (LEFTARG = bangfu.cnid, RIGHTARG = text, FUNCTION = evil.yes);
CREATE OPERATOR evil.= (LEFTARG = bangfu.cnid, RIGHTARG = varchar, FUNCTION = evil.yes);
CREATE OPERATOR evil.= (LEFTARG = bangfu.cnid, RIGHTARG = bangfu.cnid, FUNCTION = evil.yes);
SET LOCAL search_path = evil, public;
SELECT is((SELECT count(*)::int FROM person WHERE id = '440524188001010014'::text), 1,
          'a planted evil.=(cnid, text) is not chosen');
SELECT is((SELECT count(*)::int FROM person WHERE id = '440524188001010014'::varchar), 1,
          'a planted evil.=(cnid, varchar) is not chosen');
SELECT is((SELECT count(*)::int FROM person WHERE id = '440524188001010014'), 1,
          'a planted evil.=(cnid, cnid) is not chosen for a literal');
SET LOCAL search_path = "$user", public;

-- They belong to the extension (DROP EXTENSION removes them).
SELECT is((SELECT count(*)::int FROM pg_operator o
             JOIN pg_depend d ON d.classid = 'pg_operator'::regclass AND d.objid = o.oid AND d.deptype = 'e'
             JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'bangfu'
            WHERE o.oprnamespace = 'pg_catalog'::regnamespace), 14,
          'the 14 comparison operators bangfu puts in pg_catalog are members of the extension');

SELECT * FROM finish();
ROLLBACK;
