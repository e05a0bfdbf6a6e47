-- pgTAP: INSERT ... ON CONFLICT into a guarded table (四(1), cap 20,000 a
-- person-year).  PostgreSQL fires a row's BEFORE INSERT triggers before it
-- looks for a conflicting row.  The limit held what such a row asked for
-- until the statement ended, although the row was then skipped (DO
-- NOTHING) or became an update of the row it met (DO UPDATE): an upsert
-- raising a stay from 10,000 to 12,000 was cut back to 10,000 (clamp) or
-- refused (reject), and re-running an import with one new stay among the
-- old ones gave the new stay nothing.  Every figure below is worked by
-- hand against the cap of 20,000.00, with one fen either side of it.
BEGIN;
SELECT plan(25);

SET LOCAL search_path = public, bangfu;

CREATE TABLE public.tap_oc (id integer PRIMARY KEY, person text NOT NULL, d date NOT NULL, amt numeric(12,2) NOT NULL);
CREATE TABLE public.tap_oc_r (LIKE public.tap_oc INCLUDING ALL);
SELECT bangfu.attach_limit('public.tap_oc', 'charity_bed_yearly', '{person}', 'amt', 'd', 'clamp');
SELECT bangfu.attach_limit('public.tap_oc_r', 'charity_bed_yearly', '{person}', 'amt', 'd', 'reject');

-- 1. the upsert: 10,000 corrected to 12,000 (12,000 <= 20,000)
INSERT INTO public.tap_oc VALUES (1, 'a', '2026-03-01', 10000);
INSERT INTO public.tap_oc VALUES (1, 'a', '2026-03-01', 12000) ON CONFLICT (id) DO UPDATE SET amt = excluded.amt;
SELECT is((SELECT amt FROM public.tap_oc WHERE id = 1), 12000.00, 'clamp: an upsert from 10,000 to 12,000 gives 12,000 (was cut back to 10,000)');
INSERT INTO public.tap_oc_r VALUES (1, 'a', '2026-03-01', 10000);
SELECT lives_ok($$INSERT INTO public.tap_oc_r VALUES (1, 'a', '2026-03-01', 12000) ON CONFLICT (id) DO UPDATE SET amt = excluded.amt$$,
    'reject: the same upsert goes through (was refused: 12,000 asked, 10,000 left)');
SELECT is((SELECT amt FROM public.tap_oc_r WHERE id = 1), 12000.00, 'reject: and the stay holds 12,000');

-- 2. over half the cap: 1,000 corrected to 15,000 (the never-inserted row's
-- 15,000 and the row's 1,000 left 4,000 for the update's 14,000)
INSERT INTO public.tap_oc VALUES (2, 'b', '2026-03-01', 1000);
INSERT INTO public.tap_oc VALUES (2, 'b', '2026-03-01', 15000) ON CONFLICT (id) DO UPDATE SET amt = excluded.amt;
SELECT is((SELECT amt FROM public.tap_oc WHERE id = 2), 15000.00, 'clamp: 1,000 to 15,000 gives 15,000 (was 5,000)');
INSERT INTO public.tap_oc_r VALUES (2, 'b', '2026-03-01', 1000);
SELECT lives_ok($$INSERT INTO public.tap_oc_r VALUES (2, 'b', '2026-03-01', 15000) ON CONFLICT (id) DO UPDATE SET amt = excluded.amt$$,
    'reject: 1,000 to 15,000 goes through');

-- 3. the cap itself, by upsert: 20,000.00 fits, 20,000.01 does not
INSERT INTO public.tap_oc VALUES (3, 'c', '2026-03-01', 5000);
INSERT INTO public.tap_oc VALUES (3, 'c', '2026-03-01', 20000.01) ON CONFLICT (id) DO UPDATE SET amt = excluded.amt;
SELECT is((SELECT amt FROM public.tap_oc WHERE id = 3), 20000.00, 'clamp: an upsert to 20,000.01 is cut to the cap, 20,000.00');
INSERT INTO public.tap_oc_r VALUES (3, 'c', '2026-03-01', 5000);
SELECT lives_ok($$INSERT INTO public.tap_oc_r VALUES (3, 'c', '2026-03-01', 20000.00) ON CONFLICT (id) DO UPDATE SET amt = excluded.amt$$,
    'reject: an upsert to 20,000.00 goes through');
SELECT throws_ok($$INSERT INTO public.tap_oc_r VALUES (3, 'c', '2026-03-01', 20000.01) ON CONFLICT (id) DO UPDATE SET amt = excluded.amt$$,
    '23514', NULL, 'reject: an upsert to 20,000.01 is refused');
SELECT is((SELECT amt FROM public.tap_oc_r WHERE id = 3), 20000.00, 'reject: the stay keeps 20,000.00');

-- 4. an import run again (DO NOTHING): d has 10,000 and 5,000; the run
-- brings both again and one new stay of 5,000 (total 20,000)
INSERT INTO public.tap_oc VALUES (10, 'd', '2026-03-01', 10000), (11, 'd', '2026-04-01', 5000);
INSERT INTO public.tap_oc VALUES (10, 'd', '2026-03-01', 10000), (11, 'd', '2026-04-01', 5000), (12, 'd', '2026-05-01', 5000)
    ON CONFLICT DO NOTHING;
SELECT is((SELECT amt FROM public.tap_oc WHERE id = 12), 5000.00, 'clamp: the new stay among the old ones gets its 5,000 (was 0.00)');
SELECT is((SELECT sum(amt) FROM public.tap_oc WHERE person = 'd'), 20000.00, 'clamp: d has 20,000.00, the old stays unchanged');
INSERT INTO public.tap_oc_r VALUES (10, 'd', '2026-03-01', 10000), (11, 'd', '2026-04-01', 5000);
SELECT lives_ok($$INSERT INTO public.tap_oc_r VALUES (10, 'd', '2026-03-01', 10000), (11, 'd', '2026-04-01', 5000), (12, 'd', '2026-05-01', 5000)
                  ON CONFLICT DO NOTHING$$,
    'reject: the run again goes through (was refused at the first old stay)');
SELECT is((SELECT count(*) FROM public.tap_oc_r WHERE person = 'd'), 3::bigint, 'reject: d has its three stays');
-- one fen more in the new stay: over the cap
INSERT INTO public.tap_oc VALUES (20, 'e', '2026-03-01', 10000), (21, 'e', '2026-04-01', 5000);
INSERT INTO public.tap_oc VALUES (20, 'e', '2026-03-01', 10000), (21, 'e', '2026-04-01', 5000), (22, 'e', '2026-05-01', 5000.01)
    ON CONFLICT DO NOTHING;
SELECT is((SELECT amt FROM public.tap_oc WHERE id = 22), 5000.00, 'clamp: a new stay of 5,000.01 is cut to the 5,000.00 left');
INSERT INTO public.tap_oc_r VALUES (20, 'e', '2026-03-01', 10000), (21, 'e', '2026-04-01', 5000);
SELECT throws_ok($$INSERT INTO public.tap_oc_r VALUES (20, 'e', '2026-03-01', 10000), (21, 'e', '2026-04-01', 5000), (22, 'e', '2026-05-01', 5000.01)
                   ON CONFLICT DO NOTHING$$,
    '23514', NULL, 'reject: a new stay of 5,000.01 is refused');

-- 5. a plain duplicate is refused by its key, not by the limit
SELECT throws_ok($$INSERT INTO public.tap_oc_r VALUES (1, 'a', '2026-03-01', 19000)$$, '23505', NULL,
    'a duplicate over the cap: the unique violation, not the limit (23505)');

-- 6. a partitioned table: the upsert lands on the partition's unique index
CREATE TABLE public.tap_oc_p (id integer, person text NOT NULL, d date NOT NULL, amt numeric(12,2) NOT NULL,
                              PRIMARY KEY (id, d)) PARTITION BY RANGE (d);
CREATE TABLE public.tap_oc_p26 PARTITION OF public.tap_oc_p FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');
SELECT bangfu.attach_limit('public.tap_oc_p', 'charity_bed_yearly', '{person}', 'amt', 'd', 'reject');
INSERT INTO public.tap_oc_p VALUES (1, 'f', '2026-03-01', 10000);
SELECT lives_ok($$INSERT INTO public.tap_oc_p VALUES (1, 'f', '2026-03-01', 12000) ON CONFLICT (id, d) DO UPDATE SET amt = excluded.amt$$,
    'partitioned, reject: 10,000 to 12,000 goes through');
SELECT is((SELECT amt FROM public.tap_oc_p WHERE id = 1), 12000.00, 'partitioned: the stay holds 12,000');
SELECT throws_ok($$INSERT INTO public.tap_oc_p VALUES (1, 'f', '2026-03-01', 20000.01) ON CONFLICT (id, d) DO UPDATE SET amt = excluded.amt$$,
    '23514', NULL, 'partitioned: 20,000.01 is refused');

-- 7. a skipped row holds nothing past its statement (before: until the
-- transaction ended), and NULLS NOT DISTINCT keys are looked at
CREATE TABLE public.tap_oc_part (id integer, person text NOT NULL, d date NOT NULL, amt numeric(12,2) NOT NULL);
CREATE UNIQUE INDEX ON public.tap_oc_part (id) WHERE id > 0;
SELECT bangfu.attach_limit('public.tap_oc_part', 'charity_bed_yearly', '{person}', 'amt', 'd', 'clamp');
INSERT INTO public.tap_oc_part VALUES (1, 'g', '2026-03-01', 5000);
INSERT INTO public.tap_oc_part VALUES (1, 'g', '2026-03-01', 15000) ON CONFLICT (id) WHERE id > 0 DO NOTHING;
INSERT INTO public.tap_oc_part VALUES (2, 'g', '2026-03-02', 10000);
SELECT is((SELECT amt FROM public.tap_oc_part WHERE id = 2), 10000.00,
          'a row skipped on a partial index holds nothing in the next statement: 10,000 of the 15,000 left (was 0.00)');
CREATE TABLE public.tap_oc_nnd (ref text, person text NOT NULL, d date NOT NULL, amt numeric(12,2) NOT NULL);
CREATE UNIQUE INDEX ON public.tap_oc_nnd (ref) NULLS NOT DISTINCT;
SELECT bangfu.attach_limit('public.tap_oc_nnd', 'charity_bed_yearly', '{person}', 'amt', 'd', 'reject');
INSERT INTO public.tap_oc_nnd VALUES (NULL, 'h', '2026-03-01', 5000);
SELECT lives_ok($$INSERT INTO public.tap_oc_nnd VALUES (NULL, 'h', '2026-03-01', 15000.01), ('x', 'h', '2026-03-02', 15000)
                  ON CONFLICT DO NOTHING$$,
    'NULLS NOT DISTINCT: a NULL key that conflicts is skipped, not refused, and the new row gets its 15,000');
SELECT is((SELECT sum(amt) FROM public.tap_oc_nnd WHERE person = 'h'), 20000.00, 'h has 20,000.00');

-- the books are the rows
SELECT is((SELECT used FROM bangfu.usage_report WHERE tab = 'public.tap_oc'::regclass AND subject = 'a' AND period = 2026),
          12000.00, 'the ledger holds a''s 12,000');
SELECT is((SELECT used FROM bangfu.usage_report WHERE tab = 'public.tap_oc'::regclass AND subject = 'd' AND period = 2026),
          20000.00, 'the ledger holds d''s 20,000');
SELECT is_empty($$SELECT * FROM bangfu.limit_check()$$, 'limit_check(): the books are the rows');

SELECT * FROM finish();
ROLLBACK;
