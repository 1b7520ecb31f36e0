-- The Kaplan-Meier curve per milestone and start quarter with its 95% band
SELECT milestone, start_quarter, days, at_risk, reached, censored, survival, reached_share, survival_low, survival_high
  FROM platform_metrics.time_to_value_curve
