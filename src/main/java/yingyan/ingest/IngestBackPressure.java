package yingyan.ingest;

import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;
import yingyan.config.HubProperties;

/**
 * Back-pressure between the ingest route and the persist route: each batch this hub queues is noted under an
 * id that travels with it (the JMS property {@link #HEADER}), and forgotten once persist has stored it. An
 * adapter's submit returns only while fewer than {@code max-queued-batches} are outstanding, so the adapter
 * reads its next page when there is room: a backlog waits at its source, the broker holds a few batches, not
 * millions of records, and a version read is stored within a few batches' time, however large the burst.
 *
 * <p>It only ever delays, never stops: one wait is bounded by {@code max-back-pressure-wait}, and a batch
 * outstanding for longer than that (being redelivered, dead-lettered, or the database away) no longer
 * counts. Batches queued by an earlier run or another hub carry ids this one never noted and count nothing.
 */
@Component
public class IngestBackPressure {
    /** The JMS property (Camel header) carrying a queued batch's id. */
    public static final String HEADER = "YingyanBatch";

    private final int max;
    private final long maxWaitNanos;
    /** Outstanding batch ids and when each was queued (nanoTime), oldest first. */
    private final Map<String, Long> outstanding = new LinkedHashMap<>();

    @Autowired
    public IngestBackPressure(HubProperties hub) {
        this(hub.persist().maxQueuedBatches(), hub.persist().maxBackPressureWait());
    }

    IngestBackPressure(int maxQueuedBatches, Duration maxWait) {
        this.max = Math.max(1, maxQueuedBatches);
        this.maxWaitNanos = maxWait.toNanos();
    }

    /** A new batch id, noted as outstanding from now. */
    synchronized String queued() {
        String id = UUID.randomUUID().toString();
        outstanding.put(id, System.nanoTime());
        return id;
    }

    /** The batch was not queued after all (the send failed): it is not outstanding. */
    synchronized void notQueued(String id) {
        forget(id);
    }

    /** Persist stored the batch (its transaction committed): one more may be read. */
    public synchronized void stored(String id) {
        forget(id);
    }

    private void forget(String id) {
        if (id != null && outstanding.remove(id) != null) {
            notifyAll();
        }
    }

    /**
     * Waits until fewer than the maximum are outstanding, at most max-back-pressure-wait; returns how long it
     * waited. An interrupt (the hub closing) ends the wait at once, with the interrupt kept.
     */
    synchronized Duration awaitRoom() {
        long start = System.nanoTime();
        long deadline = start + maxWaitNanos;
        while (true) {
            long now = System.nanoTime();
            expire(now);
            if (outstanding.size() < max || now >= deadline) {
                return Duration.ofNanos(now - start);
            }
            try {
                long waitMillis = Math.max(1, Math.min(100, (deadline - now) / 1_000_000));
                wait(waitMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Duration.ofNanos(System.nanoTime() - start);
            }
        }
    }

    /** Batches outstanding longer than max-back-pressure-wait no longer hold anyone back. */
    private void expire(long now) {
        for (Iterator<Long> it = outstanding.values().iterator(); it.hasNext(); ) {
            if (now - it.next() < maxWaitNanos) {
                break; // oldest first: the rest are younger
            }
            it.remove();
        }
    }

    /** How many of this hub's batches are queued and not yet stored (expired ones excluded). */
    synchronized int outstanding() {
        expire(System.nanoTime());
        return outstanding.size();
    }
}
