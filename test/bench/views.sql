-- make bench, part 2: the analytics layer at size.  Run by test/harness.sh on a
-- database where test/demo/generate.sql loaded the usage events (50M by
-- default: PM_BENCH_USES), the survey answers and the onboarding rows, and no
-- refresh has run yet.  Issue 13: with the summaries every dashboard view
-- answers in under 100 ms, an incremental refresh of 1M new events takes
-- under 10 s; the same views with every row in the tail are shown beside.
-- Issue 12: question_scores in under half a second over the survey answers.
\set ON_ERROR_STOP on
\pset footer off
SET search_path = public, platform_metrics;
SET jit = off;
SELECT (SELECT count(*) FROM usage_events) AS usage_events, (SELECT count(*) FROM survey_responses) AS survey_responses,
       (SELECT count(*) FROM onboarding) AS onboarding, (SELECT count(*) FROM teams) AS teams;

\ir time_queries.sql
CREATE TEMP TABLE view_times (view text, i int, state text, ms float8);
CREATE FUNCTION time_views(state text, views text[], rounds int) RETURNS void LANGUAGE sql AS $$
    INSERT INTO view_times
    SELECT v, i, state, ms
      FROM unnest(views) WITH ORDINALITY AS u(v, i)
      JOIN unnest((SELECT time_queries(array_agg(format('SELECT md5(string_agg(x::text, %L)) FROM platform_metrics.%I x', '', v)
                                                 ORDER BY i), rounds)
                     FROM unnest(views) WITH ORDINALITY AS w(v, i)))
           WITH ORDINALITY AS t(ms, j) ON j = i
$$;
\set usage_views '{capability_adoption,capability_retention,churned_teams,post_launch_adoption}'
\set all_views '{nps_by_survey,nps_by_team,nps_trend,survey_progress,survey_comments,time_to_value,capability_adoption,capability_retention,churned_teams,post_launch_adoption,capability_quadrants,feedback_loop,unplanned_work_by_month,question_scores,question_scores_by_team,devex_index,survey_drivers,time_cost,refresh_status}'

-- 1. Nothing refreshed: the usage views read every row from raw (the tail).
SELECT time_views('all tail', :'usage_views', 3);
-- 2. The first refresh folds every row.
SELECT clock_timestamp() AS t0 \gset
CALL refresh();
SELECT (SELECT rows_folded FROM refresh_status WHERE source = 'usage_events') AS rows_folded,
       round(extract(epoch FROM clock_timestamp() - :'t0'::timestamptz)::numeric, 1) AS first_refresh_s;
-- 3. Every view, the usage views from the summaries.
SELECT time_views('summaries', :'all_views', 3);
-- 4. 1M new events: the views with them in the tail, then an incremental refresh.
INSERT INTO usage_events (event_id, team, capability, occurred_at, kind)
SELECT 'bench-tail-' || i, t.team, c.capability, now() - (i % 1000) * interval '1 minute', 'use'
  FROM generate_series(1, 1000000) i
  JOIN (SELECT team, row_number() OVER (ORDER BY team) - 1 AS k FROM teams) t ON t.k = i % (SELECT count(*) FROM teams)
  JOIN (SELECT capability, row_number() OVER (ORDER BY capability) - 1 AS k FROM capabilities) c
    ON c.k = i % (SELECT count(*) FROM capabilities);
SELECT time_views('1M tail', :'usage_views', 3);
SELECT clock_timestamp() AS t0 \gset
CALL refresh();
SELECT last_rows AS rows_folded, round(extract(epoch FROM clock_timestamp() - :'t0'::timestamptz)::numeric, 2) AS incremental_refresh_s,
       '< 10' AS target,
       CASE WHEN clock_timestamp() - :'t0'::timestamptz < interval '10 seconds' THEN 'yes' ELSE 'NO' END AS met
  FROM refresh_status WHERE source = 'usage_events';
SELECT time_views('summaries after', :'usage_views', 3);

-- every column of every row is computed: the rows are hashed as text
SELECT s.view, round(t.ms::numeric) AS all_tail_ms, round(m.ms::numeric) AS tail_1m_ms,
       round(s.ms::numeric) AS summaries_ms, round(a.ms::numeric) AS after_refresh_ms,
       CASE WHEN s.ms < 100 THEN 'yes' ELSE 'NO' END AS under_100ms
  FROM view_times s
       LEFT JOIN view_times t ON t.view = s.view AND t.state = 'all tail'
       LEFT JOIN view_times m ON m.view = s.view AND m.state = '1M tail'
       LEFT JOIN view_times a ON a.view = s.view AND a.state = 'summaries after'
 WHERE s.state = 'summaries'
 ORDER BY s.i;

-- question_scores reads every answer of every closed wave (the platform NPS
-- question, the DevEx items, the capability ratings)
SELECT (SELECT count(*) FROM survey_responses) AS answers, round(ms::numeric) AS question_scores_ms,
       '< 500' AS target, CASE WHEN ms < 500 THEN 'yes' ELSE 'NO' END AS met
  FROM unnest(time_queries(ARRAY['SELECT md5(string_agg(x::text, '''')) FROM platform_metrics.question_scores x'], 5)) ms;
