package yingyan.supervision.alerts;

import static org.assertj.core.api.Assertions.assertThat;
import static yingyan.supervision.alerts.AlertFixtures.at;
import static yingyan.supervision.alerts.AlertFixtures.fee;
import static yingyan.supervision.alerts.AlertFixtures.purchase;

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
import yingyan.canonical.CanonicalRecord;
import yingyan.canonical.Status;
import yingyan.store.RecordStore;
import yingyan.web.Cursors;

/**
 * The alerts API as its users meet it: people with VIEWER read alerts (JSON and CSV) and a record's alerts; only
 * a SUPERVISOR acknowledges, with a note, audited, changing nothing of the alert; feed consumers read the alert
 * feed within their grants (a set alert only with grants for every record in it), with the record feed's cursor
 * rules.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "hub.security.users[0].name=viewer", "hub.security.users[0].password=viewer-secret",
        "hub.security.users[0].roles=VIEWER",
        "hub.security.users[1].name=operator", "hub.security.users[1].password=operator-secret",
        "hub.security.users[1].roles=OPERATOR",
        "hub.security.users[2].name=supervisor", "hub.security.users[2].password=supervisor-secret",
        "hub.security.users[2].roles=SUPERVISOR"})
@ActiveProfiles("test")
@Import(AlertFixtures.Rules.class)
class AlertApiTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String[] VIEWER = {"viewer", "viewer-secret"};
    private static final String[] SUPERVISOR = {"supervisor", "supervisor-secret"};
    private static final String[] OPERATOR = {"operator", "operator-secret"};
    /** Feed consumers of application-test.yaml: every grant; and Shouguang's approvals only. */
    private static final String[] PROVINCE = {"province", "province-secret"};
    private static final String[] SHOUGUANG = {"shouguang-approvals", "shouguang-secret"};
    private static final String CREDIT = "91370700MA3C0000X1";

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
    void someAlerts() {
        if (jdbc.queryForObject("SELECT COUNT(*) FROM alert", Integer.class) > 0) {
            return;
        }
        // A RED fee alert that is later cleared, one that stays, and a set alert over two regions.
        apply(fee("API-FEE-1", "2026-03-02 10:00:00", "2000.00"), fee("API-FEE-2", "2026-03-02 10:00:00", "9000.00"),
                purchase("API-SET-1", "2026-03-02 10:00:00", "370783", CREDIT, Status.COMPLETED),
                purchase("API-SET-2", "2026-03-03 10:00:00", "370702", CREDIT, Status.COMPLETED));
        apply(fee("API-FEE-1", "2026-03-02 11:00:00", "10.00"));
    }

    @Test
    void aViewerListsAlertsByLevelAndState_eachNamingItsRuleVersionRecordsAndInputVersions() throws Exception {
        JsonNode red = json(get("/api/v1/alerts?level=RED&state=open", VIEWER));
        assertThat(red.path("next").isNull()).isTrue();
        JsonNode a = only(red.path("items"), "approvals:API-FEE-2");
        assertThat(a.path("alertId").asText()).startsWith("a-");
        assertThat(a.path("rule").asText()).isEqualTo(AlertFixtures.FEE);
        assertThat(a.path("ruleVersion").asInt()).isEqualTo(1);
        assertThat(a.path("level").asText()).isEqualTo("RED");
        assertThat(a.path("regionCode").asText()).isEqualTo("370783");
        assertThat(a.path("departmentCode").asText()).isEqualTo("SGZRZY");
        assertThat(a.path("domain").asText()).isEqualTo("APPROVAL");
        assertThat(a.path("clearedAt").isNull()).isTrue();
        assertThat(a.path("inputs").get(0).path("updatedAt").asText()).isEqualTo("2026-03-02T10:00:00+08:00");
        assertThat(a.path("inputs").get(0).path("payloadSha256").asText()).hasSize(64);
        assertThat(ids(red.path("items"))).doesNotContain("approvals:API-FEE-1");

        JsonNode cleared = json(get("/api/v1/alerts?rule=T_FEE&state=cleared", VIEWER));
        assertThat(ids(cleared.path("items"))).containsExactly("approvals:API-FEE-1");
        assertThat(cleared.path("items").get(0).path("clearedAt").asText()).endsWith("+08:00");

        // Paged, newest first, with the house cursor.
        JsonNode first = json(get("/api/v1/alerts?limit=1", VIEWER));
        assertThat(first.path("items")).hasSize(1);
        JsonNode second = json(get("/api/v1/alerts?limit=1&after=" + first.path("next").asText(), VIEWER));
        assertThat(second.path("items").get(0).path("alertId").asText())
                .isNotEqualTo(first.path("items").get(0).path("alertId").asText());

        HttpResponse<String> csv = get("/api/v1/alerts?level=RED&format=csv", VIEWER);
        assertThat(csv.headers().firstValue("Content-Type").orElse("")).startsWith("text/csv");
        assertThat(csv.body()).startsWith("\uFEFF\"alertId\",\"rule\",\"ruleVersion\",\"level\",\"state\"")
                .contains("\"approvals:API-FEE-2\"").contains("\"OPEN\"");

        assertThat(get("/api/v1/alerts?level=PURPLE", VIEWER).statusCode()).isEqualTo(400);
        assertThat(get("/api/v1/alerts?state=gone", VIEWER).statusCode()).isEqualTo(400);
        assertThat(get("/api/v1/alerts?from=yesterday", VIEWER).statusCode()).isEqualTo(400);
    }

    @Test
    void theOpenCountsPerDepartmentAndRegion_agreeWithTheList_inJsonAndCsv_forEveryoneWhoReadsAlerts() throws Exception {
        // The fee rule: FEE-2 open RED (SGZRZY, 370783); FEE-1 was cleared by its correction and counts nowhere.
        JsonNode fee = json(get("/api/v1/alerts/counts?rule=T_FEE", VIEWER));
        assertThat(rows(fee)).containsExactly("department SGZRZY 0 1", "region 370783 0 1");
        assertThat(fee.path("next").isNull()).isTrue();
        // The set alert over two regions: YELLOW, under the region of its newest record (API-SET-2, 370702).
        assertThat(rows(json(get("/api/v1/alerts/counts?rule=T_SET", VIEWER))))
                .containsExactly("department CGZX 1 0", "region 370702 1 0");
        // Filters narrow as the list's do.
        assertThat(rows(json(get("/api/v1/alerts/counts?rule=T_FEE&regionCode=370702", VIEWER)))).isEmpty();
        assertThat(rows(json(get("/api/v1/alerts/counts?level=YELLOW&department=SGZRZY&rule=T_FEE", VIEWER))))
                .isEmpty();
        assertThat(rows(json(get("/api/v1/alerts/counts?rule=T_FEE&from=2026-03-03T00:00:00%2B08:00", VIEWER))))
                .as("FEE-2 was raised on 2 March").isEmpty();

        // Unfiltered (the real rules may run beside the test rules): exactly the open YELLOW/RED alerts of the list.
        Map<String, long[]> byDepartment = new TreeMap<>();
        Map<String, long[]> byRegion = new TreeMap<>();
        json(get("/api/v1/alerts?state=open&limit=1000", VIEWER)).path("items").forEach(a -> {
            int i = switch (a.path("level").asText()) {
                case "YELLOW" -> 0;
                case "RED" -> 1;
                default -> -1;
            };
            if (i >= 0) {
                byDepartment.computeIfAbsent(a.path("departmentCode").asText("null"), k -> new long[2])[i]++;
                byRegion.computeIfAbsent(a.path("regionCode").asText(), k -> new long[2])[i]++;
            }
        });
        List<String> expected = new ArrayList<>();
        byDepartment.forEach((k, v) -> expected.add("department " + k + " " + v[0] + " " + v[1]));
        byRegion.forEach((k, v) -> expected.add("region " + k + " " + v[0] + " " + v[1]));
        assertThat(rows(json(get("/api/v1/alerts/counts", VIEWER)))).containsExactlyInAnyOrderElementsOf(expected)
                .contains("department SGZRZY 0 1");

        // CSV, by parameter and by Accept, the same rows.
        String csv = "\uFEFF\"by\",\"code\",\"yellow\",\"red\"\r\n\"department\",\"SGZRZY\",\"0\",\"1\"\r\n"
                + "\"region\",\"370783\",\"0\",\"1\"\r\n";
        HttpResponse<String> byParameter = get("/api/v1/alerts/counts?rule=T_FEE&format=csv", VIEWER);
        assertThat(byParameter.headers().firstValue("Content-Type").orElse("")).startsWith("text/csv");
        assertThat(byParameter.body()).isEqualTo(csv);
        assertThat(send(HttpRequest.newBuilder(uri("/api/v1/alerts/counts?rule=T_FEE")).header("Accept", "text/csv")
                .GET(), VIEWER).body()).isEqualTo(csv);

        // Who: people who read alerts; not a feed consumer, not anonymous. Bad filters name their field.
        assertThat(get("/api/v1/alerts/counts", OPERATOR).statusCode()).isEqualTo(200);
        assertThat(get("/api/v1/alerts/counts", SUPERVISOR).statusCode()).isEqualTo(200);
        assertThat(get("/api/v1/alerts/counts", PROVINCE).statusCode()).isEqualTo(403);
        assertThat(http.send(HttpRequest.newBuilder(uri("/api/v1/alerts/counts")).GET().build(),
                HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(401);
        HttpResponse<String> badLevel = get("/api/v1/alerts/counts?level=PURPLE", VIEWER);
        assertThat(badLevel.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(badLevel.body()).toString()).contains("level");
        assertThat(get("/api/v1/alerts/counts?regionCode=999999", VIEWER).statusCode()).isEqualTo(400);
        assertThat(get("/api/v1/alerts/counts?to=tomorrow", VIEWER).statusCode()).isEqualTo(400);
    }

    /** Count rows as "by code yellow red". */
    private static List<String> rows(JsonNode counts) {
        List<String> out = new ArrayList<>();
        counts.path("items").forEach(r -> out.add(r.path("by").asText() + " " + r.path("code").asText("null") + " "
                + r.path("yellow").asLong() + " " + r.path("red").asLong()));
        return out;
    }

    @Test
    void oneAlert_itsHistory_andARecordsAlerts() throws Exception {
        JsonNode cleared = json(get("/api/v1/alerts?rule=T_FEE&state=cleared", VIEWER)).path("items").get(0);
        String id = cleared.path("alertId").asText();
        assertThat(json(get("/api/v1/alerts/" + id, VIEWER))).isEqualTo(cleared);
        JsonNode history = json(get("/api/v1/alerts/" + id + "/history", VIEWER));
        assertThat(history.path("state").asText()).isEqualTo("CLEARED");
        assertThat(history.path("events").findValuesAsText("event")).containsExactly("RAISED", "CLEARED");
        assertThat(history.path("events").get(0).path("alert").path("inputs").get(0).path("updatedAt").asText())
                .isEqualTo("2026-03-02T10:00:00+08:00");

        JsonNode ofRecord = json(get("/api/v1/records/procurement:API-SET-1/alerts", VIEWER));
        assertThat(ofRecord.path("items")).singleElement().satisfies(a -> assertThat(a.path("rule").asText())
                .isEqualTo(AlertFixtures.SET));
        assertThat(get("/api/v1/alerts/a-nothing", VIEWER).statusCode()).isEqualTo(404);
    }

    @Test
    void onlyASupervisorAcknowledges_withANote_auditedAndChangingNothingOfTheAlert() throws Exception {
        JsonNode open = json(get("/api/v1/alerts?rule=T_FEE&state=open", SUPERVISOR)).path("items").get(0);
        String id = open.path("alertId").asText();
        String path = "/api/v1/alerts/" + id + "/acknowledge";
        int eventsBefore = jdbc.queryForObject("SELECT COUNT(*) FROM alert_event", Integer.class);

        assertThat(post(path, "note=" + form("已电话督办"), VIEWER).statusCode()).isEqualTo(403);
        assertThat(post(path, "note=" + form("已电话督办"), OPERATOR).statusCode()).isEqualTo(403);
        assertThat(post(path, "note=" + form("  "), SUPERVISOR).statusCode()).isEqualTo(400);
        assertThat(post("/api/v1/alerts/a-nothing/acknowledge", "note=" + form("x"), SUPERVISOR).statusCode())
                .isEqualTo(404);
        HttpResponse<String> ok = post(path, "note=" + form("已电话督办"), SUPERVISOR);
        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(json(ok).path("actor").asText()).isEqualTo("supervisor");

        assertThat(json(get("/api/v1/alerts/" + id, VIEWER))).isEqualTo(open);
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM alert_event", Integer.class)).isEqualTo(eventsBefore);
        JsonNode history = json(get("/api/v1/alerts/" + id + "/history", VIEWER));
        assertThat(history.path("acknowledgements").findValuesAsText("note")).contains("已电话督办");
        List<String> audit = jdbc.queryForList("SELECT actor || ' ' || action || ' ' || outcome FROM audit_log"
                + " WHERE target LIKE ?", String.class, "%" + id + "/acknowledge%");
        assertThat(audit).anySatisfy(e -> assertThat(e).startsWith("supervisor POST /api/v1/alerts/{alertId}/acknowledge")
                .contains("HTTP 200").contains("已电话督办"));
    }

    @Test
    void theAlertFeedServesEveryEventOnce_inOrder_withinTheConsumersGrants() throws Exception {
        List<JsonNode> all = drain(PROVINCE, 2);
        assertThat(all.stream().map(e -> e.path("event").asText() + " " + e.path("alert").path("recordIds").get(0)
                .asText()).toList()).contains("RAISED approvals:API-FEE-1", "RAISED approvals:API-FEE-2",
                "CLEARED approvals:API-FEE-1");
        assertThat(all.stream().map(e -> e.path("alert").path("alertId").asText() + e.path("event").asText())
                .distinct().count()).as("each event once").isEqualTo(all.size());

        // Shouguang's approvals: its fee alerts, not the purchases' set alert (one of its records is in 370702).
        List<JsonNode> shouguang = drain(SHOUGUANG, 100);
        assertThat(shouguang).isNotEmpty().allSatisfy(e -> {
            assertThat(e.path("alert").path("domain").asText()).isEqualTo("APPROVAL");
            assertThat(e.path("alert").path("regionCode").asText()).isEqualTo("370783");
        });
        assertThat(get("/api/v1/alerts/feed?domain=PROCUREMENT", SHOUGUANG).statusCode()).isEqualTo(403);

        // Cursor rules: next is never null; one beyond the newest event, or a record feed's, is refused.
        assertThat(get("/api/v1/alerts/feed?after=" + Cursors.encodeAlertFeed(1_000_000), PROVINCE).statusCode())
                .isEqualTo(400);
        assertThat(get("/api/v1/alerts/feed?after=" + Cursors.encodeFeed(1), PROVINCE).statusCode()).isEqualTo(400);
        assertThat(get("/api/v1/alerts/feed", VIEWER).statusCode()).isEqualTo(403);
        assertThat(get("/api/v1/alerts", PROVINCE).statusCode()).isEqualTo(403);
    }

    /** Pages the alert feed to its end; the last page's next is the cursor a consumer keeps. */
    private List<JsonNode> drain(String[] who, int limit) throws Exception {
        List<JsonNode> out = new ArrayList<>();
        String after = null;
        while (true) {
            JsonNode page = json(get("/api/v1/alerts/feed?limit=" + limit + (after == null ? "" : "&after=" + after),
                    who));
            assertThat(page.path("next").isTextual()).isTrue();
            page.path("items").forEach(out::add);
            if (page.path("items").size() < limit) {
                JsonNode again = json(get("/api/v1/alerts/feed?after=" + page.path("next").asText(), who));
                assertThat(again.path("items")).isEmpty();
                assertThat(again.path("next").asText()).isEqualTo(page.path("next").asText());
                return out;
            }
            after = page.path("next").asText();
        }
    }

    private void apply(CanonicalRecord... records) {
        store.apply(List.of(records));
        follower.clock(Clock.fixed(at("2026-03-03 12:00:00"), ZoneOffset.UTC));
        follower.followAll(rules.all());
    }

    private static List<String> ids(JsonNode items) {
        List<String> out = new ArrayList<>();
        items.forEach(a -> out.add(a.path("recordIds").get(0).asText()));
        return out;
    }

    private static JsonNode only(JsonNode items, String recordId) {
        List<JsonNode> found = new ArrayList<>();
        items.forEach(a -> {
            if (a.path("recordIds").get(0).asText().equals(recordId)) {
                found.add(a);
            }
        });
        assertThat(found).hasSize(1);
        return found.get(0);
    }

    private HttpResponse<String> get(String path, String[] who) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(uri(path)).GET(), who);
    }

    private HttpResponse<String> post(String path, String body, String[] who) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body)), who);
    }

    private static String form(String value) {
        return java.net.URLEncoder.encode(value, java.nio.charset.StandardCharsets.UTF_8);
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
