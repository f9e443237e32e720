package yingyan.province;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import yingyan.canonical.JsonLimits;

/**
 * Reads the province's answer to a batch and files it in the delivery ledger: each version of the batch
 * ACCEPTED or REJECTED exactly once, the batch DONE with the answer kept.
 */
@Repository
class AnswerFiler {
    private static final ObjectMapper JSON = JsonLimits.mapper();

    private final JdbcTemplate jdbc;
    private final TransactionTemplate tx;
    private final PushTables t;

    @Autowired
    AnswerFiler(JdbcTemplate jdbc, PlatformTransactionManager txm) {
        this(jdbc, txm, PushTables.RECORDS);
    }

    /** Files answers in the ledger {@code t} (the alert push's, or the records'). */
    AnswerFiler(JdbcTemplate jdbc, PlatformTransactionManager txm, PushTables t) {
        this.jdbc = jdbc;
        this.tx = new TransactionTemplate(txm);
        this.t = t;
    }

    /**
     * Files the province's answer (a 200, or a 409 carrying the original 200): each version of the batch
     * ACCEPTED or REJECTED exactly once (only versions still SENDING in this batch change). A version the
     * answer does not mention is REJECTED with code UNANSWERED: visible, resent when a person asks.
     */
    int answered(String batchId, int status, String answer) throws IOException {
        Answer a = Answer.read(batchId, answer, t.answerId());
        Integer changed = tx.execute(s -> {
            OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
            int n = 0;
            // Accepted versions in one statement naming them by an array (not one statement per record, nor
            // a 500-placeholder IN list that PostgreSQL would plan anew): filed within the province's 50 ms.
            List<String> acc = a.accepted();
            if (!acc.isEmpty()) {
                n += jdbc.update(con -> {
                    var ps = con.prepareStatement("UPDATE " + t.delivery() + " SET state = 'ACCEPTED', accepted_at = ?,"
                            + " since = ? WHERE batch_id = ? AND state = 'SENDING' AND " + t.item() + " = ANY(?)");
                    ps.setObject(1, now);
                    ps.setObject(2, now);
                    ps.setString(3, batchId);
                    ps.setArray(4, con.createArrayOf("varchar", acc.toArray()));
                    return ps;
                });
            }
            List<Object[]> rej = new ArrayList<>();
            for (Answer.Rejected r : a.rejected()) {
                rej.add(new Object[]{r.code(), r.reason(), now, batchId, r.id()});
            }
            if (!rej.isEmpty()) {
                for (int c : jdbc.batchUpdate("UPDATE " + t.delivery() + " SET state = 'REJECTED', reject_code = ?,"
                        + " reject_reason = ?, since = ? WHERE batch_id = ? AND " + t.item() + " = ? AND state = 'SENDING'",
                        rej)) {
                    n += Math.max(c, 0);
                }
            }
            // The contract says every record is in one of the lists; one that is not is filed, not resent blindly.
            jdbc.update("UPDATE " + t.delivery() + " SET state = 'REJECTED', reject_code = 'UNANSWERED', reject_reason = ?,"
                    + " since = ? WHERE batch_id = ? AND state = 'SENDING'",
                    "the province's answer (HTTP " + status + ") to batch " + batchId + " did not mention it", now, batchId);
            jdbc.update("UPDATE " + t.batch() + " SET state = 'DONE', http_status = ?, answer = ?, completed_at = ?,"
                    + " last_error = NULL WHERE batch_id = ?", status, answer, now, batchId);
            return n;
        });
        return changed == null ? 0 : changed;
    }

    /**
     * The province's answer to a batch (a 200, or a 409 carrying it), the same shape for every endpoint: the
     * ids accepted, and the ids rejected with the province's code and reason (ledger-safe: masked, trimmed).
     */
    record Answer(List<String> accepted, List<Rejected> rejected) {
        record Rejected(String id, String code, String reason) {
        }

        /**
         * Reads an answer to batch {@code batchId} whose rejections name their item by {@code idField}
         * ({@code recordId} for records, {@code alertId} for alerts).
         *
         * @throws IOException when it is not such an answer, or is another batch's
         */
        static Answer read(String batchId, String answer, String idField) throws IOException {
            JsonNode a = JSON.readTree(answer);
            if (a == null || !a.path("accepted").isArray() || !a.path("rejected").isArray()) {
                throw new IOException("answer has no accepted/rejected lists");
            }
            if (a.hasNonNull("batchId") && !batchId.equals(a.get("batchId").asText())) {
                throw new IOException("answer is for batch " + a.get("batchId").asText());
            }
            List<String> acc = new ArrayList<>();
            for (JsonNode id : a.get("accepted")) {
                acc.add(id.asText());
            }
            List<Rejected> rej = new ArrayList<>();
            for (JsonNode r : a.get("rejected")) {
                rej.add(new Rejected(r.path(idField).asText(), DeliveryLedger.trim(r.path("code").asText("")),
                        DeliveryLedger.trim(r.path("reason").asText(""))));
            }
            return new Answer(acc, rej);
        }
    }
}
