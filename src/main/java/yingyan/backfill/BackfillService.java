package yingyan.backfill;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.camel.CamelContext;
import org.apache.camel.ServiceStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Service;
import yingyan.audit.AuditLog;
import yingyan.canonical.CanonicalTime;
import yingyan.cluster.LeaderElection;
import yingyan.cluster.SingletonJobs;
import yingyan.canonical.ResidentIds;
import yingyan.ingest.MapperRegistry;
import yingyan.ingest.QueueingGateway;
import yingyan.spi.Backfillable;
import yingyan.spi.PollingSourceRoute;
import yingyan.store.ApplyOutcome;
import yingyan.store.RecordStore;

/**
 * Runs backfills ({@link Backfillable}): one at a time per adapter, each on its own thread, through three
 * states: READING (the adapter re-reads its source; every chunk it queues is counted), SETTLING (reading
 * is done; the persist step is still applying what was queued) and DONE, or FAILED when the source
 * failed (what was queued until then still counts). What the re-read records came to under the version
 * rules (applied, duplicates, stale, conflicts) is the growth of the adapter's counters over the backfill,
 * so records the adapter read on its own meanwhile are included. The end is written to the audit log in
 * the name of the person who started it.
 */
@Service
class BackfillService implements DisposableBean {
    /** How long SETTLING waits for the persist step before it reports DONE with what was applied so far. */
    static final Duration SETTLE_TIMEOUT = Duration.ofMinutes(2);
    private static final Logger log = LoggerFactory.getLogger(BackfillService.class);

    private final Map<String, Backfillable> adapters;
    private final MapperRegistry mappers;
    private final CamelContext camel;
    private final RecordStore records;
    private final AuditLog audit;
    private final LeaderElection election;
    private final Map<String, Job> jobs = new ConcurrentHashMap<>();
    private final AtomicInteger threads = new AtomicInteger();
    private final ExecutorService executor = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "backfill-" + threads.incrementAndGet());
        t.setDaemon(true);
        return t;
    });

    BackfillService(List<Backfillable> adapters, MapperRegistry mappers, CamelContext camel,
                           RecordStore records, AuditLog audit, LeaderElection election) {
        this.election = election;
        this.adapters = adapters.stream().collect(Collectors.toUnmodifiableMap(Backfillable::adapterId,
                Function.identity()));
        this.mappers = mappers;
        this.camel = camel;
        this.records = records;
        this.audit = audit;
    }

    /**
     * Starts re-reading an adapter's source from {@code since}.
     *
     * @throws UnknownAdapter when there is no such adapter
     * @throws Backfillable.Refused when this adapter cannot be re-read from a time (and why)
     * @throws Busy when a backfill of this adapter is still reading, or its source route is stopped
     */
    public Job start(String adapter, OffsetDateTime since, String startedBy) {
        if (mappers.find(adapter).isEmpty()) {
            throw new UnknownAdapter("no adapter '" + adapter + "'; adapters: " + mappers.adapterIds());
        }
        Backfillable b = adapters.get(adapter);
        if (b == null) {
            throw new Backfillable.Refused("backfill is not supported by the " + adapter + " adapter");
        }
        String role = SingletonJobs.adapterRole(adapter);
        if (!election.leadsHere(role)) {
            throw new Busy("the " + adapter + " adapter runs on " + election.leaderOf(role).map(n -> "node " + n)
                    .orElse("no node at the moment (being elected)") + ", not on this node (" + election.node()
                    + "); start the backfill there: it reads only through the node that runs the adapter");
        }
        String route = PollingSourceRoute.routeId(adapter);
        ServiceStatus status = camel.getRouteController().getRouteStatus(route);
        if (status == null || !status.isStarted()) {
            throw new Busy("the " + adapter + " adapter is not reading (route " + route + " is "
                    + (status == null ? "absent" : status.name()) + ": disabled in hub.adapters." + adapter
                    + ".enabled, or stopped); a backfill reads only through a running adapter");
        }
        synchronized (jobs) {
            Job running = jobs.get(adapter);
            if (running != null && "READING".equals(running.state)) {
                throw new Busy("a backfill of " + adapter + " from " + CanonicalTime.format(running.since)
                        + " is still reading (started by " + running.startedBy + ")");
            }
            ApplyOutcome before = records.counters(adapter);
            Backfillable.Run run = b.rewind(since);
            Job job = new Job(adapter, since, run, startedBy, before);
            jobs.put(adapter, job);
            executor.execute(() -> work(job));
            return job;
        }
    }

    /** The adapter's newest backfill (running or finished). */
    public Optional<Job> latest(String adapter) {
        return Optional.ofNullable(jobs.get(adapter));
    }

    private void work(Job job) {
        log.info("backfill of {} from {} (reading from {}) started by {}", job.adapter, CanonicalTime.format(job.since),
                CanonicalTime.format(job.run.from()), job.startedBy);
        try {
            QueueingGateway.observed(o -> {
                job.queued.addAndGet(o.queued());
                job.quarantined.addAndGet(o.quarantined());
            }, job.run::readToEnd);
            job.readEndedAt = Instant.now();
            job.state = "SETTLING";
            settle(job);
            job.state = "DONE";
        } catch (RuntimeException e) {
            job.error = ResidentIds.maskAll(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
            job.readEndedAt = Instant.now();
            job.state = "FAILED";
            log.warn("backfill of {} failed: {}", job.adapter, job.error);
        }
        job.finishedAt = Instant.now();
        job.countersAtEnd = records.counters(job.adapter);
        ApplyOutcome d = job.counted();
        String outcome = job.state + ": read " + job.read() + " (queued " + job.queued + ", quarantined "
                + job.quarantined + "); applied " + d.applied() + ", duplicates " + d.duplicates() + ", stale "
                + d.stale() + (job.settled ? "" : " (not all applied yet)")
                + (job.error == null ? "" : "; " + job.error);
        log.info("backfill of {} from {}: {}", job.adapter, CanonicalTime.format(job.since), outcome);
        try {
            audit.record(job.startedBy, "backfill finished", "/api/v1/adapters/" + job.adapter
                    + "/backfill?since=" + CanonicalTime.format(job.since), outcome);
        } catch (RuntimeException e) {
            log.warn("could not audit the end of the {} backfill: {}", job.adapter, e.getMessage());
        }
    }

    /** Waits until the adapter's counters have grown by what the backfill queued, or the settle timeout. */
    private void settle(Job job) {
        Instant deadline = Instant.now().plus(SETTLE_TIMEOUT);
        while (true) {
            job.countersAtEnd = records.counters(job.adapter);
            if (job.counted().total() >= job.queued.get()) {
                job.settled = true;
                return;
            }
            if (Instant.now().isAfter(deadline) || Thread.currentThread().isInterrupted()) {
                return;
            }
            LockSupport.parkNanos(Duration.ofMillis(250).toNanos());
        }
    }

    @Override
    public void destroy() {
        executor.shutdownNow();
    }

    /** One backfill: what was asked, where it is, what it came to. */
    public static final class Job {
        final String adapter;
        final OffsetDateTime since;
        final Backfillable.Run run;
        final String startedBy;
        final Instant startedAt = Instant.now();
        final ApplyOutcome countersAtStart;
        final AtomicLong queued = new AtomicLong();
        final AtomicLong quarantined = new AtomicLong();
        volatile String state = "READING";
        volatile ApplyOutcome countersAtEnd;
        volatile Instant readEndedAt;
        volatile Instant finishedAt;
        volatile String error;
        volatile boolean settled;

        Job(String adapter, OffsetDateTime since, Backfillable.Run run, String startedBy, ApplyOutcome before) {
            this.adapter = adapter;
            this.since = since;
            this.run = run;
            this.startedBy = startedBy;
            this.countersAtStart = before;
        }

        long read() {
            return queued.get() + quarantined.get();
        }

        /** The growth of the adapter's counters since the start (up to the end, once there is one). */
        ApplyOutcome counted() {
            ApplyOutcome end = countersAtEnd;
            if (end == null) {
                return new ApplyOutcome(0, 0, 0, 0);
            }
            return new ApplyOutcome(end.applied() - countersAtStart.applied(),
                    end.duplicates() - countersAtStart.duplicates(), end.stale() - countersAtStart.stale(),
                    end.conflicts() - countersAtStart.conflicts());
        }

        /** Share of the way from {@code from} to now (or of the files) that is read, 0..1. */
        double progress() {
            if (!"READING".equals(state)) {
                return "FAILED".equals(state) ? fraction() : 1.0;
            }
            return Math.min(0.99, fraction());
        }

        private double fraction() {
            if (run.unitsTotal() > 0) {
                return Math.min(1.0, (double) run.unitsDone() / run.unitsTotal());
            }
            if (run.unitsTotal() == 0) {
                return 1.0;
            }
            OffsetDateTime at = run.position();
            OffsetDateTime from = run.from();
            if (at == null || from == null) {
                return 0;
            }
            double whole = Duration.between(from, OffsetDateTime.now(ZoneOffset.UTC)).toMillis();
            return whole <= 0 ? 1.0 : Math.max(0, Math.min(1.0, Duration.between(from, at).toMillis() / whole));
        }

        /** As the API answers it. */
        public Map<String, Object> view() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("adapter", adapter);
            m.put("state", state);
            m.put("since", CanonicalTime.format(since));
            m.put("from", run.from() == null ? null : CanonicalTime.format(run.from()));
            m.put("startedBy", startedBy);
            m.put("startedAt", startedAt.toString());
            m.put("readEndedAt", readEndedAt == null ? null : readEndedAt.toString());
            m.put("finishedAt", finishedAt == null ? null : finishedAt.toString());
            OffsetDateTime at = run.position();
            m.put("position", at == null ? null : CanonicalTime.format(at.withOffsetSameInstant(CanonicalTime.BEIJING)));
            m.put("now", CanonicalTime.format(OffsetDateTime.now(CanonicalTime.BEIJING).withNano(0)));
            m.put("progress", Math.round(progress() * 1000) / 1000.0);
            if (run.unitsTotal() >= 0) {
                m.put("filesTotal", run.unitsTotal());
                m.put("filesDone", run.unitsDone());
            }
            m.put("read", read());
            m.put("queued", queued.get());
            m.put("quarantined", quarantined.get());
            ApplyOutcome d = "READING".equals(state) ? null : counted();
            m.put("applied", d == null ? null : d.applied());
            m.put("duplicates", d == null ? null : d.duplicates());
            m.put("stale", d == null ? null : d.stale());
            m.put("conflicts", d == null ? null : d.conflicts());
            m.put("settled", settled);
            m.put("error", error);
            return m;
        }
    }

    /** No adapter by that id. */
    public static class UnknownAdapter extends RuntimeException {
        UnknownAdapter(String message) {
            super(message);
        }
    }

    /** The adapter cannot start a backfill now. */
    public static class Busy extends RuntimeException {
        Busy(String message) {
            super(message);
        }
    }
}
