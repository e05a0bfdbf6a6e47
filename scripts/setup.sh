#!/usr/bin/env bash
#
# scripts/setup.sh: make this machine able to build and test bangfu, then
# build it and install it into PostgreSQL 15.
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
set -euo pipefail
cd "$(dirname "$0")/.."

export PG_CONFIG=${PG_CONFIG:-/usr/lib/postgresql/15/bin/pg_config}

# What each package is for:
#   postgresql-15                   the server, psql, pgbench and the contrib
#                                   modules (Debian's postgresql-contrib is
#                                   only a virtual name for this package)
#   postgresql-server-dev-15        PGXS, server headers, pg_regress,
#                                   pg_isolation_regress
#   postgresql-15-pgtap             the pgtap extension
#   libtap-parser-sourcehandler-pgtap-perl   pg_prove
#   make gcc perl                   the build and PGXS's helper scripts
#   clang                           PGXS builds LLVM bitcode for JIT with it,
#                                   and the fuzzers need -fsanitize=fuzzer
#   libclang-rt-14-dev              libFuzzer and ASan/UBSan runtimes for
#                                   Debian 12's clang-14; without it
#                                   `clang -fsanitize=fuzzer` fails to link
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
#   locales                         locale-gen: the zh_CN.UTF-8 locale that
#                                   lc_messages needs for the Chinese
#                                   messages test (sql/messages_zh.sql)
#   librsvg2-bin                    rsvg-convert: the svg suite renders
#                                   bangfu.tiers_svg to PNG (issue 13)
PACKAGES=(
    postgresql-15
    postgresql-server-dev-15
    postgresql-15-pgtap
    libtap-parser-sourcehandler-pgtap-perl
    make
    gcc
    perl
    clang
    libclang-rt-14-dev
    python3-psycopg2
    sqlsmith
    gettext
    locales
    librsvg2-bin
)

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

# Locales the tests use: zh_CN.UTF-8 for lc_messages (bangfu's Chinese
# messages) and for collation tests.  Generated only when missing, so a warm
# machine runs no locale-gen; other scripts may add the same line: the
# grep keeps /etc/locale.gen free of duplicates.
for loc in zh_CN.UTF-8; do
    if ! locale -a 2>/dev/null | grep -qix "$(echo "$loc" | sed 's/UTF-8/utf8/')"; then
        if [ "$(id -u)" != 0 ]; then
            echo "setup.sh: need root to generate locale $loc; run: sudo $0" >&2
            exit 1
        fi
        echo "setup.sh: generating locale $loc"
        grep -qx "$loc UTF-8" /etc/locale.gen 2>/dev/null || echo "$loc UTF-8" >> /etc/locale.gen
        locale-gen </dev/null
    fi
done

if [ "${SKIP_BUILD:-0}" = 1 ]; then
    exit 0
fi

# </dev/null: nothing in the build should ever wait for input, and CI has none.
echo "setup.sh: building with $PG_CONFIG"
make -j"$(nproc)" PG_CONFIG="$PG_CONFIG" </dev/null
make PG_CONFIG="$PG_CONFIG" install </dev/null
