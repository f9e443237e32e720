package yingyan.spi;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import yingyan.canonical.ResidentIds;

/**
 * A failed poll's reason often quotes the source's data (an API's error body, a driver's refusal, a parser's line):
 * the log line, its stack trace and the reason health and the console show carry any resident ID masked.
 */
@ExtendWith(OutputCaptureExtension.class)
class PollingSourceMaskingTest {
    private final AdapterMonitor monitor = new AdapterMonitor();

    @Test
    void aSourceFailureIsLoggedAndShownMasked(CapturedOutput output) {
        poller("refusing", new PollingSource.SourceFailure(
                "the approvals API answered 422: applicant 110105 19491231 002X is not on file")).poll();

        assertThat(monitor.state("refusing").lastError())
                .isEqualTo("the approvals API answered 422: applicant 110105********002X is not on file");
        assertThat(output.getAll()).contains("refusing poll failed: the approvals API answered 422: applicant"
                + " 110105********002X");
        assertThat(ResidentIds.findClear(output.getAll())).as("clear IDs in the log").isEmpty();
    }

    @Test
    void anUnexpectedExceptionIsLoggedWithItsStackTraceAndShownMasked(CapturedOutput output) {
        poller("crashing", new IllegalArgumentException("cannot parse row 440524188001010014",
                new UncheckedIOException(new IOException("legacy 370702850315001")))).poll();

        assertThat(monitor.state("crashing").lastError())
                .isEqualTo("IllegalArgumentException: cannot parse row 440524********0014");
        assertThat(output.getAll()).contains("crashing poll failed",
                "java.lang.IllegalArgumentException: cannot parse row 440524********0014",
                "java.io.IOException: legacy 370702*****5001", "at yingyan.spi.PollingSourceMaskingTest");
        assertThat(ResidentIds.findClear(output.getAll())).as("clear IDs in the log").isEmpty();
    }

    private PollingSource poller(String adapter, RuntimeException failure) {
        return new PollingSource(monitor, adapter) {
            @Override
            protected IngestOutcome pollOnce() {
                throw failure;
            }
        };
    }
}
