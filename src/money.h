/*
 * money.h
 *		Server glue for exact yuan amounts: numeric <-> fen.
 */
#ifndef BANGFU_MONEY_H
#define BANGFU_MONEY_H

#include "postgres.h"
#include "fmgr.h"

#include "money_core.h"

/* Names a rule in messages: the SQL function and the seed clause it serves. */
typedef struct BfRule
{
	const char *function;		/* "bangfu.medical_reduction" */
	const char *clause;			/* "四(1) charity-bed reduction" */
} BfRule;

/*
 * Read a numeric datum as fen, or raise a class-22 error naming the argument
 * and the rule: 22023 for negative, NaN, infinite or sub-fen amounts, 22003
 * beyond the supported range.
 */
extern int64 bf_datum_to_fen_slow(Datum d, const char *argname, const BfRule *rule);

static pg_attribute_always_inline int64
bf_datum_to_fen(Datum d, const char *argname, const BfRule *rule)
{
	const unsigned char *v = (const unsigned char *) DatumGetPointer(d);
	int64		fen;

	/*
	 * A numeric read from a row has a one-byte header; one just computed
	 * has a four-byte one.  Anything else (toasted, odd) takes the slow path.
	 */
	if (likely(VARATT_IS_SHORT(v) ?
			   bf_numeric_quick_fen(v + VARHDRSZ_SHORT, VARSIZE_SHORT(v) - VARHDRSZ_SHORT, &fen) :
			   VARATT_IS_4B_U(v) &&
			   bf_numeric_quick_fen(v + VARHDRSZ, VARSIZE_4B(v) - VARHDRSZ, &fen)))
		return fen;
	return bf_datum_to_fen_slow(d, argname, rule);
}

/* Try the same without raising; returns the status. */
extern bf_money_status bf_datum_to_fen_status(Datum d, int64 *fen);

/* The same, accepting amounts below zero (-10^12 .. 10^12 yuan). */
extern bf_money_status bf_datum_to_signed_fen_status(Datum d, int64 *fen);

/* A numeric of display scale 2 holding fen. */
extern Datum bf_fen_to_datum(int64 fen);
extern Datum bf_fen_to_datum_any(int64 fen);

/* fen as "1234.56" in a palloc'd string. */
extern char *bf_fen_cstring(int64 fen);

#endif							/* BANGFU_MONEY_H */
