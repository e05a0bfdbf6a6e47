-- The dated policy store (十二 提高救助标准): every figure is a row of
-- bangfu.policy, versioned by the date it applies from; a new version is one
-- INSERT; shipped defaults cannot be changed; rules read the store once per
-- backend, not once per row.
SET client_min_messages = warning;  -- the extension may exist already
CREATE EXTENSION IF NOT EXISTS bangfu;
RESET client_min_messages;
SET DateStyle = 'ISO, YMD';

-- Run a statement, report its SQLSTATE and message instead of failing.
CREATE FUNCTION pg_temp.try(q text, OUT state text, OUT message text)
LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE q;
    state := '00000';
EXCEPTION WHEN OTHERS THEN
    GET STACKED DIAGNOSTICS state = RETURNED_SQLSTATE, message = MESSAGE_TEXT;
END
$$;

-- ---------------------------------------------------------------------------
-- 1. The shipped rows of 四 (spec section 4), in force from -infinity.
-- (Other clauses ship their own rows; they are tested with their rules.)
-- ---------------------------------------------------------------------------
SELECT param, valid_from, kind, value, clause
  FROM bangfu.policy_in_force('2024-06-01')
 WHERE param LIKE 'medical.%'
 ORDER BY param;
SELECT param, valid_from, shipped, note IS NOT NULL AS has_seed_wording
  FROM bangfu.policy WHERE param LIKE 'medical.%' ORDER BY param, valid_from;
-- Nothing but shipped rows is left behind by other tests.
SELECT count(*) AS user_rows FROM bangfu.policy WHERE NOT shipped;
-- STRICT: no date, no rows.
SELECT count(*) AS rows_for_null_date FROM bangfu.policy_in_force(NULL);

-- ---------------------------------------------------------------------------
-- 2. A new version is one INSERT.  It takes effect for dates on and after
-- valid_from only, at once in this session (the statement trigger drops the
-- session's cache), and goes away with DELETE.
-- 四(1) at 6000.01: flat 900.00 (spec); marginal 600 + 0.01 × 15% = 600.00.
-- ---------------------------------------------------------------------------
SELECT bangfu.medical_reduction(6000.01, '2090-06-01', 0) AS before_insert;          -- 900.00
INSERT INTO bangfu.policy (param, valid_from, tiers, note) VALUES
    ('medical.charity_bed', '2090-01-01',
     'marginal: [0,6000] 10%, (6000,12000] 15%, (12000,20000] 20%, (20000,) 25%; cap 15000',
     'regress: 分段计算 from 2090');
SELECT d, bangfu.medical_reduction(6000.01, d, 0) AS reduction, want,
       bangfu.medical_reduction(6000.01, d, 0)::text = want AS ok
  FROM (VALUES (date '2024-06-01', '900.00'), ('2089-12-31', '900.00'),
               ('2090-01-01', '600.00'), ('2090-06-01', '600.00'), ('infinity', '600.00'),
               ('-infinity', '900.00')) AS t(d, want);
SELECT d, valid_from, value
  FROM unnest(ARRAY['2089-12-31', '2090-01-01']::date[]) AS d,
       LATERAL bangfu.policy_in_force(d) AS p
 WHERE param = 'medical.charity_bed';
-- The recorder is kept.
SELECT recorded_by = current_user AS recorded_by_me, shipped
  FROM bangfu.policy WHERE param = 'medical.charity_bed' AND valid_from = '2090-01-01';
-- A user's version may be corrected and removed.
UPDATE bangfu.policy SET note = 'regress: corrected'
 WHERE param = 'medical.charity_bed' AND valid_from = '2090-01-01';
DELETE FROM bangfu.policy WHERE param = 'medical.charity_bed' AND valid_from = '2090-01-01';
SELECT bangfu.medical_reduction(6000.01, '2090-06-01', 0) AS after_delete;           -- 900.00
-- 十二 nothing is lost: the removed version is kept in the history (a
-- change of its note alone made no new version).
SELECT param, valid_from, note, superseded, superseded_by = current_user AS by_me, superseded_ack
  FROM bangfu.policy_superseded;
-- The next tests of this database drop and re-create bangfu, which the DROP
-- guard refuses while the history holds rows: the superuser, who alone may,
-- clears it.
DELETE FROM bangfu.policy_superseded;

-- The cache does not outlive a rolled-back version: not after ROLLBACK, not
-- after ROLLBACK TO SAVEPOINT, not after an exception block.
BEGIN;
INSERT INTO bangfu.policy (param, valid_from, tiers) VALUES
    ('medical.charity_bed', '2090-01-01', 'marginal: [0,6000] 10%, (6000,12000] 15%, (12000,20000] 20%, (20000,) 25%; cap 15000');
SELECT bangfu.medical_reduction(6000.01, '2090-06-01', 0) AS in_transaction;        -- 600.00
ROLLBACK;
SELECT bangfu.medical_reduction(6000.01, '2090-06-01', 0) AS after_rollback;        -- 900.00
BEGIN;
SELECT bangfu.medical_reduction(6000.01, '2090-06-01', 0) AS before_savepoint;      -- 900.00
SAVEPOINT s;
INSERT INTO bangfu.policy (param, valid_from, tiers) VALUES
    ('medical.charity_bed', '2090-01-01', 'marginal: [0,6000] 10%, (6000,12000] 15%, (12000,20000] 20%, (20000,) 25%; cap 15000');
SELECT bangfu.medical_reduction(6000.01, '2090-06-01', 0) AS in_savepoint;          -- 600.00
ROLLBACK TO SAVEPOINT s;
SELECT bangfu.medical_reduction(6000.01, '2090-06-01', 0) AS after_rollback_to;     -- 900.00
COMMIT;
DO $$
BEGIN
    BEGIN
        INSERT INTO bangfu.policy (param, valid_from, tiers) VALUES
            ('medical.charity_bed', '2090-01-01', 'marginal: [0,6000] 10%, (6000,12000] 15%, (12000,20000] 20%, (20000,) 25%; cap 15000');
        RAISE NOTICE 'inside the block: %', bangfu.medical_reduction(6000.01, '2090-06-01', 0);  -- 600.00
        RAISE EXCEPTION 'undo';
    EXCEPTION WHEN raise_exception THEN
        NULL;
    END;
    RAISE NOTICE 'after the block: %', bangfu.medical_reduction(6000.01, '2090-06-01', 0);       -- 900.00
END
$$;
-- A changed yearly cap is read like a changed schedule: 60000 after 15000
-- reduced, with 25000 from 2090: 10000.00; before: 5000.00.
BEGIN;
INSERT INTO bangfu.policy (param, valid_from, amount) VALUES ('medical.charity_bed.yearly_cap', '2090-01-01', 25000);
SELECT bangfu.medical_reduction(60000, '2089-12-31', 15000) AS cap_20000,
       bangfu.medical_reduction(60000, '2090-01-01', 15000) AS cap_25000;
ROLLBACK;

-- ---------------------------------------------------------------------------
-- 3. Refusals.  Shipped defaults cannot be changed or removed (55000); only
-- the install script ships rows; a value must fit its parameter's kind and
-- be money where it is an amount (22023); the parameter must exist (22023).
-- ---------------------------------------------------------------------------
SELECT q, r.*
  FROM unnest(ARRAY[
    $$UPDATE bangfu.policy SET note = 'x' WHERE param = 'medical.charity_bed' AND shipped$$,
    $$UPDATE bangfu.policy SET valid_from = '2090-01-01' WHERE param = 'medical.charity_bed.yearly_cap' AND shipped$$,
    $$DELETE FROM bangfu.policy WHERE param = 'medical.serious_illness' AND shipped$$,
    $$INSERT INTO bangfu.policy (param, valid_from, amount, shipped) VALUES ('medical.charity_bed.yearly_cap', '2090-01-01', 25000, true)$$,
    -- wrong kind: an amount for a schedule, a schedule for an amount, a count for an amount
    $$INSERT INTO bangfu.policy (param, valid_from, amount) VALUES ('medical.charity_bed', '2090-01-01', 15000)$$,
    $$INSERT INTO bangfu.policy (param, valid_from, tiers) VALUES ('medical.charity_bed.yearly_cap', '2090-01-01', '[0,) 10%')$$,
    $$INSERT INTO bangfu.policy (param, valid_from, count) VALUES ('medical.serious_illness.yearly_cap', '2090-01-01', 30000)$$,
    -- amounts that are not money
    $$INSERT INTO bangfu.policy (param, valid_from, amount) VALUES ('medical.charity_bed.yearly_cap', '2090-01-01', 20000.001)$$,
    $$INSERT INTO bangfu.policy (param, valid_from, amount) VALUES ('medical.charity_bed.yearly_cap', '2090-01-01', -1)$$,
    $$INSERT INTO bangfu.policy (param, valid_from, amount) VALUES ('medical.charity_bed.yearly_cap', '2090-01-01', 'NaN')$$,
    $$INSERT INTO bangfu.policy (param, valid_from, amount) VALUES ('medical.charity_bed.yearly_cap', '2090-01-01', 1000000000000.01)$$,
    -- unknown parameter
    $$INSERT INTO bangfu.policy (param, valid_from, amount) VALUES ('medical.charity_bed.monthly_cap', '2090-01-01', 1000)$$,
    -- no value, two values
    $$INSERT INTO bangfu.policy (param, valid_from) VALUES ('medical.charity_bed', '2090-01-01')$$,
    $$INSERT INTO bangfu.policy (param, valid_from, tiers, amount) VALUES ('medical.charity_bed', '2090-01-01', '[0,) 10%', 1)$$,
    -- a second version for the same date (acknowledged, as it is dated in the past)
    $$INSERT INTO bangfu.policy (param, amount, backdate_ack) VALUES ('medical.charity_bed.yearly_cap', 1, 'regress: from the start')$$,
    -- a schedule literal that does not parse
    $$INSERT INTO bangfu.policy (param, valid_from, tiers) VALUES ('medical.charity_bed', '2090-01-01', '[0,6000] 10%, (7000,) 15%')$$
  ]) AS q,
  LATERAL pg_temp.try(q) AS r;
-- All refused: the store is as shipped.
SELECT count(*) AS user_rows FROM bangfu.policy WHERE NOT shipped;

-- ---------------------------------------------------------------------------
-- 4. Privileges (十一, 十二): everybody reads the policy and computes with it;
-- only the leading group office (bangfu_policy_admin) adds versions.
-- ---------------------------------------------------------------------------
CREATE ROLE regress_bangfu_clerk;
CREATE ROLE regress_bangfu_office IN ROLE bangfu_policy_admin;
SET ROLE regress_bangfu_clerk;
SELECT count(*) AS medical_rows FROM bangfu.policy WHERE param LIKE 'medical.%';       -- 4
SELECT bangfu.medical_reduction(6000.01, '2024-06-01', 0) AS clerk_computes;          -- 900.00
SELECT q, r.*
  FROM unnest(ARRAY[
    $$INSERT INTO bangfu.policy (param, valid_from, amount) VALUES ('medical.charity_bed.yearly_cap', '2090-01-01', 25000)$$,
    $$UPDATE bangfu.policy SET note = 'x' WHERE param = 'medical.charity_bed'$$,
    $$DELETE FROM bangfu.policy WHERE param = 'medical.charity_bed'$$,
    $$INSERT INTO bangfu.scenario (name) VALUES ('regress_clerk')$$
  ]) AS q,
  LATERAL pg_temp.try(q) AS r;
RESET ROLE;
SET ROLE regress_bangfu_office;
BEGIN;
INSERT INTO bangfu.policy (param, valid_from, amount) VALUES ('medical.charity_bed.yearly_cap', '2090-01-01', 25000);
SELECT bangfu.medical_reduction(60000, '2090-01-01', 15000) AS office_version;        -- 10000.00
SELECT recorded_by FROM bangfu.policy WHERE NOT shipped;
-- Even the office cannot touch the shipped rows.
SELECT r.* FROM pg_temp.try($$DELETE FROM bangfu.policy WHERE param = 'medical.charity_bed.yearly_cap' AND shipped$$) AS r;
ROLLBACK;
RESET ROLE;
DROP ROLE regress_bangfu_clerk;
DROP ROLE regress_bangfu_office;

-- ---------------------------------------------------------------------------
-- 5. pg_dump keeps what users add (pg_extension_config_dump); the shipped
-- defaults come back with the extension.
-- ---------------------------------------------------------------------------
SELECT c.relname, x.cond
  FROM pg_extension e,
       unnest(e.extconfig, e.extcondition) AS x(tab, cond)
       JOIN pg_class c ON c.oid = x.tab
 WHERE e.extname = 'bangfu' AND c.relname IN ('policy', 'scenario', 'scenario_value')
 ORDER BY c.relname;

-- ---------------------------------------------------------------------------
-- 6. A query over 2,000,000 stays does not read the store per row: the scans
-- of bangfu.policy counted for this transaction stay in single figures
-- (one load after the INSERT below invalidated the cache), although the
-- dates alternate between two versions.  The sum agrees with the same rules
-- written out in plain SQL (flat: the bracket's rate of the whole cost;
-- marginal: slices; both capped at 15000; the yearly cap of 20000 never
-- binds for one stay).
-- ---------------------------------------------------------------------------
BEGIN;
-- Everything in this backend, so that its statistics see every scan.
SET LOCAL max_parallel_workers_per_gather = 0;
INSERT INTO bangfu.policy (param, valid_from, tiers) VALUES
    ('medical.charity_bed', '2090-01-01', 'marginal: [0,6000] 10%, (6000,12000] 15%, (12000,20000] 20%, (20000,) 25%; cap 15000');
CREATE TEMP TABLE scans_before AS
    SELECT coalesce(seq_scan, 0) + coalesce(idx_scan, 0) AS n
      FROM pg_stat_xact_user_tables WHERE relid = 'bangfu.policy'::regclass;
CREATE TEMP TABLE big AS
    SELECT count(*) AS stays,
           sum(bangfu.medical_reduction(x / 20.0, CASE WHEN x % 2 = 0 THEN date '2089-12-31'
                                                       ELSE date '2090-01-01' END, 0)) AS total,
           sum(CASE WHEN x % 2 = 0 THEN
                    least(15000, round(x / 20.0 * CASE WHEN x / 20.0 <= 6000 THEN 0.10
                                                       WHEN x / 20.0 <= 12000 THEN 0.15
                                                       WHEN x / 20.0 <= 20000 THEN 0.20
                                                       ELSE 0.25 END, 2))
                ELSE
                    least(15000, round(0.10 * least(x / 20.0, 6000)
                                       + 0.15 * greatest(0, least(x / 20.0, 12000) - 6000)
                                       + 0.20 * greatest(0, least(x / 20.0, 20000) - 12000)
                                       + 0.25 * greatest(0, x / 20.0 - 20000), 2))
                END) AS plain_sql
      FROM generate_series(1, 2000000) AS x;
SELECT stays, total = plain_sql AS same_as_plain_sql,
       (SELECT coalesce(seq_scan, 0) + coalesce(idx_scan, 0) FROM pg_stat_xact_user_tables
         WHERE relid = 'bangfu.policy'::regclass) - (SELECT n FROM scans_before) BETWEEN 1 AND 5 AS bounded
  FROM big;
ROLLBACK;

SELECT count(*) AS user_rows FROM bangfu.policy WHERE NOT shipped;
DROP FUNCTION pg_temp.try(text);
RESET DateStyle;
