package yingyan.province;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.apache.camel.CamelContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import yingyan.ingest.FixtureMapper;
import yingyan.spi.IngestGateway;
import yingyan.testsupport.FakeProvince;
import yingyan.testsupport.Hubs;

/**
 * The alert push (docs/contracts/province.md §3) against the stand-in province: alert events in seq order, signed
 * and idempotent like record batches, every answer of §1, the one quota shared with record batches, a breaker of
 * its own, and a restart that loses and doubles nothing. Alert events are written into alert_event as the engine
 * writes them (alert v1 as it stood after the event), so each case controls exactly what is owed. One hub for the
 * class; each test starts with both pushes stopped, the alert ledger empty and both breakers closed.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
@Import(FixtureMapper.Config.class)
class ProvinceAlertPushTest {
    static final String SECRET = FakeProvince.TEST_SECRET;
    static final ObjectMapper JSON = new ObjectMapper();
    /** Requests a second the hub is allowed (and the province counts): low, so that the two pushes must share it. */
    static final int QUOTA = 4;
    static final FakeProvince province = new FakeProvince(SECRET);
    static final WireMockServer wm = province.wireMock();

    @DynamicPropertySource
    static void settings(DynamicPropertyRegistry r) {
        r.add("hub.province.enabled", () -> "true");
        r.add("hub.province.base-url", wm::baseUrl);
        r.add("hub.province.secret", () -> SECRET);
        r.add("hub.province.requests-per-second", () -> String.valueOf(QUOTA));
        r.add("hub.province.batch-max-records", () -> "1");
        r.add("hub.province.poll-interval", () -> "50");
        r.add("hub.province.connect-timeout", () -> "500ms");
        r.add("hub.province.read-timeout", () -> "2s");
        r.add("hub.province.initial-backoff", () -> "50ms");
        r.add("hub.province.max-backoff", () -> "1500ms");
        r.add("hub.province.breaker-failure-threshold", () -> "3");
        r.add("hub.province.breaker-open-for", () -> "60s");
        r.add("hub.province.alerts.enabled", () -> "true");
        r.add("hub.province.alerts.batch-max-alerts", () -> "3");
        r.add("hub.province.alerts.poll-interval", () -> "50");
        r.add("hub.province.alerts.initial-backoff", () -> "50ms");
        r.add("hub.province.alerts.max-backoff", () -> "1500ms");
        r.add("hub.province.alerts.breaker-failure-threshold", () -> "3");
        r.add("hub.province.alerts.breaker-open-for", () -> "60s");
    }

    @AfterAll
    static void stop() {
        province.close();
    }

    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    CamelContext camel;
    @Autowired
    AlertPusher alerts;
    @Autowired
    BatchSender records;
    @Autowired
    IngestGateway gateway;
    @Autowired
    TestRestTemplate http;

    @BeforeEach
    void reset() throws Exception {
        camel.getRouteController().stopRoute("province-alert-push");
        camel.getRouteController().stopRoute("province-push");
        clearAlertLedger(jdbc);
        jdbc.update("DELETE FROM province_delivery");
        jdbc.update("DELETE FROM province_batch");
        alerts.resetBreaker();
        records.resetBreaker();
        province.reset();
        // a test's own stubs (priority 1) go; the province's own stubs stay
        wm.listAllStubMappings().getMappings().stream().filter(m -> m.getPriority() != null)
                .forEach(wm::removeStubMapping);
        wm.resetScenarios();
    }

    @Test
    void alertEventsGoInSeqOrder_signedAndKeyed_eachAlertOncePerBatchInItsNewestState() throws Exception {
        event(1, "a-1", "RAISED", null);
        event(2, "a-2", "RAISED", null);
        event(3, "a-3", "RAISED", null);
        event(4, "a-4", "RAISED", null);
        event(5, "a-2", "CLEARED", "2026-03-18T09:00:00+08:00"); // with a-4 and a-5's raise: a-2 goes cleared
        event(6, "a-5", "RAISED", null);
        event(7, "a-1", "UPDATED", null);
        start("province-alert-push");

        await().atMost(Duration.ofSeconds(20)).until(() -> delivered() == 7);
        List<FakeProvince.Request> sent = alertRequests();
        assertThat(sent).hasSize(3);
        List<String> ids = new ArrayList<>();
        for (FakeProvince.Request r : sent) {
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.signature()).isEqualTo(ProvincePushTest.hmac(r.body(), SECRET));
            JsonNode batch = JSON.readTree(r.body());
            assertThat(r.key()).isEqualTo(batch.get("batchId").asText());
            assertThat(batch.get("region").asText()).isEqualTo("370700");
            assertThat(fieldNames(batch)).containsExactly("batchId", "region", "alerts");
            batch.get("alerts").forEach(a -> ids.add(a.get("alertId").asText()));
            // The body is exactly the one stored before the first send.
            assertThat(r.body()).isEqualTo(jdbc.queryForObject("SELECT body FROM province_alert_batch WHERE batch_id = ?",
                    byte[].class, r.key()));
        }
        // seqs 1-3; 4-6 (a-2's clearing at seq 5); 7 — each alert once a batch, in its newest state there
        assertThat(ids).containsExactly("a-1", "a-2", "a-3", "a-4", "a-2", "a-5", "a-1");
        assertThat(province.acceptedAlerts()).filteredOn(a -> a.alertId().equals("a-2")).last()
                .satisfies(a -> assertThat(a.clearedAt()).isEqualTo("2026-03-18T09:00:00+08:00"));
        assertThat(states()).containsExactly("1 ACCEPTED", "2 ACCEPTED", "3 ACCEPTED", "4 ACCEPTED", "5 ACCEPTED",
                "6 ACCEPTED", "7 ACCEPTED");

        // Two events of one alert in one batch: it goes once, newest state; the older event is filed SUPERSEDED.
        camel.getRouteController().stopRoute("province-alert-push");
        event(8, "a-6", "RAISED", null);
        event(9, "a-6", "RESOLVED", null);
        start("province-alert-push");
        await().atMost(Duration.ofSeconds(20)).until(() -> delivered() == 9);
        assertThat(states()).endsWith("8 SUPERSEDED", "9 ACCEPTED");
        assertThat(alertRequests()).hasSize(4);
        assertThat(alertRequests().get(3).recordIds()).containsExactly("a-6");
    }

    @Test
    void theAnswerLostAfterTheProvinceTookTheBatch_theResendIsByteIdenticalAndIts409IsFiledOnce() {
        province.mode(FakeProvince.Mode.ACCEPT_THEN_RESET).onAccepted(key -> province.mode(FakeProvince.Mode.ACCEPT));
        event(1, "a-1", "RAISED", null);
        event(2, "a-2", "RAISED", null);
        start("province-alert-push");

        await().atMost(Duration.ofSeconds(20)).until(() -> delivered() == 2);
        List<FakeProvince.Request> sent = alertRequests();
        assertThat(sent).hasSize(2);
        assertThat(sent.get(0).status()).isZero(); // recorded by the province, then the connection reset
        assertThat(sent.get(1).status()).isEqualTo(409);
        assertThat(sent.get(1).key()).isEqualTo(sent.get(0).key());
        assertThat(sent.get(1).body()).isEqualTo(sent.get(0).body());
        assertThat(sent.get(1).signature()).isEqualTo(sent.get(0).signature());
        assertThat(province.acceptedAlerts()).extracting(FakeProvince.AcceptedAlert::alertId)
                .containsExactly("a-1", "a-2");
        assertThat(states()).containsExactly("1 ACCEPTED", "2 ACCEPTED");
        Map<String, Object> b = jdbc.queryForMap("SELECT state, attempts, http_status FROM province_alert_batch");
        assertThat(b.get("state")).isEqualTo("DONE");
        assertThat(((Number) b.get("attempts")).intValue()).isEqualTo(2);
        assertThat(((Number) b.get("http_status")).intValue()).isEqualTo(409);
    }

    @Test
    void recordAndAlertBatchesShareTheOneQuota_theProvinceNeverCountsMoreThanItAllows() {
        province.quota(QUOTA);
        for (int i = 1; i <= 18; i++) {
            event(i, "a-" + i, "RAISED", null); // six alert batches
        }
        gateway.submit(IntStream.rangeClosed(1, 6)
                .mapToObj(i -> FixtureMapper.item("Q-" + i, "2026-03-01 10:00:00", "1.00")).toList()); // six record batches
        await().atMost(Duration.ofSeconds(20)).until(() -> jdbc.queryForObject(
                "SELECT COUNT(*) FROM province_delivery", Integer.class) == 6);
        start("province-alert-push");
        start("province-push");

        await().atMost(Duration.ofSeconds(30)).until(() -> delivered() == 18 && jdbc.queryForObject(
                "SELECT COUNT(*) FROM province_delivery WHERE state = 'ACCEPTED'", Integer.class) == 6);
        List<FakeProvince.Request> all = province.log();
        assertThat(all).extracting(FakeProvince.Request::path).contains(FakeProvince.PATH, FakeProvince.ALERTS_PATH);
        // Each push alone keeps to QUOTA; only one quota for both keeps the province's count of the two together.
        assertThat(province.overQuota()).as("requests the province answered 429 (over its quota)").isZero();
    }

    @Test
    void tooManyRequests429WithRetryAfter_theSameAlertBatchGoesAgainAfterIt() {
        wm.stubFor(post(urlEqualTo(FakeProvince.ALERTS_PATH)).atPriority(1).inScenario("busy")
                .whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(429).withHeader("Retry-After", "1")).willSetStateTo("free"));
        event(1, "a-1", "RAISED", null);
        start("province-alert-push");

        await().atMost(Duration.ofSeconds(20)).until(() -> delivered() == 1);
        List<FakeProvince.Request> sent = alertRequests(); // the 429 was the test's stub: only the resend is logged
        assertThat(sent).hasSize(1);
        Map<String, Object> b = jdbc.queryForMap("SELECT batch_id, attempts, last_attempt_at, created_at"
                + " FROM province_alert_batch");
        assertThat(sent.get(0).key()).isEqualTo(b.get("batch_id"));
        assertThat(((Number) b.get("attempts")).intValue()).isEqualTo(2);
        assertThat(wm.getAllServeEvents()).hasSize(2);
        long first = wm.getAllServeEvents().get(1).getRequest().getLoggedDate().getTime();
        long second = wm.getAllServeEvents().get(0).getRequest().getLoggedDate().getTime();
        assertThat(second - first).as("Retry-After (1 s) honoured, not the 50 ms backoff").isGreaterThanOrEqualTo(900);
        assertThat(wm.getAllServeEvents().get(0).getRequest().getBody())
                .isEqualTo(wm.getAllServeEvents().get(1).getRequest().getBody());
    }

    @Test
    void aFailingAlertEndpointOpensOnlyTheAlertBreaker_recordsGoOn_andTheStatusShowsIt() {
        wm.stubFor(post(urlEqualTo(FakeProvince.ALERTS_PATH)).atPriority(1)
                .willReturn(aResponse().withStatus(500).withBody("{\"error\":\"down\"}")));
        event(1, "a-1", "RAISED", null);
        gateway.submit(List.of(FixtureMapper.item("S-1", "2026-03-01 10:00:00", "1.00")));
        start("province-alert-push");
        start("province-push");

        await().atMost(Duration.ofSeconds(20)).until(() -> alerts.breakerState() == Breaker.State.OPEN);
        await().atMost(Duration.ofSeconds(20)).until(() -> "ACCEPTED".equals(recordState("fixture:S-1")));
        assertThat(records.breakerState()).isEqualTo(Breaker.State.CLOSED);
        gateway.submit(List.of(FixtureMapper.item("S-2", "2026-03-01 10:00:00", "1.00")));
        await().atMost(Duration.ofSeconds(20)).until(() -> "ACCEPTED".equals(recordState("fixture:S-2")));

        JsonNode pending = JSON.valueToTree(http.withBasicAuth("viewer", "viewer-secret")
                .getForObject("/api/v1/province/pending", Map.class));
        assertThat(pending.at("/sender/breaker").asText()).isEqualTo("CLOSED");
        assertThat(pending.at("/alerts/state").asText()).isEqualTo("FAILING");
        assertThat(pending.at("/alerts/breaker").asText()).isEqualTo("OPEN");
        assertThat(pending.at("/alerts/pending").asLong()).isEqualTo(1);
        assertThat(pending.at("/alerts/unanswered/lastError").asText()).contains("HTTP 500");
        assertThat(states()).containsExactly("1 SENDING");

        // And the other way round: records failing do not hold up alerts.
        alerts.resetBreaker();
        province.reset();
        wm.listAllStubMappings().getMappings().stream().filter(m -> m.getPriority() != null)
                .forEach(wm::removeStubMapping);
        wm.stubFor(post(urlEqualTo(FakeProvince.PATH)).atPriority(1).willReturn(aResponse().withStatus(503)));
        jdbc.update("UPDATE province_alert_batch SET next_attempt_at = ?", OffsetDateTime.now(ZoneOffset.UTC));
        gateway.submit(List.of(FixtureMapper.item("S-3", "2026-03-01 10:00:00", "1.00")));
        event(2, "a-2", "RAISED", null);
        await().atMost(Duration.ofSeconds(20)).until(() -> records.breakerState() == Breaker.State.OPEN);
        await().atMost(Duration.ofSeconds(20)).until(() -> delivered() == 2);
        assertThat(alerts.breakerState()).isEqualTo(Breaker.State.CLOSED);
        assertThat(recordState("fixture:S-3")).isEqualTo("SENDING");
    }

    @Test
    void rejectedAlertsAreFiledWithTheProvincesCodeAndReason_andListedInTheStatus() {
        province.rejectingAlert("a-2");
        event(1, "a-1", "RAISED", null);
        event(2, "a-2", "RAISED", null);
        start("province-alert-push");

        await().atMost(Duration.ofSeconds(20)).until(() -> delivered() == 2);
        assertThat(states()).containsExactly("1 ACCEPTED", "2 REJECTED");
        Map<String, Object> r = jdbc.queryForMap("SELECT reject_code, reject_reason FROM province_alert_delivery"
                + " WHERE alert_id = 'a-2'");
        assertThat(r.get("reject_code")).isEqualTo("E_FIELD");
        assertThat(r.get("reject_reason")).isEqualTo("level: not a level of this rule");
        JsonNode pending = JSON.valueToTree(http.withBasicAuth("viewer", "viewer-secret")
                .getForObject("/api/v1/province/pending", Map.class));
        assertThat(pending.at("/alerts/rejected/0/alertId").asText()).isEqualTo("a-2");
        assertThat(pending.at("/alerts/rejected/0/reason").asText()).isEqualTo("level: not a level of this rule");
        assertThat(pending.at("/alerts/ledger/REJECTED").asLong()).isEqualTo(1);
        assertThat(pending.at("/alerts/lastSentAt").isTextual()).isTrue();
        // Not resent blindly: nothing more goes until the alert changes.
        int before = alertRequests().size();
        await().during(Duration.ofMillis(600)).atMost(Duration.ofSeconds(3)).until(() -> alertRequests().size() == before);
    }

    @Test
    void tooLarge413IsSplit_malformed400IsFailedAndDoesNotHoldUpLaterBatches() {
        wm.stubFor(post(urlEqualTo(FakeProvince.ALERTS_PATH)).atPriority(1).inScenario("big")
                .whenScenarioStateIs(Scenario.STARTED).willReturn(aResponse().withStatus(413)).willSetStateTo("ok"));
        event(1, "a-1", "RAISED", null);
        event(2, "a-2", "RAISED", null);
        event(3, "a-3", "RAISED", null);
        start("province-alert-push");

        await().atMost(Duration.ofSeconds(20)).until(() -> delivered() == 3);
        assertThat(jdbc.queryForList("SELECT state || ' ' || alert_count FROM province_alert_batch ORDER BY batch_no",
                String.class)).containsExactly("SPLIT 3", "DONE 1", "DONE 2");
        assertThat(alertRequests()).extracting(FakeProvince.Request::recordIds)
                .containsExactly(List.of("a-1"), List.of("a-2", "a-3"));

        wm.stubFor(post(urlEqualTo(FakeProvince.ALERTS_PATH)).atPriority(1).inScenario("bad")
                .whenScenarioStateIs(Scenario.STARTED).willReturn(aResponse().withStatus(400)
                        .withBody("{\"error\":\"bad JSON\"}")).willSetStateTo("ok"));
        event(4, "a-4", "RAISED", null);
        await().atMost(Duration.ofSeconds(20)).until(() -> jdbc.queryForObject(
                "SELECT COUNT(*) FROM province_alert_batch WHERE state = 'FAILED'", Integer.class) == 1);
        event(5, "a-5", "RAISED", null);
        await().atMost(Duration.ofSeconds(20)).until(() -> delivered() == 4);
        assertThat(states()).endsWith("4 SENDING", "5 ACCEPTED");
        assertThat(jdbc.queryForObject("SELECT failure_reason FROM province_alert_batch WHERE state = 'FAILED'",
                String.class)).contains("HTTP 400", "bad JSON");
    }

    @Test
    void aRestartResumesWhereThePushWas_theStoredBatchByteIdentical_nothingLostNothingDoubled(@TempDir Path dir) {
        try (FakeProvince down = new FakeProvince()) {
            down.mode(FakeProvince.Mode.BUSY_503);
            Map<String, Object> props = new LinkedHashMap<>();
            props.put("spring.datasource.url", "jdbc:h2:file:" + dir.resolve("db/yingyan")
                    + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH");
            props.put("spring.artemis.embedded.data-directory", dir.resolve("artemis").toString());
            props.put("hub.province.base-url", down.baseUrl());
            props.put("hub.province.alerts.enabled", "true");
            props.put("hub.province.alerts.batch-max-alerts", "2");
            props.put("hub.province.alerts.poll-interval", "50");
            props.put("hub.province.alerts.initial-backoff", "50ms");
            props.put("hub.province.alerts.max-backoff", "300ms");
            props.put("hub.province.alerts.breaker-failure-threshold", "100");

            String batchId;
            byte[] body;
            ConfigurableApplicationContext first = Hubs.start(props);
            try {
                JdbcTemplate j = first.getBean(JdbcTemplate.class);
                event(j, 1, "a-1", "RAISED", null);
                event(j, 2, "a-2", "RAISED", null);
                event(j, 3, "a-3", "RAISED", null);
                await().atMost(Duration.ofSeconds(20)).until(() -> down.requests() >= 2);
                batchId = down.log().get(0).key();
                body = down.log().get(0).body();
                event(j, 4, "a-1", "RESOLVED", null);
                event(j, 5, "a-4", "RAISED", null);
            } finally {
                first.close();
            }
            down.mode(FakeProvince.Mode.ACCEPT);
            ConfigurableApplicationContext second = Hubs.start(props);
            try {
                JdbcTemplate j = second.getBean(JdbcTemplate.class);
                await().atMost(Duration.ofSeconds(20)).until(() -> j.queryForObject("SELECT COUNT(*) FROM"
                        + " province_alert_delivery WHERE state = 'ACCEPTED'", Integer.class) == 5);
                List<FakeProvince.Request> ok = down.log().stream().filter(r -> r.status() == 200).toList();
                assertThat(ok.get(0).key()).isEqualTo(batchId);
                assertThat(ok.get(0).body()).isEqualTo(body);
                // every event accepted exactly once, in event order; nothing left behind
                assertThat(down.acceptedAlerts()).extracting(FakeProvince.AcceptedAlert::alertId)
                        .containsExactly("a-1", "a-2", "a-3", "a-1", "a-4");
                assertThat(down.acceptedAlerts().get(3).resolvedAt()).isNotNull();
                assertThat(j.queryForObject("SELECT COUNT(*) FROM province_alert_delivery", Integer.class)).isEqualTo(5);
                assertThat(second.getBean(AlertPushStatus.class).pending()).isZero();
            } finally {
                second.close();
            }
        }
    }

    // ---- helpers ----

    /** Empties the alert ledger and the alert events, and puts the push's position back to the start. */
    static void clearAlertLedger(JdbcTemplate jdbc) {
        jdbc.update("DELETE FROM province_alert_delivery");
        jdbc.update("DELETE FROM province_alert_batch");
        jdbc.update("DELETE FROM alert_event");
        jdbc.update("UPDATE province_alert_position SET last_seq = 0 WHERE id = 1");
    }

    private void event(long seq, String alertId, String kind, String clearedAt) {
        event(jdbc, seq, alertId, kind, clearedAt);
    }

    /** An alert event as AlertWriter writes it: the alert v1 as it stood after the event. */
    static void event(JdbcTemplate jdbc, long seq, String alertId, String kind, String clearedAt) {
        ObjectNode a = JSON.createObjectNode();
        a.put("alertId", alertId);
        a.put("rule", "PROMISED_OVERDUE");
        a.put("ruleVersion", 1);
        a.put("level", "YELLOW");
        a.putArray("recordIds").add("approvals:SG-2026-000123");
        a.put("regionCode", "370783");
        a.put("departmentCode", "SGZRZY");
        a.put("domain", "APPROVAL");
        a.put("raisedAt", "2026-03-17T00:00:00+08:00");
        a.put("resolvedAt", "RESOLVED".equals(kind) ? "2026-03-18T10:00:00+08:00" : null);
        a.put("clearedAt", clearedAt);
        a.put("calendarMissing", false);
        a.put("calendarVersion", "weekends-only");
        a.putArray("inputs").addObject().put("recordId", "approvals:SG-2026-000123")
                .put("updatedAt", "2026-03-12T16:00:03+08:00").put("payloadSha256", "0".repeat(64));
        a.put("message", "承诺时限 10 个工作日，已于 2026-03-16 届满，仍未办结 (" + kind + " " + seq + ")");
        jdbc.update("INSERT INTO alert_event (seq, alert_num, kind, at, body) VALUES (?,?,?,?,?)", seq, 1, kind,
                OffsetDateTime.now(ZoneOffset.UTC), a.toString());
    }

    private void start(String route) {
        try {
            camel.getRouteController().startRoute(route);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Alert events answered: ACCEPTED, REJECTED, or SUPERSEDED within an answered batch. */
    private int delivered() {
        return jdbc.queryForObject("SELECT COUNT(*) FROM province_alert_delivery d JOIN province_alert_batch b"
                + " ON b.batch_id = d.batch_id WHERE b.state = 'DONE' AND d.state <> 'SENDING'", Integer.class);
    }

    /** Each event's ledger state, by seq. */
    private List<String> states() {
        return jdbc.queryForList("SELECT event_seq || ' ' || state FROM province_alert_delivery ORDER BY event_seq",
                String.class);
    }

    private String recordState(String recordId) {
        return jdbc.queryForList("SELECT state FROM province_delivery WHERE record_id = ? ORDER BY seq DESC",
                String.class, recordId).stream().findFirst().orElse(null);
    }

    /** The alert requests the province's own stub answered, in the order they reached it. */
    private static List<FakeProvince.Request> alertRequests() {
        return province.log().stream().filter(r -> FakeProvince.ALERTS_PATH.equals(r.path())).toList();
    }

    private static List<String> fieldNames(JsonNode n) {
        List<String> out = new ArrayList<>();
        n.fieldNames().forEachRemaining(out::add);
        return out;
    }
}
