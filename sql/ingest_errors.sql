-- ingest(): events that the tables' CHECK constraints or column types would
-- reject, and timestamps the server's parser would throw on or read
-- relative to now, are refused by the validator with an error naming the
-- index and field (22023) -- never a raw constraint, overflow or time zone
-- error -- and nothing of the batch is stored.
SET search_path = public, platform_metrics;
SET TimeZone = 'UTC';

INSERT INTO teams (team, headcount) VALUES ('checkout', 8);
INSERT INTO capabilities (capability) VALUES ('ci');
INSERT INTO survey_waves (wave) VALUES ('2026-Q1');

CREATE FUNCTION pm_test.rows_stored() RETURNS bigint LANGUAGE sql AS $$
    SELECT (SELECT count(*) FROM platform_metrics.usage_events) + (SELECT count(*) FROM platform_metrics.survey_responses)
         + (SELECT count(*) FROM platform_metrics.onboarding) + (SELECT count(*) FROM platform_metrics.feedback)
         + (SELECT count(*) FROM platform_metrics.unplanned_work)
$$;

-- Every batch starts with a valid event, so the index named is 1 and the
-- valid event must not be stored either.
CREATE FUNCTION pm_test.ingest_error(bad text) RETURNS text LANGUAGE sql AS $$
    SELECT pm_test.error_of(format('SELECT * FROM platform_metrics.ingest(%L)',
        '[{"type": "usage", "event_id": "ok", "team": "checkout", "capability": "ci", "occurred_at": "2026-01-01"}, '
        || bad || ']'))
$$;

-- 1. The order of the timestamps: every CHECK constraint of feedback
--    (synthesized_at >= received_at, acted_at >= coalesce(synthesized_at,
--    received_at), communicated_at >= received_at) and of onboarding
--    (reached_at >= started_at)
SELECT pm_test.ingest_error(e) AS error FROM unnest(ARRAY[
  '{"type": "feedback", "feedback_id": "f1", "received_at": "2026-02-01", "acted_at": "2026-01-01"}',
  '{"type": "feedback", "feedback_id": "f1", "received_at": "2026-02-01", "synthesized_at": "2026-01-31T23:59:59Z"}',
  '{"type": "feedback", "feedback_id": "f1", "received_at": "2026-02-01", "synthesized_at": "2026-02-05", "acted_at": "2026-02-03"}',
  '{"type": "feedback", "feedback_id": "f1", "received_at": "2026-02-01", "communicated_at": "2026-01-15"}',
  '{"type": "feedback", "feedback_id": "f1", "received_at": "2026-02-01 10:00+00", "communicated_at": "2026-02-01 11:00+02"}',
  '{"type": "onboarding", "subject": "ana", "team": "checkout", "started_at": "2026-02-01", "reached_at": "2026-01-01"}'
]) e;
SELECT pm_test.rows_stored();

-- 2. hours is stored as numeric(8,2): it must be 0.01 .. 999999.99 once
--    rounded (0.001 would round to 0.00, 999999.999 would overflow)
SELECT pm_test.ingest_error(e) AS error FROM unnest(ARRAY[
  '{"type": "unplanned", "event_id": "w1", "team": "checkout", "occurred_at": "2026-02-01", "hours": 0.001}',
  '{"type": "unplanned", "event_id": "w1", "team": "checkout", "occurred_at": "2026-02-01", "hours": 0.00499999}',
  '{"type": "unplanned", "event_id": "w1", "team": "checkout", "occurred_at": "2026-02-01", "hours": 0}',
  '{"type": "unplanned", "event_id": "w1", "team": "checkout", "occurred_at": "2026-02-01", "hours": -0.004}',
  '{"type": "unplanned", "event_id": "w1", "team": "checkout", "occurred_at": "2026-02-01", "hours": 999999.995}',
  '{"type": "unplanned", "event_id": "w1", "team": "checkout", "occurred_at": "2026-02-01", "hours": 999999.999}',
  '{"type": "unplanned", "event_id": "w1", "team": "checkout", "occurred_at": "2026-02-01", "hours": 1000000}',
  '{"type": "unplanned", "event_id": "w1", "team": "checkout", "occurred_at": "2026-02-01", "hours": "2.5"}'
]) e;
SELECT pm_test.rows_stored();

-- 3. Hostile numbers are compared as numeric (no float8 conversion to
--    overflow) and shown short in the message
SELECT pm_test.ingest_error(e) AS error FROM unnest(ARRAY[
  '{"type": "unplanned", "event_id": "w1", "team": "checkout", "occurred_at": "2026-02-01", "hours": 1e400}',
  '{"type": "unplanned", "event_id": "w1", "team": "checkout", "occurred_at": "2026-02-01", "hours": 1e-400}',
  '{"type": "unplanned", "event_id": "w1", "team": "checkout", "occurred_at": "2026-02-01", "hours": -1.5e400}',
  '{"type": "survey", "response_id": "r1", "wave": "2026-Q1", "team": "checkout", "score": 1e400}',
  '{"type": "survey", "response_id": "r1", "wave": "2026-Q1", "team": "checkout", "score": 1e-400}',
  '{"type": "survey", "response_id": "r1", "wave": "2026-Q1", "team": "checkout", "score": -1}',
  '{"type": "survey", "response_id": "r1", "wave": "2026-Q1", "team": "checkout", "score": 7.0}',
  '{"type": "survey", "response_id": "r1", "wave": "2026-Q1", "team": "checkout", "score": 10.000000000000000000000000000000001}'
]) e;
SELECT pm_test.rows_stored();

-- 4. Unknown time zone names (the server's parser would throw "time zone
--    not recognized"), out-of-range and infinite timestamps
SELECT pm_test.ingest_error(e) AS error FROM unnest(ARRAY[
  '{"type": "usage", "event_id": "u1", "team": "checkout", "capability": "ci", "occurred_at": "2026-02-01 10:00 Foo/Bar"}',
  '{"type": "usage", "event_id": "u1", "team": "checkout", "capability": "ci", "occurred_at": "2026-02-01T10:00:00 America/Nowhere"}',
  '{"type": "usage", "event_id": "u1", "team": "checkout", "capability": "ci", "occurred_at": "feb 01 2026 foo/bar"}',
  '{"type": "feedback", "feedback_id": "f1", "received_at": "2026-02-01", "acted_at": "2026-02-02 Mars/Olympus_Mons"}',
  '{"type": "usage", "event_id": "u1", "team": "checkout", "capability": "ci", "occurred_at": "300000-01-01"}',
  '{"type": "usage", "event_id": "u1", "team": "checkout", "capability": "ci", "occurred_at": "4714-11-23 BC"}',
  '{"type": "usage", "event_id": "u1", "team": "checkout", "capability": "ci", "occurred_at": "infinity"}',
  '{"type": "onboarding", "subject": "ana", "team": "checkout", "started_at": "-infinity"}',
  '{"type": "usage", "event_id": "u1", "team": "checkout", "capability": "ci", "occurred_at": "epoch"}',
  '{"type": "usage", "event_id": "u1", "team": "checkout", "capability": "ci", "occurred_at": "2026-02-01 10:00:00 this is not a timestamp at all, and it goes on and on for more than a hundred characters"}'
]) e;
SELECT pm_test.rows_stored();

-- 5. Relative words: the stored time would depend on when the batch arrives
SELECT pm_test.ingest_error(e) AS error FROM unnest(ARRAY[
  '{"type": "usage", "event_id": "u1", "team": "checkout", "capability": "ci", "occurred_at": "now"}',
  '{"type": "survey", "response_id": "r1", "wave": "2026-Q1", "team": "checkout", "score": 9, "submitted_at": "today"}',
  '{"type": "onboarding", "subject": "ana", "team": "checkout", "started_at": "Yesterday 09:00"}',
  '{"type": "feedback", "feedback_id": "f1", "received_at": "2026-02-01", "communicated_at": "tomorrow"}',
  '{"type": "unplanned", "event_id": "w1", "team": "checkout", "occurred_at": " NOW ", "hours": 1}'
]) e;
SELECT pm_test.rows_stored();

-- Ids and names are btree keys: longer than 1000 bytes is a named error, not
-- "index row size exceeds btree maximum" (1000 bytes exactly is stored below)
SELECT pm_test.ingest_error(e) AS error FROM unnest(ARRAY[
  format('{"type": "usage", "event_id": "%s", "team": "checkout", "capability": "ci", "occurred_at": "2026-02-01"}', repeat('x', 6000)),
  format('{"type": "survey", "response_id": "r9", "wave": "%s", "team": "checkout", "score": 5}', repeat('w', 1001)),
  format('{"type": "onboarding", "subject": "%s", "team": "checkout", "started_at": "2026-02-01"}', repeat('é', 501))
]) e;
SELECT pm_test.rows_stored() AS stored;

-- pm_parse_timestamptz (the store step's parser) agrees: NULL for all of
-- them, and no error
SELECT t, pm_parse_timestamptz(t) FROM unnest(ARRAY[
  '2026-02-01 10:00 Foo/Bar', 'today foo/bar', 'now', 'today', 'tomorrow', 'yesterday', 'epoch',
  'infinity', '-infinity', '300000-01-01',
  '2026-02-01 10:00 Europe/Berlin', 'on feb-07-2026', '1970-01-01T00:00:00Z', '294276-12-31 23:59:59+00'
]) t;

-- The limits themselves are accepted: equal timestamps, hours that round to
-- 0.01 and 999999.99, scores 0 and 10 (also written 1e1), a named time zone,
-- an id of 1000 bytes
SELECT * FROM ingest(('[
  {"type": "feedback", "feedback_id": "f2", "received_at": "2026-02-01", "synthesized_at": "2026-02-01",
   "acted_at": "2026-02-01", "communicated_at": "2026-02-01"},
  {"type": "feedback", "feedback_id": "f3", "received_at": "2026-02-01", "acted_at": "2026-02-01 01:00+01"},
  {"type": "onboarding", "subject": "bo", "team": "checkout", "started_at": "2026-02-01", "reached_at": "2026-02-01"},
  {"type": "unplanned", "event_id": "w2", "team": "checkout", "occurred_at": "2026-02-01", "hours": 0.005},
  {"type": "unplanned", "event_id": "w3", "team": "checkout", "occurred_at": "2026-02-01", "hours": 999999.994999},
  {"type": "survey", "response_id": "r2", "wave": "2026-Q1", "team": "checkout", "score": 0, "submitted_at": "2026-02-01"},
  {"type": "survey", "response_id": "r3", "wave": "2026-Q1", "team": "checkout", "score": 1e1, "submitted_at": "2026-02-01"},
  {"type": "usage", "event_id": "u2", "team": "checkout", "capability": "ci", "occurred_at": "2026-02-01 10:00 Europe/Berlin"},
  {"type": "usage", "event_id": "' || repeat('u', 1000) || '", "team": "checkout", "capability": "ci", "occurred_at": "2026-02-01"}
]')::jsonb);
SELECT feedback_id, received_at, synthesized_at, acted_at, communicated_at FROM feedback ORDER BY feedback_id;
SELECT event_id, hours FROM unplanned_work ORDER BY event_id;
SELECT response_id, score FROM survey_responses ORDER BY response_id;
SELECT left(event_id, 10) AS event_id, length(event_id), occurred_at FROM usage_events ORDER BY 2;

-- Leave the tables empty for the suites that follow
DROP FUNCTION pm_test.ingest_error(text), pm_test.rows_stored();
TRUNCATE usage_events, survey_responses, survey_waves, onboarding, feedback, unplanned_work, capabilities, teams;
