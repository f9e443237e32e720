package yingyan.adapters.landtransfer;

import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;
import yingyan.spi.HttpSourceSettings;

/**
 * {@code hub.adapters.land-transfer.*}: where the hub finds the land bureau's exports. Every key is
 * documented in adapters/land-transfer/README.md; the values live in conf/application.yaml.
 *
 * @param enabled whether the source routes start with the hub
 * @param dropDir the local folder the exports are dropped into ({@code done/} and {@code failed/} below it)
 * @param pollInterval time between two looks into the drop folder (and the SFTP drop box)
 * @param chunkSize Transfers per {@code IngestGateway.submit}
 * @param maxTransferSize largest serialised Transfer read; a bigger one is quarantined
 * @param sftpUri the SFTP drop box, e.g. {@code sftp://hub@sftp.gtzy.example:22/crgg}; empty = none
 * @param sftpPassword the SFTP password (or empty with a private key)
 * @param sftpPrivateKeyFile path of the SFTP private key; empty = password authentication
 * @param sftpKnownHostsFile the known_hosts file the SFTP server's key is checked against
 * @param sftpStrictHostKeyChecking whether an unknown SFTP host key is refused
 * @param sftpWorkDir local folder SFTP exports are downloaded into before they are read
 */
@ConfigurationProperties("hub.adapters.land-transfer")
@Validated
public record LandTransferProperties(
        @DefaultValue("true") boolean enabled,
        @NotBlank @DefaultValue("./data/drop/land-transfer") String dropDir,
        @NotNull @DefaultValue("10s") Duration pollInterval,
        @Min(1) @Max(500) @DefaultValue("500") int chunkSize,
        @NotNull @DefaultValue("1MB") DataSize maxTransferSize,
        @DefaultValue("") String sftpUri,
        @DefaultValue("") String sftpPassword,
        @DefaultValue("") String sftpPrivateKeyFile,
        @DefaultValue("") String sftpKnownHostsFile,
        @DefaultValue("true") boolean sftpStrictHostKeyChecking,
        @NotBlank @DefaultValue("./data/work/land-transfer") String sftpWorkDir) {

    /** The adapter id: {@code source.system}, the quarantine's adapter, the processed-file owner. */
    public static final String ADAPTER_ID = "land-transfer";
    /** Export file names: {@code CRGG_{yyyyMMdd}_{seq}.xml}, each read once its {@code .ok} companion exists. */
    static final String FILE_PATTERN = "CRGG_.*\\.xml";

    @AssertTrue(message = "poll-interval must be positive")
    public boolean isPollIntervalValid() {
        return HttpSourceSettings.positive(pollInterval);
    }

    @AssertTrue(message = "max-transfer-size must be between 1KB and 64MB")
    public boolean isMaxTransferSizeValid() {
        return maxTransferSize != null && maxTransferSize.toBytes() >= 1024
                && maxTransferSize.toBytes() <= 64L * 1024 * 1024;
    }

    @AssertTrue(message = "sftp-uri must be empty or sftp://user@host[:port]/folder without query options"
            + " (the password goes in sftp-password)")
    public boolean isSftpUriValid() {
        return !sftpEnabled() || sftpUri.trim().matches("sftp://[^@/?\\s]+@[^/?\\s]+(/[^?\\s]*)?");
    }

    boolean sftpEnabled() {
        return sftpUri != null && !sftpUri.isBlank();
    }

    @Override
    public String toString() {
        // Never the SFTP password: this may end up in a log line.
        return "LandTransferProperties[enabled=" + enabled + ", dropDir=" + dropDir + ", pollInterval=" + pollInterval
                + ", chunkSize=" + chunkSize + ", sftpUri=" + sftpUri + "]";
    }
}
