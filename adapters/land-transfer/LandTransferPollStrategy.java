package yingyan.adapters.landtransfer;

import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.camel.Consumer;
import org.apache.camel.Endpoint;
import org.apache.camel.spi.PollingConsumerPollStrategy;
import org.apache.camel.util.URISupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import yingyan.ingest.AdapterMonitor;

/**
 * Ties the file and SFTP consumers to the adapter's state: no poll while backing off after a failure (a
 * dead database or SFTP host is not hammered, and a 500 MB file is not hashed again every few seconds),
 * and a drop box that cannot be listed (SFTP host down, credential refused) shows as the adapter's
 * reason in health.
 */
@Component(LandTransferPollStrategy.BEAN)
class LandTransferPollStrategy implements PollingConsumerPollStrategy {
    static final String BEAN = "landTransferPollStrategy";
    private static final Logger log = LoggerFactory.getLogger(LandTransferPollStrategy.class);

    private final AdapterMonitor.AdapterState state;
    private final AtomicBoolean listingFailed = new AtomicBoolean();

    LandTransferPollStrategy(AdapterMonitor monitor) {
        this.state = monitor.state(LandTransferProperties.ADAPTER_ID);
    }

    @Override
    public boolean begin(Consumer consumer, Endpoint endpoint) {
        return state.mayPoll();
    }

    @Override
    public void commit(Consumer consumer, Endpoint endpoint, int polledMessages) {
        if (listingFailed.getAndSet(false)) {
            state.succeeded(0, 0);
        }
    }

    @Override
    public boolean rollback(Consumer consumer, Endpoint endpoint, int retryCounter, Exception cause) {
        String reason = "cannot read the drop box " + URISupport.sanitizeUri(endpoint.getEndpointBaseUri()) + ": "
                + cause.getMessage();
        log.warn("{}", reason);
        listingFailed.set(true);
        state.failed(reason);
        return false; // the next poll comes after the backoff
    }
}
