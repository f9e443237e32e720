package yingyan.supervision.alerts;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * {@code yingyan_alerts_open{level,rule}} (OPEN alerts: neither resolved nor cleared) and the counters
 * {@code yingyan_alerts_raised_total}, {@code _resolved_total}, {@code _cleared_total} by rule and level,
 * counted after the change committed. The gauge is read from the database after a change and on every
 * follower tick (so it is right after a restart, and on every node that reads the same database).
 */
@Component
class AlertMetrics {
    private final MeterRegistry meters;
    private final JdbcTemplate jdbc;
    private final MultiGauge open;
    private final AtomicBoolean stale = new AtomicBoolean(true);
    private final Set<Tags> seen = ConcurrentHashMap.newKeySet();

    AlertMetrics(MeterRegistry meters, JdbcTemplate jdbc) {
        this.meters = meters;
        this.jdbc = jdbc;
        this.open = MultiGauge.builder("yingyan.alerts.open")
                .description("Alerts OPEN (neither resolved nor cleared), by level and rule").register(meters);
    }

    void raised(StoredAlert a) {
        count("yingyan.alerts.raised", a);
    }

    void resolved(StoredAlert a) {
        count("yingyan.alerts.resolved", a);
    }

    void cleared(StoredAlert a) {
        count("yingyan.alerts.cleared", a);
    }

    private void count(String name, StoredAlert a) {
        meters.counter(name, "rule", a.rule(), "level", a.level().name()).increment();
    }

    /** Something changed: the open gauge is read again at the next {@link #refresh}. */
    void changed() {
        stale.set(true);
    }

    /** Reads the open counts again if anything changed since the last read (or {@code force}). */
    synchronized void refresh(boolean force) {
        if (!stale.getAndSet(false) && !force) {
            return;
        }
        Map<Tags, Long> counts = new LinkedHashMap<>();
        seen.forEach(t -> counts.put(t, 0L)); // a pair whose last alert closed reads 0, not absent
        jdbc.query("SELECT alert_level, rule, COUNT(*) FROM alert WHERE open_key IS NOT NULL AND resolved_at IS NULL"
                + " GROUP BY alert_level, rule", rs -> {
            counts.put(Tags.of("level", rs.getString(1), "rule", rs.getString(2)), rs.getLong(3));
        });
        seen.addAll(counts.keySet());
        List<MultiGauge.Row<?>> rows = new ArrayList<>();
        counts.forEach((tags, n) -> rows.add(MultiGauge.Row.of(tags, n)));
        open.register(rows, true);
    }
}
