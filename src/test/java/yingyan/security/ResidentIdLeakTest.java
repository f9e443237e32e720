package yingyan.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
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
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import yingyan.canonical.CanonicalJson;
import yingyan.canonical.ResidentIds;
import yingyan.testsupport.FakeProvince;
import yingyan.testsupport.Hubs;

/**
 * No resident ID number in clear anywhere, end to end: a whole hub reads every adapter's test data through its
 * real transport (the quick start's demo sources: the approvals API, the penalty bureau's SOAP service, the fund centre's database, the land
 * bureau's and the procurement office's drop folders, a county hub's feed), evaluates the alert rules over them,
 * pushes records and alerts to a province (FakeProvince, keeping every body), and then nothing it wrote or answered holds a clear number: every column of every table,
 * the feed as JSON and XML, every record, history, quarantine item, the records and quarantine as CSV, province and
 * audit answer, health, the Prometheus scrape, the pushed bodies, and the log lines written meanwhile (yingyan.* at
 * DEBUG, so a debug line added later is checked too). The inputs do hold valid numbers (checked first), so a leak
 * anywhere would be found, in every shape the scanner knows (test-data/hub-feed/clear-ids: legacy 15 digits, 17
 * digits, spaced, dashed and full-width, in a name, a matter, a department and an actor).
 */
@ExtendWith(OutputCaptureExtension.class)
class ResidentIdLeakTest {
    private static final Logger log = LoggerFactory.getLogger(ResidentIdLeakTest.class);
    private static final Path TEST_DATA = Path.of("test-data");
    /**
     * Adapters this one-JVM hub does not run: public funds arrive over the treasury's RabbitMQ
     * (PublicFundsRabbitMqIT runs them against the real broker).
     */
    private static final Set<String> NOT_RUN_HERE = Set.of("public-funds");
    private static final Path SUITE_LOG = Path.of(System.getProperty("yingyan.test-log", "target/test-logs/suite.log"));
    private static final String OPERATOR = "operator:operator-secret";
    private static final String CONSUMER = "province:province-secret";
    private static final String SCRAPER = "scraper:scraper-secret";

    private static FakeProvince province;
    private final HttpClient http = HttpClient.newHttpClient();
    private int port;

    @BeforeAll
    static void startProvince() {
        province = new FakeProvince();
    }

    @AfterAll
    static void stopProvince() {
        province.close();
    }

    @Test
    void noResidentIdInClearInTheDatabaseTheFeedTheApiThePushesOrTheLog(CapturedOutput output, @TempDir Path tmp)
            throws Exception {
        Map<String, Integer> inInputs = clearIdsInInputs();
        assertThat(inInputs).as("valid resident IDs in each adapter's test-data inputs (the scan could fail)")
                .hasEntrySatisfying("approvals", n -> assertThat(n).isPositive())
                .hasEntrySatisfying("housing-fund", n -> assertThat(n).isPositive())
                .hasEntrySatisfying("land-transfer", n -> assertThat(n).isPositive())
                .hasEntrySatisfying("hub-feed", n -> assertThat(n).isPositive())
                .hasEntrySatisfying("penalties", n -> assertThat(n).isPositive())
                .hasEntrySatisfying("trading", n -> assertThat(n).isPositive());
        Set<String> expectedRecords = expected("recordId");
        Set<String> expectedQuarantined = expected("sourceKey");

        long logFrom = Files.exists(SUITE_LOG) ? Files.size(SUITE_LOG) : 0;
        ConfigurableApplicationContext hub = Hubs.start(hubProperties(tmp));
        ClearIdScanner scan = new ClearIdScanner();
        try {
            port = Integer.parseInt(hub.getEnvironment().getProperty("local.server.port"));
            JdbcTemplate jdbc = new JdbcTemplate(hub.getBean(DataSource.class));
            await("every expected record stored, every ID-carrying bad item quarantined, every version and alert pushed")
                    .atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
                        assertThat(jdbc.queryForList("SELECT record_id FROM record", String.class))
                                .containsAll(expectedRecords);
                        assertThat(jdbc.queryForList("SELECT adapter || ':' || source_key FROM quarantine"
                                + " WHERE source_key IS NOT NULL", String.class)).containsAll(expectedQuarantined);
                        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM province_delivery WHERE state IN"
                                + " ('PENDING', 'SENDING')", Integer.class)).isZero();
                        // the alert engine ran over the stored records, and the alert push sent every event
                        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM alert_event", Integer.class)).isPositive();
                        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM alert_event WHERE seq > (SELECT last_seq"
                                + " FROM province_alert_position)", Integer.class)).isZero();
                        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM province_alert_delivery WHERE state ="
                                + " 'SENDING'", Integer.class)).isZero();
                    });

            // An operator retries a bad item that carries a clear ID: the answer and the audit entry name its reason.
            long bad = jdbc.queryForObject("SELECT id FROM quarantine WHERE adapter = 'housing-fund'"
                    + " AND source_key = 'TQ-TQ2026039005'", Long.class);
            HttpResponse<String> release = send("/api/v1/quarantine/" + bad + "/release", OPERATOR, null, "POST");
            assertThat(release.statusCode()).isEqualTo(409);
            scan.text("POST /api/v1/quarantine/" + bad + "/release", release.body());

            scan.database(hub.getBean(DataSource.class));
            List<String> feed = scanFeed(scan);
            scanRecordsAndHistory(scan);
            int quarantined = scanQuarantine(scan);
            scan.text("/api/v1/records (CSV)", get("/api/v1/records?format=csv&limit=1000", OPERATOR, null));
            scan.text("/api/v1/quarantine (CSV)", get("/api/v1/quarantine?format=csv&limit=1000", OPERATOR, null));
            scan.text("/api/v1/province/pending", get("/api/v1/province/pending?limit=1000", OPERATOR, null));
            scan.text("/api/v1/province/batches", get("/api/v1/province/batches?limit=1000", OPERATOR, null));
            scan.text("/api/v1/audit", get("/api/v1/audit?limit=1000", OPERATOR, null));
            scan.text("/actuator/health", get("/actuator/health", OPERATOR, null));
            scan.text("/actuator/prometheus (names and labels)",
                    namesAndLabels(get("/actuator/prometheus", SCRAPER, null)));
            List<ServeEvent> pushes = province.wireMock().getAllServeEvents();
            for (ServeEvent e : pushes) {
                scan.text("pushed batch " + e.getRequest().getHeader("Idempotency-Key"), e.getRequest().getBody());
                scan.text("pushed headers " + e.getRequest().getHeader("Idempotency-Key"),
                        e.getRequest().getHeaders().toString());
            }

            // The numbers were there, and went through masked.
            assertThat(String.join("\n", feed)).contains("110105********002X", "370785********0069",
                    "370702********0010");
            assertThat(pushes).isNotEmpty();
            assertThat(pushes).as("alert pushes among the scanned pushes")
                    .anyMatch(e -> e.getRequest().getUrl().equals(FakeProvince.ALERTS_PATH));
            assertThat(quarantined).isGreaterThanOrEqualTo(expectedQuarantined.size());
            assertThat(scan.tables()).isGreaterThanOrEqualTo(10);
        } finally {
            hub.close();
        }
        assertThat(SUITE_LOG).as("the suite log (src/test/resources/logback-test.xml)").exists();
        byte[] suiteLog = Files.readAllBytes(SUITE_LOG);
        assertThat(new String(suiteLog, (int) logFrom, suiteLog.length - (int) logFrom, StandardCharsets.UTF_8))
                .as("this hub's log lines reached the suite log").contains("demo: dropped", "approvals demo server");
        scan.file(SUITE_LOG, logFrom);
        scan.text("console output of this test", output.getAll());

        assertThat(scan.leaks()).as("resident ID numbers in clear (shown masked)").isEmpty();
        log.info("resident-ID leak scan: inputs held {} clear IDs {}; scanned {}", inInputs.values().stream()
                .mapToInt(Integer::intValue).sum(), inInputs, scan.summary());
    }

    private Map<String, Object> hubProperties(Path tmp) throws IOException {
        Map<String, Object> p = new LinkedHashMap<>();
        int approvalsPort = freePort();
        int countyPort = freePort();
        p.put("hub.demo.enabled", "true");
        p.put("hub.demo.data-dir", TEST_DATA.toString());
        p.put("hub.demo.approvals-port", approvalsPort);
        p.put("hub.demo.hub-feed-port", countyPort);
        p.put("hub.demo.province-port", freePort()); // the demo province idles: the hub pushes to FakeProvince
        p.put("hub.adapters.approvals.enabled", "true");
        p.put("hub.adapters.approvals.base-url", "http://127.0.0.1:" + approvalsPort);
        p.put("hub.adapters.approvals.poll-interval", "1s");
        p.put("hub.adapters.housing-fund.enabled", "true");
        p.put("hub.adapters.housing-fund.jdbc-url", "jdbc:h2:mem:gjj-" + System.nanoTime()
                + ";MODE=MariaDB;DB_CLOSE_DELAY=-1");
        p.put("hub.adapters.housing-fund.username", "gjj_reader");
        p.put("hub.adapters.housing-fund.poll-interval", "1s");
        p.put("hub.adapters.housing-fund.initial-delay", "1s");
        p.put("hub.adapters.land-transfer.enabled", "true");
        p.put("hub.adapters.land-transfer.drop-dir", tmp.resolve("land").toString());
        p.put("hub.adapters.land-transfer.poll-interval", "1s");
        p.put("hub.adapters.procurement.enabled", "true");
        p.put("hub.adapters.procurement.drop-dir", tmp.resolve("procurement").toString());
        p.put("hub.adapters.procurement.poll-interval", "1s");
        p.put("hub.adapters.hub-feed.enabled", "true");
        p.put("hub.adapters.hub-feed.base-url", "http://127.0.0.1:" + countyPort);
        p.put("hub.adapters.hub-feed.poll-interval", "1s");
        int tradingPort = freePort();
        p.put("hub.demo.trading-port", tradingPort);
        p.put("hub.adapters.trading.enabled", "true");
        p.put("hub.adapters.trading.base-url", "http://127.0.0.1:" + tradingPort);
        p.put("hub.adapters.trading.poll-interval", "1s");
        p.put("hub.adapters.trading.skip-maintenance", "false");
        int penaltiesPort = freePort();
        p.put("hub.demo.penalties-port", penaltiesPort);
        p.put("hub.adapters.penalties.enabled", "true");
        p.put("hub.adapters.penalties.base-url", "http://127.0.0.1:" + penaltiesPort);
        p.put("hub.adapters.penalties.poll-interval", "1s");
        p.put("hub.province.enabled", "true");
        p.put("hub.province.base-url", province.baseUrl());
        p.put("hub.province.poll-interval", "200ms");
        p.put("hub.province.initial-backoff", "200ms");
        p.put("hub.supervision.alerts.enabled", "true");
        p.put("hub.province.alerts.enabled", "true");
        p.put("hub.province.alerts.poll-interval", "200ms");
        p.put("hub.province.alerts.initial-backoff", "200ms");
        p.put("hub.security.users[0].name", "operator");
        p.put("hub.security.users[0].password", "operator-secret");
        p.put("hub.security.users[0].roles", "OPERATOR,VIEWER");
        p.put("hub.security.users[1].name", "scraper");
        p.put("hub.security.users[1].password", "scraper-secret");
        p.put("hub.security.users[1].roles", "METRICS");
        p.put("logging.level.yingyan", "DEBUG");
        return p;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** Valid clear IDs per adapter in test-data/<adapter>/<case>/input.* (read byte-wise: GBK, GB18030, UTF-8). */
    private static Map<String, Integer> clearIdsInInputs() throws IOException {
        Map<String, Integer> out = new TreeMap<>();
        try (Stream<Path> files = Files.walk(TEST_DATA)) {
            for (Path f : files.filter(f -> f.getFileName().toString().startsWith("input.")).toList()) {
                String adapter = TEST_DATA.relativize(f).getName(0).toString();
                String text = new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1);
                out.merge(adapter, ResidentIds.findClear(text).size(), Integer::sum);
            }
        }
        return out;
    }

    /**
     * From every test-data/<adapter>/<case>/expected.json: each canonical record's recordId, or each quarantined
     * item's "adapter:sourceKey" (the golden files that name one).
     */
    private static Set<String> expected(String what) throws IOException {
        Set<String> out = new TreeSet<>();
        try (Stream<Path> files = Files.walk(TEST_DATA)) {
            for (Path f : files.filter(f -> f.getFileName().toString().equals("expected.json")).toList()) {
                String adapter = TEST_DATA.relativize(f).getName(0).toString();
                if (NOT_RUN_HERE.contains(adapter)) {
                    continue;
                }
                collect(CanonicalJson.mapper().readTree(f.toFile()), what, adapter, out);
            }
        }
        return out;
    }

    private static void collect(JsonNode n, String what, String adapter, Set<String> out) {
        if (n.isObject()) {
            if ("recordId".equals(what) && n.has("schemaVersion") && n.hasNonNull("recordId")) {
                out.add(n.get("recordId").asText());
            }
            if ("sourceKey".equals(what) && n.hasNonNull("sourceKey") && n.has("reasonContains")) {
                out.add(adapter + ":" + n.get("sourceKey").asText());
            }
        }
        n.forEach(child -> collect(child, what, adapter, out));
    }

    private List<String> scanFeed(ClearIdScanner scan) throws Exception {
        List<String> pages = new ArrayList<>();
        String after = null;
        while (true) {
            String body = get("/api/v1/feed?limit=1000" + (after == null ? "" : "&after=" + after), CONSUMER, null);
            scan.text("/api/v1/feed (JSON) after " + after, body);
            pages.add(body);
            JsonNode page = CanonicalJson.mapper().readTree(body);
            after = page.get("next").asText();
            if (page.get("items").size() < 1000) {
                break;
            }
        }
        String cursor = null;
        while (true) {
            HttpResponse<String> r = send("/api/v1/feed?limit=1000" + (cursor == null ? "" : "&after=" + cursor),
                    CONSUMER, "application/xml");
            scan.text("/api/v1/feed (XML) after " + cursor, r.body());
            pages.add(r.body());
            String next = r.headers().firstValue("X-Next-Cursor").orElseThrow();
            if (next.equals(cursor) || r.body().split("<recordId>|:recordId>").length - 1 < 1000) {
                break;
            }
            cursor = next;
        }
        return pages;
    }

    private void scanRecordsAndHistory(ClearIdScanner scan) throws Exception {
        String after = null;
        do {
            String body = get("/api/v1/records?limit=1000" + (after == null ? "" : "&after=" + after), OPERATOR, null);
            scan.text("/api/v1/records", body);
            JsonNode page = CanonicalJson.mapper().readTree(body);
            for (JsonNode r : page.get("items")) {
                String id = URLEncoder.encode(r.get("recordId").asText(), StandardCharsets.UTF_8);
                scan.text("/api/v1/records/" + id, get("/api/v1/records/" + id, OPERATOR, null));
                scan.text("/api/v1/records/" + id + " (XML)", get("/api/v1/records/" + id, OPERATOR, "application/xml"));
                scan.text("/api/v1/records/" + id + "/history", get("/api/v1/records/" + id + "/history", OPERATOR, null));
            }
            after = page.get("next").isNull() ? null : page.get("next").asText();
        } while (after != null);
    }

    /** Every quarantined item, listed and one by one (with its raw payload, masked); how many there were. */
    private int scanQuarantine(ClearIdScanner scan) throws Exception {
        int n = 0;
        String after = null;
        do {
            String body = get("/api/v1/quarantine?limit=1000" + (after == null ? "" : "&after=" + after), OPERATOR, null);
            scan.text("/api/v1/quarantine", body);
            JsonNode page = CanonicalJson.mapper().readTree(body);
            for (JsonNode q : page.get("items")) {
                n++;
                String id = q.get("id").asText();
                String one = get("/api/v1/quarantine/" + id, OPERATOR, null);
                scan.text("/api/v1/quarantine/" + id, one);
            }
            after = page.get("next").isNull() ? null : page.get("next").asText();
        } while (after != null);
        return n;
    }

    private String get(String path, String credential, String accept) throws Exception {
        HttpResponse<String> r = send(path, credential, accept);
        assertThat(r.statusCode()).as(path).isEqualTo(200);
        return r.body();
    }

    private HttpResponse<String> send(String path, String credential, String accept) throws Exception {
        return send(path, credential, accept, "GET");
    }

    private HttpResponse<String> send(String path, String credential, String accept, String method) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .method(method, HttpRequest.BodyPublishers.noBody())
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                        credential.getBytes(StandardCharsets.UTF_8)));
        if (accept != null) {
            b.header("Accept", accept);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /**
     * The exposition without its sample values: a value is a number the meter computed (a gauge at 0.5381510987657832
     * reads like a 15-digit first-generation ID), while names, help texts and labels are where a record's data could
     * leak.
     */
    private static String namesAndLabels(String exposition) {
        StringBuilder out = new StringBuilder();
        for (String line : exposition.split("\n")) {
            if (line.startsWith("#")) {
                out.append(line);
            } else {
                int labelsEnd = line.lastIndexOf('}');
                int nameEnd = line.indexOf(' ');
                out.append(labelsEnd >= 0 ? line.substring(0, labelsEnd + 1)
                        : nameEnd >= 0 ? line.substring(0, nameEnd) : line);
            }
            out.append('\n');
        }
        return out.toString();
    }
}
