package yingyan.province;

import jakarta.annotation.PreDestroy;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionService;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ApplicationContextAware;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import yingyan.cluster.Leadership;

/**
 * The scheduler behind route {@code province-push}, and the lifecycle of its two pools: each timer tick sends
 * what is due within the quota, unless the circuit breaker is open, with up to {@code max-in-flight} batches
 * out at once. One thread (the tick's) decides every start: it picks the oldest due batch not already in
 * flight (by its first version, so the halves of a split batch go before a batch formed after it) and hands
 * it to a sending thread, where {@link BatchSender} waits for the quota right before the request and files
 * the answer; meanwhile the forming thread ({@link BatchFormer}) forms the next batch from the ledger while
 * fewer than {@code max-in-flight} are formed and unanswered. So a batch is never sent twice at once, a
 * province that keeps failing holds at most {@code max-in-flight} batches formed, and the database's work
 * (forming, filing) overlaps the province's answer time and the quota's spacing instead of adding to them.
 * <p>
 * Batches may overlap and be answered out of ledger order: that is safe because the province keeps the
 * newest version of a record by {@code source.updatedAt} and rejects nothing for being old
 * (docs/contracts/province.md §1), every answer is filed against its own batch only (each version ACCEPTED or
 * REJECTED once, whatever the order), and a resend is the stored bytes under the same batchId. Superseded
 * versions are still not sent: a batch is formed from the versions pending at that moment, and only when
 * it can start next.
 * Every outcome is filed in the ledger; nothing here throws into the route, and ingestion never waits for
 * the province.
 */
@Component("provincePusher")
public class ProvincePusher implements ApplicationContextAware {
    private static final Logger log = LoggerFactory.getLogger(ProvincePusher.class);
    /**
     * How long one tick may go on sending while batches are due; the timer then waits poll-interval. Long
     * enough that a backlog is sent at the quota (a tick bounded by a count, then a 1 s pause, cost a
     * sixth of it), short enough that the route's thread comes back now and then.
     */
    private static final Duration TICK_BUDGET = Duration.ofSeconds(60);
    /** On shutdown, how long requests in flight may take to be answered and filed before they are cancelled. */
    private static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(5);

    private final ProvinceProperties props;
    private final DeliveryQueries queries;
    private final BatchFormer former;
    private final BatchSender sender;
    /** The sending threads: each posts one batch and files its answer. */
    private final ExecutorService senders;
    /**
     * The forming thread: forms the next batch from the ledger while the tick's thread starts requests, so
     * forming (tens of ms of database work per batch) overlaps the quota's spacing instead of adding to it.
     */
    private final ExecutorService formingThread = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "province-push-former");
        t.setDaemon(true);
        return t;
    });
    /** Set when the hub begins to close: no request starts after it; those in flight are answered or cancelled. */
    private volatile boolean stopping;
    /** Set while this node does not lead province-push in a cluster (yingyan.cluster): no request starts. */
    private volatile boolean standingDown;
    private ApplicationContext context;

    ProvincePusher(ProvinceProperties props, DeliveryQueries queries, BatchFormer former, BatchSender sender) {
        this.props = props;
        this.queries = queries;
        this.former = former;
        this.sender = sender;
        AtomicInteger n = new AtomicInteger();
        this.senders = Executors.newFixedThreadPool(props.maxInFlight(), r -> {
            Thread t = new Thread(r, "province-push-sender-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * One timer tick; returns how many requests were started. It returns when nothing is due (or may be
     * formed) and nothing is in flight, when the breaker opens, after {@link #TICK_BUDGET}, or when the hub
     * closes; it always waits for the requests it started, so a stopped route has none left in flight.
     */
    public int tick() {
        int sent = 0;
        long until = System.nanoTime() + TICK_BUDGET.toNanos();
        CompletionService<String> answers = new ExecutorCompletionService<>(senders);
        Map<String, Future<String>> inFlight = new HashMap<>();
        Ahead ahead = new Ahead();
        former.rescanPending(); // a version a person resent through another hub instance is found within a tick
        try {
            while (!halted() && System.nanoTime() < until && !Thread.currentThread().isInterrupted()) {
                reap(answers, inFlight, 0);
                long wait = props.pollInterval().toMillis();
                if (!sender.breakerAllows(inFlight.size())) {
                    if (inFlight.isEmpty() || sender.breakerState() == Breaker.State.OPEN) {
                        break;
                    }
                    reap(answers, inFlight, wait); // the half-open probe goes alone: wait for its answer
                    continue;
                }
                if (inFlight.size() >= props.maxInFlight()) {
                    reap(answers, inFlight, wait);
                    continue;
                }
                Batch b = next(inFlight.keySet(), ahead);
                if (b == null) {
                    if (ahead.forming()) {
                        // The next batch is being formed: take answers meanwhile, look again in a moment.
                        if (inFlight.isEmpty()) {
                            ahead.await(wait);
                        } else {
                            reap(answers, inFlight, 5);
                        }
                        continue;
                    }
                    if (inFlight.isEmpty()) {
                        break;
                    }
                    reap(answers, inFlight, wait); // nothing to start until an answer comes back or a backoff ends
                    continue;
                }
                if (halted()) {
                    break;
                }
                inFlight.put(b.batchId(), answers.submit(() -> sender.sendAndFile(b)));
                ahead.started(b.batchId());
                sent++;
            }
        } catch (RejectedExecutionException e) {
            log.info("province push: the hub is closing; no further batch is started");
        } catch (RuntimeException e) {
            // The municipal database is unreachable or similar: nothing was lost, the next tick tries again.
            log.warn("province push paused: {}", DeliveryLedger.trim(String.valueOf(e.getMessage())));
        } finally {
            ahead.await(SHUTDOWN_GRACE.toMillis()); // a batch formed and not started is SENDING: the next tick sends it
            drain(answers, inFlight);
        }
        return sent;
    }

    /**
     * The batch being formed ahead on the forming thread (at most one), and the batches this tick started:
     * a batch the forming thread stored may also be found among the open batches first, and is started once.
     */
    private final class Ahead {
        private Future<Optional<Batch>> forming;
        private final Set<String> started = new HashSet<>();
        /** When forming last found nothing pending: it is not tried again within a poll interval. */
        private long drainedAt = System.nanoTime() - props.pollInterval().toNanos();

        /** Whether a batch is being formed, or was formed and not yet looked at. */
        boolean forming() {
            return forming != null;
        }

        /** Starts forming the next batch on the forming thread, unless one is being formed already. */
        void form() {
            if (forming == null && !halted() && System.nanoTime() - drainedAt >= props.pollInterval().toNanos()) {
                forming = formingThread.submit(() -> former.formNext(props.region(), props.batchMaxRecords(),
                        props.batchMaxBytes()));
            }
        }

        /** The batch formed ahead, if it is done and not started yet; then the next one is formed. */
        Batch take() {
            if (forming == null || !forming.isDone()) {
                return null;
            }
            Future<Optional<Batch>> done = forming;
            forming = null;
            try {
                Batch b = done.get().orElse(null);
                if (b == null) {
                    drainedAt = System.nanoTime();
                }
                return b == null || started.contains(b.batchId()) ? null : b;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return null;
            } catch (ExecutionException e) {
                // The database was away or the versions kept being overtaken: the next look forms again.
                log.warn("province push: forming a batch failed ({})", DeliveryLedger.trim(String.valueOf(e.getCause())));
                return null;
            }
        }

        void started(String batchId) {
            started.add(batchId);
        }

        /** Waits up to {@code millis} for the batch being formed. */
        void await(long millis) {
            if (forming == null) {
                return;
            }
            try {
                forming.get(millis, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (ExecutionException | TimeoutException e) {
                // taken (and logged) by take(), or still forming
            }
        }
    }

    /**
     * The batch to start now: the oldest formed batch that is due and not in flight, else a new one formed
     * from the ledger if fewer than max-in-flight are formed and unanswered; null if neither.
     */
    private Batch next(Set<String> inFlight, Ahead ahead) {
        int window = props.maxInFlight();
        List<DeliveryQueries.Open> open = queries.open(window + 1);
        if (open.size() < window) {
            ahead.take(); // a batch formed ahead is among the open ones by now (or it found nothing pending)
            ahead.form(); // keep the next one forming while the window has room
        }
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        for (DeliveryQueries.Open o : open) {
            if (!inFlight.contains(o.batchId()) && !o.nextAttemptAt().isAfter(now)) {
                Batch b = queries.toSend(o.batchId()).orElse(null);
                if (b != null && "SENDING".equals(b.state())) {
                    return b;
                }
            }
        }
        if (open.size() >= window) {
            return null; // a province that keeps failing does not pile up formed batches
        }
        return null; // the next one is being formed (or nothing is pending)
    }

    /** Takes the answers that came back, waiting up to {@code waitMillis} for the first one. */
    private static void reap(CompletionService<String> answers, Map<String, Future<String>> inFlight,
                             long waitMillis) {
        if (inFlight.isEmpty()) {
            return;
        }
        try {
            Future<String> done = waitMillis > 0 ? answers.poll(waitMillis, TimeUnit.MILLISECONDS) : answers.poll();
            while (done != null) {
                inFlight.remove(done.get());
                done = answers.poll();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | CancellationException e) {
            throw new IllegalStateException("a sending thread failed", e); // sendAndFile does not throw
        }
    }

    /**
     * Waits for every request this tick started to be answered and filed. Once the hub is closing, it waits
     * at most {@link #SHUTDOWN_GRACE}; then, or if this thread is interrupted (Camel forcing the route down),
     * it cancels what is left: those batches stay SENDING, their attempt counted, and go again byte-identical
     * under the same batchId.
     */
    private void drain(CompletionService<String> answers, Map<String, Future<String>> inFlight) {
        boolean interrupted = Thread.interrupted();
        long graceEnd = System.nanoTime() + SHUTDOWN_GRACE.toNanos();
        while (!inFlight.isEmpty() && !interrupted && !(halted() && System.nanoTime() > graceEnd)) {
            try {
                Future<String> done = answers.poll(100, TimeUnit.MILLISECONDS);
                if (done != null) {
                    inFlight.remove(done.get());
                }
            } catch (InterruptedException e) {
                interrupted = true;
            } catch (ExecutionException | CancellationException e) {
                break;
            }
        }
        if (!inFlight.isEmpty()) {
            log.warn("province push: {} request(s) cancelled unanswered as the hub closes; their batches go again,"
                    + " byte-identical, when it next runs", inFlight.size());
            inFlight.values().forEach(f -> f.cancel(true));
            inFlight.clear();
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private boolean halted() {
        return stopping || standingDown;
    }

    /**
     * In a cluster: another node is about to run the push (this one lost or gave up the role): no request starts
     * from now on, those in flight are answered or, after the grace, cancelled and left SENDING for the new
     * leader's byte-identical resend; granted again, it pushes again.
     */
    @EventListener
    void leadership(Leadership e) {
        if ("province-push".equals(e.role())) {
            standingDown = !e.leads();
        }
    }

    /** Stops new starts as soon as the hub begins to close (before Camel stops the route and waits for it). */
    @EventListener
    void closing(ContextClosedEvent e) {
        if (e.getApplicationContext() == context) {
            stopping = true;
        }
    }

    @Override
    public void setApplicationContext(ApplicationContext context) {
        this.context = context;
    }

    @PreDestroy
    void stop() {
        stopping = true;
        formingThread.shutdownNow();
        senders.shutdown();
        try {
            if (!senders.awaitTermination(SHUTDOWN_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
                log.warn("province push: requests still unanswered after {} s are cancelled; their batches go"
                        + " again, byte-identical, when the hub next runs", SHUTDOWN_GRACE.toSeconds());
                senders.shutdownNow();
                senders.awaitTermination(SHUTDOWN_GRACE.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            senders.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
