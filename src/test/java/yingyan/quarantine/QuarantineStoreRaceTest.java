package yingyan.quarantine;

import com.zaxxer.hikari.HikariDataSource;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** {@link QuarantineFixtures#race} on H2, the quick start's database. */
class QuarantineStoreRaceTest {
    @Test
    void theSameBadItemQuarantinedConcurrentlyIsOneEntryCountingEveryOccurrence() throws Exception {
        String url = "jdbc:h2:mem:quarantine-race-" + UUID.randomUUID()
                + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1";
        try (HikariDataSource ds = QuarantineFixtures.migrated(url, "sa", "h2")) {
            QuarantineFixtures.race(ds);
        }
    }
}
