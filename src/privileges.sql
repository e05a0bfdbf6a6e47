
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

-- ---------------------------------------------------------------------------
-- Privileges (十一, 十二; issue 8).  Every privilege on every object is
-- listed in test/security/grants.txt, which test/security/access_grants.sql
-- compares with the database: a new grant is a visible change.  The model is
-- in doc/security.md.
--
-- Functions: PostgreSQL lets PUBLIC execute every new function.  The rules,
-- the types' functions and operators and the readers of the policy stay
-- public (they compute from their arguments and the public policy).  What
-- only bangfu's own triggers and functions call is revoked here.
-- ---------------------------------------------------------------------------

-- Everybody may read the policy; only the leading group office changes it.
GRANT USAGE ON SCHEMA bangfu TO PUBLIC;
GRANT SELECT ON bangfu.policy, bangfu.policy_param, bangfu.scenario, bangfu.scenario_value TO PUBLIC;
GRANT INSERT, UPDATE, DELETE ON bangfu.policy TO bangfu_policy_admin;
-- Anyone who may study a proposal may write scenarios; they never touch the policy in force.
GRANT INSERT, UPDATE, DELETE ON bangfu.scenario, bangfu.scenario_value TO bangfu_policy_admin;
REVOKE ALL ON FUNCTION bangfu.policy_changed() FROM PUBLIC;
REVOKE ALL ON FUNCTION bangfu.policy_guard() FROM PUBLIC;
REVOKE ALL ON FUNCTION bangfu.scenario_guard() FROM PUBLIC;

-- The limits' definitions and which tables they guard are for everybody to
-- read.  The ledger is not: its subjects are ID numbers with what each
-- person used (四: a person's yearly reductions and serious-illness relief),
-- so only the leading group office reads it (audit, 十一).  Only the limit
-- triggers write it (directly, not through SQL privileges).
GRANT SELECT ON bangfu.limit_def, bangfu.limit_attachment TO PUBLIC;
GRANT SELECT ON bangfu.usage, bangfu.usage_report TO bangfu_policy_admin;
GRANT INSERT, UPDATE, DELETE ON bangfu.limit_def TO bangfu_policy_admin;
REVOKE ALL ON FUNCTION bangfu.limit_rebuild() FROM PUBLIC;
REVOKE ALL ON FUNCTION bangfu.limit_forget_books() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION bangfu.limit_rebuild() TO bangfu_policy_admin;
-- The limit triggers' functions, attach_limit and its helpers stay PUBLIC's:
-- a table's owner may guard it, and whose books it then counts in is the
-- engine's business (doc/limits.md).  The event trigger's function is
-- called by its event trigger only.
REVOKE ALL ON FUNCTION bangfu.forget_dropped_tables() FROM PUBLIC;
-- What a subject used (an ID number's yearly amount), locking it: for the
-- office here; the register grants it to the departments whose work settles
-- against it (卫生's stays, 民政's serious-illness relief).  街道's recount
-- of a year's households uses bangfu_register.relief_quota_used instead.
REVOKE ALL ON FUNCTION bangfu.limit_used(text, text, date) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION bangfu.limit_used(text, text, date) TO bangfu_policy_admin;
-- Locking several subjects together: as limit_used.
REVOKE ALL ON FUNCTION bangfu.limit_lock(text[], text[], date) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION bangfu.limit_lock(text[], text[], date) TO bangfu_policy_admin;
