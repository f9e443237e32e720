package yingyan.quarantine;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import org.apache.camel.ProducerTemplate;
import org.springframework.stereotype.Service;
import yingyan.canonical.CanonicalJson;
import yingyan.canonical.CanonicalRecord;
import yingyan.canonical.InvalidSourceException;
import yingyan.canonical.RecordValidator;
import yingyan.canonical.ResidentIds;
import yingyan.ingest.Normaliser;
import yingyan.spi.SourceItem;

/**
 * Releasing quarantined items: the stored raw bytes go through their adapter's mapping and validation
 * again (after a mapping fix or a corrected source), and on success into the queue like any new item.
 */
@Service
public class QuarantineService {
    /** Field marker of records quarantined by the persist step (their raw bytes are canonical JSON). */
    static final String PERSIST_FIELD = "(record)";

    private final QuarantineStore store;
    private final Normaliser normaliser;
    private final ProducerTemplate producer;

    public QuarantineService(QuarantineStore store, Normaliser normaliser, ProducerTemplate producer) {
        this.store = store;
        this.normaliser = normaliser;
        this.producer = producer;
    }

    /** Re-runs one item; the outcome says whether it is now queued as a record or why not. */
    public ReleaseOutcome release(long id) {
        QuarantineEntry e = store.find(id).orElse(null);
        if (e == null) {
            return new ReleaseOutcome(id, "NOT_FOUND", null, "no quarantined item " + id);
        }
        if (!QuarantineEntry.OPEN.equals(e.state())) {
            return new ReleaseOutcome(id, "ALREADY_RELEASED", e.recordId(), "released at " + e.releasedAt());
        }
        QuarantineStore.RawPayload raw = store.raw(id).orElseThrow();
        CanonicalRecord record;
        try {
            if (PERSIST_FIELD.equals(e.field())) {
                record = RecordValidator.requireValid(CanonicalJson.read(raw.text()));
            } else {
                SourceItem item = new SourceItem(e.adapter(), e.sourceKey(), raw.bytes(), raw.charset(), e.origin(),
                        OffsetDateTime.now(ZoneOffset.UTC));
                record = normaliser.mapOne(item);
            }
        } catch (InvalidSourceException ex) {
            String reason = ResidentIds.maskAll(ex.getMessage());
            store.releaseFailed(id, reason);
            return new ReleaseOutcome(id, "STILL_INVALID", null, reason);
        } catch (RuntimeException ex) {
            String reason = ResidentIds.maskAll(ex.getClass().getSimpleName() + ": " + ex.getMessage());
            store.releaseFailed(id, reason);
            return new ReleaseOutcome(id, "STILL_INVALID", null, reason);
        }
        // Durably queued before the entry is marked released: a crash in between re-releases, never loses.
        producer.sendBody("jms:queue:{{hub.queues.ingest}}?exchangePattern=InOnly",
                CanonicalJson.write(List.of(record)));
        store.markReleased(id, record.recordId(), "queued as " + record.recordId());
        return new ReleaseOutcome(id, "RELEASED", record.recordId(), "queued as " + record.recordId());
    }

    /** The result of one release. state: RELEASED, STILL_INVALID, ALREADY_RELEASED or NOT_FOUND. */
    public record ReleaseOutcome(long id, String state, String recordId, String detail) {
    }
}
