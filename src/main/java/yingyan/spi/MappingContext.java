package yingyan.spi;

import java.time.OffsetDateTime;
import yingyan.canonical.ProtectedId;
import yingyan.canonical.ResidentIdProtector;
import yingyan.canonical.SourceLineage;

/** What a mapper needs besides the item: resident-ID protection and the lineage of the item. */
public final class MappingContext {
    private final ResidentIdProtector ids;

    public MappingContext(ResidentIdProtector ids) {
        this.ids = ids;
    }

    /** Validates, masks and hashes a resident ID; the clear number must go no further. */
    public ProtectedId protectId(String field, String rawId, boolean legacy) {
        return ids.protect(field, rawId, legacy);
    }

    /** Lineage of a record version mapped from {@code item}: hash over the raw bytes as received. */
    public SourceLineage lineage(SourceItem item, String key, OffsetDateTime updatedAt) {
        return new SourceLineage(item.adapterId(), key, updatedAt, item.fetchedAt(), Payloads.sha256(item.raw()));
    }
}
