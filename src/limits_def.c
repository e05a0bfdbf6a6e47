/*
 * limits_def.c
 *		The limit engine's definitions: bangfu.limit_def and
 *		bangfu.limit_share, cached per backend, and the cap of a limit on a
 *		date (a policy parameter or a checked cap function).
 *
 * The cache is dropped whenever limit_def, limit_share or usage changes
 * (relcache callback); a LimitHandle copies what a caller needs and knows
 * the cache generation it was made in, so the trigger's configuration
 * (limits_row.c) and the SQL functions (limits_sql.c) see a changed limit
 * at their next call.  The rest of the engine is described in limits_engine.h.
 */
#include "postgres.h"

#include "access/genam.h"
#include "access/htup_details.h"
#include "access/table.h"
#include "catalog/dependency.h"
#include "catalog/namespace.h"
#include "catalog/pg_class.h"
#include "catalog/pg_proc.h"
#include "catalog/pg_type.h"
#include "commands/extension.h"
#include "executor/spi.h"
#include "miscadmin.h"
#include "utils/acl.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/fmgroids.h"
#include "utils/guc.h"
#include "utils/inval.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/rel.h"
#include "utils/syscache.h"

#include "limits_engine.h"
#include "money.h"

static MemoryContext defs_cxt = NULL;
static LimitDef *defs = NULL;
static int	ndefs = 0;
static bool defs_valid = false;
static uint64 defs_generation = 1;
static Oid	limit_def_relid = InvalidOid;
static Oid	usage_relid = InvalidOid;
static Oid	usage_pkey = InvalidOid;
static Oid	limit_share_relid = InvalidOid;

/* Every change to the limit tables drops the cache. */
static void
defs_relcache_cb(Datum arg, Oid relid)
{
	if (relid == InvalidOid || relid == limit_def_relid || relid == usage_relid ||
		relid == limit_share_relid)
	{
		defs_valid = false;
		defs_generation++;
		usage_pkey = InvalidOid;
	}
}

/* Read every limit definition, with a pinned search_path. */
static void
defs_load(void)
{
	Oid			nsp = get_namespace_oid("bangfu", true);
	MemoryContext old;
	uint64		i;
	int			save_nestlevel;

	if (!OidIsValid(nsp) ||
		!OidIsValid(limit_def_relid = get_relname_relid("limit_def", nsp)) ||
		!OidIsValid(usage_relid = get_relname_relid("usage", nsp)))
		ereport(ERROR,
				(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
				 errmsg("bangfu's limit tables are missing"),
				 errhint("Run CREATE EXTENSION bangfu in this database.")));

	if (defs_cxt == NULL)
		defs_cxt = AllocSetContextCreate(TopMemoryContext, "bangfu limit definitions",
										 ALLOCSET_SMALL_SIZES);
	else
		MemoryContextReset(defs_cxt);
	defs = NULL;
	ndefs = 0;

	/* the policy store's reader (policy.h): search_path pinned, SPI */
	save_nestlevel = bf_pinned_read_begin();
	/* a catalog not yet updated to 0.3.0: no admissions, no zero_cap, no subjects */
	limit_share_relid = get_relname_relid("limit_share", nsp);
	/*
	 * cap_function is the function's name as text since 0.3.0 (pg_upgrade
	 * keeps no function OIDs, so it refuses a regprocedure column): resolved
	 * here, under the pinned search_path, to what it names now.  As text it
	 * reads a 0.2.0 catalog's regprocedure too.
	 */
	(void) bf_pinned_select(OidIsValid(limit_share_relid)
							? "SELECT name, clause, unit, period, direction, cap_param,"
							" pg_catalog.to_regprocedure(cap_function::pg_catalog.text)::pg_catalog.oid,"
							" zero_cap, subjects, cap_function IS NOT NULL FROM bangfu.limit_def"
							: "SELECT name, clause, unit, period, direction, cap_param,"
							" pg_catalog.to_regprocedure(cap_function::pg_catalog.text)::pg_catalog.oid,"
							" cap_param IS NULL AND cap_function IS NULL, -1, cap_function IS NOT NULL"
							" FROM bangfu.limit_def", "bangfu.limit_def");
	old = MemoryContextSwitchTo(defs_cxt);
	defs = palloc0(sizeof(LimitDef) * Max(SPI_processed, 1));
	for (i = 0; i < SPI_processed; i++)
	{
		HeapTuple	tup = SPI_tuptable->vals[i];
		TupleDesc	desc = SPI_tuptable->tupdesc;
		bool		isnull;
		LimitDef   *d = &defs[i];
		char	   *unit;
		char	   *period;
		Datum		v;

		d->name = TextDatumGetCString(SPI_getbinval(tup, desc, 1, &isnull));
		d->clause = TextDatumGetCString(SPI_getbinval(tup, desc, 2, &isnull));
		unit = TextDatumGetCString(SPI_getbinval(tup, desc, 3, &isnull));
		period = TextDatumGetCString(SPI_getbinval(tup, desc, 4, &isnull));
		d->unit = unit[0] == 'm' ? 'm' : (unit[0] == 'c' ? 'c' : 'r');
		d->yearly = strcmp(period, "year") == 0;
		d->direction = DatumGetInt32(SPI_getbinval(tup, desc, 5, &isnull));
		v = SPI_getbinval(tup, desc, 6, &isnull);
		d->cap_param = isnull ? NULL : TextDatumGetCString(v);
		v = SPI_getbinval(tup, desc, 7, &isnull);
		d->cap_function = isnull ? InvalidOid : DatumGetObjectId(v);
		d->zero_cap = DatumGetBool(SPI_getbinval(tup, desc, 8, &isnull));
		d->subjects = DatumGetInt32(SPI_getbinval(tup, desc, 9, &isnull));
		d->has_cap_function = DatumGetBool(SPI_getbinval(tup, desc, 10, &isnull));
	}
	ndefs = (int) SPI_processed;
	MemoryContextSwitchTo(old);
	bf_pinned_read_end(save_nestlevel);
	defs_valid = true;
}

/* A definition by name in the cache as it is, or NULL. */
static const LimitDef *
defs_lookup(const char *name)
{
	int			i;

	for (i = 0; i < ndefs; i++)
		if (strcmp(defs[i].name, name) == 0)
			return &defs[i];
	return NULL;
}

/* A definition by name; an unknown name is the caller's error. */
const LimitDef *
bf_limits_def_find(const char *name)
{
	const LimitDef *d = NULL;

	/*
	 * A name not in a cache loaded earlier is read again from limit_def
	 * before it is called unknown.  Another session's commit becomes
	 * visible to snapshots a moment before its invalidation is sent, so a
	 * statement may see a new limit (pg_restore -j loading limit_def in one
	 * worker while another loads the attachments that name it) while this
	 * cache, checked for invalidations at the statement's start, does not
	 * have it yet.
	 */
	if (defs_valid && (d = defs_lookup(name)) == NULL)
	{
		defs_valid = false;
		defs_generation++;		/* as an invalidation would */
	}
	if (d == NULL)
	{
		defs_load();
		d = defs_lookup(name);
	}
	if (d != NULL)
		return d;
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("unknown limit \"%s\"", name),
			 errhint("The limits are the rows of bangfu.limit_def.")));
	return NULL;
}

/* Fill a handle from the definition of a limit. */
void
bf_limits_handle_resolve(LimitHandle *h, const char *name)
{
	const LimitDef *d = bf_limits_def_find(name);

	strlcpy(h->name, d->name, sizeof h->name);
	strlcpy(h->clause, d->clause, sizeof h->clause);
	h->unit = d->unit;
	h->yearly = d->yearly;
	h->direction = d->direction;
	h->has_param = d->cap_param != NULL;
	if (h->has_param)
		strlcpy(h->cap_param, d->cap_param, sizeof h->cap_param);
	h->has_cap_function = d->has_cap_function;
	h->cap_function = d->cap_function;
	h->zero_cap = d->zero_cap;
	h->subjects = d->subjects;
	bf_param_ref_init(&h->ref, h->cap_param);
	h->generation = defs_generation;
}

/* Whether a handle still matches the cached definitions. */
bool
bf_limits_handle_current(const LimitHandle *h)
{
	return h->generation == defs_generation && defs_valid;
}

/* bangfu.usage, the ledger (limits_ledger.c). */
Oid
bf_limits_usage_relid(void)
{
	if (!defs_valid)
		defs_load();
	return usage_relid;
}

/* The ledger's primary key, looked up again after any change to it. */
Oid
bf_limits_usage_pkey(Oid nsp)
{
	if (!OidIsValid(usage_pkey))
		usage_pkey = get_relname_relid("usage_pkey", nsp);
	return usage_pkey;
}

/* Whether a SECURITY DEFINER function sets its own search_path. */
static bool
proc_pins_search_path(HeapTuple tup)
{
	bool		isnull;
	Datum		cfg = SysCacheGetAttr(PROCOID, tup, Anum_pg_proc_proconfig, &isnull);
	Datum	   *elems;
	int			n,
				i;

	if (isnull)
		return false;
	deconstruct_array(DatumGetArrayTypeP(cfg), TEXTOID, -1, false, TYPALIGN_INT, &elems, NULL, &n);
	for (i = 0; i < n; i++)
		if (strncmp(TextDatumGetCString(elems[i]), "search_path=", 12) == 0)
			return true;
	return false;
}

/*
 * A cap function is the policy admin's choice (bangfu.limit_def), but it runs
 * inside the triggers of whoever writes a guarded row.  It is called only if
 * it still has the one shape the engine can read (date in, one number out)
 * and cannot run with the writer's rights: it belongs to bangfu, is owned by
 * a superuser, or is SECURITY DEFINER (it then runs as its owner).  The
 * limit_def guard refuses anything else when it is written; this check
 * catches a function dropped or altered since, so that nothing an admin
 * writes can crash the server or act as a superuser who writes a row.
 */
static Oid
cap_function_checked(const LimitHandle *h)
{
	HeapTuple	tup = SearchSysCache1(PROCOID, ObjectIdGetDatum(h->cap_function));
	Form_pg_proc p;
	const char *why = NULL;
	Oid			rettype;

	if (!HeapTupleIsValid(tup))
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_FUNCTION),
				 errmsg("the cap function of limit \"%s\" no longer exists", h->name),
				 errhint("The policy admin sets another one in bangfu.limit_def.")));
	p = (Form_pg_proc) GETSTRUCT(tup);
	rettype = p->prorettype;
	if (p->prokind != PROKIND_FUNCTION || p->proretset || p->pronargs != 1 ||
		p->proargtypes.values[0] != DATEOID)
		why = gettext_noop("it must take one date and return one number");
	else if (rettype != NUMERICOID && rettype != INT2OID && rettype != INT4OID && rettype != INT8OID)
		why = gettext_noop("it must return numeric or an integer");
	else if (!p->prosecdef && !superuser_arg(p->proowner) &&
			 getExtensionOfObject(ProcedureRelationId, h->cap_function) != get_extension_oid("bangfu", true))
		why = gettext_noop("it would run with the rights of whoever writes a guarded row: it must be SECURITY DEFINER, owned by a superuser, or bangfu's own");
	else if (p->prosecdef && !proc_pins_search_path(tup))
		why = gettext_noop("it is SECURITY DEFINER without its own search_path, so whoever writes a guarded row could steer it");
	else if (!superuser_arg(p->proowner) &&
			 getExtensionOfObject(ProcedureRelationId, h->cap_function) != get_extension_oid("bangfu", true) &&
			 !has_privs_of_role(p->proowner, get_role_oid("bangfu_policy_admin", true)))
		why = gettext_noop("it belongs to a role that may not change the limits (the limit names its function by name, which another role could take over)");
	ReleaseSysCache(tup);
	if (why)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_OBJECT_DEFINITION),
				 errmsg("the cap function of limit \"%s\" cannot be used: %s", h->name, bf_(why))));
	return rettype;
}

/* The cap in ledger units (fen for money) on a date. */
int64
bf_limits_handle_cap(LimitHandle *h, DateADT on_date)
{
	if (h->has_param)
	{
		const BfPolicyValue *v = bf_policy_get(&h->ref, NULL, on_date,
											   h->unit == 'm' ? BF_KIND_AMOUNT : BF_KIND_COUNT);

		return v->amount;
	}
	if (h->has_cap_function)
	{
		Oid			rettype = cap_function_checked(h);
		LOCAL_FCINFO(fc, 1);
		FmgrInfo	flinfo;
		Datum		d;
		int64		v;

		fmgr_info(h->cap_function, &flinfo);
		InitFunctionCallInfoData(*fc, &flinfo, 1, InvalidOid, NULL, NULL);
		fc->args[0].value = DateADTGetDatum(on_date);
		fc->args[0].isnull = false;
		d = FunctionCallInvoke(fc);
		if (fc->isnull)
			ereport(ERROR,
					(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
					 errmsg("the cap function of limit \"%s\" gave no cap (null)", h->name)));
		if (rettype == NUMERICOID)
		{
			if (bf_datum_to_fen_status(d, &v) != BF_MONEY_OK ||
				(h->unit != 'm' && v % 100 != 0))
				ereport(ERROR,
						(errcode(ERRCODE_DATA_EXCEPTION),
						 errmsg("the cap function of limit \"%s\" gave no valid cap", h->name)));
			return h->unit == 'm' ? v : v / 100;
		}
		v = rettype == INT2OID ? DatumGetInt16(d)
			: (rettype == INT4OID ? DatumGetInt32(d) : DatumGetInt64(d));
		if (v < 0 || v > INT64CONST(100000000000000))
			ereport(ERROR,
					(errcode(ERRCODE_DATA_EXCEPTION),
					 errmsg("the cap function of limit \"%s\" gave no valid cap", h->name)));
		return h->unit == 'm' ? v * 100 : v;
	}
	if (h->zero_cap)
		return 0;
	/* bangfu.limit_def's constraint makes this impossible; never guess a cap */
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_OBJECT_DEFINITION),
			 errmsg("limit \"%s\" has no cap", h->name)));
	return 0;
}

/*
 * Which books an attachment counts in (doc/limits.md, "Whose books"): the
 * limit's common books if the policy admin admitted the table to them
 * (bangfu.limit_share), which no temporary or unlogged table can be; else
 * the table's own.
 */
Oid
bf_limits_attachment_book(const char *limit_name, Oid tab)
{
	Relation	rel;
	ScanKeyData keys[2];
	SysScanDesc scan;
	bool		admitted;
	char		persistence = get_rel_persistence(tab);

	if (!defs_valid)
		defs_load();
	if (!OidIsValid(limit_share_relid))
		return InvalidOid;		/* not yet updated to 0.3.0: one book, as before */
	/* read directly, as the ledger is: whoever writes a guarded row needs no grant on it */
	rel = table_open(limit_share_relid, AccessShareLock);
	ScanKeyInit(&keys[0], 1, BTEqualStrategyNumber, F_TEXTEQ, CStringGetTextDatum(limit_name));
	ScanKeyInit(&keys[1], 2, BTEqualStrategyNumber, F_OIDEQ, ObjectIdGetDatum(tab));
	scan = systable_beginscan(rel, InvalidOid, false, NULL, 2, keys);
	admitted = HeapTupleIsValid(systable_getnext(scan));
	systable_endscan(scan);
	table_close(rel, AccessShareLock);
	if (!admitted)
		return tab;
	if (persistence != RELPERSISTENCE_PERMANENT)
		ereport(ERROR,
				(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
				 errmsg("limit \"%s\": table %s is not permanent and cannot count in the limit's common books",
						limit_name, get_rel_name(tab))));
	return InvalidOid;
}

/* Whether the caller may read a table admitted to a limit's common books. */
bool
bf_limits_reads_common_books(const char *limit_name)
{
	Relation	rel;
	ScanKeyData key;
	SysScanDesc scan;
	HeapTuple	tup;
	bool		may = false;

	if (!OidIsValid(limit_share_relid))
		return false;
	rel = table_open(limit_share_relid, AccessShareLock);
	ScanKeyInit(&key, 1, BTEqualStrategyNumber, F_TEXTEQ, CStringGetTextDatum(limit_name));
	scan = systable_beginscan(rel, InvalidOid, false, NULL, 1, &key);
	while (!may && HeapTupleIsValid(tup = systable_getnext(scan)))
	{
		bool		isnull;
		Oid			tab = DatumGetObjectId(heap_getattr(tup, 2, RelationGetDescr(rel), &isnull));

		may = pg_class_aclcheck(tab, GetUserId(), ACL_SELECT) == ACLCHECK_OK;
	}
	systable_endscan(scan);
	table_close(rel, AccessShareLock);
	return may;
}

/* An amount of a limit's units as a clerk reads it: yuan or a count. */
char *
bf_limits_units_text(const LimitHandle *h, int64 units)
{
	return h->unit == 'm' ? bf_fen_cstring(units) : psprintf("%lld", (long long) units);
}

/* Hook the definition cache and the books into invalidation and transaction end. */
void
bf_limits_init(void)
{
	CacheRegisterRelcacheCallback(defs_relcache_cb, (Datum) 0);
	RegisterXactCallback(bf_limits_xact_cb, NULL);
	RegisterSubXactCallback(bf_limits_subxact_cb, NULL);
}
