
-- ---------------------------------------------------------------------------
-- 八(2) guaranteed small loans for employers of hardship workers and their
-- interest subsidy (src/loan.c).
-- ---------------------------------------------------------------------------

-- Its parameters: every figure, versioned by date in the policy store (十二).
INSERT INTO bangfu.policy_param (param, kind, clause, description) VALUES
    ('loan.per_hire', 'amount', '八(2)',
     'Guaranteed small loan per hardship worker hired.'),
    ('loan.min_hires', 'count', '八(2)',
     'Least number of hardship workers an employer must hire to get the loans.'),
    ('loan.min_share', 'tiers', '八(2)',
     'Least share of the employer''s staff the hardship hires must make up (one rate over [0,), compared exactly).'),
    ('loan.interest_years', 'count', '八(2)',
     'Years from the loan''s start whose interest the enterprise fund pays.'),
    ('loan.day_count', 'count', '八(2)',
     'Days in the interest year: daily interest is the annual rate divided by this.');

INSERT INTO bangfu.policy (param, tiers, amount, count, band, shipped, note) VALUES
    ('loan.per_hire', NULL, 10000, NULL, NULL, true,
     '按照实际招用困难人数,平均每人给予1万元的小额担保贷款扶持'),
    ('loan.min_hires', NULL, NULL, 3, NULL, true,
     '吸纳城镇困难人员就业3人以上且占员工总数30%以上的企业'),
    ('loan.min_share', '[0,) 30%', NULL, NULL, NULL, true,
     '吸纳城镇困难人员就业3人以上且占员工总数30%以上的企业'),
    ('loan.interest_years', NULL, NULL, 2, NULL, true,
     '由财政从创业基金中给予2年贴息'),
    ('loan.day_count', NULL, NULL, 360, NULL, true,
     '给予2年贴息 (the text gives no day count; Chinese banks'' convention: 日利率 = 年利率/360)');

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
