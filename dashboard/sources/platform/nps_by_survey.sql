-- Platform NPS per closed wave with its 95% interval, and the change from the wave before
SELECT s.wave, s.responses, s.response_rate, s.nps, s.ci_low, s.ci_high, s.suppressed,
       t.change, t.p_value, t.significant, row_number() OVER (ORDER BY w.opened_at, s.wave) AS wave_order
  FROM platform_metrics.nps_by_survey s
  JOIN platform_metrics.nps_trend t USING (wave)
  LEFT JOIN platform_metrics.survey_progress w USING (wave)
