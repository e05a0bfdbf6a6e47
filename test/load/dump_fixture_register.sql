-- test/load/dump_fixture_register.sql: data in the ready register
-- (extension bangfu_register) for scripts/dump_restore_test.sh, loaded after
-- dump_fixture.sql when bangfu_register is installed.
--
-- Policy versions the data depends on: a raised band for critical illness
-- (a 5,500 grant fits only under it) and, from dump_fixture.sql, the yearly
-- charity-bed cap raised to 25,000 from 2025-07-01 (member 1's August stay
-- is settled again against it after its bill is corrected).
--
-- Then history that a restore must load as it stands, not judge again (the
-- end of this file): the policy admin lowers the yearly charity-bed cap and
-- the critical-illness band from dates in the past, below what was granted
-- under them.  Before bangfu 0.3.0 a restore re-checked the stays against
-- the lowered cap and lost every one of them; pg_restore -j lost the grants
-- (loaded before county_year) and the members (before their households).
\set ON_ERROR_STOP 1
SET client_min_messages = warning;
CREATE EXTENSION bangfu_register;

INSERT INTO bangfu.policy (param, valid_from, band, note, backdate_ack)
VALUES ('relief.band.critical_illness', '2025-01-01', '[2000,6000]', 'county raises the band (十二)',
        'fixture: reaches back over the county''s own stays of 2025');

-- A valid identity number (GB 11643-1999 check digit) for person n.
CREATE FUNCTION pg_temp.id(n integer) RETURNS bangfu.cnid
LANGUAGE sql AS $$
    SELECT (p || substr('10X98765432'::text,
                        ((SELECT sum(substr(p, i, 1)::integer * w[i]) FROM generate_series(1, 17) i) % 11 + 1)::integer,
                        1))::bangfu.cnid
      FROM (SELECT '11010519800101' || lpad(n::text, 3, '0') AS p,
                   ARRAY[7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2] AS w) s
$$;

INSERT INTO bangfu_register.county_year (year, urban_households) VALUES (2025, 100), (2026, 120);
INSERT INTO bangfu_register.household (head, address, urban, lost_capacity)
SELECT pg_temp.id(n), 'Street ' || n, true, true FROM generate_series(1, 4) n;
INSERT INTO bangfu_register.member (household_id, id, name, relation)
SELECT h.id, h.head, 'head ' || h.id, '户主' FROM bangfu_register.household h;
INSERT INTO bangfu_register.member (household_id, id, name, relation)
SELECT h.id, pg_temp.id(100 + row_number() OVER (ORDER BY h.id)::integer), 'spouse ' || h.id, '配偶'
  FROM bangfu_register.household h;

-- Household 4 is excluded from June 2025; its May grant came before.
INSERT INTO bangfu_register.exclusion (household_id, reason, in_force)
SELECT id, 'refused_training', '[2025-06-01,)' FROM bangfu_register.household WHERE head::text = pg_temp.id(4)::text;

INSERT INTO bangfu_register.relief_grant (household_id, reason, amount, granted_on)
SELECT h.id, g.reason::bangfu.relief_reason, g.amount, g.granted_on
  FROM (VALUES (1, 'critical_illness', 5500, date '2025-03-01'),
               (2, 'education', 1500, date '2025-04-01'),
               (3, 'disability_chronic', 1200, date '2025-05-01'),
               (4, 'single_parent_other', 1000, date '2025-05-15'),
               (1, 'education', 1800, date '2026-02-01')) g(n, reason, amount, granted_on)
  JOIN bangfu_register.household h ON h.head::text = pg_temp.id(g.n)::text
 ORDER BY g.granted_on;
-- (paid days are set by the payments below, issue 13)

-- Member 1's stays.  The August stay is recorded first with a bill of
-- 8,000 (1,200 reduced), then the February one (100,000: 15,000 reduced, the
-- per-stay cap, 16,200 in the year).  Then the August bill is corrected to
-- 60,000 and the stay settled again against the rest of the year: 10,000
-- more, 25,000 in all, which only the raised cap allows.
INSERT INTO bangfu_register.medical_stay (person, discharged, cost) VALUES (pg_temp.id(1), '2025-08-20', 8000);
INSERT INTO bangfu_register.medical_stay (person, discharged, cost) VALUES (pg_temp.id(1), '2025-02-20', 100000);
INSERT INTO bangfu_register.medical_stay (person, discharged, cost) VALUES (pg_temp.id(101), '2025-05-05', 8000);
UPDATE bangfu_register.medical_stay SET cost = 60000, note = 'bill corrected to 60,000'
 WHERE person::text = pg_temp.id(1)::text AND discharged = '2025-08-20';

-- The relief fund pays the grants' first installments (each names its grant
-- and installment, issue 13); one payment is reversed.
INSERT INTO bangfu_register.fund_entry (fund, program, amount, booked_on, note, grant_id, installment)
SELECT 'relief', 'relief_grant', -g.first_half, g.granted_on + 10, 'grant ' || g.id, g.id, 1
  FROM bangfu_register.relief_grant g ORDER BY g.id;
INSERT INTO bangfu_register.fund_entry (fund, program, amount, booked_on, reverses, note)
SELECT fund, program, -amount, booked_on + 1, id, 'reversal: wrong account'
  FROM bangfu_register.fund_entry WHERE note = 'grant ' || (SELECT min(id) FROM bangfu_register.relief_grant);
INSERT INTO bangfu_register.fund_entry (fund, amount, booked_on, note, source) VALUES ('enterprise', 5000, '2025-06-01', 'donation', 'donations');
-- an audited transfer between funds (issue 13)
INSERT INTO bangfu_register.fund_transfer (from_fund, to_fund, amount, booked_on, authority)
VALUES ('enterprise', 'relief', 1000, '2025-06-03', 'fixture');
INSERT INTO bangfu_register.fund_entry (fund, program, amount, booked_on, note)
VALUES ('enterprise', 'handicraft_reward', -2000, '2025-06-02', '八(3) reward');

-- Issue 14: people and duties.  A leader paired with member 1, visited,
-- transferred (the pairing ends, leader_left) and replaced; household 3
-- leaves hardship (its pairing ends).  Member 2's 36 months of pension
-- subsidy (the last payment pro rata), an employer subsidy, a fee waiver and
-- a rent concession; member 103 refuses training (an exclusion that
-- references nothing, referenced by the refusal); a placement, a posting and
-- who was informed.
UPDATE bangfu_register.household SET registered_on = '2024-01-01';   -- in hardship since 2024
INSERT INTO bangfu_register.leader (id, name, post, rank) VALUES
    (1, '王县长', '县长', 'four_bodies'), (2, '赵副县长', '副县长', 'deputy_county'), (3, '李院长', '法院院长', 'court_procuratorate');
INSERT INTO bangfu_register.pairing (leader_id, resident, started_on) VALUES
    (1, pg_temp.id(1), '2025-01-10'), (3, pg_temp.id(3), '2025-01-10');
INSERT INTO bangfu_register.pairing_visit (pairing_id, visited_on, forms, money)
SELECT id, '2025-01-20', '{funds,materials}', 800 FROM bangfu_register.pairing WHERE leader_id = 1;
UPDATE bangfu_register.leader SET left_on = '2025-06-30', left_reason = 'transferred' WHERE id = 1;
INSERT INTO bangfu_register.pairing (leader_id, resident, started_on) VALUES (2, pg_temp.id(1), '2025-07-01');
INSERT INTO bangfu_register.hardship_exit (household_id, left_on)
SELECT household_id, '2025-09-01' FROM bangfu_register.member WHERE id::text = pg_temp.id(3)::text;
INSERT INTO bangfu.holiday (day, name) VALUES ('2025-01-29', '春节'), ('2025-10-06', '中秋节');
INSERT INTO bangfu_register.employment_certificate (person, number, issued_on, flexible)
VALUES (pg_temp.id(2), 'DUMP-1', '2024-01-01', '[2024-01-01,)');
INSERT INTO bangfu_register.pension_contribution (person, paid_on, months, amount) VALUES
    (pg_temp.id(2), '2024-01-05', 24, 4800), (pg_temp.id(2), '2025-01-05', 24, 4800);
INSERT INTO bangfu_register.pension_subsidy (contribution_id, paid_on)
SELECT id, paid_on + 10 FROM bangfu_register.pension_contribution ORDER BY paid_on;
INSERT INTO bangfu_register.employer (id, name, handicraft, eco_park) VALUES (1, '刺绣坊', true, true);
INSERT INTO bangfu_register.hire (id, employer_id, person, hired_on) VALUES (1, 1, pg_temp.id(1), '2025-03-01');
INSERT INTO bangfu_register.employer_subsidy (hire_id, month, pension, injury, unemployment) VALUES
    (1, '2025-03-01', 1000, 100, 200), (1, '2025-04-01', 1000, 100, 200);
INSERT INTO bangfu_register.fee_waiver (person, business, registered_on, charges) VALUES (pg_temp.id(1), '小吃店', '2025-04-01', 300);
INSERT INTO bangfu_register.rent_concession (employer_id, rent_from, rent_to, rent, concession) VALUES (1, '2025-01-01', '2025-12-31', 10000, 5000);
INSERT INTO bangfu_register.training_course (id, title, kind, starts_on, ends_on, seats) VALUES (1, '家政', 'skills', '2025-04-01', '2025-04-30', 10);
INSERT INTO bangfu_register.assistance_refusal (person, kind, course_id, refused_on) VALUES (pg_temp.id(103), 'training', 1, '2025-04-01');
INSERT INTO bangfu_register.welfare_post (id, kind, unit, opened_on, seats) VALUES (1, 'cleaning', '县政府', '2025-03-01', 1);
INSERT INTO bangfu_register.welfare_candidate (person, kind, applied_on) VALUES (pg_temp.id(102), 'cleaning', '2025-03-01');
INSERT INTO bangfu_register.welfare_placement (post_id, person, placed_on) VALUES (1, pg_temp.id(102), '2025-03-02');
INSERT INTO bangfu_register.job_seeker (person, categories, registered_on) VALUES (pg_temp.id(101), '{cleaning}', '2025-01-01');
INSERT INTO bangfu_register.job_posting (id, employer_id, title, category, posted_on, seats) VALUES (1, 1, '保洁', 'cleaning', '2025-03-01', 1);
INSERT INTO bangfu_register.job_informed (posting_id, person, informed_on) VALUES (1, pg_temp.id(101), '2025-03-01');
-- 十二 the county's share of the employer's pension contribution raised to
-- 20% from 2025 (reaches back over the two months, recorded a second
-- later): 100.00 owed on each month, the first paid back (issue 13).
INSERT INTO bangfu.policy (param, valid_from, tiers, recorded_at, note, backdate_ack)
VALUES ('employer.subsidy.pension_rate', '2025-01-01', 'flat: [0,) 20%', now() + interval '1 second', 'raised for 2025 (十二)',
        'fixture: reaches back over recorded employer subsidies; 补发 the difference');
INSERT INTO bangfu_register.employer_subsidy_backpay (subsidy_id, amount, booked_on, note)
SELECT min(id), 100.00, '2025-12-31', '补发' FROM bangfu_register.employer_subsidy;

-- 十二: standards change.  The policy admin lowers the yearly charity-bed cap
-- to 10,000 from 2025-01-01 (member 1 was reduced 15,000 in February) and
-- narrows the critical-illness band to [2000,5000] (household 1 was granted
-- 5,500 in March).  What was granted stays granted.
SET ROLE bangfu_policy_admin;
INSERT INTO bangfu.policy (param, valid_from, amount, note, backdate_ack)
VALUES ('medical.charity_bed.yearly_cap', '2025-01-01', 10000, 'lowered from the start of 2025 (十二)',
        'fixture: lowered over recorded stays; overpayments are reported, not taken back');
UPDATE bangfu.policy SET band = '[2000,5000]', note = 'band narrowed again (十二)',
       backdate_ack = 'fixture: narrowed over recorded grants'
 WHERE param = 'relief.band.critical_illness' AND valid_from = '2025-01-01';
-- and shortens the pension subsidy to 24 months from 2024 (member 2 had 36:
-- what was paid stays paid, 五).
INSERT INTO bangfu.policy (param, valid_from, count, note, backdate_ack)
VALUES ('pension.max_months', '2024-01-01', 24, 'shortened from 2024 (十二)',
        'fixture: reaches back over recorded subsidies; what was paid stays paid');
RESET ROLE;
-- A stay entered after the change is settled under the lowered cap.
INSERT INTO bangfu_register.medical_stay (person, discharged, cost) VALUES (pg_temp.id(102), '2025-03-03', 90000);

-- A limit of the county's own attached by a superuser to a table of the
-- register (an extension member table): at most 3 stays a person a year.
-- pg_dump writes no trigger of an extension's table, so before bangfu kept
-- such attachments in bangfu.limit_member_attachment a restore lost the
-- limit silently (the stays over it went in unchecked).
CREATE FUNCTION county.stays_per_year_cap(on_date date) RETURNS integer
LANGUAGE sql IMMUTABLE AS $$ SELECT 3 $$;
INSERT INTO bangfu.limit_def (name, clause, unit, period, cap_function, description)
VALUES ('county_stays_yearly', '县', 'rows', 'year', 'county.stays_per_year_cap(date)',
        'County rule: at most 3 hospital stays a person a year in the register.');
\connect
SET client_min_messages = warning;
SELECT bangfu.attach_limit('bangfu_register.medical_stay', 'county_stays_yearly', ARRAY['person'],
                           NULL, 'discharged');
