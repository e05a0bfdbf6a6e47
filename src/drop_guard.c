/*
 * drop_guard.c
 *		The event trigger that keeps a DROP from deleting what a county
 *		entered silently: bangfu's policy versions, scenarios, limits and
 *		ledger, and the ready register (十二: 台账, the county's record).
 *
 * The decision and the message are SQL (bangfu.drop_check, src/drop_guard.sql),
 * one guard for both extensions.  What SQL cannot see is the statement
 * itself: at ddl_command_start nothing is dropped yet, and an sql_drop
 * trigger comes too late (the rows are gone, and DROP EXTENSION bangfu drops
 * the trigger before it would fire).  This function reads the DROP's parse
 * tree (which extensions, schemas or roles it names, and whether it
 * cascades) and hands that to drop_check.
 */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "commands/event_trigger.h"
#include "executor/spi.h"
#include "fmgr.h"
#include "miscadmin.h"
#include "nodes/parsenodes.h"
#include "utils/acl.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/guc.h"

/* called by _PG_init (bangfu.c) */
void		bf_drop_guard_init(void);

/* The overrides; read through pg_settings, which tells where a value came from. */
static bool bf_drop_with_data_rules = false;
static bool bf_drop_with_data_register = false;

/*
 * Declared, not left as placeholders: superuser-only (the extensions are
 * not trusted: only a superuser installs, and so owns and drops, them), so
 * that nobody else can set one, not even as a database's or role's default
 * (ALTER DATABASE ... SET, which a database owner may do for a user
 * setting); and shown by pg_settings with their source, so that
 * bangfu.drop_with_data(ext) honours only a value this session set (SET,
 * SET LOCAL), never a default or a configuration file.
 */
static void
define_override(const char *name, const char *description, bool *var)
{
	int			flags = GetConfigOptionFlags(name, true);

	/* already defined by another copy of this code in the backend (the fixture module) */
	if (flags != 0 && (flags & GUC_CUSTOM_PLACEHOLDER) == 0)
		return;
	DefineCustomBoolVariable(name, description, NULL, var, false, PGC_SUSET,
							 GUC_NOT_IN_SAMPLE, NULL, NULL, NULL);
}

/* Declare both overrides (called by _PG_init). */
void
bf_drop_guard_init(void)
{
	define_override("bangfu.drop_with_data",
					gettext_noop("Lets DROP delete the rows the county entered in bangfu's tables, when set in this session (十二; doc/operations.md)."),
					&bf_drop_with_data_rules);
	define_override("bangfu_register.drop_with_data",
					gettext_noop("Lets DROP delete the rows the county entered in the ready register, when set in this session (十二; doc/operations.md)."),
					&bf_drop_with_data_register);
}

/* What a DROP statement names, as drop_check takes it; false if it drops nothing that matters. */
static bool
drop_targets(Node *tree, const char **kind, List **names, bool *cascade)
{
	ListCell   *lc;

	*names = NIL;
	if (IsA(tree, DropStmt))
	{
		DropStmt   *stmt = (DropStmt *) tree;

		if (stmt->removeType == OBJECT_EXTENSION)
			*kind = "extension";
		else if (stmt->removeType == OBJECT_SCHEMA)
			*kind = "schema";
		else
			return false;
		*cascade = (stmt->behavior == DROP_CASCADE);
		foreach(lc, stmt->objects)
			*names = lappend(*names, strVal(lfirst(lc)));
		return true;
	}
	if (IsA(tree, DropOwnedStmt))
	{
		DropOwnedStmt *stmt = (DropOwnedStmt *) tree;

		*kind = "owned";
		*cascade = (stmt->behavior == DROP_CASCADE);
		foreach(lc, stmt->roles)
		{
			RoleSpec   *spec = (RoleSpec *) lfirst(lc);

			if (spec->roletype != ROLESPEC_PUBLIC)
				*names = lappend(*names, get_rolespec_name(spec));
		}
		return true;
	}
	return false;
}

PG_FUNCTION_INFO_V1(bf_drop_guard);

/* ddl_command_start: let bangfu.drop_check refuse a DROP that would delete entered rows. */
Datum
bf_drop_guard(PG_FUNCTION_ARGS)
{
	EventTriggerData *trigdata;
	const char *kind = NULL;
	List	   *names;
	bool		cascade = false;
	Datum	   *elems;
	int			n = 0;
	ListCell   *lc;
	Oid			argtypes[3] = {TEXTOID, TEXTARRAYOID, BOOLOID};
	Datum		values[3];

	if (!CALLED_AS_EVENT_TRIGGER(fcinfo))
		elog(ERROR, "bf_drop_guard: not called by the event trigger manager");
	trigdata = (EventTriggerData *) fcinfo->context;
	if (!drop_targets(trigdata->parsetree, &kind, &names, &cascade))
		PG_RETURN_NULL();

	elems = palloc(sizeof(Datum) * (list_length(names) + 1));
	foreach(lc, names)
		elems[n++] = CStringGetTextDatum((char *) lfirst(lc));
	values[0] = CStringGetTextDatum(kind);
	values[1] = PointerGetDatum(construct_array(elems, n, TEXTOID, -1, false, TYPALIGN_INT));
	values[2] = BoolGetDatum(cascade);

	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "bf_drop_guard: SPI_connect failed");
	if (SPI_execute_with_args("SELECT bangfu.drop_check($1, $2, $3)",
							  3, argtypes, values, NULL, false, 0) != SPI_OK_SELECT)
		elog(ERROR, "bf_drop_guard: drop_check failed");
	SPI_finish();
	PG_RETURN_NULL();
}
