package yingyan.supervision.alerts;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/** The engine's persisted positions ({@code supervision_position}): the follower's seq, the clock's last pass. */
@Component
class Positions {
    static final String FOLLOW = "follow";
    static final String CLOCK = "clock";
    /** The time-dependent rules and calendar of the last full clock pass ({@link AlertClock#fingerprint}). */
    static final String CLOCK_RULES = "clock_rules";

    private final JdbcTemplate jdbc;

    Positions(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    long get(String name) {
        List<Long> p = jdbc.queryForList("SELECT position FROM supervision_position WHERE name = ?", Long.class, name);
        return p.isEmpty() ? 0 : p.get(0);
    }

    /** Sets a position; in the caller's transaction when there is one. */
    void set(String name, long position) {
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        if (jdbc.update("UPDATE supervision_position SET position = ?, at = ? WHERE name = ?", position, now, name) == 0) {
            jdbc.update("INSERT INTO supervision_position (name, position, at) VALUES (?,?,?)", name, position, now);
        }
    }
}
