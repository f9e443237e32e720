package yingyan.store;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/**
 * What each adapter's records came to per clock minute ({@code flow_minute}, V6): applied, duplicates,
 * stale, conflicts and the newest {@code source.updatedAt} delivered. {@link RecordStore} adds to it in
 * the transaction that applies the records, so the console's "last minute / last hour", its per-minute
 * charts and the lag survive a restart and never count a batch that rolled back.
 */
@Repository
public class FlowMinutes {
    private final JdbcTemplate jdbc;

    public FlowMinutes(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** Adds one batch's counts to the adapter's current minute; called inside the applying transaction. */
    void add(String adapter, int applied, int duplicates, int stale, int conflicts, OffsetDateTime newestUpdatedAt) {
        OffsetDateTime minute = OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MINUTES);
        Object[] update = {applied, duplicates, stale, conflicts, newestUpdatedAt, newestUpdatedAt, adapter, minute};
        String sql = "UPDATE flow_minute SET applied = applied + ?, duplicates = duplicates + ?, stale = stale + ?,"
                + " conflicts = conflicts + ?, newest_updated_at = CASE WHEN newest_updated_at IS NULL"
                + " OR newest_updated_at < ? THEN ? ELSE newest_updated_at END WHERE adapter = ? AND minute_at = ?";
        if (jdbc.update(sql, update) > 0) {
            return;
        }
        // The first batch of the minute. Two batches of one adapter may both get here (concurrent consumers):
        // the loser of the insert inserts nothing, waits for the winner's row and adds to it.
        int inserted = jdbc.update("INSERT INTO flow_minute (adapter, minute_at, applied, duplicates, stale, conflicts,"
                        + " newest_updated_at) VALUES (?,?,?,?,?,?,?) ON CONFLICT DO NOTHING",
                adapter, minute, applied, duplicates, stale, conflicts, newestUpdatedAt);
        if (inserted == 0) {
            jdbc.update(sql, update);
        }
    }

    /** Every adapter's minutes from {@code from} (inclusive) on, oldest first. */
    public List<Minute> since(OffsetDateTime from) {
        return jdbc.query("SELECT adapter, minute_at, applied, duplicates, stale, conflicts, newest_updated_at"
                        + " FROM flow_minute WHERE minute_at >= ? ORDER BY minute_at, adapter",
                (rs, i) -> new Minute(rs.getString(1), rs.getObject(2, OffsetDateTime.class), rs.getLong(3),
                        rs.getLong(4), rs.getLong(5), rs.getLong(6), rs.getObject(7, OffsetDateTime.class)),
                from);
    }

    /** One adapter's minutes from {@code from} on, oldest first. */
    public List<Minute> since(String adapter, OffsetDateTime from) {
        return jdbc.query("SELECT adapter, minute_at, applied, duplicates, stale, conflicts, newest_updated_at"
                        + " FROM flow_minute WHERE adapter = ? AND minute_at >= ? ORDER BY minute_at",
                (rs, i) -> new Minute(rs.getString(1), rs.getObject(2, OffsetDateTime.class), rs.getLong(3),
                        rs.getLong(4), rs.getLong(5), rs.getLong(6), rs.getObject(7, OffsetDateTime.class)),
                adapter, from);
    }

    /** The newest {@code source.updatedAt} each adapter delivered in the minutes still kept. */
    public Map<String, OffsetDateTime> newestUpdatedAt() {
        Map<String, OffsetDateTime> out = new LinkedHashMap<>();
        jdbc.query("SELECT adapter, MAX(newest_updated_at) FROM flow_minute GROUP BY adapter", rs -> {
            out.put(rs.getString(1), rs.getObject(2, OffsetDateTime.class));
        });
        return out;
    }

    /** Forgets the minutes before {@code before}; returns how many rows went. */
    public int prune(OffsetDateTime before) {
        return jdbc.update("DELETE FROM flow_minute WHERE minute_at < ?", before);
    }

    /** One adapter's minute: counts of the records applied in it and the newest updatedAt among them. */
    public record Minute(String adapter, OffsetDateTime minute, long applied, long duplicates, long stale,
                         long conflicts, OffsetDateTime newestUpdatedAt) {
    }
}
