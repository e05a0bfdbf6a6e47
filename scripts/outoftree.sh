#!/usr/bin/env bash
#
# scripts/outoftree.sh: bangfu builds and installs outside its source tree,
# as pg_buildext does for the Debian package (build-NN directories with
# VPATH=the source) and as `make -f /path/to/Makefile` does.
#
#   bash scripts/outoftree.sh
#
# The sources (what git tracks plus new files not ignored; no build products,
# since make would take an in-tree bangfu.so found through VPATH as up to
# date) are copied to a temporary directory, then built from another one:
#   1. with `make -f SRC/Makefile` (no VPATH given: the Makefile finds its
#      own directory);
#   2. with pg_buildext's form, `make -C build -f SRC/Makefile VPATH=SRC`,
#      then `make install DESTDIR=...`, which must install the same files as
#      `make install DESTDIR=...` from the source tree.
# Each build must give a bangfu.so that exports PG_MODULE_MAGIC's function,
# _PG_init, and every C symbol the install scripts name (with its pg_finfo_
# record; PostgreSQL 16 and later build with -fvisibility=hidden), and the
# same install scripts as the source tree's own build (one per control file:
# bangfu, bangfu_register); the install must hold every control file and
# install script, every script of src/update/ and the library.
#
# Environment: PG_CONFIG (default /usr/lib/postgresql/15/bin/pg_config).
set -euo pipefail
cd "$(dirname "$0")/.."
exec </dev/null

export PG_CONFIG=${PG_CONFIG:-/usr/lib/postgresql/15/bin/pg_config}
here=$PWD
work=$(mktemp -d /tmp/bangfu-oot.XXXXXX)
trap 'rm -rf -- "$work"' EXIT
src=$work/src
mkdir -p "$src"
# The install scripts make assembles at the top (one per control file), by
# exact name: a pattern such as ./*--*.sql would also match src/update/,
# since tar's * crosses slashes.
built_sql=()
for c in "$here"/*.control; do
    built_sql+=(--exclude="./$(basename "$c" .control)--[0-9]*[0-9].sql")
done

if git -C "$here" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
    git -C "$here" ls-files -z -c -o --exclude-standard |
        (cd "$here" && tar --null -T - -cf -) | tar -C "$src" -xf -
else
    tar -C "$here" --exclude=./.git --exclude='*.o' --exclude='*.so' --exclude='*.bc' \
        "${built_sql[@]}" --exclude='./bangfu_register--unpackaged--[0-9]*[0-9].sql' --exclude='./po/*.mo' \
        --exclude=./results --exclude=./output_iso \
        -cf - . | tar -C "$src" -xf -
fi
# A file git tracks but that was deleted in the working tree is not copied.
version=$(sed -n "s/^default_version *= *'\(.*\)'/\1/p" "$src/bangfu.control")
# Every extension of the tree (bangfu, and bangfu_register beside it): one
# control file each at the top, one install script each of the same version.
exts=$(cd "$src" && ls ./*.control | sed 's|^\./||; s|\.control$||')
scripts=()
for e in $exts; do
    scripts+=("$e--$version.sql")
done

status=0
bad() { echo "outoftree.sh: $*" >&2; status=1; }

# The symbols the install script asks of the library.
wanted() {
    sed -n "s/.*'MODULE_PATHNAME', *'\([A-Za-z0-9_]*\)'.*/\1/p" "$@" | sort -u
}

check_build() {
    local dir=$1 what=$2 sym n=0 missing=()
    if [ ! -s "$dir/bangfu.so" ]; then
        bad "$what: no bangfu.so"
        return
    fi
    for f in "${scripts[@]}"; do
        if ! cmp -s "$dir/$f" "$here/$f"; then
            bad "$what: $f differs from the source tree's own build"
        fi
    done
    nm -D --defined-only "$dir/bangfu.so" | awk '{print $3}' | sort -u >"$work/exported"
    grep -qx Pg_magic_func "$work/exported" || missing+=(Pg_magic_func)
    # PGXS builds with -fvisibility=hidden from PostgreSQL 16 on: a _PG_init
    # the server cannot see would silently never run.
    if grep -q '^_PG_init(void)' "$src"/src/*.c; then
        grep -qx _PG_init "$work/exported" || missing+=(_PG_init)
    fi
    while IFS= read -r sym; do
        n=$((n + 1))
        grep -qx "$sym" "$work/exported" || missing+=("$sym")
        grep -qx "pg_finfo_$sym" "$work/exported" || missing+=("pg_finfo_$sym")
    done < <(cd "$dir" && wanted "${scripts[@]}")
    if [ "$n" -lt 50 ]; then
        bad "$what: only $n C functions named by ${scripts[*]} (expected all of them)"
    fi
    if [ ${#missing[@]} -gt 0 ]; then
        bad "$what: bangfu.so does not export ${missing[*]}"
    else
        echo "outoftree.sh: $what: bangfu.so exports Pg_magic_func, _PG_init and all $n C functions of ${scripts[*]}"
    fi
}

# The reference: the source tree's own install script (built by setup.sh).
make -s -C "$here" PG_CONFIG="$PG_CONFIG" "${scripts[@]}" >/dev/null

# 1. make -f SRC/Makefile from an empty directory.
mkdir -p "$work/b1"
(cd "$work/b1" && make -s -j"$(nproc)" -f "$src/Makefile" PG_CONFIG="$PG_CONFIG" >"$work/b1.log" 2>&1) ||
    { tail -n 30 "$work/b1.log" >&2; bad "make -f SRC/Makefile failed"; }
check_build "$work/b1" "make -f SRC/Makefile"

# 2. pg_buildext's form, then install into a staging directory.
mkdir -p "$work/b2"
make -s -j"$(nproc)" -C "$work/b2" -f "$src/Makefile" PG_CONFIG="$PG_CONFIG" \
    VPATH="$src" USE_PGXS=1 >"$work/b2.log" 2>&1 ||
    { tail -n 30 "$work/b2.log" >&2; bad "make VPATH=SRC failed"; }
check_build "$work/b2" "make -C build -f SRC/Makefile VPATH=SRC"
make -s -C "$work/b2" -f "$src/Makefile" PG_CONFIG="$PG_CONFIG" VPATH="$src" \
    USE_PGXS=1 install DESTDIR="$work/dest" >"$work/i2.log" 2>&1 ||
    { tail -n 30 "$work/i2.log" >&2; bad "make install (VPATH) failed"; }
share=$work/dest$("$PG_CONFIG" --sharedir)/extension
lib=$work/dest$("$PG_CONFIG" --pkglibdir)
for e in $exts; do
    for f in "$share/$e.control" "$share/$e--$version.sql"; do
        [ -s "$f" ] || bad "install (VPATH): $f missing"
    done
done
[ -s "$lib/bangfu.so" ] || bad "install (VPATH): $lib/bangfu.so missing"
for f in "$src"/src/update/*.sql; do
    [ -f "$share/$(basename "$f")" ] || bad "install (VPATH): $(basename "$f") missing"
done
[ "$status" = 0 ] && echo "outoftree.sh: install (VPATH): $(echo $exts | sed 's/ /, /g'): control files, ${scripts[*]}, $(ls "$src"/src/update/*.sql | wc -l) scripts of src/update/ and bangfu.so"

# The same files as an install from the source tree itself (whatever a later
# change adds to the install: a list that finds its files only in the current
# directory shows up here).
make -s -C "$here" PG_CONFIG="$PG_CONFIG" install DESTDIR="$work/dest0" >"$work/i0.log" 2>&1 ||
    { tail -n 30 "$work/i0.log" >&2; bad "make install DESTDIR= from the source tree failed"; }
if ! diff <(cd "$work/dest0" && find . -type f | sort) <(cd "$work/dest" && find . -type f | sort) >"$work/install.diff"; then
    cat "$work/install.diff" >&2
    bad "install (VPATH) does not install the same files as the source tree's install (< in-tree, > VPATH)"
else
    echo "outoftree.sh: install (VPATH) installs the same $(cd "$work/dest" && find . -type f | wc -l) files as an install from the source tree"
fi

# The source copy must not have been written to (all output in the build dirs).
if [ -n "$(find "$src" -name '*.o' -o -name '*.so' -o -name "*--$version.sql" -not -path '*/src/update/*' | head -n 1)" ]; then
    bad "the out-of-tree builds wrote into the source directory"
fi
exit "$status"
