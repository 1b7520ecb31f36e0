/*
 * platform_metrics.h
 *		Declarations shared by the C files of the platform_metrics extension.
 */
#ifndef PLATFORM_METRICS_H
#define PLATFORM_METRICS_H

#include "postgres.h"
#include "fmgr.h"
#include "nodes/execnodes.h"

/* platform_metrics.good_experience_nps: the default "good experience" NPS */
extern double pm_good_experience_nps;

/* Called by an aggregate or a window aggregate: what AggCheckCallContext() tests, inlined. */
#define PM_IN_AGGREGATE(fcinfo) \
	((fcinfo)->context != NULL && \
	 (IsA((fcinfo)->context, AggState) || IsA((fcinfo)->context, WindowAggState)))

/*
 * The by-reference state argument (0) of a transition or combine function,
 * to update in place: the argument itself when called by an aggregate (the
 * executor owns it and will not look at the old value again), a fresh copy
 * otherwise, so that a direct SQL call never scribbles on its input.
 */
static inline struct varlena *
pm_agg_state_arg(FunctionCallInfo fcinfo)
{
	/* this runs once per row */
	if (PM_IN_AGGREGATE(fcinfo))
	{
		struct varlena *v = (struct varlena *) PG_GETARG_POINTER(0);

		return likely(!VARATT_IS_EXTENDED(v)) ? v : pg_detoast_datum(v);
	}
	return PG_DETOAST_DATUM_COPY(PG_GETARG_DATUM(0));
}

/*
 * The cache slot of a transition function's call site (its fn_extra) and the
 * memory context for what the slot points to.  See platform_metrics.c.
 */
extern void **pm_backend_slot(FunctionCallInfo fcinfo, MemoryContext *cxt);

static inline void **
pm_call_site_slot(FunctionCallInfo fcinfo, MemoryContext *cxt)
{
	FmgrInfo   *flinfo = fcinfo->flinfo;

	/* this runs once per row */
	if (likely(flinfo->fn_expr != NULL || flinfo->fn_extra != NULL))
	{
		*cxt = flinfo->fn_mcxt;
		return &flinfo->fn_extra;
	}
	return pm_backend_slot(fcinfo, cxt);
}

/* Errors out unless 0 < confidence < 1. */
extern void pm_check_confidence(double confidence);

#endif							/* PLATFORM_METRICS_H */
