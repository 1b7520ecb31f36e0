/*
 * percentile.c
 *		The percentile machinery the time-to-value files share: durations, the
 *		percentile argument (one p or an array of them), the value buffer of
 *		the exact and Kaplan-Meier aggregates with its combine / serialize /
 *		deserialize functions, and a radix sort.
 */
#include "postgres.h"

#include <math.h>

#include "catalog/pg_type.h"
#include "common/int.h"
#include "common/int128.h"
#include "utils/memutils.h"
#include "utils/builtins.h"
#include "utils/datum.h"
#include "utils/lsyscache.h"
#include "utils/timestamp.h"

#include "percentile.h"

PG_FUNCTION_INFO_V1(ttv_values_combine);
PG_FUNCTION_INFO_V1(ttv_values_serialize);
PG_FUNCTION_INFO_V1(ttv_values_deserialize);

/* ------------------------------------------------------------------------
 * Durations
 * ------------------------------------------------------------------------
 */

/*
 * Length of an interval in microseconds, as interval comparison measures it.
 * Errors out (class 22) for a negative length or one beyond bigint.  (The
 * common case, a time alone, is pm_interval_usec, inline in percentile.h.)
 */
int64
pm_interval_usec_slow(const Interval *iv)
{
	int64		days = (int64) iv->month * DAYS_PER_MONTH + iv->day;
	int64		usec;

	if (likely(days == 0))
		usec = iv->time;
	else if (pg_mul_s64_overflow(days, USECS_PER_DAY, &usec) ||
			 pg_add_s64_overflow(usec, iv->time, &usec))
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("time to value %s is out of range",
						DatumGetCString(DirectFunctionCall1(interval_out, PointerGetDatum(iv)))),
				 errhint("Durations up to about 292,000 years are supported.")));
	if (unlikely(usec < 0))
		pm_check_duration(usec, PointerGetDatum(iv), INTERVALOID);
	return usec;
}

/* Errors out for a negative duration, showing the value as the user gave it. */
void
pm_check_duration(int64 usec, Datum shown, Oid shown_type)
{
	Oid			outfn;
	bool		varlena;

	if (usec >= 0)
		return;
	getTypeOutputInfo(shown_type, &outfn, &varlena);
	ereport(ERROR,
			(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
			 errmsg("time to value %s is negative", OidOutputFunctionCall(outfn, shown)),
			 errdetail("A milestone cannot be reached before onboarding started."),
			 errhint("Check the order of the start and milestone timestamps.")));
}

/* An interval of usec microseconds, in days and time as timestamp - timestamp gives it. */
Interval *
pm_usec_interval(int64 usec)
{
	Interval   *iv = (Interval *) palloc(sizeof(Interval));

	iv->month = 0;
	iv->day = (int32) (usec / USECS_PER_DAY);
	iv->time = usec - (int64) iv->day * USECS_PER_DAY;
	return iv;
}

/* Appends a non-negative number of microseconds as exact decimal seconds. */
void
pm_append_seconds(StringInfo buf, int128 usec)
{
	char		digits[48];
	int			n = 0;
	int128		secs = usec / USECS_PER_SEC;
	int64		frac = (int64) (usec % USECS_PER_SEC);

	Assert(usec >= 0);
	do
	{
		digits[n++] = '0' + (int) (secs % 10);
		secs /= 10;
	} while (secs > 0);
	while (n > 0)
		appendStringInfoChar(buf, digits[--n]);
	if (frac > 0)
	{
		char		f[8];
		int			len;

		snprintf(f, sizeof(f), "%06d", (int) frac);
		for (len = 6; f[len - 1] == '0'; len--)
			;
		appendStringInfoChar(buf, '.');
		appendBinaryStringInfo(buf, f, len);
	}
}

/*
 * Parses decimal seconds with at most six decimals at *p into microseconds,
 * advancing *p.  Errors out, quoting the whole input, on anything else.
 */
int128
pm_parse_seconds(char **p, const char *whole, const char *typname)
{
	char	   *s = *p;
	int128		usec = 0;
	int			ndigits = 0;

	while (*s >= '0' && *s <= '9')
	{
		if (++ndigits > 30)
			goto bad;
		usec = usec * 10 + (*s++ - '0');
	}
	if (ndigits == 0)
		goto bad;
	usec *= USECS_PER_SEC;
	if (*s == '.')
	{
		int64		scale = USECS_PER_SEC / 10;

		s++;
		if (!(*s >= '0' && *s <= '9'))
			goto bad;
		while (*s >= '0' && *s <= '9')
		{
			if (scale == 0)
				goto bad;		/* finer than a microsecond */
			usec += (*s++ - '0') * scale;
			scale /= 10;
		}
	}
	*p = s;
	return usec;

bad:
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
			 errmsg("invalid input syntax for type %s: \"%s\"", typname, whole),
			 errdetail("Expected seconds with at most six decimals at \"%s\".", *p)));
	return 0;					/* keep compiler quiet */
}

/* ------------------------------------------------------------------------
 * The percentile argument
 * ------------------------------------------------------------------------
 */

/* p must lie in [0, 1]; the message is percentile_cont's. */
void
pm_check_percentile(float8 p)
{
	if (p < 0 || p > 1 || isnan(p))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("percentile value %g is not between 0 and 1", p)));
}

/* Record p (or the array of p) from argument argno, checking every value. */
void
pm_percentile_spec_set(PercentileSpec *ps, FunctionCallInfo fcinfo, int argno,
					   bool is_array, MemoryContext cxt)
{
	ps->set = true;
	ps->is_array = is_array;
	ps->is_null = PG_ARGISNULL(argno);
	ps->arr = NULL;
	ps->p = 0;
	if (ps->is_null)
		return;
	if (!is_array)
	{
		ps->p = PG_GETARG_FLOAT8(argno);
		pm_check_percentile(ps->p);
	}
	else
	{
		ArrayType  *arr = PG_GETARG_ARRAYTYPE_P(argno);
		Datum	   *elems;
		bool	   *nulls;
		int			nelems;

		deconstruct_array(arr, FLOAT8OID, sizeof(float8), FLOAT8PASSBYVAL, TYPALIGN_DOUBLE,
						  &elems, &nulls, &nelems);
		for (int i = 0; i < nelems; i++)
			if (!nulls[i])
				pm_check_percentile(DatumGetFloat8(elems[i]));
		ps->arr = (ArrayType *) MemoryContextAlloc(cxt, VARSIZE(arr));
		memcpy(ps->arr, arr, VARSIZE(arr));
	}
}

/* Every row of an aggregate must ask for the same percentile(s). */
void
pm_percentile_spec_check(PercentileSpec *ps, FunctionCallInfo fcinfo, int argno)
{
	bool		same;

	if (PG_ARGISNULL(argno))
		same = ps->is_null;
	else if (ps->is_null)
		same = false;
	else if (!ps->is_array)
		same = PG_GETARG_FLOAT8(argno) == ps->p;
	else
	{
		Datum		d = PG_GETARG_DATUM(argno);

		/* a constant argument arrives as the same pointer on every row */
		same = DatumGetPointer(d) == (Pointer) ps->arr ||
			datumIsEqual(PointerGetDatum(PG_DETOAST_DATUM(d)), PointerGetDatum(ps->arr), false, -1);
	}
	if (!same)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("percentile must be the same for every row of the aggregate"),
				 errhint("Pass the percentile as a constant, or group the rows by it.")));
}

/*
 * The result for a percentile spec: fn(p) for a scalar, or an interval[] of
 * the array's shape with fn applied to each element (NULL elements stay NULL).
 */
Datum
pm_percentile_result(PercentileSpec *ps, PercentileFn fn, void *extra, bool *isnull)
{
	Datum	   *elems;
	bool	   *nulls;
	int			nelems;
	Datum	   *out;
	bool	   *outnulls;

	*isnull = false;
	if (ps->is_null)
	{
		*isnull = true;
		return (Datum) 0;
	}
	if (!ps->is_array)
		return fn(ps->p, extra, isnull);

	deconstruct_array(ps->arr, FLOAT8OID, sizeof(float8), FLOAT8PASSBYVAL, TYPALIGN_DOUBLE,
					  &elems, &nulls, &nelems);
	out = (Datum *) palloc(sizeof(Datum) * Max(nelems, 1));
	outnulls = (bool *) palloc(sizeof(bool) * Max(nelems, 1));
	for (int i = 0; i < nelems; i++)
	{
		outnulls[i] = nulls[i];
		if (!nulls[i])
			out[i] = fn(DatumGetFloat8(elems[i]), extra, &outnulls[i]);
	}
	if (ARR_NDIM(ps->arr) == 0)
		return PointerGetDatum(construct_empty_array(INTERVALOID));
	return PointerGetDatum(construct_md_array(out, outnulls, ARR_NDIM(ps->arr), ARR_DIMS(ps->arr),
											  ARR_LBOUND(ps->arr), INTERVALOID, sizeof(Interval),
											  false, TYPALIGN_DOUBLE));
}

/* The percentile result as a function's result, NULL through fcinfo. */
Datum
pm_return_percentiles(FunctionCallInfo fcinfo, PercentileSpec *ps, PercentileFn fn, void *extra)
{
	bool		isnull;
	Datum		result = pm_percentile_result(ps, fn, extra, &isnull);

	fcinfo->isnull = isnull;
	return result;
}

/*
 * Body of the accessors ttv_percentile(summary, p) and (summary, p[]): the
 * percentile argument is argument 1.
 */
Datum
pm_percentile_accessor(FunctionCallInfo fcinfo, PercentileFn fn, void *extra)
{
	PercentileSpec ps;

	pm_percentile_spec_set(&ps, fcinfo, 1,
						   get_fn_expr_argtype(fcinfo->flinfo, 1) == FLOAT8ARRAYOID,
						   CurrentMemoryContext);
	return pm_return_percentiles(fcinfo, &ps, fn, extra);
}

/* ------------------------------------------------------------------------
 * The value buffer
 * ------------------------------------------------------------------------
 */

TtvValues *
pm_ttv_values_new(MemoryContext cxt, int32 elem_size)
{
	TtvValues  *st = (TtvValues *) MemoryContextAllocZero(cxt, sizeof(TtvValues));

	st->elem_size = elem_size;
	st->sorted = true;
	return st;
}

/* Make room for extra more values, doubling; bounded by TTV_MAX_BYTES. */
static void
TtvValuesReserve(TtvValues *st, MemoryContext cxt, int64 extra)
{
	int64		need = st->n + extra;
	int64		cap;

	if (need <= st->capacity)
		return;
	if (need > TTV_MAX_BYTES / st->elem_size)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("too many values for an exact time-to-value percentile"),
				 errdetail("An exact percentile keeps every value in memory; the limit is " INT64_FORMAT " values per group.",
						   TTV_MAX_BYTES / st->elem_size),
				 errhint("Use the sketch, ttv_percentile(ttv_sketch(...), p), which needs a few kilobytes whatever the row count.")));
	cap = Max(need, Max(st->capacity * 2, 64));
	cap = Min(cap, TTV_MAX_BYTES / st->elem_size);
	if (st->data == NULL)
		st->data = MemoryContextAllocHuge(cxt, cap * st->elem_size);
	else
		st->data = repalloc_huge(st->data, cap * st->elem_size);
	st->capacity = cap;
}

void
pm_ttv_values_append(TtvValues *st, MemoryContext cxt, const void *elem)
{
	if (unlikely(st->n == st->capacity))
		TtvValuesReserve(st, cxt, 1);
	memcpy(st->data + st->n * st->elem_size, elem, st->elem_size);
	st->n++;
	st->sorted = false;
}

/* Two states of one aggregate must agree on their parameters. */
static void
TtvValuesCheckCompatible(TtvValues *a, TtvValues *b)
{
	bool		same = true;

	if (a->elem_size != b->elem_size)
		elog(ERROR, "cannot combine time-to-value states of different kinds");
	if (a->pspec.set && b->pspec.set)
	{
		if (a->pspec.is_array != b->pspec.is_array || a->pspec.is_null != b->pspec.is_null)
			same = false;
		else if (!a->pspec.is_null && !a->pspec.is_array)
			same = a->pspec.p == b->pspec.p;
		else if (!a->pspec.is_null)
			same = datumIsEqual(PointerGetDatum(a->pspec.arr), PointerGetDatum(b->pspec.arr), false, -1);
		if (!same)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("percentile must be the same for every row of the aggregate")));
	}
	if (a->as_of_set && b->as_of_set && a->as_of != b->as_of)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("as_of must be the same for every row of the aggregate")));
}

/* Copy the parameters of src into dst (which has none yet). */
static void
TtvValuesCopyParams(TtvValues *dst, TtvValues *src, MemoryContext cxt)
{
	if (!dst->pspec.set && src->pspec.set)
	{
		dst->pspec = src->pspec;
		if (src->pspec.arr)
		{
			dst->pspec.arr = (ArrayType *) MemoryContextAlloc(cxt, VARSIZE(src->pspec.arr));
			memcpy(dst->pspec.arr, src->pspec.arr, VARSIZE(src->pspec.arr));
		}
	}
	if (!dst->as_of_set && src->as_of_set)
	{
		dst->as_of_set = true;
		dst->as_of = src->as_of;
	}
}

/* Combine: append the values of the second state to the first. */
Datum
ttv_values_combine(PG_FUNCTION_ARGS)
{
	MemoryContext aggcxt;
	TtvValues  *a = PG_ARGISNULL(0) ? NULL : (TtvValues *) PG_GETARG_POINTER(0);
	TtvValues  *b = PG_ARGISNULL(1) ? NULL : (TtvValues *) PG_GETARG_POINTER(1);

	if (!AggCheckCallContext(fcinfo, &aggcxt))
		elog(ERROR, "ttv_values_combine called in non-aggregate context");
	if (b == NULL)
	{
		if (a == NULL)
			PG_RETURN_NULL();
		PG_RETURN_POINTER(a);
	}
	if (a == NULL)
		a = pm_ttv_values_new(aggcxt, b->elem_size);
	TtvValuesCheckCompatible(a, b);
	TtvValuesCopyParams(a, b, aggcxt);
	if (b->n > 0)
	{
		TtvValuesReserve(a, aggcxt, b->n);
		memcpy(a->data + a->n * a->elem_size, b->data, b->n * b->elem_size);
		a->n += b->n;
		a->sorted = false;
	}
	PG_RETURN_POINTER(a);
}

/*
 * Serialized form for parallel query (between processes of one server, so in
 * native byte order): a header, the percentile array if any, the values.
 */
typedef struct TtvValuesWire
{
	int32		elem_size;
	int32		flags;
	float8		p;
	TimestampTz as_of;
	int64		n;
	int32		arr_bytes;
	int32		padding;
} TtvValuesWire;

#define TTV_WIRE_SET		1
#define TTV_WIRE_ARRAY		2
#define TTV_WIRE_NULL		4
#define TTV_WIRE_AS_OF		8

Datum
ttv_values_serialize(PG_FUNCTION_ARGS)
{
	TtvValues  *st = (TtvValues *) PG_GETARG_POINTER(0);
	TtvValuesWire w;
	Size		arr_bytes = st->pspec.arr ? MAXALIGN(VARSIZE(st->pspec.arr)) : 0;
	Size		total;
	bytea	   *result;
	char	   *p;

	if (!AggCheckCallContext(fcinfo, NULL))
		elog(ERROR, "ttv_values_serialize called in non-aggregate context");
	/* within MaxAllocSize: the values are at most TTV_MAX_BYTES */
	total = VARHDRSZ + sizeof(w) + arr_bytes + (Size) st->n * st->elem_size;
	memset(&w, 0, sizeof(w));
	w.elem_size = st->elem_size;
	w.flags = (st->pspec.set ? TTV_WIRE_SET : 0) | (st->pspec.is_array ? TTV_WIRE_ARRAY : 0) |
		(st->pspec.is_null ? TTV_WIRE_NULL : 0) | (st->as_of_set ? TTV_WIRE_AS_OF : 0);
	w.p = st->pspec.p;
	w.as_of = st->as_of;
	w.n = st->n;
	w.arr_bytes = (int32) arr_bytes;

	result = (bytea *) palloc(total);
	SET_VARSIZE(result, total);
	p = VARDATA(result);
	memcpy(p, &w, sizeof(w));
	p += sizeof(w);
	if (arr_bytes > 0)
	{
		memset(p, 0, arr_bytes);
		memcpy(p, st->pspec.arr, VARSIZE(st->pspec.arr));
		p += arr_bytes;
	}
	if (st->n > 0)
		memcpy(p, st->data, (Size) st->n * st->elem_size);
	PG_RETURN_BYTEA_P(result);
}

Datum
ttv_values_deserialize(PG_FUNCTION_ARGS)
{
	bytea	   *sstate = PG_GETARG_BYTEA_P(0);
	const char *p = VARDATA(sstate);
	Size		len = VARSIZE(sstate) - VARHDRSZ;
	TtvValuesWire w;
	TtvValues  *st;

	if (!AggCheckCallContext(fcinfo, NULL))
		elog(ERROR, "ttv_values_deserialize called in non-aggregate context");
	if (len < sizeof(w))
		elog(ERROR, "invalid serialized time-to-value state");
	memcpy(&w, p, sizeof(w));
	p += sizeof(w);
	if ((w.elem_size != sizeof(Interval) && w.elem_size != sizeof(int64)) || w.n < 0 ||
		w.arr_bytes < 0 || len != sizeof(w) + w.arr_bytes + (Size) w.n * w.elem_size)
		elog(ERROR, "invalid serialized time-to-value state");
	st = pm_ttv_values_new(CurrentMemoryContext, w.elem_size);
	st->pspec.set = (w.flags & TTV_WIRE_SET) != 0;
	st->pspec.is_array = (w.flags & TTV_WIRE_ARRAY) != 0;
	st->pspec.is_null = (w.flags & TTV_WIRE_NULL) != 0;
	st->pspec.p = w.p;
	st->as_of_set = (w.flags & TTV_WIRE_AS_OF) != 0;
	st->as_of = w.as_of;
	if (w.arr_bytes > 0)
	{
		st->pspec.arr = (ArrayType *) palloc(w.arr_bytes);
		memcpy(st->pspec.arr, p, w.arr_bytes);
		p += w.arr_bytes;
	}
	if (w.n > 0)
	{
		TtvValuesReserve(st, CurrentMemoryContext, w.n);
		memcpy(st->data, p, (Size) w.n * w.elem_size);
		st->n = w.n;
		st->sorted = false;
	}
	PG_RETURN_POINTER(st);
}

/* ------------------------------------------------------------------------
 * Radix sort
 * ------------------------------------------------------------------------
 */

/*
 * Least-significant-digit radix sort of non-negative int64 keys, 11 bits a
 * pass, skipping the passes where every key has the same digit.  O(n), which
 * is what lets a Kaplan-Meier percentile keep up with a selection.
 */
void
pm_radix_sort_int64(int64 *keys, int64 n)
{
	const int	bits = 11;
	const int	nbuckets = 1 << bits;
	uint64		maxkey = 0;
	int64	   *tmp;
	int64	   *src = keys,
			   *dst;
	int64	   *count;

	if (n < 2)
		return;
	for (int64 i = 0; i < n; i++)
		maxkey |= (uint64) keys[i];

	tmp = (int64 *) palloc_extended(n * sizeof(int64), MCXT_ALLOC_HUGE);
	count = (int64 *) palloc(nbuckets * sizeof(int64));
	dst = tmp;
	for (int shift = 0; shift < 64 && (maxkey >> shift) != 0; shift += bits)
	{
		int64		sum = 0;

		memset(count, 0, nbuckets * sizeof(int64));
		for (int64 i = 0; i < n; i++)
			count[((uint64) src[i] >> shift) & (nbuckets - 1)]++;
		/* a digit shared by every key orders nothing */
		if (count[((uint64) src[0] >> shift) & (nbuckets - 1)] == n)
			continue;
		for (int b = 0; b < nbuckets; b++)
		{
			int64		c = count[b];

			count[b] = sum;
			sum += c;
		}
		for (int64 i = 0; i < n; i++)
			dst[count[((uint64) src[i] >> shift) & (nbuckets - 1)]++] = src[i];
		{
			int64	   *swap = src;

			src = dst;
			dst = swap;
		}
	}
	if (src != keys)
		memcpy(keys, src, n * sizeof(int64));
	pfree(tmp);
	pfree(count);
}

