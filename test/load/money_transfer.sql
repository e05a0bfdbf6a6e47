-- 一: finance moves money between the relief and the enterprise fund.
\set out random(0, 1)
\set amt random(5, 30) * 100
SELECT money_load.try_transfer(:out = 1, :amt);
