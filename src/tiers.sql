
-- ---------------------------------------------------------------------------
-- bangfu.tiers: a bracketed rate schedule as a value (spec section 0).
-- ---------------------------------------------------------------------------

CREATE TYPE bangfu.tiers;

CREATE FUNCTION bangfu.tiers_in(cstring) RETURNS bangfu.tiers
    AS 'MODULE_PATHNAME', 'tiers_in' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION bangfu.tiers_out(bangfu.tiers) RETURNS cstring
    AS 'MODULE_PATHNAME', 'tiers_out' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION bangfu.tiers_recv(internal) RETURNS bangfu.tiers
    AS 'MODULE_PATHNAME', 'tiers_recv' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION bangfu.tiers_send(bangfu.tiers) RETURNS bytea
    AS 'MODULE_PATHNAME', 'tiers_send' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE TYPE bangfu.tiers (
    INPUT = bangfu.tiers_in,
    OUTPUT = bangfu.tiers_out,
    RECEIVE = bangfu.tiers_recv,
    SEND = bangfu.tiers_send,
    INTERNALLENGTH = VARIABLE,
    ALIGNMENT = double,
    STORAGE = main
);
COMMENT ON FUNCTION bangfu.tiers_in(cstring) IS 'Text input of bangfu.tiers: refuses a bad literal with 22P02 and a detail saying where.';
COMMENT ON FUNCTION bangfu.tiers_out(bangfu.tiers) IS 'Canonical text of bangfu.tiers; reading it back gives the same value.';
COMMENT ON FUNCTION bangfu.tiers_recv(internal) IS 'Binary input of bangfu.tiers: a version byte, then every field, checked like text input.';
COMMENT ON FUNCTION bangfu.tiers_send(bangfu.tiers) IS 'Binary output of bangfu.tiers, with a version byte.';
COMMENT ON TYPE bangfu.tiers IS
    'Bracketed rate schedule, e.g. ''flat: [0,6000] 10%, (6000,12000] 15%, (12000,20000] 20%, (20000,) 25%; cap 15000'' (四(1)). Brackets in range notation, rates as percentages or exact fractions, or fixed amounts; flat or marginal; optional cap.';

CREATE FUNCTION bangfu.tiers_eq(bangfu.tiers, bangfu.tiers) RETURNS boolean
    AS 'MODULE_PATHNAME', 'tiers_eq' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION bangfu.tiers_ne(bangfu.tiers, bangfu.tiers) RETURNS boolean
    AS 'MODULE_PATHNAME', 'tiers_ne' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION bangfu.tiers_eq(bangfu.tiers, bangfu.tiers) IS 'Schedules are equal when brackets, rates, mode and cap are.';
COMMENT ON FUNCTION bangfu.tiers_ne(bangfu.tiers, bangfu.tiers) IS 'Negation of tiers_eq.';

CREATE OPERATOR bangfu.= (
    LEFTARG = bangfu.tiers, RIGHTARG = bangfu.tiers, PROCEDURE = bangfu.tiers_eq,
    COMMUTATOR = OPERATOR(bangfu.=), NEGATOR = OPERATOR(bangfu.<>),
    RESTRICT = eqsel, JOIN = eqjoinsel
);
CREATE OPERATOR bangfu.<> (
    LEFTARG = bangfu.tiers, RIGHTARG = bangfu.tiers, PROCEDURE = bangfu.tiers_ne,
    COMMUTATOR = OPERATOR(bangfu.<>), NEGATOR = OPERATOR(bangfu.=),
    RESTRICT = neqsel, JOIN = neqjoinsel
);

COMMENT ON OPERATOR bangfu.=(bangfu.tiers, bangfu.tiers) IS 'Same brackets, rates, mode and cap.';
COMMENT ON OPERATOR bangfu.<>(bangfu.tiers, bangfu.tiers) IS 'Not the same schedule.';

CREATE FUNCTION bangfu.apply(schedule bangfu.tiers, amount numeric) RETURNS numeric
    AS 'MODULE_PATHNAME', 'tiers_apply' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION bangfu.apply(bangfu.tiers, numeric) IS
    'Apply a schedule to an amount: exact, rounded once half away from zero to the fen, then capped (spec section 0).';

CREATE FUNCTION bangfu.explain(schedule bangfu.tiers, amount numeric) RETURNS jsonb
    AS 'MODULE_PATHNAME', 'tiers_explain' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION bangfu.explain(bangfu.tiers, numeric) IS
    'How a schedule turns an amount into a value: bracket, bounds, rate, exact and rounded values, cap, and for flat schedules the jump at the nearest bound.';

CREATE FUNCTION bangfu.mode(schedule bangfu.tiers) RETURNS text
    AS 'MODULE_PATHNAME', 'tiers_mode' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION bangfu.mode(bangfu.tiers) IS 'flat or marginal (spec section 0, flat vs marginal).';

CREATE FUNCTION bangfu.cap(schedule bangfu.tiers) RETURNS numeric
    AS 'MODULE_PATHNAME', 'tiers_cap' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION bangfu.cap(bangfu.tiers) IS 'The cap on a schedule''s result, or NULL when it has none.';

CREATE FUNCTION bangfu.with_mode(schedule bangfu.tiers, mode text) RETURNS bangfu.tiers
    AS 'MODULE_PATHNAME', 'tiers_with_mode' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION bangfu.with_mode(bangfu.tiers, text) IS
    'The same brackets and rates read flat or marginal, e.g. to propose 分段计算.';

CREATE FUNCTION bangfu.with_cap(schedule bangfu.tiers, cap numeric) RETURNS bangfu.tiers
    AS 'MODULE_PATHNAME', 'tiers_with_cap' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION bangfu.with_cap(bangfu.tiers, numeric) IS
    'The same schedule with another cap; NULL removes the cap.';

CREATE FUNCTION bangfu.tiers_svg(t bangfu.tiers, upto numeric DEFAULT NULL,
                                 compare bangfu.tiers DEFAULT NULL,
                                 label text DEFAULT 'in force',
                                 compare_label text DEFAULT 'proposal',
                                 title text DEFAULT NULL) RETURNS text
    AS 'MODULE_PATHNAME', 'tiers_svg' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION bangfu.tiers_svg(bangfu.tiers, numeric, bangfu.tiers, text, text, text) IS
    'A picture of a schedule (issue 13): an SVG document of benefit against amount from 0 to upto (default a fifth past the last bound), exact bracket geometry, the cap, and optionally a second schedule (a proposal) drawn over it with a legend.';
