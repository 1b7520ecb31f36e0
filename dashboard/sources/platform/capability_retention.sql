-- Monthly retention per capability and adoption cohort; complete: the month is over
SELECT capability, cohort_start, period_offset, period_start, cohort_size, active, retention, churned, complete
  FROM platform_metrics.capability_retention
