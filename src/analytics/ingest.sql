-- ingest.sql: ingest(), idempotent batch ingestion (ingest.c validates)

CREATE OR REPLACE FUNCTION @extschema@.pm_parse_timestamptz(text) RETURNS timestamptz
    AS 'MODULE_PATHNAME', 'ingest_parse_timestamptz' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.pm_parse_timestamptz(text) IS
    'The text as a finite timestamptz, or NULL when it is not one (validation without exceptions)';

CREATE OR REPLACE FUNCTION @extschema@.pm_ingest_validate(events jsonb,
        OUT problem text, OUT kinds text[], OUT teams text[], OUT capabilities text[])
    AS 'MODULE_PATHNAME', 'ingest_validate' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.pm_ingest_validate(jsonb) IS
    'ingest(): checks a batch in one walk; the first bad element as "index: problem", the event types, teams and capabilities used';

CREATE OR REPLACE FUNCTION @extschema@.ingest(events jsonb, OUT accepted bigint, OUT duplicates bigint)
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
AS $fn$
DECLARE
    bad record;
    n bigint;
    kinds text[];
    first_problem text;
    team_names text[];
    capability_names text[];
    wave_names text[];
    question_names text[];
BEGIN
    accepted := 0;
    duplicates := 0;
    IF events IS NULL THEN
        RETURN;
    END IF;
    IF jsonb_typeof(events) <> 'array' THEN
        RAISE EXCEPTION 'events must be a JSON array of event objects'
            USING ERRCODE = '22023', HINT = 'Send [{"type": "usage", "event_id": ..., ...}, ...].';
    END IF;

    -- One walk over the batch (in C): the first bad element (by index), the event
    -- types present, and the distinct team and capability names to look up.
    SELECT v.problem, v.kinds, v.teams, v.capabilities
      INTO first_problem, kinds, team_names, capability_names
      FROM @extschema@.pm_ingest_validate(events) v;
    IF first_problem IS NOT NULL THEN
        RAISE EXCEPTION 'invalid event at index %', first_problem
            USING ERRCODE = '22023', HINT = 'Nothing of this batch was stored; correct the event and send the batch again.';
    END IF;
    -- the waves answered (survey events are few beside usage events: one more
    -- walk, only for batches that have them)
    IF 'survey' = ANY (kinds) THEN
        SELECT array_agg(DISTINCT a.doc ->> 'wave'), array_agg(DISTINCT coalesce(a.doc ->> 'question', 'nps'))
          INTO wave_names, question_names
          FROM jsonb_array_elements(events) AS a(doc)
         WHERE a.doc ->> 'type' = 'survey';
    END IF;
    -- Unknown teams, capabilities and waves: the distinct names are checked, and
    -- only when one is missing is the first index that uses it looked up.
    SELECT v.field, v.name INTO bad
      FROM (SELECT 'team' AS field, t AS name FROM unnest(team_names) AS t
             WHERE NOT EXISTS (SELECT FROM @extschema@.teams x WHERE x.team = t)
            UNION ALL
            SELECT 'capability', c FROM unnest(capability_names) AS c
             WHERE NOT EXISTS (SELECT FROM @extschema@.capabilities x WHERE x.capability = c)
            UNION ALL
            SELECT 'wave', w FROM unnest(wave_names) AS w
             WHERE NOT EXISTS (SELECT FROM @extschema@.survey_waves x WHERE x.wave = w)
            UNION ALL
            SELECT 'question', q FROM unnest(question_names) AS q
             WHERE NOT EXISTS (SELECT FROM @extschema@.survey_questions x WHERE x.question = q)) v
     LIMIT 1;
    IF FOUND THEN
        SELECT a.idx - 1 AS idx, format('unknown %s "%s"', bad.field, bad.name) AS problem INTO bad
          FROM jsonb_array_elements(events) WITH ORDINALITY AS a(doc, idx)
         WHERE CASE WHEN bad.field = 'question'
                    THEN a.doc ->> 'type' = 'survey' AND coalesce(a.doc ->> 'question', 'nps') = bad.name
                    ELSE a.doc ->> bad.field = bad.name END
         ORDER BY a.idx LIMIT 1;
        RAISE EXCEPTION 'invalid event at index %: %', bad.idx, bad.problem
            USING ERRCODE = '23503',
                  HINT = CASE WHEN bad.problem LIKE 'unknown question%'
                              THEN 'Register the question in survey_questions first (platform_metrics_admin); nothing of this batch was stored.'
                              ELSE 'Register teams, capabilities and survey waves first (platform_metrics_admin); nothing of this batch was stored.' END;
    END IF;
    -- Every answer within its question's scale (the C walk checked 0..10, the
    -- widest scale), and one answer per submission, question and capability
    -- in a wave, within the batch and against what is stored.
    IF 'survey' = ANY (kinds) THEN
        SELECT a.idx - 1 AS idx, q.question, q.low, q.high, a.doc -> 'score' AS score INTO bad
          FROM jsonb_array_elements(events) WITH ORDINALITY AS a(doc, idx)
          JOIN @extschema@.survey_questions q ON q.question = coalesce(a.doc ->> 'question', 'nps')
         WHERE a.doc ->> 'type' = 'survey' AND (a.doc ->> 'score')::smallint NOT BETWEEN q.low AND q.high
         ORDER BY a.idx LIMIT 1;
        IF FOUND THEN
            RAISE EXCEPTION 'invalid event at index %: field "score" must be from % to % for question "%", not %',
                bad.idx, bad.low, bad.high, bad.question, bad.score
                USING ERRCODE = '22023',
                      HINT = 'Nothing of this batch was stored; correct the event and send the batch again.';
        END IF;
        IF jsonb_path_exists(events, '$[*].submission_id') THEN
            SELECT s.idx - 1 AS idx, s.submission_id INTO bad
              FROM (SELECT a.idx, a.doc ->> 'submission_id' AS submission_id,
                           count(*) OVER (PARTITION BY a.doc ->> 'wave', (a.doc ->> 'submission_id')::uuid,
                                          coalesce(a.doc ->> 'question', 'nps'), coalesce(a.doc ->> 'capability', '')) AS n,
                           EXISTS (SELECT FROM @extschema@.survey_responses r
                                    WHERE r.wave = a.doc ->> 'wave' AND r.submission_id = (a.doc ->> 'submission_id')::uuid
                                      AND r.question = coalesce(a.doc ->> 'question', 'nps')
                                      AND coalesce(r.capability, '') = coalesce(a.doc ->> 'capability', '')
                                      AND r.response_id <> a.doc ->> 'response_id') AS stored,
                           EXISTS (SELECT FROM @extschema@.survey_responses r
                                    WHERE r.response_id = a.doc ->> 'response_id') AS duplicate
                      FROM (SELECT DISTINCT ON (e.doc ->> 'response_id') e.doc, e.idx
                              FROM jsonb_array_elements(events) WITH ORDINALITY AS e(doc, idx)
                             WHERE e.doc ->> 'type' = 'survey' AND e.doc ->> 'submission_id' IS NOT NULL
                             ORDER BY e.doc ->> 'response_id', e.idx) a) s
             WHERE NOT s.duplicate AND (s.n > 1 OR s.stored)
             ORDER BY s.idx LIMIT 1;
            IF FOUND THEN
                RAISE EXCEPTION 'invalid event at index %: submission "%" already answered this question in this wave',
                    bad.idx, bad.submission_id
                    USING ERRCODE = '23505',
                          HINT = 'A submission gives one answer per question (and capability) in a wave; nothing of this batch was stored.';
            END IF;
        END IF;
    END IF;
    -- A closed wave takes no new answers (an answer already stored is a
    -- duplicate, as always).  The trigger on survey_responses enforces it
    -- against a wave closed while this batch runs; this names the event.
    IF EXISTS (SELECT FROM @extschema@.survey_waves x WHERE x.wave = ANY (wave_names) AND x.closed_at IS NOT NULL) THEN
        SELECT a.idx - 1 AS idx, x.wave INTO bad
          FROM jsonb_array_elements(events) WITH ORDINALITY AS a(doc, idx)
          JOIN @extschema@.survey_waves x ON x.wave = a.doc ->> 'wave'
         WHERE a.doc ->> 'type' = 'survey' AND x.closed_at IS NOT NULL
           AND NOT EXISTS (SELECT FROM @extschema@.survey_responses r WHERE r.response_id = a.doc ->> 'response_id')
         ORDER BY a.idx LIMIT 1;
        IF FOUND THEN
            RAISE EXCEPTION 'invalid event at index %: survey wave "%" is closed', bad.idx, bad.wave
                USING ERRCODE = '55000',
                      DETAIL = 'Its figures are published and do not change.',
                      HINT = 'Answers are taken while a wave is open; nothing of this batch was stored.';
        END IF;
    END IF;
    -- Store, one INSERT per event type present: a re-sent id changes nothing and
    -- counts as a duplicate.  Rows go in key order, so two sessions storing
    -- overlapping batches lock their shared keys in the same order and cannot
    -- deadlock (in 1.0, the same ids in opposite orders could).
    IF 'usage' = ANY (kinds) THEN
        WITH ins AS (
            INSERT INTO @extschema@.usage_events (event_id, team, capability, occurred_at, kind)
            SELECT doc ->> 'event_id', doc ->> 'team', doc ->> 'capability',
                   @extschema@.pm_parse_timestamptz(doc ->> 'occurred_at'), coalesce(doc ->> 'kind', 'use')
              FROM jsonb_array_elements(events) AS a(doc) WHERE doc ->> 'type' = 'usage'
             ORDER BY doc ->> 'event_id'
            ON CONFLICT (event_id) DO NOTHING RETURNING 1)
        SELECT count(*) INTO n FROM ins;
        accepted := accepted + n;
    END IF;

    -- (an id sent twice in one batch: its first event is stored, the one the
    -- checks above looked at; a concurrent batch that stored another answer
    -- of the same submission and question first is named, not a raw error)
    IF 'survey' = ANY (kinds) THEN
        BEGIN
            WITH ins AS (
                INSERT INTO @extschema@.survey_responses (response_id, wave, team, capability, question, score, comment,
                                                          submitted_at, submission_id)
                SELECT DISTINCT ON (doc ->> 'response_id')
                       doc ->> 'response_id', doc ->> 'wave', doc ->> 'team', doc ->> 'capability',
                       coalesce(doc ->> 'question', 'nps'), (doc ->> 'score')::smallint, doc ->> 'comment',
                       coalesce(@extschema@.pm_parse_timestamptz(doc ->> 'submitted_at'), now()),
                       (doc ->> 'submission_id')::uuid
                  FROM jsonb_array_elements(events) WITH ORDINALITY AS a(doc, idx) WHERE doc ->> 'type' = 'survey'
                 ORDER BY doc ->> 'response_id', idx
                ON CONFLICT (response_id) DO NOTHING RETURNING 1)
            SELECT count(*) INTO n FROM ins;
        EXCEPTION WHEN unique_violation THEN
            RAISE EXCEPTION 'a submission of this batch already answered one of its questions in its wave (stored by a concurrent batch)'
                USING ERRCODE = '23505',
                      HINT = 'A submission gives one answer per question (and capability) in a wave; nothing of this batch was stored.';
        END;
        accepted := accepted + n;
    END IF;

    -- Onboarding rows are upserted: the same subject and milestone sent again with
    -- reached_at filled in completes the row.  Within a batch the last event
    -- that carries reached_at wins (a stale retry without it after the completed
    -- one must not lose the completion).  The stored started_at stays; an event
    -- that would complete a stored row before it started is an error, not a
    -- raw constraint violation.
    IF 'onboarding' = ANY (kinds) THEN
        SELECT a.idx - 1 AS idx, o.started_at, a.doc ->> 'reached_at' AS reached_at INTO bad
          FROM jsonb_array_elements(events) WITH ORDINALITY AS a(doc, idx)
          JOIN @extschema@.onboarding o
            ON o.subject = a.doc ->> 'subject' AND o.milestone = coalesce(a.doc ->> 'milestone', 'first_deploy')
         WHERE a.doc ->> 'type' = 'onboarding' AND o.reached_at IS NULL
           AND @extschema@.pm_parse_timestamptz(a.doc ->> 'reached_at') < o.started_at
         ORDER BY a.idx LIMIT 1;
        IF FOUND THEN
            RAISE EXCEPTION 'invalid event at index %: "reached_at" (%) is before the stored "started_at" (%)',
                bad.idx, bad.reached_at, bad.started_at
                USING ERRCODE = '22023',
                      HINT = 'An onboarding row keeps the started_at it was first stored with; nothing of this batch was stored.';
        END IF;
        WITH ins AS (
            INSERT INTO @extschema@.onboarding AS o (subject, team, milestone, started_at, reached_at)
            SELECT DISTINCT ON (doc ->> 'subject', coalesce(doc ->> 'milestone', 'first_deploy'))
                   doc ->> 'subject', doc ->> 'team', coalesce(doc ->> 'milestone', 'first_deploy'),
                   @extschema@.pm_parse_timestamptz(doc ->> 'started_at'),
                   @extschema@.pm_parse_timestamptz(doc ->> 'reached_at')
              FROM jsonb_array_elements(events) WITH ORDINALITY AS a(doc, idx) WHERE doc ->> 'type' = 'onboarding'
             ORDER BY doc ->> 'subject', coalesce(doc ->> 'milestone', 'first_deploy'),
                      doc ->> 'reached_at' IS NULL, idx DESC
            ON CONFLICT (subject, milestone) DO UPDATE SET reached_at = excluded.reached_at
             WHERE o.reached_at IS NULL AND excluded.reached_at IS NOT NULL
            RETURNING 1)
        SELECT count(*) INTO n FROM ins;
        accepted := accepted + n;
    END IF;

    IF 'feedback' = ANY (kinds) THEN
        WITH ins AS (
            INSERT INTO @extschema@.feedback (feedback_id, team, capability, channel, received_at, synthesized_at,
                                              theme, acted_at, communicated_at)
            SELECT doc ->> 'feedback_id', doc ->> 'team', doc ->> 'capability', coalesce(doc ->> 'channel', 'other'),
                   @extschema@.pm_parse_timestamptz(doc ->> 'received_at'),
                   @extschema@.pm_parse_timestamptz(doc ->> 'synthesized_at'), doc ->> 'theme',
                   @extschema@.pm_parse_timestamptz(doc ->> 'acted_at'),
                   @extschema@.pm_parse_timestamptz(doc ->> 'communicated_at')
              FROM jsonb_array_elements(events) AS a(doc) WHERE doc ->> 'type' = 'feedback'
             ORDER BY doc ->> 'feedback_id'
            ON CONFLICT (feedback_id) DO NOTHING RETURNING 1)
        SELECT count(*) INTO n FROM ins;
        accepted := accepted + n;
    END IF;

    IF 'unplanned' = ANY (kinds) THEN
        WITH ins AS (
            INSERT INTO @extschema@.unplanned_work (event_id, team, capability, occurred_at, hours, cause)
            SELECT doc ->> 'event_id', doc ->> 'team', doc ->> 'capability',
                   @extschema@.pm_parse_timestamptz(doc ->> 'occurred_at'), (doc ->> 'hours')::numeric,
                   coalesce(doc ->> 'cause', 'unknown')
              FROM jsonb_array_elements(events) AS a(doc) WHERE doc ->> 'type' = 'unplanned'
             ORDER BY doc ->> 'event_id'
            ON CONFLICT (event_id) DO NOTHING RETURNING 1)
        SELECT count(*) INTO n FROM ins;
        accepted := accepted + n;
    END IF;

    duplicates := jsonb_array_length(events) - accepted;
END
$fn$;

COMMENT ON FUNCTION @extschema@.ingest(jsonb) IS
    'Stores a JSON array of events (usage, survey, onboarding, feedback, unplanned) all or nothing; re-sent ids are duplicates';
REVOKE ALL ON FUNCTION @extschema@.ingest(jsonb) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION @extschema@.ingest(jsonb) TO platform_metrics_writer;
