#!/usr/bin/env bash
#
# scripts/pg17.sh: build and test bangfu against PostgreSQL 17, as shipped by
# Debian 13 (trixie), on a Debian 12 machine.
#
#   bash scripts/pg17.sh root     # only make sure the Debian 13 root exists
#   bash scripts/pg17.sh test     # root, then the whole test command inside it
#   bash scripts/pg17.sh shell    # an interactive shell in the root (mounts held)
#
# How:
# - A Debian 13 root made by debootstrap (minbase) from the machine's own
#   mirror, with PostgreSQL 17, its server headers, pgTAP, pg_prove and the
#   compilers installed, is kept in $BANGFU_TRIXIE_ROOT (default
#   /var/cache/bangfu/trixie) between runs. It is rebuilt only when it is
#   missing or when the wanted package list (the stamp file .bangfu-stamp
#   inside it) changed. It is made in a temporary directory beside it and
#   renamed into place only once complete, so an interrupted debootstrap is
#   never reused; a lock file serialises two runs on one machine.
# - The source tree is copied (not bind-mounted) into the root's /build, so
#   objects built for 17 never mix with the PostgreSQL 15 objects of the
#   working tree.
# - /proc, /dev, /dev/pts and /dev/shm (PostgreSQL's dynamic shared memory)
#   are mounted for the run and always unmounted, whatever way the run ends.
# - Inside, scripts/test.sh runs with PG_CONFIG of 17 and BANGFU_PG17=0 (no
#   recursion); its summary lines are printed as they are. The caller
#   (scripts/test.sh) turns them into "pg17: ..." lines. BANGFU_AUTOPKGTEST=1
#   lets scripts/package.sh install the built postgresql-17-bangfu in the
#   root and run debian/tests/ as autopkgtest would (then purge it).
#
# Environment:
#   BANGFU_TRIXIE_ROOT  where the root lives (default /var/cache/bangfu/trixie)
#   BANGFU_MIRROR       Debian mirror (default: the first deb.debian.org-style
#                       URI of the machine's own apt sources)
#   FUZZ_SECONDS        passed on to the inner test command
set -euo pipefail
cd "$(dirname "$0")/.."
exec </dev/null

ROOT=${BANGFU_TRIXIE_ROOT:-/var/cache/bangfu/trixie}
SUITE=trixie
PGMAJOR=17

# The mirror the machine already uses for Debian itself (CI has network to
# that one only). deb822 files (URIs:) first, then one-line sources.list.
find_mirror() {
    local m
    m=$(sed -n 's/^URIs:[[:space:]]*\([^[:space:]]*\).*/\1/p' /etc/apt/sources.list.d/*.sources 2>/dev/null |
        grep -v -e security -e '^$' | grep '/debian/\?$' | head -n 1 || true)
    if [ -z "$m" ]; then
        m=$(sed -n 's/^deb[[:space:]]\+\(\[[^]]*\][[:space:]]\+\)\?\([^[:space:]]*\).*/\2/p' \
            /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null |
            grep -v security | grep '/debian/\?$' | head -n 1 || true)
    fi
    echo "${m:-http://deb.debian.org/debian}"
}
MIRROR=${BANGFU_MIRROR:-$(find_mirror)}

# What the root needs: the list scripts/setup.sh installs on Debian 13 for
# PostgreSQL 17 (server, headers, pgTAP, pg_prove, compilers, the fuzzers'
# runtime, the Debian packaging tools; its comments say why each), so that
# setup.sh inside the root finds everything present and one list is kept.
mapfile -t PACKAGES < <(PG_CONFIG=/usr/lib/postgresql/$PGMAJOR/bin/pg_config \
    BANGFU_CODENAME=$SUITE bash scripts/setup.sh --list)
[ ${#PACKAGES[@]} -gt 0 ] || { echo "pg17.sh: scripts/setup.sh --list gave nothing" >&2; exit 1; }

# Everything that decides the root's contents; a change rebuilds it.
stamp() {
    printf 'suite=%s\nmirror=%s\npackages=%s\n' "$SUITE" "$MIRROR" "${PACKAGES[*]}"
}

log() { echo "pg17.sh: $*" >&2; }

need_host_tools() {
    if [ "$(id -u)" != 0 ]; then
        log "must run as root (debootstrap, chroot, mount)"
        return 1
    fi
    if ! command -v debootstrap >/dev/null; then
        log "installing debootstrap"
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends debootstrap >/dev/null
    fi
}

# ---------------------------------------------------------------- mounts
MOUNTED=()
mount_in() {
    local r=$1
    mount -t proc proc "$r/proc" && MOUNTED+=("$r/proc")
    mount --bind /dev "$r/dev" && MOUNTED+=("$r/dev")
    mount --bind /dev/pts "$r/dev/pts" && MOUNTED+=("$r/dev/pts")
    mount --bind /dev/shm "$r/dev/shm" && MOUNTED+=("$r/dev/shm")
}
umount_all() {
    local i
    for ((i = ${#MOUNTED[@]} - 1; i >= 0; i--)); do
        umount "${MOUNTED[$i]}" 2>/dev/null || umount -l "${MOUNTED[$i]}" || true
    done
    MOUNTED=()
}

# Unmount whatever is still mounted below a directory, deepest first: what a
# run killed with SIGKILL left in the root, or what an interrupted
# debootstrap left (it mounts /proc and /sys in its target).
umount_under() {
    local m
    findmnt -rn -o TARGET | awk -v p="$1/" 'index($0, p) == 1' | sort -r |
        while IFS= read -r m; do
            umount "$m" 2>/dev/null || umount -l "$m" || true
        done
}

# chroot with a clean environment: nothing of the host leaks in but what we pass.
in_root() {
    local r=$1
    shift
    chroot "$r" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root \
        LC_ALL=C.UTF-8 DEBIAN_FRONTEND=noninteractive "$@"
}

# ---------------------------------------------------------------- the root
TMPROOT=
cleanup() {
    umount_all
    if [ -n "$TMPROOT" ] && [ -d "$TMPROOT" ]; then
        case "$TMPROOT" in
        "$ROOT".new.*)
            umount_under "$TMPROOT"
            rm -rf --one-file-system -- "$TMPROOT" "$TMPROOT.log"
            ;;
        esac
    fi
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

make_root() {
    # Half-made roots of an interrupted run are never reused: remove them
    # (we hold the lock, so no other run is making one).
    local d
    for d in "$ROOT".new.* "$ROOT".old.*; do
        [ -e "$d" ] || continue
        log "removing $d, left by an interrupted run"
        umount_under "$d"
        rm -rf --one-file-system -- "$d"
    done
    if [ -f "$ROOT/.bangfu-stamp" ] && [ "$(cat "$ROOT/.bangfu-stamp")" = "$(stamp)" ]; then
        log "Debian 13 root $ROOT is ready"
        return 0
    fi
    need_host_tools
    local start=$SECONDS
    mkdir -p "$(dirname "$ROOT")"
    TMPROOT=$(mktemp -d "$ROOT.new.XXXXXX")
    chmod 755 "$TMPROOT"
    log "debootstrap $SUITE from $MIRROR into $TMPROOT"
    debootstrap --variant=minbase --components=main "$SUITE" "$TMPROOT" "$MIRROR" \
        >"$TMPROOT.log" 2>&1 || {
        tail -n 30 "$TMPROOT.log" >&2
        log "debootstrap failed (log above)"
        return 1
    }
    log "debootstrap took $((SECONDS - start))s"
    # Daemons must not start inside the root while packages install.
    printf '#!/bin/sh\nexit 101\n' >"$TMPROOT/usr/sbin/policy-rc.d"
    chmod 755 "$TMPROOT/usr/sbin/policy-rc.d"
    # Debian's postgresql-common would create a "main" cluster per version:
    # not wanted, the tests make their own throwaway one.
    mkdir -p "$TMPROOT/etc/postgresql-common/createcluster.d"
    echo "create_main_cluster = false" >"$TMPROOT/etc/postgresql-common/createcluster.d/bangfu.conf"
    # No documentation: a third of the download's unpacked size.
    printf 'path-exclude /usr/share/doc/*\npath-exclude /usr/share/man/*\npath-exclude /usr/share/locale/*/LC_MESSAGES/*\npath-include /usr/share/locale/zh_CN/*\n' \
        >"$TMPROOT/etc/dpkg/dpkg.cfg.d/bangfu-nodoc"
    cp /etc/resolv.conf "$TMPROOT/etc/resolv.conf" 2>/dev/null || true
    mount_in "$TMPROOT"
    local t2=$SECONDS
    in_root "$TMPROOT" apt-get update -qq
    in_root "$TMPROOT" apt-get install -y -qq --no-install-recommends "${PACKAGES[@]}" \
        >"$TMPROOT.log" 2>&1 || {
        tail -n 30 "$TMPROOT.log" >&2
        log "apt-get install in the root failed (log above)"
        return 1
    }
    in_root "$TMPROOT" apt-get clean
    umount_all
    log "package install took $((SECONDS - t2))s"
    stamp >"$TMPROOT/.bangfu-stamp"
    rm -f "$TMPROOT.log"
    # Swap in atomically: the old root (if any) is moved aside first.
    if [ -e "$ROOT" ]; then
        umount_under "$ROOT"
        mv -- "$ROOT" "$ROOT.old.$$"
        rm -rf --one-file-system -- "$ROOT.old.$$"
    fi
    mv -- "$TMPROOT" "$ROOT"
    TMPROOT=
    log "Debian 13 root ready in $((SECONDS - start))s"
}

with_lock() {
    mkdir -p "$(dirname "$ROOT")"
    exec 9>"$ROOT.lock"
    if ! flock -w 1800 9; then
        log "could not lock $ROOT.lock"
        return 1
    fi
}

# ---------------------------------------------------------------- the test
# Debian 12's PostgreSQL 15 (this host's, when it has one) with bangfu
# built for it, copied into the root at /opt/bangfu-pg15, so that the
# pg-upgrade suite inside moves a county database from 15 to 17 as a DBA
# upgrading Debian 12 to 13 does (pg_upgradecluster 15 17 runs pg_upgrade).
# A relocated copy: PostgreSQL finds its files relative to its binaries.
# The libraries Debian 13 no longer has (ICU 72, OpenLDAP 2.5) go into
# /opt/bangfu-pg15/lib, each soname one the root's 17 does not use.
PG15_IN_ROOT=/opt/bangfu-pg15
stage_pg15() {
    local old=/usr/lib/postgresql/15 to=$ROOT$PG15_IN_ROOT lib so path
    if [ ! -x "$old/bin/pg_upgrade" ] || [ ! -d /usr/include/postgresql/15/server ]; then
        log "no PostgreSQL 15 on this host: pg-upgrade inside the root runs 17 to 17"
        return 1
    fi
    rm -rf --one-file-system -- "$to"
    mkdir -p "$to/usr/lib/postgresql" "$to/usr/share/postgresql" "$to/usr/include/postgresql" "$to/lib"
    cp -a "$old" "$to/usr/lib/postgresql/"
    cp -a /usr/share/postgresql/15 "$to/usr/share/postgresql/"
    cp -a /usr/include/postgresql/15 "$to/usr/include/postgresql/"
    make -s PG_CONFIG="$to/usr/lib/postgresql/15/bin/pg_config" >/dev/null
    make -s PG_CONFIG="$to/usr/lib/postgresql/15/bin/pg_config" install >/dev/null
    # a library found only once copied may need others (libldap: liblber)
    local round missing
    for round in 1 2 3 4; do
        missing=$(for lib in "$to"/usr/lib/postgresql/15/bin/* "$to"/usr/lib/postgresql/15/lib/*.so; do
                      chroot "$ROOT" /usr/bin/env LD_LIBRARY_PATH="$PG15_IN_ROOT/lib" ldd "${lib#"$ROOT"}" 2>/dev/null
                  done | awk '$2 == "=>" && $3 == "not" {print $1}' | sort -u)
        [ -n "$missing" ] || return 0
        for so in $missing; do
            path=$(ldconfig -p | awk -v s="$so" '$1 == s {print $NF; exit}')
            [ -n "$path" ] || { log "PostgreSQL 15 needs $so, which this host lacks"; return 1; }
            cp -L "$path" "$to/lib/"
        done
    done
    log "PostgreSQL 15's libraries still incomplete in the root: $missing"
    return 1
}

run_test() {
    make_root
    # Mounts a killed run left behind (we hold the lock: nobody uses them).
    umount_under "$ROOT"
    local src=/build/bangfu here=$PWD c built_sql=()
    # The install scripts make assembles at the top (one per control file), by
    # exact name: a pattern such as ./*--*.sql would also match src/update/,
    # since tar's * crosses slashes.
    for c in "$here"/*.control; do
        built_sql+=(--exclude="./$(basename "$c" .control)--[0-9]*[0-9].sql")
    done
    rm -rf --one-file-system -- "$ROOT$src"
    mkdir -p "$ROOT$src"
    # The tree as it stands (committed or not), without build products or
    # the git directory (objects for 15 must not pass for objects for 17).
    tar -C . --exclude=./.git --exclude='*.o' --exclude='*.so' --exclude='*.bc' \
        --exclude=./results --exclude=./output_iso --exclude='./test/unit/corpus_*' \
        --exclude=./test/unit/run_unit --exclude=./test/unit/cnid_unit --exclude=./test/unit/fuzz_tiers \
        --exclude=./test/unit/fuzz_cnid "${built_sql[@]}" \
        --exclude='./bangfu*--*.sql' --exclude='./po/*.mo' \
        -cf - . | tar -C "$ROOT$src" -xf -
    # The Node client test's `pg` (plain JavaScript) comes from the npm cache
    # the host's own clients suite filled: npm inside the root lacks the
    # host's network settings (proxy, certificates) to reach the registry.
    if [ -d "$HOME/.cache/bangfu/node/node_modules/pg" ]; then
        rm -rf "$ROOT/root/.cache/bangfu/node"
        mkdir -p "$ROOT/root/.cache/bangfu"
        cp -a "$HOME/.cache/bangfu/node" "$ROOT/root/.cache/bangfu/node"
    fi
    local pgup=
    if stage_pg15; then
        pgup="BANGFU_PGUP_OLD=$PG15_IN_ROOT/usr/lib/postgresql/15/bin/pg_config BANGFU_PGUP_OLD_LIBS=$PG15_IN_ROOT/lib"
    fi
    mount_in "$ROOT"
    local rc=0
    in_root "$ROOT" /bin/bash -c "cd $src && $pgup \
        PG_CONFIG=/usr/lib/postgresql/$PGMAJOR/bin/pg_config \
        BANGFU_PGPORT=${BANGFU_PGPORT:-54329} FUZZ_SECONDS=${FUZZ_SECONDS:-20} \
        BANGFU_PG17=0 BANGFU_AUTOPKGTEST=1 bash scripts/test.sh" || rc=$?
    umount_all
    return "$rc"
}

case "${1:-test}" in
root)
    with_lock
    make_root
    ;;
test)
    with_lock
    run_test
    ;;
shell)
    with_lock
    make_root
    umount_under "$ROOT"
    mount_in "$ROOT"
    chroot "$ROOT" /bin/bash -i </dev/tty || true
    ;;
*)
    echo "usage: $0 [root|test|shell]" >&2
    exit 2
    ;;
esac
