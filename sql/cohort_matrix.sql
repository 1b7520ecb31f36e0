-- Usage analytics: churn_cohort, cohort_rows, cohort_churned, rollup and the cohort_matrix type.
SET search_path = public, platform_metrics;
SET extra_float_digits = 0;
SET TimeZone = 'UTC';

-- Hand-worked, weekly periods (weeks start on Monday; 2026-01-05 is one):
--   a: active in weeks of Jan 5, Jan 12 and Jan 26 (resurrects after a quiet week)
--   b: active once, week of Jan 5 (active only once, then churns)
--   c: weeks of Jan 12 and Jan 19
-- Cohort Jan 5 = {a, b}; cohort Jan 12 = {c}.  Observed up to 2026-02-05 (week of Feb 2):
--   k=1 (Jan 12): active a; on-or-after a; continuing a; dormant b; churned b (last active k=0)
--   k=2 (Jan 19): active none; on-or-after a (active later); dormant a
--   k=3 (Jan 26): active a; resurrecting a (not active k=2, but earlier)
--   k=4 (Feb 2):  active none; dormant a; churned a (last active k=3, nothing since)
--   cohort Jan 12, c: k=1 continuing; k=2 dormant and churned; k=3 nothing.
CREATE TEMP TABLE ev (member text, active_at timestamptz);
INSERT INTO ev VALUES
    ('a', '2026-01-05 09:00'), ('a', '2026-01-06 10:00'), ('a', '2026-01-13'), ('a', '2026-01-27'),
    ('b', '2026-01-06'),
    ('c', '2026-01-14'), ('c', '2026-01-21'),
    ('a', NULL), (NULL, '2026-01-05');
SELECT churn_cohort(member, active_at, '1 week') FROM ev;
SELECT * FROM cohort_rows((SELECT churn_cohort(member, active_at, '1 week') FROM ev), '2026-02-05');
-- Observed only up to 2026-01-20 (week of Jan 19): later cells are NULL, not 0,
-- and a's return on Jan 27 is not seen yet: at k=2, a is dormant and, inactive through
-- the week holding as_of, churned.
SELECT cohort_start, period_offset, cohort_size, active, active_or_after, continuing, resurrecting, dormant, churned
  FROM cohort_rows((SELECT churn_cohort(member, active_at, '1 week') FROM ev), '2026-01-20');
-- Who stopped: idle for at least 1 (2) whole weeks before the week of Feb 5
SELECT * FROM cohort_churned((SELECT churn_cohort(member, active_at, '1 week') FROM ev), 1, '2026-02-05');
SELECT * FROM cohort_churned((SELECT churn_cohort(member, active_at, '1 week') FROM ev), 2, '2026-02-05');
-- For BI tools: the triangle as jsonb
SELECT jsonb_pretty((SELECT churn_cohort(member, active_at, '1 week') FROM ev)::jsonb);

-- bigint and uuid members; a day period; three months follow calendar quarters
SELECT churn_cohort(member, t, '1 day') FROM (VALUES (42::bigint, TIMESTAMPTZ '2026-03-01 10:00'), (-7, '2026-03-03'), (42, '2026-03-02')) v(member, t);
SELECT churn_cohort(member, t, '3 months') FROM (VALUES ('a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'::uuid, TIMESTAMPTZ '2026-02-10'),
    ('a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', '2026-08-01')) v(member, t);
SELECT cohort_start, period_offset, period_start, active FROM cohort_rows(
    (SELECT churn_cohort(member, t, '3 months') FROM (VALUES ('x', TIMESTAMPTZ '2026-02-10'), ('x', '2026-08-01')) v(member, t)),
    '2026-09-30');

-- Against the plain SQL an analyst writes (first-activity CTE, date_trunc
-- bucketing, GROUP BY cohort and offset), in a time zone with daylight saving,
-- for weekly and monthly periods: active and active_or_after agree everywhere.
SET TimeZone = 'Europe/Berlin';
SELECT setseed(0.44);
CREATE TEMP TABLE act AS
SELECT 'team-' || (random() * 250)::int AS member,
       TIMESTAMPTZ '2025-01-01' + random() * INTERVAL '420 days' AS active_at
  FROM generate_series(1, 15000);
CREATE TEMP TABLE periods (name text, period interval);
INSERT INTO periods VALUES ('week', '1 week'), ('month', '1 month');
CREATE TEMP TABLE plain AS
WITH bucketed AS (
    SELECT p.name, p.period, member, date_trunc(p.name, active_at) AS bucket
      FROM act, periods p GROUP BY 1, 2, 3, 4),
first_seen AS (
    SELECT name, period, member, min(bucket) AS cohort, max(bucket) AS last FROM bucketed GROUP BY 1, 2, 3),
offsets AS (
    SELECT DISTINCT name, period, cohort, k, cohort + k * period AS at
      FROM first_seen, generate_series(0, 20) k),
active AS (
    SELECT b.name, f.cohort, b.bucket AS at, count(*) AS active
      FROM bucketed b JOIN first_seen f USING (name, member) GROUP BY 1, 2, 3),
on_or_after AS (
    SELECT o.name, o.cohort, o.k, o.at, count(f.member) AS active_or_after
      FROM offsets o LEFT JOIN first_seen f ON f.name = o.name AND f.cohort = o.cohort AND f.last >= o.at
     GROUP BY 1, 2, 3, 4)
SELECT x.name, x.cohort, x.k, coalesce(a.active, 0) AS active, x.active_or_after
  FROM on_or_after x LEFT JOIN active a USING (name, cohort, at);
SELECT p.name, count(*) AS cells,
       count(*) FILTER (WHERE r.active IS DISTINCT FROM x.active
                           OR r.active_or_after IS DISTINCT FROM x.active_or_after) AS differences
  FROM periods p
  CROSS JOIN LATERAL cohort_rows((SELECT churn_cohort(member, active_at, p.period) FROM act), '2026-12-31') r
  JOIN plain x ON x.name = p.name AND x.cohort = r.cohort_start AND x.k = r.period_offset
 GROUP BY p.name ORDER BY p.name;
-- the lifecycle columns add up: continuing + resurrecting = active (k >= 1),
-- and the previous period's active = continuing + dormant
SELECT count(*) FILTER (WHERE period_offset >= 1 AND continuing + resurrecting <> active) AS active_mismatch,
       count(*) FILTER (WHERE period_offset >= 1 AND prev_active <> continuing + dormant) AS previous_mismatch
  FROM (SELECT r.*, lag(active) OVER (PARTITION BY cohort_start ORDER BY period_offset) AS prev_active
          FROM cohort_rows((SELECT churn_cohort(member, active_at, '1 week') FROM act), '2026-12-31') r) x;

-- Calendar months across daylight-saving changes: boundaries at local midnight
SET TimeZone = 'America/New_York';
SELECT cohort_start, period_offset, period_start, active
  FROM cohort_rows((SELECT churn_cohort(m, t, '1 month') FROM (VALUES
        ('x', TIMESTAMPTZ '2026-03-01 00:30'), ('x', '2026-03-31 23:30'), ('x', '2026-04-01 00:30'),
        ('y', '2026-02-28 23:59:59'), ('y', '2026-11-01 01:30')) v(m, t)), '2026-11-15');
-- the same instants bucketed in UTC fall into other months
SET TimeZone = 'UTC';
SELECT churn_cohort(m, t, '1 month') FROM (VALUES ('x', TIMESTAMPTZ '2026-03-31 23:30-04'), ('x', '2026-04-01 00:30-04')) v(m, t);
SET TimeZone = 'Europe/Berlin';

-- rollup(): matrices of overlapping partitions (a member in several) merge
-- into exactly the matrix of all rows
CREATE TEMP TABLE parts AS
SELECT (hashtext(member || active_at::text) & 3) AS part, churn_cohort(member, active_at, '1 week') AS m
  FROM act GROUP BY 1;
SELECT rollup(m) = (SELECT churn_cohort(member, active_at, '1 week') FROM act) AS rollup_equals_raw,
       count(*) AS partitions
  FROM parts;

-- Round trips: text, binary COPY, bigint and uuid members
SELECT m::text::cohort_matrix = m AS text_round_trip FROM (SELECT churn_cohort(member, active_at, '1 week') AS m FROM act) x;
CREATE TEMP TABLE cm (kind text, m cohort_matrix);
INSERT INTO cm
SELECT 'text', churn_cohort(member, active_at, '1 week') FROM act
UNION ALL
SELECT 'bigint', churn_cohort(hashtext(member)::bigint * 1000003, active_at, '1 month') FROM act
UNION ALL
SELECT 'uuid', churn_cohort(md5(member)::uuid, active_at, '1 day') FROM act;
\copy cm TO 'results/cohort.bin' WITH (FORMAT binary)
CREATE TEMP TABLE cm_back (LIKE cm);
\copy cm_back FROM 'results/cohort.bin' WITH (FORMAT binary)
SELECT a.kind, a.m = b.m AS binary_round_trip, a.m::text::cohort_matrix = a.m AS text_round_trip
  FROM cm a JOIN cm_back b USING (kind) ORDER BY 1;

-- Errors
SELECT pm_test.error_of(q) AS error FROM unnest(ARRAY[
    $$SELECT platform_metrics.churn_cohort(m, t, NULL) FROM (VALUES ('a', now())) v(m, t)$$,
    $$SELECT platform_metrics.churn_cohort(m, t, '0 days') FROM (VALUES ('a', now())) v(m, t)$$,
    $$SELECT platform_metrics.churn_cohort(m, t, '-1 week') FROM (VALUES ('a', now())) v(m, t)$$,
    $$SELECT platform_metrics.churn_cohort(m, t, '1 month 2 days') FROM (VALUES ('a', now())) v(m, t)$$,
    $$SELECT platform_metrics.churn_cohort(m, t, p) FROM (VALUES ('a', now(), '1 day'::interval), ('b', now(), '2 days')) v(m, t, p)$$,
    $$SELECT platform_metrics.churn_cohort(m, t, '1 hour') FROM (VALUES ('a', TIMESTAMPTZ '2025-01-01'), ('a', '2026-06-01')) v(m, t)$$,
    $$SELECT platform_metrics.rollup(x) FROM (SELECT platform_metrics.churn_cohort('a', now(), '1 week') x
                                             UNION ALL SELECT platform_metrics.churn_cohort('a', now(), '1 day')) u$$,
    $$SELECT * FROM platform_metrics.cohort_churned((SELECT platform_metrics.churn_cohort('a', now(), '1 week')), -1)$$,
    $$SELECT platform_metrics.churn_cohort('a', 'infinity'::timestamptz, '1 week')$$,
    $$SELECT platform_metrics.churn_cohort('a', '-infinity'::timestamptz, '1 week')$$,
    $$SELECT * FROM platform_metrics.cohort_rows((SELECT platform_metrics.churn_cohort('a', now(), '1 week')), 'infinity')$$,
    $$SELECT platform_metrics.churn_cohort('a', now(), '150000000 days')$$,
    $$SELECT platform_metrics.cohort_matrix_sfunc('period="P7D" time_zone="UTC" member_type=uuid {}'::platform_metrics.cohort_matrix, 12345::bigint, now(), '1 week')$$,
    -- direct calls: every call's matrix is checked, wherever its copy is
    $$SELECT platform_metrics.cohort_matrix_sfunc(x, 12345::bigint, now(), '1 week')
        FROM (VALUES ('period="P7D" time_zone="UTC" member_type=bigint {}'::platform_metrics.cohort_matrix),
                     ('period="P7D" time_zone="UTC" member_type=uuid {}')) v(x)$$
  ]) q;
SELECT pm_test.error_of(format('SELECT %L::platform_metrics.cohort_matrix', t)) AS error
  FROM unnest(ARRAY[
    'period="P7D" time_zone="UTC" member_type=text {"a":1305:1101,"b":1305:1',
    'period="P7D" time_zone="UTC" member_type=text {"b":1305:1,"a":1305:1}',
    'period="P7D" time_zone="UTC" member_type=text {"a":1305:0110}',
    'period="P7D" time_zone="Mars/Olympus" member_type=text {}',
    'period="P1M2D" time_zone="UTC" member_type=text {}',
    'period="P7D" time_zone="UTC" member_type=json {}',
    'period="P7D" time_zone="UTC" member_type=bigint {"x":1305:1}',
    'period="P1D" time_zone="UTC" member_type=text {"a":1:1,"b":20000:1}']) t;
-- an empty matrix reads as no rows, an empty triangle, and merges as nothing
SELECT count(*) AS rows FROM cohort_rows('period="P7D" time_zone="UTC" member_type=text {}');
SELECT 'period="P7D" time_zone="UTC" member_type=text {}'::cohort_matrix::jsonb;
SELECT rollup(m) FROM (VALUES ('period="PT1H" time_zone="UTC" member_type=text {}'::cohort_matrix),
                              ('period="PT1H" time_zone="UTC" member_type=text {"a":200000:1}')) v(m);
-- indexes beyond any timestamp are refused
SELECT pm_test.error_of($$SELECT 'period="P7D" time_zone="UTC" member_type=text {"a":9223372036854775807:1001}'::platform_metrics.cohort_matrix$$) AS error;
CREATE TEMP TABLE good_cm AS SELECT cohort_matrix_send(churn_cohort(m, t, '1 week')) AS b
  FROM (VALUES ('a', TIMESTAMPTZ '2026-01-05'), ('a', '2026-01-20')) v(m, t);
CREATE TEMP TABLE recv_cases AS SELECT what, bytes
  FROM good_cm, LATERAL (VALUES
    ('well-formed', b),
    ('version 2', set_byte(b, 0, 2)),
    ('member type 9', set_byte(b, 1, 9)),
    ('truncated', substring(b FROM 1 FOR length(b) - 1)),
    ('trailing byte', b || '\x00'::bytea),
    ('activity ending in 0', set_byte(b, length(b) - 1, 1)),
    ('empty', '\x'::bytea)) v(what, bytes);
\set recv_type platform_metrics.cohort_matrix
\i test/recv.psql
SELECT what, v::text AS received FROM recv_into ORDER BY recv_n;
DROP TABLE recv_cases, recv_into;

-- Forced parallel plan: Partial Aggregate, same matrix as serial
CREATE UNLOGGED TABLE par_act AS SELECT * FROM act, generate_series(1, 5);
ANALYZE par_act;
CREATE TEMP TABLE serial_cm AS SELECT churn_cohort(member, active_at, '1 week') AS m FROM par_act;
SELECT pm_test.force_parallel();
EXPLAIN (COSTS OFF) SELECT churn_cohort(member, active_at, '1 week') FROM par_act;
SELECT churn_cohort(member, active_at, '1 week') = (SELECT m FROM serial_cm) AS parallel_equals_serial FROM par_act;
RESET ALL;
SET search_path = public, platform_metrics;
DROP TABLE par_act;

-- Per-row time zones and members (issue 16): the transition function maps
-- instants to periods with tables of the zone's offsets and of the days
-- calendar periods start on, widened as rows fall outside them, and compares
-- a row's member with the last row's first.  Checked against the plain
-- definitions: fixed periods count whole lengths of local time from
-- 2001-01-01 00:00, calendar periods whole months from January 2001.
-- cells(m): every (member, absolute period index) a matrix marks active
CREATE FUNCTION pg_temp.cells(m cohort_matrix) RETURNS TABLE (member text, idx bigint)
LANGUAGE sql AS $$
    SELECT r[1], r[2]::bigint + b.o - 1
      FROM regexp_matches(m::text, '"([^"]*)":(-?[0-9]+):([01]+)', 'g') r,
           LATERAL unnest(string_to_array(r[3], NULL)) WITH ORDINALITY b(bit, o)
     WHERE b.bit = '1' $$;
CREATE FUNCTION pg_temp.plain_index(t timestamptz, p interval) RETURNS bigint
LANGUAGE sql STABLE AS $$
    SELECT (CASE WHEN extract(year FROM p) * 12 + extract(month FROM p) = 0
                 THEN floor(extract(epoch FROM lt - TIMESTAMP '2001-01-01') / extract(epoch FROM p))
                 ELSE floor(((y - 2001) * 12 + extract(month FROM lt) - 1)
                            / (extract(year FROM p) * 12 + extract(month FROM p))) END)::bigint
      FROM (SELECT t AT TIME ZONE current_setting('TimeZone') AS lt) x,
           -- astronomical years: 1 BC is year 0
           LATERAL (SELECT CASE WHEN extract(year FROM lt) < 0 THEN extract(year FROM lt) + 1
                                ELSE extract(year FROM lt) END AS y) a $$;
-- ev_check(): for the rows in tz_ev (grp, seq, member, t), per period in
-- test_periods, the matrices of every group in one aggregate call (rows in
-- seq order, groups in grp order: the tables carry over from group to group)
-- against the plain (member, index) pairs.
CREATE TEMP TABLE test_periods (period interval);
CREATE TEMP TABLE tz_ev (grp int, seq bigint, member text, t timestamptz);
CREATE FUNCTION pg_temp.ev_check() RETURNS TABLE (period interval, cells bigint, differences bigint)
LANGUAGE sql AS $$
WITH ours AS (
    SELECT p.period, g.grp, c.member, c.idx
      FROM test_periods p,
           LATERAL (SELECT grp, churn_cohort(member, t, p.period ORDER BY seq) AS m FROM tz_ev GROUP BY grp) g,
           LATERAL pg_temp.cells(g.m) c),
plain AS (
    SELECT DISTINCT p.period, grp, member::text, pg_temp.plain_index(t, p.period) AS idx
      FROM test_periods p, tz_ev)
SELECT period, count(*) AS cells, count(*) FILTER (WHERE o.member IS NULL OR x.member IS NULL) AS differences
  FROM ours o FULL JOIN plain x USING (period, grp, member, idx)
 GROUP BY period ORDER BY period $$;
DROP TABLE tz_ev;

-- Daylight-saving changes inside the table's range: rows every 7 minutes for
-- three days around each of New York's 2026 changes, five members in turn
SET TimeZone = 'America/New_York';
CREATE TEMP TABLE tz_ev AS
SELECT w AS grp, i AS seq, 'm' || (i % 5) AS member, t0 + i * INTERVAL '7 minutes' AS t
  FROM (VALUES (1, TIMESTAMPTZ '2026-03-07 00:00'), (2, '2026-10-31 00:00')) v(w, t0),
       generate_series(0, 3 * 24 * 60 / 7) i;
INSERT INTO test_periods VALUES ('1 hour'), ('30 minutes'), ('90 minutes'), ('1 day'), ('1 week'), ('1 month');
SELECT * FROM pg_temp.ev_check();

-- Rows far beyond the first table (ten years around the first row), in
-- groups taken in turn: later years (the zone's rule beyond its listed
-- changes), earlier ones (before 1883 New York kept local mean time,
-- -4:56:02), years where the table would need too many changes (then the
-- rows ask the zone themselves), and back.  In each year rows every 41
-- minutes for eight days around March 10, November 3 and November 18 (New
-- York's change from local mean time in 1883), and every hour around local
-- midnight on the first of three months.
DROP TABLE tz_ev;
CREATE TEMP TABLE tz_ev AS
SELECT g.grp, row_number() OVER (ORDER BY g.grp, x.t) AS seq, 'm' || (x.i % 3) AS member, x.t
  FROM (VALUES (1, 2026), (2, 2031), (3, 2047), (4, 1999), (5, 1890), (6, 2400), (7, 1800),
               (8, 30000), (9, 2026), (10, 100), (11, 250000), (12, 1883)) g(grp, y),
       LATERAL (SELECT i, make_timestamptz(g.y, mo, d, 0, 0, 0) + i * INTERVAL '17 minutes' AS t
                  FROM (VALUES (3, 6), (10, 30), (11, 15)) s(mo, d), generate_series(0, 8 * 24 * 60 / 41) i
                UNION ALL
                SELECT i, make_timestamptz(g.y, mo, 1, 0, 0, 0) + i * INTERVAL '1 hour'
                  FROM generate_series(4, 10, 3) mo, generate_series(-3, 3) i) x;
DELETE FROM test_periods;
INSERT INTO test_periods VALUES ('1 hour'), ('45 minutes'), ('1 day'), ('1 month'), ('7 months');
SELECT * FROM pg_temp.ev_check();

-- Calendar periods around the first of the month, one minute before and
-- after local midnight, in a zone whose daylight-saving time began at
-- midnight (Sao Paulo until 2019: some local midnights do not exist), over
-- many years: the first table holds twenty years, later ones grow, and one
-- spanning years 1700 to 9000 in months would be too large, as would one
-- reaching back to year 1 (days before April of year 1 are computed as
-- they come)
SET TimeZone = 'America/Sao_Paulo';
DROP TABLE tz_ev;
CREATE TEMP TABLE tz_ev AS
SELECT g.grp, row_number() OVER (ORDER BY g.grp, x.t) AS seq, 'm' || (x.mo % 4) AS member, x.t
  FROM (VALUES (1, 2010, 2019), (2, 2060, 2062), (3, 1950, 1952), (4, 1700, 1701), (5, 9000, 9001),
               (6, 150000, 150001), (7, 5, 6), (8, 1, 1), (9, 2015, 2016)) g(grp, y0, y1),
       LATERAL (SELECT mo, make_timestamptz(y, mo, 1, 0, 0, 0, 'UTC') + d AS t
                  FROM generate_series(g.y0, g.y1) y, generate_series(1, 12) mo,
                       unnest(ARRAY[INTERVAL '1 minute', '-1 minute', '1 hour 59 minutes', '2 hours 1 minute',
                                    '2 hours 59 minutes', '3 hours 1 minute', '4 hours']) d) x;
DELETE FROM test_periods;
INSERT INTO test_periods VALUES ('1 month'), ('2 months'), ('7 months'), ('1 year'), ('1 day');
SELECT * FROM pg_temp.ev_check();

-- Members in runs, interleaved and alternating (the last row's member is
-- compared first), bigint and uuid members too; 2,000 members in runs of
-- four rows grow the matrix while a run goes on
SET TimeZone = 'Europe/Berlin';
DROP TABLE tz_ev;
CREATE TEMP TABLE tz_ev AS
SELECT 1 AS grp, seq, member, TIMESTAMPTZ '2026-01-05' + seq * INTERVAL '5 hours' AS t
  FROM unnest(ARRAY['a', 'a', 'a', 'b', 'b', 'a', 'c', 'a', 'b', 'a', 'b', 'a', 'b', 'b', 'c', 'c', 'a'])
       WITH ORDINALITY u(member, seq)
UNION ALL
SELECT 2, i, 'member-' || (i / 4), TIMESTAMPTZ '2026-01-05' + (hashint4(i) % 600) * INTERVAL '1 day'
  FROM generate_series(1, 8000) i;
DELETE FROM test_periods;
INSERT INTO test_periods VALUES ('1 day'), ('1 week'), ('1 month');
SELECT * FROM pg_temp.ev_check();
ALTER TABLE tz_ev RENAME TO tz_ev_t;
DELETE FROM test_periods WHERE period <> '1 week';
CREATE TEMP VIEW tz_ev AS SELECT grp, seq, (hashtext(member) % 1000)::bigint AS member, t FROM tz_ev_t;
SELECT * FROM pg_temp.ev_check();
DROP VIEW tz_ev;
CREATE TEMP VIEW tz_ev AS SELECT grp, seq, md5(member)::uuid AS member, t FROM tz_ev_t;
SELECT * FROM pg_temp.ev_check();
DROP VIEW tz_ev;

-- A window aggregate starts a new state for every frame (maybe where the
-- last one was): each frame's matrix is the matrix of its rows
SELECT count(*) AS frames, count(*) FILTER (WHERE w IS DISTINCT FROM x) AS differences
  FROM (SELECT seq, churn_cohort(member, t, '1 day') OVER (ORDER BY seq ROWS BETWEEN 2 PRECEDING AND CURRENT ROW) AS w
          FROM tz_ev_t WHERE grp = 1) a,
       LATERAL (SELECT churn_cohort(member, t, '1 day' ORDER BY seq) AS x FROM tz_ev_t e
                 WHERE e.grp = 1 AND e.seq BETWEEN a.seq - 2 AND a.seq) b;
-- Direct calls on matrices of other zones, one after the other
SELECT n, z, c.idx = floor(extract(epoch FROM (TIMESTAMPTZ '2026-01-01 20:00+00' AT TIME ZONE z) - TIMESTAMP '2001-01-01') / 86400)
       AS plain_in_its_zone
  FROM (VALUES (1, 'UTC'), (2, 'Asia/Kolkata'), (3, 'America/New_York'), (4, 'Asia/Kolkata')) v(n, z),
       LATERAL pg_temp.cells(cohort_matrix_sfunc(format('period="P1D" time_zone="%s" member_type=text {}', z)::cohort_matrix,
                                                 'a'::text, TIMESTAMPTZ '2026-01-01 20:00+00', '1 day')) c
 ORDER BY n;
DROP TABLE tz_ev_t, test_periods;
-- An explicit time zone (1.8): periods in that zone whatever the session's
-- TimeZone, so workers of a distributed query, each in its own session zone,
-- bucket alike.  Built under UTC with time_zone => Z, a matrix equals (text
-- and all) the one built in a session whose TimeZone is Z, which the plain
-- SQL above checks; members of each type, weekly, daily and monthly periods.
CREATE TEMP TABLE zone_built (z text, period interval, kind text, explicit text, session text);
DO $$
DECLARE zz text; pp interval;
BEGIN
    FOREACH zz IN ARRAY ARRAY['America/New_York', 'Europe/Berlin', 'Asia/Kolkata', 'America/Sao_Paulo'] LOOP
        FOREACH pp IN ARRAY ARRAY['1 week', '1 day', '1 month', '3 months']::interval[] LOOP
            PERFORM set_config('TimeZone', 'UTC', true);
            INSERT INTO zone_built (z, period, kind, explicit)
            SELECT zz, pp, 'text', churn_cohort(member, active_at, pp, zz)::text FROM act
            UNION ALL SELECT zz, pp, 'bigint', churn_cohort(hashtext(member)::bigint, active_at, pp, zz)::text FROM act
            UNION ALL SELECT zz, pp, 'uuid', churn_cohort(md5(member)::uuid, active_at, pp, zz)::text FROM act;
            PERFORM set_config('TimeZone', zz, true);
            UPDATE zone_built SET session = CASE kind
                WHEN 'text' THEN (SELECT churn_cohort(member, active_at, pp)::text FROM act)
                WHEN 'bigint' THEN (SELECT churn_cohort(hashtext(member)::bigint, active_at, pp)::text FROM act)
                ELSE (SELECT churn_cohort(md5(member)::uuid, active_at, pp)::text FROM act) END
             WHERE zone_built.z = zz AND zone_built.period = pp;
        END LOOP;
    END LOOP;
END $$;
SET TimeZone = 'UTC';
SELECT count(*) AS matrices, count(*) FILTER (WHERE explicit IS DISTINCT FROM session) AS differences,
       count(*) FILTER (WHERE explicit !~ ('time_zone="' || z || '"')) AS zone_not_recorded
  FROM zone_built;
-- the zone is recorded as the zone database spells it, so matrices merge
SELECT churn_cohort(m, t, '1 day', 'america/new_york') AS lower_case,
       churn_cohort(m, t, '1 day', 'america/new_york') = (SELECT churn_cohort(m, t, '1 day', 'America/New_York')
                                                         FROM (VALUES ('a', TIMESTAMPTZ '2026-03-08 03:30+00')) v(m, t)) AS same
  FROM (VALUES ('a', TIMESTAMPTZ '2026-03-08 03:30+00')) v(m, t);
SELECT rollup(x) IS NOT NULL AS merges_with_session_built
  FROM (SELECT churn_cohort('a'::text, now(), '1 week', 'europe/berlin') x
        UNION ALL SELECT (SELECT churn_cohort('b'::text, now(), '1 week') FROM (SELECT set_config('TimeZone', 'Europe/Berlin', true)) s)) u;
SET TimeZone = 'UTC';
-- a forced parallel plan equals the serial one
CREATE UNLOGGED TABLE par_act AS SELECT * FROM act, generate_series(1, 4);
ANALYZE par_act;
CREATE TEMP TABLE serial_zone AS SELECT churn_cohort(member, active_at, '1 week', 'Asia/Kolkata') AS m FROM par_act;
SELECT pm_test.force_parallel();
EXPLAIN (COSTS OFF) SELECT churn_cohort(member, active_at, '1 week', 'Asia/Kolkata') FROM par_act;
SELECT churn_cohort(member, active_at, '1 week', 'Asia/Kolkata') = (SELECT m FROM serial_zone) AS parallel_equals_serial FROM par_act;
RESET ALL;
SET search_path = public, platform_metrics;
SET TimeZone = 'UTC';
DROP TABLE par_act, serial_zone;
-- one call site, groups of different zones interleaved (each row of act
-- meets every zone): each group's matrix is the one built alone in its zone
SELECT count(*) AS zones, count(*) FILTER (WHERE g.m::text IS DISTINCT FROM b.explicit) AS differences
  FROM (SELECT z, churn_cohort(member, active_at, '1 month', z) AS m
          FROM act, (VALUES ('America/New_York'), ('Europe/Berlin'), ('Asia/Kolkata'), ('America/Sao_Paulo')) zs(z)
         GROUP BY z) g
  JOIN zone_built b ON b.z = g.z AND b.period = '1 month' AND b.kind = 'text';
SELECT pm_test.error_of(q) AS error FROM unnest(ARRAY[
    $$SELECT platform_metrics.churn_cohort('a'::text, now(), '1 week', NULL)$$,
    $$SELECT platform_metrics.churn_cohort(m, now(), '1 week', z ORDER BY o) FROM (VALUES (1, 'a', 'UTC'), (2, NULL, 'Europe/Paris')) v(o, m, z)$$,
    $$SELECT platform_metrics.churn_cohort(m, now(), '1 week', z ORDER BY o) FROM (VALUES (1, 'a', 'UTC'), (2, NULL, 'Mars/Olympus')) v(o, m, z)$$,
    $$SELECT platform_metrics.churn_cohort('a'::text, now(), '1 week', 'Mars/Olympus')$$,
    $$SELECT platform_metrics.churn_cohort(m, now(), '1 week', z) FROM (VALUES ('a', 'UTC'), ('b', 'utc'), ('c', 'Europe/Paris')) v(m, z)$$,
    $$SELECT platform_metrics.churn_cohort(m, now(), '1 week', z) FROM (VALUES ('a', 'UTC'), ('b', NULL)) v(m, z)$$,
    $$SELECT platform_metrics.churn_cohort('a'::text, now(), '1 week', repeat('x', 80))$$]) q;
DROP TABLE zone_built;
RESET TimeZone;
