-- Unplanned work the platform caused, per month and capability
SELECT month, coalesce(capability, 'unknown') AS capability, sum(hours) AS hours, sum(events) AS events
  FROM platform_metrics.unplanned_work_by_month GROUP BY 1, 2
