#!/usr/bin/env bash
# test/package_smoke.sh DEB: installs the Debian package DEB (built by make
# deb) with dpkg, starts a throwaway cluster of its PostgreSQL version as the
# postgres OS user, runs CREATE EXTENSION platform_metrics_analytics CASCADE
# and smoke queries as a login role that is neither root nor a superuser,
# stops the cluster and removes the package, on every exit path.  Run as root
# in a root file system with that PostgreSQL (test/matrix.sh).  Prints
# "N passed, N failed".
set -Eeuo pipefail
cd "$(dirname "$0")/.."
deb=$1
major=$(dpkg-deb -f "$deb" Package | sed -n 's/^postgresql-\([0-9]*\)-platform-metrics$/\1/p')
[ -n "$major" ] || { echo "package_smoke: $deb is not a postgresql-NN-platform-metrics package" >&2; exit 2; }
PGBIN=/usr/lib/postgresql/$major/bin
. test/lib.sh

cleanup() {
    quick_cluster_down
    dpkg -r "postgresql-$major-platform-metrics" >/dev/null 2>&1 || true
    rm -f "$dpkg_log"
}
dpkg_log=$(mktemp)
trap cleanup EXIT

if dpkg -i "$deb" >"$dpkg_log" 2>&1; then
    ok "package $(basename "$deb") installs with dpkg"
else
    fail "package $(basename "$deb") installs with dpkg" "$(tail -n 3 "$dpkg_log")"
    summary
    exit 1
fi
check "package holds both extensions and both modules" "4" \
    "$(dpkg -L "postgresql-$major-platform-metrics" | grep -cE '/(platform_metrics|platform_metrics_analytics)(\.control|\.so)$')"

quick_cluster_up platform_metrics-package

psql -d postgres -c 'CREATE DATABASE smoke'
check "CREATE EXTENSION platform_metrics_analytics CASCADE from the package" \
    "platform_metrics 1.8,platform_metrics_analytics 1.8" \
    "$(psql -At -d smoke -c 'CREATE EXTENSION platform_metrics_analytics CASCADE' \
            -c "SELECT string_agg(extname || ' ' || extversion, ',' ORDER BY extname) FROM pg_extension WHERE extname LIKE 'platform%'")"
psql -d smoke -c "CREATE ROLE smoke_analyst LOGIN IN ROLE platform_metrics_reader" \
     -c "CREATE ROLE smoke_service LOGIN IN ROLE platform_metrics_writer" \
     -c "CREATE ROLE smoke_admin LOGIN IN ROLE platform_metrics_admin"
# the admin registers the team, the capability and the wave
check "an admin login role registers" "t|ci|2026-Q1" \
    "$(psql -At -U smoke_admin -d smoke -c "WITH t AS (INSERT INTO platform_metrics.teams VALUES ('t', 8) RETURNING team),
        c AS (INSERT INTO platform_metrics.capabilities (capability) VALUES ('ci') RETURNING capability),
        w AS (INSERT INTO platform_metrics.survey_waves (wave) VALUES ('2026-Q1') RETURNING wave)
        SELECT t.team, c.capability, w.wave FROM t, c, w")"
# the service writes through ingest(), the analyst reads a view and calls the library
check "a writer login role ingests" "(6,0,0)" "$(psql -At -U smoke_service -d smoke -c "SELECT platform_metrics.ingest(
    (SELECT jsonb_agg(jsonb_build_object('type', 'survey', 'response_id', 'r' || i, 'wave', '2026-Q1', 'team', 't',
                                         'score', i + 4)) FROM generate_series(1, 6) i))")"
check "an admin login role closes the wave" "2026-Q1" \
    "$(psql -At -U smoke_admin -d smoke -c "UPDATE platform_metrics.survey_waves SET closed_at = now() RETURNING wave")"
# six answers 5..10: two detractors, two passives, two promoters, NPS 0
check "a reader login role reads nps_by_survey" "6|0|2|2" \
    "$(psql -At -U smoke_analyst -d smoke -c "SELECT responses, round(nps), promoters, detractors FROM platform_metrics.nps_by_survey")"
check "a reader login role calls the library" "0|2" \
    "$(psql -At -U smoke_analyst -d smoke -c "SELECT platform_metrics.nps(s), platform_metrics.responses(platform_metrics.nps_summary(s)) FROM (VALUES (10), (0)) v(s)")"
summary
[ "$failed" -eq 0 ]
