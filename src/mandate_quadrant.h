/*
 * mandate_quadrant.h
 *		The stored format of mandate_quadrant (mandate_quadrant.c).
 *
 * One byte (a "char" by value): which of the four quadrants of the
 * Mandate-Choice matrix.
 */
#ifndef PM_MANDATE_QUADRANT_H
#define PM_MANDATE_QUADRANT_H

#include "postgres.h"
#include "fmgr.h"

typedef enum MandateQuadrant
{
	MQ_MANDATORY_GOOD = 0,
	MQ_MANDATORY_POOR = 1,
	MQ_OPTIONAL_GOOD = 2,
	MQ_OPTIONAL_POOR = 3
} MandateQuadrant;

#define MQ_COUNT 4
#define MQ_MAKE(mandatory, good) ((MandateQuadrant) (((mandatory) ? 0 : 2) + ((good) ? 0 : 1)))
#define PG_GETARG_QUADRANT(n) ((MandateQuadrant) DatumGetChar(PG_GETARG_DATUM(n)))
#define PG_RETURN_QUADRANT(q) PG_RETURN_CHAR((char) (q))

#endif							/* PM_MANDATE_QUADRANT_H */
