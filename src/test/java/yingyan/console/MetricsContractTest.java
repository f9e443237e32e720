package yingyan.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.yaml.snakeyaml.Yaml;
import yingyan.ingest.FixtureMapper;
import yingyan.spi.IngestGateway;
import yingyan.testsupport.FakeApprovalsSystem;

/**
 * The Grafana dashboard (conf/grafana) and the alert rules (conf/prometheus) cannot drift from the hub:
 * after some traffic — records stored and quarantined, an approval system that refuses the key (401), a
 * province that does not answer — every metric name either file mentions is on {@code /actuator/prometheus}
 * (read with the scraper's credential, role METRICS), and the gauges say what happened.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "hub.adapters.approvals.enabled=true",
        "hub.adapters.approvals.poll-interval=1h",
        "hub.adapters.approvals.max-attempts=1",
        "hub.province.enabled=true",
        "hub.province.poll-interval=200ms",
        "hub.province.connect-timeout=1s",
        "hub.province.initial-backoff=100ms",
        "hub.province.max-backoff=500ms",
        "hub.province.breaker-failure-threshold=2",
        "hub.console.stats-max-age=0s",
        "hub.console.ledger-totals-max-age=0s",
        // The test profile's people plus the scraper (a list is replaced whole, so all three are named).
        "hub.security.users[0].name=operator", "hub.security.users[0].password=operator-secret",
        "hub.security.users[0].roles=OPERATOR,VIEWER",
        "hub.security.users[1].name=viewer", "hub.security.users[1].password=viewer-secret",
        "hub.security.users[1].roles=VIEWER",
        "hub.security.users[2].name=scraper", "hub.security.users[2].password=scraper-secret",
        "hub.security.users[2].roles=METRICS"})
@ActiveProfiles("test")
@AutoConfigureObservability(tracing = false)
@Import(FixtureMapper.Config.class)
class MetricsContractTest {
    private static final Pattern METRIC = Pattern.compile("\\b((?:yingyan|camel)_[a-z0-9_]+)");
    static final FakeApprovalsSystem APPROVALS = new FakeApprovalsSystem("test-approvals-key");
    private static final ObjectMapper JSON = new ObjectMapper();

    static {
        APPROVALS.failWith(401);
    }

    @Autowired IngestGateway gateway;
    @LocalServerPort int port;
    private final HttpClient http = HttpClient.newHttpClient();

    @DynamicPropertySource
    static void endpoints(DynamicPropertyRegistry registry) throws IOException {
        registry.add("hub.adapters.approvals.base-url", APPROVALS::baseUrl);
        int closed;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort(); // nothing listens here once closed: the province does not answer
        }
        registry.add("hub.province.base-url", () -> "http://127.0.0.1:" + closed);
    }

    @AfterAll
    static void stop() {
        APPROVALS.close();
    }

    @Test
    void everyMetricTheDashboardAndTheAlertsUseIsScrapedAndTellsWhatHappened() throws Exception {
        gateway.submit(List.of(FixtureMapper.item("M-1", "2026-11-28 09:00:00", "1.00"),
                FixtureMapper.item("M-2", "2026-11-28 10:00:00", "2.00"),
                ConsoleApiTest.pending("M-3", null)));
        gateway.submit(List.of(FixtureMapper.item("M-1", "2026-11-28 09:00:00", "1.00")));

        String scrape = await().atMost(Duration.ofSeconds(60)).until(this::scrape, s ->
                value(s, "yingyan_records_applied_total{adapter=\"fixture\"}") == 2
                        && value(s, "yingyan_records_duplicates_total{adapter=\"fixture\"}") == 1
                        && value(s, "yingyan_adapter_failing{adapter=\"approvals\"}") == 1
                        && value(s, "yingyan_province_breaker_open") == 1
                        && s.contains("yingyan_province_requests_total{status=\"none\"}"));

        Set<String> referenced = new TreeSet<>();
        referenced.addAll(names(Files.readString(Path.of("conf/grafana/yingyan-dashboard.json"))));
        referenced.addAll(names(Files.readString(Path.of("conf/prometheus/yingyan-alerts.yaml"))));
        assertThat(referenced).as("the files name the hub's own metrics and Camel's")
                .contains("yingyan_adapter_lag_seconds", "yingyan_province_pending", "camel_exchanges_total");
        for (String name : referenced) {
            assertThat(Pattern.compile("(?m)^" + name + "[{ ]").matcher(scrape).find())
                    .as(name + " is referenced by the dashboard or the alert rules but not on /actuator/prometheus")
                    .isTrue();
        }

        // The figures behind them.
        assertThat(value(scrape, "yingyan_adapter_up{adapter=\"approvals\"}")).isZero();
        assertThat(value(scrape, "yingyan_adapter_stopped{adapter=\"approvals\"}")).isZero();
        assertThat(value(scrape, "yingyan_adapter_stopped{adapter=\"housing-fund\"}")).isEqualTo(1);
        assertThat(value(scrape, "yingyan_records_quarantined_total{adapter=\"fixture\"}")).isEqualTo(1);
        assertThat(value(scrape, "yingyan_quarantine_open{adapter=\"fixture\"}")).isEqualTo(1);
        double lag = Duration.between(Instant.parse("2026-11-28T02:00:00Z"), Instant.now()).toSeconds();
        assertThat(value(scrape, "yingyan_adapter_lag_seconds{adapter=\"fixture\"}")).isBetween(lag - 60, lag + 1);
        assertThat(value(scrape, "yingyan_province_pending")).as("both versions wait for the province").isEqualTo(2);
        assertThat(value(scrape, "yingyan_province_oldest_pending_age_seconds")).isBetween(0.0, 120.0);
        assertThat(value(scrape, "yingyan_province_up")).isZero();
        assertThat(scrape).contains("camel_exchanges_total{camelContext=\"yingyan\",eventType=\"route\",kind=\"CamelRoute\","
                + "routeId=\"persist\"}");

        // The board says the same, with the reason.
        JsonNode board = JSON.readTree(send("/api/v1/adapters", "viewer").body());
        JsonNode approvals = null;
        for (JsonNode r : board.path("items")) {
            if (r.path("adapter").asText().equals("approvals")) {
                approvals = r;
            }
        }
        assertThat(approvals).isNotNull();
        assertThat(approvals.path("state").asText()).isEqualTo("FAILING");
        assertThat(approvals.path("reason").asText()).contains("401");
        assertThat(board.path("province").path("state").asText()).isEqualTo("FAILING");
        assertThat(board.path("province").path("reason").asText()).contains("not answering");
    }

    @Test
    void theScrapeTakesTheScrapersCredentialAndTheRulesFileIsWellFormed() throws Exception {
        assertThat(send("/actuator/prometheus", "scraper").statusCode()).isEqualTo(200);
        assertThat(send("/actuator/prometheus", null).statusCode()).isEqualTo(401);
        assertThat(send("/actuator/metrics", null).statusCode()).isEqualTo(401);
        @SuppressWarnings("unchecked")
        java.util.Map<String, Object> rules = new Yaml().load(Files.readString(Path.of("conf/prometheus/yingyan-alerts.yaml")));
        List<String> alerts = ((List<java.util.Map<String, Object>>) rules.get("groups")).stream()
                .flatMap(g -> ((List<java.util.Map<String, Object>>) g.get("rules")).stream())
                .map(r -> (String) r.get("alert")).toList();
        assertThat(alerts).contains("YingyanAdapterFailing", "YingyanAdapterLagHigh", "YingyanQuarantineGrowing",
                "YingyanProvinceUnreachable");
        JsonNode dashboard = JSON.readTree(Files.readString(Path.of("conf/grafana/yingyan-dashboard.json")));
        assertThat(dashboard.path("uid").asText()).isEqualTo("yingyan-hub");
        assertThat(dashboard.path("panels").size()).isGreaterThan(5);
    }

    private static Set<String> names(String text) {
        Set<String> out = new TreeSet<>();
        Matcher m = METRIC.matcher(text);
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }

    /** The value of the one sample whose name and labels are exactly {@code series}; NaN when absent. */
    private static double value(String scrape, String series) {
        for (String line : scrape.split("\n")) {
            if (line.startsWith(series + " ")) {
                return Double.parseDouble(line.substring(series.length() + 1).trim().split(" ")[0]);
            }
        }
        return Double.NaN;
    }

    private String scrape() throws Exception {
        HttpResponse<String> r = send("/actuator/prometheus", "scraper");
        assertThat(r.statusCode()).isEqualTo(200);
        return r.body();
    }

    private HttpResponse<String> send(String path, String user) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).GET();
        if (user != null) {
            b.header("Authorization", "Basic " + Base64.getEncoder().encodeToString((user + ":" + user + "-secret")
                    .getBytes(StandardCharsets.UTF_8)));
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
}
