/*
 * cnid_core.c
 *		Parse, check and print Chinese resident identity numbers.
 *
 * Compiles without postgres.h so that it can be unit-tested and fuzzed alone.
 * The parser reads each byte at most twice and never writes past errlen.
 *
 * Checks run in the order a clerk would fix them: a character that cannot be
 * there, then the length, the region code, the birth date and last the check
 * character.  Characters are checked first because the first bad one is the
 * only one whose position is certain (a multibyte character before it would
 * shift every count); every character before it is an ASCII digit.
 */
#include "cnid_core.h"
#include "nls_core.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/*
 * ISO 7064 MOD 11-2: weight of position i (from the left, 0-based) is
 * 2^(17-i) mod 11; the check character is CHECK_CHARS[sum mod 11].
 */
static const int weights[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
static const char check_chars[] = "10X98765432";

static const char *const month_names[12] = {
	BF_N("January"), BF_N("February"), BF_N("March"), BF_N("April"), BF_N("May"), BF_N("June"), BF_N("July"),
	BF_N("August"), BF_N("September"), BF_N("October"), BF_N("November"), BF_N("December")
};

static bool
is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' ||
		c == '\v' || c == '\f';
}

static bool
is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static bool
is_leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int
days_in_month(int y, int m)
{
	static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

	return (m == 2 && is_leap(y)) ? 29 : days[m - 1];
}

#if defined(__GNUC__) || defined(__clang__)
#define BF_CNID_PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define BF_CNID_PRINTF(f, a)
#endif

/* Write a sentence into errbuf (when there is one) and pass st through. */
static bf_cnid_status fail(bf_cnid_status st, char *errbuf, size_t errlen,
						   const char *fmt,...) BF_CNID_PRINTF(4, 5);

static bf_cnid_status
fail(bf_cnid_status st, char *errbuf, size_t errlen, const char *fmt,...)
{
	va_list		ap;

	if (errbuf != NULL && errlen > 0)
	{
		va_start(ap, fmt);
		vsnprintf(errbuf, errlen, BF_T(fmt), ap);
		va_end(ap);
	}
	return st;
}

/* How to name one character in a message, without echoing unsafe bytes. */
static void
describe_char(char c, char *buf, size_t len)
{
	unsigned char u = (unsigned char) c;

	if (c == ' ')
		snprintf(buf, len, "%s", BF_T("a space"));
	else if (c == '\t')
		snprintf(buf, len, "%s", BF_T("a tab"));
	else if (u >= 0x80)
		snprintf(buf, len, "%s", BF_T("a non-ASCII character"));
	else if (u < 0x20 || u == 0x7f)
		snprintf(buf, len, BF_T("control character 0x%02X"), u);
	else if (c == '"')
		snprintf(buf, len, "%s", BF_T("a double quote"));
	else
		snprintf(buf, len, "\"%c\"", c);
}

/* Check character for the 17 digits d[0..16] (each 0-9). */
static char
check_of_digits(const int *d)
{
	int			sum = 0;
	int			i;

	for (i = 0; i < 17; i++)
		sum += d[i] * weights[i];
	return check_chars[sum % 11];
}

/* Digits of the low 17 places; each 0-9 whatever v is. */
static void
value_to_digits(bf_cnid v, int *d)
{
	uint64_t	u = (uint64_t) v;
	int			i;

	for (i = 16; i >= 0; i--)
	{
		d[i] = (int) (u % 10);
		u /= 10;
	}
}

/* Region and birth date of 17 digits already known to be digits. */
static bf_cnid_status
check_fields(const int *d, char *errbuf, size_t errlen)
{
	int			y = d[6] * 1000 + d[7] * 100 + d[8] * 10 + d[9];
	int			m = d[10] * 10 + d[11];
	int			dd = d[12] * 10 + d[13];
	int			ymd = y * 10000 + m * 100 + dd;

	if (d[0] == 0)
		return fail(BF_CNID_REGION, errbuf, errlen,
					"Region code %d%d%d%d%d%d starts with 0, which no region code does.",
					d[0], d[1], d[2], d[3], d[4], d[5]);
	if (y < BF_CNID_MIN_YEAR || y > BF_CNID_MAX_YEAR)
		return fail(BF_CNID_DATE, errbuf, errlen,
					"Birth date %08d is outside the years %d to %d.",
					ymd, BF_CNID_MIN_YEAR, BF_CNID_MAX_YEAR);
	if (m < 1 || m > 12)
		return fail(BF_CNID_DATE, errbuf, errlen,
					"Birth date %08d is not a calendar date: there is no month %02d.",
					ymd, m);
	if (dd < 1)
		return fail(BF_CNID_DATE, errbuf, errlen,
					"Birth date %08d is not a calendar date: there is no day 00.",
					ymd);
	if (dd > days_in_month(y, m))
		return fail(BF_CNID_DATE, errbuf, errlen,
					"Birth date %08d is not a calendar date: %s %d has %d days.",
					ymd, BF_T(month_names[m - 1]), y, days_in_month(y, m));
	return BF_CNID_OK;
}

bf_cnid_status
bf_cnid_parse(const char *str, bf_cnid *out, char *errbuf, size_t errlen)
{
	const char *s = str;
	size_t		n;
	size_t		i;
	int			d[17];
	bf_cnid_status st;
	bf_cnid		v;
	char		cbuf[32];

	if (errbuf != NULL && errlen > 0)
		errbuf[0] = '\0';

	/* white space around the number is ignored, as int8in does */
	while (is_space(*s))
		s++;
	n = strlen(s);
	while (n > 0 && is_space(s[n - 1]))
		n--;
	if (n == 0)
		return fail(BF_CNID_EMPTY, errbuf, errlen,
					"The number is empty; expected %d characters (or %d for a legacy number).",
					BF_CNID_LEN, BF_CNID_LEGACY_LEN);

	for (i = 0; i < n; i++)
	{
		if (is_digit(s[i]) || s[i] == 'X' || s[i] == 'x')
			continue;
		describe_char(s[i], cbuf, sizeof cbuf);
		return fail(BF_CNID_CHARACTER, errbuf, errlen,
					"Character %zu is %s; expected a digit.", i + 1, cbuf);
	}

	if (n != BF_CNID_LEN && n != BF_CNID_LEGACY_LEN)
		return fail(BF_CNID_LENGTH, errbuf, errlen,
					"The number has %zu characters; expected %d (or %d for a legacy number).",
					n, BF_CNID_LEN, BF_CNID_LEGACY_LEN);

	for (i = 0; i < n; i++)
	{
		if (is_digit(s[i]))
			continue;
		if (n == BF_CNID_LEGACY_LEN)
			return fail(BF_CNID_CHARACTER, errbuf, errlen,
						"Character %zu is \"%c\"; a 15-digit legacy number has no check character, so all 15 are digits.",
						i + 1, s[i]);
		if (i != BF_CNID_LEN - 1)
			return fail(BF_CNID_CHARACTER, errbuf, errlen,
						"Character %zu is \"%c\"; only the last character, the check character, may be X.",
						i + 1, s[i]);
	}

	if (n == BF_CNID_LEN)
	{
		for (i = 0; i < 17; i++)
			d[i] = s[i] - '0';
	}
	else
	{
		/* region, then "19", then YYMMDD and the sequence */
		for (i = 0; i < 6; i++)
			d[i] = s[i] - '0';
		d[6] = 1;
		d[7] = 9;
		for (i = 6; i < 15; i++)
			d[i + 2] = s[i] - '0';
	}

	st = check_fields(d, errbuf, errlen);
	if (st != BF_CNID_OK)
		return st;

	if (n == BF_CNID_LEN)
	{
		char		want = check_of_digits(d);
		char		got = s[BF_CNID_LEN - 1];

		if ((got == 'x' ? 'X' : got) != want)
			return fail(BF_CNID_CHECK, errbuf, errlen,
						"Check character is %c but should be %c.", got, want);
	}

	v = 0;
	for (i = 0; i < 17; i++)
		v = v * 10 + d[i];
	*out = v;
	return BF_CNID_OK;
}

bf_cnid_status
bf_cnid_validate(bf_cnid v, char *errbuf, size_t errlen)
{
	int			d[17];

	if (errbuf != NULL && errlen > 0)
		errbuf[0] = '\0';
	if (v < BF_CNID_MIN || v > BF_CNID_MAX)
		return fail(BF_CNID_RANGE, errbuf, errlen,
					"Value %" PRId64 " is not 17 digits with a nonzero first digit.",
					v);
	value_to_digits(v, d);
	return check_fields(d, errbuf, errlen);
}

char
bf_cnid_check_char(bf_cnid v)
{
	int			d[17];

	value_to_digits(v, d);
	return check_of_digits(d);
}

int
bf_cnid_format(bf_cnid v, char *buf, size_t len)
{
	int			d[17];
	int			i;

	if (len < BF_CNID_TEXT_SIZE || v < BF_CNID_MIN || v > BF_CNID_MAX)
		return -1;
	value_to_digits(v, d);
	for (i = 0; i < 17; i++)
		buf[i] = (char) ('0' + d[i]);
	buf[17] = check_of_digits(d);
	buf[18] = '\0';
	return BF_CNID_LEN;
}

int
bf_cnid_mask(bf_cnid v, char *buf, size_t len)
{
	int			i;

	if (bf_cnid_format(v, buf, len) < 0)
		return -1;
	for (i = 6; i < BF_CNID_LEN - 4; i++)
		buf[i] = '*';
	return BF_CNID_LEN;
}

void
bf_cnid_birth_date(bf_cnid v, int *year, int *month, int *day)
{
	int			ymd = (int) ((v / 1000) % 100000000);

	*year = ymd / 10000;
	*month = ymd / 100 % 100;
	*day = ymd % 100;
}

char
bf_cnid_sex(bf_cnid v)
{
	return (v % 2 == 1) ? 'M' : 'F';
}

const char *
bf_cnid_status_text(bf_cnid_status st)
{
	switch (st)
	{
		case BF_CNID_OK:
			return "valid";
		case BF_CNID_EMPTY:
			return "empty";
		case BF_CNID_CHARACTER:
			return "character";
		case BF_CNID_LENGTH:
			return "length";
		case BF_CNID_REGION:
			return "region code";
		case BF_CNID_DATE:
			return "birth date";
		case BF_CNID_CHECK:
			return "check character";
		case BF_CNID_RANGE:
			return "range";
	}
	return "unknown";
}
