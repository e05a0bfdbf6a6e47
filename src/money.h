/*
 * money.h
 *		Server glue for exact yuan amounts: numeric <-> fen.
 */
#ifndef BANGFU_MONEY_H
#define BANGFU_MONEY_H

#include "postgres.h"
#include "fmgr.h"

#include "compat.h"

#include "access/htup_details.h"
#include "access/tupdesc.h"
#include "money_core.h"

/* Names a rule in messages: the SQL function and the seed clause it serves. */
typedef struct BfRule
{
	const char *function;		/* "bangfu.medical_reduction" */
	const char *clause;			/* "四(1) charity-bed reduction" */
} BfRule;

/*
 * A rule's clause as the database's encoding spells it: the C source holds
 * it in UTF-8 ("四(1) ..."), which an EUC_CN database must not get raw.
 */
extern const char *bf_rule_clause(const BfRule *rule);

/*
 * The same clause for a message: translated from bangfu's catalog (po/),
 * in the database's encoding either way.  A translation arrives from gettext
 * already in the database encoding (pg_bindtextdomain binds the catalog's
 * codeset to it, or LC_CTYPE's codeset equals it); an untranslated clause is
 * the UTF-8 source text and is converted like bf_rule_clause's.
 */
extern const char *bf_rule_clause_msg(const BfRule *rule);

/*
 * Read a numeric datum as fen, or raise a class-22 error naming the argument
 * and the rule: 22023 for negative, NaN, infinite or sub-fen amounts, 22003
 * beyond the supported range.
 */
extern int64 bf_datum_to_fen_slow(Datum d, const char *argname, const BfRule *rule);

/*
 * The stored body of a numeric datum (header and digits) when it is plain: a
 * one-byte header as read from a row, or a four-byte one as just computed.
 * False for anything toasted, which the caller decodes the general way.
 */
static inline bool
bf_numeric_body(Datum d, const unsigned char **body, size_t *len)
{
	const unsigned char *v = (const unsigned char *) DatumGetPointer(d);

	if (VARATT_IS_SHORT(v))
	{
		*body = v + VARHDRSZ_SHORT;
		*len = VARSIZE_SHORT(v) - VARHDRSZ_SHORT;
		return true;
	}
	if (VARATT_IS_4B_U(v))
	{
		*body = v + VARHDRSZ;
		*len = VARSIZE_4B(v) - VARHDRSZ;
		return true;
	}
	return false;
}

static pg_attribute_always_inline int64
bf_datum_to_fen(Datum d, const char *argname, const BfRule *rule)
{
	const unsigned char *body;
	size_t		len;
	int64		fen;

	if (likely(bf_numeric_body(d, &body, &len) && bf_numeric_quick_fen(body, len, &fen)))
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

/*
 * A row of n numeric fields holding fen amounts (a function returning
 * bangfu.settlement), built as heap_form_tuple would build it, each field a
 * short varlena, with one palloc instead of n + 1.  bf_fen_record_init
 * checks the row type (every field a numeric) and keeps the tuple header
 * PostgreSQL writes for it (type, and the row type's version on releases
 * that version row datums); bf_fen_record only sets the length.
 */
#define BF_FEN_RECORD_MAX 4
typedef struct BfFenRecord
{
	char		head[SizeofHeapTupleHeader];	/* the header, t_bits excluded */
	uint8		hoff;
	int			n;
} BfFenRecord;
extern void bf_fen_record_init(BfFenRecord *r, TupleDesc desc, int n);
extern Datum bf_fen_record(const BfFenRecord *r, const int64 *fen);

/* fen as "1234.56" in a palloc'd string. */
extern char *bf_fen_cstring(int64 fen);

#endif							/* BANGFU_MONEY_H */
