#!/usr/bin/env python3
"""scripts/raise_to_messages.py: turn PL/pgSQL RAISE EXCEPTION statements into
bangfu.raise_error calls, so that gettext can translate them (issue 10).

    python3 scripts/raise_to_messages.py src/limits.sql src/register.sql ...

Run from the top of the tree.  Each RAISE EXCEPTION 'format', args USING
ERRCODE = ..., DETAIL = ..., HINT = ... whose SQLSTATE, message, detail and
hint match an entry of src/messages.c is replaced by
    PERFORM bangfu.raise_error('key', args..., detail args..., hint args...);
(DETAIL and HINT may be literals or format(...) calls; %L and %I arguments
become quote_nullable(...) and quote_ident(...)).  A RAISE with no entry is
listed and left alone: add its entry to src/messages.c (English, with %s for
each argument; see po/README.md), run `make po-update`, translate it in
po/zh_CN.po, and run this again.  A message chosen by a CASE must be split
into one entry per branch by hand.  RAISEs of the install scripts' safety
checks (they run before bangfu's own functions may be trusted) are skipped.
Functions changed in an extension's install script must be changed in its
update script too (src/update/).  Maintainer's tool: not run by the tests.
"""
import re, sys

SKIP = ('will not install', 'already holds a ready register', 'cannot be installed in a database with encoding',
        'there is no register of bangfu 0.2.0', 'extension bangfu is older than the register')
CODES = {'invalid_parameter_value': '22023', 'check_violation': '23514',
         'object_not_in_prerequisite_state': '55000', 'undefined_column': '42703',
         'duplicate_table': '42P07', 'insufficient_privilege': '42501',
         'foreign_key_violation': '23503', 'unique_violation': '23505',
         'dependent_objects_still_exist': '2BP01', 'program_limit_exceeded': '54000',
         'undefined_object': '42704', 'untranslatable_character': '22P05'}

def cstr(s):
    return bytes(s, 'utf-8').decode('unicode_escape').encode('latin-1').decode('utf-8') if s is not None else None

def catalog():
    src = open('src/messages.c').read()
    ent = []
    part = r'(?:BF_MSG\(\s*"((?:[^"\\]|\\.)*)"\s*\)|NULL)'
    for m in re.finditer(r'\{"(\w+)",\s*(?:"(\w{5})"|NULL),\s*' + part + r',\s*' + part + r',\s*' + part + r'\s*\}', src):
        k, st, msg, det, hint = m.groups()
        ent.append((k, st, cstr(msg), cstr(det), cstr(hint)))
    return ent

def sql_string(text, i):
    # text[i] == "'"; returns (value, end index after closing quote)
    assert text[i] == "'"
    j = i + 1
    out = []
    while True:
        if text[j] == "'":
            if j + 1 < len(text) and text[j + 1] == "'":
                out.append("'"); j += 2; continue
            return ''.join(out), j + 1
        out.append(text[j]); j += 1

def split_top(s, sep=','):
    parts, depth, cur, i = [], 0, '', 0
    while i < len(s):
        c = s[i]
        if c == "'":
            v, j = sql_string(s, i)
            cur += s[i:j]; i = j; continue
        if c in '([': depth += 1
        if c in ')]': depth -= 1
        if c == sep and depth == 0:
            parts.append(cur.strip()); cur = ''; i += 1; continue
        cur += c; i += 1
    if cur.strip(): parts.append(cur.strip())
    return parts

def find_end(text, i):
    depth = 0
    while True:
        c = text[i]
        if c == "'":
            _, i = sql_string(text, i); continue
        if c in '(': depth += 1
        if c in ')': depth -= 1
        if c == ';' and depth == 0:
            return i
        i += 1

def plpgsql_to_c(fmt):
    return fmt.replace('%%', '\0').replace('%', '%s').replace('\0', '%%')

def literal_to_c(s):
    return s.replace('%', '%%')

def format_to_c(fmt, args):
    # format('...%s..%L..', a, b): C text with %s; args quoted as format does
    out, k, newargs, i = '', 0, [], 0
    while i < len(fmt):
        if fmt[i] == '%':
            t = fmt[i + 1]
            if t == '%':
                out += '%%'; i += 2; continue
            a = args[k]; k += 1
            newargs.append({'s': a, 'L': 'quote_nullable(%s)' % a, 'I': 'quote_ident(%s)' % a}[t])
            out += '%s'; i += 2; continue
        out += fmt[i]; i += 1
    return out, newargs

def part_expr(expr):
    # returns (c_text, args) or None if not convertible
    expr = expr.strip()
    if expr.startswith("'"):
        v, j = sql_string(expr, 0)
        if expr[j:].strip() == '':
            return literal_to_c(v), []
        return None
    m = re.match(r'(?:pg_catalog\.)?format\(', expr)
    if m and expr.endswith(')'):
        inner = split_top(expr[m.end():-1])
        fmt, j = sql_string(inner[0], 0)
        return format_to_c(fmt, inner[1:])
    return None

def convert(path, cat):
    text = open(path).read()
    out, pos, problems = [], 0, []
    for m in re.finditer(r"RAISE EXCEPTION '", text):
        if m.start() < pos:
            continue
        line_start = text.rfind('\n', 0, m.start()) + 1
        if text[line_start:m.start()].strip().startswith('--'):
            continue
        end = find_end(text, m.start())
        stmt = text[m.start():end]
        fmt, j = sql_string(text, m.end() - 1)
        if any(s in fmt for s in SKIP):
            continue
        rest = text[j:end]
        um = re.search(r'\bUSING\b', rest)
        argstr, using = (rest[:um.start()], rest[um.end():]) if um else (rest, '')
        args = split_top(argstr.strip().lstrip(',').strip()) if argstr.strip() else []
        opts = {}
        for o in split_top(using):
            k, v = o.split('=', 1)
            opts[k.strip().upper()] = v.strip()
        code = CODES.get(opts.get('ERRCODE', "'P0001'").strip("'"), opts.get('ERRCODE'))
        cmsg = plpgsql_to_c(fmt)
        det = part_expr(opts['DETAIL']) if 'DETAIL' in opts else (None, [])
        hint = part_expr(opts['HINT']) if 'HINT' in opts else (None, [])
        lineno = text.count('\n', 0, m.start()) + 1
        if det is None or hint is None:
            problems.append('%s:%d: DETAIL/HINT not convertible: %s' % (path, lineno, fmt)); continue
        hits = [e for e in cat if e[1] == code and e[2] == cmsg and e[3] == det[0] and e[4] == hint[0]]
        if len(hits) != 1:
            problems.append('%s:%d: no catalog entry (%s) for %r detail %r hint %r' % (path, lineno, code, cmsg, det[0], hint[0])); continue
        key = hits[0][0]
        allargs = args + det[1] + hint[1]
        indent = text[line_start:m.start()]
        call = "PERFORM bangfu.raise_error('%s'%s)" % (key, ''.join(', ' + a for a in allargs))
        if len(indent) + len(call) > 110:
            call = "PERFORM bangfu.raise_error('%s',\n%s%s)" % (key, indent + ' ' * 27, (',\n' + indent + ' ' * 27).join(allargs))
        out.append(text[pos:m.start()]); out.append(call); pos = end
    out.append(text[pos:])
    new = ''.join(out)
    open(path, 'w').write(new)
    return problems

if len(sys.argv) < 2 or sys.argv[1] in ('-h', '--help'):
    print(__doc__)
    sys.exit(0)
cat = catalog()
probs = []
for f in sys.argv[1:]:
    probs += convert(f, cat)
for p in probs:
    print(p)
sys.exit(1 if probs else 0)
