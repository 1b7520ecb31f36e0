# Crash safety of platform_metrics.ingest().
#
# Several clients ingest batches concurrently, each batch in its own
# transaction, and print "start N" before and "ack N" after each COMMIT.
# Midway the server crashes, the node goes through crash recovery, and then:
#   - every event of every acknowledged batch is there, exactly once;
#   - nothing of a batch that was never started is there;
#   - the batch each client had in flight is there entirely or not at all;
#   - no id is stored twice (heap scan), heap and indexes agree (amcheck);
#   - every view of the schema platform_metrics answers;
#   - re-sending an acknowledged batch stores nothing new, re-sending the
#     in-flight batch completes it, and a new batch still goes in.
#
# Two rounds on the same cluster, each with its own ids:
#   1. SIGKILL of the postmaster alone ($node->kill9).  Its backends are
#      orphaned, finish the statement they are running and exit when they
#      next wait for their client, so the in-flight transaction never commits.
#   2. SIGKILL of the postmaster and of all its children at once (a hard crash
#      of the server): transactions die in the middle of ingest(), and one
#      can be committed without its client having seen the COMMIT.
#
# Run by make installcheck (PGXS prove_installcheck).
# Knobs: PM_CRASH_CLIENTS (default 4), PM_CRASH_MIN_BATCHES (batches each
# client must have committed before the crash, default 10).

use strict;
use warnings;

use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;
use IPC::Run;
use Time::HiRes qw(usleep time);

my $n_clients   = $ENV{PM_CRASH_CLIENTS}     || 4;
my $min_batches = $ENV{PM_CRASH_MIN_BATCHES} || 10;
my $max_batches = 20000;    # per client script; the crash comes long before

# Each batch b of client c in round r holds these own events per table, ids
# "r<r>c<c>-b<b>-<u|s|o|f|w><i>".  Besides, it carries "shared-r<r>-b<b>", the
# same usage event sent by every client in its batch b (concurrent
# duplicates), and for b > 0 a re-send of the client's first usage event of
# batch b-1 (a duplicate of committed data).
my %per_table = (usage => 40, survey => 4, onboarding => 3, feedback => 2, unplanned => 1);
my $own_events = 0;
$own_events += $_ for values %per_table;
sub batch_length { my ($b) = @_; return $own_events + 1 + ($b > 0 ? 1 : 0); }

my $node = PostgreSQL::Test::Cluster->new('crash');
$node->init;
$node->append_conf('postgresql.conf', qq(
max_connections = 20
log_statement = none
restart_after_crash = off
));
$node->start;

$node->safe_psql('postgres', q{
CREATE EXTENSION platform_metrics_analytics CASCADE;
CREATE EXTENSION amcheck;
CREATE ROLE ingest_client LOGIN IN ROLE platform_metrics_writer;
INSERT INTO platform_metrics.teams (team, headcount)
SELECT 'team-' || i, 10 + i FROM generate_series(0, 3) i;
INSERT INTO platform_metrics.capabilities (capability, mandatory, launched_at)
SELECT 'cap-' || i, i = 0, now() - interval '400 days' FROM generate_series(0, 2) i;
INSERT INTO platform_metrics.survey_waves (wave) SELECT '2025-Q' || q FROM generate_series(1, 4) q;

-- The events of one batch, deterministic, so that a batch can be re-sent.
CREATE FUNCTION public.crash_ts(minutes integer) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
    SELECT to_char(timestamp '2025-01-01' + minutes * interval '1 minute', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')
$$;
CREATE FUNCTION public.crash_usage(r integer, c integer, b integer, i integer) RETURNS jsonb
LANGUAGE sql IMMUTABLE AS $$
    SELECT jsonb_build_object('type', 'usage', 'event_id', format('r%sc%s-b%s-u%s', r, c, b, i),
        'team', 'team-' || (c + i) % 4, 'capability', 'cap-' || i % 3,
        'occurred_at', public.crash_ts(b * 60 + i),
        'kind', (ARRAY['use', 'use', 'use', 'adopt', 'abandon'])[1 + (b + i) % 5])
$$;
CREATE FUNCTION public.crash_batch(r integer, c integer, b integer) RETURNS jsonb
LANGUAGE sql IMMUTABLE AS $$
SELECT jsonb_agg(e ORDER BY k, i) FROM (
    SELECT 1 AS k, i, public.crash_usage(r, c, b, i) AS e FROM generate_series(0, 39) i
    UNION ALL
    SELECT 2, 0, jsonb_build_object('type', 'usage', 'event_id', format('shared-r%s-b%s', r, b),
        'team', 'team-0', 'capability', 'cap-0', 'occurred_at', public.crash_ts(b * 60))
    UNION ALL
    SELECT 3, 0, public.crash_usage(r, c, b - 1, 0) WHERE b > 0
    UNION ALL
    SELECT 4, i, jsonb_strip_nulls(jsonb_build_object('type', 'survey',
        'response_id', format('r%sc%s-b%s-s%s', r, c, b, i), 'wave', '2025-Q' || (1 + b % 4),
        'team', 'team-' || (c + i) % 4, 'capability', CASE WHEN i % 2 = 0 THEN 'cap-' || i % 3 END,
        'score', (c * 7 + b * 3 + i) % 11, 'comment', format('comment %s/%s/%s/%s', r, c, b, i),
        'submitted_at', public.crash_ts(b * 60 + i)))
      FROM generate_series(0, 3) i
    UNION ALL
    SELECT 5, i, jsonb_strip_nulls(jsonb_build_object('type', 'onboarding',
        'subject', format('r%sc%s-b%s-o%s', r, c, b, i), 'team', 'team-' || (c + i) % 4,
        'started_at', public.crash_ts(b * 60 + i),
        'reached_at', CASE WHEN i < 2 THEN public.crash_ts(b * 60 + i + 3 * 1440) END))
      FROM generate_series(0, 2) i
    UNION ALL
    SELECT 6, i, jsonb_strip_nulls(jsonb_build_object('type', 'feedback',
        'feedback_id', format('r%sc%s-b%s-f%s', r, c, b, i), 'team', 'team-' || (c + i) % 4,
        'capability', 'cap-' || i % 3, 'channel', 'chat', 'received_at', public.crash_ts(b * 60 + i),
        'communicated_at', CASE WHEN i = 0 THEN public.crash_ts(b * 60 + i + 7 * 1440) END))
      FROM generate_series(0, 1) i
    UNION ALL
    SELECT 7, 0, jsonb_build_object('type', 'unplanned', 'event_id', format('r%sc%s-b%s-w0', r, c, b),
        'team', 'team-' || c % 4, 'capability', 'cap-1', 'occurred_at', public.crash_ts(b * 60),
        'hours', 1.5, 'cause', 'incident')
) x
$$;
});

is($node->safe_psql('postgres',
		q{SELECT jsonb_array_length(public.crash_batch(1, 1, 0)) || ',' || jsonb_array_length(public.crash_batch(1, 1, 1))}),
	batch_length(0) . ',' . batch_length(1),
	'batch generator builds batches of the expected length');

# All ids of all tables, with the table they are in.
my $ids_sql = q{
    SELECT 'usage' AS tab, event_id AS id FROM platform_metrics.usage_events
    UNION ALL SELECT 'survey', response_id FROM platform_metrics.survey_responses
    UNION ALL SELECT 'onboarding', subject FROM platform_metrics.onboarding
    UNION ALL SELECT 'feedback', feedback_id FROM platform_metrics.feedback
    UNION ALL SELECT 'unplanned', event_id FROM platform_metrics.unplanned_work};
my $no_index = 'SET enable_indexscan = off; SET enable_indexonlyscan = off; SET enable_bitmapscan = off;';

# Rows per (client, batch, table) of round $r, read from the heap.
sub stored_batches
{
	my ($r) = @_;
	my $out = $node->safe_psql('postgres', qq{$no_index
SELECT m[1], m[2], tab, count(*)
  FROM (SELECT tab, regexp_match(id, '^r$r' || 'c([0-9]+)-b([0-9]+)-[usofw][0-9]+\$') AS m
          FROM ($ids_sql) i) x
 WHERE m IS NOT NULL
 GROUP BY 1, 2, 3});
	my %got;
	for (split /\n/, $out)
	{
		my ($c, $b, $tab, $n) = split /\|/;
		$got{$c}{$b}{$tab} = $n;
	}
	return \%got;
}

# Copies of shared-r<r>-b<b> per b.
sub shared_batches
{
	my ($r) = @_;
	my $out = $node->safe_psql('postgres', qq{$no_index
SELECT substring(event_id FROM '^shared-r$r-b([0-9]+)\$') b, count(*) FROM platform_metrics.usage_events
 WHERE event_id ~ '^shared-r$r-b' GROUP BY 1});
	return { map { split /\|/ } split /\n/, $out };
}

sub batch_state
{
	my ($tabs) = @_;
	return 'absent' unless $tabs && %$tabs;
	for my $t (sort keys %per_table)
	{
		return 'partial: ' . join(', ', map { "$_=" . ($tabs->{$_} // 0) } sort keys %per_table)
		  unless ($tabs->{$t} // 0) == $per_table{$t};
	}
	return 'complete';
}

sub ingest_as_client
{
	my ($r, $c, $b) = @_;
	my ($ret, $stdout, $stderr) = $node->psql('postgres',
		"SELECT accepted || '/' || duplicates FROM platform_metrics.ingest(public.crash_batch($r, $c, $b))",
		extra_params => [ '-U', 'ingest_client' ]);
	return $ret == 0 ? $stdout : "error: $stderr";
}

# Processes running in the data directory (the postmaster and its children).
sub server_processes
{
	my $pgdata = $node->data_dir;
	return map { m{/(\d+)$} ? $1 : () } grep {
		my $cwd = readlink("$_/cwd");
		defined $cwd && $cwd eq $pgdata
	} glob('/proc/[0-9]*');
}

sub run_round
{
	my ($r, $mode) = @_;
	my $R = "round $r ($mode)";

	# -----------------------------------------------------------------------
	# Clients: one psql each, reading a script; every batch is a transaction.
	# -----------------------------------------------------------------------
	my $workdir = PostgreSQL::Test::Utils::tempdir("clients_r$r");
	my $connstr = $node->connstr('postgres') . ' user=ingest_client';
	my (@harness, @out, @err);
	for my $c (1 .. $n_clients)
	{
		my $script = "$workdir/client$c.sql";
		open my $fh, '>', $script or die "could not write $script: $!";
		for my $b (0 .. $max_batches - 1)
		{
			print $fh "\\echo start $b\n", "BEGIN;\n",
			  "SELECT accepted, duplicates FROM platform_metrics.ingest(public.crash_batch($r, $c, $b)) \\gset\n",
			  "COMMIT;\n", "\\echo ack $b :accepted :duplicates\n";
		}
		print $fh "\\echo done\n";
		close $fh;
		$out[$c] = "$workdir/client$c.out";
		$err[$c] = "$workdir/client$c.err";
		$harness[$c] = IPC::Run::start(
			[ 'psql', '-X', '-q', '-v', 'ON_ERROR_STOP=1', '-d', $connstr, '-f', $script ],
			'<', \undef, '>', $out[$c], '2>', $err[$c]);
	}

	# Crash once every client has committed a few batches (40 own usage rows
	# each) and a second has passed, plus up to another second, so that the
	# crash hits a different moment each run.
	my $t0 = time;
	ok( $node->poll_query_until(
			'postgres', qq{
SELECT count(*) = $n_clients FROM (
    SELECT substring(event_id FROM '^r${r}c([0-9]+)-') FROM platform_metrics.usage_events
     WHERE event_id LIKE 'r${r}c%' GROUP BY 1 HAVING count(*) >= 40 * $min_batches) x}),
		"$R: every client committed at least $min_batches batches");
	my $wait = 1.0 - (time - $t0);
	usleep(int(1_000_000 * $wait)) if $wait > 0;
	usleep(int(rand(1_000_000)));
	my $postmaster = $node->{_pid};
	my $running_for = time - $t0;
	if ($mode eq 'postmaster')
	{
		$node->kill9;
	}
	else
	{
		my @children = grep { $_ != $postmaster } server_processes();
		kill 'KILL', $postmaster, @children;
		$node->{_pid} = undef;    # what kill9 does
	}
	note(sprintf("$R: SIGKILL %.2f s after the clients started", $running_for));

	# The clients lose their connections and stop.
	for my $c (1 .. $n_clients)
	{
		my $timer = IPC::Run::timer(60);
		eval { $harness[$c]->finish($timer); 1 }    # psql exits non-zero here
		  or do { $harness[$c]->kill_kill; fail("$R: client $c did not stop after the crash: $@"); };
	}

	# Orphaned backends and auxiliary processes exit once they notice the
	# postmaster is gone, and a new postmaster refuses to start while they
	# hold the old shared memory, or while the old postmaster's PID exists:
	# it stays a zombie until init reaps it.  Wait for all of that to be gone;
	# where init does not reap orphans, remove the lock file of the zombie.
	my $t_kill   = time;
	my $deadline = $t_kill + 60;
	while (time < $deadline)
	{
		next if server_processes();
		last unless kill(0, $postmaster);
		if (time - $t_kill > 10 && ((eval { slurp_file("/proc/$postmaster/stat") } // "") =~ /^\d+ \(.*\) Z /s))
		{
			note("$R: postmaster $postmaster is a zombie nobody reaps; removing postmaster.pid");
			unlink($node->data_dir . '/postmaster.pid');
			last;
		}
	}
	continue
	{
		usleep(50_000);
	}
	note(sprintf("$R: the old server processes were gone %.2f s after SIGKILL", time - $t_kill));
	my $log_offset = -s $node->logfile;
	my $started = 0;
	for my $try (1 .. 20)
	{
		last if $started = $node->start(fail_ok => 1);
		$node->{_pid} = undef;    # start() took the stale pid file for a live server
		usleep(500_000);
	}
	ok($started, "$R: node restarts after the crash");
	BAIL_OUT('node does not restart after the crash') unless $started;
	ok($node->log_contains(qr/database system was not properly shut down; automatic recovery in progress/, $log_offset),
		"$R: restart went through crash recovery");

	# -----------------------------------------------------------------------
	# What each client saw
	# -----------------------------------------------------------------------
	my (%acked, %last_started, %inflight);
	my @bad_acks;
	for my $c (1 .. $n_clients)
	{
		my $stderr = slurp_file($err[$c]);
		$last_started{$c} = -1;
		my $finished = 0;
		for (split /\n/, slurp_file($out[$c]))
		{
			if (/^start (\d+)$/) { $last_started{$c} = $1; }
			elsif (/^ack (\d+) (\d+) (\d+)$/)
			{
				my ($b, $accepted, $dups) = ($1, $2, $3);
				$acked{$c}{$b} = 1;
				# Own events are new; shared-r<r>-b<b> is new for one client only.
				push @bad_acks, "client $c batch $b: accepted=$accepted duplicates=$dups"
				  unless ($accepted == $own_events || $accepted == $own_events + 1)
				  && $accepted + $dups == batch_length($b);
			}
			elsif (/^done$/) { $finished = 1; }
			else { push @bad_acks, "client $c: unexpected output: $_"; }
		}
		my $n_acked = scalar keys %{ $acked{$c} || {} };
		$inflight{$c} = $last_started{$c}
		  if $last_started{$c} >= 0 && !$acked{$c}{ $last_started{$c} };
		ok($n_acked >= $min_batches && !$finished,
			"$R: client $c: $n_acked batches acknowledged, then stopped by the crash"
			  . (defined $inflight{$c} ? " in batch $inflight{$c}" : " between batches"));
		is_deeply([ grep { !$acked{$c}{$_} } 0 .. $last_started{$c} - 1 ],
			[], "$R: client $c: every batch before the last started one was acknowledged");
		# Only losing the connection may stop a client: no ingest() error,
		# deadlock or serialization failure.
		my @errors = grep { /ERROR/ } split /\n/, $stderr;
		is_deeply(\@errors, [], "$R: client $c: no SQL error before the crash");
		like($stderr,
			qr/server closed the connection|connection to server was lost|terminating connection|could not send data|could not receive data|no connection to the server/,
			"$R: client $c: stopped because the server went away");
	}
	is_deeply(\@bad_acks, [], "$R: every acknowledged ingest() reported the expected accepted/duplicates");

	# -----------------------------------------------------------------------
	# What the database holds
	# -----------------------------------------------------------------------
	my $got = stored_batches($r);
	my (@lost, @partial, @unstarted, @inflight_state);
	for my $c (sort keys %$got)
	{
		for my $b (sort { $a <=> $b } keys %{ $got->{$c} })
		{
			my $state = batch_state($got->{$c}{$b});
			if ($c < 1 || $c > $n_clients || $b > $last_started{$c}) { push @unstarted, "c$c b$b ($state)"; }
			elsif ($state ne 'complete') { push @partial, "c$c b$b ($state)"; }
		}
	}
	for my $c (1 .. $n_clients)
	{
		for my $b (sort { $a <=> $b } keys %{ $acked{$c} || {} })
		{
			my $state = batch_state($got->{$c}{$b});
			push @lost, "c$c b$b ($state)" unless $state eq 'complete';
		}
		push @inflight_state, "c$c b$inflight{$c} " . batch_state($got->{$c}{ $inflight{$c} })
		  if defined $inflight{$c};
	}
	is_deeply(\@lost, [], "$R: every event of every acknowledged batch survived the crash");
	is_deeply(\@partial, [], "$R: no batch is partly stored (in-flight ones all or nothing)");
	is_deeply(\@unstarted, [], "$R: nothing of a batch that was never started is stored");
	note("$R: in-flight batches after recovery: " . (join('; ', @inflight_state) || 'none'));

	# shared-r<r>-b<b>: stored once if some client had its batch b
	# acknowledged, absent if no client started batch b.
	my $shared = shared_batches($r);
	my @shared_bad;
	my $max_started = -1;
	$max_started = $_ > $max_started ? $_ : $max_started for values %last_started;
	for my $b (0 .. $max_started)
	{
		push @shared_bad, "b$b missing"
		  if !$shared->{$b} && grep { $acked{$_}{$b} } 1 .. $n_clients;
	}
	for my $b (keys %$shared)
	{
		push @shared_bad, "b$b stored $shared->{$b} times" if $shared->{$b} != 1;
		push @shared_bad, "b$b: no client started that batch" if $b > $max_started;
	}
	is_deeply([ sort @shared_bad ], [], "$R: concurrently sent duplicates stored once");

	check_integrity($R);

	# -----------------------------------------------------------------------
	# After the crash: re-sends and a new batch
	# -----------------------------------------------------------------------
	my $totals_sql =
	  "SELECT string_agg(tab || '=' || n, ' ' ORDER BY tab) FROM (SELECT tab, count(*) n FROM ($ids_sql) i GROUP BY 1) x";
	my $before = $node->safe_psql('postgres', $totals_sql);
	my @resent;
	for my $c (1 .. $n_clients)
	{
		my @b = sort { $a <=> $b } keys %{ $acked{$c} };
		my %pick = map { $_ => 1 } grep { defined } @b[ 0, int(@b / 2), -1 ];
		push @resent, map { "c$c b$_: " . ingest_as_client($r, $c, $_) } sort { $a <=> $b } keys %pick;
	}
	is_deeply([ grep { !m{: 0/\d+$} } @resent ], [], "$R: acknowledged batches sent again: nothing accepted");
	is($node->safe_psql('postgres', $totals_sql), $before, "$R: acknowledged batches sent again: no row added");

	# A client that did not get its acknowledgement sends the batch again;
	# then it is stored completely, once.
	for my $c (sort keys %inflight)
	{
		my $b   = $inflight{$c};
		my $was = batch_state($got->{$c}{$b});
		my $res = ingest_as_client($r, $c, $b);
		my ($acc) = $res =~ m{^(\d+)/};
		ok(defined $acc && ($was eq 'complete' ? $acc == 0 : $acc >= $own_events),
			"$R: in-flight batch c$c b$b ($was) sent again: accepted/duplicates $res");
	}
	my $got2 = stored_batches($r);
	my @incomplete;
	for my $c (1 .. $n_clients)
	{
		for my $b (0 .. $last_started{$c})
		{
			my $state = batch_state($got2->{$c}{$b});
			push @incomplete, "c$c b$b ($state)" unless $state eq 'complete';
		}
	}
	is_deeply(\@incomplete, [], "$R: after the re-sends every started batch is stored completely");

	my $next = $last_started{1} + 1;
	my $res = ingest_as_client($r, 1, $next);
	like($res, qr{^(\Q$own_events\E|\Q@{[$own_events + 1]}\E)/\d+$}, "$R: a new batch is accepted ($res)");
	is(batch_state(stored_batches($r)->{1}{$next}), 'complete', "$R: and stored completely");
}

# Whole-database checks, independent of the clients.
sub check_integrity
{
	my ($R) = @_;

	my $dups = $node->safe_psql('postgres', qq{$no_index
SELECT tab, id, count(*) FROM ($ids_sql) i WHERE tab <> 'onboarding' GROUP BY 1, 2 HAVING count(*) > 1
UNION ALL
SELECT 'onboarding', subject || '/' || milestone, count(*) FROM platform_metrics.onboarding
 GROUP BY 1, 2 HAVING count(*) > 1
ORDER BY 1, 2 LIMIT 20});
	is($dups, '', "$R: no id is stored twice (heap scan)");

	my $strange = $node->safe_psql('postgres', qq{
SELECT tab, id FROM ($ids_sql) i
 WHERE id !~ '^r[0-9]+c[0-9]+-b[0-9]+-[usofw][0-9]+\$' AND id !~ '^shared-r[0-9]+-b[0-9]+\$'
 ORDER BY 1, 2 LIMIT 20});
	is($strange, '', "$R: no row with an id no client sent");

	my $heap = $node->safe_psql('postgres', q{
SELECT string_agg(format('%s block %s offset %s: %s', c.oid::regclass, v.blkno, v.offnum, v.msg), E'\n')
  FROM pg_class c CROSS JOIN LATERAL verify_heapam(c.oid) v
 WHERE c.relnamespace = 'platform_metrics'::regnamespace AND c.relkind = 'r'});
	is($heap, '', "$R: verify_heapam finds nothing wrong in the tables");

	my ($bt_ret, $bt_out, $bt_err) = $node->psql('postgres', q{
SELECT i.indexrelid::regclass, bt_index_parent_check(i.indexrelid, true, true)
  FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_am a ON a.oid = c.relam
 WHERE c.relnamespace = 'platform_metrics'::regnamespace AND a.amname = 'btree'});
	ok($bt_ret == 0 && $bt_err eq '' && $bt_out ne '',
		"$R: bt_index_parent_check (heapallindexed) passes on every btree index")
	  or diag($bt_err);

	# Every view of the schema answers.
	my @views = split /\n/, $node->safe_psql('postgres',
		q{SELECT viewname FROM pg_views WHERE schemaname = 'platform_metrics' ORDER BY 1});
	cmp_ok(scalar @views, '>=', 12, "$R: " . scalar(@views) . ' views in platform_metrics');
	my @failing;
	my @counts;
	for my $v (@views)
	{
		my ($ret, $stdout, $stderr) =
		  $node->psql('postgres', qq{SELECT count(*) FROM platform_metrics."$v"});
		if ($ret == 0 && $stdout =~ /^\d+$/) { push @counts, "$v=$stdout"; }
		else { push @failing, "$v: $stderr"; }
	}
	is_deeply(\@failing, [], "$R: every view answers");
	note("$R: view rows: @counts");
}

run_round(1, 'postmaster');
run_round(2, 'all processes');

$node->stop;
done_testing();
