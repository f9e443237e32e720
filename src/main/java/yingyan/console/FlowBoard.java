package yingyan.console;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.dao.DataAccessException;
import org.springframework.stereotype.Component;
import yingyan.canonical.ResidentIds;
import yingyan.ingest.AdapterControl;
import yingyan.ingest.MapperRegistry;
import yingyan.province.AlertPushStatus;
import yingyan.province.OutboundStatus;
import yingyan.spi.AdapterMonitor;
import yingyan.spi.ReconciliationLog;
import yingyan.store.FlowMinutes;
import yingyan.store.ReconciliationStore;

/**
 * The flow board: one row per adapter and one for the provincial push, from the live state (routes,
 * {@link AdapterMonitor}) and the cached database figures ({@link FlowStats}). Texts that may quote
 * source data (errors, refusals) are shown with resident IDs masked.
 */
@Component
class FlowBoard {
    private final MapperRegistry mappers;
    private final AdapterControl control;
    private final AdapterMonitor monitor;
    private final FlowStats stats;
    private final FlowMinutes flow;
    private final ReconciliationStore reconciliations;
    private final AlertPushStatus alertPush;

    FlowBoard(MapperRegistry mappers, AdapterControl control, AdapterMonitor monitor, FlowStats stats,
              FlowMinutes flow, ReconciliationStore reconciliations, AlertPushStatus alertPush) {
        this.alertPush = alertPush;
        this.mappers = mappers;
        this.control = control;
        this.monitor = monitor;
        this.stats = stats;
        this.flow = flow;
        this.reconciliations = reconciliations;
    }

    Map<String, Object> board() {
        FlowStats.Snapshot s = stats.snapshot();
        Map<String, Object> out = new LinkedHashMap<>();
        Map<String, ReconciliationLog.Run> reconciled = reconciliations.lastOfEach();
        out.put("items", mappers.adapterIds().stream().map(id -> row(id, s, reconciled.get(id))).toList());
        out.put("next", null);
        out.put("province", province(s));
        out.put("figuresAt", s.at());
        return out;
    }

    Map<String, Object> row(String id) {
        return row(id, stats.snapshot(), reconciliations.last(id).orElse(null));
    }

    private Map<String, Object> row(String id, FlowStats.Snapshot s, ReconciliationLog.Run reconciled) {
        AdapterMonitor.AdapterState m = monitor.state(id);
        FlowStats.AdapterFigures f = s.of(id);
        AdapterControl.RunState state = control.state(id);
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("adapter", id);
        r.put("state", state.name());
        r.put("reason", switch (state) {
            case FAILING -> masked(m.lastError());
            case STOPPED -> control.stoppedBy(id).map(n -> "stopped by " + n.by() + " at " + n.at())
                    .orElse(m.disabledBecause() != null ? m.disabledBecause()
                            : "not started (disabled in configuration, or stopped before the hub restarted)");
            case RUNNING -> null;
        });
        r.put("stoppedBy", state == AdapterControl.RunState.STOPPED ? control.stoppedBy(id).map(n -> {
            Map<String, Object> by = new LinkedHashMap<>();
            by.put("by", n.by());
            by.put("at", n.at());
            return by;
        }).orElse(null) : null);
        r.put("routes", control.routeStatus(id));
        r.put("lastMinute", f.lastMinute());
        r.put("lastHour", f.lastHour());
        r.put("duplicatesLastHour", f.duplicatesLastHour());
        r.put("staleLastHour", f.staleLastHour());
        r.put("lastSuccessAt", m.lastSuccessAt());
        AdapterMonitor.PollProgress poll = m.poll();
        r.put("poll", poll == null ? null : poll.figures(Instant.now()));
        r.put("lastErrorAt", m.lastErrorAt());
        r.put("lastError", masked(m.lastError()));
        r.put("consecutiveFailures", m.consecutiveFailures());
        r.put("nextAttemptAt", m.failing() ? m.nextAttemptAt() : null);
        r.put("newestUpdatedAt", f.newestUpdatedAt());
        r.put("lagSeconds", lagSeconds(f.newestUpdatedAt()));
        r.put("quarantineOpen", f.quarantineOpen());
        r.put("reconciliation", reconciliation(reconciled));
        return r;
    }

    /** The adapter's last reconciliation with its source (only adapters that run one have it), else null. */
    private static Map<String, Object> reconciliation(ReconciliationLog.Run run) {
        if (run == null) {
            return null;
        }
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("lastRunAt", run.startedAt());
        r.put("finishedAt", run.finishedAt());
        r.put("checked", run.checked());
        r.put("missing", run.missing());
        r.put("reread", run.reread());
        r.put("error", masked(run.error()));
        return r;
    }

    private Map<String, Object> province(FlowStats.Snapshot s) {
        OutboundStatus.Outbound o = s.outbound();
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("state", o.state());
        p.put("reason", masked(o.reason()));
        p.put("breaker", o.breaker());
        p.put("pending", o.pending());
        p.put("oldestPendingAppliedAt", o.oldestPendingAppliedAt());
        p.put("oldestPendingAgeSeconds", o.oldestPendingAppliedAt() == null ? null
                : Math.max(0, Duration.between(o.oldestPendingAppliedAt().toInstant(), Instant.now()).toSeconds()));
        p.put("accepted", s.ledgerTotals().getOrDefault("ACCEPTED", 0L));
        p.put("rejected", s.ledgerTotals().getOrDefault("REJECTED", 0L));
        p.put("failedBatches", o.failedBatches());
        p.put("stuckBatches", o.stuckBatches());
        p.put("lastSuccessAt", o.lastSuccessAt());
        p.put("lastErrorAt", o.lastErrorAt());
        p.put("lastError", masked(o.lastError()));
        p.put("alerts", alertPush());
        return p;
    }

    /** The alert push, in the province row's shape, beside it (its own ledger, breaker and backoff). */
    private Map<String, Object> alertPush() {
        Map<String, Object> p = new LinkedHashMap<>();
        Map<String, Object> a;
        try {
            a = alertPush.status();
        } catch (DataAccessException e) {
            p.put("state", "FAILING");
            p.put("reason", "the municipal database is unreachable");
            return p;
        }
        Map<?, ?> ledger = (Map<?, ?>) a.get("ledger");
        Map<?, ?> unanswered = (Map<?, ?>) a.get("unanswered");
        p.put("state", a.get("state"));
        p.put("reason", masked((String) a.get("reason")));
        p.put("breaker", a.get("breaker"));
        p.put("pending", a.get("pending"));
        p.put("oldestPendingAgeSeconds", null);
        p.put("accepted", ledger.get("ACCEPTED"));
        p.put("rejected", ledger.get("REJECTED"));
        p.put("failedBatches", a.get("failedBatches"));
        p.put("stuckBatches", a.get("stuckBatches"));
        p.put("lastSuccessAt", a.get("lastAnsweredAt"));
        p.put("lastErrorAt", null);
        p.put("lastError", unanswered == null ? null : masked((String) unanswered.get("lastError")));
        return p;
    }

    /** Per-minute counts of one adapter over the last {@code minutes} minutes, one entry per minute, oldest first. */
    Map<String, Object> flow(String id, int minutes) {
        OffsetDateTime current = OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MINUTES);
        OffsetDateTime from = current.minusMinutes(minutes - 1L);
        Map<Instant, FlowMinutes.Minute> rows = new LinkedHashMap<>();
        for (FlowMinutes.Minute m : flow.since(id, from)) {
            rows.put(m.minute().toInstant(), m);
        }
        List<Map<String, Object>> points = new ArrayList<>(minutes);
        for (OffsetDateTime t = from; !t.isAfter(current); t = t.plusMinutes(1)) {
            FlowMinutes.Minute m = rows.get(t.toInstant());
            Map<String, Object> point = new LinkedHashMap<>();
            point.put("minute", t);
            point.put("applied", m == null ? 0 : m.applied());
            point.put("duplicates", m == null ? 0 : m.duplicates());
            point.put("stale", m == null ? 0 : m.stale());
            point.put("conflicts", m == null ? 0 : m.conflicts());
            points.add(point);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("adapter", id);
        out.put("minutes", minutes);
        out.put("items", points);
        out.put("next", null);
        return out;
    }

    static Long lagSeconds(OffsetDateTime newestUpdatedAt) {
        return newestUpdatedAt == null ? null
                : Math.max(0, Duration.between(newestUpdatedAt.toInstant(), Instant.now()).toSeconds());
    }

    private static String masked(String text) {
        return text == null ? null : ResidentIds.maskAll(text);
    }
}
