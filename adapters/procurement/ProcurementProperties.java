package yingyan.adapters.procurement;

import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;
import yingyan.spi.HttpSourceSettings;

/**
 * {@code hub.adapters.procurement.*}: where the hub picks up the procurement office's CSV exports. Every
 * key is documented in adapters/procurement/README.md; the values live in conf/application.yaml.
 *
 * @param enabled whether the source routes start with the hub
 * @param dropDir the folder the exports are dropped into; {@code done/} and {@code failed/} are made in it
 * @param pollInterval time between two looks into the folder (and the SFTP drop box)
 * @param chunkSize rows handed to the pipeline at once (a file is streamed, never held whole)
 * @param sftpUri {@code sftp://user@host:port/dir} of the office's SFTP drop box; empty = folder only
 * @param sftpPassword the SFTP password (or empty with a private key)
 * @param sftpPrivateKeyFile path of the private key for SFTP, or empty
 * @param sftpKnownHostsFile known_hosts file holding the drop box's host key (checked strictly)
 * @param sftpWorkDir local folder an SFTP file is downloaded to before it is read
 */
@ConfigurationProperties("hub.adapters.procurement")
@Validated
public record ProcurementProperties(
        @DefaultValue("true") boolean enabled,
        @NotBlank @DefaultValue("./data/drop/procurement") String dropDir,
        @NotNull @DefaultValue("10s") Duration pollInterval,
        @Min(1) @Max(5000) @DefaultValue("500") int chunkSize,
        @DefaultValue("") String sftpUri,
        @DefaultValue("") String sftpPassword,
        @DefaultValue("") String sftpPrivateKeyFile,
        @DefaultValue("") String sftpKnownHostsFile,
        @NotBlank @DefaultValue("./data/work/procurement-sftp") String sftpWorkDir) {

    /** The adapter id: {@code source.system}, the processed-file and quarantine adapter. */
    public static final String ADAPTER_ID = "procurement";

    @AssertTrue(message = "poll-interval must be positive")
    public boolean isPollIntervalValid() {
        return HttpSourceSettings.positive(pollInterval);
    }

    @AssertTrue(message = "sftp-uri must be empty or sftp://[user@]host[:port]/dir without options, and an SFTP"
            + " drop box needs sftp-known-hosts-file (its host key is checked) and a password or a private key")
    public boolean isSftpValid() {
        if (!sftpEnabled()) {
            return true;
        }
        String u = sftpUri.trim();
        return u.startsWith("sftp://") && !u.contains("?") && !sftpKnownHostsFile.isBlank()
                && (!sftpPassword.isEmpty() || !sftpPrivateKeyFile.isBlank());
    }

    /** True when an SFTP drop box is configured. */
    public boolean sftpEnabled() {
        return sftpUri != null && !sftpUri.isBlank();
    }

    @Override
    public String toString() {
        // Never the password: this may end up in a log line.
        return "ProcurementProperties[enabled=" + enabled + ", dropDir=" + dropDir + ", pollInterval=" + pollInterval
                + ", chunkSize=" + chunkSize + ", sftpUri=" + sftpUri + "]";
    }
}
