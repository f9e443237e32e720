package yingyan.adapters.landtransfer;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.camel.Consumer;
import org.apache.camel.Endpoint;
import org.apache.camel.spi.PollingConsumerPollStrategy;
import org.apache.camel.util.URISupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import yingyan.spi.AdapterMonitor;

/**
 * Spaces out the polls of the file and SFTP consumers after failures, and reports them to the adapter's
 * state (health). Two kinds of backoff, 5 s doubling up to 5 min:
 * <ul>
 *   <li>processing a file failed (database or broker down): no drop box is polled until the backoff has
 *       passed, so a 500 MB file is not hashed again every few seconds;</li>
 *   <li>a drop box could not be listed (SFTP host down, credential refused): only that drop box waits;
 *       the local folder goes on.</li>
 * </ul>
 */
@Component(LandTransferPollStrategy.BEAN)
class LandTransferPollStrategy implements PollingConsumerPollStrategy {
    static final String BEAN = "landTransferPollStrategy";
    private static final Logger log = LoggerFactory.getLogger(LandTransferPollStrategy.class);

    private final AdapterMonitor.AdapterState state;
    private final Backoff processing = new Backoff();
    private final Map<String, Backoff> listing = new ConcurrentHashMap<>();

    LandTransferPollStrategy(AdapterMonitor monitor) {
        this.state = monitor.state(LandTransferProperties.ADAPTER_ID);
    }

    @Override
    public boolean begin(Consumer consumer, Endpoint endpoint) {
        return processing.mayTry() && listing(endpoint).mayTry();
    }

    @Override
    public void commit(Consumer consumer, Endpoint endpoint, int polledMessages) {
        if (listing(endpoint).reset()) {
            log.info("drop box {} readable again", name(endpoint));
            state.succeeded(0, 0);
        }
    }

    @Override
    public boolean rollback(Consumer consumer, Endpoint endpoint, int retryCounter, Exception cause) {
        String reason = "cannot read the drop box " + name(endpoint) + ": " + cause.getMessage();
        log.warn("{}", reason);
        listing(endpoint).failed();
        state.failed(reason);
        return false; // the next poll comes after the backoff
    }

    /** A file could not be processed: it stays, and no drop box is polled before the backoff has passed. */
    void processingFailed() {
        processing.failed();
    }

    void processingSucceeded() {
        processing.reset();
    }

    private Backoff listing(Endpoint endpoint) {
        return listing.computeIfAbsent(endpoint.getEndpointBaseUri(), k -> new Backoff());
    }

    private static String name(Endpoint endpoint) {
        return URISupport.sanitizeUri(endpoint.getEndpointBaseUri());
    }

    /** Exponential backoff after consecutive failures. */
    static final class Backoff {
        private static final Duration MIN = Duration.ofSeconds(5);
        private static final Duration MAX = Duration.ofMinutes(5);
        private int failures;
        private Instant next = Instant.EPOCH;

        synchronized boolean mayTry() {
            return !Instant.now().isBefore(next);
        }

        synchronized void failed() {
            failures++;
            long seconds = Math.min(MAX.toSeconds(), MIN.toSeconds() << Math.min(16, failures - 1));
            next = Instant.now().plusSeconds(seconds);
        }

        /** @return whether it was failing */
        synchronized boolean reset() {
            boolean was = failures > 0;
            failures = 0;
            next = Instant.EPOCH;
            return was;
        }
    }
}
