-- NPS uncertainty: nps_ci, nps_margin, nps_test, nps_required_n.
SET search_path = public, platform_metrics;
SET extra_float_digits = 0;

-- pm_test.ref_ci (in setup.sql) is a plain-SQL reference, independent of the C code.

-- Hand-worked: 50 promoters, 30 passives, 20 detractors (NPS 30):
--   p' = 50.75/103, d' = 20.75/103, centre = 100 * 30/103 = 29.1262
--   variance = 71.5/103 - (30/103)^2 = 0.609341; margin = 196 * sqrt(0.609341/103) = 15.0751
--   95% interval [14.0511, 44.2013]
SELECT round(low::numeric, 4) AS low, round(high::numeric, 4) AS high,
       round(nps_margin(s)::numeric, 4) AS margin
  FROM (SELECT 'promoters=50 passives=30 detractors=20'::nps_summary s) x, nps_ci(s);
-- the same sample out of 150 developers: margin 15.0751 * sqrt(50/149) = 8.7328
SELECT round(low::numeric, 4) AS low, round(high::numeric, 4) AS high,
       round(nps_margin(s, 0.95, 150)::numeric, 4) AS margin
  FROM (SELECT 'promoters=50 passives=30 detractors=20'::nps_summary s) x, nps_ci(s, 0.95, 150);
-- everyone asked answered: the NPS is known exactly
SELECT * FROM nps_ci('promoters=50 passives=30 detractors=20', 0.95, 100);
-- all promoters: clipped at 100; all detractors: clipped at -100
SELECT high FROM nps_ci('promoters=4 passives=0 detractors=0');
SELECT low FROM nps_ci('promoters=0 passives=0 detractors=4');
-- the margin is the half-width of the interval as reported, clipping included:
-- 5 promoters: p' = 5.75/8, d' = 0.75/8, centre 62.5, unclipped margin 45.0 -> [17.49, 100]
SELECT round(low::numeric, 2) AS low, high, round(nps_margin(s)::numeric, 2) AS margin,
       nps_margin(s) = (high - low) / 2 AS half_width
  FROM (SELECT 'promoters=5 passives=0 detractors=0'::nps_summary s) x, nps_ci(s);

-- Against the reference on 300 deterministic pseudo-random summaries, at four
-- confidence levels (z from Python's statistics.NormalDist, AS241) and with and
-- without a population: no differences above 1e-9 points.
SELECT setseed(0.54);
CREATE TEMP TABLE samples AS
SELECT i, (random() * 60)::bigint AS p, (random() * 40)::bigint AS pa, (random() * 50)::bigint + 1 AS d,
       CASE WHEN i % 3 = 0 THEN NULL ELSE 151 + (random() * 400)::bigint END AS pop
  FROM generate_series(1, 300) i;
SELECT c.confidence, count(*) AS checked,
       count(*) FILTER (WHERE abs(got.low - ref.low) > 1e-9 OR abs(got.high - ref.high) > 1e-9
                           OR abs(nps_margin(s, c.confidence, pop) - ref.margin) > 1e-9) AS differences
  FROM samples,
       LATERAL (SELECT format('promoters=%s passives=%s detractors=%s', p, pa, d)::nps_summary AS s) x,
       (VALUES (0.80, 1.2815515655446004), (0.90, 1.6448536269514722),
               (0.95, 1.9599639845400538), (0.99, 2.5758293035489004)) c(confidence, z),
       LATERAL nps_ci(s, c.confidence, pop) got,
       LATERAL pm_test.ref_ci(p, pa, d, c.z, pop) ref
 GROUP BY c.confidence ORDER BY 1;

-- NULL and empty: no responses gives NULL (no interval), a NULL population means unknown
SELECT nps_ci(NULL) IS NULL AS null_summary, nps_ci('promoters=0 passives=0 detractors=0') IS NULL AS empty,
       nps_margin('promoters=0 passives=0 detractors=0') IS NULL AS empty_margin,
       nps_ci('promoters=1 passives=1 detractors=1', NULL) IS NULL AS null_confidence,
       nps_ci('promoters=1 passives=1 detractors=1', 0.95, NULL) = nps_ci('promoters=1 passives=1 detractors=1') AS null_population;

-- Errors
SELECT pm_test.error_of(q) AS error FROM unnest(ARRAY[
    $$SELECT platform_metrics.nps_ci('promoters=5 passives=5 detractors=5', 1)$$,
    $$SELECT platform_metrics.nps_ci('promoters=5 passives=5 detractors=5', 0)$$,
    $$SELECT platform_metrics.nps_margin('promoters=5 passives=5 detractors=5', 'NaN')$$,
    $$SELECT platform_metrics.nps_ci('promoters=5 passives=5 detractors=5', 0.95, 14)$$,
    $$SELECT platform_metrics.nps_margin('promoters=0 passives=0 detractors=0', 0.95, -3)$$
  ]) q;

-- nps_test: two-sided p-value of the two-sample z-test.
-- Hand-worked: a = 50/30/20 (NPS 30, s^2 = 0.7 - 0.3^2 = 0.61),
--              b = 30/30/40 (NPS -10, s^2 = 0.7 - 0.1^2 = 0.69);
-- z = 0.4 / sqrt(0.61/100 + 0.69/100) = 3.50823, p = erfc(z / sqrt 2) = 0.000451095 (Python)
SELECT abs(nps_test('promoters=50 passives=30 detractors=20', 'promoters=30 passives=30 detractors=40')
           - 0.000451095347614305) < 1e-15 AS matches_hand_worked;
-- "our NPS went from 12 to 54": with 50 answers each wave that is a real change...
SELECT nps(a) AS before, nps(b) AS after, nps_test(a, b) < 0.01 AS significant_at_1pct
  FROM (SELECT 'promoters=18 passives=20 detractors=12'::nps_summary a,
               'promoters=32 passives=13 detractors=5'::nps_summary b) x;
-- ...and a 10-point move on 30 answers each is not
SELECT nps(a) AS before, nps(b) AS after, nps_test(a, b) < 0.05 AS significant_at_5pct
  FROM (SELECT 'promoters=12 passives=9 detractors=9'::nps_summary a,
               'promoters=13 passives=10 detractors=7'::nps_summary b) x;
-- Against the SQL z statistic on the random pairs: p < 0.05 exactly when |z| > 1.959964,
-- and the test is symmetric.
SELECT count(*) AS pairs,
       count(*) FILTER (WHERE (nps_test(a.s, b.s) < 0.05) <> (abs(z) > 1.9599639845400538)) AS disagreements,
       count(*) FILTER (WHERE nps_test(a.s, b.s) <> nps_test(b.s, a.s)) AS asymmetric
  FROM (SELECT i, format('promoters=%s passives=%s detractors=%s', p, pa, d)::nps_summary s, p, pa, d FROM samples) a
  JOIN (SELECT i, format('promoters=%s passives=%s detractors=%s', p, pa, d)::nps_summary s, p, pa, d FROM samples) b
    ON b.i = a.i + 1,
       LATERAL (SELECT (p1 - d1 - (p2 - d2))
                       / sqrt(((p1 + d1) - (p1 - d1) ^ 2) / n1 + ((p2 + d2) - (p2 - d2) ^ 2) / n2) AS z
                  FROM (SELECT a.p::float8 / (a.p + a.pa + a.d) p1, a.d::float8 / (a.p + a.pa + a.d) d1,
                               (a.p + a.pa + a.d)::float8 n1,
                               b.p::float8 / (b.p + b.pa + b.d) p2, b.d::float8 / (b.p + b.pa + b.d) d2,
                               (b.p + b.pa + b.d)::float8 n2) s) t;
-- no variance: equal single-bucket samples give 1, different ones 0; empty gives NULL
SELECT nps_test('promoters=5 passives=0 detractors=0', 'promoters=9 passives=0 detractors=0') AS same,
       nps_test('promoters=5 passives=0 detractors=0', 'promoters=0 passives=0 detractors=9') AS different,
       nps_test('promoters=5 passives=0 detractors=0', 'promoters=0 passives=0 detractors=0') IS NULL AS empty;

-- nps_required_n: n = ceil(z^2 / (margin/100)^2 - 3), worked in SQL with z from AS241
SELECT m AS margin, c AS confidence, nps_required_n(m, c) AS required,
       nps_required_n(m, c) = greatest(1, ceil(z ^ 2 / (m / 100.0) ^ 2 - 3)) AS matches_formula
  FROM (VALUES (5.0, 0.95, 1.9599639845400538), (10.0, 0.95, 1.9599639845400538),
               (10.0, 0.90, 1.6448536269514722), (20.0, 0.99, 2.5758293035489004),
               (150.0, 0.95, 1.9599639845400538)) v(m, c, z);
SELECT nps_required_n(10) = nps_required_n(10, 0.95) AS default_is_95;
SELECT pm_test.error_of(q) AS error FROM unnest(ARRAY[
    $$SELECT platform_metrics.nps_required_n(0)$$,
    $$SELECT platform_metrics.nps_required_n(250)$$,
    $$SELECT platform_metrics.nps_required_n(5, 1.5)$$,
    $$SELECT platform_metrics.nps_required_n(0.0001)$$
  ]) q;

DROP TABLE samples;
