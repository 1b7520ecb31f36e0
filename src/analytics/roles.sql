-- roles.sql: the writer, admin and reader roles and the writer's and admin's grants

-- Roles: created when absent, NOLOGIN, to be granted to login roles.
DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = 'platform_metrics_writer') THEN
        CREATE ROLE platform_metrics_writer NOLOGIN;
    END IF;
    IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = 'platform_metrics_reader') THEN
        CREATE ROLE platform_metrics_reader NOLOGIN;
    END IF;
    IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = 'platform_metrics_admin') THEN
        CREATE ROLE platform_metrics_admin NOLOGIN;
    END IF;
END
$$;
-- The writer inserts raw rows (INSERT, COPY; usage_events: every column but
-- seq, summaries.sql narrows the grant) and completes onboarding and
-- feedback rows (the completion columns only, reading just what its WHERE
-- needs); it registers nothing, deletes nothing, reads no survey row and no view.
GRANT INSERT ON @extschema@.survey_responses, @extschema@.usage_events, @extschema@.onboarding,
    @extschema@.feedback, @extschema@.unplanned_work
    TO platform_metrics_writer;
GRANT SELECT (subject, milestone, reached_at), UPDATE (reached_at) ON @extschema@.onboarding
    TO platform_metrics_writer;
GRANT SELECT (feedback_id, synthesized_at, theme, acted_at, communicated_at),
    UPDATE (synthesized_at, theme, acted_at, communicated_at) ON @extschema@.feedback
    TO platform_metrics_writer;
-- The admin registers teams, capabilities, survey waves and questions, and
-- closes waves.
GRANT SELECT, INSERT, UPDATE ON @extschema@.teams, @extschema@.capabilities, @extschema@.survey_waves,
    @extschema@.survey_questions
    TO platform_metrics_admin;
-- The reader reads the question catalogue (wording, scale, dimension) beside
-- the views; it holds no answer.
GRANT SELECT ON @extschema@.survey_questions TO platform_metrics_reader;
