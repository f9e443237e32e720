package yingyan.ingest;

import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.apache.camel.ServiceStatus;
import org.springframework.boot.actuate.health.CompositeHealthContributor;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthContributor;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.actuate.health.NamedContributor;
import org.springframework.stereotype.Component;
import yingyan.quarantine.QuarantineStore;
import yingyan.spi.AdapterMonitor;
import yingyan.store.StatusReads;

/**
 * {@code /actuator/health/adapters/<id>}: DOWN with the reason while an adapter's source fails,
 * UNKNOWN with state STOPPED while its routes are stopped (disabled, or stopped by an operator: nothing
 * flows, but the hub itself is healthy; an operator's stop shows as STOPPED even when the adapter was
 * failing), UP otherwise ({@link AdapterControl#state}).
 */
@Component("adapters")
class AdapterHealth implements CompositeHealthContributor {
    private final MapperRegistry mappers;
    private final AdapterMonitor monitor;
    private final CamelContext camel;
    private final QuarantineStore quarantine;
    private final AdapterControl control;
    private final StatusReads reads;

    AdapterHealth(MapperRegistry mappers, AdapterMonitor monitor, CamelContext camel,
                  QuarantineStore quarantine, AdapterControl control, StatusReads reads) {
        this.reads = reads;
        this.mappers = mappers;
        this.monitor = monitor;
        this.camel = camel;
        this.quarantine = quarantine;
        this.control = control;
    }

    @Override
    public HealthContributor getContributor(String name) {
        return mappers.find(name).isPresent() ? (HealthIndicator) () -> health(name) : null;
    }

    @Override
    public Iterator<NamedContributor<HealthContributor>> iterator() {
        return mappers.adapterIds().stream()
                .map(id -> NamedContributor.of(id, (HealthContributor) (HealthIndicator) () -> health(id)))
                .iterator();
    }

    private Health health(String id) {
        AdapterMonitor.AdapterState s = monitor.state(id);
        Map<String, Object> d = new LinkedHashMap<>();
        ServiceStatus route = camel.getRouteController().getRouteStatus(id + "-source");
        d.put("route", route == null ? "none" : route.name());
        d.put("routes", control.routeStatus(id));
        d.put("lastSuccessAt", s.lastSuccessAt());
        d.put("queued", s.queuedTotal());
        AdapterMonitor.PollProgress poll = s.poll();
        if (poll != null) {
            d.put("poll", poll.figures(Instant.now()));
        }
        // Open entries in the database: a bad item read again by an overlapping poll is still one entry.
        // While the municipal database is away that count is unknown; the adapter's own state is still
        // reported (health must answer DOWN through the db indicator, quickly: not fail with a 500 nor wait a
        // connection timeout per adapter).
        d.put("quarantineOpen", reads.read(() -> (Object) quarantine.countOpen(id))
                .orElse("unknown: the municipal database is unreachable"));
        if (s.lastError() != null) {
            d.put("lastError", s.lastError());
            d.put("lastErrorAt", s.lastErrorAt());
        }
        Health.Builder b = switch (control.state(id)) {
            case STOPPED -> s.disabledBecause() == null || control.stoppedBy(id).isPresent()
                    ? Health.unknown().withDetail("state", "STOPPED")
                    : Health.unknown().withDetail("state", "STOPPED").withDetail("reason", s.disabledBecause());
            case FAILING -> Health.down().withDetail("reason", s.lastError());
            case RUNNING -> Health.up();
        };
        return b.withDetails(d).build();
    }
}
