
-- ---------------------------------------------------------------------------
-- 二 temporary relief, 五 pension subsidy, 八 employer incentives.
-- Every figure is a parameter of the policy store (below), versioned by date;
-- the functions are STABLE because they read it (through the per-session
-- cache), and each has an overload ending in "scenario text" that computes
-- the same under a what-if scenario (see scenario.sql).
-- ---------------------------------------------------------------------------

INSERT INTO bangfu.policy_param (param, kind, clause, description) VALUES
    ('relief.band.critical_illness', 'band', '二(1)',
     'Relief band (yuan, inclusive) for a household in hardship through critical illness or accident.'),
    ('relief.band.disability_chronic', 'band', '二(2)',
     'Relief band (yuan, inclusive) for a household in hardship through disability or a hard-to-cure chronic illness.'),
    ('relief.band.education', 'band', '二(3)',
     'Relief band (yuan, inclusive) for a household in hardship through the cost of its children''s education.'),
    ('relief.band.single_parent_other', 'band', '二(4)',
     'Relief band (yuan, inclusive) for a single-parent household or other special reasons.'),
    ('relief.quota.min_share', 'tiers', '二',
     'Least share of the county''s urban permanent-resident households relieved in a year (one rate over [0,); the count is rounded up, and lowered to the ceiling where it would pass it).'),
    ('relief.quota.max_share', 'tiers', '二',
     'Greatest share of the county''s urban permanent-resident households relieved in a year (one rate over [0,); the count is rounded down).'),
    ('pension.subsidy_rate', 'tiers', '五',
     'Pension subsidy of a flexibly employed person''s own pension payment.'),
    ('pension.max_months', 'count', '五',
     'Most months of pension payments subsidised per person.'),
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
     'Months after hiring during which the contributions are subsidised.'),
    ('loan.per_hire', 'amount', '八(2)',
     'Guaranteed small loan per hardship worker hired.'),
    ('loan.min_hires', 'count', '八(2)',
     'Least number of hardship workers an employer must hire to get the loans.'),
    ('loan.min_share', 'tiers', '八(2)',
     'Least share of the employer''s staff the hardship hires must make up (one rate over [0,), compared exactly).'),
    ('loan.interest_years', 'count', '八(2)',
     'Years from the loan''s start whose interest the enterprise fund pays.'),
    ('loan.day_count', 'count', '八(2)',
     'Days in the interest year: daily interest is the annual rate divided by this.'),
    ('handicraft.reward', 'tiers', '八(3)',
     'Reward for a year''s sales of handicrafts made by hardship households, per enterprise or individual business.');

INSERT INTO bangfu.policy (param, tiers, amount, count, band, shipped, note) VALUES
    ('relief.band.critical_illness', NULL, NULL, NULL, '[2000,5000]', true,
     '因患危重疾病或意外事故等原因导致家庭生活特别困难的救助标准为2000-5000元'),
    ('relief.band.disability_chronic', NULL, NULL, NULL, '[1000,2000]', true,
     '因身体残疾或患疑难慢性疾病导致家庭生活特别困难的救助标准为1000-2000元'),
    ('relief.band.education', NULL, NULL, NULL, '[1000,2000]', true,
     '因子女教育费用负担过重造成家庭生活困难的救助标准为1000-2000元'),
    ('relief.band.single_parent_other', NULL, NULL, NULL, '[1000,1500]', true,
     '因单亲家庭及其他特殊原因造成家庭生活困难的救助标准为1000-1500元'),
    ('relief.quota.min_share', '[0,) 3%', NULL, NULL, NULL, true,
     '每年救助的对象控制在城镇常住户的3%-5%'),
    ('relief.quota.max_share', '[0,) 5%', NULL, NULL, NULL, true,
     '每年救助的对象控制在城镇常住户的3%-5%'),
    ('pension.subsidy_rate', '[0,) 2/3', NULL, NULL, NULL, true,
     '按照“先缴后补”办法,给予养老保险金补贴,补贴标准为其实际缴费额的2/3'),
    ('pension.max_months', NULL, NULL, 36, NULL, true,
     '最长补贴期限为3年'),
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
     '期限1年'),
    ('loan.per_hire', NULL, 10000, NULL, NULL, true,
     '按照实际招用困难人数,平均每人给予1万元的小额担保贷款扶持'),
    ('loan.min_hires', NULL, NULL, 3, NULL, true,
     '吸纳城镇困难人员就业3人以上且占员工总数30%以上的企业'),
    ('loan.min_share', '[0,) 30%', NULL, NULL, NULL, true,
     '吸纳城镇困难人员就业3人以上且占员工总数30%以上的企业'),
    ('loan.interest_years', NULL, NULL, 2, NULL, true,
     '由财政从创业基金中给予2年贴息'),
    ('loan.day_count', NULL, NULL, 360, NULL, true,
     '给予2年贴息 (the text gives no day count; Chinese banks'' convention: 日利率 = 年利率/360)'),
    ('handicraft.reward', 'flat: [0,300000) 0, [300000,500000) 5000, [500000,1000000) 10000, [1000000,) 20000', NULL, NULL, NULL, true,
     '销售困难群众产品在30-50万元之间的奖励5000元;50-100万元之间的奖励1万元;100万元以上的奖励2万元 (以上 includes the bound)');

-- ---------------------------------------------------------------------------
-- 二 temporary relief for special-hardship families
-- ---------------------------------------------------------------------------

CREATE TYPE bangfu.relief_reason AS ENUM
    ('critical_illness', 'disability_chronic', 'education', 'single_parent_other');
COMMENT ON TYPE bangfu.relief_reason IS
    '二 the four reasons for temporary relief, each with its own band (relief.band.<reason>).';

-- Not STRICT, so that the planner inlines the CASE into the calling query
-- (a STRICT SQL function whose body is not strict is called row by row);
-- NULL still gives NULL, as no WHEN matches it.
CREATE FUNCTION bangfu.relief_reason_label(reason bangfu.relief_reason)
RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN CASE
    WHEN reason OPERATOR(pg_catalog.=) 'critical_illness'::bangfu.relief_reason THEN '因患危重疾病或意外事故'
    WHEN reason OPERATOR(pg_catalog.=) 'disability_chronic'::bangfu.relief_reason THEN '因身体残疾或患疑难慢性疾病'
    WHEN reason OPERATOR(pg_catalog.=) 'education'::bangfu.relief_reason THEN '因子女教育费用负担过重'
    WHEN reason OPERATOR(pg_catalog.=) 'single_parent_other'::bangfu.relief_reason THEN '因单亲家庭及其他特殊原因'
END;
COMMENT ON FUNCTION bangfu.relief_reason_label(bangfu.relief_reason) IS
    '二 the seed''s Chinese wording of a relief reason (因患危重疾病或意外事故 …).';

CREATE FUNCTION bangfu.relief_band(reason bangfu.relief_reason, on_date date DEFAULT CURRENT_DATE)
RETURNS numrange
    AS 'MODULE_PATHNAME', 'bf_relief_band' LANGUAGE C STABLE STRICT PARALLEL SAFE
    SUPPORT bangfu.today_support;
COMMENT ON FUNCTION bangfu.relief_band(bangfu.relief_reason, date) IS
    '二 the band (yuan, inclusive) the committee picks a relief amount in, for a reason, in force on a date.';

CREATE FUNCTION bangfu.relief_band(reason bangfu.relief_reason, on_date date, scenario text)
RETURNS numrange
    AS 'MODULE_PATHNAME', 'bf_relief_band' LANGUAGE C STABLE STRICT PARALLEL SAFE
    SUPPORT bangfu.today_support;
COMMENT ON FUNCTION bangfu.relief_band(bangfu.relief_reason, date, text) IS
    '二 relief band as a what-if scenario would set it.';

CREATE FUNCTION bangfu.relief_band_explain(reason bangfu.relief_reason, on_date date DEFAULT CURRENT_DATE)
RETURNS jsonb
    AS 'MODULE_PATHNAME', 'bf_relief_band_explain' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION bangfu.relief_band_explain(bangfu.relief_reason, date) IS
    '二 relief band with the policy version it comes from.';

CREATE FUNCTION bangfu.relief_band_explain(reason bangfu.relief_reason, on_date date, scenario text)
RETURNS jsonb
    AS 'MODULE_PATHNAME', 'bf_relief_band_explain' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION bangfu.relief_band_explain(bangfu.relief_reason, date, text) IS
    '二 relief band explained, as a what-if scenario would set it.';

CREATE FUNCTION bangfu.relief_in_band(reason bangfu.relief_reason, amount numeric,
                                      on_date date DEFAULT CURRENT_DATE)
RETURNS numeric
    AS 'MODULE_PATHNAME', 'bf_relief_in_band' LANGUAGE C STABLE STRICT PARALLEL SAFE
    SUPPORT bangfu.today_support;
COMMENT ON FUNCTION bangfu.relief_in_band(bangfu.relief_reason, numeric, date) IS
    '二 the amount moved into the reason''s band (raised to its least or lowered to its most): what a grant must at least become when the band moves.';

CREATE FUNCTION bangfu.relief_in_band(reason bangfu.relief_reason, amount numeric,
                                      on_date date, scenario text)
RETURNS numeric
    AS 'MODULE_PATHNAME', 'bf_relief_in_band' LANGUAGE C STABLE STRICT PARALLEL SAFE
    SUPPORT bangfu.today_support;
COMMENT ON FUNCTION bangfu.relief_in_band(bangfu.relief_reason, numeric, date, text) IS
    '二 amount moved into the band a what-if scenario sets.';

CREATE FUNCTION bangfu.relief_in_band_explain(reason bangfu.relief_reason, amount numeric,
                                              on_date date DEFAULT CURRENT_DATE)
RETURNS jsonb
    AS 'MODULE_PATHNAME', 'bf_relief_in_band_explain' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION bangfu.relief_in_band_explain(bangfu.relief_reason, numeric, date) IS
    '二 relief_in_band step by step.';

CREATE FUNCTION bangfu.relief_in_band_explain(reason bangfu.relief_reason, amount numeric,
                                              on_date date, scenario text)
RETURNS jsonb
    AS 'MODULE_PATHNAME', 'bf_relief_in_band_explain' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION bangfu.relief_in_band_explain(bangfu.relief_reason, numeric, date, text) IS
    '二 relief_in_band step by step, under a what-if scenario.';

-- The 二 functions also take the reason as text, its code.  An enum
-- argument refuses an unknown code in the enum's own input function, whose
-- message cannot say which rule was called; these forms refuse it naming
-- the argument and the rule (doc/clauses.md §0), with SQLSTATE 22023.  A quoted
-- literal resolves to them (an unknown-type argument prefers text), a
-- column or value of type bangfu.relief_reason to the enum forms, so a
-- caseload read from a table keeps the enum's speed.
CREATE FUNCTION bangfu.relief_band(reason text, on_date date DEFAULT CURRENT_DATE)
RETURNS numrange
    AS 'MODULE_PATHNAME', 'bf_relief_band_text' LANGUAGE C STABLE STRICT PARALLEL SAFE
    SUPPORT bangfu.today_support;
COMMENT ON FUNCTION bangfu.relief_band(text, date) IS
    '二 relief band of a reason given by its code (critical_illness, disability_chronic, education, single_parent_other); an unknown code is refused naming the rule.';

CREATE FUNCTION bangfu.relief_band(reason text, on_date date, scenario text)
RETURNS numrange
    AS 'MODULE_PATHNAME', 'bf_relief_band_text' LANGUAGE C STABLE STRICT PARALLEL SAFE
    SUPPORT bangfu.today_support;
COMMENT ON FUNCTION bangfu.relief_band(text, date, text) IS
    '二 relief band of a reason given by its code, as a what-if scenario would set it.';

CREATE FUNCTION bangfu.relief_band_explain(reason text, on_date date DEFAULT CURRENT_DATE)
RETURNS jsonb
    AS 'MODULE_PATHNAME', 'bf_relief_band_explain_text' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION bangfu.relief_band_explain(text, date) IS
    '二 relief band of a reason given by its code, with the policy version it comes from.';

CREATE FUNCTION bangfu.relief_band_explain(reason text, on_date date, scenario text)
RETURNS jsonb
    AS 'MODULE_PATHNAME', 'bf_relief_band_explain_text' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION bangfu.relief_band_explain(text, date, text) IS
    '二 relief band of a reason given by its code, explained, as a what-if scenario would set it.';

CREATE FUNCTION bangfu.relief_in_band(reason text, amount numeric, on_date date DEFAULT CURRENT_DATE)
RETURNS numeric
    AS 'MODULE_PATHNAME', 'bf_relief_in_band_text' LANGUAGE C STABLE STRICT PARALLEL SAFE
    SUPPORT bangfu.today_support;
COMMENT ON FUNCTION bangfu.relief_in_band(text, numeric, date) IS
    '二 the amount moved into the band of a reason given by its code; an unknown code is refused naming the rule.';

CREATE FUNCTION bangfu.relief_in_band(reason text, amount numeric, on_date date, scenario text)
RETURNS numeric
    AS 'MODULE_PATHNAME', 'bf_relief_in_band_text' LANGUAGE C STABLE STRICT PARALLEL SAFE
    SUPPORT bangfu.today_support;
COMMENT ON FUNCTION bangfu.relief_in_band(text, numeric, date, text) IS
    '二 amount moved into the band a what-if scenario sets, the reason given by its code.';

CREATE FUNCTION bangfu.relief_in_band_explain(reason text, amount numeric, on_date date DEFAULT CURRENT_DATE)
RETURNS jsonb
    AS 'MODULE_PATHNAME', 'bf_relief_in_band_explain_text' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION bangfu.relief_in_band_explain(text, numeric, date) IS
    '二 relief_in_band step by step, the reason given by its code.';

CREATE FUNCTION bangfu.relief_in_band_explain(reason text, amount numeric, on_date date, scenario text)
RETURNS jsonb
    AS 'MODULE_PATHNAME', 'bf_relief_in_band_explain_text' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION bangfu.relief_in_band_explain(text, numeric, date, text) IS
    '二 relief_in_band step by step under a what-if scenario, the reason given by its code.';

CREATE FUNCTION bangfu.relief_reason_label(reason text)
RETURNS text
LANGUAGE plpgsql STABLE STRICT PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF NOT reason OPERATOR(pg_catalog.=) ANY (pg_catalog.enum_range(NULL::bangfu.relief_reason)::text[]) THEN
        PERFORM bangfu.raise_error('relief_reason_unknown', reason);
    END IF;
    RETURN bangfu.relief_reason_label(reason::bangfu.relief_reason);
END
$$;
COMMENT ON FUNCTION bangfu.relief_reason_label(text) IS
    '二 the seed''s Chinese wording of a relief reason given by its code; an unknown code is refused naming the function.';

CREATE FUNCTION bangfu.relief_first_half(amount numeric)
RETURNS numeric
    AS 'MODULE_PATHNAME', 'bf_relief_first_half' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION bangfu.relief_first_half(numeric) IS
    '二 first installment of a relief (上半年): half the amount rounded up to the fen.';

CREATE FUNCTION bangfu.relief_second_half(amount numeric)
RETURNS numeric
    AS 'MODULE_PATHNAME', 'bf_relief_second_half' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION bangfu.relief_second_half(numeric) IS
    '二 second installment of a relief (下半年): the amount less the first installment.';

-- An SQL function with one SELECT: the planner inlines it into the calling
-- query (FROM t, LATERAL bangfu.relief_installments(t.amount)), so it costs
-- two scalar calls per row.  Not STRICT (that would stop the inlining): a
-- NULL amount gives one row of NULLs, as the two scalars do.
CREATE FUNCTION bangfu.relief_installments(amount numeric)
RETURNS TABLE (first_half numeric, second_half numeric)
LANGUAGE sql IMMUTABLE PARALLEL SAFE ROWS 1
BEGIN ATOMIC
    SELECT bangfu.relief_first_half(amount), bangfu.relief_second_half(amount);
END;
COMMENT ON FUNCTION bangfu.relief_installments(numeric) IS
    '二 a relief paid in the first and second half of the year (分上、下半年两次发放): first = half rounded up to the fen, second = the rest.';

CREATE FUNCTION bangfu.relief_installments_explain(amount numeric)
RETURNS jsonb
    AS 'MODULE_PATHNAME', 'bf_relief_installments_explain' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION bangfu.relief_installments_explain(numeric) IS
    '二 installments step by step: the exact half and how each installment is rounded.';

CREATE FUNCTION bangfu.relief_quota_min(urban_households integer, on_date date DEFAULT CURRENT_DATE)
RETURNS integer
    AS 'MODULE_PATHNAME', 'bf_relief_quota_min' LANGUAGE C STABLE STRICT PARALLEL SAFE
    SUPPORT bangfu.today_support;
COMMENT ON FUNCTION bangfu.relief_quota_min(integer, date) IS
    '二 least households to relieve in a year: ceil(3%) of the urban permanent-resident households, or the ceiling floor(5%) where that is lower (1-19 and 34-39 households).';

CREATE FUNCTION bangfu.relief_quota_min(urban_households integer, on_date date, scenario text)
RETURNS integer
    AS 'MODULE_PATHNAME', 'bf_relief_quota_min' LANGUAGE C STABLE STRICT PARALLEL SAFE
    SUPPORT bangfu.today_support;
COMMENT ON FUNCTION bangfu.relief_quota_min(integer, date, text) IS
    '二 least households to relieve, under a what-if scenario.';

CREATE FUNCTION bangfu.relief_quota_max(urban_households integer, on_date date DEFAULT CURRENT_DATE)
RETURNS integer
    AS 'MODULE_PATHNAME', 'bf_relief_quota_max' LANGUAGE C STABLE STRICT PARALLEL SAFE
    SUPPORT bangfu.today_support;
COMMENT ON FUNCTION bangfu.relief_quota_max(integer, date) IS
    '二 most households to relieve in a year: floor(5%) of the urban permanent-resident households.';

CREATE FUNCTION bangfu.relief_quota_max(urban_households integer, on_date date, scenario text)
RETURNS integer
    AS 'MODULE_PATHNAME', 'bf_relief_quota_max' LANGUAGE C STABLE STRICT PARALLEL SAFE
    SUPPORT bangfu.today_support;
COMMENT ON FUNCTION bangfu.relief_quota_max(integer, date, text) IS
    '二 most households to relieve, under a what-if scenario.';

-- Inlined into the calling query like relief_installments; a NULL argument
-- gives one row of NULLs.
CREATE FUNCTION bangfu.relief_quota(urban_households integer, on_date date DEFAULT CURRENT_DATE)
RETURNS TABLE (min_households integer, max_households integer)
LANGUAGE sql STABLE PARALLEL SAFE ROWS 1
BEGIN ATOMIC
    SELECT bangfu.relief_quota_min(urban_households, on_date),
           bangfu.relief_quota_max(urban_households, on_date);
END;
COMMENT ON FUNCTION bangfu.relief_quota(integer, date) IS
    '二 households relieved in a year: at least ceil(3%), at most floor(5%) of the urban permanent-resident households (城镇常住户的3%-5%); the ceiling holds, so where ceil(3%) would pass it (1-19 and 34-39 households) the least is the ceiling.';

CREATE FUNCTION bangfu.relief_quota(urban_households integer, on_date date, scenario text)
RETURNS TABLE (min_households integer, max_households integer)
LANGUAGE sql STABLE PARALLEL SAFE ROWS 1
BEGIN ATOMIC
    SELECT bangfu.relief_quota_min(urban_households, on_date, scenario),
           bangfu.relief_quota_max(urban_households, on_date, scenario);
END;
COMMENT ON FUNCTION bangfu.relief_quota(integer, date, text) IS
    '二 relief quota under a what-if scenario.';

CREATE FUNCTION bangfu.relief_quota_explain(urban_households integer, on_date date DEFAULT CURRENT_DATE)
RETURNS jsonb
    AS 'MODULE_PATHNAME', 'bf_relief_quota_explain' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION bangfu.relief_quota_explain(integer, date) IS
    '二 relief quota step by step: shares, exact counts, rounding.';

CREATE FUNCTION bangfu.relief_quota_explain(urban_households integer, on_date date, scenario text)
RETURNS jsonb
    AS 'MODULE_PATHNAME', 'bf_relief_quota_explain' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION bangfu.relief_quota_explain(integer, date, text) IS
    '二 relief quota step by step, under a what-if scenario.';

-- ---------------------------------------------------------------------------
-- 五 pension subsidy for the flexibly employed
-- ---------------------------------------------------------------------------

CREATE FUNCTION bangfu.pension_subsidy(paid numeric, on_date date DEFAULT CURRENT_DATE)
RETURNS numeric
    AS 'MODULE_PATHNAME', 'bf_pension_subsidy' LANGUAGE C STABLE STRICT PARALLEL SAFE
    SUPPORT bangfu.today_support;
COMMENT ON FUNCTION bangfu.pension_subsidy(numeric, date) IS
    '五 pension subsidy of one payment (先缴后补): 2/3 of what was paid, exact, rounded once.';

CREATE FUNCTION bangfu.pension_subsidy(paid numeric, on_date date, scenario text)
RETURNS numeric
    AS 'MODULE_PATHNAME', 'bf_pension_subsidy' LANGUAGE C STABLE STRICT PARALLEL SAFE
    SUPPORT bangfu.today_support;
COMMENT ON FUNCTION bangfu.pension_subsidy(numeric, date, text) IS
    '五 pension subsidy under a what-if scenario.';

CREATE FUNCTION bangfu.pension_subsidy(paid numeric, months integer, months_subsidised_before integer,
                                       on_date date DEFAULT CURRENT_DATE)
RETURNS numeric
    AS 'MODULE_PATHNAME', 'bf_pension_subsidy_months' LANGUAGE C STABLE STRICT PARALLEL SAFE
    SUPPORT bangfu.today_support;
COMMENT ON FUNCTION bangfu.pension_subsidy(numeric, integer, integer, date) IS
    '五 pension subsidy of a payment covering months, pro rata for the months still inside the 36-month limit (最长补贴期限为3年); 0 once it is used.';

CREATE FUNCTION bangfu.pension_subsidy(paid numeric, months integer, months_subsidised_before integer,
                                       on_date date, scenario text)
RETURNS numeric
    AS 'MODULE_PATHNAME', 'bf_pension_subsidy_months' LANGUAGE C STABLE STRICT PARALLEL SAFE
    SUPPORT bangfu.today_support;
COMMENT ON FUNCTION bangfu.pension_subsidy(numeric, integer, integer, date, text) IS
    '五 pro rata pension subsidy under a what-if scenario.';

CREATE FUNCTION bangfu.pension_subsidy_explain(paid numeric, on_date date DEFAULT CURRENT_DATE)
RETURNS jsonb
    AS 'MODULE_PATHNAME', 'bf_pension_subsidy_explain' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION bangfu.pension_subsidy_explain(numeric, date) IS
    '五 pension subsidy step by step: policy version, rate, exact and rounded values.';

CREATE FUNCTION bangfu.pension_subsidy_explain(paid numeric, on_date date, scenario text)
RETURNS jsonb
    AS 'MODULE_PATHNAME', 'bf_pension_subsidy_explain' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION bangfu.pension_subsidy_explain(numeric, date, text) IS
    '五 pension subsidy step by step, under a what-if scenario.';

CREATE FUNCTION bangfu.pension_subsidy_explain(paid numeric, months integer, months_subsidised_before integer,
                                               on_date date DEFAULT CURRENT_DATE)
RETURNS jsonb
    AS 'MODULE_PATHNAME', 'bf_pension_subsidy_months_explain' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION bangfu.pension_subsidy_explain(numeric, integer, integer, date) IS
    '五 pro rata pension subsidy step by step: months remaining and covered, exact and rounded values.';

CREATE FUNCTION bangfu.pension_subsidy_explain(paid numeric, months integer, months_subsidised_before integer,
                                               on_date date, scenario text)
RETURNS jsonb
    AS 'MODULE_PATHNAME', 'bf_pension_subsidy_months_explain' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION bangfu.pension_subsidy_explain(numeric, integer, integer, date, text) IS
    '五 pro rata pension subsidy step by step, under a what-if scenario.';

-- ---------------------------------------------------------------------------
-- 八(1) hard-to-employ persons and the employer's social-insurance subsidy
-- ---------------------------------------------------------------------------

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

-- ---------------------------------------------------------------------------
-- 八(2) loans for employers of hardship workers
-- ---------------------------------------------------------------------------

CREATE FUNCTION bangfu.enterprise_loan_quota(hardship_hires integer, total_staff integer,
                                             on_date date DEFAULT CURRENT_DATE)
RETURNS numeric
    AS 'MODULE_PATHNAME', 'bf_enterprise_loan_quota' LANGUAGE C STABLE STRICT PARALLEL SAFE
    SUPPORT bangfu.today_support;
COMMENT ON FUNCTION bangfu.enterprise_loan_quota(integer, integer, date) IS
    '八(2) guaranteed small loans for an employer: 10000 per hardship hire when it hires 3 or more who make up 30% or more of its staff (3人以上且占员工总数30%以上, compared exactly), else 0.';

CREATE FUNCTION bangfu.enterprise_loan_quota(hardship_hires integer, total_staff integer,
                                             on_date date, scenario text)
RETURNS numeric
    AS 'MODULE_PATHNAME', 'bf_enterprise_loan_quota' LANGUAGE C STABLE STRICT PARALLEL SAFE
    SUPPORT bangfu.today_support;
COMMENT ON FUNCTION bangfu.enterprise_loan_quota(integer, integer, date, text) IS
    '八(2) loan quota under a what-if scenario.';

CREATE FUNCTION bangfu.enterprise_loan_quota_explain(hardship_hires integer, total_staff integer,
                                                     on_date date DEFAULT CURRENT_DATE)
RETURNS jsonb
    AS 'MODULE_PATHNAME', 'bf_enterprise_loan_quota_explain' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION bangfu.enterprise_loan_quota_explain(integer, integer, date) IS
    '八(2) loan quota step by step: both conditions, the exact share, the amount per hire.';

CREATE FUNCTION bangfu.enterprise_loan_quota_explain(hardship_hires integer, total_staff integer,
                                                     on_date date, scenario text)
RETURNS jsonb
    AS 'MODULE_PATHNAME', 'bf_enterprise_loan_quota_explain' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION bangfu.enterprise_loan_quota_explain(integer, integer, date, text) IS
    '八(2) loan quota step by step, under a what-if scenario.';

-- The policy version is the one in force on loan_start: a loan keeps its terms.
-- The window ends on the interest_years-th anniversary of loan_start (the
-- first day not subsidised); a loan of 29 February has its anniversary on
-- 1 March in a common year, as a birthday does in 八(1).
CREATE FUNCTION bangfu.loan_interest_subsidy(principal numeric, annual_rate numeric, loan_start date,
                                             period_from date, period_to date)
RETURNS numeric
    AS 'MODULE_PATHNAME', 'bf_loan_interest_subsidy' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION bangfu.loan_interest_subsidy(numeric, numeric, date, date, date) IS
    '八(2) interest paid from the enterprise fund (给予2年贴息): principal × annual_rate × days / 360 over the days of [period_from, period_to) from loan_start up to the day before its second anniversary (the anniversary of 29 February is 1 March in a common year: a loan of 2024-02-29 is subsidised through 2026-02-28); annual_rate is a fraction (0.0435); the policy version is the one in force on loan_start.';

CREATE FUNCTION bangfu.loan_interest_subsidy(principal numeric, annual_rate numeric, loan_start date,
                                             period_from date, period_to date, scenario text)
RETURNS numeric
    AS 'MODULE_PATHNAME', 'bf_loan_interest_subsidy' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION bangfu.loan_interest_subsidy(numeric, numeric, date, date, date, text) IS
    '八(2) loan interest subsidy under a what-if scenario.';

CREATE FUNCTION bangfu.loan_interest_subsidy_explain(principal numeric, annual_rate numeric, loan_start date,
                                                     period_from date, period_to date)
RETURNS jsonb
    AS 'MODULE_PATHNAME', 'bf_loan_interest_subsidy_explain' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION bangfu.loan_interest_subsidy_explain(numeric, numeric, date, date, date) IS
    '八(2) loan interest subsidy step by step: subsidised window, days counted, day count, exact and rounded values.';

CREATE FUNCTION bangfu.loan_interest_subsidy_explain(principal numeric, annual_rate numeric, loan_start date,
                                                     period_from date, period_to date, scenario text)
RETURNS jsonb
    AS 'MODULE_PATHNAME', 'bf_loan_interest_subsidy_explain' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION bangfu.loan_interest_subsidy_explain(numeric, numeric, date, date, date, text) IS
    '八(2) loan interest subsidy step by step, under a what-if scenario.';

-- ---------------------------------------------------------------------------
-- 八(3) handicraft sales reward
-- ---------------------------------------------------------------------------

CREATE FUNCTION bangfu.handicraft_reward(sales numeric, on_date date DEFAULT CURRENT_DATE)
RETURNS numeric
    AS 'MODULE_PATHNAME', 'bf_handicraft_reward' LANGUAGE C STABLE STRICT PARALLEL SAFE
    SUPPORT bangfu.today_support;
COMMENT ON FUNCTION bangfu.handicraft_reward(numeric, date) IS
    '八(3) reward for a year''s sales of handicrafts made by hardship households: 0 below 300000, 5000 from 300000, 10000 from 500000, 20000 from 1000000 (a bound belongs to the higher tier).';

CREATE FUNCTION bangfu.handicraft_reward(sales numeric, on_date date, scenario text)
RETURNS numeric
    AS 'MODULE_PATHNAME', 'bf_handicraft_reward' LANGUAGE C STABLE STRICT PARALLEL SAFE
    SUPPORT bangfu.today_support;
COMMENT ON FUNCTION bangfu.handicraft_reward(numeric, date, text) IS
    '八(3) handicraft reward under a what-if scenario.';

CREATE FUNCTION bangfu.handicraft_reward_explain(sales numeric, on_date date DEFAULT CURRENT_DATE)
RETURNS jsonb
    AS 'MODULE_PATHNAME', 'bf_handicraft_reward_explain' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION bangfu.handicraft_reward_explain(numeric, date) IS
    '八(3) handicraft reward step by step: tier, reward, and the jump at the nearest tier bound.';

CREATE FUNCTION bangfu.handicraft_reward_explain(sales numeric, on_date date, scenario text)
RETURNS jsonb
    AS 'MODULE_PATHNAME', 'bf_handicraft_reward_explain' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION bangfu.handicraft_reward_explain(numeric, date, text) IS
    '八(3) handicraft reward step by step, under a what-if scenario.';

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
