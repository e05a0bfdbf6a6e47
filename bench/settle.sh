#!/usr/bin/env bash
#
# bench/settle.sh: issue 12, a caseload settled in one pass, measured against
# the one-sort floor, today's four-pass form, the inline CASE with windows, a
# PL/pgSQL loop, a hand-written Node.js loop and publicodes (npm).  Run by
# bench/run.sh (`bash bench/run.sh settle`) with its cluster and harness:
# PGHOST/PGPORT/PGUSER set, PGDATABASE = the bench database, bench.* there.
# Every SQL form is timed three ways over the same table (bench/settle.sql):
# sorted (no index path), in the order of an index on (person, d, id) and
# with a covering index (person, d, id) INCLUDE (cost), no Sort in the plan
# of the last two; each plan is checked before it is timed.  The grouped
# form (medical_settle_grouped(person, cost, d, id) OVER ()) sorts nothing
# and reads no index whatever the settings, so it is timed once.
#
# Environment:
#   SETTLE_ROWS     stays, default 1000000 (of SETTLE_ROWS/10 people)
#   SETTLE_SAMPLE   stays given to publicodes, default 100000 (whole people)
#   SETTLE_SCALES   stay counts for the growth and memory lines, default
#                   "SETTLE_ROWS 4xSETTLE_ROWS 8xSETTLE_ROWS"
#   SETTLE_WORK_MEM work_mem for every query here, default 1GB (sorts stay
#                   in memory, as Node's does)
#   RUNS            counted runs per case (from run.sh)
#   NODE            the Node.js binary, default node (Debian's nodejs)
#
# Node and publicodes are timed in their own process (CPU and wall time of
# the computation, and for Node also with the CSV read and parsed); their
# figures are put into bench.cases/bench.runs so that the report shows them
# beside the SQL forms.  publicodes is installed with npm into a scratch
# directory that goes with the cluster; nothing is written into the tree.
set -euo pipefail
cd "$(dirname "$0")/.."

ROWS=${SETTLE_ROWS:-1000000}
SAMPLE=${SETTLE_SAMPLE:-100000}
RUNS=${RUNS:-5}
WORKMEM=${SETTLE_WORK_MEM:-1GB}
NODE=${NODE:-node}
SCALES=${SETTLE_SCALES:-"$ROWS $((ROWS * 4)) $((ROWS * 8))"}
PUBLICODES_VERSION=1.10.3
scratch="${BANGFU_CLUSTER_DIR:?run me from bench/run.sh}/settle"
mkdir -p "$scratch"
log="$scratch/log"
q() { psql -X -q -v ON_ERROR_STOP=1 "$@"; }
say() { echo "settle.sh: $*" >&2; }
notice() { q -c "INSERT INTO bench.notices (section, msg) VALUES ('settle', \$n\$$1\$n\$)"; }

# ---- the SQL forms ------------------------------------------------------------
say "bench/settle.sql, $ROWS stays ..."
q -v rows="$ROWS" -v rounds="$RUNS" -v workmem="$WORKMEM" -f bench/settle.sql >>"$log" 2>&1 || {
    tail -n 30 "$log" >&2
    exit 1
}

# ---- the same stays for the other languages: CSV files written by COPY --------
# stays.csv: id, person, date, cost (in table order: the programs sort them);
# exact.csv: id, reduction, relief as bangfu settles them, to count the stays
# where a program's amounts differ.
q -c "COPY bench.settle_stays TO STDOUT (FORMAT csv)" >"$scratch/stays.csv"
# the same stays exported in the index's order, as a county with the index
# would write them (the program still sorts: it cannot assume the order)
q -c "COPY (SELECT * FROM bench.settle_stays ORDER BY person, d, id) TO STDOUT (FORMAT csv)" >"$scratch/stays_sorted.csv"
q -c "COPY (SELECT id, (s).reduction, (s).relief FROM
              (SELECT id, bangfu.medical_settle(cost, d) OVER (PARTITION BY person ORDER BY d, id) AS s
                 FROM bench.settle_stays) x) TO STDOUT (FORMAT csv)" >"$scratch/exact.csv"
every=$(( (ROWS + SAMPLE - 1) / SAMPLE ))
q -c "COPY (SELECT * FROM bench.settle_stays WHERE person % $every = 0) TO STDOUT (FORMAT csv)" >"$scratch/sample.csv"
sample_rows=$(wc -l <"$scratch/sample.csv")

# add_external LABEL DESCR NROWS FILE: one case measured outside the server;
# FILE holds "round wall_ms cpu_ms result" lines (round 0 = warm-up).
add_external() {
    q -c "SELECT bench.add_case('settle', '$1', \$d\$$2\$d\$, '-- measured outside the server', $3)" >/dev/null
    while read -r round wall cpu result; do
        q -c "INSERT INTO bench.runs (label, round, ms, cpu_ms, result) VALUES ('$1', $round, $wall, $cpu, '$result')"
    done <"$4"
}

# ---- a hand-written Node.js loop (floats) -------------------------------------
if command -v "$NODE" >/dev/null 2>&1; then
    say "bench/settle_node.js ($("$NODE" --version)) ..."
    "$NODE" bench/settle_node.js "$scratch/stays.csv" "$RUNS" "$scratch/exact.csv" "$scratch/node" >>"$log" 2>&1 || {
        tail -n 30 "$log" >&2
        exit 1
    }
    "$NODE" bench/settle_node.js "$scratch/stays_sorted.csv" "$RUNS" "$scratch/exact.csv" "$scratch/node_sorted" >>"$log" 2>&1 || {
        tail -n 30 "$log" >&2
        exit 1
    }
    add_external settle_node_read "Node.js loop (floats), reading and parsing the CSV file" "$ROWS" "$scratch/node.read"
    add_external settle_node "Node.js loop (floats), data already in memory" "$ROWS" "$scratch/node.loop"
    add_external settle_node_read_sorted "Node.js loop (floats), reading the CSV file written in (person, d, id) order" \
        "$ROWS" "$scratch/node_sorted.read"
    notice "Node.js $("$NODE" --version): $(cat "$scratch/node.info")"
    # A miss says which way (bench/report.sql): below 1, Node.js is faster.
    q -c "INSERT INTO bench.ratios (section, name, num, den, target, note, if_meets, if_misses) VALUES
            ('settle', 'Node.js loop with the file read / one pass', 'settle_node_read', '{settle_one}', '>= 1', NULL,
             'bangfu faster', 'Node.js faster'),
            ('settle', 'Node.js loop, no file read / one pass', 'settle_node', '{settle_one}', NULL, NULL, NULL, NULL),
            ('settle', 'Node.js loop with the file read / keyed one pass', 'settle_node_read', '{settle_keyed}', '>= 1', NULL,
             'bangfu faster', 'Node.js faster'),
            ('settle', 'Node.js loop, no file read / keyed one pass', 'settle_node', '{settle_keyed}', NULL, NULL, NULL, NULL),
            ('settle', 'Node.js loop with the file read / one pass [index order, no sort]', 'settle_node_read',
             '{settle_one_ix}', '>= 1', NULL, 'bangfu faster', 'Node.js faster'),
            ('settle', 'Node.js loop with the file read / one pass [covering index, no sort]', 'settle_node_read',
             '{settle_one_cover}', '>= 1', NULL, 'bangfu faster', 'Node.js faster'),
            ('settle', 'Node.js loop reading a file in index order / one pass [covering index, no sort]',
             'settle_node_read_sorted', '{settle_one_cover}', '>= 1', NULL, 'bangfu faster', 'Node.js faster'),
            ('settle', 'Node.js loop, no file read / one pass [covering index, no sort]', 'settle_node',
             '{settle_one_cover}', NULL, NULL, NULL, NULL),
            ('settle', 'Node.js loop with the file read / grouped one pass', 'settle_node_read', '{settle_grouped}',
             '>= 1', NULL, 'bangfu faster', 'Node.js faster'),
            ('settle', 'Node.js loop, no file read / grouped one pass', 'settle_node', '{settle_grouped}', NULL, NULL,
             NULL, NULL)"
else
    notice "Node.js: skipped ($NODE not found; apt-get install nodejs npm)"
fi

# ---- publicodes, on a sample of whole people ----------------------------------
if command -v "$NODE" >/dev/null 2>&1 && command -v npm >/dev/null 2>&1 &&
    npm install --prefix "$scratch/npm" --no-audit --no-fund --no-save --silent \
        "publicodes@$PUBLICODES_VERSION" >>"$log" 2>&1; then
    say "bench/settle_publicodes.js on $sample_rows stays ..."
    "$NODE" bench/settle_publicodes.js "$scratch/npm" "$scratch/sample.csv" "$scratch/exact.csv" \
        "$ROWS" "$scratch/publicodes" >>"$log" 2>&1 || {
        tail -n 30 "$log" >&2
        exit 1
    }
    add_external settle_publicodes \
        "publicodes $PUBLICODES_VERSION (npm) on $sample_rows stays, time scaled to $ROWS" "$ROWS" "$scratch/publicodes.runs"
    notice "publicodes $PUBLICODES_VERSION on $sample_rows stays (people with person % $every = 0): $(cat "$scratch/publicodes.info")"
    q -c "INSERT INTO bench.ratios (section, name, num, den, target, note) VALUES
            ('settle', 'publicodes / one pass (per stay)', 'settle_publicodes', '{settle_one}', NULL, 'from a sample, scaled'),
            ('settle', 'publicodes / grouped one pass (per stay)', 'settle_publicodes', '{settle_grouped}', NULL,
             'from a sample, scaled')"
else
    notice "publicodes: skipped (node/npm missing, or npm install publicodes@$PUBLICODES_VERSION failed)"
fi

# ---- scale: 1x, 4x, 8x; and the backend's peak memory ------------------------
# Each size in a table of its own (same generator, same indexes); the floor
# and the one pass (and the keyed one pass), sorted, in index order and with
# the covering index
# (bench.settle_variants, plans checked as above), and the grouped one pass
# once (its plan is the same in every variant: a Seq Scan, no Sort), then
# each one pass once more in a fresh backend whose memory is sampled from
# /proc every 20 ms: private memory (RssAnon) at its peak, and VmHWM (peak
# resident, which also counts the shared buffers it touched).  What to
# expect: sorted, the Sort holds the whole caseload in work_mem (memory
# grows with the stays); in index order the window keeps only the current
# partition (one person's stays), so private memory stays flat.  The
# grouped form holds the whole caseload too, in its hash table (about 200
# bytes a stay, refused beyond work_mem times hash_mem_multiplier: 2GB at
# the default 1GB, enough for 8,000,000 stays), and the window's store
# keeps every row of its one partition.  VmHWM also counts the shared
# buffers the backend touched (the table, the index).
sample_mem() {
    local pid=$1 peak_anon=0 hwm=0 a
    while [ -r "/proc/$pid/status" ]; do
        a=$(awk '/^RssAnon:/ {print $2}' "/proc/$pid/status" 2>/dev/null || echo 0)
        h=$(awk '/^VmHWM:/ {print $2}' "/proc/$pid/status" 2>/dev/null || echo 0)
        [ -n "$a" ] && [ "$a" -gt "$peak_anon" ] && peak_anon=$a
        [ -n "$h" ] && [ "$h" -gt "$hwm" ] && hwm=$h
        if [ -f "$scratch/mem.done" ]; then break; fi
        sleep 0.02
    done
    echo "$peak_anon $hwm"
}
# peak_mem SETTINGS QUERY: "MB private, MB VmHWM" of a fresh backend running
# QUERY after the SET commands in SETTINGS.
peak_mem() {
    local pid="" mem
    rm -f "$scratch/mem.done" "$scratch/mem.out"
    (
        psql -X -q -At -v ON_ERROR_STOP=1 -c "SET work_mem = '$WORKMEM'; $1" \
            -c "SELECT pg_backend_pid()" -c "SELECT pg_sleep(0.2)" -c "$2" \
            >"$scratch/mem.out" 2>>"$log"
        touch "$scratch/mem.done"
    ) &
    for _ in $(seq 100); do
        pid=$(head -n 1 "$scratch/mem.out" 2>/dev/null || true)
        [ -n "$pid" ] && break
        sleep 0.05
    done
    mem=$(sample_mem "$pid")
    wait
    awk '{printf "%.0f MB private (RssAnon), %.0f MB VmHWM", $1 / 1024, $2 / 1024}' <<<"$mem"
}
# the settings of bench.settle_variants, as SET commands
variant_set() {
    q -At -c "SELECT string_agg(format('SET %s = %L', split_part(kv, '=', 1), split_part(kv, '=', 2)), '; ')
                FROM bench.settle_variants, unnest(settings) kv WHERE suffix = '$1'"
}
prev=""
for n in $SCALES; do
    say "scale $n stays ..."
    q -v n="$n" -v workmem="$WORKMEM" >>"$log" 2>&1 <<'SQL'
SET work_mem = :'workmem';
SELECT setseed(0.1212);
CREATE TABLE bench.settle_scale_:n AS
SELECT g AS id, 1 + floor(power(random(), 1.6) * greatest(1, :n / 10))::integer AS person,
       DATE '2025-01-01' + floor(random() * 730)::integer AS d,
       least(1000000, round(exp(ln(7000) + 1.0 * sqrt(-2 * ln(1 - random()))
                                              * cos(2 * pi() * random()))::numeric, 2))::numeric(12,2) AS cost
  FROM generate_series(1, :n) g;
SET maintenance_work_mem = :'workmem';
\set ix_order settle_scale_ :n _order
\set ix_cover settle_scale_ :n _cover
CREATE INDEX :"ix_order" ON bench.settle_scale_:n (person, d, id);
CREATE INDEX :"ix_cover" ON bench.settle_scale_:n (person, d, id) INCLUDE (cost);
VACUUM ANALYZE bench.settle_scale_:n;
CREATE TEMP TABLE scale_cases AS
SELECT v.ord AS vord, f.ord AS ford, v.suffix, v.descr, v.settings, v.expect, f.label, f.what,
       format(f.q, :n) AS q
  FROM bench.settle_variants v CROSS JOIN (VALUES
    (1, 'floor', 'floor',
     'SELECT sum(s) FROM (SELECT sum(cost) OVER (PARTITION BY person ORDER BY d, id) AS s FROM bench.settle_scale_%s) x'),
    (2, 'one', 'one pass',
     'SELECT sum((s).reduction) * 1000000000000 + sum((s).relief) FROM (SELECT bangfu.medical_settle(cost, d) OVER (PARTITION BY person ORDER BY d, id) AS s FROM bench.settle_scale_%s) x'),
    (3, 'keyed', 'keyed one pass',
     'SELECT sum((s).reduction) * 1000000000000 + sum((s).relief) FROM (SELECT bangfu.medical_settle(cost, d, id) OVER (PARTITION BY person) AS s FROM bench.settle_scale_%s) x')
  ) f(ord, label, what, q);
-- the grouped form once, with the first variant's settings: it has no
-- order to sort for or to take from an index, so the variants are one plan
INSERT INTO scale_cases
SELECT v.ord, 4, v.suffix, v.descr, v.settings, 'none', 'grouped', 'grouped one pass',
       format('SELECT sum((s).reduction) * 1000000000000 + sum((s).relief) FROM (SELECT bangfu.medical_settle_grouped(person, cost, d, id) OVER () AS s FROM bench.settle_scale_%s) x', :n)
  FROM bench.settle_variants v WHERE v.ord = 1;
SELECT bench.settle_plan_check(label || suffix || '_' || :n, q, settings, expect) FROM scale_cases;
SELECT bench.add_case('settle-scale', label || suffix || '_' || :n, format('%s at %s stays%s', what, :n, descr),
                      q, :n, false, settings)
  FROM scale_cases ORDER BY vord, ford;
SQL
    one="SELECT sum((s).reduction) FROM (SELECT bangfu.medical_settle(cost, d) OVER (PARTITION BY person ORDER BY d, id) AS s FROM bench.settle_scale_$n) x"
    mem_sorted=$(peak_mem "$(variant_set '')" "$one")
    mem_ix=$(peak_mem "$(variant_set _ix)" "$one")
    mem_cover=$(peak_mem "$(variant_set _cover)" "$one")
    keyed="SELECT sum((s).reduction) FROM (SELECT bangfu.medical_settle(cost, d, id) OVER (PARTITION BY person) AS s FROM bench.settle_scale_$n) x"
    mem_keyed=$(peak_mem "$(variant_set '')" "$keyed")
    grouped="SELECT sum((s).reduction) FROM (SELECT bangfu.medical_settle_grouped(person, cost, d, id) OVER () AS s FROM bench.settle_scale_$n) x"
    mem_grouped=$(peak_mem "$(variant_set '')" "$grouped")
    notice "peak memory of the backend settling $n stays in one pass: sorted $mem_sorted; in index order $mem_ix; with the covering index $mem_cover; keyed, sorted by person $mem_keyed; grouped, no sort $mem_grouped"
    # few rounds at the big sizes
    scale_runs=$(( RUNS < 2 ? RUNS : 2 ))
    q -c "SET work_mem = '$WORKMEM'" -c "SELECT bench.run_section('settle-scale', $scale_runs)" >>"$log" 2>&1
    # run_section runs every case of its section: the sizes measured go to
    # a section of their own, out of the next size's way
    q -c "UPDATE bench.cases SET section = 'settle-scale-$n' WHERE section = 'settle-scale'"
    q -c "INSERT INTO bench.checks (name, a, b) VALUES
            ('one pass at $n stays: sorted = in index order', 'one_$n', 'one_ix_$n'),
            ('one pass at $n stays: sorted = with the covering index', 'one_$n', 'one_cover_$n'),
            ('one pass at $n stays: ORDER BY = keyed', 'one_$n', 'keyed_$n'),
            ('one pass at $n stays: ORDER BY = grouped', 'one_$n', 'grouped_$n')"
    if [ -n "$prev" ]; then
        x=$(awk -v a="$n" -v b="$prev" 'BEGIN {printf "%.1f", a / b}')
        q -c "INSERT INTO bench.ratios (section, name, num, den, target, note) VALUES
                ('settle-scale-$n', 'one pass: time at $n / at $prev stays', 'one_$n', '{one_$prev}', NULL, 'x$x stays'),
                ('settle-scale-$n', 'floor: time at $n / at $prev stays', 'floor_$n', '{floor_$prev}', NULL, NULL),
                ('settle-scale-$n', 'one pass in index order: time at $n / at $prev stays', 'one_ix_$n', '{one_ix_$prev}',
                 NULL, 'x$x stays'),
                ('settle-scale-$n', 'floor in index order: time at $n / at $prev stays', 'floor_ix_$n', '{floor_ix_$prev}',
                 NULL, NULL),
                ('settle-scale-$n', 'one pass with the covering index: time at $n / at $prev stays', 'one_cover_$n',
                 '{one_cover_$prev}', NULL, 'x$x stays'),
                ('settle-scale-$n', 'floor with the covering index: time at $n / at $prev stays', 'floor_cover_$n',
                 '{floor_cover_$prev}', NULL, NULL),
                ('settle-scale-$n', 'keyed one pass: time at $n / at $prev stays', 'keyed_$n', '{keyed_$prev}', NULL,
                 'x$x stays'),
                ('settle-scale-$n', 'grouped one pass: time at $n / at $prev stays', 'grouped_$n', '{grouped_$prev}',
                 NULL, 'x$x stays')"
    fi
    q -c "INSERT INTO bench.ratios (section, name, num, den, target, note) VALUES
            ('settle-scale-$n', 'one pass / floor at $n stays', 'one_$n', '{floor_$n}', NULL, NULL),
            ('settle-scale-$n', 'one pass / floor at $n stays [index order, no sort]', 'one_ix_$n', '{floor_ix_$n}', NULL, NULL),
            ('settle-scale-$n', 'one pass / floor at $n stays [covering index, no sort]', 'one_cover_$n', '{floor_cover_$n}',
             NULL, NULL),
            ('settle-scale-$n', 'one pass sorted / in index order at $n stays', 'one_$n', '{one_ix_$n}', NULL, NULL),
            ('settle-scale-$n', 'one pass sorted / with the covering index at $n stays', 'one_$n', '{one_cover_$n}',
             NULL, NULL),
            ('settle-scale-$n', 'keyed one pass / floor at $n stays', 'keyed_$n', '{floor_$n}', NULL, NULL),
            ('settle-scale-$n', 'keyed one pass / one pass at $n stays', 'keyed_$n', '{one_$n}', NULL, NULL),
            ('settle-scale-$n', 'grouped one pass / floor at $n stays', 'grouped_$n', '{floor_$n}', NULL, NULL)"
    q -c "DROP TABLE bench.settle_scale_$n"
    prev=$n
done
