package yingyan.retention;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import yingyan.audit.AuditLog;

/**
 * Deletes what is old and settled (the {@code retention} route calls {@link #run()}; settings in
 * {@link RetentionProperties}), in chunks of one transaction each:
 * <ul>
 *   <li>province batch bodies of batches answered, split or released long ago (only a resend reads a body,
 *       and those batches are never sent again); the batch rows stay;</li>
 *   <li>delivery-ledger rows from the oldest end up to the first version that is not settled: pending,
 *       in a batch, still owed (REJECTED and its record's newest), or settled too recently. The ledger's
 *       exactly-once state of everything after that point is untouched, and {@code ledger_retention} says
 *       where the ledger now starts, for the verifier;</li>
 *   <li>remembered processed files and released quarantine entries (with their encrypted payloads).</li>
 * </ul>
 * The history ({@code record_version}, its hash chain, the feed) and the audit log are never touched. Each
 * run that pruned the ledger is in the audit log ({@code hub:retention}).
 */
@Component("retention")
public class Retention {
    private static final Logger log = LoggerFactory.getLogger(Retention.class);
    static final String BATCH_BODIES = "province_batch_body";
    static final String LEDGER = "province_delivery";
    static final String PROCESSED_FILES = "processed_file";
    static final String RELEASED_QUARANTINE = "released_quarantine";

    private final JdbcTemplate jdbc;
    private final TransactionTemplate tx;
    private final RetentionProperties props;
    private final MeterRegistry meters;
    private final AuditLog audit;
    private final AtomicLong lastSuccess = new AtomicLong(Instant.now().getEpochSecond());

    Retention(JdbcTemplate jdbc, PlatformTransactionManager txm, RetentionProperties props, MeterRegistry meters,
              AuditLog audit) {
        this.jdbc = jdbc;
        this.tx = new TransactionTemplate(txm);
        this.props = props;
        this.meters = meters;
        this.audit = audit;
        for (String what : List.of(BATCH_BODIES, LEDGER, PROCESSED_FILES, RELEASED_QUARANTINE)) {
            meters.counter("yingyan.retention.deleted", "what", what);
        }
        meters.counter("yingyan.retention.failures");
        // The hub's start until the first run: "has not succeeded for two intervals" means the same after a restart.
        Gauge.builder("yingyan.retention.last.success", lastSuccess, AtomicLong::get)
                .description("when retention last ran to the end (epoch seconds; the hub's start before its first run)")
                .baseUnit("seconds").register(meters);
    }

    /**
     * One pass over every kind; what each came to (rows deleted, or bodies dropped). A failure (the database
     * away) is logged and counted, never thrown into the route: the next run goes on from where this one stopped.
     */
    public Map<String, Long> run() {
        Map<String, Long> done = new LinkedHashMap<>();
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        try {
            done.put(BATCH_BODIES, dropBatchBodies(now.minus(props.provinceBatchBody())));
            done.put(LEDGER, pruneLedger(now.minus(props.provinceDelivery())));
            // A few files a day per adapter: one statement, no chunks.
            done.put(PROCESSED_FILES, (long) jdbc.update("DELETE FROM processed_file WHERE processed_at < ?",
                    now.minus(props.processedFile())));
            done.put(RELEASED_QUARANTINE, chunks("DELETE FROM quarantine WHERE id IN (SELECT id FROM quarantine"
                    + " WHERE state = 'RELEASED' AND released_at < ? ORDER BY id FETCH FIRST " + props.chunkSize()
                    + " ROWS ONLY)", now.minus(props.releasedQuarantine())));
            done.forEach((what, n) -> meters.counter("yingyan.retention.deleted", "what", what).increment(n));
            lastSuccess.set(Instant.now().getEpochSecond());
            if (done.values().stream().anyMatch(n -> n > 0)) {
                log.info("retention: {}", done);
            }
        } catch (RuntimeException e) {
            done.forEach((what, n) -> meters.counter("yingyan.retention.deleted", "what", what).increment(n));
            meters.counter("yingyan.retention.failures").increment();
            log.warn("retention stopped after {}: {}", done, e.getMessage());
        }
        return done;
    }

    private long dropBatchBodies(OffsetDateTime before) {
        return chunks("UPDATE province_batch SET body = NULL WHERE batch_no IN (SELECT batch_no FROM province_batch"
                + " WHERE state IN ('DONE', 'SPLIT', 'RELEASED') AND completed_at < ? AND body IS NOT NULL"
                + " ORDER BY batch_no FETCH FIRST " + props.chunkSize() + " ROWS ONLY)", before);
    }

    /**
     * The ledger from its oldest end up to (not including) the first row that must stay. A row settled before
     * the cutoff never changes again (the hub writes only PENDING, SENDING and the newest REJECTED version of a
     * record), and every version applied later has a higher seq, so the rows below that point stay settled
     * while they are deleted.
     */
    private long pruneLedger(OffsetDateTime before) {
        Long keepFrom = jdbc.queryForObject("SELECT MIN(d.seq) FROM province_delivery d"
                + " WHERE d.state NOT IN ('ACCEPTED', 'SUPERSEDED', 'REJECTED') OR d.since >= ?"
                + " OR d.state = 'REJECTED' AND NOT EXISTS (SELECT 1 FROM province_delivery n"
                + " WHERE n.record_id = d.record_id AND n.seq > d.seq)", Long.class, before);
        if (keepFrom == null) {
            Long max = jdbc.queryForObject("SELECT MAX(seq) FROM province_delivery", Long.class);
            if (max == null) {
                return 0;
            }
            keepFrom = max + 1;
        }
        long total = 0;
        long from = jdbc.queryForObject("SELECT pruned_below FROM ledger_retention WHERE id = 1", Long.class);
        while (from < keepFrom) {
            List<Long> next = jdbc.queryForList("SELECT seq FROM province_delivery WHERE seq >= ? AND seq < ?"
                    + " ORDER BY seq OFFSET " + props.chunkSize() + " ROWS FETCH FIRST 1 ROWS ONLY", Long.class, from,
                    keepFrom);
            long lo = from;
            long hi = next.isEmpty() ? keepFrom : next.get(0);
            Integer n = tx.execute(s -> {
                // The settled predicate again: the range was measured before this transaction, and a row that
                // is not settled by now (a writer the reasoning above did not foresee) stays.
                int deleted = jdbc.update("DELETE FROM province_delivery WHERE seq >= ? AND seq < ?"
                        + " AND state IN ('ACCEPTED', 'SUPERSEDED', 'REJECTED') AND since < ?"
                        + " AND (state <> 'REJECTED' OR EXISTS (SELECT 1 FROM province_delivery n"
                        + " WHERE n.record_id = province_delivery.record_id AND n.seq > province_delivery.seq))",
                        lo, hi, before);
                // GREATEST: two nodes pruning at once may finish in either order; the mark never moves back.
                jdbc.update("UPDATE ledger_retention SET pruned_below = GREATEST(pruned_below, ?),"
                        + " pruned_rows = pruned_rows + ?, pruned_at = ? WHERE id = 1", hi, deleted, OffsetDateTime.now(ZoneOffset.UTC));
                return deleted;
            });
            total += n == null ? 0 : n;
            from = hi;
        }
        if (total > 0) {
            audit.record("hub:retention", "RETENTION province_delivery", "province_delivery seq < " + keepFrom,
                    total + " settled ledger rows deleted (settled before " + before + ")");
        }
        return total;
    }

    /** Runs a chunked statement until it changes nothing. */
    private long chunks(String sql, Object... args) {
        long total = 0;
        for (int n; (n = jdbc.update(sql, args)) > 0; ) {
            total += n;
        }
        return total;
    }
}
