package yingyan.adapters.penalties;

import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;
import yingyan.canonical.CanonicalTime;
import yingyan.spi.HttpSourceSettings;
import yingyan.spi.HttpUrls;

/**
 * {@code hub.adapters.penalties.*}: how the hub reads the industry and commerce bureau's penalty service (SOAP 1.1,
 * WS-Security UsernameToken). Every key is documented in adapters/penalties/README.md; the values live in
 * conf/application.yaml.
 *
 * @param enabled whether the source route starts with the hub
 * @param baseUrl the service's root; {@code /ws/PenaltyService} is appended
 * @param username the UsernameToken's user name
 * @param password the UsernameToken's password, sent as PasswordText
 * @param pollInterval time between two polls (a poll reads every page that is new)
 * @param pageSize {@code pageSize} of each request
 * @param overlap how far before the watermark each poll starts again (late commits, up to 60 s)
 * @param startFrom {@code yyyy-MM-dd HH:mm:ss} (Beijing) to start from when there is no watermark yet
 * @param connectTimeout TCP connect timeout of one call
 * @param readTimeout how long one call may take to answer
 * @param maxAttempts attempts per call on a {@code p:Busy} or {@code soapenv:Server} fault, a timeout or a
 *        connection error before the poll fails
 * @param initialBackoff wait before the second attempt after a Server fault or a network error; doubles per attempt
 * @param busyBackoff wait before the next attempt after a {@code p:Busy} fault (the bureau asks for less load);
 *        doubles per attempt
 * @param maxBackoff longest wait between two attempts
 */
@ConfigurationProperties("hub.adapters.penalties")
@Validated
public record PenaltiesProperties(
        @DefaultValue("true") boolean enabled,
        @DefaultValue("http://127.0.0.1:18085") String baseUrl,
        @DefaultValue("") String username,
        @DefaultValue("") String password,
        @NotNull @DefaultValue("60s") Duration pollInterval,
        @Min(1) @Max(1000) @DefaultValue("100") int pageSize,
        @NotNull @DefaultValue("90s") Duration overlap,
        @DefaultValue("2000-01-01 00:00:00") String startFrom,
        @NotNull @DefaultValue("5s") Duration connectTimeout,
        @NotNull @DefaultValue("30s") Duration readTimeout,
        @Min(1) @Max(100) @DefaultValue("5") int maxAttempts,
        @NotNull @DefaultValue("1s") Duration initialBackoff,
        @NotNull @DefaultValue("10s") Duration busyBackoff,
        @NotNull @DefaultValue("60s") Duration maxBackoff) {

    /** The adapter id: {@code source.system}, the watermark key, the quarantine's adapter. */
    public static final String ADAPTER_ID = "penalties";

    @AssertTrue(message = "base-url must be an absolute http(s) URL, e.g. http://gsj.example:8080")
    public boolean isBaseUrlValid() {
        return HttpUrls.isAbsoluteHttp(baseUrl);
    }

    @AssertTrue(message = "username and password must be set while the adapter is enabled"
            + " (YINGYAN_PENALTIES_USERNAME, YINGYAN_PENALTIES_PASSWORD)")
    public boolean isCredentialPresent() {
        return HttpSourceSettings.credentialsPresent(enabled, username, password);
    }

    @AssertTrue(message = "start-from must be an existing local time yyyy-MM-dd HH:mm:ss")
    public boolean isStartFromValid() {
        return startFrom != null && CanonicalTime.isSourceTime(startFrom);
    }

    @AssertTrue(message = "poll-interval, connect-timeout, read-timeout, initial-backoff, busy-backoff and max-backoff"
            + " must be positive, overlap not negative")
    public boolean isDurationsValid() {
        return HttpSourceSettings.positive(pollInterval, connectTimeout, readTimeout, initialBackoff, busyBackoff,
                maxBackoff) && HttpSourceSettings.notNegative(overlap);
    }

    /** The service's address: the root without a trailing slash, then {@code /ws/PenaltyService}. */
    String serviceAddress() {
        return HttpSourceSettings.root(baseUrl) + "/ws/PenaltyService";
    }

    @Override
    public String toString() {
        // Never the password: this may end up in a log line.
        return "PenaltiesProperties[enabled=" + enabled + ", baseUrl=" + baseUrl + ", username=" + username
                + ", pageSize=" + pageSize + ", pollInterval=" + pollInterval + ", overlap=" + overlap
                + ", startFrom=" + startFrom + "]";
    }
}
