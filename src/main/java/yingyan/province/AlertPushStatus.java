package yingyan.province;

import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.CamelContext;
import org.apache.camel.ServiceStatus;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import yingyan.canonical.CanonicalTime;

/**
 * The alert push as the API ({@code /api/v1/province/pending}, beside the records'), health and the console
 * show it: running, stopped or failing and why, how many alert events the province is still owed, when a batch
 * last went and was last answered, and the alerts the province rejected with its code and reason. Counts over
 * the alert ledger's indexes and the event seq range; cheap enough for a board that refreshes every few seconds.
 */
@Component
public class AlertPushStatus {
    private final JdbcTemplate jdbc;
    private final AlertPusher pusher;
    private final AlertPushProperties props;
    private final CamelContext camel;

    AlertPushStatus(JdbcTemplate jdbc, AlertPusher pusher, AlertPushProperties props, CamelContext camel,
                    ObjectProvider<MeterRegistry> meters) {
        this.jdbc = jdbc;
        this.pusher = pusher;
        this.props = props;
        this.camel = camel;
        meters.ifAvailable(m -> Gauge.builder("yingyan.province.alerts.pending", this, AlertPushStatus::pendingOrNaN)
                .description("alert events the province has not answered yet (not yet sent, or unanswered)")
                .register(m));
    }

    private double pendingOrNaN() {
        try {
            return pending();
        } catch (DataAccessException e) {
            return Double.NaN; // the municipal database is away: unknown, not zero
        }
    }

    /** Alert events not yet answered: not yet in a batch, or in one the province has not answered. */
    public long pending() {
        Long waiting = jdbc.queryForObject("SELECT (SELECT COUNT(*) FROM alert_event e WHERE e.seq >"
                + " (SELECT last_seq FROM province_alert_position WHERE id = 1)) + (SELECT COUNT(*) FROM"
                + " province_alert_delivery WHERE state = 'SENDING')", Long.class);
        return waiting == null ? 0 : waiting;
    }

    /**
     * The alert push now: {@code state} RUNNING, FAILING (breaker not closed, a refused batch waiting for a
     * person, or a batch stuck after {@code stuck-after-attempts}) or STOPPED; {@code pending}; the ledger by
     * state; {@code lastSentAt} / {@code lastAnsweredAt}; the oldest unanswered batch; and {@code rejected}, the
     * newest rejections (alertId, eventSeq, code, reason).
     */
    public Map<String, Object> status() {
        Map<String, Object> out = new LinkedHashMap<>();
        Breaker.State breaker = pusher.breakerState();
        long failed = count("SELECT COUNT(*) FROM province_alert_batch WHERE state = 'FAILED'");
        long stuck = count("SELECT COUNT(*) FROM province_alert_batch WHERE state = 'SENDING' AND attempts >= "
                + props.stuckAfterAttempts());
        ServiceStatus route = camel.getRouteController().getRouteStatus("province-alert-push");
        String state;
        if (!props.enabled() || route == null || !route.isStarted()) {
            state = "STOPPED";
            out.put("reason", props.enabled() ? "the province-alert-push route is stopped"
                    : "hub.province.alerts.enabled is false");
        } else if (breaker != Breaker.State.CLOSED || failed > 0 || stuck > 0) {
            state = "FAILING";
            out.put("reason", breaker != Breaker.State.CLOSED
                    ? "the alert endpoint is not answering (circuit breaker " + breaker + ")"
                    : failed > 0 ? failed + " alert batch(es) refused by the province wait for an operator"
                    : stuck + " alert batch(es) unanswered after " + props.stuckAfterAttempts() + " attempts");
        } else {
            state = "RUNNING";
        }
        out.put("state", state);
        out.put("breaker", breaker.name());
        out.put("pending", pending());
        Map<String, Long> ledger = new LinkedHashMap<>();
        for (String s : List.of("SENDING", "ACCEPTED", "REJECTED", "SUPERSEDED")) {
            ledger.put(s, 0L);
        }
        jdbc.query("SELECT state, COUNT(*) FROM province_alert_delivery GROUP BY state",
                rs -> {
                    ledger.put(rs.getString(1), rs.getLong(2));
                });
        out.put("ledger", ledger);
        out.put("failedBatches", failed);
        out.put("stuckBatches", stuck);
        out.put("lastSentAt", time("SELECT MAX(last_attempt_at) FROM province_alert_batch"));
        out.put("lastAnsweredAt", time("SELECT MAX(completed_at) FROM province_alert_batch WHERE state = 'DONE'"));
        pusher.queries().oldestOpen().ifPresent(b -> out.put("unanswered", ProvinceHealth.unanswered(b)));
        out.put("rejected", jdbc.query("SELECT alert_id, event_seq, reject_code, reject_reason, batch_id, since"
                + " FROM province_alert_delivery WHERE state = 'REJECTED' ORDER BY event_seq DESC FETCH FIRST 20 ROWS ONLY",
                (rs, i) -> {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("alertId", rs.getString(1));
                    m.put("eventSeq", rs.getLong(2));
                    m.put("code", rs.getString(3));
                    m.put("reason", rs.getString(4));
                    m.put("batchId", rs.getString(5));
                    m.put("since", CanonicalTime.format(rs.getObject(6, OffsetDateTime.class)));
                    return m;
                }));
        return out;
    }

    private long count(String sql) {
        Long n = jdbc.queryForObject(sql, Long.class);
        return n == null ? 0 : n;
    }

    private String time(String sql) {
        OffsetDateTime t = jdbc.queryForObject(sql, OffsetDateTime.class);
        return t == null ? null : CanonicalTime.format(t);
    }
}
