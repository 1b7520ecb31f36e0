-- platform_metrics 1.0 -> 1.1: the + operator merges two stored values;
-- fixes from the security review of 1.0 (survey_comments, ingest() retries,
-- security barriers on every view); ingest() stores in key order (no deadlock).
-- Upgrade scripts only add or replace: never DROP and re-create a type or an
-- aggregate, which user views, columns and indexes depend on.
-- Every reference is schema-qualified (@extschema@ is platform_metrics).

\echo Use "ALTER EXTENSION platform_metrics UPDATE TO '1.1'" to load this file. \quit

-- ttv_sketch and cohort_matrix: combine, then the final function's compact
-- copy (the combine function leaves spare room for the next row).  The bodies
-- are parsed here, so they do not depend on the caller's search_path.
CREATE FUNCTION @extschema@.ttv_sketch_add(a @extschema@.ttv_sketch, b @extschema@.ttv_sketch)
    RETURNS @extschema@.ttv_sketch
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    RETURN @extschema@.ttv_sketch_ffunc(@extschema@.ttv_sketch_combine(a, b));
COMMENT ON FUNCTION @extschema@.ttv_sketch_add(@extschema@.ttv_sketch, @extschema@.ttv_sketch) IS
    'Merges two sketches of the same accuracy (the + operator)';

CREATE FUNCTION @extschema@.cohort_matrix_add(a @extschema@.cohort_matrix, b @extschema@.cohort_matrix)
    RETURNS @extschema@.cohort_matrix
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    RETURN @extschema@.cohort_matrix_ffunc(@extschema@.cohort_matrix_combine(a, b));
COMMENT ON FUNCTION @extschema@.cohort_matrix_add(@extschema@.cohort_matrix, @extschema@.cohort_matrix) IS
    'Merges two matrices of the same period (the + operator)';

CREATE OPERATOR @extschema@.+ (
    LEFTARG = @extschema@.nps_summary, RIGHTARG = @extschema@.nps_summary,
    FUNCTION = @extschema@.nps_summary_combine, COMMUTATOR = OPERATOR(@extschema@.+)
);
COMMENT ON OPERATOR @extschema@.+ (@extschema@.nps_summary, @extschema@.nps_summary) IS
    'sum of the counts, as rollup() of the two';

CREATE OPERATOR @extschema@.+ (
    LEFTARG = @extschema@.ttv_sketch, RIGHTARG = @extschema@.ttv_sketch,
    FUNCTION = @extschema@.ttv_sketch_add, COMMUTATOR = OPERATOR(@extschema@.+)
);
COMMENT ON OPERATOR @extschema@.+ (@extschema@.ttv_sketch, @extschema@.ttv_sketch) IS
    'merged sketch, as rollup() of the two';

CREATE OPERATOR @extschema@.+ (
    LEFTARG = @extschema@.ttv_curve, RIGHTARG = @extschema@.ttv_curve,
    FUNCTION = @extschema@.ttv_curve_combine, COMMUTATOR = OPERATOR(@extschema@.+)
);
COMMENT ON OPERATOR @extschema@.+ (@extschema@.ttv_curve, @extschema@.ttv_curve) IS
    'merged curve, as rollup() of the two';

CREATE OPERATOR @extschema@.+ (
    LEFTARG = @extschema@.cohort_matrix, RIGHTARG = @extschema@.cohort_matrix,
    FUNCTION = @extschema@.cohort_matrix_add, COMMUTATOR = OPERATOR(@extschema@.+)
);
COMMENT ON OPERATOR @extschema@.+ (@extschema@.cohort_matrix, @extschema@.cohort_matrix) IS
    'merged matrix, as rollup() of the two';

------------------------------------------------------------------------------
-- ingest(): onboarding retries (security review of 1.0)
------------------------------------------------------------------------------

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

------------------------------------------------------------------------------
-- Anonymity (security review of 1.0)
------------------------------------------------------------------------------

-- survey_comments in 1.0 let a reader's leakproof conditions (comment >= 'x')
-- run on the raw rows before the group-size check, so EXPLAIN ANALYZE (or the
-- query's timing) told whether a hidden comment matched a guess.  The comments
-- now come from a function the planner cannot look into: it decides which
-- groups are large enough and returns only their comments, whatever the
-- reader's query filters on.
CREATE FUNCTION @extschema@.pm_survey_comments(OUT wave text, OUT team text, OUT capability text, OUT comment text)
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

-- Every view is a security barrier: a reader's own function in a WHERE clause
-- runs only on the rows a view shows (1.0 left the usage views without it).
ALTER VIEW @extschema@.time_to_value SET (security_barrier = true);
ALTER VIEW @extschema@.capability_adoption SET (security_barrier = true);
ALTER VIEW @extschema@.capability_retention SET (security_barrier = true);
ALTER VIEW @extschema@.churned_teams SET (security_barrier = true);
ALTER VIEW @extschema@.post_launch_adoption SET (security_barrier = true);
ALTER VIEW @extschema@.feedback_loop SET (security_barrier = true);
ALTER VIEW @extschema@.unplanned_work_by_month SET (security_barrier = true);
