-- Data for the dump/restore suites (test/t/003_dump_restore.pl, and across
-- versions test/cross_version.sh): raw rows in every table of the layer and
-- every stored type of the library in user tables, with indexes on them.
CREATE EXTENSION platform_metrics_analytics CASCADE;
SET search_path = public, platform_metrics;
SELECT setseed(0.5);
INSERT INTO teams SELECT 'team-' || i, 3 + i % 7, '2026-01-01' FROM generate_series(1, 12) i;
INSERT INTO capabilities VALUES ('ci', true, '2026-01-01', 'CI'), ('templates', false, '2026-02-01', 'Templates');
-- four waves, three of them closed (a restore loads their answers after them)
INSERT INTO survey_waves (wave, opened_at) SELECT '2026-Q' || q, '2025-12-01'::timestamptz + q * interval '1 day' FROM generate_series(1, 4) q;
INSERT INTO survey_responses
SELECT 'r' || i, '2026-Q' || (1 + i % 4), 'team-' || (1 + i % 12), CASE WHEN i % 3 = 0 THEN 'ci' END, 'nps',
       (random() * 10)::int, CASE WHEN i % 5 = 0 THEN 'comment ' || i END, '2026-01-01'::timestamptz + i * interval '1 hour'
  FROM generate_series(1, 500) i;
-- questions beside nps (the extension's own row is not dumped: the restore's
-- CREATE EXTENSION makes it), answered with submission ids
INSERT INTO survey_questions (question, wording, scale, bucket_hours, reverse_coded, dimension, in_index) VALUES
    ('ease', 'How easy is it to deploy?', 'likert', NULL, false, 'feedback loops', true),
    ('lost', 'Time lost last week', 'hours', '{0.5,2,4,8}', true, 'flow state', false);
INSERT INTO survey_responses (response_id, wave, team, question, score, submitted_at, submission_id)
SELECT 'q' || i || q.question, '2026-Q' || (1 + i % 4), 'team-' || (1 + i % 12), q.question, 1 + (i * 7) % q.points,
       '2026-01-01'::timestamptz + i * interval '1 hour', md5('s' || i)::uuid
  FROM generate_series(1, 200) i, (VALUES ('ease', 5), ('lost', 4)) q(question, points);
UPDATE survey_waves SET closed_at = '2026-03-01' WHERE wave <> '2026-Q4';
INSERT INTO usage_events
SELECT 'u' || i, 'team-' || (1 + i % 12), CASE WHEN i % 2 = 0 THEN 'ci' ELSE 'templates' END,
       '2026-01-01'::timestamptz + i * interval '37 minutes', (ARRAY['use', 'adopt', 'abandon'])[1 + i % 3]
  FROM generate_series(1, 2000) i;
INSERT INTO onboarding
SELECT 'eng-' || i, 'team-' || (1 + i % 12), 'first_deploy', '2026-01-01'::timestamptz + i * interval '1 day',
       CASE WHEN i % 4 <> 0 THEN '2026-01-01'::timestamptz + i * interval '1 day' + i * interval '1 hour' END
  FROM generate_series(1, 100) i;
INSERT INTO feedback (feedback_id, team, received_at, synthesized_at, theme)
SELECT 'f' || i, 'team-' || (1 + i % 12), '2026-02-01'::timestamptz + i * interval '1 day',
       '2026-02-02'::timestamptz + i * interval '1 day', 'theme ' || (i % 3)
  FROM generate_series(1, 40) i;
INSERT INTO unplanned_work SELECT 'w' || i, 'team-' || (1 + i % 12), 'ci', '2026-03-01'::timestamptz + i * interval '1 day', 1.25 * i, 'incident'
  FROM generate_series(1, 30) i;
-- user tables holding the library's stored types
CREATE TABLE stored AS
SELECT team, nps_summary(score) AS s,
       mandate_quadrant(true, nps(nps_summary(score))) AS q
  FROM survey_responses GROUP BY team;
CREATE TABLE stored_ttv AS
SELECT team, ttv_sketch(reached_at - started_at) AS sketch, ttv_curve(started_at, reached_at, '2026-12-31') AS curve
  FROM onboarding GROUP BY team;
CREATE TABLE stored_likert AS
SELECT team, likert_summary(score % 5 + 1, 1, 5) AS five, likert_summary(score % 7 + 1, 1, 7) AS seven
  FROM survey_responses GROUP BY team;
CREATE TABLE stored_cohorts AS
SELECT capability, churn_cohort(team, occurred_at, '1 week') AS m FROM usage_events GROUP BY capability;
-- indexes on the stored types (btree on mandate_quadrant, hash on nps_summary)
CREATE INDEX stored_q ON stored (q);
CREATE INDEX stored_s ON stored USING hash (s);
