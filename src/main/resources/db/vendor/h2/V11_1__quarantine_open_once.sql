-- One open entry per bad item, enforced: open_key is the payload hash while the entry is OPEN and NULL once
-- released (NULLs never collide), so QuarantineStore.add is one MERGE on this key instead of a
-- select-then-insert that two consumers could both pass. Generated, so no writer can forget it.
-- (db/vendor/postgresql has the same; H2 takes no STORED.)
ALTER TABLE quarantine ADD COLUMN open_key CHAR(64)
    GENERATED ALWAYS AS (CASE WHEN state = 'OPEN' THEN payload_sha256 END);
CREATE UNIQUE INDEX quarantine_open_once ON quarantine (adapter, open_key);
