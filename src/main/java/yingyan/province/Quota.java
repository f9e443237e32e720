package yingyan.province;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The province's quota as the province counts it: at most {@code limit} requests reaching it in any window
 * of {@code window}, each counted from when it reaches the wire rather than from when it was let start.
 * Spacing starts 1/rate apart (as before) keeps the flow smooth, but a request held up between its permit
 * and the wire (signing a large body, a new connection, a GC pause, a busy core) then arrives bunched with
 * the ones after it: the province answered such a request 429 about once in 500. So a sender marks its
 * permit {@link Permit#onWire() on the wire}, and a request starts only once the {@code limit}-th request
 * before it has reached the wire at least one window ago; one still on its way holds the next ones back.
 */
final class Quota {
    private final long intervalNanos;
    private final long windowNanos;
    /** The last {@code limit} permits, oldest at {@code head}: the one a new request must follow by a window. */
    private final Permit[] recent;
    private int head;
    private long next = System.nanoTime();

    /**
     * @param limit  requests the province allows in one window
     * @param window the province's window (1 s), plus any margin for the network's own jitter
     * @param rate   the rate starts are spaced for (requests per second)
     */
    Quota(int limit, Duration window, double rate) {
        this.intervalNanos = (long) Math.ceil(TimeUnit.SECONDS.toNanos(1) / rate);
        this.windowNanos = window.toNanos();
        this.recent = new Permit[limit];
    }

    /** The quota of {@code props}: its requests per second, in a second widened by its margin. */
    static Quota of(ProvinceProperties props) {
        long window = Math.round(TimeUnit.SECONDS.toNanos(1) * (1 + props.quotaMargin()));
        return new Quota(Math.max(1, (int) Math.floor(props.requestsPerSecond())), Duration.ofNanos(window),
                props.sendRate());
    }

    /**
     * Waits until the next request may start and returns its permit, to be marked {@link Permit#onWire()} as the
     * request goes out and {@link Permit#done()} in any case; null if interrupted (shutting down).
     */
    synchronized Permit acquire() {
        try {
            while (true) {
                long now = System.nanoTime();
                Permit oldest = recent[head];
                if (oldest != null && oldest.onTheWay) {
                    wait(); // counted from its wire time, which is not known yet
                    continue;
                }
                long earliest = oldest == null ? next : Math.max(next, oldest.at + windowNanos);
                long wait = earliest - now;
                if (wait > 0) {
                    TimeUnit.NANOSECONDS.timedWait(this, wait);
                    continue;
                }
                Permit p = new Permit(now);
                recent[head] = p;
                head = (head + 1) % recent.length;
                next = now + intervalNanos;
                return p;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** One request's place in the quota. */
    final class Permit {
        /** When it started, then when it reached the wire. */
        private long at;
        private boolean onTheWay = true;

        private Permit(long at) {
            this.at = at;
        }

        /** The request is reaching the province now: it counts from here. */
        void onWire() {
            synchronized (Quota.this) {
                at = Math.max(at, System.nanoTime());
                onTheWay = false;
                Quota.this.notifyAll();
            }
        }

        /**
         * The request is over (answered, failed or never sent). One that never reached the wire keeps counting
         * from its start: it cost the province nothing, and the slot it held is free again within a window.
         */
        void done() {
            synchronized (Quota.this) {
                if (onTheWay) {
                    onTheWay = false;
                    Quota.this.notifyAll();
                }
            }
        }
    }
}
