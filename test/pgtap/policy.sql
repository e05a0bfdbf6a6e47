-- pgTAP: the dated policy store (十二), the contract for auditors.
-- Run with pg_prove in a database with CREATE EXTENSION pgtap and bangfu.
BEGIN;
SELECT plan(28);

SELECT has_table('bangfu', 'policy', 'table bangfu.policy');
SELECT has_table('bangfu', 'policy_param', 'table bangfu.policy_param');
SELECT has_function('bangfu', 'policy_in_force', ARRAY['date'], 'policy_in_force(date)');
SELECT volatility_is('bangfu', 'policy_in_force', ARRAY['date'], 'stable', 'policy_in_force is STABLE');
SELECT has_trigger('bangfu', 'policy', 'policy_guard', 'policy has its guard trigger');
SELECT has_trigger('bangfu', 'policy', 'policy_changed', 'policy tells sessions when it changes');

-- The shipped figures of 四 (spec section 4).
SELECT results_eq(
    $$SELECT param, value FROM bangfu.policy_in_force('2024-06-01') WHERE param LIKE 'medical.%' ORDER BY param$$,
    $$VALUES ('medical.charity_bed'::text, 'flat: [0,6000] 10%, (6000,12000] 15%, (12000,20000] 20%, (20000,) 25%; cap 15000'::text),
             ('medical.charity_bed.yearly_cap', '20000'),
             ('medical.serious_illness', 'flat: [0,10000] 60%, (10000,20000] 70%, (20000,) 80%'),
             ('medical.serious_illness.yearly_cap', '30000')$$,
    '四 shipped defaults: brackets, stay cap 15000, yearly caps 20000 and 30000');
SELECT ok((SELECT bool_and(shipped AND valid_from = '-infinity') FROM bangfu.policy WHERE param LIKE 'medical.%'),
          '四 shipped defaults apply from -infinity');

-- Shipped defaults are not changed in place.
SELECT throws_ok($$UPDATE bangfu.policy SET note = 'x' WHERE param = 'medical.charity_bed' AND shipped$$,
                 '55000', NULL, '十二 a shipped default cannot be updated');
SELECT throws_ok($$DELETE FROM bangfu.policy WHERE param = 'medical.charity_bed' AND shipped$$,
                 '55000', NULL, '十二 a shipped default cannot be deleted');
SELECT throws_ok($$INSERT INTO bangfu.policy (param, valid_from, amount, shipped) VALUES ('medical.charity_bed.yearly_cap', '2090-01-01', 1, true)$$,
                 '55000', NULL, '十二 only the install script ships rows');
-- Values must fit their parameter.
SELECT throws_ok($$INSERT INTO bangfu.policy (param, valid_from, amount) VALUES ('medical.charity_bed', '2090-01-01', 15000)$$,
                 '22023', NULL, '十二 a schedule parameter refuses an amount');
SELECT throws_ok($$INSERT INTO bangfu.policy (param, valid_from, amount) VALUES ('medical.charity_bed.yearly_cap', '2090-01-01', 20000.001)$$,
                 '22023', NULL, '十二 an amount with 3 decimals is refused');
SELECT throws_ok($$INSERT INTO bangfu.policy (param, valid_from, amount) VALUES ('medical.charity_bed.yearly_cap', '2090-01-01', -1)$$,
                 '22023', NULL, '十二 a negative amount is refused');
SELECT throws_ok($$INSERT INTO bangfu.policy (param, valid_from, amount) VALUES ('medical.nonesuch', '2090-01-01', 1)$$,
                 '22023', 'unknown policy parameter "medical.nonesuch"', '十二 an unknown parameter is refused');

-- A new version is one INSERT and applies from its date on.
SELECT lives_ok($$INSERT INTO bangfu.policy (param, valid_from, amount) VALUES ('medical.charity_bed.yearly_cap', '2090-01-01', 25000)$$,
                '十二 raising the 四(1) yearly cap is one INSERT');
SELECT results_eq(
    $$SELECT d, bangfu.medical_reduction(60000, d, 15000) FROM unnest(ARRAY['2089-12-31', '2090-01-01']::date[]) AS d ORDER BY d$$,
    $$VALUES ('2089-12-31'::date, 5000.00::numeric), ('2090-01-01', 10000.00)$$,
    '四(1) second stay of 60000: 5000.00 under the cap of 20000, 10000.00 under 25000 from 2090');
SELECT results_eq(
    $$SELECT valid_from, value FROM bangfu.policy_in_force('2090-01-01') WHERE param = 'medical.charity_bed.yearly_cap'$$,
    $$VALUES ('2090-01-01'::date, '25000'::text)$$,
    '十二 policy_in_force shows the 2090 version from 2090-01-01');
SELECT results_eq(
    $$SELECT valid_from, value FROM bangfu.policy_in_force('2089-12-31') WHERE param = 'medical.charity_bed.yearly_cap'$$,
    $$VALUES ('-infinity'::date, '20000'::text)$$,
    '十二 policy_in_force keeps the shipped version before 2090');
SELECT lives_ok($$DELETE FROM bangfu.policy WHERE param = 'medical.charity_bed.yearly_cap' AND NOT shipped$$,
                '十二 a user''s version can be removed');
SELECT is(bangfu.medical_reduction(60000, '2090-01-01', 15000)::text, '5000.00', '四(1) after removal the shipped cap applies again');

-- Privileges by department (十一, 十二).
SELECT table_privs_are('bangfu', 'policy', 'bangfu_policy_admin', ARRAY['SELECT', 'INSERT', 'UPDATE', 'DELETE'],
                       '十二 the leading group office may change the policy');
SELECT table_privs_are('bangfu', 'policy', 'bangfu_health', ARRAY['SELECT'], '十一 health reads the policy');
SELECT table_privs_are('bangfu', 'policy', 'bangfu_civil_affairs', ARRAY['SELECT'], '十一 civil affairs reads the policy');
CREATE ROLE regress_bangfu_tap_clerk;
CREATE ROLE regress_bangfu_tap_office IN ROLE bangfu_policy_admin;
SELECT throws_ok($$SET LOCAL ROLE regress_bangfu_tap_clerk;
                   INSERT INTO bangfu.policy (param, valid_from, amount) VALUES ('medical.charity_bed.yearly_cap', '2091-01-01', 1)$$,
                 '42501', NULL, '十二 a clerk cannot add a version');
SELECT lives_ok($$SET LOCAL ROLE regress_bangfu_tap_office;
                  INSERT INTO bangfu.policy (param, valid_from, amount) VALUES ('medical.charity_bed.yearly_cap', '2091-01-01', 21000);
                  RESET ROLE$$,
                '十二 a member of bangfu_policy_admin adds a version');
SELECT is((SELECT recorded_by::text FROM bangfu.policy WHERE valid_from = '2091-01-01'), 'regress_bangfu_tap_office',
          '十二 the store records who added the version');

-- pg_dump keeps user rows, not the shipped ones.
SELECT is((SELECT x.cond FROM pg_extension e, unnest(e.extconfig, e.extcondition) AS x(tab, cond)
             WHERE e.extname = 'bangfu' AND x.tab = 'bangfu.policy'::regclass),
          'WHERE NOT shipped',
          'pg_extension_config_dump registers bangfu.policy WHERE NOT shipped');

SELECT * FROM finish();
ROLLBACK;
