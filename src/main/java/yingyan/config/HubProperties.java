package yingyan.config;

import jakarta.validation.constraints.NotBlank;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.ConstructorBinding;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The hub's own settings ({@code hub.*} in conf/application.yaml). Secrets arrive through
 * environment placeholders; {@link SecretGuard} refuses demo values outside the demo profile.
 *
 * @param region       the reporting hub's own region code (six digits, GB/T 2260)
 * @param queues       the JMS destinations of the pipeline
 * @param personalData the resident-ID hash key
 * @param quarantine   the keys of quarantined raw payloads
 * @param persist      the persist consumer and back-pressure
 * @param security     the people and systems allowed in
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

    /**
     * JMS destinations of the pipeline.
     *
     * @param ingest the persistent queue between ingest and persist
     */
    public record Queues(@DefaultValue("yingyan.ingest") String ingest) {
    }

    /**
     * Key of the resident-ID hash (HMAC-SHA256); the same key everywhere so people match across departments.
     *
     * @param hmacKey   the HMAC key (from the environment)
     * @param hmacKeyId the id of hmac-key: 1 is the key canonical v1 was released with, whose hashes are
     *                  bare hex; a hash made with any other id reads k<id>:<hex>, so hashes of different
     *                  keys never compare equal and a rotation (on every hub at once) is visible in the records
     */
    public record PersonalData(@NotBlank String hmacKey, @DefaultValue("1") int hmacKeyId) {
        @ConstructorBinding
        public PersonalData {
        }

        /** Key id 1. */
        public PersonalData(String hmacKey) {
            this(hmacKey, 1);
        }
    }

    /**
     * Keys that encrypt quarantined raw payloads at rest. Every ciphertext names the id of its key, so the key
     * can be rotated: a new {@code key} with a new {@code keyId}, the old one moved to {@code previousKeys}.
     *
     * @param key          the key new entries are encrypted with (from the environment)
     * @param keyId        the id of key, stored in every ciphertext it makes (1 before any rotation)
     * @param previousKeys retired keys by id, kept only to read the entries they encrypted (from the
     *                     environment); an id may go once no entry of it is left
     */
    public record Quarantine(@NotBlank String key, @DefaultValue("1") int keyId,
                             @DefaultValue Map<Integer, String> previousKeys) {
        @ConstructorBinding
        public Quarantine {
            previousKeys = previousKeys == null ? Map.of() : Map.copyOf(previousKeys);
        }

        /** Key id 1, no previous keys. */
        public Quarantine(String key) {
            this(key, 1, Map.of());
        }

        @Override
        public String toString() {
            return "Quarantine[keyId=" + keyId + ", previousKeyIds=" + previousKeys.keySet() + "]";
        }
    }

    /**
     * The persist consumer: how many batches are applied at once, and after how many failed
     * deliveries a batch is split so that one poison record is quarantined instead of blocking the rest.
     * {@code maxQueuedBatches}: how many batches this hub may have queued and not yet stored before an adapter
     * waits to read more (back-pressure, {@code ingest.IngestBackPressure}); {@code maxBackPressureWait}: the
     * longest one submit waits for that (after it, the adapter goes on: back-pressure never stops ingestion).
     *
     * @param concurrentConsumers batches applied at once (row locks keep concurrent batches correct)
     * @param splitAfterAttempts  deliveries after which a failing batch is applied record by record and the poison
     *                            record quarantined
     * @param maxQueuedBatches    back-pressure: an adapter reads its next page only while fewer of this hub's
     *                            batches wait unstored
     * @param maxBackPressureWait the longest one submit waits for room; a batch outstanding longer no longer counts
     */
    public record Persist(@DefaultValue("1") int concurrentConsumers, @DefaultValue("5") int splitAfterAttempts,
                          @DefaultValue("2") int maxQueuedBatches,
                          @DefaultValue("30s") Duration maxBackPressureWait) {
    }

    /**
     * People and systems allowed in, with their roles. Passwords come from the environment.
     *
     * @param users each with name, password (from the environment) and roles (VIEWER, OPERATOR, SUPERVISOR,
     *              CONSUMER, METRICS)
     */
    public record Security(@DefaultValue List<User> users) {
    }

    public record User(@NotBlank String name, @NotBlank String password, @DefaultValue List<String> roles) {
        @Override
        public String toString() {
            return "User[" + name + ", " + roles + "]";
        }
    }
}
