-- Reporting quality (supervision.md §5, yingyan.quality): what the monthly figures are computed from. The
-- department code, status, steps and fields of a version live only inside record_version.body (canonical JSON),
-- which H2 cannot read in SQL and which is far too wide to scan for a month's figures. So every applied version
-- gets one narrow row here, written by QualityIndexer in seq order behind record_version (seqs become visible in
-- commit order, V4__feed.sql, so a cursor on seq misses nothing), and the figures are SQL aggregates over it.
-- Runs unchanged on PostgreSQL and H2 (PostgreSQL mode).
CREATE TABLE quality_version (
    -- record_version.seq
    seq              BIGINT                   NOT NULL PRIMARY KEY,
    record_id        VARCHAR(300)             NOT NULL,
    -- source.system (the adapter id) and department.code: the department's key
    source_system    VARCHAR(64)              NOT NULL,
    department_code  VARCHAR(200)             NOT NULL,
    -- the Beijing month (YYYY-MM) of fetched_at (MONTH is a keyword in H2)
    fetched_month    CHAR(7)                  NOT NULL,
    fetched_at       TIMESTAMP WITH TIME ZONE NOT NULL,
    -- fetchedAt - source.updatedAt, in milliseconds (timeliness)
    lag_ms           BIGINT                   NOT NULL,
    status           VARCHAR(16)              NOT NULL,
    -- what the version carries, '|'-delimited: its steps, 'limits.legalWorkingDays', 'limits.promisedWorkingDays',
    -- 'party', 'amount:<KIND>' (completeness compares it with hub.quality.expectations)
    present          VARCHAR(1000)            NOT NULL
);
-- A month's rows, and per record the newest of them (completeness, versions per record).
CREATE INDEX quality_version_by_month ON quality_version (fetched_month, record_id, seq);

-- How far QualityIndexer got: every record_version up to last_seq has its quality_version row. Indexers on
-- several hub nodes serialise on this row.
CREATE TABLE quality_cursor (
    id          INTEGER                  NOT NULL PRIMARY KEY,
    last_seq    BIGINT                   NOT NULL,
    updated_at  TIMESTAMP WITH TIME ZONE
);
INSERT INTO quality_cursor (id, last_seq) VALUES (1, 0);

-- Accuracy: a month's quarantined items per adapter.
CREATE INDEX quarantine_by_received ON quarantine (received_at);
