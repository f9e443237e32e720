package yingyan.spi;

import java.time.OffsetDateTime;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import yingyan.canonical.MaskedException;
import yingyan.canonical.ResidentIds;

/**
 * Base of the adapters that poll their source on a timer: skips polls while backing off after a
 * failure, reports every outcome to the {@link AdapterMonitor}, and never lets an exception escape
 * into the timer (a failing source is a state shown in health, not a crash loop).
 *
 * <p>A backfill ({@link Backfillable}) is the same polling run on the backfill's thread: the position is
 * moved back under the poll lock (a timer poll in flight would otherwise store its own position over it),
 * then the adapter is polled, each poll under the same lock as the timer's, until {@link #caughtUp()}.
 * An adapter opts in by overriding {@link #rewindTo}.
 */
public abstract class PollingSource implements Backfillable {
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
            pollReported();
        } catch (RuntimeException alreadyReported) {
            // a failing source is a state in health (reported above), not an exception in the timer
        }
    }

    /** One poll whose outcome goes to the monitor; a failure is reported and thrown on. */
    private IngestOutcome pollReported() {
        state.pollStarted();
        try {
            IngestOutcome o = pollOnce();
            state.succeeded(o.queued(), o.quarantined());
            return o;
        } catch (SourceFailure e) {
            // a source's own words may quote its data: masked in the log line and in health alike
            String reason = ResidentIds.maskAll(e.getMessage());
            log.warn("{} poll failed: {}", state.adapter(), reason);
            state.failed(reason);
            throw e;
        } catch (RuntimeException e) {
            log.warn("{} poll failed", state.adapter(), MaskedException.of(e));
            state.failed(ResidentIds.maskAll(e.getClass().getSimpleName() + ": " + e.getMessage()));
            throw e;
        }
    }

    /** The adapter this source reads for (backfill and "poll now" find its source by it). */
    @Override
    public String adapterId() {
        return state.adapter();
    }

    @Override
    public final Run rewind(OffsetDateTime since) {
        OffsetDateTime from;
        synchronized (this) {
            from = rewindTo(since);
        }
        return new Run() {
            @Override
            public OffsetDateTime from() {
                return from;
            }

            @Override
            public void readToEnd() {
                do {
                    if (Thread.currentThread().isInterrupted()) {
                        throw new SourceFailure("the backfill was stopped (the hub is shutting down)");
                    }
                    synchronized (PollingSource.this) {
                        pollReported(); // regardless of a backoff: an operator asked for it now
                    }
                } while (!caughtUp());
            }

            @Override
            public OffsetDateTime position() {
                return readPosition();
            }
        };
    }

    /**
     * Moves the stored read position back to {@code since} for a backfill (never forward) and returns
     * where reading will start. Runs under the poll lock. The default refuses: the adapter has not said
     * how a time maps onto its position.
     *
     * @throws Backfillable.Refused when a time cannot be mapped onto this source's position
     */
    protected OffsetDateTime rewindTo(OffsetDateTime since) {
        throw new Backfillable.Refused("backfill is not supported by the " + adapterId() + " adapter");
    }

    /** Whether the last poll reached the end of the source (a poll may stop early at a per-poll limit). */
    protected boolean caughtUp() {
        return true;
    }

    /** The stored read position as a source time, for a backfill's progress; null when not known. */
    protected OffsetDateTime readPosition() {
        return null;
    }

    /**
     * Reads what is new, submits it through {@link IngestGateway} and advances the watermark after each
     * durably queued chunk. Returns the totals of the poll.
     *
     * @throws SourceFailure with a reason a person can act on when the source cannot be read
     */
    protected abstract IngestOutcome pollOnce();

    protected AdapterMonitor.AdapterState state() {
        return state;
    }

    /**
     * Shows how far the poll under way got (board, health, {@code yingyan status}): the poll's figures so far
     * and where in the source it reads. Call it after each chunk is submitted.
     */
    protected void progressed(long read, long queued, long quarantined, String position) {
        state.pollProgressed(read, queued, quarantined, position);
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
