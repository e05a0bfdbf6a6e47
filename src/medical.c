/*
 * medical.c
 *		四 medical relief: the charity-bed reduction (四(1)), the serious-
 *		illness relief (四(2)) and both together, in the spec's order.
 *
 * All figures come from the policy store for the date of the stay; the
 * functions only combine them:
 *
 *	reduction = min(charity-bed schedule (with its per-stay cap) of cost,
 *					what remains of the yearly cap after reduced_this_year)
 *	relief    = min(serious-illness schedule of what the patient still owes,
 *					what remains of its yearly cap after relieved_this_year)
 *
 * and the caseload aggregates medical_reduction_total and
 * illness_relief_total, which carry the year's use from stay to stay.  Its
 * SQL is src/medical.sql; the window functions over a caseload are
 * src/settle.c.
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "fmgr.h"
#include "funcapi.h"
#include "nodes/primnodes.h"
#include "nodes/pg_list.h"
#include "lib/stringinfo.h"
#include "utils/builtins.h"
#include "utils/date.h"
#include "utils/datetime.h"

#include "medical.h"
#include "rules.h"

static const BfRule rule_bed = {"bangfu.medical_reduction", BF_N("四(1) charity-bed reduction")};
static const BfRule rule_ill = {"bangfu.illness_relief", BF_N("四(2) serious-illness relief")};
static const BfRule rule_settle = {"bangfu.medical_settlement", BF_N("四 medical relief")};

typedef struct MedicalCache
{
	BfParamRef	bed;
	BfParamRef	bed_cap;
	BfParamRef	ill;
	BfParamRef	ill_cap;
	TupleDesc	settle_desc;
	/* arguments that are the same on every row (a constant or the default) */
	int8		arg_state[4];	/* 0 not looked at, 1 constant, 2 varies */
	int64		arg_fen[4];
} MedicalCache;

/*
 * Is an argument a plain constant in the calling expression?  Not
 * get_fn_expr_arg_stable(): it also accepts parameters, and PL/pgSQL keeps
 * the same expression (and fn_extra) while a variable's value changes.
 */
static bool
arg_is_const(FmgrInfo *flinfo, int argno)
{
	Node	   *expr = flinfo->fn_expr;
	List	   *args;

	if (expr == NULL)
		return false;
	if (IsA(expr, FuncExpr))
		args = ((FuncExpr *) expr)->args;
	else
		return false;
	if (argno < 0 || argno >= list_length(args))
		return false;
	return IsA(list_nth(args, argno), Const);
}

/*
 * An amount argument in fen.  One that is a constant for the whole query,
 * such as the default 0 of reduced_this_year, is read once.
 */
static inline int64
amount_arg(FunctionCallInfo fcinfo, MedicalCache *mc, int argno,
		   const char *argname, const BfRule *rule)
{
	if (likely(mc->arg_state[argno] == 1))
		return mc->arg_fen[argno];
	if (mc->arg_state[argno] == 0)
	{
		mc->arg_state[argno] = arg_is_const(fcinfo->flinfo, argno) ? 1 : 2;
		if (mc->arg_state[argno] == 1)
		{
			mc->arg_fen[argno] = bf_datum_to_fen(PG_GETARG_DATUM(argno), argname, rule);
			return mc->arg_fen[argno];
		}
	}
	return bf_datum_to_fen(PG_GETARG_DATUM(argno), argname, rule);
}

/* What one rule gave for one stay, with every step kept for explain. */
typedef struct MedicalStep
{
	const BfPolicyValue *schedule;
	const BfPolicyValue *yearly_cap;
	int64		base;			/* the amount the schedule was applied to */
	bf_apply_result r;
	int64		used;
	int64		remaining;
	bool		year_capped;
	int64		value;
} MedicalStep;

static MedicalCache *
medical_cache(FunctionCallInfo fcinfo)
{
	MedicalCache *mc = (MedicalCache *) fcinfo->flinfo->fn_extra;

	if (mc == NULL)
	{
		mc = MemoryContextAllocZero(fcinfo->flinfo->fn_mcxt, sizeof(MedicalCache));
		bf_param_ref_init(&mc->bed, "medical.charity_bed");
		bf_param_ref_init(&mc->bed_cap, "medical.charity_bed.yearly_cap");
		bf_param_ref_init(&mc->ill, "medical.serious_illness");
		bf_param_ref_init(&mc->ill_cap, "medical.serious_illness.yearly_cap");
		fcinfo->flinfo->fn_extra = mc;
	}
	return mc;
}

/* The optional scenario argument at position argno, or NULL. */
static const char *
scenario_arg(FunctionCallInfo fcinfo, int argno)
{
	if (PG_NARGS() > argno)
	{
		char	   *scenario = text_to_cstring(PG_GETARG_TEXT_PP(argno));

		/* an unknown name is refused naming the function (rules.c) */
		bf_rule_scenario_check(fcinfo, scenario);
		return scenario;
	}
	return NULL;
}

static void
medical_step(BfParamRef *sched_ref, BfParamRef *cap_ref, const char *scenario,
			 int64 base, DateADT on_date, int64 used, const char *argname,
			 const BfRule *rule, MedicalStep *s)
{
	s->schedule = bf_policy_get(sched_ref, scenario, on_date, BF_KIND_TIERS);
	s->yearly_cap = bf_policy_get(cap_ref, scenario, on_date, BF_KIND_AMOUNT);
	s->base = base;
	bf_tiers_apply_checked(s->schedule->tiers, base, &s->r, argname, rule);
	s->used = used;
	s->remaining = used >= s->yearly_cap->amount ? 0 : s->yearly_cap->amount - used;
	s->year_capped = s->r.value > s->remaining;
	s->value = s->year_capped ? s->remaining : s->r.value;
}

/*
 * Read the arguments of medical_reduction (bed) or illness_relief and apply
 * the rule; the explain twins use the same path.
 */
static void
medical_one(FunctionCallInfo fcinfo, bool bed, MedicalStep *s, const char **scenario)
{
	MedicalCache *mc = medical_cache(fcinfo);
	const BfRule *rule = bed ? &rule_bed : &rule_ill;
	const char *argname = bed ? "cost" : "own_share";
	int64		amount = bf_datum_to_fen(PG_GETARG_DATUM(0), argname, rule);
	int64		used = amount_arg(fcinfo, mc, 2,
								  bed ? "reduced_this_year" : "relieved_this_year", rule);

	*scenario = scenario_arg(fcinfo, 3);
	medical_step(bed ? &mc->bed : &mc->ill, bed ? &mc->bed_cap : &mc->ill_cap,
				 *scenario, amount, PG_GETARG_DATEADT(1), used, argname, rule, s);
}

/* 四(1): the charity-bed reduction of one stay. */
PG_FUNCTION_INFO_V1(bf_medical_reduction);
Datum
bf_medical_reduction(PG_FUNCTION_ARGS)
{
	MedicalStep s;
	const char *scenario;

	medical_one(fcinfo, true, &s, &scenario);
	PG_RETURN_DATUM(bf_fen_to_datum(s.value));
}

/* 四(2): the serious-illness relief of one stay's own share. */
PG_FUNCTION_INFO_V1(bf_illness_relief);
Datum
bf_illness_relief(PG_FUNCTION_ARGS)
{
	MedicalStep s;
	const char *scenario;

	medical_one(fcinfo, false, &s, &scenario);
	PG_RETURN_DATUM(bf_fen_to_datum(s.value));
}

/* 四: both rules on one stay, reduction first, relief on what is still owed. */
PG_FUNCTION_INFO_V1(bf_medical_settlement);
Datum
bf_medical_settlement(PG_FUNCTION_ARGS)
{
	MedicalCache *mc = medical_cache(fcinfo);
	int64		cost = bf_datum_to_fen(PG_GETARG_DATUM(0), "cost", &rule_settle);
	DateADT		on_date = PG_GETARG_DATEADT(1);
	int64		reduced = amount_arg(fcinfo, mc, 2, "reduced_this_year", &rule_settle);
	int64		relieved = amount_arg(fcinfo, mc, 3, "relieved_this_year", &rule_settle);
	const char *scenario = scenario_arg(fcinfo, 4);
	MedicalStep bed,
				ill;
	Datum		values[3];
	bool		nulls[3] = {false, false, false};

	if (mc->settle_desc == NULL)
	{
		TupleDesc	desc;
		MemoryContext old;

		if (get_call_result_type(fcinfo, NULL, &desc) != TYPEFUNC_COMPOSITE)
			elog(ERROR, "medical_settlement must return a composite type");
		old = MemoryContextSwitchTo(fcinfo->flinfo->fn_mcxt);
		mc->settle_desc = BlessTupleDesc(CreateTupleDescCopy(desc));
		MemoryContextSwitchTo(old);
	}
	medical_step(&mc->bed, &mc->bed_cap, scenario, cost, on_date, reduced,
				 "cost", &rule_settle, &bed);
	medical_step(&mc->ill, &mc->ill_cap, scenario, cost - bed.value, on_date,
				 relieved, "cost after the reduction", &rule_settle, &ill);
	values[0] = bf_fen_to_datum(bed.value);
	values[1] = bf_fen_to_datum(ill.value);
	values[2] = bf_fen_to_datum(cost - bed.value - ill.value);
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(mc->settle_desc, values, nulls)));
}

static Datum
medical_explain(FunctionCallInfo fcinfo, bool bed)
{
	MedicalCache *mc = medical_cache(fcinfo);
	const BfRule *rule = bed ? &rule_bed : &rule_ill;
	DateADT		on_date = PG_GETARG_DATEADT(1);
	const char *scenario;
	MedicalStep s;
	StringInfoData buf;

	medical_one(fcinfo, bed, &s, &scenario);

	initStringInfo(&buf);
	appendStringInfoChar(&buf, '{');
	bf_json_str(&buf, "rule", bf_rule_clause(rule));
	bf_json_str(&buf, "function", rule->function);
	bf_json_str(&buf, "on_date", bf_date_cstring(on_date));
	bf_json_str(&buf, "scenario", scenario);
	bf_json_str(&buf, "param", bed ? mc->bed.name : mc->ill.name);
	bf_json_str(&buf, "policy_valid_from", bf_date_cstring(s.schedule->valid_from));
	bf_json_str(&buf, "schedule", bf_tiers_cstring(s.schedule->tiers));
	bf_tiers_explain_members(&buf, s.schedule->tiers, s.base, &s.r);
	bf_json_fen(&buf, "yearly_cap", s.yearly_cap->amount);
	bf_json_str(&buf, "yearly_cap_valid_from", bf_date_cstring(s.yearly_cap->valid_from));
	bf_json_fen(&buf, "used_this_year", s.used);
	bf_json_fen(&buf, "remaining_this_year", s.remaining);
	appendStringInfo(&buf, ", \"yearly_cap_applied\": %s", s.year_capped ? "true" : "false");
	bf_json_str(&buf, "capped_by", s.year_capped ? "yearly cap" :
				(s.r.capped ? (bed ? "per-stay cap" : "cap") : NULL));
	bf_json_fen(&buf, "result", s.value);
	PG_RETURN_DATUM(bf_json_finish(&buf));
}

/* 四(1) step by step, for auditors. */
PG_FUNCTION_INFO_V1(bf_medical_reduction_explain);
Datum
bf_medical_reduction_explain(PG_FUNCTION_ARGS)
{
	return medical_explain(fcinfo, true);
}

/* 四(2) step by step, for auditors. */
PG_FUNCTION_INFO_V1(bf_illness_relief_explain);
Datum
bf_illness_relief_explain(PG_FUNCTION_ARGS)
{
	return medical_explain(fcinfo, false);
}

/* ------------------------------------------------------------------------
 * For the caseload window functions (settle.c): the settlement's arithmetic
 * without the call-site cache, so that one stay is settled the same way
 * whichever function asks.
 * ------------------------------------------------------------------------
 */

const char *const bf_medical_params[BF_MEDICAL_NPARAMS] = {
	"medical.charity_bed", "medical.charity_bed.yearly_cap",
	"medical.serious_illness", "medical.serious_illness.yearly_cap"
};

void
bf_medical_settle_fen(BfParamRef *refs, const char *scenario, int64 cost,
					  DateADT on_date, int64 reduced, int64 relieved,
					  const char *argname_cost, const BfRule *rule,
					  int64 *reduction, int64 *relief)
{
	MedicalStep bed,
				ill;

	/* 四: the reduction first, the relief on what the patient still owes */
	medical_step(&refs[0], &refs[1], scenario, cost, on_date, reduced,
				 argname_cost, rule, &bed);
	medical_step(&refs[2], &refs[3], scenario, cost - bed.value, on_date,
				 relieved, "cost after the reduction", rule, &ill);
	*reduction = bed.value;
	*relief = ill.value;
}

/* ------------------------------------------------------------------------
 * Caseload aggregates for 四: the yearly caps applied stay after stay.
 *
 *	SELECT patient, bangfu.medical_reduction_total(cost, discharged ORDER BY discharged)
 *	  FROM stays GROUP BY patient;
 *
 * gives what medical_reduction() gives stay by stay, with reduced_this_year
 * carried from one stay to the next and set back to 0 when the calendar year
 * changes, summed.  The caps come from the policy in force on each stay's
 * date, or from a scenario, so that a whole caseload can be re-computed
 * under a proposal in one statement.  The rows must come in date order (the
 * ORDER BY in the call); a date earlier than the previous one is an error.
 * ------------------------------------------------------------------------
 */

static const BfRule rule_bed_total = {"bangfu.medical_reduction_total", BF_N("四(1) charity-bed reduction")};
static const BfRule rule_ill_total = {"bangfu.illness_relief_total", BF_N("四(2) serious-illness relief")};

static const char *const bed_params[] = {"medical.charity_bed", "medical.charity_bed.yearly_cap"};
static const char *const ill_params[] = {"medical.serious_illness", "medical.serious_illness.yearly_cap"};

/* The transition state: no numeric, only fen. */
typedef struct CapTotalState
{
	int64		total;			/* everything given so far */
	int64		used;			/* given in the current year */
	int			year;
	DateADT		last;			/* date of the previous row */
	bool		any;
} CapTotalState;

static Datum
cap_total_step(FunctionCallInfo fcinfo, const char *const *params,
			   const char *argname, const BfRule *rule)
{
	MemoryContext aggcxt;
	CapTotalState *st;
	BfRuleCache *rc;
	const char *scenario;
	int64		amount;
	DateADT		on_date;
	const BfPolicyValue *sched;
	const BfPolicyValue *cap;
	bf_apply_result r;
	int64		remaining;
	int64		value;
	int			y,
				m,
				d;

	if (!AggCheckCallContext(fcinfo, &aggcxt))
		elog(ERROR, "%s called in non-aggregate context", rule->function);
	st = PG_ARGISNULL(0) ? NULL : (CapTotalState *) PG_GETARG_POINTER(0);

	/* rows with a NULL are left out, as sum() leaves them out */
	if (PG_ARGISNULL(1) || PG_ARGISNULL(2) || (PG_NARGS() > 3 && PG_ARGISNULL(3)))
	{
		if (st == NULL)
			PG_RETURN_NULL();
		PG_RETURN_POINTER(st);
	}
	rc = bf_rule_cache(fcinfo, params, 2);
	scenario = bf_rule_scenario(fcinfo, rc, 3);
	amount = bf_datum_to_fen(PG_GETARG_DATUM(1), argname, rule);
	on_date = PG_GETARG_DATEADT(2);
	if (DATE_NOT_FINITE(on_date))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("on_date %s is not a calendar date", bf_date_cstring(on_date)),
				 errdetail("Rule: %s (%s).", rule->function, bf_rule_clause_msg(rule))));
	if (st == NULL)
	{
		st = MemoryContextAllocZero(aggcxt, sizeof(CapTotalState));
		st->any = false;
	}
	else if (on_date < st->last)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("on_date %s comes before the previous row's %s",
						bf_date_cstring(on_date), bf_date_cstring(st->last)),
				 errdetail("Rule: %s (%s): the yearly cap is applied stay after stay, in date order.",
						   rule->function, bf_rule_clause_msg(rule)),
				 errhint("Call it with ORDER BY the date: %s(%s, on_date ORDER BY on_date).",
						 rule->function, argname)));

	j2date(on_date + POSTGRES_EPOCH_JDATE, &y, &m, &d);
	if (!st->any || y != st->year)
	{
		st->year = y;
		st->used = 0;
	}
	sched = bf_policy_get(&rc->refs[0], scenario, on_date, BF_KIND_TIERS);
	cap = bf_policy_get(&rc->refs[1], scenario, on_date, BF_KIND_AMOUNT);
	bf_tiers_apply_checked(sched->tiers, amount, &r, argname, rule);
	remaining = st->used >= cap->amount ? 0 : cap->amount - st->used;
	value = r.value > remaining ? remaining : r.value;
	st->used += value;
	st->total += value;
	st->last = on_date;
	st->any = true;
	PG_RETURN_POINTER(st);
}

/* 四(1) over a patient's stays: transition. */
PG_FUNCTION_INFO_V1(bf_medical_reduction_total_step);
Datum
bf_medical_reduction_total_step(PG_FUNCTION_ARGS)
{
	return cap_total_step(fcinfo, bed_params, "cost", &rule_bed_total);
}

/* 四(2) over a patient's stays: transition. */
PG_FUNCTION_INFO_V1(bf_illness_relief_total_step);
Datum
bf_illness_relief_total_step(PG_FUNCTION_ARGS)
{
	return cap_total_step(fcinfo, ill_params, "own_share", &rule_ill_total);
}

/* Both aggregates: the total, in yuan (NULL when no row counted). */
PG_FUNCTION_INFO_V1(bf_cap_total_final);
Datum
bf_cap_total_final(PG_FUNCTION_ARGS)
{
	CapTotalState *st;

	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	st = (CapTotalState *) PG_GETARG_POINTER(0);
	PG_RETURN_DATUM(bf_fen_to_datum(st->total));
}
