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
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "fmgr.h"
#include "funcapi.h"
#include "nodes/primnodes.h"
#include "nodes/pg_list.h"
#include "lib/stringinfo.h"
#include "utils/builtins.h"

#include "medical.h"
#include "policy.h"
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
