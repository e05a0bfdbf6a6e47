
-- ---------------------------------------------------------------------------
-- Figures of the clauses about people and duties (issue 14): 三 leader
-- pairing, 五 pay first (its 2/3 and 36 months are rules.sql's), 六 training,
-- 八(1) the hiring window, 十 fee waivers and rent concessions.  The register
-- (bangfu_register: register_pairing.sql, register_training.sql,
-- register_jobs.sql, register_employment.sql) reads them at the date of each
-- event; doc/people.md gives the readings taken where the seed is silent.
-- ---------------------------------------------------------------------------

INSERT INTO bangfu.policy_param (param, kind, clause, description) VALUES
    ('pairing.residents_per_leader', 'count', '三',
     'Hardship residents one county-level leader helps at a time (每人帮扶一名城镇困难居民).'),
    ('pairing.holiday_visit.days_before', 'count', '三',
     'A visit counts for an important holiday (重要节假日走访慰问) when made at most this many days before it.'),
    ('pairing.holiday_visit.days_after', 'count', '三',
     'A visit counts for an important holiday when made at most this many days after it.'),
    ('training.new_labour.min_age', 'count', '六',
     'Youngest age (reached) of the new labour force (新成长劳动力) given free pre-employment training.'),
    ('training.new_labour.max_age', 'count', '六',
     'Oldest age (not yet passed: under this plus one) of the new labour force given free pre-employment training.'),
    ('training.refusal.exclusion_months', 'count', '六, 二',
     'Months a refusal of skills training or employment assistance excludes the household from relief (二 拒绝参加技能培训和就业援助的不予实施困难救助), from the day of the refusal.'),
    ('employer.subsidy.window_months', 'count', '八(1)',
     'Months from the hire date inside which a contribution month must fall to be subsidised (期限1年), on top of the count employer.subsidy.months.'),
    ('business.fee_waiver_rate', 'tiers', '十',
     'Share of the registration charges (登记类收费) waived for a hard-to-employ person setting up an individual business (one rate over [0,)).'),
    ('business.rent_concession_rate', 'tiers', '十',
     'Most a rent concession may be, as a share of the rent, for a handicraft business renting in the 城东生态文化园 (one rate over [0,)).');

INSERT INTO bangfu.policy (param, tiers, count, shipped, note) VALUES
    ('pairing.residents_per_leader', NULL, 1, true, '每人帮扶一名城镇困难居民'),
    ('pairing.holiday_visit.days_before', NULL, 30, true, '落实重要节假日走访慰问 (county reading: within 30 days before)'),
    ('pairing.holiday_visit.days_after', NULL, 7, true, '落实重要节假日走访慰问 (county reading: up to 7 days after)'),
    ('training.new_labour.min_age', NULL, 16, true, '城镇困难家庭新成长劳动力 (county reading: 16 to 24)'),
    ('training.new_labour.max_age', NULL, 24, true, '城镇困难家庭新成长劳动力 (county reading: 16 to 24)'),
    ('training.refusal.exclusion_months', NULL, 12, true, '拒绝参加技能培训和就业援助的不予实施困难救助 (county reading: 12 months)'),
    ('employer.subsidy.window_months', NULL, 12, true, '期限1年'),
    ('business.fee_waiver_rate', '[0,) 100%', NULL, true, '对就业困难人员自主创业从事个体经营的减免登记类收费 (减免: read as waived in full)'),
    ('business.rent_concession_rate', '[0,) 50%', NULL, true, '房屋租赁费用上给予优惠 (no figure in the text: the county''s default ceiling)');

-- A parameter's value in force on a date, for the register's triggers (SQL
-- cannot reach the C cache of the rules).  NULL when nothing is in force.
CREATE FUNCTION bangfu.policy_count(param text, on_date date)
RETURNS integer
LANGUAGE sql STABLE STRICT PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
    SELECT p.count FROM bangfu.policy p
     WHERE p.param OPERATOR(pg_catalog.=) policy_count.param
       AND p.valid_from OPERATOR(pg_catalog.<=) policy_count.on_date
     ORDER BY p.valid_from DESC
     LIMIT 1
$$;
COMMENT ON FUNCTION bangfu.policy_count(text, date) IS
    '十二 the count of a parameter in force on a date (a dated policy figure such as 三''s one resident per leader).';

CREATE FUNCTION bangfu.policy_tiers(param text, on_date date)
RETURNS bangfu.tiers
LANGUAGE sql STABLE STRICT PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
    SELECT p.tiers FROM bangfu.policy p
     WHERE p.param OPERATOR(pg_catalog.=) policy_tiers.param
       AND p.valid_from OPERATOR(pg_catalog.<=) policy_tiers.on_date
     ORDER BY p.valid_from DESC
     LIMIT 1
$$;
COMMENT ON FUNCTION bangfu.policy_tiers(text, date) IS
    '十二 the schedule of a parameter in force on a date (a dated policy rate such as 十''s fee waiver).';

-- The important holidays (三 重要节假日走访慰问), kept as dated data: the
-- State Council fixes the lunar holidays year by year, so the office enters
-- each year's days; nothing is shipped.
CREATE TABLE bangfu.holiday (
    day         date PRIMARY KEY CHECK (pg_catalog.isfinite(day)),
    name        text NOT NULL CHECK (name OPERATOR(pg_catalog.<>) ''),
    note        text,
    recorded_at timestamptz NOT NULL DEFAULT pg_catalog.now(),
    recorded_by name NOT NULL DEFAULT CURRENT_USER
);
COMMENT ON TABLE bangfu.holiday IS
    '三 the important holidays at which leaders visit the residents they help (重要节假日走访慰问): one row per holiday and year (春节 2026-02-17, 中秋节 2026-09-25 ...), entered by the leading group office.';

CREATE FUNCTION bangfu.last_holiday(on_date date)
RETURNS date
LANGUAGE sql STABLE STRICT PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
    SELECT max(h.day) FROM bangfu.holiday h WHERE h.day OPERATOR(pg_catalog.<=) last_holiday.on_date
$$;
COMMENT ON FUNCTION bangfu.last_holiday(date) IS
    '三 the last important holiday on or before a date (NULL before the first one recorded).';

SELECT pg_catalog.pg_extension_config_dump('bangfu.holiday', '');

GRANT SELECT ON bangfu.holiday TO PUBLIC;
GRANT INSERT, UPDATE, DELETE ON bangfu.holiday TO bangfu_policy_admin;
