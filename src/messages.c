/*
 * messages.c
 *		The messages bangfu's PL/pgSQL code raises, kept here so that gettext
 *		can translate them (issue 10: a clerk reads each refusal in Chinese).
 *
 * PL/pgSQL's RAISE takes its text from the SQL source, where xgettext cannot
 * reach it.  So the SQL names a message by key and passes its arguments:
 *
 *		PERFORM bangfu.raise_error('limit_unknown', limit_name);
 *
 * and bf_raise_error looks the key up in the table below, which holds the
 * SQLSTATE and the English message, detail and hint, each marked with
 * BF_MSG so that `make po-update` extracts it into po/bangfu.pot.  The
 * arguments (any type, printed with its output function, NULL as <NULL>
 * like RAISE does) are consumed in order: first those of the message, then
 * those of the detail, then those of the hint; each part counts its own
 * placeholders, "%s", or "%1$s", "%2$s" ... in a translation that reorders
 * them.  "%%" is a percent sign.  Every part is therefore a valid C format
 * and msgfmt -c checks that a translation keeps its placeholders.
 *
 * A key with no SQLSTATE is a fragment: a phrase the SQL builds into another
 * message (bangfu.message_text).
 */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "fmgr.h"
#include "lib/stringinfo.h"
#include "mb/pg_wchar.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"

/* Marks a string for xgettext (a keyword in the Makefile); translated at raise time. */
#define BF_MSG(x) (x)

/*
 * errhint under another name: PostgreSQL 15 has no errhint_internal, and
 * xgettext must not take this call's "%s" for a message.
 */
#define bf_errhint_text errhint

typedef struct BfMessage
{
	const char *key;
	const char *sqlstate;		/* NULL for a fragment */
	const char *msg;
	const char *detail;
	const char *hint;
} BfMessage;

static const BfMessage bf_messages[] = {
	/* limits.sql: attaching limits to tables (四, 五, 八, 九) */
	{"limit_not_attached", "22023",
		BF_MSG("limit \"%s\" is not attached to %s"), NULL, NULL},
	{"limit_already_broken", "23514",
		BF_MSG("table %s already breaks limit \"%s\": subject %s used %s in period %s (cap %s)"), NULL, NULL},
	{"limit_still_attached", "55000",
		BF_MSG("limit \"%s\" is still attached to %s"), NULL, NULL},
	{"limit_unknown", "22023",
		BF_MSG("unknown limit \"%s\""), NULL,
		BF_MSG("The limits are the rows of bangfu.limit_def.")},
	{"limit_unknown_mode", "22023",
		BF_MSG("unknown mode \"%s\": a limit either clamps or rejects"), NULL, NULL},
	{"limit_rows_no_clamp", "22023",
		BF_MSG("limit \"%s\" counts rows, which cannot be clamped; use mode reject"), NULL, NULL},
	{"limit_rows_no_amount", "22023",
		BF_MSG("limit \"%s\" counts %s: give no amount column"), NULL, NULL},
	{"limit_needs_amount", "22023",
		BF_MSG("limit \"%s\" counts %s: name the amount column"), NULL, NULL},
	{"limit_needs_date", "22023",
		BF_MSG("limit \"%s\" is per calendar year: name the date column"), NULL, NULL},
	{"limit_no_column", "42703",
		BF_MSG("table %s has no column \"%s\""), NULL, NULL},
	{"limit_alter_breaks", "2BP01",
		BF_MSG("ALTER TABLE %s would break limit \"%s\": it reads column \"%s\" as its %s"),
		BF_MSG("The limit's triggers name the column (bangfu.limit_attachment). Renamed, dropped or of another type, every later write to the table would fail, and limit_check() with it."),
		BF_MSG("Detach the limit first, change the table, then attach it again with the new column (attaching counts the rows again): SELECT bangfu.detach_limit('%s', '%s');")},
	{"limit_unlogged", "55000",
		BF_MSG("table %s is unlogged: limit \"%s\" cannot guard it"),
		BF_MSG("An unlogged table is emptied by a crash and is not copied to standbys, while the limits' ledger keeps what its rows used: after a crash or a failover the books would count rows that are gone."),
		BF_MSG("Make it logged first: ALTER TABLE %s SET LOGGED;")},
	{"limit_guarded_unlogged", "55000",
		BF_MSG("table %s cannot be unlogged: limit \"%s\" guards it"),
		BF_MSG("An unlogged table is emptied by a crash and is not copied to standbys, while the limits' ledger keeps what its rows used: after a crash or a failover the books would count rows that are gone."),
		BF_MSG("Detach the limit first if the table is to be unlogged: SELECT bangfu.detach_limit('%s', '%s');")},
	{"limit_trigger_alter", "55000",
		BF_MSG("the triggers of a limit on %s cannot be renamed or altered"),
		BF_MSG("bangfu finds a limit's triggers by name (bangfu.detach_limit, bangfu.limit_attachment): renamed, the limit could be neither detached nor attached again; made to depend on an extension, it would be dropped unseen with it."),
		BF_MSG("To take a limit off the table, detach it with bangfu.detach_limit(table, limit); the limits guarding %s are listed in bangfu.limit_attachment.")},
	{"limit_on_partition", "55000",
		BF_MSG("table %s is a partition of %s: attach limit \"%s\" to the partitioned table"),
		BF_MSG("Rows written through the partitioned table would be checked by the partition's triggers, but only the triggers of the table a statement names write its bookings to the ledger."),
		BF_MSG("A limit attached to a partitioned table guards every partition, however the rows are written.")},
	{"limit_inherited", "55000",
		BF_MSG("table %s has inheritance children: limit \"%s\" cannot guard it"),
		BF_MSG("A child's rows are read with the table's, but none of the table's triggers fire for them: they would be neither checked nor booked."),
		BF_MSG("Use a partitioned table (a limit attached to one guards every partition), or remove the children (ALTER TABLE child NO INHERIT table).")},
	{"limit_guarded_partition", "55000",
		BF_MSG("table %s cannot become a partition of %s: limit \"%s\" guards it"),
		BF_MSG("Rows written through the partitioned table would be checked by the table's triggers, but only the triggers of the table a statement names write its bookings to the ledger."),
		BF_MSG("Detach the limit first (SELECT bangfu.detach_limit('%s', '%s');), attach the partition, then attach the limit to the partitioned table.")},
	{"limit_guarded_inherited", "55000",
		BF_MSG("table %s cannot inherit from %s: limit \"%s\" guards it"),
		BF_MSG("A child's rows are read with the table's, but none of the table's triggers fire for them: they would be neither checked nor booked."),
		BF_MSG("Use partitions of a partitioned table instead: a limit attached to one guards every partition.")},
	{"limit_col_amount_numeric", NULL,
		BF_MSG("amount (numeric)"), NULL, NULL},
	{"limit_col_amount_integer", NULL,
		BF_MSG("amount (an integer)"), NULL, NULL},
	{"limit_col_date", NULL,
		BF_MSG("date (date)"), NULL, NULL},
	{"limit_col_subject", NULL,
		BF_MSG("subject"), NULL, NULL},

	/* limits.sql: the shipped limits and the common books (一, 九) */
	{"limit_share_no_truncate", "55000",
		BF_MSG("bangfu.limit_share cannot be truncated"), NULL, NULL},
	{"limit_share_shipped_fixed", "55000",
		BF_MSG("the shipped admission of %s to the common books of \"%s\" cannot be changed or removed"), NULL, NULL},
	{"limit_share_attached", "55000",
		BF_MSG("limit \"%s\" is attached to %s: detach it before changing which books it counts in"), NULL, NULL},
	{"limit_share_no_update", "55000",
		BF_MSG("admissions are not updated: delete one and insert another"), NULL, NULL},
	{"limit_share_only_install", "55000",
		BF_MSG("only the install script ships admissions"), NULL, NULL},
	{"limit_share_not_permanent", "42501",
		BF_MSG("%s cannot count in the common books of \"%s\": only a permanent table can"),
		BF_MSG("A temporary or unlogged table loses its rows without its books knowing."), NULL},
	{"limit_share_full", "54000",
		BF_MSG("the common books of limit \"%s\" already have 4 tables, the most they can have"), NULL, NULL},
	{"limit_share_own_books", "55000",
		BF_MSG("limit \"%s\" is attached to %s with books of its own: detach it, admit the table, attach it again"), NULL, NULL},
	{"limit_def_no_truncate", "55000",
		BF_MSG("bangfu.limit_def cannot be truncated: it holds the shipped limits"), NULL, NULL},
	{"limit_def_shipped_fixed", "55000",
		BF_MSG("the shipped limit \"%s\" cannot be changed or removed"), NULL,
		BF_MSG("Caps change through the policy store (bangfu.policy), from a date.")},
	{"limit_def_in_use", "55000",
		BF_MSG("limit \"%s\" is in use: its name, what it counts and its subjects cannot change"), NULL,
		BF_MSG("Detach it from every table first (bangfu.limit_attachment lists them).")},
	{"limit_def_only_install", "55000",
		BF_MSG("only the install script ships limits"), NULL, NULL},
	{"limit_def_one_cap", "22023",
		BF_MSG("limit \"%s\" needs exactly one cap: a policy parameter (cap_param), a function of the date (cap_function), or zero_cap"), NULL,
		BF_MSG("A balance that must not go below zero says so with zero_cap = true.")},
	{"limit_def_cap_kind", "22023",
		BF_MSG("limit \"%s\" counts %s, so its cap parameter must be of kind %s, not %s"), NULL, NULL},
	{"limit_cap_fn_signature", "22023",
		BF_MSG("cap function %s of limit \"%s\" must take one date and return numeric or an integer"), NULL, NULL},
	{"limit_cap_fn_rights", "42501",
		BF_MSG("cap function %s of limit \"%s\" would run with the rights of whoever writes a guarded row"), NULL,
		BF_MSG("Make it SECURITY DEFINER (it then runs as its owner) with a fixed search_path.")},
	{"limit_cap_fn_owner", "42501",
		BF_MSG("cap function %s of limit \"%s\" belongs to %s, a role that may not change the limits"),
		BF_MSG("A limit names its cap function by name (pg_upgrade keeps no function OIDs): once the function was dropped or renamed, its owner could take the name over."),
		BF_MSG("Let a superuser or a member of bangfu_policy_admin own it (ALTER FUNCTION ... OWNER TO).")},
	{"limit_cap_fn_path", "42501",
		BF_MSG("cap function %s of limit \"%s\" is SECURITY DEFINER without its own search_path"), NULL,
		BF_MSG("Add SET search_path = pg_catalog, pg_temp (and qualify the names it uses).")},
	{"limit_subject_count_none", "22023",
		BF_MSG("limit \"%s\" takes %s subject columns, not %s"), NULL,
		BF_MSG("Pass '{}': the subject is the whole table.")},
	{"limit_subject_count", "22023",
		BF_MSG("limit \"%s\" takes %s subject columns, not %s"), NULL,
		BF_MSG("Name the subject columns in the order the limit's description gives.")},
	{"limit_unknown_books", "22023",
		BF_MSG("unknown books \"%s\": a limit counts in the table's own books or in the limit's common books"), NULL, NULL},
	{"limit_not_admitted", "42501",
		BF_MSG("%s is not admitted to the common books of limit \"%s\""),
		BF_MSG("The common books are the county's (the register's): a table counts in them only if a policy admin admitted it."),
		BF_MSG("A policy admin runs: INSERT INTO bangfu.limit_share (limit_name, tab) VALUES (%s, %s);")},
	{"limit_admitted_use_common", "22023",
		BF_MSG("%s is admitted to the common books of limit \"%s\": attach it with books => 'common'"), NULL, NULL},
	{"limit_not_attached_detach", "42704",
		BF_MSG("limit \"%s\" is not attached to %s"), NULL,
		BF_MSG("bangfu.limit_attachment lists what is attached where.")},
	{"limit_partly_attached", "42704",
		BF_MSG("limit \"%s\" is only partly attached to %s: trigger %s is missing"), NULL,
		BF_MSG("Drop the remaining zz_bangfu_ triggers of the limit by hand, then run bangfu.limit_forget.")},

	/* relief.sql: the rules' own checks */
	{"relief_reason_unknown", "22023",
		BF_MSG("unknown relief reason \"%s\" (argument reason of bangfu.relief_reason_label)"),
		BF_MSG("Rule: bangfu.relief_reason_label (二 temporary relief)."),
		BF_MSG("A reason is one of the values of bangfu.relief_reason: SELECT enum_range(NULL::bangfu.relief_reason).")},

	/*
	 * base.sql, register.sql, the update scripts: the install and update
	 * guards (issue 8), raised through bangfu.install_refusal (below), since
	 * they run before bangfu.raise_error exists or may be trusted.
	 */
	{"install_schema_owner", "42501",
		BF_MSG("schema \"%s\" is owned by role \"%s\", which is not a superuser: %s will not install into it"),
		BF_MSG("The owner of the extension's schema could replace what the extension's own functions call, and run code as the superuser who installs it."),
		BF_MSG("Drop schema %s (check what is in it first) and let CREATE EXTENSION create it.")},
	{"install_schema_create", "42501",
		BF_MSG("schema \"%s\" lets %s create objects in it: %s will not install into it"),
		BF_MSG("Whoever may create objects in the extension's schema could plant look-alikes of what its functions call."),
		BF_MSG("REVOKE CREATE ON SCHEMA %s FROM ...; then run CREATE EXTENSION %s again.")},
	{"install_schema_not_empty", "55000",
		BF_MSG("schema \"%s\" is not empty (it holds %s): %s will not install into it"),
		BF_MSG("An object made before the extension could stand in for one the install script or the extension's functions use."),
		BF_MSG("Drop schema %s (check what is in it and who made it) and let CREATE EXTENSION create it.")},
	{"install_default_acl", "42501",
		BF_MSG("ALTER DEFAULT PRIVILEGES of role %s grants %s on %s to %s in this database: %s will not install with it, its tables hold ID numbers"),
		BF_MSG("Default privileges of the installing role would apply to every table, function and type the install script creates."),
		BF_MSG("Install as a superuser without such default privileges, or revoke them (ALTER DEFAULT PRIVILEGES ... REVOKE ...) for the install.")},
	{"install_default_acl_schema", "42501",
		BF_MSG("ALTER DEFAULT PRIVILEGES of role %s in schema %s grants %s on %s to %s in this database: %s will not install with it, its tables hold ID numbers"),
		BF_MSG("Default privileges of the installing role would apply to every table, function and type the install script creates."),
		BF_MSG("Install as a superuser without such default privileges, or revoke them (ALTER DEFAULT PRIVILEGES ... REVOKE ...) for the install.")},
	{"install_encoding", "22P05",
		BF_MSG("bangfu cannot be installed in a database with encoding %s"),
		BF_MSG("Its policy texts and labels are Chinese: the database encoding must be UTF8 or EUC_CN."),
		BF_MSG("Create the database with ENCODING 'UTF8' TEMPLATE template0 (see doc/operations.md).")},
	{"update_schema_owner", "42501",
		BF_MSG("bangfu will not update: schema %s is owned by role %s, which is not a superuser"),
		BF_MSG("A role that may put objects into the extension's schemas could divert this script, run as a superuser."),
		BF_MSG("Give the schemas and their objects to a superuser and revoke CREATE on them from everyone else (see doc/security.md), then update again.")},
	{"update_schema_create", "42501",
		BF_MSG("bangfu will not update: schema %s lets %s create objects in it"),
		BF_MSG("A role that may put objects into the extension's schemas could divert this script, run as a superuser."),
		BF_MSG("Give the schemas and their objects to a superuser and revoke CREATE on them from everyone else (see doc/security.md), then update again.")},
	{"update_object_owner", "42501",
		BF_MSG("bangfu will not update: %s is owned by role %s, which is not a superuser"),
		BF_MSG("A role that may put objects into the extension's schemas could divert this script, run as a superuser."),
		BF_MSG("Give the schemas and their objects to a superuser and revoke CREATE on them from everyone else (see doc/security.md), then update again.")},
	{"update_default_acl", "42501",
		BF_MSG("bangfu will not update: ALTER DEFAULT PRIVILEGES of role %s grants %s to %s in this database"),
		BF_MSG("A role that may put objects into the extension's schemas could divert this script, run as a superuser."),
		BF_MSG("Give the schemas and their objects to a superuser and revoke CREATE on them from everyone else (see doc/security.md), then update again.")},
	{"register_nothing_to_adopt", "55000",
		BF_MSG("there is no register of bangfu 0.2.0 to adopt: schema bangfu_register is not part of extension bangfu"), NULL,
		BF_MSG("For a new register: CREATE EXTENSION bangfu_register;")},
	{"register_adopt_notice", NULL,
		BF_MSG("the ready register is now the extension bangfu_register: adopt it with CREATE EXTENSION bangfu_register VERSION 'unpackaged'; ALTER EXTENSION bangfu_register UPDATE;"), NULL, NULL},
	{"register_bangfu_older", "55000",
		BF_MSG("extension bangfu is older than the register: update it first"), NULL,
		BF_MSG("ALTER EXTENSION bangfu UPDATE;")},

	/* policy.sql, register.sql: the department roles (十一) at install */
	{"role_not_bare", "42501",
		BF_MSG("role \"%s\" already exists and is not a bare group role (it can log in, has a role attribute, or is a member of another role): bangfu will not give it a department's rights"), NULL,
		BF_MSG("Check who made role %s and why; drop it, or make it NOLOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS and a member of nothing, then install again.")},
	{"role_has_members", "42501",
		BF_MSG("role \"%s\" already exists, was not made by bangfu, and has members (%s): bangfu will not give them a department's rights"), NULL,
		BF_MSG("Check who made role %s and its members; if they are the department's clerks, mark it as bangfu's: COMMENT ON ROLE %s IS %s; then install again.")},
	{"role_not_bare_update", "42501",
		BF_MSG("role \"%s\" is not a bare group role (it can log in, has a role attribute, or is a member of another role): bangfu will not keep giving it a department's rights"), NULL,
		BF_MSG("Check who changed role %s and why; make it NOLOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS and a member of nothing, then update again.")},

	/* policy.sql: the policy store (一 to 十二: every figure is a row) */
	{"policy_param_unknown", "22023",
		BF_MSG("unknown policy parameter \"%s\""), NULL,
		BF_MSG("The parameters are the rows of bangfu.policy_param.")},
	{"policy_value_column", "22023",
		BF_MSG("policy parameter \"%s\" takes a value in column %s"), NULL, NULL},
	{"policy_amount_not_money", "22023",
		BF_MSG("policy parameter \"%s\": amount %s is not money (0 to 1000000000000 yuan, to the fen)"), NULL, NULL},
	{"policy_count_negative", "22023",
		BF_MSG("policy parameter \"%s\": count %s is negative"), NULL, NULL},
	{"policy_band_bad", "22023",
		BF_MSG("policy parameter \"%s\": band %s must be a non-empty range of money with both ends"), NULL, NULL},
	{"policy_no_truncate", "55000",
		BF_MSG("bangfu.policy cannot be truncated: it holds the shipped defaults"), NULL,
		BF_MSG("Delete the versions you added instead.")},
	{"policy_shipped_fixed", "55000",
		BF_MSG("the shipped default of \"%s\" cannot be changed or removed"), NULL,
		BF_MSG("Add a new version: INSERT INTO bangfu.policy (param, valid_from, ...) VALUES (...).")},
	{"policy_ship_only_install", "55000",
		BF_MSG("only the install script ships policy rows"), NULL, NULL},

	/* policy.sql: what-if scenarios (scenario_compare) */
	{"scenario_unknown", "22023",
		BF_MSG("unknown scenario \"%s\" (argument scenario of bangfu.scenario_compare)"), NULL,
		BF_MSG("Scenarios are rows of bangfu.scenario.")},

	/* register.sql: the ready register (bangfu_register) */
	{"register_exists", "42P07",
		BF_MSG("schema bangfu_register already holds a ready register (from bangfu 0.2.0)"), NULL,
		BF_MSG("Adopt it, keeping every row: CREATE EXTENSION bangfu_register VERSION 'unpackaged'; ALTER EXTENSION bangfu_register UPDATE;")},
	{"register_owner_only", "42501",
		BF_MSG("only the owner of %s may %s"), NULL, NULL},
	{"what_grant_checked", NULL,
		BF_MSG("record a grant as already checked (recorded_at)"), NULL, NULL},
	{"what_stay_settled", NULL,
		BF_MSG("record a stay as already settled (recorded_at)"), NULL, NULL},
	{"relief_outside_band", "22023",
		BF_MSG("relief of %s yuan is outside the band %s of reason %s (%s)"),
		BF_MSG("二: the band in force on %s for this reason is %s yuan."),
		BF_MSG("Pick the amount inside the band, or state the reason that fits.")},
	{"household_not_registered", "23503",
		BF_MSG("household %s is not in the register"), NULL, NULL},
	{"relief_not_urban", "23514",
		BF_MSG("household %s may not get temporary relief: it is not an urban household"),
		BF_MSG("二: temporary relief is for urban households that have completely lost the capacity to work and to support themselves (完全丧失劳动能力和自救能力的城镇特困家庭)."),
		NULL},
	{"relief_has_capacity", "23514",
		BF_MSG("household %s may not get temporary relief: it has not completely lost the capacity to work and to support itself"),
		BF_MSG("二: temporary relief is for urban households that have completely lost the capacity to work and to support themselves (完全丧失劳动能力和自救能力的城镇特困家庭)."),
		NULL},
	{"relief_excluded", "23514",
		BF_MSG("household %s is excluded from relief on %s: exclusion %s (%s, %s), in force from %s with no end"),
		BF_MSG("二: 因参与赌博、吸毒等违法行为导致家庭生活困难或者拒绝参加技能培训和就业援助的不予实施困难救助."),
		NULL},
	{"relief_excluded_until", "23514",
		BF_MSG("household %s is excluded from relief on %s: exclusion %s (%s, %s), in force from %s to %s"),
		BF_MSG("二: 因参与赌博、吸毒等违法行为导致家庭生活困难或者拒绝参加技能培训和就业援助的不予实施困难救助."),
		NULL},
	{"county_year_missing", "55000",
		BF_MSG("the urban permanent-resident households (城镇常住户) of %s are not recorded"),
		BF_MSG("二: households relieved in a year are kept within 5%% of that year's urban permanent-resident households."),
		BF_MSG("INSERT INTO bangfu_register.county_year (year, urban_households) VALUES (%s, ...);")},
	{"county_year_over_quota", "23514",
		BF_MSG("%s already has %s relief grants; %s urban households allow at most %s"),
		BF_MSG("二: households relieved in a year are kept within 5%% of that year's urban permanent-resident households."),
		NULL},
	{"county_year_in_use", "23514",
		BF_MSG("the households of %s cannot be removed: the year has %s relief grants"), NULL, NULL},
	{"shipped_row_fixed", "55000",
		BF_MSG("the shipped row of %s cannot be changed or removed"),
		BF_MSG("Rows marked shipped come with the extension (一, 九)."), NULL},
	{"shipped_row_only_install", "55000",
		BF_MSG("only the install script ships rows of %s"), NULL, NULL},
	{"fund_entry_fixed", "55000",
		BF_MSG("fund entries are never changed or removed (entry %s)"),
		BF_MSG("一: every movement of a fund stays on its books."),
		BF_MSG("Correct a mistake with a reversing entry: INSERT INTO bangfu_register.fund_entry (fund, program, amount, reverses) VALUES (%s, %s, %s, %s);")},
	{"fund_entry_only_install", "55000",
		BF_MSG("only the install script books opening credits"), NULL, NULL},
	{"fund_reversal_missing", "23503",
		BF_MSG("entry %s reverses entry %s, which does not exist"), NULL, NULL},
	{"fund_reversal_twice", "23505",
		BF_MSG("entry %s is already reversed"), NULL, NULL},
	{"fund_reversal_mismatch", "23514",
		BF_MSG("a reversal of entry %s must be booked against fund %s and program %s, for %s, on or after %s"),
		BF_MSG("The reversal says fund %s, program %s, %s on %s."), NULL},
	{"no_program", NULL,
		BF_MSG("(none)"), NULL, NULL},
	{"fund_credit_names_program", "23514",
		BF_MSG("money into fund %s names no program (it names %s)"), NULL,
		BF_MSG("To take back a disbursement, reverse it (column reverses).")},
	{"fund_debit_no_program", "23514",
		BF_MSG("a disbursement from fund %s must name the program it pays for"), NULL,
		BF_MSG("The programs are the rows of bangfu_register.program.")},
	{"program_unknown", "23503",
		BF_MSG("unknown program \"%s\""), NULL,
		BF_MSG("The programs are the rows of bangfu_register.program.")},
	{"program_other_fund", "23514",
		BF_MSG("program %s is paid from fund %s, not from fund %s"),
		BF_MSG("一: 渠道不乱、用途不变; a fund's money keeps its purpose."), NULL},
	{"fund_entry_no_truncate", "55000",
		BF_MSG("fund entries are never removed: %s cannot be truncated"),
		BF_MSG("一: every movement of a fund stays on its books."), NULL},
	/*
	 * policy_money.sql: a policy change dated in the past (十二; issue 13);
	 * the two differ in the detail only: whether benefits are recorded in the
	 * years it reaches back over (bangfu.policy_reaches_back).
	 */
	{"policy_backdated", "22023",
		BF_MSG("policy %s from %s is dated before today and has no acknowledgement"),
		BF_MSG("Benefits are already recorded in %s or later: what was paid may become owed or overpaid (补发). 十二: a change dated in the past is accepted only with an acknowledgement recorded with it."),
		BF_MSG("Say why, and on whose decision, in column backdate_ack (a new one on each change of value or date): INSERT INTO bangfu.policy (..., backdate_ack) VALUES (..., '...'); what it changes: bangfu_register.arrears().")},
	{"policy_backdated_unpaid", "22023",
		BF_MSG("policy %s from %s is dated before today and has no acknowledgement"),
		BF_MSG("No benefits are recorded in %s or later yet. 十二: a change dated in the past is accepted only with an acknowledgement recorded with it."),
		BF_MSG("Say why, and on whose decision, in column backdate_ack (a new one on each change of value or date): INSERT INTO bangfu.policy (..., backdate_ack) VALUES (..., '...'); what it changes: bangfu_register.arrears().")},
	/* policy_money.sql: removing a version dated in the past (十二) */
	{"policy_remove_backdated", "22023",
		BF_MSG("policy %s from %s is dated before today: removing it needs an acknowledgement"),
		BF_MSG("十二: the version may have been in force when benefits were paid; it is kept in bangfu.policy_superseded with the acknowledgement."),
		BF_MSG("Say why, and on whose decision, in this session first: SET LOCAL bangfu.backdate_ack = '...'; then DELETE.")},
	/* register_money.sql: sources, transfers, commitments, payments (一, 二; issue 13) */
	{"fund_credit_no_source", "23514",
		BF_MSG("money into fund %s must name its source"),
		BF_MSG("一: money in is booked by source."),
		BF_MSG("The sources are the rows of bangfu_register.fund_source (column source).")},
	{"fund_debit_names_source", "23514",
		BF_MSG("a disbursement from fund %s names no source (it names %s)"), NULL, NULL},
	{"fund_transfer_leg", "23514",
		BF_MSG("an entry of transfer %s names no program and no source"), NULL, NULL},
	{"fund_transfer_fixed", "55000",
		BF_MSG("transfers between funds are never changed or removed (transfer %s)"),
		BF_MSG("一: every movement of a fund stays on its books."),
		BF_MSG("Undo it with a transfer back: INSERT INTO bangfu_register.fund_transfer (from_fund, to_fund, amount, authority) VALUES ('%s', '%s', %s, '...');")},
	{"fund_commitment_fixed", "55000",
		BF_MSG("commitments are never changed or removed (commitment %s)"),
		BF_MSG("一: a commitment is released by paying the installment or withdrawing the grant."), NULL},
	{"relief_fund_short", "23514",
		BF_MSG("a relief grant of %s cannot be approved: fund %s has %s uncommitted"),
		BF_MSG("二, 一: approving a grant commits both installments against the fund. For reason %s, %s of the uncommitted balance is kept for critical illness (policy relief.fund.reserve), which leaves %s."),
		BF_MSG("Wait for money in (or a transfer), or for a grant to be withdrawn.")},
	{"relief_withdrawn_fixed", "55000",
		BF_MSG("relief grant %s was withdrawn on %s; a withdrawal is final"), NULL, NULL},
	{"relief_committed_fixed", "55000",
		BF_MSG("relief grant %s is paid in part or withdrawn: its amount and date are fixed"), NULL,
		BF_MSG("Reverse its payments first, or approve a new grant.")},
	{"relief_paid_by_fund", "23514",
		BF_MSG("the installments of relief grant %s are paid from its fund: their paid days are those of the payments"), NULL,
		BF_MSG("SELECT bangfu_register.pay_installment(grant_id, installment, paid_on);")},
	{"relief_payment_no_grant", "23514",
		BF_MSG("a payment of program relief_grant from fund %s must name the grant and installment it pays"), NULL,
		BF_MSG("SELECT bangfu_register.pay_installment(grant_id, installment, paid_on);")},
	{"relief_payment_not_relief", "23514",
		BF_MSG("an entry naming relief grant %s must be a payment of program relief_grant (it names %s)"), NULL, NULL},
	{"relief_payment_unknown_grant", "23503",
		BF_MSG("relief grant %s does not exist"), NULL, NULL},
	{"relief_payment_withdrawn", "23514",
		BF_MSG("relief grant %s was withdrawn on %s and is not paid"), NULL, NULL},
	{"relief_payment_twice", "23505",
		BF_MSG("installment %s of relief grant %s is already paid"), NULL,
		BF_MSG("A payment booked by mistake is reversed first (column reverses).")},
	{"relief_payment_amount", "23514",
		BF_MSG("a payment of %s does not match installment %s of relief grant %s, which is %s"),
		BF_MSG("二: the amount is paid in two installments, half rounded up to the fen first, the rest second."), NULL},
	{"relief_payment_early", "23514",
		BF_MSG("relief grant %s cannot be paid on %s, before it was granted on %s"), NULL, NULL},
	{"relief_payment_order", "23514",
		BF_MSG("the second installment of relief grant %s cannot be paid before the first"), NULL, NULL},
	{"relief_reversal_order", "23514",
		BF_MSG("entry %s paid the first installment of relief grant %s, whose second installment is paid: reverse the second first"), NULL, NULL},
	{"backpay_fixed", "55000",
		BF_MSG("back-payments are never changed or removed (back-payment %s)"),
		BF_MSG("十二: a back-payment is a payment; one booked by mistake is reported, as an overpayment, by bangfu_register.arrears."), NULL},
	{"backpay_beyond_owed", "23514",
		BF_MSG("a back-payment of %s is more than %s row %s is owed, which is %s"),
		BF_MSG("十二: a back-payment pays what a change that reaches back made owed (bangfu_register.verify, kind owed), less the back-payments booked on the row already; a row that differs (a hand edit) is owed nothing."),
		BF_MSG("SELECT * FROM bangfu_register.backpay_owed(tab, row_id); SELECT * FROM bangfu_register.arrears();")},
	{"medical_backpay_beyond_owed", "23514",
		BF_MSG("a back-payment of %s (%s) is more than person %s is owed for %s, which is %s"),
		BF_MSG("十二, 四: a back-payment pays what a change that reaches back made the person-year's stays owed (bangfu_register.verify, kinds owed and overpaid net), less the back-payments booked for the year already; a stay that differs (a hand edit) is owed nothing."),
		BF_MSG("SELECT * FROM bangfu_register.medical_backpay_owed(person, year); SELECT * FROM bangfu_register.arrears();")},
	{"backpay_no_truncate", "55000",
		BF_MSG("back-payments are never removed: %s cannot be truncated"),
		BF_MSG("十二: a back-payment is a payment; one booked by mistake is reported, as an overpayment, by bangfu_register.arrears."), NULL},
	{"backpay_unknown_row", "23503",
		BF_MSG("%s row %s does not exist: there is nothing to pay back"), NULL, NULL},
	{"backpay_unknown_table", "22023",
		BF_MSG("no back-payment is booked on table %s"),
		BF_MSG("十二: back-payments complete rows of pension_subsidy (五), employer_subsidy (八(1)) and fee_waiver (十); 四 has medical_backpay."), NULL},
	{"adopt_commit_short", "23514",
		BF_MSG("the 0.2.0 register cannot be adopted: its approved grants still owe %s in %s unpaid installments against fund %s, whose uncommitted balance is %s (%s short)"),
		BF_MSG("一, 二: since 0.3.0 every unpaid installment of an approved grant is committed against its fund, and the fund's uncommitted balance never goes below zero. Nothing was changed."),
		BF_MSG("Book the missing money into fund %s (or record the installments 0.2.0 paid in paid_first_on and paid_second_on), then run ALTER EXTENSION bangfu_register UPDATE again; or adopt it over-committed, to withdraw what cannot be paid: BEGIN; SET LOCAL bangfu_register.adopt_overcommitted = on; ALTER EXTENSION bangfu_register UPDATE; COMMIT;")},
	{"register_drop_with_data", "2BP01",
		BF_MSG("the ready register holds entered data: dropping it would delete %s"),
		BF_MSG("十二: the register (台账) of households, grants, stays and fund entries is the county's record; DROP does not delete it silently."),
		BF_MSG("Export it first (pg_dump -Fc -d DBNAME -f register.dump; see doc/operations.md, \"Removing bangfu\"), then drop it with its data in one transaction: BEGIN; SET LOCAL bangfu_register.drop_with_data = on; DROP ...; COMMIT;")},
	/* drop_guard.sql: bangfu's own entered rows (十二) */
	{"bangfu_drop_with_data", "2BP01",
		BF_MSG("bangfu holds data the county entered: dropping it would delete %s"),
		BF_MSG("十二: the policy versions, scenarios, limits, their ledger and the holidays the county entered are its record; DROP does not delete them silently."),
		BF_MSG("Export them first (pg_dump -Fc -d DBNAME -f county.dump; see doc/operations.md, \"Removing bangfu\"), then drop bangfu with its data in one transaction: BEGIN; SET LOCAL bangfu.drop_with_data = on; DROP ...; COMMIT;")},
	{"table_rows", NULL,
		BF_MSG("%s (%s rows)"), NULL, NULL},
	{"verify_range", "22023",
		BF_MSG("from_date %s is after to_date %s"),
		BF_MSG("bangfu_register.verify (issue 13, a live conformance check) checks the rows dated from from_date to to_date."), NULL},
	/* register_employment/pairing/training/jobs.sql: the clauses about people (issue 14) */
	{"people_row_fixed", "55000",
		BF_MSG("%s row %s is history: only its note, end or channel may change"),
		BF_MSG("A checked record of the register is corrected by a new one, not rewritten."), NULL},
	{"what_people_checked", NULL,
		BF_MSG("record a row as already checked (recorded_at)"), NULL, NULL},
	{"person_not_named", "23503",
		BF_MSG("%s: no member of the register has ID number %s and the name given (person_name)"),
		BF_MSG("二要素: a role that does not read the register's members names each person it records by ID number and name, both as the register has them; the name is checked, not kept."),
		BF_MSG("Give the person's name as the register has it in person_name.")},
	{"pension_no_contribution", "23503",
		BF_MSG("pension contribution %s is not recorded"),
		BF_MSG("五: 先缴后补, a subsidy refers to a recorded contribution."), NULL},
	{"pension_before_payment", "22023",
		BF_MSG("a pension subsidy paid on %s would come before contribution %s, paid on %s"),
		BF_MSG("五: 先缴后补, the subsidy is paid after the contribution."), NULL},
	{"pension_not_flexible", "23514",
		BF_MSG("person %s held no employment-unemployment registration certificate in flexible employment on %s"),
		BF_MSG("五: 持《就业失业登记证》并通过自谋职业实现灵活就业 ... 以个人身份缴纳养老保险金时 ... 给予养老保险金补贴."), NULL},
	{"pension_months_used_up", "23514",
		BF_MSG("person %s has had %s months of pension subsidy, the most is %s"),
		BF_MSG("五: 最长补贴期限为3年 (policy pension.max_months)."), NULL},
	{"subsidy_month_not_first", "22023",
		BF_MSG("month %s of an employer subsidy is not the first day of a month"), NULL,
		BF_MSG("Give the contribution month as its first day, e.g. 2026-03-01.")},
	{"hire_unknown", "23503",
		BF_MSG("hire %s is not recorded"), NULL, NULL},
	{"hire_not_hard_to_employ", "23514",
		BF_MSG("hire %s: person %s was not hard to employ on the hire date %s"),
		BF_MSG("八(1): 招用男年满45周岁、女年满40周岁就业困难人员."), NULL},
	{"subsidy_month_outside_window", "23514",
		BF_MSG("month %s is outside the subsidy window of hire %s (hired %s, window to %s)"),
		BF_MSG("八(1): 期限1年, only months inside the first employer.subsidy.window_months months after the hire date, until the person leaves."), NULL},
	{"waiver_not_hard_to_employ", "23514",
		BF_MSG("person %s was not hard to employ on %s: no registration fee waiver"),
		BF_MSG("十: 对就业困难人员自主创业从事个体经营的减免登记类收费."), NULL},
	{"rent_not_eligible", "23514",
		BF_MSG("employer %s is not a handicraft business renting in the eco-cultural park"),
		BF_MSG("十: 对在城东生态文化园租房从事刺绣、地毯等工艺品制作、收购、销售的企业和个体工商户, 房屋租赁费用上给予优惠."), NULL},
	{"rent_concession_too_high", "22023",
		BF_MSG("a rent concession of %s on a rent of %s is more than %s, the most on %s"),
		BF_MSG("十: policy business.rent_concession_rate."), NULL},
	{"pairing_not_unhooked", "23514",
		BF_MSG("pairing %s cannot end on %s: household %s is still in hardship and the leader has not left"),
		BF_MSG("三: 做到帮扶对象不解困不脱钩; a pairing ends when the household leaves hardship (hardship_exit) or the leader retires or is transferred (leader.left_on)."), NULL},
	{"pairing_born_ended", "22023",
		BF_MSG("a new pairing cannot already be ended"), NULL, NULL},
	{"leader_unknown", "23503",
		BF_MSG("leader %s is not recorded"), NULL, NULL},
	{"leader_has_left", "23514",
		BF_MSG("leader %s (%s) left on %s"),
		BF_MSG("三: 退休和调离的其帮扶对象由两办安排其他县级领导帮扶."), NULL},
	{"pairing_not_in_hardship", "23514",
		BF_MSG("resident %s: household %s is not in hardship on %s"),
		BF_MSG("三: leaders help urban residents in hardship (城镇困难居民)."), NULL},
	{"leader_already_helping", "23514",
		BF_MSG("leader %s (%s) already helps %s residents, the most is %s"),
		BF_MSG("三: 每人帮扶一名城镇困难居民 (policy pairing.residents_per_leader)."), NULL},
	{"resident_already_helped", "23514",
		BF_MSG("resident %s already has a helping leader"),
		BF_MSG("三: one leader per resident at a time."), NULL},
	{"visit_outside_pairing", "22023",
		BF_MSG("a visit on %s is outside pairing %s (%s to %s)"), NULL, NULL},
	{"training_not_new_labour", "23514",
		BF_MSG("person %s is not of the new labour force of a household in hardship for course %s starting %s (age %s)"),
		BF_MSG("六: 对城镇困难家庭新成长劳动力普遍实行免费劳动预备制培训 (policy training.new_labour.min_age, max_age)."), NULL},
	{"training_full", "23514",
		BF_MSG("course %s is full (%s seats)"), NULL, NULL},
	{"refusal_reason_unknown", "22023",
		BF_MSG("\"%s\" is not a refusal's exclusion reason"), NULL, NULL},
	{"refusal_course", "22023",
		BF_MSG("a refusal of kind %s names a course only when it is a refusal of training"), NULL, NULL},
	{"refusal_note", NULL,
		BF_MSG("六: refusal of training or employment assistance by %s"), NULL, NULL},
	{"welfare_post_full", "23514",
		BF_MSG("public-welfare post %s is full (%s seats)"), NULL, NULL},
	{"welfare_priority", "23514",
		BF_MSG("post %s (%s): %s candidates of households in hardship are waiting (first %s); placing someone else needs a recorded priority_reason"),
		BF_MSG("七: 优先安置城镇困难家庭成员就业."), NULL},
	{"informed_before_posting", "22023",
		BF_MSG("nobody is informed on %s of posting %s, posted on %s"), NULL, NULL},
	{"placed_before_post", "22023",
		BF_MSG("a placement on %s comes before post %s opened on %s"), NULL, NULL},
	{"informed_not_matching", "23514",
		BF_MSG("person %s is not a seeker matching posting %s"), NULL, NULL},
	{"informed_not_first", "23514",
		BF_MSG("person %s cannot be informed of posting %s yet: %s matching seekers of households in hardship have not been informed"),
		BF_MSG("十二: 优先为困难家庭提供就业信息."), NULL},
};

/* Whether bf_format may substitute into fmt: placeholders it understands. */
static int
bf_count_args(const char *fmt)
{
	int			n = 0;
	int			maxpos = 0;

	if (fmt == NULL)
		return 0;
	for (const char *p = fmt; *p; p++)
	{
		if (*p != '%')
			continue;
		p++;
		if (*p == '%')
			continue;
		if (*p == 's')
		{
			n++;
			continue;
		}
		if (*p >= '1' && *p <= '9')
		{
			int			pos = 0;

			while (*p >= '0' && *p <= '9')
				pos = pos * 10 + (*p++ - '0');
			if (*p == '$' && p[1] == 's')
			{
				p++;
				maxpos = Max(maxpos, pos);
				continue;
			}
		}
		elog(ERROR, "bangfu message \"%s\" has a placeholder other than %%s", fmt);
	}
	return Max(n, maxpos);
}

/*
 * Substitute nargs strings into fmt (already translated): "%s" takes the
 * next, "%N$s" the Nth, "%%" is "%".
 */
static char *
bf_format(const char *fmt, char **args, int nargs)
{
	StringInfoData buf;
	int			next = 0;

	initStringInfo(&buf);
	for (const char *p = fmt; *p; p++)
	{
		int			i;

		if (*p != '%')
		{
			appendStringInfoChar(&buf, *p);
			continue;
		}
		p++;
		if (*p == '%')
		{
			appendStringInfoChar(&buf, '%');
			continue;
		}
		if (*p == 's')
			i = next++;
		else if (*p >= '1' && *p <= '9')
		{
			int			pos = 0;

			while (*p >= '0' && *p <= '9')
				pos = pos * 10 + (*p++ - '0');
			if (*p != '$' || p[1] != 's')
				elog(ERROR, "bangfu message \"%s\" has a bad placeholder", fmt);
			p++;
			i = pos - 1;
		}
		else
			elog(ERROR, "bangfu message \"%s\" has a bad placeholder", fmt);
		if (i < 0 || i >= nargs)
			elog(ERROR, "bangfu message \"%s\" refers to a missing argument", fmt);
		appendStringInfoString(&buf, args[i]);
	}
	return buf.data;
}

static const BfMessage *
bf_lookup(text *key)
{
	char	   *k = text_to_cstring(key);

	for (int i = 0; i < lengthof(bf_messages); i++)
		if (strcmp(bf_messages[i].key, k) == 0)
			return &bf_messages[i];
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("bangfu has no message \"%s\"", k)));
	return NULL;				/* keep compiler quiet */
}

/* The elements of an array, as strings (NULL as <NULL>). Sets *nargs. */
static char **
bf_array_args(ArrayType *arr, int *nargs)
{
	Oid			elemtype = ARR_ELEMTYPE(arr);
	int16		typlen;
	bool		typbyval;
	char		typalign;
	Datum	   *elems;
	bool	   *nulls;
	Oid			outfn;
	bool		isvarlena;
	char	  **out;

	get_typlenbyvalalign(elemtype, &typlen, &typbyval, &typalign);
	deconstruct_array(arr, elemtype, typlen, typbyval, typalign, &elems, &nulls, nargs);
	getTypeOutputInfo(elemtype, &outfn, &isvarlena);
	out = palloc(sizeof(char *) * Max(*nargs, 1));
	for (int i = 0; i < *nargs; i++)
		out[i] = nulls[i] ? "<NULL>" : OidOutputFunctionCall(outfn, elems[i]);
	return out;
}

/*
 * The arguments after the key, as strings: VARIADIC "any" called with a list
 * or with VARIADIC ARRAY[...].  Sets *nargs.
 */
static char **
bf_collect_args(FunctionCallInfo fcinfo, int *nargs)
{
	char	  **out;

	if (PG_NARGS() <= 1)
	{
		*nargs = 0;
		return NULL;
	}
	if (get_fn_expr_variadic(fcinfo->flinfo))
	{
		if (PG_ARGISNULL(1))
		{
			*nargs = 0;
			return NULL;
		}
		return bf_array_args(PG_GETARG_ARRAYTYPE_P(1), nargs);
	}

	*nargs = PG_NARGS() - 1;
	out = palloc(sizeof(char *) * *nargs);
	for (int i = 0; i < *nargs; i++)
	{
		Oid			typ = get_fn_expr_argtype(fcinfo->flinfo, i + 1);
		Oid			outfn;
		bool		isvarlena;

		if (PG_ARGISNULL(i + 1))
		{
			out[i] = "<NULL>";
			continue;
		}
		if (!OidIsValid(typ))
			elog(ERROR, "could not determine the type of argument %d of a bangfu message", i + 1);
		getTypeOutputInfo(typ, &outfn, &isvarlena);
		out[i] = OidOutputFunctionCall(outfn, PG_GETARG_DATUM(i + 1));
	}
	return out;
}

/*
 * A part of a message in the database's encoding: gettext's translation
 * arrives in it already (pg_bindtextdomain); the untranslated English text
 * is the UTF-8 of this file, and its seed clauses (一, 渠道不乱 ...) must
 * be converted for an EUC_CN database (doc/operations.md).
 */
static const char *
bf_tr(const char *msgid)
{
	const char *tr = dgettext(TEXTDOMAIN, msgid);

	if (tr != msgid || GetDatabaseEncoding() == PG_UTF8)
		return tr;
	return pg_any_to_server(msgid, strlen(msgid), PG_UTF8);
}

/*
 * Translate the message's three parts and put the arguments in; the
 * arguments must be exactly as many as the English parts' placeholders.
 */
static void
bf_render(const BfMessage *m, char **args, int nargs,
		  char **msg, char **detail, char **hint)
{
	int			nm = bf_count_args(m->msg);
	int			nd = bf_count_args(m->detail);
	int			nh = bf_count_args(m->hint);

	if (nargs != nm + nd + nh)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("bangfu message \"%s\" takes %d arguments, not %d",
						m->key, nm + nd + nh, nargs)));
	*msg = bf_format(bf_tr(m->msg), args, nm);
	*detail = m->detail ? bf_format(bf_tr(m->detail), args + nm, nd) : NULL;
	*hint = m->hint ? bf_format(bf_tr(m->hint), args + nm + nd, nh) : NULL;
}

/* Raise message m with its arguments, in the language of lc_messages. */
static void
bf_raise(const BfMessage *m, char **args, int nargs)
{
	char	   *msg,
			   *detail,
			   *hint;
	const char *s = m->sqlstate;

	if (s == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("bangfu message \"%s\" is a fragment, not an error", m->key)));
	bf_render(m, args, nargs, &msg, &detail, &hint);
	ereport(ERROR,
			errcode(MAKE_SQLSTATE(s[0], s[1], s[2], s[3], s[4])),
			errmsg_internal("%s", msg),
			detail ? errdetail_internal("%s", detail) : 0,
			hint ? bf_errhint_text("%s", hint) : 0);
}

/* RAISE for PL/pgSQL, in the language of lc_messages (see the top). */
PG_FUNCTION_INFO_V1(bf_raise_error);
Datum
bf_raise_error(PG_FUNCTION_ARGS)
{
	const BfMessage *m;
	char	  **args;
	int			nargs;

	if (PG_ARGISNULL(0))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("the message key of %s must not be NULL", "bangfu.raise_error")));
	m = bf_lookup(PG_GETARG_TEXT_PP(0));
	args = bf_collect_args(fcinfo, &nargs);
	bf_raise(m, args, nargs);
	PG_RETURN_VOID();
}

/*
 * The same for the install and update scripts' guards, which run before
 * bangfu.raise_error exists (or, in a schema someone else may have prepared,
 * may be trusted): bangfu.install_refusal(key text, args text[]) is created
 * first and called with exactly these types, so no look-alike with another
 * signature is picked instead; src/register.sql and the register's
 * 'unpackaged' script reach it through a temporary function when bangfu is
 * older than they are.
 */
PG_FUNCTION_INFO_V1(bf_install_refusal);
Datum
bf_install_refusal(PG_FUNCTION_ARGS)
{
	char	  **args = NULL;
	int			nargs = 0;

	if (PG_ARGISNULL(0))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("the message key of %s must not be NULL", "bangfu.install_refusal")));
	if (!PG_ARGISNULL(1))
		args = bf_array_args(PG_GETARG_ARRAYTYPE_P(1), &nargs);
	bf_raise(bf_lookup(PG_GETARG_TEXT_PP(0)), args, nargs);
	PG_RETURN_VOID();
}

/* A message or fragment as text in the language of lc_messages. */
PG_FUNCTION_INFO_V1(bf_message_text);
Datum
bf_message_text(PG_FUNCTION_ARGS)
{
	const BfMessage *m;
	char	  **args;
	int			nargs;
	char	   *msg,
			   *detail,
			   *hint;

	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	m = bf_lookup(PG_GETARG_TEXT_PP(0));
	args = bf_collect_args(fcinfo, &nargs);
	bf_render(m, args, nargs, &msg, &detail, &hint);
	PG_RETURN_TEXT_P(cstring_to_text(msg));
}
