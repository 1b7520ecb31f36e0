-- Runs last: drops everything the suite created, so that make installcheck
-- leaves nothing behind in the server it ran against (setup.sql noted which
-- of the layer's cluster-wide roles existed before).
DROP EXTENSION platform_metrics_analytics, platform_metrics;
-- the schema CREATE EXTENSION made; fails if anything is left in it
DROP SCHEMA platform_metrics;
DROP SCHEMA pm_test CASCADE;
DO $$
DECLARE
    r text;
BEGIN
    FOREACH r IN ARRAY ARRAY['platform_metrics_reader', 'platform_metrics_writer'] LOOP
        IF NOT EXISTS (SELECT FROM public.pm_test_roles_before b WHERE b.rolname = r)
           AND EXISTS (SELECT FROM pg_roles WHERE rolname = r) THEN
            EXECUTE format('DROP ROLE %I', r);
        END IF;
    END LOOP;
END $$;
DROP TABLE public.pm_test_roles_before;

-- Nothing of the suite is left: no extension, no schema, no test role, and
-- the layer's roles only if they existed before the suite (expect no rows).
SELECT 'extension ' || extname AS left_behind FROM pg_extension WHERE extname LIKE 'platform\_metrics%'
UNION ALL
SELECT 'schema ' || nspname FROM pg_namespace WHERE nspname IN ('platform_metrics', 'pm_test')
UNION ALL
SELECT 'role ' || rolname FROM pg_roles WHERE rolname LIKE 'regress\_pm\_%'
UNION ALL
SELECT 'table ' || relname FROM pg_class WHERE relname LIKE 'pm\_test\_%';
