package yingyan.adapters.publicfunds;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.Route;
import org.apache.camel.StatefulService;
import org.apache.camel.ServiceStatus;
import org.springframework.stereotype.Component;
import yingyan.canonical.CanonicalTime;
import yingyan.canonical.ResidentIds;
import yingyan.spi.AdapterMonitor;
import yingyan.spi.IngestGateway;
import yingyan.spi.IngestGateway.IngestException;
import yingyan.spi.IngestOutcome;
import yingyan.spi.SourceItem;

/**
 * Hands each treasury message to the hub and returns only once {@link IngestGateway#submit} did (the record
 * durably queued, or the message quarantined, a malformed one included): the route's container then acks it.
 *
 * <p>While the hub cannot queue ({@link IngestException}: broker or database away, back-pressure; or any other
 * failure of the hand-over, which a requeue would only repeat at once) the same message is kept, unacked, and
 * tried again after a wait that doubles from {@code backoff-initial} up to
 * {@code backoff-max}; the adapter shows DOWN with the reason meanwhile. With one consumer and a small prefetch
 * this is "stop consuming and retry later": nothing behind it is taken, the order is kept, and there is no
 * requeue loop. When the hub stops during a wait, the message is handed back unacked and redelivered later.
 */
@Component
class PublicFundsConsumer {
    private static final Duration SLICE = Duration.ofMillis(100);

    private final PublicFundsProperties props;
    private final IngestGateway gateway;
    private final AdapterMonitor.AdapterState state;

    PublicFundsConsumer(PublicFundsProperties props, IngestGateway gateway, AdapterMonitor monitor) {
        this.props = props;
        this.gateway = gateway;
        this.state = monitor.state(PublicFundsProperties.ADAPTER_ID);
    }

    void deliver(Exchange exchange) throws InterruptedException {
        byte[] body = exchange.getMessage().getBody(byte[].class);
        if (body == null) {
            body = new byte[0];
        }
        Object tag = exchange.getMessage().getHeader("CamelSpringRabbitmqDeliveryTag");
        SourceItem item = PublicFundsMessages.item(body, "queue " + props.queue() + " delivery " + tag,
                OffsetDateTime.now(CanonicalTime.BEIJING));
        Duration wait = props.backoffInitial();
        while (true) {
            try {
                IngestOutcome outcome = gateway.submit(List.of(item));
                state.succeeded(outcome.queued(), outcome.quarantined());
                return;
            } catch (RuntimeException e) {
                // Any failure, not only IngestException: thrown on, the container would requeue the message and
                // take it again at once, a hot loop against a hub that cannot take it.
                state.failed("the hub cannot queue a treasury payment (" + describe(e)
                        + "); consuming stopped, the message stays unacked and is tried again in " + wait);
                if (!waitWhileRunning(exchange.getContext(), wait)) {
                    throw e; // the hub is stopping: the message goes back to the queue unacked
                }
                wait = wait.multipliedBy(2).compareTo(props.backoffMax()) > 0 ? props.backoffMax() : wait.multipliedBy(2);
            }
        }
    }

    private static String describe(RuntimeException e) {
        String m = ResidentIds.maskAll(String.valueOf(e.getMessage()));
        return e instanceof IngestException ? m : e.getClass().getSimpleName() + ": " + m;
    }

    /** Waits {@code wait} unless the route or the hub stops first (then false). */
    private static boolean waitWhileRunning(CamelContext camel, Duration wait) throws InterruptedException {
        long until = System.nanoTime() + wait.toNanos();
        while (System.nanoTime() < until) {
            ServiceStatus route = camel.getRouteController().getRouteStatus(PublicFundsRoute.ROUTE_ID);
            Route r = camel.getRoute(PublicFundsRoute.ROUTE_ID);
            boolean consumerStopping = r != null && r.getConsumer() instanceof StatefulService c
                    && (c.isStopping() || c.isStopped() || c.isSuspending() || c.isSuspended());
            if (!camel.isStarted() || camel.isStopping() || consumerStopping || (route != null && !route.isStarted())) {
                return false;
            }
            Thread.sleep(Math.min(SLICE.toMillis(), Math.max(1, (until - System.nanoTime()) / 1_000_000)));
        }
        return true;
    }

}
