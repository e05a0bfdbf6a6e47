-- pgTAP, read-only: is a live bangfu database conformant?  (issue 13)
--
-- For a DBA to run against a production database at any time:
--     pg_prove -d DBNAME test/live/conformance.sql
-- as a role that may read the register (bangfu_policy_admin, or the owner).
-- After plan() (pgTAP's own temporary bookkeeping), the transaction is made
-- READ ONLY: nothing below can write to the database, and it ends in
-- ROLLBACK.  It
-- assumes neither the shipped figures (any policy versions may have been
-- added) nor an empty register, and passes under any collation.
BEGIN;
SET LOCAL client_min_messages = warning;
SELECT plan(8);
SET TRANSACTION READ ONLY;
SELECT is(current_setting('transaction_read_only'), 'on', 'the check runs read-only');

SELECT has_extension('bangfu', 'bangfu is installed');
SELECT has_extension('bangfu_register', 'the ready register is installed');
SELECT is((SELECT extversion FROM pg_extension WHERE extname = 'bangfu_register'),
          (SELECT extversion FROM pg_extension WHERE extname = 'bangfu'),
          'the register and the rules are at the same version');

-- Every stored amount of the register derived again (bangfu_register.verify):
-- none may differ without a policy version that explains it.
SELECT is_empty($$SELECT tab, row_id, field, stored, expected, detail
                    FROM bangfu_register.verify() WHERE kind = 'differs'$$,
                'every stored 四 settlement, 二 grant, 五 pension subsidy, 八(1) employer subsidy, 十 fee waiver and rent concession follows the policy (no ''differs'' rows)');

-- Retroactive policy changes are not an error here: their arrears (补发) and
-- overpayments are listed for the record.
SELECT ok(true, format('retroactive policy changes: %s amounts owed (%s yuan), %s overpaid (%s yuan)',
                       count(*) FILTER (WHERE kind = 'owed'),
                       coalesce(sum(expected - stored) FILTER (WHERE kind = 'owed' AND field NOT IN ('patient_pays', 'months')), 0),
                       count(*) FILTER (WHERE kind = 'overpaid'),
                       coalesce(sum(stored - expected) FILTER (WHERE kind = 'overpaid' AND field NOT IN ('patient_pays', 'months')), 0)))
  FROM bangfu_register.verify();

-- Every limit's ledger equals the tables it counts (一, 二, 四, 八).
SELECT is_empty($$SELECT * FROM bangfu.limit_check()$$, 'every limit''s ledger equals its tables');

-- The settlement of every stay adds up (四): also a constraint, checked here
-- in case it was dropped or the rows loaded around it.
SELECT is_empty($$SELECT id FROM bangfu_register.medical_stay
                   WHERE reduction + relief + patient_pays <> cost OR least(reduction, relief, patient_pays) < 0$$,
                '四 every stay: reduction + relief + patient_pays = cost, none negative');

SELECT * FROM finish();
ROLLBACK;
