-- adopted_privileges.sql: the last part of the install script.  Objects
-- adopted from a 1.x database (platform_metrics_analytics.sql) get back the
-- privileges they had, with the grants and revokes their users made; the
-- scripts' own GRANTs stay recorded as the initial privileges, as in a fresh
-- install, so pg_dump keeps exactly what users changed.  On the tables whose
-- writer and admin privileges 1.3 narrowed or added (teams, capabilities,
-- onboarding, feedback), those two roles get this version's privileges
-- instead of the old ones.
DO $restore$
DECLARE
    o jsonb;
    merged boolean;
    roles CONSTANT text[] := ARRAY['platform_metrics_writer', 'platform_metrics_admin'];
    -- the saved items of other grantees, with the two roles' items now in force
    merge CONSTANT text := $m$
        SELECT pg_catalog.array_agg(i.item)
          FROM (SELECT s.item FROM pg_catalog.unnest($1) AS s(item)
                 WHERE pg_catalog.split_part(s.item::text, '=', 1) OPERATOR(pg_catalog.<>) ALL ($3)
                UNION ALL
                SELECT c.item FROM pg_catalog.unnest($2) AS c(item)
                 WHERE pg_catalog.split_part(c.item::text, '=', 1) OPERATOR(pg_catalog.=) ANY ($3)) i$m$;
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
                                                WHERE c.oid OPERATOR(pg_catalog.=) (o ->> 'rel')::oid), roles;
        END IF;
        UPDATE pg_catalog.pg_class SET relacl = acl WHERE oid OPERATOR(pg_catalog.=) (o ->> 'rel')::oid;
        FOR col IN SELECT a.attnum, (o -> 'columns' ->> a.attnum::text)::aclitem[] AS saved, a.attacl
                     FROM pg_catalog.pg_attribute a
                    WHERE a.attrelid OPERATOR(pg_catalog.=) (o ->> 'rel')::oid
                      AND (o -> 'columns' ? a.attnum::text OR (merged AND a.attacl IS NOT NULL))
        LOOP
            acl := col.saved;
            IF merged THEN
                EXECUTE merge INTO acl USING col.saved, col.attacl, roles;
            END IF;
            UPDATE pg_catalog.pg_attribute SET attacl = acl
             WHERE attrelid OPERATOR(pg_catalog.=) (o ->> 'rel')::oid AND attnum OPERATOR(pg_catalog.=) col.attnum;
        END LOOP;
    END LOOP;
    PERFORM pg_catalog.set_config('pm_adopt.privileges', '', true);
END
$restore$;
