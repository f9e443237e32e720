package yingyan.province;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
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

    AnswerFiler(JdbcTemplate jdbc, PlatformTransactionManager txm) {
        this.jdbc = jdbc;
        this.tx = new TransactionTemplate(txm);
    }

    /**
     * Files the province's answer (a 200, or a 409 carrying the original 200): each version of the batch
     * ACCEPTED or REJECTED exactly once (only versions still SENDING in this batch change). A version the
     * answer does not mention is REJECTED with code UNANSWERED: visible, resent when a person asks.
     */
    int answered(String batchId, int status, String answer) throws IOException {
        JsonNode a = JSON.readTree(answer);
        if (a == null || !a.path("accepted").isArray() || !a.path("rejected").isArray()) {
            throw new IOException("answer has no accepted/rejected lists");
        }
        if (a.hasNonNull("batchId") && !batchId.equals(a.get("batchId").asText())) {
            throw new IOException("answer is for batch " + a.get("batchId").asText());
        }
        Integer changed = tx.execute(s -> {
            OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
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
                rej.add(new Object[]{DeliveryLedger.trim(r.path("code").asText("")),
                        DeliveryLedger.trim(r.path("reason").asText("")), now, batchId, r.path("recordId").asText()});
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
}
