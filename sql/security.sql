-- search_path safety (house style, SQL section; contrib/seg's security test):
-- a user who can put a schema first on the search_path plants look-alikes of
-- the operators and functions the extension uses.  Neither the install
-- script nor the rules may call them.
--
-- This test drops and re-creates the extension; it ends with the extension
-- installed as shipped, so the tests after it see what they would anyway.
SET client_min_messages = warning;  -- the extension may exist already
CREATE EXTENSION IF NOT EXISTS bangfu;
RESET client_min_messages;
SET DateStyle = 'ISO, YMD';

-- What is shipped now, as text (no column of an extension type, so that the
-- extension can be dropped).
CREATE TEMP TABLE shipped_before AS
    SELECT param, valid_from, coalesce(tiers::text, amount::text, count::text, band::text) AS value, note
      FROM bangfu.policy WHERE shipped;
CREATE TEMP TABLE params_before AS SELECT param, kind, clause, description FROM bangfu.policy_param;
SELECT count(*) AS user_rows FROM bangfu.policy WHERE NOT shipped;  -- 0: nothing of other tests to lose

-- ---------------------------------------------------------------------------
-- The traps.  Each raises, so that a single call shows as an error; the
-- range functions also stand ready to lie.  Signatures are chosen to beat
-- pg_catalog's where evil comes first: exact matches for operators and
-- functions on text, numeric, date and numrange; num_nonnulls with three
-- exact argument types against pg_catalog's VARIADIC "any".
-- ---------------------------------------------------------------------------
CREATE SCHEMA evil;
CREATE FUNCTION evil.trap(what text) RETURNS boolean LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'evil % called', what;
END
$$;
CREATE FUNCTION evil.text_eq(text, text) RETURNS boolean LANGUAGE sql AS $$ SELECT evil.trap('text =') $$;
CREATE FUNCTION evil.text_ne(text, text) RETURNS boolean LANGUAGE sql AS $$ SELECT evil.trap('text <>') $$;
CREATE FUNCTION evil.numeric_eq(numeric, numeric) RETURNS boolean LANGUAGE sql AS $$ SELECT evil.trap('numeric =') $$;
CREATE FUNCTION evil.numeric_ne(numeric, numeric) RETURNS boolean LANGUAGE sql AS $$ SELECT evil.trap('numeric <>') $$;
CREATE FUNCTION evil.numeric_lt(numeric, numeric) RETURNS boolean LANGUAGE sql AS $$ SELECT evil.trap('numeric <') $$;
CREATE FUNCTION evil.numeric_gt(numeric, numeric) RETURNS boolean LANGUAGE sql AS $$ SELECT evil.trap('numeric >') $$;
CREATE FUNCTION evil.date_le(date, date) RETURNS boolean LANGUAGE sql AS $$ SELECT evil.trap('date <=') $$;
CREATE FUNCTION evil.int_eq(integer, integer) RETURNS boolean LANGUAGE sql AS $$ SELECT evil.trap('integer =') $$;
CREATE OPERATOR evil.= (LEFTARG = text, RIGHTARG = text, FUNCTION = evil.text_eq);
CREATE OPERATOR evil.<> (LEFTARG = text, RIGHTARG = text, FUNCTION = evil.text_ne);
CREATE OPERATOR evil.= (LEFTARG = numeric, RIGHTARG = numeric, FUNCTION = evil.numeric_eq);
CREATE OPERATOR evil.<> (LEFTARG = numeric, RIGHTARG = numeric, FUNCTION = evil.numeric_ne);
CREATE OPERATOR evil.< (LEFTARG = numeric, RIGHTARG = numeric, FUNCTION = evil.numeric_lt);
CREATE OPERATOR evil.> (LEFTARG = numeric, RIGHTARG = numeric, FUNCTION = evil.numeric_gt);
CREATE OPERATOR evil.<= (LEFTARG = date, RIGHTARG = date, FUNCTION = evil.date_le);
CREATE OPERATOR evil.= (LEFTARG = integer, RIGHTARG = integer, FUNCTION = evil.int_eq);
CREATE FUNCTION evil.num_nonnulls(anyelement, numeric, integer, numrange) RETURNS integer
    LANGUAGE plpgsql AS $$ BEGIN PERFORM evil.trap('num_nonnulls'); RETURN 1; END $$;
CREATE FUNCTION evil.lower(numrange) RETURNS numeric LANGUAGE sql AS $$ SELECT 999::numeric $$;
CREATE FUNCTION evil.upper(numrange) RETURNS numeric LANGUAGE sql AS $$ SELECT 999::numeric $$;
CREATE FUNCTION evil.isempty(numrange) RETURNS boolean LANGUAGE sql AS $$ SELECT evil.trap('isempty') $$;
CREATE FUNCTION evil.round(numeric, integer) RETURNS numeric
    LANGUAGE plpgsql AS $$ BEGIN PERFORM evil.trap('round'); RETURN 0; END $$;
CREATE FUNCTION evil.format(text, text) RETURNS text
    LANGUAGE plpgsql AS $$ BEGIN PERFORM evil.trap('format'); RETURN ''; END $$;
CREATE FUNCTION evil.now() RETURNS timestamptz
    LANGUAGE plpgsql AS $$ BEGIN PERFORM evil.trap('now'); RETURN NULL; END $$;

-- The traps work: with evil first, plain SQL walks into them.
SET search_path = evil, pg_catalog, public;
SELECT 'a'::text = 'a'::text;
SELECT 1.0::numeric < 2.0::numeric;
SELECT num_nonnulls(1, 2.0::numeric, 3, numrange(1, 2));
SELECT lower(numrange(1, 2));
-- Even with pg_catalog implicitly first, num_nonnulls resolves to evil's
-- (three exact argument types beat VARIADIC "any").
SET search_path = evil, public;
SELECT num_nonnulls(1, 2.0::numeric, 3, numrange(1, 2));
RESET search_path;

-- ---------------------------------------------------------------------------
-- (0) The install guard (issue 8, src/base.sql): schema bangfu must be a
-- superuser's, nobody else may create objects in it, and it must be empty.
-- (test/security/access_install.sh plays the attacks; here the messages.)
-- ---------------------------------------------------------------------------
DROP EXTENSION bangfu;
\set VERBOSITY terse
CREATE FUNCTION bangfu.limit_forget_books() RETURNS void LANGUAGE sql AS '';
CREATE EXTENSION bangfu;
DROP FUNCTION bangfu.limit_forget_books();
CREATE ROLE regress_bangfu_squatter;
GRANT CREATE ON SCHEMA bangfu TO regress_bangfu_squatter;
CREATE EXTENSION bangfu;
REVOKE CREATE ON SCHEMA bangfu FROM regress_bangfu_squatter;
ALTER SCHEMA bangfu OWNER TO regress_bangfu_squatter;
CREATE EXTENSION bangfu;
ALTER SCHEMA bangfu OWNER TO CURRENT_USER;
DROP ROLE regress_bangfu_squatter;
\set VERBOSITY default
CREATE EXTENSION bangfu;

-- ---------------------------------------------------------------------------
-- (a) Re-installing with evil first on the search_path: the install script is
-- not fooled, and the shipped policy comes back intact.
-- ---------------------------------------------------------------------------
SET search_path = evil, pg_catalog, public;
DROP EXTENSION bangfu;
CREATE EXTENSION bangfu;

-- (b) The rules and the store's reader with the traps in place.  Results are
-- kept in a table and compared once the search_path is clean again.
CREATE TEMP TABLE seen (n int, what text, got text);
INSERT INTO seen VALUES
    (1, 'medical_reduction 6000.01',        bangfu.medical_reduction(6000.01, '2024-06-01', 0)),
    (2, 'medical_reduction 60000 after 15000', bangfu.medical_reduction(60000, '2024-06-01', 15000)),
    (3, 'illness_relief 40000',             bangfu.illness_relief(40000, '2024-06-01', 0)),
    (4, 'apply 2/3 of 100.01',              bangfu.apply('[0,) 2/3', 100.01)),
    (5, 'charity_bed in force',             (SELECT value FROM bangfu.policy_in_force('2024-06-01') AS p
                                              WHERE param OPERATOR(pg_catalog.=) 'medical.charity_bed'));
-- Force the policy cache to reload, through a guarded INSERT (the kind and
-- money checks, the foreign key, the statement trigger) and a DELETE.
INSERT INTO bangfu.policy (param, valid_from, tiers) VALUES
    ('medical.charity_bed', '2090-01-01', 'marginal: [0,6000] 10%, (6000,12000] 15%, (12000,20000] 20%, (20000,) 25%; cap 15000');
INSERT INTO bangfu.policy (param, valid_from, amount) VALUES ('medical.charity_bed.yearly_cap', '2090-01-01', 25000);
INSERT INTO seen VALUES
    (6, 'medical_reduction 6000.01 in 2090', bangfu.medical_reduction(6000.01, '2090-06-01', 0)),
    (7, 'medical_reduction 60000 after 15000 in 2090', bangfu.medical_reduction(60000, '2090-06-01', 15000)),
    (8, 'medical_reduction 6000.01 in 2089', bangfu.medical_reduction(6000.01, '2089-12-31', 0)),
    (9, 'charity_bed in force in 2090',     (SELECT value FROM bangfu.policy_in_force('2090-06-01') AS p
                                              WHERE param OPERATOR(pg_catalog.=) 'medical.charity_bed'));
-- A scenario, read through the same cache.
INSERT INTO bangfu.scenario (name) VALUES ('regress_evil');
INSERT INTO bangfu.scenario_value (scenario, param, amount) VALUES ('regress_evil', 'medical.serious_illness.yearly_cap', 40000);
INSERT INTO seen VALUES
    (10, 'illness_relief 40000, scenario',  bangfu.illness_relief(40000, '2024-06-01', 0, 'regress_evil'));
DELETE FROM bangfu.scenario WHERE name OPERATOR(pg_catalog.=) 'regress_evil';
DELETE FROM bangfu.policy WHERE NOT shipped;
INSERT INTO seen VALUES
    (11, 'medical_reduction 6000.01 in 2090 after DELETE', bangfu.medical_reduction(6000.01, '2090-06-01', 0)),
    (12, 'explain: policy_valid_from',      bangfu.medical_reduction_explain(6000.01, '2090-06-01', 0) ->> 'policy_valid_from'),
    (13, 'settlement 30000',                (SELECT s::text FROM bangfu.medical_settlement(30000, '2024-06-01', 0, 0) AS s));
-- The guards still refuse with evil first (and not with evil's errors).
DO $$
BEGIN
    INSERT INTO bangfu.policy (param, valid_from, amount) VALUES ('medical.charity_bed.yearly_cap', '2091-01-01', 20000.001);
EXCEPTION WHEN invalid_parameter_value THEN
    INSERT INTO seen VALUES (14, 'amount with 3 decimals', SQLERRM);
END
$$;
DO $$
BEGIN
    DELETE FROM bangfu.policy WHERE param OPERATOR(pg_catalog.=) 'medical.charity_bed';
EXCEPTION WHEN object_not_in_prerequisite_state THEN
    INSERT INTO seen VALUES (15, 'delete shipped', SQLERRM);
END
$$;
-- (c) The same with pg_catalog implicitly first.
SET search_path = evil, public;
INSERT INTO bangfu.policy (param, valid_from, amount) VALUES ('medical.serious_illness.yearly_cap', '2090-01-01', 35000);
INSERT INTO seen VALUES
    (21, 'medical_reduction 6000.01, evil, public', bangfu.medical_reduction(6000.01, '2024-06-01', 0)),
    (22, 'illness_relief 40000 in 2090',            bangfu.illness_relief(40000, '2090-06-01', 0)),
    (23, 'yearly cap in force in 2090',             (SELECT value FROM bangfu.policy_in_force('2090-06-01') AS p
                                                      WHERE param OPERATOR(pg_catalog.=) 'medical.serious_illness.yearly_cap'));
DELETE FROM bangfu.policy WHERE NOT shipped;
RESET search_path;

-- Hand values: 6000.01 → 900.00 flat (spec); 60000 after 15000 → 5000.00
-- (spec); 40000 → 30000.00 (spec); 2/3 of 100.01 → 66.67 (spec 五);
-- marginal 6000.01 → 600.00; 60000 after 15000 of 25000 → min(13100, 10000)
-- = 10000.00; scenario cap 40000: 32000.00; 30000 → 7500 / 18000 / 4500;
-- 40000 × 80% = 32000 under a yearly cap of 35000: 32000.00.
SELECT n, what, got, got = want AS ok
  FROM seen JOIN (VALUES
    (1, '900.00'), (2, '5000.00'), (3, '30000.00'), (4, '66.67'),
    (5, 'flat: [0,6000] 10%, (6000,12000] 15%, (12000,20000] 20%, (20000,) 25%; cap 15000'),
    (6, '600.00'), (7, '10000.00'), (8, '900.00'),
    (9, 'marginal: [0,6000] 10%, (6000,12000] 15%, (12000,20000] 20%, (20000,) 25%; cap 15000'),
    (10, '32000.00'), (11, '900.00'), (12, '-infinity'), (13, '(7500.00,18000.00,4500.00)'),
    (14, 'policy parameter "medical.charity_bed.yearly_cap": amount 20000.001 is not money (0 to 1000000000000 yuan, to the fen)'),
    (15, 'the shipped default of "medical.charity_bed" cannot be changed or removed'),
    (21, '900.00'), (22, '32000.00'), (23, '35000')
  ) AS w(n, want) USING (n)
 ORDER BY n;

-- The re-installed store is the shipped one, row for row.
SELECT (SELECT count(*) FROM shipped_before WHERE param LIKE 'medical.%') AS medical_rows,
       (SELECT count(*) FROM (SELECT param, valid_from, coalesce(tiers::text, amount::text, count::text, band::text), note
                                FROM bangfu.policy
                              EXCEPT SELECT * FROM shipped_before) AS x) AS new_or_changed,
       (SELECT count(*) FROM (SELECT * FROM shipped_before
                              EXCEPT SELECT param, valid_from, coalesce(tiers::text, amount::text, count::text, band::text), note
                                FROM bangfu.policy) AS x) AS missing,
       (SELECT count(*) FROM (SELECT param, kind, clause, description FROM bangfu.policy_param
                              EXCEPT SELECT * FROM params_before) AS x) AS params_new_or_changed,
       (SELECT count(*) FROM (SELECT * FROM params_before
                              EXCEPT SELECT param, kind, clause, description FROM bangfu.policy_param) AS x) AS params_missing;
SELECT param, valid_from, kind, value FROM bangfu.policy_in_force('2024-06-01')
 WHERE param LIKE 'medical.%' ORDER BY param;
-- The install script made nothing in the evil schema and nothing of evil's
-- is part of the extension.
SELECT count(*) AS evil_members
  FROM pg_depend d JOIN pg_extension e ON d.refobjid = e.oid AND d.refclassid = 'pg_extension'::regclass
 WHERE e.extname = 'bangfu' AND d.deptype = 'e'
   AND ((d.classid = 'pg_proc'::regclass AND d.objid IN (SELECT p.oid FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = 'evil'))
     OR (d.classid = 'pg_operator'::regclass AND d.objid IN (SELECT o.oid FROM pg_operator o JOIN pg_namespace n ON n.oid = o.oprnamespace WHERE n.nspname = 'evil')));
SELECT count(*) AS evil_objects_now FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = 'evil';  -- the 16 planted

-- Leave the database as it was.
SET client_min_messages = warning;
DROP SCHEMA evil CASCADE;
RESET client_min_messages;
DROP TABLE seen, shipped_before, params_before;
SELECT count(*) AS user_rows FROM bangfu.policy WHERE NOT shipped;
RESET DateStyle;
