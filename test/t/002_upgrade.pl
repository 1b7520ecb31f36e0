# The upgrade path, from every older version to the current one.
#
# For each older version V (1.0, 1.1; 1.2 with the layer's extension and
# ALTER EXTENSION ... UPDATE of both instead of steps 2 and 3): install platform_metrics V, store raw
# rows and build user objects that depend on both the library and the layer
# (a view using nps(), a table with columns of every stored type and indexes
# on mandate_quadrant and nps_summary, a SQL function, a user view over a
# layer view, a user index on a raw table, a user table with a foreign key to
# teams, a user function calling ingest()).  Then, with the current shared
# libraries already installed (as after a package upgrade):
#   1. the V database keeps working before it is updated: ingest() stores,
#      the views answer;
#   2. ALTER EXTENSION platform_metrics UPDATE releases the layer, which keeps
#      working as plain objects;
#   3. CREATE EXTENSION platform_metrics_analytics adopts it;
# and afterwards every raw row, every stored value and every user object
# answers as before, the indexes are still used, and both extensions have
# exactly the member objects, with their definitions, of a fresh install
# (test/t/members.sql): no drift between the live sources and the upgrade
# scripts.  The upgrade scripts never DROP, but a function whose result type
# changes (ingest() in 1.7); a user object that depends on it makes the
# update fail until it is dropped, and it works again once created again.

use strict;
use warnings;

use File::Basename qw(dirname);
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;

my $root = dirname(__FILE__) . '/../..';
my $members_sql = slurp_file("$root/test/t/members.sql");

# Upgrade scripts only end memberships and add or replace: never DROP, but
# for a function whose result type changes (OUT columns), which CREATE OR
# REPLACE cannot do.  A line `DROP FUNCTION x(args);` (no CASCADE, no IF
# EXISTS, a plain statement) is allowed when the same script creates
# FUNCTION x( again further down: without CASCADE, a user object that depends
# on the function (a view, a function with a SQL-standard body calling it)
# makes the whole update fail and roll back, rather than go with it, so
# nothing is lost; the script keeps the function's privileges itself.
my @drops;
for my $f (glob("$root/src/upgrade/*--*--*.sql"))
{
	my @lines = split /\n/, slurp_file($f);
	for my $i (0 .. $#lines)
	{
		next unless $lines[$i] =~ /^\s*DROP\s/i;
		if ($lines[$i] =~ /^\s*DROP\s+FUNCTION\s+([\w@.]+)\([\w\s,]*\)\s*;\s*$/i)
		{
			my $name = $1;
			next if grep { /^\s*CREATE\s+(?:OR\s+REPLACE\s+)?FUNCTION\s+\Q$name\E\(/i } @lines[ $i + 1 .. $#lines ];
		}
		push @drops, "$f:" . ($i + 1) . ": $lines[$i]";
	}
}
is_deeply(\@drops, [], 'upgrade scripts have no DROP (but of a function they create again)');

# same_lines(GOT, EXPECTED, NAME): equal line sets; on failure, shows only
# the lines that differ (a whole catalog listing would drown them).
sub same_lines
{
	my ($got, $expected, $name) = @_;
	my %g = map { $_ => 1 } split /\n/, $got;
	my %e = map { $_ => 1 } split /\n/, $expected;
	my @missing = grep { !$g{$_} } sort keys %e;
	my @extra   = grep { !$e{$_} } sort keys %g;
	ok(!@missing && !@extra, $name)
	  or diag(join("\n", (map { "missing: " . substr($_, 0, 400) } @missing),
			(map { "extra:   " . substr($_, 0, 400) } @extra)));
}

my $node = PostgreSQL::Test::Cluster->new('upgrade');
$node->init;
$node->start;

# A fresh install of the current version: the reference catalog.
$node->safe_psql('postgres', 'CREATE DATABASE fresh');
$node->safe_psql('fresh', 'CREATE EXTENSION platform_metrics_analytics CASCADE');
my $fresh = $node->safe_psql('fresh', $members_sql);
my $current = $node->safe_psql('fresh',
	q{SELECT extversion FROM pg_extension WHERE extname = 'platform_metrics'});
cmp_ok(scalar(split /\n/, $fresh), '>', 150, 'a fresh install has its member objects');

# The library alone: no tables, views, roles or layer settings functions.
$node->safe_psql('postgres', 'CREATE DATABASE library_only');
$node->safe_psql('library_only', 'CREATE EXTENSION platform_metrics');
is($node->safe_psql('library_only', q{
SELECT count(*) FILTER (WHERE c.relkind IN ('r', 'v', 'm', 'S')) || ' relations, ' ||
       (SELECT count(*) FROM pg_proc p WHERE p.pronamespace = 'platform_metrics'::regnamespace
           AND p.proname IN ('ingest', 'min_group_size', 'min_comment_group_size', 'pm_survey_comments')) || ' layer functions'
  FROM pg_class c WHERE c.relnamespace = 'platform_metrics'::regnamespace}),
	'0 relations, 0 layer functions',
	'the library alone creates no table, view or layer function');

# Adoption takes only the released objects: a table of the same name that
# someone else made in the schema is not adopted, and the install fails.
$node->safe_psql('library_only', q{
CREATE ROLE squatter;
GRANT CREATE ON SCHEMA platform_metrics TO squatter;
SET ROLE squatter;
CREATE TABLE platform_metrics.teams (team text PRIMARY KEY, headcount integer);
RESET ROLE;});
my ($ret, $out, $err) = $node->psql('library_only', 'CREATE EXTENSION platform_metrics_analytics');
like($err, qr/teams/, "an object of another owner with a layer object's name is not adopted: $err");
is($node->safe_psql('library_only', q{
SELECT count(*) FROM pg_extension WHERE extname = 'platform_metrics_analytics'}), '0', 'and the layer is not installed');
$node->safe_psql('library_only', 'DROP TABLE platform_metrics.teams; REVOKE CREATE ON SCHEMA platform_metrics FROM squatter; DROP ROLE squatter');

$node->safe_psql('postgres', 'CREATE ROLE regress_bi');
# A pm_ingest.privileges the installing session brings along (PGOPTIONS, a
# role setting) is not taken for ingest()'s privileges: only the adoption of
# a 1.0 or 1.1 ingest() saves them there.
$node->safe_psql('postgres', 'CREATE DATABASE planted');
is($node->safe_psql('planted', q{SET pm_ingest.privileges = '{"acl": "{=X/postgres}"}';
CREATE EXTENSION platform_metrics_analytics CASCADE;
SELECT (SELECT count(*) FROM aclexplode(proacl) a WHERE a.grantee = 0) || ' ' ||
       has_function_privilege('platform_metrics_writer', oid, 'EXECUTE')
  FROM pg_proc WHERE oid = 'platform_metrics.ingest(jsonb)'::regprocedure}),
	'0 true', 'a planted pm_ingest.privileges gives PUBLIC nothing and takes nothing from the writer');
$node->safe_psql('postgres', 'DROP DATABASE planted');
# A user function calling ingest(), with a SQL-standard body: it depends on
# ingest(), which 1.7 drops and creates again (a result column more), so it
# must be dropped before the update (which fails while it exists) and created
# again after.
my $record_use = q{
CREATE FUNCTION public.record_use(id text, t text) RETURNS bigint LANGUAGE sql VOLATILE
    RETURN (SELECT accepted FROM platform_metrics.ingest(jsonb_build_array(jsonb_build_object(
        'type', 'usage', 'event_id', id, 'team', t, 'capability', 'ci', 'occurred_at', '2026-05-01T00:00:00Z'))));
};
my $versions = q{SELECT string_agg(extname || ' ' || extversion, ', ' ORDER BY extname)
  FROM pg_extension WHERE extname LIKE 'platform_metrics%'};
# update_blocked(DB, FROM, SQL): the update (SQL) fails while record_use()
# depends on ingest(), naming it, and changes nothing; ingest() still stores.
# Then record_use() is dropped, for the update to go ahead.
sub update_blocked
{
	my ($db, $from, $sql) = @_;
	my $versions_before = $node->safe_psql($db, $versions);
	my ($ret, $out, $err) = $node->psql($db, $sql);
	like($err,
		qr/cannot drop function (?:platform_metrics\.)?ingest\(jsonb\) because other objects depend on it\nDETAIL:  function (?:public\.)?record_use\(text,\s?text\) depends on function (?:platform_metrics\.)?ingest\(jsonb\)/,
		"$from: while a user function depends on ingest(), the update fails and names it");
	is($node->safe_psql($db, $versions), $versions_before, "$from: and changes nothing");
	is($node->safe_psql($db, q{SELECT public.record_use('blocked', 'team-4');
DELETE FROM platform_metrics.usage_events WHERE event_id = 'blocked';
DROP FUNCTION public.record_use(text, text);}), '1', "$from: the user function still stores; it is dropped");
}
my $setup = q{
SET search_path = public, platform_metrics;
INSERT INTO teams SELECT 'team-' || i, 4 + i FROM generate_series(1, 6) i;
INSERT INTO capabilities VALUES ('ci', true, '2026-01-01', 'CI'), ('docs', false, '2026-02-01', 'Docs');
-- (from 1.3, answers go to registered waves: the wave is registered, open)
DO $$BEGIN IF to_regclass('platform_metrics.survey_waves') IS NOT NULL THEN
    INSERT INTO platform_metrics.survey_waves (wave, opened_at) VALUES ('2026-Q1', '2026-03-01');
END IF; END$$;
INSERT INTO survey_responses
SELECT 'r' || i, '2026-Q1', 'team-' || (1 + i % 6), CASE WHEN i % 4 = 0 THEN 'ci' END, 'nps', (i * 7) % 11,
       CASE WHEN i % 9 = 0 THEN 'comment ' || i END, '2026-03-01'::timestamptz + i * interval '1 hour'
  FROM generate_series(1, 300) i;
INSERT INTO usage_events
SELECT 'u' || i, 'team-' || (1 + i % 6), CASE WHEN i % 2 = 0 THEN 'ci' ELSE 'docs' END,
       '2026-01-01'::timestamptz + i * interval '7 hours', (ARRAY['use', 'adopt', 'abandon'])[1 + i % 3]
  FROM generate_series(1, 500) i;
INSERT INTO onboarding
SELECT 'eng-' || i, 'team-' || (1 + i % 6), 'first_deploy', '2026-01-01'::timestamptz + i * interval '1 day',
       CASE WHEN i % 4 <> 0 THEN '2026-01-01'::timestamptz + i * interval '1 day' + i * interval '3 hours' END
  FROM generate_series(1, 60) i;
INSERT INTO feedback (feedback_id, team, received_at, synthesized_at, theme)
SELECT 'f' || i, 'team-' || (1 + i % 6), '2026-02-01'::timestamptz + i * interval '1 day',
       '2026-02-02'::timestamptz + i * interval '1 day', 'theme ' || (i % 3)
  FROM generate_series(1, 20) i;
INSERT INTO unplanned_work SELECT 'w' || i, 'team-' || (1 + i % 6), 'ci', '2026-03-01'::timestamptz + i * interval '1 day', 1.5 * i, 'incident'
  FROM generate_series(1, 10) i;
-- user objects on the library
CREATE VIEW team_nps AS
SELECT team, nps(score) AS nps, nps_summary(score) AS s,
       mandate_quadrant(true, nps_summary(score)) AS quadrant
  FROM survey_responses GROUP BY team;
CREATE TABLE capability_health (
    capability text PRIMARY KEY, quadrant mandate_quadrant NOT NULL, s nps_summary,
    sketch ttv_sketch, curve ttv_curve, cohorts cohort_matrix);
CREATE INDEX capability_health_quadrant ON capability_health (quadrant);
CREATE INDEX capability_health_s ON capability_health USING hash (s);
INSERT INTO capability_health
SELECT 'cap-' || g, (ARRAY['mandatory_good', 'mandatory_poor', 'optional_good', 'optional_poor'])[1 + g % 4]::mandate_quadrant,
       format('promoters=%s passives=1 detractors=1', g % 3)::nps_summary,
       (SELECT ttv_sketch(make_interval(hours => g * j)) FROM generate_series(1, 50) j),
       (SELECT ttv_curve(started_at, reached_at, '2026-06-01') FROM onboarding WHERE team = 'team-' || (1 + g % 6)),
       (SELECT churn_cohort('m' || j % 7, '2026-01-01'::timestamptz + j * interval '2 days', '1 week') FROM generate_series(1, g) j)
  FROM generate_series(1, 400) g;
ANALYZE capability_health;
CREATE FUNCTION p90_hours(cap text) RETURNS numeric LANGUAGE sql STABLE
BEGIN ATOMIC
    SELECT round(extract(epoch FROM ttv_percentile(reached_at - started_at, 0.9)) / 3600)
      FROM onboarding WHERE milestone = 'first_deploy' AND cap IS NOT NULL;
END;
-- user objects on the layer
CREATE VIEW team_board AS SELECT wave, team, responses, suppressed FROM platform_metrics.nps_by_team;
CREATE INDEX usage_events_by_kind ON platform_metrics.usage_events (kind, occurred_at);
CREATE TABLE team_owner (team text PRIMARY KEY REFERENCES platform_metrics.teams, owner text);
INSERT INTO team_owner SELECT team, 'owner of ' || team FROM platform_metrics.teams;
-- privileges users changed on layer objects: a grant to their BI role, a
-- column grant, a revoke of the reader's SELECT on one view
GRANT SELECT ON platform_metrics.nps_by_team TO regress_bi;
GRANT SELECT (team, headcount) ON platform_metrics.teams TO regress_bi;
GRANT EXECUTE ON FUNCTION platform_metrics.ingest(jsonb) TO regress_bi;
REVOKE SELECT ON platform_metrics.nps_trend FROM platform_metrics_reader;
-- and a privilege revoked from the writer, which must stay revoked
REVOKE UPDATE ON platform_metrics.feedback FROM platform_metrics_writer;
} . $record_use;

# What the data and the user objects answer: before and after.
my $snapshot = qq{
SET search_path = public, platform_metrics;
SELECT * FROM team_nps ORDER BY team;
SELECT capability, quadrant, recommended_action(quadrant), s, nps(s), round(extract(epoch FROM ttv_percentile(sketch, 0.9))),
       ttv_count(sketch), ttv_reached(curve), md5(cohorts::text), sketch::text = sketch::text::ttv_sketch::text
  FROM capability_health ORDER BY capability;
SELECT capability FROM capability_health WHERE quadrant = 'mandatory_good' ORDER BY 1;
SELECT capability FROM capability_health WHERE s = 'promoters=2 passives=1 detractors=1' ORDER BY 1;
SELECT p90_hours('ci');
SELECT * FROM team_owner ORDER BY 1;
-- (the columns every version has: 1.6 adds numeric twins at the end)
SELECT milestone, start_month, started, reached, on_the_way, p50, p75, p90, naive_median FROM time_to_value ORDER BY 1, 2;
SELECT * FROM capability_adoption ORDER BY 1;
};
# The survey views: from 1.3 they show closed waves only, and an update
# registers the waves already answered open, so they answer the same once
# the wave is closed.
my $survey_snapshot = qq{
SET search_path = public, platform_metrics;
SELECT * FROM team_board ORDER BY 1, 2;
SELECT * FROM nps_by_survey ORDER BY 1;
SELECT wave, team, capability, comment FROM survey_comments ORDER BY 1, 2, 3, 4;
};
my $survey_empty = q{
SELECT (SELECT count(*) FROM platform_metrics.nps_by_survey) + (SELECT count(*) FROM platform_metrics.nps_by_team)
     + (SELECT count(*) FROM platform_metrics.survey_comments)
     + (SELECT count(*) FROM platform_metrics.capability_quadrants WHERE NOT suppressed)
     || ' ' || (SELECT string_agg(wave || ':' || (closed_at IS NULL), ',') FROM platform_metrics.survey_waves)};
my $close_waves = q{UPDATE platform_metrics.survey_waves SET closed_at = now()};
# 1.3's privileges of the writer and admin roles, whatever they were
my $role_privileges = q{
SELECT has_table_privilege('platform_metrics_writer', 'platform_metrics.teams', 'INSERT'),
       has_table_privilege('platform_metrics_writer', 'platform_metrics.capabilities', 'INSERT'),
       has_table_privilege('platform_metrics_writer', 'platform_metrics.onboarding', 'SELECT'),
       has_column_privilege('platform_metrics_writer', 'platform_metrics.onboarding', 'team', 'UPDATE'),
       has_column_privilege('platform_metrics_writer', 'platform_metrics.onboarding', 'reached_at', 'UPDATE'),
       has_column_privilege('platform_metrics_writer', 'platform_metrics.feedback', 'theme', 'UPDATE'),
       has_column_privilege('platform_metrics_writer', 'platform_metrics.feedback', 'received_at', 'UPDATE'),
       has_table_privilege('platform_metrics_writer', 'platform_metrics.survey_waves', 'INSERT'),
       has_table_privilege('platform_metrics_admin', 'platform_metrics.survey_waves', 'UPDATE'),
       has_table_privilege('platform_metrics_admin', 'platform_metrics.teams', 'INSERT'),
       has_table_privilege('platform_metrics_admin', 'platform_metrics.survey_responses', 'INSERT')};
# (UPDATE of feedback's columns: revoked before the update, stays revoked)
my $role_privileges_13 = 'f|f|f|f|t|f|f|f|t|t|f';
# raw rows, table by table, as text (lossless)
my $rows = join "\nUNION ALL ", map {
	"SELECT '$_', count(*) || ' ' || md5(coalesce(string_agg((to_jsonb(t) - 'submission_id' - 'seq')::text, E'\\n' ORDER BY (to_jsonb(t) - 'submission_id' - 'seq')::text), '')) FROM platform_metrics.$_ t"
} qw(capabilities teams survey_responses usage_events onboarding feedback unplanned_work);
$rows .= ";";

# The privileges of the layer's objects, as they are and as pg_dump would
# restore them: those of the objects that existed before, without the writer's
# and admin's (1.3 sets theirs: $role_privileges).
my $privileges = q{
CREATE FUNCTION pg_temp.others(acl aclitem[]) RETURNS text LANGUAGE sql
    RETURN (SELECT string_agg(i::text, ',' ORDER BY i::text) FROM unnest(acl) i
             WHERE split_part(i::text, '=', 1) NOT IN ('platform_metrics_writer', 'platform_metrics_admin'));
SELECT c.relname, pg_temp.others(c.relacl), (SELECT string_agg(a.attname || '=' || pg_temp.others(a.attacl), ' ' ORDER BY a.attnum)
                               FROM pg_attribute a WHERE a.attrelid = c.oid AND pg_temp.others(a.attacl) IS NOT NULL)
  FROM pg_class c WHERE c.relnamespace = 'platform_metrics'::regnamespace AND c.relkind IN ('r', 'v')
   AND c.relname NOT IN ('survey_waves', 'pm_survey_cells', 'survey_progress',
                         'survey_questions', 'pm_question_cells', 'pm_submission_answers', 'question_scores',
                         'question_scores_by_team', 'devex_index', 'survey_drivers', 'time_cost',
                         'pm_refresh_state', 'pm_usage_changed', 'usage_team_summary', 'usage_cohort_summary',
                         'pm_usage_per_team', 'refresh_status', 'pm_survey_summary_waves', 'survey_cell_summary',
                         'pm_survey_changed', 'pm_survey_cells_live', 'pm_survey_summarised_waves',
                         'time_to_value_curve') ORDER BY 1;
SELECT p.oid::regprocedure, p.proacl FROM pg_proc p
 WHERE p.pronamespace = 'platform_metrics'::regnamespace AND p.proacl IS NOT NULL
   AND p.proname NOT IN ('pm_survey_answers_open', 'pm_survey_waves_stay_closed',
                         'pm_survey_questions_check', 'pm_survey_answers_in_scale', 'pm_question_comments',
                         'pm_devex_index', 'pm_survey_drivers', 'refresh', 'pm_raw_writer',
                         'pm_wait_for_raw_writers', 'pm_usage_events_changed', 'pm_survey_answers_changed',
                         'pm_survey_catalog_changed', 'pm_fold_cohorts', 'pm_ingest')
 ORDER BY p.oid::regprocedure::text;
};
sub dumped_grants
{
	my ($db) = @_;
	my ($out) = run_command([ 'pg_dump', '--schema-only', '-d', $node->connstr($db) ]);
	return join "\n", sort grep { /^(GRANT|REVOKE) .*regress_bi|^REVOKE .* FROM platform_metrics_reader/ } split /\n/, $out;
}

my $index_plan = q{
SET enable_seqscan = off;
SET search_path = public, platform_metrics;
EXPLAIN (COSTS OFF) SELECT capability FROM capability_health WHERE quadrant = 'optional_poor';
EXPLAIN (COSTS OFF) SELECT capability FROM capability_health WHERE s = 'promoters=0 passives=1 detractors=1';
EXPLAIN (COSTS OFF) SELECT count(*) FROM platform_metrics.usage_events WHERE kind = 'adopt';
};

# From 1.0 and 1.1 (one extension), and from 1.2 to 1.5 (two extensions
# already: ALTER EXTENSION ... UPDATE of both).
for my $from ('1.0', '1.1', '1.2', '1.3', '1.4', '1.5', '1.6', '1.7')
{
	(my $db = "from_$from") =~ s/\./_/g;
	$node->safe_psql('postgres', "CREATE DATABASE $db");
	$node->safe_psql($db, "CREATE EXTENSION platform_metrics VERSION '$from'");
	my $two = $from ne '1.0' && $from ne '1.1';
	$node->safe_psql($db, "CREATE EXTENSION platform_metrics_analytics VERSION '$from'") if $two;
	$node->safe_psql($db, $setup);
	# (from 1.3, the survey views show closed waves only: close it first)
	$node->safe_psql($db, $close_waves) if $from ge '1.3';
	my $before = $node->safe_psql($db, $snapshot);
	my $survey_before = $node->safe_psql($db, $survey_snapshot);
	my $rows_before = $node->safe_psql($db, $rows);

	# 1. Not updated yet, on the new shared libraries: still works.
	is($node->safe_psql($db, q{SELECT public.record_use('before-update', 'team-1')}),
		'1', "$from: before the update, ingest() stores through the new modules");
	like($node->safe_psql($db, 'SELECT count(*) FROM platform_metrics.nps_by_team'),
		qr/^[1-9]\d*$/, "$from: before the update, the survey views answer");

	my ($privileges_before, $dumped_before);
	if ($two)
	{
		$privileges_before = $node->safe_psql($db, $privileges);
		# a user aggregate built on ttv_curve's internal-state functions of
		# 1.7, which 1.8 replaces in ttv_curve() but keeps
		$node->safe_psql($db, q{CREATE AGGREGATE public.my_curve(timestamptz, timestamptz, timestamptz) (
    SFUNC = platform_metrics.ttv_curve_sfunc, STYPE = internal, FINALFUNC = platform_metrics.ttv_curve_ffunc)})
		  if $from eq '1.7';
		# (from 1.7 on, no update re-creates ingest(): the user function stays)
		update_blocked($db, $from, q{BEGIN;
ALTER EXTENSION platform_metrics UPDATE;
ALTER EXTENSION platform_metrics_analytics UPDATE;
COMMIT;}) if $from lt '1.7';
		$node->safe_psql($db, q{ALTER EXTENSION platform_metrics UPDATE;
ALTER EXTENSION platform_metrics_analytics UPDATE;
DELETE FROM platform_metrics.usage_events WHERE event_id = 'before-update'});
		$node->safe_psql($db, $record_use) if $from lt '1.7';
		is($node->safe_psql($db, q{SELECT public.my_curve(s, r, '2026-02-01')::text = platform_metrics.ttv_curve(s, r, '2026-02-01')::text
  FROM (VALUES (TIMESTAMPTZ '2026-01-01', TIMESTAMPTZ '2026-01-03'), ('2026-01-01', NULL)) v(s, r)}),
			't', "$from: a user aggregate on 1.7's ttv_curve functions survives the update and agrees with ttv_curve()")
		  if $from eq '1.7';
		is($node->safe_psql($db, q{SELECT string_agg(extname || ' ' || extversion, ', ' ORDER BY extname)
  FROM pg_extension WHERE extname LIKE 'platform_metrics%'}),
			"platform_metrics $current, platform_metrics_analytics $current", "$from: both extensions update to $current");
	}
	else
	{
		# 2. The library update releases the layer; it keeps working.
		$node->safe_psql($db, 'ALTER EXTENSION platform_metrics UPDATE');
		is($node->safe_psql($db, q{
SELECT string_agg(e.extname || ' ' || e.extversion || ' ' ||
       (SELECT count(*) FROM pg_depend d WHERE d.refobjid = e.oid AND d.deptype = 'e'
           AND d.classid = 'pg_class'::regclass), ', ')
  FROM pg_extension e WHERE e.extname LIKE 'platform_metrics%'}),
			"platform_metrics $current 0",
			"$from: ALTER EXTENSION platform_metrics UPDATE goes to $current and releases every table and view");
		# (1.0 -> 1.1 adds pm_survey_comments: the reference is the state here)
		$privileges_before = $node->safe_psql($db, $privileges);
		$dumped_before = dumped_grants($db);
		is($node->safe_psql($db, q{SELECT public.record_use('between', 'team-2')}),
			'1', "$from: between the two steps, ingest() stores");
		like($node->safe_psql($db, 'SELECT count(*) FROM platform_metrics.capability_quadrants'),
			qr/^\d+$/, "$from: between the two steps, the views answer");

		# 3. The layer's extension adopts its objects.
		update_blocked($db, $from, 'CREATE EXTENSION platform_metrics_analytics');
		$node->safe_psql($db, 'CREATE EXTENSION platform_metrics_analytics');
		$node->safe_psql($db, $record_use);
		$node->safe_psql($db,
			q{DELETE FROM platform_metrics.usage_events WHERE event_id IN ('before-update', 'between')});
		# (while released, pg_dump writes the objects' whole ACLs, so the revoke
		# shows as a missing GRANT there; once adopted, as a REVOKE from the
		# initial privileges)
		like($dumped_before, qr/GRANT SELECT ON TABLE platform_metrics.nps_by_team TO regress_bi/,
			"$from: between the steps, pg_dump writes the user's grants");
	}
	is($node->safe_psql($db, $rows), $rows_before, "$from: every raw row is kept");
	is($node->safe_psql($db, $privileges), $privileges_before,
		"$from: the privileges users granted and revoked on the layer's objects are kept");
	is(dumped_grants($db), join("\n",
			'GRANT ALL ON FUNCTION platform_metrics.ingest(events jsonb, OUT accepted bigint, OUT duplicates bigint, OUT conflicts bigint) TO regress_bi;',
			'GRANT SELECT ON TABLE platform_metrics.nps_by_team TO regress_bi;',
			'GRANT SELECT(headcount) ON TABLE platform_metrics.teams TO regress_bi;',
			'GRANT SELECT(team) ON TABLE platform_metrics.teams TO regress_bi;',
			'REVOKE SELECT ON TABLE platform_metrics.nps_trend FROM platform_metrics_reader;'),
		"$from: after the move, pg_dump writes exactly the user's grants and revokes over the extension's own");
	is($node->safe_psql($db, $snapshot), $before,
		"$from: user views, columns, functions and the layer's views answer the same");
	# (1.5: the usage views read summaries; refreshed, they answer the same)
	$node->safe_psql($db, 'CALL platform_metrics.refresh()');
	is($node->safe_psql($db, $snapshot . 'SELECT tail_rows FROM platform_metrics.refresh_status WHERE watermark IS NOT NULL;'), "$before\n0",
		"$from: after the first refresh the views answer the same from the summaries");
	is($node->safe_psql($db, $role_privileges), $role_privileges_13,
		"$from: the writer and admin roles have 1.3's privileges");
	if ($from ge '1.3')
	{
		is($node->safe_psql($db, q{SELECT string_agg(question || ':' || scale, ',') FROM platform_metrics.survey_questions}),
			'nps:nps', "$from: the nps question is registered");
	}
	else
	{
		is($node->safe_psql($db, $survey_empty), '0 2026-Q1:true',
			"$from: the waves answered are registered, open, and the survey views show nothing of them");
	}
	$node->safe_psql($db, $close_waves);
	is($node->safe_psql($db, $survey_snapshot), $survey_before,
		"$from: once the wave is closed, the survey views answer the same");
	my @plans = $node->safe_psql($db, $index_plan) =~
	  /(?:Index Scan using|Index Only Scan using|Bitmap Index Scan on) (capability_health_\w+|usage_events_by_kind)/g;
	is("@plans", 'capability_health_quadrant capability_health_s usage_events_by_kind',
		"$from: the indexes on mandate_quadrant, nps_summary and a raw table are still used");
	is($node->safe_psql($db, q{
SET search_path = public, platform_metrics;
INSERT INTO capability_health SELECT 'new', 'optional_poor', 'promoters=1 passives=0 detractors=0', ttv_sketch('1 hour'::interval);
SELECT (SELECT count(*) FROM capability_health WHERE quadrant = 'optional_poor') = 101,
       (SELECT ttv_count(sketch) FROM capability_health WHERE capability = 'new') = 1,
       (SELECT ttv_count(a.sketch + b.sketch) FROM capability_health a, capability_health b
         WHERE a.capability = 'cap-1' AND b.capability = 'cap-2'),
       record_use('after', 'team-3'), record_use('after', 'team-3');}),
		't|t|100|1|0', "$from: new rows, stored values and ingest() work after the move");
	# (the user's own index and privileges are listed with the objects: not ours)
	$node->safe_psql($db, q{
DROP INDEX platform_metrics.usage_events_by_kind;
REVOKE ALL ON platform_metrics.nps_by_team, platform_metrics.teams FROM regress_bi;
REVOKE ALL ON FUNCTION platform_metrics.ingest(jsonb) FROM regress_bi;
GRANT SELECT ON platform_metrics.nps_trend TO platform_metrics_reader;
GRANT UPDATE (synthesized_at, theme, acted_at, communicated_at) ON platform_metrics.feedback TO platform_metrics_writer;});
	same_lines($node->safe_psql($db, $members_sql), $fresh,
		"$from: both extensions have exactly the objects and definitions of a fresh install");
	like($node->psql($db, 'DROP EXTENSION platform_metrics') ? 'refused' : 'dropped', qr/refused/,
		"$from: the library cannot be dropped from under the layer");
}

# A 1.1 database that was not updated first is told what to do.
$node->safe_psql('postgres', 'CREATE DATABASE not_updated');
$node->safe_psql('not_updated', "CREATE EXTENSION platform_metrics VERSION '1.1'");
($ret, $out, $err) = $node->psql('not_updated', 'CREATE EXTENSION platform_metrics_analytics');
like($err, qr/requires platform_metrics 1\.2 or later.*\n.*HINT:  Run ALTER EXTENSION platform_metrics UPDATE first/s,
	'CREATE EXTENSION platform_metrics_analytics on a library not yet updated says to update it first');

# Installing into a schema someone else can write to is refused: an
# operator planted there would run as the superuser who installs.
$node->safe_psql('postgres', 'CREATE DATABASE planted');
$node->safe_psql('planted', q{
CREATE ROLE regress_mallory;
CREATE SCHEMA platform_metrics AUTHORIZATION regress_mallory;});
($ret, $out, $err) = $node->psql('planted', 'CREATE EXTENSION platform_metrics_analytics CASCADE');
like($err, qr/schema "platform_metrics" is not safe to install platform_metrics into.*the schema is owned by regress_mallory/s,
	'a schema owned by another role is refused');
$node->safe_psql('planted', q{
ALTER SCHEMA platform_metrics OWNER TO CURRENT_USER;
GRANT CREATE ON SCHEMA platform_metrics TO regress_mallory;});
($ret, $out, $err) = $node->psql('planted', 'CREATE EXTENSION platform_metrics_analytics CASCADE');
like($err, qr/CREATE on the schema is granted to regress_mallory/, 'a schema others may create in is refused');
$node->safe_psql('planted', q{
GRANT USAGE ON SCHEMA platform_metrics TO regress_mallory;
SET ROLE regress_mallory;
CREATE FUNCTION platform_metrics.eq(regclass, regclass) RETURNS boolean LANGUAGE sql AS 'SELECT true';
CREATE OPERATOR platform_metrics.= (LEFTARG = regclass, RIGHTARG = regclass, FUNCTION = platform_metrics.eq);
RESET ROLE;
REVOKE CREATE ON SCHEMA platform_metrics FROM regress_mallory;});
($ret, $out, $err) = $node->psql('planted', 'CREATE EXTENSION platform_metrics_analytics CASCADE');
like($err, qr/operator platform_metrics\.=\(regclass,regclass\) is owned by regress_mallory/,
	'an operator another role left in the schema is refused');
is($node->safe_psql('planted', q{SELECT count(*) FROM pg_extension WHERE extname LIKE 'platform%'}), '0',
	'and nothing is installed');

$node->stop;
done_testing();
