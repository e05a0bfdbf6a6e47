// bench/settle_node.js: the hand-written loop a developer would write in
// Node.js to settle a caseload (四(1) then 四(2), the yearly caps stay after
// stay), with JavaScript numbers (binary floats), for bench/settle.sh.
//
//   node bench/settle_node.js STAYS.csv RUNS EXACT.csv OUT
//
// STAYS.csv: id,person,date,cost as COPY writes bench.settle_stays (any
// order: the loop sorts by person, date, id like the window does).
// Runs RUNS + 1 rounds (round 0 warms up); each reads and parses the file,
// then sorts and settles.  Writes:
//   OUT.read  "round wall_ms cpu_ms checksum" with the file read and parse
//   OUT.loop  the same without them (sort and settle only)
//   OUT.info  how many stays' amounts differ from EXACT.csv (bangfu's), and
//             the process's peak memory
// checksum = sum(reduction) * 10^12 + sum(relief), printed to the fen, as the
// SQL cases compute it.
'use strict';
const fs = require('fs');
const { performance } = require('perf_hooks');

const [staysPath, runsArg, exactPath, out] = process.argv.slice(2);
const runs = parseInt(runsArg, 10);

// The shipped policy, written into the program as a developer would.
function bedRate(cost) {
    if (cost <= 6000) return 0.10;
    if (cost <= 12000) return 0.15;
    if (cost <= 20000) return 0.20;
    return 0.25;
}
function illnessRate(owed) {
    if (owed <= 10000) return 0.60;
    if (owed <= 20000) return 0.70;
    return 0.80;
}
const round2 = (x) => Math.round(x * 100) / 100;

function readStays(path) {
    const text = fs.readFileSync(path, 'latin1');
    let n = 0;
    for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) n++;
    const id = new Int32Array(n), person = new Int32Array(n), day = new Int32Array(n), year = new Int32Array(n);
    const cost = new Float64Array(n);
    let pos = 0;
    for (let r = 0; r < n; r++) {
        const end = text.indexOf('\n', pos);
        const line = text.substring(pos, end);
        pos = end + 1;
        const c1 = line.indexOf(','), c2 = line.indexOf(',', c1 + 1), c3 = line.indexOf(',', c2 + 1);
        id[r] = parseInt(line.substring(0, c1), 10);
        person[r] = parseInt(line.substring(c1 + 1, c2), 10);
        const y = parseInt(line.substring(c2 + 1, c2 + 5), 10);
        const m = parseInt(line.substring(c2 + 6, c2 + 8), 10);
        const d = parseInt(line.substring(c2 + 9, c2 + 11), 10);
        year[r] = y;
        day[r] = y * 10000 + m * 100 + d;
        cost[r] = parseFloat(line.substring(c3 + 1));
    }
    return { n, id, person, day, year, cost };
}

function settle(s) {
    const { n, id, person, day, year, cost } = s;
    const order = new Uint32Array(n);
    for (let i = 0; i < n; i++) order[i] = i;
    order.sort((a, b) => (person[a] - person[b]) || (day[a] - day[b]) || (id[a] - id[b]));
    const red = new Float64Array(n), rel = new Float64Array(n);
    let curPerson = -1, curYear = -1, reduced = 0, relieved = 0;
    for (let k = 0; k < n; k++) {
        const i = order[k];
        if (person[i] !== curPerson || year[i] !== curYear) {
            curPerson = person[i];
            curYear = year[i];
            reduced = 0;
            relieved = 0;
        }
        const c = cost[i];
        let r = Math.min(15000, round2(c * bedRate(c)));
        r = Math.min(r, Math.max(0, 20000 - reduced));
        const owed = c - r;
        let l = round2(owed * illnessRate(owed));
        l = Math.min(l, Math.max(0, 30000 - relieved));
        reduced += r;
        relieved += l;
        red[i] = r;
        rel[i] = l;
    }
    return { red, rel };
}

function checksum(res) {
    let a = 0, b = 0;
    for (let i = 0; i < res.red.length; i++) {
        a += Math.round(res.red[i] * 100);
        b += Math.round(res.rel[i] * 100);
    }
    // sum(reduction) * 10^12 + sum(relief), from whole fen (BigInt: exact)
    const v = BigInt(a) * 1000000000000n + BigInt(b);
    const s = v.toString().padStart(3, '0');
    return s.slice(0, -2) + '.' + s.slice(-2);
}

const cpuMs = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };
const readLines = [], loopLines = [];
let last = null, lastStays = null;
for (let round = 0; round <= runs; round++) {
    const w0 = performance.now(), c0 = cpuMs();
    const stays = readStays(staysPath);
    const w1 = performance.now(), c1 = cpuMs();
    const res = settle(stays);
    const w2 = performance.now(), c2 = cpuMs();
    const sum = checksum(res);
    readLines.push(`${round} ${(w2 - w0).toFixed(1)} ${(c2 - c0).toFixed(1)} ${sum}`);
    loopLines.push(`${round} ${(w2 - w1).toFixed(1)} ${(c2 - c1).toFixed(1)} ${sum}`);
    last = res;
    lastStays = stays;
}

// Compare with bangfu's exact amounts, to the fen.
const exactText = fs.readFileSync(exactPath, 'latin1');
const index = new Map();
for (let i = 0; i < lastStays.n; i++) index.set(lastStays.id[i], i);
let offRed = 0, offRel = 0, offAny = 0, rows = 0;
// "123.45" as 12345 fen, read from the text (no float on the exact side)
const fen = (t) => { const [w, f = ''] = t.split('.'); return parseInt(w, 10) * 100 + parseInt((f + '00').slice(0, 2), 10); };
for (const line of exactText.split('\n')) {
    if (line === '') continue;
    const [sid, er, el] = line.split(',');
    const i = index.get(parseInt(sid, 10));
    rows++;
    // differs: what the program holds, shown to the fen, is another amount
    const dr = Math.round(last.red[i] * 100) !== fen(er);
    const dl = Math.round(last.rel[i] * 100) !== fen(el);
    if (dr) offRed++;
    if (dl) offRel++;
    if (dr || dl) offAny++;
}
fs.writeFileSync(out + '.read', readLines.join('\n') + '\n');
fs.writeFileSync(out + '.loop', loopLines.join('\n') + '\n');
fs.writeFileSync(out + '.info',
    `${offAny} of ${rows} stays differ from bangfu's amounts (${offRed} reductions, ${offRel} reliefs); ` +
    `peak memory ${Math.round(process.resourceUsage().maxRSS / 1024)} MB`);
