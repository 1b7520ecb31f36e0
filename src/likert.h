/*
 * likert.h
 *		The stored format of likert_summary (likert.c).
 */
#ifndef PM_LIKERT_H
#define PM_LIKERT_H

#include "postgres.h"
#include "fmgr.h"

/* A scale holds at most this many points (0..10, the NPS question, is 11). */
#define LIKERT_MAX_POINTS 11

/*
 * likert_summary: the number of answers at each point low..high of a survey
 * scale.
 *
 * Stored as a plain (never toasted, never compressed) varlena whose size
 * follows from the scale: a 16-byte header, then high - low + 1 counts.
 * "version" says which layout the bytes follow.  Invariant, checked on every
 * input path: low < high, at most LIKERT_MAX_POINTS points, counts >= 0 and
 * their sum fits in an int64.
 */
typedef struct LikertSummary
{
	int32		vl_len_;		/* varlena header (do not touch directly) */
	uint8		version;		/* LIKERT_SUMMARY_VERSION */
	uint8		flags;			/* reserved, 0 */
	uint16		reserved;		/* reserved, 0 */
	int32		low;			/* lowest point of the scale */
	int32		high;			/* highest point of the scale */
	int64		counts[FLEXIBLE_ARRAY_MEMBER];	/* answers at low, low + 1, ..., high */
} LikertSummary;

#define LIKERT_SUMMARY_VERSION 1

#define LikertPoints(s) ((int) ((s)->high - (s)->low + 1))
#define LikertSize(points) (offsetof(LikertSummary, counts) + (points) * sizeof(int64))

#define PG_GETARG_LIKERT_SUMMARY_P(n) ((LikertSummary *) PG_DETOAST_DATUM(PG_GETARG_DATUM(n)))

#endif							/* PM_LIKERT_H */
