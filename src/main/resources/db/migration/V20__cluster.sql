-- Cluster (issue 14, docs/cluster.md): the same on PostgreSQL and H2.
-- INT_LOCK: Spring Integration's JdbcLockRegistry, the library's own DDL (schema-postgresql.sql / schema-h2.sql
-- of spring-integration-jdbc, identical for both): one row per leadership role held, renewed every heartbeat.
CREATE TABLE INT_LOCK (
    LOCK_KEY CHAR(36) NOT NULL,
    REGION VARCHAR(100) NOT NULL,
    CLIENT_ID CHAR(36),
    CREATED_DATE TIMESTAMP NOT NULL,
    CONSTRAINT INT_LOCK_PK PRIMARY KEY (LOCK_KEY, REGION)
);

-- Presence: each elected node writes its row every hub.cluster.presence-interval (what GET /api/v1/cluster and
-- the console show, and how a node names the one that runs a job). jobs: the roles it leads, comma-separated.
CREATE TABLE cluster_node (
    name       VARCHAR(100) PRIMARY KEY,
    host       VARCHAR(255) NOT NULL,
    started_at TIMESTAMP WITH TIME ZONE NOT NULL,
    last_seen  TIMESTAMP WITH TIME ZONE NOT NULL,
    jobs       VARCHAR(4000) NOT NULL DEFAULT ''
);

-- An adapter stopped by an operator: seen by every node, kept across restarts until someone starts it again.
CREATE TABLE adapter_stop (
    adapter_id VARCHAR(100) PRIMARY KEY,
    stopped_by VARCHAR(200) NOT NULL,
    stopped_at TIMESTAMP WITH TIME ZONE NOT NULL
);
