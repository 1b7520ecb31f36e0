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
