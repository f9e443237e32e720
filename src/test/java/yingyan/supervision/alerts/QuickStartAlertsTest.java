package yingyan.supervision.alerts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ConfigurableApplicationContext;
import yingyan.canonical.CanonicalJson;
import yingyan.canonical.CanonicalTime;
import yingyan.testsupport.Hubs;

/**
 * The quick start shows alerts of every level (docs/contracts/supervision.md §6): the hub started under the
 * {@code demo} profile, as {@code mvn spring-boot:run} starts it (its demo sources, demo/demo, conf/calendar and
 * conf/supervision), only with free ports, a database in memory and folders of its own. Within a minute of the
 * start {@code GET /api/v1/alerts?level=…} (demo/demo) lists INFO, YELLOW and RED alerts, each naming its rule,
 * rule version, records and input versions; among them the cases the demo data holds for it: the case accepted
 * the day before the 2026 National Day holidays is overdue on the right working day, the 0-day case the demo
 * moves to the start is near its deadline, the parcel sold below its start price and the 1.68M single-source
 * purchase.
 */
class QuickStartAlertsTest {
    private static final Logger log = LoggerFactory.getLogger(QuickStartAlertsTest.class);
    private static final String DEMO = "Basic " + Base64.getEncoder()
            .encodeToString("demo:demo".getBytes(StandardCharsets.UTF_8));

    private final HttpClient http = HttpClient.newHttpClient();
    private int port;

    @Test
    void everyLevelIsOnTheAlertsApiWithinAMinuteOfTheStart(@TempDir Path tmp) throws Exception {
        LocalDate startDay = LocalDate.now(CanonicalTime.BEIJING);
        try (ConfigurableApplicationContext hub = Hubs.start("demo", demoOnFreePorts(tmp))) {
            port = Integer.parseInt(hub.getEnvironment().getProperty("local.server.port"));
            long started = System.nanoTime();
            await("alerts of every level from the demo data").atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofSeconds(1)).ignoreExceptions().untilAsserted(() -> {
                        assertThat(rules("RED")).contains("LEGAL_OVERDUE:approvals:SG-2026-000901",
                                "LAND_BELOW_START:land-transfer:SG2026-052");
                        assertThat(rules("YELLOW")).contains("PROMISED_OVERDUE:approvals:SG-2026-000901",
                                "SINGLE_SOURCE_LARGE:procurement:SGCG-2026-0150");
                        assertThat(rules("INFO")).contains("NEAR_PROMISED:approvals:SG-2026-000902");
                    });
            log.info("quick start: alerts of every level {} ms after the hub was up",
                    (System.nanoTime() - started) / 1_000_000);

            for (String level : List.of("INFO", "YELLOW", "RED")) {
                for (JsonNode a : alerts(level)) {
                    assertThat(a.path("level").asText()).isEqualTo(level);
                    assertThat(a.path("rule").asText()).as("rule of %s", a).isNotBlank();
                    assertThat(a.path("ruleVersion").asInt()).as("ruleVersion of %s", a).isPositive();
                    assertThat(a.path("recordIds")).as("records of %s", a).isNotEmpty();
                    assertThat(a.path("inputs")).as("input versions of %s", a).isNotEmpty();
                    for (JsonNode in : a.path("inputs")) {
                        assertThat(in.path("recordId").asText()).isIn(texts(a.path("recordIds")));
                        assertThat(in.path("updatedAt").asText()).isNotBlank();
                        assertThat(in.path("payloadSha256").asText()).matches("[0-9a-f]{64}");
                    }
                }
            }

            // Accepted Thu 2026-09-24, 5 promised working days: Sep 28, 29, 30, Oct 8, 9 (Sep 25–27 and Oct 1–7
            // are holidays), so the deadline ends 2026-10-09 24:00; 20 statutory ones end 2026-10-29 24:00 (with
            // the 调休 Saturday Oct 10 a working day).
            JsonNode promised = one("YELLOW", "PROMISED_OVERDUE", "approvals:SG-2026-000901");
            assertThat(promised.path("raisedAt").asText()).isEqualTo("2026-10-10T00:00:00+08:00");
            assertThat(promised.path("message").asText()).contains("2026-10-09 届满");
            assertThat(promised.path("calendarMissing").asBoolean()).isFalse();
            JsonNode legal = one("RED", "LEGAL_OVERDUE", "approvals:SG-2026-000901");
            assertThat(legal.path("raisedAt").asText()).isEqualTo("2026-10-30T00:00:00+08:00");
            assertThat(legal.path("message").asText()).contains("2026-10-29 届满");

            // The 0-day case was accepted a minute before the start: its deadline is the end of that day.
            JsonNode near = one("INFO", "NEAR_PROMISED", "approvals:SG-2026-000902");
            assertThat(near.path("message").asText()).contains(startDay + " 24:00");
            assertThat(near.path("inputs").get(0).path("updatedAt").asText()).startsWith(startDay.toString());
        }
    }

    /** "RULE:recordId" of every alert of the level. */
    private List<String> rules(String level) throws Exception {
        List<String> out = new ArrayList<>();
        for (JsonNode a : alerts(level)) {
            for (JsonNode id : a.path("recordIds")) {
                out.add(a.path("rule").asText() + ":" + id.asText());
            }
        }
        return out;
    }

    private JsonNode one(String level, String rule, String recordId) throws Exception {
        JsonNode found = null;
        for (JsonNode a : alerts(level)) {
            if (a.path("rule").asText().equals(rule) && texts(a.path("recordIds")).contains(recordId)) {
                assertThat(found).as("one %s alert of %s", rule, recordId).isNull();
                found = a;
            }
        }
        assertThat(found).as("the %s alert of %s", rule, recordId).isNotNull();
        return found;
    }

    private List<JsonNode> alerts(String level) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port + "/api/v1/alerts?level=" + level + "&limit=1000"))
                .header("Authorization", DEMO).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        List<JsonNode> out = new ArrayList<>();
        CanonicalJson.mapper().readTree(r.body()).path("items").forEach(out::add);
        return out;
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    /**
     * What differs from {@code mvn spring-boot:run}: ports (free ones), where it keeps its data (memory and the
     * test's folder), so that it runs beside a quick start and other tests. Poll intervals, users, sources, the
     * calendar and the rules are the demo profile's.
     */
    private static Map<String, Object> demoOnFreePorts(Path tmp) throws IOException {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("spring.datasource.url", "jdbc:h2:mem:quick-start-" + System.nanoTime()
                + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1");
        p.put("spring.artemis.embedded.data-directory", tmp.resolve("artemis").toString());
        int approvals = freePort();
        int county = freePort();
        int province = freePort();
        int trading = freePort();
        int penalties = freePort();
        p.put("hub.demo.approvals-port", approvals);
        p.put("hub.adapters.approvals.base-url", "http://127.0.0.1:" + approvals);
        p.put("hub.demo.hub-feed-port", county);
        p.put("hub.adapters.hub-feed.base-url", "http://127.0.0.1:" + county);
        p.put("hub.demo.province-port", province);
        p.put("hub.province.base-url", "http://127.0.0.1:" + province);
        p.put("hub.demo.trading-port", trading);
        p.put("hub.adapters.trading.base-url", "http://127.0.0.1:" + trading);
        p.put("hub.demo.penalties-port", penalties);
        p.put("hub.adapters.penalties.base-url", "http://127.0.0.1:" + penalties);
        p.put("hub.adapters.housing-fund.jdbc-url", "jdbc:h2:mem:gjj-" + System.nanoTime()
                + ";MODE=MariaDB;DB_CLOSE_DELAY=-1");
        p.put("hub.adapters.land-transfer.drop-dir", tmp.resolve("drop/land-transfer").toString());
        p.put("hub.adapters.land-transfer.sftp-work-dir", tmp.resolve("work/land-transfer").toString());
        p.put("hub.adapters.procurement.drop-dir", tmp.resolve("drop/procurement").toString());
        p.put("hub.adapters.procurement.sftp-work-dir", tmp.resolve("work/procurement").toString());
        return p;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
