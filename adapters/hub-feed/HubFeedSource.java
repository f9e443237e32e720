package yingyan.adapters.hubfeed;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import yingyan.canonical.CanonicalJson;
import yingyan.canonical.CanonicalTime;
import yingyan.canonical.JsonLimits;
import yingyan.canonical.ResidentIds;
import yingyan.spi.AdapterMonitor;
import yingyan.spi.BoundedBody;
import yingyan.spi.IngestGateway;
import yingyan.spi.InFlightRequests;
import yingyan.spi.IngestOutcome;
import yingyan.spi.JsonPages;
import yingyan.spi.Payloads;
import yingyan.spi.PollingSource;
import yingyan.spi.Quarantine;
import yingyan.spi.SourceItem;
import yingyan.spi.Watermarks;

/**
 * Reads the other hub's change feed from the stored cursor, page by page, until a page comes back short
 * (caught up) or {@code max-pages-per-poll} pages were read. Each page is submitted and durably queued
 * (bad items in quarantine) before its {@code next} cursor is stored as the watermark: a crash re-reads at
 * most the page in flight, and re-read versions are duplicates the record store counts and ignores.
 */
@Component
class HubFeedSource extends PollingSource {
    private static final Logger log = LoggerFactory.getLogger(HubFeedSource.class);
    private static final String ID = HubFeedProperties.ADAPTER_ID;

    private final HubFeedProperties props;
    private final IngestGateway gateway;
    private final Watermarks watermarks;
    private final Quarantine quarantine;
    private final HttpClient http;
    private final InFlightRequests inFlight = new InFlightRequests(ID);
    private volatile boolean stopping;

    HubFeedSource(HubFeedProperties props, AdapterMonitor monitor, IngestGateway gateway, Watermarks watermarks,
                  Quarantine quarantine) {
        super(monitor, ID);
        this.props = props;
        this.gateway = gateway;
        this.watermarks = watermarks;
        this.quarantine = quarantine;
        this.http = HttpClient.newBuilder().connectTimeout(props.connectTimeout())
                .version(HttpClient.Version.HTTP_1_1)
                // A redirect would carry the credential to wherever it points: refuse it, say so.
                .followRedirects(HttpClient.Redirect.NEVER).build();
    }

    /** Published before Camel stops its routes: a request waiting on a slow county ends now, not at read-timeout. */
    @EventListener(ContextClosedEvent.class)
    void stopping() {
        stopping = true;
        inFlight.cancelAll();
    }

    @Override
    protected IngestOutcome pollOnce() {
        long read = 0;
        int queued = 0;
        int quarantined = 0;
        List<String> ids = new ArrayList<>();
        List<String> reasons = new ArrayList<>();
        try {
            for (int page = 1; page <= props.maxPagesPerPoll(); page++) {
                String cursor = watermarks.get(ID).orElse(null);
                Page p = fetch(cursor);
                IngestOutcome o = gateway.submit(items(p, cursor));
                queued += o.queued();
                quarantined += o.quarantined();
                read += p.items().size();
                ids.addAll(o.queuedRecordIds());
                reasons.addAll(o.reasons());
                // Only now, with the page queued, does the cursor move past it.
                if (!p.next().equals(cursor)) {
                    watermarks.put(ID, p.next());
                }
                progressed(read, queued, quarantined, "cursor " + p.next());
                if (p.items().size() < props.pageLimit()) {
                    break;
                }
            }
        } catch (RuntimeException e) {
            state().progressed(queued, quarantined);
            throw e;
        }
        if (queued + quarantined > 0) {
            log.info("hub-feed poll of {}: {} queued, {} quarantined", props.feedUrl(), queued, quarantined);
        }
        return new IngestOutcome(queued, quarantined, List.copyOf(ids), List.copyOf(reasons));
    }

    /**
     * A time cannot be mapped onto this source: its position is the other hub's feed cursor (that hub's
     * version seq), and the feed has no "since a time" query. Re-reading the whole feed is possible by
     * resetting the cursor, but a backfill from a date is not.
     */
    @Override
    protected OffsetDateTime rewindTo(OffsetDateTime since) {
        throw new Refused("hub-feed reads the other hub's change feed by its cursor (a version sequence number of"
                + " that hub), and the feed cannot be asked for changes since a time: a backfill from a date is not"
                + " possible for this adapter. Its cursor only moves after a page is durably queued, so nothing it"
                + " read is missing; to read the whole feed again, reset its watermark (adapter hub-feed)");
    }

    private record Page(List<JsonPages.Item> items, String next) {
    }

    private List<SourceItem> items(Page p, String cursor) {
        OffsetDateTime fetchedAt = OffsetDateTime.now(CanonicalTime.BEIJING).truncatedTo(ChronoUnit.MILLIS);
        List<SourceItem> out = new ArrayList<>(p.items().size());
        for (int i = 0; i < p.items().size(); i++) {
            out.add(item(p.items().get(i), "feed page after=" + (cursor == null ? "(start)" : cursor) + " item "
                    + (i + 1), fetchedAt));
        }
        return out;
    }

    /**
     * One feed item as a source item: raw is the item as the other hub wrote it (its canonical JSON, fields
     * in its order, compact), self-sufficient for a quarantine release; the source key is its recordId.
     */
    static SourceItem item(JsonPages.Item refusable, String origin, OffsetDateTime fetchedAt) {
        if (refusable.refused()) {
            // Its exact bytes: the mapper cannot read them either and quarantines them with the reason.
            return SourceItem.utf8(ID, null, refusable.raw(), origin, fetchedAt);
        }
        return item(refusable.node(), origin, fetchedAt);
    }

    static SourceItem item(JsonNode item, String origin, OffsetDateTime fetchedAt) {
        JsonNode id = item.get("recordId");
        byte[] raw = item.toString().getBytes(StandardCharsets.UTF_8);
        return SourceItem.utf8(ID, id != null && id.isTextual() ? id.textValue() : null, raw, origin, fetchedAt);
    }

    private Page fetch(String cursor) {
        String what = "GET " + props.feedUrl() + "?limit=" + props.pageLimit()
                + (cursor == null ? "" : "&after=" + cursor);
        URI uri = URI.create(props.feedUrl() + "?limit=" + props.pageLimit()
                + (cursor == null ? "" : "&after=" + URLEncoder.encode(cursor, StandardCharsets.UTF_8)));
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(props.readTimeout())
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                        (props.consumer() + ":" + props.password()).getBytes(StandardCharsets.UTF_8)))
                .header("Accept", "application/json").GET().build();
        if (stopping) {
            throw inFlight.stopping();
        }
        HttpResponse<byte[]> r;
        try {
            r = inFlight.send(http, request, props.maxPageSize().toBytes());
        } catch (ExecutionException e) {
            Throwable c = e.getCause() == null ? e : e.getCause();
            if (c instanceof BoundedBody.TooLarge) {
                throw new SourceFailure("hub-feed: " + what + " answered with more than the hub takes: "
                        + c.getMessage() + "; raise hub.adapters.hub-feed.max-page-size or lower page-limit. The"
                        + " poll resumes from the cursor");
            }
            throw new SourceFailure("hub-feed: " + what + " failed: " + c.getClass().getSimpleName() + ": "
                    + c.getMessage() + " (check hub.adapters.hub-feed.base-url; the poll resumes from the cursor)");
        }
        int sc = r.statusCode();
        if (sc != 200) {
            throw new SourceFailure("hub-feed: " + what + " answered " + sc + hint(sc) + ": " + snippet(r.body()));
        }
        return parse(r.body(), what);
    }

    private Page parse(byte[] body, String what) {
        JsonPages.Page page;
        try {
            // An item that alone breaks the JSON limits or is not UTF-8 comes back refused; the rest go on.
            page = JsonPages.read(body, "items", CanonicalJson.mapper());
        } catch (IOException e) {
            throw malformed(what, body, "is not JSON: " + ResidentIds.maskAll(JsonLimits.describe(e)));
        }
        JsonNode next = page.root().get("next");
        if (page.items() == null || next == null || !next.isTextual() || next.textValue().isBlank()) {
            throw malformed(what, body, "is not a feed page {\"items\": [...], \"next\": cursor}");
        }
        if (page.items().size() > props.pageLimit()) {
            throw malformed(what, body, "has " + page.items().size() + " items, more than the limit "
                    + props.pageLimit());
        }
        return new Page(page.items(), next.textValue());
    }

    /** A page that is not a feed page is quarantined once (the raw answer kept) and stops the poll before it. */
    private SourceFailure malformed(String what, byte[] body, String why) {
        String reason = "hub-feed answer to " + what + " " + why;
        long id = quarantine.add(ID, null, what, "(page)", reason, Payloads.sha256(body), body,
                StandardCharsets.UTF_8);
        return new SourceFailure(reason + "; quarantined (#" + id + "), the cursor stays before it");
    }

    private static String hint(int sc) {
        return switch (sc) {
            case 400 -> " (the other hub does not know the stored cursor: was its database replaced? reset the"
                    + " hub-feed watermark to read from the start)";
            case 401 -> " (check hub.adapters.hub-feed.consumer and password)";
            case 403 -> " (the consumer lacks the CONSUMER role or these grants on the other hub)";
            case 404 -> " (check hub.adapters.hub-feed.base-url)";
            case 301, 302, 303, 307, 308 -> " (redirects are not followed: set base-url to the final address)";
            default -> "";
        };
    }

    private static String snippet(byte[] body) {
        if (body == null || body.length == 0) {
            return "(empty body)";
        }
        return new String(body, 0, Math.min(body.length, 300), StandardCharsets.UTF_8).replaceAll("\\s+", " ");
    }

    @Override
    public String toString() {
        return "HubFeedSource[" + props.feedUrl() + "]";
    }
}
