/*
 * employer.c
 *		八(1) employers of hard-to-employ persons: who counts as hard to employ
 *		(completed age >= employer.hard_to_employ.*, by sex), and the county's
 *		share of the employer's three social-insurance contributions
 *		(employer.subsidy.*_rate, summed exactly and rounded once).  Its SQL
 *		is src/employer.sql.
 */
#include "postgres.h"

#include "mb/pg_wchar.h"
#include "utils/builtins.h"

#include "cnid_core.h"
#include "rules.h"

static const BfRule rule_hte = {"bangfu.hard_to_employ", BF_N("八(1) hard-to-employ person")};
static const BfRule rule_ent = {"bangfu.enterprise_subsidy", BF_N("八(1) social-insurance subsidy")};

static const char *const hte_params[] = {"employer.hard_to_employ.male_age",
"employer.hard_to_employ.female_age"};

/* 'M'/'男' -> 'M', 'F'/'女' -> 'F', whatever the server encoding. */
static char
parse_sex(text *t)
{
	const char *s = VARDATA_ANY(t);
	int			len = VARSIZE_ANY_EXHDR(t);
	char	   *utf8;

	if (len == 1 && (s[0] == 'M' || s[0] == 'F'))
		return s[0];
	if (len > 0 && len <= 8)
	{
		int			ulen;

		/*
		 * The text is not NUL-terminated; a conversion, when there is one,
		 * returns a terminated copy, else the same pointer.
		 */
		utf8 = pg_server_to_any(s, len, PG_UTF8);
		ulen = utf8 == s ? len : (int) strlen(utf8);
		if (ulen == 3 && memcmp(utf8, "\xe7\x94\xb7", 3) == 0)	/* 男 */
			return 'M';
		if (ulen == 3 && memcmp(utf8, "\xe5\xa5\xb3", 3) == 0)	/* 女 */
			return 'F';
	}
	bf_rule_error(ERRCODE_INVALID_PARAMETER_VALUE, &rule_hte,
			   GetDatabaseEncoding() == PG_UTF8 ?
			   "sex is M or F (or \xe7\x94\xb7 or \xe5\xa5\xb3)." : "sex is M or F.",
			   "sex \"%s\" is not M or F", text_to_cstring(t));
	return 0;
}

typedef struct HteResult
{
	char		sex;
	DateADT		birth;
	DateADT		on_date;
	const BfPolicyValue *age_param;
	const char *param;
	int64		threshold;
	int			age;
	DateADT		reached_on;		/* the birthday on which the threshold is reached */
	bool		result;
} HteResult;

/*
 * 年满 N: the N-th birthday has come.  h->sex, h->birth (whose calendar date
 * is by-bm-bd) and h->on_date are set.  The day the age is reached is the
 * birthday that many years on (a 29 February birthday falls on 1 March in a
 * common year); the person counts from that day on.  The completed age is
 * worked out only for the explanation.
 */
static void
hte_decide(BfRuleCache *rc, const char *scenario, HteResult *h,
		   int by, int bm, int bd, bool with_age)
{
	bf_rule_check_date(h->birth, "birth_date", &rule_hte);
	bf_rule_check_date(h->on_date, "on_date", &rule_hte);
	if (h->birth > h->on_date)
		bf_rule_error(ERRCODE_INVALID_PARAMETER_VALUE, &rule_hte,
				   "on_date is the hire date; it cannot come before the birth.",
				   "birth_date %s is after on_date %s",
				   bf_date_cstring(h->birth), bf_date_cstring(h->on_date));
	h->param = hte_params[h->sex == 'M' ? 0 : 1];
	h->age_param = bf_policy_get(&rc->refs[h->sex == 'M' ? 0 : 1], scenario,
								 h->on_date, BF_KIND_COUNT);
	h->threshold = bf_rule_count_param(h->age_param, h->param, &rule_hte, 0);

	if (with_age)
	{
		int			oy,
					om,
					od;

		bf_date_ymd(h->on_date, &oy, &om, &od);
		h->age = oy - by - ((om < bm || (om == bm && od < bd)) ? 1 : 0);
	}
	/* the birthday the threshold is reached on, read as loans read theirs */
	h->reached_on = bf_anniversary_ymd(by, bm, bd, h->threshold);
	h->result = h->on_date >= h->reached_on;
}

/* The (sex text, birth_date, on_date[, scenario]) forms. */
static void
hte_compute(FunctionCallInfo fcinfo, BfRuleCache *rc, HteResult *h,
			const char **scenp, bool with_age)
{
	int			by = 0,
				bm = 1,
				bd = 1;

	h->sex = parse_sex(PG_GETARG_TEXT_PP(0));
	h->birth = PG_GETARG_DATEADT(1);
	h->on_date = PG_GETARG_DATEADT(2);
	*scenp = bf_rule_scenario(fcinfo, rc, 3);
	/* an infinite birth date gives nonsense here; hte_decide refuses it first */
	bf_date_ymd(h->birth, &by, &bm, &bd);
	hte_decide(rc, *scenp, h, by, bm, bd, with_age);
}

/* 八(1): a man who has reached 45 or a woman who has reached 40 on on_date. */
PG_FUNCTION_INFO_V1(bf_hard_to_employ);
Datum
bf_hard_to_employ(PG_FUNCTION_ARGS)
{
	BfRuleCache *rc = bf_rule_cache(fcinfo, hte_params, 2);
	HteResult	h;
	const char *scenario;

	hte_compute(fcinfo, rc, &h, &scenario, false);
	PG_RETURN_BOOL(h.result);
}

/*
 * 八(1) by ID number: sex and birth date are read from the number itself
 * (GB 11643-1999: digits 7-14 the birth date, the 17th odd for a man).
 */
PG_FUNCTION_INFO_V1(bf_hard_to_employ_cnid);
Datum
bf_hard_to_employ_cnid(PG_FUNCTION_ARGS)
{
	BfRuleCache *rc = bf_rule_cache(fcinfo, hte_params, 2);
	bf_cnid		id = (bf_cnid) PG_GETARG_INT64(0);
	HteResult	h;
	int			by,
				bm,
				bd;

	bf_cnid_birth_date(id, &by, &bm, &bd);
	h.sex = bf_cnid_sex(id);
	h.birth = date2j(by, bm, bd) - POSTGRES_EPOCH_JDATE;
	h.on_date = PG_GETARG_DATEADT(1);
	hte_decide(rc, NULL, &h, by, bm, bd, false);
	PG_RETURN_BOOL(h.result);
}

/* 八(1) hard_to_employ step by step. */
PG_FUNCTION_INFO_V1(bf_hard_to_employ_explain);
Datum
bf_hard_to_employ_explain(PG_FUNCTION_ARGS)
{
	BfRuleCache *rc = bf_rule_cache(fcinfo, hte_params, 2);
	HteResult	h;
	const char *scenario;
	BfExplain	e;

	hte_compute(fcinfo, rc, &h, &scenario, true);
	bf_explain_begin(&e, &rule_hte, scenario);
	bf_json_str(&e.buf, "sex", h.sex == 'M' ? "M" : "F");
	bf_json_date(&e.buf, "birth_date", h.birth);
	bf_json_date(&e.buf, "on_date", h.on_date);
	bf_json_int(&e.buf, "age", h.age);
	bf_json_str(&e.buf, "param", h.param);
	bf_json_int(&e.buf, "threshold", h.threshold);
	bf_json_date(&e.buf, "reaches_threshold_on", h.reached_on);
	bf_json_bool(&e.buf, "result", h.result);
	bf_explain_policy(&e, h.param, h.age_param);
	PG_RETURN_DATUM(bf_explain_finish(&e));
}

static const char *const ent_params[] = {"employer.subsidy.pension_rate",
	"employer.subsidy.injury_rate", "employer.subsidy.unemployment_rate",
"employer.subsidy.months"};
static const char *const ent_args[] = {"pension", "injury", "unemployment"};

typedef struct EntResult
{
	int64		fen[3];
	const BfPolicyValue *v[3];
	bf_apply_result r[3];
	bf_i128		num;
	bf_i128		den;
	int64		value;
} EntResult;

/*
 * One part's exact value tn/td fen.  The usual schedule (flat, no cap) is
 * read directly: the rate of the bracket the amount falls in, with no
 * rounding.  Anything else goes through bf_tiers_apply; a part its schedule
 * caps enters at its (rounded) cap.
 */
static void
ent_term(const bf_tiers *t, int64 fen, int k, EntResult *s, bool full,
		 bf_i128 *tn, int64 *td)
{
	if (!full && t->mode == BF_MODE_FLAT && t->cap < 0)
	{
		int			i;

		for (i = 0; i < t->nbrackets; i++)
		{
			const bf_bracket *b = &t->b[i];

			if (bf_bracket_contains(b, fen))
			{
				if (b->flags & BF_B_FIXED)
				{
					*tn = b->num;
					*td = 1;
				}
				else
				{
					*tn = (bf_i128) fen * b->num;
					*td = b->den;
				}
				return;
			}
		}
	}
	bf_tiers_apply_checked(t, fen, &s->r[k], ent_args[k], &rule_ent);
	if (s->r[k].capped)
	{
		*tn = s->r[k].value;
		*td = 1;
	}
	else
	{
		*tn = s->r[k].exact_num;
		*td = s->r[k].exact_den;
	}
}

/*
 * 八(1): each contribution takes its own schedule; the three exact values
 * are added over a common denominator and the sum rounded once.  The common
 * denominator of the last row's three is kept, so that a run of rows under
 * the same rates costs no gcd.
 */
static void
ent_compute(FunctionCallInfo fcinfo, BfRuleCache *rc, EntResult *s, bool full,
			const char **scenp, DateADT *datep)
{
	DateADT		on_date = BF_RULE_DATE(3);
	const char *scenario = PG_NARGS() > 4 ? bf_rule_scenario(fcinfo, rc, 4) : NULL;
	bf_i128		tn[3];
	int64		td[3];
	int			k;

	for (k = 0; k < 3; k++)
		s->fen[k] = bf_datum_to_fen(PG_GETARG_DATUM(k), ent_args[k], &rule_ent);
	for (k = 0; k < 3; k++)
	{
		s->v[k] = bf_policy_get(&rc->refs[k], scenario, on_date, BF_KIND_TIERS);
		ent_term(s->v[k]->tiers, s->fen[k], k, s, full, &tn[k], &td[k]);
	}
	if (unlikely(!rc->lcm_valid || td[0] != rc->lcm_key[0] ||
				 td[1] != rc->lcm_key[1] || td[2] != rc->lcm_key[2]))
	{
		bf_i128		l = 1;

		for (k = 0; k < 3; k++)
			l = bf_rule_mul128(l / bf_gcd128(l, td[k]), td[k], &rule_ent);
		for (k = 0; k < 3; k++)
		{
			rc->lcm_key[k] = td[k];
			rc->lcm_mult[k] = l / td[k];
		}
		rc->lcm = l;
		rc->lcm_valid = true;
	}
	s->den = rc->lcm;
	if (likely(tn[0] < ((bf_i128) 1 << 62) && tn[1] < ((bf_i128) 1 << 62) &&
			   tn[2] < ((bf_i128) 1 << 62) && rc->lcm < ((bf_i128) 1 << 62)))
		s->num = tn[0] * rc->lcm_mult[0] + tn[1] * rc->lcm_mult[1] +
			tn[2] * rc->lcm_mult[2];
	else
	{
		s->num = 0;
		for (k = 0; k < 3; k++)
		{
			bf_i128		term = bf_rule_mul128(tn[k], rc->lcm_mult[k], &rule_ent);

			if (__builtin_add_overflow(s->num, term, &s->num))
				bf_rule_error(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE, &rule_ent, NULL,
						   "intermediate value out of range");
		}
	}
	/* round half away from zero (the sum is never negative) */
	if (likely(s->num <= PG_INT64_MAX && s->den <= PG_INT64_MAX))
	{
		int64		n = (int64) s->num;
		int64		d = (int64) s->den;
		int64		q = n / d;

		s->value = (n - q * d) * 2 >= d ? q + 1 : q;
	}
	else
		s->value = bf_round_half_away(s->num, s->den);
	*scenp = scenario;
	*datep = on_date;
}

/*
 * The shipped policy's three rates are single flat brackets over every
 * amount: then the subsidy is sum(fen_k * mult_k) / den, one exact fraction
 * with a common denominator, rounded once.  Says whether that holds for the
 * three versions, and prepares mult and den if so.
 */
static bool
ent_fast_prepare(BfRuleCache *rc, const BfPolicyValue *const *v)
{
	int64		den = 1;
	int			k;

	for (k = 0; k < 3; k++)
	{
		const bf_tiers *t = v[k]->tiers;
		const bf_bracket *b = &t->b[0];

		if (t->mode != BF_MODE_FLAT || t->cap >= 0 || t->nbrackets != 1 ||
			(b->flags & BF_B_FIXED) || !(b->flags & BF_B_HI_INF) ||
			(!(b->flags & BF_B_LO_INF) && !(b->lo == 0 && (b->flags & BF_B_LO_INC))))
			return false;
		if (den / bf_gcd64(den, b->den) > BF_TIERS_MAX_LCM / b->den)
			return false;
		den = den / bf_gcd64(den, b->den) * b->den;
	}
	for (k = 0; k < 3; k++)
		rc->fast_i[k] = v[k]->tiers->b[0].num * (den / v[k]->tiers->b[0].den);
	rc->fast_i[3] = den;
	return true;
}

/*
 * Pick the three rates in force on on_date, prepare the fast path if they
 * allow it, and note the dates over which that holds.
 */
static pg_noinline void
ent_fast_refresh(BfRuleCache *rc, DateADT on_date)
{
	const BfPolicyValue *v[3];
	int			k;

	for (k = 0; k < 3; k++)
		v[k] = bf_policy_get(&rc->refs[k], NULL, on_date, BF_KIND_TIERS);
	/* fast_i[0..2]: each amount's multiplier over fast_i[3]; fast_dv[0]: 2 x that */
	rc->fast_ok = ent_fast_prepare(rc, v);
	if (rc->fast_ok)
		bf_divider_init(&rc->fast_dv[0], 2 * (uint64) rc->fast_i[3]);
	bf_rule_fast_window(rc, 3);
}

/* 八(1): the county's share of an employer's three contributions. */
PG_FUNCTION_INFO_V1(bf_enterprise_subsidy);
Datum
bf_enterprise_subsidy(PG_FUNCTION_ARGS)
{
	BfRuleCache *rc = bf_rule_cache(fcinfo, ent_params, 4);
	EntResult	s;
	const char *scenario;
	DateADT		on_date;

	if (PG_NARGS() <= 4)
	{
		on_date = BF_RULE_DATE(3);
		if (unlikely(!bf_rule_fast_fresh(rc, on_date)))
			ent_fast_refresh(rc, on_date);
		if (likely(rc->fast_ok))
		{
			int64		n = 0;
			bool		overflow = false;
			int			k;

			for (k = 0; k < 3; k++)
			{
				int64		fen = bf_datum_to_fen(PG_GETARG_DATUM(k), ent_args[k], &rule_ent);
				int64		term;

				overflow |= __builtin_mul_overflow(fen, rc->fast_i[k], &term);
				overflow |= __builtin_add_overflow(n, term, &n);
			}
			/* n / den rounded half up, as floor((2n + den) / 2den) */
			if (likely(!overflow && n <= PG_INT64_MAX / 2 - rc->fast_i[3]))
				PG_RETURN_DATUM(bf_rule_fen_result((int64) bf_divide(&rc->fast_dv[0], 2 * n + rc->fast_i[3]),
										   &rule_ent));
		}
	}

	ent_compute(fcinfo, rc, &s, false, &scenario, &on_date);
	PG_RETURN_DATUM(bf_rule_fen_result(s.value, &rule_ent));
}

/* 八(1) enterprise_subsidy step by step. */
PG_FUNCTION_INFO_V1(bf_enterprise_subsidy_explain);
Datum
bf_enterprise_subsidy_explain(PG_FUNCTION_ARGS)
{
	BfRuleCache *rc = bf_rule_cache(fcinfo, ent_params, 4);
	EntResult	s;
	const char *scenario;
	DateADT		on_date;
	const BfPolicyValue *months;
	BfExplain	e;
	int			k;

	ent_compute(fcinfo, rc, &s, true, &scenario, &on_date);
	months = bf_policy_get(&rc->refs[3], scenario, on_date, BF_KIND_COUNT);
	bf_explain_begin(&e, &rule_ent, scenario);
	bf_json_date(&e.buf, "on_date", on_date);
	for (k = 0; k < 3; k++)
		bf_json_applied(&e.buf, ent_args[k], s.v[k]->tiers, s.fen[k], &s.r[k]);
	(void) bf_rule_fen_result(s.value, &rule_ent);
	bf_json_exact(&e.buf, "exact", s.num, s.den);
	bf_json_fen(&e.buf, "result", s.value);
	bf_json_int(&e.buf, "months_after_hiring", months->amount);
	for (k = 0; k < 3; k++)
		bf_explain_policy(&e, ent_params[k], s.v[k]);
	bf_explain_policy(&e, ent_params[3], months);
	PG_RETURN_DATUM(bf_explain_finish(&e));
}
