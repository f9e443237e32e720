-- Issue 15: the id of the key that encrypted each quarantined payload (also in the ciphertext's own prefix),
-- so an operator can see which retired key is still needed: a previous key may go once no entry names it.
-- Every entry stored before is key id 1. Runs unchanged on PostgreSQL and H2.
ALTER TABLE quarantine ADD COLUMN raw_key_id INTEGER NOT NULL DEFAULT 1;
