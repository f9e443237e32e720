-- Back-pressure across nodes (issue 14, docs/cluster.md; ingest.IngestBackPressure): a batch that one node queued
-- and another node's persist stored is marked here, so the node that queued it counts it stored and its adapter
-- reads on. The queuing node deletes the marks it finds; one nobody claims (the batch of an earlier run) is deleted
-- after ten minutes by the next node that writes a mark. A batch a node stores itself leaves no mark.
CREATE TABLE ingest_batch_stored (
    batch_id  VARCHAR(36) PRIMARY KEY,
    stored_at TIMESTAMP WITH TIME ZONE NOT NULL
);
