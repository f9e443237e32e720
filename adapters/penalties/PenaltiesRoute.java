package yingyan.adapters.penalties;

import java.time.Duration;
import org.springframework.stereotype.Component;
import yingyan.spi.PollingSourceRoute;

/** {@code penalties-source}: polls the bureau's penalty service every poll interval (see {@link PollingSourceRoute}). */
@Component
class PenaltiesRoute extends PollingSourceRoute {
    static final String ROUTE_ID = routeId(PenaltiesProperties.ADAPTER_ID);

    PenaltiesRoute(PenaltiesProperties props, PenaltiesSource source) {
        super(PenaltiesProperties.ADAPTER_ID, source, props.pollInterval(), Duration.ofSeconds(1), props.enabled());
    }
}
