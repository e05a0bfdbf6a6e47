-- Issue 14 (三, 五, 六, 七, 八(1), 十, 十二; doc/people.md): each department
-- does its clause's work with its own role and no more.  As a login of each
-- department: the street office pairs a leader, records a visit and a
-- household leaving hardship, posts a job and informs a seeker; 人社 books a
-- pension and an employer subsidy, a fee waiver, a rent concession,
-- enrolments, a refusal (which becomes the household's exclusion from
-- relief through the register's owner) and a placement.  Each is refused
-- (42501) to the other departments and the readers, and nobody but the
-- owner deletes.  Before the fix the refusal failed for 人社 itself: the
-- exclusion it brings was written with the clerk's rights, and 人社 may not
-- write exclusions.
\set ON_ERROR_STOP 1
SET client_min_messages = warning;
BEGIN;
SELECT plan(25);

CREATE ROLE people_street IN ROLE bangfu_street;
CREATE ROLE people_hrss IN ROLE bangfu_hrss;
CREATE ROLE people_civil IN ROLE bangfu_civil_affairs;
CREATE ROLE people_reader IN ROLE bangfu_reader;

-- A household of the register with two members, as the street office keeps it.
INSERT INTO bangfu_register.county_year (year, urban_households)
SELECT 2026, 20000 WHERE NOT EXISTS (SELECT FROM bangfu_register.county_year WHERE year = 2026);
INSERT INTO bangfu_register.household (id, head, urban, lost_capacity, registered_on)
VALUES (990001, '110101195001010092', true, true, '2026-01-01');
INSERT INTO bangfu_register.member (household_id, id, name, relation) VALUES
    (990001, '110101198005100013', 'a', '子女'), (990001, '110101198603010026', 'b', '配偶');

-- 三 the street office
SET LOCAL ROLE people_street;
SELECT lives_ok($$INSERT INTO bangfu_register.leader (name, post, rank) VALUES ('王县长', '县长', 'four_bodies')$$,
                '三 the street office records a leader');
SELECT lives_ok($$INSERT INTO bangfu_register.pairing (leader_id, resident, started_on) SELECT id, '110101198005100013', '2026-01-02' FROM bangfu_register.leader WHERE name = '王县长'$$,
                '三 the street office pairs the leader with a resident (locking both rows)');
SELECT lives_ok($$INSERT INTO bangfu_register.pairing_visit (pairing_id, visited_on, forms, money) SELECT id, '2026-02-10', '{funds}', 500 FROM bangfu_register.pairing WHERE resident = '110101198005100013'$$,
                '三 the street office records a visit');
SELECT throws_ok($$DELETE FROM bangfu_register.pairing$$, '42501', NULL, '三 nobody but the owner deletes a pairing');
RESET ROLE;
SET LOCAL ROLE people_hrss;
SELECT throws_ok($$INSERT INTO bangfu_register.pairing (leader_id, resident, started_on) VALUES (1, '110101198603010026', '2026-01-02')$$,
                 '42501', NULL, '三 人社 does not pair leaders');
RESET ROLE;

-- 五, 八(1), 十 人社
SET LOCAL ROLE people_hrss;
SELECT lives_ok($$INSERT INTO bangfu_register.employment_certificate (person, person_name, number, issued_on, flexible)
                  VALUES ('110101198005100013', 'a', 'PEOPLE-1', '2026-01-01', '[2026-01-01,)')$$, '五 人社 records a certificate (the member named by number and name)');
SELECT lives_ok($$INSERT INTO bangfu_register.pension_contribution (person, person_name, paid_on, months, amount)
                  VALUES ('110101198005100013', 'a', '2026-02-01', 12, 3000)$$, '五 人社 records a contribution');
SELECT lives_ok($$INSERT INTO bangfu_register.pension_subsidy (contribution_id, paid_on) SELECT id, '2026-02-15' FROM bangfu_register.pension_contribution WHERE person = '110101198005100013'$$,
                '五 人社 books the subsidy (its months counted in the common books)');
SELECT lives_ok($$INSERT INTO bangfu_register.employer (name, handicraft, eco_park) VALUES ('刺绣坊', true, true)$$,
                '八(1) 人社 records an employer');
SELECT lives_ok($$INSERT INTO bangfu_register.hire (employer_id, person, hired_on) SELECT id, '110101198603010026', '2026-03-01' FROM bangfu_register.employer WHERE name = '刺绣坊'$$,
                '八(1) 人社 records a hire');
SELECT lives_ok($$INSERT INTO bangfu_register.employer_subsidy (hire_id, month, pension, injury, unemployment) SELECT id, '2026-03-01', 1000, 100, 200 FROM bangfu_register.hire WHERE person = '110101198603010026'$$,
                '八(1) 人社 books an employer subsidy');
SELECT lives_ok($$INSERT INTO bangfu_register.fee_waiver (person, business, registered_on, charges) VALUES ('110101198603010026', '小吃店', '2026-03-01', 300)$$,
                '十 人社 records a fee waiver');
SELECT lives_ok($$INSERT INTO bangfu_register.rent_concession (employer_id, rent_from, rent_to, rent, concession) SELECT id, '2026-01-01', '2026-12-31', 1000, 500 FROM bangfu_register.employer WHERE name = '刺绣坊'$$,
                '十 人社 records a rent concession');
RESET ROLE;
SET LOCAL ROLE people_street;
SELECT throws_ok($$INSERT INTO bangfu_register.pension_contribution (person, paid_on, months, amount) VALUES ('110101198005100013', '2026-03-01', 1, 100)$$,
                 '42501', NULL, '五 the street office does not record contributions');
RESET ROLE;

-- 六 人社: the refusal brings the exclusion, written with the owner's rights
SET LOCAL ROLE people_hrss;
SELECT lives_ok($$INSERT INTO bangfu_register.training_course (title, kind, starts_on, ends_on, seats) VALUES ('家政 990001', 'skills', '2026-04-01', '2026-04-30', 10)$$,
                '六 人社 records a course');
SELECT lives_ok($$INSERT INTO bangfu_register.assistance_refusal (person, person_name, kind, course_id, refused_on) SELECT '110101198603010026', 'b', 'training', id, '2026-04-01' FROM bangfu_register.training_course WHERE title = '家政 990001'$$,
                '六 人社 records a refusal');
SELECT throws_ok($$INSERT INTO bangfu_register.exclusion (household_id, reason, in_force) VALUES (990001, 'gambling', '[2026-01-01,)')$$,
                 '42501', NULL, '二 人社 still writes no exclusion of its own');
RESET ROLE;
SELECT is((SELECT (e.reason, e.in_force, e.recorded_by)::text FROM bangfu_register.exclusion e
             JOIN bangfu_register.assistance_refusal r ON r.exclusion_id = e.id WHERE r.person = '110101198603010026'),
          '(refused_training,"[2026-04-01,2027-04-01)",people_hrss)', '二 the refusal is the household''s exclusion, recorded by the clerk who entered it');
SET LOCAL ROLE people_civil;
SELECT throws_ok($$INSERT INTO bangfu_register.relief_grant (household_id, reason, amount, granted_on) VALUES (990001, 'education', 1500, '2026-05-01')$$,
                 '23514', NULL, '二 civil affairs'' grant in its time is refused');
RESET ROLE;

-- 七 人社, 十二 the street office
SET LOCAL ROLE people_hrss;
SELECT lives_ok($$INSERT INTO bangfu_register.welfare_post (kind, unit, opened_on, seats) VALUES ('cleaning', '县政府 990001', '2026-03-01', 2)$$,
                '七 人社 opens a post');
SELECT lives_ok($$INSERT INTO bangfu_register.welfare_placement (post_id, person, person_name, placed_on) SELECT id, '110101198005100013', 'a', '2026-03-02' FROM bangfu_register.welfare_post WHERE unit = '县政府 990001'$$,
                '七 人社 places a member of a household in hardship');
SELECT is((SELECT hardship FROM bangfu_register.welfare_placement WHERE person = '110101198005100013' AND placed_on = '2026-03-02'), true,
          '七 named, the member is placed as of a household in hardship');
RESET ROLE;
SET LOCAL ROLE people_street;
SELECT lives_ok($$INSERT INTO bangfu_register.job_seeker (person, categories, registered_on) VALUES ('110101198005100013', '{cleaning}', '2026-01-05');
                  INSERT INTO bangfu_register.job_posting (employer_id, title, category, posted_on, seats) SELECT id, '保洁 990001', 'cleaning', '2026-03-01', 1 FROM bangfu_register.employer WHERE name = '刺绣坊';
                  INSERT INTO bangfu_register.job_informed (posting_id, person, informed_on) SELECT id, '110101198005100013', '2026-03-01' FROM bangfu_register.job_posting WHERE title = '保洁 990001'$$,
                '十二 the street office registers a seeker, posts a job and informs the seeker');
RESET ROLE;
SET LOCAL ROLE people_reader;
SELECT results_eq($$SELECT matching, matching_hardship, informed FROM bangfu_register.job_posting_published WHERE title = '保洁 990001'$$,
                  $$VALUES (1, 1, 1)$$, '十二 a reader sees the posting''s counts');
SELECT throws_ok($$SELECT * FROM bangfu_register.job_seeker$$, '42501', NULL, '十二 a reader does not read the seekers');
RESET ROLE;

SELECT * FROM finish();
ROLLBACK;
