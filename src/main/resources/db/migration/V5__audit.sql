-- Tamper evidence (issue 6): the history of applied versions and the log of operator actions are each
-- a hash chain. Every entry's hash covers the previous entry's hash and the entry's own fields
-- (yingyan.audit.HashChain), so editing, deleting or reordering an entry breaks the chain from there on,
-- and `verify` says where. Runs unchanged on PostgreSQL and on H2 in PostgreSQL mode.

-- record_version: seqs are now handed out by RecordStore under the feed_lock row (which it already held
-- from the first seq to commit), so each version's chain hash can be computed before it is inserted.
-- Versions applied before this migration keep a NULL chain_hash: the chain starts after them.
ALTER TABLE record_version ADD COLUMN chain_hash CHAR(64);
ALTER TABLE feed_lock ADD COLUMN last_seq BIGINT NOT NULL DEFAULT 0;
-- hash of the newest chained version; the chain's genesis is 64 zeros
ALTER TABLE feed_lock ADD COLUMN chain_head CHAR(64) NOT NULL DEFAULT '0000000000000000000000000000000000000000000000000000000000000000';
UPDATE feed_lock SET last_seq = COALESCE((SELECT MAX(seq) FROM record_version), 0) WHERE id = 1;

-- Operator actions: who, when, what, on what, and how it came out. Written in its own transaction, so an
-- action that fails is logged too.
CREATE TABLE audit_log (
    seq         BIGINT                   NOT NULL PRIMARY KEY,
    at          TIMESTAMP WITH TIME ZONE NOT NULL,
    actor       VARCHAR(200)             NOT NULL,
    action      VARCHAR(100)             NOT NULL,
    target      VARCHAR(1000)            NOT NULL,
    outcome     VARCHAR(4000)            NOT NULL,
    prev_hash   CHAR(64)                 NOT NULL,
    entry_hash  CHAR(64)                 NOT NULL
);
CREATE INDEX audit_log_by_actor ON audit_log (actor, seq);

-- The audit chain's head: writers serialise on this row, and it tells whether the newest entries are gone.
CREATE TABLE audit_head (
    id        INTEGER  NOT NULL PRIMARY KEY,
    last_seq  BIGINT   NOT NULL,
    head      CHAR(64) NOT NULL
);
INSERT INTO audit_head (id, last_seq, head)
VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');
