package yingyan.adapters.procurement;

import static yingyan.spi.CamelUris.raw;

import java.nio.file.Path;
import org.springframework.stereotype.Component;
import yingyan.spi.DropFolderGuard;
import yingyan.spi.DropFolderRoute;
import yingyan.spi.Quarantine;

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
class ProcurementRoute extends DropFolderRoute {
    static final String ROUTE_ID = ProcurementProperties.ADAPTER_ID + "-source";
    static final String SFTP_ROUTE_ID = ROUTE_ID + "-sftp";
    /** Only finished exports: the office writes cgjg_{yyyyMMddHH}.csv.tmp and renames it when complete. */
    static final String INCLUDE = "cgjg_.*[.]csv";
    /** Where a processed file goes: done/ or failed/, keeping the name and adding when it was processed. */
    static final String MOVE = "${header." + ProcurementFileProcessor.TARGET + "}/${file:name.noext}"
            + ".${date:now:yyyyMMddHHmmssSSS}.csv";

    private final ProcurementProperties props;
    private final ProcurementFileProcessor processor;

    ProcurementRoute(ProcurementProperties props, ProcurementFileProcessor processor, Quarantine quarantine) {
        super(quarantine);
        this.props = props;
        this.processor = processor;
    }

    @Override
    public void configure() {
        fromLocalFolder(ProcurementProperties.ADAPTER_ID, ROUTE_ID, INCLUDE, Path.of(props.dropDir()),
                common() + "&autoCreate=true&readLock=none", props.enabled())
                .process(processor);
        if (props.sftpEnabled()) {
            fromSftpBox(ProcurementProperties.ADAPTER_ID, SFTP_ROUTE_ID, INCLUDE, props.sftpUri(), sftpOptions(),
                    props.enabled())
                    .process(processor);
        }
    }

    private String sftpOptions() {
        return common() + "&binary=true&stepwise=false&disconnect=false&autoCreate=false"
                + "&localWorkDirectory=" + raw(Path.of(props.sftpWorkDir()).toAbsolutePath().normalize().toString())
                + "&strictHostKeyChecking=yes&useUserKnownHostsFile=false"
                + "&knownHostsFile=" + raw(props.sftpKnownHostsFile())
                + sftpLogin(props.sftpPassword(), props.sftpPrivateKeyFile());
    }

    private String common() {
        return "include=" + INCLUDE + "&sortBy=file:name&delay=" + props.pollInterval().toMillis()
                + "&move=" + MOVE;
    }
}
