/*
 * medical.h
 *		四 medical relief (medical.c) as other files use it: one stay settled
 *		against what the person-year used before it, in fen, by the same
 *		arithmetic as bangfu.medical_settlement.
 */
#ifndef BANGFU_MEDICAL_H
#define BANGFU_MEDICAL_H

#include "postgres.h"

#include "policy.h"

/* The policy parameters of 四, in the order bf_medical_settle_fen wants them. */
#define BF_MEDICAL_NPARAMS	4
extern const char *const bf_medical_params[BF_MEDICAL_NPARAMS];

/*
 * 四(1) then 四(2) on one stay of cost fen on on_date, the person-year having
 * used reduced and relieved before it: the reduction and the relief, each
 * within what remains of its yearly cap (0 when the use is already over it,
 * spec §0).  refs are handles on bf_medical_params, in that order.  Errors
 * name argname_cost and rule.
 */
extern void bf_medical_settle_fen(BfParamRef *refs, const char *scenario,
								  int64 cost, DateADT on_date,
								  int64 reduced, int64 relieved,
								  const char *argname_cost, const BfRule *rule,
								  int64 *reduction, int64 *relief);

#endif							/* BANGFU_MEDICAL_H */
