package yingyan.adapters.hubfeed;

import org.apache.camel.builder.RouteBuilder;
import org.springframework.stereotype.Component;

/**
 * {@code hub-feed-source}: a timer that polls the other hub's feed every
 * {@code hub.adapters.hub-feed.poll-interval}; starts with the hub when {@code enabled}. The poll never
 * throws into the timer (a failing source is shown in health and backs off).
 */
@Component
class HubFeedRoute extends RouteBuilder {
    static final String ROUTE_ID = HubFeedProperties.ADAPTER_ID + "-source";

    private final HubFeedProperties props;
    private final HubFeedSource source;

    HubFeedRoute(HubFeedProperties props, HubFeedSource source) {
        this.props = props;
        this.source = source;
    }

    @Override
    public void configure() {
        // A poll runs on the timer's thread: the next tick waits until it is done, polls never overlap.
        from("timer:" + ROUTE_ID + "?period=" + props.pollInterval().toMillis())
                .routeId(ROUTE_ID)
                .autoStartup(props.enabled())
                .bean(source, "poll");
    }
}
