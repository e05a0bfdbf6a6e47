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
 * The result depends on the order the rows come in, so the window must give
 * one: each row is the next in date order.  Refused (42P20), so that no
 * figure is silently wrong:
 *	- a frame clause other than the running frame (from the partition's
 *	  first row to the current row, without exclusion): a function that
 *	  ignored it would answer a question other than the one written;
 *	- two rows of one partition with the same date that are peers (equal
 *	  ORDER BY values, or no ORDER BY at all): their order is PostgreSQL's
 *	  choice, and the caps would cut one or the other.
 * A date earlier than the previous row's is 22023.
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "fmgr.h"
#include "funcapi.h"
#include "nodes/execnodes.h"
#include "nodes/parsenodes.h"
#include "nodes/plannodes.h"
#include "utils/builtins.h"
#include "utils/date.h"
#include "utils/datetime.h"
#include "windowapi.h"

#include "medical.h"
#include "rules.h"

static const BfRule rule_settle = {"bangfu.medical_settle", BF_N("四 medical relief, a caseload in date order")};

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

/* Where a running window state stands in the calendar and the partition. */
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
				 errhint("%s", hint)));
	return ((WindowAgg *) ws->ss.ps.plan)->ordNumCols > 0;
}

/*
 * Move the clock to the current row (position pos, date on_date); true when
 * the row starts a new period (the partition's first counted row, or for a
 * yearly count a new calendar year).  Dates must not go back: the caps are
 * applied in date order.  A row on the previous counted row's date must not
 * be its peer; without an ORDER BY (ordered false) every row is the peer of
 * every other, and the order the rows come in is nobody's choice.
 */
static bool
clock_advance(WindowObject winobj, RunClock *c, int64 pos, DateADT on_date, bool yearly,
			  bool ordered, const char *argname, const BfRule *rule, const char *hint)
{
	bf_rule_check_date(on_date, argname, rule);
	if (c->any)
	{
		if (unlikely(on_date <= c->last || !ordered))
		{
			if (on_date < c->last)
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						 errmsg("%s %s comes before the previous row's %s",
								argname, bf_date_cstring(on_date), bf_date_cstring(c->last)),
						 errdetail("Rule: %s (%s): the caps are applied row after row, in date order.",
								   rule->function, bf_rule_clause_msg(rule)),
						 errhint("%s", hint)));
			if (WinRowsArePeers(winobj, c->last_pos, pos))
				ereport(ERROR,
						(errcode(ERRCODE_WINDOWING_ERROR),
						 errmsg("%s needs an ORDER BY that no two rows of a partition share", rule->function),
						 errdetail("Rows with equal ORDER BY values are peers and would share one result."),
						 errhint("%s", hint)));
		}
		c->last = on_date;
		c->last_pos = pos;
		/* let the rows before this one go, now and then (a long partition) */
		if (unlikely((pos & 1023) == 0))
			WinSetMarkPosition(winobj, pos);
		if (likely(!yearly || on_date < c->year_end))
			return false;
	}
	c->any = true;
	c->last = on_date;
	c->last_pos = pos;
	WinSetMarkPosition(winobj, pos);
	if (yearly)
		c->year_end = date2j(bf_date_year(on_date) + 1, 1, 1) - POSTGRES_EPOCH_JDATE;
	return true;
}

/* An argument of the current row; false when it is NULL. */
static inline bool
window_arg(WindowObject winobj, int argno, Datum *value)
{
	bool		isnull;

	*value = WinGetFuncArgCurrent(winobj, argno, &isnull);
	return !isnull;
}

/* ------------------------------------------------------------------------
 * 四 over a caseload: bangfu.medical_settle.
 * ------------------------------------------------------------------------
 */

#define SETTLE_HINT "Call it as bangfu.medical_settle(cost, discharged) OVER (PARTITION BY person ORDER BY discharged, id)."

/* The call site's: the policy references, and what the window was checked for. */
typedef struct SettleCache
{
	BfRuleCache rc;				/* the policy references of 四 */
	BfFenRecord record;			/* how a bangfu.settlement is written */
	bool		record_ready;
	bool		ordered;		/* the window has an ORDER BY */
} SettleCache;

/* The partition's: what the current person-year has used. */
typedef struct SettleState
{
	RunClock	clock;
	int64		reduced;		/* 四(1) the person-year has used */
	int64		relieved;		/* 四(2) the same */
} SettleState;

/*
 * Arguments: cost, on_date, then optionally reduced_before and
 * relieved_before (the person-year's use before its first row here), then
 * optionally a scenario.  A row with a NULL argument gets NULL and counts
 * for nothing (as sum() skips it).
 */
PG_FUNCTION_INFO_V1(bf_medical_settle);
Datum
bf_medical_settle(PG_FUNCTION_ARGS)
{
	WindowObject winobj = PG_WINDOW_OBJECT();
	SettleCache *sc = (SettleCache *) fcinfo->flinfo->fn_extra;
	SettleState *st;
	int			nargs = PG_NARGS();
	bool		has_before = nargs >= 4;
	int			scenario_arg = nargs == 3 ? 2 : (nargs == 5 ? 4 : -1);
	const char *scenario = NULL;
	Datum		args[5];
	int			i;
	int64		pos;
	int64		cost;
	int64		reduction;
	int64		relief;
	DateADT		on_date;
	int64		fen[3];

	if (unlikely(sc == NULL))
	{
		bool		ordered = window_check(winobj, rule_settle.function, SETTLE_HINT);

		sc = MemoryContextAllocZero(fcinfo->flinfo->fn_mcxt, sizeof(SettleCache));
		sc->ordered = ordered;
		bf_rule_cache_init(&sc->rc, fcinfo->flinfo->fn_mcxt, bf_medical_params, BF_MEDICAL_NPARAMS);
		fcinfo->flinfo->fn_extra = sc;
	}
	for (i = 0; i < nargs; i++)
		if (!window_arg(winobj, i, &args[i]))
			PG_RETURN_NULL();

	st = (SettleState *) WinGetPartitionLocalMemory(winobj, sizeof(SettleState));
	pos = WinGetCurrentPosition(winobj);
	if (scenario_arg >= 0)
		scenario = bf_rule_scenario_text(fcinfo, &sc->rc, DatumGetTextPP(args[scenario_arg]));
	cost = bf_datum_to_fen(args[0], "cost", &rule_settle);
	on_date = DatumGetDateADT(args[1]);
	if (clock_advance(winobj, &st->clock, pos, on_date, true, sc->ordered, "on_date",
					  &rule_settle, SETTLE_HINT))
	{
		/* 四(1), 四(2): the yearly caps start again each calendar year */
		st->reduced = has_before ? bf_datum_to_fen(args[2], "reduced_before", &rule_settle) : 0;
		st->relieved = has_before ? bf_datum_to_fen(args[3], "relieved_before", &rule_settle) : 0;
	}
	bf_medical_settle_fen(sc->rc.refs, scenario, cost, on_date,
						  st->reduced, st->relieved, "cost", &rule_settle,
						  &reduction, &relief);
	st->reduced += reduction;
	st->relieved += relief;

	fen[0] = reduction;
	fen[1] = relief;
	fen[2] = cost - reduction - relief;
	if (unlikely(!sc->record_ready))
	{
		bf_fen_record_init(&sc->record, bf_rule_result_desc(fcinfo, &sc->rc), 3);
		sc->record_ready = true;
	}
	PG_RETURN_DATUM(bf_fen_record(&sc->record, fen));
}

/* ------------------------------------------------------------------------
 * Any limit of bangfu.limit_def over a caseload: bangfu.capped.
 * ------------------------------------------------------------------------
 */

#define CAPPED_HINT "Call it as bangfu.capped(limit_name, amount, on_date) OVER (PARTITION BY subject ORDER BY on_date, id)."

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
} CappedCache;

/* The partition's: what the subject has used in the current period. */
typedef struct CappedState
{
	RunClock	clock;
	int64		used;			/* in ledger units, signed by direction */
	char		limit[NAMEDATALEN];	/* the partition's limit */
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
 * The row takes what it may of the limit.  Arguments: limit_name, amount,
 * on_date, then optionally used_before (what the subject used in the period
 * before its first row here, as bangfu.limit_used reports it), then
 * optionally a scenario.  A row with a NULL argument gets NULL and counts
 * for nothing.
 *
 * Money limits give the amount cut to what remains of the cap; count limits
 * (months) the count cut the same way; rows limits (one grant a year) the
 * row's amount whole while the period has a row left, else 0.  A balance
 * (direction -1, fund_balance) lets every credit through and cuts a
 * disbursement (a negative amount) to the balance.  The result is in yuan,
 * or a count for a count limit.
 */
PG_FUNCTION_INFO_V1(bf_capped);
Datum
bf_capped(PG_FUNCTION_ARGS)
{
	WindowObject winobj = PG_WINDOW_OBJECT();
	int			nargs = PG_NARGS();
	CappedState *st;
	CappedCache *cc = (CappedCache *) fcinfo->flinfo->fn_extra;
	text	   *name_t;
	const char *scenario = NULL;
	Datum		args[5];
	DateADT		on_date;
	int64		pos;
	int64		amount;
	int64		want;
	int64		room;
	int64		result;
	int			i;

	if (unlikely(cc == NULL))
	{
		bool		ordered = window_check(winobj, "bangfu.capped", CAPPED_HINT);

		cc = fcinfo->flinfo->fn_extra =
			MemoryContextAllocZero(fcinfo->flinfo->fn_mcxt, sizeof(CappedCache));
		cc->ordered = ordered;
	}
	for (i = 0; i < nargs; i++)
		if (!window_arg(winobj, i, &args[i]))
			PG_RETURN_NULL();

	st = (CappedState *) WinGetPartitionLocalMemory(winobj, sizeof(CappedState));
	pos = WinGetCurrentPosition(winobj);
	name_t = DatumGetTextPP(args[0]);
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
	if (nargs == 5)
		scenario = bf_rule_scenario_text(fcinfo, &cc->rc, DatumGetTextPP(args[4]));

	amount = capped_amount(cc, args[1], "amount", cc->direction < 0, cc->unit == 'c');
	on_date = DatumGetDateADT(args[2]);
	if (clock_advance(winobj, &st->clock, pos, on_date, cc->yearly, cc->ordered, "on_date",
					  &cc->rule, CAPPED_HINT))
	{
		/* a new period: a new year of a yearly limit, or the first row */
		strlcpy(st->limit, cc->name, sizeof st->limit);
		st->used = nargs >= 4
			? capped_amount(cc, args[3], "used_before", cc->direction < 0,
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
	result = cc->unit == 'r' ? (want > 0 ? amount : 0) : want * cc->direction;
	if (cc->unit == 'c')
		PG_RETURN_DATUM(DirectFunctionCall1(int8_numeric, Int64GetDatum(result)));
	PG_RETURN_DATUM(bf_fen_to_datum(result));
}
