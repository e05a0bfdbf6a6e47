-- A charity-bed claim into the reject table, READ COMMITTED.
\set p random_zipfian(1, :people, 1.1)
\set amt random(100, 1200) * 10
\set d random(0, 364)
SELECT load.try_stay('stays_reject', 'p' || :p, :amt, date '2025-01-01' + :d);
