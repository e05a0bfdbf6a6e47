
-- ---------------------------------------------------------------------------
-- 五 pension subsidy for the flexibly employed (src/pension.c).
-- ---------------------------------------------------------------------------

-- Its parameters: every figure, versioned by date in the policy store (十二).
INSERT INTO bangfu.policy_param (param, kind, clause, description) VALUES
    ('pension.subsidy_rate', 'tiers', '五',
     'Pension subsidy of a flexibly employed person''s own pension payment.'),
    ('pension.max_months', 'count', '五',
     'Most months of pension payments subsidised per person.');

INSERT INTO bangfu.policy (param, tiers, amount, count, band, shipped, note) VALUES
    ('pension.subsidy_rate', '[0,) 2/3', NULL, NULL, NULL, true,
     '按照“先缴后补”办法,给予养老保险金补贴,补贴标准为其实际缴费额的2/3'),
    ('pension.max_months', NULL, NULL, 36, NULL, true,
     '最长补贴期限为3年');

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

-- Its limits (src/limits.sql): what the limit triggers enforce row by row.
INSERT INTO bangfu.limit_def (name, clause, unit, period, direction, cap_param, zero_cap, subjects, description, shipped)
SELECT v.*, true FROM (VALUES
    ('pension_months', '五', 'count', 'lifetime', 1, 'pension.max_months', false, 1,
     'Months of pension subsidy for one person (最长补贴期限为3年).')
) AS v(name, clause, unit, period, direction, cap_param, zero_cap, subjects, description);
