package yingyan.adapters.trading;

import static yingyan.adapters.trading.TradingKillFaultIT.query;
import static yingyan.adapters.trading.TradingKillFaultIT.reply;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import yingyan.testsupport.NothingLost.Produced;

/**
 * The trading centre for tests elsewhere (the cluster proof): OAuth2 client credentials ({@code POST /oauth/token},
 * HTTP Basic with {@link #CLIENT_ID}/{@link #CLIENT_SECRET}) and {@code GET /exchange/v2/transactions} answered as the
 * demo centre answers ({@link TradingDemoServer#answer}), from a list of BIDDING transactions the test announces and
 * decides ({@link TradingKillFaultIT}'s transactions), on a free loopback port. Remembers each one's newest updatedAt.
 */
public final class TradingCentre implements AutoCloseable {
    public static final String CLIENT_ID = "yingyan-hub";
    public static final String CLIENT_SECRET = "cluster-test-secret";
    private static final OffsetDateTime T0 = OffsetDateTime.of(2026, 3, 2, 9, 0, 0, 0, ZoneOffset.ofHours(8));
    private static final String TOKEN = "cluster-token";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<JsonNode> items = new CopyOnWriteArrayList<>();
    private final AtomicInteger requests = new AtomicInteger();
    private final HttpServer server;

    public TradingCentre() throws IOException {
        String basic = "Basic " + java.util.Base64.getEncoder().encodeToString(
                (CLIENT_ID + ":" + CLIENT_SECRET).getBytes(StandardCharsets.UTF_8));
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/oauth/token", ex -> {
            ex.getRequestBody().readAllBytes();
            if (!basic.equals(ex.getRequestHeaders().getFirst("Authorization"))) {
                reply(ex, 401, JSON.createObjectNode().put("error", "invalid_client"));
            } else {
                reply(ex, 200, JSON.createObjectNode().put("access_token", TOKEN).put("token_type", "Bearer")
                        .put("expires_in", 7200));
            }
        });
        server.createContext("/exchange/v2/transactions", ex -> {
            requests.incrementAndGet();
            if (!("Bearer " + TOKEN).equals(ex.getRequestHeaders().getFirst("Authorization"))) {
                reply(ex, 401, JSON.createObjectNode().put("error", "invalid_token"));
                return;
            }
            TradingDemoServer.Answer a = TradingDemoServer.answer(items, query(ex.getRequestURI().getRawQuery()));
            reply(ex, a.status(), a.body());
        });
        server.start();
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** The hub's settings to read this centre. */
    public Map<String, Object> hubSettings() {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("hub.adapters.trading.enabled", "true");
        p.put("hub.adapters.trading.base-url", baseUrl());
        p.put("hub.adapters.trading.client-id", CLIENT_ID);
        p.put("hub.adapters.trading.client-secret", CLIENT_SECRET);
        p.put("hub.adapters.trading.poll-interval", "1s");
        p.put("hub.adapters.trading.page-size", "50");
        p.put("hub.adapters.trading.start-from", "2026-01-01T00:00:00+08:00");
        p.put("hub.adapters.trading.skip-maintenance", "false");
        return p;
    }

    /** Transactions {@code from}… announced ({@code 公告中}), a second apart. */
    public void announce(int from, int count) {
        for (int i = from; i < from + count; i++) {
            items.add(TradingKillFaultIT.item(i, T0.plusSeconds(i), "公告中"));
        }
    }

    /** Transactions {@code from}… (announced before) decided a day later: a newer version of each. */
    public void decide(int from, int count) {
        for (int i = from; i < from + count; i++) {
            items.set(i, TradingKillFaultIT.item(i, T0.plusDays(1).plusSeconds(i), "已成交"));
        }
    }

    /** Every transaction with its newest updatedAt. */
    public Map<String, Produced> produced() {
        Map<String, Produced> out = new LinkedHashMap<>();
        for (JsonNode n : items) {
            out.put("trading:" + n.path("tradeCode").asText(), Produced.at(OffsetDateTime.parse(n.path("updatedAt").asText())));
        }
        return out;
    }

    /** Change requests answered so far. */
    public int requests() {
        return requests.get();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
