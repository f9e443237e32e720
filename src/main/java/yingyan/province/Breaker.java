package yingyan.province;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * A small circuit breaker for the one sender thread: after {@code threshold} consecutive failed attempts it
 * opens and the sender sends nothing for {@code openFor}; then one probe goes (half-open): success closes
 * it, failure opens it again. Its own rather than resilience4j's because the sender already keeps its
 * retry state per batch in the database and is single-threaded: what it needs is one "may I call now?"
 * answer, readable in the API, and deterministic in tests.
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
