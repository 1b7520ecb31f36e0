-- Cronbach's alpha and Feldt's interval: cronbach_alpha(), cronbach_alpha_ci() (cronbach.c).
SET search_path = public, platform_metrics;
SET extra_float_digits = 0;

-- Cronbach's alpha.  Hand-worked: 3 items, respondents a..d complete, e misses q3
-- (left out, listwise); item variances 5/3, 2/3, 2/3 (statistics.variance), totals
-- 13, 8, 10, 14 with variance 7.5: alpha = 3/2 (1 - 3/7.5) = 0.857142857142857.
-- Feldt: F(3, 6) quantiles from mpmath, python3 gives [0.057314496863360875, 0.9903047252853693].
CREATE TEMP TABLE answers3 (submission text, item text, score float8);
INSERT INTO answers3 VALUES
    ('a', 'q1', 4), ('a', 'q2', 5), ('a', 'q3', 4), ('b', 'q1', 2), ('b', 'q2', 3), ('b', 'q3', 3),
    ('c', 'q1', 3), ('c', 'q2', 3), ('c', 'q3', 4), ('d', 'q3', 5), ('d', 'q1', 5), ('d', 'q2', 4),
    ('e', 'q1', 1), ('e', 'q2', 2), ('e', 'q3', NULL), (NULL, 'q1', 5), ('f', NULL, 5);
SELECT round(cronbach_alpha(submission, item, score)::numeric, 12) AS alpha FROM answers3;
SELECT round(alpha::numeric, 12) AS alpha, abs(low - 0.057314496863360875) < 1e-12 AS low_ok,
       abs(high - 0.9903047252853693) < 1e-12 AS high_ok, respondents, items
  FROM (SELECT (cronbach_alpha_ci(submission, item, score, 0.95)).* FROM answers3) x;
-- Against plain SQL on 600 simulated respondents answering 6 items (a shared
-- trait plus noise), some missing an answer: the same listwise alpha.
SELECT setseed(0.4);
CREATE TEMP TABLE survey AS
SELECT 'r' || r AS submission, 'item-' || it AS item,
       CASE WHEN random() < 0.01 THEN NULL ELSE round(3 + trait + (random() - 0.5) * 2.5) END AS score
  FROM (SELECT r, (random() - 0.5) * 3 AS trait FROM generate_series(1, 600) r) t, generate_series(1, 6) it;
WITH complete AS (SELECT submission FROM survey GROUP BY submission HAVING count(score) = 6),
     c AS (SELECT s.* FROM survey s JOIN complete USING (submission)),
     iv AS (SELECT sum(v) AS sum_var FROM (SELECT var_samp(score) v FROM c GROUP BY item) x),
     tv AS (SELECT var_samp(t) AS total_var, count(*) AS n FROM (SELECT sum(score) t FROM c GROUP BY submission) x)
SELECT n AS complete_respondents,
       abs(got.alpha - 6.0 / 5 * (1 - sum_var / total_var)) < 1e-12 AS alpha_matches_plain_sql,
       got.respondents = n AS respondents_match, got.items,
       got.low < got.alpha AND got.alpha < got.high AS alpha_inside
  FROM iv, tv, (SELECT (cronbach_alpha_ci(submission, item, score, 0.9)).* FROM survey) got;
-- as a window aggregate over a growing frame, the last row is the plain aggregate
SELECT abs(a - (SELECT cronbach_alpha(submission, item, score) FROM survey)) < 1e-12 AS window_matches
  FROM (SELECT cronbach_alpha(submission, item, score) OVER (ORDER BY submission, item) AS a,
               row_number() OVER (ORDER BY submission DESC, item DESC) AS back FROM survey) x
 WHERE back = 1;
-- order of the rows does not matter
SELECT (SELECT cronbach_alpha(submission, item, score ORDER BY random()) FROM survey)
       = (SELECT cronbach_alpha(submission, item, score ORDER BY item, submission) FROM survey) AS order_free;
-- undefined: one item, one complete respondent, no variance of the totals; no rows gives NULL
SELECT cronbach_alpha(s, i, x) IS NULL AS one_item FROM (VALUES ('a', 'q1', 1), ('b', 'q1', 2)) v(s, i, x);
SELECT (cronbach_alpha_ci(s, i, x, 0.95)).* FROM (VALUES ('a', 'q1', 1), ('a', 'q2', 2), ('b', 'q1', 3)) v(s, i, x);
SELECT cronbach_alpha(s, i, x) IS NULL AS constant_totals FROM (VALUES ('a', 'q1', 1), ('a', 'q2', 1), ('b', 'q1', 1), ('b', 'q2', 1)) v(s, i, x);
SELECT cronbach_alpha(submission, item, score) IS NULL AS no_rows FROM answers3 WHERE false;
SELECT pm_test.error_of(q) AS error FROM unnest(ARRAY[
    $$SELECT platform_metrics.cronbach_alpha(s, i, x) FROM (VALUES ('a', 'q1', 1), ('a', 'q1', 2), ('a', 'q2', 2)) v(s, i, x)$$,
    $$SELECT platform_metrics.cronbach_alpha(s, i, x) FROM (VALUES ('a', 'q1', 'Infinity'::float8)) v(s, i, x)$$,
    $$SELECT platform_metrics.cronbach_alpha_ci(s, i, x, c) FROM (VALUES ('a', 'q1', 1, 0.95), ('a', 'q2', 1, 0.9)) v(s, i, x, c)$$,
    $$SELECT platform_metrics.cronbach_alpha_ci(s, i, x, 1.2) FROM (VALUES ('a', 'q1', 1)) v(s, i, x)$$,
    $$SELECT platform_metrics.cronbach_alpha(s::text, 'item-' || (s % 101), 1) FROM generate_series(1, 101) s$$
  ]) q;

DROP TABLE answers3, survey;
