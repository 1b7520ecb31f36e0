# pg_dump / pg_restore round trip into a fresh database: every raw row of the
# layer's tables, and every stored nps_summary, ttv_sketch, ttv_curve,
# cohort_matrix and mandate_quadrant value in user tables, come back equal
# (as text, which is lossless, and as binary send output), and the restored
# database has both extensions at the current version.

use strict;
use warnings;

use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;

my $node = PostgreSQL::Test::Cluster->new('dump');
$node->init;
$node->start;

$node->safe_psql('postgres', 'CREATE DATABASE dump_src');
$node->safe_psql('dump_src', q{
CREATE EXTENSION platform_metrics_analytics CASCADE;
SET search_path = public, platform_metrics;
SELECT setseed(0.5);
INSERT INTO teams SELECT 'team-' || i, 3 + i % 7, '2026-01-01' FROM generate_series(1, 12) i;
INSERT INTO capabilities VALUES ('ci', true, '2026-01-01', 'CI'), ('templates', false, '2026-02-01', 'Templates');
INSERT INTO survey_responses
SELECT 'r' || i, '2026-Q' || (1 + i % 4), 'team-' || (1 + i % 12), CASE WHEN i % 3 = 0 THEN 'ci' END, 'nps',
       (random() * 10)::int, CASE WHEN i % 5 = 0 THEN 'comment ' || i END, '2026-01-01'::timestamptz + i * interval '1 hour'
  FROM generate_series(1, 500) i;
INSERT INTO usage_events
SELECT 'u' || i, 'team-' || (1 + i % 12), CASE WHEN i % 2 = 0 THEN 'ci' ELSE 'templates' END,
       '2026-01-01'::timestamptz + i * interval '37 minutes', (ARRAY['use', 'adopt', 'abandon'])[1 + i % 3]
  FROM generate_series(1, 2000) i;
INSERT INTO onboarding
SELECT 'eng-' || i, 'team-' || (1 + i % 12), 'first_deploy', '2026-01-01'::timestamptz + i * interval '1 day',
       CASE WHEN i % 4 <> 0 THEN '2026-01-01'::timestamptz + i * interval '1 day' + i * interval '1 hour' END
  FROM generate_series(1, 100) i;
INSERT INTO feedback (feedback_id, team, received_at, synthesized_at, theme)
SELECT 'f' || i, 'team-' || (1 + i % 12), '2026-02-01'::timestamptz + i * interval '1 day',
       '2026-02-02'::timestamptz + i * interval '1 day', 'theme ' || (i % 3)
  FROM generate_series(1, 40) i;
INSERT INTO unplanned_work SELECT 'w' || i, 'team-' || (1 + i % 12), 'ci', '2026-03-01'::timestamptz + i * interval '1 day', 1.25 * i, 'incident'
  FROM generate_series(1, 30) i;
-- user tables holding the library's stored types
CREATE TABLE stored AS
SELECT team, nps_summary(score) AS s,
       mandate_quadrant(true, nps(nps_summary(score))) AS q
  FROM survey_responses GROUP BY team;
CREATE TABLE stored_ttv AS
SELECT team, ttv_sketch(reached_at - started_at) AS sketch, ttv_curve(started_at, reached_at, '2026-12-31') AS curve
  FROM onboarding GROUP BY team;
CREATE TABLE stored_cohorts AS
SELECT capability, churn_cohort(team, occurred_at, '1 week') AS m FROM usage_events GROUP BY capability;
});

my $dump = "$PostgreSQL::Test::Utils::tmp_check/dump";
command_ok([ 'pg_dump', '-Fc', '-d', $node->connstr('dump_src'), '-f', $dump ], 'pg_dump');
$node->safe_psql('postgres', 'CREATE DATABASE dump_dst');
command_ok([ 'pg_restore', '--exit-on-error', '-d', $node->connstr('dump_dst'), $dump ], 'pg_restore');

is($node->safe_psql('dump_dst', q{
SELECT string_agg(extname || ' ' || extversion, ', ' ORDER BY extname) FROM pg_extension WHERE extname LIKE 'platform%'}),
	'platform_metrics 1.2, platform_metrics_analytics 1.2', 'both extensions are restored');

my %binary = (
	'public.stored'         => "platform_metrics.nps_summary_send(s) || platform_metrics.mandate_quadrant_send(q)",
	'public.stored_ttv'     => "platform_metrics.ttv_sketch_send(sketch) || platform_metrics.ttv_curve_send(curve)",
	'public.stored_cohorts' => "platform_metrics.cohort_matrix_send(m)");
for my $table (qw(platform_metrics.capabilities platform_metrics.teams platform_metrics.survey_responses
	platform_metrics.usage_events platform_metrics.onboarding platform_metrics.feedback
	platform_metrics.unplanned_work public.stored public.stored_ttv public.stored_cohorts))
{
	# rows as text in a fixed order (text forms are lossless), and for the
	# stored types their binary send output too
	my $q = "SELECT count(*) || ' ' || md5(coalesce(string_agg(t::text, E'\\n' ORDER BY t::text), ''))"
	  . ($binary{$table} ? " || ' ' || md5(string_agg($binary{$table}, '' ORDER BY t::text))" : '')
	  . " FROM $table t";
	my $src = $node->safe_psql('dump_src', $q);
	my ($n) = $src =~ /^(\d+)/;
	ok($n > 0 && $node->safe_psql('dump_dst', $q) eq $src, "dump/restore $table ($n rows)");
}

$node->stop;
done_testing();
