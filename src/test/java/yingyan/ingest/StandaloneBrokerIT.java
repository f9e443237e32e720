package yingyan.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import yingyan.spi.IngestGateway;
import yingyan.spi.SourceItem;
import yingyan.testsupport.Hubs;
import yingyan.testsupport.StandaloneArtemis;

/**
 * The hub against an external broker by URL (the production set-up): records flow, and when the
 * broker is killed (kill -9) and started again the hub reconnects by itself and nothing is lost.
 */
class StandaloneBrokerIT {
    @TempDir
    Path dir;

    @Test
    void recordsFlowThroughTheExternalBrokerAndSurviveItsRestart() throws Exception {
        try (StandaloneArtemis broker = StandaloneArtemis.create(dir).start()) {
            ConfigurableApplicationContext hub = Hubs.start(Map.of("spring.artemis.mode", "native",
                    "spring.artemis.embedded.enabled", "false", "spring.artemis.broker-url", broker.url()),
                    FixtureMapper.Config.class);
            try {
                assertThat(hub.getBeansOfType(org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ.class))
                        .as("no embedded broker: the hub must use the standalone one").isEmpty();
                IngestGateway gateway = hub.getBean(IngestGateway.class);
                JdbcTemplate jdbc = hub.getBean(JdbcTemplate.class);
                gateway.submit(items("S", 50));
                await().atMost(Duration.ofSeconds(60)).until(() -> count(jdbc, "fixture:S-%") == 50);

                broker.kill();
                broker.start();
                // The adapter side retries until the broker is back (as its next poll would); the persist
                // consumer reconnects by itself.
                await().atMost(Duration.ofSeconds(90)).ignoreExceptions().until(() -> {
                    gateway.submit(items("T", 50));
                    return true;
                });
                await().atMost(Duration.ofSeconds(90)).until(() -> count(jdbc, "fixture:T-%") == 50);
                assertThat(count(jdbc, "fixture:S-%")).isEqualTo(50);
            } finally {
                hub.close(); // before the broker goes: a client that reconnects forever would hold the JVM
            }
        }
    }

    private static List<SourceItem> items(String prefix, int n) {
        List<SourceItem> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(FixtureMapper.item(prefix + "-" + i, "2026-03-01 10:00:00", "1.00"));
        }
        return out;
    }

    private static int count(JdbcTemplate jdbc, String like) {
        return jdbc.queryForObject("SELECT COUNT(*) FROM record WHERE record_id LIKE ?", Integer.class, like);
    }
}
