-- The ready register: households, relief grants (二), medical stays (四),
-- funds and their ledger (一, 九), and who may write what (十一, 十二).
--
-- Every expected value is a worked example of the spec (sections 1, 2, 4)
-- or a hand calculation in the comment beside it.  Everything after BEGIN is
-- rolled back at the end, so the database is left as found (the register's
-- ledger refuses TRUNCATE and DELETE, so a transaction is the only clean way).
-- Ids are given explicitly where a message shows them, so the output does
-- not depend on where the identity sequences stand.
-- Quiet whether or not an earlier file made the extension.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS bangfu;
-- The register is an extension of its own (issue 9): a county asks for it.
CREATE EXTENSION bangfu_register;
RESET client_min_messages;

SET DateStyle = 'ISO, YMD';

-- Run a statement, report its result (the first column of its first row,
-- if it returns any), or its SQLSTATE, message and detail.
CREATE FUNCTION pg_temp.try(q text, OUT state text, OUT result text, OUT message text, OUT detail text)
LANGUAGE plpgsql AS $$
BEGIN
    IF q ~* '^\s*(SELECT|WITH|VALUES)\M' OR q ~* '\mRETURNING\M' THEN
        EXECUTE q INTO result;
    ELSE
        EXECUTE q;
    END IF;
    state := '00000';
EXCEPTION WHEN OTHERS THEN
    GET STACKED DIAGNOSTICS state = RETURNED_SQLSTATE, message = MESSAGE_TEXT,
                            detail = PG_EXCEPTION_DETAIL;
    -- the failing row of a CHECK shows who is running the test: leave it out
    IF detail LIKE 'Failing row contains %' THEN
        detail := NULL;
    END IF;
END
$$;

-- A valid identity number (GB 11643-1999 check digit) for test person n.
CREATE FUNCTION pg_temp.id(n integer) RETURNS bangfu.cnid
LANGUAGE sql AS $$
    SELECT (p || substr('10X98765432'::text,
                        ((SELECT sum(substr(p, i, 1)::integer * w[i]) FROM generate_series(1, 17) i) % 11 + 1)::integer,
                        1))::bangfu.cnid
      FROM (SELECT '11010519800101' || lpad(n::text, 3, '0') AS p,
                   ARRAY[7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2] AS w) s
$$;

-- The statement recording a grant, returning its installments.
CREATE FUNCTION pg_temp.grant_q(hh integer, reason text, amount numeric, d date) RETURNS text
LANGUAGE sql AS $$
    SELECT format('INSERT INTO bangfu_register.relief_grant (household_id, reason, amount, granted_on) '
                  'VALUES (%s, %L, %s, %L) RETURNING first_half || '' + '' || second_half',
                  hh, reason, amount, d)
$$;

-- ---------------------------------------------------------------------------
-- 1. Shape: the schema, what pg_dump keeps, the limits guarding the tables,
-- and the order the triggers fire in (the register's checks before the
-- limits' zz_bangfu_* triggers).
-- ---------------------------------------------------------------------------
SELECT c.relname, c.relkind
  FROM pg_class c
 WHERE c.relnamespace = 'bangfu_register'::regnamespace AND c.relkind IN ('r', 'v', 'S')
 ORDER BY c.relkind, c.relname;

SELECT u.tab::regclass AS config_table, u.cond AS dump_condition
  FROM pg_extension e, unnest(e.extconfig, e.extcondition) AS u(tab, cond)
 WHERE e.extname = 'bangfu_register' AND u.tab::regclass::text LIKE 'bangfu_register.%'
 ORDER BY 1::text;

SELECT tab, limit_name, mode, amount_col, date_col, subject_cols
  FROM bangfu.limit_attachment
 WHERE tab::text LIKE 'bangfu_register.%'
 ORDER BY tab::text, limit_name;

SELECT tgrelid::regclass AS tab, tgname
  FROM pg_trigger
 WHERE tgrelid IN ('bangfu_register.relief_grant'::regclass, 'bangfu_register.medical_stay'::regclass,
                   'bangfu_register.fund_entry'::regclass, 'bangfu_register.fund_transfer'::regclass)
   AND NOT tgisinternal AND tgtype::integer & 2 <> 0   -- BEFORE
 ORDER BY tgrelid::regclass::text, tgname COLLATE "C";

-- The quota limit of 二 and where its cap comes from.
SELECT name, clause, unit, period, cap_param, cap_function, shipped
  FROM bangfu.limit_def WHERE name = 'relief_quota';

-- Every table, view and function of the register says what it is for.
SELECT (SELECT count(*) FROM pg_class c
         WHERE c.relnamespace = 'bangfu_register'::regnamespace AND c.relkind IN ('r', 'v')
           AND obj_description(c.oid, 'pg_class') IS NULL) AS relations_without_comment,
       (SELECT count(*) FROM pg_proc p
         WHERE p.pronamespace = 'bangfu_register'::regnamespace
           AND obj_description(p.oid, 'pg_proc') IS NULL) AS functions_without_comment,
       obj_description('bangfu_register'::regnamespace, 'pg_namespace') IS NOT NULL AS schema_comment;

-- Nothing of an earlier file in the register.
SELECT (SELECT count(*) FROM bangfu_register.household) AS households,
       (SELECT count(*) FROM bangfu_register.relief_grant) AS grants,
       (SELECT count(*) FROM bangfu_register.fund_entry WHERE NOT shipped) AS user_entries,
       (SELECT count(*) FROM bangfu.policy WHERE NOT shipped) AS user_policy_rows;

BEGIN;

-- ---------------------------------------------------------------------------
-- 2. 一, 九 the funds as shipped.  Sources 1,000,000 + 150,000 + 150,000 +
-- 500,000 = 1,800,000 = relief 1,200,000 + enterprise 400,000 + loan
-- guarantee 200,000 (the enterprise fund's 600,000, of which 200,000 is set
-- aside by 九).  One opening credit per fund.
-- ---------------------------------------------------------------------------
SELECT code, label, opening, clause FROM bangfu_register.fund ORDER BY opening DESC;
SELECT code, label, amount FROM bangfu_register.fund_source ORDER BY amount DESC, code;
SELECT (SELECT sum(amount) FROM bangfu_register.fund_source) AS sources,
       (SELECT sum(opening) FROM bangfu_register.fund) AS funds;
SELECT code, fund, label, clause FROM bangfu_register.program ORDER BY code;
SELECT fund, amount, program, booked_on, reverses, shipped
  FROM bangfu_register.fund_entry ORDER BY id;
SELECT * FROM bangfu_register.fund_balance ORDER BY fund;

-- ---------------------------------------------------------------------------
-- 3. Households, members, the county's urban households per year.
-- 1001-1030: urban, lost the capacity to work; 1031 rural; 1032 can work.
-- ---------------------------------------------------------------------------
INSERT INTO bangfu_register.household (id, head, address, urban, lost_capacity)
SELECT 1000 + n, pg_temp.id(n), 'Street ' || n, true, true FROM generate_series(1, 30) n;
INSERT INTO bangfu_register.household (id, head, address, urban, lost_capacity) VALUES
    (1031, pg_temp.id(31), 'Village 31', false, true),
    (1032, pg_temp.id(32), 'Street 32', true, false);
INSERT INTO bangfu_register.member (household_id, id, name, relation)
SELECT h.id, h.head, 'Head ' || (h.id - 1000), '户主' FROM bangfu_register.household h;
INSERT INTO bangfu_register.member (household_id, id, name, relation) VALUES
    (1001, pg_temp.id(101), 'Spouse 1', '配偶');
SELECT count(*) AS households, count(*) FILTER (WHERE urban AND lost_capacity) AS eligible
  FROM bangfu_register.household;

-- 二 quota: 20,000 households → floor(5% × 20000) = 1000 grants at most,
-- ceil(3%) = 600 to report against; 40 households → floor(2.0) = 2.
INSERT INTO bangfu_register.county_year (year, urban_households) VALUES
    (2025, 20000), (2026, 20000), (2027, 20000), (2028, 40);
SELECT bangfu_register.relief_quota_cap('2026-06-01') AS cap_function,
       bangfu.limit_cap('relief_quota', '2026-06-01') AS engine_cap,
       bangfu.limit_cap_units('relief_quota', '2026-06-01') AS engine_cap_units,
       bangfu.limit_cap('relief_quota', '2028-12-31') AS cap_2028;
SELECT * FROM bangfu_register.relief_quota_status ORDER BY year;
SELECT r.* FROM pg_temp.try($$SELECT bangfu_register.relief_quota_cap('2029-01-01')$$) AS r;
SELECT r.* FROM pg_temp.try($$INSERT INTO bangfu_register.county_year VALUES (2029, 0)$$) AS r;

-- ---------------------------------------------------------------------------
-- 4. 二 bands, inclusive, each bound and one fen either side.  Accepted
-- grants go to households 1001-1008 in 2026 (one each); the installments
-- are half rounded up to the fen and the rest.
-- ---------------------------------------------------------------------------
SELECT t.hh, t.reason, t.amount, t.want, r.state, r.result AS installments, r.message, r.detail,
       r.state = t.want AS ok
  FROM (VALUES
    (1001, 'critical_illness',    1999.99, '22023'),
    (1001, 'critical_illness',    2000.00, '00000'),
    (1002, 'critical_illness',    5000.00, '00000'),
    (1003, 'critical_illness',    5000.01, '22023'),
    (1003, 'disability_chronic',   999.99, '22023'),
    (1003, 'disability_chronic',  1000.00, '00000'),
    (1004, 'disability_chronic',  2000.00, '00000'),
    (1005, 'disability_chronic',  2000.01, '22023'),
    (1005, 'education',            999.99, '22023'),
    (1005, 'education',           1000.00, '00000'),
    (1006, 'education',           2000.00, '00000'),
    (1007, 'education',           2000.01, '22023'),
    (1007, 'single_parent_other',  999.99, '22023'),
    (1007, 'single_parent_other', 1000.00, '00000'),
    (1008, 'single_parent_other', 1500.00, '00000'),
    (1009, 'single_parent_other', 1500.01, '22023'),
    (1009, 'single_parent_other',   -1.00, '22023')
  ) AS t(hh, reason, amount, want),
  LATERAL pg_temp.try(pg_temp.grant_q(t.hh, t.reason, t.amount, '2026-03-01')) AS r;

-- Installments: 1500.01 → 750.005 → 750.01 + 750.00 (spec); 1000.01 →
-- 500.01 + 500.00; 4999.99 → 2500.00 + 2499.99; 4000 → 2000.00 + 2000.00.
SELECT t.hh, t.amount, r.state, r.result AS installments, r.result = t.want AS ok
  FROM (VALUES
    (1009, 'disability_chronic', 1500.01, '750.01 + 750.00'),
    (1010, 'education',          1000.01, '500.01 + 500.00'),
    (1011, 'critical_illness',   4999.99, '2500.00 + 2499.99'),
    (1012, 'critical_illness',   4000.00, '2000.00 + 2000.00')
  ) AS t(hh, reason, amount, want),
  LATERAL pg_temp.try(pg_temp.grant_q(t.hh, t.reason, t.amount, '2026-04-01')) AS r;

-- ---------------------------------------------------------------------------
-- 5. 二 once a year whatever the reason (limit relief_yearly): household 1001
-- has its 2026 grant; another in 2026 is refused for any reason, the first
-- day of 2027 is a new year, a second 2027 grant is refused again.
-- ---------------------------------------------------------------------------
SELECT t.n, t.reason, t.d, t.want, r.state, r.message, r.detail, r.state = t.want AS ok
  FROM (VALUES
    (1, 'critical_illness', '2026-12-31'::date, '23514'),
    (2, 'education',        '2026-12-31',       '23514'),
    (3, 'education',        '2027-01-01',       '00000'),
    (4, 'critical_illness', '2027-06-01',       '23514')
  ) AS t(n, reason, d, want),
  LATERAL pg_temp.try(pg_temp.grant_q(1001, t.reason, 2000, t.d)) AS r
 ORDER BY t.n;

-- ---------------------------------------------------------------------------
-- 6. 二 who is eligible: urban households that have completely lost the
-- capacity to work and to support themselves, and in the register.
-- ---------------------------------------------------------------------------
SELECT t.hh, t.want, r.state, r.message, r.state = t.want AS ok
  FROM (VALUES (1031, '23514'), (1032, '23514'), (99999, '23503')) AS t(hh, want),
  LATERAL pg_temp.try(pg_temp.grant_q(t.hh, 'education', 1500, '2026-05-01')) AS r;

-- ---------------------------------------------------------------------------
-- 7. 二 exclusions: a grant dated inside one is refused, naming it; the day
-- after it ends is allowed.  Open-ended exclusions, and lifting one.
-- ---------------------------------------------------------------------------
INSERT INTO bangfu_register.exclusion (id, household_id, reason, in_force, note) VALUES
    (501, 1013, 'gambling', '[2026-01-01,2026-06-30]', 'gambling debts'),
    (502, 1014, 'refused_training', '[2026-03-01,)', 'refused the March course'),
    (503, 1015, 'drug_use', '[2026-02-01,2026-02-28]', NULL),
    (504, 1015, 'refused_employment_assistance', '[2026-02-15,2026-03-31]', NULL);
SELECT id, household_id, reason, bangfu_register.exclusion_reason_label(reason) AS label, in_force
  FROM bangfu_register.exclusion ORDER BY id;

SELECT t.n, t.hh, t.d, t.want, r.state, r.message, r.state = t.want AS ok
  FROM (VALUES
    (1, 1013, '2026-01-01'::date, '23514'),  -- first day of exclusion 501
    (2, 1013, '2026-06-30',       '23514'),  -- its last day
    (3, 1013, '2025-12-31',       '00000'),  -- the day before (2025 grant)
    (4, 1013, '2026-07-01',       '00000'),  -- the day after it ends
    (5, 1014, '2026-12-31',       '23514'),  -- 502 has no end
    (6, 1015, '2026-02-20',       '23514'),  -- 503 and 504 both: the earlier is named
    (7, 1015, '2026-03-31',       '23514'),  -- 504's last day
    (8, 1015, '2026-04-01',       '00000')
  ) AS t(n, hh, d, want),
  LATERAL pg_temp.try(pg_temp.grant_q(t.hh, 'education', 1500, t.d)) AS r
 ORDER BY t.n;

-- Lifting 502 at the end of September lets a grant from October.
UPDATE bangfu_register.exclusion SET in_force = '[2026-03-01,2026-09-30]' WHERE id = 502;
SELECT t.d, t.want, r.state, r.message, r.state = t.want AS ok
  FROM (VALUES ('2026-09-30'::date, '23514'), ('2026-10-01', '00000')) AS t(d, want),
  LATERAL pg_temp.try(pg_temp.grant_q(1014, 'education', 1500, t.d)) AS r;

-- Exclusions that cannot be recorded.
SELECT t.what, t.want, r.state, r.message, r.state = t.want AS ok
  FROM (VALUES
    ('unknown reason', $$INSERT INTO bangfu_register.exclusion (household_id, reason, in_force) VALUES (1016, 'laziness', '[2026-01-01,)')$$, '23514'),
    ('empty range',    $$INSERT INTO bangfu_register.exclusion (household_id, reason, in_force) VALUES (1016, 'gambling', '[2026-01-01,2026-01-01)')$$, '23514'),
    ('no start',       $$INSERT INTO bangfu_register.exclusion (household_id, reason, in_force) VALUES (1016, 'gambling', '(,2026-01-01]')$$, '23514'),
    ('no household',   $$INSERT INTO bangfu_register.exclusion (household_id, reason, in_force) VALUES (99999, 'gambling', '[2026-01-01,)')$$, '23503')
  ) AS t(what, q, want),
  LATERAL pg_temp.try(t.q) AS r;

-- ---------------------------------------------------------------------------
-- 8. 二 quota in 2028: 40 urban households → floor(5% × 40) = 2 grants.  The
-- third is refused whichever household asks; the county may raise the count
-- (60 → 3) but not lower it below what the year has granted, nor remove it.
-- A year whose households are not recorded grants nothing.
-- ---------------------------------------------------------------------------
SELECT t.n, t.hh, t.want, r.state, r.message, r.detail, r.state = t.want AS ok
  FROM (VALUES (1, 1016, '00000'), (2, 1017, '00000'), (3, 1018, '23514'), (4, 1019, '23514'))
       AS t(n, hh, want),
  LATERAL pg_temp.try(pg_temp.grant_q(t.hh, 'education', 1200, '2028-05-01')) AS r
 ORDER BY t.n;

SELECT t.n, t.what, t.want, r.state, r.message, r.state = t.want AS ok
  FROM (VALUES
    (1, 'lower to 39 (quota 1)',  $$UPDATE bangfu_register.county_year SET urban_households = 39 WHERE year = 2028$$, '23514'),
    (2, 'raise to 60 (quota 3)',  $$UPDATE bangfu_register.county_year SET urban_households = 60 WHERE year = 2028$$, '00000'),
    (3, 'third grant',            pg_temp.grant_q(1018, 'education', 1200, '2028-05-01'), '00000'),
    (4, 'fourth grant',           pg_temp.grant_q(1019, 'education', 1200, '2028-05-01'), '23514'),
    (5, 'lower to 40 (quota 2)',  $$UPDATE bangfu_register.county_year SET urban_households = 40 WHERE year = 2028$$, '23514'),
    (6, 'remove 2028',            $$DELETE FROM bangfu_register.county_year WHERE year = 2028$$, '23514'),
    (7, 'move 2028 to 2030',      $$UPDATE bangfu_register.county_year SET year = 2030 WHERE year = 2028$$, '23514'),
    (8, 'grant in 2029',          pg_temp.grant_q(1019, 'education', 1200, '2029-05-01'), '55000')
  ) AS t(n, what, q, want),
  LATERAL pg_temp.try(t.q) AS r
 ORDER BY t.n;

SELECT * FROM bangfu_register.relief_quota_status ORDER BY year;

-- ---------------------------------------------------------------------------
-- 9. Payment of the installments, and changes to a grant.
-- ---------------------------------------------------------------------------
SELECT t.n, t.what, t.want, r.state, r.result, r.message, r.state = t.want AS ok
  FROM (VALUES
    (1, 'first paid before the grant', $$UPDATE bangfu_register.relief_grant SET paid_first_on = '2026-02-28' WHERE household_id = 1009 RETURNING paid_first_on$$, '23514'),
    (2, 'second paid, first not',      $$UPDATE bangfu_register.relief_grant SET paid_second_on = '2026-08-01' WHERE household_id = 1009 RETURNING paid_second_on$$, '23514'),
    -- issue 13: a committed grant is paid from its fund, not marked paid by hand
    (3, 'first marked paid by hand',   $$UPDATE bangfu_register.relief_grant SET paid_first_on = '2026-04-15' WHERE household_id = 1009 RETURNING paid_first_on$$, '23514'),
    (4, 'second before the first',     $$UPDATE bangfu_register.relief_grant SET paid_second_on = '2026-04-14' WHERE household_id = 1009 RETURNING paid_second_on$$, '23514'),
    (5, 'second marked paid by hand',  $$UPDATE bangfu_register.relief_grant SET paid_second_on = '2026-08-01' WHERE household_id = 1009 RETURNING paid_second_on$$, '23514'),
    -- installments are the trigger's: writing one is ignored
    (6, 'installment written',         $$UPDATE bangfu_register.relief_grant SET first_half = 1 WHERE household_id = 1009 RETURNING first_half || ' + ' || second_half$$, '00000'),
    -- a changed amount is checked again and split again: 1999.99 → 1000.00 + 999.99
    (7, 'amount outside the band',     $$UPDATE bangfu_register.relief_grant SET amount = 2000.01 WHERE household_id = 1009 RETURNING amount$$, '22023'),
    (8, 'amount changed',              $$UPDATE bangfu_register.relief_grant SET amount = 1999.99 WHERE household_id = 1009 RETURNING first_half || ' + ' || second_half$$, '00000'),
    -- moved into a year that household already has a grant in
    (9, 'moved onto another grant',    $$UPDATE bangfu_register.relief_grant SET granted_on = '2027-03-01' WHERE household_id = 1001 AND granted_on = '2026-03-01' RETURNING granted_on$$, '23514'),
    -- moved into an exclusion
    (10, 'moved into an exclusion',    $$UPDATE bangfu_register.relief_grant SET granted_on = '2026-06-01' WHERE household_id = 1013 AND granted_on = '2026-07-01' RETURNING granted_on$$, '23514')
  ) AS t(n, what, q, want),
  LATERAL pg_temp.try(t.q) AS r
 ORDER BY t.n;

-- A row that arrives already recorded (recorded_at set: pg_dump's restore,
-- which only the owner may do) is not checked again: household 1032 can
-- work, and 2500.01 is outside the education band (as if the band had been
-- narrowed since).  Its installments are still the rule's: 1250.005 →
-- 1250.01 + 1250.00; the limits still count it.
INSERT INTO bangfu_register.relief_grant (household_id, reason, amount, granted_on, recorded_by, recorded_at)
VALUES (1032, 'education', 2500.01, '2027-03-01', 'clerk', '2027-03-01 09:00+00')
RETURNING reason, amount, first_half, second_half, recorded_by,
          recorded_at = '2027-03-01 09:00+00' AS recorded_at_kept;

-- ---------------------------------------------------------------------------
-- 10. 二 公开程序, 阳光操作: the published list masks the head's number and
-- has no address.
-- ---------------------------------------------------------------------------
SELECT * FROM bangfu_register.relief_published
 WHERE year IN (2025, 2028) ORDER BY year, head;
SELECT attname FROM pg_attribute
 WHERE attrelid = 'bangfu_register.relief_published'::regclass AND attnum > 0 ORDER BY attnum;

-- ---------------------------------------------------------------------------
-- 11. 四 medical stays, settled on insert.  Person 1 (head of 1001), two
-- stays of 60000 in 2026:
--   stay 1: 25% = 15000 (stay cap 15000); owed 45000 → 80% = 36000, yearly
--           cap 30000 → relief 30000.00; pays 15000.00
--   stay 2: 15000 → stay cap 15000, 5000 left of the year's 20000 → 5000.00;
--           owed 55000, relief cap used → 0.00; pays 55000.00
--   stay 3: 1000 → 10% = 100, nothing left → 0.00; relief 0.00; pays 1000.00
-- In 2027 the caps start again: 15000.00 / 30000.00 / 15000.00.
-- Person 2: 30000 → 25% = 7500; owed 22500 → 80% = 18000; pays 4500.
-- Person 101 (spouse in 1001): 5000 → 10% = 500; owed 4500 → 60% = 2700;
-- pays 1800.
-- ---------------------------------------------------------------------------
INSERT INTO bangfu_register.medical_stay (id, person, discharged, cost) VALUES
    (9001, pg_temp.id(1), '2026-02-01', 60000)
RETURNING id, cost, reduction, relief, patient_pays;
INSERT INTO bangfu_register.medical_stay (id, person, discharged, cost) VALUES
    (9002, pg_temp.id(1), '2026-03-01', 60000)
RETURNING id, cost, reduction, relief, patient_pays;
INSERT INTO bangfu_register.medical_stay (id, person, discharged, cost) VALUES
    (9003, pg_temp.id(1), '2026-12-31', 1000),
    (9004, pg_temp.id(1), '2027-01-01', 60000),
    (9005, pg_temp.id(2), '2026-05-01', 30000),
    (9006, pg_temp.id(101), '2026-05-01', 5000)
RETURNING id, cost, reduction, relief, patient_pays;

-- Two stays of one person in one statement: the second sees what the first
-- took (15000.00 then 5000.00, as above).
INSERT INTO bangfu_register.medical_stay (id, person, discharged, cost) VALUES
    (9007, pg_temp.id(3), '2026-02-01', 60000),
    (9008, pg_temp.id(3), '2026-03-01', 60000)
RETURNING id, cost, reduction, relief, patient_pays;

SELECT limit_name, subject, period, used FROM bangfu.usage_report
 WHERE tab = 'bangfu_register.medical_stay'::regclass ORDER BY limit_name, subject, period;

-- Stays that cannot be recorded.
SELECT t.what, t.want, r.state, r.message, r.state = t.want AS ok
  FROM (VALUES
    ('not a registered member', format($$INSERT INTO bangfu_register.medical_stay (person, discharged, cost) VALUES (%L, '2026-05-01', 1000)$$, pg_temp.id(500)), '23503'),
    ('negative cost',           format($$INSERT INTO bangfu_register.medical_stay (person, discharged, cost) VALUES (%L, '2026-05-01', -0.01)$$, pg_temp.id(4)), '22023'),
    ('no discharge date',       format($$INSERT INTO bangfu_register.medical_stay (person, discharged, cost) VALUES (%L, NULL, 1000)$$, pg_temp.id(4)), '22004')
  ) AS t(what, q, want),
  LATERAL pg_temp.try(t.q) AS r;

-- An UPDATE of the cost settles the stay again against what the person's
-- other stays of the year used; the other stays keep their settlement.
--   9002 60000 → 10000: reduced by others 15000, 15% = 1500 ≤ 5000 left →
--        1500.00; owed 8500, relief used 30000 → 0.00; pays 8500.00
--   9001 60000 → 20000: reduced by others 1500 + 0, 20% = 4000 → 4000.00;
--        owed 16000 → 70% = 11200, relieved by others 0 → 11200.00; pays 4800.00
UPDATE bangfu_register.medical_stay SET cost = 10000 WHERE id = 9002
RETURNING id, cost, reduction, relief, patient_pays;
UPDATE bangfu_register.medical_stay SET cost = 20000 WHERE id = 9001
RETURNING id, cost, reduction, relief, patient_pays;
-- The settlement is the trigger's: writing it is ignored.
UPDATE bangfu_register.medical_stay SET reduction = 0, relief = 0, patient_pays = 20000 WHERE id = 9001
RETURNING id, cost, reduction, relief, patient_pays;
-- Moved to another year: settled against that year (2027 has 15000 / 30000
-- from 9004): 20000 → 20% = 4000, 5000 left → 4000.00; owed 16000 → 70% =
-- 11200, nothing left → 0.00; pays 16000.00.
UPDATE bangfu_register.medical_stay SET discharged = '2027-02-01' WHERE id = 9001
RETURNING id, cost, reduction, relief, patient_pays;
-- A stay deleted gives back what it took.
DELETE FROM bangfu_register.medical_stay WHERE id = 9003;
SELECT limit_name, subject, period, used FROM bangfu.usage_report
 WHERE tab = 'bangfu_register.medical_stay'::regclass AND subject = pg_temp.id(1)::text
 ORDER BY limit_name, period;

-- A stay arriving already settled (pg_dump's restore) keeps its settlement,
-- which must still add up to the cost.
SELECT t.what, t.want, r.state, r.result, r.message, r.state = t.want AS ok
  FROM (VALUES
    ('settled',      format($$INSERT INTO bangfu_register.medical_stay (person, discharged, cost, reduction, relief, patient_pays, recorded_by, recorded_at) VALUES (%L, '2025-05-01', 1000, 100, 540, 360, 'clerk', '2025-05-02') RETURNING reduction || ' / ' || relief || ' / ' || patient_pays$$, pg_temp.id(4)), '00000'),
    ('not adding up', format($$INSERT INTO bangfu_register.medical_stay (person, discharged, cost, reduction, relief, patient_pays, recorded_by, recorded_at) VALUES (%L, '2025-06-01', 1000, 100, 540, 361, 'clerk', '2025-06-02')$$, pg_temp.id(4)), '23514')
  ) AS t(what, q, want),
  LATERAL pg_temp.try(t.q) AS r;

-- ---------------------------------------------------------------------------
-- 12. 一, 九 fund entries: append-only, reversals, 渠道不乱、用途不变, and no
-- balance below zero.  Opening: relief 1,200,000; enterprise 400,000; loan
-- guarantee 200,000.
-- ---------------------------------------------------------------------------
SELECT t.n, t.what, t.want, r.state, r.message, r.detail, r.state = t.want AS ok
  FROM (VALUES
    (1,  'relief grant paid',           $$INSERT INTO bangfu_register.fund_entry (id, fund, program, amount, booked_on, grant_id, installment) SELECT 101, 'relief', 'relief_grant', -g.first_half, '2026-08-01', g.id, 1 FROM bangfu_register.relief_grant g WHERE g.household_id = 1009$$, '00000'),
    (2,  'relief grant from enterprise', $$INSERT INTO bangfu_register.fund_entry (id, fund, program, amount, booked_on) VALUES (102, 'enterprise', 'relief_grant', -1000, '2026-03-01')$$, '23514'),
    (3,  'interest from loan guarantee', $$INSERT INTO bangfu_register.fund_entry (id, fund, program, amount, booked_on) VALUES (102, 'loan_guarantee', 'loan_interest', -1000, '2026-03-01')$$, '23514'),
    (4,  'money in naming a program',   $$INSERT INTO bangfu_register.fund_entry (id, fund, program, amount, booked_on) VALUES (102, 'relief', 'relief_grant', 1000, '2026-03-01')$$, '23514'),
    (5,  'money out naming none',       $$INSERT INTO bangfu_register.fund_entry (id, fund, program, amount, booked_on) VALUES (102, 'relief', NULL, -1000, '2026-03-01')$$, '23514'),
    (6,  'nothing',                     $$INSERT INTO bangfu_register.fund_entry (id, fund, program, amount, booked_on) VALUES (102, 'relief', NULL, 0, '2026-03-01')$$, '23514'),
    (7,  'unknown program',             $$INSERT INTO bangfu_register.fund_entry (id, fund, program, amount, booked_on) VALUES (102, 'relief', 'party', -1000, '2026-03-01')$$, '23503'),
    (8,  'unknown fund',                $$INSERT INTO bangfu_register.fund_entry (id, fund, program, amount, booked_on, source) VALUES (102, 'slush', NULL, 1000, '2026-03-01', 'donations')$$, '23503'),
    (9,  'guarantee 200000.01',         $$INSERT INTO bangfu_register.fund_entry (id, fund, program, amount, booked_on) VALUES (102, 'loan_guarantee', 'loan_guarantee', -200000.01, '2026-03-01')$$, '23514'),
    (10, 'guarantee 200000',            $$INSERT INTO bangfu_register.fund_entry (id, fund, program, amount, booked_on) VALUES (102, 'loan_guarantee', 'loan_guarantee', -200000, '2026-03-01')$$, '00000'),
    (11, 'guarantee 0.01 more',         $$INSERT INTO bangfu_register.fund_entry (id, fund, program, amount, booked_on) VALUES (103, 'loan_guarantee', 'loan_guarantee', -0.01, '2026-03-02')$$, '23514'),
    (12, 'reversal: wrong amount',      $$INSERT INTO bangfu_register.fund_entry (id, fund, program, amount, booked_on, reverses) VALUES (103, 'loan_guarantee', 'loan_guarantee', 199999.99, '2026-03-02', 102)$$, '23514'),
    (13, 'reversal: wrong fund',        $$INSERT INTO bangfu_register.fund_entry (id, fund, program, amount, booked_on, reverses) VALUES (103, 'relief', 'loan_guarantee', 200000, '2026-03-02', 102)$$, '23514'),
    (14, 'reversal: wrong program',     $$INSERT INTO bangfu_register.fund_entry (id, fund, program, amount, booked_on, reverses) VALUES (103, 'loan_guarantee', NULL, 200000, '2026-03-02', 102)$$, '23514'),
    (15, 'reversal: before the entry',  $$INSERT INTO bangfu_register.fund_entry (id, fund, program, amount, booked_on, reverses) VALUES (103, 'loan_guarantee', 'loan_guarantee', 200000, '2026-02-28', 102)$$, '23514'),
    (16, 'reversal: no such entry',     $$INSERT INTO bangfu_register.fund_entry (id, fund, program, amount, booked_on, reverses) VALUES (103, 'loan_guarantee', 'loan_guarantee', 200000, '2026-03-02', 999)$$, '23503'),
    (17, 'reversal of 102',             $$INSERT INTO bangfu_register.fund_entry (id, fund, program, amount, booked_on, reverses) VALUES (103, 'loan_guarantee', 'loan_guarantee', 200000, '2026-03-02', 102)$$, '00000'),
    (18, 'reversal of 102 again',       $$INSERT INTO bangfu_register.fund_entry (id, fund, program, amount, booked_on, reverses) VALUES (104, 'loan_guarantee', 'loan_guarantee', 200000, '2026-03-03', 102)$$, '23505'),
    (19, 'guarantee again after it',    $$INSERT INTO bangfu_register.fund_entry (id, fund, program, amount, booked_on) VALUES (104, 'loan_guarantee', 'loan_guarantee', -200000, '2026-03-03')$$, '00000'),
    (20, 'enterprise pays interest',    $$INSERT INTO bangfu_register.fund_entry (id, fund, program, amount, booked_on) VALUES (105, 'enterprise', 'loan_interest', -1000, '2026-03-03')$$, '00000'),
    (21, 'enterprise pays a reward',    $$INSERT INTO bangfu_register.fund_entry (id, fund, program, amount, booked_on) VALUES (106, 'enterprise', 'handicraft_reward', -5000, '2026-03-03')$$, '00000'),
    -- reversing the enterprise fund's opening credit would take it to -6000
    (22, 'reversal of an opening',      $$INSERT INTO bangfu_register.fund_entry (id, fund, amount, booked_on, reverses) VALUES (107, 'enterprise', -400000, '2026-03-04', (SELECT id FROM bangfu_register.fund_entry WHERE shipped AND fund = 'enterprise'))$$, '23514'),
    (23, 'a donation',                  $$INSERT INTO bangfu_register.fund_entry (id, fund, amount, booked_on, note, source) VALUES (107, 'relief', 50000, '2026-03-04', '社会捐助', 'donations')$$, '00000'),
    (24, 'opening credit booked again', $$INSERT INTO bangfu_register.fund_entry (id, fund, amount, booked_on, shipped) VALUES (108, 'relief', 1, '2026-03-04', true)$$, '55000'),
    -- append-only, even for the owner
    (25, 'update an entry',             $$UPDATE bangfu_register.fund_entry SET amount = -100 WHERE id = 101$$, '55000'),
    (26, 'delete an entry',             $$DELETE FROM bangfu_register.fund_entry WHERE id = 101$$, '55000'),
    (27, 'truncate the ledger',         $$TRUNCATE bangfu_register.fund_entry$$, '55000'),
    (28, 'change a shipped fund',       $$UPDATE bangfu_register.fund SET opening = 2000000 WHERE code = 'relief'$$, '55000'),
    (29, 'remove a shipped program',    $$DELETE FROM bangfu_register.program WHERE code = 'relief_grant'$$, '55000'),
    (30, 'ship a source',               $$INSERT INTO bangfu_register.fund_source (code, label, amount, clause, shipped) VALUES ('x', 'x', 1, '一', true)$$, '55000')
  ) AS t(n, what, q, want),
  LATERAL pg_temp.try(t.q) AS r
 ORDER BY t.n;

-- The hint for a refused change says how to reverse.
SELECT r.state, r.message FROM pg_temp.try($q$DO $do$
DECLARE h text;
BEGIN
    UPDATE bangfu_register.fund_entry SET note = 'typo' WHERE id = 105;
EXCEPTION WHEN object_not_in_prerequisite_state THEN
    GET STACKED DIAGNOSTICS h = PG_EXCEPTION_HINT;
    RAISE EXCEPTION '%', h;
END
$do$$q$) AS r;

-- relief 1200000 - 1000 + 50000; enterprise 400000 - 1000 - 5000;
-- loan guarantee 200000 - 200000 + 200000 - 200000.
SELECT * FROM bangfu_register.fund_balance ORDER BY fund;
SELECT id, fund, program, amount, booked_on, reverses FROM bangfu_register.fund_entry
 WHERE NOT shipped ORDER BY id;

-- ---------------------------------------------------------------------------
-- 13. 十一, 十二 who may do what.  Fresh login-less roles, each a member of
-- one department's role; clerks write what they keep and nothing else, and
-- nobody but the owner changes the ledger, the policy or the triggers.
-- ---------------------------------------------------------------------------
-- (The exclusion the street office records is numbered from 601.)
SELECT setval('bangfu_register.exclusion_id_seq', 600) AS exclusion_ids_from;
CREATE ROLE regress_reg_street IN ROLE bangfu_street;
CREATE ROLE regress_reg_civil IN ROLE bangfu_civil_affairs;
CREATE ROLE regress_reg_health IN ROLE bangfu_health;
CREATE ROLE regress_reg_finance IN ROLE bangfu_finance;
CREATE ROLE regress_reg_reader IN ROLE bangfu_reader;
CREATE ROLE regress_reg_public;

CREATE TEMP TABLE role_case (k serial, role text, n integer, what text, q text, want text);
INSERT INTO role_case (role, n, what, q, want) VALUES
    -- street office: households, members, the year's households, exclusions
    ('regress_reg_street', 1, 'add a household', format($$INSERT INTO bangfu_register.household (head, lost_capacity) VALUES (%L, true) RETURNING lost_capacity$$, pg_temp.id(40)), '00000'),
    ('regress_reg_street', 2, 'add a member', format($$INSERT INTO bangfu_register.member (household_id, id, name, relation) VALUES (1020, %L, 'Child 20', '子女') RETURNING relation$$, pg_temp.id(120)), '00000'),
    ('regress_reg_street', 3, 'change a household', $$UPDATE bangfu_register.household SET address = 'Street 21a' WHERE id = 1021 RETURNING address$$, '00000'),
    ('regress_reg_street', 4, 'record an exclusion', $$INSERT INTO bangfu_register.exclusion (household_id, reason, in_force) VALUES (1021, 'drug_use', '[2027-01-01,)') RETURNING recorded_by$$, '00000'),
    ('regress_reg_street', 5, 'lift an exclusion', $$UPDATE bangfu_register.exclusion SET in_force = '[2026-03-01,2026-08-31]' WHERE id = 502 RETURNING in_force$$, '00000'),
    ('regress_reg_street', 6, 'recount the year', $$UPDATE bangfu_register.county_year SET urban_households = 20001 WHERE year = 2027 RETURNING urban_households$$, '00000'),
    ('regress_reg_street', 7, 'sign an exclusion for another', $$INSERT INTO bangfu_register.exclusion (household_id, reason, in_force, recorded_by) VALUES (1021, 'gambling', '[2027-01-01,)', 'someone')$$, '42501'),
    ('regress_reg_street', 8, 'pick a household id', format($$INSERT INTO bangfu_register.household (id, head, lost_capacity) VALUES (5000, %L, true)$$, pg_temp.id(41)), '42501'),
    ('regress_reg_street', 9, 'remove a household', $$DELETE FROM bangfu_register.household WHERE id = 1030$$, '42501'),
    ('regress_reg_street', 10, 'grant relief', pg_temp.grant_q(1022, 'education', 1500, '2026-05-01'), '42501'),
    -- civil affairs: grants and their payment days
    ('regress_reg_civil', 1, 'grant relief', $$INSERT INTO bangfu_register.relief_grant (household_id, reason, amount, granted_on) VALUES (1022, 'education', 1500, '2026-05-01') RETURNING recorded_by$$, '00000'),
    ('regress_reg_civil', 2, 'mark a grant paid by hand', $$UPDATE bangfu_register.relief_grant SET paid_first_on = '2026-05-10' WHERE household_id = 1022 RETURNING paid_first_on$$, '23514'),
    ('regress_reg_civil', 3, 'grant relief to an excluded household', pg_temp.grant_q(1021, 'education', 1500, '2027-05-01'), '23514'),
    ('regress_reg_civil', 4, 'change an amount', $$UPDATE bangfu_register.relief_grant SET amount = 1400 WHERE household_id = 1022$$, '42501'),
    ('regress_reg_civil', 5, 'remove a grant', $$DELETE FROM bangfu_register.relief_grant WHERE household_id = 1022$$, '42501'),
    ('regress_reg_civil', 6, 'hand in a grant as already checked', $$INSERT INTO bangfu_register.relief_grant (household_id, reason, amount, granted_on, recorded_by, recorded_at) VALUES (1023, 'education', 1500, '2026-05-01', 'x', now())$$, '42501'),
    ('regress_reg_civil', 7, 'pay from a fund', $$INSERT INTO bangfu_register.fund_entry (fund, program, amount) VALUES ('relief', 'relief_grant', -1500)$$, '42501'),
    ('regress_reg_civil', 8, 'truncate the grants', $$TRUNCATE bangfu_register.relief_grant$$, '42501'),
    ('regress_reg_civil', 9, 'switch a limit off', $$ALTER TABLE bangfu_register.relief_grant DISABLE TRIGGER zz_bangfu_relief_yearly$$, '42501'),
    ('regress_reg_civil', 10, 'drop a limit', $$DROP TRIGGER zz_bangfu_relief_quota ON bangfu_register.relief_grant$$, '42501'),
    ('regress_reg_civil', 11, 'rebuild the ledger', $$SELECT bangfu.limit_rebuild()$$, '42501'),
    ('regress_reg_civil', 12, 'change the ledger', $$UPDATE bangfu.usage SET used = 0 WHERE limit_name = 'relief_yearly'$$, '42501'),
    ('regress_reg_civil', 13, 'change the policy', $$INSERT INTO bangfu.policy (param, valid_from, band) VALUES ('relief.band.education', '2026-01-01', '[1000,9000]')$$, '42501'),
    ('regress_reg_civil', 14, 'change a limit', $$UPDATE bangfu.limit_def SET cap_function = NULL WHERE name = 'relief_quota'$$, '42501'),
    -- health: stays
    ('regress_reg_health', 1, 'record a stay', format($$INSERT INTO bangfu_register.medical_stay (person, discharged, cost) VALUES (%L, '2026-06-01', 6000.01) RETURNING reduction || ' / ' || relief || ' / ' || patient_pays$$, pg_temp.id(5)), '00000'),
    ('regress_reg_health', 2, 'change a cost', $$UPDATE bangfu_register.medical_stay SET cost = 1 WHERE id = 9005$$, '42501'),
    ('regress_reg_health', 3, 'remove a stay', $$DELETE FROM bangfu_register.medical_stay WHERE id = 9005$$, '42501'),
    ('regress_reg_health', 4, 'hand in a settlement', format($$INSERT INTO bangfu_register.medical_stay (person, discharged, cost, reduction, relief, patient_pays) VALUES (%L, '2026-06-01', 100, 100, 0, 0)$$, pg_temp.id(5)), '42501'),
    ('regress_reg_health', 5, 'change the ledger', $$DELETE FROM bangfu.usage$$, '42501'),
    ('regress_reg_health', 6, 'add a household', format($$INSERT INTO bangfu_register.household (head, lost_capacity) VALUES (%L, true)$$, pg_temp.id(42)), '42501'),
    -- finance: fund entries, and only adding them
    ('regress_reg_finance', 1, 'pay a relief grant', $$INSERT INTO bangfu_register.fund_entry (fund, program, amount, booked_on, grant_id, installment) SELECT 'relief', 'relief_grant', -g.first_half, '2026-05-11', g.id, 1 FROM bangfu_register.relief_grant g WHERE g.household_id = 1022 RETURNING booked_by$$, '00000'),
    ('regress_reg_finance', 2, 'reverse an entry', $$INSERT INTO bangfu_register.fund_entry (fund, program, amount, booked_on, reverses) VALUES ('enterprise', 'handicraft_reward', 5000, '2026-05-11', 106) RETURNING amount$$, '00000'),
    ('regress_reg_finance', 3, 'change an entry', $$UPDATE bangfu_register.fund_entry SET amount = -1 WHERE id = 101$$, '42501'),
    ('regress_reg_finance', 4, 'remove an entry', $$DELETE FROM bangfu_register.fund_entry WHERE id = 101$$, '42501'),
    ('regress_reg_finance', 5, 'book as someone else', $$INSERT INTO bangfu_register.fund_entry (fund, amount, booked_by) VALUES ('relief', 1, 'someone')$$, '42501'),
    ('regress_reg_finance', 6, 'book an opening credit', $$INSERT INTO bangfu_register.fund_entry (fund, amount, shipped) VALUES ('relief', 1, true)$$, '42501'),
    ('regress_reg_finance', 7, 'add a program', $$INSERT INTO bangfu_register.program (code, fund, label, clause) VALUES ('banquet', 'relief', 'x', 'x')$$, '42501'),
    ('regress_reg_finance', 8, 'truncate the ledger', $$TRUNCATE bangfu_register.fund_entry$$, '42501'),
    -- readers (union, federations, education) read
    ('regress_reg_reader', 1, 'read the households (ID numbers)', $$SELECT count(*) FROM bangfu_register.household WHERE id BETWEEN 1001 AND 1032$$, '42501'),
    ('regress_reg_reader', 2, 'read the balances', $$SELECT balance FROM bangfu_register.fund_balance WHERE fund = 'loan_guarantee'$$, '00000'),
    ('regress_reg_reader', 3, 'read the published list', $$SELECT count(*) FROM bangfu_register.relief_published WHERE year = 2028$$, '00000'),
    ('regress_reg_reader', 4, 'add a household', format($$INSERT INTO bangfu_register.household (head, lost_capacity) VALUES (%L, true)$$, pg_temp.id(43)), '42501'),
    -- anybody: the published list, nothing else
    ('regress_reg_public', 1, 'read the published list', $$SELECT head FROM bangfu_register.relief_published WHERE year = 2025$$, '00000'),
    ('regress_reg_public', 2, 'read the households', $$SELECT count(*) FROM bangfu_register.household$$, '42501'),
    ('regress_reg_public', 3, 'read the fund ledger', $$SELECT count(*) FROM bangfu_register.fund_entry$$, '42501');

-- Each case runs as its role (SET LOCAL ROLE inside the function call), in
-- the order listed: the civil-affairs clerk meets the street office's
-- exclusion.  (Switching a limit off is refused to clerks too: see
-- test/pgtap/limits.sql.)
CREATE FUNCTION pg_temp.try_as(role text, q text, OUT state text, OUT result text, OUT message text)
LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE format('SET LOCAL ROLE %I', role);
    SELECT r.state, r.result, r.message INTO state, result, message FROM pg_temp.try(q) r;
    RESET ROLE;
END
$$;

SELECT c.role, c.n, c.what, c.want, r.state, r.result, r.message, r.state = c.want AS ok
  FROM (SELECT * FROM role_case ORDER BY k) c, LATERAL pg_temp.try_as(c.role, c.q) AS r
 ORDER BY c.k;

-- ---------------------------------------------------------------------------
-- 14. The limits' ledger equals what the tables hold.
-- ---------------------------------------------------------------------------
SELECT * FROM bangfu.limit_check();

ROLLBACK;

-- Left as found.
SELECT (SELECT count(*) FROM bangfu_register.household) AS households,
       (SELECT count(*) FROM bangfu_register.relief_grant) AS grants,
       (SELECT count(*) FROM bangfu_register.medical_stay) AS stays,
       (SELECT count(*) FROM bangfu_register.fund_entry WHERE NOT shipped) AS user_entries,
       (SELECT count(*) FROM pg_roles WHERE rolname LIKE 'regress_reg_%') AS test_roles;
SELECT * FROM bangfu.limit_check();

-- ---------------------------------------------------------------------------
-- 15. Dropping never deletes entered data silently (issue 9).  With one row
-- entered, every DROP that would take the register is refused (2BP01),
-- naming the table and its rows; DROP EXTENSION bangfu without CASCADE is
-- refused by PostgreSQL itself; a DROP elsewhere is not disturbed; and
-- bangfu_register.drop_with_data = on in the transaction lets it go.
-- ---------------------------------------------------------------------------
BEGIN;
INSERT INTO bangfu_register.county_year (year, urban_households) VALUES (2030, 10);
SELECT tab, entered FROM bangfu_register.entered_rows();
SAVEPOINT s;
\set SHOW_CONTEXT never
DROP EXTENSION bangfu_register;
ROLLBACK TO s;
\set SHOW_CONTEXT errors
\set VERBOSITY terse
DROP EXTENSION bangfu_register CASCADE;
ROLLBACK TO s;
DROP EXTENSION bangfu CASCADE;
ROLLBACK TO s;
DROP EXTENSION bangfu;
ROLLBACK TO s;
DROP SCHEMA bangfu_register CASCADE;
ROLLBACK TO s;
DROP SCHEMA bangfu CASCADE;
ROLLBACK TO s;
DROP EXTENSION plpgsql CASCADE;
ROLLBACK TO s;
SET LOCAL bangfu_register.drop_with_data = off;
DROP EXTENSION bangfu_register;
ROLLBACK TO s;
\set VERBOSITY default
CREATE SCHEMA regress_reg_other;
DROP SCHEMA regress_reg_other CASCADE;
-- Any user's own DROPs pass the guard (it runs with their rights).
CREATE ROLE regress_reg_tenant;
SET LOCAL ROLE regress_reg_tenant;
DROP SCHEMA IF EXISTS regress_reg_nothing CASCADE;
DROP OWNED BY regress_reg_tenant;
RESET ROLE;
SET LOCAL bangfu_register.drop_with_data = on;
DROP EXTENSION bangfu_register;
SELECT to_regclass('bangfu_register.county_year') AS county_year,
       (SELECT count(*) FROM bangfu.limit_def WHERE name = 'relief_quota') AS quota_limits;
ROLLBACK;
SELECT count(*) AS county_years FROM bangfu_register.county_year;

-- ---------------------------------------------------------------------------
-- 16. A restore loads history (issue 9).  pg_dump's COPY of every column
-- FROM stdin, by a superuser, goes in without row triggers, foreign keys or
-- limits (pg_restore -j may load a member before its household), and the
-- table's ledger is counted at its end; any other COPY or INSERT is checked.
-- ---------------------------------------------------------------------------
BEGIN;
COPY bangfu_register.member (household_id, id, name, relation) FROM stdin;
9001	11010519491231002X	王某	户主
\.
SELECT household_id, id, name FROM bangfu_register.member WHERE household_id = 9001;
SHOW session_replication_role;
SAVEPOINT s;
-- some columns only: an ordinary load, checked
COPY bangfu_register.exclusion (household_id, reason, in_force) FROM stdin;
9002	gambling	[2031-01-01,)
\.
ROLLBACK TO s;
-- every column, but from a clerk: checked
CREATE ROLE regress_reg_clerk IN ROLE bangfu_street;
SET LOCAL ROLE regress_reg_clerk;
COPY bangfu_register.member (household_id, id, name, relation) FROM stdin;
9002	110105194912310046	李某	户主
\.
ROLLBACK TO s;
-- a grant as dumped: household 9001's, whose row comes later in a -j restore
COPY bangfu_register.relief_grant (id, household_id, reason, amount, granted_on, first_half, second_half, paid_first_on, paid_second_on, note, recorded_by, recorded_at, withdrawn_on) FROM stdin;
9001	9001	education	1500.00	2031-03-01	750.00	750.00	\N	\N	\N	clerk	2031-03-01 10:00:00+08	\N
\.
SELECT tab, limit_name, subject, period, used FROM bangfu.usage
 WHERE tab = 'bangfu_register.relief_grant'::regclass AND period = 2031 ORDER BY limit_name;
SELECT count(*) AS differences FROM bangfu.limit_check();
ROLLBACK;

DROP FUNCTION pg_temp.try(text), pg_temp.id(integer), pg_temp.grant_q(integer, text, numeric, date);
RESET DateStyle;

-- An empty register drops without a word, and takes the limit it added to
-- bangfu with it; the rules stay (a county may install them alone).
DROP EXTENSION bangfu_register;
SELECT (SELECT count(*) FROM bangfu.limit_def WHERE name = 'relief_quota') AS quota_limits,
       (SELECT count(*) FROM pg_extension WHERE extname = 'bangfu') AS bangfu,
       to_regnamespace('bangfu_register') IS NOT NULL AS schema_left;
DROP SCHEMA bangfu_register;
