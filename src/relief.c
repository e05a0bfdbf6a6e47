/*
 * relief.c
 *		二 temporary relief for special-hardship families: the band a relief
 *		is picked in for its reason, the two installments and the yearly
 *		quota of households.  Its SQL is src/relief.sql.
 *
 *	relief_band(reason)            relief.band.<reason>
 *	relief_in_band(reason, a)      a moved into that band
 *	relief_installments(a)         ceil(a/2) to the fen, then the rest
 *	relief_quota(n)                floor(n * relief.quota.max_share), and
 *	                               ceil(n * relief.quota.min_share) or that
 *	                               ceiling where it is lower (tiny counts)
 *
 * The functions that take a reason also take it as text (its code),
 * through *_text entry points that refuse an unknown code naming the rule.
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "catalog/pg_enum.h"
#include "catalog/pg_type.h"
#include "funcapi.h"
#include "utils/builtins.h"
#include "utils/datum.h"
#include "utils/lsyscache.h"
#include "utils/syscache.h"

#include "rules.h"

static const BfRule rule_band = {"bangfu.relief_band", BF_N("二 temporary relief")};
static const BfRule rule_in_band = {"bangfu.relief_in_band", BF_N("二 temporary relief")};
static const BfRule rule_inst = {"bangfu.relief_installments", BF_N("二 temporary relief, paid in two installments")};
static const BfRule rule_quota = {"bangfu.relief_quota", BF_N("二 temporary relief quota, 3%-5% of urban households")};

/* The relief.band.<reason> reference of an enum value, made on first use. */
static BfParamRef *
reason_ref(BfRuleCache *rc, Oid reason)
{
	/* an enum's values have consecutive even OIDs when it is created */
	int			slot = (reason >> 1) & (BF_RULE_MAX_KEYED - 1);
	char	   *label;

	StaticAssertStmt((BF_RULE_MAX_KEYED & (BF_RULE_MAX_KEYED - 1)) == 0,
					 "BF_RULE_MAX_KEYED must be a power of 2");
	if (likely(rc->key_oid[slot] == reason))
		return &rc->key_ref[slot];
	/* first use of this reason here, or another took its slot: resolve */
	label = DatumGetCString(DirectFunctionCall1(enum_out, ObjectIdGetDatum(reason)));
	if (rc->key_oid[slot] != InvalidOid)
		pfree((char *) rc->key_ref[slot].name);
	rc->key_oid[slot] = reason;
	bf_param_ref_init(&rc->key_ref[slot],
					  MemoryContextStrdup(rc->cxt, psprintf("relief.band.%s", label)));
	return &rc->key_ref[slot];
}

/*
 * The enum value of a reason given as text (the text forms of the 二
 * functions): an unknown code is refused naming the argument and the rule,
 * which the enum's own input error cannot do.  The last code seen at this
 * call site is kept, so a run of rows with one reason costs a memcmp.
 */
static pg_noinline Oid
reason_of_text_slow(FunctionCallInfo fcinfo, BfRuleCache *rc, text *t,
					const BfRule *rule)
{
	int			len = VARSIZE_ANY_EXHDR(t);
	char	   *code = text_to_cstring(t);
	HeapTuple	tup = NULL;
	Oid			oid;

	if (!OidIsValid(rc->reason_type))
	{
		/* the enum lives in the schema of the function called */
		Oid			nsp = get_func_namespace(fcinfo->flinfo->fn_oid);

		rc->reason_type = GetSysCacheOid2(TYPENAMENSP, Anum_pg_type_oid,
										  CStringGetDatum("relief_reason"),
										  ObjectIdGetDatum(nsp));
		if (!OidIsValid(rc->reason_type))
			elog(ERROR, "type relief_reason is missing from the schema of %s",
				 rule->function);
	}
	if (len > 0 && len < NAMEDATALEN && strlen(code) == (size_t) len)
		tup = SearchSysCache2(ENUMTYPOIDNAME, ObjectIdGetDatum(rc->reason_type),
							  CStringGetDatum(code));
	if (!HeapTupleIsValid(tup))
		bf_rule_error(ERRCODE_INVALID_PARAMETER_VALUE, rule,
				   "A reason is one of the values of bangfu.relief_reason: "
				   "SELECT enum_range(NULL::bangfu.relief_reason).",
				   "unknown relief reason \"%s\" (argument reason of %s)",
				   code, rule->function);
	oid = ((Form_pg_enum) GETSTRUCT(tup))->oid;
	ReleaseSysCache(tup);
	if (rc->reason_text != NULL)
		pfree(rc->reason_text);
	rc->reason_text = MemoryContextStrdup(rc->cxt, code);
	rc->reason_text_len = len;
	rc->reason_text_oid = oid;
	return oid;
}

/* The reason argument (position 0), an enum value or a text code. */
static inline Oid
reason_arg(FunctionCallInfo fcinfo, BfRuleCache *rc, bool as_text,
		   const BfRule *rule)
{
	text	   *t;

	if (likely(!as_text))
		return PG_GETARG_OID(0);
	t = PG_GETARG_TEXT_PP(0);
	if (likely(rc->reason_text != NULL &&
			   rc->reason_text_len == VARSIZE_ANY_EXHDR(t) &&
			   memcmp(rc->reason_text, VARDATA_ANY(t), rc->reason_text_len) == 0))
		return rc->reason_text_oid;
	return reason_of_text_slow(fcinfo, rc, t, rule);
}

static const BfPolicyValue *
relief_band_value(FunctionCallInfo fcinfo, bool as_text, const BfRule *rule,
				  const char **scenp, BfParamRef **refp, Oid *reasonp)
{
	BfRuleCache *rc = bf_rule_cache(fcinfo, NULL, 0);
	Oid			reason = reason_arg(fcinfo, rc, as_text, rule);
	DateADT		on_date = BF_RULE_DATE(1);
	const char *scenario = bf_rule_scenario(fcinfo, rc, 2);
	BfParamRef *ref = reason_ref(rc, reason);

	*scenp = scenario;
	*refp = ref;
	*reasonp = reason;
	return bf_policy_get(ref, scenario, on_date, BF_KIND_BAND);
}

static Datum
relief_band_common(FunctionCallInfo fcinfo, bool as_text)
{
	const char *scenario;
	BfParamRef *ref;
	Oid			reason;
	const BfPolicyValue *v = relief_band_value(fcinfo, as_text, &rule_band,
											   &scenario, &ref, &reason);

	return datumCopy(v->band, false, -1);
}

/* 二: the band the committee picks a relief amount in, for a reason. */
PG_FUNCTION_INFO_V1(bf_relief_band);
Datum
bf_relief_band(PG_FUNCTION_ARGS)
{
	PG_RETURN_DATUM(relief_band_common(fcinfo, false));
}

/* 二 the same, the reason given by its code as text (named errors). */
PG_FUNCTION_INFO_V1(bf_relief_band_text);
Datum
bf_relief_band_text(PG_FUNCTION_ARGS)
{
	PG_RETURN_DATUM(relief_band_common(fcinfo, true));
}

static Datum
relief_band_explain_common(FunctionCallInfo fcinfo, bool as_text)
{
	const char *scenario;
	BfParamRef *ref;
	Oid			reason;
	const BfPolicyValue *v = relief_band_value(fcinfo, as_text, &rule_band,
											   &scenario, &ref, &reason);
	BfExplain	e;

	bf_explain_begin(&e, &rule_band, scenario);
	bf_json_str(&e.buf, "reason",
				DatumGetCString(DirectFunctionCall1(enum_out, ObjectIdGetDatum(reason))));
	bf_json_date(&e.buf, "on_date", BF_RULE_DATE(1));
	bf_json_str(&e.buf, "param", ref->name);
	bf_json_str(&e.buf, "band", bf_band_cstring(v->band));
	bf_json_fen(&e.buf, "least", v->band_lo);
	bf_json_fen(&e.buf, "most", v->band_hi);
	bf_explain_policy(&e, ref->name, v);
	return bf_explain_finish(&e);
}

/* 二 relief_band step by step. */
PG_FUNCTION_INFO_V1(bf_relief_band_explain);
Datum
bf_relief_band_explain(PG_FUNCTION_ARGS)
{
	PG_RETURN_DATUM(relief_band_explain_common(fcinfo, false));
}

PG_FUNCTION_INFO_V1(bf_relief_band_explain_text);
Datum
bf_relief_band_explain_text(PG_FUNCTION_ARGS)
{
	PG_RETURN_DATUM(relief_band_explain_common(fcinfo, true));
}

/*
 * 二 what-if: the amount moved into the band (the nearest amount inside it),
 * i.e. what a grant must at least become when a proposal moves the band.
 */
static Datum
relief_in_band_common(FunctionCallInfo fcinfo, bool explain, bool as_text)
{
	BfRuleCache *rc = bf_rule_cache(fcinfo, NULL, 0);
	Oid			reason = reason_arg(fcinfo, rc, as_text, &rule_in_band);
	int64		amount = bf_datum_to_fen(PG_GETARG_DATUM(1), "amount", &rule_in_band);
	DateADT		on_date = BF_RULE_DATE(2);
	const char *scenario = bf_rule_scenario(fcinfo, rc, 3);
	BfParamRef *ref = reason_ref(rc, reason);
	const BfPolicyValue *v = bf_policy_get(ref, scenario, on_date, BF_KIND_BAND);
	int64		result = amount;
	BfExplain	e;

	if (v->band_lo > v->band_hi)
		bf_rule_policy_error(&rule_in_band, ref->name, bf_("is an empty band"));
	if (result < v->band_lo)
		result = v->band_lo;
	if (result > v->band_hi)
		result = v->band_hi;
	if (!explain)
		return bf_fen_to_datum(result);

	bf_explain_begin(&e, &rule_in_band, scenario);
	bf_json_str(&e.buf, "reason",
				DatumGetCString(DirectFunctionCall1(enum_out, ObjectIdGetDatum(reason))));
	bf_json_date(&e.buf, "on_date", on_date);
	bf_json_str(&e.buf, "param", ref->name);
	bf_json_str(&e.buf, "band", bf_band_cstring(v->band));
	bf_json_fen(&e.buf, "amount", amount);
	bf_json_str(&e.buf, "moved", result == amount ? NULL :
				(result > amount ? "up to the least of the band" : "down to the most of the band"));
	bf_json_fen(&e.buf, "result", result);
	bf_explain_policy(&e, ref->name, v);
	return bf_explain_finish(&e);
}

PG_FUNCTION_INFO_V1(bf_relief_in_band);
Datum
bf_relief_in_band(PG_FUNCTION_ARGS)
{
	PG_RETURN_DATUM(relief_in_band_common(fcinfo, false, false));
}

/* 二 the same, the reason given by its code as text (named errors). */
PG_FUNCTION_INFO_V1(bf_relief_in_band_text);
Datum
bf_relief_in_band_text(PG_FUNCTION_ARGS)
{
	PG_RETURN_DATUM(relief_in_band_common(fcinfo, false, true));
}

/* 二 relief_in_band step by step. */
PG_FUNCTION_INFO_V1(bf_relief_in_band_explain);
Datum
bf_relief_in_band_explain(PG_FUNCTION_ARGS)
{
	PG_RETURN_DATUM(relief_in_band_common(fcinfo, true, false));
}

PG_FUNCTION_INFO_V1(bf_relief_in_band_explain_text);
Datum
bf_relief_in_band_explain_text(PG_FUNCTION_ARGS)
{
	PG_RETURN_DATUM(relief_in_band_common(fcinfo, true, true));
}

/* 二: first installment = half rounded up to the fen, second = the rest. */
static void
installments(int64 fen, int64 *first, int64 *second)
{
	*first = fen / 2 + fen % 2;
	*second = fen - *first;
}

/* The amount argument read as fen and split into the two installments. */
static int64
amount_installments(Datum amount, int64 *first, int64 *second)
{
	int64		fen = bf_datum_to_fen(amount, "amount", &rule_inst);

	installments(fen, first, second);
	return fen;
}

/*
 * The two installments as scalars; bangfu.relief_installments is an SQL
 * function over them that the planner inlines, so a LATERAL call costs what
 * two scalar calls cost rather than a table function's tuplestore per row.
 */
PG_FUNCTION_INFO_V1(bf_relief_first_half);
Datum
bf_relief_first_half(PG_FUNCTION_ARGS)
{
	int64		first,
				second;

	(void) amount_installments(PG_GETARG_DATUM(0), &first, &second);
	PG_RETURN_DATUM(bf_fen_to_datum(first));
}

PG_FUNCTION_INFO_V1(bf_relief_second_half);
Datum
bf_relief_second_half(PG_FUNCTION_ARGS)
{
	int64		first,
				second;

	(void) amount_installments(PG_GETARG_DATUM(0), &first, &second);
	PG_RETURN_DATUM(bf_fen_to_datum(second));
}

/* 二 installments step by step. */
PG_FUNCTION_INFO_V1(bf_relief_installments_explain);
Datum
bf_relief_installments_explain(PG_FUNCTION_ARGS)
{
	int64		first,
				second;
	int64		fen = amount_installments(PG_GETARG_DATUM(0), &first, &second);
	BfExplain	e;

	bf_explain_begin(&e, &rule_inst, NULL);
	bf_json_fen(&e.buf, "amount", fen);
	bf_json_exact(&e.buf, "half_exact", fen, 2);
	bf_json_fen(&e.buf, "first_half", first);
	bf_json_fen(&e.buf, "second_half", second);
	bf_json_str(&e.buf, "rounding", "first half rounded up to the fen, second half the rest");
	return bf_explain_finish(&e);
}

static const char *const quota_params[] = {"relief.quota.min_share", "relief.quota.max_share"};

typedef struct QuotaResult
{
	const BfPolicyValue *vmin;
	const BfPolicyValue *vmax;
	int64		nmin,
				dmin,
				nmax,
				dmax;
	int32		households;
	int64		lo_share;		/* ceil(min share): before the ceiling */
	int64		lo;				/* the floor reported: never above hi */
	int64		hi;
} QuotaResult;

static void
quota_compute(FunctionCallInfo fcinfo, BfRuleCache *rc, QuotaResult *q,
			  const char **scenp)
{
	int32		n = PG_GETARG_INT32(0);
	DateADT		on_date = BF_RULE_DATE(1);
	const char *scenario = bf_rule_scenario(fcinfo, rc, 2);

	if (n < 0)
		bf_rule_error(ERRCODE_INVALID_PARAMETER_VALUE, &rule_quota, NULL,
				   "urban_households %d is negative", n);
	q->households = n;
	q->vmin = bf_policy_get(&rc->refs[0], scenario, on_date, BF_KIND_TIERS);
	q->vmax = bf_policy_get(&rc->refs[1], scenario, on_date, BF_KIND_TIERS);
	bf_rule_single_rate(q->vmin, quota_params[0], &rule_quota, &q->nmin, &q->dmin);
	bf_rule_single_rate(q->vmax, quota_params[1], &rule_quota, &q->nmax, &q->dmax);
	q->lo_share = (int64) bf_ceil_div((bf_i128) n * q->nmin, q->dmin);
	q->hi = (int64) bf_floor_div((bf_i128) n * q->nmax, q->dmax);
	/* 二: the ceiling holds; where the floor would pass it, the floor is it */
	q->lo = Min(q->lo_share, q->hi);
	if (q->lo_share > PG_INT32_MAX || q->hi > PG_INT32_MAX)
		bf_rule_error(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE, &rule_quota, NULL,
				   "quota of %d households is out of range for integer", n);
	*scenp = scenario;
}

/*
 * The fast path of the quota's two parts: the two shares as fractions small enough for 64-bit
 * arithmetic (n < 2^31, num < 2^31, den < 2^31), fast_i = {nmin, dmin, nmax,
 * dmax}, fast_dv = dividers by dmin and dmax.
 */
static pg_noinline void
quota_fast_refresh(BfRuleCache *rc, DateADT on_date)
{
	const BfPolicyValue *vmin = bf_policy_get(&rc->refs[0], NULL, on_date, BF_KIND_TIERS);
	const BfPolicyValue *vmax = bf_policy_get(&rc->refs[1], NULL, on_date, BF_KIND_TIERS);

	bf_rule_single_rate(vmin, quota_params[0], &rule_quota, &rc->fast_i[0], &rc->fast_i[1]);
	bf_rule_single_rate(vmax, quota_params[1], &rule_quota, &rc->fast_i[2], &rc->fast_i[3]);
	rc->fast_ok = rc->fast_i[0] <= PG_INT32_MAX && rc->fast_i[1] <= PG_INT32_MAX &&
		rc->fast_i[2] <= PG_INT32_MAX && rc->fast_i[3] <= PG_INT32_MAX;
	if (rc->fast_ok)
	{
		int64		gap = rc->fast_i[2] * rc->fast_i[1] - rc->fast_i[0] * rc->fast_i[3];
		int64		den = rc->fast_i[1] * rc->fast_i[3];

		bf_divider_init(&rc->fast_dv[0], (uint64) rc->fast_i[1]);
		bf_divider_init(&rc->fast_dv[1], (uint64) rc->fast_i[3]);

		/*
		 * From n0 = ceil(1 / (max - min)) households on, n * max - n * min
		 * >= 1, so an integer lies between them: ceil(min) <= floor(max) and
		 * the least needs no comparison with the most.  Below it (1-19 and
		 * 34-39 households at 3%-5% fall there) both are worked out.
		 */
		rc->fast_n0 = gap <= 0 ? PG_INT64_MAX : (den + gap - 1) / gap;
	}
	bf_rule_fast_window(rc, 2);
}

/* A part of the quota the long way (quota_compute raises the errors). */
static pg_noinline Datum
quota_part_slow(FunctionCallInfo fcinfo, BfRuleCache *rc, bool most)
{
	QuotaResult q;
	const char *scenario;

	/* a scenario, a negative count, a share too fine, or a result too big */
	quota_compute(fcinfo, rc, &q, &scenario);
	PG_RETURN_INT32((int32) (most ? q.hi : q.lo));
}

/*
 * 二: households to relieve in a year, at least ceil(3%), at most floor(5%),
 * as two scalars under the inlined SQL function bangfu.relief_quota.
 */
static inline Datum
quota_part(FunctionCallInfo fcinfo, bool most)
{
	BfRuleCache *rc = bf_rule_cache(fcinfo, quota_params, 2);

	if (likely(PG_NARGS() <= 2))
	{
		int32		n = PG_GETARG_INT32(0);
		DateADT		on_date = BF_RULE_DATE(1);

		if (unlikely(!bf_rule_fast_fresh(rc, on_date)))
			quota_fast_refresh(rc, on_date);
		if (likely(rc->fast_ok && n >= 0))
		{
			uint64		r;

			/* below 2^62 each: exact in 64 bits */
			if (most)
				r = bf_divide(&rc->fast_dv[1], (uint64) n * (uint64) rc->fast_i[2]);
			else
			{
				r = bf_divide(&rc->fast_dv[0], (uint64) n * (uint64) rc->fast_i[0] +
							  (uint64) rc->fast_i[1] - 1);
				/* 二: the ceiling holds, also over the floor of tiny counts */
				if (unlikely(n < rc->fast_n0) && r <= PG_INT32_MAX)
				{
					uint64		hi = bf_divide(&rc->fast_dv[1],
											   (uint64) n * (uint64) rc->fast_i[2]);

					if (hi < r)
						r = hi;
				}
			}
			if (likely(r <= PG_INT32_MAX))
				PG_RETURN_INT32((int32) r);
		}
	}
	return quota_part_slow(fcinfo, rc, most);
}

PG_FUNCTION_INFO_V1(bf_relief_quota_min);
Datum
bf_relief_quota_min(PG_FUNCTION_ARGS)
{
	return quota_part(fcinfo, false);
}

PG_FUNCTION_INFO_V1(bf_relief_quota_max);
Datum
bf_relief_quota_max(PG_FUNCTION_ARGS)
{
	return quota_part(fcinfo, true);
}

/* 二 quota step by step. */
PG_FUNCTION_INFO_V1(bf_relief_quota_explain);
Datum
bf_relief_quota_explain(PG_FUNCTION_ARGS)
{
	BfRuleCache *rc = bf_rule_cache(fcinfo, quota_params, 2);
	QuotaResult q;
	const char *scenario;
	BfExplain	e;
	char		rate[64];

	quota_compute(fcinfo, rc, &q, &scenario);
	bf_explain_begin(&e, &rule_quota, scenario);
	bf_json_date(&e.buf, "on_date", BF_RULE_DATE(1));
	bf_json_int(&e.buf, "urban_households", q.households);
	bf_payout_format(&q.vmin->tiers->b[0], rate, sizeof rate);
	bf_json_str(&e.buf, "min_share", rate);
	bf_json_exact(&e.buf, "min_exact", (bf_i128) q.households * q.nmin * 100, q.dmin);
	bf_json_int(&e.buf, "min_households", q.lo);
	bf_json_str(&e.buf, "min_rounding", q.lo < q.lo_share ?
				"up, then lowered to the ceiling (a floor to report against; the ceiling holds)" :
				"up (a floor to report against)");
	bf_payout_format(&q.vmax->tiers->b[0], rate, sizeof rate);
	bf_json_str(&e.buf, "max_share", rate);
	bf_json_exact(&e.buf, "max_exact", (bf_i128) q.households * q.nmax * 100, q.dmax);
	bf_json_int(&e.buf, "max_households", q.hi);
	bf_json_str(&e.buf, "max_rounding", "down (a hard ceiling)");
	bf_explain_policy(&e, quota_params[0], q.vmin);
	bf_explain_policy(&e, quota_params[1], q.vmax);
	PG_RETURN_DATUM(bf_explain_finish(&e));
}

/* ------------------------------------------------------------------------
 * Entry points of bangfu 0.1.0, whose relief_installments and relief_quota
 * were C table functions.  A database still at 0.1.0 (before ALTER EXTENSION
 * bangfu UPDATE, or brought over by pg_upgrade) calls these; they give the
 * same rows as the 0.2.0 functions.
 * ------------------------------------------------------------------------
 */

/* One row from a function declared RETURNS TABLE, over the SRF protocol. */
static Datum
srf_one_row(FunctionCallInfo fcinfo, Datum *values)
{
	FuncCallContext *funcctx;

	if (SRF_IS_FIRSTCALL())
	{
		MemoryContext old;
		TupleDesc	desc;
		bool		nulls[2] = {false, false};

		funcctx = SRF_FIRSTCALL_INIT();
		old = MemoryContextSwitchTo(funcctx->multi_call_memory_ctx);
		if (get_call_result_type(fcinfo, NULL, &desc) != TYPEFUNC_COMPOSITE)
			elog(ERROR, "function returning a row called in a context that cannot accept one");
		desc = BlessTupleDesc(desc);
		funcctx->user_fctx = heap_form_tuple(desc, values, nulls);
		MemoryContextSwitchTo(old);
	}
	funcctx = SRF_PERCALL_SETUP();
	if (funcctx->call_cntr == 0)
		SRF_RETURN_NEXT(funcctx, HeapTupleGetDatum((HeapTuple) funcctx->user_fctx));
	SRF_RETURN_DONE(funcctx);
}

PG_FUNCTION_INFO_V1(bf_relief_installments);
Datum
bf_relief_installments(PG_FUNCTION_ARGS)
{
	Datum		values[2] = {0, 0};

	if (SRF_IS_FIRSTCALL())
	{
		int64		first,
					second;

		(void) amount_installments(PG_GETARG_DATUM(0), &first, &second);
		values[0] = bf_fen_to_datum(first);
		values[1] = bf_fen_to_datum(second);
	}
	return srf_one_row(fcinfo, values);
}

PG_FUNCTION_INFO_V1(bf_relief_quota);
Datum
bf_relief_quota(PG_FUNCTION_ARGS)
{
	Datum		values[2] = {0, 0};

	if (SRF_IS_FIRSTCALL())
	{
		BfRuleCache rc;
		QuotaResult q;
		const char *scenario;

		/* fn_extra belongs to funcapi here: the cache lives for this call */
		bf_rule_cache_init(&rc, CurrentMemoryContext, quota_params, 2);
		quota_compute(fcinfo, &rc, &q, &scenario);
		values[0] = Int32GetDatum((int32) q.lo);
		values[1] = Int32GetDatum((int32) q.hi);
	}
	return srf_one_row(fcinfo, values);
}
