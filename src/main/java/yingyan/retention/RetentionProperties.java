package yingyan.retention;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * What the hub deletes once it is old and settled ({@code hub.retention.*}); the retention route runs it.
 * Nothing pending, owed to the province, open in quarantine or part of the history's hash chain is ever
 * deleted, whatever these say.
 *
 * @param enabled            whether the retention route runs at all
 * @param interval           how often it runs (the first run comes one interval after the start)
 * @param provinceBatchBody  how long after it was answered (or split, or released) a province batch keeps its
 *                           body; the batch row itself stays
 * @param provinceDelivery   how long a settled delivery-ledger row (ACCEPTED, SUPERSEDED, or REJECTED with a newer
 *                           version of its record) is kept after it settled
 * @param processedFile      how long a processed drop-folder file is remembered (an older file dropped again is
 *                           read again, and its records count as duplicates)
 * @param releasedQuarantine how long a released quarantine entry, with its encrypted raw payload, is kept after
 *                           its release; open entries are kept until released
 * @param chunkSize          rows deleted per transaction, so a first run over years of rows holds no long locks
 */
@ConfigurationProperties("hub.retention")
@Validated
public record RetentionProperties(
        @DefaultValue("true") boolean enabled,
        @DefaultValue("1h") Duration interval,
        @DefaultValue("30d") Duration provinceBatchBody,
        @DefaultValue("180d") Duration provinceDelivery,
        @DefaultValue("180d") Duration processedFile,
        @DefaultValue("90d") Duration releasedQuarantine,
        @DefaultValue("10000") @Min(100) @Max(1000000) int chunkSize) {
}
