package yingyan.feed;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/**
 * The change feed's read side: applied versions ({@code record_version}) after a position, oldest first.
 * One statement per page, so a page is one snapshot; since versions are committed in seq order
 * (RecordStore serialises writers on {@code feed_lock}, V4__feed.sql), what one statement sees is a
 * prefix of the final order and the last seq served is a safe cursor.
 */
@Repository
public class FeedQueries {
    private final JdbcTemplate jdbc;

    public FeedQueries(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    public List<Row> after(long afterSeq, Optional<Set<String>> regions, Optional<Set<String>> domains, int limit) {
        StringBuilder sql = new StringBuilder("SELECT seq, body FROM record_version WHERE seq > ?");
        List<Object> args = new ArrayList<>();
        args.add(afterSeq);
        in(sql, args, "region_code", regions);
        in(sql, args, "domain", domains);
        sql.append(" ORDER BY seq LIMIT ?");
        args.add(limit);
        boolean raw = textAsStoredBytes();
        return jdbc.query(sql.toString(), (rs, i) -> new Row(rs.getLong(1), raw ? rs.getBytes(2)
                : rs.getString(2).getBytes(StandardCharsets.UTF_8)), args.toArray());
    }

    /**
     * Whether the driver hands a text column over as the bytes the server sent (pgjdbc does, and the hub's
     * connections are UTF-8): a page then goes out without decoding a megabyte into Strings and encoding it
     * again. Other databases (H2 of the quick start) are read as Strings.
     */
    private boolean textAsStoredBytes() {
        Boolean known = postgres;
        if (known == null) {
            known = Boolean.TRUE.equals(jdbc.execute((Connection c) ->
                    "PostgreSQL".equals(c.getMetaData().getDatabaseProductName())));
            postgres = known;
        }
        return known;
    }

    private volatile Boolean postgres;

    /** The newest applied position; a cursor beyond it was not issued by this hub (or its database was replaced). */
    public long newest() {
        Long max = jdbc.queryForObject("SELECT MAX(seq) FROM record_version", Long.class);
        return max == null ? 0 : max;
    }

    private static void in(StringBuilder sql, List<Object> args, String column, Optional<Set<String>> values) {
        if (values.isPresent()) {
            sql.append(" AND ").append(column).append(" IN (")
                    .append(String.join(",", Collections.nCopies(values.get().size(), "?"))).append(')');
            args.addAll(values.get());
        }
    }

    /** One applied version: its feed position and canonical JSON (UTF-8). */
    public record Row(long seq, byte[] json) {
        public String body() {
            return new String(json, StandardCharsets.UTF_8);
        }
    }
}
