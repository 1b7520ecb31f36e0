-- likert_summary and cronbach_alpha in forced parallel plans: Partial
-- Aggregate in the plan, results equal to the serial ones.
SET search_path = public, platform_metrics;
SET extra_float_digits = 0;

SELECT setseed(0.25);
CREATE UNLOGGED TABLE par_items AS
SELECT i, 'team-' || (i % 11) AS team, 'r' || (i / 5) AS submission, 'q' || ((i + (i / 5) * 3) % 5) AS item,
       CASE WHEN random() < 0.02 THEN NULL ELSE 1 + (random() * 4.49)::int END AS score,
       random() * 5 AS fscore
  FROM generate_series(1, 200000) i;
ANALYZE par_items;

-- serial results
SET max_parallel_workers_per_gather = 0;
CREATE UNLOGGED TABLE serial_total AS
SELECT likert_summary(score, 1, 5) AS s, cronbach_alpha(submission, item, score) AS alpha,
       cronbach_alpha_ci(submission, item, score, 0.95) AS ci,
       cronbach_alpha(submission, item, fscore) AS falpha
  FROM par_items;
CREATE UNLOGGED TABLE serial_by_team AS
SELECT team, likert_summary(score, 1, 5) AS s FROM par_items GROUP BY team;

-- forced parallel plans
SELECT pm_test.force_parallel();

EXPLAIN (COSTS OFF) SELECT likert_summary(score, 1, 5), cronbach_alpha(submission, item, score) FROM par_items;
-- equal to the last bit, fractional scores too: alpha sums in the order of
-- submission ids and item names, whatever order the workers saw the rows in
SELECT p.s = t.s AS summary_equal, p.alpha = t.alpha AS alpha_equal, p.ci = t.ci AS ci_equal,
       p.falpha = t.falpha AS fractional_alpha_equal
  FROM (SELECT likert_summary(score, 1, 5) AS s, cronbach_alpha(submission, item, score) AS alpha,
               cronbach_alpha_ci(submission, item, score, 0.95) AS ci,
               cronbach_alpha(submission, item, fscore) AS falpha
          FROM par_items) p, serial_total t;

SET enable_hashagg = off;
EXPLAIN (COSTS OFF) SELECT team, likert_summary(score, 1, 5) FROM par_items GROUP BY team;
SELECT count(*) AS teams, count(*) FILTER (WHERE p.s IS DISTINCT FROM t.s) AS differences
  FROM (SELECT team, likert_summary(score, 1, 5) AS s FROM par_items GROUP BY team) p
  JOIN serial_by_team t USING (team);
RESET enable_hashagg;

-- rollup() of stored summaries in parallel
EXPLAIN (COSTS OFF) SELECT rollup(s) FROM serial_by_team;
SELECT rollup(s) = (SELECT s FROM serial_total) AS rollup_equal FROM serial_by_team;

-- errors are still raised inside a parallel worker
INSERT INTO par_items VALUES (0, 'team-x', 'r0', 'q0', 9, 1);
SELECT pm_test.error_of('SELECT platform_metrics.likert_summary(score, 1, 5) FROM par_items');

RESET ALL;
SET search_path = public, platform_metrics;
DROP TABLE par_items, serial_total, serial_by_team;
