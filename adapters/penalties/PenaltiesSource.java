package yingyan.adapters.penalties;

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
import yingyan.adapters.penalties.soap.Penalty;
import yingyan.canonical.CanonicalTime;
import yingyan.spi.AdapterMonitor;
import yingyan.spi.IngestGateway;
import yingyan.spi.IngestOutcome;
import yingyan.spi.PollingSource;
import yingyan.spi.SourceItem;
import yingyan.spi.Watermarks;

/**
 * Reads new and changed penalty cases from the bureau's SOAP service, page by page, without losing or skipping a
 * case that moves to a later page while the hub pages (the same paging as the approval system's; see the README,
 * "Paging"): each poll starts at the watermark minus the overlap ({@code since} is inclusive); after each full
 * page the query restarts at the last case's {@code updatedAt}; only a full page that lies wholly in one second
 * advances {@code pageNo}, and then the previous page's last case is read again to prove the boundary did not
 * shift. When it did, the previous page is read again and what follows the last case read there is taken too.
 * Each page is durably queued ({@link IngestGateway#submit} returned) before the watermark moves past it.
 */
@Component
class PenaltiesSource extends PollingSource {
    /** How often one poll may lose its place in one second's block before it gives up and resumes later. */
    static final int MAX_SECOND_RESTARTS = 10;
    private static final Logger log = LoggerFactory.getLogger(PenaltiesSource.class);
    private static final String ID = PenaltiesProperties.ADAPTER_ID;

    private final PenaltiesProperties props;
    private final IngestGateway gateway;
    private final Watermarks watermarks;
    private final PenaltiesClient client;

    PenaltiesSource(PenaltiesProperties props, AdapterMonitor monitor, IngestGateway gateway, Watermarks watermarks) {
        super(monitor, ID);
        this.props = props;
        this.gateway = gateway;
        this.watermarks = watermarks;
        this.client = new PenaltiesClient(props);
    }

    /** Published before Camel stops its routes: a poll waiting on a backoff ends now. */
    @EventListener(ContextClosedEvent.class)
    void stopping() {
        client.stop();
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
            log.info("penalties poll: {} queued, {} quarantined, watermark {}", totals.queued, totals.quarantined,
                    watermarks.get(ID).orElse("(none)"));
        }
        return new IngestOutcome(totals.queued, totals.quarantined, List.of(), List.of());
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
            List<Penalty> items = fetch(cursor, page, size);
            if (page > 1 && !previous.lastHash().equals(hashAt(cursor, (page - 1) * size))) {
                // Cases before this place left the second (updated since, now in a later second, read there): the
                // ones behind moved up, and those that slid from this page onto the previous one would be skipped.
                // They now follow the last case read on the previous page: read it again, take what follows.
                List<Penalty> again = fetch(cursor, page - 1, size);
                int at = lastIndexOf(again, previous.hashes());
                if (at < 0) {
                    // Every case of the previous page left it: the place in the second is lost; read it again.
                    if (++restarts > MAX_SECOND_RESTARTS) {
                        throw new SourceFailure("penalties: the cases updated at " + CanonicalTime.formatSource(cursor)
                                + " moved by more than a page between two calls " + MAX_SECOND_RESTARTS
                                + " times while paged; the poll stops here and resumes from the watermark");
                    }
                    log.info("penalties: page {} of second {} moved by more than a page while paging; reading that"
                            + " second again", page - 1, CanonicalTime.formatSource(cursor));
                    page = 1;
                    previous = null;
                    continue;
                }
                submit(again, at + 1, cursor, page - 1, size, totals);
            }
            submit(items, 0, cursor, page, size, totals);
            watermark = advance(watermark, newestUpdatedAt(items), pollStart);
            if (items.size() < size) {
                return; // the last page: fewer than pageSize cases
            }
            OffsetDateTime last = lastUpdatedAt(items);
            if (last != null && last.isAfter(cursor)) {
                // Restart the query at the last case's second: a case that moved on is found later, none is skipped.
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

    private List<Penalty> fetch(OffsetDateTime since, int page, int size) {
        PenaltiesClient.Page p = client.query(since, page, size);
        if (p.penalties().size() > size) {
            throw new SourceFailure("the penalty service answered " + PenaltiesClient.describe(since, page, size)
                    + " with " + p.penalties().size() + " cases, more than the pageSize asked for; the poll stops"
                    + " here and resumes from the watermark");
        }
        return p.penalties();
    }

    /** The hash of the case at a 1-based position of a query, or null when there is none. */
    private String hashAt(OffsetDateTime since, int position) {
        List<Penalty> one = fetch(since, position, 1);
        return one.isEmpty() ? null : PenaltyForm.hash(one.get(0));
    }

    /** Submits the page's cases from index {@code from} on; returns once they are durably queued or quarantined. */
    private void submit(List<Penalty> items, int from, OffsetDateTime since, int page, int size, Totals totals) {
        if (items.size() <= from) {
            return;
        }
        OffsetDateTime fetchedAt = OffsetDateTime.now(CanonicalTime.BEIJING).truncatedTo(ChronoUnit.MILLIS);
        String call = PenaltiesClient.describe(since, page, size);
        List<SourceItem> batch = new ArrayList<>(items.size() - from);
        for (int i = from; i < items.size(); i++) {
            batch.add(PenaltyForm.item(items.get(i), "page " + page + " item " + (i + 1) + " (" + call + ")",
                    fetchedAt));
        }
        IngestOutcome o = gateway.submit(batch);
        totals.queued += o.queued();
        totals.quarantined += o.quarantined();
        totals.read += batch.size();
        progressed(totals.read, totals.queued, totals.quarantined,
                "since " + CanonicalTime.formatSource(since) + ", page " + page);
    }

    /** Moves the watermark forward to the page's newest updatedAt, never back, never past the poll's start. */
    private OffsetDateTime advance(OffsetDateTime watermark, OffsetDateTime newest, OffsetDateTime pollStart) {
        if (newest == null) {
            return watermark;
        }
        if (newest.isAfter(pollStart)) {
            log.warn("penalties: a case is dated {} (in the future); the watermark stops at {}",
                    CanonicalTime.formatSource(newest), CanonicalTime.formatSource(pollStart));
            newest = pollStart;
        }
        if (watermark != null && !newest.isAfter(watermark)) {
            return watermark;
        }
        watermarks.put(ID, CanonicalTime.formatSource(newest)); // after submit returned: a crash re-reads, never skips
        return newest;
    }

    /**
     * Backfill: the watermark goes back to {@code since} (to the second), never forward; the next poll reads every
     * case updated since then (minus the overlap).
     */
    @Override
    protected OffsetDateTime rewindTo(OffsetDateTime since) {
        OffsetDateTime to = since.withOffsetSameInstant(CanonicalTime.BEIJING).truncatedTo(ChronoUnit.SECONDS);
        OffsetDateTime current;
        try {
            current = storedWatermark();
        } catch (SourceFailure unreadable) {
            current = to;
        }
        if (current == null) {
            return startFrom();
        }
        if (current.isBefore(to)) {
            return current;
        }
        watermarks.put(ID, CanonicalTime.formatSource(to));
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
            throw new SourceFailure("the stored penalties watermark '" + w + "' is not yyyy-MM-dd HH:mm:ss;"
                    + " reset it to read from hub.adapters.penalties.start-from");
        }
    }

    private OffsetDateTime startFrom() {
        return CanonicalTime.parseSource(props.startFrom());
    }

    /** The page's hashes as read, to find the hub's place again in that page read anew. */
    private record ReadPage(Set<String> hashes, String lastHash) {
        static ReadPage of(List<Penalty> items) {
            Set<String> hashes = new HashSet<>();
            items.forEach(i -> hashes.add(PenaltyForm.hash(i)));
            return new ReadPage(hashes, PenaltyForm.hash(items.get(items.size() - 1)));
        }
    }

    private static int lastIndexOf(List<Penalty> items, Set<String> hashes) {
        for (int i = items.size() - 1; i >= 0; i--) {
            if (hashes.contains(PenaltyForm.hash(items.get(i)))) {
                return i;
            }
        }
        return -1;
    }

    private static OffsetDateTime newestUpdatedAt(List<Penalty> items) {
        OffsetDateTime newest = null;
        for (Penalty p : items) {
            OffsetDateTime t = updatedAt(p);
            if (t != null && (newest == null || t.isAfter(newest))) {
                newest = t;
            }
        }
        return newest;
    }

    /** The updatedAt of the last case that has a readable one (malformed cases are skipped for paging). */
    private static OffsetDateTime lastUpdatedAt(List<Penalty> items) {
        for (int i = items.size() - 1; i >= 0; i--) {
            OffsetDateTime t = updatedAt(items.get(i));
            if (t != null) {
                return t;
            }
        }
        return null;
    }

    private static OffsetDateTime updatedAt(Penalty p) {
        String t = p.getUpdatedAt();
        return t != null && CanonicalTime.isSourceTime(t) ? CanonicalTime.parseSource(t) : null;
    }

    private static final class Totals {
        long read;
        int queued;
        int quarantined;
    }

    @Override
    public String toString() {
        return "PenaltiesSource[" + props.serviceAddress() + "]";
    }
}
