-- pgTAP: issue 14 in the register, employment: 五 pay first (先缴后补),
-- 八(1) the hiring window (期限1年), 十 fee waivers and rent concessions.
-- Every bound with one day or one fen either side.  Run with pg_prove in a
-- database with pgtap and bangfu; the register is created and rolled back.
BEGIN;
SET LOCAL client_min_messages = warning;
CREATE EXTENSION bangfu_register;
RESET client_min_messages;
SELECT plan(32);

CREATE FUNCTION pg_temp.cnid17(p text) RETURNS bangfu.cnid LANGUAGE sql AS $$
    SELECT (p || substr('10X98765432',
                        ((SELECT sum(substr(p, i, 1)::integer * (ARRAY[7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2])[i])
                            FROM generate_series(1, 17) i) % 11 + 1)::integer, 1))::bangfu.cnid
$$;
-- a man born 1980-05-10 (45 on 2025-05-10), a woman born 1986-03-01 (40 on 2026-03-01)
CREATE TEMP TABLE p (k text PRIMARY KEY, id bangfu.cnid);
INSERT INTO p VALUES ('man', pg_temp.cnid17('11010119800510001')), ('woman', pg_temp.cnid17('11010119860301002')),
                     ('head', pg_temp.cnid17('11010119500101003'));
INSERT INTO bangfu_register.household (id, head, urban, lost_capacity, registered_on)
SELECT 1, id, true, false, '2026-01-01' FROM p WHERE k = 'head';
INSERT INTO bangfu_register.member (household_id, id, name, relation)
SELECT 1, id, k, '子女' FROM p WHERE k IN ('man', 'woman');
SELECT is(bangfu.policy_count('employer.subsidy.window_months', '2026-03-01'), 12, '八(1) the hiring window is a dated policy figure: 12 months');

-- 五 -------------------------------------------------------------------------
INSERT INTO bangfu_register.employment_certificate (person, number, issued_on, flexible)
SELECT id, 'JY-0001', '2026-01-01', '[2026-01-01,2026-12-31]' FROM p WHERE k = 'man';
INSERT INTO bangfu_register.pension_contribution (id, person, paid_on, months, amount)
SELECT v.id, p.id, v.paid_on::date, v.months, v.amount FROM p,
       (VALUES (1, '2026-02-01', 12, 3000.00), (2, '2026-03-01', 12, 1000.00), (3, '2026-04-01', 24, 4800.00),
               (4, '2026-05-01', 1, 100.01), (5, '2025-12-31', 1, 100.00), (6, '2026-12-31', 1, 100.00),
               (7, '2027-01-01', 1, 100.00)) v(id, paid_on, months, amount)
 WHERE p.k = 'man';
SELECT throws_ok($$INSERT INTO bangfu_register.pension_subsidy (contribution_id, paid_on) VALUES (1, '2026-01-31')$$,
                 '22023', NULL, '五 先缴后补: a subsidy paid the day before the contribution is refused');
SELECT lives_ok($$INSERT INTO bangfu_register.pension_subsidy (contribution_id, paid_on) VALUES (1, '2026-02-01')$$,
                '五 a subsidy paid the day of the contribution');
SELECT is((SELECT (months, amount)::text FROM bangfu_register.pension_subsidy WHERE contribution_id = 1), '(12,2000.00)',
          '五 3000 paid for 12 months: 2000.00 (2/3)');
SELECT throws_ok($$INSERT INTO bangfu_register.pension_subsidy (contribution_id, paid_on) VALUES (1, '2026-03-01')$$,
                 '23505', NULL, '五 one subsidy per contribution');
SELECT throws_ok($$INSERT INTO bangfu_register.pension_subsidy (contribution_id, paid_on) VALUES (999, '2026-03-01')$$,
                 '23503', NULL, '五 a subsidy without a recorded contribution is refused');
SELECT throws_ok($$INSERT INTO bangfu_register.pension_subsidy (contribution_id, paid_on) VALUES (5, '2026-03-01')$$,
                 '23514', NULL, '五 paid 2025-12-31, before the certificate and flexible employment: refused');
SELECT lives_ok($$INSERT INTO bangfu_register.pension_subsidy (contribution_id, paid_on) VALUES (6, '2027-01-05')$$,
                '五 paid 2026-12-31, the last day of flexible employment: subsidised');
SELECT throws_ok($$INSERT INTO bangfu_register.pension_subsidy (contribution_id, paid_on) VALUES (7, '2027-01-05')$$,
                 '23514', NULL, '五 paid 2027-01-01, the day after: refused');
SELECT lives_ok($$INSERT INTO bangfu_register.pension_subsidy (contribution_id, paid_on) VALUES (2, '2026-03-01')$$,
                '五 a second year: 1000 for 12 months');
SELECT is((SELECT amount FROM bangfu_register.pension_subsidy WHERE contribution_id = 2), 666.67::numeric(12,2),
          '五 1000 → 666.67');
SELECT lives_ok($$INSERT INTO bangfu_register.pension_subsidy (contribution_id, paid_on) VALUES (3, '2026-04-01')$$,
                '五 24 months paid with 11 left of 36 (25 used)');
SELECT is((SELECT (months, amount)::text FROM bangfu_register.pension_subsidy WHERE contribution_id = 3), '(11,1466.67)',
          '五 pro rata: 4800 × 11/24 × 2/3 = 1466.67 for the 11 months left');
SELECT throws_ok($$INSERT INTO bangfu_register.pension_subsidy (contribution_id, paid_on) VALUES (4, '2026-05-01')$$,
                 '23514', NULL, '五 36 months used: no subsidy beyond 3 years');
SELECT is(bangfu.limit_used('pension_months', (SELECT id::text FROM p WHERE k = 'man'), '2026-12-31'), 36::numeric,
          '五 the limit pension_months counts 36 months');

-- 八(1) ----------------------------------------------------------------------
INSERT INTO bangfu_register.employer (id, name) VALUES (1, '城东物业公司');
INSERT INTO bangfu_register.employer (id, name, kind, handicraft, eco_park) VALUES (2, '阿依刺绣坊', 'individual', true, true),
                                                                                  (3, '城西地毯厂', 'enterprise', true, false);
INSERT INTO bangfu_register.hire (id, employer_id, person, hired_on)
SELECT v.id, v.employer, p.id, v.hired_on::date FROM p,
       (VALUES (1, 1, 'man', '2026-03-01'), (2, 2, 'man', '2026-03-02'), (3, 1, 'woman', '2026-02-28'), (4, 2, 'woman', '2026-03-01'))
       v(id, employer, who, hired_on) WHERE p.k = v.who;
SELECT throws_ok($$INSERT INTO bangfu_register.employer_subsidy (hire_id, month, pension, injury, unemployment) VALUES (3, '2026-03-01', 1000, 100, 200)$$,
                 '23514', NULL, '八(1) a woman hired the day before her 40th birthday is not hard to employ');
SELECT lives_ok($$INSERT INTO bangfu_register.employer_subsidy (hire_id, month, pension, injury, unemployment) VALUES (4, '2026-03-01', 1000, 100, 200)$$,
                '八(1) hired on her 40th birthday');
SELECT is((SELECT amount FROM bangfu_register.employer_subsidy WHERE hire_id = 4), 225.00::numeric(12,2),
          '八(1) 1000 / 100 / 200 → 225.00');
SELECT throws_ok($$INSERT INTO bangfu_register.employer_subsidy (hire_id, month, pension, injury, unemployment) VALUES (4, '2026-04-02', 1, 1, 1)$$,
                 '22023', NULL, '八(1) a month is given by its first day');
SELECT throws_ok($$INSERT INTO bangfu_register.employer_subsidy (hire_id, month, pension, injury, unemployment) VALUES (1, '2026-02-01', 1, 1, 1)$$,
                 '23514', NULL, '八(1) hired 2026-03-01: February 2026 is before the hire');
SELECT lives_ok($$INSERT INTO bangfu_register.employer_subsidy (hire_id, month, pension, injury, unemployment) VALUES (1, '2027-02-01', 1, 1, 1)$$,
                '八(1) hired 2026-03-01: February 2027 is inside the window (to 2027-02-28)');
SELECT throws_ok($$INSERT INTO bangfu_register.employer_subsidy (hire_id, month, pension, injury, unemployment) VALUES (1, '2027-03-01', 1, 1, 1)$$,
                 '23514', NULL, '八(1) hired 2026-03-01: March 2027 is outside the window');
SELECT lives_ok($$INSERT INTO bangfu_register.employer_subsidy (hire_id, month, pension, injury, unemployment)
                  SELECT 2, m::date, 1, 1, 1 FROM generate_series('2026-03-01'::date, '2027-02-01', '1 month') m$$,
                '八(1) hired 2026-03-02: twelve months March 2026 to February 2027');
SELECT throws_ok($$INSERT INTO bangfu_register.employer_subsidy (hire_id, month, pension, injury, unemployment) VALUES (2, '2027-03-01', 1, 1, 1)$$,
                 '23514', NULL, '八(1) hired 2026-03-02: March 2027 is inside the window (to 2027-03-01) but the 12 months are used (limit employer_subsidy_months)');
SELECT is(bangfu_register.months_after('2024-02-29', 12), '2025-03-01'::date, '八(1) the window of a hire on 29 February closes on 1 March');

-- 十 -------------------------------------------------------------------------
SELECT throws_ok($$INSERT INTO bangfu_register.fee_waiver (person, business, registered_on, charges)
                   SELECT id, '小吃店', '2026-02-28', 300 FROM p WHERE k = 'woman'$$,
                 '23514', NULL, '十 the day before her 40th birthday she is not hard to employ: no waiver');
SELECT lives_ok($$INSERT INTO bangfu_register.fee_waiver (person, business, registered_on, charges)
                  SELECT id, '小吃店', '2026-03-01', 300 FROM p WHERE k = 'woman'$$,
                '十 on her birthday: registration charges waived');
SELECT is((SELECT waived FROM bangfu_register.fee_waiver), 300.00::numeric(12,2), '十 waived in full (business.fee_waiver_rate 100%)');
SELECT lives_ok($$INSERT INTO bangfu_register.rent_concession (employer_id, rent_from, rent_to, rent, concession)
                  VALUES (2, '2026-01-01', '2026-12-31', 10000, 5000)$$,
                '十 a handicraft business in the park: 5000.00 off a rent of 10000 (50%)');
SELECT throws_ok($$INSERT INTO bangfu_register.rent_concession (employer_id, rent_from, rent_to, rent, concession)
                   VALUES (2, '2027-01-01', '2027-12-31', 10000, 5000.01)$$,
                 '22023', NULL, '十 5000.01 is one fen too much');
SELECT throws_ok($$INSERT INTO bangfu_register.rent_concession (employer_id, rent_from, rent_to, rent, concession)
                   VALUES (3, '2026-01-01', '2026-12-31', 10000, 100)$$,
                 '23514', NULL, '十 a handicraft business outside the park gets no concession');
SELECT results_eq($$SELECT year, kind, cases, total FROM bangfu_register.business_support_yearly ORDER BY 1, 2$$,
                  $$VALUES (2026, 'fee_waiver', 1, 300.00::numeric(14,2)), (2026, 'rent_concession', 1, 5000.00::numeric(14,2))$$,
                  '十 totals per year');

SELECT * FROM finish();
ROLLBACK;
