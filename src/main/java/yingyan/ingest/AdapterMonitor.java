package yingyan.ingest;

import java.time.Duration;
import java.time.Instant;
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

        AdapterState(String adapter) {
            this.adapter = adapter;
        }

        public synchronized void succeeded(int queued, int quarantined) {
            failing = false;
            consecutiveFailures = 0;
            nextAttemptAt = Instant.EPOCH;
            lastSuccessAt = Instant.now();
            queuedTotal += queued;
            quarantinedTotal += quarantined;
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
        }

        /** Counts items read in a poll that has not finished yet (a long file, many pages). */
        public synchronized void progressed(int queued, int quarantined) {
            queuedTotal += queued;
            quarantinedTotal += quarantined;
        }

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
    }
}
