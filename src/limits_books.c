/*
 * limits_books.c
 *		The limit engine's books: what the transaction knows of each
 *		subject's usage (an entry per limit, book, period and subject), kept
 *		in memory with a state per subtransaction level and written to the
 *		ledger once per statement (bf_limits_flush).
 *
 * An entry is locked (limits_lock.c) and read from the ledger
 * (limits_ledger.c) the first time the transaction touches it; the trigger
 * (limits_trigger.c) reserves and books against it, and the statement
 * trigger flushes.  See limits_engine.h for the whole.
 */
#include "postgres.h"

#include "access/transam.h"
#include "access/xact.h"
#include "utils/hsearch.h"
#include "utils/memutils.h"
#include "utils/rel.h"

#include "limits_engine.h"
#include "money.h"

/* The transaction's entries, by key, and those the statement changed. */
static HTAB *entries = NULL;
static UsageEntry **dirty = NULL;
static int	ndirty = 0;
static int	maxdirty = 0;
static bool dirty_lost = false; /* a rollback may have dropped dirty marks */
static uint64 stmt_seq = 1;		/* counts flushes: a statement's caps are kept until it ends */

/* The last ledger write, so a flush in the same command sees it. */
static CommandId last_write_cid = InvalidCommandId;
static TransactionId last_write_xid = InvalidTransactionId;

/* The transaction ended: its books and locks went with it. */
static void
entries_reset(void)
{
	entries = NULL;				/* memory goes with TopTransactionContext */
	dirty = NULL;
	ndirty = maxdirty = 0;
	dirty_lost = false;
	bf_limits_locks_reset();
	bf_limits_trigger_reset();
}

/* A rollback dropped the dirty marks: mark every entry again. */
static void
remark_all(void)
{
	HASH_SEQ_STATUS st;
	UsageEntry *e;

	ndirty = 0;
	dirty_lost = false;
	hash_seq_init(&st, entries);
	while ((e = hash_seq_search(&st)) != NULL)
	{
		e->dirty = false;
		bf_limits_mark_dirty(e);
	}
}

/* Usage of an entry that no flush has written yet. */
static bool
entry_unwritten(const UsageEntry *e)
{
	const UsageFrame *f;
	int			t;

	if (e->nframes == 0)
		return false;
	f = &e->frames[e->nframes - 1];
	for (t = 0; t < e->ntabs; t++)
		if (f->pending[t] != 0)
			return true;
	return false;
}

static void
pg_attribute_noreturn()
unwritten_at_commit(const UsageEntry *e)
{
	ereport(ERROR,
			(errcode(ERRCODE_INTERNAL_ERROR),
			 errmsg("bangfu: rows booked against limit \"%s\" were never written to its ledger",
					e->limit_name),
			 errdetail("The statement that wrote them ended without the limit's statement trigger (zz_bangfu_%s_flush); the transaction is not committed.",
					   e->limit_name)));
}

/* Transaction end: drop the books; nothing may be left unwritten at commit. */
void
bf_limits_xact_cb(XactEvent event, void *arg)
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
			/*
			 * Every statement flushes: usage left unwritten means rows were
			 * booked by a statement that never reached a flush trigger, and
			 * committing them would leave them out of the ledger.  After a
			 * rollback to a savepoint the dirty marks are gone (dirty_lost):
			 * every entry is looked at instead (before, none was, and such
			 * rows committed unbooked).
			 */
			if (entries != NULL)
			{
				int			i;

				if (dirty_lost)
					remark_all();
				for (i = 0; i < ndirty; i++)
					if (entry_unwritten(dirty[i]))
						unwritten_at_commit(dirty[i]);
			}
			break;
		default:
			break;
	}
}

/* Subtransaction end: pop a rolled back level's states, fold a committed one's. */
void
bf_limits_subxact_cb(SubXactEvent event, SubTransactionId mySubid,
					 SubTransactionId parentSubid, void *arg)
{
	HASH_SEQ_STATUS st;
	UsageEntry *e;
	int			level;

	if (event != SUBXACT_EVENT_ABORT_SUB && event != SUBXACT_EVENT_COMMIT_SUB)
		return;
	level = GetCurrentTransactionNestLevel();
	bf_limits_locks_subxact(event, level);
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
		/* an update rolled back leaves its row's old version alive */
		bf_limits_trigger_reset();
	}
}

/* The frame to change at the current level, pushing one if needed. */
UsageFrame *
bf_limits_writable_frame(UsageEntry *e)
{
	int			level = GetCurrentTransactionNestLevel();

	if (e->frames[e->nframes - 1].level < level)
	{
		if (e->nframes == e->maxframes)
		{
			e->maxframes *= 2;
			e->frames = repalloc(e->frames, sizeof(UsageFrame) * e->maxframes);
		}
		e->frames[e->nframes] = e->frames[e->nframes - 1];
		e->frames[e->nframes].level = level;
		e->nframes++;
	}
	return &e->frames[e->nframes - 1];
}

/* What an entry holds: stored, booked and reserved, over its tables. */
int64
bf_limits_entry_total(UsageEntry *e)
{
	UsageFrame *f = bf_limits_top_frame(e);
	int64		total = 0;
	int			t;

	for (t = 0; t < e->ntabs; t++)
		total += f->stored[t] + f->pending[t] + f->reserved[t];
	return total;
}

/* An entry's slot for a guarded table, adding one the first time. */
int
bf_limits_entry_tab(UsageEntry *e, Oid tab)
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

/* The key of a subject-period in a limit's books (key: BF_LIMIT_KEY_LEN bytes). */
void
bf_limits_key(char *key, const char *limit_name, Oid book, int32 period, const char *subject)
{
	int			n;

	n = snprintf(key, BF_LIMIT_KEY_LEN, "%s\x1f%u\x1f%d\x1f%s", limit_name, book, period, subject);
	if (n >= BF_LIMIT_KEY_LEN)
		ereport(ERROR,
				(errcode(ERRCODE_STRING_DATA_RIGHT_TRUNCATION),
				 errmsg("subject \"%.40s...\" of limit \"%s\" is too long", subject, limit_name)));
}

/* The transaction's entry for a key, locking and reading it the first time. */
UsageEntry *
bf_limits_entry_get(const char *limit_name, Oid book, int32 period, const char *subject)
{
	char		key[BF_LIMIT_KEY_LEN];
	UsageEntry *e;
	bool		found;

	bf_limits_key(key, limit_name, book, period, subject);
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
	bf_limits_lock_key(key, limit_name, book, subject, period);
	{
		MemoryContext old;
		UsageFrame		f;
		Oid			tabs[BF_LIMIT_MAX_TABS];
		int			ntabs;

		memset(&f, 0, sizeof f);
		ntabs = bf_limits_ledger_read(limit_name, book, period, subject, tabs, f.stored, f.tids);

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
		e->frames = palloc(sizeof(UsageFrame) * e->maxframes);
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

/* Put an entry on the list the statement's flush writes. */
void
bf_limits_mark_dirty(UsageEntry *e)
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
void
bf_limits_refuse_written(UsageEntry *e, int64 total, int64 cap)
{
	const LimitDef *d = bf_limits_def_find(e->limit_name);
	const char *per = d->yearly ? psprintf(bf_(" in %d"), e->period) : "";
	const char *who = e->subject[0] ? psprintf(bf_("subject \"%s\""), e->subject) : bf_("the whole table");

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
void
bf_limits_flush(void)
{
	bool		opened = false;
	Relation	rel = NULL,
				idx = NULL;
	IndexInfo  *ii = NULL;
	int			i;
	int			n;
	UsageEntry *e;

	if (entries == NULL)
		return;
	if (dirty_lost)
		remark_all();
	n = ndirty;
	for (i = 0; i < n; i++)
	{
		UsageFrame *f;
		int			t;

		e = dirty[i];
		f = bf_limits_writable_frame(e);
		for (t = 0; t < e->ntabs; t++)
			f->reserved[t] = 0;
		if (e->credit_reserved)
		{
			/* a credit counted early must really have been written */
			e->credit_reserved = false;
			if (bf_limits_entry_total(e) > e->credit_cap)
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
			if (net > 0 && bf_limits_entry_total(e) > e->grew_cap)
				bf_limits_refuse_written(e, bf_limits_entry_total(e), e->grew_cap);
		}
		for (t = 0; t < e->ntabs; t++)
		{
			if (f->pending[t] == 0)
				continue;
			if (!opened)
			{
				bf_limits_ledger_open(&rel, &idx);
				/* see our own earlier ledger write if it was in this command */
				if (last_write_cid == GetCurrentCommandId(false) &&
					last_write_xid == GetTopTransactionIdIfAny())
					CommandCounterIncrement();
				opened = true;
			}
			bf_limits_ledger_add(rel, idx, &ii, e->limit_name, e->book, e->tabs[t], e->subject,
								 e->period, f->stored[t], f->pending[t], &f->tids[t]);
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
		bf_limits_ledger_close(rel, idx);
}

/* The cap on a row's date, remembered for the rest of the statement. */
int64
bf_limits_entry_cap(LimitHandle *h, UsageEntry *e, DateADT on_date)
{
	CommandId	cid = GetCurrentCommandId(false);

	if (e->cap_generation != stmt_seq || e->cap_cid != cid || e->cap_date != on_date)
	{
		e->cap_units = bf_limits_handle_cap(h, on_date);
		e->cap_date = on_date;
		e->cap_cid = cid;
		e->cap_generation = stmt_seq;
	}
	return e->cap_units;
}

/*
 * Forget the transaction's in-memory books, after SQL rewrote the ledger
 * (limit_rebuild, limit_recount, limit_forget): the next touch reads the
 * ledger again.  The locks stay held.
 */
void
bf_limits_forget_entries(void)
{
	HASH_SEQ_STATUS st;
	UsageEntry *e;

	if (entries != NULL)
	{
		hash_seq_init(&st, entries);
		while ((e = hash_seq_search(&st)) != NULL)
		{
			UsageFrame *f = bf_limits_top_frame(e);
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

/*
 * Drop an entry whose ledger rows were deleted (limit_forget): the next
 * touch reads the ledger again.  It may still be marked dirty, so the
 * marks are looked at again at the next flush.
 */
void
bf_limits_entry_drop(UsageEntry *e)
{
	hash_search(entries, e->key, HASH_REMOVE, NULL);
	ndirty = 0;
	dirty_lost = true;
}
