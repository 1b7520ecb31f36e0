#!/usr/bin/env bash
# Overlapping batches with the same ids in opposite orders, from concurrent
# sessions (pgbench, each transaction rolled back so the ids stay new): no
# transaction may fail with a deadlock.  1.0 stored rows in array order and
# deadlocked here; 1.1 stores them in key order.
# Run by test/harness.sh (make test-long) against its throwaway cluster.
# DEADLOCK_VERSION installs an older version to show the failure.
set -euo pipefail
. "$(dirname "$0")/../lib.sh"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
psql -d postgres -c 'DROP DATABASE IF EXISTS deadlock' -c 'CREATE DATABASE deadlock'
psql -d deadlock -c "CREATE EXTENSION platform_metrics ${DEADLOCK_VERSION:+VERSION '$DEADLOCK_VERSION'}" \
     -c "INSERT INTO platform_metrics.teams (team, headcount) VALUES ('t', 5)" \
     -c "INSERT INTO platform_metrics.capabilities (capability) VALUES ('c')"
batch() {   # batch ORDER: 20 usage events with fixed ids
    echo "BEGIN;"
    echo -n "SELECT * FROM platform_metrics.ingest('["
    seq -s' ' 1 20 | tr ' ' '\n' | sort -n ${1:+-r} | sed 's/.*/{"type": "usage", "event_id": "k&", "team": "t", "capability": "c", "occurred_at": "2026-03-01"}/' | paste -sd,
    echo "]');"
    echo "ROLLBACK;"
}
batch "" >"$work/asc.sql"
batch r >"$work/desc.sql"
out=$("$PGBIN/pgbench" -n -c 4 -j 2 -T "${DEADLOCK_SECONDS:-10}" --max-tries=1 --failures-detailed \
        -f "$work/asc.sql" -f "$work/desc.sql" deadlock 2>&1 || true)
tx=$(sed -n 's/^number of transactions actually processed: \([0-9]*\).*/\1/p' <<<"$out")
deadlocks=$(sed -n 's/^number of deadlock failures: \([0-9]*\).*/\1/p' <<<"$out")
aborted=$(grep -c 'aborted in command' <<<"$out" || true)
echo "deadlock: ${tx:-0} transactions of 20 shared ids in opposite orders, ${deadlocks:-?} deadlock failures"
psql -d postgres -c 'DROP DATABASE deadlock'
if [ -n "$tx" ] && [ "$tx" -gt 0 ] && [ "${deadlocks:-1}" = 0 ] && [ "$aborted" = 0 ]; then
    ok "deadlock overlapping batches in opposite orders never deadlock"
else
    fail "deadlock overlapping batches in opposite orders never deadlock"
    grep -E 'deadlock|ERROR|aborted' <<<"$out" | head -5 || true
fi
summary
