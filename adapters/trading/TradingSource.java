package yingyan.adapters.trading;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import yingyan.canonical.CanonicalTime;
import yingyan.spi.AdapterMonitor;
import yingyan.spi.ExactJson;
import yingyan.spi.IngestGateway;
import yingyan.spi.IngestOutcome;
import yingyan.spi.JsonPages;
import yingyan.spi.Payloads;
import yingyan.spi.PollingSource;
import yingyan.spi.Quarantine;
import yingyan.spi.SourceItem;
import yingyan.spi.Watermarks;

/**
 * Reads the trading centre's three change streams (BIDDING, MINING, PROPERTY) one after the other, each from its
 * own watermark minus the overlap ({@code changedSince} is inclusive), following {@code nextCursor} while
 * {@code hasMore}. Pages are at least once: an item seen again in the same pass with the same content is
 * submitted once; one seen again in a later poll is a repeat the hub recognises by its payload hash. Each page is
 * durably queued before its type's watermark moves to the newest {@code updatedAt} of the items the hub took
 * (mapped and queued): an item it quarantined never moves the watermark, so an item dated wrongly cannot carry
 * it past items not yet read. An item dated more than {@code clock-tolerance} after the hub's clock is
 * quarantined here, with the reason, and not handed on; the watermark never passes now plus that tolerance.
 * A 410 (cursor expired) restarts that type from its stored watermark minus the overlap, never from the
 * beginning; a {@code nextCursor} the centre already gave in the same pass (a loop) stops the poll.
 */
@Component
class TradingSource extends PollingSource {
    private static final Logger log = LoggerFactory.getLogger(TradingSource.class);
    private static final String ID = TradingProperties.ADAPTER_ID;

    private final TradingProperties props;
    private final IngestGateway gateway;
    private final Watermarks watermarks;
    private final Quarantine quarantine;
    private final TradingApi api;
    private Clock clock = Clock.system(CanonicalTime.BEIJING);

    TradingSource(TradingProperties props, IngestGateway gateway, Watermarks watermarks, AdapterMonitor monitor,
                  Quarantine quarantine) {
        super(monitor, ID);
        this.props = props;
        this.gateway = gateway;
        this.watermarks = watermarks;
        this.quarantine = quarantine;
        this.api = new TradingApi(props);
    }

    /** Tests set the time of day (the maintenance window). */
    void useClock(Clock c) {
        this.clock = c;
        api.useClock(c);
    }

    @EventListener(ContextClosedEvent.class)
    void stopping() {
        api.stop();
    }

    @Override
    protected IngestOutcome pollOnce() {
        if (api.skipsPoll()) {
            log.debug("trading: inside the maintenance window {}–{}; poll skipped", props.maintenanceStart(),
                    props.maintenanceEnd());
            return IngestOutcome.empty();
        }
        Totals totals = new Totals();
        try {
            for (String type : TradingPositions.TYPES) {
                if (!readType(type, totals)) {
                    log.info("trading: maintenance 503 while reading {}; the poll ends here", type);
                    break;
                }
            }
        } catch (RuntimeException e) {
            state().progressed(totals.queued, totals.quarantined);
            throw e;
        }
        if (totals.queued + totals.quarantined > 0) {
            log.info("trading poll: {} queued, {} quarantined, position {}", totals.queued, totals.quarantined,
                    watermarks.get(ID).orElse("(none)"));
        }
        return new IngestOutcome(totals.queued, totals.quarantined, totals.ids, totals.reasons);
    }

    /** Reads one type to its end; false when the maintenance window interrupted it. */
    private boolean readType(String type, Totals totals) {
        OffsetDateTime since = from(type);
        String cursor = null;
        int restarts = 0;
        int pageNo = 0;
        Set<String> seen = new HashSet<>();
        Set<String> cursors = new HashSet<>();
        while (true) {
            TradingApi.Answer answer = api.changes(type, since, cursor);
            if (answer instanceof TradingApi.Maintenance) {
                return false;
            }
            if (answer instanceof TradingApi.Gone) {
                if (++restarts > props.maxRestarts()) {
                    throw new SourceFailure("the trading centre's cursor for " + type + " expired (410) "
                            + restarts + " times in one poll (hub.adapters.trading.max-restarts); the poll resumes"
                            + " from the watermark");
                }
                since = from(type);
                log.info("trading: {} cursor expired (410); restarting {} from {}", type, type, since);
                cursor = null;
                cursors.clear();
                continue;
            }
            pageNo++;
            JsonPages.Page page;
            try {
                page = ExactJson.readPage(((TradingApi.Page) answer).body(), "data");
            } catch (IOException e) {
                throw new SourceFailure("the trading centre answered " + TradingApi.describe(type, since, cursor)
                        + " with no readable page: " + ExactJson.why(e));
            }
            if (page.items() == null) {
                throw new SourceFailure("the trading centre answered " + TradingApi.describe(type, since, cursor)
                        + " with a page without a \"data\" array");
            }
            submit(type, pageNo, page.items(), seen, totals);
            JsonNode root = page.root();
            String next = root.path("nextCursor").isTextual() ? root.path("nextCursor").textValue() : null;
            if (!root.path("hasMore").asBoolean(false) || next == null || next.isEmpty()) {
                return true;
            }
            if (!cursors.add(next)) {
                throw new SourceFailure("the trading centre gave the same nextCursor again with hasMore=true while "
                        + type + " was paged from " + CanonicalTime.format(since) + " (page " + pageNo + "): following"
                        + " it would loop for ever. The poll stops here; what was read is queued and the " + type
                        + " watermark stays where the last page left it. Report the looping cursor to the centre");
            }
            cursor = next;
        }
    }

    private OffsetDateTime from(String type) {
        OffsetDateTime w = TradingPositions.parse(watermarks.get(ID).orElse(null)).get(type);
        return w != null ? w.minus(props.overlap()) : OffsetDateTime.parse(props.startFrom());
    }

    private void submit(String type, int pageNo, List<JsonPages.Item> elements, Set<String> seen, Totals totals) {
        OffsetDateTime now = OffsetDateTime.now(clock).withOffsetSameInstant(CanonicalTime.BEIJING);
        OffsetDateTime latest = now.plus(props.clockTolerance());
        List<SourceItem> items = new ArrayList<>(elements.size());
        Map<String, OffsetDateTime> times = new HashMap<>();
        for (int i = 0; i < elements.size(); i++) {
            JsonPages.Item e = elements.get(i);
            String origin = type + " page " + pageNo + " item " + (i + 1);
            if (e.refused()) {
                items.add(SourceItem.utf8(ID, null, e.raw(), origin, now));
                continue;
            }
            byte[] stable = Payloads.stableJson(e.node());
            String key = e.node().path("tradeCode").isTextual() ? e.node().path("tradeCode").textValue() : null;
            if (!seen.add(key + "\n" + Payloads.sha256(stable))) {
                continue; // the same version again on a later page of this pass
            }
            OffsetDateTime updatedAt = updatedAt(e.node().path("updatedAt").asText(null));
            if (updatedAt != null && updatedAt.isAfter(latest)) {
                quarantineFutureDated(key, origin, updatedAt, now, stable, totals);
                continue;
            }
            if (updatedAt != null && key != null) {
                times.merge(key, updatedAt, (a, b) -> a.isAfter(b) ? a : b);
            }
            items.add(SourceItem.utf8(ID, key, stable, origin, now, e.node()));
        }
        OffsetDateTime newest = null;
        if (!items.isEmpty()) {
            IngestOutcome o = gateway.submit(items);
            totals.add(o);
            // Only what the hub took moves the watermark: a quarantined item may be dated anywhere.
            for (String recordId : o.queuedRecordIds()) {
                OffsetDateTime t = times.get(recordId.substring(recordId.indexOf(':') + 1));
                if (t != null && (newest == null || t.isAfter(newest))) {
                    newest = t;
                }
            }
        }
        if (newest != null) {
            TradingPositions positions = TradingPositions.parse(watermarks.get(ID).orElse(null));
            OffsetDateTime current = positions.get(type);
            if (current == null || newest.isAfter(current)) {
                positions.put(type, newest);
                watermarks.put(ID, positions.format()); // after submit returned: a crash re-reads, never skips
            }
        }
        progressed(totals.queued + totals.quarantined, totals.queued, totals.quarantined, type + " page " + pageNo);
    }

    /** An item dated after the hub's clock plus the tolerance: the centre's clock or the item is wrong. */
    private void quarantineFutureDated(String key, String origin, OffsetDateTime updatedAt, OffsetDateTime now,
                                       byte[] stable, Totals totals) {
        String reason = "updatedAt " + CanonicalTime.format(updatedAt) + " is later than the hub's clock ("
                + CanonicalTime.format(now) + ") plus hub.adapters.trading.clock-tolerance (" + props.clockTolerance()
                + "): the centre's clock or this transaction's date is wrong. It was not handed on and does not move"
                + " the watermark; have the centre correct it (it comes again with its next change), or release it"
                + " here once its date is right";
        quarantine.add(ID, key, origin, "updatedAt", reason, Payloads.sha256(stable), stable, StandardCharsets.UTF_8);
        log.warn("trading: {} ({}) is dated {}, after the hub's clock; quarantined", key, origin,
                CanonicalTime.format(updatedAt));
        totals.quarantined++;
        totals.reasons.add(origin + ": " + reason);
    }

    /** The item's updatedAt in seconds; null when absent or unparseable (the mapper's to refuse). */
    private static OffsetDateTime updatedAt(String updatedAt) {
        if (updatedAt == null) {
            return null;
        }
        try {
            return TradingMapper.beijing(updatedAt);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /**
     * Backfill ({@code yingyan backfill --adapter trading --since 2026-11-01}): each type's watermark goes back to
     * {@code since} (never forward) and the hub polls until caught up.
     */
    @Override
    protected OffsetDateTime rewindTo(OffsetDateTime since) {
        TradingPositions positions = TradingPositions.parse(watermarks.get(ID).orElse(null));
        if (positions.isEmpty()) {
            return null; // nothing read yet: the next poll reads from start-from anyway
        }
        for (String type : TradingPositions.TYPES) {
            OffsetDateTime current = positions.get(type);
            if (current != null && current.isAfter(since)) {
                positions.put(type, since);
            }
        }
        watermarks.put(ID, positions.format());
        return positions.earliest() != null ? positions.earliest() : since;
    }

    @Override
    protected OffsetDateTime readPosition() {
        return TradingPositions.parse(watermarks.get(ID).orElse(null)).earliest();
    }

    private static final class Totals {
        int queued;
        int quarantined;
        final List<String> ids = new ArrayList<>();
        final List<String> reasons = new ArrayList<>();

        void add(IngestOutcome o) {
            queued += o.queued();
            quarantined += o.quarantined();
            ids.addAll(o.queuedRecordIds());
            reasons.addAll(o.reasons());
        }
    }
}
