package yingyan.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import yingyan.canonical.CanonicalRecord;
import yingyan.canonical.Domain;
import yingyan.feed.FeedFixtures;
import yingyan.ingest.FixtureMapper;
import yingyan.quarantine.QuarantineStore;
import yingyan.spi.IngestGateway;
import yingyan.spi.SourceItem;
import yingyan.store.RecordStore;

/**
 * The console's API in a whole hub (H2, embedded broker, the real ingest and persist routes, the fixture
 * department): the flow board's figures after real traffic, the per-minute flow, the quarantine filters,
 * lookup by source key, who may see and do what, and which endpoints are anonymous.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "hub.console.stats-max-age=0s", "hub.console.ledger-totals-max-age=0s"})
@ActiveProfiles("test")
@Import(FixtureMapper.Config.class)
class ConsoleApiTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** 2026-11-28 10:00:00 in Beijing, as the fixture department writes it. */
    private static final Instant NEWEST = Instant.parse("2026-11-28T02:00:00Z");

    @Autowired IngestGateway gateway;
    @Autowired RecordStore store;
    @Autowired QuarantineStore quarantine;
    @Autowired JdbcTemplate jdbc;
    @Autowired PlatformTransactionManager txm;
    @LocalServerPort int port;

    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void clean() {
        for (String table : List.of("flow_minute", "quarantine", "province_delivery", "record_version", "record")) {
            jdbc.update("DELETE FROM " + table);
        }
    }

    @Test
    void theBoardShowsWhatAnAdapterDeliveredItsLagAndWhatWaitsInQuarantineAndForTheProvince() throws Exception {
        List<SourceItem> items = List.of(FixtureMapper.item("B-1", "2026-11-28 09:00:00", "1.00"),
                FixtureMapper.item("B-2", "2026-11-28 10:00:00", "2.00"),
                FixtureMapper.item("B-3", "2026-11-28 09:30:00", "3.00"),
                pending("B-4", null));
        gateway.submit(items);
        JsonNode row = await().atMost(Duration.ofSeconds(30)).until(() -> fixtureRow(),
                r -> r.path("lastHour").asLong() == 3);

        assertThat(row.path("lastMinute").asLong()).as("stored within the last minute or two").isBetween(1L, 3L);
        assertThat(row.path("quarantineOpen").asLong()).isEqualTo(1);
        assertThat(OffsetDateTime.parse(row.path("newestUpdatedAt").asText()).toInstant()).isEqualTo(NEWEST);
        long expectedLag = Duration.between(NEWEST, Instant.now()).toSeconds();
        assertThat(row.path("lagSeconds").asLong()).isBetween(expectedLag - 60, expectedLag + 1);
        assertThat(row.path("state").asText()).as("the fixture department has no source route").isEqualTo("STOPPED");

        // The same three again: duplicates, not new versions.
        gateway.submit(items.subList(0, 3));
        row = await().atMost(Duration.ofSeconds(30)).until(() -> fixtureRow(),
                r -> r.path("duplicatesLastHour").asLong() == 3);
        assertThat(row.path("lastHour").asLong()).isEqualTo(3);

        JsonNode province = get("viewer", "/api/v1/adapters").path("province");
        assertThat(province.path("pending").asLong()).as("three versions owed to the province").isEqualTo(3);
        assertThat(province.path("oldestPendingAgeSeconds").asLong()).isBetween(0L, 120L);
        assertThat(province.path("state").asText()).isEqualTo("STOPPED");
        assertThat(province.path("reason").asText()).contains("hub.province.enabled");
        // The alert push beside it, in the same shape: off in the test profile, nothing owed.
        assertThat(province.at("/alerts/state").asText()).isEqualTo("STOPPED");
        assertThat(province.at("/alerts/reason").asText()).contains("hub.province.alerts.enabled");
        assertThat(province.at("/alerts/pending").asLong()).isZero();
    }

    @Test
    void theFlowHasOneEntryPerMinuteAndAddsUpToWhatWasStored() throws Exception {
        store.apply(List.of(rec("F-1", 1), rec("F-2", 1)));
        store.apply(List.of(rec("F-1", 2), rec("F-1", 1)));
        JsonNode flow = get("viewer", "/api/v1/adapters/fixture/flow?minutes=5");
        assertThat(flow.path("items")).hasSize(5);
        long applied = 0;
        long stale = 0;
        Instant previous = null;
        for (JsonNode p : flow.path("items")) {
            Instant minute = Instant.parse(p.path("minute").asText());
            if (previous != null) {
                assertThat(minute).isEqualTo(previous.plusSeconds(60));
            }
            previous = minute;
            applied += p.path("applied").asLong();
            stale += p.path("stale").asLong();
        }
        assertThat(applied).isEqualTo(3);
        assertThat(stale).isEqualTo(1);
        assertThat(status("viewer", "/api/v1/adapters/fixture/flow?minutes=0")).isEqualTo(400);
        assertThat(status("viewer", "/api/v1/adapters/no-such-adapter/flow")).isEqualTo(404);
    }

    @Test
    void aBatchThatRollsBackLeavesNoTraceInTheFlow() {
        TransactionTemplate tx = new TransactionTemplate(txm);
        tx.executeWithoutResult(s -> {
            store.apply(List.of(rec("R-1", 1), rec("R-2", 1)));
            s.setRollbackOnly();
        });
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM flow_minute", Long.class)).isZero();
        store.apply(List.of(rec("R-1", 1)));
        assertThat(jdbc.queryForObject("SELECT SUM(applied) FROM flow_minute WHERE adapter = 'fixture'", Long.class))
                .isEqualTo(1);
    }

    @Test
    void quarantineIsFilteredByReasonTextAndTimeReceived() throws Exception {
        long a = quarantine("Q-1", "regionCode '999999' is not a region code (rule: GB/T 2260)");
        long b = quarantine("Q-2", "amount 12.345 has more than two decimals");
        long c = quarantine("Q-3", "state 'PENDING' unknown: 100% sure");

        assertThat(ids("/api/v1/quarantine?reason=REGION")).containsExactly(a);
        assertThat(ids("/api/v1/quarantine?reason=decimals&adapter=fixture")).containsExactly(b);
        assertThat(ids("/api/v1/quarantine?reason=" + enc("100%"))).as("%% is a character, not a wildcard")
                .containsExactly(c);
        assertThat(ids("/api/v1/quarantine?reason=" + enc("1%s"))).isEmpty();
        String hourAgo = enc(OffsetDateTime.now(ZoneOffset.ofHours(8)).minusHours(1).toString());
        String inAnHour = enc(OffsetDateTime.now(ZoneOffset.UTC).plusHours(1).toString());
        assertThat(ids("/api/v1/quarantine?from=" + hourAgo + "&to=" + inAnHour)).containsExactly(c, b, a);
        assertThat(ids("/api/v1/quarantine?from=" + inAnHour)).isEmpty();
        assertThat(ids("/api/v1/quarantine?to=" + hourAgo)).isEmpty();

        HttpResponse<String> bad = send("viewer", "/api/v1/quarantine?from=yesterday", "GET");
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(bad.body()).path("field").asText()).isEqualTo("from");
    }

    @Test
    void aRecordIsFoundByItsAdaptersSourceKey() throws Exception {
        store.apply(List.of(rec("K-77", 1)));
        JsonNode found = get("viewer", "/api/v1/records/lookup?adapter=fixture&sourceKey=K-77");
        assertThat(found.path("items")).hasSize(1);
        assertThat(found.path("items").get(0).path("recordId").asText()).isEqualTo("fixture:K-77");
        assertThat(found.has("next")).isTrue();
        assertThat(get("viewer", "/api/v1/records/lookup?adapter=fixture&sourceKey=K-78").path("items")).isEmpty();
        HttpResponse<String> missing = send("viewer", "/api/v1/records/lookup?adapter=fixture", "GET");
        assertThat(missing.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(missing.body()).path("field").asText()).isEqualTo("sourceKey");
    }

    @Test
    void theConsoleKnowsWhoSignedInAndViewersCannotAct() throws Exception {
        assertThat(get("viewer", "/api/v1/me").path("roles").toString()).isEqualTo("[\"VIEWER\"]");
        assertThat(get("operator", "/api/v1/me").path("roles").toString()).isEqualTo("[\"OPERATOR\",\"VIEWER\"]");
        for (String action : List.of("stop", "start", "poll")) {
            assertThat(send("viewer", "/api/v1/adapters/approvals/" + action, "POST").statusCode())
                    .as("viewer " + action).isEqualTo(403);
        }
        long id = quarantine("V-1", "some reason");
        assertThat(send("viewer", "/api/v1/quarantine/" + id + "/release", "POST").statusCode()).isEqualTo(403);
        assertThat(send("operator", "/api/v1/adapters/no-such-adapter/stop", "POST").statusCode()).isEqualTo(404);
    }

    @Test
    void noActuatorEndpointButHealthIsAnonymous() throws Exception {
        assertThat(send(null, "/actuator/health", "GET").statusCode()).isEqualTo(200);
        for (String path : List.of("/actuator/metrics", "/actuator/info", "/actuator/camelroutes",
                "/actuator/health/adapters", "/actuator/env", "/actuator/beans", "/actuator/loggers")) {
            assertThat(send(null, path, "GET").statusCode()).as("anonymous " + path).isEqualTo(401);
        }
        assertThat(send("viewer", "/actuator/metrics", "GET").statusCode()).isEqualTo(200);
        assertThat(send("viewer", "/actuator/health/adapters", "GET").statusCode()).isEqualTo(200);
    }

    @Test
    void thePageShellIsPublicButNoFigureIs() throws Exception {
        HttpResponse<String> page = send(null, "/console/", "GET");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type").orElse("")).startsWith("text/html");
        assertThat(page.body()).contains("console.js").contains("login-form");
        assertThat(page.headers().firstValue("Content-Security-Policy").orElse(""))
                .contains("script-src 'self'").contains("connect-src 'self'").contains("frame-ancestors 'none'");
        for (String asset : List.of("/console/console.js", "/console/i18n.js", "/console/console.css")) {
            assertThat(send(null, asset, "GET").statusCode()).as(asset).isEqualTo(200);
        }
        HttpResponse<String> root = send(null, "/", "GET");
        assertThat(root.statusCode()).isEqualTo(302);
        assertThat(root.headers().firstValue("Location").orElse("")).endsWith("/console/");

        for (String data : List.of("/api/v1/adapters", "/api/v1/quarantine", "/api/v1/audit", "/api/v1/me",
                "/api/v1/province/pending")) {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri(data)).header("X-Requested-With",
                    "XMLHttpRequest").GET().build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as("anonymous " + data).isEqualTo(401);
            assertThat(r.headers().firstValue("WWW-Authenticate")).as("no browser password dialog for the console")
                    .isEmpty();
        }
    }

    // ---- helpers ----

    private JsonNode fixtureRow() throws Exception {
        for (JsonNode r : get("viewer", "/api/v1/adapters").path("items")) {
            if (r.path("adapter").asText().equals(FixtureMapper.ID)) {
                return r;
            }
        }
        throw new AssertionError("no fixture row on the board");
    }

    /** A fixture item whose state the mapping does not know yet: quarantined. */
    static SourceItem pending(String key, String residentId) {
        String json = "{\"key\":\"" + key + "\",\"updatedAt\":\"2026-11-28 08:00:00\",\"region\":\"370700\","
                + "\"state\":\"PENDING\"" + (residentId == null ? "" : ",\"id\":\"" + residentId + "\"") + "}";
        return SourceItem.utf8(FixtureMapper.ID, key, json.getBytes(StandardCharsets.UTF_8), "console-test",
                OffsetDateTime.now(ZoneOffset.UTC));
    }

    private static CanonicalRecord rec(String key, int version) {
        return FeedFixtures.rec(key, version, "370700", Domain.APPROVAL);
    }

    private long quarantine(String key, String reason) throws Exception {
        byte[] raw = ("{\"key\":\"" + key + "\"}").getBytes(StandardCharsets.UTF_8);
        String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(raw));
        return quarantine.add(FixtureMapper.ID, key, "console-test", "state", reason, sha, raw, StandardCharsets.UTF_8);
    }

    private List<Long> ids(String path) throws Exception {
        List<Long> out = new ArrayList<>();
        get("viewer", path).path("items").forEach(i -> out.add(i.path("id").asLong()));
        return out;
    }

    private JsonNode get(String user, String path) throws Exception {
        HttpResponse<String> r = send(user, path, "GET");
        assertThat(r.statusCode()).as("GET " + path + ": " + r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    private int status(String user, String path) throws Exception {
        return send(user, path, "GET").statusCode();
    }

    private HttpResponse<String> send(String user, String path, String method) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).method(method, HttpRequest.BodyPublishers.noBody());
        if (user != null) {
            b.header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                    (user + ":" + user + "-secret").getBytes(StandardCharsets.UTF_8)));
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
