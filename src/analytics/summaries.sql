-- summaries.sql: the summaries behind the usage views, and refresh() (since 1.5)
--
-- The usage views read small summary tables plus the raw rows that arrived
-- since the last refresh (the tail), so their answers are exact and current
-- at the reader's snapshot while their cost no longer grows with the raw
-- table.  CALL refresh() folds the tail into the summaries (refresh.c says
-- why each row is folded exactly once); the refresh worker calls it every
-- platform_metrics.refresh_interval.  An UPDATE or DELETE of raw rows marks
-- the (capability, team) pairs it touched: the views read those pairs from
-- raw until a refresh recomputes them.  Summaries are derived data: pg_dump
-- leaves them out and the first refresh after a restore rebuilds them.

-- Order of arrival.  CACHE 1: a number drawn is the sequence's last value
-- at once, which the refresh's watermark relies on.
ALTER TABLE @extschema@.usage_events ADD COLUMN IF NOT EXISTS seq bigint GENERATED ALWAYS AS IDENTITY (CACHE 1);
COMMENT ON COLUMN @extschema@.usage_events.seq IS
    'Order of arrival (identity, assigned on insert): refresh() folds the rows above its watermark into the summaries';
COMMENT ON SEQUENCE @extschema@.usage_events_seq_seq IS 'Numbers usage_events.seq (CACHE 1: refresh() reads its last value)';
-- pg_dump keeps the sequence's position with the rows: restored rows keep
-- their numbers and new ones are numbered above them
SELECT pg_catalog.pg_extension_config_dump('@extschema@.usage_events_seq_seq', '');
CREATE INDEX IF NOT EXISTS usage_events_seq_brin ON @extschema@.usage_events USING brin (seq) WITH (autosummarize = on);
-- Monthly cohorts need finite times (ingest() refused infinity already).
DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_catalog.pg_constraint c
                    WHERE c.conrelid = '@extschema@.usage_events'::regclass
                      AND c.conname = 'usage_events_occurred_at_finite') THEN
        ALTER TABLE @extschema@.usage_events ADD CONSTRAINT usage_events_occurred_at_finite
            CHECK (pg_catalog.isfinite(occurred_at));
    END IF;
END
$$;

-- Per raw table: the watermark and what the last refresh did.
CREATE TABLE IF NOT EXISTS @extschema@.pm_refresh_state (
    source          text PRIMARY KEY,
    watermark       bigint NOT NULL DEFAULT 0,
    time_zone       text NOT NULL,
    last_refresh_at timestamptz,
    last_full_at    timestamptz,
    last_duration   interval,
    last_rows       bigint NOT NULL DEFAULT 0,
    last_pairs      bigint NOT NULL DEFAULT 0,
    rows_folded     bigint NOT NULL DEFAULT 0,
    refreshes       bigint NOT NULL DEFAULT 0
);
COMMENT ON TABLE @extschema@.pm_refresh_state IS
    'refresh(): per raw table, the watermark (rows numbered at or below it are in the summaries) and the last refresh';
INSERT INTO @extschema@.pm_refresh_state (source, time_zone)
VALUES ('usage_events', pg_catalog.current_setting('TimeZone')), ('survey_responses', '')
ON CONFLICT (source) DO NOTHING;

-- (capability, team) pairs whose raw rows changed (UPDATE, DELETE) since
-- they were summarised.
CREATE TABLE IF NOT EXISTS @extschema@.pm_usage_changed (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    capability text NOT NULL,
    team       text NOT NULL
);
COMMENT ON TABLE @extschema@.pm_usage_changed IS
    'Pairs (capability, team) whose usage events were updated or deleted since the last refresh: read from raw until then';
COMMENT ON SEQUENCE @extschema@.pm_usage_changed_id_seq IS 'Numbers pm_usage_changed.id';
CREATE INDEX IF NOT EXISTS pm_usage_changed_pair ON @extschema@.pm_usage_changed (capability, team);

-- One row per capability and team: what the adoption views need.
CREATE TABLE IF NOT EXISTS @extschema@.usage_team_summary (
    capability      text NOT NULL,
    team            text NOT NULL,
    events          bigint NOT NULL,
    first_at        timestamptz NOT NULL,
    first_use_at    timestamptz,
    last_use_at     timestamptz,
    last_abandon_at timestamptz,
    PRIMARY KEY (capability, team)
);
COMMENT ON TABLE @extschema@.usage_team_summary IS
    'Summary of usage_events up to the watermark, per capability and team (refresh() maintains it)';
COMMENT ON COLUMN @extschema@.usage_team_summary.events IS 'Events summarised';
COMMENT ON COLUMN @extschema@.usage_team_summary.first_at IS 'First event of any kind';
COMMENT ON COLUMN @extschema@.usage_team_summary.first_use_at IS 'First use or adopt';
COMMENT ON COLUMN @extschema@.usage_team_summary.last_use_at IS 'Last use or adopt';
COMMENT ON COLUMN @extschema@.usage_team_summary.last_abandon_at IS 'Last abandon';

-- One row per capability: its monthly cohort matrix (uses and adopts), with
-- months in the time zone of pm_refresh_state.
CREATE TABLE IF NOT EXISTS @extschema@.usage_cohort_summary (
    capability text PRIMARY KEY,
    matrix     @extschema@.cohort_matrix NOT NULL
);
COMMENT ON TABLE @extschema@.usage_cohort_summary IS
    'Summary of usage_events up to the watermark: churn_cohort(team, occurred_at, ''1 month'') per capability, in the summaries'' time zone';

-- Writers of usage_events hold the writer lock the refresh waits for
-- (refresh.c).
CREATE OR REPLACE FUNCTION @extschema@.pm_raw_writer() RETURNS trigger
    AS 'MODULE_PATHNAME', 'pm_raw_writer' LANGUAGE C;
COMMENT ON FUNCTION @extschema@.pm_raw_writer() IS
    'Trigger: a statement writing a raw table holds its writer lock until commit (refresh() waits for the holders)';
CREATE OR REPLACE FUNCTION @extschema@.pm_wait_for_raw_writers(regclass) RETURNS void
    AS 'MODULE_PATHNAME', 'pm_wait_for_raw_writers' LANGUAGE C STRICT;
COMMENT ON FUNCTION @extschema@.pm_wait_for_raw_writers(regclass) IS
    'Waits until the transactions writing the raw table now have ended (refresh())';
REVOKE ALL ON FUNCTION @extschema@.pm_wait_for_raw_writers(regclass) FROM PUBLIC;

CREATE OR REPLACE FUNCTION @extschema@.pm_usage_events_changed() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    IF TG_OP = 'TRUNCATE' THEN
        -- the summaries go with the rows (TRUNCATE holds off readers and refreshes)
        DELETE FROM @extschema@.usage_team_summary;
        DELETE FROM @extschema@.usage_cohort_summary;
        DELETE FROM @extschema@.pm_usage_changed;
        -- (TRUNCATE ... RESTART IDENTITY numbers the next rows from 1 again)
        UPDATE @extschema@.pm_refresh_state SET watermark = 0 WHERE source = 'usage_events';
    ELSIF TG_OP = 'UPDATE' THEN
        INSERT INTO @extschema@.pm_usage_changed (capability, team)
        SELECT o.capability, o.team FROM old_rows o UNION SELECT n.capability, n.team FROM new_rows n;
    ELSE
        INSERT INTO @extschema@.pm_usage_changed (capability, team)
        SELECT DISTINCT o.capability, o.team FROM old_rows o;
    END IF;
    RETURN NULL;
END
$$;
COMMENT ON FUNCTION @extschema@.pm_usage_events_changed() IS
    'Trigger: marks the (capability, team) pairs an UPDATE or DELETE of usage_events touched; TRUNCATE empties the summaries';
REVOKE ALL ON FUNCTION @extschema@.pm_usage_events_changed() FROM PUBLIC;

CREATE OR REPLACE TRIGGER pm_usage_events_writer BEFORE INSERT OR UPDATE OR DELETE ON @extschema@.usage_events
    FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.pm_raw_writer();
CREATE OR REPLACE TRIGGER pm_usage_events_updated AFTER UPDATE ON @extschema@.usage_events
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.pm_usage_events_changed();
CREATE OR REPLACE TRIGGER pm_usage_events_deleted AFTER DELETE ON @extschema@.usage_events
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.pm_usage_events_changed();
CREATE OR REPLACE TRIGGER pm_usage_events_truncated AFTER TRUNCATE ON @extschema@.usage_events
    FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.pm_usage_events_changed();
-- They fire in replica sessions too (logical replication's apply, restores
-- with session_replication_role = replica): a change they missed would stay
-- wrong in the summaries.
ALTER TABLE @extschema@.usage_events ENABLE ALWAYS TRIGGER pm_usage_events_writer,
    ENABLE ALWAYS TRIGGER pm_usage_events_updated, ENABLE ALWAYS TRIGGER pm_usage_events_deleted,
    ENABLE ALWAYS TRIGGER pm_usage_events_truncated;

-- The survey views' cells (pm_survey_cells) of the closed waves: a closed
-- wave's answers do not change (waves.sql), so its cells are computed once,
-- at the refresh after it closed, for the anonymity threshold of the time
-- (k); the views read them while the session's threshold is that k and
-- compute the other closed waves (closed since, or another threshold) as
-- before.  A change to a closed wave's answers (superusers only), to the wave
-- itself or to a question marks the wave: the views compute it again until
-- the next refresh recomputes it.
CREATE TABLE IF NOT EXISTS @extschema@.pm_survey_summary_waves (
    wave         text PRIMARY KEY,
    k            integer NOT NULL,
    refreshed_at timestamptz NOT NULL DEFAULT pg_catalog.now()
);
COMMENT ON TABLE @extschema@.pm_survey_summary_waves IS
    'The closed waves whose cells survey_cell_summary holds, and the anonymity threshold they were computed for';
CREATE TABLE IF NOT EXISTS @extschema@.survey_cell_summary (
    wave       text NOT NULL,
    capability text,
    team       text,
    s          @extschema@.nps_summary,
    n          bigint NOT NULL,
    hidden     boolean NOT NULL,
    question   text NOT NULL,
    ls         @extschema@.likert_summary NOT NULL
);
COMMENT ON TABLE @extschema@.survey_cell_summary IS
    'Summary: the rows of pm_survey_cells for the closed waves of pm_survey_summary_waves (refresh() maintains it)';
CREATE INDEX IF NOT EXISTS survey_cell_summary_wave ON @extschema@.survey_cell_summary (wave, question);
CREATE TABLE IF NOT EXISTS @extschema@.pm_survey_changed (
    id   bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    wave text NOT NULL
);
COMMENT ON TABLE @extschema@.pm_survey_changed IS
    'Waves whose summarised cells may be out of date (answers, the wave or a question changed): computed from raw until the next refresh';
COMMENT ON SEQUENCE @extschema@.pm_survey_changed_id_seq IS 'Numbers pm_survey_changed.id';
CREATE INDEX IF NOT EXISTS pm_survey_changed_wave ON @extschema@.pm_survey_changed (wave);

-- The waves pm_survey_cells reads from the summary: summarised for the
-- session's threshold, still closed, not marked changed.  Every other closed
-- wave is computed (pm_survey_cells_live): one definition for both sides.
CREATE OR REPLACE VIEW @extschema@.pm_survey_summarised_waves AS
SELECT sw.wave
  FROM @extschema@.pm_survey_summary_waves sw
  JOIN @extschema@.survey_waves w ON w.wave = sw.wave
 WHERE sw.k = @extschema@.min_group_size() AND w.closed_at IS NOT NULL
   AND NOT EXISTS (SELECT FROM @extschema@.pm_survey_changed m WHERE m.wave = sw.wave);
COMMENT ON VIEW @extschema@.pm_survey_summarised_waves IS
    'Internal: the closed waves whose cells pm_survey_cells reads from survey_cell_summary (the others are computed)';

CREATE OR REPLACE FUNCTION @extschema@.pm_survey_answers_changed() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    touched text[];
BEGIN
    IF TG_OP = 'TRUNCATE' THEN
        DELETE FROM @extschema@.survey_cell_summary;
        DELETE FROM @extschema@.pm_survey_summary_waves;
        DELETE FROM @extschema@.pm_survey_changed;
        RETURN NULL;
    END IF;
    IF TG_OP = 'INSERT' THEN
        SELECT pg_catalog.array_agg(DISTINCT n.wave) INTO touched FROM new_rows n;
    ELSIF TG_OP = 'UPDATE' THEN
        SELECT pg_catalog.array_agg(t.wave) INTO touched
          FROM (SELECT o.wave FROM old_rows o UNION SELECT n.wave FROM new_rows n) t;
    ELSE
        SELECT pg_catalog.array_agg(DISTINCT o.wave) INTO touched FROM old_rows o;
    END IF;
    -- FOR SHARE: a wave cannot close (and be summarised) while this
    -- transaction writes to it; a closed one is marked
    INSERT INTO @extschema@.pm_survey_changed (wave)
    SELECT w.wave FROM (SELECT x.wave, x.closed_at FROM @extschema@.survey_waves x
                         WHERE x.wave = ANY (touched) FOR SHARE) w
     WHERE w.closed_at IS NOT NULL;
    RETURN NULL;
END
$$;
COMMENT ON FUNCTION @extschema@.pm_survey_answers_changed() IS
    'Trigger of survey_responses: marks the closed waves whose answers changed (superusers only can change them); TRUNCATE empties the survey summary';
REVOKE ALL ON FUNCTION @extschema@.pm_survey_answers_changed() FROM PUBLIC;
CREATE OR REPLACE TRIGGER pm_survey_responses_inserted AFTER INSERT ON @extschema@.survey_responses
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.pm_survey_answers_changed();
CREATE OR REPLACE TRIGGER pm_survey_responses_updated AFTER UPDATE ON @extschema@.survey_responses
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.pm_survey_answers_changed();
CREATE OR REPLACE TRIGGER pm_survey_responses_deleted AFTER DELETE ON @extschema@.survey_responses
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.pm_survey_answers_changed();
CREATE OR REPLACE TRIGGER pm_survey_responses_truncated AFTER TRUNCATE ON @extschema@.survey_responses
    FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.pm_survey_answers_changed();
ALTER TABLE @extschema@.survey_responses ENABLE ALWAYS TRIGGER pm_survey_responses_inserted,
    ENABLE ALWAYS TRIGGER pm_survey_responses_updated, ENABLE ALWAYS TRIGGER pm_survey_responses_deleted,
    ENABLE ALWAYS TRIGGER pm_survey_responses_truncated;

-- A wave reopened, renamed or removed (superusers only), or a question's
-- scoring changed: the waves concerned are marked.
CREATE OR REPLACE FUNCTION @extschema@.pm_survey_catalog_changed() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    IF TG_TABLE_NAME = 'survey_waves' THEN
        INSERT INTO @extschema@.pm_survey_changed (wave)
        SELECT s.wave FROM @extschema@.pm_survey_summary_waves s WHERE s.wave IN (SELECT o.wave FROM old_rows o);
    ELSE
        INSERT INTO @extschema@.pm_survey_changed (wave)
        SELECT DISTINCT c.wave FROM @extschema@.survey_cell_summary c
         WHERE c.question IN (SELECT o.question FROM old_rows o);
    END IF;
    RETURN NULL;
END
$$;
COMMENT ON FUNCTION @extschema@.pm_survey_catalog_changed() IS
    'Trigger of survey_waves and survey_questions: marks the summarised waves an UPDATE or DELETE concerns';
REVOKE ALL ON FUNCTION @extschema@.pm_survey_catalog_changed() FROM PUBLIC;
CREATE OR REPLACE TRIGGER pm_survey_waves_changed AFTER UPDATE ON @extschema@.survey_waves
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.pm_survey_catalog_changed();
CREATE OR REPLACE TRIGGER pm_survey_waves_removed AFTER DELETE ON @extschema@.survey_waves
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.pm_survey_catalog_changed();
CREATE OR REPLACE TRIGGER pm_survey_questions_changed AFTER UPDATE ON @extschema@.survey_questions
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.pm_survey_catalog_changed();
CREATE OR REPLACE TRIGGER pm_survey_questions_removed AFTER DELETE ON @extschema@.survey_questions
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.pm_survey_catalog_changed();

-- pm_fold_cohorts(lo, hi, wanted, skipped): merges the monthly cohorts of the
-- uses numbered (lo, hi] into usage_cohort_summary, for the capabilities in
-- wanted (NULL: all) and not in skipped.  A capability whose activity the matrix
-- cannot hold (more than 10,000 months: a use in the year 294276) gets no
-- summary and is marked, so that capability_retention reads it from raw
-- (and fails there as it would without summaries) while the rest are folded.
CREATE OR REPLACE FUNCTION @extschema@.pm_fold_cohorts(lo bigint, hi bigint, wanted text[], skipped text[]) RETURNS void
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    cap text;
BEGIN
    BEGIN
        INSERT INTO @extschema@.usage_cohort_summary AS s
        SELECT u.capability, @extschema@.churn_cohort(u.team, u.occurred_at, '1 month')
          FROM @extschema@.usage_events u
         WHERE u.seq > lo AND u.seq <= hi AND u.kind <> 'abandon'
           AND (wanted IS NULL OR u.capability = ANY (wanted)) AND u.capability <> ALL (skipped)
         GROUP BY u.capability
        ON CONFLICT (capability) DO UPDATE SET matrix = s.matrix OPERATOR(@extschema@.+) excluded.matrix;
    EXCEPTION WHEN program_limit_exceeded THEN
        FOR cap IN SELECT DISTINCT u.capability FROM @extschema@.usage_events u
                    WHERE u.seq > lo AND u.seq <= hi AND u.kind <> 'abandon'
                      AND (wanted IS NULL OR u.capability = ANY (wanted)) AND u.capability <> ALL (skipped) LOOP
            BEGIN
                INSERT INTO @extschema@.usage_cohort_summary AS s
                SELECT u.capability, @extschema@.churn_cohort(u.team, u.occurred_at, '1 month')
                  FROM @extschema@.usage_events u
                 WHERE u.seq > lo AND u.seq <= hi AND u.kind <> 'abandon' AND u.capability = cap
                 GROUP BY u.capability
                ON CONFLICT (capability) DO UPDATE SET matrix = s.matrix OPERATOR(@extschema@.+) excluded.matrix;
            EXCEPTION WHEN program_limit_exceeded THEN
                DELETE FROM @extschema@.usage_cohort_summary c WHERE c.capability = cap;
                INSERT INTO @extschema@.pm_usage_changed (capability, team) VALUES (cap, '');
            END;
        END LOOP;
    END;
END
$$;
COMMENT ON FUNCTION @extschema@.pm_fold_cohorts(bigint, bigint, text[], text[]) IS
    'Internal (refresh()): merges the monthly cohorts of the uses numbered (lo, hi] into usage_cohort_summary; a capability whose matrix cannot hold its activity is marked instead';
REVOKE ALL ON FUNCTION @extschema@.pm_fold_cohorts(bigint, bigint, text[], text[]) FROM PUBLIC;

-- refresh(): folds the raw rows that arrived since the last refresh into the
-- summaries and recomputes the marked pairs; full => true rebuilds them from
-- raw; time_zone (with a full rebuild) sets the zone the monthly cohorts are
-- summarised in.  One transaction: a crash or an error leaves the summaries
-- as they were.  Concurrent refreshes take turns.
CREATE OR REPLACE PROCEDURE @extschema@.refresh("full" boolean DEFAULT false, time_zone text DEFAULT NULL)
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    started  timestamptz := clock_timestamp();
    st       @extschema@.pm_refresh_state;
    hi       bigint;
    zone     text;
    old_zone text := current_setting('TimeZone');
    old_lock_timeout text := current_setting('lock_timeout');
    rebuild  boolean;
    seen     bigint[];
    caps     text[] := '{}';
    survey_seen bigint[];
    waves    text[];
    min_k    integer;
    cells    bigint := 0;
    teams    text[] := '{}';
    pairs    bigint := 0;
    folded   bigint := 0;
BEGIN
    IF current_setting('transaction_isolation') <> 'read committed' THEN
        RAISE EXCEPTION 'refresh() must run at isolation level READ COMMITTED'
            USING ERRCODE = '25000',
                  HINT = 'Each step of a refresh reads the rows committed before it; call it outside a REPEATABLE READ or SERIALIZABLE transaction.';
    END IF;
    IF refresh.time_zone IS NOT NULL THEN
        BEGIN
            PERFORM set_config('TimeZone', refresh.time_zone, true);
        EXCEPTION WHEN invalid_parameter_value THEN
            RAISE EXCEPTION 'time zone "%" not recognized', refresh.time_zone
                USING ERRCODE = '22023', HINT = 'Pass a name from pg_timezone_names, e.g. Europe/Berlin.';
        END;
        PERFORM set_config('TimeZone', old_zone, true);
    END IF;
    -- the raw tables first, then the state: a TRUNCATE (which empties the
    -- summaries from its trigger) takes them in the same order
    LOCK TABLE @extschema@.usage_events, @extschema@.survey_responses IN ACCESS SHARE MODE;
    SELECT * INTO STRICT st FROM @extschema@.pm_refresh_state s WHERE s.source = 'usage_events' FOR UPDATE;
    zone := coalesce(refresh.time_zone, st.time_zone);
    rebuild := refresh."full" OR zone IS DISTINCT FROM st.time_zone;

    -- every row numbered up to hi has committed or aborted once the writers
    -- of this moment have ended
    hi := coalesce(pg_catalog.pg_sequence_last_value(
              pg_catalog.pg_get_serial_sequence('@extschema@.usage_events', 'seq')::regclass), 0);
    PERFORM @extschema@.pm_wait_for_raw_writers('@extschema@.usage_events'::regclass);
    IF NOT rebuild AND hi < st.watermark THEN
        -- the sequence was reset (a restore): start again from raw
        rebuild := true;
    END IF;
    -- churn_cohort's months are the session's: the summaries' zone for now
    PERFORM set_config('TimeZone', zone, true);

    SELECT coalesce(pg_catalog.array_agg(c.id), '{}') INTO seen FROM @extschema@.pm_usage_changed c;
    IF rebuild THEN
        DELETE FROM @extschema@.usage_team_summary;
        DELETE FROM @extschema@.usage_cohort_summary;
        INSERT INTO @extschema@.usage_team_summary
        SELECT u.capability, u.team, count(*), min(u.occurred_at),
               min(u.occurred_at) FILTER (WHERE u.kind <> 'abandon'),
               max(u.occurred_at) FILTER (WHERE u.kind <> 'abandon'),
               max(u.occurred_at) FILTER (WHERE u.kind = 'abandon')
          FROM @extschema@.usage_events u
         WHERE u.seq <= hi
         GROUP BY u.capability, u.team;
        GET DIAGNOSTICS pairs = ROW_COUNT;
        PERFORM @extschema@.pm_fold_cohorts(0, hi, NULL, '{}');
        SELECT coalesce(sum(s.events), 0) INTO folded FROM @extschema@.usage_team_summary s;
    ELSE
        -- marked pairs: recomputed from raw; their capabilities' cohorts too
        SELECT coalesce(pg_catalog.array_agg(p.capability), '{}'), coalesce(pg_catalog.array_agg(p.team), '{}')
          INTO caps, teams
          FROM (SELECT DISTINCT c.capability, c.team FROM @extschema@.pm_usage_changed c WHERE c.id = ANY (seen)) p;
        pairs := cardinality(caps);
        IF pairs > 0 THEN
            DELETE FROM @extschema@.usage_team_summary s
             USING unnest(caps, teams) AS p(capability, team)
             WHERE s.capability = p.capability AND s.team = p.team;
            INSERT INTO @extschema@.usage_team_summary
            SELECT u.capability, u.team, count(*), min(u.occurred_at),
                   min(u.occurred_at) FILTER (WHERE u.kind <> 'abandon'),
                   max(u.occurred_at) FILTER (WHERE u.kind <> 'abandon'),
                   max(u.occurred_at) FILTER (WHERE u.kind = 'abandon')
              FROM unnest(caps, teams) AS p(capability, team)
                   JOIN @extschema@.usage_events u ON u.capability = p.capability AND u.team = p.team
             WHERE u.seq <= hi
             GROUP BY u.capability, u.team;
            DELETE FROM @extschema@.usage_cohort_summary s WHERE s.capability = ANY (caps);
            PERFORM @extschema@.pm_fold_cohorts(0, hi, ARRAY(SELECT DISTINCT c FROM unnest(caps) c), '{}');
        END IF;
        -- the tail, except what was just recomputed
        WITH tail AS MATERIALIZED (
            SELECT u.capability, u.team, count(*) AS events, min(u.occurred_at) AS first_at,
                   min(u.occurred_at) FILTER (WHERE u.kind <> 'abandon') AS first_use_at,
                   max(u.occurred_at) FILTER (WHERE u.kind <> 'abandon') AS last_use_at,
                   max(u.occurred_at) FILTER (WHERE u.kind = 'abandon') AS last_abandon_at
              FROM @extschema@.usage_events u
             WHERE u.seq > st.watermark AND u.seq <= hi
               AND NOT EXISTS (SELECT FROM unnest(caps, teams) AS p(capability, team)
                                WHERE p.capability = u.capability AND p.team = u.team)
             GROUP BY u.capability, u.team),
        folding AS (
            INSERT INTO @extschema@.usage_team_summary AS s
            SELECT * FROM tail
            ON CONFLICT (capability, team) DO UPDATE
               SET events = s.events + excluded.events,
                   first_at = least(s.first_at, excluded.first_at),
                   first_use_at = least(s.first_use_at, excluded.first_use_at),
                   last_use_at = greatest(s.last_use_at, excluded.last_use_at),
                   last_abandon_at = greatest(s.last_abandon_at, excluded.last_abandon_at))
        SELECT coalesce(sum(t.events), 0) INTO folded FROM tail t;
        PERFORM @extschema@.pm_fold_cohorts(st.watermark, hi, NULL, ARRAY(SELECT DISTINCT c FROM unnest(caps) c));
    END IF;
    DELETE FROM @extschema@.pm_usage_changed c WHERE c.id = ANY (seen);
    PERFORM set_config('TimeZone', old_zone, true);
    -- the views find the tail through the BRIN index on seq: summarise its
    -- new ranges now rather than at autovacuum's next visit (skipped while a
    -- VACUUM holds the table)
    BEGIN
        PERFORM set_config('lock_timeout', '200ms', true);
        PERFORM brin_summarize_new_values('@extschema@.usage_events_seq_brin'::regclass);
        PERFORM set_config('lock_timeout', old_lock_timeout, true);
    EXCEPTION WHEN lock_not_available THEN
        NULL;
    END;

    -- The closed waves' survey cells: every closed wave pm_survey_cells does
    -- not read from the summary (closed since, summarised for another
    -- threshold, marked) is computed again; a rebuild computes all.
    SELECT coalesce(pg_catalog.array_agg(c.id), '{}') INTO survey_seen FROM @extschema@.pm_survey_changed c;
    min_k := @extschema@.min_group_size();
    SELECT coalesce(pg_catalog.array_agg(w.wave), '{}') INTO waves
      FROM @extschema@.survey_waves w
     WHERE w.closed_at IS NOT NULL
       AND (rebuild OR w.wave NOT IN (SELECT x.wave FROM @extschema@.pm_survey_summarised_waves x));
    DELETE FROM @extschema@.survey_cell_summary c
     WHERE rebuild OR c.wave NOT IN (SELECT x.wave FROM @extschema@.pm_survey_summarised_waves x);
    DELETE FROM @extschema@.pm_survey_summary_waves s
     WHERE rebuild OR s.wave NOT IN (SELECT x.wave FROM @extschema@.pm_survey_summarised_waves x);
    IF cardinality(waves) > 0 THEN
        -- (their summary rows are gone: pm_survey_cells_live computes them)
        INSERT INTO @extschema@.survey_cell_summary
        SELECT c.wave, c.capability, c.team, c.s, c.n, c.hidden, c.question, c.ls
          FROM @extschema@.pm_survey_cells_live c WHERE c.wave = ANY (waves);
        GET DIAGNOSTICS cells = ROW_COUNT;
        INSERT INTO @extschema@.pm_survey_summary_waves (wave, k) SELECT pg_catalog.unnest(waves), min_k;
    END IF;
    DELETE FROM @extschema@.pm_survey_changed c WHERE c.id = ANY (survey_seen);

    UPDATE @extschema@.pm_refresh_state s
       SET watermark = hi, time_zone = zone,
           last_refresh_at = pg_catalog.now(),
           last_full_at = CASE WHEN rebuild THEN pg_catalog.now() ELSE s.last_full_at END,
           last_duration = pg_catalog.clock_timestamp() - started,
           last_rows = folded, last_pairs = pairs,
           rows_folded = CASE WHEN rebuild THEN folded ELSE s.rows_folded + folded END,
           refreshes = s.refreshes + 1
     WHERE s.source = 'usage_events';
    UPDATE @extschema@.pm_refresh_state s
       SET last_refresh_at = pg_catalog.now(),
           last_full_at = CASE WHEN rebuild THEN pg_catalog.now() ELSE s.last_full_at END,
           last_duration = pg_catalog.clock_timestamp() - started,
           last_rows = cells, last_pairs = cardinality(waves),
           rows_folded = CASE WHEN rebuild THEN cells ELSE s.rows_folded + cells END,
           refreshes = s.refreshes + 1
     WHERE s.source = 'survey_responses';
END
$$;
COMMENT ON PROCEDURE @extschema@.refresh(boolean, text) IS
    'Folds the raw rows that arrived since the last refresh into the summaries the views read (full => true: rebuilds them; time_zone: the zone monthly cohorts are summarised in)';
REVOKE ALL ON PROCEDURE @extschema@.refresh(boolean, text) FROM PUBLIC;
GRANT EXECUTE ON PROCEDURE @extschema@.refresh(boolean, text) TO platform_metrics_admin;

-- The usage views' rows per (capability, team): summaries of unmarked pairs,
-- the tail, and the marked pairs from raw.  Internal (views call it as their
-- owner).
CREATE OR REPLACE VIEW @extschema@.pm_usage_per_team AS
WITH st AS MATERIALIZED (
    SELECT s.watermark FROM @extschema@.pm_refresh_state s WHERE s.source = 'usage_events'),
changed AS MATERIALIZED (
    SELECT DISTINCT c.capability, c.team FROM @extschema@.pm_usage_changed c)
SELECT x.capability, x.team, sum(x.events)::bigint AS events, min(x.first_at) AS first_at,
       min(x.first_use_at) AS first_use_at, max(x.last_use_at) AS last_use_at,
       max(x.last_abandon_at) AS last_abandon_at
  FROM (SELECT s.capability, s.team, s.events, s.first_at, s.first_use_at, s.last_use_at, s.last_abandon_at
          FROM @extschema@.usage_team_summary s
         WHERE NOT EXISTS (SELECT FROM changed c WHERE c.capability = s.capability AND c.team = s.team)
        UNION ALL
        SELECT r.capability, r.team, 1, r.occurred_at,
               CASE WHEN r.kind <> 'abandon' THEN r.occurred_at END,
               CASE WHEN r.kind <> 'abandon' THEN r.occurred_at END,
               CASE WHEN r.kind = 'abandon' THEN r.occurred_at END
          FROM (SELECT u.capability, u.team, u.occurred_at, u.kind
                  FROM @extschema@.usage_events u
                 WHERE u.seq > (SELECT st.watermark FROM st)
                UNION ALL
                SELECT u.capability, u.team, u.occurred_at, u.kind
                  FROM changed c JOIN @extschema@.usage_events u ON u.capability = c.capability AND u.team = c.team
                 WHERE u.seq <= (SELECT st.watermark FROM st)) r) x
 GROUP BY x.capability, x.team;
COMMENT ON VIEW @extschema@.pm_usage_per_team IS
    'Internal: usage per capability and team (summary below the watermark, raw above it and for changed pairs), what the adoption views read';

-- Progress and lag of the refresh, for operators and dashboards.
CREATE OR REPLACE VIEW @extschema@.refresh_status AS
SELECT s.source, s.watermark, s.time_zone, s.last_refresh_at, s.last_full_at, s.last_duration,
       s.last_rows, s.last_pairs AS last_keys, s.rows_folded, s.refreshes,
       pg_catalog.now() - s.last_refresh_at AS lag,
       (SELECT count(*) FROM @extschema@.usage_events u WHERE u.seq > s.watermark) AS tail_rows,
       (SELECT count(DISTINCT (c.capability, c.team)) FROM @extschema@.pm_usage_changed c) AS changed_keys,
       -- (1.6) in seconds, for BI tools that cannot read intervals
       extract(epoch FROM s.last_duration)::double precision AS last_duration_seconds,
       extract(epoch FROM pg_catalog.now() - s.last_refresh_at)::double precision AS lag_seconds
  FROM @extschema@.pm_refresh_state s WHERE s.source = 'usage_events'
UNION ALL
SELECT s.source, NULL, NULL, s.last_refresh_at, s.last_full_at, s.last_duration,
       s.last_rows, s.last_pairs, s.rows_folded, s.refreshes,
       pg_catalog.now() - s.last_refresh_at,
       -- answers of closed waves the views compute from raw
       (SELECT count(*) FROM @extschema@.survey_responses r JOIN @extschema@.survey_waves w ON w.wave = r.wave
         WHERE w.closed_at IS NOT NULL
           AND r.wave NOT IN (SELECT x.wave FROM @extschema@.pm_survey_summarised_waves x)),
       (SELECT count(DISTINCT c.wave) FROM @extschema@.pm_survey_changed c),
       extract(epoch FROM s.last_duration)::double precision,
       extract(epoch FROM pg_catalog.now() - s.last_refresh_at)::double precision
  FROM @extschema@.pm_refresh_state s WHERE s.source = 'survey_responses';
COMMENT ON VIEW @extschema@.refresh_status IS
    'Summaries: watermark, last refresh (when, how long, rows folded), lag, and the raw rows the views still read from raw';
COMMENT ON COLUMN @extschema@.refresh_status.source IS 'Raw table summarised: usage_events (usage views), survey_responses (the closed waves'' survey cells)';
COMMENT ON COLUMN @extschema@.refresh_status.watermark IS 'usage_events: rows numbered (seq) at or below it are in the summaries';
COMMENT ON COLUMN @extschema@.refresh_status.time_zone IS 'usage_events: time zone of the summarised monthly cohorts (capability_retention reads them in this zone)';
COMMENT ON COLUMN @extschema@.refresh_status.last_refresh_at IS 'When the last refresh ran (its transaction start)';
COMMENT ON COLUMN @extschema@.refresh_status.last_full_at IS 'When the summaries were last rebuilt from raw';
COMMENT ON COLUMN @extschema@.refresh_status.last_duration IS 'How long the last refresh took';
COMMENT ON COLUMN @extschema@.refresh_status.last_rows IS 'Raw rows the last refresh folded (survey_responses: survey cells it computed)';
COMMENT ON COLUMN @extschema@.refresh_status.last_keys IS 'Changed (capability, team) pairs the last refresh recomputed (survey_responses: waves it computed)';
COMMENT ON COLUMN @extschema@.refresh_status.rows_folded IS 'Raw rows folded (survey cells computed) since the last rebuild, the rebuild included';
COMMENT ON COLUMN @extschema@.refresh_status.refreshes IS 'Refreshes so far';
COMMENT ON COLUMN @extschema@.refresh_status.lag IS 'Time since the last refresh';
COMMENT ON COLUMN @extschema@.refresh_status.tail_rows IS 'Rows the views read from raw: above the watermark (survey_responses: answers of closed waves not summarised for the session''s threshold)';
COMMENT ON COLUMN @extschema@.refresh_status.changed_keys IS 'Updated or deleted (capability, team) pairs (survey_responses: marked waves) the views read from raw until the next refresh';
COMMENT ON COLUMN @extschema@.refresh_status.last_duration_seconds IS 'last_duration in seconds';
COMMENT ON COLUMN @extschema@.refresh_status.lag_seconds IS 'lag in seconds';
GRANT SELECT ON @extschema@.refresh_status TO platform_metrics_reader, platform_metrics_admin;
