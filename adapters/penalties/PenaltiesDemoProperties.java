package yingyan.adapters.penalties;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The part of {@code hub.demo.*} the demo penalty service reads (conf/application-demo.yaml).
 *
 * @param enabled whether the quick start's demo sources run
 * @param penaltiesPort the loopback port of the demo penalty service (0: any free port)
 * @param dataDir the folder holding {@code penalties/<case>/input.xml} response envelopes
 */
@ConfigurationProperties("hub.demo")
@Validated
public record PenaltiesDemoProperties(
        @DefaultValue("false") boolean enabled,
        @Min(0) @Max(65535) @DefaultValue("18085") int penaltiesPort,
        @DefaultValue("test-data") String dataDir) {
}
