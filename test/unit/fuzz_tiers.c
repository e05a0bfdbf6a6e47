/*
 * fuzz_tiers.c
 *		libFuzzer harness for the tiers core: parse, validate, print, apply.
 *
 * Each input is tried two ways:
 *
 * 1. As text (what tiers_in gets).  A literal that parses must validate,
 *    print, and parse back to the same bytes; applying it at every bound and
 *    one fen either side must keep every promise bf_tiers_apply makes.  A few
 *    single-bit corruptions of the parsed value are then shown to
 *    bf_tiers_validate, which may accept only values that print and parse
 *    back to themselves.  A literal that fails must leave a message, and
 *    valid UTF-8 in must give valid UTF-8 out.
 *
 * 2. As raw bytes laid out as a bf_tiers (what binary receive will check):
 *    bf_tiers_validate must refuse a bad bracket count without reading any
 *    bracket, and anything it accepts must survive the same checks as 1.
 *
 * Any broken promise aborts, so libFuzzer records the input.
 *
 *		make fuzz FUZZ_SECONDS=120
 */
#include "test_util.h"
#include "tiers_core.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define REQUIRE(cond, ...) \
	do { \
		if (!(cond)) \
		{ \
			fprintf(stderr, "fuzz_tiers: broken promise: " __VA_ARGS__); \
			fputc('\n', stderr); \
			abort(); \
		} \
	} while (0)

/* Amounts worth applying a schedule at: the ends, every bound and a fen either side. */
static int
amounts_of(const bf_tiers *t, int64_t *out)
{
	int			n = 0;
	int			i;

	out[n++] = 0;
	out[n++] = 1;
	out[n++] = BF_MAX_FEN - 1;
	out[n++] = BF_MAX_FEN;
	for (i = 0; i < t->nbrackets; i++)
	{
		const bf_bracket *b = &t->b[i];
		int64_t		d;

		for (d = -1; d <= 1; d++)
		{
			if (!(b->flags & BF_B_LO_INF) && b->lo + d >= 0 && b->lo + d <= BF_MAX_FEN)
				out[n++] = b->lo + d;
			if (!(b->flags & BF_B_HI_INF) && b->hi + d >= 0 && b->hi + d <= BF_MAX_FEN)
				out[n++] = b->hi + d;
		}
	}
	return n;
}

/* Apply at one amount and check what bf_tiers_apply promises. */
static bool
apply_checked(const bf_tiers *t, int64_t fen, bf_apply_result *r)
{
	int			i;
	int			holders = 0;
	char		text[128];

	for (i = 0; i < t->nbrackets; i++)
		if (bf_bracket_contains(&t->b[i], fen))
			holders++;
	/* brackets neither overlap nor leave a gap inside the range they cover */
	REQUIRE(holders <= 1, "%lld fen is in %d brackets", (long long) fen, holders);

	if (!bf_tiers_apply(t, fen, r))
	{
		REQUIRE(holders == 0, "apply refused %lld fen, which a bracket holds", (long long) fen);
		return false;
	}
	REQUIRE(holders == 1, "apply took %lld fen, which no bracket holds", (long long) fen);
	REQUIRE(r->bracket >= 0 && r->bracket < t->nbrackets, "bracket index %d", r->bracket);
	REQUIRE(bf_bracket_contains(&t->b[r->bracket], fen), "wrong bracket for %lld", (long long) fen);
	REQUIRE(r->exact_den > 0, "exact_den %lld", (long long) r->exact_den);
	REQUIRE(r->exact_num >= 0, "negative exact value at %lld fen", (long long) fen);
	REQUIRE(r->uncapped == bf_round_half_away(r->exact_num, r->exact_den),
			"uncapped is not the exact value rounded");
	REQUIRE(r->uncapped >= 0, "negative result");
	if (t->mode == BF_MODE_MARGINAL || !(t->b[r->bracket].flags & BF_B_FIXED))
		REQUIRE(r->uncapped <= fen, "rates are at most 100%%, yet %lld fen gave %lld",
				(long long) fen, (long long) r->uncapped);
	else
		REQUIRE(r->uncapped == t->b[r->bracket].num && r->exact_den == 1,
				"a fixed amount was not paid as written");
	if (t->cap >= 0)
	{
		REQUIRE(r->value <= t->cap, "value %lld over cap %lld",
				(long long) r->value, (long long) t->cap);
		REQUIRE(r->capped == (r->uncapped > t->cap), "capped bit wrong");
	}
	else
		REQUIRE(!r->capped, "capped without a cap");
	REQUIRE(r->value == (r->capped ? t->cap : r->uncapped), "value is neither result nor cap");
	REQUIRE(bf_exact_format(r->exact_num, r->exact_den, text, sizeof text) > 0,
			"exact value does not print");
	return true;
}

/* Everything a valid schedule must do. */
static void
check_valid(const bf_tiers *t)
{
	static char text[BF_TIERS_TEXT_MAX];
	static char err[512];
	bf_tiers   *again = malloc(BF_TIERS_MAX_SIZE);
	bf_tiers   *copy = malloc(BF_TIERS_MAX_SIZE);
	size_t		size = BF_TIERS_SIZE(t->nbrackets);
	int64_t		amounts[4 + 6 * BF_TIERS_MAX_BRACKETS];
	int			na;
	int			i;
	int			len;

	if (again == NULL || copy == NULL)
		abort();

	/* print, parse back, same bytes (vl_len_ is the server's) */
	len = bf_tiers_format(t, text, sizeof text);
	REQUIRE(len > 0 && (size_t) len < sizeof text && strlen(text) == (size_t) len,
			"a valid schedule does not print");
	REQUIRE(bf_tiers_parse(text, again, err, sizeof err),
			"printed text does not parse: \"%s\": %s", text, err);
	memcpy(copy, t, size);
	copy->vl_len_ = 0;
	REQUIRE(again->nbrackets == t->nbrackets && memcmp(again, copy, size) == 0,
			"\"%s\" does not parse back to the same bytes", text);
	REQUIRE(bf_tiers_validate(again, err, sizeof err), "reparsed value invalid: %s", err);

	/* apply at every bound and a fen either side */
	na = amounts_of(t, amounts);
	for (i = 0; i < na; i++)
	{
		bf_apply_result r;
		bf_apply_result r2;
		int64_t		fen = amounts[i];

		if (!apply_checked(t, fen, &r))
			continue;
		/* marginal: paying more never gives less */
		if (t->mode == BF_MODE_MARGINAL && fen < BF_MAX_FEN && apply_checked(t, fen + 1, &r2))
			REQUIRE(r2.uncapped >= r.uncapped, "marginal result fell from %lld to %lld fen",
					(long long) fen, (long long) fen + 1);
		/* flat: the notch lies on a bound of the bracket, one fen wide */
		if (t->mode == BF_MODE_FLAT)
		{
			int64_t		bound,
						below,
						above;

			if (bf_tiers_jump(t, r.bracket, fen, &bound, &below, &above))
			{
				const bf_bracket *b = &t->b[r.bracket];
				bool		matched = false;
				int64_t		at;

				REQUIRE((!(b->flags & BF_B_LO_INF) && bound == b->lo) ||
						(!(b->flags & BF_B_HI_INF) && bound == b->hi),
						"jump bound %lld is not a bound of bracket %d", (long long) bound, r.bracket);

				/*
				 * The two amounts are one fen apart, in different brackets,
				 * on either side of the bound: (bound - 1, bound) or (bound,
				 * bound + 1).  Which one depends on the side the bound
				 * belongs to, and a one-point bracket [x,x] has x on both of
				 * its sides, so accept either pair that matches.
				 */
				for (at = bound - 1; at <= bound && !matched; at++)
				{
					bf_apply_result lo,
								hi;

					if (at < 0 || at >= BF_MAX_FEN)
						continue;
					if (apply_checked(t, at, &lo) && apply_checked(t, at + 1, &hi) &&
						lo.bracket != hi.bracket && lo.value == below && hi.value == above)
						matched = true;
				}
				REQUIRE(matched, "jump at %lld fen (%lld -> %lld) matches no pair of amounts",
						(long long) bound, (long long) below, (long long) above);
			}
		}
	}
	free(copy);
	free(again);
}

/* Show validate a few one-bit corruptions of a valid value. */
static void
flip_some(const bf_tiers *t, const uint8_t *data, size_t size)
{
	size_t		tsize = BF_TIERS_SIZE(t->nbrackets);
	size_t		span = tsize - offsetof(bf_tiers, version);
	uint64_t	h = 1469598103934665603u;	/* FNV-1a of the input picks the bits */
	bf_tiers   *buf = malloc(BF_TIERS_MAX_SIZE);
	char		err[512];
	size_t		i;
	int			k;

	if (buf == NULL)
		abort();
	for (i = 0; i < size; i++)
		h = (h ^ data[i]) * 1099511628211u;
	for (k = 0; k < 8; k++)
	{
		size_t		bit;

		h = h * 6364136223846793005u + 1442695040888963407u;
		bit = (size_t) (h >> 20) % (span * 8);
		/* zeros after the value: a grown nbrackets reads rate 0/0, not past the end */
		memset(buf, 0, BF_TIERS_MAX_SIZE);
		memcpy(buf, t, tsize);
		((unsigned char *) buf)[offsetof(bf_tiers, version) + bit / 8] ^= (unsigned char) (1u << (bit % 8));
		if (bf_tiers_validate(buf, err, sizeof err))
			check_valid(buf);
		else
			REQUIRE(err[0] != '\0', "validate refused without a message");
	}
	free(buf);
}

/* Raw bytes as a bf_tiers, as binary receive will hand them to validate. */
static void
raw(const uint8_t *data, size_t size)
{
	bf_tiers	head;
	bf_tiers   *t;
	char		err[512];
	size_t		need;

	if (size < offsetof(bf_tiers, b))
		return;
	memcpy(&head, data, offsetof(bf_tiers, b));
	if (head.nbrackets < 1 || head.nbrackets > BF_TIERS_MAX_BRACKETS)
	{
		/* only the header exists: validate must refuse before reading a bracket */
		t = malloc(offsetof(bf_tiers, b));
		if (t == NULL)
			abort();
		memcpy(t, data, offsetof(bf_tiers, b));
		REQUIRE(!bf_tiers_validate(t, err, sizeof err), "accepted %d brackets", head.nbrackets);
		free(t);
		return;
	}
	need = BF_TIERS_SIZE(head.nbrackets);
	if (size < need)
		return;
	t = malloc(need);			/* exactly: ASan sees any read past it */
	if (t == NULL)
		abort();
	memcpy(t, data, need);
	if (bf_tiers_validate(t, err, sizeof err))
		check_valid(t);
	else
		REQUIRE(err[0] != '\0', "validate refused without a message");
	free(t);
}

/*
 * UBSan reports and carries on by default; under the fuzzer any undefined
 * behaviour (signed overflow, bad shift) must stop the run like a crash.
 */
const char *__ubsan_default_options(void);

const char *
__ubsan_default_options(void)
{
	return "halt_on_error=1:print_stacktrace=1";
}

int			LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char	   *str = malloc(size + 1);
	bf_tiers   *t = malloc(BF_TIERS_MAX_SIZE);
	char		err[512];

	if (str == NULL || t == NULL)
		abort();
	memcpy(str, data, size);
	str[size] = '\0';

	err[0] = '\0';
	if (bf_tiers_parse(str, t, err, sizeof err))
	{
		REQUIRE(bf_tiers_validate(t, err, sizeof err),
				"parsed value fails validation: %s", err);
		check_valid(t);
		flip_some(t, data, size);
	}
	else
	{
		REQUIRE(err[0] != '\0' && strlen(err) < sizeof err, "refused without a message");
		if (utf8_ok(str))
			REQUIRE(utf8_ok(err), "valid UTF-8 in, invalid UTF-8 in the message: %s", err);
	}
	free(t);
	free(str);

	raw(data, size);
	return 0;
}
