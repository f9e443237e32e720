package yingyan.province;

import java.io.IOException;
import java.time.OffsetDateTime;

/**
 * Where {@link BatchSender} files a request's outcome: the record push's ledger (province_delivery and
 * province_batch) or the alert push's (province_alert_delivery and province_alert_batch), the same writes over
 * other tables ({@link PushTables}); only splitting a batch the province found too large is each push's own.
 *
 * @param batches  a batch's attempts, retries and refusal
 * @param answers  the province's 200 (or 409) filed item by item
 * @param splitter 413: the batch's items in two halves, each a new batch
 */
record PushLedger(DeliveryLedger batches, AnswerFiler answers, Splitter splitter) {
    /** Splits a batch the province answered 413, giving the reason to keep with it. */
    interface Splitter {
        void split(Batch b, String reason);
    }

    /** Counts an attempt before it is made, so a crash mid-request still shows it. */
    void attempting(String batchId, int attempt) {
        batches.attempting(batchId, attempt);
    }

    /** Files a 200 (or a 409 carrying the original 200); returns how many items changed state. */
    int answered(String batchId, int status, String answer) throws IOException {
        return answers.answered(batchId, status, answer);
    }

    /** Nothing is known: the same batch goes again at {@code at}. */
    void retryLater(String batchId, OffsetDateTime at, Integer status, String error) {
        batches.retryLater(batchId, at, status, error);
    }

    /** Refused as a whole (400, 422, 413 for one item): visible, not retried until a person asks. */
    void failed(String batchId, int status, String reason) {
        batches.failed(batchId, status, reason);
    }

    void split(Batch b, String reason) {
        splitter.split(b, reason);
    }
}
