-- Survey items beyond NPS: likert_summary, its aggregates, accessors,
-- intervals and tests (likert.c); bh_adjust and cronbach_alpha have their own files.
SET search_path = public, platform_metrics;
SET extra_float_digits = 0;

-- Two-sided normal p-value for the plain-SQL references, by Abramowitz and
-- Stegun 7.1.26 (erfc to 1.5e-7), independent of the C code.
CREATE FUNCTION pg_temp.two_sided_p(z float8) RETURNS float8 LANGUAGE sql IMMUTABLE AS $$
    SELECT t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))))
           * exp(-x * x)
      FROM (SELECT abs(z) / sqrt(2) AS x) a, LATERAL (SELECT 1 / (1 + 0.3275911 * x) AS t) b
$$;

-- Hand-worked: scores 5 4 4 3 1 5 and a NULL on 1..5:
--   counts {1,0,1,2,2}, 6 responses, mean (1 + 3 + 8 + 10) / 6 = 3.6667,
--   favourable (4 or 5) 4 of 6 = 0.6667
CREATE TEMP TABLE items (wave text, team text, item text, score integer);
INSERT INTO items VALUES
    ('w1', 'a', 'docs', 5), ('w1', 'a', 'docs', 4), ('w1', 'b', 'docs', 4), ('w1', 'b', 'docs', 3),
    ('w1', 'c', 'docs', 1), ('w1', 'c', 'docs', 5), ('w1', 'c', 'docs', NULL),
    ('w1', 'a', 'speed', 2), ('w1', 'b', 'speed', 7), ('w1', 'c', 'speed', 6);
SELECT likert_summary(score, 1, 5) AS s, responses(likert_summary(score, 1, 5)),
       round(mean_score(likert_summary(score, 1, 5))::numeric, 4) AS mean,
       distribution(likert_summary(score, 1, 5)),
       round(favorable_share(likert_summary(score, 1, 5), 4)::numeric, 4) AS favorable
  FROM items WHERE item = 'docs';
-- each item on its own scale: docs on 1..5, speed on 1..7
SELECT item, likert_summary(score, 1, CASE item WHEN 'docs' THEN 5 ELSE 7 END)
  FROM items GROUP BY item ORDER BY item;

-- NULL scores are skipped; no rows or only NULLs give NULL
SELECT likert_summary(score, 1, 5) IS NULL AS empty_is_null FROM items WHERE false;
SELECT likert_summary(NULL::integer, 1, 5) IS NULL AS only_nulls_is_null FROM generate_series(1, 3);
SELECT rollup(s) IS NULL AS empty_rollup_is_null FROM (SELECT NULL::likert_summary s) x;
-- ... even with NULL bounds, since nothing is counted
SELECT likert_summary(NULL, NULL, NULL) IS NULL AS null_row_skipped;
-- a scale of negative points: -2 (strongly disagree) .. 2 (strongly agree)
SELECT likert_summary(s, -2, 2), mean_score(likert_summary(s, -2, 2))
  FROM (VALUES (-2), (0), (2), (2)) v(s);

-- Errors: score outside the scale (22003), bad scales and mixed scales (22023),
-- NULL bounds with a score (22004)
SELECT pm_test.error_of(q) AS error FROM unnest(ARRAY[
    $$SELECT platform_metrics.likert_summary(s, 1, 5) FROM (VALUES (3), (6)) v(s)$$,
    $$SELECT platform_metrics.likert_summary(s, 1, 5) FROM (VALUES (0)) v(s)$$,
    $$SELECT platform_metrics.likert_summary(3, 5, 5)$$,
    $$SELECT platform_metrics.likert_summary(3, 5, 1)$$,
    $$SELECT platform_metrics.likert_summary(3, 0, 11)$$,
    $$SELECT platform_metrics.likert_summary(3, -2147483648, 2147483647)$$,
    $$SELECT platform_metrics.likert_summary(s, 1, h) FROM (VALUES (3, 5), (3, 7)) v(s, h)$$,
    $$SELECT platform_metrics.likert_summary(3, 1, NULL)$$,
    $$SELECT platform_metrics.rollup(s) FROM (VALUES ('low=1 high=5 counts={1,0,0,0,0}'::platform_metrics.likert_summary),
                                                     ('low=0 high=4 counts={1,0,0,0,0}')) v(s)$$,
    $$SELECT 'low=1 high=5 counts={1,0,0,0,0}'::platform_metrics.likert_summary + 'low=1 high=7 counts={1,0,0,0,0,0,0}'$$
  ]) q;

-- Text form: readable, lossless, tolerant of order, case, commas and spacing
SELECT 'low=1 high=5 counts={3,0,2,7,1}'::likert_summary;
SELECT ' Counts = { 1, 2 }, HIGH=1 low: 0 '::likert_summary;
SELECT 'low=0 high=10 counts={9223372036854775807,0,0,0,0,0,0,0,0,0,0}'::likert_summary;
SELECT s::text::likert_summary = s AS text_round_trip
  FROM (SELECT likert_summary(score, 1, 5) s FROM items WHERE item = 'docs' GROUP BY team) x;
-- Malformed text is refused with 22P02 (or 22003 for numbers out of range)
SELECT pm_test.error_of(format('SELECT %L::platform_metrics.likert_summary', t)) AS error
  FROM unnest(ARRAY['low=1 high=5',
                    'low=1 high=5 counts={1,2,3,4}',
                    'low=1 high=5 counts={1,2,3,4,5,6}',
                    'low=1 high=5 counts={1,2,-3,4,5}',
                    'low=1 high=5 counts={1,2,3,4,5} low=1',
                    'low=5 high=1 counts={1,2,3,4,5}',
                    'low=0 high=11 counts={0,0,0,0,0,0,0,0,0,0,0,0}',
                    'low=1 high=3 counts={1,2,3',
                    'low=1 high=3 counts=1,2,3',
                    'low=x high=3 counts={1,2,3}',
                    'points=3',
                    '',
                    'low=99999999999 high=3 counts={1,2,3}',
                    'low=1 high=2 counts={9223372036854775807,1}']) t;

-- Equality and hashing: DISTINCT, GROUP BY and hash joins on summaries
SELECT 'low=1 high=3 counts={1,2,3}'::likert_summary = 'counts={1,2,3} high=3 low=1'::likert_summary AS eq,
       'low=1 high=3 counts={1,2,3}'::likert_summary <> 'low=0 high=2 counts={1,2,3}'::likert_summary AS other_scale_ne;
SET enable_sort = off;
SELECT s, count(*) FROM (VALUES ('low=1 high=3 counts={1,2,3}'::likert_summary), ('low=1 high=3 counts={1,2,3}'),
    ('low=0 high=2 counts={1,2,3}')) v(s) GROUP BY s ORDER BY 2, 1::text;
RESET enable_sort;

-- rollup() and +: per-day summaries stored in a table roll up to exactly the
-- raw numbers.  20,000 deterministic pseudo-random answers on 1..7.
SELECT setseed(0.12);
CREATE TEMP TABLE raw_answers AS
SELECT (DATE '2026-01-01' + (random() * 89)::int) AS day,
       'team-' || (random() * 5)::int AS team,
       CASE WHEN random() < 0.03 THEN NULL ELSE 1 + (random() * 6.49)::int END AS score
  FROM generate_series(1, 20000);
CREATE TEMP TABLE daily AS
SELECT day, team, likert_summary(score, 1, 7) AS s FROM raw_answers GROUP BY day, team;
-- per month and team: rollup of stored days = aggregate of raw rows (0 differences)
SELECT count(*) AS groups, count(*) FILTER (WHERE r.s IS DISTINCT FROM x.s) AS differences
  FROM (SELECT date_trunc('month', day) m, team, rollup(s) s FROM daily GROUP BY 1, 2) r
  FULL JOIN (SELECT date_trunc('month', day) m, team, likert_summary(score, 1, 7) s FROM raw_answers GROUP BY 1, 2) x
    USING (m, team);
-- and the accessors agree with plain SQL on the raw rows
SELECT distribution(rollup(s)) = (SELECT array_agg(c ORDER BY p)
                                    FROM (SELECT p, (SELECT count(*) FROM raw_answers WHERE score = p) c
                                            FROM generate_series(1, 7) p) x) AS distribution_matches,
       responses(rollup(s)) = (SELECT count(score) FROM raw_answers) AS responses_match,
       abs(mean_score(rollup(s)) - (SELECT avg(score) FROM raw_answers)) < 1e-12 AS mean_matches,
       abs(favorable_share(rollup(s), 6) - (SELECT avg((score >= 6)::int) FROM raw_answers)) < 1e-12 AS share_matches
  FROM daily;
-- + is rollup() of the two
SELECT (SELECT rollup(s) FROM daily WHERE team = 'team-0') + (SELECT rollup(s) FROM daily WHERE team = 'team-1')
       = (SELECT rollup(s) FROM daily WHERE team IN ('team-0', 'team-1')) AS plus_is_rollup;

-- Direct calls of the support functions never modify their arguments.  They
-- are also how Citus's worker_partial_agg() calls them, with no aggregate
-- call expression: the scale comes from the arguments of each row.
SELECT s, likert_summary_sfunc(s, 3, 1, 5) AS added, s AS unchanged
  FROM (SELECT 'low=1 high=5 counts={1,1,1,1,1}'::likert_summary s) x;
SELECT likert_summary_sfunc(likert_summary_sfunc(likert_summary_sfunc(NULL, 4, 1, 5), NULL, 1, 5), 2, 1, 5) AS from_null;
SELECT likert_summary_combine(a, a), a FROM (SELECT 'low=1 high=3 counts={1,2,3}'::likert_summary a) x;
-- partial states shipped as text and combined, as a coordinator does
SELECT likert_summary_ffunc(likert_summary_combine(p1::text::likert_summary, p2::text::likert_summary))
       = (SELECT likert_summary(score, 1, 7) FROM raw_answers WHERE team IN ('team-2', 'team-3')) AS partials_combine
  FROM (SELECT likert_summary(score, 1, 7) p1 FROM raw_answers WHERE team = 'team-2') a,
       (SELECT likert_summary(score, 1, 7) p2 FROM raw_answers WHERE team = 'team-3') b;

-- As window aggregates: a sliding 3-answer summary equals aggregating those answers
SELECT count(*) AS rows,
       count(*) FILTER (WHERE w IS DISTINCT FROM (SELECT likert_summary(score, 1, 5) FROM items i2
                                                   WHERE i2.item = 'docs' AND i2.ctid IN (SELECT unnest(ids)))) AS differences
  FROM (SELECT likert_summary(score, 1, 5) OVER w AS w, array_agg(ctid) OVER w AS ids
          FROM items WHERE item = 'docs' WINDOW w AS (ORDER BY ctid ROWS 2 PRECEDING)) x;
SELECT day, s, rollup(s) OVER (ORDER BY day ROWS BETWEEN 1 PRECEDING AND CURRENT ROW) AS two_days
  FROM (SELECT i AS day, format('low=1 high=3 counts={%s,%s,%s}', i, 2 * i, 1)::likert_summary AS s
          FROM generate_series(1, 3) i) d ORDER BY day;

-- Overflowing a count is an error, not a wrap-around
SELECT pm_test.error_of($$SELECT platform_metrics.rollup(s)
    FROM (VALUES ('low=1 high=2 counts={9223372036854775807,0}'::platform_metrics.likert_summary),
                 ('low=1 high=2 counts={0,1}')) v(s)$$);

-- Binary form: version byte 1, low and high as int32, one int64 per point
SELECT likert_summary_send('low=1 high=3 counts={1,2,3}');
\copy (SELECT s FROM daily ORDER BY day, team) TO 'results/likert.bin' WITH (FORMAT binary)
CREATE TEMP TABLE from_binary (s likert_summary);
\copy from_binary FROM 'results/likert.bin' WITH (FORMAT binary)
SELECT (SELECT count(*) FROM from_binary) AS rows,
       (SELECT rollup(s) FROM from_binary) = (SELECT rollup(s) FROM daily) AS binary_round_trip;
-- Binary input that recv must refuse, through test/recv.psql.
CREATE TEMP TABLE recv_cases AS SELECT * FROM (VALUES
    ('well-formed',      '\x010000000100000003000000000000000100000000000000020000000000000003'::bytea),
    ('version 2',        '\x020000000100000003000000000000000100000000000000020000000000000003'),
    ('version 0',        '\x000000000100000003000000000000000100000000000000020000000000000003'),
    ('two counts',       '\x01000000010000000300000000000000010000000000000002'),
    ('trailing byte',    '\x010000000100000003000000000000000100000000000000020000000000000003ff'),
    ('low = high',       '\x0100000003000000030000000000000001'),
    ('low > high',       '\x010000000300000001000000000000000100000000000000020000000000000003'),
    ('twelve points',    '\x01000000000000000b' || decode(repeat('0000000000000000', 12), 'hex')),
    ('negative count',   '\x0100000001000000030000000000000001ffffffffffffffff0000000000000003'),
    ('total overflows',  '\x0100000001000000027fffffffffffffff0000000000000001'),
    ('bounds cut short', '\x01000000010000'),
    ('version only',     '\x01'),
    ('empty',            '\x')) v(what, bytes);
\set recv_type platform_metrics.likert_summary
\i test/recv.psql
SELECT what, v::text AS received FROM recv_into ORDER BY recv_n;
DROP TABLE recv_cases, recv_into, from_binary;
-- soft input errors (pg_input_is_valid() from PostgreSQL 16 on)
SELECT value, pm_test.input_error(value, 'platform_metrics.likert_summary') AS result
  FROM (VALUES ('low=1 high=3 counts={1,2,3}'), ('low=1 high=3 counts={1,2}'),
               ('low=0 high=20 counts={1,2}')) v(value);

-- favorable_ci: the Wilson score interval.
-- Hand-worked: 8 favourable (4 or 5) of 13 on counts {3,0,2,7,1}, z = 1.959964 (Python's
-- statistics.NormalDist().inv_cdf(0.975)); p = 0.615385, centre (p + z^2/26) / (1 + z^2/13),
-- python3 (math): [0.355228915126657, 0.8229029220223743]; out of 20 developers, z times
-- sqrt(7/19): [0.45119715412775685, 0.7569154309729407].
SELECT abs(low - 0.355228915126657) < 1e-12 AS low_ok, abs(high - 0.8229029220223743) < 1e-12 AS high_ok
  FROM favorable_ci('low=1 high=5 counts={3,0,2,7,1}', 4);
SELECT abs(low - 0.45119715412775685) < 1e-12 AS low_ok, abs(high - 0.7569154309729407) < 1e-12 AS high_ok
  FROM favorable_ci('low=1 high=5 counts={3,0,2,7,1}', 4, 0.95, 20);
-- census: the share itself; no favourable answers: from 0; all favourable: up to 1
SELECT * FROM favorable_ci('low=1 high=5 counts={3,0,2,7,1}', 4, 0.95, 13);
SELECT low FROM favorable_ci('low=1 high=5 counts={3,2,0,0,0}', 4);
SELECT high FROM favorable_ci('low=1 high=5 counts={0,0,0,2,3}', 4);
-- Against the Wilson formula in plain SQL on 300 random summaries, four
-- confidence levels (z from Python's statistics.NormalDist), with and without a population
SELECT setseed(0.31);
CREATE TEMP TABLE samples AS
SELECT i, (random() * 30)::bigint AS c1, (random() * 30)::bigint AS c2, (random() * 30)::bigint AS c3,
       (random() * 30)::bigint AS c4, (random() * 30)::bigint + 1 AS c5,
       CASE WHEN i % 3 = 0 THEN NULL ELSE 160 + (random() * 400)::bigint END AS pop
  FROM generate_series(1, 300) i;
CREATE TEMP TABLE sample_summaries AS
SELECT i, pop, c1, c2, c3, c4, c5, c1 + c2 + c3 + c4 + c5 AS n, c4 + c5 AS k,
       format('low=1 high=5 counts={%s,%s,%s,%s,%s}', c1, c2, c3, c4, c5)::likert_summary AS s
  FROM samples;
SELECT c.confidence, count(*) AS checked,
       count(*) FILTER (WHERE abs(got.low - greatest(0, ref.centre - ref.half)) > 1e-12
                           OR abs(got.high - least(1, ref.centre + ref.half)) > 1e-12) AS differences
  FROM sample_summaries,
       (VALUES (0.80, 1.2815515655446004), (0.90, 1.6448536269514722),
               (0.95, 1.9599639845400538), (0.99, 2.5758293035489004)) c(confidence, z),
       LATERAL favorable_ci(s, 4, c.confidence, pop) got,
       LATERAL (SELECT z * coalesce(sqrt((pop - n)::float8 / (pop - 1)), 1) AS zz, k::float8 / n AS p) y,
       LATERAL (SELECT (p + zz ^ 2 / (2 * n)) / (1 + zz ^ 2 / n) AS centre,
                       zz / (1 + zz ^ 2 / n) * sqrt(p * (1 - p) / n + zz ^ 2 / (4 * n ^ 2)) AS half) ref
 GROUP BY c.confidence ORDER BY 1;
-- NULLs and errors: confidence outside (0, 1) is 22003, population < responses 22023
SELECT favorable_ci(NULL, 4) IS NULL AS null_summary, favorable_ci('low=1 high=5 counts={1,1,1,1,1}', NULL) IS NULL AS null_from,
       favorable_ci('low=1 high=5 counts={1,1,1,1,1}', 4, NULL) IS NULL AS null_confidence,
       favorable_ci('low=1 high=5 counts={0,0,0,0,0}', 4) IS NULL AS empty,
       favorable_share('low=1 high=5 counts={0,0,0,0,0}', 4) IS NULL AS empty_share,
       mean_score('low=1 high=5 counts={0,0,0,0,0}') IS NULL AS empty_mean;
SELECT pm_test.error_of(q) AS error FROM unnest(ARRAY[
    $$SELECT platform_metrics.favorable_ci('low=1 high=5 counts={1,1,1,1,1}', 4, 1)$$,
    $$SELECT platform_metrics.favorable_ci('low=1 high=5 counts={1,1,1,1,1}', 4, 0)$$,
    $$SELECT platform_metrics.favorable_ci('low=1 high=5 counts={1,1,1,1,1}', 4, 0.95, 4)$$,
    $$SELECT platform_metrics.favorable_ci('low=1 high=5 counts={1,1,1,1,1}', 4, 0.95, 0)$$,
    $$SELECT platform_metrics.favorable_ci('low=1 high=5 counts={1,1,1,1,1}', 6)$$,
    $$SELECT platform_metrics.favorable_share('low=1 high=5 counts={1,1,1,1,1}', 0)$$
  ]) q;

-- mean_ci: mean +/- t(n - 1) s / sqrt(n), times sqrt((N - n) / (N - 1)) with a population.
-- Hand-worked on {3,0,2,7,1}: mean 42/13, s = statistics.stdev, t(0.975, 12) = 2.1788128296672284
-- (mpmath, bisection of the t distribution function): python3 gives
-- [2.406849415970657, 4.054689045567805], and out of 40 developers
-- [2.5452265063552955, 3.916311955183166].
SELECT abs(low - 2.406849415970657) < 1e-12 AS low_ok, abs(high - 4.054689045567805) < 1e-12 AS high_ok
  FROM mean_ci('low=1 high=5 counts={3,0,2,7,1}');
SELECT abs(low - 2.5452265063552955) < 1e-12 AS low_ok, abs(high - 3.916311955183166) < 1e-12 AS high_ok
  FROM mean_ci('low=1 high=5 counts={3,0,2,7,1}', 0.95, 40);
-- against avg() and stddev_samp() of the raw answers of the two smaller teams,
-- with t(0.975, n - 1) from mpmath as above: 1.9612074368469792 for n = 1910,
-- 1.9612035384915345 for n = 1916
SELECT team, responses(s) AS n,
       abs(got.low - (raw.m - t.t * raw.sd / sqrt(raw.n))) < 1e-12
       AND abs(got.high - (raw.m + t.t * raw.sd / sqrt(raw.n))) < 1e-12 AS matches
  FROM (SELECT team, rollup(s) AS s FROM daily GROUP BY team) d
  JOIN (VALUES (1910, 1.9612074368469792), (1916, 1.9612035384915345)) t(n, t) ON t.n = responses(d.s),
       LATERAL mean_ci(s) got,
       LATERAL (SELECT avg(score)::float8 AS m, stddev_samp(score)::float8 AS sd, count(score) AS n
                  FROM raw_answers r WHERE r.team = d.team) raw
 ORDER BY team;
-- one answer: no variance to estimate (NULL) unless it is the whole population;
-- all answers equal: the interval is the mean
SELECT mean_ci('low=1 high=5 counts={0,1,0,0,0}') IS NULL AS one_answer,
       (mean_ci('low=1 high=5 counts={0,1,0,0,0}', 0.95, 1)).* ;
SELECT * FROM mean_ci('low=1 high=5 counts={0,0,7,0,0}');
SELECT pm_test.error_of(q) AS error FROM unnest(ARRAY[
    $$SELECT platform_metrics.mean_ci('low=1 high=5 counts={1,1,1,1,1}', 1.5)$$,
    $$SELECT platform_metrics.mean_ci('low=1 high=5 counts={1,1,1,1,1}', 'NaN')$$,
    $$SELECT platform_metrics.mean_ci('low=1 high=5 counts={1,1,1,1,1}', 0.95, 3)$$
  ]) q;

-- favorable_test and favorable_diff_ci: a = {3,0,2,7,1} (8 of 13 favourable),
-- b = {1,1,2,10,6} (16 of 20).  python3 (math): pooled z-test p = 0.24460685082792943;
-- Newcombe's hybrid score interval of 16/20 - 8/13: [-0.11492990182141499, 0.4708383429496629].
SELECT abs(favorable_test(a, b, 4) - 0.24460685082792943) < 1e-13 AS test_ok,
       favorable_test(a, b, 4) = favorable_test(b, a, 4) AS symmetric,
       abs(d.low - -0.11492990182141499) < 1e-13 AS diff_low_ok, abs(d.high - 0.4708383429496629) < 1e-13 AS diff_high_ok,
       (favorable_diff_ci(b, a, 4)).low = -d.high AS reversed
  FROM (SELECT 'low=1 high=5 counts={3,0,2,7,1}'::likert_summary a, 'low=1 high=5 counts={1,1,2,10,6}'::likert_summary b) x,
       LATERAL favorable_diff_ci(a, b, 4) d;
-- against the pooled z statistic in plain SQL on the random pairs: p < 0.05 exactly when |z| > 1.959964
SELECT count(*) AS pairs,
       count(*) FILTER (WHERE (favorable_test(a.s, b.s, 4) < 0.05) <> (abs(z) > 1.9599639845400538)) AS disagreements,
       count(*) FILTER (WHERE NOT (d.low <= b.k::float8 / b.n - a.k::float8 / a.n AND b.k::float8 / b.n - a.k::float8 / a.n <= d.high)) AS diff_outside_ci
  FROM sample_summaries a JOIN sample_summaries b ON b.i = a.i + 1,
       LATERAL (SELECT (a.k::float8 / a.n - b.k::float8 / b.n)
                       / nullif(sqrt(pp * (1 - pp) * (1.0 / a.n + 1.0 / b.n)), 0) AS z
                  FROM (SELECT (a.k + b.k)::float8 / (a.n + b.n) AS pp) x) t,
       LATERAL favorable_diff_ci(a.s, b.s, 4) d;
-- no variance: all favourable on both sides gives 1; empty gives NULL; different scales are an error
SELECT favorable_test('low=1 high=5 counts={0,0,0,2,3}', 'low=1 high=5 counts={0,0,0,0,9}', 4) AS same,
       favorable_test('low=1 high=5 counts={0,0,0,2,3}', 'low=1 high=5 counts={0,0,0,0,0}', 4) IS NULL AS empty,
       favorable_diff_ci('low=1 high=5 counts={0,0,0,2,3}', 'low=1 high=5 counts={0,0,0,0,0}', 4) IS NULL AS empty_diff;
SELECT pm_test.error_of(q) AS error FROM unnest(ARRAY[
    $$SELECT platform_metrics.favorable_test('low=1 high=5 counts={1,1,1,1,1}', 'low=1 high=7 counts={1,1,1,1,1,1,1}', 4)$$,
    $$SELECT platform_metrics.favorable_diff_ci('low=1 high=5 counts={1,1,1,1,1}', 'low=1 high=5 counts={1,1,1,1,1}', 4, 2)$$
  ]) q;

-- rank_test: Mann-Whitney U with the tie correction, from the counts.
-- Hand-worked in python3 from explicit mid-ranks of the 33 answers of a and b above:
-- U = 87.5, p = 0.08960569111855812.
SELECT abs(rank_test('low=1 high=5 counts={3,0,2,7,1}', 'low=1 high=5 counts={1,1,2,10,6}') - 0.08960569111855812) < 1e-13 AS matches_hand_worked;
-- Against an O(answers) computation in plain SQL: the raw answers of two teams
-- ranked with rank() (mid-ranks of ties), U, the tie-corrected variance, z.
SELECT abs(rank_test(sa, sb) - erfc_p) < 2e-7 AS matches_plain_sql
  FROM (SELECT rollup(s) FILTER (WHERE team = 'team-1') AS sa, rollup(s) FILTER (WHERE team = 'team-4') AS sb FROM daily) s,
       LATERAL (
         WITH answers AS (SELECT team = 'team-1' AS in_a, score FROM raw_answers WHERE team IN ('team-1', 'team-4') AND score IS NOT NULL),
              ranked AS (SELECT in_a, score, (rank() OVER (ORDER BY score) + count(*) OVER (PARTITION BY score) - 1 + rank() OVER (ORDER BY score)) / 2.0 AS r FROM answers),
              stats AS (SELECT count(*) FILTER (WHERE in_a)::float8 AS n1, count(*) FILTER (WHERE NOT in_a)::float8 AS n2,
                               sum(r) FILTER (WHERE in_a)::float8 AS r1 FROM ranked),
              ties AS (SELECT sum(t ^ 3 - t) AS tt FROM (SELECT count(*)::float8 AS t FROM answers GROUP BY score) x)
         SELECT pg_temp.two_sided_p((r1 - n1 * (n1 + 1) / 2 - n1 * n2 / 2)
                                    / sqrt(n1 * n2 / 12 * ((n1 + n2 + 1) - tt / ((n1 + n2) * (n1 + n2 - 1))))) AS erfc_p
           FROM stats, ties) ref;
SELECT rank_test('low=1 high=5 counts={0,0,4,0,0}', 'low=1 high=5 counts={0,0,9,0,0}') AS one_value,
       rank_test('low=1 high=5 counts={1,2,3,4,5}', 'low=1 high=5 counts={1,2,3,4,5}') AS same_distribution,
       rank_test('low=1 high=5 counts={1,2,3,4,5}', 'low=1 high=5 counts={0,0,0,0,0}') IS NULL AS empty;

DROP TABLE items, raw_answers, daily, samples, sample_summaries;
