package yingyan.adapters.housingfund;

import org.apache.camel.builder.RouteBuilder;
import org.springframework.stereotype.Component;

/**
 * {@code housing-fund-source}: a timer that polls the fund centre's tables; starts with the hub when
 * {@code enabled} (otherwise it exists, stopped, and health shows the adapter out of service). The poll
 * never throws; a failing database is a state shown in health while {@link HousingFundSource} backs off.
 * A poll runs on the timer's thread, so the next tick waits until it is done: polls never overlap.
 */
@Component
class HousingFundRoute extends RouteBuilder {
    static final String ROUTE_ID = HousingFundMapper.ADAPTER_ID + "-source";

    private final HousingFundSource source;
    private final HousingFundProperties props;

    HousingFundRoute(HousingFundSource source, HousingFundProperties props) {
        this.source = source;
        this.props = props;
    }

    @Override
    public void configure() {
        from("timer:" + ROUTE_ID + "?period=" + props.pollInterval().toMillis() + "&delay="
                + props.initialDelay().toMillis())
                .routeId(ROUTE_ID)
                .autoStartup(props.enabled())
                .bean(source, "poll");
    }
}
