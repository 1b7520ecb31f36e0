#!/usr/bin/env bash
# test/fuzz/run.sh: fuzz the platform_metrics extension.
#
#   bash test/fuzz/run.sh [DATABASE]          (default database: platform_metrics_fuzz)
#
# Connects as the server's environment says (PGHOST, PGPORT, PGUSER; a
# superuser), creates DATABASE afresh with the extension in it and feeds it
# FUZZ_N inputs (default 100000):
#   text:<type>     the text input of every type: random strings, values built
#                   by the aggregates and mutations of them (byte flips, digits,
#                   huge and negative numbers, truncation, duplication,
#                   separators, NaN/Infinity, empty, white space, unicode)
#   binary:<type>   the binary receive of every type, through COPY (FORMAT
#                   binary): send() output of valid values, mutated with
#                   knowledge of the fields
#   func:<f>        every function of the extension (from pg_depend) with
#                   arguments from pools of edge values and of values the text
#                   and binary inputs were accepted as, literal or read from a
#                   table (stored form: short headers, compressed, toasted)
#   op:<o>          every operator of the extension, the same way
#   agg:<a>         every aggregate over small random row sets: plain, grouped
#                   with empty groups (hash against sort), as window functions
#                   (against the plain aggregate over the same rows) and in
#                   forced parallel plans (against the serial plan)
#   win:<w>         every window function in two window clauses (against each
#                   other)
#   ingest          ingest(jsonb) with random and mutated batches
# Each input runs in its own subtransaction, rolled back afterwards.  An
# error is fine and counted by SQLSTATE.  A failure is: an internal error
# (SQLSTATE class XX), a crash or lost connection, an input running into
# FUZZ_TIMEOUT, or a failed consistency check (SQLSTATE FZ001: a value that
# does not read back equal from its text or binary form, a result of one of
# the extension's types that does not, an argument changed by a call, a
# result out of its documented range or different from an independent
# computation in SQL, serial and parallel or window and plain results that
# differ).  Also a crash in the server log.
#
# Settings (environment):
#   FUZZ_N            number of inputs (default 100000)
#   FUZZ_SEED         seed; the same seed gives the same inputs (default 1)
#   FUZZ_BATCH        inputs per psql call (default 500)
#   FUZZ_TIMEOUT      seconds one batch may take before its running input
#                     counts as hanging (default 120)
#   FUZZ_MAX_CRASHES  crashes per target after which its remaining inputs
#                     are skipped (default 10)
#   FUZZ_SERVER_LOG   the server log, to look for crashes (default: found
#                     with pg_current_logfile() or as $PGHOST/server.log)
#   FUZZ_KEEP=1       keep the database (to rerun reproductions in it)
#   FUZZ_OUT          directory for the report files (default: a new
#                     directory under /tmp, removed when nothing failed)
#   PGBIN             directory of psql (default: pg_config --bindir)
#   FUZZ_SELFTEST=1   check the driver: adds three inputs that must be reported
#                     as failures (a backend killed by SIGSEGV, an input past
#                     FUZZ_TIMEOUT, an internal error)
#
# Prints inputs and errors by SQLSTATE per target, every failure with SQL
# that reproduces it, and a last line "N passed, N failed" (one check per
# target, plus the server log); exits non-zero on any failure.
set -Eeuo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
DB=${1:-platform_metrics_fuzz}
N=${FUZZ_N:-100000}
SEED=${FUZZ_SEED:-1}
BATCH=${FUZZ_BATCH:-500}
TIMEOUT=${FUZZ_TIMEOUT:-120}
MAX_CRASHES=${FUZZ_MAX_CRASHES:-10}
KEEP=${FUZZ_KEEP:-0}
PGBIN=${PGBIN:-$(pg_config --bindir)}
PSQL=$PGBIN/psql
[ -x "$PSQL" ] || PSQL=$(command -v psql || true)
export PGCLIENTENCODING=UTF8

die() { printf 'fuzz: %s\n' "$*" >&2; exit 2; }
say() { printf '== %s\n' "$*"; }

[ -n "$PSQL" ] || die "psql not found (set PGBIN)"
command -v perl >/dev/null || die "perl not found"
[[ "$N" =~ ^[0-9]+$ ]] && [ "$N" -ge 100 ] || die "FUZZ_N must be a whole number >= 100"
[[ "$SEED" =~ ^[0-9]+$ ]] || die "FUZZ_SEED must be a whole number"
[[ "$BATCH" =~ ^[0-9]+$ ]] && [ "$BATCH" -ge 1 ] || die "FUZZ_BATCH must be a positive whole number"
[[ "$TIMEOUT" =~ ^[0-9]+$ ]] && [ "$TIMEOUT" -ge 1 ] || die "FUZZ_TIMEOUT must be a positive whole number"
[[ "$DB" =~ ^[A-Za-z_][A-Za-z0-9_]*$ ]] || die "database name must be a plain identifier: $DB"

q() { "$PSQL" -X -q -v ON_ERROR_STOP=1 "$@"; }
qdb() { q -d "$DB" "$@"; }

OUT=${FUZZ_OUT:-}
OUT_IS_TMP=0
if [ -z "$OUT" ]; then
    OUT=$(mktemp -d /tmp/platform_metrics-fuzz.XXXXXX)
    OUT_IS_TMP=1
fi
mkdir -p "$OUT"
WORK=$(mktemp -d /tmp/platform_metrics-fuzz-work.XXXXXX)
cleanup() {
    rm -rf "$WORK"
    if [ "$KEEP" != 1 ] && [ -n "${DB_CREATED:-}" ]; then
        q -d postgres -c "DROP DATABASE IF EXISTS $DB" >/dev/null 2>&1 || true
    fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

T_START=$(date +%s)
elapsed() { echo $(( $(date +%s) - T_START ))s; }

# ---------------------------------------------------------------------------
# Server, log and database
# ---------------------------------------------------------------------------
su=$(q -d postgres -Atc "SELECT current_setting('is_superuser')") || die "cannot connect (PGHOST=${PGHOST:-} PGPORT=${PGPORT:-} PGUSER=${PGUSER:-})"
[ "$su" = on ] || die "the fuzz driver needs a superuser (COPY to and from server files)"

LOG=${FUZZ_SERVER_LOG:-}
if [ -z "$LOG" ]; then
    cand=$(q -d postgres -Atc "SELECT current_setting('data_directory') || '/' || pg_current_logfile()" 2>/dev/null || true)
    if [ -n "$cand" ] && [ -r "$cand" ]; then
        LOG=$cand
    elif [ -d "${PGHOST:-}" ] && [ -r "$PGHOST/server.log" ]; then
        LOG=$PGHOST/server.log
    fi
fi
LOG_START=0
[ -n "$LOG" ] && [ -r "$LOG" ] && LOG_START=$(stat -c %s "$LOG")

marker='platform_metrics fuzz scratch database'
exists=$(q -d postgres -Atc "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = '$DB'")
if [ -n "$exists" ] || q -d postgres -Atc "SELECT 1 FROM pg_database WHERE datname = '$DB'" | grep -q 1; then
    [ "$exists" = "$marker" ] || die "database $DB exists and was not made by this driver; choose another name"
    q -d postgres -c "DROP DATABASE $DB" >/dev/null
fi
q -d postgres -c "CREATE DATABASE $DB TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C'" >/dev/null
DB_CREATED=1
q -d postgres -c "COMMENT ON DATABASE $DB IS '$marker'" >/dev/null
ver=$(qdb -Atc "CREATE EXTENSION platform_metrics_analytics CASCADE; SELECT extversion FROM pg_extension WHERE extname = 'platform_metrics'" | tail -n1)
say "fuzzing platform_metrics $ver in database $DB: $N inputs, seed $SEED (report files in $OUT)"
qdb -f "$HERE/fuzz.sql" >/dev/null
qdb -v seed="$SEED" -f "$HERE/seeds.sql" >/dev/null

# ---------------------------------------------------------------------------
# Running inputs: batches, and what to do when the server goes away
# ---------------------------------------------------------------------------
wait_server() {
    local i
    for i in $(seq 1 120); do
        q -d "$DB" -Atc 'SELECT 1' >/dev/null 2>&1 && return 0
        sleep 1
    done
    return 1
}

# record ID SQLSTATE MESSAGE
record() {
    q -d "$DB" -v id="$1" -v st="$2" -v msg="$3" >/dev/null <<'SQL'
INSERT INTO fuzz.outcome (id, sqlstate, msg) VALUES (:id, :'st', :'msg');
SQL
}

declare -A CRASHES=()
SERVER_DOWN=0
# run_ids LO HI: every input with LO <= id <= HI.  On a crash or a timeout the
# last input announced is the culprit: it is recorded, checked alone once,
# and the inputs around it are run again.
run_ids() {
    local -a work=("$1 $2")
    local item lo hi last kind msg target rc err=$WORK/batch.err
    while [ ${#work[@]} -gt 0 ]; do
        item=${work[-1]}
        unset 'work[-1]'
        lo=${item% *}
        hi=${item#* }
        [ "$lo" -le "$hi" ] || continue
        rc=0
        PGOPTIONS="${PGOPTIONS:-} -c statement_timeout=${TIMEOUT}s" \
            q -d "$DB" -Atc "SELECT fuzz.run($lo, $hi)" >/dev/null 2>"$err" || rc=$?
        grep -E '^(psql:.*)?WARNING:' "$err" >>"$OUT/warnings.txt" || true
        [ "$rc" -eq 0 ] && continue
        last=$(grep -oE 'fuzz-input [0-9]+' "$err" | tail -n1 | cut -d' ' -f2 || true)
        msg=$(grep -vE 'NOTICE: +fuzz-input' "$err" | head -c 2000 || true)
        if grep -q 'canceling statement due to statement timeout' "$err"; then
            kind=TIMEOUT
        elif grep -qE 'server closed the connection|terminated abnormally|connection to server .* lost|no connection to the server|could not connect' "$err"; then
            kind=CRASH
        else
            kind=DRIVER
        fi
        if ! wait_server; then
            SERVER_DOWN=1
            echo "fuzz: the server did not come back after input ${last:-?}: $msg" >&2
            [ -n "$last" ] || return 1
            return 1
        fi
        if [ -z "$last" ]; then
            echo "fuzz: psql failed before any input of $lo..$hi ran: $msg" >&2
            last=$lo
        fi
        target=$(q -d "$DB" -Atc "SELECT target FROM fuzz.inputs WHERE id = $last")
        if [ "$kind" != DRIVER ] && [ "${CRASHES[$target]:-0}" -lt 3 ]; then
            # once more, alone
            local rc2=0
            PGOPTIONS="${PGOPTIONS:-} -c statement_timeout=${TIMEOUT}s" \
                q -d "$DB" -Atc "SELECT fuzz.run($last, $last)" >/dev/null 2>"$WORK/alone.err" || rc2=$?
            if [ "$rc2" -ne 0 ]; then
                msg="$msg
(reproduces when run alone)"
                wait_server || { SERVER_DOWN=1; return 1; }
            else
                msg="$msg
(did not reproduce when run alone; it may depend on inputs before it in the batch $lo..$last)"
                q -d "$DB" -c "DELETE FROM fuzz.outcome WHERE id = $last" >/dev/null
            fi
        fi
        printf 'fuzz: %s at input %s (%s)\n' "$kind" "$last" "$target" >&2
        record "$last" "$kind" "$msg"
        CRASHES[$target]=$(( ${CRASHES[$target]:-0} + 1 ))
        if [ "${CRASHES[$target]}" -ge "$MAX_CRASHES" ]; then
            local skipped
            skipped=$(q -d "$DB" -Atc "WITH d AS (DELETE FROM fuzz.inputs WHERE target = '$target' AND id > $last
                                          AND id NOT IN (SELECT id FROM fuzz.outcome) RETURNING 1) SELECT count(*) FROM d")
            echo "fuzz: $target: $MAX_CRASHES crashes or timeouts, its remaining $skipped inputs skipped" >&2
            echo "$target: $MAX_CRASHES crashes or timeouts, $skipped remaining inputs skipped" >>"$OUT/skipped.txt"
        fi
        work+=("$((last + 1)) $hi" "$lo $((last - 1))")
    done
}

# run_phase NAME: every input not run yet, in batches.
run_phase() {
    local lo hi first maxid t0=$(date +%s)
    first=$(qdb -Atc "SELECT coalesce(min(id), 1) FROM fuzz.inputs WHERE id > (SELECT coalesce(max(id), 0) FROM fuzz.outcome)")
    maxid=$(qdb -Atc "SELECT coalesce(max(id), 0) FROM fuzz.inputs")
    for ((lo = first; lo <= maxid; lo += BATCH)); do
        hi=$((lo + BATCH - 1))
        [ "$hi" -gt "$maxid" ] && hi=$maxid
        run_ids "$lo" "$hi" || { echo "fuzz: stopping: the server is down" >&2; return 1; }
    done
    say "$1: done in $(( $(date +%s) - t0 ))s"
}

# load_inputs FILE: append generated inputs to fuzz.inputs.
load_inputs() {
    qdb -c "\\copy fuzz.inputs (target, kind, typ, payload, bin, repro, must_accept) FROM '$1'" >/dev/null
}

# ---------------------------------------------------------------------------
# Phase 1: text input, binary receive, ingest()
# ---------------------------------------------------------------------------
N_IO=$(( N * 55 / 100 ))
N_CALLS=$(( N - N_IO ))
qdb -c "\\copy (SELECT s.typ, s.txt, encode(t.send, 'hex') FROM fuzz.seeds s, LATERAL fuzz.send_of(s.typ, s.txt) t(send) ORDER BY s.id) TO '$WORK/seeds.tsv'" >/dev/null
perl "$HERE/gen.pl" io "$SEED" "$N_IO" "$WORK" >"$WORK/io.tsv"
load_inputs "$WORK/io.tsv"
say "phase 1: $N_IO text, binary and ingest() inputs generated ($(elapsed))"
PHASE_OK=1
run_phase "phase 1 (text, binary, ingest)" || PHASE_OK=0

# ---------------------------------------------------------------------------
# Phase 2: functions and aggregates
# ---------------------------------------------------------------------------
if [ "$PHASE_OK" = 1 ]; then
    qdb -v seed="$SEED" -f "$HERE/pools.sql" >/dev/null
    qdb -c "\\copy (SELECT id, typ, txt FROM fuzz.pool ORDER BY id) TO '$WORK/pool.tsv'" >/dev/null
    qdb -c "\\copy (SELECT * FROM fuzz.functions ORDER BY signature) TO '$WORK/functions.tsv'" >/dev/null
    qdb -c "\\copy (SELECT * FROM fuzz.operators ORDER BY signature) TO '$WORK/operators.tsv'" >/dev/null
    perl "$HERE/gen.pl" calls "$SEED" "$N_CALLS" "$WORK" >"$WORK/calls.tsv"
    load_inputs "$WORK/calls.tsv"
    if [ "${FUZZ_SELFTEST:-0}" = 1 ]; then
        # Inputs that must come out as failures: a backend killed by SIGSEGV, one
        # running past FUZZ_TIMEOUT, an internal error.
        qdb -v sleep="$((TIMEOUT + 2))" >/dev/null <<'SQL'
INSERT INTO fuzz.inputs (target, kind, payload) VALUES
    ('selftest:crash', 'sql', $q$DO $$ BEGIN EXECUTE format('COPY (SELECT 1) TO PROGRAM %L', 'kill -SEGV ' || pg_backend_pid()); END $$$q$),
    ('selftest:timeout', 'sql', 'SELECT pg_sleep(' || :sleep || ')'),
    ('selftest:internal', 'sql', $q$DO $$ BEGIN RAISE EXCEPTION 'internal' USING ERRCODE = 'XX000'; END $$$q$);
SQL
    fi
    say "phase 2: $N_CALLS function and aggregate inputs generated ($(elapsed))"
    # The parallel plans really are parallel.
    plan=$(qdb -Atc "SET parallel_setup_cost = 0; SET parallel_tuple_cost = 0; SET min_parallel_table_scan_size = 0;
                     SET max_parallel_workers_per_gather = 2;
                     EXPLAIN SELECT g, platform_metrics.ttv_percentile(iv, 0.5) FROM fuzz.prows GROUP BY g" | tr '\n' ' ')
    case "$plan" in
        *Partial*Gather*|*Gather*Partial*) ;;
        *) echo "fuzz: warning: forced parallel plans are not parallel here: $plan" >&2 ;;
    esac
    run_phase "phase 2 (functions, aggregates)" || PHASE_OK=0
fi

# ---------------------------------------------------------------------------
# Report
# ---------------------------------------------------------------------------
LOG_FAIL=0
if [ -n "$LOG" ] && [ -r "$LOG" ]; then
    tail -c +"$((LOG_START + 1))" "$LOG" >"$OUT/server.log" || true
    if grep -E 'terminated by signal|PANIC|TRAP:' "$OUT/server.log" >"$OUT/crashes.txt"; then
        LOG_FAIL=1
    fi
    # (not the warnings crash recovery prints when it replays a DROP DATABASE)
    grep -E 'WARNING' "$OUT/server.log" | grep -vE 'fuzz-input|useless files may be left behind|could not open directory "base/' \
        >>"$OUT/warnings.txt" || true
fi

if [ "$SERVER_DOWN" = 1 ]; then
    echo "fuzz: the server went down and did not come back; the report covers what ran" >&2
    wait_server || { echo "0 passed, 1 failed"; exit 1; }
fi

# The file binary inputs went through (in the data directory).
qdb -c "DO \$\$ BEGIN EXECUTE format('COPY (SELECT 1) TO PROGRAM %L', 'rm -f ''' || fuzz.binfile() || ''''); END \$\$" >/dev/null 2>&1 || true
qdb -v out="$OUT" -f "$HERE/report.sql"
failed_targets=$(qdb -Atc "SELECT count(*) FROM fuzz.target_report WHERE failures > 0")
passed_targets=$(qdb -Atc "SELECT count(*) FROM fuzz.target_report WHERE failures = 0")
total_inputs=$(qdb -Atc "SELECT count(*) FROM fuzz.outcome")

if [ -s "$OUT/warnings.txt" ]; then
    say "warnings the server sent or logged (suspicious, not counted as failures), by frequency"
    sed -E 's/^psql:[^ ]* //; s/[0-9]+/N/g' "$OUT/warnings.txt" | sort | uniq -c | sort -rn | head -n 20
fi
if [ -s "$OUT/skipped.txt" ]; then
    say "skipped"
    cat "$OUT/skipped.txt"
fi
if [ -n "$LOG" ]; then
    if [ "$LOG_FAIL" = 1 ]; then
        say "server log ($LOG): FAILED, crash lines:"
        head -n 20 "$OUT/crashes.txt"
        failed_targets=$((failed_targets + 1))
    else
        say "server log ($LOG): no crash"
        passed_targets=$((passed_targets + 1))
    fi
else
    say "server log: not found (set FUZZ_SERVER_LOG); crashes are still seen as lost connections"
fi
[ "$PHASE_OK" = 1 ] || failed_targets=$((failed_targets + 1))

say "$total_inputs inputs in $(elapsed); seed $SEED; reproduce with FUZZ_SEED=$SEED FUZZ_N=$N"
if [ "$failed_targets" -gt 0 ]; then
    say "failures with SQL that reproduces them: $OUT/failures.sql"
    [ "$KEEP" = 1 ] && say "database $DB kept (FUZZ_KEEP=1)"
elif [ "$OUT_IS_TMP" = 1 ]; then
    rm -rf "$OUT"
fi
echo "$passed_targets passed, $failed_targets failed"
[ "$failed_targets" -eq 0 ]
