package yingyan.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.apache.camel.ServiceStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;
import yingyan.testsupport.FakeApprovalsSystem;
import yingyan.testsupport.Hubs;

/**
 * The quick start's one node (H2, hub.cluster.enabled false): nothing is elected, an enabled source starts with the
 * hub as before and GET /api/v1/cluster shows this node leading every job; an operator's stop of an adapter is kept
 * in the database and survives restarts until someone starts it again.
 */
class OperatorStopSurvivesRestartTest {
    private static final String KEY = "stop-survives-key";

    @Test
    void anOperatorsStopSurvivesTwoRestartsUntilStartedAndOneNodeLeadsEveryJob(@TempDir Path dir) throws Exception {
        try (FakeApprovalsSystem fake = new FakeApprovalsSystem(KEY)) {
            fake.put(new FakeApprovalsSystem.Case("OS-1", "2026-11-20 09:00:00", "在办"));
            Map<String, Object> props = new LinkedHashMap<>();
            props.put("spring.datasource.url", "jdbc:h2:file:" + dir.resolve("db/yingyan")
                    + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH");
            props.put("hub.adapters.approvals.enabled", "true");
            props.put("hub.adapters.approvals.base-url", fake.baseUrl());
            props.put("hub.adapters.approvals.api-key", KEY);
            props.put("hub.adapters.approvals.poll-interval", "1h");
            props.put("hub.retention.enabled", "true");
            props.put("hub.cluster.node-name", "solo");

            ConfigurableApplicationContext hub = Hubs.start(props);
            try {
                assertThat(status(hub)).as("nothing elected: the enabled source starts with the hub")
                        .isEqualTo(ServiceStatus.Started);
                var r = Http.get(hub, "viewer", "/api/v1/cluster");
                assertThat(r.statusCode()).isEqualTo(200);
                JsonNode cluster = Http.json(r);
                assertThat(cluster.path("enabled").asBoolean(true)).isFalse();
                assertThat(cluster.path("node").asText()).isEqualTo("solo");
                assertThat(cluster.path("nodes")).hasSize(1);
                JsonNode me = cluster.path("nodes").get(0);
                assertThat(me.path("name").asText()).isEqualTo("solo");
                assertThat(me.path("state").asText()).isEqualTo("UP");
                assertThat(me.path("host").asText()).isNotBlank();
                assertThat(me.path("startedAt").asText()).endsWith("Z");
                assertThat(me.path("lastSeen").asText()).endsWith("Z");
                List<String> jobs = new ArrayList<>();
                me.path("jobs").forEach(j -> jobs.add(j.asText()));
                assertThat(jobs).as("one node leads every job").contains("adapter:approvals", "retention");

                var stop = Http.post(hub, "operator", "/api/v1/adapters/approvals/stop");
                assertThat(stop.statusCode()).as(stop.body()).isEqualTo(200);
                assertThat(status(hub)).isEqualTo(ServiceStatus.Stopped);
            } finally {
                hub.close();
            }

            for (int restart = 1; restart <= 2; restart++) {
                hub = Hubs.start(props);
                try {
                    assertThat(status(hub)).as("restart " + restart + ": still stopped by the operator")
                            .isNotEqualTo(ServiceStatus.Started);
                    JsonNode row = Http.json(Http.get(hub, "viewer", "/api/v1/adapters/approvals"));
                    assertThat(row.toString()).contains("STOPPED");
                    var poll = Http.post(hub, "operator", "/api/v1/adapters/approvals/poll");
                    assertThat(poll.statusCode()).isEqualTo(409);
                    if (restart == 2) {
                        var start = Http.post(hub, "operator", "/api/v1/adapters/approvals/start");
                        assertThat(start.statusCode()).as(start.body()).isEqualTo(200);
                        ConfigurableApplicationContext h = hub;
                        await().atMost(Duration.ofSeconds(10)).until(() -> status(h) == ServiceStatus.Started);
                    }
                } finally {
                    hub.close();
                }
            }
            hub = Hubs.start(props);
            try {
                assertThat(status(hub)).as("started again: starts with the hub again").isEqualTo(ServiceStatus.Started);
            } finally {
                hub.close();
            }
        }
    }

    private static ServiceStatus status(ConfigurableApplicationContext hub) {
        return hub.getBean(CamelContext.class).getRouteController().getRouteStatus("approvals-source");
    }
}
