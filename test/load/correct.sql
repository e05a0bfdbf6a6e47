-- A clerk corrects a hot person's latest stay: delete it, halve it, or
-- move it to another person (refused or 40001 when that one is full/busy).
\set p random_zipfian(1, :people, 1.1)
\set action random(0, 2)
\set q random_zipfian(1, :people, 1.1)
SELECT load.try_correct('p' || :p, :action, 'p' || :q);
