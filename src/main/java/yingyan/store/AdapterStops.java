package yingyan.store;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/**
 * Adapters stopped by an operator ({@code adapter_stop}, V20): kept in the database so that every node of a cluster
 * sees the stop and it survives a restart, until someone starts the adapter again.
 */
@Repository
public class AdapterStops {
    /** Who stopped an adapter and when. */
    public record Stop(String by, Instant at) {
    }

    /** How long {@link #find} answers from the last read before it reads the table again. */
    static final Duration FRESH = Duration.ofSeconds(1);

    private final JdbcTemplate jdbc;
    private final StatusReads reads;
    private volatile Map<String, Stop> known = Map.of();
    private volatile boolean read;
    private volatile long readAt;

    public AdapterStops(JdbcTemplate jdbc, StatusReads reads) {
        this.jdbc = jdbc;
        this.reads = reads;
    }

    /** Records the stop (a second stop of a stopped adapter keeps the first one's note). */
    public void stop(String adapter, String by, Instant at) {
        int updated = jdbc.update("UPDATE adapter_stop SET adapter_id = adapter_id WHERE adapter_id = ?", adapter);
        if (updated == 0) {
            try {
                jdbc.update("INSERT INTO adapter_stop (adapter_id, stopped_by, stopped_at) VALUES (?, ?, ?)",
                        adapter, by, OffsetDateTime.ofInstant(at, ZoneOffset.UTC));
            } catch (org.springframework.dao.DuplicateKeyException raced) {
                // another node stopped it at the same moment: stopped either way
            }
        }
        all();
    }

    public void start(String adapter) {
        jdbc.update("DELETE FROM adapter_stop WHERE adapter_id = ?", adapter);
        all();
    }

    /**
     * The adapter's stop as last read, at most {@link #FRESH} old: health and the console ask for every adapter on
     * every request. While the database is away this is the last stop read, and no request waits for the database
     * ({@link StatusReads}); a stop made on another node is seen here within {@code FRESH}.
     */
    public Optional<Stop> find(String adapter) {
        if (!read || System.nanoTime() - readAt > FRESH.toNanos()) {
            reads.read(this::all);
        }
        return Optional.ofNullable(known.get(adapter));
    }

    /** Every stopped adapter, read now (throws while the database is away). */
    public Map<String, Stop> all() {
        Map<String, Stop> out = new LinkedHashMap<>();
        jdbc.query("SELECT adapter_id, stopped_by, stopped_at FROM adapter_stop ORDER BY adapter_id", rs -> {
            out.put(rs.getString(1), new Stop(rs.getString(2), rs.getObject(3, OffsetDateTime.class).toInstant()));
        });
        known = Map.copyOf(out);
        readAt = System.nanoTime();
        read = true;
        return out;
    }
}
