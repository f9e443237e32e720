package yingyan.adapters.publicfunds;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * {@code hub.adapters.public-funds.*}: how the hub reads the treasury's payment queue. Every key is documented
 * in adapters/public-funds/README.md; the values live in conf/application.yaml.
 *
 * @param enabled whether {@code public-funds-source} consumes the queue with the hub (off in the quick start,
 *                which has no RabbitMQ)
 * @param addresses the treasury broker's {@code host:port[,host:port]} (AMQP 0-9-1)
 * @param username the broker user
 * @param password the broker password ({@code ${YINGYAN_PUBLIC_FUNDS_PASSWORD}})
 * @param virtualHost the broker's virtual host
 * @param queue the durable queue the treasury publishes to (declared by the treasury, not by the hub)
 * @param prefetch messages the broker hands the one consumer ahead of its acks
 * @param backoffInitial first wait while the hub cannot queue a message (then doubled)
 * @param backoffMax longest wait between two attempts at the same message
 */
@ConfigurationProperties("hub.adapters.public-funds")
@Validated
public record PublicFundsProperties(
        @DefaultValue("false") boolean enabled,
        @NotBlank @DefaultValue("127.0.0.1:5672") String addresses,
        @NotBlank @DefaultValue("guest") String username,
        @NotNull @DefaultValue("") String password,
        @NotBlank @DefaultValue("/") String virtualHost,
        @NotBlank @DefaultValue("treasury.payments") String queue,
        @Min(1) @DefaultValue("1") int prefetch,
        @NotNull @DefaultValue("1s") Duration backoffInitial,
        @NotNull @DefaultValue("5m") Duration backoffMax) {

    /** The adapter id: {@code source.system}, the quarantine's adapter. */
    public static final String ADAPTER_ID = "public-funds";
}
