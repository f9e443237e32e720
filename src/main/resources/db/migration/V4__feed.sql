-- The change feed (GET /api/v1/feed) pages record_version by seq. An identity value is taken at insert
-- but becomes visible at commit, so without care a transaction that took seq 10 could commit after one
-- that took seq 11 was already served: a consumer whose cursor passed 11 would never see 10.
-- Every transaction that writes versions therefore first updates this single row (RecordStore.apply)
-- and so holds its row lock from taking its first seq until it commits: seqs are handed out in commit
-- order, and what a reader sees of record_version is always a gap-free prefix of what will ever be
-- committed (rolled-back seqs leave holes that nobody fills, which is harmless).
-- Runs unchanged on PostgreSQL and on H2 in PostgreSQL mode.
CREATE TABLE feed_lock (
    id        INTEGER NOT NULL PRIMARY KEY,
    -- how many transactions have written versions; the value is incidental, the row lock is the point
    writes    BIGINT  NOT NULL
);
INSERT INTO feed_lock (id, writes) VALUES (1, 0);

-- The feed with a region or domain filter (consumers limited by grants).
CREATE INDEX record_version_by_region ON record_version (region_code, seq);
CREATE INDEX record_version_by_domain ON record_version (domain, seq);
