package yingyan.adapters.hubfeed;

import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;
import yingyan.spi.HttpSourceSettings;
import yingyan.spi.HttpUrls;

/**
 * {@code hub.adapters.hub-feed.*}: how this hub reads another Yingyan hub's change feed (a county hub,
 * e.g. Shouguang 370783) as a source. Every key is documented in adapters/hub-feed/README.md.
 *
 * @param enabled whether the source route starts with the hub (off unless a county hub is configured)
 * @param baseUrl the other hub's root; {@code /api/v1/feed} is appended
 * @param consumer the feed consumer name the other hub gave this hub
 * @param password its password (environment)
 * @param pollInterval time between two polls (a poll reads pages until it has caught up)
 * @param pageLimit items per request (the feed's {@code limit}, 1..1000)
 * @param maxPagesPerPoll pages one poll reads at most before it yields to the next tick
 * @param connectTimeout TCP connect timeout of one request
 * @param readTimeout how long one request may take to answer
 * @param maxPageSize the largest answer the hub takes (bytes); a larger one fails the poll, read no further
 *        (a page of 500 records is a few MB; a record may hold a 1 MiB string and still be read)
 */
@ConfigurationProperties("hub.adapters.hub-feed")
@Validated
public record HubFeedProperties(
        @DefaultValue("false") boolean enabled,
        @DefaultValue("http://127.0.0.1:8081") String baseUrl,
        @DefaultValue("") String consumer,
        @DefaultValue("") String password,
        @NotNull @DefaultValue("30s") Duration pollInterval,
        @Min(1) @Max(1000) @DefaultValue("500") int pageLimit,
        @Min(1) @DefaultValue("100") int maxPagesPerPoll,
        @NotNull @DefaultValue("5s") Duration connectTimeout,
        @NotNull @DefaultValue("60s") Duration readTimeout,
        @NotNull @DefaultValue("64MB") DataSize maxPageSize) {

    /** The adapter id: the watermark key, the quarantine's adapter (records keep their own source.system). */
    public static final String ADAPTER_ID = "hub-feed";

    @AssertTrue(message = "base-url must be an absolute http(s) URL, e.g. https://shouguang-hub.example")
    public boolean isBaseUrlValid() {
        return HttpUrls.isAbsoluteHttp(baseUrl);
    }

    @AssertTrue(message = "consumer and password must be set while the adapter is enabled"
            + " (YINGYAN_HUB_FEED_CONSUMER, YINGYAN_HUB_FEED_PASSWORD)")
    public boolean isCredentialPresent() {
        return HttpSourceSettings.credentialsPresent(enabled, consumer, password);
    }

    @AssertTrue(message = "poll-interval, connect-timeout and read-timeout must be positive")
    public boolean isDurationsValid() {
        return HttpSourceSettings.positive(pollInterval, connectTimeout, readTimeout);
    }

    @AssertTrue(message = "max-page-size must be between 1KB and 1GB")
    public boolean isMaxPageSizeValid() {
        return HttpSourceSettings.isMaxPageSizeValid(maxPageSize);
    }

    /** The feed's address without a trailing slash. */
    String feedUrl() {
        return HttpSourceSettings.root(baseUrl) + "/api/v1/feed";
    }

    @Override
    public String toString() {
        // Never the password: this may end up in a log line.
        return "HubFeedProperties[enabled=" + enabled + ", baseUrl=" + baseUrl + ", consumer=" + consumer
                + ", pageLimit=" + pageLimit + ", pollInterval=" + pollInterval + "]";
    }
}
