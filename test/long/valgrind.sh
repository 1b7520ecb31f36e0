#!/usr/bin/env bash
# The regression suite with the server under valgrind --tool=memcheck: no
# invalid read or write, no use of uninitialised memory, no invalid free in
# any error whose stack involves platform_metrics.so.  PostgreSQL's own known
# noise is suppressed by test/valgrind.supp; every other report is listed too
# (and counted in a separate check), so new noise shows.
# Starts its own cluster (as the postgres OS user, on a free port) and stops
# it on every exit path.  Prints "N passed, N failed".
# VALGRIND_TESTS: the pg_regress tests to run between setup and teardown
# (default: all of sql/).
set -euo pipefail
cd "$(dirname "$0")/../.."
. test/lib.sh
dir=$(mktemp -d /tmp/platform_metrics-valgrind.XXXXXX)
chmod 755 "$dir"
[ "$(id -u)" = 0 ] && chown postgres: "$dir"
stop() {
    [ -f "$dir/data/postmaster.pid" ] && as_pg "$PGBIN/pg_ctl" -D "$dir/data" -m fast -w -t 300 stop >/dev/null 2>&1 || true
    rm -rf "$dir"
}
trap stop EXIT
trap 'exit 130' INT TERM

cp test/valgrind.supp "$dir/valgrind.supp"   # readable by the postgres OS user
as_pg "$PGBIN/initdb" -D "$dir/data" -U postgres -A trust --no-sync -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log"
cat >>"$dir/data/postgresql.conf" <<CONF
unix_socket_directories = '$dir'
listen_addresses = ''
fsync = off
max_worker_processes = 8
max_parallel_workers = 8
jit = off
CONF
port=$((56000 + RANDOM % 900))
while [ -e "/tmp/.s.PGSQL.$port.lock" ] || [ -e "$dir/.s.PGSQL.$port" ]; do port=$((port + 1)); done
as_pg bash -c "cd '$dir' && exec valgrind --quiet --tool=memcheck --trace-children=yes --track-origins=yes \
    --read-var-info=no --leak-check=no --num-callers=30 --error-markers=VALGRINDERROR-BEGIN,VALGRINDERROR-END \
    --suppressions='$dir/valgrind.supp' --log-file='$dir/valgrind.%p.log' \
    '$PGBIN/postgres' -D '$dir/data' -p $port >'$dir/server.log' 2>&1" &
export PGHOST=$dir PGPORT=$port PGUSER=postgres
for _ in $(seq 1 ${VALGRIND_START_WAIT:-240}); do
    "$PGBIN/pg_isready" -q && break
    sleep 1
done
"$PGBIN/pg_isready" -q || { cat "$dir/server.log" "$dir"/valgrind.*.log; echo "0 passed, 1 failed"; exit 1; }

tests=${VALGRIND_TESTS:-}
echo "valgrind: running the regression suite under memcheck (slow)"
if make -s installcheck ${tests:+REGRESS="setup $tests teardown"} REGRESS_PREP= TAP_TESTS= >"$dir/regress.log" 2>&1; then
    ok "valgrind regression suite passes under memcheck"
else
    fail "valgrind regression suite passes under memcheck"
    grep -E '^(not )?ok|FAILED|failed' "$dir/regress.log" | head -20 || true
fi
as_pg "$PGBIN/pg_ctl" -D "$dir/data" -m fast -w -t 300 stop >/dev/null 2>&1 || true

# Split every log into error blocks; ours are those naming our library.
ours=0 others=0
for f in "$dir"/valgrind.*.log; do
    [ -s "$f" ] || continue
    while IFS= read -r -d $'\x1e' block; do
        [ -n "${block//[[:space:]]/}" ] || continue
        if grep -q 'platform_metrics' <<<"$block"; then
            ours=$((ours + 1)); echo "---- ($f)"; echo "$block" | head -40
        else
            others=$((others + 1))
            [ "$others" -le 3 ] && { echo "---- not ours ($f)"; echo "$block" | head -25; }
        fi
    done < <(awk '/VALGRINDERROR-BEGIN/{inb=1; next} /VALGRINDERROR-END/{inb=0; printf "\x1e"; next} inb' "$f")
done
if [ "$ours" -eq 0 ]; then
    ok "valgrind no error in platform_metrics code"
else
    fail "valgrind no error in platform_metrics code" "$ours reports"
fi
echo "valgrind: $others report(s) not involving our code (suppress them in test/valgrind.supp when they are PostgreSQL's)"
summary
