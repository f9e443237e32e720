package yingyan.adapters.approvals;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import yingyan.canonical.CanonicalTime;
import yingyan.spi.ExactJson;
import yingyan.spi.AdapterMonitor;
import yingyan.spi.IngestGateway;
import yingyan.spi.IngestOutcome;
import yingyan.spi.JsonPages;
import yingyan.spi.Payloads;
import yingyan.spi.PollingSource;
import yingyan.spi.Quarantine;
import yingyan.spi.SourceItem;
import yingyan.spi.Watermarks;

/**
 * Reads new and changed cases from the approval system, page by page, without losing or skipping a case
 * that moves to a later page while the hub pages (see the README, "Paging"): after each full page the
 * query restarts at the last item's {@code updatedAt}; only a full page that lies wholly in one second
 * advances the page number, and then the previous page's last item is re-read to prove the boundary did
 * not shift. When it did, the previous page is read again and what follows the last case read there is
 * taken too, and the pass goes on. Each page is durably queued before the watermark moves past it.
 */
@Component
class ApprovalsSource extends PollingSource {
    /**
     * How often the hub may lose its place in one second's block (more than a page of it moved between two
     * requests) before the poll gives up and resumes later. Smaller shifts never restart the second.
     */
    static final int MAX_SECOND_RESTARTS = 10;
    private static final Logger log = LoggerFactory.getLogger(ApprovalsSource.class);
    private static final String ID = ApprovalsProperties.ADAPTER_ID;

    private final ApprovalsProperties props;
    private final IngestGateway gateway;
    private final Watermarks watermarks;
    private final Quarantine quarantine;
    private final ApprovalsApi api;

    ApprovalsSource(ApprovalsProperties props, AdapterMonitor monitor, IngestGateway gateway,
                           Watermarks watermarks, Quarantine quarantine) {
        super(monitor, ID);
        this.props = props;
        this.gateway = gateway;
        this.watermarks = watermarks;
        this.quarantine = quarantine;
        this.api = new ApprovalsApi(props);
    }

    /** Published before Camel stops its routes: a poll waiting on a backoff or a slow answer ends now. */
    @EventListener(ContextClosedEvent.class)
    void stopping() {
        api.stop();
    }

    @Override
    protected IngestOutcome pollOnce() {
        Totals totals = new Totals();
        try {
            read(totals);
        } catch (RuntimeException e) {
            // What was queued before the failure still counts; the failure itself is the monitor's.
            state().progressed(totals.queued, totals.quarantined);
            throw e;
        }
        if (totals.queued + totals.quarantined > 0) {
            log.info("approvals poll: {} queued, {} quarantined, watermark {}", totals.queued, totals.quarantined,
                    watermarks.get(ID).orElse("(none)"));
        }
        return totals.outcome();
    }

    private void read(Totals totals) {
        int size = props.pageSize();
        OffsetDateTime pollStart = OffsetDateTime.now(CanonicalTime.BEIJING).truncatedTo(ChronoUnit.SECONDS);
        OffsetDateTime watermark = storedWatermark();
        OffsetDateTime cursor = watermark != null ? watermark.minus(props.overlap()) : startFrom();
        int page = 1;
        ReadPage previous = null; // the previous page while walking one second by page number
        int restarts = 0;
        while (true) {
            List<JsonPages.Item> items = fetch(cursor, page, size, totals);
            if (page > 1 && !previous.lastHash().equals(itemHashAt(cursor, (page - 1) * size, totals))) {
                // Cases read before this place left the second (handled since, now in a later second, read there):
                // the ones behind them moved up, and those that slid from this page onto the previous one would
                // be skipped. They are now at the previous page's end, after the last case read there: read that
                // page again and take what follows. The pass goes on; restarting the second would never end on
                // a busy source.
                List<JsonPages.Item> again = fetch(cursor, page - 1, size, totals);
                int at = lastIndexOf(again, previous.hashes());
                if (at < 0) {
                    // Every case of the previous page left it (more than a page moved between two requests):
                    // the place in the second is lost, so the second is read again from its start.
                    if (++restarts > MAX_SECOND_RESTARTS) {
                        throw new SourceFailure("approvals: the cases updated at " + CanonicalTime.formatSource(cursor)
                                + " moved by more than a page between two requests " + MAX_SECOND_RESTARTS
                                + " times while paged; the poll stops here and resumes from the watermark");
                    }
                    log.info("approvals: page {} of second {} moved by more than a page while paging; reading that"
                            + " second again", page - 1, CanonicalTime.formatSource(cursor));
                    page = 1;
                    previous = null;
                    continue;
                }
                log.debug("approvals: page {} of second {} shifted while paging; {} case(s) after its last read"
                        + " case read again", page - 1, CanonicalTime.formatSource(cursor), again.size() - at - 1);
                submit(again, at + 1, cursor, page - 1, size, totals);
            }
            submit(items, 0, cursor, page, size, totals);
            OffsetDateTime newest = newestUpdatedAt(items);
            watermark = advance(watermark, newest, pollStart);
            if (items.size() < size) {
                return; // the last page
            }
            OffsetDateTime last = lastUpdatedAt(items);
            if (last != null && (cursor == null || last.isAfter(cursor))) {
                // Restart the query at the last item's second: a case that moved on is found later, none is skipped.
                cursor = last;
                page = 1;
                previous = null;
                restarts = 0;
            } else {
                // The whole page lies in the query's first second: the only way on is the next page number.
                previous = ReadPage.of(items);
                page++;
            }
        }
    }

    /**
     * The hashes of one page as read, to find the hub's place again in that page read anew: the last case
     * there that is unchanged (a page's worth of hashes, not per case of the poll).
     */
    private record ReadPage(Set<String> hashes, String lastHash) {
        static ReadPage of(List<JsonPages.Item> items) {
            Set<String> hashes = new HashSet<>();
            items.forEach(i -> hashes.add(hash(i)));
            return new ReadPage(hashes, hash(items.get(items.size() - 1)));
        }
    }

    /** The index of the last item whose hash is one of these, or -1. */
    private static int lastIndexOf(List<JsonPages.Item> items, Set<String> hashes) {
        for (int i = items.size() - 1; i >= 0; i--) {
            if (hashes.contains(hash(items.get(i)))) {
                return i;
            }
        }
        return -1;
    }

    /**
     * One page's items; a malformed page is quarantined once and fails the poll. An item that alone breaks
     * the hub's JSON limits or is not UTF-8 comes back refused (its bytes and reason) and is quarantined
     * by the mapper while the rest of the page goes on ({@link JsonPages}).
     */
    private List<JsonPages.Item> fetch(OffsetDateTime cursor, int page, int size, Totals totals) {
        byte[] body = api.cases(cursor, page, size);
        String origin = "page " + page + " (" + ApprovalsApi.describe(cursor, page, size) + ")";
        JsonPages.Page p;
        try {
            p = ExactJson.readPage(body, "items");
        } catch (IOException e) {
            throw malformed(origin, body, "is not valid JSON: " + ApprovalsMapper.echo(ExactJson.why(e)),
                    totals);
        }
        if (!p.root().isObject()) {
            throw malformed(origin, body, "is not a JSON object {total, page, size, items}", totals);
        }
        if (p.items() == null) {
            throw malformed(origin, body, "has no \"items\" array", totals);
        }
        if (p.items().size() > size) {
            throw malformed(origin, body, "has " + p.items().size() + " items, more than the requested size " + size,
                    totals);
        }
        return p.items();
    }

    private SourceFailure malformed(String origin, byte[] body, String why, Totals totals) {
        String reason = "approvals " + origin + " " + why;
        long id = quarantine.add(ID, null, origin, "(page)", reason, Payloads.sha256(body), body,
                StandardCharsets.UTF_8);
        totals.quarantined++;
        return new SourceFailure(reason + "; the page is quarantined (#" + id + ") and the poll stops before it");
    }

    /** The stable-JSON hash of the item at a 1-based position of a query, or null when there is none. */
    private String itemHashAt(OffsetDateTime cursor, int position, Totals totals) {
        List<JsonPages.Item> one = fetch(cursor, position, 1, totals);
        return one.isEmpty() ? null : hash(one.get(0));
    }

    /** Submits the page's items from index {@code from} on. */
    private void submit(List<JsonPages.Item> items, int from, OffsetDateTime cursor, int page, int size,
                        Totals totals) {
        if (items.size() <= from) {
            return;
        }
        OffsetDateTime fetchedAt = OffsetDateTime.now(CanonicalTime.BEIJING).truncatedTo(ChronoUnit.MILLIS);
        String query = ApprovalsApi.describe(cursor, page, size);
        List<SourceItem> batch = new ArrayList<>(items.size() - from);
        for (int i = from; i < items.size(); i++) {
            JsonPages.Item item = items.get(i);
            String origin = "page " + page + " item " + (i + 1) + " (" + query + ")";
            // A refused item travels as its exact bytes: the mapper cannot read them either and quarantines
            // them with the reason (the limit named), like any other unreadable item.
            batch.add(item.refused() ? SourceItem.utf8(ID, null, item.raw(), origin, fetchedAt)
                    : SourceItem.utf8(ID, caseNo(item.node()), Payloads.stableJson(item.node()), origin, fetchedAt,
                    item.node()));
        }
        // Returns only once the page is durably queued (or in quarantine); throws otherwise.
        IngestOutcome o = gateway.submit(batch);
        totals.add(o);
        totals.read += batch.size();
        progressed(totals.read, totals.queued, totals.quarantined, "updatedSince "
                + (cursor == null ? "(the beginning)" : CanonicalTime.formatSource(cursor)) + ", page " + page);
    }

    /** Moves the watermark forward to the page's newest updatedAt, never back, never past the poll's start. */
    private OffsetDateTime advance(OffsetDateTime watermark, OffsetDateTime newest, OffsetDateTime pollStart) {
        if (newest == null) {
            return watermark;
        }
        if (newest.isAfter(pollStart)) {
            log.warn("approvals: a case is dated {} (in the future); the watermark stops at {}",
                    CanonicalTime.formatSource(newest), CanonicalTime.formatSource(pollStart));
            newest = pollStart;
        }
        if (watermark != null && !newest.isAfter(watermark)) {
            return watermark;
        }
        watermarks.put(ID, CanonicalTime.formatSource(newest));
        return newest;
    }

    /**
     * Backfill: the watermark goes back to {@code since} (to the second), so the next poll reads every case
     * updated since then (minus the overlap) up to the present. A watermark already before {@code since}, or
     * none at all (the adapter reads from start-from anyway), stays: moving it forward would skip cases.
     */
    @Override
    protected OffsetDateTime rewindTo(OffsetDateTime since) {
        OffsetDateTime to = since.withOffsetSameInstant(CanonicalTime.BEIJING).truncatedTo(ChronoUnit.SECONDS);
        OffsetDateTime current;
        try {
            current = storedWatermark();
        } catch (SourceFailure unreadable) {
            current = to; // an unreadable watermark is replaced: the backfill says where to read from
        }
        if (current == null) {
            return startFrom();
        }
        if (current.isBefore(to)) {
            return current;
        }
        watermarks.put(ID, CanonicalTime.formatSource(to));
        log.info("approvals: watermark moved back from {} to {} for a backfill", CanonicalTime.formatSource(current),
                CanonicalTime.formatSource(to));
        return to;
    }

    @Override
    protected OffsetDateTime readPosition() {
        try {
            return storedWatermark();
        } catch (SourceFailure unreadable) {
            return null;
        }
    }

    private OffsetDateTime storedWatermark() {
        String w = watermarks.get(ID).orElse(null);
        if (w == null) {
            return null;
        }
        try {
            return CanonicalTime.parseSource(w);
        } catch (DateTimeParseException e) {
            throw new SourceFailure("the stored approvals watermark '" + w + "' is not yyyy-MM-dd HH:mm:ss;"
                    + " reset it to read from hub.adapters.approvals.start-from");
        }
    }

    private OffsetDateTime startFrom() {
        String s = props.startFrom();
        return s == null || s.isBlank() ? null : CanonicalTime.parseSource(s);
    }

    private static OffsetDateTime newestUpdatedAt(List<JsonPages.Item> items) {
        OffsetDateTime newest = null;
        for (JsonPages.Item item : items) {
            OffsetDateTime t = updatedAt(item);
            if (t != null && (newest == null || t.isAfter(newest))) {
                newest = t;
            }
        }
        return newest;
    }

    /** The updatedAt of the last item that has a readable one (malformed items are skipped for paging). */
    private static OffsetDateTime lastUpdatedAt(List<JsonPages.Item> items) {
        for (int i = items.size() - 1; i >= 0; i--) {
            OffsetDateTime t = updatedAt(items.get(i));
            if (t != null) {
                return t;
            }
        }
        return null;
    }

    private static OffsetDateTime updatedAt(JsonPages.Item item) {
        JsonNode t = item.refused() ? null : item.node().get("updatedAt");
        if (t == null || !t.isTextual() || !CanonicalTime.isSourceTime(t.textValue())) {
            return null;
        }
        return CanonicalTime.parseSource(t.textValue());
    }

    private static String caseNo(JsonNode item) {
        JsonNode c = item.get("caseNo");
        return c != null && c.isTextual() && !c.textValue().isBlank() ? c.textValue() : null;
    }

    private static String hash(JsonPages.Item item) {
        return Payloads.sha256(item.refused() ? item.raw() : Payloads.stableJson(item.node()));
    }

    /**
     * What one poll came to, as counts: one poll reads a whole backlog (millions of cases), so it must not keep
     * anything per case (each page's ids and reasons went to the monitor, quarantine and a backfill's observer
     * with that page's own outcome).
     */
    private static final class Totals {
        long read;
        int queued;
        int quarantined;

        void add(IngestOutcome o) {
            queued += o.queued();
            quarantined += o.quarantined();
        }

        IngestOutcome outcome() {
            return new IngestOutcome(queued, quarantined, List.of(), List.of());
        }
    }

    @Override
    public String toString() {
        return "ApprovalsSource[" + props.apiRoot() + "]";
    }
}
