-- test/load/money_setup.sql: the register's money under load (一, 二;
-- scripts/load.sh, phase "money").
--
--   psql -v households=60 -f money_setup.sql      (in a database of its own)
--
-- The ready register with households asking for temporary relief (二),
-- clerks approving grants against the relief fund (committing both
-- installments: limit fund_uncommitted), finance paying installments
-- (pay_installment) and moving money between the relief and enterprise funds
-- (fund_transfer), all at once.  The relief fund is left with 20,000.00 so
-- that approvals and transfers out of it run into what is left.
--
-- Every attempt goes through a money_load.try_* function that records its
-- outcome in money_load.attempts in the same transaction: a refusal is kept
-- with its SQLSTATE (scripts/load.sh accepts only the refusals the register
-- documents: 23514, 23505), while a serialization failure (40001) or a
-- deadlock (40P01) rolls the attempt back for pgbench to retry and count.
\set ON_ERROR_STOP 1
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS bangfu_register CASCADE;
DROP SCHEMA IF EXISTS money_load CASCADE;
CREATE SCHEMA money_load;

-- A valid identity number (GB 11643-1999 check digit) for head n.
CREATE FUNCTION money_load.id(n integer) RETURNS bangfu.cnid
LANGUAGE sql AS $$
    SELECT (p || substr('10X98765432'::text,
                        ((SELECT sum(substr(p, i, 1)::integer * w[i]) FROM generate_series(1, 17) i) % 11 + 1)::integer,
                        1))::bangfu.cnid
      FROM (SELECT '110105' || to_char(date '1950-01-01' + n, 'YYYYMMDD') || '017' AS p,
                   ARRAY[7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2] AS w) s
$$;

INSERT INTO bangfu_register.county_year (year, urban_households) VALUES (2026, 20000);
INSERT INTO bangfu_register.household (head, address, urban, lost_capacity)
SELECT money_load.id(n), 'Load street ' || n, true, true FROM generate_series(1, :households) n;
INSERT INTO bangfu_register.fund_transfer (from_fund, to_fund, amount, booked_on, authority)
SELECT 'relief', 'enterprise', f.balance - 20000, '2026-01-02', 'load test'
  FROM bangfu_register.fund_runway('2026-01-02') f WHERE f.fund = 'relief';

-- One row per attempt; outcome 'accepted', or the SQLSTATE of the refusal.
CREATE TABLE money_load.attempts (
    id      bigserial PRIMARY KEY,
    kind    text NOT NULL CHECK (kind IN ('approve', 'pay', 'transfer')),
    detail  text NOT NULL,
    outcome text NOT NULL,
    message text,
    xact    bigint NOT NULL DEFAULT txid_current()
);

-- try(kind, detail, statement): run the statement; record whether it went
-- through.  40001 and 40P01 are raised again (pgbench retries them).
CREATE FUNCTION money_load.try(p_kind text, p_detail text, p_stmt text)
RETURNS text LANGUAGE plpgsql AS $$
DECLARE
    v_outcome text := 'accepted';
    v_message text;
BEGIN
    BEGIN
        EXECUTE p_stmt;
    EXCEPTION
        WHEN serialization_failure OR deadlock_detected THEN
            RAISE;
        WHEN OTHERS THEN
            v_outcome := SQLSTATE;
            v_message := SQLERRM;
    END;
    INSERT INTO money_load.attempts (kind, detail, outcome, message)
    VALUES (p_kind, p_detail, v_outcome, v_message);
    RETURN v_outcome;
END
$$;

-- A clerk approves a grant for household n on a day of 2026 (二: once a
-- household a year, within the reason's band, within the fund).
CREATE FUNCTION money_load.try_approve(p_n integer, p_day integer, p_amount integer)
RETURNS text LANGUAGE sql AS $$
    SELECT money_load.try('approve', format('household %s, %s on day %s', p_n, p_amount, p_day),
        format($q$INSERT INTO bangfu_register.relief_grant (household_id, reason, amount, granted_on)
                  SELECT h.id, 'education', %s, date '2026-01-01' + %s
                    FROM bangfu_register.household h WHERE h.head::text = %L$q$,
               p_amount, p_day, money_load.id(p_n)::text))
$$;

-- Finance pays the next installment of grant number k among the grants
-- (by id): the first, or the second once the first is paid.
CREATE FUNCTION money_load.try_pay(p_k integer)
RETURNS text LANGUAGE plpgsql AS $$
DECLARE
    g bigint;
    inst integer;
BEGIN
    SELECT x.id, CASE WHEN x.paid_first_on IS NULL THEN 1 ELSE 2 END INTO g, inst
      FROM bangfu_register.relief_grant x ORDER BY x.id OFFSET p_k % greatest(1, (SELECT count(*) FROM bangfu_register.relief_grant)) LIMIT 1;
    IF g IS NULL THEN
        INSERT INTO money_load.attempts (kind, detail, outcome) VALUES ('pay', 'no grant yet', 'none');
        RETURN 'none';
    END IF;
    RETURN money_load.try('pay', format('grant %s, installment %s', g, inst),
        format('SELECT bangfu_register.pay_installment(%s, %s, %L)', g, inst, date '2026-12-15'));
END
$$;

-- Finance moves money between the relief and the enterprise fund.
CREATE FUNCTION money_load.try_transfer(p_out boolean, p_amount integer)
RETURNS text LANGUAGE sql AS $$
    SELECT money_load.try('transfer', format('%s %s', CASE WHEN p_out THEN 'relief -> enterprise' ELSE 'enterprise -> relief' END, p_amount),
        format($q$INSERT INTO bangfu_register.fund_transfer (from_fund, to_fund, amount, booked_on, authority)
                  VALUES (%L, %L, %s, date '2026-12-01', 'load test')$q$,
               CASE WHEN p_out THEN 'relief' ELSE 'enterprise' END,
               CASE WHEN p_out THEN 'enterprise' ELSE 'relief' END, p_amount))
$$;

-- What must hold after the load, whatever the interleaving.
CREATE FUNCTION money_load.check()
RETURNS TABLE (name text, ok boolean, detail text)
LANGUAGE plpgsql AS $$
DECLARE
    n bigint;
    t text;
BEGIN
    -- 一: no fund below zero, nor committed beyond what it holds
    SELECT count(*), string_agg(format('%s: balance %s, uncommitted %s', f.fund, f.balance, f.uncommitted), ', ')
      INTO n, t
      FROM bangfu_register.fund_runway('2026-12-31') f
     WHERE f.balance < 0 OR f.uncommitted < 0;
    RETURN QUERY SELECT 'no fund below zero, balance or uncommitted', n = 0, coalesce(t, '');
    -- 二: every installment paid at most once
    SELECT count(*) INTO n FROM (
        SELECT e.grant_id, e.installment FROM bangfu_register.fund_entry e
         WHERE e.grant_id IS NOT NULL AND e.reverses IS NULL
           AND NOT EXISTS (SELECT FROM bangfu_register.fund_entry r WHERE r.reverses = e.id)
         GROUP BY 1, 2 HAVING count(*) > 1) o;
    RETURN QUERY SELECT 'no installment paid twice', n = 0, n || ' installments';
    -- what each grant still has committed is its unpaid installments
    SELECT count(*), string_agg(g.id::text, ', ') INTO n, t
      FROM bangfu_register.relief_grant g
     WHERE coalesce((SELECT -sum(c.amount) FROM bangfu_register.fund_commitment c WHERE c.grant_id = g.id), 0)
           <> CASE WHEN g.paid_first_on IS NULL THEN g.first_half ELSE 0 END
              + CASE WHEN g.paid_second_on IS NULL THEN g.second_half ELSE 0 END;
    RETURN QUERY SELECT 'committed = unpaid installments', n = 0, coalesce(t, '');
    -- 二: no household granted twice in a year
    SELECT count(*) INTO n FROM (SELECT household_id FROM bangfu_register.relief_grant
                                 GROUP BY household_id, extract(year FROM granted_on) HAVING count(*) > 1) o;
    RETURN QUERY SELECT 'no household granted twice a year', n = 0, n || ' household-years';
    -- the ledger equals the tables
    SELECT count(*) INTO n FROM bangfu.limit_check();
    RETURN QUERY SELECT 'bangfu.limit_check() empty', n = 0, n || ' differences';
    -- every approval and transfer that went through is a row, and no more
    SELECT count(*) INTO n FROM bangfu_register.relief_grant;
    RETURN QUERY SELECT 'grants = accepted approvals', n = (SELECT count(*) FROM money_load.attempts WHERE kind = 'approve' AND outcome = 'accepted'),
                        n || ' grants';
    SELECT count(*) - 1 INTO n FROM bangfu_register.fund_transfer;   -- the setup's
    RETURN QUERY SELECT 'transfers = accepted transfers', n = (SELECT count(*) FROM money_load.attempts WHERE kind = 'transfer' AND outcome = 'accepted'),
                        n || ' transfers';
    SELECT count(*) INTO n FROM bangfu_register.fund_entry WHERE grant_id IS NOT NULL;
    RETURN QUERY SELECT 'payments = accepted payments', n = (SELECT count(*) FROM money_load.attempts WHERE kind = 'pay' AND outcome = 'accepted'),
                        n || ' payments';
    -- only the refusals the register documents
    SELECT count(*), string_agg(DISTINCT a.kind || ' ' || a.outcome || ': ' || a.message, '; ') INTO n, t
      FROM money_load.attempts a WHERE a.outcome NOT IN ('accepted', 'none', '23514', '23505');
    RETURN QUERY SELECT 'refusals are 23514 or 23505', n = 0, coalesce(t, '');
END
$$;
