-- pgTAP: ALTER TABLE of a guarded table (四(1), 五, 二) keeps its limit
-- readable.  A limit's triggers name the columns they read (the amount, the
-- date, the subjects: bangfu.limit_attachment).  Renamed, dropped or given
-- a type the limit cannot read, every later write to the table failed
-- (42703 "no amount column", in every new session) and limit_check() failed
-- for every table with it; the ALTER itself went through.  Now the ALTER is
-- refused (2BP01), naming the limit and how to change the column.  So is
-- making a guarded table unlogged (55000), and an ALTER that rewrites its
-- rows counts its books again.
BEGIN;
SELECT plan(57);

SET LOCAL search_path = public, bangfu;

CREATE TABLE public.tap_ddl_stay (id serial PRIMARY KEY, person text NOT NULL,
                                  amount numeric(12,2) NOT NULL, d date NOT NULL, note text);
SELECT bangfu.attach_limit('public.tap_ddl_stay', 'charity_bed_yearly', '{person}', 'amount', 'd', 'reject');
INSERT INTO public.tap_ddl_stay (person, amount, d) VALUES ('p', 15000, '2026-03-01');

-- the columns the limit reads: refused
SELECT throws_ok($$ALTER TABLE public.tap_ddl_stay RENAME COLUMN amount TO reduction$$, '2BP01',
    'ALTER TABLE public.tap_ddl_stay would break limit "charity_bed_yearly": it reads column "amount" as its amount (numeric)',
    '四(1) renaming the amount column is refused');
SELECT throws_ok($$ALTER TABLE public.tap_ddl_stay RENAME COLUMN person TO who$$, '2BP01',
    'ALTER TABLE public.tap_ddl_stay would break limit "charity_bed_yearly": it reads column "person" as its subject',
    '四(1) renaming the subject column is refused');
SELECT throws_ok($$ALTER TABLE public.tap_ddl_stay DROP COLUMN d$$, '2BP01',
    'ALTER TABLE public.tap_ddl_stay would break limit "charity_bed_yearly": it reads column "d" as its date (date)',
    '四(1) dropping the date column is refused');
SELECT throws_ok($$ALTER TABLE public.tap_ddl_stay ALTER COLUMN amount TYPE bigint USING amount::bigint$$, '2BP01',
    'ALTER TABLE public.tap_ddl_stay would break limit "charity_bed_yearly": it reads column "amount" as its amount (numeric)',
    '四(1) an amount column of another type is refused');
SELECT throws_ok($$ALTER TABLE public.tap_ddl_stay ALTER COLUMN d TYPE timestamp$$, '2BP01', NULL,
    '四(1) a date column of another type is refused');
SELECT throws_ok($$ALTER TABLE public.tap_ddl_stay DROP COLUMN person CASCADE$$, '2BP01', NULL,
    '四(1) CASCADE does not drop the subject column either');
SELECT is((SELECT array_agg(attname::text ORDER BY attnum) FROM pg_attribute
            WHERE attrelid = 'public.tap_ddl_stay'::regclass AND attnum > 0 AND NOT attisdropped),
          ARRAY['id', 'person', 'amount', 'd', 'note'], 'the refused ALTERs changed nothing');

-- what the limit does not read, and changes it can still read: let through
SELECT lives_ok($$ALTER TABLE public.tap_ddl_stay ALTER COLUMN amount TYPE numeric(14,2)$$,
    'a wider numeric amount is let through');
SELECT lives_ok($$ALTER TABLE public.tap_ddl_stay RENAME COLUMN note TO remark$$, 'another column is renamed');
SELECT lives_ok($$ALTER TABLE public.tap_ddl_stay DROP COLUMN remark$$, 'another column is dropped');
SELECT lives_ok($$ALTER TABLE public.tap_ddl_stay RENAME TO tap_ddl_stays$$, 'the table is renamed');

-- the limit still holds, and the books agree
SELECT throws_ok($$INSERT INTO public.tap_ddl_stays (person, amount, d) VALUES ('p', 5000.01, '2026-04-01')$$, '23514', NULL,
    '四(1) after the ALTERs: 15,000 used, 5,000.01 is refused');
SELECT lives_ok($$INSERT INTO public.tap_ddl_stays (person, amount, d) VALUES ('p', 5000, '2026-04-01')$$,
    '四(1) after the ALTERs: the last 5,000 of 20,000 fits');
SELECT is_empty($$SELECT * FROM bangfu.limit_check()$$, 'limit_check() is empty');

-- the way to change a column the limit reads: detach, change, attach again
SELECT lives_ok($$SELECT bangfu.detach_limit('public.tap_ddl_stays', 'charity_bed_yearly')$$, 'detached');
SELECT lives_ok($$ALTER TABLE public.tap_ddl_stays RENAME COLUMN amount TO reduction$$, 'detached, the amount column is renamed');
SELECT lives_ok($$SELECT bangfu.attach_limit('public.tap_ddl_stays', 'charity_bed_yearly', '{person}', 'reduction', 'd', 'reject')$$,
    'attached again with the new name');
SELECT is(bangfu.limit_used('charity_bed_yearly', 'p', '2026-06-30', 'public.tap_ddl_stays'), 20000.00,
    '四(1) attaching counted the 20,000 again');

-- an ALTER that rewrites the rows (USING) writes them without the limit's
-- triggers: the books are counted again, and rows that break it refused
SELECT throws_ok($$ALTER TABLE public.tap_ddl_stays ALTER COLUMN reduction TYPE numeric(14,2) USING reduction * 2$$,
    '23514', NULL, '四(1) rewritten to 40,000 for one person-year: refused');
SELECT lives_ok($$ALTER TABLE public.tap_ddl_stays ALTER COLUMN reduction TYPE numeric(14,2) USING reduction / 2$$,
    '四(1) rewritten to half');
SELECT is(bangfu.limit_used('charity_bed_yearly', 'p', '2026-06-30', 'public.tap_ddl_stays'), 10000.00,
    '四(1) the books hold the rows as rewritten: 10,000');
SELECT is_empty($$SELECT * FROM bangfu.limit_check()$$, 'limit_check() is empty after the rewrite');

-- a count limit (五, months): any integer type is read; numeric is not
CREATE TABLE public.tap_ddl_months (id serial PRIMARY KEY, person text NOT NULL, months integer NOT NULL);
SELECT bangfu.attach_limit('public.tap_ddl_months', 'pension_months', '{person}', 'months', NULL, 'reject');
SELECT lives_ok($$ALTER TABLE public.tap_ddl_months ALTER COLUMN months TYPE bigint$$, '五 integer months to bigint: let through');
SELECT throws_ok($$ALTER TABLE public.tap_ddl_months ALTER COLUMN months TYPE numeric$$, '2BP01',
    'ALTER TABLE public.tap_ddl_months would break limit "pension_months": it reads column "months" as its amount (an integer)',
    '五 months as numeric: refused');

-- a trigger switched off by its owner: the attachment says so (enabled)
SELECT is((SELECT enabled FROM bangfu.limit_attachment WHERE tab = 'public.tap_ddl_months'::regclass), true,
    '五 attached: enabled');
ALTER TABLE public.tap_ddl_months DISABLE TRIGGER zz_bangfu_pension_months;
SELECT is((SELECT enabled FROM bangfu.limit_attachment WHERE tab = 'public.tap_ddl_months'::regclass), false,
    '五 its BEFORE trigger disabled: not enabled');
ALTER TABLE public.tap_ddl_months ENABLE TRIGGER zz_bangfu_pension_months;
ALTER TABLE public.tap_ddl_months ENABLE REPLICA TRIGGER zz_bangfu_pension_months_after;
SELECT is((SELECT enabled FROM bangfu.limit_attachment WHERE tab = 'public.tap_ddl_months'::regclass), false,
    '五 its AFTER trigger firing only for replication: not enabled');
ALTER TABLE public.tap_ddl_months ENABLE TRIGGER zz_bangfu_pension_months_after;
SELECT is((SELECT enabled FROM bangfu.limit_attachment WHERE tab = 'public.tap_ddl_months'::regclass), true,
    '五 enabled again');

-- a partitioned table: its attachment is on the parent
CREATE TABLE public.tap_ddl_part (person text NOT NULL, amount numeric(12,2) NOT NULL, d date NOT NULL)
    PARTITION BY RANGE (d);
CREATE TABLE public.tap_ddl_part_26 PARTITION OF public.tap_ddl_part FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');
SELECT bangfu.attach_limit('public.tap_ddl_part', 'charity_bed_yearly', '{person}', 'amount', 'd', 'reject');
SELECT throws_ok($$ALTER TABLE public.tap_ddl_part RENAME COLUMN amount TO reduction$$, '2BP01', NULL,
    '四(1) renaming the amount column of a guarded partitioned table is refused');
INSERT INTO public.tap_ddl_part VALUES ('q', 15000, '2026-05-01');
SELECT throws_ok($$ALTER TABLE public.tap_ddl_part ALTER COLUMN amount TYPE numeric(14,2) USING amount * 2$$,
    '23514', NULL, '四(1) a partition rewritten to 30,000 under its partitioned table: refused');

-- unlogged: emptied by a crash and not on standbys, while the ledger keeps
-- what its rows used (after a failover the books would count rows that are
-- gone): a limit does not guard one, and a guarded table does not become one
CREATE UNLOGGED TABLE public.tap_ddl_unlogged (person text NOT NULL, amount numeric(12,2) NOT NULL, d date NOT NULL);
SELECT throws_ok($$SELECT bangfu.attach_limit('public.tap_ddl_unlogged', 'charity_bed_yearly', '{person}', 'amount', 'd', 'reject')$$,
    '55000', 'table public.tap_ddl_unlogged is unlogged: limit "charity_bed_yearly" cannot guard it',
    'an unlogged table cannot be guarded');
SELECT throws_ok($$ALTER TABLE public.tap_ddl_stays SET UNLOGGED$$, '55000',
    'table public.tap_ddl_stays cannot be unlogged: limit "charity_bed_yearly" guards it',
    'a guarded table cannot be made unlogged');
SELECT throws_ok($$CREATE UNLOGGED TABLE public.tap_ddl_part_27 PARTITION OF public.tap_ddl_part FOR VALUES FROM ('2027-01-01') TO ('2028-01-01')$$,
    '55000', NULL, 'an unlogged partition of a guarded table is refused');
SELECT is((SELECT relpersistence::text FROM pg_class WHERE oid = 'public.tap_ddl_stays'::regclass), 'p',
    'the guarded table stayed logged');

-- 二, a row limit reads no amount: only its subject and date are held
CREATE TABLE public.tap_ddl_grant (id serial PRIMARY KEY, household integer NOT NULL, granted date NOT NULL,
                                   amount numeric(12,2));
SELECT bangfu.attach_limit('public.tap_ddl_grant', 'relief_yearly', '{household}', NULL, 'granted', 'reject');
SELECT lives_ok($$ALTER TABLE public.tap_ddl_grant DROP COLUMN amount$$, '二 a row limit: dropping a column it does not read is let through');

-- a limit's triggers are found by name: ALTER TRIGGER on them is refused
-- (before, a renamed one left the limit neither detachable nor attachable)
SELECT throws_ok($$ALTER TRIGGER zz_bangfu_relief_yearly ON public.tap_ddl_grant RENAME TO mine$$, '55000', NULL,
    '二 renaming a limit''s BEFORE trigger is refused');
SELECT throws_ok($$ALTER TRIGGER zz_bangfu_relief_yearly_after ON public.tap_ddl_grant RENAME TO mine$$, '55000', NULL,
    '二 renaming a limit''s AFTER trigger is refused');
SELECT throws_ok($$ALTER TRIGGER zz_bangfu_relief_yearly_flush ON public.tap_ddl_grant RENAME TO mine$$, '55000', NULL,
    '二 renaming a limit''s statement trigger is refused');
SELECT throws_ok($$ALTER TRIGGER zz_bangfu_no_truncate ON public.tap_ddl_grant RENAME TO mine$$, '55000', NULL,
    'renaming the TRUNCATE guard is refused');
SELECT throws_ok($$ALTER TRIGGER zz_bangfu_relief_yearly ON public.tap_ddl_grant DEPENDS ON EXTENSION plpgsql$$, '55000', NULL,
    '二 tying a limit''s trigger to another extension (dropped with it) is refused');
SELECT throws_ok($$ALTER TRIGGER zz_bangfu_charity_bed_yearly_flush ON public.tap_ddl_part_26 RENAME TO mine$$, '55000', NULL,
    '四(1) a partition''s statement trigger is not renamed either');
SELECT throws_ok($$ALTER TRIGGER zz_bangfu_charity_bed_yearly ON public.tap_ddl_part RENAME TO mine$$, '55000', NULL,
    '四(1) nor a partitioned table''s BEFORE trigger (with its partitions'' clones)');
CREATE TRIGGER tap_ddl_own_trigger BEFORE UPDATE ON public.tap_ddl_grant
    FOR EACH ROW EXECUTE FUNCTION suppress_redundant_updates_trigger();
SELECT lives_ok($$ALTER TRIGGER tap_ddl_own_trigger ON public.tap_ddl_grant RENAME TO tap_ddl_own_trigger2$$,
    'the table''s own triggers are renamed as before');
SELECT is((SELECT array_agg(tgname::text ORDER BY tgname) FROM pg_trigger
            WHERE tgrelid = 'public.tap_ddl_grant'::regclass AND tgname LIKE 'zz_bangfu_%'),
          ARRAY['zz_bangfu_no_truncate', 'zz_bangfu_relief_yearly', 'zz_bangfu_relief_yearly_after',
                'zz_bangfu_relief_yearly_flush'],
          '二 the limit''s triggers keep their names');
SELECT lives_ok($$SELECT bangfu.detach_limit('public.tap_ddl_grant', 'relief_yearly')$$,
    '二 so the limit is detached as usual');

-- a table owner with no other rights: the guard reads only what PUBLIC may
CREATE ROLE regress_bangfu_tap_ddl_owner;
GRANT CREATE ON SCHEMA public TO regress_bangfu_tap_ddl_owner;
SET LOCAL ROLE regress_bangfu_tap_ddl_owner;
CREATE TABLE public.tap_ddl_own (id serial PRIMARY KEY, person text NOT NULL, amount numeric(12,2) NOT NULL,
                                 d date NOT NULL, note text);
SELECT lives_ok($$SELECT bangfu.attach_limit('public.tap_ddl_own', 'charity_bed_yearly', '{person}', 'amount', 'd', 'reject')$$,
    'a plain owner attaches 四(1)');
SELECT lives_ok($$ALTER TABLE public.tap_ddl_own RENAME COLUMN note TO remark$$,
    'a plain owner renames a column the limit does not read');
SELECT throws_ok($$ALTER TABLE public.tap_ddl_own RENAME COLUMN amount TO reduction$$, '2BP01', NULL,
    'a plain owner renaming the amount column is refused');
SELECT throws_ok($$ALTER TRIGGER zz_bangfu_charity_bed_yearly ON public.tap_ddl_own RENAME TO mine$$, '55000', NULL,
    'a plain owner renaming the limit''s trigger is refused');
-- a stranger's DROP of a table whose trigger has a limit's name does not
-- lock and count again the county's guarded partitioned tables (the
-- recount after a partition is dropped runs as the DROP's role, for tables
-- it owns)
RESET ROLE;
CREATE TEMP TABLE tap_ddl_scans AS
SELECT seq_scan FROM pg_stat_xact_user_tables WHERE relid = 'public.tap_ddl_part_26'::regclass;
SET LOCAL ROLE regress_bangfu_tap_ddl_owner;
CREATE TABLE public.tap_ddl_decoy (a integer);
CREATE TRIGGER zz_bangfu_charity_bed_yearly BEFORE UPDATE ON public.tap_ddl_decoy
    FOR EACH ROW EXECUTE FUNCTION suppress_redundant_updates_trigger();
SELECT lives_ok($$DROP TABLE public.tap_ddl_decoy$$, 'a plain owner drops its table with a trigger named like a limit''s');
RESET ROLE;
SELECT is((SELECT seq_scan FROM pg_stat_xact_user_tables WHERE relid = 'public.tap_ddl_part_26'::regclass),
          (SELECT seq_scan FROM tap_ddl_scans),
          'the county''s guarded partitioned table was not read (nor locked) for it');
SET LOCAL ROLE regress_bangfu_tap_ddl_owner;
RESET ROLE;

-- a superuser's DROP of a partition of its own table does not count a
-- stranger's guarded partitioned table, which could hold the DROP up or,
-- holding a row its limit cannot count, make it fail
SET LOCAL ROLE regress_bangfu_tap_ddl_owner;
CREATE TABLE public.tap_ddl_trap (person text, amount numeric(12,2) NOT NULL, d date NOT NULL) PARTITION BY RANGE (d);
CREATE TABLE public.tap_ddl_trap_26 PARTITION OF public.tap_ddl_trap FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');
SELECT bangfu.attach_limit('public.tap_ddl_trap', 'charity_bed_yearly', '{person}', 'amount', 'd', 'reject');
ALTER TABLE public.tap_ddl_trap DISABLE TRIGGER USER;
INSERT INTO public.tap_ddl_trap VALUES (NULL, 1, '2026-05-01');
RESET ROLE;
SELECT lives_ok($$DROP TABLE public.tap_ddl_part_26$$,
    'a superuser drops a partition of its own guarded table; a stranger''s table it cannot count is left alone');
SELECT is((SELECT coalesce(sum(used), 0) FROM bangfu.usage_report
            WHERE tab = 'public.tap_ddl_part'::regclass AND period = 2026),
          0::numeric, 'and its own table''s books for 2026 are counted again without the 2026 partition: 0');

-- a county that hides bangfu from some roles (REVOKE USAGE ON SCHEMA bangfu
-- FROM PUBLIC): their CREATE and ALTER TABLE never touch bangfu, so the
-- event triggers, which run for every role's DDL, must not need it either
REVOKE USAGE ON SCHEMA bangfu FROM PUBLIC;
CREATE ROLE regress_bangfu_tap_ddl_nobangfu;
GRANT CREATE ON SCHEMA public TO regress_bangfu_tap_ddl_nobangfu;
SET LOCAL ROLE regress_bangfu_tap_ddl_nobangfu;
SELECT lives_ok($$CREATE TABLE public.tap_ddl_plain (a integer, b numeric)$$,
    'a role without USAGE on schema bangfu creates a table');
SELECT lives_ok($$ALTER TABLE public.tap_ddl_plain ADD COLUMN c text$$,
    'a role without USAGE on schema bangfu alters its table');
SELECT lives_ok($$ALTER TABLE public.tap_ddl_plain ALTER COLUMN b TYPE numeric(10,2)$$,
    'a role without USAGE on schema bangfu rewrites its table');
CREATE TRIGGER tap_ddl_plain_trigger BEFORE UPDATE ON public.tap_ddl_plain
    FOR EACH ROW EXECUTE FUNCTION suppress_redundant_updates_trigger();
SELECT lives_ok($$ALTER TRIGGER tap_ddl_plain_trigger ON public.tap_ddl_plain RENAME TO tap_ddl_plain_trigger2$$,
    'a role without USAGE on schema bangfu renames its trigger');
RESET ROLE;
GRANT USAGE ON SCHEMA bangfu TO PUBLIC;

SELECT * FROM finish();
ROLLBACK;
