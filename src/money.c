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

#include "access/htup_details.h"
#include "catalog/pg_type.h"
#include "fmgr.h"
#include "mb/pg_wchar.h"
#include "utils/builtins.h"
#include "utils/numeric.h"

#include "money.h"

static inline bf_money_status
decode_numeric(Datum d, bool allow_negative, int64 *fen)
{
	struct varlena *v = (struct varlena *) DatumGetPointer(d);
	bf_numeric_head h;
	int16		digits[64];
	bool		negative;
	int			weight;
	int			ndigits;

	/* a numeric in a row is short and plain; anything else is detoasted */
	if (unlikely(VARATT_IS_EXTENDED(v) && !VARATT_IS_SHORT(v)))
		v = PG_DETOAST_DATUM_PACKED(d);
	if (!bf_numeric_head_decode((const unsigned char *) VARDATA_ANY(v),
								VARSIZE_ANY_EXHDR(v), &h))
		elog(ERROR, "numeric datum is too short");
	if (h.special)
		return h.nan ? BF_MONEY_NAN : BF_MONEY_INFINITE;
	negative = h.negative;
	weight = h.weight;
	ndigits = h.ndigits;

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
	memcpy(digits, VARDATA_ANY(v) + h.hdrlen, ndigits * sizeof(int16));
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
bf_datum_to_fen_slow(Datum d, const char *argname, const BfRule *rule)
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
						   rule->function, bf_rule_clause_msg(rule), BF_MAX_YUAN_TEXT),
				 st == BF_MONEY_SUBFEN ? errhint("Round the amount first, e.g. round(%s, 2).", argname) : 0));
	}
	return 0;					/* keep compiler quiet */
}

/* The clause in the server encoding (UTF8 or EUC_CN, see doc/operations.md). */
const char *
bf_rule_clause(const BfRule *rule)
{
	if (GetDatabaseEncoding() == PG_UTF8)
		return rule->clause;
	return pg_any_to_server(rule->clause, strlen(rule->clause), PG_UTF8);
}

/* The clause as a message shows it (see money.h). */
const char *
bf_rule_clause_msg(const BfRule *rule)
{
	const char *tr = bf_(rule->clause);

	/* gettext returns its argument itself when there is no translation */
	if (tr != rule->clause)
		return tr;
	return bf_rule_clause(rule);
}

Datum
bf_fen_to_datum(int64 fen)
{
	/* room for the quick form's fixed-size copy: header + 4 digits */
	char	   *quick = palloc(VARHDRSZ + 5 * sizeof(uint16));
	size_t		qlen = bf_fen_quick_numeric(fen, (unsigned char *) quick + VARHDRSZ);

	if (likely(qlen > 0))
	{
		SET_VARSIZE(quick, VARHDRSZ + qlen);
		return PointerGetDatum(quick);
	}
	pfree(quick);
	return bf_fen_to_datum_any(fen);
}

/* Any fen, through the general digit split. */
Datum
bf_fen_to_datum_any(int64 fen)
{
	int16		digits[8];
	int			weight;
	bool		negative;
	int			n = bf_fen_to_digits(fen, digits, &weight, &negative);
	Size		len = VARHDRSZ + sizeof(uint16) + n * sizeof(int16);
	char	   *res = palloc(len);
	uint16		hdr;

	hdr = BF_NUM_SHORT | (negative ? BF_NUM_SHORT_SIGN_MASK : 0) |
		(2 << BF_NUM_SHORT_DSCALE_SHIFT) |
		(weight < 0 ? BF_NUM_SHORT_WEIGHT_SIGN : 0) |
		(weight & BF_NUM_SHORT_WEIGHT_MASK);
	SET_VARSIZE(res, len);
	memcpy(res + VARHDRSZ, &hdr, sizeof(uint16));
	if (n > 0)
		memcpy(res + VARHDRSZ + sizeof(uint16), digits, n * sizeof(int16));
	return PointerGetDatum(res);
}

void
bf_fen_record_init(BfFenRecord *r, TupleDesc desc, int n)
{
	Datum		values[BF_FEN_RECORD_MAX];
	bool		nulls[BF_FEN_RECORD_MAX] = {false};
	HeapTuple	t;
	int			i;

	if (desc->natts != n || n > BF_FEN_RECORD_MAX)
		elog(ERROR, "row type %s is not %d numeric fields", format_type_be(desc->tdtypeid), n);
	for (i = 0; i < n; i++)
	{
		Form_pg_attribute a = TupleDescAttr(desc, i);

		if (a->attisdropped || a->atttypid != NUMERICOID || a->attlen != -1 ||
			a->attstorage == TYPSTORAGE_PLAIN)
			elog(ERROR, "row type %s is not %d numeric fields", format_type_be(desc->tdtypeid), n);
		values[i] = bf_fen_to_datum(0);
	}
	/* the header PostgreSQL writes for this row type, whatever its release */
	t = heap_form_tuple(desc, values, nulls);
	memcpy(r->head, t->t_data, SizeofHeapTupleHeader);
	r->hoff = t->t_data->t_hoff;
	r->n = n;
	heap_freetuple(t);
}

Datum
bf_fen_record(const BfFenRecord *r, const int64 *fen)
{
	/* each body: the numeric's header and digits (quick form: up to 10 bytes) */
	unsigned char body[BF_FEN_RECORD_MAX][16];
	size_t		blen[BF_FEN_RECORD_MAX];
	Size		len = r->hoff;
	HeapTupleHeader td;
	char	   *p;
	int			i;

	for (i = 0; i < r->n; i++)
	{
		blen[i] = bf_fen_quick_numeric(fen[i], body[i]);
		if (unlikely(blen[i] == 0))
		{
			struct varlena *v = (struct varlena *) DatumGetPointer(bf_fen_to_datum_any(fen[i]));

			blen[i] = VARSIZE(v) - VARHDRSZ;
			Assert(blen[i] <= sizeof body[i]);
			memcpy(body[i], VARDATA(v), blen[i]);
		}
		/* a short varlena, as heap_form_tuple stores it: no alignment */
		len += VARHDRSZ_SHORT + blen[i];
	}
	td = (HeapTupleHeader) palloc(len);
	memcpy(td, r->head, SizeofHeapTupleHeader);
	if (r->hoff > SizeofHeapTupleHeader)
		memset((char *) td + SizeofHeapTupleHeader, 0, r->hoff - SizeofHeapTupleHeader);
	HeapTupleHeaderSetDatumLength(td, len);
	p = (char *) td + r->hoff;
	for (i = 0; i < r->n; i++)
	{
		SET_VARSIZE_SHORT(p, VARHDRSZ_SHORT + blen[i]);
		memcpy(p + VARHDRSZ_SHORT, body[i], blen[i]);
		p += VARHDRSZ_SHORT + blen[i];
	}
	return PointerGetDatum(td);
}

char *
bf_fen_cstring(int64 fen)
{
	char	   *buf = palloc(32);

	bf_fen_format2(fen, buf, 32);
	return buf;
}
