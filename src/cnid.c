/*
 * cnid.c
 *		Server glue for bangfu.cnid, the Chinese resident identity number.
 *
 * Parsing, checking and printing live in cnid_core.c; this file only moves
 * values between the server and the core.  A value is the 17 digits before
 * the check character as an int64, passed by value (see cnid_core.h).
 */
#include "postgres.h"

#include "common/hashfn.h"
#include "fmgr.h"
#include "libpq/pqformat.h"
#include "utils/builtins.h"
#include "utils/date.h"
#include "utils/datetime.h"
#include "utils/sortsupport.h"

#include "cnid_core.h"
#include "compat.h"

/* The SQL type is declared PASSEDBYVALUE with INTERNALLENGTH = 8. */
#ifndef USE_FLOAT8_BYVAL
#error "bangfu.cnid is passed by value and needs a 64-bit Datum"
#endif

#define DatumGetCnid(X)		((bf_cnid) DatumGetInt64(X))
#define CnidGetDatum(X)		Int64GetDatum(X)
#define PG_GETARG_CNID(n)	DatumGetCnid(PG_GETARG_DATUM(n))
#define PG_RETURN_CNID(x)	return CnidGetDatum(x)

/* Text form: what clerks type and what the recipient lists print. */
PG_FUNCTION_INFO_V1(cnid_in);
Datum
cnid_in(PG_FUNCTION_ARGS)
{
	char	   *str = PG_GETARG_CSTRING(0);
	bf_cnid		v;
	char		why[BF_CNID_ERR_SIZE];

	if (bf_cnid_parse(str, &v, why, sizeof why) != BF_CNID_OK)
		BF_INPUT_ERROR(fcinfo->context,
					   errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
					   errmsg("invalid input syntax for type %s: \"%s\"",
							  "cnid", str),
					   errdetail("%s", why));
	PG_RETURN_CNID(v);
}

/* Always the 18-character form, so a legacy number prints as it is now. */
PG_FUNCTION_INFO_V1(cnid_out);
Datum
cnid_out(PG_FUNCTION_ARGS)
{
	bf_cnid		v = PG_GETARG_CNID(0);
	char	   *buf = palloc(BF_CNID_TEXT_SIZE);

	if (bf_cnid_format(v, buf, BF_CNID_TEXT_SIZE) < 0)
		elog(ERROR, "corrupt cnid value " INT64_FORMAT, v);
	PG_RETURN_CSTRING(buf);
}

/*
 * Binary input (COPY BINARY, drivers): a version byte, then the int64.  The
 * value is checked as the text input would check it, since the bytes come
 * from outside.
 */
PG_FUNCTION_INFO_V1(cnid_recv);
Datum
cnid_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	int			version = pq_getmsgbyte(buf);
	bf_cnid		v;
	char		why[BF_CNID_ERR_SIZE];

	if (version != BF_CNID_VERSION)
		ereport(ERROR,
				errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				errmsg("unsupported binary format version %d for type cnid",
					   version),
				errdetail("This server reads version %d.", BF_CNID_VERSION));
	v = pq_getmsgint64(buf);
	if (bf_cnid_validate(v, why, sizeof why) != BF_CNID_OK)
		ereport(ERROR,
				errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				errmsg("invalid external binary value for type cnid"),
				errdetail("%s", why));
	PG_RETURN_CNID(v);
}

/* Binary output; the version byte lets the layout change later. */
PG_FUNCTION_INFO_V1(cnid_send);
Datum
cnid_send(PG_FUNCTION_ARGS)
{
	bf_cnid		v = PG_GETARG_CNID(0);
	StringInfoData buf;

	pq_begintypsend(&buf);
	pq_sendbyte(&buf, BF_CNID_VERSION);
	pq_sendint64(&buf, v);
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

/* btree support: numbers sort by region, then birth date, then sequence. */
PG_FUNCTION_INFO_V1(cnid_cmp);
Datum
cnid_cmp(PG_FUNCTION_ARGS)
{
	bf_cnid		a = PG_GETARG_CNID(0);
	bf_cnid		b = PG_GETARG_CNID(1);

	PG_RETURN_INT32((a > b) - (a < b));
}

/* Sorting compares the Datums directly instead of calling cnid_cmp. */
PG_FUNCTION_INFO_V1(cnid_sortsupport);
Datum
cnid_sortsupport(PG_FUNCTION_ARGS)
{
	SortSupport ssup = (SortSupport) PG_GETARG_POINTER(0);

	ssup->comparator = ssup_datum_signed_cmp;
	PG_RETURN_VOID();
}

/* The = operator, for unique keys and joins on a person. */
PG_FUNCTION_INFO_V1(cnid_eq);
Datum
cnid_eq(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(PG_GETARG_CNID(0) == PG_GETARG_CNID(1));
}

/* The <> operator, negator of =. */
PG_FUNCTION_INFO_V1(cnid_ne);
Datum
cnid_ne(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(PG_GETARG_CNID(0) != PG_GETARG_CNID(1));
}

/* The < operator, for btree and ORDER BY. */
PG_FUNCTION_INFO_V1(cnid_lt);
Datum
cnid_lt(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(PG_GETARG_CNID(0) < PG_GETARG_CNID(1));
}

/* The <= operator, for btree range scans. */
PG_FUNCTION_INFO_V1(cnid_le);
Datum
cnid_le(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(PG_GETARG_CNID(0) <= PG_GETARG_CNID(1));
}

/* The >= operator, for btree range scans. */
PG_FUNCTION_INFO_V1(cnid_ge);
Datum
cnid_ge(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(PG_GETARG_CNID(0) >= PG_GETARG_CNID(1));
}

/* The > operator, for btree and ORDER BY DESC. */
PG_FUNCTION_INFO_V1(cnid_gt);
Datum
cnid_gt(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(PG_GETARG_CNID(0) > PG_GETARG_CNID(1));
}

/* hash support: hash joins, hash aggregates and hash indexes, as int8 does. */
PG_FUNCTION_INFO_V1(cnid_hash);
Datum
cnid_hash(PG_FUNCTION_ARGS)
{
	return DirectFunctionCall1(hashint8, PG_GETARG_DATUM(0));
}

/* Seeded hash for PARTITION BY HASH, as int8 does. */
PG_FUNCTION_INFO_V1(cnid_hash_extended);
Datum
cnid_hash_extended(PG_FUNCTION_ARGS)
{
	return DirectFunctionCall2(hashint8extended, PG_GETARG_DATUM(0),
							   PG_GETARG_DATUM(1));
}

/* 八(1): age for the hard-to-employ test comes from the birth date. */
PG_FUNCTION_INFO_V1(cnid_birth_date);
Datum
cnid_birth_date(PG_FUNCTION_ARGS)
{
	bf_cnid		v = PG_GETARG_CNID(0);
	int			y,
				m,
				d;

	bf_cnid_birth_date(v, &y, &m, &d);
	PG_RETURN_DATEADT(date2j(y, m, d) - POSTGRES_EPOCH_JDATE);
}

/* 八(1): the hard-to-employ age limits differ for men and women. */
PG_FUNCTION_INFO_V1(cnid_sex);
Datum
cnid_sex(PG_FUNCTION_ARGS)
{
	char		s[2] = {bf_cnid_sex(PG_GETARG_CNID(0)), '\0'};

	PG_RETURN_TEXT_P(cstring_to_text(s));
}

/* 二 公开程序, 阳光操作: published recipient lists show only this. */
PG_FUNCTION_INFO_V1(cnid_mask);
Datum
cnid_mask(PG_FUNCTION_ARGS)
{
	bf_cnid		v = PG_GETARG_CNID(0);
	text	   *t = palloc(VARHDRSZ + BF_CNID_TEXT_SIZE);
	int			n = bf_cnid_mask(v, VARDATA(t), BF_CNID_TEXT_SIZE);

	if (n < 0)
		elog(ERROR, "corrupt cnid value " INT64_FORMAT, v);
	SET_VARSIZE(t, VARHDRSZ + n);
	PG_RETURN_TEXT_P(t);
}
