-- 二: finance pays the next installment of a grant.
\set k random(0, 100000)
SELECT money_load.try_pay(:k);
