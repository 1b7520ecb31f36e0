-- Feedback received, synthesised, acted on and answered, per quarter
SELECT quarter, received, synthesized, acted, communicated, closed_loop_rate, median_days_to_close
  FROM platform_metrics.feedback_loop
