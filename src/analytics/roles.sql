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
