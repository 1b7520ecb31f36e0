-- What the fuzz driver (test/fuzz, make test-long) found, kept as regression tests.
SET search_path = public, platform_metrics;

-- A sketch of only zero durations has no buckets: its binary form (65 bytes)
-- was refused by receive, which counted one 8-byte field too many.
SELECT length(ttv_sketch_send(ttv_sketch(interval '0'))) AS bytes;
CREATE TEMP TABLE recv_cases AS
SELECT 'zeros only' AS what, ttv_sketch_send(ttv_sketch(interval '0')) AS bytes
UNION ALL
(SELECT '0 to ' || i || ' seconds', ttv_sketch_send(ttv_sketch(make_interval(secs => j)))
   FROM generate_series(0, 100, 10) i, LATERAL generate_series(0, i) j GROUP BY i ORDER BY i)
UNION ALL
-- one byte short is still refused
SELECT 'zeros only, one byte short', substring(ttv_sketch_send(ttv_sketch(interval '0')) from 1 for 64);
CREATE TEMP TABLE sent AS SELECT what, bytes FROM recv_cases;
\set recv_type platform_metrics.ttv_sketch
\i test/recv.psql
-- every well-formed one comes back as sent, the short one not at all
SELECT s.what, ttv_sketch_send(r.v) = s.bytes AS round_trip
  FROM sent s LEFT JOIN recv_into r USING (what) ORDER BY r.recv_n NULLS LAST;
DROP TABLE recv_cases, recv_into, sent;
-- The inverse transitions, called directly with a score or summary that was
-- never added, raised an internal error (XX000); now a user error.
SELECT pm_test.error_of($$SELECT nps_summary_inv('promoters=1 passives=0 detractors=0'::nps_summary, 5)$$);
SELECT pm_test.error_of($$SELECT nps_summary_inv('promoters=1 passives=0 detractors=0'::nps_summary,
                                                 'promoters=2 passives=0 detractors=0'::nps_summary)$$);
SELECT nps_summary_inv('promoters=1 passives=0 detractors=0'::nps_summary, 10) AS removed_one;

-- pm_ingest_validate on anything but an array (ingest() checks first; a direct
-- call raised an internal error)
SELECT pm_test.error_of(format('SELECT pm_ingest_validate(%L::jsonb)', j)) FROM unnest(ARRAY['{}', 'null', '"x"', '1']) j;
