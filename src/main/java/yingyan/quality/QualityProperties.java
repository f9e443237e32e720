package yingyan.quality;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;
import yingyan.canonical.Status;

/**
 * Reporting quality ({@code hub.quality.*}, supervision.md §5).
 *
 * @param indexEnabled  whether the {@code quality-index} route keeps {@code quality_version} up with the history
 *                      on its own (off: only a read of {@code /api/v1/quality} brings it up to date)
 * @param indexInterval how often the {@code quality-index} route counts the versions applied since its last run
 * @param indexChunk    versions counted per transaction (each chunk reads that many canonical bodies)
 * @param catchUpOnRead at most this many versions not counted yet are counted before a read of
 *                      {@code /api/v1/quality} answers; beyond it the answer says how many are still to come
 *                      ({@code versionsNotYetCounted}) instead of keeping the caller waiting
 * @param expectations  per {@code source.system}: the steps and fields its department's contract provides
 *                      (docs/contracts/departments/*.md), each expected of every record or only of records in
 *                      the listed statuses; a record without one of them counts as incomplete. An item is a
 *                      step name (RECEIVED, ACCEPTED, ...), {@code limits.legalWorkingDays},
 *                      {@code limits.promisedWorkingDays}, {@code party}, or {@code amount:<KIND>}. A source not
 *                      listed is expected to carry nothing
 */
@ConfigurationProperties("hub.quality")
@Validated
public record QualityProperties(
        @DefaultValue("true") boolean indexEnabled,
        @DefaultValue("30s") Duration indexInterval,
        @DefaultValue("1000") @Min(1) @Max(10000) int indexChunk,
        @DefaultValue("20000") @Min(0) int catchUpOnRead,
        Map<String, List<Expectation>> expectations) {

    public QualityProperties {
        expectations = expectations == null ? Map.of() : expectations;
    }

    /**
     * One step or field a source's contract provides.
     *
     * @param item     a step name, {@code limits.legalWorkingDays}, {@code limits.promisedWorkingDays},
     *                 {@code party} or {@code amount:<KIND>}
     * @param statuses the record statuses it is expected in; empty: every status
     */
    public record Expectation(String item, List<Status> statuses) {
        public Expectation {
            statuses = statuses == null ? List.of() : List.copyOf(statuses);
        }
    }
}
