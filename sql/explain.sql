-- One shape for every rule's explanation (issue 11, doc/explain.md): every
-- *_explain function of a rule returns an object with "rule" (the seed
-- clause), "function", "scenario" (null for the policy in force),
-- "policy_valid_from" (the latest valid_from of the versions used, null if
-- none) and "policy" (each parameter used: {valid_from, value}), beside the
-- rule's own members.  四 (medical) had no "policy" and a "scenario" that
-- was always null before 0.3.0.
SET client_min_messages = warning;  -- the extension may exist already
CREATE EXTENSION IF NOT EXISTS bangfu;
RESET client_min_messages;
SET DateStyle = 'ISO, YMD';

CREATE TEMP TABLE ex (f text, scen text, e jsonb);
INSERT INTO bangfu.scenario (name, description) VALUES ('explain_shape', 'issue 11: the explanation shape');
INSERT INTO bangfu.scenario_value (scenario, param, amount) VALUES ('explain_shape', 'medical.charity_bed.yearly_cap', 18000);
INSERT INTO ex VALUES
    ('relief_band', NULL, bangfu.relief_band_explain('education', '2025-06-30')),
    ('relief_band', 'explain_shape', bangfu.relief_band_explain('education', '2025-06-30', 'explain_shape')),
    ('relief_in_band', NULL, bangfu.relief_in_band_explain('education', 999.99, '2025-06-30')),
    ('relief_installments', NULL, bangfu.relief_installments_explain(1500.01)),
    ('relief_quota', NULL, bangfu.relief_quota_explain(20000, '2025-06-30')),
    ('pension_subsidy', NULL, bangfu.pension_subsidy_explain(1000, '2025-06-30')),
    ('pension_subsidy', 'explain_shape', bangfu.pension_subsidy_explain(1000, 12, 30, '2025-06-30', 'explain_shape')),
    ('hard_to_employ', NULL, bangfu.hard_to_employ_explain('M', '1980-01-01', '2025-06-30')),
    ('enterprise_subsidy', NULL, bangfu.enterprise_subsidy_explain(1000, 100, 50, '2025-06-30')),
    ('enterprise_loan_quota', NULL, bangfu.enterprise_loan_quota_explain(3, 10, '2025-06-30')),
    ('loan_interest_subsidy', NULL, bangfu.loan_interest_subsidy_explain(10000, 0.0435, '2025-01-01', '2025-01-01', '2025-07-01')),
    ('handicraft_reward', NULL, bangfu.handicraft_reward_explain(400000, '2025-06-30')),
    ('medical_reduction', NULL, bangfu.medical_reduction_explain(60000, '2025-06-30', 0)),
    ('medical_reduction', 'explain_shape', bangfu.medical_reduction_explain(60000, '2025-06-30', 5000, 'explain_shape')),
    ('illness_relief', NULL, bangfu.illness_relief_explain(40000, '2025-06-30', 1000)),
    ('illness_relief', 'explain_shape', bangfu.illness_relief_explain(40000, '2025-06-30', 1000, 'explain_shape'));

-- Every rule's *_explain function is called above (a new one must be added).
SELECT p.proname
  FROM pg_proc p
 WHERE p.pronamespace = 'bangfu'::regnamespace AND p.proname LIKE '%\_explain' AND p.proname <> 'tiers_explain'
EXCEPT SELECT f || '_explain' FROM ex;

-- The five members of the envelope, the scenario as given, and what the
-- policy object lists.
SELECT f, e->>'function' AS function,
       e ?& ARRAY['rule', 'function', 'scenario', 'policy_valid_from', 'policy'] AS envelope,
       jsonb_typeof(e->'scenario') AS scenario_type, e->>'scenario' IS NOT DISTINCT FROM scen AS scenario_ok,
       e->>'policy_valid_from' AS policy_valid_from,
       (SELECT string_agg(k, ', ' ORDER BY k) FROM jsonb_object_keys(e->'policy') k) AS policy
  FROM ex ORDER BY f, scen NULLS FIRST;

-- 四 under the scenario: the yearly cap the scenario sets is the one used
-- and listed (18000 - 5000 used = 13000 left of a 15000 stay).
SELECT e->>'yearly_cap' AS yearly_cap, e->>'remaining_this_year' AS remaining,
       e->>'result' AS result, e->'policy'->'medical.charity_bed.yearly_cap' AS cap_version
  FROM ex WHERE f = 'medical_reduction' ORDER BY scen NULLS FIRST;

DELETE FROM bangfu.scenario WHERE name = 'explain_shape';
