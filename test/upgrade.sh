#!/usr/bin/env bash
# Upgrade path: install every older version, build user objects that depend on
# the extension (a view using nps(), a table with ttv_sketch, mandate_quadrant,
# nps_summary, ttv_curve and cohort_matrix columns, indexes on mandate_quadrant
# and nps_summary, a SQL function), run ALTER EXTENSION ... UPDATE, and check
# that everything still answers the same, the indexes are still used, and the
# updated extension has exactly the objects of a fresh install.
# Run by test/harness.sh against its throwaway cluster (PGHOST, PGPORT, PGUSER set).
# Prints "N passed, N failed".
set -euo pipefail
cd "$(dirname "$0")/.."
. test/lib.sh

latest=$(sed -n "s/^default_version *= *'\(.*\)'/\1/p" platform_metrics.control)

# Upgrade scripts never drop (and so never re-create) anything users depend on.
drops=$(grep -nHiE '^[[:space:]]*DROP[[:space:]]' sql/platform_metrics--*--*.sql || true)
check "upgrade scripts have no DROP" "" "$drops"

# The objects of a fresh install of the latest version, with their definitions.
members_sql="
SELECT string_agg(x, E'\n' ORDER BY x) FROM (
  SELECT pg_describe_object(classid, objid, 0)
         || coalesce(' ' || CASE WHEN classid = 'pg_proc'::regclass
                                  AND (SELECT prokind FROM pg_proc WHERE oid = objid) <> 'a'
                                 THEN md5(pg_get_functiondef(objid)) END, '') AS x
    FROM pg_depend
   WHERE refclassid = 'pg_extension'::regclass AND deptype = 'e'
     AND refobjid = (SELECT oid FROM pg_extension WHERE extname = 'platform_metrics')) m"
psql -d postgres -c 'DROP DATABASE IF EXISTS upgrade_fresh' -c 'CREATE DATABASE upgrade_fresh'
psql -d upgrade_fresh -c 'CREATE EXTENSION platform_metrics'
fresh=$(psql -At -d upgrade_fresh -c "$members_sql")
psql -d postgres -c 'DROP DATABASE upgrade_fresh'

# What the user objects answer; run before and after the update.
snapshot_sql="
SET search_path = public, platform_metrics;
SELECT * FROM team_nps ORDER BY team;
SELECT capability, quadrant, recommended_action(quadrant), s, nps(s), round(extract(epoch FROM ttv_percentile(sketch, 0.9))),
       ttv_count(sketch), ttv_reached(curve), md5(cohorts::text), sketch::text = sketch::text::ttv_sketch::text
  FROM capability_health ORDER BY capability;
SELECT capability FROM capability_health WHERE quadrant = 'mandatory_good' ORDER BY 1;
SELECT capability FROM capability_health WHERE s = 'promoters=2 passives=1 detractors=1' ORDER BY 1;
SELECT p90_hours('ci');
SELECT * FROM time_to_value ORDER BY 1, 2;"

for from in $(ls sql/platform_metrics--*.sql | sed -n 's/^sql\/platform_metrics--\([0-9.]*\)\.sql$/\1/p'); do
    [ "$from" = "$latest" ] && continue
    db=upgrade_from_${from//./_}
    psql -d postgres -c "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db"
    psql -d "$db" <<SQL
CREATE EXTENSION platform_metrics VERSION '$from';
SET search_path = public, platform_metrics;
INSERT INTO teams SELECT 'team-' || i, 4 + i FROM generate_series(1, 6) i;
INSERT INTO capabilities VALUES ('ci', true, '2026-01-01', 'CI'), ('docs', false, '2026-02-01', 'Docs');
INSERT INTO survey_responses
SELECT 'r' || i, '2026-Q1', 'team-' || (1 + i % 6), NULL, 'nps', (i * 7) % 11, NULL, '2026-03-01'::timestamptz + i * interval '1 hour'
  FROM generate_series(1, 300) i;
INSERT INTO onboarding
SELECT 'eng-' || i, 'team-' || (1 + i % 6), 'first_deploy', '2026-01-01'::timestamptz + i * interval '1 day',
       CASE WHEN i % 4 <> 0 THEN '2026-01-01'::timestamptz + i * interval '1 day' + i * interval '3 hours' END
  FROM generate_series(1, 60) i;
-- user objects that depend on the extension
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
SQL
    before=$(psql -At -d "$db" -c "$snapshot_sql")
    psql -d "$db" -c 'ALTER EXTENSION platform_metrics UPDATE'
    check "upgrade $from -> $latest version" "$latest" \
        "$(psql -At -d "$db" -c "SELECT extversion FROM pg_extension WHERE extname = 'platform_metrics'")"
    check "upgrade $from -> $latest user views, columns and functions answer the same" "$before" \
        "$(psql -At -d "$db" -c "$snapshot_sql")"
    plan=$(psql -At -d "$db" -c 'SET enable_seqscan = off' -c 'SET search_path = public, platform_metrics' \
                -c "EXPLAIN (COSTS OFF) SELECT capability FROM capability_health WHERE quadrant = 'optional_poor'" \
                -c "EXPLAIN (COSTS OFF) SELECT capability FROM capability_health WHERE s = 'promoters=0 passives=1 detractors=1'" \
            | grep -oE 'Index Scan using capability_health_[a-z]+|Bitmap Index Scan on capability_health_[a-z]+' \
            | sed 's/.*capability_health_//' | tr '\n' ' ')
    check "upgrade $from -> $latest indexes on mandate_quadrant and nps_summary still used" "quadrant s " "$plan"
    check "upgrade $from -> $latest new rows and stored values work with the updated extension" "t|t|100|t" "$(psql -At -d "$db" <<'SQL'
SET search_path = public, platform_metrics;
INSERT INTO capability_health SELECT 'new', 'optional_poor', 'promoters=1 passives=0 detractors=0', ttv_sketch('1 hour'::interval);
INSERT INTO survey_responses VALUES ('r-new', '2026-Q1', 'team-1', NULL, 'nps', 10, NULL, '2026-03-30');
SELECT (SELECT count(*) FROM capability_health WHERE quadrant = 'optional_poor') = 101,
       (SELECT ttv_count(sketch) FROM capability_health WHERE capability = 'new') = 1,
       (SELECT ttv_count(a.sketch + b.sketch) FROM capability_health a, capability_health b
         WHERE a.capability = 'cap-1' AND b.capability = 'cap-2'),
       (SELECT responses(s) = 51 FROM team_nps WHERE team = 'team-1');
SQL
)"
    check "upgrade $from -> $latest objects equal a fresh install's" "$fresh" "$(psql -At -d "$db" -c "$members_sql")"
    psql -d postgres -c "DROP DATABASE $db"
done
summary
