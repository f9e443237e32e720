package yingyan.adapters.approvals;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.mockito.ArgumentMatchers.anyList;
import static org.mockito.Mockito.doAnswer;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.camel.CamelContext;
import org.apache.camel.ServiceStatus;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.bean.override.mockito.MockitoSpyBean;
import yingyan.canonical.CanonicalJson;
import yingyan.spi.AdapterMonitor;
import yingyan.spi.IngestGateway;
import yingyan.quarantine.QuarantineEntry;
import yingyan.quarantine.QuarantineStore;
import yingyan.store.WatermarkStore;
import yingyan.testsupport.FakeApprovalsSystem;

/**
 * The approvals adapter in the whole hub (H2, embedded Artemis, the real ingest and persist routes)
 * against a WireMock approvals API. The source route is not auto-started: each test polls when it wants
 * (one test starts the route), and waits for outcomes in the database with Awaitility.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        // The "test" profile gives an in-memory H2, a non-persistent embedded broker and no demo sources.
        "hub.adapters.approvals.enabled=false",
        "hub.adapters.approvals.poll-interval=1h",
        "hub.adapters.approvals.api-key=" + ApprovalsRouteTest.KEY,
        "hub.adapters.approvals.page-size=3",
        "hub.adapters.approvals.overlap=90s",
        "hub.adapters.approvals.start-from=",
        "hub.adapters.approvals.connect-timeout=2s",
        "hub.adapters.approvals.read-timeout=2s",
        "hub.adapters.approvals.max-attempts=3",
        "hub.adapters.approvals.initial-backoff=100ms",
        "hub.adapters.approvals.max-backoff=3s"})
// Timeouts are generous: the build machine is shared, and a loaded JVM must not pass for a slow source.
@ActiveProfiles("test")
class ApprovalsRouteTest {
    static final String KEY = "route-test-api-key";
    static final String ID = ApprovalsProperties.ADAPTER_ID;
    static final FakeApprovalsSystem FAKE = new FakeApprovalsSystem(KEY);
    static final WireMockServer WIREMOCK = FAKE.wireMock();

    @Autowired ApprovalsSource source;
    @Autowired JdbcTemplate jdbc;
    @Autowired QuarantineStore quarantine;
    @Autowired WatermarkStore watermarks;
    @Autowired AdapterMonitor monitor;
    @Autowired TestRestTemplate rest;
    @Autowired CamelContext camel;
    @MockitoSpyBean IngestGateway gateway;

    @DynamicPropertySource
    static void wiremock(DynamicPropertyRegistry registry) {
        registry.add("hub.adapters.approvals.base-url", () -> "http://127.0.0.1:" + WIREMOCK.port());
    }

    @AfterAll
    static void stopWiremock() {
        WIREMOCK.stop();
    }

    @BeforeEach
    void clean() {
        awaitDrained();
        jdbc.update("DELETE FROM record");
        jdbc.update("DELETE FROM record_version");
        jdbc.update("DELETE FROM quarantine");
        watermarks.reset(ID);
        FAKE.reset();
        WIREMOCK.resetAll();
        WIREMOCK.stubFor(get(urlPathEqualTo("/api/cases")).atPriority(10)
                .willReturn(aResponse().withTransformers(FakeApprovalsSystem.ANSWER)));
        monitor.state(ID).pollNow();
    }

    @Test
    void casesMovingToALaterPageWhilePagingAreNeitherLostNorSkipped() {
        for (int i = 1; i <= 7; i++) {
            FAKE.add(ApprovalsFixtures.orgCase("MV-0" + i, "2026-09-01 09:00:0" + i));
        }
        // After page 1 was served, MV-02 is updated: everything behind it moves one place forward, so a
        // client that asked for page 2 of the same query would never see MV-04 (and the watermark would
        // pass it by far more than the overlap).
        FAKE.beforeAnswer((n, r) -> {
            if (n == 2) {
                FAKE.update("MV-02", "2026-09-01 10:05:00", "办结");
            }
        });

        source.poll();

        assertSucceeded();
        awaitDrained();
        Map<String, String> stored = currentVersions("MV-");
        assertThat(stored).containsOnlyKeys("MV-01", "MV-02", "MV-03", "MV-04", "MV-05", "MV-06", "MV-07");
        assertThat(stored).containsEntry("MV-02", "2026-09-01T10:05:00+08:00").containsEntry("MV-04",
                "2026-09-01T09:00:04+08:00");
        assertThat(body("approvals:MV-02").path("status").asText()).isEqualTo("COMPLETED");
        assertThat(watermarks.get(ID)).contains("2026-09-01 10:05:00");
    }

    @Test
    void aShiftInsideOneSecondIsDetectedAndThatSecondReadAgain() {
        for (int i = 1; i <= 7; i++) {
            FAKE.add(ApprovalsFixtures.orgCase("SS-0" + i, "2026-09-02 09:30:00"));
        }
        // Seven cases share one second, so the client must page by number within it. Just before it asks
        // for page 2, SS-01 is updated: page 2 now starts at SS-05 and SS-04 slipped onto page 1.
        AtomicInteger shifted = new AtomicInteger();
        FAKE.beforeAnswer((n, r) -> {
            if (r.getUrl().contains("page=2&size=3") && shifted.getAndIncrement() == 0) {
                FAKE.update("SS-01", "2026-09-02 09:40:00", "办结");
            }
        });

        source.poll();

        assertSucceeded();
        awaitDrained();
        Map<String, String> stored = currentVersions("SS-");
        assertThat(stored).hasSize(7).containsEntry("SS-01", "2026-09-02T09:40:00+08:00")
                .containsEntry("SS-04", "2026-09-02T09:30:00+08:00");
        // The boundary was re-read (size=1), then page 1 again for SS-04, which slid onto it; the pass went on
        // from there instead of restarting the second.
        List<String> urls = WIREMOCK.findAll(getRequestedFor(urlPathEqualTo("/api/cases"))).stream()
                .map(r -> java.net.URLDecoder.decode(r.getUrl(), java.nio.charset.StandardCharsets.UTF_8)).toList();
        assertThat(urls).anyMatch(u -> u.contains("page=3&size=1"));
        assertThat(urls.stream().filter(u -> u.contains("updatedSince=2026-09-02 09:30:00&page=1&size=3")))
                .hasSizeGreaterThanOrEqualTo(2);
        assertThat(urls.stream().filter(u -> u.contains("updatedSince=2026-09-02 09:30:00&page=2&size=3")))
                .hasSize(1);
        assertThat(watermarks.get(ID)).contains("2026-09-02 09:40:00");
    }

    @Test
    void aPollUnderWayShowsHowFarItGotOnHealthAndTheBoard() throws Exception {
        for (int i = 1; i <= 9; i++) {
            FAKE.add(ApprovalsFixtures.orgCase("PP-0" + i, "2026-09-09 09:00:0" + i));
        }
        // The source stalls on the third request: two pages (six items, PP-03 read twice) are queued by then.
        CountDownLatch stalled = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        FAKE.beforeAnswer((n, r) -> {
            if (n == 3) {
                stalled.countDown();
                try {
                    release.await(60, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        });
        long queuedBefore = monitor.state(ID).queuedTotal();
        CompletableFuture<Void> poll = CompletableFuture.runAsync(source::poll);
        try {
            assertThat(stalled.await(30, TimeUnit.SECONDS)).isTrue();
            // Both pages are queued before the third request is made; their figures show at once.
            JsonNode health = json(rest.withBasicAuth("viewer", "viewer-secret")
                    .getForEntity("/actuator/health/adapters/approvals", String.class).getBody()).path("details");
            // The queued total counts them already, not only once the poll ends.
            assertThat(health.path("queued").asLong()).isEqualTo(queuedBefore + 6);
            JsonNode progress = health.path("poll");
            assertThat(progress.path("read").asLong()).isEqualTo(6);
            assertThat(progress.path("queued").asLong()).isEqualTo(6);
            assertThat(progress.path("quarantined").asLong()).isZero();
            assertThat(progress.path("position").asText()).isEqualTo("updatedSince 2026-09-09 09:00:03, page 1");
            assertThat(progress.path("perSecond").asDouble()).isPositive();
            assertThat(progress.path("startedAt").asText()).isNotEmpty();

            JsonNode row = json(rest.withBasicAuth("viewer", "viewer-secret")
                    .getForEntity("/api/v1/adapters/approvals", String.class).getBody());
            assertThat(row.path("poll").path("read").asLong()).isEqualTo(6);
            assertThat(row.path("poll").path("position").asText()).isEqualTo("updatedSince 2026-09-09 09:00:03, page 1");
        } finally {
            release.countDown();
            poll.get(60, TimeUnit.SECONDS);
        }

        assertSucceeded();
        JsonNode after = json(rest.withBasicAuth("viewer", "viewer-secret")
                .getForEntity("/actuator/health/adapters/approvals", String.class).getBody()).path("details");
        assertThat(after.has("poll")).isFalse();
        awaitDrained();
        assertThat(currentVersions("PP-")).hasSize(9);
    }

    @Test
    void a503WithRetryAfterIsWaitedOutAndTheSameRequestRetried() {
        FAKE.add(ApprovalsFixtures.orgCase("RA-01", "2026-09-03 09:00:01"),
                ApprovalsFixtures.orgCase("RA-02", "2026-09-03 09:00:02"));
        WIREMOCK.stubFor(get(urlPathEqualTo("/api/cases")).atPriority(1)
                .inScenario("busy").whenScenarioStateIs(STARTED).willSetStateTo("served")
                .willReturn(aResponse().withStatus(503).withHeader("Retry-After", "1")));

        long started = System.nanoTime();
        source.poll();
        Duration took = Duration.ofNanos(System.nanoTime() - started);

        assertSucceeded();
        // Retry-After (1 s) was honoured rather than the 100 ms initial backoff.
        assertThat(took).isGreaterThanOrEqualTo(Duration.ofMillis(950));
        List<LoggedRequest> requests = WIREMOCK.findAll(getRequestedFor(urlPathEqualTo("/api/cases")));
        assertThat(requests).hasSize(2);
        assertThat(requests.get(1).getUrl()).isEqualTo(requests.get(0).getUrl());
        awaitDrained();
        assertThat(currentVersions("RA-")).containsOnlyKeys("RA-01", "RA-02");
    }

    @Test
    void aTimeoutIsRetriedWithBackoff() {
        FAKE.add(ApprovalsFixtures.orgCase("TO-01", "2026-09-04 09:00:01"));
        WIREMOCK.stubFor(get(urlPathEqualTo("/api/cases")).atPriority(1)
                .inScenario("slow").whenScenarioStateIs(STARTED).willSetStateTo("served")
                .willReturn(aResponse().withStatus(200).withBody("{\"items\": []}").withFixedDelay(5000)));

        source.poll();

        assertSucceeded();
        assertThat(WIREMOCK.findAll(getRequestedFor(urlPathEqualTo("/api/cases")))).hasSize(2);
        awaitDrained();
        assertThat(currentVersions("TO-")).containsOnlyKeys("TO-01");
    }

    @Test
    void repeatedTimeoutsFailThePollAfterMaxAttempts() {
        WIREMOCK.stubFor(get(urlPathEqualTo("/api/cases")).atPriority(1)
                .willReturn(aResponse().withStatus(200).withBody("{\"items\": []}").withFixedDelay(5000)));

        source.poll();

        AdapterMonitor.AdapterState s = monitor.state(ID);
        assertThat(s.failing()).isTrue();
        assertThat(s.lastError()).contains("did not answer within 2000 ms", "3 of 3 attempts");
        assertThat(WIREMOCK.findAll(getRequestedFor(urlPathEqualTo("/api/cases")))).hasSize(3);
        assertThat(watermarks.get(ID)).isEmpty();
    }

    @Test
    void a401MarksTheAdapterDownWithTheReasonAndBacksOff() {
        WIREMOCK.stubFor(get(urlPathEqualTo("/api/cases")).atPriority(1)
                .willReturn(aResponse().withStatus(401).withBody("{\"error\":\"bad key\"}")));

        source.poll();

        String reason = "approvals rejected the API key (401): check hub.adapters.approvals.api-key";
        AdapterMonitor.AdapterState s = monitor.state(ID);
        assertThat(s.failing()).isTrue();
        assertThat(s.lastError()).isEqualTo(reason);
        assertThat(WIREMOCK.findAll(getRequestedFor(urlPathEqualTo("/api/cases")))).hasSize(1); // no retry

        // The next tick within the backoff (5 s) does not touch the source: no crash loop. Checked before the
        // health request, whose first call on a loaded machine can itself take longer than the backoff.
        source.poll();
        assertThat(WIREMOCK.findAll(getRequestedFor(urlPathEqualTo("/api/cases")))).hasSize(1);
        assertThat(s.consecutiveFailures()).isEqualTo(1);

        ResponseEntity<String> health = rest.withBasicAuth("viewer", "viewer-secret")
                .getForEntity("/actuator/health/adapters/approvals", String.class);
        JsonNode h = json(health.getBody());
        assertThat(h.path("status").asText()).isEqualTo("DOWN");
        assertThat(h.at("/details/reason").asText()).isEqualTo(reason);
    }

    @Test
    void aMalformedPageIsQuarantinedOnceAndTheWatermarkStopsBeforeIt() {
        watermarks.put(ID, "2026-09-05 08:00:00");
        for (int i = 1; i <= 4; i++) {
            FAKE.add(ApprovalsFixtures.orgCase("MP-0" + i, "2026-09-05 09:00:0" + i));
        }
        // Page 1 (from the watermark minus the overlap) is fine and full; the restart at its last item's
        // second answers something that is not JSON.
        WIREMOCK.stubFor(get(urlPathEqualTo("/api/cases")).atPriority(1)
                .withQueryParam("updatedSince", equalTo("2026-09-05 09:00:03"))
                .willReturn(aResponse().withStatus(200).withBody("<html>upstream error</html>")));

        source.poll();

        AdapterMonitor.AdapterState s = monitor.state(ID);
        assertThat(s.failing()).isTrue();
        assertThat(s.lastError()).contains("page 1", "updatedSince=2026-09-05 09:00:03", "is not valid JSON",
                "quarantined");
        List<QuarantineEntry> q = quarantine.list(ID, null, null, 10);
        assertThat(q).singleElement().satisfies(e -> {
            assertThat(e.field()).isEqualTo("(page)");
            assertThat(e.origin()).contains("page 1", "updatedSince=2026-09-05 09:00:03");
            assertThat(e.sourceKey()).isNull();
        });
        assertThat(new String(quarantine.raw(q.get(0).id()).orElseThrow().bytes())).isEqualTo(
                "<html>upstream error</html>");
        assertThat(watermarks.get(ID)).contains("2026-09-05 09:00:03");
        awaitDrained();
        assertThat(currentVersions("MP-")).containsOnlyKeys("MP-01", "MP-02", "MP-03");

        // The next poll meets the same page again: still one quarantine entry, seen twice; no advance.
        s.pollNow();
        source.poll();
        assertThat(s.failing()).isTrue();
        assertThat(quarantine.list(ID, null, null, 10)).singleElement()
                .satisfies(e -> assertThat(e.occurrences()).isEqualTo(2));
        assertThat(watermarks.get(ID)).contains("2026-09-05 09:00:03");
    }

    @Test
    void aPageOfTheWrongShapeFailsThePollWithTheReason() {
        WIREMOCK.stubFor(get(urlPathEqualTo("/api/cases")).atPriority(1)
                .willReturn(aResponse().withStatus(200).withBody("{\"total\": 3, \"rows\": []}")));

        source.poll();

        assertThat(monitor.state(ID).lastError()).contains("has no \"items\" array");
        assertThat(quarantine.list(ID, null, null, 10)).singleElement()
                .satisfies(e -> assertThat(e.reason()).contains("has no \"items\" array"));
        assertThat(watermarks.get(ID)).isEmpty();
    }

    @Test
    void badItemsAreQuarantinedWithFieldValueAndRuleWhileTheRestOfThePageIsStored() {
        com.fasterxml.jackson.databind.node.ObjectNode keyless = ApprovalsFixtures.orgCase("BI-07", "2026-09-06 09:00:07");
        keyless.remove("caseNo");
        FAKE.add(ApprovalsFixtures.orgCase("BI-01", "2026-09-06 09:00:01").put("state", "已归档"),
                ApprovalsFixtures.orgCase("BI-02", "2026-09-06 09:00:02"),
                ApprovalsFixtures.orgCase("BI-03", "2026-09-06 09:00:03"),
                ApprovalsFixtures.orgCase("BI-04", "2026-09-06 09:00:04"),
                ApprovalsFixtures.personCase("BI-05", "2026-09-06 09:00:05", "11010519491231002X"),
                ApprovalsFixtures.personCase("BI-06", "2026-09-06 09:00:06", "110105194912310021"),
                keyless);
        // BI-02's credit code gets a wrong check character (…Y43 is the valid one).
        FAKE.update("BI-02", "2026-09-06 09:00:02", "在办", "/applicant/certNo", "91350100M000100Y44");

        source.poll();

        assertSucceeded();
        awaitDrained();
        assertThat(currentVersions("BI-")).containsOnlyKeys("BI-03", "BI-04", "BI-05");
        List<QuarantineEntry> q = quarantine.list(ID, null, null, 10);
        assertThat(q).hasSize(4);
        QuarantineEntry state = entry(q, "BI-01");
        assertThat(state.field()).isEqualTo("state");
        assertThat(state.reason()).isEqualTo("state = '已归档': must be one of 在办, 办结, 不予受理, 退回, 撤件");
        assertThat(state.origin()).startsWith("page 1 item 1 (");
        QuarantineEntry credit = entry(q, "BI-02");
        assertThat(credit.field()).isEqualTo("party.creditCode");
        assertThat(credit.reason()).contains("party.creditCode = '91350100M000100Y44'",
                "not a valid unified social credit code");
        QuarantineEntry id = entry(q, "BI-06");
        assertThat(id.field()).isEqualTo("applicant.certNo");
        assertThat(id.reason()).contains("110105********0021", "check character");
        assertThat(q).anySatisfy(e -> {
            assertThat(e.sourceKey()).isNull();
            assertThat(e.field()).isEqualTo("caseNo");
        });
        assertThat(monitor.state(ID).quarantinedTotal()).isGreaterThanOrEqualTo(4);

        // No clear resident ID anywhere a person or a consumer reads: record bodies, history, quarantine.
        for (String clear : List.of("11010519491231002X", "110105194912310021", "11010519491231002x")) {
            assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM record WHERE body LIKE ?", Integer.class,
                    "%" + clear + "%")).isZero();
            assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM record_version WHERE body LIKE ?", Integer.class,
                    "%" + clear + "%")).isZero();
            assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM quarantine WHERE reason LIKE ? OR origin LIKE ?"
                    + " OR release_outcome LIKE ?", Integer.class, "%" + clear + "%", "%" + clear + "%",
                    "%" + clear + "%")).isZero();
        }
        JsonNode person = body("approvals:BI-05").path("party");
        assertThat(person.path("idMasked").asText()).isEqualTo("110105********002X");
        assertThat(person.path("idHash").asText()).hasSize(64);
    }

    @Test
    void theWatermarkAdvancesOnlyAfterAPageIsDurablyQueued() {
        for (int i = 1; i <= 4; i++) {
            FAKE.add(ApprovalsFixtures.orgCase("WM-0" + i, "2026-09-07 09:00:0" + i));
        }
        List<Optional<String>> watermarkAtSubmit = new CopyOnWriteArrayList<>();
        AtomicInteger calls = new AtomicInteger();
        doAnswer(inv -> {
            watermarkAtSubmit.add(watermarks.get(ID));
            if (calls.incrementAndGet() == 2) {
                throw new IngestGateway.IngestException("broker unavailable (test)", null);
            }
            return inv.callRealMethod();
        }).when(gateway).submit(anyList());

        source.poll();

        // Page 1 (WM-01..03) was queued before the watermark moved to its last item; page 2 could not be
        // queued, so the watermark did not move past it.
        assertThat(watermarkAtSubmit).containsExactly(Optional.empty(), Optional.of("2026-09-07 09:00:03"));
        assertThat(watermarks.get(ID)).contains("2026-09-07 09:00:03");
        assertThat(monitor.state(ID).failing()).isTrue();
        assertThat(monitor.state(ID).lastError()).contains("broker unavailable (test)");
        awaitDrained();
        assertThat(currentVersions("WM-")).containsOnlyKeys("WM-01", "WM-02", "WM-03");
    }

    @Test
    void theSourceRouteRunsThePollOnItsTimer() throws Exception {
        FAKE.add(ApprovalsFixtures.orgCase("RT-01", "2026-09-08 09:00:01"));
        assertThat(camel.getRouteController().getRouteStatus(ApprovalsRoute.ROUTE_ID)).isEqualTo(ServiceStatus.Stopped);

        camel.getRouteController().startRoute(ApprovalsRoute.ROUTE_ID);
        try {
            await().atMost(Duration.ofSeconds(20)).until(() -> currentVersions("RT-").containsKey("RT-01"));
        } finally {
            camel.getRouteController().stopRoute(ApprovalsRoute.ROUTE_ID);
        }
        assertThat(monitor.state(ID).failing()).isFalse();
    }

    private void assertSucceeded() {
        AdapterMonitor.AdapterState s = monitor.state(ID);
        assertThat(s.failing()).as("poll failed: %s", s.lastError()).isFalse();
    }

    /** Waits until the persist route has applied everything the adapter queued (across all tests). */
    private void awaitDrained() {
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            Long processed = jdbc.queryForObject("SELECT COALESCE(SUM(applied + duplicates + stale), 0)"
                    + " FROM ingest_counter WHERE adapter = ?", Long.class, ID);
            return processed != null && processed == monitor.state(ID).queuedTotal();
        });
    }

    /** source key → current updated_at (ISO) of the stored records whose key starts with the prefix. */
    private Map<String, String> currentVersions(String prefix) {
        Map<String, String> out = new java.util.TreeMap<>();
        jdbc.query("SELECT source_key, body FROM record WHERE adapter = ? AND source_key LIKE ?", rs -> {
            out.put(rs.getString(1), json(rs.getString(2)).at("/source/updatedAt").asText());
        }, ID, prefix + "%");
        return out;
    }

    private JsonNode body(String recordId) {
        return json(jdbc.queryForObject("SELECT body FROM record WHERE record_id = ?", String.class, recordId));
    }

    private static QuarantineEntry entry(List<QuarantineEntry> q, String key) {
        return q.stream().filter(e -> key.equals(e.sourceKey())).findFirst().orElseThrow(
                () -> new AssertionError("no quarantine entry for " + key + " in " + q));
    }

    private static JsonNode json(String s) {
        try {
            return CanonicalJson.mapper().readTree(s);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
