package yingyan.province;

import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Reporting upward ({@code hub.province.*} in conf/application.yaml; docs/contracts/province.md §1).
 *
 * @param enabled              whether the {@code province-push} route runs (the ledger fills either way)
 * @param baseUrl              the province's base URL; batches go to {@code {baseUrl}/api/supervision/v1/batches}
 * @param secret               shared secret of the X-Signature HMAC-SHA256
 * @param region               this hub's region, sent as X-Region and in the body
 * @param batchMaxRecords      at most this many records per batch (contract: 500)
 * @param batchMaxBytes        at most this many body bytes per batch (contract: 5 MB)
 * @param requestsPerSecond    the province's quota
 * @param quotaMargin          request starts are spaced for {@code requestsPerSecond × (1 − quotaMargin)}, and a
 *                             request starts only once the {@code requestsPerSecond}-th request before it reached
 *                             the wire at least {@code 1 + quotaMargin} seconds ago: the province counts requests as
 *                             they reach it, and the network's jitter can bring two of them closer than they left
 * @param maxInFlight          at most this many batches formed and not yet answered, and so at most this many
 *                             requests in flight at once (spec §1 lets batches overlap: the province keeps the
 *                             newest version of a record by source.updatedAt)
 * @param pollInterval         how often the sender looks for work
 * @param connectTimeout       HTTP connect timeout
 * @param readTimeout          time allowed for the whole answer; beyond it nothing is known and the batch goes again
 * @param initialBackoff       first wait before resending a batch whose fate is unknown
 * @param maxBackoff           cap of the exponential backoff and of a province's Retry-After
 * @param stuckAfterAttempts   a batch still unanswered after this many attempts is listed as stuck
 * @param breakerFailureThreshold consecutive failed attempts that open the circuit breaker
 * @param breakerOpenFor       how long an open breaker sends nothing before one probe
 */
@ConfigurationProperties("hub.province")
@Validated
public record ProvinceProperties(
        @DefaultValue("false") boolean enabled,
        @DefaultValue("http://127.0.0.1:18082") @NotBlank String baseUrl,
        @NotBlank String secret,
        @DefaultValue("370700") @NotBlank String region,
        @DefaultValue("500") @Min(1) @Max(500) int batchMaxRecords,
        @DefaultValue("5000000") @Min(1024) @Max(5000000) long batchMaxBytes,
        @DefaultValue("20") @Min(1) double requestsPerSecond,
        @DefaultValue("1s") Duration pollInterval,
        @DefaultValue("5s") Duration connectTimeout,
        @DefaultValue("30s") Duration readTimeout,
        @DefaultValue("1s") Duration initialBackoff,
        @DefaultValue("5m") Duration maxBackoff,
        @DefaultValue("10") @Min(1) int stuckAfterAttempts,
        @DefaultValue("5") @Min(1) int breakerFailureThreshold,
        @DefaultValue("60s") Duration breakerOpenFor,
        @DefaultValue("0.05") @DecimalMin("0") @DecimalMax("0.5") double quotaMargin,
        @DefaultValue("4") @Min(1) @Max(64) int maxInFlight) {

    /** The rate request starts are spaced for: the quota less its margin. */
    double sendRate() {
        return requestsPerSecond * (1 - quotaMargin);
    }

    public String batchesUrl() {
        return baseUrl.replaceAll("/+$", "") + "/api/supervision/v1/batches";
    }

    /** Where alert batches go (docs/contracts/province.md §3). */
    public String alertsUrl() {
        return baseUrl.replaceAll("/+$", "") + "/api/supervision/v1/alerts";
    }

    @Override
    public String toString() {
        return "ProvinceProperties[" + baseUrl + ", region " + region + "]";
    }
}
