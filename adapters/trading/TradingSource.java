package yingyan.adapters.trading;

import java.time.OffsetDateTime;
import java.util.List;
import org.springframework.stereotype.Component;
import yingyan.canonical.CanonicalTime;
import yingyan.spi.AdapterMonitor;
import yingyan.spi.IngestGateway;
import yingyan.spi.IngestOutcome;
import yingyan.spi.PollingSource;
import yingyan.spi.SourceItem;
import yingyan.spi.Watermarks;

/**
 * Reads what is new in Trading's system on every tick of {@code trading-source}. The watermark advances
 * only after IngestGateway returned (the records are durably queued): a crash re-reads, never skips.
 * What an adapter may use of the hub is in yingyan.spi (and yingyan.canonical); ArchitectureTest holds it so.
 */
@Component
class TradingSource extends PollingSource {
    private final TradingProperties props;
    private final IngestGateway gateway;
    private final Watermarks watermarks;

    TradingSource(TradingProperties props, IngestGateway gateway, Watermarks watermarks,
                   AdapterMonitor monitor) {
        super(monitor, TradingProperties.ADAPTER_ID);
        this.props = props;
        this.gateway = gateway;
        this.watermarks = watermarks;
    }

    @Override
    protected IngestOutcome pollOnce() {
        String since = watermarks.get(TradingProperties.ADAPTER_ID).orElse("");
        OffsetDateTime fetchedAt = OffsetDateTime.now(CanonicalTime.BEIJING);
        // TODO(new department): read the items changed since `since` minus props.overlap(), in chunks,
        // each as SourceItem.utf8(ADAPTER_ID, key, rawBytes, "where: page/file line/row", fetchedAt); for a JSON
        // item, rawBytes = Payloads.stableJson(item), as test/golden.properties (reader=json-page) reads it too.
        List<SourceItem> items = List.of();
        IngestOutcome outcome = gateway.submit(items);
        // TODO: store the newest change time of the chunk just queued.
        watermarks.put(TradingProperties.ADAPTER_ID, since);
        return outcome;
    }

    /**
     * Backfill ({@code yingyan backfill --adapter trading --since 2026-11-01}): the watermark goes back to
     * {@code since}, never forward, and the hub polls until caught up. TODO(new department): this assumes
     * the watermark is a change time written by CanonicalTime.formatSource (as pollOnce's TODO says). If
     * yours is another kind of position, map the time onto it, or delete this method and readPosition:
     * the hub then answers "backfill is not supported by the trading adapter".
     */
    @Override
    protected OffsetDateTime rewindTo(OffsetDateTime since) {
        String current = watermarks.get(TradingProperties.ADAPTER_ID).orElse("");
        String to = CanonicalTime.formatSource(since);
        if (current.isEmpty()) {
            return null; // nothing read yet: the next poll reads from the beginning anyway
        }
        if (current.compareTo(to) < 0) {
            return CanonicalTime.parseSource(current); // not that far yet: moving it forward would skip
        }
        watermarks.put(TradingProperties.ADAPTER_ID, to);
        return CanonicalTime.parseSource(to);
    }

    @Override
    protected OffsetDateTime readPosition() {
        String current = watermarks.get(TradingProperties.ADAPTER_ID).orElse("");
        return CanonicalTime.isSourceTime(current) ? CanonicalTime.parseSource(current) : null;
    }
}
