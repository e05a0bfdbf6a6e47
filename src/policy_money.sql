
-- ---------------------------------------------------------------------------
-- Money that can be followed (一, 二, 九, 十二; issue 13): what bangfu itself
-- keeps for the funds' commitments and for policy changes that reach back.
-- ---------------------------------------------------------------------------

-- 二, 一: approving a relief grant commits its two installments against the
-- relief fund; the uncommitted balance (money in, less money out, less what
-- approved grants still owe) never goes below zero.  A book shared by the
-- fund ledger and the commitments (bangfu_register.fund_commitment).
INSERT INTO bangfu.limit_def (name, clause, unit, period, direction, zero_cap, subjects, description, shipped) VALUES
    ('fund_uncommitted', '一, 二', 'money', 'lifetime', -1, true, 1,
     'A fund''s uncommitted balance (credits minus disbursements minus what approved grants still owe) never goes below zero: no grant is approved that the fund cannot pay.',
     true);

-- The allocation rule when the relief fund runs short (二 lists the reasons
-- from the gravest, 因患危重疾病或意外事故 first): approval beyond the
-- uncommitted balance is refused, and of that balance this much is kept for
-- critical_illness grants; a grant for any other reason is approved only if
-- the uncommitted balance after it is still at least this.  The seed sets no
-- figure: 0 (every reason alike) unless the county records one from a date.
INSERT INTO bangfu.policy_param (param, kind, clause, description) VALUES
    ('relief.fund.reserve', 'amount', '二, 一',
     'Of the relief fund''s uncommitted balance, the part kept for grants for critical illness or accident (因患危重疾病或意外事故): a grant for another reason must leave at least this uncommitted.');
INSERT INTO bangfu.policy (param, amount, shipped, note) VALUES
    ('relief.fund.reserve', 0, true, 'the seed sets no reserve: every reason alike, first approved first committed');
