-- platform_metrics_analytics 1.5 -> 1.6: ready for BI tools and the
-- dashboard (dashboard/): numeric columns beside the views' intervals,
-- complete periods marked in capability_retention, the Kaplan-Meier curve
-- for readers (time_to_value_curve).

\echo Use "ALTER EXTENSION platform_metrics_analytics UPDATE TO '1.6'" to load this file. \quit

-- views (1.6): the same definitions as the live sources (usage_views.sql, summaries.sql)
-- Time to value per milestone and start month, censoring-aware beside naive.
CREATE OR REPLACE VIEW @extschema@.time_to_value WITH (security_barrier) AS
SELECT t.milestone, t.start_month, t.started, t.reached, t.on_the_way,
       t.p[1] AS p50, t.p[2] AS p75, t.p[3] AS p90, justify_hours(t.naive) AS naive_median,
       -- the same in days, for BI tools that cannot read intervals (1.6)
       extract(epoch FROM t.p[1])::double precision / 86400 AS p50_days,
       extract(epoch FROM t.p[2])::double precision / 86400 AS p75_days,
       extract(epoch FROM t.p[3])::double precision / 86400 AS p90_days,
       extract(epoch FROM t.naive)::double precision / 86400 AS naive_median_days
  FROM (SELECT o.milestone,
               date_trunc('month', o.started_at) AS start_month,
               count(*) AS started,
               count(*) FILTER (WHERE o.reached_at <= now()) AS reached,
               count(*) FILTER (WHERE o.reached_at IS NULL OR o.reached_at > now()) AS on_the_way,
               @extschema@.ttv_percentile(o.started_at, o.reached_at, ARRAY[0.5, 0.75, 0.9]) AS p,
               @extschema@.ttv_percentile(CASE WHEN o.reached_at <= now() THEN o.reached_at - o.started_at END, 0.5)
                   AS naive
          FROM @extschema@.onboarding o
         WHERE o.started_at <= now()
         GROUP BY 1, 2) t;
COMMENT ON VIEW @extschema@.time_to_value IS 'Time to a milestone per start month: Kaplan-Meier percentiles that count those still on their way, beside the naive median';
COMMENT ON COLUMN @extschema@.time_to_value.milestone IS 'Milestone (e.g. first_deploy)';
COMMENT ON COLUMN @extschema@.time_to_value.start_month IS 'Month onboarding started';
COMMENT ON COLUMN @extschema@.time_to_value.started IS 'Subjects who started that month';
COMMENT ON COLUMN @extschema@.time_to_value.reached IS 'Of them, those who reached the milestone';
COMMENT ON COLUMN @extschema@.time_to_value.on_the_way IS 'Of them, those still on their way';
COMMENT ON COLUMN @extschema@.time_to_value.p50 IS 'Median time to the milestone (Kaplan-Meier; NULL: not known yet)';
COMMENT ON COLUMN @extschema@.time_to_value.p75 IS '75th percentile (Kaplan-Meier; NULL: not known yet)';
COMMENT ON COLUMN @extschema@.time_to_value.p90 IS '90th percentile (Kaplan-Meier; NULL: not known yet)';
COMMENT ON COLUMN @extschema@.time_to_value.naive_median IS 'Median over those who arrived only: biased low while many are on their way';
COMMENT ON COLUMN @extschema@.time_to_value.p50_days IS 'p50 in days (fractional; for BI tools that cannot read intervals)';
COMMENT ON COLUMN @extschema@.time_to_value.p75_days IS 'p75 in days';
COMMENT ON COLUMN @extschema@.time_to_value.p90_days IS 'p90 in days';
COMMENT ON COLUMN @extschema@.time_to_value.naive_median_days IS 'naive_median in days';

-- The Kaplan-Meier curve of each milestone and start quarter, point by point
-- with its confidence band (ttv_points), for readers who cannot read the
-- onboarding rows it is computed from (1.6).  Built from whole days (start,
-- arrival and today truncated to the day; an arrival after now() is still
-- on the way, as in time_to_value): a duration at which someone is still on
-- the way is today minus their start, which would otherwise give their start
-- to the microsecond.
CREATE OR REPLACE VIEW @extschema@.time_to_value_curve WITH (security_barrier) AS
SELECT c.milestone, c.start_quarter, p.time_to_value,
       extract(epoch FROM p.time_to_value)::double precision / 86400 AS days,
       p.at_risk, p.reached, p.censored, p.survival, p.reached_share, p.survival_low, p.survival_high
  FROM (SELECT o.milestone, date_trunc('quarter', o.started_at) AS start_quarter,
               @extschema@.ttv_curve(date_trunc('day', o.started_at),
                                     date_trunc('day', CASE WHEN o.reached_at <= now() THEN o.reached_at END),
                                     date_trunc('day', now())) AS curve
          FROM @extschema@.onboarding o
         WHERE o.started_at <= now()
         GROUP BY 1, 2) c
       CROSS JOIN LATERAL @extschema@.ttv_points(c.curve) p;
COMMENT ON VIEW @extschema@.time_to_value_curve IS 'Kaplan-Meier curve of the time to each milestone per start quarter, with its 95% band (ttv_points)';
COMMENT ON COLUMN @extschema@.time_to_value_curve.milestone IS 'Milestone (e.g. first_deploy)';
COMMENT ON COLUMN @extschema@.time_to_value_curve.start_quarter IS 'Quarter onboarding started';
COMMENT ON COLUMN @extschema@.time_to_value_curve.time_to_value IS 'A duration, in whole days, at which someone arrived or was last seen on the way (today)';
COMMENT ON COLUMN @extschema@.time_to_value_curve.days IS 'time_to_value in days (fractional)';
COMMENT ON COLUMN @extschema@.time_to_value_curve.at_risk IS 'Still on their way just before it';
COMMENT ON COLUMN @extschema@.time_to_value_curve.reached IS 'Arrived at exactly this duration';
COMMENT ON COLUMN @extschema@.time_to_value_curve.censored IS 'Still on their way, last seen at this duration';
COMMENT ON COLUMN @extschema@.time_to_value_curve.survival IS 'Share not yet arrived (Kaplan-Meier S(t))';
COMMENT ON COLUMN @extschema@.time_to_value_curve.reached_share IS 'Share arrived by then (1 - S(t))';
COMMENT ON COLUMN @extschema@.time_to_value_curve.survival_low IS 'Lower bound of the 95% pointwise interval of S(t) (Greenwood, log-log)';
COMMENT ON COLUMN @extschema@.time_to_value_curve.survival_high IS 'Upper bound of that interval';

-- Monthly retention triangle per capability, from churn_cohort.
CREATE OR REPLACE VIEW @extschema@.capability_retention WITH (security_barrier) AS
WITH st AS MATERIALIZED (
    SELECT s.watermark, s.time_zone = pg_catalog.current_setting('TimeZone') AS same_zone
      FROM @extschema@.pm_refresh_state s WHERE s.source = 'usage_events'),
caps AS MATERIALIZED (
    -- a capability's summarised matrix serves when it is in the session's
    -- zone and none of its pairs changed; otherwise the whole capability is
    -- read from raw
    SELECT c.capability,
           st.same_zone AND NOT EXISTS (SELECT FROM @extschema@.pm_usage_changed m WHERE m.capability = c.capability)
               AS summarised,
           st.watermark
      FROM @extschema@.capabilities c CROSS JOIN st)
SELECT c.capability, r.*, k.complete
  FROM caps c
       CROSS JOIN LATERAL @extschema@.cohort_rows(
           (SELECT @extschema@.rollup(m.matrix)
              FROM (SELECT s.matrix FROM @extschema@.usage_cohort_summary s
                     WHERE s.capability = c.capability AND c.summarised
                    UNION ALL
                    SELECT @extschema@.churn_cohort(u.team, u.occurred_at, '1 month')
                      FROM @extschema@.usage_events u
                     WHERE u.capability = c.capability AND u.kind <> 'abandon'
                       AND u.seq > CASE WHEN c.summarised THEN c.watermark ELSE 0 END) m)) r
       -- (1.6) whether the month is over: the current one is still filling
       CROSS JOIN LATERAL (SELECT r.period_start + interval '1 month' <= now() AS complete) k;
COMMENT ON VIEW @extschema@.capability_retention IS 'Monthly retention triangle, lifecycle and churn per capability and adoption cohort (cohort_rows of churn_cohort)';
COMMENT ON COLUMN @extschema@.capability_retention.capability IS 'Capability';
COMMENT ON COLUMN @extschema@.capability_retention.cohort_start IS 'Month the teams of the cohort first used the capability';
COMMENT ON COLUMN @extschema@.capability_retention.period_offset IS 'Months since the cohort month';
COMMENT ON COLUMN @extschema@.capability_retention.period_start IS 'Start of that month';
COMMENT ON COLUMN @extschema@.capability_retention.cohort_size IS 'Teams in the cohort';
COMMENT ON COLUMN @extschema@.capability_retention.active IS 'Teams of the cohort that used it that month';
COMMENT ON COLUMN @extschema@.capability_retention.retention IS 'active / cohort_size';
COMMENT ON COLUMN @extschema@.capability_retention.active_or_after IS 'Teams of the cohort that used it that month or later';
COMMENT ON COLUMN @extschema@.capability_retention.continuing IS 'Used it that month and the month before';
COMMENT ON COLUMN @extschema@.capability_retention.resurrecting IS 'Used it that month, not the month before, but earlier';
COMMENT ON COLUMN @extschema@.capability_retention.dormant IS 'Used it the month before, not that month';
COMMENT ON COLUMN @extschema@.capability_retention.churned IS 'Last used it the month before and not since';
COMMENT ON COLUMN @extschema@.capability_retention.complete IS 'Whether the month is over (false: the current month, still filling; leave it out of retention curves)';

-- Progress and lag of the refresh, for operators and dashboards.
CREATE OR REPLACE VIEW @extschema@.refresh_status AS
SELECT s.source, s.watermark, s.time_zone, s.last_refresh_at, s.last_full_at, s.last_duration,
       s.last_rows, s.last_pairs AS last_keys, s.rows_folded, s.refreshes,
       pg_catalog.now() - s.last_refresh_at AS lag,
       (SELECT count(*) FROM @extschema@.usage_events u WHERE u.seq > s.watermark) AS tail_rows,
       (SELECT count(DISTINCT (c.capability, c.team)) FROM @extschema@.pm_usage_changed c) AS changed_keys,
       -- (1.6) in seconds, for BI tools that cannot read intervals
       extract(epoch FROM s.last_duration)::double precision AS last_duration_seconds,
       extract(epoch FROM pg_catalog.now() - s.last_refresh_at)::double precision AS lag_seconds
  FROM @extschema@.pm_refresh_state s WHERE s.source = 'usage_events'
UNION ALL
SELECT s.source, NULL, NULL, s.last_refresh_at, s.last_full_at, s.last_duration,
       s.last_rows, s.last_pairs, s.rows_folded, s.refreshes,
       pg_catalog.now() - s.last_refresh_at,
       -- answers of closed waves the views compute from raw
       (SELECT count(*) FROM @extschema@.survey_responses r JOIN @extschema@.survey_waves w ON w.wave = r.wave
         WHERE w.closed_at IS NOT NULL
           AND r.wave NOT IN (SELECT x.wave FROM @extschema@.pm_survey_summarised_waves x)),
       (SELECT count(DISTINCT c.wave) FROM @extschema@.pm_survey_changed c),
       extract(epoch FROM s.last_duration)::double precision,
       extract(epoch FROM pg_catalog.now() - s.last_refresh_at)::double precision
  FROM @extschema@.pm_refresh_state s WHERE s.source = 'survey_responses';
COMMENT ON VIEW @extschema@.refresh_status IS
    'Summaries: watermark, last refresh (when, how long, rows folded), lag, and the raw rows the views still read from raw';
COMMENT ON COLUMN @extschema@.refresh_status.source IS 'Raw table summarised: usage_events (usage views), survey_responses (the closed waves'' survey cells)';
COMMENT ON COLUMN @extschema@.refresh_status.watermark IS 'usage_events: rows numbered (seq) at or below it are in the summaries';
COMMENT ON COLUMN @extschema@.refresh_status.time_zone IS 'usage_events: time zone of the summarised monthly cohorts (capability_retention reads them in this zone)';
COMMENT ON COLUMN @extschema@.refresh_status.last_refresh_at IS 'When the last refresh ran (its transaction start)';
COMMENT ON COLUMN @extschema@.refresh_status.last_full_at IS 'When the summaries were last rebuilt from raw';
COMMENT ON COLUMN @extschema@.refresh_status.last_duration IS 'How long the last refresh took';
COMMENT ON COLUMN @extschema@.refresh_status.last_rows IS 'Raw rows the last refresh folded (survey_responses: survey cells it computed)';
COMMENT ON COLUMN @extschema@.refresh_status.last_keys IS 'Changed (capability, team) pairs the last refresh recomputed (survey_responses: waves it computed)';
COMMENT ON COLUMN @extschema@.refresh_status.rows_folded IS 'Raw rows folded (survey cells computed) since the last rebuild, the rebuild included';
COMMENT ON COLUMN @extschema@.refresh_status.refreshes IS 'Refreshes so far';
COMMENT ON COLUMN @extschema@.refresh_status.lag IS 'Time since the last refresh';
COMMENT ON COLUMN @extschema@.refresh_status.tail_rows IS 'Rows the views read from raw: above the watermark (survey_responses: answers of closed waves not summarised for the session''s threshold)';
COMMENT ON COLUMN @extschema@.refresh_status.changed_keys IS 'Updated or deleted (capability, team) pairs (survey_responses: marked waves) the views read from raw until the next refresh';
COMMENT ON COLUMN @extschema@.refresh_status.last_duration_seconds IS 'last_duration in seconds';
COMMENT ON COLUMN @extschema@.refresh_status.lag_seconds IS 'lag in seconds';

GRANT SELECT ON @extschema@.time_to_value_curve TO platform_metrics_reader;
