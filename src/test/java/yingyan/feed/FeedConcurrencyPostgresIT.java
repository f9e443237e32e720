package yingyan.feed;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import yingyan.testsupport.Hubs;
import yingyan.testsupport.Services;

/** The feed's no-gap, no-repeat promise on PostgreSQL, where sequence values commit out of order. */
class FeedConcurrencyPostgresIT {

    private static Map<String, Object> postgres() {
        String url = Services.freshPostgresDatabase("yingyan_feed_it");
        return Map.of("spring.datasource.url", url, "spring.datasource.username", Services.pgUser(),
                "spring.datasource.password", "");
    }

    @Test
    void aConsumerKeepingItsCursorGetsEveryVersionOnceWhileWritersWriteAndTheHubRestarts() throws Exception {
        FeedScenario.concurrentWritersAndARestart(postgres());
    }

    @Test
    void aVersionCommittedLaterIsNeverPassedByTheCursor() throws Exception {
        try (ConfigurableApplicationContext hub = Hubs.start(postgres())) {
            FeedScenario.aLaterCommitNeverPassesAnOpenTransaction(hub,
                    "SELECT COUNT(*) FROM pg_stat_activity WHERE datname = current_database()"
                            + " AND wait_event_type = 'Lock'");
        }
    }
}
