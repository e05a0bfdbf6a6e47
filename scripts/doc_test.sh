#!/usr/bin/env bash
#
# scripts/doc_test.sh: every SQL example in the docs runs, so none can rot.
#
#   bash scripts/doc_test.sh [FILE.md ...]     # default: every *.md of the repo
#
# Which files: every *.md in the repository (README.md, doc/**, any new one),
# found by `git ls-files` plus untracked files not ignored; vendored or
# generated trees are not tracked, so they are not read.
#
# The convention, for whoever writes a doc (README "Contributing" says it too):
#
#   ```sql      SQL a reader copies and runs. Run as written; it must not fail.
#
#   ```psql     A psql session, pasted from a real run. A line starting with
#               "=# " starts a statement; it goes on, line after line (a
#               leading "-# " is dropped), until a line ending in ";" (a
#               trailing "-- comment" may follow) or, for a backslash
#               command, at its end of line. Every other line is what psql
#               printed, and must be what it prints now: results, command
#               tags (INSERT 0 1), "(1 row)", errors with their DETAIL and
#               HINT. Trailing spaces and blank lines around an output are
#               not compared. CONTEXT lines are not printed
#               (SHOW_CONTEXT never), nor compared.
#
#   ```sh, ```text, ``` ...   Not run. A block with no language whose first
#               line is "=#" or starts with an SQL keyword is an error: say
#               ```sql or ```psql (or ```text if it really must not run).
#
# Each file runs, block after block in file order, in one psql session on a
# fresh database that already has CREATE EXTENSION bangfu -- unless the file
# runs CREATE EXTENSION bangfu itself, then the database starts empty. So a
# doc shows every table it uses (a reader can copy them too), and a later
# example may use what an earlier one created, as a reader would. Examples
# that must not change the database for the next ones (a refused insert)
# simply show their error in a ```psql block.
#
# When the prose describes a state it does not show (a database still at
# 0.2.0; a register that holds data), an HTML comment, invisible on the
# rendered page, sets it up; prefer showing the SQL when a reader needs it:
#
#   <!-- doc-test: new database          from here on: a new, empty database
#   CREATE EXTENSION bangfu VERSION '0.2.0';     (then this SQL, if any)
#   -->
#   <!-- doc-test: setup                 this SQL, in the current session
#   INSERT INTO bangfu_register.county_year VALUES (2026, 20000);
#   -->
#
# DOC_TEST_UPDATE=1 first labels bare blocks that start with SQL ```psql
# (adding "=# " prompts to a session pasted without them), then rewrites the
# output lines of every ```psql statement whose output differs with what
# psql printed (as copying results/ over expected/ does for pg_regress),
# except where psql now prints an ERROR the doc does not show: review
# `git diff` before committing.
#
# Server: reuses the cluster of scripts/test.sh (cluster_ensure), else
# starts and removes its own. Exits non-zero when any example fails, after
# printing the file, line and a diff for each.
set -euo pipefail
cd "$(dirname "$0")/.."
exec </dev/null

export PG_CONFIG=${PG_CONFIG:-/usr/lib/postgresql/15/bin/pg_config}
export LC_ALL=C.UTF-8 PGCLIENTENCODING=UTF8
# shellcheck source=scripts/cluster.sh
source scripts/cluster.sh
cluster_ensure

if [ $# -gt 0 ]; then
    files=("$@")
else
    if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
        mapfile -t files < <(git ls-files --cached --others --exclude-standard -- '*.md' | sort -u)
    else
        # A copy of the tree without git (scripts/pg17.sh's Debian 13 root):
        # every *.md but in hidden, build and dependency directories.
        mapfile -t files < <(find . \( -name '.?*' -o -name node_modules -o -name debian \
                                        -o -name results -o -name output_iso \) -prune -o \
                                    -name '*.md' -type f -print | sed 's|^\./||' | sort -u)
    fi
    # No examples at all means the wrong files were read: a failure, below.
fi

run_docs() {
    python3 - "$@" <<'PYTHON'
import difflib
import os
import re
import subprocess
import sys

SQL_START = re.compile(
    r'^\s*(=#|(SELECT|INSERT|UPDATE|DELETE|CREATE|ALTER|DROP|WITH|GRANT|REVOKE|'
    r'SET|RESET|BEGIN|COMMIT|ROLLBACK|TRUNCATE|CALL|DO|EXPLAIN|COPY|COMMENT|VALUES)\b)',
    re.IGNORECASE)
STMT_END = re.compile(r';\s*(--.*)?$')
OWN_EXTENSION = re.compile(r'create\s+extension\s+(if\s+not\s+exists\s+)?"?bangfu\b"?(?!_)',
                           re.IGNORECASE)


def blocks(path):
    """Fenced blocks of a markdown file: (info, first line number, lines)."""
    out, info, start, body, directive = [], None, 0, [], None
    with open(path, encoding='utf-8') as f:
        for n, line in enumerate(f, 1):
            line = line.rstrip('\n')
            fence = re.match(r'^(\s*)(```+|~~~+)\s*(.*)$', line)
            if directive is not None:
                if line.strip().endswith('-->'):
                    rest = line.strip()[:-3].strip()
                    if rest:
                        directive[2].append(rest)
                    out.append(tuple(directive) + (0,))
                    directive = None
                else:
                    directive[2].append(line)
            elif info is None and re.match(r'^<!--\s*doc-test:', line):
                m = re.match(r'^<!--\s*doc-test:\s*(new database|setup)\s*(.*)$', line)
                if not m:
                    out.append(('!bad directive', n, [line], 0))
                    continue
                directive = ['!' + m.group(1), n, []]
                rest = m.group(2)
                if rest.strip().endswith('-->'):
                    rest = rest.strip()[:-3]
                    if rest.strip():
                        directive[2].append(rest)
                    out.append(tuple(directive) + (0,))
                    directive = None
                elif rest.strip():
                    directive[2].append(rest)
            elif info is None and fence:
                # a block inside a list item is indented: so is its body
                info, start, body, indent = fence.group(3).strip(), n + 1, [], len(fence.group(1))
            elif info is not None and fence and not fence.group(3).strip():
                out.append((info, start, body, indent))
                info = None
            elif info is not None:
                lead = len(line) - len(line.lstrip(' '))
                body.append(line[min(lead, indent):])
    return out


def units(path):
    """What to run: (kind, line, sql, expected output or None).
    Also returns the problems found while reading."""
    todo, problems = [], []
    for info, start, body, indent in blocks(path):
        lang = info.split()[0].lower() if info else ''
        if info == '!new database':
            todo.append(('newdb', start, '\n'.join(body), None))
        elif info == '!setup':
            todo.append(('sql', start, '\n'.join(body), None))
        elif info == '!bad directive':
            problems.append('%s:%d: unknown directive (say "doc-test: new database" or '
                            '"doc-test: setup"): %s' % (path, start, body[0]))
        elif lang == 'sql':
            todo.append(('sql', start, '\n'.join(body), None))
        elif lang == 'psql':
            i = 0
            while i < len(body):
                line = body[i]
                if not line.startswith('=#'):
                    if line.strip():
                        problems.append('%s:%d: output before any "=# " statement in a ```psql block'
                                        % (path, start + i))
                    i += 1
                    continue
                first = start + i
                text = [line[2:].lstrip(' ')]
                if not text[0].startswith('\\'):
                    while not STMT_END.search(text[-1]) and i + 1 < len(body):
                        i += 1
                        nxt = body[i]
                        text.append(nxt[3:] if nxt.startswith('-# ') else nxt)
                    if not STMT_END.search(text[-1]):
                        problems.append('%s:%d: statement without a closing ";"' % (path, first))
                i += 1
                expect, at = [], start + i
                while i < len(body) and not body[i].startswith('=#'):
                    expect.append(body[i])
                    i += 1
                todo.append(('psql', first, '\n'.join(text), (at, expect, ' ' * indent)))
        elif lang == '':
            first = next((l for l in body if l.strip()), '')
            if SQL_START.match(first):
                problems.append('%s:%d: SQL in a block with no language: label it ```sql (run) '
                                'or ```psql (run and compared), or ```text' % (path, start - 1))
    return todo, problems


TAG = re.compile(r'^(CREATE [A-Z ]+|INSERT \d+ \d+|UPDATE \d+|DELETE \d+|SET|RESET|BEGIN|COMMIT|'
                 r'ROLLBACK|GRANT|REVOKE|DROP [A-Z ]+|ALTER [A-Z ]+|COMMENT|TRUNCATE TABLE|DO|CALL)$')


def label(path):
    """DOC_TEST_UPDATE: a bare block that starts with SQL becomes ```psql;
    a session pasted without prompts (psql -a style) gets "=# " before each
    statement and three spaces before its continuation lines."""
    with open(path, encoding='utf-8') as f:
        lines = f.read().split('\n')
    changed, i = 0, 0
    while i < len(lines):
        m = re.match(r'^(\s*)```+\s*(.*)$', lines[i])
        if not m:
            i += 1
            continue
        ind, j = m.group(1), i + 1
        while j < len(lines) and lines[j].strip() != '```':
            j += 1
        body = [l[len(ind):] if l.startswith(ind) else l for l in lines[i + 1:j]]
        first = next((l for l in body if l.strip()), '')
        if not m.group(2).strip() and SQL_START.match(first):
            changed += 1
            lines[i] = ind + '```psql'
            if not any(l.startswith('=#') for l in body):
                inside = False
                for k, l in enumerate(body, i + 1):
                    if not inside and SQL_START.match(l) and not TAG.match(l.strip()):
                        lines[k], inside = ind + '=# ' + l, not STMT_END.search(l)
                    elif inside:
                        lines[k], inside = ind + '   ' + l, not STMT_END.search(l)
        i = j + 1
    if changed:
        with open(path, 'w', encoding='utf-8') as f:
            f.write('\n'.join(lines))
        print('doc_test.sh: %s: %d bare SQL blocks labelled ```psql (DOC_TEST_UPDATE=1)' % (path, changed))


# The severity words psql prints come from the server's own catalog, which
# Debian 12's postgresql-15 lacks in Chinese and Debian 13's postgresql-17
# has: a doc showing bangfu's Chinese messages reads the same on both.
SEVERITY = {'错误:': 'ERROR:', '详细信息:': 'DETAIL:', '提示:': 'HINT:',
            '注意:': 'NOTICE:', '警告:': 'WARNING:'}


def norm(lines):
    lines = [l.rstrip() for l in lines]
    for i, l in enumerate(lines):
        for zh, en in SEVERITY.items():
            if l.startswith(zh):
                lines[i] = en + l[len(zh):]
    while lines and not lines[0]:
        lines.pop(0)
    while lines and not lines[-1]:
        lines.pop()
    return lines


def psql(db, script):
    return subprocess.run(['psql', '-X', '-P', 'pager=off', '-d', db], input=script, text=True,
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT).stdout


def run_file(path, n):
    todo, problems = units(path)
    if not todo:
        return 0, 0, problems
    # Segments: the file's start, then each "doc-test: new database".
    cuts = [0] + [k for k, u in enumerate(todo) if u[0] == 'newdb' and k > 0] + [len(todo)]
    parts, db = {}, 'bangfu_doc_%d' % n
    for first, last in zip(cuts, cuts[1:]):
        seg = list(enumerate(todo))[first:last]
        psql('postgres', 'DROP DATABASE IF EXISTS %s;\nCREATE DATABASE %s;\n' % (db, db))
        script = ['\\set SHOW_CONTEXT never']
        # the file's first part gets bangfu unless it creates it itself; a
        # new database starts empty but for its directive's SQL
        if seg[0][1][0] != 'newdb' and not any(OWN_EXTENSION.search(u[2]) for _, u in seg):
            script.append('SET client_min_messages = warning;\nCREATE EXTENSION bangfu CASCADE;\n'
                          'RESET client_min_messages;')
        for k, (_, _, sql, _) in seg:
            script.append('\\echo <<doc-test %d>>' % k)
            script.append(sql)
        script.append('\\echo <<doc-test end>>')
        out = psql(db, '\n'.join(script) + '\n')
        cur = None
        for line in out.split('\n'):
            m = re.match(r'^<<doc-test (\d+|end)>>$', line)
            if m:
                cur = m.group(1)
                parts[cur] = []
            elif cur is not None:
                parts[cur].append(line)
            elif line.strip() and not re.match(r'^(SET|RESET|CREATE EXTENSION)$', line):
                problems.append('%s: before the first example: %s' % (path, line))
        if 'end' not in parts:
            problems.append('%s: the session did not reach the end:\n%s' % (path, out[-2000:]))
        parts.pop('end', None)
    psql('postgres', 'DROP DATABASE IF EXISTS %s;\n' % db)
    compared = 0
    replace = {}
    for k, (kind, line, sql, expect) in enumerate(todo):
        got = norm(parts.get(str(k), []))
        if kind in ('sql', 'newdb'):
            errs = [l for l in got if re.match(r'^(ERROR|FATAL|PANIC):', l)]
            if errs:
                problems.append('%s:%d: ```sql example or doc-test directive fails:\n    %s\n%s'
                                % (path, line, sql.replace('\n', '\n    '), '\n'.join(got)))
        else:
            compared += 1
            at, expect, indent = expect
            want = norm(expect)
            new_error = any(l.startswith('ERROR:') for l in got) and \
                not any(l.startswith('ERROR:') for l in want)
            if got != want and UPDATE and not new_error:
                # the doc's output lines become what psql printed; blank
                # lines after it (before the next statement) are kept
                replace[at] = (len(expect), [indent + l if l else l for l in got] +
                               ([''] if expect and not expect[-1].strip() else []))
            elif got != want:
                diff = difflib.unified_diff(want, got, 'doc', 'psql now', lineterm='', n=2)
                problems.append('%s:%d: output differs for\n    %s\n%s'
                                % (path, line, sql.replace('\n', '\n    '), '\n'.join(diff)))
    if replace:
        with open(path, encoding='utf-8') as f:
            lines = f.read().split('\n')
        for at in sorted(replace, reverse=True):
            count, new = replace[at]
            lines[at - 1:at - 1 + count] = new
        with open(path, 'w', encoding='utf-8') as f:
            f.write('\n'.join(lines))
        print('doc_test.sh: %s: %d outputs rewritten (DOC_TEST_UPDATE=1): review git diff' % (path, len(replace)))
    return len(todo), compared, problems


UPDATE = os.environ.get('DOC_TEST_UPDATE') == '1'
failed = 0
total = 0
# Roles belong to the cluster: the login roles the examples make (a clerk of
# doc/security.md) are dropped at the end, so that the docs run again on the
# same cluster (bangfu's group roles stay: other databases may grant to them).
def login_roles():
    out = psql('postgres', "SELECT '<role>' || rolname FROM pg_roles WHERE rolcanlogin;\n")
    return set(re.findall(r'^ <role>(.*)$', out, re.M))


roles_before = login_roles()
for n, path in enumerate(sys.argv[1:]):
    if not os.path.exists(path):
        continue
    if UPDATE:
        label(path)
    ran, compared, problems = run_file(path, n)
    total += ran
    if problems:
        failed += 1
        print('doc_test.sh: %s: FAILED' % path)
        for p in problems:
            print(p)
            print()
    elif ran:
        print('doc_test.sh: %s: %d examples ran, %d outputs compared' % (path, ran, compared))
for role in sorted(login_roles() - roles_before):
    psql('postgres', 'DROP ROLE IF EXISTS "%s";\n' % role.replace('"', '""'))
print('doc_test.sh: %d examples in %d files; %d files failed' % (total, len(sys.argv) - 1, failed))
sys.exit(1 if failed or not total else 0)
PYTHON
}

# The runner must be able to fail: a doc whose shown output is wrong, one
# whose ```sql fails and a bare block of SQL are each caught, or nothing
# else this script says can be trusted.
# (No trap here: cluster_ensure's EXIT trap stops a cluster of our own.)
selftest=$(mktemp -d /tmp/bangfu-doc-test.XXXXXX)
printf '%s\n' '```psql' "=# SELECT bangfu.mask('11010519491231002X');" '        mask' \
    '--------------------' ' 110105********0000' '(1 row)' '```' >"$selftest/wrong_output.md"
printf '%s\n' '```sql' 'SELECT * FROM no_such_table;' '```' >"$selftest/failing_sql.md"
printf '%s\n' '```' 'SELECT 1;' '```' >"$selftest/bare_block.md"
for f in "$selftest"/*.md; do
    if DOC_TEST_UPDATE=0 run_docs "$f" >"$selftest/out" 2>&1; then
        echo "doc_test.sh: self-test: $(basename "$f") was not caught:" >&2
        cat "$selftest/out" >&2
        rm -rf "$selftest"
        exit 1
    fi
done
rm -rf "$selftest"
echo "doc_test.sh: self-test: a wrong output, a failing example and a bare SQL block are caught"

run_docs "${files[@]}"
