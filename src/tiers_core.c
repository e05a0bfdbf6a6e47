/*
 * tiers_core.c
 *		Parse, check, print and apply bracketed rate schedules.
 *
 * Compiles without postgres.h so that it can be unit-tested and fuzzed alone.
 * Every path is bounded: the parser reads each byte once, a schedule has at
 * most BF_TIERS_MAX_BRACKETS brackets, and all products fit in 128 bits.
 */
#include "tiers_core.h"
#include "nls_core.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

typedef struct parser
{
	const char *start;
	const char *p;
	char	   *errbuf;
	size_t		errlen;
} parser;

static bool fail(parser *ps, const char *fmt,...) __attribute__((format(printf, 2, 3)));

static bool
fail(parser *ps, const char *fmt,...)
{
	va_list		ap;
	size_t		n;

	va_start(ap, fmt);
	n = (size_t) vsnprintf(ps->errbuf, ps->errlen, BF_T(fmt), ap);
	va_end(ap);
	if (n < ps->errlen)
		snprintf(ps->errbuf + n, ps->errlen - n, BF_T(" (at character %d)"),
				 (int) (ps->p - ps->start) + 1);
	return false;
}

/*
 * Letters are ASCII only and fold case without the locale: the server runs
 * under the database's LC_CTYPE, where tolower('I') is not 'i' in Turkish
 * locales and bytes above 127 can count as letters in single-byte ones.
 */
static bool
is_alpha(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static char
ascii_lower(char c)
{
	return (c >= 'A' && c <= 'Z') ? (char) (c - 'A' + 'a') : c;
}

static void
skip_ws(parser *ps)
{
	while (*ps->p == ' ' || *ps->p == '\t' || *ps->p == '\n' || *ps->p == '\r')
		ps->p++;
}

/*
 * What the next characters are, for messages: about ten bytes, quoted.  The
 * excerpt must not end inside a multibyte character, or the message would not
 * be valid in the server encoding.  In UTF-8 and the EUC encodings every byte
 * of a multibyte character has its high bit set, so a cut that falls inside a
 * run of such bytes moves to the end of the run, or back to its start when
 * the run is too long to show.
 */
#define NEAR_BYTES	10
#define NEAR_MAX	32
#define NEAR_BUFLEN (NEAR_MAX + 3)

static const char *
near(parser *ps, char *buf, size_t len)
{
	const unsigned char *s = (const unsigned char *) ps->p;
	size_t		n = 0;

	if (s[0] == '\0')
		return BF_T("end of input");
	while (n < NEAR_BYTES && s[n] != '\0' && n + 3 < len)
		n++;
	while ((s[n] & 0x80) && n < NEAR_MAX && n + 3 < len)
		n++;
	if (s[n] & 0x80)
	{
		while (n > 0 && (s[n - 1] & 0x80))
			n--;
	}
	if (n == 0)
		return BF_T("non-ASCII text");
	buf[0] = '"';
	memcpy(buf + 1, s, n);
	buf[n + 1] = '"';
	buf[n + 2] = '\0';
	return buf;
}

static bool
word_is(const char *w, size_t n, const char *kw)
{
	size_t		i;

	if (strlen(kw) != n)
		return false;
	for (i = 0; i < n; i++)
		if (ascii_lower(w[i]) != kw[i])
			return false;
	return true;
}

/* Refuse words that look like special numbers with a message naming them. */
static bool
bad_word(parser *ps, const char *what)
{
	const char *w = ps->p;
	size_t		n = 0;
	char		nb[NEAR_BUFLEN];

	if (*w == '+' || *w == '-')
	{
		w++;
		n++;
	}
	while (is_alpha(w[0]))
	{
		w++;
		n++;
	}
	if (word_is(ps->p, n, "nan") || word_is(ps->p, n, "-nan") || word_is(ps->p, n, "+nan"))
		return fail(ps, "%s is NaN", what);
	if (word_is(ps->p, n, "infinity") || word_is(ps->p, n, "inf") ||
		word_is(ps->p, n, "-infinity") || word_is(ps->p, n, "+infinity") ||
		word_is(ps->p, n, "-inf") || word_is(ps->p, n, "+inf"))
	{
		/* only a bound can be left open; a cap, rate or amount cannot */
		if (strstr(what, "bound") == NULL)
			return fail(ps, "%s is infinite", what);
		return fail(ps, "%s is infinite; leave the bound empty for an open end", what);
	}
	if (*ps->p == '-')
		return fail(ps, "%s is negative", what);
	return fail(ps, "expected a number for %s, found %s", what, near(ps, nb, sizeof nb));
}

/*
 * Read an unsigned decimal "123", "123.4".  *intpart gets the integer digits
 * (saturating past 10^18), frac the digits after the point, *nfrac their
 * count (up to 18 kept; extra must be zeros or *subscale is set).
 */
static bool
read_decimal(parser *ps, const char *what, uint64_t *intpart, uint64_t *frac,
			 int *nfrac, int maxfrac, bool *overflow)
{
	const char *q = ps->p;
	uint64_t	ip = 0;
	uint64_t	fp = 0;
	int			nf = 0;
	bool		any = false;

	*overflow = false;
	while (isdigit((unsigned char) *q))
	{
		any = true;
		if (ip > UINT64_C(100000000000000000))
			*overflow = true;
		else
			ip = ip * 10 + (uint64_t) (*q - '0');
		q++;
	}
	if (*q == '.')
	{
		q++;
		while (isdigit((unsigned char) *q))
		{
			any = true;
			if (nf < maxfrac)
			{
				fp = fp * 10 + (uint64_t) (*q - '0');
				nf++;
			}
			else if (*q != '0')
			{
				ps->p = q;
				return fail(ps, "%s has more than %d decimal places", what, maxfrac);
			}
			q++;
		}
	}
	if (!any)
		return bad_word(ps, what);
	ps->p = q;
	*intpart = ip;
	*frac = fp;
	*nfrac = nf;
	return true;
}

/* A money amount in yuan, at most two decimals, 0 .. BF_MAX_FEN. */
static bool
read_money(parser *ps, const char *what, int64_t *fen)
{
	uint64_t	ip,
				fp;
	int			nf;
	bool		overflow;
	const char *at = ps->p;

	if (!read_decimal(ps, what, &ip, &fp, &nf, 2, &overflow))
		return false;
	if (nf == 1)
		fp *= 10;
	if (overflow || ip > (uint64_t) (BF_MAX_FEN / 100) ||
		ip * 100 + fp > (uint64_t) BF_MAX_FEN)
	{
		ps->p = at;
		return fail(ps, "%s is beyond the supported range of 0 to %s yuan",
					what, BF_MAX_YUAN_TEXT);
	}
	*fen = (int64_t) (ip * 100 + fp);
	return true;
}

static int64_t
pow10i(int k)
{
	int64_t		v = 1;

	while (k-- > 0)
		v *= 10;
	return v;
}

/* A payout: "15%", "12.5%", "2/3", or a fixed amount "5000". */
static bool
read_payout(parser *ps, int idx, bf_bracket *b)
{
	char		what[48];
	uint64_t	ip,
				fp;
	int			nf;
	bool		overflow;
	const char *at = ps->p;
	const char *q;

	snprintf(what, sizeof what, BF_T("the rate of bracket %d"), idx + 1);
	if (!read_decimal(ps, what, &ip, &fp, &nf, BF_RATE_MAX_PCT_DECIMALS, &overflow))
		return false;
	q = ps->p;
	while (*q == ' ' || *q == '\t')
		q++;
	if (*q == '%')
	{
		int64_t		scale = pow10i(nf);
		int64_t		g;

		ps->p = q + 1;
		if (overflow || ip > 100 || (ip == 100 && fp > 0))
		{
			ps->p = at;
			return fail(ps, "%s is over 100%%", what);
		}
		b->num = (int64_t) ip * scale + (int64_t) fp;
		b->den = 100 * scale;
		g = bf_gcd64(b->num, b->den);
		if (g > 1)
		{
			b->num /= g;
			b->den /= g;
		}
		if (b->num == 0)
			b->den = 1;
		return true;
	}
	if (*q == '/')
	{
		uint64_t	dip,
					dfp;
		int			dnf;
		int64_t		g;

		if (nf > 0)
		{
			ps->p = at;
			return fail(ps, "a fraction in %s must be of whole numbers, as in 2/3", what);
		}
		ps->p = q + 1;
		while (*ps->p == ' ' || *ps->p == '\t')
			ps->p++;
		at = ps->p;
		if (!read_decimal(ps, what, &dip, &dfp, &dnf, BF_RATE_MAX_PCT_DECIMALS, &overflow))
			return false;
		if (dnf > 0)
		{
			ps->p = at;
			return fail(ps, "a fraction in %s must be of whole numbers, as in 2/3", what);
		}
		if (dip == 0)
		{
			ps->p = at;
			return fail(ps, "%s divides by zero", what);
		}
		if (overflow || dip > (uint64_t) BF_RATE_MAX_DEN || ip > (uint64_t) BF_RATE_MAX_DEN)
		{
			ps->p = at;
			return fail(ps, "%s has a denominator beyond 1000000000", what);
		}
		if (ip > dip)
		{
			ps->p = at;
			return fail(ps, "%s is over 100%%", what);
		}
		b->num = (int64_t) ip;
		b->den = (int64_t) dip;
		g = bf_gcd64(b->num, b->den);
		if (g > 1)
		{
			b->num /= g;
			b->den /= g;
		}
		if (b->num == 0)
			b->den = 1;
		return true;
	}
	/* a fixed amount */
	ps->p = at;
	snprintf(what, sizeof what, BF_T("the amount of bracket %d"), idx + 1);
	if (!read_money(ps, what, &b->num))
		return false;
	b->den = 1;
	b->flags |= BF_B_FIXED;
	return true;
}

static bool
read_bracket(parser *ps, int idx, bf_bracket *b)
{
	char		what[48];
	char		nb[NEAR_BUFLEN];

	memset(b, 0, sizeof *b);
	if (*ps->p == '[')
		b->flags |= BF_B_LO_INC;
	else if (*ps->p != '(')
		return fail(ps, "expected \"[\" or \"(\" to open bracket %d, found %s",
					idx + 1, near(ps, nb, sizeof nb));
	ps->p++;
	skip_ws(ps);
	if (*ps->p == ',')
	{
		b->flags |= BF_B_LO_INF;
		b->flags &= ~BF_B_LO_INC;
	}
	else
	{
		snprintf(what, sizeof what, BF_T("the lower bound of bracket %d"), idx + 1);
		if (!read_money(ps, what, &b->lo))
			return false;
		skip_ws(ps);
	}
	if (*ps->p != ',')
		return fail(ps, "expected \",\" between the bounds of bracket %d, found %s",
					idx + 1, near(ps, nb, sizeof nb));
	ps->p++;
	skip_ws(ps);
	if (*ps->p == ']' || *ps->p == ')')
		b->flags |= BF_B_HI_INF;
	else
	{
		snprintf(what, sizeof what, BF_T("the upper bound of bracket %d"), idx + 1);
		if (!read_money(ps, what, &b->hi))
			return false;
		skip_ws(ps);
	}
	if (*ps->p == ']')
	{
		if (!(b->flags & BF_B_HI_INF))
			b->flags |= BF_B_HI_INC;
	}
	else if (*ps->p != ')')
		return fail(ps, "expected \"]\" or \")\" to close bracket %d, found %s",
					idx + 1, near(ps, nb, sizeof nb));
	ps->p++;
	if (!(b->flags & (BF_B_LO_INF | BF_B_HI_INF)))
	{
		if (b->lo > b->hi)
		{
			ps->p--;
			return fail(ps, "bracket %d has its lower bound above its upper bound", idx + 1);
		}
		if (b->lo == b->hi && (b->flags & (BF_B_LO_INC | BF_B_HI_INC)) != (BF_B_LO_INC | BF_B_HI_INC))
		{
			ps->p--;
			return fail(ps, "bracket %d is empty: both bounds are the same number and one excludes it", idx + 1);
		}
		/* amounts are whole fen: (6000,6000.01) holds none */
		if (b->hi - b->lo == 1 && !(b->flags & (BF_B_LO_INC | BF_B_HI_INC)))
		{
			ps->p--;
			return fail(ps, "bracket %d is empty: no whole fen lies strictly between its bounds", idx + 1);
		}
	}
	skip_ws(ps);
	if (*ps->p == '\0' || *ps->p == ',' || *ps->p == ';')
		return fail(ps, "bracket %d has no rate or amount", idx + 1);
	return read_payout(ps, idx, b);
}

/* Rules shared by the parser and binary receive: order, gaps, overlaps. */
static bool
check_brackets(const bf_tiers *t, char *errbuf, size_t errlen, int64_t *lcm_out)
{
	int			i;
	int64_t		lcm = 1;
	char		nb[32];

	if (t->nbrackets < 1)
	{
		snprintf(errbuf, errlen, "%s", BF_T("a schedule needs at least one bracket"));
		return false;
	}
	if (t->nbrackets > BF_TIERS_MAX_BRACKETS)
	{
		snprintf(errbuf, errlen, BF_T("a schedule has at most %d brackets"), BF_TIERS_MAX_BRACKETS);
		return false;
	}
	for (i = 0; i < t->nbrackets; i++)
	{
		const bf_bracket *b = &t->b[i];

		if (i > 0)
		{
			const bf_bracket *a = &t->b[i - 1];

			if (a->flags & BF_B_HI_INF)
			{
				snprintf(errbuf, errlen, BF_T("bracket %d follows bracket %d, which has no upper bound"), i + 1, i);
				return false;
			}
			if (b->flags & BF_B_LO_INF)
			{
				snprintf(errbuf, errlen, BF_T("only the first bracket may have an open lower bound; bracket %d has one"), i + 1);
				return false;
			}
			bf_fen_format_min(b->lo, nb, sizeof nb);
			if (!(a->flags & BF_B_LO_INF) && b->lo < a->lo)
			{
				snprintf(errbuf, errlen, BF_T("brackets are not sorted: bracket %d starts at %s, below bracket %d"), i + 1, nb, i);
				return false;
			}
			if (b->lo > a->hi || (b->lo == a->hi && !(a->flags & BF_B_HI_INC) && !(b->flags & BF_B_LO_INC)))
			{
				char		na[32];

				bf_fen_format_min(a->hi, na, sizeof na);
				if (b->lo == a->hi)
					snprintf(errbuf, errlen, BF_T("gap between bracket %d and bracket %d: neither includes %s"), i, i + 1, nb);
				else
					snprintf(errbuf, errlen, BF_T("gap between bracket %d and bracket %d: amounts from %s to %s are in neither"), i, i + 1, na, nb);
				return false;
			}
			if (b->lo < a->hi || ((a->flags & BF_B_HI_INC) && (b->flags & BF_B_LO_INC)))
			{
				snprintf(errbuf, errlen, BF_T("bracket %d overlaps bracket %d at %s"), i + 1, i, nb);
				return false;
			}
		}
		if (!(b->flags & BF_B_FIXED))
		{
			int64_t		g = bf_gcd64(lcm, b->den);

			if (b->den / g > BF_TIERS_MAX_LCM / lcm)
			{
				snprintf(errbuf, errlen, BF_T("the rates' common denominator is beyond %lld; use simpler fractions"),
						 (long long) BF_TIERS_MAX_LCM);
				return false;
			}
			lcm = lcm / g * b->den;
		}
		else if (t->mode == BF_MODE_MARGINAL)
		{
			snprintf(errbuf, errlen, BF_T("bracket %d pays a fixed amount, which only a flat schedule can do"), i + 1);
			return false;
		}
	}
	if (t->mode == BF_MODE_MARGINAL && (t->b[0].flags & BF_B_LO_INF))
	{
		snprintf(errbuf, errlen, "%s", BF_T("a marginal schedule needs a lower bound on its first bracket"));
		return false;
	}
	*lcm_out = lcm;
	return true;
}

bool
bf_tiers_parse(const char *str, bf_tiers *out, char *errbuf, size_t errlen)
{
	parser		ps;
	char		nb[NEAR_BUFLEN];
	int			n = 0;

	ps.start = str;
	ps.p = str;
	ps.errbuf = errbuf;
	ps.errlen = errlen;

	memset(out, 0, offsetof(bf_tiers, b));
	out->version = BF_TIERS_VERSION;
	out->mode = BF_MODE_FLAT;
	out->cap = -1;

	skip_ws(&ps);
	if (*ps.p == '\0')
		return fail(&ps, "the schedule is empty");
	if (is_alpha(*ps.p))
	{
		const char *w = ps.p;
		size_t		wl = 0;

		while (is_alpha(w[wl]))
			wl++;
		if (word_is(w, wl, "flat"))
			out->mode = BF_MODE_FLAT;
		else if (word_is(w, wl, "marginal"))
			out->mode = BF_MODE_MARGINAL;
		else
			return fail(&ps, "unknown mode \"%.*s\": expected flat or marginal", (int) (wl > 20 ? 20 : wl), w);
		ps.p += wl;
		skip_ws(&ps);
		if (*ps.p != ':')
			return fail(&ps, "expected \":\" after the mode, found %s", near(&ps, nb, sizeof nb));
		ps.p++;
		skip_ws(&ps);
	}
	for (;;)
	{
		if (n >= BF_TIERS_MAX_BRACKETS)
			return fail(&ps, "a schedule has at most %d brackets", BF_TIERS_MAX_BRACKETS);
		if (!read_bracket(&ps, n, &out->b[n]))
			return false;
		n++;
		skip_ws(&ps);
		if (*ps.p == ',')
		{
			ps.p++;
			skip_ws(&ps);
			continue;
		}
		break;
	}
	if (*ps.p == ';')
	{
		const char *w;
		size_t		wl = 0;

		ps.p++;
		skip_ws(&ps);
		w = ps.p;
		while (is_alpha(w[wl]))
			wl++;
		if (!word_is(w, wl, "cap"))
			return fail(&ps, "expected \"cap\" after \";\", found %s", near(&ps, nb, sizeof nb));
		ps.p += wl;
		skip_ws(&ps);
		if (!read_money(&ps, BF_T("the cap"), &out->cap))
			return false;
		skip_ws(&ps);
	}
	if (*ps.p != '\0')
		return fail(&ps, "unexpected %s after the schedule", near(&ps, nb, sizeof nb));
	out->nbrackets = n;
	{
		int64_t		lcm;

		if (!check_brackets(out, errbuf, errlen, &lcm))
			return false;
		out->lcm = lcm;
	}
	return true;
}

bool
bf_tiers_validate(const bf_tiers *t, char *errbuf, size_t errlen)
{
	int			i;
	int64_t		lcm;

	if (t->version != BF_TIERS_VERSION)
	{
		snprintf(errbuf, errlen, BF_T("unknown tiers format version %d"), t->version);
		return false;
	}
	if (t->mode != BF_MODE_FLAT && t->mode != BF_MODE_MARGINAL)
	{
		snprintf(errbuf, errlen, BF_T("unknown mode %d"), t->mode);
		return false;
	}
	if (t->pad1 != 0 || t->pad2 != 0)
	{
		snprintf(errbuf, errlen, "%s", BF_T("padding is not zero"));
		return false;
	}
	if (t->cap < -1 || t->cap > BF_MAX_FEN)
	{
		snprintf(errbuf, errlen, "%s", BF_T("the cap is out of range"));
		return false;
	}
	if (t->nbrackets < 1 || t->nbrackets > BF_TIERS_MAX_BRACKETS)
	{
		snprintf(errbuf, errlen, BF_T("a schedule has 1 to %d brackets, not %d"), BF_TIERS_MAX_BRACKETS, t->nbrackets);
		return false;
	}
	for (i = 0; i < t->nbrackets; i++)
	{
		const bf_bracket *b = &t->b[i];

		if ((b->flags & ~(uint32_t) BF_B_ALL_FLAGS) || b->pad != 0)
		{
			snprintf(errbuf, errlen, BF_T("bracket %d has unknown flags"), i + 1);
			return false;
		}
		if (((b->flags & BF_B_LO_INF) && (b->lo != 0 || (b->flags & BF_B_LO_INC))) ||
			((b->flags & BF_B_HI_INF) && (b->hi != 0 || (b->flags & BF_B_HI_INC))))
		{
			snprintf(errbuf, errlen, BF_T("bracket %d has an open bound that is not canonical"), i + 1);
			return false;
		}
		if (b->lo < 0 || b->lo > BF_MAX_FEN || b->hi < 0 || b->hi > BF_MAX_FEN)
		{
			snprintf(errbuf, errlen, BF_T("bracket %d has a bound out of range"), i + 1);
			return false;
		}
		if (!(b->flags & (BF_B_LO_INF | BF_B_HI_INF)) &&
			(b->lo > b->hi || (b->lo == b->hi && (b->flags & (BF_B_LO_INC | BF_B_HI_INC)) != (BF_B_LO_INC | BF_B_HI_INC)) ||
			 (b->hi - b->lo == 1 && !(b->flags & (BF_B_LO_INC | BF_B_HI_INC)))))
		{
			snprintf(errbuf, errlen, BF_T("bracket %d is empty"), i + 1);
			return false;
		}
		if (b->flags & BF_B_FIXED)
		{
			if (b->den != 1 || b->num < 0 || b->num > BF_MAX_FEN)
			{
				snprintf(errbuf, errlen, BF_T("bracket %d has a fixed amount out of range"), i + 1);
				return false;
			}
		}
		else if (b->den < 1 || b->den > BF_RATE_MAX_DEN ||
				 b->num < 0 || b->num > b->den ||
				 bf_gcd64(b->num, b->den) != (b->num == 0 ? b->den : 1) ||
				 (b->num == 0 && b->den != 1))
		{
			snprintf(errbuf, errlen, BF_T("bracket %d has a rate that is negative, over 100%% or not in lowest terms"), i + 1);
			return false;
		}
	}
	if (!check_brackets(t, errbuf, errlen, &lcm))
		return false;
	if (lcm != t->lcm)
	{
		snprintf(errbuf, errlen, "%s", BF_T("the common denominator does not match the rates"));
		return false;
	}
	return true;
}

int
bf_bounds_format(const bf_bracket *b, char *buf, size_t len)
{
	char		lo[32] = "";
	char		hi[32] = "";

	if (!(b->flags & BF_B_LO_INF))
		bf_fen_format_min(b->lo, lo, sizeof lo);
	if (!(b->flags & BF_B_HI_INF))
		bf_fen_format_min(b->hi, hi, sizeof hi);
	return snprintf(buf, len, "%c%s,%s%c",
					(b->flags & BF_B_LO_INC) ? '[' : '(', lo, hi,
					(b->flags & BF_B_HI_INC) ? ']' : ')');
}

int
bf_payout_format(const bf_bracket *b, char *buf, size_t len)
{
	int			k;

	if (b->flags & BF_B_FIXED)
		return bf_fen_format_min(b->num, buf, len);
	/* a percentage with at most six decimals when that is exact */
	for (k = 0; k <= BF_RATE_MAX_PCT_DECIMALS; k++)
	{
		bf_i128		scaled = (bf_i128) b->num * 100 * pow10i(k);

		if (scaled % b->den == 0)
		{
			int64_t		v = (int64_t) (scaled / b->den);
			int64_t		s = pow10i(k);

			if (k == 0)
				return snprintf(buf, len, "%lld%%", (long long) v);
			return snprintf(buf, len, "%lld.%0*lld%%", (long long) (v / s), k, (long long) (v % s));
		}
	}
	return snprintf(buf, len, "%lld/%lld", (long long) b->num, (long long) b->den);
}

int
bf_tiers_format(const bf_tiers *t, char *buf, size_t len)
{
	size_t		pos = 0;
	int			i;
	int			n;

#define EMIT(call) do { \
		if (pos >= len) return -1; \
		n = (call); \
		if (n < 0 || (size_t) n >= len - pos) return -1; \
		pos += (size_t) n; \
	} while (0)

	EMIT(snprintf(buf + pos, len - pos, "%s: ", t->mode == BF_MODE_MARGINAL ? "marginal" : "flat"));
	for (i = 0; i < t->nbrackets; i++)
	{
		if (i > 0)
			EMIT(snprintf(buf + pos, len - pos, ", "));
		EMIT(bf_bounds_format(&t->b[i], buf + pos, len - pos));
		EMIT(snprintf(buf + pos, len - pos, " "));
		EMIT(bf_payout_format(&t->b[i], buf + pos, len - pos));
	}
	if (t->cap >= 0)
	{
		EMIT(snprintf(buf + pos, len - pos, "; cap "));
		EMIT(bf_fen_format_min(t->cap, buf + pos, len - pos));
	}
#undef EMIT
	return (int) pos;
}

static int
find_bracket(const bf_tiers *t, int64_t fen)
{
	int			i;

	for (i = 0; i < t->nbrackets; i++)
		if (bf_bracket_contains(&t->b[i], fen))
			return i;
	return -1;
}

bool
bf_tiers_apply(const bf_tiers *t, int64_t fen, bf_apply_result *r)
{
	int			idx = find_bracket(t, fen);

	if (idx < 0)
		return false;
	r->bracket = idx;
	if (t->mode == BF_MODE_FLAT)
	{
		const bf_bracket *b = &t->b[idx];
		int64_t		prod;

		if (b->flags & BF_B_FIXED)
		{
			r->exact_num = b->num;
			r->exact_den = 1;
		}
		else if (!__builtin_mul_overflow(fen, b->num, &prod) && prod <= INT64_MAX / 2 - b->den)
		{
			/* the usual case: everything fits in 64 bits, so round there */
			r->exact_num = prod;
			r->exact_den = b->den;
			r->uncapped = (2 * prod + b->den) / (2 * b->den);
			r->capped = t->cap >= 0 && r->uncapped > t->cap;
			r->value = r->capped ? t->cap : r->uncapped;
			return true;
		}
		else
		{
			r->exact_num = (bf_i128) fen * b->num;
			r->exact_den = b->den;
		}
	}
	else
	{
		bf_i128		acc = 0;
		int			i;

		for (i = 0; i <= idx; i++)
		{
			const bf_bracket *b = &t->b[i];
			int64_t		top = (b->flags & BF_B_HI_INF) || fen < b->hi ? fen : b->hi;
			int64_t		slice = top - b->lo;

			if (slice > 0)
				acc += (bf_i128) slice * b->num * (t->lcm / b->den);
		}
		r->exact_num = acc;
		r->exact_den = t->lcm;
	}
	r->uncapped = bf_round_half_away(r->exact_num, r->exact_den);
	r->capped = t->cap >= 0 && r->uncapped > t->cap;
	r->value = r->capped ? t->cap : r->uncapped;
	return true;
}

bool
bf_tiers_jump(const bf_tiers *t, int bracket, int64_t fen,
			  int64_t *bound, int64_t *below, int64_t *above)
{
	const bf_bracket *b;
	bool		has_lo,
				has_hi;
	int64_t		at;
	bool		at_belongs_below;
	bf_apply_result r1,
				r2;

	if (t->mode != BF_MODE_FLAT || bracket < 0 || bracket >= t->nbrackets)
		return false;
	b = &t->b[bracket];
	has_lo = bracket > 0;
	has_hi = bracket < t->nbrackets - 1;
	if (!has_lo && !has_hi)
		return false;
	if (has_lo && (!has_hi || fen - b->lo <= b->hi - fen))
	{
		at = b->lo;
		at_belongs_below = !(b->flags & BF_B_LO_INC);
	}
	else
	{
		at = b->hi;
		at_belongs_below = (b->flags & BF_B_HI_INC) != 0;
	}
	if (at_belongs_below)
	{
		if (at >= BF_MAX_FEN)
			return false;
		if (!bf_tiers_apply(t, at, &r1) || !bf_tiers_apply(t, at + 1, &r2))
			return false;
	}
	else
	{
		if (at <= 0)
			return false;
		if (!bf_tiers_apply(t, at - 1, &r1) || !bf_tiers_apply(t, at, &r2))
			return false;
	}
	*bound = at;
	*below = r1.value;
	*above = r2.value;
	return true;
}
