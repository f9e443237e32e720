package yingyan.adapters.approvals;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import yingyan.testsupport.FakeApprovalsSystem;
import yingyan.testsupport.FakeApprovalsSystem.Case;
import yingyan.testsupport.Hubs;

/**
 * Stop the hub in the middle of a run and start it again on the same database and broker journal:
 * every source case ends in the database exactly once, at its newest version.
 */
class HubRestartTest {
    private static final int CASES = 300;
    private static final int UPDATED = 100;

    @TempDir
    Path dir;

    @Test
    void everyCaseIsStoredExactlyOnceAtItsNewestVersionAcrossAStopInTheMiddleOfARun() throws Exception {
        try (FakeApprovalsSystem source = new FakeApprovalsSystem("restart-key")) {
            for (int i = 0; i < CASES; i++) {
                source.put(new Case(String.format("RS-%04d", i), String.format("2026-03-01 10:%02d:%02d",
                        i / 60, i % 60), "在办"));
            }
            source.delay(150);
            Map<String, Object> props = new HashMap<>();
            props.put("spring.datasource.url", "jdbc:h2:file:" + dir.resolve("db/yingyan")
                    + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH");
            props.put("spring.artemis.embedded.persistent", "true");
            props.put("spring.artemis.embedded.data-directory", dir.resolve("artemis").toString());
            props.put("hub.adapters.approvals.enabled", "true");
            props.put("hub.adapters.approvals.base-url", source.baseUrl());
            props.put("hub.adapters.approvals.api-key", "restart-key");
            props.put("hub.adapters.approvals.poll-interval", "200ms");
            props.put("hub.adapters.approvals.page-size", "20");

            ConfigurableApplicationContext first = Hubs.start(props);
            try {
                JdbcTemplate jdbc = first.getBean(JdbcTemplate.class);
                await().atMost(Duration.ofSeconds(120)).until(() -> count(jdbc) >= 40);
                // Cases change while the hub is down and running: the newest version must win.
                for (int i = 0; i < UPDATED; i++) {
                    source.put(new Case(String.format("RS-%04d", i), "2026-03-01 11:00:00", "办结"));
                }
            } finally {
                first.close();
            }
            assertThat(source.cases()).hasSize(CASES);

            source.delay(0);
            ConfigurableApplicationContext second = Hubs.start(props);
            try {
                JdbcTemplate jdbc = second.getBean(JdbcTemplate.class);
                await().atMost(Duration.ofSeconds(180)).until(() -> count(jdbc) == CASES
                        && completed(jdbc) == UPDATED);
                assertThat(jdbc.queryForObject("SELECT COUNT(DISTINCT record_id) FROM record", Integer.class))
                        .isEqualTo(CASES);
                // each version once in the history: no (record, payload) applied twice
                List<Map<String, Object>> doubled = jdbc.queryForList("SELECT record_id, payload_sha256, COUNT(*)"
                        + " FROM record_version GROUP BY record_id, payload_sha256 HAVING COUNT(*) > 1");
                assertThat(doubled).isEmpty();
                for (int i = 0; i < CASES; i++) {
                    String body = jdbc.queryForObject("SELECT body FROM record WHERE record_id = ?", String.class,
                            String.format("approvals:RS-%04d", i));
                    assertThat(body).contains(i < UPDATED ? "\"COMPLETED\"" : "\"OPEN\"");
                }
            } finally {
                second.close();
            }
        }
    }

    private static int count(JdbcTemplate jdbc) {
        return jdbc.queryForObject("SELECT COUNT(*) FROM record WHERE adapter = 'approvals'", Integer.class);
    }

    private static int completed(JdbcTemplate jdbc) {
        return jdbc.queryForObject("SELECT COUNT(*) FROM record WHERE adapter = 'approvals' AND body LIKE"
                + " '%\"status\":\"COMPLETED\"%'", Integer.class);
    }
}
