/*
 * platform_metrics.c
 *		Module entry point of the statistics library: the magic block, its one
 *		setting and the argument checks every file shares.  The analytics
 *		layer's settings live in its own module (src/analytics).
 */
#include "postgres.h"

#include <math.h>

#include "fmgr.h"
#include "utils/guc.h"
#include "utils/memutils.h"

#include "platform_metrics.h"

PG_MODULE_MAGIC;

double		pm_good_experience_nps = 30.0;

void		_PG_init(void);

/*
 * Register the settings.  The good-experience threshold is per session and role
 * (PGC_USERSET): an analyst may hold a capability to a higher bar than the
 * default without affecting anyone else.
 */
void
_PG_init(void)
{
	DefineCustomRealVariable("platform_metrics.good_experience_nps",
							 "NPS at or above which a capability's developer experience counts as good.",
							 "Used by mandate_quadrant() when no threshold is given. "
							 "The default of 30 reads an NPS of 12 as poor and 54 as good.",
							 &pm_good_experience_nps,
							 30.0, -100.0, 100.0,
							 PGC_USERSET, 0,
							 NULL, NULL, NULL);
	/*
	 * No MarkGUCPrefixReserved() here: that would discard, as unknown, the
	 * analytics layer's settings given in postgresql.conf before its module
	 * is loaded.  platform_metrics_analytics reserves the prefix once both
	 * modules' settings are defined.
	 */
}

/*
 * A confidence level must lie strictly between 0 and 1: 0 and 1 would ask for
 * an empty or an infinite interval.
 */
void
pm_check_confidence(double confidence)
{
	if (isnan(confidence) || confidence <= 0.0 || confidence >= 1.0)
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("confidence level %g is out of range", confidence),
				 errhint("Give a confidence level strictly between 0 and 1, such as 0.95.")));
}

/*
 * The cache slot of a function's call site: its fn_extra, for things that
 * live in fn_mcxt.  A caller that makes a fresh FmgrInfo for every call
 * loses what the slot holds after each row: Citus's worker_partial_agg()
 * calls an aggregate's transition function that way (fmgr_info(), no
 * expression), once per row, on every worker.  Such calls, recognised by the
 * missing fn_expr, get one slot per backend and function instead, in
 * TopMemoryContext.  What a slot points to must therefore check that it fits
 * the call (the parameters it was made for), as it may outlive the query;
 * and it must be bounded, as it lives as long as the backend.  When the few
 * backend slots are taken, the call gets its own fn_extra, as before.
 */
#define PM_BACKEND_SLOTS 16

typedef struct BackendSlot
{
	Oid			fn_oid;
	void	   *ptr;
} BackendSlot;

static BackendSlot backend_slots[PM_BACKEND_SLOTS];

/* pm_call_site_slot() for a call without fn_expr and fn_extra */
void	  **
pm_backend_slot(FunctionCallInfo fcinfo, MemoryContext *cxt)
{
	FmgrInfo   *flinfo = fcinfo->flinfo;

	for (int i = 0; i < PM_BACKEND_SLOTS; i++)
	{
		if (backend_slots[i].fn_oid == flinfo->fn_oid || backend_slots[i].fn_oid == InvalidOid)
		{
			backend_slots[i].fn_oid = flinfo->fn_oid;
			*cxt = TopMemoryContext;
			return &backend_slots[i].ptr;
		}
	}
	*cxt = flinfo->fn_mcxt;
	return &flinfo->fn_extra;
}
