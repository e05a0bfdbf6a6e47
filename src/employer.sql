
-- ---------------------------------------------------------------------------
-- 八(1) hard-to-employ persons and the employer's social-insurance subsidy
-- (src/employer.c).
-- ---------------------------------------------------------------------------

-- Its parameters: every figure, versioned by date in the policy store (十二).
INSERT INTO bangfu.policy_param (param, kind, clause, description) VALUES
    ('employer.hard_to_employ.male_age', 'count', '八(1)',
     'Age a man has reached (birthday passed) to count as hard to employ.'),
    ('employer.hard_to_employ.female_age', 'count', '八(1)',
     'Age a woman has reached (birthday passed) to count as hard to employ.'),
    ('employer.subsidy.pension_rate', 'tiers', '八(1)',
     'County subsidy of the employer''s pension contribution for a hard-to-employ hire.'),
    ('employer.subsidy.injury_rate', 'tiers', '八(1)',
     'County subsidy of the employer''s work-injury contribution for a hard-to-employ hire.'),
    ('employer.subsidy.unemployment_rate', 'tiers', '八(1)',
     'County subsidy of the employer''s unemployment contribution for a hard-to-employ hire.'),
    ('employer.subsidy.months', 'count', '八(1)',
     'Months after hiring during which the contributions are subsidised.');

INSERT INTO bangfu.policy (param, tiers, amount, count, band, shipped, note) VALUES
    ('employer.hard_to_employ.male_age', NULL, NULL, 45, NULL, true,
     '招用男年满45周岁、女年满40周岁就业困难人员'),
    ('employer.hard_to_employ.female_age', NULL, NULL, 40, NULL, true,
     '招用男年满45周岁、女年满40周岁就业困难人员'),
    ('employer.subsidy.pension_rate', '[0,) 10%', NULL, NULL, NULL, true,
     '县财政分别按照单位为其缴纳“三金”10%、25%、50%给予补贴(养老)'),
    ('employer.subsidy.injury_rate', '[0,) 25%', NULL, NULL, NULL, true,
     '县财政分别按照单位为其缴纳“三金”10%、25%、50%给予补贴(工伤)'),
    ('employer.subsidy.unemployment_rate', '[0,) 50%', NULL, NULL, NULL, true,
     '县财政分别按照单位为其缴纳“三金”10%、25%、50%给予补贴(失业)'),
    ('employer.subsidy.months', NULL, NULL, 12, NULL, true,
     '期限1年');

-- on_date (the hire date) has no default here: with one, a two-argument call
-- with a quoted ID number would resolve to this form instead of the cnid one.
CREATE FUNCTION bangfu.hard_to_employ(sex text, birth_date date, on_date date)
RETURNS boolean
    AS 'MODULE_PATHNAME', 'bf_hard_to_employ' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION bangfu.hard_to_employ(text, date, date) IS
    '八(1) hard-to-employ person on the hire date: a man who has reached 45 or a woman who has reached 40 (男年满45周岁、女年满40周岁, birthday passed; born 29 February, the birthday is 1 March in common years). sex is M/F or 男/女.';

CREATE FUNCTION bangfu.hard_to_employ(sex text, birth_date date, on_date date, scenario text)
RETURNS boolean
    AS 'MODULE_PATHNAME', 'bf_hard_to_employ' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION bangfu.hard_to_employ(text, date, date, text) IS
    '八(1) hard-to-employ person under a what-if scenario.';

CREATE FUNCTION bangfu.hard_to_employ_explain(sex text, birth_date date, on_date date)
RETURNS jsonb
    AS 'MODULE_PATHNAME', 'bf_hard_to_employ_explain' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION bangfu.hard_to_employ_explain(text, date, date) IS
    '八(1) hard_to_employ step by step: completed age, threshold, the birthday it is reached on.';

CREATE FUNCTION bangfu.hard_to_employ_explain(sex text, birth_date date, on_date date, scenario text)
RETURNS jsonb
    AS 'MODULE_PATHNAME', 'bf_hard_to_employ_explain' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION bangfu.hard_to_employ_explain(text, date, date, text) IS
    '八(1) hard_to_employ step by step, under a what-if scenario.';

CREATE FUNCTION bangfu.enterprise_subsidy(pension numeric, injury numeric, unemployment numeric,
                                          on_date date DEFAULT CURRENT_DATE)
RETURNS numeric
    AS 'MODULE_PATHNAME', 'bf_enterprise_subsidy' LANGUAGE C STABLE STRICT PARALLEL SAFE
    SUPPORT bangfu.today_support;
COMMENT ON FUNCTION bangfu.enterprise_subsidy(numeric, numeric, numeric, date) IS
    '八(1) county subsidy of an employer''s contributions for a hard-to-employ hire: 10% pension + 25% work injury + 50% unemployment (“三金”10%、25%、50%), exact, rounded once.';

CREATE FUNCTION bangfu.enterprise_subsidy(pension numeric, injury numeric, unemployment numeric,
                                          on_date date, scenario text)
RETURNS numeric
    AS 'MODULE_PATHNAME', 'bf_enterprise_subsidy' LANGUAGE C STABLE STRICT PARALLEL SAFE
    SUPPORT bangfu.today_support;
COMMENT ON FUNCTION bangfu.enterprise_subsidy(numeric, numeric, numeric, date, text) IS
    '八(1) social-insurance subsidy under a what-if scenario.';

CREATE FUNCTION bangfu.enterprise_subsidy_explain(pension numeric, injury numeric, unemployment numeric,
                                                  on_date date DEFAULT CURRENT_DATE)
RETURNS jsonb
    AS 'MODULE_PATHNAME', 'bf_enterprise_subsidy_explain' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION bangfu.enterprise_subsidy_explain(numeric, numeric, numeric, date) IS
    '八(1) social-insurance subsidy step by step: each contribution''s rate and exact value, the exact sum, the rounded result.';

CREATE FUNCTION bangfu.enterprise_subsidy_explain(pension numeric, injury numeric, unemployment numeric,
                                                  on_date date, scenario text)
RETURNS jsonb
    AS 'MODULE_PATHNAME', 'bf_enterprise_subsidy_explain' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION bangfu.enterprise_subsidy_explain(numeric, numeric, numeric, date, text) IS
    '八(1) social-insurance subsidy step by step, under a what-if scenario.';

-- 八(1) with sex and birth date read from the resident identity number (in
-- C, straight from the stored number).  There is no (cnid, date, text)
-- scenario overload: it would make the three-literal call
-- hard_to_employ('M', '1980-01-01', '2025-06-30') ambiguous.  Under a
-- scenario, pass bangfu.sex(id) and bangfu.birth_date(id) to the text form.
CREATE FUNCTION bangfu.hard_to_employ(id bangfu.cnid, on_date date)
RETURNS boolean
    AS 'MODULE_PATHNAME', 'bf_hard_to_employ_cnid' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION bangfu.hard_to_employ(bangfu.cnid, date) IS
    '八(1) hard-to-employ person on the hire date, sex and birth date taken from the identity number (男年满45周岁、女年满40周岁).';

CREATE FUNCTION bangfu.hard_to_employ_explain(id bangfu.cnid, on_date date)
RETURNS jsonb
LANGUAGE sql STABLE STRICT PARALLEL SAFE
RETURN bangfu.hard_to_employ_explain(bangfu.sex(id), bangfu.birth_date(id), on_date);
COMMENT ON FUNCTION bangfu.hard_to_employ_explain(bangfu.cnid, date) IS
    '八(1) hard_to_employ by identity number, step by step.';

-- Its limits (src/limits.sql): what the limit triggers enforce row by row.
INSERT INTO bangfu.limit_def (name, clause, unit, period, direction, cap_param, zero_cap, subjects, description, shipped)
SELECT v.*, true FROM (VALUES
    ('employer_subsidy_months', '八(1)', 'count', 'lifetime', 1, 'employer.subsidy.months', false, 2,
     'Months of social-insurance subsidy for one employer and employee after hiring (期限1年).')
) AS v(name, clause, unit, period, direction, cap_param, zero_cap, subjects, description);
