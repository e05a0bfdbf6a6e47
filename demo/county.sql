-- demo/county.sql: the county walk-through run by scripts/demo.sh.
-- Placeholder until the extension's SQL surface settles: it only proves the
-- extension installs into a fresh database.
CREATE EXTENSION IF NOT EXISTS bangfu;
SELECT extname, extversion FROM pg_extension WHERE extname = 'bangfu';
