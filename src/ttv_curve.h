/*
 * ttv_curve.h
 *		The stored format of ttv_curve (ttv_curve.c).
 *
 * Per distinct duration, the subjects who reached the milestone then and the
 * subjects still on their way who were observed for that long.  A plain
 * varlena whose version byte says which layout the bytes follow; reserved
 * fields are zero.  Every input path validates it (TtvCurveValidate).
 */
#ifndef PM_TTV_CURVE_H
#define PM_TTV_CURVE_H

#include "postgres.h"
#include "fmgr.h"
#include "utils/memutils.h"

typedef struct TtvCurvePoint
{
	int64		t;				/* duration, microseconds */
	int64		reached;		/* subjects who reached the milestone at t */
	int64		censored;		/* subjects still on their way, observed for t */
} TtvCurvePoint;

typedef struct TtvCurve
{
	int32		vl_len_;
	uint8		version;		/* TTV_CURVE_VERSION */
	uint8		flags;			/* reserved, 0 */
	uint16		reserved;		/* reserved, 0 */
	int32		npoints;
	int32		padding;		/* reserved, 0 */
	TtvCurvePoint points[FLEXIBLE_ARRAY_MEMBER];	/* by t, distinct */
} TtvCurve;

#define TTV_CURVE_VERSION 1
#define TTV_CURVE_MAX_POINTS ((int32) ((MaxAllocSize - offsetof(TtvCurve, points)) / sizeof(TtvCurvePoint)))
#define PG_GETARG_TTV_CURVE_P(n) ((TtvCurve *) PG_DETOAST_DATUM(PG_GETARG_DATUM(n)))

#endif							/* PM_TTV_CURVE_H */
