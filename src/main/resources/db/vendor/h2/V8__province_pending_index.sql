-- PostgreSQL's V8 adds a partial index of the PENDING province ledger rows (db/vendor/postgresql). H2 has
-- no partial indexes; the quick start's ledger is small and province_delivery_by_state serves it. This
-- migration only keeps the version numbers the same on both databases.
SELECT 1;
