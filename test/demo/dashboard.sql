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
\echo 'How many answers a wave needs for a margin of +/- 10 NPS points'
SELECT nps_required_n(10) AS responses_for_10_points, nps_required_n(5) AS responses_for_5_points;
