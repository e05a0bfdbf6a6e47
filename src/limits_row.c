/*
 * limits_row.c
 *		A guarded table as the limit engine reads it: a limit trigger's
 *		configuration (its arguments and the table's columns, cached per
 *		backend) and what one row means to its limit (subject, period,
 *		amount).
 *
 * The row trigger (limits_trigger.c) and the counting of a whole table
 * (limits_recount.c) both read rows through bf_limits_row_use, so that they
 * agree on subjects and periods; limits_sql.c encodes and decodes subjects
 * of several columns the same way.  See limits_engine.h.
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "access/table.h"
#include "catalog/partition.h"
#include "catalog/pg_trigger.h"
#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "nodes/makefuncs.h"
#include "parser/parse_func.h"
#include "utils/builtins.h"
#include "utils/datetime.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/rel.h"
#include "utils/syscache.h"

#include "limits_engine.h"
#include "money.h"

/* A column of a guarded table named in a limit trigger's arguments. */
static int
column_of(Relation rel, const char *name, const char *what, const char *limit)
{
	int			att = SPI_fnumber(RelationGetDescr(rel), name);

	if (att <= 0)
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_COLUMN),
				 errmsg("limit \"%s\" on %s: no %s column \"%s\"", limit,
						RelationGetRelationName(rel), what, name)));
	return att;
}

/*
 * Trigger configurations are kept per backend (not per statement), keyed by
 * trigger and by the table's tuple descriptor, so a guarded single-row
 * INSERT does not look its columns up again every statement.
 */
#define BF_GUARD_CACHE 32
static GuardConfig *guard_cache[BF_GUARD_CACHE];
static int	guard_cache_next = 0;

/* A limit trigger's configuration: from fn_extra, the cache, or built anew. */
GuardConfig *
bf_limits_guard_config(FunctionCallInfo fcinfo, TriggerData *td)
{
	GuardConfig *cfg = (GuardConfig *) fcinfo->flinfo->fn_extra;
	Trigger    *tg = td->tg_trigger;
	Relation	rel = td->tg_relation;
	MemoryContext old;
	int			i;

#define GUARD_VALID(c) ((c) != NULL && (c)->tgoid == tg->tgoid && \
						(c)->tupdesc == RelationGetDescr(rel) && \
						(c)->natts == RelationGetDescr(rel)->natts && \
						bf_limits_handle_current(&(c)->lim))

	if (GUARD_VALID(cfg))
		return cfg;
	for (i = 0; i < BF_GUARD_CACHE; i++)
		if (GUARD_VALID(guard_cache[i]))
		{
			fcinfo->flinfo->fn_extra = guard_cache[i];
			return guard_cache[i];
		}
	old = MemoryContextSwitchTo(TopMemoryContext);
	/*
	 * A fresh one each time (slots are reused round robin): a config that a
	 * running statement still points to is never changed under it.  Only
	 * new triggers, DDL and limit changes build one, so the few bytes an
	 * evicted one keeps are of no account.
	 */
	cfg = palloc0(sizeof(GuardConfig));
	MemoryContextSwitchTo(old);
	bf_limits_config_build(cfg, tg, rel);
	guard_cache[guard_cache_next] = cfg;
	guard_cache_next = (guard_cache_next + 1) % BF_GUARD_CACHE;
	fcinfo->flinfo->fn_extra = cfg;
	return cfg;
}

/*
 * The table whose books a trigger counts in: the table the limit was
 * attached to.  A partition's trigger is a clone of its partitioned table's,
 * so rows go to the same books whether they were routed through the parent
 * or inserted straight into the partition, and are counted once.
 */
static Oid
attachment_root(Relation rel, Trigger *tg)
{
	List	   *ancestors;
	ListCell   *lc;
	Oid			root = RelationGetRelid(rel);

	if (!tg->tgisclone || !rel->rd_rel->relispartition)
		return root;
	ancestors = get_partition_ancestors(RelationGetRelid(rel));
	foreach(lc, ancestors)
	{
		Relation	a = relation_open(lfirst_oid(lc), AccessShareLock);
		bool		found = false,
					clone = false;
		int			i;

		for (i = 0; a->trigdesc && i < a->trigdesc->numtriggers; i++)
			if (strcmp(a->trigdesc->triggers[i].tgname, tg->tgname) == 0)
			{
				found = true;
				clone = a->trigdesc->triggers[i].tgisclone;
				break;
			}
		relation_close(a, AccessShareLock);
		if (!found)
			break;
		root = lfirst_oid(lc);
		if (!clone)
			break;
	}
	return root;
}

/* Read a limit trigger's arguments and the table's columns into cfg. */
void
bf_limits_config_build(GuardConfig *cfg, Trigger *tg, Relation rel)
{
	MemoryContext old;
	int			i;

	if (tg->tgnargs < 4 || tg->tgnargs > 4 + BF_MAX_SUBJECT_COLS)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("bangfu.limit_guard() takes a limit, a mode, an amount column, a date column and up to %d subject columns",
						BF_MAX_SUBJECT_COLS),
				 errhint("Use bangfu.attach_limit() to create the triggers.")));
	cfg->tgoid = tg->tgoid;
	cfg->tupdesc = RelationGetDescr(rel);
	cfg->natts = RelationGetDescr(rel)->natts;
	bf_limits_handle_resolve(&cfg->lim, tg->tgargs[0]);
	cfg->tab = attachment_root(rel, tg);
	cfg->book = bf_limits_attachment_book(cfg->lim.name, cfg->tab);
	if (strcmp(tg->tgargs[1], "clamp") == 0)
		cfg->clamp = true;
	else if (strcmp(tg->tgargs[1], "reject") == 0)
		cfg->clamp = false;
	else
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("unknown limit mode \"%s\": expected clamp or reject", tg->tgargs[1])));
	if (cfg->clamp && cfg->lim.unit == 'r')
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("limit \"%s\" counts rows, which cannot be clamped", cfg->lim.name)));
	cfg->amount_att = 0;
	if (cfg->lim.unit != 'r')
	{
		if (tg->tgargs[2][0] == '\0')
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("limit \"%s\" needs an amount column", cfg->lim.name)));
		cfg->amount_att = column_of(rel, tg->tgargs[2], bf_("amount"), cfg->lim.name);
		cfg->amount_type = TupleDescAttr(RelationGetDescr(rel), cfg->amount_att - 1)->atttypid;
		if (cfg->lim.unit == 'm' ? cfg->amount_type != NUMERICOID
			: (cfg->amount_type != INT2OID && cfg->amount_type != INT4OID && cfg->amount_type != INT8OID))
			ereport(ERROR,
					(errcode(ERRCODE_DATATYPE_MISMATCH),
					 errmsg("limit \"%s\": amount column \"%s\" must be %s", cfg->lim.name, tg->tgargs[2],
							cfg->lim.unit == 'm' ? "numeric" : bf_("an integer"))));
	}
	cfg->date_att = 0;
	if (tg->tgargs[3][0] != '\0')
	{
		cfg->date_att = column_of(rel, tg->tgargs[3], bf_("date"), cfg->lim.name);
		if (TupleDescAttr(RelationGetDescr(rel), cfg->date_att - 1)->atttypid != DATEOID)
			ereport(ERROR,
					(errcode(ERRCODE_DATATYPE_MISMATCH),
					 errmsg("limit \"%s\": date column \"%s\" must be of type date", cfg->lim.name, tg->tgargs[3])));
	}
	else if (cfg->lim.yearly)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("limit \"%s\" is per calendar year and needs a date column", cfg->lim.name)));
	cfg->nsubj = tg->tgnargs - 4;
	if (cfg->nsubj != cfg->lim.subjects && cfg->lim.subjects >= 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("limit \"%s\" takes %d subject columns, not %d", cfg->lim.name,
						cfg->lim.subjects, cfg->nsubj)));
	old = MemoryContextSwitchTo(TopMemoryContext);
	for (i = 0; i < cfg->nsubj; i++)
	{
		Oid			out;
		bool		isvarlena;

		cfg->subj_att[i] = column_of(rel, tg->tgargs[4 + i], bf_("subject"), cfg->lim.name);
		strlcpy(cfg->subj_name[i], tg->tgargs[4 + i], NAMEDATALEN);
		getTypeOutputInfo(TupleDescAttr(RelationGetDescr(rel), cfg->subj_att[i] - 1)->atttypid,
						  &out, &isvarlena);
		fmgr_info_cxt(out, &cfg->subj_out[i], TopMemoryContext);
	}
	MemoryContextSwitchTo(old);
}

/*
 * A subject of several columns is their text forms joined by BF_SUBJECT_SEP,
 * each with a backslash written as two backslashes and the separator as a
 * backslash and "s", so that no two
 * different rows can make the same subject whatever bytes they hold.  A
 * subject of one column is its text form as it is.
 */
#define BF_SUBJECT_SEP '\x1f'

/* Append one column's text form to a subject of several columns. */
static void
subject_escape(StringInfo s, const char *v)
{
	for (; *v; v++)
	{
		if (*v == '\\')
			appendStringInfoString(s, "\\\\");
		else if (*v == BF_SUBJECT_SEP)
			appendStringInfoString(s, "\\s");
		else
			appendStringInfoChar(s, *v);
	}
}

/* Append part i of a subject of n parts, as the limit triggers write it. */
void
bf_limits_subject_append(StringInfo s, int i, int n, const char *v)
{
	if (n == 1)
		appendStringInfoString(s, v);
	else
	{
		if (i > 0)
			appendStringInfoChar(s, BF_SUBJECT_SEP);
		subject_escape(s, v);
	}
}

/*
 * Split an encoded subject of n columns into its parts (decoded, palloc'd);
 * false if it is not one.
 */
bool
bf_limits_subject_split(const char *subject, int n, char **parts)
{
	StringInfoData s;
	int			i = 0;
	const char *p = subject;

	if (n <= 1)
	{
		if (n == 1)
			parts[0] = pstrdup(subject);
		return n == 1 || subject[0] == '\0';
	}
	initStringInfo(&s);
	for (;; p++)
	{
		if (*p == '\0' || *p == BF_SUBJECT_SEP)
		{
			if (i == n)
				return false;
			parts[i++] = pstrdup(s.data);
			resetStringInfo(&s);
			if (*p == '\0')
				break;
		}
		else if (*p == '\\')
		{
			p++;
			if (*p == '\\')
				appendStringInfoChar(&s, '\\');
			else if (*p == 's')
				appendStringInfoChar(&s, BF_SUBJECT_SEP);
			else
				return false;
		}
		else
			appendStringInfoChar(&s, *p);
	}
	return i == n;
}

/*
 * The period of a date for a yearly limit: its year as extract(year ...)
 * gives it, so 1 BC is -1 (j2date counts it 0), the same in the trigger,
 * in limit_actual (check, rebuild) and in limit_used.
 */
int32
bf_limits_year_of(DateADT d)
{
	int			y = bf_date_year(d);	/* dates.h */

	return y > 0 ? y : y - 1;
}

/* Read a row of a guarded table as its limit counts it. */
void
bf_limits_row_use(GuardConfig *cfg, Relation rel, HeapTuple tup, RowUse *u)
{
	TupleDesc	desc = RelationGetDescr(rel);
	bool		isnull;
	StringInfoData s;
	int			i;

	initStringInfo(&s);
	for (i = 0; i < cfg->nsubj; i++)
	{
		Datum		v = heap_getattr(tup, cfg->subj_att[i], desc, &isnull);

		if (isnull)
			ereport(ERROR,
					(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
					 errmsg("limit \"%s\" on %s: subject column \"%s\" is null", cfg->lim.name,
							RelationGetRelationName(rel), NameStr(TupleDescAttr(desc, cfg->subj_att[i] - 1)->attname))));
		bf_limits_subject_append(&s, i, cfg->nsubj, OutputFunctionCall(&cfg->subj_out[i], v));
	}
	u->subject = s.data;

	if (cfg->date_att > 0)
	{
		Datum		v = heap_getattr(tup, cfg->date_att, desc, &isnull);

		if (isnull)
			ereport(ERROR,
					(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
					 errmsg("limit \"%s\" on %s: date column is null", cfg->lim.name, RelationGetRelationName(rel))));
		u->on_date = DatumGetDateADT(v);
		if (DATE_NOT_FINITE(u->on_date))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("limit \"%s\" on %s: the date must be finite", cfg->lim.name, RelationGetRelationName(rel))));
	}
	else
		u->on_date = GetSQLCurrentDate();
	u->period = cfg->lim.yearly ? bf_limits_year_of(u->on_date) : 0;

	if (cfg->amount_att == 0)
		u->raw = 1;
	else
	{
		Datum		v = heap_getattr(tup, cfg->amount_att, desc, &isnull);

		if (isnull)
			ereport(ERROR,
					(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
					 errmsg("limit \"%s\" on %s: amount column is null", cfg->lim.name, RelationGetRelationName(rel))));
		if (cfg->amount_type == NUMERICOID)
		{
			bf_money_status st = cfg->lim.direction < 0
				? bf_datum_to_signed_fen_status(v, &u->raw)
				: bf_datum_to_fen_status(v, &u->raw);

			if (st != BF_MONEY_OK)
				ereport(ERROR,
						(errcode(st == BF_MONEY_RANGE ? ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE : ERRCODE_INVALID_PARAMETER_VALUE),
						 errmsg("limit \"%s\" on %s: amount %s", cfg->lim.name,
								RelationGetRelationName(rel), bf_money_status_text(st))));
		}
		else
		{
			u->raw = cfg->amount_type == INT2OID ? DatumGetInt16(v)
				: (cfg->amount_type == INT4OID ? DatumGetInt32(v) : DatumGetInt64(v));
			if (u->raw < 0 && cfg->lim.direction > 0)
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						 errmsg("limit \"%s\" on %s: amount %lld is negative", cfg->lim.name,
								RelationGetRelationName(rel), (long long) u->raw)));
		}
	}
	u->units = u->raw * cfg->lim.direction;
}

/* "household_id 7", "employer 3, employee 9", or "all of relief_grant" for quotas. */
char *
bf_limits_subject_label(GuardConfig *cfg, Relation rel, const char *subject)
{
	StringInfoData s;
	const char *p = subject;
	int			i;

	char	   *parts[BF_MAX_SUBJECT_COLS];

	if (cfg->nsubj == 0)
		return psprintf(bf_("all of %s"), RelationGetRelationName(rel));
	if (!bf_limits_subject_split(p, cfg->nsubj, parts))
		return pstrdup(p);
	initStringInfo(&s);
	for (i = 0; i < cfg->nsubj; i++)
		appendStringInfo(&s, "%s%s %s", i > 0 ? ", " : "", cfg->subj_name[i], parts[i]);
	return s.data;
}

/* The BEFORE row trigger of a limit on a table, or NULL. */
Trigger *
bf_limits_trigger_of(Relation rel, const char *limit_name)
{
	static Oid	guard_oid = InvalidOid;
	Trigger    *found = NULL;
	int			i;

	if (!OidIsValid(guard_oid) || !SearchSysCacheExists1(PROCOID, ObjectIdGetDatum(guard_oid)))
		guard_oid = LookupFuncName(list_make2(makeString("bangfu"), makeString("limit_guard")),
								   0, NULL, false);
	for (i = 0; rel->trigdesc && i < rel->trigdesc->numtriggers; i++)
	{
		Trigger    *tg = &rel->trigdesc->triggers[i];

		if (tg->tgfoid == guard_oid && TRIGGER_FOR_ROW(tg->tgtype) &&
			TRIGGER_FOR_BEFORE(tg->tgtype) && tg->tgnargs >= 1 &&
			strcmp(tg->tgargs[0], limit_name) == 0)
		{
			if (found)
				ereport(ERROR,
						(errcode(ERRCODE_DUPLICATE_OBJECT),
						 errmsg("limit \"%s\" is attached to %s twice (triggers %s and %s)", limit_name,
								RelationGetRelationName(rel), found->tgname, tg->tgname)));
			found = tg;
		}
	}
	return found;
}
