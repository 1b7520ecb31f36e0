#!/usr/bin/env bash
# test/cross_version.sh: nothing is lost between PostgreSQL versions.
#
#   cross_version.sh make DIR    on the oldest version (the host's 15): loads
#                                test/dump_data.sql, writes DIR/dump (pg_dump
#                                -Fc), DIR/<table>.bin (binary COPY of each user
#                                table of stored types) and DIR/expected (per
#                                table: rows, md5 of the text and of the binary
#                                send output, test/dump_check.sql)
#   cross_version.sh check DIR   on a newer version (inside a matrix root):
#                                pg_restore of DIR/dump, and the binary COPY
#                                files received into fresh tables; every table
#                                must give DIR/expected's line
#
# Each mode starts a throwaway cluster of the PostgreSQL that PG_CONFIG (or
# pg_config on PATH) names, as the postgres OS user, and stops it on every
# exit path.  "check" prints "N passed, N failed".
set -Eeuo pipefail
cd "$(dirname "$0")/.."
mode=$1
out=$2
PG_CONFIG=${PG_CONFIG:-pg_config}
PGBIN=$("$PG_CONFIG" --bindir)
. test/lib.sh

trap quick_cluster_down EXIT
quick_cluster_up platform_metrics-xv
version=$(psql -At -d postgres -c 'SHOW server_version_num')

stored_tables="stored stored_ttv stored_likert stored_cohorts"
case "$mode" in
make)
    mkdir -p "$out"
    psql -d postgres -c 'CREATE DATABASE xv'
    psql -d xv -f test/dump_data.sql >/dev/null
    "$PGBIN/pg_dump" -Fc -d xv -f "$out/dump"
    for t in $stored_tables; do
        psql -d xv -c "\\copy public.$t TO '$out/$t.bin' (FORMAT binary)"
    done
    psql -At -d xv -f test/dump_check.sql >"$out/expected"
    echo "$version" >"$out/version"
    echo "cross-version: PostgreSQL $version wrote $(wc -l <"$out/expected") tables to $out"
    ;;
check)
    from=$(cat "$out/version")
    psql -d postgres -c 'CREATE DATABASE xv'
    if "$PGBIN/pg_restore" --exit-on-error -d xv "$out/dump" >"$QUICK_DIR/restore.log" 2>&1; then
        ok "cross-version pg_restore of a $from dump into $version"
    else
        fail "cross-version pg_restore of a $from dump into $version" "$(tail -n 3 "$QUICK_DIR/restore.log")"
    fi
    got=$(psql -At -d xv -f test/dump_check.sql)
    while IFS= read -r line; do
        table=${line%%|*}
        if grep -qxF "$line" <<<"$got"; then
            ok "cross-version $table: rows, text and binary send output identical" "${line#*|}"
        else
            fail "cross-version $table" "expected ${line#*|}, got $(grep "^$table|" <<<"$got" | cut -d'|' -f2)"
        fi
    done <"$out/expected"
    # values sent in binary by the old version, received by this one
    for t in $stored_tables; do
        psql -d xv -c "CREATE TABLE public.${t}_received (LIKE public.$t)" \
             -c "\\copy public.${t}_received FROM '$out/$t.bin' (FORMAT binary)" >/dev/null 2>"$QUICK_DIR/recv.log" || true
        same=$(psql -At -d xv -c "SELECT (SELECT count(*) FROM public.$t) > 0 AND NOT EXISTS (
                                     (SELECT x::text FROM public.$t x EXCEPT ALL SELECT y::text FROM public.${t}_received y)
                                     UNION ALL
                                     (SELECT y::text FROM public.${t}_received y EXCEPT ALL SELECT x::text FROM public.$t x))" 2>>"$QUICK_DIR/recv.log" || true)
        check "cross-version binary COPY of public.$t from $from received by $version" "t" "$same"
    done
    summary
    [ "$failed" -eq 0 ]
    ;;
*)
    echo "usage: $0 make|check DIR" >&2
    exit 2
    ;;
esac
