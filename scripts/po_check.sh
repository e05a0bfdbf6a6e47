#!/usr/bin/env bash
#
# scripts/po_check.sh: every message bangfu raises has a translation.
#
#   bash scripts/po_check.sh
#
# Extracts the catalog from the sources as they are now (the same xgettext
# call as `make po-update`, into a scratch directory), merges each
# po/LANG.po with it and fails when any message is untranslated or fuzzy,
# when msgfmt --check finds a translation whose placeholders do not match its
# message, or when po/bangfu.pot lags behind the sources.  A message added
# to the C code (ereport, rule_error, BF_T, or src/messages.c for PL/pgSQL)
# without a translation therefore fails the test command.  To fix: run
# `make po-update`, translate the new entries of po/zh_CN.po (remove any
# "#, fuzzy" after checking the suggestion), commit both files.
set -euo pipefail
cd "$(dirname "$0")/.."
exec </dev/null

export PG_CONFIG=${PG_CONFIG:-/usr/lib/postgresql/15/bin/pg_config}
export LC_ALL=C.UTF-8

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# The Makefile's own extraction, into the scratch copy of po/.
mkdir -p "$work/po"
cp po/*.po "$work/po/"
make -s --no-print-directory PG_CONFIG="$PG_CONFIG" po-update-into PO_DIR="$work/po" >/dev/null

status=0

# PL/pgSQL: every refusal goes through bangfu.raise_error, with a key that
# src/messages.c has (a wrong key would only show at run time, as XX000).
# No RAISE EXCEPTION is left in the install scripts, not even in the
# install guards, which run before bangfu.raise_error exists or may be
# trusted: they raise through bangfu.install_refusal (issue 10; src/base.sql),
# and the register's scripts, which may meet an older bangfu, through a
# temporary function of the same C code.  (The update script from 0.2.0
# keeps the RAISEs of its earlier sections: its section "messages in
# Chinese" replaces those functions; the upgrade suite compares the result.)
keys=$(sed -n 's/^[[:space:]]*{"\([a-z_]*\)", \(NULL\|"[0-9A-Z]\{5\}"\),.*/\1/p' src/messages.c | sort -u)
used=$( { grep -ho "\(raise_error\|message_text\)('[a-z_]*'" src/*.sql src/update/bangfu--0.2.0--0.3.0.sql \
               src/update/bangfu_register--unpackaged--0.3.0.sql || true; } | sed "s/.*('//; s/'$//" | sort -u || true)
# the guards' keys (install_refusal): named in its call, or chosen before it
used="$used
$( { grep -ho "install_refusal('[a-z_]*'\|'\(install\|update\)_[a-z_]*'" src/*.sql src/update/bangfu--0.2.0--0.3.0.sql \
               src/update/bangfu_register--unpackaged.sql || true; } | sed "s/.*('//; s/^'//; s/'$//" | sort -u || true)"
# keys chosen by a CASE: CASE WHEN ... THEN 'key' ELSE 'key' END
used="$used
$( { grep -ho "raise_error(CASE WHEN .* END" src/*.sql || true; } | grep -o "\(THEN\|ELSE\) '[a-z_]*'" | sed "s/.* '//; s/'$//" | sort -u || true)"
for k in $used; do
    if ! grep -qx "$k" <<<"$keys"; then
        echo "po_check.sh: SQL raises bangfu message '$k', which src/messages.c does not have" >&2
        status=1
    fi
done
raises=$(grep -n "RAISE[[:space:]]\+EXCEPTION" src/*.sql src/update/bangfu_register--unpackaged.sql || true)
if [ -n "$raises" ]; then
    echo "po_check.sh: PL/pgSQL raises text gettext cannot translate; use bangfu.raise_error (po/README.md):" >&2
    echo "$raises" >&2
    status=1
fi

if ! diff -q <(grep '^msgid' po/bangfu.pot | sort) <(grep '^msgid' "$work/po/bangfu.pot" | sort) >/dev/null; then
    echo "po_check.sh: po/bangfu.pot is not what the sources give; run make po-update. New or gone:" >&2
    diff <(grep '^msgid' po/bangfu.pot | sort) <(grep '^msgid' "$work/po/bangfu.pot" | sort) | grep '^[<>]' | head -20 >&2 || true
    status=1
fi

for po in "$work"/po/*.po; do
    lang=$(basename "$po" .po)
    # msgfmt -c: the header, and every c-format translation has the same
    # placeholders as its message
    if ! stats=$(msgfmt --check -c --statistics -o /dev/null "$po" 2>&1); then
        echo "po_check.sh: po/$lang.po: msgfmt --check failed:" >&2
        echo "$stats" >&2
        status=1
        continue
    fi
    echo "po_check.sh: po/$lang.po against the sources: $stats"
    if grep -Eq 'untranslated|fuzzy' <<<"$stats"; then
        echo "po_check.sh: po/$lang.po is not complete; untranslated or fuzzy:" >&2
        msgattrib --untranslated "$po" 2>/dev/null | grep '^msgid' | head -20 >&2 || true
        msgattrib --only-fuzzy "$po" 2>/dev/null | grep '^msgid' | head -20 >&2 || true
        status=1
    fi
    # no translation in the committed file may be left fuzzy or empty either
    if ! cmp -s <(msgfmt --statistics -o /dev/null "po/$lang.po" 2>&1) <(echo "$stats"); then
        echo "po_check.sh: po/$lang.po differs from its merge with the sources; run make po-update and translate" >&2
        status=1
    fi
done
exit $status
