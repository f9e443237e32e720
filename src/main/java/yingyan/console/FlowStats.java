package yingyan.console;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.ToLongFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import yingyan.province.OutboundStatus;
import yingyan.quarantine.QuarantineStore;
import yingyan.store.FlowMinutes;

/**
 * The figures of the flow board that come from the database, read at most once per
 * {@code hub.console.stats-max-age} however many consoles refresh and however often Prometheus scrapes
 * (the gauges read this too). When the database cannot be read the last figures stay and the failure is
 * logged once per attempt.
 */
@Component
class FlowStats {
    private static final Logger LOG = LoggerFactory.getLogger(FlowStats.class);

    private final FlowMinutes flow;
    private final QuarantineStore quarantine;
    private final OutboundStatus outbound;
    private final ConsoleProperties props;

    private Snapshot snapshot;
    private Instant readAt = Instant.EPOCH;
    private Map<String, Long> ledgerTotals = Map.of();
    private Instant ledgerReadAt = Instant.EPOCH;
    private Instant prunedAt = Instant.EPOCH;

    FlowStats(FlowMinutes flow, QuarantineStore quarantine, OutboundStatus outbound, ConsoleProperties props) {
        this.flow = flow;
        this.quarantine = quarantine;
        this.outbound = outbound;
        this.props = props;
    }

    /** One adapter's figures: records applied (sliding windows), duplicates and stale of the hour, lag source. */
    record AdapterFigures(long lastMinute, long lastHour, long duplicatesLastHour, long staleLastHour,
                          OffsetDateTime newestUpdatedAt, long quarantineOpen) {
        static final AdapterFigures NONE = new AdapterFigures(0, 0, 0, 0, null, 0);
    }

    record Snapshot(Instant at, Map<String, AdapterFigures> adapters, OutboundStatus.Outbound outbound,
                    Map<String, Long> ledgerTotals) {
        AdapterFigures of(String adapter) {
            return adapters.getOrDefault(adapter, AdapterFigures.NONE);
        }
    }

    synchronized Snapshot snapshot() {
        Instant now = Instant.now();
        if (snapshot != null && readAt.plus(props.statsMaxAge()).isAfter(now)) {
            return snapshot;
        }
        readAt = now;
        try {
            if (ledgerReadAt.plus(props.ledgerTotalsMaxAge()).isBefore(now)) {
                ledgerReadAt = now;
                ledgerTotals = outbound.ledgerTotals();
            }
            snapshot = new Snapshot(now, adapters(now), outbound.outbound(), ledgerTotals);
            if (prunedAt.plus(Duration.ofHours(1)).isBefore(now)) {
                prunedAt = now;
                flow.prune(OffsetDateTime.ofInstant(now.minus(props.flowRetention()), ZoneOffset.UTC));
            }
        } catch (RuntimeException e) {
            LOG.warn("console figures not refreshed, showing those of {}: {}",
                    snapshot == null ? "never" : snapshot.at(), e.toString());
            if (snapshot == null) {
                throw e;
            }
        }
        return snapshot;
    }

    private Map<String, AdapterFigures> adapters(Instant now) {
        OffsetDateTime from = OffsetDateTime.ofInstant(now, ZoneOffset.UTC).truncatedTo(ChronoUnit.MINUTES)
                .minusMinutes(60);
        Map<String, List<FlowMinutes.Minute>> byAdapter = new HashMap<>();
        for (FlowMinutes.Minute m : flow.since(from)) {
            byAdapter.computeIfAbsent(m.adapter(), k -> new ArrayList<>()).add(m);
        }
        Map<String, OffsetDateTime> newest = flow.newestUpdatedAt();
        Map<String, Long> open = quarantine.countOpenByAdapter();
        Set<String> ids = new TreeSet<>(byAdapter.keySet());
        ids.addAll(newest.keySet());
        ids.addAll(open.keySet());
        Map<String, AdapterFigures> out = new HashMap<>();
        for (String id : ids) {
            List<FlowMinutes.Minute> rows = byAdapter.getOrDefault(id, List.of());
            out.put(id, new AdapterFigures(
                    Math.round(window(rows, now, 1, FlowMinutes.Minute::applied)),
                    Math.round(window(rows, now, 60, FlowMinutes.Minute::applied)),
                    Math.round(window(rows, now, 60, FlowMinutes.Minute::duplicates)),
                    Math.round(window(rows, now, 60, FlowMinutes.Minute::stale)),
                    newest.get(id), open.getOrDefault(id, 0L)));
        }
        return out;
    }

    /**
     * The count of the last {@code minutes} minutes up to {@code now} from per-minute buckets: the buckets
     * wholly inside the window, plus the share of the oldest bucket that the window still covers (the
     * sliding-window estimate; exact when that minute's records were spread evenly).
     */
    static double window(List<FlowMinutes.Minute> rows, Instant now, int minutes,
                         ToLongFunction<FlowMinutes.Minute> value) {
        Instant current = now.truncatedTo(ChronoUnit.MINUTES);
        Instant firstWhole = current.minus(minutes - 1L, ChronoUnit.MINUTES);
        Instant partial = current.minus(minutes, ChronoUnit.MINUTES);
        double intoMinute = Duration.between(current, now).toMillis() / 60_000.0;
        double sum = 0;
        for (FlowMinutes.Minute m : rows) {
            Instant t = m.minute().toInstant();
            if (!t.isBefore(firstWhole) && !t.isAfter(current)) {
                sum += value.applyAsLong(m);
            } else if (t.equals(partial)) {
                sum += value.applyAsLong(m) * (1 - intoMinute);
            }
        }
        return sum;
    }
}
