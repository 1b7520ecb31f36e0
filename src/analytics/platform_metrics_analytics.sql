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
