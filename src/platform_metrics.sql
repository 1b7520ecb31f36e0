-- platform_metrics: the statistics library.  Types, aggregates, operators and
-- scalar functions that work on anyone's tables; no tables, roles or views
-- (those are the analytics layer's, extension platform_metrics_analytics).
--
-- The Makefile builds the current install script, platform_metrics--VERSION.sql,
-- by concatenating this file and src/*.sql, one file per concept beside its C.
-- Upgrade scripts (src/upgrade) are written by hand and frozen.  Every object
-- lives in @extschema@ (platform_metrics) and every reference is
-- schema-qualified, so nothing here depends on the caller's search_path.

\echo Use "CREATE EXTENSION platform_metrics" to load this file. \quit

-- pm_schema_check(): refuses to go on unless the schema is the superusers'
-- alone.  Extension scripts run as a superuser with the schema on their
-- search_path, so an operator or function someone else placed there (say
-- "=" on two regclass values) would run with a superuser's rights, and a view
-- would capture it for good.  The schema must be owned by a superuser, grant
-- CREATE to no one else, and hold nothing owned by anyone else.  Called by
-- both install scripts before they create or adopt anything.
CREATE FUNCTION @extschema@.pm_schema_check() RETURNS void
    LANGUAGE plpgsql STABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
AS $fn$
DECLARE
    problems text;
    nsp oid := '@extschema@'::regnamespace;
BEGIN
    SELECT string_agg(p, '; ' ORDER BY p) INTO problems FROM (
        SELECT format('the schema is owned by %s', n.nspowner::regrole) AS p
          FROM pg_namespace n JOIN pg_roles r ON r.oid = n.nspowner
         WHERE n.oid = nsp AND NOT r.rolsuper
        UNION ALL
        SELECT format('CREATE on the schema is granted to %s',
                      CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE a.grantee::regrole::text END)
          FROM pg_namespace n, aclexplode(n.nspacl) a
         WHERE n.oid = nsp AND a.privilege_type = 'CREATE'
           AND NOT coalesce((SELECT r.rolsuper FROM pg_roles r WHERE r.oid = a.grantee), false)
        UNION ALL
        SELECT format('%s is owned by %s', pg_describe_object(o.classid, o.objid, 0), o.owner::regrole)
          FROM (SELECT 'pg_class'::regclass AS classid, oid AS objid, relowner AS owner FROM pg_class
                 WHERE relnamespace = nsp AND relkind NOT IN ('i', 'I', 't')
                UNION ALL SELECT 'pg_proc'::regclass, oid, proowner FROM pg_proc WHERE pronamespace = nsp
                UNION ALL SELECT 'pg_type'::regclass, oid, typowner FROM pg_type WHERE typnamespace = nsp
                UNION ALL SELECT 'pg_operator'::regclass, oid, oprowner FROM pg_operator WHERE oprnamespace = nsp
                UNION ALL SELECT 'pg_opfamily'::regclass, oid, opfowner FROM pg_opfamily WHERE opfnamespace = nsp
                UNION ALL SELECT 'pg_opclass'::regclass, oid, opcowner FROM pg_opclass WHERE opcnamespace = nsp
                UNION ALL SELECT 'pg_collation'::regclass, oid, collowner FROM pg_collation WHERE collnamespace = nsp
                UNION ALL SELECT 'pg_conversion'::regclass, oid, conowner FROM pg_conversion WHERE connamespace = nsp
                UNION ALL SELECT 'pg_ts_config'::regclass, oid, cfgowner FROM pg_ts_config WHERE cfgnamespace = nsp
                UNION ALL SELECT 'pg_ts_dict'::regclass, oid, dictowner FROM pg_ts_dict WHERE dictnamespace = nsp) o
          JOIN pg_roles r ON r.oid = o.owner
         WHERE NOT r.rolsuper) x;
    IF problems IS NOT NULL THEN
        RAISE EXCEPTION 'schema "%" is not safe to install platform_metrics into', nsp::regnamespace
            USING ERRCODE = '42501', DETAIL = problems || '.',
                  HINT = 'Only superusers may own the schema and the objects in it or create objects there: '
                      || 'drop or reassign those objects and revoke CREATE, then try again.';
    END IF;
END
$fn$;
COMMENT ON FUNCTION @extschema@.pm_schema_check() IS
    'Raises an error unless schema platform_metrics and everything in it belong to superusers (run by the install scripts)';
SELECT @extschema@.pm_schema_check();

-- The functions and types are for everyone who analyses the platform.
GRANT USAGE ON SCHEMA @extschema@ TO PUBLIC;
