-- make bench: our functions against the SQL a user would otherwise write, timed
-- side by side in one run.  Each set of queries runs alternately (rotating the
-- order every round) after a warm-up; the median of the rounds is reported.
-- Run by test/harness.sh with -v rows=N on a throwaway cluster.
\set ON_ERROR_STOP on
\pset footer off
SET client_min_messages = warning;
CREATE EXTENSION platform_metrics;
SET search_path = public, platform_metrics;
SET max_parallel_workers_per_gather = 0;   -- serial plans: compare the work, not the workers
SET jit = off;

-- time_queries(queries, rounds): median milliseconds of each query, in order.
CREATE FUNCTION time_queries(queries text[], rounds int) RETURNS float8[] LANGUAGE plpgsql AS $$
DECLARE
    n int := array_length(queries, 1);
    t0 timestamptz;
    result float8[];
BEGIN
    CREATE TEMP TABLE IF NOT EXISTS bench_times (q int, ms float8);
    TRUNCATE bench_times;
    FOR i IN 1..n LOOP
        EXECUTE queries[i];                      -- warm-up: caches, plans
    END LOOP;
    FOR r IN 0..rounds - 1 LOOP
        FOR k IN 0..n - 1 LOOP
            DECLARE
                i int := (k + r) % n + 1;        -- rotate who goes first
            BEGIN
                t0 := clock_timestamp();
                EXECUTE queries[i];
                INSERT INTO bench_times VALUES (i, extract(epoch FROM clock_timestamp() - t0) * 1000);
            END;
        END LOOP;
    END LOOP;
    SELECT array_agg(m ORDER BY q) INTO result
      FROM (SELECT q, percentile_cont(0.5) WITHIN GROUP (ORDER BY ms) AS m FROM bench_times GROUP BY q) s;
    RETURN result;
END $$;

\echo == building :rows deterministic scores (0..10)
SELECT setseed(0.42) \gset
CREATE TABLE scores AS
SELECT i AS id, (random() * 10.49)::int AS score FROM generate_series(1, :rows) i;
VACUUM (FREEZE, ANALYZE) scores \g /dev/null
CREATE TABLE scores_window AS SELECT * FROM scores WHERE id <= 1000000;
VACUUM (FREEZE, ANALYZE) scores_window \g /dev/null
SELECT count(*) AS rows, pg_size_pretty(pg_table_size('scores')) AS size FROM scores;

\echo
\echo == NPS aggregate, serial plan, median of 7 rounds
SELECT m[1] AS nps_ms, m[2] AS count_ms, m[3] AS filter_expression_ms
  FROM (SELECT time_queries(ARRAY[
      'SELECT nps(score) FROM scores',
      'SELECT count(score) FROM scores',
      'SELECT 100.0 * (count(*) FILTER (WHERE score >= 9) - count(*) FILTER (WHERE score <= 6)) / count(score) FROM scores'
  ], 7) AS m) t \gset
\echo == 30-row moving window over 1M rows, median of 5 rounds
SELECT m[1] AS wnps_ms, m[2] AS wcount_ms
  FROM (SELECT time_queries(ARRAY[
      'SELECT max(w) FROM (SELECT nps(score) OVER (ORDER BY id ROWS BETWEEN 29 PRECEDING AND CURRENT ROW) AS w FROM scores_window) s',
      'SELECT max(w) FROM (SELECT count(score) OVER (ORDER BY id ROWS BETWEEN 29 PRECEDING AND CURRENT ROW) AS w FROM scores_window) s'
  ], 5) AS m) t \gset

\echo
SELECT comparison, round(ours::numeric, 1) AS ours_ms, round(theirs::numeric, 1) AS baseline_ms,
       round((ours / theirs)::numeric, 3) AS ratio, target,
       CASE WHEN ours / theirs <= limit_ THEN 'yes' ELSE 'NO' END AS met
  FROM (VALUES
    ('nps(score) / count(score), ' || :rows || ' rows', :nps_ms::float8, :count_ms::float8, '<= 1.10', 1.10::float8),
    ('nps(score) / FILTER expression, ' || :rows || ' rows', :nps_ms, :filter_expression_ms, '< 1.00', 0.999999),
    ('moving nps / moving count, 30 rows over ' || least(:rows, 1000000) || ' rows', :wnps_ms, :wcount_ms, '<= 3.00', 3.0)
  ) v(comparison, ours, theirs, target, limit_);
