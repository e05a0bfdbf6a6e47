/*
 * today.c
 *		CURRENT_DATE for the rules' default on_date, read once per transaction.
 *
 * Every rule takes `on_date date DEFAULT CURRENT_DATE`.  The executor
 * evaluates that default for every row: a chain of four calls that turns the
 * transaction's start time into a date in the session's time zone, about a
 * tenth of a rule's whole cost.  The rules' planner support function
 * (bangfu.today_support) takes the CURRENT_DATE argument out of the call,
 * and the rule reads the same date from a cache kept for the transaction and
 * the time zone (bf_today_date).
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

#include "today.h"

/*
 * The cache behind bf_today_date() (today.h): the date, and the time zone
 * it was worked out in, for the current transaction only.  Every end of a
 * transaction empties it, so that the check per row is one comparison.
 */
pg_tz	   *bf_today_zone = NULL;
DateADT		bf_today_value = 0;

DateADT
bf_today_date_slow(void)
{
	bf_today_value = GetSQLCurrentDate();
	bf_today_zone = session_timezone;
	return bf_today_value;
}

static void
today_xact_callback(XactEvent event, void *arg)
{
	/* commit, abort, prepare, and their parallel-worker forms */
	bf_today_zone = NULL;
}

void
bf_today_init(void)
{
	RegisterXactCallback(today_xact_callback, NULL);
}

PG_FUNCTION_INFO_V1(bf_today);
Datum
bf_today(PG_FUNCTION_ARGS)
{
	PG_RETURN_DATEADT(bf_today_date());
}

/*
 * Planner support for the rule functions, on a call being simplified (its
 * default arguments already filled in):
 *
 * - CURRENT_DATE as the last argument (on_date, in every rule that declares
 *   it last) is dropped: the call becomes the one the user wrote without it,
 *   and the rule, called with one argument fewer, takes bf_today_date().
 *   That is what the parser itself stores for a call that relies on the
 *   default, and it costs nothing per row.
 * - CURRENT_DATE anywhere else becomes bangfu.today() (found next to the
 *   rule, in its schema).
 *
 * Only functions written for it (those declared with SUPPORT
 * bangfu.today_support in the install script) get it.
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
	int			nargs;

	if (!IsA(rawreq, SupportRequestSimplify))
		PG_RETURN_POINTER(NULL);
	req = (SupportRequestSimplify *) rawreq;
	call = req->fcall;
	nargs = list_length(call->args);

	foreach(lc, call->args)
	{
		Node	   *arg = (Node *) lfirst(lc);

		if (IsA(arg, SQLValueFunction) &&
			((SQLValueFunction *) arg)->op == SVFOP_CURRENT_DATE)
		{
			if (foreach_current_index(lc) == nargs - 1 &&
				nargs == get_func_nargs(call->funcid))
			{
				changed = true;
				continue;		/* the last one: left out */
			}
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
