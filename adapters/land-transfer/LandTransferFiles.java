package yingyan.adapters.landtransfer;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.ServiceStatus;
import org.apache.camel.component.file.GenericFile;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import yingyan.canonical.CanonicalTime;
import yingyan.canonical.ResidentIds;
import yingyan.spi.AdapterMonitor;
import yingyan.spi.IngestGateway;
import yingyan.spi.IngestOutcome;
import yingyan.spi.Payloads;
import yingyan.spi.ProcessedFiles;
import yingyan.spi.Quarantine;
import yingyan.spi.SourceItem;

/**
 * Processes one export file handed over by a source route (local folder or SFTP drop box). Order of
 * things, which is what makes a file count exactly once:
 * <ol>
 *   <li>hash it and look for a DOCTYPE (one streaming pass); a file already processed (same name, size and
 *       SHA-256) is not read again;</li>
 *   <li>stream its Transfers to the ingest route in chunks; every chunk returns only once durably queued;</li>
 *   <li>mark it processed; only then does the route move it to {@code done/} or {@code failed/}.</li>
 * </ol>
 * A failure on the way (database or broker down, the hub stopping) throws: the route leaves the file and
 * its {@code .ok} where they are and the next poll reads the whole file again; what was already stored is
 * dropped by the version rules, and bad Transfers already quarantined are counted again, not duplicated.
 */
@Component
class LandTransferFiles implements Processor {
    /** Exchange property read by the route's {@code move}: {@code done} or {@code failed}. */
    static final String ARCHIVE = "landTransferArchive";
    private static final Logger log = LoggerFactory.getLogger(LandTransferFiles.class);
    private static final String LOCAL_WORK_PATH = "CamelFileLocalWorkPath";

    private final LandTransferProperties props;
    private final IngestGateway gateway;
    private final ProcessedFiles processed;
    private final Quarantine quarantine;
    private final AdapterMonitor.AdapterState state;
    private final CamelContext camel;
    private final LandTransferPollStrategy polls;
    private final ExportReader reader;

    LandTransferFiles(LandTransferProperties props, IngestGateway gateway, ProcessedFiles processed,
                      Quarantine quarantine, AdapterMonitor monitor, CamelContext camel,
                      LandTransferPollStrategy polls) {
        this.props = props;
        this.gateway = gateway;
        this.processed = processed;
        this.quarantine = quarantine;
        this.state = monitor.state(LandTransferProperties.ADAPTER_ID);
        this.camel = camel;
        this.polls = polls;
        this.reader = new ExportReader(LandTransferProperties.ADAPTER_ID, props.maxTransferSize().toBytes());
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        String name = exchange.getIn().getHeader(Exchange.FILE_NAME_ONLY, String.class);
        Path file = localPath(exchange);
        String routeId = exchange.getFromRouteId();
        try {
            boolean failed = process(file, name, routeId, false);
            exchange.setProperty(ARCHIVE, failed ? "failed" : "done");
            polls.processingSucceeded();
            state.succeeded(0, 0); // the counts were reported chunk by chunk
        } catch (Stopping e) {
            log.warn("{}: the hub is stopping halfway through the file; it stays in the drop folder and is read"
                    + " again from the start on the next start", name);
            throw e;
        } catch (Exception e) {
            String reason = name + " could not be processed and stays in the drop folder (read again on a later"
                    + " poll): " + ResidentIds.maskAll(e.getClass().getSimpleName() + ": " + e.getMessage());
            log.warn("{}", reason);
            polls.processingFailed();
            state.failed(reason);
            throw e;
        }
    }

    /**
     * @param reread a backfill reading an archived file again: the processed-file check is skipped (the
     *        version rules count what is already stored as duplicates)
     * @return whether the file goes to failed/
     */
    boolean process(Path file, String name, String routeId, boolean reread) throws IOException {
        long started = System.nanoTime();
        ExportScan scan = ExportScan.of(file, name);
        if (!reread && processed.isProcessed(LandTransferProperties.ADAPTER_ID, scan.key())) {
            log.info("{}: already processed (same name, size and SHA-256), not read again", name);
            return false;
        }
        Chunks chunks = new Chunks(name, routeId);
        ExportReader.Result result = reader.read(file, name, scan, OffsetDateTime.now(CanonicalTime.BEIJING), chunks);
        chunks.flush();
        processed.markProcessed(LandTransferProperties.ADAPTER_ID, scan.key(), chunks.queued,
                chunks.quarantined + result.problems());
        log.info("{}: {} Transfers read, {} queued, {} quarantined ({} file-level), {} ms → {}", name,
                result.transfers(), chunks.queued, chunks.quarantined + result.problems(), result.problems(),
                (System.nanoTime() - started) / 1_000_000, result.failed() ? "failed/" : "done/");
        return result.failed();
    }

    private static Path localPath(Exchange exchange) {
        String work = exchange.getIn().getHeader(LOCAL_WORK_PATH, String.class);
        if (work != null) {
            return Path.of(work); // SFTP: downloaded into the work folder first
        }
        Object body = exchange.getIn().getBody();
        if (body instanceof GenericFile<?> g && g.getFile() instanceof File f) {
            return f.toPath();
        }
        File f = exchange.getIn().getBody(File.class);
        if (f == null) {
            throw new IllegalStateException("no local file for " + exchange.getIn().getHeader(Exchange.FILE_NAME));
        }
        return f.toPath();
    }

    private boolean stopping(String routeId) {
        if (camel.getStatus().isStopping() || camel.getStatus().isStopped()) {
            return true;
        }
        ServiceStatus route = routeId == null ? null : camel.getRouteController().getRouteStatus(routeId);
        return route != null && (route.isStopping() || route.isStopped());
    }

    /** The hub (or the route) is stopping: abandon the file, it is read again on the next start. */
    static final class Stopping extends RuntimeException {
        Stopping(String message) {
            super(message, null, false, false);
        }
    }

    /** Collects items into chunks, each submitted and durably queued before the next is read. */
    private final class Chunks implements ExportReader.Sink {
        private final String name;
        private final String routeId;
        private final List<SourceItem> buffer;
        long queued;
        long quarantined;

        Chunks(String name, String routeId) {
            this.name = name;
            this.routeId = routeId;
            this.buffer = new ArrayList<>(props.chunkSize());
        }

        @Override
        public void item(SourceItem item) {
            buffer.add(item);
            if (buffer.size() >= props.chunkSize()) {
                submit();
            }
        }

        @Override
        public void problem(ExportReader.Problem p) {
            String reason = ResidentIds.maskAll(p.reason());
            quarantine.add(LandTransferProperties.ADAPTER_ID, p.sourceKey(), p.origin(), p.field(), reason,
                    Payloads.sha256(p.raw()), p.raw(), p.charset());
            log.warn("quarantined {} [{}]: {}", p.origin(), p.field(), reason);
            state.progressed(0, 1);
        }

        void flush() {
            if (!buffer.isEmpty()) {
                submit();
            }
        }

        private void submit() {
            // Checked before each chunk, not after the last: a finished file is still marked and moved.
            if (stopping(routeId)) {
                throw new Stopping(name + ": stopped after " + queued + " queued records");
            }
            IngestOutcome o = gateway.submit(List.copyOf(buffer));
            buffer.clear();
            queued += o.queued();
            quarantined += o.quarantined();
            state.progressed(o.queued(), o.quarantined());
        }
    }
}
