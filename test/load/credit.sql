-- A credit to a fund, now and then, so disbursements keep competing.
\set f random(1, :funds)
\set amt random(20, 80) * 10
SELECT load.try_entry('f' || :f, :amt);
