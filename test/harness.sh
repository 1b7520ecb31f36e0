#!/usr/bin/env bash
# test/harness.sh: the self-contained commands behind make test, demo, demo-stop and bench.
#
#   bash test/harness.sh test          packages, build, install, throwaway cluster, every suite
#   bash test/harness.sh demo          the same set-up, sample data, dashboard queries; leaves it running
#   bash test/harness.sh demo-stop     stops the demo cluster and its dashboard
#   bash test/harness.sh test-dashboard  the dashboard built over demo data, checked in headless Chromium
#   bash test/harness.sh bench [ROWS]  benchmarks on a throwaway cluster (default 10M rows)
#   bash test/harness.sh test-citus    the library on a three-node Citus cluster (builds Citus if missing)
#   bash test/harness.sh deb           Debian packages into dist/ (pg_buildext)
#
# Runs as root on a fresh Debian 12 machine (installs what it needs) or as an
# ordinary user who already has the packages. PostgreSQL refuses to run as
# root, so as root the cluster belongs to the postgres OS user.
set -Eeuo pipefail

cd "$(dirname "$0")/.."
ROOT=$(pwd)
DEMO_DIR=${PM_DEMO_DIR:-/tmp/platform_metrics-demo}
export DEBIAN_FRONTEND=noninteractive
. test/lib.sh

say() { printf '== %s\n' "$*"; }
die() { printf 'harness: %s\n' "$*" >&2; exit 1; }

is_root() { [ "$(id -u)" -eq 0 ]; }

# ---------------------------------------------------------------------------
# Packages
# ---------------------------------------------------------------------------
pkg_installed() {
    dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'
}

# ensure_packages PKG...: install the missing ones (apt-get update first).
ensure_packages() {
    local missing=() p
    for p in "$@"; do pkg_installed "$p" || missing+=("$p"); done
    [ ${#missing[@]} -eq 0 ] && return 0
    say "installing Debian packages: ${missing[*]}"
    local sudo=
    if ! is_root; then
        command -v sudo >/dev/null || die "missing packages ${missing[*]}; run as root or install them"
        sudo="sudo -E"
    fi
    # The install must not create and start a stray cluster on port 5432: a
    # drop-in that postgresql-common reads, removed again afterwards.
    local dropin=/etc/postgresql-common/createcluster.d/zz-platform-metrics-harness.conf
    $sudo mkdir -p /etc/postgresql-common/createcluster.d
    echo 'create_main_cluster = false' | $sudo tee "$dropin" >/dev/null
    local rc=0
    $sudo apt-get update -qq && \
    $sudo apt-get install -y -qq --no-install-recommends \
        -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold \
        "${missing[@]}" >/dev/null || rc=$?
    $sudo rm -f "$dropin"
    [ "$rc" -eq 0 ] || die "apt-get could not install ${missing[*]}"
}

# ---------------------------------------------------------------------------
# The PostgreSQL to build and test against: one place, from pg_config.
# PG_CONFIG if given (Debian: /usr/lib/postgresql/NN/bin/pg_config selects a
# version), else pg_config on PATH when it has PGXS and the server headers, else Debian 12's
# PostgreSQL 15.  Debian's packages for that version are installed when missing.
# ---------------------------------------------------------------------------
DEFAULT_PG_MAJOR=15

select_postgresql() {
    if [ -z "${PG_CONFIG:-}" ]; then
        # (Debian's libpq-dev has a pg_config and postgresql-client-NN its
        # pgxs.mk; the server headers are postgresql-server-dev-NN's)
        if command -v pg_config >/dev/null 2>&1 && [ -f "$(pg_config --pgxs 2>/dev/null)" ] &&
            [ -f "$(pg_config --includedir-server 2>/dev/null)/postgres.h" ]; then
            PG_CONFIG=$(command -v pg_config)
        else
            PG_CONFIG=/usr/lib/postgresql/$DEFAULT_PG_MAJOR/bin/pg_config
        fi
    fi
    local wanted
    wanted=$(sed -n 's|^/usr/lib/postgresql/\([0-9][0-9]*\)/bin/pg_config$|\1|p' <<<"$PG_CONFIG")
    [ -n "$wanted" ] && ensure_packages "postgresql-$wanted" "postgresql-server-dev-$wanted"
    [ -x "$PG_CONFIG" ] || PG_CONFIG=$(command -v "$PG_CONFIG" 2>/dev/null) || die "no pg_config at ${PG_CONFIG}"
    PG_MAJOR=$("$PG_CONFIG" --version | sed -n 's/^PostgreSQL \([0-9][0-9]*\).*/\1/p')
    PGBIN=$("$PG_CONFIG" --bindir)
    [ -n "$PG_MAJOR" ] && [ -x "$PGBIN/postgres" ] || die "$PG_CONFIG does not describe a PostgreSQL server installation"
    export PG_CONFIG PGBIN
}

# ---------------------------------------------------------------------------
# Build
# ---------------------------------------------------------------------------
build_install() {
    select_postgresql
    # TAP tests (PostgreSQL::Test::Cluster) need IPC::Run
    ensure_packages gcc make libc6-dev libipc-run-perl
    local werror=
    [ "${CI:-}" = true ] && werror=WERROR=1
    say "building platform_metrics for PostgreSQL $PG_MAJOR ${werror:+(-Werror)}"
    make -s PG_CONFIG="$PG_CONFIG" $werror >/dev/null
    if is_root; then
        make -s PG_CONFIG="$PG_CONFIG" install >/dev/null
    else
        sudo make -s PG_CONFIG="$PG_CONFIG" install >/dev/null
    fi
}

# ---------------------------------------------------------------------------
# Clusters
# ---------------------------------------------------------------------------
# cluster_start DIR LISTEN [EXTRA_CONF [PORT]]: initdb in DIR/data, start on
# PORT when it is free, else on a free port, with its socket in DIR; sets
# PGHOST, PGPORT, PGUSER.
cluster_start() {
    local dir=$1 listen=$2 extra=${3:-} preferred=${4:-}
    mkdir -p "$dir"
    is_root && chown postgres: "$dir"
    as_pg "$PGBIN/initdb" -D "$dir/data" -U postgres --auth-local=trust \
        --auth-host=scram-sha-256 -E UTF8 \
        --locale=C.UTF-8 --no-sync >"$dir/initdb.log" 2>&1 \
        || { cat "$dir/initdb.log"; die "initdb failed"; }
    cat >>"$dir/data/postgresql.conf" <<EOF
unix_socket_directories = '$dir'
unix_socket_permissions = 0700
listen_addresses = '$listen'
fsync = off
max_worker_processes = 8
max_parallel_workers = 8
$extra
EOF
    local port tries
    for tries in 1 2 3 4 5; do
        if [ -n "$preferred" ] && [ "$tries" -eq 1 ] && port_free "$preferred"; then
            port=$preferred
        else
            port=$(free_port)
        fi
        if as_pg "$PGBIN/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
            -o "-p $port" start >/dev/null 2>&1; then
            export PGHOST=$dir PGPORT=$port PGUSER=postgres
            echo "$port" >"$dir/port"
            return 0
        fi
    done
    cat "$dir/server.log" >&2 || true
    die "could not start PostgreSQL"
}

cluster_stop() {
    local dir=$1
    if [ -f "$dir/data/postmaster.pid" ]; then
        as_pg "$PGBIN/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 \
            || as_pg "$PGBIN/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
    fi
}

# A throwaway cluster that is stopped and removed on every exit path.
TMP_CLUSTER=
cleanup_tmp_cluster() {
    if [ -n "$TMP_CLUSTER" ]; then
        cluster_stop "$TMP_CLUSTER"
        rm -rf "$TMP_CLUSTER"
    fi
}

start_tmp_cluster() {
    TMP_CLUSTER=$(mktemp -d /tmp/platform_metrics-test.XXXXXX)
    chmod 755 "$TMP_CLUSTER"
    trap cleanup_tmp_cluster EXIT
    trap 'exit 130' INT TERM
    cluster_start "$TMP_CLUSTER" "${1:-}" "${2:-}"
    say "throwaway cluster on port $PGPORT (socket in $PGHOST)"
}

psql_q() { "$PGBIN/psql" -X -v ON_ERROR_STOP=1 -q "$@"; }

# ---------------------------------------------------------------------------
# make test
# ---------------------------------------------------------------------------
TOTAL_PASSED=0
TOTAL_FAILED=0

# record SUITE PASSED FAILED
record() {
    printf '== suite %-12s %d passed, %d failed\n' "$1" "$2" "$3"
    TOTAL_PASSED=$((TOTAL_PASSED + $2))
    TOTAL_FAILED=$((TOTAL_FAILED + $3))
}

# suite_counted NAME SHOW_REGEX CMD...: run CMD, show its result lines, and
# record the "N passed, N failed" line it ends with.
suite_counted() {
    local name=$1 show=$2
    shift 2
    local log=$TMP_CLUSTER/$name.log
    "$@" >"$log" 2>&1 || true
    grep -E "$show" "$log" || true
    local line
    line=$(grep -E '^[0-9]+ passed, [0-9]+ failed$' "$log" | tail -n1)
    if [ -z "$line" ]; then
        cat "$log"
        record "$name" 0 1
        return
    fi
    record "$name" "$(echo "$line" | cut -d' ' -f1)" "$(echo "$line" | cut -d' ' -f3)"
}

suite_unit() {
    suite_counted unit 'FAILED' make -s unit
}

# The C files through clang too, warnings as errors (one check).
suite_clang() {
    local log=$TMP_CLUSTER/clang.log
    if make -s PG_CONFIG="$PG_CONFIG" clang-check >"$log" 2>&1; then
        record clang 1 0
    else
        cat "$log"
        record clang 0 1
    fi
}

# make installcheck against the throwaway cluster: the isolation specs
# (test/specs), the pg_regress suites (sql/, expected/) and the TAP tests
# (test/t, their own clusters), exactly as a packager runs it.  TAP tests run
# initdb, which refuses root, so the whole run is the postgres OS user's, in a
# copy of the tree it can write to.  Counts pg_regress's classic lines
# ("test x ... ok") and its TAP lines from PostgreSQL 17 on ("ok 1 - x").
suite_installcheck() {
    local copy=$TMP_CLUSTER/tree log=$TMP_CLUSTER/installcheck.log
    copy_tree "$copy"
    is_root && chown -R postgres: "$copy"
    as_pg env PGHOST="$PGHOST" PGPORT="$PGPORT" PGUSER="$PGUSER" \
        make -C "$copy" -s installcheck PG_CONFIG="$PG_CONFIG" >"$log" 2>&1 || true
    local lines ok failed
    lines=$(grep -E '^(test|ok|not ok) .*(\.\.\. |- )' "$log" | grep -vE '^test/t/' || true)
    [ -n "$lines" ] && echo "$lines"
    ok=$(grep -cE '\.\.\. +ok|^ok [0-9]+ +- ' <<<"$lines" || true)
    failed=$(grep -cE '\.\.\. +FAILED|^not ok [0-9]+ +- ' <<<"$lines" || true)
    [ "$ok" -eq 0 ] && [ "$failed" -eq 0 ] && failed=1
    local d
    for d in "$copy/regression.diffs" "$copy/output_iso/regression.diffs"; do
        [ -s "$d" ] && { say "${d#"$copy"/}"; cat "$d"; }
    done
    record regress "$ok" "$failed"

    # prove's summary: "Files=4, Tests=57", and "Failed 2/25 subtests" per file
    grep -E '^test/t/|^All tests|^Result|^Files=|Failed [0-9]+/[0-9]+ subtests' "$log" || true
    local total tap_failed
    total=$(sed -n 's/^Files=[0-9]*, Tests=\([0-9]*\).*/\1/p' "$log" | tail -n1)
    tap_failed=$(sed -n 's/.*Failed \([0-9]*\)\/[0-9]* subtests.*/\1/p' "$log" | awk '{s += $1} END {print s + 0}')
    if [ -z "$total" ] || { ! grep -q '^Result: PASS' "$log" && [ "$tap_failed" -eq 0 ]; }; then
        [ -n "$total" ] || total=0
        tap_failed=$((tap_failed + 1))
        tail -n 30 "$log"
    fi
    if [ "$tap_failed" -gt 0 ]; then
        say "the end of the TAP tests' server logs"
        find "$copy/tmp_check/log" -type f 2>/dev/null | while read -r f; do echo "---- $f"; tail -n 30 "$f"; done
    fi
    record tap "$((total > tap_failed ? total - tap_failed : 0))" "$tap_failed"
}

cmd_test() {
    build_install
    start_tmp_cluster ""
    suite_unit
    suite_clang
    suite_installcheck
    echo "$TOTAL_PASSED passed, $TOTAL_FAILED failed"
    [ "$TOTAL_FAILED" -eq 0 ]
}

# ---------------------------------------------------------------------------
# make demo / demo-stop
# ---------------------------------------------------------------------------
cmd_demo_stop() {
    dashboard_stop "$DEMO_DIR"
    if [ -d "$DEMO_DIR" ]; then
        cluster_stop "$DEMO_DIR"
        rm -rf "$DEMO_DIR"
        say "demo cluster stopped"
    else
        say "no demo cluster running"
    fi
}

# new_password: 16 random letters and digits
new_password() { head -c 32 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' | head -c 16; }

# demo_database DIR: the demo database on the running cluster (PGHOST,
# PGPORT): both extensions, the generated data, and two logins, demo_reader
# (platform_metrics_reader: the dashboard's, and BI tools') and demo_writer
# (platform_metrics_writer), with their passwords in DIR/<login>.password.
demo_database() {
    local dir=$1 login password
    psql_q -d postgres -c 'CREATE DATABASE demo'
    say "generating the sample data (test/demo/generate.sql, scale ${PM_DEMO_SCALE:-1})"
    psql_q -d demo -c 'CREATE EXTENSION platform_metrics_analytics CASCADE' \
        -c 'ALTER DATABASE demo SET search_path = "$user", public, platform_metrics'
    psql_q -d demo -v scale="${PM_DEMO_SCALE:-1}" -f test/demo/generate.sql
    for login in demo_reader demo_writer; do
        password=$(new_password)
        echo 'CREATE ROLE :"login" LOGIN PASSWORD :'"'"'password'"'"' IN ROLE :"role";' |
            psql_q -d demo -v login="$login" -v password="$password" -v role="platform_metrics_${login#demo_}"
        (umask 077 && echo "$password" >"$dir/$login.password")
    done
    return 0
}

# wait_for_refresh: until the refresh worker has refreshed the usage summaries once
wait_for_refresh() {
    local tries
    for tries in $(seq 1 60); do
        [ "$("$PGBIN/psql" -X -At -d demo -c "SELECT refreshes > 0 FROM platform_metrics.refresh_status WHERE source = 'usage_events'")" = t ] && return 0
        sleep 1
    done
    return 0
}

# ---------------------------------------------------------------------------
# The dashboard (dashboard/, Evidence): its npm packages, built against a
# cluster, served on 127.0.0.1.
# ---------------------------------------------------------------------------
dashboard_packages() {
    command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1 || ensure_packages nodejs npm
    local major
    major=$(node -p 'process.versions.node.split(".")[0]')
    [ "$major" -ge 18 ] || die "the dashboard needs Node.js 18 or later (found $(node --version))"
    # npm ci from the committed lock file; again only when the lock file changed
    if ! cmp -s dashboard/package-lock.json dashboard/node_modules/.platform-metrics-lock 2>/dev/null; then
        say "installing the dashboard's npm packages (dashboard/package-lock.json; about a minute)"
        (cd dashboard && npm ci --no-audit --no-fund --loglevel=error >/dev/null) || die "npm ci failed in dashboard/"
        cp dashboard/package-lock.json dashboard/node_modules/.platform-metrics-lock
    fi
}

# dashboard_build DIR DB_PORT: a copy of dashboard/ in DIR/dashboard (the
# npm packages linked, not copied) built against 127.0.0.1:DB_PORT as
# demo_reader; the site is DIR/dashboard/build.
dashboard_build() {
    local dir=$1 port=$2 work=$1/dashboard log=$1/dashboard-build.log
    rm -rf "$work"
    mkdir -p "$work"
    tar -C dashboard --exclude=./node_modules --exclude=./build --exclude=./.evidence/template \
        --exclude=./.svelte-kit --exclude=./static/data --exclude=./screenshots -cf - . | tar -C "$work" -xf -
    ln -s "$ROOT/dashboard/node_modules" "$work/node_modules"
    say "building the dashboard (Evidence: npm run sources, npm run build; about a minute)"
    if ! (cd "$work" &&
        export SEND_ANONYMOUS_USAGE_STATS=no EVIDENCE_SOURCE__platform__host=127.0.0.1 \
            EVIDENCE_SOURCE__platform__port="$port" EVIDENCE_SOURCE__platform__database=demo \
            EVIDENCE_SOURCE__platform__user=demo_reader \
            EVIDENCE_SOURCE__platform__password="$(cat "$dir/demo_reader.password")" &&
        npm run sources && npm run build) >"$log" 2>&1; then
        tail -n 40 "$log"
        die "the dashboard did not build (log: $log)"
    fi
}

# dashboard_serve DIR [PORT]: serves DIR/dashboard/build on 127.0.0.1, on
# PORT (default 3000) or the next free one; sets DASHBOARD_PORT; the
# server's pid is in DIR/dashboard.pid.
dashboard_serve() {
    local dir=$1 port=${2:-3000} tries
    for tries in $(seq 1 50); do
        port_free "$port" && break
        port=$((port + 1))
    done
    local user=()
    is_root && user=(runuser -u nobody --)
    # (the copy in DIR: the server runs as nobody, who may not read the tree)
    setsid "${user[@]}" node "$dir/dashboard/serve.mjs" "$port" "$dir/dashboard/build" \
        >"$dir/dashboard-serve.log" 2>&1 </dev/null &
    echo $! >"$dir/dashboard.pid"
    for tries in $(seq 1 50); do
        (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && { DASHBOARD_PORT=$port; return 0; }
        sleep 0.2
    done
    cat "$dir/dashboard-serve.log" >&2
    die "the dashboard server did not start"
}

# dashboard_stop DIR: stops the server dashboard_serve started, only when the
# pid file is ours and names a serve.mjs process (DIR has a fixed name in
# /tmp: another local user could plant a pid file there).
dashboard_stop() {
    local dir=$1 pid
    [ -f "$dir/dashboard.pid" ] && [ -O "$dir/dashboard.pid" ] || return 0
    pid=$(cat "$dir/dashboard.pid")
    if [[ "$pid" =~ ^[0-9]+$ ]] && tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q 'serve\.mjs'; then
        kill "$pid" 2>/dev/null || true
    fi
    rm -f "$dir/dashboard.pid"
}

cmd_demo() {
    build_install
    cmd_demo_stop >/dev/null
    # Stop the half-made cluster if anything below fails or is interrupted.
    DEMO_OK=0
    trap '[ "${DEMO_OK:-0}" = 1 ] || { dashboard_stop "$DEMO_DIR"; cluster_stop "$DEMO_DIR"; }' EXIT
    trap 'exit 130' INT TERM
    # the same port every run when it is free (saved BI connections keep working)
    cluster_start "$DEMO_DIR" 127.0.0.1 "" "${PM_DEMO_PORT:-5433}"
    say "demo cluster on port $PGPORT"
    # TCP (for BI tools) needs a password; the socket is for its owner only.
    local password
    password=$(new_password)
    psql_q -d postgres -c "ALTER ROLE postgres PASSWORD '$password'"
    (umask 077 && echo "$password" >"$DEMO_DIR/password")
    demo_database "$DEMO_DIR"
    # The refresh worker keeps the summaries behind the views current, and the
    # settings exist from each session's start: preload both modules (a
    # restart) and wait for the worker's first refresh.
    printf '%s\n' "shared_preload_libraries = 'platform_metrics, platform_metrics_analytics'" \
        "platform_metrics.refresh_database = 'demo'" "platform_metrics.refresh_interval = 10s" \
        >>"$DEMO_DIR/data/postgresql.conf"
    as_pg "$PGBIN/pg_ctl" -D "$DEMO_DIR/data" -l "$DEMO_DIR/server.log" -w -t 60 -o "-p $PGPORT" restart >/dev/null \
        || { tail -n 20 "$DEMO_DIR/server.log"; die "could not restart the demo cluster"; }
    say "refresh worker started (every 10s); waiting for its first refresh"
    wait_for_refresh
    say "dashboard queries (test/demo/dashboard.sql)"
    "$PGBIN/psql" -X -q -v ON_ERROR_STOP=1 -d demo -f test/demo/dashboard.sql
    if [ "${PM_DEMO_DASHBOARD:-1}" = 1 ]; then
        dashboard_packages
        dashboard_build "$DEMO_DIR" "$PGPORT"
        dashboard_serve "$DEMO_DIR" "${PM_DASHBOARD_PORT:-3000}"
    fi
    DEMO_OK=1
    local reader writer
    reader=$(cat "$DEMO_DIR/demo_reader.password")
    writer=$(cat "$DEMO_DIR/demo_writer.password")
    echo
    say "the demo cluster keeps running (make demo-stop stops it and the dashboard); connect with:"
    echo "psql -h $DEMO_DIR -p $PGPORT -U postgres demo"
    say "logins over TCP on 127.0.0.1 (BI tools, services):"
    echo "reader: psql 'host=127.0.0.1 port=$PGPORT dbname=demo user=demo_reader password=$reader'"
    echo "writer: psql 'host=127.0.0.1 port=$PGPORT dbname=demo user=demo_writer password=$writer'"
    echo "JDBC:   jdbc:postgresql://127.0.0.1:$PGPORT/demo?user=demo_reader&password=$reader&stringtype=unspecified"
    echo "(superuser: user postgres, password in $DEMO_DIR/password)"
    if [ -n "${DASHBOARD_PORT:-}" ]; then
        say "the dashboard (it reads the views as demo_reader):"
        echo "http://127.0.0.1:$DASHBOARD_PORT/"
    fi
}

# ---------------------------------------------------------------------------
# make test-dashboard: what BI users meet.  The dashboard built against a
# demo database and opened page by page in headless Chromium
# (dashboard/check.mjs); every README example run as written against the
# demo data (test/readme_examples.pl, in a database of its own); the client
# drivers, pgjdbc and psycopg 3, on the views (test/clients).
# ---------------------------------------------------------------------------
cmd_test_dashboard() {
    build_install
    ensure_packages chromium libpostgresql-jdbc-java default-jdk-headless python3-psycopg
    dashboard_packages
    start_tmp_cluster 127.0.0.1
    trap 'dashboard_stop "$TMP_CLUSTER"; cleanup_tmp_cluster' EXIT
    demo_database "$TMP_CLUSTER"
    psql_q -d demo -c 'CALL platform_metrics.refresh()'
    dashboard_build "$TMP_CLUSTER" "$PGPORT"
    dashboard_serve "$TMP_CLUSTER" 3100
    local shots=${PM_DASHBOARD_SCREENSHOTS:-$ROOT/dashboard/screenshots}
    mkdir -p "$shots"
    suite_counted dashboard ' \.\.\. ' node dashboard/check.mjs "http://127.0.0.1:$DASHBOARD_PORT" "$shots"
    say "screenshots in $shots"
    suite_counted clients ' \.\.\. ' env PGBIN="$PGBIN" bash test/clients/run.sh "$PGPORT" "$TMP_CLUSTER/demo_reader.password"
    # the README's examples write (they create tables, ingest, register
    # waves): a database of their own, generated like the demo's
    psql_q -d postgres -c 'CREATE DATABASE readme'
    psql_q -d readme -c 'CREATE EXTENSION platform_metrics_analytics CASCADE' \
        -c 'ALTER DATABASE readme SET search_path = "$user", public, platform_metrics'
    psql_q -d readme -v scale=1 -f test/demo/generate.sql
    suite_counted readme ' \.\.\. ' env PGBIN="$PGBIN" perl test/readme_examples.pl README.md readme
    echo "$TOTAL_PASSED passed, $TOTAL_FAILED failed"
    [ "$TOTAL_FAILED" -eq 0 ]
}

# ---------------------------------------------------------------------------
# make bench
# ---------------------------------------------------------------------------
cmd_bench() {
    local rows=${1:-10000000}
    [[ "$rows" =~ ^[0-9]+$ ]] && [ "$rows" -gt 0 ] || die "ROWS must be a positive whole number"
    build_install
    ensure_packages "postgresql-$PG_MAJOR-tdigest"
    start_tmp_cluster "" "shared_buffers = '2GB'
work_mem = '256MB'
jit = off
max_parallel_workers_per_gather = 0
max_wal_size = '8GB'
shared_preload_libraries = 'platform_metrics_analytics'
platform_metrics.refresh_database = 'analytics'
platform_metrics.refresh_interval = 0"
    if [ "${PM_BENCH_ONLY:-}" != analytics ]; then
        say "benchmark on $rows rows"
        "$PGBIN/psql" -X -q -v ON_ERROR_STOP=1 -v rows="$rows" -d postgres -f test/bench/bench.sql
    fi
    bench_analytics
}

# The analytics layer at size: views over ~1M usage events, 100k survey answers
# and 50k onboarding rows; ingest() against plain multi-row INSERTs with pgbench.
bench_analytics() {
    local scale=${PM_BENCH_SCALE:-50}
    say "analytics layer: generating scale $scale (test/demo/generate.sql)"
    psql_q -d postgres -c 'CREATE DATABASE analytics'
    psql_q -d analytics -c 'CREATE EXTENSION platform_metrics_analytics CASCADE'
    local uses=${PM_BENCH_USES:-200}
    say "(uses_per_week $uses: about 50M usage events at 200, IO-bound on index upkeep: ~45 min here; PM_BENCH_USES=20 makes ~5M)"
    psql_q -d analytics -v scale="$scale" -v capability_questions=6 -v onboarding_per_scale=1000 \
        -v uses_per_week="$uses" -f test/demo/generate.sql
    "$PGBIN/psql" -X -q -v ON_ERROR_STOP=1 -d analytics -f test/bench/views.sql

    # Two pgbench scripts carrying the same 1,000 usage events a transaction.
    local dir=$TMP_CLUSTER/pgbench
    mkdir -p "$dir"
    {
        echo '\set r random(1, 9000000000000000000)'
        printf "SELECT * FROM platform_metrics.ingest('["
        for k in $(seq 1 1000); do
            [ "$k" -gt 1 ] && printf ','
            printf '{"type":"usage","event_id":"j:client_id-:r-%d","team":"team-0001","capability":"ci-pipeline","occurred_at":"2026-06-01T10:00:00Z"}' "$k"
        done
        echo "]');"
    } >"$dir/ingest.sql"
    {
        echo '\set r random(1, 9000000000000000000)'
        printf 'INSERT INTO platform_metrics.usage_events (event_id, team, capability, occurred_at, kind) VALUES '
        for k in $(seq 1 1000); do
            [ "$k" -gt 1 ] && printf ','
            printf "('i:client_id-:r-%d','team-0001','ci-pipeline','2026-06-01 10:00:00+00','use')" "$k"
        done
        echo ';'
    } >"$dir/insert.sql"
    local secs=${PM_BENCH_PGBENCH_SECONDS:-20} ingest_tps insert_tps
    say "pgbench: 8 clients, 1,000-event batches, ${secs}s each"
    insert_tps=$("$PGBIN/pgbench" -n -c 8 -j 2 -T "$secs" -f "$dir/insert.sql" analytics 2>&1 |
        sed -n 's/^tps = \([0-9.]*\).*/\1/p' | tail -n1)
    ingest_tps=$("$PGBIN/pgbench" -n -c 8 -j 2 -T "$secs" -f "$dir/ingest.sql" analytics 2>&1 |
        sed -n 's/^tps = \([0-9.]*\).*/\1/p' | tail -n1)
    # the same with the refresh worker folding every second
    psql_q -d analytics -c "ALTER SYSTEM SET platform_metrics.refresh_interval = '1s'" -c 'SELECT pg_reload_conf()'
    local refreshes_before refreshing_tps
    refreshes_before=$("$PGBIN/psql" -X -At -d analytics -c "SELECT refreshes FROM platform_metrics.refresh_status WHERE source = 'usage_events'")
    refreshing_tps=$("$PGBIN/pgbench" -n -c 8 -j 2 -T "$secs" -f "$dir/ingest.sql" analytics 2>&1 |
        sed -n 's/^tps = \([0-9.]*\).*/\1/p' | tail -n1)
    psql_q -d analytics -c 'ALTER SYSTEM RESET platform_metrics.refresh_interval' -c 'SELECT pg_reload_conf()'
    "$PGBIN/psql" -X -q -d analytics -v ins="$insert_tps" -v ing="$ingest_tps" <<'SQL'
\pset footer off
SELECT round(:ing::numeric * 1000) AS ingest_rows_per_s, round(:ins::numeric * 1000) AS insert_rows_per_s,
       round(:ing::numeric / :ins::numeric, 3) AS ratio, '>= 0.70' AS target,
       CASE WHEN :ing::numeric / :ins::numeric >= 0.7 THEN 'yes' ELSE 'NO' END AS met;
SQL
    "$PGBIN/psql" -X -q -d analytics -v ing="$ingest_tps" -v ref="$refreshing_tps" -v before="$refreshes_before" <<'SQL'
\pset footer off
SELECT round(:ref::numeric * 1000) AS ingest_rows_per_s_refreshing, round(:ing::numeric * 1000) AS ingest_rows_per_s_alone,
       (SELECT refreshes - :before FROM platform_metrics.refresh_status WHERE source = 'usage_events') AS refreshes_meanwhile,
       round(:ref::numeric / :ing::numeric, 3) AS ratio, '>= 0.90' AS target,
       CASE WHEN :ref::numeric / :ing::numeric >= 0.9 THEN 'yes' ELSE 'NO' END AS met;
SQL
}

# ---------------------------------------------------------------------------
# make test-long: fuzzing, sqlsmith, bounded memory at size, valgrind
# ---------------------------------------------------------------------------
cmd_test_long() {
    build_install
    ensure_packages sqlsmith valgrind
    start_tmp_cluster ""
    suite_counted fuzz '^== [0-9]+ inputs|FAIL' env PGBIN="$PGBIN" FUZZ_SERVER_LOG="$TMP_CLUSTER/server.log" bash test/fuzz/run.sh
    suite_counted sqlsmith '^sqlsmith ' env PGBIN="$PGBIN" SERVER_LOG="$TMP_CLUSTER/server.log" bash test/long/sqlsmith.sh
    suite_counted memory '^bounded memory |^  ' env PGBIN="$PGBIN" bash test/long/bounded_memory.sh
    cluster_stop "$TMP_CLUSTER"   # valgrind starts its own cluster under memcheck
    suite_counted valgrind '^valgrind |^----|^==' env PGBIN="$PGBIN" bash test/long/valgrind.sh
    echo "$TOTAL_PASSED passed, $TOTAL_FAILED failed"
    [ "$TOTAL_FAILED" -eq 0 ]
}

# ---------------------------------------------------------------------------
# make test-citus: the library on a Citus cluster (test/citus/run.sh).  Uses
# the Citus installed for this PostgreSQL if there is one; otherwise builds
# Citus 13.2.2 from ../shared/vendor (a test dependency, never shipped),
# with the patch for Debian's PostgreSQL 15 headers when they need it.
# ---------------------------------------------------------------------------
CITUS_VERSION=13.2.2
citus_installed() {
    [ -f "$("$PG_CONFIG" --pkglibdir)/citus.so" ] && [ -f "$("$PG_CONFIG" --sharedir)/extension/citus.control" ]
}

citus_install() {
    if citus_installed; then
        say "using the installed Citus ($(sed -n "s/^default_version *= *'\(.*\)'/\1/p" "$("$PG_CONFIG" --sharedir)/extension/citus.control"))"
        return 0
    fi
    local vendor=$ROOT/../shared/vendor
    local tarball=$vendor/citus-$CITUS_VERSION.tar.gz patch=$vendor/citus-$CITUS_VERSION-debian-pg15.patch
    [ -f "$tarball" ] || die "Citus is not installed for PostgreSQL $PG_MAJOR and there is no $tarball to build it from"
    ensure_packages libcurl4-openssl-dev liblz4-dev libzstd-dev libkrb5-dev libssl-dev
    CITUS_BUILD=$(mktemp -d /tmp/platform_metrics-citus-build.XXXXXX)
    trap 'rm -rf "$CITUS_BUILD"' EXIT
    tar -C "$CITUS_BUILD" -xzf "$tarball"
    local src=$CITUS_BUILD/citus-$CITUS_VERSION
    # Debian's 15.20 headers declare have_createdb_privilege(), which Citus's
    # compatibility header defines again: the patch renames Citus's copy
    if grep -q 'have_createdb_privilege' "$("$PG_CONFIG" --includedir-server)/commands/dbcommands.h" 2>/dev/null; then
        patch -s -d "$src" -p1 <"$patch"
    fi
    say "building Citus $CITUS_VERSION from $tarball (about a minute)"
    (cd "$src" && PG_CONFIG=$PG_CONFIG ./configure && make -j2 with_llvm=no && make install with_llvm=no) \
        >"$CITUS_BUILD/build.log" 2>&1 || { tail -n 40 "$CITUS_BUILD/build.log"; die "Citus did not build"; }
    rm -rf "$CITUS_BUILD"
    trap - EXIT
}

cmd_test_citus() {
    build_install
    citus_install
    TMP_CLUSTER=$(mktemp -d /tmp/platform_metrics-citus-logs.XXXXXX)   # logs only: the suite starts its own servers
    trap 'rm -rf "$TMP_CLUSTER"' EXIT
    suite_counted citus 'FAILED' env PGBIN="$PGBIN" bash test/citus/run.sh
    echo "$TOTAL_PASSED passed, $TOTAL_FAILED failed"
    [ "$TOTAL_FAILED" -eq 0 ]
}

# ---------------------------------------------------------------------------
# make deb: Debian packages postgresql-NN-platform-metrics (both extensions)
# for each PostgreSQL version installed that debian/pgversions allows, built
# with pg_buildext from a fresh copy of the tree, into dist/.
# ---------------------------------------------------------------------------
cmd_deb() {
    ensure_packages debhelper postgresql-server-dev-all dpkg-dev build-essential
    DEB_WORK=$(mktemp -d /tmp/platform_metrics-deb.XXXXXX)
    trap 'rm -rf "$DEB_WORK"' EXIT
    local work=$DEB_WORK
    mkdir -p "$ROOT/dist"
    copy_tree "$work/platform-metrics"
    say "building Debian packages for PostgreSQL $(pg_buildext supported-versions "$work/platform-metrics" | tr '\n' ' ')"
    (cd "$work/platform-metrics" && pg_buildext updatecontrol >/dev/null &&
        dpkg-buildpackage -us -uc -b >"$work/build.log" 2>&1) || { tail -n 40 "$work/build.log"; die "dpkg-buildpackage failed"; }
    mv "$work"/*.deb "$ROOT/dist/"
    ls -1 "$ROOT"/dist/*.deb
}

case "${1:-}" in
    test) cmd_test ;;
    test-long) cmd_test_long ;;
    demo) cmd_demo ;;
    demo-stop) cmd_demo_stop ;;
    test-dashboard) cmd_test_dashboard ;;
    bench) shift; cmd_bench "${1:-}" ;;
    test-citus) cmd_test_citus ;;
    deb) cmd_deb ;;
    install) build_install ;;
    *) die "usage: $0 test|test-long|test-dashboard|test-citus|demo|demo-stop|bench [ROWS]|deb|install" ;;
esac
