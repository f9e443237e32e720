package yingyan.adapters.trading;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.JdbcTemplate;
import yingyan.testsupport.ChildHub;
import yingyan.testsupport.FaultDb;
import yingyan.testsupport.Latency;
import yingyan.testsupport.NothingLost;
import yingyan.testsupport.NothingLost.Produced;
import yingyan.testsupport.Services;

/**
 * kill -9 of the hub (a child JVM, PostgreSQL, persistent broker journal) in the middle of a trading cursor
 * walk (issue 13). The trading centre here is the contract's (OAuth2 client credentials, then
 * {@code GET /exchange/v2/transactions} paged by an opaque cursor; the demo centre's paging) on the JDK's HTTP
 * server, answering each page slowly; it kills the hub when the request for the fifth BIDDING page (a cursor
 * the hub was given by page 4) arrives. While the hub is down the centre updates 50 transactions the hub had read.
 * The restarted hub walks again from its watermark (the cursor died with the hub): every transaction once at
 * its newest version, each version once.
 */
@Tag("fault")
class TradingKillFaultIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final OffsetDateTime T0 = OffsetDateTime.of(2026, 3, 2, 9, 0, 0, 0, ZoneOffset.ofHours(8));
    private static final int ITEMS = 600;
    private static final int KILL_ON_PAGE = 5;

    @TempDir
    Path dir;

    @Test
    @Timeout(value = 6, unit = TimeUnit.MINUTES)
    void killedInTheMiddleOfACursorWalk_everyTransactionOnceAtItsNewestVersion() throws Exception {
        String url = Services.freshPostgresDatabase("fault_trading");
        JdbcTemplate db = FaultDb.jdbc(url);
        List<JsonNode> items = new CopyOnWriteArrayList<>();
        for (int i = 0; i < ITEMS; i++) {
            items.add(item(i, T0.plusSeconds(i), "公告中"));
        }
        AtomicInteger biddingPages = new AtomicInteger();
        AtomicInteger requests = new AtomicInteger();
        AtomicReference<ChildHub> killOnPage = new AtomicReference<>();
        // The centre answers a BIDDING page in 300 ms (a slow centre), so the kill lands while the hub waits.
        Latency slowCentre = new Latency(Duration.ofMillis(300));
        HttpServer centre = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        centre.createContext("/oauth/token", ex -> reply(ex, 200, JSON.createObjectNode()
                .put("access_token", "fault-token").put("token_type", "Bearer").put("expires_in", 7200)));
        centre.createContext("/exchange/v2/transactions", ex -> {
            requests.incrementAndGet();
            if (!"Bearer fault-token".equals(ex.getRequestHeaders().getFirst("Authorization"))) {
                reply(ex, 401, JSON.createObjectNode().put("error", "invalid_token"));
                return;
            }
            Map<String, String> q = query(ex.getRequestURI().getRawQuery());
            TradingDemoServer.Answer a = TradingDemoServer.answer(items, q);
            if ("BIDDING".equals(q.get("type"))) {
                ChildHub hub = killOnPage.get();
                if (hub != null && biddingPages.incrementAndGet() == KILL_ON_PAGE) {
                    hub.kill(); // the hub is waiting for this page, its cursor in hand
                }
                slowCentre.answer(() -> reply(ex, a.status(), a.body()));
            } else {
                reply(ex, a.status(), a.body());
            }
        });
        centre.start();
        try {
            Map<String, Object> props = ChildHub.onPostgres(url, dir.resolve("artemis"));
            props.put("hub.adapters.trading.enabled", "true");
            props.put("hub.adapters.trading.base-url", "http://127.0.0.1:" + centre.getAddress().getPort());
            props.put("hub.adapters.trading.client-id", "yingyan-hub");
            props.put("hub.adapters.trading.client-secret", "fault-test-secret");
            props.put("hub.adapters.trading.poll-interval", "1s");
            props.put("hub.adapters.trading.page-size", "50");
            props.put("hub.adapters.trading.start-from", "2026-01-01T00:00:00+08:00");
            props.put("hub.adapters.trading.skip-maintenance", "false");
            Path logs = ChildHub.logDir(getClass());

            try (ChildHub first = ChildHub.start(logs, props)) {
                killOnPage.set(first);
                Awaitility.await("the hub killed while BIDDING page " + KILL_ON_PAGE + " was on its way")
                        .atMost(Duration.ofSeconds(120)).until(() -> !first.alive());
            }
            killOnPage.set(null);
            long atKill = FaultDb.count(db, "SELECT COUNT(*) FROM record WHERE adapter = 'trading'");
            System.out.println("trading kill (mid cursor walk, page " + KILL_ON_PAGE + "): " + atKill
                    + " transactions stored");
            assertThat(atKill).as("the pages before the kill stored, not all").isPositive().isLessThan(ITEMS);

            // Meanwhile the centre decides 50 transactions the hub had read.
            for (int i = 0; i < 50; i++) {
                items.set(i, item(i, T0.plusDays(1).plusSeconds(i), "已成交"));
            }
            Map<String, Produced> produced = new LinkedHashMap<>();
            for (JsonNode n : items) {
                produced.put("trading:" + n.path("tradeCode").asText(),
                        Produced.at(OffsetDateTime.parse(n.path("updatedAt").asText())));
            }
            try (ChildHub second = ChildHub.start(logs, props)) {
                NothingLost.awaitSettled(db, produced, null, Duration.ofSeconds(120));
                int after = requests.get();
                second.await("a further poll after everything is stored", Duration.ofSeconds(30),
                        () -> requests.get() > after + 3);
                NothingLost.check("kill -9 in the middle of a trading cursor walk", db, List.of("trading"), produced,
                        null);
                assertThat(FaultDb.count(db, "SELECT COUNT(*) FROM record_version WHERE adapter = 'trading'"))
                        .as("one version per transaction and one per decision").isEqualTo(ITEMS + 50);
            }
        } finally {
            centre.stop(0);
            slowCentre.close();
            Services.dropPostgresDatabase(url);
        }
    }

    /** A BIDDING transaction; decided ones carry their deal price and winner. */
    static JsonNode item(int i, OffsetDateTime updatedAt, String status) {
        ObjectNode n = JSON.createObjectNode();
        n.put("tradeCode", String.format("WF-GC-2026-%05d", i)).put("type", "BIDDING").put("region", "370705")
                .put("projectName", "奎文区某某道路改造工程施工").put("method", "公开招标");
        n.putObject("owner").put("name", "潍坊市奎文区住房和城乡建设局").put("creditCode", "11370705MB0000000E");
        n.putObject("supervisorDept").put("code", "KWZJ").put("name", "奎文区住房和城乡建设局");
        n.put("controlPrice", "1234.5678").putNull("appraisal");
        boolean decided = "已成交".equals(status);
        if (decided) {
            n.put("dealPrice", "1180.0000");
            n.putObject("winner").put("type", "ORG").put("name", "某某建设集团有限公司")
                    .put("creditCode", "91370700MA3R1T2U33");
        } else {
            n.putNull("dealPrice").putNull("winner");
        }
        n.put("announcedAt", "2026-03-01T09:00:00+08:00").put("openedAt", decided ? "2026-03-21T09:30:00+08:00" : null)
                .put("decidedAt", decided ? "2026-03-24T17:00:00+08:00" : null).putNull("contractedAt")
                .put("status", status).put("updatedAt", updatedAt.toString());
        return n;
    }

    static void reply(HttpExchange ex, int status, JsonNode body) throws IOException {
        try (ex) {
            byte[] bytes = body.toString().getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().set("Content-Type", "application/json; charset=UTF-8");
            ex.sendResponseHeaders(status, bytes.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(bytes);
            }
        } catch (IOException e) {
            // the hub died waiting for this answer
        }
    }

    static Map<String, String> query(String raw) {
        Map<String, String> q = new HashMap<>();
        if (raw != null) {
            for (String kv : raw.split("&")) {
                int eq = kv.indexOf('=');
                if (eq > 0) {
                    q.put(kv.substring(0, eq), URLDecoder.decode(kv.substring(eq + 1), StandardCharsets.UTF_8));
                }
            }
        }
        return q;
    }
}
