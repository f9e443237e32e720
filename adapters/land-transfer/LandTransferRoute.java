package yingyan.adapters.landtransfer;

import java.nio.file.Path;
import org.apache.camel.builder.RouteBuilder;
import org.springframework.stereotype.Component;

/**
 * {@code land-transfer-source}: watches the local drop folder; {@code land-transfer-sftp-source}
 * (only when {@code sftp-uri} is set) watches the bureau's SFTP drop box the same way. A file
 * {@code CRGG_*.xml} is picked up only once its {@code .ok} exists, one file at a time in name order
 * (later exports carry later versions), and moved to {@code done/} or {@code failed/} only after
 * {@link LandTransferFiles} returned, i.e. after its records are durably queued and it is marked
 * processed. When processing throws, the file and its {@code .ok} stay where they are (no moveFailed)
 * and are read again on a later poll.
 */
@Component
class LandTransferRoute extends RouteBuilder {
    static final String ROUTE_ID = LandTransferProperties.ADAPTER_ID + "-source";
    static final String SFTP_ROUTE_ID = LandTransferProperties.ADAPTER_ID + "-sftp-source";
    static final String ERRORS = LandTransferErrors.ID;

    private final LandTransferProperties props;
    private final LandTransferFiles files;

    LandTransferRoute(LandTransferProperties props, LandTransferFiles files) {
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

        from("file:" + Path.of(props.dropDir()).toAbsolutePath().normalize() + "?" + common + "&autoCreate=true")
                .routeId(ROUTE_ID)
                .routeConfigurationId(ERRORS)
                .autoStartup(props.enabled())
                .process(files);

        if (props.sftpEnabled()) {
            StringBuilder sftp = new StringBuilder(props.sftpUri().trim()).append('?').append(common)
                    .append("&localWorkDirectory=RAW(").append(Path.of(props.sftpWorkDir()).toAbsolutePath().normalize())
                    .append(")&binary=true&disconnect=false&throwExceptionOnConnectFailed=true")
                    .append("&strictHostKeyChecking=").append(props.sftpStrictHostKeyChecking() ? "yes" : "no");
            if (!props.sftpPassword().isEmpty()) {
                sftp.append("&password=RAW(").append(props.sftpPassword()).append(')');
            }
            if (!props.sftpPrivateKeyFile().isBlank()) {
                sftp.append("&privateKeyFile=RAW(").append(props.sftpPrivateKeyFile().trim()).append(')');
            }
            if (!props.sftpKnownHostsFile().isBlank()) {
                sftp.append("&knownHostsFile=RAW(").append(props.sftpKnownHostsFile().trim())
                        .append(")&useUserKnownHostsFile=false");
            }
            from(sftp.toString())
                    .routeId(SFTP_ROUTE_ID)
                    .routeConfigurationId(ERRORS)
                    .autoStartup(props.enabled())
                    .process(files);
        }
    }
}
