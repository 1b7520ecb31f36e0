/*
 * stats_test.c
 *		Unit tests of src/stats.c against independently computed values.
 *
 * Reference quantiles come from Python's statistics.NormalDist().inv_cdf
 * (Wichura's AS241); the NPS figures are worked by hand in the comments.
 * Prints one line per check and a summary line "N passed, N failed".
 */
#include <math.h>
#include <stdio.h>

#include "stats.h"

static int	passed,
			failed;

static void
check(const char *what, double got, double want, double tol)
{
	int			ok = fabs(got - want) <= tol * fmax(1.0, fabs(want));

	printf("%-48s %s (got %.17g, want %.17g)\n", what, ok ? "ok" : "FAILED", got, want);
	if (ok)
		passed++;
	else
		failed++;
}

int
main(void)
{
	static const struct
	{
		double		p,
					z;
	}			q[] = {
		{1e-300, -37.0470962993612},
		{1e-20, -9.262340089798405},
		{1e-10, -6.361340902404056},
		{1e-05, -4.2648907939228256},
		{0.001, -3.090232306167813},
		{0.02, -2.0537489106318225},
		{0.025, -1.9599639845400538},
		{0.1, -1.2815515655446008},
		{0.3, -0.5244005127080407},
		{0.5, 0.0},
		{0.7, 0.5244005127080407},
		{0.9, 1.2815515655446008},
		{0.975, 1.9599639845400536},
		{0.99, 2.3263478740408408},
		{0.999999, 4.753424308817089},
	};
	char		name[64];
	double		c,
				m,
				lo,
				hi;

	for (size_t i = 0; i < sizeof(q) / sizeof(q[0]); i++)
	{
		snprintf(name, sizeof(name), "normal quantile p=%g", q[i].p);
		check(name, pm_normal_quantile(q[i].p), q[i].z, 1e-13);
	}
	check("z for 95% confidence", pm_z_for_confidence(0.95), 1.9599639845400538, 1e-14);
	check("z for 99% confidence", pm_z_for_confidence(0.99), 2.5758293035489004, 1e-14);
	check("two-sided p of z=1.96", pm_normal_two_sided_p(1.96), 0.04999579029644087, 1e-12);
	check("two-sided p of z=-3", pm_normal_two_sided_p(-3.0), 0.0026997960632601866, 1e-12);

	/*
	 * 50 promoters, 30 passives, 20 detractors: adjusted shares
	 * p = 50.75/103, d = 20.75/103; centre 100 * 30/103 = 29.126213592233;
	 * variance (71.5/103) - (30/103)^2 = 0.609341125459516; margin
	 * 100 * 1.959963984540054 * sqrt(0.609341125459516 / 103)
	 * = 15.075083413471402 (python3, math.sqrt).
	 */
	pm_nps_interval(50, 30, 20, 0.95, 0, &c, &m, &lo, &hi);
	check("adjusted-Wald centre", c, 29.126213592233010, 1e-12);
	check("adjusted-Wald margin", m, 15.075083413471402, 1e-9);
	check("adjusted-Wald low", lo, 29.126213592233010 - 15.075083413471402, 1e-9);

	/* same sample out of 150 developers: margin * sqrt(50 / 149) */
	pm_nps_interval(50, 30, 20, 0.95, 150, &c, &m, &lo, &hi);
	check("finite-population margin", m, 15.075083413471402 * sqrt(50.0 / 149.0), 1e-9);

	/* census: everyone answered, the NPS is 30 exactly */
	pm_nps_interval(50, 30, 20, 0.95, 100, &c, &m, &lo, &hi);
	check("census low", lo, 30.0, 0);
	check("census high", hi, 30.0, 0);

	/* all promoters: clipped at 100 */
	pm_nps_interval(5, 0, 0, 0.95, 0, &c, &m, &lo, &hi);
	check("clipped high", hi, 100.0, 0);

	/*
	 * a: 50/30/20 (NPS 30, s^2 = 0.7 - 0.09 = 0.61), b: 30/30/40 (NPS -10,
	 * s^2 = 0.7 - 0.01 = 0.69); z = 0.4 / sqrt(0.0061 + 0.0069) =
	 * 3.508232077228117, p = erfc(z / sqrt 2) = 0.000451...
	 */
	check("nps_test p-value", pm_nps_test(50, 30, 20, 30, 30, 40),
		  erfc(3.508232077228117 / sqrt(2.0)), 1e-12);
	check("nps_test identical samples", pm_nps_test(10, 0, 0, 3, 0, 0), 1.0, 0);
	check("nps_test certain difference", pm_nps_test(10, 0, 0, 0, 0, 3), 0.0, 0);

	/* 1.959963984540054^2 / 0.1^2 - 3 = 381.14588 */
	check("required n for +/-10 points", pm_nps_required_n(10.0, 0.95),
		  1.959963984540054 * 1.959963984540054 / 0.01 - 3.0, 1e-12);

	printf("%d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}
