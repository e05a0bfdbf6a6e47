/*
 * policy.c
 *		The backend cache of the dated policy store.
 *
 * bangfu.policy holds every figure of the policy, one row per parameter and
 * date from which it applies; bangfu.scenario_value holds what-if overrides.
 * Both are small, so a backend loads them whole, on first use, with one
 * query, and keeps them until an invalidation says they changed:
 *
 *	- a statement trigger on each table (bangfu.policy_changed) sends a
 *	  relcache invalidation for the table, which every backend receives;
 *	- a relcache callback registered here drops the cache when it sees one
 *	  for those tables (or a full reset);
 *	- a backend reads its invalidations only when it takes a lock it does not
 *	  hold yet, or begins a transaction.  A statement that calls a rule on
 *	  constants, or on tables its transaction has locked already, takes no
 *	  new lock, so the executor hook here reads them at the start of every
 *	  query (and of every utility statement, for DO and CALL): a statement
 *	  that begins after a policy change committed sees it (十二);
 *	- the cache is read under a new snapshot in READ COMMITTED (the
 *	  statement's own may predate the commit whose invalidation it just
 *	  read), and under the transaction snapshot in REPEATABLE READ or
 *	  SERIALIZABLE, where it may be older than the newest policy, so it is
 *	  dropped when that transaction ends.
 *
 * Dropped caches are not freed at once: a caller may still hold a pointer
 * into one, so it lives on until the end of the current transaction.
 * See doc/policy.md for what each isolation level sees.
 */
#include "postgres.h"

#include "access/parallel.h"
#include "access/xact.h"
#include "catalog/namespace.h"
#include "commands/trigger.h"
#include "executor/executor.h"
#include "executor/spi.h"
#include "lib/stringinfo.h"
#include "tcop/utility.h"
#include "utils/builtins.h"
#include "utils/datetime.h"
#include "utils/datum.h"
#include "utils/guc.h"
#include "utils/inval.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/rel.h"
#include "utils/snapmgr.h"

#include "policy.h"

static MemoryContext cache_cxt = NULL;
static BfPolicyParam *cache_params = NULL;
static int	cache_nparams = 0;
static char **cache_scenarios = NULL;
static int	cache_nscenarios = 0;
static bool cache_loaded = false;
static bool cache_xact_scoped = false;
uint64		bf_policy_cache_generation = 1;
#define cache_generation bf_policy_cache_generation
static Oid	policy_relid = InvalidOid;
static Oid	scenario_relid = InvalidOid;
static Oid	scenario_value_relid = InvalidOid;

static const char *const load_policy_sql =
"SELECT p.param, p.valid_from, k.kind, p.tiers, p.amount, p.count,"
"       pg_catalog.lower(p.band), pg_catalog.upper(p.band),"
"       pg_catalog.lower_inc(p.band), pg_catalog.upper_inc(p.band), p.band, ''::pg_catalog.text"
"  FROM bangfu.policy p JOIN bangfu.policy_param k ON k.param OPERATOR(pg_catalog.=) p.param"
" UNION ALL "
"SELECT s.param, '-infinity'::pg_catalog.date, k.kind, s.tiers, s.amount, s.count,"
"       pg_catalog.lower(s.band), pg_catalog.upper(s.band),"
"       pg_catalog.lower_inc(s.band), pg_catalog.upper_inc(s.band), s.band, s.scenario"
"  FROM bangfu.scenario_value s JOIN bangfu.policy_param k ON k.param OPERATOR(pg_catalog.=) s.param";

static const char *const load_scenarios_sql = "SELECT name FROM bangfu.scenario";

/* Retire the current cache: it stays readable until the transaction ends. */
static void
cache_drop(void)
{
	cache_generation++;
	cache_loaded = false;
	cache_xact_scoped = false;
	cache_params = NULL;
	cache_nparams = 0;
	cache_scenarios = NULL;
	cache_nscenarios = 0;
	if (cache_cxt != NULL)
	{
		if (IsTransactionState())
			MemoryContextSetParent(cache_cxt, TopTransactionContext);
		else
			MemoryContextDelete(cache_cxt);
		cache_cxt = NULL;
	}
}

static void
relcache_cb(Datum arg, Oid relid)
{
	if (relid == InvalidOid || relid == policy_relid ||
		relid == scenario_relid || relid == scenario_value_relid)
		cache_drop();
}

static void
xact_cb(XactEvent event, void *arg)
{
	if ((event == XACT_EVENT_COMMIT || event == XACT_EVENT_ABORT ||
		 event == XACT_EVENT_PARALLEL_COMMIT || event == XACT_EVENT_PARALLEL_ABORT) &&
		cache_xact_scoped)
		cache_drop();
}

static ExecutorStart_hook_type prev_executor_start = NULL;
static ProcessUtility_hook_type prev_process_utility = NULL;

/*
 * Every query reads the invalidations sent since the last one, so that no
 * statement begins with a policy older than the last commit that changed it.
 * Cheap: an unlocked look at a flag in shared memory when there are none.
 */
static void
executor_start(QueryDesc *queryDesc, int eflags)
{
	AcceptInvalidationMessages();
	if (prev_executor_start)
		prev_executor_start(queryDesc, eflags);
	else
		standard_ExecutorStart(queryDesc, eflags);
}

/* The same for DO and CALL, whose PL/pgSQL may call a rule with no query. */
static void
process_utility(PlannedStmt *pstmt, const char *queryString, bool readOnlyTree,
				ProcessUtilityContext context, ParamListInfo params,
				QueryEnvironment *queryEnv, DestReceiver *dest, QueryCompletion *qc)
{
	if (IsTransactionState())
		AcceptInvalidationMessages();
	if (prev_process_utility)
		prev_process_utility(pstmt, queryString, readOnlyTree, context, params,
							 queryEnv, dest, qc);
	else
		standard_ProcessUtility(pstmt, queryString, readOnlyTree, context, params,
								queryEnv, dest, qc);
}

/*
 * 十二 bangfu.backdate_ack: the acknowledgement of removing a policy version
 * dated before today (there is no row to write it in), read by the trigger
 * bangfu.policy_supersede only when this session set it (pg_settings'
 * source 'session': SET or SET LOCAL, not a database or role default).
 * Declared so that pg_settings describes it; any user may set it, as any
 * user may write a note: what it unlocks is a DELETE only a policy admin
 * may run.
 */
static char *bf_backdate_ack = NULL;

void
bf_policy_init(void)
{
	int			flags = GetConfigOptionFlags("bangfu.backdate_ack", true);

	/* not if another copy of this code in the backend declared it (the fixture module) */
	if (flags == 0 || (flags & GUC_CUSTOM_PLACEHOLDER) != 0)
		DefineCustomStringVariable("bangfu.backdate_ack",
								   gettext_noop("Why, and on whose decision, a policy version dated before today is removed (十二; doc/policy.md); counts only when set in this session."),
								   NULL, &bf_backdate_ack, "", PGC_USERSET, GUC_NOT_IN_SAMPLE,
								   NULL, NULL, NULL);
	CacheRegisterRelcacheCallback(relcache_cb, (Datum) 0);
	RegisterXactCallback(xact_cb, NULL);
	prev_executor_start = ExecutorStart_hook;
	ExecutorStart_hook = executor_start;
	prev_process_utility = ProcessUtility_hook;
	ProcessUtility_hook = process_utility;
}

static int
param_cmp(const void *a, const void *b)
{
	const BfPolicyParam *pa = a;
	const BfPolicyParam *pb = b;
	int			c = strcmp(pa->scenario, pb->scenario);

	return c != 0 ? c : strcmp(pa->name, pb->name);
}

static int
value_cmp(const void *a, const void *b)
{
	DateADT		da = ((const BfPolicyValue *) a)->valid_from;
	DateADT		db = ((const BfPolicyValue *) b)->valid_from;

	return da < db ? -1 : (da > db ? 1 : 0);
}

static int64
band_bound(Datum d, bool isnull, const char *param)
{
	int64		fen;

	if (isnull || bf_datum_to_fen_status(d, &fen) != BF_MONEY_OK)
		ereport(ERROR,
				(errcode(ERRCODE_DATA_CORRUPTED),
				 errmsg("policy parameter \"%s\" has a band that is not two amounts of money", param)));
	return fen;
}

/* Read both tables into a fresh context; returns it, filled. */
static MemoryContext
cache_build(BfPolicyParam **params_out, int *nparams_out,
			char ***scen_out, int *nscen_out)
{
	MemoryContext cxt;
	MemoryContext old;
	Oid			nsp;
	int			save_nestlevel;
	uint64		i;
	BfPolicyParam *params;
	int			nparams = 0;
	char	  **scen;
	BfPolicyValue *vals;
	uint64		nrows;

	nsp = get_namespace_oid("bangfu", true);
	if (!OidIsValid(nsp) ||
		!OidIsValid(policy_relid = get_relname_relid("policy", nsp)) ||
		!OidIsValid(scenario_relid = get_relname_relid("scenario", nsp)) ||
		!OidIsValid(scenario_value_relid = get_relname_relid("scenario_value", nsp)))
		ereport(ERROR,
				(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
				 errmsg("bangfu's policy store is missing"),
				 errhint("Run CREATE EXTENSION bangfu in this database.")));

	cxt = AllocSetContextCreate(TopMemoryContext, "bangfu policy cache",
								ALLOCSET_SMALL_SIZES);

	/*
	 * Which snapshot: in READ COMMITTED a new one, taken after the
	 * invalidations were read, so that it sees every commit they announced
	 * (the statement's own snapshot may be older, and a cache read under it
	 * would outlive the statement).  In REPEATABLE READ and SERIALIZABLE the
	 * transaction's.  A parallel worker reads under the query's snapshot:
	 * its cache dies with the query.
	 */
	if (IsParallelWorker() && ActiveSnapshotSet())
		PushActiveSnapshot(GetActiveSnapshot());
	else
		PushActiveSnapshot(GetTransactionSnapshot());

	/* read with a search_path nobody can plant objects in */
	save_nestlevel = bf_pinned_read_begin();
	nrows = bf_pinned_select(load_policy_sql, "bangfu.policy");

	old = MemoryContextSwitchTo(cxt);
	vals = palloc0(sizeof(BfPolicyValue) * Max(nrows, 1));
	params = palloc0(sizeof(BfPolicyParam) * Max(nrows, 1));
	for (i = 0; i < nrows; i++)
	{
		HeapTuple	tup = SPI_tuptable->vals[i];
		TupleDesc	desc = SPI_tuptable->tupdesc;
		bool		isnull;
		char	   *name = TextDatumGetCString(SPI_getbinval(tup, desc, 1, &isnull));
		char	   *kind = TextDatumGetCString(SPI_getbinval(tup, desc, 3, &isnull));
		char	   *scenario = TextDatumGetCString(SPI_getbinval(tup, desc, 12, &isnull));
		BfPolicyValue *v = &vals[i];
		Datum		d;

		v->valid_from = DatumGetDateADT(SPI_getbinval(tup, desc, 2, &isnull));
		if (strcmp(kind, "tiers") == 0)
		{
			v->kind = BF_KIND_TIERS;
			d = SPI_getbinval(tup, desc, 4, &isnull);
			if (isnull)
				goto missing;
			v->tiers = (bf_tiers *) PG_DETOAST_DATUM_COPY(d);
		}
		else if (strcmp(kind, "amount") == 0)
		{
			v->kind = BF_KIND_AMOUNT;
			d = SPI_getbinval(tup, desc, 5, &isnull);
			if (isnull || bf_datum_to_fen_status(d, &v->amount) != BF_MONEY_OK)
				goto missing;
		}
		else if (strcmp(kind, "count") == 0)
		{
			v->kind = BF_KIND_COUNT;
			d = SPI_getbinval(tup, desc, 6, &isnull);
			if (isnull)
				goto missing;
			v->amount = DatumGetInt32(d);
		}
		else if (strcmp(kind, "band") == 0)
		{
			bool		lo_inc,
						hi_inc;

			v->kind = BF_KIND_BAND;
			v->band_lo = band_bound(SPI_getbinval(tup, desc, 7, &isnull), isnull, name);
			v->band_hi = band_bound(SPI_getbinval(tup, desc, 8, &isnull), isnull, name);
			lo_inc = DatumGetBool(SPI_getbinval(tup, desc, 9, &isnull));
			hi_inc = DatumGetBool(SPI_getbinval(tup, desc, 10, &isnull));
			if (!lo_inc)
				v->band_lo += 1;
			if (!hi_inc)
				v->band_hi -= 1;
			/*
			 * Kept with a 4-byte header: a row's packed copy would make
			 * every reader (upper(), a range operator) unpack it per row.
			 */
			v->band = PointerGetDatum(PG_DETOAST_DATUM_COPY(SPI_getbinval(tup, desc, 11, &isnull)));
		}
		else
			elog(ERROR, "policy parameter \"%s\" has unknown kind \"%s\"", name, kind);

		/* group rows by (scenario, parameter) */
		{
			int			j;
			BfPolicyParam *p = NULL;

			for (j = 0; j < nparams; j++)
				if (strcmp(params[j].name, name) == 0 &&
					strcmp(params[j].scenario, scenario) == 0)
				{
					p = &params[j];
					break;
				}
			if (p == NULL)
			{
				p = &params[nparams++];
				p->name = name;
				p->scenario = scenario;
				p->values = palloc(sizeof(BfPolicyValue) * nrows);
				p->nvalues = 0;
			}
			p->values[p->nvalues++] = *v;
		}
		continue;
missing:
		elog(ERROR, "policy parameter \"%s\" has no value of kind %s", name, kind);
	}
	for (i = 0; i < (uint64) nparams; i++)
		qsort(params[i].values, params[i].nvalues, sizeof(BfPolicyValue), value_cmp);
	qsort(params, nparams, sizeof(BfPolicyParam), param_cmp);
	MemoryContextSwitchTo(old);

	(void) bf_pinned_select(load_scenarios_sql, "bangfu.scenario");
	old = MemoryContextSwitchTo(cxt);
	scen = palloc0(sizeof(char *) * Max(SPI_processed, 1));
	for (i = 0; i < SPI_processed; i++)
	{
		bool		isnull;

		scen[i] = TextDatumGetCString(SPI_getbinval(SPI_tuptable->vals[i],
													SPI_tuptable->tupdesc, 1, &isnull));
	}
	*nscen_out = (int) SPI_processed;
	MemoryContextSwitchTo(old);

	bf_pinned_read_end(save_nestlevel);
	PopActiveSnapshot();

	*params_out = params;
	*nparams_out = nparams;
	*scen_out = scen;
	return cxt;
}

static void
cache_ensure(void)
{
	while (!cache_loaded)
	{
		uint64		gen = cache_generation;
		BfPolicyParam *params;
		int			nparams;
		char	  **scen;
		int			nscen;
		MemoryContext cxt = cache_build(&params, &nparams, &scen, &nscen);

		if (gen != cache_generation)
		{
			/* the store changed while we read it: read it again */
			MemoryContextSetParent(cxt, TopTransactionContext);
			continue;
		}
		cache_cxt = cxt;
		cache_params = params;
		cache_nparams = nparams;
		cache_scenarios = scen;
		cache_nscenarios = nscen;
		cache_xact_scoped = IsolationUsesXactSnapshot();
		cache_loaded = true;
	}
}

static const BfPolicyParam *
cache_find(const char *scenario, const char *name)
{
	BfPolicyParam key;

	key.scenario = (char *) scenario;
	key.name = (char *) name;
	return bsearch(&key, cache_params, cache_nparams, sizeof(BfPolicyParam), param_cmp);
}

void
bf_param_ref_init(BfParamRef *ref, const char *name)
{
	memset(ref, 0, sizeof *ref);
	ref->name = name;
}

bool
bf_scenario_exists(const char *scenario)
{
	int			i;

	cache_ensure();
	for (i = 0; i < cache_nscenarios; i++)
		if (strcmp(cache_scenarios[i], scenario) == 0)
			return true;
	return false;
}

void
bf_scenario_check(const char *scenario)
{
	if (bf_scenario_exists(scenario))
		return;
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("unknown scenario \"%s\"", scenario),
			 errhint("Scenarios are rows of bangfu.scenario.")));
}

/*
 * Reading bangfu's own tables from C (the policy store here, the limit
 * definitions in the limit engine): through SPI, with a search_path nobody
 * can plant objects in (pg_catalog, pg_temp; every name in the queries is
 * schema-qualified), restored afterwards.  Between begin and end, SPI is
 * connected; end disconnects.
 */
int
bf_pinned_read_begin(void)
{
	int			save_nestlevel = NewGUCNestLevel();

	(void) set_config_option("search_path", "pg_catalog, pg_temp",
							 PGC_USERSET, PGC_S_SESSION,
							 GUC_ACTION_SAVE, true, 0, false);
	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	return save_nestlevel;
}

/* A read-only SELECT; its rows are in SPI_tuptable, their count returned. */
uint64
bf_pinned_select(const char *sql, const char *what)
{
	int			ret = SPI_execute(sql, true, 0);

	if (ret != SPI_OK_SELECT)
		elog(ERROR, "reading %s failed: %d", what, ret);
	return SPI_processed;
}

void
bf_pinned_read_end(int save_nestlevel)
{
	SPI_finish();
	AtEOXact_GUC(true, save_nestlevel);
}

/* ISO 8601 whatever the session's DateStyle, for messages and JSON. */
char *
bf_date_cstring(DateADT d)
{
	int			y,
				m,
				dd;

	if (DATE_IS_NOBEGIN(d))
		return pstrdup("-infinity");
	if (DATE_IS_NOEND(d))
		return pstrdup("infinity");
	bf_date_ymd(d, &y, &m, &dd);
	if (y <= 0)
		return psprintf("%04d-%02d-%02d BC", 1 - y, m, dd);
	return psprintf("%04d-%02d-%02d", y, m, dd);
}

static const char *
kind_name(BfPolicyKind kind)
{
	switch (kind)
	{
		case BF_KIND_TIERS:
			return "tiers";
		case BF_KIND_AMOUNT:
			return "amount";
		case BF_KIND_COUNT:
			return "count";
		case BF_KIND_BAND:
			return "band";
	}
	return "?";
}

static void
ref_resolve(BfParamRef *ref, const char *scenario)
{
	cache_ensure();
	ref->official = cache_find("", ref->name);
	if (ref->official == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
				 errmsg("the policy store has no version of \"%s\"", ref->name),
				 errhint("Add one with INSERT INTO bangfu.policy.")));
	ref->param = ref->official;
	strlcpy(ref->scenario, scenario ? scenario : "", sizeof ref->scenario);
	if (scenario != NULL && scenario[0] != '\0')
	{
		const BfPolicyParam *s;

		bf_scenario_check(scenario);
		s = cache_find(scenario, ref->name);
		if (s != NULL)
			ref->param = s;
	}
	ref->last = 0;
	ref->generation = cache_generation;
}

const BfPolicyValue *
bf_policy_get_slow(BfParamRef *ref, const char *scenario, DateADT on_date,
				   BfPolicyKind kind)
{
	const BfPolicyParam *p;
	int			n;
	int			last;
	const BfPolicyValue *v;

	/* the scenario name may be a fresh copy on every row: compare texts */
	if (unlikely(ref->generation != cache_generation || !cache_loaded ||
				 (scenario == NULL ? ref->scenario[0] != '\0'
				  : strcmp(ref->scenario, scenario) != 0)))
		ref_resolve(ref, scenario);

	p = ref->param;
	n = p->nvalues;
	last = ref->last;
	if (likely(p->values[last].valid_from <= on_date &&
			   (last + 1 == n || p->values[last + 1].valid_from > on_date)))
		v = &p->values[last];
	else
	{
		int			lo = 0,
					hi = n - 1,
					found = -1;

		while (lo <= hi)
		{
			int			mid = (lo + hi) / 2;

			if (p->values[mid].valid_from <= on_date)
			{
				found = mid;
				lo = mid + 1;
			}
			else
				hi = mid - 1;
		}
		if (found < 0)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("no version of policy parameter \"%s\" applies on %s",
							ref->name, bf_date_cstring(on_date)),
					 errdetail("Its first version applies from %s.",
							   bf_date_cstring(p->values[0].valid_from))));
		ref->last = found;
		v = &p->values[found];
	}
	if (unlikely(v->kind != kind))
		elog(ERROR, "policy parameter \"%s\" is of kind %c, not %s",
			 ref->name, v->kind, kind_name(kind));
	return v;
}

/* Statement trigger on the store: tell every backend to drop its cache. */
PG_FUNCTION_INFO_V1(bf_policy_changed);
Datum
bf_policy_changed(PG_FUNCTION_ARGS)
{
	TriggerData *trigdata = (TriggerData *) fcinfo->context;

	if (!CALLED_AS_TRIGGER(fcinfo))
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("bangfu.policy_changed() must be called as a trigger")));
	CacheInvalidateRelcacheByRelid(RelationGetRelid(trigdata->tg_relation));
	return PointerGetDatum(NULL);
}
