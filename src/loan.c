/*
 * loan.c
 *		八(2) guaranteed small loans for employers of hardship workers:
 *		enterprise_loan_quota (loan.per_hire * hires when hires >=
 *		loan.min_hires and hires / staff >= loan.min_share) and the interest
 *		the enterprise fund pays, principal * rate * days / loan.day_count
 *		over the first loan.interest_years years (to the anniversary; of 29
 *		February, 1 March).  Its SQL is src/loan.sql.
 */
#include "postgres.h"

#include <ctype.h>

#include "utils/builtins.h"

#include "rules.h"

static const BfRule rule_loanq = {"bangfu.enterprise_loan_quota", BF_N("八(2) loans for employers of hardship workers")};
static const BfRule rule_interest = {"bangfu.loan_interest_subsidy", BF_N("八(2) loan interest subsidy")};

static const char *const loanq_params[] = {"loan.per_hire", "loan.min_hires", "loan.min_share"};

typedef struct LoanQResult
{
	int32		hires;
	int32		staff;
	const BfPolicyValue *per_hire;
	const BfPolicyValue *min_hires;
	const BfPolicyValue *min_share;
	int64		snum,
				sden;
	bool		enough_hires;
	bool		enough_share;
	bf_i128		value;
} LoanQResult;

static void
loanq_compute(FunctionCallInfo fcinfo, BfRuleCache *rc, LoanQResult *q,
			  const char **scenp, DateADT *datep)
{
	DateADT		on_date = BF_RULE_DATE(2);
	const char *scenario = bf_rule_scenario(fcinfo, rc, 3);

	q->hires = PG_GETARG_INT32(0);
	q->staff = PG_GETARG_INT32(1);
	if (q->hires < 0)
		bf_rule_error(ERRCODE_INVALID_PARAMETER_VALUE, &rule_loanq, NULL,
				   "hardship_hires %d is negative", q->hires);
	if (q->staff < 0)
		bf_rule_error(ERRCODE_INVALID_PARAMETER_VALUE, &rule_loanq, NULL,
				   "total_staff %d is negative", q->staff);
	if (q->hires > q->staff)
		bf_rule_error(ERRCODE_INVALID_PARAMETER_VALUE, &rule_loanq,
				   "total_staff counts every employee, the hardship hires included.",
				   "hardship_hires %d exceeds total_staff %d", q->hires, q->staff);
	q->per_hire = bf_policy_get(&rc->refs[0], scenario, on_date, BF_KIND_AMOUNT);
	q->min_hires = bf_policy_get(&rc->refs[1], scenario, on_date, BF_KIND_COUNT);
	q->min_share = bf_policy_get(&rc->refs[2], scenario, on_date, BF_KIND_TIERS);
	bf_rule_single_rate(q->min_share, loanq_params[2], &rule_loanq, &q->snum, &q->sden);
	q->enough_hires = q->hires >= q->min_hires->amount;
	/* hires / staff >= num / den, exactly: hires * den >= num * staff */
	q->enough_share = (bf_i128) q->hires * q->sden >= (bf_i128) q->snum * q->staff;
	q->value = (q->enough_hires && q->enough_share) ?
		(bf_i128) q->per_hire->amount * q->hires : 0;
	*scenp = scenario;
	*datep = on_date;
}

/* 八(2): guaranteed small loans for an employer of hardship workers. */
PG_FUNCTION_INFO_V1(bf_enterprise_loan_quota);
Datum
bf_enterprise_loan_quota(PG_FUNCTION_ARGS)
{
	BfRuleCache *rc = bf_rule_cache(fcinfo, loanq_params, 3);
	LoanQResult q;
	const char *scenario;
	DateADT		on_date;

	loanq_compute(fcinfo, rc, &q, &scenario, &on_date);
	PG_RETURN_DATUM(bf_rule_fen_result(q.value, &rule_loanq));
}

/* 八(2) loan quota step by step. */
PG_FUNCTION_INFO_V1(bf_enterprise_loan_quota_explain);
Datum
bf_enterprise_loan_quota_explain(PG_FUNCTION_ARGS)
{
	BfRuleCache *rc = bf_rule_cache(fcinfo, loanq_params, 3);
	LoanQResult q;
	const char *scenario;
	DateADT		on_date;
	BfExplain	e;
	char		rate[64];

	loanq_compute(fcinfo, rc, &q, &scenario, &on_date);
	(void) bf_rule_fen_result(q.value, &rule_loanq);
	bf_explain_begin(&e, &rule_loanq, scenario);
	bf_json_date(&e.buf, "on_date", on_date);
	bf_json_int(&e.buf, "hardship_hires", q.hires);
	bf_json_int(&e.buf, "total_staff", q.staff);
	bf_json_int(&e.buf, "min_hires", q.min_hires->amount);
	bf_json_bool(&e.buf, "enough_hires", q.enough_hires);
	bf_payout_format(&q.min_share->tiers->b[0], rate, sizeof rate);
	bf_json_str(&e.buf, "min_share", rate);
	bf_json_str(&e.buf, "share", q.staff == 0 ? NULL : bf_fraction_cstring(q.hires, q.staff));
	bf_json_bool(&e.buf, "enough_share", q.enough_share);
	bf_json_fen(&e.buf, "per_hire", q.per_hire->amount);
	bf_json_fen(&e.buf, "result", (int64) q.value);
	bf_explain_policy(&e, loanq_params[0], q.per_hire);
	bf_explain_policy(&e, loanq_params[1], q.min_hires);
	bf_explain_policy(&e, loanq_params[2], q.min_share);
	PG_RETURN_DATUM(bf_explain_finish(&e));
}

#define BF_RATE_MAX_DECIMALS 10

/*
 * An annual interest rate, a numeric fraction from 0 to 1 with at most
 * BF_RATE_MAX_DECIMALS decimals, as an exact fraction in lowest terms.  Read
 * from numeric's text, which is always plain decimal notation.
 */
static void
annual_rate(Datum d, int64 *num, int64 *den)
{
	char	   *s = DatumGetCString(DirectFunctionCall1(numeric_out, d));
	const char *p = s;
	int64		ip = 0;
	int64		fp = 0;
	int64		scale = 1;
	int			nf = 0;
	const char *frac;
	int			fl;
	int64		g;

	if (*p == '-')
		bf_rule_error(ERRCODE_INVALID_PARAMETER_VALUE, &rule_interest, NULL,
				   "annual_rate %s is negative", s);
	if (!isdigit((unsigned char) *p))
		bf_rule_error(ERRCODE_INVALID_PARAMETER_VALUE, &rule_interest, NULL,
				   "annual_rate %s is not a rate", s);
	while (isdigit((unsigned char) *p))
	{
		ip = ip * 10 + (*p++ - '0');
		if (ip > 1)
			bf_rule_error(ERRCODE_INVALID_PARAMETER_VALUE, &rule_interest,
					   "annual_rate is a fraction: 4.35% is 0.0435.",
					   "annual_rate %s is above 1", s);
	}
	if (*p == '.')
		p++;
	frac = p;
	fl = strlen(frac);
	while (fl > 0 && frac[fl - 1] == '0')
		fl--;
	if (fl > BF_RATE_MAX_DECIMALS)
		bf_rule_error(ERRCODE_INVALID_PARAMETER_VALUE, &rule_interest,
				   "Round the rate first, e.g. round(annual_rate, 10).",
				   "annual_rate %s has more than %d decimals", s, BF_RATE_MAX_DECIMALS);
	for (nf = 0; nf < fl; nf++)
	{
		fp = fp * 10 + (frac[nf] - '0');
		scale *= 10;
	}
	*num = ip * scale + fp;
	*den = scale;
	if (*num > *den)
		bf_rule_error(ERRCODE_INVALID_PARAMETER_VALUE, &rule_interest,
				   "annual_rate is a fraction: 4.35% is 0.0435.",
				   "annual_rate %s is above 1", s);
	g = *num == 0 ? *den : bf_gcd64(*num, *den);
	*num /= g;
	*den /= g;
}

/*
 * The usual rate read from numeric's stored digits: a short-format value
 * from 0 to 1 with at most BF_RATE_MAX_DECIMALS decimals, as a fraction
 * over a power of 10.  Anything else (and every error) goes to annual_rate.
 */
static bool
quick_rate(Datum d, int64 *num, int64 *den)
{
	const unsigned char *p;
	size_t		len;
	bf_numeric_head h;
	int			weight;
	int			nd;
	int			k;
	int			decimals;
	/* 10000^k: the denominator when the last digit has weight -k */
	static const int64 scale_of_groups[5] = {
		1, 10000, INT64CONST(100000000), INT64CONST(1000000000000), INT64CONST(10000000000000000)
	};
	int64		n = 0;
	int64		scale;
	uint16		dig = 0;

	if (!bf_numeric_body(d, &p, &len) || len > 5 * sizeof(uint16) ||
		!bf_numeric_head_decode(p, len, &h) || !h.is_short || h.negative)
		return false;
	weight = h.weight;
	nd = h.ndigits;
	if (nd == 0)
	{
		*num = 0;
		*den = 1;
		return true;
	}
	/* below 1 (weight < 0), or exactly 1 */
	if (weight > 0 || (weight == 0 && nd != 1) || weight < -3)
		return false;
	for (k = 0; k < nd; k++)
	{
		memcpy(&dig, p + h.hdrlen + k * sizeof(uint16), sizeof dig);
		if (dig > 9999)
			return false;
		n = n * 10000 + dig;
	}
	if (weight == 0)
	{
		if (n != 1)
			return false;
		*num = 1;
		*den = 1;
		return true;
	}
	/* the last digit has weight (weight - nd + 1): 4 decimals per step */
	if (nd - weight - 1 > 4)
		return false;
	scale = scale_of_groups[nd - weight - 1];
	decimals = 4 * (nd - weight - 1);
	if (decimals > BF_RATE_MAX_DECIMALS)
	{
		/* the last digit's trailing zeros are not decimals (it is not 0) */
		while (dig != 0 && dig % 10 == 0)
		{
			dig /= 10;
			decimals--;
		}
		if (decimals > BF_RATE_MAX_DECIMALS)
			return false;
	}
	/* not reduced: a 64-bit gcd per row costs more than the rule; printing reduces */
	*num = n;
	*den = scale;
	return true;
}

static const char *const interest_params[] = {"loan.interest_years", "loan.day_count"};

typedef struct InterestResult
{
	int64		principal;
	int64		rnum,
				rden;
	DateADT		start,
				from,
				to,
				end,
				lo,
				hi;
	const BfPolicyValue *years;	/* the versions read; NULL on the fast path */
	const BfPolicyValue *day_count;
	int64		nyears;
	int64		days;
	bf_i128		num,
				den;
	int64		value;
} InterestResult;

/*
 * The subsidy, and the figures its explanation shows.  Under the policy in
 * force a row whose loan started within the dates of the last row's
 * versions takes their figures from rc (fast_i = {interest_years,
 * day_count}, checked when they were read), not the versions themselves:
 * an explanation (explain) always reads them.
 */
static void
interest_compute(FunctionCallInfo fcinfo, BfRuleCache *rc, InterestResult *i,
				 const char **scenp, bool explain)
{
	const char *scenario = bf_rule_scenario(fcinfo, rc, 5);
	int64		dc;

	i->principal = bf_datum_to_fen(PG_GETARG_DATUM(0), "principal", &rule_interest);
	if (!quick_rate(PG_GETARG_DATUM(1), &i->rnum, &i->rden))
		annual_rate(PG_GETARG_DATUM(1), &i->rnum, &i->rden);
	i->start = PG_GETARG_DATEADT(2);
	i->from = PG_GETARG_DATEADT(3);
	i->to = PG_GETARG_DATEADT(4);
	bf_rule_check_date(i->start, "loan_start", &rule_interest);
	bf_rule_check_date(i->from, "period_from", &rule_interest);
	bf_rule_check_date(i->to, "period_to", &rule_interest);
	if (i->to < i->from)
		bf_rule_error(ERRCODE_INVALID_PARAMETER_VALUE, &rule_interest,
				   "The period is [period_from, period_to): period_to is the first day not counted.",
				   "period_to %s is before period_from %s",
				   bf_date_cstring(i->to), bf_date_cstring(i->from));

	/* the loan's terms are those in force when it starts */
	if (likely(scenario == NULL && !explain && bf_rule_fast_fresh(rc, i->start)))
	{
		i->years = i->day_count = NULL;
		i->nyears = rc->fast_i[0];
		dc = rc->fast_i[1];
	}
	else
	{
		i->years = bf_policy_get(&rc->refs[0], scenario, i->start, BF_KIND_COUNT);
		i->day_count = bf_policy_get(&rc->refs[1], scenario, i->start, BF_KIND_COUNT);
		i->nyears = bf_rule_count_param(i->years, interest_params[0], &rule_interest, 0);
		dc = bf_rule_count_param(i->day_count, interest_params[1], &rule_interest, 1);
		if (scenario == NULL)
		{
			rc->fast_i[0] = i->nyears;
			rc->fast_i[1] = dc;
			bf_rule_fast_window(rc, 2);
		}
	}

	i->end = bf_anniversary(i->start, i->nyears);
	i->lo = Max(i->from, i->start);
	i->hi = Min(i->to, i->end);
	i->days = i->hi > i->lo ? (int64) i->hi - i->lo : 0;
	i->num = bf_rule_mul128(bf_rule_mul128(i->principal, i->rnum, &rule_interest), i->days, &rule_interest);
	i->den = bf_rule_mul128(i->rden, dc, &rule_interest);
	i->value = bf_round_half_away(i->num, i->den);
	*scenp = scenario;
}

/* 八(2): the interest paid from the enterprise fund for a period of a loan. */
PG_FUNCTION_INFO_V1(bf_loan_interest_subsidy);
Datum
bf_loan_interest_subsidy(PG_FUNCTION_ARGS)
{
	BfRuleCache *rc = bf_rule_cache(fcinfo, interest_params, 2);
	InterestResult i;
	const char *scenario;

	interest_compute(fcinfo, rc, &i, &scenario, false);
	PG_RETURN_DATUM(bf_rule_fen_result(i.value, &rule_interest));
}

/* 八(2) interest subsidy step by step. */
PG_FUNCTION_INFO_V1(bf_loan_interest_subsidy_explain);
Datum
bf_loan_interest_subsidy_explain(PG_FUNCTION_ARGS)
{
	BfRuleCache *rc = bf_rule_cache(fcinfo, interest_params, 2);
	InterestResult i;
	const char *scenario;
	BfExplain	e;

	interest_compute(fcinfo, rc, &i, &scenario, true);
	(void) bf_rule_fen_result(i.value, &rule_interest);
	bf_explain_begin(&e, &rule_interest, scenario);
	bf_json_fen(&e.buf, "principal", i.principal);
	bf_json_str(&e.buf, "annual_rate",
				DatumGetCString(DirectFunctionCall1(numeric_out, PG_GETARG_DATUM(1))));
	bf_json_str(&e.buf, "annual_rate_exact", bf_fraction_cstring(i.rnum, i.rden));
	bf_json_date(&e.buf, "loan_start", i.start);
	bf_json_int(&e.buf, "interest_years", i.nyears);
	bf_json_date(&e.buf, "subsidy_ends", i.end);
	/* subsidy_ends is the anniversary, the first day not subsidised */
	if (i.end <= i.start)
		bf_json_str(&e.buf, "last_day_subsidised", NULL);
	else
		bf_json_date(&e.buf, "last_day_subsidised",
				  DATE_NOT_FINITE(i.end) ? i.end : i.end - 1);
	bf_json_date(&e.buf, "period_from", i.from);
	bf_json_date(&e.buf, "period_to", i.to);
	bf_json_int(&e.buf, "days_in_period", (int64) i.to - i.from);
	if (i.days > 0)
	{
		bf_json_date(&e.buf, "counted_from", i.lo);
		bf_json_date(&e.buf, "counted_to", i.hi);
	}
	bf_json_int(&e.buf, "days_subsidised", i.days);
	bf_json_int(&e.buf, "day_count", i.day_count->amount);
	bf_json_exact(&e.buf, "exact", i.num, i.den);
	bf_json_fen(&e.buf, "result", i.value);
	bf_explain_policy(&e, interest_params[0], i.years);
	bf_explain_policy(&e, interest_params[1], i.day_count);
	PG_RETURN_DATUM(bf_explain_finish(&e));
}
