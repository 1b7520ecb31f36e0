-- Time to a milestone per start month (Kaplan-Meier beside the naive median), in days
SELECT milestone, start_month, started, reached, on_the_way, p50_days, p75_days, p90_days, naive_median_days
  FROM platform_metrics.time_to_value
