package yingyan.province;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import yingyan.spi.Payloads;

/**
 * The delivery ledger ({@code province_delivery}: one row per applied record version, written by
 * RecordStore in the version's own transaction) and the batches formed from it ({@code province_batch}:
 * the exact body bytes, stored before the first send).
 */
@Repository
public class DeliveryLedger {
    static final ObjectMapper JSON = yingyan.canonical.JsonLimits.mapper();

    private final JdbcTemplate jdbc;
    private final TransactionTemplate tx;

    public DeliveryLedger(JdbcTemplate jdbc, PlatformTransactionManager txm) {
        this.jdbc = jdbc;
        this.tx = new TransactionTemplate(txm);
    }

    /** A stored batch; {@code body} is null where it was read for a list (only a send reads it). */
    public record Batch(long batchNo, String batchId, String state, byte[] body, int recordCount, long firstSeq,
                        long lastSeq, int attempts, OffsetDateTime nextAttemptAt, OffsetDateTime createdAt,
                        OffsetDateTime lastAttemptAt, String lastError, Integer httpStatus,
                        OffsetDateTime completedAt, String failureReason, long bodySize) {
    }

    record Row(long seq, String recordId, String body) {
    }

    private static OffsetDateTime now() {
        return OffsetDateTime.now(ZoneOffset.UTC);
    }

    private static final String BATCH_COLS = "batch_no, batch_id, state, %s, record_count, first_seq, last_seq,"
            + " attempts, next_attempt_at, created_at, last_attempt_at, last_error, http_status, completed_at,"
            + " failure_reason, body_size";

    /** One batch to send: with its body. */
    private List<Batch> withBody(String where, Object... args) {
        return read(BATCH_COLS.formatted("body"), where, args);
    }

    /**
     * Batches to list or look at: without their bodies ({@link Batch#body()} null), which only a send needs;
     * a list of 1 000 batches would otherwise read up to 5 GB to show their sizes.
     */
    private List<Batch> batches(String where, Object... args) {
        return read(BATCH_COLS.formatted("NULL"), where, args);
    }

    private List<Batch> read(String cols, String where, Object... args) {
        return jdbc.query("SELECT " + cols + " FROM province_batch " + where, (rs, i) -> new Batch(
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
        return jdbc.query("SELECT batch_id, next_attempt_at FROM province_batch WHERE state = 'SENDING'"
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

    /**
     * Forms the next batch from pending versions in ledger order (≤ maxRecords, ≤ maxBytes; a single
     * version larger than maxBytes goes alone and meets the province's 413) and stores its exact body
     * before anything is sent. Versions superseded by a newer one of their record are marked, not sent.
     * Five statements whatever the batch size (choose, supersede, read, insert, mark): the versions are
     * named by one array parameter, not 500 placeholders (PostgreSQL planned a 500-value IN list in
     * ≈ 18 ms, the array in under 1 ms), and the batch stored is returned as written, not read back.
     * The chosen versions are not locked: the mark counts that each was still PENDING, and if a newer
     * version superseded one meanwhile, the transaction rolls back and the batch is formed again.
     */
    Optional<Batch> formNext(String region, int maxRecords, long maxBytes) {
        for (int attempt = 1; ; attempt++) {
            try {
                Optional<Batch> formed = tx.execute(s -> formFrom(pendingFloor.get(), region, maxRecords, maxBytes));
                // Committed: nothing at or below the batch's last version is pending any more (seqs become
                // visible in order, RecordStore/V4), so the next batch's scan starts above it.
                formed.ifPresent(b -> pendingFloor.accumulateAndGet(b.lastSeq(), Math::max));
                return formed;
            } catch (Overtaken e) {
                if (attempt == 3) {
                    return Optional.empty(); // versions keep arriving for these very records: the next tick forms it
                }
            }
        }
    }

    /** A version chosen for a batch was superseded before the batch was stored: the batch is formed again. */
    private static final class Overtaken extends RuntimeException {
        Overtaken() {
            super(null, null, false, false);
        }
    }

    private Optional<Batch> formFrom(long floor, String region, int maxRecords, long maxBytes) {
        OffsetDateTime now = now();
        long after = floor;
        List<Row> rows = List.of();
        while (rows.isEmpty()) {
            // Not locked (locking 500 rows cost a WAL record each): storing the batch marks them SENDING only
            // if each is still PENDING, and if RecordStore superseded one meanwhile the batch is formed again.
            List<Long> seqs = jdbc.queryForList("SELECT seq FROM province_delivery WHERE state = 'PENDING'"
                    + " AND seq > ? ORDER BY seq FETCH FIRST " + maxRecords + " ROWS ONLY", Long.class, after);
            if (seqs.isEmpty()) {
                return Optional.empty();
            }
            after = seqs.get(seqs.size() - 1);
            // RecordStore supersedes a waiting version when a newer one is applied; a version that came back
            // to PENDING (unmentioned in an answer, released after a 422) may have been overtaken since.
            // On PostgreSQL both subqueries are index scans of province_delivery_by_record (record_id, seq)
            // from V3, ≈ 0.002 ms per version (EXPLAIN ANALYZE on 1 M rows): no index is missing.
            jdbc.update(con -> {
                var ps = con.prepareStatement("UPDATE province_delivery SET state = 'SUPERSEDED', since = ?,"
                        + " superseded_by = (SELECT MAX(n.seq) FROM province_delivery n"
                        + " WHERE n.record_id = province_delivery.record_id)"
                        + " WHERE seq = ANY(?) AND state = 'PENDING' AND EXISTS (SELECT 1 FROM province_delivery n"
                        + " WHERE n.record_id = province_delivery.record_id AND n.seq > province_delivery.seq)");
                ps.setObject(1, now);
                ps.setArray(2, con.createArrayOf("bigint", seqs.toArray()));
                return ps;
            });
            // The versions still pending with their bodies, in one read.
            rows = jdbc.query(con -> {
                var ps = con.prepareStatement("SELECT d.seq, v.record_id, v.body FROM province_delivery d"
                        + " JOIN record_version v ON v.seq = d.seq WHERE d.seq = ANY(?) AND d.state = 'PENDING'"
                        + " ORDER BY d.seq");
                ps.setArray(1, con.createArrayOf("bigint", seqs.toArray()));
                return ps;
            }, (rs, i) -> new Row(rs.getLong(1), rs.getString(2), rs.getString(3)));
        }
        List<Row> taken = new ArrayList<>();
        String batchId = newBatchId(region);
        long size = envelope(batchId, region).length;
        for (Row r : rows) {
            long add = r.body.getBytes(StandardCharsets.UTF_8).length + (taken.isEmpty() ? 0 : 1);
            if (!taken.isEmpty() && size + add > maxBytes) {
                break;
            }
            taken.add(r);
            size += add;
        }
        return Optional.of(store(batchId, region, taken, "PENDING", now));
    }

    /**
     * Forming scans the PENDING rows from here up: each batch turns 500 of them SENDING, and until VACUUM
     * their dead entries stay at the head of the pending index, so a scan from seq 1 grew with every batch
     * sent (≈ 60 → 76 ms per batch within 30 s of a backlog on PostgreSQL). Only a person's resend or a
     * 422 release makes an older version PENDING again: both reset it here, and the sender resets it at
     * the start of every tick (a resend through another hub instance waits at most one tick).
     */
    private final java.util.concurrent.atomic.AtomicLong pendingFloor = new java.util.concurrent.atomic.AtomicLong();

    /** Forming looks at every pending version again, from the oldest. */
    void rescanPending() {
        pendingFloor.set(0);
    }

    private List<Row> rows(List<Long> seqs) {
        return jdbc.query(con -> {
            var ps = con.prepareStatement("SELECT seq, record_id, body FROM record_version WHERE seq = ANY(?)"
                    + " ORDER BY seq");
            ps.setArray(1, con.createArrayOf("bigint", seqs.toArray()));
            return ps;
        }, (rs, i) -> new Row(rs.getLong(1), rs.getString(2), rs.getString(3)));
    }

    static String newBatchId(String region) {
        return region + "-" + UUID.randomUUID();
    }

    private static byte[] envelope(String batchId, String region) {
        return ("{\"batchId\":\"" + batchId + "\",\"region\":\"" + region + "\",\"records\":[]}")
                .getBytes(StandardCharsets.UTF_8);
    }

    /** The body exactly as the contract has it: {"batchId", "region", "records": [canonical v1 records]}. */
    static byte[] body(String batchId, String region, List<Row> rows) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(("{\"batchId\":\"" + batchId + "\",\"region\":\"" + region + "\",\"records\":[")
                .getBytes(StandardCharsets.UTF_8));
        for (int i = 0; i < rows.size(); i++) {
            if (i > 0) {
                out.write(',');
            }
            out.writeBytes(rows.get(i).body.getBytes(StandardCharsets.UTF_8));
        }
        out.writeBytes("]}".getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }

    /**
     * Stores a batch and marks its versions SENDING in it: two statements (the insert returns the batch's
     * number); the batch is returned as written, not read back. Throws {@link Overtaken} (the caller's
     * transaction rolls back) if a version is no longer in state {@code from}.
     */
    private Batch store(String batchId, String region, List<Row> rows, String from, OffsetDateTime now) {
        byte[] body = body(batchId, region, rows);
        long first = rows.get(0).seq;
        long last = rows.get(rows.size() - 1).seq;
        String sha = Payloads.sha256(body);
        var key = new org.springframework.jdbc.support.GeneratedKeyHolder();
        jdbc.update(con -> {
            var ps = con.prepareStatement("INSERT INTO province_batch (batch_id, state, body, body_sha256, body_size,"
                    + " record_count, first_seq, last_seq, created_at, attempts, next_attempt_at)"
                    + " VALUES (?,?,?,?,?,?,?,?,?,?,?)", new String[]{"batch_no"});
            ps.setString(1, batchId);
            ps.setString(2, "SENDING");
            ps.setBytes(3, body);
            ps.setString(4, sha);
            ps.setLong(5, body.length);
            ps.setInt(6, rows.size());
            ps.setLong(7, first);
            ps.setLong(8, last);
            ps.setObject(9, now);
            ps.setInt(10, 0);
            ps.setObject(11, now);
            return ps;
        }, key);
        Object[] seqs = rows.stream().map(Row::seq).toArray();
        int marked = jdbc.update(con -> {
            var ps = con.prepareStatement("UPDATE province_delivery SET state = 'SENDING', batch_id = ?, since = ?"
                    + " WHERE seq = ANY(?) AND state = ?");
            ps.setString(1, batchId);
            ps.setObject(2, now);
            ps.setArray(3, con.createArrayOf("bigint", seqs));
            ps.setString(4, from);
            return ps;
        });
        if (marked != rows.size()) {
            throw new Overtaken();
        }
        long batchNo = key.getKey() == null ? 0 : key.getKey().longValue();
        return new Batch(batchNo, batchId, "SENDING", body, rows.size(), first, last, 0, now, now, null, null, null,
                null, null, body.length);
    }

    /** Counts an attempt before it is made, so a crash mid-request still shows it. */
    void attempting(String batchId, int attempt) {
        jdbc.update("UPDATE province_batch SET attempts = ?, last_attempt_at = ? WHERE batch_id = ?", attempt, now(),
                batchId);
    }

    /** Nothing is known (timeout, reset, 429, 503...): the same batch goes again at {@code at}. */
    void retryLater(String batchId, OffsetDateTime at, Integer status, String error) {
        jdbc.update("UPDATE province_batch SET next_attempt_at = ?, http_status = ?, last_error = ? WHERE batch_id = ?"
                + " AND state = 'SENDING'", at, status, trim(error), batchId);
    }

    /** Refused as a whole (400, 422, ...): visible, not retried until a person asks. */
    void failed(String batchId, int status, String reason) {
        tx.executeWithoutResult(s -> jdbc.update("UPDATE province_batch SET state = 'FAILED', http_status = ?,"
                        + " failure_reason = ?, last_error = ?, completed_at = ? WHERE batch_id = ? AND state = 'SENDING'",
                status, trim(reason), trim(reason), now(), batchId));
    }

    /** 413: the batch's versions go into two halves, each a new batch, in the same order. */
    void split(Batch b, String region, String reason) {
        tx.executeWithoutResult(s -> {
            OffsetDateTime now = now();
            List<Long> seqs = jdbc.queryForList("SELECT seq FROM province_delivery WHERE batch_id = ?"
                    + " AND state = 'SENDING' ORDER BY seq", Long.class, b.batchId());
            jdbc.update("UPDATE province_batch SET state = 'SPLIT', http_status = 413, failure_reason = ?,"
                    + " completed_at = ? WHERE batch_id = ?", trim(reason), now, b.batchId());
            List<Row> rows = rows(seqs);
            int half = rows.size() / 2;
            store(newBatchId(region), region, rows.subList(0, half), "SENDING", now);
            store(newBatchId(region), region, rows.subList(half, rows.size()), "SENDING", now);
        });
    }

    /**
     * Files the province's answer (a 200, or a 409 carrying the original 200): each version of the batch
     * ACCEPTED or REJECTED exactly once (only versions still SENDING in this batch change). A version the
     * answer does not mention is REJECTED with code UNANSWERED: visible, resent when a person asks.
     */
    int answered(String batchId, int status, String answer) throws java.io.IOException {
        JsonNode a = JSON.readTree(answer);
        if (a == null || !a.path("accepted").isArray() || !a.path("rejected").isArray()) {
            throw new java.io.IOException("answer has no accepted/rejected lists");
        }
        if (a.hasNonNull("batchId") && !batchId.equals(a.get("batchId").asText())) {
            throw new java.io.IOException("answer is for batch " + a.get("batchId").asText());
        }
        Integer changed = tx.execute(s -> {
            OffsetDateTime now = now();
            int n = 0;
            // Accepted versions in one statement naming them by an array (not one statement per record, nor
            // a 500-placeholder IN list that PostgreSQL would plan anew): filed within the province's 50 ms.
            List<String> acc = new ArrayList<>();
            for (JsonNode id : a.get("accepted")) {
                acc.add(id.asText());
            }
            if (!acc.isEmpty()) {
                n += jdbc.update(con -> {
                    var ps = con.prepareStatement("UPDATE province_delivery SET state = 'ACCEPTED', accepted_at = ?,"
                            + " since = ? WHERE batch_id = ? AND state = 'SENDING' AND record_id = ANY(?)");
                    ps.setObject(1, now);
                    ps.setObject(2, now);
                    ps.setString(3, batchId);
                    ps.setArray(4, con.createArrayOf("varchar", acc.toArray()));
                    return ps;
                });
            }
            List<Object[]> rej = new ArrayList<>();
            for (JsonNode r : a.get("rejected")) {
                rej.add(new Object[]{trim(r.path("code").asText("")), trim(r.path("reason").asText("")), now, batchId,
                        r.path("recordId").asText()});
            }
            if (!rej.isEmpty()) {
                for (int c : jdbc.batchUpdate("UPDATE province_delivery SET state = 'REJECTED', reject_code = ?,"
                        + " reject_reason = ?, since = ? WHERE batch_id = ? AND record_id = ? AND state = 'SENDING'",
                        rej)) {
                    n += Math.max(c, 0);
                }
            }
            // The contract says every record is in one of the lists; one that is not is filed, not resent blindly.
            jdbc.update("UPDATE province_delivery SET state = 'REJECTED', reject_code = 'UNANSWERED', reject_reason = ?,"
                    + " since = ? WHERE batch_id = ? AND state = 'SENDING'",
                    "the province's answer (HTTP " + status + ") to batch " + batchId + " did not mention it", now, batchId);
            jdbc.update("UPDATE province_batch SET state = 'DONE', http_status = ?, answer = ?, completed_at = ?,"
                    + " last_error = NULL WHERE batch_id = ?", status, answer, now, batchId);
            return n;
        });
        return changed == null ? 0 : changed;
    }

    // ---- what people see and do ----

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

    /** A person asks for a rejected version to go again: it becomes pending (a new batch, a new batchId). */
    public boolean resend(long seq) {
        rescanPending();
        return jdbc.update("UPDATE province_delivery SET state = 'PENDING', batch_id = NULL, reject_code = NULL,"
                + " reject_reason = NULL, since = ? WHERE seq = ? AND state = 'REJECTED'", now(), seq) == 1;
    }

    /**
     * A person retries a batch. A FAILED (or still SENDING) batch goes again now, byte-identical under the
     * same key; one the province refused as a reused key with another body (422) cannot, so its versions
     * return to PENDING and go in a new batch.
     */
    public String retry(Batch b) {
        return tx.execute(s -> {
            OffsetDateTime now = now();
            if (b.httpStatus() != null && b.httpStatus() == 422 && "FAILED".equals(b.state())) {
                jdbc.update("UPDATE province_delivery SET state = 'PENDING', batch_id = NULL, since = ?"
                        + " WHERE batch_id = ? AND state = 'SENDING'", now, b.batchId());
                jdbc.update("UPDATE province_batch SET state = 'RELEASED', completed_at = ? WHERE batch_id = ?", now,
                        b.batchId());
                rescanPending();
                return "RELEASED";
            }
            jdbc.update("UPDATE province_batch SET state = 'SENDING', next_attempt_at = ?, completed_at = NULL"
                    + " WHERE batch_id = ? AND state IN ('FAILED', 'SENDING')", now, b.batchId());
            return "SENDING";
        });
    }

    static String trim(String s) {
        if (s == null) {
            return null;
        }
        String m = yingyan.canonical.ResidentIds.maskAll(s);
        return m.length() > 4000 ? m.substring(0, 3990) + "…" : m;
    }
}
