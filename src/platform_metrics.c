/*
 * platform_metrics.c
 *		Module entry point: the magic block, the extension's settings and the
 *		argument checks every file shares.
 */
#include "postgres.h"

#include <math.h>

#include "fmgr.h"
#include "utils/guc.h"

#include "platform_metrics.h"

PG_MODULE_MAGIC;

double		pm_good_experience_nps = 30.0;
int			pm_min_group_size = 5;
int			pm_min_comment_group_size = 10;

PG_FUNCTION_INFO_V1(pm_min_group_size_fn);
PG_FUNCTION_INFO_V1(pm_min_comment_group_size_fn);

void		_PG_init(void);

/*
 * Register the settings.  The good-experience threshold is per session and role
 * (PGC_USERSET): an analyst may hold a capability to a higher bar than the
 * default without affecting anyone else.
 */
void
_PG_init(void)
{
	DefineCustomRealVariable("platform_metrics.good_experience_nps",
							 "NPS at or above which a capability's developer experience counts as good.",
							 "Used by mandate_quadrant() when no threshold is given. "
							 "The default of 30 reads an NPS of 12 as poor and 54 as good.",
							 &pm_good_experience_nps,
							 30.0, -100.0, 100.0,
							 PGC_USERSET, 0,
							 NULL, NULL, NULL);
	/*
	 * The anonymity thresholds are PGC_SUSET: a reader who could lower them
	 * could see small groups.  PostgreSQL 15 also refuses a value a
	 * non-superuser set before the library was loaded.
	 */
	DefineCustomIntVariable("platform_metrics.min_group_size",
							"Smallest number of survey respondents a figure is shown for.",
							"Smaller groups show NULL numbers and suppressed = true in the survey views.",
							&pm_min_group_size,
							5, 1, 1000000,
							PGC_SUSET, 0,
							NULL, NULL, NULL);
	DefineCustomIntVariable("platform_metrics.min_comment_group_size",
							"Smallest number of survey respondents comments are shown for.",
							NULL,
							&pm_min_comment_group_size,
							10, 1, 1000000,
							PGC_SUSET, 0,
							NULL, NULL, NULL);
	MarkGUCPrefixReserved("platform_metrics");
}

/*
 * The thresholds as SQL functions: calling one loads the library, so the
 * views never read a placeholder value.
 */
Datum
pm_min_group_size_fn(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT32(pm_min_group_size);
}

Datum
pm_min_comment_group_size_fn(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT32(pm_min_comment_group_size);
}

/*
 * A confidence level must lie strictly between 0 and 1: 0 and 1 would ask for
 * an empty or an infinite interval.
 */
void
pm_check_confidence(double confidence)
{
	if (isnan(confidence) || confidence <= 0.0 || confidence >= 1.0)
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("confidence level %g is out of range", confidence),
				 errhint("Give a confidence level strictly between 0 and 1, such as 0.95.")));
}
