/*
 * stats.h
 *		Pure statistics used by platform_metrics: normal quantiles and the
 *		Net Promoter Score interval, test and sample-size formulas.
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

#endif							/* PM_STATS_H */
