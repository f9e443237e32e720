package yingyan.adapters.procurement;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.component.file.GenericFile;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import yingyan.canonical.CanonicalTime;
import yingyan.canonical.ResidentIds;
import yingyan.spi.AdapterMonitor;
import yingyan.spi.IngestGateway;
import yingyan.spi.IngestOutcome;
import yingyan.spi.ProcessedFiles;
import yingyan.spi.SourceItem;

/**
 * Processes one export picked up by a {@code procurement-source*} route: skips content already
 * processed (name + size + SHA-256, across restarts), streams the rows to the pipeline in chunks, marks
 * the file processed once every chunk is durably queued or quarantined (a file refused for its header is
 * not marked: it was not processed), and tells the route where to
 * move it ({@link #TARGET}: {@code done}, or {@code failed} for a file with a wrong header). When the
 * pipeline cannot take the rows, it throws: the file stays where it is and is read again on a later
 * poll (rows already queued are then duplicates, which the version rules drop).
 */
@Component
class ProcurementFileProcessor implements Processor {
    /** Header the route's {@code move} option reads: the sub-folder the file goes to once processed. */
    static final String TARGET = "YingyanProcurementTarget";
    static final String DONE = "done";
    static final String FAILED = "failed";
    private static final Logger log = LoggerFactory.getLogger(ProcurementFileProcessor.class);

    private final ProcessedFiles processed;
    private final IngestGateway gateway;
    private final AdapterMonitor.AdapterState state;
    private final int chunkSize;

    ProcurementFileProcessor(ProcessedFiles processed, IngestGateway gateway, AdapterMonitor monitor,
                             ProcurementProperties props) {
        this.processed = processed;
        this.gateway = gateway;
        this.state = monitor.state(ProcurementProperties.ADAPTER_ID);
        this.chunkSize = props.chunkSize();
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        GenericFile<?> file = exchange.getIn().getBody(GenericFile.class);
        String name = file.getFileNameOnly();
        try {
            Path path = localPath(exchange, file);
            ProcessedFiles.FileKey local = ProcessedFiles.keyOf(path);
            ProcessedFiles.FileKey key = new ProcessedFiles.FileKey(name, local.size(), local.sha256());
            if (processed.isProcessed(ProcurementProperties.ADAPTER_ID, key)) {
                log.info("procurement export {} ({} bytes, sha256 {}) was processed before; moving it to {}/",
                        ResidentIds.maskAll(name), key.size(), key.sha256(), DONE);
                exchange.getIn().setHeader(TARGET, DONE);
                state.succeeded(0, 0);
                return;
            }
            Totals t = ingest(path, name);
            String target = t.summary.headerRejected() ? FAILED : DONE;
            if (!t.summary.headerRejected()) {
                processed.markProcessed(ProcurementProperties.ADAPTER_ID, key, t.queued, t.quarantined);
            }
            // A rejected file is not marked: dropped again, it is rejected again (its one quarantine entry
            // counts the occurrence) and goes to failed/ again rather than passing as done.
            exchange.getIn().setHeader(TARGET, target);
            log.info("procurement export {}: {} rows, {} queued, {} quarantined, {} empty lines skipped; moving it"
                    + " to {}/", ResidentIds.maskAll(name), t.summary.rows(), t.queued, t.quarantined, t.summary.blankLines(), target);
            state.succeeded(0, 0);
        } catch (IOException | RuntimeException e) {
            // The file stays in place and is read again on a later poll; health shows why meanwhile.
            // the file name and the message (a parser quoting a line) may hold the department's data
            String reason = ResidentIds.maskAll("export " + name + " could not be processed: "
                    + e.getClass().getSimpleName() + ": " + e.getMessage());
            log.warn("procurement {}; it stays for the next poll", reason);
            state.failed(reason);
            throw e;
        }
    }

    /**
     * A backfill reads an archived export again: its rows go through the pipeline as on the first read,
     * without the processed-file check (already stored rows come back as counted duplicates). The origin
     * names the archived file.
     */
    void reread(Path archived) throws IOException {
        Totals t = ingest(archived, archived.getFileName().toString());
        log.info("procurement export {} read again (backfill): {} rows, {} queued, {} quarantined",
                ResidentIds.maskAll(archived.getFileName().toString()), t.summary.rows(), t.queued, t.quarantined);
    }

    private Totals ingest(Path path, String name) throws IOException {
        Totals t = new Totals();
        List<SourceItem> chunk = new ArrayList<>(chunkSize);
        // fetchedAt is to the millisecond at most (canonical v1)
        OffsetDateTime fetchedAt = OffsetDateTime.now(CanonicalTime.BEIJING).truncatedTo(ChronoUnit.MILLIS);
        try (InputStream in = Files.newInputStream(path)) {
            t.summary = ProcurementExport.read(in, name, fetchedAt, item -> {
                chunk.add(item);
                if (chunk.size() >= chunkSize) {
                    t.add(gateway.submit(List.copyOf(chunk)));
                    chunk.clear();
                }
            });
        }
        t.add(gateway.submit(List.copyOf(chunk)));
        return t;
    }

    /** The file as a local path: the dropped file itself, or an SFTP file's download in the work folder. */
    private static Path localPath(Exchange exchange, GenericFile<?> file) {
        Object body = file.getBody();
        if (body instanceof File f) {
            return f.toPath();
        }
        String local = exchange.getIn().getHeader(Exchange.FILE_LOCAL_WORK_PATH, String.class);
        if (local != null) {
            return Path.of(local);
        }
        if (file.getFile() instanceof File f) {
            return f.toPath();
        }
        throw new UncheckedIOException(new IOException("no local copy of " + file.getFileName()
                + " (an SFTP endpoint needs localWorkDirectory)"));
    }

    /** Running totals of one file; progress is reported per chunk so a long file shows as it goes. */
    private final class Totals {
        long queued;
        long quarantined;
        ProcurementExport.Summary summary;

        void add(IngestOutcome o) {
            queued += o.queued();
            quarantined += o.quarantined();
            state.progressed(o.queued(), o.quarantined());
        }
    }
}
