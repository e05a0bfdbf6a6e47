
-- ---------------------------------------------------------------------------
-- Reports for people and tools (一, 二, 四, 十一; issue 13): views with a
-- comment on every column, readable by bangfu_reader, identity numbers
-- masked.  New in 0.3.0: appended to both the install script and the
-- adoption script (doc/money.md).
-- ---------------------------------------------------------------------------
