package yingyan.province;

import java.time.OffsetDateTime;

/**
 * A stored batch ({@code province_batch}); {@code body} is null where it was read for a list (only a send
 * reads it).
 */
public record Batch(long batchNo, String batchId, String state, byte[] body, int recordCount, long firstSeq,
                    long lastSeq, int attempts, OffsetDateTime nextAttemptAt, OffsetDateTime createdAt,
                    OffsetDateTime lastAttemptAt, String lastError, Integer httpStatus,
                    OffsetDateTime completedAt, String failureReason, long bodySize) {
}
