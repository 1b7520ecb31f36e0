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

/*
 * nps_summary: the three bucket counts of a set of 0..10 survey scores.
 *
 * Stored as a plain (never toasted, never compressed) varlena so that a later
 * format can change its size; "version" says which layout the bytes follow.
 * Invariant, checked on every input path: counts are >= 0 and their sum fits
 * in an int64.
 */
typedef struct NpsSummary
{
	int32		vl_len_;		/* varlena header (do not touch directly) */
	uint8		version;		/* NPS_SUMMARY_VERSION */
	uint8		flags;			/* reserved, 0 */
	uint16		reserved;		/* reserved, 0 */
	int64		promoters;		/* scores 9..10 */
	int64		passives;		/* scores 7..8 */
	int64		detractors;		/* scores 0..6 */
} NpsSummary;

#define NPS_SUMMARY_VERSION 1

#define PG_GETARG_NPS_SUMMARY_P(n) ((NpsSummary *) PG_DETOAST_DATUM(PG_GETARG_DATUM(n)))

static inline int64
NpsSummaryResponses(const NpsSummary *s)
{
	return s->promoters + s->passives + s->detractors;
}

/*
 * The by-reference state argument (0) of a transition or combine function,
 * to update in place: the argument itself when called by an aggregate (the
 * executor owns it and will not look at the old value again), a fresh copy
 * otherwise, so that a direct SQL call never scribbles on its input.
 */
static inline struct varlena *
pm_agg_state_arg(FunctionCallInfo fcinfo)
{
	/* what AggCheckCallContext() tests, inlined: this runs once per row */
	if (fcinfo->context != NULL &&
		(IsA(fcinfo->context, AggState) || IsA(fcinfo->context, WindowAggState)))
	{
		struct varlena *v = (struct varlena *) PG_GETARG_POINTER(0);

		return likely(!VARATT_IS_EXTENDED(v)) ? v : pg_detoast_datum(v);
	}
	return PG_DETOAST_DATUM_COPY(PG_GETARG_DATUM(0));
}

/* Errors out unless 0 < confidence < 1. */
extern void pm_check_confidence(double confidence);

#endif							/* PLATFORM_METRICS_H */
