package yingyan.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.apache.camel.CamelContext;
import org.apache.camel.ServiceStatus;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import yingyan.testsupport.FakeApprovalsSystem;

/**
 * An operator stops, starts and polls the approvals adapter through the API, against a fake approval
 * system: STOPPED shows on the board and in health, nothing is polled while stopped, "poll now" reads a
 * case the hourly schedule would not reach for an hour, and every action is in the audit log.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "hub.adapters.approvals.enabled=true",
        "hub.adapters.approvals.poll-interval=1h",
        "hub.adapters.approvals.api-key=" + AdapterControlTest.KEY,
        "hub.adapters.approvals.overlap=0s",
        "hub.console.stats-max-age=0s"})
@ActiveProfiles("test")
class AdapterControlTest {
    static final String KEY = "adapter-control-test-key";
    static final FakeApprovalsSystem FAKE;
    private static final ObjectMapper JSON = new ObjectMapper();

    static {
        FAKE = new FakeApprovalsSystem(KEY);
        FAKE.put(new FakeApprovalsSystem.Case("AC-1", "2026-11-20 09:00:00", "在办"));
        FAKE.put(new FakeApprovalsSystem.Case("AC-2", "2026-11-20 09:05:00", "在办"));
    }

    @Autowired CamelContext camel;
    @Autowired JdbcTemplate jdbc;
    @LocalServerPort int port;
    private final HttpClient http = HttpClient.newHttpClient();

    @DynamicPropertySource
    static void source(DynamicPropertyRegistry registry) {
        registry.add("hub.adapters.approvals.base-url", FAKE::baseUrl);
    }

    @AfterAll
    static void stopFake() {
        FAKE.close();
    }

    @Test
    void anOperatorStopsStartsAndPollsAnAdapterAndEachActionIsAudited() throws Exception {
        // The first poll, a second after start, reads both cases.
        await().atMost(Duration.ofSeconds(60)).until(() -> row().path("lastHour").asLong() == 2);
        assertThat(row().path("state").asText()).isEqualTo("RUNNING");
        assertThat(row().path("routes").path("approvals-source").asText()).isEqualTo("Started");

        JsonNode stopped = JSON.readTree(post("operator", "/api/v1/adapters/approvals/stop").body());
        assertThat(stopped.path("state").asText()).isEqualTo("STOPPED");
        assertThat(camel.getRouteController().getRouteStatus("approvals-source")).isEqualTo(ServiceStatus.Stopped);
        JsonNode row = row();
        assertThat(row.path("state").asText()).isEqualTo("STOPPED");
        assertThat(row.path("reason").asText()).startsWith("stopped by operator at ");
        JsonNode health = get("viewer", "/actuator/health/adapters/approvals");
        assertThat(health.path("status").asText()).isEqualTo("UNKNOWN");
        assertThat(health.path("details").path("state").asText()).isEqualTo("STOPPED");

        // Stopped means stopped: no poll, and a viewer cannot start it.
        HttpResponse<String> poll = post("operator", "/api/v1/adapters/approvals/poll");
        assertThat(poll.statusCode()).isEqualTo(409);
        assertThat(JSON.readTree(poll.body()).path("detail").asText()).contains("STOPPED");
        assertThat(post("viewer", "/api/v1/adapters/approvals/start").statusCode()).isEqualTo(403);
        assertThat(row().path("state").asText()).isEqualTo("STOPPED");

        assertThat(post("operator", "/api/v1/adapters/approvals/start").statusCode()).isEqualTo(200);
        assertThat(row().path("state").asText()).isEqualTo("RUNNING");
        assertThat(get("viewer", "/actuator/health/adapters/approvals").path("status").asText()).isEqualTo("UP");
        // Starting polls once, a second later; the next scheduled poll is an hour away.
        String afterStart = await().atMost(Duration.ofSeconds(30)).until(() -> row().path("lastSuccessAt").asText(),
                at -> !at.equals(row.path("lastSuccessAt").asText()));

        FAKE.put(new FakeApprovalsSystem.Case("AC-3", "2026-11-20 10:00:00", "办结"));
        HttpResponse<String> now = post("operator", "/api/v1/adapters/approvals/poll");
        assertThat(now.statusCode()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(30)).until(() -> jdbc.queryForObject(
                "SELECT COUNT(*) FROM record WHERE record_id = 'approvals:AC-3'", Long.class) == 1);
        assertThat(row().path("lastSuccessAt").asText()).isNotEqualTo(afterStart);

        List<String> audited = new ArrayList<>();
        get("viewer", "/api/v1/audit?actor=operator&limit=20").path("items")
                .forEach(e -> audited.add(e.path("action").asText() + " | " + e.path("outcome").asText()));
        assertThat(audited).containsSubsequence(
                "POST /api/v1/adapters/{id}/poll | HTTP 200: poll requested on approvals-source",
                "POST /api/v1/adapters/{id}/start | HTTP 200: started approvals-source",
                "POST /api/v1/adapters/{id}/poll | HTTP 409: not polled: the adapter is STOPPED; start it first",
                "POST /api/v1/adapters/{id}/stop | HTTP 200: stopped approvals-source");
    }

    private JsonNode row() throws Exception {
        return get("viewer", "/api/v1/adapters/approvals");
    }

    private JsonNode get(String user, String path) throws Exception {
        HttpResponse<String> r = http.send(request(user, path).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as("GET " + path + ": " + r.body()).isIn(200, 503);
        return JSON.readTree(r.body());
    }

    private HttpResponse<String> post(String user, String path) throws Exception {
        return http.send(request(user, path).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpRequest.Builder request(String user, String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).header("Authorization",
                "Basic " + Base64.getEncoder().encodeToString((user + ":" + user + "-secret")
                        .getBytes(StandardCharsets.UTF_8)));
    }
}
