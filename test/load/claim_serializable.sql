-- A claim at SERIALIZABLE into the clamp table.
\set p random_zipfian(1, :people, 1.1)
\set amt random(100, 1200) * 10
\set d random(0, 364)
BEGIN ISOLATION LEVEL SERIALIZABLE;
SELECT load.try_stay('stays_clamp', 'p' || :p, :amt, date '2025-01-01' + :d);
END;
