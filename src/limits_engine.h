/*
 * limits_engine.h
 *		The limit engine behind bangfu.attach_limit: its one internal header
 *		(not limits.h: with the Makefile's -I src it would hide the C
 *		library's <limits.h> from the server's own headers).
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
 * Deadlocks: waits follow "wait-die" (see limits_lock.c): a transaction that
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
 *
 * The engine's files, each including this header and nothing of each other:
 *   limits_def.c      definitions (limit_def, limit_share) and caps, cached
 *   limits_ledger.c   bangfu.usage's rows, read and written by index
 *   limits_lock.c     the subjects' advisory locks (wait-die)
 *   limits_books.c    the transaction's in-memory books and their flush
 *   limits_row.c      a guarded table's trigger configuration and rows
 *   limits_trigger.c  the row and statement triggers
 *   limits_recount.c  counting a guarded table (limit_actual, recount, forget)
 *   limits_sql.c      the other SQL-callable functions (limit_used, limit_cap ...)
 * bangfu.c calls bf_limits_init; nothing else outside them includes this.
 */
#ifndef BANGFU_LIMITS_ENGINE_H
#define BANGFU_LIMITS_ENGINE_H

#include "postgres.h"

#include "access/htup.h"
#include "access/xact.h"
#include "commands/trigger.h"
#include "fmgr.h"
#include "lib/stringinfo.h"
#include "nodes/execnodes.h"
#include "storage/itemptr.h"
#include "storage/lockdefs.h"
#include "utils/date.h"
#include "utils/relcache.h"
#include "utils/snapshot.h"

#include "policy.h"

/* Longest "limit|period|subject" key a ledger entry can have. */
#define BF_LIMIT_KEY_LEN	256

/* Most guarded tables sharing one limit's ledger for a subject. */
#define BF_LIMIT_MAX_TABS	4

/* locktag_field4 of bangfu's advisory locks (pg_locks.objsubid): "bf". */
#define BF_LOCK_FIELD4		0x6266

/* Most subject columns of one limit. */
#define BF_MAX_SUBJECT_COLS 8

/* ----- definitions (limits_def.c) ----- */

/* A row of bangfu.limit_def, as the backend's cache holds it. */
typedef struct LimitDef
{
	char	   *name;
	char	   *clause;
	char		unit;			/* 'm' money, 'c' count, 'r' rows */
	bool		yearly;
	int			direction;		/* 1, or -1 for balances */
	char	   *cap_param;		/* NULL if none */
	bool		has_cap_function;	/* cap_function is set (bangfu.limit_def) */
	Oid			cap_function;	/* what it names now; InvalidOid if none or gone */
	bool		zero_cap;		/* the cap is zero by definition (balances) */
	int			subjects;		/* number of subject columns */
} LimitDef;

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
	bool		has_cap_function;
	Oid			cap_function;
	bool		zero_cap;
	int			subjects;
	BfParamRef	ref;
	uint64		generation;
} LimitHandle;

extern void bf_limits_init(void);
extern const LimitDef *bf_limits_def_find(const char *name);
extern void bf_limits_handle_resolve(LimitHandle *h, const char *name);
extern bool bf_limits_handle_current(const LimitHandle *h);
extern int64 bf_limits_handle_cap(LimitHandle *h, DateADT on_date);
extern char *bf_limits_units_text(const LimitHandle *h, int64 units);
extern Oid	bf_limits_usage_relid(void);
extern Oid	bf_limits_usage_pkey(Oid nsp);
extern Oid	bf_limits_attachment_book(const char *limit_name, Oid tab);
extern bool bf_limits_reads_common_books(const char *limit_name);

/* ----- the ledger, bangfu.usage (limits_ledger.c) ----- */

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

extern void bf_limits_ledger_open(Relation *rel, Relation *idx);
extern void bf_limits_ledger_close(Relation rel, Relation idx);
extern bool bf_limits_ledger_is_legacy(void);
extern int	bf_limits_ledger_scan(Relation rel, Relation idx, Snapshot snap,
								  const char *limit_name, Oid book, int32 period,
								  const char *subject, Oid *tabs, int64 *used,
								  ItemPointerData *tids);
extern int	bf_limits_ledger_read(const char *limit_name, Oid book, int32 period,
								  const char *subject, Oid *tabs, int64 *used,
								  ItemPointerData *tids);
extern void bf_limits_ledger_add(Relation rel, Relation idx, IndexInfo **ii,
								 const char *limit_name, Oid book, Oid tab,
								 const char *subject, int32 period, int64 stored,
								 int64 delta, ItemPointer tid);

/* ----- the locks (limits_lock.c) ----- */

extern void bf_limits_lock_key(const char *key, const char *limit_name, Oid book,
							   const char *subject, int32 period);
extern void bf_limits_lock_keys(int n, char **keys, char **limit_names, Oid book,
								char **subjects, const int32 *periods);
extern void bf_limits_locks_reset(void);
extern void bf_limits_locks_subxact(SubXactEvent event, int level);

/* ----- the transaction's books (limits_books.c) ----- */

/* An entry's state at one subtransaction level. */
typedef struct UsageFrame
{
	int			level;			/* subtransaction nesting level */
	int64		stored[BF_LIMIT_MAX_TABS];	/* in bangfu.usage (as we wrote it) */
	int64		pending[BF_LIMIT_MAX_TABS]; /* booked, not yet written */
	int64		reserved[BF_LIMIT_MAX_TABS];	/* let through, not yet booked */
	ItemPointerData tids[BF_LIMIT_MAX_TABS];	/* ledger rows; invalid if none yet */
} UsageFrame;

/* What the transaction knows of one subject's usage in one period. */
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
	UsageFrame *frames;
	int			lock_level;		/* level at which the lock was taken */
	bool		dirty;
	bool		credit_reserved;	/* this statement counted a credit early */
	int64		credit_cap;		/* the cap then */
	bool		grew;			/* this statement booked an increase */
	int64		grew_cap;		/* the least cap of the rows that did */
	DateADT		cap_date;		/* cap_units is the cap on this date */
	int64		cap_units;
	uint64		cap_generation; /* ... in this statement (stmt_seq) */
	CommandId	cap_cid;		/* ... and command */
} UsageEntry;

static inline UsageFrame *
bf_limits_top_frame(UsageEntry *e)
{
	return &e->frames[e->nframes - 1];
}

extern void bf_limits_xact_cb(XactEvent event, void *arg);
extern void bf_limits_subxact_cb(SubXactEvent event, SubTransactionId mySubid,
								 SubTransactionId parentSubid, void *arg);
extern void bf_limits_key(char *key, const char *limit_name, Oid book, int32 period,
						  const char *subject);
extern UsageEntry *bf_limits_entry_get(const char *limit_name, Oid book, int32 period,
									   const char *subject);
extern UsageFrame *bf_limits_writable_frame(UsageEntry *e);
extern int64 bf_limits_entry_total(UsageEntry *e);
extern void bf_limits_trigger_reset(void);
extern int	bf_limits_entry_tab(UsageEntry *e, Oid tab);
extern int64 bf_limits_entry_cap(LimitHandle *h, UsageEntry *e, DateADT on_date);
extern void bf_limits_mark_dirty(UsageEntry *e);
extern void bf_limits_refuse_written(UsageEntry *e, int64 total, int64 cap);
extern void bf_limits_flush(void);
extern void bf_limits_forget_entries(void);
extern void bf_limits_entry_drop(UsageEntry *e);

/* ----- a guarded table's rows (limits_row.c) ----- */

/* One limit trigger of one table, as its arguments and columns say. */
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

/* What one row of a guarded table means to its limit. */
typedef struct RowUse
{
	char	   *subject;
	int32		period;
	DateADT		on_date;
	int64		units;			/* in ledger units, signed by direction */
	int64		raw;			/* the amount as the row holds it (fen or count) */
} RowUse;

extern GuardConfig *bf_limits_guard_config(FunctionCallInfo fcinfo, TriggerData *td);
extern void bf_limits_config_build(GuardConfig *cfg, Trigger *tg, Relation rel);
extern Trigger *bf_limits_trigger_of(Relation rel, const char *limit_name);
extern void bf_limits_row_use(GuardConfig *cfg, Relation rel, HeapTuple tup, RowUse *u);
extern char *bf_limits_subject_label(GuardConfig *cfg, Relation rel, const char *subject);
extern void bf_limits_subject_append(StringInfo s, int i, int n, const char *v);
extern bool bf_limits_subject_split(const char *subject, int n, char **parts);
extern int32 bf_limits_year_of(DateADT d);

#endif							/* BANGFU_LIMITS_ENGINE_H */
