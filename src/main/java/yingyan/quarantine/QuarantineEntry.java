package yingyan.quarantine;

import java.time.OffsetDateTime;

/**
 * A quarantined item as people see it: never the raw bytes (see {@link QuarantineStore#raw}).
 *
 * @param origin where it is in the source: file and line, page and position, row key
 * @param field the offending field, when one field is to blame
 * @param reason field, value (resident IDs masked) and rule, in words a person can act on
 */
public record QuarantineEntry(long id, String adapter, String sourceKey, String origin, String field, String reason,
                              String payloadSha256, long rawSize, OffsetDateTime receivedAt,
                              OffsetDateTime lastSeenAt, int occurrences, String state, OffsetDateTime releasedAt,
                              String releaseOutcome, String recordId) {
    public static final String OPEN = "OPEN";
    public static final String RELEASED = "RELEASED";
}
