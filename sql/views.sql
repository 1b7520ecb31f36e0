-- The views, on a small data set whose numbers are worked by hand in the
-- comments; anonymity (suppression, complementary suppression, comment
-- threshold, security_barrier) and the reader role, tested as that role.
-- Times are relative to now(), so the views' "last 30 days" and "now" hold.
SET search_path = public, platform_metrics;
SET extra_float_digits = 0;
SET TimeZone = 'UTC';   -- "n days ago" must not cross a daylight-saving change

INSERT INTO teams (team, headcount) VALUES ('a', 10), ('b', 10), ('c', 3), ('d', 6);
INSERT INTO capabilities (capability, mandatory, launched_at) VALUES
    ('ci', true, now() - interval '100 days'),
    ('templates', false, now() - interval '21 days'),
    ('legacy', false, now() - interval '200 days');
-- Two waves, registered open; the survey views show them once closed (below).
INSERT INTO survey_waves (wave, opened_at) VALUES
    ('2026-Q1', now() - interval '210 days'), ('2026-Q2', now() - interval '110 days');

-- Platform question, wave 2026-Q1 (29 developers asked):
--   a: 10 10 9 8 6 3   -> P3 Pa1 D2, NPS 100*(3-2)/6 = 16.67
--   b: 10 9 9 9 7      -> P4 Pa1 D0, NPS 80
--   c: 0 10            -> 2 answers: suppressed (< 5)
--   d: 9 8 7 6 5 4 10  -> P2 Pa2 D3, NPS 100*(2-3)/7 = -14.29
--   wave: 20 answers, P10 Pa4 D6, NPS 100*(10-6)/20 = 20, response rate 20/29 = 0.6897
-- Wave 2026-Q2: a: 10 x6 (NPS 100); b: 10 10 10 9 0 (NPS 60); wave 11 answers P10 D1, NPS 81.82
INSERT INTO survey_responses (response_id, wave, team, score, comment, submitted_at)
SELECT 'q1-' || team || '-' || i, '2026-Q1', team, score,
       CASE WHEN i = 1 THEN 'comment from ' || team END, now() - interval '200 days'
  FROM (VALUES ('a', ARRAY[10, 10, 9, 8, 6, 3]), ('b', ARRAY[10, 9, 9, 9, 7]), ('c', ARRAY[0, 10]),
               ('d', ARRAY[9, 8, 7, 6, 5, 4, 10])) v(team, scores),
       LATERAL unnest(scores) WITH ORDINALITY AS u(score, i);
INSERT INTO survey_responses (response_id, wave, team, score, submitted_at)
SELECT 'q2-' || team || '-' || i, '2026-Q2', team, score, now() - interval '100 days'
  FROM (VALUES ('a', ARRAY[10, 10, 10, 10, 10, 10]), ('b', ARRAY[10, 10, 10, 9, 0])) v(team, scores),
       LATERAL unnest(scores) WITH ORDINALITY AS u(score, i);
-- Capability questions, wave 2026-Q1:
--   ci (mandatory): twelve 9s and 10s: p' = 12.75/15, d' = 0.75/15, centre 80, interval [54.2, 100]
--     -> above 30: mandatory_good, invest
--   templates (optional): 0 1 2 3 10: centre -37.5, interval [-94.3, 19.3] -> below 30: optional_poor, kill
--   legacy: 3 answers -> suppressed
INSERT INTO survey_responses (response_id, wave, team, capability, score, submitted_at)
SELECT 'cap-' || capability || '-' || i, '2026-Q1', 'a', capability, score, now() - interval '200 days'
  FROM (VALUES ('ci', ARRAY[9, 9, 9, 9, 9, 9, 10, 10, 10, 10, 10, 10]), ('templates', ARRAY[0, 1, 2, 3, 10]),
               ('legacy', ARRAY[9, 9, 9])) v(capability, scores),
       LATERAL unnest(scores) WITH ORDINALITY AS u(score, i);

-- Open waves: only survey_progress shows them, with counts alone (20 and 11
-- platform answers; 20 capability answers are not counted there)
SELECT wave, responses, round(response_rate::numeric, 4) AS response_rate, closed_at IS NULL AS open
  FROM survey_progress ORDER BY wave;
SELECT (SELECT count(*) FROM nps_by_survey) AS by_survey, (SELECT count(*) FROM nps_by_team) AS by_team,
       (SELECT count(*) FROM nps_trend) AS trend, (SELECT count(*) FROM survey_comments) AS comments,
       (SELECT count(*) FROM capability_quadrants WHERE NOT suppressed) AS quadrants_shown;
UPDATE survey_waves SET closed_at = now() - interval '90 days';

SELECT wave, responses, round(response_rate::numeric, 4) AS response_rate, promoters, passives, detractors,
       round(nps::numeric, 2) AS nps, round(ci_low::numeric, 1) AS ci_low, round(ci_high::numeric, 1) AS ci_high, suppressed
  FROM nps_by_survey ORDER BY wave;
-- c is small; so that c cannot be recovered as wave minus the others, the
-- next-smallest teams are hidden too until the hidden answers have two of
-- every category: b (P4 Pa1 D0) with c (P1 D1) has one passive and one
-- detractor; with a (P3 Pa1 D2) they are P8 Pa2 D3, 13 answers in three
-- teams.  d shows.  Hidden teams show no numbers, not even how many answered.
SELECT wave, team, responses, round(response_rate::numeric, 2) AS response_rate, promoters, passives, detractors,
       round(nps::numeric, 2) AS nps, suppressed
  FROM nps_by_team ORDER BY wave, team;
-- Q1 -> Q2: 20 -> 81.82.  z = (9/11 - 0.2) / sqrt((1 - (9/11)^2)/11 + (0.8 - 0.2^2)/20)
-- = 2.36970, p = erfc(z / sqrt 2) = 0.0178024 (Python): significant at 5%.
SELECT wave, round(nps::numeric, 2) AS nps, round(previous_nps::numeric, 2) AS previous_nps,
       round(change::numeric, 2) AS change, significant,
       abs(p_value - 0.017802386287917568) < 1e-12 AS p_value_checked
  FROM nps_trend ORDER BY wave;

-- Comments: with the threshold at 6, only comments whose own group (wave, team,
-- capability, question) has at least 6 answers, of teams nps_by_team shows:
-- the platform answers of d (7); not a (6, but hidden above), b (5) nor c (2).
-- Team a's 12 answers about ci do not count for its platform comments: each
-- group counts for itself.
SET platform_metrics.min_comment_group_size = 6;
SELECT wave, team, comment FROM survey_comments ORDER BY wave, team;
RESET platform_metrics.min_comment_group_size;
SELECT count(*) AS comments_at_default_threshold FROM survey_comments;

-- The Mandate-Choice matrix from the latest wave of each capability
SELECT capability, mandatory, wave, responses, round(nps::numeric, 1) AS nps,
       round(ci_low::numeric, 1) AS ci_low, round(ci_high::numeric, 1) AS ci_high, quadrant, action, suppressed
  FROM capability_quadrants ORDER BY capability;

-- Onboarding, all started 30 days ago: reached after 2, 4 and 10 days; one still on
-- its way; one whose reached_at is in the future (so also still on its way).
--   Kaplan-Meier: arrivals at 2, 4, 10 days before any censoring, so the median is the
--   3rd of 5 (ceil(0.5 * 5) = 3): 10 days; 75% needs a 4th arrival: not known yet.
--   The naive median of those who arrived (2, 4, 10) is 4 days.
INSERT INTO onboarding (subject, team, started_at, reached_at)
SELECT 'eng-' || i, 'a', now() - interval '30 days', now() - interval '30 days' + d
  FROM (VALUES (1, interval '2 days'), (2, interval '4 days'), (3, interval '10 days'), (4, NULL),
               (5, interval '31 days')) v(i, d);
SELECT milestone, start_month = date_trunc('month', now() - interval '30 days') AS right_month,
       started, reached, on_the_way, p50, p75, p90, naive_median
  FROM time_to_value;
-- (1.6) the same in days for BI tools: p50 10 days, naive median 4 days,
-- p75/p90 not known (NULL, never 0)
SELECT p50_days, p75_days, p90_days, naive_median_days FROM time_to_value;
-- (1.6) the curve for readers, by hand: 5 at risk; arrivals at 2, 4 and 10
-- days (S = 4/5, 3/5, 2/5); the subject still on its way and the one whose
-- reached_at is in the future are censored at 30 days (now - started_at),
-- S stays 2/5.  Greenwood at 2 days: se = sqrt(1/(5*4)) / |ln 0.8| = 1.00220,
-- S^exp(+-1.95996 se) = 0.8^7.1388 = 0.2038 and 0.8^0.14008 = 0.9692; at 10
-- days se = sqrt(1/20 + 1/12 + 1/6) / |ln 0.4| = 0.59775: 0.0520 and 0.7528.
SELECT milestone, start_quarter = date_trunc('quarter', now() - interval '30 days') AS right_quarter,
       round(days::numeric, 4) AS days, at_risk, reached, censored, round(survival::numeric, 4) AS survival,
       round(reached_share::numeric, 4) AS reached_share,
       round(survival_low::numeric, 4) AS low, round(survival_high::numeric, 4) AS high
  FROM time_to_value_curve ORDER BY days;
-- The curve is built from whole days, so it does not give away when someone
-- still on the way started: one who started 12 days 7:03 ago shows at a
-- whole number of days (12 or 13, by the time of day), never at 12 days 7:03.
BEGIN;
INSERT INTO onboarding (subject, team, started_at) VALUES ('eng-6', 'a', now() - interval '12 days 7 hours 3 minutes');
SELECT bool_and(days = trunc(days)) AS whole_days, bool_or(days BETWEEN 12 AND 13) AS shows_at_12_or_13
  FROM time_to_value_curve WHERE censored > 0;
ROLLBACK;

-- Usage:
--   ci (mandatory): a and b used it 5 and 10 days ago; c last 90 days ago (went quiet); d never
--     -> eligible 4, adopting 3, adoption 0.75, active 2, churned 1, moved back 0, stay 2/3
--   templates (optional): a adopted 20 days ago and used it 5 days ago; b used it 10 days
--     ago and abandoned it 3 days ago -> adopting 2, opt-in 0.5, active 1, moved back 1, stay 0.5
--   legacy (optional): c used it 150 days ago -> adopting 1, churned 1, stay 0
INSERT INTO usage_events (event_id, team, capability, occurred_at, kind) VALUES
    ('u1', 'a', 'ci', now() - interval '5 days', 'use'),
    ('u2', 'b', 'ci', now() - interval '10 days', 'use'),
    ('u3', 'c', 'ci', now() - interval '90 days', 'use'),
    ('u4', 'a', 'templates', now() - interval '20 days', 'adopt'),
    ('u5', 'a', 'templates', now() - interval '5 days', 'use'),
    ('u6', 'b', 'templates', now() - interval '10 days', 'use'),
    ('u7', 'b', 'templates', now() - interval '3 days', 'abandon'),
    ('u8', 'c', 'legacy', now() - interval '150 days', 'use');
SELECT capability, mandatory, eligible_teams, adopting_teams, adoption_rate, opt_in_rate,
       active_last_30_days, churned_teams, moved_back_teams, round(stay_rate::numeric, 3) AS stay_rate
  FROM capability_adoption ORDER BY capability;
SELECT capability, team, idle_days, status FROM churned_teams ORDER BY capability, team;
-- templates launched 21 days ago: a first used it in week 0, b in week 1
SELECT weeks_since_launch, adopting_teams, adoption_share
  FROM post_launch_adoption WHERE capability = 'templates' ORDER BY 1;
-- retention: every team that used a capability is in exactly one cohort
SELECT capability, sum(cohort_size) FILTER (WHERE period_offset = 0) AS teams_in_cohorts
  FROM capability_retention GROUP BY capability ORDER BY capability;
-- (1.6) complete: a month is over when its end is past; the current month
-- (the one holding now()) is not, every earlier one is
SELECT capability, count(*) FILTER (WHERE NOT complete) AS incomplete,
       bool_and(complete = (period_start < date_trunc('month', now()))) AS complete_means_before_this_month,
       bool_and(NOT complete OR period_start + interval '1 month' <= now()) AS complete_months_are_over
  FROM capability_retention GROUP BY capability ORDER BY capability;

-- Feedback, all received 40 days ago: f1 closed after 10 days; f2 synthesised only; f3 nothing
INSERT INTO feedback (feedback_id, team, received_at, synthesized_at, theme, acted_at, communicated_at) VALUES
    ('f1', 'a', now() - interval '40 days', now() - interval '38 days', 'docs', now() - interval '35 days', now() - interval '30 days'),
    ('f2', 'b', now() - interval '40 days', now() - interval '39 days', 'speed', NULL, NULL),
    ('f3', NULL, now() - interval '40 days', NULL, NULL, NULL, NULL);
SELECT quarter = date_trunc('quarter', now() - interval '40 days') AS right_quarter,
       received, synthesized, acted, communicated, round(closed_loop_rate::numeric, 3) AS closed_loop_rate,
       median_days_to_close
  FROM feedback_loop;
INSERT INTO unplanned_work VALUES ('w1', 'a', 'ci', now() - interval '5 days', 1.5, 'breaking change'),
                                  ('w2', 'a', 'ci', now() - interval '5 days', 2.5, 'incident');
SELECT team, capability, hours, events FROM unplanned_work_by_month;

-- The reader: every view, nothing else, and no way around the thresholds
CREATE ROLE regress_pm_analyst LOGIN IN ROLE platform_metrics_reader;
-- (comment groups of 6 show from here on, so that some comments are visible)
SET platform_metrics.min_comment_group_size = 6;
SET ROLE regress_pm_analyst;
SELECT (SELECT count(*) FROM platform_metrics.nps_by_survey) AS nps_by_survey,
       (SELECT count(*) FROM platform_metrics.nps_by_team) AS nps_by_team,
       (SELECT count(*) FROM platform_metrics.nps_trend) AS nps_trend,
       (SELECT count(*) FROM platform_metrics.survey_progress) AS survey_progress,
       (SELECT count(*) FROM platform_metrics.survey_comments) AS survey_comments,
       (SELECT count(*) FROM platform_metrics.time_to_value) AS time_to_value,
       (SELECT count(*) FROM platform_metrics.capability_adoption) AS capability_adoption,
       (SELECT count(*) > 0 FROM platform_metrics.capability_retention) AS capability_retention,
       (SELECT count(*) FROM platform_metrics.churned_teams) AS churned_teams,
       (SELECT count(*) > 0 FROM platform_metrics.post_launch_adoption) AS post_launch_adoption,
       (SELECT count(*) FROM platform_metrics.capability_quadrants) AS capability_quadrants,
       (SELECT count(*) FROM platform_metrics.feedback_loop) AS feedback_loop,
       (SELECT count(*) FROM platform_metrics.unplanned_work_by_month) AS unplanned_work_by_month;
SELECT pm_test.error_of(q) AS error FROM unnest(ARRAY[
  'SELECT count(*) FROM platform_metrics.survey_responses',
  'SELECT count(*) FROM platform_metrics.usage_events',
  'INSERT INTO platform_metrics.usage_events VALUES (''x'', ''a'', ''ci'', now())',
  'SELECT * FROM platform_metrics.ingest(''[]'')',
  'SET platform_metrics.min_group_size = 1',
  'SET platform_metrics.min_comment_group_size = 1'
]) q;
-- A function of the reader's own in a WHERE clause sees only what the view shows:
-- security_barrier keeps it above the view's own conditions (here: the comment
-- threshold), so comments of small groups never reach it.
-- (what it saw, sorted: the order rows reach it in is the plan's)
CREATE TEMP TABLE peeked (t text);
CREATE FUNCTION pg_temp.peek(t text) RETURNS boolean LANGUAGE plpgsql COST 0.0000001 AS $$
BEGIN
    INSERT INTO peeked VALUES (t);
    RETURN true;
END $$;
SELECT count(*) AS rows FROM platform_metrics.survey_comments WHERE pg_temp.peek(comment);
SELECT string_agg(t, ', ' ORDER BY t) AS peek_saw FROM peeked; DELETE FROM peeked;
SELECT count(*) AS rows FROM platform_metrics.nps_by_team WHERE pg_temp.peek(team) AND suppressed;
SELECT string_agg(t, ', ' ORDER BY t) AS peek_saw FROM peeked; DELETE FROM peeked;
-- the usage views too: peek sees only the churned teams the view shows
SELECT count(*) AS rows FROM platform_metrics.churned_teams WHERE pg_temp.peek(team || ' ' || capability);
SELECT string_agg(t, ', ' ORDER BY t) AS peek_saw FROM peeked; DELETE FROM peeked;
DROP FUNCTION pg_temp.peek(text);
DROP TABLE peeked;
-- No oracle on hidden comments: team c's comment ('comment from c') is hidden.
-- A guess that matches it and one that does not must run the same way: the
-- same plan, rows and loops under EXPLAIN ANALYZE (in 1.0 the group-size check
-- ran only for rows the reader's condition kept, which told them apart).
CREATE FUNCTION pg_temp.plan_of(guess text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
    line text;
    plan text := '';
BEGIN
    FOR line IN EXECUTE format('EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY OFF, BUFFERS OFF)
                                SELECT * FROM platform_metrics.survey_comments WHERE team = %L AND comment >= %L',
                               'c', guess) LOOP
        -- PostgreSQL 18 prints row counts with two decimals (rows=1.00)
        CONTINUE WHEN line ~ 'Sort Method';   -- (its memory differs between versions)
        plan := plan || regexp_replace(replace(line, quote_literal(guess), '<guess>'),
                                       'rows=([0-9]+)\.[0-9]+', 'rows=\1', 'g') || E'\n';
    END LOOP;
    RETURN plan;
END $$;
SELECT pg_temp.plan_of('comment from c') = pg_temp.plan_of('comment from d') AS same_run,
       pg_temp.plan_of('comment from c') = pg_temp.plan_of('') AS same_run_2;
SELECT pg_temp.plan_of('comment from c') AS plan;
DROP FUNCTION pg_temp.plan_of(text);
RESET ROLE;
RESET platform_metrics.min_comment_group_size;
DROP ROLE regress_pm_analyst;

TRUNCATE usage_events, survey_responses, survey_waves, onboarding, feedback, unplanned_work, capabilities, teams;
