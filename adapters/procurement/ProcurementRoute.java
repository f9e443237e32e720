package yingyan.adapters.procurement;

import static yingyan.spi.CamelUris.raw;

import java.nio.file.Path;
import org.springframework.stereotype.Component;
import yingyan.spi.DropFolderGuard;
import yingyan.spi.Quarantine;
import yingyan.spi.SourceRouteBuilder;

/**
 * {@code procurement-source}: watches the drop folder for {@code cgjg_*.csv} exports (a {@code .csv.tmp}
 * still being written never matches); {@code procurement-source-sftp}: the same for the office's SFTP
 * drop box, when {@code sftp-uri} is set. Files are taken in name order (hour order); once
 * {@link ProcurementFileProcessor} has durably queued a file's rows and marked it processed, the
 * endpoint moves it to {@code done/} (or {@code failed/} when its header was wrong) under a time-stamped
 * name. A file whose processing failed stays where it is and is read again on the next poll. A link,
 * FIFO or other non-regular entry is refused unread ({@link DropFolderGuard}).
 */
@Component
class ProcurementRoute extends SourceRouteBuilder {
    static final String ROUTE_ID = ProcurementProperties.ADAPTER_ID + "-source";
    static final String SFTP_ROUTE_ID = ROUTE_ID + "-sftp";
    /** Only finished exports: the office writes cgjg_{yyyyMMddHH}.csv.tmp and renames it when complete. */
    static final String INCLUDE = "cgjg_.*[.]csv";
    /** Where a processed file goes: done/ or failed/, keeping the name and adding when it was processed. */
    static final String MOVE = "${header." + ProcurementFileProcessor.TARGET + "}/${file:name.noext}"
            + ".${date:now:yyyyMMddHHmmssSSS}.csv";

    private final ProcurementProperties props;
    private final ProcurementFileProcessor processor;
    private final Quarantine quarantine;

    ProcurementRoute(ProcurementProperties props, ProcurementFileProcessor processor, Quarantine quarantine) {
        this.props = props;
        this.processor = processor;
        this.quarantine = quarantine;
    }

    @Override
    public void configure() {
        getContext().getRegistry().bind(ROUTE_ID + "-guard", new DropFolderGuard(ProcurementProperties.ADAPTER_ID,
                INCLUDE, dropDir(), quarantine));
        getContext().getRegistry().bind(SFTP_ROUTE_ID + "-guard", new DropFolderGuard(
                ProcurementProperties.ADAPTER_ID, INCLUDE, null, quarantine));
        fromDropFolder(folderUri(), ROUTE_ID, props.enabled()).process(processor);
        if (props.sftpEnabled()) {
            fromDropFolder(sftpUri(), SFTP_ROUTE_ID, props.enabled()).process(processor);
        }
    }

    String folderUri() {
        return "file:" + dropDir() + "?" + common() + "&autoCreate=true&readLock=none&filter=#" + ROUTE_ID + "-guard";
    }

    private Path dropDir() {
        return Path.of(props.dropDir()).toAbsolutePath().normalize();
    }

    String sftpUri() {
        StringBuilder uri = new StringBuilder(props.sftpUri().trim()).append('?').append(common())
                .append("&binary=true&stepwise=false&disconnect=false&autoCreate=false")
                .append("&filter=#").append(SFTP_ROUTE_ID).append("-guard")
                .append("&localWorkDirectory=").append(raw(Path.of(props.sftpWorkDir()).toAbsolutePath().normalize()
                        .toString()))
                .append("&strictHostKeyChecking=yes&useUserKnownHostsFile=false")
                .append("&knownHostsFile=").append(raw(props.sftpKnownHostsFile()));
        if (!props.sftpPassword().isEmpty()) {
            uri.append("&password=").append(raw(props.sftpPassword()));
        }
        if (!props.sftpPrivateKeyFile().isBlank()) {
            uri.append("&privateKeyFile=").append(raw(props.sftpPrivateKeyFile()));
        }
        return uri.toString();
    }

    private String common() {
        return "include=" + INCLUDE + "&sortBy=file:name&delay=" + props.pollInterval().toMillis()
                + "&move=" + MOVE;
    }
}
