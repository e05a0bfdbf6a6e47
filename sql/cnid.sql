--
-- bangfu.cnid: the Chinese resident identity number (GB 11643-1999).
--
-- Every test file runs in the same database; whichever runs first creates
-- the extension, quietly.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS bangfu;
RESET client_min_messages;

-- The comparison operators of cnid live in pg_catalog (issue 10), so every
-- session finds them, whatever its search_path; 0.2.0's names in schema
-- bangfu stay as aliases, so OPERATOR(bangfu.=) still works.
SELECT '110105491231002'::bangfu.cnid OPERATOR(bangfu.=) '11010519491231002X' AS same;

-- With the default search_path (bangfu not on it) a comparison with a
-- literal, a text or a varchar works (report tools, JDBC drivers); the text
-- forms are inlined into the operator of the btree class.
-- test/pgtap/cnid_clients.sql has the rest (parameters, joins, index use,
-- planted operators).
SHOW search_path;
SELECT v, v = '110105491231002' AS eq_literal, v <> '110105491231002' AS ne_literal,
       v = '11010519491231002x'::text AS eq_text, '11010519491231002X'::varchar = v AS varchar_eq,
       v < '440524188001010014' AS lt, v >= '440524188001010014' AS ge
  FROM (VALUES ('11010519491231002X'::bangfu.cnid), ('440524188001010014')) AS t(v);
-- The text is read as an identity number: one that is none is refused
-- (22P02), not compared character by character.
SELECT '11010519491231002X'::bangfu.cnid = '11010519491231002'::text;
SELECT '11010519491231002X'::bangfu.cnid = 'x'::varchar;
SET search_path = public, bangfu;

--
-- An ISO 7064 MOD 11-2 written here from the standard's definition (the
-- weight of position i is 2^(18-i) mod 11), not from the C code's table, so
-- every check character below is checked against something the extension
-- did not compute.  The valid literals in this file were built with it.
--
CREATE FUNCTION pg_temp.mod11_2(body text) RETURNS text
LANGUAGE sql IMMUTABLE STRICT AS $$
    SELECT substr('10X98765432',
                  1 + (SELECT sum(substr(body, i, 1)::int * ((1 << (18 - i)) % 11))
                       FROM generate_series(1, 17) AS i)::int % 11,
                  1)
$$;

-- It agrees with the two examples printed in GB 11643-1999.
SELECT body, pg_temp.mod11_2(body) AS check_char
FROM (VALUES ('11010519491231002', 'X'), ('44052418800101001', '4')) AS v(body, printed)
WHERE pg_temp.mod11_2(body) IS DISTINCT FROM printed;

-- Is the last character of an 18-character literal the right check character?
CREATE FUNCTION pg_temp.check_ok(input text) RETURNS boolean
LANGUAGE sql IMMUTABLE STRICT AS $$
    SELECT CASE WHEN btrim(input) ~ '^[0-9]{17}[0-9Xx]$'
                THEN upper(right(btrim(input), 1)) = pg_temp.mod11_2(left(btrim(input), 17))
           END
$$;

-- Try a literal; report the value or the SQLSTATE and detail of the error.
CREATE FUNCTION pg_temp.try_cnid(input text, OUT cnid text, OUT state text,
                                 OUT detail text)
LANGUAGE plpgsql AS $$
BEGIN
    cnid := CAST(CAST(input AS bangfu.cnid) AS text);
EXCEPTION WHEN OTHERS THEN
    GET STACKED DIAGNOSTICS state = RETURNED_SQLSTATE, detail = PG_EXCEPTION_DETAIL;
END
$$;

--
-- Good literals: printed form, what the rules read from it, and an
-- independent check of the printed check character.
--
SELECT input, c AS cnid, bangfu.birth_date(c), bangfu.sex(c), bangfu.mask(c),
       right(c::text, 1) = pg_temp.mod11_2(left(c::text, 17)) AS check_ok
FROM unnest(ARRAY[
    '11010519491231002X',       -- GB 11643 example: check character X
    '11010519491231002x',       -- lower-case x accepted, printed X
    '440524188001010014',       -- GB 11643 example: born 1880, digit 17 odd
    E' 11010519491231002X\t\n', -- white space around it is ignored
    '110105200002290013',       -- 29 February 2000 (divisible by 400)
    '11010519960229002X',       -- 29 February 1996
    '110105180001010002',       -- first supported birth date
    '999999210012319996',       -- last supported birth date, highest region
    '100000197001010012',       -- lowest region code
    '110105491231002',          -- legacy 15 digits: "19" inserted, check added
    '440524800101001',          -- legacy
    '110105960229123',          -- legacy, 29 February 1996
    '110105000101999'           -- legacy, 1 January 1900
]) WITH ORDINALITY AS t(input, n),
     LATERAL (SELECT CAST(input AS bangfu.cnid) AS c) AS s
ORDER BY n;

--
-- Bad literals, each with the check it fails.  The check_ok column shows
-- that literals rejected for their region or birth date carry the right check
-- character, so it is that check and not the check character that fired.
--
SELECT input, pg_temp.check_ok(input) AS check_ok, r.*
FROM unnest(ARRAY[
    '',
    '   ',
    '11010519491231002',        -- 17
    '1101051949123100',         -- 16
    '11010549123100',           -- 14
    '11010519491231002X1',      -- 19
    '1101051949123100201',      -- 19 digits
    '99999999999999999999999',  -- far too long
    '1101a519491231002X',
    'abcdefghijklmnopqr',
    'NaN',
    'Infinity',
    '-11010519491231002X',
    '+11010519491231002X',
    '1.1010519491231e17',
    '110105 19491231 002X',
    '110105-19491231-002X',
    '"11010519491231002X"',
    '１１０１０５19491231002X',  -- full-width digits
    '1101051949123100X2',       -- X before the end
    '11010549123100X',          -- a legacy number has no check character
    '010105194912310026',       -- region code starts with 0
    '010105491231002',          -- legacy, region code starts with 0
    '110105190002290025',       -- 1900 is not a leap year
    '110105202302290022',       -- 2023 is not a leap year
    '110105000229123',          -- legacy, 29 February 1900
    '110105199002300028',       -- 30 February
    '110105199004310027',       -- 31 April
    '110105199013010026',       -- month 13
    '110105199000010027',       -- month 00
    '110105199001000023',       -- day 00
    '110105179912310024',       -- before 1800
    '110105210101010020',       -- after 2100
    '110105194912310023',       -- check character 3, should be X
    '440524188001010015',       -- check character 5, should be 4
    '44052418800101001x'        -- check character x, should be 4
]) WITH ORDINALITY AS t(input, n),
     LATERAL pg_temp.try_cnid(input) AS r
ORDER BY n;

-- The whole error, as a clerk sees it.
SELECT '11010519491231002'::bangfu.cnid;
SELECT '110105194912310023'::bangfu.cnid;
SELECT ''::bangfu.cnid;

-- NULL in, NULL out.
SELECT NULL::bangfu.cnid AS cnid, bangfu.birth_date(NULL) IS NULL AS birth_null,
       bangfu.sex(NULL) IS NULL AS sex_null, bangfu.mask(NULL) IS NULL AS mask_null;

-- 八(1): age on a given day from the birth date.
SELECT c, bangfu.sex(c), extract(year FROM age(date '2024-06-30', bangfu.birth_date(c))) AS age
FROM unnest(ARRAY['11010519491231002X', '110105199602291233']::bangfu.cnid[]) AS c;

--
-- Comparison: a legacy number equals its 18-character form; order is by
-- region, then birth date, then sequence.
--
SELECT a, b, a < b AS lt, a <= b AS le, a = b AS eq, a <> b AS ne,
       a >= b AS ge, a > b AS gt, bangfu.cnid_cmp(a, b) AS cmp
FROM (VALUES
    ('11010519491231002X'::bangfu.cnid, '110105491231002'::bangfu.cnid),
    ('11010519491231002X', '440524188001010014'),   -- region
    ('440524188001010014', '11010519491231002X'),
    ('11010519491231002X', '11010519960229002X'),   -- birth date
    ('11010519960229002X', '110105199602291233'),   -- sequence
    ('110105199602291233', '11010519960229002X')
) AS v(a, b);

SELECT c FROM unnest(ARRAY['440524188001010014', '110105199602291233',
                           '11010519491231002X', '100000197001010012',
                           '11010519960229002X', '999999210012319996',
                           '110105180001010002']::bangfu.cnid[]) AS c
ORDER BY c;

SELECT c FROM unnest(ARRAY['440524188001010014', '110105199602291233',
                           '11010519491231002X', '100000197001010012']::bangfu.cnid[]) AS c
ORDER BY c DESC;

-- One person, whichever form was typed.
SELECT count(*) AS n, count(DISTINCT c) AS people
FROM unnest(ARRAY['11010519491231002X', '11010519491231002x', '110105491231002',
                  '440524188001010014']::bangfu.cnid[]) AS c;

--
-- Casts: text to cnid checks; cnid to text is allowed in assignment.
--
SELECT CAST(text '110105491231002' AS bangfu.cnid) AS from_text,
       CAST('110105491231002'::bangfu.cnid AS text) AS to_text;
CREATE TEMP TABLE cnid_as_text (t text);
INSERT INTO cnid_as_text SELECT '11010519491231002x'::bangfu.cnid;
SELECT t FROM cnid_as_text;

--
-- Binary output: version byte 1, then the 17 digits as a big-endian int8.
-- (Binary input is exercised by COPY ... (FORMAT binary), which a regression
-- test cannot feed; see src/cnid.c.)
--
SELECT c, bangfu.cnid_send(c) AS send,
       get_byte(bangfu.cnid_send(c), 0) AS version,
       ('x' || encode(substr(bangfu.cnid_send(c), 2), 'hex'))::bit(64)::bigint
           = left(c::text, 17)::bigint AS is_17_digits
FROM unnest(ARRAY['11010519491231002X', '999999210012319996',
                  '100000197001010012']::bangfu.cnid[]) AS c;

-- The hashes are int8's hashes of the 17 digits.
SELECT c,
       bangfu.cnid_hash(c) = hashint8(left(c::text, 17)::bigint) AS hash_ok,
       bangfu.cnid_hash_extended(c, 0) = hashint8extended(left(c::text, 17)::bigint, 0) AS ext0_ok,
       bangfu.cnid_hash_extended(c, 42) = hashint8extended(left(c::text, 17)::bigint, 42) AS ext42_ok
FROM unnest(ARRAY['11010519491231002X', '440524188001010014']::bangfu.cnid[]) AS c;

--
-- Tables: primary key, btree and hash indexes, joins, hash partitioning.
-- 1000 applicants, one born each day from 1 January 1950, numbers built with
-- pg_temp.mod11_2.
--
CREATE TABLE cnid_applicant (id bangfu.cnid PRIMARY KEY, name text NOT NULL);
INSERT INTO cnid_applicant
SELECT CAST(body || pg_temp.mod11_2(body) AS bangfu.cnid), 'applicant ' || g
FROM generate_series(0, 999) AS g,
     LATERAL (SELECT '110105' || to_char(date '1950-01-01' + g, 'YYYYMMDD')
                     || lpad((g % 1000)::text, 3, '0') AS body) AS b;
INSERT INTO cnid_applicant VALUES ('11010519491231002X', 'GB example');

-- The legacy form of a number already present is the same key.
INSERT INTO cnid_applicant VALUES ('110105491231002', 'legacy duplicate');

CREATE TABLE cnid_payment (id bangfu.cnid NOT NULL, fen bigint NOT NULL);
INSERT INTO cnid_payment
SELECT id, 100 * row_number() OVER (ORDER BY id) FROM cnid_applicant;
INSERT INTO cnid_payment
SELECT id, 1 FROM cnid_applicant WHERE bangfu.sex(id) = 'F';
INSERT INTO cnid_payment VALUES ('440524188001010014', 7);   -- no applicant
VACUUM (ANALYZE) cnid_applicant, cnid_payment;

SET enable_seqscan = off;
SET enable_bitmapscan = off;
EXPLAIN (COSTS OFF) SELECT name FROM cnid_applicant WHERE id = '110105491231002';
SELECT name FROM cnid_applicant WHERE id = '110105491231002';
EXPLAIN (COSTS OFF)
SELECT id FROM cnid_applicant
WHERE id BETWEEN '110105195001010004' AND '110105195001059991' ORDER BY id;
SELECT id, bangfu.birth_date(id), bangfu.sex(id) FROM cnid_applicant
WHERE id BETWEEN '110105195001010004' AND '110105195001059991' ORDER BY id;
SELECT id FROM cnid_applicant WHERE id < '110105195001040000' ORDER BY id DESC;
RESET enable_seqscan;
RESET enable_bitmapscan;

-- Hash join.
SET enable_mergejoin = off;
SET enable_nestloop = off;
EXPLAIN (COSTS OFF)
SELECT count(*), sum(p.fen) FROM cnid_applicant a JOIN cnid_payment p ON a.id = p.id;
SELECT count(*), sum(p.fen) FROM cnid_applicant a JOIN cnid_payment p ON a.id = p.id;
RESET enable_mergejoin;
RESET enable_nestloop;

-- Merge join gives the same.
SET enable_hashjoin = off;
SET enable_nestloop = off;
EXPLAIN (COSTS OFF)
SELECT count(*), sum(p.fen) FROM cnid_applicant a JOIN cnid_payment p ON a.id = p.id;
SELECT count(*), sum(p.fen) FROM cnid_applicant a JOIN cnid_payment p ON a.id = p.id;
RESET enable_hashjoin;
RESET enable_nestloop;

-- Hash aggregate.
SET enable_sort = off;
EXPLAIN (COSTS OFF) SELECT id, count(*) FROM cnid_payment GROUP BY id;
SELECT count(*) AS groups, sum(n) AS rows, count(*) FILTER (WHERE n = 2) AS paid_twice
FROM (SELECT id, count(*) AS n FROM cnid_payment GROUP BY id) AS g;
RESET enable_sort;

-- Hash index.
CREATE INDEX cnid_payment_id_hash ON cnid_payment USING hash (id);
SET enable_seqscan = off;
SET enable_bitmapscan = off;
EXPLAIN (COSTS OFF) SELECT fen FROM cnid_payment WHERE id = '110105491231002';
SELECT fen FROM cnid_payment WHERE id = '110105491231002' ORDER BY fen;
RESET enable_seqscan;
RESET enable_bitmapscan;

-- Hash partitioning uses the extended hash; a lookup prunes to one partition.
CREATE TABLE cnid_part (id bangfu.cnid PRIMARY KEY) PARTITION BY HASH (id);
CREATE TABLE cnid_part_0 PARTITION OF cnid_part FOR VALUES WITH (MODULUS 2, REMAINDER 0);
CREATE TABLE cnid_part_1 PARTITION OF cnid_part FOR VALUES WITH (MODULUS 2, REMAINDER 1);
INSERT INTO cnid_part SELECT id FROM cnid_applicant;
SELECT tableoid::regclass AS partition, count(*) > 0 AS used,
       bool_and(satisfies_hash_partition('cnid_part'::regclass, 2,
                                         right(tableoid::regclass::text, 1)::int, id)) AS routed_ok
FROM cnid_part GROUP BY 1 ORDER BY 1;
SELECT count(*) FROM cnid_part;
EXPLAIN (COSTS OFF) SELECT * FROM cnid_part WHERE id = '110105491231002';
SELECT * FROM cnid_part WHERE id = '110105491231002';

DROP TABLE cnid_part, cnid_payment, cnid_applicant;
