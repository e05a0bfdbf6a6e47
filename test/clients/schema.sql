-- test/clients/schema.sql: what the client tests (scripts/clients_test.sh)
-- query, in a database with CREATE EXTENSION bangfu.  A county's own tables
-- keyed by the identity number (二, 四), with a foreign key between cnid
-- columns; nothing here puts bangfu on the search_path.
CREATE TABLE person (id bangfu.cnid PRIMARY KEY, name text NOT NULL);
CREATE TABLE stay (
    stay   int PRIMARY KEY,
    person bangfu.cnid NOT NULL REFERENCES person,
    cost   numeric(12,2) NOT NULL
);
-- 11010519491231002X is the example of GB 11643-1999 (legacy form
-- 110105491231002); 440524188001010014 is another valid number.
INSERT INTO person VALUES ('11010519491231002X', '王某'), ('440524188001010014', '李某');
INSERT INTO stay VALUES (1, '11010519491231002X', 6000.01), (2, '11010519491231002X', 60000),
                        (3, '440524188001010014', 50);
-- JDBC tools send a string parameter typed varchar (setString): emulated
-- with a statement prepared for a varchar parameter, in each session.
