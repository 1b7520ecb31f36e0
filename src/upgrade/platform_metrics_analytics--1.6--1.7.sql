-- platform_metrics_analytics 1.6 -> 1.7: ingest() tells conflicts from
-- duplicates (a re-sent id whose content differs from the stored row), names
-- the field of an unknown team, capability, wave or question, and reports its
-- errors without the PL/pgSQL context lines of its body.

\echo Use "ALTER EXTENSION platform_metrics_analytics UPDATE TO '1.7'" to load this file. \quit
-- ingest() (1.7)
-- ingest() reports conflicts beside duplicates, and its errors without the
-- PL/pgSQL context lines: its body is pm_ingest(), and ingest() a C function
-- that calls it (the definitions of the live source, ingest.sql).  A third
-- result column is a changed result type, which CREATE OR REPLACE cannot
-- make: ingest() is dropped and created again.  A user object that depends on
-- it (a view, or a function with a SQL-standard body, that calls it) makes
-- the update fail, and nothing is lost: drop it, update, and create it again.
-- The privileges an admin left on ingest() are saved before the DROP and
-- given back after it.
DO $$
BEGIN
    PERFORM pg_catalog.set_config('pm_ingest.privileges', pg_catalog.jsonb_build_object('acl',
        (SELECT p.proacl::text FROM pg_catalog.pg_proc p
          WHERE p.oid = '@extschema@.ingest(jsonb)'::pg_catalog.regprocedure))::text, true);
END
$$;
DROP FUNCTION @extschema@.ingest(jsonb);

-- The body of ingest().  ingest() (below, in C) calls it and reports its
-- errors without the PL/pgSQL context lines that would point into this body.
CREATE FUNCTION @extschema@.pm_ingest(events jsonb,
        OUT accepted bigint, OUT duplicates bigint, OUT conflicts bigint)
    LANGUAGE plpgsql VOLATILE
    SET search_path = pg_catalog, pg_temp
AS $fn$
DECLARE
    bad record;
    unknown record;
    n bigint;
    kinds text[];
    first_problem text;
    team_names text[];
    capability_names text[];
    wave_names text[];
    question_names text[];
    done_subjects text[];
    done_milestones text[];
BEGIN
    accepted := 0;
    duplicates := 0;
    conflicts := 0;
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
    SELECT v.field, v.name INTO unknown
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
        SELECT a.idx - 1 AS idx INTO bad
          FROM jsonb_array_elements(events) WITH ORDINALITY AS a(doc, idx)
         WHERE CASE WHEN unknown.field = 'question'
                    THEN a.doc ->> 'type' = 'survey' AND coalesce(a.doc ->> 'question', 'nps') = unknown.name
                    ELSE a.doc ->> unknown.field = unknown.name END
         ORDER BY a.idx LIMIT 1;
        RAISE EXCEPTION 'invalid event at index %: field "%": unknown % "%"', bad.idx, unknown.field, unknown.field, unknown.name
            USING ERRCODE = '23503',
                  HINT = CASE WHEN unknown.field = 'question'
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
                RAISE EXCEPTION 'invalid event at index %: field "submission_id": submission "%" already answered this question in this wave',
                    bad.idx, bad.submission_id
                    USING ERRCODE = '23505',
                          HINT = 'A submission gives one answer per question (and capability) in a wave; nothing of this batch was stored.';
            END IF;
        END IF;
    END IF;
    -- A closed wave takes no new answers (an answer already stored is a
    -- duplicate or a conflict, as always).  The trigger on survey_responses
    -- enforces it against a wave closed while this batch runs; this names the
    -- event.
    IF EXISTS (SELECT FROM @extschema@.survey_waves x WHERE x.wave = ANY (wave_names) AND x.closed_at IS NOT NULL) THEN
        SELECT a.idx - 1 AS idx, x.wave INTO bad
          FROM jsonb_array_elements(events) WITH ORDINALITY AS a(doc, idx)
          JOIN @extschema@.survey_waves x ON x.wave = a.doc ->> 'wave'
         WHERE a.doc ->> 'type' = 'survey' AND x.closed_at IS NOT NULL
           AND NOT EXISTS (SELECT FROM @extschema@.survey_responses r WHERE r.response_id = a.doc ->> 'response_id')
         ORDER BY a.idx LIMIT 1;
        IF FOUND THEN
            RAISE EXCEPTION 'invalid event at index %: field "wave": survey wave "%" is closed', bad.idx, bad.wave
                USING ERRCODE = '55000',
                      DETAIL = 'Its figures are published and do not change.',
                      HINT = 'Answers are taken while a wave is open; nothing of this batch was stored.';
        END IF;
    END IF;
    -- Store, one INSERT per event type present: a re-sent id changes nothing
    -- (sorted out below), and of an id sent twice in one batch the first
    -- event is stored.  Rows go in key order, so two sessions storing
    -- overlapping batches lock their shared keys in the same order and cannot
    -- deadlock (in 1.0, the same ids in opposite orders could).
    IF 'usage' = ANY (kinds) THEN
        WITH ins AS (
            INSERT INTO @extschema@.usage_events (event_id, team, capability, occurred_at, kind)
            SELECT doc ->> 'event_id', doc ->> 'team', doc ->> 'capability',
                   @extschema@.pm_parse_timestamptz(doc ->> 'occurred_at'), coalesce(doc ->> 'kind', 'use')
              FROM jsonb_array_elements(events) WITH ORDINALITY AS a(doc, idx) WHERE doc ->> 'type' = 'usage'
             ORDER BY doc ->> 'event_id', idx
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
    -- reached_at filled in, and the stored team and started_at, completes the
    -- row (another team or started_at is another event under that id: a
    -- conflict, below, which completes nothing).  Within a batch the last event
    -- that carries reached_at wins (a stale retry without it after the completed
    -- one must not lose the completion).  A completion says the stored
    -- started_at and the C walk checked its reached_at against it, so none can
    -- end before it started (1.1 to 1.6 completed with the stored started_at
    -- whatever the event said, and refused a reached_at before it).  The rows
    -- stored or completed are kept for telling duplicates from conflicts
    -- below.
    IF 'onboarding' = ANY (kinds) THEN
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
               AND o.team = excluded.team AND o.started_at = excluded.started_at
            RETURNING o.subject, o.milestone)
        SELECT count(*), array_agg(ins.subject), array_agg(ins.milestone) INTO n, done_subjects, done_milestones FROM ins;
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
              FROM jsonb_array_elements(events) WITH ORDINALITY AS a(doc, idx) WHERE doc ->> 'type' = 'feedback'
             ORDER BY doc ->> 'feedback_id', idx
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
              FROM jsonb_array_elements(events) WITH ORDINALITY AS a(doc, idx) WHERE doc ->> 'type' = 'unplanned'
             ORDER BY doc ->> 'event_id', idx
            ON CONFLICT (event_id) DO NOTHING RETURNING 1)
        SELECT count(*) INTO n FROM ins;
        accepted := accepted + n;
    END IF;

    -- Events not stored (only batches that have some pay for this): a re-sent
    -- id, or an id repeated in the batch, is a duplicate when the event says
    -- what the row stored under it says, and a conflict when it does not (the
    -- stored row is kept).  Compared are the fields the event type has, an
    -- absent one as what it would store (its default or NULL), except those a
    -- stored row legitimately gains later or that default to the arrival time:
    -- onboarding's reached_at and feedback's synthesized_at, theme, acted_at
    -- and communicated_at count only when the event carries them.  The event
    -- that stored or completed a row is not compared.  Survey answers are
    -- never compared: the writer reads no survey row, and "duplicate" or
    -- "conflict" (or the fields that differ) for a score sent under a known
    -- response_id would tell it the stored answer, a guess at a time.  A
    -- re-sent response_id is a duplicate whatever it carries.
    IF accepted < jsonb_array_length(events) THEN
        SELECT count(*) OVER () AS n, x.idx - 1 AS idx, x.type, x.key, x.id, x.milestone, x.fields INTO bad
          FROM (SELECT a.idx, 'usage' AS type, 'event_id' AS key, s.event_id AS id, NULL AS milestone,
                       array_remove(ARRAY[
                           CASE WHEN s.team <> a.doc ->> 'team' THEN 'team' END,
                           CASE WHEN s.capability <> a.doc ->> 'capability' THEN 'capability' END,
                           CASE WHEN s.occurred_at <> @extschema@.pm_parse_timestamptz(a.doc ->> 'occurred_at')
                                THEN 'occurred_at' END,
                           CASE WHEN s.kind <> coalesce(a.doc ->> 'kind', 'use') THEN 'kind' END], NULL) AS fields
                  FROM jsonb_array_elements(events) WITH ORDINALITY AS a(doc, idx)
                  JOIN @extschema@.usage_events s ON s.event_id = a.doc ->> 'event_id'
                 WHERE 'usage' = ANY (kinds) AND a.doc ->> 'type' = 'usage'
                UNION ALL
                SELECT e.idx, 'onboarding', 'subject', s.subject, s.milestone,
                       array_remove(ARRAY[
                           CASE WHEN s.team <> e.doc ->> 'team' THEN 'team' END,
                           CASE WHEN s.started_at <> @extschema@.pm_parse_timestamptz(e.doc ->> 'started_at')
                                THEN 'started_at' END,
                           CASE WHEN s.reached_at IS DISTINCT FROM @extschema@.pm_parse_timestamptz(e.doc ->> 'reached_at')
                                     AND e.doc ->> 'reached_at' IS NOT NULL THEN 'reached_at' END], NULL)
                  FROM (SELECT a.doc, a.idx, row_number() OVER (
                                   PARTITION BY a.doc ->> 'subject', coalesce(a.doc ->> 'milestone', 'first_deploy')
                                   ORDER BY a.doc ->> 'reached_at' IS NULL, a.idx DESC) AS rank
                          FROM jsonb_array_elements(events) WITH ORDINALITY AS a(doc, idx)
                         WHERE 'onboarding' = ANY (kinds) AND a.doc ->> 'type' = 'onboarding') e
                  JOIN @extschema@.onboarding s
                    ON s.subject = e.doc ->> 'subject' AND s.milestone = coalesce(e.doc ->> 'milestone', 'first_deploy')
                  LEFT JOIN unnest(done_subjects, done_milestones) AS d(subject, milestone)
                    ON e.rank = 1 AND d.subject = s.subject AND d.milestone = s.milestone
                 WHERE d.subject IS NULL
                UNION ALL
                SELECT a.idx, 'feedback', 'feedback_id', s.feedback_id, NULL,
                       array_remove(ARRAY[
                           CASE WHEN s.team IS DISTINCT FROM a.doc ->> 'team' THEN 'team' END,
                           CASE WHEN s.capability IS DISTINCT FROM a.doc ->> 'capability' THEN 'capability' END,
                           CASE WHEN s.channel <> coalesce(a.doc ->> 'channel', 'other') THEN 'channel' END,
                           CASE WHEN s.received_at <> @extschema@.pm_parse_timestamptz(a.doc ->> 'received_at')
                                THEN 'received_at' END,
                           CASE WHEN s.synthesized_at IS DISTINCT FROM @extschema@.pm_parse_timestamptz(a.doc ->> 'synthesized_at')
                                     AND a.doc ->> 'synthesized_at' IS NOT NULL THEN 'synthesized_at' END,
                           CASE WHEN s.theme IS DISTINCT FROM a.doc ->> 'theme' AND a.doc ->> 'theme' IS NOT NULL
                                THEN 'theme' END,
                           CASE WHEN s.acted_at IS DISTINCT FROM @extschema@.pm_parse_timestamptz(a.doc ->> 'acted_at')
                                     AND a.doc ->> 'acted_at' IS NOT NULL THEN 'acted_at' END,
                           CASE WHEN s.communicated_at IS DISTINCT FROM @extschema@.pm_parse_timestamptz(a.doc ->> 'communicated_at')
                                     AND a.doc ->> 'communicated_at' IS NOT NULL THEN 'communicated_at' END], NULL)
                  FROM jsonb_array_elements(events) WITH ORDINALITY AS a(doc, idx)
                  JOIN @extschema@.feedback s ON s.feedback_id = a.doc ->> 'feedback_id'
                 WHERE 'feedback' = ANY (kinds) AND a.doc ->> 'type' = 'feedback'
                UNION ALL
                SELECT a.idx, 'unplanned', 'event_id', s.event_id, NULL,
                       array_remove(ARRAY[
                           CASE WHEN s.team <> a.doc ->> 'team' THEN 'team' END,
                           CASE WHEN s.capability IS DISTINCT FROM a.doc ->> 'capability' THEN 'capability' END,
                           CASE WHEN s.occurred_at <> @extschema@.pm_parse_timestamptz(a.doc ->> 'occurred_at')
                                THEN 'occurred_at' END,
                           CASE WHEN s.hours <> (a.doc ->> 'hours')::numeric(8, 2) THEN 'hours' END,
                           CASE WHEN s.cause <> coalesce(a.doc ->> 'cause', 'unknown') THEN 'cause' END], NULL)
                  FROM jsonb_array_elements(events) WITH ORDINALITY AS a(doc, idx)
                  JOIN @extschema@.unplanned_work s ON s.event_id = a.doc ->> 'event_id'
                 WHERE 'unplanned' = ANY (kinds) AND a.doc ->> 'type' = 'unplanned') x
         WHERE x.fields <> '{}'
         ORDER BY x.idx LIMIT 1;
        IF FOUND THEN
            conflicts := bad.n;
            RAISE WARNING '% of this batch % with stored rows; the first, at index %, is % % "%"%',
                CASE WHEN bad.n = 1 THEN '1 event' ELSE bad.n || ' events' END,
                CASE WHEN bad.n = 1 THEN 'conflicts' ELSE 'conflict' END, bad.idx, bad.type, bad.key,
                left(bad.id, 100) || CASE WHEN length(bad.id) > 100 THEN '...' ELSE '' END,
                CASE WHEN bad.milestone IS NOT NULL
                     THEN format(', milestone "%s"', left(bad.milestone, 100) || CASE WHEN length(bad.milestone) > 100 THEN '...' ELSE '' END)
                     ELSE '' END
                USING ERRCODE = '01000',
                      DETAIL = format('Its %s %s from the row stored under that id. Stored rows are kept; events that conflict with them are not stored.',
                                      (SELECT string_agg(format('"%s"', f), ', ') FROM unnest(bad.fields) AS f),
                                      CASE WHEN cardinality(bad.fields) = 1 THEN 'differs' ELSE 'differ' END),
                      HINT = 'An id stands for one event: send a different event under an id of its own. ingest() never changes a stored event, except to complete an onboarding row.';
        END IF;
    END IF;
    duplicates := jsonb_array_length(events) - accepted - conflicts;
END
$fn$;
COMMENT ON FUNCTION @extschema@.pm_ingest(jsonb) IS
    'ingest()''s body (ingest() calls it and reports its errors as its own)';
REVOKE ALL ON FUNCTION @extschema@.pm_ingest(jsonb) FROM PUBLIC;

CREATE FUNCTION @extschema@.ingest(events jsonb, OUT accepted bigint, OUT duplicates bigint, OUT conflicts bigint)
    AS 'MODULE_PATHNAME', 'ingest_call' LANGUAGE C VOLATILE SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION @extschema@.ingest(jsonb) IS
    'Stores a JSON array of events (usage, survey, onboarding, feedback, unplanned) all or nothing; a re-sent id is a duplicate, or a conflict when its content differs from the stored row';
REVOKE ALL ON FUNCTION @extschema@.ingest(jsonb) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION @extschema@.ingest(jsonb) TO platform_metrics_writer;

-- The privileges an admin gave ingest() before it was dropped and created
-- again (1.7: by the update from 1.6, or on adopting the ingest() of a 1.0 or
-- 1.1 database) are given back to it: GRANT and REVOKE what differs from the
-- script's own above (as its owner: an item another role granted is granted
-- by the owner).  In an extension script these also change the initial
-- privileges pg_dump compares with, which stay the script's own, as in a
-- fresh install, so that pg_dump keeps what the admin changed (and, from
-- PostgreSQL 17, the roles they name).
DO $$
DECLARE
    fn CONSTANT oid := '@extschema@.ingest(jsonb)'::pg_catalog.regprocedure;
    saved aclitem[];
    initial aclitem[];
    g record;
BEGIN
    IF coalesce(pg_catalog.current_setting('pm_ingest.privileges', true), '') = '' THEN
        RETURN;
    END IF;
    SELECT p.proacl, coalesce((pg_catalog.current_setting('pm_ingest.privileges')::jsonb ->> 'acl')::aclitem[],
                              pg_catalog.acldefault('f', p.proowner))
      INTO initial, saved
      FROM pg_catalog.pg_proc p WHERE p.oid = fn;
    FOR g IN
        SELECT coalesce(s.grantee, i.grantee) AS grantee, s.grantable AS saved, i.grantable AS initial
          FROM (SELECT a.grantee, pg_catalog.bool_or(a.is_grantable) AS grantable
                  FROM pg_catalog.aclexplode(saved) a GROUP BY a.grantee) s
               FULL JOIN (SELECT a.grantee, pg_catalog.bool_or(a.is_grantable) AS grantable
                            FROM pg_catalog.aclexplode(initial) a GROUP BY a.grantee) i ON i.grantee = s.grantee
         WHERE s.grantable IS DISTINCT FROM i.grantable
         ORDER BY 1
    LOOP
        EXECUTE pg_catalog.format(CASE WHEN g.saved IS NULL THEN 'REVOKE EXECUTE ON FUNCTION %s FROM %s'
                                       WHEN g.saved THEN 'GRANT EXECUTE ON FUNCTION %s TO %s WITH GRANT OPTION'
                                       WHEN g.initial THEN 'REVOKE GRANT OPTION FOR EXECUTE ON FUNCTION %s FROM %s'
                                       ELSE 'GRANT EXECUTE ON FUNCTION %s TO %s' END,
                                  '@extschema@.ingest(jsonb)',
                                  CASE WHEN g.grantee = 0 THEN 'PUBLIC' ELSE g.grantee::pg_catalog.regrole::text END);
    END LOOP;
    UPDATE pg_catalog.pg_init_privs SET initprivs = initial
     WHERE objoid = fn AND classoid = 'pg_catalog.pg_proc'::pg_catalog.regclass AND objsubid = 0;
    DELETE FROM pg_catalog.pg_shdepend d
     WHERE d.dbid = (SELECT db.oid FROM pg_catalog.pg_database db WHERE db.datname = pg_catalog.current_database())
       AND d.classid = 'pg_catalog.pg_proc'::pg_catalog.regclass AND d.objid = fn AND d.deptype = 'i'
       AND d.refobjid <> ALL (SELECT a.grantee FROM pg_catalog.aclexplode(initial) a
                              UNION SELECT a.grantor FROM pg_catalog.aclexplode(initial) a);
    PERFORM pg_catalog.set_config('pm_ingest.privileges', '', true);
END
$$;
