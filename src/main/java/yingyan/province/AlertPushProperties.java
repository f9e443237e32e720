package yingyan.province;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Pushing alerts to the province ({@code hub.province.alerts.*} in conf/application.yaml; docs/province.md,
 * "Alerts"). The province's address, secret, region, timeouts and the one quota are {@code hub.province.*}'s;
 * the backoff and the breaker are the alert push's own, so a failing alert endpoint never holds up records.
 *
 * @param enabled                 whether the {@code province-alert-push} route runs (only on the hub that reports
 *                                the records upward: a county hub's alerts stay on its own console and feed)
 * @param batchMaxAlerts          at most this many alerts per batch (contract: 500)
 * @param batchMaxBytes           at most this many body bytes per batch (contract: 5 MB)
 * @param pollInterval            how often the alert push looks for new alert events
 * @param initialBackoff          first wait before resending an alert batch whose fate is unknown
 * @param maxBackoff              cap of the exponential backoff and of a province's Retry-After
 * @param stuckAfterAttempts      an alert batch still unanswered after this many attempts is shown as stuck
 * @param breakerFailureThreshold consecutive failed attempts that open the alert push's circuit breaker
 * @param breakerOpenFor          how long its open breaker sends nothing before one probe
 */
@ConfigurationProperties("hub.province.alerts")
@Validated
public record AlertPushProperties(
        @DefaultValue("false") boolean enabled,
        @DefaultValue("500") @Min(1) @Max(500) int batchMaxAlerts,
        @DefaultValue("5000000") @Min(1024) @Max(5000000) long batchMaxBytes,
        @DefaultValue("1s") Duration pollInterval,
        @DefaultValue("1s") Duration initialBackoff,
        @DefaultValue("5m") Duration maxBackoff,
        @DefaultValue("10") @Min(1) int stuckAfterAttempts,
        @DefaultValue("5") @Min(1) int breakerFailureThreshold,
        @DefaultValue("60s") Duration breakerOpenFor) {
}
