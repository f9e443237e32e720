package yingyan.adapters.procurement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import org.apache.camel.Exchange;
import org.apache.camel.component.file.GenericFile;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import yingyan.canonical.ResidentIds;
import yingyan.spi.AdapterMonitor;

/**
 * An export that cannot be processed stays for the next poll, and the log and health say why: the file name (a
 * department may name an export after a person) and the exception's message reach both masked.
 */
@ExtendWith(OutputCaptureExtension.class)
class ProcurementFailureMaskingTest {

    @Test
    void anExportThatCannotBeReadIsLoggedAndShownMasked(@TempDir Path dir, CapturedOutput output) throws Exception {
        AdapterMonitor monitor = new AdapterMonitor();
        ProcurementFileProcessor processor = new ProcurementFileProcessor(null, null, monitor,
                new ProcurementProperties(true, dir.toString(), Duration.ofSeconds(10), 500, "", "", "", "",
                        dir.toString()));
        File gone = dir.resolve("申报_110105-19491231-002X.csv").toFile(); // listed, then removed before the read
        GenericFile<File> file = new GenericFile<>();
        file.setFile(gone);
        file.setBody(gone);
        file.setFileNameOnly(gone.getName());
        file.setFileName(gone.getName());
        Exchange exchange = new DefaultExchange(new DefaultCamelContext());
        exchange.getIn().setBody(file);

        assertThatThrownBy(() -> processor.process(exchange)).isInstanceOf(IOException.class);

        assertThat(monitor.state(ProcurementProperties.ADAPTER_ID).lastError())
                .startsWith("export 申报_110105********002X.csv could not be processed: NoSuchFileException: ")
                .contains("110105********002X");
        assertThat(output.getAll()).contains("procurement export 申报_110105********002X.csv could not be processed");
        assertThat(ResidentIds.findClear(output.getAll())).as("clear IDs in the log").isEmpty();
        assertThat(ResidentIds.findClear(monitor.state(ProcurementProperties.ADAPTER_ID).lastError())).isEmpty();
    }
}
