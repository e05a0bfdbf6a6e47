-- test/upgrade/register_rows.sql: a populated ready register in a database
-- at an earlier version (where the register was part of extension bangfu),
-- for scripts/upgrade_test.sh: households, members, an exclusion, relief
-- grants (二), medical stays (四), a fund disbursement and its reversal
-- (一), a policy version, and a limit of the county's own (its cap a
-- function, a regprocedure before 0.3.0) attached by hand to a register
-- table.  The update must keep every row and the ledger, and the
-- attachment, which a dump of the updated database must carry too.
-- Of the two grants, the second's first installment is marked paid (0.2.0
-- recorded payments so); adopting commits the three unpaid installments.
\set ON_ERROR_STOP 1
SET client_min_messages = warning;

-- A valid identity number (GB 11643-1999 check digit) for person n.
CREATE FUNCTION pg_temp.id(n integer) RETURNS bangfu.cnid
LANGUAGE sql AS $$
    SELECT (p || substr('10X98765432'::text,
                        ((SELECT sum(substr(p, i, 1)::integer * w[i]) FROM generate_series(1, 17) i) % 11 + 1)::integer,
                        1))::bangfu.cnid
      FROM (SELECT '11010519800101' || lpad(n::text, 3, '0') AS p,
                   ARRAY[7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2] AS w) s
$$;

INSERT INTO bangfu.policy (param, valid_from, amount, note)
VALUES ('medical.charity_bed.yearly_cap', '2025-07-01', 25000, 'county raises the yearly cap (十二)');
INSERT INTO bangfu_register.county_year (year, urban_households) VALUES (2025, 100);
INSERT INTO bangfu_register.household (head, address, urban, lost_capacity)
SELECT pg_temp.id(n), 'Street ' || n, true, true FROM generate_series(1, 3) n;
INSERT INTO bangfu_register.member (household_id, id, name, relation)
SELECT h.id, h.head, 'head ' || h.id, '户主' FROM bangfu_register.household h;
INSERT INTO bangfu_register.exclusion (household_id, reason, in_force)
SELECT id, 'refused_training', '[2025-06-01,)' FROM bangfu_register.household WHERE head::text = pg_temp.id(3)::text;
INSERT INTO bangfu_register.relief_grant (household_id, reason, amount, granted_on)
SELECT h.id, 'education', 1500, '2025-04-01' FROM bangfu_register.household h ORDER BY h.id LIMIT 2;
INSERT INTO bangfu_register.medical_stay (person, discharged, cost) VALUES
    (pg_temp.id(1), '2025-02-20', 100000), (pg_temp.id(1), '2025-08-20', 60000), (pg_temp.id(2), '2025-05-05', 8000);
INSERT INTO bangfu_register.fund_entry (fund, program, amount, booked_on, note)
SELECT 'relief', 'relief_grant', -g.amount, g.granted_on, 'grant ' || g.id FROM bangfu_register.relief_grant g ORDER BY g.id;
INSERT INTO bangfu_register.fund_entry (fund, program, amount, booked_on, reverses, note)
SELECT fund, program, -amount, booked_on + 1, id, 'reversal' FROM bangfu_register.fund_entry
 WHERE note = 'grant ' || (SELECT min(id) FROM bangfu_register.relief_grant);
UPDATE bangfu_register.relief_grant SET paid_first_on = granted_on
 WHERE id = (SELECT max(id) FROM bangfu_register.relief_grant);

-- A limit of the county's own, attached by hand to the register's stays: at
-- most 5 a person a year (its cap a function: the update turns the
-- regprocedure into text; the attachment must survive a dump after it).
CREATE FUNCTION public.up_stays_cap(date) RETURNS numeric LANGUAGE sql IMMUTABLE AS $$ SELECT 5::numeric $$;
INSERT INTO bangfu.limit_def (name, clause, unit, period, cap_function, description)
VALUES ('county_stays_yearly', '县', 'rows', 'year', 'public.up_stays_cap(date)', 'at most 5 stays a person a year');
\connect
SET client_min_messages = warning;
DO $$ BEGIN
    PERFORM bangfu.attach_limit('bangfu_register.medical_stay', 'county_stays_yearly', ARRAY['person'], NULL, 'discharged');
END $$;
