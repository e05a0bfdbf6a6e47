/*
 * limits_sql.c
 *		The limit engine's SQL-callable functions other than the triggers
 *		and the counting of a table: what a subject has used (limit_used),
 *		a limit's cap on a date, the subject of several columns, and the
 *		helpers the SQL of src/limits.sql builds on.
 *
 * They read definitions through limits_def.c and usage through the same
 * books the triggers write (limits_books.c), so a clerk sees what the next
 * booking would be checked against.  See limits_engine.h.
 */
#include "postgres.h"

#include "access/table.h"
#include "access/xlog.h"
#include "catalog/pg_type.h"
#include "commands/extension.h"
#include "miscadmin.h"
#include "utils/acl.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/rel.h"
#include "utils/snapmgr.h"

#include "limits_engine.h"
#include "money.h"

/* A SQL function's limit, resolved once per call site (fn_extra). */
typedef struct CallerLimit
{
	LimitHandle lim;
	bool		resolved;
	char		name[NAMEDATALEN];
} CallerLimit;

static LimitHandle *
caller_limit(FunctionCallInfo fcinfo, text *name_t)
{
	CallerLimit *cl = (CallerLimit *) fcinfo->flinfo->fn_extra;
	char	   *name = text_to_cstring(name_t);

	if (cl == NULL)
		cl = fcinfo->flinfo->fn_extra = MemoryContextAllocZero(fcinfo->flinfo->fn_mcxt, sizeof(CallerLimit));
	if (!cl->resolved || strcmp(cl->name, name) != 0 || !bf_limits_handle_current(&cl->lim))
	{
		bf_limits_handle_resolve(&cl->lim, name);
		strlcpy(cl->name, name, sizeof cl->name);
		cl->resolved = true;
	}
	return &cl->lim;
}

/* An amount of a limit's units as SQL returns it (yuan, or a count). */
static Datum
units_datum(const LimitHandle *h, int64 units)
{
	if (h->unit == 'm')
		return bf_fen_to_datum(units * h->direction);
	return DirectFunctionCall1(int8_numeric, Int64GetDatum(units));
}

/*
 * The period of a limit's subject on a date (0 for a limit without one);
 * a subject with the wrong number of parts for the limit is refused.
 */
static int32
subject_period(const LimitHandle *h, const char *subject, DateADT on_date)
{
	int32		period = 0;
	char	   *parts[BF_MAX_SUBJECT_COLS];

	if (h->yearly)
	{
		if (DATE_NOT_FINITE(on_date))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("on_date must be finite")));
		period = bf_limits_year_of(on_date);
	}
	/*
	 * A subject never seen is one that has used nothing: 0 (the first stay
	 * of a year).  A subject that no row of the limit could have, because it
	 * has the wrong number of parts, is refused instead of read as 0.
	 */
	if (h->subjects >= 0 && !bf_limits_subject_split(subject, h->subjects, parts))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("\"%s\" is not a subject of limit \"%s\", which has %d subject columns",
						subject, h->name, h->subjects),
				 h->subjects == 0 ? errhint("The subject of a whole-table limit is ''.")
				 : errhint("Write a subject of several columns with bangfu.limit_subject(...).")));
	return period;
}

/* What a subject has used in the period of a date, locked for the transaction. */
/*
 * What a subject used of a limit in its books (book; InvalidOid: the common
 * books) as the transaction's snapshot sees the ledger, taking no lock.
 */
static int64
ledger_seen_total(const LimitHandle *h, Oid book, int32 period, const char *subject)
{
	Relation	rel,
				idx;
	Oid			tabs[BF_LIMIT_MAX_TABS];
	int64		used[BF_LIMIT_MAX_TABS];
	ItemPointerData tids[BF_LIMIT_MAX_TABS];
	int64		total = 0;
	int			n,
				i;

	bf_limits_ledger_open(&rel, &idx);
	n = bf_limits_ledger_scan(rel, idx, GetTransactionSnapshot(), h->name, book, period,
							  subject, tabs, used, tids);
	bf_limits_ledger_close(rel, idx);
	for (i = 0; i < n; i++)
		total += used[i];
	return total;
}

PG_FUNCTION_INFO_V1(bf_limit_used);
Datum
bf_limit_used(PG_FUNCTION_ARGS)
{
	LimitHandle *h = caller_limit(fcinfo, PG_GETARG_TEXT_PP(0));
	char	   *subject = text_to_cstring(PG_GETARG_TEXT_PP(1));
	int32		period = subject_period(h, subject, PG_GETARG_DATEADT(2));
	Oid			book;
	bool		may_lock = true;

	/*
	 * What a subject used is what the ledger says (bangfu.usage) or what the
	 * table's rows add up to: the caller must be allowed to read that, and
	 * only then may it hold the subject's lock.
	 */
	{
		Oid			usage = bf_limits_usage_relid();
		Oid			what = PG_NARGS() > 3 ? PG_GETARG_OID(3) : usage;
		AclResult	acl;

		acl = pg_class_aclcheck(what, GetUserId(), ACL_SELECT);
		if (acl != ACLCHECK_OK && !(PG_NARGS() <= 3 && bf_limits_reads_common_books(h->name)))
			aclcheck_error(acl, OBJECT_TABLE, get_rel_name(what));
		if (PG_NARGS() > 3)
		{
			Relation	r = table_open(what, AccessShareLock);
			bool		attached = bf_limits_trigger_of(r, h->name) != NULL;

			table_close(r, AccessShareLock);
			if (!attached)
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						 errmsg("limit \"%s\" is not attached to %s", h->name, get_rel_name(what))));

			/*
			 * The lock is for a transaction about to book against the
			 * subject, which only one that may write rows to the table does.
			 * A reader of an admitted table (the register's finance and
			 * street clerks read its grants) holding the common books' lock
			 * would stop every clerk who books there (40001) for as long as
			 * it kept its transaction open: it reads the ledger unlocked.
			 */
			may_lock = pg_class_aclcheck(what, GetUserId(), ACL_INSERT | ACL_UPDATE) == ACLCHECK_OK ||
				pg_attribute_aclcheck_all(what, GetUserId(), ACL_INSERT | ACL_UPDATE, ACLMASK_ANY) == ACLCHECK_OK;
		}
	}
	/* the common books (the register's and every admitted table's), or a table's */
	book = PG_NARGS() > 3 ? bf_limits_attachment_book(h->name, PG_GETARG_OID(3)) : InvalidOid;

	/*
	 * A hot standby takes no lock (that needs a transaction id) and has no
	 * writer of its own to fear: the ledger as its snapshot sees it.
	 */
	if (RecoveryInProgress() || !may_lock)
		PG_RETURN_DATUM(units_datum(h, ledger_seen_total(h, book, period, subject)));
	PG_RETURN_DATUM(units_datum(h, bf_limits_entry_total(bf_limits_entry_get(h->name, book, period, subject))));
}

/*
 * bangfu.limit_lock(limit_names, subjects, on_date): lock the period of
 * on_date of each subjects[i] of limit limit_names[i] in the common books
 * for the rest of the transaction, all together (bf_limits_lock_keys): a
 * statement that will book against several subjects (a transfer, against
 * two funds) takes their locks first, while it may still wait for others.
 * The caller must be allowed to read each, as for limit_used.  A standby
 * takes no lock.
 */
PG_FUNCTION_INFO_V1(bf_limit_lock);
Datum
bf_limit_lock(PG_FUNCTION_ARGS)
{
	ArrayType  *names_a = PG_GETARG_ARRAYTYPE_P(0);
	ArrayType  *subjects_a = PG_GETARG_ARRAYTYPE_P(1);
	DateADT		on_date = PG_GETARG_DATEADT(2);
	Datum	   *names,
			   *subjects;
	bool	   *names_null,
			   *subjects_null;
	int			n,
				ns;
	char	  **keys,
			  **limit_names,
			  **subject_s;
	int32	   *periods;
	Oid			usage = bf_limits_usage_relid();
	bool		reads_usage = pg_class_aclcheck(usage, GetUserId(), ACL_SELECT) == ACLCHECK_OK;

	deconstruct_array(names_a, TEXTOID, -1, false, TYPALIGN_INT, &names, &names_null, &n);
	deconstruct_array(subjects_a, TEXTOID, -1, false, TYPALIGN_INT, &subjects, &subjects_null, &ns);
	if (n != ns || ARR_NDIM(names_a) > 1 || ARR_NDIM(subjects_a) > 1)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("limit_names and subjects must be one-dimensional arrays of the same length")));
	keys = palloc(Max(n, 1) * sizeof(char *));
	limit_names = palloc(Max(n, 1) * sizeof(char *));
	subject_s = palloc(Max(n, 1) * sizeof(char *));
	periods = palloc(Max(n, 1) * sizeof(int32));
	for (int i = 0; i < n; i++)
	{
		LimitHandle *h;

		if (names_null[i] || subjects_null[i])
			ereport(ERROR,
					(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
					 errmsg("limit_names and subjects must not contain NULL")));
		h = caller_limit(fcinfo, DatumGetTextPP(names[i]));
		limit_names[i] = pstrdup(h->name);
		subject_s[i] = TextDatumGetCString(subjects[i]);
		periods[i] = subject_period(h, subject_s[i], on_date);
		/* only one who may read what a subject used may hold its lock */
		if (!reads_usage && !bf_limits_reads_common_books(h->name))
			aclcheck_error(ACLCHECK_NO_PRIV, OBJECT_TABLE, get_rel_name(usage));
		keys[i] = palloc(BF_LIMIT_KEY_LEN);
		bf_limits_key(keys[i], limit_names[i], InvalidOid, periods[i], subject_s[i]);
	}
	if (!RecoveryInProgress() && n > 0)
		bf_limits_lock_keys(n, keys, limit_names, InvalidOid, subject_s, periods);
	PG_RETURN_VOID();
}

/* The cap of a limit on a date, in yuan or as a count. */
PG_FUNCTION_INFO_V1(bf_limit_cap);
Datum
bf_limit_cap(PG_FUNCTION_ARGS)
{
	LimitHandle *h = caller_limit(fcinfo, PG_GETARG_TEXT_PP(0));
	int64		cap = bf_limits_handle_cap(h, PG_GETARG_DATEADT(1));

	if (h->unit == 'm')
		PG_RETURN_DATUM(bf_fen_to_datum(cap));
	PG_RETURN_DATUM(DirectFunctionCall1(int8_numeric, Int64GetDatum(cap)));
}

/* The cap of a limit on a date in ledger units. */
PG_FUNCTION_INFO_V1(bf_limit_cap_units);
Datum
bf_limit_cap_units(PG_FUNCTION_ARGS)
{
	LimitHandle *h = caller_limit(fcinfo, PG_GETARG_TEXT_PP(0));

	PG_RETURN_INT64(bf_limits_handle_cap(h, PG_GETARG_DATEADT(1)));
}

/* Forget the transaction's books after SQL rewrote the ledger (limit_rebuild). */
PG_FUNCTION_INFO_V1(bf_limit_forget_books);
Datum
bf_limit_forget_books(PG_FUNCTION_ARGS)
{
	bf_limits_forget_entries();
	PG_RETURN_VOID();
}

/* pg_trigger.tgargs as text[], so views can read trigger arguments. */
PG_FUNCTION_INFO_V1(bf_trigger_args);
Datum
bf_trigger_args(PG_FUNCTION_ARGS)
{
	bytea	   *b = PG_GETARG_BYTEA_PP(0);
	int			n = PG_GETARG_INT16(1);
	const char *p = VARDATA_ANY(b);
	const char *end = p + VARSIZE_ANY_EXHDR(b);
	Datum	   *elems = palloc(sizeof(Datum) * Max(n, 1));
	int			i;

	if (n < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("trigger arguments are malformed")));

	for (i = 0; i < n; i++)
	{
		const char *z = memchr(p, '\0', end - p);

		if (z == NULL)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("trigger arguments are malformed")));
		elems[i] = PointerGetDatum(cstring_to_text_with_len(p, z - p));
		p = z + 1;
	}
	PG_RETURN_ARRAYTYPE_P(construct_array(elems, n, TEXTOID, -1, false, TYPALIGN_INT));
}

/* A subject of several columns as the limit triggers write it. */
PG_FUNCTION_INFO_V1(bf_limit_subject);
Datum
bf_limit_subject(PG_FUNCTION_ARGS)
{
	ArrayType  *arr = PG_GETARG_ARRAYTYPE_P(0);
	Datum	   *elems;
	bool	   *nulls;
	int			n,
				i;
	StringInfoData s;

	deconstruct_array(arr, TEXTOID, -1, false, TYPALIGN_INT, &elems, &nulls, &n);
	initStringInfo(&s);
	for (i = 0; i < n; i++)
	{
		if (nulls[i])
			ereport(ERROR,
					(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
					 errmsg("part %d of a limit subject is null", i + 1)));
		bf_limits_subject_append(&s, i, n, TextDatumGetCString(elems[i]));
	}
	PG_RETURN_TEXT_P(cstring_to_text(s.data));
}

PG_FUNCTION_INFO_V1(bf_in_extension_script);

/*
 * Is an extension script running?  A limit the register's own script
 * attaches to its tables comes back with CREATE EXTENSION; one attached by
 * hand must be kept where pg_dump finds it (bangfu.limit_member_attachment).
 */
Datum
bf_in_extension_script(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(creating_extension);
}
