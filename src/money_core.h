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

#ifndef __SIZEOF_INT128__
#error "bangfu needs a compiler with a 128-bit integer type"
#endif
typedef __int128 bf_i128;

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
 * Express fen as base-10000 digits for a numeric of display scale 2, with no
 * leading or trailing zero digit.  digits needs room for 6 entries.  Returns
 * the digit count; *weight gets the weight (0 for zero), *negative the sign.
 */
extern int	bf_fen_to_digits(int64_t fen, int16_t *digits, int *weight,
							 bool *negative);

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
