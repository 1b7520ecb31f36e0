#!/usr/bin/env bash
# test/matrix.sh (make test-matrix): the complete make test of a fresh copy of
# the tree on other PostgreSQL versions, each inside a Debian root file system
# of its own, built with mmdebstrap from the Debian mirror the host's apt
# sources name (never added to the host's apt sources):
#
#   bookworm  PostgreSQL 15  (the host's own version: the package test only)
#   trixie    PostgreSQL 17
#   forky     PostgreSQL 18  (its Release file may be expired on a snapshot mirror)
#
# Each run is chrooted inside `unshare --mount`, so /proc, /dev/pts and
# /dev/shm are mounted in a mount namespace of its own and vanish with it, on
# every exit path.  Prints "PostgreSQL NN: N passed, N failed" per version,
# then the totals line.
#
#   PM_MATRIX="bookworm:15:package trixie:17 forky:18"
#                                         suite:version[:parts] to run, parts
#                                         among package,test,cross (default all)
#   PM_MATRIX_ROOTS=/var/cache/platform_metrics/roots
#                                         where the root file systems are kept
#                                         (built once, reused while complete)
#   PM_MATRIX_TARGET="test"               the make target(s) to run inside
set -Eeuo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
MATRIX=${PM_MATRIX:-"bookworm:15:package trixie:17 forky:18"}
ROOTS=${PM_MATRIX_ROOTS:-/var/cache/platform_metrics/roots}
TARGET=${PM_MATRIX_TARGET:-test}
export DEBIAN_FRONTEND=noninteractive
. test/lib.sh

say() { printf '== %s\n' "$*"; }
die() { printf 'matrix: %s\n' "$*" >&2; exit 1; }

[ "$(id -u)" -eq 0 ] || die "runs as root (mmdebstrap, chroot, mounts)"
if ! command -v mmdebstrap >/dev/null; then
    say "installing mmdebstrap"
    apt-get update -qq && apt-get install -y -qq --no-install-recommends mmdebstrap >/dev/null \
        || die "could not install mmdebstrap"
fi

# The mirror of the host's own apt sources (deb822 or one-line format).
mirror=$(sed -n 's/^URIs: *\([^ ]*\).*/\1/p' /etc/apt/sources.list.d/*.sources 2>/dev/null | grep -v security | head -n1)
[ -n "$mirror" ] || mirror=$(awk '$1 == "deb" && $0 !~ /security/ {print $2; exit}' /etc/apt/sources.list 2>/dev/null)
[ -n "$mirror" ] || die "no Debian mirror in the host's apt sources"

# build_root SUITE MAJOR DIR: a root with the packages make test needs.
build_root() {
    local suite=$1 major=$2 dir=$3
    rm -rf "$dir"
    mkdir -p "$(dirname "$dir")"
    say "building a $suite root file system with PostgreSQL $major in $dir (mmdebstrap, $mirror)"
    # No cluster on 5432 inside: postgresql-common reads createcluster.d.
    mmdebstrap --variant=apt --quiet \
        --aptopt='Acquire::Check-Valid-Until "false"' \
        --include="postgresql-$major,postgresql-server-dev-$major,postgresql-server-dev-all,build-essential,gcc,make,libc6-dev,libipc-run-perl,perl,ca-certificates,debhelper,dpkg-dev" \
        --setup-hook='mkdir -p "$1/etc/postgresql-common/createcluster.d" && echo "create_main_cluster = false" > "$1/etc/postgresql-common/createcluster.d/no-main-cluster.conf"' \
        "$suite" "$dir" "deb $mirror $suite main" >"$dir.log" 2>&1 \
        || { tail -n 30 "$dir.log"; return 1; }
    touch "$dir/.platform-metrics-root-complete"
}

# What the oldest version (the host's) writes, for the newer ones to read.
say "PostgreSQL on the host: build, install, and the cross-version data set"
bash test/harness.sh install
xv=$ROOTS/cross-version
rm -rf "$xv"
bash test/cross_version.sh make "$xv"

# Inside each root: the Debian package (built, installed into the clean root,
# smoke-tested, removed), then the complete make test, then the data written
# by the host's version restored and received.
inner='set -u
rc=0
case ",$PM_PARTS," in *,package,*)
    rm -rf dist
    make -s deb || rc=1
    for deb in dist/postgresql-$PM_MAJOR-platform-metrics_*.deb; do
        bash test/package_smoke.sh "$deb" || rc=1
    done ;;
esac
case ",$PM_PARTS," in *,test,*) make $PM_TARGET || rc=1 ;; esac
case ",$PM_PARTS," in *,cross,*) bash test/cross_version.sh check /cross-version || rc=1 ;; esac
exit $rc'

total_passed=0
total_failed=0
for entry in $MATRIX; do
    IFS=: read -r suite major parts <<<"$entry"
    parts=${parts:-package,test,cross}
    dir=$ROOTS/$suite
    start=$(date +%s)
    if [ ! -f "$dir/.platform-metrics-root-complete" ] || \
       [ ! -x "$dir/usr/lib/postgresql/$major/bin/pg_config" ]; then
        if ! build_root "$suite" "$major" "$dir"; then
            echo "PostgreSQL $major: 0 passed, 1 failed (no root file system)"
            total_failed=$((total_failed + 1))
            continue
        fi
    fi
    # A fresh copy of the tree, without the host's build output.
    rm -rf "$dir/src" "$dir/cross-version"
    cp -a "$xv" "$dir/cross-version"
    copy_tree "$dir/src"
    log=$dir.test.log
    say "PostgreSQL $major ($suite): $parts in the root file system"
    rc=0
    unshare --mount --fork bash -c '
        set -e
        d=$1; shift
        mount -t proc proc "$d/proc"
        mount -t devpts -o newinstance,ptmxmode=0666 devpts "$d/dev/pts"
        mount -t tmpfs -o mode=1777 tmpfs "$d/dev/shm"
        exec chroot "$d" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LANG=C.UTF-8 \
            CI=true PG_CONFIG="/usr/lib/postgresql/$1/bin/pg_config" PM_MAJOR="$1" PM_TARGET="$2" PM_PARTS="$4" \
            bash -c "cd /src && $3"
    ' matrix "$dir" "$major" "$TARGET" "$inner" "$parts" </dev/null >"$log" 2>&1 || rc=$?
    # every part ends with "N passed, N failed": add them up
    passed=$(awk '/^[0-9]+ passed, [0-9]+ failed$/ {s += $1} END {print s + 0}' "$log")
    failed=$(awk '/^[0-9]+ passed, [0-9]+ failed$/ {s += $3} END {print s + 0}' "$log")
    if [ "$rc" -ne 0 ] || [ "$failed" -ne 0 ] || [ "$passed" -eq 0 ]; then
        grep -E '\.\.\. FAILED|^not ok|^== suite' "$log" || true
        tail -n 80 "$log"
    else
        grep -E '^== suite |^package |^cross-version ' "$log" || true
    fi
    [ "$rc" -ne 0 ] && [ "$failed" -eq 0 ] && failed=1
    echo "PostgreSQL $major: $passed passed, $failed failed ($(( $(date +%s) - start )) s)"
    total_passed=$((total_passed + passed))
    total_failed=$((total_failed + failed))
done
echo "$total_passed passed, $total_failed failed"
[ "$total_failed" -eq 0 ]
