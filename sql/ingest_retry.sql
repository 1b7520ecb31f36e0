-- ingest() and onboarding retries (1.1): a completed row is never lost to a
-- stale retry; a completion must say the stored team and start (1.7).
SET search_path = public, platform_metrics;
SET TimeZone = 'UTC';
INSERT INTO teams (team, headcount) VALUES ('rt', 4), ('rt2', 4);
INSERT INTO capabilities (capability) VALUES ('rt-cap');

-- In one batch: completed first, then a stale retry without reached_at.  The
-- completion wins (1.0 stored reached_at NULL).  One row stored, one duplicate.
SELECT * FROM ingest('[{"type": "onboarding", "subject": "bo", "team": "rt", "started_at": "2026-01-01", "reached_at": "2026-02-01"},
                       {"type": "onboarding", "subject": "bo", "team": "rt", "started_at": "2026-01-01"}]');
SELECT subject, started_at, reached_at FROM onboarding WHERE team = 'rt';
-- Two completions in one batch: the last one wins; the other says another
-- reached_at than the row stored (a conflict), the stale retry without
-- reached_at is a duplicate.
SELECT * FROM ingest('[{"type": "onboarding", "subject": "cy", "team": "rt", "started_at": "2026-01-01", "reached_at": "2026-02-01"},
                       {"type": "onboarding", "subject": "cy", "team": "rt", "started_at": "2026-01-01", "reached_at": "2026-02-03"},
                       {"type": "onboarding", "subject": "cy", "team": "rt", "started_at": "2026-01-01"}]');
SELECT subject, reached_at FROM onboarding WHERE subject = 'cy';

-- Stored start 2026-03-01, not reached.  A completion that says another start
-- (2026-01-01) is another event under the subject's id: a conflict, which
-- completes nothing (1.1 to 1.6 completed the row with the stored start, and
-- refused a reached_at before it with a named error); the usage event beside
-- it is stored.  Since 1.7 no completion can end before the stored start: it
-- must say that start, and the batch walk refuses a reached_at before it.
SELECT * FROM ingest('[{"type": "onboarding", "subject": "ana", "team": "rt", "started_at": "2026-03-01"}]');
SELECT * FROM ingest('[
  {"type": "usage", "event_id": "rt-1", "team": "rt", "capability": "rt-cap", "occurred_at": "2026-03-02"},
  {"type": "onboarding", "subject": "ana", "team": "rt", "started_at": "2026-01-01", "reached_at": "2026-02-01"}]');
SELECT * FROM ingest('[{"type": "onboarding", "subject": "ana", "team": "rt2", "started_at": "2026-03-01", "reached_at": "2026-03-04"}]');
SELECT pm_test.error_of($$SELECT * FROM ingest('[{"type": "onboarding", "subject": "ana", "team": "rt", "started_at": "2026-03-01", "reached_at": "2026-02-01"}]')$$);
SELECT subject, started_at, reached_at FROM onboarding WHERE subject = 'ana';
SELECT count(*) AS usage_stored FROM usage_events WHERE event_id = 'rt-1';
-- the stored team and start with a reached_at after it: completes the row
SELECT * FROM ingest('[{"type": "onboarding", "subject": "ana", "team": "rt", "started_at": "2026-03-01T00:00:00Z", "reached_at": "2026-03-05"}]');
SELECT subject, started_at, reached_at FROM onboarding WHERE subject = 'ana';
-- a completed row is not changed by a later completion (a conflict)
SELECT * FROM ingest('[{"type": "onboarding", "subject": "ana", "team": "rt", "started_at": "2026-03-01", "reached_at": "2026-03-09"}]');
SELECT subject, reached_at FROM onboarding WHERE subject = 'ana';

DELETE FROM usage_events WHERE event_id = 'rt-1';
DELETE FROM onboarding WHERE team = 'rt';
DELETE FROM teams WHERE team IN ('rt', 'rt2');
DELETE FROM capabilities WHERE capability = 'rt-cap';
