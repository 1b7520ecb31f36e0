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

-- A period near the longest interval with an as_of near the last timestamp:
-- the period index's exact correction multiplied q * period in 64 bits,
-- overflowed and looped for ever, deaf to statement_timeout.  Now it is
-- computed in 128 bits; listing members whose period starts cannot be
-- represented is a clean error.
SELECT count(*) AS churned FROM cohort_churned('period="PT2562047H47M16.854776S" time_zone="UTC" member_type=bigint {"-13":0:110100111,"-6":-1308:1100110101111011,"1":-1306:11100000110000101101}'::cohort_matrix,
                                              2147483647, '294276-12-31 23:59:59.999999+00');
SELECT pm_test.error_of($$SELECT * FROM platform_metrics.cohort_churned('period="PT2562047H47M16.854776S" time_zone="UTC" member_type=bigint {"-13":0:110100111,"-6":-1308:1100110101111011,"1":-1306:11100000110000101101}'::platform_metrics.cohort_matrix,
                                                                        0, '294276-12-31 23:59:59.999999+00')$$);
SELECT churn_cohort(m, t, '2562047h 47m 16.854776s') AS longest_period
  FROM (VALUES ('a', '294276-12-31 23:59:59+00'::timestamptz), ('b', '4713-01-01 00:00:00+00 BC'::timestamptz)) v(m, t);

-- likert_summary_sfunc checked each point's count against the bigint maximum,
-- not the total: called directly (or from an aggregate with an initial state)
-- on a summary whose responses already add up to the maximum over several
-- points, it returned one of -9223372036854775808 responses that the type's
-- own text input refuses (the fuzz driver's read-back check).  Now 22003, as
-- combining such summaries is.
SELECT pm_test.error_of($$SELECT likert_summary_sfunc('low=1 high=2 counts={9223372036854775807,0}'::likert_summary, 2, 1, 2)$$);
SELECT pm_test.error_of($$SELECT likert_summary_sfunc('low=1 high=5 counts={0,0,0,0,9223372036854775807}'::likert_summary, 1, 1, 5)$$);
CREATE AGGREGATE pg_temp.likert_summary_from_full(integer, integer, integer) (
    SFUNC = likert_summary_sfunc, STYPE = likert_summary, FINALFUNC = likert_summary_ffunc,
    INITCOND = 'low=1 high=2 counts={4611686018427387903,4611686018427387904}');
SELECT pm_test.error_of($$SELECT pg_temp.likert_summary_from_full(s, 1, 2) FROM (VALUES (1)) v(s)$$);
-- one below the maximum still counts one more
SELECT likert_summary_sfunc('low=1 high=2 counts={9223372036854775806,0}'::likert_summary, 2, 1, 2) AS one_more;
DROP AGGREGATE pg_temp.likert_summary_from_full(integer, integer, integer);

-- mean_score of more than 2^53 answers, all but one at the highest point,
-- came out a unit in the last place above the scale (11.000000000000002 on
-- 1..11; mean_ci centred there too).  The mean is kept within the scale now.
SELECT s, mean_score(s) AS mean, mean_score(s) BETWEEN lo AND hi AS within_scale, (mean_ci(s)).*
  FROM (VALUES ('low=1 high=11 counts={0,0,0,0,0,0,0,0,0,1,9007199254740993}'::likert_summary, 1, 11),
               ('low=2147483646 high=2147483647 counts={1,9007199254740993}', 2147483646, 2147483647),
               ('low=-2147483648 high=-2147483647 counts={9007199254740993,1}', -2147483648, -2147483647),
               ('low=1 high=5 counts={3,0,2,7,1}', 1, 5)) v(s, lo, hi);

-- Cronbach's alpha of items every respondent answers alike is 1, but rounding
-- gave 1.0000000000000002 for seven items, and Feldt's interval around it
-- came out (1.000000000000001, 1), its low end above its high end.  Alpha is
-- at most 1 now (the fuzz driver's Cronbach rows now have such respondents).
SELECT k, cronbach_alpha(s, i, x), (cronbach_alpha_ci(s, i, x, 0.95)).*
  FROM (SELECT k, 's' || r AS s, 'q' || j AS i, (1 + r % 5)::float8 AS x
          FROM generate_series(2, 9) k, generate_series(1, 3) r, generate_series(1, k) j) t
 GROUP BY k ORDER BY k;
