package yingyan.adapters.trading;

import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * {@code hub.adapters.trading.*}: how the hub reads Trading's system. Every key is documented in
 * adapters/trading/README.md; the values live in conf/application.yaml.
 *
 * @param enabled whether the source route starts with the hub
 * @param pollInterval time between two polls
 * @param overlap how far before the watermark each poll starts again (late commits)
 */
@ConfigurationProperties("hub.adapters.trading")
@Validated
public record TradingProperties(
        @DefaultValue("true") boolean enabled,
        @NotNull @DefaultValue("60s") Duration pollInterval,
        @NotNull @DefaultValue("90s") Duration overlap) {

    /** The adapter id: {@code source.system}, the watermark key, the quarantine's adapter. */
    public static final String ADAPTER_ID = "trading";
}
