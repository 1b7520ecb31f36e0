-- Text and binary COPY round trips of the stored types, and binary input
-- that is refused.  Files go to results/ (beside pg_regress's own output).
SET search_path = public, platform_metrics;

CREATE TEMP TABLE stored (id int, s nps_summary, q mandate_quadrant);
INSERT INTO stored VALUES
    (1, 'promoters=54 passives=20 detractors=10', 'mandatory_good'),
    (2, 'promoters=0 passives=0 detractors=0', 'mandatory_poor'),
    (3, 'promoters=9223372036854775807 passives=0 detractors=0', 'optional_good'),
    (4, 'promoters=1 passives=2 detractors=3', 'optional_poor'),
    (5, NULL, NULL);

\copy stored TO 'results/stored.txt'
\copy stored TO 'results/stored.bin' WITH (FORMAT binary)
CREATE TEMP TABLE from_text (LIKE stored);
CREATE TEMP TABLE from_binary (LIKE stored);
\copy from_text FROM 'results/stored.txt'
\copy from_binary FROM 'results/stored.bin' WITH (FORMAT binary)
SELECT count(*) AS rows,
       count(*) FILTER (WHERE t.s IS NOT DISTINCT FROM o.s AND t.q IS NOT DISTINCT FROM o.q) AS text_equal,
       count(*) FILTER (WHERE b.s IS NOT DISTINCT FROM o.s AND b.q IS NOT DISTINCT FROM o.q) AS binary_equal
  FROM stored o JOIN from_text t USING (id) JOIN from_binary b USING (id);

-- The binary forms, as sent: version byte 1 then three int64; one byte 0..3.
SELECT nps_summary_send(s) AS summary_bytes, mandate_quadrant_send(q) AS quadrant_bytes
  FROM stored WHERE id = 4;

-- Binary input that recv must refuse, through test/recv.psql.
CREATE TEMP TABLE recv_cases AS SELECT * FROM (VALUES
    ('well-formed',      '\x01000000000000000100000000000000020000000000000003'::bytea),
    ('version 2',        '\x02000000000000000100000000000000020000000000000003'),
    ('version 0',        '\x00000000000000000100000000000000020000000000000003'),
    ('two counts',       '\x0100000000000000010000000000000002'),
    ('trailing byte',    '\x01000000000000000100000000000000020000000000000003ff'),
    ('negative count',   '\x01ffffffffffffffff00000000000000020000000000000003'),
    ('total overflows',  '\x017fffffffffffffff00000000000000010000000000000000'),
    ('version only',     '\x01'),
    ('empty',            '\x')) v(what, bytes);
\set recv_type platform_metrics.nps_summary
\i test/recv.psql
SELECT what, v::text AS received FROM recv_into ORDER BY recv_n;
DROP TABLE recv_cases, recv_into;

CREATE TEMP TABLE recv_cases AS SELECT * FROM (VALUES ('well-formed', '\x03'::bytea), ('4', '\x04'), ('255', '\xff'),
               ('two bytes', '\x0001'), ('empty', '\x')) v(what, bytes);
\set recv_type platform_metrics.mandate_quadrant
\i test/recv.psql
SELECT what, v::text AS received FROM recv_into ORDER BY recv_n;
DROP TABLE recv_cases, recv_into;

DROP TABLE stored, from_text, from_binary;

-- Soft input errors: every type's text input reports a bad value without
-- throwing when asked (PostgreSQL 16 on: pg_input_is_valid(), COPY ... ON_ERROR).
SELECT typ, value, pm_test.input_error(value, typ) AS result
  FROM (VALUES ('platform_metrics.nps_summary'::regtype, 'promoters=1 passives=2 detractors=3'),
               ('platform_metrics.nps_summary', 'promoters=1 passives=2'),
               ('platform_metrics.nps_summary', 'promoters=99999999999999999999 passives=0 detractors=0'),
               ('platform_metrics.mandate_quadrant', 'optional_good'),
               ('platform_metrics.mandate_quadrant', 'sideways'),
               ('platform_metrics.ttv_sketch', 'accuracy=0.01 count=1 zeros=1 min=0 max=0 sum=0 buckets='),
               ('platform_metrics.ttv_sketch', 'accuracy=0.5 count=1 zeros=1 min=0 max=0 sum=0 buckets='),
               ('platform_metrics.ttv_curve', '60:1:0'),
               ('platform_metrics.ttv_curve', '60:-1:0'),
               ('platform_metrics.cohort_matrix', 'period="P7D" time_zone="UTC" member_type=text {"a":1:1}'),
               ('platform_metrics.cohort_matrix', 'period="P7D" time_zone="Nowhere/Atlantis" member_type=text {}')) v(typ, value);
