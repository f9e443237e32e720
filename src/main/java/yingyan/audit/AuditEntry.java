package yingyan.audit;

import java.time.OffsetDateTime;

/** One operator action as the audit log keeps it. */
public record AuditEntry(long seq, OffsetDateTime at, String actor, String action, String target, String outcome,
                         String prevHash, String entryHash) {
}
