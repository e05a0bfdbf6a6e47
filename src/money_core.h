/*
 * money_core.h
 *		Exact yuan arithmetic for bangfu, free of any server header.
 *
 * Money is held as a whole number of fen (0.01 yuan) in an int64.  Rates are
 * exact fractions.  Products are widened to 128 bits before they can
 * overflow, and a result is rounded once, half away from zero, to the fen
 * (spec section 0).  Nothing here touches float.
 */
#ifndef BANGFU_MONEY_CORE_H
#define BANGFU_MONEY_CORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#ifndef __SIZEOF_INT128__
#error "bangfu needs a compiler with a 128-bit integer type"
#endif
/*
 * Aligned to 8 bytes only, as PostgreSQL's own int128 (c.h): palloc promises
 * MAXALIGN (8), and from PostgreSQL 16 on its chunk header is 8 bytes, so a
 * struct in palloc'd memory (a rule's cache) is often not 16-aligned.  With
 * the natural 16-byte alignment the compiler stores such a field with an
 * aligned SSE move, which crashed the server on 17.
 */
typedef __int128 bf_i128 __attribute__((aligned(8)));

/* Largest amount bangfu accepts anywhere: 10^12 yuan, in fen. */
#define BF_MAX_FEN		INT64_C(100000000000000)
#define BF_MAX_YUAN_TEXT "1000000000000"

typedef enum bf_money_status
{
	BF_MONEY_OK = 0,
	BF_MONEY_NEGATIVE,			/* below zero */
	BF_MONEY_NAN,				/* NaN */
	BF_MONEY_INFINITE,			/* +/- Infinity */
	BF_MONEY_RANGE,				/* above BF_MAX_FEN */
	BF_MONEY_SUBFEN				/* non-zero digits below the fen */
} bf_money_status;

/*
 * Convert the base-10000 digits of a decimal number (as PostgreSQL's numeric
 * stores them: value = sum digits[i] * 10000^(weight - i)) into fen.
 * Inline: it runs once per amount per row.
 */
static inline bf_money_status
bf_digits_to_fen(bool negative, int weight, const int16_t *digits,
				 int ndigits, int64_t *fen)
{
	/* fen per unit of a digit at weight 0..3: 100, 10^6, 10^10, 10^14 */
	static const int64_t fen_per_digit[4] = {
		INT64_C(100), INT64_C(1000000), INT64_C(10000000000), INT64_C(100000000000000)
	};
	int64_t		acc = 0;
	bool		nonzero = false;
	bool		subfen = false;
	bool		range = false;
	int			i;

	/* each term is below 10^18 and there are at most four: no overflow */
	for (i = 0; i < ndigits; i++)
	{
		int			e = weight - i;
		int			d = digits[i];

		if (d == 0)
			continue;
		nonzero = true;
		if (e > 3)
			range = true;		/* 10000^4 yuan is far beyond any amount */
		else if (e >= 0)
			acc += (int64_t) d * fen_per_digit[e];
		else if (e == -1)
		{
			/* digit d stands for d/10000 yuan = d/100 fen */
			if (d % 100 != 0)
				subfen = true;
			acc += d / 100;
		}
		else
			subfen = true;
	}
	if (negative && nonzero)
		return BF_MONEY_NEGATIVE;
	if (range || acc > BF_MAX_FEN)
		return BF_MONEY_RANGE;
	if (subfen)
		return BF_MONEY_SUBFEN;
	*fen = acc;
	return BF_MONEY_OK;
}


/*
 * The bits of numeric's 16-bit header (the on-disk format; utils/adt/numeric.c
 * keeps its own names for them private).
 */
#define BF_NUM_FLAGBITS_MASK	0xC000
#define BF_NUM_POS				0x0000
#define BF_NUM_NEG				0x4000
#define BF_NUM_SHORT			0x8000
#define BF_NUM_SPECIAL			0xC000
#define BF_NUM_EXT_SIGN_MASK	0xF000
#define BF_NUM_NAN				0xC000
#define BF_NUM_SHORT_SIGN_MASK	0x2000
#define BF_NUM_SHORT_DSCALE_SHIFT 7
#define BF_NUM_SHORT_WEIGHT_SIGN 0x0040
#define BF_NUM_SHORT_WEIGHT_MASK 0x003F

/*
 * numeric's header, decoded: the one reading of the on-disk format's 16-bit
 * header (and the long format's separate weight) for every decoder of a
 * stored numeric (money.c, the rates of 八(2) in loan.c).  p is the body,
 * len bytes: header then base-10000 digits.  False when the body is too
 * short to hold its header.
 */
typedef struct bf_numeric_head
{
	bool		special;		/* NaN or +/-Infinity: only nan says which */
	bool		nan;
	bool		is_short;		/* the short format (the usual one) */
	bool		negative;
	int			weight;			/* of the first digit, in base-10000 places */
	size_t		hdrlen;			/* bytes before the first digit */
	int			ndigits;
} bf_numeric_head;

static inline bool
bf_numeric_head_decode(const unsigned char *p, size_t len, bf_numeric_head *h)
{
	uint16_t	hdr;

	if (len < sizeof(uint16_t))
		return false;
	memcpy(&hdr, p, sizeof(uint16_t));
	memset(h, 0, sizeof *h);
	if ((hdr & BF_NUM_FLAGBITS_MASK) == BF_NUM_SPECIAL)
	{
		h->special = true;
		h->nan = (hdr & BF_NUM_EXT_SIGN_MASK) == BF_NUM_NAN;
		return true;
	}
	if ((hdr & BF_NUM_FLAGBITS_MASK) == BF_NUM_SHORT)
	{
		h->is_short = true;
		h->negative = (hdr & BF_NUM_SHORT_SIGN_MASK) != 0;
		h->weight = (hdr & BF_NUM_SHORT_WEIGHT_SIGN) ?
			(int) (int16_t) (hdr | ~BF_NUM_SHORT_WEIGHT_MASK) :
			(int) (hdr & BF_NUM_SHORT_WEIGHT_MASK);
		h->hdrlen = sizeof(uint16_t);
	}
	else
	{
		int16_t		w;

		if (len < 2 * sizeof(uint16_t))
			return false;
		h->negative = (hdr & BF_NUM_FLAGBITS_MASK) == BF_NUM_NEG;
		memcpy(&w, p + sizeof(uint16_t), sizeof(int16_t));
		h->weight = w;
		h->hdrlen = 2 * sizeof(uint16_t);
	}
	h->ndigits = (int) ((len - h->hdrlen) / sizeof(int16_t));
	return true;
}

/*
 * The usual amount, decoded with no loop: a numeric body (header and digits,
 * len bytes, after the varlena header) in the short format, not negative,
 * from 1 yuan up to below 10^12 yuan (weight 0..2), in whole fen.  Returns
 * false for anything else -- zero-weight fractions, long or special forms,
 * sub-fen digits -- which the caller then decodes with bf_digits_to_fen, so
 * the two agree on every input (the unit tests check that).  It reads the
 * header with one mask rather than bf_numeric_head_decode: it runs once per
 * row of every rule, and accepts only the one form that mask picks out.
 */
static inline bool
bf_numeric_quick_fen(const unsigned char *p, size_t len, int64_t *fen)
{
	uint16_t	hdr;
	int			nd;
	int			weight;
	int			k;
	int64_t		acc = 0;

	if (len < sizeof(uint16_t) || len > 5 * sizeof(uint16_t))
		return false;
	memcpy(&hdr, p, sizeof(uint16_t));
	if ((hdr & (BF_NUM_FLAGBITS_MASK | BF_NUM_SHORT_SIGN_MASK | BF_NUM_SHORT_WEIGHT_SIGN)) != BF_NUM_SHORT)
		return false;
	weight = hdr & BF_NUM_SHORT_WEIGHT_MASK;
	nd = (int) (len / sizeof(uint16_t)) - 1;

	/* the digits as one integer; the last has weight (weight - nd + 1) */
	for (k = 0; k < nd; k++)
	{
		uint16_t	d;

		memcpy(&d, p + (k + 1) * sizeof(uint16_t), sizeof(uint16_t));
		if (d > 9999)			/* not a stored digit: let the slow path judge */
			return false;
		acc = acc * 10000 + d;
	}
	if (weight > 2)
		return false;
	switch (weight - nd + 1)
	{
		case -1:				/* the last digit is 1/100 fen each */
			if (acc % 100 != 0)
				return false;
			*fen = acc / 100;
			return true;
		case 0:
			*fen = acc * 100;
			return true;
		case 1:
			*fen = acc * 1000000;
			return true;
		case 2:
			*fen = acc * INT64_C(10000000000);
			return true;
		default:
			return false;
	}
}

/*
 * The usual result written with no loop: fen from 0 up to below 10^12 yuan as
 * a numeric body of display scale 2 in the short format (header, then at
 * most four base-10000 digits, no leading or trailing zero digit), into out
 * (room for 10 bytes).  Returns the length, or 0 when fen is outside that
 * range (the caller then uses bf_fen_to_digits).  The unit tests check it
 * against bf_fen_to_digits.
 */
static inline size_t
bf_fen_quick_numeric(int64_t fen, unsigned char *out)
{
	uint64_t	yuan;
	uint16_t	d[8] = {0, 0, 0, 0, 0, 0, 0, 0};	/* 4..7: room for the copy */
	uint16_t	hdr;
	int			weight;
	int			lead;
	int			last;

	if (fen < 0 || fen >= INT64_C(100000000000000))
		return 0;
	yuan = (uint64_t) fen / 100;
	/* the groups of weight 2, 1, 0 and the fen as a digit of weight -1 */
	d[0] = (uint16_t) (yuan / 100000000);
	d[1] = (uint16_t) (yuan / 10000 % 10000);
	d[2] = (uint16_t) (yuan % 10000);
	d[3] = (uint16_t) ((uint64_t) fen % 100 * 100);
	weight = d[0] != 0 ? 2 : d[1] != 0 ? 1 : d[2] != 0 ? 0 : -1;
	lead = 2 - weight;
	last = 3;
	while (last >= lead && d[last] == 0)
		last--;
	if (last < lead)
		weight = 0;				/* zero: no digits, weight 0 */
	hdr = (uint16_t) (BF_NUM_SHORT | (2 << BF_NUM_SHORT_DSCALE_SHIFT) |
					  (weight < 0 ? BF_NUM_SHORT_WEIGHT_SIGN : 0) |
					  ((unsigned) weight & BF_NUM_SHORT_WEIGHT_MASK));
	memcpy(out, &hdr, sizeof hdr);
	/* a fixed-size copy; what lies past the last digit is zeros */
	memcpy(out + sizeof hdr, d + lead, 4 * sizeof(uint16_t));
	return sizeof hdr + (size_t) (last - lead + 1) * sizeof(uint16_t);
}

/*
 * Division by a divisor fixed for many rows, as a multiplication (the
 * method of Granlund and Montgomery, "Division by invariant integers using
 * multiplication", 1994, theorem 4.2, for dividends below 2^63): a 64-bit
 * idiv per row costs more than the rest of a rule.
 */
typedef struct bf_divider
{
	uint64_t	mult;			/* 0: the divisor is 1 */
	int			shift;			/* ceil(log2(d)) - 1: applied to the high half */
} bf_divider;

/* d >= 1 */
static inline void
bf_divider_init(bf_divider *dv, uint64_t d)
{
	int			l = 0;

	while (l < 64 && (((unsigned __int128) 1) << l) < d)
		l++;
	if (l == 0)
	{
		dv->mult = 0;
		dv->shift = 0;
		return;
	}
	/* m = floor(2^(63+l) / d) + 1 < 2^64 because d > 2^(l-1) */
	dv->mult = (uint64_t) ((((unsigned __int128) 1) << (63 + l)) / d) + 1;
	dv->shift = l - 1;			/* (n * m) >> (63 + l) = high 64 bits >> (l - 1) */
}

/* floor(n / d) for 0 <= n < 2^63 */
static inline uint64_t
bf_divide(const bf_divider *dv, uint64_t n)
{
	if (dv->mult == 0)
		return n;
	return (uint64_t) (((unsigned __int128) n * dv->mult) >> 64) >> dv->shift;
}

/*
 * Express fen as base-10000 digits for a numeric of display scale 2, with no
 * leading or trailing zero digit.  digits needs room for 6 entries.  Returns
 * the digit count; *weight gets the weight (0 for zero), *negative the sign.
 */
static inline int
bf_fen_to_digits(int64_t fen, int16_t *digits, int *weight, bool *negative)
{
	uint64_t	mag = fen < 0 ? (uint64_t) 0 - (uint64_t) fen : (uint64_t) fen;
	uint64_t	yuan = mag / 100;
	int16_t		frac = (int16_t) ((mag % 100) * 100);
	int16_t		rev[5];			/* integer groups, least significant first */
	int			ng = 0;
	int			n;

	*negative = fen < 0;
	while (yuan > 0)
	{
		rev[ng++] = (int16_t) (yuan % 10000);
		yuan /= 10000;
	}
	if (ng == 0)
	{
		if (frac == 0)
		{
			*weight = 0;
			*negative = false;
			return 0;
		}
		*weight = -1;
		digits[0] = frac;
		return 1;
	}
	/* most significant first (never zero), then the fen as a digit */
	for (n = 0; n < ng; n++)
		digits[n] = rev[ng - 1 - n];
	*weight = ng - 1;
	if (frac != 0)
		digits[n++] = frac;
	else
		while (digits[n - 1] == 0)
			n--;
	return n;
}

/* num/den rounded half away from zero to an integer; den > 0. */
extern int64_t bf_round_half_away(bf_i128 num, bf_i128 den);

/* Floor and ceiling of num/den for den > 0. */
extern bf_i128 bf_floor_div(bf_i128 num, bf_i128 den);
extern bf_i128 bf_ceil_div(bf_i128 num, bf_i128 den);

extern int64_t bf_gcd64(int64_t a, int64_t b);
extern bf_i128 bf_gcd128(bf_i128 a, bf_i128 b);

/*
 * Write fen as a decimal yuan string with the fewest digits that show it
 * exactly ("6000", "6000.5", "0.01").  Returns the length written.
 */
extern int	bf_fen_format_min(int64_t fen, char *buf, size_t len);

/* Same, always with two decimals ("6000.00"). */
extern int	bf_fen_format2(int64_t fen, char *buf, size_t len);

/*
 * Format the exact value num/den fen as text: a decimal when it terminates
 * (at most 12 decimals), otherwise "a/b" in yuan, reduced.
 */
extern int	bf_exact_format(bf_i128 num, int64_t den, char *buf, size_t len);

/* Text of a status for messages. */
extern const char *bf_money_status_text(bf_money_status st);

#endif							/* BANGFU_MONEY_CORE_H */
