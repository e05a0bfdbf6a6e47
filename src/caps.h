/*
 * caps.h
 *		The limit triggers: yearly caps, once-a-year rules, quotas and fund
 *		balances, enforced row by row and safe under concurrent writers.
 */
#ifndef BANGFU_CAPS_H
#define BANGFU_CAPS_H

#include "postgres.h"

/* Longest "limit|period|subject" key a ledger entry can have. */
#define BF_LIMIT_KEY_LEN	256

/* Most guarded tables sharing one limit's ledger for a subject. */
#define BF_LIMIT_MAX_TABS	4

/* locktag_field4 of bangfu's advisory locks (pg_locks.objsubid): "bf". */
#define BF_LOCK_FIELD4		0x6266

extern void bf_caps_init(void);

#endif							/* BANGFU_CAPS_H */
