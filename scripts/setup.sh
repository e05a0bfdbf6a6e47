#!/usr/bin/env bash
#
# scripts/setup.sh: make this machine able to build and test bangfu, then
# build it and install it into the PostgreSQL that PG_CONFIG names (15 on
# Debian 12; 17 inside the Debian 13 root of scripts/pg17.sh).
#
# Safe to run again and again: packages are only installed when dpkg says one
# is missing, so a warm machine goes straight to `make`. Must work on a fresh
# Debian 12 as root with nothing installed by hand (that is what CI gets).
#
# Environment:
#   PG_CONFIG   pg_config of the server to build against
#               (default /usr/lib/postgresql/15/bin/pg_config; /usr/bin/pg_config
#               is Debian's wrapper and may answer for another version)
#   SKIP_BUILD  set to 1 to only install packages
#   BANGFU_CODENAME  the Debian release to pick package names for (default:
#               this machine's); with --list, which prints the list only
set -euo pipefail
cd "$(dirname "$0")/.."

export PG_CONFIG=${PG_CONFIG:-/usr/lib/postgresql/15/bin/pg_config}

# The server's major version, from the path of its pg_config (Debian's
# layout /usr/lib/postgresql/NN/bin/pg_config); 15 when it cannot be told.
PGMAJOR=$(printf '%s\n' "$PG_CONFIG" | sed -n 's|.*/postgresql/\([0-9][0-9]*\)/bin/pg_config$|\1|p')
PGMAJOR=${PGMAJOR:-15}
# Debian 12 pins clang 14's runtime by name; Debian 13 (the PostgreSQL 17
# root of scripts/pg17.sh) has the unversioned default.
CODENAME=${BANGFU_CODENAME:-$(. /etc/os-release 2>/dev/null && echo "${VERSION_CODENAME:-}")}
case "$CODENAME" in
bookworm) CLANG_RT=libclang-rt-14-dev ;;
*) CLANG_RT=libclang-rt-dev ;;
esac

# What each package is for:
#   postgresql-NN                   the server, psql, pgbench and the contrib
#                                   modules (Debian's postgresql-contrib is
#                                   only a virtual name for this package)
#   postgresql-server-dev-NN        PGXS, server headers, pg_regress,
#                                   pg_isolation_regress
#   postgresql-NN-pgtap             the pgtap extension
#   libtap-parser-sourcehandler-pgtap-perl   pg_prove
#   make gcc perl                   the build and PGXS's helper scripts
#   clang                           PGXS builds LLVM bitcode for JIT with it,
#                                   and the fuzzers need -fsanitize=fuzzer
#   libclang-rt-14-dev              libFuzzer and ASan/UBSan runtimes for
#                                   Debian 12's clang-14; without it
#                                   `clang -fsanitize=fuzzer` fails to link
#                                   (libclang-rt-dev on Debian 13)
#   debootstrap                     the Debian 13 root in which
#                                   scripts/pg17.sh tests PostgreSQL 17
#                                   (Debian 12 only: not needed inside it)
#   binutils                        nm, for the exported-symbol check of the
#                                   out-of-tree build (scripts/outoftree.sh)
#   debhelper build-essential postgresql-all postgresql-server-dev-all
#                                   the Debian package (scripts/package.sh):
#                                   dpkg-buildpackage, pg_buildext's dh
#                                   sequence, and the Build-Depends of
#                                   debian/control.in
#   python3-psycopg2                the Python client test (scripts/clients_test.sh)
#   nodejs npm                      the Node.js client test (`pg` from npm);
#                                   only when no node/npm is on PATH (a
#                                   machine with NodeSource's nodejs has npm
#                                   inside it, and Debian's npm conflicts)
#   sqlsmith                        random SQL against the demo county
#                                   (scripts/sqlsmith.sh, issue 8)
#   gettext                         xgettext, msgmerge, msgfmt: bangfu's
#                                   message catalog po/ (make po-update,
#                                   the .mo files, scripts/po_check.sh)
#   locales                         locale-gen: zh_CN.UTF-8 (lc_messages of
#                                   the Chinese messages test
#                                   sql/messages_zh.sql, and a cluster of
#                                   scripts/collation_test.sh) and en_US.UTF-8
#                                   (collation_test.sh), generated below
#   librsvg2-bin                    rsvg-convert: the svg suite renders
#                                   bangfu.tiers_svg to PNG (issue 13)
#   libfaketime                     the aging suite runs the server with its
#                                   clock years ahead (scripts/aging_test.sh)
PACKAGES=(
    postgresql-$PGMAJOR
    postgresql-server-dev-$PGMAJOR
    postgresql-$PGMAJOR-pgtap
    libtap-parser-sourcehandler-pgtap-perl
    make
    gcc
    perl
    clang
    "$CLANG_RT"
    binutils
    debhelper
    build-essential
    postgresql-all
    postgresql-server-dev-all
    python3-psycopg2
    sqlsmith
    gettext
    locales
    librsvg2-bin
    libfaketime
)
if [ "$CODENAME" = bookworm ]; then
    PACKAGES+=(debootstrap)
fi

# `setup.sh --list`: only print the list (scripts/pg17.sh installs the
# Debian 13 root from it, with PG_CONFIG of 17 and BANGFU_CODENAME=trixie).
if [ "${1:-}" = --list ]; then
    printf '%s\n' "${PACKAGES[@]}"
    exit 0
fi

missing=()
for pkg in "${PACKAGES[@]}"; do
    # dpkg-query, not `apt-get install` every time: no network, no lock, ~10 ms.
    status=$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)
    if [ "$status" != "install ok installed" ]; then
        missing+=("$pkg")
    fi
done

if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
    missing+=(nodejs npm)
fi

if [ ${#missing[@]} -gt 0 ]; then
    echo "setup.sh: installing ${missing[*]}"
    if [ "$(id -u)" != 0 ]; then
        echo "setup.sh: need root to install packages; run: sudo $0" >&2
        exit 1
    fi
    # Fresh machines have no package lists yet, so update before installing.
    apt-get update
    DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}"
else
    echo "setup.sh: all packages present"
fi

# The glibc locales the tests use: zh_CN.UTF-8 for lc_messages (bangfu's
# Chinese messages) and, with en_US.UTF-8, for the clusters
# scripts/collation_test.sh initialises; a fresh Debian has only C.UTF-8.
# Each is enabled in /etc/locale.gen once (no duplicate lines) and generated
# only when missing, so a warm machine runs no locale-gen (locale -a spells
# them zh_CN.utf8).
LOCALES=(zh_CN.UTF-8 en_US.UTF-8)
want_locales=()
for loc in "${LOCALES[@]}"; do
    if ! locale -a 2>/dev/null | grep -qix "${loc%.UTF-8}.utf8"; then
        want_locales+=("$loc")
    fi
done
if [ ${#want_locales[@]} -gt 0 ]; then
    echo "setup.sh: generating locales ${want_locales[*]}"
    if [ "$(id -u)" != 0 ]; then
        echo "setup.sh: need root to generate locales; run: sudo $0" >&2
        exit 1
    fi
    for loc in "${want_locales[@]}"; do
        if grep -qx "# *$loc UTF-8" /etc/locale.gen 2>/dev/null; then
            sed -i "s/^# *$loc UTF-8\$/$loc UTF-8/" /etc/locale.gen
        elif ! grep -qx "$loc UTF-8" /etc/locale.gen 2>/dev/null; then
            echo "$loc UTF-8" >>/etc/locale.gen
        fi
    done
    locale-gen </dev/null
fi

if [ "${SKIP_BUILD:-0}" = 1 ]; then
    exit 0
fi

# </dev/null: nothing in the build should ever wait for input, and CI has none.
echo "setup.sh: building with $PG_CONFIG"
make -j"$(nproc)" PG_CONFIG="$PG_CONFIG" </dev/null
make PG_CONFIG="$PG_CONFIG" install </dev/null
