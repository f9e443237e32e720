-- Retention (hub.retention.*, yingyan.retention.Retention). Runs unchanged on PostgreSQL and H2 (PostgreSQL mode).

-- A province batch's body is needed only while the batch may be sent again (SENDING, FAILED); once answered
-- (DONE), split or released and older than hub.retention.province-batch-body, it is dropped and the row stays
-- (size, SHA-256, counts, the answer) for the ledger and the verifier.
ALTER TABLE province_batch ALTER COLUMN body DROP NOT NULL;

-- The delivery ledger is pruned from its oldest end only, and only over versions that are settled: ACCEPTED,
-- SUPERSEDED, or REJECTED with a newer version of the record. Every ledger row below pruned_below is gone on
-- purpose; the verifier checks the ledger from there on (a row missing above it is still a finding).
CREATE TABLE ledger_retention (
    id            INTEGER                  NOT NULL PRIMARY KEY,
    pruned_below  BIGINT                   NOT NULL,
    pruned_rows   BIGINT                   NOT NULL,
    pruned_at     TIMESTAMP WITH TIME ZONE
);
INSERT INTO ledger_retention (id, pruned_below, pruned_rows) VALUES (1, 0, 0);

CREATE INDEX processed_file_by_time ON processed_file (processed_at);
CREATE INDEX quarantine_by_released ON quarantine (released_at);
