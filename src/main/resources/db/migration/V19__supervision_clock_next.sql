-- The clock revisits an open case only when what a deadline rule finds for it can change (issue 12: a pass over
-- 1,000,000 open cases in under a minute). clock_next is the first instant after the case was last evaluated at
-- which a time-dependent rule's outcome changes (Rule.changesAt), NULL when none will; kept by the follower when
-- it indexes a version and by the clock after each pass. A pass reads the range clock_next <= now.
-- Rows indexed before this migration have NULL: the first pass after it is a full pass (the clock's rule
-- fingerprint, supervision_position 'clock_rules', is missing), which fills the column.
-- Runs unchanged on PostgreSQL and H2.
ALTER TABLE supervision_record ADD COLUMN clock_next TIMESTAMP WITH TIME ZONE;
CREATE INDEX supervision_record_clock_next ON supervision_record (clock_next);
