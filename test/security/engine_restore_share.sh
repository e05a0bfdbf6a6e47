#!/usr/bin/env bash
#
# test/security/engine_restore_share.sh: the restore path of bangfu.limit_share
# (src/restore.sql) is a superuser's only.  A restore loads the admissions to
# the limits' common books as they were dumped (十二: history is not judged
# again), even after a table's limit triggers exist, because pg_restore -j
# may create them first.  Whoever else sends the very COPY pg_dump writes
# is checked as always (八(2): no role credits a fund or spends a person's
# cap through a table of its own):
#
#   C0. control: the same COPY from a superuser is taken as a restore (so
#       the cases below really go down the restore path's door);
#   S1. a policy admin cannot admit a table whose limit counts in books of
#       its own, with pg_dump's COPY, plain or with every name quoted;
#   S2. nor mark an admission as shipped, nor admit an unlogged table;
#   S3. a table's owner (no policy admin) cannot write admissions at all;
#   S4. afterwards nothing was admitted and limit_check() is empty.
#
# Run by scripts/test.sh with PGHOST/PGPORT/PGUSER (a superuser) set.
set -euo pipefail
exec </dev/null

db=bangfu_sec_restore_share
admin=bangfu_sec_rs_admin
owner=bangfu_sec_rs_owner
work=$(mktemp -d /tmp/bangfu-sec-rs.XXXXXX)
fails=0
copy_plain='COPY bangfu.limit_share (limit_name, tab, note, shipped) FROM stdin;'
copy_quoted='COPY "bangfu"."limit_share" ("limit_name", "tab", "note", "shipped") FROM stdin;'

su() { psql -X -q -v ON_ERROR_STOP=1 "$@"; }
cleanup() {
    su -d postgres -c "DROP DATABASE IF EXISTS $db" >/dev/null 2>&1 || true
    su -d postgres -c "DROP ROLE IF EXISTS $admin" >/dev/null 2>&1 || true
    su -d postgres -c "DROP ROLE IF EXISTS $owner" >/dev/null 2>&1 || true
    rm -rf -- "$work"
}
trap cleanup EXIT
cleanup
mkdir -p "$work"
su -d postgres -c "CREATE ROLE $admin LOGIN IN ROLE bangfu_policy_admin" -c "CREATE ROLE $owner LOGIN"
su -d postgres -c "CREATE DATABASE $db"
su -d "$db" -c 'CREATE EXTENSION bangfu' \
    -c "CREATE SCHEMA town AUTHORIZATION $owner" \
    -c "GRANT USAGE ON SCHEMA town TO $admin"
# the owner's table, guarded in books of its own, with a stay in them
PGUSER=$owner su -d "$db" \
    -c 'CREATE TABLE town.stay (person text NOT NULL, amount numeric(12,2) NOT NULL, stay_date date NOT NULL)' \
    -c 'CREATE UNLOGGED TABLE town.scratch (person text NOT NULL, amount numeric(12,2) NOT NULL, stay_date date NOT NULL)' \
    -c "SELECT bangfu.attach_limit('town.stay', 'charity_bed_yearly', ARRAY['person'], 'amount', 'stay_date', 'reject')" \
    -c "INSERT INTO town.stay VALUES ('p1', 1000, '2026-03-01')" >/dev/null

# copy_as ROLE COPYLINE ROW: send pg_dump's COPY of one row as ROLE from a
# file (as psql < dump.sql does); prints psql's output, fails when it does.
copy_as() {
    printf '%s\n%s\n\\.\n' "$2" "$3" >"$work/copy.sql"
    PGUSER=$1 psql -X -q -v ON_ERROR_STOP=1 -d "$db" -f "$work/copy.sql" 2>&1
}
admitted() {
    su -d "$db" -At -c "SELECT count(*) FROM bangfu.limit_share WHERE NOT shipped"
}
# refused NAME ROLE COPYLINE ROW WANT: the COPY must fail with WANT in its
# error and admit nothing.
refused() {
    local out
    if out=$(copy_as "$2" "$3" "$4"); then
        echo "FAIL $1: the COPY was taken"
        fails=$((fails + 1))
    elif [[ "$out" != *"$5"* ]]; then
        echo "FAIL $1: refused, but not with \"$5\": $out"
        fails=$((fails + 1))
    elif [ "$(admitted)" != 0 ]; then
        echo "FAIL $1: refused, yet an admission is there"
        fails=$((fails + 1))
    else
        echo "ok   $1: $(echo "$out" | grep ERROR | head -1)"
    fi
}

row_own=$(printf 'charity_bed_yearly\ttown.stay\t\\N\tf')

# C0
if out=$(copy_as postgres "$copy_plain" "$row_own") && [ "$(admitted)" = 1 ]; then
    echo "ok   C0: a superuser's pg_dump COPY is loaded as history"
else
    echo "FAIL C0: a superuser's pg_dump COPY was not taken as a restore: $out"
    fails=$((fails + 1))
fi
su -d "$db" -c "DELETE FROM bangfu.limit_share WHERE NOT shipped"

# S1
refused "S1a (policy admin, own books)" "$admin" "$copy_plain" "$row_own" \
    'is attached to town.stay with books of its own'
refused "S1b (policy admin, quoted names)" "$admin" "$copy_quoted" "$row_own" \
    'is attached to town.stay with books of its own'
# S2
refused "S2a (policy admin, shipped)" "$admin" "$copy_plain" \
    "$(printf 'fund_balance\ttown.scratch\t\\N\tt')" 'only the install script ships admissions'
refused "S2b (policy admin, unlogged table)" "$admin" "$copy_plain" \
    "$(printf 'fund_balance\ttown.scratch\t\\N\tf')" 'only a permanent table can'
# S3
refused "S3 (table owner)" "$owner" "$copy_plain" "$row_own" 'permission denied'

# S4
check=$(su -d "$db" -At -c "SELECT count(*) FROM bangfu.limit_check()")
books=$(su -d "$db" -At -c "SELECT string_agg(DISTINCT books, ',') FROM bangfu.limit_attachment WHERE tab = 'town.stay'::regclass")
if [ "$check" = 0 ] && [ "$books" = own ] && [ "$(admitted)" = 0 ]; then
    echo "ok   S4: nothing admitted, town.stay in books of its own, limit_check() empty"
else
    echo "FAIL S4: limit_check() $check differences, town.stay in books '$books', $(admitted) admissions"
    fails=$((fails + 1))
fi

echo "engine_restore_share.sh: $fails failed"
[ "$fails" = 0 ]
