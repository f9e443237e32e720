package yingyan.adapters.approvals;

import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;
import yingyan.canonical.CanonicalTime;
import yingyan.spi.HttpSourceSettings;
import yingyan.spi.HttpUrls;

/**
 * {@code hub.adapters.approvals.*}: how the hub reads the city approval system. Every key is documented
 * in adapters/approvals/README.md; the values live in conf/application.yaml.
 *
 * @param enabled whether the source route starts with the hub
 * @param baseUrl the API root; {@code /api/cases} is appended
 * @param apiKey sent as {@code X-Api-Key}
 * @param pollInterval time between two polls (a poll reads every page that is new)
 * @param pageSize items per request; the API answers 400 above 500
 * @param overlap how far before the watermark each poll starts again (late commits, up to 60 s)
 * @param startFrom {@code yyyy-MM-dd HH:mm:ss} to start from when there is no watermark; empty = everything
 * @param connectTimeout TCP connect timeout of one request
 * @param readTimeout how long one request may take to answer
 * @param maxAttempts attempts per request (503, timeout, connection error) before the poll fails
 * @param initialBackoff wait before the second attempt; doubles per attempt
 * @param maxBackoff longest wait between two attempts, also caps a server's Retry-After
 * @param maxPageSize the largest answer the hub takes (bytes); a larger one fails the poll, read no further
 *        (a page of 500 ordinary cases is under 1 MB; an item may hold a 1 MiB string and still be read)
 */
@ConfigurationProperties("hub.adapters.approvals")
@Validated
public record ApprovalsProperties(
        @DefaultValue("true") boolean enabled,
        @DefaultValue("http://127.0.0.1:18081") String baseUrl,
        @DefaultValue("") String apiKey,
        @NotNull @DefaultValue("30s") Duration pollInterval,
        @Min(1) @Max(500) @DefaultValue("500") int pageSize,
        @NotNull @DefaultValue("90s") Duration overlap,
        @DefaultValue("") String startFrom,
        @NotNull @DefaultValue("5s") Duration connectTimeout,
        @NotNull @DefaultValue("30s") Duration readTimeout,
        @Min(1) @Max(100) @DefaultValue("5") int maxAttempts,
        @NotNull @DefaultValue("1s") Duration initialBackoff,
        @NotNull @DefaultValue("30s") Duration maxBackoff,
        @NotNull @DefaultValue("64MB") DataSize maxPageSize) {

    /** The adapter id: {@code source.system}, the watermark key, the quarantine's adapter. */
    public static final String ADAPTER_ID = "approvals";

    @AssertTrue(message = "base-url must be an absolute http(s) URL, e.g. http://approvals.example:8080")
    public boolean isBaseUrlValid() {
        return HttpUrls.isAbsoluteHttp(baseUrl);
    }

    @AssertTrue(message = "api-key must be set while the adapter is enabled (YINGYAN_APPROVALS_API_KEY)")
    public boolean isApiKeyPresent() {
        return HttpSourceSettings.credentialsPresent(enabled, apiKey);
    }

    @AssertTrue(message = "poll-interval, connect-timeout, read-timeout, initial-backoff and max-backoff must be"
            + " positive, overlap not negative, and initial-backoff at most max-backoff")
    public boolean isDurationsValid() {
        return HttpSourceSettings.positive(pollInterval, connectTimeout, readTimeout, initialBackoff, maxBackoff)
                && HttpSourceSettings.notNegative(overlap) && initialBackoff.compareTo(maxBackoff) <= 0;
    }

    @AssertTrue(message = "start-from must be empty or an existing local time yyyy-MM-dd HH:mm:ss")
    public boolean isStartFromValid() {
        return startFrom == null || startFrom.isBlank() || CanonicalTime.isSourceTime(startFrom);
    }

    @AssertTrue(message = "max-page-size must be between 1KB and 1GB")
    public boolean isMaxPageSizeValid() {
        return HttpSourceSettings.isMaxPageSizeValid(maxPageSize);
    }

    /** The API root without a trailing slash. */
    String apiRoot() {
        return HttpSourceSettings.root(baseUrl);
    }

    @Override
    public String toString() {
        // Never the API key: this may end up in a log line.
        return "ApprovalsProperties[enabled=" + enabled + ", baseUrl=" + baseUrl + ", pageSize=" + pageSize
                + ", pollInterval=" + pollInterval + ", overlap=" + overlap + ", startFrom=" + startFrom + "]";
    }
}
