/*
 * limits_recount.c
 *		Counting a guarded table into the limit engine's books: what its rows
 *		add up to (limit_actual, for limit_check), writing that into the
 *		ledger (limit_recount: attach_limit and limit_rebuild), and taking
 *		it out again (limit_forget: detach_limit).
 *
 * Rows are read with the caller's rights and through bf_limits_row_use
 * (limits_row.c), the code the trigger runs; the ledger is written through
 * the books (limits_books.c) under the subjects' locks, like any booking.
 * See limits_engine.h.
 */
#include "postgres.h"

#include "access/genam.h"
#include "access/heapam.h"
#include "access/htup_details.h"
#include "access/table.h"
#include "access/tableam.h"
#include "access/xact.h"
#include "catalog/pg_class.h"
#include "catalog/pg_inherits.h"
#include "common/int.h"
#include "executor/tuptable.h"
#include "funcapi.h"
#include "miscadmin.h"
#include "utils/acl.h"
#include "utils/builtins.h"
#include "utils/datetime.h"
#include "utils/fmgroids.h"
#include "utils/hsearch.h"
#include "utils/lsyscache.h"
#include "utils/rel.h"
#include "utils/rls.h"
#include "utils/snapmgr.h"
#include "utils/syscache.h"

#include "compat.h"
#include "limits_engine.h"
#include "money.h"

/* What the rows of a table add up to for one subject and period. */
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
 * code the trigger runs (bf_limits_row_use), so that the trigger,
 * limit_check and limit_rebuild agree on subjects and periods.  A partitioned table is
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
	if (bf_limits_trigger_of(root, limit_name) == NULL)
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
		tg = bf_limits_trigger_of(rel, limit_name);
		if (tg == NULL)
			ereport(ERROR,
					(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
					 errmsg("partition %s of %s lacks the triggers of limit \"%s\"",
							RelationGetRelationName(rel), RelationGetRelationName(root), limit_name)));
		memset(&cfg, 0, sizeof cfg);
		bf_limits_config_build(&cfg, tg, rel);
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
			bf_limits_row_use(&cfg, rel, tup, &u);
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
		*book_out = bf_limits_attachment_book(limit_name, tab);
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
	bf_limits_handle_resolve(&lim, limit_name);
	/* SQL may have written the ledger since this transaction read it */
	bf_limits_forget_entries();

	/* the ledger rows of this table in its books: subjects it no longer has go to zero */
	bf_limits_ledger_open(&rel, &idx);
	ScanKeyInit(&keys[0], ULA_LIMIT, BTEqualStrategyNumber, F_TEXTEQ, CStringGetTextDatum(limit_name));
	ScanKeyInit(&keys[1], ULA_TAB, BTEqualStrategyNumber, F_OIDEQ, ObjectIdGetDatum(tab));
	ScanKeyInit(&keys[2], ULA_BOOK, BTEqualStrategyNumber, F_OIDEQ, ObjectIdGetDatum(book));
	scan = systable_beginscan(rel, InvalidOid, false, GetLatestSnapshot(), bf_limits_ledger_is_legacy() ? 2 : 3, keys);
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
	bf_limits_ledger_close(rel, idx);

	hash_seq_init(&st, sums);
	while ((a = hash_seq_search(&st)) != NULL)
		touched = lappend(touched, a);
	touched = list_concat(touched, stale);
	foreach(lc, touched)
	{
		UsageEntry *e;
		int			t;
		UsageFrame	   *f;

		a = lfirst(lc);
		e = bf_limits_entry_get(limit_name, book, a->period, a->subject);
		t = bf_limits_entry_tab(e, tab);
		f = bf_limits_writable_frame(e);
		if (f->pending[t] != 0 || f->reserved[t] != 0)
			ereport(ERROR,
					(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
					 errmsg("cannot recount limit \"%s\" of %s while a statement is still booking against it",
							limit_name, get_rel_name(tab))));
		f->pending[t] = a->used - f->stored[t];
		bf_limits_mark_dirty(e);
	}
	bf_limits_flush();
	foreach(lc, touched)
	{
		UsageEntry *e;
		int64		cap,
					total;

		a = lfirst(lc);
		e = bf_limits_entry_get(limit_name, book, a->period, a->subject);
		total = bf_limits_entry_total(e);
		if (total <= 0)
			continue;
		cap = bf_limits_handle_cap(&lim, period_end(&lim, a->period));
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
							bf_limits_units_text(&lim, total), lim.yearly ? psprintf(bf_(" in %d"), a->period) : "",
							bf_limits_units_text(&lim, cap))));
	}
	PG_RETURN_VOID();
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
		if (bf_limits_trigger_of(r, limit_name) != NULL)
			ereport(ERROR,
					(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
					 errmsg("limit \"%s\" is still attached to %s", limit_name, RelationGetRelationName(r))));
		table_close(r, NoLock);
	}
	else if (!is_admin)
		ereport(ERROR,
				(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
				 errmsg("only a policy admin may forget the limits of a table that no longer exists")));

	bf_limits_forget_entries();
	bf_limits_ledger_open(&rel, &idx);
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
		z->used = bf_limits_ledger_is_legacy() ? 0 : (int64) DatumGetObjectId(heap_getattr(tup, ULA_BOOK, RelationGetDescr(rel), &isnull));
		rows = lappend(rows, z);
	}
	systable_endscan(scan);
	bf_limits_ledger_close(rel, idx);

	foreach(lc, rows)
	{
		ActualSum  *z = lfirst(lc);
		UsageEntry *e = bf_limits_entry_get(limit_name, (Oid) z->used, z->period, z->subject);
		int			t = bf_limits_entry_tab(e, tab);
		UsageFrame	   *f = bf_limits_writable_frame(e);

		f->pending[t] = -f->stored[t];
		bf_limits_mark_dirty(e);
	}
	bf_limits_flush();

	/* then the rows themselves go; the entries are read again next time */
	CommandCounterIncrement();
	bf_limits_ledger_open(&rel, &idx);
	foreach(lc, rows)
	{
		ActualSum  *z = lfirst(lc);
		UsageEntry *e = bf_limits_entry_get(limit_name, (Oid) z->used, z->period, z->subject);
		UsageFrame	   *f = bf_limits_top_frame(e);
		int			t = bf_limits_entry_tab(e, tab);

		if (ItemPointerIsValid(&f->tids[t]))
			simple_heap_delete(rel, &f->tids[t]);
		bf_limits_entry_drop(e);
	}
	bf_limits_ledger_close(rel, idx);
	CommandCounterIncrement();
	PG_RETURN_VOID();
}
