/*
 * stats.c
 *		Pure statistics for platform_metrics (no PostgreSQL dependencies).
 */
#include <math.h>

#include "stats.h"

/*
 * Standard normal quantile: Acklam's rational approximation (relative error
 * below 1.2e-9) polished by one Halley step on erfc, which brings it to full
 * double precision over the whole open interval.
 */
double
pm_normal_quantile(double p)
{
	static const double a[] = {-3.969683028665376e+01, 2.209460984245205e+02,
		-2.759285104469687e+02, 1.383577518672690e+02,
		-3.066479806614716e+01, 2.506628277459239e+00};
	static const double b[] = {-5.447609879822406e+01, 1.615858368580409e+02,
		-1.556989798598866e+02, 6.680131188771972e+01,
	-1.328068155288572e+01};
	static const double c[] = {-7.784894002430293e-03, -3.223964580411365e-01,
		-2.400758277161838e+00, -2.549732539343734e+00,
	4.374664141464968e+00, 2.938163982698783e+00};
	static const double d[] = {7.784695709041462e-03, 3.224671290700398e-01,
	2.445134137142996e+00, 3.754408661907416e+00};
	const double p_low = 0.02425;
	double		q,
				r,
				x,
				e,
				u;

	if (p < p_low)
	{
		q = sqrt(-2.0 * log(p));
		x = (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
			((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1.0);
	}
	else if (p <= 1.0 - p_low)
	{
		q = p - 0.5;
		r = q * q;
		x = (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q /
			(((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1.0);
	}
	else
	{
		q = sqrt(-2.0 * log(1.0 - p));
		x = -(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
			((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1.0);
	}

	/* One Halley step: e is the error of the CDF at x, using the tail form. */
	if (x < 0)
		e = 0.5 * erfc(-x / M_SQRT2) - p;
	else
		e = (1.0 - p) - 0.5 * erfc(x / M_SQRT2);
	u = e * sqrt(2.0 * M_PI) * exp(x * x / 2.0);
	x = x - u / (1.0 + x * u / 2.0);

	return x;
}

/* P(|Z| >= |z|) for a standard normal Z. */
double
pm_normal_two_sided_p(double z)
{
	return erfc(fabs(z) / M_SQRT2);
}

double
pm_z_for_confidence(double confidence)
{
	/* upper (1 - confidence) / 2 tail, computed without cancellation */
	return -pm_normal_quantile((1.0 - confidence) / 2.0);
}

/*
 * Adjusted-Wald interval (Rocks 2016, The American Statistician 70(4)):
 * add 3/4 promoter, 3/2 passive and 3/4 detractor pseudo-observations, then
 * the Wald interval on n + 3 with per-respondent variance
 * (p + d) - (p - d)^2.  A census (population == n) knows the NPS exactly.
 */
void
pm_nps_interval(int64_t promoters, int64_t passives, int64_t detractors,
				double confidence, int64_t population, double *center,
				double *margin, double *low, double *high)
{
	double		n = (double) promoters + (double) passives + (double) detractors;
	double		na = n + 3.0;
	double		pa = ((double) promoters + 0.75) / na;
	double		da = ((double) detractors + 0.75) / na;
	double		var = (pa + da) - (pa - da) * (pa - da);
	double		se = sqrt(var / na);
	double		z = pm_z_for_confidence(confidence);
	double		c = 100.0 * (pa - da);
	double		m;

	if (population > 0)
	{
		double		N = (double) population;

		if (N <= n)
		{
			/* everyone answered: the NPS is known exactly */
			c = 100.0 * ((double) promoters - (double) detractors) / n;
			se = 0.0;
		}
		else
			se *= sqrt((N - n) / (N - 1.0));
	}

	m = 100.0 * z * se;
	*center = c;
	*margin = m;
	*low = fmax(-100.0, c - m);
	*high = fmin(100.0, c + m);
}

/*
 * Two-sample z-test for independent NPS values.  With no variance on either
 * side the statistic is undefined unless the two values differ, in which case
 * the difference is certain.
 */
double
pm_nps_test(int64_t prom_a, int64_t pass_a, int64_t detr_a,
			int64_t prom_b, int64_t pass_b, int64_t detr_b)
{
	double		na = (double) prom_a + (double) pass_a + (double) detr_a;
	double		nb = (double) prom_b + (double) pass_b + (double) detr_b;
	double		pa = (double) prom_a / na,
				da = (double) detr_a / na;
	double		pb = (double) prom_b / nb,
				db = (double) detr_b / nb;
	double		va = (pa + da) - (pa - da) * (pa - da);
	double		vb = (pb + db) - (pb - db) * (pb - db);
	double		diff = (pa - da) - (pb - db);
	double		se = sqrt(fmax(va, 0.0) / na + fmax(vb, 0.0) / nb);

	/*
	 * No variance on either side means each sample sits in a single bucket:
	 * the two NPS are then either equal or certainly different.
	 */
	if (se == 0.0)
		return diff == 0.0 ? 1.0 : 0.0;
	return pm_normal_two_sided_p(diff / se);
}

double
pm_nps_required_n(double margin_points, double confidence)
{
	double		z = pm_z_for_confidence(confidence);
	double		e = margin_points / 100.0;

	return z * z / (e * e) - 3.0;
}
