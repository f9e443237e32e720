package yingyan.quarantine;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import yingyan.config.HubProperties;
import yingyan.spi.Payloads;

/**
 * The quarantine store across a key rotation, and the migration to one open entry per item: entries keep the
 * id of the key that sealed them and stay readable once a new key takes over; duplicates opened before the
 * unique key are folded into one entry, occurrences summed ({@link QuarantineFixtures#foldsDuplicatesOnMigration}).
 */
class QuarantineStoreKeysTest {
    static final String KEY_1 = "first-quarantine-key-0123456789";
    static final String KEY_2 = "second-quarantine-key-9876543210";

    private static String h2() {
        return "jdbc:h2:mem:quarantine-keys-" + UUID.randomUUID()
                + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1";
    }

    private static QuarantineStore store(JdbcTemplate jdbc, int keyId, String key, Map<Integer, String> previous) {
        return new QuarantineStore(jdbc, new HubProperties("370700", null, null,
                new HubProperties.Quarantine(key, keyId, previous), null, null), new SimpleMeterRegistry());
    }

    @Test
    void entriesKeepTheirKeyIdAndStayReadableAfterTheKeyIsRotated() {
        try (HikariDataSource ds = QuarantineFixtures.migrated(h2(), "sa", "h2")) {
            JdbcTemplate jdbc = new JdbcTemplate(ds);
            byte[] first = "{\"certNo\":\"11010519491231002X\"}".getBytes(StandardCharsets.UTF_8);
            long before = store(jdbc, 1, KEY_1, Map.of()).add("approvals", "A-1", "page 1", "certNo", "bad",
                    Payloads.sha256(first), first, StandardCharsets.UTF_8);

            QuarantineStore rotated = store(jdbc, 2, KEY_2, Map.of(1, KEY_1));
            byte[] second = "{\"certNo\":\"440524188001010014\"}".getBytes(StandardCharsets.UTF_8);
            long after = rotated.add("approvals", "A-2", "page 2", "certNo", "bad", Payloads.sha256(second), second,
                    StandardCharsets.UTF_8);

            assertThat(rotated.raw(before).orElseThrow().bytes()).isEqualTo(first);
            assertThat(rotated.raw(after).orElseThrow().bytes()).isEqualTo(second);
            assertThat(jdbc.queryForObject("SELECT raw_key_id FROM quarantine WHERE id = ?", Integer.class, before))
                    .isEqualTo(1);
            assertThat(jdbc.queryForObject("SELECT raw_key_id FROM quarantine WHERE id = ?", Integer.class, after))
                    .isEqualTo(2);
            byte[][] stored = jdbc.query("SELECT raw_encrypted FROM quarantine ORDER BY id",
                    (rs, i) -> rs.getBytes(1)).toArray(new byte[0][]);
            assertThat(QuarantineCipher.keyIdOf(stored[0])).isEqualTo(1);
            assertThat(QuarantineCipher.keyIdOf(stored[1])).isEqualTo(2);
        }
    }

    @Test
    void duplicatesOpenedBeforeTheUniqueKeyAreFoldedIntoTheOldest() throws Exception {
        try (HikariDataSource ds = new HikariDataSource()) {
            ds.setJdbcUrl(h2());
            ds.setUsername("sa");
            QuarantineFixtures.foldsDuplicatesOnMigration(ds, "h2");
        }
    }
}
