package yingyan.adapters.housingfund;

import org.apache.camel.builder.RouteBuilder;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Component;

/**
 * {@code housing-fund-source}: a timer that polls the fund centre's tables. The poll itself never
 * throws; a failing database is a state shown in health while {@link HousingFundSource} backs off.
 */
@Component
@ConditionalOnProperty(prefix = "hub.adapters.housing-fund", name = "enabled", havingValue = "true")
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
                .bean(source, "poll");
    }
}
