package yingyan.ingest;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Base of the adapters that poll their source on a timer: skips polls while backing off after a
 * failure, reports every outcome to the {@link AdapterMonitor}, and never lets an exception escape
 * into the timer (a failing source is a state shown in health, not a crash loop).
 */
public abstract class PollingSource {
    private final Logger log = LoggerFactory.getLogger(getClass());
    private final AdapterMonitor.AdapterState state;

    protected PollingSource(AdapterMonitor monitor, String adapterId) {
        this.state = monitor.state(adapterId);
    }

    /** Called by the adapter's source route on each timer tick. */
    public final synchronized void poll() {
        if (!state.mayPoll()) {
            return;
        }
        try {
            IngestOutcome o = pollOnce();
            state.succeeded(o.queued(), o.quarantined());
        } catch (SourceFailure e) {
            log.warn("{} poll failed: {}", state.adapter(), e.getMessage());
            state.failed(e.getMessage());
        } catch (RuntimeException e) {
            log.warn("{} poll failed", state.adapter(), e);
            state.failed(e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    /**
     * Reads what is new, submits it through {@link IngestGateway} and advances the watermark after each
     * durably queued chunk. Returns the totals of the poll.
     *
     * @throws SourceFailure with a reason a person can act on when the source cannot be read
     */
    protected abstract IngestOutcome pollOnce();

    /** The adapter this source reads for ("poll now" finds its source by it). */
    public String adapterId() {
        return state.adapter();
    }

    protected AdapterMonitor.AdapterState state() {
        return state;
    }

    /** The source could not be read; the message says why in words an operator can act on. */
    public static class SourceFailure extends RuntimeException {
        public SourceFailure(String message) {
            super(message);
        }

        public SourceFailure(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
