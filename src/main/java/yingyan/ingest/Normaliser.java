package yingyan.ingest;

import java.util.ArrayList;
import java.util.List;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import yingyan.canonical.CanonicalRecord;
import yingyan.canonical.InvalidSourceException;
import yingyan.canonical.RecordValidator;
import yingyan.canonical.ResidentIdProtector;
import yingyan.canonical.ResidentIds;
import yingyan.canonical.Violation;
import yingyan.config.HubProperties;
import yingyan.quarantine.QuarantineStore;
import yingyan.spi.IngestGateway;
import yingyan.spi.IngestOutcome;
import yingyan.spi.MappingContext;
import yingyan.spi.Payloads;
import yingyan.spi.SourceItem;
import yingyan.spi.SourceMapper;

/**
 * The normalise and validate steps of the {@code ingest} route: maps each source item with its
 * adapter's mapper, validates it against canonical v1, quarantines what fails (with field, value and
 * rule) and leaves the good records as one JSON batch for the queue. One bad item never stops the rest.
 */
@Component("normaliser")
public class Normaliser {
    /** Exchange property: the outcome of the batch, read by {@link IngestGateway}. */
    public static final String OUTCOME = "yingyanIngestOutcome";
    private static final Logger log = LoggerFactory.getLogger(Normaliser.class);

    private final MapperRegistry mappers;
    private final QuarantineStore quarantine;
    private final MappingContext context;

    public Normaliser(MapperRegistry mappers, QuarantineStore quarantine, HubProperties hub) {
        this.mappers = mappers;
        this.quarantine = quarantine;
        this.context = new MappingContext(new ResidentIdProtector(hub.personalData().hmacKeyId(),
                hub.personalData().hmacKey()));
    }

    /** Body in: {@code List<SourceItem>}; body out: the valid records as a {@link QueuedBatch}, or null when none is. */
    public void normalise(Exchange exchange) {
        @SuppressWarnings("unchecked")
        List<SourceItem> items = exchange.getIn().getBody(List.class);
        List<CanonicalRecord> good = new ArrayList<>(items.size());
        List<String> ids = new ArrayList<>(items.size());
        List<String> reasons = new ArrayList<>();
        for (SourceItem item : items) {
            try {
                CanonicalRecord r = mapOne(item);
                good.add(r);
                ids.add(r.recordId());
            } catch (InvalidSourceException e) {
                reasons.add(quarantine(item, e.violations()));
            }
        }
        exchange.getIn().setBody(good.isEmpty() ? null : QueuedBatch.encode(good));
        exchange.setProperty(OUTCOME, new IngestOutcome(good.size(), reasons.size(), ids, reasons));
    }

    /** Maps and validates one item; every failure comes out as an {@link InvalidSourceException}. */
    public CanonicalRecord mapOne(SourceItem item) {
        SourceMapper mapper = mappers.find(item.adapterId()).orElseThrow(() -> new InvalidSourceException(
                "source.system", item.adapterId(), "no mapper is registered for this adapter"));
        CanonicalRecord r;
        try {
            r = mapper.map(item, context);
        } catch (InvalidSourceException e) {
            throw e;
        } catch (RuntimeException e) {
            // A mapper bug or an unforeseen shape: the item is quarantined, never dropped.
            throw new InvalidSourceException("(item)", null, "mapping failed: " + ResidentIds.maskAll(
                    e.getClass().getSimpleName() + ": " + e.getMessage()));
        }
        RecordValidator.requireValid(r);
        if (!mapper.acceptsSourceSystem(r.source().system())) {
            throw new InvalidSourceException("source.system", r.source().system(),
                    "must be the adapter id '" + item.adapterId() + "'");
        }
        return r;
    }

    /**
     * Stores the item in quarantine. The source key and origin are a department's words (a key may be an ID, a
     * file name may carry one): stored and logged masked like the reason. The log says what is new: the same bad
     * item read again by every poll's overlap only counts an occurrence of its open entry, so only a new entry
     * (the first sighting, or one after its release) gets a WARN.
     */
    private String quarantine(SourceItem item, List<Violation> violations) {
        String reason = ResidentIds.maskAll(String.join("; ", violations.stream().map(Violation::describe).toList()));
        String field = violations.isEmpty() ? null : violations.get(0).field();
        String key = ResidentIds.maskAll(item.sourceKey());
        String origin = ResidentIds.maskAll(item.origin());
        QuarantineStore.Opened entry = quarantine.open(item.adapterId(), key, origin, field, reason,
                Payloads.sha256(item.raw()), item.raw(), item.charset());
        if (entry.isNew()) {
            log.warn("quarantined {} item {} ({}) as entry {}: {}", item.adapterId(), key, origin, entry.id(), reason);
        } else {
            log.debug("{} item {} ({}) seen again, still open as entry {}", item.adapterId(), key, origin, entry.id());
        }
        return reason;
    }
}
