package yingyan.province;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * The bean behind route {@code province-alert-push} (docs/contracts/province.md §3): alert batches to
 * {@code /api/supervision/v1/alerts} in the order of their events, one request at a time, each batch's body
 * stored before its first send and resent byte-identical under the same Idempotency-Key. It sends through a
 * {@link BatchSender} of its own (its own ledger, breaker and backoff: a failing alert endpoint never holds up
 * records, nor the other way round) that takes its turns from the one {@link Quota} the record push uses too.
 * <p>
 * Order: the oldest unanswered batch goes first, and while it waits for its backoff nothing later goes, so the
 * province sees an alert's states in the order they happened. A batch the province refused (FAILED: 400, 422)
 * waits for a person and does not hold up the batches after it: the province keeps each alert's newest state.
 */
@Component("provinceAlertPusher")
public class AlertPusher {
    private static final Logger log = LoggerFactory.getLogger(AlertPusher.class);
    /** How long one tick may go on sending while batches are due; the timer then waits poll-interval. */
    private static final Duration TICK_BUDGET = Duration.ofSeconds(30);

    private final ProvinceProperties province;
    private final AlertPushProperties props;
    private final AlertBatchFormer former;
    private final DeliveryQueries queries;
    private final BatchSender sender;

    AlertPusher(ProvinceProperties province, AlertPushProperties props, AlertBatchFormer former, JdbcTemplate jdbc,
                PlatformTransactionManager txm, Quota quota, ObjectProvider<MeterRegistry> meters) {
        this.province = province;
        this.props = props;
        this.former = former;
        this.queries = new DeliveryQueries(jdbc, PushTables.ALERTS);
        PushLedger ledger = new PushLedger(new DeliveryLedger(jdbc, txm, null, PushTables.ALERTS),
                new AnswerFiler(jdbc, txm, PushTables.ALERTS), (b, reason) -> former.split(b, province.region(), reason));
        this.sender = new BatchSender(ledger, new ProvinceClient(province, province.alertsUrl()),
                new Breaker(props.breakerFailureThreshold(), props.breakerOpenFor(), Clock.systemUTC()), quota,
                props.initialBackoff(), props.maxBackoff(), meters.getIfAvailable(SimpleMeterRegistry::new),
                "yingyan.province.alert.requests", "province alert batch");
    }

    /**
     * One timer tick; returns how many requests were made. It returns when nothing is due, when the breaker
     * opens, after {@link #TICK_BUDGET}, or when interrupted (the route stopping); nothing here throws.
     */
    public int tick() {
        int sent = 0;
        long until = System.nanoTime() + TICK_BUDGET.toNanos();
        try {
            while (System.nanoTime() < until && !Thread.currentThread().isInterrupted() && sender.breakerAllows(0)) {
                Optional<Batch> next = next();
                if (next.isEmpty()) {
                    break;
                }
                sender.sendAndFile(next.get());
                sent++;
            }
        } catch (RuntimeException e) {
            // The municipal database is unreachable or similar: nothing was lost, the next tick tries again.
            log.warn("province alert push paused: {}", DeliveryLedger.trim(String.valueOf(e.getMessage())));
        }
        return sent;
    }

    /** The oldest unanswered batch if it is due; a new one if none is unanswered; empty otherwise. */
    private Optional<Batch> next() {
        List<DeliveryQueries.Open> open = queries.open(1);
        if (!open.isEmpty()) {
            DeliveryQueries.Open o = open.get(0);
            return o.nextAttemptAt().isAfter(OffsetDateTime.now(ZoneOffset.UTC)) ? Optional.empty()
                    : queries.toSend(o.batchId());
        }
        return former.formNext(province.region(), props.batchMaxAlerts(), props.batchMaxBytes());
    }

    /** The alert push's batches, as the status shows them. */
    DeliveryQueries queries() {
        return queries;
    }

    Breaker.State breakerState() {
        return sender.breakerState();
    }

    /** Closes the breaker (tests start each case from a closed breaker). */
    void resetBreaker() {
        sender.resetBreaker();
    }
}
