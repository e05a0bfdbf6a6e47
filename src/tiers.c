/*
 * tiers.c
 *		bangfu.tiers: input/output, binary form, equality, apply and explain.
 *
 * The parsing and arithmetic live in tiers_core.c; this file only moves
 * values between the server and the core and turns core failures into
 * errors with proper SQLSTATEs.
 */
#include "postgres.h"

#include "fmgr.h"
#include "lib/stringinfo.h"
#include "libpq/pqformat.h"
#include "utils/builtins.h"
#include "utils/json.h"
#include "utils/jsonb.h"

#include "tiers.h"

static const BfRule apply_rule = {"bangfu.apply", BF_N("a bracketed schedule")};

/* Text input: a soft error on PostgreSQL 16+ so pg_input_is_valid works. */
PG_FUNCTION_INFO_V1(tiers_in);
Datum
tiers_in(PG_FUNCTION_ARGS)
{
	char	   *str = PG_GETARG_CSTRING(0);
	bf_tiers   *t = palloc0(BF_TIERS_MAX_SIZE);
	char		err[256];

	if (!bf_tiers_parse(str, t, err, sizeof err))
	{
		BF_INPUT_ERROR(fcinfo->context,
					   (errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
						errmsg("invalid input syntax for type tiers: \"%s\"", str),
						errdetail("%s.", err)));
	}
	SET_VARSIZE(t, BF_TIERS_SIZE(t->nbrackets));
	PG_RETURN_TIERS_P(t);
}

char *
bf_tiers_cstring(const bf_tiers *t)
{
	char	   *buf = palloc(BF_TIERS_TEXT_MAX);

	if (bf_tiers_format(t, buf, BF_TIERS_TEXT_MAX) < 0)
		elog(ERROR, "tiers value too long to print");
	return buf;
}

/* Canonical text output; parsing it gives back the same value. */
PG_FUNCTION_INFO_V1(tiers_out);
Datum
tiers_out(PG_FUNCTION_ARGS)
{
	PG_RETURN_CSTRING(bf_tiers_cstring(PG_GETARG_TIERS_P(0)));
}

/* Binary input: a version byte, then every field; checked like text input. */
PG_FUNCTION_INFO_V1(tiers_recv);
Datum
tiers_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	bf_tiers   *t;
	int			version = pq_getmsgbyte(buf);
	int			n;
	int			i;
	char		err[256];

	if (version != BF_TIERS_VERSION)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("unknown binary format version %d for type tiers", version)));
	n = pq_getmsgint(buf, 4);
	if (n < 1 || n > BF_TIERS_MAX_BRACKETS)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid bracket count %d in binary tiers", n)));
	t = palloc0(BF_TIERS_SIZE(n));
	SET_VARSIZE(t, BF_TIERS_SIZE(n));
	t->version = (uint8) version;
	t->nbrackets = n;
	t->mode = (uint8) pq_getmsgbyte(buf);
	t->cap = pq_getmsgint64(buf);
	t->lcm = pq_getmsgint64(buf);
	for (i = 0; i < n; i++)
	{
		t->b[i].flags = (uint32) pq_getmsgint(buf, 4);
		t->b[i].lo = pq_getmsgint64(buf);
		t->b[i].hi = pq_getmsgint64(buf);
		t->b[i].num = pq_getmsgint64(buf);
		t->b[i].den = pq_getmsgint64(buf);
	}
	if (!bf_tiers_validate(t, err, sizeof err))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid binary tiers value"),
				 errdetail("%s.", err)));
	PG_RETURN_TIERS_P(t);
}

/* Binary output, the mirror of tiers_recv. */
PG_FUNCTION_INFO_V1(tiers_send);
Datum
tiers_send(PG_FUNCTION_ARGS)
{
	bf_tiers   *t = PG_GETARG_TIERS_P(0);
	StringInfoData buf;
	int			i;

	pq_begintypsend(&buf);
	pq_sendbyte(&buf, BF_TIERS_VERSION);
	pq_sendint32(&buf, t->nbrackets);
	pq_sendbyte(&buf, t->mode);
	pq_sendint64(&buf, t->cap);
	pq_sendint64(&buf, t->lcm);
	for (i = 0; i < t->nbrackets; i++)
	{
		pq_sendint32(&buf, t->b[i].flags);
		pq_sendint64(&buf, t->b[i].lo);
		pq_sendint64(&buf, t->b[i].hi);
		pq_sendint64(&buf, t->b[i].num);
		pq_sendint64(&buf, t->b[i].den);
	}
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

/* Canonical form makes equality a byte comparison. */
static bool
tiers_equal(bf_tiers *a, bf_tiers *b)
{
	return VARSIZE(a) == VARSIZE(b) && memcmp(a, b, VARSIZE(a)) == 0;
}

/* Equality, so schedules can be compared and policy rows deduplicated. */
PG_FUNCTION_INFO_V1(tiers_eq);
Datum
tiers_eq(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(tiers_equal(PG_GETARG_TIERS_P(0), PG_GETARG_TIERS_P(1)));
}

/* Inequality, the negator of tiers_eq. */
PG_FUNCTION_INFO_V1(tiers_ne);
Datum
tiers_ne(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(!tiers_equal(PG_GETARG_TIERS_P(0), PG_GETARG_TIERS_P(1)));
}

void
bf_tiers_apply_checked(const bf_tiers *t, int64 fen, bf_apply_result *r,
					   const char *argname, const BfRule *rule)
{
	if (unlikely(!bf_tiers_apply(t, fen, r)))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s %s is outside every bracket of the schedule", argname,
						bf_fen_cstring(fen)),
				 errdetail("%s (%s) uses the schedule \"%s\".", rule->function,
						   bf_rule_clause_msg(rule), bf_tiers_cstring(t))));
}

/* Apply a schedule to an amount: the rounded, capped value to the fen. */
PG_FUNCTION_INFO_V1(tiers_apply);
Datum
tiers_apply(PG_FUNCTION_ARGS)
{
	bf_tiers   *t = PG_GETARG_TIERS_P(0);
	int64		fen = bf_datum_to_fen(PG_GETARG_DATUM(1), "amount", &apply_rule);
	bf_apply_result r;

	bf_tiers_apply_checked(t, fen, &r, "amount", &apply_rule);
	PG_RETURN_DATUM(bf_fen_to_datum(r.value));
}

void
bf_json_str(StringInfo buf, const char *key, const char *val)
{
	if (buf->len > 1)
		appendStringInfoString(buf, ", ");
	escape_json(buf, key);
	appendStringInfoString(buf, ": ");
	if (val)
		escape_json(buf, val);
	else
		appendStringInfoString(buf, "null");
}

void
bf_json_fen(StringInfo buf, const char *key, int64 fen)
{
	char		num[32];

	if (buf->len > 1)
		appendStringInfoString(buf, ", ");
	escape_json(buf, key);
	bf_fen_format2(fen, num, sizeof num);
	appendStringInfo(buf, ": %s", num);
}

Datum
bf_json_finish(StringInfo buf)
{
	appendStringInfoChar(buf, '}');
	return DirectFunctionCall1(jsonb_in, CStringGetDatum(buf->data));
}

void
bf_tiers_explain_members(StringInfo buf, const bf_tiers *t, int64 fen,
						 const bf_apply_result *r)
{
	const bf_bracket *b = &t->b[r->bracket];
	char		txt[64];
	char		exact[96];
	int64		bound,
				below,
				above;

	bf_json_str(buf, "mode", t->mode == BF_MODE_MARGINAL ? "marginal" : "flat");
	bf_json_fen(buf, "amount", fen);
	appendStringInfo(buf, ", \"bracket\": %d", r->bracket + 1);
	bf_bounds_format(b, txt, sizeof txt);
	bf_json_str(buf, "bounds", txt);
	if (b->flags & BF_B_FIXED)
	{
		bf_json_str(buf, "rate", NULL);
		bf_json_fen(buf, "fixed_amount", b->num);
	}
	else
	{
		bf_payout_format(b, txt, sizeof txt);
		bf_json_str(buf, "rate", txt);
	}
	if (bf_exact_format(r->exact_num, r->exact_den, exact, sizeof exact) < 0)
		strlcpy(exact, "?", sizeof exact);
	bf_json_str(buf, "exact", exact);
	bf_json_fen(buf, "rounded", r->uncapped);
	if (t->cap >= 0)
		bf_json_fen(buf, "cap", t->cap);
	else
		bf_json_str(buf, "cap", NULL);
	appendStringInfo(buf, ", \"cap_applied\": %s", r->capped ? "true" : "false");
	bf_json_fen(buf, "value", r->value);
	if (t->mode == BF_MODE_MARGINAL)
	{
		int			i;

		/* each slice and what its own rate makes of it */
		appendStringInfoString(buf, ", \"slices\": [");
		for (i = 0; i <= r->bracket; i++)
		{
			const bf_bracket *sb = &t->b[i];
			int64		top = (sb->flags & BF_B_HI_INF) || fen < sb->hi ? fen : sb->hi;
			int64		slice = top > sb->lo ? top - sb->lo : 0;
			StringInfoData j;

			initStringInfo(&j);
			appendStringInfoChar(&j, '{');
			bf_bounds_format(sb, txt, sizeof txt);
			bf_json_str(&j, "bounds", txt);
			bf_payout_format(sb, txt, sizeof txt);
			bf_json_str(&j, "rate", txt);
			bf_json_fen(&j, "slice", slice);
			if (bf_exact_format((bf_i128) slice * sb->num, sb->den, exact, sizeof exact) < 0)
				strlcpy(exact, "?", sizeof exact);
			bf_json_str(&j, "exact", exact);
			appendStringInfo(buf, "%s%s}", i > 0 ? ", " : "", j.data);
			pfree(j.data);
		}
		appendStringInfoChar(buf, ']');
	}
	if (t->mode == BF_MODE_FLAT && bf_tiers_jump(t, r->bracket, fen, &bound, &below, &above))
	{
		appendStringInfoString(buf, ", \"jump\": {");
		{
			StringInfoData j;

			initStringInfo(&j);
			appendStringInfoChar(&j, '{');
			bf_json_fen(&j, "at", bound);
			bf_json_fen(&j, "below", below);
			bf_json_fen(&j, "above", above);
			bf_json_fen(&j, "change", above - below);
			appendStringInfoString(buf, j.data + 1);
			pfree(j.data);
		}
		appendStringInfoChar(buf, '}');
	}
}

/* How a schedule turns one amount into a value, as jsonb for auditors. */
PG_FUNCTION_INFO_V1(tiers_explain);
Datum
tiers_explain(PG_FUNCTION_ARGS)
{
	bf_tiers   *t = PG_GETARG_TIERS_P(0);
	int64		fen = bf_datum_to_fen(PG_GETARG_DATUM(1), "amount", &apply_rule);
	bf_apply_result r;
	StringInfoData buf;

	bf_tiers_apply_checked(t, fen, &r, "amount", &apply_rule);
	initStringInfo(&buf);
	appendStringInfoChar(&buf, '{');
	bf_json_str(&buf, "schedule", bf_tiers_cstring(t));
	bf_tiers_explain_members(&buf, t, fen, &r);
	PG_RETURN_DATUM(bf_json_finish(&buf));
}

/* The schedule's mode, "flat" or "marginal". */
PG_FUNCTION_INFO_V1(tiers_mode);
Datum
tiers_mode(PG_FUNCTION_ARGS)
{
	bf_tiers   *t = PG_GETARG_TIERS_P(0);

	PG_RETURN_TEXT_P(cstring_to_text(t->mode == BF_MODE_MARGINAL ? "marginal" : "flat"));
}

/* The cap, or NULL when there is none. */
PG_FUNCTION_INFO_V1(tiers_cap);
Datum
tiers_cap(PG_FUNCTION_ARGS)
{
	bf_tiers   *t = PG_GETARG_TIERS_P(0);

	if (t->cap < 0)
		PG_RETURN_NULL();
	PG_RETURN_DATUM(bf_fen_to_datum(t->cap));
}

/* Check a modified copy like the parser would, raising 22023 on failure. */
static bf_tiers *
recheck(bf_tiers *t, const char *what)
{
	char		err[256];

	if (!bf_tiers_validate(t, err, sizeof err))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("cannot %s: %s", what, err)));
	return t;
}

/* The same schedule in another mode: a proposal switches flat to marginal. */
PG_FUNCTION_INFO_V1(tiers_with_mode);
Datum
tiers_with_mode(PG_FUNCTION_ARGS)
{
	bf_tiers   *t = (bf_tiers *) PG_DETOAST_DATUM_COPY(PG_GETARG_DATUM(0));
	char	   *mode = text_to_cstring(PG_GETARG_TEXT_PP(1));

	if (pg_strcasecmp(mode, "flat") == 0)
		t->mode = BF_MODE_FLAT;
	else if (pg_strcasecmp(mode, "marginal") == 0)
		t->mode = BF_MODE_MARGINAL;
	else
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("unknown mode \"%s\"", mode),
				 errhint("The mode is flat or marginal.")));
	PG_RETURN_TIERS_P(recheck(t, bf_("change the mode")));
}

/* The same schedule with another cap (NULL removes it). */
PG_FUNCTION_INFO_V1(tiers_with_cap);
Datum
tiers_with_cap(PG_FUNCTION_ARGS)
{
	static const BfRule rule = {"bangfu.with_cap", BF_N("a bracketed schedule")};
	bf_tiers   *t;

	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	t = (bf_tiers *) PG_DETOAST_DATUM_COPY(PG_GETARG_DATUM(0));

	t->cap = PG_ARGISNULL(1) ? -1 : bf_datum_to_fen(PG_GETARG_DATUM(1), "cap", &rule);
	PG_RETURN_TIERS_P(recheck(t, bf_("change the cap")));
}
