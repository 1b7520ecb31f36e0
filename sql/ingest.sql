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
-- Re-sending the whole batch stores nothing new: all 8 are duplicates
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
-- Re-sent ids that say something else than the stored rows store nothing
-- either, and are conflicts, not duplicates: f1 without its team, capability
-- and channel, w1 without its capability and cause (u1 and ana are as
-- stored: duplicates; r1 without its comment is a duplicate too, as every
-- re-sent survey answer: answers are never compared, see below).  A warning
-- names the first.
SELECT * FROM ingest('[
  {"type": "usage", "event_id": "u1", "team": "checkout", "capability": "ci", "occurred_at": "2026-03-01T10:00:00Z"},
  {"type": "survey", "response_id": "r1", "wave": "2026-Q1", "team": "checkout", "score": 9},
  {"type": "onboarding", "subject": "ana", "team": "checkout", "started_at": "2026-03-01"},
  {"type": "feedback", "feedback_id": "f1", "received_at": "2026-03-04"},
  {"type": "unplanned", "event_id": "w1", "team": "checkout", "occurred_at": "2026-03-05", "hours": 2.5}
]');
-- The onboarding row sent again with reached_at completes it (an upsert:
-- accepted); once complete it stays, and another reached_at is a conflict
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
-- error: retries stay idempotent after a wave closes (and one that says
-- something else is a duplicate too: answers are never compared).
UPDATE survey_waves SET closed_at = '2026-01-01' WHERE wave = '2025-Q4';
SELECT pm_test.error_of(q) AS error FROM unnest(ARRAY[
  $$SELECT * FROM platform_metrics.ingest('[{"type": "survey", "response_id": "r8", "wave": "2026-Q1", "team": "search", "score": 5},
                                            {"type": "survey", "response_id": "r9", "wave": "ZZZZ", "team": "search", "score": 5}]')$$,
  $$SELECT * FROM platform_metrics.ingest('[{"type": "survey", "response_id": "r8", "wave": "2026-Q1", "team": "search", "score": 5},
                                            {"type": "survey", "response_id": "r9", "wave": "2025-Q4", "team": "search", "score": 5}]')$$
]) q;
UPDATE survey_responses SET wave = '2025-Q4' WHERE response_id = 'r1';
SELECT * FROM ingest('[{"type": "survey", "response_id": "r1", "wave": "2025-Q4", "team": "checkout", "score": 9, "comment": "fast builds"},
                       {"type": "survey", "response_id": "r1", "wave": "2025-Q4", "team": "checkout", "score": 3, "comment": "fast builds"}]');
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

-- Duplicates and conflicts, event type by event type.  One event of each type
-- is stored; then variants of it are sent one at a time.  A duplicate says
-- what the stored row says (a field left out as what it would store: its
-- default or NULL), a conflict something else; neither changes the stored
-- row.  Onboarding's reached_at, feedback's synthesized_at, theme, acted_at
-- and communicated_at (filled in later) count only when the event carries
-- them.  A survey answer is never compared with the stored one: the writer
-- reads no survey row, and "duplicate" against "conflict" for a guessed score
-- under a known response_id would tell it the stored answer (sql/anonymity.sql
-- plays that attack); a re-sent response_id is a duplicate whatever it says.
INSERT INTO survey_waves (wave) VALUES ('2026-Q2');
SELECT * FROM ingest('[
  {"type": "usage", "event_id": "c-u", "team": "checkout", "capability": "ci", "occurred_at": "2026-03-01T10:00:00Z"},
  {"type": "survey", "response_id": "c-r", "wave": "2026-Q1", "team": "checkout", "capability": "ci", "score": 7,
   "comment": "ok", "submitted_at": "2026-03-02T00:00:00Z", "submission_id": "0b6f4e1c-3d2a-4f8e-9c1b-7a5d2e8f0c3b"},
  {"type": "onboarding", "subject": "c-o", "team": "checkout", "started_at": "2026-03-01T00:00:00Z"},
  {"type": "feedback", "feedback_id": "c-f", "team": "checkout", "capability": "ci", "channel": "chat", "received_at": "2026-03-01", "theme": "docs"},
  {"type": "unplanned", "event_id": "c-w", "team": "checkout", "capability": "ci", "occurred_at": "2026-03-01", "hours": 1.25, "cause": "outage"}
]');
CREATE FUNCTION pm_test.stored_rows() RETURNS text LANGUAGE sql AS $$
    SELECT md5(concat_ws('|',
        (SELECT string_agg(to_jsonb(t)::text, ',' ORDER BY event_id) FROM platform_metrics.usage_events t WHERE event_id LIKE 'c-%'),
        (SELECT string_agg(to_jsonb(t)::text, ',' ORDER BY response_id) FROM platform_metrics.survey_responses t WHERE response_id LIKE 'c-%'),
        (SELECT string_agg(to_jsonb(t)::text, ',' ORDER BY subject) FROM platform_metrics.onboarding t WHERE subject LIKE 'c-%'),
        (SELECT string_agg(to_jsonb(t)::text, ',' ORDER BY feedback_id) FROM platform_metrics.feedback t WHERE feedback_id LIKE 'c-%'),
        (SELECT string_agg(to_jsonb(t)::text, ',' ORDER BY event_id) FROM platform_metrics.unplanned_work t WHERE event_id LIKE 'c-%')))
$$;
-- what ingest() made of a batch of one event
CREATE FUNCTION pm_test.outcome(accepted bigint, duplicates bigint, conflicts bigint) RETURNS text LANGUAGE sql AS $$
    SELECT CASE (accepted, duplicates, conflicts)::text
        WHEN '(1,0,0)' THEN 'accepted' WHEN '(0,1,0)' THEN 'duplicate' WHEN '(0,0,1)' THEN 'conflict'
        ELSE format('%s/%s/%s', accepted, duplicates, conflicts) END
$$;
SELECT pm_test.stored_rows() AS stored \gset
-- (the warnings are left out here: each conflict raises one, shown below)
SET client_min_messages = error;
SELECT v.n, v.variant, v.expected, pm_test.outcome(r.accepted, r.duplicates, r.conflicts) AS outcome,
       pm_test.outcome(r.accepted, r.duplicates, r.conflicts) = v.expected AS agrees
  FROM (VALUES
    (1, 'usage: as sent', 'duplicate', '{"type": "usage", "event_id": "c-u", "team": "checkout", "capability": "ci", "occurred_at": "2026-03-01T10:00:00Z"}'),
    (2, 'usage: the same instant at another offset', 'duplicate', '{"type": "usage", "event_id": "c-u", "team": "checkout", "capability": "ci", "occurred_at": "2026-03-01 11:00:00+01"}'),
    (3, 'usage: its default kind given', 'duplicate', '{"type": "usage", "event_id": "c-u", "team": "checkout", "capability": "ci", "occurred_at": "2026-03-01T10:00:00Z", "kind": "use"}'),
    (4, 'usage: team', 'conflict', '{"type": "usage", "event_id": "c-u", "team": "search", "capability": "ci", "occurred_at": "2026-03-01T10:00:00Z"}'),
    (5, 'usage: capability', 'conflict', '{"type": "usage", "event_id": "c-u", "team": "checkout", "capability": "templates", "occurred_at": "2026-03-01T10:00:00Z"}'),
    (6, 'usage: occurred_at, a second later', 'conflict', '{"type": "usage", "event_id": "c-u", "team": "checkout", "capability": "ci", "occurred_at": "2026-03-01T10:00:01Z"}'),
    (7, 'usage: kind', 'conflict', '{"type": "usage", "event_id": "c-u", "team": "checkout", "capability": "ci", "occurred_at": "2026-03-01T10:00:00Z", "kind": "adopt"}'),
    (8, 'survey: as sent', 'duplicate', '{"type": "survey", "response_id": "c-r", "wave": "2026-Q1", "team": "checkout", "capability": "ci", "score": 7, "comment": "ok", "submitted_at": "2026-03-02T00:00:00Z", "submission_id": "0b6f4e1c-3d2a-4f8e-9c1b-7a5d2e8f0c3b"}'),
    (9, 'survey: submitted_at left out', 'duplicate', '{"type": "survey", "response_id": "c-r", "wave": "2026-Q1", "team": "checkout", "capability": "ci", "score": 7, "comment": "ok", "submission_id": "0b6f4e1c-3d2a-4f8e-9c1b-7a5d2e8f0c3b"}'),
    (10, 'survey: its default question given, the uuid in capitals', 'duplicate', '{"type": "survey", "response_id": "c-r", "wave": "2026-Q1", "team": "checkout", "capability": "ci", "question": "nps", "score": 7, "comment": "ok", "submission_id": "0B6F4E1C-3D2A-4F8E-9C1B-7A5D2E8F0C3B"}'),
    (11, 'survey: wave (never compared)', 'duplicate', '{"type": "survey", "response_id": "c-r", "wave": "2026-Q2", "team": "checkout", "capability": "ci", "score": 7, "comment": "ok", "submission_id": "0b6f4e1c-3d2a-4f8e-9c1b-7a5d2e8f0c3b"}'),
    (12, 'survey: team (never compared)', 'duplicate', '{"type": "survey", "response_id": "c-r", "wave": "2026-Q1", "team": "search", "capability": "ci", "score": 7, "comment": "ok", "submission_id": "0b6f4e1c-3d2a-4f8e-9c1b-7a5d2e8f0c3b"}'),
    (13, 'survey: capability left out (never compared)', 'duplicate', '{"type": "survey", "response_id": "c-r", "wave": "2026-Q1", "team": "checkout", "score": 7, "comment": "ok", "submission_id": "0b6f4e1c-3d2a-4f8e-9c1b-7a5d2e8f0c3b"}'),
    (14, 'survey: score (never compared)', 'duplicate', '{"type": "survey", "response_id": "c-r", "wave": "2026-Q1", "team": "checkout", "capability": "ci", "score": 8, "comment": "ok", "submission_id": "0b6f4e1c-3d2a-4f8e-9c1b-7a5d2e8f0c3b"}'),
    (15, 'survey: comment null (never compared)', 'duplicate', '{"type": "survey", "response_id": "c-r", "wave": "2026-Q1", "team": "checkout", "capability": "ci", "score": 7, "comment": null, "submission_id": "0b6f4e1c-3d2a-4f8e-9c1b-7a5d2e8f0c3b"}'),
    (16, 'survey: submitted_at (never compared)', 'duplicate', '{"type": "survey", "response_id": "c-r", "wave": "2026-Q1", "team": "checkout", "capability": "ci", "score": 7, "comment": "ok", "submitted_at": "2026-03-03T00:00:00Z", "submission_id": "0b6f4e1c-3d2a-4f8e-9c1b-7a5d2e8f0c3b"}'),
    (17, 'survey: submission_id left out (never compared)', 'duplicate', '{"type": "survey", "response_id": "c-r", "wave": "2026-Q1", "team": "checkout", "capability": "ci", "score": 7, "comment": "ok"}'),
    (18, 'feedback: as sent', 'duplicate', '{"type": "feedback", "feedback_id": "c-f", "team": "checkout", "capability": "ci", "channel": "chat", "received_at": "2026-03-01", "theme": "docs"}'),
    (19, 'feedback: theme left out', 'duplicate', '{"type": "feedback", "feedback_id": "c-f", "team": "checkout", "capability": "ci", "channel": "chat", "received_at": "2026-03-01"}'),
    (20, 'feedback: theme', 'conflict', '{"type": "feedback", "feedback_id": "c-f", "team": "checkout", "capability": "ci", "channel": "chat", "received_at": "2026-03-01", "theme": "speed"}'),
    (21, 'feedback: acted_at, not stored', 'conflict', '{"type": "feedback", "feedback_id": "c-f", "team": "checkout", "capability": "ci", "channel": "chat", "received_at": "2026-03-01", "acted_at": "2026-03-02"}'),
    (22, 'feedback: channel left out (other)', 'conflict', '{"type": "feedback", "feedback_id": "c-f", "team": "checkout", "capability": "ci", "received_at": "2026-03-01"}'),
    (23, 'feedback: team left out', 'conflict', '{"type": "feedback", "feedback_id": "c-f", "capability": "ci", "channel": "chat", "received_at": "2026-03-01"}'),
    (24, 'feedback: received_at', 'conflict', '{"type": "feedback", "feedback_id": "c-f", "team": "checkout", "capability": "ci", "channel": "chat", "received_at": "2026-03-02"}'),
    (25, 'unplanned: as sent', 'duplicate', '{"type": "unplanned", "event_id": "c-w", "team": "checkout", "capability": "ci", "occurred_at": "2026-03-01", "hours": 1.25, "cause": "outage"}'),
    (26, 'unplanned: hours 1.254, stored as 1.25', 'duplicate', '{"type": "unplanned", "event_id": "c-w", "team": "checkout", "capability": "ci", "occurred_at": "2026-03-01", "hours": 1.254, "cause": "outage"}'),
    (27, 'unplanned: hours', 'conflict', '{"type": "unplanned", "event_id": "c-w", "team": "checkout", "capability": "ci", "occurred_at": "2026-03-01", "hours": 1.26, "cause": "outage"}'),
    (28, 'unplanned: cause left out (unknown)', 'conflict', '{"type": "unplanned", "event_id": "c-w", "team": "checkout", "capability": "ci", "occurred_at": "2026-03-01", "hours": 1.25}'),
    (29, 'unplanned: capability left out', 'conflict', '{"type": "unplanned", "event_id": "c-w", "team": "checkout", "occurred_at": "2026-03-01", "hours": 1.25, "cause": "outage"}'),
    (30, 'unplanned: occurred_at', 'conflict', '{"type": "unplanned", "event_id": "c-w", "team": "checkout", "capability": "ci", "occurred_at": "2026-03-02", "hours": 1.25, "cause": "outage"}'),
    (31, 'onboarding: as sent', 'duplicate', '{"type": "onboarding", "subject": "c-o", "team": "checkout", "started_at": "2026-03-01T00:00:00Z"}'),
    (32, 'onboarding: its default milestone given', 'duplicate', '{"type": "onboarding", "subject": "c-o", "team": "checkout", "milestone": "first_deploy", "started_at": "2026-03-01T00:00:00Z"}'),
    (33, 'onboarding: team', 'conflict', '{"type": "onboarding", "subject": "c-o", "team": "search", "started_at": "2026-03-01T00:00:00Z"}'),
    (34, 'onboarding: started_at', 'conflict', '{"type": "onboarding", "subject": "c-o", "team": "checkout", "started_at": "2026-03-02T00:00:00Z"}')
  ) v(n, variant, expected, event)
  CROSS JOIN LATERAL ingest(jsonb_build_array(v.event::jsonb)) r
 ORDER BY v.n;
RESET client_min_messages;
SELECT pm_test.stored_rows() = :'stored' AS stored_rows_unchanged;

-- Onboarding: a completion (reached_at for a row stored without it) that says
-- another started_at or team is a conflict and completes nothing; one with
-- the stored ones (the same instant at another offset) is accepted and
-- completes the row.  Then: a stale retry without reached_at is a duplicate,
-- the completion as stored too; another reached_at is a conflict, and so is
-- the first completion again.  Feedback: a row the writer advanced (UPDATE)
-- is still what its first event said.
SELECT * FROM ingest('[{"type": "onboarding", "subject": "c-o", "team": "checkout", "started_at": "2026-02-27T00:00:00Z", "reached_at": "2026-03-05T00:00:00Z"}]');
SELECT * FROM ingest('[{"type": "onboarding", "subject": "c-o", "team": "search", "started_at": "2026-03-01T00:00:00Z", "reached_at": "2026-03-05T00:00:00Z"}]');
SELECT subject, team, started_at, reached_at FROM onboarding WHERE subject = 'c-o';
SELECT * FROM ingest('[{"type": "onboarding", "subject": "c-o", "team": "checkout", "started_at": "2026-03-01T01:00:00+01:00", "reached_at": "2026-03-05T00:00:00Z"}]');
SELECT subject, team, started_at, reached_at FROM onboarding WHERE subject = 'c-o';
UPDATE feedback SET synthesized_at = '2026-03-02', theme = 'docs, search' WHERE feedback_id = 'c-f';
SELECT pm_test.stored_rows() AS stored \gset
SET client_min_messages = error;
SELECT v.n, v.variant, v.expected, pm_test.outcome(r.accepted, r.duplicates, r.conflicts) AS outcome,
       pm_test.outcome(r.accepted, r.duplicates, r.conflicts) = v.expected AS agrees
  FROM (VALUES
    (35, 'onboarding completed: the first event again', 'duplicate', '{"type": "onboarding", "subject": "c-o", "team": "checkout", "started_at": "2026-03-01T00:00:00Z"}'),
    (36, 'onboarding completed: the row as stored', 'duplicate', '{"type": "onboarding", "subject": "c-o", "team": "checkout", "started_at": "2026-03-01T00:00:00Z", "reached_at": "2026-03-05T00:00:00Z"}'),
    (37, 'onboarding completed: another reached_at', 'conflict', '{"type": "onboarding", "subject": "c-o", "team": "checkout", "started_at": "2026-03-01T00:00:00Z", "reached_at": "2026-03-06T00:00:00Z"}'),
    (38, 'onboarding completed: the first completion again', 'conflict', '{"type": "onboarding", "subject": "c-o", "team": "checkout", "started_at": "2026-02-27T00:00:00Z", "reached_at": "2026-03-05T00:00:00Z"}'),
    (39, 'feedback advanced: the first event again', 'duplicate', '{"type": "feedback", "feedback_id": "c-f", "team": "checkout", "capability": "ci", "channel": "chat", "received_at": "2026-03-01"}'),
    (40, 'feedback advanced: with the theme first sent', 'conflict', '{"type": "feedback", "feedback_id": "c-f", "team": "checkout", "capability": "ci", "channel": "chat", "received_at": "2026-03-01", "theme": "docs"}'),
    (41, 'feedback advanced: with its synthesized_at', 'duplicate', '{"type": "feedback", "feedback_id": "c-f", "team": "checkout", "capability": "ci", "channel": "chat", "received_at": "2026-03-01", "synthesized_at": "2026-03-02"}')
  ) v(n, variant, expected, event)
  CROSS JOIN LATERAL ingest(jsonb_build_array(v.event::jsonb)) r
 ORDER BY v.n;
RESET client_min_messages;
SELECT pm_test.stored_rows() = :'stored' AS stored_rows_unchanged;

-- Within one batch: an id sent twice is stored once, from its first event;
-- the second is a duplicate when it says the same, a conflict otherwise.
-- Every event is counted once: accepted + duplicates + conflicts = events.
SELECT * FROM ingest('[
  {"type": "usage", "event_id": "b-1", "team": "checkout", "capability": "ci", "occurred_at": "2026-03-10T00:00:00Z"},
  {"type": "usage", "event_id": "b-2", "team": "checkout", "capability": "ci", "occurred_at": "2026-03-10T00:00:00Z"},
  {"type": "usage", "event_id": "b-1", "team": "checkout", "capability": "ci", "occurred_at": "2026-03-10T00:00:00Z"},
  {"type": "usage", "event_id": "b-2", "team": "search", "capability": "ci", "occurred_at": "2026-03-10T00:00:00Z"},
  {"type": "unplanned", "event_id": "b-3", "team": "checkout", "occurred_at": "2026-03-10", "hours": 1},
  {"type": "unplanned", "event_id": "b-3", "team": "checkout", "occurred_at": "2026-03-10", "hours": 2},
  {"type": "usage", "event_id": "c-u", "team": "checkout", "capability": "ci", "occurred_at": "2026-03-01T10:00:00Z"},
  {"type": "survey", "response_id": "c-r", "wave": "2026-Q1", "team": "checkout", "score": 1}
]');
SELECT event_id, team FROM usage_events WHERE event_id LIKE 'b-%' ORDER BY 1;
SELECT event_id, hours FROM unplanned_work WHERE event_id LIKE 'b-%';
-- The warning names the first conflict by index, its id (long ones cut) and
-- the fields that differ, and counts them all
SELECT * FROM ingest(jsonb_build_array(
  '{"type": "usage", "event_id": "b-4", "team": "checkout", "capability": "ci", "occurred_at": "2026-03-10T00:00:00Z"}'::jsonb,
  jsonb_build_object('type', 'usage', 'event_id', repeat('long-', 30), 'team', 'checkout', 'capability', 'ci',
                     'occurred_at', '2026-03-10T00:00:00Z'),
  jsonb_build_object('type', 'usage', 'event_id', repeat('long-', 30), 'team', 'search', 'capability', 'templates',
                     'occurred_at', '2026-03-11T00:00:00Z', 'kind', 'abandon'),
  '{"type": "usage", "event_id": "c-u", "team": "search", "capability": "ci", "occurred_at": "2026-03-01T10:00:00Z"}'::jsonb));

-- ingest()'s errors carry no CONTEXT line pointing into its body, whatever
-- raises them: its checks (in C and in SQL), a foreign key, a trigger, the
-- unique index of submissions.  Called directly, as a user would, so that
-- psql shows every line it shows a user:
SELECT * FROM ingest('{"type": "usage"}');
SELECT * FROM ingest('[{"type": "usage", "event_id": "x1", "team": "checkout", "capability": "ci"}]');
SELECT * FROM ingest('[{"type": "usage", "event_id": "x1", "team": "payments", "capability": "ci", "occurred_at": "2026-03-01"}]');
SELECT * FROM ingest('[{"type": "survey", "response_id": "x1", "wave": "2026-Q1", "team": "checkout", "question": "speed", "score": 5}]');
SELECT * FROM ingest('[{"type": "survey", "response_id": "x1", "wave": "2025-Q4", "team": "checkout", "score": 5}]');
SELECT * FROM ingest('[{"type": "survey", "response_id": "x1", "wave": "2026-Q1", "team": "checkout", "score": 5, "submission_id": "c0ffee00-0000-4000-8000-000000000001"},
                       {"type": "survey", "response_id": "x2", "wave": "2026-Q1", "team": "checkout", "score": 6, "submission_id": "c0ffee00-0000-4000-8000-000000000001"}]');
-- (the test's triggers stand for what another session may do while a batch
-- is stored: remove a team, close a wave, store an answer of the same
-- submission)
INSERT INTO teams (team, headcount) VALUES ('leaving', 1);
CREATE FUNCTION pm_test.remove_team() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM platform_metrics.teams WHERE team = 'leaving';
    RETURN NULL;
END $$;
CREATE TRIGGER pm_test_remove_team BEFORE INSERT ON usage_events
    FOR EACH STATEMENT EXECUTE FUNCTION pm_test.remove_team();
SELECT * FROM ingest('[{"type": "usage", "event_id": "x1", "team": "leaving", "capability": "ci", "occurred_at": "2026-03-01"}]');
DROP TRIGGER pm_test_remove_team ON usage_events;
CREATE FUNCTION pm_test.close_wave() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER AS $$
BEGIN
    UPDATE platform_metrics.survey_waves SET closed_at = now() WHERE wave = '2026-Q2';
    RETURN NULL;
END $$;
CREATE TRIGGER pm_test_close_wave BEFORE INSERT ON survey_responses
    FOR EACH STATEMENT EXECUTE FUNCTION pm_test.close_wave();
-- (the wave trigger lets superusers through: a service's session)
CREATE ROLE regress_pm_sender LOGIN IN ROLE platform_metrics_writer;
SET SESSION AUTHORIZATION regress_pm_sender;
SELECT * FROM platform_metrics.ingest('[{"type": "survey", "response_id": "x1", "wave": "2026-Q2", "team": "checkout", "score": 5}]');
RESET SESSION AUTHORIZATION;
DROP TRIGGER pm_test_close_wave ON survey_responses;
CREATE FUNCTION pm_test.answer_first() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF pg_trigger_depth() = 1 THEN
        INSERT INTO platform_metrics.survey_responses (response_id, wave, team, score, submission_id)
        VALUES ('x-first', '2026-Q1', 'checkout', 8, 'c0ffee00-0000-4000-8000-000000000002');
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER pm_test_answer_first BEFORE INSERT ON survey_responses
    FOR EACH STATEMENT EXECUTE FUNCTION pm_test.answer_first();
SELECT * FROM ingest('[{"type": "survey", "response_id": "x1", "wave": "2026-Q1", "team": "checkout", "score": 5, "submission_id": "c0ffee00-0000-4000-8000-000000000002"}]');
DROP TRIGGER pm_test_answer_first ON survey_responses;
-- nothing of them was stored, and the team is still there
SELECT (SELECT count(*) FROM usage_events WHERE event_id LIKE 'x%') + (SELECT count(*) FROM survey_responses WHERE response_id LIKE 'x%') AS stored,
       (SELECT count(*) FROM teams WHERE team = 'leaving') AS leaving_team,
       (SELECT closed_at FROM survey_waves WHERE wave = '2026-Q2') AS q2_closed_at;
-- A caller's own context stays: a function of the sender that calls ingest()
CREATE FUNCTION pm_test.send(events jsonb) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    PERFORM platform_metrics.ingest(events);
END $$;
SELECT pm_test.send('[{"type": "usage", "event_id": "x1", "team": "payments", "capability": "ci", "occurred_at": "2026-03-01"}]');
DROP FUNCTION pm_test.send(jsonb), pm_test.answer_first(), pm_test.close_wave(), pm_test.remove_team(),
    pm_test.stored_rows(), pm_test.outcome(bigint, bigint, bigint);
DROP ROLE regress_pm_sender;

-- A timestamp without a time zone ("2026-03-01T10:00:00", "2026-03-01") is
-- read in the session's TimeZone (a service's: its role's or database's
-- setting): the same event sent from sessions in two zones is stored as two
-- instants, and sent again from the other zone it is a conflict.  One with
-- an offset (or Z) is the same instant from any session.
SET TimeZone = 'UTC';
SELECT * FROM ingest('[
  {"type": "usage", "event_id": "tz-utc-zoneless", "team": "checkout", "capability": "ci", "occurred_at": "2026-03-01T10:00:00"},
  {"type": "usage", "event_id": "tz-utc-date", "team": "checkout", "capability": "ci", "occurred_at": "2026-03-01"},
  {"type": "usage", "event_id": "tz-utc-offset", "team": "checkout", "capability": "ci", "occurred_at": "2026-03-01T10:00:00+02:00"}
]');
SET TimeZone = 'America/New_York';
SELECT * FROM ingest('[
  {"type": "usage", "event_id": "tz-ny-zoneless", "team": "checkout", "capability": "ci", "occurred_at": "2026-03-01T10:00:00"},
  {"type": "usage", "event_id": "tz-ny-date", "team": "checkout", "capability": "ci", "occurred_at": "2026-03-01"},
  {"type": "usage", "event_id": "tz-ny-offset", "team": "checkout", "capability": "ci", "occurred_at": "2026-03-01T10:00:00+02:00"}
]');
SELECT * FROM ingest('[
  {"type": "usage", "event_id": "tz-utc-offset", "team": "checkout", "capability": "ci", "occurred_at": "2026-03-01T10:00:00+02:00"},
  {"type": "usage", "event_id": "tz-utc-zoneless", "team": "checkout", "capability": "ci", "occurred_at": "2026-03-01T10:00:00"}
]');
SET TimeZone = 'UTC';
SELECT event_id, occurred_at FROM usage_events WHERE event_id LIKE 'tz-%' ORDER BY occurred_at, event_id;
-- (New York is 5 hours behind UTC on 2026-03-01, before its summer time)
SELECT n.occurred_at - u.occurred_at AS apart, n.occurred_at = u.occurred_at AS same_instant, s.kind
  FROM (VALUES ('zoneless'), ('date'), ('offset')) s(kind)
  JOIN usage_events u ON u.event_id = 'tz-utc-' || s.kind
  JOIN usage_events n ON n.event_id = 'tz-ny-' || s.kind
 ORDER BY 3;

-- Leave the tables empty for the suites that follow
TRUNCATE usage_events, survey_responses, survey_waves, onboarding, feedback, unplanned_work, capabilities, teams;
