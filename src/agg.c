/*
 * agg.c
 *		Caseload aggregates for 四: the yearly caps applied stay after stay.
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
 */
#include "postgres.h"

#include "fmgr.h"
#include "utils/builtins.h"
#include "utils/date.h"
#include "utils/datetime.h"

#include "rules.h"

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
