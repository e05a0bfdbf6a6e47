-- pgTAP: issue 14 in the register, people and duties: 三 leader pairing
-- (不解困不脱钩, holiday visits), 六 training and the refusal that becomes
-- 二's exclusion, 七 public-welfare posts filled with priority, 十二 the job
-- platform's priority list.  Run with pg_prove in a database with pgtap and
-- bangfu; the register is created and rolled back.
BEGIN;
SET LOCAL client_min_messages = warning;
CREATE EXTENSION bangfu_register;
RESET client_min_messages;
SELECT plan(41);

CREATE FUNCTION pg_temp.cnid17(p text) RETURNS bangfu.cnid LANGUAGE sql AS $$
    SELECT (p || substr('10X98765432',
                        ((SELECT sum(substr(p, i, 1)::integer * (ARRAY[7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2])[i])
                            FROM generate_series(1, 17) i) % 11 + 1)::integer, 1))::bangfu.cnid
$$;
CREATE TEMP TABLE p (k text PRIMARY KEY, id bangfu.cnid);
INSERT INTO p VALUES ('a', pg_temp.cnid17('11010119800510001')), ('b', pg_temp.cnid17('11010119860301002')),
                     ('young', pg_temp.cnid17('11010120020901003')), ('older', pg_temp.cnid17('11010120010831005')),
                     ('other', pg_temp.cnid17('11010119900101007')),
                     ('head1', pg_temp.cnid17('11010119500101009')), ('head2', pg_temp.cnid17('11010119500202001'));
INSERT INTO bangfu_register.household (id, head, urban, lost_capacity, registered_on)
SELECT v.id, p.id, true, true, '2026-01-01' FROM p, (VALUES (1, 'head1'), (2, 'head2')) v(id, k) WHERE p.k = v.k;
INSERT INTO bangfu_register.member (household_id, id, name, relation)
SELECT v.hh, p.id, p.k, '子女' FROM p, (VALUES (1, 'a'), (1, 'young'), (1, 'older'), (2, 'b')) v(hh, k) WHERE p.k = v.k;
INSERT INTO bangfu_register.county_year (year, urban_households) VALUES (2026, 20000), (2027, 20000);

-- 三 -------------------------------------------------------------------------
INSERT INTO bangfu_register.leader (id, name, post, rank) VALUES
    (1, '王县长', '县长', 'four_bodies'), (2, '李院长', '法院院长', 'court_procuratorate'), (3, '赵副县长', '副县长', 'deputy_county');
SELECT lives_ok($$INSERT INTO bangfu_register.pairing (id, leader_id, resident, started_on) SELECT 1, 1, id, '2026-01-02' FROM p WHERE k = 'a'$$,
                '三 a leader helps a resident in hardship');
SELECT throws_ok($$INSERT INTO bangfu_register.pairing (leader_id, resident, started_on) SELECT 1, id, '2026-01-02' FROM p WHERE k = 'b'$$,
                 '23514', NULL, '三 每人帮扶一名: the leader already helps one (pairing.residents_per_leader 1)');
SELECT throws_ok($$INSERT INTO bangfu_register.pairing (leader_id, resident, started_on) SELECT 2, id, '2026-01-02' FROM p WHERE k = 'a'$$,
                 '23514', NULL, '三 a resident has one helping leader at a time');
SELECT throws_ok($$INSERT INTO bangfu_register.pairing (leader_id, resident, started_on) SELECT 2, id, '2025-12-31' FROM p WHERE k = 'b'$$,
                 '23514', NULL, '三 the day before the household was registered it is not in hardship');
SELECT lives_ok($$INSERT INTO bangfu_register.pairing (id, leader_id, resident, started_on) SELECT 2, 2, id, '2026-01-01' FROM p WHERE k = 'b'$$,
                '三 from the day it was registered');
SELECT throws_ok($$UPDATE bangfu_register.pairing SET ended_on = '2026-06-30', end_reason = 'out_of_hardship' WHERE id = 1$$,
                 '23514', NULL, '三 不解困不脱钩: a pairing cannot end while the household is in hardship');
INSERT INTO bangfu.holiday (day, name) VALUES ('2026-01-01', '元旦'), ('2026-02-17', '春节'), ('2026-09-25', '中秋节');
INSERT INTO bangfu_register.pairing_visit (pairing_id, visited_on, forms, money) VALUES
    (1, '2026-01-18', '{funds,materials}', 500), (2, '2026-01-17', '{ideas}', NULL);
SELECT results_eq($$SELECT holiday, pairing_id FROM bangfu_register.pairing_unvisited('2026-03-01')$$,
                  $$VALUES ('2026-02-17'::date, 2::bigint)$$,
                  '三 春节 2026-02-17: a visit 30 days before counts (2026-01-18), 31 days before does not (2026-01-17)');
SELECT throws_ok($$INSERT INTO bangfu_register.pairing_visit (pairing_id, visited_on, forms) VALUES (1, '2026-01-01', '{ideas}')$$,
                 '22023', NULL, '三 a visit the day before the pairing started is refused');
SELECT throws_ok($$INSERT INTO bangfu_register.pairing_visit (pairing_id, visited_on, forms) VALUES (1, '2026-03-01', '{money}')$$,
                 '23514', NULL, '三 forms of help are funds, materials, ideas, information, technique');
UPDATE bangfu_register.leader SET left_on = '2026-07-01', left_reason = 'transferred' WHERE id = 1;
SELECT is((SELECT (ended_on, end_reason)::text FROM bangfu_register.pairing WHERE id = 1), '(2026-07-01,leader_left)',
          '三 a leader transferred: the pairing ends that day');
SELECT results_eq($$SELECT resident::text, former_leader FROM bangfu_register.pairing_to_reassign$$,
                  $$SELECT id::text, 1::bigint FROM p WHERE k = 'a'$$, '三 the resident awaits reassignment by 两办');
SELECT throws_ok($$INSERT INTO bangfu_register.pairing (leader_id, resident, started_on) SELECT 1, id, '2026-07-02' FROM p WHERE k = 'a'$$,
                 '23514', NULL, '三 a leader who left helps no one');
SELECT lives_ok($$INSERT INTO bangfu_register.pairing (id, leader_id, resident, started_on) SELECT 3, 3, id, '2026-07-02' FROM p WHERE k = 'a'$$,
                '三 another county-level leader takes the resident over');
SELECT is((SELECT count(*)::integer FROM bangfu_register.pairing_to_reassign), 0, '三 nobody awaits reassignment');
INSERT INTO bangfu_register.hardship_exit (household_id, left_on) VALUES (2, '2026-08-01');
SELECT is((SELECT (ended_on, end_reason)::text FROM bangfu_register.pairing WHERE id = 2), '(2026-08-01,out_of_hardship)',
          '三 the household leaves hardship: the pairing ends, kept as history');
SELECT throws_ok($$UPDATE bangfu_register.pairing SET ended_on = NULL, end_reason = NULL WHERE id = 2$$,
                 '55000', NULL, '三 an ended pairing is history');
UPDATE bangfu_register.hardship_exit SET returned_on = '2026-10-01' WHERE household_id = 2;
SELECT is(ARRAY[bangfu_register.in_hardship(2, '2026-07-31'), bangfu_register.in_hardship(2, '2026-08-01'),
                bangfu_register.in_hardship(2, '2026-09-30'), bangfu_register.in_hardship(2, '2026-10-01')],
          ARRAY[true, false, false, true], '三 out of hardship from 2026-08-01, back in it (返贫) from 2026-10-01');
SELECT throws_ok($$INSERT INTO bangfu_register.pairing (leader_id, resident, started_on) SELECT 2, id, '2026-09-30' FROM p WHERE k = 'b'$$,
                 '23514', NULL, '三 no pairing the day before the household returned to hardship');
SELECT lives_ok($$INSERT INTO bangfu_register.pairing (leader_id, resident, started_on) SELECT 2, id, '2026-10-01' FROM p WHERE k = 'b'$$,
                '三 the day it returned, its former leader helps again');

-- 六 -------------------------------------------------------------------------
INSERT INTO bangfu_register.training_course (id, title, kind, starts_on, ends_on, seats) VALUES
    (1, '劳动预备制培训', 'pre_employment', '2026-09-01', '2026-12-31', 2),
    (2, '家政服务', 'skills', '2026-04-01', '2026-04-30', 30);
-- young: born 2002-09-01, 24 on 2026-09-01; older: born 2001-08-31, 25 on 2026-08-31
SELECT results_eq($$SELECT person::text, age FROM bangfu_register.pre_employment_pending('2026-08-31')$$,
                  $$SELECT id::text, 23 FROM p WHERE k = 'young'$$,
                  '六 the new labour force (16 to 24) not yet in pre-employment training');
SELECT lives_ok($$INSERT INTO bangfu_register.training_enrolment (course_id, person, enrolled_on) SELECT 1, id, '2026-08-01' FROM p WHERE k = 'young'$$,
                '六 free pre-employment training: 24 on the first day of the course');
SELECT throws_ok($$INSERT INTO bangfu_register.training_enrolment (course_id, person, enrolled_on) SELECT 1, id, '2026-08-01' FROM p WHERE k = 'older'$$,
                 '23514', NULL, '六 25 since the day before: not of the new labour force');
SELECT lives_ok($$INSERT INTO bangfu_register.assistance_refusal (id, person, kind, course_id, refused_on) SELECT 1, id, 'training', 2, '2026-04-01' FROM p WHERE k = 'a'$$,
                '六 a refusal of training is recorded once');
SELECT is((SELECT (e.household_id, e.reason, e.in_force)::text FROM bangfu_register.exclusion e
             JOIN bangfu_register.assistance_refusal r ON r.exclusion_id = e.id WHERE r.id = 1),
          '(1,refused_training,"[2026-04-01,2027-04-01)")', '二 it is the household''s exclusion from relief for 12 months');
SELECT throws_ok($$INSERT INTO bangfu_register.relief_grant (household_id, reason, amount, granted_on) VALUES (1, 'education', 1500, '2027-03-31')$$,
                 '23514', NULL, '二 a grant on the last day of the exclusion is refused');
SELECT lives_ok($$INSERT INTO bangfu_register.relief_grant (household_id, reason, amount, granted_on) VALUES (1, 'education', 1500, '2027-04-01')$$,
                '二 the day after, it is granted');
SELECT lives_ok($$INSERT INTO bangfu_register.assistance_refusal (id, person, kind, course_id, refused_on) SELECT 2, id, 'training', 2, '2026-05-01' FROM p WHERE k = 'young'$$,
                '六 a second refusal in the household');
SELECT is((SELECT count(DISTINCT exclusion_id)::integer FROM bangfu_register.assistance_refusal), 1,
          '六 no double entry: it links the exclusion already in force');

SELECT throws_ok($$INSERT INTO bangfu_register.assistance_refusal (person, kind, refused_on) SELECT id, 'training', '2026-05-01' FROM p WHERE k = 'young'$$,
                 '22023', NULL, '六 a refusal of training names the course');
SELECT lives_ok($$INSERT INTO bangfu_register.assistance_refusal (id, person, kind, refused_on) SELECT 3, id, 'employment_assistance', '2026-05-02' FROM p WHERE k = 'b'$$,
                '六 a refusal of employment assistance (a public-welfare post offered, 七)');
SELECT is((SELECT (e.household_id, e.reason, e.in_force)::text FROM bangfu_register.exclusion e
             JOIN bangfu_register.assistance_refusal r ON r.exclusion_id = e.id WHERE r.id = 3),
          '(2,refused_employment_assistance,"[2026-05-02,2027-05-02)")', '二 household 2 is excluded for employment assistance refused');

-- 七 -------------------------------------------------------------------------
INSERT INTO bangfu_register.welfare_post (id, kind, unit, opened_on, seats) VALUES (1, 'security', '县政府', '2026-03-01', 2);
INSERT INTO bangfu_register.welfare_candidate (person, kind, applied_on) SELECT id, 'security', '2026-03-02' FROM p WHERE k = 'b';
SELECT throws_ok($$INSERT INTO bangfu_register.welfare_placement (post_id, person, placed_on) SELECT 1, id, '2026-02-28' FROM p WHERE k = 'other'$$,
                 '22023', NULL, '七 nobody is placed the day before the post opened');
SELECT lives_ok($$INSERT INTO bangfu_register.welfare_placement (post_id, person, placed_on) SELECT 1, id, '2026-03-01' FROM p WHERE k = 'other'$$,
                '七 the day before the hardship candidate applied, someone else is placed');
SELECT throws_ok($$INSERT INTO bangfu_register.welfare_placement (post_id, person, placed_on) SELECT 1, id, '2026-03-02' FROM p WHERE k = 'head2'$$,
                 '23514', NULL, '七 while a hardship candidate waits, someone else is not placed');
SELECT lives_ok($$INSERT INTO bangfu_register.welfare_placement (post_id, person, placed_on) SELECT 1, id, '2026-03-02' FROM p WHERE k = 'b'$$,
                '七 the hardship candidate is placed');
SELECT results_eq($$SELECT posts, seats, filled, waiting_hardship, placed_hardship, placed_other FROM bangfu_register.welfare_report('2026-03-02') WHERE kind = 'security'$$,
                  $$VALUES (1, 2, 2, 0, 1, 1)$$, '七 the report: one post of two seats, filled, one placed with priority');

-- 十二 -----------------------------------------------------------------------
INSERT INTO bangfu_register.employer (id, name) VALUES (1, '城东物业公司');
INSERT INTO bangfu_register.job_seeker (person, categories, registered_on)
SELECT id, '{cleaning}', d::date FROM p, (VALUES ('other', '2026-01-05'), ('a', '2026-02-01'), ('young', '2026-03-02')) v(k, d) WHERE p.k = v.k;
INSERT INTO bangfu_register.job_posting (id, employer_id, title, category, posted_on, seats) VALUES (1, 1, '保洁员', 'cleaning', '2026-03-01', 1);
SELECT results_eq($$SELECT rank, person::text, hardship FROM bangfu_register.posting_matches(1)$$,
                  $$SELECT v.rank, p.id::text, v.hardship FROM p JOIN (VALUES (1, 'a', true), (2, 'other', false)) v(rank, k, hardship)
                       ON p.k = v.k ORDER BY v.rank$$,
                  '十二 the posting''s list: the hardship seeker first though registered later; one registered the day after the posting does not match');
SELECT throws_ok($$INSERT INTO bangfu_register.job_informed (posting_id, person, informed_on) SELECT 1, id, '2026-02-28' FROM p WHERE k = 'a'$$,
                 '22023', NULL, '十二 nobody is informed the day before the posting');
SELECT throws_ok($$INSERT INTO bangfu_register.job_informed (posting_id, person, informed_on) SELECT 1, id, '2026-03-02' FROM p WHERE k = 'young'$$,
                 '23514', NULL, '十二 a seeker registered the day after the posting does not match it');
SELECT throws_ok($$INSERT INTO bangfu_register.job_informed (posting_id, person, informed_on) SELECT 1, id, '2026-03-01' FROM p WHERE k = 'other'$$,
                 '23514', NULL, '十二 优先为困难家庭提供就业信息: not before the hardship seeker');
SELECT lives_ok($$INSERT INTO bangfu_register.job_informed (posting_id, person, informed_on, channel)
                  SELECT 1, id, '2026-03-01'::date, 'phone' FROM p WHERE k IN ('a') UNION ALL
                  SELECT 1, id, '2026-03-02', 'sms' FROM p WHERE k = 'other'$$,
                '十二 the hardship seeker first, then the others');

SELECT * FROM finish();
ROLLBACK;
