-- One open entry per bad item, enforced: open_key is the payload hash while the entry is OPEN and NULL once
-- released (NULLs never collide), so QuarantineStore.add is one INSERT … ON CONFLICT on this key instead of
-- a select-then-insert that two consumers could both pass. Generated, so no writer can forget it.
-- (db/vendor/h2 has the same; only the generated-column syntax differs.)
ALTER TABLE quarantine ADD COLUMN open_key CHAR(64)
    GENERATED ALWAYS AS (CASE WHEN state = 'OPEN' THEN payload_sha256 END) STORED;
CREATE UNIQUE INDEX quarantine_open_once ON quarantine (adapter, open_key);
