/*
 * money_core.c
 *		Exact yuan arithmetic: decimal digits <-> fen, rounding, formatting.
 *
 * Compiles without postgres.h so that it can be unit-tested and fuzzed alone.
 */
#include "money_core.h"

#include <stdio.h>
#include <string.h>

/* Decode numeric's base-10000 digits into fen, refusing what is not money. */
bf_money_status
bf_digits_to_fen(bool negative, int weight, const int16_t *digits,
				 int ndigits, int64_t *fen)
{
	bf_i128		acc = 0;
	bool		nonzero = false;
	bool		subfen = false;
	int			i;

	for (i = 0; i < ndigits; i++)
	{
		int			e = weight - i;
		int			d = digits[i];

		if (d == 0)
			continue;
		nonzero = true;
		if (e > 3)
		{
			/* 10000^4 yuan is far beyond any supported amount */
			acc = (bf_i128) BF_MAX_FEN + 1;
			continue;
		}
		if (e >= 0)
		{
			bf_i128		v = d;
			int			k;

			for (k = 0; k < e; k++)
				v *= 10000;
			acc += v * 100;
		}
		else if (e == -1)
		{
			/* digit d stands for d/10000 yuan = d/100 fen */
			if (d % 100 != 0)
				subfen = true;
			acc += d / 100;
		}
		else
			subfen = true;
		if (acc > (bf_i128) BF_MAX_FEN + 1)
			acc = (bf_i128) BF_MAX_FEN + 1;
	}
	if (negative && nonzero)
		return BF_MONEY_NEGATIVE;
	if (acc > BF_MAX_FEN)
		return BF_MONEY_RANGE;
	if (subfen)
		return BF_MONEY_SUBFEN;
	*fen = (int64_t) acc;
	return BF_MONEY_OK;
}

/* Split fen into numeric digits: integer groups of four, then fen*100. */
int
bf_fen_to_digits(int64_t fen, int16_t *digits, int *weight, bool *negative)
{
	uint64_t	mag;
	uint64_t	yuan;
	int16_t		groups[6];
	int			ng = 0;
	int			n = 0;
	int			first;
	int			last;
	int			i;

	*negative = fen < 0;
	mag = fen < 0 ? (uint64_t) 0 - (uint64_t) fen : (uint64_t) fen;
	yuan = mag / 100;

	/* integer groups, least significant first */
	while (yuan > 0)
	{
		groups[ng++] = (int16_t) (yuan % 10000);
		yuan /= 10000;
	}
	/* most significant first, then the fractional digit */
	for (i = ng - 1; i >= 0; i--)
		digits[n++] = groups[i];
	digits[n++] = (int16_t) ((mag % 100) * 100);

	/* weight of digits[0] before stripping leading zeros */
	*weight = ng - 1;

	first = 0;
	while (first < n && digits[first] == 0)
		first++;
	if (first == n)
	{
		*weight = 0;
		*negative = false;
		return 0;
	}
	last = n - 1;
	while (digits[last] == 0)
		last--;
	*weight -= first;
	if (first > 0)
		memmove(digits, digits + first, (size_t) (last - first + 1) * sizeof(int16_t));
	return last - first + 1;
}

int64_t
bf_round_half_away(bf_i128 num, bf_i128 den)
{
	bf_i128		q;

	if (num >= 0)
		q = (2 * num + den) / (2 * den);
	else
		q = -((2 * -num + den) / (2 * den));
	return (int64_t) q;
}

bf_i128
bf_floor_div(bf_i128 num, bf_i128 den)
{
	bf_i128		q = num / den;

	if ((num % den != 0) && (num < 0))
		q--;
	return q;
}

bf_i128
bf_ceil_div(bf_i128 num, bf_i128 den)
{
	bf_i128		q = num / den;

	if ((num % den != 0) && (num > 0))
		q++;
	return q;
}

int64_t
bf_gcd64(int64_t a, int64_t b)
{
	if (a < 0)
		a = -a;
	if (b < 0)
		b = -b;
	while (b != 0)
	{
		int64_t		t = a % b;

		a = b;
		b = t;
	}
	return a;
}

int
bf_fen_format_min(int64_t fen, char *buf, size_t len)
{
	uint64_t	mag = fen < 0 ? (uint64_t) 0 - (uint64_t) fen : (uint64_t) fen;
	const char *sign = fen < 0 ? "-" : "";
	unsigned	f = (unsigned) (mag % 100);

	if (f == 0)
		return snprintf(buf, len, "%s%llu", sign, (unsigned long long) (mag / 100));
	if (f % 10 == 0)
		return snprintf(buf, len, "%s%llu.%u", sign, (unsigned long long) (mag / 100), f / 10);
	return snprintf(buf, len, "%s%llu.%02u", sign, (unsigned long long) (mag / 100), f);
}

int
bf_fen_format2(int64_t fen, char *buf, size_t len)
{
	uint64_t	mag = fen < 0 ? (uint64_t) 0 - (uint64_t) fen : (uint64_t) fen;

	return snprintf(buf, len, "%s%llu.%02u", fen < 0 ? "-" : "",
					(unsigned long long) (mag / 100), (unsigned) (mag % 100));
}

/* Write an unsigned 128-bit integer in decimal. */
static int
u128_format(unsigned __int128 v, char *buf, size_t len)
{
	char		tmp[48];
	int			n = 0;
	int			i;

	do
	{
		tmp[n++] = (char) ('0' + (int) (v % 10));
		v /= 10;
	} while (v > 0);
	if ((size_t) n + 1 > len)
		return -1;
	for (i = 0; i < n; i++)
		buf[i] = tmp[n - 1 - i];
	buf[n] = '\0';
	return n;
}

int
bf_exact_format(bf_i128 num, int64_t den, char *buf, size_t len)
{
	bool		neg = num < 0;
	unsigned __int128 mag = neg ? (unsigned __int128) (-num) : (unsigned __int128) num;
	unsigned __int128 d = (unsigned __int128) den * 100;	/* fen -> yuan */
	unsigned __int128 g;
	unsigned __int128 a = mag;
	unsigned __int128 b = d;
	unsigned __int128 rem;
	unsigned __int128 scale = 1;
	int			decimals = 0;
	int			n;
	size_t		pos = 0;

	/* reduce */
	while (b != 0)
	{
		unsigned __int128 t = a % b;

		a = b;
		b = t;
	}
	g = a == 0 ? 1 : a;
	mag /= g;
	d /= g;

	/* terminating iff d has no prime factor but 2 and 5 */
	{
		unsigned __int128 t = d;

		while (t % 2 == 0)
			t /= 2;
		while (t % 5 == 0)
			t /= 5;
		if (t != 1)
		{
			if (len < 2)
				return -1;
			if (neg)
				buf[pos++] = '-';
			n = u128_format(mag, buf + pos, len - pos);
			if (n < 0 || pos + n + 2 > len)
				return -1;
			pos += n;
			buf[pos++] = '/';
			n = u128_format(d, buf + pos, len - pos);
			if (n < 0)
				return -1;
			return (int) (pos + n);
		}
	}
	while ((scale % d) != 0 && decimals < 30)
	{
		scale *= 10;
		decimals++;
	}
	if (neg && len > 1)
		buf[pos++] = '-';
	n = u128_format(mag / d, buf + pos, len - pos);
	if (n < 0)
		return -1;
	pos += n;
	rem = mag % d;
	if (decimals > 0)
	{
		unsigned __int128 frac = rem * (scale / d);
		char		tmp[48];
		int			k;

		if (pos + decimals + 2 > len)
			return -1;
		buf[pos++] = '.';
		for (k = decimals - 1; k >= 0; k--)
		{
			tmp[k] = (char) ('0' + (int) (frac % 10));
			frac /= 10;
		}
		memcpy(buf + pos, tmp, decimals);
		pos += decimals;
		buf[pos] = '\0';
	}
	return (int) pos;
}

const char *
bf_money_status_text(bf_money_status st)
{
	switch (st)
	{
		case BF_MONEY_OK:
			return "ok";
		case BF_MONEY_NEGATIVE:
			return "is negative";
		case BF_MONEY_NAN:
			return "is NaN";
		case BF_MONEY_INFINITE:
			return "is infinite";
		case BF_MONEY_RANGE:
			return "is beyond the supported range of 0 to " BF_MAX_YUAN_TEXT " yuan";
		case BF_MONEY_SUBFEN:
			return "has digits below the fen (more than 2 decimal places)";
	}
	return "is invalid";
}
