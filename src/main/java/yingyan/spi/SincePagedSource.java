package yingyan.spi;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import yingyan.canonical.CanonicalTime;

/**
 * Base of the sources asked for "the items updated since a time, page N of size S" (the approval system, the
 * penalty service), read without losing or skipping an item that moves to a later page while the hub pages:
 * each poll starts at the watermark minus the overlap ({@code since} is inclusive); after each full page the
 * query restarts at the last item's {@code updatedAt}; only a full page that lies wholly in one second advances
 * the page number, and then the previous page's last item is re-read to prove the boundary did not shift. When it
 * did, the previous page is read again and what follows the last item read there is taken too, and the pass goes
 * on. Each page is durably queued ({@link IngestGateway#submit} returned) before the watermark moves past it.
 *
 * <p>The watermark is the newest {@code updatedAt} queued, as a source time ({@link CanonicalTime#formatSource}).
 * The adapter says how one page is fetched and what an item's hash, time and source item are.
 *
 * @param <T> one item of a page as the source's client returns it
 */
public abstract class SincePagedSource<T> extends PollingSource {
    /**
     * How often the hub may lose its place in one second's block (more than a page of it moved between two
     * requests) before the poll gives up and resumes later. Smaller shifts never restart the second.
     */
    protected static final int MAX_SECOND_RESTARTS = 10;
    private final Logger log = LoggerFactory.getLogger(getClass());
    private final String id;
    private final IngestGateway gateway;
    private final Watermarks watermarks;
    private final int pageSize;
    private final Duration overlap;
    private final String sinceName;

    /**
     * @param sinceName the query's "since" parameter as the source names it, for the progress shown while polling
     */
    protected SincePagedSource(AdapterMonitor monitor, String adapterId, IngestGateway gateway, Watermarks watermarks,
                               int pageSize, Duration overlap, String sinceName) {
        super(monitor, adapterId);
        this.id = adapterId;
        this.gateway = gateway;
        this.watermarks = watermarks;
        this.pageSize = pageSize;
        this.overlap = overlap;
        this.sinceName = sinceName;
    }

    /**
     * One page's items, at most {@code size}; a page that cannot be read fails the poll with a
     * {@link SourceFailure} (counted in {@code totals} when the adapter quarantines it first).
     */
    protected abstract List<T> fetch(OffsetDateTime since, int page, int size, Totals totals);

    /** The query in words, as origins and messages show it. */
    protected abstract String describe(OffsetDateTime since, int page, int size);

    /** The item's hash as read, to find the hub's place again in a page read anew. */
    protected abstract String hash(T item);

    /** The item's {@code updatedAt}, or null when it has no readable one (such items are skipped for paging). */
    protected abstract OffsetDateTime updatedAt(T item);

    /** The item as handed to the hub. */
    protected abstract SourceItem item(T item, String origin, OffsetDateTime fetchedAt);

    /** Where reading starts while there is no watermark; null for the source's beginning. */
    protected abstract OffsetDateTime startFrom();

    /** What two of the source's queries are called in a message ("requests", "calls"). */
    protected String requests() {
        return "requests";
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
            log.info("{} poll: {} queued, {} quarantined, watermark {}", id, totals.queued, totals.quarantined,
                    watermarks.get(id).orElse("(none)"));
        }
        return new IngestOutcome(totals.queued, totals.quarantined, List.of(), List.of());
    }

    private void read(Totals totals) {
        int size = pageSize;
        OffsetDateTime pollStart = OffsetDateTime.now(CanonicalTime.BEIJING).truncatedTo(ChronoUnit.SECONDS);
        OffsetDateTime watermark = storedWatermark();
        OffsetDateTime cursor = watermark != null ? watermark.minus(overlap) : startFrom();
        int page = 1;
        ReadPage previous = null; // the previous page while walking one second by page number
        int restarts = 0;
        while (true) {
            List<T> items = fetch(cursor, page, size, totals);
            if (page > 1 && !previous.lastHash().equals(hashAt(cursor, (page - 1) * size, totals))) {
                // Items read before this place left the second (changed since, now in a later second, read there):
                // the ones behind them moved up, and those that slid from this page onto the previous one would
                // be skipped. They are now at the previous page's end, after the last item read there: read that
                // page again and take what follows. The pass goes on; restarting the second would never end on
                // a busy source.
                List<T> again = fetch(cursor, page - 1, size, totals);
                int at = lastIndexOf(again, previous.hashes());
                if (at < 0) {
                    // Every item of the previous page left it (more than a page moved between two requests):
                    // the place in the second is lost, so the second is read again from its start.
                    if (++restarts > MAX_SECOND_RESTARTS) {
                        throw new SourceFailure(id + ": the cases updated at " + CanonicalTime.formatSource(cursor)
                                + " moved by more than a page between two " + requests() + " " + MAX_SECOND_RESTARTS
                                + " times while paged; the poll stops here and resumes from the watermark");
                    }
                    log.info("{}: page {} of second {} moved by more than a page while paging; reading that"
                            + " second again", id, page - 1, CanonicalTime.formatSource(cursor));
                    page = 1;
                    previous = null;
                    continue;
                }
                log.debug("{}: page {} of second {} shifted while paging; {} case(s) after its last read"
                        + " case read again", id, page - 1, CanonicalTime.formatSource(cursor), again.size() - at - 1);
                submit(again, at + 1, cursor, page - 1, size, totals);
            }
            submit(items, 0, cursor, page, size, totals);
            watermark = advance(watermark, newestUpdatedAt(items), pollStart);
            if (items.size() < size) {
                return; // the last page
            }
            OffsetDateTime last = lastUpdatedAt(items);
            if (last != null && (cursor == null || last.isAfter(cursor))) {
                // Restart the query at the last item's second: an item that moved on is found later, none is skipped.
                cursor = last;
                page = 1;
                previous = null;
                restarts = 0;
            } else {
                // The whole page lies in the query's first second: the only way on is the next page number.
                previous = readPage(items);
                page++;
            }
        }
    }

    /**
     * The hashes of one page as read, to find the hub's place again in that page read anew: the last item
     * there that is unchanged (a page's worth of hashes, not per item of the poll).
     */
    private record ReadPage(Set<String> hashes, String lastHash) {
    }

    private ReadPage readPage(List<T> items) {
        Set<String> hashes = new HashSet<>();
        items.forEach(i -> hashes.add(hash(i)));
        return new ReadPage(hashes, hash(items.get(items.size() - 1)));
    }

    /** The index of the last item whose hash is one of these, or -1. */
    private int lastIndexOf(List<T> items, Set<String> hashes) {
        for (int i = items.size() - 1; i >= 0; i--) {
            if (hashes.contains(hash(items.get(i)))) {
                return i;
            }
        }
        return -1;
    }

    /** The hash of the item at a 1-based position of a query, or null when there is none. */
    private String hashAt(OffsetDateTime since, int position, Totals totals) {
        List<T> one = fetch(since, position, 1, totals);
        return one.isEmpty() ? null : hash(one.get(0));
    }

    /** Submits the page's items from index {@code from} on; returns once they are durably queued or quarantined. */
    private void submit(List<T> items, int from, OffsetDateTime since, int page, int size, Totals totals) {
        if (items.size() <= from) {
            return;
        }
        OffsetDateTime fetchedAt = OffsetDateTime.now(CanonicalTime.BEIJING).truncatedTo(ChronoUnit.MILLIS);
        String query = describe(since, page, size);
        List<SourceItem> batch = new ArrayList<>(items.size() - from);
        for (int i = from; i < items.size(); i++) {
            batch.add(item(items.get(i), "page " + page + " item " + (i + 1) + " (" + query + ")", fetchedAt));
        }
        // Returns only once the page is durably queued (or in quarantine); throws otherwise.
        IngestOutcome o = gateway.submit(batch);
        totals.queued += o.queued();
        totals.quarantined += o.quarantined();
        totals.read += batch.size();
        progressed(totals.read, totals.queued, totals.quarantined, sinceName + " "
                + (since == null ? "(the beginning)" : CanonicalTime.formatSource(since)) + ", page " + page);
    }

    /** Moves the watermark forward to the page's newest updatedAt, never back, never past the poll's start. */
    private OffsetDateTime advance(OffsetDateTime watermark, OffsetDateTime newest, OffsetDateTime pollStart) {
        if (newest == null) {
            return watermark;
        }
        if (newest.isAfter(pollStart)) {
            log.warn("{}: a case is dated {} (in the future); the watermark stops at {}", id,
                    CanonicalTime.formatSource(newest), CanonicalTime.formatSource(pollStart));
            newest = pollStart;
        }
        if (watermark != null && !newest.isAfter(watermark)) {
            return watermark;
        }
        watermarks.put(id, CanonicalTime.formatSource(newest)); // after submit returned: a crash re-reads, never skips
        return newest;
    }

    /**
     * Backfill: the watermark goes back to {@code since} (to the second), so the next poll reads every item
     * updated since then (minus the overlap) up to the present. A watermark already before {@code since}, or
     * none at all (the adapter reads from start-from anyway), stays: moving it forward would skip items.
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
        watermarks.put(id, CanonicalTime.formatSource(to));
        log.info("{}: watermark moved back from {} to {} for a backfill", id, CanonicalTime.formatSource(current),
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
        String w = watermarks.get(id).orElse(null);
        if (w == null) {
            return null;
        }
        try {
            return CanonicalTime.parseSource(w);
        } catch (DateTimeParseException e) {
            throw new SourceFailure("the stored " + id + " watermark '" + w + "' is not yyyy-MM-dd HH:mm:ss;"
                    + " reset it to read from hub.adapters." + id + ".start-from");
        }
    }

    private OffsetDateTime newestUpdatedAt(List<T> items) {
        OffsetDateTime newest = null;
        for (T item : items) {
            OffsetDateTime t = updatedAt(item);
            if (t != null && (newest == null || t.isAfter(newest))) {
                newest = t;
            }
        }
        return newest;
    }

    /** The updatedAt of the last item that has a readable one (malformed items are skipped for paging). */
    private OffsetDateTime lastUpdatedAt(List<T> items) {
        for (int i = items.size() - 1; i >= 0; i--) {
            OffsetDateTime t = updatedAt(items.get(i));
            if (t != null) {
                return t;
            }
        }
        return null;
    }

    /**
     * What one poll came to, as counts: one poll reads a whole backlog (millions of items), so it must not keep
     * anything per item (each page's ids and reasons went to the monitor, quarantine and a backfill's observer
     * with that page's own outcome).
     */
    protected static final class Totals {
        long read;
        int queued;
        int quarantined;

        /** A page the adapter quarantined before it became items (a malformed page). */
        public void pageQuarantined() {
            quarantined++;
        }
    }
}
