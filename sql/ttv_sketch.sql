-- ttv_sketch: a mergeable time-to-value sketch with a guaranteed relative error.
SET search_path = public, platform_metrics;
SET extra_float_digits = 0;

-- Hand-worked, accuracy a = 0.01: g = 1.01/0.99, ln g = 0.0200007.
--   1 minute = 6e7 us:   ln(6e7) / ln g = 895.5 -> bucket 896
--   1 hour   = 3.6e9 us: ln(3.6e9) / ln g = 1100.2 -> bucket 1101
--   0 is counted apart (zeros=1) and stays exact.
SELECT ttv_sketch(x) FROM (VALUES (INTERVAL '1 minute'), (INTERVAL '1 hour'), (INTERVAL '0')) v(x);
-- the median (rank 1 of 0..2) is bucket 896's value 2 g^896 / (g + 1), within 1% of a minute;
-- ranks 0 and 2 are the exact minimum and maximum
SELECT ttv_percentile(s, ARRAY[0, 0.5, 1]) AS p,
       abs(extract(epoch FROM ttv_percentile(s, 0.5)) / 60 - 1) <= 0.01 AS median_within_1pct,
       ttv_count(s), ttv_min(s), ttv_max(s), ttv_mean(s), ttv_accuracy(s)
  FROM (SELECT ttv_sketch(x) AS s FROM (VALUES (INTERVAL '1 minute'), (INTERVAL '1 hour'), (INTERVAL '0')) v(x)) t;

-- Skewed data sets (deterministic): log-normal around 4 days, heavy ties, a single
-- value, mostly zeros, and log-uniform from one second to ten years.
SELECT setseed(0.73);
CREATE TEMP TABLE durations AS
SELECT 'lognormal' AS kind,
       make_interval(secs => round((exp(ln(345600) + 1.2 * sqrt(-2 * ln(1 - random())) * cos(2 * pi() * random())))::numeric, 6)) AS ttv
  FROM generate_series(1, 4000)
UNION ALL
SELECT 'ties', (ARRAY[INTERVAL '1 hour', INTERVAL '1 day', INTERVAL '3 days'])[1 + floor(random() * 3)::int]
  FROM generate_series(1, 3000)
UNION ALL
SELECT 'single', INTERVAL '17 days 03:20:00.5'
UNION ALL
SELECT 'zeros', CASE WHEN random() < 0.6 THEN INTERVAL '0' ELSE make_interval(secs => round((random() * 1e5)::numeric, 3)) END
  FROM generate_series(1, 3000)
UNION ALL
SELECT 'wide', make_interval(secs => round(exp(random() * ln(315360000))::numeric, 6))
  FROM generate_series(1, 4000);

-- Every percentile within the relative accuracy of the exact value of the same
-- rank (percentile_cont), at 101 values of p and four accuracies.
CREATE TEMP TABLE checks AS
SELECT d.kind, a.accuracy, p,
       extract(epoch FROM ttv_percentile(s.sketch, p))::float8 AS est,
       extract(epoch FROM x.exact)::float8 AS exact
  FROM (SELECT DISTINCT kind FROM durations) d
  CROSS JOIN (VALUES (0.0001), (0.001), (0.01), (0.05)) a(accuracy)
  CROSS JOIN LATERAL (SELECT ttv_sketch(ttv, a.accuracy::float8) AS sketch FROM durations WHERE kind = d.kind) s
  CROSS JOIN generate_series(0, 100) i
  CROSS JOIN LATERAL (SELECT i / 100.0 AS p) pp
  CROSS JOIN LATERAL (SELECT percentile_cont(pp.p) WITHIN GROUP (ORDER BY ttv) AS exact
                        FROM durations WHERE kind = d.kind) x;
SELECT kind, accuracy, count(*) AS percentiles,
       count(*) FILTER (WHERE abs(est - exact) > accuracy * exact + 0.5e-6) AS beyond_accuracy,
       count(*) FILTER (WHERE exact = 0 AND est <> 0) AS zeros_not_exact
  FROM checks GROUP BY kind, accuracy ORDER BY kind, accuracy;
-- monotone in p and always within [min, max]
SELECT count(*) FILTER (WHERE est < prev_est) AS not_monotone,
       count(*) FILTER (WHERE est < mn OR est > mx) AS outside_min_max
  FROM (SELECT c.*, lag(est) OVER (PARTITION BY kind, accuracy ORDER BY p) AS prev_est, m.mn, m.mx
          FROM checks c JOIN (SELECT kind, extract(epoch FROM min(ttv))::float8 AS mn,
                                    extract(epoch FROM max(ttv))::float8 AS mx
                               FROM durations GROUP BY kind) m USING (kind)) x;

-- count, min, max and mean are exact
SELECT kind, ttv_count(s) = n AS count_exact, ttv_min(s) = mn AS min_exact, ttv_max(s) = mx AS max_exact,
       extract(epoch FROM ttv_mean(s)) = round(mean, 6) AS mean_exact
  FROM (SELECT kind, ttv_sketch(ttv) AS s, count(ttv) AS n, min(ttv) AS mn, max(ttv) AS mx,
               avg(extract(epoch FROM ttv)) AS mean
          FROM durations GROUP BY kind) x ORDER BY kind;

-- Bounded size: a second to ten years at 1% is under a thousand buckets; stored
-- in a table, TOAST compression roughly halves it.
SELECT pg_column_size(s) AS bytes, pg_column_size(s) < 8192 AS under_8kb
  FROM (SELECT ttv_sketch(ttv) AS s FROM durations WHERE kind = 'wide') x;
CREATE TEMP TABLE stored_sketch AS SELECT ttv_sketch(ttv) AS s FROM durations WHERE kind = 'wide';
SELECT pg_column_size(s) < 5000 AS stored_compressed FROM stored_sketch;

-- rollup(): per-day sketches merge into exactly the sketch of the raw values
CREATE TEMP TABLE daily_sketch AS
SELECT n % 90 AS day, ttv_sketch(ttv) AS s
  FROM (SELECT row_number() OVER () AS n, ttv FROM durations) x GROUP BY 1;
SELECT rollup(s) = (SELECT ttv_sketch(ttv) FROM durations) AS rollup_equals_raw,
       ttv_percentile(rollup(s), 0.9) = (SELECT ttv_percentile(ttv_sketch(ttv), 0.9) FROM durations) AS same_p90
  FROM daily_sketch;
SELECT rollup(s ORDER BY day DESC) = rollup(s ORDER BY day) AS order_does_not_matter FROM daily_sketch;

-- NULLs: skipped; no rows give NULL
SELECT ttv_sketch(ttv) IS NULL AS no_rows FROM durations WHERE false;
SELECT ttv_count(ttv_sketch(x)) AS counted FROM (VALUES (INTERVAL '1 day'), (NULL), (INTERVAL '2 days')) v(x);

-- Errors
SELECT pm_test.error_of(q) AS error FROM unnest(ARRAY[
    $$SELECT platform_metrics.ttv_sketch(x, 0.2) FROM (VALUES (INTERVAL '1 day')) v(x)$$,
    $$SELECT platform_metrics.ttv_sketch(x, 0.00001) FROM (VALUES (INTERVAL '1 day')) v(x)$$,
    $$SELECT platform_metrics.ttv_sketch(x, 'NaN'::float8) FROM (VALUES (INTERVAL '1 day')) v(x)$$,
    $$SELECT platform_metrics.ttv_sketch(x, NULL::float8) FROM (VALUES (INTERVAL '1 day')) v(x)$$,
    $$SELECT platform_metrics.ttv_sketch(x, a) FROM (VALUES (INTERVAL '1 day', 0.01), (INTERVAL '2 days', 0.02)) v(x, a)$$,
    $$SELECT platform_metrics.ttv_sketch(x) FROM (VALUES (INTERVAL '-1 day')) v(x)$$,
    $$SELECT platform_metrics.rollup(s) FROM (SELECT platform_metrics.ttv_sketch(x, 0.01) s FROM (VALUES (INTERVAL '1 day')) v(x)
                                              UNION ALL SELECT platform_metrics.ttv_sketch(x, 0.02) FROM (VALUES (INTERVAL '1 day')) v(x)) u$$,
    $$SELECT platform_metrics.ttv_percentile(platform_metrics.ttv_sketch(x), 2) FROM (VALUES (INTERVAL '1 day')) v(x)$$
  ]) q;

-- Text form: lossless, and malformed text is refused
SELECT count(*) AS sketches, count(*) FILTER (WHERE s::text::ttv_sketch = s) AS text_round_trips
  FROM (SELECT ttv_sketch(ttv, a) AS s FROM durations, unnest(ARRAY[0.0001, 0.01, 0.1]) a GROUP BY kind, a) x;
SELECT pm_test.error_of(format('SELECT %L::platform_metrics.ttv_sketch', t)) AS error
  FROM unnest(ARRAY[
    'accuracy=0.01 count=2 zeros=0 min=60 max=3600 sum=3660',
    'accuracy=0.5 count=2 zeros=0 min=60 max=3600 sum=3660 buckets=896:1,1101:1',
    'accuracy=0.01 count=3 zeros=0 min=60 max=3600 sum=3660 buckets=896:1,1101:1',
    'accuracy=0.01 count=2 zeros=0 min=60 max=3600 sum=3660 buckets=1101:1,896:1',
    'accuracy=0.01 count=2 zeros=0 min=60 max=3600 sum=99999 buckets=896:1,1101:1',
    'accuracy=0.01 count=2 zeros=0 min=60 max=3600 sum=3660 buckets=896:1,1200:1',
    'accuracy=0.01 count=2 zeros=1 min=60 max=3600 sum=3660 buckets=896:1,1101:1',
    'accuracy=0.01 count=2 zeros=0 min=60 max=3600 sum=3660 buckets=896:0,1101:2',
    'accuracy=0.01 count=2 zeros=0 min=60 max=3600 sum=3660 buckets=896:1,1101:1 extra=1',
    'accuracy=0.01 count=2 zeros=0 min=60 max=3600 sum=3660 buckets=896:1,1101:1,',
    'accuracy=0.01 count=2 zeros=1 min=0 max=0 sum=0 buckets=0:1']) t;
-- Values at the limits: the longest interval, and a count near 2^63
SELECT ttv_percentile(s, ARRAY[0, 0.5, 1]) AS p, ttv_max(s) AS max
  FROM (SELECT ttv_sketch(x) AS s FROM (VALUES (INTERVAL '2562047788:00:54.775807'), (INTERVAL '1 second')) v(x)) t;
SELECT ttv_percentile('accuracy=0.01 count=9223372036854775807 zeros=9223372036854775806 min=0 max=1 sum=1 buckets=691:1'::ttv_sketch,
                      ARRAY[0, 0.5, 1]) AS p;
-- only NULL durations: still NULL, but a bad accuracy is still refused
SELECT ttv_sketch(NULL::interval, 0.01) IS NULL AS only_nulls;
SELECT pm_test.error_of($$SELECT platform_metrics.ttv_sketch(NULL::interval, 0.5)$$) AS error;
-- Binary form: well-formed bytes from ttv_sketch_send, then mutated
CREATE TEMP TABLE good AS
SELECT ttv_sketch_send(ttv_sketch(x)) AS b FROM (VALUES (INTERVAL '1 minute'), (INTERVAL '1 hour')) v(x);
CREATE TEMP TABLE recv_cases AS SELECT what, bytes
  FROM good, LATERAL (VALUES
    ('well-formed', b),
    ('version 2', set_byte(b, 0, 2)),
    ('accuracy 0.5', overlay(b PLACING float8send(0.5) FROM 2)),
    ('count 3', set_byte(b, 16, 3)),
    ('truncated', substring(b FROM 1 FOR length(b) - 1)),
    ('trailing byte', b || '\x00'::bytea),
    ('nbuckets 1', set_byte(b, 76, 1)),
    ('empty', '\x'::bytea)) v(what, bytes);
\set recv_type platform_metrics.ttv_sketch
\i test/recv.psql
SELECT what, v::text AS received FROM recv_into ORDER BY recv_n;
DROP TABLE recv_cases, recv_into;
-- binary COPY round trip
CREATE TEMP TABLE sk_copy AS SELECT kind, ttv_sketch(ttv) AS s FROM durations GROUP BY kind;
\copy sk_copy TO 'results/ttv_sketch.bin' WITH (FORMAT binary)
CREATE TEMP TABLE sk_back (LIKE sk_copy);
\copy sk_back FROM 'results/ttv_sketch.bin' WITH (FORMAT binary)
SELECT count(*) AS rows, count(*) FILTER (WHERE a.s = b.s) AS equal FROM sk_copy a JOIN sk_back b USING (kind);

-- Forced parallel plan: Partial Aggregate, same sketch as serial
CREATE UNLOGGED TABLE par_durations AS SELECT * FROM durations, generate_series(1, 10);
ANALYZE par_durations;
CREATE TEMP TABLE serial_sk AS SELECT ttv_sketch(ttv) AS s FROM par_durations;
SELECT pm_test.force_parallel();
EXPLAIN (COSTS OFF) SELECT ttv_sketch(ttv) FROM par_durations;
SELECT ttv_sketch(ttv) = (SELECT s FROM serial_sk) AS parallel_equals_serial FROM par_durations;
RESET ALL;
SET search_path = public, platform_metrics;
DROP TABLE par_durations;

-- Bucket indexes at their boundaries, at every accuracy.  The bucket of x
-- microseconds is ceil(ln(x) * c), c = 1 / ln(g), g = (1 + a) / (1 - a) as the
-- C code computes them in double precision (at 0.01% the last bits of c move
-- buckets near 2^63 by 1e-7), here in float8 too and then ln(x) * c in
-- numeric to 40 decimals, for x just below, at and just above g^k, k over the
-- whole range (1 us to 2^63 - 1 us: every k at 1% and coarser, a sample of
-- 3,000 at finer accuracies), and every x up to 300.  The sketch looks most
-- buckets up in a table filled from logarithms (src/ttv_sketch.c, "The bucket
-- index by table"): each x is counted by a sketch of its own, in one query per
-- accuracy, and also all by one aggregate (a subquery's) whose accuracy
-- changes on every row: there it soon computes logarithms instead, the other
-- path.
-- Compared are the x whose ln(x) * c lies farther than 1e-9 from a whole
-- number n; closer, a double logarithm cannot tell, and the bucket must be n
-- or n + 1 (either is within the accuracy).
CREATE TEMP TABLE boundary_values AS
WITH acc AS (SELECT a, ln(((1 + a::numeric) / (1 - a::numeric))::numeric(60, 40)) AS lng,
                    (1 / ln((1 + a) / (1 - a)))::text::numeric AS c
               FROM unnest(ARRAY[0.0001, 0.001, 0.0039, 0.004, 0.01, 0.02, 0.05, 0.1]::float8[]) a),
     ks AS (SELECT a, lng, c, k
              FROM acc, LATERAL (SELECT ceil(ln(9223372036854775807::numeric(60, 40)) / lng)::int AS kmax) m,
                   generate_series(1, kmax, CASE WHEN a >= 0.01 THEN 1 ELSE greatest(1, kmax / 3000) END) k)
SELECT DISTINCT a, c, x
  FROM (SELECT a, c, floor(exp(k * lng)) + d AS x FROM ks, generate_series(-1, 1) d
        UNION ALL
        SELECT a, c, x FROM acc, generate_series(1, 300) x) v
 WHERE x BETWEEN 1 AND 9223372036854775807;
ALTER TABLE boundary_values ADD COLUMN ttv interval, ADD COLUMN q numeric;
UPDATE boundary_values
   SET ttv = make_interval(days => (div(x, 86400000000))::int, secs => (mod(x, 86400000000) / 1000000)::float8),
       q = ln(x::numeric(60, 40)) * c;
CREATE FUNCTION pm_test.sketch_bucket(s ttv_sketch) RETURNS int LANGUAGE sql IMMUTABLE
    AS $$ SELECT substring(s::text FROM 'buckets=(-?[0-9]+):1$')::int $$;
CREATE FUNCTION pm_test.buckets_per_accuracy() RETURNS TABLE (a float8, x numeric, bucket int)
LANGUAGE plpgsql AS $$
DECLARE
    acc float8;
BEGIN
    FOR acc IN SELECT DISTINCT b.a FROM boundary_values b ORDER BY 1 LOOP
        RETURN QUERY SELECT acc, b.x, pm_test.sketch_bucket(ttv_sketch(b.ttv, acc))
                       FROM boundary_values b WHERE b.a = acc GROUP BY b.x;
    END LOOP;
END $$;
-- (m is materialized so that its rows are counted in its own order, x then
-- the accuracy, not in the join's)
WITH m AS MATERIALIZED (
    SELECT v.a, v.x, (SELECT pm_test.sketch_bucket(ttv_sketch(t.ttv, t.a)) FROM (VALUES (v.ttv, v.a)) t(ttv, a)) AS bucket
      FROM (SELECT * FROM boundary_values ORDER BY x, a) v)
SELECT b.a AS accuracy, count(*) AS values_, count(*) FILTER (WHERE abs(b.q - round(b.q)) > 1e-9) AS compared,
       count(*) FILTER (WHERE abs(b.q - round(b.q)) > 1e-9 AND s.bucket <> ceil(b.q)) AS wrong_bucket,
       count(*) FILTER (WHERE abs(b.q - round(b.q)) <= 1e-9 AND s.bucket NOT IN (round(b.q), round(b.q) + 1)) AS not_a_neighbour,
       count(*) FILTER (WHERE s.bucket IS DISTINCT FROM m.bucket) AS paths_differ
  FROM boundary_values b
  JOIN pm_test.buckets_per_accuracy() s USING (a, x)
  JOIN m USING (a, x)
 GROUP BY b.a ORDER BY b.a;
DROP FUNCTION pm_test.buckets_per_accuracy(), pm_test.sketch_bucket(ttv_sketch);
DROP TABLE boundary_values;
