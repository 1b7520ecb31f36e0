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
BEGIN
    FOR obj IN
        SELECT o.kind, o.ident
          FROM (SELECT v.kind, '@extschema@.' || v.name AS ident,
                       CASE WHEN v.kind = 'FUNCTION' THEN 'pg_proc'::pg_catalog.regclass
                            ELSE 'pg_class'::pg_catalog.regclass END AS classid,
                       CASE WHEN v.kind = 'FUNCTION'
                            THEN pg_catalog.to_regprocedure('@extschema@.' || v.name)::oid
                            ELSE pg_catalog.to_regclass('@extschema@.' || v.name)::oid END AS objid
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
          LEFT JOIN pg_catalog.pg_class c ON o.classid = 'pg_class'::pg_catalog.regclass AND c.oid = o.objid
          LEFT JOIN pg_catalog.pg_proc p ON o.classid = 'pg_proc'::pg_catalog.regclass AND p.oid = o.objid
         WHERE o.objid IS NOT NULL
           AND coalesce(c.relkind = CASE o.kind WHEN 'TABLE' THEN 'r' ELSE 'v' END, true)
           AND coalesce(c.relowner, p.proowner) =
               (SELECT e.extowner FROM pg_catalog.pg_extension e WHERE e.extname = 'platform_metrics')
           AND NOT EXISTS (SELECT FROM pg_catalog.pg_depend d
                            WHERE d.classid = o.classid AND d.objid = o.objid AND d.deptype = 'e')
    LOOP
        EXECUTE pg_catalog.format('ALTER EXTENSION platform_metrics_analytics ADD %s %s', obj.kind, obj.ident);
    END LOOP;
END
$adopt$;
