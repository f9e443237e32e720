package yingyan.store;

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

    private final JdbcTemplate jdbc;

    public AdapterStops(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
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
    }

    public void start(String adapter) {
        jdbc.update("DELETE FROM adapter_stop WHERE adapter_id = ?", adapter);
    }

    public Optional<Stop> find(String adapter) {
        return jdbc.query("SELECT stopped_by, stopped_at FROM adapter_stop WHERE adapter_id = ?",
                (rs, i) -> new Stop(rs.getString(1), rs.getObject(2, OffsetDateTime.class).toInstant()), adapter)
                .stream().findFirst();
    }

    /** Every stopped adapter. */
    public Map<String, Stop> all() {
        Map<String, Stop> out = new LinkedHashMap<>();
        jdbc.query("SELECT adapter_id, stopped_by, stopped_at FROM adapter_stop ORDER BY adapter_id", rs -> {
            out.put(rs.getString(1), new Stop(rs.getString(2), rs.getObject(3, OffsetDateTime.class).toInstant()));
        });
        return out;
    }
}
