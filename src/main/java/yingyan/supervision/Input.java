package yingyan.supervision;

import java.time.OffsetDateTime;
import yingyan.canonical.CanonicalRecord;

/** One record version a finding was computed from. */
public record Input(String recordId, OffsetDateTime updatedAt, String payloadSha256) {
    public static Input of(CanonicalRecord record) {
        return new Input(record.recordId(), record.source().updatedAt(), record.source().payloadSha256());
    }
}
