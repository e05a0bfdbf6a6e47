-- pgTAP: a policy version dated in the past needs an acknowledgement (十二;
-- issue 13: "a policy row whose valid_from lies in the past is accepted only
-- with an explicit acknowledgement recorded with it"), whether or not
-- benefits are recorded in those years; the refusal says which.
-- Run with pg_prove in a database with CREATE EXTENSION pgtap and bangfu
-- (the rules alone: no register, so the ledger starts empty).
BEGIN;
SELECT plan(41);

-- The refusal's SQLSTATE, message and detail, or 'ok' (nothing raised).
CREATE FUNCTION pg_temp.refusal(q text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
    st text;
    msg text;
    det text;
BEGIN
    EXECUTE q;
    RETURN 'ok';
EXCEPTION WHEN OTHERS THEN
    GET STACKED DIAGNOSTICS st = RETURNED_SQLSTATE, msg = MESSAGE_TEXT, det = PG_EXCEPTION_DETAIL;
    RETURN st || ' ' || msg || ' / ' || det;
END
$$;

SELECT has_column('bangfu', 'policy', 'backdate_ack', 'policy has its column backdate_ack');
SELECT has_trigger('bangfu', 'policy', 'policy_backdate', 'policy has its trigger policy_backdate');

-- 1. An empty ledger: nothing paid yet, a version dated in the past is still
--    refused without an acknowledgement, and nothing is written.
SELECT is((SELECT count(*) FROM bangfu.usage WHERE used <> 0), 0::bigint, 'the ledger is empty: no benefits recorded');
SELECT is(bangfu.policy_reaches_back('2020-01-01'), false, '十二 policy_reaches_back: nothing recorded, nothing reached back over');
SELECT throws_ok($$INSERT INTO bangfu.policy (param, valid_from, amount) VALUES ('medical.charity_bed.yearly_cap', '2020-01-01', 25000)$$,
                 '22023', 'policy medical.charity_bed.yearly_cap from 2020-01-01 is dated before today and has no acknowledgement',
                 '十二 a version from 2020 without an acknowledgement is refused, over an empty ledger');
SELECT is(pg_temp.refusal($$INSERT INTO bangfu.policy (param, valid_from, amount) VALUES ('medical.charity_bed.yearly_cap', '2020-01-01', 25000)$$),
          '22023 policy medical.charity_bed.yearly_cap from 2020-01-01 is dated before today and has no acknowledgement'
          ' / No benefits are recorded in 2020 or later yet. 十二: a change dated in the past is accepted only with an acknowledgement recorded with it.',
          '十二 the refusal says that no benefits are recorded in those years');
SELECT throws_ok(format($$INSERT INTO bangfu.policy (param, valid_from, amount) VALUES ('medical.charity_bed.yearly_cap', %L, 25000)$$,
                        CURRENT_DATE - 1),
                 '22023', NULL, '十二 yesterday is in the past');
SELECT throws_ok($$INSERT INTO bangfu.policy (param, amount) VALUES ('relief.fund.reserve', 1)$$,
                 '22023', 'policy relief.fund.reserve from -infinity is dated before today and has no acknowledgement',
                 '十二 a version from -infinity (the default) reaches back to the start');
SELECT throws_ok($$INSERT INTO bangfu.policy (param, valid_from, amount, backdate_ack) VALUES ('medical.charity_bed.yearly_cap', '2020-01-01', 25000, E' \t ')$$,
                 '22023', NULL, '十二 a blank acknowledgement (spaces, a tab) is none');
SELECT throws_ok($$INSERT INTO bangfu.policy (param, valid_from, amount, backdate_ack) VALUES ('medical.charity_bed.yearly_cap', '2020-01-01', 25000, E'\u3000\n')$$,
                 '22023', NULL, '十二 nor is a full-width space (U+3000) and a line break');
SELECT throws_ok($$INSERT INTO bangfu.policy (param, valid_from, amount, backdate_ack) VALUES ('medical.charity_bed.yearly_cap', '2020-01-01', 25000, NULL)$$,
                 '22023', NULL, '十二 a NULL acknowledgement is none');
SELECT is((SELECT count(*) FROM bangfu.policy WHERE NOT shipped), 0::bigint, '十二 nothing refused was written');

-- 2. Today and later need none.
SELECT lives_ok(format($$INSERT INTO bangfu.policy (param, valid_from, amount) VALUES ('medical.charity_bed.yearly_cap', %L, 21000)$$,
                       CURRENT_DATE),
                '十二 a version from today needs no acknowledgement');
SELECT lives_ok(format($$INSERT INTO bangfu.policy (param, valid_from, amount) VALUES ('medical.charity_bed.yearly_cap', %L, 22000)$$,
                       CURRENT_DATE + 1),
                '十二 a version from tomorrow needs no acknowledgement');
SELECT lives_ok($$INSERT INTO bangfu.policy (param, valid_from, amount) VALUES ('medical.serious_illness.yearly_cap', '9999-01-01', 31000)$$,
                '十二 nor one far ahead');

-- 3. With an acknowledgement, accepted and recorded with the row.
CREATE ROLE regress_bangfu_tap_backdater IN ROLE bangfu_policy_admin;
SET LOCAL ROLE regress_bangfu_tap_backdater;
SELECT throws_ok($$INSERT INTO bangfu.policy (param, valid_from, amount) VALUES ('medical.charity_bed.yearly_cap', '2020-01-01', 25000)$$,
                 '22023', NULL, '十二 a policy admin is refused too');
SELECT lives_ok($$INSERT INTO bangfu.policy (param, valid_from, amount, backdate_ack)
                  VALUES ('medical.charity_bed.yearly_cap', '2020-01-01', 25000, '县政府 2020-3: 四(1) yearly cap 25000 from 1 January 2020')$$,
                '十二 with an acknowledgement a version from 2020 is accepted');
RESET ROLE;
SELECT is((SELECT format('%s | %s | %s', amount, backdate_ack, recorded_by) FROM bangfu.policy
             WHERE param = 'medical.charity_bed.yearly_cap' AND valid_from = '2020-01-01'),
          '25000 | 县政府 2020-3: 四(1) yearly cap 25000 from 1 January 2020 | regress_bangfu_tap_backdater',
          '十二 the acknowledgement is recorded with the row, with who recorded it');
SELECT is(bangfu.medical_reduction(60000, '2020-06-01', 15000), 10000.00::numeric, '十二 and the version is in force from its date');

-- 4. Changes of a version: the older of its old and new date counts.
SELECT lives_ok($$UPDATE bangfu.policy SET note = 'typo fixed' WHERE param = 'medical.charity_bed.yearly_cap' AND valid_from = '2020-01-01'$$,
                '十二 a change of the note alone needs no new acknowledgement');
SELECT throws_ok($$UPDATE bangfu.policy SET backdate_ack = NULL WHERE param = 'medical.charity_bed.yearly_cap' AND valid_from = '2020-01-01'$$,
                 '22023', NULL, '十二 an acknowledgement once recorded is not taken away');
SELECT throws_ok($$UPDATE bangfu.policy SET backdate_ack = ' ' WHERE param = 'medical.charity_bed.yearly_cap' AND valid_from = '2020-01-01'$$,
                 '22023', NULL, '十二 nor blanked');
SELECT lives_ok($$UPDATE bangfu.policy SET backdate_ack = backdate_ack || ' (县政府 2020年第3号文)' WHERE param = 'medical.charity_bed.yearly_cap' AND valid_from = '2020-01-01'$$,
                '十二 its wording may be completed');
SELECT throws_ok($$UPDATE bangfu.policy SET amount = 26000 WHERE param = 'medical.charity_bed.yearly_cap' AND valid_from = '2020-01-01'$$,
                 '22023', NULL, '十二 a change of the value of a past version keeps the old acknowledgement: refused');
SELECT lives_ok($$UPDATE bangfu.policy SET amount = 26000, backdate_ack = '县政府 2020-4: 26000 after all'
                   WHERE param = 'medical.charity_bed.yearly_cap' AND valid_from = '2020-01-01'$$,
                '十二 with a new acknowledgement it is accepted');
SELECT throws_ok(format($$UPDATE bangfu.policy SET valid_from = '2021-01-01' WHERE param = 'medical.charity_bed.yearly_cap' AND valid_from = %L$$,
                        CURRENT_DATE + 1),
                 '22023', 'policy medical.charity_bed.yearly_cap from 2021-01-01 is dated before today and has no acknowledgement',
                 '十二 moving a version from tomorrow into the past needs an acknowledgement');
SELECT lives_ok(format($$UPDATE bangfu.policy SET valid_from = '2021-01-01', backdate_ack = '领导小组 2021: brought forward'
                         WHERE param = 'medical.charity_bed.yearly_cap' AND valid_from = %L$$, CURRENT_DATE + 1),
                '十二 with one it is moved');
SELECT throws_ok($$UPDATE bangfu.policy SET valid_from = '9998-01-01' WHERE param = 'medical.charity_bed.yearly_cap' AND valid_from = '2021-01-01'$$,
                 '22023', NULL, '十二 moving a past version into the future changes the past too: a new acknowledgement');
SELECT is((SELECT count(*) FROM bangfu.policy WHERE param = 'medical.charity_bed.yearly_cap' AND valid_from = '2021-01-01'
                                              AND backdate_ack = '领导小组 2021: brought forward' AND amount = 22000),
          1::bigint, '十二 the refused changes wrote nothing');
SELECT lives_ok($$UPDATE bangfu.policy SET amount = 32000 WHERE param = 'medical.serious_illness.yearly_cap' AND valid_from = '9999-01-01'$$,
                '十二 changing a version to come needs none');

-- 5. Shipped rows: the install's, from -infinity, with no acknowledgement;
--    they still cannot be changed (the guard's 55000, not this trigger's).
SELECT is((SELECT count(*) FROM bangfu.policy WHERE shipped AND backdate_ack IS NOT NULL), 0::bigint,
          '十二 the shipped defaults carry no acknowledgement');
SELECT throws_ok($$UPDATE bangfu.policy SET amount = 1 WHERE param = 'relief.fund.reserve' AND shipped$$,
                 '55000', NULL, '十二 a shipped default is still not changed in place');

-- 6. What the refusal says once benefits are recorded in those years: a
--    table guarded by the 四(1) yearly limit with a stay in 2025.
CREATE TABLE public.backdate_stays (patient_id bangfu.cnid NOT NULL, discharged date NOT NULL,
                                    reduction numeric(12,2) NOT NULL);
SELECT bangfu.attach_limit('public.backdate_stays', 'charity_bed_yearly', subject => '{patient_id}',
                           amount => 'reduction', on_date => 'discharged', mode => 'clamp');
INSERT INTO public.backdate_stays VALUES ('110105194912310038', '2025-03-01', 500);
SELECT is(bangfu.policy_reaches_back('2025-01-01'), true, '十二 policy_reaches_back: a stay in 2025 is reached back over from 2025');
SELECT is(bangfu.policy_reaches_back('2024-01-01'), true, '十二 and from 2024');
SELECT is(bangfu.policy_reaches_back('9000-01-01'), false, '十二 not from a day to come');
SELECT is(pg_temp.refusal($$INSERT INTO bangfu.policy (param, valid_from, amount) VALUES ('medical.serious_illness.yearly_cap', '2025-01-01', 35000)$$),
          '22023 policy medical.serious_illness.yearly_cap from 2025-01-01 is dated before today and has no acknowledgement'
          ' / Benefits are already recorded in 2025 or later: what was paid may become owed or overpaid (补发). 十二: a change dated in the past is accepted only with an acknowledgement recorded with it.',
          '十二 the refusal says that benefits are recorded in those years');

-- The same refusal in the clerk's language (issue 10; po/zh_CN.po).
SET LOCAL lc_messages = 'zh_CN.UTF-8';
SELECT is(pg_temp.refusal($$INSERT INTO bangfu.policy (param, valid_from, amount) VALUES ('medical.serious_illness.yearly_cap', '2025-01-01', 35000)$$),
          '22023 自 2025-01-01 起生效的政策 medical.serious_illness.yearly_cap 的日期早于今天，且没有确认说明'
          ' / 2025 年及以后已有登记的待遇：已发放的待遇可能出现应补发或多发（补发）。十二：日期在过去的调整只有在同时登记确认说明的情况下才予接受。',
          '十二 in Chinese with lc_messages zh_CN');
SELECT is(pg_temp.refusal($$INSERT INTO bangfu.policy (param, valid_from, amount) VALUES ('medical.serious_illness.yearly_cap', '2026-01-01', 35000)$$),
          '22023 自 2026-01-01 起生效的政策 medical.serious_illness.yearly_cap 的日期早于今天，且没有确认说明'
          ' / 2026 年及以后尚无登记的待遇。十二：日期在过去的调整只有在同时登记确认说明的情况下才予接受。',
          '十二 in Chinese, with nothing recorded in those years');
RESET lc_messages;

-- 7. What is not policy in force needs none: a scenario (a what-if, no
--    date) and the holiday calendar (三: the days holidays fell on).
SELECT lives_ok($$INSERT INTO bangfu.scenario (name) VALUES ('backdate_proposal');
                  INSERT INTO bangfu.scenario_value (scenario, param, amount) VALUES ('backdate_proposal', 'medical.charity_bed.yearly_cap', 30000)$$,
                '十二 a scenario value needs no acknowledgement');
SELECT lives_ok($$INSERT INTO bangfu.holiday (day, name) VALUES ('2020-01-25', '春节')$$,
                '三 a holiday already past is entered without one');

-- 8. A restore: pg_dump's COPY loads a row dated in the past as it was
--    (scripts/dump_restore_test.sh restores whole dumps); a COPY that is no
--    restore is held to the rule like an INSERT.
SELECT throws_ok($$COPY bangfu.policy (param, valid_from, count) FROM PROGRAM 'echo pension.max_months,2020-01-01,48' WITH (FORMAT csv)$$,
                 '22023', NULL, '十二 a COPY that is not a restore needs an acknowledgement too');

SELECT * FROM finish();
ROLLBACK;
