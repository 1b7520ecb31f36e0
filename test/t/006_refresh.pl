# The refresh worker and a crash during a refresh.
#
#   - With platform_metrics_analytics preloaded, the worker refreshes the
#     summaries every refresh_interval by itself while clients ingest, and
#     the views stay equal to the raw computation throughout.
#   - refresh_interval = 0 (reloaded with SIGHUP) stops it; a reload with a
#     new interval starts it again.
#   - The server is killed (postmaster and every child at once) while a
#     refresh rebuilds the summaries: after crash recovery the summaries are
#     those of the last committed refresh, and summaries + tail equal raw.
#
# Run by make installcheck (PGXS prove_installcheck).

use strict;
use warnings;

use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;
use IPC::Run;
use Time::HiRes qw(usleep time);

my $node = PostgreSQL::Test::Cluster->new('refresh');
$node->init;
$node->append_conf('postgresql.conf', q(
shared_preload_libraries = 'platform_metrics_analytics'
platform_metrics.refresh_database = 'postgres'
platform_metrics.refresh_interval = 1
restart_after_crash = off
));
$node->start;

$node->safe_psql('postgres', q{
CREATE EXTENSION platform_metrics_analytics CASCADE;
CREATE ROLE ingest_client LOGIN IN ROLE platform_metrics_writer;
INSERT INTO platform_metrics.teams (team, headcount) SELECT 'team-' || i, 5 FROM generate_series(0, 49) i;
INSERT INTO platform_metrics.capabilities (capability, launched_at)
SELECT 'cap-' || i, now() - interval '400 days' FROM generate_series(0, 4) i;
CREATE FUNCTION public.batch(b integer) RETURNS jsonb LANGUAGE sql AS $$
    SELECT jsonb_agg(jsonb_build_object('type', 'usage', 'event_id', 'b' || b || '-' || i,
        'team', 'team-' || (b * 7 + i) % 50, 'capability', 'cap-' || (b + i) % 5,
        'occurred_at', now() - ((b * 13 + i * 17) % 400) * interval '1 day',
        'kind', (ARRAY['use', 'use', 'use', 'adopt', 'abandon'])[1 + (b + i) % 5]))
      FROM generate_series(1, 200) i
$$;
-- the views' rows per (capability, team) against raw: rows that differ
CREATE FUNCTION public.mismatches() RETURNS bigint LANGUAGE sql AS $$
    WITH raw AS (
        SELECT u.capability, u.team, count(*) AS events, min(u.occurred_at) AS first_at,
               min(u.occurred_at) FILTER (WHERE u.kind <> 'abandon') AS first_use_at,
               max(u.occurred_at) FILTER (WHERE u.kind <> 'abandon') AS last_use_at,
               max(u.occurred_at) FILTER (WHERE u.kind = 'abandon') AS last_abandon_at
          FROM platform_metrics.usage_events u GROUP BY 1, 2)
    SELECT (SELECT count(*) FROM (SELECT * FROM platform_metrics.pm_usage_per_team EXCEPT ALL SELECT * FROM raw) a)
         + (SELECT count(*) FROM (SELECT * FROM raw EXCEPT ALL SELECT * FROM platform_metrics.pm_usage_per_team) b)
$$;
-- summarised events + tail rows - raw rows (0 when every row is counted once)
CREATE FUNCTION public.balance() RETURNS bigint LANGUAGE sql AS $$
    SELECT coalesce((SELECT sum(events) FROM platform_metrics.usage_team_summary), 0)
         + (SELECT tail_rows FROM platform_metrics.refresh_status WHERE watermark IS NOT NULL)
         - (SELECT count(*) FROM platform_metrics.usage_events)
$$;
});

ok($node->poll_query_until('postgres',
		q{SELECT count(*) = 1 FROM pg_stat_activity WHERE backend_type = 'platform_metrics refresh worker'}),
	'the refresh worker runs');

# Clients ingest while the worker refreshes.
my $refreshes_before = $node->safe_psql('postgres', 'SELECT refreshes FROM platform_metrics.refresh_status WHERE watermark IS NOT NULL');
my $start = time;
for my $b (1 .. 40)
{
	$node->safe_psql('postgres', "SELECT accepted FROM platform_metrics.ingest(public.batch($b))",
		extra_params => [ '-U', 'ingest_client' ]);
	usleep(50_000);
}
note(sprintf('40 batches in %.1f s', time - $start));
ok($node->poll_query_until('postgres',
		qq{SELECT refreshes >= $refreshes_before + 2 AND tail_rows = 0 FROM platform_metrics.refresh_status WHERE watermark IS NOT NULL}),
	'the worker folded every batch by itself');
is($node->safe_psql('postgres', 'SELECT public.mismatches() || \',\' || public.balance()'), '0,0',
	'after the worker\'s refreshes the views equal raw and every row is counted once');
is($node->safe_psql('postgres', 'SELECT rows_folded FROM platform_metrics.refresh_status WHERE watermark IS NOT NULL'), '8000',
	'the worker folded the 8000 events');

# refresh_interval = 0 stops it; a new interval starts it again.
$node->append_conf('postgresql.conf', 'platform_metrics.refresh_interval = 0');
$node->reload;
sleep 2;    # a refresh already running when the reload arrives may finish
my $stopped_at = $node->safe_psql('postgres', 'SELECT refreshes FROM platform_metrics.refresh_status WHERE watermark IS NOT NULL');
$node->safe_psql('postgres', 'SELECT accepted FROM platform_metrics.ingest(public.batch(41))');
sleep 3;
is($node->safe_psql('postgres', 'SELECT refreshes || \',\' || tail_rows FROM platform_metrics.refresh_status WHERE watermark IS NOT NULL'),
	"$stopped_at,200", 'refresh_interval = 0: no refresh, the new batch stays in the tail');
is($node->safe_psql('postgres', 'SELECT public.mismatches()'), '0', 'the views count the tail');
$node->append_conf('postgresql.conf', 'platform_metrics.refresh_interval = 1');
$node->reload;
ok($node->poll_query_until('postgres', q{SELECT tail_rows = 0 FROM platform_metrics.refresh_status WHERE watermark IS NOT NULL}),
	'a reload with an interval starts the refreshes again');

# Stop the worker for the crash test: the test's own refresh is the one killed.
$node->append_conf('postgresql.conf', 'platform_metrics.refresh_interval = 0');
$node->reload;
sleep 2;
$node->safe_psql('postgres', q{
INSERT INTO platform_metrics.usage_events (event_id, team, capability, occurred_at, kind)
SELECT 'big-' || i, 'team-' || i % 50, 'cap-' || i % 5, now() - (i % 400) * interval '1 day',
       CASE WHEN i % 9 = 0 THEN 'abandon' ELSE 'use' END
  FROM generate_series(1, 600000) i;
DELETE FROM platform_metrics.usage_events WHERE event_id LIKE 'b1-%';
});
my $before = $node->safe_psql('postgres',
	'SELECT watermark || \',\' || refreshes || \',\' || (SELECT sum(events) FROM platform_metrics.usage_team_summary) FROM platform_metrics.refresh_status WHERE watermark IS NOT NULL');

# A full rebuild of 608k rows, killed while it runs.
my ($out, $err) = ('', '');
my $refresh = IPC::Run::start(
	[ 'psql', '-X', '-d', $node->connstr('postgres'), '-c', 'CALL platform_metrics.refresh(full => true)' ],
	'>', \$out, '2>', \$err);
ok($node->poll_query_until('postgres',
		q{SELECT count(*) = 1 FROM pg_stat_activity WHERE query LIKE 'CALL platform_metrics.refresh(full%' AND state = 'active'}),
	'the rebuild is running');
# (killed at once: on an idle machine the whole rebuild can take well under
# a second, and a pause here let it commit before the kill, on PostgreSQL 18)
usleep(20_000);
my $pgdata = $node->data_dir;
my @procs = map { m{/(\d+)$} ? $1 : () }
  grep { my $cwd = readlink("$_/cwd"); defined $cwd && $cwd eq $pgdata } glob('/proc/[0-9]*');
kill 'KILL', @procs;
$node->{_pid} = undef;
eval { $refresh->finish; };
for (1 .. 100) { last unless grep { kill(0, $_) } @procs; usleep(100_000); }
my $started = 0;
for (1 .. 30) { last if $started = $node->start(fail_ok => 1); $node->{_pid} = undef; sleep 1; }
ok($started, 'the node restarts after the crash');

is($node->safe_psql('postgres',
		'SELECT watermark || \',\' || refreshes || \',\' || (SELECT sum(events) FROM platform_metrics.usage_team_summary) FROM platform_metrics.refresh_status WHERE watermark IS NOT NULL'),
	$before, 'after recovery the summaries are those of the last committed refresh');
is($node->safe_psql('postgres', 'SELECT public.mismatches()'), '0', 'after recovery the views equal raw');
is($node->safe_psql('postgres', 'SELECT changed_keys > 0 FROM platform_metrics.refresh_status WHERE watermark IS NOT NULL'), 't',
	'the DELETE\'s marks survived the crash');
$node->safe_psql('postgres', 'CALL platform_metrics.refresh()');
is($node->safe_psql('postgres',
		'SELECT public.mismatches() || \',\' || public.balance() || \',\' || tail_rows || \',\' || changed_keys FROM platform_metrics.refresh_status WHERE watermark IS NOT NULL'),
	'0,0,0,0', 'a refresh after recovery folds the tail and the marks; the views still equal raw');

$node->stop;
done_testing();
