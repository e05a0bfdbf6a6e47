/*
 * cnid_core.h
 *		Chinese resident identity numbers (GB 11643-1999) for bangfu.cnid:
 *		parsing, checking and printing, free of any server header.
 *
 * A number has 18 characters:
 *
 *		110105 19491231 002 X
 *		region birth    seq check
 *
 * six digits of region code (never starting with 0), the birth date as
 * YYYYMMDD, a three-digit sequence whose last digit is odd for a man and
 * even for a woman, and a check character over the first 17 digits by
 * ISO 7064 MOD 11-2 ('0'-'9' or 'X').  A legacy 15-digit number (before
 * 1999) has a two-digit year of the 1900s and no check character; it is
 * widened to 18 by inserting "19" before the year and computing the check.
 *
 * The check character follows from the other 17 digits, so a number is held
 * as those 17 digits read as one integer: 10^16 <= value < 10^17.  Ordering
 * the integers orders numbers by region, then birth date, then sequence.
 */
#ifndef BANGFU_CNID_CORE_H
#define BANGFU_CNID_CORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The 17 digits before the check character, as one integer. */
typedef int64_t bf_cnid;

#define BF_CNID_VERSION		1	/* first byte of the binary format */
#define BF_CNID_LEN			18	/* characters in a number */
#define BF_CNID_LEGACY_LEN	15	/* characters in a legacy number */
#define BF_CNID_TEXT_SIZE	(BF_CNID_LEN + 1)	/* buffer for text + NUL */
#define BF_CNID_ERR_SIZE	160 /* buffer for any error sentence */

#define BF_CNID_MIN			INT64_C(10000000000000000)	/* 10^16 */
#define BF_CNID_MAX			INT64_C(99999999999999999)	/* 10^17 - 1 */

/* Birth years accepted (a number's year, not a check on today's date). */
#define BF_CNID_MIN_YEAR	1800
#define BF_CNID_MAX_YEAR	2100

/* Which check a literal or a stored value failed. */
typedef enum bf_cnid_status
{
	BF_CNID_OK = 0,
	BF_CNID_EMPTY,				/* nothing but white space */
	BF_CNID_CHARACTER,			/* a character that cannot be there */
	BF_CNID_LENGTH,				/* neither 18 nor 15 characters */
	BF_CNID_REGION,				/* region code starts with 0 */
	BF_CNID_DATE,				/* birth date not a calendar date, or year out
								 * of range */
	BF_CNID_CHECK,				/* check character does not match */
	BF_CNID_RANGE				/* stored value not 17 digits */
} bf_cnid_status;

/*
 * Parse a literal: 18 characters, or 15 digits of a legacy number, with any
 * white space around them ignored; the check character may be 'x'.  On
 * success *out gets the value.  On failure, errbuf (BF_CNID_ERR_SIZE is
 * enough) gets one sentence saying which check failed and where.
 */
extern bf_cnid_status bf_cnid_parse(const char *str, bf_cnid *out,
									char *errbuf, size_t errlen);

/*
 * Check a value not made by the parser (binary receive) against every rule
 * the parser enforces: 17 digits, region code, birth date.
 */
extern bf_cnid_status bf_cnid_validate(bf_cnid v, char *errbuf, size_t errlen);

/* The check character of a valid value: '0'-'9' or 'X'. */
extern char bf_cnid_check_char(bf_cnid v);

/*
 * The 18-character text, check character included.  Returns 18, or -1 if
 * buf has fewer than BF_CNID_TEXT_SIZE bytes or v is not 17 digits.
 */
extern int	bf_cnid_format(bf_cnid v, char *buf, size_t len);

/*
 * The text with everything but the region code (first 6) and the last 4
 * characters replaced by '*': "110105********002X".  Same returns.
 */
extern int	bf_cnid_mask(bf_cnid v, char *buf, size_t len);

/* The birth date of a valid value. */
extern void bf_cnid_birth_date(bf_cnid v, int *year, int *month, int *day);

/* 'M' when the 17th digit is odd, 'F' when it is even. */
extern char bf_cnid_sex(bf_cnid v);

/* Text of a status for messages ("check character"). */
extern const char *bf_cnid_status_text(bf_cnid_status st);

#endif							/* BANGFU_CNID_CORE_H */
