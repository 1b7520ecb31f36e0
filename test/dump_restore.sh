#!/usr/bin/env bash
# pg_dump / pg_restore round trip into a fresh database: every raw row of the
# extension's tables, and every stored nps_summary, ttv_sketch, ttv_curve,
# cohort_matrix and mandate_quadrant value in user tables, come back equal.
# Run by test/harness.sh against its throwaway cluster (PGHOST, PGPORT, PGUSER set).
# Prints "N passed, N failed" (one check per table).
set -euo pipefail
. "$(dirname "$0")/lib.sh"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

psql -d postgres -c 'DROP DATABASE IF EXISTS dump_src' -c 'DROP DATABASE IF EXISTS dump_dst' -c 'CREATE DATABASE dump_src'
psql -d dump_src <<'SQL'
CREATE EXTENSION platform_metrics;
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
-- user tables holding the extension's stored types
CREATE TABLE stored AS
SELECT team, nps_summary(score) AS s,
       mandate_quadrant(true, nps(nps_summary(score))) AS q
  FROM survey_responses GROUP BY team;
CREATE TABLE stored_ttv AS
SELECT team, ttv_sketch(reached_at - started_at) AS sketch, ttv_curve(started_at, reached_at, '2026-12-31') AS curve
  FROM onboarding GROUP BY team;
CREATE TABLE stored_cohorts AS
SELECT capability, churn_cohort(team, occurred_at, '1 week') AS m FROM usage_events GROUP BY capability;
SQL

"$PGBIN/pg_dump" -Fc -d dump_src -f "$work/dump"
psql -d postgres -c 'CREATE DATABASE dump_dst'
"$PGBIN/pg_restore" -d dump_dst --exit-on-error "$work/dump"

for table in platform_metrics.capabilities platform_metrics.teams platform_metrics.survey_responses \
             platform_metrics.usage_events platform_metrics.onboarding platform_metrics.feedback \
             platform_metrics.unplanned_work public.stored public.stored_ttv public.stored_cohorts; do
    # rows as text, in a fixed order: text forms are lossless, so equal text is equal values
    q="SELECT count(*) || ' ' || md5(coalesce(string_agg(t::text, E'\n' ORDER BY t::text), '')) FROM $table t"
    src=$(psql -At -d dump_src -c "$q")
    dst=$(psql -At -d dump_dst -c "$q")
    if [ "$src" = "$dst" ] && [ "${src%% *}" -gt 0 ]; then
        ok "dump/restore $table" "${src%% *} rows"
    else
        fail "dump/restore $table" "source $src, restored $dst"
    fi
done
psql -d postgres -c 'DROP DATABASE dump_src' -c 'DROP DATABASE dump_dst'
summary
