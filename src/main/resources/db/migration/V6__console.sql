-- The console's flow board and charts (issue 5): what each adapter's records came to, per clock minute
-- (UTC), written by RecordStore in the same transaction as the versions themselves, so "records in the
-- last minute / hour", the per-minute chart and the lag survive a restart and never count a rolled-back
-- batch. Pruned after hub.console.flow-retention. Runs unchanged on PostgreSQL and H2 (PostgreSQL mode).
CREATE TABLE flow_minute (
    adapter            VARCHAR(64)              NOT NULL,
    -- the start of the minute, UTC, seconds zero (MINUTE is a keyword in H2)
    minute_at          TIMESTAMP WITH TIME ZONE NOT NULL,
    applied            BIGINT                   NOT NULL,
    duplicates         BIGINT                   NOT NULL,
    stale              BIGINT                   NOT NULL,
    conflicts          BIGINT                   NOT NULL,
    -- the newest source.updatedAt among the records the adapter delivered in that minute (lag = now - it)
    newest_updated_at  TIMESTAMP WITH TIME ZONE,
    PRIMARY KEY (adapter, minute_at)
);
CREATE INDEX flow_minute_by_minute ON flow_minute (minute_at);
