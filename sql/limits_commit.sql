-- What the limit engine refuses at commit, and the partition and
-- inheritance shapes it cannot guard (doc/limits.md).  These need whole
-- transactions (COMMIT, savepoints), which a pgTAP file cannot show.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS bangfu;
RESET client_min_messages;
\set VERBOSITY terse

-- 1. Rows booked by a statement that never reached the limit's statement
-- trigger (here its row triggers made by hand, without the flush) are not
-- committed unbooked.  A rollback to a savepoint after them used to skip
-- the check at commit: the rows committed, and the ledger never heard of
-- them (15,000 under a 20,000 cap of 四(1), twice).
CREATE TABLE lc_hand (pid text NOT NULL, d date NOT NULL, amt numeric(12,2) NOT NULL);
CREATE TRIGGER zz_bangfu_charity_bed_yearly BEFORE INSERT OR UPDATE OR DELETE ON lc_hand
    FOR EACH ROW EXECUTE FUNCTION bangfu.limit_guard('charity_bed_yearly', 'reject', 'amt', 'd', 'pid');
CREATE TRIGGER zz_bangfu_charity_bed_yearly_after AFTER INSERT OR UPDATE OR DELETE ON lc_hand
    FOR EACH ROW EXECUTE FUNCTION bangfu.limit_guard('charity_bed_yearly', 'reject', 'amt', 'd', 'pid');
INSERT INTO lc_hand VALUES ('A', '2026-03-01', 15000);
BEGIN;
INSERT INTO lc_hand VALUES ('A', '2026-03-01', 15000);
SAVEPOINT s;
SELECT 1 / 0;
ROLLBACK TO s;
COMMIT;
BEGIN;
INSERT INTO lc_hand VALUES ('A', '2026-04-01', 15000);
SAVEPOINT s;
ROLLBACK TO s;
COMMIT;
SELECT count(*) AS committed_rows FROM lc_hand;   -- 0
DROP TABLE lc_hand;

-- 2. A limit on a partition: rows written through the partitioned table
-- would fire the partition's row triggers but not its statement trigger.
CREATE TABLE lc_part (pid text NOT NULL, d date NOT NULL, amt numeric(12,2) NOT NULL) PARTITION BY RANGE (d);
CREATE TABLE lc_part_26 PARTITION OF lc_part FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');
SELECT bangfu.attach_limit('lc_part_26', 'charity_bed_yearly', '{pid}', 'amt', 'd', 'reject');

-- 3. A guarded table made a partition of another (ATTACH PARTITION), at the
-- top or one level down: refused; after detaching the limit it goes in,
-- and the limit then goes on the partitioned table.
CREATE TABLE lc_year (pid text NOT NULL, d date NOT NULL, amt numeric(12,2) NOT NULL) PARTITION BY LIST (pid);
CREATE TABLE lc_year_a PARTITION OF lc_year DEFAULT;
SELECT bangfu.attach_limit('lc_year', 'charity_bed_yearly', '{pid}', 'amt', 'd', 'reject');
INSERT INTO lc_year VALUES ('A', '2027-03-01', 15000);
ALTER TABLE lc_part ATTACH PARTITION lc_year FOR VALUES FROM ('2027-01-01') TO ('2028-01-01');
CREATE TABLE lc_mid (pid text NOT NULL, d date NOT NULL, amt numeric(12,2) NOT NULL) PARTITION BY LIST (pid);
ALTER TABLE lc_part ATTACH PARTITION lc_mid FOR VALUES FROM ('2028-01-01') TO ('2029-01-01');
CREATE TABLE lc_guarded (pid text NOT NULL, d date NOT NULL, amt numeric(12,2) NOT NULL);
SELECT bangfu.attach_limit('lc_guarded', 'charity_bed_yearly', '{pid}', 'amt', 'd', 'reject');
ALTER TABLE lc_mid ATTACH PARTITION lc_guarded FOR VALUES IN ('C');
DROP TABLE lc_guarded;
SELECT bangfu.detach_limit('lc_year', 'charity_bed_yearly');
ALTER TABLE lc_part ATTACH PARTITION lc_year FOR VALUES FROM ('2027-01-01') TO ('2028-01-01');
SELECT bangfu.attach_limit('lc_part', 'charity_bed_yearly', '{pid}', 'amt', 'd', 'reject');
SELECT subject, period, used FROM bangfu.usage_report WHERE tab = 'lc_part'::regclass ORDER BY 1, 2;  -- A 2027 15000.00

-- 4. One level down in a guarded tree (lc_part > lc_mid > lc_mid_a): a
-- DETACH there releases the partition's rows, and an ATTACH there counts
-- them again, refusing rows that break the cap.  Before, neither was
-- counted: the rows stayed in the books after the detach, and rows written
-- into the detached table meanwhile came back unbooked.
CREATE TABLE lc_mid_a (pid text NOT NULL, d date NOT NULL, amt numeric(12,2) NOT NULL);
ALTER TABLE lc_mid ATTACH PARTITION lc_mid_a FOR VALUES IN ('B');
INSERT INTO lc_part VALUES ('B', '2028-02-01', 15000);
ALTER TABLE lc_mid DETACH PARTITION lc_mid_a;
SELECT subject, period, used FROM bangfu.usage_report WHERE tab = 'lc_part'::regclass ORDER BY 1, 2;  -- B 2028 0.00
INSERT INTO lc_mid_a VALUES ('B', '2028-03-01', 15000);   -- not guarded while detached
ALTER TABLE lc_mid ATTACH PARTITION lc_mid_a FOR VALUES IN ('B');   -- 30,000 > 20,000: refused (23514)
DELETE FROM lc_mid_a WHERE d = '2028-03-01';
INSERT INTO lc_mid_a VALUES ('B', '2028-03-01', 5000);
ALTER TABLE lc_mid ATTACH PARTITION lc_mid_a FOR VALUES IN ('B');   -- 20,000: counted
SELECT subject, period, used FROM bangfu.usage_report WHERE tab = 'lc_part'::regclass ORDER BY 1, 2;  -- B 2028 20000.00
INSERT INTO lc_part VALUES ('B', '2028-04-01', 0.01);   -- one fen over: refused

-- 5. DROP TABLE of a partition takes its rows out of its partitioned
-- table's books (before, they stayed there and refused what was owed).
DROP TABLE lc_mid_a;
SELECT subject, period, used FROM bangfu.usage_report WHERE tab = 'lc_part'::regclass ORDER BY 1, 2;  -- B 2028 0.00
DROP TABLE lc_year;
SELECT subject, period, used FROM bangfu.usage_report WHERE tab = 'lc_part'::regclass ORDER BY 1, 2;  -- A 2027 0.00
SELECT count(*) AS limit_check FROM bangfu.limit_check();

-- 6. Plain inheritance: a child's rows are read with the table's, but no
-- trigger of the table fires for them.  Refused both ways.
CREATE TABLE lc_inh (pid text NOT NULL, d date NOT NULL, amt numeric(12,2) NOT NULL);
SELECT bangfu.attach_limit('lc_inh', 'charity_bed_yearly', '{pid}', 'amt', 'd', 'reject');
CREATE TABLE lc_inh_child () INHERITS (lc_inh);
CREATE TABLE lc_inh_other (pid text NOT NULL, d date NOT NULL, amt numeric(12,2) NOT NULL);
ALTER TABLE lc_inh_other INHERIT lc_inh;
SELECT bangfu.detach_limit('lc_inh', 'charity_bed_yearly');
ALTER TABLE lc_inh_other INHERIT lc_inh;
SELECT bangfu.attach_limit('lc_inh', 'charity_bed_yearly', '{pid}', 'amt', 'd', 'reject');

DROP TABLE lc_part, lc_inh, lc_inh_other;
SELECT count(*) AS limit_check FROM bangfu.limit_check();
