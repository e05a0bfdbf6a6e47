-- A relief grant (二), once per household per year, over two years.
\set h random(1, :households)
\set d random(0, 729)
SELECT load.try_grant('h' || :h, date '2024-01-01' + :d);
