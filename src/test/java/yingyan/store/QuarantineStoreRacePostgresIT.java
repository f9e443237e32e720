package yingyan.store;

import com.zaxxer.hikari.HikariDataSource;
import org.junit.jupiter.api.Test;
import yingyan.testsupport.Services;

/** {@link QuarantineRace} on PostgreSQL, where concurrent consumers are the production case. */
class QuarantineStoreRacePostgresIT {
    @Test
    void theSameBadItemQuarantinedConcurrentlyIsOneEntryCountingEveryOccurrence() throws Exception {
        String url = Services.freshPostgresDatabase("yingyan_quarantine_race");
        try (HikariDataSource ds = QuarantineRace.migrated(url, Services.pgUser(), "postgresql")) {
            QuarantineRace.run(ds);
        } finally {
            Services.dropPostgresDatabase(url);
        }
    }
}
