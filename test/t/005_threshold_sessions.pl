# The anonymity thresholds against a reader's own sessions: a fresh
# connection as the reader, where the library is not loaded yet, may set the
# thresholds as placeholders (PGOPTIONS, SET) before the first view loads it;
# those values must never be used.  sql/anonymity.sql covers the rest of the
# attack suite (it runs in one session, where the library is already loaded).

use strict;
use warnings;

use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;

my $node = PostgreSQL::Test::Cluster->new('thresholds');
$node->init;
$node->start;
$node->safe_psql('postgres', q{
CREATE EXTENSION platform_metrics_analytics CASCADE;
CREATE ROLE regress_reader LOGIN IN ROLE platform_metrics_reader;
SET search_path = platform_metrics;
INSERT INTO teams VALUES ('big', 20), ('small', 3), ('mid', 10);
INSERT INTO survey_waves (wave) VALUES ('W');
-- small: P1 D1; mid: P2 Pa2 D5; hidden together: P3 Pa2 D6, 11 answers
INSERT INTO survey_responses (response_id, wave, team, score)
SELECT t || i, 'W', t, score
  FROM (VALUES ('big', ARRAY[10, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0]), ('small', ARRAY[0, 10]),
               ('mid', ARRAY[10, 9, 8, 7, 6, 5, 4, 3, 2])) v(t, scores),
       unnest(scores) WITH ORDINALITY u(score, i);
UPDATE survey_waves SET closed_at = now();});

# what the reader sees at the default threshold (5): small hidden, and mid
# with it (complementary suppression); big shows
my $view = q{SELECT string_agg(team || ':' || suppressed, ',' ORDER BY team) FROM platform_metrics.nps_by_team};
my $expected = 'big:false,mid:true,small:true';
is($node->safe_psql('postgres', $view, extra_params => [ '-U', 'regress_reader' ]),
	$expected, 'the reader sees small and mid hidden at the default threshold');

{
	local $ENV{PGOPTIONS} = '-c platform_metrics.min_group_size=1 -c platform_metrics.min_comment_group_size=1';
	is($node->safe_psql('postgres', $view, extra_params => [ '-U', 'regress_reader' ]),
		$expected, 'thresholds a reader passes in PGOPTIONS are not used');
}
is($node->safe_psql('postgres', "SET platform_metrics.min_group_size = 1; $view",
		extra_params => [ '-U', 'regress_reader' ]),
	$expected, 'a threshold a reader SETs before the library is loaded is not used');
is($node->safe_psql('postgres', "SELECT set_config('platform_metrics.min_group_size', '1', false); $view",
		extra_params => [ '-U', 'regress_reader' ]),
	"1\n$expected", 'nor one it sets with set_config() before the library is loaded');
my ($ret, $out, $err) = $node->psql('postgres', 'ALTER ROLE regress_reader SET platform_metrics.min_group_size = 1',
	extra_params => [ '-U', 'regress_reader' ]);
like($err, qr/permission denied to set parameter/, 'the reader cannot lower it for its role');
is($node->safe_psql('postgres', $view, extra_params => [ '-U', 'regress_reader' ]),
	$expected, 'and its next session still sees the default');
# a superuser can (ALTER SYSTEM, ALTER DATABASE ... SET): the setting is theirs
$node->safe_psql('postgres', 'ALTER DATABASE postgres SET platform_metrics.min_group_size = 2');
is($node->safe_psql('postgres', $view, extra_params => [ '-U', 'regress_reader' ]),
	'big:false,mid:false,small:false', 'a threshold a superuser sets for the database applies');

$node->stop;
done_testing();
