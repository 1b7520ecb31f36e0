#!/usr/bin/env bash
# Bounded memory: big inputs either finish (in work_mem-aware plans where the
# plan can spill) or stop with a clear ERROR; the backend is never killed.
# Each check runs in its own session and reports the backend's peak resident
# memory (VmHWM).  Run by test/harness.sh (make test-long) against its
# throwaway cluster (PGHOST, PGPORT, PGUSER set, superuser).
# Prints "N passed, N failed".
set -euo pipefail
. "$(dirname "$0")/../lib.sh"
peak="substring(pg_read_file('/proc/' || pg_backend_pid() || '/status') from 'VmHWM:\\s+(\\d+) kB')::bigint / 1024"

psql -d postgres -c 'DROP DATABASE IF EXISTS bigmem' -c 'CREATE DATABASE bigmem'
psql -d bigmem -c 'CREATE EXTENSION platform_metrics'

# 1. GROUP BY with 1M groups of nps_summary, work_mem 4MB: the hash aggregate
#    spills to disk; every group is right and the backend stays small.
out=$(psql -At -d bigmem <<SQL
SET work_mem = '4MB';
SET max_parallel_workers_per_gather = 0;
CREATE TEMP TABLE scores AS SELECT i % 1000000 AS g, (i * 7) % 11 AS score FROM generate_series(1, 3000000) i;
ANALYZE scores;
SELECT count(*) = 1000000 AND sum(platform_metrics.responses(s)) = 3000000
       AND bool_and(platform_metrics.responses(s) = 3)
  FROM (SELECT g, platform_metrics.nps_summary(score) AS s FROM scores GROUP BY g) x;
SELECT $peak;
SQL
)
echo "  1M groups of nps_summary, work_mem 4MB: peak ${out##*$'\n'} MB"
check "bounded memory 1M nps_summary groups (work_mem 4MB) are right" "t" "$(echo "$out" | sed -n 1p)"
plan=$(psql -At -d bigmem -c "SET work_mem = '4MB'" -c 'SET max_parallel_workers_per_gather = 0' \
    -c "EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF) SELECT g, platform_metrics.nps_summary(score) FROM (SELECT i % 1000000 AS g, (i * 7) % 11 AS score FROM generate_series(1, 3000000) i) s GROUP BY g")
if grep -qE 'Disk Usage|Sort Method: external|Batches: [2-9]|Batches: [1-9][0-9]' <<<"$plan"; then spills=yes; else spills=no; fi
check "bounded memory 1M nps_summary groups spill to disk instead of growing" "yes" "$spills"
check "bounded memory 1M nps_summary groups stay within 512 MB" "t" "$([ "${out##*$'\n'}" -lt 512 ] && echo t || echo f)"

# 2. churn_cohort over 1M members (3M events over a year, weekly): a matrix,
#    or the clear limit error; never a killed backend.
out=$(psql -At -d bigmem <<SQL 2>&1 || true
SELECT platform_metrics.cohort_rows(m) IS NOT NULL FROM (
  SELECT platform_metrics.churn_cohort((i % 1000000)::bigint, '2026-01-01'::timestamptz + (i % 52) * interval '1 week', '1 week') AS m
    FROM generate_series(1, 3000000) i) x LIMIT 1;
SELECT $peak;
SQL
)
if grep -q '^t$' <<<"$out"; then
    echo "  churn_cohort over 1M members: finished, peak ${out##*$'\n'} MB"; result=finished
elif grep -qE 'ERROR: .*(too many|limit|exceeds)' <<<"$out"; then
    echo "  churn_cohort over 1M members: $(grep ERROR <<<"$out" | head -1)"; result=finished
else
    echo "$out" | tail -5; result=crashed
fi
check "bounded memory churn_cohort over 1M members finishes or errors cleanly" "finished" "$result"

# 3. exact ttv_percentile over 50M rows: the median of 1..50M seconds is
#    25,000,000.5 s (interpolated, as percentile_cont); memory is the values
#    (8 bytes each) and the limit is a clear error, not the OOM killer.
out=$(psql -At -d bigmem <<SQL 2>&1 || true
SET max_parallel_workers_per_gather = 0;
SELECT extract(epoch FROM platform_metrics.ttv_percentile(make_interval(secs => i), 0.5)) FROM generate_series(1, 50000000) i;
SELECT $peak;
SQL
)
echo "  exact ttv_percentile over 50M rows: $(echo "$out" | sed -n 1p) s, peak ${out##*$'\n'} MB"
check "bounded memory exact ttv_percentile over 50M rows is exact" "25000000.500000" "$(echo "$out" | sed -n 1p)"
# the limit: more values than an exact percentile keeps gives a clear error
err=$(psql -At -d bigmem -c "SELECT platform_metrics.ttv_percentile(v, 0.5) FROM (SELECT '1 hour'::interval AS v FROM generate_series(1, 140000000)) x" 2>&1 || true)
check "bounded memory exact ttv_percentile beyond its limit stops with a clear error" "yes" \
    "$(grep -q 'too many values for an exact time-to-value percentile' <<<"$err" && echo yes || echo no)"
check "bounded memory the server is up afterwards" "1" "$(psql -At -d bigmem -c 'SELECT 1')"

psql -d postgres -c 'DROP DATABASE bigmem'
summary
