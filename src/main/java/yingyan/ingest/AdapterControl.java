package yingyan.ingest;

import java.time.Instant;
import yingyan.cluster.LeaderElection;
import yingyan.cluster.SingletonJobs;
import yingyan.spi.AdapterMonitor;
import yingyan.spi.SourceRouteBuilder;
import yingyan.store.AdapterStops;
import yingyan.spi.PollingSource;
import yingyan.spi.PollingSourceRoute;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.camel.CamelContext;
import org.apache.camel.Consumer;
import org.apache.camel.Route;
import org.apache.camel.ServiceStatus;
import org.apache.camel.support.DefaultScheduledPollConsumerScheduler;
import org.apache.camel.support.ScheduledPollConsumer;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Service;

/**
 * What an operator can do to an adapter, and the one definition of its run state that health, the
 * console and the metrics share ({@link #state}): STOPPED while none of its source routes runs (disabled,
 * or stopped by an operator), FAILING while its last poll failed, RUNNING otherwise.
 *
 * <p>An adapter's source routes are {@code <id>-source} and the extra ones some adapters have for a
 * second transport ({@code land-transfer-sftp-source}, {@code procurement-source-sftp}): every route whose
 * id starts with {@code <id>-} and mentions {@code source}, unless a longer adapter id claims it.
 */
@Service
public class AdapterControl implements DisposableBean {
    /** An adapter's state as people see it. */
    public enum RunState { RUNNING, FAILING, STOPPED }

    private final CamelContext camel;
    private final MapperRegistry mappers;
    private final AdapterMonitor monitor;
    private final ObjectProvider<PollingSource> sources;
    private final Map<String, AtomicBoolean> pollQueued = new ConcurrentHashMap<>();
    private final AdapterStops stops;
    private final LeaderElection election;
    private final ExecutorService pollNow = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "adapter-poll-now");
        t.setDaemon(true);
        return t;
    });

    AdapterControl(CamelContext camel, MapperRegistry mappers, AdapterMonitor monitor,
                   ObjectProvider<PollingSource> sources, AdapterStops stops, LeaderElection election) {
        this.camel = camel;
        this.stops = stops;
        this.election = election;
        this.mappers = mappers;
        this.monitor = monitor;
        this.sources = sources;
    }

    public boolean exists(String adapter) {
        return mappers.find(adapter).isPresent();
    }

    /** The adapter's source route ids, {@code <id>-source} first. */
    public List<String> sourceRoutes(String adapter) {
        List<String> out = new ArrayList<>();
        String main = PollingSourceRoute.routeId(adapter);
        for (Route r : camel.getRoutes()) {
            String id = r.getRouteId();
            if (id.equals(main)) {
                out.add(0, id);
            } else if (adapter.equals(SourceRouteBuilder.adapterOf(id, mappers.adapterIds()))) {
                out.add(id);
            }
        }
        return out;
    }

    /** Each source route with its Camel status (Started, Stopped...). */
    public Map<String, String> routeStatus(String adapter) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String id : sourceRoutes(adapter)) {
            ServiceStatus s = camel.getRouteController().getRouteStatus(id);
            out.put(id, s == null ? "None" : s.name());
        }
        return out;
    }

    /**
     * STOPPED while no source route runs — unless its last poll failed and no person stopped it (a source
     * polled by hand, as tests do, stays FAILING: the failure is news, the stopped route is not); a person's
     * stop always shows as STOPPED, even of an adapter that was failing. FAILING while the last poll failed,
     * RUNNING otherwise.
     */
    public RunState state(String adapter) {
        boolean stopped = stops.find(adapter).isPresent();
        boolean running = sourceRoutes(adapter).stream().anyMatch(this::started)
                || !stopped && runsOn(adapter).filter(n -> !n.equals(election.node())).isPresent();
        boolean failing = monitor.state(adapter).failing();
        if (!running && (!failing || stopped)) {
            return RunState.STOPPED;
        }
        return failing ? RunState.FAILING : RunState.RUNNING;
    }

    private boolean started(String routeId) {
        ServiceStatus s = camel.getRouteController().getRouteStatus(routeId);
        return s != null && s.isStarted();
    }

    /** Who stopped an adapter and when (kept in the database until it is started again, across restarts). */
    public record StopNote(String by, Instant at) {
    }

    /** Set while the adapter is stopped because a person stopped it. */
    public Optional<StopNote> stoppedBy(String adapter) {
        return stops.find(adapter).map(s -> new StopNote(s.by(), s.at()));
    }

    /**
     * The node that runs the adapter's sources: this one with the cluster off; in a cluster the leader of
     * {@code adapter:<id>} (empty while no node is known to lead it).
     */
    public Optional<String> runsOn(String adapter) {
        return election.leaderOf(SingletonJobs.adapterRole(adapter));
    }

    /** In a cluster: whether another node (not this one) runs the adapter's sources. */
    public boolean runsElsewhere(String adapter) {
        return !election.leadsHere(SingletonJobs.adapterRole(adapter));
    }

    /**
     * Stops every source route of the adapter (a poll under way finishes first; nothing is lost). The stop is kept
     * in the database: in a cluster the node that runs the adapter applies it within hub.cluster.presence-interval,
     * and it holds across restarts until someone starts the adapter again.
     */
    public List<String> stop(String adapter, String by) throws Exception {
        stops.stop(adapter, by, Instant.now());
        List<String> stopped = new ArrayList<>();
        for (String id : sourceRoutes(adapter)) {
            if (started(id)) {
                camel.getRouteController().stopRoute(id);
                stopped.add(id);
            }
        }
        return stopped;
    }

    /** Starts every source route of the adapter; a backoff after failures is cleared so it polls at once. */
    public List<String> start(String adapter) throws Exception {
        List<String> started = new ArrayList<>();
        stops.start(adapter);
        monitor.state(adapter).pollNow();
        if (runsElsewhere(adapter)) {
            return started; // the node that leads it starts it within hub.cluster.presence-interval
        }
        for (String id : sourceRoutes(adapter)) {
            if (!started(id)) {
                camel.getRouteController().startRoute(id);
                started.add(id);
            }
        }
        return started;
    }

    /**
     * Clears the backoff and polls now, outside the schedule: a timer-polled adapter's source is called
     * on a thread of its own (the source serialises polls), a folder or SFTP route is run on its own
     * scheduler thread (so polls of one route never overlap). Returns what was triggered; empty when the
     * adapter is stopped.
     */
    public List<String> pollNow(String adapter) {
        List<String> triggered = new ArrayList<>();
        if (state(adapter) == RunState.STOPPED) {
            return triggered;
        }
        monitor.state(adapter).pollNow();
        Optional<PollingSource> source = sources.orderedStream().filter(s -> s.adapterId().equals(adapter)).findFirst();
        if (source.isPresent()) {
            AtomicBoolean queued = pollQueued.computeIfAbsent(adapter, k -> new AtomicBoolean());
            if (queued.compareAndSet(false, true)) {
                pollNow.execute(() -> {
                    try {
                        source.get().poll();
                    } finally {
                        queued.set(false);
                    }
                });
            }
            triggered.add(PollingSourceRoute.routeId(adapter));
            return triggered;
        }
        for (String id : sourceRoutes(adapter)) {
            Route route = camel.getRoute(id);
            Consumer consumer = route == null ? null : route.getConsumer();
            if (started(id) && consumer instanceof ScheduledPollConsumer spc
                    && spc.getScheduler() instanceof DefaultScheduledPollConsumerScheduler scheduler
                    && scheduler.getScheduledExecutorService() != null) {
                ScheduledExecutorService executor = scheduler.getScheduledExecutorService();
                executor.execute(spc);
                triggered.add(id);
            }
        }
        return triggered;
    }

    @Override
    public void destroy() {
        pollNow.shutdownNow();
    }
}
