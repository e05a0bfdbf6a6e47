-- test/load/setup.sql: the database scripts/load.sh runs pgbench against.
--
--   psql -v people=300 -v households=200 -v funds=2 -v fund_start=3000 -f setup.sql
--
-- A few hundred people claiming charity-bed reductions (四(1), 20,000 a
-- person a year, shared by a clamp table and a reject table), households
-- asking for temporary relief (二, once a year) and small funds paying out
-- (一, 九, never below zero).  Every attempt goes through a load.try_*
-- function that records its outcome in load.attempts in the same
-- transaction, so a refusal (check_violation) is counted, not lost, while a
-- serialization failure (40001) rolls the attempt back for pgbench to retry
-- (pgbench --max-tries counts those retries).
\set ON_ERROR_STOP 1
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS bangfu;
DROP SCHEMA IF EXISTS load CASCADE;
CREATE SCHEMA load;
SET search_path = load, public;

CREATE TABLE load.stays_clamp (
    id        bigserial PRIMARY KEY,
    person    text NOT NULL,
    amount    numeric(12,2) NOT NULL,
    stay_date date NOT NULL
);
CREATE TABLE load.stays_reject (LIKE load.stays_clamp INCLUDING ALL);
CREATE TABLE load.grants (
    id         bigserial PRIMARY KEY,
    household  text NOT NULL,
    granted_on date NOT NULL
);
CREATE TABLE load.fund_entries (
    id     bigserial PRIMARY KEY,
    fund   text NOT NULL,
    amount numeric(14,2) NOT NULL
);
-- The two stay tables share one cap per person-year: the policy admin
-- admits both to the limit's common books (doc/limits.md, "Whose books").
INSERT INTO bangfu.limit_share (limit_name, tab) VALUES
    ('charity_bed_yearly', 'load.stays_clamp'), ('charity_bed_yearly', 'load.stays_reject');
SELECT bangfu.attach_limit('load.stays_clamp', 'charity_bed_yearly', ARRAY['person'], 'amount', 'stay_date', 'clamp', 'common');
SELECT bangfu.attach_limit('load.stays_reject', 'charity_bed_yearly', ARRAY['person'], 'amount', 'stay_date', 'reject', 'common');
SELECT bangfu.attach_limit('load.grants', 'relief_yearly', ARRAY['household'], NULL, 'granted_on', 'reject');
SELECT bangfu.attach_limit('load.fund_entries', 'fund_balance', ARRAY['fund'], 'amount', NULL, 'reject');

-- One row per attempt; unguarded.  kind: the table or action tried.
-- outcome: accepted (all of it), clamped (less, maybe 0.00), refused
-- (check_violation, nothing written), or for corrections deleted/reduced/
-- moved/none.  row_id: the row written or touched.
CREATE TABLE load.attempts (
    id      bigserial PRIMARY KEY,
    kind    text NOT NULL,
    subject text NOT NULL,
    asked   numeric(14,2) NOT NULL,
    granted numeric(14,2) NOT NULL,
    row_id  bigint,
    outcome text NOT NULL CHECK (outcome IN ('accepted', 'clamped', 'refused', 'deleted', 'reduced', 'moved', 'none')),
    phase   text NOT NULL DEFAULT coalesce(nullif(current_setting('load.phase', true), ''), 'setup'),
    xact    bigint NOT NULL DEFAULT txid_current()
);
COMMENT ON COLUMN load.attempts.xact IS
    'The transaction that made the attempt: one pgbench transaction is one xact (a family claim makes two attempts in one), so count(DISTINCT xact) is what pgbench says it processed.';
COMMENT ON COLUMN load.attempts.phase IS
    'Which run made the attempt: scripts/load.sh sets PGOPTIONS=-c load.phase=... for each pgbench run.';

-- A claim for a stay, in either table.
CREATE FUNCTION load.try_stay(p_tab text, p_person text, p_amount numeric, p_date date)
RETURNS text LANGUAGE plpgsql AS $$
DECLARE
    v_id bigint;
    v_got numeric;
    v_outcome text;
BEGIN
    BEGIN
        IF p_tab = 'stays_clamp' THEN
            INSERT INTO load.stays_clamp (person, amount, stay_date) VALUES (p_person, p_amount, p_date)
            RETURNING id, amount INTO v_id, v_got;
        ELSE
            INSERT INTO load.stays_reject (person, amount, stay_date) VALUES (p_person, p_amount, p_date)
            RETURNING id, amount INTO v_id, v_got;
        END IF;
        v_outcome := CASE WHEN v_got = p_amount THEN 'accepted' ELSE 'clamped' END;
    EXCEPTION WHEN check_violation THEN
        v_outcome := 'refused';
        v_got := 0;
        v_id := NULL;
    END;
    INSERT INTO load.attempts (kind, subject, asked, granted, row_id, outcome)
    VALUES (p_tab, p_person, p_amount, v_got, v_id, v_outcome);
    RETURN v_outcome;
END
$$;

-- Two people of one family claimed in one transaction, in the order given:
-- opposite orders in two transactions are answered with 40001, never 40P01.
CREATE FUNCTION load.try_family(p_first text, p_second text, p_amount numeric, p_date date)
RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    PERFORM load.try_stay('stays_clamp', p_first, p_amount, p_date);
    PERFORM load.try_stay('stays_clamp', p_second, p_amount, p_date);
END
$$;

-- A relief grant for a household.
CREATE FUNCTION load.try_grant(p_household text, p_date date)
RETURNS text LANGUAGE plpgsql AS $$
DECLARE
    v_id bigint;
    v_outcome text := 'accepted';
BEGIN
    BEGIN
        INSERT INTO load.grants (household, granted_on) VALUES (p_household, p_date) RETURNING id INTO v_id;
    EXCEPTION WHEN check_violation THEN
        v_outcome := 'refused';
        v_id := NULL;
    END;
    INSERT INTO load.attempts (kind, subject, asked, granted, row_id, outcome)
    VALUES ('grants', p_household, 1, CASE WHEN v_id IS NULL THEN 0 ELSE 1 END, v_id, v_outcome);
    RETURN v_outcome;
END
$$;

-- A fund entry: a disbursement (negative) or a credit (positive).
CREATE FUNCTION load.try_entry(p_fund text, p_amount numeric)
RETURNS text LANGUAGE plpgsql AS $$
DECLARE
    v_id bigint;
    v_outcome text := 'accepted';
BEGIN
    BEGIN
        INSERT INTO load.fund_entries (fund, amount) VALUES (p_fund, p_amount) RETURNING id INTO v_id;
    EXCEPTION WHEN check_violation THEN
        v_outcome := 'refused';
        v_id := NULL;
    END;
    INSERT INTO load.attempts (kind, subject, asked, granted, row_id, outcome)
    VALUES ('fund_entries', p_fund, p_amount, CASE WHEN v_id IS NULL THEN 0 ELSE p_amount END, v_id, v_outcome);
    RETURN v_outcome;
END
$$;

-- A clerk's correction of one of a person's stays in the reject table:
-- delete it, halve it, or move it to another person (refused if that
-- person has no room).  Touches a row lock first, then the ledger.
CREATE FUNCTION load.try_correct(p_person text, p_action int, p_other text)
RETURNS text LANGUAGE plpgsql AS $$
DECLARE
    v_id bigint;
    v_amount numeric;
    v_outcome text;
BEGIN
    SELECT id, amount INTO v_id, v_amount FROM load.stays_reject
     WHERE person = p_person ORDER BY id DESC LIMIT 1;
    IF NOT FOUND THEN
        v_outcome := 'none';
    ELSE
        BEGIN
            IF p_action = 0 THEN
                DELETE FROM load.stays_reject WHERE id = v_id;
                v_outcome := CASE WHEN FOUND THEN 'deleted' ELSE 'none' END;
            ELSIF p_action = 1 THEN
                UPDATE load.stays_reject SET amount = round(amount / 2, 2) WHERE id = v_id;
                v_outcome := CASE WHEN FOUND THEN 'reduced' ELSE 'none' END;
            ELSE
                UPDATE load.stays_reject SET person = p_other WHERE id = v_id;
                v_outcome := CASE WHEN FOUND THEN 'moved' ELSE 'none' END;
            END IF;
        EXCEPTION WHEN check_violation THEN
            v_outcome := 'refused';
        END;
    END IF;
    INSERT INTO load.attempts (kind, subject, asked, granted, row_id, outcome)
    VALUES ('correct', p_person, coalesce(v_amount, 0), 0, v_id, v_outcome);
    RETURN v_outcome;
END
$$;

-- Each fund starts with a small allocation (phase 'setup').
SELECT load.try_entry('f' || i, :fund_start) FROM generate_series(1, :funds) i;

-- Every invariant the load must keep; ok = false marks a broken one.
CREATE FUNCTION load.check()
RETURNS TABLE (name text, ok boolean, detail text)
LANGUAGE plpgsql AS $$
DECLARE
    n bigint;
    t text;
BEGIN
    -- no person-year over its cap, both stay tables together
    SELECT count(*), string_agg(format('%s/%s: %s', person, y, s), ', ') INTO n, t FROM (
        SELECT person, extract(year FROM stay_date)::int AS y, sum(amount) AS s
          FROM (SELECT person, stay_date, amount FROM load.stays_clamp
                UNION ALL SELECT person, stay_date, amount FROM load.stays_reject) x
         GROUP BY 1, 2
        HAVING sum(amount) > bangfu.limit_cap('charity_bed_yearly', make_date(extract(year FROM stay_date)::int, 12, 31))) o;
    RETURN QUERY SELECT 'no person-year over its cap', n = 0, coalesce(t, '');
    -- no household relieved twice in a year
    SELECT count(*) INTO n FROM (SELECT household, extract(year FROM granted_on) FROM load.grants
                                 GROUP BY 1, 2 HAVING count(*) > 1) o;
    RETURN QUERY SELECT 'no household relieved twice a year', n = 0, n || ' household-years';
    -- no negative or non-money amounts in the stay tables
    SELECT count(*) INTO n FROM (SELECT amount FROM load.stays_clamp UNION ALL SELECT amount FROM load.stays_reject) a
     WHERE amount < 0;
    RETURN QUERY SELECT 'no negative stay', n = 0, n || ' rows';
    -- fund balances: never negative, and the ledger's balance is the sum of the entries
    SELECT count(*), string_agg(format('%s: entries %s, ledger %s', f.fund, f.s, -u.used / 100.0), ', ') INTO n, t
      FROM (SELECT fund, sum(amount) AS s FROM load.fund_entries GROUP BY fund) f
      LEFT JOIN bangfu.usage u ON u.limit_name = 'fund_balance' AND u.tab = 'load.fund_entries'::regclass
                              AND u.subject = f.fund AND u.period = 0
     WHERE f.s < 0 OR u.used IS NULL OR -u.used <> f.s * 100;
    RETURN QUERY SELECT 'fund balance = sum of entries, >= 0', n = 0, coalesce(t, '');
    -- the ledger equals the tables
    SELECT count(*) INTO n FROM bangfu.limit_check();
    RETURN QUERY SELECT 'bangfu.limit_check() empty', n = 0, n || ' differences';
    -- every row written has exactly one accepted or clamped attempt, and
    -- every such attempt's row is there unless a correction deleted it
    FOR t IN SELECT unnest(ARRAY['stays_clamp', 'stays_reject', 'grants', 'fund_entries']) LOOP
        EXECUTE format($q$
            SELECT count(*) FROM (SELECT id FROM load.%1$I) r
              FULL JOIN (SELECT row_id FROM load.attempts
                          WHERE kind = %1$L AND outcome IN ('accepted', 'clamped')) a ON a.row_id = r.id
             WHERE (r.id IS NULL AND NOT EXISTS (SELECT FROM load.attempts c
                                                  WHERE c.kind = 'correct' AND c.outcome = 'deleted'
                                                    AND c.row_id = a.row_id AND %1$L = 'stays_reject'))
                OR a.row_id IS NULL$q$, t) INTO n;
        RETURN QUERY SELECT format('rows of %s = its accepted attempts', t), n = 0, n || ' mismatches';
    END LOOP;
    -- a clamp never grants more than was asked, a refusal writes nothing
    SELECT count(*) INTO n FROM load.attempts
     WHERE kind IN ('stays_clamp', 'stays_reject')
       AND (granted > asked OR granted < 0 OR (outcome = 'refused') <> (row_id IS NULL));
    RETURN QUERY SELECT 'granted <= asked, refusals write nothing', n = 0, n || ' attempts';
END
$$;
