package yingyan.cluster;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.apache.camel.CamelContext;
import org.apache.camel.NamedNode;
import org.apache.camel.Route;
import org.apache.camel.ServiceStatus;
import org.apache.camel.StatefulService;
import org.apache.camel.spi.RoutePolicy;
import org.apache.camel.spi.RoutePolicyFactory;
import org.apache.camel.support.RoutePolicySupport;
import org.apache.camel.support.service.ServiceHelper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Component;
import yingyan.spi.SourceMapper;
import yingyan.spi.SourceRouteBuilder;
import yingyan.store.AdapterStops;

/**
 * Which routes are singleton jobs, under which leadership role, and starting and stopping them: a Camel
 * {@link RoutePolicyFactory} (Camel picks it up from the registry) that sees every route as it is created.
 *
 * <p>Roles: {@code adapter:<id>} (all of one adapter's source routes, so the sources spread over the nodes),
 * {@code province-push} (routes province-push and province-alert-push), {@code retention}, and one role per route id
 * in hub.cluster.singleton-routes. With the cluster on, a claimed route does not start with the hub; it starts when
 * this node is granted its role ({@link #run}) and stops, within half the lock's ttl, when the role is revoked or
 * the leader stands down ({@link #halt}). Off, routes start as they always did. Either way an adapter an operator
 * stopped ({@code adapter_stop}) does not start with the hub.
 */
@Component
public class SingletonJobs implements RoutePolicyFactory {
    private static final Logger log = LoggerFactory.getLogger(SingletonJobs.class);

    /** A claimed route and whether its configuration wants it running (hub.adapters.x.enabled etc.). */
    private record Claimed(String routeId, boolean wanted) {
    }

    private final ClusterProperties props;
    private final AdapterStops stops;
    private final ObjectProvider<SourceMapper> mappers;
    private final Map<String, List<Claimed>> byRole = new ConcurrentHashMap<>();
    private final ApplicationEventPublisher events;
    private volatile CamelContext camel;

    SingletonJobs(ClusterProperties props, AdapterStops stops, ObjectProvider<SourceMapper> mappers,
                  ApplicationEventPublisher events) {
        this.events = events;
        this.props = props;
        this.stops = stops;
        this.mappers = mappers;
    }

    /** The role of an adapter's sources. */
    public static String adapterRole(String adapterId) {
        return "adapter:" + adapterId;
    }

    /** The role a route runs under, or null when every node runs it. */
    public String roleOf(String routeId) {
        if (props.singletonRoutes().contains(routeId)) {
            return routeId;
        }
        if (routeId.equals("province-push") || routeId.equals("province-alert-push")) {
            return "province-push";
        }
        if (routeId.equals("retention")) {
            return "retention";
        }
        String adapter = SourceRouteBuilder.adapterOf(routeId, adapterIds());
        return adapter == null ? null : adapterRole(adapter);
    }

    private Set<String> adapterIds() {
        Set<String> ids = new LinkedHashSet<>();
        mappers.orderedStream().forEach(m -> ids.add(m.adapterId()));
        return ids;
    }

    @Override
    public RoutePolicy createRoutePolicy(CamelContext context, String routeId, NamedNode route) {
        String role = roleOf(routeId);
        if (role == null) {
            return null;
        }
        return new RoutePolicySupport() {
            @Override
            public void onInit(Route r) {
                camel = r.getCamelContext();
                boolean wanted = !Boolean.FALSE.equals(r.isAutoStartup());
                byRole.computeIfAbsent(role, k -> new ArrayList<>()).add(new Claimed(r.getRouteId(), wanted));
                if (props.enabled()) {
                    r.setAutoStartup(false);
                } else if (role.startsWith("adapter:") && stops.find(role.substring(8)).isPresent()) {
                    log.info("{}: not started, an operator stopped adapter {} (start it from the console)",
                            r.getRouteId(), role.substring(8));
                    r.setAutoStartup(false);
                }
            }
        };
    }

    /** Every role with at least one route the configuration wants running (the jobs to elect). */
    public Set<String> roles() {
        Set<String> out = new java.util.TreeSet<>();
        byRole.forEach((role, routes) -> {
            if (routes.stream().anyMatch(Claimed::wanted)) {
                out.add(role);
            }
        });
        return out;
    }

    /** Each role with its route ids. */
    public Map<String, List<String>> routes() {
        Map<String, List<String>> out = new LinkedHashMap<>();
        byRole.forEach((role, routes) -> out.put(role, routes.stream().map(Claimed::routeId).toList()));
        return out;
    }

    /** This node now runs the role: starts its wanted routes (an adapter stopped by an operator stays stopped). */
    void run(String role) {
        boolean stopped = role.startsWith("adapter:") && stops.find(role.substring(8)).isPresent();
        if (!stopped) {
            events.publishEvent(new Leadership(role, true));
        }
        for (Claimed c : byRole.getOrDefault(role, List.of())) {
            Route r = camel.getRoute(c.routeId());
            if (c.wanted() && !stopped && r != null && started(c.routeId())
                    && r.getConsumer() instanceof StatefulService consumer && consumer.isStopped()) {
                // a halt stopped its consumer but not the route (the route's stop failed): the consumer again
                ServiceHelper.startService(consumer);
                log.info("{}: consumer started again on this node ({} led here)", c.routeId(), role);
            }
            if (c.wanted() && !stopped && !started(c.routeId())) {
                try {
                    camel.getRouteController().startRoute(c.routeId());
                    log.info("{}: started on this node ({} led here)", c.routeId(), role);
                } catch (Exception e) {
                    log.warn("{}: could not start: {}", c.routeId(), e.toString());
                }
            }
        }
    }

    /**
     * This node no longer runs the role: stops its routes, each within {@code timeout} (an exchange still under way
     * then, e.g. a poll waiting on a dead database, is abandoned by Camel's forced shutdown).
     */
    void halt(String role, long timeoutMillis) {
        events.publishEvent(new Leadership(role, false));
        List<Claimed> claimed = byRole.getOrDefault(role, List.of());
        // The consumers first, at once: no new exchange of the role begins here from now on. Camel's stopRoute
        // below holds the context's lock while it waits for the exchanges under way (up to the timeout), so when a
        // node stands down from several roles together their stops queue one behind another; a job further back
        // in that queue would otherwise go on starting work past half the ttl, when another node may run it.
        for (Claimed c : claimed) {
            Route r = camel == null ? null : camel.getRoute(c.routeId());
            if (r != null && started(c.routeId())) {
                ServiceHelper.stopService(r.getConsumer());
            }
        }
        for (Claimed c : claimed) {
            if (started(c.routeId())) {
                try {
                    camel.getRouteController().stopRoute(c.routeId(), Math.max(1, timeoutMillis),
                            TimeUnit.MILLISECONDS);
                    log.info("{}: stopped on this node ({} no longer led here)", c.routeId(), role);
                } catch (Exception e) {
                    log.warn("{}: could not stop: {}", c.routeId(), e.toString());
                }
            }
        }
    }

    /** Operators' stops and starts, applied to the adapters this node leads (each node sees adapter_stop). */
    void reconcile(Set<String> led) {
        Set<String> stopped = stops.all().keySet();
        for (String role : led) {
            if (!role.startsWith("adapter:")) {
                continue;
            }
            if (stopped.contains(role.substring(8))) {
                halt(role, props.lockTtl().toMillis() / 2);
            } else {
                run(role);
            }
        }
    }

    private boolean started(String routeId) {
        if (camel == null) {
            return false;
        }
        ServiceStatus s = camel.getRouteController().getRouteStatus(routeId);
        return s != null && s.isStarted();
    }
}
