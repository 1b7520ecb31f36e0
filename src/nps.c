/*
 * nps.c
 *		Developer NPS: the nps_summary type, the nps() and nps_summary()
 *		aggregates with their combine and inverse transitions, rollup(), the
 *		accessors, and the interval, test and sample-size functions.
 *
 * The aggregates' transition state is nps_summary itself, a real SQL type
 * with a lossless text form, so partial aggregation can be shipped between
 * processes (parallel query) and between servers (Citus) as ordinary values.
 * Inside an aggregate the state is updated in place, so a row costs no
 * allocation.
 */
#include "postgres.h"

#include <ctype.h>
#include <math.h>

#include "access/htup_details.h"
#include "common/hashfn.h"
#include "common/int.h"
#include "funcapi.h"
#include "libpq/pqformat.h"
#include "utils/builtins.h"

#include "compat.h"
#include "platform_metrics.h"
#include "nps.h"
#include "stats.h"

PG_FUNCTION_INFO_V1(nps_summary_in);
PG_FUNCTION_INFO_V1(nps_summary_out);
PG_FUNCTION_INFO_V1(nps_summary_recv);
PG_FUNCTION_INFO_V1(nps_summary_send);
PG_FUNCTION_INFO_V1(nps_summary_sfunc);
PG_FUNCTION_INFO_V1(nps_summary_inv);
PG_FUNCTION_INFO_V1(nps_summary_combine);
PG_FUNCTION_INFO_V1(nps_summary_combine_inv);
PG_FUNCTION_INFO_V1(nps_summary_ffunc);
PG_FUNCTION_INFO_V1(nps_summary_nps);
PG_FUNCTION_INFO_V1(nps_summary_promoters);
PG_FUNCTION_INFO_V1(nps_summary_passives);
PG_FUNCTION_INFO_V1(nps_summary_detractors);
PG_FUNCTION_INFO_V1(nps_summary_responses);
PG_FUNCTION_INFO_V1(nps_summary_eq);
PG_FUNCTION_INFO_V1(nps_summary_ne);
PG_FUNCTION_INFO_V1(nps_summary_hash);
PG_FUNCTION_INFO_V1(nps_summary_hash_extended);
PG_FUNCTION_INFO_V1(nps_ci);
PG_FUNCTION_INFO_V1(nps_margin);
PG_FUNCTION_INFO_V1(nps_test);
PG_FUNCTION_INFO_V1(nps_required_n);

static const char *const count_names[3] = {"promoters", "passives", "detractors"};

/* A new summary with the given counts, in the current memory context. */
static NpsSummary *
NpsSummaryMake(int64 promoters, int64 passives, int64 detractors)
{
	NpsSummary *s = (NpsSummary *) palloc0(sizeof(NpsSummary));

	SET_VARSIZE(s, sizeof(NpsSummary));
	s->version = NPS_SUMMARY_VERSION;
	s->promoters = promoters;
	s->passives = passives;
	s->detractors = detractors;
	return s;
}

/*
 * Check the invariant of a summary built from outside input: counts are
 * non-negative and their sum fits in a bigint.
 */
static void
NpsSummaryValidate(const int64 counts[3], int errcode_, int overflow_errcode,
				   const char *what)
{
	int64		total = 0;

	for (int i = 0; i < 3; i++)
	{
		if (counts[i] < 0)
			ereport(ERROR,
					(errcode(errcode_),
					 errmsg("invalid %s for type nps_summary", what),
					 errdetail("The count of %s is negative: " INT64_FORMAT ".",
							   count_names[i], counts[i])));
		if (pg_add_s64_overflow(total, counts[i], &total))
			ereport(ERROR,
					(errcode(overflow_errcode),
					 errmsg("nps_summary response count is out of range"),
					 errdetail("The total number of responses does not fit in a bigint.")));
	}
}

/*
 * Text form: "promoters=54 passives=20 detractors=10".  Keys are
 * case-insensitive, may come in any order and be separated by spaces and/or
 * commas; each must appear exactly once.
 */
static Datum
NpsSummaryParse(PG_FUNCTION_ARGS)
{
	char	   *str = PG_GETARG_CSTRING(0);
	char	   *p = str;
	int64		counts[3];
	bool		seen[3] = {false, false, false};

#define NPS_SYNTAX_ERROR(detail) \
	ereport(ERROR, \
			(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION), \
			 errmsg("invalid input syntax for type %s: \"%s\"", "nps_summary", str), \
			 errdetail detail, \
			 errhint("The form is \"promoters=N passives=N detractors=N\".")))

	for (;;)
	{
		int			key = -1;
		char	   *start;
		char		save;

		while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r' || *p == ',')
			p++;
		if (*p == '\0')
			break;

		for (int i = 0; i < 3; i++)
		{
			size_t		len = strlen(count_names[i]);

			if (pg_strncasecmp(p, count_names[i], len) == 0 &&
				!isalpha((unsigned char) p[len]))
			{
				key = i;
				p += len;
				break;
			}
		}
		if (key < 0)
			NPS_SYNTAX_ERROR(("Expected \"promoters\", \"passives\" or \"detractors\" at \"%s\".", p));
		if (seen[key])
			NPS_SYNTAX_ERROR(("The count of %s is given twice.", count_names[key]));
		while (*p == ' ' || *p == '\t')
			p++;
		if (*p != '=' && *p != ':')
			NPS_SYNTAX_ERROR(("Expected \"=\" after \"%s\".", count_names[key]));
		p++;
		while (*p == ' ' || *p == '\t')
			p++;
		start = p;
		while (isdigit((unsigned char) *p))
			p++;
		if (p == start)
			NPS_SYNTAX_ERROR(("Expected a non-negative whole number after \"%s=\".", count_names[key]));
		save = *p;
		*p = '\0';
		counts[key] = pg_strtoint64(start);	/* errors out on overflow */
		*p = save;
		seen[key] = true;
		if (*p != '\0' && *p != ' ' && *p != '\t' && *p != '\n' && *p != '\r' && *p != ',')
			NPS_SYNTAX_ERROR(("Unexpected character after the count of %s.", count_names[key]));
	}
	for (int i = 0; i < 3; i++)
		if (!seen[i])
			NPS_SYNTAX_ERROR(("The count of %s is missing.", count_names[i]));
#undef NPS_SYNTAX_ERROR

	NpsSummaryValidate(counts, ERRCODE_INVALID_TEXT_REPRESENTATION,
					   ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE, "input");
	PG_RETURN_POINTER(NpsSummaryMake(counts[0], counts[1], counts[2]));
}

Datum
nps_summary_in(PG_FUNCTION_ARGS)
{
	return pm_soft_input(fcinfo, NpsSummaryParse);
}

Datum
nps_summary_out(PG_FUNCTION_ARGS)
{
	NpsSummary *s = PG_GETARG_NPS_SUMMARY_P(0);

	PG_RETURN_CSTRING(psprintf("promoters=" INT64_FORMAT " passives=" INT64_FORMAT
							   " detractors=" INT64_FORMAT,
							   s->promoters, s->passives, s->detractors));
}

/*
 * Binary form: a one-byte format version, then the three counts as int64
 * (version 1).  Everything read is checked: the version, the exact length and
 * the counts' invariant.
 */
Datum
nps_summary_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	int			version;
	int64		counts[3];

	if (buf->len - buf->cursor < 1)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid binary data for type nps_summary"),
				 errdetail("The value is empty.")));
	version = pq_getmsgbyte(buf);
	if (version != NPS_SUMMARY_VERSION)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("unsupported binary format version %d for type nps_summary", version),
				 errhint("This server reads version %d; upgrade platform_metrics to read newer data.",
						 NPS_SUMMARY_VERSION)));
	if (buf->len - buf->cursor != 3 * (int) sizeof(int64))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid binary data for type nps_summary"),
				 errdetail("Version %d holds %d bytes of counts, not %d.",
						   version, 3 * (int) sizeof(int64), buf->len - buf->cursor)));
	for (int i = 0; i < 3; i++)
		counts[i] = pq_getmsgint64(buf);
	NpsSummaryValidate(counts, ERRCODE_INVALID_BINARY_REPRESENTATION,
					   ERRCODE_INVALID_BINARY_REPRESENTATION, "binary data");
	PG_RETURN_POINTER(NpsSummaryMake(counts[0], counts[1], counts[2]));
}

Datum
nps_summary_send(PG_FUNCTION_ARGS)
{
	NpsSummary *s = PG_GETARG_NPS_SUMMARY_P(0);
	StringInfoData buf;

	pq_begintypsend(&buf);
	pq_sendbyte(&buf, NPS_SUMMARY_VERSION);
	pq_sendint64(&buf, s->promoters);
	pq_sendint64(&buf, s->passives);
	pq_sendint64(&buf, s->detractors);
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

/*
 * The count a score falls into, or an error for a score outside 0..10.  A
 * table instead of comparisons: survey scores arrive in no particular order,
 * and a branch on them would be mispredicted on most rows.
 */
StaticAssertDecl(offsetof(NpsSummary, passives) == offsetof(NpsSummary, promoters) + sizeof(int64) &&
				 offsetof(NpsSummary, detractors) == offsetof(NpsSummary, promoters) + 2 * sizeof(int64),
				 "NpsSummary counts must be contiguous");

static inline int64 *
NpsBucket(NpsSummary *s, int32 score)
{
	/* 0: promoters, 1: passives, 2: detractors */
	static const uint8 bucket_of[11] = {2, 2, 2, 2, 2, 2, 2, 1, 1, 0, 0};

	if (unlikely((uint32) score > 10))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("NPS score %d is out of range", score),
				 errdetail("A Net Promoter Score answer is a whole number from 0 to 10."),
				 errhint("Filter out or correct the answer before aggregating it.")));
	return &s->promoters + bucket_of[score];
}

/* Transition: count one score in its bucket. */
Datum
nps_summary_sfunc(PG_FUNCTION_ARGS)
{
	NpsSummary *s = (NpsSummary *) pm_agg_state_arg(fcinfo);
	int64	   *bucket = NpsBucket(s, PG_GETARG_INT32(1));

	if (unlikely(NpsSummaryResponses(s) == PG_INT64_MAX))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("nps_summary response count is out of range")));
	(*bucket)++;
	PG_RETURN_POINTER(s);
}

/*
 * Inverse transition for moving windows: take one score back out.  A bucket
 * can only go negative if the executor removed a row it never added.
 */
Datum
nps_summary_inv(PG_FUNCTION_ARGS)
{
	NpsSummary *s = (NpsSummary *) pm_agg_state_arg(fcinfo);
	int64	   *bucket = NpsBucket(s, PG_GETARG_INT32(1));

	if (*bucket <= 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("cannot remove score %d from an nps_summary that counts none in its category",
						PG_GETARG_INT32(1)),
				 errhint("nps_summary_inv() is the inverse transition of moving-window aggregates; it only removes what was added.")));
	(*bucket)--;
	PG_RETURN_POINTER(s);
}

/* Combine (and rollup transition): add the counts of b to a. */
Datum
nps_summary_combine(PG_FUNCTION_ARGS)
{
	NpsSummary *a = (NpsSummary *) pm_agg_state_arg(fcinfo);
	NpsSummary *b = PG_GETARG_NPS_SUMMARY_P(1);
	int64		counts[3];

	if (pg_add_s64_overflow(a->promoters, b->promoters, &counts[0]) ||
		pg_add_s64_overflow(a->passives, b->passives, &counts[1]) ||
		pg_add_s64_overflow(a->detractors, b->detractors, &counts[2]))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("nps_summary response count is out of range")));
	NpsSummaryValidate(counts, ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE,
					   ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE, "sum");
	a->promoters = counts[0];
	a->passives = counts[1];
	a->detractors = counts[2];
	PG_RETURN_POINTER(a);
}

/* Inverse of the rollup transition: subtract the counts of b from a. */
Datum
nps_summary_combine_inv(PG_FUNCTION_ARGS)
{
	NpsSummary *a = (NpsSummary *) pm_agg_state_arg(fcinfo);
	NpsSummary *b = PG_GETARG_NPS_SUMMARY_P(1);

	if (a->promoters < b->promoters || a->passives < b->passives ||
		a->detractors < b->detractors)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("cannot remove an nps_summary with more responses in a category than the summary it is removed from"),
				 errhint("nps_summary_inv() is the inverse transition of moving-window rollups; it only removes what was added.")));
	a->promoters -= b->promoters;
	a->passives -= b->passives;
	a->detractors -= b->detractors;
	PG_RETURN_POINTER(a);
}

/*
 * Final function of nps_summary() and rollup(): a copy of the state, or NULL
 * when no response was counted (as sum() of no rows is NULL).  The copy
 * keeps the result independent of a state that a moving window goes on
 * updating in place.
 */
Datum
nps_summary_ffunc(PG_FUNCTION_ARGS)
{
	NpsSummary *s = PG_GETARG_NPS_SUMMARY_P(0);

	if (NpsSummaryResponses(s) == 0)
		PG_RETURN_NULL();
	PG_RETURN_POINTER(NpsSummaryMake(s->promoters, s->passives, s->detractors));
}

/* NPS = 100 * (promoters - detractors) / responses; NULL without responses. */
Datum
nps_summary_nps(PG_FUNCTION_ARGS)
{
	NpsSummary *s = PG_GETARG_NPS_SUMMARY_P(0);
	int64		n = NpsSummaryResponses(s);

	if (n == 0)
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8(100.0 * ((double) s->promoters - (double) s->detractors) / (double) n);
}

Datum
nps_summary_promoters(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT64(PG_GETARG_NPS_SUMMARY_P(0)->promoters);
}

Datum
nps_summary_passives(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT64(PG_GETARG_NPS_SUMMARY_P(0)->passives);
}

Datum
nps_summary_detractors(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT64(PG_GETARG_NPS_SUMMARY_P(0)->detractors);
}

Datum
nps_summary_responses(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT64(NpsSummaryResponses(PG_GETARG_NPS_SUMMARY_P(0)));
}

/* Two summaries are equal when their three counts are. */
static bool
NpsSummaryEquals(const NpsSummary *a, const NpsSummary *b)
{
	return a->promoters == b->promoters && a->passives == b->passives &&
		a->detractors == b->detractors;
}

Datum
nps_summary_eq(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(NpsSummaryEquals(PG_GETARG_NPS_SUMMARY_P(0), PG_GETARG_NPS_SUMMARY_P(1)));
}

Datum
nps_summary_ne(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(!NpsSummaryEquals(PG_GETARG_NPS_SUMMARY_P(0), PG_GETARG_NPS_SUMMARY_P(1)));
}

/* Hash of the counts only, consistent with equality whatever the version. */
Datum
nps_summary_hash(PG_FUNCTION_ARGS)
{
	NpsSummary *s = PG_GETARG_NPS_SUMMARY_P(0);
	int64		counts[3] = {s->promoters, s->passives, s->detractors};

	return hash_any((const unsigned char *) counts, sizeof(counts));
}

Datum
nps_summary_hash_extended(PG_FUNCTION_ARGS)
{
	NpsSummary *s = PG_GETARG_NPS_SUMMARY_P(0);
	int64		counts[3] = {s->promoters, s->passives, s->detractors};

	return hash_any_extended((const unsigned char *) counts, sizeof(counts),
							 PG_GETARG_INT64(1));
}

/*
 * Shared argument handling of nps_ci() and nps_margin(): returns false when
 * the result is NULL (a NULL argument, or no responses), otherwise fills in
 * the interval.  The population, if given, is the number of developers
 * asked; fewer than the responses is a contradiction.
 */
static bool
NpsIntervalArgs(FunctionCallInfo fcinfo, double *margin, double *low, double *high)
{
	NpsSummary *s;
	double		confidence;
	int64		population = 0;
	int64		n;
	double		center;

	if (PG_ARGISNULL(0) || PG_ARGISNULL(1))
		return false;
	s = PG_GETARG_NPS_SUMMARY_P(0);
	confidence = PG_GETARG_FLOAT8(1);
	pm_check_confidence(confidence);
	n = NpsSummaryResponses(s);
	if (!PG_ARGISNULL(2))
	{
		population = PG_GETARG_INT64(2);
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
	}
	if (n == 0)
		return false;
	pm_nps_interval(s->promoters, s->passives, s->detractors, confidence,
					population, &center, margin, low, high);
	return true;
}

/* nps_ci(s, confidence, population) -> (low, high) */
Datum
nps_ci(PG_FUNCTION_ARGS)
{
	TupleDesc	tupdesc;
	Datum		values[2];
	bool		nulls[2] = {false, false};
	double		margin,
				low,
				high;

	if (!NpsIntervalArgs(fcinfo, &margin, &low, &high))
		PG_RETURN_NULL();
	if (get_call_result_type(fcinfo, NULL, &tupdesc) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "return type must be a row type");
	tupdesc = BlessTupleDesc(tupdesc);
	values[0] = Float8GetDatum(low);
	values[1] = Float8GetDatum(high);
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(tupdesc, values, nulls)));
}

/*
 * nps_margin(s, confidence, population): the half-width of the nps_ci
 * interval, (high - low) / 2, so that it never claims more uncertainty than
 * the clipped interval shows.
 */
Datum
nps_margin(PG_FUNCTION_ARGS)
{
	double		margin,
				low,
				high;

	if (!NpsIntervalArgs(fcinfo, &margin, &low, &high))
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8((high - low) / 2.0);
}

/* nps_test(a, b): two-sided p-value of NPS(a) = NPS(b); NULL if either is empty. */
Datum
nps_test(PG_FUNCTION_ARGS)
{
	NpsSummary *a = PG_GETARG_NPS_SUMMARY_P(0);
	NpsSummary *b = PG_GETARG_NPS_SUMMARY_P(1);

	if (NpsSummaryResponses(a) == 0 || NpsSummaryResponses(b) == 0)
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8(pm_nps_test(a->promoters, a->passives, a->detractors,
								 b->promoters, b->passives, b->detractors));
}

/* nps_required_n(margin, confidence): responses needed for +/- margin points. */
Datum
nps_required_n(PG_FUNCTION_ARGS)
{
	double		margin = PG_GETARG_FLOAT8(0);
	double		confidence = PG_GETARG_FLOAT8(1);
	double		n;

	if (isnan(margin) || margin <= 0.0 || margin > 200.0)
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("margin %g is out of range", margin),
				 errhint("Give the margin of error in NPS points, greater than 0 and at most 200.")));
	pm_check_confidence(confidence);
	n = ceil(pm_nps_required_n(margin, confidence));
	if (n > (double) PG_INT32_MAX)
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("required number of responses is out of range for type integer"),
				 errhint("Ask for a wider margin or a lower confidence.")));
	PG_RETURN_INT32(n < 1.0 ? 1 : (int32) n);
}
