-- ---------------------------------------------------------------------------
-- Messages in the clerk's language (issue 10).  The PL/pgSQL code raises its
-- refusals through bangfu.raise_error, whose texts live in src/messages.c so
-- that gettext translates them (po/zh_CN.po): with lc_messages = 'zh_CN.UTF-8'
-- a clerk reads them in Chinese, with the clause (二, 四(1) ...).
-- ---------------------------------------------------------------------------
CREATE FUNCTION bangfu.raise_error(key text)
RETURNS void
AS 'MODULE_PATHNAME', 'bf_raise_error'
LANGUAGE C VOLATILE PARALLEL SAFE;
COMMENT ON FUNCTION bangfu.raise_error(text) IS
    'Raises bangfu''s error named key (src/messages.c), with its SQLSTATE, detail and hint, in the language of lc_messages.';

CREATE FUNCTION bangfu.raise_error(key text, VARIADIC args "any")
RETURNS void
AS 'MODULE_PATHNAME', 'bf_raise_error'
LANGUAGE C VOLATILE PARALLEL SAFE;
COMMENT ON FUNCTION bangfu.raise_error(text, "any") IS
    'Raises bangfu''s error named key (src/messages.c) with its arguments (message''s, then detail''s, then hint''s), in the language of lc_messages.';

CREATE FUNCTION bangfu.message_text(key text)
RETURNS text
AS 'MODULE_PATHNAME', 'bf_message_text'
LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION bangfu.message_text(text) IS
    'A phrase of bangfu''s messages (src/messages.c) in the language of lc_messages.';

CREATE FUNCTION bangfu.message_text(key text, VARIADIC args "any")
RETURNS text
AS 'MODULE_PATHNAME', 'bf_message_text'
LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION bangfu.message_text(text, "any") IS
    'A phrase of bangfu''s messages (src/messages.c) with its arguments, in the language of lc_messages.';

