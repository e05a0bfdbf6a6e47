/*
 * run_unit.c
 *		Unit tests for the pure cores (money_core, tiers_core): no framework,
 *		no server.  Built by "make unit" with AddressSanitizer and UBSan.
 *
 * Every expected number is worked out by hand in the comment beside it, from
 * the policy text (docs: doc/clauses.md, clauses 0, 4(1), 4(2),
 * 5 and 8(3)).  Schedules are copied into allocations of exactly
 * BF_TIERS_SIZE(nbrackets) bytes so that any read past the last bracket is
 * caught by the sanitizer.
 *
 * Prints each failure, then "N passed, N failed"; exits 1 on any failure.
 */
#include "money_core.h"
#include "test_util.h"
#include "tiers_core.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int	n_passed;
static int	n_failed;

static void
check_at(int line, bool ok, const char *fmt,...)
{
	va_list		ap;

	if (ok)
	{
		n_passed++;
		return;
	}
	n_failed++;
	printf("FAIL (run_unit.c:%d): ", line);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
}

#define CHECK(ok, ...) check_at(__LINE__, (ok), __VA_ARGS__)

/* A bug in the test itself, not in the code under test. */
static void
test_bug(const char *what, const char *s)
{
	printf("TEST BUG: %s: \"%s\"\n", what, s);
	exit(2);
}

/* ------------------------------------------------------------------------
 * Helpers that do not use the code under test
 * ------------------------------------------------------------------------ */

/* "6000.01" -> 600001 fen.  Plain decimal, at most two decimals. */
static int64_t
Y(const char *s)
{
	int64_t		v = 0;
	int			nf = -1;
	const char *p = s;

	if (*p == '\0')
		test_bug("empty yuan literal", s);
	for (; *p; p++)
	{
		if (*p == '.' && nf < 0)
			nf = 0;
		else if (*p >= '0' && *p <= '9')
		{
			if (nf >= 0 && ++nf > 2)
				test_bug("more than two decimals", s);
			v = v * 10 + (*p - '0');
		}
		else
			test_bug("not a yuan literal", s);
	}
	if (nf < 1)
		v *= 100;
	else if (nf == 1)
		v *= 10;
	return v;
}

/* "900.0015" or "2000/3" or "-1/300" -> num/den in yuan. */
static void
ratio_of(const char *s, bf_i128 *num, bf_i128 *den)
{
	bf_i128		n = 0;
	bf_i128		d = 1;
	bool		neg = false;
	bool		frac = false;
	const char *p = s;

	if (*p == '-')
	{
		neg = true;
		p++;
	}
	for (; *p && *p != '/'; p++)
	{
		if (*p == '.')
			frac = true;
		else if (*p >= '0' && *p <= '9')
		{
			n = n * 10 + (*p - '0');
			if (frac)
				d *= 10;
		}
		else
			test_bug("not a ratio", s);
	}
	if (*p == '/')
	{
		bf_i128		dd = 0;

		for (p++; *p; p++)
		{
			if (*p < '0' || *p > '9')
				test_bug("not a ratio", s);
			dd = dd * 10 + (*p - '0');
		}
		d *= dd;
	}
	*num = neg ? -n : n;
	*den = d;
}

/* Decimal text of an int128, for failure messages. */
static const char *
i128_text(bf_i128 v, char *buf)
{
	char		tmp[48];
	int			n = 0;
	int			pos = 0;
	unsigned __int128 m = v < 0 ? (unsigned __int128) 0 - (unsigned __int128) v
		: (unsigned __int128) v;

	do
	{
		tmp[n++] = (char) ('0' + (int) (m % 10));
		m /= 10;
	} while (m > 0);
	if (v < 0)
		buf[pos++] = '-';
	while (n > 0)
		buf[pos++] = tmp[--n];
	buf[pos] = '\0';
	return buf;
}

/* Is a/b == c/d?  Both b and d positive; compared in lowest terms. */
static bool
same_ratio(bf_i128 a, bf_i128 b, bf_i128 c, bf_i128 d)
{
	bf_i128		g = bf_gcd128(a, b);
	bf_i128		h = bf_gcd128(c, d);

	if (g > 1)
	{
		a /= g;
		b /= g;
	}
	if (h > 1)
	{
		c /= h;
		d /= h;
	}
	return a == c && b == d;
}

/* Schedules parsed during the run, freed at the end (LeakSanitizer). */
static bf_tiers *owned[512];
static int	n_owned;

static bf_tiers *
keep(bf_tiers *t)
{
	if (n_owned >= (int) (sizeof owned / sizeof owned[0]))
		test_bug("too many schedules", "");
	owned[n_owned++] = t;
	return t;
}

/*
 * Parse a literal that must be good.  Returns a copy in an allocation of
 * exactly BF_TIERS_SIZE(nbrackets) bytes, or NULL (and a failure) if the
 * literal was refused.
 */
static bf_tiers *
parse_at(int line, const char *lit)
{
	bf_tiers   *full = malloc(BF_TIERS_MAX_SIZE);
	bf_tiers   *t;
	char		err[256];

	if (full == NULL)
		abort();
	memset(full, 0xA5, BF_TIERS_MAX_SIZE);
	err[0] = '\0';
	if (!bf_tiers_parse(lit, full, err, sizeof err))
	{
		check_at(line, false, "parse \"%s\" failed: %s", lit, err);
		free(full);
		return NULL;
	}
	t = malloc(BF_TIERS_SIZE(full->nbrackets));
	if (t == NULL)
		abort();
	memcpy(t, full, BF_TIERS_SIZE(full->nbrackets));
	free(full);
	return keep(t);
}

#define PARSE(lit) parse_at(__LINE__, (lit))

/* Canonical text of a schedule, in a static buffer ("<format failed>"). */
static const char *
fmt_tiers(const bf_tiers *t)
{
	static char buf[BF_TIERS_TEXT_MAX];

	if (bf_tiers_format(t, buf, sizeof buf) < 0)
		return "<format failed>";
	return buf;
}

/* ------------------------------------------------------------------------
 * money_core: numeric digits <-> fen
 * ------------------------------------------------------------------------ */

/* Value of numeric digits in fen, computed here independently (saturating). */
static bf_i128
digits_value(int weight, const int16_t *d, int n)
{
	bf_i128		v = 0;
	int			i;

	/* in units of 1/10000 yuan, then /100 for fen */
	for (i = 0; i < n; i++)
	{
		int			e = weight - i;
		bf_i128		x = d[i];
		int			k;

		for (k = 0; k < e + 1; k++)
			x *= 10000;
		v += x;
	}
	return v / 100;				/* 1 fen = 100 units of 1/10000 yuan */
}

/* A digit array as text, for messages: "{6000,100}@0". */
static const char *
digits_text(const int16_t *d, int n, int weight, char *buf, size_t len)
{
	size_t		pos = 0;
	int			i;

	pos += (size_t) snprintf(buf + pos, len - pos, "{");
	for (i = 0; i < n && pos < len; i++)
		pos += (size_t) snprintf(buf + pos, len - pos, "%s%d", i ? "," : "", d[i]);
	if (pos < len)
		snprintf(buf + pos, len - pos, "}@%d", weight);
	return buf;
}

typedef struct digits_case
{
	const char *yuan;			/* the amount */
	int			weight;			/* expected numeric weight */
	int			ndigits;
	int16_t		d[6];			/* expected base-10000 digits */
} digits_case;

static void
test_digits(void)
{
	/*
	 * numeric keeps base-10000 digits, most significant first; value = sum
	 * d[i] * 10000^(weight - i) yuan.  Fen are the first two decimals, so
	 * the fractional digit (weight -1) is fen * 100.
	 */
	static const digits_case cases[] = {
		/* 0: no digits at all, weight 0 */
		{"0", 0, 0, {0}},
		/* 0.01 = 100/10000 at weight -1 */
		{"0.01", -1, 1, {100}},
		/* 0.05 = 500/10000 */
		{"0.05", -1, 1, {500}},
		/* 0.1 = 1000/10000 */
		{"0.1", -1, 1, {1000}},
		/* 0.5 = 5000/10000 */
		{"0.5", -1, 1, {5000}},
		/* 1 = 1 at weight 0 */
		{"1", 0, 1, {1}},
		/* 1.5 = 1 | 5000 */
		{"1.5", 0, 2, {1, 5000}},
		/* 6000.01 = 6000 | 0100 */
		{"6000.01", 0, 2, {6000, 100}},
		/* 9999.99 = 9999 | 9900 */
		{"9999.99", 0, 2, {9999, 9900}},
		/* 10000 = 1 at weight 1 (trailing zero group stripped) */
		{"10000", 1, 1, {1}},
		/* 10000.01 = 1 | 0000 | 0100 */
		{"10000.01", 1, 3, {1, 0, 100}},
		/* 300000 = 30 | 0000 */
		{"300000", 1, 1, {30}},
		/* 123456789.12 = 1 | 2345 | 6789 | 1200 */
		{"123456789.12", 2, 4, {1, 2345, 6789, 1200}},
		/* 10^8 = 1 at weight 2 */
		{"100000000", 2, 1, {1}},
		/* 999999999999.99 = 9999 | 9999 | 9999 | 9900 at weight 2 */
		{"999999999999.99", 2, 4, {9999, 9999, 9999, 9900}},
		/* 10^12 yuan = BF_MAX_FEN = 1 at weight 3 */
		{"1000000000000", 3, 1, {1}},
	};
	size_t		i;
	char		b1[96];
	char		b2[96];

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++)
	{
		const digits_case *c = &cases[i];
		int64_t		fen = Y(c->yuan);
		int16_t    *d = malloc(6 * sizeof(int16_t));	/* exactly 6: ASan */
		int			weight = 12345;
		bool		neg = true;
		int			n;
		int64_t		back = -1;
		bf_money_status st;

		if (d == NULL)
			abort();
		n = bf_fen_to_digits(fen, d, &weight, &neg);
		CHECK(n == c->ndigits && weight == c->weight && !neg &&
			  memcmp(d, c->d, (size_t) n * sizeof(int16_t)) == 0,
			  "bf_fen_to_digits(%s) = %s neg=%d, expected %s",
			  c->yuan, digits_text(d, n, weight, b1, sizeof b1), neg,
			  digits_text(c->d, c->ndigits, c->weight, b2, sizeof b2));
		st = bf_digits_to_fen(false, c->weight, c->d, c->ndigits, &back);
		CHECK(st == BF_MONEY_OK && back == fen,
			  "bf_digits_to_fen(%s) = status %d, %lld fen; expected %lld",
			  c->yuan, (int) st, (long long) back, (long long) fen);
		free(d);
	}
	CHECK(BF_MAX_FEN == Y(BF_MAX_YUAN_TEXT), "BF_MAX_YUAN_TEXT does not match BF_MAX_FEN");
}

/* Round trips over many values, with the canonical form checked. */
static void
test_digits_roundtrip(void)
{
	int64_t		vals[400];
	int			nv = 0;
	int64_t		p;
	uint64_t	seed = 0x9E3779B97F4A7C15u;
	int			i;
	int			bad = 0;

	for (p = 1; p <= BF_MAX_FEN; p *= 10)
	{
		vals[nv++] = p - 1;
		vals[nv++] = p;
		if (p < BF_MAX_FEN)
		{
			vals[nv++] = p + 1;
			vals[nv++] = p * 9 - 1;
			vals[nv++] = p * 5;
		}
	}
	vals[nv++] = BF_MAX_FEN;
	vals[nv++] = BF_MAX_FEN - 1;
	vals[nv++] = 9999;			/* 99.99: one group and a fractional digit */
	vals[nv++] = 1000000;		/* 10000 */
	vals[nv++] = 100000000;		/* 10^6 yuan */
	while (nv < 400)
	{
		seed = seed * 6364136223846793005u + 1442695040888963407u;
		vals[nv++] = (int64_t) ((seed >> 11) % (uint64_t) (BF_MAX_FEN + 1));
	}
	for (i = 0; i < nv; i++)
	{
		int16_t		d[6];
		int			weight;
		bool		neg;
		int			n = bf_fen_to_digits(vals[i], d, &weight, &neg);
		int64_t		back = -1;
		bool		canonical = true;
		int			k;

		for (k = 0; k < n; k++)
			if (d[k] < 0 || d[k] > 9999)
				canonical = false;
		if (n > 0 && (d[0] == 0 || d[n - 1] == 0))
			canonical = false;
		if (n > 0 && weight - (n - 1) < -1)
			canonical = false;
		if (n > 0 && weight - (n - 1) == -1 && d[n - 1] % 100 != 0)
			canonical = false;
		if (n == 0 && (vals[i] != 0 || weight != 0))
			canonical = false;
		if (!canonical || neg || digits_value(weight, d, n) != vals[i] ||
			bf_digits_to_fen(false, weight, d, n, &back) != BF_MONEY_OK ||
			back != vals[i])
		{
			char		b[96];

			if (bad++ < 10)
				CHECK(false, "round trip of %lld fen: digits %s, back %lld",
					  (long long) vals[i], digits_text(d, n, weight, b, sizeof b),
					  (long long) back);
		}
	}
	CHECK(bad == 0, "%d of %d fen values failed the digits round trip", bad, nv);

	/* negative fen are expressed too (a refund), with the sign apart */
	{
		int16_t		d[6];
		int			weight;
		bool		neg = false;
		int			n = bf_fen_to_digits(-150, d, &weight, &neg);

		/* -1.50 = -(1 | 5000) */
		CHECK(n == 2 && weight == 0 && neg && d[0] == 1 && d[1] == 5000,
			  "bf_fen_to_digits(-150) wrong");
	}
	/* the extremes of int64 need all six digits and must not overflow */
	{
		int16_t    *d = malloc(6 * sizeof(int16_t));
		int			weight;
		bool		neg;
		int			n;

		if (d == NULL)
			abort();
		/* INT64_MAX = 92233720368547758.07 yuan = 9 | 2233 | 7203 | 6854 | 7758 | 0700 */
		n = bf_fen_to_digits(INT64_MAX, d, &weight, &neg);
		CHECK(n == 6 && weight == 4 && !neg && d[0] == 9 && d[1] == 2233 &&
			  d[2] == 7203 && d[3] == 6854 && d[4] == 7758 && d[5] == 700,
			  "bf_fen_to_digits(INT64_MAX) wrong");
		/* INT64_MIN = -92233720368547758.08 yuan */
		n = bf_fen_to_digits(INT64_MIN, d, &weight, &neg);
		CHECK(n == 6 && weight == 4 && neg && d[0] == 9 && d[5] == 800,
			  "bf_fen_to_digits(INT64_MIN) wrong");
		free(d);
	}
}

/*
 * The quick decoder of the usual amount (money_core.h) against the general
 * one: wherever it answers, it must give what bf_digits_to_fen gives, over
 * every header shape and a spread of digit values; and it must answer for
 * the amounts that rows usually hold.
 */
static unsigned char *
numeric_body(uint16_t hdr, const uint16_t *d, int nd, size_t *len)
{
	/* exactly the body's size, so ASan sees any read past it */
	unsigned char *p = malloc(sizeof(uint16_t) * (size_t) (nd + 1));

	if (p == NULL)
		abort();
	memcpy(p, &hdr, sizeof hdr);
	if (nd > 0)
		memcpy(p + sizeof hdr, d, sizeof(uint16_t) * (size_t) nd);
	*len = sizeof(uint16_t) * (size_t) (nd + 1);
	return p;
}

static void
test_quick_fen(void)
{
	static const uint16_t dv[] = {0, 1, 99, 100, 5000, 9900, 9999, 10000, 65535};
	const int	ndv = (int) (sizeof dv / sizeof dv[0]);
	int			answered = 0;
	int			bad = 0;
	int			w;
	int			nd;
	int			i;

	for (w = -3; w <= 4; w++)
		for (nd = 0; nd <= 5; nd++)
		{
			int			combos = 1;
			int			c;
			int			form;

			for (i = 0; i < nd; i++)
				combos *= ndv;
			for (form = 0; form < 4; form++)
				for (c = 0; c < combos; c++)
				{
					uint16_t	d[5];
					int16_t		sd[5];
					uint16_t	hdr;
					bool		neg = form == 1 || form == 3;
					int			x = c;
					size_t		len;
					unsigned char *p;
					int64_t		quick = -1;
					int64_t		slow = -1;

					for (i = 0; i < nd; i++)
					{
						d[i] = dv[x % ndv];
						sd[i] = (int16_t) d[i];
						x /= ndv;
					}
					if (form < 2)	/* short header: sign, weight */
						hdr = (uint16_t) (BF_NUM_SHORT | (neg ? BF_NUM_SHORT_SIGN_MASK : 0) |
										  (2 << BF_NUM_SHORT_DSCALE_SHIFT) |
										  (w < 0 ? BF_NUM_SHORT_WEIGHT_SIGN : 0) |
										  ((unsigned) w & BF_NUM_SHORT_WEIGHT_MASK));
					else		/* the long form's first word: never quick */
						hdr = (uint16_t) ((neg ? BF_NUM_NEG : BF_NUM_POS) | 2);
					p = numeric_body(hdr, d, nd, &len);
					if (bf_numeric_quick_fen(p, len, &quick))
					{
						answered++;
						if (form >= 2 || bf_digits_to_fen(neg, w, sd, nd, &slow) != BF_MONEY_OK ||
							slow != quick)
						{
							if (bad++ < 5)
								CHECK(false, "quick decoder: weight %d, %d digits (%d %d ...), form %d: "
									  "%lld, slow %lld", w, nd, nd > 0 ? sd[0] : 0,
									  nd > 1 ? sd[1] : 0, form, (long long) quick, (long long) slow);
						}
					}
					free(p);
				}
		}
	CHECK(bad == 0, "quick decoder disagreed %d times", bad);
	CHECK(answered > 1000, "quick decoder answered only %d shapes", answered);

	/* the amounts of a row: 1 yuan up to below 10^12, any fen */
	{
		static const int64_t vals[] = {100, 101, 199, 9999, 10000, 12345, 999999,
			1000000, 1000001, 123456789, 10000000000, 99999999999999};
		size_t		k;

		for (k = 0; k < sizeof vals / sizeof vals[0]; k++)
		{
			int16_t		sd[6];
			uint16_t	d[6];
			int			weight;
			bool		neg;
			int			n = bf_fen_to_digits(vals[k], sd, &weight, &neg);
			size_t		len;
			unsigned char *p;
			int64_t		quick = -1;

			for (i = 0; i < n; i++)
				d[i] = (uint16_t) sd[i];
			p = numeric_body((uint16_t) (BF_NUM_SHORT | (2 << BF_NUM_SHORT_DSCALE_SHIFT) | weight),
							 d, n, &len);
			CHECK(bf_numeric_quick_fen(p, len, &quick) && quick == vals[k],
				  "quick decoder on %lld fen gave %lld", (long long) vals[k], (long long) quick);
			free(p);
		}
	}
}

/* The quick encoder of the usual result against the general digit split. */
static void
test_quick_numeric(void)
{
	int64_t		vals[600];
	int			nv = 0;
	int64_t		p;
	uint64_t	seed = 0x13198A2E03707344u;
	int			bad = 0;
	int			i;

	for (p = 1; p <= BF_MAX_FEN; p *= 10)
	{
		vals[nv++] = p - 1;
		vals[nv++] = p;
		vals[nv++] = p + 1;
		vals[nv++] = p * 3 + 7;
	}
	vals[nv++] = 0;
	vals[nv++] = 100;			/* 1.00: one digit */
	vals[nv++] = 1000000;		/* 10000.00: trailing zero group dropped */
	vals[nv++] = 10000000000;	/* 10^8 yuan */
	vals[nv++] = 10000000001;	/* 10^8 yuan and a fen: 1 | 0 | 0 | 100 */
	vals[nv++] = 1000000000100; /* 10^10 + 1 yuan */
	vals[nv++] = BF_MAX_FEN - 1;
	while (nv < 600)
	{
		seed = seed * 6364136223846793005u + 1442695040888963407u;
		vals[nv++] = (int64_t) ((seed >> 11) % (uint64_t) BF_MAX_FEN);
	}
	for (i = 0; i < nv; i++)
	{
		unsigned char *out = malloc(10);	/* exactly what the contract asks */
		int16_t		d[6];
		int			weight;
		bool		neg;
		int			n;
		size_t		len;
		uint16_t	hdr;
		uint16_t	want;

		if (out == NULL)
			abort();
		len = bf_fen_quick_numeric(vals[i], out);
		if (vals[i] >= BF_MAX_FEN)
		{
			CHECK(len == 0, "quick encoder took %lld fen, beyond its range", (long long) vals[i]);
			free(out);
			continue;
		}
		n = bf_fen_to_digits(vals[i], d, &weight, &neg);
		want = (uint16_t) (BF_NUM_SHORT | (2 << BF_NUM_SHORT_DSCALE_SHIFT) |
						   (weight < 0 ? BF_NUM_SHORT_WEIGHT_SIGN : 0) |
						   ((unsigned) weight & BF_NUM_SHORT_WEIGHT_MASK));
		memcpy(&hdr, out, sizeof hdr);
		if (len != sizeof(uint16_t) * (size_t) (n + 1) || hdr != want ||
			memcmp(out + sizeof hdr, d, (size_t) n * sizeof(int16_t)) != 0)
		{
			char		b[96];

			if (bad++ < 5)
				CHECK(false, "quick encoder on %lld fen: length %zu header %04x, want %d digits %s header %04x",
					  (long long) vals[i], len, hdr, n, digits_text(d, n, weight, b, sizeof b), want);
		}
		free(out);
	}
	CHECK(bad == 0, "quick encoder disagreed %d times", bad);
	{
		unsigned char out[10];

		CHECK(bf_fen_quick_numeric(-1, out) == 0, "quick encoder took a negative amount");
		CHECK(bf_fen_quick_numeric(BF_MAX_FEN, out) == 0, "quick encoder took 10^12 yuan");
	}
}

/* Division by an invariant divisor: exact for every dividend below 2^63. */
static void
test_divider(void)
{
	uint64_t	ds[200];
	int			nds = 0;
	uint64_t	seed = 0x243F6A8885A308D3u;
	int			bad = 0;
	int			i;
	int			b;

	for (i = 1; i <= 40; i++)
		ds[nds++] = (uint64_t) i;
	for (b = 1; b < 64; b += 2)
	{
		ds[nds++] = ((uint64_t) 1 << b) - 1;
		ds[nds++] = ((uint64_t) 1 << b) + 1;
	}
	ds[nds++] = (uint64_t) 1 << 62;
	ds[nds++] = UINT64_MAX;
	ds[nds++] = 200;			/* 2 x a denominator of 100 */
	ds[nds++] = 2 * UINT64_C(1000000000000);
	while (nds < 200)
	{
		seed = seed * 6364136223846793005u + 1442695040888963407u;
		ds[nds++] = (seed >> (seed & 63)) | 1;
	}
	for (i = 0; i < nds; i++)
	{
		bf_divider dv;
		uint64_t	d = ds[i];
		uint64_t	ns[40];
		int			nn = 0;
		int			k;

		bf_divider_init(&dv, d);
		ns[nn++] = 0;
		ns[nn++] = 1;
		ns[nn++] = (uint64_t) INT64_MAX;
		ns[nn++] = (uint64_t) INT64_MAX - 1;
		if (d <= (uint64_t) INT64_MAX)
		{
			ns[nn++] = d - 1;
			ns[nn++] = d;
			if (d < (uint64_t) INT64_MAX)
				ns[nn++] = d + 1;
			ns[nn++] = ((uint64_t) INT64_MAX / d) * d;
			ns[nn++] = ((uint64_t) INT64_MAX / d) * d - 1;
		}
		while (nn < 40)
		{
			seed = seed * 6364136223846793005u + 1442695040888963407u;
			ns[nn++] = (seed >> 1) >> (seed & 31);
		}
		for (k = 0; k < nn; k++)
			if (bf_divide(&dv, ns[k]) != ns[k] / d && bad++ < 5)
				CHECK(false, "bf_divide(%llu / %llu) = %llu", (unsigned long long) ns[k],
					  (unsigned long long) d, (unsigned long long) bf_divide(&dv, ns[k]));
	}
	CHECK(bad == 0, "bf_divide was wrong %d times", bad);
}

typedef struct digits_err_case
{
	const char *what;
	bool		negative;
	int			weight;
	int			ndigits;
	int16_t		d[8];
	bf_money_status expect;
	int64_t		fen;			/* when expect is OK */
} digits_err_case;

static void
test_digits_errors(void)
{
	static const digits_err_case cases[] = {
		/* -1 */
		{"-1", true, 0, 1, {1}, BF_MONEY_NEGATIVE, 0},
		/* -0.01 */
		{"-0.01", true, -1, 1, {100}, BF_MONEY_NEGATIVE, 0},
		/* -0 (no digits, sign set) is zero, not negative */
		{"-0", true, 0, 0, {0}, BF_MONEY_OK, 0},
		/* -0.00 written with a zero digit */
		{"-0.00 as {0}", true, -1, 1, {0}, BF_MONEY_OK, 0},
		/* 0.001 yuan = 10/10000: digit 10 at weight -1, 10 % 100 != 0 */
		{"0.001", false, -1, 1, {10}, BF_MONEY_SUBFEN, 0},
		/* 0.015 = 150/10000 */
		{"0.015", false, -1, 1, {150}, BF_MONEY_SUBFEN, 0},
		/* 0.0001 = 1/10000 */
		{"0.0001", false, -1, 1, {1}, BF_MONEY_SUBFEN, 0},
		/* 0.00000001 = 1 at weight -2 */
		{"0.00000001", false, -2, 1, {1}, BF_MONEY_SUBFEN, 0},
		/* 1.001 = 1 | 0010 */
		{"1.001", false, 0, 2, {1, 10}, BF_MONEY_SUBFEN, 0},
		/* 6000.005 = 6000 | 0050: the half fen itself is refused, not rounded */
		{"6000.005", false, 0, 2, {6000, 50}, BF_MONEY_SUBFEN, 0},
		/* 10^12 + 0.01 = 1 | 0 | 0 | 0 | 0100 at weight 3 */
		{"1000000000000.01", false, 3, 5, {1, 0, 0, 0, 100}, BF_MONEY_RANGE, 0},
		/* 10^12 + 1 */
		{"1000000000001", false, 3, 4, {1, 0, 0, 1}, BF_MONEY_RANGE, 0},
		/* 2 * 10^12 */
		{"2000000000000", false, 3, 1, {2}, BF_MONEY_RANGE, 0},
		/* 9999 9999 9999 9999 yuan */
		{"9999999999999999", false, 3, 4, {9999, 9999, 9999, 9999}, BF_MONEY_RANGE, 0},
		/* 10^16 = 1 at weight 4 */
		{"10^16", false, 4, 1, {1}, BF_MONEY_RANGE, 0},
		/* 10^400: weight 100 */
		{"10^400", false, 100, 1, {1}, BF_MONEY_RANGE, 0},
		/* huge and sub-fen: the range is the first thing to fix */
		{"10^16 + 0.001", false, 4, 6, {1, 0, 0, 0, 0, 10}, BF_MONEY_RANGE, 0},
		/* huge and negative: the sign is the first thing to fix */
		{"-10^16", true, 4, 1, {1}, BF_MONEY_NEGATIVE, 0},
		/* non-canonical zeros: leading zero groups {0,0,1}@2 = 1 yuan */
		{"{0,0,1}@2", false, 2, 3, {0, 0, 1}, BF_MONEY_OK, 100},
		/* trailing zero groups {1,0,0}@0 = 1 yuan */
		{"{1,0,0}@0", false, 0, 3, {1, 0, 0}, BF_MONEY_OK, 100},
		/* a zero group far above the range is harmless: {0,5000}@0 = 0.5 */
		{"{0,0,0,0,0,5000}@4", false, 4, 6, {0, 0, 0, 0, 0, 5000}, BF_MONEY_OK, 50},
		/* all zeros at a huge weight */
		{"{0}@7", false, 7, 1, {0}, BF_MONEY_OK, 0},
		/* zero digits below the fen are not sub-fen: {6000,100,0}@0 */
		{"{6000,100,0,0}@0", false, 0, 4, {6000, 100, 0, 0}, BF_MONEY_OK, 600001},
		/* 10^12 exactly with a trailing zero fraction digit */
		{"{1,0,0,0,0}@3", false, 3, 5, {1, 0, 0, 0, 0}, BF_MONEY_OK, INT64_C(100000000000000)},
	};
	size_t		i;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++)
	{
		const digits_err_case *c = &cases[i];
		int64_t		fen = -12345;
		bf_money_status st = bf_digits_to_fen(c->negative, c->weight, c->d,
											  c->ndigits, &fen);

		CHECK(st == c->expect, "bf_digits_to_fen(%s) = %d (%s), expected %d (%s)",
			  c->what, (int) st, bf_money_status_text(st), (int) c->expect,
			  bf_money_status_text(c->expect));
		if (c->expect == BF_MONEY_OK)
			CHECK(fen == c->fen, "bf_digits_to_fen(%s) = %lld fen, expected %lld",
				  c->what, (long long) fen, (long long) c->fen);
		else
			CHECK(fen == -12345, "bf_digits_to_fen(%s) wrote *fen on error", c->what);
	}

	/* the texts name the problem */
	CHECK(strstr(bf_money_status_text(BF_MONEY_NEGATIVE), "negative") != NULL, "text of NEGATIVE");
	CHECK(strstr(bf_money_status_text(BF_MONEY_NAN), "NaN") != NULL, "text of NAN");
	CHECK(strstr(bf_money_status_text(BF_MONEY_INFINITE), "infinite") != NULL, "text of INFINITE");
	CHECK(strstr(bf_money_status_text(BF_MONEY_RANGE), "1000000000000 yuan") != NULL, "text of RANGE");
	CHECK(strstr(bf_money_status_text(BF_MONEY_SUBFEN), "2 decimal") != NULL, "text of SUBFEN");
	CHECK(strcmp(bf_money_status_text(BF_MONEY_OK), "ok") == 0, "text of OK");
}

/* ------------------------------------------------------------------------
 * money_core: rounding, division, gcd, formatting
 * ------------------------------------------------------------------------ */

static void
test_rounding(void)
{
	static const struct
	{
		int64_t		num;
		int64_t		den;
		int64_t		expect;
	}			cases[] = {
		{5, 10, 1},				/* 0.5 -> 1: half goes up */
		{15, 10, 2},			/* 1.5 -> 2 */
		{25, 10, 3},			/* 2.5 -> 3 (half-even would give 2) */
		{35, 10, 4},			/* 3.5 -> 4 */
		{4999, 10000, 0},		/* 0.4999 -> 0 */
		{5001, 10000, 1},		/* 0.5001 -> 1 */
		{49999999, 100000000, 0},	/* 0.49999999 -> 0 */
		{-5, 10, -1},			/* -0.5 -> -1: away from zero */
		{-15, 10, -2},			/* -1.5 -> -2 */
		{-25, 10, -3},			/* -2.5 -> -3 */
		{-4999, 10000, 0},		/* -0.4999 -> 0 */
		{-6, 10, -1},			/* -0.6 -> -1 */
		{0, 7, 0},				/* 0 */
		{1, 3, 0},				/* 0.333 -> 0 */
		{2, 3, 1},				/* 0.667 -> 1 */
		{-1, 3, 0},				/* -0.333 -> 0 */
		{-2, 3, -1},			/* -0.667 -> -1 */
		{200000, 3, 66667},		/* 66666.67 -> 66667 */
		{1800003, 20, 90000},	/* 90000.15 -> 90000 */
		{6000002, 4, 1500001},	/* 1500000.5 -> 1500001 */
		{12, 4, 3},				/* exact */
		{7, 1, 7},				/* den 1 */
	};
	size_t		i;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++)
	{
		int64_t		got = bf_round_half_away(cases[i].num, cases[i].den);

		CHECK(got == cases[i].expect, "bf_round_half_away(%lld, %lld) = %lld, expected %lld",
			  (long long) cases[i].num, (long long) cases[i].den,
			  (long long) got, (long long) cases[i].expect);
	}
	/* wide: 10^14 fen x 999999999 / 10^9 + a half: (10^23 - 10^14 + 5*10^8) / 10^9 */
	{
		bf_i128		num = (bf_i128) BF_MAX_FEN * 999999999 + 500000000;
		int64_t		got = bf_round_half_away(num, 1000000000);

		/* = 99999999900000 + 0.5 -> 99999999900001 */
		CHECK(got == INT64_C(99999999900001), "bf_round_half_away wide = %lld", (long long) got);
		got = bf_round_half_away(num - 1, 1000000000);
		CHECK(got == INT64_C(99999999900000), "bf_round_half_away wide - 1 = %lld", (long long) got);
	}

	/* floor and ceiling */
	CHECK(bf_floor_div(7, 2) == 3 && bf_ceil_div(7, 2) == 4, "floor/ceil 7/2");
	CHECK(bf_floor_div(-7, 2) == -4 && bf_ceil_div(-7, 2) == -3, "floor/ceil -7/2");
	CHECK(bf_floor_div(6, 3) == 2 && bf_ceil_div(6, 3) == 2, "floor/ceil 6/3");
	CHECK(bf_floor_div(-6, 3) == -2 && bf_ceil_div(-6, 3) == -2, "floor/ceil -6/3");
	CHECK(bf_floor_div(0, 5) == 0 && bf_ceil_div(0, 5) == 0, "floor/ceil 0/5");
	CHECK(bf_floor_div(1, 360) == 0 && bf_ceil_div(1, 360) == 1, "floor/ceil 1/360");

	/* gcd */
	CHECK(bf_gcd64(12, 18) == 6, "gcd(12,18)");
	CHECK(bf_gcd64(-12, 18) == 6, "gcd(-12,18)");
	CHECK(bf_gcd64(0, 5) == 5 && bf_gcd64(5, 0) == 5, "gcd with 0");
	CHECK(bf_gcd64(0, 0) == 0, "gcd(0,0)");
	CHECK(bf_gcd64(999999937, 1000000000) == 1, "gcd of coprimes");
	CHECK(bf_gcd64(BF_MAX_FEN, 1000000000) == 1000000000, "gcd(10^14, 10^9)");
}

static void
test_fen_format(void)
{
	static const struct
	{
		int64_t		fen;
		const char *min;
		const char *two;
	}			cases[] = {
		{0, "0", "0.00"},
		{1, "0.01", "0.01"},
		{10, "0.1", "0.10"},
		{99, "0.99", "0.99"},
		{100, "1", "1.00"},
		{600000, "6000", "6000.00"},
		{600001, "6000.01", "6000.01"},
		{600050, "6000.5", "6000.50"},
		{1500000, "15000", "15000.00"},
		{INT64_C(100000000000000), "1000000000000", "1000000000000.00"},
		{-150, "-1.5", "-1.50"},
		{-1, "-0.01", "-0.01"},
		{INT64_MIN, "-92233720368547758.08", "-92233720368547758.08"},
	};
	size_t		i;
	char		buf[64];

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++)
	{
		int			n = bf_fen_format_min(cases[i].fen, buf, sizeof buf);

		CHECK(n == (int) strlen(cases[i].min) && strcmp(buf, cases[i].min) == 0,
			  "bf_fen_format_min(%lld) = \"%s\", expected \"%s\"",
			  (long long) cases[i].fen, buf, cases[i].min);
		n = bf_fen_format2(cases[i].fen, buf, sizeof buf);
		CHECK(n == (int) strlen(cases[i].two) && strcmp(buf, cases[i].two) == 0,
			  "bf_fen_format2(%lld) = \"%s\", expected \"%s\"",
			  (long long) cases[i].fen, buf, cases[i].two);
	}
}

typedef struct exact_case
{
	bf_i128		num;			/* fen */
	int64_t		den;
	const char *text;			/* yuan */
} exact_case;

static void
test_exact_format(void)
{
	static const exact_case cases[] = {
		/* 200000/3 fen = 2000/3 yuan = 666.666...: does not terminate */
		{200000, 3, "2000/3"},
		/* 180000 fen = 1800 yuan */
		{180000, 1, "1800"},
		/* 6000.01 x 15% = 600001 x 3/20 fen = 1800003/20 fen = 900.0015 yuan */
		{1800003, 20, "900.0015"},
		/* 0 */
		{0, 1, "0"},
		{0, 7, "0"},
		/* 1 fen */
		{1, 1, "0.01"},
		/* half a fen = 0.005 yuan */
		{5, 10, "0.005"},
		/* 60000 fen = 600 */
		{60000, 1, "600"},
		/* 1200003/20 fen = 60000.15 fen = 600.0015 yuan (marginal 4(1) at 6000.01) */
		{1200003, 20, "600.0015"},
		/* 20002/3 fen = 20002/300 yuan = 10001/150 (pension on 100.01) */
		{20002, 3, "10001/150"},
		/* negatives keep the sign */
		{-150, 1, "-1.5"},
		{-1, 3, "-1/300"},
		/* 1/1024 fen = 1/102400 yuan = 1/(2^12 * 5^2): 12 decimals */
		{1, 1024, "0.000009765625"},
		/* 4/4096 fen reduces to the same */
		{4, 4096, "0.000009765625"},
		/* 1/2048 fen = 1/(2^13 * 5^2) yuan: 13 decimals, over the 12 allowed */
		{1, 2048, "1/204800"},
		/* 1/2^29 fen: 31 decimals (was silently cut to 30 and wrong) */
		{1, INT64_C(536870912), "1/53687091200"},
		/* 1/5^12 fen = 1/(2^2 * 5^14) yuan: 14 decimals */
		{1, INT64_C(244140625), "1/24414062500"},
		/* 1/8 fen = 0.00125 yuan */
		{1, 8, "0.00125"},
		/* 10^14 x 999999999 / 10^9 fen = 99999999900000 fen = 999999999000 yuan */
		{(bf_i128) INT64_C(100000000000000) * 999999999, 1000000000, "999999999000"},
		/* 10^14 x 2/3 fen = 2 x 10^12 / 3 yuan */
		{(bf_i128) INT64_C(100000000000000) * 2, 3, "2000000000000/3"},
	};
	size_t		i;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++)
	{
		char		buf[96];
		char		nb[48];
		int			n = bf_exact_format(cases[i].num, cases[i].den, buf, sizeof buf);

		CHECK(n == (int) strlen(cases[i].text) && strcmp(buf, cases[i].text) == 0,
			  "bf_exact_format(%s, %lld) = \"%s\" (%d), expected \"%s\"",
			  i128_text(cases[i].num, nb), (long long) cases[i].den,
			  n < 0 ? "" : buf, n, cases[i].text);
	}

	/* the least int128 must not overflow when negated (UBSan watches) */
	{
		bf_i128		least = -(bf_i128) (((unsigned __int128) 1) << 126) * 2;
		char		buf[96];
		int			n = bf_exact_format(least, 1, buf, sizeof buf);

		/* 2^127 fen = 170141183460469231731687303715884105728 fen */
		CHECK(n > 0 && strcmp(buf, "-1701411834604692317316873037158841057.28") == 0,
			  "bf_exact_format(-2^127, 1) = \"%s\"", n > 0 ? buf : "");
	}
	/* a denominator that is not positive is refused, not looped on */
	{
		char		buf[32];

		CHECK(bf_exact_format(1, 0, buf, sizeof buf) == -1, "bf_exact_format(1, 0)");
		CHECK(bf_exact_format(1, -3, buf, sizeof buf) == -1, "bf_exact_format(1, -3)");
	}
	/* buffers exactly too small, and exactly big enough (ASan checks writes) */
	{
		static const exact_case sized[] = {
			{180000, 1, "1800"},
			{200000, 3, "2000/3"},
			{1800003, 20, "900.0015"},
			{-1, 3, "-1/300"},
			{-150, 1, "-1.5"},
			{0, 1, "0"},
		};
		size_t		k;

		for (k = 0; k < sizeof sized / sizeof sized[0]; k++)
		{
			size_t		need = strlen(sized[k].text) + 1;
			size_t		len;

			for (len = 0; len <= need; len++)
			{
				char	   *buf = malloc(len ? len : 1);
				int			n;

				if (buf == NULL)
					abort();
				n = bf_exact_format(sized[k].num, sized[k].den, buf, len);
				if (len < need)
					CHECK(n == -1, "bf_exact_format(\"%s\") into %zu bytes gave %d",
						  sized[k].text, len, n);
				else
					CHECK(n == (int) need - 1 && strcmp(buf, sized[k].text) == 0,
						  "bf_exact_format(\"%s\") into %zu bytes failed", sized[k].text, len);
				free(buf);
			}
		}
	}
}

/* ------------------------------------------------------------------------
 * tiers_core: the schedules of the policy text
 * ------------------------------------------------------------------------ */

/* 四(1) charity-bed reduction, flat (shipped) with the 15000 per-stay cap */
#define S41_FLAT "flat: [0,6000] 10%, (6000,12000] 15%, (12000,20000] 20%, (20000,) 25%; cap 15000"
/* 四(1) read marginally (分段计算), with and without the cap */
#define S41_MARG_CAP "marginal: [0,6000] 10%, (6000,12000] 15%, (12000,20000] 20%, (20000,) 25%; cap 15000"
#define S41_MARG "marginal: [0,6000] 10%, (6000,12000] 15%, (12000,20000] 20%, (20000,) 25%"
/* 四(2) serious-illness relief: no per-stay cap (the 30000 is yearly) */
#define S42_FLAT "flat: [0,10000] 60%, (10000,20000] 70%, (20000,) 80%"
#define S42_MARG "marginal: [0,10000] 60%, (10000,20000] 70%, (20000,) 80%"
/* 八(3) handicraft sales reward: fixed amounts, a bound belongs to the higher tier */
#define S83 "flat: [0,300000) 0, [300000,500000) 5000, [500000,1000000) 10000, [1000000,) 20000"
/* 五 pension subsidy: 2/3 of the payment */
#define S5 "flat: [0,) 2/3"

/* Literals that are already canonical: format(parse(x)) == x. */
static const char *const canonical[] = {
	S41_FLAT,
	S41_MARG_CAP,
	S41_MARG,
	S42_FLAT,
	S42_MARG,
	S83,
	S5,
	"flat: [0,) 12.5%",
	"flat: (,) 100%",
	"flat: [0,) 10%",
	"flat: [0,0] 0%, (0,) 1/3",
	"flat: [0,6000.5] 0.000001%, (6000.5,) 99.999999%",
	"marginal: [100.01,200) 1/7, [200,1000000000000] 999999999/1000000000",
	"flat: [0,) 0; cap 0",
	"flat: [0,1000000000000] 1000000000000",
	"flat: (,6000) 10%, [6000,) 5%",
	"marginal: [0,0.05] 10%, (0.05,) 10%",
	"marginal: [0,0.04] 10%, (0.04,) 10%",
	"flat: [0,1) 1/999983, [1,) 99.9999%",
	"marginal: [0,1) 1/999983, [1,) 99.9999%",
	"flat: [0,100) 0.01, [100,) 12.34; cap 0.5",
	"flat: [0,) 1.5625%",
	"flat: [0,) 1/1024",
	"flat: [0,) 1/3000000",
	"marginal: [100,200] 10%, (200,) 20%",
	"flat: [100,200] 10%",
	"flat: [0,0] 0, (0,) 10",
	"flat: (,0) 0, [0,) 10%",
	"flat: [0,1000000000000] 10%, (1000000000000,) 20%",
	"flat: [0,0.01) 1%, [0.01,0.02] 2%, (0.02,0.04) 3%, [0.04,) 4%; cap 1000000000000",
	"flat: (0,1) 1/9, [1,1] 2%",
};

/* Literals that parse to a canonical text different from themselves. */
static const char *const noncanonical[][2] = {
	/* whitespace everywhere, upper-case mode and option */
	{"  FLAT :[0 , 6000]10 %,(6000,12000] 15%,(12000,20000]20%,(20000 ,)25% ;CAP 15000  ", S41_FLAT},
	{"Marginal:[0,6000] 10%,(6000,12000] 15%,(12000,20000] 20%,(20000,) 25%;cap 15000", S41_MARG_CAP},
	{"MARGINAL: [0,6000] 10%, (6000,12000] 15%, (12000,20000] 20%, (20000,) 25%; Cap 15000", S41_MARG_CAP},
	{"mArGiNaL: [0,6000] 10%, (6000,12000] 15%, (12000,20000] 20%, (20000,) 25%", S41_MARG},
	/* mode omitted: flat */
	{"[0,6000] 10%, (6000,12000] 15%, (12000,20000] 20%, (20000,) 25%; cap 15000", S41_FLAT},
	{"[0,)10%", "flat: [0,) 10%"},
	/* redundant zeros and equivalent rates */
	{"flat: [0,6000.00] 10.0%, (6000.0,12000] 15.000000%, (12000,20000] 1/5, (20000,) 25/100; cap 15000.00", S41_FLAT},
	{"flat: [0,6000.] 10%, (6000.,) 15%", "flat: [0,6000] 10%, (6000,) 15%"},
	{"flat: [0,) 000012.5000%", "flat: [0,) 12.5%"},
	{"flat: [0,) 12.5 %", "flat: [0,) 12.5%"},
	{"flat: [0,) 1/8", "flat: [0,) 12.5%"},
	{"flat: [0,) 0/5", "flat: [0,) 0%"},
	{"flat: [0,) 1/1", "flat: [0,) 100%"},
	{"flat: [0,) 3/3000", "flat: [0,) 0.1%"},
	{"flat: [0,) 1/64", "flat: [0,) 1.5625%"},
	{"flat: [0,) 2 / 3", "flat: [0,) 2/3"},
	{"flat: [0,) 4/6", "flat: [0,) 2/3"},
	{"flat: [0,) 10.0000000%", "flat: [0,) 10%"},
	/* tabs, newlines, carriage returns */
	{"flat:\t[0,\n6000]\r\n10%,\t(6000,)\t15%", "flat: [0,6000] 10%, (6000,) 15%"},
	/* "[" on an open bound means nothing: an open end is never included */
	{"flat: [,6000] 4/6, (6000,] 30/100", "flat: (,6000] 2/3, (6000,) 30%"},
	{"flat: [.5,) 10%", "flat: [0.5,) 10%"},
	/* fixed amounts */
	{"flat: [0,300000.000) 0.00, [300000,) 5000.10", "flat: [0,300000) 0, [300000,) 5000.1"},
	{"flat : [0,) 10%", "flat: [0,) 10%"},
	{"flat: [0,) 10%; cap 15000.0", "flat: [0,) 10%; cap 15000"},
	{"flat: [0,) 10%;cap15000", "flat: [0,) 10%; cap 15000"},
};

static void
test_roundtrip_one(int line, const char *input, const char *expect)
{
	bf_tiers   *t = parse_at(line, input);
	bf_tiers   *again;
	char		text[BF_TIERS_TEXT_MAX];
	char		err[256];
	int			n;

	if (t == NULL)
		return;
	n = bf_tiers_format(t, text, sizeof text);
	check_at(line, n == (int) strlen(expect) && strcmp(text, expect) == 0,
			 "format(parse(\"%s\")) = \"%s\", expected \"%s\"",
			 input, n < 0 ? "<failed>" : text, expect);
	check_at(line, bf_tiers_validate(t, err, sizeof err),
			 "validate(parse(\"%s\")) failed: %s", input, err);
	again = parse_at(line, text);
	if (again != NULL)
		check_at(line, again->nbrackets == t->nbrackets &&
				 memcmp(again, t, BF_TIERS_SIZE(t->nbrackets)) == 0,
				 "parse(format(parse(\"%s\"))) is not byte-identical", input);
}

/* The 64-bracket schedule "[0,1) 1%, [1,2) 2%, ..., [63,) 64%". */
static void
build_many(char *buf, size_t len, const char *mode, int n)
{
	size_t		pos = 0;
	int			i;

	pos += (size_t) snprintf(buf + pos, len - pos, "%s: ", mode);
	for (i = 0; i < n; i++)
	{
		if (i < n - 1)
			pos += (size_t) snprintf(buf + pos, len - pos, "%s[%d,%d) %d%%",
									 i ? ", " : "", i, i + 1, i + 1);
		else
			pos += (size_t) snprintf(buf + pos, len - pos, "%s[%d,) %d%%",
									 i ? ", " : "", i, i + 1);
	}
}

/* Fen as the fewest-digit yuan text, computed here ("999999999999.1"). */
static const char *
yuan_min(int64_t fen, char *buf, size_t len)
{
	if (fen % 100 == 0)
		snprintf(buf, len, "%lld", (long long) (fen / 100));
	else if (fen % 10 == 0)
		snprintf(buf, len, "%lld.%lld", (long long) (fen / 100), (long long) (fen % 100 / 10));
	else
		snprintf(buf, len, "%lld.%02lld", (long long) (fen / 100), (long long) (fen % 100));
	return buf;
}

/*
 * The longest canonical text: 64 brackets, bounds of 15 digits, rates of 20
 * characters: bracket i is (10^14 - 100 + i, 10^14 - 99 + i] fen.
 */
static void
build_longest(char *buf, size_t len)
{
	size_t		pos = 0;
	int			i;

	pos += (size_t) snprintf(buf + pos, len - pos, "marginal: ");
	for (i = 0; i < 64; i++)
	{
		char		lo[32];
		char		hi[32];

		yuan_min(BF_MAX_FEN - 100 + i, lo, sizeof lo);
		yuan_min(BF_MAX_FEN - 99 + i, hi, sizeof hi);
		pos += (size_t) snprintf(buf + pos, len - pos, "%s%c%s,%s] 999999999/1000000000",
								 i ? ", " : "", i ? '(' : '[', lo, hi);
	}
	snprintf(buf + pos, len - pos, "; cap 999999999999.99");
}

static void
test_roundtrips(void)
{
	size_t		i;
	char		lit[BF_TIERS_TEXT_MAX * 2];

	for (i = 0; i < sizeof canonical / sizeof canonical[0]; i++)
		test_roundtrip_one(__LINE__, canonical[i], canonical[i]);
	for (i = 0; i < sizeof noncanonical / sizeof noncanonical[0]; i++)
		test_roundtrip_one(__LINE__, noncanonical[i][0], noncanonical[i][1]);

	/* 64 brackets, the most allowed */
	build_many(lit, sizeof lit, "flat", 64);
	test_roundtrip_one(__LINE__, lit, lit);
	build_many(lit, sizeof lit, "marginal", 64);
	test_roundtrip_one(__LINE__, lit, lit);

	/* the longest text fits BF_TIERS_TEXT_MAX */
	build_longest(lit, sizeof lit);
	CHECK(strlen(lit) < BF_TIERS_TEXT_MAX, "longest literal is %zu bytes, over BF_TIERS_TEXT_MAX",
		  strlen(lit));
	test_roundtrip_one(__LINE__, lit, lit);
}

/* The parsed form of the policy schedules, field by field. */
static void
test_parsed_fields(void)
{
	bf_tiers   *t = PARSE(S41_FLAT);

	if (t != NULL)
	{
		CHECK(t->version == BF_TIERS_VERSION && t->mode == BF_MODE_FLAT &&
			  t->pad1 == 0 && t->pad2 == 0 && t->vl_len_ == 0,
			  "4(1) header: version %d mode %d", t->version, t->mode);
		CHECK(t->nbrackets == 4, "4(1) has %d brackets", t->nbrackets);
		/* cap 15000 yuan = 1500000 fen */
		CHECK(t->cap == 1500000, "4(1) cap = %lld", (long long) t->cap);
		/* 10% = 1/10, 15% = 3/20, 20% = 1/5, 25% = 1/4: lcm(10,20,5,4) = 20 */
		CHECK(t->lcm == 20, "4(1) lcm = %lld", (long long) t->lcm);
		/* [0,6000] */
		CHECK(t->b[0].lo == 0 && t->b[0].hi == 600000 &&
			  t->b[0].flags == (BF_B_LO_INC | BF_B_HI_INC) &&
			  t->b[0].num == 1 && t->b[0].den == 10 && t->b[0].pad == 0,
			  "4(1) bracket 1 wrong");
		/* (6000,12000] 3/20 */
		CHECK(t->b[1].lo == 600000 && t->b[1].hi == 1200000 &&
			  t->b[1].flags == BF_B_HI_INC && t->b[1].num == 3 && t->b[1].den == 20,
			  "4(1) bracket 2 wrong");
		/* (12000,20000] 1/5 */
		CHECK(t->b[2].lo == 1200000 && t->b[2].hi == 2000000 &&
			  t->b[2].flags == BF_B_HI_INC && t->b[2].num == 1 && t->b[2].den == 5,
			  "4(1) bracket 3 wrong");
		/* (20000,) 1/4: the open end holds 0 */
		CHECK(t->b[3].lo == 2000000 && t->b[3].hi == 0 &&
			  t->b[3].flags == BF_B_HI_INF && t->b[3].num == 1 && t->b[3].den == 4,
			  "4(1) bracket 4 wrong");
	}
	t = PARSE(S83);
	if (t != NULL)
	{
		/* no rates at all: lcm 1; no cap: -1 */
		CHECK(t->nbrackets == 4 && t->lcm == 1 && t->cap == -1, "8(3) header wrong");
		/* [0,300000) 0 */
		CHECK(t->b[0].lo == 0 && t->b[0].hi == 30000000 &&
			  t->b[0].flags == (BF_B_LO_INC | BF_B_FIXED) &&
			  t->b[0].num == 0 && t->b[0].den == 1, "8(3) bracket 1 wrong");
		/* [300000,500000) 5000 = 500000 fen */
		CHECK(t->b[1].lo == 30000000 && t->b[1].hi == 50000000 &&
			  t->b[1].flags == (BF_B_LO_INC | BF_B_FIXED) &&
			  t->b[1].num == 500000 && t->b[1].den == 1, "8(3) bracket 2 wrong");
		/* [1000000,) 20000 */
		CHECK(t->b[3].lo == 100000000 && t->b[3].hi == 0 &&
			  t->b[3].flags == (BF_B_LO_INC | BF_B_HI_INF | BF_B_FIXED) &&
			  t->b[3].num == 2000000, "8(3) bracket 4 wrong");
	}
	t = PARSE(S5);
	if (t != NULL)
		CHECK(t->nbrackets == 1 && t->lcm == 3 && t->b[0].num == 2 && t->b[0].den == 3 &&
			  t->b[0].flags == (BF_B_LO_INC | BF_B_HI_INF), "5 pension wrong");
	t = PARSE("flat: (,) 0%");
	if (t != NULL)
		CHECK(t->b[0].flags == (BF_B_LO_INF | BF_B_HI_INF) && t->b[0].num == 0 &&
			  t->b[0].den == 1 && t->lcm == 1, "(,) 0%% wrong");
	t = PARSE("flat: [0,) 0.000001%");
	/* 0.000001% = 1/10^8 */
	if (t != NULL)
		CHECK(t->b[0].num == 1 && t->b[0].den == 100000000 && t->lcm == 100000000,
			  "0.000001%% = %lld/%lld", (long long) t->b[0].num, (long long) t->b[0].den);
	t = PARSE("marginal: [0,1) 1/999983, [1,) 99.9999%");
	/* 99.9999% = 999999/10^6; lcm = 999983 x 10^6 (999983 is prime) */
	if (t != NULL)
		CHECK(t->lcm == INT64_C(999983000000), "lcm = %lld", (long long) t->lcm);

	/* the parser writes nothing past the brackets it found */
	{
		bf_tiers   *full = malloc(BF_TIERS_MAX_SIZE);
		char		err[128];
		size_t		k;
		bool		untouched = true;

		if (full == NULL)
			abort();
		memset(full, 0x5A, BF_TIERS_MAX_SIZE);
		CHECK(bf_tiers_parse(S41_FLAT, full, err, sizeof err), "parse 4(1)");
		for (k = BF_TIERS_SIZE(4); k < BF_TIERS_MAX_SIZE; k++)
			if (((unsigned char *) full)[k] != 0x5A)
				untouched = false;
		CHECK(untouched, "parse wrote past bracket 4");
		free(full);
	}
}

/* bounds, payouts and containment, one bracket at a time */
static void
test_bracket_parts(void)
{
	static const struct
	{
		bf_bracket	b;
		const char *bounds;
		const char *payout;
	}			cases[] = {
		{{600000, 1200000, 3, 20, BF_B_HI_INC, 0}, "(6000,12000]", "15%"},
		{{0, 600000, 1, 10, BF_B_LO_INC | BF_B_HI_INC, 0}, "[0,6000]", "10%"},
		{{0, 600000, 2, 3, BF_B_LO_INF | BF_B_HI_INC, 0}, "(,6000]", "2/3"},
		{{2000000, 0, 1, 4, BF_B_HI_INF, 0}, "(20000,)", "25%"},
		{{0, 0, 1, 8, BF_B_LO_INC | BF_B_HI_INF, 0}, "[0,)", "12.5%"},
		{{0, 0, 0, 1, BF_B_LO_INF | BF_B_HI_INF, 0}, "(,)", "0%"},
		{{0, 0, 1, 1, BF_B_LO_INF | BF_B_HI_INF, 0}, "(,)", "100%"},
		{{1, 50, 1, 100000000, BF_B_LO_INC, 0}, "[0.01,0.5)", "0.000001%"},
		{{30000000, 50000000, 500000, 1, BF_B_LO_INC | BF_B_FIXED, 0}, "[300000,500000)", "5000"},
		{{0, 30000000, 0, 1, BF_B_LO_INC | BF_B_FIXED, 0}, "[0,300000)", "0"},
		{{0, 0, 50, 1, BF_B_LO_INC | BF_B_HI_INF | BF_B_FIXED, 0}, "[0,)", "0.5"},
		{{0, 0, 999999999, 1000000000, BF_B_LO_INC | BF_B_HI_INF, 0}, "[0,)", "999999999/1000000000"},
		{{0, 0, 1, 1024, BF_B_LO_INC | BF_B_HI_INF, 0}, "[0,)", "1/1024"},
	};
	size_t		i;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++)
	{
		char		buf[64];

		bf_bounds_format(&cases[i].b, buf, sizeof buf);
		CHECK(strcmp(buf, cases[i].bounds) == 0, "bf_bounds_format = \"%s\", expected \"%s\"",
			  buf, cases[i].bounds);
		bf_payout_format(&cases[i].b, buf, sizeof buf);
		CHECK(strcmp(buf, cases[i].payout) == 0, "bf_payout_format = \"%s\", expected \"%s\"",
			  buf, cases[i].payout);
	}

	/* (6000,12000] */
	CHECK(!bf_bracket_contains(&cases[0].b, 600000), "(6000,12000] holds 6000");
	CHECK(bf_bracket_contains(&cases[0].b, 600001), "(6000,12000] lacks 6000.01");
	CHECK(bf_bracket_contains(&cases[0].b, 1200000), "(6000,12000] lacks 12000");
	CHECK(!bf_bracket_contains(&cases[0].b, 1200001), "(6000,12000] holds 12000.01");
	/* [300000,500000) */
	CHECK(!bf_bracket_contains(&cases[8].b, 29999999), "[300000,500000) holds 299999.99");
	CHECK(bf_bracket_contains(&cases[8].b, 30000000), "[300000,500000) lacks 300000");
	CHECK(bf_bracket_contains(&cases[8].b, 49999999), "[300000,500000) lacks 499999.99");
	CHECK(!bf_bracket_contains(&cases[8].b, 50000000), "[300000,500000) holds 500000");
	/* (,) */
	CHECK(bf_bracket_contains(&cases[5].b, 0) && bf_bracket_contains(&cases[5].b, BF_MAX_FEN),
		  "(,) lacks an amount");
	/* (,6000] */
	CHECK(bf_bracket_contains(&cases[2].b, 0) && bf_bracket_contains(&cases[2].b, 600000) &&
		  !bf_bracket_contains(&cases[2].b, 600001), "(,6000] wrong");
	/* [5,5] */
	{
		bf_bracket	p = {500, 500, 1, 10, BF_B_LO_INC | BF_B_HI_INC, 0};

		CHECK(bf_bracket_contains(&p, 500) && !bf_bracket_contains(&p, 499) &&
			  !bf_bracket_contains(&p, 501), "[5,5] wrong");
	}
}

/* bf_tiers_format into buffers too small by one byte or more */
static void
test_format_sizes(void)
{
	const char *lits[] = {S41_FLAT, S83, S5, "flat: (,) 100%"};
	size_t		k;

	for (k = 0; k < sizeof lits / sizeof lits[0]; k++)
	{
		bf_tiers   *t = PARSE(lits[k]);
		size_t		need = strlen(lits[k]) + 1;
		size_t		len;
		int			bad = 0;

		if (t == NULL)
			continue;
		for (len = 0; len <= need; len++)
		{
			char	   *buf = malloc(len ? len : 1);	/* exact: ASan */
			int			n;

			if (buf == NULL)
				abort();
			n = bf_tiers_format(t, buf, len);
			if (len < need ? n != -1 : (n != (int) need - 1 || strcmp(buf, lits[k]) != 0))
				bad++;
			free(buf);
		}
		CHECK(bad == 0, "bf_tiers_format(\"%s\") mishandled %d buffer sizes", lits[k], bad);
	}
}

/* ------------------------------------------------------------------------
 * tiers_core: bad literals
 * ------------------------------------------------------------------------ */

typedef struct bad_case
{
	const char *input;
	const char *message;		/* must appear in the error text */
} bad_case;

static const bad_case bad_literals[] = {
	/* empty */
	{"", "the schedule is empty (at character 1)"},
	{"   \t\n ", "the schedule is empty"},
	/* truncated */
	{"flat: [0,6000", "expected \"]\" or \")\" to close bracket 1, found end of input (at character 14)"},
	{"flat: [0,", "expected a number for the upper bound of bracket 1, found end of input"},
	{"flat: [0", "expected \",\" between the bounds of bracket 1, found end of input"},
	{"flat: [", "expected a number for the lower bound of bracket 1, found end of input"},
	{"flat:", "expected \"[\" or \"(\" to open bracket 1, found end of input"},
	{"flat", "expected \":\" after the mode, found end of input"},
	{"flat: [0,6000] 10%,", "expected \"[\" or \"(\" to open bracket 2, found end of input"},
	{"flat: [0,6000]", "bracket 1 has no rate or amount"},
	{"flat: [0,6000] 10%, (6000,)", "bracket 2 has no rate or amount"},
	{"flat: [0,) 10%;", "expected \"cap\" after \";\", found end of input"},
	{"flat: [0,) 10%; cap", "expected a number for the cap, found end of input"},
	/* trailing junk */
	{"flat: [0,6000] 10% junk", "unexpected \"junk\" after the schedule (at character 20)"},
	{"flat: [0,) 10%%", "unexpected \"%\" after the schedule"},
	{"flat: [0,) 10%; cap 5 junk", "unexpected \"junk\" after the schedule"},
	{"flat: [0,6000] 10% (6000,) 15%", "unexpected \"(6000,) 15\" after the schedule"},
	{"flat: [0,6000] 1e2%", "unexpected \"e2%\" after the schedule"},
	{"flat: [0,6000] 0x10%", "unexpected \"x10%\" after the schedule"},
	{"flat: [0,6000] 10%,,", "expected \"[\" or \"(\" to open bracket 2, found \",\""},
	/* order, gaps, overlaps */
	{"flat: [6000,12000] 15%, [0,6000) 10%", "brackets are not sorted: bracket 2 starts at 0, below bracket 1"},
	{"flat: [0,6000) 10%, (6000,) 15%", "gap between bracket 1 and bracket 2: neither includes 6000"},
	{"flat: [0,6000] 10%, (6000.01,) 15%", "gap between bracket 1 and bracket 2: amounts from 6000 to 6000.01"},
	{"flat: [0,6000] 10%, [5000,) 15%", "bracket 2 overlaps bracket 1 at 5000"},
	{"flat: [0,6000] 10%, [6000,) 15%", "bracket 2 overlaps bracket 1 at 6000"},
	{"flat: [0,6000] 10%, (6000,12000] 15%, (6000,) 20%", "bracket 3 overlaps bracket 2 at 6000"},
	{"flat: [0,) 10%, [6000,12000] 15%", "bracket 2 follows bracket 1, which has no upper bound"},
	{"flat: (,6000] 10%, (,) 5%", "only the first bracket may have an open lower bound; bracket 2 has one"},
	/* empty brackets */
	{"flat: [6000,6000) 10%", "bracket 1 is empty"},
	{"flat: (6000,6000.01) 10%", "bracket 1 is empty: no whole fen lies strictly between its bounds (at character 20)"},
	{"flat: [0,6000] 10%, (6000,6000.01) 12%, [6000.01,) 15%", "bracket 2 is empty: no whole fen"},
	{"flat: (6000,6000] 10%", "bracket 1 is empty"},
	{"flat: [12000,6000] 10%", "bracket 1 has its lower bound above its upper bound"},
	/* negatives */
	{"flat: [-1,6000] 10%", "the lower bound of bracket 1 is negative"},
	{"flat: [0,-6000] 10%", "the upper bound of bracket 1 is negative"},
	{"flat: [0,6000] -10%", "the rate of bracket 1 is negative"},
	{"flat: [0,) 10%; cap -5", "the cap is negative"},
	{"flat: [0,) +10%", "expected a number for the rate of bracket 1, found \"+10%\""},
	/* NaN and infinities */
	{"flat: [0,NaN] 10%", "the upper bound of bracket 1 is NaN"},
	{"flat: [0,6000] nan%", "the rate of bracket 1 is NaN"},
	{"flat: [0,) 10%; cap NAN", "the cap is NaN"},
	{"flat: [0,Infinity] 10%", "the upper bound of bracket 1 is infinite; leave the bound empty"},
	{"flat: [-inf,6000] 10%", "the lower bound of bracket 1 is infinite"},
	{"flat: [0,6000] +Infinity", "the rate of bracket 1 is infinite"},
	{"flat: [0,) 10%; cap Infinity", "the cap is infinite (at"},
	/* no hint about open bounds for what cannot be open */
	{"flat: [0,) -inf%", "the rate of bracket 1 is infinite (at"},
	{"flat: [0,) inf", "the rate of bracket 1 is infinite (at"},
	/* rates out of range */
	{"flat: [0,6000] 101%", "the rate of bracket 1 is over 100%"},
	{"flat: [0,6000] 100.000001%", "the rate of bracket 1 is over 100%"},
	{"flat: [0,6000] 100000000000000000000%", "the rate of bracket 1 is over 100%"},
	{"flat: [0,6000] 101/100", "the rate of bracket 1 is over 100%"},
	{"flat: [0,6000] 1/0", "the rate of bracket 1 divides by zero"},
	{"flat: [0,) 0/0", "the rate of bracket 1 divides by zero"},
	{"flat: [0,) 2.5/3", "a fraction in the rate of bracket 1 must be of whole numbers, as in 2/3"},
	{"flat: [0,) 2/3.5", "a fraction in the rate of bracket 1 must be of whole numbers, as in 2/3"},
	{"flat: [0,) 1/10000000000", "the rate of bracket 1 has a denominator beyond 1000000000"},
	{"flat: [0,) 1/", "expected a number for the rate of bracket 1, found end of input"},
	{"flat: [0,) 0.0000001%", "the rate of bracket 1 has more than 6 decimal places"},
	{"flat: [0,1) 1/999999937, [1,) 1/999999936", "the rates' common denominator is beyond 1000000000000"},
	{"flat: [0,) abc", "expected a number for the rate of bracket 1, found \"abc\""},
	/* modes */
	{"flatt: [0,6000] 10%", "unknown mode \"flatt\": expected flat or marginal (at character 1)"},
	{"progressive: [0,) 10%", "unknown mode \"progressive\""},
	{"cap 5", "unknown mode \"cap\""},
	{"flat [0,6000] 10%", "expected \":\" after the mode, found \"[0,6000] 1\""},
	{"flat; [0,6000] 10%", "expected \":\" after the mode"},
	{"marginal: [0,300000) 0, [300000,) 5000", "bracket 1 pays a fixed amount, which only a flat schedule can do"},
	{"marginal: [0,300000) 1%, [300000,) 5000", "bracket 2 pays a fixed amount"},
	{"marginal: (,6000] 10%, (6000,) 15%", "a marginal schedule needs a lower bound on its first bracket"},
	/* overflow, precision */
	{"flat: [0,10000000000000] 10%", "the upper bound of bracket 1 is beyond the supported range of 0 to 1000000000000 yuan"},
	{"flat: [0,1000000000000.01] 10%", "the upper bound of bracket 1 is beyond the supported range"},
	{"flat: [99999999999999999999999,) 10%", "the lower bound of bracket 1 is beyond the supported range"},
	{"flat: [0,) 10000000000000", "the amount of bracket 1 is beyond the supported range"},
	{"flat: [0,) 10%; cap 10000000000000", "the cap is beyond the supported range"},
	{"flat: [0,6000.001] 10%", "the upper bound of bracket 1 has more than 2 decimal places"},
	{"flat: [0.001,6000] 10%", "the lower bound of bracket 1 has more than 2 decimal places"},
	{"flat: [0,) 5000.123", "the amount of bracket 1 has more than 2 decimal places"},
	{"flat: [0,) 10%; cap 1.234", "the cap has more than 2 decimal places"},
	/* punctuation */
	{"flat: 0,6000] 10%", "expected \"[\" or \"(\" to open bracket 1, found \"0,6000] 10\""},
	{"flat: [0 6000] 10%", "expected \",\" between the bounds of bracket 1"},
	{"flat: [0;6000] 10%", "expected \",\" between the bounds of bracket 1, found \";6000] 10%\""},
	{"flat: [0,6000} 10%", "expected \"]\" or \")\" to close bracket 1, found \"} 10%\""},
	{"flat: [0,) 10%; limit 5", "expected \"cap\" after \";\", found \"limit 5\""},
	{"flat: [0,) 10%; capacity 5", "expected \"cap\" after \";\", found \"capacity 5\""},
	/* text in another script: the excerpt never splits a character (UTF-8 元) */
	{"flat: [0,6000\xe5\x85\x83] 10%", "found \"\xe5\x85\x83] 10%\""},
	{"flat: [0,6000] 10% \xe5\x85\x83\xe5\x85\x83\xe5\x85\x83\xe5\x85\x83",
	"unexpected \"\xe5\x85\x83\xe5\x85\x83\xe5\x85\x83\xe5\x85\x83\" after the schedule"},
	{"flat: [0,6000] 10% x\xe5\x85\x83\xe5\x85\x83\xe5\x85\x83\xe5\x85\x83\xe5\x85\x83"
		"\xe5\x85\x83\xe5\x85\x83\xe5\x85\x83\xe5\x85\x83\xe5\x85\x83\xe5\x85\x83",
	"unexpected \"x\" after the schedule"},
	{"flat: [0,6000] 10% \xe5\x85\x83\xe5\x85\x83\xe5\x85\x83\xe5\x85\x83\xe5\x85\x83"
		"\xe5\x85\x83\xe5\x85\x83\xe5\x85\x83\xe5\x85\x83\xe5\x85\x83\xe5\x85\x83\xe5\x85\x83",
	"unexpected non-ASCII text after the schedule"},
};

static void
test_bad_literals(void)
{
	size_t		i;
	char		lit[BF_TIERS_TEXT_MAX];
	bf_tiers   *t = malloc(BF_TIERS_MAX_SIZE);

	if (t == NULL)
		abort();
	for (i = 0; i < sizeof bad_literals / sizeof bad_literals[0]; i++)
	{
		const bad_case *c = &bad_literals[i];
		char		err[512];
		bool		ok;

		strcpy(err, "<untouched>");
		ok = bf_tiers_parse(c->input, t, err, sizeof err);
		CHECK(!ok, "\"%s\" was accepted", c->input);
		if (!ok)
		{
			CHECK(strstr(err, c->message) != NULL,
				  "\"%s\": error \"%s\" does not say \"%s\"", c->input, err, c->message);
			CHECK(utf8_ok(err), "\"%s\": error is not valid UTF-8", c->input);
		}
	}

	/* 65 brackets */
	build_many(lit, sizeof lit, "flat", 65);
	{
		char		err[256];

		CHECK(!bf_tiers_parse(lit, t, err, sizeof err) &&
			  strstr(err, "a schedule has at most 64 brackets") != NULL,
			  "65 brackets: %s", err);
	}

	/* small error buffers are never overrun and always terminated */
	{
		size_t		len;

		for (len = 1; len < 120; len++)
		{
			char	   *err = malloc(len);

			if (err == NULL)
				abort();
			CHECK(!bf_tiers_parse("flat: [0,6000] 10%, [5000,) 15%", t, err, len) &&
				  strlen(err) < len, "error buffer of %zu", len);
			CHECK(!bf_tiers_parse("flat: [0,6000", t, err, len) && strlen(err) < len,
				  "error buffer of %zu", len);
			free(err);
		}
	}
	free(t);
}

/* ------------------------------------------------------------------------
 * tiers_core: applying schedules
 * ------------------------------------------------------------------------ */

typedef struct apply_case
{
	const char *amount;			/* yuan */
	int			bracket;		/* -1: no bracket covers it */
	const char *exact;			/* yuan, as bf_exact_format writes it */
	const char *uncapped;		/* yuan */
	const char *value;			/* yuan, after the cap */
	bool		capped;
} apply_case;

static void
run_apply(int line, const char *lit, const apply_case *cases, size_t ncases)
{
	bf_tiers   *t = parse_at(line, lit);
	size_t		i;

	if (t == NULL)
		return;
	for (i = 0; i < ncases; i++)
	{
		const apply_case *c = &cases[i];
		int64_t		fen = Y(c->amount);
		bf_apply_result r;
		bool		ok;
		char		text[96];
		bf_i128		enum_,
					eden;

		memset(&r, 0, sizeof r);
		ok = bf_tiers_apply(t, fen, &r);
		if (c->bracket < 0)
		{
			check_at(line, !ok, "%s at %s: a bracket covers it", lit, c->amount);
			continue;
		}
		if (!ok)
		{
			check_at(line, false, "%s at %s: no bracket covers it", lit, c->amount);
			continue;
		}
		check_at(line, r.bracket == c->bracket, "%s at %s: bracket %d, expected %d",
				 lit, c->amount, r.bracket, c->bracket);
		check_at(line, bf_bracket_contains(&t->b[r.bracket], fen),
				 "%s at %s: bracket %d does not contain it", lit, c->amount, r.bracket);
		/* exact value: yuan = exact_num / (exact_den * 100) */
		check_at(line, r.exact_den > 0, "%s at %s: exact_den %lld", lit, c->amount,
				 (long long) r.exact_den);
		ratio_of(c->exact, &enum_, &eden);
		check_at(line, same_ratio(r.exact_num, (bf_i128) r.exact_den * 100, enum_, eden),
				 "%s at %s: exact value is not %s", lit, c->amount, c->exact);
		if (bf_exact_format(r.exact_num, r.exact_den, text, sizeof text) < 0)
			strcpy(text, "<failed>");
		check_at(line, strcmp(text, c->exact) == 0, "%s at %s: exact \"%s\", expected \"%s\"",
				 lit, c->amount, text, c->exact);
		check_at(line, r.uncapped == Y(c->uncapped), "%s at %s: uncapped %lld fen, expected %s",
				 lit, c->amount, (long long) r.uncapped, c->uncapped);
		check_at(line, r.value == Y(c->value), "%s at %s: value %lld fen, expected %s",
				 lit, c->amount, (long long) r.value, c->value);
		check_at(line, r.capped == c->capped, "%s at %s: capped %d, expected %d",
				 lit, c->amount, r.capped, c->capped);
	}
}

#define RUN_APPLY(lit, cases) run_apply(__LINE__, (lit), (cases), sizeof (cases) / sizeof (cases)[0])

static void
test_apply(void)
{
	/*
	 * 四(1) flat.  Rates in fen: 10% = 1/10, 15% = 3/20, 20% = 1/5, 25% =
	 * 1/4.  Every bound and one fen either side; the spec's examples.
	 */
	static const apply_case s41_flat[] = {
		{"0", 0, "0", "0", "0", false},
		/* 1 fen x 1/10 = 0.1 fen */
		{"0.01", 0, "0.001", "0", "0", false},
		/* 4 fen x 1/10 = 0.4 fen -> 0 */
		{"0.04", 0, "0.004", "0", "0", false},
		/* 5 fen x 1/10 = 0.5 fen -> 1 fen: half away from zero */
		{"0.05", 0, "0.005", "0.01", "0.01", false},
		/* 25 fen x 1/10 = 2.5 fen -> 3 (half-even would give 2) */
		{"0.25", 0, "0.025", "0.03", "0.03", false},
		/* spec: 5000 -> 500.00 */
		{"5000", 0, "500", "500", "500", false},
		/* 599999 / 10 = 59999.9 fen -> 60000 */
		{"5999.99", 0, "599.999", "600", "600", false},
		/* spec: 6000 -> 600.00 (6000 included in the 10% bracket) */
		{"6000", 0, "600", "600", "600", false},
		/* spec: 6000.01 -> 900.00: 600001 x 3/20 = 90000.15 fen -> 90000 */
		{"6000.01", 1, "900.0015", "900", "900", false},
		/* 1199999 x 3/20 = 179999.85 fen -> 180000 */
		{"11999.99", 1, "1799.9985", "1800", "1800", false},
		/* spec: 12000 -> 1800.00 */
		{"12000", 1, "1800", "1800", "1800", false},
		/* 1200001 / 5 = 240000.2 fen -> 240000 */
		{"12000.01", 2, "2400.002", "2400", "2400", false},
		/* 1999999 / 5 = 399999.8 fen -> 400000 */
		{"19999.99", 2, "3999.998", "4000", "4000", false},
		/* spec: 20000 -> 4000.00 */
		{"20000", 2, "4000", "4000", "4000", false},
		/* spec: 20000.01 -> 5000.00: 2000001 / 4 = 500000.25 fen -> 500000 */
		{"20000.01", 3, "5000.0025", "5000", "5000", false},
		/* spec: 60000 -> 15000.00: exactly the cap, which does not bite */
		{"60000", 3, "15000", "15000", "15000", false},
		/* 6000001 / 4 = 1500000.25 fen -> 1500000: rounds to the cap, not over */
		{"60000.01", 3, "15000.0025", "15000", "15000", false},
		/* 6000002 / 4 = 1500000.5 fen -> 1500001: over the cap after rounding */
		{"60000.02", 3, "15000.005", "15000.01", "15000", true},
		/* spec: 100000 -> 15000.00 (stay cap): 25000 uncapped */
		{"100000", 3, "25000", "25000", "15000", true},
		/* the top of the range: 10^12 / 4 */
		{"1000000000000", 3, "250000000000", "250000000000", "15000", true},
	};

	/*
	 * 四(1) marginal, no cap.  Full slices: 6000 x 10% = 600; 6000 x 15% =
	 * 900; 8000 x 20% = 1600.
	 */
	static const apply_case s41_marg[] = {
		{"0", 0, "0", "0", "0", false},
		/* 0.5 fen -> 1 fen */
		{"0.05", 0, "0.005", "0.01", "0.01", false},
		/* 599.999 -> 600.00 */
		{"5999.99", 0, "599.999", "600", "600", false},
		{"6000", 0, "600", "600", "600", false},
		/* 600 + 0.01 x 15% = 600.0015 -> 600.00 */
		{"6000.01", 1, "600.0015", "600", "600", false},
		/* 600 + 5999.99 x 15% = 600 + 899.9985 = 1499.9985 -> 1500.00 */
		{"11999.99", 1, "1499.9985", "1500", "1500", false},
		/* spec: 12000 -> 1500.00 = 600 + 900 */
		{"12000", 1, "1500", "1500", "1500", false},
		/* 1500 + 0.01 x 20% = 1500.002 */
		{"12000.01", 2, "1500.002", "1500", "1500", false},
		/* 1500 + 7999.99 x 20% = 1500 + 1599.998 = 3099.998 -> 3100.00 */
		{"19999.99", 2, "3099.998", "3100", "3100", false},
		/* spec: 20000 -> 3100.00 = 600 + 900 + 1600 */
		{"20000", 2, "3100", "3100", "3100", false},
		/* 3100 + 0.01 x 25% = 3100.0025 */
		{"20000.01", 3, "3100.0025", "3100", "3100", false},
		/* spec: 30000 -> 5600.00 = 3100 + 10000 x 25% */
		{"30000", 3, "5600", "5600", "5600", false},
		/* 3100 + 40000 x 25% = 13100 */
		{"60000", 3, "13100", "13100", "13100", false},
		/* 3100 + (10^12 - 20000) x 25% = 3100 + 249999995000 = 249999998100 */
		{"1000000000000", 3, "249999998100", "249999998100", "249999998100", false},
	};

	/* 四(1) marginal with the 15000 cap: it bites at 67600 */
	static const apply_case s41_marg_cap[] = {
		/* 3100 + 47600 x 25% = 3100 + 11900 = 15000: at the cap */
		{"67600", 3, "15000", "15000", "15000", false},
		/* 15000 + 0.01 x 25% = 15000.0025 -> 15000.00 */
		{"67600.01", 3, "15000.0025", "15000", "15000", false},
		/* 15000 + 0.02 x 25% = 15000.005 -> 15000.01 -> capped */
		{"67600.02", 3, "15000.005", "15000.01", "15000", true},
		/* 3100 + 48000 x 25% = 15100 -> capped */
		{"68000", 3, "15100", "15100", "15000", true},
		{"30000", 3, "5600", "5600", "5600", false},
	};

	/*
	 * 四(2) flat: 60% = 3/5, 70% = 7/10, 80% = 4/5.  No per-stay cap: 40000
	 * gives 32000 here; the 30000 yearly cap is applied elsewhere.
	 */
	static const apply_case s42_flat[] = {
		{"0", 0, "0", "0", "0", false},
		/* 1 fen x 3/5 = 0.6 fen -> 1 */
		{"0.01", 0, "0.006", "0.01", "0.01", false},
		/* 999999 x 3/5 = 599999.4 fen -> 599999 */
		{"9999.99", 0, "5999.994", "5999.99", "5999.99", false},
		/* spec: 10000 -> 6000.00 */
		{"10000", 0, "6000", "6000", "6000", false},
		/* 1000001 x 7/10 = 700000.7 fen -> 700001 */
		{"10000.01", 1, "7000.007", "7000.01", "7000.01", false},
		/* spec: 15000 -> 10500.00 */
		{"15000", 1, "10500", "10500", "10500", false},
		/* 1999999 x 7/10 = 1399999.3 fen -> 1399999 */
		{"19999.99", 1, "13999.993", "13999.99", "13999.99", false},
		/* spec: 20000 -> 14000.00 */
		{"20000", 1, "14000", "14000", "14000", false},
		/* 2000001 x 4/5 = 1600000.8 fen -> 1600001 */
		{"20000.01", 2, "16000.008", "16000.01", "16000.01", false},
		/* spec: 30000 -> 24000.00 */
		{"30000", 2, "24000", "24000", "24000", false},
		/* spec: 40000 -> 32000 before the yearly cap (30000.00 after it) */
		{"40000", 2, "32000", "32000", "32000", false},
	};

	/* 四(2) marginal: 10000 x 60% = 6000; 10000 x 70% = 7000 */
	static const apply_case s42_marg[] = {
		/* 5999.994 -> 5999.99 */
		{"9999.99", 0, "5999.994", "5999.99", "5999.99", false},
		{"10000", 0, "6000", "6000", "6000", false},
		/* 6000 + 0.007 */
		{"10000.01", 1, "6000.007", "6000.01", "6000.01", false},
		/* 6000 + 5000 x 70% = 9500 */
		{"15000", 1, "9500", "9500", "9500", false},
		/* 6000 + 9999.99 x 70% = 6000 + 6999.993 = 12999.993 */
		{"19999.99", 1, "12999.993", "12999.99", "12999.99", false},
		{"20000", 1, "13000", "13000", "13000", false},
		/* 13000 + 0.008 */
		{"20000.01", 2, "13000.008", "13000.01", "13000.01", false},
		/* 13000 + 10000 x 80% = 21000 */
		{"30000", 2, "21000", "21000", "21000", false},
		/* 13000 + 20000 x 80% = 29000 */
		{"40000", 2, "29000", "29000", "29000", false},
	};

	/* 八(3): fixed amounts; "以上" puts each bound in the higher tier */
	static const apply_case s83[] = {
		{"0", 0, "0", "0", "0", false},
		{"0.01", 0, "0", "0", "0", false},
		{"299999.99", 0, "0", "0", "0", false},
		{"300000", 1, "5000", "5000", "5000", false},
		{"300000.01", 1, "5000", "5000", "5000", false},
		{"499999.99", 1, "5000", "5000", "5000", false},
		{"500000", 2, "10000", "10000", "10000", false},
		{"500000.01", 2, "10000", "10000", "10000", false},
		{"999999.99", 2, "10000", "10000", "10000", false},
		{"1000000", 3, "20000", "20000", "20000", false},
		{"1000000.01", 3, "20000", "20000", "20000", false},
		{"1000000000000", 3, "20000", "20000", "20000", false},
	};

	/* 五: 2/3 of a payment, exact then rounded */
	static const apply_case s5[] = {
		{"0", 0, "0", "0", "0", false},
		/* 1 fen x 2/3 = 0.00666.. yuan = 1/150 -> 0.01 */
		{"0.01", 0, "1/150", "0.01", "0.01", false},
		/* 2 fen x 2/3 = 4/3 fen = 1/75 yuan -> 0.01 */
		{"0.02", 0, "1/75", "0.01", "0.01", false},
		/* spec: 100.01 -> 66.67: 200.02/3 = 10001/150 = 66.6733.. */
		{"100.01", 0, "10001/150", "66.67", "66.67", false},
		/* spec: 1000 -> 666.67: 2000/3 = 666.666.. */
		{"1000", 0, "2000/3", "666.67", "666.67", false},
		/* spec: 3000 -> 2000.00 */
		{"3000", 0, "2000", "2000", "2000", false},
		/* 2 x 10^12 / 3 = 666666666666.666.. -> .67 */
		{"1000000000000", 0, "2000000000000/3", "666666666666.67", "666666666666.67", false},
	};

	/* half-fen rounding with 10% */
	static const apply_case half[] = {
		/* 0.4 fen */
		{"0.04", 0, "0.004", "0", "0", false},
		/* 0.5 fen -> 1 */
		{"0.05", 0, "0.005", "0.01", "0.01", false},
		/* 0.6 fen -> 1 */
		{"0.06", 0, "0.006", "0.01", "0.01", false},
		/* 1.5 fen -> 2 */
		{"0.15", 0, "0.015", "0.02", "0.02", false},
		/* 2.5 fen -> 3 */
		{"0.25", 0, "0.025", "0.03", "0.03", false},
		/* 3.5 fen -> 4 */
		{"0.35", 0, "0.035", "0.04", "0.04", false},
		/* 1000000.5 fen -> 1000001 */
		{"100000.05", 0, "10000.005", "10000.01", "10000.01", false},
	};

	/*
	 * Rounded once, at the end: two slices of 0.5 fen make 1 fen, where
	 * rounding each slice would give 2; two of 0.4 make 0.8 -> 1, where
	 * rounding each would give 0.
	 */
	static const apply_case once5[] = {
		{"0.1", 1, "0.01", "0.01", "0.01", false},
		/* 0.5 + 0.4 = 0.9 fen -> 1 */
		{"0.09", 1, "0.009", "0.01", "0.01", false},
	};
	static const apply_case once4[] = {
		{"0.08", 1, "0.008", "0.01", "0.01", false},
	};

	/* amounts no bracket covers */
	static const apply_case holes_flat[] = {
		{"0", -1, "", "", "", false},
		{"99.99", -1, "", "", "", false},
		/* 10000 fen x 1/10 = 1000 fen */
		{"100", 0, "10", "10", "10", false},
		{"200", 0, "20", "20", "20", false},
		{"200.01", -1, "", "", "", false},
	};
	static const apply_case holes_marg[] = {
		{"0", -1, "", "", "", false},
		{"99.99", -1, "", "", "", false},
		{"100", 0, "0", "0", "0", false},
		/* (150 - 100) x 10% = 5 */
		{"150", 0, "5", "5", "5", false},
		{"200", 0, "10", "10", "10", false},
		/* 10 + 100 x 20% = 30 */
		{"300", 1, "30", "30", "30", false},
	};

	/* fixed amounts under a cap, mixed with rates */
	static const apply_case capped_fixed[] = {
		/* [0,100) pays 0.01 whatever the amount */
		{"50", 0, "0.01", "0.01", "0.01", false},
		/* [100,) pays 12.34 > cap 0.5 */
		{"100", 1, "12.34", "12.34", "0.5", true},
	};
	static const apply_case cap_zero[] = {
		{"0", 0, "0", "0", "0", false},
		/* 10% of 10 = 1 -> capped at 0 */
		{"10", 0, "1", "1", "0", true},
	};
	static const apply_case point[] = {
		/* [0,0] 0 then (0,) 10: the amount 0 gets 0, anything above gets 10 */
		{"0", 0, "0", "0", "0", false},
		{"0.01", 1, "10", "10", "10", false},
	};

	/*
	 * The widest products: lcm = 999983 x 10^6 (the most allowed is 10^12).
	 * At 10^12 yuan = 10^14 fen: 100 x 1/999983 + (10^14 - 100) x 999999/10^6
	 * = 0.0001000017.. + 99999899999900.0001 fen = 99999899999900.0002.. fen
	 * -> 99999899999900 fen = 999998999999 yuan.  The exact value in yuan,
	 * over 999983 x 10^8 and reduced (by 100: the numerator is
	 * 10^8 + (10^14 - 100) x 999999 x 999983), is
	 * 999982000016000018999983 / (999983 x 10^6).
	 */
	static const apply_case widest[] = {
		{"1000000000000", 1, "999982000016000018999983/999983000000",
		"999998999999", "999998999999", false},
		/* 1 fen x 1/999983 */
		{"0.01", 0, "1/99998300", "0", "0", false},
	};

	RUN_APPLY(S41_FLAT, s41_flat);
	RUN_APPLY(S41_MARG, s41_marg);
	RUN_APPLY(S41_MARG_CAP, s41_marg_cap);
	RUN_APPLY(S42_FLAT, s42_flat);
	RUN_APPLY(S42_MARG, s42_marg);
	RUN_APPLY(S83, s83);
	RUN_APPLY(S5, s5);
	RUN_APPLY("flat: [0,) 10%", half);
	RUN_APPLY("marginal: [0,0.05] 10%, (0.05,) 10%", once5);
	RUN_APPLY("marginal: [0,0.04] 10%, (0.04,) 10%", once4);
	RUN_APPLY("flat: [100,200] 10%", holes_flat);
	RUN_APPLY("marginal: [100,200] 10%, (200,) 20%", holes_marg);
	RUN_APPLY("flat: [0,100) 0.01, [100,) 12.34; cap 0.5", capped_fixed);
	RUN_APPLY("flat: [0,) 10%; cap 0", cap_zero);
	RUN_APPLY("flat: [0,0] 0, (0,) 10", point);
	RUN_APPLY("marginal: [0,1) 1/999983, [1,) 99.9999%", widest);

	/* 64 brackets, [i,i+1) pays (i+1)% */
	{
		char		lit[BF_TIERS_TEXT_MAX];
		bf_tiers   *t;
		bf_apply_result r;

		build_many(lit, sizeof lit, "flat", 64);
		t = PARSE(lit);
		if (t != NULL)
		{
			/* 99 fen x 1% = 0.99 fen -> 1 */
			CHECK(bf_tiers_apply(t, 99, &r) && r.bracket == 0 && r.value == 1, "64 flat at 0.99");
			/* 6299 fen x 63% = 3968.37 fen -> 3968 */
			CHECK(bf_tiers_apply(t, 6299, &r) && r.bracket == 62 && r.value == 3968, "64 flat at 62.99");
			/* 6300 fen x 64% = 4032 */
			CHECK(bf_tiers_apply(t, 6300, &r) && r.bracket == 63 && r.value == 4032, "64 flat at 63");
		}
		build_many(lit, sizeof lit, "marginal", 64);
		t = PARSE(lit);
		if (t != NULL)
		{
			/* each full 100-fen slice i pays (i+1) fen: 1 + ... + 63 = 2016 */
			CHECK(bf_tiers_apply(t, 6300, &r) && r.bracket == 63 && r.value == 2016,
				  "64 marginal at 63: %lld", (long long) r.value);
			/* + 100 x 64% = 64: 2080 */
			CHECK(bf_tiers_apply(t, 6400, &r) && r.value == 2080, "64 marginal at 64");
			/* 2016 + (10^14 - 6300) x 64% = 2016 + 64 x 10^12 - 4032 */
			CHECK(bf_tiers_apply(t, BF_MAX_FEN, &r) && r.value == INT64_C(63999999997984),
				  "64 marginal at 10^12: %lld", (long long) r.value);
		}
	}
}

/* ------------------------------------------------------------------------
 * tiers_core: the notch of a flat schedule
 * ------------------------------------------------------------------------ */

typedef struct jump_case
{
	const char *amount;
	bool		found;
	const char *bound;
	const char *below;
	const char *above;
} jump_case;

static void
run_jump(int line, const char *lit, const jump_case *cases, size_t ncases)
{
	bf_tiers   *t = parse_at(line, lit);
	size_t		i;

	if (t == NULL)
		return;
	for (i = 0; i < ncases; i++)
	{
		const jump_case *c = &cases[i];
		bf_apply_result r;
		int64_t		bound = -7,
					below = -7,
					above = -7;
		bool		ok;

		if (!bf_tiers_apply(t, Y(c->amount), &r))
		{
			check_at(line, false, "%s: %s is in no bracket", lit, c->amount);
			continue;
		}
		ok = bf_tiers_jump(t, r.bracket, Y(c->amount), &bound, &below, &above);
		check_at(line, ok == c->found, "%s at %s: jump found = %d", lit, c->amount, ok);
		if (ok && c->found)
			check_at(line, bound == Y(c->bound) && below == Y(c->below) && above == Y(c->above),
					 "%s at %s: jump at %lld fen from %lld to %lld, expected %s: %s -> %s",
					 lit, c->amount, (long long) bound, (long long) below,
					 (long long) above, c->bound, c->below, c->above);
	}
}

#define RUN_JUMP(lit, cases) run_jump(__LINE__, (lit), (cases), sizeof (cases) / sizeof (cases)[0])

static void
test_jump(void)
{
	static const jump_case s41[] = {
		/* in (6000,12000], nearer 6000 (excluded): 600.00 at 6000, 900.00 at 6000.01 */
		{"6000.01", true, "6000", "600", "900"},
		/* in [0,6000]: only an upper neighbour; 6000 included, so 6000 | 6000.01 */
		{"5999.99", true, "6000", "600", "900"},
		{"6000", true, "6000", "600", "900"},
		{"0", true, "6000", "600", "900"},
		/* 9000 is 3000 from either bound: the lower one wins the tie */
		{"9000", true, "6000", "600", "900"},
		/* 9000.01 is nearer 12000 (included): 1800.00 at 12000, 2400.00 at 12000.01 */
		{"9000.01", true, "12000", "1800", "2400"},
		{"12000", true, "12000", "1800", "2400"},
		/* in (12000,20000]: 4000 at 20000, 5000 at 20000.01 */
		{"19999.99", true, "20000", "4000", "5000"},
		/* in (20000,): only a lower neighbour */
		{"25000", true, "20000", "4000", "5000"},
		{"1000000000000", true, "20000", "4000", "5000"},
	};
	static const jump_case s83[] = {
		/* [300000,500000): 300000 belongs above: 0 at 299999.99, 5000 at 300000 */
		{"350000", true, "300000", "0", "5000"},
		/* nearer 500000 (excluded): 5000 at 499999.99, 10000 at 500000 */
		{"450000", true, "500000", "5000", "10000"},
		{"299999.99", true, "300000", "0", "5000"},
		{"1000000", true, "1000000", "10000", "20000"},
	};
	static const jump_case s42[] = {
		/* 15000 ties: lower bound 10000 (excluded): 6000 | 7000.01 */
		{"15000", true, "10000", "6000", "7000.01"},
	};
	static const jump_case capped[] = {
		/* the cap applies on both sides: 60000 is in (20000,) */
		{"60000", true, "20000", "4000", "5000"},
	};
	static const jump_case none[] = {
		/* one bracket: no neighbour, no notch */
		{"100", false, "", "", ""},
	};
	static const jump_case edge_lo[] = {
		/* [0,) is bracket 2; its bound 0 belongs above, and -0.01 is no amount */
		{"5", false, "", "", ""},
	};
	static const jump_case edge_point[] = {
		/* (0,) after [0,0]: 0 belongs below: 0 at 0, 10 at 0.01 */
		{"5", true, "0", "0", "10"},
	};
	static const jump_case one_point[] = {
		/*
		 * (0,1) pays 1/9, the one-point bracket [1,1] pays 2%: from either
		 * side the notch is 0.99 -> 1, 99 x 1/9 = 11 fen, 100 x 2% = 2 fen
		 * (found by the fuzzer: 1 is both bounds of [1,1])
		 */
		{"0.5", true, "1", "0.11", "0.02"},
		{"1", true, "1", "0.11", "0.02"},
	};
	static const jump_case edge_hi[] = {
		/* [0,10^12] then (10^12,): 10^12 + 0.01 is no amount */
		{"999999999999", false, "", "", ""},
	};

	RUN_JUMP(S41_FLAT, s41);
	RUN_JUMP(S83, s83);
	RUN_JUMP(S42_FLAT, s42);
	RUN_JUMP(S41_FLAT, capped);
	RUN_JUMP(S5, none);
	RUN_JUMP("flat: (,0) 0, [0,) 10%", edge_lo);
	RUN_JUMP("flat: [0,0] 0, (0,) 10", edge_point);
	RUN_JUMP("flat: [0,1000000000000] 10%, (1000000000000,) 20%", edge_hi);
	RUN_JUMP("flat: (0,1) 1/9, [1,1] 2%", one_point);

	/* marginal schedules have no notch; bracket indexes out of range */
	{
		bf_tiers   *m = PARSE(S41_MARG);
		bf_tiers   *f = PARSE(S41_FLAT);
		int64_t		a,
					b,
					c;

		if (m != NULL)
			CHECK(!bf_tiers_jump(m, 1, 900000, &a, &b, &c), "jump on a marginal schedule");
		if (f != NULL)
		{
			CHECK(!bf_tiers_jump(f, -1, 900000, &a, &b, &c), "jump at bracket -1");
			CHECK(!bf_tiers_jump(f, 4, 900000, &a, &b, &c), "jump at bracket 4 of 4");
		}
	}
}

/* ------------------------------------------------------------------------
 * tiers_core: validation of values not made by the parser
 * ------------------------------------------------------------------------ */

typedef struct corrupt_case
{
	const char *lit;
	const char *what;
	const char *message;		/* NULL: must still be valid */
} corrupt_case;

static const corrupt_case corruptions[] = {
	{S41_FLAT, "version 2", "unknown tiers format version 2"},
	{S41_FLAT, "version 0", "unknown tiers format version 0"},
	{S41_FLAT, "mode 2", "unknown mode 2"},
	{S41_FLAT, "pad1", "padding is not zero"},
	{S41_FLAT, "pad2", "padding is not zero"},
	{S41_FLAT, "cap -2", "the cap is out of range"},
	{S41_FLAT, "cap max+1", "the cap is out of range"},
	{S41_FLAT, "nbrackets 0", "a schedule has 1 to 64 brackets, not 0"},
	{S41_FLAT, "nbrackets 65", "a schedule has 1 to 64 brackets, not 65"},
	{S41_FLAT, "nbrackets -1", "not -1"},
	{S41_FLAT, "flag 0x20", "bracket 1 has unknown flags"},
	{S41_FLAT, "flag 0x80000000", "bracket 1 has unknown flags"},
	{S41_FLAT, "bracket pad", "bracket 3 has unknown flags"},
	{S41_FLAT, "lo inf with lo inc", "bracket 1 has an open bound that is not canonical"},
	{S41_FLAT, "lo inf with lo 5", "bracket 1 has an open bound that is not canonical"},
	{S41_FLAT, "hi inf with hi inc", "bracket 4 has an open bound that is not canonical"},
	{S41_FLAT, "hi inf with hi 1", "bracket 4 has an open bound that is not canonical"},
	{S41_FLAT, "flip hi inc of 1", "gap between bracket 1 and bracket 2"},
	{S41_FLAT, "flip lo inc of 2", "bracket 2 overlaps bracket 1 at 6000"},
	{S41_FLAT, "lo -1", "bracket 1 has a bound out of range"},
	{S41_FLAT, "hi max+1", "bracket 3 has a bound out of range"},
	{S41_FLAT, "(12000,12000]", "bracket 2 is empty"},
	{S41_FLAT, "(12000,12000.01)", "bracket 2 is empty"},
	{S41_FLAT, "lo above hi", "bracket 2 is empty"},
	{S41_FLAT, "unreduced 2/20", "bracket 1 has a rate that is negative, over 100% or not in lowest terms"},
	{S41_FLAT, "rate -1/10", "bracket 1 has a rate that is negative"},
	{S41_FLAT, "rate 11/10", "over 100%"},
	{S41_FLAT, "rate 1/0", "bracket 1 has a rate"},
	{S41_FLAT, "rate 1/2000000000", "bracket 1 has a rate"},
	{S41_FLAT, "rate 0/10", "not in lowest terms"},
	{S41_FLAT, "lcm 40", "the common denominator does not match the rates"},
	{S41_FLAT, "lcm 0", "the common denominator does not match the rates"},
	{S41_FLAT, "fixed flag on a rate", "bracket 1 has a fixed amount out of range"},
	{S83, "fixed -1", "bracket 2 has a fixed amount out of range"},
	{S83, "fixed max+1", "bracket 2 has a fixed amount out of range"},
	{S83, "lcm 2", "the common denominator does not match the rates"},
	{S41_FLAT, "swap 1 and 2", "brackets are not sorted"},
	{S41_FLAT, "open end on 3", "bracket 4 follows bracket 3, which has no upper bound"},
	{S41_FLAT, "open start on 2", "only the first bracket may have an open lower bound; bracket 2 has one"},
	{S83, "mode marginal", "bracket 1 pays a fixed amount, which only a flat schedule can do"},
	{"flat: (,6000) 10%, [6000,) 5%", "mode marginal", "a marginal schedule needs a lower bound"},
	/* corruptions that still make a valid schedule */
	{S41_FLAT, "mode marginal", NULL},
	{S41_FLAT, "flip lo inc of 1", NULL},
	{S41_FLAT, "cap -1", NULL},
	{S41_FLAT, "cap 0", NULL},
};

/* Apply one named corruption; false if the name is unknown (a test bug). */
static bool
corrupt(bf_tiers *t, const char *what)
{
	bf_bracket *b = t->b;

	if (strcmp(what, "version 2") == 0)
		t->version = 2;
	else if (strcmp(what, "version 0") == 0)
		t->version = 0;
	else if (strcmp(what, "mode 2") == 0)
		t->mode = 2;
	else if (strcmp(what, "mode marginal") == 0)
		t->mode = BF_MODE_MARGINAL;
	else if (strcmp(what, "pad1") == 0)
		t->pad1 = 1;
	else if (strcmp(what, "pad2") == 0)
		t->pad2 = 7;
	else if (strcmp(what, "cap -2") == 0)
		t->cap = -2;
	else if (strcmp(what, "cap -1") == 0)
		t->cap = -1;
	else if (strcmp(what, "cap 0") == 0)
		t->cap = 0;
	else if (strcmp(what, "cap max+1") == 0)
		t->cap = BF_MAX_FEN + 1;
	else if (strcmp(what, "nbrackets 0") == 0)
		t->nbrackets = 0;
	else if (strcmp(what, "nbrackets 65") == 0)
		t->nbrackets = 65;
	else if (strcmp(what, "nbrackets -1") == 0)
		t->nbrackets = -1;
	else if (strcmp(what, "flag 0x20") == 0)
		b[0].flags |= 0x20;
	else if (strcmp(what, "flag 0x80000000") == 0)
		b[0].flags |= 0x80000000u;
	else if (strcmp(what, "bracket pad") == 0)
		b[2].pad = 1;
	else if (strcmp(what, "lo inf with lo inc") == 0)
		b[0].flags |= BF_B_LO_INF;
	else if (strcmp(what, "lo inf with lo 5") == 0)
	{
		b[0].flags = (b[0].flags & ~(uint32_t) BF_B_LO_INC) | BF_B_LO_INF;
		b[0].lo = 5;
	}
	else if (strcmp(what, "hi inf with hi inc") == 0)
		b[3].flags |= BF_B_HI_INC;
	else if (strcmp(what, "hi inf with hi 1") == 0)
		b[3].hi = 1;
	else if (strcmp(what, "flip hi inc of 1") == 0)
		b[0].flags ^= BF_B_HI_INC;
	else if (strcmp(what, "flip lo inc of 1") == 0)
		b[0].flags ^= BF_B_LO_INC;
	else if (strcmp(what, "flip lo inc of 2") == 0)
		b[1].flags ^= BF_B_LO_INC;
	else if (strcmp(what, "lo -1") == 0)
		b[0].lo = -1;
	else if (strcmp(what, "hi max+1") == 0)
		b[2].hi = BF_MAX_FEN + 1;
	else if (strcmp(what, "(12000,12000]") == 0)
		b[1].lo = b[1].hi = 1200000;
	else if (strcmp(what, "(12000,12000.01)") == 0)
	{
		b[1].lo = 1200000;
		b[1].hi = 1200001;
		b[1].flags &= ~(uint32_t) BF_B_HI_INC;
	}
	else if (strcmp(what, "lo above hi") == 0)
		b[1].lo = 1300000;
	else if (strcmp(what, "unreduced 2/20") == 0)
	{
		b[0].num = 2;
		b[0].den = 20;
	}
	else if (strcmp(what, "rate -1/10") == 0)
		b[0].num = -1;
	else if (strcmp(what, "rate 11/10") == 0)
		b[0].num = 11;
	else if (strcmp(what, "rate 1/0") == 0)
		b[0].den = 0;
	else if (strcmp(what, "rate 1/2000000000") == 0)
		b[0].den = 2000000000;
	else if (strcmp(what, "rate 0/10") == 0)
		b[0].num = 0;
	else if (strcmp(what, "lcm 40") == 0)
		t->lcm = 40;
	else if (strcmp(what, "lcm 0") == 0)
		t->lcm = 0;
	else if (strcmp(what, "lcm 2") == 0)
		t->lcm = 2;
	else if (strcmp(what, "fixed flag on a rate") == 0)
		b[0].flags |= BF_B_FIXED;
	else if (strcmp(what, "fixed -1") == 0)
		b[1].num = -1;
	else if (strcmp(what, "fixed max+1") == 0)
		b[1].num = BF_MAX_FEN + 1;
	else if (strcmp(what, "swap 1 and 2") == 0)
	{
		bf_bracket	tmp = b[0];

		b[0] = b[1];
		b[1] = tmp;
	}
	else if (strcmp(what, "open end on 3") == 0)
	{
		b[2].flags = (b[2].flags & ~(uint32_t) BF_B_HI_INC) | BF_B_HI_INF;
		b[2].hi = 0;
	}
	else if (strcmp(what, "open start on 2") == 0)
	{
		b[1].flags = (b[1].flags & ~(uint32_t) BF_B_LO_INC) | BF_B_LO_INF;
		b[1].lo = 0;
	}
	else
		return false;
	return true;
}

/* A valid value must print and parse back to exactly itself. */
static bool
reparses_identically(const bf_tiers *t)
{
	char		text[BF_TIERS_TEXT_MAX];
	char		err[256];
	bf_tiers   *again = malloc(BF_TIERS_MAX_SIZE);
	bool		same;
	bf_tiers   *copy;

	if (again == NULL)
		abort();
	if (bf_tiers_format(t, text, sizeof text) < 0 || !bf_tiers_parse(text, again, err, sizeof err))
	{
		free(again);
		return false;
	}
	/* vl_len_ belongs to the server; compare the rest */
	copy = malloc(BF_TIERS_SIZE(t->nbrackets));
	if (copy == NULL)
		abort();
	memcpy(copy, t, BF_TIERS_SIZE(t->nbrackets));
	copy->vl_len_ = 0;
	same = again->nbrackets == t->nbrackets &&
		memcmp(again, copy, BF_TIERS_SIZE(t->nbrackets)) == 0;
	free(copy);
	free(again);
	return same;
}

static void
test_validate(void)
{
	size_t		i;
	int			k;

	/* every schedule parsed so far is valid */
	for (k = 0; k < n_owned; k++)
	{
		char		err[256];

		CHECK(bf_tiers_validate(owned[k], err, sizeof err),
			  "validate(\"%s\") failed: %s", fmt_tiers(owned[k]), err);
	}

	for (i = 0; i < sizeof corruptions / sizeof corruptions[0]; i++)
	{
		const corrupt_case *c = &corruptions[i];
		bf_tiers   *t = PARSE(c->lit);
		char		err[256];
		bool		ok;

		if (t == NULL)
			continue;
		if (!corrupt(t, c->what))
			test_bug("unknown corruption", c->what);
		strcpy(err, "<untouched>");
		ok = bf_tiers_validate(t, err, sizeof err);
		if (c->message == NULL)
		{
			CHECK(ok, "%s with %s: refused: %s", c->lit, c->what, err);
			if (ok)
				CHECK(reparses_identically(t), "%s with %s: does not reparse to itself",
					  c->lit, c->what);
		}
		else
		{
			CHECK(!ok, "%s with %s: accepted", c->lit, c->what);
			if (!ok)
				CHECK(strstr(err, c->message) != NULL, "%s with %s: error \"%s\" does not say \"%s\"",
					  c->lit, c->what, err, c->message);
		}
	}

	/*
	 * Every single-bit flip of every schedule: validate may accept only what
	 * prints and parses back to exactly the same bytes.  The value sits in a
	 * zeroed BF_TIERS_MAX_SIZE buffer so that a flipped nbrackets reads zeros
	 * (a rate of 0/0, which must be refused), not past the allocation.
	 */
	{
		const char *lits[] = {S41_FLAT, S41_MARG_CAP, S83, S5, "flat: (,6000) 10%, [6000,) 5%",
		"marginal: [100.01,200) 1/7, [200,1000000000000] 999999999/1000000000"};
		size_t		l;
		bf_tiers   *buf = malloc(BF_TIERS_MAX_SIZE);
		int			accepted = 0;
		int			refused = 0;
		int			wrong = 0;

		if (buf == NULL)
			abort();
		for (l = 0; l < sizeof lits / sizeof lits[0]; l++)
		{
			bf_tiers   *t = PARSE(lits[l]);
			size_t		size;
			size_t		byte;

			if (t == NULL)
				continue;
			size = BF_TIERS_SIZE(t->nbrackets);
			for (byte = offsetof(bf_tiers, version); byte < size; byte++)
			{
				int			bit;

				for (bit = 0; bit < 8; bit++)
				{
					char		err[256];

					memset(buf, 0, BF_TIERS_MAX_SIZE);
					memcpy(buf, t, size);
					((unsigned char *) buf)[byte] ^= (unsigned char) (1u << bit);
					if (!bf_tiers_validate(buf, err, sizeof err))
						refused++;
					else if (reparses_identically(buf))
						accepted++;
					else
					{
						if (wrong++ < 5)
							CHECK(false, "%s: flipping bit %d of byte %zu is accepted "
								  "but does not reparse to itself", lits[l], bit, byte);
					}
				}
			}
		}
		free(buf);
		CHECK(wrong == 0, "%d bit flips accepted without reparsing to themselves", wrong);
		CHECK(refused > accepted, "bit flips: %d refused, %d accepted", refused, accepted);
	}
}

/* ------------------------------------------------------------------------
 * Under a locale whose case rules differ (Turkish), if one is installed
 * ------------------------------------------------------------------------ */
#include <locale.h>

static void
test_locale(void)
{
	const char *locales[] = {"tr_TR.ISO-8859-9", "tr_TR.UTF-8", "tr_TR.utf8"};
	size_t		i;

	for (i = 0; i < sizeof locales / sizeof locales[0]; i++)
	{
		bf_tiers   *t;
		char		err[256];

		if (setlocale(LC_CTYPE, locales[i]) == NULL)
			continue;
		t = malloc(BF_TIERS_MAX_SIZE);
		if (t == NULL)
			abort();
		/* tolower('I') is not 'i' there: the mode must still be read */
		CHECK(bf_tiers_parse("MARGINAL: [0,) 10%", t, err, sizeof err) &&
			  t->mode == BF_MODE_MARGINAL, "%s: MARGINAL refused: %s", locales[i], err);
		CHECK(!bf_tiers_parse("flat: [0,INFINITY] 10%", t, err, sizeof err) &&
			  strstr(err, "infinite") != NULL, "%s: INFINITY: %s", locales[i], err);
		free(t);
		setlocale(LC_CTYPE, "C");
	}
}

int
main(void)
{
	int			k;

	test_digits();
	test_digits_roundtrip();
	test_quick_fen();
	test_quick_numeric();
	test_divider();
	test_digits_errors();
	test_rounding();
	test_fen_format();
	test_exact_format();
	test_roundtrips();
	test_parsed_fields();
	test_bracket_parts();
	test_format_sizes();
	test_bad_literals();
	test_apply();
	test_jump();
	test_validate();
	test_locale();

	for (k = 0; k < n_owned; k++)
		free(owned[k]);
	printf("%d passed, %d failed\n", n_passed, n_failed);
	return n_failed == 0 ? 0 : 1;
}
