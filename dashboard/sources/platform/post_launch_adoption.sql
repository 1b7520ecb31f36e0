-- Adoption week by week after each launch
SELECT capability, weeks_since_launch, adopting_teams, adoption_share FROM platform_metrics.post_launch_adoption
