-- A province batch's body (up to 500 canonical records, ≈ 600 KB) is written once per batch and read back only
-- for a resend. Stored out of line but uncompressed: PostgreSQL's default compresses every such value with
-- pglz on insert, CPU spent on the push's critical path (forming the next batch) to save disk on a table
-- whose rows are kept for the record anyway. The answer is a list of record ids: the same holds.
ALTER TABLE province_batch ALTER COLUMN body SET STORAGE EXTERNAL;
ALTER TABLE province_batch ALTER COLUMN answer SET STORAGE EXTERNAL;
