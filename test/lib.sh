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
