#!/usr/bin/env bash
# test/citus/run.sh: the library's aggregates on a Citus cluster, a
# coordinator and two workers of $PGBIN's PostgreSQL with Citus installed
# (test/harness.sh test-citus installs it), against the same queries on the
# same rows in a plain table of the coordinator: every result equal, every
# mergeable aggregate run on the workers (partial aggregation pushed down,
# with citus.coordinator_aggregation_strategy = 'disabled', which makes
# Citus refuse what it would otherwise gather).  The three servers share a
# socket directory only the postgres OS user can enter; Citus reaches the
# workers through it (the node name is the directory).  They are stopped
# and removed on every exit path.  Ends with "N passed, N failed".
set -Eeuo pipefail
cd "$(dirname "$0")/../.."
. test/lib.sh

CITUS_DIR=$(mktemp -d /tmp/platform_metrics-citus.XXXXXX)
chmod 700 "$CITUS_DIR"
[ "$(id -u)" -eq 0 ] && chown postgres: "$CITUS_DIR"
NODES=(coordinator worker1 worker2)
declare -A PORT
stop_all() {
    local n
    for n in "${NODES[@]}"; do
        [ -f "$CITUS_DIR/$n/postmaster.pid" ] &&
            as_pg "$PGBIN/pg_ctl" -D "$CITUS_DIR/$n" -m immediate -w stop >/dev/null 2>&1 || true
    done
    rm -rf "$CITUS_DIR"
}
trap stop_all EXIT
trap 'exit 130' INT TERM

for n in "${NODES[@]}"; do
    as_pg "$PGBIN/initdb" -D "$CITUS_DIR/$n" -U postgres -A trust --no-sync -E UTF8 --locale=C.UTF-8 \
        >"$CITUS_DIR/$n.initdb.log" 2>&1 || { cat "$CITUS_DIR/$n.initdb.log"; exit 1; }
    PORT[$n]=$(free_port)
    cat >>"$CITUS_DIR/$n/postgresql.conf" <<CONF
port = ${PORT[$n]}
unix_socket_directories = '$CITUS_DIR'
listen_addresses = ''
fsync = off
shared_preload_libraries = 'citus'
citus.node_conninfo = 'sslmode=disable'
max_worker_processes = 16
max_connections = 60
jit = off
CONF
    as_pg "$PGBIN/pg_ctl" -D "$CITUS_DIR/$n" -l "$CITUS_DIR/$n.log" -w -t 60 start >/dev/null ||
        { cat "$CITUS_DIR/$n.log"; exit 1; }
done
export PGHOST=$CITUS_DIR PGUSER=postgres
on() { local n=$1; shift; as_pg env PGHOST="$PGHOST" PGUSER=postgres "$PGBIN/psql" -X -q -v ON_ERROR_STOP=1 -p "${PORT[$n]}" -d postgres "$@"; }
q() { on coordinator -At -c "$1" 2>&1 || true; }

for n in "${NODES[@]}"; do on "$n" -c 'CREATE EXTENSION citus'; done
for n in worker1 worker2; do
    on coordinator -c "SELECT citus_add_node('$CITUS_DIR', ${PORT[$n]})" >/dev/null
done
check "three nodes, two of them workers" 2 "$(q 'SELECT count(*) FROM pg_dist_node WHERE isactive')"
# Citus creates the extension on the workers too
on coordinator -c 'CREATE EXTENSION platform_metrics'
check "platform_metrics on every node" "1.8 1.8 1.8" \
    "$(for n in "${NODES[@]}"; do on "$n" -At -c "SELECT extversion FROM pg_extension WHERE extname = 'platform_metrics'"; done | tr '\n' ' ' | sed 's/ $//')"

# The rows: 300,000 events of 400 teams, each with a member of each type,
# an NPS score, a Likert score, an onboarding start and maybe its milestone.
on coordinator <<'SQL' >/dev/null
SET TimeZone = 'UTC';
SELECT setseed(0.31);
CREATE TABLE ev_local AS
SELECT i % 400 AS team,
       'member-' || (i % 4000) AS member,
       (i % 4000)::bigint * 7919 AS member_big,
       md5((i % 4000)::text)::uuid AS member_uuid,
       TIMESTAMPTZ '2025-01-01' + random() * INTERVAL '400 days' AS active_at,
       (random() * 10)::int AS score,
       1 + (random() * 4)::int AS likert,
       TIMESTAMPTZ '2026-01-01' + (i % 97) * INTERVAL '1 hour' AS started_at,
       CASE WHEN i % 3 = 0 THEN NULL
            ELSE TIMESTAMPTZ '2026-01-01' + (i % 97) * INTERVAL '1 hour' + random() * INTERVAL '40 days' END AS reached_at,
       random() * INTERVAL '30 days' AS ttv
  FROM generate_series(1, 300000) i;
CREATE TABLE ev (LIKE ev_local);
SELECT create_distributed_table('ev', 'team', shard_count => 8);
INSERT INTO ev SELECT * FROM ev_local;
SQL
check "the distributed table has every row" 300000 "$(q 'SELECT count(*) FROM ev')"
check "spread over both workers" 2 "$(q "SELECT count(DISTINCT nodeport) FROM pg_dist_shard_placement p JOIN pg_dist_shard s USING (shardid) WHERE s.logicalrelid = 'ev'::regclass")"

# same NAME QUERY: QUERY with TABLE (and STATES) read as the distributed
# table (no rows gathered to the coordinator) and as the plain one give the
# same output, which is not empty.
same() {
    local name=$1 query=$2 dist local_
    local dq=${query//TABLE/ev} lq=${query//TABLE/ev_local}
    dist=$(q "SET citus.coordinator_aggregation_strategy = 'disabled'; SET search_path = public, platform_metrics; ${dq//STATES/states}")
    local_=$(q "SET search_path = public, platform_metrics; ${lq//STATES/states_local}")
    if [ -z "$local_" ] || [[ "$dist" == *ERROR* ]] || [[ "$local_" == *ERROR* ]]; then
        fail "$name" "distributed: ${dist:0:300} | single node: ${local_:0:300}"
    else
        check "$name" "$local_" "$dist"
    fi
}
G="team % 7"   # groups that are not the distribution column: partial aggregates on the workers
same "nps pushed down, equal"            "SELECT $G, nps(score) FROM TABLE GROUP BY 1 ORDER BY 1"
same "nps_summary pushed down, equal"    "SELECT $G, nps_summary(score) FROM TABLE GROUP BY 1 ORDER BY 1"
same "likert_summary pushed down, equal" "SELECT $G, likert_summary(likert, 1, 5) FROM TABLE GROUP BY 1 ORDER BY 1"
same "ttv_sketch pushed down, equal"     "SELECT $G, ttv_sketch(ttv) FROM TABLE GROUP BY 1 ORDER BY 1"
same "ttv_sketch(accuracy) pushed down, equal" \
                                         "SELECT $G, ttv_sketch(ttv, 0.002) FROM TABLE GROUP BY 1 ORDER BY 1"
same "ttv_curve(as_of) pushed down, equal" \
    "SELECT $G, ttv_curve(started_at, reached_at, '2026-03-01') FROM TABLE GROUP BY 1 ORDER BY 1"
same "churn_cohort text members, time zone given, pushed down, equal" \
    "SELECT $G, churn_cohort(member, active_at, '1 week', 'UTC') FROM TABLE GROUP BY 1 ORDER BY 1"
same "churn_cohort bigint members, pushed down, equal" \
    "SELECT $G, churn_cohort(member_big, active_at, '1 month', 'Europe/Berlin') FROM TABLE GROUP BY 1 ORDER BY 1"
same "churn_cohort uuid members, pushed down, equal" \
    "SELECT $G, churn_cohort(member_uuid, active_at, '1 day', 'Asia/Kolkata') FROM TABLE GROUP BY 1 ORDER BY 1"
same "churn_cohort over the whole table (one group), equal" \
    "SELECT churn_cohort(member, active_at, '3 months', 'America/New_York') FROM TABLE"
same "accessors over pushed-down states, equal" \
    "SELECT g, ttv_percentile(s, 0.9), ttv_percentile(c, 0.5), favorable_share(l, 4),
            (SELECT sum(active) FROM cohort_rows(m, '2026-03-01'))
       FROM (SELECT $G AS g, ttv_sketch(ttv) AS s, ttv_curve(started_at, reached_at, '2026-03-01') AS c,
                    likert_summary(likert, 1, 5) AS l, churn_cohort(member, active_at, '1 week', 'UTC') AS m
               FROM TABLE GROUP BY 1) x ORDER BY 1"

# The coordinator's session zone is not the workers': with time_zone given,
# periods are the same whatever the session says.
same "churn_cohort with time_zone in a session at America/New_York, equal" \
    "SET TimeZone = 'America/New_York'; SELECT $G, churn_cohort(member, active_at, '1 month', 'America/New_York') FROM TABLE GROUP BY 1 ORDER BY 1"

# Stored states in a distributed table: rollup() and + merge them on the workers.
on coordinator <<'SQL' >/dev/null
SET TimeZone = 'UTC';
SET search_path = public, platform_metrics;
CREATE TABLE states_local AS
SELECT team, date_trunc('month', active_at) AS month, nps_summary(score) AS n, likert_summary(likert, 1, 5) AS l,
       ttv_sketch(ttv) AS s, ttv_curve(started_at, reached_at, '2026-03-01') AS c,
       churn_cohort(member, active_at, '1 week', 'UTC') AS m
  FROM ev_local GROUP BY 1, 2;
CREATE TABLE states (LIKE states_local);
SELECT create_distributed_table('states', 'team', colocate_with => 'ev');
INSERT INTO states SELECT * FROM states_local;
SQL
same "rollup of the five stored types pushed down, equal" \
    "SELECT team % 5, rollup(n), rollup(l), rollup(s), rollup(c), rollup(m) FROM STATES GROUP BY 1 ORDER BY 1"
check "rollup of the distributed states equals the aggregate of all rows" \
    "$(q "SET search_path = public, platform_metrics; SELECT churn_cohort(member, active_at, '1 week', 'UTC'), ttv_curve(started_at, reached_at, '2026-03-01'), nps_summary(score) FROM ev_local")" \
    "$(q "SET citus.coordinator_aggregation_strategy = 'disabled'; SET search_path = public, platform_metrics; SELECT rollup(m), rollup(c), rollup(n) FROM states")"

# The plan: partial aggregates on the workers, combined on the coordinator.
plan=$(q "SET citus.coordinator_aggregation_strategy = 'disabled'; SET search_path = public, platform_metrics;
EXPLAIN (VERBOSE, COSTS OFF) SELECT team % 7, ttv_curve(started_at, reached_at, '2026-03-01'), churn_cohort(member, active_at, '1 week', 'UTC') FROM ev GROUP BY 1")
if grep -q 'worker_partial_agg' <<<"$plan" && grep -q 'coord_combine_agg' <<<"$plan"; then
    ok "the plan runs partial aggregates on the workers (worker_partial_agg, coord_combine_agg)"
else
    fail "the plan runs partial aggregates on the workers" "$(head -c 600 <<<"$plan")"
fi

# Aggregates that need every row (exact percentiles, Kaplan-Meier percentile
# aggregates, Cronbach's alpha) are gathered, as README says: refused when
# gathering is disabled, equal to single node when it is allowed.
out=$(q "SET citus.coordinator_aggregation_strategy = 'disabled'; SELECT team % 7, platform_metrics.ttv_percentile(ttv, 0.5) FROM ev GROUP BY 1")
if [[ "$out" == *"unsupported aggregate function ttv_percentile"* ]]; then
    ok "the exact ttv_percentile is not pushed down (refused with gathering disabled)"
else
    fail "the exact ttv_percentile is not pushed down" "${out:0:300}"
fi
gathered() {
    local name=$1 query=$2
    check "$name" "$(q "SET search_path = public, platform_metrics; ${query//TABLE/ev_local}")" \
        "$(q "SET search_path = public, platform_metrics; ${query//TABLE/ev}")"
}
gathered "exact ttv_percentile gathered, equal" "SELECT team % 7, ttv_percentile(ttv, ARRAY[0.5, 0.9]) FROM TABLE GROUP BY 1 ORDER BY 1"
gathered "Kaplan-Meier ttv_percentile gathered, equal" \
    "SELECT team % 7, ttv_percentile(started_at, reached_at, 0.5, '2026-03-01') FROM TABLE GROUP BY 1 ORDER BY 1"

# Grouped by the distribution column, each shard computes whole aggregates:
# the three-argument churn_cohort (the session's zone) works too, in the
# workers' zone, which README tells Citus users to avoid by giving time_zone.
same "grouped by the distribution column, whole aggregates on the shards, equal" \
    "SELECT team, churn_cohort(member, active_at, '1 week', 'UTC'), ttv_curve(started_at, reached_at, '2026-03-01') FROM TABLE WHERE team < 20 GROUP BY 1 ORDER BY 1"

# Without time_zone, churn_cohort pushes down as well (1.7 failed on the
# workers: "unsupported member type 0"), but each worker buckets in its own
# session's zone, not the coordinator's: the matrix equals the one built
# with the workers' zone given, whatever the coordinator's session says.
worker_zone=$(on worker1 -At -c 'SHOW TimeZone')
check "churn_cohort without time_zone pushes down and buckets in the workers' zone ($worker_zone)" t \
    "$(q "SET citus.coordinator_aggregation_strategy = 'disabled'; SET TimeZone = 'Pacific/Auckland'; SET search_path = public, platform_metrics;
          SELECT platform_metrics.churn_cohort(member, active_at, '1 month') = platform_metrics.churn_cohort(member, active_at, '1 month', '$worker_zone') FROM ev")"

summary
[ "$failed" -eq 0 ]
