# Sourced by test/harness.sh and the shell test suites: psql, as_pg, and the
# "NAME ... ok" / "NAME ... FAILED" lines with the closing "N passed, N failed"
# that test/harness.sh reads.  PGBIN comes from the harness (pg_config).
PGBIN=${PGBIN:-$(pg_config --bindir 2>/dev/null || true)}
# Run a command as the owner of the clusters: PostgreSQL refuses to run as
# root, so as root that is the postgres OS user.
as_pg() {
    if [ "$(id -u)" -eq 0 ]; then
        (cd / && runuser -u postgres -- "$@")
    else
        "$@"
    fi
}
psql() { "$PGBIN/psql" -X -q -v ON_ERROR_STOP=1 "$@"; }
passed=0 failed=0
ok() { echo "$1 ... ok${2:+ ($2)}"; passed=$((passed + 1)); }
fail() { echo "$1 ... FAILED${2:+ ($2)}"; failed=$((failed + 1)); }
# check NAME EXPECTED ACTUAL: ok when equal, else what differs
check() {
    if [ "$2" = "$3" ]; then
        ok "$1"
    elif [[ "$2$3" == *$'\n'* ]]; then
        fail "$1"
        diff <(echo "$2") <(echo "$3") | head -20 || true
    else
        fail "$1" "expected $2, got $3"
    fi
}
summary() { echo "$passed passed, $failed failed"; }

# Ports: free when no socket lock and nothing listening on loopback.
port_free() {
    local port=$1
    [ -e "/tmp/.s.PGSQL.$port.lock" ] && return 1
    ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null
}

free_port() {
    local port
    for port in $(seq $((55400 + RANDOM % 400)) 55999) $(seq 55400 55999); do
        port_free "$port" && { echo "$port"; return 0; }
    done
    echo "no free port between 55400 and 55999" >&2
    return 1
}

# copy_tree DIR: a copy of the source tree (the current directory) without
# version control, test output, build output or packages (git is not needed).
copy_tree() {
    mkdir -p "$1"
    tar --exclude=./.git --exclude=./dashboard/node_modules --exclude=./dashboard/build --exclude=./dashboard/.evidence --exclude=./results --exclude=./output_iso --exclude=./tmp_check \
        --exclude=./log --exclude=./dist --exclude='./build-*' --exclude='*.o' --exclude='*.bc' \
        --exclude='*.so' --exclude=./regression.diffs --exclude=./regression.out -cf - . | tar -C "$1" -xf -
}

# quick_cluster_up PREFIX: a throwaway cluster of $PGBIN's PostgreSQL in a
# new directory /tmp/PREFIX.XXXXXX (owned by the postgres OS user when root),
# socket only, on a free port; sets QUICK_DIR, PGHOST, PGPORT, PGUSER.
# quick_cluster_down stops it and removes the directory: call it on exit.
quick_cluster_up() {
    QUICK_DIR=$(mktemp -d "/tmp/$1.XXXXXX")
    chmod 755 "$QUICK_DIR"
    [ "$(id -u)" -eq 0 ] && chown postgres: "$QUICK_DIR"
    as_pg "$PGBIN/initdb" -D "$QUICK_DIR/data" -U postgres -A trust --no-sync -E UTF8 --locale=C.UTF-8 \
        >"$QUICK_DIR/initdb.log"
    printf "unix_socket_directories = '%s'\nlisten_addresses = ''\nfsync = off\n" "$QUICK_DIR" \
        >>"$QUICK_DIR/data/postgresql.conf"
    PGPORT=$(free_port)
    as_pg "$PGBIN/pg_ctl" -D "$QUICK_DIR/data" -l "$QUICK_DIR/server.log" -w -o "-p $PGPORT" start >/dev/null
    export PGHOST=$QUICK_DIR PGPORT PGUSER=postgres
}

quick_cluster_down() {
    [ -n "${QUICK_DIR:-}" ] || return 0
    [ -f "$QUICK_DIR/data/postmaster.pid" ] && \
        as_pg "$PGBIN/pg_ctl" -D "$QUICK_DIR/data" -m immediate -w stop >/dev/null 2>&1 || true
    rm -rf "$QUICK_DIR"
}
