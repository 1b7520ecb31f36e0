/*
 * compat.h
 *		Differences between the PostgreSQL versions the extensions build
 *		against (15 to 18), in one place.  Each guard is keyed to the release
 *		that changed the API; feature files call the pm_ names only.
 */
#ifndef PM_COMPAT_H
#define PM_COMPAT_H

#include "postgres.h"

#include "fmgr.h"
#include "utils/datetime.h"
#include "utils/float.h"
#if PG_VERSION_NUM >= 160000
#include "nodes/miscnodes.h"
#endif

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

/*
 * Soft input errors (PostgreSQL 16): when the caller of a type's input
 * function asks for them (pg_input_is_valid(), pg_input_error_info(), COPY
 * ... ON_ERROR), a bad value is reported through the ErrorSaveContext in
 * fcinfo->context instead of thrown.  pm_soft_input(fcinfo, parse) runs the
 * parser and turns the data exceptions it raises (class 22: syntax, range,
 * invalid value) into soft errors; anything else, such as running out of
 * memory, is thrown as before.  The parsers only compute and palloc, so
 * catching their errors without a subtransaction leaves nothing behind.
 * Before 16 there is no such caller, and the parser runs as it is.
 */
static inline Datum
pm_soft_input(FunctionCallInfo fcinfo, PGFunction parse)
{
#if PG_VERSION_NUM >= 160000
	if (fcinfo->context != NULL && IsA(fcinfo->context, ErrorSaveContext))
	{
		ErrorSaveContext *escontext = (ErrorSaveContext *) fcinfo->context;
		MemoryContext cxt = CurrentMemoryContext;
		volatile Datum result = (Datum) 0;
		volatile bool soft = false;

		PG_TRY();
		{
			result = parse(fcinfo);
		}
		PG_CATCH();
		{
			ErrorData  *edata;

			MemoryContextSwitchTo(cxt);
			edata = CopyErrorData();
			if (ERRCODE_TO_CATEGORY(edata->sqlerrcode) != ERRCODE_DATA_EXCEPTION)
			{
				FreeErrorData(edata);
				PG_RE_THROW();
			}
			FlushErrorState();
			escontext->error_occurred = true;
			if (escontext->details_wanted)
				escontext->error_data = edata;
			else
				FreeErrorData(edata);
			soft = true;
		}
		PG_END_TRY();
		if (soft)
		{
			fcinfo->isnull = true;
			return (Datum) 0;
		}
		return result;
	}
#endif
	return parse(fcinfo);
}

#endif							/* PM_COMPAT_H */
