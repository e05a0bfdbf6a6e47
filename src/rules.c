/*
 * rules.c
 *		The rule runtime: what every rule of bangfu (src/medical.c 四,
 *		src/relief.c 二, src/pension.c 五, src/employer.c 八(1), src/loan.c
 *		八(2), src/handicraft.c 八(3)) uses instead of a copy of its own.
 *
 *	- the call site's cache of policy references (fn_extra), and the
 *	  optional trailing scenario argument, checked once per name;
 *	- the one error path naming a rule ("Rule: bangfu.f (clause).");
 *	- exact arithmetic and the calendar (anniversaries, finite dates);
 *	- "apply a schedule, then the yearly cap" (bf_rule_capped_step);
 *	- the explanation builder: every *_explain function returns an object
 *	  of the same shape (doc/explain.md), built here.
 *
 * A rule file holds one clause: its BfRule names, its parameters' names and
 * its SQL-callable functions, all of them thin over this file.
 */
#include "postgres.h"

#include "access/genam.h"
#include "access/table.h"
#include "catalog/pg_aggregate.h"
#include "catalog/pg_type.h"
#include "funcapi.h"
#include "nodes/primnodes.h"
#include "nodes/pg_list.h"
#include "lib/stringinfo.h"
#include "utils/builtins.h"
#include "utils/fmgroids.h"
#include "utils/json.h"
#include "utils/lsyscache.h"
#include "utils/ruleutils.h"

#include "rules.h"

/* ------------------------------------------------------------------------
 * The per-call-site cache and the scenario argument (every rule file).
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
bf_rule_scenario_arg(FunctionCallInfo fcinfo, BfRuleCache *rc, int argno)
{
	return bf_rule_scenario_text(fcinfo, rc, PG_GETARG_TEXT_PP(argno));
}

const char *
bf_rule_scenario_text(FunctionCallInfo fcinfo, BfRuleCache *rc, text *t)
{
	int			len;
	int			i;
	char	   *name;

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
	for (i = 0; i < BF_RULE_MAX_KEYED; i++)
		if (rc->key_oid[i] != InvalidOid)
			bf_param_ref_init(&rc->key_ref[i], rc->key_ref[i].name);
	return rc->scenario;
}

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

	if (expr == NULL || !IsA(expr, FuncExpr))
		return false;
	args = ((FuncExpr *) expr)->args;
	if (argno < 0 || argno >= list_length(args))
		return false;
	return IsA(list_nth(args, argno), Const);
}

/* The first call at a call site (bf_rule_amount_arg): is the argument constant? */
int64
bf_rule_amount_arg_slow(FunctionCallInfo fcinfo, BfRuleCache *rc, int argno,
						const char *argname, const BfRule *rule)
{
	int64		fen = bf_datum_to_fen(PG_GETARG_DATUM(argno), argname, rule);

	Assert(argno < BF_RULE_MAX_ARGS);
	rc->arg_state[argno] = arg_is_const(fcinfo->flinfo, argno) ? 1 : 2;
	rc->arg_fen[argno] = fen;
	return fen;
}

TupleDesc
bf_rule_result_desc(FunctionCallInfo fcinfo, BfRuleCache *rc)
{
	TupleDesc	desc;
	MemoryContext old;

	if (likely(rc->desc != NULL))
		return rc->desc;
	if (get_call_result_type(fcinfo, NULL, &desc) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "function returning a record called in a context that cannot accept one");
	old = MemoryContextSwitchTo(rc->cxt);
	rc->desc = BlessTupleDesc(CreateTupleDescCopy(desc));
	MemoryContextSwitchTo(old);
	return rc->desc;
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

/* Note the window the refs' versions share, after they were picked. */
void
bf_rule_fast_window(BfRuleCache *rc, int nrefs)
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

/* A class-22 error naming the rule, with an optional hint (rules.h). */
void
bf_rule_error(int code, const BfRule *rule, const char *hint, const char *fmt,...)
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
void
bf_rule_policy_error(const BfRule *rule, const char *param, const char *what)
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
void
bf_rule_single_rate(const BfPolicyValue *v, const char *param, const BfRule *rule,
			int64 *num, int64 *den)
{
	const bf_tiers *t = v->tiers;
	const bf_bracket *b = &t->b[0];

	if (t->nbrackets != 1 || (b->flags & BF_B_FIXED) ||
		!(b->flags & BF_B_HI_INF) || !bf_bracket_contains(b, 0) || t->cap >= 0)
		bf_rule_policy_error(rule, param,
					 psprintf(bf_("must be a single rate over [0,) without cap, not \"%s\""),
							  bf_tiers_cstring(t)));
	*num = b->num;
	*den = b->den;
}

/* n/d as text: "3/10", or the integer when d divides n. */
char *
bf_fraction_cstring(bf_i128 n, bf_i128 d)
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
void
bf_json_exact(StringInfo buf, const char *key, bf_i128 num, bf_i128 den)
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

void
bf_json_key(StringInfo buf, const char *key)
{
	if (buf->len > 1)
		appendStringInfoString(buf, ", ");
	escape_json(buf, key);
	appendStringInfoString(buf, ": ");
}

void
bf_json_int(StringInfo buf, const char *key, int64 v)
{
	bf_json_key(buf, key);
	appendStringInfo(buf, "%lld", (long long) v);
}

void
bf_json_bool(StringInfo buf, const char *key, bool v)
{
	bf_json_key(buf, key);
	appendStringInfoString(buf, v ? "true" : "false");
}

void
bf_json_date(StringInfo buf, const char *key, DateADT d)
{
	bf_json_str(buf, key, bf_date_cstring(d));
}

void
bf_explain_begin(BfExplain *e, const BfRule *rule, const char *scenario)
{
	initStringInfo(&e->buf);
	initStringInfo(&e->pol);
	appendStringInfoChar(&e->buf, '{');
	appendStringInfoChar(&e->pol, '{');
	e->any = false;
	e->latest = DATEVAL_NOBEGIN;
	bf_json_str(&e->buf, "rule", bf_rule_clause(rule));
	bf_json_str(&e->buf, "function", rule->function);
	/* null: the policy in force (doc/explain.md) */
	bf_json_str(&e->buf, "scenario", scenario);
}

char *
bf_band_cstring(Datum band)
{
	Oid			out;
	bool		isvarlena;

	getTypeOutputInfo(NUMRANGEOID, &out, &isvarlena);
	return OidOutputFunctionCall(out, band);
}

void
bf_explain_policy(BfExplain *e, const char *param, const BfPolicyValue *v)
{
	StringInfoData sub;

	initStringInfo(&sub);
	appendStringInfoChar(&sub, '{');
	bf_json_date(&sub, "valid_from", v->valid_from);
	switch (v->kind)
	{
		case BF_KIND_TIERS:
			bf_json_str(&sub, "value", bf_tiers_cstring(v->tiers));
			break;
		case BF_KIND_AMOUNT:
			bf_json_fen(&sub, "value", v->amount);
			break;
		case BF_KIND_COUNT:
			bf_json_int(&sub, "value", v->amount);
			break;
		case BF_KIND_BAND:
			bf_json_str(&sub, "value", bf_band_cstring(v->band));
			break;
	}
	appendStringInfoChar(&sub, '}');
	bf_json_key(&e->pol, param);
	appendStringInfoString(&e->pol, sub.data);
	pfree(sub.data);
	if (!e->any || v->valid_from > e->latest)
		e->latest = v->valid_from;
	e->any = true;
}

Datum
bf_explain_finish(BfExplain *e)
{
	/* a rule that read no policy (二 installments): null and {} */
	if (e->any)
		bf_json_date(&e->buf, "policy_valid_from", e->latest);
	else
		bf_json_str(&e->buf, "policy_valid_from", NULL);
	appendStringInfoChar(&e->pol, '}');
	bf_json_key(&e->buf, "policy");
	appendStringInfoString(&e->buf, e->pol.data);
	return bf_json_finish(&e->buf);
}

/* One schedule application as a nested object. */
void
bf_json_applied(StringInfo buf, const char *key, const bf_tiers *t, int64 fen,
			 const bf_apply_result *r)
{
	StringInfoData sub;

	initStringInfo(&sub);
	appendStringInfoChar(&sub, '{');
	bf_tiers_explain_members(&sub, t, fen, r);
	appendStringInfoChar(&sub, '}');
	bf_json_key(buf, key);
	appendStringInfoString(buf, sub.data);
}

void
bf_explain_capped_step(BfExplain *e, const BfParamRef *sched_ref,
					   const BfParamRef *cap_ref, const BfCappedStep *s,
					   const char *own_cap)
{
	bf_json_str(&e->buf, "param", sched_ref->name);
	bf_json_str(&e->buf, "schedule", bf_tiers_cstring(s->schedule->tiers));
	bf_tiers_explain_members(&e->buf, s->schedule->tiers, s->base, &s->r);
	bf_json_fen(&e->buf, "yearly_cap", s->yearly_cap->amount);
	bf_json_fen(&e->buf, "used_this_year", s->used);
	bf_json_fen(&e->buf, "remaining_this_year", s->remaining);
	bf_json_bool(&e->buf, "yearly_cap_applied", s->year_capped);
	bf_json_str(&e->buf, "capped_by", s->year_capped ? "yearly cap" :
				(s->r.capped ? own_cap : NULL));
	bf_json_fen(&e->buf, "result", s->value);
	bf_explain_policy(e, sched_ref->name, s->schedule);
	bf_explain_policy(e, cap_ref->name, s->yearly_cap);
}
