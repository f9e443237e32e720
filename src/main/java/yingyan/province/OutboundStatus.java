package yingyan.province;

import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.apache.camel.ServiceStatus;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The provincial push as the console's flow board and the metrics show it: running, stopped or failing
 * and why, what is owed and since when, the last success and the last error. Every query here is an
 * index range over pending versions or a look at the newest batches, cheap enough for a board that
 * refreshes every few seconds; {@link #ledgerTotals} counts the whole ledger and is for callers that
 * cache it.
 */
@Component
public class OutboundStatus {
    private final JdbcTemplate jdbc;
    private final DeliveryQueries queries;
    private final BatchSender sender;
    private final ProvinceProperties props;
    private final CamelContext camel;

    OutboundStatus(JdbcTemplate jdbc, DeliveryQueries queries, BatchSender sender, ProvinceProperties props,
                   CamelContext camel) {
        this.jdbc = jdbc;
        this.queries = queries;
        this.sender = sender;
        this.props = props;
        this.camel = camel;
    }

    /**
     * The push now.
     *
     * @param state         RUNNING, FAILING (breaker open, a refused batch waiting for a person, or a batch
     *                      stuck after {@code stuck-after-attempts}) or STOPPED (sender off)
     * @param reason        why it is failing or stopped, in words; null when running
     * @param pending       versions not yet answered by the province (PENDING and SENDING)
     * @param oldestPendingAppliedAt when the oldest of them was applied; null when nothing is owed
     * @param lastSuccessAt when the province last answered a batch
     * @param lastError     the last error of the batch in flight, or the refusal of the newest FAILED batch
     */
    public record Outbound(String state, String reason, String breaker, long pending,
                           OffsetDateTime oldestPendingAppliedAt, long failedBatches, long stuckBatches,
                           OffsetDateTime lastSuccessAt, String lastError, OffsetDateTime lastErrorAt) {
    }

    public Outbound outbound() {
        long pending = count("SELECT COUNT(*) FROM province_delivery WHERE state IN ('PENDING', 'SENDING')");
        OffsetDateTime oldest = first("SELECT v.applied_at FROM record_version v WHERE v.seq = (SELECT MIN(d.seq)"
                + " FROM province_delivery d WHERE d.state IN ('PENDING', 'SENDING'))", OffsetDateTime.class);
        long failed = count("SELECT COUNT(*) FROM province_batch WHERE state = 'FAILED'");
        long stuck = count("SELECT COUNT(*) FROM province_batch WHERE state = 'SENDING' AND attempts >= "
                + props.stuckAfterAttempts());
        OffsetDateTime lastSuccess = first("SELECT completed_at FROM province_batch WHERE state = 'DONE'"
                + " ORDER BY batch_no DESC FETCH FIRST 1 ROWS ONLY", OffsetDateTime.class);
        String lastError = null;
        OffsetDateTime lastErrorAt = null;
        var open = queries.oldestOpen();
        if (open.isPresent() && open.get().lastError() != null) {
            lastError = open.get().lastError();
            lastErrorAt = open.get().lastAttemptAt();
        } else if (failed > 0) {
            List<Object[]> f = jdbc.query("SELECT http_status, failure_reason, completed_at FROM province_batch"
                            + " WHERE state = 'FAILED' ORDER BY batch_no DESC FETCH FIRST 1 ROWS ONLY",
                    (rs, i) -> new Object[]{rs.getObject(1), rs.getString(2), rs.getObject(3, OffsetDateTime.class)});
            if (!f.isEmpty()) {
                lastError = "HTTP " + f.get(0)[0] + ": " + f.get(0)[1];
                lastErrorAt = (OffsetDateTime) f.get(0)[2];
            }
        }
        Breaker.State breaker = sender.breakerState();
        ServiceStatus route = camel.getRouteController().getRouteStatus("province-push");
        String state;
        String reason = null;
        if (!props.enabled() || route == null || !route.isStarted()) {
            state = "STOPPED";
            reason = props.enabled() ? "the province-push route is stopped" : "hub.province.enabled is false";
        } else if (breaker != Breaker.State.CLOSED) {
            state = "FAILING";
            reason = "the province is not answering (circuit breaker " + breaker + ")"
                    + (lastError == null ? "" : ": " + lastError);
        } else if (failed > 0) {
            state = "FAILING";
            reason = failed + " batch(es) refused by the province wait for an operator to retry"
                    + (lastError == null ? "" : ": " + lastError);
        } else if (stuck > 0) {
            state = "FAILING";
            reason = stuck + " batch(es) unanswered after " + props.stuckAfterAttempts() + " attempts"
                    + (lastError == null ? "" : ": " + lastError);
        } else {
            state = "RUNNING";
        }
        return new Outbound(state, reason, breaker.name(), pending, oldest, failed, stuck, lastSuccess, lastError,
                lastErrorAt);
    }

    /** Every ledger row by state (ACCEPTED, REJECTED, PENDING, SENDING, SUPERSEDED): a full count, cache it. */
    public Map<String, Long> ledgerTotals() {
        Map<String, Long> out = new LinkedHashMap<>();
        for (String s : List.of("PENDING", "SENDING", "ACCEPTED", "REJECTED", "SUPERSEDED")) {
            out.put(s, 0L);
        }
        out.putAll(queries.ledgerCounts());
        return out;
    }

    private long count(String sql) {
        Long n = jdbc.queryForObject(sql, Long.class);
        return n == null ? 0 : n;
    }

    private <T> T first(String sql, Class<T> type) {
        List<T> rows = jdbc.queryForList(sql, type);
        return rows.isEmpty() ? null : rows.get(0);
    }
}
