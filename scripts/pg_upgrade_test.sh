#!/usr/bin/env bash
#
# scripts/pg_upgrade_test.sh: pg_upgrade takes a cluster with bangfu and
# its register, and every row comes over (no DBA action silently loses a
# row; doc/operations.md, "Upgrading PostgreSQL").
#
#   bash scripts/pg_upgrade_test.sh
#
# Two throwaway clusters of this PostgreSQL (PG_CONFIG), or of an older one
# and this one when BANGFU_PGUP_OLD is set (below; the PostgreSQL 17 run of
# scripts/test.sh upgrades from Debian 12's 15, as a county moving to Debian
# 13 does), in a temporary directory, as the OS user postgres when run as
# root.  From a major version to itself pg_upgrade does what a move to the
# next one does (the catalog dumped with pg_dump --binary-upgrade, the data
# files carried over as they are):
#   1. the old one gets the county database of the dump-restore suite
#      (test/load/dump_fixture.sql and dump_fixture_register.sql: guarded
#      tables of the county's own, policy versions, scenarios, limits of
#      its own, among them one attached by hand to a register table, and
#      the register with its funds);
#   2. pg_upgrade --check must accept it: before 0.3.0 it refused it,
#      because bangfu.limit_def.cap_function was of type regprocedure,
#      whose OIDs pg_upgrade cannot keep ("reg* data types in user tables");
#   3. pg_upgrade itself, then the new cluster must print the same
#      test/load/dump_fingerprint.sql (every table's rows, the added policy
#      and limits, the attachments, the ledger, the sequences, the balances,
#      limit_check() = 0) and answer the same test/load/dump_probe.sql
#      (new writes checked as before: the caps, the county's limit on a
#      register table, foreign keys) as the old one did.
#
# It starts and removes clusters of its own (it needs no server), like the
# standby and collation suites.
set -euo pipefail
cd "$(dirname "$0")/.."
exec </dev/null

export PG_CONFIG=${PG_CONFIG:-/usr/lib/postgresql/15/bin/pg_config}
export LC_ALL=C.UTF-8 PGCLIENTENCODING=UTF8
bin=$("$PG_CONFIG" --bindir)
# The old cluster's PostgreSQL: this one unless BANGFU_PGUP_OLD names the
# pg_config of an older major version with bangfu installed (scripts/pg17.sh
# gives Debian 12's PostgreSQL 15 inside the Debian 13 root, so that the
# move a county makes with Debian, 15 to 17, is the one tested there), with
# BANGFU_PGUP_OLD_LIBS the directory of the libraries it needs that the
# system no longer has (only sonames the new one does not use).
old_bin=$("${BANGFU_PGUP_OLD:-$PG_CONFIG}" --bindir)
if [ -n "${BANGFU_PGUP_OLD_LIBS:-}" ]; then
    export LD_LIBRARY_PATH="$BANGFU_PGUP_OLD_LIBS${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
fi
old_ver=$("$old_bin/postgres" -V | sed 's/.* \([0-9]*\)\..*/\1/')
new_ver=$("$bin/postgres" -V | sed 's/.* \([0-9]*\)\..*/\1/')
export PATH="$bin:$PATH"
src=$PWD
db=bangfu_pgup
say() { echo "pg_upgrade_test.sh: $*" >&2; }

# /tmp explicitly: a unix socket path must stay short.
dir=$(mktemp -d /tmp/bangfu-pgup.XXXXXX)
if [ "$(id -u)" = 0 ]; then
    chown postgres: "$dir"
fi
# The port only names the socket file in $dir.
port_old=${BANGFU_PGPORT:-54329}
port_new=$((port_old + 1))
failed=0

# as_owner CMD...: as the postgres OS user when we are root, in $dir (the
# cluster's files and pg_upgrade's logs are its own).
as_owner() {
    if [ "$(id -u)" = 0 ]; then
        (cd "$dir" && runuser -u postgres -- "$@")
    else
        (cd "$dir" && "$@")
    fi
}

stop() {
    local pg_ctl=$bin/pg_ctl
    [ "$1" = old ] && pg_ctl=$old_bin/pg_ctl
    if [ -f "$dir/$1/postmaster.pid" ]; then
        as_owner "$pg_ctl" -D "$dir/$1" -m fast -w -t 30 stop >/dev/null 2>&1 || true
    fi
}
cleanup() {
    stop old
    stop new
    if [ "$failed" = 0 ]; then
        rm -rf -- "$dir"
    else
        say "clusters, logs and fingerprints kept in $dir"
    fi
}
trap 'rc=$?; [ "$rc" = 0 ] || failed=1; cleanup' EXIT

make_cluster() {
    local initdb=$bin/initdb
    [ "$1" = old ] && initdb=$old_bin/initdb
    as_owner "$initdb" -D "$dir/$1" -U postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8 \
        --lc-messages=C.UTF-8 --no-sync >"$dir/initdb_$1.log" 2>&1 ||
        { say "initdb $1 failed"; cat "$dir/initdb_$1.log" >&2; failed=1; exit 1; }
    cat >>"$dir/$1/postgresql.conf" <<EOF
listen_addresses = ''
unix_socket_directories = '$dir'
port = $2
fsync = off
EOF
}
start() {
    local pg_ctl=$bin/pg_ctl
    [ "$1" = old ] && pg_ctl=$old_bin/pg_ctl
    as_owner "$pg_ctl" -D "$dir/$1" -l "$dir/$1.log" -w -t 120 start >/dev/null ||
        { say "the $1 cluster did not start"; tail -n 30 "$dir/$1.log" >&2; failed=1; exit 1; }
}
q() { psql -X -q -At -v ON_ERROR_STOP=1 -h "$dir" -U postgres "$@"; }

make_cluster old "$port_old"
make_cluster new "$port_new"

# ------------------------------------------------------------ 1. the old cluster
start old
export PGPORT=$port_old
q -d postgres -c "CREATE DATABASE $db"
(cd "$src" && q -d "$db" -f test/load/dump_fixture.sql >/dev/null)
(cd "$src" && q -d "$db" -f test/load/dump_fixture_register.sql >/dev/null)
# the probes first: they are rolled back, but take sequence numbers
(cd "$src" && q -d "$db" -f test/load/dump_probe.sql >"$dir/old.probe")
(cd "$src" && q -d "$db" -f test/load/dump_fingerprint.sql >"$dir/old.fp")
if ! grep -qx 'bangfu.limit_check() | 0 differences' "$dir/old.fp"; then
    say "the old cluster's ledger is already wrong:"; cat "$dir/old.fp" >&2
    failed=1
fi
stop old

# ------------------------------------------------------------ 2. --check
upgrade() {
    as_owner pg_upgrade -b "$old_bin" -B "$bin" -d "$dir/old" -D "$dir/new" \
        -s "$dir" -p "$port_old" -P "$port_new" "$@"
}
if ! upgrade --check >"$dir/check.log" 2>&1; then
    say "pg_upgrade --check ($old_ver to $new_ver) refuses a cluster with bangfu:"
    cat "$dir/check.log" >&2
    for f in "$dir"/new/pg_upgrade_output.d/*/*.txt "$dir"/*.txt; do
        [ -f "$f" ] && { echo "---- $f" >&2; cat "$f" >&2; }
    done
    failed=1
    exit 1
fi

# ------------------------------------------------------------ 3. the upgrade
if ! upgrade >"$dir/upgrade.log" 2>&1; then
    say "pg_upgrade failed:"
    cat "$dir/upgrade.log" >&2
    failed=1
    exit 1
fi
start new
export PGPORT=$port_new
(cd "$src" && q -d "$db" -f test/load/dump_fingerprint.sql >"$dir/new.fp")
(cd "$src" && q -d "$db" -f test/load/dump_probe.sql >"$dir/new.probe")
for what in fp probe; do
    if ! diff -u "$dir/old.$what" "$dir/new.$what" >"$dir/$what.diff"; then
        say "after pg_upgrade the database differs ($what):"
        cat "$dir/$what.diff" >&2
        failed=1
    fi
done
stop new

if [ "$failed" != 0 ]; then
    echo "pg_upgrade: FAILED"
    exit 1
fi
tables=$(grep -c '^county\.\|^bangfu_register\.' "$dir/old.fp" || true)
echo "pg_upgrade: OK (PostgreSQL $old_ver to $new_ver): pg_upgrade --check accepts a cluster with bangfu and its register; after pg_upgrade $tables tables, the added policy, scenarios, limits (one attached to a register table), ledger, sequences and balances are identical, limit_check() is empty and new writes are checked as before"
