-- normal_quantile, t_quantile, share_ci and share_test (1.4), against values
-- computed elsewhere: R's qnorm() and qt(), Wilson's interval and the pooled
-- z-test worked by hand in the comments.
SET search_path = public, platform_metrics;
SET extra_float_digits = 0;

-- R: qnorm(c(0.975, 0.5, 0.001)) = 1.959963984540054, 0, -3.090232306167813
SELECT round(normal_quantile(0.975)::numeric, 12) AS q975, normal_quantile(0.5) AS q50,
       round(normal_quantile(0.001)::numeric, 9) AS q001;
-- R: qt(0.975, c(1, 4, 9, 29.5, 1000)) = 12.706204736174707, 2.7764451051977987,
-- 2.2621571627982053, 1.9623390808264078; qt(0.1, 3) = -1.6377443536962102
SELECT round(t_quantile(0.975, 1)::numeric, 9) AS t1, round(t_quantile(0.975, 4)::numeric, 12) AS t4,
       round(t_quantile(0.975, 9)::numeric, 12) AS t9, round(t_quantile(0.975, 1000)::numeric, 9) AS t1000,
       round(t_quantile(0.1, 3)::numeric, 12) AS t3_low, t_quantile(0.975, 'Infinity') = normal_quantile(0.975) AS infinite_df,
       t_quantile(0.975, 29.5) BETWEEN t_quantile(0.975, 30) AND t_quantile(0.975, 29) AS fractional_df;
SELECT pm_test.error_of(q) AS bad_quantile FROM unnest(ARRAY[
  'SELECT platform_metrics.normal_quantile(0)', 'SELECT platform_metrics.normal_quantile(1)',
  $$SELECT platform_metrics.normal_quantile('NaN')$$, 'SELECT platform_metrics.t_quantile(0.5, 0)',
  'SELECT platform_metrics.t_quantile(0.5, -2)', $$SELECT platform_metrics.t_quantile(0.975, 'NaN')$$,
  'SELECT platform_metrics.t_quantile(1.5, 3)'
]) q;
SELECT normal_quantile(NULL) IS NULL AND t_quantile(0.5, NULL) IS NULL AS strict;

-- Wilson, 18 favourable of 25, z = 1.959964:
--   centre (0.72 + z²/50) / (1 + z²/25) = 0.690698, half z/(1 + z²/25) sqrt(0.72 * 0.28/25 + z²/2500) = 0.166464
--   -> [0.524234, 0.857161]; favorable_ci of the same answers agrees
SELECT round(low::numeric, 6) AS low, round(high::numeric, 6) AS high FROM share_ci(18, 25);
SELECT (SELECT (low, high) FROM share_ci(18, 25, 0.95, 40))
     = (SELECT (low, high) FROM favorable_ci('low=1 high=5 counts={3,2,2,10,8}', 4, 0.95, 40)) AS same_as_favorable_ci;
-- an effective sample size need not be whole; a census is the share itself;
-- no answers give NULL
SELECT round(low::numeric, 6) AS low, round(high::numeric, 6) AS high FROM share_ci(0.72 * 21.4, 21.4);
SELECT low, high FROM share_ci(18, 25, 0.95, 25);
SELECT low IS NULL AND high IS NULL AS empty FROM share_ci(0, 0);
SELECT pm_test.error_of(q) AS bad_share FROM unnest(ARRAY[
  'SELECT platform_metrics.share_ci(-1, 5)', 'SELECT platform_metrics.share_ci(6, 5)',
  $$SELECT platform_metrics.share_ci('NaN', 5)$$, $$SELECT platform_metrics.share_ci(1, 'Infinity')$$,
  'SELECT platform_metrics.share_ci(3, 5, 1.5)', 'SELECT platform_metrics.share_ci(3, 5, 0.95, 4)',
  'SELECT platform_metrics.share_test(1, 0, 1, 1)', 'SELECT platform_metrics.share_test(1, 2, -1, 1)'
]) q;

-- The pooled z-test, 9 of 25 against 21 of 26: pooled share 30/51,
--   z = (21/26 - 9/25) / sqrt(30/51 * 21/51 * (1/25 + 1/26)) = 3.247515;
--   the p-value's normal quantile gives z back; favorable_test agrees; no
--   answers give NULL
SELECT round(normal_quantile(1 - share_test(9, 25, 21, 26) / 2)::numeric, 9) AS z,
       round(((21.0 / 26 - 9.0 / 25) / sqrt(30.0 / 51 * 21.0 / 51 * (1.0 / 25 + 1.0 / 26)))::numeric, 9) AS z_by_hand,
       share_test(9, 25, 21, 26) = favorable_test('low=1 high=5 counts={10,4,2,5,4}', 'low=1 high=5 counts={2,2,1,11,10}', 4)
           AS same_as_favorable_test,
       share_test(0, 0, 1, 2) IS NULL AS empty, share_test(5, 5, 7, 7) AS all_favourable;
