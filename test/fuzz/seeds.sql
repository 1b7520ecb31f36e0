-- test/fuzz/seeds.sql: valid values of every type of the extension, built by
-- its own aggregates from random data (deterministic: psql variable seed), to
-- be mutated by test/fuzz/gen.pl.  Mostly small values, so that a mutation
-- changes a meaningful share of one; a few large ones.

\set ON_ERROR_STOP 1
SET client_min_messages = warning;
SET search_path = platform_metrics, public;
SELECT FROM setseed(((:seed % 1999999) / 1000000.0) - 0.999999);

-- nps_summary: the summaries of random score sets, and hand-made edge values.
INSERT INTO fuzz.seeds (typ, txt, note)
SELECT 'platform_metrics.nps_summary', nps_summary(score)::text, 'aggregate'
  FROM (SELECT k, (random() * (10 - k % 4))::int + k % 4 AS score
          FROM generate_series(1, 24) k,
               LATERAL generate_series(1, (ARRAY[1, 2, 3, 5, 8, 20, 100, 1000])[1 + k % 8]) i) x
 GROUP BY k;
INSERT INTO fuzz.seeds (typ, txt, note) VALUES
    ('platform_metrics.nps_summary', 'promoters=0 passives=0 detractors=0', 'empty'),
    ('platform_metrics.nps_summary', 'promoters=1 passives=0 detractors=0', 'one'),
    ('platform_metrics.nps_summary', 'promoters=0 passives=0 detractors=7', 'all detractors'),
    ('platform_metrics.nps_summary', 'promoters=9223372036854775807 passives=0 detractors=0', 'max'),
    ('platform_metrics.nps_summary', 'promoters=3074457345618258602 passives=3074457345618258602 detractors=3074457345618258603', 'max total'),
    ('platform_metrics.nps_summary', 'DETRACTORS=1,promoters=2,passives=3', 'order, case, commas');

-- mandate_quadrant: what the classifier returns.
INSERT INTO fuzz.seeds (typ, txt, note)
SELECT DISTINCT 'platform_metrics.mandate_quadrant', mandate_quadrant(m, e, 30)::text, 'classifier'
  FROM (VALUES (true), (false)) a(m), (VALUES (-100.0::float8), (29.9), (30), (100)) b(e);
INSERT INTO fuzz.seeds (typ, txt, note) VALUES
    ('platform_metrics.mandate_quadrant', 'Optional-Good', 'case and dash');

-- ttv_curve: Kaplan-Meier curves of random onboarding sets, some with ties,
-- fractional seconds, zero durations and subjects still on their way.
INSERT INTO fuzz.seeds (typ, txt, note)
SELECT 'platform_metrics.ttv_curve', ttv_curve(s, r, '2026-06-01')::text, 'aggregate'
  FROM (SELECT k, s,
               CASE WHEN random() < 0.25 THEN NULL
                    WHEN random() < 0.1 THEN s
                    ELSE s + (CASE k % 3 WHEN 0 THEN round(random() * 10)::int * interval '1 day'
                                         WHEN 1 THEN random() * interval '30 days'
                                         ELSE random() * interval '2 seconds' END)
               END AS r
          FROM generate_series(1, 24) k,
               LATERAL generate_series(1, (ARRAY[1, 2, 3, 5, 10, 40, 300])[1 + k % 7]) i,
               LATERAL (SELECT timestamptz '2026-01-01' + random() * interval '100 days' + k * interval '0 s' + i * interval '0 s' AS s) x) y
 GROUP BY k;
INSERT INTO fuzz.seeds (typ, txt, note)
SELECT 'platform_metrics.ttv_curve', ttv_curve(s, r, a)::text, note
  FROM (VALUES ('only censored', '2026-01-01'::timestamptz, NULL::timestamptz, '2026-01-01'::timestamptz),
               ('zero duration', '2026-01-01', '2026-01-01', '2026-01-02'),
               ('one microsecond', '2026-01-01', '2026-01-01 00:00:00.000001', '2026-01-02'),
               ('extreme span', '1000-01-01', '100000-01-01', '100000-12-31')) v(note, s, r, a)
 GROUP BY note;

-- ttv_sketch: sketches at every accuracy of random, tied, zero, tiny and huge durations.
INSERT INTO fuzz.seeds (typ, txt, note)
SELECT 'platform_metrics.ttv_sketch', ttv_sketch(d, acc)::text, 'aggregate accuracy ' || acc
  FROM (SELECT k, (ARRAY[0.0001, 0.001, 0.01, 0.01, 0.05, 0.1])[1 + k % 6]::float8 AS acc,
               CASE WHEN random() < 0.1 THEN interval '0'
                    WHEN k % 4 = 0 THEN round(random() * 5) * interval '1 hour'
                    WHEN k % 4 = 1 THEN exp(random() * 12) * interval '1 second'
                    WHEN k % 4 = 2 THEN random() * interval '1 second'
                    ELSE exp(random() * 20) * interval '1 second' END AS d
          FROM generate_series(1, 30) k,
               LATERAL generate_series(1, (ARRAY[1, 2, 3, 7, 20, 100, 1000])[1 + k % 7]) i) x
 GROUP BY k, acc;
INSERT INTO fuzz.seeds (typ, txt, note)
SELECT 'platform_metrics.ttv_sketch', ttv_sketch(d, acc)::text, note
  FROM (VALUES ('zeros only', interval '0', 0.01::float8),
               ('one microsecond', interval '0.000001 s', 0.01),
               ('one microsecond, 1e-4', interval '0.000001 s', 0.0001),
               ('290000 years', interval '290000 years', 0.1),
               ('290000 years, 1e-4', interval '290000 years', 0.0001),
               ('span', interval '0.000001 s', 0.1), ('span', interval '100 years', 0.1),
               ('span', interval '0', 0.1)) v(note, d, acc)
 GROUP BY note, acc;

-- cohort_matrix: members of every type over periods of every kind, in several
-- time zones (half-hour and 45-minute offsets, DST).
CREATE TEMP TABLE cohort_params AS
SELECT k,
       (ARRAY['1 day', '1 week', '1 month', '3 months', '1 year', '1 hour', '90 minutes', '7 days'])[1 + k % 8]::interval AS period,
       (ARRAY['UTC', 'America/New_York', 'Asia/Kathmandu', 'Australia/Lord_Howe', 'Pacific/Chatham', 'Europe/Berlin'])[1 + k % 6] AS zone,
       (ARRAY[1, 2, 3, 5, 8, 30])[1 + k % 6] AS members,
       (ARRAY[1, 3, 10, 40, 200])[1 + k % 5] AS span
  FROM generate_series(1, 30) k;
DO $$
DECLARE
    p record;
BEGIN
    FOR p IN SELECT * FROM cohort_params ORDER BY k LOOP
        PERFORM set_config('TimeZone', p.zone, true);
        INSERT INTO fuzz.seeds (typ, txt, note)
        SELECT 'platform_metrics.cohort_matrix',
               CASE p.k % 3
                   WHEN 0 THEN platform_metrics.churn_cohort(
                                   (ARRAY['a', 'b', 'team-' || m, 'é', '', 'q"uo\te', 'Ω ' || m])[1 + (m * 7 + p.k) % 7],
                                   t, p.period)::text
                   WHEN 1 THEN platform_metrics.churn_cohort((m * 1000003 - 500)::bigint, t, p.period)::text
                   ELSE platform_metrics.churn_cohort(md5(m::text)::uuid, t, p.period)::text
               END,
               format('aggregate %s %s', p.period, p.zone)
          FROM (SELECT 1 + (random() * (p.members - 1))::int AS m,
                       timestamptz '2026-03-01' + random() * p.span * p.period AS t
                  FROM generate_series(1, p.members * 4)) x;
    END LOOP;
END $$;
RESET TimeZone;
INSERT INTO fuzz.seeds (typ, txt, note) VALUES
    ('platform_metrics.cohort_matrix', 'period="P7D" time_zone="UTC" member_type=text {}', 'empty'),
    ('platform_metrics.cohort_matrix', 'period="P7D" time_zone="UTC" member_type=text {"a":1305:1101,"b":1305:1,"c":1306:11}', 'README');

-- likert_summary: random answers on scales of 2 to 11 points, uniform and
-- skewed towards either end, the scales at both ends of integer; hand-made
-- edge values (empty, one answer, a count or the total at the bigint maximum).
INSERT INTO fuzz.seeds (typ, txt, note)
SELECT 'platform_metrics.likert_summary', likert_summary(score, lo, hi)::text, format('aggregate %s..%s', lo, hi)
  FROM (SELECT k, lo, hi, lo + floor(power(random(), (ARRAY[1, 0.3, 3])[1 + k % 3]) * (hi - lo + 1))::int AS score
          FROM generate_series(1, 30) k,
               LATERAL (SELECT (ARRAY[1, 1, 1, 0, -3, 1, 0, 2147483637, -2147483648, 1])[1 + k % 10] AS lo,
                               (ARRAY[5, 7, 2, 10, 3, 11, 1, 2147483647, -2147483638, 5])[1 + k % 10] AS hi) s,
               LATERAL generate_series(1, (ARRAY[1, 2, 3, 5, 8, 20, 100, 1000])[1 + k % 8]) i) x
 GROUP BY k, lo, hi;
INSERT INTO fuzz.seeds (typ, txt, note) VALUES
    ('platform_metrics.likert_summary', 'low=1 high=5 counts={0,0,0,0,0}', 'empty'),
    ('platform_metrics.likert_summary', 'low=0 high=10 counts={0,0,0,0,0,0,0,0,0,0,0}', 'empty, 11 points'),
    ('platform_metrics.likert_summary', 'low=1 high=5 counts={0,0,0,0,1}', 'one'),
    ('platform_metrics.likert_summary', 'low=1 high=5 counts={3,0,2,7,1}', 'README'),
    ('platform_metrics.likert_summary', 'low=1 high=5 counts={1,1,2,10,6}', 'README, the other wave'),
    ('platform_metrics.likert_summary', 'low=1 high=5 counts={9223372036854775807,0,0,0,0}', 'max at the lowest point'),
    ('platform_metrics.likert_summary', 'low=1 high=5 counts={0,0,0,0,9223372036854775807}', 'max at the highest point'),
    ('platform_metrics.likert_summary', 'low=1 high=5 counts={1844674407370955161,1844674407370955161,1844674407370955161,1844674407370955161,1844674407370955163}', 'max total'),
    ('platform_metrics.likert_summary', 'low=1 high=2 counts={4611686018427387903,4611686018427387904}', 'max total, two points'),
    ('platform_metrics.likert_summary', 'low=-2147483648 high=-2147483638 counts={1,0,0,0,0,0,0,0,0,0,1}', 'lowest scale'),
    ('platform_metrics.likert_summary', 'low=2147483646 high=2147483647 counts={1,1}', 'highest scale'),
    ('platform_metrics.likert_summary', 'HIGH=7, counts: {1, 1,1,1,1,1,1},Low=1', 'order, case, commas, colon');

-- Values the text input refuses are no seeds: keep the valid ones only.
DO $$
DECLARE
    s record;
BEGIN
    FOR s IN SELECT ctid, * FROM fuzz.seeds LOOP
        BEGIN
            EXECUTE format('SELECT $1::%s', s.typ) USING s.txt;
        EXCEPTION WHEN OTHERS THEN
            RAISE WARNING 'seed % % refused: %', s.typ, s.txt, SQLERRM;
            DELETE FROM fuzz.seeds WHERE ctid = s.ctid;
        END;
    END LOOP;
END $$;

-- What ingest() inputs collide with: known teams, capabilities and waves, a few rows.
INSERT INTO platform_metrics.teams (team, headcount) VALUES ('team-a', 10), ('team-b', 3), ('tëam-ü', 1) ON CONFLICT DO NOTHING;
INSERT INTO platform_metrics.capabilities (capability) VALUES ('ci'), ('deploy') ON CONFLICT DO NOTHING;
INSERT INTO platform_metrics.survey_waves (wave) VALUES ('2026-Q1'), ('2026-Q2') ON CONFLICT DO NOTHING;
INSERT INTO platform_metrics.survey_questions (question, scale) VALUES ('ease', 'likert') ON CONFLICT DO NOTHING;
SELECT FROM platform_metrics.ingest('[
  {"type": "usage", "event_id": "u1", "team": "team-a", "capability": "ci", "occurred_at": "2026-03-01T10:00:00Z"},
  {"type": "survey", "response_id": "r1", "wave": "2026-Q1", "team": "team-a", "score": 9},
  {"type": "onboarding", "subject": "ana1", "team": "team-a", "started_at": "2026-03-01"},
  {"type": "feedback", "feedback_id": "f1", "team": "team-b", "received_at": "2026-03-01"},
  {"type": "unplanned", "event_id": "e1", "team": "team-b", "occurred_at": "2026-03-01", "hours": 2}
]');
