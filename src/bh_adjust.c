/*
 * bh_adjust.c
 *		bh_adjust(p) OVER (...): Benjamini-Hochberg adjusted p-values (q-values)
 *		of the p-values of a window partition, for reading many tests at once
 *		(every capability, every team) with the false discovery rate under
 *		control.
 */
#include "postgres.h"

#include <math.h>

#include "fmgr.h"
#include "utils/memutils.h"
#include "windowapi.h"

PG_FUNCTION_INFO_V1(bh_adjust);

/* The q-values of a partition, computed at its first row. */
typedef struct BhPartition
{
	bool		computed;
	int64		rows;
	double	   *q;				/* rows entries, NaN where p is NULL */
} BhPartition;

typedef struct BhEntry
{
	double		p;
	int64		row;
} BhEntry;

static int
BhEntryCompare(const void *a, const void *b)
{
	const BhEntry *x = (const BhEntry *) a;
	const BhEntry *y = (const BhEntry *) b;

	if (x->p != y->p)
		return x->p < y->p ? -1 : 1;
	return x->row < y->row ? -1 : (x->row > y->row);
}

/*
 * Benjamini and Hochberg (1995): with the m non-NULL p-values sorted,
 * p(1) <= ... <= p(m), q(i) = min over j >= i of m p(j) / j, capped at 1
 * (R's p.adjust(p, "BH")).  The whole partition is read once, at its first
 * row; the window's frame and ORDER BY do not matter.
 */
static void
BhCompute(WindowObject winobj, BhPartition *part)
{
	int64		rows = WinGetPartitionRowCount(winobj);
	BhEntry    *entries = (BhEntry *) palloc_extended(Max(rows, 1) * sizeof(BhEntry), MCXT_ALLOC_HUGE);
	int64		m = 0;
	double		running = 1.0;

	part->rows = rows;
	part->q = (double *) MemoryContextAllocHuge(GetMemoryChunkContext(part),
												Max(rows, 1) * sizeof(double));
	for (int64 i = 0; i < rows; i++)
	{
		bool		isnull,
					isout;
		Datum		d = WinGetFuncArgInPartition(winobj, 0, i, WINDOW_SEEK_HEAD, false,
												 &isnull, &isout);

		part->q[i] = NAN;
		if (isnull)
			continue;
		entries[m].p = DatumGetFloat8(d);
		if (isnan(entries[m].p) || entries[m].p < 0.0 || entries[m].p > 1.0)
			ereport(ERROR,
					(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
					 errmsg("p-value %g is out of range", entries[m].p),
					 errhint("A p-value is a probability between 0 and 1.")));
		entries[m].row = i;
		m++;
	}
	qsort(entries, m, sizeof(BhEntry), BhEntryCompare);
	for (int64 i = m - 1; i >= 0; i--)
	{
		/* p times a ratio >= 1, so that rounding never takes q below p */
		double		q = entries[i].p * ((double) m / (double) (i + 1));

		if (q < running)
			running = q;
		part->q[entries[i].row] = running;
	}
	pfree(entries);
	part->computed = true;
}

Datum
bh_adjust(PG_FUNCTION_ARGS)
{
	WindowObject winobj = PG_WINDOW_OBJECT();
	BhPartition *part = (BhPartition *) WinGetPartitionLocalMemory(winobj, sizeof(BhPartition));
	int64		row;

	if (!part->computed)
		BhCompute(winobj, part);
	row = WinGetCurrentPosition(winobj);
	if (isnan(part->q[row]))
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8(part->q[row]);
}
