-- pgTAP: the policy's history (十二).  A version of bangfu.policy whose value
-- or date is changed, or which is removed, is kept as it was in
-- bangfu.policy_superseded with how it went, when, by whom and why; removing
-- a version dated before today needs an acknowledgement the session gives
-- (SET LOCAL bangfu.backdate_ack), and nobody writes the history by hand.
-- Before, DELETE FROM bangfu.policy removed a past version silently and an
-- UPDATE overwrote the old figures: what was in force when a benefit was
-- paid could no longer be told.
-- Run with pg_prove in a database with CREATE EXTENSION pgtap and bangfu.
BEGIN;
SELECT plan(35);

-- The refusal's SQLSTATE and message, or 'ok' (nothing raised).
CREATE FUNCTION pg_temp.refusal(q text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
    st text;
    msg text;
BEGIN
    EXECUTE q;
    RETURN 'ok';
EXCEPTION WHEN OTHERS THEN
    GET STACKED DIAGNOSTICS st = RETURNED_SQLSTATE, msg = MESSAGE_TEXT;
    RETURN st || ' ' || msg;
END
$$;
GRANT EXECUTE ON FUNCTION pg_temp.refusal(text) TO PUBLIC;

SELECT has_table('bangfu', 'policy_superseded', 'the history has its table');
SELECT has_trigger('bangfu', 'policy', 'policy_supersede', 'policy has its trigger policy_supersede');
SELECT bangfu.version() IS NOT NULL AS library_loaded;
SELECT is((SELECT setting FROM pg_settings WHERE name = 'bangfu.backdate_ack'), '',
          'bangfu.backdate_ack is declared (pg_settings), empty by default');

CREATE ROLE regress_bangfu_tap_historian IN ROLE bangfu_policy_admin;
CREATE ROLE regress_bangfu_tap_clerk;
SET LOCAL ROLE regress_bangfu_tap_historian;

-- 1. A version from later on: changed, then removed; each old state kept,
--    no acknowledgement needed.
INSERT INTO bangfu.policy (param, valid_from, amount, note)
VALUES ('medical.charity_bed.yearly_cap', '2099-01-01', 21000, 'first');
UPDATE bangfu.policy SET note = 'first, reworded'
 WHERE param = 'medical.charity_bed.yearly_cap' AND valid_from = '2099-01-01';
SELECT is((SELECT count(*) FROM bangfu.policy_superseded), 0::bigint,
          '十二 a change of the note alone is no new version: nothing kept');
UPDATE bangfu.policy SET amount = 22000
 WHERE param = 'medical.charity_bed.yearly_cap' AND valid_from = '2099-01-01';
SELECT results_eq(
    $$SELECT param, valid_from, amount, note, recorded_by::text COLLATE "default", superseded, superseded_by::text COLLATE "default", superseded_ack,
             superseded_at = now()
        FROM bangfu.policy_superseded$$,
    $$VALUES ('medical.charity_bed.yearly_cap', date '2099-01-01', 21000::numeric, 'first, reworded',
              'regress_bangfu_tap_historian', 'changed', 'regress_bangfu_tap_historian', NULL::text, true)$$,
    '十二 a change of the amount keeps the version as it was (21000), marked changed, by whom, no acknowledgement');
UPDATE bangfu.policy SET valid_from = '2098-07-01'
 WHERE param = 'medical.charity_bed.yearly_cap' AND valid_from = '2099-01-01';
SELECT results_eq(
    $$SELECT valid_from, amount, superseded FROM bangfu.policy_superseded ORDER BY amount$$,
    $$VALUES (date '2099-01-01', 21000::numeric, 'changed'), (date '2099-01-01', 22000, 'changed')$$,
    '十二 a change of the date keeps the version with its old date');
DELETE FROM bangfu.policy WHERE param = 'medical.charity_bed.yearly_cap' AND valid_from = '2098-07-01';
SELECT results_eq(
    $$SELECT valid_from, amount, superseded, superseded_ack FROM bangfu.policy_superseded
       WHERE superseded = 'removed'$$,
    $$VALUES (date '2098-07-01', 22000::numeric, 'removed', NULL::text)$$,
    '十二 a version from later on is removed without an acknowledgement, and kept');
SELECT is((SELECT count(*) FROM bangfu.policy WHERE NOT shipped), 0::bigint, 'the store holds no added version now');

-- 2. A version dated before today: removing it needs an acknowledgement.
INSERT INTO bangfu.policy (param, valid_from, amount, backdate_ack)
VALUES ('medical.serious_illness.yearly_cap', '2020-01-01', 35000, '县政府 2020年第1号文');
SELECT is(pg_temp.refusal($$DELETE FROM bangfu.policy WHERE param = 'medical.serious_illness.yearly_cap' AND valid_from = '2020-01-01'$$),
          '22023 policy medical.serious_illness.yearly_cap from 2020-01-01 is dated before today: removing it needs an acknowledgement',
          '十二 removing a version from 2020 without an acknowledgement is refused (22023)');
SELECT is((SELECT amount FROM bangfu.policy WHERE param = 'medical.serious_illness.yearly_cap' AND valid_from = '2020-01-01'),
          35000::numeric, '十二 the refused removal removed nothing');
SELECT is((SELECT count(*) FROM bangfu.policy_superseded WHERE param = 'medical.serious_illness.yearly_cap'), 0::bigint,
          '十二 and kept nothing');
SELECT throws_ok(format($$DELETE FROM bangfu.policy WHERE param = 'medical.serious_illness.yearly_cap' AND valid_from = %L$$,
                        '2020-01-01'), '22023', NULL, '十二 throws_ok agrees: 22023');
SELECT set_config('bangfu.backdate_ack', E' \t\u3000 ', true);
SELECT is(pg_temp.refusal($$DELETE FROM bangfu.policy WHERE param = 'medical.serious_illness.yearly_cap' AND valid_from = '2020-01-01'$$),
          '22023 policy medical.serious_illness.yearly_cap from 2020-01-01 is dated before today: removing it needs an acknowledgement',
          '十二 a blank acknowledgement (spaces, a tab, U+3000) is none');
-- yesterday is in the past too
SELECT set_config('bangfu.backdate_ack', '', true);
SELECT lives_ok(format($$INSERT INTO bangfu.policy (param, valid_from, amount, backdate_ack) VALUES ('relief.fund.reserve', %L, 100, 'test')$$,
                       CURRENT_DATE - 1), 'a version from yesterday, acknowledged');
SELECT is(pg_temp.refusal(format($$DELETE FROM bangfu.policy WHERE param = 'relief.fund.reserve' AND valid_from = %L$$, CURRENT_DATE - 1)),
          format('22023 policy relief.fund.reserve from %s is dated before today: removing it needs an acknowledgement', CURRENT_DATE - 1),
          '十二 removing yesterday''s version needs one too');
SELECT lives_ok(format($$INSERT INTO bangfu.policy (param, valid_from, amount) VALUES ('relief.fund.reserve', %L, 200)$$,
                       CURRENT_DATE), 'a version from today');
SELECT lives_ok(format($$DELETE FROM bangfu.policy WHERE param = 'relief.fund.reserve' AND valid_from = %L$$, CURRENT_DATE),
                '十二 removing today''s version needs none');

-- With the acknowledgement: removed, and kept with it.
SET LOCAL bangfu.backdate_ack = '县政府 2026年第9号文: the 2020 cap was recorded in error';
SELECT lives_ok($$DELETE FROM bangfu.policy WHERE param = 'medical.serious_illness.yearly_cap' AND valid_from = '2020-01-01'$$,
                '十二 with SET LOCAL bangfu.backdate_ack the version from 2020 is removed');
SELECT results_eq(
    $$SELECT valid_from, amount, backdate_ack, superseded, superseded_by::text COLLATE "default", superseded_ack
        FROM bangfu.policy_superseded WHERE param = 'medical.serious_illness.yearly_cap'$$,
    $$VALUES (date '2020-01-01', 35000::numeric, '县政府 2020年第1号文', 'removed', 'regress_bangfu_tap_historian',
              '县政府 2026年第9号文: the 2020 cap was recorded in error')$$,
    '十二 the removed version is kept with its own acknowledgement and the removal''s');
RESET bangfu.backdate_ack;

-- 3. A change of a version dated before today: kept with the new
--    acknowledgement policy_backdate asked for.
INSERT INTO bangfu.policy (param, valid_from, amount, backdate_ack)
VALUES ('medical.serious_illness.yearly_cap', '2021-01-01', 32000, 'first ack');
UPDATE bangfu.policy SET amount = 33000, backdate_ack = 'second ack'
 WHERE param = 'medical.serious_illness.yearly_cap' AND valid_from = '2021-01-01';
SELECT results_eq(
    $$SELECT amount, backdate_ack, superseded, superseded_ack FROM bangfu.policy_superseded
       WHERE param = 'medical.serious_illness.yearly_cap' AND valid_from = '2021-01-01'$$,
    $$VALUES (32000::numeric, 'first ack', 'changed', 'second ack')$$,
    '十二 a change of a past version keeps the old figure with the change''s acknowledgement');

-- 4. Nobody writes the history: not a policy admin, not a clerk; everybody reads it.
SELECT is(pg_temp.refusal($$INSERT INTO bangfu.policy_superseded (param, valid_from, amount, recorded_at, recorded_by, superseded, superseded_at, superseded_by)
                            VALUES ('medical.charity_bed.yearly_cap', '2020-01-01', 1, now(), 'x', 'removed', now(), 'x')$$),
          '42501 permission denied for table policy_superseded', 'a policy admin cannot add to the history (42501)');
SELECT is(pg_temp.refusal($$UPDATE bangfu.policy_superseded SET amount = 1$$),
          '42501 permission denied for table policy_superseded', 'nor change it');
SELECT is(pg_temp.refusal($$DELETE FROM bangfu.policy_superseded$$),
          '42501 permission denied for table policy_superseded', 'nor remove from it');
SELECT is(pg_temp.refusal($$TRUNCATE bangfu.policy_superseded$$),
          '42501 permission denied for table policy_superseded', 'nor truncate it');
SELECT is(pg_temp.refusal($$SELECT bangfu.policy_supersede()$$),
          '42501 permission denied for function policy_supersede', 'nor call the trigger function');
RESET ROLE;
SET LOCAL ROLE regress_bangfu_tap_clerk;
SELECT is((SELECT count(*) FROM bangfu.policy_superseded), 6::bigint, 'a clerk reads the history (6 versions)');
SELECT is(pg_temp.refusal($$DELETE FROM bangfu.policy WHERE valid_from = '2021-01-01'$$),
          '42501 permission denied for table policy', 'a clerk removes no policy version');
SET LOCAL bangfu.backdate_ack = 'a clerk''s say-so';
SELECT is(pg_temp.refusal($$DELETE FROM bangfu.policy WHERE valid_from = '2021-01-01'$$),
          '42501 permission denied for table policy', 'not even with an acknowledgement set');
RESET bangfu.backdate_ack;
RESET ROLE;

-- 5. Who: under SET ROLE, the role acted as; the policy admin the session
--    is otherwise.
SET LOCAL ROLE regress_bangfu_tap_historian;
SET LOCAL bangfu.backdate_ack = 'withdrawn';
DELETE FROM bangfu.policy WHERE param = 'medical.serious_illness.yearly_cap' AND valid_from = '2021-01-01';
DELETE FROM bangfu.policy WHERE param = 'relief.fund.reserve' AND valid_from = CURRENT_DATE - 1;
RESET bangfu.backdate_ack;
RESET ROLE;
SELECT is((SELECT superseded_by::text FROM bangfu.policy_superseded
            WHERE valid_from = '2021-01-01' AND superseded = 'removed'),
          'regress_bangfu_tap_historian', '十二 superseded_by is the role the session acted as');
SELECT is((SELECT count(*) FROM bangfu.policy WHERE NOT shipped), 0::bigint, 'every added version removed');
SELECT is((SELECT count(*) FROM bangfu.policy_superseded), 8::bigint, '十二 and every one kept: 8 versions in the history');

-- 6. Dumped, counted by the DROP guard, and shipped versions stay fixed.
SELECT ok((SELECT 'bangfu.policy_superseded'::regclass::oid = ANY (extconfig) FROM pg_extension WHERE extname = 'bangfu'),
          'pg_dump keeps the history (pg_extension_config_dump)');
SELECT is((SELECT entered FROM bangfu.entered_rows('bangfu') WHERE tab = 'bangfu.policy_superseded'::regclass),
          8::bigint, 'the DROP guard counts the history as entered rows');
SELECT throws_ok($$DELETE FROM bangfu.policy WHERE shipped AND param = 'medical.charity_bed.yearly_cap'$$,
                 '55000', NULL, 'a shipped version is not removed (55000), acknowledged or not');
SELECT is((SELECT count(*) FROM bangfu.policy_superseded WHERE valid_from = '-infinity'), 0::bigint,
          'and nothing of it is kept');

SELECT * FROM finish();
ROLLBACK;
