#!/usr/bin/env bash
# test/clients/run.sh PORT PASSWORD_FILE: the client-driver checks (pgjdbc,
# psycopg 3) against the demo database on 127.0.0.1:PORT as demo_reader,
# with the expected values computed by psql.  Ends with "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")"
. ../lib.sh
port=$1
password=$(cat "$2")
poor=$(psql -At -d demo -c "SELECT count(*) FROM platform_metrics.capability_quadrants WHERE quadrant = 'mandatory_poor'")
p50=$(psql -At -d demo -c "SELECT extract(epoch FROM p50)::float8 / 86400 FROM platform_metrics.time_to_value WHERE p50 IS NOT NULL ORDER BY start_month LIMIT 1")
oid=$(psql -At -d demo -c "SELECT 'platform_metrics.nps_summary'::regtype::oid")
out=$( { java -cp /usr/share/java/postgresql.jar Clients.java "$port" "$password" "$poor" "$p50" "$oid";
         /usr/bin/python3 clients.py "$port" "$password" "$poor"; } 2>&1)
echo "$out"
passed=$(grep -c ' \.\.\. ok' <<<"$out")
failed=$(grep -c ' \.\.\. FAILED' <<<"$out")
# a client that crashed before printing counts as a failure
grep -q '^clients jdbc: ' <<<"$out" || failed=$((failed + 1))
grep -q '^clients psycopg: ' <<<"$out" || failed=$((failed + 1))
echo "$passed passed, $failed failed"
