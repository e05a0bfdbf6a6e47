/*
 * rules.c
 *		二 temporary relief, 五 pension subsidy and 八 employer incentives.
 *
 * Every figure comes from the policy store for the date that decides it (the
 * grant, payment or hire date, or the loan's start), optionally as a what-if
 * scenario overrides it; the functions only combine the figures exactly and
 * round once, at the end:
 *
 *	relief_band(reason)            relief.band.<reason>
 *	relief_quota(n)                floor(n * relief.quota.max_share), and
 *	                               ceil(n * relief.quota.min_share) or that
 *	                               ceiling where it is lower (tiny counts)
 *	pension_subsidy(paid)          pension.subsidy_rate of paid, pro rata for
 *	                               the months left of pension.max_months
 *	hard_to_employ(sex, birth)     completed age >= employer.hard_to_employ.*
 *	enterprise_subsidy(p, i, u)    employer.subsidy.*_rate, summed exactly
 *	enterprise_loan_quota(h, s)    loan.per_hire * h when h >= loan.min_hires
 *	                               and h / s >= loan.min_share
 *	loan_interest_subsidy(...)     principal * rate * days / loan.day_count
 *	                               over the first loan.interest_years years
 *	                               (to the anniversary; of 29 February, 1 March)
 *	handicraft_reward(sales)       handicraft.reward
 *
 * Each SQL function has an overload ending in "scenario text", served by the
 * same C function: the scenario is read when PG_NARGS() says it is there.
 * The functions of 二 that take a reason also take it as text (its code),
 * through *_text entry points that refuse an unknown code naming the rule.
 */
#include "postgres.h"

#include <ctype.h>
#include <stdarg.h>

#include "access/genam.h"
#include "access/htup_details.h"
#include "access/table.h"
#include "catalog/pg_aggregate.h"
#include "catalog/pg_enum.h"
#include "catalog/pg_type.h"
#include "datatype/timestamp.h"
#include "fmgr.h"
#include "funcapi.h"
#include "lib/stringinfo.h"
#include "mb/pg_wchar.h"
#include "utils/builtins.h"
#include "utils/date.h"
#include "utils/datum.h"
#include "utils/datetime.h"
#include "utils/fmgroids.h"
#include "utils/json.h"
#include "utils/lsyscache.h"
#include "utils/numeric.h"
#include "utils/ruleutils.h"
#include "utils/syscache.h"

#include "cnid_core.h"
#include "rules.h"

static const BfRule rule_band = {"bangfu.relief_band", BF_N("二 temporary relief")};
static const BfRule rule_in_band = {"bangfu.relief_in_band", BF_N("二 temporary relief")};
static const BfRule rule_inst = {"bangfu.relief_installments", BF_N("二 temporary relief, paid in two installments")};
static const BfRule rule_quota = {"bangfu.relief_quota", BF_N("二 temporary relief quota, 3%-5% of urban households")};
static const BfRule rule_pension = {"bangfu.pension_subsidy", BF_N("五 pension subsidy for the flexibly employed")};
static const BfRule rule_hte = {"bangfu.hard_to_employ", BF_N("八(1) hard-to-employ person")};
static const BfRule rule_ent = {"bangfu.enterprise_subsidy", BF_N("八(1) social-insurance subsidy")};
static const BfRule rule_loanq = {"bangfu.enterprise_loan_quota", BF_N("八(2) loans for employers of hardship workers")};
static const BfRule rule_interest = {"bangfu.loan_interest_subsidy", BF_N("八(2) loan interest subsidy")};
static const BfRule rule_craft = {"bangfu.handicraft_reward", BF_N("八(3) handicraft sales reward")};

/* ------------------------------------------------------------------------
 * The per-call-site cache and the scenario argument (shared with agg.c).
 * ------------------------------------------------------------------------
 */

void
bf_rule_cache_init(BfRuleCache *rc, MemoryContext cxt,
				   const char *const *names, int n)
{
	int			i;

	Assert(n <= BF_RULE_MAX_REFS);
	memset(rc, 0, sizeof *rc);
	rc->cxt = cxt;
	rc->nrefs = n;
	for (i = 0; i < n; i++)
		bf_param_ref_init(&rc->refs[i], names[i]);
}

BfRuleCache *
bf_rule_cache_new(FunctionCallInfo fcinfo, const char *const *names, int n)
{
	BfRuleCache *rc = MemoryContextAlloc(fcinfo->flinfo->fn_mcxt, sizeof(BfRuleCache));

	bf_rule_cache_init(rc, fcinfo->flinfo->fn_mcxt, names, n);
	fcinfo->flinfo->fn_extra = rc;
	return rc;
}

const char *
bf_rule_scenario(FunctionCallInfo fcinfo, BfRuleCache *rc, int argno)
{
	text	   *t;
	int			len;
	int			i;
	char	   *name;

	if (PG_NARGS() <= argno)
		return NULL;
	t = PG_GETARG_TEXT_PP(argno);
	len = VARSIZE_ANY_EXHDR(t);
	if (likely(rc->scenario != NULL && rc->scenario_len == len &&
			   memcmp(rc->scenario, VARDATA_ANY(t), len) == 0))
		return rc->scenario;

	/* a different scenario from the last row's: check it, copy it, resolve */
	name = MemoryContextAlloc(rc->cxt, len + 1);
	memcpy(name, VARDATA_ANY(t), len);
	name[len] = '\0';
	bf_rule_scenario_check(fcinfo, name);
	if (rc->scenario != NULL)
		pfree(rc->scenario);
	rc->scenario = name;
	rc->scenario_len = len;
	for (i = 0; i < rc->nrefs; i++)
		bf_param_ref_init(&rc->refs[i], rc->refs[i].name);
	for (i = 0; i < BF_RULE_MAX_REASONS; i++)
		if (rc->reason_oid[i] != InvalidOid)
			bf_param_ref_init(&rc->reason_ref[i], rc->reason_ref[i].name);
	return rc->scenario;
}

/*
 * The aggregate whose transition function fn is, when one is (an aggregate
 * run as a window function has no Aggref to ask).  A catalogue scan: only
 * an error message needs it.
 */
static Oid
aggregate_of_transfn(Oid fn)
{
	Relation	rel = table_open(AggregateRelationId, AccessShareLock);
	ScanKeyData key;
	SysScanDesc scan;
	HeapTuple	tup;
	Oid			result = InvalidOid;

	ScanKeyInit(&key, Anum_pg_aggregate_aggtransfn, BTEqualStrategyNumber,
				F_OIDEQ, ObjectIdGetDatum(fn));
	scan = systable_beginscan(rel, InvalidOid, false, NULL, 1, &key);
	if (HeapTupleIsValid(tup = systable_getnext(scan)))
		result = ((Form_pg_aggregate) GETSTRUCT(tup))->aggfnoid;
	systable_endscan(scan);
	table_close(rel, AccessShareLock);
	return result;
}

/* schema.name of the function called, or of the aggregate it serves */
static char *
called_function(FunctionCallInfo fcinfo)
{
	Aggref	   *agg = AggGetAggref(fcinfo);
	Oid			fn = agg != NULL ? agg->aggfnoid :
		(fcinfo->flinfo != NULL ? fcinfo->flinfo->fn_oid : InvalidOid);
	char	   *name;

	if (agg == NULL && OidIsValid(fn) && AggCheckCallContext(fcinfo, NULL))
	{
		Oid			aggfn = aggregate_of_transfn(fn);

		if (OidIsValid(aggfn))
			fn = aggfn;
	}
	name = OidIsValid(fn) ? get_func_name(fn) : NULL;

	if (name == NULL)
		return pstrdup("a bangfu rule");
	return quote_qualified_identifier(get_namespace_name(get_func_namespace(fn)), name);
}

/*
 * 十二 what-if: a scenario is a row of bangfu.scenario.  The empty name is
 * the policy in force, as it always was.  Without this, the policy store's
 * own check would refuse the name without saying which call gave it (see
 * doc/clauses.md §0: a message names the argument and the rule).
 */
void
bf_rule_scenario_check(FunctionCallInfo fcinfo, const char *scenario)
{
	if (scenario[0] == '\0' || bf_scenario_exists(scenario))
		return;
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("unknown scenario \"%s\" (argument scenario of %s)",
					scenario, called_function(fcinfo)),
			 errhint("Scenarios are rows of bangfu.scenario.")));
}

/* Is the fast path prepared for this row's date (policy in force)? */
static inline bool
fast_fresh(const BfRuleCache *rc, DateADT on_date)
{
	return rc->fast_gen == bf_policy_cache_generation &&
		on_date >= rc->fast_lo && on_date < rc->fast_hi;
}

/* Note the window the refs' versions share, after they were picked. */
static void
fast_window(BfRuleCache *rc, int nrefs)
{
	DateADT		lo = DATEVAL_NOBEGIN;
	DateADT		hi = DATEVAL_NOEND;
	int			k;

	for (k = 0; k < nrefs; k++)
		bf_policy_window(&rc->refs[k], &lo, &hi);
	/* an infinite date never fits [lo, hi): such rows take the slow path */
	rc->fast_lo = lo;
	rc->fast_hi = hi;
	rc->fast_gen = bf_policy_cache_generation;
}

/* ------------------------------------------------------------------------
 * Small helpers: errors, exact arithmetic, dates, JSON.
 * ------------------------------------------------------------------------
 */

/* A class-22 error naming the rule, with an optional hint. */
static void rule_error(int code, const BfRule *rule, const char *hint,
					   const char *fmt,...) pg_attribute_printf(4, 5) pg_attribute_noreturn();

static void
rule_error(int code, const BfRule *rule, const char *hint, const char *fmt,...)
{
	StringInfoData msg;

	initStringInfo(&msg);
	for (;;)
	{
		va_list		ap;
		int			needed;

		va_start(ap, fmt);
		/* fmt and hint are in bangfu's catalog (po/: rule_error:3,4) */
		needed = appendStringInfoVA(&msg, dgettext(TEXTDOMAIN, fmt), ap);
		va_end(ap);
		if (needed == 0)
			break;
		enlargeStringInfo(&msg, needed);
	}
	ereport(ERROR,
			(errcode(code),
			 errmsg("%s", msg.data),
			 errdetail("Rule: %s (%s).", rule->function, bf_rule_clause_msg(rule)),
			 hint ? errhint("%s", dgettext(TEXTDOMAIN, hint)) : 0));
	pg_unreachable();
}

/* A policy value that cannot serve the rule (a scenario may set anything). */
static void policy_error(const BfRule *rule, const char *param, const char *what)
			pg_attribute_noreturn();

static void
policy_error(const BfRule *rule, const char *param, const char *what)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("policy parameter \"%s\" %s", param, what),
			 errdetail("Rule: %s (%s).", rule->function, bf_rule_clause_msg(rule)),
			 errhint("Correct the policy version or scenario value of \"%s\".", param)));
	pg_unreachable();
}

/*
 * The one rate of a share parameter (relief.quota.*, loan.min_share): a
 * schedule of a single bracket from 0 up with a rate and no cap.  Shares of
 * people are not money, so the rate itself is used, as an exact fraction.
 */
static void
single_rate(const BfPolicyValue *v, const char *param, const BfRule *rule,
			int64 *num, int64 *den)
{
	const bf_tiers *t = v->tiers;
	const bf_bracket *b = &t->b[0];

	if (t->nbrackets != 1 || (b->flags & BF_B_FIXED) ||
		!(b->flags & BF_B_HI_INF) || !bf_bracket_contains(b, 0) || t->cap >= 0)
		policy_error(rule, param,
					 psprintf(bf_("must be a single rate over [0,) without cap, not \"%s\""),
							  bf_tiers_cstring(t)));
	*num = b->num;
	*den = b->den;
}

static int64
count_param(const BfPolicyValue *v, const char *param, const BfRule *rule,
			int64 min)
{
	if (v->amount < min)
		policy_error(rule, param,
					 psprintf(bf_("is %lld, below the least sensible value %lld"),
							  (long long) v->amount, (long long) min));
	return v->amount;
}

static bf_i128
mul128(bf_i128 a, bf_i128 b, const BfRule *rule)
{
	bf_i128		r;

	if (unlikely(__builtin_mul_overflow(a, b, &r)))
		rule_error(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE, rule,
				   "Use rates with smaller denominators.",
				   "intermediate value out of range");
	return r;
}

/* A result in fen, refused beyond the supported range. */
static Datum
fen_result(bf_i128 fen, const BfRule *rule)
{
	if (unlikely(fen > BF_MAX_FEN || fen < 0))
		rule_error(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE, rule, NULL,
				   "result is beyond %s yuan", BF_MAX_YUAN_TEXT);
	return bf_fen_to_datum((int64) fen);
}

static void
date_ymd(DateADT d, int *y, int *m, int *day)
{
	j2date(d + POSTGRES_EPOCH_JDATE, y, m, day);
}

/*
 * The n-th anniversary of the calendar date y-m-d: the same month and day
 * n years on, and for 29 February in a year that is not leap, 1 March, the
 * day after 28 February.  One reading of 29 February everywhere: a person
 * born on it reaches an age on 1 March of a common year (八(1) 年满), and a
 * loan of 2024-02-29 is subsidised for two years through 2026-02-28, its
 * anniversary being 2026-03-01 (八(2)).  This is not date + interval
 * 'n years', which stops at 28 February.  Past the last date: infinity.
 */
static DateADT
anniversary_ymd(int y, int m, int day, int64 n)
{
	int64		ny = y + n;
	DateADT		r;

	if (ny > JULIAN_MAXYEAR)
		return DATEVAL_NOEND;
	if (day > day_tab[isleap(ny)][m - 1])
	{
		/* only 29 February can be missing in another year */
		m++;
		day = 1;
	}
	if (!IS_VALID_JULIAN(ny, m, day))
		return DATEVAL_NOEND;
	r = date2j((int) ny, m, day) - POSTGRES_EPOCH_JDATE;
	return IS_VALID_DATE(r) ? r : DATEVAL_NOEND;
}

static DateADT
anniversary(DateADT d, int64 n)
{
	int			y,
				m,
				day;

	date_ymd(d, &y, &m, &day);
	return anniversary_ymd(y, m, day, n);
}

static void
check_finite(DateADT d, const char *argname, const BfRule *rule)
{
	if (DATE_NOT_FINITE(d))
		rule_error(ERRCODE_INVALID_PARAMETER_VALUE, rule, NULL,
				   "%s %s is not a calendar date", argname, bf_date_cstring(d));
}

/* n/d as text: "3/10", or the integer when d divides n. */
static char *
fraction_cstring(bf_i128 n, bf_i128 d)
{
	bf_i128		g = bf_gcd128(n, d);

	if (g > 1)
	{
		n /= g;
		d /= g;
	}
	if (d == 1)
		return psprintf("%lld", (long long) n);
	return psprintf("%lld/%lld", (long long) n, (long long) d);
}

/* exact value num/den fen as yuan text, or null when it will not print */
static void
json_exact(StringInfo buf, const char *key, bf_i128 num, bf_i128 den)
{
	char		txt[96];
	bf_i128		g = bf_gcd128(num, den);

	if (g > 1)
	{
		num /= g;
		den /= g;
	}
	if (den > PG_INT64_MAX || bf_exact_format(num, (int64) den, txt, sizeof txt) < 0)
		bf_json_str(buf, key, NULL);
	else
		bf_json_str(buf, key, txt);
}

static void
json_key(StringInfo buf, const char *key)
{
	if (buf->len > 1)
		appendStringInfoString(buf, ", ");
	escape_json(buf, key);
	appendStringInfoString(buf, ": ");
}

static void
json_int(StringInfo buf, const char *key, int64 v)
{
	json_key(buf, key);
	appendStringInfo(buf, "%lld", (long long) v);
}

static void
json_bool(StringInfo buf, const char *key, bool v)
{
	json_key(buf, key);
	appendStringInfoString(buf, v ? "true" : "false");
}

static void
json_date(StringInfo buf, const char *key, DateADT d)
{
	bf_json_str(buf, key, bf_date_cstring(d));
}

/*
 * An explanation under construction: the rule's own members, and the
 * policy versions it used ("policy": {param: {valid_from, value}}); the
 * latest of their dates is "policy_valid_from", the version in force.
 */
typedef struct Explain
{
	StringInfoData buf;
	StringInfoData pol;
	DateADT		latest;
	bool		any;
} Explain;

static void
ex_begin(Explain *e, const BfRule *rule, const char *scenario)
{
	initStringInfo(&e->buf);
	initStringInfo(&e->pol);
	appendStringInfoChar(&e->buf, '{');
	appendStringInfoChar(&e->pol, '{');
	e->any = false;
	e->latest = DATEVAL_NOBEGIN;
	bf_json_str(&e->buf, "rule", bf_rule_clause(rule));
	bf_json_str(&e->buf, "function", rule->function);
	if (scenario != NULL)
		bf_json_str(&e->buf, "scenario", scenario);
}

static char *
band_cstring(Datum band)
{
	Oid			out;
	bool		isvarlena;

	getTypeOutputInfo(NUMRANGEOID, &out, &isvarlena);
	return OidOutputFunctionCall(out, band);
}

static void
ex_policy(Explain *e, const char *param, const BfPolicyValue *v)
{
	StringInfoData sub;

	initStringInfo(&sub);
	appendStringInfoChar(&sub, '{');
	json_date(&sub, "valid_from", v->valid_from);
	switch (v->kind)
	{
		case BF_KIND_TIERS:
			bf_json_str(&sub, "value", bf_tiers_cstring(v->tiers));
			break;
		case BF_KIND_AMOUNT:
			bf_json_fen(&sub, "value", v->amount);
			break;
		case BF_KIND_COUNT:
			json_int(&sub, "value", v->amount);
			break;
		case BF_KIND_BAND:
			bf_json_str(&sub, "value", band_cstring(v->band));
			break;
	}
	appendStringInfoChar(&sub, '}');
	json_key(&e->pol, param);
	appendStringInfoString(&e->pol, sub.data);
	pfree(sub.data);
	if (!e->any || v->valid_from > e->latest)
		e->latest = v->valid_from;
	e->any = true;
}

static Datum
ex_finish(Explain *e)
{
	if (e->any)
	{
		json_date(&e->buf, "policy_valid_from", e->latest);
		appendStringInfoChar(&e->pol, '}');
		json_key(&e->buf, "policy");
		appendStringInfoString(&e->buf, e->pol.data);
	}
	return bf_json_finish(&e->buf);
}

/* One schedule application as a nested object. */
static void
json_applied(StringInfo buf, const char *key, const bf_tiers *t, int64 fen,
			 const bf_apply_result *r)
{
	StringInfoData sub;

	initStringInfo(&sub);
	appendStringInfoChar(&sub, '{');
	bf_tiers_explain_members(&sub, t, fen, r);
	appendStringInfoChar(&sub, '}');
	json_key(buf, key);
	appendStringInfoString(buf, sub.data);
}

/* ------------------------------------------------------------------------
 * 二 temporary relief
 * ------------------------------------------------------------------------
 */

/* The relief.band.<reason> reference of an enum value, made on first use. */
static BfParamRef *
reason_ref(BfRuleCache *rc, Oid reason)
{
	/* an enum's values have consecutive even OIDs when it is created */
	int			slot = (reason >> 1) & (BF_RULE_MAX_REASONS - 1);
	char	   *label;

	StaticAssertStmt((BF_RULE_MAX_REASONS & (BF_RULE_MAX_REASONS - 1)) == 0,
					 "BF_RULE_MAX_REASONS must be a power of 2");
	if (likely(rc->reason_oid[slot] == reason))
		return &rc->reason_ref[slot];
	/* first use of this reason here, or another took its slot: resolve */
	label = DatumGetCString(DirectFunctionCall1(enum_out, ObjectIdGetDatum(reason)));
	if (rc->reason_oid[slot] != InvalidOid)
		pfree((char *) rc->reason_ref[slot].name);
	rc->reason_oid[slot] = reason;
	bf_param_ref_init(&rc->reason_ref[slot],
					  MemoryContextStrdup(rc->cxt, psprintf("relief.band.%s", label)));
	return &rc->reason_ref[slot];
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
		rule_error(ERRCODE_INVALID_PARAMETER_VALUE, rule,
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
	Explain		e;

	ex_begin(&e, &rule_band, scenario);
	bf_json_str(&e.buf, "reason",
				DatumGetCString(DirectFunctionCall1(enum_out, ObjectIdGetDatum(reason))));
	json_date(&e.buf, "on_date", BF_RULE_DATE(1));
	bf_json_str(&e.buf, "param", ref->name);
	bf_json_str(&e.buf, "band", band_cstring(v->band));
	bf_json_fen(&e.buf, "least", v->band_lo);
	bf_json_fen(&e.buf, "most", v->band_hi);
	ex_policy(&e, ref->name, v);
	return ex_finish(&e);
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
	Explain		e;

	if (v->band_lo > v->band_hi)
		policy_error(&rule_in_band, ref->name, "is an empty band");
	if (result < v->band_lo)
		result = v->band_lo;
	if (result > v->band_hi)
		result = v->band_hi;
	if (!explain)
		return bf_fen_to_datum(result);

	ex_begin(&e, &rule_in_band, scenario);
	bf_json_str(&e.buf, "reason",
				DatumGetCString(DirectFunctionCall1(enum_out, ObjectIdGetDatum(reason))));
	json_date(&e.buf, "on_date", on_date);
	bf_json_str(&e.buf, "param", ref->name);
	bf_json_str(&e.buf, "band", band_cstring(v->band));
	bf_json_fen(&e.buf, "amount", amount);
	bf_json_str(&e.buf, "moved", result == amount ? NULL :
				(result > amount ? "up to the least of the band" : "down to the most of the band"));
	bf_json_fen(&e.buf, "result", result);
	ex_policy(&e, ref->name, v);
	return ex_finish(&e);
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
	Explain		e;

	ex_begin(&e, &rule_inst, NULL);
	bf_json_fen(&e.buf, "amount", fen);
	json_exact(&e.buf, "half_exact", fen, 2);
	bf_json_fen(&e.buf, "first_half", first);
	bf_json_fen(&e.buf, "second_half", second);
	bf_json_str(&e.buf, "rounding", "first half rounded up to the fen, second half the rest");
	return ex_finish(&e);
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
		rule_error(ERRCODE_INVALID_PARAMETER_VALUE, &rule_quota, NULL,
				   "urban_households %d is negative", n);
	q->households = n;
	q->vmin = bf_policy_get(&rc->refs[0], scenario, on_date, BF_KIND_TIERS);
	q->vmax = bf_policy_get(&rc->refs[1], scenario, on_date, BF_KIND_TIERS);
	single_rate(q->vmin, quota_params[0], &rule_quota, &q->nmin, &q->dmin);
	single_rate(q->vmax, quota_params[1], &rule_quota, &q->nmax, &q->dmax);
	q->lo_share = (int64) bf_ceil_div((bf_i128) n * q->nmin, q->dmin);
	q->hi = (int64) bf_floor_div((bf_i128) n * q->nmax, q->dmax);
	/* 二: the ceiling holds; where the floor would pass it, the floor is it */
	q->lo = Min(q->lo_share, q->hi);
	if (q->lo_share > PG_INT32_MAX || q->hi > PG_INT32_MAX)
		rule_error(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE, &rule_quota, NULL,
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

	single_rate(vmin, quota_params[0], &rule_quota, &rc->fast_i[0], &rc->fast_i[1]);
	single_rate(vmax, quota_params[1], &rule_quota, &rc->fast_i[2], &rc->fast_i[3]);
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
	fast_window(rc, 2);
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

		if (unlikely(!fast_fresh(rc, on_date)))
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
	Explain		e;
	char		rate[64];

	quota_compute(fcinfo, rc, &q, &scenario);
	ex_begin(&e, &rule_quota, scenario);
	json_date(&e.buf, "on_date", BF_RULE_DATE(1));
	json_int(&e.buf, "urban_households", q.households);
	bf_payout_format(&q.vmin->tiers->b[0], rate, sizeof rate);
	bf_json_str(&e.buf, "min_share", rate);
	json_exact(&e.buf, "min_exact", (bf_i128) q.households * q.nmin * 100, q.dmin);
	json_int(&e.buf, "min_households", q.lo);
	bf_json_str(&e.buf, "min_rounding", q.lo < q.lo_share ?
				"up, then lowered to the ceiling (a floor to report against; the ceiling holds)" :
				"up (a floor to report against)");
	bf_payout_format(&q.vmax->tiers->b[0], rate, sizeof rate);
	bf_json_str(&e.buf, "max_share", rate);
	json_exact(&e.buf, "max_exact", (bf_i128) q.households * q.nmax * 100, q.dmax);
	json_int(&e.buf, "max_households", q.hi);
	bf_json_str(&e.buf, "max_rounding", "down (a hard ceiling)");
	ex_policy(&e, quota_params[0], q.vmin);
	ex_policy(&e, quota_params[1], q.vmax);
	PG_RETURN_DATUM(ex_finish(&e));
}

/* ------------------------------------------------------------------------
 * 五 pension subsidy
 * ------------------------------------------------------------------------
 */

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
			rule_error(ERRCODE_INVALID_PARAMETER_VALUE, &rule_pension,
					   "A payment covers at least one month.",
					   "months %lld must be positive", (long long) p->months);
		if (p->before < 0)
			rule_error(ERRCODE_INVALID_PARAMETER_VALUE, &rule_pension, NULL,
					   "months_subsidised_before %lld is negative", (long long) p->before);
		p->max_months = bf_policy_get(&rc->refs[1], scenario, on_date, BF_KIND_COUNT);
		maxm = count_param(p->max_months, pension_params[1], &rule_pension, 0);
		p->remaining = p->before >= maxm ? 0 : maxm - p->before;
		p->covered = Min(p->months, p->remaining);
		p->exact_num = mul128(p->r.exact_num, p->covered, &rule_pension);
		p->exact_den = mul128(p->r.exact_den, p->months, &rule_pension);
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
	Explain		e;

	pension_compute(fcinfo, rc, pro_rata, &p, &scenario, &on_date);
	if (!explain)
		return bf_fen_to_datum(p.value);

	ex_begin(&e, &rule_pension, scenario);
	json_date(&e.buf, "on_date", on_date);
	bf_json_fen(&e.buf, "paid", p.paid);
	json_applied(&e.buf, "schedule_on_paid", p.rate->tiers, p.paid, &p.r);
	if (pro_rata)
	{
		json_int(&e.buf, "months", p.months);
		json_int(&e.buf, "months_subsidised_before", p.before);
		json_int(&e.buf, "max_months", p.max_months->amount);
		json_int(&e.buf, "months_remaining", p.remaining);
		json_int(&e.buf, "months_covered", p.covered);
		bf_json_str(&e.buf, "pro_rata", psprintf("%lld/%lld", (long long) p.covered,
												 (long long) p.months));
	}
	json_exact(&e.buf, "exact", p.exact_num, p.exact_den);
	bf_json_fen(&e.buf, "rounded", p.uncapped);
	json_bool(&e.buf, "cap_applied", p.capped);
	bf_json_fen(&e.buf, "result", p.value);
	ex_policy(&e, pension_params[0], p.rate);
	if (pro_rata)
		ex_policy(&e, pension_params[1], p.max_months);
	return ex_finish(&e);
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

/* ------------------------------------------------------------------------
 * 八(1) hard-to-employ persons and the social-insurance subsidy
 * ------------------------------------------------------------------------
 */

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
	rule_error(ERRCODE_INVALID_PARAMETER_VALUE, &rule_hte,
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
	check_finite(h->birth, "birth_date", &rule_hte);
	check_finite(h->on_date, "on_date", &rule_hte);
	if (h->birth > h->on_date)
		rule_error(ERRCODE_INVALID_PARAMETER_VALUE, &rule_hte,
				   "on_date is the hire date; it cannot come before the birth.",
				   "birth_date %s is after on_date %s",
				   bf_date_cstring(h->birth), bf_date_cstring(h->on_date));
	h->param = hte_params[h->sex == 'M' ? 0 : 1];
	h->age_param = bf_policy_get(&rc->refs[h->sex == 'M' ? 0 : 1], scenario,
								 h->on_date, BF_KIND_COUNT);
	h->threshold = count_param(h->age_param, h->param, &rule_hte, 0);

	if (with_age)
	{
		int			oy,
					om,
					od;

		date_ymd(h->on_date, &oy, &om, &od);
		h->age = oy - by - ((om < bm || (om == bm && od < bd)) ? 1 : 0);
	}
	/* the birthday the threshold is reached on, read as loans read theirs */
	h->reached_on = anniversary_ymd(by, bm, bd, h->threshold);
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
	date_ymd(h->birth, &by, &bm, &bd);
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
	Explain		e;

	hte_compute(fcinfo, rc, &h, &scenario, true);
	ex_begin(&e, &rule_hte, scenario);
	bf_json_str(&e.buf, "sex", h.sex == 'M' ? "M" : "F");
	json_date(&e.buf, "birth_date", h.birth);
	json_date(&e.buf, "on_date", h.on_date);
	json_int(&e.buf, "age", h.age);
	bf_json_str(&e.buf, "param", h.param);
	json_int(&e.buf, "threshold", h.threshold);
	json_date(&e.buf, "reaches_threshold_on", h.reached_on);
	json_bool(&e.buf, "result", h.result);
	ex_policy(&e, h.param, h.age_param);
	PG_RETURN_DATUM(ex_finish(&e));
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
			l = mul128(l / bf_gcd128(l, td[k]), td[k], &rule_ent);
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
			bf_i128		term = mul128(tn[k], rc->lcm_mult[k], &rule_ent);

			if (__builtin_add_overflow(s->num, term, &s->num))
				rule_error(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE, &rule_ent, NULL,
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
	fast_window(rc, 3);
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
		if (unlikely(!fast_fresh(rc, on_date)))
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
				PG_RETURN_DATUM(fen_result((int64) bf_divide(&rc->fast_dv[0], 2 * n + rc->fast_i[3]),
										   &rule_ent));
		}
	}

	ent_compute(fcinfo, rc, &s, false, &scenario, &on_date);
	PG_RETURN_DATUM(fen_result(s.value, &rule_ent));
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
	Explain		e;
	int			k;

	ent_compute(fcinfo, rc, &s, true, &scenario, &on_date);
	months = bf_policy_get(&rc->refs[3], scenario, on_date, BF_KIND_COUNT);
	ex_begin(&e, &rule_ent, scenario);
	json_date(&e.buf, "on_date", on_date);
	for (k = 0; k < 3; k++)
		json_applied(&e.buf, ent_args[k], s.v[k]->tiers, s.fen[k], &s.r[k]);
	(void) fen_result(s.value, &rule_ent);
	json_exact(&e.buf, "exact", s.num, s.den);
	bf_json_fen(&e.buf, "result", s.value);
	json_int(&e.buf, "months_after_hiring", months->amount);
	for (k = 0; k < 3; k++)
		ex_policy(&e, ent_params[k], s.v[k]);
	ex_policy(&e, ent_params[3], months);
	PG_RETURN_DATUM(ex_finish(&e));
}

/* ------------------------------------------------------------------------
 * 八(2) loans for employers of hardship workers
 * ------------------------------------------------------------------------
 */

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
		rule_error(ERRCODE_INVALID_PARAMETER_VALUE, &rule_loanq, NULL,
				   "hardship_hires %d is negative", q->hires);
	if (q->staff < 0)
		rule_error(ERRCODE_INVALID_PARAMETER_VALUE, &rule_loanq, NULL,
				   "total_staff %d is negative", q->staff);
	if (q->hires > q->staff)
		rule_error(ERRCODE_INVALID_PARAMETER_VALUE, &rule_loanq,
				   "total_staff counts every employee, the hardship hires included.",
				   "hardship_hires %d exceeds total_staff %d", q->hires, q->staff);
	q->per_hire = bf_policy_get(&rc->refs[0], scenario, on_date, BF_KIND_AMOUNT);
	q->min_hires = bf_policy_get(&rc->refs[1], scenario, on_date, BF_KIND_COUNT);
	q->min_share = bf_policy_get(&rc->refs[2], scenario, on_date, BF_KIND_TIERS);
	single_rate(q->min_share, loanq_params[2], &rule_loanq, &q->snum, &q->sden);
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
	PG_RETURN_DATUM(fen_result(q.value, &rule_loanq));
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
	Explain		e;
	char		rate[64];

	loanq_compute(fcinfo, rc, &q, &scenario, &on_date);
	(void) fen_result(q.value, &rule_loanq);
	ex_begin(&e, &rule_loanq, scenario);
	json_date(&e.buf, "on_date", on_date);
	json_int(&e.buf, "hardship_hires", q.hires);
	json_int(&e.buf, "total_staff", q.staff);
	json_int(&e.buf, "min_hires", q.min_hires->amount);
	json_bool(&e.buf, "enough_hires", q.enough_hires);
	bf_payout_format(&q.min_share->tiers->b[0], rate, sizeof rate);
	bf_json_str(&e.buf, "min_share", rate);
	bf_json_str(&e.buf, "share", q.staff == 0 ? NULL : fraction_cstring(q.hires, q.staff));
	json_bool(&e.buf, "enough_share", q.enough_share);
	bf_json_fen(&e.buf, "per_hire", q.per_hire->amount);
	bf_json_fen(&e.buf, "result", (int64) q.value);
	ex_policy(&e, loanq_params[0], q.per_hire);
	ex_policy(&e, loanq_params[1], q.min_hires);
	ex_policy(&e, loanq_params[2], q.min_share);
	PG_RETURN_DATUM(ex_finish(&e));
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
		rule_error(ERRCODE_INVALID_PARAMETER_VALUE, &rule_interest, NULL,
				   "annual_rate %s is negative", s);
	if (!isdigit((unsigned char) *p))
		rule_error(ERRCODE_INVALID_PARAMETER_VALUE, &rule_interest, NULL,
				   "annual_rate %s is not a rate", s);
	while (isdigit((unsigned char) *p))
	{
		ip = ip * 10 + (*p++ - '0');
		if (ip > 1)
			rule_error(ERRCODE_INVALID_PARAMETER_VALUE, &rule_interest,
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
		rule_error(ERRCODE_INVALID_PARAMETER_VALUE, &rule_interest,
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
		rule_error(ERRCODE_INVALID_PARAMETER_VALUE, &rule_interest,
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
	uint16		hdr;
	int			weight;
	int			nd;
	int			k;
	int			decimals;
	int64		n = 0;
	int64		scale = 1;
	uint16		dig = 0;

	if (!bf_numeric_body(d, &p, &len) || len < sizeof(uint16) || len > 5 * sizeof(uint16))
		return false;
	memcpy(&hdr, p, sizeof hdr);
	if ((hdr & (BF_NUM_FLAGBITS_MASK | BF_NUM_SHORT_SIGN_MASK)) != BF_NUM_SHORT)
		return false;
	weight = (hdr & BF_NUM_SHORT_WEIGHT_SIGN) ?
		(int) (int16) (hdr | ~BF_NUM_SHORT_WEIGHT_MASK) : (int) (hdr & BF_NUM_SHORT_WEIGHT_MASK);
	nd = (int) (len / sizeof(uint16)) - 1;
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
		memcpy(&dig, p + (k + 1) * sizeof(uint16), sizeof dig);
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
	decimals = 4 * (nd - weight - 1);
	if (decimals > 16)
		return false;
	for (k = 0; k < decimals; k++)
		scale *= 10;
	while (dig != 0 && dig % 10 == 0)	/* stored digits: the last is not 0 */
	{
		dig /= 10;
		decimals--;
	}
	if (decimals > BF_RATE_MAX_DECIMALS)
		return false;
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
	const BfPolicyValue *years;
	const BfPolicyValue *day_count;
	int64		days;
	bf_i128		num,
				den;
	int64		value;
} InterestResult;

static void
interest_compute(FunctionCallInfo fcinfo, BfRuleCache *rc, InterestResult *i,
				 const char **scenp)
{
	const char *scenario = bf_rule_scenario(fcinfo, rc, 5);
	int64		dc;

	i->principal = bf_datum_to_fen(PG_GETARG_DATUM(0), "principal", &rule_interest);
	if (!quick_rate(PG_GETARG_DATUM(1), &i->rnum, &i->rden))
		annual_rate(PG_GETARG_DATUM(1), &i->rnum, &i->rden);
	i->start = PG_GETARG_DATEADT(2);
	i->from = PG_GETARG_DATEADT(3);
	i->to = PG_GETARG_DATEADT(4);
	check_finite(i->start, "loan_start", &rule_interest);
	check_finite(i->from, "period_from", &rule_interest);
	check_finite(i->to, "period_to", &rule_interest);
	if (i->to < i->from)
		rule_error(ERRCODE_INVALID_PARAMETER_VALUE, &rule_interest,
				   "The period is [period_from, period_to): period_to is the first day not counted.",
				   "period_to %s is before period_from %s",
				   bf_date_cstring(i->to), bf_date_cstring(i->from));

	/* the loan's terms are those in force when it starts */
	i->years = bf_policy_get(&rc->refs[0], scenario, i->start, BF_KIND_COUNT);
	i->day_count = bf_policy_get(&rc->refs[1], scenario, i->start, BF_KIND_COUNT);
	(void) count_param(i->years, interest_params[0], &rule_interest, 0);
	dc = count_param(i->day_count, interest_params[1], &rule_interest, 1);

	if (likely(rc->end_gen == bf_policy_cache_generation && rc->end_start == i->start &&
			   rc->end_years == i->years->amount))
		i->end = rc->end_date;
	else
	{
		i->end = anniversary(i->start, i->years->amount);
		rc->end_start = i->start;
		rc->end_years = i->years->amount;
		rc->end_date = i->end;
		rc->end_gen = bf_policy_cache_generation;
	}
	i->lo = Max(i->from, i->start);
	i->hi = Min(i->to, i->end);
	i->days = i->hi > i->lo ? (int64) i->hi - i->lo : 0;
	i->num = mul128(mul128(i->principal, i->rnum, &rule_interest), i->days, &rule_interest);
	i->den = mul128(i->rden, dc, &rule_interest);
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

	interest_compute(fcinfo, rc, &i, &scenario);
	PG_RETURN_DATUM(fen_result(i.value, &rule_interest));
}

/* 八(2) interest subsidy step by step. */
PG_FUNCTION_INFO_V1(bf_loan_interest_subsidy_explain);
Datum
bf_loan_interest_subsidy_explain(PG_FUNCTION_ARGS)
{
	BfRuleCache *rc = bf_rule_cache(fcinfo, interest_params, 2);
	InterestResult i;
	const char *scenario;
	Explain		e;

	interest_compute(fcinfo, rc, &i, &scenario);
	(void) fen_result(i.value, &rule_interest);
	ex_begin(&e, &rule_interest, scenario);
	bf_json_fen(&e.buf, "principal", i.principal);
	bf_json_str(&e.buf, "annual_rate",
				DatumGetCString(DirectFunctionCall1(numeric_out, PG_GETARG_DATUM(1))));
	bf_json_str(&e.buf, "annual_rate_exact", fraction_cstring(i.rnum, i.rden));
	json_date(&e.buf, "loan_start", i.start);
	json_int(&e.buf, "interest_years", i.years->amount);
	json_date(&e.buf, "subsidy_ends", i.end);
	/* subsidy_ends is the anniversary, the first day not subsidised */
	if (i.end <= i.start)
		bf_json_str(&e.buf, "last_day_subsidised", NULL);
	else
		json_date(&e.buf, "last_day_subsidised",
				  DATE_NOT_FINITE(i.end) ? i.end : i.end - 1);
	json_date(&e.buf, "period_from", i.from);
	json_date(&e.buf, "period_to", i.to);
	json_int(&e.buf, "days_in_period", (int64) i.to - i.from);
	if (i.days > 0)
	{
		json_date(&e.buf, "counted_from", i.lo);
		json_date(&e.buf, "counted_to", i.hi);
	}
	json_int(&e.buf, "days_subsidised", i.days);
	json_int(&e.buf, "day_count", i.day_count->amount);
	json_exact(&e.buf, "exact", i.num, i.den);
	bf_json_fen(&e.buf, "result", i.value);
	ex_policy(&e, interest_params[0], i.years);
	ex_policy(&e, interest_params[1], i.day_count);
	PG_RETURN_DATUM(ex_finish(&e));
}

/* ------------------------------------------------------------------------
 * 八(3) handicraft sales reward
 * ------------------------------------------------------------------------
 */

static const char *const craft_params[] = {"handicraft.reward"};

/* 八(3): the reward for a year's sales of products made by hardship households. */
PG_FUNCTION_INFO_V1(bf_handicraft_reward);
Datum
bf_handicraft_reward(PG_FUNCTION_ARGS)
{
	BfRuleCache *rc = bf_rule_cache(fcinfo, craft_params, 1);
	int64		sales = bf_datum_to_fen(PG_GETARG_DATUM(0), "sales", &rule_craft);
	DateADT		on_date = BF_RULE_DATE(1);
	const char *scenario = bf_rule_scenario(fcinfo, rc, 2);
	const BfPolicyValue *v = bf_policy_get(&rc->refs[0], scenario, on_date, BF_KIND_TIERS);
	bf_apply_result r;

	bf_tiers_apply_checked(v->tiers, sales, &r, "sales", &rule_craft);
	PG_RETURN_DATUM(bf_fen_to_datum(r.value));
}

/* 八(3) step by step, with the jump at the nearest tier bound. */
PG_FUNCTION_INFO_V1(bf_handicraft_reward_explain);
Datum
bf_handicraft_reward_explain(PG_FUNCTION_ARGS)
{
	BfRuleCache *rc = bf_rule_cache(fcinfo, craft_params, 1);
	int64		sales = bf_datum_to_fen(PG_GETARG_DATUM(0), "sales", &rule_craft);
	DateADT		on_date = BF_RULE_DATE(1);
	const char *scenario = bf_rule_scenario(fcinfo, rc, 2);
	const BfPolicyValue *v = bf_policy_get(&rc->refs[0], scenario, on_date, BF_KIND_TIERS);
	bf_apply_result r;
	Explain		e;

	bf_tiers_apply_checked(v->tiers, sales, &r, "sales", &rule_craft);
	ex_begin(&e, &rule_craft, scenario);
	json_date(&e.buf, "on_date", on_date);
	bf_json_str(&e.buf, "param", craft_params[0]);
	bf_json_str(&e.buf, "schedule", bf_tiers_cstring(v->tiers));
	bf_tiers_explain_members(&e.buf, v->tiers, sales, &r);
	bf_json_fen(&e.buf, "result", r.value);
	ex_policy(&e, craft_params[0], v);
	PG_RETURN_DATUM(ex_finish(&e));
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
