/*
 * compat_1_1.c
 *		C symbols that the 1.0 and 1.1 install scripts name for functions of
 *		the analytics layer, which has since become its own extension and
 *		module (platform_metrics_analytics).
 *
 * A database still at 1.0 or 1.1 keeps calling these through
 * '$libdir/platform_metrics' until ALTER EXTENSION platform_metrics UPDATE;
 * CREATE EXTENSION platform_metrics_analytics repoints its functions at the
 * new module.  Each forwards the call, arguments and all, to the function
 * that now implements it there, so the settings are defined once, in that
 * module, and a threshold set in postgresql.conf keeps applying.
 */
#include "postgres.h"

#include "fmgr.h"

#define ANALYTICS_MODULE "$libdir/platform_metrics_analytics"

/* FORWARD(old, new): old is the 1.x symbol, new the analytics module's. */
#define FORWARD(old_name, new_name) \
PG_FUNCTION_INFO_V1(old_name); \
Datum \
old_name(PG_FUNCTION_ARGS) \
{ \
	static PGFunction target = NULL; \
	if (target == NULL) \
		target = load_external_function(ANALYTICS_MODULE, #new_name, true, NULL); \
	return target(fcinfo); \
}

FORWARD(pm_min_group_size_fn, min_group_size)
FORWARD(pm_min_comment_group_size_fn, min_comment_group_size)
FORWARD(pm_ingest_validate, ingest_validate)
FORWARD(pm_parse_timestamptz, ingest_parse_timestamptz)
