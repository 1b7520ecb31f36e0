-- The dashboard queries of README, run by make demo against the sample data.
\pset footer off
SET search_path = "$user", public, platform_metrics;

\echo
\echo 'Platform NPS per survey wave, with its 95% interval (finite-population corrected), and the change from the previous wave'
SELECT wave,
       responses(s) AS responses,
       round(nps(s)) AS nps,
       round(ci.low) AS ci_low,
       round(ci.high) AS ci_high,
       round(nps(s) - nps(lag(s) OVER w)) AS change,
       round(nps_test(lag(s) OVER w, s)::numeric, 4) AS p_value
  FROM (SELECT wave, nps_summary(score) AS s
          FROM demo.survey_responses WHERE capability IS NULL GROUP BY wave) waves,
       LATERAL nps_ci(s, 0.95, (SELECT sum(headcount) FROM demo.teams)) ci
WINDOW w AS (ORDER BY wave)
 ORDER BY wave;

\echo
\echo 'The Mandate-Choice matrix for the latest wave (NULL quadrant: the 95% interval still contains the threshold of 30)'
SELECT c.capability,
       c.mandatory,
       responses(s) AS responses,
       round(nps(s)) AS nps,
       round(nps_margin(s)) AS margin,
       mandate_quadrant(c.mandatory, s) AS quadrant,
       coalesce(recommended_action(mandate_quadrant(c.mandatory, s)), 'ask more developers') AS action
  FROM demo.capabilities c,
       LATERAL (SELECT nps_summary(score) AS s FROM demo.survey_responses r
                 WHERE r.capability = c.capability AND r.wave = '2026-Q4') x
 ORDER BY quadrant NULLS LAST, c.capability;

\echo
\echo 'Time to first deploy per onboarding cohort, observed on 2026-11-21: the naive median of those who arrived beside the Kaplan-Meier estimate that counts those still on their way'
SELECT date_trunc('quarter', started_at)::date AS cohort,
       count(*) AS started,
       count(reached_at) AS reached,
       count(*) - count(reached_at) AS on_the_way,
       date_trunc('hour', justify_hours(ttv_percentile(reached_at - started_at, 0.5))) AS naive_median,
       date_trunc('hour', ttv_percentile(started_at, reached_at, 0.5, '2026-11-21 12:00+00')) AS median,
       date_trunc('hour', ttv_percentile(started_at, reached_at, 0.9, '2026-11-21 12:00+00')) AS p90
  FROM demo.onboarding
 GROUP BY 1 ORDER BY 1;

\echo
\echo 'Monthly retention of the service templates (percent of each adoption cohort active k months later; blank: not observed yet), observed on 2026-11-21'
SELECT cohort_start::date AS cohort,
       cohort_size AS teams,
       string_agg(coalesce(lpad(round(100 * retention)::text, 4), '    '), '' ORDER BY period_offset) AS "k=0   1   2   3   4   5   6   7   8   9  10"
  FROM cohort_rows((SELECT churn_cohort(team, occurred_at, '1 month') FROM demo.usage_events
                     WHERE capability = 'service-templates'), '2026-11-21 12:00+00')
 GROUP BY 1, 2 ORDER BY 1;

\echo
\echo 'Teams that stopped using the service templates (idle for two whole months or more)'
SELECT member AS team, cohort_start::date AS adopted, last_active::date AS last_month
  FROM cohort_churned((SELECT churn_cohort(team, occurred_at, '1 month') FROM demo.usage_events
                        WHERE capability = 'service-templates'), 2, '2026-11-21 12:00+00');

\echo
\echo 'How many answers a wave needs for a margin of +/- 10 NPS points'
SELECT nps_required_n(10) AS responses_for_10_points, nps_required_n(5) AS responses_for_5_points;
