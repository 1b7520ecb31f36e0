-- ingest() and onboarding retries (1.1): a completed row is never lost to a
-- stale retry, and completing a row before its stored start is a named error.
SET search_path = public, platform_metrics;
SET TimeZone = 'UTC';
INSERT INTO teams (team, headcount) VALUES ('rt', 4);
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

-- Stored start 2026-03-01, not reached; a retry says started 2026-01-01,
-- reached 2026-02-01: before the stored start, so a named error, nothing stored.
SELECT * FROM ingest('[{"type": "onboarding", "subject": "ana", "team": "rt", "started_at": "2026-03-01"}]');
SELECT pm_test.error_of($$SELECT * FROM ingest('[
  {"type": "usage", "event_id": "rt-1", "team": "rt", "capability": "rt-cap", "occurred_at": "2026-03-02"},
  {"type": "onboarding", "subject": "ana", "team": "rt", "started_at": "2026-01-01", "reached_at": "2026-02-01"}]')$$);
-- (called directly: the error as psql shows it, without a CONTEXT line)
SELECT * FROM ingest('[{"type": "onboarding", "subject": "ana", "team": "rt", "started_at": "2026-01-01", "reached_at": "2026-02-01"}]');
SELECT subject, started_at, reached_at FROM onboarding WHERE subject = 'ana';
SELECT count(*) AS usage_stored FROM usage_events WHERE event_id = 'rt-1';
-- reached after the stored start: completes the row (the stored start stays)
SELECT * FROM ingest('[{"type": "onboarding", "subject": "ana", "team": "rt", "started_at": "2026-01-01", "reached_at": "2026-03-05"}]');
SELECT subject, started_at, reached_at FROM onboarding WHERE subject = 'ana';
-- a completed row is not changed by a later completion (a conflict)
SELECT * FROM ingest('[{"type": "onboarding", "subject": "ana", "team": "rt", "started_at": "2026-03-01", "reached_at": "2026-03-09"}]');
SELECT subject, reached_at FROM onboarding WHERE subject = 'ana';

DELETE FROM onboarding WHERE team = 'rt';
DELETE FROM teams WHERE team = 'rt';
DELETE FROM capabilities WHERE capability = 'rt-cap';
