/*
 * likert.c
 *		Survey items on any scale of 2 to 11 points: the likert_summary type,
 *		the likert_summary() aggregate and rollup(), the accessors, and the
 *		intervals and tests of the favourable share, the mean and the ranks.
 *
 * As with nps_summary, the aggregates' state is likert_summary itself, a real
 * SQL type with a lossless text form, so that partial aggregates travel
 * between processes (parallel query) and servers (Citus) as ordinary values.
 * The scale comes from the low and high arguments of every row, never from
 * the call expression, so a caller such as Citus's worker_partial_agg, which
 * calls the transition function without one, gets the same result.
 */
#include "postgres.h"

#include <ctype.h>
#include <math.h>

#include "access/htup_details.h"
#include "catalog/pg_type.h"
#include "common/hashfn.h"
#include "common/int.h"
#include "funcapi.h"
#include "libpq/pqformat.h"
#include "utils/array.h"
#include "utils/builtins.h"

#include "compat.h"
#include "platform_metrics.h"
#include "likert.h"
#include "stats.h"

PG_FUNCTION_INFO_V1(likert_summary_in);
PG_FUNCTION_INFO_V1(likert_summary_out);
PG_FUNCTION_INFO_V1(likert_summary_recv);
PG_FUNCTION_INFO_V1(likert_summary_send);
PG_FUNCTION_INFO_V1(likert_summary_sfunc);
PG_FUNCTION_INFO_V1(likert_summary_combine);
PG_FUNCTION_INFO_V1(likert_summary_ffunc);
PG_FUNCTION_INFO_V1(likert_summary_responses);
PG_FUNCTION_INFO_V1(likert_summary_mean_score);
PG_FUNCTION_INFO_V1(likert_summary_distribution);
PG_FUNCTION_INFO_V1(likert_summary_favorable_share);
PG_FUNCTION_INFO_V1(likert_summary_eq);
PG_FUNCTION_INFO_V1(likert_summary_ne);
PG_FUNCTION_INFO_V1(likert_summary_hash);
PG_FUNCTION_INFO_V1(likert_summary_hash_extended);
PG_FUNCTION_INFO_V1(favorable_ci);
PG_FUNCTION_INFO_V1(mean_ci);
PG_FUNCTION_INFO_V1(favorable_test);
PG_FUNCTION_INFO_V1(favorable_diff_ci);
PG_FUNCTION_INFO_V1(rank_test);

#define LIKERT_SCALE_HINT "A likert_summary holds a scale of 2 to 11 points, such as 1..5, 1..7 or 0..10."

/*
 * Errors out unless low..high is a scale a likert_summary can hold.  The
 * width is computed in 64 bits: low and high are any two integers.
 */
static void
LikertCheckScale(int64 low, int64 high, int errcode_)
{
	if (low >= high)
		ereport(ERROR,
				(errcode(errcode_),
				 errmsg("invalid likert scale " INT64_FORMAT ".." INT64_FORMAT, low, high),
				 errdetail("The lowest point of a scale must be below its highest."),
				 errhint(LIKERT_SCALE_HINT)));
	if (high - low + 1 > LIKERT_MAX_POINTS)
		ereport(ERROR,
				(errcode(errcode_),
				 errmsg("likert scale " INT64_FORMAT ".." INT64_FORMAT " has too many points", low, high),
				 errdetail("The scale has " INT64_FORMAT " points; a likert_summary holds at most %d.",
						   high - low + 1, LIKERT_MAX_POINTS),
				 errhint(LIKERT_SCALE_HINT)));
}

/* A new summary of the scale low..high with the given counts (or zeros). */
static LikertSummary *
LikertSummaryMake(int32 low, int32 high, const int64 *counts)
{
	int			points = high - low + 1;
	LikertSummary *s = (LikertSummary *) palloc0(LikertSize(points));

	SET_VARSIZE(s, LikertSize(points));
	s->version = LIKERT_SUMMARY_VERSION;
	s->low = low;
	s->high = high;
	if (counts)
		memcpy(s->counts, counts, points * sizeof(int64));
	return s;
}

static int64
LikertResponses(const LikertSummary *s)
{
	int64		n = 0;

	for (int i = 0; i < LikertPoints(s); i++)
		n += s->counts[i];
	return n;
}

/*
 * Check the counts of a summary built from outside input: non-negative, with
 * a sum that fits in a bigint.
 */
static void
LikertCheckCounts(const int64 *counts, int points, int errcode_,
				  int overflow_errcode, const char *what)
{
	int64		total = 0;

	for (int i = 0; i < points; i++)
	{
		if (counts[i] < 0)
			ereport(ERROR,
					(errcode(errcode_),
					 errmsg("invalid %s for type likert_summary", what),
					 errdetail("Count %d is negative: " INT64_FORMAT ".", i + 1, counts[i])));
		if (pg_add_s64_overflow(total, counts[i], &total))
			ereport(ERROR,
					(errcode(overflow_errcode),
					 errmsg("likert_summary response count is out of range"),
					 errdetail("The total number of responses does not fit in a bigint.")));
	}
}

/*
 * Text form: "low=1 high=5 counts={3,0,2,7,1}", the counts of the points
 * low..high in order.  Keys are case-insensitive, may come in any order and
 * be separated by spaces and/or commas; each must appear exactly once.
 */
static Datum
LikertSummaryParse(PG_FUNCTION_ARGS)
{
	static const char *const keys[3] = {"low", "high", "counts"};
	char	   *str = PG_GETARG_CSTRING(0);
	char	   *p = str;
	int64		bounds[2] = {0, 0};
	int64		counts[LIKERT_MAX_POINTS];
	int			ncounts = 0;
	bool		seen[3] = {false, false, false};

#define LIKERT_SYNTAX_ERROR(detail) \
	ereport(ERROR, \
			(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION), \
			 errmsg("invalid input syntax for type %s: \"%s\"", "likert_summary", str), \
			 errdetail detail, \
			 errhint("The form is \"low=L high=H counts={N,N,...}\" with one count per point of L..H.")))

	for (;;)
	{
		int			key = -1;

		while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r' || *p == ',')
			p++;
		if (*p == '\0')
			break;
		for (int i = 0; i < 3; i++)
		{
			size_t		len = strlen(keys[i]);

			if (pg_strncasecmp(p, keys[i], len) == 0 && !isalpha((unsigned char) p[len]))
			{
				key = i;
				p += len;
				break;
			}
		}
		if (key < 0)
			LIKERT_SYNTAX_ERROR(("Expected \"low\", \"high\" or \"counts\" at \"%s\".", p));
		if (seen[key])
			LIKERT_SYNTAX_ERROR(("\"%s\" is given twice.", keys[key]));
		seen[key] = true;
		while (*p == ' ' || *p == '\t')
			p++;
		if (*p != '=' && *p != ':')
			LIKERT_SYNTAX_ERROR(("Expected \"=\" after \"%s\".", keys[key]));
		p++;
		while (*p == ' ' || *p == '\t')
			p++;
		if (key < 2)
		{
			char	   *start = p;
			char		save;

			if (*p == '-' || *p == '+')
				p++;
			while (isdigit((unsigned char) *p))
				p++;
			if (!isdigit((unsigned char) p[-1]) || p == start)
				LIKERT_SYNTAX_ERROR(("Expected a whole number after \"%s=\".", keys[key]));
			save = *p;
			*p = '\0';
			bounds[key] = pg_strtoint32(start);	/* errors out on overflow */
			*p = save;
		}
		else
		{
			if (*p != '{')
				LIKERT_SYNTAX_ERROR(("Expected \"{\" after \"counts=\"."));
			p++;
			for (;;)
			{
				char	   *start;
				char		save;

				while (*p == ' ' || *p == '\t')
					p++;
				start = p;
				while (isdigit((unsigned char) *p))
					p++;
				if (p == start)
					LIKERT_SYNTAX_ERROR(("Expected a non-negative whole number in the counts at \"%s\".", start));
				if (ncounts == LIKERT_MAX_POINTS)
					LIKERT_SYNTAX_ERROR(("More than %d counts.", LIKERT_MAX_POINTS));
				save = *p;
				*p = '\0';
				counts[ncounts++] = pg_strtoint64(start);	/* errors out on overflow */
				*p = save;
				while (*p == ' ' || *p == '\t')
					p++;
				if (*p == '}')
					break;
				if (*p != ',')
					LIKERT_SYNTAX_ERROR(("Expected \",\" or \"}\" in the counts at \"%s\".", p));
				p++;
			}
			p++;
		}
		if (*p != '\0' && *p != ' ' && *p != '\t' && *p != '\n' && *p != '\r' && *p != ',')
			LIKERT_SYNTAX_ERROR(("Unexpected character after the value of \"%s\".", keys[key]));
	}
	for (int i = 0; i < 3; i++)
		if (!seen[i])
			LIKERT_SYNTAX_ERROR(("\"%s\" is missing.", keys[i]));
#undef LIKERT_SYNTAX_ERROR

	LikertCheckScale(bounds[0], bounds[1], ERRCODE_INVALID_TEXT_REPRESENTATION);
	if (ncounts != bounds[1] - bounds[0] + 1)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
				 errmsg("invalid input syntax for type %s: \"%s\"", "likert_summary", str),
				 errdetail("The scale " INT64_FORMAT ".." INT64_FORMAT " has " INT64_FORMAT " points, but %d counts are given.",
						   bounds[0], bounds[1], bounds[1] - bounds[0] + 1, ncounts)));
	LikertCheckCounts(counts, ncounts, ERRCODE_INVALID_TEXT_REPRESENTATION,
					  ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE, "input");
	PG_RETURN_POINTER(LikertSummaryMake((int32) bounds[0], (int32) bounds[1], counts));
}

Datum
likert_summary_in(PG_FUNCTION_ARGS)
{
	return pm_soft_input(fcinfo, LikertSummaryParse);
}

Datum
likert_summary_out(PG_FUNCTION_ARGS)
{
	LikertSummary *s = PG_GETARG_LIKERT_SUMMARY_P(0);
	StringInfoData buf;

	initStringInfo(&buf);
	appendStringInfo(&buf, "low=%d high=%d counts={", s->low, s->high);
	for (int i = 0; i < LikertPoints(s); i++)
		appendStringInfo(&buf, i == 0 ? INT64_FORMAT : "," INT64_FORMAT, s->counts[i]);
	appendStringInfoChar(&buf, '}');
	PG_RETURN_CSTRING(buf.data);
}

/*
 * Binary form: a one-byte format version, low and high as int32, then one
 * int64 count per point (version 1).  Everything read is checked: the
 * version, the scale, the exact length and the counts.
 */
Datum
likert_summary_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	int			version;
	int32		low,
				high;
	int			points;
	int64		counts[LIKERT_MAX_POINTS];

	if (buf->len - buf->cursor < 1)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid binary data for type likert_summary"),
				 errdetail("The value is empty.")));
	version = pq_getmsgbyte(buf);
	if (version != LIKERT_SUMMARY_VERSION)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("unsupported binary format version %d for type likert_summary", version),
				 errhint("This server reads version %d; upgrade platform_metrics to read newer data.",
						 LIKERT_SUMMARY_VERSION)));
	if (buf->len - buf->cursor < 2 * (int) sizeof(int32))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid binary data for type likert_summary"),
				 errdetail("Version %d starts with the scale's two 4-byte bounds; %d bytes follow the version.",
						   version, buf->len - buf->cursor)));
	low = (int32) pq_getmsgint(buf, 4);
	high = (int32) pq_getmsgint(buf, 4);
	LikertCheckScale(low, high, ERRCODE_INVALID_BINARY_REPRESENTATION);
	points = high - low + 1;
	if (buf->len - buf->cursor != points * (int) sizeof(int64))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid binary data for type likert_summary"),
				 errdetail("The scale %d..%d holds %d bytes of counts, not %d.",
						   low, high, points * (int) sizeof(int64), buf->len - buf->cursor)));
	for (int i = 0; i < points; i++)
		counts[i] = pq_getmsgint64(buf);
	LikertCheckCounts(counts, points, ERRCODE_INVALID_BINARY_REPRESENTATION,
					  ERRCODE_INVALID_BINARY_REPRESENTATION, "binary data");
	PG_RETURN_POINTER(LikertSummaryMake(low, high, counts));
}

Datum
likert_summary_send(PG_FUNCTION_ARGS)
{
	LikertSummary *s = PG_GETARG_LIKERT_SUMMARY_P(0);
	StringInfoData buf;

	pq_begintypsend(&buf);
	pq_sendbyte(&buf, LIKERT_SUMMARY_VERSION);
	pq_sendint32(&buf, s->low);
	pq_sendint32(&buf, s->high);
	for (int i = 0; i < LikertPoints(s); i++)
		pq_sendint64(&buf, s->counts[i]);
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

/*
 * Transition of likert_summary(score, low, high): count one score.  The
 * state starts as NULL and takes its scale from the first row with a score;
 * every later row must give the same scale.  Not strict, so that the scale
 * of the first row can be checked: NULL scores are skipped here.
 */
Datum
likert_summary_sfunc(PG_FUNCTION_ARGS)
{
	LikertSummary *s;
	int32		score,
				low,
				high;

	if (PG_ARGISNULL(1))
	{
		if (PG_ARGISNULL(0))
			PG_RETURN_NULL();
		PG_RETURN_DATUM(PG_GETARG_DATUM(0));
	}
	score = PG_GETARG_INT32(1);
	if (PG_ARGISNULL(2) || PG_ARGISNULL(3))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("likert scale bounds must not be null"),
				 errhint("Give the lowest and highest point of the scale, as in likert_summary(score, 1, 5).")));
	low = PG_GETARG_INT32(2);
	high = PG_GETARG_INT32(3);

	if (PG_ARGISNULL(0))
	{
		LikertCheckScale(low, high, ERRCODE_INVALID_PARAMETER_VALUE);
		s = LikertSummaryMake(low, high, NULL);
	}
	else
	{
		s = (LikertSummary *) pm_agg_state_arg(fcinfo);
		if (unlikely(s->low != low || s->high != high))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("likert scale %d..%d differs from the scale %d..%d of the rows before", low, high,
							s->low, s->high),
					 errhint("Every row of one likert_summary must give the same low and high; aggregate each scale separately.")));
	}
	if (unlikely(score < s->low || score > s->high))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("score %d is outside the likert scale %d..%d", score, s->low, s->high),
				 errhint("Filter out or correct the answer, or give the scale it was asked on.")));
	/*
	 * The total, not only this point's count, must stay within a bigint: a
	 * state given from outside (a direct call, an aggregate's initial value)
	 * may already hold the maximum total spread over several points.
	 */
	if (unlikely(LikertResponses(s) == PG_INT64_MAX))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("likert_summary response count is out of range")));
	s->counts[score - s->low]++;
	PG_RETURN_POINTER(s);
}

/* Errors out unless a and b summarize the same scale. */
static void
LikertCheckSameScale(const LikertSummary *a, const LikertSummary *b, const char *what)
{
	if (a->low != b->low || a->high != b->high)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("cannot %s likert_summary values of different scales", what),
				 errdetail("One has the scale %d..%d, the other %d..%d.", a->low, a->high, b->low, b->high),
				 errhint("Only answers given on the same scale can be combined.")));
}

/* Combine, rollup() transition and +: add the counts of b to a. */
Datum
likert_summary_combine(PG_FUNCTION_ARGS)
{
	LikertSummary *a = (LikertSummary *) pm_agg_state_arg(fcinfo);
	LikertSummary *b = PG_GETARG_LIKERT_SUMMARY_P(1);
	int64		counts[LIKERT_MAX_POINTS];
	int64		total = 0;

	LikertCheckSameScale(a, b, "merge");
	for (int i = 0; i < LikertPoints(a); i++)
		if (pg_add_s64_overflow(a->counts[i], b->counts[i], &counts[i]) ||
			pg_add_s64_overflow(total, counts[i], &total))
			ereport(ERROR,
					(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
					 errmsg("likert_summary response count is out of range")));
	memcpy(a->counts, counts, LikertPoints(a) * sizeof(int64));
	PG_RETURN_POINTER(a);
}

/*
 * Final function of likert_summary() and rollup(): a copy of the state, or
 * NULL when no response was counted.
 */
Datum
likert_summary_ffunc(PG_FUNCTION_ARGS)
{
	LikertSummary *s = PG_GETARG_LIKERT_SUMMARY_P(0);

	if (LikertResponses(s) == 0)
		PG_RETURN_NULL();
	PG_RETURN_POINTER(LikertSummaryMake(s->low, s->high, s->counts));
}

Datum
likert_summary_responses(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT64(LikertResponses(PG_GETARG_LIKERT_SUMMARY_P(0)));
}

/* Mean and sample variance of the scores; false without responses. */
static bool
LikertMoments(const LikertSummary *s, double *n_out, double *mean_out, double *var_out)
{
	double		n = 0.0,
				sum = 0.0,
				mean,
				m2 = 0.0;

	for (int i = 0; i < LikertPoints(s); i++)
	{
		n += (double) s->counts[i];
		sum += (double) s->counts[i] * ((double) s->low + i);
	}
	if (n == 0.0)
		return false;
	/*
	 * With more than 2^53 answers the rounded sum can put the mean a unit in
	 * the last place outside the scale (11.000000000000002 on 1..11); the
	 * exact mean never is.
	 */
	mean = fmin(fmax(sum / n, (double) s->low), (double) s->high);
	for (int i = 0; i < LikertPoints(s); i++)
	{
		double		d = (double) s->low + i - mean;

		m2 += (double) s->counts[i] * d * d;
	}
	*n_out = n;
	*mean_out = mean;
	*var_out = n > 1.0 ? m2 / (n - 1.0) : NAN;
	return true;
}

Datum
likert_summary_mean_score(PG_FUNCTION_ARGS)
{
	double		n,
				mean,
				var;

	if (!LikertMoments(PG_GETARG_LIKERT_SUMMARY_P(0), &n, &mean, &var))
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8(mean);
}

/* distribution(s): the counts of low..high as a bigint[] (indexed from 1). */
Datum
likert_summary_distribution(PG_FUNCTION_ARGS)
{
	LikertSummary *s = PG_GETARG_LIKERT_SUMMARY_P(0);
	Datum		elems[LIKERT_MAX_POINTS];

	for (int i = 0; i < LikertPoints(s); i++)
		elems[i] = Int64GetDatum(s->counts[i]);
	PG_RETURN_ARRAYTYPE_P(construct_array(elems, LikertPoints(s), INT8OID, sizeof(int64),
										  FLOAT8PASSBYVAL, TYPALIGN_DOUBLE));
}

/*
 * The number of answers at or above favorable_from, which must be a point of
 * the scale (a threshold outside it is most likely one meant for another).
 */
static int64
LikertFavorable(const LikertSummary *s, int32 favorable_from)
{
	int64		k = 0;

	if (favorable_from < s->low || favorable_from > s->high)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("favorable_from %d is outside the likert scale %d..%d", favorable_from, s->low, s->high),
				 errhint("Give the lowest favourable point of the scale, such as 4 on 1..5.")));
	for (int i = favorable_from - s->low; i < LikertPoints(s); i++)
		k += s->counts[i];
	return k;
}

Datum
likert_summary_favorable_share(PG_FUNCTION_ARGS)
{
	LikertSummary *s = PG_GETARG_LIKERT_SUMMARY_P(0);
	int64		k = LikertFavorable(s, PG_GETARG_INT32(1));
	int64		n = LikertResponses(s);

	if (n == 0)
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8((double) k / (double) n);
}

/* Two summaries are equal when their scales and counts are. */
static bool
LikertEquals(const LikertSummary *a, const LikertSummary *b)
{
	return a->low == b->low && a->high == b->high &&
		memcmp(a->counts, b->counts, LikertPoints(a) * sizeof(int64)) == 0;
}

Datum
likert_summary_eq(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(LikertEquals(PG_GETARG_LIKERT_SUMMARY_P(0), PG_GETARG_LIKERT_SUMMARY_P(1)));
}

Datum
likert_summary_ne(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(!LikertEquals(PG_GETARG_LIKERT_SUMMARY_P(0), PG_GETARG_LIKERT_SUMMARY_P(1)));
}

/* Hash of the scale and counts only, consistent with equality whatever the version. */
static void
LikertHashKey(const LikertSummary *s, int64 *key)
{
	key[0] = s->low;
	key[1] = s->high;
	memcpy(key + 2, s->counts, LikertPoints(s) * sizeof(int64));
}

Datum
likert_summary_hash(PG_FUNCTION_ARGS)
{
	LikertSummary *s = PG_GETARG_LIKERT_SUMMARY_P(0);
	int64		key[2 + LIKERT_MAX_POINTS];

	LikertHashKey(s, key);
	return hash_any((const unsigned char *) key, (2 + LikertPoints(s)) * sizeof(int64));
}

Datum
likert_summary_hash_extended(PG_FUNCTION_ARGS)
{
	LikertSummary *s = PG_GETARG_LIKERT_SUMMARY_P(0);
	int64		key[2 + LIKERT_MAX_POINTS];

	LikertHashKey(s, key);
	return hash_any_extended((const unsigned char *) key, (2 + LikertPoints(s)) * sizeof(int64),
							 PG_GETARG_INT64(1));
}

/*
 * The finite-population factor sqrt((N - n) / (N - 1)) for a population
 * argument (argno), 1 when it is NULL (unknown).  The population is the
 * number of developers asked; fewer than the responses is a contradiction.
 */
static double
LikertPopulationFactor(FunctionCallInfo fcinfo, int argno, int64 n)
{
	int64		population;

	if (PG_ARGISNULL(argno))
		return 1.0;
	population = PG_GETARG_INT64(argno);
	if (population <= 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("population must be greater than zero"),
				 errhint("The population is the number of developers asked; pass NULL if it is unknown.")));
	if (population < n)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("population " INT64_FORMAT " is smaller than the number of responses " INT64_FORMAT,
						population, n),
				 errhint("The population is the number of developers asked; pass NULL if it is unknown.")));
	if (population == n)
		return 0.0;
	return sqrt(((double) population - (double) n) / ((double) population - 1.0));
}

/* A (low, high) row of the function's result type. */
static Datum
LikertInterval(FunctionCallInfo fcinfo, double low, double high)
{
	TupleDesc	tupdesc;
	Datum		values[2];
	bool		nulls[2] = {false, false};

	if (get_call_result_type(fcinfo, NULL, &tupdesc) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "return type must be a row type");
	tupdesc = BlessTupleDesc(tupdesc);
	values[0] = Float8GetDatum(low);
	values[1] = Float8GetDatum(high);
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(tupdesc, values, nulls)));
}

/*
 * favorable_ci(s, favorable_from, confidence, population): the Wilson score
 * interval of the favourable share.  The finite-population correction
 * multiplies the standard error, which in Wilson's inversion is the same as
 * multiplying z; a census gives the observed share.
 */
Datum
favorable_ci(PG_FUNCTION_ARGS)
{
	LikertSummary *s;
	double		confidence,
				f,
				low,
				high;
	int64		k,
				n;

	if (PG_ARGISNULL(0) || PG_ARGISNULL(1) || PG_ARGISNULL(2))
		PG_RETURN_NULL();
	s = PG_GETARG_LIKERT_SUMMARY_P(0);
	confidence = PG_GETARG_FLOAT8(2);
	pm_check_confidence(confidence);
	k = LikertFavorable(s, PG_GETARG_INT32(1));
	n = LikertResponses(s);
	f = LikertPopulationFactor(fcinfo, 3, n);
	if (n == 0)
		PG_RETURN_NULL();
	pm_wilson_interval((double) k, (double) n, f * pm_z_for_confidence(confidence), &low, &high);
	return LikertInterval(fcinfo, low, high);
}

/*
 * mean_ci(s, confidence, population): mean +/- t(n - 1) s / sqrt(n), the
 * standard error finite-population corrected.  NULL with one response
 * (no variance to estimate) unless that one is the whole population.
 */
Datum
mean_ci(PG_FUNCTION_ARGS)
{
	LikertSummary *s;
	double		confidence,
				f,
				n,
				mean,
				var,
				half;

	if (PG_ARGISNULL(0) || PG_ARGISNULL(1))
		PG_RETURN_NULL();
	s = PG_GETARG_LIKERT_SUMMARY_P(0);
	confidence = PG_GETARG_FLOAT8(1);
	pm_check_confidence(confidence);
	f = LikertPopulationFactor(fcinfo, 2, LikertResponses(s));
	if (!LikertMoments(s, &n, &mean, &var))
		PG_RETURN_NULL();
	if (f == 0.0)
		return LikertInterval(fcinfo, mean, mean);
	if (n < 2.0)
		PG_RETURN_NULL();
	half = pm_t_for_confidence(confidence, n - 1.0) * sqrt(var / n) * f;
	return LikertInterval(fcinfo, mean - half, mean + half);
}

/* favorable_test(a, b, favorable_from): pooled two-proportion z-test. */
Datum
favorable_test(PG_FUNCTION_ARGS)
{
	LikertSummary *a = PG_GETARG_LIKERT_SUMMARY_P(0);
	LikertSummary *b = PG_GETARG_LIKERT_SUMMARY_P(1);
	int32		from = PG_GETARG_INT32(2);
	int64		ka,
				kb,
				na,
				nb;

	LikertCheckSameScale(a, b, "compare");
	ka = LikertFavorable(a, from);
	kb = LikertFavorable(b, from);
	na = LikertResponses(a);
	nb = LikertResponses(b);
	if (na == 0 || nb == 0)
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8(pm_two_proportion_test((double) ka, (double) na, (double) kb, (double) nb));
}

/* favorable_diff_ci(a, b, favorable_from, confidence): Newcombe for share(b) - share(a). */
Datum
favorable_diff_ci(PG_FUNCTION_ARGS)
{
	LikertSummary *a = PG_GETARG_LIKERT_SUMMARY_P(0);
	LikertSummary *b = PG_GETARG_LIKERT_SUMMARY_P(1);
	int32		from = PG_GETARG_INT32(2);
	double		confidence = PG_GETARG_FLOAT8(3);
	int64		ka,
				kb,
				na,
				nb;
	double		low,
				high;

	pm_check_confidence(confidence);
	LikertCheckSameScale(a, b, "compare");
	ka = LikertFavorable(a, from);
	kb = LikertFavorable(b, from);
	na = LikertResponses(a);
	nb = LikertResponses(b);
	if (na == 0 || nb == 0)
		PG_RETURN_NULL();
	pm_newcombe_interval((double) ka, (double) na, (double) kb, (double) nb,
						 pm_z_for_confidence(confidence), &low, &high);
	return LikertInterval(fcinfo, low, high);
}

/* rank_test(a, b): Mann-Whitney U from the two count vectors. */
Datum
rank_test(PG_FUNCTION_ARGS)
{
	LikertSummary *a = PG_GETARG_LIKERT_SUMMARY_P(0);
	LikertSummary *b = PG_GETARG_LIKERT_SUMMARY_P(1);
	int64_t		ca[LIKERT_MAX_POINTS],
				cb[LIKERT_MAX_POINTS];

	LikertCheckSameScale(a, b, "compare");
	if (LikertResponses(a) == 0 || LikertResponses(b) == 0)
		PG_RETURN_NULL();
	/* stats.c speaks int64_t, which need not be the same type as int64 */
	for (int i = 0; i < LikertPoints(a); i++)
	{
		ca[i] = a->counts[i];
		cb[i] = b->counts[i];
	}
	PG_RETURN_FLOAT8(pm_rank_test(ca, cb, LikertPoints(a)));
}
