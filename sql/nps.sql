-- Developer NPS: the nps() aggregate, the nps_summary type, rollup() and accessors.
SET search_path = public, platform_metrics;
SET extra_float_digits = 0;

-- Hand-worked: scores 10 9 9 8 7 6 0 3 and a NULL.
--   promoters 3 (10, 9, 9), passives 2 (8, 7), detractors 3 (6, 0, 3), 8 responses
--   NPS = 100 * (3 - 3) / 8 = 0
CREATE TEMP TABLE answers (id serial, wave text, team text, score integer, submitted_at timestamptz);
INSERT INTO answers (wave, team, score, submitted_at) VALUES
    ('w1', 'a', 10, '2026-01-05'), ('w1', 'a', 9, '2026-01-05'), ('w1', 'b', 9, '2026-01-06'),
    ('w1', 'b', 8, '2026-01-06'), ('w1', 'b', 7, '2026-01-07'), ('w1', 'c', 6, '2026-01-07'),
    ('w1', 'c', 0, '2026-01-08'), ('w1', 'c', 3, '2026-01-08'), ('w1', 'c', NULL, '2026-01-08');
-- Hand-worked: w2 has 10 10 10 9 7 (4 promoters, 1 passive): NPS = 100 * 4 / 5 = 80
INSERT INTO answers (wave, team, score, submitted_at) VALUES
    ('w2', 'a', 10, '2026-04-01'), ('w2', 'a', 10, '2026-04-01'), ('w2', 'b', 10, '2026-04-02'),
    ('w2', 'b', 9, '2026-04-02'), ('w2', 'c', 7, '2026-04-03');

SELECT wave, nps(score), nps_summary(score) FROM answers GROUP BY wave ORDER BY wave;
SELECT nps(score) AS overall FROM answers;   -- 100 * (7 - 3) / 13 = 30.7692307692308

-- Boundaries of the buckets: 6 detractor, 7 passive, 8 passive, 9 promoter
SELECT s, nps_summary(s) FROM generate_series(0, 10) s GROUP BY s ORDER BY s;

-- NULLs are skipped; no rows or only NULLs give NULL, not 0
SELECT nps(score) IS NULL AS empty_is_null FROM answers WHERE false;
SELECT nps(NULL::integer) IS NULL AS only_nulls_is_null FROM generate_series(1, 3);
SELECT nps_summary(score) IS NULL AS empty_summary_is_null FROM answers WHERE false;
SELECT rollup(s) IS NULL AS empty_rollup_is_null FROM (SELECT NULL::nps_summary s) x;
-- smallint scores are accepted through the implicit cast
SELECT nps(x::smallint) FROM (VALUES (10), (0)) v(x);

-- Scores outside 0..10 are errors naming the value (SQLSTATE 22003)
SELECT pm_test.error_of($$SELECT nps(s) FROM (VALUES (5), (11)) v(s)$$);
SELECT pm_test.error_of($$SELECT nps_summary(s) FROM (VALUES (-1)) v(s)$$);

-- Accessors
SELECT promoters(s), passives(s), detractors(s), responses(s), nps(s)
  FROM (SELECT 'promoters=54 passives=20 detractors=10'::nps_summary s) x;
SELECT nps('promoters=0 passives=0 detractors=0'::nps_summary) IS NULL AS no_responses_nps_is_null;

-- Text form: readable, lossless, tolerant of order, case, commas and spacing
SELECT 'promoters=3 passives=2 detractors=1'::nps_summary;
SELECT ' Detractors = 1, PROMOTERS=3,passives: 2 '::nps_summary;
SELECT s::text::nps_summary = s AS text_round_trip
  FROM (SELECT nps_summary(score) s FROM answers GROUP BY wave) x;
SELECT 'promoters=9223372036854775807 passives=0 detractors=0'::nps_summary;
-- Malformed text is refused with 22P02 (or 22003 for numbers out of range)
SELECT pm_test.error_of(format('SELECT %L::platform_metrics.nps_summary', t)) AS error
  FROM unnest(ARRAY['promoters=1 passives=2',
                    'promoters=1 passives=2 detractors=3 promoters=4',
                    'promoters=-1 passives=2 detractors=3',
                    'promoters=1 passives=2 detractors=3x',
                    'fans=1 passives=2 detractors=3',
                    '',
                    'promoters=99999999999999999999 passives=0 detractors=0',
                    'promoters=9223372036854775807 passives=1 detractors=0']) t;

-- Equality and hashing: DISTINCT, GROUP BY and hash joins on summaries
SELECT 'promoters=1 passives=2 detractors=3'::nps_summary = 'detractors=3 passives=2 promoters=1'::nps_summary AS eq,
       'promoters=1 passives=2 detractors=3'::nps_summary <> 'promoters=1 passives=2 detractors=4'::nps_summary AS ne;
SET enable_sort = off;
SELECT count(*) AS distinct_summaries FROM (SELECT DISTINCT s FROM (VALUES ('promoters=1 passives=0 detractors=0'::nps_summary),
    ('promoters=1 passives=0 detractors=0'), ('promoters=0 passives=1 detractors=0')) v(s)) d;
SELECT count(*) AS union_rows FROM (SELECT 'promoters=1 passives=0 detractors=0'::nps_summary
    UNION SELECT 'promoters=1 passives=0 detractors=0'::nps_summary) u;
SELECT s, count(*) FROM (VALUES ('promoters=1 passives=0 detractors=0'::nps_summary),
    ('promoters=1 passives=0 detractors=0'), ('promoters=0 passives=1 detractors=0')) v(s)
  GROUP BY s ORDER BY 2;
RESET enable_sort;

-- rollup(): per-day summaries stored in a table roll up to exactly the raw numbers.
-- 20,000 deterministic pseudo-random scores over 120 days and 7 teams.
SELECT setseed(0.2026);
CREATE TEMP TABLE raw_scores AS
SELECT (DATE '2026-01-01' + (random() * 119)::int) AS day,
       'team-' || (random() * 6)::int AS team,
       CASE WHEN random() < 0.03 THEN NULL ELSE (random() * 10.49)::int END AS score
  FROM generate_series(1, 20000);
CREATE TEMP TABLE daily AS
SELECT day, team, nps_summary(score) AS s FROM raw_scores GROUP BY day, team;

-- per quarter and team: rollup of stored days = aggregate of raw rows (0 differences)
SELECT count(*) AS groups,
       count(*) FILTER (WHERE r.s IS DISTINCT FROM x.s) AS differences
  FROM (SELECT date_trunc('quarter', day) q, team, rollup(s) s FROM daily GROUP BY 1, 2) r
  FULL JOIN (SELECT date_trunc('quarter', day) q, team, nps_summary(score) s FROM raw_scores GROUP BY 1, 2) x
    USING (q, team);
-- and both agree with counting the buckets by hand in plain SQL
SELECT rollup(s) = (SELECT format('promoters=%s passives=%s detractors=%s',
                                  count(*) FILTER (WHERE score >= 9),
                                  count(*) FILTER (WHERE score BETWEEN 7 AND 8),
                                  count(*) FILTER (WHERE score <= 6))::nps_summary
                      FROM raw_scores) AS rollup_matches_plain_sql,
       abs(nps(rollup(s)) - (SELECT 100.0 * (count(*) FILTER (WHERE score >= 9)
                                            - count(*) FILTER (WHERE score <= 6)) / count(score)
                               FROM raw_scores)) < 1e-9 AS nps_matches_plain_sql
  FROM daily;

-- Direct calls of the support functions never modify their arguments
SELECT s, nps_summary_sfunc(s, 10) AS added, s AS unchanged
  FROM (SELECT 'promoters=1 passives=1 detractors=1'::nps_summary s) x;
SELECT nps_summary_combine(a, a), a FROM (SELECT 'promoters=1 passives=2 detractors=3'::nps_summary a) x;

-- Overflowing a count is an error, not a wrap-around
SELECT pm_test.error_of($$SELECT platform_metrics.rollup(s)
    FROM (VALUES ('promoters=9223372036854775807 passives=0 detractors=0'::platform_metrics.nps_summary),
                 ('promoters=1 passives=0 detractors=0')) v(s)$$);

DROP TABLE answers, raw_scores, daily;
