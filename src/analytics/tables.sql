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

-- Survey waves (since 1.3): answers belong to a registered wave, and the survey
-- views show a wave only once it is closed (waves.sql keeps closed waves closed).
CREATE TABLE IF NOT EXISTS @extschema@.survey_waves (
    wave        text PRIMARY KEY
                CONSTRAINT survey_waves_wave_not_empty CHECK (wave <> ''),
    opened_at   timestamptz NOT NULL DEFAULT now(),
    closed_at   timestamptz,
    description text NOT NULL DEFAULT '',
    CONSTRAINT survey_waves_closed_after_opened CHECK (closed_at >= opened_at)
);
COMMENT ON TABLE @extschema@.survey_waves IS 'Survey waves: answers are taken while a wave is open, its figures shown once it is closed';
COMMENT ON COLUMN @extschema@.survey_waves.wave IS 'Name of the wave, e.g. 2026-Q3 (key)';
COMMENT ON COLUMN @extschema@.survey_waves.opened_at IS 'When it opened (waves are shown in this order)';
COMMENT ON COLUMN @extschema@.survey_waves.closed_at IS 'When it closed; NULL while it takes answers. Once set, it does not change';
COMMENT ON COLUMN @extschema@.survey_waves.description IS 'What the wave asked, in a sentence';

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

CREATE TABLE IF NOT EXISTS @extschema@.survey_responses (
    response_id  text PRIMARY KEY,
    wave         text NOT NULL
                 CONSTRAINT survey_responses_wave_not_empty CHECK (wave <> '')
                 CONSTRAINT survey_responses_unknown_wave REFERENCES @extschema@.survey_waves,
    team         text NOT NULL
                 CONSTRAINT survey_responses_unknown_team REFERENCES @extschema@.teams,
    capability   text
                 CONSTRAINT survey_responses_unknown_capability REFERENCES @extschema@.capabilities,
    question     text NOT NULL DEFAULT 'nps'
                 CONSTRAINT survey_responses_unknown_question REFERENCES @extschema@.survey_questions,
    score        smallint NOT NULL
                 CONSTRAINT survey_responses_score_range CHECK (score BETWEEN 0 AND 10),
    comment      text,
    submitted_at timestamptz NOT NULL DEFAULT now(),
    submission_id uuid
);
COMMENT ON TABLE @extschema@.survey_responses IS 'Anonymous survey answers: no column identifies the respondent; readable only through the views';
COMMENT ON COLUMN @extschema@.survey_responses.response_id IS 'Identifier sent by the survey tool (idempotency key), not linked to a person';
COMMENT ON COLUMN @extschema@.survey_responses.wave IS 'Survey wave (registered in survey_waves, open when the answer is stored)';
COMMENT ON COLUMN @extschema@.survey_responses.team IS 'Team of the respondent';
COMMENT ON COLUMN @extschema@.survey_responses.capability IS 'Capability asked about; NULL for the platform as a whole';
COMMENT ON COLUMN @extschema@.survey_responses.question IS 'Question answered (registered in survey_questions); nps for "how likely are you to recommend ..."';
COMMENT ON COLUMN @extschema@.survey_responses.score IS 'Answer, within the question''s scale (0 to 10 at most)';
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
SELECT pg_catalog.pg_extension_config_dump('@extschema@.survey_waves', '');
SELECT pg_catalog.pg_extension_config_dump('@extschema@.survey_questions', 'WHERE question <> ''nps''');
SELECT pg_catalog.pg_extension_config_dump('@extschema@.survey_responses', '');
SELECT pg_catalog.pg_extension_config_dump('@extschema@.usage_events', '');
SELECT pg_catalog.pg_extension_config_dump('@extschema@.onboarding', '');
SELECT pg_catalog.pg_extension_config_dump('@extschema@.feedback', '');
SELECT pg_catalog.pg_extension_config_dump('@extschema@.unplanned_work', '');
