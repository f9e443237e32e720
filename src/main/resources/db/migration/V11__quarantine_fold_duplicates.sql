-- Issue 15: a bad item is one open quarantine entry (per adapter and payload hash), kept so by a unique key
-- (vendor V11_1). Concurrent consumers could open the same item more than once before it; those copies hold
-- the same bytes (same adapter, same SHA-256), so they are folded into the oldest: it takes their
-- occurrences and newest sighting, the later copies go. Runs unchanged on PostgreSQL and H2.
UPDATE quarantine q
SET occurrences  = (SELECT SUM(o.occurrences) FROM quarantine o
                    WHERE o.state = 'OPEN' AND o.adapter = q.adapter AND o.payload_sha256 = q.payload_sha256),
    last_seen_at = (SELECT MAX(o.last_seen_at) FROM quarantine o
                    WHERE o.state = 'OPEN' AND o.adapter = q.adapter AND o.payload_sha256 = q.payload_sha256)
WHERE q.state = 'OPEN'
  AND NOT EXISTS (SELECT 1 FROM quarantine o WHERE o.state = 'OPEN' AND o.adapter = q.adapter
                  AND o.payload_sha256 = q.payload_sha256 AND o.id < q.id)
  AND EXISTS (SELECT 1 FROM quarantine o WHERE o.state = 'OPEN' AND o.adapter = q.adapter
              AND o.payload_sha256 = q.payload_sha256 AND o.id > q.id);
DELETE FROM quarantine
WHERE state = 'OPEN'
  AND EXISTS (SELECT 1 FROM quarantine o WHERE o.state = 'OPEN' AND o.adapter = quarantine.adapter
              AND o.payload_sha256 = quarantine.payload_sha256 AND o.id < quarantine.id);
