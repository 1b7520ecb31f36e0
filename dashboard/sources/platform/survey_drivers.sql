-- What goes with recommending the platform: Spearman with the NPS answer, and priority
SELECT wave, question, dimension, pairs, spearman, spearman_low, spearman_high, favorable_share, priority, suppressed
  FROM platform_metrics.survey_drivers
