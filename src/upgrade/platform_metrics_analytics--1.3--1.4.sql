-- platform_metrics_analytics 1.3 -> 1.4 (frozen: written once for this step).
-- The question catalogue (survey_questions, answers checked against their
-- question's scale, submission ids), pm_survey_cells per question, and the
-- question views: question_scores, question_scores_by_team, devex_index,
-- survey_drivers, time_cost.
\echo Use "ALTER EXTENSION platform_metrics_analytics UPDATE TO '1.4'" to load this file. \quit

SELECT @extschema@.pm_schema_check();
-- survey_questions_bucket_hours: the hours an hours question's answers stand
-- for, finite, not negative and ascending.
CREATE OR REPLACE FUNCTION @extschema@.pm_hours_ascending(hours double precision[]) RETURNS boolean
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    RETURN (SELECT pg_catalog.bool_and(h.v >= 0 AND h.v < 'Infinity'::double precision
                                       AND (h.prev IS NULL OR h.v > h.prev))
              FROM (SELECT u.v, pg_catalog.lag(u.v) OVER (ORDER BY u.i) AS prev
                      FROM pg_catalog.unnest(hours) WITH ORDINALITY AS u(v, i)) h)
           AND pg_catalog.array_position(hours, NULL) IS NULL;
COMMENT ON FUNCTION @extschema@.pm_hours_ascending(double precision[]) IS
    'Constraint survey_questions_bucket_hours: the hours are finite, not negative, and strictly ascending';

-- The question catalogue (since 1.4): every answer is to a registered
-- question, within its scale (questions.sql fills the defaults, checks the
-- answers and freezes a scale once answered).  Scales lie within 0..10, the
-- range survey_responses.score has always had.
CREATE TABLE IF NOT EXISTS @extschema@.survey_questions (
    question       text PRIMARY KEY
                   CONSTRAINT survey_questions_question_not_empty CHECK (question <> ''),
    wording        text NOT NULL DEFAULT '',
    scale          text NOT NULL DEFAULT 'likert'
                   CONSTRAINT survey_questions_scale CHECK (scale IN ('nps', 'likert', 'hours')),
    low            smallint NOT NULL,
    high           smallint NOT NULL,
    bucket_hours   double precision[],
    favorable_from smallint NOT NULL,
    reverse_coded  boolean NOT NULL DEFAULT false,
    dimension      text,
    in_index       boolean NOT NULL DEFAULT false,
    CONSTRAINT survey_questions_scale_range CHECK (low >= 0 AND high <= 10 AND low < high),
    CONSTRAINT survey_questions_nps_scale CHECK (scale <> 'nps' OR (low = 0 AND high = 10)),
    CONSTRAINT survey_questions_favorable_from CHECK (
        CASE WHEN reverse_coded THEN favorable_from >= low AND favorable_from < high
             ELSE favorable_from > low AND favorable_from <= high END),
    CONSTRAINT survey_questions_bucket_hours CHECK (
        CASE WHEN scale = 'hours'
             THEN bucket_hours IS NOT NULL AND pg_catalog.array_ndims(bucket_hours) = 1
                  AND pg_catalog.array_lower(bucket_hours, 1) = 1
                  AND pg_catalog.cardinality(bucket_hours) = high - low + 1
                  AND @extschema@.pm_hours_ascending(bucket_hours)
             ELSE bucket_hours IS NULL END)
);
COMMENT ON TABLE @extschema@.survey_questions IS 'Survey questions: the scale every answer is checked against, and how the views score it';
COMMENT ON COLUMN @extschema@.survey_questions.question IS 'Key the answers name in survey_responses.question, e.g. ease_of_deploy';
COMMENT ON COLUMN @extschema@.survey_questions.wording IS 'The question as asked';
COMMENT ON COLUMN @extschema@.survey_questions.scale IS 'nps (0-10), likert (low..high, e.g. 1-5) or hours (buckets low..high, each standing for bucket_hours hours a week)';
COMMENT ON COLUMN @extschema@.survey_questions.low IS 'Lowest answer (default: 0 for nps, 1 otherwise)';
COMMENT ON COLUMN @extschema@.survey_questions.high IS 'Highest answer (default: 10 for nps, 5 for likert, the last bucket for hours)';
COMMENT ON COLUMN @extschema@.survey_questions.bucket_hours IS 'hours questions: hours per week each answer low..high stands for (ascending)';
COMMENT ON COLUMN @extschema@.survey_questions.favorable_from IS 'Answers at or above it are favourable (at or below it when reverse_coded); default the top (bottom) two points';
COMMENT ON COLUMN @extschema@.survey_questions.reverse_coded IS 'True when lower answers are better (time lost, cognitive load)';
COMMENT ON COLUMN @extschema@.survey_questions.dimension IS 'What it measures, e.g. feedback loops, cognitive load, flow state (DevEx)';
COMMENT ON COLUMN @extschema@.survey_questions.in_index IS 'Whether it counts towards devex_index';

COMMENT ON COLUMN @extschema@.survey_responses.question IS 'Question answered (registered in survey_questions); nps for "how likely are you to recommend ..."';
COMMENT ON COLUMN @extschema@.survey_responses.score IS 'Answer, within the question''s scale (0 to 10 at most)';
SELECT pg_catalog.pg_extension_config_dump('@extschema@.survey_questions', 'WHERE question <> ''nps''');

-- questions.sql: the question catalogue (since 1.4)
--
-- Every answer is to a question registered in survey_questions and within its
-- scale.  The catalogue fills in the defaults of a new question, keeps the
-- extension's nps question as it is, and freezes how a question is scored
-- once it has answers: changing a published question's scale, favourable
-- cut-off or place in the index would change the figures of closed waves,
-- and reading the views under several settings would tell more of the
-- hidden answers than one (README, Anonymity).

CREATE OR REPLACE FUNCTION @extschema@.pm_survey_questions_check() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
AS $fn$
BEGIN
    IF TG_OP <> 'INSERT' AND OLD.question = 'nps' THEN
        RAISE EXCEPTION 'question "nps" belongs to the extension and cannot be changed'
            USING ERRCODE = '55000',
                  HINT = 'Register a question of your own (scale nps) to ask another 0-10 question.';
    END IF;
    IF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;
    IF NEW.scale = 'hours' AND NEW.bucket_hours IS NULL THEN
        RAISE EXCEPTION 'question "%" of scale hours needs bucket_hours', NEW.question
            USING ERRCODE = '23514', CONSTRAINT = 'survey_questions_bucket_hours',
                  HINT = 'Give the hours a week each answer stands for, e.g. bucket_hours => ''{0.5,2,4,8,12}'' for answers 1 to 5.';
    END IF;
    IF NEW.scale = 'nps' THEN
        NEW.low := coalesce(NEW.low, 0);
        NEW.high := coalesce(NEW.high, 10);
    ELSE
        NEW.low := coalesce(NEW.low, 1);
        NEW.high := coalesce(NEW.high,
                             CASE WHEN NEW.scale = 'hours' THEN NEW.low + cardinality(NEW.bucket_hours) - 1 ELSE 5 END);
    END IF;
    NEW.favorable_from := coalesce(NEW.favorable_from,
                                   CASE WHEN NEW.reverse_coded THEN NEW.low + 1 ELSE NEW.high - 1 END);
    IF TG_OP = 'UPDATE'
       AND (NEW.scale, NEW.low, NEW.high, NEW.bucket_hours, NEW.favorable_from, NEW.reverse_coded, NEW.in_index)
           IS DISTINCT FROM (OLD.scale, OLD.low, OLD.high, OLD.bucket_hours, OLD.favorable_from, OLD.reverse_coded, OLD.in_index)
       AND EXISTS (SELECT FROM @extschema@.survey_responses r WHERE r.question = OLD.question) THEN
        RAISE EXCEPTION 'question "%" has answers: its scale and how it is scored cannot change', OLD.question
            USING ERRCODE = '55000',
                  DETAIL = 'scale, low, high, bucket_hours, favorable_from, reverse_coded and in_index are fixed once a question is answered; wording and dimension may change.',
                  HINT = 'Register a new question for the new scale.';
    END IF;
    RETURN NEW;
END
$fn$;
COMMENT ON FUNCTION @extschema@.pm_survey_questions_check() IS
    'Trigger of survey_questions: fills in the defaults, keeps question nps, and fixes the scoring of answered questions';
REVOKE ALL ON FUNCTION @extschema@.pm_survey_questions_check() FROM PUBLIC;

CREATE TRIGGER survey_questions_check
    BEFORE INSERT OR UPDATE OR DELETE ON @extschema@.survey_questions
    FOR EACH ROW EXECUTE FUNCTION @extschema@.pm_survey_questions_check();

-- The answers' scale: one statement-level check per INSERT, COPY or UPDATE
-- (a plain INSERT of a score outside its question's scale fails here;
-- ingest() names the event before anything is stored).
CREATE OR REPLACE FUNCTION @extschema@.pm_survey_answers_in_scale() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
AS $fn$
DECLARE
    bad record;
BEGIN
    -- FOR SHARE: a change of a question's scale (an UPDATE of its row) waits
    -- for the statements writing answers to it and then sees them; a
    -- statement that comes after the change checks against the new scale
    PERFORM FROM @extschema@.survey_questions q
      WHERE q.question IN (SELECT n.question FROM pm_checked_answers n)
      ORDER BY q.question
        FOR SHARE;
    SELECT n.response_id, n.question, n.score, q.low, q.high INTO bad
      FROM pm_checked_answers n JOIN @extschema@.survey_questions q ON q.question = n.question
     WHERE n.score NOT BETWEEN q.low AND q.high
     ORDER BY n.response_id LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION 'score % is outside the scale of question "%" (% to %)', bad.score, bad.question, bad.low, bad.high
            USING ERRCODE = '23514', DETAIL = format('Answer %s.', bad.response_id),
                  CONSTRAINT = 'survey_responses_score_in_scale';
    END IF;
    RETURN NULL;
END
$fn$;
COMMENT ON FUNCTION @extschema@.pm_survey_answers_in_scale() IS
    'Trigger of survey_responses: refuses answers outside their question''s scale';
REVOKE ALL ON FUNCTION @extschema@.pm_survey_answers_in_scale() FROM PUBLIC;

CREATE TRIGGER survey_responses_in_scale
    AFTER INSERT ON @extschema@.survey_responses
    REFERENCING NEW TABLE AS pm_checked_answers
    FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.pm_survey_answers_in_scale();
CREATE TRIGGER survey_responses_in_scale_update
    AFTER UPDATE ON @extschema@.survey_responses
    REFERENCING NEW TABLE AS pm_checked_answers
    FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.pm_survey_answers_in_scale();

-- The extension's question, and (survey_responses adopted from a 1.x layer
-- or updated from 1.3) every question answered so far, on the 0-10 scale its
-- answers were checked against.
INSERT INTO @extschema@.survey_questions (question, wording, scale)
VALUES ('nps', 'How likely are you to recommend the platform to a colleague?', 'nps')
    ON CONFLICT (question) DO NOTHING;
ALTER TABLE @extschema@.survey_responses ADD COLUMN IF NOT EXISTS submission_id uuid;
COMMENT ON COLUMN @extschema@.survey_responses.submission_id IS 'Random id the survey tool gives one respondent''s answers in a wave (optional, never shown): per-respondent statistics';
INSERT INTO @extschema@.survey_questions (question, scale)
SELECT DISTINCT r.question, 'nps' FROM @extschema@.survey_responses r
    ON CONFLICT (question) DO NOTHING;
DO $fk$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_catalog.pg_constraint c
                    WHERE c.conrelid OPERATOR(pg_catalog.=) '@extschema@.survey_responses'::pg_catalog.regclass
                      AND c.conname OPERATOR(pg_catalog.=) 'survey_responses_unknown_question') THEN
        ALTER TABLE @extschema@.survey_responses ADD CONSTRAINT survey_responses_unknown_question
            FOREIGN KEY (question) REFERENCES @extschema@.survey_questions;
    END IF;
END
$fk$;
-- One answer per respondent, question and capability in a wave.
CREATE UNIQUE INDEX IF NOT EXISTS survey_responses_one_answer_per_submission
    ON @extschema@.survey_responses (wave, submission_id, question, (coalesce(capability, '')))
 WHERE submission_id IS NOT NULL;

-- The admin registers questions too.
GRANT SELECT, INSERT, UPDATE ON @extschema@.survey_questions TO platform_metrics_admin;
-- The reader reads the question catalogue (wording, scale, dimension) beside
-- the views; it holds no answer.
GRANT SELECT ON @extschema@.survey_questions TO platform_metrics_reader;

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

-- survey_views.sql: what readers see of the survey, above the anonymity thresholds

-- One suppression mechanism for every survey view (since 1.3; every question
-- since 1.4).  pm_survey_cells holds each publishable group of a closed
-- wave's answers to each question, with its summary and whether it is hidden:
--   the wave (capability NULL, team NULL): the question's total;
--   each team in the wave (capability NULL): the question by team;
--   each capability in the wave (team NULL): that capability's answers.
-- A group with fewer than min_group_size() answers is hidden.  The teams of a
-- wave partition its total, so the hidden teams' answers are known per
-- category as "total minus shown teams": when a question has a small team in
-- a wave, the next-smallest teams are hidden too, until the hidden answers
-- are safe to leave as a remainder (pm_hidden_answers_safe): at least
-- min_group_size() of them, at least two in every category the views publish
-- (promoters, passives and detractors for the nps question; favourable
-- and not for every other question, whatever its scale), and enough teams that one answer taken away still
-- leaves two.  Then no hidden team's category count is pinned to one value,
-- even for someone who knows how many of each hidden team answered and is
-- one of the hidden respondents (README, Anonymity).  If hiding every team
-- is not enough, the question's total is hidden as well.  Capabilities have
-- no published total, so nothing can be subtracted there.
CREATE OR REPLACE FUNCTION @extschema@.pm_hidden_answers_safe(categories bigint[], k integer,
        groups bigint, single_answer_groups bigint)
    RETURNS boolean LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN categories IS NOT NULL
           AND categories[1] + categories[2] + coalesce(categories[3], 0) >= k
           AND 2 <= ALL (categories)
           AND (groups >= 3 OR (groups = 2 AND single_answer_groups = 0));
COMMENT ON FUNCTION @extschema@.pm_hidden_answers_safe(bigint[], integer, bigint, bigint) IS
    'Whether the hidden answers of a question in a wave (counted per published category, two or three of them, in groups of which single_answer_groups have one answer) may be left as a remainder: at least k, two of every category, two groups left without any one answer';
CREATE OR REPLACE FUNCTION @extschema@.pm_hidden_answers_safe(hidden @extschema@.nps_summary, k integer,
        groups bigint, single_answer_groups bigint)
    RETURNS boolean LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN @extschema@.pm_hidden_answers_safe(
               ARRAY[@extschema@.promoters(hidden), @extschema@.passives(hidden), @extschema@.detractors(hidden)],
               k, groups, single_answer_groups);
COMMENT ON FUNCTION @extschema@.pm_hidden_answers_safe(@extschema@.nps_summary, integer, bigint, bigint) IS
    'pm_hidden_answers_safe of an NPS summary''s promoters, passives and detractors (the 1.3 form)';

-- The summaries of the views: every answer is kept in a likert_summary of
-- 0..10, the widest scale, whatever its question's (counts outside the
-- question's scale are zero); these read them as the question scores them.
-- (Plain expressions, so that the planner inlines them: the share times the
-- responses is the count exactly, rounded.)
CREATE OR REPLACE FUNCTION @extschema@.pm_at_least(s @extschema@.likert_summary, score integer)
    RETURNS bigint LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN pg_catalog.round(@extschema@.responses(s) * @extschema@.favorable_share(s, score))::bigint;
COMMENT ON FUNCTION @extschema@.pm_at_least(@extschema@.likert_summary, integer) IS
    'Internal: the answers of a summary at or above a score';

CREATE OR REPLACE FUNCTION @extschema@.pm_favorable_count(s @extschema@.likert_summary, favorable_from integer,
        reverse_coded boolean)
    RETURNS bigint LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN CASE WHEN reverse_coded THEN @extschema@.responses(s) - @extschema@.pm_at_least(s, favorable_from + 1)
                ELSE @extschema@.pm_at_least(s, favorable_from) END;
COMMENT ON FUNCTION @extschema@.pm_favorable_count(@extschema@.likert_summary, integer, boolean) IS
    'Internal: the favourable answers of a 0..10 summary (at or above favorable_from; at or below it when reverse_coded)';

CREATE OR REPLACE FUNCTION @extschema@.pm_answer_categories(s @extschema@.likert_summary, nps_question boolean,
        favorable_from integer, reverse_coded boolean)
    RETURNS bigint[] LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN CASE WHEN nps_question
                THEN ARRAY[@extschema@.responses(s) - @extschema@.pm_at_least(s, 7),
                           @extschema@.pm_at_least(s, 7) - @extschema@.pm_at_least(s, 9), @extschema@.pm_at_least(s, 9)]
                ELSE ARRAY[@extschema@.responses(s) - @extschema@.pm_favorable_count(s, favorable_from, reverse_coded),
                           @extschema@.pm_favorable_count(s, favorable_from, reverse_coded)] END;
COMMENT ON FUNCTION @extschema@.pm_answer_categories(@extschema@.likert_summary, boolean, integer, boolean) IS
    'Internal: the counts of the categories the views publish of a question: detractors, passives and promoters of the nps question (whose favourable answers are its promoters); not favourable and favourable for every other question';

CREATE OR REPLACE FUNCTION @extschema@.pm_nps_summary(s @extschema@.likert_summary)
    RETURNS @extschema@.nps_summary LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN pg_catalog.format('promoters=%s passives=%s detractors=%s', @extschema@.pm_at_least(s, 9),
                             @extschema@.pm_at_least(s, 7) - @extschema@.pm_at_least(s, 9),
                             @extschema@.responses(s) - @extschema@.pm_at_least(s, 7))::@extschema@.nps_summary;
COMMENT ON FUNCTION @extschema@.pm_nps_summary(@extschema@.likert_summary) IS
    'Internal: the nps_summary of a 0..10 likert_summary';

CREATE OR REPLACE VIEW @extschema@.pm_survey_cells WITH (security_barrier) AS
WITH threshold AS (
    SELECT @extschema@.min_group_size() AS k),
answers AS (
    -- one aggregate, read once, so that a view's condition on the wave or
    -- question reaches the scan: the platform answers (capability NULL) per
    -- team, the capability answers per capability; closed waves only
    -- (open waves are left out before counting: not even a plan's row
    -- counts tell how an open wave is going, team by team)
    SELECT r.wave, r.question, CASE WHEN r.capability IS NULL THEN r.team END AS team, r.capability,
           @extschema@.likert_summary(r.score::integer, 0, 10) AS ls, count(*) AS n
      FROM @extschema@.survey_responses r
      JOIN @extschema@.survey_waves w ON w.wave = r.wave
     WHERE w.closed_at IS NOT NULL
     GROUP BY r.wave, r.question, CASE WHEN r.capability IS NULL THEN r.team END, r.capability),
keyed AS (
    -- the order the teams are hidden in, per question and wave: small teams
    -- first, then the others from the smallest, teams of one size by name
    -- (as in 1.3: an update must not change which teams a closed wave hides,
    -- two patterns of one wave would tell more than either); the
    -- capabilities after them.  As integers: the names' order comes from one
    -- sort of the teams, not from comparing names in the big sort.
    SELECT a.*, t.k,
           ((a.capability IS NOT NULL)::integer::bigint << 40)
           | ((NOT (a.capability IS NULL AND a.n < t.k))::integer::bigint << 39) | a.n AS size_key,
           r.team_rank
      FROM answers a CROSS JOIN threshold t
           LEFT JOIN (SELECT x.team, rank() OVER (ORDER BY x.team) AS team_rank FROM @extschema@.teams x) r
             ON r.team = a.team),
ordered AS (
    -- hidden_before is what hiding every team before this one would hide;
    -- the total is the rollup of the teams
    SELECT a.wave, a.question, a.team, a.capability, a.ls, a.n,
           a.capability IS NULL AND a.n < a.k AS small,
           coalesce(bool_or(a.n < a.k) FILTER (WHERE a.capability IS NULL) OVER w, false) AS wave_has_small,
           @extschema@.rollup(a.ls) FILTER (WHERE a.capability IS NULL) OVER before AS hidden_before,
           count(*) FILTER (WHERE a.capability IS NULL) OVER before AS teams_before,
           count(*) FILTER (WHERE a.capability IS NULL AND a.n = 1) OVER before AS singles_before,
           count(*) FILTER (WHERE a.capability IS NULL) OVER w AS teams,
           count(*) FILTER (WHERE a.capability IS NULL AND a.n = 1) OVER w AS singles,
           @extschema@.rollup(a.ls) FILTER (WHERE a.capability IS NULL) OVER w AS total_ls,
           sum(a.n) FILTER (WHERE a.capability IS NULL) OVER w AS total_n,
           row_number() OVER ord = 1 AND a.capability IS NULL AS first_team, a.k
      FROM keyed a
    WINDOW w AS (PARTITION BY a.wave, a.question),
           ord AS (w ORDER BY a.size_key, a.team_rank, a.capability),
           before AS (ord ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING)),
cells AS (
    SELECT o.wave, o.question, g.kind,
           CASE WHEN g.kind = 'capability' THEN o.capability END AS capability,
           CASE WHEN g.kind = 'team' THEN o.team END AS team,
           CASE WHEN g.kind = 'total' THEN o.total_ls ELSE o.ls END AS ls,
           CASE WHEN g.kind = 'total' THEN o.total_n ELSE o.n END::bigint AS n,
           o.small, o.wave_has_small, o.hidden_before, o.teams_before, o.singles_before, o.teams, o.singles, o.k
      FROM ordered o
           CROSS JOIN LATERAL (VALUES ('team'), ('total'), ('capability')) AS g(kind)
     WHERE CASE g.kind WHEN 'team' THEN o.capability IS NULL
                       WHEN 'total' THEN o.first_team
                       ELSE o.capability IS NOT NULL END)
SELECT x.wave, x.capability, x.team,
       CASE WHEN x.question = 'nps' THEN @extschema@.pm_nps_summary(x.ls) END AS s,
       x.n,
       CASE x.kind
            WHEN 'team'
            THEN x.small OR (x.wave_has_small
                             AND NOT @extschema@.pm_hidden_answers_safe(
                                 @extschema@.pm_answer_categories(x.hidden_before, x.question = 'nps', q.favorable_from, q.reverse_coded),
                                 x.k, x.teams_before, x.singles_before))
            WHEN 'total'
            THEN x.n < x.k OR (x.wave_has_small
                               AND NOT @extschema@.pm_hidden_answers_safe(
                                   @extschema@.pm_answer_categories(x.ls, x.question = 'nps', q.favorable_from, q.reverse_coded),
                                   x.k, x.teams, x.singles))
            ELSE x.n < x.k END AS hidden,
       x.question, x.ls
  FROM cells x JOIN @extschema@.survey_questions q ON q.question = x.question;
COMMENT ON VIEW @extschema@.pm_survey_cells IS
    'Internal: every publishable survey group (wave, question; by team or capability) of the closed waves, and whether it is hidden (the one suppression mechanism of the survey views)';

-- Platform NPS per survey wave (the question about the platform as a whole).
CREATE OR REPLACE VIEW @extschema@.nps_by_survey WITH (security_barrier) AS
WITH asked AS MATERIALIZED (
    SELECT coalesce(sum(t.headcount), 0)::bigint AS population FROM @extschema@.teams t)
SELECT c.wave,
       CASE WHEN NOT c.hidden THEN c.n END AS responses,
       CASE WHEN NOT c.hidden THEN c.n::double precision / nullif(a.population, 0) END AS response_rate,
       CASE WHEN NOT c.hidden THEN @extschema@.promoters(c.s) END AS promoters,
       CASE WHEN NOT c.hidden THEN @extschema@.passives(c.s) END AS passives,
       CASE WHEN NOT c.hidden THEN @extschema@.detractors(c.s) END AS detractors,
       CASE WHEN NOT c.hidden THEN @extschema@.nps(c.s) END AS nps,
       CASE WHEN NOT c.hidden THEN ci.low END AS ci_low,
       CASE WHEN NOT c.hidden THEN ci.high END AS ci_high,
       c.hidden AS suppressed
  FROM @extschema@.pm_survey_cells c CROSS JOIN asked a
       CROSS JOIN LATERAL @extschema@.nps_ci(c.s, 0.95, greatest(a.population, c.n)) ci
 WHERE c.question = 'nps' AND c.capability IS NULL AND c.team IS NULL;
COMMENT ON VIEW @extschema@.nps_by_survey IS 'Platform NPS per closed survey wave with its 95% interval; suppressed waves show no numbers';
COMMENT ON COLUMN @extschema@.nps_by_survey.wave IS 'Survey wave (closed)';
COMMENT ON COLUMN @extschema@.nps_by_survey.responses IS 'Number of answers to the platform NPS question (NULL when suppressed)';
COMMENT ON COLUMN @extschema@.nps_by_survey.response_rate IS 'Answers divided by the developers asked (sum of team headcounts)';
COMMENT ON COLUMN @extschema@.nps_by_survey.promoters IS 'Answers 9-10';
COMMENT ON COLUMN @extschema@.nps_by_survey.passives IS 'Answers 7-8';
COMMENT ON COLUMN @extschema@.nps_by_survey.detractors IS 'Answers 0-6';
COMMENT ON COLUMN @extschema@.nps_by_survey.nps IS 'Net Promoter Score, -100 to 100';
COMMENT ON COLUMN @extschema@.nps_by_survey.ci_low IS 'Lower end of the 95% adjusted-Wald interval (finite-population corrected)';
COMMENT ON COLUMN @extschema@.nps_by_survey.ci_high IS 'Upper end of the 95% interval';
COMMENT ON COLUMN @extschema@.nps_by_survey.suppressed IS 'True when the numbers are hidden: fewer than platform_metrics.min_group_size answered, or the hidden teams could be recovered from the total';

-- Platform NPS per team and wave, with complementary suppression (pm_survey_cells).
CREATE OR REPLACE VIEW @extschema@.nps_by_team WITH (security_barrier) AS
SELECT c.wave, c.team,
       CASE WHEN NOT c.hidden THEN c.n END AS responses,
       CASE WHEN NOT c.hidden THEN c.n::double precision / t.headcount END AS response_rate,
       CASE WHEN NOT c.hidden THEN @extschema@.promoters(c.s) END AS promoters,
       CASE WHEN NOT c.hidden THEN @extschema@.passives(c.s) END AS passives,
       CASE WHEN NOT c.hidden THEN @extschema@.detractors(c.s) END AS detractors,
       CASE WHEN NOT c.hidden THEN @extschema@.nps(c.s) END AS nps,
       CASE WHEN NOT c.hidden THEN ci.low END AS ci_low,
       CASE WHEN NOT c.hidden THEN ci.high END AS ci_high,
       c.hidden AS suppressed
  FROM @extschema@.pm_survey_cells c JOIN @extschema@.teams t ON t.team = c.team
       CROSS JOIN LATERAL @extschema@.nps_ci(c.s, 0.95, greatest(t.headcount, c.n)::bigint) ci
 WHERE c.question = 'nps' AND c.capability IS NULL AND c.team IS NOT NULL;
COMMENT ON VIEW @extschema@.nps_by_team IS 'Platform NPS per team and closed wave; small teams suppressed, and the next-smallest too, so that the hidden answers can be recovered neither by subtraction nor by being all alike';
COMMENT ON COLUMN @extschema@.nps_by_team.wave IS 'Survey wave (closed)';
COMMENT ON COLUMN @extschema@.nps_by_team.team IS 'Team';
COMMENT ON COLUMN @extschema@.nps_by_team.responses IS 'Number of answers from the team (NULL when suppressed)';
COMMENT ON COLUMN @extschema@.nps_by_team.response_rate IS 'Answers divided by the team''s headcount';
COMMENT ON COLUMN @extschema@.nps_by_team.promoters IS 'Answers 9-10';
COMMENT ON COLUMN @extschema@.nps_by_team.passives IS 'Answers 7-8';
COMMENT ON COLUMN @extschema@.nps_by_team.detractors IS 'Answers 0-6';
COMMENT ON COLUMN @extschema@.nps_by_team.nps IS 'Net Promoter Score, -100 to 100';
COMMENT ON COLUMN @extschema@.nps_by_team.ci_low IS 'Lower end of the 95% interval (finite-population corrected with the headcount)';
COMMENT ON COLUMN @extschema@.nps_by_team.ci_high IS 'Upper end of the 95% interval';
COMMENT ON COLUMN @extschema@.nps_by_team.suppressed IS 'True when the numbers are hidden to keep answers anonymous';

-- Wave over wave: is the change real?
CREATE OR REPLACE VIEW @extschema@.nps_trend WITH (security_barrier) AS
WITH shown AS (
    SELECT c.wave, w.opened_at, CASE WHEN NOT c.hidden THEN c.s END AS s
      FROM @extschema@.pm_survey_cells c JOIN @extschema@.survey_waves w ON w.wave = c.wave
     WHERE c.question = 'nps' AND c.capability IS NULL AND c.team IS NULL),
paired AS (
    SELECT sh.wave, sh.s, lag(sh.s) OVER (ORDER BY sh.opened_at, sh.wave) AS prev FROM shown sh)
SELECT p.wave,
       @extschema@.nps(p.s) AS nps,
       @extschema@.nps(p.prev) AS previous_nps,
       @extschema@.nps(p.s) - @extschema@.nps(p.prev) AS change,
       @extschema@.nps_test(p.prev, p.s) AS p_value,
       @extschema@.nps_test(p.prev, p.s) < 0.05 AS significant
  FROM paired p;
COMMENT ON VIEW @extschema@.nps_trend IS 'Platform NPS of each closed wave against the previously opened one, with the p-value of the change';
COMMENT ON COLUMN @extschema@.nps_trend.wave IS 'Survey wave (closed)';
COMMENT ON COLUMN @extschema@.nps_trend.nps IS 'NPS of the wave (NULL when suppressed)';
COMMENT ON COLUMN @extschema@.nps_trend.previous_nps IS 'NPS of the previous wave';
COMMENT ON COLUMN @extschema@.nps_trend.change IS 'Change in NPS points from the previous wave';
COMMENT ON COLUMN @extschema@.nps_trend.p_value IS 'Two-sided p-value that the two waves'' NPS are equal (nps_test)';
COMMENT ON COLUMN @extschema@.nps_trend.significant IS 'True when the change is significant at 5%';

-- How the waves are going, live: wave-level counts only, no team, no score,
-- and no count under min_group_size() (nor of a closed wave whose total the
-- other views hide).
CREATE OR REPLACE VIEW @extschema@.survey_progress WITH (security_barrier) AS
WITH asked AS MATERIALIZED (
    SELECT coalesce(sum(t.headcount), 0)::bigint AS population FROM @extschema@.teams t),
counted AS (
    SELECT r.wave, count(*) AS n
      FROM @extschema@.survey_responses r
     WHERE r.capability IS NULL AND r.question = 'nps'
     GROUP BY r.wave),
totals AS (
    SELECT x.wave, x.hidden FROM @extschema@.pm_survey_cells x
     WHERE x.question = 'nps' AND x.capability IS NULL AND x.team IS NULL),
shown AS (
    SELECT w.wave, w.opened_at, w.closed_at,
           CASE WHEN coalesce(c.n, 0) >= @extschema@.min_group_size() AND NOT coalesce(t.hidden, false)
                THEN c.n END AS n
      FROM @extschema@.survey_waves w LEFT JOIN counted c ON c.wave = w.wave
           LEFT JOIN totals t ON t.wave = w.wave)
SELECT s.wave, s.opened_at, s.closed_at, s.n AS responses,
       s.n::double precision / nullif(a.population, 0) AS response_rate
  FROM shown s CROSS JOIN asked a;
COMMENT ON VIEW @extschema@.survey_progress IS 'Every survey wave, open or closed, with its number of answers so far (wave level only)';
COMMENT ON COLUMN @extschema@.survey_progress.wave IS 'Survey wave';
COMMENT ON COLUMN @extschema@.survey_progress.opened_at IS 'When it opened';
COMMENT ON COLUMN @extschema@.survey_progress.closed_at IS 'When it closed (NULL: still taking answers; the other survey views show it once closed)';
COMMENT ON COLUMN @extschema@.survey_progress.responses IS 'Answers to the platform NPS question so far (NULL while under platform_metrics.min_group_size, or when the closed wave''s total is suppressed)';
COMMENT ON COLUMN @extschema@.survey_progress.response_rate IS 'Answers divided by the developers asked (sum of team headcounts)';

-- survey_comments in 1.0 let a reader's leakproof conditions (comment >= 'x')
-- run on the raw rows before the group-size check, so EXPLAIN ANALYZE (or the
-- query's timing) told whether a hidden comment matched a guess.  The comments
-- now come from a function the planner cannot look into: it decides which
-- groups are large enough and returns only their comments, whatever the
-- reader's query filters on.
CREATE OR REPLACE FUNCTION @extschema@.pm_question_comments(OUT wave text, OUT team text, OUT capability text,
        OUT question text, OUT comment text)
    RETURNS SETOF record
    LANGUAGE plpgsql STABLE SECURITY DEFINER PARALLEL SAFE ROWS 1000
    SET search_path = pg_catalog, pg_temp
AS $fn$
DECLARE
    q text;
BEGIN
    -- A comment is shown with its wave, team, capability and question, so its
    -- own group (wave, team, capability, question) must be large enough, and
    -- open waves show nothing.  A team that the views hide for a question
    -- shows no platform comments to it (their number would tell its size).
    -- One question at a time (its cells are a fraction of all); rows come
    -- sorted by question, wave, team, capability and text, never in the order
    -- the answers arrived.
    FOR q IN SELECT DISTINCT r.question FROM @extschema@.survey_responses r
              WHERE r.comment IS NOT NULL AND r.comment <> '' ORDER BY r.question
    LOOP
        RETURN QUERY
        WITH groups AS (
            SELECT r.wave, r.team, coalesce(r.capability, '') AS capability
              FROM @extschema@.survey_responses r
             WHERE r.question = q
             GROUP BY r.wave, r.team, coalesce(r.capability, '')
            HAVING count(*) >= @extschema@.min_comment_group_size())
        SELECT g.wave, g.team, g.capability, q, g.comment
          FROM (SELECT r.wave, r.team, r.capability, r.comment
                  FROM @extschema@.survey_responses r
                  JOIN @extschema@.survey_waves w ON w.wave = r.wave
                  JOIN groups n ON n.wave = r.wave AND n.team = r.team AND n.capability = coalesce(r.capability, '')
                 WHERE r.question = q AND w.closed_at IS NOT NULL AND r.comment IS NOT NULL AND r.comment <> '') g
         WHERE (g.capability IS NOT NULL
                OR (g.wave, g.team) IN (SELECT c.wave, c.team FROM @extschema@.pm_survey_cells c
                                         WHERE c.question = q AND c.capability IS NULL AND c.team IS NOT NULL
                                           AND NOT c.hidden))
         ORDER BY g.wave, g.team, g.capability NULLS FIRST, g.comment;
    END LOOP;
END
$fn$;
COMMENT ON FUNCTION @extschema@.pm_question_comments() IS
    'survey_comments: the comments of closed waves whose own group (wave, team, capability, question) has at least platform_metrics.min_comment_group_size answers';
REVOKE ALL ON FUNCTION @extschema@.pm_question_comments() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION @extschema@.pm_question_comments() TO platform_metrics_reader;

-- The 1.3 form, without the question (kept for roles granted it directly).
CREATE OR REPLACE FUNCTION @extschema@.pm_survey_comments(OUT wave text, OUT team text, OUT capability text, OUT comment text)
    RETURNS SETOF record
    LANGUAGE sql STABLE SECURITY DEFINER PARALLEL SAFE ROWS 1000
    SET search_path = pg_catalog, pg_temp
AS $fn$
    SELECT c.wave, c.team, c.capability, c.comment FROM @extschema@.pm_question_comments() c WHERE c.question = 'nps'
     ORDER BY c.wave, c.team, c.capability NULLS FIRST, c.comment
$fn$;
COMMENT ON FUNCTION @extschema@.pm_survey_comments() IS
    'The comments of pm_question_comments() to the nps question, as 1.3 returned them';

CREATE OR REPLACE VIEW @extschema@.survey_comments WITH (security_barrier) AS
SELECT c.wave, c.team, c.capability, c.comment, c.question FROM @extschema@.pm_question_comments() c
 ORDER BY c.wave, c.team, c.capability NULLS FIRST, c.question, c.comment;
COMMENT ON VIEW @extschema@.survey_comments IS
    'Free-text comments of closed waves, for groups (wave, team, capability, question) with at least platform_metrics.min_comment_group_size answers';

COMMENT ON COLUMN @extschema@.survey_comments.wave IS 'Survey wave';
COMMENT ON COLUMN @extschema@.survey_comments.team IS 'Team of the respondent';
COMMENT ON COLUMN @extschema@.survey_comments.capability IS 'Capability the answer was about (NULL: the platform)';
COMMENT ON COLUMN @extschema@.survey_comments.question IS 'Question the comment came with (survey_questions)';
COMMENT ON COLUMN @extschema@.survey_comments.comment IS 'The comment';

-- The Mandate-Choice matrix, from each capability's answers in the latest
-- closed wave (the one opened last) where they are shown: a wave where too
-- few rated it is passed over, not named.
CREATE OR REPLACE VIEW @extschema@.capability_quadrants WITH (security_barrier) AS
WITH latest AS (
    SELECT DISTINCT ON (c.capability) c.capability, c.wave, c.s, c.n, c.hidden
      FROM @extschema@.pm_survey_cells c JOIN @extschema@.survey_waves w ON w.wave = c.wave
     WHERE c.question = 'nps' AND c.capability IS NOT NULL AND c.team IS NULL AND NOT c.hidden
     ORDER BY c.capability, w.opened_at DESC, c.wave DESC)
SELECT c.capability, c.mandatory, l.wave,
       CASE WHEN NOT x.suppressed THEN l.n END AS responses,
       CASE WHEN NOT x.suppressed THEN @extschema@.nps(l.s) END AS nps,
       CASE WHEN NOT x.suppressed THEN ci.low END AS ci_low,
       CASE WHEN NOT x.suppressed THEN ci.high END AS ci_high,
       CASE WHEN NOT x.suppressed THEN @extschema@.mandate_quadrant(c.mandatory, l.s) END AS quadrant,
       CASE WHEN NOT x.suppressed
            THEN coalesce(@extschema@.recommended_action(@extschema@.mandate_quadrant(c.mandatory, l.s)),
                          'insufficient evidence') END AS action,
       x.suppressed
  FROM @extschema@.capabilities c
       LEFT JOIN latest l ON l.capability = c.capability
       CROSS JOIN LATERAL (SELECT coalesce(l.hidden, true) AS suppressed) x
       LEFT JOIN LATERAL @extschema@.nps_ci(l.s) ci ON true;
COMMENT ON VIEW @extschema@.capability_quadrants IS 'Mandate-Choice quadrant of each capability from its latest survey wave, judged by the 95% NPS interval';
COMMENT ON COLUMN @extschema@.capability_quadrants.capability IS 'Capability';
COMMENT ON COLUMN @extschema@.capability_quadrants.mandatory IS 'Whether teams must use it';
COMMENT ON COLUMN @extschema@.capability_quadrants.wave IS 'Latest closed wave with enough answers about it to show (NULL: none)';
COMMENT ON COLUMN @extschema@.capability_quadrants.responses IS 'Answers about it in that wave (NULL when suppressed)';
COMMENT ON COLUMN @extschema@.capability_quadrants.nps IS 'Its NPS in that wave';
COMMENT ON COLUMN @extschema@.capability_quadrants.ci_low IS 'Lower end of the 95% interval';
COMMENT ON COLUMN @extschema@.capability_quadrants.ci_high IS 'Upper end of the 95% interval';
COMMENT ON COLUMN @extschema@.capability_quadrants.quadrant IS 'mandate_quadrant; NULL when the interval contains the threshold (insufficient evidence)';
COMMENT ON COLUMN @extschema@.capability_quadrants.action IS 'invest, fix ASAP, product-market fit, kill, or insufficient evidence';
COMMENT ON COLUMN @extschema@.capability_quadrants.suppressed IS 'True when too few answered: the numbers are hidden';

-- The reader reads the views, nothing else.

-- question_views.sql: every survey question scored, compared, prioritised and
-- weighted (since 1.4), from the same suppressed cells as the NPS views
-- (pm_survey_cells): a hidden group shows no number in any view.

-- The platform answers' cells (capability NULL) with the question's scoring.
CREATE OR REPLACE VIEW @extschema@.pm_question_cells WITH (security_barrier) AS
SELECT c.wave, w.opened_at, c.question, q.dimension, q.scale, q.low, q.high, q.favorable_from, q.reverse_coded,
       q.in_index, q.bucket_hours, c.team, c.ls, c.n, c.hidden,
       @extschema@.pm_favorable_count(c.ls, q.favorable_from, q.reverse_coded) AS favorable
  FROM @extschema@.pm_survey_cells c
  JOIN @extschema@.survey_questions q ON q.question = c.question
  JOIN @extschema@.survey_waves w ON w.wave = c.wave
 WHERE c.capability IS NULL;
COMMENT ON VIEW @extschema@.pm_question_cells IS
    'Internal: pm_survey_cells of the platform answers (capability NULL) with their question''s scoring and favourable count';

-- Every question of every closed wave.
CREATE OR REPLACE VIEW @extschema@.question_scores WITH (security_barrier) AS
WITH cells AS MATERIALIZED (
    SELECT c.wave, c.opened_at, c.question, c.dimension, c.team, c.ls, c.n, c.favorable, c.hidden, t.headcount
      FROM @extschema@.pm_question_cells c LEFT JOIN @extschema@.teams t ON t.team = c.team),
asked AS MATERIALIZED (
    SELECT coalesce(sum(t.headcount), 0)::bigint AS population FROM @extschema@.teams t),
strata AS (
    -- post-stratification by team: each shown team is a stratum of its own
    -- (weight headcount / answers), the hidden teams together one more, so
    -- the weighted share tells nothing the shown cells and the total do not
    SELECT c.wave, c.question,
           sum(greatest(c.headcount, c.n))::double precision AS headcount,
           sum(c.n)::double precision AS n, sum(c.favorable)::double precision AS favorable
      FROM cells c
     WHERE c.team IS NOT NULL
     GROUP BY c.wave, c.question, CASE WHEN c.hidden THEN NULL ELSE c.team END),
weighted AS (
    SELECT s.wave, s.question,
           sum(s.headcount * s.favorable / s.n) / sum(s.headcount) AS share,
           sum(s.headcount) ^ 2 / sum(s.headcount ^ 2 / s.n) AS n_eff
      FROM strata s
     GROUP BY s.wave, s.question),
scored AS (
    SELECT c.wave, c.question, c.dimension, c.hidden,
           CASE WHEN NOT c.hidden THEN c.ls END AS ls,
           CASE WHEN NOT c.hidden THEN c.n END AS n,
           CASE WHEN NOT c.hidden THEN c.favorable END AS favorable,
           lag(CASE WHEN NOT c.hidden THEN c.n END) OVER prev AS prev_n,
           lag(CASE WHEN NOT c.hidden THEN c.favorable END) OVER prev AS prev_favorable
      FROM cells c
     WHERE c.team IS NULL
    WINDOW prev AS (PARTITION BY c.question ORDER BY c.opened_at, c.wave)),
tested AS (
    SELECT s.*, @extschema@.share_test(s.prev_favorable, s.prev_n, s.favorable, s.n) AS p_value
      FROM scored s)
SELECT x.wave, x.question, x.dimension, x.n AS responses,
       x.favorable::double precision / x.n AS favorable_share,
       fci.low AS favorable_low, fci.high AS favorable_high,
       @extschema@.mean_score(x.ls) AS mean_score, mci.low AS mean_low, mci.high AS mean_high,
       CASE WHEN NOT x.hidden THEN wt.share END AS weighted_share,
       wci.low AS weighted_low, wci.high AS weighted_high,
       CASE WHEN NOT x.hidden THEN wt.n_eff END AS effective_n,
       x.prev_favorable::double precision / x.prev_n AS previous_share,
       x.favorable::double precision / x.n - x.prev_favorable::double precision / x.prev_n AS change,
       x.p_value,
       @extschema@.bh_adjust(x.p_value) OVER (PARTITION BY x.wave) AS q_value,
       @extschema@.bh_adjust(x.p_value) OVER (PARTITION BY x.wave) < 0.05 AS significant,
       x.hidden AS suppressed
  FROM tested x CROSS JOIN asked a
       LEFT JOIN weighted wt ON wt.wave = x.wave AND wt.question = x.question
       LEFT JOIN LATERAL @extschema@.share_ci(x.favorable, x.n, 0.95, greatest(a.population, x.n)) fci ON true
       LEFT JOIN LATERAL @extschema@.mean_ci(x.ls, 0.95, greatest(a.population, x.n)) mci ON true
       LEFT JOIN LATERAL @extschema@.share_ci(wt.share * wt.n_eff, wt.n_eff) wci ON NOT x.hidden;
COMMENT ON VIEW @extschema@.question_scores IS
    'Every question of every closed wave: favourable share and mean with 95% intervals, the share weighted by team headcount, and the change from the previous wave with its p- and q-value';
COMMENT ON COLUMN @extschema@.question_scores.wave IS 'Survey wave (closed)';
COMMENT ON COLUMN @extschema@.question_scores.question IS 'Question (survey_questions)';
COMMENT ON COLUMN @extschema@.question_scores.dimension IS 'What it measures (survey_questions.dimension)';
COMMENT ON COLUMN @extschema@.question_scores.responses IS 'Answers about the platform (NULL when suppressed)';
COMMENT ON COLUMN @extschema@.question_scores.favorable_share IS 'Share of favourable answers (at or above favorable_from; at or below it for reverse-coded questions)';
COMMENT ON COLUMN @extschema@.question_scores.favorable_low IS 'Lower end of its 95% Wilson interval (finite-population corrected with the teams'' headcounts)';
COMMENT ON COLUMN @extschema@.question_scores.favorable_high IS 'Upper end of that interval';
COMMENT ON COLUMN @extschema@.question_scores.mean_score IS 'Mean answer, on the question''s own scale';
COMMENT ON COLUMN @extschema@.question_scores.mean_low IS 'Lower end of the 95% t-interval of the mean (finite-population corrected)';
COMMENT ON COLUMN @extschema@.question_scores.mean_high IS 'Upper end of that interval';
COMMENT ON COLUMN @extschema@.question_scores.weighted_share IS 'Favourable share post-stratified by team: each team weighted by headcount / answers (the hidden teams as one stratum)';
COMMENT ON COLUMN @extschema@.question_scores.weighted_low IS 'Lower end of the 95% Wilson interval of the weighted share on Kish''s effective sample size';
COMMENT ON COLUMN @extschema@.question_scores.weighted_high IS 'Upper end of that interval';
COMMENT ON COLUMN @extschema@.question_scores.effective_n IS 'Kish''s effective sample size of the weighted share, (sum of weights)^2 / sum of squared weights';
COMMENT ON COLUMN @extschema@.question_scores.previous_share IS 'Favourable share in the previously opened wave that asked it (NULL when that was suppressed)';
COMMENT ON COLUMN @extschema@.question_scores.change IS 'favorable_share - previous_share';
COMMENT ON COLUMN @extschema@.question_scores.p_value IS 'Two-sided p-value that the two shares are equal (favorable_test)';
COMMENT ON COLUMN @extschema@.question_scores.q_value IS 'Benjamini-Hochberg q-value over the wave''s questions (bh_adjust)';
COMMENT ON COLUMN @extschema@.question_scores.significant IS 'True when the change survives a 5% false-discovery rate (q_value < 0.05)';
COMMENT ON COLUMN @extschema@.question_scores.suppressed IS 'True when the numbers are hidden to keep answers anonymous';

-- Team by question, heatmap-ready: each team against the rest of the organisation.
CREATE OR REPLACE VIEW @extschema@.question_scores_by_team WITH (security_barrier) AS
WITH paired AS (
    -- each team's cell beside its wave's total (the rest of the organisation
    -- is the total minus the team, for shown teams of shown totals)
    SELECT c.wave, c.team, c.question, c.dimension, c.hidden, c.n, c.ls, c.favorable, t.headcount,
           bool_or(c.hidden) FILTER (WHERE c.team IS NULL) OVER w AS total_hidden,
           sum(c.n) FILTER (WHERE c.team IS NULL) OVER w AS total_n,
           sum(c.favorable) FILTER (WHERE c.team IS NULL) OVER w AS total_favorable
      FROM @extschema@.pm_question_cells c LEFT JOIN @extschema@.teams t ON t.team = c.team
    WINDOW w AS (PARTITION BY c.wave, c.question)),
tested AS (
    SELECT p.*,
           CASE WHEN NOT p.hidden AND NOT p.total_hidden THEN p.total_favorable - p.favorable END AS rest_favorable,
           CASE WHEN NOT p.hidden AND NOT p.total_hidden THEN p.total_n - p.n END AS rest_n,
           CASE WHEN NOT p.hidden AND NOT p.total_hidden
                THEN @extschema@.share_test(p.total_favorable - p.favorable, p.total_n - p.n, p.favorable, p.n) END AS p_value
      FROM paired p
     WHERE p.team IS NOT NULL)
SELECT x.wave, x.team, x.question, x.dimension,
       CASE WHEN NOT x.hidden THEN x.n END AS responses,
       CASE WHEN NOT x.hidden THEN x.favorable::double precision / x.n END AS favorable_share,
       fci.low AS favorable_low, fci.high AS favorable_high,
       CASE WHEN NOT x.hidden THEN @extschema@.mean_score(x.ls) END AS mean_score,
       mci.low AS mean_low, mci.high AS mean_high,
       x.rest_favorable::double precision / nullif(x.rest_n, 0) AS rest_share,
       CASE WHEN NOT x.hidden THEN x.favorable::double precision / x.n END
           - x.rest_favorable::double precision / nullif(x.rest_n, 0) AS difference,
       x.p_value,
       @extschema@.bh_adjust(x.p_value) OVER (PARTITION BY x.wave) AS q_value,
       @extschema@.bh_adjust(x.p_value) OVER (PARTITION BY x.wave) < 0.05 AS significant,
       x.hidden AS suppressed
  FROM tested x
       LEFT JOIN LATERAL @extschema@.share_ci(x.favorable, x.n, 0.95, greatest(x.headcount, x.n)) fci ON NOT x.hidden
       LEFT JOIN LATERAL @extschema@.mean_ci(x.ls, 0.95, greatest(x.headcount, x.n)) mci ON NOT x.hidden;
COMMENT ON VIEW @extschema@.question_scores_by_team IS
    'Every question by team and closed wave, against the rest of the organisation, with q-values over the wave''s team-question cells (a heatmap)';
COMMENT ON COLUMN @extschema@.question_scores_by_team.wave IS 'Survey wave (closed)';
COMMENT ON COLUMN @extschema@.question_scores_by_team.team IS 'Team';
COMMENT ON COLUMN @extschema@.question_scores_by_team.question IS 'Question (survey_questions)';
COMMENT ON COLUMN @extschema@.question_scores_by_team.dimension IS 'What it measures';
COMMENT ON COLUMN @extschema@.question_scores_by_team.responses IS 'Answers from the team (NULL when suppressed)';
COMMENT ON COLUMN @extschema@.question_scores_by_team.favorable_share IS 'Share of favourable answers';
COMMENT ON COLUMN @extschema@.question_scores_by_team.favorable_low IS 'Lower end of its 95% Wilson interval (finite-population corrected with the headcount)';
COMMENT ON COLUMN @extschema@.question_scores_by_team.favorable_high IS 'Upper end of that interval';
COMMENT ON COLUMN @extschema@.question_scores_by_team.mean_score IS 'Mean answer';
COMMENT ON COLUMN @extschema@.question_scores_by_team.mean_low IS 'Lower end of the 95% t-interval of the mean';
COMMENT ON COLUMN @extschema@.question_scores_by_team.mean_high IS 'Upper end of that interval';
COMMENT ON COLUMN @extschema@.question_scores_by_team.rest_share IS 'Favourable share of everyone else in the wave (the wave''s total minus the team)';
COMMENT ON COLUMN @extschema@.question_scores_by_team.difference IS 'favorable_share - rest_share';
COMMENT ON COLUMN @extschema@.question_scores_by_team.p_value IS 'Two-sided p-value that the team and the rest have equal shares (favorable_test)';
COMMENT ON COLUMN @extschema@.question_scores_by_team.q_value IS 'Benjamini-Hochberg q-value over every team and question of the wave';
COMMENT ON COLUMN @extschema@.question_scores_by_team.significant IS 'True when the difference survives a 5% false-discovery rate';
COMMENT ON COLUMN @extschema@.question_scores_by_team.suppressed IS 'True when the numbers are hidden to keep answers anonymous';

-- The answers of respondents who gave a submission id, oriented so that
-- higher is better (a reverse-coded answer s becomes low + high - s).
CREATE OR REPLACE VIEW @extschema@.pm_submission_answers WITH (security_barrier) AS
SELECT r.wave, r.team, r.submission_id, r.question, q.in_index, q.scale,
       CASE WHEN q.reverse_coded THEN q.low + q.high - r.score ELSE r.score END AS oriented,
       CASE WHEN q.reverse_coded THEN r.score <= q.favorable_from ELSE r.score >= q.favorable_from END AS favorable
  FROM @extschema@.survey_responses r
  JOIN @extschema@.survey_waves w ON w.wave = r.wave
  JOIN @extschema@.survey_questions q ON q.question = r.question
 WHERE w.closed_at IS NOT NULL AND r.capability IS NULL AND r.submission_id IS NOT NULL;
COMMENT ON VIEW @extschema@.pm_submission_answers IS
    'Internal: the platform answers of closed waves that carry a submission id, oriented (higher is better) and marked favourable';

-- The DevEx index: per wave (team NULL) and per team and wave.
CREATE OR REPLACE FUNCTION @extschema@.pm_devex_index(OUT wave text, OUT team text, OUT questions bigint, OUT index double precision, OUT index_low double precision, OUT index_high double precision, OUT alpha double precision, OUT alpha_low double precision, OUT alpha_high double precision, OUT complete_respondents bigint, OUT suppressed boolean)
    RETURNS SETOF record
    LANGUAGE sql STABLE SECURITY DEFINER PARALLEL SAFE ROWS 1000
    SET search_path = pg_catalog, pg_temp
AS $fn$
WITH asked AS MATERIALIZED (
    SELECT coalesce(sum(t.headcount), 0)::bigint AS population FROM @extschema@.teams t),
items AS (
    -- the index questions each wave asked, and the groups shown for all of them
    SELECT c.wave, c.team, coalesce(c.team, '') AS team_key, count(*) AS questions, bool_and(NOT c.hidden) AS shown,
           max(c.n) AS max_n,
           avg(c.favorable::double precision / c.n) AS index,
           sum((c.favorable::double precision / c.n) * (1 - c.favorable::double precision / c.n) / c.n) AS var_sum
      FROM @extschema@.pm_question_cells c
     WHERE c.in_index
     GROUP BY c.wave, c.team),
asked_items AS (
    SELECT i.wave, i.questions FROM items i WHERE i.team IS NULL),
index_answers AS MATERIALIZED (
    -- the index questions' answers that carry a submission id, read once
    SELECT a.wave, a.team, a.submission_id, a.question, a.oriented, a.favorable
      FROM @extschema@.pm_submission_answers a WHERE a.in_index),
respondents AS (
    -- respondents who answered every index question of the wave: their own
    -- index (share of favourable answers) for the interval
    SELECT a.wave, a.team, a.submission_id, avg(a.favorable::integer::double precision) AS y
      FROM index_answers a JOIN asked_items q ON q.wave = a.wave
     GROUP BY a.wave, a.team, a.submission_id, q.questions
    HAVING count(*) = q.questions),
spread AS (
    -- (team_key '' is the organisation: the joins below are on plain columns)
    SELECT r.wave, '' AS team_key, count(*) AS n, var_samp(r.y) AS var FROM respondents r GROUP BY r.wave
    UNION ALL
    SELECT r.wave, r.team, count(*), var_samp(r.y) FROM respondents r GROUP BY r.wave, r.team),
alphas AS (
    SELECT g.wave, g.team_key, (g.a).*
      FROM (SELECT a.wave, '' AS team_key,
                   @extschema@.cronbach_alpha_ci(a.submission_id::text, a.question, a.oriented, 0.95) AS a
              FROM index_answers a GROUP BY a.wave
            UNION ALL
            SELECT a.wave, a.team, @extschema@.cronbach_alpha_ci(a.submission_id::text, a.question, a.oriented, 0.95)
              FROM index_answers a GROUP BY a.wave, a.team) g),
joined AS (
    SELECT i.wave, i.team, i.questions, i.index, i.var_sum, i.shown AND i.questions = q.questions AS shown,
           -- the respondents who answered every index question are all the
           -- group's answers to each: else their figures would tell those of
           -- the others (the answers without a submission id) by difference
           coalesce(s.n = i.max_n, false) AS complete_all,
           CASE WHEN i.team IS NULL THEN a.population ELSE t.headcount END AS population,
           s.n AS complete, s.var AS complete_var, al.alpha, al.low AS alpha_low, al.high AS alpha_high,
           al.respondents AS alpha_respondents
      FROM items i JOIN asked_items q ON q.wave = i.wave CROSS JOIN asked a
           LEFT JOIN @extschema@.teams t ON t.team = i.team
           LEFT JOIN spread s ON s.wave = i.wave AND s.team_key = i.team_key
           LEFT JOIN alphas al ON al.wave = i.wave AND al.team_key = i.team_key),
bounded_index AS (
    SELECT j.*,
           CASE WHEN j.complete_all AND j.complete >= greatest(@extschema@.min_group_size(), 2)
                THEN @extschema@.t_quantile(0.975, j.complete - 1) * sqrt(j.complete_var / j.complete)
                     * sqrt(greatest(j.population - j.complete, 0)::double precision / greatest(j.population - 1, 1))
                ELSE @extschema@.normal_quantile(0.975) * sqrt(j.var_sum) / j.questions END AS half
      FROM joined j)
SELECT x.wave, x.team,
       CASE WHEN x.shown THEN x.questions END AS questions,
       CASE WHEN x.shown THEN x.index END AS index,
       CASE WHEN x.shown AND x.half IS NOT NULL THEN greatest(x.index - x.half, 0) END AS index_low,
       CASE WHEN x.shown THEN least(x.index + x.half, 1) END AS index_high,
       CASE WHEN x.shown AND x.complete_all AND x.alpha_respondents >= @extschema@.min_group_size() THEN x.alpha END AS alpha,
       CASE WHEN x.shown AND x.complete_all AND x.alpha_respondents >= @extschema@.min_group_size() THEN x.alpha_low END AS alpha_low,
       CASE WHEN x.shown AND x.complete_all AND x.alpha_respondents >= @extschema@.min_group_size() THEN x.alpha_high END AS alpha_high,
       CASE WHEN x.shown AND x.complete_all AND x.alpha_respondents >= @extschema@.min_group_size() THEN x.alpha_respondents END
           AS complete_respondents,
       NOT x.shown AS suppressed
  FROM bounded_index x
$fn$;
COMMENT ON FUNCTION @extschema@.pm_devex_index() IS
    'devex_index: computed where the planner cannot look in (a plan''s row counts of the respondents'' answers tell nothing)';
REVOKE ALL ON FUNCTION @extschema@.pm_devex_index() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION @extschema@.pm_devex_index() TO platform_metrics_reader;

CREATE OR REPLACE VIEW @extschema@.devex_index WITH (security_barrier) AS
SELECT x.wave, x.team, x.questions, x.index, x.index_low, x.index_high, x.alpha, x.alpha_low, x.alpha_high, x.complete_respondents, x.suppressed FROM @extschema@.pm_devex_index() x;
COMMENT ON VIEW @extschema@.devex_index IS
    'DevEx index per closed wave (team NULL) and per team and wave: the mean favourable share of the in_index questions, its 95% interval and Cronbach''s alpha';
COMMENT ON COLUMN @extschema@.devex_index.wave IS 'Survey wave (closed)';
COMMENT ON COLUMN @extschema@.devex_index.team IS 'Team; NULL for the whole organisation';
COMMENT ON COLUMN @extschema@.devex_index.questions IS 'Index questions the wave asked';
COMMENT ON COLUMN @extschema@.devex_index.index IS 'Mean of their favourable shares (reverse-coded questions count low answers as favourable), 0 to 1';
COMMENT ON COLUMN @extschema@.devex_index.index_low IS 'Lower end of its 95% interval: from the respondents who answered every index question when at least min_group_size did (t-interval of their own index), else from the questions'' variances as if independent';
COMMENT ON COLUMN @extschema@.devex_index.index_high IS 'Upper end of that interval';
COMMENT ON COLUMN @extschema@.devex_index.alpha IS 'Cronbach''s alpha of the index questions (reverse-coded ones flipped), over the respondents who answered them all';
COMMENT ON COLUMN @extschema@.devex_index.alpha_low IS 'Lower end of Feldt''s 95% interval of alpha';
COMMENT ON COLUMN @extschema@.devex_index.alpha_high IS 'Upper end of Feldt''s interval';
COMMENT ON COLUMN @extschema@.devex_index.complete_respondents IS 'Respondents alpha was computed over (NULL below min_group_size: alpha is then not shown)';
COMMENT ON COLUMN @extschema@.devex_index.suppressed IS 'True when some index question of the group is suppressed: the index is then not shown';

-- Where to focus next: which questions go with the NPS answer of the same respondent.
CREATE OR REPLACE FUNCTION @extschema@.pm_survey_drivers(OUT wave text, OUT question text, OUT dimension text, OUT pairs bigint, OUT spearman double precision, OUT spearman_low double precision, OUT spearman_high double precision, OUT favorable_share double precision, OUT priority bigint, OUT suppressed boolean)
    RETURNS SETOF record
    LANGUAGE sql STABLE SECURITY DEFINER PARALLEL SAFE ROWS 1000
    SET search_path = pg_catalog, pg_temp
AS $fn$
WITH pairs AS (
    -- each respondent's answer to a question beside their NPS answer,
    -- counted per pair of values (at most 11 x 11 per wave and question)
    SELECT a.wave, a.question, a.oriented AS x, n.oriented AS y, count(*) AS c
      FROM @extschema@.pm_submission_answers a
      JOIN @extschema@.pm_submission_answers n
        ON n.wave = a.wave AND n.submission_id = a.submission_id AND n.question = 'nps'
     WHERE a.question <> 'nps'
     GROUP BY a.wave, a.question, a.oriented, n.oriented),
margins AS (
    -- the counts of each value of the question (axis x) and of the NPS
    -- answer (axis y)
    SELECT p.wave, p.question, 'x' AS axis, p.x AS v, sum(p.c) AS c FROM pairs p GROUP BY p.wave, p.question, p.x
    UNION ALL
    SELECT p.wave, p.question, 'y', p.y, sum(p.c) FROM pairs p GROUP BY p.wave, p.question, p.y),
ranks AS (
    -- mid-ranks: a value's rank is the number of smaller values plus half
    -- the ties after the first, (below + 1 + below + count) / 2
    SELECT m.wave, m.question, m.axis, m.v,
           coalesce(sum(m.c) OVER (PARTITION BY m.wave, m.question, m.axis ORDER BY m.v
                                   ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0)
               + (m.c + 1) / 2.0 AS r
      FROM margins m),
correlated AS (
    -- Spearman's rho: Pearson's correlation of the mid-ranks, each pair of
    -- values weighted by its count
    SELECT p.wave, p.question, sum(p.c)::bigint AS n,
           (sum(p.c) * sum(p.c * a.r * b.r) - sum(p.c * a.r) * sum(p.c * b.r))
           / nullif(sqrt((sum(p.c) * sum(p.c * a.r * a.r) - sum(p.c * a.r) ^ 2)
                         * (sum(p.c) * sum(p.c * b.r * b.r) - sum(p.c * b.r) ^ 2)), 0) AS rho
      FROM pairs p
      JOIN ranks a ON a.wave = p.wave AND a.question = p.question AND a.axis = 'x' AND a.v = p.x
      JOIN ranks b ON b.wave = p.wave AND b.question = p.question AND b.axis = 'y' AND b.v = p.y
     GROUP BY p.wave, p.question),
totals AS MATERIALIZED (
    SELECT t.wave, t.question, t.dimension, t.favorable, t.n, t.hidden
      FROM @extschema@.pm_question_cells t WHERE t.team IS NULL),
shown AS (
    SELECT c.wave, c.question, c.n, c.rho::double precision AS rho, s.dimension, s.favorable::double precision / s.n AS share,
           NOT s.hidden AND NOT nps.hidden AND c.n >= @extschema@.min_group_size() AS shown
      FROM correlated c
      JOIN totals s ON s.wave = c.wave AND s.question = c.question
      JOIN totals nps ON nps.wave = c.wave AND nps.question = 'nps'),
bounded AS (
    -- Fisher's z with Bonett and Wright's (2000) variance for Spearman's rho
    SELECT s.*,
           @extschema@.normal_quantile(0.975) * sqrt((1 + s.rho ^ 2 / 2) / (s.n - 3)) AS half
      FROM shown s WHERE s.shown AND s.n > 3)
SELECT s.wave, s.question, s.dimension,
       CASE WHEN s.shown THEN s.n END AS pairs,
       CASE WHEN s.shown THEN s.rho END AS spearman,
       tanh(atanh(least(greatest(b.rho, -0.999999999), 0.999999999)) - b.half) AS spearman_low,
       tanh(atanh(least(greatest(b.rho, -0.999999999), 0.999999999)) + b.half) AS spearman_high,
       CASE WHEN s.shown THEN s.share END AS favorable_share,
       CASE WHEN s.shown AND s.rho IS NOT NULL
            THEN rank() OVER (PARTITION BY s.wave, s.shown AND s.rho IS NOT NULL
                              ORDER BY s.rho * (1 - s.share) DESC, s.question) END AS priority,
       NOT s.shown AS suppressed
  FROM shown s LEFT JOIN bounded b ON b.wave = s.wave AND b.question = s.question
$fn$;
COMMENT ON FUNCTION @extschema@.pm_survey_drivers() IS
    'survey_drivers: computed where the planner cannot look in (a plan''s row counts would tell how many distinct pairs of answers there are)';
REVOKE ALL ON FUNCTION @extschema@.pm_survey_drivers() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION @extschema@.pm_survey_drivers() TO platform_metrics_reader;

CREATE OR REPLACE VIEW @extschema@.survey_drivers WITH (security_barrier) AS
SELECT x.wave, x.question, x.dimension, x.pairs, x.spearman, x.spearman_low, x.spearman_high, x.favorable_share, x.priority, x.suppressed FROM @extschema@.pm_survey_drivers() x;
COMMENT ON VIEW @extschema@.survey_drivers IS
    'Per closed wave and question: how strongly its answers go with the same respondent''s NPS answer (Spearman), and where to focus next (strong correlation, low score first)';
COMMENT ON COLUMN @extschema@.survey_drivers.wave IS 'Survey wave (closed)';
COMMENT ON COLUMN @extschema@.survey_drivers.question IS 'Question (survey_questions)';
COMMENT ON COLUMN @extschema@.survey_drivers.dimension IS 'What it measures';
COMMENT ON COLUMN @extschema@.survey_drivers.pairs IS 'Respondents (submission ids) who answered both it and the NPS question';
COMMENT ON COLUMN @extschema@.survey_drivers.spearman IS 'Spearman''s rank correlation with the NPS answer (reverse-coded questions flipped: positive means favourable goes with recommending)';
COMMENT ON COLUMN @extschema@.survey_drivers.spearman_low IS 'Lower end of its 95% interval (Fisher z, Bonett-Wright variance)';
COMMENT ON COLUMN @extschema@.survey_drivers.spearman_high IS 'Upper end of that interval';
COMMENT ON COLUMN @extschema@.survey_drivers.favorable_share IS 'The question''s favourable share in the wave';
COMMENT ON COLUMN @extschema@.survey_drivers.priority IS 'Rank in the wave by spearman * (1 - favorable_share): 1 is where to focus next';
COMMENT ON COLUMN @extschema@.survey_drivers.suppressed IS 'True when the question''s or the NPS total is suppressed, or fewer than min_group_size respondents answered both';

-- Hours per developer and week, from the hours questions: the sum of the
-- hours (or of any per-bucket values, such as their squares) that a 0..10
-- summary of an hours question stands for, point by point (score i - 1 is
-- bucket i - low; written out so that the planner inlines it).
CREATE OR REPLACE FUNCTION @extschema@.pm_hours_sum(d bigint[], low integer, hours double precision[])
    RETURNS double precision LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN coalesce(d[1] * hours[1 - low], 0)
                + coalesce(d[2] * hours[2 - low], 0)
                + coalesce(d[3] * hours[3 - low], 0)
                + coalesce(d[4] * hours[4 - low], 0)
                + coalesce(d[5] * hours[5 - low], 0)
                + coalesce(d[6] * hours[6 - low], 0)
                + coalesce(d[7] * hours[7 - low], 0)
                + coalesce(d[8] * hours[8 - low], 0)
                + coalesce(d[9] * hours[9 - low], 0)
                + coalesce(d[10] * hours[10 - low], 0)
                + coalesce(d[11] * hours[11 - low], 0);
COMMENT ON FUNCTION @extschema@.pm_hours_sum(bigint[], integer, double precision[]) IS
    'Internal: the sum over the answers counted in a 0..10 distribution of an hours question of their bucket''s value (hours, or squared hours)';

CREATE OR REPLACE VIEW @extschema@.time_cost WITH (security_barrier) AS
WITH asked AS MATERIALIZED (
    SELECT coalesce(sum(t.headcount), 0)::bigint AS population FROM @extschema@.teams t),
squares AS MATERIALIZED (
    -- each hours question's squared bucket hours, once per question
    SELECT q.question, array_agg(h.v * h.v ORDER BY h.i) AS hours2
      FROM @extschema@.survey_questions q CROSS JOIN LATERAL unnest(q.bucket_hours) WITH ORDINALITY AS h(v, i)
     WHERE q.scale = 'hours'
     GROUP BY q.question),
sums AS (
    SELECT c.wave, c.team, c.question, c.dimension, c.reverse_coded, c.hidden,
           CASE WHEN c.team IS NULL THEN a.population ELSE t.headcount END AS headcount, c.n,
           @extschema@.pm_hours_sum(@extschema@.distribution(c.ls), c.low, c.bucket_hours) AS s1,
           @extschema@.pm_hours_sum(@extschema@.distribution(c.ls), c.low, sq.hours2) AS s2
      FROM @extschema@.pm_question_cells c CROSS JOIN asked a
           JOIN squares sq ON sq.question = c.question
           LEFT JOIN @extschema@.teams t ON t.team = c.team
     WHERE c.scale = 'hours'),
cells AS (
    SELECT s.wave, s.team, s.question, s.dimension, s.reverse_coded, s.hidden, s.headcount, s.n,
           s.s1 / s.n AS mean, (s.s2 - s.s1 ^ 2 / s.n) / nullif(s.n - 1, 0) AS variance
      FROM sums s),
bounded AS (
    SELECT c.*,
           CASE WHEN c.n IS NULL THEN NULL
                WHEN greatest(c.headcount, c.n) = c.n THEN 0
                WHEN c.n >= 2 THEN @extschema@.t_quantile(0.975, c.n - 1) * sqrt(c.variance / c.n)
                                   * sqrt((greatest(c.headcount, c.n) - c.n)::double precision / (greatest(c.headcount, c.n) - 1))
           END AS half
      FROM cells c)
SELECT b.wave, b.team, b.question, b.dimension,
       CASE WHEN NOT b.hidden THEN b.n END AS responses,
       CASE WHEN NOT b.hidden THEN b.mean END AS mean_hours,
       CASE WHEN NOT b.hidden AND b.half IS NOT NULL THEN greatest(b.mean - b.half, 0) END AS mean_low,
       CASE WHEN NOT b.hidden THEN b.mean + b.half END AS mean_high,
       CASE WHEN NOT b.hidden THEN greatest(b.headcount, b.n) ELSE b.headcount END AS headcount,
       CASE WHEN NOT b.hidden THEN b.mean * greatest(b.headcount, b.n) END AS hours_per_week,
       CASE WHEN NOT b.hidden AND b.half IS NOT NULL THEN greatest(b.mean - b.half, 0) * greatest(b.headcount, b.n) END AS hours_low,
       CASE WHEN NOT b.hidden THEN (b.mean + b.half) * greatest(b.headcount, b.n) END AS hours_high,
       b.reverse_coded AS is_cost,
       b.hidden AS suppressed
  FROM bounded b;
COMMENT ON VIEW @extschema@.time_cost IS
    'Hours per developer and week from the hours questions, per closed wave for the organisation (team NULL) and each team, and times headcount what they add up to';
COMMENT ON COLUMN @extschema@.time_cost.wave IS 'Survey wave (closed)';
COMMENT ON COLUMN @extschema@.time_cost.team IS 'Team; NULL for the whole organisation';
COMMENT ON COLUMN @extschema@.time_cost.question IS 'hours question (survey_questions)';
COMMENT ON COLUMN @extschema@.time_cost.dimension IS 'What it measures';
COMMENT ON COLUMN @extschema@.time_cost.responses IS 'Answers (NULL when suppressed)';
COMMENT ON COLUMN @extschema@.time_cost.mean_hours IS 'Mean hours per developer and week (each answer as its bucket_hours)';
COMMENT ON COLUMN @extschema@.time_cost.mean_low IS 'Lower end of the 95% t-interval of the mean (finite-population corrected with the headcount)';
COMMENT ON COLUMN @extschema@.time_cost.mean_high IS 'Upper end of that interval';
COMMENT ON COLUMN @extschema@.time_cost.headcount IS 'Developers (the team''s headcount, or its answers when more answered; for the organisation, every team''s)';
COMMENT ON COLUMN @extschema@.time_cost.hours_per_week IS 'mean_hours * headcount: the hours a week the platform costs (is_cost) or saves';
COMMENT ON COLUMN @extschema@.time_cost.hours_low IS 'mean_low * headcount';
COMMENT ON COLUMN @extschema@.time_cost.hours_high IS 'mean_high * headcount';
COMMENT ON COLUMN @extschema@.time_cost.is_cost IS 'True for a reverse-coded question (time lost): the hours are a cost; false: time saved';
COMMENT ON COLUMN @extschema@.time_cost.suppressed IS 'True when the numbers are hidden to keep answers anonymous';

GRANT SELECT ON @extschema@.question_scores, @extschema@.question_scores_by_team, @extschema@.devex_index,
    @extschema@.survey_drivers, @extschema@.time_cost
    TO platform_metrics_reader;
