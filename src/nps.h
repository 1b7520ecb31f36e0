/*
 * nps.h
 *		The stored format of nps_summary (nps.c).
 */
#ifndef PM_NPS_H
#define PM_NPS_H

#include "postgres.h"
#include "fmgr.h"

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

#endif							/* PM_NPS_H */
