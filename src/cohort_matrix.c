/*
 * cohort_matrix.c
 *		Usage analytics: churn_cohort() builds a cohort_matrix, the activity of
 *		every member per period, in one aggregate pass; cohort_rows() reads the
 *		retention triangle, lifecycle and churn out of it, cohort_churned()
 *		lists who stopped.
 *
 * A cohort_matrix is an open-addressing hash table of members (full keys,
 * compared byte for byte: two members are never merged) with, per member, a
 * bitset of the periods it was active in, all inside one varlena so that it
 * is a real SQL type that can be stored, shipped as text and merged with
 * rollup().  Like ttv_sketch, it carries spare capacity (VARSIZE covers it)
 * and an aggregate updates it in place, rebuilding it bigger when full.
 *
 * Periods are numbered from a fixed origin, Monday 2001-01-01 00:00 local
 * time in the time zone the matrix was built in (recorded in the matrix):
 * fixed-length periods (days, hours, weeks, ...) count whole lengths from
 * it, periods of whole months count calendar months from January 2001.
 */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "common/hashfn.h"
#include "common/int.h"
#include "funcapi.h"
#include "libpq/pqformat.h"
#include "pgtime.h"
#include "utils/builtins.h"
#include "miscadmin.h"
#include "utils/datetime.h"
#include "utils/json.h"
#include "utils/jsonb.h"
#include "utils/lsyscache.h"
#include "utils/timestamp.h"
#include "utils/tuplestore.h"
#include "utils/uuid.h"

#include "compat.h"
#include "platform_metrics.h"
#include "cohort_matrix.h"

PG_FUNCTION_INFO_V1(cohort_matrix_in);
PG_FUNCTION_INFO_V1(cohort_matrix_out);
PG_FUNCTION_INFO_V1(cohort_matrix_recv);
PG_FUNCTION_INFO_V1(cohort_matrix_send);
PG_FUNCTION_INFO_V1(cohort_matrix_eq);
PG_FUNCTION_INFO_V1(cohort_matrix_sfunc);
PG_FUNCTION_INFO_V1(cohort_matrix_sfunc_text);
PG_FUNCTION_INFO_V1(cohort_matrix_sfunc_int8);
PG_FUNCTION_INFO_V1(cohort_matrix_sfunc_uuid);
PG_FUNCTION_INFO_V1(cohort_matrix_combine);
PG_FUNCTION_INFO_V1(cohort_matrix_ffunc);
PG_FUNCTION_INFO_V1(cohort_matrix_rows);
PG_FUNCTION_INFO_V1(cohort_matrix_churned);
PG_FUNCTION_INFO_V1(cohort_matrix_jsonb);

/* ------------------------------------------------------------------------
 * Periods and time zones
 * ------------------------------------------------------------------------
 */

/* 2001-01-01 00:00, a Monday, in microseconds since 2000-01-01 */
#define ORIGIN_USEC ((int64) 366 * USECS_PER_DAY)
#define EPOCH_DIFF_SECS ((int64) (POSTGRES_EPOCH_JDATE - UNIX_EPOCH_JDATE) * SECS_PER_DAY)

static inline int64
FloorDiv(int64 a, int64 b)
{
	int64		q = a / b;

	return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q;
}

/*
 * A period must be positive, and whole months or a fixed length, not both.
 * code: 22023 for an argument, 22P02 / 22P03 for a value being read in.
 */
static void
CheckPeriod(const Interval *p, int code)
{
	char	   *shown = DatumGetCString(DirectFunctionCall1(interval_out, PointerGetDatum(p)));

	if (p->month != 0 && (p->day != 0 || p->time != 0))
		ereport(ERROR,
				(errcode(code),
				 errmsg("period \"%s\" mixes months with days or time", shown),
				 errhint("Use whole months or years (\"1 month\", \"3 months\", \"1 year\"), or a fixed length such as \"1 day\" or \"1 week\".")));
	if (p->month < 0 || (p->month == 0 && (int128) p->day * USECS_PER_DAY + p->time <= 0))
		ereport(ERROR,
				(errcode(code),
				 errmsg("period \"%s\" is not positive", shown)));
	/* periods longer than a millennium: period arithmetic must stay in int64 */
	if (p->month > 12000 || (int128) p->day * USECS_PER_DAY + p->time > (int128) 366000 * USECS_PER_DAY)
		ereport(ERROR,
				(errcode(code),
				 errmsg("period \"%s\" is too long", shown),
				 errhint("Periods up to a thousand years are supported.")));
}

/* Period indexes beyond this are refused on input: far beyond any timestamp. */
#define COHORT_MAX_INDEX ((int64) 1 << 53)

/*
 * Per call site (fn_extra), for the zone of the matrix being built or read,
 * tables that spare the rows any time-zone work:
 *
 * - the zone's UTC offsets over a range of instants, found once from the
 *   zone's transitions: stretch k, from at[k] up to at[k + 1], has offset
 *   off[k] (neighbours differ); a row costs a comparison with the stretch
 *   found last, or a binary search;
 * - for periods of whole months, the local days periods start on: period
 *   pfirst + k starts on day pday[k] (days since 2000-01-01), k <= nper.
 *
 * A row outside a table's range widens it, to at least twice its span, up
 * to a bounded size; rows beyond that are computed as they come, the way the
 * tables are.  With the tables, the transition function keeps the member
 * type of its call site, the state it saw last and the slot of the member it
 * saw last in it, and the time_zone argument it accepted last.
 */
#define ZONE_MAX_STRETCHES 4096		/* two transitions a year: two thousand years */
#define ZONE_SPAN ((int64) 10 * 366 * USECS_PER_DAY)	/* around the first row */
#define ZONE_MAX_SPAN ((int64) 20000 * 366 * USECS_PER_DAY)	/* of one widening */
#define MONTH_MAX_PERIODS 12000
#define MONTH_SPAN 240				/* months around the first row */

typedef struct OffsetCache
{
	pg_tz	   *tz;
	char		zone[COHORT_ZONE_LEN];
	MemoryContext cxt;			/* of the tables: the call site's */
	/* UTC offsets: nzone stretches (0: none yet); the one found last, copied */
	TimestampTz hit_lo,
				hit_hi;
	int64		hit_off;
	int			nzone;
	bool		zone_lower_done,	/* cannot widen further down, up */
				zone_upper_done;
	TimestampTz *at;			/* nzone + 1 bounds, microseconds */
	int64	   *off;			/* microseconds east of UTC */
	/* period starts, for whole months (nper 0: none yet); the period found last */
	int64		phit_lo,
				phit_hi,
				phit;
	int32		months;
	int32		nper;
	int64		pfirst;
	int32	   *pday;			/* nper + 1 days */
	double		inv_pdays;		/* periods per day, for the first guess */
	/*
	 * fixed periods, for PeriodIndex: the length, a whole number of lengths
	 * (bias_q of them) to add to an instant to make it positive, and
	 * 2^64 / length rounded down
	 */
	int64		period_usec;
	int64		bias;
	int64		bias_q;
	uint64		magic;
	/* for the transition */
	int			arg_key_type;
	int			zone_arg_len;	/* time_zone argument last accepted (-1: none) */
	char		zone_arg[COHORT_ZONE_LEN];
	struct OffsetCache *next;	/* the call site's cache of the zone seen before */
	const void *last_state;
	int32		last_slot;		/* -1: none */
} OffsetCache;

static pg_tz *
ZoneLookupCode(const char *zone, int code)
{
	pg_tz	   *tz = pg_tzset(zone);

	if (tz == NULL)
		ereport(ERROR,
				(errcode(code),
				 errmsg("time zone \"%s\" not recognized", zone)));
	return tz;
}

static pg_tz *
ZoneLookup(const char *zone)
{
	return ZoneLookupCode(zone, ERRCODE_INVALID_PARAMETER_VALUE);
}

/*
 * The cache of zone for this call site.  A call site keeps the caches of the
 * last few zones it saw, most recent first, so that groups of different
 * zones (churn_cohort(..., time_zone) grouped by a column of zones) do not
 * rebuild their tables at every switch; the least recent is reused beyond
 * ZONE_CACHES.
 */
#define ZONE_CACHES 8

static OffsetCache *
GetOffsetCache(FunctionCallInfo fcinfo, const char *zone)
{
	MemoryContext cxt;
	void	  **slot = pm_call_site_slot(fcinfo, &cxt);
	OffsetCache *c = (OffsetCache *) *slot,
			   *prev = NULL,
			   *before_last = NULL;
	int			n = 0;

	if (likely(c != NULL && strcmp(c->zone, zone) == 0))
		return c;
	for (; c != NULL; prev = c, c = c->next, n++)
	{
		if (strcmp(c->zone, zone) == 0)
			break;
		if (c->next != NULL)
			before_last = c;
	}
	if (c == NULL && n >= ZONE_CACHES)
	{
		/* reuse the least recent: prev, the last of the list */
		c = prev;
		prev = before_last;
		c->zone[0] = '\0';
	}
	if (c == NULL)
	{
		c = MemoryContextAllocZero(cxt, sizeof(OffsetCache));
		c->cxt = cxt;
	}
	else if (prev != NULL)
		prev->next = c->next;	/* unlink; put first below */
	if (strcmp(c->zone, zone) != 0)
	{
		c->tz = ZoneLookup(zone);
		strlcpy(c->zone, zone, COHORT_ZONE_LEN);
		c->zone_arg_len = -1;
		if (c->at != NULL)
			pfree(c->at);
		if (c->off != NULL)
			pfree(c->off);
		if (c->pday != NULL)
			pfree(c->pday);
		c->at = NULL;
		c->off = NULL;
		c->pday = NULL;
		c->nzone = c->nper = 0;
		c->phit_lo = c->phit_hi = 0;
		c->hit_lo = c->hit_hi = 0;	/* empty: no instant in it */
		c->zone_lower_done = c->zone_upper_done = false;
		c->period_usec = 0;
		c->last_state = NULL;
		c->last_slot = -1;
	}
	if (c != (OffsetCache *) *slot)
	{
		c->next = (OffsetCache *) *slot;
		*slot = c;
	}
	return c;
}

/* Seconds since 1970 of an instant, and back (saturating). */
static inline pg_time_t
UnixSeconds(TimestampTz ts)
{
	return (pg_time_t) FloorDiv(ts, USECS_PER_SEC) + EPOCH_DIFF_SECS;
}

static inline TimestampTz
FromUnixSeconds(pg_time_t t)
{
	if (t - EPOCH_DIFF_SECS >= END_TIMESTAMP / USECS_PER_SEC)
		return PG_INT64_MAX;
	return (t - EPOCH_DIFF_SECS) * USECS_PER_SEC;
}

/* Microseconds east of UTC at instant ts, asking the zone. */
static int64
ZoneOffsetAt(pg_tz *tz, TimestampTz ts)
{
	pg_time_t	t = UnixSeconds(ts);

	return (int64) pg_localtime(&t, tz)->tm_gmtoff * USECS_PER_SEC;
}

/*
 * The zone's stretches from lo (rounded down to a second) to at least hi,
 * into the cache's table; false, leaving the table as it was, when there
 * are more than ZONE_MAX_STRETCHES of them.  The last stretch ends at the
 * first transition at or after hi, or never.
 */
static bool
ZoneTableBuild(OffsetCache *c, TimestampTz lo, TimestampTz hi)
{
	TimestampTz *at = palloc(sizeof(TimestampTz) * (ZONE_MAX_STRETCHES + 1));
	int64	   *off = palloc(sizeof(int64) * ZONE_MAX_STRETCHES);
	pg_time_t	t = UnixSeconds(lo);
	int			n = 1;
	bool		ok = true;

	at[0] = FromUnixSeconds(t);
	off[0] = (int64) pg_localtime(&t, c->tz)->tm_gmtoff * USECS_PER_SEC;
	for (int guard = 0;; guard++)
	{
		long		before,
					after;
		int			bisdst,
					aisdst,
					r;
		pg_time_t	boundary;
		int64		o;

		/*
		 * From exactly the last transition the zone lists, the next one
		 * (by its rule) is only found from a second later
		 */
		r = pg_next_dst_boundary(&t, &before, &bisdst, &boundary, &after, &aisdst, c->tz);
		if (r != 1)
		{
			pg_time_t	later = t + 1;

			r = pg_next_dst_boundary(&later, &before, &bisdst, &boundary, &after, &aisdst, c->tz);
		}
		if (r != 1 || boundary <= t)
		{
			at[n] = PG_INT64_MAX;	/* no transition after t */
			break;
		}
		t = boundary;
		if (FromUnixSeconds(t) >= hi)
		{
			at[n] = FromUnixSeconds(t);
			break;
		}
		o = (int64) pg_localtime(&t, c->tz)->tm_gmtoff * USECS_PER_SEC;
		if (o == off[n - 1] && guard < 8 * ZONE_MAX_STRETCHES)
			continue;			/* a change of name or of DST only */
		if (n == ZONE_MAX_STRETCHES || guard >= 8 * ZONE_MAX_STRETCHES)
		{
			ok = false;
			break;
		}
		at[n] = FromUnixSeconds(t);
		off[n] = o;
		n++;
	}
	if (ok)
	{
		if (c->at != NULL)
			pfree(c->at);
		if (c->off != NULL)
			pfree(c->off);
		c->at = MemoryContextAlloc(c->cxt, sizeof(TimestampTz) * (n + 1));
		c->off = MemoryContextAlloc(c->cxt, sizeof(int64) * n);
		memcpy(c->at, at, sizeof(TimestampTz) * (n + 1));
		memcpy(c->off, off, sizeof(int64) * n);
		c->nzone = n;
		c->hit_lo = c->hit_hi = 0;
	}
	pfree(at);
	pfree(off);
	return ok;
}

/*
 * Widens the table to hold ts, by at least the table's span (a first table:
 * ZONE_SPAN around ts).  The table stays as it is, and that side is not
 * tried again, when that would take too many stretches.
 */
static void
ZoneTableWiden(OffsetCache *c, TimestampTz ts)
{
	int64		span = ZONE_SPAN;

	if (c->nzone == 0)
	{
		if (!ZoneTableBuild(c, Max(ts, MIN_TIMESTAMP + ZONE_SPAN) - ZONE_SPAN,
							Min(ts, END_TIMESTAMP - ZONE_SPAN) + ZONE_SPAN))
			c->zone_lower_done = c->zone_upper_done = true;
		return;
	}
	if (c->at[c->nzone] < END_TIMESTAMP)
		span = (int64) Min(Max((int128) c->at[c->nzone] - c->at[0], (int128) ZONE_SPAN),
						   (int128) ZONE_MAX_SPAN);
	if (ts < c->at[0] && !c->zone_lower_done)
	{
		/* from further down to where the table ends */
		if (!ZoneTableBuild(c, Max(MIN_TIMESTAMP, Min(ts, c->at[0] - span)), c->at[c->nzone]))
			c->zone_lower_done = true;
	}
	else if (ts >= c->at[c->nzone] && ts < END_TIMESTAMP && !c->zone_upper_done)
	{
		/* from where the table starts further up */
		if (!ZoneTableBuild(c, c->at[0], ts + Min(span, END_TIMESTAMP - ts)))
			c->zone_upper_done = true;
	}
}

/* Microseconds east of UTC at instant ts in the cache's zone: a table look-up. */
static pg_noinline int64
LocalOffsetMiss(OffsetCache *c, TimestampTz ts)
{
	int			lo,
				hi;

	if (c->nzone == 0 || ts < c->at[0] || ts >= c->at[c->nzone])
	{
		ZoneTableWiden(c, ts);
		if (c->nzone == 0 || ts < c->at[0] || ts >= c->at[c->nzone])
			return ZoneOffsetAt(c->tz, ts);
	}
	/* the last stretch starting at or before ts */
	lo = 0;
	hi = c->nzone - 1;
	while (lo < hi)
	{
		int			mid = (lo + hi + 1) / 2;

		if (c->at[mid] <= ts)
			lo = mid;
		else
			hi = mid - 1;
	}
	c->hit_lo = c->at[lo];
	c->hit_hi = c->at[lo + 1];
	c->hit_off = c->off[lo];
	return c->off[lo];
}

static pg_attribute_always_inline int64
LocalOffset(OffsetCache *c, TimestampTz ts)
{
	if (likely(ts >= c->hit_lo && ts < c->hit_hi))
		return c->hit_off;
	return LocalOffsetMiss(c, ts);
}

/* The period (of months months) holding local day day, from the calendar. */
static int64
MonthPeriodOfDay(int32 months, int64 day)
{
	int			y,
				mo,
				d;

	j2date((int) day + POSTGRES_EPOCH_JDATE, &y, &mo, &d);
	return FloorDiv((int64) (y - 2001) * 12 + (mo - 1), months);
}

/* The local day (since 2000-01-01) period p (of months months) starts on. */
static int32
MonthPeriodStartDay(int32 months, int64 p)
{
	int64		mon = p * months;

	return date2j(2001 + (int) FloorDiv(mon, 12), (int) (mon - FloorDiv(mon, 12) * 12) + 1, 1) -
		POSTGRES_EPOCH_JDATE;
}

/*
 * The period holding local day day, for periods of months months, from the
 * cache's table of period starts, built or widened first if the day is not
 * in it.  The table holds years 1 to 200000 at most, where date2j() and
 * j2date() agree, far beyond any real data; other days, and rows that would
 * make the table too large, are computed as they come.
 */
static pg_noinline int64
MonthPeriodMiss(OffsetCache *c, int32 months, int64 day)
{
	int64		p,
				first,
				end;
	int32		k;

	if (c->months != months || c->nper == 0 || day < c->pday[0] || day >= c->pday[c->nper])
	{
		int64		minp = FloorDiv((int64) -2000 * 12, months) + 1,
					maxp = FloorDiv((int64) 198000 * 12, months);

		if (day < -730000 || day > (int64) 72000000)
			return MonthPeriodOfDay(months, day);
		p = MonthPeriodOfDay(months, day);
		if (c->months != months || c->nper == 0)
		{
			first = p - Max(MONTH_SPAN / months, 1);
			end = p + Max(MONTH_SPAN / months, 1) + 1;
		}
		else
		{
			int64		span = Max((int64) c->nper, MONTH_SPAN / months);

			first = Min(c->pfirst, p - span);
			end = Max(c->pfirst + c->nper, p + span + 1);
		}
		first = Max(first, minp);
		end = Min(end, maxp);
		if (p < first || p >= end || end - first > MONTH_MAX_PERIODS)
			return p;
		if (c->pday != NULL)
			pfree(c->pday);
		c->pday = MemoryContextAlloc(c->cxt, sizeof(int32) * (end - first + 1));
		for (int64 q = first; q <= end; q++)
			c->pday[q - first] = MonthPeriodStartDay(months, q);
		c->months = months;
		c->pfirst = first;
		c->nper = (int32) (end - first);
		c->inv_pdays = (double) c->nper / (double) (c->pday[c->nper] - c->pday[0]);
		k = (int32) (p - first);
		c->phit_lo = c->pday[k];
		c->phit_hi = c->pday[k + 1];
		c->phit = p;
		return p;
	}
	/* a first guess from the mean period length, then the exact period */
	k = (int32) ((double) (day - c->pday[0]) * c->inv_pdays);
	k = Max(0, Min(k, c->nper - 1));
	while (day < c->pday[k])
		k--;
	while (day >= c->pday[k + 1])
		k++;
	c->phit_lo = c->pday[k];
	c->phit_hi = c->pday[k + 1];
	c->phit = c->pfirst + k;
	return c->phit;
}

/* Absolute period index of instant ts for the matrix's period and zone. */
static pg_attribute_always_inline int64
PeriodIndex(const CohortMatrix *m, OffsetCache *c, TimestampTz ts)
{
	int64		local = ts + LocalOffset(c, ts);

	if (m->months == 0)
	{
		/*
		 * floor((local - origin) / length), without a division: within
		 * +-2^52 microseconds (142 years) of 2001, x + bias is positive and
		 * below 2^56, and the high half of its product with 2^64 / length
		 * (rounded down) is the quotient or one less.  Farther away, divide.
		 */
		int64		x = local - ORIGIN_USEC;
		int64		L = (int64) m->days * USECS_PER_DAY + m->time;
		uint64		ux,
					q;

		if (unlikely(c->period_usec != L))
		{
			c->period_usec = L;
			c->bias_q = (((int64) 1 << 52) + L - 1) / L;
			c->bias = c->bias_q * L;
			c->magic = PG_UINT64_MAX / (uint64) L;
		}
		if (unlikely(x > ((int64) 1 << 52) || x < -((int64) 1 << 52)))
			return FloorDiv(x, L);
		ux = (uint64) (x + c->bias);
		q = (uint64) (((uint128) ux * c->magic) >> 64);
		if (ux - q * (uint64) L >= (uint64) L)
			q++;
		return (int64) q - c->bias_q;
	}
	else
	{
		int64		day = FloorDiv(local, USECS_PER_DAY);

		if (likely(day >= c->phit_lo && day < c->phit_hi && c->months == m->months))
			return c->phit;
		return MonthPeriodMiss(c, m->months, day);
	}
}
/* The instant a period starts: local start in the matrix's zone. */
static TimestampTz
PeriodStart(const CohortMatrix *m, pg_tz *tz, int64 index)
{
	struct pg_tm tm;
	fsec_t		fsec;
	int			offset;
	TimestampTz result;

	if (m->months == 0)
	{
		int64		local;

		if (pg_mul_s64_overflow(index, (int64) m->days * USECS_PER_DAY + m->time, &local) ||
			pg_add_s64_overflow(local, ORIGIN_USEC, &local) ||
			!IS_VALID_TIMESTAMP(local) ||
			timestamp2tm(local, NULL, &tm, &fsec, NULL, NULL) != 0)
			ereport(ERROR,
					(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
					 errmsg("timestamp out of range")));
	}
	else
	{
		int64		months;

		if (pg_mul_s64_overflow(index, m->months, &months) || months / 12 > 300000 || months / 12 < -10000)
			ereport(ERROR,
					(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
					 errmsg("timestamp out of range")));
		memset(&tm, 0, sizeof(tm));
		fsec = 0;
		tm.tm_year = 2001 + (int) FloorDiv(months, 12);
		tm.tm_mon = (int) (months - FloorDiv(months, 12) * 12) + 1;
		tm.tm_mday = 1;
	}
	offset = DetermineTimeZoneOffset(&tm, tz);
	if (tm2timestamp(&tm, fsec, &offset, &result) != 0)
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("timestamp out of range")));
	return result;
}

/* ------------------------------------------------------------------------
 * Keys
 * ------------------------------------------------------------------------
 */

/* Member key bytes, ordered as the values are (bigint: sign-flipped big-endian). */
static inline void
KeyBytes(int key_type, Datum d, const char **bytes, int *len, char *buf)
{
	if (key_type == KEY_TEXT)
	{
		/* DatumGetTextPP(), without a call for the usual short inline value */
		struct varlena *t = (struct varlena *) DatumGetPointer(d);

		if (unlikely(VARATT_IS_EXTERNAL(t) || VARATT_IS_COMPRESSED(t)))
			t = pg_detoast_datum_packed(t);
		*bytes = VARDATA_ANY(t);
		*len = VARSIZE_ANY_EXHDR(t);
	}
	else if (key_type == KEY_INT8)
	{
		uint64		u = (uint64) DatumGetInt64(d) ^ UINT64CONST(0x8000000000000000);

		for (int i = 7; i >= 0; i--, u >>= 8)
			buf[i] = (char) (u & 0xff);
		*bytes = buf;
		*len = 8;
	}
	else
	{
		*bytes = (const char *) DatumGetUUIDP(d)->data;
		*len = UUID_LEN;
	}
}

/* The member as text, for cohort_churned() and the text form. */
static char *
KeyText(int key_type, const char *bytes, int len)
{
	if (key_type == KEY_TEXT)
		return pnstrdup(bytes, len);
	if (key_type == KEY_INT8)
	{
		uint64		u = 0;

		for (int i = 0; i < 8; i++)
			u = (u << 8) | (unsigned char) bytes[i];
		return psprintf(INT64_FORMAT, (int64) (u ^ UINT64CONST(0x8000000000000000)));
	}
	else
	{
		pg_uuid_t	uuid;

		memcpy(uuid.data, bytes, UUID_LEN);
		return DatumGetCString(DirectFunctionCall1(uuid_out, UUIDPGetDatum(&uuid)));
	}
}

/* Whether len bytes at a and b are equal: short keys without a call. */
static inline bool
KeyEqual(const char *a, const char *b, int len)
{
	if (len >= 8 && len <= 16)
	{
		uint64		a1,
					a2,
					b1,
					b2;

		memcpy(&a1, a, 8);
		memcpy(&b1, b, 8);
		memcpy(&a2, a + len - 8, 8);
		memcpy(&b2, b + len - 8, 8);
		return a1 == b1 && a2 == b2;
	}
	if (len >= 4 && len < 8)
	{
		uint32		a1,
					a2,
					b1,
					b2;

		memcpy(&a1, a, 4);
		memcpy(&b1, b, 4);
		memcpy(&a2, a + len - 4, 4);
		memcpy(&b2, b + len - 4, 4);
		return a1 == b1 && a2 == b2;
	}
	return memcmp(a, b, len) == 0;
}

static int
KeyCompare(const char *a, int alen, const char *b, int blen)
{
	int			c = memcmp(a, b, Min(alen, blen));

	return c != 0 ? c : (alen > blen) - (alen < blen);
}

/* ------------------------------------------------------------------------
 * The hash table
 * ------------------------------------------------------------------------
 */

static CohortMatrix *
CohortAlloc(int32 nslots, int32 heap_cap)
{
	Size		size = MAXALIGN(sizeof(CohortMatrix)) + (Size) nslots * sizeof(CohortSlot) + heap_cap;
	CohortMatrix *m;
	CohortSlot *slots;

	if (size > MaxAllocSize)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("cohort matrix is too large"),
				 errhint("Use a longer period, or split the members (for example by team) and roll the matrices up in smaller groups.")));
	m = (CohortMatrix *) palloc0(size);
	SET_VARSIZE(m, size);
	m->version = COHORT_VERSION;
	m->nslots = nslots;
	m->heap_cap = heap_cap;
	m->min_rel = PG_INT32_MAX;
	m->max_rel = PG_INT32_MIN;
	slots = COHORT_SLOTS(m);
	for (int32 i = 0; i < nslots; i++)
		slots[i].key_len = -1;
	return m;
}

/* An empty matrix with the parameters of tmpl. */
static CohortMatrix *
CohortEmptyLike(const CohortMatrix *tmpl, int32 nslots, int32 heap_cap)
{
	CohortMatrix *m = CohortAlloc(nslots, heap_cap);

	m->key_type = tmpl->key_type;
	m->months = tmpl->months;
	m->days = tmpl->days;
	m->time = tmpl->time;
	m->base = tmpl->base;
	memcpy(m->zone, tmpl->zone, COHORT_ZONE_LEN);
	return m;
}

/* Reserve len bytes of heap (4-aligned); -1 if it does not fit. */
static inline int32
HeapReserve(CohortMatrix *m, int32 len)
{
	int32		off = m->heap_used;
	int32		need = (int32) TYPEALIGN(4, len);

	if (need > m->heap_cap - off)
		return -1;
	m->heap_used += need;
	return off;
}

static CohortMatrix *CohortRebuild(CohortMatrix *m, int32 extra_members, int32 extra_heap, bool grow);

/*
 * The slot of a member, inserted (with an empty bitset) if new.  May return a
 * new, larger matrix in *mp.
 */
static int32
CohortFindOrInsert(CohortMatrix **mp, const char *key, int len, uint32 hash, bool insert)
{
	CohortMatrix *m = *mp;
	CohortSlot *slots;
	int32		mask,
				i;

	for (;;)
	{
		slots = COHORT_SLOTS(m);
		mask = m->nslots - 1;
		for (i = hash & mask;; i = (i + 1) & mask)
		{
			CohortSlot *s = &slots[i];

			if (s->key_len < 0)
				break;
			if (s->hash == hash && s->key_len == len &&
				KeyEqual(COHORT_HEAP(m) + s->key_off, key, len))
				return i;
		}
		if (!insert)
			return -1;
		/* keep the load factor under 1/2, and room for the key */
		if ((m->nmembers + 1) * 2 > m->nslots || (int32) TYPEALIGN(4, len) > m->heap_cap - m->heap_used)
		{
			m = *mp = CohortRebuild(m, 1, len + 64, true);
			continue;
		}
		slots[i].hash = hash;
		slots[i].key_off = HeapReserve(m, len);
		slots[i].key_len = len;
		memcpy(COHORT_HEAP(m) + slots[i].key_off, key, len);
		slots[i].bits_off = -1;
		slots[i].lo = 0;
		slots[i].nbits = 0;
		slots[i].first = PG_INT32_MAX;
		slots[i].last = PG_INT32_MIN;
		m->nmembers++;
		return i;
	}
}

/* Whether slot i holds the member of these key bytes. */
static inline bool
SlotHasKey(const CohortMatrix *m, int32 i, const char *key, int len)
{
	const CohortSlot *s = &COHORT_SLOTS(m)[i];

	return s->key_len == len && KeyEqual(COHORT_HEAP(m) + s->key_off, key, len);
}

static inline bool
SlotBit(const CohortMatrix *m, const CohortSlot *s, int32 rel)
{
	const uint32 *w;
	int32		b = rel - s->lo;

	if (rel < s->first || rel > s->last)
		return false;
	w = (const uint32 *) (COHORT_HEAP(m) + s->bits_off);
	return (w[b >> 5] >> (b & 31)) & 1;
}

/*
 * Mark member slot i active in relative period rel.  May put a new, larger
 * matrix in *mp; returns the member's slot index in the matrix now in *mp.
 * CohortSetBit() is the usual case, rel within the member's bitset.
 */
static int32
CohortSetBitGrow(CohortMatrix **mp, int32 i, int32 rel)
{
	CohortMatrix *m = *mp;
	CohortSlot *s = &COHORT_SLOTS(m)[i];
	uint32	   *w;
	int32		b;

	if (unlikely(s->bits_off < 0 || rel < s->lo || rel >= s->lo + s->nbits))
	{
		/* a bigger bitset covering the old range and rel, with some room */
		int32		lo = s->bits_off < 0 ? rel : Min(s->lo, rel);
		int32		hi = s->bits_off < 0 ? rel : Max(s->lo + s->nbits - 1, rel);
		int32		nbits,
					off;

		if (s->bits_off >= 0 && rel < s->lo)
			lo -= 16;			/* expect earlier periods to come too */
		nbits = (int32) TYPEALIGN(32, hi - lo + 1 + 16);
		off = HeapReserve(m, nbits / 8);
		if (off < 0)
		{
			/* the old matrix stays readable: find the member again by its key */
			const char *key = COHORT_HEAP(m) + s->key_off;

			m = *mp = CohortRebuild(m, 0, nbits / 8 + 64, true);
			i = CohortFindOrInsert(mp, key, s->key_len, s->hash, false);
			s = &COHORT_SLOTS(m)[i];
			/* the rebuilt bitset covers first..last; widen it to rel here */
			lo = s->bits_off < 0 ? rel : Min(s->lo, rel);
			hi = s->bits_off < 0 ? rel : Max(s->lo + s->nbits - 1, rel);
			nbits = (int32) TYPEALIGN(32, hi - lo + 1 + 16);
			off = HeapReserve(m, nbits / 8);
			if (off < 0)
				elog(ERROR, "cohort matrix rebuild left no room for a bitset");
		}
		w = (uint32 *) (COHORT_HEAP(m) + off);
		memset(w, 0, nbits / 8);
		if (s->bits_off >= 0)
		{
			const uint32 *old = (const uint32 *) (COHORT_HEAP(m) + s->bits_off);

			for (int32 r = s->first; r <= s->last; r++)
			{
				int32		ob = r - s->lo,
							nb = r - lo;

				if ((old[ob >> 5] >> (ob & 31)) & 1)
					w[nb >> 5] |= (uint32) 1 << (nb & 31);
			}
		}
		s->bits_off = off;
		s->lo = lo;
		s->nbits = nbits;
	}
	w = (uint32 *) (COHORT_HEAP(m) + s->bits_off);
	b = rel - s->lo;
	w[b >> 5] |= (uint32) 1 << (b & 31);
	if (rel < s->first)
		s->first = rel;
	if (rel > s->last)
		s->last = rel;
	return i;
}

static inline int32
CohortSetBit(CohortMatrix **mp, int32 i, int32 rel)
{
	CohortMatrix *m = *mp;
	CohortSlot *s = &COHORT_SLOTS(m)[i];
	int32		b = rel - s->lo;

	if (likely(s->bits_off >= 0 && rel >= s->lo && b < s->nbits))
	{
		uint32	   *w = (uint32 *) (COHORT_HEAP(m) + s->bits_off);

		w[b >> 5] |= (uint32) 1 << (b & 31);
		if (rel < s->first)
			s->first = rel;
		if (rel > s->last)
			s->last = rel;
		return i;
	}
	return CohortSetBitGrow(mp, i, rel);
}

/*
 * A copy with room for extra members and extra heap bytes (doubling when
 * grow, exact otherwise), every member's bitset trimmed to its active range:
 * the garbage of outgrown bitsets is left behind.
 */
static CohortMatrix *
CohortRebuild(CohortMatrix *m, int32 extra_members, int32 extra_heap, bool grow)
{
	int64		need_slots = 16;
	int64		heap = 0;
	CohortSlot *old = COHORT_SLOTS(m);
	CohortMatrix *n;

	while (need_slots < ((int64) m->nmembers + extra_members) * 2)
		need_slots *= 2;
	for (int32 i = 0; i < m->nslots; i++)
		if (old[i].key_len >= 0)
			heap += TYPEALIGN(4, old[i].key_len) +
				(old[i].bits_off >= 0 ? TYPEALIGN(32, old[i].last - old[i].first + 1) / 8 : 0);
	heap += extra_heap;
	if (grow)
		heap = Max(heap, Min((int64) m->heap_cap * 2, heap + (64 << 20)));
	if (need_slots > PG_INT32_MAX / 2 || heap > (int64) MaxAllocSize)
		(void) CohortAlloc(PG_INT32_MAX, PG_INT32_MAX);	/* reports the error */
	n = CohortEmptyLike(m, (int32) need_slots, (int32) heap);
	n->min_rel = m->min_rel;
	n->max_rel = m->max_rel;
	for (int32 i = 0; i < m->nslots; i++)
	{
		CohortSlot *s = &old[i];
		CohortSlot *t;
		int32		j;

		if (s->key_len < 0)
			continue;
		for (j = s->hash & (n->nslots - 1); COHORT_SLOTS(n)[j].key_len >= 0; j = (j + 1) & (n->nslots - 1))
			;
		t = &COHORT_SLOTS(n)[j];
		*t = *s;
		t->key_off = HeapReserve(n, s->key_len);
		memcpy(COHORT_HEAP(n) + t->key_off, COHORT_HEAP(m) + s->key_off, s->key_len);
		n->nmembers++;
		if (s->bits_off >= 0 && s->first <= s->last)
		{
			int32		nbits = (int32) TYPEALIGN(32, s->last - s->first + 1);
			uint32	   *w;

			t->bits_off = HeapReserve(n, nbits / 8);
			t->lo = s->first;
			t->nbits = nbits;
			w = (uint32 *) (COHORT_HEAP(n) + t->bits_off);
			memset(w, 0, nbits / 8);
			for (int32 r = s->first; r <= s->last; r++)
				if (SlotBit(m, s, r))
					w[(r - s->first) >> 5] |= (uint32) 1 << ((r - s->first) & 31);
		}
	}
	return n;
}

/* Widen the activity range to rel; at most COHORT_MAX_PERIODS periods. */
static inline void
CohortNoteRange(CohortMatrix *m, int32 rel)
{
	int32		lo = Min(m->min_rel, rel),
				hi = Max(m->max_rel, rel);

	if ((int64) hi - lo + 1 > COHORT_MAX_PERIODS)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("activity spans more than %d periods", COHORT_MAX_PERIODS),
				 errhint("Use a longer period, or restrict the time range of the rows.")));
	m->min_rel = lo;
	m->max_rel = hi;
}

/* Relative period of an absolute index; the range check keeps it small. */
static inline int32
RelIndex(const CohortMatrix *m, int64 index)
{
	int64		rel;

	if (pg_sub_s64_overflow(index, m->base, &rel) ||
		rel < -2 * COHORT_MAX_PERIODS || rel > 2 * COHORT_MAX_PERIODS)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("activity spans more than %d periods", COHORT_MAX_PERIODS),
				 errhint("Use a longer period, or restrict the time range of the rows.")));
	return (int32) rel;
}

/* ------------------------------------------------------------------------
 * The aggregate
 * ------------------------------------------------------------------------
 */

static const char *KeyTypeName(int key_type);

static int
KeyTypeOf(Oid type)
{
	switch (type)
	{
		case TEXTOID:
			return KEY_TEXT;
		case INT8OID:
			return KEY_INT8;
		case UUIDOID:
			return KEY_UUID;
	}
	elog(ERROR, "unsupported member type %u", type);
	return 0;					/* keep compiler quiet */
}

/*
 * The zone a time_zone argument names, as the matrix records it: the name
 * the zone database spells it with ('america/new_york' is
 * America/New_York), so that matrices of one zone merge whatever the case
 * the callers wrote.
 */
/* A zone name the matrix can record, or an error. */
static void
CheckZoneName(const char *zone)
{
	if (strlen(zone) >= COHORT_ZONE_LEN)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("time zone name \"%s\" is too long", zone)));
}

static const char *
ZoneArgName(text *arg)
{
	char	   *given;
	const char *zone;

	if (VARSIZE_ANY_EXHDR(arg) >= COHORT_ZONE_LEN)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("time zone name is too long"),
				 errdetail("The name has %d bytes; zone names have fewer than %d.",
						   (int) VARSIZE_ANY_EXHDR(arg), COHORT_ZONE_LEN)));
	given = text_to_cstring(arg);
	zone = pg_get_timezone_name(ZoneLookup(given));
	CheckZoneName(zone);
	return zone;
}

/*
 * churn_cohort(member, active_at, period [, time_zone]) transition, for
 * members of key_type (KEY_TEXT, ...; -1: the type of the call's argument,
 * as the 1.7 and earlier scripts call it).  zone_argno: the time_zone
 * argument, or -1 for the session's zone.  Each member type has its own C
 * function, because a caller need not pass the call's expression (Citus's
 * worker_partial_agg() does not).
 */
static inline Datum
CohortAccumulate(FunctionCallInfo fcinfo, int key_type, int zone_argno)
{
	CohortMatrix *m;
	Interval   *period;
	OffsetCache *cache;
	const char *key;
	int			len;
	char		buf[16];
	int32		rel,
				i;
	uint32		hash;

	if (PG_ARGISNULL(3))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("period must not be NULL")));
	if (zone_argno >= 0 && PG_ARGISNULL(zone_argno))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("time_zone must not be NULL"),
				 errhint("Give a zone name such as 'UTC' or 'Europe/Berlin', or leave the argument out for the session's TimeZone.")));
	period = PG_GETARG_INTERVAL_P(3);
	if (!PG_ARGISNULL(2) && TIMESTAMP_NOT_FINITE(PG_GETARG_TIMESTAMPTZ(2)))
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("active_at must be a finite timestamp")));
	if (PG_ARGISNULL(0))
	{
		const char *zone;

		CheckPeriod(period, ERRCODE_INVALID_PARAMETER_VALUE);
		if (zone_argno >= 0)
			zone = ZoneArgName(PG_GETARG_TEXT_PP(zone_argno));
		else
		{
			zone = pg_get_timezone_name(session_timezone);
			CheckZoneName(zone);
		}
		if (PG_ARGISNULL(1) || PG_ARGISNULL(2))
			PG_RETURN_NULL();
		m = CohortAlloc(1024, 64 * 1024);
		m->key_type = key_type >= 0 ? key_type : KeyTypeOf(get_fn_expr_argtype(fcinfo->flinfo, 1));
		m->months = period->month;
		m->days = period->day;
		m->time = period->time;
		strlcpy(m->zone, zone, COHORT_ZONE_LEN);
		cache = GetOffsetCache(fcinfo, m->zone);
		cache->last_state = NULL;	/* a new state, maybe where an old one was */
		m->base = PeriodIndex(m, cache, PG_GETARG_TIMESTAMPTZ(2));
		if (m->base > COHORT_MAX_INDEX || m->base < -COHORT_MAX_INDEX)
			ereport(ERROR,
					(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
					 errmsg("period is too short for timestamps this far from 2001"),
					 errhint("Use a longer period.")));
	}
	else
	{
		m = (CohortMatrix *) pm_agg_state_arg(fcinfo);
		if (unlikely(period->month != m->months || period->day != m->days || period->time != m->time))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("period must be the same for every row of the aggregate")));
	}
	/*
	 * The zone's cache and the member type: checked once per state.  An
	 * aggregate's state stays at one address, and a new one is made above,
	 * so the member last seen in it can be trusted; a direct call may pass
	 * any matrix, each in a copy that may be where the last one was.
	 */
	{
		MemoryContext cxt;

		cache = (OffsetCache *) *pm_call_site_slot(fcinfo, &cxt);
	}
	if (unlikely(cache == NULL || cache->last_state != (const void *) m || !PM_IN_AGGREGATE(fcinfo)))
	{
		cache = GetOffsetCache(fcinfo, m->zone);
		cache->arg_key_type = key_type >= 0 ? key_type : KeyTypeOf(get_fn_expr_argtype(fcinfo->flinfo, 1));
		if (m->key_type != cache->arg_key_type)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("member of type %s does not match a cohort matrix of %s members",
							KeyTypeName(cache->arg_key_type), KeyTypeName(m->key_type))));
		cache->last_state = m;
		cache->last_slot = -1;
	}

	/*
	 * The time_zone argument: the one accepted last, byte for byte, or one
	 * that names the matrix's zone (and is accepted from then on).  A state
	 * built in the session's zone (a direct call of the three-argument form,
	 * then this) is held to that zone too.
	 */
	if (zone_argno >= 0)
	{
		text	   *arg = PG_GETARG_TEXT_PP(zone_argno);
		int			arg_len = VARSIZE_ANY_EXHDR(arg);

		if (unlikely(arg_len != cache->zone_arg_len ||
					 memcmp(VARDATA_ANY(arg), cache->zone_arg, arg_len) != 0))
		{
			if (strcmp(ZoneArgName(arg), m->zone) != 0)
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						 errmsg("time_zone must be the same for every row of the aggregate"),
						 errdetail("The matrix is built in time zone \"%s\".", m->zone)));
			memcpy(cache->zone_arg, VARDATA_ANY(arg), arg_len);	/* < COHORT_ZONE_LEN */
			cache->zone_arg_len = arg_len;
		}
	}
	/* (a row without a member or a time counts for nothing, once checked) */
	if (PG_ARGISNULL(1) || PG_ARGISNULL(2))
		PG_RETURN_POINTER(m);

	rel = RelIndex(m, PeriodIndex(m, cache, PG_GETARG_TIMESTAMPTZ(2)));
	CohortNoteRange(m, rel);
	KeyBytes(m->key_type, PG_GETARG_DATUM(1), &key, &len, buf);

	/*
	 * Events of one member often come together: the member of the last row
	 * is compared first, and only another member is hashed and looked up.
	 * (A slot holding the key is the member's in any matrix: a stale index
	 * can only miss.)
	 */
	i = cache->last_slot;
	if (i < 0 || i >= m->nslots || !SlotHasKey(m, i, key, len))
	{
		hash = hash_bytes((const unsigned char *) key, len);
		i = CohortFindOrInsert(&m, key, len, hash, true);
	}
	i = CohortSetBit(&m, i, rel);
	cache->last_state = m;		/* a rebuild moved it */
	cache->last_slot = i;
	PG_RETURN_POINTER(m);
}

/* The 1.7 and earlier transition: the member type from the call. */
Datum
cohort_matrix_sfunc(PG_FUNCTION_ARGS)
{
	return CohortAccumulate(fcinfo, -1, -1);
}

/* cohort_matrix_sfunc(state, member, active_at, period [, time_zone]), per member type */
Datum
cohort_matrix_sfunc_text(PG_FUNCTION_ARGS)
{
	return CohortAccumulate(fcinfo, KEY_TEXT, PG_NARGS() > 4 ? 4 : -1);
}

Datum
cohort_matrix_sfunc_int8(PG_FUNCTION_ARGS)
{
	return CohortAccumulate(fcinfo, KEY_INT8, PG_NARGS() > 4 ? 4 : -1);
}

Datum
cohort_matrix_sfunc_uuid(PG_FUNCTION_ARGS)
{
	return CohortAccumulate(fcinfo, KEY_UUID, PG_NARGS() > 4 ? 4 : -1);
}

/* The same period, zone and member type, or an error. */
static void
CheckCompatible(const CohortMatrix *a, const CohortMatrix *b)
{
	if (a->months != b->months || a->days != b->days || a->time != b->time)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("cannot merge cohort matrices with different periods"),
				 errhint("Build the matrices to be merged with the same period.")));
	if (strcmp(a->zone, b->zone) != 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("cannot merge cohort matrices built in different time zones (\"%s\" and \"%s\")",
						a->zone, b->zone),
				 errhint("Build the matrices to be merged in one zone: give churn_cohort() the same time_zone, or set the same TimeZone in the sessions that build them.")));
	if (a->key_type != b->key_type)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("cannot merge cohort matrices of different member types")));
}

/* Combine and rollup transition: union b's activity into a. */
Datum
cohort_matrix_combine(PG_FUNCTION_ARGS)
{
	CohortMatrix *a = (CohortMatrix *) pm_agg_state_arg(fcinfo);
	CohortMatrix *b = PG_GETARG_COHORT_P(1);
	CohortSlot *bs = COHORT_SLOTS(b);

	CheckCompatible(a, b);
	if (b->nmembers == 0)
		PG_RETURN_POINTER(a);
	if (a->nmembers == 0)
		a->base = b->base;
	CohortNoteRange(a, RelIndex(a, b->base + b->min_rel));	/* |base| < 2^53 */
	CohortNoteRange(a, RelIndex(a, b->base + b->max_rel));
	for (int32 j = 0; j < b->nslots; j++)
	{
		int32		i;

		if (bs[j].key_len < 0)
			continue;
		i = CohortFindOrInsert(&a, COHORT_HEAP(b) + bs[j].key_off, bs[j].key_len, bs[j].hash, true);
		for (int32 r = bs[j].first; r <= bs[j].last; r++)
			if (SlotBit(b, &bs[j], r))
				i = CohortSetBit(&a, i, RelIndex(a, b->base + r));
	}
	PG_RETURN_POINTER(a);
}

/* Final: a compact copy. */
Datum
cohort_matrix_ffunc(PG_FUNCTION_ARGS)
{
	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	PG_RETURN_POINTER(CohortRebuild(PG_GETARG_COHORT_P(0), 0, 0, false));
}

/* ------------------------------------------------------------------------
 * Sorted member view, shared by output, equality and the readers
 * ------------------------------------------------------------------------
 */

typedef struct MemberRef
{
	const char *key;
	int			len;
	const CohortSlot *slot;
} MemberRef;

static int
MemberRefCmp(const void *a, const void *b)
{
	const MemberRef *x = a,
			   *y = b;

	return KeyCompare(x->key, x->len, y->key, y->len);
}

static MemberRef *
SortedMembers(const CohortMatrix *m)
{
	MemberRef  *r = palloc(sizeof(MemberRef) * Max(m->nmembers, 1));
	int32		n = 0;
	const CohortSlot *slots = COHORT_SLOTS(m);

	for (int32 i = 0; i < m->nslots; i++)
		if (slots[i].key_len >= 0)
		{
			r[n].key = COHORT_HEAP(m) + slots[i].key_off;
			r[n].len = slots[i].key_len;
			r[n].slot = &slots[i];
			n++;
		}
	qsort(r, n, sizeof(MemberRef), MemberRefCmp);
	return r;
}

/* ------------------------------------------------------------------------
 * Text and binary forms
 * ------------------------------------------------------------------------
 */

/* The period in ISO 8601 ("P7D", "P3M"): the same whatever IntervalStyle says. */
static char *
PeriodText(const CohortMatrix *m)
{
	Interval	p;
	struct pg_itm itm;
	char		buf[MAXDATELEN + 1];

	p.month = m->months;
	p.day = m->days;
	p.time = m->time;
	interval2itm(p, &itm);
	EncodeInterval(&itm, INTSTYLE_ISO_8601, buf);
	return pstrdup(buf);
}

static const char *
KeyTypeName(int key_type)
{
	return key_type == KEY_TEXT ? "text" : key_type == KEY_INT8 ? "bigint" : "uuid";
}

static void
AppendQuoted(StringInfo buf, const char *s, int len)
{
	appendStringInfoChar(buf, '"');
	for (int i = 0; i < len; i++)
	{
		if (s[i] == '"' || s[i] == '\\')
			appendStringInfoChar(buf, '\\');
		appendStringInfoChar(buf, s[i]);
	}
	appendStringInfoChar(buf, '"');
}

/*
 * Text form: the parameters, then one member per entry in key order with the
 * absolute index of its first active period and its activity from there as
 * 0s and 1s:
 *   period="P7D" time_zone="UTC" member_type=text {"alice":1307:1101,"bob":1308:1}
 * The period is in ISO 8601, so the text does not depend on IntervalStyle.
 */
Datum
cohort_matrix_out(PG_FUNCTION_ARGS)
{
	CohortMatrix *m = PG_GETARG_COHORT_P(0);
	MemberRef  *r = SortedMembers(m);
	char	   *ps = PeriodText(m);
	StringInfoData buf;

	initStringInfo(&buf);
	appendStringInfoString(&buf, "period=");
	AppendQuoted(&buf, ps, strlen(ps));
	appendStringInfoString(&buf, " time_zone=");
	AppendQuoted(&buf, m->zone, strlen(m->zone));
	appendStringInfo(&buf, " member_type=%s {", KeyTypeName(m->key_type));
	for (int32 i = 0; i < m->nmembers; i++)
	{
		const CohortSlot *s = r[i].slot;
		char	   *k = KeyText(m->key_type, r[i].key, r[i].len);

		if (i > 0)
			appendStringInfoChar(&buf, ',');
		AppendQuoted(&buf, k, strlen(k));
		appendStringInfo(&buf, ":" INT64_FORMAT ":", m->base + s->first);
		for (int32 rel = s->first; rel <= s->last; rel++)
			appendStringInfoChar(&buf, SlotBit(m, s, rel) ? '1' : '0');
	}
	appendStringInfoChar(&buf, '}');
	PG_RETURN_CSTRING(buf.data);
}

/* Reads a double-quoted string with backslash escapes at *p. */
static char *
ReadQuoted(char **p, bool *ok)
{
	StringInfoData s;
	char	   *c = *p;

	*ok = false;
	if (*c != '"')
		return NULL;
	initStringInfo(&s);
	for (c++; *c && *c != '"'; c++)
	{
		if (*c == '\\')
		{
			c++;
			if (*c == '\0')
				return NULL;
		}
		appendStringInfoChar(&s, *c);
	}
	if (*c != '"')
		return NULL;
	*p = c + 1;
	*ok = true;
	return s.data;
}

/*
 * Adds one member with its activity (absolute first index and 0/1 string) to
 * m, checking that keys come in strictly increasing order and that the
 * activity starts and ends with a 1.
 */
static bool
AddParsedMember(CohortMatrix **mp, const char *keytext, int64 first, const char *bits, int nbits,
				char **prevkey, int *prevlen)
{
	CohortMatrix *m = *mp;
	Datum		d;
	const char *key;
	int			len;
	char		buf[16];
	int32		i;

	if (nbits < 1 || bits[0] != '1' || bits[nbits - 1] != '1')
		return false;
	if (m->key_type == KEY_TEXT)
		d = PointerGetDatum(cstring_to_text(keytext));
	else if (m->key_type == KEY_INT8)
		d = DirectFunctionCall1(int8in, CStringGetDatum(keytext));
	else
		d = DirectFunctionCall1(uuid_in, CStringGetDatum(keytext));
	KeyBytes(m->key_type, d, &key, &len, buf);
	if (*prevkey != NULL && KeyCompare(*prevkey, *prevlen, key, len) >= 0)
		return false;
	/* key bytes, not a string: a bigint's bytes contain zeros */
	*prevkey = palloc(Max(len, 1));
	memcpy(*prevkey, key, len);
	*prevlen = len;
	if (m->nmembers == 0)
		m->base = first;
	i = CohortFindOrInsert(&m, key, len, hash_bytes((const unsigned char *) key, len), true);
	for (int b = 0; b < nbits; b++)
	{
		int32		rel;

		if (bits[b] == '0')
			continue;
		if (bits[b] != '1')
			return false;
		rel = RelIndex(m, first + b);
		CohortNoteRange(m, rel);
		i = CohortSetBit(&m, i, rel);
	}
	*mp = m;
	return true;
}

static Datum
CohortMatrixParse(PG_FUNCTION_ARGS)
{
	char	   *str = PG_GETARG_CSTRING(0);
	char	   *p = str;
	char	   *ps,
			   *zone;
	bool		ok;
	Interval   *period;
	CohortMatrix *m;
	char	   *prevkey = NULL;
	int			prevlen = 0;

	if (strncmp(p, "period=", 7) != 0)
		goto syntax;
	p += 7;
	ps = ReadQuoted(&p, &ok);
	if (!ok || strncmp(p, " time_zone=", 11) != 0)
		goto syntax;
	p += 11;
	zone = ReadQuoted(&p, &ok);
	if (!ok || strncmp(p, " member_type=", 13) != 0 || strlen(zone) >= COHORT_ZONE_LEN)
		goto syntax;
	p += 13;
	period = DatumGetIntervalP(DirectFunctionCall3(interval_in, CStringGetDatum(ps),
												   ObjectIdGetDatum(InvalidOid), Int32GetDatum(-1)));
	CheckPeriod(period, ERRCODE_INVALID_TEXT_REPRESENTATION);
	(void) ZoneLookupCode(zone, ERRCODE_INVALID_TEXT_REPRESENTATION);
	m = CohortAlloc(16, 1024);
	if (strncmp(p, "text {", 6) == 0)
		m->key_type = KEY_TEXT, p += 6;
	else if (strncmp(p, "bigint {", 8) == 0)
		m->key_type = KEY_INT8, p += 8;
	else if (strncmp(p, "uuid {", 6) == 0)
		m->key_type = KEY_UUID, p += 6;
	else
		goto syntax;
	m->months = period->month;
	m->days = period->day;
	m->time = period->time;
	strlcpy(m->zone, zone, COHORT_ZONE_LEN);
	while (*p != '}')
	{
		char	   *key = ReadQuoted(&p, &ok);
		char	   *end;
		int64		first;
		char	   *bits;

		if (!ok || *p++ != ':')
			goto syntax;
		errno = 0;
		first = strtoi64(p, &end, 10);
		if (end == p || errno != 0 || *end != ':' || first > COHORT_MAX_INDEX || first < -COHORT_MAX_INDEX)
			goto syntax;
		bits = end + 1;
		for (p = bits; *p == '0' || *p == '1'; p++)
			;
		if (!AddParsedMember(&m, key, first, bits, (int) (p - bits), &prevkey, &prevlen))
			goto syntax;
		if (*p == ',')
			p++;
		else if (*p != '}')
			goto syntax;
	}
	if (p[1] != '\0')
		goto syntax;
	PG_RETURN_POINTER(CohortRebuild(m, 0, 0, false));

syntax:
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
			 errmsg("invalid input syntax for type %s: \"%s\"", "cohort_matrix", str),
			 errhint("The form is: period=\"P7D\" time_zone=\"UTC\" member_type=text {\"member\":first_period:activity,...}, members in increasing order, activity as 0s and 1s starting and ending with 1.")));
	PG_RETURN_NULL();			/* keep compiler quiet */
}

Datum
cohort_matrix_in(PG_FUNCTION_ARGS)
{
	return pm_soft_input(fcinfo, CohortMatrixParse);
}

/*
 * Binary form: version, member type, period (months, days, time), zone,
 * member count, then per member in key order: key length and bytes, absolute
 * first index, number of periods, and the activity bits (a byte per 8).
 */
Datum
cohort_matrix_send(PG_FUNCTION_ARGS)
{
	CohortMatrix *m = PG_GETARG_COHORT_P(0);
	MemberRef  *r = SortedMembers(m);
	StringInfoData buf;

	pq_begintypsend(&buf);
	pq_sendbyte(&buf, COHORT_VERSION);
	pq_sendbyte(&buf, m->key_type);
	pq_sendint32(&buf, m->months);
	pq_sendint32(&buf, m->days);
	pq_sendint64(&buf, m->time);
	pq_sendint32(&buf, strlen(m->zone));
	pq_sendbytes(&buf, m->zone, strlen(m->zone));
	pq_sendint32(&buf, m->nmembers);
	for (int32 i = 0; i < m->nmembers; i++)
	{
		const CohortSlot *s = r[i].slot;
		int32		n = s->last - s->first + 1;

		pq_sendint32(&buf, r[i].len);
		pq_sendbytes(&buf, r[i].key, r[i].len);
		pq_sendint64(&buf, m->base + s->first);
		pq_sendint32(&buf, n);
		for (int32 b = 0; b < n; b += 8)
		{
			int			byte = 0;

			for (int k = 0; k < 8 && b + k < n; k++)
				if (SlotBit(m, s, s->first + b + k))
					byte |= 1 << k;
			pq_sendbyte(&buf, byte);
		}
	}
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

#define RECV_INVALID(detail) \
	ereport(ERROR, \
			(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION), \
			 errmsg("invalid binary data for type cohort_matrix"), \
			 errdetail detail))

Datum
cohort_matrix_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	CohortMatrix *m;
	Interval	period;
	int			version,
				zlen;
	int32		nmembers;
	char	   *prevkey = NULL;
	int			prevlen = 0;

	if (buf->len - buf->cursor < 2 + 4 + 4 + 8 + 4)
		RECV_INVALID(("The value is too short."));
	version = pq_getmsgbyte(buf);
	if (version != COHORT_VERSION)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("unsupported binary format version %d for type cohort_matrix", version)));
	m = CohortAlloc(16, 1024);
	m->key_type = pq_getmsgbyte(buf);
	if (m->key_type < KEY_TEXT || m->key_type > KEY_UUID)
		RECV_INVALID(("Unknown member type %d.", m->key_type));
	period.month = pq_getmsgint(buf, 4);
	period.day = pq_getmsgint(buf, 4);
	period.time = pq_getmsgint64(buf);
	CheckPeriod(&period, ERRCODE_INVALID_BINARY_REPRESENTATION);
	m->months = period.month;
	m->days = period.day;
	m->time = period.time;
	zlen = pq_getmsgint(buf, 4);
	if (zlen < 1 || zlen >= COHORT_ZONE_LEN || zlen > buf->len - buf->cursor)
		RECV_INVALID(("Invalid time zone length %d.", zlen));
	pq_copymsgbytes(buf, m->zone, zlen);
	m->zone[zlen] = '\0';
	(void) ZoneLookupCode(m->zone, ERRCODE_INVALID_BINARY_REPRESENTATION);
	if (buf->len - buf->cursor < 4)
		RECV_INVALID(("The value is too short."));
	nmembers = pq_getmsgint(buf, 4);
	if (nmembers < 0)
		RECV_INVALID(("Negative member count."));
	for (int32 i = 0; i < nmembers; i++)
	{
		int32		len,
					n,
					slot;
		int64		first;
		const char *key;

		if (buf->len - buf->cursor < 4)
			RECV_INVALID(("The value is too short."));
		len = pq_getmsgint(buf, 4);
		if (len < 0 || len > buf->len - buf->cursor ||
			(m->key_type == KEY_INT8 && len != 8) || (m->key_type == KEY_UUID && len != UUID_LEN))
			RECV_INVALID(("Invalid key length %d.", len));
		key = pq_getmsgbytes(buf, len);
		if (prevkey != NULL && KeyCompare(prevkey, prevlen, key, len) >= 0)
			RECV_INVALID(("Members must be distinct and in increasing order."));
		if (m->key_type == KEY_TEXT)
			pg_verifymbstr(key, len, false);
		prevkey = (char *) key;
		prevlen = len;
		if (buf->len - buf->cursor < 12)
			RECV_INVALID(("The value is too short."));
		first = pq_getmsgint64(buf);
		if (first > COHORT_MAX_INDEX || first < -COHORT_MAX_INDEX)
			RECV_INVALID(("Period index " INT64_FORMAT " is out of range.", first));
		n = pq_getmsgint(buf, 4);
		if (n < 1 || n > COHORT_MAX_PERIODS || (n + 7) / 8 > buf->len - buf->cursor)
			RECV_INVALID(("Invalid activity length %d.", n));
		if (i == 0)
			m->base = first;
		slot = CohortFindOrInsert(&m, key, len, hash_bytes((const unsigned char *) key, len), true);
		for (int32 b = 0; b < n; b += 8)
		{
			int			byte = pq_getmsgbyte(buf);

			for (int k = 0; k < 8; k++)
			{
				int32		rel;

				if (!((byte >> k) & 1))
					continue;
				if (b + k >= n)
					RECV_INVALID(("Activity bits beyond the stated length."));
				rel = RelIndex(m, first + b + k);
				CohortNoteRange(m, rel);
				slot = CohortSetBit(&m, slot, rel);
			}
		}
		{
			const CohortSlot *s = &COHORT_SLOTS(m)[slot];

			if (s->first != RelIndex(m, first) || s->last != RelIndex(m, first + n - 1))
				RECV_INVALID(("A member's activity must start and end with an active period."));
		}
	}
	if (buf->cursor != buf->len)
		RECV_INVALID(("Trailing bytes."));
	PG_RETURN_POINTER(CohortRebuild(m, 0, 0, false));
}

/* Equal: same parameters and the same members with the same activity. */
Datum
cohort_matrix_eq(PG_FUNCTION_ARGS)
{
	CohortMatrix *a = PG_GETARG_COHORT_P(0);
	CohortMatrix *b = PG_GETARG_COHORT_P(1);
	CohortSlot *as = COHORT_SLOTS(a);

	if (a->months != b->months || a->days != b->days || a->time != b->time ||
		a->key_type != b->key_type || strcmp(a->zone, b->zone) != 0 || a->nmembers != b->nmembers)
		PG_RETURN_BOOL(false);
	for (int32 i = 0; i < a->nslots; i++)
	{
		int32		j;
		const CohortSlot *bs;

		if (as[i].key_len < 0)
			continue;
		j = CohortFindOrInsert(&b, COHORT_HEAP(a) + as[i].key_off, as[i].key_len, as[i].hash, false);
		if (j < 0)
			PG_RETURN_BOOL(false);
		bs = &COHORT_SLOTS(b)[j];
		if (a->base + as[i].first != b->base + bs->first || a->base + as[i].last != b->base + bs->last)
			PG_RETURN_BOOL(false);
		for (int32 r = as[i].first; r <= as[i].last; r++)
			if (SlotBit(a, &as[i], r) != SlotBit(b, bs, r - as[i].first + bs->first))
				PG_RETURN_BOOL(false);
	}
	PG_RETURN_BOOL(true);
}

/* ------------------------------------------------------------------------
 * Readers
 * ------------------------------------------------------------------------
 */

/* Last active relative period at or before limit, or PG_INT32_MIN. */
static int32
LastActiveUpTo(const CohortMatrix *m, const CohortSlot *s, int32 limit)
{
	for (int32 r = Min(s->last, limit); r >= s->first; r--)
		if (SlotBit(m, s, r))
			return r;
	return PG_INT32_MIN;
}

static int
SlotFirstCmp(const void *a, const void *b)
{
	const CohortSlot *x = *(CohortSlot *const *) a;
	const CohortSlot *y = *(CohortSlot *const *) b;

	return (x->first > y->first) - (x->first < y->first);
}

/*
 * Common start of the readers: a finite as_of, the materialized result set,
 * and (unless the matrix is empty, when it returns false) the matrix's zone
 * and the index of the period holding as_of.
 */
static bool
ReaderSetup(FunctionCallInfo fcinfo, CohortMatrix *m, TimestampTz as_of,
			pg_tz **tz, int64 *as_of_index)
{
	if (TIMESTAMP_NOT_FINITE(as_of))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("as_of must be a finite timestamp")));
	InitMaterializedSRF(fcinfo, 0);
	if (m->nmembers == 0)
		return false;
	*tz = ZoneLookup(m->zone);
	*as_of_index = PeriodIndex(m, GetOffsetCache(fcinfo, m->zone), as_of);
	return true;
}

/*
 * cohort_rows(m, as_of): per cohort and offset, the retention and lifecycle
 * counts; cells after the period holding as_of are NULL (not observed), and
 * activity after it is ignored.
 */
Datum
cohort_matrix_rows(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	CohortMatrix *m = PG_GETARG_COHORT_P(0);
	TimestampTz as_of = PG_GETARG_TIMESTAMPTZ(1);
	pg_tz	   *tz;
	int64		as_of_index;
	int32		as_of_rel,
				end_rel;
	CohortSlot **order;
	int32		n = 0;
	int64	   *cnt;

	if (!ReaderSetup(fcinfo, m, as_of, &tz, &as_of_index))
		return (Datum) 0;
	/* far from the data, only the offsets near it matter: clamp */
	as_of_rel = (int32) Max(Min(as_of_index - m->base, (int64) m->max_rel + COHORT_MAX_PERIODS),
							(int64) m->min_rel - 1);
	end_rel = Max(m->max_rel, as_of_rel);

	order = palloc(sizeof(CohortSlot *) * m->nmembers);
	for (int32 i = 0; i < m->nslots; i++)
		if (COHORT_SLOTS(m)[i].key_len >= 0 && COHORT_SLOTS(m)[i].first <= as_of_rel)
			order[n++] = &COHORT_SLOTS(m)[i];
	qsort(order, n, sizeof(CohortSlot *), SlotFirstCmp);

	/* per offset: active, active_or_after, continuing, resurrecting, dormant, churned */
	cnt = palloc(sizeof(int64) * 6 * ((Size) end_rel - m->min_rel + 2));
	for (int32 a = 0; a < n;)
	{
		int32		c = order[a]->first;
		int32		b = a;
		int32		K = end_rel - c;
		TimestampTz cohort_start = PeriodStart(m, tz, m->base + c);

		CHECK_FOR_INTERRUPTS();
		memset(cnt, 0, sizeof(int64) * 6 * (K + 1));
		for (; b < n && order[b]->first == c; b++)
		{
			const CohortSlot *s = order[b];
			int32		last_obs = LastActiveUpTo(m, s, as_of_rel);
			bool		prev = true;

			for (int32 k = 0; c + k <= as_of_rel && k <= K; k++)
			{
				bool		now = SlotBit(m, s, c + k);

				cnt[k * 6 + 0] += now;
				cnt[k * 6 + 1] += last_obs >= c + k;
				if (k >= 1)
				{
					cnt[k * 6 + 2] += now && prev;
					cnt[k * 6 + 3] += now && !prev;
					cnt[k * 6 + 4] += !now && prev;
					cnt[k * 6 + 5] += last_obs == c + k - 1;
				}
				prev = now;
			}
		}
		for (int32 k = 0; k <= K; k++)
		{
			Datum		values[11];
			bool		nulls[11] = {false};
			bool		observed = c + k <= as_of_rel;

			values[0] = TimestampTzGetDatum(cohort_start);
			values[1] = Int32GetDatum(k);
			values[2] = TimestampTzGetDatum(k == 0 ? cohort_start : PeriodStart(m, tz, m->base + c + k));
			values[3] = Int64GetDatum(b - a);
			values[4] = Int64GetDatum(cnt[k * 6 + 0]);
			values[5] = Float8GetDatum((double) cnt[k * 6 + 0] / (double) (b - a));
			for (int j = 1; j < 6; j++)
				values[5 + j] = Int64GetDatum(cnt[k * 6 + j]);
			if (!observed)
				for (int j = 4; j < 11; j++)
					nulls[j] = true;
			tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
		}
		a = b;
	}
	return (Datum) 0;
}

/* Order of cohort_churned(): by last activity, then member. */
typedef struct ChurnedRef
{
	int32		last;
	MemberRef	ref;
} ChurnedRef;

static int
ChurnedRefCmp(const void *a, const void *b)
{
	const ChurnedRef *x = a,
			   *y = b;

	if (x->last != y->last)
		return (x->last > y->last) - (x->last < y->last);
	return MemberRefCmp(&x->ref, &y->ref);
}

/*
 * cohort_churned(m, idle_periods, as_of): members idle for at least
 * idle_periods whole periods before the period holding as_of.
 */
Datum
cohort_matrix_churned(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	CohortMatrix *m = PG_GETARG_COHORT_P(0);
	int32		idle = PG_GETARG_INT32(1);
	TimestampTz as_of = PG_GETARG_TIMESTAMPTZ(2);
	pg_tz	   *tz;
	int64		as_of_index;
	ChurnedRef *out;
	int32		n = 0;

	if (idle < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("idle_periods must not be negative")));
	if (!ReaderSetup(fcinfo, m, as_of, &tz, &as_of_index))
		return (Datum) 0;
	out = palloc(sizeof(ChurnedRef) * m->nmembers);
	for (int32 i = 0; i < m->nslots; i++)
	{
		const CohortSlot *s = &COHORT_SLOTS(m)[i];
		int32		last;

		if (s->key_len < 0 || m->base + s->first > as_of_index)
			continue;
		last = LastActiveUpTo(m, s, (int32) Min(as_of_index - m->base, (int64) s->last));
		if (as_of_index - (m->base + last) - 1 >= idle)
		{
			out[n].last = last;
			out[n].ref.key = COHORT_HEAP(m) + s->key_off;
			out[n].ref.len = s->key_len;
			out[n].ref.slot = s;
			n++;
		}
	}
	qsort(out, n, sizeof(ChurnedRef), ChurnedRefCmp);
	for (int32 i = 0; i < n; i++)
	{
		Datum		values[3];
		bool		nulls[3] = {false, false, false};

		values[0] = PointerGetDatum(cstring_to_text(KeyText(m->key_type, out[i].ref.key, out[i].ref.len)));
		values[1] = TimestampTzGetDatum(PeriodStart(m, tz, m->base + out[i].ref.slot->first));
		values[2] = TimestampTzGetDatum(PeriodStart(m, tz, m->base + out[i].last));
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
	}
	return (Datum) 0;
}

/*
 * cohort_matrix::jsonb, for BI tools: the parameters and the retention
 * triangle over the observed data (offsets up to the last active period):
 * {"period": ..., "time_zone": ..., "member_type": ..., "members": n,
 *  "cohorts": [{"cohort_start": ..., "size": n, "active": [n0, n1, ...]}, ...]}
 */
Datum
cohort_matrix_jsonb(PG_FUNCTION_ARGS)
{
	CohortMatrix *m = PG_GETARG_COHORT_P(0);
	pg_tz	   *tz = ZoneLookup(m->zone);
	StringInfoData buf;
	CohortSlot **order;
	int32		n = 0;
	int64	   *active;

	initStringInfo(&buf);
	appendStringInfoString(&buf, "{\"period\": ");
	escape_json(&buf, PeriodText(m));
	appendStringInfoString(&buf, ", \"time_zone\": ");
	escape_json(&buf, m->zone);
	appendStringInfo(&buf, ", \"member_type\": \"%s\", \"members\": %d, \"cohorts\": [",
					 KeyTypeName(m->key_type), m->nmembers);
	if (m->nmembers == 0)
	{
		appendStringInfoString(&buf, "]}");
		PG_RETURN_DATUM(DirectFunctionCall1(jsonb_in, CStringGetDatum(buf.data)));
	}
	order = palloc(sizeof(CohortSlot *) * Max(m->nmembers, 1));
	for (int32 i = 0; i < m->nslots; i++)
		if (COHORT_SLOTS(m)[i].key_len >= 0)
			order[n++] = &COHORT_SLOTS(m)[i];
	qsort(order, n, sizeof(CohortSlot *), SlotFirstCmp);
	active = palloc(sizeof(int64) * ((Size) m->max_rel - m->min_rel + 2));
	for (int32 a = 0, b; a < n; a = b)
	{
		int32		c = order[a]->first;
		int32		K = m->max_rel - c;

		memset(active, 0, sizeof(int64) * (K + 1));
		for (b = a; b < n && order[b]->first == c; b++)
			for (int32 k = 0; k <= K; k++)
				active[k] += SlotBit(m, order[b], c + k);
		appendStringInfoString(&buf, a > 0 ? ", {\"cohort_start\": " : "{\"cohort_start\": ");
		{
			char		iso[MAXDATELEN + 1];
			int			utc = 0;

			/* ISO 8601 in UTC, whatever DateStyle and TimeZone say: the cast is immutable */
			JsonEncodeDateTime(iso, TimestampTzGetDatum(PeriodStart(m, tz, m->base + c)), TIMESTAMPTZOID, &utc);
			escape_json(&buf, iso);
		}
		appendStringInfo(&buf, ", \"size\": %d, \"active\": [", b - a);
		for (int32 k = 0; k <= K; k++)
			appendStringInfo(&buf, k > 0 ? ", " INT64_FORMAT : INT64_FORMAT, active[k]);
		appendStringInfoString(&buf, "]}");
	}
	appendStringInfoString(&buf, "]}");
	PG_RETURN_DATUM(DirectFunctionCall1(jsonb_in, CStringGetDatum(buf.data)));
}
