/*
 * settle.c
 *		A caseload settled in one window pass: the yearly caps of 四 (and of
 *		any limit of bangfu.limit_def) applied row after row, in date order.
 *
 *	SELECT s.*, (bangfu.medical_settle(cost, discharged)
 *				 OVER (PARTITION BY person ORDER BY discharged, id)).*
 *	  FROM stays s;
 *
 * gives each stay what bangfu.medical_settlement gives it when told what the
 * person-year used before it: the charity-bed reduction (四(1)), the serious-
 * illness relief on what is still owed (四(2)) and what the patient pays.
 * bangfu.capped(limit, amount, on_date) does the same for one limit: the
 * amount each row gets after the limit's cap, the period starting again each
 * calendar year for yearly limits.
 *
 * Both are window functions (CREATE FUNCTION ... WINDOW), called once per
 * row in the window's order.  What the person-year has used so far lives in
 * the partition's local memory (WinGetPartitionLocalMemory, zeroed when a
 * partition starts): each row is settled once, against that use, and adds
 * its own.  No frame is computed and no row is read twice: one sort (or an
 * index in the window's order) and one pass.  They were aggregates run over
 * the running frame before; the executor's frame and peer bookkeeping for
 * each row cost more than the settlement itself (bench/RESULTS.md).
 *
 * Each function has two ways to be told the order of a partition's rows:
 *	- the window's ORDER BY (on_date, then a key): the rows come in date order
 *	  and each is settled as it comes, streaming (the state above), so a
 *	  partition of any length needs no memory of its own and an index in
 *	  that order spares the sort;
 *	- the keyed forms, with a bigint key after on_date
 *	  (medical_settle(cost, discharged, id) OVER (PARTITION BY person)): the
 *	  function puts the partition in order of (on_date, key), a NULL key
 *	  last as ORDER BY on_date, key would, at the partition's first row, and
 *	  hands each row the result worked out for it.  PostgreSQL then sorts by
 *	  the PARTITION BY alone, which costs less than a sort on three columns
 *	  (bench/RESULTS.md), and each person's few stays are ordered here.  The
 *	  key is read only for rows that share a date; the other arguments of a
 *	  row are read from the one fetch that reads its date.  The partition is
 *	  held (in the window's store, and here 57 bytes a row and a copy of its
 *	  numeric and text arguments, each within work_mem: a longer partition
 *	  is refused, 54000).  capped's keyed
 *	  forms always take used_before, so that capped(limit, amount, on_date,
 *	  30) stays the used_before form.
 * Both give every row the same figures: the same steps (settle_step,
 * capped_begin and capped_take) run in the same order.
 *
 * In the streaming form the result depends on the order the rows come in, so
 * the window must give one: each row is the next in date order.  Refused
 * (42P20), so that no figure is silently wrong:
 *	- a frame clause other than the running frame (from the partition's
 *	  first row to the current row, without exclusion): a function that
 *	  ignored it would answer a question other than the one written;
 *	- two rows of one partition with the same date that are peers (equal
 *	  ORDER BY values, or no ORDER BY at all): their order is PostgreSQL's
 *	  choice, and the caps would cut one or the other.
 * A date earlier than the previous row's is 22023.  In the keyed forms two
 * rows of one partition with the same date and the same key (or both
 * without one) are refused (42P20), for the same reason.
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "catalog/pg_type.h"
#include "executor/executor.h"
#include "executor/spi.h"
#include "miscadmin.h"
#include "fmgr.h"
#include "funcapi.h"
#include "nodes/execnodes.h"
#include "nodes/nodeFuncs.h"
#include "nodes/parsenodes.h"
#include "nodes/plannodes.h"
#include "utils/builtins.h"
#include "utils/date.h"
#include "utils/datetime.h"
#include "utils/datum.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/tuplestore.h"
#include "utils/typcache.h"
#include "windowapi.h"

#include "medical.h"
#include "rules.h"

static const BfRule rule_settle = {"bangfu.medical_settle", BF_N("四 medical relief, a caseload in date order")};
static const BfRule rule_settle_grouped = {"bangfu.medical_settle_grouped", BF_N("四 medical relief, a caseload in date order")};
static const BfRule rule_capped = {"bangfu.capped", BF_N("a limit of bangfu.limit_def, a caseload in date order")};
static const BfRule rule_capped_grouped = {"bangfu.capped_grouped", BF_N("a limit of bangfu.limit_def, a caseload in date order")};

/* ------------------------------------------------------------------------
 * What both window functions share: the window's checks and the date order.
 * ------------------------------------------------------------------------
 */

/*
 * The first members of nodeWindowAgg.c's WindowObjectData, the same from
 * PostgreSQL 9.0 to 17: windowapi.h gives no way to ask for the frame, and
 * a function that ignored the frame clause would answer a different
 * question silently.  Checked (the pointer must lead to a WindowAggState)
 * before it is trusted.
 */
typedef struct BfWindowObjectHead
{
	NodeTag		type;
	WindowAggState *winstate;
} BfWindowObjectHead;

/* Where a window state stands in the calendar and the partition. */
typedef struct RunClock
{
	bool		any;			/* a row has been counted in this partition */
	DateADT		last;			/* its date */
	int64		last_pos;		/* its position in the partition */
	DateADT		year_end;		/* the first day of the year after the period's */
} RunClock;

/*
 * Check the window once per call site (the frame and the ORDER BY are the
 * plan's): the running frame.  Returns whether the window has an ORDER BY.
 */
static bool
window_check(WindowObject winobj, const char *function, const char *hint)
{
	WindowAggState *ws;
	int			fo;

	if (!WindowObjectIsValid(winobj))
		elog(ERROR, "%s called outside a window", function);
	ws = ((BfWindowObjectHead *) winobj)->winstate;
	if (ws == NULL || !IsA(ws, WindowAggState))
		elog(ERROR, "%s: unexpected window object layout", function);
	fo = ws->frameOptions;
	if (unlikely(!(fo & FRAMEOPTION_START_UNBOUNDED_PRECEDING) ||
				 !(fo & FRAMEOPTION_END_CURRENT_ROW) ||
				 (fo & FRAMEOPTION_EXCLUSION)))
		ereport(ERROR,
				(errcode(ERRCODE_WINDOWING_ERROR),
				 errmsg("%s needs the running frame, from the partition's first row to the current row",
						function),
				 errdetail("Each row's caps depend on every row before it in the partition, and on no row after it."),
				 errhint("%s", bf_(hint))));
	return ((WindowAgg *) ws->ss.ps.plan)->ordNumCols > 0;
}

/*
 * The clock moves to a row on_date, the next in date order (either form):
 * true when the row starts a new period (the partition's first counted row,
 * or for a yearly count a new calendar year).
 */
static inline bool
clock_period(RunClock *c, DateADT on_date, bool yearly)
{
	bool		first = !c->any;

	c->any = true;
	c->last = on_date;
	if (likely(!first && (!yearly || on_date < c->year_end)))
		return false;
	if (yearly)
		c->year_end = date2j(bf_date_year(on_date) + 1, 1, 1) - POSTGRES_EPOCH_JDATE;
	return true;
}

/*
 * The streaming form: move the clock to the current row (position pos, date
 * on_date); true when the row starts a new period.  Dates must not go back:
 * the caps are applied in date order.  A row on the previous counted row's
 * date must not be its peer; without an ORDER BY (ordered false) every row
 * is the peer of every other, and the order the rows come in is nobody's
 * choice.
 */
static bool
clock_advance(WindowObject winobj, RunClock *c, int64 pos, DateADT on_date, bool yearly,
			  bool ordered, const char *argname, const BfRule *rule, const char *hint)
{
	bf_rule_check_date(on_date, argname, rule);
	if (c->any && unlikely(on_date <= c->last || !ordered))
	{
		if (on_date < c->last)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("%s %s comes before the previous row's %s",
							argname, bf_date_cstring(on_date), bf_date_cstring(c->last)),
					 errdetail("Rule: %s (%s): the caps are applied row after row, in date order.",
							   rule->function, bf_rule_clause_msg(rule)),
					 errhint("%s", bf_(hint))));
		if (WinRowsArePeers(winobj, c->last_pos, pos))
			ereport(ERROR,
					(errcode(ERRCODE_WINDOWING_ERROR),
					 errmsg("%s needs an ORDER BY that no two rows of a partition share", rule->function),
					 errdetail("Rows with equal ORDER BY values are peers and would share one result."),
					 errhint("%s", bf_(hint))));
	}
	c->last_pos = pos;
	/* let the rows before this one go: at a new period, and now and then */
	if (clock_period(c, on_date, yearly))
	{
		WinSetMarkPosition(winobj, pos);
		return true;
	}
	if (unlikely((pos & 1023) == 0))
		WinSetMarkPosition(winobj, pos);
	return false;
}

/* An argument of the current row; false when it is NULL. */
static inline bool
window_arg(WindowObject winobj, int argno, Datum *value)
{
	bool		isnull;

	*value = WinGetFuncArgCurrent(winobj, argno, &isnull);
	return !isnull;
}

/* An argument of the partition's row at position row; false when it is NULL. */
static inline bool
window_arg_at(WindowObject winobj, int argno, int64 row, Datum *value)
{
	bool		isnull;
	bool		isout;

	*value = WinGetFuncArgInPartition(winobj, argno, row, WINDOW_SEEK_HEAD, false,
									  &isnull, &isout);
	return !isnull && !isout;
}

/* ------------------------------------------------------------------------
 * The keyed form: the function orders the partition by (on_date, key).
 * ------------------------------------------------------------------------
 */

/* Ask the memory for what will be read soon (a hint; never an error). */
#if defined(__GNUC__) || defined(__clang__)
#define keyed_prefetch_addr(p, w) __builtin_prefetch((p), (w))
#else
#define keyed_prefetch_addr(p, w) ((void) (p))
#endif

/* One row of the partition in the order to settle it. */
typedef struct KeyedRow
{
	DateADT		on_date;
	bool		key_null;		/* the key is NULL: after the date's other rows */
	bool		args_null;		/* another argument is NULL: the row gets NULL */
	bool		starts_group;	/* the grouped form: its subject's first row */
	int64		key;			/* keyed: read only for rows sharing a date */
	int64		row;			/* its position in the partition */
} KeyedRow;

/*
 * The grouped form's subjects: an open-addressing hash table from a
 * subject's value to its group (numbered as first seen), as a hash
 * aggregate would group them.  A slot holds the value and its hash with
 * the group, so that a lookup reads one place of memory.  Integer subjects
 * are hashed and compared as integers, in a second pass over the rows that
 * asks the memory for the slots of the rows ahead (the table of 100,000
 * people does not stay in the processor's cache); any other type through
 * its default hash opclass (its hash function and equality, with the
 * argument's collation), as each row is read.  A by-reference value is
 * copied into the arena once per group (the slot holds its offset).  All
 * NULL subjects make one group, as PARTITION BY would.
 */
typedef struct GroupSlot
{
	Datum		key;			/* the value (an int64, or an arena offset) */
	uint32		hash;
	int32		group;			/* group + 1; 0: the slot is empty */
} GroupSlot;

typedef struct GroupTable
{
	bool		ints;			/* int2, int4 or int8: compared as int64 */
	bool		byval;
	int16		typlen;
	Oid			collation;
	FmgrInfo	hash_fn;
	FmgrInfo	eq_fn;
	GroupSlot  *slot;
	uint32		mask;			/* slots - 1, a power of two less one */
	int64	   *gcount;			/* each group's rows; then where it ends in rows */
	int32		ngroups;
	int32		gcap;
	int32		null_group;		/* the group of NULL subjects, or -1 */
} GroupTable;

/*
 * What the grouped form holds for a group (its count, and up to six slots:
 * a table is at most half full and at least a quarter full, and while it
 * doubles the old one is kept until its slots are moved), at most one a
 * row, and for a row (an integer subject, between the passes).
 */
#define GROUP_BYTES (sizeof(int64) + 6 * sizeof(GroupSlot) + sizeof(int64))

/*
 * The call site's buffers, kept from partition to partition and grown to the
 * longest: the rows in order, each row's other arguments (all but the date
 * and the key: nvals of them, a varlena's bytes copied into arena), and each
 * row's result (nres values, with done[row] false for a row that gets NULL).
 */
typedef struct KeyedBuf
{
	KeyedRow   *rows;
	KeyedRow   *loaded;			/* grouped: the rows as read, before ordering */
	int32	   *grp;			/* grouped: each loaded row's group (first its hash, for integers) */
	int64	   *subj;			/* grouped by integers: each loaded row's subject */
	Datum	   *vals;			/* nvals a row, by its place in rows */
	int64	   *res;
	bool	   *done;
	int64		cap;
	int			nres;
	int			nvals;
	int			group_arg;		/* grouped: the subject's argument; else -1 */
	int64		mem_limit;		/* bytes it may hold: work_mem, or the hash limit */
	GroupTable	gt;				/* grouped: the partition's subjects */
	List	   *argstates;		/* the call's argument expressions */
	bool	   *byval;			/* each argument's type is passed by value */
	MemoryContext cxt;			/* the call site's (fn_mcxt) */
	MemoryContext rowcxt;		/* what evaluating one row's arguments leaves */
	int64		rows_read;		/* rows of the partition read so far */
	char	   *arena;			/* the varlena values of the partition */
	Size		arena_used;
	Size		arena_cap;
} KeyedBuf;

/* By date alone (the order keyed_load sorts in first). */
static inline bool
keyed_date_before(const KeyedRow *a, const KeyedRow *b)
{
	return a->on_date < b->on_date;
}

static int
keyed_date_cmp(const void *a, const void *b)
{
	const KeyedRow *x = (const KeyedRow *) a;
	const KeyedRow *y = (const KeyedRow *) b;

	return x->on_date < y->on_date ? -1 : (x->on_date > y->on_date ? 1 : 0);
}

/* Within a date, by key, a NULL key last (as ORDER BY on_date, key sorts). */
static inline bool
keyed_key_before(const KeyedRow *a, const KeyedRow *b)
{
	return !a->key_null && (b->key_null || a->key < b->key);
}

static int
keyed_key_cmp(const void *a, const void *b)
{
	const KeyedRow *x = (const KeyedRow *) a;
	const KeyedRow *y = (const KeyedRow *) b;

	return keyed_key_before(x, y) ? -1 : (keyed_key_before(y, x) ? 1 : 0);
}

/* By date, then key (the grouped form reads every key). */
static inline bool
keyed_row_before(const KeyedRow *a, const KeyedRow *b)
{
	return a->on_date < b->on_date || (a->on_date == b->on_date && keyed_key_before(a, b));
}

static int
keyed_row_cmp(const void *a, const void *b)
{
	const KeyedRow *x = (const KeyedRow *) a;
	const KeyedRow *y = (const KeyedRow *) b;

	return keyed_row_before(x, y) ? -1 : (keyed_row_before(y, x) ? 1 : 0);
}

/* Sort rows[0 .. n) with before(): insertion sort, as runs are short. */
#define KEYED_INSERTION_SORT(rows, n, before) \
	do { \
		int64		i_; \
		for (i_ = 1; i_ < (n); i_++) \
		{ \
			KeyedRow	r_ = (rows)[i_]; \
			int64		k_ = i_; \
			while (k_ > 0 && before(&r_, &(rows)[k_ - 1])) \
			{ \
				(rows)[k_] = (rows)[k_ - 1]; \
				k_--; \
			} \
			(rows)[k_] = r_; \
		} \
	} while (0)

/*
 * A partition the keyed form will not hold within work_mem (54000): its own
 * arrays would take need_kb, or (need_kb 0) the window's store of the rows
 * has spilled to disk.  The grouped form's limit is PostgreSQL's for a hash
 * table, work_mem times hash_mem_multiplier, and it reads the store once in
 * its own order, so a store on disk is no harm to it.
 */
static void
pg_attribute_noreturn()
keyed_too_long(const KeyedBuf *kb, int64 n, int64 need_kb, const BfRule *rule)
{
	if (kb->group_arg >= 0)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("a window partition of %lld rows is too long for the grouped form of %s",
						(long long) n, rule->function),
				 errdetail("Grouping its rows by subject takes about %lld kB, more than work_mem times hash_mem_multiplier (%lld kB).",
						   (long long) need_kb, (long long) (kb->mem_limit / 1024)),
				 errhint("Raise work_mem or hash_mem_multiplier for the run (about 200 bytes a row), or give the window a PARTITION BY subject and use the keyed form.")));
	ereport(ERROR,
			(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
			 errmsg("a partition of %lld rows is too long for the keyed form of %s",
					(long long) n, rule->function),
			 need_kb > 0
			 ? errdetail("Putting it in order takes about %lld kB, more than work_mem (%d kB).",
						 (long long) need_kb, work_mem)
			 : errdetail("Its rows do not fit in work_mem (%d kB), and putting them in order would read them again from disk one by one.",
						 work_mem),
			 errhint("Give the window an ORDER BY on_date, key instead of the key argument (that form holds no rows), or raise work_mem.")));
}

/* What the keyed form holds for each row of a partition, without the arena. */
static inline int64
keyed_row_bytes(const KeyedBuf *kb)
{
	int64		bytes = sizeof(KeyedRow) + kb->nvals * sizeof(Datum) + kb->nres * sizeof(int64) + sizeof(bool);

	/* grouped: the rows as read, their groups, and at most a group a row */
	if (kb->group_arg >= 0)
		bytes += sizeof(KeyedRow) + sizeof(int32) + GROUP_BYTES;
	return bytes;
}

/*
 * An argument of the call that the keyed and grouped forms copy for each
 * row (every argument but the date, the key and the grouped form's subject).
 */
static inline bool
keyed_is_val(const KeyedBuf *kb, int i, int date_arg)
{
	return i != date_arg && i != date_arg + 1 && i != kb->group_arg;
}

/*
 * The grouped form's subject type: integers as integers, any other type by
 * its default hash opclass (42883 for a type without one).
 */
static void
group_init(FunctionCallInfo fcinfo, KeyedBuf *kb, const BfRule *rule)
{
	GroupTable *gt = &kb->gt;
	Oid			typid = get_fn_expr_argtype(fcinfo->flinfo, kb->group_arg);
	WindowFunc *wfunc = (WindowFunc *) fcinfo->flinfo->fn_expr;
	TypeCacheEntry *tce;

	gt->ints = typid == INT2OID || typid == INT4OID || typid == INT8OID;
	get_typlenbyval(typid, &gt->typlen, &gt->byval);
	if (!gt->byval && gt->typlen == -2)
		elog(ERROR, "grouped window function: a cstring subject");
	gt->collation = exprCollation((Node *) list_nth(wfunc->args, kb->group_arg));
	gt->null_group = -1;
	if (gt->ints)
		return;
	tce = lookup_type_cache(typid, TYPECACHE_HASH_PROC_FINFO | TYPECACHE_EQ_OPR_FINFO);
	if (!OidIsValid(tce->hash_proc) || !OidIsValid(tce->eq_opr))
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_FUNCTION),
				 errmsg("%s cannot group rows by a subject of type %s", rule->function,
						format_type_be(typid)),
				 errdetail("The grouped form needs the type's hash function and equality (a default hash operator class)."),
				 errhint("Group by a column of another type (the person's id), or give the window a PARTITION BY subject and use the keyed form.")));
	fmgr_info_cxt(tce->hash_proc, &gt->hash_fn, kb->cxt);
	fmgr_info_cxt(get_opcode(tce->eq_opr), &gt->eq_fn, kb->cxt);
}

/*
 * The argument expressions of the call (fn_expr is the WindowFunc, which the
 * WindowAgg keeps with its argument states in winstate->funcs), and whether
 * each argument's type is passed by value.  group_arg: the grouped form's
 * subject argument, or -1.
 */
static void
keyed_init(FunctionCallInfo fcinfo, WindowObject winobj, KeyedBuf *kb, int nres,
		   int group_arg, const BfRule *rule)
{
	WindowAggState *ws = ((BfWindowObjectHead *) winobj)->winstate;
	int			nargs = PG_NARGS();
	ListCell   *lc;

	kb->cxt = fcinfo->flinfo->fn_mcxt;
	kb->rowcxt = AllocSetContextCreate(kb->cxt, "bangfu keyed row", ALLOCSET_SMALL_SIZES);
	kb->nres = nres;
	kb->group_arg = group_arg;
	kb->nvals = nargs - 2 - (group_arg >= 0 ? 1 : 0);
	/* as PostgreSQL bounds a sort, or a hash table */
	kb->mem_limit = group_arg >= 0 ? (int64) get_hash_memory_limit() : (int64) work_mem * 1024;
	foreach(lc, ws->funcs)
	{
		WindowFuncExprState *wfs = (WindowFuncExprState *) lfirst(lc);

		if ((Node *) wfs->wfunc == fcinfo->flinfo->fn_expr)
		{
			kb->argstates = wfs->args;
			break;
		}
	}
	if (kb->argstates == NIL || list_length(kb->argstates) != nargs)
		elog(ERROR, "keyed window function: its arguments are not in the window's state");
	kb->byval = MemoryContextAlloc(fcinfo->flinfo->fn_mcxt, nargs * sizeof(bool));
	for (int i = 0; i < nargs; i++)
	{
		int16		typlen;

		get_typlenbyval(get_fn_expr_argtype(fcinfo->flinfo, i), &typlen, &kb->byval[i]);
		if (!kb->byval[i] && typlen != -1 && i != group_arg)
			elog(ERROR, "keyed window function: argument %d is neither by value nor varlena", i + 1);
	}
	if (group_arg >= 0)
		group_init(fcinfo, kb, rule);
}

/*
 * Evaluate argument i of the row the window's slot holds (the row the last
 * WinGetFuncArgInPartition fetched): reading every argument of a row from one
 * fetch spares the store a seek for each.
 */
static inline Datum
keyed_eval(WindowObject winobj, const KeyedBuf *kb, int i, bool *isnull)
{
	WindowAggState *ws = ((BfWindowObjectHead *) winobj)->winstate;
	ExprContext *econtext = ws->ss.ps.ps_ExprContext;

	econtext->ecxt_outertuple = ws->temp_slot_1;
	return ExecEvalExpr((ExprState *) list_nth(kb->argstates, i), econtext, isnull);
}

/*
 * Copy len bytes at p into the arena (the slot's copy of the row goes at the
 * next fetch) and return their offset, as the arena may move while it grows.
 * The arena counts against the limit with the rows (n of them).
 */
static Size
keyed_arena_put(KeyedBuf *kb, const void *p, Size len, int64 n, const BfRule *rule)
{
	Size		at = MAXALIGN(kb->arena_used);

	if (at + len > kb->arena_cap)
	{
		int64		room = kb->mem_limit - n * keyed_row_bytes(kb);
		Size		cap;

		if ((int64) (at + len) > room)
		{
			/* what the whole partition would take, at the copies' rate so far */
			int64		copies = (int64) ((double) (at + len) * n / Max(kb->rows_read + 1, 1));

			keyed_too_long(kb, n, (n * keyed_row_bytes(kb) + copies + 1023) / 1024, rule);
		}
		cap = Min(Max(kb->arena_cap * 2, 8192), (Size) room);
		cap = Max(cap, at + len);
		kb->arena = kb->arena == NULL
			? MemoryContextAllocHuge(kb->cxt, cap)
			: repalloc_huge(kb->arena, cap);
		kb->arena_cap = cap;
	}
	memcpy(kb->arena + at, p, len);
	kb->arena_used = at + len;
	return at;
}

/*
 * Argument i of the row the window's slot holds, into *value: a varlena as
 * its offset in the arena (keyed_load makes offsets pointers once the arena
 * has stopped moving).  False when it is NULL.
 */
static bool
keyed_val(WindowObject winobj, KeyedBuf *kb, int i, int64 n, Datum *value, const BfRule *rule)
{
	bool		isnull;
	Datum		v = keyed_eval(winobj, kb, i, &isnull);

	if (isnull)
		return false;
	if (kb->byval[i])
	{
		*value = v;
		return true;
	}
	if (VARATT_IS_EXTERNAL_EXPANDED(DatumGetPointer(v)))
		v = PointerGetDatum(PG_DETOAST_DATUM(v));
	*value = (Datum) keyed_arena_put(kb, DatumGetPointer(v), VARSIZE_ANY(DatumGetPointer(v)), n, rule);
	return true;
}

/* An integer subject's hash (a 64-bit finaliser: persons are often dense). */
static inline uint32
group_int_hash(int64 v)
{
	uint64		h = (uint64) v;

	h ^= h >> 33;
	h *= UINT64CONST(0xff51afd7ed558ccd);
	h ^= h >> 33;
	h *= UINT64CONST(0xc4ceb9fe1a85ec53);
	h ^= h >> 33;
	return (uint32) h;
}

/* Make room for group number gt->ngroups, and keep the slots at most half full. */
static void
group_grow(KeyedBuf *kb, int64 n)
{
	GroupTable *gt = &kb->gt;

	if (gt->ngroups == gt->gcap)
	{
		int32		cap = (int32) Min(Max((int64) gt->gcap * 2, 64), Max(n, 1));

		gt->gcount = gt->gcount == NULL ? MemoryContextAllocHuge(kb->cxt, cap * sizeof(int64))
			: repalloc_huge(gt->gcount, cap * sizeof(int64));
		gt->gcap = cap;
	}
	if (gt->slot == NULL || (uint64) (gt->ngroups + 1) * 2 > (uint64) gt->mask + 1)
	{
		GroupSlot  *old = gt->slot;
		uint32		oldsize = old == NULL ? 0 : gt->mask + 1;
		uint32		size = old == NULL ? 128 : oldsize * 2;

		gt->slot = MemoryContextAllocExtended(kb->cxt, (Size) size * sizeof(GroupSlot),
											  MCXT_ALLOC_HUGE | MCXT_ALLOC_ZERO);
		gt->mask = size - 1;
		for (uint32 k = 0; k < oldsize; k++)
			if (old[k].group != 0)
			{
				uint32		i = old[k].hash & gt->mask;

				while (gt->slot[i].group != 0)
					i = (i + 1) & gt->mask;
				gt->slot[i] = old[k];
			}
		if (old != NULL)
			pfree(old);
	}
}

/* A group for NULL subjects. */
static int32
group_null(KeyedBuf *kb, int64 n)
{
	GroupTable *gt = &kb->gt;

	if (gt->null_group < 0)
	{
		group_grow(kb, n);
		gt->null_group = gt->ngroups++;
		gt->gcount[gt->null_group] = 0;
	}
	gt->gcount[gt->null_group]++;
	return gt->null_group;
}

/*
 * The group of subject v (hash h): found, or a new one for a subject not
 * seen before in the partition.
 */
static inline int32
group_find(KeyedBuf *kb, Datum v, uint32 h, int64 n, const BfRule *rule)
{
	GroupTable *gt = &kb->gt;
	GroupSlot  *s;
	uint32		i;
	int32		g;

	if (unlikely(gt->slot == NULL))
		group_grow(kb, n);
	for (i = h & gt->mask; (s = &gt->slot[i])->group != 0; i = (i + 1) & gt->mask)
	{
		if (s->hash != h)
			continue;
		if (gt->ints ? s->key == v
			: DatumGetBool(FunctionCall2Coll(&gt->eq_fn, gt->collation,
											 gt->byval ? s->key : PointerGetDatum(kb->arena + s->key),
											 v)))
		{
			gt->gcount[s->group - 1]++;
			return s->group - 1;
		}
	}
	/* a new subject */
	if (unlikely(gt->ngroups == gt->gcap ||
				 (uint64) (gt->ngroups + 1) * 2 > (uint64) gt->mask + 1))
	{
		group_grow(kb, n);
		for (i = h & gt->mask; gt->slot[i].group != 0; i = (i + 1) & gt->mask)
			;
		s = &gt->slot[i];
	}
	g = gt->ngroups++;
	gt->gcount[g] = 1;
	s->hash = h;
	s->group = g + 1;
	if (gt->ints || gt->byval)
		s->key = v;
	else
	{
		/* the arena may move: the slot gets the offset, written after the copy */
		Size		at = keyed_arena_put(kb, DatumGetPointer(v),
										 gt->typlen > 0 ? (Size) gt->typlen : VARSIZE_ANY(DatumGetPointer(v)),
										 n, rule);

		gt->slot[i].key = (Datum) at;
	}
	return g;
}

/*
 * Loaded row m's subject, from the fetch that read its date: an integer is
 * kept with its hash for group_assign_ints; any other value is looked up
 * at once.
 */
static void
group_of(WindowObject winobj, KeyedBuf *kb, int64 m, int64 n, const BfRule *rule)
{
	GroupTable *gt = &kb->gt;
	bool		isnull;
	Datum		v = keyed_eval(winobj, kb, kb->group_arg, &isnull);

	if (gt->ints)
	{
		int64		x;

		if (isnull)
		{
			kb->grp[m] = -1;	/* looked up in group_assign_ints */
			kb->subj[m] = 0;
			return;
		}
		/* int2, int4 and int8 as int64 */
		x = gt->typlen == 8 ? DatumGetInt64(v)
			: gt->typlen == 4 ? (int64) DatumGetInt32(v) : (int64) DatumGetInt16(v);
		kb->subj[m] = x;
		kb->grp[m] = (int32) (group_int_hash(x) & 0x7fffffff);
		return;
	}
	if (isnull)
	{
		kb->grp[m] = group_null(kb, n);
		return;
	}
	if (!gt->byval && gt->typlen == -1 && VARATT_IS_EXTENDED(DatumGetPointer(v)))
		v = PointerGetDatum(PG_DETOAST_DATUM_PACKED(v));
	kb->grp[m] = group_find(kb, v, DatumGetUInt32(FunctionCall1Coll(&gt->hash_fn, gt->collation, v)),
							n, rule);
}

/*
 * Integer subjects, the second pass: each loaded row's group, the slot of
 * the row eight ahead asked for while this one is looked up.
 */
static void
group_assign_ints(KeyedBuf *kb, int64 m, int64 n, const BfRule *rule)
{
	GroupTable *gt = &kb->gt;

	for (int64 j = 0; j < m; j++)
	{
		if (j + 8 < m && kb->grp[j + 8] >= 0 && gt->slot != NULL)
			keyed_prefetch_addr(&gt->slot[(uint32) kb->grp[j + 8] & gt->mask], 0);
		kb->grp[j] = kb->grp[j] < 0 ? group_null(kb, n)
			: group_find(kb, Int64GetDatum(kb->subj[j]), (uint32) kb->grp[j], n, rule);
	}
}

/*
 * Two rows of one partition (or, grouped, of one subject) on one date with
 * one key: refused.  The grouped form's window is a whole caseload: its hint
 * says how to find the two rows, without printing the subject (often an ID
 * number) into the log.
 */
static void
pg_attribute_noreturn()
keyed_same_key(const KeyedBuf *kb, const KeyedRow *r, const BfRule *rule, const char *hint)
{
	bool		grouped = kb->group_arg >= 0;
	const char *on_date = bf_date_cstring(r->on_date);

	ereport(ERROR,
			(errcode(ERRCODE_WINDOWING_ERROR),
			 r->key_null
			 ? (grouped ? errmsg("two rows of one subject have the same date %s and no key", on_date)
				: errmsg("two rows of a partition have the same date %s and no key", on_date))
			 : (grouped ? errmsg("two rows of one subject have the same date %s and key %lld",
								 on_date, (long long) r->key)
				: errmsg("two rows of a partition have the same date %s and key %lld",
						 on_date, (long long) r->key)),
			 errdetail("Rule: %s (%s): the caps are applied in order of date, then key, and these two rows would take them in an order nobody chose.",
					   rule->function, bf_rule_clause_msg(rule)),
			 grouped
			 ? errhint("Find them with GROUP BY subject, date, key HAVING count(*) > 1, and give each row of a subject and date its own key.")
			 : errhint("%s", bf_(hint))));
}

/*
 * The grouped form: the loaded rows (m of them) into rows, subject after
 * subject (each in its group's place: a counting sort, stable), each
 * subject's rows in order of (date, key), its first marked.
 */
static void
grouped_order(KeyedBuf *kb, int64 m, const BfRule *rule, const char *hint)
{
	GroupTable *gt = &kb->gt;
	int64		at = 0;
	int64		begin = 0;

	for (int32 g = 0; g < gt->ngroups; g++)
	{
		int64		c = gt->gcount[g];

		gt->gcount[g] = at;
		at += c;
	}
	for (int64 j = 0; j < m; j++)
		kb->rows[gt->gcount[kb->grp[j]]++] = kb->loaded[j];
	/* gcount[g] is now where group g ends */
	for (int32 g = 0; g < gt->ngroups; g++)
	{
		KeyedRow   *rows = &kb->rows[begin];
		int64		len = gt->gcount[g] - begin;

		if (len <= 32)
			KEYED_INSERTION_SORT(rows, len, keyed_row_before);
		else
			qsort(rows, len, sizeof(KeyedRow), keyed_row_cmp);
		if (len > 0)
			rows[0].starts_group = true;
		/* rows that get NULL take nothing, as in the ORDER BY form: not judged */
		for (int64 i = 0, prev = -1; i < len; i++)
		{
			if (rows[i].args_null)
				continue;
			if (unlikely(prev >= 0 && rows[i].on_date == rows[prev].on_date &&
						 !keyed_key_before(&rows[prev], &rows[i])))
				keyed_same_key(kb, &rows[i], rule, hint);
			prev = i;
		}
		begin = gt->gcount[g];
	}
}

/*
 * Put the partition's rows in order of date (argument date_arg), then key
 * (date_arg + 1, a NULL key last): the order ORDER BY on_date, key gives;
 * in the grouped form, subject after subject, each in that order.
 * Returns how many rows have a date (a row without one gets NULL and counts
 * for nothing).  The keyed form reads the key only for rows that share a
 * date; the grouped form reads every row once, in the store's order, so a
 * store spilled to disk is read as it was written.  Two rows of one date
 * with the same key, or both without one, would take the caps in an order
 * nobody chose: refused.
 */
static int64
keyed_load(WindowObject winobj, MemoryContext cxt, KeyedBuf *kb, int nargs, int date_arg,
		   const BfRule *rule, const char *hint)
{
	int64		n = WinGetPartitionRowCount(winobj);
	bool		grouped = kb->group_arg >= 0;
	KeyedRow   *dst;
	MemoryContext old;
	int64		m = 0;
	int64		j;
	int64		run;
	Datum		d;

	/*
	 * The keyed form reads the partition's rows again in (date, key) order,
	 * which is not theirs: from memory that costs nothing, but from a store
	 * spilled to disk each jump rereads the rows between (a partition of
	 * 20,000 wide rows took 90 s at work_mem 4 MB).  Refused instead, as
	 * below.
	 */
	if (!grouped && !tuplestore_in_memory(((BfWindowObjectHead *) winobj)->winstate->buffer))
		keyed_too_long(kb, n, 0, rule);
	/* groups are numbered in an int32 and slots counted in a uint32 */
	if (grouped && n >= ((int64) 1 << 30))
		keyed_too_long(kb, n, (n * keyed_row_bytes(kb) + 1023) / 1024, rule);
	if (n > kb->cap)
	{
		/* bounded as PostgreSQL's own nodes are: by work_mem (or the hash limit) */
		int64		cap = Max(n, 64);

		if (n > kb->mem_limit / keyed_row_bytes(kb))
			keyed_too_long(kb, n, (n * keyed_row_bytes(kb) + 1023) / 1024, rule);
		if (kb->rows != NULL)
		{
			pfree(kb->rows);
			pfree(kb->vals);
			pfree(kb->res);
			pfree(kb->done);
			if (grouped)
			{
				pfree(kb->loaded);
				pfree(kb->grp);
				pfree(kb->subj);
			}
		}
		kb->rows = MemoryContextAllocHuge(cxt, cap * sizeof(KeyedRow));
		kb->vals = MemoryContextAllocHuge(cxt, cap * kb->nvals * sizeof(Datum));
		kb->res = MemoryContextAllocHuge(cxt, cap * kb->nres * sizeof(int64));
		kb->done = MemoryContextAllocHuge(cxt, cap * sizeof(bool));
		if (grouped)
		{
			kb->loaded = MemoryContextAllocHuge(cxt, cap * sizeof(KeyedRow));
			kb->grp = MemoryContextAllocHuge(cxt, cap * sizeof(int32));
			kb->subj = MemoryContextAllocHuge(cxt, cap * sizeof(int64));
		}
		kb->cap = cap;
	}
	memset(kb->done, 0, n * sizeof(bool));
	kb->arena_used = 0;
	if (grouped)
	{
		kb->gt.ngroups = 0;
		kb->gt.null_group = -1;
		/*
		 * A table grown for a long partition is let go for a short one:
		 * clearing it for each of many small partitions cost more than the
		 * partitions themselves.
		 */
		if (kb->gt.slot != NULL && (uint64) kb->gt.mask + 1 > Max((uint64) 128, 4 * (uint64) n))
		{
			pfree(kb->gt.slot);
			kb->gt.slot = NULL;
			kb->gt.mask = 0;
		}
		if (kb->gt.slot != NULL)
			memset(kb->gt.slot, 0, ((Size) kb->gt.mask + 1) * sizeof(GroupSlot));
	}
	dst = grouped ? kb->loaded : kb->rows;
	/*
	 * What evaluating a row's arguments allocates (a detoasted subject, a
	 * computed amount) goes with the row: what is kept is copied into the
	 * arena.  Otherwise a caseload's long subjects stayed in memory, uncounted,
	 * until the partition's end (2,000 rows of toasted 100 kB subjects took
	 * 250 MB at work_mem 4 MB).
	 */
	old = MemoryContextSwitchTo(kb->rowcxt);
	for (j = 0; j < n; j++)
	{
		KeyedRow   *r = &dst[m];
		Datum	   *vals = &kb->vals[j * kb->nvals];
		int			v = 0;

		MemoryContextReset(kb->rowcxt);
		kb->rows_read = j;
		if (!window_arg_at(winobj, date_arg, j, &d))
			continue;
		r->on_date = DatumGetDateADT(d);
		r->key_null = false;
		r->args_null = false;
		r->starts_group = false;
		r->key = 0;
		r->row = j;
		if (grouped)
		{
			/* every key, and the subject, from the fetch that read the date */
			bool		isnull;
			Datum		k = keyed_eval(winobj, kb, date_arg + 1, &isnull);

			r->key_null = isnull;
			r->key = isnull ? 0 : DatumGetInt64(k);
			group_of(winobj, kb, m, n, rule);
		}
		m++;
		/* the row's other arguments, from the fetch that read its date */
		for (int i = 0; i < nargs && !r->args_null; i++)
			if (keyed_is_val(kb, i, date_arg))
				r->args_null = !keyed_val(winobj, kb, i, n, &vals[v++], rule);
		/* a row that gets NULL is not judged, as in the ORDER BY form */
		if (!r->args_null)
			bf_rule_check_date(r->on_date, "on_date", rule);
	}
	MemoryContextSwitchTo(old);
	MemoryContextReset(kb->rowcxt);
	/* the arena has stopped moving: offsets become pointers */
	for (j = 0; j < m; j++)
	{
		const KeyedRow *r = &dst[j];

		if (!r->args_null)
			for (int i = 0, v = 0; i < nargs; i++)
				if (keyed_is_val(kb, i, date_arg))
				{
					if (!kb->byval[i])
						kb->vals[r->row * kb->nvals + v] =
							PointerGetDatum(kb->arena + kb->vals[r->row * kb->nvals + v]);
					v++;
				}
	}

	if (grouped)
	{
		if (kb->gt.ints)
			group_assign_ints(kb, m, n, rule);
		grouped_order(kb, m, rule, hint);
		return m;
	}

	/* by date: a person has a few stays (insertion sort), a long partition qsort */
	if (m <= 32)
		KEYED_INSERTION_SORT(kb->rows, m, keyed_date_before);
	else
		qsort(kb->rows, m, sizeof(KeyedRow), keyed_date_cmp);

	/* then each run of one date by key */
	for (run = 0; run < m; run = j)
	{
		KeyedRow   *rows = &kb->rows[run];
		int64		len;

		for (j = run + 1; j < m && kb->rows[j].on_date == rows[0].on_date; j++)
			;
		len = j - run;
		if (len == 1)
			continue;
		for (int64 i = 0; i < len; i++)
		{
			Datum		k;

			rows[i].key_null = !window_arg_at(winobj, date_arg + 1, rows[i].row, &k);
			rows[i].key = rows[i].key_null ? 0 : DatumGetInt64(k);
		}
		if (len <= 32)
			KEYED_INSERTION_SORT(rows, len, keyed_key_before);
		else
			qsort(rows, len, sizeof(KeyedRow), keyed_key_cmp);
		/* rows that get NULL take nothing, as in the ORDER BY form: not judged */
		for (int64 i = 0, prev = -1; i < len; i++)
		{
			if (rows[i].args_null)
				continue;
			if (unlikely(prev >= 0 && !keyed_key_before(&rows[prev], &rows[i])))
				keyed_same_key(kb, &rows[i], rule, hint);
			prev = i;
		}
	}
	return m;
}

/*
 * The arguments of a loaded row, all but the date, the key and the subject,
 * where the function's call has them; false when one is NULL (the row gets
 * NULL).
 */
static inline bool
keyed_row_args(const KeyedBuf *kb, const KeyedRow *r, int nargs, int date_arg, Datum *args)
{
	const Datum *vals = &kb->vals[r->row * kb->nvals];

	if (r->args_null)
		return false;
	for (int i = 0; i < nargs; i++)
		if (keyed_is_val(kb, i, date_arg))
			args[i] = *vals++;
	return true;
}

/*
 * While row j of the order is settled, ask the memory for what later rows
 * will read: a grouped partition is the whole window, its rows settled in
 * an order far from the one they were stored in, and without this nearly
 * every row waited for its arguments (vals, then a numeric's bytes in the
 * arena) and for its result's place (a third of the settling's time over
 * 1,000,000 stays).  Cheap for the keyed form's short partitions too.  A
 * macro: GCC 12 drops the prefetches of a function (even an inline one)
 * that does nothing else.
 */
#define KEYED_PREFETCH(kb, j, m) \
	do { \
		if ((j) + 16 < (m)) \
		{ \
			int64		row_ = (kb)->rows[(j) + 16].row; \
			keyed_prefetch_addr(&(kb)->vals[row_ * (kb)->nvals], 0); \
			keyed_prefetch_addr(&(kb)->res[row_ * (kb)->nres], 1); \
			keyed_prefetch_addr(&(kb)->done[row_], 1); \
		} \
		if ((j) + 8 < (m) && !(kb)->rows[(j) + 8].args_null) \
		{ \
			const Datum *vals_ = &(kb)->vals[(kb)->rows[(j) + 8].row * (kb)->nvals]; \
			/* the amount is among the first two arguments copied */ \
			keyed_prefetch_addr(DatumGetPointer(vals_[0]), 0); \
			if ((kb)->nvals > 1) \
				keyed_prefetch_addr(DatumGetPointer(vals_[1]), 0); \
		} \
	} while (0)

/* ------------------------------------------------------------------------
 * 四 over a caseload: bangfu.medical_settle.
 * ------------------------------------------------------------------------
 */

#define SETTLE_HINT BF_N("Call it as bangfu.medical_settle(cost, discharged) OVER (PARTITION BY person ORDER BY discharged, id), or with the stay's key as bangfu.medical_settle(cost, discharged, id) OVER (PARTITION BY person).")
#define SETTLE_GROUPED_HINT BF_N("Give each stay of a person a different (discharged, id): bangfu.medical_settle_grouped(person, cost, discharged, id) OVER ().")

/* The call site's: the policy references, and what the window was checked for. */
typedef struct SettleCache
{
	BfRuleCache rc;				/* the policy references of 四 */
	BfFenRecord record;			/* how a bangfu.settlement is written */
	bool		record_ready;
	bool		ordered;		/* the window has an ORDER BY */
	const BfRule *rule;			/* the function called, for messages */
	KeyedBuf	kb;				/* the keyed form's partition */
} SettleCache;

/* The partition's: what the current person-year has used. */
typedef struct SettleState
{
	RunClock	clock;
	int64		reduced;		/* 四(1) the person-year has used */
	int64		relieved;		/* 四(2) the same */
	bool		loaded;			/* the keyed form: the partition is settled */
} SettleState;

/*
 * One stay, the next in date order: new_period when it is its person-year's
 * first (then before, if given, holds what the year used before it).
 * fen gets the reduction, the relief and the patient's share.
 */
static inline void
settle_step(SettleCache *sc, SettleState *st, const char *scenario, Datum cost_d,
			DateADT on_date, bool new_period, const Datum *before, int64 *fen)
{
	int64		cost = bf_datum_to_fen(cost_d, "cost", sc->rule);

	if (new_period)
	{
		/* 四(1), 四(2): the yearly caps start again each calendar year */
		st->reduced = before ? bf_datum_to_fen(before[0], "reduced_before", sc->rule) : 0;
		st->relieved = before ? bf_datum_to_fen(before[1], "relieved_before", sc->rule) : 0;
	}
	bf_medical_settle_fen(sc->rc.refs, scenario, cost, on_date,
						  st->reduced, st->relieved, "cost", sc->rule,
						  &fen[0], &fen[1]);
	st->reduced += fen[0];
	st->relieved += fen[1];
	fen[2] = cost - fen[0] - fen[1];
}

/*
 * The keyed and grouped forms at the partition's first row: settle every
 * stay in order of (date, key), in the grouped form person after person (a
 * person's first stay starts the count again), and keep each one's figures
 * by its position.  off: 1 when the first argument is the person (grouped).
 */
static void
settle_partition(FunctionCallInfo fcinfo, WindowObject winobj, SettleCache *sc,
				 SettleState *st, int nargs, int off)
{
	int64		m = keyed_load(winobj, fcinfo->flinfo->fn_mcxt, &sc->kb, nargs, 1 + off,
							   sc->rule, off ? SETTLE_GROUPED_HINT : SETTLE_HINT);
	bool		has_before = nargs - off >= 5;
	int			scenario_arg = nargs - off == 4 ? 3 + off : (nargs - off == 6 ? 5 + off : -1);
	int64		j;
	MemoryContext old = MemoryContextSwitchTo(sc->kb.rowcxt);

	for (j = 0; j < m; j++)
	{
		const KeyedRow *r = &sc->kb.rows[j];
		Datum		args[7] = {0};
		const char *scenario = NULL;

		MemoryContextReset(sc->kb.rowcxt);	/* nothing of a row's settling is kept */
		KEYED_PREFETCH(&sc->kb, j, m);
		if (r->starts_group)
			st->clock.any = false;	/* another person: the caps start again */
		if (!keyed_row_args(&sc->kb, r, nargs, 1 + off, args))
			continue;
		if (scenario_arg >= 0)
			scenario = bf_rule_scenario_text(fcinfo, &sc->rc, DatumGetTextPP(args[scenario_arg]));
		settle_step(sc, st, scenario, args[off], r->on_date,
					clock_period(&st->clock, r->on_date, true),
					has_before ? &args[3 + off] : NULL, &sc->kb.res[3 * r->row]);
		sc->kb.done[r->row] = true;
	}
	MemoryContextSwitchTo(old);
	MemoryContextReset(sc->kb.rowcxt);
	st->loaded = true;
}

/* The three forms of both window functions. */
typedef enum SettleForm
{
	FORM_ORDERED,				/* the window's ORDER BY */
	FORM_KEYED,					/* a key after on_date: the function orders */
	FORM_GROUPED				/* the subject first, then as keyed: the
								 * function groups and orders */
} SettleForm;

/*
 * Arguments: (grouped) the person, then cost, on_date, then (keyed and
 * grouped) the stay's key, then optionally reduced_before and
 * relieved_before (the person-year's use before its first row here), then
 * optionally a scenario.  A row with a NULL argument gets NULL and counts
 * for nothing (as sum() skips it); a NULL person is a person, as PARTITION
 * BY makes the NULLs one partition.
 */
static Datum
medical_settle(FunctionCallInfo fcinfo, SettleForm form)
{
	bool		keyed = form != FORM_ORDERED;
	WindowObject winobj = PG_WINDOW_OBJECT();
	SettleCache *sc = (SettleCache *) fcinfo->flinfo->fn_extra;
	SettleState *st;
	int			nargs = PG_NARGS();
	int64		fen_here[3];
	const int64 *fen = fen_here;

	if (unlikely(sc == NULL))
	{
		const BfRule *rule = form == FORM_GROUPED ? &rule_settle_grouped : &rule_settle;
		bool		ordered = window_check(winobj, rule->function,
										   form == FORM_GROUPED ? SETTLE_GROUPED_HINT : SETTLE_HINT);

		sc = MemoryContextAllocZero(fcinfo->flinfo->fn_mcxt, sizeof(SettleCache));
		sc->ordered = ordered;
		sc->rule = rule;
		if (keyed)
			keyed_init(fcinfo, winobj, &sc->kb, 3, form == FORM_GROUPED ? 0 : -1, rule);
		bf_rule_cache_init(&sc->rc, fcinfo->flinfo->fn_mcxt, bf_medical_params, BF_MEDICAL_NPARAMS);
		fcinfo->flinfo->fn_extra = sc;
	}
	st = (SettleState *) WinGetPartitionLocalMemory(winobj, sizeof(SettleState));

	if (keyed)
	{
		int64		pos = WinGetCurrentPosition(winobj);

		if (!st->loaded)
			settle_partition(fcinfo, winobj, sc, st, nargs, form == FORM_GROUPED ? 1 : 0);
		if (!sc->kb.done[pos])
			PG_RETURN_NULL();
		fen = &sc->kb.res[3 * pos];
	}
	else
	{
		bool		has_before = nargs >= 4;
		int			scenario_arg = nargs == 3 ? 2 : (nargs == 5 ? 4 : -1);
		const char *scenario = NULL;
		Datum		args[5] = {0};
		DateADT		on_date;
		int			i;

		for (i = 0; i < nargs; i++)
			if (!window_arg(winobj, i, &args[i]))
				PG_RETURN_NULL();
		if (scenario_arg >= 0)
			scenario = bf_rule_scenario_text(fcinfo, &sc->rc, DatumGetTextPP(args[scenario_arg]));
		on_date = DatumGetDateADT(args[1]);
		settle_step(sc, st, scenario, args[0], on_date,
					clock_advance(winobj, &st->clock, WinGetCurrentPosition(winobj), on_date,
								  true, sc->ordered, "on_date", &rule_settle, SETTLE_HINT),
					has_before ? &args[2] : NULL, fen_here);
	}

	if (unlikely(!sc->record_ready))
	{
		bf_fen_record_init(&sc->record, bf_rule_result_desc(fcinfo, &sc->rc), 3);
		sc->record_ready = true;
	}
	PG_RETURN_DATUM(bf_fen_record(&sc->record, fen));
}

PG_FUNCTION_INFO_V1(bf_medical_settle);
Datum
bf_medical_settle(PG_FUNCTION_ARGS)
{
	return medical_settle(fcinfo, FORM_ORDERED);
}

PG_FUNCTION_INFO_V1(bf_medical_settle_keyed);
Datum
bf_medical_settle_keyed(PG_FUNCTION_ARGS)
{
	return medical_settle(fcinfo, FORM_KEYED);
}

PG_FUNCTION_INFO_V1(bf_medical_settle_grouped);
Datum
bf_medical_settle_grouped(PG_FUNCTION_ARGS)
{
	return medical_settle(fcinfo, FORM_GROUPED);
}

/* ------------------------------------------------------------------------
 * Any limit of bangfu.limit_def over a caseload: bangfu.capped.
 * ------------------------------------------------------------------------
 */

#define CAPPED_GROUPED_HINT BF_N("Give each row of a subject a different (on_date, row_key): bangfu.capped_grouped(limit_name, subject, amount, on_date, id, used_before) OVER ().")
#define CAPPED_HINT BF_N("Call it as bangfu.capped(limit_name, amount, on_date) OVER (PARTITION BY subject ORDER BY on_date, id), or with the row's key as bangfu.capped(limit_name, amount, on_date, id, used_before) OVER (PARTITION BY subject).")

/*
 * A limit as the window function needs it, read from bangfu.limit_def the
 * first time a call site sees its name (and again if the name changes).
 */
typedef struct CappedCache
{
	char		name[NAMEDATALEN];
	int			name_len;
	char		unit;			/* 'm' money (fen), 'c' count, 'r' rows */
	bool		yearly;
	int			direction;		/* 1, or -1 for a balance */
	bool		has_param;		/* cap from a policy parameter */
	BfRuleCache rc;				/* refs[0]: the cap parameter, if any */
	FmgrInfo	limit_cap;		/* bangfu.limit_cap(text, date) otherwise */
	text	   *name_text;
	BfRule		rule;			/* function, and "limit "x" (clause)" */
	bool		ordered;		/* the window has an ORDER BY */
	bool		grouped;		/* called as bangfu.capped_grouped */
	KeyedBuf	kb;				/* the keyed form's partition */
} CappedCache;

/* The partition's: what the subject has used in the current period. */
typedef struct CappedState
{
	RunClock	clock;
	int64		used;			/* in ledger units, signed by direction */
	char		limit[NAMEDATALEN];	/* the partition's limit */
	bool		loaded;			/* the keyed form: the partition is settled */
} CappedState;

static void
capped_resolve(FunctionCallInfo fcinfo, CappedCache *cc, text *name_t)
{
	int			len = VARSIZE_ANY_EXHDR(name_t);
	Oid			argtypes[1] = {TEXTOID};
	Datum		args[1];
	bool		isnull;
	char	   *unit;
	char	   *period;
	char	   *clause;
	char	   *cap_param;
	Oid			limit_cap_oid;
	HeapTuple	tup;
	TupleDesc	desc;
	MemoryContext cxt = fcinfo->flinfo->fn_mcxt;
	MemoryContext old;

	if (len >= NAMEDATALEN)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("unknown limit \"%s\"", text_to_cstring(name_t)),
				 errdetail("Rule: %s.", cc->grouped ? "bangfu.capped_grouped" : "bangfu.capped"),
				 errhint("The limits are the rows of bangfu.limit_def.")));
	args[0] = PointerGetDatum(name_t);
	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	if (SPI_execute_with_args("SELECT d.unit, d.period, d.direction, d.cap_param, d.clause,"
							  " 'bangfu.limit_cap(pg_catalog.text,pg_catalog.date)'::pg_catalog.regprocedure::pg_catalog.oid"
							  " FROM bangfu.limit_def d WHERE d.name OPERATOR(pg_catalog.=) $1",
							  1, argtypes, args, NULL, true, 1) != SPI_OK_SELECT)
		elog(ERROR, "reading bangfu.limit_def failed");
	if (SPI_processed == 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("unknown limit \"%s\"", text_to_cstring(name_t)),
				 errdetail("Rule: %s.", cc->grouped ? "bangfu.capped_grouped" : "bangfu.capped"),
				 errhint("The limits are the rows of bangfu.limit_def.")));
	tup = SPI_tuptable->vals[0];
	desc = SPI_tuptable->tupdesc;
	old = MemoryContextSwitchTo(cxt);
	unit = SPI_getvalue(tup, desc, 1);
	period = SPI_getvalue(tup, desc, 2);
	cc->direction = DatumGetInt32(SPI_getbinval(tup, desc, 3, &isnull));
	cap_param = SPI_getvalue(tup, desc, 4);
	clause = SPI_getvalue(tup, desc, 5);
	limit_cap_oid = DatumGetObjectId(SPI_getbinval(tup, desc, 6, &isnull));
	MemoryContextSwitchTo(old);
	SPI_finish();

	memcpy(cc->name, VARDATA_ANY(name_t), len);
	cc->name[len] = '\0';
	cc->name_len = len;
	cc->unit = strcmp(unit, "money") == 0 ? 'm' : (strcmp(unit, "count") == 0 ? 'c' : 'r');
	cc->yearly = strcmp(period, "year") == 0;
	cc->has_param = cap_param != NULL;
	bf_rule_cache_init(&cc->rc, cxt, (const char *const *) &cap_param, cc->has_param ? 1 : 0);
	fmgr_info_cxt(limit_cap_oid, &cc->limit_cap, cxt);
	cc->name_text = (text *) MemoryContextAlloc(cxt, VARSIZE_ANY_EXHDR(name_t) + VARHDRSZ);
	SET_VARSIZE(cc->name_text, len + VARHDRSZ);
	memcpy(VARDATA(cc->name_text), cc->name, len);
	cc->rule.function = cc->grouped ? "bangfu.capped_grouped" : "bangfu.capped";
	cc->rule.clause = MemoryContextStrdup(cxt, psprintf("limit \"%s\" (%s)", cc->name, clause));
}

/* The cap on a date, in ledger units. */
static int64
capped_cap(CappedCache *cc, const char *scenario, DateADT on_date)
{
	Datum		d;
	int64		fen;

	if (cc->has_param)
		return bf_policy_get(&cc->rc.refs[0], scenario, on_date,
							 cc->unit == 'm' ? BF_KIND_AMOUNT : BF_KIND_COUNT)->amount;
	/* a cap function, or none (0): as the limit engine reads it */
	d = FunctionCall2(&cc->limit_cap, PointerGetDatum(cc->name_text), DateADTGetDatum(on_date));
	if (bf_datum_to_signed_fen_status(d, &fen) != BF_MONEY_OK)
		ereport(ERROR,
				(errcode(ERRCODE_DATA_EXCEPTION),
				 errmsg("limit \"%s\" has no valid cap on %s", cc->name, bf_date_cstring(on_date))));
	return cc->unit == 'm' ? fen : fen / 100;
}

/*
 * An amount argument: fen (signed for a balance), or a whole count when
 * whole is set (a count limit's amount, any used_before but money's).
 */
static int64
capped_amount(CappedCache *cc, Datum d, const char *argname, bool allow_negative,
			  bool whole)
{
	int64		fen;
	bf_money_status s;

	if (allow_negative)
	{
		s = bf_datum_to_signed_fen_status(d, &fen);
		if (s != BF_MONEY_OK)
			bf_rule_error(s == BF_MONEY_RANGE ? ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE : ERRCODE_INVALID_PARAMETER_VALUE,
						  &cc->rule, NULL, "%s %s", argname, bf_money_status_text(s));
	}
	else
		fen = bf_datum_to_fen(d, argname, &cc->rule);
	if (whole)
	{
		if (fen % 100 != 0)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("%s %s is not a whole number", argname, bf_fen_cstring(fen)),
					 errdetail("Rule: %s (%s) counts %s.", cc->rule.function, bf_rule_clause_msg(&cc->rule),
							   cc->unit == 'c' ? bf_("whole units (months)") : bf_("rows"))));
		return fen / 100;
	}
	return fen;
}

/*
 * A row's limit and scenario, before anything is counted: the limit is read
 * from bangfu.limit_def the first time the call site sees its name, and a
 * partition must keep to one limit.  Returns the scenario (NULL: in force).
 */
static const char *
capped_begin(FunctionCallInfo fcinfo, CappedCache *cc, CappedState *st, Datum name_d,
			 const Datum *scenario_d)
{
	text	   *name_t = DatumGetTextPP(name_d);

	if (unlikely(cc->name_len == 0 || cc->name_len != VARSIZE_ANY_EXHDR(name_t) ||
				 memcmp(cc->name, VARDATA_ANY(name_t), cc->name_len) != 0))
		capped_resolve(fcinfo, cc, name_t);
	if (st->clock.any && strcmp(st->limit, cc->name) != 0 && cc->grouped)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("limit_name \"%s\" differs from \"%s\", the limit of the subject's earlier rows",
						cc->name, st->limit),
				 errdetail("Rule: bangfu.capped_grouped: a subject's rows are its use of one limit."),
				 errhint("Settle each limit in a window of its own (OVER (PARTITION BY limit_name)), or make the limit part of the subject.")));
	if (st->clock.any && strcmp(st->limit, cc->name) != 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("limit_name \"%s\" differs from the partition's first row's \"%s\"",
						cc->name, st->limit),
				 errdetail("Rule: bangfu.capped: a partition is one subject's use of one limit."),
				 errhint("Add the limit to the PARTITION BY.")));
	return scenario_d != NULL
		? bf_rule_scenario_text(fcinfo, &cc->rc, DatumGetTextPP(*scenario_d))
		: NULL;
}

/*
 * One row, the next in date order: new_period when it starts its subject's
 * period (then used_before, if given, is what the period used before it).
 * Returns what the row gets, in ledger units signed as the amount (a count
 * for a count limit).
 *
 * Money limits give the amount cut to what remains of the cap; count limits
 * (months) the count cut the same way; rows limits (one grant a year) the
 * row's amount whole while the period has a row left, else 0.  A balance
 * (direction -1, fund_balance) lets every credit through and cuts a
 * disbursement (a negative amount) to the balance.
 */
static int64
capped_take(CappedCache *cc, CappedState *st, const char *scenario, Datum amount_d,
			DateADT on_date, bool new_period, const Datum *used_before)
{
	int64		amount = capped_amount(cc, amount_d, "amount", cc->direction < 0, cc->unit == 'c');
	int64		want;
	int64		room;

	if (new_period)
	{
		/* a new period: a new year of a yearly limit, or the first row */
		strlcpy(st->limit, cc->name, sizeof st->limit);
		st->used = used_before != NULL
			? capped_amount(cc, *used_before, "used_before", cc->direction < 0,
							cc->unit != 'm') * (cc->unit == 'r' ? 1 : cc->direction)
			: 0;
	}

	/* what the row asks for, in ledger units: a row of a rows limit is 1 */
	want = cc->unit == 'r' ? 1 : amount * cc->direction;
	if (want > 0)
	{
		/* use already over a lowered cap gives nothing (spec §0) */
		room = capped_cap(cc, scenario, on_date) - st->used;
		if (want > room)
			want = room > 0 ? room : 0;
	}
	st->used += want;
	return cc->unit == 'r' ? (want > 0 ? amount : 0) : want * cc->direction;
}

/*
 * The keyed and grouped forms at the partition's first row: every row in
 * order of (date, key), in the grouped form subject after subject (a
 * subject's first row starts the count again).  off: 1 when the second
 * argument is the subject (grouped).
 */
static void
capped_partition(FunctionCallInfo fcinfo, WindowObject winobj, CappedCache *cc,
				 CappedState *st, int nargs, int off)
{
	int64		m = keyed_load(winobj, fcinfo->flinfo->fn_mcxt, &cc->kb, nargs, 2 + off,
							   off ? &rule_capped_grouped : &rule_capped,
							   off ? CAPPED_GROUPED_HINT : CAPPED_HINT);
	int64		j;
	MemoryContext old = MemoryContextSwitchTo(cc->kb.rowcxt);

	for (j = 0; j < m; j++)
	{
		const KeyedRow *r = &cc->kb.rows[j];
		Datum		args[7] = {0};
		bool		new_period;
		const char *scenario;

		MemoryContextReset(cc->kb.rowcxt);	/* nothing of a row's settling is kept */
		KEYED_PREFETCH(&cc->kb, j, m);
		if (r->starts_group)
			st->clock.any = false;	/* another subject: its own count */
		if (!keyed_row_args(&cc->kb, r, nargs, 2 + off, args))
			continue;
		scenario = capped_begin(fcinfo, cc, st, args[0], nargs - off == 6 ? &args[5 + off] : NULL);
		new_period = clock_period(&st->clock, r->on_date, cc->yearly);
		cc->kb.res[cc->kb.nres * r->row] =
			capped_take(cc, st, scenario, args[1 + off], r->on_date, new_period,
						nargs - off >= 5 ? &args[4 + off] : NULL);
		/* one window holds many subjects' limits: each row keeps its unit */
		if (off)
			cc->kb.res[cc->kb.nres * r->row + 1] = cc->unit;
		cc->kb.done[r->row] = true;
	}
	MemoryContextSwitchTo(old);
	MemoryContextReset(cc->kb.rowcxt);
	st->loaded = true;
}

/*
 * The row takes what it may of the limit.  Arguments: limit_name, amount,
 * on_date, then (keyed) the row's key, then optionally used_before (what the
 * subject used in the period before its first row here, as bangfu.limit_used
 * reports it), then optionally a scenario.  A row with a NULL argument gets
 * NULL and counts for nothing.  The result is in yuan, or a count for a
 * count limit.
 */
static Datum
capped(FunctionCallInfo fcinfo, SettleForm form)
{
	bool		keyed = form != FORM_ORDERED;
	WindowObject winobj = PG_WINDOW_OBJECT();
	int			nargs = PG_NARGS();
	CappedState *st;
	CappedCache *cc = (CappedCache *) fcinfo->flinfo->fn_extra;
	int64		result;
	char		unit;

	if (unlikely(cc == NULL))
	{
		const BfRule *rule = form == FORM_GROUPED ? &rule_capped_grouped : &rule_capped;
		bool		ordered = window_check(winobj, rule->function,
										   form == FORM_GROUPED ? CAPPED_GROUPED_HINT : CAPPED_HINT);

		cc = fcinfo->flinfo->fn_extra =
			MemoryContextAllocZero(fcinfo->flinfo->fn_mcxt, sizeof(CappedCache));
		cc->ordered = ordered;
		cc->grouped = form == FORM_GROUPED;
		if (keyed)
			keyed_init(fcinfo, winobj, &cc->kb, form == FORM_GROUPED ? 2 : 1,
					   form == FORM_GROUPED ? 1 : -1, rule);
	}
	st = (CappedState *) WinGetPartitionLocalMemory(winobj, sizeof(CappedState));

	if (keyed)
	{
		int64		pos = WinGetCurrentPosition(winobj);

		if (!st->loaded)
			capped_partition(fcinfo, winobj, cc, st, nargs, form == FORM_GROUPED ? 1 : 0);
		if (!cc->kb.done[pos])
			PG_RETURN_NULL();
		result = cc->kb.res[cc->kb.nres * pos];
		unit = form == FORM_GROUPED ? (char) cc->kb.res[cc->kb.nres * pos + 1] : cc->unit;
	}
	else
	{
		Datum		args[5] = {0};
		DateADT		on_date;
		const char *scenario;
		bool		new_period;
		int			i;

		for (i = 0; i < nargs; i++)
			if (!window_arg(winobj, i, &args[i]))
				PG_RETURN_NULL();
		scenario = capped_begin(fcinfo, cc, st, args[0], nargs == 5 ? &args[4] : NULL);
		on_date = DatumGetDateADT(args[2]);
		new_period = clock_advance(winobj, &st->clock, WinGetCurrentPosition(winobj), on_date,
								   cc->yearly, cc->ordered, "on_date", &cc->rule, CAPPED_HINT);
		result = capped_take(cc, st, scenario, args[1], on_date, new_period,
							 nargs >= 4 ? &args[3] : NULL);
		unit = cc->unit;
	}
	if (unit == 'c')
		PG_RETURN_DATUM(DirectFunctionCall1(int8_numeric, Int64GetDatum(result)));
	PG_RETURN_DATUM(bf_fen_to_datum(result));
}

PG_FUNCTION_INFO_V1(bf_capped);
Datum
bf_capped(PG_FUNCTION_ARGS)
{
	return capped(fcinfo, FORM_ORDERED);
}

PG_FUNCTION_INFO_V1(bf_capped_keyed);
Datum
bf_capped_keyed(PG_FUNCTION_ARGS)
{
	return capped(fcinfo, FORM_KEYED);
}

PG_FUNCTION_INFO_V1(bf_capped_grouped);
Datum
bf_capped_grouped(PG_FUNCTION_ARGS)
{
	return capped(fcinfo, FORM_GROUPED);
}
