-- adopted_privileges.sql: the last part of the install script.  Objects
-- adopted from a 1.x database (platform_metrics_analytics.sql) get back the
-- privileges they had, with the grants and revokes their users made; the
-- scripts' own GRANTs stay recorded as the initial privileges, as in a fresh
-- install, so pg_dump keeps exactly what users changed.  On the tables whose
-- writer and admin privileges 1.3 narrowed or added (teams, capabilities,
-- onboarding, feedback), those two roles get this version's privileges
-- instead of the old ones, the writer without any it had lost.
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

-- (since 1.5, after the privileges adopted above, which may hold the
-- table-wide INSERT of older versions)
-- The writer inserts every column but seq (an explicit number at or below
-- the watermark would never be counted; OVERRIDING SYSTEM VALUE and a COPY
-- naming seq are refused).  A writer whose INSERT was revoked stays so.
DO $$
BEGIN
    IF EXISTS (SELECT FROM pg_catalog.pg_class c, pg_catalog.aclexplode(c.relacl) a
                WHERE c.oid = '@extschema@.usage_events'::regclass AND a.privilege_type = 'INSERT'
                  AND a.grantee = 'platform_metrics_writer'::regrole) THEN
        REVOKE INSERT ON @extschema@.usage_events FROM platform_metrics_writer;
        GRANT INSERT (event_id, team, capability, occurred_at, kind) ON @extschema@.usage_events
            TO platform_metrics_writer;
    END IF;
END
$$;
