-- pgTAP: the ready register (二, 四, 一/九, 十一/十二), the contract for auditors.
-- Run with pg_prove in a database with CREATE EXTENSION pgtap and bangfu;
-- the register is an extension of its own, created here and rolled back.
BEGIN;
SET LOCAL client_min_messages = warning;
CREATE EXTENSION bangfu_register;
RESET client_min_messages;
SELECT plan(67);

-- The schema, its tables and views.
SELECT has_schema('bangfu_register', 'the register has its own schema (restored after bangfu.policy)');
SELECT has_table('bangfu_register', t, format('table bangfu_register.%s', t))
  FROM unnest(ARRAY['household', 'member', 'county_year', 'exclusion', 'relief_grant', 'medical_stay',
                    'fund', 'fund_source', 'program', 'fund_entry']) AS t;
SELECT has_view('bangfu_register', v, format('view bangfu_register.%s', v))
  FROM unnest(ARRAY['relief_published', 'relief_quota_status', 'fund_balance']) AS v;

-- Column types that carry rules: identity numbers, reasons, money to the fen.
SELECT col_type_is('bangfu_register', 'household', 'head', 'bangfu', 'cnid', 'household.head is a cnid');
SELECT col_type_is('bangfu_register', 'member', 'id', 'bangfu', 'cnid', 'member.id is a cnid');
SELECT col_type_is('bangfu_register', 'relief_grant', 'reason', 'bangfu', 'relief_reason', '二 relief_grant.reason is a relief_reason');
SELECT col_type_is('bangfu_register', 'relief_grant', 'amount', 'numeric(12,2)', '二 relief_grant.amount is numeric(12,2)');
SELECT col_type_is('bangfu_register', 'medical_stay', 'cost', 'numeric(12,2)', '四 medical_stay.cost is numeric(12,2)');
SELECT col_type_is('bangfu_register', 'fund_entry', 'amount', 'numeric(14,2)', '一 fund_entry.amount is numeric(14,2)');

-- The register's own triggers, and the limits that guard it.
SELECT trigger_is('bangfu_register', 'relief_grant', 'relief_grant_check', 'bangfu_register', 'relief_grant_check', '二 grants are checked');
SELECT trigger_is('bangfu_register', 'medical_stay', 'medical_stay_settle', 'bangfu_register', 'medical_stay_settle', '四 stays are settled');
SELECT trigger_is('bangfu_register', 'fund_entry', 'fund_entry_guard', 'bangfu_register', 'fund_entry_guard', '一 entries are append-only');
SELECT trigger_is('bangfu_register', 'fund_entry', 'fund_entry_no_truncate', 'bangfu_register', 'fund_entry_no_truncate', '一 the ledger cannot be truncated');
SELECT results_eq(
    $$SELECT tab::text, limit_name, mode FROM bangfu.limit_attachment
       WHERE tab::text LIKE 'bangfu_register.%' ORDER BY 1, 2$$,
    $$VALUES ('bangfu_register.employer_subsidy', 'employer_subsidy_months', 'reject'),
             ('bangfu_register.fund_commitment', 'fund_uncommitted', 'reject'),
             ('bangfu_register.fund_entry', 'fund_balance', 'reject'),
             ('bangfu_register.fund_entry', 'fund_uncommitted', 'reject'),
             ('bangfu_register.medical_backpay', 'charity_bed_yearly', 'reject'),
             ('bangfu_register.medical_backpay', 'serious_illness_yearly', 'reject'),
             ('bangfu_register.medical_stay', 'charity_bed_yearly', 'clamp'),
             ('bangfu_register.medical_stay', 'serious_illness_yearly', 'clamp'),
             ('bangfu_register.pension_backpay', 'pension_months', 'reject'),
             ('bangfu_register.pension_subsidy', 'pension_months', 'reject'),
             ('bangfu_register.relief_grant', 'relief_quota', 'reject'),
             ('bangfu_register.relief_grant', 'relief_yearly', 'reject')$$,
    'the register is guarded by the attachable limits');

-- 十一, 十二 who may write what.
SELECT table_privs_are('bangfu_register', 'fund_entry', 'bangfu_finance', ARRAY['SELECT'],
                       '财政 may not update or delete fund entries');
SELECT column_privs_are('bangfu_register', 'fund_entry', 'amount', 'bangfu_finance', ARRAY['INSERT', 'SELECT'],
                        '财政 books amounts');
SELECT column_privs_are('bangfu_register', 'fund_entry', 'booked_by', 'bangfu_finance', ARRAY['SELECT'],
                        '财政 cannot book in another''s name');
SELECT column_privs_are('bangfu_register', 'relief_grant', 'paid_first_on', 'bangfu_civil_affairs', ARRAY['INSERT', 'SELECT', 'UPDATE'],
                        '民政 records payment days');
SELECT column_privs_are('bangfu_register', 'relief_grant', 'amount', 'bangfu_civil_affairs', ARRAY['INSERT', 'SELECT'],
                        '民政 cannot change a recorded amount');
SELECT table_privs_are('bangfu_register', 'medical_stay', 'bangfu_health', ARRAY['SELECT'],
                       '卫生 adds stays (by column) and changes none');
SELECT table_privs_are('bangfu_register', 'household', 'bangfu_reader', ARRAY[]::text[],
                       'readers do not read the households (ID numbers; issue 8): they read the published list');
SELECT table_privs_are('bangfu_register', 'household', 'public', ARRAY[]::text[],
                       'the public does not see the households');
SELECT table_privs_are('bangfu_register', 'relief_published', 'public', ARRAY['SELECT'],
                       '二 公开程序: the public reads the published list');
SELECT table_privs_are('bangfu', 'usage', 'bangfu_civil_affairs', ARRAY[]::text[],
                       'clerks cannot change the limits'' ledger, nor read it (ID numbers with amounts; issue 8)');

-- 一 the funds as shipped: 1,800,000 from four sources, split three ways.
SELECT is((SELECT sum(opening) FROM bangfu_register.fund), 1800000.00::numeric, '一 the funds open with 1,800,000');
SELECT is((SELECT sum(amount) FROM bangfu_register.fund_source), 1800000.00::numeric, '一 the sources add up to 1,800,000');
SELECT results_eq($$SELECT fund, balance FROM bangfu_register.fund_balance ORDER BY fund$$,
                  $$VALUES ('enterprise', 400000.00::numeric(14,2)), ('loan_guarantee', 200000.00),
                           ('relief', 1200000.00)$$,
                  '一, 九 opening balances: enterprise 400,000, loan guarantee 200,000, relief 1,200,000');

-- Test data: households 1-5 eligible, member = head; county years.
INSERT INTO bangfu_register.county_year (year, urban_households) VALUES (2026, 20000), (2027, 20000), (2028, 40);
INSERT INTO bangfu_register.household (id, head, lost_capacity) VALUES
    (1, '110105198001010016', true), (2, '110105198001010024', true), (3, '110105198001010032', true),
    (4, '110105198001010040', true), (5, '110105198001010059', true);
INSERT INTO bangfu_register.member (household_id, id, name, relation)
SELECT id, head, 'head', '户主' FROM bangfu_register.household;

-- 二 quota: 20,000 households → 1000, through the engine as well.
SELECT is(bangfu_register.relief_quota_cap('2026-06-01'), 1000::numeric, '二 quota of 20,000 households is 1000');
SELECT is(bangfu.limit_cap_units('relief_quota', '2026-06-01'), 1000::bigint, '二 the engine reads the quota as 1000 rows');

-- 二 grants.
WITH g AS (INSERT INTO bangfu_register.relief_grant (household_id, reason, amount, granted_on)
           VALUES (1, 'disability_chronic', 1500.01, '2026-03-01') RETURNING first_half, second_half)
SELECT is((SELECT first_half || ' + ' || second_half FROM g), '750.01 + 750.00', '二 1500.01 is paid as 750.01 + 750.00');
SELECT throws_ok($$INSERT INTO bangfu_register.relief_grant (household_id, reason, amount, granted_on)
                   VALUES (2, 'single_parent_other', 1500.01, '2026-03-01')$$,
                 '22023', NULL, '二 1500.01 is outside the single-parent band');
SELECT throws_ok($$INSERT INTO bangfu_register.relief_grant (household_id, reason, amount, granted_on)
                   VALUES (1, 'critical_illness', 3000, '2026-12-31')$$,
                 '23514', 'limit "relief_yearly" (二) refuses another row for household_id 1 in 2026',
                 '二 no second relief in a year, whatever the reason');
SELECT lives_ok($$INSERT INTO bangfu_register.relief_grant (household_id, reason, amount, granted_on)
                  VALUES (1, 'critical_illness', 3000, '2027-01-01')$$,
                '二 the next year is a new year');
INSERT INTO bangfu_register.exclusion (id, household_id, reason, in_force)
VALUES (1, 2, 'gambling', '[2026-01-01,2026-06-30]');
SELECT throws_ok($$INSERT INTO bangfu_register.relief_grant (household_id, reason, amount, granted_on)
                   VALUES (2, 'education', 1500, '2026-06-30')$$,
                 '23514', 'household 2 is excluded from relief on 2026-06-30: exclusion 1 (gambling, 因参与赌博导致家庭生活困难), in force from 2026-01-01 to 2026-06-30',
                 '二 a grant inside an exclusion is refused, naming it');
SELECT lives_ok($$INSERT INTO bangfu_register.relief_grant (household_id, reason, amount, granted_on)
                  VALUES (2, 'education', 1500, '2026-07-01')$$,
                '二 the day after the exclusion ends is allowed');
SELECT lives_ok($$INSERT INTO bangfu_register.relief_grant (household_id, reason, amount, granted_on)
                  VALUES (3, 'education', 1500, '2028-03-01')$$, '二 2028 grant 1 of 2 (40 households)');
SELECT lives_ok($$INSERT INTO bangfu_register.relief_grant (household_id, reason, amount, granted_on)
                  VALUES (4, 'education', 1500, '2028-03-01')$$, '二 2028 grant 2 of 2');
SELECT throws_ok($$INSERT INTO bangfu_register.relief_grant (household_id, reason, amount, granted_on)
                   VALUES (5, 'education', 1500, '2028-03-01')$$,
                 '23514', NULL, '二 the third grant of 2028 passes floor(5% × 40) = 2');

-- 四 two stays of 60000 in a year.
SELECT results_eq(
    $$INSERT INTO bangfu_register.medical_stay (person, discharged, cost) VALUES
          ('110105198001010016', '2026-02-01', 60000), ('110105198001010016', '2026-03-01', 60000)
      RETURNING reduction, relief, patient_pays$$,
    $$VALUES (15000.00::numeric(12,2), 30000.00::numeric(12,2), 15000.00::numeric(12,2)),
             (5000.00, 0.00, 55000.00)$$,
    '四 two stays of 60000: 15000/30000/15000, then 5000/0/55000');

-- 一, 九 the ledger.
SELECT throws_ok($$INSERT INTO bangfu_register.fund_entry (fund, program, amount) VALUES ('loan_guarantee', 'loan_guarantee', -200000.01)$$,
                 '23514', NULL, '九 no balance below zero');
SELECT throws_ok($$INSERT INTO bangfu_register.fund_entry (fund, program, amount) VALUES ('enterprise', 'relief_grant', -100)$$,
                 '23514', 'program relief_grant is paid from fund relief, not from fund enterprise',
                 '一 渠道不乱、用途不变');
SELECT lives_ok($$INSERT INTO bangfu_register.fund_entry (id, fund, program, amount, booked_on, grant_id, installment)
                  SELECT 1001, 'relief', 'relief_grant', -750.01, '2026-03-05', g.id, 1
                    FROM bangfu_register.relief_grant g WHERE g.household_id = 1 AND g.granted_on = '2026-03-01'$$,
                '二 an installment paid from the relief fund');
SELECT lives_ok($$INSERT INTO bangfu_register.fund_entry (fund, program, amount, booked_on, reverses) VALUES ('relief', 'relief_grant', 750.01, '2026-03-06', 1001)$$,
                '一 a mistake is reversed');
SELECT throws_ok($$INSERT INTO bangfu_register.fund_entry (fund, program, amount, booked_on, reverses) VALUES ('relief', 'relief_grant', 750.01, '2026-03-07', 1001)$$,
                 '23505', 'entry 1001 is already reversed', '一 an entry is reversed once');
SELECT throws_ok($$UPDATE bangfu_register.fund_entry SET amount = -1 WHERE id = 1001$$,
                 '55000', NULL, '一 entries are never updated, not even by the owner');
SELECT throws_ok($$DELETE FROM bangfu_register.fund_entry WHERE id = 1001$$,
                 '55000', NULL, '一 entries are never deleted, not even by the owner');
SELECT throws_ok($$TRUNCATE bangfu_register.fund_entry$$,
                 '55000', NULL, '一 the ledger is never truncated');

SELECT is_empty($$SELECT * FROM bangfu.limit_check()$$, 'the limits'' ledger equals the register');

-- A restore loads history (issue 9): every table with data carries the
-- restore triggers, enabled always (also under session_replication_role).
SELECT is((SELECT count(*)::integer FROM pg_trigger t
            WHERE t.tgrelid IN (SELECT c.oid FROM pg_class c
                                 WHERE c.relnamespace = 'bangfu_register'::regnamespace AND c.relkind = 'r')
              AND t.tgname IN ('restore_begin', 'restore_end') AND t.tgenabled = 'A'),
          2 * (SELECT count(*)::integer FROM pg_class c
                WHERE c.relnamespace = 'bangfu_register'::regnamespace AND c.relkind = 'r'),
          'every register table (ten, issue 13''s and issue 14''s) carries restore_begin and restore_end, enabled always');
SELECT is((SELECT format('%s %s', evtevent, evtenabled) FROM pg_event_trigger WHERE evtname = 'bangfu_drop_guard'),
          'ddl_command_start O', 'the drop guard (bangfu''s, for both extensions) is an event trigger at ddl_command_start');
SELECT is((SELECT count(*)::integer FROM pg_extension WHERE extname = 'bangfu_register' AND 'bangfu' IN
            (SELECT r.extname FROM pg_depend d JOIN pg_extension r ON r.oid = d.refobjid
              WHERE d.classid = 'pg_extension'::regclass AND d.objid = pg_extension.oid
                AND d.refclassid = 'pg_extension'::regclass)), 1,
          'bangfu_register requires bangfu');

-- Dropping never deletes entered data silently (issue 9).
SELECT ok((SELECT count(*) FROM bangfu_register.entered_rows()) > 0, 'the register holds entered rows here');
SELECT throws_like('DROP EXTENSION bangfu_register',
                   'the ready register holds entered data: dropping it would delete %',
                   'DROP EXTENSION bangfu_register is refused while the register holds rows');
SELECT throws_ok('DROP EXTENSION bangfu_register CASCADE', '2BP01', NULL,
                 'DROP EXTENSION bangfu_register CASCADE is refused too');
SELECT throws_ok('DROP EXTENSION bangfu CASCADE', '2BP01', NULL,
                 'DROP EXTENSION bangfu CASCADE is refused while the register holds rows');
SELECT throws_ok('DROP SCHEMA bangfu_register CASCADE', '2BP01', NULL,
                 'DROP SCHEMA bangfu_register CASCADE is refused while the register holds rows');

SELECT * FROM finish();
ROLLBACK;
