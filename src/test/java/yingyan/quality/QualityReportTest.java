package yingyan.quality;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.ActiveProfiles;
import yingyan.canonical.AmountKind;
import yingyan.canonical.CanonicalRecord;
import yingyan.canonical.Department;
import yingyan.canonical.Domain;
import yingyan.canonical.Limits;
import yingyan.canonical.Matter;
import yingyan.canonical.Party;
import yingyan.canonical.SourceLineage;
import yingyan.canonical.Status;
import yingyan.canonical.Step;
import yingyan.quarantine.QuarantineStore;
import yingyan.spi.Payloads;
import yingyan.store.RecordStore;

/**
 * Reporting quality (supervision.md §5) over two departments and two Beijing months, every figure worked out
 * by hand below: the approvals of 寿光市自然资源局 (SGZRZY) and the procurement of 潍坊市教育局 (WFJYJ), in February
 * and March 2026, with a version fetched at 00:30 on 1 March Beijing time (still 28 February in UTC) that belongs
 * to March; quarantined items of three adapters for accuracy. Run on H2 here and on PostgreSQL by
 * {@link QualityReportPostgresIT}. The small index chunk makes the indexer count the history in several chunks.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "hub.quality.index-chunk=3", "hub.quality.index-enabled=false"})
@ActiveProfiles("test")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class QualityReportTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Department SGZRZY = new Department("SGZRZY", "寿光市自然资源局", false);
    private static final Department WFJYJ = new Department("WFJYJ", "潍坊市教育局", false);

    @Autowired RecordStore store;
    @Autowired QuarantineStore quarantine;
    @Autowired JdbcTemplate jdbc;
    @LocalServerPort int port;

    private final HttpClient http = HttpClient.newHttpClient();
    private int payloads;

    @BeforeAll
    void history() {
        // Approvals (SGZRZY). Expected of a COMPLETED case: RECEIVED, ACCEPTED, DECIDED, COMPLETED; of every
        // case: RECEIVED and both limits (conf/application.yaml, hub.quality.expectations.approvals).
        // February: SG-0 fetched 23:59 on 28 Feb, 60 s after its change, without limits: incomplete.
        apply(approval("SG-2026-000100", Status.OPEN, "2026-02-28T23:58:00+08:00", "2026-02-28T23:59:00+08:00",
                null, Step.RECEIVED));
        // March.
        // SG-3: fetched 00:30 on 1 March Beijing (16:30 UTC on 28 Feb): March; lag 3600 s; open, complete.
        apply(approval("SG-2026-000103", Status.OPEN, "2026-02-28T23:30:00+08:00", "2026-03-01T00:30:00+08:00",
                new Limits(20, 10), Step.RECEIVED));
        // SG-1 twice: received (lag 30 s), then completed with every step (lag 1200 s): one corrected record.
        apply(approval("SG-2026-000101", Status.OPEN, "2026-03-02T10:00:00+08:00", "2026-03-02T10:00:30+08:00",
                new Limits(20, 10), Step.RECEIVED));
        // SG-0 again in March, accepted, with limits (lag 600 s): complete in March.
        apply(approval("SG-2026-000100", Status.OPEN, "2026-03-03T08:00:00+08:00", "2026-03-03T08:10:00+08:00",
                new Limits(20, 10), Step.RECEIVED, Step.ACCEPTED));
        // SG-2: completed without ACCEPTED and without limits (lag 120 s): incomplete, missing 3 items.
        apply(approval("SG-2026-000102", Status.COMPLETED, "2026-03-05T09:00:00+08:00", "2026-03-05T09:02:00+08:00",
                null, Step.RECEIVED, Step.DECIDED, Step.COMPLETED));
        apply(approval("SG-2026-000101", Status.COMPLETED, "2026-03-09T16:40:00+08:00", "2026-03-09T17:00:00+08:00",
                new Limits(20, 10), Step.RECEIVED, Step.ACCEPTED, Step.DECIDED, Step.COMPLETED));

        // Procurement (WFJYJ). Expected: ANNOUNCED; CONTRACTED once COMPLETED.
        // February: CG-0 completed without CONTRACTED, lag 60 s: incomplete.
        apply(procurement("CG-2026-0100", Status.COMPLETED, "2026-02-10T09:59:00+08:00", "2026-02-10T10:00:00+08:00",
                Step.ANNOUNCED));
        // March: CG-1 announced (lag 32400 s).
        apply(procurement("CG-2026-0101", Status.OPEN, "2026-03-10T00:00:00+08:00", "2026-03-10T09:00:00+08:00",
                Step.ANNOUNCED));
        // CG-2 three times: announced (32400 s), completed without CONTRACTED (118800 s), then with it (3600 s):
        // its newest version of the month is complete, so the month counts it complete.
        apply(procurement("CG-2026-0102", Status.OPEN, "2026-03-11T00:00:00+08:00", "2026-03-11T09:00:00+08:00",
                Step.ANNOUNCED));
        apply(procurement("CG-2026-0102", Status.COMPLETED, "2026-03-19T00:00:00+08:00", "2026-03-20T09:00:00+08:00",
                Step.ANNOUNCED));
        apply(procurement("CG-2026-0102", Status.COMPLETED, "2026-03-21T08:00:00+08:00", "2026-03-21T09:00:00+08:00",
                Step.ANNOUNCED, Step.CONTRACTED));

        // Quarantine: approvals one item in February (23:59 on 28 Feb), two in March (one at 00:30 on 1 March);
        // procurement one in March; land-transfer one in March (no record at all that month).
        quarantined("approvals", null, "2026-02-28T23:59:00+08:00");
        quarantined("approvals", null, "2026-03-01T00:30:00+08:00");
        quarantined("approvals", "timeline.ACCEPTED", "2026-03-12T11:00:00+08:00");
        quarantined("procurement", "party.creditCode", "2026-03-15T11:00:00+08:00");
        quarantined("land-transfer", "AnnouncedAt", "2026-03-16T11:00:00+08:00");
    }

    @Test
    void marchFiguresPerDepartmentAreThoseWorkedOutByHand() throws Exception {
        JsonNode page = json("/api/v1/quality?month=2026-03");

        assertThat(page.path("month").asText()).isEqualTo("2026-03");
        assertThat(page.path("next").isNull()).isTrue();
        assertThat(page.path("versionsNotYetCounted").asLong()).isZero();
        assertThat(page.path("items")).hasSize(2);
        JsonNode a = page.path("items").get(0);
        assertThat(a.path("sourceSystem").asText()).isEqualTo("approvals");
        assertThat(a.path("departmentCode").asText()).isEqualTo("SGZRZY");
        // SG-3, SG-1 ×2, SG-0, SG-2: 5 versions of 4 records, SG-1 the one with more than one.
        assertThat(a.path("versions").asLong()).isEqualTo(5);
        assertThat(a.path("records").asLong()).isEqualTo(4);
        assertThat(a.path("versionsPerRecord").asDouble()).isEqualTo(1.25);
        assertThat(a.path("correctedRecords").asLong()).isEqualTo(1);
        // lags 30, 120, 600, 1200, 3600 s: p50 = 600; p95 at rank 0.95 × 4 = 3.8: 1200 + 0.8 × 2400 = 3120.
        assertThat(a.path("timelinessP50Seconds").asDouble()).isEqualTo(600.0);
        assertThat(a.path("timelinessP95Seconds").asDouble()).isEqualTo(3120.0);
        // Only SG-2 (completed, no ACCEPTED, no limits); SG-3 and SG-0 are open, so ACCEPTED is not yet due.
        assertThat(a.path("incompleteRecords").asLong()).isEqualTo(1);
        assertThat(a.path("incompleteShare").asDouble()).isEqualTo(0.25);
        assertThat(JSON.convertValue(a.path("missing"), java.util.Map.class)).containsExactlyEntriesOf(ordered(
                "RECEIVED", 0, "ACCEPTED", 1, "DECIDED", 0, "COMPLETED", 0,
                "limits.legalWorkingDays", 1, "limits.promisedWorkingDays", 1));

        JsonNode p = page.path("items").get(1);
        assertThat(p.path("sourceSystem").asText()).isEqualTo("procurement");
        assertThat(p.path("departmentCode").asText()).isEqualTo("WFJYJ");
        assertThat(p.path("versions").asLong()).isEqualTo(4);
        assertThat(p.path("records").asLong()).isEqualTo(2);
        assertThat(p.path("versionsPerRecord").asDouble()).isEqualTo(2.0);
        assertThat(p.path("correctedRecords").asLong()).isEqualTo(1);
        // lags 3600, 32400, 32400, 118800 s: p50 at rank 1.5 = 32400; p95 at 2.85: 32400 + 0.85 × 86400 = 105840.
        assertThat(p.path("timelinessP50Seconds").asDouble()).isEqualTo(32400.0);
        assertThat(p.path("timelinessP95Seconds").asDouble()).isCloseTo(105840.0, within(0.001));
        assertThat(p.path("incompleteRecords").asLong()).as("CG-2's newest March version is complete").isZero();
        assertThat(p.path("incompleteShare").asDouble()).isZero();
        assertThat(JSON.convertValue(p.path("missing"), java.util.Map.class)).containsExactlyEntriesOf(ordered(
                "ANNOUNCED", 0, "CONTRACTED", 0));
    }

    @Test
    void marchAccuracyPerAdapterIsQuarantinedOverItemsReadByReason() throws Exception {
        JsonNode accuracy = json("/api/v1/quality?month=2026-03").path("accuracy");

        assertThat(accuracy).hasSize(3);
        // approvals: 5 versions + 2 quarantined = 7 read; 2/7 = 0.2857; 1/7 = 0.1429 each reason.
        JsonNode a = accuracy.get(0);
        assertThat(a.path("adapter").asText()).isEqualTo("approvals");
        assertThat(a.path("itemsRead").asLong()).isEqualTo(7);
        assertThat(a.path("quarantined").asLong()).isEqualTo(2);
        assertThat(a.path("share").asDouble()).isEqualTo(0.2857);
        assertThat(a.path("byReason")).hasSize(2);
        assertThat(a.path("byReason").get(0).path("reason").asText()).isEqualTo("(item)");
        assertThat(a.path("byReason").get(0).path("quarantined").asLong()).isEqualTo(1);
        assertThat(a.path("byReason").get(0).path("share").asDouble()).isEqualTo(0.1429);
        assertThat(a.path("byReason").get(1).path("reason").asText()).isEqualTo("timeline.ACCEPTED");
        // land-transfer: nothing stored, one item quarantined: 1 read, all bad.
        JsonNode l = accuracy.get(1);
        assertThat(l.path("adapter").asText()).isEqualTo("land-transfer");
        assertThat(l.path("itemsRead").asLong()).isEqualTo(1);
        assertThat(l.path("share").asDouble()).isEqualTo(1.0);
        // procurement: 4 + 1 = 5 read, 1/5.
        JsonNode p = accuracy.get(2);
        assertThat(p.path("adapter").asText()).isEqualTo("procurement");
        assertThat(p.path("itemsRead").asLong()).isEqualTo(5);
        assertThat(p.path("quarantined").asLong()).isEqualTo(1);
        assertThat(p.path("share").asDouble()).isEqualTo(0.2);
        assertThat(p.path("byReason").get(0).path("reason").asText()).isEqualTo("party.creditCode");
    }

    @Test
    void februaryEndsAtMidnightBeijingTime() throws Exception {
        JsonNode page = json("/api/v1/quality?month=2026-02");

        assertThat(page.path("items")).hasSize(2);
        JsonNode a = page.path("items").get(0);
        assertThat(a.path("departmentCode").asText()).isEqualTo("SGZRZY");
        // Only SG-0's first version: SG-3, fetched at 16:30 UTC on 28 February, is March in Beijing.
        assertThat(a.path("versions").asLong()).isEqualTo(1);
        assertThat(a.path("records").asLong()).isEqualTo(1);
        assertThat(a.path("correctedRecords").asLong()).isZero();
        assertThat(a.path("timelinessP50Seconds").asDouble()).isEqualTo(60.0);
        assertThat(a.path("timelinessP95Seconds").asDouble()).isEqualTo(60.0);
        assertThat(a.path("incompleteRecords").asLong()).isEqualTo(1);
        assertThat(a.path("incompleteShare").asDouble()).isEqualTo(1.0);
        assertThat(a.path("missing").path("limits.legalWorkingDays").asLong()).isEqualTo(1);
        assertThat(a.path("missing").path("ACCEPTED").asLong()).as("open: not yet due").isZero();
        JsonNode p = page.path("items").get(1);
        assertThat(p.path("departmentCode").asText()).isEqualTo("WFJYJ");
        assertThat(p.path("versions").asLong()).isEqualTo(1);
        assertThat(p.path("incompleteShare").asDouble()).isEqualTo(1.0);
        assertThat(p.path("missing").path("CONTRACTED").asLong()).isEqualTo(1);
        // The approvals item quarantined at 23:59 on 28 February is February's; 1 version + 1 item.
        JsonNode acc = page.path("accuracy");
        assertThat(acc).hasSize(2);
        assertThat(acc.get(0).path("adapter").asText()).isEqualTo("approvals");
        assertThat(acc.get(0).path("itemsRead").asLong()).isEqualTo(2);
        assertThat(acc.get(0).path("share").asDouble()).isEqualTo(0.5);
        assertThat(acc.get(1).path("adapter").asText()).isEqualTo("procurement");
        assertThat(acc.get(1).path("quarantined").asLong()).isZero();
        assertThat(acc.get(1).path("share").asDouble()).isZero();
    }

    @Test
    void theCsvCarriesTheSameFigures() throws Exception {
        HttpResponse<String> r = get("/api/v1/quality?month=2026-03&format=csv", "text/csv");

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/csv"));
        assertThat(r.body().split("\r\n")).containsExactly(
                "\uFEFF\"month\",\"sourceSystem\",\"departmentCode\",\"versions\",\"records\",\"versionsPerRecord\","
                        + "\"correctedRecords\",\"timelinessP50Seconds\",\"timelinessP95Seconds\",\"incompleteRecords\","
                        + "\"incompleteShare\",\"missing\"",
                "\"2026-03\",\"approvals\",\"SGZRZY\",\"5\",\"4\",\"1.25\",\"1\",\"600.0\",\"3120.0\",\"1\",\"0.25\","
                        + "\"RECEIVED 0; ACCEPTED 1; DECIDED 0; COMPLETED 0; limits.legalWorkingDays 1;"
                        + " limits.promisedWorkingDays 1\"",
                "\"2026-03\",\"procurement\",\"WFJYJ\",\"4\",\"2\",\"2.0\",\"1\",\"32400.0\",\"105840.0\",\"0\",\"0.0\","
                        + "\"ANNOUNCED 0; CONTRACTED 0\"");

        HttpResponse<String> acc = get("/api/v1/quality?month=2026-03&format=csv&part=accuracy", "text/csv");
        assertThat(acc.body().split("\r\n")).containsExactly(
                "\uFEFF\"month\",\"adapter\",\"reason\",\"quarantined\",\"itemsRead\",\"share\"",
                "\"2026-03\",\"approvals\",\"(all)\",\"2\",\"7\",\"0.2857\"",
                "\"2026-03\",\"approvals\",\"(item)\",\"1\",\"7\",\"0.1429\"",
                "\"2026-03\",\"approvals\",\"timeline.ACCEPTED\",\"1\",\"7\",\"0.1429\"",
                "\"2026-03\",\"land-transfer\",\"(all)\",\"1\",\"1\",\"1.0\"",
                "\"2026-03\",\"land-transfer\",\"AnnouncedAt\",\"1\",\"1\",\"1.0\"",
                "\"2026-03\",\"procurement\",\"(all)\",\"1\",\"5\",\"0.2\"",
                "\"2026-03\",\"procurement\",\"party.creditCode\",\"1\",\"5\",\"0.2\"");
    }

    @Test
    void aMonthThatIsNotYyyyMmIsA400NamingIt() throws Exception {
        for (String bad : List.of("2026-13", "2026-3", "march", "2026-03-01", "202603")) {
            HttpResponse<String> r = get("/api/v1/quality?month=" + bad, "application/json");
            assertThat(r.statusCode()).as(bad).isEqualTo(400);
            JsonNode problem = JSON.readTree(r.body());
            assertThat(problem.path("field").asText()).isEqualTo("month");
            assertThat(problem.path("detail").asText())
                    .isEqualTo("month must be a calendar month as YYYY-MM (Beijing time), e.g. 2026-03");
        }
        assertThat(get("/api/v1/quality?month=2026-13&format=csv", "text/csv").statusCode()).isEqualTo(400);
        assertThat(get("/api/v1/quality/trend?month=2026-03&months=0", "application/json").statusCode())
                .isEqualTo(400);
        assertThat(get("/api/v1/quality?month=2026-03&format=csv&part=everything", "text/csv").statusCode())
                .isEqualTo(400);
    }

    @Test
    void theTrendGivesEachDepartmentTwelveMonthsEndingWithTheOneAskedFor() throws Exception {
        JsonNode t = json("/api/v1/quality/trend?month=2026-03");

        assertThat(t.path("months")).hasSize(12);
        assertThat(t.path("months").get(0).asText()).isEqualTo("2025-04");
        assertThat(t.path("months").get(11).asText()).isEqualTo("2026-03");
        assertThat(t.path("items")).hasSize(2);
        JsonNode a = t.path("items").get(0);
        assertThat(a.path("sourceSystem").asText()).isEqualTo("approvals");
        List<Long> versions = new ArrayList<>();
        a.path("months").forEach(m -> versions.add(m.path("versions").asLong()));
        assertThat(versions).containsExactly(0L, 0L, 0L, 0L, 0L, 0L, 0L, 0L, 0L, 0L, 1L, 5L);
        assertThat(a.path("months").get(10).path("incompleteShare").asDouble()).isEqualTo(1.0);
        assertThat(a.path("months").get(11).path("timelinessP95Seconds").asDouble()).isEqualTo(3120.0);
        assertThat(a.path("months").get(0).path("timelinessP95Seconds").isNull()).as("no version that month").isTrue();
        assertThat(t.path("items").get(1).path("months").get(11).path("versionsPerRecord").asDouble()).isEqualTo(2.0);
    }

    @Test
    void aVersionAppliedAfterwardsCountsAtTheNextRead() throws Exception {
        apply(procurement("CG-2026-0199", Status.OPEN, "2026-01-05T08:00:00+08:00", "2026-01-05T08:00:10+08:00",
                Step.ANNOUNCED));

        JsonNode january = json("/api/v1/quality?month=2026-01");

        assertThat(january.path("items")).hasSize(1);
        assertThat(january.path("items").get(0).path("versions").asLong()).isEqualTo(1);
        assertThat(january.path("items").get(0).path("timelinessP50Seconds").asDouble()).isEqualTo(10.0);
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM quality_version WHERE record_id = ?", Integer.class,
                "procurement:CG-2026-0199")).as("counted once").isEqualTo(1);
    }

    // ---------- fixtures ----------

    private CanonicalRecord approval(String key, Status status, String updated, String fetched, Limits limits,
                                     Step... steps) {
        OffsetDateTime at = OffsetDateTime.parse(updated);
        CanonicalRecord.Builder b = CanonicalRecord.builder().domain(Domain.APPROVAL).regionCode("370783")
                .department(SGZRZY).matter(new Matter("370783-ZRZY-001", "建设用地规划许可"))
                .party(Party.org("寿光市某某置业有限公司", "91350100M000100Y43")).status(status).limits(limits)
                .amount(AmountKind.FEE, "0.00");
        for (int i = 0; i < steps.length; i++) {
            b.step(steps[i], at.minusHours(steps.length - 1L - i), null);
        }
        return b.source(source("approvals", key, at, fetched)).build();
    }

    private CanonicalRecord procurement(String key, Status status, String updated, String fetched, Step... steps) {
        OffsetDateTime at = OffsetDateTime.parse(updated);
        CanonicalRecord.Builder b = CanonicalRecord.builder().domain(Domain.PROCUREMENT).regionCode("370700")
                .department(WFJYJ).matter(new Matter("WFJYJ-GK", "公开招标"))
                .party(Party.org("某某教育装备有限公司", "91370700MA3C00000D")).status(status)
                .amount(AmountKind.BUDGET, "860000.00");
        for (int i = 0; i < steps.length; i++) {
            b.step(steps[i], at.minusDays(steps.length - 1L - i), null);
        }
        return b.source(source("procurement", key, at, fetched)).build();
    }

    private SourceLineage source(String system, String key, OffsetDateTime updated, String fetched) {
        return new SourceLineage(system, key, updated, OffsetDateTime.parse(fetched),
                Payloads.sha256((system + key + updated + payloads++).getBytes(StandardCharsets.UTF_8)));
    }

    private void apply(CanonicalRecord r) {
        store.apply(List.of(r));
    }

    private void quarantined(String adapter, String field, String receivedAt) {
        byte[] raw = ("bad item " + payloads++).getBytes(StandardCharsets.UTF_8);
        long id = quarantine.add(adapter, "K-" + payloads, "page 1", field,
                (field == null ? "(item)" : field) + ": not valid", Payloads.sha256(raw), raw, StandardCharsets.UTF_8);
        OffsetDateTime at = OffsetDateTime.parse(receivedAt);
        jdbc.update("UPDATE quarantine SET received_at = ?, last_seen_at = ? WHERE id = ?", at, at, id);
    }

    private static java.util.Map<String, Object> ordered(Object... kv) {
        java.util.Map<String, Object> m = new java.util.LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    private JsonNode json(String path) throws Exception {
        HttpResponse<String> r = get(path, "application/json");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    HttpResponse<String> get(String path, String accept) throws Exception {
        String auth = Base64.getEncoder().encodeToString("viewer:viewer-secret".getBytes(StandardCharsets.UTF_8));
        return http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .header("Authorization", "Basic " + auth).header("Accept", accept).GET().build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }
}
