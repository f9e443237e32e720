package yingyan.adapters.approvals;

import org.apache.camel.builder.RouteBuilder;
import org.springframework.stereotype.Component;

/**
 * {@code approvals-source}: a timer that polls the approval system every
 * {@code hub.adapters.approvals.poll-interval}; starts with the hub when {@code enabled}. The poll never
 * throws into the timer (a failing source is shown in health and backs off), so no error handler here.
 */
@Component
class ApprovalsRoute extends RouteBuilder {
    static final String ROUTE_ID = ApprovalsProperties.ADAPTER_ID + "-source";

    private final ApprovalsProperties props;
    private final ApprovalsSource source;

    ApprovalsRoute(ApprovalsProperties props, ApprovalsSource source) {
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
