"""test/clients/test_psycopg2.py: bangfu from Python with Debian's psycopg2
(python3-psycopg2), the way a county report script uses it: default
settings, default search_path, connection from the libpq environment
(PGHOST, PGPORT, PGUSER, PGDATABASE).  Run by scripts/clients_test.sh.

Asserts what arrives in Python: identity numbers and tiers as str, amounts
as decimal.Decimal with two places (never float), the jsonb explanation
with exact amounts once json is read with parse_float=Decimal (psycopg2's
default json reader would make them float: see doc/clients.md).
"""
import decimal
import json
import sys

import psycopg2
import psycopg2.errors
import psycopg2.extras

D = decimal.Decimal
failures = 0
count = 0


def check(name, got, want):
    global failures, count
    count += 1
    ok = got == want and type(got) is type(want)
    print(("ok %d - " if ok else "not ok %d - ") % count + name)
    if not ok:
        failures += 1
        print("#   got  %r (%s)\n#   want %r (%s)" % (got, type(got).__name__, want, type(want).__name__))


def no_float(value):
    """True when nothing inside a decoded json value is a float."""
    if isinstance(value, float):
        return False
    if isinstance(value, dict):
        return all(no_float(v) for v in value.values())
    if isinstance(value, list):
        return all(no_float(v) for v in value)
    return True


conn = psycopg2.connect("")
conn.autocommit = True
cur = conn.cursor()

cur.execute("SHOW search_path")
check("the session has the default search_path", cur.fetchone()[0], '"$user", public')

# psycopg2 interpolates parameters as quoted literals (type unknown).
cur.execute("SELECT name FROM person WHERE id = %s", ("110105491231002",))
check("cnid = %s (a 15-digit legacy number)", cur.fetchone()[0], "王某")
cur.execute("SELECT name FROM person WHERE %s = id", ("11010519491231002x",))
check("%s = cnid (lower-case x)", cur.fetchone()[0], "王某")
cur.execute("SELECT count(*) FROM person WHERE id IN %s", (("11010519491231002X", "440524188001010014"),))
check("cnid IN %s", cur.fetchone()[0], 2)
cur.execute("SELECT name FROM person WHERE id = %s::text", ("440524188001010014",))
check("cnid = %s::text", cur.fetchone()[0], "李某")
cur.execute("SELECT count(*) FROM person WHERE id = ANY (%s::text[])", (["440524188001010014", "11010519491231002X"],))
check("cnid = ANY (%s::text[])", cur.fetchone()[0], 2)

# A JDBC tool's varchar parameter.
cur.execute("PREPARE by_varchar(varchar) AS SELECT name FROM person WHERE id = $1")
cur.execute("EXECUTE by_varchar(%s)", ("440524188001010014",))
check("cnid = varchar parameter (PREPARE ... (varchar))", cur.fetchone()[0], "李某")

# The join along the foreign key.
cur.execute("""SELECT p.id, p.name, sum(s.cost) FROM stay s JOIN person p ON p.id = s.person
               GROUP BY p.id, p.name ORDER BY p.id""")
rows = cur.fetchall()
check("join on the cnid foreign key", rows,
      [("11010519491231002X", "王某", D("66000.01")), ("440524188001010014", "李某", D("50.00"))])

# A string that is no identity number: 22P02, as for a literal.
try:
    cur.execute("SELECT name FROM person WHERE id = %s::varchar", ("11010519491231002A",))
    check("cnid = a bad number is refused", "no error", "22P02")
except psycopg2.errors.InvalidTextRepresentation as e:
    check("cnid = a bad number is refused with 22P02", e.pgcode, "22P02")

# What arrives: text forms as str, amounts as Decimal, never float.
cur.execute("""SELECT p.id, bangfu.mask(p.id), bangfu.birth_date(p.id)::text,
                      'flat: [0,6000] 10%, (6000,) 15%'::bangfu.tiers,
                      bangfu.medical_reduction(6000.01, '2026-03-01'),
                      bangfu.medical_reduction(s.cost, '2026-03-01')
                 FROM person p JOIN stay s ON s.person = p.id WHERE s.stay = 2""")
pid, mask, born, tiers, red, red_stay = cur.fetchone()
check("cnid arrives as str", pid, "11010519491231002X")
check("mask arrives as str", mask, "110105********002X")
check("birth_date", born, "1949-12-31")
check("tiers arrives as str in its canonical form", tiers, "flat: [0,6000] 10%, (6000,) 15%")
check("四(1) 15 % of 6000.01 arrives as Decimal", red, D("900.00"))
check("四(1) 25 % of 60000 capped at 15000, as Decimal", red_stay, D("15000.00"))
check("the Decimal keeps two places", str(red), "900.00")

# The explanation: json read with exact decimals.
psycopg2.extras.register_default_jsonb(conn_or_curs=conn, loads=lambda s: json.loads(s, parse_float=D))
cur.execute("SELECT bangfu.medical_reduction_explain(60000, '2026-03-01', 15000)")
explained = cur.fetchone()[0]
check("explanation: result is Decimal", explained["result"], D("5000.00"))
check("explanation: amount is Decimal", explained["amount"], D("60000.00"))
check("explanation: yearly cap is Decimal", explained["yearly_cap"], D("20000.00"))
check("explanation: no float anywhere", no_float(explained), True)
check("explanation: rule names its clause", explained["rule"], "四(1) charity-bed reduction")

conn.close()
print("1..%d" % count)
if failures:
    print("# %d of %d failed" % (failures, count))
    sys.exit(1)
