/*
 * intervals.c
 *		The distributions and the share interval the survey views are built
 *		from, for analysts who compute their own statistics: normal_quantile,
 *		t_quantile, share_ci (Wilson's interval of a share over a possibly
 *		effective, non-integer number of answers) and share_test (the pooled
 *		two-proportion z-test from counts).
 */
#include "postgres.h"

#include <math.h>

#include "access/htup_details.h"
#include "fmgr.h"
#include "funcapi.h"

#include "platform_metrics.h"
#include "stats.h"

PG_FUNCTION_INFO_V1(pm_normal_quantile_sql);
PG_FUNCTION_INFO_V1(pm_t_quantile_sql);
PG_FUNCTION_INFO_V1(share_ci);
PG_FUNCTION_INFO_V1(share_test);

static void
CheckProbability(double p)
{
	if (isnan(p) || p <= 0.0 || p >= 1.0)
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("probability must be between 0 and 1 exclusive, not %g", p)));
}

/* normal_quantile(p): the p-quantile of the standard normal distribution. */
Datum
pm_normal_quantile_sql(PG_FUNCTION_ARGS)
{
	double		p = PG_GETARG_FLOAT8(0);

	CheckProbability(p);
	PG_RETURN_FLOAT8(pm_normal_quantile(p));
}

/*
 * t_quantile(p, df): the p-quantile of Student's t with df degrees of freedom
 * (any positive real; infinity is the normal distribution).
 */
Datum
pm_t_quantile_sql(PG_FUNCTION_ARGS)
{
	double		p = PG_GETARG_FLOAT8(0);
	double		df = PG_GETARG_FLOAT8(1);

	CheckProbability(p);
	if (isnan(df) || df <= 0.0)
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("degrees of freedom must be greater than zero, not %g", df)));
	if (isinf(df))
		PG_RETURN_FLOAT8(pm_normal_quantile(p));
	PG_RETURN_FLOAT8(pm_t_quantile(p, df));
}

static void
CheckCounts(double k, double n)
{
	if (isnan(n) || isinf(n) || n < 0.0)
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("number of answers must be finite and not negative, not %g", n)));
	if (isnan(k) || k < 0.0 || k > n)
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("favorable answers must be between 0 and the number of answers (%g), not %g", n, k)));
}

/*
 * share_test(favorable_a, n_a, favorable_b, n_b): the two-sided p-value of
 * the pooled two-proportion z-test that the shares are equal, as
 * favorable_test computes it from two summaries; NULL when either n is 0.
 */
Datum
share_test(PG_FUNCTION_ARGS)
{
	double		ka = PG_GETARG_FLOAT8(0);
	double		na = PG_GETARG_FLOAT8(1);
	double		kb = PG_GETARG_FLOAT8(2);
	double		nb = PG_GETARG_FLOAT8(3);

	CheckCounts(ka, na);
	CheckCounts(kb, nb);
	if (na == 0.0 || nb == 0.0)
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8(pm_two_proportion_test(ka, na, kb, nb));
}

/*
 * share_ci(favorable, n, confidence, population): the Wilson score interval
 * of the share favorable / n, as favorable_ci computes it, for counts that
 * need not be whole: a weighted share p over Kish's effective sample size
 * n_eff is share_ci(p * n_eff, n_eff).  The finite-population correction
 * sqrt((N - n) / (N - 1)) multiplies z; a census gives the share itself.
 */
Datum
share_ci(PG_FUNCTION_ARGS)
{
	double		k,
				n,
				confidence,
				z,
				low,
				high;
	TupleDesc	tupdesc;
	Datum		values[2];
	bool		nulls[2] = {false, false};

	if (PG_ARGISNULL(0) || PG_ARGISNULL(1) || PG_ARGISNULL(2))
		PG_RETURN_NULL();
	k = PG_GETARG_FLOAT8(0);
	n = PG_GETARG_FLOAT8(1);
	confidence = PG_GETARG_FLOAT8(2);
	pm_check_confidence(confidence);
	CheckCounts(k, n);
	if (n == 0.0)
		PG_RETURN_NULL();
	z = pm_z_for_confidence(confidence);
	if (!PG_ARGISNULL(3))
	{
		double		population = PG_GETARG_FLOAT8(3);

		if (isnan(population) || population < n)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("population %g is smaller than the number of answers %g", population, n),
					 errhint("The population is the number of developers asked; pass NULL if it is unknown.")));
		if (isinf(population))
			;					/* no correction */
		else if (population <= 1.0 || population == n)
			z = 0.0;
		else
			z *= sqrt((population - n) / (population - 1.0));
	}
	if (z == 0.0)
		low = high = k / n;
	else
		pm_wilson_interval(k, n, z, &low, &high);

	if (get_call_result_type(fcinfo, NULL, &tupdesc) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "return type must be a row type");
	tupdesc = BlessTupleDesc(tupdesc);
	values[0] = Float8GetDatum(low);
	values[1] = Float8GetDatum(high);
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(tupdesc, values, nulls)));
}
