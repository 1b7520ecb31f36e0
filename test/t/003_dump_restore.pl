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
use File::Basename qw(dirname);

my $root = dirname(__FILE__) . '/../..';

my $node = PostgreSQL::Test::Cluster->new('dump');
$node->init;
$node->start;

$node->safe_psql('postgres', 'CREATE DATABASE dump_src');
$node->safe_psql('dump_src', slurp_file("$root/test/dump_data.sql"));
# summaries in the source (derived data: left out of the dump)
$node->safe_psql('dump_src', 'CALL platform_metrics.refresh()');

my $dump = "$PostgreSQL::Test::Utils::tmp_check/dump";
command_ok([ 'pg_dump', '-Fc', '-d', $node->connstr('dump_src'), '-f', $dump ], 'pg_dump');
$node->safe_psql('postgres', 'CREATE DATABASE dump_dst');
command_ok([ 'pg_restore', '--exit-on-error', '-d', $node->connstr('dump_dst'), $dump ], 'pg_restore');

is($node->safe_psql('dump_dst', q{
SELECT string_agg(extname || ' ' || extversion, ', ' ORDER BY extname) FROM pg_extension WHERE extname LIKE 'platform%'}),
	'platform_metrics 1.8, platform_metrics_analytics 1.8', 'both extensions are restored');

# per table: rows, md5 of the rows as text (lossless) and, for the stored
# types, of their binary send output (test/dump_check.sql)
my $check = slurp_file("$root/test/dump_check.sql");
my %src = map { (split /\|/, $_, 2) } split /\n/, $node->safe_psql('dump_src', $check);
my %dst = map { (split /\|/, $_, 2) } split /\n/, $node->safe_psql('dump_dst', $check);
is(scalar(keys %src), 13, 'thirteen tables checked');
for my $table (sort keys %src)
{
	my ($n) = $src{$table} =~ /^(\d+)/;
	ok($n > 0 && ($dst{$table} // '') eq $src{$table}, "dump/restore $table ($n rows)");
}
my @plans = $node->safe_psql('dump_dst', q{
SET enable_seqscan = off;
SET search_path = public, platform_metrics;
EXPLAIN (COSTS OFF) SELECT * FROM stored WHERE q = 'optional_poor';
EXPLAIN (COSTS OFF) SELECT * FROM stored WHERE s = 'promoters=1 passives=0 detractors=0'}) =~
  /(?:Index Scan using|Bitmap Index Scan on) (stored_\w+)/g;
is("@plans", 'stored_q stored_s', 'the restored btree (mandate_quadrant) and hash (nps_summary) indexes are used');

# The usage views read summaries: rebuilt from the restored rows by the first
# refresh, they answer as in the source, before it and after it; rows keep
# their numbers and new ones are numbered above them.
my $views = q{SELECT md5(string_agg(x::text, ',' ORDER BY x::text)) FROM (
    SELECT a::text AS x FROM platform_metrics.capability_adoption a
    UNION ALL SELECT r::text FROM platform_metrics.capability_retention r
    UNION ALL SELECT c::text FROM platform_metrics.churned_teams c
    UNION ALL SELECT p::text FROM platform_metrics.post_launch_adoption p) v};
my $src_views = $node->safe_psql('dump_src', $views);
is($node->safe_psql('dump_dst', 'SELECT watermark || \',\' || (tail_rows = (SELECT count(*) FROM platform_metrics.usage_events)) FROM platform_metrics.refresh_status WHERE watermark IS NOT NULL'),
	'0,true', 'restored: no summaries yet, every row in the tail');
is($node->safe_psql('dump_dst', $views), $src_views, 'restored: the usage views answer as in the source (from raw)');
$node->safe_psql('dump_dst', 'CALL platform_metrics.refresh()');
is($node->safe_psql('dump_dst', $views), $src_views, 'after the first refresh: the same answers, from the summaries');
is($node->safe_psql('dump_dst', q{
INSERT INTO platform_metrics.usage_events (event_id, team, capability, occurred_at)
SELECT 'after-restore', team, capability, occurred_at FROM platform_metrics.usage_events LIMIT 1;
SELECT (SELECT seq FROM platform_metrics.usage_events WHERE event_id = 'after-restore')
       > (SELECT max(seq) FROM platform_metrics.usage_events WHERE event_id <> 'after-restore'),
       (SELECT tail_rows FROM platform_metrics.refresh_status WHERE watermark IS NOT NULL)}),
	"t|1", 'a row inserted after the restore is numbered above the restored ones, in the tail');

$node->stop;
done_testing();
