/*
 * compat.h
 *		Everything that differs between the PostgreSQL major versions bangfu
 *		builds on, in one place, so the rest of the code reads as if there
 *		were one server version.
 *
 * Tested: 15 (Debian 12) and 17 (Debian 13), both by the test command.
 * 16 is covered by reading its release notes and headers: no Debian release
 * ships it, so it is built by nobody here; each guard below names the
 * release that made the change.
 */
#ifndef BANGFU_COMPAT_H
#define BANGFU_COMPAT_H

#include "postgres.h"

#include "access/heapam.h"
#include "storage/lock.h"

#if PG_VERSION_NUM < 150000
#error "bangfu needs PostgreSQL 15 or later"
#endif

/*
 * 16: the varlena macros (VARATT_IS_SHORT, VARDATA_ANY, VARSIZE_ANY_EXHDR,
 * SET_VARSIZE ...) moved out of postgres.h into varatt.h.
 */
#if PG_VERSION_NUM >= 160000
#include "varatt.h"
#endif

/*
 * 17: backend IDs became process numbers; the lookup of a backend's
 * transaction IDs moved from sinvaladt.h to procarray.h and was renamed.
 */
#if PG_VERSION_NUM >= 170000
#include "storage/procarray.h"
#else
#include "storage/sinvaladt.h"
#endif

/*
 * heap_update() as PostgreSQL 15 declares it.  16 added an out-parameter
 * saying which indexes need new entries (TU_UpdateIndexes); callers here
 * learn that from HeapTupleIsHeapOnly() on the new tuple, as on 15, since
 * heap_update still marks a HOT tuple so on 16 and 17.
 */
static inline TM_Result
bf_heap_update(Relation rel, ItemPointer otid, HeapTuple newtup,
			   CommandId cid, Snapshot crosscheck, bool wait,
			   TM_FailureData *tmfd, LockTupleMode *lockmode)
{
#if PG_VERSION_NUM >= 160000
	TU_UpdateIndexes update_indexes;

	return heap_update(rel, otid, newtup, cid, crosscheck, wait, tmfd,
					   lockmode, &update_indexes);
#else
	return heap_update(rel, otid, newtup, cid, crosscheck, wait, tmfd,
					   lockmode);
#endif
}

/*
 * The top transaction ID and xmin of the backend running a virtual
 * transaction (the holder of a conflicting lock).
 * 15: BackendIdGetTransactionIds(backendId, xid, xmin).
 * 16: the same, with the backend's subtransaction count and overflow flag
 *     as two more out-parameters (for pg_stat_get_backend_subxact).
 * 17: ProcNumberGetTransactionIds(procNumber, ...), and the
 *     VirtualTransactionId field is procNumber.
 */
static inline void
bf_vxid_transaction_ids(const VirtualTransactionId *vxid,
						TransactionId *xid, TransactionId *xmin)
{
#if PG_VERSION_NUM >= 160000
	int			nsubxid;
	bool		overflowed;
#endif

#if PG_VERSION_NUM >= 170000
	ProcNumberGetTransactionIds(vxid->procNumber, xid, xmin, &nsubxid, &overflowed);
#elif PG_VERSION_NUM >= 160000
	BackendIdGetTransactionIds(vxid->backendId, xid, xmin, &nsubxid, &overflowed);
#else
	BackendIdGetTransactionIds(vxid->backendId, xid, xmin);
#endif
}

/* The virtual transaction of an entry of GetLockStatusData(). */
static inline void
bf_lock_instance_vxid(const LockInstanceData *li, VirtualTransactionId *vxid)
{
#if PG_VERSION_NUM >= 170000
	*vxid = li->vxid;
#else
	vxid->backendId = li->backend;
	vxid->localTransactionId = li->lxid;
#endif
}

/*
 * Soft errors in input functions (errsave/ereturn, fcinfo->context) arrived
 * in 16, with pg_input_is_valid(); on 15 an input error can only be thrown.
 * BF_INPUT_ERROR(fcinfo->context, (errcode(...), errmsg(...))) returns
 * (Datum) 0 from the input function after a soft error.
 */
#if PG_VERSION_NUM >= 160000
#define BF_INPUT_ERROR(context, ...) ereturn(context, (Datum) 0, __VA_ARGS__)
#else
#define BF_INPUT_ERROR(context, ...) ereport(ERROR, __VA_ARGS__)
#endif

#endif							/* BANGFU_COMPAT_H */
