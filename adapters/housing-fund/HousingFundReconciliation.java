package yingyan.adapters.housingfund;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.scheduling.support.CronExpression;
import org.springframework.stereotype.Component;
import yingyan.adapters.housingfund.SourceDatabase.Row;
import yingyan.canonical.CanonicalTime;
import yingyan.canonical.ResidentIds;
import yingyan.spi.IngestGateway;
import yingyan.spi.IngestOutcome;
import yingyan.spi.Payloads;
import yingyan.spi.ReconciliationLog;
import yingyan.spi.SourceItem;
import yingyan.spi.StoredHashes;

/**
 * The nightly reconciliation of the centre's tables with what the hub holds: every row a table's watermark
 * says was read (GXSJ before its settled time) is compared, by key and by the hash of its item as read now, with
 * the stored record (or a quarantined item); a row the hub does not hold in that content — committed later than
 * the overlap allowed, stamped by a clock further off than it allowed, changed without a new GXSJ — is read
 * again through the pipeline. It runs in the poll (so on the node that polls, never beside a pass) when
 * {@code reconcile-at} is due, and its figures go to the {@link ReconciliationLog} for the console.
 */
@Component
class HousingFundReconciliation {
    private static final Logger log = LoggerFactory.getLogger(HousingFundReconciliation.class);

    private final HousingFundProperties props;
    private final StoredHashes stored;
    private final ReconciliationLog runs;
    private final IngestGateway gateway;
    private final Clock clock;
    private final CronExpression schedule;
    /** Before any run is logged, the first is due at the first scheduled time after the hub started. */
    private final Instant since;

    @Autowired
    HousingFundReconciliation(HousingFundProperties props, StoredHashes stored, ReconciliationLog runs,
                              IngestGateway gateway) {
        this(props, stored, runs, gateway, Clock.systemUTC());
    }

    HousingFundReconciliation(HousingFundProperties props, StoredHashes stored, ReconciliationLog runs,
                              IngestGateway gateway, Clock clock) {
        this.props = props;
        this.stored = stored;
        this.runs = runs;
        this.gateway = gateway;
        this.clock = clock;
        String at = props.reconcileAt();
        this.schedule = at == null || at.isBlank() ? null : CronExpression.parse(at.trim());
        this.since = clock.instant();
    }

    /** Whether the scheduled time after the last run (or the start) has come; never when no schedule is set. */
    boolean due() {
        if (schedule == null) {
            return false;
        }
        Instant last = runs.last(HousingFundMapper.ADAPTER_ID).map(r -> r.startedAt().toInstant()).orElse(since);
        ZonedDateTime next = schedule.next(last.atZone(CanonicalTime.BEIJING));
        return next != null && !clock.instant().isBefore(next.toInstant());
    }

    /**
     * Compares every settled row of both tables with what the hub holds and submits the rows it does not hold,
     * handing each submit's outcome to {@code submitted}. A failure ends the run early; what it found so far and
     * why it stopped are logged all the same.
     */
    ReconciliationLog.Run run(Connection c, Watermark wm, int queryTimeoutSeconds, Consumer<IngestOutcome> submitted) {
        OffsetDateTime started = OffsetDateTime.now(clock);
        long checked = 0;
        long missing = 0;
        long reread = 0;
        String error = null;
        try {
            for (SourceTable t : SourceTable.values()) {
                String settled = wm.get(t).settled();
                if (settled == null) {
                    continue; // nothing read up to anywhere yet: the first pass covers it
                }
                String after = null;
                while (true) {
                    List<Row> rows = SourceDatabase.settledChunk(c, t, settled, after, props.chunkSize(),
                            queryTimeoutSeconds);
                    if (rows.isEmpty()) {
                        break;
                    }
                    OffsetDateTime fetchedAt = OffsetDateTime.now(clock).withOffsetSameInstant(CanonicalTime.BEIJING);
                    Map<String, SourceItem> items = new LinkedHashMap<>();
                    Map<String, String> hashes = new LinkedHashMap<>();
                    for (Row r : rows) {
                        SourceItem item = SourceDatabase.item(r, fetchedAt);
                        items.put(item.sourceKey(), item);
                        hashes.put(item.sourceKey(), Payloads.sha256(item.raw()));
                    }
                    Set<String> held = stored.held(HousingFundMapper.ADAPTER_ID, hashes);
                    List<SourceItem> again = new ArrayList<>();
                    items.forEach((key, item) -> {
                        if (!held.contains(key)) {
                            again.add(item);
                        }
                    });
                    checked += rows.size();
                    missing += again.size();
                    if (!again.isEmpty()) {
                        log.warn("housing-fund reconciliation: {} row(s) of {} not held by the hub, read again: {}",
                                again.size(), t.name(), again.stream().limit(5).map(i -> ResidentIds.maskAll(i.sourceKey())).toList());
                        submitted.accept(gateway.submit(again)); // throws unless durably queued
                        reread += again.size();
                    }
                    after = rows.get(rows.size() - 1).key();
                    if (rows.size() < props.chunkSize()) {
                        break;
                    }
                }
            }
        } catch (SQLException | RuntimeException e) {
            error = ResidentIds.maskAll(e.getClass().getSimpleName() + ": " + e.getMessage());
            log.warn("housing-fund reconciliation stopped after {} rows: {}", checked, error);
        }
        ReconciliationLog.Run run = new ReconciliationLog.Run(HousingFundMapper.ADAPTER_ID, started,
                OffsetDateTime.now(clock), checked, missing, reread, error);
        runs.record(run);
        log.info("housing-fund reconciliation: {} rows checked, {} not held, {} read again{}", checked, missing, reread,
                error == null ? "" : " (stopped early)");
        return run;
    }
}
