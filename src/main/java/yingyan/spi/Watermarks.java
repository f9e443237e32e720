package yingyan.spi;

import java.util.Optional;

/**
 * Each adapter's incremental position (a watermark, cursor or file name), as an opaque string the adapter
 * defines, kept by the hub across restarts. Put it only after {@link IngestGateway#submit} returned for the
 * items read up to it: a crash before that re-reads, it never skips.
 */
public interface Watermarks {

    /** The adapter's last put position; empty before the first, or after an operator reset it. */
    Optional<String> get(String adapter);

    void put(String adapter, String position);
}
