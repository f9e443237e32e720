package yingyan.adapters;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import yingyan.canonical.CanonicalJson;
import yingyan.canonical.JsonLimits;
import yingyan.quarantine.QuarantineEntry;
import yingyan.quarantine.QuarantineStore;
import yingyan.spi.AdapterMonitor;
import yingyan.spi.PollingSource;
import yingyan.store.WatermarkStore;
import yingyan.testsupport.BadInputs;

/**
 * The JSON entry points over HTTP (the approvals API, a county hub's feed) answering a page in which some
 * items are nested 10 000 deep, hold a 50 MB string, or hold bytes that are not UTF-8, between good items:
 * each bad item is quarantined with the reason (the hub's limit named), its bytes kept whole; the good
 * items around it are stored; the poll succeeds and the watermark moves past the page.
 */
@SpringBootTest(properties = {
        "hub.adapters.approvals.page-size=10",
        "hub.adapters.approvals.start-from=",
        "hub.adapters.approvals.api-key=bad-json-key",
        "hub.adapters.hub-feed.consumer=city",
        "hub.adapters.hub-feed.password=city-secret",
        "hub.adapters.hub-feed.page-limit=10"})
@ActiveProfiles("test")
class BadJsonSourcesTest {
    static final int FIFTY_MB = 50 * 1024 * 1024;
    static final String DEEP = BadInputs.nestedObjects(10_000);
    static final String HUGE = BadInputs.longText(FIFTY_MB);

    static final HttpServer APPROVALS = BadInputs.serve("/api/cases", uri -> BadInputs.bytes(
            "{\"total\":6,\"page\":1,\"size\":10,\"items\":[", approval("JL-1", 1), ",",
            "{\"caseNo\":\"JL-DEEP\",\"handlers\":", DEEP, "},",
            approval("JL-2", 2), ",",
            "{\"caseNo\":\"JL-HUGE\",\"itemName\":\"", HUGE, "\"},",
            "{\"caseNo\":\"JL-UTF\",\"itemName\":\"", BadInputs.NOT_UTF8, "\"},",
            approval("JL-3", 3), "]}"));

    static final HttpServer COUNTY = BadInputs.serve("/api/v1/feed", uri -> uri.getQuery().contains("after=")
            ? BadInputs.bytes("{\"items\":[],\"next\":\"after-5\"}")
            : BadInputs.bytes("{\"items\":[", county(0), ",", DEEP, ",{\"recordId\":\"", HUGE, "\"},",
            "{\"recordId\":\"x\",\"regionCode\":\"", BadInputs.NOT_UTF8, "\"},", county(1),
            "],\"next\":\"after-5\"}"));

    @Autowired ApplicationContext context;
    @Autowired JdbcTemplate jdbc;
    @Autowired QuarantineStore quarantine;
    @Autowired WatermarkStore watermarks;
    @Autowired AdapterMonitor monitor;

    @DynamicPropertySource
    static void sources(DynamicPropertyRegistry registry) {
        registry.add("hub.adapters.approvals.base-url", () -> BadInputs.baseUrl(APPROVALS));
        registry.add("hub.adapters.hub-feed.base-url", () -> BadInputs.baseUrl(COUNTY));
    }

    @AfterAll
    static void stop() {
        APPROVALS.stop(0);
        COUNTY.stop(0);
    }

    @Test
    void approvalsQuarantinesEachBadItemNamingTheLimitAndStoresTheGoodOnes() {
        poll("Approvals");

        assertThat(monitor.state("approvals").failing()).as(monitor.state("approvals").lastError()).isFalse();
        awaitStored("approvals:JL-1", "approvals:JL-2", "approvals:JL-3");
        List<QuarantineEntry> q = quarantine.list("approvals", null, null, 100);
        assertThat(q).hasSize(3);
        assertThat(reasonAt(q, "item 2 ")).contains("JsonLimits").contains("nesting depth")
                .contains("(" + JsonLimits.MAX_NESTING_DEPTH + ")");
        assertThat(reasonAt(q, "item 4 ")).contains("JsonLimits").contains("String value length")
                .contains("(" + JsonLimits.MAX_STRING_LENGTH + ")");
        assertThat(reasonAt(q, "item 5 ")).containsIgnoringCase("UTF-8");
        // Nothing lost: the 50 MB item is kept whole in quarantine.
        assertThat(rawOf(q, "item 4 ")).hasSizeGreaterThan(FIFTY_MB);
        assertThat(watermarks.get("approvals")).contains("2026-03-02 10:00:03");
    }

    @Test
    void hubFeedQuarantinesEachBadItemNamingTheLimitAndStoresTheGoodOnes() {
        poll("HubFeed");

        assertThat(monitor.state("hub-feed").failing()).as(monitor.state("hub-feed").lastError()).isFalse();
        awaitStored("approvals:SG-2026-000123", "housing-fund:DK-DK2026030001");
        List<QuarantineEntry> q = quarantine.list("hub-feed", null, null, 100);
        assertThat(q).hasSize(3);
        assertThat(reasonAt(q, "item 2")).contains("JsonLimits").contains("nesting depth");
        assertThat(reasonAt(q, "item 3")).contains("JsonLimits").contains("String value length");
        assertThat(reasonAt(q, "item 4")).containsIgnoringCase("UTF-8");
        assertThat(rawOf(q, "item 3")).hasSizeGreaterThan(FIFTY_MB);
        assertThat(watermarks.get("hub-feed")).contains("after-5");
    }

    @Test
    void springsOwnMapperReadsWithTheSameLimits(@Autowired com.fasterxml.jackson.databind.ObjectMapper spring) {
        // No endpoint takes a JSON body today (BadInputInventoryTest); one added later meets the same limits.
        assertThat(spring.getFactory().streamReadConstraints().getMaxNestingDepth())
                .isEqualTo(JsonLimits.MAX_NESTING_DEPTH);
        assertThat(spring.getFactory().streamReadConstraints().getMaxStringLength())
                .isEqualTo(JsonLimits.MAX_STRING_LENGTH);
    }

    private void poll(String sourceClassPrefix) {
        PollingSource s = context.getBeansOfType(PollingSource.class).values().stream()
                .filter(p -> p.getClass().getSimpleName().startsWith(sourceClassPrefix)).findFirst().orElseThrow();
        s.poll();
    }

    private void awaitStored(String... recordIds) {
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(jdbc.queryForList(
                "SELECT record_id FROM record", String.class)).contains(recordIds));
    }

    private static String reasonAt(List<QuarantineEntry> q, String origin) {
        return q.stream().filter(e -> e.origin().contains(origin)).findFirst().orElseThrow(() ->
                new AssertionError("no quarantine entry from " + origin + " in " + q)).reason();
    }

    private byte[] rawOf(List<QuarantineEntry> q, String origin) {
        long id = q.stream().filter(e -> e.origin().contains(origin)).findFirst().orElseThrow().id();
        return quarantine.raw(id).orElseThrow().bytes();
    }

    private static String approval(String caseNo, int second) {
        return "{\"caseNo\":\"" + caseNo + "\",\"regionCode\":\"370783\",\"deptCode\":\"sgzrzy\","
                + "\"deptName\":\"寿光市自然资源局\",\"itemCode\":\"370700-XK-0012\",\"itemName\":\"建设工程规划许可证核发\","
                + "\"applicant\":{\"kind\":\"法人\",\"name\":\"寿光市某某置业有限公司\",\"certNo\":\"91350100M000100Y43\"},"
                + "\"receivedAt\":\"2026-03-02 09:15:00\",\"handlers\":{\"received\":\"窗口-张三\"},\"legalLimit\":20,"
                + "\"promisedLimit\":10,\"fee\":\"1200.00\",\"state\":\"在办\",\"updatedAt\":\"2026-03-02 10:00:0"
                + second + "\"}";
    }

    private static String county(int i) {
        try {
            JsonNode page = CanonicalJson.mapper().readTree(Files.readAllBytes(
                    Path.of("test-data/hub-feed/county-page/input.json")));
            return page.get("items").get(i).toString();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
