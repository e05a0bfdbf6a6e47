/*
 * caps.c
 *		The limit engine behind bangfu.attach_limit.
 *
 * A limit (bangfu.limit_def) caps what a subject may use per period: money
 * per person per calendar year (四), months per person (五, 八(1)), rows per
 * household or enterprise per year (二, 八(3)), or a fund's balance (一, 九).
 * bangfu.usage is its ledger: what each subject has used, per period and
 * guarded table.
 *
 * How a write is checked:
 *
 *	1. BEFORE INSERT/UPDATE (row): find the subject's ledger entry for the
 *	   transaction.  The first time a transaction touches an entry it takes
 *	   the advisory lock guarding its key (one of BF_LOCK_BUCKETS per limit),
 *	   held until the transaction ends, and then reads the ledger row.  With
 *	   the lock held nobody else can move that subject's usage, so the check
 *	   below cannot race.  The row is checked against the cap for its date
 *	   and then let through, clamped, or refused; what it takes is
 *	   *reserved* (money in counts at once, so later rows may spend it).
 *	2. AFTER INSERT/UPDATE/DELETE (row): what was really written is *booked*
 *	   as pending.  Rows that never got written (ON CONFLICT, a later
 *	   trigger skipping them) were only reserved.
 *	3. AFTER (statement): pending amounts go to bangfu.usage, reservations
 *	   are dropped.  A bulk load thus writes the ledger once per subject,
 *	   not once per row.
 *
 * Deadlocks: waits follow "wait-die" (see lock_key): a transaction that
 * holds one of these locks, or has written anything, waits only for younger
 * transactions and otherwise fails at once with 40001, which clients retry.
 * Two clerks booking the same two people in opposite order therefore get
 * one success and one retryable failure, never a deadlock.
 *
 * Under REPEATABLE READ and SERIALIZABLE the ledger row read in step 1 may
 * be older than a concurrent commit: step 1 compares the row versions its
 * snapshot sees with the latest ones and fails with 40001 if they differ,
 * so no check runs on stale figures.
 *
 * Subtransactions: every entry keeps a stack of states, one per
 * subtransaction level that changed it; a rolled back savepoint pops its
 * states, so the in-memory books always match what will be committed.
 */
#include "postgres.h"

#include "access/genam.h"
#include "access/heapam.h"
#include "access/htup_details.h"
#include "access/table.h"
#include "catalog/index.h"
#include "utils/fmgroids.h"
#include "utils/snapmgr.h"
#include "access/xact.h"
#include "access/xlog.h"
#include "catalog/namespace.h"
#include "catalog/pg_type.h"
#include "commands/trigger.h"
#include "common/hashfn.h"
#include "executor/spi.h"
#include "miscadmin.h"
#include "storage/lmgr.h"
#include "storage/lock.h"
#include "access/transam.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/date.h"
#include "utils/datetime.h"
#include "utils/hsearch.h"
#include "utils/inval.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/rel.h"
#include "utils/syscache.h"
#include "catalog/pg_class.h"
#include "catalog/pg_proc.h"
#include "catalog/pg_inherits.h"
#include "catalog/partition.h"
#include "commands/extension.h"
#include "catalog/dependency.h"
#include "catalog/pg_trigger.h"
#include "parser/parse_func.h"
#include "funcapi.h"
#include "utils/acl.h"
#include "utils/rls.h"
#include "access/tableam.h"
#include "utils/guc.h"

#include "caps.h"
#include "compat.h"
#include "policy.h"

/* ----- limit definitions, cached per backend ----- */

typedef struct LimitDef
{
	char	   *name;
	char	   *clause;
	char		unit;			/* 'm' money, 'c' count, 'r' rows */
	bool		yearly;
	int			direction;		/* 1, or -1 for balances */
	char	   *cap_param;		/* NULL if none */
	Oid			cap_function;	/* InvalidOid if none */
	bool		zero_cap;		/* the cap is zero by definition (balances) */
	int			subjects;		/* number of subject columns */
} LimitDef;

static MemoryContext defs_cxt = NULL;
static LimitDef *defs = NULL;
static int	ndefs = 0;
static bool defs_valid = false;
static uint64 defs_generation = 1;
static Oid	limit_def_relid = InvalidOid;
static Oid	usage_relid = InvalidOid;
static Oid	usage_pkey = InvalidOid;
static Oid	limit_share_relid = InvalidOid;

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

	save_nestlevel = NewGUCNestLevel();
	(void) set_config_option("search_path", "pg_catalog, pg_temp",
							 PGC_USERSET, PGC_S_SESSION,
							 GUC_ACTION_SAVE, true, 0, false);
	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	/* a catalog not yet updated to 0.3.0: no admissions, no zero_cap, no subjects */
	limit_share_relid = get_relname_relid("limit_share", nsp);
	if (SPI_execute(OidIsValid(limit_share_relid)
					? "SELECT name, clause, unit, period, direction, cap_param,"
					" cap_function::pg_catalog.oid, zero_cap, subjects FROM bangfu.limit_def"
					: "SELECT name, clause, unit, period, direction, cap_param,"
					" cap_function::pg_catalog.oid, cap_param IS NULL AND cap_function IS NULL, -1"
					" FROM bangfu.limit_def", true, 0) != SPI_OK_SELECT)
		elog(ERROR, "reading bangfu.limit_def failed");
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
	}
	ndefs = (int) SPI_processed;
	MemoryContextSwitchTo(old);
	SPI_finish();
	AtEOXact_GUC(true, save_nestlevel);
	defs_valid = true;
}

static const LimitDef *
def_find(const char *name)
{
	int			i;

	if (!defs_valid)
		defs_load();
	for (i = 0; i < ndefs; i++)
		if (strcmp(defs[i].name, name) == 0)
			return &defs[i];
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("unknown limit \"%s\"", name),
			 errhint("The limits are the rows of bangfu.limit_def.")));
	return NULL;
}

/* A copy of what a caller needs of a definition, valid past a reload. */
typedef struct LimitHandle
{
	char		name[NAMEDATALEN];
	char		clause[32];
	char		unit;
	bool		yearly;
	int			direction;
	bool		has_param;
	char		cap_param[NAMEDATALEN];
	Oid			cap_function;
	bool		zero_cap;
	int			subjects;
	BfParamRef	ref;
	uint64		generation;
} LimitHandle;

static void
handle_resolve(LimitHandle *h, const char *name)
{
	const LimitDef *d = def_find(name);

	strlcpy(h->name, d->name, sizeof h->name);
	strlcpy(h->clause, d->clause, sizeof h->clause);
	h->unit = d->unit;
	h->yearly = d->yearly;
	h->direction = d->direction;
	h->has_param = d->cap_param != NULL;
	if (h->has_param)
		strlcpy(h->cap_param, d->cap_param, sizeof h->cap_param);
	h->cap_function = d->cap_function;
	h->zero_cap = d->zero_cap;
	h->subjects = d->subjects;
	bf_param_ref_init(&h->ref, h->cap_param);
	h->generation = defs_generation;
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
		why = "it must take one date and return one number";
	else if (rettype != NUMERICOID && rettype != INT2OID && rettype != INT4OID && rettype != INT8OID)
		why = "it must return numeric or an integer";
	else if (!p->prosecdef && !superuser_arg(p->proowner) &&
			 getExtensionOfObject(ProcedureRelationId, h->cap_function) != get_extension_oid("bangfu", true))
		why = "it would run with the rights of whoever writes a guarded row: it must be SECURITY DEFINER, owned by a superuser, or bangfu's own";
	else if (p->prosecdef && !proc_pins_search_path(tup))
		why = "it is SECURITY DEFINER without its own search_path, so whoever writes a guarded row could steer it";
	ReleaseSysCache(tup);
	if (why)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_OBJECT_DEFINITION),
				 errmsg("the cap function of limit \"%s\" cannot be used: %s", h->name, why)));
	return rettype;
}

/* The cap in ledger units (fen for money) on a date. */
static int64
handle_cap(LimitHandle *h, DateADT on_date)
{
	if (h->has_param)
	{
		const BfPolicyValue *v = bf_policy_get(&h->ref, NULL, on_date,
											   h->unit == 'm' ? BF_KIND_AMOUNT : BF_KIND_COUNT);

		return v->amount;
	}
	if (OidIsValid(h->cap_function))
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

/* ----- the transaction's ledger entries ----- */

typedef struct Frame
{
	int			level;			/* subtransaction nesting level */
	int64		stored[BF_LIMIT_MAX_TABS];	/* in bangfu.usage (as we wrote it) */
	int64		pending[BF_LIMIT_MAX_TABS]; /* booked, not yet written */
	int64		reserved[BF_LIMIT_MAX_TABS];	/* let through, not yet booked */
	ItemPointerData tids[BF_LIMIT_MAX_TABS];	/* ledger rows; invalid if none yet */
} Frame;

typedef struct UsageEntry
{
	char		key[BF_LIMIT_KEY_LEN];	/* hash key: limit \x1f book \x1f period \x1f subject */
	char		limit_name[NAMEDATALEN];
	Oid			book;			/* 0: the limit's common books; else a table's own */
	int32		period;
	char	   *subject;
	int			ntabs;
	Oid			tabs[BF_LIMIT_MAX_TABS];
	int			nframes;
	int			maxframes;
	Frame	   *frames;
	int			lock_level;		/* level at which the lock was taken */
	bool		dirty;
	bool		credit_reserved;	/* this statement counted a credit early */
	int64		credit_cap;		/* the cap then */
	bool		grew;			/* this statement booked an increase */
	int64		grew_cap;		/* the least cap of the rows that did */
	DateADT		cap_date;		/* cap_units is the cap on this date */
	int64		cap_units;
	uint64		cap_generation;	/* ... in this statement (stmt_seq) */
	CommandId	cap_cid;		/* ... and command */
} UsageEntry;

/* The limit locks this transaction holds (see lock_key). */
typedef struct LimitLock
{
	char		name[NAMEDATALEN];
	int			first_level;	/* nest level of its first lock; 0: none held */
} LimitLock;

static LimitLock *limit_locks = NULL;
static uint64 stmt_seq = 1;		/* counts flushes: a statement's caps are kept until it ends */
static int	nlimit_locks = 0;

static HTAB *entries = NULL;
static UsageEntry **dirty = NULL;
static int	ndirty = 0;
static int	maxdirty = 0;
static bool dirty_lost = false; /* a rollback may have dropped dirty marks */


static void
entries_reset(void)
{
	entries = NULL;				/* memory goes with TopTransactionContext */
	dirty = NULL;
	ndirty = maxdirty = 0;
	dirty_lost = false;
	limit_locks = NULL;
	nlimit_locks = 0;
}

static void
caps_xact_cb(XactEvent event, void *arg)
{
	switch (event)
	{
		case XACT_EVENT_COMMIT:
		case XACT_EVENT_ABORT:
		case XACT_EVENT_PARALLEL_COMMIT:
		case XACT_EVENT_PARALLEL_ABORT:
		case XACT_EVENT_PREPARE:
			entries_reset();
			break;
		case XACT_EVENT_PRE_COMMIT:
		case XACT_EVENT_PRE_PREPARE:
			/* every statement flushes; anything left is a bug */
			if (entries != NULL && ndirty > 0 && !dirty_lost)
			{
				int			i;

				for (i = 0; i < ndirty; i++)
				{
					Frame	   *f = &dirty[i]->frames[dirty[i]->nframes - 1];
					int			t;

					for (t = 0; t < dirty[i]->ntabs; t++)
						if (f->pending[t] != 0)
							elog(ERROR, "bangfu: unwritten limit usage at commit");
				}
			}
			break;
		default:
			break;
	}
}

static void
caps_subxact_cb(SubXactEvent event, SubTransactionId mySubid,
				SubTransactionId parentSubid, void *arg)
{
	HASH_SEQ_STATUS st;
	UsageEntry *e;
	int			level;

	if (event != SUBXACT_EVENT_ABORT_SUB && event != SUBXACT_EVENT_COMMIT_SUB)
		return;
	level = GetCurrentTransactionNestLevel();
	{
		int			i;

		for (i = 0; i < nlimit_locks; i++)
		{
			LimitLock  *ll = &limit_locks[i];

			/* locks taken inside a rolled back subtransaction are released */
			if (event == SUBXACT_EVENT_ABORT_SUB)
			{
				if (ll->first_level >= level)
					ll->first_level = 0;
			}
			else if (ll->first_level == level)
				ll->first_level = level - 1;
		}
	}
	if (entries == NULL)
		return;
	hash_seq_init(&st, entries);
	while ((e = hash_seq_search(&st)) != NULL)
	{
		if (event == SUBXACT_EVENT_ABORT_SUB)
		{
			while (e->nframes > 0 && e->frames[e->nframes - 1].level >= level)
				e->nframes--;
			if (e->nframes == 0 || e->lock_level >= level)
			{
				/* the lock went with the subtransaction */
				hash_search(entries, e->key, HASH_REMOVE, NULL);
			}
		}
		else
		{
			/* fold this level's state into the parent's */
			if (e->nframes > 0 && e->frames[e->nframes - 1].level == level)
			{
				if (e->nframes > 1 && e->frames[e->nframes - 2].level == level - 1)
				{
					e->frames[e->nframes - 2] = e->frames[e->nframes - 1];
					e->nframes--;
				}
				e->frames[e->nframes - 1].level = level - 1;
			}
			if (e->lock_level == level)
				e->lock_level = level - 1;
		}
	}
	if (event == SUBXACT_EVENT_ABORT_SUB)
	{
		ndirty = 0;
		dirty_lost = true;
		stmt_seq++;
	}
}

void
bf_caps_init(void)
{
	CacheRegisterRelcacheCallback(defs_relcache_cb, (Datum) 0);
	RegisterXactCallback(caps_xact_cb, NULL);
	RegisterSubXactCallback(caps_subxact_cb, NULL);
}

/*
 * The ledger is read and written through its primary key with the heap and
 * index access methods, not SQL: a guarded insert costs one index probe and
 * one heap write per subject and statement, with no executor start-up.
 * Column numbers of bangfu.usage (see src/limits.sql):
 */
#define ULA_LIMIT	1
#define ULA_TAB		2
#define ULA_SUBJECT	3
#define ULA_PERIOD	4
#define ULA_USED	5
#define ULA_BOOK	6
#define ULA_NATTS	6

static bool legacy_ledger = false;

static void
ledger_open(Relation *rel, Relation *idx)
{
	if (!defs_valid)
		defs_load();
	*rel = table_open(usage_relid, RowExclusiveLock);
	/* a catalog not yet updated to 0.3.0 has no book column: one book for all */
	legacy_ledger = RelationGetDescr(*rel)->natts == ULA_NATTS - 1;
	if (RelationGetDescr(*rel)->natts != ULA_NATTS && !legacy_ledger)
		elog(ERROR, "bangfu.usage does not have the layout this library expects");
	if (!OidIsValid(usage_pkey))
		usage_pkey = get_relname_relid("usage_pkey", RelationGetNamespace(*rel));
	if (!OidIsValid(usage_pkey))
		elog(ERROR, "bangfu.usage has no primary key");
	*idx = index_open(usage_pkey, RowExclusiveLock);
}

static void
ledger_close(Relation rel, Relation idx)
{
	index_close(idx, NoLock);
	table_close(rel, NoLock);
}

static int
ledger_scan(Relation rel, Relation idx, Snapshot snap, const char *limit_name,
			Oid book, int32 period, const char *subject, Oid *tabs, int64 *used,
			ItemPointerData *tids)
{
	ScanKeyData keys[4];
	SysScanDesc scan;
	HeapTuple	tup;
	int			n = 0;

	ScanKeyInit(&keys[0], ULA_LIMIT, BTEqualStrategyNumber, F_TEXTEQ,
				CStringGetTextDatum(limit_name));
	ScanKeyInit(&keys[1], ULA_BOOK, BTEqualStrategyNumber, F_OIDEQ,
				ObjectIdGetDatum(book));
	ScanKeyInit(&keys[2], ULA_SUBJECT, BTEqualStrategyNumber, F_TEXTEQ,
				CStringGetTextDatum(subject));
	ScanKeyInit(&keys[3], ULA_PERIOD, BTEqualStrategyNumber, F_INT4EQ,
				Int32GetDatum(period));
	if (legacy_ledger)
	{
		keys[1] = keys[2];
		keys[2] = keys[3];
	}
	scan = systable_beginscan(rel, RelationGetRelid(idx), true, snap, legacy_ledger ? 3 : 4, keys);
	while (HeapTupleIsValid(tup = systable_getnext(scan)))
	{
		bool		isnull;

		if (n == BF_LIMIT_MAX_TABS)
			ereport(ERROR,
					(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
					 errmsg("limit \"%s\" guards more than %d tables", limit_name, BF_LIMIT_MAX_TABS)));
		if (tabs)
		{
			tabs[n] = DatumGetObjectId(heap_getattr(tup, ULA_TAB, RelationGetDescr(rel), &isnull));
			used[n] = DatumGetInt64(heap_getattr(tup, ULA_USED, RelationGetDescr(rel), &isnull));
		}
		tids[n] = tup->t_self;
		n++;
	}
	systable_endscan(scan);
	return n;
}

/*
 * Read a subject's ledger rows (the caller holds its lock).  Under a
 * transaction snapshot, refuse with 40001 if the rows changed after the
 * snapshot was taken: the check would otherwise run on stale figures.
 */
static int
ledger_read(const char *limit_name, Oid book, int32 period, const char *subject,
			Oid *tabs, int64 *used, ItemPointerData *tids)
{
	Relation	rel,
				idx;
	int			n;

	ledger_open(&rel, &idx);
	n = ledger_scan(rel, idx, GetTransactionSnapshot(), limit_name, book, period, subject,
					tabs, used, tids);
	if (IsolationUsesXactSnapshot())
	{
		ItemPointerData latest[BF_LIMIT_MAX_TABS];
		int			m = ledger_scan(rel, idx, GetLatestSnapshot(), limit_name, book, period,
									subject, NULL, NULL, latest);
		int			i;
		bool		same = (m == n);

		for (i = 0; same && i < n; i++)
			same = ItemPointerEquals(&latest[i], &tids[i]);
		if (!same)
			ereport(ERROR,
					(errcode(ERRCODE_T_R_SERIALIZATION_FAILURE),
					 errmsg("could not serialize access to limit \"%s\" for %s in %d", limit_name, subject, period),
					 errdetail("Another transaction changed that subject's usage after this transaction took its snapshot."),
					 errhint("Retry the transaction.")));
	}
	ledger_close(rel, idx);
	return n;
}

/* Add delta to one ledger row, creating it if it does not exist yet. */
static CommandId last_write_cid = InvalidCommandId;
static TransactionId last_write_xid = InvalidTransactionId;

static void
ledger_add(Relation rel, Relation idx, IndexInfo **ii, const char *limit_name,
		   Oid book, Oid tab, const char *subject, int32 period, int64 stored, int64 delta,
		   ItemPointer tid)
{
	Datum		values[ULA_NATTS];
	bool		nulls[ULA_NATTS] = {false, false, false, false, false, false};
	HeapTuple	tup;
	Datum		ivalues[INDEX_MAX_KEYS];
	bool		inulls[INDEX_MAX_KEYS] = {false};

	values[ULA_LIMIT - 1] = CStringGetTextDatum(limit_name);
	values[ULA_TAB - 1] = ObjectIdGetDatum(tab);
	values[ULA_SUBJECT - 1] = CStringGetTextDatum(subject);
	values[ULA_PERIOD - 1] = Int32GetDatum(period);
	values[ULA_USED - 1] = Int64GetDatum(stored + delta);
	values[ULA_BOOK - 1] = ObjectIdGetDatum(book);
	/* a ledger of before 0.3.0 has five columns and takes the first five */
	tup = heap_form_tuple(RelationGetDescr(rel), values, nulls);

	if (ItemPointerIsValid(tid))
	{
		TM_FailureData tmfd;
		LockTupleMode lockmode;
		TM_Result	res;

		res = bf_heap_update(rel, tid, tup, GetCurrentCommandId(true), InvalidSnapshot,
							 true, &tmfd, &lockmode);
		if (res == TM_Updated || res == TM_Deleted)
			ereport(ERROR,
					(errcode(ERRCODE_T_R_SERIALIZATION_FAILURE),
					 errmsg("could not serialize access to limit \"%s\" for %s in %d", limit_name, subject, period),
					 errhint("Retry the transaction.")));
		if (res != TM_Ok)
			elog(ERROR, "bangfu: unexpected result %d updating the limit ledger", (int) res);
		if (HeapTupleIsHeapOnly(tup))
		{
			*tid = tup->t_self;
			return;
		}
	}
	else
		heap_insert(rel, tup, GetCurrentCommandId(true), 0, NULL);
	*tid = tup->t_self;

	/* index columns: limit_name, book, subject, period, tab */
	ivalues[0] = values[ULA_LIMIT - 1];
	ivalues[1] = values[ULA_BOOK - 1];
	ivalues[2] = values[ULA_SUBJECT - 1];
	ivalues[3] = values[ULA_PERIOD - 1];
	ivalues[4] = values[ULA_TAB - 1];
	if (legacy_ledger)			/* limit_name, subject, period, tab */
		memmove(&ivalues[1], &ivalues[2], 3 * sizeof(Datum));
	if (*ii == NULL)
		*ii = BuildIndexInfo(idx);
	index_insert(idx, ivalues, inulls, &tup->t_self, rel, UNIQUE_CHECK_YES, false, *ii);
}

static Frame *
top_frame(UsageEntry *e)
{
	return &e->frames[e->nframes - 1];
}

/* The frame to change at the current level, pushing one if needed. */
static Frame *
writable_frame(UsageEntry *e)
{
	int			level = GetCurrentTransactionNestLevel();

	if (e->frames[e->nframes - 1].level < level)
	{
		if (e->nframes == e->maxframes)
		{
			e->maxframes *= 2;
			e->frames = repalloc(e->frames, sizeof(Frame) * e->maxframes);
		}
		e->frames[e->nframes] = e->frames[e->nframes - 1];
		e->frames[e->nframes].level = level;
		e->nframes++;
	}
	return &e->frames[e->nframes - 1];
}

static int64
entry_total(UsageEntry *e)
{
	Frame	   *f = top_frame(e);
	int64		total = 0;
	int			t;

	for (t = 0; t < e->ntabs; t++)
		total += f->stored[t] + f->pending[t] + f->reserved[t];
	return total;
}

static int
entry_tab(UsageEntry *e, Oid tab)
{
	int			t;

	for (t = 0; t < e->ntabs; t++)
		if (e->tabs[t] == tab)
			return t;
	if (e->ntabs == BF_LIMIT_MAX_TABS)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("limit \"%s\" guards more than %d tables", e->limit_name, BF_LIMIT_MAX_TABS)));
	e->tabs[e->ntabs] = tab;
	/* the new slot is zero in every frame */
	{
		int			i;

		for (i = 0; i < e->nframes; i++)
		{
			e->frames[i].stored[e->ntabs] = 0;
			e->frames[i].pending[e->ntabs] = 0;
			e->frames[i].reserved[e->ntabs] = 0;
			ItemPointerSetInvalid(&e->frames[i].tids[e->ntabs]);
		}
	}
	return e->ntabs++;
}

/*
 * Locks.  A subject-period is guarded by an advisory lock on one of
 * BF_LOCK_BUCKETS buckets of its limit (the bucket is a hash of the key), so
 * a transaction holds at most that many locks per limit however many rows it
 * loads, and two subjects rarely share a bucket (sharing one only means
 * taking turns).
 *
 * Waiting follows "wait-die": a transaction that holds none of these locks
 * and has written nothing may always wait; one that holds some, or has
 * written (and so may hold row locks others wait for), may wait only for
 * younger transactions (larger xid) and otherwise fails at once with 40001.
 * Waits thus always go from older to younger and cannot close a cycle.
 */
#define BF_LOCK_BUCKETS	1024

static bool
holds_any_lock(void)
{
	int			i;

	for (i = 0; i < nlimit_locks; i++)
		if (limit_locks[i].first_level > 0)
			return true;
	return false;
}

static LimitLock *
limit_lock_state(const char *limit_name)
{
	int			i;

	for (i = 0; i < nlimit_locks; i++)
		if (strcmp(limit_locks[i].name, limit_name) == 0)
			return &limit_locks[i];
	if (limit_locks == NULL)
		limit_locks = MemoryContextAllocZero(TopTransactionContext, sizeof(LimitLock) * 16);
	else if (nlimit_locks % 16 == 0)
		limit_locks = repalloc(limit_locks, sizeof(LimitLock) * (nlimit_locks + 16));
	memset(&limit_locks[nlimit_locks], 0, sizeof(LimitLock));
	strlcpy(limit_locks[nlimit_locks].name, limit_name, NAMEDATALEN);
	return &limit_locks[nlimit_locks++];
}

static void
acquire_wait_die(LOCKTAG *tag, LOCKMODE mode, bool may_hold_others,
				 const char *limit_name, const char *what)
{
	if (LockAcquire(tag, mode, false, true) != LOCKACQUIRE_NOT_AVAIL)
		return;
	if (may_hold_others)
	{
		TransactionId me = GetTopTransactionId();
		VirtualTransactionId *holder = GetLockConflicts(tag, mode, NULL);

		for (; VirtualTransactionIdIsValid(*holder); holder++)
		{
			TransactionId xid,
						xmin;

			bf_vxid_transaction_ids(holder, &xid, &xmin);
			if (!TransactionIdIsValid(xid) || !TransactionIdFollows(xid, me))
				ereport(ERROR,
						(errcode(ERRCODE_T_R_SERIALIZATION_FAILURE),
						 errmsg("could not serialize access to limit \"%s\" for %s", limit_name, what),
						 errdetail("An older transaction is booking against the same subject, and this transaction already holds others or has written; waiting could deadlock."),
						 errhint("Retry the transaction.")));
		}
	}
	(void) LockAcquire(tag, mode, false, false);
}

static void
lock_key(const char *key, const char *limit_name, Oid book, const char *subject, int32 period)
{
	LimitLock  *ll = limit_lock_state(limit_name);
	bool		may_hold_others;
	LOCKTAG		tag;
	uint64		hl,
				hk;
	char		what[BF_LIMIT_KEY_LEN + 32];

	/* decide before taking an xid: every holder gets one, to compare ages */
	may_hold_others = TransactionIdIsValid(GetTopTransactionIdIfAny()) || holds_any_lock();
	(void) GetTopTransactionId();

	if (period == 0)
		snprintf(what, sizeof what, "%s", subject);
	else
		snprintf(what, sizeof what, "%s in %d", subject, period);
	hl = hash_bytes_extended((const unsigned char *) limit_name, strlen(limit_name), 0);
	/*
	 * A table's own books lock apart from the common books, so that nobody
	 * can hold the county's subjects by loading rows into a table of its own.
	 */
	if (OidIsValid(book))
		hl = hash_combine64(hl, hash_bytes_uint32((uint32) book));
	hk = hash_bytes_extended((const unsigned char *) key, strlen(key), 0);
	SET_LOCKTAG_ADVISORY(tag, MyDatabaseId, (uint32) hl, (uint32) (hk % BF_LOCK_BUCKETS), BF_LOCK_FIELD4);
	acquire_wait_die(&tag, ExclusiveLock, may_hold_others, limit_name, what);
	if (ll->first_level == 0)
		ll->first_level = GetCurrentTransactionNestLevel();
}

/* The transaction's entry for a key, locking and reading it the first time. */
static UsageEntry *
entry_get(const char *limit_name, Oid book, int32 period, const char *subject)
{
	char		key[BF_LIMIT_KEY_LEN];
	UsageEntry *e;
	bool		found;
	int			n;

	n = snprintf(key, sizeof key, "%s\x1f%u\x1f%d\x1f%s", limit_name, book, period, subject);
	if (n >= (int) sizeof key)
		ereport(ERROR,
				(errcode(ERRCODE_STRING_DATA_RIGHT_TRUNCATION),
				 errmsg("subject \"%.40s...\" of limit \"%s\" is too long", subject, limit_name)));
	if (entries == NULL)
	{
		HASHCTL		ctl;

		memset(&ctl, 0, sizeof ctl);
		ctl.keysize = BF_LIMIT_KEY_LEN;
		ctl.entrysize = sizeof(UsageEntry);
		ctl.hcxt = TopTransactionContext;
		entries = hash_create("bangfu limit usage", 16, &ctl,
							  HASH_ELEM | HASH_STRINGS | HASH_CONTEXT);
	}
	e = hash_search(entries, key, HASH_FIND, NULL);
	if (e != NULL)
		return e;

	/* first touch in this transaction: lock, then read the ledger */
	lock_key(key, limit_name, book, subject, period);
	{
		MemoryContext old;
		Frame		f;
		Oid			tabs[BF_LIMIT_MAX_TABS];
		int			ntabs;

		memset(&f, 0, sizeof f);
		ntabs = ledger_read(limit_name, book, period, subject, tabs, f.stored, f.tids);

		e = hash_search(entries, key, HASH_ENTER, &found);
		Assert(!found);
		old = MemoryContextSwitchTo(TopTransactionContext);
		strlcpy(e->limit_name, limit_name, sizeof e->limit_name);
		e->book = book;
		e->period = period;
		e->subject = pstrdup(subject);
		e->ntabs = ntabs;
		memcpy(e->tabs, tabs, sizeof tabs);
		e->maxframes = 4;
		e->frames = palloc(sizeof(Frame) * e->maxframes);
		f.level = GetCurrentTransactionNestLevel();
		e->frames[0] = f;
		e->nframes = 1;
		e->lock_level = f.level;
		e->dirty = false;
		e->credit_reserved = false;
		e->grew = false;
		e->cap_generation = 0;
		MemoryContextSwitchTo(old);
	}
	return e;
}

static void
mark_dirty(UsageEntry *e)
{
	if (e->dirty && !dirty_lost)
		return;
	if (ndirty == maxdirty)
	{
		maxdirty = maxdirty == 0 ? 64 : maxdirty * 2;
		dirty = dirty == NULL
			? MemoryContextAlloc(TopTransactionContext, sizeof(UsageEntry *) * maxdirty)
			: repalloc(dirty, sizeof(UsageEntry *) * maxdirty);
	}
	dirty[ndirty++] = e;
	e->dirty = true;
}

/* A statement wrote rows that, all together, break a limit. */
static void
refuse_written(UsageEntry *e, int64 total, int64 cap)
{
	const LimitDef *d = def_find(e->limit_name);
	const char *per = d->yearly ? psprintf(bf_(" in %d"), e->period) : "";
	const char *who = e->subject[0] ? psprintf("subject \"%s\"", e->subject) : "the whole table";

	if (d->direction < 0)
		ereport(ERROR,
				(errcode(ERRCODE_CHECK_VIOLATION),
				 errmsg("limit \"%s\" (%s) refuses the statement: the balance of %s would go below zero",
						e->limit_name, d->clause, who),
				 errdetail("The rows as written would leave a balance of %s.", bf_fen_cstring(-total))));
	ereport(ERROR,
			(errcode(ERRCODE_CHECK_VIOLATION),
			 errmsg("limit \"%s\" (%s) refuses the statement: the rows as written would give %s %s%s, over the cap of %s",
					e->limit_name, d->clause, who,
					d->unit == 'm' ? bf_fen_cstring(total) : psprintf("%lld", (long long) total), per,
					d->unit == 'm' ? bf_fen_cstring(cap) : psprintf("%lld", (long long) cap)),
			 errdetail("The rows are checked again as they were really written, after every trigger of the table.")));
}

/* Write pending usage to bangfu.usage and drop reservations. */
static void
flush_all(void)
{
	bool		opened = false;
	Relation	rel = NULL,
				idx = NULL;
	IndexInfo  *ii = NULL;
	int			i;
	int			n;
	HASH_SEQ_STATUS st;
	UsageEntry *e;

	if (entries == NULL)
		return;
	if (dirty_lost)
	{
		/* a rollback dropped the dirty marks: look at every entry */
		ndirty = 0;
		dirty_lost = false;
		hash_seq_init(&st, entries);
		while ((e = hash_seq_search(&st)) != NULL)
		{
			e->dirty = false;
			mark_dirty(e);
		}
	}
	n = ndirty;
	for (i = 0; i < n; i++)
	{
		Frame	   *f;
		int			t;

		e = dirty[i];
		f = writable_frame(e);
		for (t = 0; t < e->ntabs; t++)
			f->reserved[t] = 0;
		if (e->credit_reserved)
		{
			/* a credit counted early must really have been written */
			e->credit_reserved = false;
			if (entry_total(e) > e->credit_cap)
				ereport(ERROR,
						(errcode(ERRCODE_CHECK_VIOLATION),
						 errmsg("limit \"%s\" refuses the statement: money it counted on for %s was not written",
								e->limit_name, e->subject),
						 errdetail("A row crediting it was skipped (for example by ON CONFLICT), so rows spending it would take the balance below zero.")));
		}
		if (e->grew)
		{
			int64		net = 0;

			/* what was written, after every trigger, must fit (see bf_limit_guard) */
			e->grew = false;
			for (t = 0; t < e->ntabs; t++)
				net += f->pending[t];
			if (net > 0 && entry_total(e) > e->grew_cap)
				refuse_written(e, entry_total(e), e->grew_cap);
		}
		for (t = 0; t < e->ntabs; t++)
		{
			if (f->pending[t] == 0)
				continue;
			if (!opened)
			{
				ledger_open(&rel, &idx);
				/* see our own earlier ledger write if it was in this command */
				if (last_write_cid == GetCurrentCommandId(false) &&
					last_write_xid == GetTopTransactionIdIfAny())
					CommandCounterIncrement();
				opened = true;
			}
			ledger_add(rel, idx, &ii, e->limit_name, e->book, e->tabs[t], e->subject, e->period,
					   f->stored[t], f->pending[t], &f->tids[t]);
			last_write_cid = GetCurrentCommandId(true);
			last_write_xid = GetTopTransactionIdIfAny();
			f->stored[t] += f->pending[t];
			f->pending[t] = 0;
		}
		e->dirty = false;
	}
	ndirty = 0;
	stmt_seq++;
	if (opened)
		ledger_close(rel, idx);
}

/* ----- one guarded table's trigger ----- */

#define BF_MAX_SUBJECT_COLS 8

typedef struct GuardConfig
{
	Oid			tgoid;
	TupleDesc	tupdesc;		/* the table's descriptor it was built for */
	int			natts;
	LimitHandle lim;
	Oid			tab;			/* the table the limit is attached to (a partition's root) */
	Oid			book;			/* 0: the limit's common books; else tab, its own */
	bool		clamp;
	int			amount_att;		/* 0 for row limits */
	Oid			amount_type;
	int			date_att;		/* 0: today */
	int			nsubj;
	int			subj_att[BF_MAX_SUBJECT_COLS];
	FmgrInfo	subj_out[BF_MAX_SUBJECT_COLS];
	char		subj_name[BF_MAX_SUBJECT_COLS][NAMEDATALEN];
} GuardConfig;

static int
column_of(Relation rel, const char *name, const char *what, const char *limit)
{
	int			att = SPI_fnumber(RelationGetDescr(rel), name);

	if (att <= 0)
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_COLUMN),
				 errmsg("limit \"%s\" on %s: no %s column \"%s\"", limit,
						RelationGetRelationName(rel), what, name)));
	return att;
}

/*
 * Trigger configurations are kept per backend (not per statement), keyed by
 * trigger and by the table's tuple descriptor, so a guarded single-row
 * INSERT does not look its columns up again every statement.
 */
#define BF_GUARD_CACHE 32
static GuardConfig *guard_cache[BF_GUARD_CACHE];
static int	guard_cache_next = 0;

static void config_build(GuardConfig *cfg, Trigger *tg, Relation rel);
static Trigger *limit_trigger_of(Relation rel, const char *limit_name);
static int64 entry_cap(GuardConfig *cfg, UsageEntry *e, DateADT on_date);

static GuardConfig *
guard_config(FunctionCallInfo fcinfo, TriggerData *td)
{
	GuardConfig *cfg = (GuardConfig *) fcinfo->flinfo->fn_extra;
	Trigger    *tg = td->tg_trigger;
	Relation	rel = td->tg_relation;
	MemoryContext old;
	int			i;

#define GUARD_VALID(c) ((c) != NULL && (c)->tgoid == tg->tgoid && \
						(c)->tupdesc == RelationGetDescr(rel) && \
						(c)->natts == RelationGetDescr(rel)->natts && \
						(c)->lim.generation == defs_generation && defs_valid)

	if (GUARD_VALID(cfg))
		return cfg;
	for (i = 0; i < BF_GUARD_CACHE; i++)
		if (GUARD_VALID(guard_cache[i]))
		{
			fcinfo->flinfo->fn_extra = guard_cache[i];
			return guard_cache[i];
		}
	old = MemoryContextSwitchTo(TopMemoryContext);
	/*
	 * A fresh one each time (slots are reused round robin): a config that a
	 * running statement still points to is never changed under it.  Only
	 * new triggers, DDL and limit changes build one, so the few bytes an
	 * evicted one keeps are of no account.
	 */
	cfg = palloc0(sizeof(GuardConfig));
	MemoryContextSwitchTo(old);
	config_build(cfg, tg, rel);
	guard_cache[guard_cache_next] = cfg;
	guard_cache_next = (guard_cache_next + 1) % BF_GUARD_CACHE;
	fcinfo->flinfo->fn_extra = cfg;
	return cfg;
}

/*
 * The table whose books a trigger counts in: the table the limit was
 * attached to.  A partition's trigger is a clone of its partitioned table's,
 * so rows go to the same books whether they were routed through the parent
 * or inserted straight into the partition, and are counted once.
 */
static Oid
attachment_root(Relation rel, Trigger *tg)
{
	List	   *ancestors;
	ListCell   *lc;
	Oid			root = RelationGetRelid(rel);

	if (!tg->tgisclone || !rel->rd_rel->relispartition)
		return root;
	ancestors = get_partition_ancestors(RelationGetRelid(rel));
	foreach(lc, ancestors)
	{
		Relation	a = relation_open(lfirst_oid(lc), AccessShareLock);
		bool		found = false,
					clone = false;
		int			i;

		for (i = 0; a->trigdesc && i < a->trigdesc->numtriggers; i++)
			if (strcmp(a->trigdesc->triggers[i].tgname, tg->tgname) == 0)
			{
				found = true;
				clone = a->trigdesc->triggers[i].tgisclone;
				break;
			}
		relation_close(a, AccessShareLock);
		if (!found)
			break;
		root = lfirst_oid(lc);
		if (!clone)
			break;
	}
	return root;
}

/*
 * Which books an attachment counts in (doc/limits.md, "Whose books"): the
 * limit's common books if the policy admin admitted the table to them
 * (bangfu.limit_share), which no temporary or unlogged table can be; else
 * the table's own.
 */
static Oid
attachment_book(const char *limit_name, Oid tab)
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

/* Read a limit trigger's arguments and the table's columns into cfg. */
static void
config_build(GuardConfig *cfg, Trigger *tg, Relation rel)
{
	MemoryContext old;
	int			i;

	if (tg->tgnargs < 4 || tg->tgnargs > 4 + BF_MAX_SUBJECT_COLS)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("bangfu.limit_guard() takes a limit, a mode, an amount column, a date column and up to %d subject columns",
						BF_MAX_SUBJECT_COLS),
				 errhint("Use bangfu.attach_limit() to create the triggers.")));
	cfg->tgoid = tg->tgoid;
	cfg->tupdesc = RelationGetDescr(rel);
	cfg->natts = RelationGetDescr(rel)->natts;
	handle_resolve(&cfg->lim, tg->tgargs[0]);
	cfg->tab = attachment_root(rel, tg);
	cfg->book = attachment_book(cfg->lim.name, cfg->tab);
	if (strcmp(tg->tgargs[1], "clamp") == 0)
		cfg->clamp = true;
	else if (strcmp(tg->tgargs[1], "reject") == 0)
		cfg->clamp = false;
	else
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("unknown limit mode \"%s\": expected clamp or reject", tg->tgargs[1])));
	if (cfg->clamp && cfg->lim.unit == 'r')
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("limit \"%s\" counts rows, which cannot be clamped", cfg->lim.name)));
	cfg->amount_att = 0;
	if (cfg->lim.unit != 'r')
	{
		if (tg->tgargs[2][0] == '\0')
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("limit \"%s\" needs an amount column", cfg->lim.name)));
		cfg->amount_att = column_of(rel, tg->tgargs[2], bf_("amount"), cfg->lim.name);
		cfg->amount_type = TupleDescAttr(RelationGetDescr(rel), cfg->amount_att - 1)->atttypid;
		if (cfg->lim.unit == 'm' ? cfg->amount_type != NUMERICOID
			: (cfg->amount_type != INT2OID && cfg->amount_type != INT4OID && cfg->amount_type != INT8OID))
			ereport(ERROR,
					(errcode(ERRCODE_DATATYPE_MISMATCH),
					 errmsg("limit \"%s\": amount column \"%s\" must be %s", cfg->lim.name, tg->tgargs[2],
							cfg->lim.unit == 'm' ? "numeric" : "an integer")));
	}
	cfg->date_att = 0;
	if (tg->tgargs[3][0] != '\0')
	{
		cfg->date_att = column_of(rel, tg->tgargs[3], bf_("date"), cfg->lim.name);
		if (TupleDescAttr(RelationGetDescr(rel), cfg->date_att - 1)->atttypid != DATEOID)
			ereport(ERROR,
					(errcode(ERRCODE_DATATYPE_MISMATCH),
					 errmsg("limit \"%s\": date column \"%s\" must be of type date", cfg->lim.name, tg->tgargs[3])));
	}
	else if (cfg->lim.yearly)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("limit \"%s\" is per calendar year and needs a date column", cfg->lim.name)));
	cfg->nsubj = tg->tgnargs - 4;
	if (cfg->nsubj != cfg->lim.subjects && cfg->lim.subjects >= 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("limit \"%s\" takes %d subject columns, not %d", cfg->lim.name,
						cfg->lim.subjects, cfg->nsubj)));
	old = MemoryContextSwitchTo(TopMemoryContext);
	for (i = 0; i < cfg->nsubj; i++)
	{
		Oid			out;
		bool		isvarlena;

		cfg->subj_att[i] = column_of(rel, tg->tgargs[4 + i], bf_("subject"), cfg->lim.name);
		strlcpy(cfg->subj_name[i], tg->tgargs[4 + i], NAMEDATALEN);
		getTypeOutputInfo(TupleDescAttr(RelationGetDescr(rel), cfg->subj_att[i] - 1)->atttypid,
						  &out, &isvarlena);
		fmgr_info_cxt(out, &cfg->subj_out[i], TopMemoryContext);
	}
	MemoryContextSwitchTo(old);
}

/*
 * A subject of several columns is their text forms joined by BF_SUBJECT_SEP,
 * each with a backslash written as two backslashes and the separator as a
 * backslash and "s", so that no two
 * different rows can make the same subject whatever bytes they hold.  A
 * subject of one column is its text form as it is.
 */
#define BF_SUBJECT_SEP '\x1f'

static void
subject_escape(StringInfo s, const char *v)
{
	for (; *v; v++)
	{
		if (*v == '\\')
			appendStringInfoString(s, "\\\\");
		else if (*v == BF_SUBJECT_SEP)
			appendStringInfoString(s, "\\s");
		else
			appendStringInfoChar(s, *v);
	}
}

/*
 * Split an encoded subject of n columns into its parts (decoded, palloc'd);
 * false if it is not one.
 */
static bool
subject_split(const char *subject, int n, char **parts)
{
	StringInfoData s;
	int			i = 0;
	const char *p = subject;

	if (n <= 1)
	{
		if (n == 1)
			parts[0] = pstrdup(subject);
		return n == 1 || subject[0] == '\0';
	}
	initStringInfo(&s);
	for (;; p++)
	{
		if (*p == '\0' || *p == BF_SUBJECT_SEP)
		{
			if (i == n)
				return false;
			parts[i++] = pstrdup(s.data);
			resetStringInfo(&s);
			if (*p == '\0')
				break;
		}
		else if (*p == '\\')
		{
			p++;
			if (*p == '\\')
				appendStringInfoChar(&s, '\\');
			else if (*p == 's')
				appendStringInfoChar(&s, BF_SUBJECT_SEP);
			else
				return false;
		}
		else
			appendStringInfoChar(&s, *p);
	}
	return i == n;
}

/*
 * The period of a date for a yearly limit: its year as extract(year ...)
 * gives it, so 1 BC is -1 (j2date counts it 0), the same in the trigger,
 * in limit_actual (check, rebuild) and in limit_used.
 */
static int32
year_of(DateADT d)
{
	int			y,
				m,
				day;

	j2date(d + POSTGRES_EPOCH_JDATE, &y, &m, &day);
	return y > 0 ? y : y - 1;
}

/* What one row of a guarded table means to its limit. */
typedef struct RowUse
{
	char	   *subject;
	int32		period;
	DateADT		on_date;
	int64		units;			/* in ledger units, signed by direction */
	int64		raw;			/* the amount as the row holds it (fen or count) */
} RowUse;

static void
row_use(GuardConfig *cfg, Relation rel, HeapTuple tup, RowUse *u)
{
	TupleDesc	desc = RelationGetDescr(rel);
	bool		isnull;
	StringInfoData s;
	int			i;

	initStringInfo(&s);
	for (i = 0; i < cfg->nsubj; i++)
	{
		Datum		v = heap_getattr(tup, cfg->subj_att[i], desc, &isnull);

		if (isnull)
			ereport(ERROR,
					(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
					 errmsg("limit \"%s\" on %s: subject column \"%s\" is null", cfg->lim.name,
							RelationGetRelationName(rel), NameStr(TupleDescAttr(desc, cfg->subj_att[i] - 1)->attname))));
		if (cfg->nsubj == 1)
			appendStringInfoString(&s, OutputFunctionCall(&cfg->subj_out[i], v));
		else
		{
			if (i > 0)
				appendStringInfoChar(&s, BF_SUBJECT_SEP);
			subject_escape(&s, OutputFunctionCall(&cfg->subj_out[i], v));
		}
	}
	u->subject = s.data;

	if (cfg->date_att > 0)
	{
		Datum		v = heap_getattr(tup, cfg->date_att, desc, &isnull);

		if (isnull)
			ereport(ERROR,
					(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
					 errmsg("limit \"%s\" on %s: date column is null", cfg->lim.name, RelationGetRelationName(rel))));
		u->on_date = DatumGetDateADT(v);
		if (DATE_NOT_FINITE(u->on_date))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("limit \"%s\" on %s: the date must be finite", cfg->lim.name, RelationGetRelationName(rel))));
	}
	else
		u->on_date = GetSQLCurrentDate();
	u->period = cfg->lim.yearly ? year_of(u->on_date) : 0;

	if (cfg->amount_att == 0)
		u->raw = 1;
	else
	{
		Datum		v = heap_getattr(tup, cfg->amount_att, desc, &isnull);

		if (isnull)
			ereport(ERROR,
					(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
					 errmsg("limit \"%s\" on %s: amount column is null", cfg->lim.name, RelationGetRelationName(rel))));
		if (cfg->amount_type == NUMERICOID)
		{
			bf_money_status st = cfg->lim.direction < 0
				? bf_datum_to_signed_fen_status(v, &u->raw)
				: bf_datum_to_fen_status(v, &u->raw);

			if (st != BF_MONEY_OK)
				ereport(ERROR,
						(errcode(st == BF_MONEY_RANGE ? ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE : ERRCODE_INVALID_PARAMETER_VALUE),
						 errmsg("limit \"%s\" on %s: amount %s", cfg->lim.name,
								RelationGetRelationName(rel), bf_money_status_text(st))));
		}
		else
		{
			u->raw = cfg->amount_type == INT2OID ? DatumGetInt16(v)
				: (cfg->amount_type == INT4OID ? DatumGetInt32(v) : DatumGetInt64(v));
			if (u->raw < 0 && cfg->lim.direction > 0)
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						 errmsg("limit \"%s\" on %s: amount %lld is negative", cfg->lim.name,
								RelationGetRelationName(rel), (long long) u->raw)));
		}
	}
	u->units = u->raw * cfg->lim.direction;
}

/* "household_id 7", "employer 3, employee 9", or "all of relief_grant" for quotas. */
static char *
subject_label(GuardConfig *cfg, Relation rel, const char *subject)
{
	StringInfoData s;
	const char *p = subject;
	int			i;

	char	   *parts[BF_MAX_SUBJECT_COLS];

	if (cfg->nsubj == 0)
		return psprintf(bf_("all of %s"), RelationGetRelationName(rel));
	if (!subject_split(p, cfg->nsubj, parts))
		return pstrdup(p);
	initStringInfo(&s);
	for (i = 0; i < cfg->nsubj; i++)
		appendStringInfo(&s, "%s%s %s", i > 0 ? ", " : "", cfg->subj_name[i], parts[i]);
	return s.data;
}

static char *
units_text(const LimitHandle *h, int64 units)
{
	return h->unit == 'm' ? bf_fen_cstring(units) : psprintf("%lld", (long long) units);
}

/*
 * Let `want` more units through for an entry: all of it, what remains
 * (clamp), or an error (reject).  Returns what was let through.
 */
static int64
take(GuardConfig *cfg, Relation rel, UsageEntry *e, int tabidx, const RowUse *u, int64 want)
{
	int64		cap = entry_cap(cfg, e, u->on_date);
	int64		total = entry_total(e);
	int64		room = cap - total;

	int64		granted = want;
	Frame	   *f;

	if (want > 0 && want > room)
	{
		if (!cfg->clamp)
		{
			const char *per = cfg->lim.yearly ? psprintf(bf_("in %d"), u->period) : bf_("in all");
			const char *who = subject_label(cfg, rel, u->subject);

			if (cfg->lim.direction < 0)
				ereport(ERROR,
						(errcode(ERRCODE_CHECK_VIOLATION),
						 errmsg("limit \"%s\" (%s) refuses %s from %s: the balance would go below zero",
								cfg->lim.name, cfg->lim.clause, bf_fen_cstring(want), who),
						 errdetail("The balance of %s is %s.", who, bf_fen_cstring(-total)),
						 errtableconstraint(rel, cfg->lim.name)));
			else if (cfg->lim.unit == 'r')
				ereport(ERROR,
						(errcode(ERRCODE_CHECK_VIOLATION),
						 errmsg("limit \"%s\" (%s) refuses another row for %s %s",
								cfg->lim.name, cfg->lim.clause, who, per),
						 errdetail("%s already has %lld of at most %lld %s.", who,
								   (long long) total, (long long) cap, per),
						 errtableconstraint(rel, cfg->lim.name)));
			else
				ereport(ERROR,
						(errcode(ERRCODE_CHECK_VIOLATION),
						 errmsg("limit \"%s\" (%s) refuses %s for %s %s",
								cfg->lim.name, cfg->lim.clause, units_text(&cfg->lim, want), who, per),
						 errdetail("%s has used %s of %s %s; %s remains.", who,
								   units_text(&cfg->lim, total), units_text(&cfg->lim, cap), per,
								   units_text(&cfg->lim, room > 0 ? room : 0)),
						 errtableconstraint(rel, cfg->lim.name)));
		}
		granted = room > 0 ? room : 0;
	}
	if (granted != 0)
	{
		/*
		 * Money in (a credit) counts at once, so that a later row of the same
		 * statement may spend it; should the row never be written (ON
		 * CONFLICT), the statement's end checks the books again.
		 */
		f = writable_frame(e);
		f->reserved[tabidx] += granted;
		if (granted < 0)
		{
			e->credit_cap = cap;
			e->credit_reserved = true;
		}
	}
	return granted;
}

/* Put a clamped amount back into the row. */
static HeapTuple
set_amount(GuardConfig *cfg, Relation rel, HeapTuple tup, int64 raw)
{
	Datum		v;
	bool		isnull = false;
	int			att = cfg->amount_att;

	if (cfg->amount_type == NUMERICOID)
		v = bf_fen_to_datum(raw);
	else if (cfg->amount_type == INT2OID)
		v = Int16GetDatum((int16) raw);
	else if (cfg->amount_type == INT4OID)
		v = Int32GetDatum((int32) raw);
	else
		v = Int64GetDatum(raw);
	return heap_modify_tuple_by_cols(tup, RelationGetDescr(rel), 1, &att, &v, &isnull);
}

static void
book(UsageEntry *e, Oid tab, int64 units, int64 unreserve)
{
	int			t = entry_tab(e, tab);
	Frame	   *f = writable_frame(e);

	f->pending[t] += units;
	f->reserved[t] -= unreserve;
	mark_dirty(e);
}

/* The cap on a row's date, remembered for the rest of the statement. */
static int64
entry_cap(GuardConfig *cfg, UsageEntry *e, DateADT on_date)
{
	CommandId	cid = GetCurrentCommandId(false);

	if (e->cap_generation != stmt_seq || e->cap_cid != cid || e->cap_date != on_date)
	{
		e->cap_units = handle_cap(&cfg->lim, on_date);
		e->cap_date = on_date;
		e->cap_cid = cid;
		e->cap_generation = stmt_seq;
	}
	return e->cap_units;
}

static void refuse_written(UsageEntry *e, int64 total, int64 cap);

/*
 * Book a written row and check an increase against what is really written:
 * the rows booked so far in this statement, in the order the BEFORE check
 * saw them, with the cap of the row's date.  Deletions are checked at the
 * statement's end instead (deleting a credit and the payment it paid for
 * must not depend on which is deleted first).
 */
static void
book_checked(GuardConfig *cfg, UsageEntry *e, const RowUse *u, int64 units, int64 unreserve,
			 bool at_end)
{
	book(e, cfg->tab, units, unreserve);
	if (units > 0)
	{
		int64		cap = entry_cap(cfg, e, u->on_date);

		if (at_end)
		{
			if (!e->grew || cap < e->grew_cap)
				e->grew_cap = cap;
			e->grew = true;
		}
		else
		{
			Frame	   *f = top_frame(e);
			int64		written = 0;
			int			t;

			for (t = 0; t < e->ntabs; t++)
				written += f->stored[t] + f->pending[t];
			if (written > cap)
				refuse_written(e, written, cap);
		}
	}
}

/* Row trigger of an attached limit: check before, book after. */
PG_FUNCTION_INFO_V1(bf_limit_guard);
Datum
bf_limit_guard(PG_FUNCTION_ARGS)
{
	TriggerData *td = (TriggerData *) fcinfo->context;
	GuardConfig *cfg;
	Relation	rel;
	RowUse		nu,
				ou;

	if (!CALLED_AS_TRIGGER(fcinfo) || !TRIGGER_FIRED_FOR_ROW(td->tg_event))
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("bangfu.limit_guard() must be a row trigger"),
				 errhint("Use bangfu.attach_limit() to create the triggers.")));
	cfg = guard_config(fcinfo, td);
	rel = td->tg_relation;

	if (TRIGGER_FIRED_BEFORE(td->tg_event))
	{
		HeapTuple	newtup;

		if (TRIGGER_FIRED_BY_DELETE(td->tg_event))
			return PointerGetDatum(td->tg_trigtuple);
		newtup = TRIGGER_FIRED_BY_UPDATE(td->tg_event) ? td->tg_newtuple : td->tg_trigtuple;
		row_use(cfg, rel, newtup, &nu);
		if (TRIGGER_FIRED_BY_INSERT(td->tg_event))
		{
			UsageEntry *e = entry_get(cfg->lim.name, cfg->book, nu.period, nu.subject);
			int64		granted = take(cfg, rel, e, entry_tab(e, cfg->tab), &nu, nu.units);

			if (granted != nu.units)
				newtup = set_amount(cfg, rel, newtup, granted * cfg->lim.direction);
			return PointerGetDatum(newtup);
		}
		/* UPDATE */
		row_use(cfg, rel, td->tg_trigtuple, &ou);
		if (ou.period == nu.period && strcmp(ou.subject, nu.subject) == 0)
		{
			int64		delta = nu.units - ou.units;

			if (delta > 0)
			{
				UsageEntry *e = entry_get(cfg->lim.name, cfg->book, nu.period, nu.subject);
				int64		granted = take(cfg, rel, e, entry_tab(e, cfg->tab), &nu, delta);

				if (granted != delta)
					newtup = set_amount(cfg, rel, newtup, (ou.units + granted) * cfg->lim.direction);
			}
		}
		else
		{
			UsageEntry *e;
			int64		granted;

			/* lock both subjects in a fixed order */
			if (strcmp(ou.subject, nu.subject) < 0 ||
				(strcmp(ou.subject, nu.subject) == 0 && ou.period < nu.period))
				(void) entry_get(cfg->lim.name, cfg->book, ou.period, ou.subject);
			e = entry_get(cfg->lim.name, cfg->book, nu.period, nu.subject);
			(void) entry_get(cfg->lim.name, cfg->book, ou.period, ou.subject);
			granted = take(cfg, rel, e, entry_tab(e, cfg->tab), &nu, nu.units);
			if (granted != nu.units)
				newtup = set_amount(cfg, rel, newtup, granted * cfg->lim.direction);
		}
		return PointerGetDatum(newtup);
	}

	/*
	 * AFTER: book what was really written, whatever the table's other
	 * triggers did to the row after the check above (a BEFORE trigger that
	 * sorts after the limit's may change it), and check again whatever raises
	 * what is used (book_checked): a row changed after the check, an UPDATE,
	 * or a DELETE of a credit under a balance (at the statement's end).
	 */
	if (TRIGGER_FIRED_BY_INSERT(td->tg_event))
	{
		row_use(cfg, rel, td->tg_trigtuple, &nu);
		book_checked(cfg, entry_get(cfg->lim.name, cfg->book, nu.period, nu.subject), &nu, nu.units, nu.units, false);
	}
	else if (TRIGGER_FIRED_BY_DELETE(td->tg_event))
	{
		row_use(cfg, rel, td->tg_trigtuple, &ou);
		book_checked(cfg, entry_get(cfg->lim.name, cfg->book, ou.period, ou.subject), &ou, -ou.units, 0, true);
	}
	else
	{
		row_use(cfg, rel, td->tg_trigtuple, &ou);
		row_use(cfg, rel, td->tg_newtuple, &nu);
		if (ou.period == nu.period && strcmp(ou.subject, nu.subject) == 0)
		{
			int64		delta = nu.units - ou.units;

			if (delta != 0)
				book_checked(cfg, entry_get(cfg->lim.name, cfg->book, nu.period, nu.subject), &nu, delta, delta > 0 ? delta : 0, false);
		}
		else
		{
			book_checked(cfg, entry_get(cfg->lim.name, cfg->book, ou.period, ou.subject), &ou, -ou.units, 0, false);
			book_checked(cfg, entry_get(cfg->lim.name, cfg->book, nu.period, nu.subject), &nu, nu.units, nu.units, false);
		}
	}
	return PointerGetDatum(NULL);
}

/* Statement trigger of an attached limit: write the statement's usage. */
PG_FUNCTION_INFO_V1(bf_limit_flush);
Datum
bf_limit_flush(PG_FUNCTION_ARGS)
{
	if (!CALLED_AS_TRIGGER(fcinfo))
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("bangfu.limit_flush() must be called as a trigger")));
	flush_all();
	return PointerGetDatum(NULL);
}

/* TRUNCATE would empty a guarded table behind the ledger's back. */
PG_FUNCTION_INFO_V1(bf_limit_no_truncate);
Datum
bf_limit_no_truncate(PG_FUNCTION_ARGS)
{
	TriggerData *td = (TriggerData *) fcinfo->context;

	if (!CALLED_AS_TRIGGER(fcinfo))
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("bangfu.limit_no_truncate() must be called as a trigger")));
	ereport(ERROR,
			(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
			 errmsg("%s is guarded by bangfu limits and cannot be truncated",
					RelationGetRelationName(td->tg_relation)),
			 errhint("DELETE the rows instead, so the limits release what they used.")));
	return PointerGetDatum(NULL);
}

typedef struct CallerLimit
{
	LimitHandle lim;
	bool		resolved;
	char		name[NAMEDATALEN];
} CallerLimit;

static LimitHandle *
caller_limit(FunctionCallInfo fcinfo, text *name_t)
{
	CallerLimit *cl = (CallerLimit *) fcinfo->flinfo->fn_extra;
	char	   *name = text_to_cstring(name_t);

	if (cl == NULL)
		cl = fcinfo->flinfo->fn_extra = MemoryContextAllocZero(fcinfo->flinfo->fn_mcxt, sizeof(CallerLimit));
	if (!cl->resolved || strcmp(cl->name, name) != 0 || cl->lim.generation != defs_generation || !defs_valid)
	{
		handle_resolve(&cl->lim, name);
		strlcpy(cl->name, name, sizeof cl->name);
		cl->resolved = true;
	}
	return &cl->lim;
}

static Datum
units_datum(const LimitHandle *h, int64 units)
{
	if (h->unit == 'm')
		return bf_fen_to_datum(units * h->direction);
	return DirectFunctionCall1(int8_numeric, Int64GetDatum(units));
}

/* Whether the caller may read a table admitted to a limit's common books. */
static bool
reads_common_books(const char *limit_name)
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

/* What a subject has used in the period of a date, locked for the transaction. */
PG_FUNCTION_INFO_V1(bf_limit_used);
Datum
bf_limit_used(PG_FUNCTION_ARGS)
{
	LimitHandle *h = caller_limit(fcinfo, PG_GETARG_TEXT_PP(0));
	char	   *subject = text_to_cstring(PG_GETARG_TEXT_PP(1));
	DateADT		on_date = PG_GETARG_DATEADT(2);
	int32		period = 0;
	char	   *parts[BF_MAX_SUBJECT_COLS];
	Oid			book;

	if (h->yearly)
	{
		if (DATE_NOT_FINITE(on_date))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("on_date must be finite")));
		period = year_of(on_date);
	}
	/*
	 * A subject never seen is one that has used nothing: 0 (the first stay
	 * of a year).  A subject that no row of the limit could have, because it
	 * has the wrong number of parts, is refused instead of read as 0.
	 */
	if (h->subjects >= 0 && !subject_split(subject, h->subjects, parts))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("\"%s\" is not a subject of limit \"%s\", which has %d subject columns",
						subject, h->name, h->subjects),
				 h->subjects == 0 ? errhint("The subject of a whole-table limit is ''.")
				 : errhint("Write a subject of several columns with bangfu.limit_subject(...).")));
	/*
	 * What a subject used is what the ledger says (bangfu.usage) or what the
	 * table's rows add up to: the caller must be allowed to read that, and
	 * only then may it hold the subject's lock.
	 */
	{
		Oid			what;
		AclResult	acl;

		if (!defs_valid)
			defs_load();
		what = PG_NARGS() > 3 ? PG_GETARG_OID(3) : usage_relid;
		acl = pg_class_aclcheck(what, GetUserId(), ACL_SELECT);
		if (acl != ACLCHECK_OK && !(PG_NARGS() <= 3 && reads_common_books(h->name)))
			aclcheck_error(acl, OBJECT_TABLE, get_rel_name(what));
		if (PG_NARGS() > 3)
		{
			Relation	r = table_open(what, AccessShareLock);
			bool		attached = limit_trigger_of(r, h->name) != NULL;

			table_close(r, AccessShareLock);
			if (!attached)
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						 errmsg("limit \"%s\" is not attached to %s", h->name, get_rel_name(what))));
		}
	}
	/* the common books (the register's and every admitted table's), or a table's */
	book = PG_NARGS() > 3 ? attachment_book(h->name, PG_GETARG_OID(3)) : InvalidOid;

	/*
	 * A hot standby takes no lock (that needs a transaction id) and has no
	 * writer of its own to fear: the ledger as its snapshot sees it.
	 */
	if (RecoveryInProgress())
	{
		Relation	rel,
					idx;
		Oid			tabs[BF_LIMIT_MAX_TABS];
		int64		used[BF_LIMIT_MAX_TABS];
		ItemPointerData tids[BF_LIMIT_MAX_TABS];
		int64		total = 0;
		int			n,
					i;

		ledger_open(&rel, &idx);
		n = ledger_scan(rel, idx, GetTransactionSnapshot(), h->name, book, period, subject,
						tabs, used, tids);
		ledger_close(rel, idx);
		for (i = 0; i < n; i++)
			total += used[i];
		PG_RETURN_DATUM(units_datum(h, total));
	}
	PG_RETURN_DATUM(units_datum(h, entry_total(entry_get(h->name, book, period, subject))));
}

/* The cap of a limit on a date, in yuan or as a count. */
PG_FUNCTION_INFO_V1(bf_limit_cap);
Datum
bf_limit_cap(PG_FUNCTION_ARGS)
{
	LimitHandle *h = caller_limit(fcinfo, PG_GETARG_TEXT_PP(0));
	int64		cap = handle_cap(h, PG_GETARG_DATEADT(1));

	if (h->unit == 'm')
		PG_RETURN_DATUM(bf_fen_to_datum(cap));
	PG_RETURN_DATUM(DirectFunctionCall1(int8_numeric, Int64GetDatum(cap)));
}

/* The cap of a limit on a date in ledger units. */
PG_FUNCTION_INFO_V1(bf_limit_cap_units);
Datum
bf_limit_cap_units(PG_FUNCTION_ARGS)
{
	LimitHandle *h = caller_limit(fcinfo, PG_GETARG_TEXT_PP(0));

	PG_RETURN_INT64(handle_cap(h, PG_GETARG_DATEADT(1)));
}

/*
 * Forget the transaction's in-memory books, after SQL rewrote the ledger
 * (limit_rebuild, limit_recount, limit_forget): the next touch reads the
 * ledger again.  The locks stay held.
 */
static void
forget_entries(void)
{
	HASH_SEQ_STATUS st;
	UsageEntry *e;

	if (entries != NULL)
	{
		hash_seq_init(&st, entries);
		while ((e = hash_seq_search(&st)) != NULL)
		{
			Frame	   *f = top_frame(e);
			int			t;

			for (t = 0; t < e->ntabs; t++)
				if (f->pending[t] != 0 || f->reserved[t] != 0)
				{
					hash_seq_term(&st);
					ereport(ERROR,
							(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
							 errmsg("cannot rewrite the limits' ledger while a statement is still booking against it")));
				}
		}
	}
	entries = NULL;				/* its memory goes with the transaction */
	dirty = NULL;
	ndirty = maxdirty = 0;
	dirty_lost = false;
}

PG_FUNCTION_INFO_V1(bf_limit_forget_books);
Datum
bf_limit_forget_books(PG_FUNCTION_ARGS)
{
	forget_entries();
	PG_RETURN_VOID();
}

/* pg_trigger.tgargs as text[], so views can read trigger arguments. */
PG_FUNCTION_INFO_V1(bf_trigger_args);
Datum
bf_trigger_args(PG_FUNCTION_ARGS)
{
	bytea	   *b = PG_GETARG_BYTEA_PP(0);
	int			n = PG_GETARG_INT16(1);
	const char *p = VARDATA_ANY(b);
	const char *end = p + VARSIZE_ANY_EXHDR(b);
	Datum	   *elems = palloc(sizeof(Datum) * Max(n, 1));
	int			i;

	if (n < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("trigger arguments are malformed")));

	for (i = 0; i < n; i++)
	{
		const char *z = memchr(p, '\0', end - p);

		if (z == NULL)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("trigger arguments are malformed")));
		elems[i] = PointerGetDatum(cstring_to_text_with_len(p, z - p));
		p = z + 1;
	}
	PG_RETURN_ARRAYTYPE_P(construct_array(elems, n, TEXTOID, -1, false, TYPALIGN_INT));
}

/* ----- counting a guarded table: limit_actual, limit_recount ----- */

/* The BEFORE row trigger of a limit on a table, or NULL. */
static Trigger *
limit_trigger_of(Relation rel, const char *limit_name)
{
	static Oid	guard_oid = InvalidOid;
	Trigger    *found = NULL;
	int			i;

	if (!OidIsValid(guard_oid) || !SearchSysCacheExists1(PROCOID, ObjectIdGetDatum(guard_oid)))
		guard_oid = LookupFuncName(list_make2(makeString("bangfu"), makeString("limit_guard")),
								   0, NULL, false);
	for (i = 0; rel->trigdesc && i < rel->trigdesc->numtriggers; i++)
	{
		Trigger    *tg = &rel->trigdesc->triggers[i];

		if (tg->tgfoid == guard_oid && TRIGGER_FOR_ROW(tg->tgtype) &&
			TRIGGER_FOR_BEFORE(tg->tgtype) && tg->tgnargs >= 1 &&
			strcmp(tg->tgargs[0], limit_name) == 0)
		{
			if (found)
				ereport(ERROR,
						(errcode(ERRCODE_DUPLICATE_OBJECT),
						 errmsg("limit \"%s\" is attached to %s twice (triggers %s and %s)", limit_name,
								RelationGetRelationName(rel), found->tgname, tg->tgname)));
			found = tg;
		}
	}
	return found;
}

typedef struct ActualSum
{
	char		key[BF_LIMIT_KEY_LEN];	/* period \x1f subject */
	int32		period;
	char	   *subject;
	int64		used;			/* ledger units */
	DateADT		on_date;		/* a date of one of its rows */
} ActualSum;

/*
 * What the rows of a guarded table add up to per subject and period, read
 * with the caller's rights (SELECT on the table) and computed by the very
 * code the trigger runs (row_use), so that the trigger, limit_check and
 * limit_rebuild agree on subjects and periods.  A partitioned table is
 * read through its partitions, each row once.  *book_out gets the books
 * the attachment counts in.
 */
static HTAB *
actual_sums(Oid tab, const char *limit_name, LOCKMODE lockmode, Oid *book_out)
{
	HASHCTL		ctl;
	HTAB	   *sums;
	Relation	root;
	List	   *leaves;
	ListCell   *lc;
	AclResult	acl;
	Snapshot	snap;
	bool		have_cfg = false;

	acl = pg_class_aclcheck(tab, GetUserId(), ACL_SELECT);
	if (acl != ACLCHECK_OK)
		aclcheck_error(acl, OBJECT_TABLE, get_rel_name(tab));
	/* the rows are read directly: row-level security would not apply */
	if (check_enable_rls(tab, InvalidOid, false) == RLS_ENABLED)
		ereport(ERROR,
				(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
				 errmsg("cannot count the rows of %s: row-level security hides some of them from you",
						get_rel_name(tab)),
				 errhint("Its owner or a role that bypasses row-level security can.")));
	root = table_open(tab, lockmode);
	if (RELATION_IS_OTHER_TEMP(root))
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("cannot read temporary tables of other sessions")));
	if (limit_trigger_of(root, limit_name) == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("limit \"%s\" is not attached to %s", limit_name, RelationGetRelationName(root))));
	if (root->rd_rel->relkind == RELKIND_PARTITIONED_TABLE)
		leaves = find_all_inheritors(tab, lockmode, NULL);
	else
		leaves = list_make1_oid(tab);

	memset(&ctl, 0, sizeof ctl);
	ctl.keysize = BF_LIMIT_KEY_LEN;
	ctl.entrysize = sizeof(ActualSum);
	ctl.hcxt = CurrentMemoryContext;
	sums = hash_create("bangfu limit_actual", 64, &ctl, HASH_ELEM | HASH_STRINGS | HASH_CONTEXT);

	CommandCounterIncrement();
	snap = RegisterSnapshot(IsolationUsesXactSnapshot() ? GetTransactionSnapshot() : GetLatestSnapshot());
	foreach(lc, leaves)
	{
		Relation	rel = table_open(lfirst_oid(lc), lockmode);
		Trigger    *tg;
		GuardConfig cfg;
		TableScanDesc scan;
		TupleTableSlot *slot;
		int64		nulls = 0;
		ItemPointerData first_null;
		const char *null_col = NULL;

		if (rel->rd_rel->relkind != RELKIND_RELATION)
		{
			table_close(rel, lockmode);
			continue;
		}
		tg = limit_trigger_of(rel, limit_name);
		if (tg == NULL)
			ereport(ERROR,
					(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
					 errmsg("partition %s of %s lacks the triggers of limit \"%s\"",
							RelationGetRelationName(rel), RelationGetRelationName(root), limit_name)));
		memset(&cfg, 0, sizeof cfg);
		config_build(&cfg, tg, rel);
		if (!have_cfg)
		{
			*book_out = cfg.book;
			have_cfg = true;
		}
		slot = table_slot_create(rel, NULL);
		scan = table_beginscan(rel, snap, 0, NULL);
		while (table_scan_getnextslot(scan, ForwardScanDirection, slot))
		{
			bool		shouldfree;
			HeapTuple	tup = ExecFetchSlotHeapTuple(slot, false, &shouldfree);
			RowUse		u;
			ActualSum  *a;
			bool		found;
			char		key[BF_LIMIT_KEY_LEN];
			int			i;
			const char *nc = NULL;

			CHECK_FOR_INTERRUPTS();
			/* a null the trigger would refuse: name the rows, not just the fact */
			for (i = 0; i < cfg.nsubj && !nc; i++)
				if (heap_attisnull(tup, cfg.subj_att[i], RelationGetDescr(rel)))
					nc = cfg.subj_name[i];
			if (!nc && cfg.amount_att > 0 && heap_attisnull(tup, cfg.amount_att, RelationGetDescr(rel)))
				nc = tg->tgargs[2];
			if (!nc && cfg.date_att > 0 && heap_attisnull(tup, cfg.date_att, RelationGetDescr(rel)))
				nc = tg->tgargs[3];
			if (nc)
			{
				if (nulls++ == 0)
				{
					first_null = tup->t_self;
					null_col = nc;
				}
				if (shouldfree)
					heap_freetuple(tup);
				continue;
			}
			row_use(&cfg, rel, tup, &u);
			if (snprintf(key, sizeof key, "%d\x1f%s", u.period, u.subject) >= (int) sizeof key)
				ereport(ERROR,
						(errcode(ERRCODE_STRING_DATA_RIGHT_TRUNCATION),
						 errmsg("subject \"%.40s...\" of limit \"%s\" is too long", u.subject, limit_name)));
			a = hash_search(sums, key, HASH_ENTER, &found);
			if (!found)
			{
				a->period = u.period;
				a->subject = pstrdup(u.subject);
				a->used = 0;
				a->on_date = u.on_date;
			}
			if (pg_add_s64_overflow(a->used, u.units, &a->used))
				ereport(ERROR,
						(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
						 errmsg("the rows of %s add up to more than limit \"%s\" can count",
								RelationGetRelationName(rel), limit_name)));
			if (shouldfree)
				heap_freetuple(tup);
		}
		table_endscan(scan);
		ExecDropSingleTupleTableSlot(slot);
		if (nulls > 0)
			ereport(ERROR,
					(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
					 errmsg("limit \"%s\" cannot count %s: %lld rows have a null in column \"%s\" or another column the limit reads",
							limit_name, RelationGetRelationName(rel), (long long) nulls, null_col),
					 errdetail("The first is the row at ctid (%u,%u).",
							   ItemPointerGetBlockNumber(&first_null), ItemPointerGetOffsetNumber(&first_null)),
					 errhint("Fill in or delete those rows, then attach the limit.")));
		table_close(rel, NoLock);
	}
	UnregisterSnapshot(snap);
	if (!have_cfg)
	{
		/* a partitioned table without partitions: its books are found the same way */
		*book_out = attachment_book(limit_name, tab);
	}
	table_close(root, NoLock);
	return sums;
}

/* What the rows of a guarded table add up to, per subject and period. */
PG_FUNCTION_INFO_V1(bf_limit_actual);
Datum
bf_limit_actual(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	Oid			tab = PG_GETARG_OID(0);
	char	   *limit_name = text_to_cstring(PG_GETARG_TEXT_PP(1));
	HTAB	   *sums;
	HASH_SEQ_STATUS st;
	ActualSum  *a;
	Oid			book;

	InitMaterializedSRF(fcinfo, 0);
	sums = actual_sums(tab, limit_name, AccessShareLock, &book);
	hash_seq_init(&st, sums);
	while ((a = hash_seq_search(&st)) != NULL)
	{
		Datum		values[3];
		bool		nulls[3] = {false, false, false};

		values[0] = CStringGetTextDatum(a->subject);
		values[1] = Int32GetDatum(a->period);
		values[2] = Int64GetDatum(a->used);
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
	}
	return (Datum) 0;
}

/* The last day of a period, for the cap an entry is checked against. */
static DateADT
period_end(const LimitHandle *h, int32 period)
{
	if (!h->yearly)
		return GetSQLCurrentDate();
	return date2j(period > 0 ? period : period + 1, 12, 31) - POSTGRES_EPOCH_JDATE;
}

/*
 * Count what a guarded table holds into its books: the second half of
 * attach_limit, and limit_rebuild's step.  It runs with the caller's rights
 * and writes only what the table's rows add up to, computed here; the
 * caller must own the table or be a policy admin (it locks the table
 * against writers until the transaction ends).
 */
PG_FUNCTION_INFO_V1(bf_limit_recount);
Datum
bf_limit_recount(PG_FUNCTION_ARGS)
{
	Oid			tab = PG_GETARG_OID(0);
	char	   *limit_name = text_to_cstring(PG_GETARG_TEXT_PP(1));
	Oid			owner;
	Oid			admin = get_role_oid("bangfu_policy_admin", true);
	HTAB	   *sums;
	HASH_SEQ_STATUS st;
	ActualSum  *a;
	Oid			book;
	LimitHandle lim;
	Relation	rel,
				idx;
	ScanKeyData keys[3];
	SysScanDesc scan;
	HeapTuple	tup;
	List	   *stale = NIL;
	List	   *touched = NIL;
	ListCell   *lc;

	{
		HeapTuple	ct = SearchSysCache1(RELOID, ObjectIdGetDatum(tab));

		if (!HeapTupleIsValid(ct))
			ereport(ERROR,
					(errcode(ERRCODE_UNDEFINED_TABLE),
					 errmsg("relation with OID %u does not exist", tab)));
		owner = ((Form_pg_class) GETSTRUCT(ct))->relowner;
		ReleaseSysCache(ct);
	}
	if (!has_privs_of_role(GetUserId(), owner) &&
		!(OidIsValid(admin) && has_privs_of_role(GetUserId(), admin)))
		ereport(ERROR,
				(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
				 errmsg("only the owner of %s or a policy admin may recount its limits", get_rel_name(tab))));

	sums = actual_sums(tab, limit_name, ShareRowExclusiveLock, &book);
	handle_resolve(&lim, limit_name);
	/* SQL may have written the ledger since this transaction read it */
	forget_entries();

	/* the ledger rows of this table in its books: subjects it no longer has go to zero */
	ledger_open(&rel, &idx);
	ScanKeyInit(&keys[0], ULA_LIMIT, BTEqualStrategyNumber, F_TEXTEQ, CStringGetTextDatum(limit_name));
	ScanKeyInit(&keys[1], ULA_TAB, BTEqualStrategyNumber, F_OIDEQ, ObjectIdGetDatum(tab));
	ScanKeyInit(&keys[2], ULA_BOOK, BTEqualStrategyNumber, F_OIDEQ, ObjectIdGetDatum(book));
	scan = systable_beginscan(rel, InvalidOid, false, GetLatestSnapshot(), legacy_ledger ? 2 : 3, keys);
	while (HeapTupleIsValid(tup = systable_getnext(scan)))
	{
		bool		isnull;
		char		key[BF_LIMIT_KEY_LEN];
		int32		period = DatumGetInt32(heap_getattr(tup, ULA_PERIOD, RelationGetDescr(rel), &isnull));
		char	   *subject = TextDatumGetCString(heap_getattr(tup, ULA_SUBJECT, RelationGetDescr(rel), &isnull));
		bool		found;

		snprintf(key, sizeof key, "%d\x1f%s", period, subject);
		(void) hash_search(sums, key, HASH_FIND, &found);
		if (!found)
		{
			ActualSum  *z = palloc0(sizeof(ActualSum));

			z->period = period;
			z->subject = subject;
			stale = lappend(stale, z);
		}
	}
	systable_endscan(scan);
	ledger_close(rel, idx);

	hash_seq_init(&st, sums);
	while ((a = hash_seq_search(&st)) != NULL)
		touched = lappend(touched, a);
	touched = list_concat(touched, stale);
	foreach(lc, touched)
	{
		UsageEntry *e;
		int			t;
		Frame	   *f;

		a = lfirst(lc);
		e = entry_get(limit_name, book, a->period, a->subject);
		t = entry_tab(e, tab);
		f = writable_frame(e);
		if (f->pending[t] != 0 || f->reserved[t] != 0)
			ereport(ERROR,
					(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
					 errmsg("cannot recount limit \"%s\" of %s while a statement is still booking against it",
							limit_name, get_rel_name(tab))));
		f->pending[t] = a->used - f->stored[t];
		mark_dirty(e);
	}
	flush_all();
	foreach(lc, touched)
	{
		UsageEntry *e;
		int64		cap,
					total;

		a = lfirst(lc);
		e = entry_get(limit_name, book, a->period, a->subject);
		total = entry_total(e);
		if (total <= 0)
			continue;
		cap = handle_cap(&lim, period_end(&lim, a->period));
		if (total > cap && lim.direction < 0)
			ereport(ERROR,
					(errcode(ERRCODE_CHECK_VIOLATION),
					 errmsg("table %s already breaks limit \"%s\": the balance of %s would be %s",
							get_rel_name(tab), limit_name, a->subject, bf_fen_cstring(-total))));
		if (total > cap)
			ereport(ERROR,
					(errcode(ERRCODE_CHECK_VIOLATION),
					 errmsg("table %s already breaks limit \"%s\": subject %s used %s%s (cap %s)",
							get_rel_name(tab), limit_name, a->subject[0] ? a->subject : bf_("(the whole table)"),
							units_text(&lim, total), lim.yearly ? psprintf(bf_(" in %d"), a->period) : "",
							units_text(&lim, cap))));
	}
	PG_RETURN_VOID();
}

/* A subject of several columns as the limit triggers write it. */
PG_FUNCTION_INFO_V1(bf_limit_subject);
Datum
bf_limit_subject(PG_FUNCTION_ARGS)
{
	ArrayType  *arr = PG_GETARG_ARRAYTYPE_P(0);
	Datum	   *elems;
	bool	   *nulls;
	int			n,
				i;
	StringInfoData s;

	deconstruct_array(arr, TEXTOID, -1, false, TYPALIGN_INT, &elems, &nulls, &n);
	initStringInfo(&s);
	for (i = 0; i < n; i++)
	{
		if (nulls[i])
			ereport(ERROR,
					(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
					 errmsg("part %d of a limit subject is null", i + 1)));
		if (n == 1)
			appendStringInfoString(&s, TextDatumGetCString(elems[i]));
		else
		{
			if (i > 0)
				appendStringInfoChar(&s, BF_SUBJECT_SEP);
			subject_escape(&s, TextDatumGetCString(elems[i]));
		}
	}
	PG_RETURN_TEXT_P(cstring_to_text(s.data));
}

/*
 * Release what a table no longer guarded by a limit had used of it:
 * detach_limit's second half.  Its ledger rows go to zero under the
 * subjects' locks, like any booking; the caller must own the table or be a
 * policy admin (a table that no longer exists: a policy admin).
 */
PG_FUNCTION_INFO_V1(bf_limit_forget);
Datum
bf_limit_forget(PG_FUNCTION_ARGS)
{
	Oid			tab = PG_GETARG_OID(0);
	char	   *limit_name = text_to_cstring(PG_GETARG_TEXT_PP(1));
	Oid			admin = get_role_oid("bangfu_policy_admin", true);
	bool		is_admin = OidIsValid(admin) && has_privs_of_role(GetUserId(), admin);
	HeapTuple	ct = SearchSysCache1(RELOID, ObjectIdGetDatum(tab));
	Relation	rel,
				idx;
	ScanKeyData keys[2];
	SysScanDesc scan;
	HeapTuple	tup;
	List	   *rows = NIL;
	ListCell   *lc;

	if (HeapTupleIsValid(ct))
	{
		Oid			owner = ((Form_pg_class) GETSTRUCT(ct))->relowner;
		Relation	r;

		ReleaseSysCache(ct);
		if (!is_admin && !has_privs_of_role(GetUserId(), owner))
			ereport(ERROR,
					(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
					 errmsg("only the owner of %s or a policy admin may forget its limits", get_rel_name(tab))));
		r = table_open(tab, ShareRowExclusiveLock);
		if (limit_trigger_of(r, limit_name) != NULL)
			ereport(ERROR,
					(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
					 errmsg("limit \"%s\" is still attached to %s", limit_name, RelationGetRelationName(r))));
		table_close(r, NoLock);
	}
	else if (!is_admin)
		ereport(ERROR,
				(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
				 errmsg("only a policy admin may forget the limits of a table that no longer exists")));

	forget_entries();
	ledger_open(&rel, &idx);
	ScanKeyInit(&keys[0], ULA_LIMIT, BTEqualStrategyNumber, F_TEXTEQ, CStringGetTextDatum(limit_name));
	ScanKeyInit(&keys[1], ULA_TAB, BTEqualStrategyNumber, F_OIDEQ, ObjectIdGetDatum(tab));
	scan = systable_beginscan(rel, InvalidOid, false, GetLatestSnapshot(), 2, keys);
	while (HeapTupleIsValid(tup = systable_getnext(scan)))
	{
		bool		isnull;
		ActualSum  *z = palloc0(sizeof(ActualSum));

		z->period = DatumGetInt32(heap_getattr(tup, ULA_PERIOD, RelationGetDescr(rel), &isnull));
		z->subject = TextDatumGetCString(heap_getattr(tup, ULA_SUBJECT, RelationGetDescr(rel), &isnull));
		/* the book goes in used: it is what the entry needs */
		z->used = legacy_ledger ? 0 : (int64) DatumGetObjectId(heap_getattr(tup, ULA_BOOK, RelationGetDescr(rel), &isnull));
		rows = lappend(rows, z);
	}
	systable_endscan(scan);
	ledger_close(rel, idx);

	foreach(lc, rows)
	{
		ActualSum  *z = lfirst(lc);
		UsageEntry *e = entry_get(limit_name, (Oid) z->used, z->period, z->subject);
		int			t = entry_tab(e, tab);
		Frame	   *f = writable_frame(e);

		f->pending[t] = -f->stored[t];
		mark_dirty(e);
	}
	flush_all();

	/* then the rows themselves go; the entries are read again next time */
	CommandCounterIncrement();
	ledger_open(&rel, &idx);
	foreach(lc, rows)
	{
		ActualSum  *z = lfirst(lc);
		UsageEntry *e = entry_get(limit_name, (Oid) z->used, z->period, z->subject);
		Frame	   *f = top_frame(e);
		int			t = entry_tab(e, tab);

		if (ItemPointerIsValid(&f->tids[t]))
			simple_heap_delete(rel, &f->tids[t]);
		hash_search(entries, e->key, HASH_REMOVE, NULL);
	}
	ledger_close(rel, idx);
	/* a removed entry may still be marked dirty */
	ndirty = 0;
	dirty_lost = true;
	CommandCounterIncrement();
	PG_RETURN_VOID();
}
