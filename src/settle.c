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
#include "nodes/parsenodes.h"
#include "nodes/plannodes.h"
#include "utils/builtins.h"
#include "utils/date.h"
#include "utils/datetime.h"
#include "utils/datum.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/tuplestore.h"
#include "windowapi.h"

#include "medical.h"
#include "rules.h"

static const BfRule rule_settle = {"bangfu.medical_settle", BF_N("四 medical relief, a caseload in date order")};
static const BfRule rule_capped = {"bangfu.capped", BF_N("a limit of bangfu.limit_def, a caseload in date order")};

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

/* One row of the partition in the order to settle it. */
typedef struct KeyedRow
{
	DateADT		on_date;
	bool		key_null;		/* the key is NULL: after the date's other rows */
	bool		args_null;		/* another argument is NULL: the row gets NULL */
	int64		key;			/* read only for rows sharing a date */
	int64		row;			/* its position in the partition */
} KeyedRow;

/*
 * The call site's buffers, kept from partition to partition and grown to the
 * longest: the rows in order, each row's other arguments (all but the date
 * and the key: nvals of them, a varlena's bytes copied into arena), and each
 * row's result (nres values, with done[row] false for a row that gets NULL).
 */
typedef struct KeyedBuf
{
	KeyedRow   *rows;
	Datum	   *vals;			/* nvals a row, by its place in rows */
	int64	   *res;
	bool	   *done;
	int64		cap;
	int			nres;
	int			nvals;
	List	   *argstates;		/* the call's argument expressions */
	bool	   *byval;			/* each argument's type is passed by value */
	MemoryContext cxt;			/* the call site's (fn_mcxt) */
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
 * has spilled to disk.
 */
static void
pg_attribute_noreturn()
keyed_too_long(int64 n, int64 need_kb, const BfRule *rule)
{
	ereport(ERROR,
			(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
			 errmsg("a partition of %lld rows is too long for the keyed form of %s",
					(long long) n, rule->function),
			 need_kb > 0
			 ? errdetail("Putting it in order takes %lld kB, more than work_mem (%d kB).",
						 (long long) need_kb, work_mem)
			 : errdetail("Its rows do not fit in work_mem (%d kB), and putting them in order would read them again from disk one by one.",
						 work_mem),
			 errhint("Give the window an ORDER BY on_date, key instead of the key argument (that form holds no rows), or raise work_mem.")));
}

/* What the keyed form holds for each row of a partition, without the arena. */
static inline int64
keyed_row_bytes(const KeyedBuf *kb)
{
	return sizeof(KeyedRow) + kb->nvals * sizeof(Datum) + kb->nres * sizeof(int64) + sizeof(bool);
}

/*
 * The argument expressions of the call (fn_expr is the WindowFunc, which the
 * WindowAgg keeps with its argument states in winstate->funcs), and whether
 * each argument's type is passed by value.
 */
static void
keyed_init(FunctionCallInfo fcinfo, WindowObject winobj, KeyedBuf *kb, int nres)
{
	WindowAggState *ws = ((BfWindowObjectHead *) winobj)->winstate;
	int			nargs = PG_NARGS();
	ListCell   *lc;

	kb->cxt = fcinfo->flinfo->fn_mcxt;
	kb->nres = nres;
	kb->nvals = nargs - 2;
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
		if (!kb->byval[i] && typlen != -1)
			elog(ERROR, "keyed window function: argument %d is neither by value nor varlena", i + 1);
	}
}

/*
 * Evaluate argument i of the row the window's slot holds (the row the last
 * WinGetFuncArgInPartition fetched): reading every argument of a row from one
 * fetch spares the store a seek for each.  A varlena is copied into the
 * arena (the slot's copy of the row goes at the next fetch); *off gets its
 * offset, as the arena may move while it grows.  False when it is NULL.
 */
static bool
keyed_val(WindowObject winobj, KeyedBuf *kb, int i, int64 n, Datum *value, const BfRule *rule)
{
	WindowAggState *ws = ((BfWindowObjectHead *) winobj)->winstate;
	ExprContext *econtext = ws->ss.ps.ps_ExprContext;
	bool		isnull;
	Datum		v;
	Size		len;
	Size		at;

	econtext->ecxt_outertuple = ws->temp_slot_1;
	v = ExecEvalExpr((ExprState *) list_nth(kb->argstates, i), econtext, &isnull);
	if (isnull)
		return false;
	if (kb->byval[i])
	{
		*value = v;
		return true;
	}
	if (VARATT_IS_EXTERNAL_EXPANDED(DatumGetPointer(v)))
		v = PointerGetDatum(PG_DETOAST_DATUM(v));
	len = VARSIZE_ANY(DatumGetPointer(v));
	at = MAXALIGN(kb->arena_used);
	if (at + len > kb->arena_cap)
	{
		/* the arena counts against work_mem with the rows (keyed_load) */
		int64		room = (int64) work_mem * 1024 - n * keyed_row_bytes(kb);
		Size		cap;

		if ((int64) (at + len) > room)
			keyed_too_long(n, (n * keyed_row_bytes(kb) + (int64) (at + len) + 1023) / 1024, rule);
		cap = Min(Max(kb->arena_cap * 2, 8192), (Size) room);
		cap = Max(cap, at + len);
		kb->arena = kb->arena == NULL
			? MemoryContextAllocHuge(kb->cxt, cap)
			: repalloc_huge(kb->arena, cap);
		kb->arena_cap = cap;
	}
	memcpy(kb->arena + at, DatumGetPointer(v), len);
	kb->arena_used = at + len;
	*value = (Datum) at;
	return true;
}

/*
 * Put the partition's rows in order of date (argument date_arg), then key
 * (date_arg + 1, a NULL key last): the order ORDER BY on_date, key gives.
 * Returns how many rows have a date (a row without one gets NULL and counts
 * for nothing).  The key is read only for rows that share a date.  Two rows
 * of one date with the same key, or both without one, would take the caps in
 * an order nobody chose: refused.
 */
static int64
keyed_load(WindowObject winobj, MemoryContext cxt, KeyedBuf *kb, int nargs, int date_arg,
		   const BfRule *rule, const char *hint)
{
	int64		n = WinGetPartitionRowCount(winobj);
	int64		m = 0;
	int64		j;
	int64		run;
	Datum		d;

	/*
	 * The partition's rows are read again in (date, key) order, which is not
	 * theirs: from memory that costs nothing, but from a store spilled to
	 * disk each jump rereads the rows between (a partition of 20,000 wide
	 * rows took 90 s at work_mem 4 MB).  Refused instead, as below.
	 */
	if (!tuplestore_in_memory(((BfWindowObjectHead *) winobj)->winstate->buffer))
		keyed_too_long(n, 0, rule);
	if (n > kb->cap)
	{
		/* bounded as PostgreSQL's own nodes are: by work_mem */
		int64		cap = Max(n, 64);

		if (n > (int64) work_mem * 1024 / keyed_row_bytes(kb))
			keyed_too_long(n, (n * keyed_row_bytes(kb) + 1023) / 1024, rule);
		if (kb->rows != NULL)
		{
			pfree(kb->rows);
			pfree(kb->vals);
			pfree(kb->res);
			pfree(kb->done);
		}
		kb->rows = MemoryContextAllocHuge(cxt, cap * sizeof(KeyedRow));
		kb->vals = MemoryContextAllocHuge(cxt, cap * kb->nvals * sizeof(Datum));
		kb->res = MemoryContextAllocHuge(cxt, cap * kb->nres * sizeof(int64));
		kb->done = MemoryContextAllocHuge(cxt, cap * sizeof(bool));
		kb->cap = cap;
	}
	memset(kb->done, 0, n * sizeof(bool));
	kb->arena_used = 0;
	for (j = 0; j < n; j++)
	{
		KeyedRow   *r = &kb->rows[m];
		Datum	   *vals = &kb->vals[j * kb->nvals];
		int			v = 0;

		if (!window_arg_at(winobj, date_arg, j, &d))
			continue;
		r->on_date = DatumGetDateADT(d);
		bf_rule_check_date(r->on_date, "on_date", rule);
		r->key_null = false;
		r->args_null = false;
		r->key = 0;
		r->row = j;
		m++;
		/* the row's other arguments, from the fetch that read its date */
		for (int i = 0; i < nargs && !r->args_null; i++)
			if (i != date_arg && i != date_arg + 1)
				r->args_null = !keyed_val(winobj, kb, i, n, &vals[v++], rule);
	}
	/* the arena has stopped moving: offsets become pointers */
	for (j = 0; j < m; j++)
	{
		const KeyedRow *r = &kb->rows[j];

		if (!r->args_null)
			for (int i = 0, v = 0; i < nargs; i++)
				if (i != date_arg && i != date_arg + 1)
				{
					if (!kb->byval[i])
						kb->vals[r->row * kb->nvals + v] =
							PointerGetDatum(kb->arena + kb->vals[r->row * kb->nvals + v]);
					v++;
				}
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
		for (int64 i = 1; i < len; i++)
			if (unlikely(!keyed_key_before(&rows[i - 1], &rows[i])))
				ereport(ERROR,
						(errcode(ERRCODE_WINDOWING_ERROR),
						 rows[i].key_null
						 ? errmsg("two rows of a partition have the same date %s and no key",
								  bf_date_cstring(rows[i].on_date))
						 : errmsg("two rows of a partition have the same date %s and key %lld",
								  bf_date_cstring(rows[i].on_date), (long long) rows[i].key),
						 errdetail("Rule: %s (%s): the caps are applied in order of date, then key, and these two rows would take them in an order nobody chose.",
								   rule->function, bf_rule_clause_msg(rule)),
						 errhint("%s", bf_(hint))));
	}
	return m;
}

/*
 * The arguments of a loaded row, all but the date and the key, where the
 * function's call has them; false when one is NULL (the row gets NULL).
 */
static inline bool
keyed_row_args(const KeyedBuf *kb, const KeyedRow *r, int nargs, int date_arg, Datum *args)
{
	const Datum *vals = &kb->vals[r->row * kb->nvals];

	if (r->args_null)
		return false;
	for (int i = 0; i < nargs; i++)
		if (i != date_arg && i != date_arg + 1)
			args[i] = *vals++;
	return true;
}

/* ------------------------------------------------------------------------
 * 四 over a caseload: bangfu.medical_settle.
 * ------------------------------------------------------------------------
 */

#define SETTLE_HINT BF_N("Call it as bangfu.medical_settle(cost, discharged) OVER (PARTITION BY person ORDER BY discharged, id), or with the stay's key as bangfu.medical_settle(cost, discharged, id) OVER (PARTITION BY person).")

/* The call site's: the policy references, and what the window was checked for. */
typedef struct SettleCache
{
	BfRuleCache rc;				/* the policy references of 四 */
	BfFenRecord record;			/* how a bangfu.settlement is written */
	bool		record_ready;
	bool		ordered;		/* the window has an ORDER BY */
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
	int64		cost = bf_datum_to_fen(cost_d, "cost", &rule_settle);

	if (new_period)
	{
		/* 四(1), 四(2): the yearly caps start again each calendar year */
		st->reduced = before ? bf_datum_to_fen(before[0], "reduced_before", &rule_settle) : 0;
		st->relieved = before ? bf_datum_to_fen(before[1], "relieved_before", &rule_settle) : 0;
	}
	bf_medical_settle_fen(sc->rc.refs, scenario, cost, on_date,
						  st->reduced, st->relieved, "cost", &rule_settle,
						  &fen[0], &fen[1]);
	st->reduced += fen[0];
	st->relieved += fen[1];
	fen[2] = cost - fen[0] - fen[1];
}

/*
 * The keyed form at the partition's first row: settle every stay in order of
 * (date, key) and keep each one's figures by its position.
 */
static void
settle_partition(FunctionCallInfo fcinfo, WindowObject winobj, SettleCache *sc,
				 SettleState *st, int nargs)
{
	int64		m = keyed_load(winobj, fcinfo->flinfo->fn_mcxt, &sc->kb, nargs, 1,
							   &rule_settle, SETTLE_HINT);
	bool		has_before = nargs >= 5;
	int			scenario_arg = nargs == 4 ? 3 : (nargs == 6 ? 5 : -1);
	int64		j;

	for (j = 0; j < m; j++)
	{
		const KeyedRow *r = &sc->kb.rows[j];
		Datum		args[6] = {0};
		const char *scenario = NULL;

		if (!keyed_row_args(&sc->kb, r, nargs, 1, args))
			continue;
		if (scenario_arg >= 0)
			scenario = bf_rule_scenario_text(fcinfo, &sc->rc, DatumGetTextPP(args[scenario_arg]));
		settle_step(sc, st, scenario, args[0], r->on_date,
					clock_period(&st->clock, r->on_date, true),
					has_before ? &args[3] : NULL, &sc->kb.res[3 * r->row]);
		sc->kb.done[r->row] = true;
	}
	st->loaded = true;
}

/*
 * Arguments: cost, on_date, then (keyed) the stay's key, then optionally
 * reduced_before and relieved_before (the person-year's use before its first
 * row here), then optionally a scenario.  A row with a NULL argument gets
 * NULL and counts for nothing (as sum() skips it).
 */
static Datum
medical_settle(FunctionCallInfo fcinfo, bool keyed)
{
	WindowObject winobj = PG_WINDOW_OBJECT();
	SettleCache *sc = (SettleCache *) fcinfo->flinfo->fn_extra;
	SettleState *st;
	int			nargs = PG_NARGS();
	int64		fen_here[3];
	const int64 *fen = fen_here;

	if (unlikely(sc == NULL))
	{
		bool		ordered = window_check(winobj, rule_settle.function, SETTLE_HINT);

		sc = MemoryContextAllocZero(fcinfo->flinfo->fn_mcxt, sizeof(SettleCache));
		sc->ordered = ordered;
		if (keyed)
			keyed_init(fcinfo, winobj, &sc->kb, 3);
		bf_rule_cache_init(&sc->rc, fcinfo->flinfo->fn_mcxt, bf_medical_params, BF_MEDICAL_NPARAMS);
		fcinfo->flinfo->fn_extra = sc;
	}
	st = (SettleState *) WinGetPartitionLocalMemory(winobj, sizeof(SettleState));

	if (keyed)
	{
		int64		pos = WinGetCurrentPosition(winobj);

		if (!st->loaded)
			settle_partition(fcinfo, winobj, sc, st, nargs);
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
	return medical_settle(fcinfo, false);
}

PG_FUNCTION_INFO_V1(bf_medical_settle_keyed);
Datum
bf_medical_settle_keyed(PG_FUNCTION_ARGS)
{
	return medical_settle(fcinfo, true);
}

/* ------------------------------------------------------------------------
 * Any limit of bangfu.limit_def over a caseload: bangfu.capped.
 * ------------------------------------------------------------------------
 */

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
				 errdetail("Rule: bangfu.capped."),
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
				 errdetail("Rule: bangfu.capped."),
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
	cc->rule.function = "bangfu.capped";
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

/* The keyed form at the partition's first row: every row in order of (date, key). */
static void
capped_partition(FunctionCallInfo fcinfo, WindowObject winobj, CappedCache *cc,
				 CappedState *st, int nargs)
{
	int64		m = keyed_load(winobj, fcinfo->flinfo->fn_mcxt, &cc->kb, nargs, 2,
							   &rule_capped, CAPPED_HINT);
	int64		j;

	for (j = 0; j < m; j++)
	{
		const KeyedRow *r = &cc->kb.rows[j];
		Datum		args[6] = {0};
		bool		new_period;
		const char *scenario;

		if (!keyed_row_args(&cc->kb, r, nargs, 2, args))
			continue;
		scenario = capped_begin(fcinfo, cc, st, args[0], nargs == 6 ? &args[5] : NULL);
		new_period = clock_period(&st->clock, r->on_date, cc->yearly);
		cc->kb.res[r->row] = capped_take(cc, st, scenario, args[1], r->on_date, new_period,
										 nargs >= 5 ? &args[4] : NULL);
		cc->kb.done[r->row] = true;
	}
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
capped(FunctionCallInfo fcinfo, bool keyed)
{
	WindowObject winobj = PG_WINDOW_OBJECT();
	int			nargs = PG_NARGS();
	CappedState *st;
	CappedCache *cc = (CappedCache *) fcinfo->flinfo->fn_extra;
	int64		result;

	if (unlikely(cc == NULL))
	{
		bool		ordered = window_check(winobj, "bangfu.capped", CAPPED_HINT);

		cc = fcinfo->flinfo->fn_extra =
			MemoryContextAllocZero(fcinfo->flinfo->fn_mcxt, sizeof(CappedCache));
		cc->ordered = ordered;
		if (keyed)
			keyed_init(fcinfo, winobj, &cc->kb, 1);
	}
	st = (CappedState *) WinGetPartitionLocalMemory(winobj, sizeof(CappedState));

	if (keyed)
	{
		int64		pos = WinGetCurrentPosition(winobj);

		if (!st->loaded)
			capped_partition(fcinfo, winobj, cc, st, nargs);
		if (!cc->kb.done[pos])
			PG_RETURN_NULL();
		result = cc->kb.res[pos];
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
	}
	if (cc->unit == 'c')
		PG_RETURN_DATUM(DirectFunctionCall1(int8_numeric, Int64GetDatum(result)));
	PG_RETURN_DATUM(bf_fen_to_datum(result));
}

PG_FUNCTION_INFO_V1(bf_capped);
Datum
bf_capped(PG_FUNCTION_ARGS)
{
	return capped(fcinfo, false);
}

PG_FUNCTION_INFO_V1(bf_capped_keyed);
Datum
bf_capped_keyed(PG_FUNCTION_ARGS)
{
	return capped(fcinfo, true);
}
