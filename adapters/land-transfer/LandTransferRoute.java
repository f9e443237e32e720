package yingyan.adapters.landtransfer;

import static yingyan.spi.CamelUris.raw;

import java.nio.file.Path;
import org.springframework.stereotype.Component;
import yingyan.spi.DropFolderGuard;
import yingyan.spi.Quarantine;
import yingyan.spi.SourceRouteBuilder;

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
class LandTransferRoute extends SourceRouteBuilder {
    static final String ROUTE_ID = LandTransferProperties.ADAPTER_ID + "-source";
    static final String SFTP_ROUTE_ID = LandTransferProperties.ADAPTER_ID + "-sftp-source";

    private final LandTransferProperties props;
    private final LandTransferFiles files;
    private final Quarantine quarantine;

    LandTransferRoute(LandTransferProperties props, LandTransferFiles files, Quarantine quarantine) {
        this.props = props;
        this.files = files;
        this.quarantine = quarantine;
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

        Path dropDir = Path.of(props.dropDir()).toAbsolutePath().normalize();
        String guard = ROUTE_ID + "-guard";
        getContext().getRegistry().bind(guard, new DropFolderGuard(LandTransferProperties.ADAPTER_ID,
                LandTransferProperties.FILE_PATTERN, dropDir, quarantine));
        fromDropFolder("file:" + dropDir + "?" + common + "&autoCreate=true&filter=#" + guard, ROUTE_ID,
                props.enabled())
                .process(files);

        if (props.sftpEnabled()) {
            getContext().getRegistry().bind(SFTP_ROUTE_ID + "-guard", new DropFolderGuard(
                    LandTransferProperties.ADAPTER_ID, LandTransferProperties.FILE_PATTERN, null, quarantine));
            StringBuilder sftp = new StringBuilder(props.sftpUri().trim()).append('?').append(common)
                    .append("&localWorkDirectory=").append(raw(Path.of(props.sftpWorkDir()).toAbsolutePath().normalize()
                            .toString()))
                    .append("&binary=true&disconnect=false&throwExceptionOnConnectFailed=true")
                    .append("&filter=#").append(SFTP_ROUTE_ID).append("-guard")
                    .append("&strictHostKeyChecking=").append(props.sftpStrictHostKeyChecking() ? "yes" : "no");
            if (!props.sftpPassword().isEmpty()) {
                sftp.append("&password=").append(raw(props.sftpPassword()));
            }
            if (!props.sftpPrivateKeyFile().isBlank()) {
                sftp.append("&privateKeyFile=").append(raw(props.sftpPrivateKeyFile().trim()));
            }
            if (!props.sftpKnownHostsFile().isBlank()) {
                sftp.append("&knownHostsFile=").append(raw(props.sftpKnownHostsFile().trim()))
                        .append("&useUserKnownHostsFile=false");
            }
            fromDropFolder(sftp.toString(), SFTP_ROUTE_ID, props.enabled()).process(files);
        }
    }
}
