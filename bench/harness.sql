-- bench/harness.sql: the timing harness behind bench/run.sh.
--
-- A benchmark is a row of bench.cases: a label, a one-row query, and whether
-- it runs JIT-compiled. bench.run_section() runs every case of a section once to
-- warm up (caches, policy cache, buffers), then RUNS rounds round-robin
-- (a b c a b c ...) so that drift on a shared machine hits every case alike;
-- each execution's wall time goes into bench.runs and the best one counts.
--
-- Queries run through PL/pgSQL EXECUTE, i.e. the ordinary executor with no
-- client round trip and no EXPLAIN ANALYZE instrumentation, and are planned
-- afresh each time (EXECUTE never caches a plan).
--
-- Two clocks: wall time, and the backend's own on-CPU time from
-- /proc/self/schedstat (Linux, nanoseconds). The CPU clock does not count
-- time spent waiting for a CPU, so on a machine shared with builds and test
-- runs it is far steadier; ratios use it when it is available (the report
-- says which), wall time otherwise.
--
-- bench.ratios and bench.checks describe what the report compares; they are
-- filled by the section scripts next to the cases they refer to.

\set ON_ERROR_STOP on
SET client_min_messages = warning;

CREATE SCHEMA bench;

CREATE TABLE bench.cases (
    ord      serial,
    section  text NOT NULL,
    label    text PRIMARY KEY,
    descr    text NOT NULL,
    query    text NOT NULL,
    jit      boolean NOT NULL DEFAULT false,
    nrows    bigint NOT NULL,
    -- planner settings for this case only, as {name=value, ...} (e.g.
    -- {enable_sort=off}); set before each execution, put back after
    settings text[] NOT NULL DEFAULT '{}'
);

CREATE TABLE bench.runs (
    label    text NOT NULL REFERENCES bench.cases,
    round    integer NOT NULL,          -- 0 = warm-up, not counted
    ms       numeric NOT NULL,          -- wall clock
    cpu_ms   numeric,                   -- backend on-CPU time, NULL if unknown
    result   text
);

-- num / den, where den is the mean of the best times of one or more cases.
CREATE TABLE bench.ratios (
    ord      serial,
    section  text NOT NULL,
    name     text NOT NULL,
    num      text NOT NULL REFERENCES bench.cases,
    den      text[] NOT NULL,
    target   text,                      -- '<= 1.5', '>= 2', or NULL: information only
    note     text,                      -- shown whatever the value
    -- what the value means when the target is met / missed (e.g. 'bangfu
    -- faster' / 'Node.js faster'); a miss is also shown as value vs bound
    if_meets  text,
    if_misses text
);

-- Results that must agree exactly (a mismatch makes run.sh exit non-zero).
CREATE TABLE bench.checks (
    ord      serial,
    name     text NOT NULL,
    a        text NOT NULL REFERENCES bench.cases,
    b        text NOT NULL REFERENCES bench.cases
);

CREATE TABLE bench.notices (
    ord      serial,
    section  text NOT NULL,
    msg      text NOT NULL
);

CREATE FUNCTION bench.add_case(p_section text, p_label text, p_descr text, p_query text,
                               p_nrows bigint, p_jit boolean DEFAULT false,
                               p_settings text[] DEFAULT '{}')
RETURNS void LANGUAGE sql AS $$
    INSERT INTO bench.cases (section, label, descr, query, nrows, jit, settings)
    VALUES (p_section, p_label, p_descr, p_query, p_nrows, p_jit, p_settings);
$$;

-- Apply a case's settings ({name=value, ...}); returns what to put back.
CREATE FUNCTION bench.apply_settings(p_settings text[]) RETURNS text[]
LANGUAGE plpgsql AS $$
DECLARE
    kv  text;
    old text[] := '{}';
BEGIN
    FOREACH kv IN ARRAY p_settings LOOP
        old := old || (split_part(kv, '=', 1) || '=' || current_setting(split_part(kv, '=', 1)));
        PERFORM set_config(split_part(kv, '=', 1), substr(kv, strpos(kv, '=') + 1), false);
    END LOOP;
    RETURN old;
END
$$;

-- This backend's on-CPU time so far, in ns (first field of schedstat).
-- The kernel brings that figure up to date only at a tick or when the task
-- sleeps, so sleep a moment first; otherwise it is only good to a tick (4 ms).
CREATE FUNCTION bench.cpu_ns() RETURNS bigint LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_sleep(0.0005);
    RETURN split_part(pg_read_file('/proc/self/schedstat'), ' ', 1)::bigint;
EXCEPTION WHEN OTHERS THEN
    RETURN NULL;
END
$$;

CREATE FUNCTION bench.run_section(p_section text, p_rounds integer)
RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    c   record;
    r   integer;
    t0  timestamptz;
    t1  timestamptz;
    c0  bigint;
    c1  bigint;
    res text;
    old text[];
BEGIN
    FOR r IN 0 .. p_rounds LOOP
        FOR c IN SELECT * FROM bench.cases WHERE section = p_section ORDER BY ord LOOP
            -- jit: forced on at every level (by default, with parallel query
            -- off, these plans cost well under jit_above_cost and would not
            -- be compiled at all); otherwise off.
            PERFORM set_config('jit', CASE WHEN c.jit THEN 'on' ELSE 'off' END, false),
                    set_config('jit_above_cost', CASE WHEN c.jit THEN '0' ELSE '100000' END, false),
                    set_config('jit_inline_above_cost', CASE WHEN c.jit THEN '0' ELSE '500000' END, false),
                    set_config('jit_optimize_above_cost', CASE WHEN c.jit THEN '0' ELSE '500000' END, false);
            old := bench.apply_settings(c.settings);
            c0 := bench.cpu_ns();
            t0 := clock_timestamp();
            EXECUTE c.query INTO res;
            t1 := clock_timestamp();
            c1 := bench.cpu_ns();
            PERFORM bench.apply_settings(old);
            INSERT INTO bench.runs (label, round, ms, cpu_ms, result)
            VALUES (c.label, r,
                    round(extract(epoch FROM t1 - t0)::numeric * 1000, 1),
                    round((c1 - c0) / 1000000.0, 1),
                    res);
        END LOOP;
    END LOOP;
    PERFORM set_config('jit', 'off', false);
END
$$;

-- Best (minimum) and median of the counted rounds, and the warm-up's result.
-- t_ms is the figure ratios are computed from: CPU time if every run had it.
CREATE VIEW bench.best AS
SELECT c.ord, c.section, c.label, c.descr, c.nrows, c.jit,
       min(r.ms) FILTER (WHERE r.round > 0)                                 AS best_ms,
       percentile_cont(0.5) WITHIN GROUP (ORDER BY r.ms) FILTER (WHERE r.round > 0) AS median_ms,
       min(r.cpu_ms) FILTER (WHERE r.round > 0)                             AS best_cpu_ms,
       CASE WHEN bool_and(r.cpu_ms IS NOT NULL)
            THEN min(r.cpu_ms) FILTER (WHERE r.round > 0)
            ELSE min(r.ms) FILTER (WHERE r.round > 0) END                   AS t_ms,
       count(DISTINCT r.result)                                             AS distinct_results,
       min(r.result)                                                        AS result
FROM bench.cases c
JOIN bench.runs r USING (label)
GROUP BY c.ord, c.section, c.label, c.descr, c.nrows, c.jit;
