package yingyan.spi;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Component;
import yingyan.canonical.ResidentIds;

/**
 * The live state of every adapter, as health, the API and (later) the console show it: running or
 * failing and why, last success, last error, what the last poll brought. Also the backoff that keeps
 * a failing source (a rejected credential, a dead host) from being hammered.
 */
@Component
public class AdapterMonitor {
    private final Map<String, AdapterState> states = new ConcurrentHashMap<>();

    public AdapterState state(String adapter) {
        return states.computeIfAbsent(adapter, AdapterState::new);
    }

    public Map<String, AdapterState> all() {
        return Map.copyOf(states);
    }

    /** Mutable, thread-safe state of one adapter. */
    public static final class AdapterState {
        private static final Duration MIN_BACKOFF = Duration.ofSeconds(5);
        private static final Duration MAX_BACKOFF = Duration.ofMinutes(5);

        private final String adapter;
        private volatile boolean failing;
        private volatile String lastError;
        private volatile Instant lastErrorAt;
        private volatile Instant lastSuccessAt;
        private volatile long queuedTotal;
        private volatile long quarantinedTotal;
        private volatile int consecutiveFailures;
        private volatile Instant nextAttemptAt = Instant.EPOCH;
        private volatile PollProgress poll;
        private volatile String disabledBecause;
        // What of the poll under way is already in the totals (pollProgressed, progressed).
        private long pollQueuedCounted;
        private long pollQuarantinedCounted;

        AdapterState(String adapter) {
            this.adapter = adapter;
        }

        /** A poll begins: from now until it ends, {@link #poll()} says how far it got. */
        public synchronized void pollStarted() {
            poll = new PollProgress(Instant.now(), 0, 0, 0, null, Instant.now());
            pollQueuedCounted = 0;
            pollQuarantinedCounted = 0;
        }

        /**
         * How far the poll under way got, as figures of the whole poll so far: a long poll (a backlog read for
         * minutes) shows while it reads, and its queued items count in the totals at once.
         */
        public synchronized void pollProgressed(long read, long queued, long quarantined, String position) {
            PollProgress p = poll;
            if (p == null) {
                return; // not inside a poll (a source driven some other way): the end of its run counts it
            }
            countPoll(queued, quarantined);
            poll = new PollProgress(p.startedAt(), read, queued, quarantined, position, Instant.now());
        }

        public synchronized void succeeded(int queued, int quarantined) {
            failing = false;
            consecutiveFailures = 0;
            nextAttemptAt = Instant.EPOCH;
            lastSuccessAt = Instant.now();
            countPoll(queued, quarantined);
            endPoll();
        }

        /**
         * Records a failed poll with a reason a person can act on; later polls back off exponentially. The reason
         * is kept masked ({@link ResidentIds#maskAll}): it often quotes the source's data, and health, the console
         * and the CLI all show it.
         */
        public synchronized void failed(String reason) {
            failing = true;
            lastError = ResidentIds.maskAll(reason);
            lastErrorAt = Instant.now();
            consecutiveFailures++;
            long seconds = Math.min(MAX_BACKOFF.toSeconds(),
                    MIN_BACKOFF.toSeconds() << Math.min(16, consecutiveFailures - 1));
            nextAttemptAt = lastErrorAt.plusSeconds(seconds);
            endPoll();
        }

        /**
         * Counts items read in a poll that has not finished yet (a long file, many pages): the poll's figures
         * so far (what of them {@link #pollProgressed} already counted is not counted again).
         */
        public synchronized void progressed(int queued, int quarantined) {
            countPoll(queued, quarantined);
        }

        private void countPoll(long queued, long quarantined) {
            if (poll == null) {
                queuedTotal += queued;
                quarantinedTotal += quarantined;
                return;
            }
            queuedTotal += Math.max(0, queued - pollQueuedCounted);
            quarantinedTotal += Math.max(0, quarantined - pollQuarantinedCounted);
            pollQueuedCounted = Math.max(pollQueuedCounted, queued);
            pollQuarantinedCounted = Math.max(pollQuarantinedCounted, quarantined);
        }

        private void endPoll() {
            poll = null;
            pollQueuedCounted = 0;
            pollQuarantinedCounted = 0;
        }

        /**
         * Why the adapter does not run in this configuration, in words an operator can act on (what it needs and
         * which setting brings it); the board and health show it instead of a generic "disabled".
         */
        public void disabledBecause(String reason) {
            disabledBecause = reason;
        }

        /** Why the adapter is disabled in this configuration, or null if it says nothing. */
        public String disabledBecause() { return disabledBecause; }

        /** False while backing off after a failure; "poll now" resets it. */
        public boolean mayPoll() {
            return !Instant.now().isBefore(nextAttemptAt);
        }

        public void pollNow() {
            nextAttemptAt = Instant.EPOCH;
        }

        public String adapter() { return adapter; }
        public boolean failing() { return failing; }
        public String lastError() { return lastError; }
        public Instant lastErrorAt() { return lastErrorAt; }
        public Instant lastSuccessAt() { return lastSuccessAt; }
        public long queuedTotal() { return queuedTotal; }
        public long quarantinedTotal() { return quarantinedTotal; }
        public int consecutiveFailures() { return consecutiveFailures; }
        public Instant nextAttemptAt() { return nextAttemptAt; }
        /** The poll under way and how far it got, or null between polls. */
        public PollProgress poll() { return poll; }
    }

    /**
     * A poll under way.
     *
     * @param startedAt when it began
     * @param read items read from the source so far (pages read again after a shift count again)
     * @param queued of them, durably queued
     * @param quarantined of them, quarantined
     * @param position where the source is being read, in the source's own terms (null before the first page)
     * @param updatedAt when these figures were last updated
     */
    public record PollProgress(Instant startedAt, long read, long queued, long quarantined, String position,
                               Instant updatedAt) {
        /** Items read per second since the poll began. */
        public double perSecond(Instant now) {
            double seconds = Math.max(1, Duration.between(startedAt, now).toMillis()) / 1000.0;
            return read / seconds;
        }

        /**
         * As health, the board and {@code yingyan status} show it: a first read of a large backlog takes minutes,
         * and must not look like an adapter that never did anything. The position may quote source data.
         */
        public Map<String, Object> figures(Instant now) {
            Map<String, Object> p = new LinkedHashMap<>();
            p.put("startedAt", startedAt);
            p.put("read", read);
            p.put("queued", queued);
            p.put("quarantined", quarantined);
            p.put("position", position == null ? null : ResidentIds.maskAll(position));
            p.put("perSecond", Math.round(perSecond(now) * 10) / 10.0);
            p.put("updatedAt", updatedAt);
            return p;
        }
    }
}
