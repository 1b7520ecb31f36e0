-- make demo: the headline rows of each view over the generated data.
\pset footer off
SET search_path = "$user", public, platform_metrics;

\echo
\echo '== Is the platform getting better for developers? (nps_trend, nps_by_survey)'
SELECT t.wave, s.responses, round(s.response_rate::numeric, 2) AS response_rate, round(t.nps) AS nps,
       round(s.ci_low) AS ci_low, round(s.ci_high) AS ci_high, round(t.change) AS change,
       round(t.p_value::numeric, 4) AS p_value, t.significant
  FROM nps_trend t JOIN nps_by_survey s USING (wave) ORDER BY wave;

\echo
\echo '== The least happy teams in the latest wave, and the ones too small to show (nps_by_team)'
(SELECT team, responses, round(nps) AS nps, round(ci_low) AS ci_low, round(ci_high) AS ci_high, suppressed
   FROM nps_by_team WHERE wave = (SELECT max(wave) FROM nps_by_team) AND NOT suppressed ORDER BY nps LIMIT 3)
UNION ALL
(SELECT team, responses, NULL, NULL, NULL, suppressed
   FROM nps_by_team WHERE wave = (SELECT max(wave) FROM nps_by_team) AND suppressed ORDER BY team LIMIT 3);

\echo
\echo '== Every question of the latest wave: percent favourable with its 95% interval, change, FDR-controlled (question_scores)'
SELECT question, dimension, responses, round(100 * favorable_share) AS favorable_pct,
       round(100 * favorable_low) || ' to ' || round(100 * favorable_high) AS ci_pct, round(mean_score::numeric, 2) AS mean,
       round(100 * weighted_share) AS weighted_pct, round(100 * change) AS change_pts,
       round(q_value::numeric, 4) AS q_value, significant
  FROM question_scores WHERE wave = (SELECT max(wave) FROM question_scores) ORDER BY favorable_share;

\echo
\echo '== The DevEx index per wave, and whether its questions hang together (devex_index, Cronbach''s alpha)'
SELECT wave, questions, round(100 * index) AS index_pct, round(100 * index_low) || ' to ' || round(100 * index_high) AS ci_pct,
       round(alpha::numeric, 2) AS alpha, round(alpha_low::numeric, 2) || ' to ' || round(alpha_high::numeric, 2) AS alpha_ci,
       complete_respondents
  FROM devex_index WHERE team IS NULL ORDER BY wave;

\echo
\echo '== Where to focus next: what goes with recommending the platform, latest wave (survey_drivers)'
SELECT priority, question, dimension, pairs, round(spearman::numeric, 2) AS spearman,
       round(spearman_low::numeric, 2) || ' to ' || round(spearman_high::numeric, 2) AS ci,
       round(100 * favorable_share) AS favorable_pct
  FROM survey_drivers WHERE wave = (SELECT max(wave) FROM survey_drivers) ORDER BY priority;

\echo
\echo '== Time lost to platform issues: hours per developer a week, and for everyone (time_cost)'
SELECT wave, responses, round(mean_hours::numeric, 2) AS hours_per_dev,
       round(mean_low::numeric, 2) || ' to ' || round(mean_high::numeric, 2) AS ci, headcount,
       round(hours_per_week) AS hours_per_week, round(hours_low) || ' to ' || round(hours_high) AS hours_ci
  FROM time_cost WHERE team IS NULL ORDER BY wave;

\echo
\echo '== The Mandate-Choice matrix (capability_quadrants)'
SELECT capability, mandatory, responses, round(nps) AS nps, round(ci_low) AS ci_low, round(ci_high) AS ci_high,
       quadrant, action
  FROM capability_quadrants ORDER BY quadrant NULLS LAST, capability;

\echo
\echo '== Time to first deploy: the naive median of those who arrived, beside Kaplan-Meier (time_to_value, by quarter)'
-- per start quarter: the Kaplan-Meier median from the quarter's curve
-- (time_to_value_curve: the first duration by which half had arrived) and the
-- naive median of those who arrived, in days
SELECT c.start_quarter::date AS cohort, q.started, q.on_the_way,
       round((SELECT min(x.days) FROM time_to_value_curve x
               WHERE x.milestone = c.milestone AND x.start_quarter = c.start_quarter AND x.reached_share >= 0.5)::numeric, 1)
           AS km_median_days,
       round((percentile_disc(0.5) WITHIN GROUP (ORDER BY c.days))::numeric, 1) AS naive_median_days
  FROM time_to_value_curve c
       CROSS JOIN LATERAL generate_series(1, c.reached) r
       JOIN (SELECT milestone, date_trunc('quarter', start_month) AS start_quarter, sum(started) AS started,
                    sum(on_the_way) AS on_the_way
               FROM time_to_value GROUP BY 1, 2) q USING (milestone, start_quarter)
 WHERE c.milestone = 'first_deploy'
 GROUP BY c.milestone, c.start_quarter, q.started, q.on_the_way ORDER BY 1;
SELECT start_month::date, started, reached, on_the_way,
       date_trunc('hour', naive_median) AS naive_median, date_trunc('hour', p50) AS p50, date_trunc('hour', p90) AS p90
  FROM time_to_value ORDER BY start_month DESC LIMIT 3;

\echo
\echo '== Adoption, churn and stay rate of each capability (capability_adoption)'
SELECT capability, mandatory, adopting_teams, round(adoption_rate::numeric, 2) AS adoption_rate,
       round(opt_in_rate::numeric, 2) AS opt_in_rate, active_last_30_days, churned_teams, moved_back_teams,
       round(stay_rate::numeric, 2) AS stay_rate
  FROM capability_adoption ORDER BY mandatory DESC, capability;

\echo
\echo '== Optional capabilities: share of teams using them, a year ago and now (usage_events)'
SELECT round(avg(year_ago), 2) AS year_ago, round(avg(now_), 2) AS now
  FROM (SELECT (SELECT count(DISTINCT team) FROM usage_events u WHERE u.capability = c.capability
                  AND u.kind <> 'abandon' AND u.occurred_at < now() - interval '48 weeks')::numeric / (SELECT count(*) FROM teams) AS year_ago,
               (SELECT count(DISTINCT team) FROM usage_events u WHERE u.capability = c.capability
                  AND u.kind <> 'abandon' AND u.occurred_at > now() - interval '8 weeks')::numeric / (SELECT count(*) FROM teams) AS now_
          FROM capabilities c WHERE NOT c.mandatory AND c.capability <> 'legacy-deploy-portal') x;

\echo
\echo '== Who left (churned_teams, first rows)'
SELECT capability, status, count(*) AS teams, round(avg(idle_days)) AS avg_idle_days
  FROM churned_teams GROUP BY 1, 2 ORDER BY 1, 2;

\echo
\echo '== Service templates after launch (post_launch_adoption, every 8 weeks)'
SELECT weeks_since_launch, adopting_teams, round(adoption_share::numeric, 2) AS adoption_share
  FROM post_launch_adoption WHERE capability = 'service-templates' AND weeks_since_launch % 8 = 0 ORDER BY 1;

\echo
\echo '== Monthly retention, percent of each adoption cohort, months that are over (capability_retention)'
SELECT capability, cohort_start::date AS cohort, cohort_size AS teams,
       string_agg(coalesce(lpad(round(100 * retention)::text, 4), '    '), '' ORDER BY period_offset) AS "k=0   1   2   3   4   5   6   7   8   9  10  11"
  FROM capability_retention
 WHERE capability IN ('service-templates', 'legacy-deploy-portal') AND complete AND period_offset <= 11
 GROUP BY 1, 2, 3 ORDER BY 1 DESC, 2;

\echo
\echo '== The feedback loop (feedback_loop)'
SELECT quarter::date, received, synthesized, acted, communicated, round(closed_loop_rate::numeric, 2) AS closed_loop_rate,
       round(median_days_to_close::numeric, 1) AS median_days_to_close
  FROM feedback_loop ORDER BY quarter;

\echo
\echo '== Unplanned work the platform caused, per quarter (unplanned_work_by_month)'
SELECT date_trunc('quarter', month)::date AS quarter, sum(hours) AS hours, sum(events) AS events
  FROM unplanned_work_by_month GROUP BY 1 ORDER BY 1;

\echo
\echo '== Comments from groups large enough to stay anonymous (survey_comments, latest wave)'
SELECT comment, count(*) AS times FROM survey_comments WHERE wave = (SELECT max(wave) FROM survey_comments)
 GROUP BY 1 ORDER BY 2 DESC, 1;

\echo
\echo '== Summaries behind the usage views, kept current by the refresh worker (refresh_status)'
SELECT source, watermark, refreshes, last_rows, date_trunc('millisecond', last_duration) AS last_duration,
       tail_rows, changed_keys, time_zone
  FROM refresh_status;
