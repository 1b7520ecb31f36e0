-- test/fuzz/report.sql: the summary run.sh prints (psql variable out: the
-- directory failures.sql goes to).
\set ON_ERROR_STOP 1
SET client_min_messages = warning;

CREATE TABLE fuzz.target_report AS
SELECT i.target,
       count(*) AS inputs,
       count(*) FILTER (WHERE o.sqlstate = 'OK') AS ok,
       count(*) FILTER (WHERE o.sqlstate <> 'OK') AS errors,
       count(*) FILTER (WHERE o.sqlstate LIKE 'XX%' OR o.sqlstate LIKE 'FZ%'
                        OR o.sqlstate IN ('CRASH', 'TIMEOUT', 'DRIVER')) AS failures,
       round(max(o.ms)::numeric, 1) AS slowest_ms,
       (SELECT string_agg(sqlstate || ':' || n, ' ' ORDER BY n DESC, sqlstate)
          FROM (SELECT o2.sqlstate, count(*) AS n FROM fuzz.outcome o2 JOIN fuzz.inputs i2 USING (id)
                 WHERE i2.target = i.target AND o2.sqlstate <> 'OK' GROUP BY 1) s) AS by_sqlstate
  FROM fuzz.inputs i
  JOIN fuzz.outcome o USING (id)
 GROUP BY i.target;

\echo
\echo == inputs per target, errors by SQLSTATE (failures: XX, FZ, CRASH, TIMEOUT, DRIVER)
SELECT target, inputs, ok, failures, slowest_ms, by_sqlstate FROM fuzz.target_report ORDER BY target;

\echo == errors by SQLSTATE, all targets, with a sample message
SELECT o.sqlstate, count(*) AS inputs, count(DISTINCT i.target) AS targets,
       left(min(o.msg), 110) AS sample_message
  FROM fuzz.outcome o JOIN fuzz.inputs i USING (id)
 WHERE o.sqlstate <> 'OK'
 GROUP BY 1 ORDER BY 2 DESC;

\echo == slowest inputs (over 2 s)
SELECT o.id, i.target, o.sqlstate, round(o.ms::numeric) AS ms
  FROM fuzz.outcome o JOIN fuzz.inputs i USING (id)
 WHERE o.ms > 2000 ORDER BY o.ms DESC LIMIT 10;

CREATE TABLE fuzz.failures AS
SELECT o.id, i.target, o.sqlstate, o.msg, o.detail, o.context, fuzz.repro(i, o.sqlstate) AS repro,
       row_number() OVER (PARTITION BY i.target, o.sqlstate, left(o.msg, 40) ORDER BY length(fuzz.repro(i, o.sqlstate)), o.id) AS rn
  FROM fuzz.outcome o JOIN fuzz.inputs i USING (id)
 WHERE o.sqlstate LIKE 'XX%' OR o.sqlstate LIKE 'FZ%' OR o.sqlstate IN ('CRASH', 'TIMEOUT', 'DRIVER');

\echo == failures (the shortest reproduction of each kind per target; all of them in failures.sql)
\pset format unaligned
\pset tuples_only on
\pset recordsep '\n\n'
SELECT format(E'[%s] %s, input %s: %s%s\n%s', sqlstate, target, id, msg,
              coalesce(E'\n  detail: ' || detail, ''),
              CASE WHEN length(repro) > 600 THEN left(repro, 600) || ' ... (' || length(repro) || ' characters)' ELSE repro END)
  FROM fuzz.failures WHERE rn = 1 ORDER BY target, sqlstate, id LIMIT 60;
\pset recordsep '\n'
\o :out/failures.sql
SELECT format(E'-- [%s] %s, input %s: %s%s%s\n%s\n', sqlstate, target, id, replace(msg, E'\n', E'\n-- '),
              coalesce(E'\n-- detail: ' || replace(detail, E'\n', E'\n-- '), ''),
              coalesce(E'\n-- context: ' || replace(context, E'\n', E'\n-- '), ''), repro)
  FROM fuzz.failures ORDER BY target, sqlstate, id;
\o
\pset format aligned
\pset tuples_only off
