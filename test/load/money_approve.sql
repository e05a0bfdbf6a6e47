-- 二: a clerk approves a relief grant (education, 1,000 to 2,000) for a household.
\set h random(1, :households)
\set d random(0, 333)
\set amt random(10, 20) * 100
SELECT money_load.try_approve(:h, :d, :amt);
