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
 * Both are aggregates meant to run as window functions over the default
 * running frame (from the partition's first row to the current row).  There
 * PostgreSQL calls the transition function once per row, as the row enters
 * the frame, and then the final function on the same state (see
 * eval_windowaggregates in nodeWindowAgg.c): the state carries what the
 * person-year has used, the transition settles the new row and keeps its
 * result, and the final function only reads it (FINALFUNC_MODIFY =
 * READ_ONLY).  Each row thus costs one settlement, whatever its place in the
 * partition: one sort and one pass.
 *
 * That holds only if each row is the last of its own frame.  A frame that
 * does not start at the partition's first row, that excludes rows, or that
 * ends past the current row (ORDER BY values shared by two rows, which are
 * then peers of each other, or no ORDER BY at all) would give wrong figures
 * silently, so each is refused (42P20), checked by the final function at
 * every row (and by the transition function at a partition's first).
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "fmgr.h"
#include "funcapi.h"
#include "nodes/execnodes.h"
#include "nodes/parsenodes.h"
#include "utils/builtins.h"
#include "utils/date.h"
#include "utils/datetime.h"

#include "medical.h"
#include "rules.h"

static const BfRule rule_settle = {"bangfu.medical_settle", BF_N("四 medical relief, a caseload in date order")};

/* ------------------------------------------------------------------------
 * What both window functions share: the call context and the date order.
 * ------------------------------------------------------------------------
 */

/* Where a running window state stands in the calendar. */
typedef struct RunClock
{
	bool		any;			/* a row has been counted in this partition */
	DateADT		last;			/* its date */
	DateADT		year_end;		/* the first day of the year after the period's */
} RunClock;

/*
 * Is the call a window aggregate over a frame this module can count in one
 * pass?  Checked by the transition function on a partition's first row and
 * by the final function on every row (a frame excluding the current row may
 * never call the transition function at all).
 */
static WindowAggState *
window_check_frame(FunctionCallInfo fcinfo, const char *function, const char *hint)
{
	WindowAggState *ws;
	int			fo;

	if (fcinfo->context == NULL || !IsA(fcinfo->context, WindowAggState))
		ereport(ERROR,
				(errcode(ERRCODE_WRONG_OBJECT_TYPE),
				 errmsg("%s must be called as a window function", function),
				 errhint("%s", hint)));
	ws = (WindowAggState *) fcinfo->context;
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
	return ws;
}

/* The state's memory context, after window_check_frame. */
static MemoryContext
window_context(FunctionCallInfo fcinfo, const char *function, const char *hint)
{
	MemoryContext aggcxt;

	window_check_frame(fcinfo, function, hint);
	if (AggCheckCallContext(fcinfo, &aggcxt) != AGG_CONTEXT_WINDOW)
		elog(ERROR, "%s called outside a window aggregate", function);
	return aggcxt;
}

/*
 * In the final function: is the current row the last row of the frame?
 * Not when a later row shares its ORDER BY values (a peer): PostgreSQL then
 * counts both before asking for the first one's result.
 */
static void
window_check_row(FunctionCallInfo fcinfo, const char *function, const char *hint)
{
	WindowAggState *ws = window_check_frame(fcinfo, function, hint);

	if (unlikely(ws->aggregatedupto != ws->currentpos + 1))
		ereport(ERROR,
				(errcode(ERRCODE_WINDOWING_ERROR),
				 errmsg("%s needs an ORDER BY that no two rows of a partition share", function),
				 errdetail("Rows with equal ORDER BY values are peers and would share one result."),
				 errhint("%s", hint)));
}

/*
 * Move the clock to a row's date; true when the row starts a new period
 * (the partition's first counted row, or for a yearly count a new calendar
 * year).  Dates must not go back: the caps are applied in date order.
 */
static bool
clock_advance(RunClock *c, DateADT on_date, bool yearly, const char *argname,
			  const BfRule *rule, const char *hint)
{
	bf_rule_check_date(on_date, argname, rule);
	if (c->any)
	{
		if (unlikely(on_date < c->last))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("%s %s comes before the previous row's %s",
							argname, bf_date_cstring(on_date), bf_date_cstring(c->last)),
					 errdetail("Rule: %s (%s): the caps are applied row after row, in date order.",
							   rule->function, bf_rule_clause_msg(rule)),
					 errhint("%s", hint)));
		c->last = on_date;
		if (likely(!yearly || on_date < c->year_end))
			return false;
	}
	c->any = true;
	c->last = on_date;
	if (yearly)
		c->year_end = date2j(bf_date_year(on_date) + 1, 1, 1) - POSTGRES_EPOCH_JDATE;
	return true;
}

/* ------------------------------------------------------------------------
 * 四 over a caseload: bangfu.medical_settle.
 * ------------------------------------------------------------------------
 */

#define SETTLE_HINT "Call it as bangfu.medical_settle(cost, discharged) OVER (PARTITION BY person ORDER BY discharged, id)."

typedef struct SettleState
{
	RunClock	clock;
	int64		reduced;		/* 四(1) the person-year has used, this row included */
	int64		relieved;		/* 四(2) the same */
	bool		row_null;		/* the current row had a NULL argument */
	int64		cost;			/* the current row: cost, reduction, relief */
	int64		reduction;
	int64		relief;
} SettleState;

/*
 * Transition: settle the row entering the frame.  Arguments: cost, on_date,
 * then optionally reduced_before and relieved_before (the person-year's use
 * before its first row here), then optionally a scenario.
 */
PG_FUNCTION_INFO_V1(bf_medical_settle_step);
Datum
bf_medical_settle_step(PG_FUNCTION_ARGS)
{
	MemoryContext aggcxt;
	SettleState *st;
	int			nargs = PG_NARGS();
	bool		has_before = nargs >= 5;
	int			scenario_arg = nargs == 4 ? 3 : (nargs == 6 ? 5 : -1);
	BfRuleCache *rc;
	const char *scenario = NULL;
	DateADT		on_date;
	int			i;

	if (PG_ARGISNULL(0))
	{
		aggcxt = window_context(fcinfo, rule_settle.function, SETTLE_HINT);
		st = MemoryContextAllocZero(aggcxt, sizeof(SettleState));
	}
	else
		st = (SettleState *) PG_GETARG_POINTER(0);

	/* a row with a NULL gets NULL and counts for nothing (as sum() skips it) */
	st->row_null = true;
	for (i = 1; i < nargs; i++)
		if (PG_ARGISNULL(i))
			PG_RETURN_POINTER(st);

	rc = bf_rule_cache(fcinfo, bf_medical_params, BF_MEDICAL_NPARAMS);
	if (scenario_arg >= 0)
		scenario = bf_rule_scenario(fcinfo, rc, scenario_arg);
	st->cost = bf_datum_to_fen(PG_GETARG_DATUM(1), "cost", &rule_settle);
	on_date = PG_GETARG_DATEADT(2);
	if (clock_advance(&st->clock, on_date, true, "on_date", &rule_settle, SETTLE_HINT))
	{
		/* 四(1), 四(2): the yearly caps start again each calendar year */
		st->reduced = has_before
			? bf_datum_to_fen(PG_GETARG_DATUM(3), "reduced_before", &rule_settle) : 0;
		st->relieved = has_before
			? bf_datum_to_fen(PG_GETARG_DATUM(4), "relieved_before", &rule_settle) : 0;
	}
	bf_medical_settle_fen(rc->refs, scenario, st->cost, on_date,
						  st->reduced, st->relieved, "cost", &rule_settle,
						  &st->reduction, &st->relief);
	st->reduced += st->reduction;
	st->relieved += st->relief;
	st->row_null = false;
	PG_RETURN_POINTER(st);
}

/* Final: the current row's settlement, read from the state (not changed). */
PG_FUNCTION_INFO_V1(bf_medical_settle_final);
Datum
bf_medical_settle_final(PG_FUNCTION_ARGS)
{
	SettleState *st;
	Datum		values[3];
	bool		nulls[3] = {false, false, false};

	window_check_row(fcinfo, rule_settle.function, SETTLE_HINT);
	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	st = (SettleState *) PG_GETARG_POINTER(0);
	if (st->row_null)
		PG_RETURN_NULL();
	values[0] = bf_fen_to_datum(st->reduction);
	values[1] = bf_fen_to_datum(st->relief);
	values[2] = bf_fen_to_datum(st->cost - st->reduction - st->relief);
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(bf_rule_result_desc(fcinfo, bf_rule_cache(fcinfo, NULL, 0)),
													  values, nulls)));
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
} CappedCache;

typedef struct CappedState
{
	RunClock	clock;
	int64		used;			/* in ledger units, signed by direction */
	bool		row_null;
	int64		result;			/* the current row's: fen, or a count */
	bool		count;			/* result is a count */
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
 * Transition: the row entering the frame takes what it may of the limit.
 * Arguments: limit_name, amount, on_date, then optionally used_before (what
 * the subject used in the period before its first row here, as
 * bangfu.limit_used reports it), then optionally a scenario.
 *
 * Money limits give the amount cut to what remains of the cap; count limits
 * (months) the count cut the same way; rows limits (one grant a year) the
 * row's amount whole while the period has a row left, else 0.  A balance
 * (direction -1, fund_balance) lets every credit through and cuts a
 * disbursement (a negative amount) to the balance.
 */
PG_FUNCTION_INFO_V1(bf_capped_step);
Datum
bf_capped_step(PG_FUNCTION_ARGS)
{
	int			nargs = PG_NARGS();
	CappedState *st;
	CappedCache *cc = (CappedCache *) fcinfo->flinfo->fn_extra;
	text	   *name_t;
	const char *scenario = NULL;
	DateADT		on_date;
	int64		amount;
	int64		want;
	int64		room;
	int			i;

	if (PG_ARGISNULL(0))
	{
		MemoryContext aggcxt = window_context(fcinfo, "bangfu.capped", CAPPED_HINT);

		st = MemoryContextAllocZero(aggcxt, sizeof(CappedState));
	}
	else
		st = (CappedState *) PG_GETARG_POINTER(0);

	/* a row with a NULL gets NULL and counts for nothing */
	st->row_null = true;
	for (i = 1; i < nargs; i++)
		if (PG_ARGISNULL(i))
			PG_RETURN_POINTER(st);

	name_t = PG_GETARG_TEXT_PP(1);
	if (cc == NULL)
		cc = fcinfo->flinfo->fn_extra =
			MemoryContextAllocZero(fcinfo->flinfo->fn_mcxt, sizeof(CappedCache));
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
	if (nargs == 6)
		scenario = bf_rule_scenario(fcinfo, &cc->rc, 5);

	amount = capped_amount(cc, PG_GETARG_DATUM(2), "amount", cc->direction < 0,
						   cc->unit == 'c');
	on_date = PG_GETARG_DATEADT(3);
	if (clock_advance(&st->clock, on_date, cc->yearly, "on_date", &cc->rule, CAPPED_HINT))
	{
		/* a new period: a new year of a yearly limit, or the first row */
		strlcpy(st->limit, cc->name, sizeof st->limit);
		st->used = nargs >= 5
			? capped_amount(cc, PG_GETARG_DATUM(4), "used_before", cc->direction < 0,
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
	st->result = cc->unit == 'r' ? (want > 0 ? amount : 0) : want * cc->direction;
	st->count = cc->unit == 'c';
	st->row_null = false;
	PG_RETURN_POINTER(st);
}

/* Final: what the current row gets, in yuan or as a count (not changed). */
PG_FUNCTION_INFO_V1(bf_capped_final);
Datum
bf_capped_final(PG_FUNCTION_ARGS)
{
	CappedState *st;

	window_check_row(fcinfo, "bangfu.capped", CAPPED_HINT);
	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	st = (CappedState *) PG_GETARG_POINTER(0);
	if (st->row_null)
		PG_RETURN_NULL();
	if (st->count)
		PG_RETURN_DATUM(DirectFunctionCall1(int8_numeric, Int64GetDatum(st->result)));
	PG_RETURN_DATUM(bf_fen_to_datum(st->result));
}
