#!/usr/bin/env bash
# sqlsmith: random queries against a database with the extension and the demo
# data, as a non-superuser with a statement timeout.  Fails when any backend
# crashes (the server log shows "terminated by signal") or the server stops
# answering; prints the query a crashed backend was running.
# Run by test/harness.sh (make test-long) against its throwaway cluster
# (PGHOST, PGPORT, PGUSER set; SERVER_LOG names the server's log file).
# SQLSMITH_QUERIES (default 20000) and SQLSMITH_SEED (default 1) bound the run.
set -euo pipefail
cd "$(dirname "$0")/../.."
. test/lib.sh
queries=${SQLSMITH_QUERIES:-20000}
seed=${SQLSMITH_SEED:-1}
log=${SERVER_LOG:?SERVER_LOG must name the server log}

psql -d postgres -c 'DROP DATABASE IF EXISTS smith' -c 'CREATE DATABASE smith'
psql -d smith -c 'CREATE EXTENSION platform_metrics_analytics CASCADE'
psql -d smith -v scale=1 -v capability_questions=6 -v onboarding_per_scale=200 -f test/demo/generate.sql >/dev/null
# stored values of every type, for sqlsmith to feed to our functions
psql -d smith <<'SQL'
SET search_path = public, platform_metrics;
CREATE TABLE stored AS
SELECT s.team, nps_summary(s.score) AS summary, mandate_quadrant(true, nps_summary(s.score)) AS quadrant,
       (SELECT ttv_sketch(reached_at - started_at) FROM onboarding o WHERE o.team = s.team) AS sketch,
       (SELECT ttv_curve(started_at, reached_at) FROM onboarding o WHERE o.team = s.team) AS curve,
       (SELECT churn_cohort(u.team, u.occurred_at, '1 week') FROM usage_events u WHERE u.team = s.team) AS cohorts
  FROM survey_responses s GROUP BY s.team;
DO $$ BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'pm_smith') THEN
        CREATE ROLE pm_smith LOGIN IN ROLE platform_metrics_reader;
    END IF;
END $$;
GRANT SELECT ON stored TO pm_smith;
ALTER ROLE pm_smith SET statement_timeout = '2s';
ALTER DATABASE smith SET track_functions = 'all';   -- to report which of ours were called
SQL
start_line=$(($(wc -l <"$log") + 1))
echo "sqlsmith: $queries queries, seed $seed, as pm_smith"
timeout 1800 sqlsmith --target="host=$PGHOST port=$PGPORT dbname=smith user=pm_smith" \
    --seed="$seed" --max-queries="$queries" --exclude-catalog --verbose >"$PWD/sqlsmith.out" 2>&1 || true
tail -n 25 "$PWD/sqlsmith.out" | grep -vE '^\s*$' | tail -n 12 || true
crashes=$(tail -n +"$start_line" "$log" | grep -cE 'terminated by signal|was terminated by exception' || true)
if [ "$crashes" -eq 0 ]; then
    ok "sqlsmith no backend crash"
else
    fail "sqlsmith no backend crash" "$crashes"
    tail -n +"$start_line" "$log" | grep -A2 -E 'terminated by signal' | head -40
fi
if "$PGBIN/psql" -X -At -d smith -c 'SELECT count(*) FROM platform_metrics.nps_by_team' >/dev/null 2>&1; then
    ok "sqlsmith server answers afterwards"
else
    fail "sqlsmith server answers afterwards"
fi
rm -f "$PWD/sqlsmith.out"
sleep 1   # statistics reach the cumulative stats at session end
"$PGBIN/psql" -X -At -d smith -c "SELECT format('sqlsmith called %s of the extension''s %s functions, %s calls in all',
        count(*) FILTER (WHERE s.calls > 0), count(*), coalesce(sum(s.calls), 0))
  FROM pg_proc p LEFT JOIN pg_stat_user_functions s ON s.funcid = p.oid
 WHERE p.pronamespace = 'platform_metrics'::regnamespace" || true
psql -d postgres -c 'DROP DATABASE smith'
summary
