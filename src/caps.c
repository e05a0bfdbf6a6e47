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
#include "storage/sinvaladt.h"
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
#include "utils/guc.h"

#include "caps.h"
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
} LimitDef;

static MemoryContext defs_cxt = NULL;
static LimitDef *defs = NULL;
static int	ndefs = 0;
static bool defs_valid = false;
static uint64 defs_generation = 1;
static Oid	limit_def_relid = InvalidOid;
static Oid	usage_relid = InvalidOid;
static Oid	usage_pkey = InvalidOid;

static void
defs_relcache_cb(Datum arg, Oid relid)
{
	if (relid == InvalidOid || relid == limit_def_relid || relid == usage_relid)
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
	if (SPI_execute("SELECT name, clause, unit, period, direction, cap_param,"
					" cap_function::pg_catalog.oid FROM bangfu.limit_def", true, 0) != SPI_OK_SELECT)
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
	bf_param_ref_init(&h->ref, h->cap_param);
	h->generation = defs_generation;
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
		Datum		d = OidFunctionCall1(h->cap_function, DateADTGetDatum(on_date));
		int64		fen;

		if (bf_datum_to_fen_status(d, &fen) != BF_MONEY_OK)
			ereport(ERROR,
					(errcode(ERRCODE_DATA_EXCEPTION),
					 errmsg("the cap function of limit \"%s\" gave no valid cap", h->name)));
		return h->unit == 'm' ? fen : fen / 100;
	}
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
	char		key[BF_LIMIT_KEY_LEN];	/* hash key: limit \x1f period \x1f subject */
	char		limit_name[NAMEDATALEN];
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
} UsageEntry;

/* The limit locks this transaction holds (see lock_key). */
typedef struct LimitLock
{
	char		name[NAMEDATALEN];
	int			first_level;	/* nest level of its first lock; 0: none held */
} LimitLock;

static LimitLock *limit_locks = NULL;
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
#define ULA_NATTS	5

static void
ledger_open(Relation *rel, Relation *idx)
{
	if (!defs_valid)
		defs_load();
	*rel = table_open(usage_relid, RowExclusiveLock);
	if (RelationGetDescr(*rel)->natts != ULA_NATTS)
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
			int32 period, const char *subject, Oid *tabs, int64 *used,
			ItemPointerData *tids)
{
	ScanKeyData keys[3];
	SysScanDesc scan;
	HeapTuple	tup;
	int			n = 0;

	ScanKeyInit(&keys[0], ULA_LIMIT, BTEqualStrategyNumber, F_TEXTEQ,
				CStringGetTextDatum(limit_name));
	ScanKeyInit(&keys[1], ULA_SUBJECT, BTEqualStrategyNumber, F_TEXTEQ,
				CStringGetTextDatum(subject));
	ScanKeyInit(&keys[2], ULA_PERIOD, BTEqualStrategyNumber, F_INT4EQ,
				Int32GetDatum(period));
	scan = systable_beginscan(rel, RelationGetRelid(idx), true, snap, 3, keys);
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
ledger_read(const char *limit_name, int32 period, const char *subject,
			Oid *tabs, int64 *used, ItemPointerData *tids)
{
	Relation	rel,
				idx;
	int			n;

	ledger_open(&rel, &idx);
	n = ledger_scan(rel, idx, GetTransactionSnapshot(), limit_name, period, subject,
					tabs, used, tids);
	if (IsolationUsesXactSnapshot())
	{
		ItemPointerData latest[BF_LIMIT_MAX_TABS];
		int			m = ledger_scan(rel, idx, GetLatestSnapshot(), limit_name, period,
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
		   Oid tab, const char *subject, int32 period, int64 stored, int64 delta,
		   ItemPointer tid)
{
	Datum		values[ULA_NATTS];
	bool		nulls[ULA_NATTS] = {false, false, false, false, false};
	HeapTuple	tup;
	Datum		ivalues[INDEX_MAX_KEYS];
	bool		inulls[INDEX_MAX_KEYS] = {false};

	values[ULA_LIMIT - 1] = CStringGetTextDatum(limit_name);
	values[ULA_TAB - 1] = ObjectIdGetDatum(tab);
	values[ULA_SUBJECT - 1] = CStringGetTextDatum(subject);
	values[ULA_PERIOD - 1] = Int32GetDatum(period);
	values[ULA_USED - 1] = Int64GetDatum(stored + delta);
	tup = heap_form_tuple(RelationGetDescr(rel), values, nulls);

	if (ItemPointerIsValid(tid))
	{
		TM_FailureData tmfd;
		LockTupleMode lockmode;
		TM_Result	res;

		res = heap_update(rel, tid, tup, GetCurrentCommandId(true), InvalidSnapshot,
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

	/* index columns: limit_name, subject, period, tab */
	ivalues[0] = values[ULA_LIMIT - 1];
	ivalues[1] = values[ULA_SUBJECT - 1];
	ivalues[2] = values[ULA_PERIOD - 1];
	ivalues[3] = values[ULA_TAB - 1];
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

			BackendIdGetTransactionIds(holder->backendId, &xid, &xmin);
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
lock_key(const char *key, const char *limit_name, const char *subject, int32 period)
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
	hk = hash_bytes_extended((const unsigned char *) key, strlen(key), 0);
	SET_LOCKTAG_ADVISORY(tag, MyDatabaseId, (uint32) hl, (uint32) (hk % BF_LOCK_BUCKETS), BF_LOCK_FIELD4);
	acquire_wait_die(&tag, ExclusiveLock, may_hold_others, limit_name, what);
	if (ll->first_level == 0)
		ll->first_level = GetCurrentTransactionNestLevel();
}

/* The transaction's entry for a key, locking and reading it the first time. */
static UsageEntry *
entry_get(const char *limit_name, int32 period, const char *subject)
{
	char		key[BF_LIMIT_KEY_LEN];
	UsageEntry *e;
	bool		found;
	int			n;

	n = snprintf(key, sizeof key, "%s\x1f%d\x1f%s", limit_name, period, subject);
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
	lock_key(key, limit_name, subject, period);
	{
		MemoryContext old;
		Frame		f;
		Oid			tabs[BF_LIMIT_MAX_TABS];
		int			ntabs;

		memset(&f, 0, sizeof f);
		ntabs = ledger_read(limit_name, period, subject, tabs, f.stored, f.tids);

		e = hash_search(entries, key, HASH_ENTER, &found);
		Assert(!found);
		old = MemoryContextSwitchTo(TopTransactionContext);
		strlcpy(e->limit_name, limit_name, sizeof e->limit_name);
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
			ledger_add(rel, idx, &ii, e->limit_name, e->tabs[t], e->subject, e->period,
					   f->stored[t], f->pending[t], &f->tids[t]);
			last_write_cid = GetCurrentCommandId(true);
			last_write_xid = GetTopTransactionIdIfAny();
			f->stored[t] += f->pending[t];
			f->pending[t] = 0;
		}
		e->dirty = false;
	}
	ndirty = 0;
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
	cfg = NULL;
	if (tg->tgnargs < 4 || tg->tgnargs > 4 + BF_MAX_SUBJECT_COLS)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("bangfu.limit_guard() takes a limit, a mode, an amount column, a date column and up to %d subject columns",
						BF_MAX_SUBJECT_COLS),
				 errhint("Use bangfu.attach_limit() to create the triggers.")));
	old = MemoryContextSwitchTo(TopMemoryContext);
	/*
	 * A fresh one each time (slots are reused round robin): a config that a
	 * running statement still points to is never changed under it.  Only
	 * new triggers, DDL and limit changes build one, so the few bytes an
	 * evicted one keeps are of no account.
	 */
	cfg = palloc0(sizeof(GuardConfig));
	guard_cache[guard_cache_next] = cfg;
	guard_cache_next = (guard_cache_next + 1) % BF_GUARD_CACHE;
	cfg->tgoid = tg->tgoid;
	cfg->tupdesc = RelationGetDescr(rel);
	cfg->natts = RelationGetDescr(rel)->natts;
	handle_resolve(&cfg->lim, tg->tgargs[0]);
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
		cfg->amount_att = column_of(rel, tg->tgargs[2], "amount", cfg->lim.name);
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
		cfg->date_att = column_of(rel, tg->tgargs[3], "date", cfg->lim.name);
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
	for (i = 0; i < cfg->nsubj; i++)
	{
		Oid			out;
		bool		isvarlena;

		cfg->subj_att[i] = column_of(rel, tg->tgargs[4 + i], "subject", cfg->lim.name);
		strlcpy(cfg->subj_name[i], tg->tgargs[4 + i], NAMEDATALEN);
		getTypeOutputInfo(TupleDescAttr(RelationGetDescr(rel), cfg->subj_att[i] - 1)->atttypid,
						  &out, &isvarlena);
		fmgr_info_cxt(out, &cfg->subj_out[i], TopMemoryContext);
	}
	MemoryContextSwitchTo(old);
	fcinfo->flinfo->fn_extra = cfg;
	return cfg;
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
		if (i > 0)
			appendStringInfoChar(&s, '\x1f');
		appendStringInfoString(&s, OutputFunctionCall(&cfg->subj_out[i], v));
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
	if (cfg->lim.yearly)
	{
		int			y,
					m,
					d;

		j2date(u->on_date + POSTGRES_EPOCH_JDATE, &y, &m, &d);
		u->period = y;
	}
	else
		u->period = 0;

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

	if (cfg->nsubj == 0)
		return psprintf("all of %s", RelationGetRelationName(rel));
	initStringInfo(&s);
	for (i = 0; i < cfg->nsubj; i++)
	{
		const char *end = strchr(p, '\x1f');
		int			len = end ? (int) (end - p) : (int) strlen(p);

		appendStringInfo(&s, "%s%s %.*s", i > 0 ? ", " : "", cfg->subj_name[i], len, p);
		p = end ? end + 1 : p + len;
	}
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
	int64		cap = handle_cap(&cfg->lim, u->on_date);
	int64		total = entry_total(e);
	int64		room = cap - total;

	int64		granted = want;
	Frame	   *f;

	if (want > 0 && want > room)
	{
		if (!cfg->clamp)
		{
			const char *per = cfg->lim.yearly ? psprintf("in %d", u->period) : "in all";
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

/* Row trigger of an attached limit: check before, book after. */
PG_FUNCTION_INFO_V1(bf_limit_guard);
Datum
bf_limit_guard(PG_FUNCTION_ARGS)
{
	TriggerData *td = (TriggerData *) fcinfo->context;
	GuardConfig *cfg;
	Relation	rel;
	Oid			tab;
	RowUse		nu,
				ou;

	if (!CALLED_AS_TRIGGER(fcinfo) || !TRIGGER_FIRED_FOR_ROW(td->tg_event))
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("bangfu.limit_guard() must be a row trigger"),
				 errhint("Use bangfu.attach_limit() to create the triggers.")));
	cfg = guard_config(fcinfo, td);
	rel = td->tg_relation;
	tab = RelationGetRelid(rel);

	if (TRIGGER_FIRED_BEFORE(td->tg_event))
	{
		HeapTuple	newtup;

		if (TRIGGER_FIRED_BY_DELETE(td->tg_event))
			return PointerGetDatum(td->tg_trigtuple);
		newtup = TRIGGER_FIRED_BY_UPDATE(td->tg_event) ? td->tg_newtuple : td->tg_trigtuple;
		row_use(cfg, rel, newtup, &nu);
		if (TRIGGER_FIRED_BY_INSERT(td->tg_event))
		{
			UsageEntry *e = entry_get(cfg->lim.name, nu.period, nu.subject);
			int64		granted = take(cfg, rel, e, entry_tab(e, tab), &nu, nu.units);

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
				UsageEntry *e = entry_get(cfg->lim.name, nu.period, nu.subject);
				int64		granted = take(cfg, rel, e, entry_tab(e, tab), &nu, delta);

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
				(void) entry_get(cfg->lim.name, ou.period, ou.subject);
			e = entry_get(cfg->lim.name, nu.period, nu.subject);
			(void) entry_get(cfg->lim.name, ou.period, ou.subject);
			granted = take(cfg, rel, e, entry_tab(e, tab), &nu, nu.units);
			if (granted != nu.units)
				newtup = set_amount(cfg, rel, newtup, granted * cfg->lim.direction);
		}
		return PointerGetDatum(newtup);
	}

	/* AFTER: book what was written */
	if (TRIGGER_FIRED_BY_INSERT(td->tg_event))
	{
		row_use(cfg, rel, td->tg_trigtuple, &nu);
		book(entry_get(cfg->lim.name, nu.period, nu.subject), tab, nu.units, nu.units);
	}
	else if (TRIGGER_FIRED_BY_DELETE(td->tg_event))
	{
		row_use(cfg, rel, td->tg_trigtuple, &ou);
		book(entry_get(cfg->lim.name, ou.period, ou.subject), tab, -ou.units, 0);
	}
	else
	{
		row_use(cfg, rel, td->tg_trigtuple, &ou);
		row_use(cfg, rel, td->tg_newtuple, &nu);
		if (ou.period == nu.period && strcmp(ou.subject, nu.subject) == 0)
		{
			int64		delta = nu.units - ou.units;

			if (delta != 0)
				book(entry_get(cfg->lim.name, nu.period, nu.subject), tab, delta, delta > 0 ? delta : 0);
		}
		else
		{
			book(entry_get(cfg->lim.name, ou.period, ou.subject), tab, -ou.units, 0);
			book(entry_get(cfg->lim.name, nu.period, nu.subject), tab, nu.units, nu.units);
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

/* What a subject has used in the period of a date, locked for the transaction. */
PG_FUNCTION_INFO_V1(bf_limit_used);
Datum
bf_limit_used(PG_FUNCTION_ARGS)
{
	LimitHandle *h = caller_limit(fcinfo, PG_GETARG_TEXT_PP(0));
	char	   *subject = text_to_cstring(PG_GETARG_TEXT_PP(1));
	DateADT		on_date = PG_GETARG_DATEADT(2);
	int32		period = 0;

	if (h->yearly)
	{
		int			y,
					m,
					d;

		if (DATE_NOT_FINITE(on_date))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("on_date must be finite")));
		j2date(on_date + POSTGRES_EPOCH_JDATE, &y, &m, &d);
		period = y;
	}

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
		n = ledger_scan(rel, idx, GetTransactionSnapshot(), h->name, period, subject,
						tabs, used, tids);
		ledger_close(rel, idx);
		for (i = 0; i < n; i++)
			total += used[i];
		PG_RETURN_DATUM(units_datum(h, total));
	}
	PG_RETURN_DATUM(units_datum(h, entry_total(entry_get(h->name, period, subject))));
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
PG_FUNCTION_INFO_V1(bf_limit_forget_books);
Datum
bf_limit_forget_books(PG_FUNCTION_ARGS)
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
