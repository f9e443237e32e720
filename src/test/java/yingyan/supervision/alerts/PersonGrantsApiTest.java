package yingyan.supervision.alerts;

import static org.assertj.core.api.Assertions.assertThat;
import static yingyan.supervision.alerts.AlertFixtures.at;
import static yingyan.supervision.alerts.AlertFixtures.fee;
import static yingyan.supervision.alerts.AlertFixtures.purchase;
import static yingyan.supervision.alerts.AlertFixtures.t;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.ActiveProfiles;
import yingyan.canonical.AmountKind;
import yingyan.canonical.CanonicalRecord;
import yingyan.canonical.Department;
import yingyan.canonical.Domain;
import yingyan.canonical.Matter;
import yingyan.canonical.Party;
import yingyan.canonical.SourceLineage;
import yingyan.canonical.Status;
import yingyan.canonical.Step;
import yingyan.spi.Payloads;
import yingyan.store.RecordStore;

/**
 * Who sees what (issue 12): a county's staff ({@code shouguang}, region 370783) and a department's liaison
 * ({@code liaison}, approvals:SGZRZY) read only their records, alerts and quality figures — lists and CSV filtered,
 * one item outside their grants answered 404 as if it did not exist, hub-wide views 403 — while the commission's
 * supervisor (no grants) sees everything.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "hub.security.users[0].name=supervisor", "hub.security.users[0].password=supervisor-secret",
        "hub.security.users[0].roles=VIEWER,OPERATOR,SUPERVISOR",
        "hub.security.users[1].name=shouguang", "hub.security.users[1].password=shouguang-secret",
        "hub.security.users[1].roles=VIEWER,OPERATOR,SUPERVISOR", "hub.security.users[1].regions=370783",
        "hub.security.users[2].name=liaison", "hub.security.users[2].password=liaison-secret",
        "hub.security.users[2].roles=VIEWER", "hub.security.users[2].departments=approvals:SGZRZY"})
@ActiveProfiles("test")
@Import(AlertFixtures.Rules.class)
class PersonGrantsApiTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String[] SUPERVISOR = {"supervisor", "supervisor-secret"};
    private static final String[] SHOUGUANG = {"shouguang", "shouguang-secret"};
    private static final String[] LIAISON = {"liaison", "liaison-secret"};
    /** Shouguang's fee alert (approvals, 370783, SGZRZY); Weicheng's (approvals, 370702, WCZRZY). */
    private static final String SG_FEE = "approvals:PG-FEE-SG";
    private static final String WC_FEE = "approvals:PG-FEE-WC";
    /** Purchases: a set within Shouguang, and a set over Shouguang and Weicheng (seen only with both). */
    private static final String SG_SET_1 = "procurement:PG-SET-SG1";
    private static final String MIXED_WC = "procurement:PG-MIX-WC";

    @LocalServerPort
    int port;
    @Autowired
    RecordStore store;
    @Autowired
    AlertFollower follower;
    @Autowired
    AlertRules rules;
    @Autowired
    JdbcTemplate jdbc;

    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void recordsAndAlerts() {
        if (jdbc.queryForObject("SELECT COUNT(*) FROM record", Integer.class) > 0) {
            return;
        }
        store.apply(List.of(fee("PG-FEE-SG", "2026-03-02 10:00:00", "9000.00"),
                weichengFee("PG-FEE-WC", "2026-03-02 10:00:00", "9000.00"),
                purchase("PG-SET-SG1", "2026-03-02 10:00:00", "370783", "91370700MA3C0000X1", Status.COMPLETED),
                purchase("PG-SET-SG2", "2026-03-03 10:00:00", "370783", "91370700MA3C0000X1", Status.COMPLETED),
                purchase("PG-MIX-SG", "2026-03-02 10:00:00", "370783", "91370700MA3C0001X8", Status.COMPLETED),
                purchase("PG-MIX-WC", "2026-03-03 10:00:00", "370702", "91370700MA3C0001X8", Status.COMPLETED)));
        follower.clock(Clock.fixed(at("2026-03-03 12:00:00"), ZoneOffset.UTC));
        follower.followAll(rules.all());
    }

    @Test
    void records_aCountySeesItsRegion_aLiaisonItsDepartment_oneOutsideIs404_csvFiltered() throws Exception {
        assertThat(recordIds(SUPERVISOR)).hasSize(6);
        assertThat(recordIds(SHOUGUANG)).containsExactlyInAnyOrder(SG_FEE, SG_SET_1, "procurement:PG-SET-SG2",
                "procurement:PG-MIX-SG");
        assertThat(recordIds(LIAISON)).containsExactly(SG_FEE);
        // Asking for another region by filter gives nothing, not the other region's records.
        assertThat(json(get("/api/v1/records?regionCode=370702", SHOUGUANG)).path("items")).isEmpty();

        assertThat(get("/api/v1/records/" + WC_FEE, SHOUGUANG).statusCode()).isEqualTo(404);
        assertThat(get("/api/v1/records/" + WC_FEE + "/history", SHOUGUANG).statusCode()).isEqualTo(404);
        assertThat(send(HttpRequest.newBuilder(uri("/api/v1/records/" + WC_FEE)).header("Accept", "application/xml")
                .GET(), SHOUGUANG).statusCode()).isEqualTo(404);
        assertThat(get("/api/v1/records/" + SG_SET_1, LIAISON).statusCode()).isEqualTo(404);
        assertThat(get("/api/v1/records/" + WC_FEE, SUPERVISOR).statusCode()).isEqualTo(200);
        assertThat(json(get("/api/v1/records/" + SG_FEE + "/history", SHOUGUANG)).path("versions")).hasSize(1);
        assertThat(json(get("/api/v1/records/lookup?adapter=approvals&sourceKey=PG-FEE-WC", SHOUGUANG))
                .path("items")).isEmpty();
        assertThat(json(get("/api/v1/records/lookup?adapter=approvals&sourceKey=PG-FEE-WC", SUPERVISOR))
                .path("items")).hasSize(1);

        String csv = get("/api/v1/records?format=csv", SHOUGUANG).body();
        assertThat(csv).contains(SG_FEE).contains(SG_SET_1).doesNotContain("PG-FEE-WC").doesNotContain("PG-MIX-WC");
        assertThat(csv.lines().count()).isEqualTo(5); // header + 4
        assertThat(get("/api/v1/records?format=csv", SUPERVISOR).body()).contains("PG-FEE-WC");
    }

    @Test
    void alerts_listOneHistoryCsvAndARecordsAlerts_withinTheGrants_aSetOnlyWithEveryRecord() throws Exception {
        assertThat(alertRecords(SUPERVISOR)).containsExactlyInAnyOrder(SG_FEE, WC_FEE, SG_SET_1 + "," +
                "procurement:PG-SET-SG2", "procurement:PG-MIX-SG," + MIXED_WC);
        // The set over two regions is hidden from Shouguang (it names a Weicheng record).
        assertThat(alertRecords(SHOUGUANG)).containsExactlyInAnyOrder(SG_FEE, SG_SET_1 + ",procurement:PG-SET-SG2");
        assertThat(alertRecords(LIAISON)).containsExactly(SG_FEE);

        String wcAlert = alertIdOf(WC_FEE);
        String mixedAlert = alertIdOf(MIXED_WC);
        assertThat(get("/api/v1/alerts/" + wcAlert, SHOUGUANG).statusCode()).isEqualTo(404);
        assertThat(get("/api/v1/alerts/" + mixedAlert, SHOUGUANG).statusCode()).isEqualTo(404);
        assertThat(get("/api/v1/alerts/" + wcAlert + "/history", SHOUGUANG).statusCode()).isEqualTo(404);
        assertThat(post("/api/v1/alerts/" + wcAlert + "/acknowledge", "note=seen", SHOUGUANG).statusCode())
                .isEqualTo(404);
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM alert_ack", Integer.class)).isZero();
        assertThat(get("/api/v1/alerts/" + alertIdOf(SG_FEE), SHOUGUANG).statusCode()).isEqualTo(200);
        assertThat(get("/api/v1/alerts/" + mixedAlert + "/history", SUPERVISOR).statusCode()).isEqualTo(200);

        assertThat(json(get("/api/v1/records/" + WC_FEE + "/alerts", SHOUGUANG)).path("items")).isEmpty();
        assertThat(json(get("/api/v1/records/" + WC_FEE + "/alerts", SUPERVISOR)).path("items")).hasSize(1);
        assertThat(json(get("/api/v1/records/procurement:PG-MIX-SG/alerts", SHOUGUANG)).path("items")).isEmpty();

        String csv = get("/api/v1/alerts?format=csv", SHOUGUANG).body();
        assertThat(csv).contains(SG_FEE).doesNotContain("PG-FEE-WC").doesNotContain("PG-MIX-WC");
        assertThat(get("/api/v1/alerts?format=csv", SUPERVISOR).body()).contains("PG-FEE-WC").contains("PG-MIX-WC");
    }

    @Test
    void alertCounts_tallyExactlyTheOpenAlertsThePersonMaySee() throws Exception {
        for (String[] who : List.of(SUPERVISOR, SHOUGUANG, LIAISON)) {
            Map<String, Long> listed = new TreeMap<>();
            json(get("/api/v1/alerts?state=open&limit=1000", who)).path("items").forEach(a -> {
                if (a.path("level").asText().equals("YELLOW") || a.path("level").asText().equals("RED")) {
                    listed.merge(a.path("regionCode").asText(), 1L, Long::sum);
                }
            });
            assertThat(regionCounts(who)).as("%s's counts per region", who[0]).isEqualTo(listed);
        }
        // The set over two regions counts under Weicheng (its newest record): a supervisor sees it, Shouguang not.
        assertThat(regionCounts(SUPERVISOR)).containsKey("370702");
        assertThat(regionCounts(SHOUGUANG)).doesNotContainKey("370702");
        assertThat(get("/api/v1/alerts/counts?format=csv", SHOUGUANG).body()).doesNotContain("370702");
    }

    private Map<String, Long> regionCounts(String[] who) throws Exception {
        Map<String, Long> out = new TreeMap<>();
        json(get("/api/v1/alerts/counts", who)).path("items").forEach(c -> {
            if (c.path("by").asText().equals("region")) {
                out.put(c.path("code").asText(), c.path("yellow").asLong() + c.path("red").asLong());
            }
        });
        return out;
    }

    @Test
    void quality_perDepartmentAndTrend_onlyTheGrantedDepartments_accuracyNotShown() throws Exception {
        assertThat(qualityDepartments(json(get("/api/v1/quality?month=2026-03", SUPERVISOR))))
                .containsExactlyInAnyOrder("approvals:SGZRZY", "approvals:WCZRZY", "procurement:CGZX");
        JsonNode sg = json(get("/api/v1/quality?month=2026-03", SHOUGUANG));
        assertThat(qualityDepartments(sg)).containsExactlyInAnyOrder("approvals:SGZRZY", "procurement:CGZX");
        // Shouguang's purchasing centre: its 3 Shouguang records, not the Weicheng one.
        for (JsonNode d : sg.path("items")) {
            if (d.path("sourceSystem").asText().equals("procurement")) {
                assertThat(d.path("records").asLong()).isEqualTo(3);
            }
        }
        assertThat(sg.path("accuracy")).isEmpty();
        assertThat(qualityDepartments(json(get("/api/v1/quality?month=2026-03", LIAISON))))
                .containsExactly("approvals:SGZRZY");

        JsonNode trend = json(get("/api/v1/quality/trend?month=2026-03&months=2", LIAISON));
        List<String> series = new ArrayList<>();
        trend.path("items").forEach(s -> series.add(s.path("sourceSystem").asText() + ":"
                + s.path("departmentCode").asText()));
        assertThat(series).containsExactly("approvals:SGZRZY");

        String csv = get("/api/v1/quality?month=2026-03&format=csv", SHOUGUANG).body();
        assertThat(csv).contains("SGZRZY").doesNotContain("WCZRZY");
        assertThat(get("/api/v1/quality?month=2026-03&format=csv&part=accuracy", SHOUGUANG).statusCode())
                .isEqualTo(403);
        assertThat(get("/api/v1/quality?month=2026-03&format=csv&part=accuracy", SUPERVISOR).statusCode())
                .isEqualTo(200);
    }

    @Test
    void hubWideViews_403ForALimitedPerson_notForTheSupervisor_andMeSaysWhich() throws Exception {
        for (String path : List.of("/api/v1/quarantine", "/api/v1/dead-letters", "/api/v1/province/batches",
                "/api/v1/audit", "/api/v1/adapters", "/api/v1/alerts/jobs", "/actuator/metrics")) {
            assertThat(get(path, SHOUGUANG).statusCode()).as(path).isEqualTo(403);
            assertThat(get(path, LIAISON).statusCode()).as(path).isEqualTo(403);
            assertThat(get(path, SUPERVISOR).statusCode()).as(path).isNotEqualTo(403);
        }
        assertThat(post("/api/v1/adapters/approvals/poll", "", SHOUGUANG).statusCode()).isEqualTo(403);

        JsonNode me = json(get("/api/v1/me", SHOUGUANG));
        assertThat(me.path("hubWide").asBoolean()).isFalse();
        assertThat(me.path("grants").path("regions").toString()).isEqualTo("[\"370783\"]");
        assertThat(me.path("grants").path("departments").asText()).isEqualTo("*");
        JsonNode boss = json(get("/api/v1/me", SUPERVISOR));
        assertThat(boss.path("hubWide").asBoolean()).isTrue();
        assertThat(boss.path("grants").path("regions").asText()).isEqualTo("*");
    }

    private static CanonicalRecord weichengFee(String key, String updatedAt, String amount) {
        return CanonicalRecord.builder().domain(Domain.APPROVAL).regionCode("370702")
                .department(new Department("WCZRZY", "潍城区自然资源局", false))
                .matter(new Matter("M-1", "测试事项"))
                .party(Party.org("某公司", "91350100M000100Y43"))
                .source(new SourceLineage("approvals", key, t(updatedAt), t(updatedAt).plusSeconds(5),
                        Payloads.sha256(("approvals" + key + updatedAt).getBytes(StandardCharsets.UTF_8))))
                .step(Step.RECEIVED, t("2026-03-02 09:00:00"), null)
                .amount(AmountKind.FEE, amount)
                .status(Status.COMPLETED)
                .build();
    }

    private List<String> recordIds(String[] who) throws Exception {
        List<String> out = new ArrayList<>();
        json(get("/api/v1/records?limit=1000", who)).path("items").forEach(r -> out.add(r.path("recordId").asText()));
        return out;
    }

    private List<String> alertRecords(String[] who) throws Exception {
        List<String> out = new ArrayList<>();
        json(get("/api/v1/alerts?limit=1000", who)).path("items").forEach(a -> {
            List<String> ids = new ArrayList<>();
            a.path("recordIds").forEach(i -> ids.add(i.asText()));
            out.add(String.join(",", ids.stream().sorted().toList()));
        });
        return out;
    }

    private String alertIdOf(String recordId) throws Exception {
        JsonNode items = json(get("/api/v1/records/" + recordId + "/alerts", SUPERVISOR)).path("items");
        assertThat(items).hasSize(1);
        return items.get(0).path("alertId").asText();
    }

    private static List<String> qualityDepartments(JsonNode month) {
        List<String> out = new ArrayList<>();
        month.path("items").forEach(d -> out.add(d.path("sourceSystem").asText() + ":"
                + d.path("departmentCode").asText()));
        return out;
    }

    private HttpResponse<String> get(String path, String[] who) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(uri(path)).GET(), who);
    }

    private HttpResponse<String> post(String path, String body, String[] who) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body)), who);
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    private HttpResponse<String> send(HttpRequest.Builder b, String[] who) throws IOException, InterruptedException {
        b.header("Authorization", "Basic " + Base64.getEncoder().encodeToString((who[0] + ":" + who[1])
                .getBytes(StandardCharsets.UTF_8)));
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    private static JsonNode json(HttpResponse<String> r) throws IOException {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
    }
}
