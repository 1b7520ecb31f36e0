#!/usr/bin/env bash
# test/tap.sh: run the TAP tests in test/t/*.pl (PostgreSQL::Test::Cluster) with prove.
#
#   make install && bash test/tap.sh            every test file
#   bash test/tap.sh test/t/001_crash_ingest.pl  just these
#
# Runs as root (the tests then run as the postgres OS user, since PostgreSQL
# refuses to run as root) or as an ordinary user. Everything goes into one
# temporary directory, removed on exit (TAP_KEEP=1 keeps it; TAP_VERBOSE=1
# shows every assertion). Prints "N passed, N failed",
# counting test files, and exits non-zero when one fails.
set -Eeuo pipefail

cd "$(dirname "$0")/.."
ROOT=$(pwd)
PG_MAJOR=15
PGBIN=/usr/lib/postgresql/$PG_MAJOR/bin
PGXS_DIR=/usr/lib/postgresql/$PG_MAJOR/lib/pgxs
PERL_DIR=$PGXS_DIR/src/test/perl
PG_REGRESS_BIN=$PGXS_DIR/src/test/regress/pg_regress

die() { printf 'tap: %s\n' "$*" >&2; exit 2; }

[ -x "$PGBIN/postgres" ] || die "PostgreSQL $PG_MAJOR is not installed ($PGBIN)"
[ -f "$PERL_DIR/PostgreSQL/Test/Cluster.pm" ] || die "missing $PERL_DIR (apt-get install postgresql-server-dev-$PG_MAJOR)"
[ -x "$PG_REGRESS_BIN" ] || die "missing $PG_REGRESS_BIN"
command -v prove >/dev/null || die "prove not found (apt-get install perl)"
perl -MIPC::Run -e1 2>/dev/null || die "Perl IPC::Run missing (apt-get install libipc-run-perl)"
[ -f "$("$PGBIN/pg_config" --sharedir)/extension/platform_metrics.control" ] \
    || die "platform_metrics is not installed; run 'make install' first"

if [ $# -gt 0 ]; then
    TESTS=("$@")
else
    TESTS=("$ROOT"/test/t/*.pl)
fi
for i in "${!TESTS[@]}"; do
    [ -f "${TESTS[$i]}" ] || die "no such test: ${TESTS[$i]}"
    TESTS[$i]=$(cd "$(dirname "${TESTS[$i]}")" && pwd)/$(basename "${TESTS[$i]}")
done

TMP=$(mktemp -d /tmp/pm_tap.XXXXXX)
KEEP=${TAP_KEEP:-}

cleanup() {
    # A test that died may have left its server running: stop exactly those,
    # by the data directories under our temporary directory.
    local pid_file
    while IFS= read -r pid_file; do
        as_pg "$PGBIN/pg_ctl" -D "$(dirname "$pid_file")" stop -m immediate >/dev/null 2>&1 || true
    done < <(find "$TMP" -name postmaster.pid 2>/dev/null)
    if [ -n "$KEEP" ]; then
        echo "tap: kept $TMP"
    else
        rm -rf "$TMP"
    fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

if [ "$(id -u)" -eq 0 ]; then
    id postgres >/dev/null 2>&1 || die "no postgres OS user (is postgresql-$PG_MAJOR installed?)"
    chown postgres: "$TMP"
    as_pg() { (cd "$TMP" && runuser -u postgres -- "$@"); }
else
    as_pg() { (cd "$TMP" && "$@"); }
fi

passed=0
failed=0
for t in "${TESTS[@]}"; do
    name=$(basename "$t" .pl)
    testdir=$TMP/$name
    as_pg mkdir -p "$testdir"
    # the postgres OS user may not be able to read the checkout (a clone in a
    # 0700 directory): it runs a copy
    cp "$t" "$testdir/$name.pl"
    [ "$(id -u)" -eq 0 ] && chown postgres: "$testdir/$name.pl"
    start=$(date +%s)
    rc=0
    # PostgreSQL::Test::Utils puts tmp_check (logs, data directories) under
    # TESTDIR; Cluster.pm runs initdb and pg_ctl from PATH and
    # "$PG_REGRESS --config-auth" in init.
    as_pg env -i \
        PATH="$PGBIN:/usr/local/bin:/usr/bin:/bin" \
        HOME="$testdir" \
        LANG=C.UTF-8 \
        PERL5LIB="$PERL_DIR" \
        PG_REGRESS="$PG_REGRESS_BIN" \
        TESTDIR="$testdir" \
        TMPDIR="$testdir" \
        PG_TEST_PORT_DIR="$TMP" \
        ${PG_TEST_TIMEOUT_DEFAULT:+PG_TEST_TIMEOUT_DEFAULT="$PG_TEST_TIMEOUT_DEFAULT"} \
        ${PM_CRASH_CLIENTS:+PM_CRASH_CLIENTS="$PM_CRASH_CLIENTS"} \
        ${PM_CRASH_MIN_BATCHES:+PM_CRASH_MIN_BATCHES="$PM_CRASH_MIN_BATCHES"} \
        prove ${TAP_VERBOSE:+-v} "$testdir/$name.pl" || rc=$?
    elapsed=$(( $(date +%s) - start ))
    if [ "$rc" -eq 0 ]; then
        passed=$((passed + 1))
        echo "tap: $name ok (${elapsed}s)"
    else
        failed=$((failed + 1))
        echo "tap: $name FAILED (${elapsed}s); the end of its logs (TAP_KEEP=1 keeps them all):"
        find "$testdir" -path '*tmp_check/log/*' -type f -print0 2>/dev/null |
            while IFS= read -r -d '' f; do echo "---- $f"; tail -n 40 "$f"; done
    fi
done

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
