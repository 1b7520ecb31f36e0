-- Deterministic data generator for make demo and make bench.
--   psql -v scale=1 -f test/demo/generate.sql    (scale 1: 40 teams, about 25k usage events)
-- It tells the story platform teams tell: over the last year, platform NPS rose
-- from about 12 to about 54 over four quarterly waves, the median time to first
-- deploy fell from about 3 weeks to about 4 days, and optional capabilities went
-- from about 18% to about 67% of teams; one capability sits in each quadrant of
-- the Mandate-Choice matrix, and teams abandon the legacy deploy portal.
-- All times are relative to now(), so the views' "now" and "last 30 days" hold.
\if :{?scale}
\else
\set scale 1
\endif
-- knobs for make bench: capability questions per respondent, onboarding rows per scale unit
\if :{?capability_questions}
\else
\set capability_questions 3
\endif
\if :{?onboarding_per_scale}
\else
\set onboarding_per_scale 400
\endif
-- uses of a capability a team reports in a week, at most (make bench raises it
-- to reach 50M usage events: about 7,000 events per team at 150)
\if :{?uses_per_week}
\else
\set uses_per_week 3
\endif
SET client_min_messages = warning;
-- team names: team-0001 and up, wider when there are more than 9,999 teams
SELECT greatest(4, length((40 * :scale)::text)) AS team_digits \gset
SET search_path = public, platform_metrics;
SELECT setseed(0.2026) \g /dev/null

-- draw_score(promoter share, detractor share): one 0..10 answer from that mix
CREATE OR REPLACE FUNCTION pg_temp.draw_score(p_prom float8, p_det float8) RETURNS int LANGUAGE sql AS $$
    SELECT CASE WHEN r < p_det THEN floor(random() * 7)::int
                WHEN r < 1 - p_prom THEN 7 + floor(random() * 2)::int
                ELSE 9 + floor(random() * 2)::int END
      FROM (SELECT random() AS r) x
$$;

INSERT INTO capabilities (capability, mandatory, launched_at, description) VALUES
    ('ci-pipeline',          true,  now() - interval '3 years',   'Shared CI pipeline every service builds with'),
    ('secrets-vault',        true,  now() - interval '2 years',   'Mandatory secrets management'),
    ('artifact-registry',    true,  now() - interval '2 years',   'Where every build is published'),
    ('security-scanning',    true,  now() - interval '18 months', 'Dependency and image scanning in every pipeline'),
    ('service-templates',    false, now() - interval '13 months', 'Golden-path templates for new services'),
    ('legacy-deploy-portal', false, now() - interval '4 years',   'The old self-service deploy portal'),
    ('feature-flags',        false, now() - interval '13 months', 'Hosted feature flags'),
    ('preview-environments', false, now() - interval '13 months', 'An environment per pull request'),
    ('observability-stack',  false, now() - interval '13 months', 'Hosted dashboards and alerting'),
    ('cost-dashboard',       false, now() - interval '13 months', 'Cloud cost per team'),
    ('chatops',              false, now() - interval '13 months', 'Deploys and rollbacks from chat'),
    ('db-provisioning',      false, now() - interval '13 months', 'Self-service databases');

INSERT INTO teams (team, headcount, created_at)
SELECT 'team-' || lpad(i::text, :team_digits, '0'), 4 + (i * 7) % 9, now() - interval '3 years'
  FROM generate_series(1, 40 * :scale) i;

-- Surveys: four quarterly waves, about 60% of developers answer the platform question.
-- Wave labels are the calendar quarter each wave ran in.
-- Each wave is registered when it opens and closed two weeks later (the survey
-- views show closed waves only).
INSERT INTO survey_waves (wave, opened_at, description)
SELECT to_char(at, 'YYYY-"Q"Q'), at, 'Quarterly developer survey'
  FROM (VALUES (now() - interval '11 months'), (now() - interval '8 months'),
               (now() - interval '5 months'), (now() - interval '2 months')) w(at);
INSERT INTO survey_responses (response_id, wave, team, capability, score, comment, submitted_at, submission_id)
SELECT 'w' || w.k || '-' || t.team || '-' || dev, to_char(w.at, 'YYYY-"Q"Q'), t.team, NULL,
       pg_temp.draw_score(w.p_prom, w.p_det),
       CASE WHEN random() < 0.1 THEN (ARRAY['builds are slow', 'docs are out of date', 'love the templates',
                                             'secrets rotation is painful', 'deploys got much faster'])[1 + floor(random() * 5)::int] END,
       w.at + random() * interval '10 days',
       md5('w' || w.k || '-' || t.team || '-' || dev)::uuid
  FROM (VALUES (1, now() - interval '11 months', 0.39, 0.24), (2, now() - interval '8 months', 0.42, 0.17),
               (3, now() - interval '5 months', 0.52, 0.12), (4, now() - interval '2 months', 0.62, 0.08)) w(k, at, p_prom, p_det),
       teams t, generate_series(1, t.headcount) dev
 WHERE random() < 0.6;
-- In the latest wave, each respondent also rates three capabilities (capability_questions).
INSERT INTO survey_responses (response_id, wave, team, capability, score, submitted_at, submission_id)
SELECT r.response_id || '-' || c.capability, r.wave, r.team, c.capability,
       pg_temp.draw_score(c.p_prom, c.p_det), r.submitted_at, r.submission_id
  FROM survey_responses r
       CROSS JOIN LATERAL (
           SELECT * FROM (VALUES ('ci-pipeline', 0.70, 0.06), ('secrets-vault', 0.10, 0.55),
                                 ('artifact-registry', 0.55, 0.12), ('security-scanning', 0.30, 0.28),
                                 ('service-templates', 0.72, 0.06), ('legacy-deploy-portal', 0.08, 0.62),
                                 ('feature-flags', 0.55, 0.10), ('preview-environments', 0.60, 0.09),
                                 ('observability-stack', 0.45, 0.15), ('cost-dashboard', 0.30, 0.20),
                                 ('chatops', 0.35, 0.18), ('db-provisioning', 0.45, 0.14)) v(capability, p_prom, p_det)
            WHERE r.response_id IS NOT NULL          -- keeps the draw per respondent
            ORDER BY random() LIMIT :capability_questions) c
 WHERE r.response_id LIKE 'w4-%' AND r.capability IS NULL;
-- The DevEx items (survey_questions): each respondent of the platform question
-- also answers about nine in ten of them, in line with their NPS answer and
-- better wave by wave: deploying a new service gets easier, cognitive load
-- (reverse-coded) falls, and the time lost to platform issues falls from
-- about 5 to about 2 hours a week.
INSERT INTO survey_questions (question, wording, scale, bucket_hours, reverse_coded, dimension, in_index) VALUES
    ('ease_of_deploy', 'How easy is it to deploy a new service? (1 very hard .. 5 very easy)', 'likert', NULL, false, 'feedback loops', true),
    ('docs_findable', 'I can find the documentation I need (1 strongly disagree .. 5 strongly agree)', 'likert', NULL, false, 'cognitive load', true),
    ('focus_time', 'I have enough uninterrupted time for deep work (1 .. 5)', 'likert', NULL, false, 'flow state', true),
    ('cognitive_load', 'How mentally taxing is working with the platform? (1 not at all .. 5 very)', 'likert', NULL, true, 'cognitive load', true),
    ('time_lost', 'How much time did platform issues cost you last week? (<1h, 1-2h, 2-4h, 4-8h, >8h)', 'hours',
     '{0.5,1.5,3,6,10}', true, 'flow state', false);
INSERT INTO survey_responses (response_id, wave, team, capability, question, score, submitted_at, submission_id)
SELECT r.response_id || '-' || q.question, r.wave, r.team, NULL, q.question,
       CASE q.question
            WHEN 'ease_of_deploy' THEN 1 + floor(5 * least(greatest(0.55 * r.score / 10.0 + 0.45 * u - 0.19 + 0.07 * k, 0), 0.9999))
            WHEN 'docs_findable' THEN 1 + floor(5 * least(greatest(0.45 * r.score / 10.0 + 0.55 * u - 0.12 + 0.03 * k, 0), 0.9999))
            WHEN 'focus_time' THEN 1 + floor(5 * least(greatest(0.4 * r.score / 10.0 + 0.6 * u - 0.1, 0), 0.9999))
            WHEN 'cognitive_load' THEN 1 + floor(5 * least(greatest(0.5 * (1 - r.score / 10.0) + 0.5 * u + 0.1 - 0.05 * k, 0), 0.9999))
            ELSE 1 + (SELECT count(*) FROM unnest(CASE k WHEN 1 THEN '{0.04,0.15,0.42,0.74}'::float8[]
                                                         WHEN 2 THEN '{0.08,0.26,0.55,0.82}'
                                                         WHEN 3 THEN '{0.13,0.36,0.66,0.89}'
                                                         ELSE '{0.20,0.50,0.80,0.95}' END) c
                       WHERE 0.8 * u + 0.2 * (1 - r.score / 10.0) > c) END,
       r.submitted_at, r.submission_id
  FROM survey_responses r
       CROSS JOIN LATERAL (SELECT substr(r.response_id, 2, 1)::int AS k) w,
       -- nine in ten respondents answer the whole block (so Cronbach's alpha
       -- of the index can be shown: devex_index shows it only when every
       -- respondent of the group answered every index question)
       LATERAL (SELECT random() AS answers WHERE r.response_id IS NOT NULL) b,
       LATERAL (SELECT v.question, random() AS u
                  FROM (VALUES ('ease_of_deploy'), ('docs_findable'), ('focus_time'), ('cognitive_load'), ('time_lost')) v(question)
                 WHERE r.response_id IS NOT NULL) q
 WHERE r.capability IS NULL AND r.question = 'nps' AND b.answers < 0.9;
UPDATE survey_waves SET closed_at = opened_at + interval '14 days';

-- Onboarding: engineers start over the year; time to first deploy falls from about
-- three weeks to about four days; some are still on their way, a few are stuck.
INSERT INTO onboarding (subject, team, milestone, started_at, reached_at)
SELECT 'eng-' || i, 'team-' || lpad((1 + i % (40 * :scale))::text, :team_digits, '0'), 'first_deploy', started,
       CASE WHEN started + ttv <= now() AND random() > 0.05 THEN started + ttv END
  FROM (SELECT i, now() - interval '365 days' + (i::float8 / (:onboarding_per_scale * :scale)) * interval '360 days' AS started,
               exp(ln(21 - 17 * (i::float8 / (:onboarding_per_scale * :scale))) + 0.5 * sqrt(-2 * ln(1 - random())) * cos(2 * pi() * random()))
                   * interval '1 day' AS ttv
          FROM generate_series(1, :onboarding_per_scale * :scale) i) x;

-- Usage: mandatory capabilities are used by every team every week.  A team takes
-- up an optional capability at some point in the year (18% already had it a year
-- ago, 67% have it now, the rest never will); teams move back from the legacy
-- portal over the year.  Used weeks produce two events on average.
CREATE TEMP TABLE adoption AS
SELECT team, capability, mandatory,
       CASE WHEN mandatory THEN -1.0
            WHEN capability = 'legacy-deploy-portal' THEN -1.0
            WHEN u < 0.18 THEN -1.0                            -- before the year started
            WHEN u < 0.67 THEN (u - 0.18) / 0.49 * 50          -- week of the year it was taken up
            ELSE NULL END AS adopted_week,
       CASE WHEN capability = 'legacy-deploy-portal' THEN floor(random() * 60) END AS abandoned_week
  FROM (SELECT t.team, c.capability, c.mandatory, random() AS u     -- one draw per team and capability
          FROM teams t CROSS JOIN capabilities c) x;
INSERT INTO usage_events (event_id, team, capability, occurred_at, kind)
SELECT 'use-' || x.team || '-' || x.capability || '-' || x.w || '-' || x.e,
       x.team, x.capability, now() - interval '52 weeks' + x.w * interval '1 week' + x.r2 * interval '6 days',
       CASE WHEN x.e = 1 AND x.w = ceil(x.adopted_week)::int THEN 'adopt' ELSE 'use' END
  FROM (-- random() in the select list of a subquery: one draw per row (in a join
        -- filter the planner may compute it once and reuse it through a Materialize)
        SELECT a.*, w, e, random() AS r, random() AS r2
          FROM adoption a, generate_series(0, 51) w, generate_series(1, :uses_per_week) e) x
 WHERE x.adopted_week IS NOT NULL AND x.w >= ceil(x.adopted_week)
   AND (x.abandoned_week IS NULL OR x.w < x.abandoned_week)
   AND x.r < CASE WHEN x.mandatory THEN 0.75 ELSE 0.6 END * (CASE WHEN x.e = 1 THEN 1.0 ELSE 0.5 END);
INSERT INTO usage_events (event_id, team, capability, occurred_at, kind)
SELECT 'abandon-' || a.team, a.team, a.capability, now() - interval '52 weeks' + a.abandoned_week * interval '1 week',
       'abandon'
  FROM adoption a WHERE a.abandoned_week < 52;
-- Some teams tried the cost dashboard and went quiet.
DELETE FROM usage_events
 WHERE capability = 'cost-dashboard' AND occurred_at > now() - interval '90 days'
   AND team IN (SELECT team FROM teams WHERE hashtext(team) % 3 = 0);

-- Feedback: the loop closes more often and faster over the year.
INSERT INTO feedback (feedback_id, team, capability, channel, received_at, synthesized_at, theme, acted_at, communicated_at)
SELECT 'fb-' || i, 'team-' || lpad((1 + i % (40 * :scale))::text, :team_digits, '0'),
       (SELECT capability FROM capabilities ORDER BY hashtext(capability || i) LIMIT 1),
       (ARRAY['survey', 'chat', 'ticket', 'interview'])[1 + i % 4], received,
       CASE WHEN random() < 0.5 + 0.4 * q THEN received + interval '3 days' END,
       'theme ' || (i % 7),
       CASE WHEN random() < 0.3 + 0.4 * q THEN received + interval '10 days' END,
       CASE WHEN random() < 0.2 + 0.5 * q THEN received + (30 - 20 * q) * interval '1 day' END
  FROM (SELECT i, now() - interval '360 days' + (i::float8 / (300 * :scale)) * interval '330 days' AS received,
               i::float8 / (300 * :scale) AS q
          FROM generate_series(1, 300 * :scale) i) x;
-- a loop only counts as acted on or communicated once synthesised, in order
UPDATE feedback SET acted_at = NULL WHERE synthesized_at IS NULL;
UPDATE feedback SET communicated_at = NULL WHERE acted_at IS NULL;

-- Unplanned work the platform caused, falling over the year.
INSERT INTO unplanned_work (event_id, team, capability, occurred_at, hours, cause)
SELECT 'uw-' || i, 'team-' || lpad((1 + i % (40 * :scale))::text, :team_digits, '0'),
       (ARRAY['secrets-vault', 'ci-pipeline', 'legacy-deploy-portal', 'security-scanning'])[1 + i % 4],
       now() - interval '360 days' + sqrt(random()) * interval '0 days' + (i::float8 / (120 * :scale)) ^ 2 * interval '355 days',
       round((1 + random() * 7)::numeric, 1),
       (ARRAY['breaking change', 'incident', 'forced migration'])[1 + i % 3]
  FROM generate_series(1, 120 * :scale) i;

ANALYZE capabilities, teams, survey_responses, usage_events, onboarding, feedback, unplanned_work;
