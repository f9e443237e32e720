package yingyan.config;

import jakarta.validation.Valid;
import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.NotBlank;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import yingyan.canonical.RegionCodes;
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
        @Valid @DefaultValue Security security) {

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
     * People and systems allowed in, with their roles and what they may read. Passwords come from the environment.
     *
     * @param users each with name, password (from the environment), roles (VIEWER, OPERATOR, SUPERVISOR,
     *              CONSUMER, METRICS) and grants: regions (six-digit region codes) and departments
     *              ({@code system:code}, e.g. {@code approvals:SGZRZY}); absent or {@code *} = every one. A person
     *              with grants sees only the records, alerts and quality figures within them, and no hub-wide view
     *              (quarantine, dead letters, province, audit, adapters)
     */
    public record Security(@Valid @DefaultValue List<User> users) {
    }

    /**
     * One person (or system) allowed in.
     *
     * @param name        the HTTP Basic user name
     * @param password    its password, from the environment
     * @param roles       VIEWER, OPERATOR, SUPERVISOR, CONSUMER, METRICS
     * @param regions     the region codes whose records, alerts and quality this person may read (exact six-digit
     *                    GB/T 2260 codes the hub knows, e.g. 370783); absent or {@code *}: every region
     * @param departments the departments whose records, alerts and quality this person may read, each as
     *                    {@code source.system:department.code} (e.g. {@code approvals:SGZRZY}); absent or {@code *}:
     *                    every department
     */
    public record User(@NotBlank String name, @NotBlank String password, @DefaultValue List<String> roles,
                       @DefaultValue List<String> regions, @DefaultValue List<String> departments) {
        public static final String ALL = "*";
        private static final Pattern DEPARTMENT = Pattern.compile("[a-z0-9][a-z0-9_-]*:[^\\s:*]+");

        @ConstructorBinding
        public User {
            roles = roles == null ? List.of() : List.copyOf(roles);
            regions = regions == null ? List.of() : List.copyOf(regions);
            departments = departments == null ? List.of() : List.copyOf(departments);
        }

        /** A person who may read everything. */
        public User(String name, String password, List<String> roles) {
            this(name, password, roles, List.of(), List.of());
        }

        @AssertTrue(message = "regions must be '*' or six-digit region codes the hub knows (GB/T 2260, e.g. 370783;"
                + " see docs/contracts/reference-codes.md)")
        public boolean isRegionsValid() {
            return regions == null || regions.stream().allMatch(r -> ALL.equals(r) || RegionCodes.isKnown(r));
        }

        @AssertTrue(message = "departments must be '*' or source-system:department-code, e.g. approvals:SGZRZY")
        public boolean isDepartmentsValid() {
            return departments == null
                    || departments.stream().allMatch(d -> ALL.equals(d) || (d != null && DEPARTMENT.matcher(d).matches()));
        }

        @Override
        public String toString() {
            return "User[" + name + ", " + roles + (regions.isEmpty() ? "" : ", regions=" + regions)
                    + (departments.isEmpty() ? "" : ", departments=" + departments) + "]";
        }
    }
}
