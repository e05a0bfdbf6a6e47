-- Personal data (issue 8; spec 十一/十二, 二 公开 "the published form masks
-- personal identifiers"): as a role with no grants and as each department
-- role in turn, read every table and view of the extension, and every
-- result of its functions that can be called without knowing an ID number,
-- and look for the fixture's ID numbers in all of it.  A role finds only the
-- numbers its department keeps:
--
--   ID          where it is                         who may see it
--   head        household.head (not a member)       street, civil affairs, office
--   patient     member.id, medical stays, ledger    street, civil affairs, health, office
--   pensioner   member.id, 五's certificate,          street, civil affairs, health, 人社, office
--               contribution and subsidy (issue 14)
--   jobseeker   not a member: 八(1) hire and subsidy,  street, 人社, office
--               十 fee waiver, 七 candidate and
--               placement, 十二 seeker and informed
--
-- Everybody else (no grants, 人社, 财政, readers) sees masked numbers only
-- (the published list), and no person's amounts (bangfu.usage, limit_used).
-- (Whose books a table of one's own may count in is the limit engine's
-- business and its tests': doc/limits.md.)
-- Before the fix every role, even one with no grants, read both numbers
-- and the patient's yearly relief from bangfu.usage and bangfu.usage_report.
\set ON_ERROR_STOP 1
SET client_min_messages = warning;
BEGIN;
SELECT plan(56);

-- A valid ID number (GB 11643-1999) from its first 17 digits.
CREATE FUNCTION pg_temp.cnid17(p text) RETURNS bangfu.cnid LANGUAGE sql AS $$
    SELECT (p || substr('10X98765432',
                        ((SELECT sum(substr(p, i, 1)::integer * (ARRAY[7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2])[i])
                            FROM generate_series(1, 17) i) % 11 + 1)::integer, 1))::bangfu.cnid
$$;
CREATE TEMP TABLE fixture (what text PRIMARY KEY, id text NOT NULL);
INSERT INTO fixture VALUES
    ('head', pg_temp.cnid17('44030319700707123')::text),
    ('patient', pg_temp.cnid17('44030320100808456')::text),
    ('pensioner', pg_temp.cnid17('44030319800510135')::text),
    ('jobseeker', pg_temp.cnid17('44030319750101137')::text);
GRANT SELECT ON fixture TO PUBLIC;

-- The fixture: a household (head not a member), one member with a stay of
-- 四 (reduction and relief, booked in the ledger under the member's
-- number), a relief grant of 二 (in the published list, masked).
INSERT INTO bangfu_register.household (id, head, address, urban, lost_capacity)
SELECT 880001, id::bangfu.cnid, 'Access Street 1', true, true FROM fixture WHERE what = 'head';
INSERT INTO bangfu_register.member (household_id, id, name, relation)
SELECT 880001, id::bangfu.cnid, 'Patient', '子女' FROM fixture WHERE what = 'patient';
INSERT INTO bangfu_register.county_year (year, urban_households)
SELECT 2026, 20000 WHERE NOT EXISTS (SELECT FROM bangfu_register.county_year WHERE year = 2026);
INSERT INTO bangfu_register.medical_stay (person, discharged, cost)
SELECT id::bangfu.cnid, '2026-03-01', 30000 FROM fixture WHERE what = 'patient';
INSERT INTO bangfu_register.relief_grant (household_id, reason, amount, granted_on)
VALUES (880001, 'education', 1500, '2026-04-01');
-- and a household with no grant, which is not on the published list
INSERT INTO bangfu_register.household (id, head, address, urban, lost_capacity)
VALUES (880002, pg_temp.cnid17('44030319600606789'), 'Access Street 2', true, true);

-- Issue 14: a member paid pension contributions and had them subsidised
-- (五); someone not in the register was hired with a subsidy (八(1)), had
-- registration fees waived (十), was placed in a public-welfare post (七)
-- and informed of a posting (十二); the published postings and the yearly
-- totals of 十 show counts only.
INSERT INTO bangfu_register.member (household_id, id, name, relation)
SELECT 880001, id::bangfu.cnid, 'Pensioner', '配偶' FROM fixture WHERE what = 'pensioner';
INSERT INTO bangfu_register.employment_certificate (person, number, issued_on, flexible)
SELECT id::bangfu.cnid, 'ACC-1', '2026-01-01', '[2026-01-01,)' FROM fixture WHERE what = 'pensioner';
INSERT INTO bangfu_register.pension_contribution (id, person, paid_on, months, amount)
SELECT 880001, id::bangfu.cnid, '2026-02-01', 12, 3000 FROM fixture WHERE what = 'pensioner';
INSERT INTO bangfu_register.pension_subsidy (contribution_id, paid_on) VALUES (880001, '2026-02-15');
INSERT INTO bangfu_register.employer (id, name, handicraft, eco_park) VALUES (880001, 'Access Works', true, true);
INSERT INTO bangfu_register.hire (id, employer_id, person, hired_on)
SELECT 880001, 880001, id::bangfu.cnid, '2026-03-01' FROM fixture WHERE what = 'jobseeker';
INSERT INTO bangfu_register.employer_subsidy (hire_id, month, pension, injury, unemployment) VALUES (880001, '2026-03-01', 1000, 100, 200);
INSERT INTO bangfu_register.fee_waiver (person, business, registered_on, charges)
SELECT id::bangfu.cnid, 'Access Shop', '2026-03-01', 300 FROM fixture WHERE what = 'jobseeker';
INSERT INTO bangfu_register.rent_concession (employer_id, rent_from, rent_to, rent, concession) VALUES (880001, '2026-01-01', '2026-12-31', 1000, 500);
INSERT INTO bangfu_register.welfare_post (id, kind, unit, opened_on, seats) VALUES (880001, 'cleaning', 'Access Office', '2026-03-01', 1);
INSERT INTO bangfu_register.welfare_candidate (person, kind, applied_on)
SELECT id::bangfu.cnid, 'cleaning', '2026-03-01' FROM fixture WHERE what = 'jobseeker';
INSERT INTO bangfu_register.welfare_placement (post_id, person, placed_on)
SELECT 880001, id::bangfu.cnid, '2026-03-02' FROM fixture WHERE what = 'jobseeker';
INSERT INTO bangfu_register.job_seeker (person, categories, registered_on)
SELECT id::bangfu.cnid, '{cleaning}', '2026-01-01' FROM fixture WHERE what = 'jobseeker';
INSERT INTO bangfu_register.job_posting (id, employer_id, title, category, posted_on, seats) VALUES (880001, 880001, 'Cleaner', 'cleaning', '2026-03-01', 1);
INSERT INTO bangfu_register.job_informed (posting_id, person, informed_on)
SELECT 880001, id::bangfu.cnid, '2026-03-01' FROM fixture WHERE what = 'jobseeker';

SELECT is((SELECT relief FROM bangfu_register.medical_stay WHERE person::text = (SELECT id FROM fixture WHERE what = 'patient')), 18000.00::numeric(12,2),
          'fixture: the patient''s stay of 30000 is relieved 18000 (四(2))');
SELECT is((SELECT count(*)::integer FROM bangfu.usage WHERE subject = (SELECT id FROM fixture WHERE what = 'patient')), 2,
          'fixture: the ledger holds the patient''s number under two limits');

-- Everything a role can read: every table and view of bangfu and
-- bangfu_register, and the functions callable without an ID number, over
-- every limit and every guarded table.  What it may not read is skipped.
CREATE FUNCTION pg_temp.everything() RETURNS TABLE (src text, body text)
LANGUAGE plpgsql AS $$
DECLARE
    rel regclass;
    q text;
    lim text;
    att record;
BEGIN
    FOR rel IN SELECT c.oid::regclass FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                WHERE n.nspname IN ('bangfu', 'bangfu_register') AND c.relkind IN ('r', 'v', 'm', 'p', 'f')
                ORDER BY 1
    LOOP
        q := format('SELECT string_agg(t::text, '' '') FROM %s t', rel);
        BEGIN
            EXECUTE q INTO body;
            src := rel::text;
            RETURN NEXT;
        EXCEPTION WHEN insufficient_privilege THEN
            NULL;
        END;
    END LOOP;
    FOR q IN SELECT 'SELECT string_agg(t::text, '' '') FROM bangfu.limit_check() t'
             UNION ALL SELECT 'SELECT string_agg(t::text, '' '') FROM bangfu.policy_in_force(''2026-06-01'') t'
             UNION ALL SELECT 'SELECT string_agg(t::text, '' '') FROM bangfu_register.entered_rows() t'
             UNION ALL SELECT format('SELECT string_agg(t::text, '' '') FROM bangfu.limit_over(%L) t', d.name) FROM bangfu.limit_def d
             UNION ALL SELECT format('SELECT string_agg(t::text, '' '') FROM bangfu.limit_actual(%L, %L) t', a.tab, a.limit_name)
                         FROM bangfu.limit_attachment a
    LOOP
        BEGIN
            EXECUTE q INTO body;
            src := q;
            RETURN NEXT;
        EXCEPTION WHEN insufficient_privilege THEN
            NULL;
        END;
    END LOOP;
END
$$;

-- seen(role): which fixture numbers appear, unmasked, in what the role reads.
CREATE TEMP TABLE seen (role text, what text, found_in text);
GRANT INSERT ON seen TO PUBLIC;
CREATE FUNCTION pg_temp.scan(r text) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO seen
    SELECT r, f.what, string_agg(DISTINCT e.src, ', ')
      FROM pg_temp.everything() e JOIN fixture f ON strpos(e.body, f.id) > 0
     GROUP BY f.what;
END
$$;

CREATE ROLE access_nobody;
CREATE ROLE access_street IN ROLE bangfu_street;
CREATE ROLE access_civil IN ROLE bangfu_civil_affairs;
CREATE ROLE access_health IN ROLE bangfu_health;
CREATE ROLE access_hrss IN ROLE bangfu_hrss;
CREATE ROLE access_finance IN ROLE bangfu_finance;
CREATE ROLE access_reader IN ROLE bangfu_reader;
CREATE ROLE access_office IN ROLE bangfu_policy_admin;

SET LOCAL ROLE access_nobody;  SELECT pg_temp.scan('nobody');  RESET ROLE;
SET LOCAL ROLE access_street;  SELECT pg_temp.scan('street');  RESET ROLE;
SET LOCAL ROLE access_civil;   SELECT pg_temp.scan('civil');   RESET ROLE;
SET LOCAL ROLE access_health;  SELECT pg_temp.scan('health');  RESET ROLE;
SET LOCAL ROLE access_hrss;    SELECT pg_temp.scan('hrss');    RESET ROLE;
SET LOCAL ROLE access_finance; SELECT pg_temp.scan('finance'); RESET ROLE;
SET LOCAL ROLE access_reader;  SELECT pg_temp.scan('reader');  RESET ROLE;
SET LOCAL ROLE access_office;  SELECT pg_temp.scan('office');  RESET ROLE;

-- Who sees which number: 8 roles x 4 numbers.
CREATE TEMP TABLE may_see (role text, what text, may boolean);
INSERT INTO may_see VALUES
    ('nobody', 'head', false), ('nobody', 'patient', false),
    ('street', 'head', true), ('street', 'patient', true),
    ('civil', 'head', true), ('civil', 'patient', true),
    ('health', 'head', false), ('health', 'patient', true),
    ('hrss', 'head', false), ('hrss', 'patient', false),
    ('finance', 'head', false), ('finance', 'patient', false),
    ('reader', 'head', false), ('reader', 'patient', false),
    ('office', 'head', true), ('office', 'patient', true),
    ('nobody', 'pensioner', false), ('nobody', 'jobseeker', false),
    ('street', 'pensioner', true), ('street', 'jobseeker', true),
    ('civil', 'pensioner', true), ('civil', 'jobseeker', false),
    ('health', 'pensioner', true), ('health', 'jobseeker', false),
    ('hrss', 'pensioner', true), ('hrss', 'jobseeker', true),
    ('finance', 'pensioner', false), ('finance', 'jobseeker', false),
    ('reader', 'pensioner', false), ('reader', 'jobseeker', false),
    ('office', 'pensioner', true), ('office', 'jobseeker', true);
SELECT is(s.found_in IS NOT NULL, m.may,
          format('%s %s the %s''s ID number%s', m.role, CASE WHEN m.may THEN 'reads' ELSE 'does not read' END,
                 m.what, coalesce(' (found in ' || s.found_in || ')', '')))
  FROM may_see m LEFT JOIN seen s USING (role, what)
 ORDER BY m.role, m.what;

-- The published list: everybody reads it, with the head's number masked.
SET LOCAL ROLE access_nobody;
SELECT is((SELECT head FROM bangfu_register.relief_published WHERE amount = 1500 AND year = 2026
             AND head = bangfu.mask((SELECT id FROM fixture WHERE what = 'head')::bangfu.cnid)),
          bangfu.mask((SELECT id FROM fixture WHERE what = 'head')::bangfu.cnid),
          'a role with no grants reads the published list, the head''s number masked');
RESET ROLE;
SELECT isnt(bangfu.mask((SELECT id FROM fixture WHERE what = 'head')::bangfu.cnid),
            (SELECT id FROM fixture WHERE what = 'head'), 'mask() does not return the number');

-- The list is a security barrier: a reader's own function in its WHERE
-- clause sees the published rows only, not every household's number.
CREATE TEMP TABLE leaked (v text);
GRANT INSERT ON leaked TO PUBLIC;
CREATE FUNCTION pg_temp.leak(t text) RETURNS boolean LANGUAGE plpgsql COST 0.0001 AS $$
BEGIN
    INSERT INTO pg_temp.leaked VALUES (t);
    RETURN true;
END
$$;
SET LOCAL ROLE access_nobody;
SELECT count(*) >= 0 AS ran FROM bangfu_register.relief_published WHERE pg_temp.leak(head);
RESET ROLE;
SELECT is((SELECT count(*)::integer FROM leaked), (SELECT count(*)::integer FROM bangfu_register.relief_published),
          'a function in a WHERE clause on the published list sees its rows only (security_barrier)');

-- A person's amounts, asked by number: only the departments that keep them.
CREATE TEMP TABLE asked (role text, ok boolean);
GRANT INSERT ON asked TO PUBLIC;
CREATE FUNCTION pg_temp.ask(r text) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    PERFORM bangfu.limit_used('serious_illness_yearly', (SELECT id FROM fixture WHERE what = 'patient'), '2026-06-01');
    INSERT INTO asked VALUES (r, true);
EXCEPTION WHEN insufficient_privilege THEN
    INSERT INTO asked VALUES (r, false);
END
$$;
SET LOCAL ROLE access_nobody;  SELECT pg_temp.ask('nobody');  RESET ROLE;
SET LOCAL ROLE access_street;  SELECT pg_temp.ask('street');  RESET ROLE;
SET LOCAL ROLE access_civil;   SELECT pg_temp.ask('civil');   RESET ROLE;
SET LOCAL ROLE access_health;  SELECT pg_temp.ask('health');  RESET ROLE;
SET LOCAL ROLE access_hrss;    SELECT pg_temp.ask('hrss');    RESET ROLE;
SET LOCAL ROLE access_finance; SELECT pg_temp.ask('finance'); RESET ROLE;
SET LOCAL ROLE access_reader;  SELECT pg_temp.ask('reader');  RESET ROLE;
SET LOCAL ROLE access_office;  SELECT pg_temp.ask('office');  RESET ROLE;
SELECT is(a.ok, w.ok, format('%s %s ask limit_used for a person''s yearly relief', a.role,
                             CASE WHEN w.ok THEN 'may' ELSE 'may not' END))
  FROM asked a JOIN (VALUES ('nobody', false), ('street', false), ('civil', true), ('health', true),
                            ('hrss', false), ('finance', false), ('reader', false), ('office', true)) w(role, ok)
    USING (role)
 ORDER BY a.role;

-- Nor the limits' ledger as a whole.
SET LOCAL ROLE access_nobody;
SELECT throws_ok($$SELECT * FROM bangfu.usage_report$$, '42501', NULL, 'a role with no grants cannot read the ledger');
SELECT throws_ok($$SELECT * FROM bangfu.usage$$, '42501', NULL, 'nor its table');
RESET ROLE;

-- 六, 七, 十二: HRSS and the street office look a person up in the register
-- by ID number and name (二要素).  By number alone (before: the only way)
-- a clerk could try every number of a region and birth month and list the
-- members that answered, with their households; now that form is granted
-- to no department, and a number with the wrong name tells nothing.
SET LOCAL ROLE access_hrss;
SELECT throws_ok($$SELECT bangfu_register.person_household((SELECT id FROM fixture WHERE what = 'pensioner')::bangfu.cnid)$$,
                 '42501', NULL, 'hrss may not look a person up by ID number alone');
SELECT throws_ok($$SELECT bangfu_register.person_in_hardship((SELECT id FROM fixture WHERE what = 'pensioner')::bangfu.cnid, '2026-06-01')$$,
                 '42501', NULL, 'nor ask by number alone whether the person is in hardship');
SELECT is(bangfu_register.person_household((SELECT id FROM fixture WHERE what = 'pensioner')::bangfu.cnid, 'Pensioner'),
          880001::bigint, 'hrss gets the household of a person it knows by number and name');
SELECT ok(bangfu_register.person_in_hardship((SELECT id FROM fixture WHERE what = 'pensioner')::bangfu.cnid, 'Pensioner', CURRENT_DATE),
          'and whether that person is in hardship (880001 is registered today, with no exit)');
SELECT is(bangfu_register.person_household((SELECT id FROM fixture WHERE what = 'pensioner')::bangfu.cnid, 'Someone Else'),
          NULL::bigint, 'a registered number with another name: nothing');
SELECT ok(NOT bangfu_register.person_in_hardship((SELECT id FROM fixture WHERE what = 'pensioner')::bangfu.cnid, 'Someone Else', CURRENT_DATE),
          'a registered number with another name: not in hardship');
-- the attack: every number of one region and birth month (31,000: the
-- pensioner's among them, whom the number alone used to give away), one
-- guessed name
SELECT is((SELECT count(*) FROM (SELECT (p17 || substr('10X98765432',
                                   ((SELECT sum(substr(p17, i, 1)::integer * (ARRAY[7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2])[i])
                                       FROM generate_series(1, 17) i) % 11 + 1)::integer, 1))::bangfu.cnid AS id
                             FROM (SELECT '440303' || to_char(d, 'YYYYMMDD') || lpad(s::text, 3, '0') AS p17
                                     FROM generate_series('1980-05-01'::date, '1980-05-31', '1 day') d,
                                          generate_series(0, 999) s) c) k
                  WHERE bangfu_register.person_household(k.id, 'Zhang Wei') IS NOT NULL),
          0::bigint, 'trying every number of a region and birth month with a guessed name finds nobody');
RESET ROLE;
SET LOCAL ROLE access_street;
SELECT is(bangfu_register.person_household((SELECT id FROM fixture WHERE what = 'pensioner')::bangfu.cnid, 'Pensioner'),
          880001::bigint, 'the street office too, by number and name');
SELECT throws_ok($$SELECT bangfu_register.person_household((SELECT id FROM fixture WHERE what = 'pensioner')::bangfu.cnid)$$,
                 '42501', NULL, 'but not by number alone');
RESET ROLE;

SELECT * FROM finish();
ROLLBACK;
