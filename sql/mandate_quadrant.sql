-- The Mandate-Choice matrix: the mandate_quadrant type and its functions.
SET search_path = public, platform_metrics;

-- The four values, their order and what to do about each
SELECT q, is_mandatory(q), has_good_experience(q), recommended_action(q)
  FROM unnest('{optional_poor,mandatory_poor,optional_good,mandatory_good}'::mandate_quadrant[]) q
 ORDER BY q;

-- Input is case-insensitive and takes - for _
SELECT 'Mandatory-Good'::mandate_quadrant, 'OPTIONAL_poor'::mandate_quadrant, 'optional-GOOD'::mandate_quadrant;
-- anything else is refused with 22P02 and a hint listing the four values
SELECT pm_test.error_of(format('SELECT %L::platform_metrics.mandate_quadrant', t)) AS error
  FROM unnest(ARRAY['invest', 'mandatory', '', 'mandatory__good', 'mandatory good', 'optional_good!',
                    ' optional_poor', 'optional_poor ']) t;

-- Comparison operators follow mandatory_good < mandatory_poor < optional_good < optional_poor
SELECT a, b, a < b AS lt, a <= b AS le, a = b AS eq, a <> b AS ne, a >= b AS ge, a > b AS gt
  FROM (VALUES ('mandatory_good'::mandate_quadrant, 'mandatory_poor'::mandate_quadrant),
               ('optional_good', 'optional_good'), ('optional_poor', 'mandatory_poor')) v(a, b);

-- btree index, hash index, hash aggregation, hash join, merge join
CREATE TEMP TABLE caps AS
SELECT i AS id, (ARRAY['mandatory_good', 'mandatory_poor', 'optional_good', 'optional_poor'])[1 + i % 4]::mandate_quadrant AS q
  FROM generate_series(1, 4000) i;
CREATE INDEX caps_q ON caps (q);
CREATE INDEX caps_q_hash ON caps USING hash (q);
ANALYZE caps;
SET enable_seqscan = off;
SET enable_bitmapscan = off;
EXPLAIN (COSTS OFF) SELECT count(*) FROM caps WHERE q >= 'optional_good';
SELECT count(*) FROM caps WHERE q >= 'optional_good';
SET enable_indexscan = off;
SET enable_indexonlyscan = off;
SET enable_bitmapscan = on;
DROP INDEX caps_q;
EXPLAIN (COSTS OFF) SELECT count(*) FROM caps WHERE q = 'optional_poor';
RESET enable_indexscan;
RESET enable_indexonlyscan;
RESET enable_bitmapscan;
RESET enable_seqscan;
SET enable_sort = off;
EXPLAIN (COSTS OFF) SELECT q, count(*) FROM caps GROUP BY q;
SELECT q, count(*) FROM caps GROUP BY q ORDER BY q;
RESET enable_sort;
CREATE TEMP TABLE actions AS
SELECT q, recommended_action(q) AS action
  FROM unnest('{mandatory_good,mandatory_poor,optional_good,optional_poor}'::mandate_quadrant[]) q;
ANALYZE actions;
SET enable_mergejoin = off;
SET enable_nestloop = off;
EXPLAIN (COSTS OFF) SELECT action, count(*) FROM caps JOIN actions USING (q) GROUP BY action;
SELECT action, count(*) FROM caps JOIN actions USING (q) GROUP BY action ORDER BY action;
SET enable_hashjoin = off;
SET enable_mergejoin = on;
EXPLAIN (COSTS OFF) SELECT action, count(*) FROM caps JOIN actions USING (q) GROUP BY action;
SELECT action, count(*) FROM caps JOIN actions USING (q) GROUP BY action ORDER BY action;
RESET ALL;
SET search_path = public, platform_metrics;
SELECT DISTINCT q FROM caps ORDER BY q DESC;
DROP TABLE caps, actions;

-- Classification by a number: good means experience >= threshold
SELECT mandatory, experience, threshold, mandate_quadrant(mandatory, experience, threshold)
  FROM (VALUES (true, 54.0, 30.0), (true, 12.0, 30.0), (false, 54.0, 30.0), (false, 12.0, 30.0),
               (true, 30.0, 30.0), (false, -100.0, -100.0), (true, 'Infinity', 100.0)) v(mandatory, experience, threshold);
SELECT mandate_quadrant(NULL, 54, 30) IS NULL AS null_mandatory, mandate_quadrant(true, NULL::float8, 30) IS NULL AS null_experience,
       mandate_quadrant(true, 54, NULL) IS NULL AS null_threshold, mandate_quadrant(true, NULL::float8) IS NULL AS null_two_args;
SELECT pm_test.error_of(q) AS error FROM unnest(ARRAY[
    $$SELECT platform_metrics.mandate_quadrant(true, 'NaN'::float8, 30)$$,
    $$SELECT platform_metrics.mandate_quadrant(true, 40, 'NaN')$$]) q;

-- The threshold setting: 30 by default, so NPS 12 reads as poor and 54 as good
SHOW platform_metrics.good_experience_nps;
SELECT mandate_quadrant(true, 12) AS nps_12, mandate_quadrant(true, 54) AS nps_54, mandate_quadrant(false, 30) AS nps_30;
SET platform_metrics.good_experience_nps = 60;
SELECT mandate_quadrant(true, 54) AS nps_54_against_60;
RESET platform_metrics.good_experience_nps;
SELECT pm_test.error_of($$SET platform_metrics.good_experience_nps = 101$$) AS error;
-- The prefix is reserved (a misspelt setting is an error) once the analytics
-- layer's module is loaded, which defines its settings first; calling one of
-- its functions loads it.
SELECT platform_metrics.min_group_size() AS min_group_size;
SELECT pm_test.error_of($$SET platform_metrics.no_such_setting = 1$$) AS error;
-- per role: settings of a role apply at its next login
CREATE ROLE regress_pm_analyst LOGIN;
ALTER ROLE regress_pm_analyst SET platform_metrics.good_experience_nps = 50;
SELECT current_user AS original_user \gset
\c - regress_pm_analyst
SHOW platform_metrics.good_experience_nps;
SELECT platform_metrics.mandate_quadrant(false, 45) AS nps_45_against_50;
\c - :original_user
DROP ROLE regress_pm_analyst;
-- a value set before the library is loaded is taken up when it loads
\c
SET platform_metrics.good_experience_nps = 10;
SELECT platform_metrics.mandate_quadrant(true, 12) AS nps_12_against_10;
SET search_path = public, platform_metrics;
RESET platform_metrics.good_experience_nps;

-- Classification by an NPS summary's 95% interval: NULL (insufficient evidence)
-- when the interval contains the threshold.
--   60/30/10 (NPS 50, n 100): interval [35.5, 61.6], all above 30 -> good
--     (p' = 60.75/103, d' = 10.75/103, centre 48.5, margin 1.96 * 100 * sqrt(0.4586/103) = 13.1)
--   3/1/1 (NPS 40, n 5): p' = 3.75/8, d' = 1.75/8, centre 25,
--     margin 196 * sqrt((0.6875 - 0.0625)/8) = 54.8: [-29.8, 79.8] contains 30 -> NULL
--   10/30/60 (NPS -50, n 100): the mirror image of 60/30/10, [-61.6, -35.5] -> poor
SELECT s, round(low::numeric, 1) AS low, round(high::numeric, 1) AS high,
       mandate_quadrant(true, s::nps_summary) AS mandatory, mandate_quadrant(false, s::nps_summary, 30) AS optional
  FROM (VALUES ('promoters=60 passives=30 detractors=10'), ('promoters=3 passives=1 detractors=1'),
               ('promoters=10 passives=30 detractors=60')) v(s),
       LATERAL nps_ci(s::nps_summary);
-- a lower confidence narrows the interval: 33/10/7 (NPS 52, n 50) against 40
SELECT c AS confidence, mandate_quadrant(false, 'promoters=33 passives=10 detractors=7'::nps_summary, 40, c)
  FROM unnest(ARRAY[0.5, 0.95]) c;
-- no responses: insufficient evidence
SELECT mandate_quadrant(true, 'promoters=0 passives=0 detractors=0'::nps_summary) IS NULL AS empty_is_null;
-- Against the plain-SQL interval on 300 pseudo-random summaries and thresholds
SELECT setseed(0.77);
SELECT count(*) AS checked,
       count(*) FILTER (WHERE got IS DISTINCT FROM want) AS differences,
       count(*) FILTER (WHERE got IS NULL) AS insufficient_evidence
  FROM (SELECT (random() * 40)::bigint p, (random() * 20)::bigint pa, (random() * 40)::bigint + 1 d,
               (random() * 160 - 80)::float8 t, random() < 0.5 m
          FROM generate_series(1, 300)) r,
       LATERAL (SELECT mandate_quadrant(m, format('promoters=%s passives=%s detractors=%s', p, pa, d)::nps_summary, t) AS got) g,
       LATERAL pm_test.ref_ci(p, pa, d, 1.9599639845400538, NULL) ref,
       LATERAL (SELECT CASE WHEN ref.low > t THEN mandate_quadrant(m, 1, 0)
                            WHEN ref.high < t THEN mandate_quadrant(m, -1, 0) END AS want) w;
SELECT pm_test.error_of(q) AS error FROM unnest(ARRAY[
    $$SELECT platform_metrics.mandate_quadrant(true, 'promoters=1 passives=1 detractors=1'::platform_metrics.nps_summary, 30, 1.0)$$,
    $$SELECT platform_metrics.mandate_quadrant(true, 'promoters=1 passives=1 detractors=1'::platform_metrics.nps_summary, 'NaN')$$]) q;

