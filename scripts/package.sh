#!/usr/bin/env bash
#
# scripts/package.sh: build the Debian package postgresql-NN-bangfu from
# debian/ for every PostgreSQL version installed here that debian/pgversions
# lists (15 on Debian 12; 17 in the Debian 13 root of scripts/pg17.sh), and
# check it.
#
#   bash scripts/package.sh               # build and check
#   BANGFU_AUTOPKGTEST=1 bash scripts/package.sh   # also install it and run
#                                         # debian/tests/ as autopkgtest would
#
# 1. The source tree (what git tracks plus new files not ignored) is copied
#    to a temporary directory and built there with
#    `dpkg-buildpackage -us -uc -b`: pg_buildext builds one out-of-tree
#    build-NN per version, installs it into debian/postgresql-NN-bangfu, and
#    dh_pgxs_test runs `make installcheck` (pg_regress over sql/, the
#    isolation specs) against those staged files in a pg_virtualenv cluster.
#    debian/control is regenerated from control.in for the versions present
#    (PG_UPDATECONTROL=yes), as pg_buildext does for backports.
# 2. Each .deb must hold the library, every control file (bangfu,
#    bangfu_register) with its install script of the current version, and
#    every script of src/update/.
# 3. With BANGFU_AUTOPKGTEST=1 (set by scripts/pg17.sh, inside its own
#    root; never on the host, whose PostgreSQL other work shares), the .deb
#    is installed with dpkg, debian/tests/installcheck runs in the unpacked
#    source as autopkgtest runs it, and the package is purged again.
#
# The .debs are left in $BANGFU_DEB_DIR when that is set.
set -euo pipefail
cd "$(dirname "$0")/.."
exec </dev/null

here=$PWD
# pg_virtualenv's throwaway cluster listens on localhost: this worktree's
# own port, so two checkouts on one machine do not meet.
export PGPORT=${BANGFU_PGPORT:-54329}
work=$(mktemp -d /tmp/bangfu-deb.XXXXXX)
installed=()
cleanup() {
    local p
    for p in "${installed[@]}"; do
        dpkg --purge "$p" >/dev/null 2>&1 || true
    done
    rm -rf -- "$work"
}
trap cleanup EXIT
# pg_virtualenv's cluster runs as postgres and reads the staged files.
chmod 755 "$work"
src=$work/bangfu
# The install scripts make assembles at the top (one per control file), by
# exact name: a pattern such as ./*--*.sql would also match src/update/,
# since tar's * crosses slashes.
built_sql=()
for c in "$here"/*.control; do
    built_sql+=(--exclude="./$(basename "$c" .control)--[0-9]*[0-9].sql")
done
# The tree as git sees it (tracked, and new files not ignored), or without
# build products when this is no git checkout (the copy in pg17.sh's root).
copy_tree() {
    mkdir -p "$1"
    if git -C "$here" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
        git -C "$here" ls-files -z -c -o --exclude-standard |
            (cd "$here" && tar --null -T - -cf -) | tar -C "$1" -xf -
    else
        tar -C "$here" --exclude=./.git --exclude='*.o' --exclude='*.so' --exclude='*.bc' \
            "${built_sql[@]}" --exclude=./results --exclude=./output_iso \
            --exclude='./test/unit/corpus_*' --exclude='./test/unit/run_unit' \
            --exclude='./test/unit/fuzz_tiers' --exclude='./test/unit/fuzz_cnid' \
            -cf - . | tar -C "$1" -xf -
    fi
    chmod -R a+rX "$1"
}
copy_tree "$src"

version=$(sed -n "s/^default_version *= *'\(.*\)'/\1/p" "$src/bangfu.control")
deb_version=$(cd "$src" && dpkg-parsechangelog -S Version)
# One version everywhere: bangfu.control, the Debian changelog (a native
# package) and the PGXN META.json (valid JSON, with the files it names).
meta=$(perl -MJSON::PP -e '
    local $/; my $m = JSON::PP->new->utf8->decode(<STDIN>);
    my $p = $m->{provides};
    print join(" ", $m->{version}, $m->{license},
        map { ($_, $p->{$_}{version}, $p->{$_}{file}, $p->{$_}{docfile}) } sort keys %$p);
' <"$src/META.json") || { echo "package.sh: META.json is not valid JSON" >&2; exit 1; }
read -r -a meta <<<"$meta"
meta_license=${meta[1]}
if [ "${meta[0]}" != "$version" ] || [ "$deb_version" != "$version" ]; then
    echo "package.sh: versions differ: bangfu.control $version, META.json ${meta[0]}, debian/changelog $deb_version" >&2
    exit 1
fi
for ((i = 2; i < ${#meta[@]}; i += 4)); do
    e=${meta[$i]}
    if [ "${meta[$((i + 1))]}" != "$version" ]; then
        echo "package.sh: META.json gives $e version ${meta[$((i + 1))]}, not $version" >&2
        exit 1
    fi
    [ -f "$src/$e.control" ] || { echo "package.sh: META.json provides $e, which has no control file" >&2; exit 1; }
    for f in "${meta[$((i + 2))]}" "${meta[$((i + 3))]}"; do
        [ -f "$src/$f" ] || { echo "package.sh: $f (named by META.json) is missing" >&2; exit 1; }
    done
done
for c in "$src"/*.control; do
    e=$(basename "$c" .control)
    case " ${meta[*]} " in
    *" $e "*) ;;
    *) echo "package.sh: META.json does not list the extension $e" >&2; exit 1 ;;
    esac
done
for f in LICENSE CHANGELOG.md; do
    [ -f "$src/$f" ] || { echo "package.sh: $f is missing" >&2; exit 1; }
done
echo "package.sh: version $version in bangfu.control, META.json ($meta_license license) and debian/changelog"
start=$SECONDS
echo "package.sh: dpkg-buildpackage of bangfu $deb_version"
if ! (cd "$src" && PG_UPDATECONTROL=yes dpkg-buildpackage -us -uc -b >"$work/build.log" 2>&1); then
    # the tests that ran and how they ended, then the end of the log
    grep -E '^(ok|not ok) |^test .* \.\.\. |tests (passed|failed)' "$work/build.log" >&2 || true
    tail -n 80 "$work/build.log" >&2
    # the differences pg_regress wrote, if a test failed
    find "$src" -name regression.diffs -exec head -n 150 {} + >&2 2>/dev/null || true
    echo "package.sh: dpkg-buildpackage failed (log above)" >&2
    exit 1
fi
# What dh_pgxs_test ran, for the log.
grep -E '^### PostgreSQL [0-9]+ installcheck|^(ok|not ok) |^test .* \.\.\. |All [0-9]+ tests passed|^# All [0-9]+ tests passed' \
    "$work/build.log" || true
echo "package.sh: built in $((SECONDS - start))s"

status=0
debs=()
for v in $(cd "$src" && pg_buildext supported-versions); do
    deb=$work/postgresql-$v-bangfu_${deb_version}_$(dpkg --print-architecture).deb
    if [ ! -f "$deb" ]; then
        echo "package.sh: no $deb" >&2
        status=1
        continue
    fi
    debs+=("$deb")
    dpkg-deb -c "$deb" | awk '{print $6}' | sed 's|^\./|/|' >"$work/list"
    libdir=/usr/lib/postgresql/$v/lib
    share=/usr/share/postgresql/$v/extension
    for f in "$libdir/bangfu.so" \
        $(cd "$src" && for c in ./*.control; do
            e=${c#./}
            e=${e%.control}
            printf '%s\n' "$share/$e.control" "$share/$e--$version.sql"
        done) \
        $(cd "$src/src/update" && printf "$share/%s\n" *.sql); do
        if ! grep -qx "$f" "$work/list"; then
            echo "package.sh: $(basename "$deb") lacks $f" >&2
            status=1
        fi
    done
    echo "package.sh: $(basename "$deb"): $(grep -c '\.sql$' "$work/list") SQL scripts, $(grep -c '\.control$' "$work/list") control files, bangfu.so; Depends: $(dpkg-deb -f "$deb" Depends)"
done
[ ${#debs[@]} -gt 0 ] || { echo "package.sh: no package built" >&2; exit 1; }

if [ -n "${BANGFU_DEB_DIR:-}" ]; then
    mkdir -p "$BANGFU_DEB_DIR"
    cp "${debs[@]}" "$BANGFU_DEB_DIR/"
fi

if [ "${BANGFU_AUTOPKGTEST:-0}" = 1 ]; then
    # As autopkgtest does: the package installed, the test run from the
    # unpacked source, which holds no build products.
    for deb in "${debs[@]}"; do
        dpkg -i "$deb" >/dev/null
        installed+=("$(dpkg-deb -f "$deb" Package)")
    done
    copy_tree "$work/test-src"
    # As an unprivileged user, as Debian's CI runs autopkgtests (pg_virtualenv
    # then makes its cluster in a temporary directory of that user's).
    chown -R nobody: "$work/test-src"
    echo "package.sh: autopkgtest debian/tests/installcheck as nobody, with ${installed[*]} installed"
    if (cd "$work/test-src" && runuser -u nobody -- env HOME="$work/test-src" \
        sh debian/tests/installcheck) >"$work/autopkgtest.log" 2>&1; then
        grep -E '^### |All [0-9]+ tests passed|^ok |^not ok ' "$work/autopkgtest.log" || true
        echo "package.sh: autopkgtest installcheck passed"
    else
        tail -n 80 "$work/autopkgtest.log" >&2
        echo "package.sh: autopkgtest installcheck failed (log above)" >&2
        status=1
    fi
fi
exit "$status"
