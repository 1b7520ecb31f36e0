-- make bench: our functions against the SQL a user would otherwise write, timed
-- side by side in one run.  Each set of queries runs alternately (rotating the
-- order every round) after a warm-up; the median of the rounds is reported.
-- Run by test/harness.sh with -v rows=N on a throwaway cluster.
\set ON_ERROR_STOP on
\pset footer off
SET client_min_messages = warning;
CREATE EXTENSION platform_metrics;
CREATE EXTENSION tdigest;            -- the peer extension we compare the sketch with
SET search_path = public, platform_metrics;
SET max_parallel_workers_per_gather = 0;   -- serial plans: compare the work, not the workers
SET jit = off;

\ir time_queries.sql

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

\echo == building :rows deterministic answers to a 1..5 survey item
SELECT setseed(0.44) \gset
CREATE TABLE answers AS
SELECT i AS id, 1 + floor(random() * 5)::int AS score FROM generate_series(1, :rows) i;
VACUUM (FREEZE, ANALYZE) answers \g /dev/null
SELECT (SELECT favorable_share(likert_summary(score, 1, 5), 4) FROM answers)
     = (SELECT count(*) FILTER (WHERE score >= 4)::float8 / count(score) FROM answers)
       AS favorable_share_identical_to_filter_expression;
\echo == likert_summary aggregate, serial plan, median of 7 rounds
SELECT m[1] AS likert_ms, m[2] AS count_answers_ms, m[3] AS favorable_ms, m[4] AS favorable_filter_ms
  FROM (SELECT time_queries(ARRAY[
      'SELECT likert_summary(score, 1, 5) FROM answers',
      'SELECT count(score) FROM answers',
      'SELECT favorable_share(likert_summary(score, 1, 5), 4) FROM answers',
      'SELECT count(*) FILTER (WHERE score >= 4)::float8 / count(score) FROM answers'
  ], 7) AS m) t \gset


\echo == building :rows deterministic log-normal durations (median 4 days), 10% still onboarding
SELECT setseed(0.43) \gset
CREATE TABLE onboarding AS
SELECT started_at, started_at + ttv AS reached_at_all, ttv,
       CASE WHEN i % 10 = 0 THEN NULL ELSE started_at + ttv END AS reached_at
  FROM (SELECT i, TIMESTAMPTZ '2026-01-01 00:00+00' + (i % 525600) * INTERVAL '1 minute' AS started_at,
               exp(ln(345600) + sqrt(-2 * ln(1 - random())) * cos(2 * pi() * random())) * INTERVAL '1 second' AS ttv
          FROM generate_series(1, :rows) i) x;
VACUUM (FREEZE, ANALYZE) onboarding \g /dev/null
SELECT pg_size_pretty(pg_table_size('onboarding')) AS onboarding_size;

\echo == exact percentile against percentile_cont, serial plan, median of 3 rounds
SELECT m[1] AS exact_ms, m[2] AS percentile_cont_ms, m[3] AS exact_array_ms, m[4] AS percentile_cont_array_ms
  FROM (SELECT time_queries(ARRAY[
      'SELECT ttv_percentile(ttv, 0.9) FROM onboarding',
      'SELECT percentile_cont(0.9) WITHIN GROUP (ORDER BY ttv) FROM onboarding',
      'SELECT ttv_percentile(ttv, ARRAY[0.1, 0.25, 0.5, 0.75, 0.9]) FROM onboarding',
      'SELECT percentile_cont(ARRAY[0.1, 0.25, 0.5, 0.75, 0.9]) WITHIN GROUP (ORDER BY ttv) FROM onboarding'
  ], 3) AS m) t \gset
SELECT (SELECT ttv_percentile(ttv, ARRAY[0.1, 0.25, 0.5, 0.75, 0.9]) FROM onboarding)
     = (SELECT percentile_cont(ARRAY[0.1, 0.25, 0.5, 0.75, 0.9]) WITHIN GROUP (ORDER BY ttv) FROM onboarding)
       AS array_form_identical_to_percentile_cont;
\echo == sketch against count(ttv) and tdigest, censoring-aware against exact, median of 5 rounds
SELECT m[1] AS sketch_ms, m[2] AS count_ttv_ms, m[3] AS tdigest_ms, m[4] AS km_ms, m[5] AS exact2_ms, m[6] AS curve_ms
  FROM (SELECT time_queries(ARRAY[
      'SELECT ttv_percentile(ttv_sketch(ttv), 0.9) FROM onboarding',
      'SELECT count(ttv) FROM onboarding',
      'SELECT tdigest_percentile(extract(epoch FROM ttv), 100, 0.9) FROM onboarding',
      'SELECT ttv_percentile(started_at, reached_at, 0.9, ''2030-01-01'') FROM onboarding',
      'SELECT ttv_percentile(ttv, 0.9) FROM onboarding',
      'SELECT ttv_percentile(ttv_curve(started_at, reached_at, ''2030-01-01''), 0.9) FROM onboarding'
  ], 5) AS m) t \gset
SELECT (SELECT ttv_percentile(ttv_curve(started_at, reached_at, '2030-01-01'), 0.9) FROM onboarding)
     = (SELECT ttv_percentile(started_at, reached_at, 0.9, '2030-01-01') FROM onboarding)
       AS curve_percentile_identical_to_censoring_aware;
-- the same on a table of the one column: the aggregate's own cost, not the wider rows' deforming
CREATE TABLE onboarding_ttv AS SELECT ttv FROM onboarding;
VACUUM (FREEZE, ANALYZE) onboarding_ttv \g /dev/null
\echo == sketch against count(ttv) on a one-column table, median of 5 rounds
SELECT m[1] AS sketch1_ms, m[2] AS count_ttv1_ms
  FROM (SELECT time_queries(ARRAY[
      'SELECT ttv_percentile(ttv_sketch(ttv), 0.9) FROM onboarding_ttv',
      'SELECT count(ttv) FROM onboarding_ttv'
  ], 5) AS m) t \gset

\echo == building 5M usage events from 20,000 members over two years (weekly cohorts)
SET TimeZone = 'UTC';
SELECT setseed(0.45) \gset
CREATE TABLE usage_events AS
SELECT 'team-' || m AS member,
       TIMESTAMPTZ '2024-01-01' + (joined + random() * (730 - joined)) * INTERVAL '1 day' AS active_at
  FROM (SELECT (random() * 19999)::int AS m FROM generate_series(1, 5000000)) e
  JOIN (SELECT m, random() * 700 AS joined FROM generate_series(0, 19999) m) j USING (m);
VACUUM (FREEZE, ANALYZE) usage_events \g /dev/null
-- the plain SQL an analyst writes: first-activity CTE, bucketing, GROUP BY cohort and offset
CREATE VIEW plain_retention AS
WITH buckets AS (SELECT member, date_trunc('week', active_at) AS week FROM usage_events GROUP BY 1, 2),
     first_seen AS (SELECT member, min(week) AS cohort FROM buckets GROUP BY 1)
SELECT f.cohort, (b.week::date - f.cohort::date) / 7 AS period_offset, count(*) AS active
  FROM buckets b JOIN first_seen f USING (member)
 GROUP BY 1, 2;
SELECT count(*) FILTER (WHERE p.active IS DISTINCT FROM r.active) AS differences, count(*) AS cells
  FROM plain_retention p
  FULL JOIN (SELECT cohort_start, period_offset, active
               FROM cohort_rows((SELECT churn_cohort(member, active_at, '1 week') FROM usage_events), '2026-01-01')
              WHERE active > 0) r
    ON r.cohort_start = p.cohort AND r.period_offset = p.period_offset;
SELECT pg_size_pretty(pg_column_size(churn_cohort(member, active_at, '1 week'))::bigint) AS matrix_size
  FROM usage_events;
\echo == churn_cohort + cohort_rows against the plain SQL, median of 3 rounds, serial and with 2 parallel workers each
SELECT m[1] AS cohort_ms, m[2] AS plain_cohort_ms, m[3] AS count_ts_ms
  FROM (SELECT time_queries(ARRAY[
      'SELECT count(*) FROM cohort_rows((SELECT churn_cohort(member, active_at, ''1 week'') FROM usage_events), ''2026-01-01'')',
      'SELECT count(*) FROM plain_retention',
      'SELECT count(active_at) FROM usage_events'
  ], 3) AS m) t \gset
SET max_parallel_workers_per_gather = 2;
SELECT m[1] AS cohort_par_ms, m[2] AS plain_cohort_par_ms
  FROM (SELECT time_queries(ARRAY[
      'SELECT count(*) FROM cohort_rows((SELECT churn_cohort(member, active_at, ''1 week'') FROM usage_events), ''2026-01-01'')',
      'SELECT count(*) FROM plain_retention'
  ], 3) AS m) t \gset
SET max_parallel_workers_per_gather = 0;
SELECT m[1] AS scan_ms FROM (SELECT time_queries(ARRAY['SELECT count(member) FROM usage_events'], 3) AS m) t \gset

\echo
SELECT comparison, round(ours::numeric, 1) AS ours_ms, round(theirs::numeric, 1) AS baseline_ms,
       round((ours / theirs)::numeric, 3) AS ratio, target,
       CASE WHEN ours / theirs <= limit_ THEN 'yes' ELSE 'NO' END AS met
  FROM (VALUES
    ('nps(score) / count(score)', :nps_ms::float8, :count_ms::float8, '<= 1.10', 1.10::float8),
    ('nps(score) / FILTER expression', :nps_ms, :filter_expression_ms, '< 1.00', 0.999999),
    ('moving nps / moving count, 30 rows', :wnps_ms, :wcount_ms, '<= 3.00', 3.0),
    ('likert_summary(score, 1, 5) / count(score)', :likert_ms, :count_answers_ms, '<= 1.10', 1.10),
    ('favorable_share(likert_summary) / FILTER expression', :favorable_ms, :favorable_filter_ms, '< 1.00', 0.999999),
    ('exact ttv_percentile / percentile_cont', :exact_ms, :percentile_cont_ms, '<= 0.20', 0.2),
    ('the same, five percentiles (array form)', :exact_array_ms, :percentile_cont_array_ms, '<= 0.17', 1 / 6.0),
    ('ttv_percentile(ttv_sketch) / count(ttv)', :sketch_ms, :count_ttv_ms, '<= 1.50', 1.5),
    ('the same, one-column table', :sketch1_ms, :count_ttv1_ms, '<= 1.25', 1.25),
    ('ttv_percentile(ttv_sketch) / tdigest_percentile', :sketch_ms, :tdigest_ms, '<= 0.33', 1 / 3.0),
    ('censoring-aware / exact ttv_percentile', :km_ms, :exact2_ms, '<= 2.00', 2.0),
    ('ttv_percentile(ttv_curve) / censoring-aware (a point per distinct time)', :curve_ms, :km_ms, '<= 1.50', 1.5),
    ('churn_cohort + cohort_rows / plain SQL, 5M events, serial', :cohort_ms, :plain_cohort_ms, '<= 0.067', 1 / 15.0),
    ('churn_cohort + cohort_rows / count(active_at), serial', :cohort_ms, :count_ts_ms, '<= 2.00', 2.0),
    ('the same, 2 parallel workers for both', :cohort_par_ms, :plain_cohort_par_ms, '<= 0.10', 0.1),
    ('(for reference: count(member) scan / plain SQL, serial)', :scan_ms, :plain_cohort_ms, '', 1e9)
  ) v(comparison, ours, theirs, target, limit_);

\echo
\echo == relative error against the exact percentiles (ours: 1% accuracy; tdigest: compression 100)
SELECT p, e AS exact, s AS sketch, round((abs(extract(epoch FROM s) - extract(epoch FROM e)) / extract(epoch FROM e))::numeric, 5) AS sketch_rel_error,
       round(((abs(t - extract(epoch FROM e)) / extract(epoch FROM e)))::numeric, 5) AS tdigest_rel_error
  FROM (SELECT ttv_percentile(ttv, ARRAY[0.5, 0.75, 0.9, 0.95, 0.99]) AS ea,
               ttv_percentile(ttv_sketch(ttv), ARRAY[0.5, 0.75, 0.9, 0.95, 0.99]) AS sa,
               tdigest_percentile(extract(epoch FROM ttv), 100, ARRAY[0.5, 0.75, 0.9, 0.95, 0.99]) AS ta
          FROM onboarding) x,
       unnest(ARRAY[0.5, 0.75, 0.9, 0.95, 0.99], ea, sa, ta) u(p, e, s, t);
