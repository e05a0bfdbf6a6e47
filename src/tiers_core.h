/*
 * tiers_core.h
 *		The bracketed rate schedule (bangfu.tiers): layout, parsing, printing
 *		and application, free of any server header.
 *
 * A literal reads aloud the way the policy text does:
 *
 *		flat: [0,6000] 10%, (6000,12000] 15%, (12000,20000] 20%, (20000,) 25%; cap 15000
 *
 * Brackets use range notation ('[' ']' include the bound, '(' ')' exclude it,
 * an empty bound is open), are sorted and leave neither gap nor overlap.
 * Each pays a rate (a percentage "15%" or an exact fraction "2/3") or a fixed
 * amount in yuan ("5000").  The mode is flat (the whole amount takes the rate
 * of its bracket) or marginal (each slice takes its own bracket's rate).  An
 * optional cap limits the rounded result.
 */
#ifndef BANGFU_TIERS_CORE_H
#define BANGFU_TIERS_CORE_H

#include "money_core.h"

#define BF_TIERS_VERSION		1
#define BF_TIERS_MAX_BRACKETS	64
#define BF_RATE_MAX_DEN			INT64_C(1000000000)		/* 10^9 */
#define BF_RATE_MAX_PCT_DECIMALS 6
#define BF_TIERS_MAX_LCM		INT64_C(1000000000000)	/* 10^12 */

#define BF_MODE_FLAT		0
#define BF_MODE_MARGINAL	1

/* bracket flags */
#define BF_B_LO_INF		0x01
#define BF_B_HI_INF		0x02
#define BF_B_LO_INC		0x04
#define BF_B_HI_INC		0x08
#define BF_B_FIXED		0x10
#define BF_B_ALL_FLAGS	0x1F

typedef struct bf_bracket
{
	int64_t		lo;				/* fen; 0 when open */
	int64_t		hi;				/* fen; 0 when open */
	int64_t		num;			/* rate numerator, or fixed amount in fen */
	int64_t		den;			/* rate denominator (lowest terms); 1 if fixed */
	uint32_t	flags;
	uint32_t	pad;			/* always zero */
} bf_bracket;

/*
 * On-disk and in-memory form (a varlena: the server owns vl_len_).  Every
 * field, padding included, is canonical, so equality is a byte comparison.
 */
typedef struct bf_tiers
{
	int32_t		vl_len_;
	uint8_t		version;
	uint8_t		mode;
	uint16_t	pad1;			/* always zero */
	int32_t		nbrackets;
	int32_t		pad2;			/* always zero */
	int64_t		cap;			/* fen, or -1 for none */
	int64_t		lcm;			/* common denominator of every rate */
	bf_bracket	b[];
} bf_tiers;

#define BF_TIERS_SIZE(n)	(offsetof(bf_tiers, b) + (size_t) (n) * sizeof(bf_bracket))
#define BF_TIERS_MAX_SIZE	BF_TIERS_SIZE(BF_TIERS_MAX_BRACKETS)

/*
 * Parse a literal into *out, which must have room for BF_TIERS_MAX_SIZE
 * bytes.  Returns true on success.  On failure, errbuf gets a sentence saying
 * what is wrong and where.
 */
extern bool bf_tiers_parse(const char *str, bf_tiers *out,
						   char *errbuf, size_t errlen);

/*
 * Check a decoded value (binary receive, or anything not made by the parser)
 * against every rule the parser enforces.
 */
extern bool bf_tiers_validate(const bf_tiers *t, char *errbuf, size_t errlen);

/* Canonical text.  Returns the length, or -1 if buf is too small. */
extern int	bf_tiers_format(const bf_tiers *t, char *buf, size_t len);
#define BF_TIERS_TEXT_MAX	(BF_TIERS_MAX_BRACKETS * 96 + 64)

/* Text of one rate or fixed amount ("15%", "2/3", "5000"). */
extern int	bf_payout_format(const bf_bracket *b, char *buf, size_t len);
/* Text of one bracket's bounds ("(6000,12000]"). */
extern int	bf_bounds_format(const bf_bracket *b, char *buf, size_t len);

/* What applying a schedule to an amount gives, step by step. */
typedef struct bf_apply_result
{
	int			bracket;		/* index of the bracket the amount falls in */
	bf_i128		exact_num;		/* exact value = exact_num / exact_den fen */
	int64_t		exact_den;
	int64_t		uncapped;		/* rounded to the fen, before the cap */
	int64_t		value;			/* after the cap */
	bool		capped;			/* the cap bit */
} bf_apply_result;

/*
 * Apply a schedule to an amount in fen (0 .. BF_MAX_FEN).  Returns false if
 * no bracket covers the amount.
 */
extern bool bf_tiers_apply(const bf_tiers *t, int64_t fen, bf_apply_result *r);

/*
 * For a flat schedule, the bound of bracket r->bracket nearest to the amount
 * that it shares with a neighbour, and the values one fen either side of it
 * (after the cap).  Returns false when there is no such bound.
 */
extern bool bf_tiers_jump(const bf_tiers *t, int bracket, int64_t fen,
						  int64_t *bound, int64_t *below, int64_t *above);

/* Does the bracket contain the amount?  Inline: it runs for every row. */
static inline bool
bf_bracket_contains(const bf_bracket *b, int64_t fen)
{
	if (!(b->flags & BF_B_LO_INF))
	{
		if (fen < b->lo || (fen == b->lo && !(b->flags & BF_B_LO_INC)))
			return false;
	}
	if (!(b->flags & BF_B_HI_INF))
	{
		if (fen > b->hi || (fen == b->hi && !(b->flags & BF_B_HI_INC)))
			return false;
	}
	return true;
}

#endif							/* BANGFU_TIERS_CORE_H */
