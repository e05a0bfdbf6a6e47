-- A disbursement from a small fund; refused when the balance would go below zero.
\set f random(1, :funds)
\set amt random(5, 40) * 10
SELECT load.try_entry('f' || :f, -:amt);
