#!/usr/bin/env bash
#
# scripts/upgrade_test.sh: every released version's install script (kept
# frozen in src/update/bangfu--V.sql) updated to the current version must
# give what a fresh install gives, and keep every row of the ready register.
#
#   bash scripts/upgrade_test.sh
#
# For each earlier version V:
#   1. CREATE EXTENSION bangfu VERSION 'V' in a new database; its functions
#      must work with the current library before the update (a database not
#      yet updated, or brought over by pg_upgrade);
#   2. the register of that version is given rows (test/upgrade/register_rows.sql);
#   3. in one transaction: ALTER EXTENSION bangfu UPDATE; CREATE EXTENSION
#      bangfu_register VERSION 'unpackaged'; ALTER EXTENSION bangfu_register
#      UPDATE (since 0.3.0 the register is an extension of its own, which
#      adopts the objects of the old one); both versions are then current;
#   4. test/upgrade/fingerprint.sql (every object of both extensions with its
#      definition, privileges and comment; constraints, indexes, triggers;
#      what pg_dump keeps; event triggers; the shipped policy and limits)
#      prints the same lines as for a fresh install of both, and
#      test/upgrade/register_data.sql (every row of the register, the
#      ledger, the balances) the same lines as before the update.
# Also: the rules alone (CREATE EXTENSION bangfu) make no register schema,
# and bangfu's install script creates no department role.
#
# Server: reuses the cluster of scripts/test.sh (via cluster_ensure in
# scripts/cluster.sh), else starts and removes its own.
set -euo pipefail
cd "$(dirname "$0")/.."
exec </dev/null

export PG_CONFIG=${PG_CONFIG:-/usr/lib/postgresql/15/bin/pg_config}
export LC_ALL=C.UTF-8 PGCLIENTENCODING=UTF8
# shellcheck source=scripts/cluster.sh
source scripts/cluster.sh
cluster_ensure

current=$(sed -n "s/^default_version *= *'\(.*\)'/\1/p" bangfu.control)
# Scratch files live with the cluster and go when it goes.
work="$BANGFU_CLUSTER_DIR/upgrade_test.$$"
mkdir -p "$work"
q() { psql -X -q -v ON_ERROR_STOP=1 "$@"; }

status=0

# The rules alone: no register, no department roles.
dropdb --if-exists bangfu_up_rules
createdb bangfu_up_rules
q -d bangfu_up_rules -c "CREATE EXTENSION bangfu"
if [ "$(q -d bangfu_up_rules -At -c "SELECT to_regnamespace('bangfu_register') IS NULL")" != t ]; then
    echo "upgrade_test.sh: CREATE EXTENSION bangfu made schema bangfu_register" >&2
    status=1
fi
dropdb bangfu_up_rules
script=$("$PG_CONFIG" --sharedir)/extension/bangfu--$current.sql
for role in bangfu_street bangfu_civil_affairs bangfu_health bangfu_hrss bangfu_finance bangfu_reader; do
    if grep -q "$role" "$script"; then
        echo "upgrade_test.sh: bangfu--$current.sql names the register's role $role" >&2
        status=1
    fi
done

dropdb --if-exists bangfu_up_fresh
createdb bangfu_up_fresh
q -d bangfu_up_fresh -c "SET client_min_messages = warning" -c "CREATE EXTENSION bangfu_register CASCADE"
q -d bangfu_up_fresh -f test/upgrade/fingerprint.sql > "$work/fresh.txt"
echo "upgrade_test.sh: fresh $current (bangfu and bangfu_register): $(wc -l < "$work/fresh.txt") lines of fingerprint"

found=0
for f in src/update/bangfu--*.sql; do
    v=${f#src/update/bangfu--}
    v=${v%.sql}
    case "$v" in *--*) continue ;; esac          # an upgrade script
    [ "$v" = "$current" ] && continue
    found=$((found + 1))
    db=bangfu_up_from_${v//./_}
    dropdb --if-exists "$db"
    createdb "$db"
    q -d "$db" -c "CREATE EXTENSION bangfu VERSION '$v'"

    # The old catalog with the new library: the rules still answer.
    got=$(q -d "$db" -At -c "
        SELECT concat_ws(' ',
            (SELECT first_half || '+' || second_half FROM bangfu.relief_installments(1500.01)),
            (SELECT min_households || '-' || max_households FROM bangfu.relief_quota(20000, '2026-06-30')),
            bangfu.pension_subsidy(1000, '2026-06-30'),
            bangfu.enterprise_subsidy(1000, 100, 200, '2026-06-30'),
            bangfu.medical_reduction(6000.01, '2026-06-30'),
            bangfu.hard_to_employ('女', '1986-06-30', '2026-06-30'))")
    want='750.01+750.00 600-1000 666.67 225.00 900.00 t'
    if [ "$got" != "$want" ]; then
        echo "upgrade_test.sh: $v with the current library gives '$got', want '$want'" >&2
        status=1
    fi

    q -d "$db" -f test/upgrade/register_rows.sql
    q -d "$db" -At -f test/upgrade/register_data.sql > "$work/rows_before_$v.txt"
    # Adopting commits the grants' unpaid installments (doc/money.md): with
    # the relief fund left 1500.00 (1198500.00 less a disbursement of
    # 1197000.00) it cannot carry the 2250.00 of the three, and the adoption
    # is refused, naming the shortfall, with nothing changed.
    # (in a copy: a refused transaction still takes numbers of the sequences)
    dropdb --if-exists "${db}_short"
    createdb -T "$db" "${db}_short"
    if q -d "${db}_short" -c "SET client_min_messages = warning" -c "BEGIN" \
        -c "INSERT INTO bangfu_register.fund_entry (fund, program, amount, booked_on, note) VALUES ('relief', 'relief_grant', -1197000, '2025-06-01', 'upgrade test')" \
        -c "ALTER EXTENSION bangfu UPDATE" \
        -c "CREATE EXTENSION bangfu_register VERSION 'unpackaged'" \
        -c "ALTER EXTENSION bangfu_register UPDATE" -c "COMMIT" > "$work/short_$v.log" 2>&1; then
        echo "upgrade_test.sh: $v: adopted a register whose relief fund cannot carry its grants' installments" >&2
        status=1
    elif ! grep -q 'its approved grants still owe 2250.00 in 3 unpaid installments against fund relief, whose uncommitted balance is 1500.00 (750.00 short)' "$work/short_$v.log"; then
        echo "upgrade_test.sh: $v: the adoption was refused, but not for the shortfall:" >&2
        cat "$work/short_$v.log" >&2
        status=1
    else
        echo "upgrade_test.sh: $v -> $current: refused where the relief fund cannot carry the grants (750.00 short)"
    fi
    # Asked for (bangfu_register.adopt_overcommitted), adopted over-committed:
    # 1500.00 in the fund, 2250.00 committed, -750.00 uncommitted; nothing
    # is paid until grant 1 is withdrawn (its 1500.00 released), then grant
    # 2's second installment is: 750.00 left, all of it uncommitted.
    got=$(q -d "${db}_short" -At -F ' ' -c "SET client_min_messages = warning" -c "BEGIN" \
            -c "INSERT INTO bangfu_register.fund_entry (fund, program, amount, booked_on, note) VALUES ('relief', 'relief_grant', -1197000, '2025-06-01', 'upgrade test')" \
            -c "ALTER EXTENSION bangfu UPDATE" \
            -c "CREATE EXTENSION bangfu_register VERSION 'unpackaged'" \
            -c "SET LOCAL bangfu_register.adopt_overcommitted = on" \
            -c "ALTER EXTENSION bangfu_register UPDATE" -c "COMMIT" \
            -c "SELECT balance, committed, uncommitted FROM bangfu_register.fund_runway('2030-01-01') WHERE fund = 'relief'" \
            -c "DO \$\$ BEGIN PERFORM bangfu_register.pay_installment(2, 2, '2025-07-01'); EXCEPTION WHEN check_violation THEN RAISE WARNING 'refused'; END \$\$" \
            -c "UPDATE bangfu_register.relief_grant SET withdrawn_on = '2025-06-02' WHERE id = 1" \
            -c "SELECT bangfu_register.pay_installment(2, 2, '2025-07-01') IS NOT NULL" \
            -c "SELECT balance, committed, uncommitted FROM bangfu_register.fund_runway('2030-01-01') WHERE fund = 'relief'" \
            -c "SELECT count(*) FROM bangfu.limit_check()" 2>&1 | tr '\n' '|')
    want='1500.00 2250.00 -750.00|WARNING:  refused|t|750.00 0.00 750.00|0|'
    if [ "$got" = "$want" ]; then
        echo "upgrade_test.sh: $v -> $current: adopted over-committed when asked (-750.00 uncommitted), paid after a withdrawal"
    else
        echo "upgrade_test.sh: $v -> $current: adopting over-committed went wrong:" >&2
        echo "  got:  $got" >&2
        echo "  want: $want" >&2
        status=1
    fi
    dropdb "${db}_short"
    q -d "$db" -c "SET client_min_messages = warning" -c "BEGIN" \
        -c "ALTER EXTENSION bangfu UPDATE" \
        -c "CREATE EXTENSION bangfu_register VERSION 'unpackaged'" \
        -c "ALTER EXTENSION bangfu_register UPDATE" -c "COMMIT"
    now=$(q -d "$db" -At -c "SELECT string_agg(extname || ' ' || extversion, ', ' ORDER BY extname) FROM pg_extension WHERE extname LIKE 'bangfu%'")
    if [ "$now" != "bangfu $current, bangfu_register $current" ]; then
        echo "upgrade_test.sh: $v updated to '$now', not $current" >&2
        status=1
    fi
    q -d "$db" -At -f test/upgrade/register_data.sql > "$work/rows_after_$v.txt"
    # Tables the update adds (issue 14: the clauses about people) had no
    # rows before it: compared are the ones that were there.
    awk -F' [|] ' 'NR == FNR { had[$1] = 1; next } ($1 in had)' \
        "$work/rows_before_$v.txt" "$work/rows_after_$v.txt" > "$work/rows_after_known_$v.txt"
    if diff -u "$work/rows_before_$v.txt" "$work/rows_after_known_$v.txt" > "$work/rows_diff_$v.txt"; then
        echo "upgrade_test.sh: $v -> $current: the register's $(grep -c '^bangfu_register\.' "$work/rows_after_$v.txt") tables and sequences, ledger and balances unchanged"
    else
        echo "upgrade_test.sh: $v -> $current changed the register's rows:" >&2
        cat "$work/rows_diff_$v.txt" >&2
        status=1
    fi
    # The updated database dumps and restores (pg_restore -j 2) with every row.
    dropdb --if-exists "${db}_restored"
    createdb "${db}_restored"
    pg_dump -Fc -d "$db" -f "$work/from_$v.dump"
    if pg_restore -j 2 --exit-on-error -d "${db}_restored" "$work/from_$v.dump" 2> "$work/restore_$v.log" &&
        q -d "${db}_restored" -At -f test/upgrade/register_data.sql > "$work/rows_restored_$v.txt" &&
        diff -u "$work/rows_after_$v.txt" "$work/rows_restored_$v.txt" >&2; then
        echo "upgrade_test.sh: $v -> $current: dumped and restored with every row"
    else
        echo "upgrade_test.sh: $v -> $current: the dump of the updated database does not restore:" >&2
        cat "$work/restore_$v.log" >&2
        status=1
    fi
    dropdb "${db}_restored"
    # The grants' installments not marked paid, committed in approval order:
    # grant 1 both halves, grant 2 its second; 1198500.00 in the relief fund,
    # 2250.00 committed, 1196250.00 uncommitted.  Paying grant 2's second
    # releases it; its first, paid under 0.2.0, is not paid again.
    got=$(q -d "$db" -At -F ' ' -c "SELECT string_agg(concat_ws(':', grant_id, installment, kind, amount, booked_on), ' ' ORDER BY id) FROM bangfu_register.fund_commitment" \
            -c "SELECT balance, committed, uncommitted FROM bangfu_register.fund_runway('2030-01-01') WHERE fund = 'relief'" \
            -c "BEGIN" \
            -c "SELECT bangfu_register.pay_installment(2, 2, '2025-07-01') IS NOT NULL" \
            -c "SELECT balance, committed, uncommitted FROM bangfu_register.fund_runway('2030-01-01') WHERE fund = 'relief'" \
            -c "SAVEPOINT twice" \
            -c "DO \$\$ BEGIN PERFORM bangfu_register.pay_installment(2, 1, '2025-07-02'); EXCEPTION WHEN unique_violation THEN RAISE NOTICE 'refused'; END \$\$" \
            -c "ROLLBACK" 2>&1 | tr '\n' '|')
    want='1:1:commit:-750.00:2025-04-01 1:2:commit:-750.00:2025-04-01 2:2:commit:-750.00:2025-04-01|1198500.00 2250.00 1196250.00|t|1197750.00 1500.00 1196250.00|NOTICE:  refused|'
    if [ "$got" = "$want" ]; then
        echo "upgrade_test.sh: $v -> $current: the adopted grants' unpaid installments committed (2250.00; 1196250.00 uncommitted)"
    else
        echo "upgrade_test.sh: $v -> $current: the adopted grants' commitments are wrong:" >&2
        echo "  got:  $got" >&2
        echo "  want: $want" >&2
        status=1
    fi
    q -d "$db" -f test/upgrade/fingerprint.sql > "$work/from_$v.txt"
    if diff -u "$work/fresh.txt" "$work/from_$v.txt" > "$work/diff_$v.txt"; then
        echo "upgrade_test.sh: $v -> $current: same as a fresh install"
    else
        echo "upgrade_test.sh: $v -> $current differs from a fresh install:" >&2
        head -n 60 "$work/diff_$v.txt" >&2
        status=1
    fi
    dropdb "$db"
done
dropdb bangfu_up_fresh
if [ "$found" = 0 ]; then
    echo "upgrade_test.sh: no earlier version in src/update/: nothing to update from"
fi
exit $status
