/*
 * stats.h
 *		Pure statistics used by platform_metrics: normal, Student t and F
 *		quantiles, the Net Promoter Score interval, test and sample-size
 *		formulas, and the proportion, mean, rank and reliability statistics of
 *		likert_summary and cronbach_alpha.
 *
 * Nothing here depends on PostgreSQL, so test/unit/stats_test.c can check it
 * against reference values on its own.  Callers validate their arguments;
 * these functions assume them valid.
 */
#ifndef PM_STATS_H
#define PM_STATS_H

#include <stdint.h>

/* Quantile function of the standard normal distribution, 0 < p < 1. */
extern double pm_normal_quantile(double p);

/* Two-sided p-value of a standard normal test statistic z. */
extern double pm_normal_two_sided_p(double z);

/* Critical value z such that P(|Z| <= z) = confidence, 0 < confidence < 1. */
extern double pm_z_for_confidence(double confidence);

/*
 * Adjusted-Wald interval for the NPS (Rocks 2016), in NPS points.
 *
 * population <= 0 means "unknown / infinite"; otherwise it must be at least
 * promoters + passives + detractors, and the finite-population correction is
 * applied.  *center is the adjusted estimate, *margin the half-width before
 * clipping, *low and *high the interval clipped to [-100, 100].
 */
extern void pm_nps_interval(int64_t promoters, int64_t passives,
							int64_t detractors, double confidence,
							int64_t population, double *center,
							double *margin, double *low, double *high);

/*
 * Two-sided p-value of the two-sample z-test for NPS(a) - NPS(b).
 * Both samples must be non-empty.
 */
extern double pm_nps_test(int64_t prom_a, int64_t pass_a, int64_t detr_a,
						  int64_t prom_b, int64_t pass_b, int64_t detr_b);

/*
 * Responses needed for an adjusted-Wald margin of margin_points NPS points at
 * worst-case variance: z^2 / E^2 - 3 with E = margin_points / 100, not yet
 * rounded.
 */
extern double pm_nps_required_n(double margin_points, double confidence);

/*
 * Regularized incomplete beta function I_x(a, b), a, b > 0, 0 <= x <= 1; y is
 * 1 - x, passed separately so that a caller who knows it exactly loses no
 * precision near x = 1.
 */
extern double pm_beta_inc(double x, double y, double a, double b);

/* Quantile function of Student's t distribution with df > 0 degrees of freedom. */
extern double pm_t_quantile(double p, double df);

/* Critical value t such that P(|T| <= t) = confidence for df degrees of freedom. */
extern double pm_t_for_confidence(double confidence, double df);

/* Quantile function of the F distribution with d1, d2 > 0 degrees of freedom. */
extern double pm_f_quantile(double p, double d1, double d2);

/*
 * Wilson score interval of a proportion: k successes out of n > 0, critical
 * value z (z = 0 gives the point k / n).  Clipped to [0, 1].
 */
extern void pm_wilson_interval(double k, double n, double z,
							   double *low, double *high);

/*
 * Two-sided p-value of the pooled two-proportion z-test of k1/n1 = k2/n2
 * (n1, n2 > 0).  Without variance (every answer on one side) it is 1.
 */
extern double pm_two_proportion_test(double k1, double n1, double k2, double n2);

/*
 * Newcombe's hybrid-score interval (his method 10) for k2/n2 - k1/n1 from the
 * two Wilson intervals at critical value z.
 */
extern void pm_newcombe_interval(double k1, double n1, double k2, double n2,
								 double z, double *low, double *high);

/*
 * Two-sided p-value of the Mann-Whitney U test (normal approximation, tie
 * correction, no continuity correction) of two samples given as counts at
 * the same npoints ordered values.  Both samples must be non-empty; with
 * every answer on one value the result is 1.
 */
extern double pm_rank_test(const int64_t *a, const int64_t *b, int npoints);

/*
 * Feldt's interval for Cronbach's alpha of n respondents and k items:
 * (1 - alpha) / (1 - estimate) follows F(n - 1, (n - 1)(k - 1)).
 */
extern void pm_feldt_interval(double alpha, double n, double k,
							  double confidence, double *low, double *high);

#endif							/* PM_STATS_H */
