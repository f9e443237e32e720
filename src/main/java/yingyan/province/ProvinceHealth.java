package yingyan.province;

import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.apache.camel.ServiceStatus;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.dao.DataAccessException;
import org.springframework.stereotype.Component;
import yingyan.canonical.CanonicalTime;

/**
 * {@code /actuator/health/province}: DOWN while the circuit breaker is open or half-open (the province
 * has not answered since it opened), UNKNOWN (STOPPED) while the sender is not running, UP otherwise; with what is not yet
 * accepted and the oldest unanswered batch. Not part of readiness: the hub goes on without the province.
 */
@Component("province")
class ProvinceHealth implements HealthIndicator {
    private final BatchSender sender;
    private final DeliveryQueries queries;
    private final CamelContext camel;
    private final AlertPushStatus alerts;

    ProvinceHealth(BatchSender sender, DeliveryQueries queries, CamelContext camel, AlertPushStatus alerts) {
        this.sender = sender;
        this.queries = queries;
        this.camel = camel;
        this.alerts = alerts;
    }

    @Override
    public Health health() {
        Map<String, Object> d = new LinkedHashMap<>();
        ServiceStatus route = camel.getRouteController().getRouteStatus("province-push");
        d.put("route", route == null ? "none" : route.name());
        d.put("breaker", sender.breakerState().name());
        try {
            d.put("notAccepted", queries.owedCounts());
            queries.oldestOpen().ifPresent(b -> d.put("unanswered", unanswered(b)));
            // The alert push beside it, for information: its own breaker does not make the record push DOWN.
            Map<String, Object> a = alerts.status();
            d.put("alerts", Map.of("state", a.get("state"), "breaker", a.get("breaker"), "pending", a.get("pending")));
        } catch (DataAccessException e) {
            // The ledger is in the municipal database: while it is away the counts are unknown, and health
            // answers DOWN through the db indicator instead of failing with a 500.
            d.put("notAccepted", "unknown: the municipal database is unreachable");
        }
        Health.Builder h;
        if (sender.breakerState() != Breaker.State.CLOSED) {
            h = Health.down().withDetail("reason", "the province has not answered since the circuit breaker opened"
                    + " (probe from " + sender.breakerOpenUntil() + ")");
        } else if (route == null || !route.isStarted()) {
            h = Health.unknown().withDetail("state", "STOPPED");
        } else {
            h = Health.up();
        }
        return h.withDetails(d).build();
    }

    /** A batch not yet answered, as health and the alert push's status show it. */
    static Map<String, Object> unanswered(Batch b) {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("batchId", b.batchId());
        o.put("attempts", b.attempts());
        o.put("lastError", b.lastError());
        o.put("nextAttemptAt", CanonicalTime.format(b.nextAttemptAt()));
        return o;
    }
}
