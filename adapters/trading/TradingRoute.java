package yingyan.adapters.trading;

import java.time.Duration;
import org.springframework.stereotype.Component;
import yingyan.spi.PollingSourceRoute;

/** {@code trading-source}: polls Trading's system every poll interval (see {@link PollingSourceRoute}). */
@Component
class TradingRoute extends PollingSourceRoute {
    static final String ROUTE_ID = routeId(TradingProperties.ADAPTER_ID);

    TradingRoute(TradingProperties props, TradingSource source) {
        super(TradingProperties.ADAPTER_ID, source, props.pollInterval(), Duration.ofSeconds(1), props.enabled());
    }
}
