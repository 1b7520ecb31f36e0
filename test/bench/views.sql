-- make bench, part 2: the analytics layer at size.  Run by test/harness.sh on a
-- database where test/demo/generate.sql loaded about 1M usage events, 100k
-- survey answers and 50k onboarding rows.  Every view must answer in under a second,
-- question_scores in under half a second over the survey answers (issue 12: 2M).
\set ON_ERROR_STOP on
\pset footer off
SET search_path = public, platform_metrics;
SET jit = off;
SELECT (SELECT count(*) FROM usage_events) AS usage_events, (SELECT count(*) FROM survey_responses) AS survey_responses,
       (SELECT count(*) FROM onboarding) AS onboarding, (SELECT count(*) FROM teams) AS teams;

\ir time_queries.sql

-- every column of every row is computed: the rows are hashed as text
SELECT v AS view, round(ms::numeric) AS median_ms, CASE WHEN ms < 1000 THEN 'yes' ELSE 'NO' END AS under_1s
  FROM unnest(ARRAY['nps_by_survey', 'nps_by_team', 'nps_trend', 'survey_progress', 'survey_comments', 'time_to_value',
                    'capability_adoption', 'capability_retention', 'churned_teams', 'post_launch_adoption',
                    'capability_quadrants', 'feedback_loop', 'unplanned_work_by_month', 'question_scores',
                    'question_scores_by_team', 'devex_index', 'survey_drivers', 'time_cost']) WITH ORDINALITY AS u(v, i)
  JOIN unnest((SELECT time_queries(array_agg(format('SELECT md5(string_agg(x::text, %L)) FROM platform_metrics.%I x', '', v)
                                             ORDER BY i), 3)
                 FROM unnest(ARRAY['nps_by_survey', 'nps_by_team', 'nps_trend', 'survey_progress', 'survey_comments', 'time_to_value',
                                   'capability_adoption', 'capability_retention', 'churned_teams', 'post_launch_adoption',
                                   'capability_quadrants', 'feedback_loop', 'unplanned_work_by_month', 'question_scores',
                                   'question_scores_by_team', 'devex_index', 'survey_drivers', 'time_cost']) WITH ORDINALITY AS w(v, i)))
       WITH ORDINALITY AS t(ms, j) ON j = i
 ORDER BY i;

-- question_scores reads every answer of every closed wave (the platform NPS
-- question, the DevEx items, the capability ratings)
SELECT (SELECT count(*) FROM survey_responses) AS answers, round(ms::numeric) AS question_scores_ms,
       '< 500' AS target, CASE WHEN ms < 500 THEN 'yes' ELSE 'NO' END AS met
  FROM unnest(time_queries(ARRAY['SELECT md5(string_agg(x::text, '''')) FROM platform_metrics.question_scores x'], 5)) ms;
