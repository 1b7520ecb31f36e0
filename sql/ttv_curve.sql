-- Censoring-aware time to value: Kaplan-Meier percentiles, ttv_curve, ttv_points.
SET search_path = public, platform_metrics;
SET extra_float_digits = 0;
-- Durations are elapsed time: in a zone with daylight saving, "a day" between
-- two local midnights can be 23 or 25 hours.  The data below is in whole days.
SET TimeZone = 'UTC';

-- Hand-worked: six teams start onboarding on 2026-01-01; observed on 2026-01-10.
--   reached after 1 day, 3 days, 3 days, 5 days; two are still on their way.
--   t = 1: 6 at risk, 1 reached: S = 5/6;  t = 3: 5 at risk, 2 reached: S = 3/6
--   t = 5: 3 at risk, 1 reached: S = 2/6;  the two others are censored at 9 days.
--   p = 0.5 -> 3 days (1 - S = 1/2); p = 0.6 -> 5 days (2/3); p = 0.9 -> NULL:
--   two thirds have arrived and the rest are still on their way, so the 90th
--   percentile is not known yet.  The naive median of those who arrived, 3 days,
--   would hide the two teams still stuck.
CREATE TEMP TABLE onb (team text, started_at timestamptz, reached_at timestamptz);
INSERT INTO onb VALUES
    ('a', '2026-01-01', '2026-01-02'), ('b', '2026-01-01', '2026-01-04'), ('c', '2026-01-01', '2026-01-04'),
    ('d', '2026-01-01', '2026-01-06'), ('e', '2026-01-01', NULL), ('f', '2026-01-01', NULL);
SELECT ttv_percentile(started_at, reached_at, 0.5, '2026-01-10') AS p50,
       ttv_percentile(started_at, reached_at, 0.6, '2026-01-10') AS p60,
       ttv_percentile(started_at, reached_at, 0.9, '2026-01-10') AS p90,
       ttv_percentile(started_at, reached_at, ARRAY[0.5, NULL, 0.9], '2026-01-10') AS as_array
  FROM onb;
-- Observed on 2026-01-05 instead: d (reached on the 6th) is still on its way then.
--   t = 1: S = 5/6; t = 3: S = 3/6; d, e, f censored at 4 days: p = 0.6 unknown.
SELECT ttv_curve(started_at, reached_at, '2026-01-05') AS curve,
       ttv_percentile(started_at, reached_at, 0.6, '2026-01-05') AS p60
  FROM onb;
SELECT * FROM ttv_points((SELECT ttv_curve(started_at, reached_at, '2026-01-10') FROM onb));

-- The textbook example: remission times (weeks) of the 6-MP group of Freireich
-- et al. (1963), as in Kleinbaum & Klein, Survival Analysis, table 2.  A "+"
-- marks a censored time:  6 6 6 6+ 7 9+ 10 10+ 11+ 13 16 17+ 19+ 20+ 22 23 25+
-- 32+ 32+ 34+ 35+.  Published S(t): 0.857 0.807 0.753 0.690 0.627 0.538 0.448 at
-- t = 6 7 10 13 16 22 23; median 23 weeks.  Weeks are written as days here; a
-- censored subject started (as_of - its time) and has not arrived.
CREATE TEMP TABLE mp6 AS
SELECT CASE WHEN censored THEN TIMESTAMPTZ '2026-06-01' - weeks * INTERVAL '1 day'
            ELSE TIMESTAMPTZ '2026-01-01' END AS started_at,
       CASE WHEN censored THEN NULL ELSE TIMESTAMPTZ '2026-01-01' + weeks * INTERVAL '1 day' END AS reached_at
  FROM (VALUES (6, false), (6, false), (6, false), (6, true), (7, false), (9, true), (10, false), (10, true),
               (11, true), (13, false), (16, false), (17, true), (19, true), (20, true), (22, false),
               (23, false), (25, true), (32, true), (32, true), (34, true), (35, true)) v(weeks, censored);
SELECT time_to_value, at_risk, reached, censored, round(survival::numeric, 3) AS survival
  FROM ttv_points((SELECT ttv_curve(started_at, reached_at, '2026-06-01') FROM mp6))
 WHERE reached > 0;
SELECT ttv_percentile(started_at, reached_at, 0.5, '2026-06-01') AS median FROM mp6;

-- Against a plain-SQL Kaplan-Meier (product of 1 - d/n over distinct times,
-- Greenwood's sum, the log(-log) interval) on 40 pseudo-random groups with
-- whole-day durations (many ties) and a third of the subjects censored.
SELECT setseed(0.61);
CREATE TEMP TABLE cohort AS
SELECT grp, dur, censored,
       CASE WHEN censored THEN TIMESTAMPTZ '2026-09-01' - dur * INTERVAL '1 day'
            ELSE TIMESTAMPTZ '2026-01-01' + (random() * 30)::int * INTERVAL '1 day' END AS started_at
  FROM (SELECT grp, (random() * 60)::int AS dur, random() < 0.33 AS censored
          FROM generate_series(1, 40) grp, generate_series(1, 5 + (grp * 13) % 90)) x;
ALTER TABLE cohort ADD reached_at timestamptz;
UPDATE cohort SET reached_at = started_at + dur * INTERVAL '1 day' WHERE NOT censored;

CREATE TEMP TABLE ref_km AS
WITH times AS (
    SELECT grp, dur AS t, count(*) FILTER (WHERE NOT censored) AS d, count(*) FILTER (WHERE censored) AS c
      FROM cohort GROUP BY grp, dur),
risk AS (
    SELECT *, sum(d + c) OVER (PARTITION BY grp ORDER BY t DESC) AS n FROM times)
SELECT grp, t, d, c, n,
       CASE WHEN bool_or(d = n AND d > 0) OVER w THEN 0
            ELSE exp(coalesce(sum(CASE WHEN d > 0 AND d < n THEN ln(1 - d::float8 / n) END) OVER w, 0)) END AS s,
       coalesce(sum(CASE WHEN d > 0 AND d < n THEN d::float8 / (n * (n - d)) END) OVER w, 0) AS gw
  FROM risk WINDOW w AS (PARTITION BY grp ORDER BY t);
ALTER TABLE ref_km ADD low float8, ADD high float8;
UPDATE ref_km SET low = CASE WHEN s >= 1 THEN 1 WHEN s > 0 THEN s ^ exp(1.9599639845400538 * sqrt(gw) / abs(ln(s))) END,
                  high = CASE WHEN s >= 1 THEN 1 WHEN s > 0 THEN s ^ exp(-1.9599639845400538 * sqrt(gw) / abs(ln(s))) END;

CREATE TEMP TABLE curves AS
SELECT grp, ttv_curve(started_at, reached_at, '2026-09-01') AS curve FROM cohort GROUP BY grp;
SELECT count(*) AS points,
       count(*) FILTER (WHERE p.at_risk <> r.n OR p.reached <> r.d OR p.censored <> r.c) AS count_differences,
       count(*) FILTER (WHERE abs(p.survival - r.s) > 1e-12) AS survival_differences,
       count(*) FILTER (WHERE abs(p.survival_low - r.low) > 1e-9 OR abs(p.survival_high - r.high) > 1e-9
                           OR (p.survival_low IS NULL) <> (r.low IS NULL)) AS interval_differences
  FROM curves JOIN LATERAL ttv_points(curve) p ON true
  JOIN ref_km r ON r.grp = curves.grp AND r.t * INTERVAL '1 day' = p.time_to_value;
-- percentiles: the first time at which 1 - S(t) >= p, NULL if never
SELECT count(*) AS comparisons, count(*) FILTER (WHERE ours IS DISTINCT FROM theirs) AS differences,
       count(*) FILTER (WHERE ours IS NULL) AS not_known_yet
  FROM (SELECT grp, p,
               ttv_percentile(started_at, reached_at, p, '2026-09-01') AS ours,
               (SELECT min(t) FROM ref_km r WHERE r.grp = c.grp AND r.d > 0 AND 1 - r.s >= p - 1e-9) * INTERVAL '1 day' AS theirs
          FROM cohort c, unnest(ARRAY[0.1, 0.25, 0.5, 0.75, 0.9]) p GROUP BY grp, p) x;
-- the stored curve answers the same
SELECT count(*) AS comparisons,
       count(*) FILTER (WHERE ttv_percentile(curve, ARRAY[0.1, 0.25, 0.5, 0.75, 0.9]) IS DISTINCT FROM
                        (SELECT ttv_percentile(started_at, reached_at, ARRAY[0.1, 0.25, 0.5, 0.75, 0.9], '2026-09-01')
                           FROM cohort c WHERE c.grp = curves.grp)) AS differences
  FROM curves;
-- counts
SELECT sum(ttv_count(curve)) = (SELECT count(*) FROM cohort) AS started,
       sum(ttv_reached(curve)) = (SELECT count(*) FROM cohort WHERE NOT censored) AS reached,
       sum(ttv_censored(curve)) = (SELECT count(*) FROM cohort WHERE censored) AS censored
  FROM curves;

-- With nothing censored, the result equals percentile_disc exactly
-- (durations to the microsecond, ties, and p such as 0.57 where p * n is inexact).
SELECT setseed(0.62);
CREATE TEMP TABLE done AS
SELECT grp, TIMESTAMPTZ '2026-01-01' + (random() * 1e6)::int * INTERVAL '1 second' AS started_at,
       CASE WHEN random() < 0.3 THEN (random() * 5)::int * INTERVAL '1 day'
            ELSE make_interval(secs => random() * 1e6) END AS ttv
  FROM generate_series(1, 50) grp, generate_series(1, 1 + (grp * 7) % 200);
SELECT count(*) AS comparisons, count(*) FILTER (WHERE ours IS DISTINCT FROM theirs) AS differences
  FROM (SELECT grp, p, ttv_percentile(started_at, started_at + ttv, p, '2030-01-01') AS ours,
               percentile_disc(p) WITHIN GROUP (ORDER BY (started_at + ttv) - started_at) AS theirs
          FROM done, unnest(ARRAY[0, 0.01, 0.1, 0.25, 0.3, 0.5, 0.57, 0.7, 0.9, 0.99, 1]) p
         GROUP BY grp, p) x;

-- A tie on p after a censoring: one subject censored at 1 hour, 24 arriving at
-- 2, 3, ..., 25 hours.  At 13 hours S = (23/24)(22/23)...(12/13) = 12/24 = 1/2
-- exactly, though the product rounds to 0.5000000000000001: the median is 13 hours.
SELECT ttv_percentile(s, r, 0.5, '2026-01-10') AS median,
       ttv_percentile(ttv_curve(s, r, '2026-01-10'), 0.5) AS median_of_curve
  FROM (SELECT TIMESTAMPTZ '2026-01-10' - INTERVAL '1 hour' AS s, NULL::timestamptz AS r
        UNION ALL
        SELECT TIMESTAMPTZ '2026-01-01', TIMESTAMPTZ '2026-01-01' + k * INTERVAL '1 hour'
          FROM generate_series(2, 25) k) x;
-- Counts near the limits compare in integers: all but one subject arrived, so
-- the 100th percentile is not known.
SELECT ttv_percentile('1:4611686018427387903:0 2:4611686018427387903:1'::ttv_curve, 1) IS NULL AS p100_unknown,
       ttv_percentile('1:4611686018427387903:0 2:4611686018427387903:1'::ttv_curve, 0.5) AS p50;

-- rollup(): curves of disjoint groups merge into the curve of all of them
SELECT rollup(curve) = (SELECT ttv_curve(started_at, reached_at, '2026-09-01') FROM cohort) AS rollup_equal
  FROM curves;

-- as_of defaults to the transaction's start: a milestone dated later has not happened yet
SELECT ttv_percentile(s, r, 0.9) AS observed_now, ttv_percentile(s, r, 0.9, now() + INTERVAL '2 days') AS observed_later
  FROM (VALUES (now() - INTERVAL '3 days', now() - INTERVAL '2 days'),
               (now() - INTERVAL '3 days', now() + INTERVAL '1 day')) v(s, r);
-- NULL started_at rows are skipped; no rows give NULL; a NULL as_of means the default
SELECT ttv_percentile(started_at, reached_at, 0.5, '2026-01-10') AS p50 FROM
  (SELECT started_at, reached_at FROM onb UNION ALL SELECT NULL, '2026-01-02') x;
SELECT ttv_percentile(started_at, reached_at, 0.5) IS NULL AS no_rows,
       ttv_curve(started_at, reached_at) IS NULL AS no_curve FROM onb WHERE false;
SELECT ttv_percentile(s, r, 0.5, NULL) = ttv_percentile(s, r, 0.5) AS null_as_of_is_default
  FROM (VALUES (now() - INTERVAL '3 days', now() - INTERVAL '2 days')) v(s, r);

-- Errors
SELECT pm_test.error_of(q) AS error FROM unnest(ARRAY[
    $$SELECT platform_metrics.ttv_percentile(s, r, 0.5, '2026-01-10') FROM (VALUES (TIMESTAMPTZ '2026-01-05 12:00+00', TIMESTAMPTZ '2026-01-04 08:00+00')) v(s, r)$$,
    $$SELECT platform_metrics.ttv_percentile(s, r, 0.5, '2026-01-10') FROM (VALUES (TIMESTAMPTZ '2026-02-01 00:00+00', NULL::timestamptz)) v(s, r)$$,
    $$SELECT platform_metrics.ttv_percentile(s, r, 1.5, '2026-01-10') FROM (VALUES (TIMESTAMPTZ '2026-01-01', TIMESTAMPTZ '2026-01-02')) v(s, r)$$,
    $$SELECT platform_metrics.ttv_percentile(s, r, 0.5, a) FROM (VALUES ('2026-01-01'::timestamptz, '2026-01-02'::timestamptz, '2026-02-01'::timestamptz), ('2026-01-01', '2026-01-03', '2026-03-01')) v(s, r, a)$$,
    $$SELECT platform_metrics.ttv_percentile('promoters=1'::text::platform_metrics.ttv_curve, 0.5)$$,
    $$SELECT platform_metrics.ttv_points('86400:1:0', 1.0)$$
  ]) q;

-- Text and binary forms of ttv_curve
SELECT c::text::ttv_curve = c AS text_round_trip FROM curves c0, LATERAL (SELECT c0.curve AS c) x LIMIT 3;
SELECT '0:1:0 0.5:2:1 86400.000001:0:3'::ttv_curve;
SELECT pm_test.error_of(format('SELECT %L::platform_metrics.ttv_curve', t)) AS error
  FROM unnest(ARRAY['', '86400:1', '86400:1:0 3600:1:0', '86400:1:0 86400:1:0', '60:0:0', '60:-1:2',
                    '1.0000001:1:0', 'x:1:0', '60:1:0;']) t;
CREATE TEMP TABLE recv_cases AS SELECT what, bytes
  FROM (VALUES
    ('well-formed', '\x0100000001000000000000003c00000000000000010000000000000000'::bytea),
    ('version 2',   '\x0200000001000000000000003c00000000000000010000000000000000'),
    ('no points',   '\x0100000000'),
    ('short',       '\x0100000001000000000000003c000000000000000100000000'),
    ('empty point', '\x0100000001000000000000003c00000000000000000000000000000000')) v(what, bytes);
\set recv_type platform_metrics.ttv_curve
\i test/recv.psql
SELECT what, v::text AS received FROM recv_into ORDER BY recv_n;
DROP TABLE recv_cases, recv_into;

-- Forced parallel plans equal serial ones
CREATE UNLOGGED TABLE par_cohort AS SELECT grp % 4 AS g, started_at, reached_at FROM cohort, generate_series(1, 20);
ANALYZE par_cohort;
CREATE TEMP TABLE serial_km AS
SELECT g, ttv_percentile(started_at, reached_at, 0.5, '2026-09-01') AS p50, ttv_curve(started_at, reached_at, '2026-09-01') AS curve
  FROM par_cohort GROUP BY g;
SELECT pm_test.force_parallel();
SET enable_hashagg = off;
EXPLAIN (COSTS OFF) SELECT g, ttv_curve(started_at, reached_at, '2026-09-01') FROM par_cohort GROUP BY g;
SELECT count(*) AS groups, count(*) FILTER (WHERE p.p50 IS DISTINCT FROM s.p50 OR NOT p.curve = s.curve) AS differences
  FROM (SELECT g, ttv_percentile(started_at, reached_at, 0.5, '2026-09-01') AS p50,
               ttv_curve(started_at, reached_at, '2026-09-01') AS curve
          FROM par_cohort GROUP BY g) p JOIN serial_km s USING (g);
RESET ALL;
SET search_path = public, platform_metrics;
DROP TABLE par_cohort;
-- The state is a ttv_curve itself (1.8), kept while it is built as an
-- expanded object, one per group: a hash aggregate of many groups, each
-- group's points against plain SQL counts per distinct duration.
CREATE TEMP TABLE many AS
SELECT g, TIMESTAMPTZ '2026-01-01' + (i % 11) * INTERVAL '1 hour' AS started_at,
       CASE WHEN i % 4 = 0 THEN NULL
            ELSE TIMESTAMPTZ '2026-01-01' + (i % 11) * INTERVAL '1 hour' + ((i * 7 + g) % 23) * INTERVAL '1 day' END AS reached_at
  FROM generate_series(1, 300) g, generate_series(1, 40) i;
SET enable_sort = off;
EXPLAIN (COSTS OFF) SELECT g, ttv_curve(started_at, reached_at, '2026-02-01') FROM many GROUP BY g;
WITH agg AS (
    SELECT g, (ttv_points(ttv_curve(started_at, reached_at, '2026-02-01'))).* FROM many GROUP BY g),
plain AS (
    SELECT g, coalesce(least(reached_at, TIMESTAMPTZ '2026-02-01'), '2026-02-01') - started_at AS time_to_value,
           count(*) FILTER (WHERE reached_at <= '2026-02-01') AS reached,
           count(*) FILTER (WHERE reached_at IS NULL OR reached_at > '2026-02-01') AS censored
      FROM many GROUP BY 1, 2)
SELECT count(DISTINCT g) AS groups, count(*) AS points,
       count(*) FILTER (WHERE a.g IS NULL OR p.g IS NULL OR a.reached <> p.reached OR a.censored <> p.censored) AS differences
  FROM agg a FULL JOIN plain p USING (g, time_to_value);
RESET enable_sort;
-- a running (window) aggregate: each frame's curve counts its rows
SELECT count(*) AS frames,
       count(*) FILTER (WHERE ttv_count(c) <> n OR ttv_reached(c) <> r) AS differences
  FROM (SELECT ttv_curve(started_at, reached_at, '2026-02-01') OVER w AS c, count(*) OVER w AS n,
               count(reached_at) OVER w AS r
          FROM many WHERE g <= 3 WINDOW w AS (ORDER BY g, started_at, reached_at ROWS UNBOUNDED PRECEDING)) x;
-- rows without a start do not count; none at all is NULL, not an empty curve
SELECT ttv_curve(s, r, '2026-02-01') FILTER (WHERE s IS NULL) IS NULL AS only_null_starts,
       ttv_curve(s, r, '2026-02-01') AS with_one_start
  FROM (VALUES (NULL::timestamptz, TIMESTAMPTZ '2026-01-02'), (NULL, NULL), ('2026-01-01', '2026-01-03')) v(s, r);
-- Each row is observed until its own as_of (1.8: a curve does not record
-- one, so partial curves built at different times merge, and every plan
-- agrees): a row not there by its as_of is censored at as_of - started_at.
-- Hand-worked: a reached after 1 day (as_of 2026-02-01); b still on its way
-- on 2026-01-05 (censored at 4 days); c reached on 2026-01-10 but observed
-- until 2026-01-05 only (censored at 4 days); d reached after 2 days.
SELECT ttv_curve(s, r, a) AS per_row_as_of
  FROM (VALUES (TIMESTAMPTZ '2026-01-01', TIMESTAMPTZ '2026-01-02', TIMESTAMPTZ '2026-02-01'),
               ('2026-01-01', NULL, '2026-01-05'), ('2026-01-01', '2026-01-10', '2026-01-05'),
               ('2026-01-01', '2026-01-03', '2026-01-05')) v(s, r, a);
-- partial aggregates per partition (each with its own as_of) equal the serial plan
CREATE TABLE pt (k int, s timestamptz, r timestamptz, a timestamptz, grp int) PARTITION BY LIST (k);
CREATE TABLE pt1 PARTITION OF pt FOR VALUES IN (1);
CREATE TABLE pt2 PARTITION OF pt FOR VALUES IN (2);
INSERT INTO pt SELECT k, '2026-01-01', CASE WHEN i % 3 > 0 THEN TIMESTAMPTZ '2026-01-01' + i * INTERVAL '1 hour' END,
                      CASE WHEN k = 1 THEN TIMESTAMPTZ '2026-01-20' ELSE '2026-03-01' END, i % 5
  FROM generate_series(1, 2) k, generate_series(1, 2000) i;
ANALYZE pt;
CREATE TEMP TABLE pt_serial AS SELECT grp, ttv_curve(s, r, a) AS c FROM pt GROUP BY grp;
SET enable_partitionwise_aggregate = on;
SET enable_sort = off;
EXPLAIN (COSTS OFF) SELECT grp, ttv_curve(s, r, a) FROM pt GROUP BY grp;
SELECT count(*) AS groups, count(*) FILTER (WHERE NOT p.c = s.c) AS differences
  FROM (SELECT grp, ttv_curve(s, r, a) AS c FROM pt GROUP BY grp) p JOIN pt_serial s USING (grp);
RESET enable_partitionwise_aggregate;
RESET enable_sort;
DROP TABLE pt, pt_serial;
-- called directly, the transition adds the row to the curve it is given
SELECT ttv_curve_sfunc(NULL::ttv_curve, '2026-01-01', '2026-01-02') AS direct,
       ttv_curve_sfunc('86400:1:0 172800:0:2', '2026-01-01', '2026-01-03', '2026-02-01') AS onto_a_curve,
       ttv_curve_sfunc(NULL::ttv_curve, NULL, '2026-01-02') AS no_start;
-- a user aggregate starting from a curve (INITCOND), running over a window
CREATE AGGREGATE pg_temp.curve_from(timestamptz, timestamptz, timestamptz) (SFUNC = platform_metrics.ttv_curve_sfunc,
    STYPE = platform_metrics.ttv_curve, INITCOND = '86400:1:0 172800:0:2', FINALFUNC = platform_metrics.ttv_curve_ffunc);
SELECT count(*) AS frames, count(*) FILTER (WHERE ttv_count(c) <> i + 3 OR ttv_reached(c) <> i + 1) AS differences
  FROM (SELECT i, pg_temp.curve_from(TIMESTAMPTZ '2026-01-01', TIMESTAMPTZ '2026-01-01' + i * INTERVAL '1 second', '2026-03-01')
                      OVER (ORDER BY i ROWS UNBOUNDED PRECEDING) AS c
          FROM generate_series(1, 300) i) x;
-- the curve's text form round-trips the partial states a parallel plan ships
SELECT ttv_curve(started_at, reached_at, '2026-02-01')::text::ttv_curve = ttv_curve(started_at, reached_at, '2026-02-01')
       AS text_round_trip
  FROM many;
DROP TABLE many;

RESET TimeZone;
