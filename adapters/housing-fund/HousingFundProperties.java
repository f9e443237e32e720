package yingyan.adapters.housingfund;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * {@code hub.adapters.housing-fund.*}: the fund centre's MariaDB (read-only account) and how it is
 * polled. Every key is documented in adapters/housing-fund/README.md.
 *
 * @param enabled whether the source route polls at all (the mapper stays registered for quarantine release)
 * @param jdbcUrl the centre's database; any JDBC URL whose driver is on the classpath (MariaDB in production)
 * @param username the read-only account
 * @param password its password, from the environment
 * @param pollInterval pause between two polls
 * @param initialDelay pause before the first poll after start-up
 * @param chunkSize rows per keyset query and per submit to the pipeline (at most 500)
 * @param maxRowsPerPoll rows per table after which a poll stops; the pass resumes from its cursor next poll
 * @param overlap how far behind the centre's database clock at the start of a pass rows still count as not yet
 *        settled: the centre's commit delay (60 s) plus clock skew between its database and its application
 * @param startFrom GXSJ ("yyyy-MM-dd HH:mm:ss") to start from when there is no watermark; blank = from the beginning
 * @param poolSize maximum connections of the adapter's own pool
 * @param connectTimeout how long a poll waits for a connection before it fails
 * @param queryTimeout how long one keyset query may run
 * @param reconcileAt when the reconciliation runs (a Spring cron expression, Beijing time): every row the
 *        watermark says was read is compared by key and hash with what the hub holds, and what it does not hold
 *        is read again; blank = never
 */
@ConfigurationProperties("hub.adapters.housing-fund")
@Validated
public record HousingFundProperties(
        @DefaultValue("true") boolean enabled,
        @DefaultValue("jdbc:mariadb://127.0.0.1:3306/gjj") @NotBlank String jdbcUrl,
        @DefaultValue("yingyan_ro") String username,
        @DefaultValue("") String password,
        @DefaultValue("30s") @NotNull Duration pollInterval,
        @DefaultValue("5s") @NotNull Duration initialDelay,
        @DefaultValue("500") @Min(1) @Max(500) int chunkSize,
        @DefaultValue("100000") @Min(1) int maxRowsPerPoll,
        @DefaultValue("90s") @NotNull Duration overlap,
        @DefaultValue("") String startFrom,
        @DefaultValue("2") @Min(1) @Max(10) int poolSize,
        @DefaultValue("5s") @NotNull Duration connectTimeout,
        @DefaultValue("60s") @NotNull Duration queryTimeout,
        @DefaultValue("0 30 2 * * *") String reconcileAt) {

    @Override
    public String toString() {
        // Never the password.
        return "HousingFundProperties[enabled=" + enabled + ", jdbcUrl=" + SourceDatabase.describe(jdbcUrl)
                + ", username=" + username + ", pollInterval=" + pollInterval + ", chunkSize=" + chunkSize
                + ", maxRowsPerPoll=" + maxRowsPerPoll + ", overlap=" + overlap + ", reconcileAt=" + reconcileAt + "]";
    }
}
