-- bangfu 0.2.0 -> 0.3.0: ALTER EXTENSION bangfu UPDATE TO '0.3.0'.
--
-- Every change 0.3.0 makes to the install script (src/*.sql), made here to a
-- database installed at 0.2.0; scripts/upgrade_test.sh checks that the result
-- equals a fresh install.  One section per piece of work, in this order.

\echo Use "ALTER EXTENSION bangfu UPDATE TO '0.3.0'" to load this file. \quit


-- ==== security: the limit engine (issue 8) ================================



-- ==== security: privileges, personal data, install hazards (issue 8) ======



-- ==== the register on its own, restore (issue 9) ==========================



-- ==== operations: encodings, policy visibility (issue 9) ==================



-- ==== platforms: PostgreSQL 17 (issue 10) =================================
-- Nothing to do in SQL: PostgreSQL 16 and 17 needed only C changes
-- (src/compat.h), and the install script is the same on 15, 16 and 17.


-- ==== clients: cnid comparisons with text (issue 10) ======================



-- ==== readings settled in the spec (issue 15) =============================



-- ==== one-pass settlement (issue 12) ======================================



-- ==== messages in Chinese (issue 10) =======================================



-- ==== end ==================================================================
