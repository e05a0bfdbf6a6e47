-- Attack class "small holes" (issue 8) in the limit engine: NULLs at attach
-- time, colliding multi-column subjects, never-seen subjects, wrong
-- detach_limit, the number of subject columns, BC dates.
BEGIN;
SELECT plan(19);

-- 1. Rows with NULL subjects or amounts: a clear error naming the rows.
CREATE TABLE public.sec_n (who text, amount numeric(12,2), d date);
INSERT INTO public.sec_n VALUES ('a', 1, '2026-01-01'), (NULL, 1, '2026-01-01'), ('b', NULL, '2026-01-01'), (NULL, 2, '2026-02-01');
SELECT throws_ok($$SELECT bangfu.attach_limit('public.sec_n', 'charity_bed_yearly', ARRAY['who'], 'amount', 'd')$$,
                 '22004', 'limit "charity_bed_yearly" cannot count sec_n: 3 rows have a null in column "who" or another column the limit reads',
                 'NULL subjects and amounts at attach time: a data error (22004) saying how many rows, which column, and the first row''s ctid');

-- 2. Subjects of several columns cannot collide, whatever bytes they hold.
CREATE TABLE public.sec_pair (employer text NOT NULL, employee text NOT NULL, months integer NOT NULL);
SELECT bangfu.attach_limit('public.sec_pair', 'employer_subsidy_months', ARRAY['employer', 'employee'], 'months');
INSERT INTO public.sec_pair VALUES (E'a\x1fb', 'c', 12);
SELECT lives_ok($$INSERT INTO public.sec_pair VALUES ('a', E'b\x1fc', 12)$$,
                '八(1): (a<US>b, c) and (a, b<US>c) are two pairs, each with its own 12 months');
SELECT lives_ok($$INSERT INTO public.sec_pair VALUES (E'a\\', E'\x1fc', 12), ('a', E'\\\x1fc', 12)$$,
                'backslashes cannot make two pairs meet either');
SELECT is((SELECT count(DISTINCT subject)::integer FROM bangfu.usage WHERE tab = 'public.sec_pair'::regclass), 4,
          'four pairs, four subjects');
SELECT is(bangfu.limit_used('employer_subsidy_months', bangfu.limit_subject(E'a\x1fb', 'c'), '2026-01-01', 'public.sec_pair'),
          12::numeric, 'bangfu.limit_subject writes a pair''s subject as the ledger keeps it');
SELECT is_empty($$SELECT * FROM bangfu.limit_check() WHERE tab = 'public.sec_pair'::regclass$$,
                'limit_check agrees with the trigger on every pair');

-- 3. The number of subject columns is checked at attach time.
SELECT throws_ok($$SELECT bangfu.attach_limit('public.sec_pair', 'employer_subsidy_months', ARRAY['employer'], 'months')$$,
                 '22023', 'limit "employer_subsidy_months" takes 2 subject columns, not 1', 'too few subject columns');
SELECT throws_ok($$SELECT bangfu.attach_limit('public.sec_n', 'relief_quota', ARRAY['who'], NULL, 'd')$$,
                 '22023', 'limit "relief_quota" takes 0 subject columns, not 1', 'a whole-table quota takes none');

-- 4. limit_used: a subject never seen has used nothing; one of the wrong shape is refused.
SELECT is(bangfu.limit_used('charity_bed_yearly', 'nobody', '2026-06-30'), 0.00, 'a never-seen subject has used 0');
SELECT throws_ok($$SELECT bangfu.limit_used('employer_subsidy_months', 'only-one-part')$$, '22023', NULL,
                 'a pair limit refuses a subject that is not a pair');
SELECT throws_ok($$SELECT bangfu.limit_used('relief_quota', 'x', '2026-06-30')$$, '22023', NULL,
                 'a whole-table limit refuses any subject but ''''');

-- 5. A wrong detach_limit names what is missing.
SELECT throws_ok($$SELECT bangfu.detach_limit('public.sec_pair', 'charity_bed_yearly')$$, '42704',
                 'limit "charity_bed_yearly" is not attached to public.sec_pair', 'detaching a limit that is not attached');
DROP TRIGGER zz_bangfu_employer_subsidy_months_flush ON public.sec_pair;
SELECT throws_ok($$SELECT bangfu.detach_limit('public.sec_pair', 'employer_subsidy_months')$$, '42704',
                 'limit "employer_subsidy_months" is only partly attached to public.sec_pair: trigger zz_bangfu_employer_subsidy_months_flush is missing',
                 'a half-attached limit names the missing trigger');

-- 6. BC dates: 1 BC is one period for the trigger, the check and the rebuild.
CREATE TABLE public.sec_bc (who text NOT NULL, d date NOT NULL);
INSERT INTO bangfu.policy (param, valid_from, count, note, backdate_ack)
VALUES ('relief.grants_per_year', '0100-01-01 BC', 1, 'test: ancient', 'test: dated before today (十二)');
INSERT INTO public.sec_bc VALUES ('h', '0001-03-01 BC');
SELECT bangfu.attach_limit('public.sec_bc', 'relief_yearly', ARRAY['who'], NULL, 'd');
SELECT throws_ok($$INSERT INTO public.sec_bc VALUES ('h', '0001-12-31 BC')$$, '23514', NULL, 'two reliefs in 1 BC are refused');
INSERT INTO public.sec_bc VALUES ('h', '0001-01-01'), ('h', '0002-01-01 BC');
SELECT results_eq($$SELECT period, used FROM bangfu.usage WHERE tab = 'public.sec_bc'::regclass ORDER BY period$$,
                  $$VALUES (-2, 1::bigint), (-1, 1::bigint), (1, 1::bigint)$$,
                  '2 BC, 1 BC and AD 1 are three periods, numbered as extract(year) numbers them');
SELECT is_empty($$SELECT * FROM bangfu.limit_check() WHERE tab = 'public.sec_bc'::regclass$$,
                'limit_check agrees with the trigger about BC years');

-- 7. bangfu.raise_error and install_refusal are callable by anyone (they only
-- raise): a NULL or unknown key is the caller's data error, never an internal
-- error (sqlsmith found XX000 here).
SET LOCAL ROLE bangfu_reader;
SELECT throws_ok($$SELECT bangfu.raise_error(NULL)$$, '22004', NULL,
                 'raise_error(NULL): 22004, not an internal error');
SELECT throws_ok($$SELECT bangfu.raise_error('no such key')$$, '22023',
                 'bangfu has no message "no such key"', 'raise_error of an unknown key: 22023');
RESET ROLE;
SELECT throws_ok($$SELECT bangfu.install_refusal(NULL, NULL)$$, '22004', NULL,
                 'install_refusal(NULL, NULL): 22004');

SELECT * FROM finish();
ROLLBACK;
