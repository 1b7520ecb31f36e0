/*
 * platform_metrics_analytics.c
 *		Module entry point of the analytics layer: the magic block and the
 *		anonymity settings, which only the layer's views read.
 */
#include "postgres.h"

#include "fmgr.h"
#include "miscadmin.h"
#include "utils/guc.h"

#include "refresh.h"

PG_MODULE_MAGIC;

static int	min_group_size_setting = 5;
static int	min_comment_group_size_setting = 10;

PG_FUNCTION_INFO_V1(min_group_size);
PG_FUNCTION_INFO_V1(min_comment_group_size);

void		_PG_init(void);

/*
 * Register the anonymity thresholds.  They are PGC_SUSET: a reader who could
 * lower them could see small groups.  PostgreSQL 15 and later also refuse a
 * value a non-superuser set before this module was loaded.
 *
 * The statistics library is loaded first, so that its own settings are
 * defined before the "platform_metrics" prefix is reserved (reserving it
 * discards every placeholder of the prefix that no module has defined).
 */
void
_PG_init(void)
{
	load_file("$libdir/platform_metrics", false);

	DefineCustomIntVariable("platform_metrics.min_group_size",
							"Smallest number of survey respondents a figure is shown for.",
							"Smaller groups show NULL numbers and suppressed = true in the survey views.",
							&min_group_size_setting,
							5, 1, 1000000,
							PGC_SUSET, 0,
							NULL, NULL, NULL);
	DefineCustomIntVariable("platform_metrics.min_comment_group_size",
							"Smallest number of survey respondents comments are shown for.",
							NULL,
							&min_comment_group_size_setting,
							10, 1, 1000000,
							PGC_SUSET, 0,
							NULL, NULL, NULL);
	pm_refresh_define_settings();
	MarkGUCPrefixReserved("platform_metrics");

	/* preloaded: the worker that refreshes the summaries (refresh.c) */
	if (process_shared_preload_libraries_in_progress)
		pm_refresh_register_worker();
}

/*
 * The thresholds as SQL functions: calling one loads this module, so the
 * views never read a placeholder value.
 */
Datum
min_group_size(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT32(min_group_size_setting);
}

Datum
min_comment_group_size(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT32(min_comment_group_size_setting);
}
