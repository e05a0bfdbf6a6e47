/*
 * tiers.h
 *		Server glue for bangfu.tiers, the bracketed rate schedule type.
 */
#ifndef BANGFU_TIERS_H
#define BANGFU_TIERS_H

#include "postgres.h"
#include "fmgr.h"
#include "lib/stringinfo.h"

#include "money.h"
#include "tiers_core.h"

#define DatumGetTiersP(d)		((bf_tiers *) PG_DETOAST_DATUM(d))
#define PG_GETARG_TIERS_P(n)	DatumGetTiersP(PG_GETARG_DATUM(n))
#define PG_RETURN_TIERS_P(x)	PG_RETURN_POINTER(x)

/* Apply a schedule; an amount outside every bracket is a 22023 error. */
extern void bf_tiers_apply_checked(const bf_tiers *t, int64 fen,
								   bf_apply_result *r, const char *argname,
								   const BfRule *rule);

/* The canonical literal in a palloc'd string. */
extern char *bf_tiers_cstring(const bf_tiers *t);

/*
 * Append the JSON members describing one application (bracket, rate, exact
 * and rounded values, cap, jump) to buf, without braces.
 */
extern void bf_tiers_explain_members(StringInfo buf, const bf_tiers *t,
									 int64 fen, const bf_apply_result *r);

/* JSON string and number helpers for the explain functions. */
extern void bf_json_fen(StringInfo buf, const char *key, int64 fen);
extern void bf_json_str(StringInfo buf, const char *key, const char *val);
extern Datum bf_json_finish(StringInfo buf);

#endif							/* BANGFU_TIERS_H */
