package yingyan.adapters.hubfeed;

import java.time.Duration;
import org.springframework.stereotype.Component;
import yingyan.spi.PollingSourceRoute;

/** {@code hub-feed-source}: polls the other hub's feed every poll interval (see {@link PollingSourceRoute}). */
@Component
class HubFeedRoute extends PollingSourceRoute {
    static final String ROUTE_ID = routeId(HubFeedProperties.ADAPTER_ID);

    HubFeedRoute(HubFeedProperties props, HubFeedSource source) {
        super(HubFeedProperties.ADAPTER_ID, source, props.pollInterval(), Duration.ofSeconds(1), props.enabled());
    }
}
