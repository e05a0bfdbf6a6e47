/*
 * money_core.c
 *		Exact yuan arithmetic: decimal digits <-> fen, rounding, formatting.
 *
 * Compiles without postgres.h so that it can be unit-tested and fuzzed alone.
 */
#include "money_core.h"
#include "nls_core.h"

#include <stdio.h>
#include <string.h>

int64_t
bf_round_half_away(bf_i128 num, bf_i128 den)
{
	bf_i128		q;

	/* the usual sizes in 64 bits: a 128-bit division is a slow library call */
	if (num >= 0 && num < ((bf_i128) 1 << 61) && den < ((bf_i128) 1 << 61))
		return (int64_t) ((2 * (uint64_t) num + (uint64_t) den) / (2 * (uint64_t) den));
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

bf_i128
bf_gcd128(bf_i128 a, bf_i128 b)
{
	if (a < 0)
		a = -a;
	if (b < 0)
		b = -b;
	while (b != 0)
	{
		bf_i128		t = a % b;

		a = b;
		b = t;
	}
	return a;
}

int64_t
bf_gcd64(int64_t a, int64_t b)
{
	uint64_t	x = a < 0 ? (uint64_t) 0 - (uint64_t) a : (uint64_t) a;
	uint64_t	y = b < 0 ? (uint64_t) 0 - (uint64_t) b : (uint64_t) b;

	/* in 64 bits: a 128-bit remainder is a slow library call */
	while (y != 0)
	{
		uint64_t	t = x % y;

		x = y;
		y = t;
	}
	return (int64_t) x;
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

/* Most decimals bf_exact_format writes before it falls back to a fraction. */
#define BF_EXACT_MAX_DECIMALS 12

int
bf_exact_format(bf_i128 num, int64_t den, char *buf, size_t len)
{
	bool		neg = num < 0;
	unsigned __int128 mag;
	unsigned __int128 d;
	unsigned __int128 a;
	unsigned __int128 b;
	unsigned __int128 t;
	unsigned __int128 scale = 1;
	int			twos = 0;
	int			fives = 0;
	int			decimals;
	int			n;
	size_t		pos = 0;

	if (den <= 0 || len < 2)
		return -1;
	/* negate in unsigned arithmetic: -num overflows for the least int128 */
	mag = neg ? (unsigned __int128) 0 - (unsigned __int128) num : (unsigned __int128) num;
	d = (unsigned __int128) den * 100;	/* fen -> yuan */

	/* reduce */
	a = mag;
	b = d;
	while (b != 0)
	{
		t = a % b;
		a = b;
		b = t;
	}
	if (a > 1)
	{
		mag /= a;
		d /= a;
	}
	if (neg)
		buf[pos++] = '-';

	/*
	 * The decimal terminates iff d has no prime factor but 2 and 5, after
	 * max(twos, fives) places.  Past BF_EXACT_MAX_DECIMALS, or when it does
	 * not terminate, write the reduced fraction instead.
	 */
	t = d;
	while (t % 2 == 0)
	{
		t /= 2;
		twos++;
	}
	while (t % 5 == 0)
	{
		t /= 5;
		fives++;
	}
	decimals = twos > fives ? twos : fives;
	if (t != 1 || decimals > BF_EXACT_MAX_DECIMALS)
	{
		n = u128_format(mag, buf + pos, len - pos);
		if (n < 0 || pos + (size_t) n + 2 > len)
			return -1;
		pos += (size_t) n;
		buf[pos++] = '/';
		n = u128_format(d, buf + pos, len - pos);
		if (n < 0)
			return -1;
		return (int) (pos + (size_t) n);
	}

	n = u128_format(mag / d, buf + pos, len - pos);
	if (n < 0)
		return -1;
	pos += (size_t) n;
	if (decimals > 0)
	{
		unsigned __int128 frac;
		int			k;

		for (k = 0; k < decimals; k++)
			scale *= 10;
		frac = (mag % d) * (scale / d);
		if (pos + (size_t) decimals + 2 > len)
			return -1;
		buf[pos++] = '.';
		for (k = decimals - 1; k >= 0; k--)
		{
			buf[pos + (size_t) k] = (char) ('0' + (int) (frac % 10));
			frac /= 10;
		}
		pos += (size_t) decimals;
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
			return BF_T("is negative");
		case BF_MONEY_NAN:
			return BF_T("is NaN");
		case BF_MONEY_INFINITE:
			return BF_T("is infinite");
		case BF_MONEY_RANGE:
			/* BF_MAX_YUAN_TEXT spelled out: xgettext cannot join a macro in */
			return BF_T("is beyond the supported range of 0 to 1000000000000 yuan");
		case BF_MONEY_SUBFEN:
			return BF_T("has digits below the fen (more than 2 decimal places)");
	}
	return BF_T("is invalid");
}
