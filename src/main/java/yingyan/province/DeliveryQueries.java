package yingyan.province;

import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/**
 * The delivery ledger's read side: the batches as the sender schedules them and as people list them, and
 * what the province has not yet accepted ({@code province_delivery}, {@code province_batch}).
 */
@Repository
public class DeliveryQueries {
    private static final String BATCH_COLS = "batch_no, batch_id, state, %s, %s, first_seq, last_seq,"
            + " attempts, next_attempt_at, created_at, last_attempt_at, last_error, http_status, completed_at,"
            + " failure_reason, body_size";

    private final JdbcTemplate jdbc;
    private final PushTables t;

    @Autowired
    public DeliveryQueries(JdbcTemplate jdbc) {
        this(jdbc, PushTables.RECORDS);
    }

    /** The batches of the ledger {@code t} (the batch reads serve the alert push too; the rest is the records'). */
    DeliveryQueries(JdbcTemplate jdbc, PushTables t) {
        this.jdbc = jdbc;
        this.t = t;
    }

    /** One batch to send: with its body. */
    private List<Batch> withBody(String where, Object... args) {
        return read(BATCH_COLS.formatted("body", t.count()), where, args);
    }

    /**
     * Batches to list or look at: without their bodies ({@link Batch#body()} null), which only a send needs;
     * a list of 1 000 batches would otherwise read up to 5 GB to show their sizes.
     */
    private List<Batch> batches(String where, Object... args) {
        return read(BATCH_COLS.formatted("NULL", t.count()), where, args);
    }

    private List<Batch> read(String cols, String where, Object... args) {
        return jdbc.query("SELECT " + cols + " FROM " + t.batch() + " " + where, (rs, i) -> new Batch(
                rs.getLong(1), rs.getString(2), rs.getString(3), rs.getBytes(4), rs.getInt(5), rs.getLong(6),
                rs.getLong(7), rs.getInt(8), rs.getObject(9, OffsetDateTime.class),
                rs.getObject(10, OffsetDateTime.class), rs.getObject(11, OffsetDateTime.class), rs.getString(12),
                (Integer) rs.getObject(13), rs.getObject(14, OffsetDateTime.class), rs.getString(15),
                rs.getLong(16)), args);
    }

    /**
     * The oldest batch not yet answered (by its first version: the halves of a split batch come before a
     * batch formed after it); what health and the console show as "unanswered".
     */
    Optional<Batch> oldestOpen() {
        return batches("WHERE state = 'SENDING' ORDER BY first_seq, batch_no FETCH FIRST 1 ROWS ONLY").stream()
                .findFirst();
    }

    /** A batch formed and not yet answered, as the sender schedules it (no body). */
    record Open(String batchId, OffsetDateTime nextAttemptAt) {
    }

    /**
     * Up to {@code limit} batches formed and not yet answered, oldest first (as {@link #oldestOpen()}): in
     * one read, which of them is due and whether fewer than {@code limit} are open.
     */
    List<Open> open(int limit) {
        return jdbc.query("SELECT batch_id, next_attempt_at FROM " + t.batch() + " WHERE state = 'SENDING'"
                        + " ORDER BY first_seq, batch_no FETCH FIRST " + limit + " ROWS ONLY",
                (rs, i) -> new Open(rs.getString(1), rs.getObject(2, OffsetDateTime.class)));
    }

    /** A batch as listed, without its body. */
    public Optional<Batch> batch(String batchId) {
        return batches("WHERE batch_id = ?", batchId).stream().findFirst();
    }

    /** A batch to send: with its exact body bytes. */
    Optional<Batch> toSend(String batchId) {
        return withBody("WHERE batch_id = ?", batchId).stream().findFirst();
    }

    public List<Batch> batches(String state, int limit) {
        return state == null
                ? batches("ORDER BY batch_no DESC FETCH FIRST " + limit + " ROWS ONLY")
                : batches("WHERE state = ? ORDER BY batch_no DESC FETCH FIRST " + limit + " ROWS ONLY", state);
    }

    /** A version the province has not (yet) accepted. */
    public record Owed(long seq, String recordId, String state, OffsetDateTime since, String batchId,
                       String batchState, String code, String reason) {
    }

    private static final String OWED = " FROM province_delivery d LEFT JOIN province_batch b ON b.batch_id = d.batch_id"
            + " WHERE (d.state IN ('PENDING', 'SENDING') OR d.state = 'REJECTED' AND NOT EXISTS"
            + " (SELECT 1 FROM province_delivery n WHERE n.record_id = d.record_id AND n.seq > d.seq))";

    /**
     * What the province has not accepted: every version pending or in a batch not yet answered (or
     * refused), and every rejected version that is still its record's newest (an older rejected
     * version is answered for by the newer one).
     */
    public List<Owed> owed(String state, long afterSeq, int limit) {
        return jdbc.query("SELECT d.seq, d.record_id, d.state, d.since, d.batch_id, b.state, d.reject_code,"
                        + " d.reject_reason" + OWED + (state == null ? "" : " AND d.state = ?") + " AND d.seq > ?"
                        + " ORDER BY d.seq FETCH FIRST " + limit + " ROWS ONLY",
                (rs, i) -> new Owed(rs.getLong(1), rs.getString(2), rs.getString(3),
                        rs.getObject(4, OffsetDateTime.class), rs.getString(5), rs.getString(6), rs.getString(7),
                        rs.getString(8)),
                state == null ? new Object[]{afterSeq} : new Object[]{state, afterSeq});
    }

    public Map<String, Long> owedCounts() {
        Map<String, Long> out = new LinkedHashMap<>();
        out.put("PENDING", 0L);
        out.put("SENDING", 0L);
        out.put("REJECTED", 0L);
        jdbc.query("SELECT d.state, COUNT(*)" + OWED + " GROUP BY d.state",
                rs -> {
                    out.put(rs.getString(1), rs.getLong(2));
                });
        return out;
    }

    public Map<String, Long> ledgerCounts() {
        Map<String, Long> out = new LinkedHashMap<>();
        jdbc.query("SELECT state, COUNT(*) FROM province_delivery GROUP BY state ORDER BY state",
                rs -> {
                    out.put(rs.getString(1), rs.getLong(2));
                });
        return out;
    }

    public record Version(long seq, String recordId, String state, String batchId) {
    }

    public Optional<Version> version(long seq) {
        return jdbc.query("SELECT seq, record_id, state, batch_id FROM province_delivery WHERE seq = ?",
                (rs, i) -> new Version(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4)), seq)
                .stream().findFirst();
    }

    public Optional<Long> newerVersion(Version v) {
        return Optional.ofNullable(jdbc.queryForObject("SELECT MAX(seq) FROM province_delivery WHERE record_id = ?"
                + " AND seq > ?", Long.class, v.recordId(), v.seq()));
    }
}
