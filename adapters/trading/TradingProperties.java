package yingyan.adapters.trading;

import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;
import yingyan.spi.HttpSourceSettings;
import yingyan.spi.HttpUrls;

/**
 * {@code hub.adapters.trading.*}: how the hub reads the public resource trading centre. Every key is documented
 * in adapters/trading/README.md; the values live in conf/application.yaml.
 *
 * @param enabled whether the source route starts with the hub
 * @param baseUrl the centre's root; {@code /oauth/token} and {@code /exchange/v2/transactions} are appended
 * @param clientId OAuth2 client id (HTTP Basic at the token endpoint)
 * @param clientSecret OAuth2 client secret
 * @param pollInterval time between two polls (a poll reads every page that is new, of each type)
 * @param pageSize {@code limit} per request; the centre allows at most 200
 * @param overlap how far before a type's watermark each poll (and a 410 restart) starts again
 * @param startFrom ISO-8601 time with offset to start from when a type has no watermark yet
 * @param connectTimeout TCP connect timeout of one request
 * @param readTimeout how long one request may take to answer
 * @param maxAttempts attempts per request on 429 or 503 before the poll fails
 * @param maxBackoff longest wait between two attempts without a Retry-After
 * @param maxRestarts 410 Gone restarts of one type within one poll before the poll fails
 * @param skipMaintenance whether polls are skipped in the nightly maintenance window (and a 503 there is no failure)
 * @param maintenanceStart start of the maintenance window, Beijing time
 * @param maintenanceEnd end of the maintenance window (exclusive), Beijing time
 * @param clockTolerance how far after the hub's clock an item's {@code updatedAt} may lie (the two clocks drift);
 *        a later one is quarantined and the watermark never moves past now plus this
 * @param maxRequestsPerSecond change requests per second at most (the centre answers 429 above 5 per client)
 * @param maxRetryAfter the longest {@code Retry-After} the hub honours; a longer one is waited this long
 */
@ConfigurationProperties("hub.adapters.trading")
@Validated
public record TradingProperties(
        @DefaultValue("true") boolean enabled,
        @DefaultValue("http://127.0.0.1:18084") String baseUrl,
        @DefaultValue("yingyan-hub") String clientId,
        @DefaultValue("") String clientSecret,
        @NotNull @DefaultValue("60s") Duration pollInterval,
        @Min(1) @Max(200) @DefaultValue("200") int pageSize,
        @NotNull @DefaultValue("90s") Duration overlap,
        @DefaultValue("2000-01-01T00:00:00+08:00") String startFrom,
        @NotNull @DefaultValue("5s") Duration connectTimeout,
        @NotNull @DefaultValue("30s") Duration readTimeout,
        @Min(1) @Max(100) @DefaultValue("5") int maxAttempts,
        @NotNull @DefaultValue("30s") Duration maxBackoff,
        @Min(0) @Max(100) @DefaultValue("3") int maxRestarts,
        @DefaultValue("true") boolean skipMaintenance,
        @NotNull @DefaultValue("01:00") LocalTime maintenanceStart,
        @NotNull @DefaultValue("01:30") LocalTime maintenanceEnd,
        @NotNull @DefaultValue("60s") Duration clockTolerance,
        @Min(1) @Max(5) @DefaultValue("5") int maxRequestsPerSecond,
        @NotNull @DefaultValue("5m") Duration maxRetryAfter) {

    /** The adapter id: {@code source.system}, the watermark key, the quarantine's adapter. */
    public static final String ADAPTER_ID = "trading";

    @AssertTrue(message = "base-url must be an absolute http(s) URL, e.g. https://ggzy.example")
    public boolean isBaseUrlValid() {
        return HttpUrls.isAbsoluteHttp(baseUrl);
    }

    @AssertTrue(message = "client-id and client-secret must be set while the adapter is enabled"
            + " (YINGYAN_TRADING_CLIENT_ID, YINGYAN_TRADING_CLIENT_SECRET)")
    public boolean isClientPresent() {
        return HttpSourceSettings.credentialsPresent(enabled, clientId, clientSecret);
    }

    @AssertTrue(message = "start-from must be an ISO-8601 time with offset, e.g. 2026-01-01T00:00:00+08:00")
    public boolean isStartFromValid() {
        try {
            OffsetDateTime.parse(startFrom);
            return true;
        } catch (DateTimeParseException | NullPointerException e) {
            return false;
        }
    }

    @AssertTrue(message = "poll-interval, connect-timeout, read-timeout, max-backoff and max-retry-after must be"
            + " positive, max-retry-after at most 1h, overlap and clock-tolerance not negative")
    public boolean isDurationsValid() {
        return HttpSourceSettings.positive(pollInterval, connectTimeout, readTimeout, maxBackoff, maxRetryAfter)
                && maxRetryAfter.compareTo(Duration.ofHours(1)) <= 0 && HttpSourceSettings.notNegative(overlap)
                && HttpSourceSettings.notNegative(clockTolerance);
    }

    /** The root without a trailing slash. */
    String root() {
        return HttpSourceSettings.root(baseUrl);
    }

    @Override
    public String toString() {
        // Never the secret: this may end up in a log line.
        return "TradingProperties[enabled=" + enabled + ", baseUrl=" + baseUrl + ", clientId=" + clientId
                + ", pageSize=" + pageSize + ", pollInterval=" + pollInterval + ", overlap=" + overlap + "]";
    }
}
