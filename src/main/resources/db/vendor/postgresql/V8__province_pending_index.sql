-- Forming a province batch reads the oldest PENDING versions (DeliveryLedger.formNext). Once a backlog is
-- being sent, the planner's statistics still say "almost every row is PENDING", so it walks the primary
-- key from seq 1 and filters out every version already sent: each batch costs O(versions sent), a backlog
-- of millions becomes quadratic (README, "Performance"). An index of the PENDING rows alone keeps each
-- batch at O(batch). PostgreSQL only: H2 has no partial indexes (db/vendor/h2/V8 keeps the numbering).
CREATE INDEX province_delivery_pending ON province_delivery (seq) WHERE state = 'PENDING';
