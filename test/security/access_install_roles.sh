#!/usr/bin/env bash
#
# test/security/access_install_roles.sh: the department roles are the
# cluster's, and CREATE EXTENSION bangfu makes them only where missing
# (src/policy.sql).  A role of the same name made beforehand by someone else
# must not be handed a department's rights:
#
#   R1. bangfu_finance can log in (its maker knows the password);
#   R2. bangfu_finance was not made by bangfu and has the maker as a member.
#
# The roles already exist in this cluster (other suites installed bangfu),
# so each case puts one role in the state the attacker would have left it
# in, as a role with CREATEROLE (which may alter any role that is not a
# superuser), tries an install into a new database, and puts the role back.
# Before the fix both installs succeeded and adopted the role.
#
# Run by scripts/test.sh with PGHOST/PGPORT/PGUSER (a superuser) set.
set -euo pipefail
exec </dev/null

attacker=bangfu_sec_roles_attacker
db=bangfu_sec_roles
role=bangfu_finance
fails=0

su() { psql -X -q -v ON_ERROR_STOP=1 "$@"; }
# From PostgreSQL 16 on, CREATEROLE alone no longer lets a role alter or
# grant a role it has no ADMIN option on, so there the attacker's step itself
# is refused; the state it aims at is then set by the superuser instead (an
# attacker who was given ADMIN), so that the install guard is tested on
# every version.
pgnum=$(su -d postgres -At -c "SHOW server_version_num")
as_attacker() {
    local err
    if err=$(PGUSER=$attacker psql -X -q -v ON_ERROR_STOP=1 -d postgres "$@" 2>&1 >/dev/null); then
        return 0
    fi
    if [ "$pgnum" -ge 160000 ] && [[ "$err" == *"permission denied"* ]]; then
        echo "ok   PostgreSQL $pgnum refuses the attacker's own step ($(echo "$err" | head -1)); set by the superuser to test the guard"
        su -d postgres "$@"
        return
    fi
    echo "$err" >&2
    return 1
}

mark=$(su -d postgres -At -c "SELECT shobj_description(oid, 'pg_authid') FROM pg_roles WHERE rolname = '$role'")

restore() {
    su -d postgres -c "ALTER ROLE $role NOLOGIN PASSWORD NULL" >/dev/null 2>&1 || true
    su -d postgres -c "REVOKE $role FROM $attacker" >/dev/null 2>&1 || true
    if [ -n "$mark" ]; then
        su -d postgres -v mark="$mark" -c "COMMENT ON ROLE $role IS :'mark'" >/dev/null 2>&1 || true
    fi
}
cleanup() {
    su -d postgres -c "ALTER ROLE bangfu_policy_admin NOLOGIN PASSWORD NULL" >/dev/null 2>&1 || true
    restore
    su -d postgres -c "DROP DATABASE IF EXISTS $db" >/dev/null 2>&1 || true
    su -d postgres -c "DROP ROLE IF EXISTS $attacker" >/dev/null 2>&1 || true
}
trap cleanup EXIT
su -d postgres -c "DROP DATABASE IF EXISTS $db" >/dev/null 2>&1
su -d postgres -c "DROP ROLE IF EXISTS $attacker" >/dev/null 2>&1
su -d postgres -c "CREATE ROLE $attacker LOGIN CREATEROLE"

# The refusals speak the clerk's language (issue 10): English with
# lc_messages C, Chinese with zh_CN.UTF-8 (po/zh_CN.po).
en() { PGOPTIONS="-c lc_messages=C" "$@"; }
zh() { PGOPTIONS="-c lc_messages=zh_CN.UTF-8" "$@"; }

# refused_zh NAME EXPECTED-TEXT COMMAND...: the command, run again with
# lc_messages zh_CN.UTF-8, must be refused in Chinese.
refused_zh() {
    local name=$1 want=$2 out
    shift 2
    if out=$(zh "$@" 2>&1); then
        echo "FAIL $name (zh_CN): succeeded"
        fails=$((fails + 1))
    elif [[ "$out" != *"$want"* ]]; then
        echo "FAIL $name (zh_CN): refused, but not with \"$want\": $out"
        fails=$((fails + 1))
    else
        echo "ok   $name (zh_CN): refused: $(echo "$out" | grep -m1 '^ERROR')"
    fi
}

# try NAME EXPECTED CHINESE: an install into a new database must fail
# naming $role, in English and in Chinese.
try() {
    local name=$1 want=$2 want_zh=$3 out
    su -d postgres -c "DROP DATABASE IF EXISTS $db" >/dev/null 2>&1
    su -d postgres -c "CREATE DATABASE $db"
    if out=$(en su -d "$db" -c 'CREATE EXTENSION bangfu_register CASCADE' 2>&1); then
        echo "FAIL $name: CREATE EXTENSION bangfu_register adopted role $role"
        fails=$((fails + 1))
    elif [[ "$out" != *"$want"* ]]; then
        echo "FAIL $name: refused, but not with \"$want\": $out"
        fails=$((fails + 1))
    else
        echo "ok   $name: refused: $(echo "$out" | grep ERROR | head -1)"
        refused_zh "$name" "$want_zh" su -d "$db" -c 'CREATE EXTENSION bangfu_register CASCADE'
    fi
}

# R0: the office's role, which bangfu itself makes, can log in
su -d postgres -c "DROP DATABASE IF EXISTS $db" >/dev/null 2>&1
su -d postgres -c "CREATE DATABASE $db"
as_attacker -c "ALTER ROLE bangfu_policy_admin LOGIN PASSWORD 'known-to-the-attacker'"
if out=$(en su -d "$db" -c 'CREATE EXTENSION bangfu' 2>&1); then
    echo "FAIL R0: CREATE EXTENSION bangfu adopted bangfu_policy_admin, which can log in"
    fails=$((fails + 1))
elif [[ "$out" != *'role "bangfu_policy_admin" already exists and is not a bare group role'* ]]; then
    echo "FAIL R0: refused, but not naming bangfu_policy_admin: $out"
    fails=$((fails + 1))
else
    echo "ok   R0: refused: $(echo "$out" | grep ERROR | head -1)"
    refused_zh R0 '角色“bangfu_policy_admin”已存在且不是单纯的组角色' su -d "$db" -c 'CREATE EXTENSION bangfu'
fi
su -d postgres -c "ALTER ROLE bangfu_policy_admin NOLOGIN PASSWORD NULL"

# R1: a department role that can log in
as_attacker -c "ALTER ROLE $role LOGIN PASSWORD 'known-to-the-attacker'"
try "R1: $role can log in" "role \"$role\" already exists and is not a bare group role" \
    "角色“$role”已存在且不是单纯的组角色"
restore

# R2: made by someone else (no bangfu mark), with its maker as a member
as_attacker -c "COMMENT ON ROLE $role IS NULL" -c "GRANT $role TO $attacker"
try "R2: $role not bangfu's, with a member" "has members ($attacker)" "且有成员（$attacker）"
restore

# R3: the same role back in order installs (and keeps its mark)
su -d postgres -c "DROP DATABASE IF EXISTS $db" >/dev/null 2>&1
su -d postgres -c "CREATE DATABASE $db"
if su -d "$db" -c 'CREATE EXTENSION bangfu_register CASCADE' >/dev/null 2>&1; then
    echo "ok   R3: a bare, marked department role is taken"
else
    echo "FAIL R3: install refused with the roles in order"
    fails=$((fails + 1))
fi

# The update of a 0.2.0 database: bangfu, then the register adopted from it
# (doc/register.md), in one transaction.
update_all() {
    su -d "$db" -1 -c 'ALTER EXTENSION bangfu UPDATE' \
        -c "CREATE EXTENSION bangfu_register VERSION 'unpackaged'" -c 'ALTER EXTENSION bangfu_register UPDATE'
}

# R4: the update from 0.2.0 refuses a department role that can log in
su -d postgres -c "DROP DATABASE IF EXISTS $db" >/dev/null 2>&1
su -d postgres -c "CREATE DATABASE $db"
su -d "$db" -c "CREATE EXTENSION bangfu VERSION '0.2.0'"
as_attacker -c "ALTER ROLE $role LOGIN PASSWORD 'known-to-the-attacker'"
if out=$(en update_all 2>&1); then
    echo "FAIL R4: the update kept giving $role, which can log in, its rights"
    fails=$((fails + 1))
elif [[ "$out" != *"role \"$role\" is not a bare group role"* ]]; then
    echo "FAIL R4: update refused, but not naming $role: $out"
    fails=$((fails + 1))
else
    echo "ok   R4: update refused: $(echo "$out" | grep ERROR | head -1)"
    refused_zh R4 "角色“$role”不是单纯的组角色" update_all
fi
restore

# R5: the update from 0.2.0 marks the roles 0.2.0 took
as_attacker -c "COMMENT ON ROLE $role IS NULL"
if update_all >/dev/null 2>&1 &&
   [ "$(su -d postgres -At -c "SELECT shobj_description(oid, 'pg_authid') LIKE 'bangfu department role%' FROM pg_roles WHERE rolname = '$role'")" = t ]; then
    echo "ok   R5: the update marks $role as bangfu's"
else
    echo "FAIL R5: the update did not mark $role"
    fails=$((fails + 1))
fi
restore

echo "access_install_roles.sh: $fails failed"
[ "$fails" = 0 ]
