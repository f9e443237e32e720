package yingyan.adapters.trading;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The part of {@code hub.demo.*} the trading demo centre reads (conf/application-demo.yaml).
 *
 * @param enabled whether the quick start's demo sources run
 * @param tradingPort the loopback port of the demo trading centre (0: any free port)
 * @param dataDir the folder holding {@code trading/<case>/input.json} pages
 */
@ConfigurationProperties("hub.demo")
@Validated
public record TradingDemoProperties(
        @DefaultValue("false") boolean enabled,
        @Min(0) @Max(65535) @DefaultValue("18084") int tradingPort,
        @DefaultValue("test-data") String dataDir) {
}
