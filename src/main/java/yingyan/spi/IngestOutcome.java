package yingyan.spi;

import java.util.List;

/**
 * What one submitted batch came to: how many records were durably queued and which items went to
 * quarantine. Returned only once the queueing is durable.
 */
public record IngestOutcome(int queued, int quarantined, List<String> queuedRecordIds, List<String> reasons) {
    public static IngestOutcome empty() {
        return new IngestOutcome(0, 0, List.of(), List.of());
    }
}
