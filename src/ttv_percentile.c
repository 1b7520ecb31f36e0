/*
 * ttv_percentile.c
 *		Exact time-to-value percentiles with percentile_cont's semantics as
 *		plain (parallel) aggregates: ttv_percentile(interval, p) and
 *		ttv_percentile(interval, p[]).  The state (every value) and its
 *		combine / serialize / deserialize functions are in percentile.c.
 */
#include "postgres.h"

#include <math.h>

#include "catalog/pg_type.h"
#include "common/int128.h"
#include "utils/memutils.h"
#include "utils/builtins.h"
#include "utils/datum.h"
#include "utils/fmgrprotos.h"
#include "utils/timestamp.h"

#include "percentile.h"

PG_FUNCTION_INFO_V1(ttv_exact_sfunc);
PG_FUNCTION_INFO_V1(ttv_exact_ffunc);

/* ------------------------------------------------------------------------
 * Exact percentiles: ttv_percentile(interval, p) and (interval, p[])
 * ------------------------------------------------------------------------
 */

/* The comparison key of an interval: its span, as interval_cmp computes it. */
static inline INT128
IntervalKey(const Interval *iv)
{
	INT128		span = int64_to_int128(iv->time);

	int128_add_int64_mul_int64(&span, (int64) iv->month * DAYS_PER_MONTH + iv->day, USECS_PER_DAY);
	return span;
}

/*
 * The order the values are sorted and selected in: by span, and intervals of
 * one span written differently ('1 mon -30 days', '1 day -24:00:00', '0') by
 * their months, then days.  interval_cmp calls them equal, but interpolating
 * from one or the other gives results a few microseconds apart (months and
 * days scale differently in interval_mul), so a total order makes the result
 * the same whatever order the rows came in (a window frame, a parallel
 * plan, the plain aggregate).
 */
static inline int
IntervalKeyCmp(const Interval *a, const Interval *b)
{
	int			c = int128_compare(IntervalKey(a), IntervalKey(b));

	if (likely(c != 0))
		return c;
	if (a->month != b->month)
		return a->month < b->month ? -1 : 1;
	if (a->day != b->day)
		return a->day < b->day ? -1 : 1;
	return 0;
}

#define ST_SORT pm_sort_intervals
#define ST_ELEMENT_TYPE Interval
#define ST_COMPARE(a, b) IntervalKeyCmp(a, b)
#define ST_SCOPE static
#define ST_DEFINE
#include "lib/sort_template.h"

static inline void
SwapIntervals(Interval *a, Interval *b)
{
	Interval	t = *a;

	*a = *b;
	*b = t;
}

/*
 * Quickselect within v[lo..hi]: afterwards v[k] is the value of rank k there,
 * everything before it is <= and everything after it >=.  Median-of-three
 * pivots; ranges below a few dozen elements are finished by the sort.
 */
static void
SelectInterval(Interval *v, int64 lo, int64 hi, int64 k)
{
	while (hi - lo > 32)
	{
		int64		mid = lo + (hi - lo) / 2;
		int64		i,
					j;
		Interval	pivot;

		if (IntervalKeyCmp(&v[mid], &v[lo]) < 0)
			SwapIntervals(&v[mid], &v[lo]);
		if (IntervalKeyCmp(&v[hi], &v[lo]) < 0)
			SwapIntervals(&v[hi], &v[lo]);
		if (IntervalKeyCmp(&v[hi], &v[mid]) < 0)
			SwapIntervals(&v[hi], &v[mid]);
		pivot = v[mid];

		/* Hoare partition */
		i = lo - 1;
		j = hi + 1;
		for (;;)
		{
			do
				i++;
			while (IntervalKeyCmp(&v[i], &pivot) < 0);
			do
				j--;
			while (IntervalKeyCmp(&v[j], &pivot) > 0);
			if (i >= j)
				break;
			SwapIntervals(&v[i], &v[j]);
		}
		if (k <= j)
			hi = j;
		else
			lo = j + 1;
	}
	pm_sort_intervals(v + lo, hi - lo + 1);
}

/*
 * Multiple selection: afterwards every v[ranks[i]] holds the value of that
 * rank (ranks ascending, distinct, within lo..hi).  Selecting the middle rank
 * splits the range in two around it, each holding the ranks on its side:
 * O(n log k) for k ranks instead of the sort's O(n log n).
 */
static void
MultiSelectIntervals(Interval *v, int64 lo, int64 hi, const int64 *ranks, int nranks)
{
	while (nranks > 0 && lo < hi)
	{
		int			mid = nranks / 2;

		SelectInterval(v, lo, hi, ranks[mid]);
		MultiSelectIntervals(v, lo, ranks[mid] - 1, ranks, mid);
		lo = ranks[mid] + 1;
		ranks += mid + 1;
		nranks -= mid + 1;
	}
}

static int
RankCmp(const void *a, const void *b)
{
	int64		x = *(const int64 *) a;
	int64		y = *(const int64 *) b;

	return (x > y) - (x < y);
}

/*
 * For the array form: bring the ranks every percentile of the array reads
 * (two per p when it interpolates) into place, so that ExactPercentile finds
 * them where a sort would have put them.
 */
static void
SelectRanks(TtvValues *st)
{
	Datum	   *elems;
	bool	   *nulls;
	int			nelems;
	int64	   *ranks;
	int			n = 0,
				distinct = 0;

	deconstruct_array(st->pspec.arr, FLOAT8OID, sizeof(float8), FLOAT8PASSBYVAL, TYPALIGN_DOUBLE,
					  &elems, &nulls, &nelems);
	ranks = (int64 *) palloc(sizeof(int64) * 2 * Max(nelems, 1));
	for (int i = 0; i < nelems; i++)
	{
		int64		first,
					second;
		float8		fraction;

		if (nulls[i])
			continue;
		/* (each p was checked when the aggregate took the array) */
		pm_cont_position(DatumGetFloat8(elems[i]), st->n, &first, &second, &fraction);
		ranks[n++] = first;
		ranks[n++] = second;
	}
	qsort(ranks, n, sizeof(int64), RankCmp);
	for (int i = 0; i < n; i++)
		if (distinct == 0 || ranks[i] != ranks[distinct - 1])
			ranks[distinct++] = ranks[i];
	MultiSelectIntervals((Interval *) st->data, 0, st->n - 1, ranks, distinct);
	pfree(ranks);
}

/* Transition: keep the interval; p and NULLs as percentile_cont treats them. */
Datum
ttv_exact_sfunc(PG_FUNCTION_ARGS)
{
	MemoryContext aggcxt;
	TtvValues  *st = PG_ARGISNULL(0) ? NULL : (TtvValues *) PG_GETARG_POINTER(0);

	if (!AggCheckCallContext(fcinfo, &aggcxt))
		elog(ERROR, "ttv_exact_sfunc called in non-aggregate context");
	if (st == NULL)
	{
		st = pm_ttv_values_new(aggcxt, sizeof(Interval));
		pm_percentile_spec_set(&st->pspec, fcinfo, 2,
							   get_fn_expr_argtype(fcinfo->flinfo, 2) == FLOAT8ARRAYOID, aggcxt);
	}
	else
		pm_percentile_spec_check(&st->pspec, fcinfo, 2);

	/* NULL durations are skipped; with a NULL p the result is NULL anyway */
	if (!PG_ARGISNULL(1) && !st->pspec.is_null)
	{
		Interval   *iv = PG_GETARG_INTERVAL_P(1);

		if (unlikely(int128_compare(IntervalKey(iv), int64_to_int128(0)) < 0))
			pm_check_duration(-1, PointerGetDatum(iv), INTERVALOID);
		pm_ttv_values_append(st, aggcxt, iv);
	}
	PG_RETURN_POINTER(st);
}

/* percentile_cont(p) over the state's intervals, with core's interpolation */
static Datum
ExactPercentile(float8 p, void *extra, bool *isnull)
{
	TtvValues  *st = (TtvValues *) extra;
	Interval   *v = (Interval *) st->data;
	int64		first,
				second;
	float8		fraction;
	Interval   *lo,
			   *hi;

	pm_cont_position(p, st->n, &first, &second, &fraction);
	if (st->sorted)
	{
		lo = &v[first];
		hi = &v[second];
	}
	else
	{
		/* a single percentile: select instead of sorting */
		SelectInterval(v, 0, st->n - 1, first);
		lo = &v[first];
		hi = lo;
		if (second > first)
		{
			hi = &v[first + 1];
			for (int64 i = first + 2; i < st->n; i++)
				if (IntervalKeyCmp(&v[i], hi) < 0)
					hi = &v[i];
		}
	}
	if (second == first)
	{
		/* a copy: the result must not point into the state's buffer */
		Interval   *result = (Interval *) palloc(sizeof(Interval));

		*result = *lo;
		return PointerGetDatum(result);
	}
	/* lo + (hi - lo) * fraction, exactly as percentile_cont's interval_lerp */
	return DirectFunctionCall2(interval_pl,
							   DirectFunctionCall2(interval_mul,
												   DirectFunctionCall2(interval_mi,
																	   PointerGetDatum(hi),
																	   PointerGetDatum(lo)),
												   Float8GetDatum(fraction)),
							   PointerGetDatum(lo));
}

/* Final function of both forms: NULL without rows, else percentile(s). */
Datum
ttv_exact_ffunc(PG_FUNCTION_ARGS)
{
	TtvValues  *st = PG_ARGISNULL(0) ? NULL : (TtvValues *) PG_GETARG_POINTER(0);

	if (st == NULL || st->pspec.is_null || st->n == 0)
		PG_RETURN_NULL();
	if (st->pspec.is_array && !st->sorted)
	{
		/*
		 * Every rank the percentiles read is put in place, as a sort would;
		 * "sorted" then means that those ranks are where a sort puts them,
		 * which is all ExactPercentile reads.
		 */
		SelectRanks(st);
		st->sorted = true;
	}
	return pm_return_percentiles(fcinfo, &st->pspec, ExactPercentile, st);
}
