-- Hours a week the platform costs each developer (organisation)
SELECT wave, question, mean_hours, mean_low, mean_high, headcount, hours_per_week, is_cost, suppressed
  FROM platform_metrics.time_cost WHERE team IS NULL
