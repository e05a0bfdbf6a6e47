/*
 * fuzz_cnid.c
 *		libFuzzer harness for the cnid parser.
 *
 *	clang -g -O1 -Isrc -fsanitize=fuzzer,address,undefined \
 *		-o test/unit/fuzz_cnid test/unit/fuzz_cnid.c src/cnid_core.c
 *	test/unit/fuzz_cnid -max_total_time=30 test/unit/corpus_cnid test/unit/seeds_cnid
 *
 * Whatever the bytes, the parser must return without touching memory it does
 * not own and leave a sentence on failure.  Whatever it accepts must print as
 * 18 characters that parse back to the same value, print the same text it
 * read (upper-cased, or widened from a legacy number), and pass the
 * validation that binary receive uses.
 */
#include "cnid_core.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void
fail(const char *what, const char *input)
{
	fprintf(stderr, "fuzz_cnid: %s for input \"%s\"\n", what, input);
	abort();
}

static bool
is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' ||
		c == '\v' || c == '\f';
}

int			LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char	   *str = malloc(size + 1);
	char		err[BF_CNID_ERR_SIZE];
	char		text[BF_CNID_TEXT_SIZE];
	char		mask[BF_CNID_TEXT_SIZE];
	char		err2[BF_CNID_ERR_SIZE];
	bf_cnid		v;
	bf_cnid		v2;
	bf_cnid_status st;
	const char *s;
	size_t		n;
	int			y,
				m,
				d,
				i,
				ymd;

	if (str == NULL)
		return 0;
	memcpy(str, data, size);
	str[size] = '\0';

	memset(err, 'Z', sizeof err);
	st = bf_cnid_parse(str, &v, err, sizeof err);
	if (memchr(err, '\0', sizeof err) == NULL)
		fail("error buffer not terminated", str);
	if (st != BF_CNID_OK)
	{
		if (err[0] == '\0')
			fail("failure without a sentence", str);
		free(str);
		return 0;
	}
	if (err[0] != '\0')
		fail("success with a sentence", str);

	if (bf_cnid_format(v, text, sizeof text) != BF_CNID_LEN || strlen(text) != BF_CNID_LEN)
		fail("format did not give 18 characters", str);
	st = bf_cnid_parse(text, &v2, err2, sizeof err2);
	if (st != BF_CNID_OK)
		fail("formatted text did not parse back", str);
	if (v2 != v)
		fail("round trip changed the value", str);
	if (bf_cnid_validate(v, err2, sizeof err2) != BF_CNID_OK)
		fail("parsed value fails validation", str);

	/* the text is the input, trimmed, upper-cased, widened if legacy */
	s = str;
	while (is_space(*s))
		s++;
	n = strlen(s);
	while (n > 0 && is_space(s[n - 1]))
		n--;
	if (n == BF_CNID_LEN)
	{
		if (memcmp(text, s, 17) != 0 ||
			text[17] != (s[17] == 'x' ? 'X' : s[17]))
			fail("text differs from input", str);
	}
	else if (n == BF_CNID_LEGACY_LEN)
	{
		if (memcmp(text, s, 6) != 0 || memcmp(text + 6, "19", 2) != 0 ||
			memcmp(text + 8, s + 6, 9) != 0)
			fail("text differs from widened legacy input", str);
	}
	else
		fail("accepted a length other than 18 or 15", str);

	if (bf_cnid_mask(v, mask, sizeof mask) != BF_CNID_LEN ||
		memcmp(mask, text, 6) != 0 || memcmp(mask + 14, text + 14, 4) != 0 ||
		strspn(mask + 6, "*") != 8)
		fail("mask is not region, eight stars, last four", str);

	bf_cnid_birth_date(v, &y, &m, &d);
	ymd = 0;
	for (i = 6; i < 14; i++)
		ymd = ymd * 10 + (text[i] - '0');
	if (y < BF_CNID_MIN_YEAR || y > BF_CNID_MAX_YEAR || m < 1 || m > 12 ||
		d < 1 || d > 31 || y * 10000 + m * 100 + d != ymd)
		fail("birth date out of range or not digits 7-14", str);
	if (bf_cnid_sex(v) != ((text[16] - '0') % 2 ? 'M' : 'F'))
		fail("sex is not the parity of digit 17", str);
	if (bf_cnid_check_char(v) != text[17])
		fail("check_char differs from the printed one", str);

	free(str);
	return 0;
}
