package yingyan.feed;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/** Read side of the municipal database: current records and their applied versions. */
@Repository
public class RecordQueries {
    private final JdbcTemplate jdbc;

    public RecordQueries(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** Current records, newest applied first; {@code beforeSeq} continues a listing. */
    public List<Row> current(String domain, String regionCode, Long beforeSeq, int limit) {
        StringBuilder sql = new StringBuilder("SELECT version_seq, body FROM record WHERE 1 = 1");
        List<Object> args = new ArrayList<>();
        if (domain != null) {
            sql.append(" AND domain = ?");
            args.add(domain);
        }
        if (regionCode != null) {
            sql.append(" AND region_code = ?");
            args.add(regionCode);
        }
        if (beforeSeq != null) {
            sql.append(" AND version_seq < ?");
            args.add(beforeSeq);
        }
        sql.append(" ORDER BY version_seq DESC LIMIT ?");
        args.add(limit);
        return jdbc.query(sql.toString(), (rs, i) -> new Row(rs.getLong(1), rs.getString(2)), args.toArray());
    }

    public Optional<String> body(String recordId) {
        return jdbc.queryForList("SELECT body FROM record WHERE record_id = ?", String.class, recordId)
                .stream().findFirst();
    }

    /** Current records of one adapter's source key (several when keys repeat across tables). */
    public List<String> bySourceKey(String adapter, String sourceKey) {
        return jdbc.queryForList("SELECT record_id FROM record WHERE adapter = ? AND source_key = ?", String.class,
                adapter, sourceKey);
    }

    /** Every applied version of a record, oldest first, with its lineage. */
    public List<Version> history(String recordId) {
        return jdbc.query("SELECT seq, adapter, source_key, updated_at, payload_sha256, fetched_at, applied_at, conflict,"
                        + " body FROM record_version WHERE record_id = ? ORDER BY seq",
                (rs, i) -> new Version(rs.getLong(1), rs.getString(2), rs.getString(3),
                        rs.getObject(4, OffsetDateTime.class), rs.getString(5), rs.getObject(6, OffsetDateTime.class),
                        rs.getObject(7, OffsetDateTime.class), rs.getBoolean(8), rs.getString(9)), recordId);
    }

    public record Row(long seq, String body) {
    }

    public record Version(long seq, String adapter, String sourceKey, OffsetDateTime updatedAt, String payloadSha256,
                          OffsetDateTime fetchedAt, OffsetDateTime appliedAt, boolean conflict, String body) {
    }
}
