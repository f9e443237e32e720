package yingyan.spi;

import java.util.List;

/**
 * How an adapter hands over what it read. {@link #submit} returns only once the good records are durably
 * queued and the bad ones are in quarantine, so the adapter may then advance its watermark; it throws
 * {@link IngestException} when that could not be done. It may also wait until the hub has room for the
 * adapter's next batch, which is how a busy hub slows its sources down.
 */
public interface IngestGateway {

    IngestOutcome submit(List<SourceItem> items);

    /** The batch is not durably queued: the adapter must not advance past it. */
    class IngestException extends RuntimeException {
        public IngestException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
