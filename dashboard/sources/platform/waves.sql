-- The survey waves in the order they were opened
SELECT wave, opened_at, closed_at, responses, response_rate, row_number() OVER (ORDER BY opened_at, wave) AS wave_order
  FROM platform_metrics.survey_progress
