-- Files an adapter has processed (land-transfer XML exports, procurement CSV exports), keyed by name,
-- size and content hash: a file is processed once, also across restarts, while a re-export under the
-- same name with new content is a new file.
CREATE TABLE processed_file (
    adapter       VARCHAR(64)              NOT NULL,
    file_name     VARCHAR(500)             NOT NULL,
    file_size     BIGINT                   NOT NULL,
    sha256        CHAR(64)                 NOT NULL,
    queued        BIGINT                   NOT NULL,
    quarantined   BIGINT                   NOT NULL,
    processed_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (adapter, file_name, file_size, sha256)
);
