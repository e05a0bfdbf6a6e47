-- pgTAP: the limits (二, 四, 五, 八, 一/九) as an auditor checks them.
-- Every figure comes from doc/clauses.md: 四(1) 20,000 per person
-- per year, 二 one relief per household per year, 一 a balance never below 0.
BEGIN;
SELECT plan(52);

SET LOCAL search_path = public, bangfu;

-- The engine and its shipped limits
SELECT has_table('bangfu', 'usage', 'the ledger bangfu.usage exists');
SELECT has_table('bangfu', 'limit_def', 'the limit definitions exist');
SELECT has_function('bangfu', 'attach_limit', ARRAY['regclass', 'text', 'text[]', 'name', 'name', 'text', 'text'],
                    'attach_limit(tab, limit, subject, amount, on_date, mode, books)');
SELECT has_function('bangfu', 'limit_check', 'limit_check()');
SELECT has_function('bangfu', 'limit_rebuild', 'limit_rebuild()');
SELECT has_function('bangfu', 'limit_used', ARRAY['text', 'text', 'date'], 'limit_used(limit, subject, date)');
SELECT results_eq(
    -- bangfu's own (the register, extension bangfu_register, adds relief_quota)
    $$SELECT name, clause, unit, period FROM bangfu.limit_def WHERE shipped AND name <> 'relief_quota' ORDER BY name$$,
    $$VALUES ('charity_bed_yearly', '四(1)', 'money', 'year'),
             ('employer_subsidy_months', '八(1)', 'count', 'lifetime'),
             ('fund_balance', '一, 九', 'money', 'lifetime'),
             ('fund_uncommitted', '一, 二', 'money', 'lifetime'),
             ('handicraft_reward_yearly', '八(3)', 'rows', 'year'),
             ('pension_months', '五', 'count', 'lifetime'),
             ('relief_yearly', '二', 'rows', 'year'),
             ('serious_illness_yearly', '四(2)', 'money', 'year')$$,
    'the shipped limits, with their clauses');
SELECT is(bangfu.limit_cap('charity_bed_yearly', '2026-06-30'), 20000.00, '四(1) yearly cap 20,000');
SELECT is(bangfu.limit_cap('serious_illness_yearly', '2026-06-30'), 30000.00, '四(2) yearly cap 30,000');
SELECT is(bangfu.limit_cap('pension_months', '2026-06-30'), 36::numeric, '五 at most 36 subsidised months');
SELECT is(bangfu.limit_cap('employer_subsidy_months', '2026-06-30'), 12::numeric, '八(1) 12 months from hire');
SELECT is(bangfu.limit_cap('relief_yearly', '2026-06-30'), 1::numeric, '二 one relief a year');

-- 四(1) clamp: two stays of 60,000 reduced 15,000 each → the second gets 5,000
CREATE TABLE pg_temp.tap_stay (id serial PRIMARY KEY, person text NOT NULL, discharged date NOT NULL,
                               reduction numeric(12,2) NOT NULL);
SELECT lives_ok($$SELECT bangfu.attach_limit('pg_temp.tap_stay', 'charity_bed_yearly', '{person}',
                                             'reduction', 'discharged', 'clamp')$$,
                'attach 四(1) in clamp mode with one statement');
SELECT is((SELECT count(*)::integer FROM bangfu.limit_attachment WHERE tab = 'pg_temp.tap_stay'::regclass), 1,
          'the attachment is listed');
INSERT INTO pg_temp.tap_stay (person, discharged, reduction) VALUES ('p1', '2026-02-01', 15000);
INSERT INTO pg_temp.tap_stay (person, discharged, reduction) VALUES ('p1', '2026-05-01', 15000);
INSERT INTO pg_temp.tap_stay (person, discharged, reduction) VALUES ('p1', '2026-09-01', 15000);
SELECT results_eq($$SELECT reduction FROM pg_temp.tap_stay ORDER BY id$$,
                  $$VALUES (15000.00), (5000.00), (0.00)$$,
                  '四(1) clamp: 15,000, then what is left of 20,000, then nothing');
SELECT is(bangfu.limit_used('charity_bed_yearly', 'p1', '2026-12-31', 'pg_temp.tap_stay'), 20000.00, 'p1 has used 20,000 in 2026');
SELECT is(bangfu.limit_used('charity_bed_yearly', 'p1', '2027-01-01', 'pg_temp.tap_stay'), 0.00, 'a new year starts at 0');
UPDATE pg_temp.tap_stay SET reduction = 14999.99 WHERE id = 1;
SELECT is(bangfu.limit_used('charity_bed_yearly', 'p1', '2026-12-31', 'pg_temp.tap_stay'), 19999.99, 'lowering a stay releases 0.01');
UPDATE pg_temp.tap_stay SET person = 'p2' WHERE id = 2;
SELECT results_eq($$SELECT subject, used FROM bangfu.usage_report WHERE tab = 'pg_temp.tap_stay'::regclass ORDER BY 1$$,
                  $$VALUES ('p1', 14999.99), ('p2', 5000.00)$$,
                  'moving a stay to another person moves its usage');
DELETE FROM pg_temp.tap_stay WHERE person = 'p2';
SELECT is_empty($$SELECT * FROM bangfu.limit_check()$$, 'the ledger equals the table');
SELECT throws_ok($$TRUNCATE pg_temp.tap_stay$$, '55000', NULL, 'TRUNCATE of a guarded table is refused');

-- 四(1) reject: the refusal names the limit, the subject and what remains
CREATE TABLE pg_temp.tap_stay_r (LIKE pg_temp.tap_stay INCLUDING ALL);
SELECT bangfu.attach_limit('pg_temp.tap_stay_r', 'charity_bed_yearly', '{person}', 'reduction', 'discharged', 'reject');
INSERT INTO pg_temp.tap_stay_r (person, discharged, reduction) VALUES ('r1', '2026-02-01', 19999.99);
SELECT lives_ok($$INSERT INTO pg_temp.tap_stay_r (person, discharged, reduction) VALUES ('r1', '2026-03-01', 0.01)$$,
                '四(1) reject: exactly up to 20,000.00 is let through');
SELECT throws_ok($$INSERT INTO pg_temp.tap_stay_r (person, discharged, reduction) VALUES ('r1', '2026-04-01', 0.01)$$,
                 '23514', 'limit "charity_bed_yearly" (四(1)) refuses 0.01 for person r1 in 2026',
                 '四(1) reject: one fen over the cap is refused with 23514');
SELECT is(bangfu.limit_used('charity_bed_yearly', 'r1', '2026-06-30', 'pg_temp.tap_stay_r'), 20000.00, 'the refused fen was not booked');

-- 二 one relief per household per year, whatever the reason
CREATE TABLE pg_temp.tap_grant (id serial, household integer NOT NULL, granted date NOT NULL, reason text);
SELECT bangfu.attach_limit('pg_temp.tap_grant', 'relief_yearly', '{household}', NULL, 'granted', 'reject');
INSERT INTO pg_temp.tap_grant (household, granted, reason) VALUES (7, '2026-02-01', 'education');
SELECT throws_ok($$INSERT INTO pg_temp.tap_grant (household, granted, reason) VALUES (7, '2026-08-01', 'critical_illness')$$,
                 '23514', NULL, '二: a second relief in the year is refused, even for another reason');
SELECT lives_ok($$INSERT INTO pg_temp.tap_grant (household, granted, reason) VALUES (7, '2027-01-01', 'education')$$,
                '二: the next year is allowed');
SELECT throws_ok($$SELECT bangfu.attach_limit('pg_temp.tap_grant', 'relief_yearly', '{household}', NULL, 'granted', 'clamp')$$,
                 '22023', NULL, 'a row limit cannot be clamped');

-- 一 a fund's balance never goes below zero
CREATE TABLE pg_temp.tap_entry (id serial, fund text NOT NULL, amount numeric(14,2) NOT NULL);
SELECT bangfu.attach_limit('pg_temp.tap_entry', 'fund_balance', '{fund}', 'amount', NULL, 'reject');
INSERT INTO pg_temp.tap_entry (fund, amount) VALUES ('tap_fund', 100), ('tap_fund', -100);
SELECT throws_ok($$INSERT INTO pg_temp.tap_entry (fund, amount) VALUES ('tap_fund', -0.01)$$,
                 '23514', NULL, '一: one fen below zero is refused');
SELECT lives_ok($$INSERT INTO pg_temp.tap_entry (fund, amount) VALUES ('tap_fund', 0.01), ('tap_fund', -0.01)$$,
                '一: money in, then out, in one statement');

-- Bad attachments
SELECT throws_ok($$SELECT bangfu.attach_limit('pg_temp.tap_stay', 'no_such_limit', '{person}', 'reduction', 'discharged')$$,
                 '22023', 'unknown limit "no_such_limit"', 'an unknown limit is refused');
SELECT throws_ok($$SELECT bangfu.attach_limit('pg_temp.tap_entry', 'charity_bed_yearly', '{fund}', 'amount', 'nope')$$,
                 '42703', NULL, 'an unknown column is refused');
SELECT throws_ok($$SELECT bangfu.attach_limit('pg_temp.tap_entry', 'charity_bed_yearly', '{fund}', 'amount', NULL)$$,
                 '22023', NULL, 'a yearly limit needs a date column');

-- The books can be checked and rebuilt; the same transaction keeps booking right afterwards
UPDATE bangfu.usage SET used = used + 1 WHERE tab = 'pg_temp.tap_stay'::regclass AND subject = 'p1';
SELECT results_eq($$SELECT subject, recorded - actual FROM bangfu.limit_check()$$,
                  $$VALUES ('p1'::text, 1::bigint)$$, 'limit_check() shows a ledger row off by one fen');
SELECT ok(bangfu.limit_rebuild() >= 1, 'limit_rebuild() mends it');
SELECT is_empty($$SELECT * FROM bangfu.limit_check()$$, 'the ledger equals the tables after the rebuild');
INSERT INTO pg_temp.tap_stay (person, discharged, reduction) VALUES ('p1', '2026-10-01', 15000);
SELECT results_eq($$SELECT reduction FROM pg_temp.tap_stay WHERE discharged = '2026-10-01'$$,
                  $$VALUES (5000.01)$$, 'after the rebuild a clamp still sees what p1 used (14,999.99 of 20,000)');

-- Detaching a limit removes its triggers and its ledger
SELECT lives_ok($$SELECT bangfu.detach_limit('pg_temp.tap_stay_r', 'charity_bed_yearly')$$, 'detach_limit');
SELECT is((SELECT count(*)::integer FROM bangfu.usage WHERE tab = 'pg_temp.tap_stay_r'::regclass), 0,
          'its ledger rows are gone');
SELECT lives_ok($$INSERT INTO pg_temp.tap_stay_r (person, discharged, reduction) VALUES ('r1', '2026-05-01', 30000)$$,
                'the table is no longer limited');

-- Several subjects locked together (limit_lock, as a transfer's two funds
-- are): each subject's lock is held to the end of the transaction, one
-- advisory lock each; bad arguments are refused before anything is locked.
CREATE TEMP TABLE tap_locks AS
SELECT count(*) AS n FROM pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid();
SELECT lives_ok($$SELECT bangfu.limit_lock(ARRAY['fund_uncommitted', 'fund_balance'], ARRAY['tap_f1', 'tap_f2'], '2026-01-01')$$,
                'limit_lock(limits, subjects, date) locks two subjects');
SELECT is((SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid()) - (SELECT n FROM tap_locks),
          2::bigint, 'two more advisory locks are held');
SELECT throws_ok($$SELECT bangfu.limit_lock(ARRAY['fund_balance'], ARRAY['tap_f1', 'tap_f2'])$$, '22023', NULL,
                 'limit_lock refuses arrays of different lengths');
SELECT throws_ok($$SELECT bangfu.limit_lock(ARRAY['fund_balance', NULL], ARRAY['tap_f1', 'tap_f2'])$$, '22004', NULL,
                 'limit_lock refuses a NULL limit');
SELECT throws_ok($$SELECT bangfu.limit_lock(ARRAY['charity_bed_yearly'], ARRAY['p1'], 'infinity')$$, '22023', NULL,
                 'limit_lock refuses an infinite date for a yearly limit');
SELECT throws_ok($$SELECT bangfu.limit_lock(ARRAY['tap_no_such_limit'], ARRAY['p1'])$$, '22023', 'unknown limit "tap_no_such_limit"',
                 'limit_lock refuses an unknown limit');

-- Only the owner may attach or detach
CREATE TABLE public.tap_owned (household integer NOT NULL, granted date NOT NULL);
SELECT bangfu.attach_limit('public.tap_owned', 'relief_yearly', '{household}', NULL, 'granted', 'reject');
CREATE ROLE tap_clerk NOLOGIN;
GRANT INSERT, SELECT ON public.tap_owned TO tap_clerk;
SET LOCAL ROLE tap_clerk;
SELECT lives_ok($$INSERT INTO public.tap_owned VALUES (1, '2026-03-01')$$, 'a clerk may insert into a guarded table');
SELECT throws_ok($$SELECT bangfu.detach_limit('public.tap_owned', 'relief_yearly')$$, '42501', NULL,
                 'a clerk cannot switch a limit off');
SELECT throws_ok($$SELECT bangfu.limit_rebuild()$$, '42501', NULL, 'a clerk cannot rebuild the ledger');
SELECT throws_ok($$SELECT bangfu.limit_lock(ARRAY['fund_balance'], ARRAY['f1'])$$, '42501', NULL,
                 'a clerk cannot hold a fund''s lock with limit_lock');
SELECT throws_ok($$UPDATE bangfu.usage SET used = 0$$, '42501', NULL, 'a clerk cannot change recorded usage');
RESET ROLE;

SELECT is_empty($$SELECT * FROM bangfu.limit_check()$$, 'all ledgers equal their tables at the end');

-- A limit this session's statement can see, though its cache of limit_def
-- was loaded before the limit was added and no invalidation came: another
-- session's commit is visible a moment before its invalidation is sent
-- (pg_restore -j: one worker loads limit_def while another loads the
-- attachments that name a limit).  Here the invalidation is held back by
-- switching off the trigger that sends it.
ALTER TABLE bangfu.limit_def DISABLE TRIGGER limit_def_changed;
SELECT bangfu.limit_used('charity_bed_yearly', 'p1', '2026-06-01') IS NOT NULL AS cache_loaded;
INSERT INTO bangfu.limit_def (name, clause, unit, period, zero_cap, description)
VALUES ('tap_added_late', '县', 'money', 'year', true, 'added after the cache was loaded');
SELECT is(bangfu.limit_used('tap_added_late', 'p1', '2026-06-01'), 0::numeric,
          'a limit added after the cache was loaded is found (the cache is read again on a miss)');
DELETE FROM bangfu.limit_def WHERE name = 'tap_added_late';
ALTER TABLE bangfu.limit_def ENABLE TRIGGER limit_def_changed;

SELECT * FROM finish();
ROLLBACK;
