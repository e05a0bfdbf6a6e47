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
SELECT plan(81);

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

-- 五, 六, 七 (closed 2026-12-02): the tables HRSS writes took a person's ID
-- number alone, and the register answered for it: the foreign keys of
-- employment_certificate, pension_contribution and assistance_refusal to
-- the members accepted a registered number and refused any other (23503);
-- a placement's hardship, a candidate's place in welfare_waiting and a
-- pre-employment enrolment's check said whether the number's household was
-- in hardship; and refusals of two numbers shared their household's
-- exclusion.  Now a role that does not read the members names each person
-- by number and name (person_name, checked, then cleared): the attack
-- below, every number of one region and birth day (1,000, a registered
-- member's among them) through each table, as HRSS, with no name and with
-- a wrong name, gets one error whatever the number, or (where a table
-- takes people the register does not know) a row that says nothing.
-- Before the fix 22 of these 25 tests failed: the member's number went in
-- without a name, or came out in hardship.
SET LOCAL lc_messages = 'C';
INSERT INTO bangfu_register.member (household_id, id, name, relation)
VALUES (880001, pg_temp.cnid17('440303' || to_char(CURRENT_DATE - interval '20 years', 'YYYYMMDD') || '246'), 'Youth', '子女');
INSERT INTO bangfu_register.welfare_post (id, kind, unit, opened_on, seats) VALUES (880002, 'security', 'Access Gate', CURRENT_DATE, 5000);
INSERT INTO bangfu_register.training_course (id, title, kind, starts_on, ends_on, seats)
VALUES (880001, 'Access Pre-employment', 'pre_employment', CURRENT_DATE, CURRENT_DATE + 30, 5000);
-- the guesses: the pensioner's region and birth day, and the youth's
CREATE TEMP TABLE guess (who bangfu.cnid PRIMARY KEY, day text);
INSERT INTO guess
SELECT pg_temp.cnid17('440303' || d || lpad(s::text, 3, '0')), d
  FROM (VALUES ('19800510'), (to_char(CURRENT_DATE - interval '20 years', 'YYYYMMDD'))) v(d), generate_series(0, 999) s;
GRANT SELECT ON guess TO PUBLIC;
CREATE TEMP TABLE right_name AS
SELECT g.day, g.who, m.name FROM guess g JOIN bangfu_register.member m ON m.id = g.who;
GRANT SELECT ON right_name TO PUBLIC;
SELECT is((SELECT count(*)::integer FROM guess g JOIN bangfu_register.member m ON m.id = g.who), 2,
          'fixture: among the 2,000 guessed numbers, two are registered members (the pensioner, in hardship, and a youth of the same household)');
-- each path: the insert with no name and with a name (%1$L the number, %2$L the name)
CREATE TEMP TABLE path (path text PRIMARY KEY, day text, sql_none text, sql_named text);
INSERT INTO path VALUES
    ('employment_certificate', '19800510',
     $$INSERT INTO bangfu_register.employment_certificate (person, number, issued_on, flexible) VALUES (%1$L, 'G-' || %1$L, CURRENT_DATE, daterange(CURRENT_DATE, NULL))$$,
     $$INSERT INTO bangfu_register.employment_certificate (person, person_name, number, issued_on, flexible) VALUES (%1$L, %2$L, 'G-' || %1$L, CURRENT_DATE, daterange(CURRENT_DATE, NULL))$$),
    ('pension_contribution', '19800510',
     $$INSERT INTO bangfu_register.pension_contribution (person, paid_on, months, amount) VALUES (%1$L, CURRENT_DATE, 1, 100)$$,
     $$INSERT INTO bangfu_register.pension_contribution (person, person_name, paid_on, months, amount) VALUES (%1$L, %2$L, CURRENT_DATE, 1, 100)$$),
    ('assistance_refusal', '19800510',
     $$INSERT INTO bangfu_register.assistance_refusal (person, kind, refused_on) VALUES (%1$L, 'employment_assistance', CURRENT_DATE)$$,
     $$INSERT INTO bangfu_register.assistance_refusal (person, person_name, kind, refused_on) VALUES (%1$L, %2$L, 'employment_assistance', CURRENT_DATE)$$),
    ('welfare_candidate', '19800510',
     $$INSERT INTO bangfu_register.welfare_candidate (person, kind, applied_on) VALUES (%1$L, 'cleaning', CURRENT_DATE)$$,
     $$INSERT INTO bangfu_register.welfare_candidate (person, person_name, kind, applied_on) VALUES (%1$L, %2$L, 'greening', CURRENT_DATE + 1)$$),
    ('welfare_placement', '19800510',
     $$INSERT INTO bangfu_register.welfare_placement (post_id, person, placed_on) VALUES (880002, %1$L, CURRENT_DATE)$$,
     $$INSERT INTO bangfu_register.welfare_placement (post_id, person, person_name, placed_on) VALUES (880002, %1$L, %2$L, CURRENT_DATE)$$),
    ('training_enrolment', to_char(CURRENT_DATE - interval '20 years', 'YYYYMMDD'),
     $$INSERT INTO bangfu_register.training_enrolment (course_id, person, enrolled_on) VALUES (880001, %1$L, CURRENT_DATE)$$,
     $$INSERT INTO bangfu_register.training_enrolment (course_id, person, person_name, enrolled_on) VALUES (880001, %1$L, %2$L, CURRENT_DATE)$$);
GRANT SELECT ON path TO PUBLIC;
-- tried: each attempt's error (SQLSTATE | message | detail | hint, the
-- masked number in the message as #), NULL if the row went in, and where
-- in the register's trigger it was raised (the function and line)
CREATE TEMP TABLE tried (path text, mode text, who bangfu.cnid, err text, raised_at text);
GRANT INSERT ON tried TO PUBLIC;
CREATE FUNCTION pg_temp.try(p text, mode text, q text, who bangfu.cnid, nm text) RETURNS boolean LANGUAGE plpgsql AS $$
DECLARE
    st text; m text; d text; h text; c text;
BEGIN
    BEGIN
        EXECUTE format(q, who, nm);
        INSERT INTO tried VALUES (p, mode, who, NULL, NULL);
        RETURN true;
    EXCEPTION WHEN OTHERS THEN
        GET STACKED DIAGNOSTICS st = RETURNED_SQLSTATE, m = MESSAGE_TEXT, d = PG_EXCEPTION_DETAIL, h = PG_EXCEPTION_HINT,
                                c = PG_EXCEPTION_CONTEXT;
        INSERT INTO tried VALUES (p, mode, who, concat_ws(' | ', st, replace(m, bangfu.mask(who), '#'), d, h),
                                  substring(c FROM 'PL/pgSQL function bangfu_register\.[a-z_]+\(\) line [0-9]+'));
        RETURN false;
    END;
END
$$;
SET LOCAL ROLE access_hrss;
SELECT count(pg_temp.try(p.path, 'none', p.sql_none, g.who, NULL)) AS tried_with_no_name
  FROM path p JOIN guess g USING (day) WHERE p.path NOT LIKE 'welfare%';
SELECT count(pg_temp.try(p.path, 'none', p.sql_none, g.who, NULL)) AS tried_with_no_name
  FROM path p JOIN guess g USING (day) WHERE p.path = 'welfare_candidate';
SELECT count(pg_temp.try(p.path, 'wrong', p.sql_named, g.who, 'Zhang Wei')) AS tried_with_a_wrong_name
  FROM path p JOIN guess g USING (day);
RESET ROLE;
-- a table of members only: no name and a wrong name, one error for every number
SELECT is((SELECT (count(*), count(t.err), count(DISTINCT t.err), count(DISTINCT t.raised_at), min(split_part(t.err, ' | ', 1)))::text
             FROM tried t WHERE t.path = p.path),
          '(2000,2000,1,1,23503)',
          format('%s: 2,000 inserts as HRSS (1,000 numbers, a member''s among them, with no name and with a wrong name) all fail with one error (23503, same message, detail and hint, raised at one place)', p.path))
  FROM path p WHERE p.path IN ('employment_certificate', 'pension_contribution', 'assistance_refusal') ORDER BY p.path;
-- a table that takes anyone: a wrong name, one error for every number
SELECT is((SELECT (count(*), count(t.err), count(DISTINCT t.err), min(split_part(t.err, ' | ', 1)))::text
             FROM tried t WHERE t.path = p.path AND t.mode = 'wrong'),
          '(1000,1000,1,23503)',
          format('%s: 1,000 inserts as HRSS with a wrong name all fail with one error (23503)', p.path))
  FROM path p WHERE p.path IN ('welfare_candidate', 'welfare_placement', 'training_enrolment') ORDER BY p.path;
SELECT is((SELECT string_agg(DISTINCT t.err, ' || ') FROM tried t WHERE t.path = 'employment_certificate'),
          '23503 | employment_certificate: no member of the register has ID number # and the name given (person_name) | 二要素: a role that does not read the register''s members names each person it records by ID number and name, both as the register has them; the name is checked, not kept. | Give the person''s name as the register has it in person_name.',
          'the error names neither the person''s household nor whether the number is registered');
-- 七 candidates with no name: in, as someone the register does not know
SELECT is((SELECT (count(*), count(t.err))::text FROM tried t WHERE t.path = 'welfare_candidate' AND t.mode = 'none'),
          '(1000,0)', 'welfare_candidate: 1,000 candidates with no name go in');
SET LOCAL ROLE access_hrss;
SELECT is((SELECT (count(*), count(*) FILTER (WHERE w.hardship))::text
             FROM bangfu_register.welfare_waiting('cleaning', CURRENT_DATE) w JOIN guess g ON g.who = w.person),
          '(1000,0)', 'welfare_waiting: none of them waits as a member of a household in hardship, the pensioner neither');
-- 七 placements with no name: in, and none in hardship
SELECT count(pg_temp.try(p.path, 'none', p.sql_none, g.who, NULL)) AS tried_with_no_name
  FROM path p JOIN guess g USING (day) WHERE p.path = 'welfare_placement';
RESET ROLE;
SELECT is((SELECT (count(*), count(t.err))::text FROM tried t WHERE t.path = 'welfare_placement' AND t.mode = 'none'),
          '(1000,0)', 'welfare_placement: 1,000 placements with no name go in');
SELECT is((SELECT (count(*), count(*) FILTER (WHERE x.hardship))::text
             FROM bangfu_register.welfare_placement x JOIN guess g ON g.who = x.person WHERE x.post_id = 880002),
          '(1000,0)', 'welfare_placement: not one is recorded in hardship, the pensioner neither');
-- 六 a pre-employment course with no name: every number refused alike (the
-- same message for the youth of a household in hardship, but for the masked number)
SELECT is((SELECT (count(*), count(t.err), count(DISTINCT t.err), min(split_part(t.err, ' | ', 1)))::text
             FROM tried t WHERE t.path = 'training_enrolment' AND t.mode = 'none'),
          '(1000,1000,1,23514)', 'training_enrolment: 1,000 pre-employment enrolments with no name, the youth''s among them, all refused with one error (23514)');
-- 六, 二 refusals: no refusal of an unnamed number, so no shared exclusion
SET LOCAL ROLE access_hrss;
SELECT throws_ok(format($$INSERT INTO bangfu_register.assistance_refusal (person, kind, refused_on) VALUES (%L, 'employment_assistance', CURRENT_DATE)$$,
                        (SELECT id FROM fixture WHERE what = 'patient')),
                 '23503', NULL, 'assistance_refusal: another member of the household, unnamed, is refused like any number: no exclusion to share');
RESET ROLE;
SELECT is((SELECT count(*)::integer FROM bangfu_register.assistance_refusal), 0, 'no refusal was recorded by any of these attempts');
-- with the right name each goes in, and the name is not kept
SET LOCAL ROLE access_hrss;
SELECT lives_ok(format(p.sql_named, r.who, r.name),
                format('%s: the same insert as HRSS with the member''s number and name goes in', p.path))
  FROM path p JOIN right_name r USING (day) ORDER BY p.path;
RESET ROLE;
SELECT is((SELECT count(*)::integer FROM bangfu_register.employment_certificate WHERE person_name IS NULL AND number LIKE 'G-%')
          + (SELECT count(*)::integer FROM bangfu_register.pension_contribution WHERE person_name IS NULL AND paid_on = CURRENT_DATE)
          + (SELECT count(*)::integer FROM bangfu_register.assistance_refusal WHERE person_name IS NULL)
          + (SELECT count(*)::integer FROM bangfu_register.welfare_candidate WHERE person_name IS NULL AND named AND kind = 'greening')
          + (SELECT count(*)::integer FROM bangfu_register.welfare_placement WHERE person_name IS NULL AND named AND post_id = 880002)
          + (SELECT count(*)::integer FROM bangfu_register.training_enrolment WHERE person_name IS NULL AND named AND course_id = 880001),
          6, 'each of the six rows is stored with person_name NULL (the name is checked, not kept), named where the table says');
SET LOCAL ROLE access_hrss;
SELECT is((SELECT w.hardship FROM bangfu_register.welfare_waiting('greening', CURRENT_DATE + 1) w
            WHERE w.person = (SELECT id FROM fixture WHERE what = 'pensioner')::bangfu.cnid),
          bangfu_register.person_in_hardship((SELECT id FROM fixture WHERE what = 'pensioner')::bangfu.cnid, 'Pensioner', CURRENT_DATE + 1),
          'welfare_waiting: the named candidate waits in hardship, which person_in_hardship(number, name) says already');
SELECT is((SELECT bool_and(x.hardship) FROM bangfu_register.welfare_placement x
            WHERE x.post_id = 880002 AND x.named AND x.person = (SELECT id FROM fixture WHERE what = 'pensioner')::bangfu.cnid),
          true, 'welfare_placement: placed with the name, the pensioner is recorded in hardship');
SELECT throws_ok(format($$INSERT INTO bangfu_register.welfare_candidate (person, kind, applied_on, named) VALUES (%L, 'security', CURRENT_DATE, true)$$,
                        (SELECT id FROM fixture WHERE what = 'pensioner')),
                 '42501', NULL, 'HRSS cannot mark a person named itself');
RESET ROLE;

SELECT * FROM finish();
ROLLBACK;
