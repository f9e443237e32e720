package yingyan.console;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The console and the hub's own gauges ({@code hub.console.*}).
 *
 * @param statsMaxAge        how old the board's database figures (flow, lag, quarantine, what the province is
 *                           owed) may be before they are read again: many open consoles and a scrape storm cost
 *                           one read per this interval, not one per request
 * @param ledgerTotalsMaxAge the same for the whole-ledger counts (accepted, rejected), which scan the ledger
 * @param flowRetention      how long the per-minute flow ({@code flow_minute}) is kept
 * @param chartMinutes       the minutes a flow chart covers unless asked otherwise
 */
@ConfigurationProperties("hub.console")
@Validated
public record ConsoleProperties(
        @DefaultValue("2s") Duration statsMaxAge,
        @DefaultValue("60s") Duration ledgerTotalsMaxAge,
        @DefaultValue("7d") Duration flowRetention,
        @DefaultValue("180") @Min(10) @Max(10080) int chartMinutes) {
}
