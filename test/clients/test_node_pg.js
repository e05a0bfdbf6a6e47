// test/clients/test_node_pg.js: bangfu from Node.js with node-postgres
// (`pg` from npm), as a county web form or report service uses it: default
// settings, default search_path, connection from the libpq environment
// (PGHOST, PGPORT, PGUSER, PGDATABASE).  Run by scripts/clients_test.sh,
// which installs `pg` into a scratch directory and sets NODE_PATH.
//
// node-postgres sends parameters untyped (the server infers them), so
// `id = $1` compares with an identity number; it returns numeric as a
// string (exact) and parses json with JSON.parse, whose numbers are
// doubles: an application that needs the explanation's amounts exactly
// keeps jsonb as text (types.setTypeParser for jsonb, OID 3802), as below.
'use strict';
const { Client, types } = require('pg');
const assert = require('assert');

let count = 0;
let failures = 0;
function check(name, fn) {
  count += 1;
  try {
    fn();
    console.log(`ok ${count} - ${name}`);
  } catch (e) {
    failures += 1;
    console.log(`not ok ${count} - ${name}`);
    console.log(`#   ${String(e.message).split('\n').join('\n#   ')}`);
  }
}

async function main() {
  const client = new Client();
  await client.connect();
  const one = async (q, params) => (await client.query(q, params)).rows[0];

  const sp = await one('SHOW search_path');
  check('the session has the default search_path', () => assert.strictEqual(sp.search_path, '"$user", public'));

  let r = await one('SELECT name FROM person WHERE id = $1', ['110105491231002']);
  check('cnid = $1, untyped (a 15-digit legacy number)', () => assert.strictEqual(r.name, '王某'));
  r = await one('SELECT name FROM person WHERE $1 = id', ['11010519491231002x']);
  check('$1 = cnid (lower-case x)', () => assert.strictEqual(r.name, '王某'));
  r = await one('SELECT name FROM person WHERE id = $1::text', ['440524188001010014']);
  check('cnid = $1::text', () => assert.strictEqual(r.name, '李某'));
  r = await one('SELECT name FROM person WHERE id = $1::varchar', ['440524188001010014']);
  check('cnid = $1::varchar', () => assert.strictEqual(r.name, '李某'));
  r = await one('SELECT count(*)::int AS n FROM person WHERE id = ANY ($1::text[])', [['440524188001010014', '11010519491231002X']]);
  check('cnid = ANY ($1::text[])', () => assert.strictEqual(r.n, 2));

  // A JDBC tool's varchar parameter, at the protocol level: PgJDBC's
  // setString sends a Parse message declaring the parameter varchar (OID
  // 1043), npgsql declares text (OID 25). node-postgres passes a query's
  // `types` array on to Parse as those OIDs (it also asks it for result
  // parsers, hence getTypeParser).
  const declared = (oid) => Object.assign([oid], { getTypeParser: types.getTypeParser });
  r = await one({ text: 'SELECT name, pg_typeof($1)::text AS sent FROM person WHERE id = $1',
                  values: ['11010519491231002x'], types: declared(1043) });
  check('cnid = $1 declared varchar in Parse (PgJDBC setString)',
        () => assert.deepStrictEqual(r, { name: '王某', sent: 'character varying' }));
  r = await one({ text: 'SELECT name, pg_typeof($1)::text AS sent FROM person WHERE $1 = id',
                  values: ['440524188001010014'], types: declared(25) });
  check('$1 declared text in Parse = cnid (npgsql)',
        () => assert.deepStrictEqual(r, { name: '李某', sent: 'text' }));

  // The same with a statement prepared in SQL for a varchar parameter.
  await client.query('PREPARE by_varchar(varchar) AS SELECT name FROM person WHERE id = $1');
  r = await one('EXECUTE by_varchar(\'11010519491231002X\')');
  check('cnid = varchar parameter (PREPARE ... (varchar))', () => assert.strictEqual(r.name, '王某'));

  const joined = (await client.query(
    `SELECT p.id, p.name, sum(s.cost) AS cost FROM stay s JOIN person p ON p.id = s.person
      GROUP BY p.id, p.name ORDER BY p.id`)).rows;
  check('join on the cnid foreign key', () => assert.deepStrictEqual(joined, [
    { id: '11010519491231002X', name: '王某', cost: '66000.01' },
    { id: '440524188001010014', name: '李某', cost: '50.00' },
  ]));

  try {
    await client.query('SELECT name FROM person WHERE id = $1', ['11010519491231002A']);
    check('cnid = a bad number is refused', () => assert.fail('no error'));
  } catch (e) {
    check('cnid = a bad number is refused with 22P02', () => assert.strictEqual(e.code, '22P02'));
  }

  // What arrives: text forms and amounts as strings, never numbers.
  r = await one(`SELECT p.id, bangfu.mask(p.id) AS mask,
                        'flat: [0,6000] 10%, (6000,) 15%'::bangfu.tiers AS tiers,
                        bangfu.medical_reduction(6000.01, '2026-03-01') AS red,
                        bangfu.medical_reduction(s.cost, '2026-03-01') AS red_stay
                   FROM person p JOIN stay s ON s.person = p.id WHERE s.stay = $1`, [2]);
  check('cnid arrives as a string', () => assert.strictEqual(r.id, '11010519491231002X'));
  check('mask arrives as a string', () => assert.strictEqual(r.mask, '110105********002X'));
  check('tiers arrives as a string in its canonical form', () => assert.strictEqual(r.tiers, 'flat: [0,6000] 10%, (6000,) 15%'));
  check('四(1) 15 % of 6000.01 arrives as the exact string 900.00', () => assert.strictEqual(r.red, '900.00'));
  check('四(1) capped at 15000 arrives as the exact string', () => assert.strictEqual(r.red_stay, '15000.00'));

  // A date (八(1) birth date, 二 grant dates) becomes a JS Date at local
  // midnight by default, a moment rather than a day; kept as text it is the day.
  types.setTypeParser(1082, (text) => text);
  r = await one('SELECT bangfu.birth_date(id) AS born FROM person WHERE id = $1', ['11010519491231002X']);
  check('a date kept as text is the day itself', () => assert.strictEqual(r.born, '1949-12-31'));

  // The explanation, kept as text so its amounts stay exact.
  types.setTypeParser(3802, (text) => text);
  r = await one('SELECT bangfu.medical_reduction_explain(60000, $1, 15000) AS e', ['2026-03-01']);
  check('explanation arrives as a string', () => assert.strictEqual(typeof r.e, 'string'));
  check('explanation: amounts as written by the server', () => {
    assert.match(r.e, /"result": 5000\.00[,}]/);
    assert.match(r.e, /"amount": 60000\.00[,}]/);
  });
  check('explanation: rule names its clause', () => assert.match(r.e, /"rule": "四\(1\) charity-bed reduction"/));

  await client.end();
  console.log(`1..${count}`);
  if (failures) {
    console.log(`# ${failures} of ${count} failed`);
    process.exit(1);
  }
}

main().catch((e) => {
  console.log(`not ok - ${e.stack}`);
  process.exit(1);
});
