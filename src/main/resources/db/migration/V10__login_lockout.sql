-- The login lockout's counts (issue 15): shared by every hub node on one database, so a guesser spreading
-- attempts over the nodes behind the balancer meets one count, and a lock set by one node holds on all.
-- One row per user name or client address that failed recently (security.LoginThrottle); a row whose window
-- and lock have both ended is pruned. Runs unchanged on PostgreSQL and H2 (PostgreSQL mode).
CREATE TABLE login_lockout (
    -- 'u:' + HMAC-SHA256 (hex) of the user name, never the name itself (someone may type a resident ID into
    -- the name field), or 'a:' + the client address
    subject       VARCHAR(120)             PRIMARY KEY,
    -- failures in the window that started at window_start (null: none counting)
    failures      INTEGER                  NOT NULL,
    window_start  TIMESTAMP WITH TIME ZONE,
    -- refused unchecked until then (null: never locked)
    locked_until  TIMESTAMP WITH TIME ZONE,
    -- the last failure: the oldest go first when more than hub.security.lockout.max-tracked are counting
    last_seen     TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX login_lockout_by_last_seen ON login_lockout (last_seen);
