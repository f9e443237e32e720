package yingyan.feed;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;
import yingyan.testsupport.Hubs;

/** The feed's no-gap, no-repeat promise on H2 (the quick start's database), with a restart in the middle. */
class FeedConcurrencyTest {
    @TempDir
    Path dir;

    private Map<String, Object> h2() {
        return Map.of("spring.datasource.url", "jdbc:h2:file:" + dir.resolve("hub").toAbsolutePath()
                + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH");
    }

    @Test
    void aConsumerKeepingItsCursorGetsEveryVersionOnceWhileWritersWriteAndTheHubRestarts() throws Exception {
        FeedFixtures.concurrentWritersAndARestart(h2());
    }

    @Test
    void aVersionCommittedLaterIsNeverPassedByTheCursor() throws Exception {
        try (ConfigurableApplicationContext hub = Hubs.start(h2())) {
            FeedFixtures.aLaterCommitNeverPassesAnOpenTransaction(hub,
                    "SELECT COUNT(*) FROM information_schema.sessions WHERE blocker_id IS NOT NULL");
        }
    }
}
