-- NPS aggregates in forced parallel plans: Partial Aggregate in the plan,
-- results equal to the serial ones.
SET search_path = public, platform_metrics;
SET extra_float_digits = 0;

SELECT setseed(0.15);
CREATE UNLOGGED TABLE par_scores AS
SELECT i, 'team-' || (i % 13) AS team,
       CASE WHEN random() < 0.02 THEN NULL ELSE (random() * 10.49)::int END AS score
  FROM generate_series(1, 200000) i;
ANALYZE par_scores;

-- serial results
SET max_parallel_workers_per_gather = 0;
CREATE UNLOGGED TABLE serial_total AS
SELECT nps(score) AS nps, nps_summary(score) AS s FROM par_scores;
CREATE UNLOGGED TABLE serial_by_team AS
SELECT team, nps(score) AS nps, nps_summary(score) AS s FROM par_scores GROUP BY team;
CREATE UNLOGGED TABLE team_summaries AS SELECT team, s FROM serial_by_team;

-- forced parallel plans
SELECT pm_test.force_parallel();

EXPLAIN (COSTS OFF) SELECT nps(score), nps_summary(score) FROM par_scores;
SELECT p.nps = s.nps AS nps_equal, p.s = s.s AS summary_equal
  FROM (SELECT nps(score) AS nps, nps_summary(score) AS s FROM par_scores) p, serial_total s;

SET enable_hashagg = off;
EXPLAIN (COSTS OFF) SELECT team, nps(score), nps_summary(score) FROM par_scores GROUP BY team;
SELECT count(*) AS teams,
       count(*) FILTER (WHERE p.nps IS DISTINCT FROM s.nps OR p.s IS DISTINCT FROM s.s) AS differences
  FROM (SELECT team, nps(score) AS nps, nps_summary(score) AS s FROM par_scores GROUP BY team) p
  JOIN serial_by_team s USING (team);
RESET enable_hashagg;

-- rollup() of stored summaries in parallel
EXPLAIN (COSTS OFF) SELECT rollup(s) FROM team_summaries;
SELECT rollup(s) = (SELECT s FROM serial_total) AS rollup_equal FROM team_summaries;

-- out-of-range scores are still refused inside a parallel worker
INSERT INTO par_scores VALUES (0, 'team-x', 42);
SELECT pm_test.error_of('SELECT platform_metrics.nps(score) FROM par_scores');

RESET ALL;
SET search_path = public, platform_metrics;
DROP TABLE par_scores, serial_total, serial_by_team, team_summaries;
