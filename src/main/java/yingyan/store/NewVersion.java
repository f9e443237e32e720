package yingyan.store;

import java.time.OffsetDateTime;
import yingyan.canonical.CanonicalJson;
import yingyan.canonical.CanonicalRecord;

/**
 * A record version as {@link RecordStore} applies it: the fields its version rules and its rows need, and
 * the canonical JSON, written once where the record was normalised. The persist step reads these from the
 * queued batch ({@code yingyan.ingest.QueuedBatch}) without building the record again.
 */
public record NewVersion(String recordId, String domain, String regionCode, String departmentCode, String system,
                         String key,
                         OffsetDateTime updatedAt, String payloadSha256, OffsetDateTime fetchedAt, String body) {

    /** The version of a validated record, with its canonical JSON written now. */
    public static NewVersion of(CanonicalRecord r) {
        return of(r, CanonicalJson.write(r));
    }

    /** The version of a validated record whose canonical JSON ({@code body}) was already written. */
    public static NewVersion of(CanonicalRecord r, String body) {
        return new NewVersion(r.recordId(), r.domain().name(), r.regionCode(),
                r.department() == null ? null : r.department().code(), r.source().system(), r.source().key(),
                r.source().updatedAt(), r.source().payloadSha256(), r.source().fetchedAt(), body);
    }
}
