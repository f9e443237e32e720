package yingyan.province;

import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import jakarta.annotation.PreDestroy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The sender behind route {@code province-push}: each timer tick sends what is due, one batch at a time
 * in ledger order, within the quota, unless the circuit breaker is open. A batch is formed (and its
 * exact bytes stored) only when no earlier batch is still waiting for an answer, so versions reach the
 * province in the order the hub applied them. Every outcome of a send is filed in the ledger; nothing
 * here throws into the route, and ingestion never waits for the province.
 */
@Component("provincePusher")
public class ProvincePusher {
    private static final Logger log = LoggerFactory.getLogger(ProvincePusher.class);
    /**
     * How long one tick may go on sending while batches are due; the timer then waits poll-interval. Long
     * enough that a backlog is sent at the quota (a tick bounded by a count, then a 1 s pause, cost a
     * sixth of it), short enough that the route's thread comes back now and then.
     */
    private static final Duration TICK_BUDGET = Duration.ofSeconds(60);

    private final ProvinceProperties props;
    private final DeliveryLedger ledger;
    private final ProvinceClient client;
    private final Breaker breaker;
    private final Quota quota;
    /** The ledger thread: forms the next batch while the current one is in flight. */
    private final ExecutorService former = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "province-push-former");
        t.setDaemon(true);
        return t;
    });

    private final io.micrometer.core.instrument.MeterRegistry meters;

    public ProvincePusher(ProvinceProperties props, DeliveryLedger ledger,
                          org.springframework.beans.factory.ObjectProvider<io.micrometer.core.instrument.MeterRegistry> meters) {
        this.meters = meters.getIfAvailable(io.micrometer.core.instrument.simple.SimpleMeterRegistry::new);
        this.props = props;
        this.ledger = ledger;
        this.client = new ProvinceClient(props);
        this.breaker = new Breaker(props.breakerFailureThreshold(), props.breakerOpenFor(), Clock.systemUTC());
        this.quota = new Quota(props.requestsPerSecond());
    }

    /**
     * One timer tick; returns how many requests were made. One request is in flight at a time, in ledger
     * order; while it is, the next batch is formed (and its bytes stored) on the ledger thread, so the
     * province's answer time and the database's work overlap instead of adding up: at 50 ms per answer
     * the quota (20 requests/s), not the round trip plus the ledger, is the limit.
     */
    public int tick() {
        int sent = 0;
        long until = System.nanoTime() + TICK_BUDGET.toNanos();
        Future<?> ahead = null;
        try {
            while (System.nanoTime() < until && !Thread.currentThread().isInterrupted()) {
                ahead = finish(ahead);
                if (!breaker.allows()) {
                    break;
                }
                DeliveryLedger.Batch b = ledger.oldestOpen()
                        .or(() -> ledger.formNext(props.region(), props.batchMaxRecords(), props.batchMaxBytes()))
                        .orElse(null);
                if (b == null || b.nextAttemptAt().isAfter(OffsetDateTime.now(ZoneOffset.UTC))) {
                    break;
                }
                if (!quota.acquire()) {
                    break;
                }
                if (ledger.openBatches() == 1) {
                    // Only ever one batch formed ahead: a batch that keeps failing does not pile up others.
                    ahead = formAhead();
                }
                send(b);
                sent++;
            }
        } catch (RuntimeException e) {
            // The municipal database is unreachable or similar: nothing was lost, the next tick tries again.
            log.warn("province push paused: {}", DeliveryLedger.trim(String.valueOf(e.getMessage())));
        } finally {
            finish(ahead);
        }
        return sent;
    }

    private Future<?> formAhead() {
        try {
            return former.submit(() -> ledger.formNext(props.region(), props.batchMaxRecords(),
                    props.batchMaxBytes()));
        } catch (java.util.concurrent.RejectedExecutionException e) {
            return null; // shutting down: this batch is the last of the tick
        }
    }

    /** Waits for the batch being formed ahead; a failure there only means the next one is formed in line. */
    private static Future<?> finish(Future<?> ahead) {
        if (ahead == null) {
            return null;
        }
        try {
            ahead.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            log.warn("province push: forming the next batch ahead failed ({}); it is formed in line",
                    DeliveryLedger.trim(String.valueOf(e.getCause())));
        }
        return null;
    }

    @PreDestroy
    void stop() {
        former.shutdownNow();
    }

    private void send(DeliveryLedger.Batch b) {
        int attempt = b.attempts() + 1;
        ledger.attempting(b.batchId(), attempt);
        ProvinceClient.Reply r = client.post(b.batchId(), b.body());
        meters.counter("yingyan.province.requests", "status", r.status() == 0 ? "none" : String.valueOf(r.status()))
                .increment();
        if (r.status() == 200 || r.status() == 409) {
            try {
                int n = ledger.answered(b.batchId(), r.status(), r.body());
                breaker.success();
                log.info("province batch {} answered {} on attempt {}: {} of {} versions filed", b.batchId(),
                        r.status(), attempt, n, b.recordCount());
                return;
            } catch (java.io.IOException e) {
                // Answered but unreadable: nothing is known; the resend's 409 will carry the original answer.
                retry(b, attempt, r, "unreadable " + r.status() + " answer: " + e.getMessage());
                return;
            }
        }
        if (r.unknown()) {
            retry(b, attempt, r, r.status() == 0 ? r.error() : "HTTP " + r.status() + ": " + brief(r.body()));
            return;
        }
        breaker.success(); // the province is up and answered; the batch is what it refused
        if (r.status() == 413 && b.recordCount() > 1) {
            log.warn("province batch {} too large (413, {} records, {} bytes): split in two", b.batchId(),
                    b.recordCount(), b.bodySize());
            ledger.split(b, props.region(), "413 " + brief(r.body()) + ": split in two");
            return;
        }
        String reason = "HTTP " + r.status() + ": " + brief(r.body());
        log.warn("province refused batch {} ({} records): {}; not retried until an operator asks", b.batchId(),
                b.recordCount(), DeliveryLedger.trim(reason));
        ledger.failed(b.batchId(), r.status(), reason);
    }

    private void retry(DeliveryLedger.Batch b, int attempt, ProvinceClient.Reply r, String error) {
        breaker.failure();
        Duration wait = backoff(attempt);
        if (r.retryAfter().isPresent() && r.retryAfter().get().compareTo(wait) > 0) {
            wait = r.retryAfter().get();
        }
        if (wait.compareTo(props.maxBackoff()) > 0) {
            wait = props.maxBackoff();
        }
        ledger.retryLater(b.batchId(), OffsetDateTime.now(ZoneOffset.UTC).plus(wait),
                r.status() == 0 ? null : r.status(), error);
        log.warn("province batch {} attempt {}: {}; the same batch goes again in {} ms", b.batchId(), attempt,
                DeliveryLedger.trim(error), wait.toMillis());
    }

    /** Bounded exponential backoff: initial × 2^(attempt-1), at most maxBackoff. */
    Duration backoff(int attempt) {
        long ms = props.initialBackoff().toMillis() << Math.min(attempt - 1, 30);
        return Duration.ofMillis(Math.min(ms < 0 ? Long.MAX_VALUE : ms, props.maxBackoff().toMillis()));
    }

    private static String brief(String body) {
        if (body == null || body.isBlank()) {
            return "(no body)";
        }
        return body.length() > 500 ? body.substring(0, 500) + "…" : body;
    }

    /** Closes the breaker (tests start each case from a closed breaker). */
    void resetBreaker() {
        breaker.success();
    }

    Breaker.State breakerState() {
        return breaker.state();
    }

    java.time.Instant breakerOpenUntil() {
        return breaker.openUntil();
    }
}
