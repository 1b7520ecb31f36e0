-- Runs first: both extensions, test helpers, and catalog checks that hold for
-- every object.  teardown, which runs last, drops what this suite created.

-- The layer's roles are cluster-wide: note whether they exist already, so
-- that teardown drops them only if this run created them.  Roles this suite
-- creates carry a comment that says so, so that a run interrupted before its
-- teardown does not make the next run take them for the server's own.
CREATE TABLE public.pm_test_roles_before AS
SELECT rolname FROM pg_roles
 WHERE rolname IN ('platform_metrics_reader', 'platform_metrics_writer')
   AND shobj_description(oid, 'pg_authid') IS DISTINCT FROM 'created by the platform_metrics regression suite';
CREATE EXTENSION platform_metrics_analytics CASCADE;
DO $$
DECLARE
    r text;
BEGIN
    FOR r IN SELECT rolname FROM pg_roles
              WHERE rolname IN ('platform_metrics_reader', 'platform_metrics_writer')
                AND rolname NOT IN (SELECT rolname FROM public.pm_test_roles_before) LOOP
        EXECUTE format('COMMENT ON ROLE %I IS %L', r, 'created by the platform_metrics regression suite');
    END LOOP;
END $$;

CREATE SCHEMA pm_test;
GRANT USAGE ON SCHEMA pm_test TO PUBLIC;   -- the role tests call the helpers as those roles

-- error_of(query): runs the query and returns 'SQLSTATE: message' with its
-- detail and hint, or 'no error'.  Keeps expected output free of C line numbers.
CREATE FUNCTION pm_test.error_of(query text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
    st text; msg text; det text; hnt text;
BEGIN
    EXECUTE query;
    RETURN 'no error';
EXCEPTION WHEN OTHERS THEN
    GET STACKED DIAGNOSTICS st = RETURNED_SQLSTATE, msg = MESSAGE_TEXT,
                            det = PG_EXCEPTION_DETAIL, hnt = PG_EXCEPTION_HINT;
    RETURN st || ': ' || msg
        || coalesce(E'\nDETAIL: ' || nullif(det, ''), '')
        || coalesce(E'\nHINT: ' || nullif(hnt, ''), '');
END $$;

-- A reference implementation in plain SQL, independent of the C code.
-- Adjusted Wald (Rocks 2016): add 0.75 promoter, 1.5 passive, 0.75 detractor;
-- p' = (P + 0.75) / (n + 3), d' = (D + 0.75) / (n + 3);
-- centre 100 (p' - d'), margin 100 z sqrt(((p' + d') - (p' - d')^2) / (n + 3)),
-- times sqrt((N - n) / (N - 1)) for a population of N; clipped to [-100, 100];
-- the margin is the clipped interval's half-width.
CREATE FUNCTION pm_test.ref_ci(p bigint, pa bigint, d bigint, z float8, pop bigint,
                               OUT low float8, OUT high float8, OUT margin float8)
LANGUAGE sql AS $$
    SELECT greatest(-100, c - m), least(100, c + m), (least(100, c + m) - greatest(-100, c - m)) / 2
      FROM (SELECT 100 * (ap - ad) AS c,
                   100 * z * sqrt(((ap + ad) - (ap - ad) ^ 2) / na)
                       * coalesce(sqrt((pop - n) / (pop - 1.0)), 1) AS m
              FROM (SELECT (p + 0.75) / (n + 3) AS ap, (d + 0.75) / (n + 3) AS ad, n + 3 AS na, n
                      FROM (SELECT (p + pa + d)::float8 AS n) x) y) w
$$;

-- input_error(value, type): 'valid', or 'SQLSTATE: message' of why the type's
-- input function refuses the value.  From PostgreSQL 16 on through
-- pg_input_is_valid() and pg_input_error_info(), which need the input function
-- to report the error softly instead of throwing; on 15 through a caught error.
CREATE FUNCTION pm_test.input_error(value text, typ regtype) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
    r text;
BEGIN
    IF current_setting('server_version_num')::int >= 160000 THEN
        EXECUTE 'SELECT CASE WHEN pg_input_is_valid($1, $2) THEN ''valid''
                        ELSE (SELECT e.sql_error_code || '': '' || e.message FROM pg_input_error_info($1, $2) e) END'
           INTO r USING value, typ::text;
        RETURN r;
    END IF;
    r := pm_test.error_of(format('SELECT %L::%s', value, typ));
    RETURN CASE WHEN r = 'no error' THEN 'valid' ELSE split_part(r, E'\n', 1) END;
END $$;

-- force_parallel(): make the planner choose a parallel plan with two workers
-- and no leader participation, for the rest of the session (RESET ALL undoes it).
CREATE FUNCTION pm_test.force_parallel() RETURNS void LANGUAGE sql AS $$
    SELECT set_config('max_parallel_workers_per_gather', '2', false),
           set_config('parallel_setup_cost', '0', false),
           set_config('parallel_tuple_cost', '0', false),
           set_config('min_parallel_table_scan_size', '0', false),
           set_config('parallel_leader_participation', 'off', false);
$$;

-- Both extensions live in schema platform_metrics; the layer requires the library.
SELECT extname, extversion, nspname AS schema,
       (SELECT array_agg(r.extname) FROM pg_depend d JOIN pg_extension r ON r.oid = d.refobjid
         WHERE d.classid = 'pg_extension'::regclass AND d.objid = e.oid AND d.refclassid = 'pg_extension'::regclass) AS requires
  FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace
 WHERE extname LIKE 'platform\_metrics%' ORDER BY 1;

-- Every object of the extensions carries a COMMENT (expect no rows).  The
-- row types of tables and views and the automatic array types, which
-- PostgreSQL 17 and later record as members too, are implicit: not checked.
SELECT pg_describe_object(d.classid, d.objid, 0) AS undocumented
  FROM pg_depend d
 WHERE d.refclassid = 'pg_extension'::regclass
   AND d.refobjid IN (SELECT oid FROM pg_extension WHERE extname IN ('platform_metrics', 'platform_metrics_analytics'))
   AND d.deptype = 'e'
   AND obj_description(d.objid, (SELECT relname FROM pg_class WHERE oid = d.classid)) IS NULL
   AND NOT EXISTS (SELECT FROM pg_type t
                    WHERE d.classid = 'pg_type'::regclass AND t.oid = d.objid
                      AND (t.typrelid <> 0
                           OR EXISTS (SELECT FROM pg_type e WHERE e.typarray = t.oid)))
 ORDER BY 1;

-- Every function is PARALLEL SAFE but the triggers, ingest() and refresh(),
-- which write or wait, and the wait refresh() calls (expect only those).
SELECT p.oid::regprocedure AS not_parallel_safe
  FROM pg_proc p JOIN pg_depend d ON d.objid = p.oid AND d.classid = 'pg_proc'::regclass
 WHERE d.refobjid IN (SELECT oid FROM pg_extension WHERE extname IN ('platform_metrics', 'platform_metrics_analytics'))
   AND d.deptype = 'e' AND p.proparallel <> 's'
 ORDER BY 1;

-- Every aggregate can run in parallel plans: a combine function, and for an
-- internal state serialize/deserialize functions (expect no rows).
SELECT a.aggfnoid::regprocedure AS not_parallel_combinable
  FROM pg_aggregate a JOIN pg_depend d ON d.objid = a.aggfnoid AND d.classid = 'pg_proc'::regclass
 WHERE d.refobjid IN (SELECT oid FROM pg_extension WHERE extname IN ('platform_metrics', 'platform_metrics_analytics'))
   AND (a.aggcombinefn = 0
        OR (a.aggtranstype = 'internal'::regtype AND (a.aggserialfn = 0 OR a.aggdeserialfn = 0)))
 ORDER BY 1;

-- The aggregates whose state is internal (every value is kept, so it cannot
-- be shipped as a small text value): exact and Kaplan-Meier percentiles,
-- Cronbach's alpha.  Everything else keeps a real SQL type as its state.
SELECT a.aggfnoid::regprocedure AS internal_state
  FROM pg_aggregate a JOIN pg_depend d ON d.objid = a.aggfnoid AND d.classid = 'pg_proc'::regclass
 WHERE d.refobjid IN (SELECT oid FROM pg_extension WHERE extname IN ('platform_metrics', 'platform_metrics_analytics'))
   AND a.aggtranstype = 'internal'::regtype
 ORDER BY 1;
-- Every aggregate whose result is one of the library's stored types keeps
-- that type as its state (ttv_curve since 1.8), so that a partial aggregate
-- can be handed on in the type's text form: Citus runs those on its workers.
SELECT a.aggfnoid::regprocedure AS stored_result, a.aggtranstype::regtype AS state
  FROM pg_aggregate a JOIN pg_proc p ON p.oid = a.aggfnoid
  JOIN pg_depend d ON d.objid = a.aggfnoid AND d.classid = 'pg_proc'::regclass
 WHERE d.refobjid = (SELECT oid FROM pg_extension WHERE extname = 'platform_metrics')
   AND p.prorettype IN (SELECT t.oid FROM pg_type t JOIN pg_depend td ON td.objid = t.oid AND td.classid = 'pg_type'::regclass
                         WHERE td.refobjid = (SELECT oid FROM pg_extension WHERE extname = 'platform_metrics') AND t.typtype = 'b')
   AND a.aggtranstype <> p.prorettype
 ORDER BY 1;
-- ... and no transition function of them shares its C function with another
-- member type's: each knows its argument types without the call's expression
-- (Citus's worker_partial_agg() calls it without one).
SELECT p.prosrc, count(DISTINCT p.proargtypes[1]) AS member_types
  FROM pg_aggregate a JOIN pg_proc p ON p.oid = a.aggtransfn
  JOIN pg_depend d ON d.objid = a.aggfnoid AND d.classid = 'pg_proc'::regclass
 WHERE d.refobjid = (SELECT oid FROM pg_extension WHERE extname = 'platform_metrics')
   AND a.aggtranstype <> 'internal'::regtype
 GROUP BY p.prosrc HAVING count(DISTINCT p.proargtypes[1]) > 1;
