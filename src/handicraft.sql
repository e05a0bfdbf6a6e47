
-- ---------------------------------------------------------------------------
-- 八(3) handicraft sales reward (src/handicraft.c).
-- ---------------------------------------------------------------------------

-- Its parameters: every figure, versioned by date in the policy store (十二).
INSERT INTO bangfu.policy_param (param, kind, clause, description) VALUES
    ('handicraft.reward', 'tiers', '八(3)',
     'Reward for a year''s sales of handicrafts made by hardship households, per enterprise or individual business.'),
    ('handicraft.rewards_per_year', 'count', '八(3)',
     'Handicraft sales rewards an enterprise or individual business may get in one calendar year.');

INSERT INTO bangfu.policy (param, tiers, amount, count, band, shipped, note) VALUES
    ('handicraft.reward', 'flat: [0,300000) 0, [300000,500000) 5000, [500000,1000000) 10000, [1000000,) 20000', NULL, NULL, NULL, true,
     '销售困难群众产品在30-50万元之间的奖励5000元;50-100万元之间的奖励1万元;100万元以上的奖励2万元 (以上 includes the bound)'),
    ('handicraft.rewards_per_year', NULL, NULL, 1, NULL, true,
     'once per enterprise per year (spec 8(3))');

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

-- Its limits (src/limits.sql): what the limit triggers enforce row by row.
INSERT INTO bangfu.limit_def (name, clause, unit, period, direction, cap_param, zero_cap, subjects, description, shipped)
SELECT v.*, true FROM (VALUES
    ('handicraft_reward_yearly', '八(3)', 'rows', 'year', 1, 'handicraft.rewards_per_year', false, 1,
     'Handicraft sales rewards of one enterprise in one calendar year.')
) AS v(name, clause, unit, period, direction, cap_param, zero_cap, subjects, description);
