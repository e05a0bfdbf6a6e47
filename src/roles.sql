
-- ---------------------------------------------------------------------------
-- Last part of the install script: guards that must come after every
-- shipped row, privileges by department (十一, 十二), and pg_dump.
-- ---------------------------------------------------------------------------

CREATE TRIGGER policy_guard BEFORE INSERT OR UPDATE OR DELETE ON bangfu.policy
    FOR EACH ROW EXECUTE FUNCTION bangfu.policy_guard();
CREATE TRIGGER policy_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON bangfu.policy
    FOR EACH STATEMENT EXECUTE FUNCTION bangfu.policy_changed();
CREATE TRIGGER scenario_guard BEFORE INSERT OR UPDATE ON bangfu.scenario_value
    FOR EACH ROW EXECUTE FUNCTION bangfu.scenario_guard();
CREATE TRIGGER scenario_value_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON bangfu.scenario_value
    FOR EACH STATEMENT EXECUTE FUNCTION bangfu.policy_changed();
CREATE TRIGGER scenario_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON bangfu.scenario
    FOR EACH STATEMENT EXECUTE FUNCTION bangfu.policy_changed();

-- pg_dump keeps what users added; the shipped defaults come with the extension.
SELECT pg_catalog.pg_extension_config_dump('bangfu.policy', 'WHERE NOT shipped');
SELECT pg_catalog.pg_extension_config_dump('bangfu.scenario', '');
SELECT pg_catalog.pg_extension_config_dump('bangfu.scenario_value', '');

-- Everybody may read the policy; only the leading group office changes it.
GRANT USAGE ON SCHEMA bangfu TO PUBLIC;
GRANT SELECT ON bangfu.policy, bangfu.policy_param, bangfu.scenario, bangfu.scenario_value TO PUBLIC;
GRANT INSERT, UPDATE, DELETE ON bangfu.policy TO bangfu_policy_admin;
-- Anyone who may study a proposal may write scenarios; they never touch the policy in force.
GRANT INSERT, UPDATE, DELETE ON bangfu.scenario, bangfu.scenario_value TO bangfu_policy_admin;
REVOKE ALL ON FUNCTION bangfu.policy_changed() FROM PUBLIC;
