/*
 * ttv_sketch.c
 *		ttv_sketch: a mergeable time-to-value sketch with a guaranteed relative
 *		error (the DDSketch of Masson, Rim and Lee, VLDB 2019).
 *
 * A positive duration x (in microseconds) goes to bucket i = ceil(log_g x)
 * with g = (1 + a) / (1 - a); every value of the bucket lies within relative
 * error a of 2 g^i / (g + 1).  Zero durations are counted apart and stay
 * exact, and the exact count, minimum, maximum and sum are kept, so merging
 * per-day sketches gives exactly the sketch of the raw values.
 *
 * The counts are a dense array over the used index range.  The varlena
 * carries spare capacity (VARSIZE covers it, so the executor's copies keep
 * it), and an aggregate updates its state in place; finished sketches are
 * compacted.
 */
#include "postgres.h"

#include <math.h>

#include "catalog/pg_type.h"
#include "common/int.h"
#include "common/int128.h"
#include "common/shortest_dec.h"
#include "port/pg_bitutils.h"
#include "utils/float.h"
#include "utils/timestamp.h"
#include "libpq/pqformat.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"

#include "compat.h"
#include "platform_metrics.h"
#include "percentile.h"
#include "ttv_sketch.h"

PG_FUNCTION_INFO_V1(ttv_sketch_in);
PG_FUNCTION_INFO_V1(ttv_sketch_out);
PG_FUNCTION_INFO_V1(ttv_sketch_recv);
PG_FUNCTION_INFO_V1(ttv_sketch_send);
PG_FUNCTION_INFO_V1(ttv_sketch_sfunc);
PG_FUNCTION_INFO_V1(ttv_sketch_combine);
PG_FUNCTION_INFO_V1(ttv_sketch_ffunc);
PG_FUNCTION_INFO_V1(ttv_sketch_eq);
PG_FUNCTION_INFO_V1(ttv_sketch_percentile);
PG_FUNCTION_INFO_V1(ttv_sketch_count);
PG_FUNCTION_INFO_V1(ttv_sketch_min);
PG_FUNCTION_INFO_V1(ttv_sketch_max);
PG_FUNCTION_INFO_V1(ttv_sketch_mean);
PG_FUNCTION_INFO_V1(ttv_sketch_accuracy);

/* |x| of an index difference (core's Abs() macro went in PostgreSQL 16). */
static inline int64
pm_abs64(int64 x)
{
	return x < 0 ? -x : x;
}

/* ------------------------------------------------------------------------
 * The index mapping
 * ------------------------------------------------------------------------
 */

typedef struct SketchMapping
{
	float8		accuracy;
	double		ln_gamma;
	double		inv_ln_gamma;
	double		guard;			/* FastLn's worst error, in index units */
	double		rep_factor;		/* 2 / (gamma + 1) */
	int32		max_index;		/* index of the largest int64 */
} SketchMapping;

/* The mapping of an accuracy, cached: a sketch's rows all share it. */
static const SketchMapping *
GetMapping(float8 accuracy)
{
	static SketchMapping m = {.accuracy = -1};

	if (m.accuracy != accuracy)
	{
		double		gamma = (1.0 + accuracy) / (1.0 - accuracy);

		m.ln_gamma = log(gamma);
		m.inv_ln_gamma = 1.0 / m.ln_gamma;
		m.guard = 1e-8 * m.inv_ln_gamma + 1e-12;
		m.rep_factor = 2.0 / (gamma + 1.0);
		m.max_index = (int32) ceil(log((double) PG_INT64_MAX) * m.inv_ln_gamma);
		m.accuracy = accuracy;
	}
	return &m;
}

/*
 * ln(x) for x >= 1 to within 1e-9: the exponent from the bits, the mantissa
 * brought into [sqrt(1/2), sqrt(2)), then ln m = 2 atanh((m-1)/(m+1)) by its
 * series to the ninth power (the next term is below 1e-9).  Several times
 * cheaper than log(), which is what a sketch spends most of a row on.
 */
static inline double
FastLn(double x)
{
	union
	{
		double		d;
		uint64		u;
	}			v;
	int			e;
	double		m,
				s,
				s2;

	v.d = x;
	e = (int) ((v.u >> 52) & 0x7ff) - 1023;
	v.u = (v.u & UINT64CONST(0x000fffffffffffff)) | UINT64CONST(0x3ff0000000000000);
	m = v.d;
	if (m > M_SQRT2)
	{
		m *= 0.5;
		e++;
	}
	s = (m - 1.0) / (m + 1.0);
	s2 = s * s;
	return e * M_LN2 + 2.0 * s * (1.0 + s2 * (1.0 / 3 + s2 * (1.0 / 5 + s2 * (1.0 / 7 + s2 * (1.0 / 9)))));
}

/*
 * Bucket of a positive duration: ceil(ln(x) / ln(gamma)).  The fast logarithm
 * decides unless it lands within its error of a bucket boundary, where the
 * exact log() does: the buckets are exactly those of the definition.
 */
static inline int32
BucketIndex(const SketchMapping *m, int64 usec)
{
	double		f = FastLn((double) usec) * m->inv_ln_gamma;
	int32		t = (int32) f;	/* f >= 0: truncation is floor */
	double		frac = f - t;

	if (unlikely(frac <= m->guard || frac >= 1.0 - m->guard))
		return (int32) ceil(log((double) usec) * m->inv_ln_gamma);
	return t + 1;
}

static inline double
BucketValue(const SketchMapping *m, int32 index)
{
	return exp(index * m->ln_gamma) * m->rep_factor;
}

/* ------------------------------------------------------------------------
 * The bucket index by table, for the aggregate's rows
 * ------------------------------------------------------------------------
 *
 * BucketIndex computes a logarithm a value.  The aggregate looks the index up
 * instead: the positive int64 range is cut into its binary octaves
 * [2^e, 2^(e+1)), each octave into INDEX_SUBS equal sub-ranges.  For each
 * sub-range the table holds the index of its first value (a byte, counted
 * from the octave's first index), and for each index of the octave its last
 * value.  A sub-range is narrower than a bucket (at the accuracies the table
 * serves), so it holds at most one bucket boundary and the index of x is
 * first + (x > last[first]): two loads from half a kilobyte an octave (at 1%)
 * and a comparison.  The table is filled
 * from BucketIndex itself, an octave when its first value arrives (a few
 * thousand logarithms, some microseconds), so its buckets are exactly
 * BucketIndex's; the values below INDEX_SUBS have an entry each.  Filling
 * checks that no sub-range holds two boundaries; at an accuracy finer than
 * about 0.4% some do, and the aggregate computes logarithms as before.
 *
 * The indexer lives in the transition function's fn_extra, one per call
 * site, so two aggregates of different accuracies in one query each keep
 * their own (a caller making a fresh FmgrInfo per row, as Citus's workers
 * do, gets one per backend: pm_call_site_slot()).  A call site whose accuracy changes from group to group
 * (accuracy from a column) refills; after a few changes it stops using the
 * table.
 */
#define INDEX_SUB_BITS 8
#define INDEX_SUBS (1 << INDEX_SUB_BITS)
#define INDEX_MAX_REFILLS 8

typedef struct IndexOctave
{
	int32		base;			/* index of the octave's first value, 2^e */
	uint8		first[INDEX_SUBS];	/* index of a sub-range's first value, - base */
	int64		last[FLEXIBLE_ARRAY_MEMBER];	/* last value of index base + j */
} IndexOctave;

typedef struct SketchIndexer
{
	SketchMapping map;			/* its own copy: GetMapping's is shared */
	bool		use_table;
	int			refills;		/* by the aggregate last seen: */
	const void *refiller;		/* its executor node */
	MemoryContext cxt;
	int32		small[INDEX_SUBS];	/* index of 1 .. INDEX_SUBS - 1 */
	IndexOctave *octave[64];	/* octave e (>= INDEX_SUB_BITS), once filled */
} SketchIndexer;

static void
IndexerReset(SketchIndexer *ix, float8 accuracy)
{
	for (int e = 0; e < 64; e++)
	{
		if (ix->octave[e])
			pfree(ix->octave[e]);
		ix->octave[e] = NULL;
	}
	ix->map = *GetMapping(accuracy);
	ix->use_table = ix->refills++ < INDEX_MAX_REFILLS;
	for (int32 x = 1; x < INDEX_SUBS; x++)
		ix->small[x] = BucketIndex(&ix->map, x);
}

/* The indexer of this call site, for this accuracy. */
static SketchIndexer *
GetIndexer(FunctionCallInfo fcinfo, float8 accuracy)
{
	SketchIndexer *ix = (SketchIndexer *) fcinfo->flinfo->fn_extra;
	MemoryContext cxt;
	void	  **slot;

	if (likely(ix != NULL && ix->map.accuracy == accuracy))
		return ix;
	slot = pm_call_site_slot(fcinfo, &cxt);
	ix = (SketchIndexer *) *slot;
	if (ix != NULL && ix->map.accuracy == accuracy)
		return ix;
	if (ix == NULL)
	{
		ix = (SketchIndexer *) MemoryContextAllocZero(cxt, sizeof(SketchIndexer));
		ix->cxt = cxt;
		*slot = ix;
	}
	if (ix->refiller != (const void *) fcinfo->context)
	{
		/* a backend's indexer serves query after query: count per aggregate */
		ix->refiller = fcinfo->context;
		ix->refills = 0;
	}
	IndexerReset(ix, accuracy);
	return ix;
}

/*
 * Fills octave e (INDEX_SUB_BITS <= e <= 62); NULL, and the table given up,
 * if a sub-range holds two bucket boundaries.
 */
static pg_noinline IndexOctave *
FillOctave(SketchIndexer *ix, int e)
{
	int			shift = e - INDEX_SUB_BITS;
	uint64		octave_last = (UINT64CONST(1) << (e + 1)) - 1;	/* <= 2^63 - 1 */
	int32		base = BucketIndex(&ix->map, (int64) (UINT64CONST(1) << e));
	int32		nbuckets = BucketIndex(&ix->map, (int64) octave_last) - base + 1;
	IndexOctave *o;

	/* (at most 256 buckets an octave: the sub-ranges, one boundary each) */
	if (nbuckets > INDEX_SUBS)
	{
		ix->use_table = false;
		return NULL;
	}
	o = (IndexOctave *) MemoryContextAlloc(ix->cxt, offsetof(IndexOctave, last) + nbuckets * sizeof(int64));
	o->base = base;
	for (int32 j = 0; j < nbuckets; j++)
		o->last[j] = (int64) octave_last;
	for (int sub = 0; sub < INDEX_SUBS; sub++)
	{
		uint64		lo = (uint64) (INDEX_SUBS + sub) << shift;
		uint64		hi = lo + ((UINT64CONST(1) << shift) - 1);
		int32		b_lo = BucketIndex(&ix->map, (int64) lo);
		int32		b_hi = BucketIndex(&ix->map, (int64) hi);

		o->first[sub] = (uint8) (b_lo - base);
		if (b_hi == b_lo + 1)
		{
			/* the last value of index b_lo: BucketIndex is monotonic */
			uint64		l = lo,
						r = hi;

			while (r - l > 1)
			{
				uint64		mid = l + (r - l) / 2;

				if (BucketIndex(&ix->map, (int64) mid) == b_lo)
					l = mid;
				else
					r = mid;
			}
			o->last[b_lo - base] = (int64) l;
		}
		else if (b_hi != b_lo)
		{
			pfree(o);
			ix->use_table = false;
			return NULL;
		}
	}
	ix->octave[e] = o;
	return o;
}

/* Bucket of a positive duration, as BucketIndex gives it. */
static inline int32
IndexerBucket(SketchIndexer *ix, int64 usec)
{
	if (likely(ix->use_table))
	{
		int			e;
		IndexOctave *o;
		int			j;

		if (usec < INDEX_SUBS)
			return ix->small[usec];
		e = pg_leftmost_one_pos64((uint64) usec);
		o = ix->octave[e];
		if (unlikely(o == NULL) && (o = FillOctave(ix, e)) == NULL)
			return BucketIndex(&ix->map, usec);
		j = o->first[((uint64) usec >> (e - INDEX_SUB_BITS)) - INDEX_SUBS];
		return o->base + j + (usec > o->last[j]);
	}
	return BucketIndex(&ix->map, usec);
}

/* code: 22023 for an argument, 22P02 / 22P03 for a value being read in */
static void
CheckAccuracy(float8 accuracy, int code)
{
	if (!(accuracy >= TTV_SKETCH_MIN_ACCURACY && accuracy <= TTV_SKETCH_MAX_ACCURACY))
		ereport(ERROR,
				(errcode(code),
				 errmsg("relative accuracy %g is out of range", accuracy),
				 errhint("Give a relative accuracy between 0.0001 and 0.1; 0.01 means within 1%%.")));
}

/* ------------------------------------------------------------------------
 * Building sketches
 * ------------------------------------------------------------------------
 */

static inline int128
SketchSum(const TtvSketch *s)
{
	return ((int128) s->sum_hi << 64) | (int128) s->sum_lo;
}

static inline void
SketchSetSum(TtvSketch *s, int128 sum)
{
	s->sum_hi = (int64) (sum >> 64);
	s->sum_lo = (uint64) sum;
}

static TtvSketch *
SketchAlloc(int32 capacity)
{
	Size		size = offsetof(TtvSketch, counts) + (Size) capacity * sizeof(int64);
	TtvSketch  *s = (TtvSketch *) palloc0(size);

	SET_VARSIZE(s, size);
	s->version = TTV_SKETCH_VERSION;
	s->capacity = capacity;
	return s;
}

/* A copy with room for capacity counts (at least nbuckets). */
static TtvSketch *
SketchCopy(const TtvSketch *s, int32 capacity)
{
	TtvSketch  *c = SketchAlloc(Max(capacity, s->nbuckets));

	memcpy(c, s, offsetof(TtvSketch, counts));
	SET_VARSIZE(c, offsetof(TtvSketch, counts) + (Size) Max(capacity, s->nbuckets) * sizeof(int64));
	c->capacity = Max(capacity, s->nbuckets);
	memcpy(c->counts, s->counts, (Size) s->nbuckets * sizeof(int64));
	return c;
}

/*
 * Make the used range cover bucket indexes lo..hi, moving the counts up or
 * reallocating (doubling) as needed.  Returns the sketch, which may be new.
 */
static TtvSketch *
SketchCover(TtvSketch *s, int32 lo, int32 hi)
{
	int32		new_lo,
				new_hi,
				need;

	if (s->nbuckets == 0)
	{
		new_lo = lo;
		new_hi = hi;
	}
	else
	{
		new_lo = Min(lo, s->offset);
		new_hi = Max(hi, s->offset + s->nbuckets - 1);
	}
	need = new_hi - new_lo + 1;
	if (need > s->capacity)
		s = SketchCopy(s, Max(need, Min(2 * s->capacity, GetMapping(s->accuracy)->max_index + 1)));
	if (s->nbuckets > 0 && new_lo < s->offset)
	{
		int32		shift = s->offset - new_lo;

		memmove(s->counts + shift, s->counts, (Size) s->nbuckets * sizeof(int64));
		memset(s->counts, 0, (Size) shift * sizeof(int64));
	}
	s->offset = new_lo;
	s->nbuckets = need;
	return s;
}

/* Count one duration (microseconds, >= 0). */
static inline TtvSketch *
SketchAdd(TtvSketch *s, SketchIndexer *ix, int64 usec)
{
	int32		idx;

	if (unlikely(s->count == PG_INT64_MAX))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("ttv_sketch count is out of range")));
	if (unlikely(s->count == 0))
		s->min = s->max = usec;
	/* (branch-free: the compiler makes these conditional moves) */
	s->min = usec < s->min ? usec : s->min;
	s->max = usec > s->max ? usec : s->max;
	s->count++;
	/* the int128 sum, low word with carry (usec >= 0, sum <= count * max) */
	if (unlikely(pg_add_u64_overflow(s->sum_lo, (uint64) usec, &s->sum_lo)))
		s->sum_hi++;
	if (unlikely(usec == 0))
	{
		s->zeros++;
		return s;
	}
	idx = IndexerBucket(ix, usec);
	if (unlikely(idx < s->offset || idx >= s->offset + s->nbuckets || s->nbuckets == 0))
		s = SketchCover(s, idx, idx);
	s->counts[idx - s->offset]++;
	return s;
}

/* ------------------------------------------------------------------------
 * Validation and I/O
 * ------------------------------------------------------------------------
 */

#define SKETCH_INVALID(code, ...) \
	ereport(ERROR, \
			(errcode(code), \
			 errmsg("invalid ttv_sketch"), \
			 errdetail(__VA_ARGS__)))

/* Everything a sketch from outside must satisfy; code is the SQLSTATE. */
static void
SketchValidate(const TtvSketch *s, int code)
{
	const SketchMapping *m;
	int64		total;
	int128		sum = SketchSum(s);

	CheckAccuracy(s->accuracy, code);
	m = GetMapping(s->accuracy);
	if (s->count < 1 || s->zeros < 0 || s->zeros > s->count)
		SKETCH_INVALID(code, "The counts are inconsistent: count " INT64_FORMAT ", zeros " INT64_FORMAT ".",
					   s->count, s->zeros);
	if (s->min < 0 || s->max < s->min)
		SKETCH_INVALID(code, "The minimum and maximum are inconsistent.");
	if ((s->zeros > 0) != (s->min == 0))
		SKETCH_INVALID(code, "The minimum is zero exactly when zeros are counted.");
	total = s->zeros;
	if (s->nbuckets < 0 || (s->nbuckets > 0 && (s->offset < 0 || s->offset > m->max_index - s->nbuckets + 1)))
		SKETCH_INVALID(code, "The bucket range is out of range for accuracy %g.", s->accuracy);
	for (int32 i = 0; i < s->nbuckets; i++)
	{
		if (s->counts[i] < 0 || pg_add_s64_overflow(total, s->counts[i], &total))
			SKETCH_INVALID(code, "Bucket %d has an invalid count.", s->offset + i);
	}
	if (s->nbuckets > 0 && (s->counts[0] == 0 || s->counts[s->nbuckets - 1] == 0))
		SKETCH_INVALID(code, "The first and last buckets must not be empty.");
	if (total != s->count)
		SKETCH_INVALID(code, "The buckets and zeros hold " INT64_FORMAT " values, not " INT64_FORMAT ".",
					   total, s->count);
	if (s->nbuckets == 0 ? s->max != 0 :
		(s->max == 0 ||
		 pm_abs64((int64) BucketIndex(m, s->max) - (s->offset + s->nbuckets - 1)) > 1 ||
		 (s->zeros == 0 && pm_abs64((int64) BucketIndex(m, s->min) - s->offset) > 1)))
		SKETCH_INVALID(code, "The minimum and maximum do not match the buckets.");
	if (sum < (int128) s->min * s->count || sum > (int128) s->max * s->count)
		SKETCH_INVALID(code, "The sum is not between count * minimum and count * maximum.");
}

/*
 * Text form, lossless (seconds exact to the microsecond, the accuracy in
 * shortest round-trip form), buckets as index:count:
 * accuracy=0.01 count=3 zeros=0 min=60 max=3600 sum=3720 buckets=205:1,224:1,409:1
 */
Datum
ttv_sketch_out(PG_FUNCTION_ARGS)
{
	TtvSketch  *s = PG_GETARG_TTV_SKETCH_P(0);
	StringInfoData buf;
	char		acc[64];
	bool		first = true;

	initStringInfo(&buf);
	double_to_shortest_decimal_buf(s->accuracy, acc);
	appendStringInfo(&buf, "accuracy=%s count=" INT64_FORMAT " zeros=" INT64_FORMAT " min=",
					 acc, s->count, s->zeros);
	pm_append_seconds(&buf, s->min);
	appendStringInfoString(&buf, " max=");
	pm_append_seconds(&buf, s->max);
	appendStringInfoString(&buf, " sum=");
	pm_append_seconds(&buf, SketchSum(s));
	appendStringInfoString(&buf, " buckets=");
	for (int32 i = 0; i < s->nbuckets; i++)
	{
		if (s->counts[i] == 0)
			continue;
		appendStringInfo(&buf, "%s%d:" INT64_FORMAT, first ? "" : ",", s->offset + i, s->counts[i]);
		first = false;
	}
	PG_RETURN_CSTRING(buf.data);
}

static Datum
TtvSketchParse(PG_FUNCTION_ARGS)
{
	char	   *str = PG_GETARG_CSTRING(0);
	static const char *const keys[] = {"accuracy", "count", "zeros", "min", "max", "sum", "buckets"};
	char	   *p = str;
	bool		seen[7] = {false};
	float8		accuracy = 0;
	int64		ints[3] = {0, 0, 0};	/* count, zeros */
	int128		secs[3] = {0, 0, 0};	/* min, max, sum */
	int32	   *idx = NULL;
	int64	   *cnt = NULL;
	int32		n = 0,
				cap = 0;
	TtvSketch  *s;

	for (;;)
	{
		int			k = -1;
		char	   *end;

		while (*p == ' ' || *p == '\t' || *p == '\n')
			p++;
		if (*p == '\0')
			break;
		for (int i = 0; i < 7; i++)
		{
			size_t		len = strlen(keys[i]);

			if (strncmp(p, keys[i], len) == 0 && p[len] == '=')
			{
				k = i;
				p += len + 1;
				break;
			}
		}
		if (k < 0 || seen[k])
			goto syntax;
		seen[k] = true;
		switch (k)
		{
			case 0:
				accuracy = pm_float8in_internal(p, &end, "double precision", str);
				/* it consumes the white space after the number too */
				while (end > p && (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\n'))
					end--;
				p = end;
				break;
			case 1:
			case 2:
				errno = 0;
				ints[k - 1] = strtoi64(p, &end, 10);
				if (end == p || errno != 0)
					goto syntax;
				p = end;
				break;
			case 3:
			case 4:
			case 5:
				secs[k - 3] = pm_parse_seconds(&p, str, "ttv_sketch");
				break;
			case 6:
				while (*p >= '0' && *p <= '9')
				{
					long		i;

					errno = 0;
					i = strtol(p, &end, 10);
					if (end == p || errno != 0 || *end != ':' || i > PG_INT32_MAX)
						goto syntax;
					p = end + 1;
					if (n == cap)
					{
						cap = cap ? cap * 2 : 64;
						if (cap > 1 << 24)
							goto syntax;
						idx = idx ? repalloc(idx, cap * sizeof(int32)) : palloc(cap * sizeof(int32));
						cnt = cnt ? repalloc(cnt, cap * sizeof(int64)) : palloc(cap * sizeof(int64));
					}
					idx[n] = (int32) i;
					cnt[n] = strtoi64(p, &end, 10);
					if (end == p || errno != 0 || cnt[n] < 1 || (n > 0 && idx[n] <= idx[n - 1]))
						goto syntax;
					n++;
					p = end;
					if (*p != ',')
						break;
					p++;
					if (!(*p >= '0' && *p <= '9'))
						goto syntax;	/* a comma must be followed by a bucket */
				}
				break;
		}
		if (*p != '\0' && *p != ' ' && *p != '\t' && *p != '\n')
			goto syntax;
	}
	for (int i = 0; i < 7; i++)
		if (!seen[i])
			goto syntax;
	for (int i = 0; i < 3; i++)
		if (secs[i] > (i < 2 ? (int128) PG_INT64_MAX : (int128) PG_INT64_MAX * PG_INT64_MAX))
			goto syntax;
	CheckAccuracy(accuracy, ERRCODE_INVALID_TEXT_REPRESENTATION);
	if (n > 0 && (int64) idx[n - 1] - idx[0] + 1 > GetMapping(accuracy)->max_index + 1)
		goto syntax;
	s = SketchAlloc(n > 0 ? idx[n - 1] - idx[0] + 1 : 0);
	s->accuracy = accuracy;
	s->count = ints[0];
	s->zeros = ints[1];
	s->min = (int64) secs[0];
	s->max = (int64) secs[1];
	SketchSetSum(s, secs[2]);
	s->nbuckets = s->capacity;
	s->offset = n > 0 ? idx[0] : 0;
	for (int32 i = 0; i < n; i++)
		s->counts[idx[i] - s->offset] = cnt[i];
	SketchValidate(s, ERRCODE_INVALID_TEXT_REPRESENTATION);
	PG_RETURN_POINTER(s);

syntax:
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
			 errmsg("invalid input syntax for type %s: \"%s\"", "ttv_sketch", str),
			 errhint("The form is \"accuracy=A count=N zeros=N min=S max=S sum=S buckets=I:N,...\", seconds exact to the microsecond.")));
	PG_RETURN_NULL();			/* keep compiler quiet */
}

Datum
ttv_sketch_in(PG_FUNCTION_ARGS)
{
	return pm_soft_input(fcinfo, TtvSketchParse);
}

/*
 * Binary form: version byte, accuracy, count, zeros, min, max, sum (high,
 * low), offset, nbuckets, then the nbuckets counts.
 */
Datum
ttv_sketch_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	const int	fixed = 7 * 8 + 2 * 4;	/* accuracy .. sum low; offset, nbuckets */
	int			version;
	TtvSketch	h;
	TtvSketch  *s;

	if (buf->len - buf->cursor < 1 + fixed)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid binary data for type ttv_sketch"),
				 errdetail("The value is too short.")));
	version = pq_getmsgbyte(buf);
	if (version != TTV_SKETCH_VERSION)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("unsupported binary format version %d for type ttv_sketch", version)));
	h.accuracy = pq_getmsgfloat8(buf);
	h.count = pq_getmsgint64(buf);
	h.zeros = pq_getmsgint64(buf);
	h.min = pq_getmsgint64(buf);
	h.max = pq_getmsgint64(buf);
	h.sum_hi = pq_getmsgint64(buf);
	h.sum_lo = (uint64) pq_getmsgint64(buf);
	h.offset = pq_getmsgint(buf, 4);
	h.nbuckets = pq_getmsgint(buf, 4);
	CheckAccuracy(h.accuracy, ERRCODE_INVALID_BINARY_REPRESENTATION);
	if (h.nbuckets < 0 || h.nbuckets > GetMapping(h.accuracy)->max_index + 1 ||
		(int64) (buf->len - buf->cursor) != (int64) h.nbuckets * (int64) sizeof(int64))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid binary data for type ttv_sketch"),
				 errdetail("The bucket count does not match the data.")));
	s = SketchAlloc(h.nbuckets);
	memcpy(&s->offset, &h.offset, offsetof(TtvSketch, counts) - offsetof(TtvSketch, offset));
	s->capacity = h.nbuckets;
	s->padding = 0;
	for (int32 i = 0; i < h.nbuckets; i++)
		s->counts[i] = pq_getmsgint64(buf);
	SketchValidate(s, ERRCODE_INVALID_BINARY_REPRESENTATION);
	PG_RETURN_POINTER(s);
}

Datum
ttv_sketch_send(PG_FUNCTION_ARGS)
{
	TtvSketch  *s = PG_GETARG_TTV_SKETCH_P(0);
	StringInfoData buf;

	pq_begintypsend(&buf);
	pq_sendbyte(&buf, TTV_SKETCH_VERSION);
	pq_sendfloat8(&buf, s->accuracy);
	pq_sendint64(&buf, s->count);
	pq_sendint64(&buf, s->zeros);
	pq_sendint64(&buf, s->min);
	pq_sendint64(&buf, s->max);
	pq_sendint64(&buf, s->sum_hi);
	pq_sendint64(&buf, (int64) s->sum_lo);
	pq_sendint32(&buf, s->offset);
	pq_sendint32(&buf, s->nbuckets);
	for (int32 i = 0; i < s->nbuckets; i++)
		pq_sendint64(&buf, s->counts[i]);
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

/* Equal sketches: same accuracy, exact statistics and buckets. */
Datum
ttv_sketch_eq(PG_FUNCTION_ARGS)
{
	TtvSketch  *a = PG_GETARG_TTV_SKETCH_P(0);
	TtvSketch  *b = PG_GETARG_TTV_SKETCH_P(1);

	PG_RETURN_BOOL(a->accuracy == b->accuracy && a->count == b->count && a->zeros == b->zeros &&
				   a->min == b->min && a->max == b->max && a->sum_hi == b->sum_hi &&
				   a->sum_lo == b->sum_lo && a->nbuckets == b->nbuckets &&
				   (a->nbuckets == 0 || a->offset == b->offset) &&
				   memcmp(a->counts, b->counts, (Size) a->nbuckets * sizeof(int64)) == 0);
}

/* ------------------------------------------------------------------------
 * Aggregates
 * ------------------------------------------------------------------------
 */

/* ttv_sketch(ttv [, relative_accuracy]) transition; NULL durations are skipped. */
Datum
ttv_sketch_sfunc(PG_FUNCTION_ARGS)
{
	TtvSketch  *s;
	float8		accuracy = TTV_SKETCH_DEFAULT_ACCURACY;
	int64		usec;

	if (PG_NARGS() > 2)
	{
		if (PG_ARGISNULL(2))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("relative accuracy must not be NULL")));
		accuracy = PG_GETARG_FLOAT8(2);
	}
	if (PG_ARGISNULL(1))
	{
		if (PG_ARGISNULL(0))
		{
			/* nothing counted yet: still refuse a bad accuracy */
			CheckAccuracy(accuracy, ERRCODE_INVALID_PARAMETER_VALUE);
			PG_RETURN_NULL();
		}
		PG_RETURN_DATUM(PG_GETARG_DATUM(0));
	}
	usec = pm_interval_usec(PG_GETARG_INTERVAL_P(1));
	if (PG_ARGISNULL(0))
	{
		CheckAccuracy(accuracy, ERRCODE_INVALID_PARAMETER_VALUE);
		s = SketchAlloc(64);
		s->accuracy = accuracy;
	}
	else
	{
		s = (TtvSketch *) pm_agg_state_arg(fcinfo);
		if (unlikely(s->accuracy != accuracy))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("relative accuracy must be the same for every row of the aggregate")));
	}
	PG_RETURN_POINTER(SketchAdd(s, GetIndexer(fcinfo, s->accuracy), usec));
}

/* Combine and rollup transition: merge b into a; accuracies must match. */
Datum
ttv_sketch_combine(PG_FUNCTION_ARGS)
{
	TtvSketch  *a = (TtvSketch *) pm_agg_state_arg(fcinfo);
	TtvSketch  *b = PG_GETARG_TTV_SKETCH_P(1);
	int64		count,
				zeros;

	if (a->accuracy != b->accuracy)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("cannot merge ttv_sketch values of different relative accuracy (%g and %g)",
						a->accuracy, b->accuracy),
				 errhint("Build the sketches to be merged with the same relative accuracy.")));
	if (pg_add_s64_overflow(a->count, b->count, &count) ||
		pg_add_s64_overflow(a->zeros, b->zeros, &zeros))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("ttv_sketch count is out of range")));
	if (b->nbuckets > 0)
	{
		a = SketchCover(a, b->offset, b->offset + b->nbuckets - 1);
		for (int32 i = 0; i < b->nbuckets; i++)
			a->counts[b->offset - a->offset + i] += b->counts[i];
	}
	a->min = Min(a->min, b->min);
	a->max = Max(a->max, b->max);
	a->count = count;
	a->zeros = zeros;
	SketchSetSum(a, SketchSum(a) + SketchSum(b));
	PG_RETURN_POINTER(a);
}

/* Final: a compact copy (no spare capacity). */
Datum
ttv_sketch_ffunc(PG_FUNCTION_ARGS)
{
	TtvSketch  *s;

	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	s = PG_GETARG_TTV_SKETCH_P(0);
	PG_RETURN_POINTER(SketchCopy(s, s->nbuckets));
}

/* ------------------------------------------------------------------------
 * Accessors
 * ------------------------------------------------------------------------
 */

/* Estimate of the value of rank k (0-based): exact at both ends. */
static double
SketchRankValue(const TtvSketch *s, const SketchMapping *m, int64 k)
{
	int64		cum;

	if (k <= 0)
		return (double) s->min;
	if (k >= s->count - 1)
		return (double) s->max;
	if (k < s->zeros)
		return 0.0;
	cum = s->zeros;
	for (int32 i = 0; i < s->nbuckets; i++)
	{
		cum += s->counts[i];
		if (k < cum)
			return Min(Max(BucketValue(m, s->offset + i), (double) s->min), (double) s->max);
	}
	return (double) s->max;
}

/* percentile_cont's interpolation between the estimates of two ranks */
static Datum
SketchPercentile(float8 p, void *extra, bool *isnull)
{
	const TtvSketch *s = (const TtvSketch *) extra;
	const SketchMapping *m = GetMapping(s->accuracy);
	int64		first,
				second;
	float8		fraction;
	double		v;

	pm_cont_position(p, s->count, &first, &second, &fraction);
	v = SketchRankValue(s, m, first);
	if (second > first)
		v += fraction * (SketchRankValue(s, m, second) - v);
	/* v lies in [min, max]; clamp in integers, as (double) max may round up to 2^63 */
	if (v >= (double) s->max)
		return PointerGetDatum(pm_usec_interval(s->max));
	if (v <= (double) s->min)
		return PointerGetDatum(pm_usec_interval(s->min));
	return PointerGetDatum(pm_usec_interval((int64) llround(v)));
}

/* ttv_percentile(ttv_sketch, p) and (ttv_sketch, p[]) */
Datum
ttv_sketch_percentile(PG_FUNCTION_ARGS)
{
	return pm_percentile_accessor(fcinfo, SketchPercentile, PG_GETARG_TTV_SKETCH_P(0));
}

Datum
ttv_sketch_count(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT64(PG_GETARG_TTV_SKETCH_P(0)->count);
}

Datum
ttv_sketch_min(PG_FUNCTION_ARGS)
{
	PG_RETURN_INTERVAL_P(pm_usec_interval(PG_GETARG_TTV_SKETCH_P(0)->min));
}

Datum
ttv_sketch_max(PG_FUNCTION_ARGS)
{
	PG_RETURN_INTERVAL_P(pm_usec_interval(PG_GETARG_TTV_SKETCH_P(0)->max));
}

/* Exact mean, rounded to the microsecond (half away from zero). */
Datum
ttv_sketch_mean(PG_FUNCTION_ARGS)
{
	TtvSketch  *s = PG_GETARG_TTV_SKETCH_P(0);
	int128		sum = SketchSum(s);

	PG_RETURN_INTERVAL_P(pm_usec_interval((int64) ((sum + s->count / 2) / s->count)));
}

Datum
ttv_sketch_accuracy(PG_FUNCTION_ARGS)
{
	PG_RETURN_FLOAT8(PG_GETARG_TTV_SKETCH_P(0)->accuracy);
}
