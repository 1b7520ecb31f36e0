# Overlapping ingest() batches with the same ids in opposite orders, from
# concurrent sessions (pgbench, each transaction rolled back so the ids stay
# new): no transaction may fail with a deadlock.  1.0 stored rows in array
# order and deadlocked here; since 1.1 they are stored in key order.
# PM_DEADLOCK_SECONDS sets the duration (default 5); PM_DEADLOCK_VERSION
# installs an older version to show the failure.

use strict;
use warnings;

use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;

my $seconds = $ENV{PM_DEADLOCK_SECONDS} || 5;
my $node = PostgreSQL::Test::Cluster->new('deadlock');
$node->init;
$node->append_conf('postgresql.conf', 'deadlock_timeout = 50ms');
$node->start;

my $create = $ENV{PM_DEADLOCK_VERSION}
  ? "CREATE EXTENSION platform_metrics VERSION '$ENV{PM_DEADLOCK_VERSION}'"
  : 'CREATE EXTENSION platform_metrics_analytics CASCADE';
$node->safe_psql('postgres', qq{
$create;
INSERT INTO platform_metrics.teams (team, headcount) VALUES ('t', 5);
INSERT INTO platform_metrics.capabilities (capability) VALUES ('c');
});

# batch(order): 20 usage events with fixed ids, ascending or descending
sub batch
{
	my @ids = $_[0] eq 'desc' ? reverse(1 .. 20) : (1 .. 20);
	my $events = join ',', map {
		qq({"type": "usage", "event_id": "k$_", "team": "t", "capability": "c", "occurred_at": "2026-03-01"})
	} @ids;
	return "BEGIN;\nSELECT * FROM platform_metrics.ingest('[$events]');\nROLLBACK;\n";
}
my $dir = $PostgreSQL::Test::Utils::tmp_check;
append_to_file("$dir/asc.sql", batch('asc'));
append_to_file("$dir/desc.sql", batch('desc'));

my ($out, $err) = run_command([
	'pgbench', '-n', '-c', '4', '-j', '2', '-T', $seconds, '--max-tries=1', '--failures-detailed',
	'-f', "$dir/asc.sql", '-f', "$dir/desc.sql", '-h', $node->host, '-p', $node->port, 'postgres' ]);
my ($tx) = $out =~ /^number of transactions actually processed: (\d+)/m;
my ($deadlocks) = $out =~ /^number of deadlock failures: (\d+)/m;
my $aborted = () = ($out . $err) =~ /aborted in command/g;
note("$tx transactions of 20 shared ids in opposite orders, $deadlocks deadlock failures");
ok(defined $tx && $tx > 0 && defined $deadlocks && $deadlocks == 0 && $aborted == 0,
	'overlapping batches in opposite orders never deadlock')
  or diag(join "\n", grep { /deadlock|ERROR|aborted/ } split /\n/, $out . $err);

$node->stop;
done_testing();
