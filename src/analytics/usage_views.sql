-- usage_views.sql: adoption, retention, time to value, the feedback loop and unplanned work

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

-- Adoption of each capability.  A team "tried" a capability when it used or
-- adopted it; it "moved back" when its latest event is an abandon; it "went
-- quiet" when it has not used the capability for 60 days.
CREATE OR REPLACE VIEW @extschema@.capability_adoption WITH (security_barrier) AS
WITH per_team AS (
    SELECT p.capability, p.team, p.last_use_at AS last_use,
           -- the latest event is an abandon (one at the same instant as a use wins)
           coalesce(p.last_abandon_at >= coalesce(p.last_use_at, '-infinity'), false) AS moved_back
      FROM @extschema@.pm_usage_per_team p),
eligible AS (SELECT count(*) AS n FROM @extschema@.teams)
SELECT c.capability,
       c.mandatory,
       e.n AS eligible_teams,
       count(p.team) FILTER (WHERE p.last_use IS NOT NULL) AS adopting_teams,
       count(p.team) FILTER (WHERE p.last_use IS NOT NULL)::double precision / nullif(e.n, 0) AS adoption_rate,
       CASE WHEN NOT c.mandatory
            THEN count(p.team) FILTER (WHERE p.last_use IS NOT NULL)::double precision / nullif(e.n, 0) END AS opt_in_rate,
       count(p.team) FILTER (WHERE p.last_use >= now() - interval '30 days' AND NOT p.moved_back) AS active_last_30_days,
       count(p.team) FILTER (WHERE p.last_use < now() - interval '60 days' AND NOT p.moved_back) AS churned_teams,
       count(p.team) FILTER (WHERE p.moved_back) AS moved_back_teams,
       count(p.team) FILTER (WHERE p.last_use >= now() - interval '60 days' AND NOT p.moved_back)::double precision
           / nullif(count(p.team) FILTER (WHERE p.last_use IS NOT NULL), 0) AS stay_rate
  FROM @extschema@.capabilities c CROSS JOIN eligible e
       LEFT JOIN per_team p ON p.capability = c.capability
 GROUP BY c.capability, c.mandatory, e.n;
COMMENT ON VIEW @extschema@.capability_adoption IS 'Adoption, opt-in, activity, churn and stay rate per capability';
COMMENT ON COLUMN @extschema@.capability_adoption.capability IS 'Capability';
COMMENT ON COLUMN @extschema@.capability_adoption.mandatory IS 'Whether teams must use it';
COMMENT ON COLUMN @extschema@.capability_adoption.eligible_teams IS 'Teams that could use it (all registered teams)';
COMMENT ON COLUMN @extschema@.capability_adoption.adopting_teams IS 'Teams that used or adopted it at least once';
COMMENT ON COLUMN @extschema@.capability_adoption.adoption_rate IS 'Adopting teams divided by eligible teams';
COMMENT ON COLUMN @extschema@.capability_adoption.opt_in_rate IS 'For optional capabilities, the share of eligible teams that chose it (NULL when mandatory)';
COMMENT ON COLUMN @extschema@.capability_adoption.active_last_30_days IS 'Teams that used it in the last 30 days';
COMMENT ON COLUMN @extschema@.capability_adoption.churned_teams IS 'Teams that tried it and have not used it for 60 days (went quiet)';
COMMENT ON COLUMN @extschema@.capability_adoption.moved_back_teams IS 'Teams whose latest event is abandon: they moved back to their own way';
COMMENT ON COLUMN @extschema@.capability_adoption.stay_rate IS 'Teams still using it (in the last 60 days) among the teams that tried it';

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

-- The teams that stopped, for the capability's owners.
CREATE OR REPLACE VIEW @extschema@.churned_teams WITH (security_barrier) AS
SELECT p.capability, p.team,
       p.first_at AS first_activity,
       p.last_use_at AS last_activity,
       extract(day FROM now() - p.last_use_at)::integer AS idle_days,
       CASE WHEN coalesce(p.last_abandon_at >= coalesce(p.last_use_at, '-infinity'), false)
            THEN 'moved back' ELSE 'went quiet' END AS status
  FROM @extschema@.pm_usage_per_team p
 WHERE coalesce(p.last_abandon_at >= coalesce(p.last_use_at, '-infinity'), false)
    OR p.last_use_at < now() - interval '60 days';
COMMENT ON VIEW @extschema@.churned_teams IS 'Teams that moved back from a capability or have not used it for 60 days';
COMMENT ON COLUMN @extschema@.churned_teams.capability IS 'Capability';
COMMENT ON COLUMN @extschema@.churned_teams.team IS 'Team';
COMMENT ON COLUMN @extschema@.churned_teams.first_activity IS 'First event of the team with the capability';
COMMENT ON COLUMN @extschema@.churned_teams.last_activity IS 'Last use';
COMMENT ON COLUMN @extschema@.churned_teams.idle_days IS 'Whole days since the last use';
COMMENT ON COLUMN @extschema@.churned_teams.status IS 'moved back (its latest event is abandon) or went quiet (60 days without use)';

-- Adoption after launch, week by week: the teams that had used it by the end
-- of each week (launched_at + (week + 1) weeks, in the session's zone), a
-- running count of the week each team took it up.
CREATE OR REPLACE VIEW @extschema@.post_launch_adoption WITH (security_barrier) AS
WITH eligible AS (SELECT count(*) AS n FROM @extschema@.teams),
launched AS (
    -- whole weeks since launch, so far
    SELECT c.capability, c.launched_at,
           greatest(0, floor(extract(epoch FROM now() - c.launched_at) / 604800))::integer AS weeks
      FROM @extschema@.capabilities c),
weeks AS (
    SELECT l.capability, w.week
      FROM launched l CROSS JOIN LATERAL generate_series(0, l.weeks) AS w(week)),
taken_up AS (
    -- the first week whose end is after the team's first use: the number m of
    -- week ends at or before it (estimated from the seconds, then corrected
    -- by one where a daylight-saving change moves a week end), 0 at least
    SELECT g.capability, greatest(0, CASE WHEN g.launched_at + (g.m + 1) * interval '1 week' <= g.first_at THEN g.m + 1
                                          WHEN g.launched_at + g.m * interval '1 week' > g.first_at THEN g.m - 1
                                          ELSE g.m END) AS week,
           count(*) AS teams
      FROM (SELECT p.capability, p.first_use_at AS first_at, c.launched_at,
                   -- within [-1, the weeks so far + 2], so that launched_at
                   -- plus m + 1 weeks stays in range (beyond: no week shows it)
                   CASE WHEN p.first_use_at = '-infinity' THEN -1
                        ELSE least(greatest(floor(extract(epoch FROM p.first_use_at - c.launched_at) / 604800), -1),
                                   c.weeks + 2)::integer
                        END AS m
              FROM @extschema@.pm_usage_per_team p JOIN launched c ON c.capability = p.capability
             WHERE p.first_use_at < 'infinity') g
     GROUP BY 1, 2)
SELECT w.capability, w.week AS weeks_since_launch,
       coalesce(sum(t.teams) OVER (PARTITION BY w.capability ORDER BY w.week), 0)::bigint AS adopting_teams,
       coalesce(sum(t.teams) OVER (PARTITION BY w.capability ORDER BY w.week), 0)::double precision / nullif(e.n, 0)
           AS adoption_share
  FROM weeks w CROSS JOIN eligible e
       LEFT JOIN taken_up t ON t.capability = w.capability AND t.week = w.week;
COMMENT ON VIEW @extschema@.post_launch_adoption IS 'Cumulative adoption of each capability by week since its launch';
COMMENT ON COLUMN @extschema@.post_launch_adoption.capability IS 'Capability';
COMMENT ON COLUMN @extschema@.post_launch_adoption.weeks_since_launch IS 'Whole weeks since launch (0 = the launch week)';
COMMENT ON COLUMN @extschema@.post_launch_adoption.adopting_teams IS 'Teams that had used it by the end of that week';
COMMENT ON COLUMN @extschema@.post_launch_adoption.adoption_share IS 'Those teams divided by all registered teams';

-- The feedback loop per quarter: listen, synthesise, act, communicate.
CREATE OR REPLACE VIEW @extschema@.feedback_loop WITH (security_barrier) AS
SELECT date_trunc('quarter', f.received_at) AS quarter,
       count(*) AS received,
       count(f.synthesized_at) AS synthesized,
       count(f.acted_at) AS acted,
       count(f.communicated_at) AS communicated,
       count(f.communicated_at)::double precision / count(*) AS closed_loop_rate,
       percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM f.communicated_at - f.received_at) / 86400)
           AS median_days_to_close
  FROM @extschema@.feedback f
 GROUP BY 1;
COMMENT ON VIEW @extschema@.feedback_loop IS 'Developer feedback per quarter received: how much went through each step of the loop';
COMMENT ON COLUMN @extschema@.feedback_loop.quarter IS 'Quarter the feedback was received';
COMMENT ON COLUMN @extschema@.feedback_loop.received IS 'Pieces of feedback received (listen)';
COMMENT ON COLUMN @extschema@.feedback_loop.synthesized IS 'Of them, grouped into a theme (synthesise)';
COMMENT ON COLUMN @extschema@.feedback_loop.acted IS 'Of them, acted on (act)';
COMMENT ON COLUMN @extschema@.feedback_loop.communicated IS 'Of them, with the outcome told to developers (communicate)';
COMMENT ON COLUMN @extschema@.feedback_loop.closed_loop_rate IS 'communicated / received';
COMMENT ON COLUMN @extschema@.feedback_loop.median_days_to_close IS 'Median days from receiving to communicating, over closed loops';

CREATE OR REPLACE VIEW @extschema@.unplanned_work_by_month WITH (security_barrier) AS
SELECT date_trunc('month', w.occurred_at) AS month, w.team, w.capability,
       sum(w.hours) AS hours, count(*) AS events
  FROM @extschema@.unplanned_work w
 GROUP BY 1, 2, 3;
COMMENT ON VIEW @extschema@.unplanned_work_by_month IS 'Unplanned work the platform caused, per month, team and capability';
COMMENT ON COLUMN @extschema@.unplanned_work_by_month.month IS 'Month';
COMMENT ON COLUMN @extschema@.unplanned_work_by_month.team IS 'Team that did the work';
COMMENT ON COLUMN @extschema@.unplanned_work_by_month.capability IS 'Capability that caused it (NULL: unknown)';
COMMENT ON COLUMN @extschema@.unplanned_work_by_month.hours IS 'Hours spent';
COMMENT ON COLUMN @extschema@.unplanned_work_by_month.events IS 'Number of events';

-- The reader reads the views, nothing else.
GRANT SELECT ON @extschema@.time_to_value, @extschema@.time_to_value_curve, @extschema@.capability_adoption, @extschema@.capability_retention,
    @extschema@.churned_teams, @extschema@.post_launch_adoption, @extschema@.feedback_loop,
    @extschema@.unplanned_work_by_month
    TO platform_metrics_reader;
