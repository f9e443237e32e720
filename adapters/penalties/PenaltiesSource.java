package yingyan.adapters.penalties;

import java.time.OffsetDateTime;
import java.util.List;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import yingyan.adapters.penalties.soap.Penalty;
import yingyan.canonical.CanonicalTime;
import yingyan.spi.AdapterMonitor;
import yingyan.spi.IngestGateway;
import yingyan.spi.SincePagedSource;
import yingyan.spi.SourceItem;
import yingyan.spi.Watermarks;

/**
 * Reads new and changed penalty cases from the bureau's SOAP service, page by page, without losing or skipping a
 * case that moves to a later page while the hub pages (the same paging as the approval system's, see the README,
 * "Paging"; the walk is {@link SincePagedSource}'s): each poll starts at the watermark minus the overlap
 * ({@code since} is inclusive); after each full page the query restarts at the last case's {@code updatedAt};
 * only a full page that lies wholly in one second advances {@code pageNo}, and then the previous page's last case
 * is read again to prove the boundary did not shift. Each page is durably queued ({@link IngestGateway#submit}
 * returned) before the watermark moves past it.
 */
@Component
class PenaltiesSource extends SincePagedSource<Penalty> {
    private static final String ID = PenaltiesProperties.ADAPTER_ID;

    private final PenaltiesProperties props;
    private final PenaltiesClient client;

    PenaltiesSource(PenaltiesProperties props, AdapterMonitor monitor, IngestGateway gateway, Watermarks watermarks) {
        super(monitor, ID, gateway, watermarks, props.pageSize(), props.overlap(), "since");
        this.props = props;
        this.client = new PenaltiesClient(props);
    }

    /** Published before Camel stops its routes: a poll waiting on a backoff ends now. */
    @EventListener(ContextClosedEvent.class)
    void stopping() {
        client.stop();
    }

    @Override
    protected List<Penalty> fetch(OffsetDateTime since, int page, int size, Totals totals) {
        PenaltiesClient.Page p = client.query(since, page, size);
        if (p.penalties().size() > size) {
            throw new SourceFailure("the penalty service answered " + PenaltiesClient.describe(since, page, size)
                    + " with " + p.penalties().size() + " cases, more than the pageSize asked for; the poll stops"
                    + " here and resumes from the watermark");
        }
        return p.penalties();
    }

    @Override
    protected String describe(OffsetDateTime since, int page, int size) {
        return PenaltiesClient.describe(since, page, size);
    }

    @Override
    protected String requests() {
        return "calls";
    }

    @Override
    protected String hash(Penalty item) {
        return PenaltyForm.hash(item);
    }

    @Override
    protected SourceItem item(Penalty item, String origin, OffsetDateTime fetchedAt) {
        return PenaltyForm.item(item, origin, fetchedAt);
    }

    @Override
    protected OffsetDateTime startFrom() {
        return CanonicalTime.parseSource(props.startFrom());
    }

    @Override
    protected OffsetDateTime updatedAt(Penalty p) {
        String t = p.getUpdatedAt();
        return t != null && CanonicalTime.isSourceTime(t) ? CanonicalTime.parseSource(t) : null;
    }

    @Override
    public String toString() {
        return "PenaltiesSource[" + props.serviceAddress() + "]";
    }
}
