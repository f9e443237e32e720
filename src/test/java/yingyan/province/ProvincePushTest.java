package yingyan.province;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.apache.camel.CamelContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.context.annotation.Import;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import yingyan.ingest.FixtureMapper;
import yingyan.spi.IngestGateway;
import yingyan.spi.SourceItem;
import yingyan.testsupport.FakeProvince;

/**
 * The push contract (docs/contracts/province.md §1) against the stand-in province, its answers scripted: every response case, the lost
 * answer, the province down for a while, superseded and rejected versions. One hub for the class; each
 * test starts with the sender stopped and restarted on an empty ledger and a closed breaker.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
@Import(FixtureMapper.Config.class)
class ProvincePushTest {
    static final String PATH = "/api/supervision/v1/batches";
    static final String SECRET = "test-province-secret-0123456789";
    static final ObjectMapper JSON = new ObjectMapper();
    static final FakeProvince province = new FakeProvince(SECRET).checkingFees();
    static final WireMockServer wm = province.wireMock();

    @DynamicPropertySource
    static void province(DynamicPropertyRegistry r) {
        r.add("hub.province.enabled", () -> "true");
        r.add("hub.province.base-url", wm::baseUrl);
        r.add("hub.province.secret", () -> SECRET);
        r.add("hub.province.batch-max-records", () -> "5");
        r.add("hub.province.poll-interval", () -> "50");
        r.add("hub.province.connect-timeout", () -> "500ms");
        r.add("hub.province.read-timeout", () -> "2s");
        r.add("hub.province.initial-backoff", () -> "50ms");
        r.add("hub.province.max-backoff", () -> "1500ms");
        r.add("hub.province.breaker-failure-threshold", () -> "3");
        r.add("hub.province.breaker-open-for", () -> "400ms");
    }

    @AfterAll
    static void stop() {
        province.close();
    }

    @Autowired
    IngestGateway gateway;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    TestRestTemplate http;
    @Autowired
    CamelContext camel;

    @Autowired
    BatchSender sender;

    @BeforeEach
    void reset() throws Exception {
        camel.getRouteController().stopRoute("province-push");
        jdbc.update("DELETE FROM province_delivery");
        jdbc.update("DELETE FROM province_batch");
        sender.resetBreaker();
        wm.resetAll();
        camel.getRouteController().startRoute("province-push");
    }

    // ---- response cases ----

    @Test
    void answer200FilesEachVersionAcceptedOrRejected_andTheRequestIsExactlyAsContracted() throws Exception {
        provinceAnswers200();
        submit(FixtureMapper.item("OK-1", "2026-03-01 10:00:00", "1.00"),
                FixtureMapper.item("OK-2", "2026-03-01 10:00:00", "2.00"),
                FixtureMapper.item("BAD-1", "2026-03-01 10:00:00", null));

        await().atMost(Duration.ofSeconds(20)).until(() -> "REJECTED".equals(state("fixture:BAD-1"))
                && "ACCEPTED".equals(state("fixture:OK-1")) && "ACCEPTED".equals(state("fixture:OK-2")));
        Map<String, Object> rejected = jdbc.queryForMap("SELECT reject_code, reject_reason, batch_id FROM"
                + " province_delivery WHERE record_id = 'fixture:BAD-1'");
        assertThat(rejected.get("reject_code")).isEqualTo("E_FIELD");
        assertThat(rejected.get("reject_reason").toString()).contains("amounts");
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM province_delivery WHERE record_id = 'fixture:OK-1'"
                + " AND accepted_at IS NOT NULL AND batch_id IS NOT NULL", Integer.class)).isEqualTo(1);

        // One batch (a slow first answer on a cold JVM may make it go twice, byte-identical: see keys()).
        assertThat(keys()).hasSize(1);
        LoggedRequest req = pushes().get(0);
        byte[] body = req.getBody();
        JsonNode batch = JSON.readTree(body);
        assertThat(req.getHeader("Content-Type")).startsWith("application/json");
        assertThat(req.getHeader("X-Region")).isEqualTo("370700");
        assertThat(batch.get("region").asText()).isEqualTo("370700");
        assertThat(req.getHeader("Idempotency-Key")).isEqualTo(batch.get("batchId").asText())
                .isEqualTo(rejected.get("batch_id"));
        assertThat(req.getHeader("X-Signature")).isEqualTo(hmac(body, SECRET));
        // The records are the stored canonical versions, in ledger order.
        List<String> stored = jdbc.queryForList("SELECT v.body FROM record_version v JOIN province_delivery d"
                + " ON d.seq = v.seq ORDER BY v.seq", String.class);
        List<JsonNode> expected = new ArrayList<>();
        for (String s : stored) {
            expected.add(JSON.readTree(s));
        }
        assertThat(batch.get("records")).containsExactlyElementsOf(expected);

        // Rejected is not resent blindly.
        int before = pushes().size();
        await().during(Duration.ofMillis(800)).atMost(Duration.ofSeconds(3)).until(() -> pushes().size() == before);

        // What the province has not accepted: exactly the rejected version, with its code and reason.
        Map<?, ?> pending = http.withBasicAuth("viewer", "viewer-secret")
                .getForObject("/api/v1/province/pending", Map.class);
        assertThat(((Number) pending.get("notAccepted")).intValue()).isEqualTo(1);
        List<?> items = (List<?>) pending.get("items");
        assertThat(items).hasSize(1);
        Map<?, ?> item = (Map<?, ?>) items.get(0);
        assertThat(item.get("recordId")).isEqualTo("fixture:BAD-1");
        assertThat(item.get("state")).isEqualTo("REJECTED");
        assertThat(item.get("code")).isEqualTo("E_FIELD");
        long seq = ((Number) item.get("seq")).longValue();

        // Resent only when a person asks, and only an operator may.
        assertThat(http.withBasicAuth("viewer", "viewer-secret").postForEntity("/api/v1/province/versions/" + seq
                + "/resend", null, Map.class).getStatusCode()).isEqualTo(HttpStatus.FORBIDDEN);
        ResponseEntity<Map> resend = http.withBasicAuth("operator", "operator-secret")
                .postForEntity("/api/v1/province/versions/" + seq + "/resend", null, Map.class);
        assertThat(resend.getStatusCode()).isEqualTo(HttpStatus.OK);
        await().atMost(Duration.ofSeconds(10)).until(() -> keys().size() == 2 && "REJECTED".equals(state("fixture:BAD-1")));
        JsonNode again = JSON.readTree(pushes().get(pushes().size() - 1).getBody());
        assertThat(again.get("batchId").asText()).isNotEqualTo(batch.get("batchId").asText());
        assertThat(again.get("records")).hasSize(1);
        assertThat(again.get("records").get(0).get("recordId").asText()).isEqualTo("fixture:BAD-1");

        // A newer version of it is a new version: it goes by itself, and the province accepts it.
        submit(FixtureMapper.item("BAD-1", "2026-03-02 10:00:00", "5.00"));
        await().atMost(Duration.ofSeconds(20)).until(() -> "ACCEPTED".equals(state("fixture:BAD-1")));
        Map<?, ?> after = http.withBasicAuth("viewer", "viewer-secret").getForObject("/api/v1/province/pending", Map.class);
        assertThat(((Number) after.get("notAccepted")).intValue()).isZero();
        // The old rejected version cannot be resent over the newer one.
        assertThat(http.withBasicAuth("operator", "operator-secret").postForEntity("/api/v1/province/versions/" + seq
                + "/resend", null, Map.class).getStatusCode()).isEqualTo(HttpStatus.CONFLICT);
    }

    @ParameterizedTest
    @ValueSource(strings = {"timeout", "reset"})
    void acceptedButTheAnswerWasLost_theResendGets409AndTheVersionIsAcceptedOnce(String loss) throws Exception {
        var lost = aResponse().withStatus(200).withTransformers(FakeProvince.ANSWER);
        wm.stubFor(post(urlEqualTo(PATH)).inScenario("lost").whenScenarioStateIs(Scenario.STARTED)
                .willReturn("timeout".equals(loss) ? lost.withFixedDelay(4000)
                        : aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER))
                .willSetStateTo("accepted"));
        wm.stubFor(post(urlEqualTo(PATH)).inScenario("lost").whenScenarioStateIs("accepted")
                .willReturn(aResponse().withStatus(409).withTransformers(FakeProvince.ANSWER)));
        submit(FixtureMapper.item("L-" + loss + "-1", "2026-03-01 10:00:00", "1.00"),
                FixtureMapper.item("L-" + loss + "-2", "2026-03-01 10:00:00", "1.00"));

        await().atMost(Duration.ofSeconds(20)).until(() -> "ACCEPTED".equals(state("fixture:L-" + loss + "-1"))
                && "ACCEPTED".equals(state("fixture:L-" + loss + "-2")));
        List<LoggedRequest> sent = pushes();
        assertThat(sent).hasSize(2);
        assertThat(sent.get(1).getBody()).isEqualTo(sent.get(0).getBody());
        assertThat(sent.get(1).getHeader("Idempotency-Key")).isEqualTo(sent.get(0).getHeader("Idempotency-Key"));
        assertThat(sent.get(1).getHeader("X-Signature")).isEqualTo(sent.get(0).getHeader("X-Signature"));
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM province_delivery WHERE state = 'ACCEPTED'",
                Integer.class)).isEqualTo(2);
        Map<String, Object> b = jdbc.queryForMap("SELECT state, attempts, http_status FROM province_batch");
        assertThat(b.get("state")).isEqualTo("DONE");
        assertThat(((Number) b.get("attempts")).intValue()).isEqualTo(2);
        assertThat(((Number) b.get("http_status")).intValue()).isEqualTo(409);
        await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(3)).until(() -> pushes().size() == 2);
    }

    @ParameterizedTest
    @ValueSource(ints = {429, 503})
    void busyProvinceGetsTheSameBatchAgainAfterRetryAfter(int status) throws Exception {
        wm.stubFor(post(urlEqualTo(PATH)).inScenario("busy").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(status).withHeader("Retry-After", "1"))
                .willSetStateTo("free"));
        wm.stubFor(post(urlEqualTo(PATH)).inScenario("busy").whenScenarioStateIs("free")
                .willReturn(aResponse().withStatus(200).withTransformers(FakeProvince.ANSWER)));
        submit(FixtureMapper.item("B-" + status, "2026-03-01 10:00:00", "1.00"));

        await().atMost(Duration.ofSeconds(20)).until(() -> "ACCEPTED".equals(state("fixture:B-" + status)));
        List<LoggedRequest> sent = pushes();
        assertThat(sent).hasSize(2);
        assertThat(sent.get(1).getBody()).isEqualTo(sent.get(0).getBody());
        assertThat(sent.get(1).getHeader("Idempotency-Key")).isEqualTo(sent.get(0).getHeader("Idempotency-Key"));
        // Retry-After (1 s) was honoured, not the 50 ms backoff.
        assertThat(sent.get(1).getLoggedDate().getTime() - sent.get(0).getLoggedDate().getTime())
                .isGreaterThanOrEqualTo(900);
    }

    @Test
    void malformedBatch400IsFailedVisibleNotRetried_untilAnOperatorRetriesIt() throws Exception {
        wm.stubFor(post(urlEqualTo(PATH)).atPriority(1)
                .willReturn(aResponse().withStatus(400).withBody("{\"error\":\"bad X-Signature\"}")));
        submit(FixtureMapper.item("F-1", "2026-03-01 10:00:00", "1.00"));

        var viewer = http.withBasicAuth("viewer", "viewer-secret");
        await().atMost(Duration.ofSeconds(20)).until(() ->
                !((List<?>) viewer.getForObject("/api/v1/province/batches?state=FAILED", Map.class).get("items")).isEmpty());
        Map<?, ?> failed = (Map<?, ?>) ((List<?>) viewer.getForObject("/api/v1/province/batches?state=FAILED",
                Map.class).get("items")).get(0);
        assertThat(failed.get("failureReason").toString()).contains("400").contains("bad X-Signature");
        assertThat(((Number) failed.get("httpStatus")).intValue()).isEqualTo(400);
        int sent = pushes().size();
        await().during(Duration.ofMillis(800)).atMost(Duration.ofSeconds(3)).until(() -> pushes().size() == sent);
        Map<?, ?> pending = viewer.getForObject("/api/v1/province/pending", Map.class);
        assertThat(((Number) pending.get("notAccepted")).intValue()).isEqualTo(1);
        assertThat(((Map<?, ?>) ((List<?>) pending.get("items")).get(0)).get("batchState")).isEqualTo("FAILED");

        String batchId = failed.get("batchId").toString();
        assertThat(viewer.postForEntity("/api/v1/province/batches/" + batchId + "/retry", null, Map.class)
                .getStatusCode()).isEqualTo(HttpStatus.FORBIDDEN);
        wm.resetAll();
        provinceAnswers200();
        ResponseEntity<Map> retried = http.withBasicAuth("operator", "operator-secret")
                .postForEntity("/api/v1/province/batches/" + batchId + "/retry", null, Map.class);
        assertThat(retried.getStatusCode()).isEqualTo(HttpStatus.OK);
        await().atMost(Duration.ofSeconds(10)).until(() -> "ACCEPTED".equals(state("fixture:F-1")));
        assertThat(keys()).containsExactly(batchId);
        assertThat(viewer.getForObject("/api/v1/province/batches/" + batchId, Map.class).get("state")).isEqualTo("DONE");
    }

    @Test
    void aStatusTheContractDoesNotDefineKeepsTheBatchWaitingVisibly_notFailed() throws Exception {
        wm.stubFor(post(urlEqualTo(PATH)).atPriority(1).willReturn(aResponse().withStatus(401)));
        submit(FixtureMapper.item("W-1", "2026-03-01 10:00:00", "1.00"));
        var viewer = http.withBasicAuth("viewer", "viewer-secret");
        await().atMost(Duration.ofSeconds(20)).until(() -> {
            List<?> waiting = (List<?>) viewer.getForObject("/api/v1/province/batches?state=SENDING", Map.class)
                    .get("items");
            return !waiting.isEmpty() && ((Number) ((Map<?, ?>) waiting.get(0)).get("attempts")).intValue() >= 2
                    && String.valueOf(((Map<?, ?>) waiting.get(0)).get("lastError")).contains("401");
        });
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM province_batch", Integer.class)).isEqualTo(1);
        wm.resetAll();
        provinceAnswers200();
        await().atMost(Duration.ofSeconds(20)).until(() -> "ACCEPTED".equals(state("fixture:W-1")));
        assertThat(keys()).hasSize(1);
    }

    @Test
    void batchAfterBatchRefused_areAllRetriedAtOnceByAnOperator() throws Exception {
        wm.stubFor(post(urlEqualTo(PATH)).atPriority(1)
                .willReturn(aResponse().withStatus(400).withBody("{\"error\":\"bad X-Signature\"}")));
        List<SourceItem> items = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            items.add(FixtureMapper.item("M-" + i, "2026-03-01 10:00:00", "1.00"));
        }
        submit(items.toArray(SourceItem[]::new));
        await().atMost(Duration.ofSeconds(20)).until(() -> jdbc.queryForObject(
                "SELECT COUNT(*) FROM province_batch WHERE state = 'FAILED'", Integer.class) == 2);
        wm.resetAll();
        provinceAnswers200();
        assertThat(http.withBasicAuth("viewer", "viewer-secret").postForEntity(
                "/api/v1/province/batches/retry-failed", null, Map.class).getStatusCode()).isEqualTo(HttpStatus.FORBIDDEN);
        ResponseEntity<Map> all = http.withBasicAuth("operator", "operator-secret")
                .postForEntity("/api/v1/province/batches/retry-failed", null, Map.class);
        assertThat(all.getBody().get("retried")).isEqualTo(2);
        await().atMost(Duration.ofSeconds(20)).until(() -> jdbc.queryForObject(
                "SELECT COUNT(*) FROM province_delivery WHERE state = 'ACCEPTED'", Integer.class) == 7);
        assertThat(keys()).hasSize(2);
        // Each version in exactly one answered batch (batches overlap now, so not necessarily in ledger order).
        assertThat(acceptedInOrder()).containsExactlyInAnyOrderElementsOf(
                jdbc.queryForList("SELECT record_id FROM province_delivery ORDER BY seq", String.class));
    }

    @Test
    void keyReusedWithAnotherBody422IsFailed_andARetryReleasesItsVersionsIntoANewBatch() throws Exception {
        wm.stubFor(post(urlEqualTo(PATH)).atPriority(1)
                .willReturn(aResponse().withStatus(422).withBody("{\"error\":\"key used with another body\"}")));
        submit(FixtureMapper.item("K-1", "2026-03-01 10:00:00", "1.00"));
        await().atMost(Duration.ofSeconds(20)).until(() -> "FAILED".equals(
                jdbc.queryForList("SELECT state FROM province_batch", String.class).stream().findFirst().orElse("")));
        String batchId = jdbc.queryForObject("SELECT batch_id FROM province_batch", String.class);
        int sent = pushes().size();
        await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(3)).until(() -> pushes().size() == sent);

        wm.resetAll();
        provinceAnswers200();
        ResponseEntity<Map> retried = http.withBasicAuth("operator", "operator-secret")
                .postForEntity("/api/v1/province/batches/" + batchId + "/retry", null, Map.class);
        assertThat(retried.getBody().get("state")).isEqualTo("RELEASED");
        await().atMost(Duration.ofSeconds(10)).until(() -> "ACCEPTED".equals(state("fixture:K-1")));
        assertThat(keys()).hasSize(1).doesNotContain(batchId);
    }

    @Test
    void tooLarge413IsSplitUntilTheProvinceTakesIt() throws Exception {
        wm.stubFor(post(urlEqualTo(PATH)).atPriority(1).withRequestBody(matchingJsonPath("$.records[1]"))
                .willReturn(aResponse().withStatus(413).withBody("{\"error\":\"over 1 record\"}")));
        wm.stubFor(post(urlEqualTo(PATH)).atPriority(5)
                .willReturn(aResponse().withStatus(200).withTransformers(FakeProvince.ANSWER)));
        submit(FixtureMapper.item("T-1", "2026-03-01 10:00:00", "1.00"),
                FixtureMapper.item("T-2", "2026-03-01 10:00:00", "1.00"),
                FixtureMapper.item("T-3", "2026-03-01 10:00:00", "1.00"));
        await().atMost(Duration.ofSeconds(20)).until(() -> jdbc.queryForObject(
                "SELECT COUNT(*) FROM province_delivery WHERE state = 'ACCEPTED'", Integer.class) == 3);
        assertThat(jdbc.queryForList("SELECT state FROM province_batch ORDER BY batch_no", String.class))
                .containsExactly("SPLIT", "DONE", "SPLIT", "DONE", "DONE");
        // The halves may be out at once: each version answered in exactly one batch, in whatever order.
        assertThat(acceptedInOrder()).containsExactlyInAnyOrder("fixture:T-1", "fixture:T-2", "fixture:T-3");
    }

    // ---- the province away, superseded versions ----

    @Test
    void provinceDownForAWhile_thenBack_everyPendingVersionDeliveredOnce() throws Exception {
        wm.stubFor(post(urlEqualTo(PATH)).atPriority(1).willReturn(aResponse().withStatus(503)));
        wm.stubFor(post(urlEqualTo(PATH)).atPriority(2).withHeader("X-Region", com.github.tomakehurst.wiremock
                .client.WireMock.equalTo("370700")).willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
        for (int round = 0; round < 4; round++) {
            List<SourceItem> items = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                items.add(FixtureMapper.item("D-" + round + "-" + i, "2026-03-01 10:00:00", "1.00"));
            }
            submit(items.toArray(SourceItem[]::new));
        }
        // Ingestion goes on while the province is down; the breaker opens and the backlog waits.
        await().atMost(Duration.ofSeconds(20)).until(() -> jdbc.queryForObject(
                "SELECT COUNT(*) FROM province_delivery", Integer.class) == 12);
        var viewer = http.withBasicAuth("viewer", "viewer-secret");
        await().atMost(Duration.ofSeconds(10)).until(() -> "OPEN".equals(
                ((Map<?, ?>) viewer.getForObject("/api/v1/province/pending", Map.class).get("sender")).get("breaker")));
        int whileOpen = pushes().size();
        assertThat(whileOpen).isLessThanOrEqualTo(4); // threshold 3, then one probe per 400 ms at most
        Map<?, ?> pending = viewer.getForObject("/api/v1/province/pending", Map.class);
        assertThat(((Number) pending.get("notAccepted")).intValue()).isEqualTo(12);
        // Health says so until the province answers again.
        await().atMost(Duration.ofSeconds(5)).until(() -> {
            ResponseEntity<Map> h = viewer.getForEntity("/actuator/health/province", Map.class);
            return h.getStatusCode() == HttpStatus.SERVICE_UNAVAILABLE && "DOWN".equals(h.getBody().get("status"));
        });
        // The province half back: connection resets for a while.
        wm.removeStub(wm.getStubMappings().stream().filter(s -> s.getPriority() != null && s.getPriority() == 1)
                .findFirst().orElseThrow());
        await().atMost(Duration.ofSeconds(10)).until(() -> pushes().size() >= whileOpen + 2);

        wm.resetAll();
        provinceAnswers200();
        await().atMost(Duration.ofSeconds(30)).until(() -> jdbc.queryForObject(
                "SELECT COUNT(*) FROM province_delivery WHERE state = 'ACCEPTED'", Integer.class) == 12);

        List<String> ledgerOrder = jdbc.queryForList("SELECT record_id FROM province_delivery ORDER BY seq", String.class);
        // Once each; batches overlap (max-in-flight), so the province may get them out of ledger order,
        // which the contract allows: it keeps the newest version of a record by source.updatedAt.
        assertThat(acceptedInOrder()).containsExactlyInAnyOrderElementsOf(ledgerOrder);
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM province_batch WHERE state <> 'DONE'", Integer.class))
                .isZero();
        assertThat(((Number) viewer.getForObject("/api/v1/province/pending", Map.class).get("notAccepted")).intValue())
                .isZero();
        await().atMost(Duration.ofSeconds(5)).until(() -> "UP".equals(
                viewer.getForObject("/actuator/health/province", Map.class).get("status")));
    }

    @Test
    void supersededVersionsAreNotSent_andPendingAnswersExactly() throws Exception {
        provinceAnswers200();
        camel.getRouteController().stopRoute("province-push");
        submit(FixtureMapper.item("S-1", "2026-03-01 10:00:00", "1.00"));
        submit(FixtureMapper.item("S-1", "2026-03-02 10:00:00", "2.00"));
        submit(FixtureMapper.item("S-1", "2026-03-03 10:00:00", "3.00"), FixtureMapper.item("U-1", "2026-03-01 10:00:00", "1.00"));
        await().atMost(Duration.ofSeconds(20)).until(() -> jdbc.queryForObject(
                "SELECT COUNT(*) FROM province_delivery", Integer.class) == 4);
        assertThat(jdbc.queryForList("SELECT state FROM province_delivery WHERE record_id = 'fixture:S-1' ORDER BY seq",
                String.class)).containsExactly("SUPERSEDED", "SUPERSEDED", "PENDING");

        Map<?, ?> pending = http.withBasicAuth("viewer", "viewer-secret").getForObject("/api/v1/province/pending", Map.class);
        assertThat(((Number) pending.get("notAccepted")).intValue()).isEqualTo(2);
        assertThat(((List<?>) pending.get("items")).stream().map(i -> String.valueOf(((Map<?, ?>) i).get("recordId"))).toList())
                .containsExactly("fixture:S-1", "fixture:U-1");
        assertThat(((Map<?, ?>) pending.get("ledger")).get("SUPERSEDED")).isEqualTo(2);

        camel.getRouteController().startRoute("province-push");
        await().atMost(Duration.ofSeconds(20)).until(() -> "ACCEPTED".equals(state("fixture:S-1"))
                && "ACCEPTED".equals(state("fixture:U-1")));
        assertThat(keys()).hasSize(1);
        JsonNode records = JSON.readTree(pushes().get(0).getBody()).get("records");
        assertThat(records).hasSize(2);
        assertThat(records.get(0).get("recordId").asText()).isEqualTo("fixture:S-1");
        assertThat(records.get(0).get("amounts").get(0).get("value").asText()).isEqualTo("3.00");
    }

    @Test
    void aVersionTheAnswerDoesNotMentionIsFiledUnanswered_notResentBlindly() throws Exception {
        provinceAnswers200();
        submit(FixtureMapper.item("N-1", "2026-03-01 10:00:00", "7.77"),
                FixtureMapper.item("N-2", "2026-03-01 10:00:00", "1.00"));
        await().atMost(Duration.ofSeconds(20)).until(() -> "REJECTED".equals(state("fixture:N-1"))
                && "ACCEPTED".equals(state("fixture:N-2")));
        assertThat(jdbc.queryForObject("SELECT reject_code FROM province_delivery WHERE record_id = 'fixture:N-1'",
                String.class)).isEqualTo("UNANSWERED");
        int sent = pushes().size();
        await().during(Duration.ofMillis(600)).atMost(Duration.ofSeconds(3)).until(() -> pushes().size() == sent);
        assertThat(keys()).hasSize(1);
    }

    // ---- helpers ----

    private void provinceAnswers200() {
        wm.stubFor(post(urlEqualTo(PATH)).atPriority(5)
                .willReturn(aResponse().withStatus(200).withTransformers(FakeProvince.ANSWER)));
    }

    private void submit(SourceItem... items) {
        gateway.submit(List.of(items));
    }

    /** The newest ledger state of a record. */
    private String state(String recordId) {
        return jdbc.queryForList("SELECT state FROM province_delivery WHERE record_id = ? ORDER BY seq DESC",
                String.class, recordId).stream().findFirst().orElse(null);
    }

    /** Requests the province received, oldest first. */
    private List<LoggedRequest> pushes() {
        List<LoggedRequest> all = new ArrayList<>(wm.findAll(postRequestedFor(urlEqualTo(PATH))));
        all.sort(Comparator.comparing(LoggedRequest::getLoggedDate));
        return all;
    }

    /** Distinct batches the province received; every resend of one carried the byte-identical body. */
    private Set<String> keys() {
        Map<String, byte[]> bodies = new LinkedHashMap<>();
        for (LoggedRequest r : pushes()) {
            byte[] first = bodies.putIfAbsent(r.getHeader("Idempotency-Key"), r.getBody());
            if (first != null) {
                assertThat(r.getBody()).isEqualTo(first);
            }
        }
        return bodies.keySet();
    }

    /**
     * Record ids of every batch the province answered 200 or 409, each batch once, in the order the
     * province received them; every resend of a batch carried its first bytes.
     */
    private List<String> acceptedInOrder() throws Exception {
        List<ServeEvent> events = new ArrayList<>(wm.getAllServeEvents());
        Collections.reverse(events); // WireMock lists newest first
        Set<String> keys = new LinkedHashSet<>();
        Map<String, byte[]> bodies = new LinkedHashMap<>();
        List<String> out = new ArrayList<>();
        for (ServeEvent e : events) {
            String key = e.getRequest().getHeader("Idempotency-Key");
            if (bodies.containsKey(key)) {
                assertThat(e.getRequest().getBody()).as("resend of " + key).isEqualTo(bodies.get(key));
            }
            bodies.putIfAbsent(key, e.getRequest().getBody());
            int status = e.getResponse().getStatus();
            if ((status == 200 || status == 409) && keys.add(key)) {
                for (JsonNode r : JSON.readTree(e.getRequest().getBody()).get("records")) {
                    out.add(r.get("recordId").asText());
                }
            }
        }
        return out;
    }

    static String hmac(byte[] body, String secret) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return HexFormat.of().formatHex(mac.doFinal(body));
    }
}
