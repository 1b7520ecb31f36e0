-- Adoption, opt-in, activity and churn per capability, now
SELECT capability, mandatory, eligible_teams, adopting_teams, adoption_rate, opt_in_rate, active_last_30_days,
       churned_teams, moved_back_teams, stay_rate
  FROM platform_metrics.capability_adoption
