// bench/settle_publicodes.js: the caseload settled by publicodes (npm, the
// rules engine of the French administration), for bench/settle.sh: the
// comparison a policy office will ask for.
//
//   node bench/settle_publicodes.js NPM_DIR SAMPLE.csv EXACT.csv ROWS OUT
//
// NPM_DIR holds node_modules/publicodes (installed there by settle.sh).
// SAMPLE.csv: whole people's stays (id,person,date,cost).  The rules below
// are the shipped policy written as a publicodes model; the loop carries the
// person-year's use from stay to stay (publicodes has no notion of one) and
// asks the engine for each stay.  One warm-up round and one counted round.
// Writes OUT.runs ("round wall_ms cpu_ms checksum", times scaled from the
// sample to ROWS stays) and OUT.info (stays whose amounts differ from
// bangfu's exact ones in EXACT.csv).
'use strict';
const fs = require('fs');
const path = require('path');
const { performance } = require('perf_hooks');

const [npmDir, samplePath, exactPath, rowsArg, out] = process.argv.slice(2);
const Engine = require(require.resolve('publicodes', { paths: [path.resolve(npmDir)] })).default;

// 四(1) then 四(2), the shipped figures (spec §4).
const rules = {
    'cost': { valeur: '0' },
    'reduced before': { valeur: '0' },
    'relieved before': { valeur: '0' },
    'bed rate': {
        variations: [
            { si: 'cost <= 6000', alors: '10%' },
            { si: 'cost <= 12000', alors: '15%' },
            { si: 'cost <= 20000', alors: '20%' },
            { sinon: '25%' },
        ],
    },
    'bed by schedule': { valeur: 'cost * bed rate', arrondi: '2 décimales', plafond: '15000' },
    'bed room this year': { valeur: '20000 - reduced before', plancher: '0' },
    'reduction': { valeur: 'bed by schedule', plafond: 'bed room this year' },
    'owed': { valeur: 'cost - reduction' },
    'illness rate': {
        variations: [
            { si: 'owed <= 10000', alors: '60%' },
            { si: 'owed <= 20000', alors: '70%' },
            { sinon: '80%' },
        ],
    },
    'illness by schedule': { valeur: 'owed * illness rate', arrondi: '2 décimales' },
    'illness room this year': { valeur: '30000 - relieved before', plancher: '0' },
    'relief': { valeur: 'illness by schedule', plafond: 'illness room this year' },
};

const stays = fs.readFileSync(samplePath, 'latin1').split('\n').filter((l) => l !== '').map((l) => {
    const [id, person, date, cost] = l.split(',');
    return { id: +id, person: +person, date, year: +date.slice(0, 4), cost: parseFloat(cost) };
});
stays.sort((a, b) => (a.person - b.person) || (a.date < b.date ? -1 : a.date > b.date ? 1 : 0) || (a.id - b.id));

function settle(engine) {
    const res = new Map();
    let curPerson = -1, curYear = -1, reduced = 0, relieved = 0;
    for (const s of stays) {
        if (s.person !== curPerson || s.year !== curYear) {
            curPerson = s.person;
            curYear = s.year;
            reduced = 0;
            relieved = 0;
        }
        engine.setSituation({ 'cost': s.cost, 'reduced before': reduced, 'relieved before': relieved });
        const r = engine.evaluate('reduction').nodeValue;
        const l = engine.evaluate('relief').nodeValue;
        reduced += r;
        relieved += l;
        res.set(s.id, [r, l]);
    }
    return res;
}

const rows = parseInt(rowsArg, 10);
const scale = rows / stays.length;
const cpuMs = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };
const lines = [];
let res = null;
for (let round = 0; round <= 1; round++) {
    const engine = new Engine(rules);
    const w0 = performance.now(), c0 = cpuMs();
    res = settle(engine);
    const w1 = performance.now(), c1 = cpuMs();
    let a = 0n, b = 0n;
    for (const [r, l] of res.values()) {
        a += BigInt(Math.round(r * 100));
        b += BigInt(Math.round(l * 100));
    }
    const v = (a * 1000000000000n + b).toString().padStart(3, '0');
    lines.push(`${round} ${((w1 - w0) * scale).toFixed(1)} ${((c1 - c0) * scale).toFixed(1)} ${v.slice(0, -2)}.${v.slice(-2)}`);
}

const fen = (t) => { const [w, f = ''] = t.split('.'); return parseInt(w, 10) * 100 + parseInt((f + '00').slice(0, 2), 10); };
let offRed = 0, offRel = 0, offAny = 0, n = 0;
for (const line of fs.readFileSync(exactPath, 'latin1').split('\n')) {
    if (line === '') continue;
    const [sid, er, el] = line.split(',');
    const got = res.get(parseInt(sid, 10));
    if (got === undefined) continue;
    n++;
    const dr = Math.round(got[0] * 100) !== fen(er);
    const dl = Math.round(got[1] * 100) !== fen(el);
    if (dr) offRed++;
    if (dl) offRel++;
    if (dr || dl) offAny++;
}
fs.writeFileSync(out + '.runs', lines.join('\n') + '\n');
fs.writeFileSync(out + '.info',
    `${offAny} of ${n} stays differ from bangfu's amounts (${offRed} reductions, ${offRel} reliefs); ` +
    `${(lines[1].split(' ')[2] / scale / n * 1e6).toFixed(0)} ns of CPU a stay`);
