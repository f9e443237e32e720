package yingyan.quarantine;

import com.zaxxer.hikari.HikariDataSource;
import org.junit.jupiter.api.Test;
import yingyan.testsupport.Services;

/** {@link QuarantineFixtures#race} on PostgreSQL, where concurrent consumers are the production case, and V11's fold. */
class QuarantineStoreRacePostgresIT {
    @Test
    void theSameBadItemQuarantinedConcurrentlyIsOneEntryCountingEveryOccurrence() throws Exception {
        String url = Services.freshPostgresDatabase("yingyan_quarantine_race");
        try (HikariDataSource ds = QuarantineFixtures.migrated(url, Services.pgUser(), "postgresql")) {
            QuarantineFixtures.race(ds);
        } finally {
            Services.dropPostgresDatabase(url);
        }
    }

    @Test
    void duplicatesOpenedBeforeTheUniqueKeyAreFoldedIntoTheOldest() throws Exception {
        String url = Services.freshPostgresDatabase("yingyan_quarantine_fold");
        try (HikariDataSource ds = new HikariDataSource()) {
            ds.setJdbcUrl(url);
            ds.setUsername(Services.pgUser());
            ds.setPassword("");
            QuarantineFixtures.foldsDuplicatesOnMigration(ds, "postgresql");
        } finally {
            Services.dropPostgresDatabase(url);
        }
    }
}
