package yingyan.feed;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;
import yingyan.web.Grants;
import yingyan.web.ListQuery;

/**
 * Read side of the municipal database: current records and their applied versions, each read only within the
 * reader's grants ({@link #within}: the one condition every query here adds, so a record outside them is never
 * read).
 */
@Repository
public class RecordQueries {
    private final JdbcTemplate jdbc;

    public RecordQueries(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** Current records, newest applied first; {@code beforeSeq} continues a listing. */
    public List<Row> current(String domain, String regionCode, Long beforeSeq, int limit, Grants grants) {
        ListQuery q = new ListQuery("SELECT version_seq, body FROM record").and("domain = ?", domain)
                .and("region_code = ?", regionCode).and(within(grants, "record"))
                .page("version_seq", beforeSeq, limit);
        return jdbc.query(q.sql(), (rs, i) -> new Row(rs.getLong(1), rs.getString(2)), q.args());
    }

    /** The record, if it exists and is within the grants (outside them it reads as absent). */
    public Optional<String> body(String recordId, Grants grants) {
        Grants.Sql g = within(grants, "record");
        return jdbc.queryForList("SELECT body FROM record WHERE record_id = ? AND " + g.condition(), String.class,
                args(g, recordId)).stream().findFirst();
    }

    /** Current records of one adapter's source key (several when keys repeat across tables), within the grants. */
    public List<String> bySourceKey(String adapter, String sourceKey, Grants grants) {
        Grants.Sql g = within(grants, "record");
        return jdbc.queryForList("SELECT record_id FROM record WHERE adapter = ? AND source_key = ? AND "
                + g.condition(), String.class, args(g, adapter, sourceKey));
    }

    /**
     * The condition "the record (table or alias {@code record}) is within the grants": its region, its
     * source.system ({@code adapter}) and department.code (V18).
     */
    public static Grants.Sql within(Grants grants, String record) {
        return grants.where(record + ".region_code", record + ".adapter", record + ".department_code");
    }

    /** The leading parameters, then the grants' own. */
    private static Object[] args(Grants.Sql g, Object... leading) {
        List<Object> out = new ArrayList<>(List.of(leading));
        out.addAll(g.args());
        return out.toArray();
    }

    /**
     * Every applied version of a record, oldest first, with its lineage and its provincial delivery state; none
     * when the record (as it stands now) is outside the grants.
     */
    public List<Version> history(String recordId, Grants grants) {
        Grants.Sql g = within(grants, "r");
        return jdbc.query("SELECT v.seq, v.adapter, v.source_key, v.updated_at, v.payload_sha256, v.fetched_at,"
                        + " v.applied_at, v.conflict, v.body, d.state, d.since, d.batch_id, d.accepted_at,"
                        + " d.reject_code, d.reject_reason FROM record_version v"
                        + " LEFT JOIN province_delivery d ON d.seq = v.seq WHERE v.record_id = ?"
                        + " AND EXISTS (SELECT 1 FROM record r WHERE r.record_id = v.record_id AND " + g.condition()
                        + ") ORDER BY v.seq",
                (rs, i) -> new Version(rs.getLong(1), rs.getString(2), rs.getString(3),
                        rs.getObject(4, OffsetDateTime.class), rs.getString(5), rs.getObject(6, OffsetDateTime.class),
                        rs.getObject(7, OffsetDateTime.class), rs.getBoolean(8), rs.getString(9),
                        rs.getString(10) == null ? null : new Delivery(rs.getString(10),
                                rs.getObject(11, OffsetDateTime.class), rs.getString(12),
                                rs.getObject(13, OffsetDateTime.class), rs.getString(14), rs.getString(15))),
                args(g, recordId));
    }

    public record Row(long seq, String body) {
    }

    public record Version(long seq, String adapter, String sourceKey, OffsetDateTime updatedAt, String payloadSha256,
                          OffsetDateTime fetchedAt, OffsetDateTime appliedAt, boolean conflict, String body,
                          Delivery delivery) {
    }

    /** Where the province stands on one version (the delivery ledger); null before the ledger knew it. */
    public record Delivery(String state, OffsetDateTime since, String batchId, OffsetDateTime acceptedAt,
                           String rejectCode, String rejectReason) {
    }
}
