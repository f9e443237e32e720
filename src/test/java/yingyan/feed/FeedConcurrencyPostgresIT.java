package yingyan.feed;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import yingyan.testsupport.Hubs;
import yingyan.testsupport.Services;

/** The feed's no-gap, no-repeat promise on PostgreSQL, where sequence values commit out of order. */
class FeedConcurrencyPostgresIT {
    private final List<String> databases = new ArrayList<>();

    private Map<String, Object> postgres() {
        String url = Services.freshPostgresDatabase("yingyan_feed_it");
        databases.add(url);
        return Map.of("spring.datasource.url", url, "spring.datasource.username", Services.pgUser(),
                "spring.datasource.password", "");
    }

    /** Runs leave nothing on the shared server. */
    @AfterEach
    void dropDatabases() throws Exception {
        for (String url : databases) {
            String name = url.substring(url.lastIndexOf('/') + 1);
            try (Connection c = DriverManager.getConnection(url.substring(0, url.lastIndexOf('/')) + "/postgres",
                    Services.pgUser(), "");
                 Statement s = c.createStatement()) {
                s.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
            }
        }
    }

    @Test
    void aConsumerKeepingItsCursorGetsEveryVersionOnceWhileWritersWriteAndTheHubRestarts() throws Exception {
        FeedFixtures.concurrentWritersAndARestart(postgres());
    }

    @Test
    void aVersionCommittedLaterIsNeverPassedByTheCursor() throws Exception {
        try (ConfigurableApplicationContext hub = Hubs.start(postgres())) {
            FeedFixtures.aLaterCommitNeverPassesAnOpenTransaction(hub,
                    "SELECT COUNT(*) FROM pg_stat_activity WHERE datname = current_database()"
                            + " AND wait_event_type = 'Lock'");
        }
    }
}
