package yingyan.cluster;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;
import yingyan.store.StatusReads;

/**
 * The nodes' presence rows ({@code cluster_node}, V20): each elected node writes its own every
 * hub.cluster.presence-interval with the roles it leads; a row older than hub.cluster.lost-after shows as LOST.
 * Only what people see and how a node names the one running a job; who runs what is decided by the locks alone.
 */
@Repository
public class ClusterNodes {
    /** One node as the presence table has it. */
    public record Node(String name, String host, Instant startedAt, Instant lastSeen, List<String> jobs) {
    }

    private final JdbcTemplate jdbc;
    private final StatusReads reads;

    ClusterNodes(JdbcTemplate jdbc, StatusReads reads) {
        this.jdbc = jdbc;
        this.reads = reads;
    }

    void write(String name, String host, Instant startedAt, Instant now, Collection<String> jobs) {
        String led = String.join(",", jobs);
        OffsetDateTime seen = OffsetDateTime.ofInstant(now, ZoneOffset.UTC);
        int n = jdbc.update("UPDATE cluster_node SET host = ?, started_at = ?, last_seen = ?, jobs = ? WHERE name = ?",
                host, OffsetDateTime.ofInstant(startedAt, ZoneOffset.UTC), seen, led, name);
        if (n == 0) {
            try {
                jdbc.update("INSERT INTO cluster_node (name, host, started_at, last_seen, jobs) VALUES (?, ?, ?, ?, ?)",
                        name, host, OffsetDateTime.ofInstant(startedAt, ZoneOffset.UTC), seen, led);
            } catch (org.springframework.dao.DuplicateKeyException raced) {
                // a second process with this node's name: the next write updates it
            }
        }
    }

    public List<Node> all() {
        return jdbc.query("SELECT name, host, started_at, last_seen, jobs FROM cluster_node ORDER BY name",
                (rs, i) -> new Node(rs.getString(1), rs.getString(2), rs.getObject(3, OffsetDateTime.class).toInstant(),
                        rs.getObject(4, OffsetDateTime.class).toInstant(), jobs(rs.getString(5))));
    }

    /** The node whose fresh presence row says it leads the role. */
    /** Empty also while the database is away: health and the console ask it per adapter ({@link StatusReads}). */
    public Optional<String> leaderOf(String role, Instant seenAfter) {
        return reads.read(this::all).orElse(List.of()).stream().filter(n -> n.lastSeen().isAfter(seenAfter) && n.jobs().contains(role))
                .map(Node::name).findFirst();
    }

    private static List<String> jobs(String text) {
        return text == null || text.isBlank() ? List.of() : Arrays.asList(text.split(","));
    }
}
