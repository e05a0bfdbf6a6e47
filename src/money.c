/*
 * money.c
 *		numeric <-> fen without going through numeric arithmetic.
 *
 * The money rules run once per row over millions of rows, so they read and
 * write numeric's stored form directly instead of calling numeric functions
 * that allocate and normalise at every step.  That form is PostgreSQL's
 * on-disk format (kept stable across releases for pg_upgrade): a 16-bit
 * header, then base-10000 digits.  The "short" header (the usual one) packs
 * sign, display scale and weight; the "long" one has a separate 16-bit
 * weight; the special one marks NaN and +/-Infinity.
 */
#include "postgres.h"

#include "fmgr.h"
#include "utils/builtins.h"
#include "utils/numeric.h"

#include "money.h"

/* numeric header bits (see the comment above) */
#define NUM_FLAGBITS_MASK		0xC000
#define NUM_POS					0x0000
#define NUM_NEG					0x4000
#define NUM_SHORT				0x8000
#define NUM_SPECIAL				0xC000
#define NUM_EXT_SIGN_MASK		0xF000
#define NUM_NAN					0xC000
#define NUM_SHORT_SIGN_MASK		0x2000
#define NUM_SHORT_DSCALE_SHIFT	7
#define NUM_SHORT_WEIGHT_SIGN	0x0040
#define NUM_SHORT_WEIGHT_MASK	0x003F

static inline bf_money_status
decode_numeric(Datum d, bool allow_negative, int64 *fen)
{
	struct varlena *v = (struct varlena *) DatumGetPointer(d);
	const char *p;
	Size		len;
	uint16		hdr;
	int16		digits[64];
	int			weight;
	bool		negative;
	Size		hdrlen;
	int			ndigits;

	/* a numeric in a row is short and plain; anything else is detoasted */
	if (unlikely(VARATT_IS_EXTENDED(v) && !VARATT_IS_SHORT(v)))
		v = PG_DETOAST_DATUM_PACKED(d);
	p = VARDATA_ANY(v);
	len = VARSIZE_ANY_EXHDR(v);
	if (len < sizeof(uint16))
		elog(ERROR, "numeric datum is too short");
	memcpy(&hdr, p, sizeof(uint16));
	if ((hdr & NUM_FLAGBITS_MASK) == NUM_SPECIAL)
		return (hdr & NUM_EXT_SIGN_MASK) == NUM_NAN ? BF_MONEY_NAN : BF_MONEY_INFINITE;
	if ((hdr & NUM_FLAGBITS_MASK) == NUM_SHORT)
	{
		negative = (hdr & NUM_SHORT_SIGN_MASK) != 0;
		if (hdr & NUM_SHORT_WEIGHT_SIGN)
			weight = (int) (int16) (hdr | ~NUM_SHORT_WEIGHT_MASK);
		else
			weight = (int) (hdr & NUM_SHORT_WEIGHT_MASK);
		hdrlen = sizeof(uint16);
	}
	else
	{
		int16		w;

		if (len < 2 * sizeof(uint16))
			elog(ERROR, "numeric datum is too short");
		negative = (hdr & NUM_FLAGBITS_MASK) == NUM_NEG;
		memcpy(&w, p + sizeof(uint16), sizeof(int16));
		weight = w;
		hdrlen = 2 * sizeof(uint16);
	}
	ndigits = (int) ((len - hdrlen) / sizeof(int16));

	/*
	 * Anything with more than 64 digits is far beyond the range or has
	 * digits far below the fen; only the leading ones decide which.
	 */
	if (ndigits > 64)
	{
		if (negative && !allow_negative)
			return BF_MONEY_NEGATIVE;
		return weight > 3 ? BF_MONEY_RANGE : BF_MONEY_SUBFEN;
	}
	memcpy(digits, p + hdrlen, ndigits * sizeof(int16));
	if (allow_negative && negative)
	{
		bf_money_status st = bf_digits_to_fen(false, weight, digits, ndigits, fen);

		*fen = -*fen;
		return st;
	}
	return bf_digits_to_fen(negative, weight, digits, ndigits, fen);
}

bf_money_status
bf_datum_to_fen_status(Datum d, int64 *fen)
{
	return decode_numeric(d, false, fen);
}

bf_money_status
bf_datum_to_signed_fen_status(Datum d, int64 *fen)
{
	return decode_numeric(d, true, fen);
}

int64
bf_datum_to_fen(Datum d, const char *argname, const BfRule *rule)
{
	int64		fen = 0;
	bf_money_status st = decode_numeric(d, false, &fen);

	if (likely(st == BF_MONEY_OK))
		return fen;
	{
		char	   *shown = "";

		if (st != BF_MONEY_NAN && st != BF_MONEY_INFINITE)
			shown = psprintf(" %s", DatumGetCString(DirectFunctionCall1(numeric_out, d)));
		ereport(ERROR,
				(errcode(st == BF_MONEY_RANGE ? ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE
						 : ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s%s %s", argname, shown, bf_money_status_text(st)),
				 errdetail("%s (%s) takes amounts in yuan from 0 to %s, to the fen.",
						   rule->function, rule->clause, BF_MAX_YUAN_TEXT),
				 st == BF_MONEY_SUBFEN ? errhint("Round the amount first, e.g. round(%s, 2).", argname) : 0));
	}
	return 0;					/* keep compiler quiet */
}

Datum
bf_fen_to_datum(int64 fen)
{
	int16		digits[8];
	int			weight;
	bool		negative;
	int			n = bf_fen_to_digits(fen, digits, &weight, &negative);
	Size		len = VARHDRSZ + sizeof(uint16) + n * sizeof(int16);
	char	   *res = palloc(len);
	uint16		hdr;

	hdr = NUM_SHORT | (negative ? NUM_SHORT_SIGN_MASK : 0) |
		(2 << NUM_SHORT_DSCALE_SHIFT) |
		(weight < 0 ? NUM_SHORT_WEIGHT_SIGN : 0) |
		(weight & NUM_SHORT_WEIGHT_MASK);
	SET_VARSIZE(res, len);
	memcpy(res + VARHDRSZ, &hdr, sizeof(uint16));
	if (n > 0)
		memcpy(res + VARHDRSZ + sizeof(uint16), digits, n * sizeof(int16));
	return PointerGetDatum(res);
}

char *
bf_fen_cstring(int64 fen)
{
	char	   *buf = palloc(32);

	bf_fen_format2(fen, buf, 32);
	return buf;
}
