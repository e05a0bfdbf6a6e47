
-- ---------------------------------------------------------------------------
-- Last part of the install script: guards that must come after every
-- shipped row, privileges by department (十一, 十二), and pg_dump.
-- ---------------------------------------------------------------------------

CREATE TRIGGER policy_guard BEFORE INSERT OR UPDATE OR DELETE ON bangfu.policy
    FOR EACH ROW EXECUTE FUNCTION bangfu.policy_guard();
CREATE TRIGGER policy_no_truncate BEFORE TRUNCATE ON bangfu.policy
    FOR EACH STATEMENT EXECUTE FUNCTION bangfu.policy_guard();
CREATE TRIGGER policy_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON bangfu.policy
    FOR EACH STATEMENT EXECUTE FUNCTION bangfu.policy_changed();
CREATE TRIGGER scenario_guard BEFORE INSERT OR UPDATE ON bangfu.scenario_value
    FOR EACH ROW EXECUTE FUNCTION bangfu.scenario_guard();
CREATE TRIGGER scenario_value_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON bangfu.scenario_value
    FOR EACH STATEMENT EXECUTE FUNCTION bangfu.policy_changed();
CREATE TRIGGER limit_def_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON bangfu.limit_def
    FOR EACH STATEMENT EXECUTE FUNCTION bangfu.policy_changed();
CREATE TRIGGER limit_def_guard BEFORE INSERT OR UPDATE OR DELETE ON bangfu.limit_def
    FOR EACH ROW EXECUTE FUNCTION bangfu.limit_def_guard();
CREATE TRIGGER limit_def_no_truncate BEFORE TRUNCATE ON bangfu.limit_def
    FOR EACH STATEMENT EXECUTE FUNCTION bangfu.limit_def_guard();
CREATE TRIGGER limit_share_guard BEFORE INSERT OR UPDATE OR DELETE ON bangfu.limit_share
    FOR EACH ROW EXECUTE FUNCTION bangfu.limit_share_guard();
CREATE TRIGGER limit_share_no_truncate BEFORE TRUNCATE ON bangfu.limit_share
    FOR EACH STATEMENT EXECUTE FUNCTION bangfu.limit_share_guard();
CREATE TRIGGER scenario_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON bangfu.scenario
    FOR EACH STATEMENT EXECUTE FUNCTION bangfu.policy_changed();

-- pg_dump keeps what users added; the shipped defaults come with the extension.
SELECT pg_catalog.pg_extension_config_dump('bangfu.policy', 'WHERE NOT shipped');
SELECT pg_catalog.pg_extension_config_dump('bangfu.scenario', '');
SELECT pg_catalog.pg_extension_config_dump('bangfu.scenario_value', '');
SELECT pg_catalog.pg_extension_config_dump('bangfu.limit_def', 'WHERE NOT shipped');
-- The ledger of users' own guarded tables is dumped (their triggers are
-- created after their data is restored); the ready register's ledger is not,
-- because restoring the register's rows books them again through its triggers.
SELECT pg_catalog.pg_extension_config_dump('bangfu.usage',
    $$WHERE (SELECT n.nspname FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid OPERATOR(pg_catalog.=) c.relnamespace
             WHERE c.oid OPERATOR(pg_catalog.=) tab::pg_catalog.oid) OPERATOR(pg_catalog.<>) 'bangfu_register'$$);

-- Everybody may read the policy; only the leading group office changes it.
GRANT USAGE ON SCHEMA bangfu TO PUBLIC;
GRANT SELECT ON bangfu.policy, bangfu.policy_param, bangfu.scenario, bangfu.scenario_value TO PUBLIC;
GRANT INSERT, UPDATE, DELETE ON bangfu.policy TO bangfu_policy_admin;
-- Anyone who may study a proposal may write scenarios; they never touch the policy in force.
GRANT INSERT, UPDATE, DELETE ON bangfu.scenario, bangfu.scenario_value TO bangfu_policy_admin;
REVOKE ALL ON FUNCTION bangfu.policy_changed() FROM PUBLIC;

-- The limits' definitions and ledger are for everybody to read; only the
-- limit triggers write the ledger (directly, not through SQL privileges).
GRANT SELECT ON bangfu.limit_def, bangfu.usage, bangfu.limit_attachment, bangfu.usage_report TO PUBLIC;
GRANT INSERT, UPDATE, DELETE ON bangfu.limit_def TO bangfu_policy_admin;
REVOKE ALL ON FUNCTION bangfu.limit_rebuild() FROM PUBLIC;
REVOKE ALL ON FUNCTION bangfu.limit_forget_books() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION bangfu.limit_rebuild() TO bangfu_policy_admin;
