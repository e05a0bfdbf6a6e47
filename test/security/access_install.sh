#!/usr/bin/env bash
#
# test/security/access_install.sh: install-script hazards (issue 8; the
# CVE-2023-39417 class).  A role that may not become superuser owns a
# database (the usual "one database per application" set-up) and prepares
# it before a superuser runs CREATE EXTENSION bangfu in it:
#
#   A. it pre-creates schema bangfu (the control file's schema, which
#      CREATE EXTENSION then uses as it finds it) and plants functions and
#      operators there and in public; once the extension is in, owning its
#      schema lets it rename the schema and put its own "bangfu" in its
#      place, which the owner's SECURITY DEFINER code then runs as superuser;
#   B. it pre-creates schema bangfu_register before bangfu is installed;
#   B2. it pre-creates schema bangfu_register once bangfu is in, before the
#      register (extension bangfu_register) is added;
#   C. the schema bangfu is made by a superuser but the attacker was given
#      CREATE on it;
#   E. a superuser's schema bangfu that already holds a function;
#   F. 0.2.0 went into the attacker's schema (0.2.0 had no guard): the update
#      to 0.3.0 must refuse;
#   G. the installing superuser's default privileges give new tables to the
#      attacker (a careless DBA), who would then read the ledger;
#   H. the same default privileges at update time.
# Every refusal is checked in English (lc_messages C) and in Chinese
# (zh_CN.UTF-8, issue 10), and so are, in L, the install's other early
# refusals (encoding; the register's scripts over an older bangfu).
# And D: what must keep working: a superuser's empty schema bangfu (what a
# restore creates) with plants in public, which the script never calls.
#
# Each install must be refused with an error naming the schema or default,
# and the attacker must still not be superuser at the end.  Before the fix
# attacks A, A2 and B2 made the attacker superuser and C, F, G, H went
# through (E failed later, at the clash of names, without saying why).
#
# Run by scripts/test.sh with PGHOST/PGPORT/PGUSER (a superuser) set; exits
# non-zero if an attack works or a refusal does not say what it should.
set -euo pipefail
exec </dev/null

attacker=bangfu_sec_install_attacker
clerk=bangfu_sec_install_clerk
db=bangfu_sec_install
fails=0

su() { psql -X -q -v ON_ERROR_STOP=1 "$@"; }
as_attacker() { PGUSER=$attacker psql -X -q -v ON_ERROR_STOP=1 -d "$db" "$@"; }

cleanup() {
    su -d postgres -c "DROP DATABASE IF EXISTS $db" >/dev/null 2>&1 || true
    su -d postgres -c "DROP ROLE IF EXISTS $attacker" >/dev/null 2>&1 || true
    su -d postgres -c "DROP ROLE IF EXISTS $clerk" >/dev/null 2>&1 || true
}
trap cleanup EXIT
cleanup

su -d postgres -c "CREATE ROLE $attacker LOGIN NOSUPERUSER NOCREATEROLE"

fresh_db() {
    su -d postgres -c "DROP DATABASE IF EXISTS $db" >/dev/null
    su -d postgres -c "CREATE DATABASE $db OWNER $attacker"
}

is_super() { su -d postgres -At -c "SELECT rolsuper FROM pg_roles WHERE rolname = '$attacker'"; }

# The refusals speak the clerk's language (issue 10): with lc_messages C
# they are English, with zh_CN.UTF-8 Chinese (po/zh_CN.po), though the
# guards run before the rest of bangfu exists.
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

# try_install NAME EXPECTED-TEXT [CHINESE-TEXT]: CREATE EXTENSION as superuser
# must fail with a message containing EXPECTED-TEXT (lc_messages C), and
# CHINESE-TEXT with lc_messages zh_CN.UTF-8.  Returns 0 if it was refused.
try_install() {
    local name=$1 want=$2 want_zh=${3:-} out
    if out=$(en su -d "$db" -c 'CREATE EXTENSION bangfu' 2>&1); then
        echo "FAIL $name: CREATE EXTENSION bangfu succeeded in a prepared database"
        fails=$((fails + 1))
        return 1
    fi
    if [[ "$out" != *"$want"* ]]; then
        echo "FAIL $name: refused, but not with \"$want\": $out"
        fails=$((fails + 1))
        return 0
    fi
    echo "ok   $name: refused: $(echo "$out" | grep ERROR | head -1)"
    if [ -n "$want_zh" ]; then
        refused_zh "$name" "$want_zh" su -d "$db" -c 'CREATE EXTENSION bangfu'
    fi
}

# The payload of attack A once the extension sits in a schema the attacker
# owns: the event trigger of the limits' ledger (SECURITY DEFINER, owned by
# the superuser) names bangfu.usage and bangfu.limit_forget_books(), which
# after the swap are the attacker's.
payload_a() {
    as_attacker <<'SQL' || true
ALTER SCHEMA bangfu RENAME TO bangfu_taken;
CREATE SCHEMA bangfu;
CREATE TABLE bangfu.usage (tab oid);
CREATE FUNCTION bangfu.limit_forget_books() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE format('ALTER ROLE %I SUPERUSER', session_user);
END $$;
CREATE FUNCTION bangfu.limit_actual(regclass, text) RETURNS TABLE (subject text, period integer, used bigint)
LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE format('ALTER ROLE %I SUPERUSER', session_user);
END $$;
CREATE TABLE scratch ();
DROP TABLE scratch;
SQL
}

# ---- A: schema bangfu pre-created by the database owner, with plants
fresh_db
as_attacker <<'SQL'
CREATE SCHEMA bangfu;
-- look-alikes the script or the rules might pick up
CREATE FUNCTION bangfu.num_nonnulls(VARIADIC text[]) RETURNS integer LANGUAGE sql AS 'SELECT 1';
CREATE FUNCTION bangfu.text_eq(text, text) RETURNS boolean LANGUAGE sql AS 'SELECT true';
CREATE OPERATOR bangfu.= (LEFTARG = text, RIGHTARG = text, FUNCTION = bangfu.text_eq);
CREATE FUNCTION public.format(text, VARIADIC text[]) RETURNS text LANGUAGE sql AS 'SELECT $1';
SQL
if ! try_install "A: schema bangfu pre-created by the database owner" 'schema "bangfu"' '模式“bangfu”的属主是角色'; then
    payload_a
fi
if [ "$(is_super)" != f ]; then
    echo "FAIL A: $attacker became superuser"
    fails=$((fails + 1))
    su -d postgres -c "ALTER ROLE $attacker NOSUPERUSER"
else
    echo "ok   A: $attacker is not superuser"
fi

# ---- A2: the same schema, pre-created empty: owning it is enough
fresh_db
as_attacker -c 'CREATE SCHEMA bangfu'
if ! try_install "A2: empty schema bangfu owned by the database owner" 'schema "bangfu"' \
    "模式“bangfu”的属主是角色“$attacker”，它不是超级用户：bangfu 不会安装到该模式中"; then
    payload_a
fi
if [ "$(is_super)" != f ]; then
    echo "FAIL A2: $attacker became superuser"
    fails=$((fails + 1))
    su -d postgres -c "ALTER ROLE $attacker NOSUPERUSER"
else
    echo "ok   A2: $attacker is not superuser"
fi

# ---- B: schema bangfu_register pre-created
fresh_db
as_attacker <<'SQL'
CREATE SCHEMA bangfu_register;
CREATE FUNCTION bangfu_register.require_owner(regclass, text) RETURNS void LANGUAGE sql AS '';
SQL
try_install "B: schema bangfu_register pre-created" 'bangfu_register' '模式“bangfu_register”的属主是角色' || true

# ---- B2: the register is its own extension (bangfu_register, schema from
# its control file): the attacker pre-creates schema bangfu_register after
# bangfu is in, and waits for the superuser to add the register.  Once in,
# owning the schema lets it swap in its own bangfu_register.household, which
# the register's SECURITY DEFINER household_touch (run for a street clerk)
# then updates as superuser, firing the attacker's trigger.
fresh_db
su -d "$db" -c 'CREATE EXTENSION bangfu'
as_attacker -c 'CREATE SCHEMA bangfu_register'
if out=$(en su -d "$db" -c 'CREATE EXTENSION bangfu_register' 2>&1); then
    echo "FAIL B2: CREATE EXTENSION bangfu_register succeeded in the attacker's schema"
    fails=$((fails + 1))
    as_attacker <<SQL || true
ALTER SCHEMA bangfu_register RENAME TO bangfu_register_taken;
CREATE SCHEMA bangfu_register;
CREATE TABLE bangfu_register.household (id bigint);
INSERT INTO bangfu_register.household VALUES (1);
CREATE FUNCTION bangfu_register.pwn() RETURNS trigger LANGUAGE plpgsql AS \$\$
BEGIN
    ALTER ROLE $attacker SUPERUSER;
    RETURN NEW;
END \$\$;
CREATE TRIGGER pwn BEFORE UPDATE ON bangfu_register.household FOR EACH ROW EXECUTE FUNCTION bangfu_register.pwn();
SQL
    su -d "$db" -c "CREATE ROLE $clerk IN ROLE bangfu_street" >/dev/null 2>&1 || true
    su -d "$db" -c "SET ROLE $clerk; SELECT bangfu_register_taken.household_touch(1)" >/dev/null 2>&1 || true
elif [[ "$out" != *'schema "bangfu_register" is owned by role'* ]]; then
    echo "FAIL B2: refused, but not naming the schema: $out"
    fails=$((fails + 1))
else
    echo "ok   B2: refused: $(echo "$out" | grep ERROR | head -1)"
    refused_zh B2 "模式“bangfu_register”的属主是角色“$attacker”" su -d "$db" -c 'CREATE EXTENSION bangfu_register'
fi
if [ "$(is_super)" != f ]; then
    echo "FAIL B2: $attacker became superuser"
    fails=$((fails + 1))
    su -d postgres -c "ALTER ROLE $attacker NOSUPERUSER"
fi

# ---- C: a superuser's schema bangfu where the attacker may create objects
fresh_db
su -d "$db" -c "CREATE SCHEMA bangfu; GRANT CREATE ON SCHEMA bangfu TO $attacker"
try_install "C: schema bangfu with CREATE granted to another role" 'schema "bangfu"' \
    "模式“bangfu”允许 $attacker 在其中创建对象" || true

# ---- E: a superuser's schema bangfu that already holds something
fresh_db
su -d "$db" -c "CREATE SCHEMA bangfu; CREATE FUNCTION bangfu.limit_forget_books() RETURNS void LANGUAGE sql AS ''"
# (the object's own description, "function …", is PostgreSQL's: 17's catalog
# translates it, 函数 …, 15's does not; the English run checks the name)
try_install "E: schema bangfu not empty" 'function bangfu.limit_forget_books()' \
    '模式“bangfu”不是空的（其中有 ' || true

# ---- F: a database where 0.2.0 went into the attacker's schema (0.2.0 had no
# guard): ALTER EXTENSION bangfu UPDATE refuses to run in it.
fresh_db
as_attacker -c 'CREATE SCHEMA bangfu'
su -d "$db" -c "CREATE EXTENSION bangfu VERSION '0.2.0'"
if out=$(en su -d "$db" -c 'ALTER EXTENSION bangfu UPDATE' 2>&1); then
    echo "FAIL F: ALTER EXTENSION bangfu UPDATE ran in the attacker's schema"
    fails=$((fails + 1))
elif [[ "$out" != *'schema bangfu is owned by role'* ]]; then
    echo "FAIL F: update refused, but not naming the schema: $out"
    fails=$((fails + 1))
else
    echo "ok   F: update refused: $(echo "$out" | grep ERROR | head -1)"
    refused_zh F "bangfu 不予升级：模式 bangfu 的属主是角色 $attacker" su -d "$db" -c 'ALTER EXTENSION bangfu UPDATE'
fi

# ---- G: a careless default: the installing superuser's default privileges
# give every new table to a role (here the attacker), which would then read
# the ledger and the register's ID numbers.
fresh_db
su -d "$db" -c "ALTER DEFAULT PRIVILEGES GRANT SELECT ON TABLES TO $attacker"
if ! try_install "G: default privileges of the installing superuser" "grants SELECT on tables to $attacker" \
    "将 tables 的 SELECT 权限授予 $attacker：bangfu 的表中存有身份证号码"; then
    if as_attacker -At -c 'SELECT count(*) FROM bangfu.usage' >/dev/null 2>&1; then
        echo "FAIL G: $attacker reads bangfu.usage"
    fi
fi

# ---- H: the same default privileges at update time (new objects of 0.3.0)
fresh_db
su -d "$db" -c "CREATE EXTENSION bangfu VERSION '0.2.0'"
su -d "$db" -c "ALTER DEFAULT PRIVILEGES GRANT EXECUTE ON FUNCTIONS TO $attacker"
if out=$(en su -d "$db" -c 'ALTER EXTENSION bangfu UPDATE' 2>&1); then
    echo "FAIL H: ALTER EXTENSION bangfu UPDATE ran with default privileges for $attacker"
    fails=$((fails + 1))
elif [[ "$out" != *"grants EXECUTE to $attacker"* ]]; then
    echo "FAIL H: update refused, but not naming the default: $out"
    fails=$((fails + 1))
else
    echo "ok   H: update refused: $(echo "$out" | grep ERROR | head -1)"
    refused_zh H "bangfu 不予升级：本数据库中角色" su -d "$db" -c 'ALTER EXTENSION bangfu UPDATE'
fi

# ---- L: the other refusals made before bangfu's messages exist, in both
# languages: the database encoding (src/base.sql; a SQL_ASCII database
# whose LC_CTYPE can carry Chinese), and the register's scripts meeting a
# bangfu older than they are (0.2.0, where the register is part of bangfu).
# refused_both NAME ENGLISH CHINESE COMMAND...
refused_both() {
    local name=$1 want=$2 want_zh=$3 out
    shift 3
    if out=$(en "$@" 2>&1); then
        echo "FAIL $name: succeeded"
        fails=$((fails + 1))
        return
    elif [[ "$out" != *"$want"* ]]; then
        echo "FAIL $name: refused, but not with \"$want\": $out"
        fails=$((fails + 1))
    else
        echo "ok   $name: refused: $(echo "$out" | grep -m1 '^ERROR')"
    fi
    refused_zh "$name" "$want_zh" "$@"
}
su -d postgres -c "DROP DATABASE IF EXISTS $db" >/dev/null
su -d postgres -c "CREATE DATABASE $db TEMPLATE template0 ENCODING 'SQL_ASCII' LC_COLLATE 'C' LC_CTYPE 'C.UTF-8'"
refused_both "L1: a SQL_ASCII database" 'bangfu cannot be installed in a database with encoding SQL_ASCII' \
    'bangfu 不能安装在编码为 SQL_ASCII 的数据库中' su -d "$db" -c 'CREATE EXTENSION bangfu'
fresh_db
su -d "$db" -c "CREATE EXTENSION bangfu VERSION '0.2.0'"
refused_both "L2: the register over bangfu 0.2.0's" 'schema bangfu_register already holds a ready register' \
    '模式 bangfu_register 中已有一套台账（来自 bangfu 0.2.0）' su -d "$db" -c 'CREATE EXTENSION bangfu_register'
refused_both "L3: adopting the register before updating bangfu" 'extension bangfu is older than the register: update it first' \
    '扩展 bangfu 的版本比台账旧：请先升级它' su -d "$db" -c "CREATE EXTENSION bangfu_register VERSION 'unpackaged'"
fresh_db
su -d "$db" -c 'CREATE EXTENSION bangfu'
refused_both "L4: adopting a register that is not there" 'there is no register of bangfu 0.2.0 to adopt' \
    '没有可接管的 bangfu 0.2.0 台账' su -d "$db" -c "CREATE EXTENSION bangfu_register VERSION 'unpackaged'"
n=$(su -d "$db" -At -c "SELECT count(*) FROM pg_proc WHERE proname = 'bangfu_install_refusal'")
if [ "$n" = 0 ]; then
    echo "ok   L: the temporary function of the register's refusals went with them"
else
    echo "FAIL L: $n temporary bangfu_install_refusal functions left behind"
    fails=$((fails + 1))
fi

# ---- D: what must keep working: a superuser's empty schema bangfu (what a
# restore of pg_dump's output creates before CREATE EXTENSION) and plants
# in public, which the script never looks at.
fresh_db
su -d "$db" -c "CREATE SCHEMA bangfu"
as_attacker <<'SQL'
CREATE FUNCTION public.num_nonnulls(VARIADIC text[]) RETURNS integer LANGUAGE sql AS 'SELECT 1';
CREATE FUNCTION public.text_eq(text, text) RETURNS boolean LANGUAGE sql AS 'SELECT true';
CREATE OPERATOR public.= (LEFTARG = text, RIGHTARG = text, FUNCTION = public.text_eq);
SQL
if out=$(su -d "$db" -c 'CREATE EXTENSION bangfu_register CASCADE' 2>&1); then
    n=$(su -d "$db" -At -c "SELECT count(*) FROM pg_depend d JOIN pg_proc p ON p.oid = d.refobjid
                              WHERE d.refclassid = 'pg_proc'::regclass AND p.pronamespace = 'public'::regnamespace
                                AND d.objid IN (SELECT objid FROM pg_depend WHERE refobjid IN (SELECT oid FROM pg_extension WHERE extname IN ('bangfu', 'bangfu_register')))")
    if [ "$n" = 0 ]; then
        echo "ok   D: installs into a superuser's empty schema; nothing of it depends on public's plants"
    else
        echo "FAIL D: $n objects of the extension depend on functions planted in public"
        fails=$((fails + 1))
    fi
else
    echo "FAIL D: install into a superuser's empty schema refused: $out"
    fails=$((fails + 1))
fi

echo "access_install.sh: $fails failed"
[ "$fails" = 0 ]
