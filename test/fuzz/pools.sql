-- test/fuzz/pools.sql: the values function calls take their arguments from,
-- built after the text and binary inputs ran (psql variable seed).
--
--   fuzz.pool             id, type and text form of every seed, a sample of the
--                         values mutated inputs were accepted as, and a few large
--                         values (compressed and toasted when stored)
--   fuzz.pool_<type>      the same values of one type, stored in a table: calls
--                         read them in their stored form
--   fuzz.prows            3,000 rows for aggregates in parallel plans (a few "bad"
--                         rows hold values the aggregates refuse)

\set ON_ERROR_STOP 1
SET client_min_messages = warning;
SET search_path = platform_metrics, public;
SELECT FROM setseed(((:seed % 1999993) / 1000000.0) - 0.999999);

CREATE TABLE fuzz.large (id bigint GENERATED ALWAYS AS IDENTITY, typ text, txt text);
INSERT INTO fuzz.large (typ, txt)
SELECT 'platform_metrics.ttv_sketch', ttv_sketch(d, 0.0001)::text
  FROM (VALUES (interval '0.000001 s'), (interval '100 years'), (interval '1 hour')) v(d);
INSERT INTO fuzz.large (typ, txt)
SELECT 'platform_metrics.ttv_sketch', ttv_sketch(exp(random() * 40) * interval '1 microsecond', 0.001)::text
  FROM generate_series(1, 20000);
INSERT INTO fuzz.large (typ, txt)
SELECT 'platform_metrics.ttv_curve', ttv_curve(s, s + random() * interval '1000 days', '2030-01-01')::text
  FROM (SELECT timestamptz '2026-01-01' + random() * interval '10 days' AS s FROM generate_series(1, 3000)) x;
SET TimeZone = 'UTC';
INSERT INTO fuzz.large (typ, txt)
SELECT 'platform_metrics.cohort_matrix', churn_cohort('member-' || (random() * 3000)::int, t, '1 week')::text
  FROM (SELECT timestamptz '2024-01-01' + random() * interval '700 days' AS t FROM generate_series(1, 20000)) x;
INSERT INTO fuzz.large (typ, txt)
SELECT 'platform_metrics.cohort_matrix', churn_cohort(m, t, '1 day')::text
  FROM (SELECT 1 AS m, timestamptz '2000-01-01' + i * interval '1 day' AS t FROM generate_series(0, 9999) i) x;
-- A family of matrices that merge (same period, zone and member type), for
-- rollup() and the parallel rows.
INSERT INTO fuzz.large (typ, txt)
SELECT 'platform_metrics.cohort_matrix', churn_cohort((ARRAY['a', 'b', 'c', 'd', 'é', ''])[1 + (random() * 5)::int], t, '1 week')::text
  FROM (SELECT k, timestamptz '2026-01-05' + random() * interval '60 days' AS t
          FROM generate_series(1, 20) k, generate_series(1, 6)) x
 GROUP BY k;
RESET TimeZone;

CREATE TABLE fuzz.pool AS
WITH s AS (
    SELECT typ, txt, 0 AS src, min(id) AS ord FROM fuzz.seeds GROUP BY typ, txt
    UNION ALL
    SELECT typ, txt, 1, min(id) FROM fuzz.large GROUP BY typ, txt
    UNION ALL
    SELECT a.typ, a.txt, 2, min(a.id) FROM fuzz.accepted a
     WHERE length(a.txt) <= 20000
       AND NOT EXISTS (SELECT FROM fuzz.seeds s WHERE s.typ = a.typ AND s.txt = a.txt)
     GROUP BY a.typ, a.txt
), r AS (
    SELECT *, row_number() OVER (PARTITION BY typ, src ORDER BY ord, txt) AS rn FROM s
)
SELECT (row_number() OVER (ORDER BY typ, src, ord, txt))::int AS id, typ, txt, src
  FROM r WHERE src < 2 OR rn <= 150;

-- One table per type; values that do not read back (a bug the text and
-- binary inputs report) are left out.
DO $$
DECLARE
    t record;
    p record;
BEGIN
    FOR t IN SELECT * FROM fuzz.types ORDER BY typ LOOP
        EXECUTE format('CREATE TABLE fuzz.%I (id int PRIMARY KEY, v %s, txt text)',
                       'pool_' || split_part(t.typ, '.', 2), t.typ);
        FOR p IN SELECT * FROM fuzz.pool WHERE typ = t.typ ORDER BY id LOOP
            BEGIN
                EXECUTE format('INSERT INTO fuzz.%I SELECT $1, $2::%s, $2::%s::text',
                               'pool_' || split_part(t.typ, '.', 2), t.typ, t.typ) USING p.id, p.txt;
            EXCEPTION WHEN OTHERS THEN
                DELETE FROM fuzz.pool WHERE id = p.id;
            END;
        END LOOP;
    END LOOP;
END $$;
-- The pool keeps the text form the type prints.
UPDATE fuzz.pool p SET txt = x.txt FROM (
    SELECT id, txt FROM fuzz.pool_nps_summary UNION ALL SELECT id, txt FROM fuzz.pool_mandate_quadrant
    UNION ALL SELECT id, txt FROM fuzz.pool_ttv_curve UNION ALL SELECT id, txt FROM fuzz.pool_ttv_sketch
    UNION ALL SELECT id, txt FROM fuzz.pool_cohort_matrix UNION ALL SELECT id, txt FROM fuzz.pool_likert_summary) x
 WHERE x.id = p.id AND x.txt <> p.txt;

CREATE TEMP TABLE fam AS SELECT
    (SELECT array_agg(id ORDER BY id) FROM fuzz.pool_nps_summary) AS ns,
    (SELECT array_agg(id ORDER BY id) FROM fuzz.pool_ttv_curve WHERE length(txt) < 3000) AS cv,
    (SELECT array_agg(id ORDER BY id) FROM fuzz.pool_ttv_sketch WHERE txt LIKE 'accuracy=0.01 %'
       AND id IN (SELECT id FROM fuzz.pool WHERE src < 2)) AS sk,
    (SELECT array_agg(id ORDER BY id) FROM fuzz.pool_ttv_sketch) AS sk_all,
    (SELECT array_agg(id ORDER BY id) FROM fuzz.pool_cohort_matrix
      WHERE txt LIKE 'period="P7D" time_zone="UTC" member_type=text %' AND length(txt) < 3000
       AND id IN (SELECT id FROM fuzz.pool WHERE src < 2)) AS cm,
    (SELECT array_agg(id ORDER BY id) FROM fuzz.pool_cohort_matrix) AS cm_all,
    -- summaries of one scale with small counts, which merge without overflow
    (SELECT array_agg(id ORDER BY id) FROM fuzz.pool_likert_summary
      WHERE txt LIKE 'low=1 high=5 %' AND txt !~ '[0-9]{10}') AS lk,
    (SELECT array_agg(id ORDER BY id) FROM fuzz.pool_likert_summary) AS lk_all;

CREATE TABLE fuzz.prows AS
SELECT i AS id, i % 5 AS g, b.bad,
       CASE WHEN b.bad AND i % 4 = 0 THEN (ARRAY[11, -1])[1 + i % 2]
            WHEN random() < 0.05 THEN NULL ELSE (random() * 10)::int END AS score,
       CASE WHEN b.bad AND i % 4 = 1 THEN interval '-1 second'
            WHEN random() < 0.05 THEN NULL
            ELSE (random() * 3000000)::bigint * interval '1 second' + (random() * 1000000)::int * interval '1 microsecond' END AS iv,
       x.st,
       CASE WHEN b.bad AND i % 4 = 2 THEN x.st - interval '1 day'
            WHEN random() < 0.25 THEN NULL
            ELSE x.st + (random() * 3000000)::bigint * interval '1 second' END AS rt,
       timestamptz '2026-01-05 00:00+00' + (random() * 5000000)::bigint * interval '1 second' AS act,
       (ARRAY['a', 'b', 'c', 'team-a', 'é', ''])[1 + (random() * 5)::int] AS mt,
       (random() * 20)::bigint - 5 AS mb,
       md5(((random() * 9)::int)::text)::uuid AS mu,
       (SELECT v FROM fuzz.pool_nps_summary p WHERE p.id = (SELECT ns[1 + (r1 * (cardinality(ns) - 1))::int] FROM fam)) AS ns,
       (SELECT v FROM fuzz.pool_ttv_curve p WHERE p.id = (SELECT cv[1 + (r2 * (cardinality(cv) - 1))::int] FROM fam)) AS cv,
       (SELECT v FROM fuzz.pool_ttv_sketch p WHERE p.id = (SELECT CASE WHEN b.bad THEN sk_all[1 + (r3 * (cardinality(sk_all) - 1))::int]
                                                                       ELSE sk[1 + (r3 * (cardinality(sk) - 1))::int] END FROM fam)) AS sk,
       (SELECT v FROM fuzz.pool_cohort_matrix p WHERE p.id = (SELECT CASE WHEN b.bad THEN cm_all[1 + (r4 * (cardinality(cm_all) - 1))::int]
                                                                          ELSE cm[1 + (r4 * (cardinality(cm) - 1))::int] END FROM fam)) AS cm,
       (ARRAY['mandatory_good', 'mandatory_poor', 'optional_good', 'optional_poor'])[1 + (r1 * 3)::int]::mandate_quadrant AS mq,
       (SELECT v FROM fuzz.pool_likert_summary p WHERE p.id = (SELECT CASE WHEN b.bad THEN lk_all[1 + (r2 * (cardinality(lk_all) - 1))::int]
                                                                            ELSE lk[1 + (r2 * (cardinality(lk) - 1))::int] END FROM fam)) AS ls,
       -- Cronbach's alpha: four items answered by every submission of a group
       -- (submission ids unique across groups), the scores of one submission
       -- correlated; a few missing answers, bad rows with a NaN score
       's' || (i % 5) || '-' || (i / 5 / 4) AS sub,
       'q' || (i / 5 % 4) AS item,
       CASE WHEN b.bad AND i % 4 = 3 THEN 'NaN'::float8
            WHEN r3 < 0.03 THEN NULL
            ELSE (1 + (i / 5 / 4) * 7 % 4 + (r4 * 1.6)::int)::float8 END AS fs
  FROM generate_series(1, 3000) i,
       LATERAL (SELECT random() < 0.03 AS bad, random() AS r1, random() AS r2, random() AS r3, random() AS r4, i AS i2) b,
       LATERAL (SELECT timestamptz '2026-01-01 00:00+00' + (random() * 10000000)::bigint * interval '1 second' + b.i2 * interval '0' AS st) x;
ALTER TABLE fuzz.prows SET (parallel_workers = 2);
ANALYZE fuzz.prows;

