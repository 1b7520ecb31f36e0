/*
 * cohort_matrix.h
 *		The stored format of cohort_matrix (cohort_matrix.c).
 *
 * An open-addressing hash table of members (slots), each with the bitset of
 * the periods it was active in, and a heap holding keys and bitsets.  A plain
 * varlena whose version byte says which layout the bytes follow; reserved
 * fields are zero.  Every input path validates it.
 */
#ifndef PM_COHORT_MATRIX_H
#define PM_COHORT_MATRIX_H

#include "postgres.h"
#include "fmgr.h"

#define COHORT_VERSION 1
#define COHORT_MAX_PERIODS 10000
#define COHORT_ZONE_LEN 64		/* time zone names are shorter (TZ_STRLEN_MAX is 255, real ones < 40) */

/* member key types */
#define KEY_TEXT 1
#define KEY_INT8 2
#define KEY_UUID 3

typedef struct CohortSlot
{
	uint32		hash;			/* of the key; slot empty when key_len < 0 */
	int32		key_off;		/* key bytes, in the heap */
	int32		key_len;		/* -1: empty slot */
	int32		bits_off;		/* uint32 words of the bitset, in the heap */
	int32		lo;				/* period (relative to base) of bit 0 */
	int32		nbits;			/* bitset capacity, a multiple of 32 */
	int32		first;			/* first and last active period, relative */
	int32		last;
} CohortSlot;

typedef struct CohortMatrix
{
	int32		vl_len_;
	uint8		version;		/* COHORT_VERSION */
	uint8		key_type;		/* KEY_TEXT, KEY_INT8, KEY_UUID */
	uint16		flags;			/* reserved, 0 */
	int32		months;			/* the period, as an interval */
	int32		days;
	int64		time;
	int64		base;			/* absolute period index of relative 0 */
	int32		min_rel;		/* activity range, relative; min > max when empty */
	int32		max_rel;
	int32		nmembers;
	int32		nslots;			/* power of two */
	int32		heap_used;
	int32		heap_cap;
	char		zone[COHORT_ZONE_LEN];	/* time zone of the period boundaries */
	/* CohortSlot slots[nslots], then char heap[heap_cap] */
} CohortMatrix;

#define COHORT_SLOTS(m) ((CohortSlot *) ((char *) (m) + MAXALIGN(sizeof(CohortMatrix))))
#define COHORT_HEAP(m) ((char *) COHORT_SLOTS(m) + (Size) (m)->nslots * sizeof(CohortSlot))
#define PG_GETARG_COHORT_P(n) ((CohortMatrix *) PG_DETOAST_DATUM(PG_GETARG_DATUM(n)))

#endif							/* PM_COHORT_MATRIX_H */
