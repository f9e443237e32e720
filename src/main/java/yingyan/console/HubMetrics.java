package yingyan.console;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.function.ToDoubleFunction;
import org.springframework.stereotype.Component;
import yingyan.ingest.AdapterControl;
import yingyan.ingest.MapperRegistry;

/**
 * The hub's own gauges on {@code /actuator/prometheus}, with stable names (conf/grafana and
 * conf/prometheus refer to them; {@code MetricsContractTest} keeps them in step). Every gauge reads the
 * board's cached figures ({@link FlowStats}), so a scrape storm costs at most one database read per
 * {@code hub.console.stats-max-age}. The per-adapter record counters themselves are counted where the
 * records are ({@code yingyan_records_*_total} in RecordStore and QuarantineStore); they are registered
 * here at zero so that every adapter has a series before its first record.
 */
@Component
class HubMetrics implements MeterBinder {
    private final MapperRegistry mappers;
    private final AdapterControl control;
    private final FlowStats stats;

    HubMetrics(MapperRegistry mappers, AdapterControl control, FlowStats stats) {
        this.mappers = mappers;
        this.control = control;
        this.stats = stats;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        for (String id : mappers.adapterIds()) {
            for (String c : new String[]{"applied", "duplicates", "stale", "conflicts", "quarantined"}) {
                registry.counter("yingyan.records." + c, "adapter", id);
            }
            Gauge.builder("yingyan.adapter.up", control, c -> c.state(id) == AdapterControl.RunState.RUNNING ? 1 : 0)
                    .description("1 while the adapter runs and its last poll succeeded").tag("adapter", id)
                    .register(registry);
            Gauge.builder("yingyan.adapter.failing", control,
                            c -> c.state(id) == AdapterControl.RunState.FAILING ? 1 : 0)
                    .description("1 while the adapter runs and its last poll failed").tag("adapter", id)
                    .register(registry);
            Gauge.builder("yingyan.adapter.stopped", control,
                            c -> c.state(id) == AdapterControl.RunState.STOPPED ? 1 : 0)
                    .description("1 while none of the adapter's source routes runs").tag("adapter", id)
                    .register(registry);
            Gauge.builder("yingyan.adapter.lag", stats, s -> age(s.snapshot().of(id).newestUpdatedAt()))
                    .description("now minus the newest source updatedAt the adapter delivered (NaN before any)")
                    .baseUnit("seconds").tag("adapter", id).register(registry);
            Gauge.builder("yingyan.quarantine.open", stats, s -> s.snapshot().of(id).quarantineOpen())
                    .description("quarantined items not yet released").tag("adapter", id).register(registry);
        }
        province(registry, "yingyan.province.pending", "versions the province has not answered yet (PENDING, SENDING)",
                s -> s.snapshot().outbound().pending());
        province(registry, "yingyan.province.accepted", "versions the province accepted (ledger)",
                s -> s.snapshot().ledgerTotals().getOrDefault("ACCEPTED", 0L));
        province(registry, "yingyan.province.rejected", "versions the province rejected (ledger)",
                s -> s.snapshot().ledgerTotals().getOrDefault("REJECTED", 0L));
        province(registry, "yingyan.province.failed.batches", "batches the province refused, waiting for an operator",
                s -> s.snapshot().outbound().failedBatches());
        province(registry, "yingyan.province.stuck.batches", "batches unanswered after stuck-after-attempts",
                s -> s.snapshot().outbound().stuckBatches());
        province(registry, "yingyan.province.breaker.open", "1 while the circuit breaker to the province is not closed",
                s -> "CLOSED".equals(s.snapshot().outbound().breaker()) ? 0 : 1);
        province(registry, "yingyan.province.up", "1 while the push runs and is not failing",
                s -> "RUNNING".equals(s.snapshot().outbound().state()) ? 1 : 0);
        Gauge.builder("yingyan.province.oldest.pending.age", stats, s -> {
                    OffsetDateTime t = s.snapshot().outbound().oldestPendingAppliedAt();
                    return t == null ? 0 : age(t);
                }).description("how long the oldest version not yet answered by the province has waited (0: none)")
                .baseUnit("seconds").register(registry);
    }

    private void province(MeterRegistry registry, String name, String description, ToDoubleFunction<FlowStats> f) {
        Gauge.builder(name, stats, f).description(description).register(registry);
    }

    private static double age(OffsetDateTime t) {
        return t == null ? Double.NaN : Math.max(0, Duration.between(t.toInstant(), Instant.now()).toMillis() / 1000.0);
    }
}
