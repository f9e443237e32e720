package yingyan.faults;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import yingyan.testsupport.FakeApprovalsSystem;
import yingyan.testsupport.FakeApprovalsSystem.Case;
import yingyan.testsupport.FakeProvince;
import yingyan.testsupport.Hubs;
import yingyan.testsupport.NothingLost;
import yingyan.testsupport.PrivatePostgres;
import yingyan.testsupport.Ticker;
import yingyan.testsupport.Viewer;

/**
 * The municipal database (PostgreSQL, a private cluster of this test) stopped with
 * {@code pg_ctlcluster … stop -m immediate} under load and started again: the approval system keeps
 * changing, the adapter keeps polling, batches keep being persisted and pushed to the province. While it
 * is away the hub's health is DOWN; afterwards it is UP again without a restart of the hub, every case
 * is stored once at its newest version, and the province has accepted each newest version exactly once.
 */
@Tag("fault")
class PostgresOutageFaultIT {
    static final DateTimeFormatter T = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss");
    static final LocalDateTime T0 = LocalDateTime.of(2026, 3, 1, 9, 0, 0);

    @Test
    @Timeout(value = 4, unit = TimeUnit.MINUTES)
    void databaseStoppedHardUnderLoad_healthIsDownMeanwhile_theHubRidesThroughAndNothingIsLost() throws Exception {
        try (PrivatePostgres pg = PrivatePostgres.start();
             FakeApprovalsSystem approvals = new FakeApprovalsSystem("test-approvals-key");
             FakeProvince province = new FakeProvince(HubKillFaultIT.SECRET)) {
            String url = pg.createDatabase("yingyan");
            JdbcTemplate db = new JdbcTemplate(new DriverManagerDataSource(url, PrivatePostgres.user(), ""));
            Map<String, Object> props = new LinkedHashMap<>(HubKillFaultIT.province(province));
            props.put("spring.datasource.url", url);
            props.put("spring.datasource.username", PrivatePostgres.user());
            props.put("spring.datasource.password", "");
            // Health answers within seconds while the database is away (production waits 5 s per connection).
            props.put("spring.datasource.hikari.connection-timeout", "2000");
            props.put("hub.adapters.approvals.enabled", "true");
            props.put("hub.adapters.approvals.base-url", approvals.baseUrl());
            props.put("hub.adapters.approvals.poll-interval", "200ms");
            props.put("hub.adapters.approvals.page-size", "100");
            ConfigurableApplicationContext hub = Hubs.start(props);
            try {
                String base = "http://127.0.0.1:" + hub.getEnvironment().getProperty("local.server.port");
                // Every tick (one source second) a new case; every third tick an earlier case is completed.
                try (Ticker load = Ticker.every(Duration.ofMillis(100), i -> {
                    String now = T0.plusSeconds(i).format(T);
                    approvals.put(new Case(String.format("PG-%05d", i), now, "在办"));
                    if (i % 3 == 2) {
                        approvals.put(new Case(String.format("PG-%05d", i / 3), now, "办结"));
                    }
                })) {
                    await("records flowing", () -> count(db, "SELECT COUNT(*) FROM record") >= 50);
                    assertThat(health(base).path("status").asText()).isEqualTo("UP");

                    pg.stopImmediately();
                    int stoppedAt = load.ticks();
                    await("health DOWN while the database is away", () -> {
                        JsonNode h = health(base);
                        return "DOWN".equals(h.path("status").asText())
                                && "DOWN".equals(h.path("components").path("db").path("status").asText());
                    });
                    await("the departments go on changing meanwhile", () -> load.ticks() >= stoppedAt + 50);

                    pg.startAgain();
                    await("health UP again without a restart", () -> "UP".equals(health(base).path("status").asText()));
                    int restartedAt = load.ticks();
                    await("records flowing again", () -> load.ticks() >= restartedAt + 20);
                    load.stop();
                }
                Map<String, NothingLost.Produced> produced = approvals.produced();
                NothingLost.awaitSettled(db, produced, province, Duration.ofSeconds(90));
                NothingLost.check("PostgreSQL stopped -m immediate under load", db, List.of("approvals"), produced,
                        province);
            } finally {
                hub.close();
            }
        }
    }

    private static JsonNode health(String base) throws Exception {
        return Viewer.json(base, "/actuator/health");
    }

    private static long count(JdbcTemplate db, String sql) {
        Long n = db.queryForObject(sql, Long.class);
        return n == null ? 0 : n;
    }

    private static void await(String what, java.util.concurrent.Callable<Boolean> until) {
        Awaitility.await(what).atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(250)).until(until);
    }
}
