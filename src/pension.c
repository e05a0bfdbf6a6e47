/*
 * pension.c
 *		五 pension subsidy for the flexibly employed: pension.subsidy_rate of
 *		what was paid, pro rata for the months left of pension.max_months.
 *		Its SQL is src/pension.sql.
 */
#include "postgres.h"

#include "utils/builtins.h"

#include "rules.h"

static const BfRule rule_pension = {"bangfu.pension_subsidy", BF_N("五 pension subsidy for the flexibly employed")};

static const char *const pension_params[] = {"pension.subsidy_rate", "pension.max_months"};

typedef struct PensionResult
{
	int64		paid;
	const BfPolicyValue *rate;
	const BfPolicyValue *max_months;
	bf_apply_result r;			/* the schedule on the whole payment */
	int64		months;
	int64		before;
	int64		remaining;
	int64		covered;
	bf_i128		exact_num;		/* pro rata, in fen */
	bf_i128		exact_den;
	int64		uncapped;
	bool		capped;
	int64		value;
} PensionResult;

/*
 * The subsidy of a payment covering `months` months, of which `covered`
 * are within the limit: the schedule's exact value times covered/months,
 * rounded once, then the schedule's cap if it has one.
 */
static void
pension_compute(FunctionCallInfo fcinfo, BfRuleCache *rc, bool pro_rata,
				PensionResult *p, const char **scenp, DateADT *datep)
{
	int			date_arg = pro_rata ? 3 : 1;
	DateADT		on_date = BF_RULE_DATE(date_arg);
	const char *scenario = bf_rule_scenario(fcinfo, rc, date_arg + 1);
	const bf_tiers *t;

	p->paid = bf_datum_to_fen(PG_GETARG_DATUM(0), "paid", &rule_pension);
	p->rate = bf_policy_get(&rc->refs[0], scenario, on_date, BF_KIND_TIERS);
	t = p->rate->tiers;
	bf_tiers_apply_checked(t, p->paid, &p->r, "paid", &rule_pension);
	p->max_months = NULL;
	if (!pro_rata)
	{
		p->months = p->covered = 1;
		p->before = 0;
		p->remaining = 0;
		p->exact_num = p->r.exact_num;
		p->exact_den = p->r.exact_den;
		p->uncapped = p->r.uncapped;
		p->capped = p->r.capped;
		p->value = p->r.value;
	}
	else
	{
		int64		maxm;

		p->months = PG_GETARG_INT32(1);
		p->before = PG_GETARG_INT32(2);
		if (p->months <= 0)
			bf_rule_error(ERRCODE_INVALID_PARAMETER_VALUE, &rule_pension,
					   "A payment covers at least one month.",
					   "months %lld must be positive", (long long) p->months);
		if (p->before < 0)
			bf_rule_error(ERRCODE_INVALID_PARAMETER_VALUE, &rule_pension, NULL,
					   "months_subsidised_before %lld is negative", (long long) p->before);
		p->max_months = bf_policy_get(&rc->refs[1], scenario, on_date, BF_KIND_COUNT);
		maxm = bf_rule_count_param(p->max_months, pension_params[1], &rule_pension, 0);
		p->remaining = p->before >= maxm ? 0 : maxm - p->before;
		p->covered = Min(p->months, p->remaining);
		p->exact_num = bf_rule_mul128(p->r.exact_num, p->covered, &rule_pension);
		p->exact_den = bf_rule_mul128(p->r.exact_den, p->months, &rule_pension);
		p->uncapped = bf_round_half_away(p->exact_num, p->exact_den);
		p->capped = t->cap >= 0 && p->uncapped > t->cap;
		p->value = p->capped ? t->cap : p->uncapped;
	}
	*scenp = scenario;
	*datep = on_date;
}

static Datum
pension_common(FunctionCallInfo fcinfo, bool pro_rata, bool explain)
{
	BfRuleCache *rc = bf_rule_cache(fcinfo, pension_params, 2);
	PensionResult p;
	const char *scenario;
	DateADT		on_date;
	BfExplain	e;

	pension_compute(fcinfo, rc, pro_rata, &p, &scenario, &on_date);
	if (!explain)
		return bf_fen_to_datum(p.value);

	bf_explain_begin(&e, &rule_pension, scenario);
	bf_json_date(&e.buf, "on_date", on_date);
	bf_json_fen(&e.buf, "paid", p.paid);
	bf_json_applied(&e.buf, "schedule_on_paid", p.rate->tiers, p.paid, &p.r);
	if (pro_rata)
	{
		bf_json_int(&e.buf, "months", p.months);
		bf_json_int(&e.buf, "months_subsidised_before", p.before);
		bf_json_int(&e.buf, "max_months", p.max_months->amount);
		bf_json_int(&e.buf, "months_remaining", p.remaining);
		bf_json_int(&e.buf, "months_covered", p.covered);
		bf_json_str(&e.buf, "pro_rata", psprintf("%lld/%lld", (long long) p.covered,
												 (long long) p.months));
	}
	bf_json_exact(&e.buf, "exact", p.exact_num, p.exact_den);
	bf_json_fen(&e.buf, "rounded", p.uncapped);
	bf_json_bool(&e.buf, "cap_applied", p.capped);
	bf_json_fen(&e.buf, "result", p.value);
	bf_explain_policy(&e, pension_params[0], p.rate);
	if (pro_rata)
		bf_explain_policy(&e, pension_params[1], p.max_months);
	return bf_explain_finish(&e);
}

/* 五: the subsidy of one pension payment (2/3 of what was paid). */
PG_FUNCTION_INFO_V1(bf_pension_subsidy);
Datum
bf_pension_subsidy(PG_FUNCTION_ARGS)
{
	PG_RETURN_DATUM(pension_common(fcinfo, false, false));
}

/* 五: the same, pro rata for the months still inside the 36-month limit. */
PG_FUNCTION_INFO_V1(bf_pension_subsidy_months);
Datum
bf_pension_subsidy_months(PG_FUNCTION_ARGS)
{
	PG_RETURN_DATUM(pension_common(fcinfo, true, false));
}

/* 五 step by step. */
PG_FUNCTION_INFO_V1(bf_pension_subsidy_explain);
Datum
bf_pension_subsidy_explain(PG_FUNCTION_ARGS)
{
	PG_RETURN_DATUM(pension_common(fcinfo, false, true));
}

/* 五 pro rata, step by step. */
PG_FUNCTION_INFO_V1(bf_pension_subsidy_months_explain);
Datum
bf_pension_subsidy_months_explain(PG_FUNCTION_ARGS)
{
	PG_RETURN_DATUM(pension_common(fcinfo, true, true));
}
