package yingyan.adapters.landtransfer;

import org.apache.camel.builder.RouteConfigurationBuilder;
import org.springframework.stereotype.Component;

/**
 * {@code land-transfer-errors}: a failure goes straight back to the file consumer, which then rolls the
 * file back (it and its {@code .ok} stay in the drop folder for a later poll). Nothing is retried in
 * place: re-reading the whole file is the retry, and the adapter's backoff spaces it out.
 */
@Component
class LandTransferErrors extends RouteConfigurationBuilder {
    static final String ID = LandTransferProperties.ADAPTER_ID + "-errors";

    @Override
    public void configuration() {
        routeConfiguration(ID).errorHandler(noErrorHandler());
    }
}
