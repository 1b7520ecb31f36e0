-- bh_adjust(): Benjamini-Hochberg q-values over a window partition (bh_adjust.c).
SET search_path = public, platform_metrics;
SET extra_float_digits = 0;

-- bh_adjust() OVER (PARTITION BY ...): Benjamini-Hochberg q-values.
-- Hand-worked: p = 0.01 0.04 0.03 0.03 0.5 (m = 5) and a NULL: sorted, m p / i is
-- 0.05 0.075 0.05 0.05 0.5; from the top down the running minimum gives
-- q = 0.05 0.05 0.05 0.05 0.5, the NULL stays NULL.
SELECT id, p, round(bh_adjust(p) OVER (ORDER BY id)::numeric, 12) AS q
  FROM (VALUES (1, 0.01), (2, 0.04), (3, 0.03), (4, NULL), (5, 0.5), (6, 0.03)) v(id, p) ORDER BY id;
-- Against plain-SQL BH on 40 partitions of deterministic pseudo-random p-values
-- (ties and NULLs included): q(i) = min over j >= i of min(1, p(j) m / j)
SELECT setseed(0.77);
CREATE TEMP TABLE pvalues AS
SELECT i, i % 40 AS wave, CASE WHEN random() < 0.1 THEN NULL ELSE round((random() ^ 3)::numeric, 3)::float8 END AS p
  FROM generate_series(1, 2000) i;
SELECT count(*) AS rows, count(*) FILTER (WHERE q IS NULL) AS null_q,
       count(*) FILTER (WHERE q IS DISTINCT FROM ref) AS differences,
       count(*) FILTER (WHERE q > 1 OR q < p) AS out_of_range
  FROM (SELECT i, p, bh_adjust(p) OVER (PARTITION BY wave) AS q FROM pvalues) got
  JOIN (SELECT i, CASE WHEN p IS NOT NULL THEN
               min(least(1, p * (m::float8 / rn))) OVER (PARTITION BY wave ORDER BY p DESC, i DESC ROWS UNBOUNDED PRECEDING) END AS ref
          FROM (SELECT i, wave, p, count(p) OVER (PARTITION BY wave) AS m,
                       row_number() OVER (PARTITION BY wave ORDER BY p, i) AS rn FROM pvalues) r) ref USING (i);
-- q-values are monotone in p within a partition
SELECT count(*) AS violations FROM (
    SELECT wave, p, q, lag(q) OVER (PARTITION BY wave ORDER BY p) AS prev
      FROM (SELECT wave, p, bh_adjust(p) OVER (PARTITION BY wave) AS q FROM pvalues WHERE p IS NOT NULL) x) y
 WHERE q < prev;
SELECT bh_adjust(p) OVER () FROM (VALUES (NULL::float8)) v(p);
SELECT pm_test.error_of($$SELECT platform_metrics.bh_adjust(p) OVER () FROM (VALUES (0.5), (1.5)) v(p)$$) AS error
UNION ALL SELECT pm_test.error_of($$SELECT platform_metrics.bh_adjust(p) OVER () FROM (VALUES ('NaN'::float8)) v(p)$$);

DROP TABLE pvalues;
