-- The + operator (1.1): a + b equals rollup() of the two, and equals the
-- aggregate over both halves' raw rows.
SET search_path = public, platform_metrics;

-- nps_summary: counts add (3+1 promoters, 1+0 passives, 1+2 detractors)
SELECT 'promoters=3 passives=1 detractors=1'::nps_summary
     + 'promoters=1 passives=0 detractors=2'::nps_summary AS s;
SELECT 'promoters=0 passives=0 detractors=0'::nps_summary + 'promoters=0 passives=0 detractors=0'::nps_summary AS empty;
SELECT NULL::nps_summary + 'promoters=1 passives=0 detractors=0'::nps_summary IS NULL AS null_propagates;
SELECT pm_test.error_of($$SELECT 'promoters=9223372036854775807 passives=0 detractors=0'::nps_summary
                              + 'promoters=1 passives=0 detractors=0'::nps_summary$$);

CREATE TEMP TABLE halves AS
SELECT i, i % 2 AS half, (i * 7) % 11 AS score,
       make_interval(secs => (i * 7919) % 100000 + 1) AS ttv,
       '2026-01-01'::timestamptz + (i % 50) * interval '1 day' AS started_at,
       CASE WHEN i % 5 <> 0 THEN '2026-01-01'::timestamptz + (i % 50) * interval '1 day'
                                 + (i % 13) * interval '1 hour' END AS reached_at,
       'm' || (i % 97) AS member,
       '2026-01-05'::timestamptz + (i % 60) * interval '1 day' AS active_at
  FROM generate_series(1, 2000) i;

CREATE TEMP TABLE parts AS
SELECT half, nps_summary(score) AS s, ttv_sketch(ttv) AS k,
       ttv_curve(started_at, reached_at, '2026-04-01') AS c,
       churn_cohort(member, active_at, '1 week') AS m
  FROM halves GROUP BY half;

CREATE TEMP TABLE whole AS
SELECT nps_summary(score) AS s, ttv_sketch(ttv) AS k,
       ttv_curve(started_at, reached_at, '2026-04-01') AS c,
       churn_cohort(member, active_at, '1 week') AS m
  FROM halves;

-- each sum equals the whole, in either order, and equals rollup() (expect t everywhere)
SELECT a.s + b.s = w.s AS nps_sum, b.s + a.s = w.s AS nps_commutes,
       a.k + b.k = w.k AS sketch_sum, b.k + a.k = (SELECT rollup(k) FROM parts) AS sketch_rollup,
       a.c + b.c = w.c AS curve_sum, b.c + a.c = (SELECT rollup(c) FROM parts) AS curve_rollup,
       a.m + b.m = w.m AS cohort_sum, b.m + a.m = (SELECT rollup(m) FROM parts) AS cohort_rollup
  FROM parts a, parts b, whole w WHERE a.half = 0 AND b.half = 1;

-- the merged sketch is compact: its text and size are the aggregate's (the
-- bare combine function leaves spare room)
SELECT (a.k + b.k)::text = w.k::text AS same_text,
       pg_column_size(a.k + b.k) = (SELECT pg_column_size(ttv_sketch(ttv)) FROM halves) AS same_size,
       pg_column_size(ttv_sketch_combine(a.k, b.k)) > pg_column_size(a.k + b.k) AS combine_has_room
  FROM parts a, parts b, whole w WHERE a.half = 0 AND b.half = 1;

-- operands are not modified by a direct call
SELECT s, s + s AS doubled, s FROM (SELECT 'promoters=1 passives=2 detractors=3'::nps_summary AS s) x;
SELECT ttv_count(k) AS before, ttv_count(k + k) AS merged, ttv_count(k) AS after FROM parts WHERE half = 0;

-- an UPDATE that adds a new week's summary to a running total
CREATE TEMP TABLE nps_running AS SELECT s FROM parts WHERE half = 0;
UPDATE nps_running SET s = s + (SELECT s FROM parts WHERE half = 1);
SELECT r.s = w.s AS running_total_is_whole FROM nps_running r, whole w;

-- incompatible operands
SELECT pm_test.error_of($$SELECT ttv_sketch('1 hour'::interval, 0.01) + ttv_sketch('1 hour'::interval, 0.02)$$);
SELECT pm_test.error_of($$SELECT churn_cohort('a', '2026-01-01'::timestamptz, '1 week')
                              + churn_cohort('a', '2026-01-01'::timestamptz, '1 day')$$);
