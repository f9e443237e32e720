package yingyan.adapters.landtransfer;

import static yingyan.spi.CamelUris.raw;

import java.nio.file.Path;
import org.springframework.stereotype.Component;
import yingyan.spi.DropFolderGuard;
import yingyan.spi.DropFolderRoute;
import yingyan.spi.Quarantine;

/**
 * {@code land-transfer-source}: watches the local drop folder; {@code land-transfer-sftp-source}
 * (only when {@code sftp-uri} is set) watches the bureau's SFTP drop box the same way. A file
 * {@code CRGG_*.xml} is picked up only once its {@code .ok} exists, one file at a time in name order
 * (later exports carry later versions), and moved to {@code done/} or {@code failed/} only after
 * {@link LandTransferFiles} returned, i.e. after its records are durably queued and it is marked
 * processed. When processing throws, the file and its {@code .ok} stay where they are (no moveFailed)
 * and are read again on a later poll. A link, FIFO or other non-regular entry is refused unread
 * ({@link DropFolderGuard}).
 */
@Component
class LandTransferRoute extends DropFolderRoute {
    static final String ROUTE_ID = LandTransferProperties.ADAPTER_ID + "-source";
    static final String SFTP_ROUTE_ID = LandTransferProperties.ADAPTER_ID + "-sftp-source";

    private final LandTransferProperties props;
    private final LandTransferFiles files;

    LandTransferRoute(LandTransferProperties props, LandTransferFiles files, Quarantine quarantine) {
        super(quarantine);
        this.props = props;
        this.files = files;
    }

    @Override
    public void configure() {
        String common = "include=RAW(" + LandTransferProperties.FILE_PATTERN + ")"
                + "&doneFileName=${file:name}.ok"
                + "&sortBy=file:name"
                + "&move=${exchangeProperty." + LandTransferFiles.ARCHIVE + "}/${file:name}"
                + "&readLock=none"
                + "&delay=" + props.pollInterval().toMillis()
                + "&pollStrategy=#" + LandTransferPollStrategy.BEAN;

        fromLocalFolder(LandTransferProperties.ADAPTER_ID, ROUTE_ID, LandTransferProperties.FILE_PATTERN,
                Path.of(props.dropDir()), common + "&autoCreate=true", props.enabled())
                .process(files);

        if (props.sftpEnabled()) {
            StringBuilder sftp = new StringBuilder(common)
                    .append("&localWorkDirectory=").append(raw(Path.of(props.sftpWorkDir()).toAbsolutePath().normalize()
                            .toString()))
                    .append("&binary=true&disconnect=false&throwExceptionOnConnectFailed=true")
                    .append("&strictHostKeyChecking=").append(props.sftpStrictHostKeyChecking() ? "yes" : "no")
                    .append(sftpLogin(props.sftpPassword(), props.sftpPrivateKeyFile().trim()));
            if (!props.sftpKnownHostsFile().isBlank()) {
                sftp.append("&knownHostsFile=").append(raw(props.sftpKnownHostsFile().trim()))
                        .append("&useUserKnownHostsFile=false");
            }
            fromSftpBox(LandTransferProperties.ADAPTER_ID, SFTP_ROUTE_ID, LandTransferProperties.FILE_PATTERN,
                    props.sftpUri(), sftp.toString(), props.enabled())
                    .process(files);
        }
    }
}
