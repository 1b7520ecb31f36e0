-- What the fuzz driver (test/fuzz, make test-long) found, kept as regression tests.
SET search_path = public, platform_metrics;

-- A sketch of only zero durations has no buckets: its binary form (65 bytes)
-- was refused by receive, which counted one 8-byte field too many.
SELECT length(ttv_sketch_send(ttv_sketch(interval '0'))) AS bytes;
SELECT pm_test.recv_as(ttv_sketch_send(ttv_sketch(interval '0')), 'ttv_sketch') = ttv_sketch(interval '0')::text AS zero_sketch_round_trip;
SELECT pm_test.recv_as(ttv_sketch_send(s), 'ttv_sketch') = s::text AS sketch_round_trip
  FROM (SELECT ttv_sketch(make_interval(secs => i)) AS s FROM generate_series(0, 100) i) x;
-- one byte short is still refused
SELECT pm_test.error_of($$SELECT pm_test.recv_as(substring(ttv_sketch_send(ttv_sketch(interval '0')) from 1 for 64), 'ttv_sketch')$$);

-- The inverse transitions, called directly with a score or summary that was
-- never added, raised an internal error (XX000); now a user error.
SELECT pm_test.error_of($$SELECT nps_summary_inv('promoters=1 passives=0 detractors=0'::nps_summary, 5)$$);
SELECT pm_test.error_of($$SELECT nps_summary_inv('promoters=1 passives=0 detractors=0'::nps_summary,
                                                 'promoters=2 passives=0 detractors=0'::nps_summary)$$);
SELECT nps_summary_inv('promoters=1 passives=0 detractors=0'::nps_summary, 10) AS removed_one;

-- pm_ingest_validate on anything but an array (ingest() checks first; a direct
-- call raised an internal error)
SELECT pm_test.error_of(format('SELECT pm_ingest_validate(%L::jsonb)', j)) FROM unnest(ARRAY['{}', 'null', '"x"', '1']) j;
