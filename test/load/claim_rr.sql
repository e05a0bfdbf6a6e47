-- A claim at REPEATABLE READ: a stale snapshot is answered with 40001,
-- which pgbench --max-tries retries.
\set p random_zipfian(1, :people, 1.1)
\set amt random(100, 1200) * 10
\set d random(0, 364)
BEGIN ISOLATION LEVEL REPEATABLE READ;
SELECT load.try_stay('stays_reject', 'p' || :p, :amt, date '2025-01-01' + :d);
END;
