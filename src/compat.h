/*
 * compat.h
 *		Differences between the PostgreSQL versions the extensions build
 *		against (15 to 18), in one place.  Each guard is keyed to the release
 *		that changed the API; feature files call the pm_ names only.
 */
#ifndef PM_COMPAT_H
#define PM_COMPAT_H

#include "postgres.h"

#include "utils/datetime.h"
#include "utils/float.h"

/*
 * PostgreSQL 16 gave float8in_internal() a soft-error context (escontext);
 * NULL keeps the old behaviour of throwing.
 */
#if PG_VERSION_NUM >= 160000
#define pm_float8in_internal(num, endptr, type_name, orig) \
	float8in_internal((num), (endptr), (type_name), (orig), NULL)
#else
#define pm_float8in_internal(num, endptr, type_name, orig) \
	float8in_internal((num), (endptr), (type_name), (orig))
#endif

/*
 * PostgreSQL 16 made DecodeDateTime() report a bad time zone through a
 * DateTimeErrorExtra instead of throwing; callers here only need the
 * result code.
 */
static inline int
pm_decode_datetime(char **field, int *ftype, int nf, int *dtype,
				   struct pg_tm *tm, fsec_t *fsec, int *tzp)
{
#if PG_VERSION_NUM >= 160000
	DateTimeErrorExtra extra;

	return DecodeDateTime(field, ftype, nf, dtype, tm, fsec, tzp, &extra);
#else
	return DecodeDateTime(field, ftype, nf, dtype, tm, fsec, tzp);
#endif
}

#endif							/* PM_COMPAT_H */
