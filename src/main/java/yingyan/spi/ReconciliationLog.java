package yingyan.spi;

import java.time.OffsetDateTime;
import java.util.Optional;

/** The last reconciliation run of each adapter that runs one, kept by the hub so every node shows the same. */
public interface ReconciliationLog {

    /**
     * One run's figures.
     *
     * @param checked rows of the source compared with what the hub holds
     * @param missing of those, rows the hub did not hold in that content (a watermark missed them)
     * @param reread  of the missing, rows read again and queued
     * @param error   why the run stopped early, null when it went to the end
     */
    record Run(String adapter, OffsetDateTime startedAt, OffsetDateTime finishedAt, long checked, long missing,
               long reread, String error) {
    }

    Optional<Run> last(String adapter);

    /** Replaces the adapter's last run (an error longer than 1000 characters is cut). */
    void record(Run run);
}
