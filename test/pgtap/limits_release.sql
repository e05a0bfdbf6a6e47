-- pgTAP: what a statement gives back counts at once for its later rows
-- (四(1), cap 20,000 a person-year).  An UPDATE that moves a row to
-- another partition is a DELETE from the old one and an INSERT into the
-- new one; the INSERT was checked while the books still held the row, so
-- moving a stay of 15,000 from one ward's partition to another cut it to
-- 5,000 (clamp) or refused it (reject).  Rows written after others were
-- deleted or lowered in the same statement (a MERGE replacing a stay, a
-- CTE moving one, an UPDATE lowering one stay and raising another) were cut
-- the same way.  Every figure is worked by hand against 20,000.00.
BEGIN;
SELECT plan(21);

SET LOCAL search_path = public, bangfu;

-- 1. a stay moved between partitions (by ward), clamp and reject
CREATE TABLE public.tap_rel_ward (id integer, person text NOT NULL, ward text NOT NULL, d date NOT NULL,
                                  amt numeric(12,2) NOT NULL) PARTITION BY LIST (ward);
CREATE TABLE public.tap_rel_north PARTITION OF public.tap_rel_ward FOR VALUES IN ('north');
CREATE TABLE public.tap_rel_south PARTITION OF public.tap_rel_ward FOR VALUES IN ('south');
CREATE TABLE public.tap_rel_ward_r (LIKE public.tap_rel_ward) PARTITION BY LIST (ward);
CREATE TABLE public.tap_rel_north_r PARTITION OF public.tap_rel_ward_r FOR VALUES IN ('north');
CREATE TABLE public.tap_rel_south_r PARTITION OF public.tap_rel_ward_r FOR VALUES IN ('south');
SELECT bangfu.attach_limit('public.tap_rel_ward', 'charity_bed_yearly', '{person}', 'amt', 'd', 'clamp');
SELECT bangfu.attach_limit('public.tap_rel_ward_r', 'charity_bed_yearly', '{person}', 'amt', 'd', 'reject');
INSERT INTO public.tap_rel_ward VALUES (1, 'a', 'north', '2026-03-01', 15000);
UPDATE public.tap_rel_ward SET ward = 'south' WHERE id = 1;
SELECT is((SELECT amt FROM public.tap_rel_ward WHERE id = 1), 15000.00, 'clamp: a stay of 15,000 moved to another ward keeps 15,000 (was cut to 5,000)');
SELECT is((SELECT ward FROM public.tap_rel_ward WHERE id = 1), 'south', 'clamp: and is in the south ward');
INSERT INTO public.tap_rel_ward_r VALUES (1, 'a', 'north', '2026-03-01', 15000);
SELECT lives_ok($$UPDATE public.tap_rel_ward_r SET ward = 'south' WHERE id = 1$$, 'reject: the move goes through (was refused)');
-- moved and raised to the cap: 20,000.00 fits, 20,000.01 does not
SELECT lives_ok($$UPDATE public.tap_rel_ward_r SET ward = 'north', amt = 20000.00 WHERE id = 1$$,
    'reject: moved back and raised to 20,000.00');
SELECT throws_ok($$UPDATE public.tap_rel_ward_r SET ward = 'south', amt = 20000.01 WHERE id = 1$$, '23514', NULL,
    'reject: moved and raised to 20,000.01 is refused');
UPDATE public.tap_rel_ward SET ward = 'north', amt = 20000.01 WHERE id = 1;
SELECT is((SELECT amt FROM public.tap_rel_ward WHERE id = 1), 20000.00, 'clamp: moved and raised to 20,000.01 is cut to 20,000.00');

-- two limits on one table, and another trigger's statement between the
-- BEFORE UPDATE and the move: each limit counts the move once (before, the
-- second limit's check in between made the first count the row twice)
CREATE TABLE public.tap_rel_two (id integer, person text NOT NULL, ward text NOT NULL, d date NOT NULL,
                                 amt numeric(12,2) NOT NULL) PARTITION BY LIST (ward);
CREATE TABLE public.tap_rel_two_n PARTITION OF public.tap_rel_two FOR VALUES IN ('north');
CREATE TABLE public.tap_rel_two_s PARTITION OF public.tap_rel_two FOR VALUES IN ('south');
SELECT bangfu.attach_limit('public.tap_rel_two', 'charity_bed_yearly', '{person}', 'amt', 'd', 'clamp');
SELECT bangfu.attach_limit('public.tap_rel_two', 'serious_illness_yearly', '{person}', 'amt', 'd', 'clamp');
INSERT INTO public.tap_rel_two VALUES (1, 'p', 'north', '2026-03-01', 15000), (2, 'r', 'north', '2026-03-01', 5000);
UPDATE public.tap_rel_two SET ward = 'south', person = 'r' WHERE id = 1;
SELECT is((SELECT amt FROM public.tap_rel_two WHERE id = 1), 15000.00,
          'two limits: a 15,000 stay moved to another ward and person (who had 5,000) keeps 15,000 (was 0.00)');
CREATE TABLE public.tap_rel_mirror (id integer PRIMARY KEY, person text NOT NULL, d date NOT NULL, amt numeric(12,2) NOT NULL);
SELECT bangfu.attach_limit('public.tap_rel_mirror', 'charity_bed_yearly', '{person}', 'amt', 'd', 'reject');
CREATE FUNCTION pg_temp.tap_rel_mirror_sync() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE public.tap_rel_mirror SET amt = NEW.amt WHERE id = NEW.id;
    RETURN NEW;
END $$;
CREATE TRIGGER zzz_mirror BEFORE UPDATE ON public.tap_rel_ward_r FOR EACH ROW EXECUTE FUNCTION pg_temp.tap_rel_mirror_sync();
INSERT INTO public.tap_rel_ward_r VALUES (2, 'q', 'north', '2026-03-01', 15000);
INSERT INTO public.tap_rel_mirror VALUES (2, 'q', '2026-03-01', 15000);
SELECT lives_ok($$UPDATE public.tap_rel_ward_r SET ward = 'south', amt = 18000 WHERE id = 2$$,
    'another trigger''s UPDATE between the check and the move: 15,000 moved and raised to 18,000 goes through (was refused)');

-- an update rolled back (to a savepoint) after its check, before its move:
-- a later delete of the row is not taken for that move (a wrong give-back
-- let 21,000 past the check, and the statement was refused instead of cut)
CREATE FUNCTION pg_temp.tap_rel_no_16000() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.amt = 16000 THEN
        RAISE EXCEPTION 'no 16,000 here' USING ERRCODE = 'P0001';
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER zzz_no_16000 BEFORE UPDATE ON public.tap_rel_ward FOR EACH ROW EXECUTE FUNCTION pg_temp.tap_rel_no_16000();
INSERT INTO public.tap_rel_ward VALUES (3, 's', 'north', '2026-03-01', 15000);
SAVEPOINT tap_rel_sp;
SELECT throws_ok($$UPDATE public.tap_rel_ward SET ward = 'south', amt = 16000 WHERE id = 3$$, 'P0001', NULL,
    'a move refused by another trigger after the limit''s check');
ROLLBACK TO SAVEPOINT tap_rel_sp;
WITH gone AS (DELETE FROM public.tap_rel_ward WHERE id = 3 RETURNING person, ward, d)
INSERT INTO public.tap_rel_ward SELECT 4, person, ward, d, 21000 FROM gone;
SELECT is((SELECT amt FROM public.tap_rel_ward WHERE id = 4), 20000.00,
          'then the stay replaced by one of 21,000 is cut to 20,000.00');

-- 2. monthly partitions: a discharge date corrected into the next month
CREATE TABLE public.tap_rel_month (id integer, person text NOT NULL, d date NOT NULL, amt numeric(12,2) NOT NULL)
    PARTITION BY RANGE (d);
CREATE TABLE public.tap_rel_m03 PARTITION OF public.tap_rel_month FOR VALUES FROM ('2026-03-01') TO ('2026-04-01');
CREATE TABLE public.tap_rel_m04 PARTITION OF public.tap_rel_month FOR VALUES FROM ('2026-04-01') TO ('2026-05-01');
SELECT bangfu.attach_limit('public.tap_rel_month', 'charity_bed_yearly', '{person}', 'amt', 'd', 'reject');
INSERT INTO public.tap_rel_month VALUES (1, 'b', '2026-03-31', 12000);
SELECT lives_ok($$UPDATE public.tap_rel_month SET d = '2026-04-01' WHERE id = 1$$,
    'reject: a stay of 12,000 re-dated into the next month''s partition goes through (was refused: 12,000 asked, 8,000 left)');

-- 3. one statement that takes out and puts in (clamp)
CREATE TABLE public.tap_rel (id integer PRIMARY KEY, person text NOT NULL, d date NOT NULL, amt numeric(12,2) NOT NULL);
SELECT bangfu.attach_limit('public.tap_rel', 'charity_bed_yearly', '{person}', 'amt', 'd', 'clamp');
INSERT INTO public.tap_rel VALUES (1, 'c', '2026-03-01', 15000);
WITH moved AS (DELETE FROM public.tap_rel WHERE id = 1 RETURNING person, d, amt)
INSERT INTO public.tap_rel SELECT 2, person, d, amt FROM moved;
SELECT is((SELECT amt FROM public.tap_rel WHERE id = 2), 15000.00, 'a CTE moving a stay of 15,000 to a new id keeps 15,000 (was 5,000)');
INSERT INTO public.tap_rel VALUES (3, 'd', '2026-03-01', 15000), (4, 'd', '2026-03-01', 5000);
UPDATE public.tap_rel SET amt = CASE id WHEN 3 THEN 5000 ELSE 15000 END WHERE id IN (3, 4);
SELECT is((SELECT amt FROM public.tap_rel WHERE id = 4), 15000.00,
          'one UPDATE lowering a stay 15,000 -> 5,000 and raising another 5,000 -> 15,000 gives 15,000 (was 5,000)');
SELECT is((SELECT sum(amt) FROM public.tap_rel WHERE person = 'd'), 20000.00, 'd has 20,000.00');
INSERT INTO public.tap_rel VALUES (5, 'e', '2026-03-01', 15000);
MERGE INTO public.tap_rel t
USING (VALUES (5, 'e', date '2026-03-01', 0::numeric, true), (6, 'e', date '2026-03-02', 15000.01, false)) s(id, person, d, amt, gone)
   ON t.id = s.id
 WHEN MATCHED AND s.gone THEN DELETE
 WHEN NOT MATCHED THEN INSERT VALUES (s.id, s.person, s.d, s.amt);
SELECT is((SELECT amt FROM public.tap_rel WHERE id = 6), 15000.01,
          'a MERGE replacing a stay of 15,000 by one of 15,000.01 gives 15,000.01 (was 5,000)');
-- what a statement gives back is still not more than it took: 20,000.01 in
-- all after the swap is cut
INSERT INTO public.tap_rel VALUES (7, 'f', '2026-03-01', 10000);
WITH gone AS (DELETE FROM public.tap_rel WHERE id = 7 RETURNING person, d)
INSERT INTO public.tap_rel SELECT 8, person, d, 20000.01 FROM gone;
SELECT is((SELECT amt FROM public.tap_rel WHERE id = 8), 20000.00, 'after giving back 10,000, a row of 20,000.01 is cut to 20,000.00');

-- 4. a delete that another trigger skips gives nothing back
CREATE FUNCTION pg_temp.tap_rel_keep() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RETURN NULL;    -- the row stays
END $$;
CREATE TABLE public.tap_rel_k (id integer PRIMARY KEY, person text NOT NULL, d date NOT NULL, amt numeric(12,2) NOT NULL);
SELECT bangfu.attach_limit('public.tap_rel_k', 'charity_bed_yearly', '{person}', 'amt', 'd', 'reject');
CREATE TRIGGER zzz_keep BEFORE DELETE ON public.tap_rel_k FOR EACH ROW EXECUTE FUNCTION pg_temp.tap_rel_keep();
INSERT INTO public.tap_rel_k VALUES (1, 'g', '2026-03-01', 15000);
SELECT throws_ok($$WITH gone AS (DELETE FROM public.tap_rel_k WHERE id = 1 RETURNING person, d)
                   INSERT INTO public.tap_rel_k VALUES (2, 'g', '2026-03-02', 15000)$$, '23514', NULL,
    'a delete skipped by another trigger gives nothing back: 15,000 more is refused');
SELECT is((SELECT sum(amt) FROM public.tap_rel_k), 15000.00, 'the kept stay alone');

-- the books are the rows
SELECT is((SELECT used FROM bangfu.usage_report WHERE tab = 'public.tap_rel'::regclass AND subject = 'e' AND period = 2026),
          15000.01, 'the ledger holds e''s 15,000.01');
SELECT is((SELECT used FROM bangfu.usage_report WHERE tab = 'public.tap_rel_ward'::regclass AND subject = 'a' AND period = 2026),
          20000.00, 'the ledger holds a''s 20,000.00 once');
SELECT is_empty($$SELECT * FROM bangfu.limit_check()$$, 'limit_check(): the books are the rows');

SELECT * FROM finish();
ROLLBACK;
