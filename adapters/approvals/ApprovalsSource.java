package yingyan.adapters.approvals;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.List;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import yingyan.canonical.CanonicalTime;
import yingyan.spi.AdapterMonitor;
import yingyan.spi.ExactJson;
import yingyan.spi.IngestGateway;
import yingyan.spi.JsonPages;
import yingyan.spi.Payloads;
import yingyan.spi.Quarantine;
import yingyan.spi.SincePagedSource;
import yingyan.spi.SourceItem;
import yingyan.spi.Watermarks;

/**
 * Reads new and changed cases from the approval system, page by page, without losing or skipping a case
 * that moves to a later page while the hub pages (see the README, "Paging"; the walk is
 * {@link SincePagedSource}'s): after each full page the query restarts at the last item's {@code updatedAt};
 * only a full page that lies wholly in one second advances the page number, and then the previous page's last
 * item is re-read to prove the boundary did not shift. Each page is durably queued before the watermark moves
 * past it.
 */
@Component
class ApprovalsSource extends SincePagedSource<JsonPages.Item> {
    private static final String ID = ApprovalsProperties.ADAPTER_ID;

    private final ApprovalsProperties props;
    private final Quarantine quarantine;
    private final ApprovalsApi api;

    ApprovalsSource(ApprovalsProperties props, AdapterMonitor monitor, IngestGateway gateway,
                           Watermarks watermarks, Quarantine quarantine) {
        super(monitor, ID, gateway, watermarks, props.pageSize(), props.overlap(), "updatedSince");
        this.props = props;
        this.quarantine = quarantine;
        this.api = new ApprovalsApi(props);
    }

    /** Published before Camel stops its routes: a poll waiting on a backoff or a slow answer ends now. */
    @EventListener(ContextClosedEvent.class)
    void stopping() {
        api.stop();
    }

    /**
     * One page's items; a malformed page is quarantined once and fails the poll. An item that alone breaks
     * the hub's JSON limits or is not UTF-8 comes back refused (its bytes and reason) and is quarantined
     * by the mapper while the rest of the page goes on ({@link JsonPages}).
     */
    @Override
    protected List<JsonPages.Item> fetch(OffsetDateTime cursor, int page, int size, Totals totals) {
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
        totals.pageQuarantined();
        return new SourceFailure(reason + "; the page is quarantined (#" + id + ") and the poll stops before it");
    }

    @Override
    protected String describe(OffsetDateTime cursor, int page, int size) {
        return ApprovalsApi.describe(cursor, page, size);
    }

    /**
     * A refused item travels as its exact bytes: the mapper cannot read them either and quarantines them with
     * the reason (the limit named), like any other unreadable item.
     */
    @Override
    protected SourceItem item(JsonPages.Item item, String origin, OffsetDateTime fetchedAt) {
        return item.refused() ? SourceItem.utf8(ID, null, item.raw(), origin, fetchedAt)
                : SourceItem.utf8(ID, caseNo(item.node()), Payloads.stableJson(item.node()), origin, fetchedAt,
                item.node());
    }

    @Override
    protected OffsetDateTime startFrom() {
        String s = props.startFrom();
        return s == null || s.isBlank() ? null : CanonicalTime.parseSource(s);
    }

    @Override
    protected OffsetDateTime updatedAt(JsonPages.Item item) {
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

    /** The stable-JSON hash of the item. */
    @Override
    protected String hash(JsonPages.Item item) {
        return Payloads.sha256(item.refused() ? item.raw() : Payloads.stableJson(item.node()));
    }

    @Override
    public String toString() {
        return "ApprovalsSource[" + props.apiRoot() + "]";
    }
}
