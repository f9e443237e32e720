-- The last reconciliation of each adapter that runs one (housing-fund: its nightly pass comparing the centre's
-- keys and hashes with what is stored): when, how many rows it checked, how many the hub did not hold, how many
-- of those it read again. One row per adapter, replaced by each run; the console shows it.
CREATE TABLE source_reconciliation (
    adapter      VARCHAR(64)              NOT NULL PRIMARY KEY,
    started_at   TIMESTAMP WITH TIME ZONE NOT NULL,
    finished_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    checked      BIGINT                   NOT NULL,
    missing      BIGINT                   NOT NULL,
    reread       BIGINT                   NOT NULL,
    error        VARCHAR(1000)
);
