#!/usr/bin/env bash
#
# scripts/encoding_test.sh: bangfu in databases of each server encoding
# (issue 9).  The policy's labels and texts are Chinese, so:
#
#   UTF8, EUC_CN    CREATE EXTENSION bangfu and bangfu_register work;
#                   test/encoding/labels.sql (labels, the seed's notes,
#                   clauses named in errors and explanations, a Chinese
#                   scenario name, every comment, the extensions' comments)
#                   reads the same bytes through a UTF8 client from both, the
#                   二 relief-reason labels are exactly the seed's, and the
#                   pgTAP suite passes in the EUC_CN database too; bangfu's
#                   messages, English and (lc_messages zh_CN.UTF-8) Chinese,
#                   clauses included, read the same from both;
#   LATIN1, SQL_ASCII   CREATE EXTENSION refuses with 22P05 and a message
#                   naming the encoding, and leaves nothing behind.
#
# Every database is made from template0 with LC_COLLATE/LC_CTYPE 'C' (an
# encoding needs no locale then).  Server: reuses the cluster of
# scripts/test.sh (cluster_ensure), else starts and removes its own.
set -euo pipefail
cd "$(dirname "$0")/.."
exec </dev/null

export PG_CONFIG=${PG_CONFIG:-/usr/lib/postgresql/15/bin/pg_config}
export LC_ALL=C.UTF-8 PGCLIENTENCODING=UTF8
# shellcheck source=scripts/cluster.sh
source scripts/cluster.sh
cluster_ensure

work="$BANGFU_CLUSTER_DIR/encoding_test.$$"
mkdir -p "$work"
failed=0
say() { echo "encoding_test.sh: $*" >&2; }
bad() { say "FAIL: $*"; failed=1; }

newdb() {
    dropdb --if-exists "$1" 2>/dev/null
    psql -X -q -v ON_ERROR_STOP=1 -d postgres -c \
        "CREATE DATABASE $1 TEMPLATE template0 ENCODING '$2' LC_COLLATE 'C' LC_CTYPE 'C'"
}

# The four reasons of 二, exactly as the seed words them.
cat >"$work/reasons.txt" <<'LABELS'
critical_illness|因患危重疾病或意外事故
disability_chronic|因身体残疾或患疑难慢性疾病
education|因子女教育费用负担过重
single_parent_other|因单亲家庭及其他特殊原因
LABELS

for enc in UTF8 EUC_CN; do
    db=bangfu_enc_${enc,,}
    newdb "$db" "$enc"
    if ! psql -X -q -v ON_ERROR_STOP=1 -d "$db" -c 'CREATE EXTENSION bangfu' \
        -c 'CREATE EXTENSION bangfu_register' 2>"$work/$enc.err"; then
        bad "$enc: CREATE EXTENSION failed: $(cat "$work/$enc.err")"
        continue
    fi
    psql -X -q -d "$db" -f test/encoding/labels.sql >"$work/$enc.out" 2>&1 ||
        bad "$enc: test/encoding/labels.sql failed: $(tail -n 3 "$work/$enc.out")"
    head -n 4 "$work/$enc.out" | cmp -s - "$work/reasons.txt" ||
        bad "$enc: the relief-reason labels are not the seed's: $(head -n 4 "$work/$enc.out")"
    # The Chinese messages of labels.sql's end: translated clause, translated
    # raise_error texts (a double conversion or none would garble them).
    for words in '（四(1) 慈善病床减免）接受 0 至' '规则：bangfu.relief_band（二 临时救助）。' \
        '一：渠道不乱、用途不变；资金专款专用。'; do
        grep -qF "$words" "$work/$enc.out" || bad "$enc: no Chinese message with \"$words\""
    done
    say "$enc: installed; $(wc -l <"$work/$enc.out") lines read back"
done
if [ -s "$work/UTF8.out" ] && [ -s "$work/EUC_CN.out" ]; then
    if ! cmp -s "$work/UTF8.out" "$work/EUC_CN.out"; then
        bad "EUC_CN reads differently from UTF8:"
        diff "$work/UTF8.out" "$work/EUC_CN.out" | head -n 40 >&2 || true
    fi
fi

# The pgTAP suite in an EUC_CN database set up as scripts/test.sh sets up
# its own (its files are UTF-8: the client says so, the server converts).
if psql -X -At -d postgres -c "SELECT 1 FROM pg_available_extensions WHERE name = 'pgtap'" | grep -q 1; then
    newdb bangfu_enc_tap EUC_CN
    psql -X -q -v ON_ERROR_STOP=1 -d bangfu_enc_tap -c 'CREATE EXTENSION pgtap' -c 'CREATE EXTENSION bangfu CASCADE' &&
        # All but tiers_svg.sql, which reads the SVG with xpath(): PostgreSQL
        # hands libxml the database's bytes unconverted there, so xpath() over
        # Chinese text works only in UTF8 databases (a limit of the server,
        # not of bangfu: the SVG itself is right, and xmlparse() reads it).
        pg_prove --failures -d bangfu_enc_tap $(ls test/pgtap/*.sql | grep -v '/tiers_svg\.sql$') \
            || bad "EUC_CN: the pgTAP suite failed"
        psql -X -q -At -d bangfu_enc_tap -c "SELECT xmlparse(document bangfu.tiers_svg('flat: [0,6000] 10%, (6000,) 15%', NULL, NULL, '四(1) 现行')) IS DOCUMENT" \
            | grep -qx t || bad "EUC_CN: tiers_svg is not a well-formed XML document there"
fi

for enc in LATIN1 SQL_ASCII; do
    db=bangfu_enc_${enc,,}
    newdb "$db" "$enc"
    if psql -X -q -v ON_ERROR_STOP=1 -d "$db" \
        -c '\set VERBOSITY verbose' -c 'CREATE EXTENSION bangfu' >"$work/$enc.err" 2>&1; then
        bad "$enc: CREATE EXTENSION bangfu succeeded; it must refuse"
    else
        grep -q '^ERROR:  22P05: .*"\?'"$enc"'"\?' "$work/$enc.err" ||
            bad "$enc: refused, but not with 22P05 naming $enc: $(head -n 2 "$work/$enc.err")"
        say "$enc: refused: $(head -n 1 "$work/$enc.err")"
    fi
    left=$(psql -X -At -d "$db" -c "SELECT count(*) FROM pg_namespace WHERE nspname LIKE 'bangfu%'")
    [ "$left" = 0 ] || bad "$enc: a refused install left $left bangfu schemas"
done

for db in bangfu_enc_utf8 bangfu_enc_euc_cn bangfu_enc_tap bangfu_enc_latin1 bangfu_enc_sql_ascii; do
    dropdb --if-exists "$db" 2>/dev/null
done
rm -rf -- "$work"
if [ "$failed" = 0 ]; then
    say "OK"
else
    say "FAILED"
    exit 1
fi
