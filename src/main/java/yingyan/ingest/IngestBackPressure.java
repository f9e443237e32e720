package yingyan.ingest;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.dao.DataAccessException;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import yingyan.cluster.ClusterProperties;
import yingyan.config.HubProperties;

/**
 * Back-pressure between the ingest route and the persist route: each batch this hub queues is noted under an
 * id that travels with it (the JMS property {@link #HEADER}), and forgotten once a persist has stored it. An
 * adapter's submit returns only while fewer than {@code max-queued-batches} are outstanding, so the adapter
 * reads its next page when there is room: a backlog waits at its source, the broker holds a few batches, not
 * millions of records, and a version read is stored within a few batches' time, however large the burst.
 *
 * <p>In a cluster every node's persist consumes the queue, so a batch this hub queued may be stored by another
 * node. A persist that stores a batch its own hub did not queue marks it in the database
 * ({@code ingest_batch_stored}, after the batch's transaction committed); a submit waiting for room asks the
 * database every {@link #POLL} which of its outstanding batches are marked, counts those stored and deletes
 * their marks. A batch this hub stores itself is forgotten at once and leaves no mark. With the cluster off (one
 * node, the quick start) nothing is marked or asked: every batch is this hub's or an earlier run's.
 *
 * <p>It only ever delays, never stops: one wait is bounded by {@code max-back-pressure-wait}, and a batch
 * outstanding for longer than that (being redelivered, dead-lettered, the database away, its mark lost) no
 * longer counts. Batches queued by an earlier run carry ids no node noted: their marks are deleted after
 * {@link #MARK_TTL} by the next node that writes one.
 */
@Component
public class IngestBackPressure {
    /** The JMS property (Camel header) carrying a queued batch's id. */
    public static final String HEADER = "YingyanBatch";
    /** How often a waiting submit asks the database for batches another node stored. */
    static final Duration POLL = Duration.ofMillis(20);
    /** A mark nobody claimed (its batch queued by an earlier run) is deleted after this long. */
    static final Duration MARK_TTL = Duration.ofMinutes(10);

    private static final Logger log = LoggerFactory.getLogger(IngestBackPressure.class);

    private final int max;
    private final long maxWaitNanos;
    /** Where batches stored by another node are marked; null: the cluster off, one node (no mark written or read). */
    private final JdbcTemplate marks;
    /** Outstanding batch ids and when each was queued (nanoTime), oldest first. */
    private final Map<String, Long> outstanding = new LinkedHashMap<>();
    /** When a submit last asked the database (nanoTime; guarded by this), so waiting submits share one query. */
    private long lastAsked;
    /** When this hub last deleted unclaimed marks (nanoTime; guarded by this). */
    private long lastSwept;
    private boolean swept;

    @Autowired
    public IngestBackPressure(HubProperties hub, ClusterProperties cluster, JdbcTemplate jdbc) {
        this(hub.persist().maxQueuedBatches(), hub.persist().maxBackPressureWait(), cluster.enabled() ? jdbc : null);
    }

    IngestBackPressure(int maxQueuedBatches, Duration maxWait) {
        this(maxQueuedBatches, maxWait, null);
    }

    IngestBackPressure(int maxQueuedBatches, Duration maxWait, JdbcTemplate marks) {
        this.max = Math.max(1, maxQueuedBatches);
        this.maxWaitNanos = maxWait.toNanos();
        this.marks = marks;
        this.lastAsked = System.nanoTime() - POLL.toNanos();
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

    /**
     * Persist stored the batch (its transaction committed): one more may be read. A batch another node (or an
     * earlier run) queued is marked in the database for the node that queued it.
     */
    public void stored(String id) {
        if (id == null) {
            return;
        }
        synchronized (this) {
            if (forget(id)) {
                return;
            }
        }
        if (marks != null) {
            mark(id);
        }
    }

    private boolean forget(String id) {
        if (id != null && outstanding.remove(id) != null) {
            notifyAll();
            return true;
        }
        return false;
    }

    private void mark(String id) {
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        try {
            marks.update("INSERT INTO ingest_batch_stored (batch_id, stored_at) VALUES (?, ?)", id, now);
        } catch (DuplicateKeyException e) {
            return; // a redelivered batch stored again: marked the first time
        } catch (DataAccessException e) {
            // Only delays: the node that queued the batch stops counting it after max-back-pressure-wait.
            log.warn("could not mark batch {} stored for the node that queued it: {}", id, e.getMessage());
            return;
        }
        if (sweepDue()) {
            try {
                marks.update("DELETE FROM ingest_batch_stored WHERE stored_at < ?", now.minus(MARK_TTL));
            } catch (DataAccessException e) {
                log.debug("could not delete unclaimed batch marks: {}", e.getMessage());
            }
        }
    }

    private synchronized boolean sweepDue() {
        long now = System.nanoTime();
        if (swept && now - lastSwept < Duration.ofMinutes(1).toNanos()) {
            return false;
        }
        swept = true;
        lastSwept = now;
        return true;
    }

    /**
     * Waits until fewer than the maximum are outstanding, at most max-back-pressure-wait; returns how long it
     * waited. An interrupt (the hub closing) ends the wait at once, with the interrupt kept.
     */
    Duration awaitRoom() {
        long start = System.nanoTime();
        long deadline = start + maxWaitNanos;
        while (true) {
            List<String> ask;
            synchronized (this) {
                long now = System.nanoTime();
                expire(now);
                if (outstanding.size() < max || now >= deadline) {
                    return Duration.ofNanos(now - start);
                }
                long toPoll = marks == null ? Long.MAX_VALUE : lastAsked + POLL.toNanos() - now;
                if (toPoll > 0) {
                    try {
                        long waitMillis = Math.max(1, Math.min(Math.min(100, toPoll / 1_000_000),
                                (deadline - now) / 1_000_000));
                        wait(waitMillis);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return Duration.ofNanos(System.nanoTime() - start);
                    }
                    continue;
                }
                lastAsked = now;
                ask = new ArrayList<>(outstanding.keySet());
            }
            storedElsewhere(ask); // the query runs outside the monitor: persist's stored() never waits for it
        }
    }

    /** Counts stored those of {@code ids} another node marked, and deletes their marks. */
    private void storedElsewhere(List<String> ids) {
        Set<String> found = new HashSet<>();
        try {
            String in = String.join(",", Collections.nCopies(ids.size(), "?"));
            found.addAll(marks.queryForList("SELECT batch_id FROM ingest_batch_stored WHERE batch_id IN (" + in + ")",
                    String.class, ids.toArray()));
            if (!found.isEmpty()) {
                marks.update("DELETE FROM ingest_batch_stored WHERE batch_id IN ("
                        + String.join(",", Collections.nCopies(found.size(), "?")) + ")", found.toArray());
            }
        } catch (DataAccessException e) {
            log.debug("could not read which batches another node stored: {}", e.getMessage());
        }
        synchronized (this) {
            found.forEach(this::forget);
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
