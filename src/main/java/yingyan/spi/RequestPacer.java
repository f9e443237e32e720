package yingyan.spi;

import java.time.Duration;

/**
 * Keeps an adapter's requests to a source's rate limit ("at most 5 requests per second per client"): each
 * {@link #pace} returns no earlier than one interval after the previous one returned. Waits go through the
 * adapter's {@link HttpRetry#pause}, so they end when the hub stops.
 */
public final class RequestPacer {
    private final long intervalNanos;
    private long last = Long.MIN_VALUE;

    public RequestPacer(int perSecond) {
        if (perSecond < 1) {
            throw new IllegalArgumentException("at least one request per second");
        }
        this.intervalNanos = Duration.ofSeconds(1).toNanos() / perSecond;
    }

    /** Waits until the next request may go. */
    public synchronized void pace(HttpRetry waits) {
        long now = System.nanoTime();
        if (last != Long.MIN_VALUE) {
            long due = last + intervalNanos;
            if (due - now > 0) {
                waits.pause(Duration.ofNanos(due - now).plusMillis(1));
                now = System.nanoTime();
            }
        }
        last = now;
    }
}
