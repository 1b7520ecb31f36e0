-- Teams that went quiet or moved back, per capability
SELECT capability, team, first_activity, last_activity, idle_days, status FROM platform_metrics.churned_teams
