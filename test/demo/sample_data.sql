-- Sample data for make demo: a platform team's year of developer surveys.
-- Deterministic (setseed), so the dashboard prints the same numbers every time.
-- Until the analytics layer provides its own tables, the demo keeps its raw
-- data in the schema "demo".
SET client_min_messages = warning;
CREATE EXTENSION platform_metrics;
-- The one line that puts the extension's functions on everyone's search_path:
ALTER DATABASE demo SET search_path = "$user", public, platform_metrics;
SET search_path = "$user", public, platform_metrics;

CREATE SCHEMA demo;

CREATE TABLE demo.capabilities (
    capability  text PRIMARY KEY,
    mandatory   boolean NOT NULL,
    description text NOT NULL
);
INSERT INTO demo.capabilities VALUES
    ('ci-pipeline',          true,  'Shared CI pipeline every service must build with'),
    ('secrets-vault',        true,  'Mandatory secrets management'),
    ('service-templates',    false, 'Golden-path templates for new services'),
    ('legacy-deploy-portal', false, 'The old self-service deploy portal'),
    ('observability-stack',  false, 'Hosted dashboards and alerting (new, few users yet)');

CREATE TABLE demo.teams (team text PRIMARY KEY, headcount int NOT NULL);
INSERT INTO demo.teams
SELECT 'team-' || lpad(i::text, 2, '0'), 4 + (i * 7) % 9 FROM generate_series(1, 24) i;

-- One row per answer.  capability NULL = the question about the platform as a whole.
CREATE TABLE demo.survey_responses (
    wave         text NOT NULL,
    team         text NOT NULL REFERENCES demo.teams,
    capability   text REFERENCES demo.capabilities,
    score        int NOT NULL CHECK (score BETWEEN 0 AND 10),
    submitted_at timestamptz NOT NULL
);

-- draw_score(promoter share, detractor share): one score from that mix.
CREATE FUNCTION demo.draw_score(p_prom float8, p_det float8) RETURNS int LANGUAGE sql AS $$
    SELECT CASE WHEN r < p_det THEN floor(random() * 7)::int
                WHEN r < 1 - p_prom THEN 7 + floor(random() * 2)::int
                ELSE 9 + floor(random() * 2)::int END
      FROM (SELECT random() AS r) x
$$;

SELECT setseed(0.2026) \g /dev/null

-- The platform as a whole: NPS rises from about 12 to about 54 over the year,
-- with about 60% of the 192 developers answering each wave.
INSERT INTO demo.survey_responses (wave, team, capability, score, submitted_at)
SELECT w.wave, t.team, NULL, demo.draw_score(w.p_prom, w.p_det),
       w.opens + (random() * 14) * INTERVAL '1 day'
  FROM (VALUES ('2026-Q1', TIMESTAMPTZ '2026-02-02', 0.36, 0.24),
               ('2026-Q2', TIMESTAMPTZ '2026-05-04', 0.42, 0.20),
               ('2026-Q3', TIMESTAMPTZ '2026-08-03', 0.52, 0.12),
               ('2026-Q4', TIMESTAMPTZ '2026-11-02', 0.62, 0.08)) w(wave, opens, p_prom, p_det),
       demo.teams t,
       generate_series(1, t.headcount) dev
 WHERE random() < 0.6;

-- Per capability, in the latest wave.
INSERT INTO demo.survey_responses (wave, team, capability, score, submitted_at)
SELECT '2026-Q4', 'team-' || lpad((1 + floor(random() * 24))::int::text, 2, '0'), c.capability,
       demo.draw_score(c.p_prom, c.p_det), TIMESTAMPTZ '2026-11-02' + (random() * 14) * INTERVAL '1 day'
  FROM (VALUES ('ci-pipeline', 0.65, 0.08, 90), ('secrets-vault', 0.15, 0.50, 80),
               ('service-templates', 0.60, 0.10, 70), ('legacy-deploy-portal', 0.10, 0.60, 40),
               ('observability-stack', 0.45, 0.20, 6)) c(capability, p_prom, p_det, answers),
       generate_series(1, c.answers);

ANALYZE demo.survey_responses;

-- Onboarding: engineers joining teams over the year, from the start of their
-- onboarding to their first production deploy.  Time to first deploy falls from
-- about three weeks to about four days; some engineers are still on their way
-- when the demo looks (2026-11-21), most of them in the latest cohort.
CREATE TABLE demo.onboarding (
    engineer    int PRIMARY KEY,
    team        text NOT NULL REFERENCES demo.teams,
    started_at  timestamptz NOT NULL,
    reached_at  timestamptz CHECK (reached_at >= started_at)
);
INSERT INTO demo.onboarding
SELECT i, 'team-' || lpad((1 + i % 24)::text, 2, '0'), started_at,
       CASE WHEN started_at + ttv <= TIMESTAMPTZ '2026-11-21 12:00+00' AND random() > 0.08
            THEN started_at + ttv END
  FROM (SELECT i, TIMESTAMPTZ '2026-01-05 09:00+00' + (i * 0.85) * INTERVAL '1 day' AS started_at,
               -- log-normal around a median that falls from 21 days to 4 days over the year
               exp(ln(21 - 17 * (i / 375.0)) + 0.6 * sqrt(-2 * ln(1 - random())) * cos(2 * pi() * random()))
                   * INTERVAL '1 day' AS ttv
          FROM generate_series(1, 375) i) x;
ANALYZE demo.onboarding;

-- Usage: teams using the service templates, week after week.  Teams adopt it
-- over the year; most keep using it, some drift away, a few come back.
CREATE TABLE demo.usage_events (
    team        text NOT NULL REFERENCES demo.teams,
    capability  text NOT NULL REFERENCES demo.capabilities,
    occurred_at timestamptz NOT NULL
);
INSERT INTO demo.usage_events
SELECT t.team, 'service-templates', TIMESTAMPTZ '2026-01-05 10:00+00' + w * INTERVAL '1 week' + (random() * 4) * INTERVAL '1 day'
  FROM (SELECT team, (random() * 40)::int AS adopted_week, random() AS loyalty
          FROM demo.teams) t,
       generate_series(0, 45) w
 WHERE w >= t.adopted_week
   AND random() < CASE WHEN t.loyalty > 0.3 THEN 0.9             -- keeps using it
                       WHEN w - t.adopted_week < 9 THEN 0.6        -- tries it for two months,
                       ELSE 0 END;                                 -- then goes back to its own way
ANALYZE demo.usage_events;
