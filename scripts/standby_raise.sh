#!/usr/bin/env bash
#
# scripts/standby_raise.sh: a step of scripts/standby_test.sh, run from a
# psql session on the standby with \!: raise the yearly cap of 四(1) to
# 30,000 from 2092 on the primary, then wait (at most a minute) until the
# standby has replayed it.
set -euo pipefail
p=$STANDBY_TEST_PRIMARY s=$STANDBY_TEST_STANDBY db=$STANDBY_TEST_DB
psql -X -q -v ON_ERROR_STOP=1 -h "$p" -d "$db" -c \
    "INSERT INTO bangfu.policy (param, valid_from, amount) VALUES ('medical.charity_bed.yearly_cap', '2092-01-01', 30000)"
lsn=$(psql -X -At -h "$p" -d "$db" -c 'SELECT pg_current_wal_lsn()')
for _ in $(seq 1 600); do
    [ "$(psql -X -At -h "$s" -d "$db" -c "SELECT pg_last_wal_replay_lsn() >= '$lsn'::pg_lsn")" = t ] && exit 0
    sleep 0.1
done
echo "standby_raise.sh: the standby did not replay $lsn" >&2
exit 1
