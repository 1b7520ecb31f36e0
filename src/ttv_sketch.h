/*
 * ttv_sketch.h
 *		The stored format of ttv_sketch (ttv_sketch.c).
 *
 * Dense bucket counts over the used index range, with spare capacity that an
 * aggregate fills in place; the exact count, zeros, minimum, maximum and sum.
 * A plain varlena whose version byte says which layout the bytes follow;
 * reserved fields are zero.  Every input path validates it (SketchValidate).
 */
#ifndef PM_TTV_SKETCH_H
#define PM_TTV_SKETCH_H

#include "postgres.h"
#include "fmgr.h"

typedef struct TtvSketch
{
	int32		vl_len_;
	uint8		version;		/* TTV_SKETCH_VERSION */
	uint8		flags;			/* reserved, 0 */
	uint16		reserved;		/* reserved, 0 */
	int32		offset;			/* bucket index of counts[0] */
	int32		nbuckets;		/* used; counts[0], counts[nbuckets-1] > 0 */
	int32		capacity;		/* allocated counts, all zero beyond nbuckets */
	int32		padding;		/* reserved, 0 */
	float8		accuracy;		/* relative accuracy a */
	int64		count;			/* values, zeros included */
	int64		zeros;			/* values equal to zero */
	int64		min;			/* microseconds */
	int64		max;
	int64		sum_hi;			/* sum of the values, an int128 */
	uint64		sum_lo;
	int64		counts[FLEXIBLE_ARRAY_MEMBER];
} TtvSketch;

#define TTV_SKETCH_VERSION 1
#define TTV_SKETCH_MIN_ACCURACY 0.0001
#define TTV_SKETCH_MAX_ACCURACY 0.1
#define TTV_SKETCH_DEFAULT_ACCURACY 0.01
#define PG_GETARG_TTV_SKETCH_P(n) ((TtvSketch *) PG_DETOAST_DATUM(PG_GETARG_DATUM(n)))

#endif							/* PM_TTV_SKETCH_H */
