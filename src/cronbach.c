/*
 * cronbach.c
 *		Cronbach's alpha of a set of survey items answered by the same
 *		respondents, and Feldt's confidence interval: the aggregates
 *		cronbach_alpha(submission, item, score) and
 *		cronbach_alpha_ci(submission, item, score, confidence).
 *
 * Alpha needs the answers of each respondent to every item together, and the
 * rows can come in any order, so the state keeps every answer (internal, with
 * combine, serialize and deserialize functions for parallel query), bounded
 * by the limits below.  Respondents who miss an item are left out entirely
 * (listwise deletion).
 */
#include "postgres.h"

#include <math.h>

#include "access/htup_details.h"
#include "funcapi.h"
#include "utils/builtins.h"
#include "utils/memutils.h"

#include "platform_metrics.h"
#include "stats.h"

PG_FUNCTION_INFO_V1(cronbach_sfunc);
PG_FUNCTION_INFO_V1(cronbach_combine);
PG_FUNCTION_INFO_V1(cronbach_serialize);
PG_FUNCTION_INFO_V1(cronbach_deserialize);
PG_FUNCTION_INFO_V1(cronbach_alpha_ffunc);
PG_FUNCTION_INFO_V1(cronbach_alpha_ci_ffunc);

/* Limits of one group (documented in the README). */
#define CRONBACH_MAX_ITEMS		100
#define CRONBACH_MAX_ANSWERS	INT64CONST(4000000)
#define CRONBACH_MAX_TEXT		(INT64CONST(64) * 1024 * 1024)

/* One answer: its submission id is text[sub_off .. sub_off + sub_len). */
typedef struct CronbachRow
{
	int64		sub_off;
	double		score;
	int32		item;
	int32		sub_len;
} CronbachRow;

typedef struct CronbachState
{
	int32		nitems;
	bool		has_confidence;
	double		confidence;
	text	   *items[CRONBACH_MAX_ITEMS];
	int64		nrows;
	int64		rows_cap;
	CronbachRow *rows;
	int64		text_len;		/* submission ids, consecutive repeats stored once */
	int64		text_cap;
	char	   *text;
	int64		last_off;		/* the latest submission id stored */
	int32		last_len;
} CronbachState;

static CronbachState *
CronbachNew(MemoryContext cxt)
{
	CronbachState *st = (CronbachState *) MemoryContextAllocZero(cxt, sizeof(CronbachState));

	st->last_len = -1;
	return st;
}

static void
CronbachTooMuch(const char *what, int64 limit)
{
	ereport(ERROR,
			(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
			 errmsg("too many %s for cronbach_alpha", what),
			 errdetail("Cronbach's alpha keeps every answer of its group in memory; the limit is " INT64_FORMAT " %s per group.",
					   limit, what),
			 errhint("Compute alpha per wave or on a sample of the respondents.")));
}

/* The index of an item, added when new. */
static int32
CronbachItem(CronbachState *st, MemoryContext cxt, const char *name, int len)
{
	text	   *t;

	for (int32 i = st->nitems - 1; i >= 0; i--)
		if ((int) VARSIZE_ANY_EXHDR(st->items[i]) == len && memcmp(VARDATA_ANY(st->items[i]), name, len) == 0)
			return i;
	if (st->nitems == CRONBACH_MAX_ITEMS)
		CronbachTooMuch("items", CRONBACH_MAX_ITEMS);
	t = (text *) MemoryContextAlloc(cxt, VARHDRSZ + len);
	SET_VARSIZE(t, VARHDRSZ + len);
	memcpy(VARDATA(t), name, len);
	st->items[st->nitems] = t;
	return st->nitems++;
}

/* Stores a submission id (once for consecutive answers of one submission). */
static int64
CronbachSubmission(CronbachState *st, MemoryContext cxt, const char *id, int len)
{
	if (st->last_len == len && memcmp(st->text + st->last_off, id, len) == 0)
		return st->last_off;
	if (st->text_len + len > CRONBACH_MAX_TEXT)
		CronbachTooMuch("bytes of submission ids", CRONBACH_MAX_TEXT);
	if (st->text_len + len > st->text_cap)
	{
		int64		cap = Min(Max(st->text_len + len, Max(st->text_cap * 2, 1024)), CRONBACH_MAX_TEXT);

		st->text = st->text ? repalloc_huge(st->text, cap) : MemoryContextAllocHuge(cxt, cap);
		st->text_cap = cap;
	}
	memcpy(st->text + st->text_len, id, len);
	st->last_off = st->text_len;
	st->last_len = len;
	st->text_len += len;
	return st->last_off;
}

static void
CronbachReserve(CronbachState *st, MemoryContext cxt, int64 extra)
{
	int64		need = st->nrows + extra;
	int64		cap;

	if (need <= st->rows_cap)
		return;
	if (need > CRONBACH_MAX_ANSWERS)
		CronbachTooMuch("answers", CRONBACH_MAX_ANSWERS);
	cap = Min(Max(need, Max(st->rows_cap * 2, 64)), CRONBACH_MAX_ANSWERS);
	st->rows = st->rows ? repalloc_huge(st->rows, cap * sizeof(CronbachRow))
		: MemoryContextAllocHuge(cxt, cap * sizeof(CronbachRow));
	st->rows_cap = cap;
}

/* Every row of cronbach_alpha_ci() gives the same confidence level. */
static void
CronbachSetConfidence(CronbachState *st, double confidence)
{
	if (!st->has_confidence)
	{
		pm_check_confidence(confidence);
		st->has_confidence = true;
		st->confidence = confidence;
	}
	else if (st->confidence != confidence)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("confidence level %g differs from the level %g of the rows before", confidence,
						st->confidence),
				 errhint("Give cronbach_alpha_ci() one confidence level for the whole group, such as 0.95.")));
}

/*
 * Transition of both aggregates: (submission, item, score[, confidence]).
 * A row without a submission or item is skipped; a NULL score is a missing
 * answer (the item still counts, and that respondent is left out).
 */
Datum
cronbach_sfunc(PG_FUNCTION_ARGS)
{
	MemoryContext aggcxt;
	CronbachState *st = PG_ARGISNULL(0) ? NULL : (CronbachState *) PG_GETARG_POINTER(0);
	text	   *sub,
			   *item;
	int32		idx;
	double		score;

	if (!AggCheckCallContext(fcinfo, &aggcxt))
		elog(ERROR, "cronbach_sfunc called in non-aggregate context");
	if (PG_NARGS() > 4)
	{
		if (PG_ARGISNULL(4))
			ereport(ERROR,
					(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
					 errmsg("confidence level must not be null"),
					 errhint("Give cronbach_alpha_ci() one confidence level for the whole group, such as 0.95.")));
		if (st == NULL)
			st = CronbachNew(aggcxt);
		CronbachSetConfidence(st, PG_GETARG_FLOAT8(4));
	}
	if (PG_ARGISNULL(1) || PG_ARGISNULL(2))
	{
		if (st == NULL)
			PG_RETURN_NULL();
		PG_RETURN_POINTER(st);
	}
	if (st == NULL)
		st = CronbachNew(aggcxt);
	sub = PG_GETARG_TEXT_PP(1);
	item = PG_GETARG_TEXT_PP(2);
	idx = CronbachItem(st, aggcxt, VARDATA_ANY(item), VARSIZE_ANY_EXHDR(item));
	if (PG_ARGISNULL(3))
		PG_RETURN_POINTER(st);
	score = PG_GETARG_FLOAT8(3);
	if (!isfinite(score))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("score %g is not a finite number", score),
				 errhint("Filter out or correct the answer before aggregating it.")));
	CronbachReserve(st, aggcxt, 1);
	st->rows[st->nrows].sub_off = CronbachSubmission(st, aggcxt, VARDATA_ANY(sub), VARSIZE_ANY_EXHDR(sub));
	st->rows[st->nrows].sub_len = VARSIZE_ANY_EXHDR(sub);
	st->rows[st->nrows].item = idx;
	st->rows[st->nrows].score = score;
	st->nrows++;
	PG_RETURN_POINTER(st);
}

/* Appends the answers of b to a, mapping b's items to a's. */
static void
CronbachMerge(CronbachState *a, const CronbachState *b, MemoryContext cxt)
{
	int32		map[CRONBACH_MAX_ITEMS];
	int64		shift;

	if (b->has_confidence)
		CronbachSetConfidence(a, b->confidence);
	for (int32 i = 0; i < b->nitems; i++)
		map[i] = CronbachItem(a, cxt, VARDATA_ANY(b->items[i]), VARSIZE_ANY_EXHDR(b->items[i]));
	if (b->nrows == 0)
		return;
	if (a->text_len + b->text_len > CRONBACH_MAX_TEXT)
		CronbachTooMuch("bytes of submission ids", CRONBACH_MAX_TEXT);
	if (a->text_len + b->text_len > a->text_cap)
	{
		int64		cap = a->text_len + b->text_len;

		a->text = a->text ? repalloc_huge(a->text, cap) : MemoryContextAllocHuge(cxt, cap);
		a->text_cap = cap;
	}
	shift = a->text_len;
	if (b->text_len > 0)
		memcpy(a->text + a->text_len, b->text, b->text_len);
	a->text_len += b->text_len;
	a->last_len = -1;
	CronbachReserve(a, cxt, b->nrows);
	for (int64 i = 0; i < b->nrows; i++)
	{
		CronbachRow *r = &a->rows[a->nrows++];

		*r = b->rows[i];
		r->sub_off += shift;
		r->item = map[r->item];
	}
}

Datum
cronbach_combine(PG_FUNCTION_ARGS)
{
	MemoryContext aggcxt;
	CronbachState *a = PG_ARGISNULL(0) ? NULL : (CronbachState *) PG_GETARG_POINTER(0);
	CronbachState *b = PG_ARGISNULL(1) ? NULL : (CronbachState *) PG_GETARG_POINTER(1);

	if (!AggCheckCallContext(fcinfo, &aggcxt))
		elog(ERROR, "cronbach_combine called in non-aggregate context");
	if (b == NULL)
	{
		if (a == NULL)
			PG_RETURN_NULL();
		PG_RETURN_POINTER(a);
	}
	if (a == NULL)
		a = CronbachNew(aggcxt);
	CronbachMerge(a, b, aggcxt);
	PG_RETURN_POINTER(a);
}

/*
 * Serialized form for parallel query (between processes of one server, so in
 * native byte order): a header, the item names, the submission ids, the rows.
 */
typedef struct CronbachWire
{
	int32		nitems;
	int32		has_confidence;
	double		confidence;
	int64		nrows;
	int64		text_len;
} CronbachWire;

Datum
cronbach_serialize(PG_FUNCTION_ARGS)
{
	CronbachState *st = (CronbachState *) PG_GETARG_POINTER(0);
	CronbachWire w;
	Size		total = VARHDRSZ + sizeof(w);
	bytea	   *result;
	char	   *p;

	if (!AggCheckCallContext(fcinfo, NULL))
		elog(ERROR, "cronbach_serialize called in non-aggregate context");
	for (int32 i = 0; i < st->nitems; i++)
		total += VARSIZE_ANY(st->items[i]);
	/* within MaxAllocSize: the limits bound the ids and rows */
	total += st->text_len + st->nrows * sizeof(CronbachRow);
	memset(&w, 0, sizeof(w));
	w.nitems = st->nitems;
	w.has_confidence = st->has_confidence;
	w.confidence = st->confidence;
	w.nrows = st->nrows;
	w.text_len = st->text_len;
	result = (bytea *) palloc(total);
	SET_VARSIZE(result, total);
	p = VARDATA(result);
	memcpy(p, &w, sizeof(w));
	p += sizeof(w);
	for (int32 i = 0; i < st->nitems; i++)
	{
		memcpy(p, st->items[i], VARSIZE_ANY(st->items[i]));
		p += VARSIZE_ANY(st->items[i]);
	}
	if (st->text_len > 0)
		memcpy(p, st->text, st->text_len);
	p += st->text_len;
	if (st->nrows > 0)
		memcpy(p, st->rows, st->nrows * sizeof(CronbachRow));
	PG_RETURN_BYTEA_P(result);
}

Datum
cronbach_deserialize(PG_FUNCTION_ARGS)
{
	bytea	   *sstate = PG_GETARG_BYTEA_P(0);
	const char *p = VARDATA(sstate);
	const char *end = p + VARSIZE(sstate) - VARHDRSZ;
	CronbachWire w;
	CronbachState *st;

	if (!AggCheckCallContext(fcinfo, NULL))
		elog(ERROR, "cronbach_deserialize called in non-aggregate context");
	if (end - p < (long) sizeof(w))
		elog(ERROR, "invalid serialized cronbach_alpha state");
	memcpy(&w, p, sizeof(w));
	p += sizeof(w);
	if (w.nitems < 0 || w.nitems > CRONBACH_MAX_ITEMS || w.nrows < 0 || w.nrows > CRONBACH_MAX_ANSWERS ||
		w.text_len < 0 || w.text_len > CRONBACH_MAX_TEXT)
		elog(ERROR, "invalid serialized cronbach_alpha state");
	st = CronbachNew(CurrentMemoryContext);
	st->has_confidence = w.has_confidence != 0;
	st->confidence = w.confidence;
	for (int32 i = 0; i < w.nitems; i++)
	{
		int32		len;

		if (end - p < VARHDRSZ)
			elog(ERROR, "invalid serialized cronbach_alpha state");
		memcpy(&len, p, sizeof(len));
		len = VARSIZE((const struct varlena *) &len);
		if (len < VARHDRSZ || end - p < len)
			elog(ERROR, "invalid serialized cronbach_alpha state");
		CronbachItem(st, CurrentMemoryContext, p + VARHDRSZ, len - VARHDRSZ);
		p += len;
	}
	if (st->nitems != w.nitems || end - p != w.text_len + w.nrows * (long) sizeof(CronbachRow))
		elog(ERROR, "invalid serialized cronbach_alpha state");
	if (w.text_len > 0)
	{
		st->text = MemoryContextAllocHuge(CurrentMemoryContext, w.text_len);
		memcpy(st->text, p, w.text_len);
		st->text_len = st->text_cap = w.text_len;
	}
	p += w.text_len;
	if (w.nrows > 0)
	{
		CronbachReserve(st, CurrentMemoryContext, w.nrows);
		memcpy(st->rows, p, w.nrows * sizeof(CronbachRow));
		st->nrows = w.nrows;
	}
	for (int64 i = 0; i < st->nrows; i++)
	{
		CronbachRow *r = &st->rows[i];

		if (r->item < 0 || r->item >= st->nitems || r->sub_len < 0 || r->sub_off < 0 ||
			r->sub_off + r->sub_len > st->text_len)
			elog(ERROR, "invalid serialized cronbach_alpha state");
	}
	PG_RETURN_POINTER(st);
}

/* Byte order of two texts (not a collation: only grouping and a fixed order matter). */
static int
CronbachBytesCompare(const char *a, int alen, const char *b, int blen)
{
	int			c = memcmp(a, b, Min(alen, blen));

	if (c != 0)
		return c;
	return alen < blen ? -1 : (alen > blen);
}

static int
CronbachItemCompare(const void *a, const void *b, void *arg)
{
	text	  **items = (text **) arg;
	text	   *x = items[*(const int32 *) a];
	text	   *y = items[*(const int32 *) b];

	return CronbachBytesCompare(VARDATA_ANY(x), VARSIZE_ANY_EXHDR(x), VARDATA_ANY(y), VARSIZE_ANY_EXHDR(y));
}

typedef struct CronbachSortArg
{
	const char *text;
	const int32 *rank;			/* of each item, in the order of the names */
} CronbachSortArg;

/* Order of the answers: by submission id, then item name. */
static int
CronbachRowCompare(const void *a, const void *b, void *arg)
{
	const CronbachRow *x = (const CronbachRow *) a;
	const CronbachRow *y = (const CronbachRow *) b;
	const CronbachSortArg *sa = (const CronbachSortArg *) arg;
	int			c = CronbachBytesCompare(sa->text + x->sub_off, x->sub_len, sa->text + y->sub_off, y->sub_len);

	if (c != 0)
		return c;
	return sa->rank[x->item] < sa->rank[y->item] ? -1 : (sa->rank[x->item] > sa->rank[y->item]);
}

/* Result of the computation, all of it for cronbach_alpha_ci(). */
typedef struct CronbachResult
{
	int64		respondents;	/* complete: every item answered */
	int32		items;
	bool		defined;		/* alpha computable */
	double		alpha;
} CronbachResult;

/*
 * alpha = k / (k - 1) (1 - sum of item variances / variance of the total),
 * over the respondents who answered all k items.  Undefined with fewer than
 * two items or complete respondents, or when every total is the same.  The
 * answers are summed in the order of the submission ids and item names, so
 * that the result does not depend on the order the rows came in (serial and
 * parallel plans agree to the last bit).
 */
static void
CronbachCompute(CronbachState *st, CronbachResult *res)
{
	int32		k = st->nitems;
	double	   *mean = palloc0(Max(k, 1) * sizeof(double));
	double	   *m2 = palloc0(Max(k, 1) * sizeof(double));
	int32	   *order = palloc(Max(k, 1) * sizeof(int32));
	int32	   *rank = palloc(Max(k, 1) * sizeof(int32));
	CronbachSortArg sa;
	double		tmean = 0.0,
				tm2 = 0.0,
				sum_var = 0.0;
	int64		n = 0;

	res->items = k;
	res->defined = false;
	for (int32 i = 0; i < k; i++)
		order[i] = i;
	qsort_arg(order, k, sizeof(int32), CronbachItemCompare, st->items);
	for (int32 i = 0; i < k; i++)
		rank[order[i]] = i;
	sa.text = st->text;
	sa.rank = rank;
	qsort_arg(st->rows, st->nrows, sizeof(CronbachRow), CronbachRowCompare, &sa);
	for (int64 i = 0; i < st->nrows;)
	{
		int64		j = i;
		double		total = 0.0;

		/* the answers of one submission: rows i .. j - 1 */
		while (j < st->nrows && st->rows[j].sub_len == st->rows[i].sub_len &&
			   memcmp(st->text + st->rows[j].sub_off, st->text + st->rows[i].sub_off, st->rows[i].sub_len) == 0)
		{
			if (j > i && st->rows[j].item == st->rows[j - 1].item)
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						 errmsg("submission \"%.*s\" answers item \"%s\" more than once",
								st->rows[i].sub_len, st->text + st->rows[i].sub_off,
								text_to_cstring(st->items[st->rows[j].item])),
						 errhint("Cronbach's alpha takes one answer per submission and item; keep the latest.")));
			j++;
		}
		if (j - i == k)
		{
			double		d;

			n++;
			for (int64 r = i; r < j; r++)
			{
				int32		it = st->rows[r].item;

				d = st->rows[r].score - mean[it];
				mean[it] += d / n;
				m2[it] += d * (st->rows[r].score - mean[it]);
				total += st->rows[r].score;
			}
			d = total - tmean;
			tmean += d / n;
			tm2 += d * (total - tmean);
		}
		i = j;
	}
	res->respondents = n;
	if (k < 2 || n < 2 || tm2 == 0.0)
		return;
	for (int32 i = 0; i < k; i++)
		sum_var += m2[order[i]];
	/*
	 * alpha <= 1 (the variance of a sum is at most k times the sum of the
	 * variances), with 1 when every respondent gives every item the same
	 * score; rounding made that 1.0000000000000002 for seven such items, and
	 * Feldt's interval around it (1.000000000000001, 1).
	 */
	res->alpha = fmin(1.0, (double) k / (k - 1.0) * (1.0 - sum_var / tm2));
	res->defined = true;
}

Datum
cronbach_alpha_ffunc(PG_FUNCTION_ARGS)
{
	CronbachResult res;

	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	if (!AggCheckCallContext(fcinfo, NULL))
		elog(ERROR, "cronbach_alpha_ffunc called in non-aggregate context");
	CronbachCompute((CronbachState *) PG_GETARG_POINTER(0), &res);
	if (!res.defined)
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8(res.alpha);
}

/* (alpha, low, high, respondents, items), Feldt's interval at the rows' confidence. */
Datum
cronbach_alpha_ci_ffunc(PG_FUNCTION_ARGS)
{
	CronbachState *st;
	CronbachResult res;
	TupleDesc	tupdesc;
	Datum		values[5];
	bool		nulls[5] = {false, false, false, false, false};

	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	if (!AggCheckCallContext(fcinfo, NULL))
		elog(ERROR, "cronbach_alpha_ci_ffunc called in non-aggregate context");
	st = (CronbachState *) PG_GETARG_POINTER(0);
	CronbachCompute(st, &res);
	if (get_call_result_type(fcinfo, NULL, &tupdesc) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "return type must be a row type");
	tupdesc = BlessTupleDesc(tupdesc);
	if (res.defined)
	{
		double		low,
					high;

		pm_feldt_interval(res.alpha, (double) res.respondents, (double) res.items,
						  st->confidence, &low, &high);
		values[0] = Float8GetDatum(res.alpha);
		values[1] = Float8GetDatum(low);
		values[2] = Float8GetDatum(high);
	}
	else
		nulls[0] = nulls[1] = nulls[2] = true;
	values[3] = Int64GetDatum(res.respondents);
	values[4] = Int32GetDatum(res.items);
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(tupdesc, values, nulls)));
}
