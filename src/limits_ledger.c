/*
 * limits_ledger.c
 *		The limit engine's ledger, bangfu.usage: a subject's rows read and
 *		written through the primary key (heap and index access methods, no
 *		SQL), one row per limit, book, subject, period and guarded table.
 *
 * Only the books (limits_books.c) and the counting of a table
 * (limits_recount.c) call this; they hold the subject's lock
 * (limits_lock.c) before they read or write its rows.  See limits_engine.h.
 */
#include "postgres.h"

#include "access/genam.h"
#include "access/heapam.h"
#include "access/htup_details.h"
#include "access/table.h"
#include "access/xact.h"
#include "catalog/index.h"
#include "utils/builtins.h"
#include "utils/fmgroids.h"
#include "utils/rel.h"
#include "utils/snapmgr.h"

#include "compat.h"
#include "limits_engine.h"

/* The ledger as the last bf_limits_ledger_open found it: before 0.3.0's book column? */
static bool legacy_ledger = false;

/* Open bangfu.usage and its primary key for writing. */
void
bf_limits_ledger_open(Relation *rel, Relation *idx)
{
	Oid			pkey;

	*rel = table_open(bf_limits_usage_relid(), RowExclusiveLock);
	/* a catalog not yet updated to 0.3.0 has no book column: one book for all */
	legacy_ledger = RelationGetDescr(*rel)->natts == ULA_NATTS - 1;
	if (RelationGetDescr(*rel)->natts != ULA_NATTS && !legacy_ledger)
		elog(ERROR, "bangfu.usage does not have the layout this library expects");
	pkey = bf_limits_usage_pkey(RelationGetNamespace(*rel));
	if (!OidIsValid(pkey))
		elog(ERROR, "bangfu.usage has no primary key");
	*idx = index_open(pkey, RowExclusiveLock);
}

/* Close what bf_limits_ledger_open opened, keeping the locks. */
void
bf_limits_ledger_close(Relation rel, Relation idx)
{
	index_close(idx, NoLock);
	table_close(rel, NoLock);
}

/* Whether the ledger has no book column (a catalog not yet updated to 0.3.0). */
bool
bf_limits_ledger_is_legacy(void)
{
	return legacy_ledger;
}

/* A subject's ledger rows under a snapshot: one per guarded table. */
int
bf_limits_ledger_scan(Relation rel, Relation idx, Snapshot snap, const char *limit_name,
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
int
bf_limits_ledger_read(const char *limit_name, Oid book, int32 period, const char *subject,
					  Oid *tabs, int64 *used, ItemPointerData *tids)
{
	Relation	rel,
				idx;
	int			n;

	bf_limits_ledger_open(&rel, &idx);
	n = bf_limits_ledger_scan(rel, idx, GetTransactionSnapshot(), limit_name, book, period, subject,
							  tabs, used, tids);
	if (IsolationUsesXactSnapshot())
	{
		ItemPointerData latest[BF_LIMIT_MAX_TABS];
		int			m = bf_limits_ledger_scan(rel, idx, GetLatestSnapshot(), limit_name,
											  book, period, subject, NULL, NULL, latest);
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
	bf_limits_ledger_close(rel, idx);
	return n;
}

/* Add delta to one ledger row, creating it if it does not exist yet. */
void
bf_limits_ledger_add(Relation rel, Relation idx, IndexInfo **ii, const char *limit_name,
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
