package yingyan.province;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import yingyan.canonical.ResidentIds;

/**
 * The delivery ledger's writes besides forming and filing an answer: a batch's attempts and what became of
 * them (retry later, refused), and the two things a person may do (resend a rejected version, retry a
 * batch). Forming is {@link BatchFormer}'s, filing the province's answer {@link AnswerFiler}'s, reading
 * {@link DeliveryQueries}'.
 */
@Repository
public class DeliveryLedger {
    private final JdbcTemplate jdbc;
    private final TransactionTemplate tx;
    private final BatchFormer former;
    private final String batches;

    @Autowired
    DeliveryLedger(JdbcTemplate jdbc, PlatformTransactionManager txm, BatchFormer former) {
        this(jdbc, txm, former, PushTables.RECORDS);
    }

    /**
     * The batch writes of the ledger {@code t}; {@code former} (for a person's resend and retry) only for the
     * records' ledger, null for the alerts'.
     */
    DeliveryLedger(JdbcTemplate jdbc, PlatformTransactionManager txm, BatchFormer former, PushTables t) {
        this.jdbc = jdbc;
        this.tx = new TransactionTemplate(txm);
        this.former = former;
        this.batches = t.batch();
    }

    private static OffsetDateTime now() {
        return OffsetDateTime.now(ZoneOffset.UTC);
    }

    /** Counts an attempt before it is made, so a crash mid-request still shows it. */
    void attempting(String batchId, int attempt) {
        jdbc.update("UPDATE " + batches + " SET attempts = ?, last_attempt_at = ? WHERE batch_id = ?", attempt, now(),
                batchId);
    }

    /** Nothing is known (timeout, reset, 429, 503...): the same batch goes again at {@code at}. */
    void retryLater(String batchId, OffsetDateTime at, Integer status, String error) {
        jdbc.update("UPDATE " + batches + " SET next_attempt_at = ?, http_status = ?, last_error = ? WHERE batch_id = ?"
                + " AND state = 'SENDING'", at, status, trim(error), batchId);
    }

    /** Refused as a whole (400, 422, ...): visible, not retried until a person asks. */
    void failed(String batchId, int status, String reason) {
        tx.executeWithoutResult(s -> jdbc.update("UPDATE " + batches + " SET state = 'FAILED', http_status = ?,"
                        + " failure_reason = ?, last_error = ?, completed_at = ? WHERE batch_id = ? AND state = 'SENDING'",
                status, trim(reason), trim(reason), now(), batchId));
    }

    /** A person asks for a rejected version to go again: it becomes pending (a new batch, a new batchId). */
    public boolean resend(long seq) {
        former.rescanPending();
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
                former.rescanPending();
                return "RELEASED";
            }
            jdbc.update("UPDATE province_batch SET state = 'SENDING', next_attempt_at = ?, completed_at = NULL"
                    + " WHERE batch_id = ? AND state IN ('FAILED', 'SENDING')", now, b.batchId());
            return "SENDING";
        });
    }

    /** Text the ledger stores or logs (an error, a reason): resident IDs masked, at most 4 000 characters. */
    static String trim(String s) {
        if (s == null) {
            return null;
        }
        String m = ResidentIds.maskAll(s);
        return m.length() > 4000 ? m.substring(0, 3990) + "…" : m;
    }
}
