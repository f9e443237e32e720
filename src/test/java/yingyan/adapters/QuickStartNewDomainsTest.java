package yingyan.adapters;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
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
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import yingyan.canonical.CanonicalJson;
import yingyan.testsupport.Hubs;

/**
 * The quick start as {@code mvn spring-boot:run} runs it (profile {@code demo}: H2, the embedded broker, the demo
 * trading centre and penalty service serving test-data/, the demo province), only on free ports and in a temporary
 * folder: within a minute {@code GET /api/v1/records?domain=…} answers every sample record of PENALTY, BIDDING,
 * MINING_RIGHT and STATE_PROPERTY, the feed carries them, the demo province accepted them, every bad sample is in
 * quarantine with its field named, and the board has a row per adapter, public-funds saying plainly that it needs a
 * RabbitMQ.
 */
class QuickStartNewDomainsTest {
    private static final Logger log = LoggerFactory.getLogger(QuickStartNewDomainsTest.class);
    private static final Path TEST_DATA = Path.of("test-data");
    private static final String DEMO = "demo:demo";

    @TempDir
    static Path tmp;
    private static ConfigurableApplicationContext hub;
    private static long startedAtNanos;
    private static final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void startTheQuickStart() throws IOException {
        Map<String, Object> p = new LinkedHashMap<>();
        // Only what must differ on a shared test machine: memory instead of ./data, free ports instead of 1808x.
        p.put("spring.datasource.url", "jdbc:h2:mem:quick-start-" + System.nanoTime()
                + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1");
        p.put("spring.artemis.embedded.persistent", "false");
        p.put("hub.adapters.housing-fund.jdbc-url", "jdbc:h2:mem:gjj-quick-start-" + System.nanoTime()
                + ";MODE=MariaDB;DB_CLOSE_DELAY=-1");
        p.put("hub.adapters.procurement.drop-dir", tmp.resolve("procurement").toString());
        p.put("hub.adapters.procurement.sftp-work-dir", tmp.resolve("procurement-sftp").toString());
        p.put("hub.adapters.land-transfer.drop-dir", tmp.resolve("land").toString());
        p.put("hub.adapters.land-transfer.sftp-work-dir", tmp.resolve("land-sftp").toString());
        ports(p, "approvals", "hub.adapters.approvals.base-url");
        ports(p, "hub-feed", "hub.adapters.hub-feed.base-url");
        ports(p, "trading", "hub.adapters.trading.base-url");
        ports(p, "penalties", "hub.adapters.penalties.base-url");
        ports(p, "province", "hub.province.base-url");
        // The demo centre has no maintenance window; the real one's (01:00–01:30 Beijing) would idle this test.
        p.put("hub.adapters.trading.skip-maintenance", "false");
        startedAtNanos = System.nanoTime();
        hub = Hubs.start("demo", p);
    }

    @AfterAll
    static void stop() {
        if (hub != null) {
            hub.close();
        }
    }

    private static void ports(Map<String, Object> p, String demo, String baseUrlKey) throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        p.put("hub.demo." + demo + "-port", port);
        p.put(baseUrlKey, "http://127.0.0.1:" + port);
    }

    @Test
    void theNewDomainsAnswerWithinAMinuteInTheFeedAndAtTheProvinceWithTheirBadSamplesInQuarantine() throws Exception {
        Map<String, Set<String>> expected = expectedRecordsByDomain();
        assertThat(expected).as("sample records per domain in test-data/penalties and test-data/trading")
                .containsOnlyKeys("PENALTY", "BIDDING", "MINING_RIGHT", "STATE_PROPERTY")
                .allSatisfy((domain, ids) -> assertThat(ids).isNotEmpty());
        Map<String, String> badSamples = expectedQuarantine();
        assertThat(badSamples).hasSizeGreaterThanOrEqualTo(10);
        JdbcTemplate jdbc = new JdbcTemplate(hub.getBean(DataSource.class));

        await("every sample record of the four domains answered by GET /api/v1/records?domain=…")
                .atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
                    for (Map.Entry<String, Set<String>> e : expected.entrySet()) {
                        assertThat(recordIds("/api/v1/records?limit=1000&domain=" + e.getKey()))
                                .as("records of domain %s", e.getKey()).containsExactlyInAnyOrderElementsOf(e.getValue());
                    }
                });
        log.info("quick start: PENALTY, BIDDING, MINING_RIGHT, STATE_PROPERTY answered {} s after the hub was asked to"
                + " start", Duration.ofNanos(System.nanoTime() - startedAtNanos).toSeconds());

        for (Map.Entry<String, Set<String>> e : expected.entrySet()) {
            assertThat(recordIds("/api/v1/feed?limit=1000&domain=" + e.getKey()))
                    .as("the feed of domain %s", e.getKey()).containsExactlyInAnyOrderElementsOf(e.getValue());
            JsonNode one = json("/api/v1/records/" + e.getValue().iterator().next());
            assertThat(one.get("domain").asText()).isEqualTo(e.getKey());
        }

        Set<String> all = new TreeSet<>();
        expected.values().forEach(all::addAll);
        await("the demo province accepted every sample record's version")
                .atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() ->
                        assertThat(jdbc.queryForList("SELECT record_id FROM province_delivery WHERE state = 'ACCEPTED'"
                                + " AND (record_id LIKE 'penalties:%' OR record_id LIKE 'trading:%')", String.class))
                                .containsAll(all));
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM province_delivery WHERE state = 'REJECTED'"
                + " AND (record_id LIKE 'penalties:%' OR record_id LIKE 'trading:%')", Integer.class)).isZero();

        Map<String, String> fieldOf = new TreeMap<>();
        for (String adapter : List.of("penalties", "trading")) {
            for (JsonNode q : json("/api/v1/quarantine?limit=1000&adapter=" + adapter).get("items")) {
                if (!q.get("sourceKey").isNull()) {
                    fieldOf.put(adapter + ":" + q.get("sourceKey").asText(), q.get("field").asText());
                    assertThat(q.get("reason").asText()).as("the reason of %s", q.get("sourceKey")).isNotBlank();
                }
            }
        }
        assertThat(fieldOf).as("each bad sample quarantined, naming the field at fault").containsAllEntriesOf(badSamples);
    }

    @Test
    void theBoardHasARowPerAdapterAndPublicFundsSaysPlainlyThatItNeedsARabbitMq() throws Exception {
        JsonNode rows = json("/api/v1/adapters").get("items");
        Map<String, JsonNode> byAdapter = new TreeMap<>();
        rows.forEach(r -> byAdapter.put(r.get("adapter").asText(), r));
        assertThat(byAdapter).containsKeys("penalties", "trading", "public-funds");

        JsonNode publicFunds = byAdapter.get("public-funds");
        assertThat(publicFunds.get("state").asText()).isEqualTo("STOPPED");
        assertThat(publicFunds.get("reason").asText())
                .contains("needs a RabbitMQ", "YINGYAN_PUBLIC_FUNDS_ENABLED=true", "YINGYAN_PUBLIC_FUNDS_ADDRESSES");
        JsonNode health = json("/actuator/health/adapters/public-funds");
        assertThat(health.get("details").get("reason").asText()).contains("needs a RabbitMQ");
    }

    /** recordId by domain, from every test-data/{penalties,trading}/<case>/expected.json. */
    private static Map<String, Set<String>> expectedRecordsByDomain() throws IOException {
        Map<String, Set<String>> out = new TreeMap<>();
        for (JsonNode expected : expectedFiles()) {
            for (JsonNode r : expected.path("records")) {
                out.computeIfAbsent(r.get("domain").asText(), d -> new TreeSet<>()).add(r.get("recordId").asText());
            }
        }
        return out;
    }

    /** "adapter:sourceKey" → the field named, for every bad sample with a readable key that a stream serves. */
    private static Map<String, String> expectedQuarantine() throws IOException {
        Map<String, String> out = new TreeMap<>();
        for (String adapter : List.of("penalties", "trading")) {
            for (JsonNode expected : expectedFiles(adapter)) {
                for (JsonNode q : expected.path("quarantined")) {
                    // type LAND names none of the centre's three change streams, so neither the centre nor its demo
                    // serves it (TradingDemoServerTest); GoldenCasesTest trading/unknown-method-and-status covers it.
                    if (q.hasNonNull("sourceKey") && !"type".equals(q.path("field").asText())) {
                        out.put(adapter + ":" + q.get("sourceKey").asText(), q.get("field").asText());
                    }
                }
            }
        }
        return out;
    }

    private static List<JsonNode> expectedFiles(String... adapters) throws IOException {
        List<JsonNode> out = new ArrayList<>();
        for (String adapter : adapters.length == 0 ? new String[] {"penalties", "trading"} : adapters) {
            try (Stream<Path> files = Files.walk(TEST_DATA.resolve(adapter))) {
                for (Path f : files.filter(f -> f.getFileName().toString().equals("expected.json")).sorted().toList()) {
                    out.add(CanonicalJson.mapper().readTree(f.toFile()));
                }
            }
        }
        return out;
    }

    private static Set<String> recordIds(String path) throws Exception {
        Set<String> ids = new TreeSet<>();
        json(path).get("items").forEach(r -> ids.add(r.get("recordId").asText()));
        return ids;
    }

    private static JsonNode json(String path) throws Exception {
        int port = Integer.parseInt(hub.getEnvironment().getProperty("local.server.port"));
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(DEMO.getBytes(StandardCharsets.UTF_8)))
                .header("Accept", "application/json").build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(path + ": " + r.body()).isEqualTo(200);
        return CanonicalJson.mapper().readTree(r.body());
    }
}
