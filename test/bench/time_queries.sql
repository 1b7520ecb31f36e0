-- Shared by the benchmarks (\ir from bench.sql and views.sql).
-- Each set of queries runs alternately, rotating the order every round, after a
-- warm-up; the median of the rounds is reported.
-- time_queries(queries, rounds): median milliseconds of each query, in order.
CREATE FUNCTION time_queries(queries text[], rounds int) RETURNS float8[] LANGUAGE plpgsql AS $$
DECLARE
    n int := array_length(queries, 1);
    t0 timestamptz;
    result float8[];
BEGIN
    CREATE TEMP TABLE IF NOT EXISTS bench_times (q int, ms float8);
    TRUNCATE bench_times;
    FOR i IN 1..n LOOP
        EXECUTE queries[i];                      -- warm-up: caches, plans
    END LOOP;
    FOR r IN 0..rounds - 1 LOOP
        FOR k IN 0..n - 1 LOOP
            DECLARE
                i int := (k + r) % n + 1;        -- rotate who goes first
            BEGIN
                t0 := clock_timestamp();
                EXECUTE queries[i];
                INSERT INTO bench_times VALUES (i, extract(epoch FROM clock_timestamp() - t0) * 1000);
            END;
        END LOOP;
    END LOOP;
    SELECT array_agg(m ORDER BY q) INTO result
      FROM (SELECT q, percentile_cont(0.5) WITHIN GROUP (ORDER BY ms) AS m FROM bench_times GROUP BY q) s;
    RETURN result;
END $$;
