package yingyan.supervision.alerts;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The alert engine ({@code hub.supervision.alerts.*}, docs/supervision.md): the follower that evaluates each
 * applied version, the clock that re-runs deadline rules, and re-evaluation jobs after a rule changed.
 *
 * @param enabled         whether the two routes (supervision-follow, supervision-clock) start at all
 * @param followInterval  how often the follower looks for versions applied since its position; an applied
 *                        version's rules run at most this long after its commit
 * @param followPage      records evaluated per follower transaction
 * @param clockInterval   how often the clock re-runs the time-dependent rules over open cases (besides 00:00
 *                        Beijing time after every working day)
 * @param clockCheck      how often the clock route looks whether a pass is due (the 00:00 pass starts at most
 *                        this late)
 * @param clockPage       open cases read and evaluated per page of a clock pass (paged by record id)
 * @param jobPage         records per page of a re-evaluation job (its position is saved after every page)
 * @param jobPagesPerTick pages of a re-evaluation job done per follower tick, so new versions are not held up
 */
@ConfigurationProperties("hub.supervision.alerts")
@Validated
public record AlertProperties(
        @DefaultValue("true") boolean enabled,
        @DefaultValue("1s") Duration followInterval,
        @DefaultValue("500") @Min(1) @Max(10000) int followPage,
        @DefaultValue("10m") Duration clockInterval,
        @DefaultValue("30s") Duration clockCheck,
        @DefaultValue("2000") @Min(1) @Max(20000) int clockPage,
        @DefaultValue("500") @Min(1) @Max(10000) int jobPage,
        @DefaultValue("20") @Min(1) int jobPagesPerTick) {
}
