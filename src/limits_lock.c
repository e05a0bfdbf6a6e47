/*
 * limits_lock.c
 *		The limit engine's locks: one advisory lock per subject-period,
 *		held until the transaction ends, taken without risk of deadlock.
 *
 * A subject-period is guarded by an advisory lock on one of BF_LOCK_BUCKETS
 * buckets of its limit (the bucket is a hash of the key), so a transaction
 * holds at most that many locks per limit however many rows it loads, and
 * two subjects rarely share a bucket (sharing one only means taking turns).
 *
 * Waiting follows "wait-die": a transaction that holds none of these locks
 * and has written nothing may always wait; one that holds some, or has
 * written (and so may hold row locks others wait for), may wait only for
 * younger transactions (larger xid), holding the lock or queued for it
 * ahead, and otherwise fails at once with 40001.  Waits thus go from older
 * to younger and cannot close a cycle (older_in_line says what is left).
 *
 * The books (limits_books.c) lock a subject the first time the transaction
 * touches it; the transaction callbacks there release this file's record
 * of the locks with the (sub)transaction.  See limits_engine.h.
 */
#include "postgres.h"

#include "access/transam.h"
#include "access/xact.h"
#include "common/hashfn.h"
#include "miscadmin.h"
#include "storage/lmgr.h"
#include "storage/lock.h"
#include "utils/memutils.h"

#include "compat.h"
#include "limits_engine.h"

/* The limit locks this transaction holds (see bf_limits_lock_key). */
typedef struct LimitLock
{
	char		name[NAMEDATALEN];
	int			first_level;	/* nest level of its first lock; 0: none held */
} LimitLock;

static LimitLock *limit_locks = NULL;
static int	nlimit_locks = 0;

#define BF_LOCK_BUCKETS	1024

/* The transaction ended: its locks went with it. */
void
bf_limits_locks_reset(void)
{
	limit_locks = NULL;			/* memory goes with TopTransactionContext */
	nlimit_locks = 0;
}

/* A subtransaction ended: locks taken inside a rolled back one are released. */
void
bf_limits_locks_subxact(SubXactEvent event, int level)
{
	int			i;

	for (i = 0; i < nlimit_locks; i++)
	{
		LimitLock  *ll = &limit_locks[i];

		if (event == SUBXACT_EVENT_ABORT_SUB)
		{
			if (ll->first_level >= level)
				ll->first_level = 0;
		}
		else if (ll->first_level == level)
			ll->first_level = level - 1;
	}
}

/* Whether the transaction holds any limit lock. */
static bool
holds_any_lock(void)
{
	int			i;

	for (i = 0; i < nlimit_locks; i++)
		if (limit_locks[i].first_level > 0)
			return true;
	return false;
}

/* This transaction's record of its locks on a limit. */
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

/*
 * Whether the transaction of xid (a holder of the lock, or one queued for
 * it) is older than this one.  Every transaction takes its xid before it
 * asks for one of these locks (bf_limits_lock_key, bf_limits_lock_keys), so
 * one without an xid is ending: its xid is cleared when it commits or
 * aborts, a moment before its locks are released, and it waits for nobody.
 * Waiting for it is safe.  (GetLockConflicts leaves such a transaction out;
 * the copy of the lock table keeps it, and taking it for older failed a
 * transaction woken by the end of another's row lock that found the
 * other's limit lock not yet released: medical_backpay_race, 7 runs in 30,
 * with 40001.)
 */
static inline bool
older_than_me(TransactionId xid)
{
	return TransactionIdIsValid(xid) && !TransactionIdFollows(xid, GetTopTransactionId());
}

/* The same lock (the same object; the mode is not part of a LOCKTAG). */
static inline bool
same_locktag(const LOCKTAG *a, const LOCKTAG *b)
{
	return a->locktag_field1 == b->locktag_field1 &&
		a->locktag_field2 == b->locktag_field2 &&
		a->locktag_field3 == b->locktag_field3 &&
		a->locktag_field4 == b->locktag_field4 &&
		a->locktag_type == b->locktag_type &&
		a->locktag_lockmethodid == b->locktag_lockmethodid;
}

/*
 * Whether a transaction older than this one holds the lock, or is queued
 * for it: wait-die forbids waiting for it while
 * holding others.  The first to be queued gets the lock next, so waiting
 * behind an older transaction queued there is waiting for it (the load run
 * of the register's money met the deadlock this closes, between two
 * transfers; test/isolation/specs/limit_queued_older.spec).
 *
 * The holders come first, from the lock's own entry (GetLockConflicts), as
 * an older holder is the common case and settles it.  The queue is read
 * from a copy of the whole lock table (GetLockStatusData, taken under every
 * partition's lock, so holders and waiters are seen at one instant), only
 * here, when this transaction would otherwise wait.  What remains is the
 * moment between that copy and joining the queue: a transaction that takes
 * the lock, free by then, in that moment; PostgreSQL's deadlock check
 * (40P01) stays behind it.
 */
static bool
older_in_line(const LOCKTAG *tag, LOCKMODE mode)
{
	VirtualTransactionId *holder = GetLockConflicts(tag, mode, NULL);
	LockData   *all;
	bool		older = false;

	for (; VirtualTransactionIdIsValid(*holder); holder++)
	{
		TransactionId xid,
					xmin;

		bf_vxid_transaction_ids(holder, &xid, &xmin);
		if (older_than_me(xid))
			return true;
	}

	all = GetLockStatusData();
	for (int i = 0; i < all->nelements && !older; i++)
	{
		const LockInstanceData *li = &all->locks[i];
		VirtualTransactionId vxid;
		TransactionId xid,
					xmin;

		if (li->pid == MyProcPid || !same_locktag(&li->locktag, tag) ||
			(li->waitLockMode == NoLock && li->holdMask == 0))
			continue;
		bf_lock_instance_vxid(li, &vxid);
		if (!VirtualTransactionIdIsValid(vxid))
			continue;			/* its transaction has ended */
		bf_vxid_transaction_ids(&vxid, &xid, &xmin);
		older = older_than_me(xid);
	}
	pfree(all->locks);
	pfree(all);
	return older;
}

/* Take a lock, waiting only where wait-die allows it. */
static void
acquire_wait_die(LOCKTAG *tag, LOCKMODE mode, bool may_hold_others,
				 const char *limit_name, const char *what)
{
	if (LockAcquire(tag, mode, false, true) != LOCKACQUIRE_NOT_AVAIL)
		return;
	if (may_hold_others && older_in_line(tag, mode))
		ereport(ERROR,
				(errcode(ERRCODE_T_R_SERIALIZATION_FAILURE),
				 errmsg("could not serialize access to limit \"%s\" for %s", limit_name, what),
				 errdetail("An older transaction is booking against the same subject, and this transaction already holds others or has written; waiting could deadlock."),
				 errhint("Retry the transaction.")));
	(void) LockAcquire(tag, mode, false, false);
}

/* The advisory lock guarding a subject-period (key, as the books make it). */
static void
limit_lock_tag(LOCKTAG *tag, const char *key, const char *limit_name, Oid book)
{
	uint64		hl,
				hk;

	hl = hash_bytes_extended((const unsigned char *) limit_name, strlen(limit_name), 0);
	/*
	 * A table's own books lock apart from the common books, so that nobody
	 * can hold the county's subjects by loading rows into a table of its own.
	 */
	if (OidIsValid(book))
		hl = hash_combine64(hl, hash_bytes_uint32((uint32) book));
	hk = hash_bytes_extended((const unsigned char *) key, strlen(key), 0);
	SET_LOCKTAG_ADVISORY(*tag, MyDatabaseId, (uint32) hl, (uint32) (hk % BF_LOCK_BUCKETS), BF_LOCK_FIELD4);
}

/* The transaction holds a lock of limit_name from now on. */
static void
limit_lock_held(const char *limit_name)
{
	LimitLock  *ll = limit_lock_state(limit_name);

	if (ll->first_level == 0)
		ll->first_level = GetCurrentTransactionNestLevel();
}

/* Lock a subject-period of a limit for the rest of the transaction. */
void
bf_limits_lock_key(const char *key, const char *limit_name, Oid book, const char *subject, int32 period)
{
	bool		may_hold_others;
	LOCKTAG		tag;
	char		what[BF_LIMIT_KEY_LEN + 32];

	/* decide before taking an xid: every holder gets one, to compare ages */
	may_hold_others = TransactionIdIsValid(GetTopTransactionIdIfAny()) || holds_any_lock();
	(void) GetTopTransactionId();

	if (period == 0)
		snprintf(what, sizeof what, "%s", subject);
	else
		snprintf(what, sizeof what, "%s in %d", subject, period);
	limit_lock_tag(&tag, key, limit_name, book);
	acquire_wait_die(&tag, ExclusiveLock, may_hold_others, limit_name, what);
	limit_lock_held(limit_name);
}

/*
 * Lock several subject-periods for the rest of the transaction, for a
 * statement that will need all of them (a transfer books against two
 * funds).  Taken one by one, the second could not be waited for: holding
 * the first, a transaction may wait only for younger ones, and fails at
 * once (40001) when an older one holds the second.
 *
 * A transaction that may still wait (it holds none of these locks and has
 * written nothing) holds only what this call takes, which it may give back:
 * it takes the locks in turn without waiting; at one it cannot have at
 * once, it gives back what it took here, waits for that one holding
 * nothing, keeps it, and takes the rest again.  It never waits while it
 * holds a lock, so it cannot close a cycle.  It keeps what it waited for:
 * given back, the lock would go to the next in its queue, and a try that
 * does not wait fails while anyone is queued, so clerks on one fund would
 * pass it round for ever (seen under load, when it gave it back).
 *
 * Any other transaction takes them one by one, as bf_limits_lock_key does.
 */
void
bf_limits_lock_keys(int n, char **keys, char **limit_names, Oid book, char **subjects,
					const int32 *periods)
{
	LOCKTAG    *tags;
	bool	   *held;
	int			nheld = 0;
	int			i;

	if (TransactionIdIsValid(GetTopTransactionIdIfAny()) || holds_any_lock())
	{
		for (i = 0; i < n; i++)
			bf_limits_lock_key(keys[i], limit_names[i], book, subjects[i], periods[i]);
		return;
	}
	tags = palloc(n * sizeof(LOCKTAG));
	held = palloc0(n * sizeof(bool));
	for (i = 0; i < n; i++)
		limit_lock_tag(&tags[i], keys[i], limit_names[i], book);
	/* every holder has an xid, for others to compare ages with */
	(void) GetTopTransactionId();
	for (i = 0; i < n;)
	{
		if (held[i])
		{
			i++;
			continue;
		}
		if (LockAcquire(&tags[i], ExclusiveLock, false, true) == LOCKACQUIRE_NOT_AVAIL)
		{
			if (nheld > 0)
			{
				/* give back what this call took (two keys may share a lock) */
				for (int j = 0; j < n; j++)
					if (held[j])
					{
						LockRelease(&tags[j], ExclusiveLock, false);
						held[j] = false;
					}
				nheld = 0;
			}
			(void) LockAcquire(&tags[i], ExclusiveLock, false, false);
			held[i] = true;
			nheld++;
			i = 0;				/* take again what was given back */
			continue;
		}
		held[i] = true;
		nheld++;
		i++;
	}
	for (i = 0; i < n; i++)
		limit_lock_held(limit_names[i]);
	pfree(held);
	pfree(tags);
}
