package yingyan.province;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * A small circuit breaker for the sender: after {@code threshold} consecutive failed attempts it opens and
 * the sender starts nothing for {@code openFor}; then one probe goes (half-open), alone: success closes it,
 * failure opens it again. Its own rather than resilience4j's because the sender already keeps its retry
 * state per batch in the database and one thread decides every start (answers are filed on the sending
 * threads, hence the locks): what it needs is one "may I start a request now?" answer, readable in the API,
 * and deterministic in tests.
 */
final class Breaker {
    enum State { CLOSED, OPEN, HALF_OPEN }

    private final int threshold;
    private final Duration openFor;
    private final Clock clock;
    private int consecutiveFailures;
    private Instant openUntil;
    private State state = State.CLOSED;

    Breaker(int threshold, Duration openFor, Clock clock) {
        this.threshold = threshold;
        this.openFor = openFor;
        this.clock = clock;
    }

    synchronized boolean allows() {
        if (state == State.OPEN && !clock.instant().isBefore(openUntil)) {
            state = State.HALF_OPEN;
        }
        return state != State.OPEN;
    }

    /**
     * Whether a request may start while {@code inFlight} others are still out: any number while closed; the
     * half-open probe only alone, so that one answer, not a burst, decides whether the province is back.
     */
    synchronized boolean allows(int inFlight) {
        return allows() && (state == State.CLOSED || inFlight == 0);
    }

    synchronized void success() {
        consecutiveFailures = 0;
        state = State.CLOSED;
        openUntil = null;
    }

    synchronized void failure() {
        consecutiveFailures++;
        if (state == State.HALF_OPEN || consecutiveFailures >= threshold) {
            state = State.OPEN;
            openUntil = clock.instant().plus(openFor);
        }
    }

    synchronized State state() {
        allows();
        return state;
    }

    synchronized Instant openUntil() {
        return openUntil;
    }

    synchronized int consecutiveFailures() {
        return consecutiveFailures;
    }
}
