-- platform_metrics_analytics 1.2 -> 1.3 (frozen: written once for this step).
-- Survey waves registered and closed, the survey views over one suppression
-- mechanism that also defeats homogeneous remainders, comments by their own
-- group, and least privilege for the writer with a new admin role.
\echo Use "ALTER EXTENSION platform_metrics_analytics UPDATE TO '1.3'" to load this file. \quit

SELECT @extschema@.pm_schema_check();

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

COMMENT ON COLUMN @extschema@.survey_responses.wave IS 'Survey wave (registered in survey_waves, open when the answer is stored)';
SELECT pg_catalog.pg_extension_config_dump('@extschema@.survey_waves', '');

-- waves.sql: survey waves stay put once closed (since 1.3)
--
-- The survey views show a wave only once it is closed, so its published
-- figures never change: comparing them before and after an answer landed
-- cannot isolate that answer.  Two triggers keep it so: a closed wave takes
-- no new answer, and a closed wave stays closed.  Superusers are exempt (they
-- restore dumps, whose answers load after their waves, and may correct data).

CREATE OR REPLACE FUNCTION @extschema@.pm_survey_answers_open() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
AS $fn$
DECLARE
    w record;
BEGIN
    IF (SELECT r.rolsuper FROM pg_catalog.pg_roles r WHERE r.rolname = session_user) THEN
        RETURN NULL;
    END IF;
    -- FOR SHARE: closing a wave (an UPDATE of its row) waits for the batches
    -- still writing to it, and a batch that comes after the close sees it
    -- closed (READ COMMITTED reads the newest row; REPEATABLE READ and
    -- SERIALIZABLE fail with a serialization error instead).
    FOR w IN SELECT x.wave, x.closed_at
               FROM @extschema@.survey_waves x
              WHERE x.wave IN (SELECT n.wave FROM pm_new_answers n)
              ORDER BY x.wave
                FOR SHARE
    LOOP
        IF w.closed_at IS NOT NULL THEN
            RAISE EXCEPTION 'survey wave "%" is closed', w.wave
                USING ERRCODE = '55000',
                      DETAIL = 'Its figures are published and do not change.',
                      HINT = 'Answers are taken while a wave is open: register a new wave in survey_waves for further answers.';
        END IF;
    END LOOP;
    RETURN NULL;
END
$fn$;
COMMENT ON FUNCTION @extschema@.pm_survey_answers_open() IS
    'Trigger of survey_responses: refuses answers to closed waves (superusers excepted)';
REVOKE ALL ON FUNCTION @extschema@.pm_survey_answers_open() FROM PUBLIC;

CREATE OR REPLACE FUNCTION @extschema@.pm_survey_waves_stay_closed() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
AS $fn$
BEGIN
    IF (SELECT r.rolsuper FROM pg_catalog.pg_roles r WHERE r.rolname = session_user) THEN
        RETURN NEW;
    END IF;
    IF TG_OP = 'UPDATE' AND OLD.closed_at IS NOT NULL
       AND (NEW.closed_at IS DISTINCT FROM OLD.closed_at OR NEW.wave IS DISTINCT FROM OLD.wave) THEN
        RAISE EXCEPTION 'survey wave "%" is closed and stays closed', OLD.wave
            USING ERRCODE = '55000',
                  DETAIL = 'Its figures are published: reopening or renaming it would let new answers be told apart by comparing them.',
                  HINT = 'Register a new wave for further answers.';
    END IF;
    IF NEW.closed_at > pg_catalog.statement_timestamp() THEN
        RAISE EXCEPTION 'survey wave "%" cannot close in the future (closed_at %)', NEW.wave, NEW.closed_at
            USING ERRCODE = '22023',
                  HINT = 'A wave is closed as soon as closed_at is set: set it when the wave ends (closed_at = now()).';
    END IF;
    RETURN NEW;
END
$fn$;
COMMENT ON FUNCTION @extschema@.pm_survey_waves_stay_closed() IS
    'Trigger of survey_waves: a closed wave stays closed, and no wave closes in the future (superusers excepted)';
REVOKE ALL ON FUNCTION @extschema@.pm_survey_waves_stay_closed() FROM PUBLIC;

CREATE TRIGGER survey_responses_open_wave
    AFTER INSERT ON @extschema@.survey_responses
    REFERENCING NEW TABLE AS pm_new_answers
    FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.pm_survey_answers_open();
CREATE TRIGGER survey_waves_stay_closed
    BEFORE INSERT OR UPDATE ON @extschema@.survey_waves
    FOR EACH ROW EXECUTE FUNCTION @extschema@.pm_survey_waves_stay_closed();

-- survey_responses adopted from a 1.x layer holds answers to waves nobody
-- registered: they are registered, open (the views show them once an admin
-- closes them), and the table gets the constraint a fresh one has.
INSERT INTO @extschema@.survey_waves (wave, opened_at)
SELECT r.wave, pg_catalog.min(r.submitted_at) FROM @extschema@.survey_responses r GROUP BY r.wave
    ON CONFLICT (wave) DO NOTHING;
DO $fk$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_catalog.pg_constraint c
                    WHERE c.conrelid OPERATOR(pg_catalog.=) '@extschema@.survey_responses'::pg_catalog.regclass
                      AND c.conname OPERATOR(pg_catalog.=) 'survey_responses_unknown_wave') THEN
        ALTER TABLE @extschema@.survey_responses ADD CONSTRAINT survey_responses_unknown_wave
            FOREIGN KEY (wave) REFERENCES @extschema@.survey_waves;
    END IF;
END
$fk$;

-- Roles and privileges.  The writer loses INSERT on teams and capabilities and
-- its table-wide SELECT and UPDATE on onboarding and feedback, for the
-- completion columns; the admin role registers teams, capabilities and waves.
-- What users granted or revoked on these tables stays theirs: the ACLs are
-- set back to the extension's initial privileges while the GRANTs and REVOKEs
-- below run (so only the extension's own are recorded as initial), then the
-- users' items are put back beside the two roles' new ones.
DO $save$
DECLARE
    saved jsonb := '[]';
    r oid;
BEGIN
    FOREACH r IN ARRAY ARRAY['@extschema@.teams'::pg_catalog.regclass, '@extschema@.capabilities'::pg_catalog.regclass,
                             '@extschema@.onboarding'::pg_catalog.regclass, '@extschema@.feedback'::pg_catalog.regclass]::oid[]
    LOOP
        saved := saved OPERATOR(pg_catalog.||) pg_catalog.jsonb_build_object('rel', r,
            'acl', (SELECT c.relacl::text FROM pg_catalog.pg_class c WHERE c.oid OPERATOR(pg_catalog.=) r),
            'columns', (SELECT coalesce(pg_catalog.jsonb_object_agg(a.attnum, a.attacl::text), '{}') FROM pg_catalog.pg_attribute a
                         WHERE a.attrelid OPERATOR(pg_catalog.=) r AND a.attacl IS NOT NULL));
        UPDATE pg_catalog.pg_class c
           SET relacl = (SELECT i.initprivs FROM pg_catalog.pg_init_privs i
                          WHERE i.objoid OPERATOR(pg_catalog.=) r AND i.classoid OPERATOR(pg_catalog.=) 'pg_catalog.pg_class'::pg_catalog.regclass
                            AND i.objsubid OPERATOR(pg_catalog.=) 0)
         WHERE c.oid OPERATOR(pg_catalog.=) r;
        UPDATE pg_catalog.pg_attribute a
           SET attacl = (SELECT i.initprivs FROM pg_catalog.pg_init_privs i
                          WHERE i.objoid OPERATOR(pg_catalog.=) r AND i.classoid OPERATOR(pg_catalog.=) 'pg_catalog.pg_class'::pg_catalog.regclass
                            AND i.objsubid OPERATOR(pg_catalog.=) a.attnum)
         WHERE a.attrelid OPERATOR(pg_catalog.=) r AND a.attnum OPERATOR(pg_catalog.>) 0;
    END LOOP;
    PERFORM pg_catalog.set_config('pm_adopt.privileges', saved::text, true);
END
$save$;
DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = 'platform_metrics_admin') THEN
        CREATE ROLE platform_metrics_admin NOLOGIN;
    END IF;
END
$$;
REVOKE INSERT ON @extschema@.teams, @extschema@.capabilities FROM platform_metrics_writer;
REVOKE SELECT, UPDATE ON @extschema@.onboarding, @extschema@.feedback FROM platform_metrics_writer;
GRANT SELECT (subject, milestone, reached_at), UPDATE (reached_at) ON @extschema@.onboarding
    TO platform_metrics_writer;
GRANT SELECT (feedback_id, synthesized_at, theme, acted_at, communicated_at),
    UPDATE (synthesized_at, theme, acted_at, communicated_at) ON @extschema@.feedback
    TO platform_metrics_writer;
GRANT SELECT, INSERT, UPDATE ON @extschema@.teams, @extschema@.capabilities, @extschema@.survey_waves
    TO platform_metrics_admin;
DO $restore$
DECLARE
    o jsonb;
    merged boolean;
    roles CONSTANT text[] := ARRAY['platform_metrics_writer', 'platform_metrics_admin'];
    -- The saved items of other grantees ($1), the admin's items now in force
    -- ($2), and the writer's items now in force cut down to the privileges it
    -- had before, on the table or the column ($1, and $4: the table's saved
    -- items when $1 is a column's), so that a privilege revoked from it stays
    -- revoked.
    merge CONSTANT text := $m$
        WITH allowed AS (
            SELECT pg_catalog.string_agg(pg_catalog.regexp_replace(
                       pg_catalog.split_part(pg_catalog.split_part(i::text, '=', 2), '/', 1), '[*]', '', 'g'), '') AS letters
              FROM pg_catalog.unnest($1 OPERATOR(pg_catalog.||) $4) AS i
             WHERE pg_catalog.split_part(i::text, '=', 1) OPERATOR(pg_catalog.=) 'platform_metrics_writer')
        SELECT pg_catalog.array_agg(x.item)
          FROM (SELECT s.item FROM pg_catalog.unnest($1) AS s(item)
                 WHERE pg_catalog.split_part(s.item::text, '=', 1) OPERATOR(pg_catalog.<>) ALL ($3)
                UNION ALL
                SELECT c.item FROM pg_catalog.unnest($2) AS c(item)
                 WHERE pg_catalog.split_part(c.item::text, '=', 1) OPERATOR(pg_catalog.=) 'platform_metrics_admin'
                UNION ALL
                SELECT ('platform_metrics_writer=' OPERATOR(pg_catalog.||) f.privs OPERATOR(pg_catalog.||) '/'
                        OPERATOR(pg_catalog.||) pg_catalog.split_part(c.item::text, '/', 2))::aclitem
                  FROM pg_catalog.unnest($2) AS c(item) CROSS JOIN allowed a
                       CROSS JOIN LATERAL (
                           SELECT pg_catalog.string_agg(m.m[1], '') AS privs
                             FROM pg_catalog.regexp_matches(pg_catalog.split_part(pg_catalog.split_part(c.item::text, '=', 2), '/', 1),
                                                            '[a-zA-Z][*]?', 'g') AS m(m)
                            WHERE pg_catalog.strpos(coalesce(a.letters, ''), pg_catalog.left(m.m[1], 1)) OPERATOR(pg_catalog.>) 0) f
                 WHERE pg_catalog.split_part(c.item::text, '=', 1) OPERATOR(pg_catalog.=) 'platform_metrics_writer'
                   AND f.privs IS NOT NULL) x$m$;
    acl aclitem[];
    col record;
BEGIN
    FOR o IN SELECT pg_catalog.jsonb_array_elements(
                 coalesce(NULLIF(pg_catalog.current_setting('pm_adopt.privileges', true), ''), '[]')::jsonb)
    LOOP
        IF o ? 'proc' THEN
            UPDATE pg_catalog.pg_proc SET proacl = (o ->> 'acl')::aclitem[]
             WHERE oid OPERATOR(pg_catalog.=) (o ->> 'proc')::oid;
            CONTINUE;
        END IF;
        merged := (o ->> 'rel')::oid OPERATOR(pg_catalog.=) ANY (ARRAY[
            '@extschema@.teams'::pg_catalog.regclass, '@extschema@.capabilities'::pg_catalog.regclass,
            '@extschema@.onboarding'::pg_catalog.regclass, '@extschema@.feedback'::pg_catalog.regclass]::oid[]);
        acl := (o ->> 'acl')::aclitem[];
        IF merged THEN
            EXECUTE merge INTO acl USING acl, (SELECT c.relacl FROM pg_catalog.pg_class c
                                                WHERE c.oid OPERATOR(pg_catalog.=) (o ->> 'rel')::oid), roles, NULL::aclitem[];
        END IF;
        UPDATE pg_catalog.pg_class SET relacl = acl WHERE oid OPERATOR(pg_catalog.=) (o ->> 'rel')::oid;
        FOR col IN SELECT a.attnum, (o -> 'columns' ->> a.attnum::text)::aclitem[] AS saved, a.attacl
                     FROM pg_catalog.pg_attribute a
                    WHERE a.attrelid OPERATOR(pg_catalog.=) (o ->> 'rel')::oid
                      AND (o -> 'columns' ? a.attnum::text OR (merged AND a.attacl IS NOT NULL))
        LOOP
            acl := col.saved;
            IF merged THEN
                EXECUTE merge INTO acl USING col.saved, col.attacl, roles, (o ->> 'acl')::aclitem[];
            END IF;
            UPDATE pg_catalog.pg_attribute SET attacl = acl
             WHERE attrelid OPERATOR(pg_catalog.=) (o ->> 'rel')::oid AND attnum OPERATOR(pg_catalog.=) col.attnum;
        END LOOP;
    END LOOP;
    PERFORM pg_catalog.set_config('pm_adopt.privileges', '', true);
END
$restore$;

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
        wave_names := ARRAY(SELECT DISTINCT a.doc ->> 'wave' FROM jsonb_array_elements(events) AS a(doc)
                             WHERE a.doc ->> 'type' = 'survey');
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
             WHERE NOT EXISTS (SELECT FROM @extschema@.survey_waves x WHERE x.wave = w)) v
     LIMIT 1;
    IF FOUND THEN
        SELECT a.idx - 1 AS idx, format('unknown %s "%s"', bad.field, bad.name) AS problem INTO bad
          FROM jsonb_array_elements(events) WITH ORDINALITY AS a(doc, idx)
         WHERE a.doc ->> bad.field = bad.name
         ORDER BY a.idx LIMIT 1;
        RAISE EXCEPTION 'invalid event at index %: %', bad.idx, bad.problem
            USING ERRCODE = '23503',
                  HINT = 'Register teams, capabilities and survey waves first (platform_metrics_admin); nothing of this batch was stored.';
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

-- survey_views.sql: what readers see of the survey, above the anonymity thresholds

-- One suppression mechanism for every survey view (since 1.3).  pm_survey_cells
-- holds each publishable group of a closed wave's catalogued answers (until
-- the question catalogue: the nps question), with its summary and whether it
-- is hidden:
--   the wave (capability NULL, team NULL): the platform question's total;
--   each team in the wave (capability NULL): the platform question by team;
--   each capability in the wave (team NULL): that capability's answers.
-- A group with fewer than min_group_size() answers is hidden.  The teams of a
-- wave partition its total, so the hidden teams' answers are known per
-- category as "total minus shown teams": when a wave has a small team, the
-- next-smallest teams are hidden too, until the hidden answers are safe to
-- leave as a remainder (pm_hidden_answers_safe): at least min_group_size() of
-- them, at least two in every category, and enough teams that one answer taken
-- away still leaves two.  Then no hidden team's category count is pinned to
-- one value, even for someone who knows how many of each hidden team answered
-- and is one of the hidden respondents (README, Anonymity).  If hiding every
-- team is not enough, the wave's total is hidden as well.
-- Capabilities have no published total, so nothing can be subtracted there.
CREATE OR REPLACE FUNCTION @extschema@.pm_hidden_answers_safe(hidden @extschema@.nps_summary, k integer,
        groups bigint, single_answer_groups bigint)
    RETURNS boolean LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN hidden IS NOT NULL AND @extschema@.responses(hidden) >= k
           AND @extschema@.promoters(hidden) >= 2 AND @extschema@.passives(hidden) >= 2
           AND @extschema@.detractors(hidden) >= 2
           AND (groups >= 3 OR (groups = 2 AND single_answer_groups = 0));
COMMENT ON FUNCTION @extschema@.pm_hidden_answers_safe(@extschema@.nps_summary, integer, bigint, bigint) IS
    'Whether the hidden answers of a wave (in groups, of which single_answer_groups have one answer) may be left as a remainder: at least k, two of every category, two groups left without any one answer';

CREATE OR REPLACE VIEW @extschema@.pm_survey_cells WITH (security_barrier) AS
WITH threshold AS (
    SELECT @extschema@.min_group_size() AS k),
answers AS (
    SELECT r.wave, r.team, r.capability, r.score
      FROM @extschema@.survey_responses r
      JOIN @extschema@.survey_waves w ON w.wave = r.wave
     WHERE w.closed_at IS NOT NULL AND r.question = 'nps'),
totals AS (
    SELECT a.wave, a.capability, @extschema@.nps_summary(a.score::integer) AS s, count(*) AS n
      FROM answers a
     GROUP BY a.wave, a.capability),
by_team AS (
    SELECT a.wave, a.team, @extschema@.nps_summary(a.score::integer) AS s, count(*) AS n
      FROM answers a
     WHERE a.capability IS NULL
     GROUP BY a.wave, a.team),
ordered AS (
    -- small teams first, then the others from the smallest: hidden_before is
    -- what hiding every team before this one would hide
    SELECT b.wave, b.team, b.s, b.n, b.n < t.k AS small,
           bool_or(b.n < t.k) OVER w AS wave_has_small,
           @extschema@.rollup(b.s) OVER before AS hidden_before,
           count(*) OVER before AS teams_before,
           count(*) FILTER (WHERE b.n = 1) OVER before AS singles_before,
           count(*) OVER w AS teams,
           count(*) FILTER (WHERE b.n = 1) OVER w AS singles
      FROM by_team b CROSS JOIN threshold t
    WINDOW w AS (PARTITION BY b.wave),
           before AS (w ORDER BY b.n < t.k DESC, b.n, b.team ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING)),
wave_flags AS (
    SELECT DISTINCT o.wave, o.wave_has_small, o.teams, o.singles FROM ordered o)
SELECT o.wave, NULL::text AS capability, o.team, o.s, o.n,
       o.small OR (o.wave_has_small
                   AND NOT @extschema@.pm_hidden_answers_safe(o.hidden_before, t.k, o.teams_before, o.singles_before))
           AS hidden
  FROM ordered o CROSS JOIN threshold t
UNION ALL
SELECT g.wave, g.capability, NULL::text, g.s, g.n,
       g.n < t.k OR (g.capability IS NULL AND coalesce(f.wave_has_small, false)
                     AND NOT @extschema@.pm_hidden_answers_safe(g.s, t.k, f.teams, f.singles))
  FROM totals g CROSS JOIN threshold t
       LEFT JOIN wave_flags f ON f.wave = g.wave AND g.capability IS NULL;
COMMENT ON VIEW @extschema@.pm_survey_cells IS
    'Internal: every publishable survey group of the closed waves, and whether it is hidden (the one suppression mechanism of the survey views)';

-- Platform NPS per survey wave (the question about the platform as a whole).
CREATE OR REPLACE VIEW @extschema@.nps_by_survey WITH (security_barrier) AS
WITH asked AS (
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
 WHERE c.capability IS NULL AND c.team IS NULL;
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
 WHERE c.capability IS NULL AND c.team IS NOT NULL;
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
     WHERE c.capability IS NULL AND c.team IS NULL),
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
WITH asked AS (
    SELECT coalesce(sum(t.headcount), 0)::bigint AS population FROM @extschema@.teams t),
counted AS (
    SELECT r.wave, count(*) AS n
      FROM @extschema@.survey_responses r
     WHERE r.capability IS NULL AND r.question = 'nps'
     GROUP BY r.wave),
totals AS (
    SELECT x.wave, x.hidden FROM @extschema@.pm_survey_cells x WHERE x.capability IS NULL AND x.team IS NULL),
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
CREATE OR REPLACE FUNCTION @extschema@.pm_survey_comments(OUT wave text, OUT team text, OUT capability text, OUT comment text)
    RETURNS SETOF record
    LANGUAGE sql STABLE SECURITY DEFINER PARALLEL SAFE ROWS 1000
    SET search_path = pg_catalog, pg_temp
AS $fn$
    -- A comment is shown with its wave, team and capability, so its own group
    -- (wave, team, capability, question) must be large enough; answers to
    -- questions not in the catalogue (until it arrives: all but nps) count
    -- for nothing, and open waves show nothing.  A team that nps_by_team hides
    -- shows no platform comments (their number would tell its size).  Rows
    -- come sorted, never in the order the answers arrived.
    SELECT g.wave, g.team, g.capability, g.comment
      FROM (SELECT r.wave, r.team, r.capability, r.comment,
                   count(*) OVER (PARTITION BY r.wave, r.team, r.capability, r.question) AS n
              FROM @extschema@.survey_responses r
              JOIN @extschema@.survey_waves w ON w.wave = r.wave
             WHERE w.closed_at IS NOT NULL AND r.question = 'nps') g
     WHERE g.n >= @extschema@.min_comment_group_size() AND g.comment IS NOT NULL AND g.comment <> ''
       AND (g.capability IS NOT NULL
            OR (g.wave, g.team) IN (SELECT c.wave, c.team FROM @extschema@.pm_survey_cells c
                                     WHERE c.capability IS NULL AND c.team IS NOT NULL AND NOT c.hidden))
     ORDER BY g.wave, g.team, g.capability NULLS FIRST, g.comment
$fn$;
COMMENT ON FUNCTION @extschema@.pm_survey_comments() IS
    'survey_comments: the comments of closed waves whose own group (wave, team, capability, question) has at least platform_metrics.min_comment_group_size answers';

CREATE OR REPLACE VIEW @extschema@.survey_comments WITH (security_barrier) AS
SELECT c.wave, c.team, c.capability, c.comment FROM @extschema@.pm_survey_comments() c;
COMMENT ON VIEW @extschema@.survey_comments IS
    'Free-text comments of closed waves, for groups (wave, team, capability, question) with at least platform_metrics.min_comment_group_size answers';

COMMENT ON COLUMN @extschema@.survey_comments.wave IS 'Survey wave';
COMMENT ON COLUMN @extschema@.survey_comments.team IS 'Team of the respondent';
COMMENT ON COLUMN @extschema@.survey_comments.capability IS 'Capability the answer was about (NULL: the platform)';
COMMENT ON COLUMN @extschema@.survey_comments.comment IS 'The comment';

-- The Mandate-Choice matrix, from each capability's answers in the latest
-- closed wave (the one opened last) where they are shown: a wave where too
-- few rated it is passed over, not named.
CREATE OR REPLACE VIEW @extschema@.capability_quadrants WITH (security_barrier) AS
WITH latest AS (
    SELECT DISTINCT ON (c.capability) c.capability, c.wave, c.s, c.n, c.hidden
      FROM @extschema@.pm_survey_cells c JOIN @extschema@.survey_waves w ON w.wave = c.wave
     WHERE c.capability IS NOT NULL AND c.team IS NULL AND NOT c.hidden
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

-- The reader reads the views, nothing else: the new one too (granting again
-- on the others would record their users' grants as initial privileges).
GRANT SELECT ON @extschema@.survey_progress TO platform_metrics_reader;
