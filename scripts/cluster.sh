# shellcheck shell=bash
#
# scripts/cluster.sh: a throwaway PostgreSQL 15 server for tests and the demo.
#
# Source it and call the functions:
#
#     source scripts/cluster.sh
#     cluster_cleanup_on_exit      # stop + delete the cluster however we exit
#     cluster_start                # exports PGHOST PGPORT PGUSER PGDATABASE
#     psql -c 'select 1'
#     cluster_restart_immediate    # simulate a crash, then recover
#     cluster_stop                 # idempotent; also run by the EXIT trap
#
# A script that may also be run by scripts/test.sh (e.g. scripts/load.sh)
# calls `cluster_ensure` instead of the first two: it reuses the caller's
# running cluster, or starts its own with the same cleanup.
#
# or run it as a command from an interactive shell:
#
#     eval "$(scripts/cluster.sh start)"    # prints the export lines
#     psql ...
#     scripts/cluster.sh stop               # finds the cluster through $PGHOST
#
# Why it looks like this:
# - The cluster lives in a fresh `mktemp -d` directory, so a test run never
#   touches (or depends on) Debian's own "main" cluster on port 5432, and two
#   runs on one machine cannot collide.
# - PostgreSQL refuses to run as root, and CI runs as root, so initdb and
#   pg_ctl run as the OS user `postgres` (created by the postgresql-15 package).
# - No TCP at all: listen_addresses = '' and the unix socket sits in the
#   cluster directory. The port number only names the socket file
#   (.s.PGSQL.<port>), so it cannot clash with anything else on the machine.
#   The directory is mode 0700 and owned by postgres, so only postgres and
#   root can reach the socket, which is what makes `trust` auth acceptable.
# - fsync = off for speed. That only risks data on an OS crash or power loss,
#   never on a server crash: committed WAL is still write()n to the kernel
#   before COMMIT returns, so cluster_restart_immediate still recovers every
#   committed transaction. (synchronous_commit stays on for the same reason.)

# Environment: PG_CONFIG, BANGFU_PGPORT (names the socket), BANGFU_LOCALE
# (initdb's locale, default C.UTF-8; icu:LOCALE for an ICU default collation),
# BANGFU_FAKETIME (the server's clock set elsewhere, in libfaketime's FAKETIME
# syntax, e.g. '@2044-02-29 09:30:00': scripts/aging_test.sh runs the tests
# years from now; only the server is fooled, not psql or the shell).
#
# Sourced: strict mode is the caller's business. Executed: see the bottom.

: "${PG_CONFIG:=/usr/lib/postgresql/15/bin/pg_config}"
# The port only names the socket file; uncommon so a stray `psql -p` is obvious.
: "${BANGFU_PGPORT:=54329}"

# Run a command as the postgres OS user when we are root, else as ourselves
# (a developer may run the suite from an ordinary account).
_cluster_as_owner() {
    if [ "$(id -u)" = 0 ]; then
        # cd first: postgres may not be allowed into the caller's cwd
        # (e.g. a clone under /root), and initdb/pg_ctl complain about it.
        (cd / && runuser -u postgres -- "$@")
    else
        "$@"
    fi
}

# Print the end of the server log; used whenever something goes wrong.
cluster_log_tail() {
    local lines=${1:-50}
    if [ -n "${BANGFU_CLUSTER_DIR:-}" ] && [ -f "$BANGFU_CLUSTER_DIR/log" ]; then
        echo "---- last $lines lines of $BANGFU_CLUSTER_DIR/log ----" >&2
        tail -n "$lines" "$BANGFU_CLUSTER_DIR/log" >&2
        echo "---- end of server log ----" >&2
    fi
}

# pg_ctl ARGS as the cluster's owner; with BANGFU_FAKETIME, libfaketime
# (package libfaketime) is preloaded into pg_ctl and so into the server it
# starts and every backend that forks from it.
_cluster_pg_ctl() {
    local clock=() lib
    if [ -n "${BANGFU_FAKETIME:-}" ]; then
        lib=$(dpkg -L libfaketime 2>/dev/null | grep '/libfaketime\.so\.1$' | head -n 1)
        if [ -z "$lib" ]; then
            echo "cluster.sh: BANGFU_FAKETIME needs the libfaketime package" >&2
            return 1
        fi
        clock=(env "LD_PRELOAD=$lib" "FAKETIME=$BANGFU_FAKETIME")
    fi
    _cluster_as_owner "${clock[@]}" "$BANGFU_PGBIN/pg_ctl" "$@"
}

# pg_ctl start on the existing data directory, waiting until it accepts
# connections; prints the log tail if it does not come up.
_cluster_pg_start() {
    if ! _cluster_pg_ctl -D "$BANGFU_CLUSTER_DIR/data" \
        -l "$BANGFU_CLUSTER_DIR/log" -w -t 120 start >/dev/null; then
        echo "cluster.sh: server did not start" >&2
        cluster_log_tail 50
        return 1
    fi
}

# Create, configure and start a new cluster; export the libpq variables.
cluster_start() {
    if [ -n "${BANGFU_CLUSTER_DIR:-}" ]; then
        echo "cluster.sh: a cluster is already running in $BANGFU_CLUSTER_DIR" >&2
        return 1
    fi
    BANGFU_PGBIN=$("$PG_CONFIG" --bindir) || return 1
    export BANGFU_PGBIN
    # /tmp explicitly, not $TMPDIR: a unix socket path must stay under ~107 bytes.
    BANGFU_CLUSTER_DIR=$(mktemp -d /tmp/bangfu-pg.XXXXXX) || return 1
    export BANGFU_CLUSTER_DIR
    if [ "$(id -u)" = 0 ]; then
        chown postgres: "$BANGFU_CLUSTER_DIR" || return 1
    fi

    # UTF8 + C.UTF-8 by default: the data is Chinese text, and C.UTF-8 ships
    # with glibc, so a fresh Debian needs no locales package.  The tests do
    # not depend on the collation: scripts/collation_test.sh runs them again
    # on clusters made with BANGFU_LOCALE=zh_CN.UTF-8 (a glibc locale that
    # scripts/setup.sh generates) or BANGFU_LOCALE=icu:zh (ICU's zh as the
    # default collation, PostgreSQL 15's --locale-provider=icu).
    local locale_args
    case "${BANGFU_LOCALE:=C.UTF-8}" in
    icu:*) locale_args=(--locale=C.UTF-8 --locale-provider=icu "--icu-locale=${BANGFU_LOCALE#icu:}") ;;
    *) locale_args=("--locale=$BANGFU_LOCALE") ;;
    esac
    # Messages stay in English whatever the collation: the expected outputs
    # are English, and a zh_CN locale would otherwise give the server
    # lc_messages=zh_CN.UTF-8 and bangfu's Chinese catalog (po/zh_CN.po),
    # which sql/messages_zh.sql tests on its own, with SET lc_messages.
    locale_args+=(--lc-messages=C.UTF-8)
    if ! _cluster_as_owner "$BANGFU_PGBIN/initdb" -D "$BANGFU_CLUSTER_DIR/data" \
        -U postgres --auth=trust --encoding=UTF8 "${locale_args[@]}" \
        --no-sync >"$BANGFU_CLUSTER_DIR/initdb.log" 2>&1; then
        echo "cluster.sh: initdb failed:" >&2
        cat "$BANGFU_CLUSTER_DIR/initdb.log" >&2
        return 1
    fi

    # postgresql.conf: last setting wins, so appending is enough.
    cat >>"$BANGFU_CLUSTER_DIR/data/postgresql.conf" <<EOF

# ---- bangfu throwaway test cluster (scripts/cluster.sh) ----
listen_addresses = ''
unix_socket_directories = '$BANGFU_CLUSTER_DIR'
port = $BANGFU_PGPORT
fsync = off
max_connections = 100                 # pgbench runs 8+ clients
max_prepared_transactions = 10        # isolation specs may PREPARE
shared_buffers = 128MB
log_line_prefix = '%m [%p] %q%u@%d '
log_min_messages = warning
log_min_error_statement = error
EOF

    _cluster_pg_start || return 1

    export PGHOST="$BANGFU_CLUSTER_DIR" PGPORT="$BANGFU_PGPORT"
    export PGUSER=postgres PGDATABASE=postgres
    # Use the server's own client tools (psql, createdb, pgbench) rather than
    # Debian's /usr/bin wrappers, which pick a version by their own rules.
    case ":$PATH:" in
    *":$BANGFU_PGBIN:"*) ;;
    *) export PATH="$BANGFU_PGBIN:$PATH" ;;
    esac
    echo "cluster.sh: $("$BANGFU_PGBIN/postgres" -V) up, PGHOST=$PGHOST PGPORT=$PGPORT" >&2
}

# For scripts that can run alone or inside scripts/test.sh (load.sh, bench):
# reuse the cluster a parent exported, else start our own and arrange for it
# to be removed on exit. A reused cluster is left for its owner to stop.
cluster_ensure() {
    if [ -n "${BANGFU_CLUSTER_DIR:-}" ] && [ -S "$BANGFU_CLUSTER_DIR/.s.PGSQL.${PGPORT:-}" ]; then
        BANGFU_PGBIN=${BANGFU_PGBIN:-$("$PG_CONFIG" --bindir)}
        echo "cluster.sh: reusing the cluster in $BANGFU_CLUSTER_DIR" >&2
        return 0
    fi
    unset BANGFU_CLUSTER_DIR
    cluster_cleanup_on_exit
    cluster_start
}

# Crash the server (no shutdown checkpoint, backends killed), then start it
# again on the same data directory so it runs crash recovery from WAL.
cluster_restart_immediate() {
    if [ -z "${BANGFU_CLUSTER_DIR:-}" ]; then
        echo "cluster.sh: no cluster to restart" >&2
        return 1
    fi
    _cluster_as_owner "$BANGFU_PGBIN/pg_ctl" -D "$BANGFU_CLUSTER_DIR/data" \
        -m immediate -w stop >/dev/null || { cluster_log_tail 50; return 1; }
    _cluster_pg_start
}

# Stop the server and delete the directory. Safe to call twice, and from a
# trap when cluster_start failed half way.
cluster_stop() {
    local dir=${BANGFU_CLUSTER_DIR:-} pid
    [ -n "$dir" ] || return 0
    if [ -f "$dir/data/postmaster.pid" ]; then
        if ! _cluster_as_owner "$BANGFU_PGBIN/pg_ctl" -D "$dir/data" \
            -m fast -w -t 30 stop >/dev/null 2>&1; then
            # A wedged server must not outlive the run: kill exactly our
            # postmaster (first line of postmaster.pid); its backends notice
            # the postmaster is gone and exit on their own.
            pid=$(head -n 1 "$dir/data/postmaster.pid" 2>/dev/null || true)
            if [ -n "$pid" ]; then
                echo "cluster.sh: pg_ctl stop failed; killing postmaster $pid" >&2
                kill -KILL "$pid" 2>/dev/null || true
            fi
        fi
    fi
    # Refuse to rm anything that is not one of our mktemp directories.
    case "$dir" in
    /tmp/bangfu-pg.*) rm -rf -- "$dir" ;;
    *) echo "cluster.sh: not removing unexpected directory '$dir'" >&2 ;;
    esac
    unset BANGFU_CLUSTER_DIR
}

# Install traps so the cluster is stopped and removed however the caller
# exits: normally, on error (set -e), on Ctrl-C or on SIGTERM. INT/TERM are
# turned into an ordinary exit so the EXIT trap runs exactly once.
cluster_cleanup_on_exit() {
    trap 'cluster_stop' EXIT
    trap 'exit 130' INT
    trap 'exit 143' TERM
}

# ---- executed as a command rather than sourced ----
if [ "${BASH_SOURCE[0]}" = "$0" ]; then
    set -euo pipefail
    case "${1:-}" in
    start)
        cluster_start >&2
        # For `eval "$(scripts/cluster.sh start)"`.
        printf 'export BANGFU_CLUSTER_DIR=%q BANGFU_PGBIN=%q PGHOST=%q PGPORT=%q PGUSER=postgres PGDATABASE=postgres PATH=%q\n' \
            "$BANGFU_CLUSTER_DIR" "$BANGFU_PGBIN" "$PGHOST" "$PGPORT" "$PATH"
        ;;
    stop)
        : "${BANGFU_CLUSTER_DIR:=${PGHOST:-}}"
        BANGFU_PGBIN=$("$PG_CONFIG" --bindir)
        cluster_stop
        ;;
    restart-immediate)
        : "${BANGFU_CLUSTER_DIR:=${PGHOST:-}}"
        BANGFU_PGBIN=$("$PG_CONFIG" --bindir)
        cluster_restart_immediate
        ;;
    *)
        echo "usage: eval \"\$($0 start)\" | $0 stop | $0 restart-immediate" >&2
        echo "   or: source $0; cluster_start; ...; cluster_stop" >&2
        exit 2
        ;;
    esac
fi
