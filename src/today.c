/*
 * today.c
 *		CURRENT_DATE for the rules' default on_date, read once per transaction.
 *
 * Every rule takes `on_date date DEFAULT CURRENT_DATE`.  The executor
 * evaluates that default for every row: a chain of four calls that turns the
 * transaction's start time into a date in the session's time zone, about a
 * tenth of a rule's whole cost.  The rules' planner support function
 * (bangfu.today_support) replaces a CURRENT_DATE argument by
 * bangfu.today(), which gives the same date from a cache keyed by the
 * transaction's start and the time zone: the same answer, at the cost of a
 * function call.
 */
#include "postgres.h"

#include "access/xact.h"
#include "catalog/pg_type.h"
#include "fmgr.h"
#include "nodes/makefuncs.h"
#include "nodes/nodeFuncs.h"
#include "nodes/supportnodes.h"
#include "parser/parse_func.h"
#include "pgtime.h"
#include "utils/date.h"
#include "utils/lsyscache.h"

/* The date CURRENT_DATE gives, as of the transaction and time zone cached. */
PG_FUNCTION_INFO_V1(bf_today);
Datum
bf_today(PG_FUNCTION_ARGS)
{
	static TimestampTz cached_start = 0;
	static pg_tz *cached_zone = NULL;
	static DateADT cached_date = 0;
	TimestampTz start = GetCurrentTransactionStartTimestamp();

	/* a time zone setting is one pg_tz for the life of the backend */
	if (unlikely(start != cached_start || session_timezone != cached_zone ||
				 cached_zone == NULL))
	{
		cached_date = GetSQLCurrentDate();
		cached_start = start;
		cached_zone = session_timezone;
	}
	PG_RETURN_DATEADT(cached_date);
}

/*
 * Planner support for the rule functions: in a call being simplified, each
 * argument that is CURRENT_DATE becomes bangfu.today() (found next to the
 * rule, in its schema).  Anything else is left as it is.
 */
PG_FUNCTION_INFO_V1(bf_today_support);
Datum
bf_today_support(PG_FUNCTION_ARGS)
{
	Node	   *rawreq = (Node *) PG_GETARG_POINTER(0);
	SupportRequestSimplify *req;
	FuncExpr   *call;
	List	   *args = NIL;
	ListCell   *lc;
	bool		changed = false;
	Oid			today = InvalidOid;

	if (!IsA(rawreq, SupportRequestSimplify))
		PG_RETURN_POINTER(NULL);
	req = (SupportRequestSimplify *) rawreq;
	call = req->fcall;

	foreach(lc, call->args)
	{
		Node	   *arg = (Node *) lfirst(lc);

		if (IsA(arg, SQLValueFunction) &&
			((SQLValueFunction *) arg)->op == SVFOP_CURRENT_DATE)
		{
			if (!OidIsValid(today))
			{
				char	   *nsp = get_namespace_name(get_func_namespace(call->funcid));

				if (nsp == NULL)
					PG_RETURN_POINTER(NULL);
				today = LookupFuncName(list_make2(makeString(nsp), makeString("today")),
									   0, NULL, true);
				if (!OidIsValid(today) || get_func_rettype(today) != DATEOID)
					PG_RETURN_POINTER(NULL);
			}
			arg = (Node *) makeFuncExpr(today, DATEOID, NIL, InvalidOid, InvalidOid,
										COERCE_EXPLICIT_CALL);
			((FuncExpr *) arg)->location = exprLocation((Node *) lfirst(lc));
			changed = true;
		}
		args = lappend(args, arg);
	}
	if (!changed)
		PG_RETURN_POINTER(NULL);
	call = (FuncExpr *) copyObject(call);
	call->args = args;
	PG_RETURN_POINTER(call);
}
