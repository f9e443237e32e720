-- PostgreSQL's V9 stores province batch bodies uncompressed (db/vendor/postgresql). H2 has no such setting;
-- this migration only keeps the version numbers the same on both databases.
SELECT 1;
