-- test/standby/reads.sql: what a reporting tool reads, run by
-- scripts/standby_test.sh on the primary and on its hot standby; the two
-- outputs must be the same.  Nothing here may write, nor create anything,
-- not even a temporary object: a standby is read-only.  Dates are explicit
-- so that both runs compute the same figures.
\set ON_ERROR_STOP 1
\pset format unaligned
\pset tuples_only on
\pset null '(null)'
SET client_min_messages = warning;
SET DateStyle = 'ISO, YMD';
BEGIN TRANSACTION READ ONLY;

-- 四 medical rules and their explanations (policy store read into the cache)
SELECT 'medical', bangfu.medical_reduction(30000, '2025-09-01', 16200),
       bangfu.medical_reduction(30000, '2025-09-01', 16200, 'standby_what_if'),
       bangfu.illness_relief(15000, '2025-09-01', 0),
       bangfu.illness_relief(15000, '2025-09-01', 0, 'standby_what_if'),
       (bangfu.medical_settlement(30000, '2025-09-01', 0, 0)).*,
       (bangfu.medical_settlement(30000, '2025-09-01', 0, 0, 'standby_what_if')).*;
SELECT 'medical explain', bangfu.medical_reduction_explain(30000, '2025-09-01', 16200),
       bangfu.illness_relief_explain(15000, '2025-09-01', 0, 'standby_what_if');
-- 二 temporary relief
SELECT 'relief', r, bangfu.relief_reason_label(r), bangfu.relief_band(r, '2025-06-01'),
       bangfu.relief_in_band(r, 1500, '2025-06-01'),
       bangfu.relief_band(r, '2025-06-01', 'standby_what_if'),
       bangfu.relief_band_explain(r, '2025-06-01'),
       bangfu.relief_in_band_explain(r, 1500, '2025-06-01', 'standby_what_if')
  FROM unnest(enum_range(NULL::bangfu.relief_reason)) r ORDER BY r;
SELECT 'installments', (bangfu.relief_installments(1500.01)).*, bangfu.relief_installments_explain(1500.01);
SELECT 'quota', (bangfu.relief_quota(20000, '2025-06-30')).*, bangfu.relief_quota_explain(20000, '2025-06-30'),
       (bangfu.relief_quota(20000, '2025-06-30', 'standby_what_if')).*;
-- 五 pension subsidy
SELECT 'pension', bangfu.pension_subsidy(1000, '2025-06-30'), bangfu.pension_subsidy(1000, 12, 30, '2025-06-30'),
       bangfu.pension_subsidy_explain(1000, 12, 30, '2025-06-30'),
       bangfu.pension_subsidy_explain(1000, date '2025-06-30', 'standby_what_if');
-- 八 employment
SELECT 'employment', bangfu.hard_to_employ('女', '1980-01-01', '2025-06-30'),
       bangfu.hard_to_employ('11010519491231002X'::bangfu.cnid, '2025-06-30'),
       bangfu.hard_to_employ_explain('男', '1975-01-01', '2025-06-30'),
       bangfu.enterprise_subsidy(10000, 2000, 500, '2025-06-30'),
       bangfu.enterprise_subsidy_explain(10000, 2000, 500, '2025-06-30', 'standby_what_if'),
       bangfu.enterprise_loan_quota(5, 12, '2025-06-30'),
       bangfu.enterprise_loan_quota_explain(5, 12, '2025-06-30'),
       bangfu.loan_interest_subsidy(100000, 0.0435, '2025-01-01', '2025-01-01', '2025-07-01'),
       bangfu.loan_interest_subsidy_explain(100000, 0.0435, '2025-01-01', '2025-01-01', '2025-07-01'),
       bangfu.handicraft_reward(600000, '2025-06-30'),
       bangfu.handicraft_reward_explain(600000, '2025-06-30', 'standby_what_if');
-- 二, 八 the resident ID: birth date, sex, the masked form a published list shows
SELECT 'cnid', bangfu.birth_date(c), bangfu.sex(c), bangfu.mask(c), bangfu.hard_to_employ_explain(c, '2025-06-30')
  FROM (SELECT '11010519491231002X'::bangfu.cnid AS c) x;
-- a stay's yearly caps over the stays of a year (the aggregates)
SELECT 'totals', bangfu.medical_reduction_total(c, d ORDER BY d), bangfu.illness_relief_total(c, d ORDER BY d),
       bangfu.medical_reduction_total(c, d, 'standby_what_if' ORDER BY d)
  FROM (VALUES (100000::numeric, '2025-02-20'::date), (60000, '2025-08-20')) v(c, d);
-- 0 the schedule type
SELECT 'tiers', bangfu.apply(t, 7000), bangfu.explain(t, 7000), bangfu.mode(t), bangfu.cap(t),
       bangfu.with_mode(t, 'marginal'), bangfu.with_cap(t, 20000)
  FROM bangfu.policy_in_force('2025-06-30') p,
       LATERAL (SELECT p.value::bangfu.tiers AS t) x
 WHERE p.param = 'medical.charity_bed';
-- 十二 the policy and the proposals beside it
SELECT 'in force', p.* FROM bangfu.policy_in_force('2025-09-01') p ORDER BY p.param COLLATE "C";
SELECT 'compare', c.* FROM bangfu.scenario_compare('standby_what_if', '2025-09-01') c ORDER BY c.param COLLATE "C";
-- the limits: caps, what each subject has used, over-cap subjects, the books
SELECT 'limit cap', d.name, bangfu.limit_cap(d.name, '2025-09-01'), bangfu.limit_cap_units(d.name, '2025-09-01')
  FROM bangfu.limit_def d WHERE d.cap_param IS NOT NULL OR d.cap_function IS NOT NULL ORDER BY d.name COLLATE "C";
SELECT 'limit over', d.name, o.* FROM bangfu.limit_def d, LATERAL bangfu.limit_over(d.name) o
 ORDER BY d.name, o.subject, o.period;
SELECT 'limit actual', a.tab, a.limit_name, x.*
  FROM bangfu.limit_attachment a, LATERAL bangfu.limit_actual(a.tab, a.limit_name) x
 ORDER BY a.tab::text, a.limit_name, x.subject, x.period;
SELECT 'limit_check', count(*) FROM bangfu.limit_check();
-- what the register holds that DROP would refuse to delete
SELECT 'entered', e.* FROM bangfu_register.entered_rows() e ORDER BY e.tab::text;
SELECT 'limit used', bangfu.limit_used('charity_bed_yearly', 'a', '2025-09-01');
SELECT 'quota cap', bangfu_register.relief_quota_cap('2025-06-01');

-- every view of the extension (the report views), whole, in a fixed order
SELECT format('SELECT %L, count(*), md5(coalesce(string_agg(t::text, E''\n'' ORDER BY t::text COLLATE "C"), '''')) FROM %s t',
              c.oid::regclass::text, c.oid::regclass)
  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
 WHERE n.nspname IN ('bangfu', 'bangfu_register') AND c.relkind IN ('v', 'm')
 ORDER BY c.oid::regclass::text COLLATE "C"
\gexec

COMMIT;
