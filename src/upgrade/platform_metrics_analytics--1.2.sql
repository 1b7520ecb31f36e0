-- platform_metrics_analytics 1.2, frozen: the install script of release 1.2 as it was built
-- (so that a 1.2 database can be made for the 1.2 -> 1.3 upgrade test).
-- platform_metrics_analytics: the analytics layer on the statistics library.
-- Raw tables that platform services write (INSERT, COPY or ingest()), views
-- that analysts and BI tools read, the anonymity settings and the reader and
-- writer roles.  Requires platform_metrics; its objects live in the same
-- schema, so every name users and BI tools know stays platform_metrics.x.
--
-- The Makefile builds the current install script,
-- platform_metrics_analytics--VERSION.sql, by concatenating this file and
-- src/analytics/*.sql.  Every reference is schema-qualified through
-- @extschema@.

\echo Use "CREATE EXTENSION platform_metrics_analytics CASCADE" to load this file. \quit

-- The library must be 1.2 or later (before, it still holds the layer's
-- objects), and the schema must be the superusers' alone (pm_schema_check).
DO $check$
BEGIN
    IF (SELECT pg_catalog.string_to_array(e.extversion, '.')::integer[]
          FROM pg_catalog.pg_extension e WHERE e.extname OPERATOR(pg_catalog.=) 'platform_metrics')
       OPERATOR(pg_catalog.<) '{1,2}'::integer[] THEN
        RAISE EXCEPTION 'platform_metrics_analytics requires platform_metrics 1.2 or later'
            USING ERRCODE = '55000',
                  HINT = 'Run ALTER EXTENSION platform_metrics UPDATE first: it releases the analytics objects of older versions, which this extension then adopts.';
    END IF;
END
$check$;
SELECT @extschema@.pm_schema_check();

-- Until 1.2 the layer was part of extension platform_metrics.  ALTER
-- EXTENSION platform_metrics UPDATE releases its objects, with their rows and
-- everything users built on them; this script adopts them, then brings each
-- to its current definition below (CREATE ... IF NOT EXISTS, CREATE OR
-- REPLACE).  Only an object of the released set, owned by the owner of
-- platform_metrics and member of no extension, is adopted: anything else of
-- the same name makes the script fail.
DO $adopt$
DECLARE
    obj record;
    saved jsonb := '[]';
BEGIN
    FOR obj IN
        SELECT o.kind, o.ident, o.classid, o.objid
          FROM (SELECT v.kind, '@extschema@.' OPERATOR(pg_catalog.||) v.name AS ident,
                       CASE WHEN v.kind OPERATOR(pg_catalog.=) 'FUNCTION' THEN 'pg_proc'::pg_catalog.regclass
                            ELSE 'pg_class'::pg_catalog.regclass END AS classid,
                       CASE WHEN v.kind OPERATOR(pg_catalog.=) 'FUNCTION'
                            THEN pg_catalog.to_regprocedure('@extschema@.' OPERATOR(pg_catalog.||) v.name)::oid
                            ELSE pg_catalog.to_regclass('@extschema@.' OPERATOR(pg_catalog.||) v.name)::oid END AS objid
                  FROM (VALUES ('TABLE', 'capabilities'), ('TABLE', 'teams'), ('TABLE', 'survey_responses'),
                               ('TABLE', 'usage_events'), ('TABLE', 'onboarding'), ('TABLE', 'feedback'),
                               ('TABLE', 'unplanned_work'),
                               ('VIEW', 'nps_by_survey'), ('VIEW', 'nps_by_team'), ('VIEW', 'nps_trend'),
                               ('VIEW', 'survey_comments'), ('VIEW', 'time_to_value'),
                               ('VIEW', 'capability_adoption'), ('VIEW', 'capability_retention'),
                               ('VIEW', 'churned_teams'), ('VIEW', 'post_launch_adoption'),
                               ('VIEW', 'capability_quadrants'), ('VIEW', 'feedback_loop'),
                               ('VIEW', 'unplanned_work_by_month'),
                               ('FUNCTION', 'min_group_size()'), ('FUNCTION', 'min_comment_group_size()'),
                               ('FUNCTION', 'pm_parse_timestamptz(text)'), ('FUNCTION', 'pm_ingest_validate(jsonb)'),
                               ('FUNCTION', 'ingest(jsonb)'), ('FUNCTION', 'pm_survey_comments()')) v(kind, name)) o
          LEFT JOIN pg_catalog.pg_class c ON o.classid OPERATOR(pg_catalog.=) 'pg_class'::pg_catalog.regclass AND c.oid OPERATOR(pg_catalog.=) o.objid
          LEFT JOIN pg_catalog.pg_proc p ON o.classid OPERATOR(pg_catalog.=) 'pg_proc'::pg_catalog.regclass AND p.oid OPERATOR(pg_catalog.=) o.objid
         WHERE o.objid IS NOT NULL
           AND coalesce(c.relkind OPERATOR(pg_catalog.=) (CASE o.kind WHEN 'TABLE' THEN 'r' ELSE 'v' END)::"char", true)
           AND coalesce(c.relowner, p.proowner) OPERATOR(pg_catalog.=)
               (SELECT e.extowner FROM pg_catalog.pg_extension e WHERE e.extname OPERATOR(pg_catalog.=) 'platform_metrics')
           AND NOT EXISTS (SELECT FROM pg_catalog.pg_depend d
                            WHERE d.classid OPERATOR(pg_catalog.=) o.classid AND d.objid OPERATOR(pg_catalog.=) o.objid
                              AND d.deptype OPERATOR(pg_catalog.=) 'e')
    LOOP
        IF obj.kind OPERATOR(pg_catalog.=) 'FUNCTION' THEN
            saved := saved OPERATOR(pg_catalog.||) pg_catalog.jsonb_build_object('proc', obj.objid,
                'acl', (SELECT p.proacl::text FROM pg_catalog.pg_proc p WHERE p.oid OPERATOR(pg_catalog.=) obj.objid));
            UPDATE pg_catalog.pg_proc SET proacl = NULL WHERE oid OPERATOR(pg_catalog.=) obj.objid;
        ELSE
            saved := saved OPERATOR(pg_catalog.||) pg_catalog.jsonb_build_object('rel', obj.objid,
                'acl', (SELECT c.relacl::text FROM pg_catalog.pg_class c WHERE c.oid OPERATOR(pg_catalog.=) obj.objid),
                'columns', (SELECT coalesce(pg_catalog.jsonb_object_agg(a.attnum, a.attacl::text), '{}') FROM pg_catalog.pg_attribute a
                             WHERE a.attrelid OPERATOR(pg_catalog.=) obj.objid AND a.attacl IS NOT NULL));
            UPDATE pg_catalog.pg_class SET relacl = NULL WHERE oid OPERATOR(pg_catalog.=) obj.objid;
            UPDATE pg_catalog.pg_attribute SET attacl = NULL
             WHERE attrelid OPERATOR(pg_catalog.=) obj.objid AND attacl IS NOT NULL;
        END IF;
        EXECUTE pg_catalog.format('ALTER EXTENSION platform_metrics_analytics ADD %s %s', obj.kind, obj.ident);
    END LOOP;
    PERFORM pg_catalog.set_config('pm_adopt.privileges', saved::text, true);
END
$adopt$;
-- tables.sql: the raw tables platform services write

-- Platform services write raw events here (INSERT, COPY or ingest()); analysts
-- and BI tools read the views below.  Every table is registered with
-- pg_extension_config_dump so pg_dump keeps its rows.  No table has a column
-- that identifies a survey respondent.

CREATE TABLE IF NOT EXISTS @extschema@.capabilities (
    capability  text PRIMARY KEY
                CONSTRAINT capabilities_capability_not_empty CHECK (capability <> ''),
    mandatory   boolean NOT NULL DEFAULT false,
    launched_at timestamptz NOT NULL DEFAULT now(),
    description text NOT NULL DEFAULT ''
);
COMMENT ON TABLE @extschema@.capabilities IS 'Capabilities the platform offers (one row each)';
COMMENT ON COLUMN @extschema@.capabilities.capability IS 'Name of the capability (key)';
COMMENT ON COLUMN @extschema@.capabilities.mandatory IS 'Whether teams must use it (true) or choose it (false)';
COMMENT ON COLUMN @extschema@.capabilities.launched_at IS 'When it became available to teams';
COMMENT ON COLUMN @extschema@.capabilities.description IS 'What it is, in a sentence';

CREATE TABLE IF NOT EXISTS @extschema@.teams (
    team        text PRIMARY KEY
                CONSTRAINT teams_team_not_empty CHECK (team <> ''),
    headcount   integer NOT NULL
                CONSTRAINT teams_headcount_positive CHECK (headcount > 0),
    created_at  timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE @extschema@.teams IS 'Product teams, the platform''s internal customers';
COMMENT ON COLUMN @extschema@.teams.team IS 'Name of the team (key)';
COMMENT ON COLUMN @extschema@.teams.headcount IS 'Developers in the team, i.e. asked in a survey (response rate, finite-population correction)';
COMMENT ON COLUMN @extschema@.teams.created_at IS 'When the team was registered';

CREATE TABLE IF NOT EXISTS @extschema@.survey_responses (
    response_id  text PRIMARY KEY,
    wave         text NOT NULL
                 CONSTRAINT survey_responses_wave_not_empty CHECK (wave <> ''),
    team         text NOT NULL
                 CONSTRAINT survey_responses_unknown_team REFERENCES @extschema@.teams,
    capability   text
                 CONSTRAINT survey_responses_unknown_capability REFERENCES @extschema@.capabilities,
    question     text NOT NULL DEFAULT 'nps',
    score        smallint NOT NULL
                 CONSTRAINT survey_responses_score_range CHECK (score BETWEEN 0 AND 10),
    comment      text,
    submitted_at timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE @extschema@.survey_responses IS 'Anonymous survey answers: no column identifies the respondent; readable only through the views';
COMMENT ON COLUMN @extschema@.survey_responses.response_id IS 'Identifier sent by the survey tool (idempotency key), not linked to a person';
COMMENT ON COLUMN @extschema@.survey_responses.wave IS 'Survey wave, e.g. 2026-Q3 (sorts in time order)';
COMMENT ON COLUMN @extschema@.survey_responses.team IS 'Team of the respondent';
COMMENT ON COLUMN @extschema@.survey_responses.capability IS 'Capability asked about; NULL for the platform as a whole';
COMMENT ON COLUMN @extschema@.survey_responses.question IS 'Question asked; nps for "how likely are you to recommend ..."';
COMMENT ON COLUMN @extschema@.survey_responses.score IS 'Answer from 0 to 10';
COMMENT ON COLUMN @extschema@.survey_responses.comment IS 'Free-text comment, shown only for groups large enough to stay anonymous';
COMMENT ON COLUMN @extschema@.survey_responses.submitted_at IS 'When the answer was submitted';
CREATE INDEX IF NOT EXISTS survey_responses_wave_team ON @extschema@.survey_responses (wave, team);
CREATE INDEX IF NOT EXISTS survey_responses_submitted_brin ON @extschema@.survey_responses USING brin (submitted_at);

CREATE TABLE IF NOT EXISTS @extschema@.usage_events (
    event_id    text PRIMARY KEY,
    team        text NOT NULL
                CONSTRAINT usage_events_unknown_team REFERENCES @extschema@.teams,
    capability  text NOT NULL
                CONSTRAINT usage_events_unknown_capability REFERENCES @extschema@.capabilities,
    occurred_at timestamptz NOT NULL,
    kind        text NOT NULL DEFAULT 'use'
                CONSTRAINT usage_events_kind CHECK (kind IN ('use', 'adopt', 'abandon'))
);
COMMENT ON TABLE @extschema@.usage_events IS 'Uses of a capability by a team, as platform services report them';
COMMENT ON COLUMN @extschema@.usage_events.event_id IS 'Identifier sent by the service (idempotency key: a re-sent event is a duplicate)';
COMMENT ON COLUMN @extschema@.usage_events.team IS 'Team using the capability';
COMMENT ON COLUMN @extschema@.usage_events.capability IS 'Capability used';
COMMENT ON COLUMN @extschema@.usage_events.occurred_at IS 'When it happened';
COMMENT ON COLUMN @extschema@.usage_events.kind IS 'use; adopt (the team chose it); abandon (the team moved back to its own way)';
CREATE INDEX IF NOT EXISTS usage_events_capability_team ON @extschema@.usage_events (capability, team, occurred_at);
CREATE INDEX IF NOT EXISTS usage_events_occurred_brin ON @extschema@.usage_events USING brin (occurred_at);

CREATE TABLE IF NOT EXISTS @extschema@.onboarding (
    subject     text NOT NULL,
    team        text NOT NULL
                CONSTRAINT onboarding_unknown_team REFERENCES @extschema@.teams,
    milestone   text NOT NULL DEFAULT 'first_deploy',
    started_at  timestamptz NOT NULL,
    reached_at  timestamptz,
    PRIMARY KEY (subject, milestone),
    CONSTRAINT onboarding_reached_after_start CHECK (reached_at >= started_at)
);
COMMENT ON TABLE @extschema@.onboarding IS 'Onboarding of an engineer or team to a milestone (time to value)';
COMMENT ON COLUMN @extschema@.onboarding.subject IS 'Engineer or team being onboarded';
COMMENT ON COLUMN @extschema@.onboarding.team IS 'Team of the subject';
COMMENT ON COLUMN @extschema@.onboarding.milestone IS 'Milestone, e.g. first_deploy';
COMMENT ON COLUMN @extschema@.onboarding.started_at IS 'When onboarding started';
COMMENT ON COLUMN @extschema@.onboarding.reached_at IS 'When the milestone was reached; NULL while still on the way';
CREATE INDEX IF NOT EXISTS onboarding_started_brin ON @extschema@.onboarding USING brin (started_at);

CREATE TABLE IF NOT EXISTS @extschema@.feedback (
    feedback_id     text PRIMARY KEY,
    team            text CONSTRAINT feedback_unknown_team REFERENCES @extschema@.teams,
    capability      text CONSTRAINT feedback_unknown_capability REFERENCES @extschema@.capabilities,
    channel         text NOT NULL DEFAULT 'other',
    received_at     timestamptz NOT NULL,
    synthesized_at  timestamptz,
    theme           text,
    acted_at        timestamptz,
    communicated_at timestamptz,
    CONSTRAINT feedback_synthesized_after_received CHECK (synthesized_at >= received_at),
    CONSTRAINT feedback_acted_after_synthesized CHECK (acted_at >= coalesce(synthesized_at, received_at)),
    CONSTRAINT feedback_communicated_after_received CHECK (communicated_at >= received_at)
);
COMMENT ON TABLE @extschema@.feedback IS 'Developer feedback and its loop: listen, synthesise, act, communicate';
COMMENT ON COLUMN @extschema@.feedback.feedback_id IS 'Identifier sent by the source (idempotency key)';
COMMENT ON COLUMN @extschema@.feedback.team IS 'Team it came from, if known';
COMMENT ON COLUMN @extschema@.feedback.capability IS 'Capability it is about, if any';
COMMENT ON COLUMN @extschema@.feedback.channel IS 'Where it came in (survey, chat, ticket, interview, ...)';
COMMENT ON COLUMN @extschema@.feedback.received_at IS 'Listen: when it was received';
COMMENT ON COLUMN @extschema@.feedback.synthesized_at IS 'Synthesise: when it was grouped into a theme';
COMMENT ON COLUMN @extschema@.feedback.theme IS 'Theme it was synthesised into';
COMMENT ON COLUMN @extschema@.feedback.acted_at IS 'Act: when something was done about it';
COMMENT ON COLUMN @extschema@.feedback.communicated_at IS 'Communicate: when the developers were told (the loop is closed)';
CREATE INDEX IF NOT EXISTS feedback_received_brin ON @extschema@.feedback USING brin (received_at);

CREATE TABLE IF NOT EXISTS @extschema@.unplanned_work (
    event_id    text PRIMARY KEY,
    team        text NOT NULL
                CONSTRAINT unplanned_work_unknown_team REFERENCES @extschema@.teams,
    capability  text CONSTRAINT unplanned_work_unknown_capability REFERENCES @extschema@.capabilities,
    occurred_at timestamptz NOT NULL,
    hours       numeric(8, 2) NOT NULL
                CONSTRAINT unplanned_work_hours_positive CHECK (hours > 0),
    cause       text NOT NULL DEFAULT 'unknown'
);
COMMENT ON TABLE @extschema@.unplanned_work IS 'Surprise work the platform caused a team (breaking changes, incidents, migrations)';
COMMENT ON COLUMN @extschema@.unplanned_work.event_id IS 'Identifier sent by the source (idempotency key)';
COMMENT ON COLUMN @extschema@.unplanned_work.team IS 'Team that had to do the work';
COMMENT ON COLUMN @extschema@.unplanned_work.capability IS 'Capability that caused it, if known';
COMMENT ON COLUMN @extschema@.unplanned_work.occurred_at IS 'When it happened';
COMMENT ON COLUMN @extschema@.unplanned_work.hours IS 'Hours it cost';
COMMENT ON COLUMN @extschema@.unplanned_work.cause IS 'Why (breaking change, incident, migration, ...)';
CREATE INDEX IF NOT EXISTS unplanned_work_occurred_brin ON @extschema@.unplanned_work USING brin (occurred_at);

SELECT pg_catalog.pg_extension_config_dump('@extschema@.capabilities', '');
SELECT pg_catalog.pg_extension_config_dump('@extschema@.teams', '');
SELECT pg_catalog.pg_extension_config_dump('@extschema@.survey_responses', '');
SELECT pg_catalog.pg_extension_config_dump('@extschema@.usage_events', '');
SELECT pg_catalog.pg_extension_config_dump('@extschema@.onboarding', '');
SELECT pg_catalog.pg_extension_config_dump('@extschema@.feedback', '');
SELECT pg_catalog.pg_extension_config_dump('@extschema@.unplanned_work', '');
-- settings.sql: the anonymity thresholds (platform_metrics_analytics.c)

-- Anonymity thresholds, settable only by superusers (a reader must not lower them).
CREATE OR REPLACE FUNCTION @extschema@.min_group_size() RETURNS integer
    AS 'MODULE_PATHNAME', 'min_group_size' LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.min_group_size() IS
    'Smallest number of respondents a survey figure is shown for (setting platform_metrics.min_group_size)';
CREATE OR REPLACE FUNCTION @extschema@.min_comment_group_size() RETURNS integer
    AS 'MODULE_PATHNAME', 'min_comment_group_size' LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.min_comment_group_size() IS
    'Smallest number of respondents comments are shown for (setting platform_metrics.min_comment_group_size)';
-- roles.sql: the reader and writer roles and the writer's grants

-- Roles: created when absent, NOLOGIN, to be granted to login roles.
DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = 'platform_metrics_writer') THEN
        CREATE ROLE platform_metrics_writer NOLOGIN;
    END IF;
    IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = 'platform_metrics_reader') THEN
        CREATE ROLE platform_metrics_reader NOLOGIN;
    END IF;
END
$$;
-- The writer inserts raw rows (INSERT, COPY) and may complete onboarding rows;
-- it reads no survey rows and no views.
GRANT INSERT ON @extschema@.capabilities, @extschema@.teams, @extschema@.survey_responses,
    @extschema@.usage_events, @extschema@.onboarding, @extschema@.feedback, @extschema@.unplanned_work
    TO platform_metrics_writer;
GRANT SELECT, UPDATE ON @extschema@.onboarding, @extschema@.feedback TO platform_metrics_writer;
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
    -- Unknown teams and capabilities: the distinct names are checked, and only
    -- when one is missing is the first index that uses it looked up.
    SELECT v.field, v.name INTO bad
      FROM (SELECT 'team' AS field, t AS name FROM unnest(team_names) AS t
             WHERE NOT EXISTS (SELECT FROM @extschema@.teams x WHERE x.team = t)
            UNION ALL
            SELECT 'capability', c FROM unnest(capability_names) AS c
             WHERE NOT EXISTS (SELECT FROM @extschema@.capabilities x WHERE x.capability = c)) v
     LIMIT 1;
    IF FOUND THEN
        SELECT a.idx - 1 AS idx, format('unknown %s "%s"', bad.field, bad.name) AS problem INTO bad
          FROM jsonb_array_elements(events) WITH ORDINALITY AS a(doc, idx)
         WHERE a.doc ->> bad.field = bad.name
         ORDER BY a.idx LIMIT 1;
        RAISE EXCEPTION 'invalid event at index %: %', bad.idx, bad.problem
            USING ERRCODE = '23503', HINT = 'Register teams and capabilities first; nothing of this batch was stored.';
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

    IF 'survey' = ANY (kinds) THEN
        WITH ins AS (
            INSERT INTO @extschema@.survey_responses (response_id, wave, team, capability, question, score, comment, submitted_at)
            SELECT doc ->> 'response_id', doc ->> 'wave', doc ->> 'team', doc ->> 'capability',
                   coalesce(doc ->> 'question', 'nps'), (doc ->> 'score')::smallint, doc ->> 'comment',
                   coalesce(@extschema@.pm_parse_timestamptz(doc ->> 'submitted_at'), now())
              FROM jsonb_array_elements(events) AS a(doc) WHERE doc ->> 'type' = 'survey'
             ORDER BY doc ->> 'response_id'
            ON CONFLICT (response_id) DO NOTHING RETURNING 1)
        SELECT count(*) INTO n FROM ins;
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
-- survey_views.sql: what readers see of the survey, above the anonymity thresholds

-- Platform NPS per survey wave (the question about the platform as a whole).
CREATE OR REPLACE VIEW @extschema@.nps_by_survey WITH (security_barrier) AS
WITH waves AS (
    SELECT r.wave, @extschema@.nps_summary(r.score::integer) AS s, count(*) AS n
      FROM @extschema@.survey_responses r
     WHERE r.capability IS NULL AND r.question = 'nps'
     GROUP BY r.wave),
asked AS (
    SELECT coalesce(sum(t.headcount), 0)::bigint AS population FROM @extschema@.teams t)
SELECT w.wave,
       w.n AS responses,
       CASE WHEN NOT x.suppressed THEN w.n::double precision / nullif(a.population, 0) END AS response_rate,
       CASE WHEN NOT x.suppressed THEN @extschema@.promoters(w.s) END AS promoters,
       CASE WHEN NOT x.suppressed THEN @extschema@.passives(w.s) END AS passives,
       CASE WHEN NOT x.suppressed THEN @extschema@.detractors(w.s) END AS detractors,
       CASE WHEN NOT x.suppressed THEN @extschema@.nps(w.s) END AS nps,
       CASE WHEN NOT x.suppressed THEN ci.low END AS ci_low,
       CASE WHEN NOT x.suppressed THEN ci.high END AS ci_high,
       x.suppressed
  FROM waves w CROSS JOIN asked a
       CROSS JOIN LATERAL (SELECT w.n < @extschema@.min_group_size() AS suppressed) x
       CROSS JOIN LATERAL @extschema@.nps_ci(w.s, 0.95, greatest(a.population, w.n)) ci;
COMMENT ON VIEW @extschema@.nps_by_survey IS 'Platform NPS per survey wave with its 95% interval; small waves suppressed';
COMMENT ON COLUMN @extschema@.nps_by_survey.wave IS 'Survey wave';
COMMENT ON COLUMN @extschema@.nps_by_survey.responses IS 'Number of answers to the platform NPS question';
COMMENT ON COLUMN @extschema@.nps_by_survey.response_rate IS 'Answers divided by the developers asked (sum of team headcounts)';
COMMENT ON COLUMN @extschema@.nps_by_survey.promoters IS 'Answers 9-10';
COMMENT ON COLUMN @extschema@.nps_by_survey.passives IS 'Answers 7-8';
COMMENT ON COLUMN @extschema@.nps_by_survey.detractors IS 'Answers 0-6';
COMMENT ON COLUMN @extschema@.nps_by_survey.nps IS 'Net Promoter Score, -100 to 100';
COMMENT ON COLUMN @extschema@.nps_by_survey.ci_low IS 'Lower end of the 95% adjusted-Wald interval (finite-population corrected)';
COMMENT ON COLUMN @extschema@.nps_by_survey.ci_high IS 'Upper end of the 95% interval';
COMMENT ON COLUMN @extschema@.nps_by_survey.suppressed IS 'True when fewer than platform_metrics.min_group_size answered: the numbers are hidden';

-- Platform NPS per team and wave, with complementary suppression.
CREATE OR REPLACE VIEW @extschema@.nps_by_team WITH (security_barrier) AS
WITH groups AS (
    SELECT r.wave, r.team, @extschema@.nps_summary(r.score::integer) AS s, count(*) AS n
      FROM @extschema@.survey_responses r
     WHERE r.capability IS NULL AND r.question = 'nps'
     GROUP BY r.wave, r.team),
marked AS (
    SELECT g.*, g.n < @extschema@.min_group_size() AS small FROM groups g),
ordered AS (
    SELECT m.*,
           coalesce(sum(m.n) FILTER (WHERE m.small) OVER (PARTITION BY m.wave), 0) AS small_total,
           coalesce(sum(m.n) FILTER (WHERE NOT m.small)
                    OVER (PARTITION BY m.wave ORDER BY m.small, m.n, m.team
                          ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS larger_before
      FROM marked m)
SELECT o.wave, o.team,
       o.n AS responses,
       CASE WHEN NOT x.suppressed THEN o.n::double precision / t.headcount END AS response_rate,
       CASE WHEN NOT x.suppressed THEN @extschema@.promoters(o.s) END AS promoters,
       CASE WHEN NOT x.suppressed THEN @extschema@.passives(o.s) END AS passives,
       CASE WHEN NOT x.suppressed THEN @extschema@.detractors(o.s) END AS detractors,
       CASE WHEN NOT x.suppressed THEN @extschema@.nps(o.s) END AS nps,
       CASE WHEN NOT x.suppressed THEN ci.low END AS ci_low,
       CASE WHEN NOT x.suppressed THEN ci.high END AS ci_high,
       x.suppressed
  FROM ordered o JOIN @extschema@.teams t ON t.team = o.team
       CROSS JOIN LATERAL (
           -- small groups, and then the next-smallest ones until the hidden
           -- answers of the wave reach the threshold (so nobody can subtract
           -- the shown teams from the wave's total)
           SELECT o.small
                  OR (o.small_total > 0 AND o.small_total + o.larger_before < @extschema@.min_group_size())
                  AS suppressed) x
       CROSS JOIN LATERAL @extschema@.nps_ci(o.s, 0.95, greatest(t.headcount, o.n)::bigint) ci;
COMMENT ON VIEW @extschema@.nps_by_team IS 'Platform NPS per team and wave; small teams suppressed, and the next-smallest too so that no group can be recovered by subtraction';
COMMENT ON COLUMN @extschema@.nps_by_team.wave IS 'Survey wave';
COMMENT ON COLUMN @extschema@.nps_by_team.team IS 'Team';
COMMENT ON COLUMN @extschema@.nps_by_team.responses IS 'Number of answers from the team';
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
WITH waves AS (
    SELECT r.wave, @extschema@.nps_summary(r.score::integer) AS s, count(*) AS n
      FROM @extschema@.survey_responses r
     WHERE r.capability IS NULL AND r.question = 'nps'
     GROUP BY r.wave),
shown AS (
    SELECT w.wave, CASE WHEN w.n >= @extschema@.min_group_size() THEN w.s END AS s FROM waves w),
paired AS (
    SELECT sh.wave, sh.s, lag(sh.s) OVER (ORDER BY sh.wave) AS prev FROM shown sh)
SELECT p.wave,
       @extschema@.nps(p.s) AS nps,
       @extschema@.nps(p.prev) AS previous_nps,
       @extschema@.nps(p.s) - @extschema@.nps(p.prev) AS change,
       @extschema@.nps_test(p.prev, p.s) AS p_value,
       @extschema@.nps_test(p.prev, p.s) < 0.05 AS significant
  FROM paired p;
COMMENT ON VIEW @extschema@.nps_trend IS 'Platform NPS wave over wave, with the p-value of the change';
COMMENT ON COLUMN @extschema@.nps_trend.wave IS 'Survey wave';
COMMENT ON COLUMN @extschema@.nps_trend.nps IS 'NPS of the wave (NULL when suppressed)';
COMMENT ON COLUMN @extschema@.nps_trend.previous_nps IS 'NPS of the previous wave';
COMMENT ON COLUMN @extschema@.nps_trend.change IS 'Change in NPS points from the previous wave';
COMMENT ON COLUMN @extschema@.nps_trend.p_value IS 'Two-sided p-value that the two waves'' NPS are equal (nps_test)';
COMMENT ON COLUMN @extschema@.nps_trend.significant IS 'True when the change is significant at 5%';

-- survey_comments in 1.0 let a reader's leakproof conditions (comment >= 'x')
-- run on the raw rows before the group-size check, so EXPLAIN ANALYZE (or the
-- query's timing) told whether a hidden comment matched a guess.  The comments
-- now come from a function the planner cannot look into: it decides which
-- groups are large enough and returns only their comments, whatever the
-- reader's query filters on.
CREATE OR REPLACE FUNCTION @extschema@.pm_survey_comments(OUT wave text, OUT team text, OUT capability text, OUT comment text)
    RETURNS SETOF record
    LANGUAGE sql STABLE SECURITY DEFINER PARALLEL SAFE ROWS 1000
    SET search_path = pg_catalog, pg_temp
AS $fn$
    WITH large_enough AS MATERIALIZED (
        -- A group's size is its number of respondents; answers carry no
        -- respondent, but everyone answers a question at most once, so the most
        -- answers any one question got is a lower bound of it.
        SELECT q.wave, q.team
          FROM (SELECT g.wave, g.team, count(*) AS n
                  FROM @extschema@.survey_responses g
                 GROUP BY g.wave, g.team, g.capability, g.question) q
         GROUP BY q.wave, q.team
        HAVING max(q.n) >= @extschema@.min_comment_group_size())
    SELECT r.wave, r.team, r.capability, r.comment
      FROM @extschema@.survey_responses r
      JOIN large_enough l ON l.wave = r.wave AND l.team = r.team
     WHERE r.comment IS NOT NULL AND r.comment <> ''
$fn$;
COMMENT ON FUNCTION @extschema@.pm_survey_comments() IS
    'survey_comments: the comments of groups with at least platform_metrics.min_comment_group_size respondents';
REVOKE ALL ON FUNCTION @extschema@.pm_survey_comments() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION @extschema@.pm_survey_comments() TO platform_metrics_reader;

CREATE OR REPLACE VIEW @extschema@.survey_comments WITH (security_barrier) AS
SELECT c.wave, c.team, c.capability, c.comment FROM @extschema@.pm_survey_comments() c;
COMMENT ON VIEW @extschema@.survey_comments IS
    'Free-text comments of teams with at least platform_metrics.min_comment_group_size respondents in the wave';

COMMENT ON COLUMN @extschema@.survey_comments.wave IS 'Survey wave';
COMMENT ON COLUMN @extschema@.survey_comments.team IS 'Team of the respondent';
COMMENT ON COLUMN @extschema@.survey_comments.capability IS 'Capability the answer was about (NULL: the platform)';
COMMENT ON COLUMN @extschema@.survey_comments.comment IS 'The comment';

-- The Mandate-Choice matrix, from each capability's answers in its latest wave.
CREATE OR REPLACE VIEW @extschema@.capability_quadrants WITH (security_barrier) AS
WITH latest AS (
    SELECT r.capability, max(r.wave) AS wave
      FROM @extschema@.survey_responses r
     WHERE r.capability IS NOT NULL AND r.question = 'nps'
     GROUP BY r.capability),
summaries AS (
    SELECT r.capability, l.wave, @extschema@.nps_summary(r.score::integer) AS s, count(*) AS n
      FROM @extschema@.survey_responses r JOIN latest l ON l.capability = r.capability AND l.wave = r.wave
     WHERE r.question = 'nps'
     GROUP BY r.capability, l.wave)
SELECT c.capability, c.mandatory, s.wave,
       coalesce(s.n, 0) AS responses,
       CASE WHEN NOT x.suppressed THEN @extschema@.nps(s.s) END AS nps,
       CASE WHEN NOT x.suppressed THEN ci.low END AS ci_low,
       CASE WHEN NOT x.suppressed THEN ci.high END AS ci_high,
       CASE WHEN NOT x.suppressed THEN @extschema@.mandate_quadrant(c.mandatory, s.s) END AS quadrant,
       CASE WHEN NOT x.suppressed
            THEN coalesce(@extschema@.recommended_action(@extschema@.mandate_quadrant(c.mandatory, s.s)),
                          'insufficient evidence') END AS action,
       x.suppressed
  FROM @extschema@.capabilities c
       LEFT JOIN summaries s ON s.capability = c.capability
       CROSS JOIN LATERAL (SELECT coalesce(s.n, 0) < @extschema@.min_group_size() AS suppressed) x
       LEFT JOIN LATERAL @extschema@.nps_ci(s.s) ci ON true;
COMMENT ON VIEW @extschema@.capability_quadrants IS 'Mandate-Choice quadrant of each capability from its latest survey wave, judged by the 95% NPS interval';
COMMENT ON COLUMN @extschema@.capability_quadrants.capability IS 'Capability';
COMMENT ON COLUMN @extschema@.capability_quadrants.mandatory IS 'Whether teams must use it';
COMMENT ON COLUMN @extschema@.capability_quadrants.wave IS 'Latest wave with answers about it';
COMMENT ON COLUMN @extschema@.capability_quadrants.responses IS 'Answers about it in that wave';
COMMENT ON COLUMN @extschema@.capability_quadrants.nps IS 'Its NPS in that wave';
COMMENT ON COLUMN @extschema@.capability_quadrants.ci_low IS 'Lower end of the 95% interval';
COMMENT ON COLUMN @extschema@.capability_quadrants.ci_high IS 'Upper end of the 95% interval';
COMMENT ON COLUMN @extschema@.capability_quadrants.quadrant IS 'mandate_quadrant; NULL when the interval contains the threshold (insufficient evidence)';
COMMENT ON COLUMN @extschema@.capability_quadrants.action IS 'invest, fix ASAP, product-market fit, kill, or insufficient evidence';
COMMENT ON COLUMN @extschema@.capability_quadrants.suppressed IS 'True when too few answered: the numbers are hidden';

-- The reader reads the views, nothing else.
GRANT SELECT ON @extschema@.nps_by_survey, @extschema@.nps_by_team, @extschema@.nps_trend,
    @extschema@.survey_comments, @extschema@.capability_quadrants
    TO platform_metrics_reader;
-- usage_views.sql: adoption, retention, time to value, the feedback loop and unplanned work

-- Time to value per milestone and start month, censoring-aware beside naive.
CREATE OR REPLACE VIEW @extschema@.time_to_value WITH (security_barrier) AS
SELECT o.milestone,
       date_trunc('month', o.started_at) AS start_month,
       count(*) AS started,
       count(*) FILTER (WHERE o.reached_at <= now()) AS reached,
       count(*) FILTER (WHERE o.reached_at IS NULL OR o.reached_at > now()) AS on_the_way,
       (@extschema@.ttv_percentile(o.started_at, o.reached_at, ARRAY[0.5, 0.75, 0.9]))[1] AS p50,
       (@extschema@.ttv_percentile(o.started_at, o.reached_at, ARRAY[0.5, 0.75, 0.9]))[2] AS p75,
       (@extschema@.ttv_percentile(o.started_at, o.reached_at, ARRAY[0.5, 0.75, 0.9]))[3] AS p90,
       justify_hours(@extschema@.ttv_percentile(CASE WHEN o.reached_at <= now() THEN o.reached_at - o.started_at END, 0.5))
           AS naive_median
  FROM @extschema@.onboarding o
 WHERE o.started_at <= now()
 GROUP BY 1, 2;
COMMENT ON VIEW @extschema@.time_to_value IS 'Time to a milestone per start month: Kaplan-Meier percentiles that count those still on their way, beside the naive median';
COMMENT ON COLUMN @extschema@.time_to_value.milestone IS 'Milestone (e.g. first_deploy)';
COMMENT ON COLUMN @extschema@.time_to_value.start_month IS 'Month onboarding started';
COMMENT ON COLUMN @extschema@.time_to_value.started IS 'Subjects who started that month';
COMMENT ON COLUMN @extschema@.time_to_value.reached IS 'Of them, those who reached the milestone';
COMMENT ON COLUMN @extschema@.time_to_value.on_the_way IS 'Of them, those still on their way';
COMMENT ON COLUMN @extschema@.time_to_value.p50 IS 'Median time to the milestone (Kaplan-Meier; NULL: not known yet)';
COMMENT ON COLUMN @extschema@.time_to_value.p75 IS '75th percentile (Kaplan-Meier; NULL: not known yet)';
COMMENT ON COLUMN @extschema@.time_to_value.p90 IS '90th percentile (Kaplan-Meier; NULL: not known yet)';
COMMENT ON COLUMN @extschema@.time_to_value.naive_median IS 'Median over those who arrived only: biased low while many are on their way';

-- Adoption of each capability.  A team "tried" a capability when it used or
-- adopted it; it "moved back" when its latest event is an abandon; it "went
-- quiet" when it has not used the capability for 60 days.
CREATE OR REPLACE VIEW @extschema@.capability_adoption WITH (security_barrier) AS
WITH per_team AS (
    SELECT u.capability, u.team,
           max(u.occurred_at) FILTER (WHERE u.kind <> 'abandon') AS last_use,
           -- the latest event is an abandon (one at the same instant as a use wins)
           coalesce(max(u.occurred_at) FILTER (WHERE u.kind = 'abandon')
                    >= coalesce(max(u.occurred_at) FILTER (WHERE u.kind <> 'abandon'), '-infinity'), false)
               AS moved_back
      FROM @extschema@.usage_events u
     GROUP BY u.capability, u.team),
eligible AS (SELECT count(*) AS n FROM @extschema@.teams)
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
  FROM @extschema@.capabilities c CROSS JOIN eligible e
       LEFT JOIN per_team p ON p.capability = c.capability
 GROUP BY c.capability, c.mandatory, e.n;
COMMENT ON VIEW @extschema@.capability_adoption IS 'Adoption, opt-in, activity, churn and stay rate per capability';
COMMENT ON COLUMN @extschema@.capability_adoption.capability IS 'Capability';
COMMENT ON COLUMN @extschema@.capability_adoption.mandatory IS 'Whether teams must use it';
COMMENT ON COLUMN @extschema@.capability_adoption.eligible_teams IS 'Teams that could use it (all registered teams)';
COMMENT ON COLUMN @extschema@.capability_adoption.adopting_teams IS 'Teams that used or adopted it at least once';
COMMENT ON COLUMN @extschema@.capability_adoption.adoption_rate IS 'Adopting teams divided by eligible teams';
COMMENT ON COLUMN @extschema@.capability_adoption.opt_in_rate IS 'For optional capabilities, the share of eligible teams that chose it (NULL when mandatory)';
COMMENT ON COLUMN @extschema@.capability_adoption.active_last_30_days IS 'Teams that used it in the last 30 days';
COMMENT ON COLUMN @extschema@.capability_adoption.churned_teams IS 'Teams that tried it and have not used it for 60 days (went quiet)';
COMMENT ON COLUMN @extschema@.capability_adoption.moved_back_teams IS 'Teams whose latest event is abandon: they moved back to their own way';
COMMENT ON COLUMN @extschema@.capability_adoption.stay_rate IS 'Teams still using it (in the last 60 days) among the teams that tried it';

-- Monthly retention triangle per capability, from churn_cohort.
CREATE OR REPLACE VIEW @extschema@.capability_retention WITH (security_barrier) AS
SELECT c.capability, r.*
  FROM @extschema@.capabilities c
       CROSS JOIN LATERAL @extschema@.cohort_rows(
           (SELECT @extschema@.churn_cohort(u.team, u.occurred_at, '1 month')
              FROM @extschema@.usage_events u
             WHERE u.capability = c.capability AND u.kind <> 'abandon')) r;
COMMENT ON VIEW @extschema@.capability_retention IS 'Monthly retention triangle, lifecycle and churn per capability and adoption cohort (cohort_rows of churn_cohort)';
COMMENT ON COLUMN @extschema@.capability_retention.capability IS 'Capability';
COMMENT ON COLUMN @extschema@.capability_retention.cohort_start IS 'Month the teams of the cohort first used the capability';
COMMENT ON COLUMN @extschema@.capability_retention.period_offset IS 'Months since the cohort month';
COMMENT ON COLUMN @extschema@.capability_retention.period_start IS 'Start of that month';
COMMENT ON COLUMN @extschema@.capability_retention.cohort_size IS 'Teams in the cohort';
COMMENT ON COLUMN @extschema@.capability_retention.active IS 'Teams of the cohort that used it that month';
COMMENT ON COLUMN @extschema@.capability_retention.retention IS 'active / cohort_size';
COMMENT ON COLUMN @extschema@.capability_retention.active_or_after IS 'Teams of the cohort that used it that month or later';
COMMENT ON COLUMN @extschema@.capability_retention.continuing IS 'Used it that month and the month before';
COMMENT ON COLUMN @extschema@.capability_retention.resurrecting IS 'Used it that month, not the month before, but earlier';
COMMENT ON COLUMN @extschema@.capability_retention.dormant IS 'Used it the month before, not that month';
COMMENT ON COLUMN @extschema@.capability_retention.churned IS 'Last used it the month before and not since';

-- The teams that stopped, for the capability's owners.
CREATE OR REPLACE VIEW @extschema@.churned_teams WITH (security_barrier) AS
SELECT u.capability, u.team,
       min(u.occurred_at) AS first_activity,
       max(u.occurred_at) FILTER (WHERE u.kind <> 'abandon') AS last_activity,
       extract(day FROM now() - max(u.occurred_at) FILTER (WHERE u.kind <> 'abandon'))::integer AS idle_days,
       CASE WHEN coalesce(max(u.occurred_at) FILTER (WHERE u.kind = 'abandon')
                          >= coalesce(max(u.occurred_at) FILTER (WHERE u.kind <> 'abandon'), '-infinity'), false)
            THEN 'moved back' ELSE 'went quiet' END AS status
  FROM @extschema@.usage_events u
 GROUP BY u.capability, u.team
HAVING coalesce(max(u.occurred_at) FILTER (WHERE u.kind = 'abandon')
                >= coalesce(max(u.occurred_at) FILTER (WHERE u.kind <> 'abandon'), '-infinity'), false)
    OR max(u.occurred_at) FILTER (WHERE u.kind <> 'abandon') < now() - interval '60 days';
COMMENT ON VIEW @extschema@.churned_teams IS 'Teams that moved back from a capability or have not used it for 60 days';
COMMENT ON COLUMN @extschema@.churned_teams.capability IS 'Capability';
COMMENT ON COLUMN @extschema@.churned_teams.team IS 'Team';
COMMENT ON COLUMN @extschema@.churned_teams.first_activity IS 'First event of the team with the capability';
COMMENT ON COLUMN @extschema@.churned_teams.last_activity IS 'Last use';
COMMENT ON COLUMN @extschema@.churned_teams.idle_days IS 'Whole days since the last use';
COMMENT ON COLUMN @extschema@.churned_teams.status IS 'moved back (its latest event is abandon) or went quiet (60 days without use)';

-- Adoption after launch, week by week.
CREATE OR REPLACE VIEW @extschema@.post_launch_adoption WITH (security_barrier) AS
WITH first_use AS (
    SELECT u.capability, u.team, min(u.occurred_at) AS first_at
      FROM @extschema@.usage_events u WHERE u.kind <> 'abandon'
     GROUP BY u.capability, u.team),
eligible AS (SELECT count(*) AS n FROM @extschema@.teams)
SELECT c.capability, w.week AS weeks_since_launch,
       count(f.team) AS adopting_teams,
       count(f.team)::double precision / nullif(e.n, 0) AS adoption_share
  FROM @extschema@.capabilities c CROSS JOIN eligible e
       CROSS JOIN LATERAL generate_series(0, greatest(0, floor(extract(epoch FROM now() - c.launched_at) / 604800)::integer)) AS w(week)
       LEFT JOIN first_use f ON f.capability = c.capability
                            AND f.first_at < c.launched_at + (w.week + 1) * interval '1 week'
 GROUP BY c.capability, w.week, e.n;
COMMENT ON VIEW @extschema@.post_launch_adoption IS 'Cumulative adoption of each capability by week since its launch';
COMMENT ON COLUMN @extschema@.post_launch_adoption.capability IS 'Capability';
COMMENT ON COLUMN @extschema@.post_launch_adoption.weeks_since_launch IS 'Whole weeks since launch (0 = the launch week)';
COMMENT ON COLUMN @extschema@.post_launch_adoption.adopting_teams IS 'Teams that had used it by the end of that week';
COMMENT ON COLUMN @extschema@.post_launch_adoption.adoption_share IS 'Those teams divided by all registered teams';

-- The feedback loop per quarter: listen, synthesise, act, communicate.
CREATE OR REPLACE VIEW @extschema@.feedback_loop WITH (security_barrier) AS
SELECT date_trunc('quarter', f.received_at) AS quarter,
       count(*) AS received,
       count(f.synthesized_at) AS synthesized,
       count(f.acted_at) AS acted,
       count(f.communicated_at) AS communicated,
       count(f.communicated_at)::double precision / count(*) AS closed_loop_rate,
       percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM f.communicated_at - f.received_at) / 86400)
           AS median_days_to_close
  FROM @extschema@.feedback f
 GROUP BY 1;
COMMENT ON VIEW @extschema@.feedback_loop IS 'Developer feedback per quarter received: how much went through each step of the loop';
COMMENT ON COLUMN @extschema@.feedback_loop.quarter IS 'Quarter the feedback was received';
COMMENT ON COLUMN @extschema@.feedback_loop.received IS 'Pieces of feedback received (listen)';
COMMENT ON COLUMN @extschema@.feedback_loop.synthesized IS 'Of them, grouped into a theme (synthesise)';
COMMENT ON COLUMN @extschema@.feedback_loop.acted IS 'Of them, acted on (act)';
COMMENT ON COLUMN @extschema@.feedback_loop.communicated IS 'Of them, with the outcome told to developers (communicate)';
COMMENT ON COLUMN @extschema@.feedback_loop.closed_loop_rate IS 'communicated / received';
COMMENT ON COLUMN @extschema@.feedback_loop.median_days_to_close IS 'Median days from receiving to communicating, over closed loops';

CREATE OR REPLACE VIEW @extschema@.unplanned_work_by_month WITH (security_barrier) AS
SELECT date_trunc('month', w.occurred_at) AS month, w.team, w.capability,
       sum(w.hours) AS hours, count(*) AS events
  FROM @extschema@.unplanned_work w
 GROUP BY 1, 2, 3;
COMMENT ON VIEW @extschema@.unplanned_work_by_month IS 'Unplanned work the platform caused, per month, team and capability';
COMMENT ON COLUMN @extschema@.unplanned_work_by_month.month IS 'Month';
COMMENT ON COLUMN @extschema@.unplanned_work_by_month.team IS 'Team that did the work';
COMMENT ON COLUMN @extschema@.unplanned_work_by_month.capability IS 'Capability that caused it (NULL: unknown)';
COMMENT ON COLUMN @extschema@.unplanned_work_by_month.hours IS 'Hours spent';
COMMENT ON COLUMN @extschema@.unplanned_work_by_month.events IS 'Number of events';

-- The reader reads the views, nothing else.
GRANT SELECT ON @extschema@.time_to_value, @extschema@.capability_adoption, @extschema@.capability_retention,
    @extschema@.churned_teams, @extschema@.post_launch_adoption, @extschema@.feedback_loop,
    @extschema@.unplanned_work_by_month
    TO platform_metrics_reader;
-- adopted_privileges.sql: the last part of the install script.  Objects
-- adopted from a 1.x database (platform_metrics_analytics.sql) get back the
-- privileges they had, with the grants and revokes their users made; the
-- scripts' own GRANTs stay recorded as the initial privileges, as in a fresh
-- install, so pg_dump keeps exactly what users changed.
DO $restore$
DECLARE
    o jsonb;
BEGIN
    FOR o IN SELECT pg_catalog.jsonb_array_elements(
                 coalesce(NULLIF(pg_catalog.current_setting('pm_adopt.privileges', true), ''), '[]')::jsonb)
    LOOP
        IF o ? 'proc' THEN
            UPDATE pg_catalog.pg_proc SET proacl = (o ->> 'acl')::aclitem[]
             WHERE oid OPERATOR(pg_catalog.=) (o ->> 'proc')::oid;
        ELSE
            UPDATE pg_catalog.pg_class SET relacl = (o ->> 'acl')::aclitem[]
             WHERE oid OPERATOR(pg_catalog.=) (o ->> 'rel')::oid;
            UPDATE pg_catalog.pg_attribute a SET attacl = (c.value #>> '{}')::aclitem[]
              FROM pg_catalog.jsonb_each(coalesce(o -> 'columns', '{}')) c
             WHERE a.attrelid OPERATOR(pg_catalog.=) (o ->> 'rel')::oid
               AND a.attnum OPERATOR(pg_catalog.=) c.key::smallint;
        END IF;
    END LOOP;
    PERFORM pg_catalog.set_config('pm_adopt.privileges', '', true);
END
$restore$;
