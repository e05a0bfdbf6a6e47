
-- ---------------------------------------------------------------------------
-- Reports for people and tools (一, 二, 四, 十一; issue 13): views with a
-- comment on every column, readable by bangfu_reader, identity numbers
-- masked.  New in 0.3.0: appended to both the install script and the
-- adoption script (doc/money.md).
-- ---------------------------------------------------------------------------

-- Monthly totals per clause and department (十一: who pays what).
CREATE VIEW bangfu_register.report_monthly AS
SELECT date_trunc('month', g.granted_on)::date AS month, '二'::text AS clause,
       '民政 civil affairs'::text AS department, 'relief grants approved'::text AS item,
       count(*) AS cases, sum(g.amount)::numeric(14,2) AS amount
  FROM bangfu_register.relief_grant g
 GROUP BY 1
UNION ALL
SELECT date_trunc('month', s.discharged)::date, '四(1)', '卫生 health', 'charity-bed reductions',
       count(*) FILTER (WHERE s.reduction OPERATOR(pg_catalog.>) 0), sum(s.reduction)::numeric(14,2)
  FROM bangfu_register.medical_stay s
 GROUP BY 1
UNION ALL
SELECT date_trunc('month', s.discharged)::date, '四(2)', '民政 civil affairs', 'serious-illness relief',
       count(*) FILTER (WHERE s.relief OPERATOR(pg_catalog.>) 0), sum(s.relief)::numeric(14,2)
  FROM bangfu_register.medical_stay s
 GROUP BY 1
UNION ALL
SELECT date_trunc('month', e.booked_on)::date, p.clause, '财政 finance', 'paid from fund ' || e.fund || ': ' || p.label,
       count(*) FILTER (WHERE e.reverses IS NULL), (-sum(e.amount))::numeric(14,2)
  FROM bangfu_register.fund_entry e
  JOIN bangfu_register.program p ON p.code OPERATOR(pg_catalog.=) e.program
 GROUP BY 1, 2, 4
UNION ALL
-- issue 14's amounts, all kept by 人社 (十二 就业、社会保障; 十 read as 就业's)
SELECT date_trunc('month', x.paid_on)::date, '五', '人社 human resources and social security',
       'pension subsidies (先缴后补)', count(*), sum(x.amount)::numeric(14,2)
  FROM bangfu_register.pension_subsidy x
 GROUP BY 1
UNION ALL
SELECT x.month, '八(1)', '人社 human resources and social security', 'employer social-insurance subsidies',
       count(*), sum(x.amount)::numeric(14,2)
  FROM bangfu_register.employer_subsidy x
 GROUP BY 1
UNION ALL
SELECT date_trunc('month', x.registered_on)::date, '十', '人社 human resources and social security',
       'registration charges waived', count(*), sum(x.waived)::numeric(14,2)
  FROM bangfu_register.fee_waiver x
 GROUP BY 1
UNION ALL
SELECT date_trunc('month', x.rent_from)::date, '十', '人社 human resources and social security',
       'eco-park rent concessions', count(*), sum(x.concession)::numeric(14,2)
  FROM bangfu_register.rent_concession x
 GROUP BY 1
UNION ALL
-- back-payments (补发, 十二) in the month they were paid
SELECT date_trunc('month', x.booked_on)::date, '五', '人社 human resources and social security',
       'pension subsidies paid back (补发)', count(*), sum(x.amount)::numeric(14,2)
  FROM bangfu_register.pension_backpay x
 GROUP BY 1
UNION ALL
SELECT date_trunc('month', x.booked_on)::date, '八(1)', '人社 human resources and social security',
       'employer subsidies paid back (补发)', count(*), sum(x.amount)::numeric(14,2)
  FROM bangfu_register.employer_subsidy_backpay x
 GROUP BY 1
UNION ALL
SELECT date_trunc('month', x.booked_on)::date, '十', '人社 human resources and social security',
       'registration charges refunded (补发)', count(*), sum(x.amount)::numeric(14,2)
  FROM bangfu_register.fee_waiver_backpay x
 GROUP BY 1;
COMMENT ON VIEW bangfu_register.report_monthly IS
    '十一 monthly totals per clause and department: relief grants approved (二, civil affairs), charity-bed reductions (四(1), health), serious-illness relief (四(2), civil affairs), what finance paid from each fund per program (一, 二, 八, 九; reversals netted), and human resources and social security''s pension subsidies (五), employer subsidies (八(1)), fee waivers and rent concessions (十), and their back-payments (补发, 十二) in the month paid.';
COMMENT ON COLUMN bangfu_register.report_monthly.month IS 'First day of the calendar month (grant date, discharge date, booking date, subsidy payment date, contribution month, registration date or first rented day).';
COMMENT ON COLUMN bangfu_register.report_monthly.clause IS 'Clause of the seed the money is for.';
COMMENT ON COLUMN bangfu_register.report_monthly.department IS 'The department that decides or pays it (十一).';
COMMENT ON COLUMN bangfu_register.report_monthly.item IS 'What is counted.';
COMMENT ON COLUMN bangfu_register.report_monthly.cases IS 'Grants, stays with an amount, payments (reversals not counted), subsidies, waivers or concessions.';
COMMENT ON COLUMN bangfu_register.report_monthly.amount IS 'Yuan in the month.';

-- Fund balances over time, month by month.
CREATE VIEW bangfu_register.report_fund_monthly AS
WITH m AS (
    SELECT e.fund, date_trunc('month', e.booked_on)::date AS month,
           coalesce(sum(e.amount) FILTER (WHERE e.amount OPERATOR(pg_catalog.>) 0), 0) AS money_in,
           coalesce(-sum(e.amount) FILTER (WHERE e.amount OPERATOR(pg_catalog.<) 0), 0) AS money_out,
           sum(e.amount) AS net, 0::numeric AS committed_net
      FROM bangfu_register.fund_entry e GROUP BY 1, 2
    UNION ALL
    SELECT c.fund, date_trunc('month', c.booked_on)::date, 0, 0, 0, sum(c.amount)
      FROM bangfu_register.fund_commitment c GROUP BY 1, 2
), g AS (
    SELECT m.fund, m.month, sum(m.money_in) AS money_in, sum(m.money_out) AS money_out,
           sum(m.net) AS net, sum(m.committed_net) AS committed_net
      FROM m GROUP BY 1, 2
)
SELECT g.fund, g.month, g.money_in::numeric(14,2), g.money_out::numeric(14,2),
       (sum(g.net) OVER w)::numeric(14,2) AS balance,
       (-sum(g.committed_net) OVER w)::numeric(14,2) AS committed,
       (sum(g.net OPERATOR(pg_catalog.+) g.committed_net) OVER w)::numeric(14,2) AS uncommitted
  FROM g
WINDOW w AS (PARTITION BY g.fund ORDER BY g.month);
COMMENT ON VIEW bangfu_register.report_fund_monthly IS
    '一 each fund month by month: money in and out in the month, and at its end the balance, what approved grants still owe, and the uncommitted rest. Months without a movement are left out.';
COMMENT ON COLUMN bangfu_register.report_fund_monthly.fund IS 'The fund.';
COMMENT ON COLUMN bangfu_register.report_fund_monthly.month IS 'First day of the month.';
COMMENT ON COLUMN bangfu_register.report_fund_monthly.money_in IS 'Credits of the month (sources, transfers in, reversed payments).';
COMMENT ON COLUMN bangfu_register.report_fund_monthly.money_out IS 'Debits of the month (payments, transfers out, reversed credits).';
COMMENT ON COLUMN bangfu_register.report_fund_monthly.balance IS 'Balance at the end of the month.';
COMMENT ON COLUMN bangfu_register.report_fund_monthly.committed IS 'What approved grants still owe at the end of the month.';
COMMENT ON COLUMN bangfu_register.report_fund_monthly.uncommitted IS 'balance - committed at the end of the month.';

-- Quota use per year (二 3%-5%).
CREATE VIEW bangfu_register.report_quota AS
SELECT q.year, q.urban_households, q.min_households, q.max_households, q.relieved,
       (q.max_households OPERATOR(pg_catalog.-) q.relieved) AS remaining,
       round(100.0 OPERATOR(pg_catalog.*) q.relieved OPERATOR(pg_catalog./) q.urban_households, 2) AS relieved_pct,
       q.relieved OPERATOR(pg_catalog.<) q.min_households AS below_floor
  FROM bangfu_register.relief_quota_status q;
COMMENT ON VIEW bangfu_register.report_quota IS
    '二 quota use per recorded year: households relieved against the 3% floor (to report against) and the 5% ceiling (never passed).';
COMMENT ON COLUMN bangfu_register.report_quota.year IS 'Calendar year.';
COMMENT ON COLUMN bangfu_register.report_quota.urban_households IS 'Urban permanent-resident households (城镇常住户) recorded for the year.';
COMMENT ON COLUMN bangfu_register.report_quota.min_households IS 'The 3% floor: ceil(3% of the households), at most the ceiling.';
COMMENT ON COLUMN bangfu_register.report_quota.max_households IS 'The 5% ceiling: floor(5% of the households).';
COMMENT ON COLUMN bangfu_register.report_quota.relieved IS 'Households granted relief in the year (withdrawn grants included: the quota counts approvals).';
COMMENT ON COLUMN bangfu_register.report_quota.remaining IS 'Grants the ceiling still allows.';
COMMENT ON COLUMN bangfu_register.report_quota.relieved_pct IS 'Relieved households as a percentage of the urban households.';
COMMENT ON COLUMN bangfu_register.report_quota.below_floor IS 'Fewer households relieved than the 3% floor.';

-- People at or near each yearly cap (四(1) 2万元, 四(2) 3万元 a year).
CREATE VIEW bangfu_register.report_near_cap WITH (security_barrier) AS
WITH py AS (
    SELECT u.person, u.year, sum(u.reduction) AS reduced, sum(u.relief) AS relieved
      FROM (SELECT s.person, extract(year FROM s.discharged)::integer AS year, s.reduction, s.relief
              FROM bangfu_register.medical_stay s
            UNION ALL
            SELECT b.person, extract(year FROM b.for_date)::integer, b.reduction, b.relief
              FROM bangfu_register.medical_backpay b) u
     GROUP BY 1, 2
), c AS (
    SELECT py.*, bangfu.limit_cap('charity_bed_yearly', make_date(py.year, 12, 31)) AS cap_4_1,
           bangfu.limit_cap('serious_illness_yearly', make_date(py.year, 12, 31)) AS cap_4_2
      FROM py
)
SELECT bangfu.mask(c.person) AS person, c.year, '四(1)'::text AS clause, 'charity_bed_yearly'::text AS limit_name,
       c.reduced::numeric(14,2) AS used, c.cap_4_1::numeric(14,2) AS cap,
       round(c.reduced OPERATOR(pg_catalog./) c.cap_4_1, 4) AS share,
       c.reduced OPERATOR(pg_catalog.>=) c.cap_4_1 AS at_cap
  FROM c WHERE c.reduced OPERATOR(pg_catalog.>=) (0.8 OPERATOR(pg_catalog.*) c.cap_4_1)
UNION ALL
SELECT bangfu.mask(c.person), c.year, '四(2)', 'serious_illness_yearly',
       c.relieved::numeric(14,2), c.cap_4_2::numeric(14,2),
       round(c.relieved OPERATOR(pg_catalog./) c.cap_4_2, 4),
       c.relieved OPERATOR(pg_catalog.>=) c.cap_4_2
  FROM c WHERE c.relieved OPERATOR(pg_catalog.>=) (0.8 OPERATOR(pg_catalog.*) c.cap_4_2)
UNION ALL
-- the lifetime counts of issue 14: 五 36 months of pension subsidy per
-- person (最长补贴期限为3年), 八(1) months of employer subsidy per employer
-- and employee (期限1年); year NULL, the cap in force on the last row's date
SELECT bangfu.mask(l.person), NULL::integer, l.clause, l.limit_name, l.used::numeric(14,2), l.cap::numeric(14,2),
       round(l.used OPERATOR(pg_catalog./) l.cap, 4), l.used OPERATOR(pg_catalog.>=) l.cap
  FROM (SELECT x.person, '五'::text AS clause, 'pension_months'::text AS limit_name, sum(x.months) AS used,
               bangfu.limit_cap('pension_months', max(x.paid_on)) AS cap
          FROM (SELECT s.person, s.months, s.paid_on FROM bangfu_register.pension_subsidy s
                UNION ALL
                SELECT b.person, b.months, b.for_date FROM bangfu_register.pension_backpay b) x
         GROUP BY x.person
        UNION ALL
        SELECT x.person, '八(1)', 'employer_subsidy_months', sum(x.months),
               bangfu.limit_cap('employer_subsidy_months', max(x.month))
          FROM bangfu_register.employer_subsidy x GROUP BY x.employer_id, x.person) l
 WHERE l.cap OPERATOR(pg_catalog.>) 0 AND l.used OPERATOR(pg_catalog.>=) (0.8 OPERATOR(pg_catalog.*) l.cap);
COMMENT ON VIEW bangfu_register.report_near_cap IS
    '四, 五, 八(1) people who used 80% or more of a cap: a yearly cap in a calendar year (四(1) charity-bed reductions, 四(2) serious-illness relief; stays and back-payments, as the limits count them; the cap in force on 31 December), or a lifetime count (五 months of pension subsidy per person, 八(1) months of employer subsidy per employer and employee; the cap in force on the last row''s date); identity numbers masked.';
COMMENT ON COLUMN bangfu_register.report_near_cap.person IS 'Identity number of the patient, contributor or employee, masked.';
COMMENT ON COLUMN bangfu_register.report_near_cap.year IS 'Calendar year of discharge (四); NULL for a lifetime limit (五, 八(1)).';
COMMENT ON COLUMN bangfu_register.report_near_cap.clause IS '四(1), 四(2), 五 or 八(1).';
COMMENT ON COLUMN bangfu_register.report_near_cap.limit_name IS 'The limit (bangfu.limit_def): charity_bed_yearly, serious_illness_yearly, pension_months or employer_subsidy_months.';
COMMENT ON COLUMN bangfu_register.report_near_cap.used IS 'Yuan reduced or relieved in the year (back-payments included); months subsidised for a lifetime limit (五''s back-paid months included).';
COMMENT ON COLUMN bangfu_register.report_near_cap.cap IS 'The yearly cap in force on 31 December of the year; for a lifetime limit, the months allowed on the date of the last subsidy.';
COMMENT ON COLUMN bangfu_register.report_near_cap.share IS 'used / cap.';
COMMENT ON COLUMN bangfu_register.report_near_cap.at_cap IS 'The cap is reached (later stays of the year, or later months, get nothing more).';

-- Column comments of the 0.2.0 views, for tools that read them.
COMMENT ON COLUMN bangfu_register.relief_published.year IS 'Calendar year of the grant.';
COMMENT ON COLUMN bangfu_register.relief_published.head IS 'Identity number of the head of the household, masked.';
COMMENT ON COLUMN bangfu_register.relief_published.reason IS '二 the reason in the seed''s words.';
COMMENT ON COLUMN bangfu_register.relief_published.amount IS 'Yuan granted.';
COMMENT ON COLUMN bangfu_register.relief_quota_status.year IS 'Calendar year.';
COMMENT ON COLUMN bangfu_register.relief_quota_status.urban_households IS 'Urban permanent-resident households (城镇常住户) recorded for the year.';
COMMENT ON COLUMN bangfu_register.relief_quota_status.min_households IS 'The 3% floor to report against.';
COMMENT ON COLUMN bangfu_register.relief_quota_status.max_households IS 'The 5% ceiling.';
COMMENT ON COLUMN bangfu_register.relief_quota_status.relieved IS 'Households granted relief in the year.';
COMMENT ON COLUMN bangfu_register.fund_balance.fund IS 'The fund.';
COMMENT ON COLUMN bangfu_register.fund_balance.label IS 'The fund''s name.';
COMMENT ON COLUMN bangfu_register.fund_balance.money_in IS 'All credits.';
COMMENT ON COLUMN bangfu_register.fund_balance.money_out IS 'All debits.';
COMMENT ON COLUMN bangfu_register.fund_balance.balance IS 'money_in - money_out.';

-- A printable yearly statement (决算) of the hardship fund by source (一).
CREATE FUNCTION bangfu_register.final_accounts(year integer)
RETURNS TABLE (line text)
LANGUAGE sql STABLE STRICT
SET search_path = pg_catalog, pg_temp
AS $$
    WITH s AS (
        SELECT * FROM bangfu_register.fund_source_statement x WHERE x.year OPERATOR(pg_catalog.=) final_accounts.year
    ), f AS (
        SELECT * FROM bangfu_register.fund_statement x WHERE x.year OPERATOR(pg_catalog.=) final_accounts.year
    ), lines AS (
        SELECT 0 AS k, ''::text AS fund, ''::text AS source,
               format('帮扶解困基金 %s 年度决算 (final accounts of the hardship fund, 一)', final_accounts.year) AS line
        UNION ALL
        SELECT 1, f.fund, '', format('%s %s: opening %s, in %s, transfers +%s/-%s, committed %s, paid %s, reversed %s, closing %s (still owed %s, uncommitted %s)',
                                     f.fund, f.label, f.opening_balance, f.money_in, f.transfers_in, f.transfers_out,
                                     f.committed, f.paid, f.reversed, f.balance, f.unpaid_committed, f.uncommitted)
          FROM f
        UNION ALL
        SELECT 2, s.fund, s.source, format('    %s %s: in %s, share %s%%, committed %s, paid %s, reversed %s, balance %s',
                                           s.source, s.source_label, s.money_in, round(s.share OPERATOR(pg_catalog.*) 100, 2),
                                           s.committed, s.paid, s.reversed, s.balance)
          FROM s
        UNION ALL
        SELECT 3, '~', '', format('total: in %s, paid %s, closing %s', sum(f.money_in), sum(f.paid), sum(f.balance))
          FROM f
    )
    SELECT l.line FROM lines l ORDER BY l.fund, l.k, l.source
$$;
COMMENT ON FUNCTION bangfu_register.final_accounts(integer) IS
    '一 the yearly statement (决算) of the hardship fund as printable lines: each fund''s movements, then each source''s part of it (bangfu_register.fund_statement, fund_source_statement), then the total.';

GRANT SELECT ON bangfu_register.report_monthly, bangfu_register.report_fund_monthly,
                bangfu_register.report_quota, bangfu_register.report_near_cap
    TO bangfu_policy_admin, bangfu_street, bangfu_civil_affairs, bangfu_health, bangfu_hrss,
       bangfu_finance, bangfu_reader;

-- ---------------------------------------------------------------------------
-- Arrears (补发) and overpayments (十二, 四; see src/register_money.sql).
-- ---------------------------------------------------------------------------
-- What is owed or overpaid per clause, person and year, against what was
-- paid, for the rows dated from from_date to to_date (their whole years):
-- 四 the stays and their back-payments (medical_backpay); 五 pension
-- subsidies, 八(1) employer subsidies (per employee) and 十 fee waivers,
-- and theirs (pension_backpay, employer_subsidy_backpay,
-- fee_waiver_backpay, src/register_employment.sql); 十 rent concessions per
-- employer (person 'employer N'), which can only be overpaid (a concession
-- is chosen up to a ceiling: nothing to pay back).  With
-- the owner's rights over two dates: the person is masked (bangfu_reader
-- reads it).
CREATE FUNCTION bangfu_register.arrears(from_date date DEFAULT '-infinity', to_date date DEFAULT 'infinity')
RETURNS TABLE (clause text, person text, household_id bigint, year integer, stays bigint, paid numeric, due numeric,
               back_paid numeric, owed numeric, overpaid numeric)
LANGUAGE sql STABLE STRICT
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
    WITH v AS (
        SELECT v.tab, v.field, v.row_id, v.stored, v.expected
          FROM bangfu_register.verify(from_date, to_date) v
         WHERE v.kind IN ('owed', 'overpaid')
           AND (v.tab, v.field) IN (('medical_stay', 'reduction'), ('medical_stay', 'relief'),
                                    ('pension_subsidy', 'amount'), ('employer_subsidy', 'amount'),
                                    ('fee_waiver', 'waived'), ('rent_concession', 'concession'))
    ), r AS (
        -- each difference with its clause, who, and year
        SELECT CASE v.field WHEN 'reduction' THEN '四(1)' ELSE '四(2)' END AS clause, v.field,
               s.person, NULL::bigint AS employer_id, extract(year FROM s.discharged)::integer AS year,
               v.expected OPERATOR(pg_catalog.-) v.stored AS diff
          FROM v JOIN bangfu_register.medical_stay s ON s.id OPERATOR(pg_catalog.=) v.row_id
         WHERE v.tab OPERATOR(pg_catalog.=) 'medical_stay'
        UNION ALL
        SELECT '五', v.field, x.person, NULL, extract(year FROM x.paid_on)::integer, v.expected OPERATOR(pg_catalog.-) v.stored
          FROM v JOIN bangfu_register.pension_subsidy x ON x.id OPERATOR(pg_catalog.=) v.row_id
         WHERE v.tab OPERATOR(pg_catalog.=) 'pension_subsidy'
        UNION ALL
        SELECT '八(1)', v.field, x.person, NULL, extract(year FROM x.month)::integer, v.expected OPERATOR(pg_catalog.-) v.stored
          FROM v JOIN bangfu_register.employer_subsidy x ON x.id OPERATOR(pg_catalog.=) v.row_id
         WHERE v.tab OPERATOR(pg_catalog.=) 'employer_subsidy'
        UNION ALL
        SELECT '十', v.field, x.person, NULL, extract(year FROM x.registered_on)::integer, v.expected OPERATOR(pg_catalog.-) v.stored
          FROM v JOIN bangfu_register.fee_waiver x ON x.id OPERATOR(pg_catalog.=) v.row_id
         WHERE v.tab OPERATOR(pg_catalog.=) 'fee_waiver'
        UNION ALL
        SELECT '十', v.field, NULL, x.employer_id, extract(year FROM x.rent_from)::integer, v.expected OPERATOR(pg_catalog.-) v.stored
          FROM v JOIN bangfu_register.rent_concession x ON x.id OPERATOR(pg_catalog.=) v.row_id
         WHERE v.tab OPERATOR(pg_catalog.=) 'rent_concession'
    ), d AS (
        SELECT r.clause, r.field, r.person, r.employer_id, r.year, sum(r.diff) AS diff
          FROM r GROUP BY 1, 2, 3, 4, 5
    )
    SELECT d.clause, coalesce(bangfu.mask(d.person), 'employer ' OPERATOR(pg_catalog.||) d.employer_id::text),
           h.household_id, d.year, p.stays, p.paid,
           (p.paid OPERATOR(pg_catalog.+) d.diff)::numeric(14,2),
           b.back_paid::numeric(14,2),
           greatest(d.diff OPERATOR(pg_catalog.-) b.back_paid, 0)::numeric(14,2),
           greatest(b.back_paid OPERATOR(pg_catalog.-) d.diff, 0)::numeric(14,2)
      FROM d
      LEFT JOIN bangfu_register.member h ON h.id OPERATOR(bangfu.=) d.person
     CROSS JOIN LATERAL (
            -- what the person (or employer) got in the year under the clause
            SELECT count(*) AS stays, coalesce(sum(u.amount), 0)::numeric(14,2) AS paid
              FROM (SELECT CASE d.field WHEN 'reduction' THEN s.reduction ELSE s.relief END AS amount
                      FROM bangfu_register.medical_stay s
                     WHERE d.field IN ('reduction', 'relief') AND s.person OPERATOR(bangfu.=) d.person
                       AND s.discharged OPERATOR(pg_catalog.>=) make_date(d.year, 1, 1)
                       AND s.discharged OPERATOR(pg_catalog.<) make_date(d.year OPERATOR(pg_catalog.+) 1, 1, 1)
                    UNION ALL
                    SELECT x.amount FROM bangfu_register.pension_subsidy x
                     WHERE d.clause OPERATOR(pg_catalog.=) '五' AND x.person OPERATOR(bangfu.=) d.person
                       AND x.paid_on OPERATOR(pg_catalog.>=) make_date(d.year, 1, 1)
                       AND x.paid_on OPERATOR(pg_catalog.<) make_date(d.year OPERATOR(pg_catalog.+) 1, 1, 1)
                    UNION ALL
                    SELECT x.amount FROM bangfu_register.employer_subsidy x
                     WHERE d.clause OPERATOR(pg_catalog.=) '八(1)' AND x.person OPERATOR(bangfu.=) d.person
                       AND x.month OPERATOR(pg_catalog.>=) make_date(d.year, 1, 1)
                       AND x.month OPERATOR(pg_catalog.<) make_date(d.year OPERATOR(pg_catalog.+) 1, 1, 1)
                    UNION ALL
                    SELECT x.waived FROM bangfu_register.fee_waiver x
                     WHERE d.field OPERATOR(pg_catalog.=) 'waived' AND x.person OPERATOR(bangfu.=) d.person
                       AND x.registered_on OPERATOR(pg_catalog.>=) make_date(d.year, 1, 1)
                       AND x.registered_on OPERATOR(pg_catalog.<) make_date(d.year OPERATOR(pg_catalog.+) 1, 1, 1)
                    UNION ALL
                    SELECT x.concession FROM bangfu_register.rent_concession x
                     WHERE d.field OPERATOR(pg_catalog.=) 'concession' AND x.employer_id OPERATOR(pg_catalog.=) d.employer_id
                       AND x.rent_from OPERATOR(pg_catalog.>=) make_date(d.year, 1, 1)
                       AND x.rent_from OPERATOR(pg_catalog.<) make_date(d.year OPERATOR(pg_catalog.+) 1, 1, 1)) u) p
     CROSS JOIN LATERAL (
            -- the back-payments booked for the year: 四 per person-year,
            -- 五, 八(1), 十 on the rows of the person dated in it
            SELECT coalesce(sum(u.amount), 0) AS back_paid
              FROM (SELECT CASE d.field WHEN 'reduction' THEN b.reduction ELSE b.relief END AS amount, b.for_date
                      FROM bangfu_register.medical_backpay b
                     WHERE d.field IN ('reduction', 'relief') AND b.person OPERATOR(bangfu.=) d.person
                    UNION ALL
                    SELECT b.amount, b.for_date FROM bangfu_register.pension_backpay b
                     WHERE d.clause OPERATOR(pg_catalog.=) '五' AND b.person OPERATOR(bangfu.=) d.person
                    UNION ALL
                    SELECT b.amount, b.for_date FROM bangfu_register.employer_subsidy_backpay b
                     WHERE d.clause OPERATOR(pg_catalog.=) '八(1)' AND b.person OPERATOR(bangfu.=) d.person
                    UNION ALL
                    SELECT b.amount, b.for_date FROM bangfu_register.fee_waiver_backpay b
                     WHERE d.field OPERATOR(pg_catalog.=) 'waived' AND b.person OPERATOR(bangfu.=) d.person) u
             WHERE u.for_date OPERATOR(pg_catalog.>=) make_date(d.year, 1, 1)
               AND u.for_date OPERATOR(pg_catalog.<) make_date(d.year OPERATOR(pg_catalog.+) 1, 1, 1)) b
     ORDER BY 1, 4, 3, 2
$$;
REVOKE ALL ON FUNCTION bangfu_register.arrears(date, date) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION bangfu_register.arrears(date, date)
    TO bangfu_policy_admin, bangfu_civil_affairs, bangfu_health, bangfu_hrss, bangfu_finance, bangfu_reader;
COMMENT ON FUNCTION bangfu_register.arrears(date, date) IS
    '十二 arrears (补发) and overpayments after a policy change that reaches back, per clause (四(1), 四(2), 五, 八(1), 十), person (masked) with household or employer, and year, for the rows dated in the range (their whole years): paid (stored), due (derived under the policy now, bangfu_register.verify), back-payments booked (medical_backpay, pension_backpay, employer_subsidy_backpay, fee_waiver_backpay), and what is still owed or was overpaid. Overpayments are reported, never taken back.';

CREATE VIEW bangfu_register.report_arrears AS
SELECT * FROM bangfu_register.arrears('-infinity', 'infinity');
COMMENT ON VIEW bangfu_register.report_arrears IS
    '十二 arrears (补发) and overpayments over all years (bangfu_register.arrears(from, to) for a range; 四, 五, 八(1), 十); identity numbers masked.';
COMMENT ON COLUMN bangfu_register.report_arrears.clause IS '四(1) charity-bed reduction, 四(2) serious-illness relief, 五 pension subsidy, 八(1) employer subsidy, 十 fee waiver or rent concession.';
COMMENT ON COLUMN bangfu_register.report_arrears.person IS 'Identity number of the patient, contributor, employee or business founder, masked; employer N for a 十 rent concession.';
COMMENT ON COLUMN bangfu_register.report_arrears.household_id IS 'The person''s household (bangfu_register.household); NULL for a person outside the register''s households or an employer.';
COMMENT ON COLUMN bangfu_register.report_arrears.year IS 'Calendar year of the rows (discharge, payment, contribution month, registration, first rented day).';
COMMENT ON COLUMN bangfu_register.report_arrears.stays IS 'Rows of the clause for the person in the year (stays, subsidies, waivers, concessions).';
COMMENT ON COLUMN bangfu_register.report_arrears.paid IS 'Yuan the rows got when recorded.';
COMMENT ON COLUMN bangfu_register.report_arrears.due IS 'Yuan they get under the policy as it is now.';
COMMENT ON COLUMN bangfu_register.report_arrears.back_paid IS 'Yuan of back-payments booked for the year (四 medical_backpay, 五 pension_backpay, 八(1) employer_subsidy_backpay, 十 fee_waiver_backpay; 0 for rent concessions).';
COMMENT ON COLUMN bangfu_register.report_arrears.owed IS 'due - paid - back_paid, when positive: still to pay back (补发).';
COMMENT ON COLUMN bangfu_register.report_arrears.overpaid IS 'paid + back_paid - due, when positive: overpaid, reported and never taken back.';

GRANT SELECT ON bangfu_register.report_arrears TO bangfu_policy_admin, bangfu_civil_affairs, bangfu_health,
       bangfu_hrss, bangfu_finance, bangfu_reader;
