package yingyan.ingest;

import java.io.IOException;
import java.net.ConnectException;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;
import java.util.List;
import org.apache.camel.Header;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.stereotype.Component;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.transaction.TransactionSystemException;
import yingyan.canonical.ResidentIds;
import yingyan.config.HubProperties;
import yingyan.quarantine.QuarantineStore;
import yingyan.spi.Payloads;
import yingyan.store.ApplyOutcome;
import yingyan.store.NewVersion;
import yingyan.store.RecordStore;

/**
 * The persist step: applies one queued batch in one database transaction. A batch that keeps failing
 * for a reason other than the database being unreachable is split after a few deliveries, so that a
 * poison record goes to quarantine and the rest of the batch, and the queue behind it, go on.
 */
@Component("persister")
public class Persister {
    private static final Logger log = LoggerFactory.getLogger(Persister.class);

    private final RecordStore records;
    private final QuarantineStore quarantine;
    private final int splitAfter;
    private final IngestBackPressure backPressure;

    public Persister(RecordStore records, QuarantineStore quarantine, HubProperties hub,
                     IngestBackPressure backPressure) {
        this.records = records;
        this.quarantine = quarantine;
        this.splitAfter = hub.persist().splitAfterAttempts();
        this.backPressure = backPressure;
    }

    public ApplyOutcome persist(byte[] body, @Header("JMSXDeliveryCount") Integer deliveryCount,
                                @Header(IngestBackPressure.HEADER) String batchId) throws IOException {
        ApplyOutcome stored = apply(QueuedBatch.decode(body), deliveryCount == null ? 1 : deliveryCount);
        backPressure.stored(batchId);
        return stored;
    }

    private ApplyOutcome apply(List<NewVersion> batch, int attempt) {
        try {
            return records.applyVersions(batch);
        } catch (RuntimeException e) {
            if (isOutage(e)) {
                throw outage(e);
            }
            if (attempt < splitAfter) {
                throw e;
            }
            log.warn("batch of {} failed {} times ({}); applying record by record", batch.size(), attempt,
                    ResidentIds.maskAll(e.getMessage()));
            return applyOneByOne(batch);
        }
    }

    private ApplyOutcome applyOneByOne(List<NewVersion> batch) {
        ApplyOutcome total = new ApplyOutcome(0, 0, 0, 0);
        for (NewVersion r : batch) {
            try {
                total = total.plus(records.applyVersions(List.of(r)));
            } catch (RuntimeException e) {
                if (isOutage(e)) {
                    throw outage(e);
                }
                byte[] raw = r.body().getBytes(StandardCharsets.UTF_8);
                quarantine.add(r.system(), r.key(), "persist of " + r.recordId(), "(record)",
                        ResidentIds.maskAll("could not be stored: " + e.getClass().getSimpleName()
                                + ": " + e.getMessage()),
                        Payloads.sha256(raw), raw, StandardCharsets.UTF_8);
            }
        }
        return total;
    }

    /**
     * Whether the database is away rather than the batch wrong: connection refused or cut, the server shutting
     * down. A connection that dies mid-transaction surfaces as whatever was running then, often a failed
     * commit or rollback (TransactionSystemException), so the SQLState of the cause (and of the exception a
     * failed rollback overrode) counts too: class 08 (connection exception) and 57P (the server was shut down
     * or is starting).
     */
    static boolean isOutage(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof DataAccessResourceFailureException || t instanceof TransientDataAccessException
                    || t instanceof CannotCreateTransactionException || t instanceof SQLTransientException
                    || t instanceof SQLRecoverableException || t instanceof ConnectException) {
                return true;
            }
            if (t instanceof SQLException sql && sql.getSQLState() != null
                    && (sql.getSQLState().startsWith("08") || sql.getSQLState().startsWith("57P"))) {
                return true;
            }
            // A rollback that failed on a dead connection hides why the transaction was rolled back.
            if (t instanceof TransactionSystemException tse
                    && tse.getApplicationException() != null && isOutage(tse.getApplicationException())) {
                return true;
            }
        }
        return false;
    }

    /**
     * An outage as the exception persist-errors retries in place (without spending the batch's broker
     * delivery attempts, which would end in a split, quarantined records or the DLQ for nothing).
     */
    private static RuntimeException outage(RuntimeException e) {
        if (e instanceof DataAccessResourceFailureException || e instanceof TransientDataAccessException
                || e instanceof CannotCreateTransactionException) {
            return e;
        }
        return new DataAccessResourceFailureException("the municipal database is unreachable: " + e.getMessage(), e);
    }
}
