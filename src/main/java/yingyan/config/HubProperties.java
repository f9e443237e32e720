package yingyan.config;

import jakarta.validation.constraints.NotBlank;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The hub's own settings ({@code hub.*} in conf/application.yaml). Secrets arrive through
 * environment placeholders; {@link SecretGuard} refuses demo values outside the demo profile.
 */
@ConfigurationProperties("hub")
@Validated
public record HubProperties(
        @DefaultValue("370700") String region,
        @DefaultValue Queues queues,
        @DefaultValue PersonalData personalData,
        @DefaultValue Quarantine quarantine,
        @DefaultValue Persist persist,
        @DefaultValue Security security) {

    /** JMS destinations of the pipeline. */
    public record Queues(@DefaultValue("yingyan.ingest") String ingest) {
    }

    /** Key of the resident-ID hash (HMAC-SHA256); the same key everywhere so people match across departments. */
    public record PersonalData(@NotBlank String hmacKey) {
    }

    /** Key that encrypts quarantined raw payloads at rest. */
    public record Quarantine(@NotBlank String key) {
    }

    /**
     * The persist consumer: how many batches are applied at once, and after how many failed
     * deliveries a batch is split so that one poison record is quarantined instead of blocking the rest.
     * {@code maxQueuedBatches}: how many batches this hub may have queued and not yet stored before an adapter
     * waits to read more (back-pressure, {@code ingest.IngestBackPressure}); {@code maxBackPressureWait}: the
     * longest one submit waits for that (after it, the adapter goes on: back-pressure never stops ingestion).
     */
    public record Persist(@DefaultValue("1") int concurrentConsumers, @DefaultValue("5") int splitAfterAttempts,
                          @DefaultValue("2") int maxQueuedBatches,
                          @DefaultValue("30s") java.time.Duration maxBackPressureWait) {
    }

    /** People and systems allowed in, with their roles. Passwords come from the environment. */
    public record Security(@DefaultValue List<User> users) {
    }

    public record User(@NotBlank String name, @NotBlank String password, @DefaultValue List<String> roles) {
        @Override
        public String toString() {
            return "User[" + name + ", " + roles + "]";
        }
    }
}
