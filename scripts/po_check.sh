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
