/*
 * rules.h
 *		The rule runtime (src/rules.c), the one header of every rule file
 *		(src/medical.c, relief.c, pension.c, employer.c, loan.c, handicraft.c,
 *		settle.c): the per-call-site cache of policy parameters, the optional
 *		trailing scenario argument, errors naming the rule, exact arithmetic
 *		and dates, "a schedule then the yearly cap", and the explanation
 *		builder behind every *_explain function.
 */
#ifndef BANGFU_RULES_H
#define BANGFU_RULES_H

#include "postgres.h"
#include "access/tupdesc.h"
#include "fmgr.h"

#include "lib/stringinfo.h"
#include "utils/date.h"
#include "utils/datetime.h"

#include "policy.h"
#include "today.h"

#define BF_RULE_MAX_REFS	6
#define BF_RULE_MAX_KEYED	16
#define BF_RULE_MAX_ARGS	8

/*
 * Kept in fn_extra (or on the stack for set-returning functions, whose
 * fn_extra belongs to funcapi).  The scenario is a copy of the last scenario
 * argument seen at this call site, so that a row under the same scenario as
 * the one before costs a memcmp and no allocation; when the argument
 * changes, the copy is replaced and every reference resolved again.
 */
typedef struct BfRuleCache
{
	int			nrefs;
	BfParamRef	refs[BF_RULE_MAX_REFS];
	char	   *scenario;		/* NUL-terminated copy, in cxt */
	int			scenario_len;
	MemoryContext cxt;
	/*
	 * References a rule makes on first use, keyed by an Oid (二: the
	 * parameter relief.band.<reason> of an enum value); the scenario reader
	 * resolves them again with refs[] when the scenario changes.
	 */
	Oid			key_oid[BF_RULE_MAX_KEYED];	/* direct-mapped; 0 = empty */
	BfParamRef	key_ref[BF_RULE_MAX_KEYED];
	/* the text forms of 二: the last reason code seen and its enum value */
	Oid			reason_type;	/* bangfu.relief_reason, once looked up */
	char	   *reason_text;	/* NUL-terminated copy, in cxt */
	int			reason_text_len;
	Oid			reason_text_oid;
	/* enterprise_subsidy: the last row's denominators and their lcm */
	bool		lcm_valid;
	int64		lcm_key[3];
	bf_i128		lcm;
	bf_i128		lcm_mult[3];
	/*
	 * A rule's fast path: figures derived from the policy in force (no
	 * scenario), valid for rows dated [fast_lo, fast_hi) while the policy
	 * cache stays at generation fast_gen; fast_ok says whether the policy
	 * allowed one.  What the slots hold is the rule's business (its file).
	 */
	uint64		fast_gen;
	DateADT		fast_lo;
	DateADT		fast_hi;
	bool		fast_ok;
	int64		fast_i[4];
	int64		fast_n0;		/* relief_quota_min: from here on, min <= max */
	bf_divider	fast_dv[2];
	/* amount arguments that are the same on every row (bf_rule_amount_arg) */
	int8		arg_state[BF_RULE_MAX_ARGS];	/* 0 not looked at, 1 constant, 2 varies */
	int64		arg_fen[BF_RULE_MAX_ARGS];
	/* the blessed row type of a function returning a record */
	TupleDesc	desc;
} BfRuleCache;

/*
 * The cache of this call site, made on first use with references to the
 * named parameters (refs[i] for names[i]).
 */
extern BfRuleCache *bf_rule_cache_new(FunctionCallInfo fcinfo,
									  const char *const *names, int n);

static inline BfRuleCache *
bf_rule_cache(FunctionCallInfo fcinfo, const char *const *names, int n)
{
	BfRuleCache *rc = (BfRuleCache *) fcinfo->flinfo->fn_extra;

	if (likely(rc != NULL))
		return rc;
	return bf_rule_cache_new(fcinfo, names, n);
}

/* The same, in caller-provided memory (set-returning functions). */
extern void bf_rule_cache_init(BfRuleCache *rc, MemoryContext cxt,
							   const char *const *names, int n);

/*
 * The scenario argument at position argno when the call has one (the
 * overloads that end in "scenario text"), else NULL for the policy in force.
 * The returned pointer is what bf_policy_get wants for this cache's refs.
 * Inline: every rule asks on every row, and most calls have no scenario.
 */
extern const char *bf_rule_scenario_arg(FunctionCallInfo fcinfo, BfRuleCache *rc,
										int argno);
/* The same for a scenario name already read (a window function's argument). */
extern const char *bf_rule_scenario_text(FunctionCallInfo fcinfo, BfRuleCache *rc,
										 text *t);

static inline const char *
bf_rule_scenario(FunctionCallInfo fcinfo, BfRuleCache *rc, int argno)
{
	if (PG_NARGS() <= argno)
		return NULL;
	return bf_rule_scenario_arg(fcinfo, rc, argno);
}

/*
 * An amount argument in fen (bf_datum_to_fen, errors naming argname and
 * rule).  One that is a plain constant of the calling expression, such as
 * the default 0 of reduced_this_year, is read once per call site.
 */
extern int64 bf_rule_amount_arg_slow(FunctionCallInfo fcinfo, BfRuleCache *rc, int argno,
									 const char *argname, const BfRule *rule);

static inline int64
bf_rule_amount_arg(FunctionCallInfo fcinfo, BfRuleCache *rc, int argno,
				   const char *argname, const BfRule *rule)
{
	if (likely(rc->arg_state[argno] == 1))
		return rc->arg_fen[argno];
	if (likely(rc->arg_state[argno] == 2))
		return bf_datum_to_fen(PG_GETARG_DATUM(argno), argname, rule);
	return bf_rule_amount_arg_slow(fcinfo, rc, argno, argname, rule);
}

/* The blessed row type of a function returning a record, kept in rc. */
extern TupleDesc bf_rule_result_desc(FunctionCallInfo fcinfo, BfRuleCache *rc);

/*
 * Refuses a scenario name that is not a row of bangfu.scenario with a
 * class-22 error naming the argument and the function called (the
 * aggregate, for a transition function).  Called where a call site meets a
 * scenario name it has not seen, so a run of rows pays for it once.
 */
extern void bf_rule_scenario_check(FunctionCallInfo fcinfo, const char *scenario);

/*
 * The on_date argument at argno, or today when the call has no argument
 * there: bangfu.today_support (src/today.c) takes a trailing CURRENT_DATE
 * out of a planned call.
 */
#define BF_RULE_DATE(argno) \
	(PG_NARGS() > (argno) ? PG_GETARG_DATEADT(argno) : bf_today_date())

/* Is the fast path prepared for this row's date (policy in force)? */
static inline bool
bf_rule_fast_fresh(const BfRuleCache *rc, DateADT on_date)
{
	return rc->fast_gen == bf_policy_cache_generation &&
		on_date >= rc->fast_lo && on_date < rc->fast_hi;
}

/* Note the window the first nrefs refs' versions share, after they were picked. */
extern void bf_rule_fast_window(BfRuleCache *rc, int nrefs);

/* ------------------------------------------------------------------------
 * Errors: every one names the rule the same way, in its detail
 * ("Rule: bangfu.medical_reduction (四(1) charity-bed reduction).").
 * ------------------------------------------------------------------------
 */

/*
 * An error of SQLSTATE code naming the rule, with an optional hint; fmt and
 * hint are messages of bangfu's catalog (po/: bf_rule_error:3,4).
 */
extern void bf_rule_error(int code, const BfRule *rule, const char *hint,
						  const char *fmt,...) pg_attribute_printf(4, 5) pg_attribute_noreturn();

/* A policy value that cannot serve the rule (a scenario may set anything). */
extern void bf_rule_policy_error(const BfRule *rule, const char *param,
								 const char *what) pg_attribute_noreturn();

/*
 * The one rate of a share parameter: a schedule of a single bracket from 0
 * up with a rate and no cap, as the exact fraction num/den.
 */
extern void bf_rule_single_rate(const BfPolicyValue *v, const char *param,
								const BfRule *rule, int64 *num, int64 *den);

/* A count parameter, refused below min. */
static inline int64
bf_rule_count_param(const BfPolicyValue *v, const char *param, const BfRule *rule,
			int64 min)
{
	if (v->amount < min)
		bf_rule_policy_error(rule, param,
					 psprintf(bf_("is %lld, below the least sensible value %lld"),
							  (long long) v->amount, (long long) min));
	return v->amount;
}

/* a * b, refused (22003) when it overflows 128 bits. */
static inline bf_i128
bf_rule_mul128(bf_i128 a, bf_i128 b, const BfRule *rule)
{
	bf_i128		r;

	if (unlikely(__builtin_mul_overflow(a, b, &r)))
		bf_rule_error(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE, rule,
				   "Use rates with smaller denominators.",
				   "intermediate value out of range");
	return r;
}

/* A result in fen as numeric, refused beyond the supported range. */
static inline Datum
bf_rule_fen_result(bf_i128 fen, const BfRule *rule)
{
	if (unlikely(fen > BF_MAX_FEN || fen < 0))
		bf_rule_error(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE, rule, NULL,
				   "result is beyond %s yuan", BF_MAX_YUAN_TEXT);
	return bf_fen_to_datum((int64) fen);
}

/* ------------------------------------------------------------------------
 * Dates (and dates.h)
 * ------------------------------------------------------------------------
 */

/* Refuses an infinite date (22023) naming the argument and the rule. */
static inline void
bf_rule_check_date(DateADT d, const char *argname, const BfRule *rule)
{
	if (DATE_NOT_FINITE(d))
		bf_rule_error(ERRCODE_INVALID_PARAMETER_VALUE, rule, NULL,
				   "%s %s is not a calendar date", argname, bf_date_cstring(d));
}

/* ------------------------------------------------------------------------
 * A schedule, then the yearly cap: a bracketed benefit of one event (a
 * stay, a grant) that a person may get up to a yearly amount, the year
 * being the calendar year of the event's date (spec §0).  What the person
 * used this year before the event is given; the event gets the schedule's
 * value (its own cap included) cut to what remains of the yearly cap, and
 * 0 when the use is already over it (a cap lowered afterwards, spec §0).
 * ------------------------------------------------------------------------
 */
typedef struct BfCappedStep
{
	const BfPolicyValue *schedule;	/* the schedule's version (a tiers) */
	const BfPolicyValue *yearly_cap;	/* the yearly cap's version (an amount) */
	int64		base;			/* the amount the schedule was applied to */
	bf_apply_result r;			/* the schedule on it */
	int64		used;			/* used this year before the event */
	int64		remaining;		/* what remained of the yearly cap */
	bool		year_capped;	/* the yearly cap cut the value */
	int64		value;			/* what the event gets */
} BfCappedStep;

/*
 * The step on base fen on on_date, the schedule and the cap read through
 * sched_ref and cap_ref; errors name argname and rule.  Inline: it runs once
 * per row of 四 and of every caseload aggregate.
 */
static inline void
bf_rule_capped_step(BfParamRef *sched_ref, BfParamRef *cap_ref, const char *scenario,
					int64 base, DateADT on_date, int64 used, const char *argname,
					const BfRule *rule, BfCappedStep *s)
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

/* ------------------------------------------------------------------------
 * Explanations (doc/explain.md).  Every *_explain function returns
 *   {"rule", "function", "scenario", <the rule's own members>,
 *    "policy_valid_from", "policy"}
 * built with bf_explain_begin, the bf_json_* writers on e.buf,
 * bf_explain_policy for each policy version used, and bf_explain_finish.
 * ------------------------------------------------------------------------
 */
typedef struct BfExplain
{
	StringInfoData buf;			/* the object, being written */
	StringInfoData pol;			/* "policy": {param: {valid_from, value}} */
	DateADT		latest;			/* the latest valid_from used */
	bool		any;
} BfExplain;

extern void bf_explain_begin(BfExplain *e, const BfRule *rule, const char *scenario);
extern void bf_explain_policy(BfExplain *e, const char *param, const BfPolicyValue *v);
extern Datum bf_explain_finish(BfExplain *e);

extern void bf_json_key(StringInfo buf, const char *key);
extern void bf_json_int(StringInfo buf, const char *key, int64 v);
extern void bf_json_bool(StringInfo buf, const char *key, bool v);
extern void bf_json_date(StringInfo buf, const char *key, DateADT d);
/* the exact value num/den fen as yuan text, or null when it will not print */
extern void bf_json_exact(StringInfo buf, const char *key, bf_i128 num, bf_i128 den);
/* one schedule application as a nested object */
extern void bf_json_applied(StringInfo buf, const char *key, const bf_tiers *t,
							int64 fen, const bf_apply_result *r);
/*
 * A BfCappedStep's members ("param", "schedule", the schedule's steps,
 * "yearly_cap", "used_this_year", "remaining_this_year",
 * "yearly_cap_applied", "capped_by", "result") and its two versions in
 * "policy"; own_cap names the schedule's own cap in capped_by.
 */
extern void bf_explain_capped_step(BfExplain *e, const BfParamRef *sched_ref,
								   const BfParamRef *cap_ref, const BfCappedStep *s,
								   const char *own_cap);
/* n/d as text: "3/10", or the integer when d divides n */
extern char *bf_fraction_cstring(bf_i128 n, bf_i128 d);
/* a numrange (a band) as text */
extern char *bf_band_cstring(Datum band);

#endif							/* BANGFU_RULES_H */
