package yingyan.province;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * Sends one batch and files what became of it: within the quota, unless the circuit breaker opened
 * meanwhile; the answer filed, a batch too large split in two, a refusal kept for a person, and anything
 * unknown (timeout, 429, 503...) retried later with bounded exponential backoff, byte-identical under the
 * same batchId. {@link ProvincePusher} decides when each batch starts, and asks the breaker here whether one may.
 * The bean is the record push's; {@link AlertPusher} has one of its own (its ledger, endpoint, breaker and
 * backoff), both taking their turns from the one {@link Quota}.
 */
@Component
class BatchSender {
    private static final Logger log = LoggerFactory.getLogger(BatchSender.class);

    private final PushLedger ledger;
    private final ProvinceClient client;
    private final Breaker breaker;
    private final Quota quota;
    private final Duration initialBackoff;
    private final Duration maxBackoff;
    private final MeterRegistry meters;
    private final String metric;
    private final String what;

    /** The record push's sender: {@code /batches}, filed in the delivery ledger. */
    @Autowired
    BatchSender(ProvinceProperties props, DeliveryLedger ledger, AnswerFiler answers, BatchFormer former, Quota quota,
                ObjectProvider<MeterRegistry> meters) {
        this(new PushLedger(ledger, answers, (b, reason) -> former.split(b, props.region(), reason)),
                new ProvinceClient(props),
                new Breaker(props.breakerFailureThreshold(), props.breakerOpenFor(), Clock.systemUTC()), quota,
                props.initialBackoff(), props.maxBackoff(), meters.getIfAvailable(SimpleMeterRegistry::new),
                "yingyan.province.requests", "province batch");
    }

    /**
     * A sender of its own endpoint: its ledger, client and breaker its own, the quota the one it is given
     * (the province counts every request of the hub in one quota).
     *
     * @param metric the counter of requests by status
     * @param what   how the log names a batch
     */
    BatchSender(PushLedger ledger, ProvinceClient client, Breaker breaker, Quota quota, Duration initialBackoff,
                Duration maxBackoff, MeterRegistry meters, String metric, String what) {
        this.ledger = ledger;
        this.client = client;
        this.breaker = breaker;
        this.quota = quota;
        this.initialBackoff = initialBackoff;
        this.maxBackoff = maxBackoff;
        this.meters = meters;
        this.metric = metric;
        this.what = what;
    }

    /** On a sending thread: one request and the filing of its outcome; never throws (the slot must come back). */
    String sendAndFile(Batch b) {
        try {
            send(b);
        } catch (RuntimeException e) {
            // Filing failed (the municipal database went away mid-answer): the batch stays SENDING and goes
            // again byte-identical; if the province had taken it, its 409 carries the original answer.
            log.warn("{} {}: filing its outcome failed ({}); it goes again", what, b.batchId(),
                    DeliveryLedger.trim(String.valueOf(e.getMessage())));
        }
        return b.batchId();
    }

    private void send(Batch b) {
        int attempt = b.attempts() + 1;
        ledger.attempting(b.batchId(), attempt);
        // The quota is taken here, at the request's very start (after the ledger's round trip, whose time
        // varies), and the request counts from when it reaches the wire: the province counts arrivals.
        Quota.Permit permit = quota.acquire();
        if (permit == null) {
            return; // the hub is closing: the batch stays SENDING, its attempt counted, and goes again byte-identical
        }
        ProvinceClient.Reply r;
        try {
            if (breaker.state() == Breaker.State.OPEN) {
                // Requests out at the same time failed while this one waited for its turn: it does not go now. The
                // batch stays SENDING and due (its attempt counted), and goes after the breaker lets calls through.
                return;
            }
            r = client.post(b.batchId(), b.body(), permit::onWire);
        } finally {
            permit.done();
        }
        meters.counter(metric, "status", r.status() == 0 ? "none" : String.valueOf(r.status()))
                .increment();
        if (r.status() == 200 || r.status() == 409) {
            try {
                int n = ledger.answered(b.batchId(), r.status(), r.body());
                breaker.success();
                log.info("{} {} answered {} on attempt {}: {} of {} items filed", what, b.batchId(),
                        r.status(), attempt, n, b.recordCount());
                return;
            } catch (IOException e) {
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
            log.warn("{} {} too large (413, {} items, {} bytes): split in two", what, b.batchId(),
                    b.recordCount(), b.bodySize());
            ledger.split(b, "413 " + brief(r.body()) + ": split in two");
            return;
        }
        String reason = "HTTP " + r.status() + ": " + brief(r.body());
        log.warn("province refused {} {} ({} items): {}; not retried until an operator asks", what, b.batchId(),
                b.recordCount(), DeliveryLedger.trim(reason));
        ledger.failed(b.batchId(), r.status(), reason);
    }

    private void retry(Batch b, int attempt, ProvinceClient.Reply r, String error) {
        breaker.failure();
        Duration wait = backoff(attempt);
        if (r.retryAfter().isPresent() && r.retryAfter().get().compareTo(wait) > 0) {
            wait = r.retryAfter().get();
        }
        if (wait.compareTo(maxBackoff) > 0) {
            wait = maxBackoff;
        }
        ledger.retryLater(b.batchId(), OffsetDateTime.now(ZoneOffset.UTC).plus(wait),
                r.status() == 0 ? null : r.status(), error);
        log.warn("{} {} attempt {}: {}; the same batch goes again in {} ms", what, b.batchId(), attempt,
                DeliveryLedger.trim(error), wait.toMillis());
    }

    /** Bounded exponential backoff: initial × 2^(attempt-1), at most maxBackoff. */
    Duration backoff(int attempt) {
        long ms = initialBackoff.toMillis() << Math.min(attempt - 1, 30);
        return Duration.ofMillis(Math.min(ms < 0 ? Long.MAX_VALUE : ms, maxBackoff.toMillis()));
    }

    private static String brief(String body) {
        if (body == null || body.isBlank()) {
            return "(no body)";
        }
        return body.length() > 500 ? body.substring(0, 500) + "…" : body;
    }

    /** Whether a request may start while {@code inFlight} others are out (see {@link Breaker#allows(int)}). */
    boolean breakerAllows(int inFlight) {
        return breaker.allows(inFlight);
    }

    /** Closes the breaker (tests start each case from a closed breaker). */
    void resetBreaker() {
        breaker.success();
    }

    Breaker.State breakerState() {
        return breaker.state();
    }

    Instant breakerOpenUntil() {
        return breaker.openUntil();
    }
}
