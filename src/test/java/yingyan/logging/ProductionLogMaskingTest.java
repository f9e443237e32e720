package yingyan.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import ch.qos.logback.core.status.Status;
import java.io.IOException;
import java.net.URL;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.Logger;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import yingyan.canonical.ResidentIds;

/**
 * The production log configuration (src/main/resources/logback-spring.xml, which Spring Boot picks when no
 * logback.xml is there; the tests log through logback-test.xml) masks a resident ID of any shape that a log call
 * forgot to mask, in the message and in the stack trace, and leaves the rest of the line alone.
 */
@ExtendWith(OutputCaptureExtension.class)
class ProductionLogMaskingTest {

    @Test
    void aLogLineCarryingAnyIdShapeComesOutMasked(CapturedOutput output) throws Exception {
        URL config = getClass().getResource("/logback-spring.xml");
        assertThat(config).as("the production log configuration").isNotNull();
        LoggerContext context = new LoggerContext();
        context.setMDCAdapter(new LogbackMDCAdapter()); // a context of its own, not the tests' (logback-test.xml)
        JoranConfigurator joran = new JoranConfigurator();
        joran.setContext(context);
        joran.doConfigure(config);
        Logger log = context.getLogger("yingyan.ingest.Example");
        try {
            log.warn("row of 11010519491231002X | 110105 19491231 002X | 110105-19491231-002x | 旧证 110105491231002"
                    + " | 补录 37078519880808006 | 全角 ３７０７８５１９８８０８０８００６９ | sha256 "
                    + "53e508df9478806906095050f5b2be59fc185e8da8dc5b9441b7172d126c6354 | at 2026-12-04 12:30:45");
            log.error("could not read {}", "申报_440524188001010014.csv", new IllegalStateException(
                    "bad line: 370785-19880808-0069", new IOException("cause quotes 370702 19850315 0010")));
        } finally {
            context.stop();
        }
        assertThat(context.getStatusManager().getCopyOfStatusList()).as("the configuration's and appender's complaints")
                .filteredOn(s -> s.getLevel() >= Status.WARN).extracting(Status::getMessage).isEmpty();

        String out = output.getAll();
        assertThat(out).contains("row of 110105********002X | 110105********002X | 110105********002x"
                + " | 旧证 110105*****1002 | 补录 370785*******8006 | 全角 370785********0069 | sha256 "
                + "53e508df9478806906095050f5b2be59fc185e8da8dc5b9441b7172d126c6354 | at 2026-12-04 12:30:45");
        assertThat(out).contains("WARN", "yingyan.ingest.Example", "could not read 申报_440524********0014.csv",
                "java.lang.IllegalStateException: bad line: 370785********0069",
                "Caused by: java.io.IOException: cause quotes 370702********0010",
                "at yingyan.logging.ProductionLogMaskingTest.aLogLineCarryingAnyIdShapeComesOutMasked");
        assertThat(ResidentIds.findClear(out)).as("clear IDs in the log (there should be none)").isEmpty();
    }
}
