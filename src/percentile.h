/*
 * percentile.h
 *		The percentile machinery (percentile.c) shared by ttv_percentile.c
 *		(exact percentiles), ttv_curve.c (Kaplan-Meier) and ttv_sketch.c.
 */
#ifndef PM_PERCENTILE_H
#define PM_PERCENTILE_H

#include "postgres.h"

#include "datatype/timestamp.h"
#include "fmgr.h"
#include "lib/stringinfo.h"
#include "utils/array.h"
#include "utils/memutils.h"

/*
 * Durations are handled as microseconds.  An interval's length is its span as
 * interval comparison defines it: (months * 30 + days) days plus its time.
 */
extern int64 pm_interval_usec_slow(const Interval *iv);

/* The common case inline (a time only, non-negative); the rest checks and errors. */
static inline int64
pm_interval_usec(const Interval *iv)
{
	if (likely(iv->month == 0 && iv->day == 0 && iv->time >= 0))
		return iv->time;
	return pm_interval_usec_slow(iv);
}
extern Interval *pm_usec_interval(int64 usec);
extern void pm_check_duration(int64 usec, Datum shown, Oid shown_type);

/* Exact decimal seconds for text forms: "86400", "1.5", "0.000001". */
extern void pm_append_seconds(StringInfo buf, int128 usec);
extern int128 pm_parse_seconds(char **p, const char *whole, const char *typname);

/*
 * The percentile argument of an aggregate or accessor: one p, or an array of
 * them whose shape and NULL elements the result keeps.  Aggregates take it
 * from the first row and insist that every row gives the same.
 */
typedef struct PercentileSpec
{
	bool		set;			/* seen yet */
	bool		is_array;		/* p double precision[] */
	bool		is_null;		/* p (or the array) is NULL: result NULL */
	float8		p;				/* the scalar p */
	ArrayType  *arr;			/* flat copy of the array p */
} PercentileSpec;

extern void pm_percentile_spec_set(PercentileSpec *ps, FunctionCallInfo fcinfo,
								   int argno, bool is_array, MemoryContext cxt);
extern void pm_percentile_spec_check(PercentileSpec *ps, FunctionCallInfo fcinfo, int argno);
extern void pm_check_percentile(float8 p);

/* Computes one percentile; sets *isnull for "not known". */
typedef Datum (*PercentileFn) (float8 p, void *extra, bool *isnull);

extern Datum pm_percentile_result(PercentileSpec *ps, PercentileFn fn, void *extra,
								  bool *isnull);
extern Datum pm_return_percentiles(FunctionCallInfo fcinfo, PercentileSpec *ps,
								   PercentileFn fn, void *extra);
extern Datum pm_percentile_accessor(FunctionCallInfo fcinfo, PercentileFn fn, void *extra);

/*
 * Position of p in percentile_cont's interpolation over n values, computed
 * as percentile_cont computes it, the ranks clamped to n - 1 (for n near
 * 2^63, p * (n - 1) rounds up beyond the last rank).
 */
static inline void
pm_cont_position(float8 p, int64 n, int64 *first, int64 *second, float8 *fraction)
{
	double		pos = p * (double) (n - 1);
	double		last = (double) (n - 1);

	*first = pos >= last ? n - 1 : (int64) floor(pos);
	*second = ceil(pos) >= last ? n - 1 : (int64) ceil(pos);
	*fraction = *second > *first ? pos - (double) *first : 0.0;
}

/*
 * The transition state of the exact and the Kaplan-Meier aggregates: every
 * value, in a growable array in the aggregate's memory context.  Exact
 * percentiles keep whole Interval structs (so the result interpolates their
 * own representation, as percentile_cont does); Kaplan-Meier keeps one int64
 * key per row: duration * 2, plus 1 when the row is censored.
 */
typedef struct TtvValues
{
	PercentileSpec pspec;		/* not set by the curve aggregate */
	bool		as_of_set;		/* Kaplan-Meier: observation end fixed yet */
	TimestampTz as_of;
	int32		elem_size;		/* sizeof(Interval) or sizeof(int64) */
	bool		sorted;
	int64		n;
	int64		capacity;
	char	   *data;
} TtvValues;

/*
 * The most bytes of values an exact or Kaplan-Meier aggregate keeps for one
 * group: what one serialized state can carry to the leader of a parallel
 * plan, so that a parallel plan succeeds wherever a serial one does.
 * 64M intervals or 128M Kaplan-Meier keys.
 */
#define TTV_MAX_BYTES ((int64) MaxAllocSize - 64 * 1024)

extern TtvValues *pm_ttv_values_new(MemoryContext cxt, int32 elem_size);
extern void pm_ttv_values_append(TtvValues *st, MemoryContext cxt, const void *elem);

/* LSD radix sort of non-negative int64 keys (ascending). */
extern void pm_radix_sort_int64(int64 *keys, int64 n);

#endif							/* PM_PERCENTILE_H */
