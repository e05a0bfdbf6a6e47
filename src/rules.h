/*
 * rules.h
 *		What the rule functions of 二, 五 and 八 (rules.c) and the caseload
 *		aggregates (agg.c) share: a per-call-site cache of policy parameters
 *		and a safe reading of the optional trailing scenario argument.
 */
#ifndef BANGFU_RULES_H
#define BANGFU_RULES_H

#include "postgres.h"
#include "fmgr.h"

#include "policy.h"

#define BF_RULE_MAX_REFS	6
#define BF_RULE_MAX_REASONS	16

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
	/* relief.band.<reason> references, by enum value */
	Oid			reason_oid[BF_RULE_MAX_REASONS];	/* direct-mapped; 0 = empty */
	BfParamRef	reason_ref[BF_RULE_MAX_REASONS];
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
	 * allowed one.  What the slots hold is the rule's business (rules.c).
	 */
	/* loan_interest_subsidy: the last row's loan start and its end */
	DateADT		end_start;
	int64		end_years;
	DateADT		end_date;
	uint64		end_gen;
	uint64		fast_gen;
	DateADT		fast_lo;
	DateADT		fast_hi;
	bool		fast_ok;
	int64		fast_i[4];
	int64		fast_n0;		/* relief_quota_min: from here on, min <= max */
	bf_divider	fast_dv[2];
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
 */
extern const char *bf_rule_scenario(FunctionCallInfo fcinfo, BfRuleCache *rc,
									int argno);

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

#endif							/* BANGFU_RULES_H */
