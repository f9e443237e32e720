package yingyan.adapters.housingfund;

import org.springframework.stereotype.Component;
import yingyan.spi.PollingSourceRoute;

/** {@code housing-fund-source}: polls the fund centre's tables every poll interval (see {@link PollingSourceRoute}). */
@Component
class HousingFundRoute extends PollingSourceRoute {
    static final String ROUTE_ID = routeId(HousingFundMapper.ADAPTER_ID);

    HousingFundRoute(HousingFundProperties props, HousingFundSource source) {
        super(HousingFundMapper.ADAPTER_ID, source, props.pollInterval(), props.initialDelay(), props.enabled());
    }
}
