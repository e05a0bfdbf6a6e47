/*
 * test_util.h
 *		Helpers shared by the unit tests and the fuzzers of the pure cores.
 */
#ifndef BANGFU_TEST_UTIL_H
#define BANGFU_TEST_UTIL_H

#include <stdbool.h>

/* Is s (NUL-terminated) structurally valid UTF-8, every sequence complete? */
static inline bool
utf8_ok(const char *s)
{
	const unsigned char *p = (const unsigned char *) s;

	while (*p)
	{
		int			n = *p < 0x80 ? 1 : (*p & 0xE0) == 0xC0 ? 2 : (*p & 0xF0) == 0xE0 ? 3 :
			(*p & 0xF8) == 0xF0 ? 4 : 0;
		int			k;

		if (n == 0)
			return false;
		for (k = 1; k < n; k++)
			if ((p[k] & 0xC0) != 0x80)
				return false;
		p += n;
	}
	return true;
}

#endif							/* BANGFU_TEST_UTIL_H */
