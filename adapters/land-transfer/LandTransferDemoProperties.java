package yingyan.adapters.landtransfer;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The part of {@code hub.demo.*} the land-transfer demo feeder reads (conf/application-demo.yaml).
 *
 * @param enabled whether the quick start's demo sources run
 * @param dataDir the folder holding {@code land-transfer/<case>/input.xml}
 */
@ConfigurationProperties("hub.demo")
public record LandTransferDemoProperties(
        @DefaultValue("false") boolean enabled,
        @DefaultValue("test-data") String dataDir) {
}
