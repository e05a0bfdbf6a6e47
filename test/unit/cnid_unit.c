/*
 * cnid_unit.c
 *		Unit tests of the pure cnid core, run without a server.
 *
 *	gcc -std=c99 -Wall -Wextra -Werror -Isrc -fsanitize=address,undefined \
 *		test/unit/cnid_unit.c src/cnid_core.c -o /tmp/cnid_unit && /tmp/cnid_unit
 *
 * Expected check characters below were not copied from the code under test:
 * the two GB 11643-1999 examples (11010519491231002X, 440524188001010014) are
 * the standard's own, and every other number is built with ref_check(), an
 * independent MOD 11-2 that derives each weight as 2^(17-i) mod 11 instead of
 * reading the table in cnid_core.c.
 */
#include "cnid_core.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int	failures = 0;
static int	checks = 0;

#define CHECK(cond, ...) \
	do { \
		checks++; \
		if (!(cond)) \
		{ \
			failures++; \
			fprintf(stderr, "%s:%d: ", __FILE__, __LINE__); \
			fprintf(stderr, __VA_ARGS__); \
			fputc('\n', stderr); \
		} \
	} while (0)

/* Independent MOD 11-2 over 17 ASCII digits. */
static char
ref_check(const char *body)
{
	int			sum = 0;
	int			i;

	for (i = 0; i < 17; i++)
	{
		int			w = 1;
		int			k;

		for (k = 0; k < 17 - i; k++)
			w = w * 2 % 11;
		sum += (body[i] - '0') * w;
	}
	return "10X98765432"[sum % 11];
}

/* body (17 digits) + its check character into out (19 bytes). */
static void
make(const char *body, char *out)
{
	memcpy(out, body, 17);
	out[17] = ref_check(body);
	out[18] = '\0';
}

typedef struct good_case
{
	const char *input;
	const char *text;			/* canonical form */
	int			y,
				m,
				d;
	char		sex;
	const char *mask;
} good_case;

typedef struct bad_case
{
	const char *input;
	bf_cnid_status st;
	const char *detail;			/* the whole sentence */
} bad_case;

static void
test_standard_examples(void)
{
	CHECK(ref_check("11010519491231002") == 'X', "reference check of GB example 1");
	CHECK(ref_check("44052418800101001") == '4', "reference check of GB example 2");
}

static void
test_good(void)
{
	static const good_case cases[] = {
		{"11010519491231002X", "11010519491231002X", 1949, 12, 31, 'F', "110105********002X"},
		{"11010519491231002x", "11010519491231002X", 1949, 12, 31, 'F', "110105********002X"},
		{"  11010519491231002X\t\n", "11010519491231002X", 1949, 12, 31, 'F', "110105********002X"},
		{"440524188001010014", "440524188001010014", 1880, 1, 1, 'M', "440524********0014"},
		/* legacy: "19" inserted, check computed */
		{"110105491231002", "11010519491231002X", 1949, 12, 31, 'F', "110105********002X"},
		{" 440524800101001 ", NULL, 1980, 1, 1, 'M', NULL},
		{"110105960229123", NULL, 1996, 2, 29, 'M', NULL},
		{NULL, NULL, 0, 0, 0, 0, NULL}
	};
	const good_case *c;

	for (c = cases; c->input != NULL; c++)
	{
		bf_cnid		v = -1;
		char		err[BF_CNID_ERR_SIZE];
		char		buf[BF_CNID_TEXT_SIZE];
		bf_cnid_status st = bf_cnid_parse(c->input, &v, err, sizeof err);
		int			y,
					m,
					d;

		CHECK(st == BF_CNID_OK, "\"%s\" should parse, got %s: %s",
			  c->input, bf_cnid_status_text(st), err);
		if (st != BF_CNID_OK)
			continue;
		CHECK(bf_cnid_format(v, buf, sizeof buf) == 18, "format length");
		if (c->text)
			CHECK(strcmp(buf, c->text) == 0, "\"%s\" printed %s, want %s",
				  c->input, buf, c->text);
		CHECK(buf[17] == ref_check(buf), "\"%s\" check char %c", c->input, buf[17]);
		bf_cnid_birth_date(v, &y, &m, &d);
		CHECK(y == c->y && m == c->m && d == c->d, "\"%s\" birth %d-%d-%d",
			  c->input, y, m, d);
		CHECK(bf_cnid_sex(v) == c->sex, "\"%s\" sex %c", c->input, bf_cnid_sex(v));
		if (c->mask)
		{
			CHECK(bf_cnid_mask(v, buf, sizeof buf) == 18, "mask length");
			CHECK(strcmp(buf, c->mask) == 0, "\"%s\" mask %s, want %s",
				  c->input, buf, c->mask);
		}
	}
}

static void
test_built(void)
{
	/* bodies whose check characters come from ref_check */
	static const char *const bodies[] = {
		"11010520000229001",	/* leap day of a year divisible by 400 */
		"11010518000101000",	/* first supported day */
		"99999921001231999",	/* last supported day, largest region */
		"10000019700101001",	/* smallest region */
		"31011519961129527",
		NULL
	};
	int			i;

	for (i = 0; bodies[i] != NULL; i++)
	{
		char		num[19];
		char		buf[BF_CNID_TEXT_SIZE];
		char		err[BF_CNID_ERR_SIZE];
		bf_cnid		v = -1;
		bf_cnid_status st;

		make(bodies[i], num);
		st = bf_cnid_parse(num, &v, err, sizeof err);
		CHECK(st == BF_CNID_OK, "%s should parse: %s", num, err);
		if (st != BF_CNID_OK)
			continue;
		CHECK(v == strtoll(bodies[i], NULL, 10), "%s value %" PRId64, num, v);
		bf_cnid_format(v, buf, sizeof buf);
		CHECK(strcmp(buf, num) == 0, "%s printed %s", num, buf);
		CHECK(bf_cnid_check_char(v) == num[17], "%s check_char", num);
	}
}

static void
test_bad(void)
{
	static const bad_case cases[] = {
		{"", BF_CNID_EMPTY, "The number is empty; expected 18 characters (or 15 for a legacy number)."},
		{"   \t ", BF_CNID_EMPTY, "The number is empty; expected 18 characters (or 15 for a legacy number)."},
		{"11010519491231002", BF_CNID_LENGTH, "The number has 17 characters; expected 18 (or 15 for a legacy number)."},
		{"11010519491231002X1", BF_CNID_LENGTH, "The number has 19 characters; expected 18 (or 15 for a legacy number)."},
		{"11010519491231002XX", BF_CNID_LENGTH, "The number has 19 characters; expected 18 (or 15 for a legacy number)."},
		{"1101a519491231002X", BF_CNID_CHARACTER, "Character 5 is \"a\"; expected a digit."},
		{"110105 19491231002X", BF_CNID_CHARACTER, "Character 7 is a space; expected a digit."},
		{"110105\t19491231002X", BF_CNID_CHARACTER, "Character 7 is a tab; expected a digit."},
		{"1101051949\0" "0123", BF_CNID_LENGTH, "The number has 10 characters; expected 18 (or 15 for a legacy number)."},
		{"110105\x01", BF_CNID_CHARACTER, "Character 7 is control character 0x01; expected a digit."},
		{"11010\xef\xbc\x95" "19491231002X", BF_CNID_CHARACTER, "Character 6 is a non-ASCII character; expected a digit."},
		{"-11010519491231002", BF_CNID_CHARACTER, "Character 1 is \"-\"; expected a digit."},
		{"\"11010519491231002X\"", BF_CNID_CHARACTER, "Character 1 is a double quote; expected a digit."},
		{"1101051949123100X2", BF_CNID_CHARACTER, "Character 17 is \"X\"; only the last character, the check character, may be X."},
		{"x10105194912310022", BF_CNID_CHARACTER, "Character 1 is \"x\"; only the last character, the check character, may be X."},
		{"11010549123100X", BF_CNID_CHARACTER, "Character 15 is \"X\"; a 15-digit legacy number has no check character, so all 15 are digits."},
		{"01010519491231002X", BF_CNID_REGION, "Region code 010105 starts with 0, which no region code does."},
		{"010105491231002", BF_CNID_REGION, "Region code 010105 starts with 0, which no region code does."},
		{"11010519900230002X", BF_CNID_DATE, "Birth date 19900230 is not a calendar date: February 1990 has 28 days."},
		{"11010519000229002X", BF_CNID_DATE, "Birth date 19000229 is not a calendar date: February 1900 has 28 days."},
		{"11010520230229002X", BF_CNID_DATE, "Birth date 20230229 is not a calendar date: February 2023 has 28 days."},
		{"11010519901301002X", BF_CNID_DATE, "Birth date 19901301 is not a calendar date: there is no month 13."},
		{"11010519900001002X", BF_CNID_DATE, "Birth date 19900001 is not a calendar date: there is no month 00."},
		{"11010519900100002X", BF_CNID_DATE, "Birth date 19900100 is not a calendar date: there is no day 00."},
		{"11010519900431002X", BF_CNID_DATE, "Birth date 19900431 is not a calendar date: April 1990 has 30 days."},
		{"11010517991231002X", BF_CNID_DATE, "Birth date 17991231 is outside the years 1800 to 2100."},
		{"11010521010101002X", BF_CNID_DATE, "Birth date 21010101 is outside the years 1800 to 2100."},
		{"110105000229123", BF_CNID_DATE, "Birth date 19000229 is not a calendar date: February 1900 has 28 days."},
		{"110105491331002", BF_CNID_DATE, "Birth date 19491331 is not a calendar date: there is no month 13."},
		{"110105194912310023", BF_CNID_CHECK, "Check character is 3 but should be X."},
		{"440524188001010015", BF_CNID_CHECK, "Check character is 5 but should be 4."},
		{"44052418800101001x", BF_CNID_CHECK, "Check character is x but should be 4."},
		{NULL, BF_CNID_OK, NULL}
	};
	const bad_case *c;

	for (c = cases; c->input != NULL; c++)
	{
		bf_cnid		v = 12345;
		char		err[BF_CNID_ERR_SIZE];
		bf_cnid_status st = bf_cnid_parse(c->input, &v, err, sizeof err);

		CHECK(st == c->st, "\"%s\" gave %s, want %s (%s)", c->input,
			  bf_cnid_status_text(st), bf_cnid_status_text(c->st), err);
		CHECK(strcmp(err, c->detail) == 0, "\"%s\" said \"%s\", want \"%s\"",
			  c->input, err, c->detail);
		CHECK(v == 12345, "\"%s\" wrote *out on failure", c->input);
	}
}

/* Error text is cut, never overrun, when the buffer is small or absent. */
static void
test_small_buffers(void)
{
	char		small[8];
	bf_cnid		v;
	char		buf[BF_CNID_TEXT_SIZE];

	memset(small, 'Z', sizeof small);
	CHECK(bf_cnid_parse("110105194912310023", &v, small, sizeof small) == BF_CNID_CHECK,
		  "small buffer status");
	CHECK(strcmp(small, "Check c") == 0, "small buffer text \"%s\"", small);
	CHECK(bf_cnid_parse("bad", &v, NULL, 0) == BF_CNID_CHARACTER, "NULL buffer");
	CHECK(bf_cnid_format(BF_CNID_MIN, buf, sizeof buf - 1) == -1, "format short buffer");
	CHECK(bf_cnid_mask(BF_CNID_MIN, buf, sizeof buf - 1) == -1, "mask short buffer");
	CHECK(bf_cnid_format(-1, buf, sizeof buf) == -1, "format of -1");
	CHECK(bf_cnid_format(BF_CNID_MAX + 1, buf, sizeof buf) == -1, "format of 10^17");
	CHECK(bf_cnid_format(BF_CNID_MAX, buf, sizeof buf) == 18 &&
		  strcmp(buf, "999999999999999993") == 0, "format of 10^17 - 1: %s", buf);
}

static void
test_validate(void)
{
	char		err[BF_CNID_ERR_SIZE];

	CHECK(bf_cnid_validate(INT64_C(11010519491231002), err, sizeof err) == BF_CNID_OK,
		  "validate good: %s", err);
	CHECK(bf_cnid_validate(BF_CNID_MIN - 1, err, sizeof err) == BF_CNID_RANGE,
		  "validate 10^16-1");
	CHECK(strcmp(err, "Value 9999999999999999 is not 17 digits with a nonzero first digit.") == 0,
		  "validate text \"%s\"", err);
	CHECK(bf_cnid_validate(BF_CNID_MAX + 1, err, sizeof err) == BF_CNID_RANGE, "validate 10^17");
	CHECK(bf_cnid_validate(-1, err, sizeof err) == BF_CNID_RANGE, "validate -1");
	CHECK(bf_cnid_validate(INT64_MIN, err, sizeof err) == BF_CNID_RANGE, "validate INT64_MIN");
	CHECK(bf_cnid_validate(INT64_MAX, err, sizeof err) == BF_CNID_RANGE, "validate INT64_MAX");
	CHECK(bf_cnid_validate(INT64_C(11010519900230002), err, sizeof err) == BF_CNID_DATE,
		  "validate bad date");
	CHECK(bf_cnid_validate(BF_CNID_MIN, err, sizeof err) == BF_CNID_DATE,
		  "validate 10^16 (year 0000)");
}

/*
 * Every YYYYMMDD from 1700 to 2200 against a count worked by hand: 1800 to
 * 2100 is 301 years, 76 of them divisible by 4, of which 1800, 1900 and 2100
 * are not leap years, so 301 * 365 + 73 = 109938 days.
 */
static void
test_all_dates(void)
{
	int			y,
				m,
				d;
	long		valid = 0;

	for (y = 1700; y <= 2200; y++)
		for (m = 0; m <= 99; m++)
			for (d = 0; d <= 99; d++)
			{
				/* room for any int, so -Wformat-truncation has nothing to say */
				char		body[48];
				char		num[19];
				bf_cnid		v;

				snprintf(body, sizeof body, "110105%04d%02d%02d001", y, m, d);
				make(body, num);
				if (bf_cnid_parse(num, &v, NULL, 0) == BF_CNID_OK)
				{
					int			yy,
								mm,
								dd;

					valid++;
					bf_cnid_birth_date(v, &yy, &mm, &dd);
					if (yy != y || mm != m || dd != d)
						CHECK(0, "%s birth date %d-%d-%d", num, yy, mm, dd);
				}
			}
	CHECK(valid == 109938, "valid dates %ld, want 109938", valid);
}

/*
 * MOD 11-2 catches every single-character substitution and every swap of
 * two adjacent different characters; check that the parser does too, on
 * pseudo-random valid numbers.
 */
static void
test_error_detection(void)
{
	uint64_t	seed = 88172645463325252ULL;
	int			n;

	for (n = 0; n < 2000; n++)
	{
		char		body[18];
		char		num[19];
		char		alt[19];
		bf_cnid		v;
		int			i;
		int			k;

		seed ^= seed << 13;
		seed ^= seed >> 7;
		seed ^= seed << 17;
		snprintf(body, sizeof body, "%06d%04d%02d%02d%03d",
				 (int) (100000 + seed % 900000), (int) (1900 + seed / 7 % 200),
				 (int) (1 + seed / 11 % 12), (int) (1 + seed / 13 % 28),
				 (int) (seed / 17 % 1000));
		make(body, num);
		if (bf_cnid_parse(num, &v, NULL, 0) != BF_CNID_OK)
		{
			CHECK(0, "%s should parse", num);
			continue;
		}
		CHECK(bf_cnid_sex(v) == ((num[16] - '0') % 2 ? 'M' : 'F'), "%s sex", num);

		for (i = 0; i < 18; i++)
			for (k = 0; k < 11; k++)
			{
				char		c = "0123456789X"[k];

				if (c == num[i] || (c == 'X' && i != 17))
					continue;
				memcpy(alt, num, sizeof alt);
				alt[i] = c;
				if (bf_cnid_parse(alt, &v, NULL, 0) == BF_CNID_OK)
					CHECK(0, "%s accepted (from %s)", alt, num);
			}
		for (i = 0; i + 1 < 18; i++)
		{
			if (num[i] == num[i + 1] || num[i + 1] == 'X')
				continue;
			memcpy(alt, num, sizeof alt);
			alt[i] = num[i + 1];
			alt[i + 1] = num[i];
			if (bf_cnid_parse(alt, &v, NULL, 0) == BF_CNID_OK)
				CHECK(0, "%s accepted (swap of %s)", alt, num);
		}
	}
}

int
main(void)
{
	test_standard_examples();
	test_good();
	test_built();
	test_bad();
	test_small_buffers();
	test_validate();
	test_all_dates();
	test_error_detection();
	printf("cnid_unit: %d checks, %d failed\n", checks, failures);
	return failures ? 1 : 0;
}
