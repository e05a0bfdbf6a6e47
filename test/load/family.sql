-- Two hot people in one transaction, in random order: two such
-- transactions in opposite order get one success and one 40001 (retried).
\set a random(1, 20)
\set b random(1, 20)
\set amt random(50, 300) * 10
\set d random(0, 364)
SELECT load.try_family('p' || :a, 'p' || ((:a + (:b % 19)) % 20 + 1), :amt, date '2025-01-01' + :d);
