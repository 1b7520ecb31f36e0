-- NPS in moving windows (inverse transition): every window result equals the
-- aggregate recomputed over exactly the same frame.
SET search_path = public, platform_metrics;
SET extra_float_digits = 0;

SELECT setseed(0.30);
CREATE TEMP TABLE stream AS
SELECT i AS id, TIMESTAMPTZ '2026-01-01 00:00+00' + i * INTERVAL '97 minutes' AS submitted_at,
       CASE WHEN random() < 0.05 OR i BETWEEN 400 AND 440 THEN NULL
            ELSE (random() * 10.49)::int END AS score
  FROM generate_series(1, 3000) i;

-- 30-row moving NPS (rows 400..440 have no scores, so some frames are all NULL)
SELECT count(*) AS rows_checked,
       count(*) FILTER (WHERE w.nps IS DISTINCT FROM f.nps) AS nps_differences,
       count(*) FILTER (WHERE w.s IS DISTINCT FROM f.s) AS summary_differences,
       count(*) FILTER (WHERE w.nps IS NULL) AS all_null_frames
  FROM (SELECT id,
               nps(score) OVER (ORDER BY id ROWS BETWEEN 29 PRECEDING AND CURRENT ROW) AS nps,
               nps_summary(score) OVER (ORDER BY id ROWS BETWEEN 29 PRECEDING AND CURRENT ROW) AS s
          FROM stream) w,
       LATERAL (SELECT nps(score) AS nps, nps_summary(score) AS s
                  FROM stream x WHERE x.id BETWEEN w.id - 29 AND w.id) f;

-- 7-day trailing NPS by time (RANGE frame)
SELECT count(*) AS rows_checked, count(*) FILTER (WHERE w.nps IS DISTINCT FROM f.nps) AS differences
  FROM (SELECT id, submitted_at,
               nps(score) OVER (ORDER BY submitted_at
                                RANGE BETWEEN INTERVAL '7 days' PRECEDING AND CURRENT ROW) AS nps
          FROM stream) w,
       LATERAL (SELECT nps(score) AS nps FROM stream x
                 WHERE x.submitted_at BETWEEN w.submitted_at - INTERVAL '7 days' AND w.submitted_at) f;

-- rollup() of daily summaries over a sliding 7-day frame
CREATE TEMP TABLE daily AS
SELECT date_trunc('day', submitted_at) AS day, nps_summary(score) AS s FROM stream GROUP BY 1;
SELECT count(*) AS days_checked, count(*) FILTER (WHERE w.s IS DISTINCT FROM f.s) AS differences
  FROM (SELECT day, rollup(s) OVER (ORDER BY day ROWS BETWEEN 6 PRECEDING AND CURRENT ROW) AS s FROM daily) w,
       LATERAL (SELECT rollup(s) AS s FROM daily x
                 WHERE x.day IN (SELECT day FROM daily y WHERE y.day <= w.day ORDER BY day DESC LIMIT 7)) f;

-- a few rows to read: a 3-row moving NPS, checkable by eye
SELECT * FROM (
    SELECT id, score, nps(score) OVER w AS nps_3, nps_summary(score) OVER w AS summary_3
      FROM stream WINDOW w AS (ORDER BY id ROWS BETWEEN 2 PRECEDING AND CURRENT ROW)) x
 WHERE id BETWEEN 396 AND 403 ORDER BY id;

DROP TABLE stream, daily;
