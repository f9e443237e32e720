package yingyan.adapters.approvals;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The part of {@code hub.demo.*} the approvals demo server reads (conf/application-demo.yaml).
 *
 * @param enabled whether the quick start's demo sources run
 * @param approvalsPort the loopback port of the approvals demo API (0: any free port)
 * @param dataDir the folder holding {@code approvals/<case>/input.json} pages
 */
@ConfigurationProperties("hub.demo")
@Validated
public record ApprovalsDemoProperties(
        @DefaultValue("false") boolean enabled,
        @Min(0) @Max(65535) @DefaultValue("18081") int approvalsPort,
        @DefaultValue("test-data") String dataDir) {
}
