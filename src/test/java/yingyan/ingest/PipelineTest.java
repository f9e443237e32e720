package yingyan.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.context.annotation.Import;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.ActiveProfiles;
import yingyan.canonical.ResidentIds;
import yingyan.quarantine.QuarantineEntry;
import yingyan.quarantine.QuarantineStore;
import yingyan.spi.AdapterMonitor;
import yingyan.spi.IngestGateway;
import yingyan.spi.IngestOutcome;
import yingyan.spi.SourceItem;

/**
 * The department-agnostic pipeline on embedded defaults: items in, records in the database, bad items
 * in quarantine with a reason, and a released item coming back as a record.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
@Import(FixtureMapper.Config.class)
@ExtendWith(OutputCaptureExtension.class)
class PipelineTest {

    @Autowired
    IngestGateway gateway;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    QuarantineStore quarantine;
    @Autowired
    TestRestTemplate http;
    @Autowired
    AdapterMonitor monitor;

    @Test
    void goodItemsBecomeRecordsAndABadOneIsQuarantinedWithoutStoppingTheRest() {
        IngestOutcome o = gateway.submit(List.of(
                FixtureMapper.item("P-1", "2026-03-01 10:00:00", "12.50"),
                FixtureMapper.item("P-2", "2026-03-01 10:00:00", "12.505"),
                FixtureMapper.item("P-3", "2026-03-01 10:00:00", null, "999999")));
        assertThat(o.queued()).isEqualTo(1);
        assertThat(o.quarantined()).isEqualTo(2);
        assertThat(o.reasons()).anySatisfy(r -> assertThat(r).contains("amounts.FEE").contains("12.505")
                .contains("2 fraction digits"));
        assertThat(o.reasons()).anySatisfy(r -> assertThat(r).contains("regionCode").contains("999999"));

        await().atMost(Duration.ofSeconds(20)).until(() -> count("fixture:P-1") == 1);
        assertThat(count("fixture:P-2")).isZero();
        assertThat(quarantine.list("fixture", "OPEN", null, 100)).extracting(e -> e.sourceKey())
                .contains("P-2", "P-3").doesNotContain("P-1");
    }

    @Test
    void sameItemReadTwiceIsOneVersionAndTheDuplicateIsCounted() {
        gateway.submit(List.of(FixtureMapper.item("D-1", "2026-03-01 10:00:00", "1.00")));
        gateway.submit(List.of(FixtureMapper.item("D-1", "2026-03-01 10:00:00", "1.00")));
        gateway.submit(List.of(FixtureMapper.item("D-1", "2026-03-02 10:00:00", "2.00")));
        gateway.submit(List.of(FixtureMapper.item("D-1", "2026-03-01 12:00:00", "3.00")));
        await().atMost(Duration.ofSeconds(20)).until(() -> versions("fixture:D-1") == 2
                && counter("stale") >= 1 && counter("duplicates") >= 1);
        String body = jdbc.queryForObject("SELECT body FROM record WHERE record_id = ?", String.class, "fixture:D-1");
        assertThat(body).contains("\"2.00\"");
    }

    @Test
    void aQuarantinedItemIsListedShownMaskedAndReleasedOnlyByAnOperator() {
        // A person whose ID has a wrong check character: the reason and the shown raw carry it masked.
        String badId = "11010519491231002" + "3";
        byte[] raw = ("{\"key\":\"Q-1\",\"updatedAt\":\"2026-03-01 10:00:00\",\"region\":\"370700\",\"id\":\""
                + badId + "\"}").getBytes(java.nio.charset.StandardCharsets.UTF_8);
        gateway.submit(List.of(SourceItem.utf8("fixture", "Q-1", raw, "test row Q-1",
                java.time.OffsetDateTime.now())));
        long id = quarantine.list("fixture", "OPEN", null, 100).stream()
                .filter(e -> "Q-1".equals(e.sourceKey())).findFirst().orElseThrow().id();

        ResponseEntity<Map> shown = http.withBasicAuth("viewer", "viewer-secret")
                .getForEntity("/api/v1/quarantine/" + id, Map.class);
        assertThat(shown.getStatusCode()).isEqualTo(HttpStatus.OK);
        assertThat(shown.getBody().toString()).doesNotContain(badId).contains("110105********0023");
        assertThat(shown.getBody().get("reason").toString()).contains("check character");

        ResponseEntity<Map> byViewer = http.withBasicAuth("viewer", "viewer-secret")
                .postForEntity("/api/v1/quarantine/" + id + "/release", null, Map.class);
        assertThat(byViewer.getStatusCode()).isEqualTo(HttpStatus.FORBIDDEN);

        ResponseEntity<Map> stillBad = http.withBasicAuth("operator", "operator-secret")
                .postForEntity("/api/v1/quarantine/" + id + "/release", null, Map.class);
        assertThat(stillBad.getStatusCode()).isEqualTo(HttpStatus.CONFLICT);
        assertThat(stillBad.getBody().get("state")).isEqualTo("STILL_INVALID");

        // An item the mapping did not know yet: after the mapping fix, releasing it makes it a record.
        byte[] pending = "{\"key\":\"Q-2\",\"updatedAt\":\"2026-03-01 10:00:00\",\"state\":\"PENDING\"}"
                .getBytes(java.nio.charset.StandardCharsets.UTF_8);
        gateway.submit(List.of(SourceItem.utf8("fixture", "Q-2", pending, "test row Q-2",
                java.time.OffsetDateTime.now())));
        long fixable = quarantine.list("fixture", "OPEN", null, 100).stream()
                .filter(e -> "Q-2".equals(e.sourceKey())).findFirst().orElseThrow().id();
        assertThat(count("fixture:Q-2")).isZero();
        FixtureMapper.pendingKnown = true;
        try {
            ResponseEntity<Map> released = http.withBasicAuth("operator", "operator-secret")
                    .postForEntity("/api/v1/quarantine/" + fixable + "/release", null, Map.class);
            assertThat(released.getStatusCode()).isEqualTo(HttpStatus.OK);
            assertThat(released.getBody().get("recordId")).isEqualTo("fixture:Q-2");
        } finally {
            FixtureMapper.pendingKnown = false;
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> count("fixture:Q-2") == 1);
        assertThat(quarantine.find(fixable).orElseThrow().state()).isEqualTo("RELEASED");
    }

    /**
     * Every poll's overlap reads the same bad item again: its open entry counts the occurrences and the log says
     * so once, not every 10 seconds; after a release the same item is news again.
     */
    @Test
    void aQuarantinedItemReadAgainIsLoggedOnceAndAgainOnlyAfterItsRelease(CapturedOutput output) {
        String warn = "quarantined fixture item W-1 ";
        for (int i = 0; i < 3; i++) {
            gateway.submit(List.of(FixtureMapper.item("W-1", "2026-03-01 10:00:00", "12.505")));
        }
        QuarantineEntry entry = quarantine.list("fixture", "OPEN", null, 100).stream()
                .filter(e -> "W-1".equals(e.sourceKey())).findFirst().orElseThrow();
        assertThat(entry.occurrences()).isEqualTo(3);
        assertThat(output.getAll().split(warn, -1)).as("WARN lines for W-1").hasSize(2);

        quarantine.markReleased(entry.id(), null, "released by the test");
        gateway.submit(List.of(FixtureMapper.item("W-1", "2026-03-01 10:00:00", "12.505")));
        gateway.submit(List.of(FixtureMapper.item("W-1", "2026-03-01 10:00:00", "12.505")));

        assertThat(output.getAll().split(warn, -1)).as("WARN lines for W-1 after its release").hasSize(3);
        assertThat(quarantine.list("fixture", "OPEN", null, 100)).filteredOn(e -> "W-1".equals(e.sourceKey()))
                .singleElement().satisfies(e -> assertThat(e.occurrences()).isEqualTo(2));
    }

    /** A department's source key and origin (a file name) may hold an ID: stored, shown and logged masked. */
    @Test
    void aQuarantinedItemsKeyAndOriginAreStoredAndLoggedMasked(CapturedOutput output) {
        byte[] raw = "{\"key\":\"K-1\",\"updatedAt\":\"2026-03-01 10:00:00\",\"region\":\"370700\",\"fee\":\"1.005\"}"
                .getBytes(java.nio.charset.StandardCharsets.UTF_8);
        gateway.submit(List.of(SourceItem.utf8("fixture", "K-110105 19491231 002X", raw,
                "row 2 of 申报_44052418800101001.csv", java.time.OffsetDateTime.now())));

        assertThat(quarantine.list("fixture", "OPEN", null, 100)).filteredOn(e -> e.sourceKey().startsWith("K-"))
                .singleElement().satisfies(e -> {
                    assertThat(e.sourceKey()).isEqualTo("K-110105********002X");
                    assertThat(e.origin()).isEqualTo("row 2 of 申报_440524*******1001.csv");
                });
        assertThat(output.getAll()).contains("quarantined fixture item K-110105********002X (row 2 of 申报_440524");
        assertThat(ResidentIds.findClear(output.getAll())).as("clear IDs in the log").isEmpty();
    }

    /** Health shows why an adapter fails; the reason often quotes the source's data, so it is masked. */
    @Test
    void anAdaptersLastErrorIsMaskedInHealth() {
        AdapterMonitor.AdapterState state = monitor.state("fixture");
        state.failed("the source refused applicant 110105-19491231-002X (legacy 110105491231002)");
        try {
            ResponseEntity<String> health = http.withBasicAuth("operator", "operator-secret")
                    .getForEntity("/actuator/health/adapters/fixture", String.class);
            assertThat(health.getBody()).contains("110105********002X", "110105*****1002");
            assertThat(ResidentIds.findClear(health.getBody())).isEmpty();
        } finally {
            state.succeeded(0, 0);
        }
    }

    @Test
    void anonymousCallersGetOnlyHealth() {
        assertThat(http.getForEntity("/actuator/health", String.class).getStatusCode()).isEqualTo(HttpStatus.OK);
        assertThat(http.getForEntity("/api/v1/records", String.class).getStatusCode())
                .isEqualTo(HttpStatus.UNAUTHORIZED);
        assertThat(http.withBasicAuth("viewer", "wrong").getForEntity("/api/v1/records", String.class)
                .getStatusCode()).isEqualTo(HttpStatus.UNAUTHORIZED);
    }

    @Test
    void recordsApiPagesNewestFirstAndServesXml() {
        gateway.submit(List.of(FixtureMapper.item("A-1", "2026-03-01 10:00:00", "1.00", "370781"),
                FixtureMapper.item("A-2", "2026-03-01 10:00:01", "1.00", "370781"),
                FixtureMapper.item("A-3", "2026-03-01 10:00:02", "1.00", "370781")));
        await().atMost(Duration.ofSeconds(20)).until(() -> count("fixture:A-3") == 1);
        var viewer = http.withBasicAuth("viewer", "viewer-secret");
        Map<?, ?> page1 = viewer.getForObject("/api/v1/records?regionCode=370781&limit=2", Map.class);
        List<?> items = (List<?>) page1.get("items");
        assertThat(items).hasSize(2);
        assertThat(((Map<?, ?>) items.get(0)).get("recordId")).isEqualTo("fixture:A-3");
        Map<?, ?> page2 = viewer.getForObject("/api/v1/records?regionCode=370781&limit=2&after=" + page1.get("next"),
                Map.class);
        List<?> items2 = (List<?>) page2.get("items");
        assertThat(items2).hasSize(1);
        assertThat(((Map<?, ?>) items2.get(0)).get("recordId")).isEqualTo("fixture:A-1");
        assertThat(page2.get("next")).isNull();

        var xml = viewer.exchange(org.springframework.http.RequestEntity.get("/api/v1/records/fixture:A-1")
                .accept(org.springframework.http.MediaType.APPLICATION_XML).build(), String.class);
        assertThat(xml.getBody()).contains("<recordId>fixture:A-1</recordId>").contains("urn:yingyan:canonical:v1");

        Map<?, ?> history = viewer.getForObject("/api/v1/records/fixture:A-1/history", Map.class);
        Map<?, ?> lineage = (Map<?, ?>) ((Map<?, ?>) ((List<?>) history.get("versions")).get(0)).get("lineage");
        assertThat(lineage.get("adapter")).isEqualTo("fixture");
        assertThat(lineage.get("payloadSha256").toString()).hasSize(64);
        Map<?, ?> delivery = (Map<?, ?>) ((Map<?, ?>) ((List<?>) history.get("versions")).get(0)).get("delivery");
        assertThat(delivery.get("state")).as("the province push is off in tests: owed, not sent").isEqualTo("PENDING");

        var bad = viewer.getForEntity("/api/v1/records?domain=NOPE", String.class);
        assertThat(bad.getStatusCode()).isEqualTo(HttpStatus.BAD_REQUEST);
        assertThat(bad.getHeaders().getContentType().toString()).contains("problem+json");
        assertThat(bad.getBody()).contains("\"field\":\"domain\"");
    }

    private int count(String recordId) {
        return jdbc.queryForObject("SELECT COUNT(*) FROM record WHERE record_id = ?", Integer.class, recordId);
    }

    private int versions(String recordId) {
        return jdbc.queryForObject("SELECT COUNT(*) FROM record_version WHERE record_id = ?", Integer.class, recordId);
    }

    private long counter(String column) {
        List<Long> v = jdbc.queryForList("SELECT " + column + " FROM ingest_counter WHERE adapter = 'fixture'",
                Long.class);
        return v.isEmpty() ? 0 : v.get(0);
    }
}
