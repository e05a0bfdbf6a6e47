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
#include "utils/builtins.h"

#include "medical.h"
#include "rules.h"

static const BfRule rule_bed = {"bangfu.medical_reduction", BF_N("四(1) charity-bed reduction")};
static const BfRule rule_ill = {"bangfu.illness_relief", BF_N("四(2) serious-illness relief")};
static const BfRule rule_settle = {"bangfu.medical_settlement", BF_N("四 medical relief")};

/*
 * The policy parameters of 四, as refs[] of a call site's cache holds them:
 * each rule's schedule and then its yearly cap.
 */
const char *const bf_medical_params[BF_MEDICAL_NPARAMS] = {
	"medical.charity_bed", "medical.charity_bed.yearly_cap",
	"medical.serious_illness", "medical.serious_illness.yearly_cap"
};

#define REF_BED		0			/* refs[0], refs[1]: 四(1) */
#define REF_ILL		2			/* refs[2], refs[3]: 四(2) */

/*
 * Read the arguments of medical_reduction (bed) or illness_relief, and apply
 * the rule: its schedule, then its yearly cap.  The explain twins use the
 * same path.
 */
static BfRuleCache *
medical_one(FunctionCallInfo fcinfo, bool bed, BfCappedStep *s, const char **scenario)
{
	BfRuleCache *rc = bf_rule_cache(fcinfo, bf_medical_params, BF_MEDICAL_NPARAMS);
	const BfRule *rule = bed ? &rule_bed : &rule_ill;
	const char *argname = bed ? "cost" : "own_share";
	int64		amount = bf_datum_to_fen(PG_GETARG_DATUM(0), argname, rule);
	int64		used = bf_rule_amount_arg(fcinfo, rc, 2,
										  bed ? "reduced_this_year" : "relieved_this_year", rule);
	int			ref = bed ? REF_BED : REF_ILL;

	*scenario = bf_rule_scenario(fcinfo, rc, 3);
	bf_rule_capped_step(&rc->refs[ref], &rc->refs[ref + 1], *scenario, amount,
						PG_GETARG_DATEADT(1), used, argname, rule, s);
	return rc;
}

/* 四(1): the charity-bed reduction of one stay. */
PG_FUNCTION_INFO_V1(bf_medical_reduction);
Datum
bf_medical_reduction(PG_FUNCTION_ARGS)
{
	BfCappedStep s;
	const char *scenario;

	medical_one(fcinfo, true, &s, &scenario);
	PG_RETURN_DATUM(bf_fen_to_datum(s.value));
}

/* 四(2): the serious-illness relief of one stay's own share. */
PG_FUNCTION_INFO_V1(bf_illness_relief);
Datum
bf_illness_relief(PG_FUNCTION_ARGS)
{
	BfCappedStep s;
	const char *scenario;

	medical_one(fcinfo, false, &s, &scenario);
	PG_RETURN_DATUM(bf_fen_to_datum(s.value));
}

/* 四: both rules on one stay, reduction first, relief on what is still owed. */
PG_FUNCTION_INFO_V1(bf_medical_settlement);
Datum
bf_medical_settlement(PG_FUNCTION_ARGS)
{
	BfRuleCache *rc = bf_rule_cache(fcinfo, bf_medical_params, BF_MEDICAL_NPARAMS);
	int64		cost = bf_datum_to_fen(PG_GETARG_DATUM(0), "cost", &rule_settle);
	DateADT		on_date = PG_GETARG_DATEADT(1);
	int64		reduced = bf_rule_amount_arg(fcinfo, rc, 2, "reduced_this_year", &rule_settle);
	int64		relieved = bf_rule_amount_arg(fcinfo, rc, 3, "relieved_this_year", &rule_settle);
	const char *scenario = bf_rule_scenario(fcinfo, rc, 4);
	TupleDesc	desc = bf_rule_result_desc(fcinfo, rc);
	int64		reduction,
				relief;
	Datum		values[3];
	bool		nulls[3] = {false, false, false};

	bf_medical_settle_fen(rc->refs, scenario, cost, on_date, reduced, relieved,
						  "cost", &rule_settle, &reduction, &relief);
	values[0] = bf_fen_to_datum(reduction);
	values[1] = bf_fen_to_datum(relief);
	values[2] = bf_fen_to_datum(cost - reduction - relief);
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(desc, values, nulls)));
}

static Datum
medical_explain(FunctionCallInfo fcinfo, bool bed)
{
	const char *scenario;
	BfCappedStep s;
	BfRuleCache *rc = medical_one(fcinfo, bed, &s, &scenario);
	int			ref = bed ? REF_BED : REF_ILL;
	BfExplain	e;

	bf_explain_begin(&e, bed ? &rule_bed : &rule_ill, scenario);
	bf_json_date(&e.buf, "on_date", PG_GETARG_DATEADT(1));
	bf_explain_capped_step(&e, &rc->refs[ref], &rc->refs[ref + 1], &s,
						   bed ? "per-stay cap" : "cap");
	return bf_explain_finish(&e);
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

/*
 * 四 on one stay in fen, for bangfu.medical_settlement and the caseload
 * window function (settle.c), so that a stay is settled the same way
 * whichever function asks.
 */
void
bf_medical_settle_fen(BfParamRef *refs, const char *scenario, int64 cost,
					  DateADT on_date, int64 reduced, int64 relieved,
					  const char *argname_cost, const BfRule *rule,
					  int64 *reduction, int64 *relief)
{
	BfCappedStep bed,
				ill;

	/* 四: the reduction first, the relief on what the patient still owes */
	bf_rule_capped_step(&refs[REF_BED], &refs[REF_BED + 1], scenario, cost, on_date,
						reduced, argname_cost, rule, &bed);
	bf_rule_capped_step(&refs[REF_ILL], &refs[REF_ILL + 1], scenario, cost - bed.value,
						on_date, relieved, "cost after the reduction", rule, &ill);
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
cap_total_step(FunctionCallInfo fcinfo, int ref, const char *argname, const BfRule *rule)
{
	MemoryContext aggcxt;
	CapTotalState *st;
	BfRuleCache *rc;
	const char *scenario;
	int64		amount;
	DateADT		on_date;
	BfCappedStep s;
	int			year;

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
	rc = bf_rule_cache(fcinfo, bf_medical_params, BF_MEDICAL_NPARAMS);
	scenario = bf_rule_scenario(fcinfo, rc, 3);
	amount = bf_datum_to_fen(PG_GETARG_DATUM(1), argname, rule);
	on_date = PG_GETARG_DATEADT(2);
	bf_rule_check_date(on_date, "on_date", rule);
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

	/* 四(1), 四(2): the yearly cap starts again each calendar year */
	year = bf_date_year(on_date);
	if (!st->any || year != st->year)
	{
		st->year = year;
		st->used = 0;
	}
	bf_rule_capped_step(&rc->refs[ref], &rc->refs[ref + 1], scenario, amount, on_date,
						st->used, argname, rule, &s);
	st->used += s.value;
	st->total += s.value;
	st->last = on_date;
	st->any = true;
	PG_RETURN_POINTER(st);
}

/* 四(1) over a patient's stays: transition. */
PG_FUNCTION_INFO_V1(bf_medical_reduction_total_step);
Datum
bf_medical_reduction_total_step(PG_FUNCTION_ARGS)
{
	return cap_total_step(fcinfo, REF_BED, "cost", &rule_bed_total);
}

/* 四(2) over a patient's stays: transition. */
PG_FUNCTION_INFO_V1(bf_illness_relief_total_step);
Datum
bf_illness_relief_total_step(PG_FUNCTION_ARGS)
{
	return cap_total_step(fcinfo, REF_ILL, "own_share", &rule_ill_total);
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
