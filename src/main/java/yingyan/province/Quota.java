package yingyan.province;

import java.util.concurrent.TimeUnit;

/** Spaces request starts at least 1/rate apart: the province's quota (requests per second) is never exceeded. */
final class Quota {
    private final long intervalNanos;
    private long next = System.nanoTime();

    Quota(double requestsPerSecond) {
        this.intervalNanos = (long) Math.ceil(TimeUnit.SECONDS.toNanos(1) / requestsPerSecond);
    }

    /** Waits until the next request may start; returns false if interrupted (shutting down). */
    synchronized boolean acquire() {
        long now = System.nanoTime();
        long wait = next - now;
        if (wait > 0) {
            try {
                TimeUnit.NANOSECONDS.sleep(wait);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        next = Math.max(now, next) + intervalNanos;
        return true;
    }
}
