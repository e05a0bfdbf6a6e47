-- bangfu demo: one county's hardship caseload, settled and reported.
--
-- Generates a realistic county (8,000 urban households in the register,
-- about 20,000 people, some 28,000 hospital stays over 2025-2026 with a few
-- hundred chronic patients staying several times a year, relief applications
-- for 2026), lets the extension's rules and limits settle everything as
-- clerks would enter it, and prints a short report.  Deterministic: the
-- random generator is seeded.
\set ON_ERROR_STOP 1
\pset footer off
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS bangfu;
-- the ready register is an extension of its own
CREATE EXTENSION IF NOT EXISTS bangfu_register;
SET search_path = public, bangfu;
SELECT setseed(0.20261129);

\echo
\echo '== bangfu' `date +%F` 'demo: a county''s caseload under the policy (see doc/clauses.md)'
SELECT bangfu.version() AS bangfu_version;

-- A valid 18-character ID number (GB 11643-1999): region, birth date,
-- sequence, then the ISO 7064 MOD 11-2 check character.
CREATE FUNCTION pg_temp.make_cnid(region text, birth date, seq integer) RETURNS bangfu.cnid
LANGUAGE sql IMMUTABLE AS $$
    SELECT (b.body || substr('10X98765432',
                             (sum(substr(b.body, i, 1)::integer * ((2 ^ (18 - i))::integer % 11)) % 11)::integer + 1,
                             1))::bangfu.cnid
      FROM (SELECT region || to_char(birth, 'YYYYMMDD') || lpad(seq::text, 3, '0') AS body) b,
           generate_series(1, 17) i
     GROUP BY b.body
$$;

\echo
\echo '-- 1. The register (街道社区 台账): households, members, urban households per year'
INSERT INTO bangfu_register.county_year (year, urban_households) VALUES (2025, 20000), (2026, 20400);

CREATE TEMP TABLE people AS
SELECT g AS n,
       1 + (g - 1) / 3 AS hh,                          -- about 3 people a household
       ((g - 1) % 3) = 0 AS is_head,
       date '1940-01-01' + (random() * 25000)::integer AS birth
  FROM generate_series(1, 24000) g;

INSERT INTO bangfu_register.household (id, head, address, urban, lost_capacity, registered_on)
SELECT p.hh, pg_temp.make_cnid('6201' || lpad((p.n / 1000)::text, 2, '0'), p.birth, p.n % 1000),
       'Street ' || (1 + p.hh % 40) || ', No. ' || p.hh,
       true,
       random() < 0.15,                                -- 完全丧失劳动能力和自救能力
       date '2024-01-01' + (random() * 300)::integer
  FROM people p WHERE p.is_head;

INSERT INTO bangfu_register.member (household_id, id, name, relation)
SELECT p.hh, pg_temp.make_cnid('6201' || lpad((p.n / 1000)::text, 2, '0'), p.birth, p.n % 1000),
       'Resident ' || p.n, CASE WHEN p.is_head THEN 'head' ELSE 'family' END
  FROM people p;

SELECT (SELECT count(*) FROM bangfu_register.household) AS households,
       (SELECT count(*) FROM bangfu_register.household WHERE lost_capacity) AS lost_capacity_to_work,
       (SELECT count(*) FROM bangfu_register.member) AS people;

\echo
\echo '-- 2. Hospital stays 2025-2026 (卫生: 济困病床, 民政: 大病医疗救助), entered in date order'
-- Most people stay once or twice; 300 chronic patients stay several times a
-- year with larger bills.  cost = what is left after basic medical insurance.
CREATE TEMP TABLE stays_in AS
SELECT m.id AS person,
       date '2025-01-01' + (random() * 729)::integer AS discharged,
       round((300 + 7000 * -ln(1 - random()))::numeric, 2) AS cost
  FROM bangfu_register.member m, generate_series(1, 2) k
 WHERE random() < 0.62
UNION ALL
SELECT c.id,
       date '2025-01-01' + (random() * 729)::integer,
       round((2000 + 26000 * -ln(1 - random()))::numeric, 2)
  FROM (SELECT id FROM bangfu_register.member ORDER BY id OFFSET 777 LIMIT 300) c,
       generate_series(1, 11) k;

\timing on
INSERT INTO bangfu_register.medical_stay (person, discharged, cost)
SELECT person, discharged, cost FROM stays_in ORDER BY discharged, person;
\timing off

SELECT extract(year FROM discharged)::integer AS year,
       count(*) AS stays,
       count(DISTINCT person) AS patients,
       sum(cost) AS cost_after_insurance,
       sum(reduction) AS reduced_4_1,
       sum(relief) AS relieved_4_2,
       sum(patient_pays) AS patients_paid
  FROM bangfu_register.medical_stay GROUP BY 1 ORDER BY 1;

\echo 'Caps that bit: the 15,000 per-stay cap of 四(1), the 20,000 and 30,000 yearly caps of 四(1) and 四(2)'
WITH py AS (
    SELECT person, extract(year FROM discharged)::integer AS year,
           sum(reduction) AS reduced, sum(relief) AS relieved
      FROM bangfu_register.medical_stay GROUP BY 1, 2)
SELECT (SELECT count(*) FROM bangfu_register.medical_stay WHERE reduction = 15000) AS stays_at_stay_cap,
       count(*) FILTER (WHERE reduced = bangfu.limit_cap('charity_bed_yearly', make_date(year, 12, 31))) AS person_years_at_4_1_cap,
       count(*) FILTER (WHERE relieved = bangfu.limit_cap('serious_illness_yearly', make_date(year, 12, 31))) AS person_years_at_4_2_cap,
       max(reduced) AS most_reduced_in_a_year,
       max(relieved) AS most_relieved_in_a_year
  FROM py;

\echo 'One chronic patient''s 2026, stay by stay (the yearly caps cut the later stays):'
SELECT s.discharged, s.cost, s.reduction, s.relief, s.patient_pays
  FROM bangfu_register.medical_stay s
 WHERE s.person = (SELECT person FROM bangfu_register.medical_stay
                    WHERE discharged >= '2026-01-01' GROUP BY person ORDER BY sum(cost) DESC, person LIMIT 1)
   AND s.discharged >= '2026-01-01'
 ORDER BY s.discharged, s.id;

\echo 'How the biggest 2026 stay was computed (for auditors):'
SELECT jsonb_pretty(bangfu.medical_reduction_explain(s.cost, s.discharged, 0) - 'schedule' - 'function') AS explain_4_1
  FROM bangfu_register.medical_stay s WHERE s.discharged >= '2026-01-01' ORDER BY s.cost DESC, s.id LIMIT 1;

\echo
\echo '-- 3. Temporary relief 2026 (二): exclusions, applications, once a year, quota, installments'
-- A few households are excluded (赌博, 吸毒, 拒绝参加技能培训和就业援助).
INSERT INTO bangfu_register.exclusion (household_id, reason, in_force, note)
SELECT h.id, (ARRAY['gambling', 'drug_use', 'refused_training', 'refused_employment_assistance'])[1 + h.id % 4],
       daterange(date '2026-01-01' + (h.id % 90)::integer, NULL), 'demo'
  FROM bangfu_register.household h WHERE h.lost_capacity AND h.id % 37 = 0;

-- 六 → 二: a member of one more household refuses a skills course; the
-- refusal, entered once by 人社, is the household's exclusion (issue 14).
INSERT INTO bangfu_register.training_course (id, title, kind, starts_on, ends_on, seats)
VALUES (1, '家政服务技能培训', 'skills', '2026-01-10', '2026-02-10', 40);
INSERT INTO bangfu_register.assistance_refusal (person, kind, course_id, refused_on, note)
SELECT m.id, 'training', 1, '2026-01-03', 'demo: declined the course'
  FROM bangfu_register.member m
 WHERE m.household_id = (SELECT min(h.id) FROM bangfu_register.household h WHERE h.lost_capacity AND h.id % 37 <> 0)
 ORDER BY m.id LIMIT 1;

CREATE TEMP TABLE applications AS
SELECT row_number() OVER (ORDER BY random()) AS n, a.*
  FROM (
    -- every household that lost the capacity to work applies once ...
    SELECT h.id AS household_id,
           (enum_range(NULL::bangfu.relief_reason))[1 + floor(random() * 4)::integer] AS reason,
           date '2026-01-05' + (random() * 330)::integer AS granted_on
      FROM bangfu_register.household h WHERE h.lost_capacity
    UNION ALL
    -- ... some apply a second time for another reason, some who can still work apply too
    SELECT h.id, 'single_parent_other', date '2026-04-15'
      FROM bangfu_register.household h WHERE h.lost_capacity AND h.id % 11 = 0
    UNION ALL
    SELECT h.id, 'education', date '2026-03-01'
      FROM bangfu_register.household h WHERE NOT h.lost_capacity AND h.id % 97 = 0
  ) a;
-- The committee picks the amount inside the band, to the hundred yuan.
ALTER TABLE applications ADD COLUMN amount numeric(12,2);
UPDATE applications a SET amount = lower(b) + round((upper(b) - lower(b)) * random() / 100) * 100
  FROM (SELECT n, bangfu.relief_band(reason, granted_on) AS b FROM applications) x
 WHERE x.n = a.n;

-- The allocation rule when the relief fund runs short (doc/money.md): the
-- county keeps 100,000 of the uncommitted balance for 因患危重疾病或意外事故.
-- Dated before today, over the stays recorded in 2026 (十二): acknowledged.
INSERT INTO bangfu.policy (param, valid_from, amount, note, backdate_ack)
VALUES ('relief.fund.reserve', '2026-01-01', 100000, 'demo: 10万元 kept for critical illness',
        'demo: 领导小组 decision, applies to the 2026 relief round');

CREATE TEMP TABLE outcome (n bigint, sqlstate text, message text);
DO $$
DECLARE
    a record;
BEGIN
    FOR a IN SELECT * FROM applications ORDER BY granted_on, n LOOP
        BEGIN
            INSERT INTO bangfu_register.relief_grant (household_id, reason, amount, granted_on)
            VALUES (a.household_id, a.reason, a.amount, a.granted_on);
            INSERT INTO outcome VALUES (a.n, '00000', 'granted');
        EXCEPTION WHEN OTHERS THEN
            INSERT INTO outcome VALUES (a.n, SQLSTATE, SQLERRM);
        END;
    END LOOP;
END
$$;

SELECT CASE WHEN o.sqlstate = '00000' THEN 'granted'
            WHEN o.message LIKE '%relief_yearly%' THEN 'refused: already relieved this year (一年救助一次)'
            WHEN o.message LIKE '%relief_quota%' THEN 'refused: 5% quota of urban households reached'
            WHEN o.message LIKE '%excluded%' THEN 'refused: exclusion in force'
            WHEN o.message LIKE '%capacity%' THEN 'refused: can still work (not 特困)'
            WHEN o.message LIKE '%cannot be approved: fund%' THEN 'refused: relief fund fully committed (一)'
            ELSE 'refused: ' || o.message END AS outcome,
       count(*) AS applications
  FROM outcome o GROUP BY 1 ORDER BY 2 DESC;

SELECT q.* FROM bangfu_register.relief_quota_status q WHERE q.year = 2026;

SELECT g.reason, bangfu.relief_reason_label(g.reason) AS label, bangfu.relief_band(g.reason, '2026-06-30') AS band,
       count(*) AS grants, sum(g.amount) AS total, sum(g.first_half) AS first_half, sum(g.second_half) AS second_half
  FROM bangfu_register.relief_grant g GROUP BY g.reason ORDER BY g.reason;

\echo 'A refusal, as the clerk sees it:'
SELECT o.sqlstate, o.message FROM outcome o WHERE o.message LIKE '%excluded%' ORDER BY o.n LIMIT 1;

\echo 'The household that refused training (六), excluded from relief without a second entry (二):'
SELECT r.kind AS refused, e.id AS exclusion, e.reason, e.in_force,
       (SELECT o.message FROM applications a JOIN outcome o USING (n)
         WHERE a.household_id = e.household_id ORDER BY a.granted_on LIMIT 1) AS its_application
  FROM bangfu_register.assistance_refusal r JOIN bangfu_register.exclusion e ON e.id = r.exclusion_id;

\echo 'The published list (公开程序,阳光操作), identity numbers masked:'
SELECT * FROM bangfu_register.relief_published ORDER BY 1, 2 LIMIT 5;

\echo
\echo '-- 4. The relief fund (一: 120万元, 渠道不乱、用途不变): commitments, payments, statements (issue 13)'
\echo 'Every approved grant committed both installments: approvals stopped when the fund was fully committed,'
\echo 'so every installment approved can be paid. Paying every first installment, and the second of grants made before April:'
CREATE TEMP TABLE payments (grant_id bigint, half integer, sqlstate text);
DO $$
DECLARE
    u record;
BEGIN
    FOR u IN SELECT grant_id, installment, greatest(due_from, granted_on + 7) AS d
               FROM bangfu_register.relief_unpaid
              WHERE installment = 1 OR granted_on < date '2026-04-01'
              ORDER BY d, grant_id, installment LOOP
        BEGIN
            PERFORM bangfu_register.pay_installment(u.grant_id, u.installment, u.d, 'demo');
            INSERT INTO payments VALUES (u.grant_id, u.installment, '00000');
        EXCEPTION WHEN OTHERS THEN
            INSERT INTO payments VALUES (u.grant_id, u.installment, SQLSTATE);
        END;
    END LOOP;
END
$$;
SELECT CASE half WHEN 1 THEN 'first half-year' ELSE 'second half-year' END AS installment,
       count(*) FILTER (WHERE sqlstate = '00000') AS paid,
       count(*) FILTER (WHERE sqlstate <> '00000') AS refused
  FROM payments GROUP BY half ORDER BY half;
\echo 'Paying an installment twice, or more than granted, is refused:'
SET client_min_messages = notice;
DO $$
DECLARE
    g bigint := (SELECT min(grant_id) FROM payments);
    u bigint := (SELECT min(grant_id) FROM bangfu_register.relief_unpaid);
BEGIN
    BEGIN
        PERFORM bangfu_register.pay_installment(g, 1, '2026-10-01');
    EXCEPTION WHEN OTHERS THEN
        RAISE NOTICE '% %', SQLSTATE, SQLERRM;
    END;
    BEGIN
        INSERT INTO bangfu_register.fund_entry (fund, program, amount, booked_on, grant_id, installment)
        SELECT 'relief', 'relief_grant', -(second_half + 100), '2026-10-01', id, 2 FROM bangfu_register.relief_grant WHERE id = u;
    EXCEPTION WHEN OTHERS THEN
        RAISE NOTICE '% %', SQLSTATE, SQLERRM;
    END;
END
$$;
SET client_min_messages = warning;
\echo 'One grant withdrawn (撤销): its unpaid installment goes back to the fund.'
UPDATE bangfu_register.relief_grant SET withdrawn_on = '2026-10-15'
 WHERE id = (SELECT max(grant_id) FROM bangfu_register.relief_unpaid WHERE installment = 2);
\echo 'Money in by source, and an audited transfer between funds:'
INSERT INTO bangfu_register.fund_entry (fund, amount, booked_on, source, note)
VALUES ('relief', 80000, '2026-10-20', 'donations', 'demo: 社会捐助 collected in October');
INSERT INTO bangfu_register.fund_transfer (from_fund, to_fund, amount, booked_on, authority, note)
VALUES ('enterprise', 'relief', 50000, '2026-10-25', 'demo: 领导小组 decision 2026-07', '统筹安排');
\echo 'Unpaid installments, and when the relief fund runs out at the pace of the last 90 days (on 2026-07-31):'
SELECT installment, count(*) AS unpaid, sum(amount) AS yuan, min(due_from) AS first_due
  FROM bangfu_register.relief_unpaid GROUP BY installment ORDER BY installment;
SELECT * FROM bangfu_register.fund_runway('2026-07-31') ORDER BY fund;
\echo 'The yearly statements (决算) per fund and per source:'
SELECT fund, year, opening_balance, money_in, transfers_in, transfers_out, committed, paid, reversed, balance,
       unpaid_committed, uncommitted
  FROM bangfu_register.fund_statement ORDER BY fund, year;
SELECT source, fund, year, money_in, share, committed, paid, balance
  FROM bangfu_register.fund_source_statement WHERE fund = 'relief' ORDER BY source, year;
SELECT * FROM bangfu_register.fund_balance ORDER BY fund;
\echo
\echo '-- 4b. Reports for people and tools (issue 13): views with a comment on every column, IDs masked'
SELECT * FROM bangfu_register.report_monthly WHERE month = '2026-03-01' ORDER BY clause, item;
SELECT * FROM bangfu_register.report_fund_monthly WHERE fund = 'relief' ORDER BY month;
SELECT * FROM bangfu_register.report_quota ORDER BY year;
SELECT clause, year, count(*) AS people_at_80pct_or_more, count(*) FILTER (WHERE at_cap) AS at_cap
  FROM bangfu_register.report_near_cap GROUP BY clause, year ORDER BY clause, year;
\echo 'The printable yearly statement (决算) of the hardship fund by source:'
SELECT * FROM bangfu_register.final_accounts(2026);
\echo 'Booking relief money against the enterprise fund is refused (用途不变):'
SET client_min_messages = notice;
DO $$
BEGIN
    INSERT INTO bangfu_register.fund_entry (fund, program, amount, note) VALUES ('enterprise', 'relief_grant', -100, 'wrong fund');
EXCEPTION WHEN OTHERS THEN
    RAISE NOTICE '% %', SQLSTATE, SQLERRM;
END
$$;
SET client_min_messages = warning;

\echo
\echo '-- 5. What would a policy change cost? (十二 提高救助标准) - computed beside the policy in force'
INSERT INTO bangfu.scenario (name, description) VALUES
    ('cap25k', 'charity-bed yearly cap 25,000, education band 1,500-3,000'),
    ('marginal', 'charity-bed brackets read marginally (分段计算)');
INSERT INTO bangfu.scenario_value (scenario, param, amount) VALUES ('cap25k', 'medical.charity_bed.yearly_cap', 25000);
INSERT INTO bangfu.scenario_value (scenario, param, band) VALUES ('cap25k', 'relief.band.education', '[1500,3000]');
INSERT INTO bangfu.scenario_value (scenario, param, tiers)
SELECT 'marginal', 'medical.charity_bed', bangfu.with_mode(tiers, 'marginal')
  FROM bangfu.policy WHERE param = 'medical.charity_bed' AND valid_from = '-infinity';
SELECT * FROM bangfu.scenario_compare('cap25k', '2026-06-30');

-- The whole 2026 caseload settled again in one window pass per policy: each
-- stay against the stays before it that year (四(1) then 四(2), the yearly
-- caps starting again on 1 January), under the policy in force and under
-- each proposal.  The grouped form: bangfu groups the stays by person (their
-- ID numbers) and orders each person's stays itself, so nothing is sorted;
-- the check below settles them the ORDER BY way too.
WITH settled AS (
    SELECT bangfu.medical_settle_grouped(person, cost, discharged, id) OVER () AS in_force,
           bangfu.medical_settle_grouped(person, cost, discharged, id, 'cap25k') OVER () AS cap25k,
           bangfu.medical_settle_grouped(person, cost, discharged, id, 'marginal') OVER () AS marginal,
           bangfu.medical_settle(cost, discharged, 'marginal')
               OVER (PARTITION BY person ORDER BY discharged, id) AS marginal_ordered
      FROM bangfu_register.medical_stay WHERE discharged >= '2026-01-01')
SELECT 'charity-bed reductions 2026 (四(1))' AS item,
       sum((in_force).reduction) AS in_force, sum((cap25k).reduction) AS cap_25000,
       sum((cap25k).reduction) - sum((in_force).reduction) AS extra_cost,
       sum((marginal).reduction) AS marginal, sum((marginal).reduction) - sum((in_force).reduction) AS marginal_change,
       count(*) FILTER (WHERE marginal IS DISTINCT FROM marginal_ordered) AS stays_differing_from_order_by_form
  FROM settled;
SELECT 'education grants 2026 moved into 1,500-3,000 (二)' AS item,
       sum(g.amount) AS in_force,
       sum(bangfu.relief_in_band(g.reason, g.amount, g.granted_on, 'cap25k')) AS proposal,
       sum(bangfu.relief_in_band(g.reason, g.amount, g.granted_on, 'cap25k')) - sum(g.amount) AS extra_cost
  FROM bangfu_register.relief_grant g WHERE g.reason = 'education';

-- A picture of the proposal beside the policy in force (issue 13): 四(1)'s
-- schedule in force on 2026-06-30 with the 'marginal' proposal drawn over it,
-- written to the SVG file named by BANGFU_DEMO_SVG (scripts/demo.sh sets it;
-- a run of this file without it skips the picture).
\getenv svg BANGFU_DEMO_SVG
\if :{?svg}
SELECT bangfu.tiers_svg(f.value::bangfu.tiers, NULL, m.tiers,
                        '四(1) in force on 2026-06-30 (flat)', 'proposal ''marginal'' (分段计算)',
                        '四(1) charity-bed reduction of one stay: benefit against cost')
  FROM bangfu.policy_in_force('2026-06-30') f, bangfu.scenario_value m
 WHERE f.param = 'medical.charity_bed' AND m.scenario = 'marginal' AND m.param = 'medical.charity_bed'
\g (format=unaligned tuples_only=on) :svg
\echo 'The charity-bed schedule in force and the proposal, drawn: ' :svg
\endif

\echo
\echo '-- 5b. Employment money (issue 14, 人社): 五 pension subsidies, 八(1) employer subsidies, 十 waivers and rent'
-- 40 members work flexibly from 2025 and pay pension contributions as
-- individuals; 先缴后补: the subsidy follows each payment (2/3), up to 36
-- months (the third payment of 24 months is subsidised pro rata).  One
-- statement per round: each subsidy counts the months before it.
INSERT INTO bangfu_register.employment_certificate (person, number, issued_on, flexible)
SELECT m.id, 'JY-' || m.household_id, '2025-01-02', '[2025-01-02,2027-12-31]'
  FROM bangfu_register.member m WHERE m.household_id BETWEEN 300 AND 339 AND m.relation = 'family'
   AND m.id::text IN (SELECT min(x.id::text) FROM bangfu_register.member x
                       WHERE x.household_id BETWEEN 300 AND 339 AND x.relation = 'family' GROUP BY x.household_id);
INSERT INTO bangfu_register.pension_contribution (person, paid_on, months, amount)
SELECT c.person, v.paid_on, v.months, v.months * (250 + (c.id % 7) * 10.01)
  FROM bangfu_register.employment_certificate c,
       (VALUES (date '2025-03-05', 12), (date '2026-03-05', 12), (date '2026-09-05', 24)) v(paid_on, months)
 ORDER BY v.paid_on, c.id;
INSERT INTO bangfu_register.pension_subsidy (contribution_id, paid_on)
SELECT id, paid_on + 10 FROM bangfu_register.pension_contribution WHERE paid_on = '2025-03-05' ORDER BY id;
INSERT INTO bangfu_register.pension_subsidy (contribution_id, paid_on)
SELECT id, paid_on + 10 FROM bangfu_register.pension_contribution WHERE paid_on = '2026-03-05' ORDER BY id;
INSERT INTO bangfu_register.pension_subsidy (contribution_id, paid_on)
SELECT id, paid_on + 10 FROM bangfu_register.pension_contribution WHERE paid_on = '2026-09-05' ORDER BY id;
-- 八(1): a property company hires 20 hard-to-employ members (男年满45, 女年满40)
-- on 2026-02-16; the county pays its part of the 三金 each month to December.
INSERT INTO bangfu_register.employer (id, name) VALUES (11, '城南物流公司');
INSERT INTO bangfu_register.employer (id, name, kind, handicraft, eco_park) VALUES (12, '生态园刺绣合作社', 'enterprise', true, true);
INSERT INTO bangfu_register.hire (employer_id, person, hired_on)
SELECT 11, m.id, '2026-02-16' FROM bangfu_register.member m
 WHERE m.household_id BETWEEN 400 AND 600 AND bangfu.hard_to_employ(m.id, '2026-02-16')
 ORDER BY m.household_id, m.id::text LIMIT 20;
INSERT INTO bangfu_register.employer_subsidy (hire_id, month, pension, injury, unemployment)
SELECT h.id, m::date, 2400.00 + h.id, 60.00, 120.05
  FROM bangfu_register.hire h, generate_series(date '2026-02-01', '2026-12-01', '1 month') m
 ORDER BY m, h.id;
-- 十: ten of them set up a business (registration charges waived); the
-- embroidery cooperative rents in the 城东生态文化园 (half the rent conceded).
INSERT INTO bangfu_register.fee_waiver (person, business, registered_on, charges)
SELECT h.person, '个体经营 ' || h.id, '2026-05-10', 180 + h.id FROM bangfu_register.hire h ORDER BY h.id LIMIT 10;
INSERT INTO bangfu_register.rent_concession (employer_id, rent_from, rent_to, rent, concession)
SELECT 12, m::date, (m + interval '1 month - 1 day')::date, 3000, 1500
  FROM generate_series(date '2026-01-01', '2026-12-01', '1 month') m;
SELECT clause, item, sum(cases) AS cases, sum(amount) AS yuan
  FROM bangfu_register.report_monthly WHERE clause IN ('五', '八(1)', '十') GROUP BY clause, item ORDER BY clause, item;
\echo 'People at or near a lifetime count (五 36 months, 八(1) 12 months), IDs masked:'
SELECT clause, limit_name, count(*) AS people, count(*) FILTER (WHERE at_cap) AS at_cap
  FROM bangfu_register.report_near_cap WHERE year IS NULL GROUP BY clause, limit_name ORDER BY clause;

\echo '-- 6. The books: every limit''s ledger equals its tables (no rows = right)'
SELECT limit_name, count(*) AS subjects_periods, sum(used) AS used
  FROM bangfu.usage_report GROUP BY limit_name ORDER BY limit_name;
SELECT * FROM bangfu.limit_check();

\echo
\echo '-- 7. A live conformance check (issue 13): every stored benefit derived again (no rows = right)'
SELECT * FROM bangfu_register.verify();
\echo 'If the policy admin raised the 四(1) yearly cap to 25,000 from 1 January 2026 (a retroactive change,'
\echo 'recorded after the stays; rolled back here), verify reports the arrears (补发) as owed, not as corruption:'
BEGIN;
\echo 'Without an acknowledgement the change is refused (十二):'
SET client_min_messages = notice;
DO $$
BEGIN
    INSERT INTO bangfu.policy (param, valid_from, amount, note)
    VALUES ('medical.charity_bed.yearly_cap', '2026-01-01', 25000, 'demo: retroactive');
EXCEPTION WHEN OTHERS THEN
    RAISE NOTICE '% %', SQLSTATE, SQLERRM;
END
$$;
SET client_min_messages = warning;
INSERT INTO bangfu.policy (param, valid_from, amount, recorded_at, note, backdate_ack)
VALUES ('medical.charity_bed.yearly_cap', '2026-01-01', 25000, now() + interval '1 second', 'demo: retroactive',
        'demo: 县政府 raises the 四(1) yearly cap for all of 2026; 补发 the difference');
SELECT kind, count(DISTINCT row_id) AS stays, sum(expected - stored) AS yuan
  FROM bangfu_register.verify() WHERE field = 'reduction' GROUP BY kind;
\echo 'The arrears per clause and person (IDs masked), largest first:'
SELECT * FROM bangfu_register.arrears('2026-01-01', '2026-12-31') ORDER BY owed DESC, person LIMIT 5;
SELECT clause, count(*) AS person_years, sum(owed) AS owed, sum(overpaid) AS overpaid
  FROM bangfu_register.report_arrears GROUP BY clause ORDER BY clause;
\echo 'Back-payments (补发) are ordinary rows the yearly limits count: the arrears are paid, nothing is owed after.'
INSERT INTO bangfu_register.medical_backpay (person, for_date, reduction, booked_on, note)
SELECT m.id, make_date(a.year, 12, 31), a.owed, '2026-12-31', 'demo: 补发 after the cap was raised'
  FROM bangfu_register.arrears('2026-01-01', '2026-12-31') a
  JOIN bangfu_register.member m ON m.household_id = a.household_id AND bangfu.mask(m.id) = a.person
 WHERE a.clause = '四(1)' AND a.owed > 0;
SELECT clause, count(*) AS person_years, sum(back_paid) AS back_paid, sum(owed) AS owed, sum(overpaid) AS overpaid
  FROM bangfu_register.report_arrears GROUP BY clause ORDER BY clause;
\echo 'The same for 八(1) (issue 14): the pension part of the employer subsidy raised to 12% from 1 January 2026:'
INSERT INTO bangfu.policy (param, valid_from, tiers, recorded_at, note, backdate_ack)
VALUES ('employer.subsidy.pension_rate', '2026-01-01', 'flat: [0,) 12%', now() + interval '1 second', 'demo: retroactive',
        'demo: 县政府 raises the county''s share of the pension contribution for 2026; 补发 the difference');
SELECT clause, count(*) AS person_years, sum(stays) AS months, sum(paid) AS paid, sum(due) AS due, sum(owed) AS owed
  FROM bangfu_register.report_arrears WHERE clause = '八(1)' GROUP BY clause;
\echo 'and the 五 subsidy rate raised to 3/4 from 1 January 2026:'
INSERT INTO bangfu.policy (param, valid_from, tiers, recorded_at, note, backdate_ack)
VALUES ('pension.subsidy_rate', '2026-01-01', 'flat: [0,) 3/4', now() + interval '1 second', 'demo: retroactive',
        'demo: 县政府 subsidises 3/4 of 2026''s pension contributions; 补发 the difference');
\echo '人社 pays back one 八(1) month and one 五 subsidy in full (bangfu_register.backpay_owed: what the row is owed now);'
\echo '十''s fee waivers are waived in full already (business.fee_waiver_rate 100%): nothing to refund.'
SET ROLE bangfu_hrss;
INSERT INTO bangfu_register.employer_subsidy_backpay (subsidy_id, amount, booked_on, note)
SELECT x.id, o.amount, '2026-12-31', 'demo: 补发 after the pension rate was raised'
  FROM (SELECT min(id) AS id FROM bangfu_register.employer_subsidy WHERE month >= '2026-01-01') x,
       bangfu_register.backpay_owed('employer_subsidy', x.id) o
RETURNING subsidy_id, nth, bangfu.mask(person) AS employee, for_date, amount;
INSERT INTO bangfu_register.pension_backpay (subsidy_id, amount, booked_on, note)
SELECT x.id, o.amount, '2026-12-31', 'demo: 补发 after the 五 rate was raised'
  FROM (SELECT min(id) AS id FROM bangfu_register.pension_subsidy WHERE paid_on >= '2026-01-01') x,
       bangfu_register.backpay_owed('pension_subsidy', x.id) o
RETURNING subsidy_id, nth, bangfu.mask(person) AS contributor, for_date, months, amount;
\echo 'Paying the same 八(1) month again is refused: nothing is owed on it any more.'
SET client_min_messages = notice;
DO $$
BEGIN
    INSERT INTO bangfu_register.employer_subsidy_backpay (subsidy_id, amount, booked_on)
    SELECT min(id), 0.01, '2026-12-31' FROM bangfu_register.employer_subsidy WHERE month >= '2026-01-01';
EXCEPTION WHEN OTHERS THEN
    RAISE NOTICE '% %', SQLSTATE, SQLERRM;
END
$$;
SET client_min_messages = warning;
RESET ROLE;
SELECT clause, count(*) AS person_years, sum(back_paid) AS back_paid, sum(owed) AS owed, sum(overpaid) AS overpaid
  FROM bangfu_register.report_arrears WHERE clause IN ('五', '八(1)') GROUP BY clause ORDER BY clause;
SELECT count(*) AS limit_differences FROM bangfu.limit_check();
ROLLBACK;

\echo
\echo '-- 8. People and duties (issue 14): leaders (三), public-welfare posts (七), the job platform (十二)'
-- 30 county-level leaders each help one resident of a household that lost
-- the capacity to work; 27 visit before the Spring Festival.
INSERT INTO bangfu.holiday (day, name) VALUES ('2026-01-01', '元旦'), ('2026-02-17', '春节'),
                                              ('2026-09-25', '中秋节'), ('2026-10-01', '国庆节');
INSERT INTO bangfu_register.leader (id, name, post, rank)
SELECT g, 'Leader ' || g, (ARRAY['县委', '县人大', '县政府', '县政协', '法院', '检察院', '副县级'])[1 + g % 7],
       CASE WHEN g % 7 < 4 THEN 'four_bodies' WHEN g % 7 < 6 THEN 'court_procuratorate' ELSE 'deputy_county' END
  FROM generate_series(1, 30) g;
INSERT INTO bangfu_register.pairing (leader_id, resident, started_on)
SELECT row_number() OVER (ORDER BY h.id), h.head_member, '2026-01-02'
  FROM (SELECT h.id, (SELECT min(m.id::text) FROM bangfu_register.member m WHERE m.household_id = h.id)::bangfu.cnid AS head_member
          FROM bangfu_register.household h WHERE h.lost_capacity ORDER BY h.id LIMIT 30) h;
INSERT INTO bangfu_register.pairing_visit (pairing_id, visited_on, forms, money)
SELECT p.id, date '2026-02-17' - (p.id % 20)::integer,
       (ARRAY['{funds,materials}', '{ideas,information}', '{technique}', '{funds}'])[1 + p.id % 4]::text[],
       CASE WHEN p.id % 4 IN (0, 3) THEN 500 END
  FROM bangfu_register.pairing p WHERE p.id % 10 <> 0;
UPDATE bangfu_register.leader SET left_on = '2026-07-01', left_reason = 'retired' WHERE id = 7;
\echo 'Pairings not visited for the Spring Festival (重要节假日走访慰问):'
SELECT holiday, holiday_name, pairing_id, leader_name, bangfu.mask(resident) AS resident
  FROM bangfu_register.pairing_unvisited('2026-03-01');
\echo 'Leader 7 retired: the resident awaits a new leader from 两办 (不解困不脱钩):'
SELECT bangfu.mask(resident) AS resident, former_leader_name, since FROM bangfu_register.pairing_to_reassign;

-- 七: posts of two kinds; candidates from hardship households and others.
INSERT INTO bangfu_register.welfare_post (id, kind, unit, opened_on, seats) VALUES
    (1, 'cleaning', '县政府机关', '2026-03-01', 3), (2, 'security', '城东社区', '2026-03-01', 2);
INSERT INTO bangfu_register.welfare_candidate (person, kind, applied_on)
SELECT m.id, CASE WHEN m.household_id % 2 = 0 THEN 'cleaning' ELSE 'security' END, '2026-03-01'
  FROM bangfu_register.member m WHERE m.household_id BETWEEN 100 AND 103 AND m.relation = 'family';
CREATE TEMP TABLE to_place (n integer, post bigint, person bangfu.cnid, reason text);
INSERT INTO to_place VALUES
    (1, 1, pg_temp.make_cnid('620999', '1985-04-04', 1), NULL),
    (2, 1, pg_temp.make_cnid('620999', '1985-04-04', 1), '持证保洁技师, 困难候选人暂不能到岗');
INSERT INTO to_place SELECT 2 + row_number() OVER (ORDER BY c.id), CASE c.kind WHEN 'cleaning' THEN 1 ELSE 2 END, c.person, NULL
  FROM bangfu_register.welfare_candidate c;
CREATE TEMP TABLE placed (n integer, result text);
DO $$
DECLARE
    x record;
BEGIN
    FOR x IN SELECT * FROM to_place ORDER BY n LOOP
        BEGIN
            INSERT INTO bangfu_register.welfare_placement (post_id, person, placed_on, priority_reason)
            VALUES (x.post, x.person, '2026-03-02', x.reason);
            INSERT INTO placed VALUES (x.n, 'placed');
        EXCEPTION WHEN OTHERS THEN
            INSERT INTO placed VALUES (x.n, SQLERRM);
        END;
    END LOOP;
END
$$;
\echo 'Placements in order (优先安置城镇困难家庭成员就业):'
SELECT p.n, p.post, bangfu.mask(p.person) AS person, p.reason IS NOT NULL AS with_reason, d.result
  FROM to_place p JOIN placed d USING (n) ORDER BY p.n;
SELECT kind, label, posts, seats, filled, waiting_hardship, waiting_other, placed_hardship, placed_other,
       placed_other_with_reason
  FROM bangfu_register.welfare_report('2026-03-02') WHERE posts > 0;

-- 十二: a posting, the seekers registered for its category, hardship first.
INSERT INTO bangfu_register.employer (id, name) VALUES (1, '城东物业公司');
INSERT INTO bangfu_register.job_seeker (person, categories, registered_on)
SELECT pg_temp.make_cnid('620999', '1990-01-01', g), '{property}'::text[], date '2026-01-01' + g FROM generate_series(1, 3) g
UNION ALL
SELECT m.id, '{property,cleaning}', '2026-02-01'
  FROM bangfu_register.member m WHERE m.household_id BETWEEN 200 AND 201 AND m.relation = 'family';
INSERT INTO bangfu_register.job_posting (id, employer_id, title, category, posted_on, seats)
VALUES (1, 1, '物业管理员', 'property', '2026-03-01', 2);
\echo 'The posting''s priority list (优先为困难家庭提供就业信息):'
SELECT rank, bangfu.mask(person) AS person, hardship, registered_on FROM bangfu_register.posting_matches(1);
INSERT INTO bangfu_register.job_informed (posting_id, person, informed_on, channel)
SELECT 1, person, '2026-03-01', 'phone' FROM bangfu_register.posting_matches(1) WHERE hardship;
SELECT * FROM bangfu_register.job_posting_published;

\echo 'demo done.'
