-- Exact time-to-value percentiles: ttv_percentile(interval, p) and (interval, p[])
-- must equal percentile_cont(p) WITHIN GROUP (ORDER BY ttv) on every input.
SET search_path = public, platform_metrics;

-- Hand-worked: 1, 2, 4, 8 days.  p = 0.5: position 0.5 * 3 = 1.5, between 2 and
-- 4 days -> 3 days.  p = 0.9: position 2.7 -> 4 + 0.7 * 4 = 6 days 19:12.
SELECT ttv_percentile(d * INTERVAL '1 day', 0.5) AS p50, ttv_percentile(d * INTERVAL '1 day', 0.9) AS p90
  FROM unnest(ARRAY[8, 1, 4, 2]) d;

-- 60 deterministic pseudo-random data sets of 1 to 400 values each: days, months
-- with days, whole hours (many ties), seconds with fractions, zeros, NULLs.
SELECT setseed(0.11);
CREATE TEMP TABLE ds AS
SELECT set_id,
       CASE WHEN random() < 0.03 THEN NULL ELSE
       CASE (random() * 4.99)::int
            WHEN 0 THEN make_interval(days => (random() * 40)::int)
            WHEN 1 THEN make_interval(months => (random() * 3)::int, days => (random() * 10)::int)
            WHEN 2 THEN make_interval(hours => (random() * 50)::int)
            WHEN 3 THEN make_interval(secs => random() * 1e6)
            ELSE INTERVAL '0' END END AS ttv
  FROM generate_series(1, 60) set_id, generate_series(1, 1 + (set_id * 37) % 400) i;

SELECT count(*) AS comparisons,
       count(*) FILTER (WHERE ours IS DISTINCT FROM theirs) AS differences,
       count(DISTINCT set_id) AS data_sets
  FROM (SELECT set_id, p, ttv_percentile(ttv, p) AS ours,
               percentile_cont(p) WITHIN GROUP (ORDER BY ttv) AS theirs
          FROM ds, unnest(ARRAY[0, 0.01, 0.1, 0.25, 1/3.0, 0.5, 0.75, 0.9, 0.95, 0.99, 1]) p
         GROUP BY set_id, p) x;

-- The array form keeps the array's shape and its NULL elements
SELECT count(*) AS data_sets, count(*) FILTER (WHERE ours IS DISTINCT FROM theirs) AS differences
  FROM (SELECT set_id, ttv_percentile(ttv, '{{0.1,0.5},{NULL,0.9}}'::float8[]) AS ours,
               percentile_cont('{{0.1,0.5},{NULL,0.9}}'::float8[]) WITHIN GROUP (ORDER BY ttv) AS theirs
          FROM ds GROUP BY set_id) x;
SELECT ttv_percentile(ttv, '{{0.1,0.5},{NULL,0.9}}'::float8[]) FROM ds WHERE set_id = 7;
SELECT ttv_percentile(ttv, '{}'::float8[]) AS empty_array FROM ds WHERE set_id = 7;
-- months and days interpolate exactly as percentile_cont does
SELECT ttv_percentile(x, 0.5) AS ours, percentile_cont(0.5) WITHIN GROUP (ORDER BY x) AS theirs
  FROM (VALUES (INTERVAL '1 mon'), (INTERVAL '2 mons 3 days 04:00')) v(x);

-- NULLs: NULL values are skipped; no rows, only NULLs or a NULL p give NULL
SELECT ttv_percentile(ttv, 0.5) IS NULL AS no_rows FROM ds WHERE false;
SELECT ttv_percentile(NULL::interval, 0.5) IS NULL AS only_nulls FROM generate_series(1, 3);
SELECT ttv_percentile(ttv, NULL::float8) IS NULL AS null_p,
       ttv_percentile(ttv, NULL::float8[]) IS NULL AS null_p_array FROM ds;

-- As a window function (percentile_cont cannot be one): a running median
SELECT count(*) AS rows_checked, count(*) FILTER (WHERE w IS DISTINCT FROM f) AS differences
  FROM (SELECT i, ttv_percentile(x, 0.5) OVER (ORDER BY i ROWS BETWEEN 9 PRECEDING AND CURRENT ROW) AS w
          FROM (SELECT i, make_interval(mins => (i * 7919) % 1000) AS x FROM generate_series(1, 300) i) s) a,
       LATERAL (SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY make_interval(mins => (j * 7919) % 1000)) AS f
                  FROM generate_series(greatest(1, a.i - 9), a.i) j) b;

-- Errors
SELECT pm_test.error_of(q) AS error FROM unnest(ARRAY[
    $$SELECT platform_metrics.ttv_percentile(x, 1.5) FROM (VALUES (INTERVAL '1 day')) v(x)$$,
    $$SELECT platform_metrics.ttv_percentile(x, 'NaN'::float8) FROM (VALUES (INTERVAL '1 day')) v(x)$$,
    $$SELECT platform_metrics.ttv_percentile(x, ARRAY[0.5, -0.1]) FROM (VALUES (INTERVAL '1 day')) v(x)$$,
    $$SELECT platform_metrics.ttv_percentile(x, 0.5) FROM (VALUES (INTERVAL '1 day'), (INTERVAL '-2 hours')) v(x)$$,
    $$SELECT platform_metrics.ttv_percentile(x, 0.5) FROM (VALUES (INTERVAL '1 mon -31 days')) v(x)$$,
    $$SELECT platform_metrics.ttv_percentile(x, p) FROM (VALUES (INTERVAL '1 day', 0.5), (INTERVAL '2 days', 0.9)) v(x, p)$$
  ]) q;

-- Forced parallel plan: Partial Aggregate, same results as serial
CREATE UNLOGGED TABLE big_ttv AS
SELECT i % 7 AS team, make_interval(secs => ((i::bigint * 104729) % 1000003) / 10.0) AS ttv
  FROM generate_series(1, 100000) i;
ANALYZE big_ttv;
SET max_parallel_workers_per_gather = 0;
CREATE TEMP TABLE serial_res AS
SELECT team, ttv_percentile(ttv, 0.9) AS p90, ttv_percentile(ttv, ARRAY[0.25, 0.5]) AS quartiles
  FROM big_ttv GROUP BY team;
SELECT pm_test.force_parallel();
SET enable_hashagg = off;
EXPLAIN (COSTS OFF) SELECT team, ttv_percentile(ttv, 0.9) FROM big_ttv GROUP BY team;
SELECT count(*) AS teams,
       count(*) FILTER (WHERE p.p90 IS DISTINCT FROM s.p90 OR p.quartiles IS DISTINCT FROM s.quartiles) AS differences
  FROM (SELECT team, ttv_percentile(ttv, 0.9) AS p90, ttv_percentile(ttv, ARRAY[0.25, 0.5]) AS quartiles
          FROM big_ttv GROUP BY team) p JOIN serial_res s USING (team);
SELECT ttv_percentile(ttv, 0.9) = (SELECT percentile_cont(0.9) WITHIN GROUP (ORDER BY ttv) FROM big_ttv) AS parallel_equals_percentile_cont
  FROM big_ttv;
RESET ALL;
SET search_path = public, platform_metrics;
DROP TABLE big_ttv;
