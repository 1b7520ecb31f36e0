/*
 * stats_test.c
 *		Unit tests of src/stats.c against independently computed values.
 *
 * Reference quantiles come from Python's statistics.NormalDist().inv_cdf
 * (Wichura's AS241); the NPS figures are worked by hand in the comments.
 * Student t and F quantiles come from python3 with mpmath 1.3 at 40 digits:
 * bisection of mpmath.betainc(..., regularized=True), the distribution
 * functions as incomplete beta functions, to 250 halvings.  The Wilson,
 * Newcombe, Mann-Whitney and Feldt figures are the formulas evaluated in
 * python3 (math, statistics), the Mann-Whitney one from explicit mid-ranks
 * of the 33 answers.
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

	/* Student t quantiles (mpmath), and the exact forms for 1 and 2 degrees of freedom */
	check("t quantile p=0.975 df=1", pm_t_quantile(0.975, 1), 12.706204736174694, 1e-12);
	check("t quantile df=1 is tan(pi (p - 1/2))", pm_t_quantile(0.9, 1), tan(M_PI * 0.4), 1e-12);
	check("t quantile df=2 is (2p-1)/sqrt(2p(1-p))", pm_t_quantile(0.99, 2),
		  (2 * 0.99 - 1) / sqrt(2 * 0.99 * 0.01), 1e-12);
	check("t quantile p=0.975 df=4", pm_t_quantile(0.975, 4), 2.7764451051977934, 1e-12);
	check("t quantile p=0.95 df=12", pm_t_quantile(0.95, 12), 1.7822875556493196, 1e-12);
	check("t quantile p=0.025 df=12", pm_t_quantile(0.025, 12), -2.1788128296672284, 1e-12);
	check("t quantile p=0.995 df=29", pm_t_quantile(0.995, 29), 2.7563859036706053, 1e-12);
	check("t quantile p=0.975 df=1000", pm_t_quantile(0.975, 1000), 1.962339080826408, 1e-11);
	check("t quantile p=0.5", pm_t_quantile(0.5, 7), 0.0, 0);
	check("t for 95% confidence, df=12", pm_t_for_confidence(0.95, 12), 2.1788128296672284, 1e-12);
	/*
	 * many degrees of freedom: df = 1e5 by mpmath's bisection as above; df =
	 * 1e12 by the Cornish-Fisher series (Abramowitz and Stegun 26.7.5) in
	 * mpmath at 50 digits, whose truncation error there is below 1e-50
	 */
	check("t for 95% confidence, df=1e5", pm_t_for_confidence(0.95, 1e5), 1.9599877075346093, 1e-14);
	check("t for 95% confidence, df=1e12", pm_t_for_confidence(0.95, 1e12), 1.9599639845424265, 1e-14);

	/* F quantiles (mpmath) */
	check("F quantile p=0.975 (3, 6)", pm_f_quantile(0.975, 3, 6), 6.598798521956471, 1e-12);
	check("F quantile p=0.025 (3, 6)", pm_f_quantile(0.025, 3, 6), 0.06786692300241533, 1e-12);
	check("F quantile p=0.95 (10, 40)", pm_f_quantile(0.95, 10, 40), 2.07724804641721, 1e-12);
	check("F quantile p=0.05 (199, 1791)", pm_f_quantile(0.05, 199, 1791), 0.8342769568656486, 1e-11);
	check("F quantile median (1, 1) is 1", pm_f_quantile(0.5, 1, 1), 1.0, 1e-13);

	/* Wilson: 8 favourable of 13 at 95%, and out of 20 developers (z * sqrt(7/19)) */
	pm_wilson_interval(8, 13, 1.9599639845400538, &lo, &hi);
	check("Wilson low 8/13", lo, 0.355228915126657, 1e-13);
	check("Wilson high 8/13", hi, 0.8229029220223743, 1e-13);
	pm_wilson_interval(8, 13, 1.9599639845400538 * sqrt(7.0 / 19.0), &lo, &hi);
	check("Wilson low 8/13 of 20", lo, 0.45119715412775685, 1e-13);
	pm_wilson_interval(0, 10, 1.96, &lo, &hi);
	check("Wilson low 0/10 is 0", lo, 0.0, 0);
	pm_wilson_interval(10, 10, 1.96, &lo, &hi);
	check("Wilson high 10/10 is 1", hi, 1.0, 0);
	pm_wilson_interval(3, 10, 0.0, &lo, &hi);
	check("Wilson with z = 0 (census) is the share", hi - lo, 0.0, 1e-15);

	/* pooled two-proportion z-test and Newcombe: 8/13 against 16/20 */
	check("two-proportion test 8/13 vs 16/20", pm_two_proportion_test(8, 13, 16, 20),
		  0.24460685082792943, 1e-13);
	check("two-proportion test without variance", pm_two_proportion_test(5, 5, 7, 7), 1.0, 0);
	pm_newcombe_interval(8, 13, 16, 20, 1.9599639845400538, &lo, &hi);
	check("Newcombe low", lo, -0.11492990182141499, 1e-13);
	check("Newcombe high", hi, 0.4708383429496629, 1e-13);

	{
		/* a = 3,0,2,7,1 and b = 1,1,2,10,6 on 1..5: U = 87.5 */
		int64_t		a[5] = {3, 0, 2, 7, 1},
					b[5] = {1, 1, 2, 10, 6},
					one[5] = {0, 0, 4, 0, 0},
					two[5] = {0, 0, 9, 0, 0};

		check("Mann-Whitney from counts", pm_rank_test(a, b, 5), 0.08960569111855812, 1e-13);
		check("Mann-Whitney is symmetric", pm_rank_test(b, a, 5), 0.08960569111855812, 1e-13);
		check("Mann-Whitney all on one value", pm_rank_test(one, two, 5), 1.0, 0);
	}

	/* Feldt: alpha 6/7 of 4 respondents and 3 items, F(3, 6) quantiles above */
	pm_feldt_interval(6.0 / 7.0, 4, 3, 0.95, &lo, &hi);
	check("Feldt low", lo, 0.057314496863360875, 1e-12);
	check("Feldt high", hi, 0.9903047252853693, 1e-12);

	printf("%d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}
