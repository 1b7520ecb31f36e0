# Sourced by the shell test suites: psql, and the "NAME ... ok" / "NAME ...
# FAILED" lines with the closing "N passed, N failed" that test/harness.sh reads.
PGBIN=${PGBIN:-/usr/lib/postgresql/15/bin}
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
