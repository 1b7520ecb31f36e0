-- The raw tables and ingest(): idempotent, all-or-nothing ingestion, named
-- constraint errors, and the writer role.
SET search_path = public, platform_metrics;
SET TimeZone = 'UTC';

INSERT INTO teams (team, headcount) VALUES ('checkout', 8), ('search', 5);
INSERT INTO capabilities (capability, mandatory, launched_at) VALUES
    ('ci', true, '2026-01-01'), ('templates', false, '2026-02-01');
INSERT INTO survey_waves (wave, opened_at) VALUES ('2026-Q1', '2026-01-01'), ('2025-Q4', '2025-10-01');

-- A mixed batch: every type once, one usage event twice in the same batch
SELECT * FROM ingest('[
  {"type": "usage", "event_id": "u1", "team": "checkout", "capability": "ci", "occurred_at": "2026-03-01T10:00:00Z"},
  {"type": "usage", "event_id": "u1", "team": "checkout", "capability": "ci", "occurred_at": "2026-03-01T10:00:00Z"},
  {"type": "usage", "event_id": "u2", "team": "search", "capability": "templates", "occurred_at": "2026-03-02 09:00+01", "kind": "adopt"},
  {"type": "survey", "response_id": "r1", "wave": "2026-Q1", "team": "checkout", "score": 9, "comment": "fast builds"},
  {"type": "survey", "response_id": "r2", "wave": "2026-Q1", "team": "search", "capability": "ci", "score": 4, "submitted_at": "2026-03-03"},
  {"type": "onboarding", "subject": "ana", "team": "checkout", "started_at": "2026-03-01"},
  {"type": "feedback", "feedback_id": "f1", "team": "search", "capability": "ci", "channel": "chat", "received_at": "2026-03-04", "theme": "flaky tests"},
  {"type": "unplanned", "event_id": "w1", "team": "checkout", "capability": "ci", "occurred_at": "2026-03-05", "hours": 2.5, "cause": "breaking change"}
]');
-- Re-sending the whole batch stores nothing new
SELECT * FROM ingest('[
  {"type": "usage", "event_id": "u1", "team": "checkout", "capability": "ci", "occurred_at": "2026-03-01T10:00:00Z"},
  {"type": "survey", "response_id": "r1", "wave": "2026-Q1", "team": "checkout", "score": 9},
  {"type": "onboarding", "subject": "ana", "team": "checkout", "started_at": "2026-03-01"},
  {"type": "feedback", "feedback_id": "f1", "received_at": "2026-03-04"},
  {"type": "unplanned", "event_id": "w1", "team": "checkout", "occurred_at": "2026-03-05", "hours": 2.5}
]');
-- The onboarding row sent again with reached_at completes it (an upsert); once complete it stays
SELECT * FROM ingest('[{"type": "onboarding", "subject": "ana", "team": "checkout", "started_at": "2026-03-01", "reached_at": "2026-03-04T12:00:00Z"}]');
SELECT * FROM ingest('[{"type": "onboarding", "subject": "ana", "team": "checkout", "started_at": "2026-03-01", "reached_at": "2026-03-09"}]');
SELECT subject, milestone, started_at, reached_at FROM onboarding;
SELECT event_id, team, capability, occurred_at, kind FROM usage_events ORDER BY event_id;
SELECT response_id, wave, team, capability, question, score, comment FROM survey_responses ORDER BY response_id;
SELECT * FROM feedback;
SELECT * FROM unplanned_work;
SELECT * FROM ingest('[]') AS empty, ingest(NULL) AS null_batch;

-- A malformed element: an error naming its index and field, and nothing stored
SELECT count(*) AS usage_rows_before FROM usage_events;
SELECT pm_test.error_of(format('SELECT * FROM platform_metrics.ingest(%L)', b)) AS error FROM unnest(ARRAY[
  '{"type": "usage"}',
  '[{"type": "usage", "event_id": "u9", "team": "checkout", "capability": "ci", "occurred_at": "2026-03-01"}, 42]',
  '[{"event_id": "u9"}]',
  '[{"type": "click", "event_id": "u9"}]',
  '[{"type": "usage", "event_id": "u9", "team": "checkout", "capability": "ci", "occurred_at": "2026-03-01"},
    {"type": "usage", "event_id": "u10", "team": "checkout", "capability": "ci"}]',
  '[{"type": "usage", "event_id": "u9", "team": "checkout", "capability": "ci", "occurred_at": "yesterday-ish"}]',
  '[{"type": "usage", "event_id": "u9", "team": "checkout", "capability": "ci", "occurred_at": "2026-03-01", "kind": "like"}]',
  '[{"type": "usage", "event_id": "u9", "team": "checkout", "capability": "ci", "occurred_at": "2026-03-01", "ocurred_at": "2026-03-02"}]',
  '[{"type": "survey", "response_id": "r9", "wave": "2026-Q1", "team": "checkout", "score": 11}]',
  '[{"type": "survey", "response_id": "r9", "wave": "2026-Q1", "team": "checkout", "score": "9"}]',
  '[{"type": "survey", "response_id": "r9", "wave": "2026-Q1", "team": "checkout", "score": 7.5}]',
  '[{"type": "survey", "response_id": "", "wave": "2026-Q1", "team": "checkout", "score": 7}]',
  '[{"type": "onboarding", "subject": "bo", "team": "search", "started_at": "2026-03-05", "reached_at": "2026-03-01"}]',
  '[{"type": "unplanned", "event_id": "w9", "team": "search", "occurred_at": "2026-03-05", "hours": -1}]',
  '[{"type": "usage", "event_id": "u9", "team": "checkout", "capability": "ci", "occurred_at": "2026-03-01"},
    {"type": "usage", "event_id": "u10", "team": "payments", "capability": "ci", "occurred_at": "2026-03-01"}]',
  '[{"type": "usage", "event_id": "u9", "team": "checkout", "capability": "kubernetes", "occurred_at": "2026-03-01"}]'
]) b;
SELECT count(*) AS usage_rows_after FROM usage_events;

-- Survey answers need a registered wave, and an open one: the first bad event
-- is named, and nothing of the batch is stored (r8 is not).  An answer already
-- stored (r1, moved to the closed wave here) sent again is a duplicate, not an
-- error: retries stay idempotent after a wave closes.
UPDATE survey_waves SET closed_at = '2026-01-01' WHERE wave = '2025-Q4';
SELECT pm_test.error_of(q) AS error FROM unnest(ARRAY[
  $$SELECT * FROM platform_metrics.ingest('[{"type": "survey", "response_id": "r8", "wave": "2026-Q1", "team": "search", "score": 5},
                                            {"type": "survey", "response_id": "r9", "wave": "ZZZZ", "team": "search", "score": 5}]')$$,
  $$SELECT * FROM platform_metrics.ingest('[{"type": "survey", "response_id": "r8", "wave": "2026-Q1", "team": "search", "score": 5},
                                            {"type": "survey", "response_id": "r9", "wave": "2025-Q4", "team": "search", "score": 5}]')$$
]) q;
UPDATE survey_responses SET wave = '2025-Q4' WHERE response_id = 'r1';
SELECT * FROM ingest('[{"type": "survey", "response_id": "r1", "wave": "2025-Q4", "team": "checkout", "score": 9}]');
UPDATE survey_responses SET wave = '2026-Q1' WHERE response_id = 'r1';
SELECT count(*) AS survey_rows FROM survey_responses;

-- Plain INSERT and COPY work, and constraints have names that say what is wrong
INSERT INTO usage_events VALUES ('u3', 'search', 'ci', '2026-03-06');
COPY usage_events (event_id, team, capability, occurred_at, kind) FROM stdin;
u4	search	ci	2026-03-07 08:00:00+00	use
u5	checkout	templates	2026-03-07 09:00:00+00	abandon
\.
SELECT count(*) AS usage_rows FROM usage_events;
-- (the failing usage row ends with its seq, the number of rows tried before it: masked)
SELECT regexp_replace(pm_test.error_of(q), ', maybe, [0-9]+\)', ', maybe, <seq>)') AS error FROM unnest(ARRAY[
  $$INSERT INTO platform_metrics.survey_responses (response_id, wave, team, score, submitted_at) VALUES ('r8', '2026-Q1', 'search', 12, '2026-03-06')$$,
  $$INSERT INTO platform_metrics.survey_responses (response_id, wave, team, score, submitted_at) VALUES ('r8', '2026-Q1', 'nobody', 5, '2026-03-06')$$,
  $$INSERT INTO platform_metrics.survey_responses (response_id, wave, team, score, submitted_at) VALUES ('r8', 'ZZZZ', 'search', 5, '2026-03-06')$$,
  $$INSERT INTO platform_metrics.onboarding (subject, team, started_at, reached_at) VALUES ('cy', 'search', '2026-03-05', '2026-03-01')$$,
  $$INSERT INTO platform_metrics.usage_events VALUES ('u8', 'search', 'ci', '2026-03-06', 'maybe')$$,
  $$INSERT INTO platform_metrics.feedback (feedback_id, received_at, communicated_at) VALUES ('f8', '2026-03-05', '2026-03-01')$$,
  $$INSERT INTO platform_metrics.teams VALUES ('empty', 0, '2026-03-06')$$
]) q;

-- The writer role: ingests and inserts, reads no survey rows, cannot reach the analysts' side
CREATE ROLE regress_pm_service LOGIN IN ROLE platform_metrics_writer;
SET ROLE regress_pm_service;
SELECT * FROM platform_metrics.ingest('[{"type": "usage", "event_id": "u6", "team": "search", "capability": "ci", "occurred_at": "2026-03-08"}]');
INSERT INTO platform_metrics.usage_events VALUES ('u7', 'search', 'ci', '2026-03-08');
SELECT pm_test.error_of(q) AS error FROM unnest(ARRAY[
  'SELECT count(*) FROM platform_metrics.survey_responses',
  'SELECT count(*) FROM platform_metrics.usage_events',
  'DELETE FROM platform_metrics.usage_events',
  'UPDATE platform_metrics.survey_responses SET score = 10'
]) q;
RESET ROLE;
-- and a role without it may not ingest at all
CREATE ROLE regress_pm_nobody LOGIN;
SET ROLE regress_pm_nobody;
SELECT pm_test.error_of($$SELECT * FROM platform_metrics.ingest('[]')$$) AS error;
RESET ROLE;
DROP ROLE regress_pm_service, regress_pm_nobody;

-- Leave the tables empty for the suites that follow
TRUNCATE usage_events, survey_responses, survey_waves, onboarding, feedback, unplanned_work, capabilities, teams;
