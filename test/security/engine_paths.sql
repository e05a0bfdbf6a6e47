-- Attack class "every path checked" (issue 8): whatever writes a guarded
-- table -- another trigger of its owner, UPDATE of any column, DELETE, MERGE,
-- COPY, a foreign-key cascade, partition routing, an insert straight into a
-- partition -- is checked against the row as really written.  Before 0.3.0 a
-- BEFORE trigger whose name sorted after the limit's changed the amount
-- after the check, and deleting a credit took a fund below zero.
BEGIN;
SELECT plan(23);

-- 1. The table owner's trigger that runs after the limit's check (name 'zzzz...').
CREATE TABLE public.sec_stay (id serial PRIMARY KEY, person text NOT NULL, amount numeric(12,2) NOT NULL,
                              stay_date date NOT NULL, note text);
SELECT bangfu.attach_limit('public.sec_stay', 'charity_bed_yearly', ARRAY['person'], 'amount', 'stay_date', 'reject');
CREATE FUNCTION public.sec_inflate() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN NEW.amount := NEW.amount * 10; RETURN NEW; END $$;
CREATE TRIGGER zzzz_inflate BEFORE INSERT OR UPDATE ON public.sec_stay
    FOR EACH ROW EXECUTE FUNCTION public.sec_inflate();
SELECT throws_ok($$INSERT INTO public.sec_stay (person, amount, stay_date) VALUES ('p1', 5000, '2026-03-01')$$,
                 '23514', NULL, '四(1): 5,000 checked, 50,000 written: refused');
SELECT lives_ok($$INSERT INTO public.sec_stay (person, amount, stay_date) VALUES ('p1', 2000, '2026-03-01')$$,
                '2,000 checked, 20,000 written: exactly the cap, let through');
SELECT throws_ok($$UPDATE public.sec_stay SET note = 'seen' WHERE person = 'p1'$$,
                 '23514', NULL, 'an UPDATE of another column that the owner''s trigger inflates is refused');
SELECT is((SELECT sum(amount) FROM public.sec_stay), 20000.00, 'only what fits was written');
-- the same in clamp mode: the clamp happens before, the check after
CREATE TABLE public.sec_stay_c (LIKE public.sec_stay INCLUDING ALL);
SELECT bangfu.attach_limit('public.sec_stay_c', 'charity_bed_yearly', ARRAY['person'], 'amount', 'stay_date', 'clamp');
CREATE TRIGGER zzzz_inflate BEFORE INSERT OR UPDATE ON public.sec_stay_c
    FOR EACH ROW EXECUTE FUNCTION public.sec_inflate();
SELECT throws_ok($$INSERT INTO public.sec_stay_c (person, amount, stay_date) VALUES ('p1', 15000, '2026-03-01')$$,
                 '23514', NULL, 'clamp mode: a row inflated after the clamp is refused');
DROP TRIGGER zzzz_inflate ON public.sec_stay;
DROP TRIGGER zzzz_inflate ON public.sec_stay_c;

-- 2. Deleting a credit under fund_balance.
CREATE TABLE public.sec_entry (id serial PRIMARY KEY, fund text NOT NULL, amount numeric(14,2) NOT NULL);
SELECT bangfu.attach_limit('public.sec_entry', 'fund_balance', ARRAY['fund'], 'amount');
INSERT INTO public.sec_entry (fund, amount) VALUES ('f', 100);
INSERT INTO public.sec_entry (fund, amount) VALUES ('f', -100);
SELECT throws_ok($$DELETE FROM public.sec_entry WHERE amount > 0$$, '23514', NULL,
                 '一: deleting the credit that paid for a disbursement is refused');
SELECT throws_ok($$UPDATE public.sec_entry SET amount = 50 WHERE amount > 0$$, '23514', NULL,
                 '一: lowering it is refused too');
SELECT lives_ok($$DELETE FROM public.sec_entry$$, 'deleting the credit and its disbursement together is fine');

-- 3. MERGE and COPY.
SELECT throws_ok($$MERGE INTO public.sec_stay s USING (VALUES ('p1', 1.00)) v(person, amount) ON s.person = v.person
                   WHEN MATCHED THEN UPDATE SET amount = s.amount + v.amount$$,
                 '23514', NULL, 'MERGE ... UPDATE over the cap is refused');
SELECT throws_ok($$MERGE INTO public.sec_stay s USING (VALUES ('p1', 1.00)) v(person, amount) ON false
                   WHEN NOT MATCHED THEN INSERT (person, amount, stay_date) VALUES (v.person, v.amount, '2026-05-01')$$,
                 '23514', NULL, 'MERGE ... INSERT over the cap is refused');
SELECT throws_ok($$COPY public.sec_stay (person, amount, stay_date) FROM PROGRAM 'printf "p1\t0.01\t2026-06-01\n"'$$,
                 '23514', NULL, 'COPY over the cap is refused');

-- 4. Foreign-key cascades move usage like any UPDATE or DELETE.
CREATE TABLE public.sec_person (id text PRIMARY KEY);
INSERT INTO public.sec_person VALUES ('k1'), ('k2');
CREATE TABLE public.sec_kstay (id serial PRIMARY KEY,
                               person text NOT NULL REFERENCES public.sec_person ON UPDATE CASCADE ON DELETE CASCADE,
                               amount numeric(12,2) NOT NULL, stay_date date NOT NULL);
SELECT bangfu.attach_limit('public.sec_kstay', 'charity_bed_yearly', ARRAY['person'], 'amount', 'stay_date');
INSERT INTO public.sec_kstay (person, amount, stay_date) VALUES ('k1', 15000, '2026-03-01'), ('k2', 15000, '2026-03-01');
SELECT throws_ok($$UPDATE public.sec_person SET id = 'k2' WHERE id = 'k1'$$, '23505', NULL,
                 '(the key itself cannot collide)');
UPDATE public.sec_person SET id = 'k3' WHERE id = 'k1';
DELETE FROM public.sec_person WHERE id = 'k2';
SELECT is_empty($$SELECT * FROM bangfu.limit_check() WHERE tab = 'public.sec_kstay'::regclass$$,
                'cascaded updates and deletes keep the books right');

-- 5. Partitions: routed rows and rows straight into a partition share the parent's books, once.
CREATE TABLE public.sec_pstay (person text NOT NULL, amount numeric(12,2) NOT NULL, stay_date date NOT NULL)
    PARTITION BY RANGE (stay_date);
CREATE TABLE public.sec_pstay_h1 PARTITION OF public.sec_pstay FOR VALUES FROM ('2026-01-01') TO ('2026-07-01');
CREATE TABLE public.sec_pstay_h2 PARTITION OF public.sec_pstay FOR VALUES FROM ('2026-07-01') TO ('2027-01-01');
INSERT INTO public.sec_pstay VALUES ('q1', 5000, '2026-02-01');
SELECT bangfu.attach_limit('public.sec_pstay', 'charity_bed_yearly', ARRAY['person'], 'amount', 'stay_date');
INSERT INTO public.sec_pstay VALUES ('q1', 10000, '2026-08-01');
SELECT throws_ok($$INSERT INTO public.sec_pstay_h1 VALUES ('q1', 5000.01, '2026-03-01')$$, '23514', NULL,
                 'a row straight into a partition is checked against the parent''s books');
SELECT lives_ok($$INSERT INTO public.sec_pstay_h1 VALUES ('q1', 5000, '2026-03-01')$$,
                'and booked there: exactly the cap');
SELECT throws_ok($$UPDATE public.sec_pstay SET stay_date = '2026-09-01', amount = amount + 0.01 WHERE stay_date = '2026-03-01'$$,
                 '23514', NULL, 'a row moved to another partition is checked too');
SELECT is(bangfu.limit_used('charity_bed_yearly', 'q1', '2026-12-31', 'public.sec_pstay'), 20000.00,
          'the books hold each row once');
SELECT is((SELECT count(*)::integer FROM bangfu.limit_attachment WHERE tab::text LIKE 'sec_pstay%'), 1,
          'the partitions are guarded through their table''s attachment');
UPDATE bangfu.usage SET used = used + 1 WHERE tab = 'public.sec_pstay'::regclass;
SELECT ok(bangfu.limit_rebuild() >= 1, 'limit_rebuild mends the books');
SELECT is_empty($$SELECT * FROM bangfu.limit_check()$$, 'limit_check and limit_rebuild count every partitioned row once');

-- 6. Partitions created or attached later are guarded too, their rows counted.
CREATE TABLE public.sec_pstay_27 PARTITION OF public.sec_pstay FOR VALUES FROM ('2027-01-01') TO ('2028-01-01');
INSERT INTO public.sec_pstay_27 VALUES ('q1', 20000, '2027-02-01');
SELECT throws_ok($$INSERT INTO public.sec_pstay_27 VALUES ('q1', 0.01, '2027-03-01')$$, '23514', NULL,
                 'a partition created after the attachment is guarded, rows straight into it booked');
CREATE TABLE public.sec_pstay_28 (LIKE public.sec_pstay);
INSERT INTO public.sec_pstay_28 VALUES ('q1', 20000.01, '2028-02-01');
SELECT throws_ok($$ALTER TABLE public.sec_pstay ATTACH PARTITION public.sec_pstay_28 FOR VALUES FROM ('2028-01-01') TO ('2029-01-01')$$,
                 '23514', NULL, 'attaching a partition whose rows break the limit is refused');
UPDATE public.sec_pstay_28 SET amount = 20000;
ALTER TABLE public.sec_pstay ATTACH PARTITION public.sec_pstay_28 FOR VALUES FROM ('2028-01-01') TO ('2029-01-01');
SELECT is(bangfu.limit_used('charity_bed_yearly', 'q1', '2028-12-31', 'public.sec_pstay'), 20000.00,
          'an attached partition''s rows are counted into its table''s books');

SELECT * FROM finish();
ROLLBACK;
