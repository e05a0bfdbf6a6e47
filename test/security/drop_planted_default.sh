#!/usr/bin/env bash
#
# test/security/drop_planted_default.sh: the override of the drop guard
# (bangfu.drop_with_data, bangfu_register.drop_with_data; 十二, doc/operations.md
# "Removing bangfu") cannot be planted by someone who may not drop bangfu;
# nor counts a planted acknowledgement for removing a past policy version
# (bangfu.backdate_ack, doc/policy.md).
#
# A role that may not become superuser owns a database (the usual "one
# database per application" set-up) in which a superuser installed bangfu and
# the register and the county entered rows.  The owner of the database may
# ALTER DATABASE ... SET a user's setting: it tries to plant both overrides
# as the database's defaults, which must be refused (they are superuser
# settings).  A default a superuser planted itself (a careless DBA, or a
# plant from a configuration file) does not count either: a later DROP
# EXTENSION bangfu CASCADE (or of the register) in a new session is still
# refused; only a value set in the dropping session itself counts.  A check
# that read current_setting() alone let both drops through.  And the
# database owner, who is not the extensions' owner, still cannot drop them
# or their schemas (PostgreSQL's own refusal, 42501), with or without the
# override.
#
# Run by scripts/test.sh with PGHOST/PGPORT/PGUSER (a superuser) set; exits
# non-zero if an attack works.
set -euo pipefail
exec </dev/null

attacker=bangfu_sec_drop_owner
db=bangfu_sec_drop
fails=0

su() { psql -X -q -v ON_ERROR_STOP=1 "$@"; }
as_attacker() { PGUSER=$attacker psql -X -q -v ON_ERROR_STOP=1 -d "$db" "$@"; }

cleanup() {
    su -d postgres -c "DROP DATABASE IF EXISTS $db" >/dev/null 2>&1 || true
    su -d postgres -c "DROP ROLE IF EXISTS $attacker" >/dev/null 2>&1 || true
    su -d postgres -c "DROP ROLE IF EXISTS bangfu_sec_drop_admin" >/dev/null 2>&1 || true
}
trap cleanup EXIT
cleanup

su -d postgres -c "CREATE ROLE $attacker LOGIN NOSUPERUSER NOCREATEROLE"
su -d postgres -c "CREATE DATABASE $db OWNER $attacker"
su -d "$db" -c "CREATE EXTENSION bangfu_register CASCADE" 2>/dev/null
su -d "$db" <<'SQL'
INSERT INTO bangfu.policy (param, valid_from, amount, note)
VALUES ('medical.charity_bed.yearly_cap', '2099-01-01', 25000, '十二 a county raises a standard');
INSERT INTO bangfu_register.county_year (year, urban_households) VALUES (2099, 100);
SQL

# The database owner cannot plant the overrides (bangfu's library loaded
# first, so that the settings are known, not placeholders).
for ext in bangfu bangfu_register; do
    if as_attacker -c "SELECT bangfu.version()" -c "ALTER DATABASE $db SET $ext.drop_with_data = on" >/dev/null 2>&1; then
        echo "ATTACK WORKED: the database owner set $ext.drop_with_data as the database's default"
        fails=$((fails + 1))
    fi
done
# A superuser's own plant (a careless default) is in the catalog then.
su -d postgres -c "ALTER DATABASE $db SET bangfu.drop_with_data = on" \
               -c "ALTER DATABASE $db SET bangfu_register.drop_with_data = on"

# expect WHO WHAT SQLSTATE SQL: the statement must fail with that SQLSTATE
expect() {
    local who=$1 what=$2 state=$3 sql=$4 out
    if [ "$who" = attacker ]; then
        out=$(as_attacker -c '\set VERBOSITY verbose' -c "$sql" 2>&1) && {
            echo "ATTACK WORKED: $what: $sql went through"; fails=$((fails + 1)); return; }
    else
        out=$(su -d "$db" -c '\set VERBOSITY verbose' -c "$sql" 2>&1) && {
            echo "ATTACK WORKED: $what: $sql went through"; fails=$((fails + 1)); return; }
    fi
    if ! grep -q "ERROR:  $state:" <<<"$out"; then
        echo "FAIL: $what: expected SQLSTATE $state, got:"; echo "$out"; fails=$((fails + 1))
    else
        echo "ok: $what"
    fi
}

# The plant is in force in a new session (the attack is real) ...
seen=$(su -d "$db" -At -c "SELECT bangfu.version() IS NOT NULL, current_setting('bangfu.drop_with_data'), current_setting('bangfu_register.drop_with_data')")
if [ "$seen" != "t|on|on" ]; then
    echo "FAIL: the planted defaults are not in force in a superuser's new session ($seen): the test proves nothing"
    fails=$((fails + 1))
fi
# ... and does not let a superuser's DROP delete the rows.
expect su "a planted default does not drop bangfu's rows" 2BP01 "DROP EXTENSION bangfu CASCADE"
expect su "a planted default does not drop the register's rows" 2BP01 "DROP EXTENSION bangfu_register"
expect su "nor DROP SCHEMA bangfu CASCADE" 2BP01 "DROP SCHEMA bangfu CASCADE"
# The database owner cannot drop what it does not own, override or not.
# (and cannot set the overrides either: superuser settings)
expect attacker "the database owner cannot set bangfu.drop_with_data" 42501 "SELECT bangfu.version(); SET bangfu.drop_with_data = on"
expect attacker "the database owner cannot drop bangfu" 42501 "DROP EXTENSION bangfu CASCADE"
expect attacker "nor the register" 42501 "DROP EXTENSION bangfu_register"
expect attacker "nor bangfu's schema" 42501 "DROP SCHEMA bangfu CASCADE"

left=$(su -d "$db" -At -c "SELECT (SELECT count(*) FROM bangfu.policy WHERE NOT shipped) || ' ' || (SELECT count(*) FROM bangfu_register.county_year)")
if [ "$left" != "1 1" ]; then
    echo "ATTACK WORKED: the entered rows are gone ($left)"; fails=$((fails + 1))
fi
# The same for the acknowledgement of removing a past policy version
# (bangfu.backdate_ack, doc/policy.md): a policy admin may set it as its own
# default (ALTER ROLE ... SET, any user's setting), and the database owner
# for the database; neither counts.  Only a SET in the removing session does.
admin=bangfu_sec_drop_admin
su -d postgres -c "DROP ROLE IF EXISTS $admin" >/dev/null 2>&1 || true
su -d postgres -c "CREATE ROLE $admin LOGIN IN ROLE bangfu_policy_admin"
su -d "$db" -c "INSERT INTO bangfu.policy (param, valid_from, amount, backdate_ack) VALUES ('medical.serious_illness.yearly_cap', '2020-01-01', 35000, 'planted-default test')"
PGUSER=$admin psql -X -q -d "$db" -c "SELECT bangfu.version()" -c "ALTER ROLE CURRENT_USER SET bangfu.backdate_ack = 'planted by the role'" >/dev/null 2>&1 || true
as_attacker -c "SELECT bangfu.version()" -c "ALTER DATABASE $db SET bangfu.backdate_ack = 'planted by the database owner'" >/dev/null 2>&1 || true
seen=$(PGUSER=$admin psql -X -At -d "$db" -c "SELECT bangfu.version() IS NOT NULL, current_setting('bangfu.backdate_ack')")
if [ "$seen" != "t|planted by the role" ]; then
    echo "FAIL: the planted acknowledgement is not in force in the admin's new session ($seen): the test proves nothing"
    fails=$((fails + 1))
fi
out=$(PGUSER=$admin psql -X -q -d "$db" -c '\set VERBOSITY verbose' \
      -c "DELETE FROM bangfu.policy WHERE param = 'medical.serious_illness.yearly_cap' AND valid_from = '2020-01-01'" 2>&1) && {
    echo "ATTACK WORKED: a planted bangfu.backdate_ack removed a past policy version"; fails=$((fails + 1)); }
if grep -q "ERROR:  22023:" <<<"$out"; then
    echo "ok: a planted bangfu.backdate_ack does not remove a past policy version"
else
    echo "FAIL: removing a past version under a planted acknowledgement: expected 22023, got:"; echo "$out"; fails=$((fails + 1))
fi
out=$(PGUSER=$admin psql -X -q -v ON_ERROR_STOP=1 -d "$db" -c "BEGIN; SET LOCAL bangfu.backdate_ack = 'said in the session'; DELETE FROM bangfu.policy WHERE param = 'medical.serious_illness.yearly_cap' AND valid_from = '2020-01-01'; COMMIT;" 2>&1) &&
    [ "$(su -d "$db" -At -c "SELECT superseded_ack FROM bangfu.policy_superseded WHERE valid_from = '2020-01-01'")" = "said in the session" ] || {
    echo "FAIL: the admin could not remove the version with the acknowledgement set in its session:"; echo "$out"; fails=$((fails + 1)); }
su -d postgres -c "DROP OWNED BY $admin" -c "DROP ROLE $admin" >/dev/null 2>&1 || true

# Said in the session itself, the owner's DROP goes through.
if ! su -d "$db" -c "BEGIN; SET LOCAL bangfu.drop_with_data = on; SET LOCAL bangfu_register.drop_with_data = on; DROP EXTENSION bangfu CASCADE; COMMIT;" >/dev/null 2>&1; then
    echo "FAIL: the superuser could not drop bangfu with both overrides set in its session"; fails=$((fails + 1))
fi

if [ "$fails" -gt 0 ]; then
    echo "drop_planted_default.sh: $fails failure(s)"
    exit 1
fi
echo "drop_planted_default.sh: the database owner cannot plant drop_with_data nor drop bangfu; a planted default of drop_with_data or of backdate_ack is ignored"
