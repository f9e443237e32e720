package yingyan.adapters.approvals;

import java.time.Duration;
import org.springframework.stereotype.Component;
import yingyan.spi.PollingSourceRoute;

/** {@code approvals-source}: polls the approval system every poll interval (see {@link PollingSourceRoute}). */
@Component
class ApprovalsRoute extends PollingSourceRoute {
    static final String ROUTE_ID = routeId(ApprovalsProperties.ADAPTER_ID);

    ApprovalsRoute(ApprovalsProperties props, ApprovalsSource source) {
        super(ApprovalsProperties.ADAPTER_ID, source, props.pollInterval(), Duration.ofSeconds(1), props.enabled());
    }
}
