-- test/pgtap/drop_guard.sql: dropping bangfu never deletes what the county
-- entered silently (十二: the policy versions it entered 提高救助标准, its
-- scenarios, its limits, their ledger and its holidays are its record),
-- with bangfu alone (no register, as in the pgtap database).  Before the
-- fix every DROP below went through and took the rows with it.
BEGIN;
SELECT plan(18);

-- Nothing entered yet: what a fresh install holds is shipped.
SELECT is((SELECT count(*) FROM bangfu.entered_rows('bangfu')), 0::bigint,
          'a fresh bangfu holds no entered rows');

-- The county enters data of every kind bangfu keeps for it.
INSERT INTO bangfu.policy (param, valid_from, amount, note)
VALUES ('medical.charity_bed.yearly_cap', '2099-01-01', 25000, '十二 提高救助标准 (drop guard test)');
INSERT INTO bangfu.scenario (name, description) VALUES ('tap_drop', 'a proposal');
INSERT INTO bangfu.scenario_value (scenario, param, amount) VALUES ('tap_drop', 'medical.charity_bed.yearly_cap', 30000);
INSERT INTO bangfu.holiday (day, name) VALUES ('2099-02-01', '春节');
INSERT INTO bangfu.limit_def (name, clause, unit, period, cap_param, description)
VALUES ('tap_drop_cap', '县', 'money', 'year', 'medical.charity_bed.yearly_cap', 'a county limit');
CREATE TABLE public.tap_drop_stay (person text NOT NULL, amount numeric(12,2) NOT NULL, d date NOT NULL);
SELECT bangfu.attach_limit('public.tap_drop_stay', 'tap_drop_cap', ARRAY['person'], 'amount', 'd');
INSERT INTO public.tap_drop_stay VALUES ('a', 100, '2099-03-01'), ('b', 200, '2099-03-01');

SELECT set_eq($$SELECT tab::text, entered FROM bangfu.entered_rows('bangfu')$$,
              $$VALUES ('bangfu.policy', 1::bigint), ('bangfu.scenario', 1), ('bangfu.scenario_value', 1),
                       ('bangfu.holiday', 1), ('bangfu.limit_def', 1), ('bangfu.usage', 2)$$,
              'entered_rows lists every table the county wrote to, with its rows (what pg_dump keeps)');

SELECT throws_like('DROP EXTENSION bangfu CASCADE',
                   'bangfu holds data the county entered: dropping it would delete %bangfu.usage (2 rows)%',
                   'DROP EXTENSION bangfu CASCADE is refused, naming the tables and their rows');
SELECT throws_ok('DROP EXTENSION bangfu CASCADE', '2BP01', NULL, '... with SQLSTATE 2BP01');
SELECT throws_ok('DROP EXTENSION bangfu', '2BP01', NULL, 'DROP EXTENSION bangfu without CASCADE is refused too');
SELECT throws_ok('DROP SCHEMA bangfu CASCADE', '2BP01', NULL, 'DROP SCHEMA bangfu CASCADE is refused');
SELECT throws_ok('DROP OWNED BY CURRENT_USER', '2BP01', NULL, 'DROP OWNED BY the owner is refused');
SELECT throws_ok('DROP EXTENSION plpgsql CASCADE', '2BP01', NULL,
                 'CASCADE from an extension bangfu is built on (plpgsql) is refused');
SELECT ok(to_regclass('bangfu.policy') IS NOT NULL AND (SELECT count(*) FROM bangfu.policy WHERE NOT shipped) = 1,
          'the rows are all still there');

-- A DROP that does not reach bangfu is not disturbed.
CREATE SCHEMA tap_drop_other;
SELECT lives_ok('DROP SCHEMA tap_drop_other CASCADE', 'a DROP elsewhere goes through');

-- The override must be said in the session, and only for bangfu.
SET LOCAL bangfu.drop_with_data = off;
SELECT throws_ok('DROP EXTENSION bangfu CASCADE', '2BP01', NULL, 'bangfu.drop_with_data = off keeps the refusal');
SET LOCAL bangfu_register.drop_with_data = on;
SELECT throws_ok('DROP EXTENSION bangfu CASCADE', '2BP01', NULL, 'the register''s override does not drop bangfu''s data');

-- Someone who could not drop bangfu before still cannot, and learns
-- nothing of its rows: PostgreSQL's own refusal, with or without the override.
CREATE ROLE tap_drop_stranger;
SET LOCAL bangfu.drop_with_data = on;
SET LOCAL ROLE tap_drop_stranger;
SELECT throws_ok('DROP EXTENSION bangfu CASCADE', '42501', 'must be owner of extension bangfu',
                 'a non-owner gets PostgreSQL''s refusal, not a list of the county''s tables');
SELECT throws_ok('DROP SCHEMA bangfu CASCADE', '42501', 'must be owner of schema bangfu',
                 'nor can it drop the schema');
SELECT lives_ok('DROP OWNED BY tap_drop_stranger', 'its own DROP OWNED passes the guard');
RESET ROLE;
SELECT ok(to_regclass('bangfu.policy') IS NOT NULL, 'bangfu is still installed');

-- The owner, saying so in the transaction, drops it with its data.
SELECT lives_ok('DROP EXTENSION bangfu CASCADE', 'bangfu.drop_with_data = on in the transaction lets the owner drop it');
SELECT ok(to_regclass('bangfu.policy') IS NULL AND to_regclass('public.tap_drop_stay') IS NOT NULL,
          'bangfu is gone, the county''s own table stays');

SELECT * FROM finish();
ROLLBACK;
