/*
 * ttv_curve.c
 *		Censoring-aware time to value: the Kaplan-Meier product-limit estimate
 *		of the time from onboarding start to a milestone, when some subjects
 *		have not reached it yet.
 *
 * ttv_percentile(started_at, reached_at, p [, as_of]) and the ttv_curve
 * aggregate collect one key per row (duration * 2, + 1 if censored), sort
 * them, and walk the distinct times.  ttv_curve stores the walk's input (per
 * distinct time: reached and censored counts), so curves can be kept, merged
 * with rollup(), listed with ttv_points() and asked for percentiles later;
 * the aggregate's state is a ttv_curve too (an expanded object while it is
 * built), so partial aggregates anywhere hand on curves.
 */
#include "postgres.h"

#include <math.h>

#include "access/xact.h"
#include "catalog/pg_type.h"
#include "common/int.h"
#include "utils/memutils.h"
#include "funcapi.h"
#include "libpq/pqformat.h"
#include "utils/builtins.h"
#include "utils/expandeddatum.h"
#include "utils/lsyscache.h"
#include "utils/timestamp.h"
#include "utils/tuplestore.h"

#include "compat.h"
#include "platform_metrics.h"
#include "stats.h"
#include "percentile.h"
#include "ttv_curve.h"

PG_FUNCTION_INFO_V1(ttv_km_sfunc);
PG_FUNCTION_INFO_V1(ttv_curve_sfunc);
PG_FUNCTION_INFO_V1(ttv_km_ffunc);
PG_FUNCTION_INFO_V1(ttv_curve_ffunc);
PG_FUNCTION_INFO_V1(ttv_curve_state_sfunc);
PG_FUNCTION_INFO_V1(ttv_curve_state_ffunc);
PG_FUNCTION_INFO_V1(ttv_curve_in);
PG_FUNCTION_INFO_V1(ttv_curve_out);
PG_FUNCTION_INFO_V1(ttv_curve_recv);
PG_FUNCTION_INFO_V1(ttv_curve_send);
PG_FUNCTION_INFO_V1(ttv_curve_combine);
PG_FUNCTION_INFO_V1(ttv_curve_percentile);
PG_FUNCTION_INFO_V1(ttv_curve_points);
PG_FUNCTION_INFO_V1(ttv_curve_count);
PG_FUNCTION_INFO_V1(ttv_curve_reached);
PG_FUNCTION_INFO_V1(ttv_curve_censored);
PG_FUNCTION_INFO_V1(ttv_curve_eq);

/* ------------------------------------------------------------------------
 * The ttv_curve type
 * ------------------------------------------------------------------------
 */

/* A curve of npoints points whose points the caller fills in full (not zeroed). */
static TtvCurve *
TtvCurveAllocPoints(int32 npoints)
{
	Size		size;
	TtvCurve   *c;

	if (npoints > TTV_CURVE_MAX_POINTS)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("time-to-value curve would have too many distinct times"),
				 errhint("Round the timestamps (for example with date_trunc) before building the curve.")));
	size = offsetof(TtvCurve, points) + (Size) npoints * sizeof(TtvCurvePoint);
	c = (TtvCurve *) palloc(size);
	memset(c, 0, offsetof(TtvCurve, points));
	SET_VARSIZE(c, size);
	c->version = TTV_CURVE_VERSION;
	c->npoints = npoints;
	return c;
}

/* A curve of npoints zeroed points. */
static TtvCurve *
TtvCurveAlloc(int32 npoints)
{
	TtvCurve   *c = TtvCurveAllocPoints(npoints);

	memset(c->points, 0, (Size) npoints * sizeof(TtvCurvePoint));
	return c;
}

/* The invariant of a curve from outside: sorted distinct times, sane counts. */
static void
TtvCurveValidate(const TtvCurve *c, int code)
{
	int64		total = 0;

	if (c->npoints < 1)
		ereport(ERROR,
				(errcode(code),
				 errmsg("invalid ttv_curve"),
				 errdetail("A curve has at least one point.")));
	for (int32 i = 0; i < c->npoints; i++)
	{
		const TtvCurvePoint *pt = &c->points[i];

		if (pt->t < 0 || (i > 0 && pt->t <= c->points[i - 1].t))
			ereport(ERROR,
					(errcode(code),
					 errmsg("invalid ttv_curve"),
					 errdetail("Times must be non-negative and strictly increasing (point %d).", i + 1)));
		if (pt->reached < 0 || pt->censored < 0 || pt->reached + pt->censored == 0 ||
			pg_add_s64_overflow(total, pt->reached, &total) ||
			pg_add_s64_overflow(total, pt->censored, &total))
			ereport(ERROR,
					(errcode(code),
					 errmsg("invalid ttv_curve"),
					 errdetail("Point %d must count at least one subject, with non-negative counts whose total fits in a bigint.",
							   i + 1)));
	}
}

/* Subjects who reached the milestone and who were censored (validated sums). */
static void
TtvCurveCounts(const TtvCurve *c, int64 *reached, int64 *censored)
{
	*reached = *censored = 0;
	for (int32 i = 0; i < c->npoints; i++)
	{
		*reached += c->points[i].reached;
		*censored += c->points[i].censored;
	}
}

static int64
TtvCurveTotal(const TtvCurve *c)
{
	int64		reached,
				censored;

	TtvCurveCounts(c, &reached, &censored);
	return reached + censored;
}

/*
 * Text form: one "seconds:reached:censored" per distinct time, separated by
 * spaces, e.g. "86400:2:0 172800.5:0:1".  Seconds are exact to the
 * microsecond, so the text form is lossless.
 */
Datum
ttv_curve_out(PG_FUNCTION_ARGS)
{
	TtvCurve   *c = PG_GETARG_TTV_CURVE_P(0);
	StringInfoData buf;

	initStringInfo(&buf);
	for (int32 i = 0; i < c->npoints; i++)
	{
		if (i > 0)
			appendStringInfoChar(&buf, ' ');
		pm_append_seconds(&buf, c->points[i].t);
		appendStringInfo(&buf, ":" INT64_FORMAT ":" INT64_FORMAT,
						 c->points[i].reached, c->points[i].censored);
	}
	PG_RETURN_CSTRING(buf.data);
}

static Datum
TtvCurveParse(PG_FUNCTION_ARGS)
{
	char	   *str = PG_GETARG_CSTRING(0);
	char	   *p = str;
	int32		n = 0,
				cap = 16;
	TtvCurvePoint *pts = palloc(cap * sizeof(TtvCurvePoint));
	TtvCurve   *c;

	for (;;)
	{
		TtvCurvePoint pt;
		char	   *end;
		int128		t;

		while (*p == ' ' || *p == '\t' || *p == '\n')
			p++;
		if (*p == '\0')
			break;
		t = pm_parse_seconds(&p, str, "ttv_curve");
		if (t > PG_INT64_MAX || *p++ != ':')
			goto syntax;
		pt.t = (int64) t;
		errno = 0;
		pt.reached = strtoi64(p, &end, 10);
		if (end == p || errno != 0 || *end != ':')
			goto syntax;
		p = end + 1;
		errno = 0;
		pt.censored = strtoi64(p, &end, 10);
		if (end == p || errno != 0 || (*end != '\0' && *end != ' ' && *end != '\t' && *end != '\n'))
			goto syntax;
		p = end;
		if (n == cap)
		{
			if (cap >= TTV_CURVE_MAX_POINTS / 2)
				goto syntax;
			cap *= 2;
			pts = repalloc(pts, cap * sizeof(TtvCurvePoint));
		}
		pts[n++] = pt;
	}
	c = TtvCurveAlloc(n);
	if (n > 0)
		memcpy(c->points, pts, n * sizeof(TtvCurvePoint));
	TtvCurveValidate(c, ERRCODE_INVALID_TEXT_REPRESENTATION);
	PG_RETURN_POINTER(c);

syntax:
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
			 errmsg("invalid input syntax for type %s: \"%s\"", "ttv_curve", str),
			 errhint("The form is a list of \"seconds:reached:censored\" separated by spaces.")));
	PG_RETURN_NULL();			/* keep compiler quiet */
}

Datum
ttv_curve_in(PG_FUNCTION_ARGS)
{
	return pm_soft_input(fcinfo, TtvCurveParse);
}

/* Binary form: version byte, int32 point count, then (t, reached, censored) as int64. */
Datum
ttv_curve_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	int			version;
	int32		n;
	TtvCurve   *c;

	if (buf->len - buf->cursor < 5)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid binary data for type ttv_curve"),
				 errdetail("The value is too short.")));
	version = pq_getmsgbyte(buf);
	if (version != TTV_CURVE_VERSION)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("unsupported binary format version %d for type ttv_curve", version)));
	n = pq_getmsgint(buf, 4);
	if (n < 1 || n > TTV_CURVE_MAX_POINTS ||
		(int64) (buf->len - buf->cursor) != (int64) n * 3 * (int64) sizeof(int64))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid binary data for type ttv_curve"),
				 errdetail("The point count does not match the data.")));
	c = TtvCurveAlloc(n);
	for (int32 i = 0; i < n; i++)
	{
		c->points[i].t = pq_getmsgint64(buf);
		c->points[i].reached = pq_getmsgint64(buf);
		c->points[i].censored = pq_getmsgint64(buf);
	}
	TtvCurveValidate(c, ERRCODE_INVALID_BINARY_REPRESENTATION);
	PG_RETURN_POINTER(c);
}

Datum
ttv_curve_send(PG_FUNCTION_ARGS)
{
	TtvCurve   *c = PG_GETARG_TTV_CURVE_P(0);
	StringInfoData buf;

	pq_begintypsend(&buf);
	pq_sendbyte(&buf, TTV_CURVE_VERSION);
	pq_sendint32(&buf, c->npoints);
	for (int32 i = 0; i < c->npoints; i++)
	{
		pq_sendint64(&buf, c->points[i].t);
		pq_sendint64(&buf, c->points[i].reached);
		pq_sendint64(&buf, c->points[i].censored);
	}
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

Datum
ttv_curve_eq(PG_FUNCTION_ARGS)
{
	TtvCurve   *a = PG_GETARG_TTV_CURVE_P(0);
	TtvCurve   *b = PG_GETARG_TTV_CURVE_P(1);

	PG_RETURN_BOOL(a->npoints == b->npoints &&
				   memcmp(a->points, b->points, a->npoints * sizeof(TtvCurvePoint)) == 0);
}

/* ------------------------------------------------------------------------
 * The Kaplan-Meier walk
 * ------------------------------------------------------------------------
 */

/*
 * Walks the distinct times in order.  Until the first censoring, S(t) is the
 * plain share not yet arrived, (n - reached so far) / n, and the percentile
 * test counts rows as percentile_disc does, so that with nothing censored the
 * result equals percentile_disc exactly; after it, S(t) = prod (1 - d_i/n_i).
 * At a tied time, arrivals come before censorings: someone observed for t
 * was still at risk at t.
 */
typedef struct KmWalk
{
	int64		n_total;
	int64		at_risk;		/* at risk at the current time */
	int64		reached_so_far;
	bool		censored_before;	/* any censoring before the current time */
	bool		censored_seen;	/* ... up to and including it */
	double		survival;		/* S(t) after the current time */
	double		greenwood;		/* sum d / (n (n - d)) */
} KmWalk;

static void
KmWalkInit(KmWalk *w, int64 n_total)
{
	memset(w, 0, sizeof(*w));
	w->n_total = n_total;
	w->at_risk = n_total;
	w->survival = 1.0;
}

/* Process one distinct time with d arrivals and c censorings. */
static inline void
KmWalkStep(KmWalk *w, int64 d, int64 c, int64 *at_risk_here)
{
	w->censored_before = w->censored_seen;
	if (d > 0)
	{
		w->reached_so_far += d;
		if (!w->censored_before)
			w->survival = (double) (w->n_total - w->reached_so_far) / (double) w->n_total;
		else
			w->survival *= 1.0 - (double) d / (double) w->at_risk;
		if (w->at_risk > d)
			w->greenwood += (double) d / ((double) w->at_risk * (double) (w->at_risk - d));
	}
	if (at_risk_here)
		*at_risk_here = w->at_risk;
	w->at_risk -= d + c;
	if (c > 0)
		w->censored_seen = true;
}

/*
 * After a step with arrivals: has the share arrived reached p?  After a
 * censoring, S(t) is a product of fractions; when 1 - S(t) equals p exactly
 * in real arithmetic the product may round either way, so the comparison
 * allows 1e-9 (far below the step any arrival makes, far above the product's
 * rounding error).
 */
#define KM_TOLERANCE 1e-9

static inline bool
KmWalkReached(const KmWalk *w, float8 p)
{
	if (!w->censored_before)
	{
		/*
		 * percentile_disc's row number, computed as it computes it, clamped
		 * to n in integers (p * n may round up beyond it for huge n)
		 */
		double		r = ceil(p * (double) w->n_total);
		int64		rownum = r >= (double) w->n_total ? w->n_total : Max((int64) r, 1);

		return w->reached_so_far >= rownum;
	}
	return 1.0 - w->survival >= p - KM_TOLERANCE;
}

/* Percentile p over a stored curve: the first time at which it is reached. */
static Datum
CurvePercentile(float8 p, void *extra, bool *isnull)
{
	TtvCurve   *c = (TtvCurve *) extra;
	KmWalk		w;

	KmWalkInit(&w, TtvCurveTotal(c));
	for (int32 i = 0; i < c->npoints; i++)
	{
		KmWalkStep(&w, c->points[i].reached, c->points[i].censored, NULL);
		if (c->points[i].reached > 0 && KmWalkReached(&w, p))
			return PointerGetDatum(pm_usec_interval(c->points[i].t));
	}
	*isnull = true;				/* not known yet: too many still on their way */
	return (Datum) 0;
}

/* Percentile p over sorted keys (duration * 2 + censored) of an aggregate. */
static Datum
KeysPercentile(float8 p, void *extra, bool *isnull)
{
	TtvValues  *st = (TtvValues *) extra;
	const int64 *keys = (const int64 *) st->data;
	KmWalk		w;
	int64		i = 0;

	KmWalkInit(&w, st->n);
	while (i < st->n)
	{
		int64		t = keys[i] >> 1;
		int64		d = 0,
					c = 0;

		while (i < st->n && keys[i] == t * 2)
			d++, i++;
		while (i < st->n && keys[i] == t * 2 + 1)
			c++, i++;
		KmWalkStep(&w, d, c, NULL);
		if (d > 0 && KmWalkReached(&w, p))
			return PointerGetDatum(pm_usec_interval(t));
	}
	*isnull = true;
	return (Datum) 0;
}

/* ------------------------------------------------------------------------
 * Aggregates
 * ------------------------------------------------------------------------
 */

static char *
TimestamptzText(TimestampTz t)
{
	return DatumGetCString(DirectFunctionCall1(timestamptz_out, TimestampTzGetDatum(t)));
}

/*
 * The key of a row of started_at (argument 1) and reached_at (2) observed
 * until as_of: duration * 2, plus 1 when censored; false for a row without a
 * start, which does not count.
 */
static inline bool
KmRowKey(FunctionCallInfo fcinfo, TimestampTz as_of, int64 *keyp)
{
	TimestampTz started,
				end;
	int64		duration,
				key;
	bool		censored;

	if (PG_ARGISNULL(1))
		return false;
	started = PG_GETARG_TIMESTAMPTZ(1);
	if (started > as_of)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("onboarding started at %s, after as_of %s",
						TimestamptzText(started), TimestamptzText(as_of)),
				 errhint("Observation ends at as_of (by default the transaction's start); start times after it cannot be observed.")));
	censored = PG_ARGISNULL(2) || PG_GETARG_TIMESTAMPTZ(2) > as_of;
	end = censored ? as_of : PG_GETARG_TIMESTAMPTZ(2);
	if (end < started)
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("milestone reached at %s, before onboarding started at %s",
						TimestamptzText(end), TimestamptzText(started)),
				 errhint("Check the order of the start and milestone timestamps.")));
	if (pg_sub_s64_overflow(end, started, &duration) ||
		pg_mul_s64_overflow(duration, 2, &key))
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("time to value from %s to %s is out of range",
						TimestamptzText(started), TimestamptzText(end))));
	*keyp = key + (censored ? 1 : 0);
	return true;
}

/*
 * Shared transition of the Kaplan-Meier percentile (p at p_argno) and the
 * curve (p_argno < 0); as_of at as_of_argno when the call has it.  as_of
 * defaults to the transaction's start, which parallel workers share.
 */
static Datum
KmAccumulate(FunctionCallInfo fcinfo, int p_argno, int as_of_argno)
{
	MemoryContext aggcxt;
	TtvValues  *st = PG_ARGISNULL(0) ? NULL : (TtvValues *) PG_GETARG_POINTER(0);
	bool		have_as_of = as_of_argno < PG_NARGS() && !PG_ARGISNULL(as_of_argno);
	int64		key;

	if (!AggCheckCallContext(fcinfo, &aggcxt))
		elog(ERROR, "time-to-value transition called in non-aggregate context");
	if (st == NULL)
	{
		st = pm_ttv_values_new(aggcxt, sizeof(int64));
		if (p_argno >= 0)
			pm_percentile_spec_set(&st->pspec, fcinfo, p_argno,
								   get_fn_expr_argtype(fcinfo->flinfo, p_argno) == FLOAT8ARRAYOID,
								   aggcxt);
		st->as_of_set = true;
		st->as_of = have_as_of ? PG_GETARG_TIMESTAMPTZ(as_of_argno) : GetCurrentTransactionStartTimestamp();
	}
	else
	{
		if (p_argno >= 0)
			pm_percentile_spec_check(&st->pspec, fcinfo, p_argno);
		if ((have_as_of ? PG_GETARG_TIMESTAMPTZ(as_of_argno) : GetCurrentTransactionStartTimestamp()) != st->as_of)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("as_of must be the same for every row of the aggregate")));
	}

	if (st->pspec.is_null || !KmRowKey(fcinfo, st->as_of, &key))
		PG_RETURN_POINTER(st);
	pm_ttv_values_append(st, aggcxt, &key);
	PG_RETURN_POINTER(st);
}

/* ttv_km_sfunc(state, started_at, reached_at, p [, as_of]) */
Datum
ttv_km_sfunc(PG_FUNCTION_ARGS)
{
	return KmAccumulate(fcinfo, 3, 4);
}

/* ttv_curve_sfunc(state, started_at, reached_at [, as_of]) */
Datum
ttv_curve_sfunc(PG_FUNCTION_ARGS)
{
	return KmAccumulate(fcinfo, -1, 3);
}

static void
SortKeys(TtvValues *st)
{
	if (!st->sorted)
	{
		pm_radix_sort_int64((int64 *) st->data, st->n);
		st->sorted = true;
	}
}

/* Final function of the Kaplan-Meier percentile, both forms. */
Datum
ttv_km_ffunc(PG_FUNCTION_ARGS)
{
	TtvValues  *st = PG_ARGISNULL(0) ? NULL : (TtvValues *) PG_GETARG_POINTER(0);

	if (st == NULL || st->pspec.is_null || st->n == 0)
		PG_RETURN_NULL();
	SortKeys(st);
	return pm_return_percentiles(fcinfo, &st->pspec, KeysPercentile, st);
}

/* The curve of n sorted keys (n >= 1): the distinct times and their counts. */
static TtvCurve *
KeysToCurve(const int64 *keys, int64 n)
{
	int64		distinct = 0;
	TtvCurve   *c;
	int32		j = -1;

	for (int64 i = 0; i < n; i++)
		if (i == 0 || (keys[i] >> 1) != (keys[i - 1] >> 1))
			distinct++;
	if (distinct > TTV_CURVE_MAX_POINTS)
		(void) TtvCurveAllocPoints(TTV_CURVE_MAX_POINTS + 1);	/* reports the error */
	c = TtvCurveAllocPoints((int32) distinct);
	for (int64 i = 0; i < n; i++)
	{
		int64		t = keys[i] >> 1;

		if (j < 0 || c->points[j].t != t)
		{
			TtvCurvePoint *pt = &c->points[++j];

			pt->t = t;
			pt->reached = pt->censored = 0;
		}
		if (keys[i] & 1)
			c->points[j].censored++;
		else
			c->points[j].reached++;
	}
	return c;
}

/* Final function of ttv_curve() in 1.7 and earlier (an internal state). */
Datum
ttv_curve_ffunc(PG_FUNCTION_ARGS)
{
	TtvValues  *st = PG_ARGISNULL(0) ? NULL : (TtvValues *) PG_GETARG_POINTER(0);

	if (st == NULL || st->n == 0)
		PG_RETURN_NULL();
	SortKeys(st);
	PG_RETURN_POINTER(KeysToCurve((const int64 *) st->data, st->n));
}

/* Two curves' counts merged by time, in a new curve. */
static TtvCurve *
TtvCurveMerge(const TtvCurve *a, const TtvCurve *b)
{
	int64		n = (int64) a->npoints + b->npoints;
	TtvCurve   *c;
	int32		i = 0,
				j = 0,
				k = 0;

	c = TtvCurveAlloc((int32) Min(n, (int64) TTV_CURVE_MAX_POINTS + 1));
	while (i < a->npoints || j < b->npoints)
	{
		TtvCurvePoint *out = &c->points[k++];

		if (j >= b->npoints || (i < a->npoints && a->points[i].t < b->points[j].t))
			*out = a->points[i++];
		else if (i >= a->npoints || b->points[j].t < a->points[i].t)
			*out = b->points[j++];
		else
		{
			out->t = a->points[i].t;
			if (pg_add_s64_overflow(a->points[i].reached, b->points[j].reached, &out->reached) ||
				pg_add_s64_overflow(a->points[i].censored, b->points[j].censored, &out->censored))
				ereport(ERROR,
						(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
						 errmsg("ttv_curve count is out of range")));
			i++, j++;
		}
	}
	c->npoints = k;
	SET_VARSIZE(c, offsetof(TtvCurve, points) + (Size) k * sizeof(TtvCurvePoint));
	TtvCurveValidate(c, ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE);	/* total overflow */
	return c;
}

/* rollup(ttv_curve) transition and combine function: merge two curves. */
Datum
ttv_curve_combine(PG_FUNCTION_ARGS)
{
	PG_RETURN_POINTER(TtvCurveMerge(PG_GETARG_TTV_CURVE_P(0), PG_GETARG_TTV_CURVE_P(1)));
}

/* ------------------------------------------------------------------------
 * ttv_curve(started_at, reached_at [, as_of]) with a ttv_curve state
 *
 * Since 1.8 the aggregate's state is the stored type itself, so that a
 * partial aggregate anywhere (a parallel worker, a Citus worker through
 * worker_partial_agg()) hands its curve on in the type's own text or binary
 * form and any combiner merges curves.  While it is being built the state
 * is an expanded object (utils/expandeddatum.h): the rows' keys as they come
 * (as the internal state of 1.7 kept them), plus the curve it started from
 * if it started from one.  Whoever needs the flat curve (the final function,
 * a tuple, the output function) flattens it: the keys sorted and counted,
 * merged with the starting curve.  The transition appends in place, as the
 * executor keeps a read-write expanded state it finds in its aggregate
 * context rather than copying it.
 * ------------------------------------------------------------------------
 */
typedef struct CurveBuilder
{
	ExpandedObjectHeader hdr;
	TtvValues  *keys;			/* one per row */
	TtvCurve   *base;			/* the curve the state started from, or NULL */
	TtvCurve   *flat;			/* base and keys as one curve, until a key comes */
} CurveBuilder;

static Size CurveBuilderFlatSize(ExpandedObjectHeader *eohptr);
static void CurveBuilderFlatten(ExpandedObjectHeader *eohptr, void *result, Size allocated_size);

static const ExpandedObjectMethods CurveBuilderMethods = {
	CurveBuilderFlatSize,
	CurveBuilderFlatten
};

/* The flat curve of a builder that holds at least one key or a base. */
static TtvCurve *
CurveBuilderFlat(CurveBuilder *b)
{
	if (b->flat == NULL)
	{
		MemoryContext old = MemoryContextSwitchTo(b->hdr.eoh_context);
		TtvCurve   *c = NULL;

		if (b->keys->n > 0)
		{
			SortKeys(b->keys);
			c = KeysToCurve((const int64 *) b->keys->data, b->keys->n);
		}
		if (b->base != NULL)
		{
			if (c == NULL)
				c = b->base;
			else
			{
				TtvCurve   *merged = TtvCurveMerge(c, b->base);

				pfree(c);
				c = merged;
			}
		}
		Assert(c != NULL);
		b->flat = c;
		MemoryContextSwitchTo(old);
	}
	return b->flat;
}

static Size
CurveBuilderFlatSize(ExpandedObjectHeader *eohptr)
{
	return VARSIZE(CurveBuilderFlat((CurveBuilder *) eohptr));
}

static void
CurveBuilderFlatten(ExpandedObjectHeader *eohptr, void *result, Size allocated_size)
{
	TtvCurve   *c = CurveBuilderFlat((CurveBuilder *) eohptr);

	Assert(allocated_size == VARSIZE(c));
	memcpy(result, c, allocated_size);
}

/*
 * A new builder in a context of its own under parent (small blocks: a
 * hash aggregate holds one per group); base (flat, validated) is copied.
 */
static CurveBuilder *
CurveBuilderNew(MemoryContext parent, const TtvCurve *base)
{
	MemoryContext cxt = AllocSetContextCreate(parent, "ttv_curve state", ALLOCSET_SMALL_SIZES);
	CurveBuilder *b = (CurveBuilder *) MemoryContextAllocZero(cxt, sizeof(CurveBuilder));

	EOH_init_header(&b->hdr, &CurveBuilderMethods, cxt);
	b->keys = pm_ttv_values_new(cxt, sizeof(int64));
	if (base != NULL)
	{
		b->base = (TtvCurve *) MemoryContextAlloc(cxt, VARSIZE(base));
		memcpy(b->base, base, VARSIZE(base));
	}
	return b;
}

/* The builder a state argument is, or NULL for any other value. */
static inline CurveBuilder *
AsCurveBuilder(Datum d)
{
	if (VARATT_IS_EXTERNAL_EXPANDED_RW(DatumGetPointer(d)) &&
		DatumGetEOHP(d)->eoh_methods == &CurveBuilderMethods)
		return (CurveBuilder *) DatumGetEOHP(d);
	return NULL;
}

/*
 * ttv_curve_sfunc(state ttv_curve, started_at, reached_at [, as_of]).
 *
 * Each row is observed until its own as_of (by default the transaction's
 * start): a curve does not record one, so that partial curves, whoever
 * built them and when, merge as rollup() merges stored curves, and every
 * plan gives the same curve.  The state stays NULL until a row with a start
 * comes (an aggregate of none is NULL, and a curve has at least one point).
 * A state that is not a builder (a curve: an INITCOND, a direct call)
 * becomes the builder's base.  Called directly (not as an aggregate), it
 * returns the flat curve of the state and the row, and changes nothing.
 */
Datum
ttv_curve_state_sfunc(PG_FUNCTION_ARGS)
{
	MemoryContext aggcxt;
	bool		in_agg = AggCheckCallContext(fcinfo, &aggcxt);
	CurveBuilder *b = NULL;
	TimestampTz as_of;
	int64		key;

	as_of = PG_NARGS() > 3 && !PG_ARGISNULL(3) ? PG_GETARG_TIMESTAMPTZ(3) : GetCurrentTransactionStartTimestamp();
	if (!in_agg)
		aggcxt = CurrentMemoryContext;
	if (!PG_ARGISNULL(0))
	{
		b = in_agg ? AsCurveBuilder(PG_GETARG_DATUM(0)) : NULL;
		if (unlikely(b == NULL))
		{
			TtvCurve   *base = PG_GETARG_TTV_CURVE_P(0);

			TtvCurveValidate(base, ERRCODE_INVALID_PARAMETER_VALUE);
			b = CurveBuilderNew(aggcxt, base);
		}
	}
	if (!KmRowKey(fcinfo, as_of, &key))
	{
		if (b == NULL)
			PG_RETURN_NULL();
	}
	else
	{
		if (b == NULL)
			b = CurveBuilderNew(aggcxt, NULL);
		pm_ttv_values_append(b->keys, b->hdr.eoh_context, &key);
		if (unlikely(b->flat != NULL))
		{
			if (b->flat != b->base)
				pfree(b->flat);
			b->flat = NULL;
		}
	}
	if (unlikely(!in_agg))
	{
		TtvCurve   *c = CurveBuilderFlat(b);
		TtvCurve   *copy = (TtvCurve *) MemoryContextAlloc(aggcxt, VARSIZE(c));

		memcpy(copy, c, VARSIZE(c));
		DeleteExpandedObject(EOHPGetRWDatum(&b->hdr));
		PG_RETURN_POINTER(copy);
	}
	PG_RETURN_DATUM(EOHPGetRWDatum(&b->hdr));
}

/*
 * Final function of ttv_curve(): the flat curve.  It lives in the state's
 * context, as an aggregate's result without a final function lives in the
 * aggregate context (a window aggregate copies it before the state changes),
 * so a curve of millions of points is not copied once more.
 */
Datum
ttv_curve_state_ffunc(PG_FUNCTION_ARGS)
{
	CurveBuilder *b;

	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	b = AsCurveBuilder(PG_GETARG_DATUM(0));
	if (b == NULL)
		PG_RETURN_POINTER(PG_DETOAST_DATUM_COPY(PG_GETARG_DATUM(0)));
	PG_RETURN_POINTER(CurveBuilderFlat(b));
}

/* ------------------------------------------------------------------------
 * Accessors
 * ------------------------------------------------------------------------
 */

/* ttv_percentile(ttv_curve, p) and (ttv_curve, p[]) */
Datum
ttv_curve_percentile(PG_FUNCTION_ARGS)
{
	return pm_percentile_accessor(fcinfo, CurvePercentile, PG_GETARG_TTV_CURVE_P(0));
}

Datum
ttv_curve_count(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT64(TtvCurveTotal(PG_GETARG_TTV_CURVE_P(0)));
}

Datum
ttv_curve_reached(PG_FUNCTION_ARGS)
{
	int64		reached,
				censored;

	TtvCurveCounts(PG_GETARG_TTV_CURVE_P(0), &reached, &censored);
	PG_RETURN_INT64(reached);
}

Datum
ttv_curve_censored(PG_FUNCTION_ARGS)
{
	int64		reached,
				censored;

	TtvCurveCounts(PG_GETARG_TTV_CURVE_P(0), &reached, &censored);
	PG_RETURN_INT64(censored);
}

/*
 * ttv_points(curve, confidence): one row per distinct time with the number at
 * risk, reached, censored, S(t), the share reached (1 - S) and the pointwise
 * confidence interval of S(t): Greenwood's variance on the log(-log S) scale,
 * S^exp(+-z se) with se = sqrt(sum d/(n(n-d))) / |log S|.  Before any arrival
 * S is 1 and so is the interval; once S is 0 it has none (NULL).
 */
Datum
ttv_curve_points(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	TtvCurve   *c = PG_GETARG_TTV_CURVE_P(0);
	float8		confidence = PG_GETARG_FLOAT8(1);
	double		z;
	KmWalk		w;

	pm_check_confidence(confidence);
	z = pm_z_for_confidence(confidence);
	InitMaterializedSRF(fcinfo, 0);
	KmWalkInit(&w, TtvCurveTotal(c));
	for (int32 i = 0; i < c->npoints; i++)
	{
		Datum		values[8];
		bool		nulls[8] = {false, false, false, false, false, false, false, false};
		int64		at_risk;
		double		s;

		KmWalkStep(&w, c->points[i].reached, c->points[i].censored, &at_risk);
		s = w.survival;
		values[0] = PointerGetDatum(pm_usec_interval(c->points[i].t));
		values[1] = Int64GetDatum(at_risk);
		values[2] = Int64GetDatum(c->points[i].reached);
		values[3] = Int64GetDatum(c->points[i].censored);
		values[4] = Float8GetDatum(s);
		values[5] = Float8GetDatum(1.0 - s);
		if (s >= 1.0)
		{
			values[6] = Float8GetDatum(1.0);
			values[7] = Float8GetDatum(1.0);
		}
		else if (s <= 0.0)
			nulls[6] = nulls[7] = true;
		else
		{
			double		se = sqrt(w.greenwood) / fabs(log(s));

			values[6] = Float8GetDatum(pow(s, exp(z * se)));
			values[7] = Float8GetDatum(pow(s, exp(-z * se)));
		}
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
	}
	return (Datum) 0;
}
