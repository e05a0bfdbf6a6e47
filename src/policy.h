/*
 * policy.h
 *		Reading the dated policy store (bangfu.policy) without a query per row.
 *
 * Every figure of the policy is a row of bangfu.policy, keyed by parameter
 * name and the date from which it applies.  The whole store (a few dozen
 * rows) is loaded once per backend into a cache, which a trigger on the
 * store invalidates when anybody changes it.  A call site keeps a
 * BfParamRef in fn_extra, so that picking the version for a row's date is
 * a comparison or two, with no lookup by name.
 */
#ifndef BANGFU_POLICY_H
#define BANGFU_POLICY_H

#include "postgres.h"
#include "fmgr.h"
#include "utils/date.h"

#include "dates.h"
#include "tiers.h"

typedef enum BfPolicyKind
{
	BF_KIND_TIERS = 't',
	BF_KIND_AMOUNT = 'a',
	BF_KIND_COUNT = 'c',
	BF_KIND_BAND = 'b'
} BfPolicyKind;

typedef struct BfPolicyValue
{
	DateADT		valid_from;
	char		kind;
	bf_tiers   *tiers;			/* BF_KIND_TIERS */
	int64		amount;			/* BF_KIND_AMOUNT: fen; BF_KIND_COUNT: count */
	int64		band_lo;		/* BF_KIND_BAND: inclusive bounds in fen */
	int64		band_hi;
	Datum		band;			/* BF_KIND_BAND: the numrange as stored */
} BfPolicyValue;

typedef struct BfPolicyParam
{
	char	   *scenario;		/* "" for the policy in force */
	char	   *name;
	int			nvalues;
	BfPolicyValue *values;		/* ascending valid_from */
} BfPolicyParam;

/* One call site's handle on one parameter. */
typedef struct BfParamRef
{
	const char *name;
	char		scenario[NAMEDATALEN];	/* "" for the policy in force */
	uint64		generation;		/* cache generation it was resolved in */
	const BfPolicyParam *param;
	const BfPolicyParam *official;	/* fallback when a scenario is used */
	int			last;			/* index of the last version used */
} BfParamRef;

extern void bf_param_ref_init(BfParamRef *ref, const char *name);

/*
 * The version of a parameter in force on a date, optionally as a scenario
 * overrides it.  Raises an error if the parameter has no version then, or
 * is not of the expected kind.
 */
extern const BfPolicyValue *bf_policy_get_slow(BfParamRef *ref, const char *scenario,
											   DateADT on_date, BfPolicyKind kind);

/* Bumped whenever the cache is dropped; a handle resolved earlier is stale. */
extern uint64 bf_policy_cache_generation;

/* The usual case inline: same cache, no scenario, the version of last row. */
static inline const BfPolicyValue *
bf_policy_get(BfParamRef *ref, const char *scenario, DateADT on_date,
			  BfPolicyKind kind)
{
	if (likely(ref->generation == bf_policy_cache_generation &&
			   scenario == NULL && ref->scenario[0] == '\0'))
	{
		const BfPolicyParam *p = ref->param;
		int			last = ref->last;

		if (likely(p->values[last].valid_from <= on_date &&
				   (last + 1 == p->nvalues || p->values[last + 1].valid_from > on_date) &&
				   p->values[last].kind == kind))
			return &p->values[last];
	}
	return bf_policy_get_slow(ref, scenario, on_date, kind);
}

/*
 * Narrow [*lo, *hi) to the dates over which the version last picked through
 * ref stays the one in force, so a call site can keep what it derived from
 * it for rows of those dates (with the same cache generation).
 */
static inline void
bf_policy_window(const BfParamRef *ref, DateADT *lo, DateADT *hi)
{
	const BfPolicyParam *p = ref->param;
	int			last = ref->last;

	if (p->values[last].valid_from > *lo)
		*lo = p->values[last].valid_from;
	if (last + 1 < p->nvalues && p->values[last + 1].valid_from < *hi)
		*hi = p->values[last + 1].valid_from;
}

/* Does the named scenario exist?  Raises 22023 (naming it) if not. */
extern void bf_scenario_check(const char *scenario);
/* The same test, without the error (rules.c names the function in its own). */
extern bool bf_scenario_exists(const char *scenario);

/*
 * Reading bangfu's own tables through SPI with search_path pinned to
 * pg_catalog, pg_temp (policy.c): begin (pins it, connects SPI), any number
 * of bf_pinned_select, end (disconnects, restores search_path).
 */
extern int	bf_pinned_read_begin(void);
extern uint64 bf_pinned_select(const char *sql, const char *what);
extern void bf_pinned_read_end(int save_nestlevel);

extern void bf_policy_init(void);

#endif							/* BANGFU_POLICY_H */
