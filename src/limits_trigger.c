/*
 * limits_trigger.c
 *		The triggers bangfu.attach_limit puts on a guarded table: the row
 *		trigger that checks a row before it is written and books it after,
 *		the statement trigger that writes the statement's usage, and the
 *		one that refuses TRUNCATE.
 *
 * A row is read by limits_row.c, checked against the books of
 * limits_books.c (which lock and read the ledger the first time), and let
 * through, clamped or refused here.  See limits_engine.h for the steps.
 */
#include "postgres.h"

#include "access/genam.h"
#include "access/htup_details.h"
#include "access/stratnum.h"
#include "access/tableam.h"
#include "access/xact.h"
#include "catalog/pg_am.h"
#include "catalog/pg_type.h"
#include "commands/trigger.h"
#include "executor/tuptable.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/rel.h"
#include "utils/relcache.h"
#include "utils/snapmgr.h"

#include "limits_engine.h"
#include "money.h"

/*
 * Let `want` more units through for an entry: all of it, what remains
 * (clamp), or an error (reject).  Returns what was let through.
 */
static int64
take(GuardConfig *cfg, Relation rel, UsageEntry *e, int tabidx, const RowUse *u, int64 want)
{
	int64		cap = bf_limits_entry_cap(&cfg->lim, e, u->on_date);
	int64		total = bf_limits_entry_total(e);
	int64		room = cap - total;

	int64		granted = want;
	UsageFrame	   *f;

	if (want > 0 && want > room)
	{
		if (!cfg->clamp)
		{
			const char *per = cfg->lim.yearly ? psprintf(bf_("in %d"), u->period) : bf_("in all");
			const char *who = bf_limits_subject_label(cfg, rel, u->subject);

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
								cfg->lim.name, cfg->lim.clause, bf_limits_units_text(&cfg->lim, want), who, per),
						 errdetail("%s has used %s of %s %s; %s remains.", who,
								   bf_limits_units_text(&cfg->lim, total), bf_limits_units_text(&cfg->lim, cap), per,
								   bf_limits_units_text(&cfg->lim, room > 0 ? room : 0)),
						 errtableconstraint(rel, cfg->lim.name)));
		}
		granted = room > 0 ? room : 0;
	}
	if (granted != 0)
	{
		/*
		 * Money in (a credit) counts at once, so that a later row of the same
		 * statement may spend it; should the row never be written (ON
		 * CONFLICT), the statement's end checks the books again.  A row
		 * never written (skipped by ON CONFLICT on an index the look below
		 * does not read, or by another trigger) holds its reservation until
		 * the statement ends, no longer: the entry is marked for the flush.
		 */
		f = bf_limits_writable_frame(e);
		f->reserved[tabidx] += granted;
		if (granted < 0)
		{
			e->credit_cap = cap;
			e->credit_reserved = true;
		}
		/* so that the statement's end drops the reservation, written or not */
		bf_limits_mark_dirty(e);
	}
	return granted;
}

/* ------------------------------------------------------------------------
 * INSERT ... ON CONFLICT.  PostgreSQL fires a row's BEFORE INSERT triggers
 * before it looks for a conflicting row; a row that conflicts is then not
 * inserted (DO NOTHING), or becomes an UPDATE of the row it conflicts with
 * (DO UPDATE, whose BEFORE UPDATE triggers fire next).  Checked as a new
 * row, it would hold what it asked for until the statement ended: an upsert
 * raising the amount of a stay was cut (clamp) or refused (reject), and a
 * re-run of a day's import refused, or cut to nothing, the new rows among
 * those it was going to skip.  So a proposed row that duplicates a row
 * already there (or being written) on a unique index is let through
 * unchecked and reserves nothing: it is not inserted as it stands
 * (PostgreSQL skips it, updates the other row, or refuses the duplicate).
 * Should it be inserted after all (the other row deleted meanwhile), its
 * AFTER trigger checks it as written.  The look costs one index probe per
 * inserted row of a table with a unique index (bench/RESULTS.md).
 * ------------------------------------------------------------------------
 */

/*
 * The unique indexes looked at: valid, immediate, btree, on columns, over
 * the whole table.  A row that conflicts only on another kind (a partial or
 * expression index, an exclusion constraint) is checked as a new row, and
 * if it is then skipped it holds what it asked for until its statement
 * ends.
 */
static Relation
conflict_index_open(Oid indexoid)
{
	Relation	irel = index_open(indexoid, AccessShareLock);

	if (irel->rd_index->indisunique && irel->rd_index->indimmediate &&
		irel->rd_index->indisvalid &&
		RelationGetIndexExpressions(irel) == NIL && RelationGetIndexPredicate(irel) == NIL)
		return irel;
	index_close(irel, AccessShareLock);
	return NULL;
}

/* Is there a row (committed or in progress) with tup's key on a unique index? */
static bool
conflicts(Relation rel, HeapTuple tup)
{
	List	   *indexes = RelationGetIndexList(rel);
	ListCell   *lc;
	bool		found = false;

	foreach(lc, indexes)
	{
		Relation	irel = conflict_index_open(lfirst_oid(lc));
		int			nkeys;
		ScanKeyData keys[INDEX_MAX_KEYS];
		bool		usable = true;
		SnapshotData dirty;
		IndexScanDesc scan;
		TupleTableSlot *slot;

		if (irel == NULL)
			continue;
		nkeys = IndexRelationGetNumberOfKeyAttributes(irel);
		for (int i = 0; i < nkeys && usable; i++)
		{
			AttrNumber	att = irel->rd_index->indkey.values[i];
			bool		isnull;
			Datum		v = heap_getattr(tup, att, RelationGetDescr(rel), &isnull);
			Oid			eq = get_opfamily_member(irel->rd_opfamily[i], irel->rd_opcintype[i],
												 irel->rd_opcintype[i], BTEqualStrategyNumber);

			if (!OidIsValid(eq) || irel->rd_rel->relam != BTREE_AM_OID)
				usable = false;
			else if (isnull)
			{
				/* a NULL conflicts with nothing, but under NULLS NOT DISTINCT */
				if (irel->rd_index->indnullsnotdistinct)
					ScanKeyEntryInitialize(&keys[i], SK_ISNULL | SK_SEARCHNULL, i + 1, InvalidStrategy,
										   InvalidOid, InvalidOid, InvalidOid, (Datum) 0);
				else
					usable = false;
			}
			else
			{
				ScanKeyInit(&keys[i], i + 1, BTEqualStrategyNumber, get_opcode(eq), v);
				keys[i].sk_collation = irel->rd_indcollation[i];
			}
		}
		if (usable)
		{
			InitDirtySnapshot(dirty);
			scan = index_beginscan(rel, irel, &dirty, nkeys, 0);
			index_rescan(scan, keys, nkeys, NULL, 0);
			slot = table_slot_create(rel, NULL);
			found = index_getnext_slot(scan, ForwardScanDirection, slot);
			ExecDropSingleTupleTableSlot(slot);
			index_endscan(scan);
		}
		index_close(irel, AccessShareLock);
		if (found)
			break;
	}
	list_free(indexes);
	return found;
}

/*
 * What a row about to be deleted, or lowered, or moved to another subject
 * or period, gives back: counted at once (as a reservation below zero), so
 * that later rows of the same statement may use it.  An UPDATE that moves a
 * row to another partition arrives as a DELETE from the old one and an
 * INSERT into the new one; before, the INSERT was checked while the books
 * still held the row, and near the cap it was cut or refused, as were the
 * rows a statement wrote after deleting or lowering others (a MERGE that
 * replaces a stay, a CTE that moves one).  The AFTER trigger books the
 * release and takes the reservation back; should the row not be deleted
 * after all (another trigger skipped it), the reservation ends with the
 * statement, and what was written in the meantime is checked as written.
 */
static void
release_early(GuardConfig *cfg, const RowUse *u, int64 units)
{
	UsageEntry *e;

	if (units >= 0)
		return;
	e = bf_limits_entry_get(cfg->lim.name, cfg->book, u->period, u->subject);
	bf_limits_writable_frame(e)->reserved[bf_limits_entry_tab(e, cfg->tab)] += units;
	bf_limits_mark_dirty(e);
}

/*
 * Rows of partitions a trigger checked in BEFORE UPDATE, and what each
 * check reserved.  When such a row then moves to another partition,
 * PostgreSQL fires BEFORE DELETE on the same row next (and no AFTER
 * UPDATE): the INSERT into the new partition checks the whole row again,
 * so the update's reservation is given back there (moved_row).  Kept per
 * trigger and row, a few dozen at a time: another limit's trigger on the
 * same table, or a statement run by another trigger, may check rows in
 * between.  Only a partition's rows can move.
 */
typedef struct UpdatedRow
{
	Oid			tgoid;
	Oid			relid;
	ItemPointerData tid;		/* the old version's */
	int32		period;			/* where the update reserved */
	char	   *subject;		/* NULL: the slot is free */
	int64		reserved;
	bool		released_old;	/* it also gave back the old row's use */
} UpdatedRow;

#define BF_UPDATED_ROWS 64
static UpdatedRow updated_rows[BF_UPDATED_ROWS];
static int	updated_next = 0;
static int	updated_used = 0;

/*
 * The transaction ended, or a subtransaction was rolled back (limits_books.c):
 * forget the notes (their subjects go with TopTransactionContext).  After a
 * rollback the old version of a row updated there is alive again, and a
 * later DELETE of it must not be taken for a move.
 */
void
bf_limits_trigger_reset(void)
{
	if (updated_used == 0)
		return;
	memset(updated_rows, 0, sizeof(updated_rows));
	updated_next = updated_used = 0;
}

static void
updated_note(Oid tgoid, Relation rel, HeapTuple oldtup, const RowUse *nu, int64 reserved, bool released_old)
{
	UpdatedRow *u;

	if (!rel->rd_rel->relispartition)
		return;
	u = &updated_rows[updated_next];
	updated_next = (updated_next + 1) % BF_UPDATED_ROWS;
	if (updated_used < BF_UPDATED_ROWS)
		updated_used++;
	if (u->subject != NULL)
		pfree(u->subject);
	u->tgoid = tgoid;
	u->relid = RelationGetRelid(rel);
	u->tid = oldtup->t_self;
	u->period = nu->period;
	u->subject = MemoryContextStrdup(TopTransactionContext, nu->subject);
	u->reserved = reserved;
	u->released_old = released_old;
}

/*
 * BEFORE DELETE of oldtup: if it is a row this trigger checked in BEFORE
 * UPDATE (a row moving to another partition), give back what that check
 * reserved, and say whether it already released the old row.  (The old
 * version of a row is deleted once: a note cannot match a later row.)
 */
static bool
moved_row(GuardConfig *cfg, Oid tgoid, Relation rel, HeapTuple oldtup)
{
	for (int i = 0; i < updated_used; i++)
	{
		UpdatedRow *u = &updated_rows[i];
		bool		released;

		if (u->subject == NULL || u->tgoid != tgoid || u->relid != RelationGetRelid(rel) ||
			!ItemPointerEquals(&u->tid, &oldtup->t_self))
			continue;
		if (u->reserved != 0)
		{
			UsageEntry *e = bf_limits_entry_get(cfg->lim.name, cfg->book, u->period, u->subject);

			bf_limits_writable_frame(e)->reserved[bf_limits_entry_tab(e, cfg->tab)] -= u->reserved;
			bf_limits_mark_dirty(e);
		}
		released = u->released_old;
		pfree(u->subject);
		u->subject = NULL;
		return released;
	}
	return false;
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

/* Book what a written row uses, releasing what its check reserved. */
static void
book(UsageEntry *e, Oid tab, int64 units, int64 unreserve)
{
	int			t = bf_limits_entry_tab(e, tab);
	UsageFrame	   *f = bf_limits_writable_frame(e);

	f->pending[t] += units;
	f->reserved[t] -= unreserve;
	bf_limits_mark_dirty(e);
}

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
		int64		cap = bf_limits_entry_cap(&cfg->lim, e, u->on_date);

		if (at_end)
		{
			if (!e->grew || cap < e->grew_cap)
				e->grew_cap = cap;
			e->grew = true;
		}
		else
		{
			UsageFrame	   *f = bf_limits_top_frame(e);
			int64		written = 0;
			int			t;

			for (t = 0; t < e->ntabs; t++)
				written += f->stored[t] + f->pending[t];
			if (written > cap)
				bf_limits_refuse_written(e, written, cap);
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
	cfg = bf_limits_guard_config(fcinfo, td);
	rel = td->tg_relation;

	if (TRIGGER_FIRED_BEFORE(td->tg_event))
	{
		HeapTuple	newtup;

		if (TRIGGER_FIRED_BY_DELETE(td->tg_event))
		{
			bool		released = updated_used > 0 && rel->rd_rel->relispartition &&
				moved_row(cfg, td->tg_trigger->tgoid, rel, td->tg_trigtuple);

			bf_limits_row_use(cfg, rel, td->tg_trigtuple, &ou);
			if (ou.units > 0 && !released)
				release_early(cfg, &ou, -ou.units);
			return PointerGetDatum(td->tg_trigtuple);
		}
		newtup = TRIGGER_FIRED_BY_UPDATE(td->tg_event) ? td->tg_newtuple : td->tg_trigtuple;
		bf_limits_row_use(cfg, rel, newtup, &nu);
		if (TRIGGER_FIRED_BY_INSERT(td->tg_event))
		{
			UsageEntry *e = bf_limits_entry_get(cfg->lim.name, cfg->book, nu.period, nu.subject);
			int64		granted;

			/* a duplicate of a row already there (ON CONFLICT): not inserted as it stands */
			if (nu.units > 0 && rel->rd_rel->relhasindex && conflicts(rel, newtup))
				return PointerGetDatum(newtup);
			granted = take(cfg, rel, e, bf_limits_entry_tab(e, cfg->tab), &nu, nu.units);
			if (granted != nu.units)
				newtup = set_amount(cfg, rel, newtup, granted * cfg->lim.direction);
			return PointerGetDatum(newtup);
		}
		/* UPDATE */
		bf_limits_row_use(cfg, rel, td->tg_trigtuple, &ou);
		if (ou.period == nu.period && strcmp(ou.subject, nu.subject) == 0)
		{
			int64		delta = nu.units - ou.units;

			if (delta > 0)
			{
				UsageEntry *e = bf_limits_entry_get(cfg->lim.name, cfg->book, nu.period, nu.subject);
				int64		granted = take(cfg, rel, e, bf_limits_entry_tab(e, cfg->tab), &nu, delta);

				if (granted != delta)
					newtup = set_amount(cfg, rel, newtup, (ou.units + granted) * cfg->lim.direction);
				updated_note(td->tg_trigger->tgoid, rel, td->tg_trigtuple, &nu, granted, false);
			}
			else if (delta < 0 && ou.units > 0 && nu.units >= 0)
			{
				release_early(cfg, &ou, delta);
				updated_note(td->tg_trigger->tgoid, rel, td->tg_trigtuple, &nu, delta, false);
			}
			else
				updated_note(td->tg_trigger->tgoid, rel, td->tg_trigtuple, &nu, 0, false);
		}
		else
		{
			UsageEntry *e;
			int64		granted;

			/* lock both subjects in a fixed order */
			if (strcmp(ou.subject, nu.subject) < 0 ||
				(strcmp(ou.subject, nu.subject) == 0 && ou.period < nu.period))
				(void) bf_limits_entry_get(cfg->lim.name, cfg->book, ou.period, ou.subject);
			e = bf_limits_entry_get(cfg->lim.name, cfg->book, nu.period, nu.subject);
			(void) bf_limits_entry_get(cfg->lim.name, cfg->book, ou.period, ou.subject);
			if (ou.units > 0)
				release_early(cfg, &ou, -ou.units);
			granted = take(cfg, rel, e, bf_limits_entry_tab(e, cfg->tab), &nu, nu.units);
			if (granted != nu.units)
				newtup = set_amount(cfg, rel, newtup, granted * cfg->lim.direction);
			updated_note(td->tg_trigger->tgoid, rel, td->tg_trigtuple, &nu, granted, ou.units > 0);
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
		bf_limits_row_use(cfg, rel, td->tg_trigtuple, &nu);
		book_checked(cfg, bf_limits_entry_get(cfg->lim.name, cfg->book, nu.period, nu.subject), &nu, nu.units, nu.units, false);
	}
	else if (TRIGGER_FIRED_BY_DELETE(td->tg_event))
	{
		bf_limits_row_use(cfg, rel, td->tg_trigtuple, &ou);
		book_checked(cfg, bf_limits_entry_get(cfg->lim.name, cfg->book, ou.period, ou.subject), &ou, -ou.units,
					 ou.units > 0 ? -ou.units : 0, true);
	}
	else
	{
		bf_limits_row_use(cfg, rel, td->tg_trigtuple, &ou);
		bf_limits_row_use(cfg, rel, td->tg_newtuple, &nu);
		if (ou.period == nu.period && strcmp(ou.subject, nu.subject) == 0)
		{
			int64		delta = nu.units - ou.units;

			if (delta != 0)
				book_checked(cfg, bf_limits_entry_get(cfg->lim.name, cfg->book, nu.period, nu.subject), &nu, delta,
							 delta > 0 || (ou.units > 0 && nu.units >= 0) ? delta : 0, false);
		}
		else
		{
			book_checked(cfg, bf_limits_entry_get(cfg->lim.name, cfg->book, ou.period, ou.subject), &ou, -ou.units,
						 ou.units > 0 ? -ou.units : 0, false);
			book_checked(cfg, bf_limits_entry_get(cfg->lim.name, cfg->book, nu.period, nu.subject), &nu, nu.units, nu.units, false);
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
	bf_limits_flush();
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
