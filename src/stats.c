/*
 * stats.c
 *		Pure statistics for platform_metrics (no PostgreSQL dependencies).
 */
#include <math.h>
#include <stdbool.h>

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

/*
 * Continued fraction of the incomplete beta function (Lentz's method, as in
 * Numerical Recipes' betacf), which converges fast for x < (a + 1) / (a + b + 2).
 */
static double
BetaContinuedFraction(double x, double a, double b)
{
	const double tiny = 1e-300;
	double		c = 1.0,
				d = 1.0 - (a + b) * x / (a + 1.0),
				h;

	if (fabs(d) < tiny)
		d = tiny;
	d = 1.0 / d;
	h = d;
	for (int m = 1; m <= 100000; m++)
	{
		double		aa,
					del;

		aa = m * (b - m) * x / ((a - 1.0 + 2 * m) * (a + 2 * m));
		d = 1.0 + aa * d;
		if (fabs(d) < tiny)
			d = tiny;
		c = 1.0 + aa / c;
		if (fabs(c) < tiny)
			c = tiny;
		d = 1.0 / d;
		h *= d * c;
		aa = -(a + m) * (a + b + m) * x / ((a + 2 * m) * (a + 1.0 + 2 * m));
		d = 1.0 + aa * d;
		if (fabs(d) < tiny)
			d = tiny;
		c = 1.0 + aa / c;
		if (fabs(c) < tiny)
			c = tiny;
		d = 1.0 / d;
		del = d * c;
		h *= del;
		if (fabs(del - 1.0) < 1e-16)
			break;
	}
	return h;
}

static double
LogBeta(double a, double b)
{
	return lgamma(a) + lgamma(b) - lgamma(a + b);
}

double
pm_beta_inc(double x, double y, double a, double b)
{
	double		front;

	if (x <= 0.0)
		return 0.0;
	if (y <= 0.0)
		return 1.0;
	front = exp(a * log(x) + b * log(y) - LogBeta(a, b));
	if (x < (a + 1.0) / (a + b + 2.0))
		return front * BetaContinuedFraction(x, a, b) / a;
	return 1.0 - front * BetaContinuedFraction(y, b, a) / b;
}

/*
 * Solves I_x(a, b) = p for x, with q = 1 - p, returning x and y = 1 - x.  It
 * solves for whichever of x and y belongs to the smaller tail, so that the
 * small one keeps its relative precision: Newton's method from the initial
 * guess of Numerical Recipes' invbetai, kept inside a bracket by bisection.
 */
static void
BetaIncInverse(double p, double q, double a, double b, double *x_out, double *y_out)
{
	bool		swap = p > q;
	double		lo = 0.0,
				hi = 1.0,
				x,
				lbeta;

	if (swap)
	{
		double		t = a;

		a = b;
		b = t;
		p = q;
	}
	/* now solve I_x(a, b) = p with p <= 1/2 */
	if (a >= 1.0 && b >= 1.0)
	{
		double		t = sqrt(-2.0 * log(p));
		double		z = -((2.30753 + t * 0.27061) / (1.0 + t * (0.99229 + t * 0.04481)) - t);
		double		al = (z * z - 3.0) / 6.0;
		double		h = 2.0 / (1.0 / (2.0 * a - 1.0) + 1.0 / (2.0 * b - 1.0));
		double		w = (z * sqrt(al + h) / h) -
			(1.0 / (2.0 * b - 1.0) - 1.0 / (2.0 * a - 1.0)) * (al + 5.0 / 6.0 - 2.0 / (3.0 * h));

		x = a / (a + b * exp(2.0 * w));
	}
	else
	{
		double		t = exp(a * log(a / (a + b))) / a;
		double		u = exp(b * log(b / (a + b))) / b;
		double		w = t + u;

		x = p < t / w ? pow(a * w * p, 1.0 / a) : 1.0 - pow(b * w * (1.0 - p), 1.0 / b);
	}
	if (!(x > 0.0 && x < 1.0))
		x = 0.5;
	lbeta = LogBeta(a, b);
	for (int i = 0; i < 2000; i++)
	{
		double		f = pm_beta_inc(x, 1.0 - x, a, b) - p;
		double		deriv,
					next;

		if (f == 0.0)
			break;
		if (f < 0.0)
			lo = x;
		else
			hi = x;
		deriv = exp((a - 1.0) * log(x) + (b - 1.0) * log1p(-x) - lbeta);
		next = x - f / deriv;
		if (!(next > lo && next < hi) || !isfinite(next))
			next = (lo + hi) / 2.0;
		if (fabs(next - x) <= 1e-15 * x || hi - lo <= 1e-300)
		{
			x = next;
			break;
		}
		x = next;
	}
	if (swap)
	{
		*y_out = x;
		*x_out = 1.0 - x;
	}
	else
	{
		*x_out = x;
		*y_out = 1.0 - x;
	}
}

/*
 * P(T < -t) = I_x(df/2, 1/2) / 2 with x = df / (df + t^2): the quantile comes
 * from the inverse incomplete beta function; t^2 = df (1 - x) / x.  tail2 is
 * the two-tailed probability 2 min(p, 1 - p), comp2 = 1 - tail2.
 */
static double
TUpper(double tail2, double comp2, double df)
{
	double		x,
				y;

	/*
	 * With many degrees of freedom lgamma's rounding in the incomplete beta
	 * function grows with df, while the Cornish-Fisher expansion of t about
	 * the normal quantile (Abramowitz and Stegun 26.7.5) becomes exact: past
	 * 1e4 its first omitted term is below 1e-15 even far in the tails.
	 */
	if (df > 1e4)
	{
		double		z = -pm_normal_quantile(tail2 / 2.0);
		double		z2 = z * z;
		double		g1 = (z2 + 1.0) * z / 4.0;
		double		g2 = ((5.0 * z2 + 16.0) * z2 + 3.0) * z / 96.0;
		double		g3 = (((3.0 * z2 + 19.0) * z2 + 17.0) * z2 - 15.0) * z / 384.0;
		double		g4 = ((((79.0 * z2 + 776.0) * z2 + 1482.0) * z2 - 1920.0) * z2 - 945.0) * z / 92160.0;

		return z + (g1 + (g2 + (g3 + g4 / df) / df) / df) / df;
	}
	BetaIncInverse(tail2, comp2, df / 2.0, 0.5, &x, &y);
	return sqrt(df * y / x);
}

double
pm_t_quantile(double p, double df)
{
	double		lower = p < 0.5 ? p : 1.0 - p;
	double		t;

	if (p == 0.5)
		return 0.0;
	t = TUpper(2.0 * lower, 1.0 - 2.0 * lower, df);
	return p < 0.5 ? -t : t;
}

double
pm_t_for_confidence(double confidence, double df)
{
	return TUpper(1.0 - confidence, confidence, df);
}

/* P(F <= f) = I_x(d1/2, d2/2) with x = d1 f / (d1 f + d2), so f = d2 x / (d1 y). */
double
pm_f_quantile(double p, double d1, double d2)
{
	double		x,
				y;

	BetaIncInverse(p, 1.0 - p, d1 / 2.0, d2 / 2.0, &x, &y);
	return d2 * x / (d1 * y);
}

/*
 * Wilson (1927): the proportions pi with |k/n - pi| <= z sqrt(pi (1 - pi) / n).
 * A finite-population correction enters as a smaller z.
 */
void
pm_wilson_interval(double k, double n, double z, double *low, double *high)
{
	double		p = k / n;
	double		z2 = z * z;
	double		denom = 1.0 + z2 / n;
	double		center = (p + z2 / (2.0 * n)) / denom;
	double		half = z / denom * sqrt(p * (1.0 - p) / n + z2 / (4.0 * n * n));

	*low = k <= 0.0 ? 0.0 : fmax(0.0, center - half);
	*high = k >= n ? 1.0 : fmin(1.0, center + half);
}

double
pm_two_proportion_test(double k1, double n1, double k2, double n2)
{
	double		pooled = (k1 + k2) / (n1 + n2);
	double		se = sqrt(pooled * (1.0 - pooled) * (1.0 / n1 + 1.0 / n2));

	if (se == 0.0)
		return 1.0;				/* every answer favourable, or none: equal shares */
	return pm_normal_two_sided_p((k1 / n1 - k2 / n2) / se);
}

/*
 * Newcombe (1998), "Interval estimation for the difference between
 * independent proportions", Statistics in Medicine 17, method 10: the
 * distances from each share to its own Wilson limits combined in quadrature.
 */
void
pm_newcombe_interval(double k1, double n1, double k2, double n2, double z,
					 double *low, double *high)
{
	double		p1 = k1 / n1,
				p2 = k2 / n2;
	double		l1,
				u1,
				l2,
				u2;
	double		d = p2 - p1;

	pm_wilson_interval(k1, n1, z, &l1, &u1);
	pm_wilson_interval(k2, n2, z, &l2, &u2);
	*low = d - sqrt((p2 - l2) * (p2 - l2) + (u1 - p1) * (u1 - p1));
	*high = d + sqrt((u2 - p2) * (u2 - p2) + (p1 - l1) * (p1 - l1));
}

/*
 * Mann-Whitney from counts: the answers at one value share the mid-rank of
 * their block, so U and the tie-corrected variance
 * n1 n2 / 12 ((N + 1) - sum(t^3 - t) / (N (N - 1))) need one pass over the
 * values, not over the answers.
 */
double
pm_rank_test(const int64_t *a, const int64_t *b, int npoints)
{
	double		n1 = 0.0,
				n2 = 0.0,
				before = 0.0,
				rank_sum = 0.0,
				ties = 0.0,
				n,
				u,
				var;

	for (int i = 0; i < npoints; i++)
	{
		n1 += (double) a[i];
		n2 += (double) b[i];
	}
	n = n1 + n2;
	for (int i = 0; i < npoints; i++)
	{
		double		t = (double) a[i] + (double) b[i];

		rank_sum += (double) a[i] * (before + (t + 1.0) / 2.0);
		ties += t * t * t - t;
		before += t;
	}
	u = rank_sum - n1 * (n1 + 1.0) / 2.0;
	var = n1 * n2 / 12.0 * ((n + 1.0) - ties / (n * (n - 1.0)));
	if (!(var > 0.0))
		return 1.0;				/* every answer on one value */
	return pm_normal_two_sided_p((u - n1 * n2 / 2.0) / sqrt(var));
}

/*
 * Feldt, Woodruff and Salih (1987), "Statistical inference for coefficient
 * alpha", Applied Psychological Measurement 11(1): the interval
 * [1 - (1 - a) F(1 - g/2), 1 - (1 - a) F(g/2)], g = 1 - confidence.
 */
void
pm_feldt_interval(double alpha, double n, double k, double confidence,
				  double *low, double *high)
{
	double		d1 = n - 1.0,
				d2 = (n - 1.0) * (k - 1.0);
	double		g = 1.0 - confidence;

	*low = 1.0 - (1.0 - alpha) * pm_f_quantile(1.0 - g / 2.0, d1, d2);
	*high = 1.0 - (1.0 - alpha) * pm_f_quantile(g / 2.0, d1, d2);
}
