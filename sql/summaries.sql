-- Summaries behind the usage views (1.5): the views read usage_team_summary
-- and usage_cohort_summary below the watermark and raw rows above it (and for
-- changed pairs).  Checked against the 1.4 views, which read raw only (the
-- pg_temp.raw_* copies below), in every state: nothing refreshed, refreshed,
-- a tail after the refresh, after UPDATE and DELETE, rebuilt, in another
-- time zone, after TRUNCATE.  Concurrency: test/specs/refresh_*.spec.
SET search_path = public, platform_metrics;
SET extra_float_digits = 0;
SET TimeZone = 'UTC';
SET jit = off;   -- compiling the eight comparisons of check() takes seconds; running them, milliseconds
SELECT setseed(0.15);

-- The 1.4 definitions (raw rows only), as plain SQL.
CREATE VIEW pg_temp.raw_capability_adoption AS
WITH per_team AS (
    SELECT u.capability, u.team,
           max(u.occurred_at) FILTER (WHERE u.kind <> 'abandon') AS last_use,
           -- the latest event is an abandon (one at the same instant as a use wins)
           coalesce(max(u.occurred_at) FILTER (WHERE u.kind = 'abandon')
                    >= coalesce(max(u.occurred_at) FILTER (WHERE u.kind <> 'abandon'), '-infinity'), false)
               AS moved_back
      FROM platform_metrics.usage_events u
     GROUP BY u.capability, u.team),
eligible AS (SELECT count(*) AS n FROM platform_metrics.teams)
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
  FROM platform_metrics.capabilities c CROSS JOIN eligible e
       LEFT JOIN per_team p ON p.capability = c.capability
 GROUP BY c.capability, c.mandatory, e.n;

CREATE VIEW pg_temp.raw_capability_retention AS
SELECT c.capability, r.*, r.period_start + interval '1 month' <= now() AS complete
  FROM platform_metrics.capabilities c
       CROSS JOIN LATERAL platform_metrics.cohort_rows(
           (SELECT platform_metrics.churn_cohort(u.team, u.occurred_at, '1 month')
              FROM platform_metrics.usage_events u
             WHERE u.capability = c.capability AND u.kind <> 'abandon')) r;

CREATE VIEW pg_temp.raw_churned_teams AS
SELECT u.capability, u.team,
       min(u.occurred_at) AS first_activity,
       max(u.occurred_at) FILTER (WHERE u.kind <> 'abandon') AS last_activity,
       extract(day FROM now() - max(u.occurred_at) FILTER (WHERE u.kind <> 'abandon'))::integer AS idle_days,
       CASE WHEN coalesce(max(u.occurred_at) FILTER (WHERE u.kind = 'abandon')
                          >= coalesce(max(u.occurred_at) FILTER (WHERE u.kind <> 'abandon'), '-infinity'), false)
            THEN 'moved back' ELSE 'went quiet' END AS status
  FROM platform_metrics.usage_events u
 GROUP BY u.capability, u.team
HAVING coalesce(max(u.occurred_at) FILTER (WHERE u.kind = 'abandon')
                >= coalesce(max(u.occurred_at) FILTER (WHERE u.kind <> 'abandon'), '-infinity'), false)
    OR max(u.occurred_at) FILTER (WHERE u.kind <> 'abandon') < now() - interval '60 days';

CREATE VIEW pg_temp.raw_post_launch_adoption AS
WITH first_use AS (
    SELECT u.capability, u.team, min(u.occurred_at) AS first_at
      FROM platform_metrics.usage_events u WHERE u.kind <> 'abandon'
     GROUP BY u.capability, u.team),
eligible AS (SELECT count(*) AS n FROM platform_metrics.teams)
SELECT c.capability, w.week AS weeks_since_launch,
       count(f.team) AS adopting_teams,
       count(f.team)::double precision / nullif(e.n, 0) AS adoption_share
  FROM platform_metrics.capabilities c CROSS JOIN eligible e
       CROSS JOIN LATERAL generate_series(0, greatest(0, floor(extract(epoch FROM now() - c.launched_at) / 604800)::integer)) AS w(week)
       LEFT JOIN first_use f ON f.capability = c.capability
                            AND f.first_at < c.launched_at + (w.week + 1) * interval '1 week'
 GROUP BY c.capability, w.week, e.n;

-- check(): for each view, its rows, and the rows it has that raw has not
-- and the reverse (both 0 when the answers are identical).
CREATE FUNCTION pg_temp.check() RETURNS TABLE (view text, view_rows bigint, only_view bigint, only_raw bigint)
LANGUAGE sql AS $$
    SELECT 'capability_adoption', (SELECT count(*) FROM capability_adoption),
           (SELECT count(*) FROM (SELECT * FROM capability_adoption EXCEPT ALL SELECT * FROM pg_temp.raw_capability_adoption) d),
           (SELECT count(*) FROM (SELECT * FROM pg_temp.raw_capability_adoption EXCEPT ALL SELECT * FROM capability_adoption) d)
    UNION ALL
    SELECT 'capability_retention', (SELECT count(*) FROM capability_retention),
           (SELECT count(*) FROM (SELECT * FROM capability_retention EXCEPT ALL SELECT * FROM pg_temp.raw_capability_retention) d),
           (SELECT count(*) FROM (SELECT * FROM pg_temp.raw_capability_retention EXCEPT ALL SELECT * FROM capability_retention) d)
    UNION ALL
    SELECT 'churned_teams', (SELECT count(*) FROM churned_teams),
           (SELECT count(*) FROM (SELECT * FROM churned_teams EXCEPT ALL SELECT * FROM pg_temp.raw_churned_teams) d),
           (SELECT count(*) FROM (SELECT * FROM pg_temp.raw_churned_teams EXCEPT ALL SELECT * FROM churned_teams) d)
    UNION ALL
    SELECT 'post_launch_adoption', (SELECT count(*) FROM post_launch_adoption),
           (SELECT count(*) FROM (SELECT * FROM post_launch_adoption EXCEPT ALL SELECT * FROM pg_temp.raw_post_launch_adoption) d),
           (SELECT count(*) FROM (SELECT * FROM pg_temp.raw_post_launch_adoption EXCEPT ALL SELECT * FROM post_launch_adoption) d)
$$;
-- what the summaries hold of this suite's capabilities (pairs, events, matrices), the tail and changed pairs
CREATE FUNCTION pg_temp.state() RETURNS TABLE (pairs bigint, events numeric, matrices bigint, tail bigint, changed bigint)
LANGUAGE sql AS $$
    SELECT (SELECT count(*) FROM usage_team_summary WHERE capability LIKE 'sm-%'),
           (SELECT sum(events) FROM usage_team_summary WHERE capability LIKE 'sm-%'),
           (SELECT count(*) FROM usage_cohort_summary WHERE capability LIKE 'sm-%'), r.tail_rows, r.changed_keys
      FROM refresh_status r WHERE r.source = 'usage_events'
$$;

-- 30 teams, 4 capabilities launched 200..400 days ago, 6000 events over 14
-- months (some before launch), a tenth of them abandons; events at the same
-- instant as an abandon (the use wins) and at a month boundary.
INSERT INTO teams (team, headcount) SELECT 'sm-' || i, 5 FROM generate_series(1, 30) i;
INSERT INTO capabilities (capability, mandatory, launched_at)
SELECT 'sm-cap-' || i, i = 1, now() - (100 + 100 * i) * interval '1 day' FROM generate_series(1, 4) i;
INSERT INTO usage_events (event_id, team, capability, occurred_at, kind)
SELECT 'sm-' || i, 'sm-' || (1 + floor(random() * 30)::int), 'sm-cap-' || (1 + floor(random() * 4)::int),
       now() - random() * interval '420 days',
       CASE WHEN random() < 0.1 THEN 'abandon' WHEN random() < 0.05 THEN 'adopt' ELSE 'use' END
  FROM generate_series(1, 6000) i;
INSERT INTO usage_events (event_id, team, capability, occurred_at, kind) VALUES
    ('sm-tie-1', 'sm-1', 'sm-cap-2', now() - interval '3 days', 'abandon'),
    ('sm-tie-2', 'sm-1', 'sm-cap-2', now() - interval '3 days', 'use'),
    ('sm-month', 'sm-2', 'sm-cap-3', date_trunc('month', now()) - interval '1 microsecond', 'use');
-- first uses exactly at the end of a week after launch and a microsecond
-- before it (post_launch_adoption counts a team from the week its first use
-- falls in)
INSERT INTO usage_events (event_id, team, capability, occurred_at)
SELECT 'sm-week-' || t.k, 'sm-' || (20 + t.k), 'sm-cap-1', c.launched_at + interval '3 weeks' - t.k * interval '1 microsecond'
  FROM capabilities c, (VALUES (0), (1)) t(k) WHERE c.capability = 'sm-cap-1';
DELETE FROM usage_events WHERE capability = 'sm-cap-1' AND team IN ('sm-20', 'sm-21') AND event_id NOT LIKE 'sm-week-%'
   AND occurred_at < (SELECT launched_at + interval '3 weeks' FROM capabilities WHERE capability = 'sm-cap-1');

-- The summaries' zone is the installing session's; this suite's is UTC
-- (capability_retention is served from them when the session's TimeZone
-- names the same zone).
CALL refresh(full => true, time_zone => 'UTC');
SELECT time_zone FROM refresh_status WHERE source = 'usage_events';

-- Nothing refreshed yet: every row is in the tail.
SELECT * FROM pg_temp.check();
SELECT * FROM pg_temp.state();

-- Refreshed: the summaries hold every row, the tail is empty.
CALL refresh();
SELECT * FROM pg_temp.check();
SELECT * FROM pg_temp.state();
SELECT watermark = (SELECT max(seq) FROM usage_events) AS watermark_at_last_row,
       last_rows, last_keys FROM refresh_status WHERE source = 'usage_events';
-- The views do read the summaries: a summary row altered by hand shows
-- (sm-5 seemingly abandoned sm-cap-1 tomorrow); its team's cohort matrix
-- emptied shows too.  A rebuild puts both right.
UPDATE usage_team_summary SET last_abandon_at = now() + interval '1 day' WHERE capability = 'sm-cap-1' AND team = 'sm-5';
UPDATE usage_cohort_summary SET matrix = (SELECT churn_cohort(t, now(), '1 month') FROM (VALUES ('nobody')) v(t))
 WHERE capability = 'sm-cap-2';
SELECT capability, team, status FROM churned_teams WHERE team = 'sm-5' AND capability = 'sm-cap-1';
SELECT count(*) AS retention_rows_of_sm_cap_2 FROM capability_retention WHERE capability = 'sm-cap-2';
SELECT * FROM pg_temp.check();
CALL refresh(full => true);
SELECT * FROM pg_temp.check();

-- A tail after the refresh: new teams, new pairs, later and earlier events.
INSERT INTO usage_events (event_id, team, capability, occurred_at, kind)
SELECT 'sm-t-' || i, 'sm-' || (1 + floor(random() * 30)::int), 'sm-cap-' || (1 + floor(random() * 4)::int),
       now() - random() * interval '420 days', CASE WHEN random() < 0.2 THEN 'abandon' ELSE 'use' END
  FROM generate_series(1, 500) i;
SELECT * FROM pg_temp.check();
SELECT * FROM pg_temp.state();
CALL refresh();
SELECT * FROM pg_temp.check();
SELECT * FROM pg_temp.state();
SELECT last_rows, last_keys FROM refresh_status WHERE source = 'usage_events';

-- UPDATE and DELETE mark the pairs they touch (old and new pair of a moved
-- row); the views read those from raw until the next refresh recomputes them.
UPDATE usage_events SET team = 'sm-30', kind = 'abandon' WHERE event_id IN ('sm-1', 'sm-2', 'sm-3');
UPDATE usage_events SET occurred_at = now() - interval '1 day' WHERE event_id = 'sm-tie-1';
DELETE FROM usage_events WHERE team = 'sm-7' AND capability = 'sm-cap-1';
DELETE FROM usage_events WHERE event_id IN (SELECT event_id FROM usage_events WHERE team = 'sm-8' ORDER BY seq LIMIT 40);
SELECT * FROM pg_temp.check();
SELECT * FROM pg_temp.state();
-- and a tail on top of the changed pairs
INSERT INTO usage_events (event_id, team, capability, occurred_at) VALUES
    ('sm-u-1', 'sm-7', 'sm-cap-1', now() - interval '80 days'), ('sm-u-2', 'sm-30', 'sm-cap-4', now());
SELECT * FROM pg_temp.check();
CALL refresh();
SELECT * FROM pg_temp.check();
SELECT * FROM pg_temp.state();
SELECT last_rows, last_keys FROM refresh_status WHERE source = 'usage_events';

-- A rebuild gives the same summaries as the increments.
CREATE TEMP TABLE before_rebuild AS SELECT * FROM usage_team_summary;
CREATE TEMP TABLE before_rebuild_cohorts AS SELECT capability, matrix::text AS matrix FROM usage_cohort_summary;
CALL refresh(full => true);
SELECT (SELECT count(*) FROM (SELECT * FROM usage_team_summary EXCEPT ALL SELECT * FROM before_rebuild) d) AS pairs_changed,
       (SELECT count(*) FROM (SELECT capability, matrix::text FROM usage_cohort_summary
                              EXCEPT ALL SELECT * FROM before_rebuild_cohorts) d) AS matrices_changed;
SELECT * FROM pg_temp.check();
SELECT last_full_at = last_refresh_at AS rebuilt, last_rows = (SELECT count(*) FROM usage_events) AS all_rows_folded,
       rows_folded = last_rows AS count_restarts FROM refresh_status WHERE source = 'usage_events';
-- the count of refreshes goes on
SELECT refreshes AS refreshes_before FROM refresh_status WHERE source = 'usage_events' \gset
CALL refresh();
SELECT refreshes - :refreshes_before AS refreshes_since, last_rows, last_keys, last_duration < interval '1 minute' AS quick FROM refresh_status WHERE source = 'usage_events';
-- (1.6) the intervals in seconds too, for BI tools (lag and duration
-- swapped or in other units would not match)
SELECT source, abs(last_duration_seconds - extract(epoch FROM last_duration)::float8) < 1e-6 AS duration_in_seconds,
       abs(lag_seconds - extract(epoch FROM lag)::float8) < 0.5 AS lag_in_seconds
  FROM refresh_status ORDER BY source;

-- Another session time zone: the monthly cohorts are summarised in UTC, so
-- capability_retention reads raw (exact, slower); the other views do not
-- depend on the zone.  Rebuilt in New York, the summaries serve New York.
SET TimeZone = 'America/New_York';
SELECT * FROM pg_temp.check();
CALL refresh(full => true, time_zone => 'America/New_York');
SELECT time_zone FROM refresh_status WHERE source = 'usage_events';
SELECT * FROM pg_temp.check();
INSERT INTO usage_events (event_id, team, capability, occurred_at) VALUES ('sm-ny', 'sm-3', 'sm-cap-3', now() - interval '40 days');
SELECT * FROM pg_temp.check();
SET TimeZone = 'UTC';
SET jit = off;   -- compiling the eight comparisons of check() takes seconds; running them, milliseconds
SELECT * FROM pg_temp.check();
CALL refresh(full => true, time_zone => 'UTC');

-- Errors.
SELECT pm_test.error_of($$CALL platform_metrics.refresh(time_zone => 'Mars/Olympus')$$);
BEGIN ISOLATION LEVEL REPEATABLE READ;
SELECT pm_test.error_of($$CALL platform_metrics.refresh()$$);
ROLLBACK;
SELECT pm_test.error_of($$INSERT INTO platform_metrics.usage_events (event_id, team, capability, occurred_at, seq)
                          VALUES ('sm-x', 'sm-1', 'sm-cap-1', now(), 1)$$);
SELECT pm_test.error_of($$UPDATE platform_metrics.usage_events SET seq = 1 WHERE event_id = 'sm-1'$$);
-- only the admin role (and superusers) refresh; everyone who reads the views reads the status
SELECT has_function_privilege('platform_metrics_admin', 'platform_metrics.refresh(boolean, text)', 'EXECUTE') AS admin_refreshes,
       has_function_privilege('platform_metrics_reader', 'platform_metrics.refresh(boolean, text)', 'EXECUTE') AS reader_refreshes,
       has_function_privilege('platform_metrics_writer', 'platform_metrics.refresh(boolean, text)', 'EXECUTE') AS writer_refreshes,
       has_table_privilege('platform_metrics_reader', 'platform_metrics.refresh_status', 'SELECT') AS reader_reads_status,
       has_table_privilege('platform_metrics_reader', 'platform_metrics.usage_team_summary', 'SELECT') AS reader_reads_summary,
       has_table_privilege('platform_metrics_writer', 'platform_metrics.pm_usage_changed', 'INSERT') AS writer_marks_directly;
-- the writer still inserts (every column but seq); its statement takes the
-- writer lock; a number of its own is refused (the column is not granted:
-- INSERT ... OVERRIDING SYSTEM VALUE and COPY naming seq)
CREATE ROLE pm_sm_writer IN ROLE platform_metrics_writer;
SET ROLE pm_sm_writer;
INSERT INTO platform_metrics.usage_events (event_id, team, capability, occurred_at) VALUES ('sm-w', 'sm-4', 'sm-cap-4', now());
INSERT INTO platform_metrics.usage_events VALUES ('sm-w2', 'sm-4', 'sm-cap-4', now(), 'use');
SELECT pm_test.error_of($$INSERT INTO platform_metrics.usage_events (event_id, team, capability, occurred_at, seq)
                          OVERRIDING SYSTEM VALUE VALUES ('sm-x', 'sm-1', 'sm-cap-1', now(), 1)$$);
RESET ROLE;
DROP ROLE pm_sm_writer;
-- times must be finite (monthly cohorts); ingest() refused them already
SELECT regexp_replace(pm_test.error_of($$INSERT INTO platform_metrics.usage_events (event_id, team, capability, occurred_at)
                          VALUES ('sm-inf', 'sm-1', 'sm-cap-1', 'infinity')$$), ', use, [0-9]+\)', ', use, <seq>)') AS error;
-- a first use at the end of the timestamp range: post_launch_adoption stays in range
INSERT INTO usage_events (event_id, team, capability, occurred_at) VALUES
    ('sm-far', 'sm-29', 'sm-cap-2', '294276-12-31 23:59:59+00'), ('sm-early', 'sm-28', 'sm-cap-2', '4714-11-25 00:00:00+00 BC');
SELECT (SELECT count(*) FROM (SELECT * FROM post_launch_adoption EXCEPT ALL SELECT * FROM pg_temp.raw_post_launch_adoption) d) AS only_view,
       (SELECT count(*) FROM (SELECT * FROM pg_temp.raw_post_launch_adoption EXCEPT ALL SELECT * FROM post_launch_adoption) d) AS only_raw;
-- (capability_retention cannot count 3.5 million months, from raw or not;
-- a refresh still folds everything else, and marks sm-cap-2 to be read from raw)
SELECT split_part(pm_test.error_of('SELECT count(*) FROM platform_metrics.capability_retention'), E'\n', 1) AS retention;
CALL refresh();
SELECT (SELECT count(*) FROM usage_cohort_summary WHERE capability = 'sm-cap-2') AS cap_2_matrix,
       (SELECT count(*) FROM pm_usage_changed WHERE capability = 'sm-cap-2' AND team = '') AS cap_2_marked,
       (SELECT count(*) FROM usage_cohort_summary WHERE capability LIKE 'sm-%') AS matrices,
       tail_rows FROM refresh_status WHERE source = 'usage_events';
SELECT split_part(pm_test.error_of('SELECT count(*) FROM platform_metrics.capability_retention'), E'\n', 1) AS retention;
DELETE FROM usage_events WHERE event_id IN ('sm-far', 'sm-early');
SELECT * FROM pg_temp.check();
CALL refresh();
SELECT (SELECT count(*) FROM usage_cohort_summary WHERE capability = 'sm-cap-2') AS cap_2_matrix, changed_keys
  FROM refresh_status WHERE source = 'usage_events';
SELECT * FROM pg_temp.check();
-- a replica session (logical replication's apply, restores) still marks what it changes
BEGIN;
SET LOCAL session_replication_role = replica;
DELETE FROM usage_events WHERE team = 'sm-9' AND capability = 'sm-cap-3';
UPDATE usage_events SET kind = 'abandon' WHERE event_id IN ('sm-10', 'sm-11', 'sm-12');
COMMIT;
SELECT * FROM pg_temp.check();
SELECT changed_keys > 0 AS marked FROM refresh_status WHERE source = 'usage_events';
SELECT * FROM pg_temp.check();

-- TRUNCATE empties the summaries with the rows (other suites' events too:
-- they are put back).
CREATE TEMP TABLE keep AS SELECT event_id, team, capability, occurred_at, kind FROM usage_events WHERE event_id NOT LIKE 'sm-%';
TRUNCATE usage_events RESTART IDENTITY;
SELECT * FROM pg_temp.state();
SELECT watermark FROM refresh_status WHERE source = 'usage_events';
SELECT * FROM pg_temp.check();
-- numbered from 1 again: in the tail, not taken for folded rows
INSERT INTO usage_events (event_id, team, capability, occurred_at, kind) SELECT * FROM keep;
INSERT INTO usage_events (event_id, team, capability, occurred_at) VALUES
    ('sm-r1', 'sm-1', 'sm-cap-1', now() - interval '5 days'), ('sm-r2', 'sm-2', 'sm-cap-1', now() - interval '70 days');
SELECT * FROM pg_temp.check();
CALL refresh();
SELECT * FROM pg_temp.check();

-- The survey views' cells of closed waves (since 1.5): computed once by a
-- refresh for the threshold of the time, read from survey_cell_summary while
-- the session's threshold is that one; waves closed since, another
-- threshold, or a wave whose answers a superuser changed are computed from
-- raw (pm_survey_cells_live).  Every survey view must answer the same either way.
CREATE FUNCTION pg_temp.survey_views() RETURNS TABLE (view text, view_rows bigint, digest text)
LANGUAGE plpgsql AS $$
DECLARE
    v text;
BEGIN
    FOREACH v IN ARRAY ARRAY['nps_by_survey', 'nps_by_team', 'nps_trend', 'survey_comments', 'capability_quadrants',
                             'question_scores', 'question_scores_by_team', 'devex_index', 'survey_drivers', 'time_cost'] LOOP
        view := v;
        EXECUTE format('SELECT count(*), md5(coalesce(string_agg(x::text, %L ORDER BY x::text), %L)) FROM platform_metrics.%I x',
                       E'\n', '', v) INTO view_rows, digest;
        RETURN NEXT;
    END LOOP;
END $$;
CREATE FUNCTION pg_temp.survey_state() RETURNS TABLE (summarised_waves bigint, cells bigint, marked bigint, live_answers bigint)
LANGUAGE sql AS $$
    SELECT (SELECT count(*) FROM pm_survey_summary_waves WHERE wave LIKE 'sm-%'),
           (SELECT count(*) FROM survey_cell_summary WHERE wave LIKE 'sm-%'),
           (SELECT count(DISTINCT wave) FROM pm_survey_changed WHERE wave LIKE 'sm-%'),
           (SELECT count(*) FROM pm_survey_cells_live WHERE wave LIKE 'sm-%')
$$;
-- (the teams and capabilities of the usage part above)
UPDATE teams SET headcount = 4 + substr(team, 4)::integer WHERE team LIKE 'sm-%';
INSERT INTO survey_questions (question, wording, scale, low, high, dimension, in_index) VALUES
    ('sm-ease', 'Easy?', 'likert', 1, 5, 'flow', true), ('sm-docs', 'Docs?', 'likert', 1, 5, 'feedback', true);
INSERT INTO survey_questions (question, wording, scale, low, high, bucket_hours, reverse_coded) VALUES
    ('sm-hours', 'Hours lost?', 'hours', 0, 3, '{0, 1, 3, 6}', true);
INSERT INTO survey_waves (wave, opened_at) VALUES
    ('sm-w1', now() - interval '300 days'), ('sm-w2', now() - interval '200 days'), ('sm-w3', now() - interval '100 days');
-- team sm-t answers t - 2 times (sm-3, ..., sm-6: below the threshold of 5;
-- sm-12 and up: enough for comments), every question
INSERT INTO survey_responses (response_id, wave, team, capability, question, score, comment, submission_id)
SELECT format('sm-%s-%s-%s-%s', w, t, j, q), w, 'sm-' || t, NULL, q,
       CASE q WHEN 'nps' THEN (t * 7 + j * 3 + length(w) * (j % 2)) % 11 WHEN 'sm-hours' THEN (t + j) % 4
              ELSE 1 + (t * j + length(q)) % 5 END,
       CASE WHEN j = 1 AND q = 'nps' THEN 'comment ' || t END, md5(format('%s-%s-%s', w, t, j))::uuid
  FROM unnest(ARRAY['sm-w1', 'sm-w2', 'sm-w3']) w, generate_series(3, 16) t, generate_series(1, t - 2) j,
       unnest(ARRAY['nps', 'sm-ease', 'sm-docs', 'sm-hours']) q;
-- and some rate capabilities
INSERT INTO survey_responses (response_id, wave, team, capability, question, score)
SELECT format('sm-%s-%s-%s-cap', w, t, j), w, 'sm-' || t, 'sm-cap-' || (1 + j % 2), 'nps', (t + j) % 11
  FROM unnest(ARRAY['sm-w1', 'sm-w2', 'sm-w3']) w, generate_series(3, 16) t, generate_series(1, t - 2) j;
UPDATE survey_waves SET closed_at = now() WHERE wave IN ('sm-w1', 'sm-w2');

-- Two waves closed, nothing refreshed: computed from raw.
CREATE TEMP TABLE live AS SELECT * FROM pg_temp.survey_views();
SELECT view, view_rows > 0 AS has_rows FROM live ORDER BY view;
SELECT * FROM pg_temp.survey_state();
-- Refreshed: both waves' cells come from the summary, with the same answers.
CALL refresh();
SELECT * FROM pg_temp.survey_state();
SELECT last_rows > 0 AS cells_computed, last_keys >= 2 AS waves_computed, tail_rows, changed_keys
  FROM refresh_status WHERE source = 'survey_responses';
SELECT count(*) AS views_that_differ FROM (SELECT * FROM pg_temp.survey_views() EXCEPT SELECT * FROM live) d;
-- (the views do read it: a cell altered by hand shows, until a rebuild)
UPDATE survey_cell_summary SET hidden = NOT hidden WHERE wave = 'sm-w2' AND team = 'sm-12' AND question = 'nps';
SELECT count(*) > 0 AS views_that_differ FROM (SELECT * FROM pg_temp.survey_views() EXCEPT SELECT * FROM live) d;
CALL refresh(full => true);
SELECT count(*) AS views_that_differ FROM (SELECT * FROM pg_temp.survey_views() EXCEPT SELECT * FROM live) d;

-- A wave closed since the refresh is computed from raw; the next refresh summarises it.
UPDATE survey_waves SET closed_at = now() WHERE wave = 'sm-w3';
DROP TABLE live;
CREATE TEMP TABLE live AS SELECT * FROM pg_temp.survey_views();
SELECT * FROM pg_temp.survey_state();
CALL refresh();
SELECT * FROM pg_temp.survey_state();
SELECT count(*) AS views_that_differ FROM (SELECT * FROM pg_temp.survey_views() EXCEPT SELECT * FROM live) d;

-- A superuser changes an answer and deletes another in a closed wave: the
-- wave is marked and computed from raw (the views show the change at once),
-- until a refresh recomputes it.
UPDATE survey_responses SET score = 10 WHERE wave = 'sm-w1' AND team = 'sm-12' AND question = 'nps' AND score < 9;
DELETE FROM survey_responses WHERE response_id = 'sm-sm-w1-11-2-sm-ease';
INSERT INTO survey_responses (response_id, wave, team, question, score) VALUES ('sm-late', 'sm-w2', 'sm-9', 'nps', 0);
SELECT * FROM pg_temp.survey_state();
SELECT count(*) > 0 AS views_changed FROM (SELECT * FROM pg_temp.survey_views() EXCEPT SELECT * FROM live) d;
DROP TABLE live;
CREATE TEMP TABLE live AS SELECT * FROM pg_temp.survey_views();
CALL refresh();
SELECT * FROM pg_temp.survey_state();
SELECT count(*) AS views_that_differ FROM (SELECT * FROM pg_temp.survey_views() EXCEPT SELECT * FROM live) d;

-- Another threshold in a superuser's session: the summary (computed for 5)
-- is not used; the views answer for 3, as computed from raw.
SET platform_metrics.min_group_size = 3;
SELECT count(*) > 0 AS views_changed FROM (SELECT * FROM pg_temp.survey_views() EXCEPT SELECT * FROM live) d;
SELECT tail_rows > 0 AS computed_from_raw FROM refresh_status WHERE source = 'survey_responses';
CREATE TEMP TABLE live3 AS SELECT * FROM pg_temp.survey_views();
RESET platform_metrics.min_group_size;
SELECT count(*) AS views_that_differ FROM (SELECT * FROM pg_temp.survey_views() EXCEPT SELECT * FROM live) d;
-- (a refresh at 3 summarises for 3; sessions at 5 then compute from raw)
SET platform_metrics.min_group_size = 3;
CALL refresh();
SELECT count(*) AS views_that_differ FROM (SELECT * FROM pg_temp.survey_views() EXCEPT SELECT * FROM live3) d;
RESET platform_metrics.min_group_size;
SELECT count(*) AS views_that_differ FROM (SELECT * FROM pg_temp.survey_views() EXCEPT SELECT * FROM live) d;
CALL refresh();
SELECT DISTINCT k FROM pm_survey_summary_waves;

-- A superuser reopens a wave: it leaves the views at once.
UPDATE survey_waves SET closed_at = NULL WHERE wave = 'sm-w3';
SELECT count(*) AS cells_of_reopened_wave FROM pm_survey_cells WHERE wave = 'sm-w3';
CALL refresh();
SELECT * FROM pg_temp.survey_state();
-- TRUNCATE empties the survey summary with the answers
BEGIN;
TRUNCATE survey_responses;
SELECT (SELECT count(*) FROM survey_cell_summary) AS cells, (SELECT count(*) FROM pm_survey_summary_waves) AS waves;
ROLLBACK;

-- Clean up for the suites that follow.
DELETE FROM usage_events WHERE event_id LIKE 'sm-%';
DELETE FROM survey_responses WHERE wave LIKE 'sm-%';
DELETE FROM survey_waves WHERE wave LIKE 'sm-%';
DELETE FROM survey_questions WHERE question LIKE 'sm-%';
DELETE FROM capabilities WHERE capability LIKE 'sm-%';
DELETE FROM teams WHERE team LIKE 'sm-%';
CALL refresh(full => true);
-- the suites that follow see the tables as if this one had not run
VACUUM platform_metrics.teams, platform_metrics.capabilities, platform_metrics.usage_events,
    platform_metrics.survey_responses, platform_metrics.survey_waves, platform_metrics.survey_questions;

