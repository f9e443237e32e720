package yingyan.adapters.trading;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Component;
import yingyan.spi.DemoServer;
import yingyan.spi.DemoStandIn;
import yingyan.spi.ExactJson;

/**
 * The quick start's stand-in for the trading centre: {@code POST /oauth/token} (client credentials, HTTP Basic
 * with the configured client) and {@code GET /exchange/v2/transactions} per the contract (type, changedSince
 * inclusive on updatedAt, limit at most 200, an opaque cursor, 401 without an issued token), serving the items of
 * every {@code test-data/trading/<case>/input.json} page. Loopback only; stopped with the hub.
 */
@Component
// Only while the adapter that reads it runs (a test with the demo sources but this adapter off needs no port).
@ConditionalOnProperty(name = {"hub.demo.enabled", "hub.adapters.trading.enabled"}, havingValue = "true")
class TradingDemoServer extends DemoServer {
    static final int MAX_LIMIT = 200;
    private static final Logger log = LoggerFactory.getLogger(TradingDemoServer.class);
    private static final Comparator<JsonNode> ORDER = Comparator
            .comparing((JsonNode n) -> updatedAt(n), OffsetDateTime.timeLineOrder())
            .thenComparing(n -> n.path("tradeCode").asText(""));

    private final TradingDemoProperties demo;
    private final String basic;
    private final Set<String> issued = ConcurrentHashMap.newKeySet();
    private List<JsonNode> items = List.of();

    TradingDemoServer(TradingDemoProperties demo, TradingProperties props) {
        this.demo = demo;
        this.basic = "Basic " + Base64.getEncoder().encodeToString(
                (props.clientId() + ":" + props.clientSecret()).getBytes(StandardCharsets.UTF_8));
    }

    @Override
    protected HttpServer start() throws IOException {
        items = load(Path.of(demo.dataDir(), TradingProperties.ADAPTER_ID));
        HttpServer server = DemoStandIn.listen(demo.tradingPort(), Map.<String, HttpHandler>of(
                        "/oauth/token", ex -> reply(ex, token(ex)),
                        "/exchange/v2/transactions", ex -> reply(ex, changes(ex))),
                "the trading demo centre", "hub.demo.trading-port", "hub.adapters.trading.base-url");
        log.info("trading demo centre on http://127.0.0.1:{} with {} sample transactions",
                server.getAddress().getPort(), items.size());
        return server;
    }

    private Answer token(HttpExchange ex) throws IOException {
        String form = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        if (!"POST".equals(ex.getRequestMethod()) || !form.contains("grant_type=client_credentials")) {
            return new Answer(400, error("unsupported_grant_type"));
        }
        if (!basic.equals(ex.getRequestHeaders().getFirst("Authorization"))) {
            return new Answer(401, error("invalid_client"));
        }
        String token = UUID.randomUUID().toString();
        issued.add(token);
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.put("access_token", token).put("token_type", "Bearer").put("expires_in", 7200);
        return new Answer(200, body);
    }

    private Answer changes(HttpExchange ex) {
        String auth = ex.getRequestHeaders().getFirst("Authorization");
        if (auth == null || !auth.startsWith("Bearer ") || !issued.contains(auth.substring(7))) {
            return new Answer(401, error("invalid_token"));
        }
        return answer(items, query(ex.getRequestURI().getRawQuery()));
    }

    /** The centre's answer to one change request; the cursor is the next offset, opaque to the hub. */
    static Answer answer(List<JsonNode> items, Map<String, String> q) {
        String type = q.get("type");
        OffsetDateTime since;
        int limit;
        int offset;
        try {
            since = OffsetDateTime.parse(q.getOrDefault("changedSince", ""));
            limit = Integer.parseInt(q.getOrDefault("limit", "200"));
            offset = q.containsKey("cursor") ? Integer.parseInt(q.get("cursor").substring(2)) : 0;
        } catch (DateTimeParseException | NumberFormatException | IndexOutOfBoundsException e) {
            return new Answer(400, error("changedSince must be ISO-8601 with offset, limit and cursor as issued"));
        }
        if (limit < 1 || limit > MAX_LIMIT || !TradingPositions.TYPES.contains(type)) {
            return new Answer(400, error("type must be BIDDING, MINING or PROPERTY and limit 1.." + MAX_LIMIT));
        }
        List<JsonNode> hits = items.stream()
                .filter(i -> type.equals(i.path("type").asText()) && !updatedAt(i).isBefore(since))
                .sorted(ORDER).toList();
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        ArrayNode data = body.putArray("data");
        int to = Math.min(hits.size(), offset + limit);
        if (offset < to) {
            hits.subList(offset, to).forEach(data::add);
        }
        boolean more = to < hits.size();
        body.put("nextCursor", more ? "o:" + to : null);
        body.put("hasMore", more);
        return new Answer(200, body);
    }

    /** Every item of every sample page with a readable updatedAt (others would be served on every poll). */
    static List<JsonNode> load(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            log.warn("trading demo centre: no sample folder {}; serving no transactions", dir.toAbsolutePath());
            return List.of();
        }
        List<Path> pages;
        try (Stream<Path> s = Files.list(dir)) {
            pages = s.map(d -> d.resolve("input.json")).filter(Files::isRegularFile).sorted().toList();
        }
        List<JsonNode> all = new ArrayList<>();
        for (Path p : pages) {
            try {
                for (JsonNode item : ExactJson.read(Files.readAllBytes(p)).path("data")) {
                    if (item.isObject() && updatedAt(item) != OffsetDateTime.MIN) {
                        all.add(item);
                    }
                }
            } catch (IOException e) {
                log.warn("trading demo centre: {} is not JSON, skipped ({})", p, e.getMessage());
            }
        }
        return List.copyOf(all);
    }

    private static OffsetDateTime updatedAt(JsonNode item) {
        try {
            return OffsetDateTime.parse(item.path("updatedAt").asText(""));
        } catch (DateTimeParseException e) {
            return OffsetDateTime.MIN;
        }
    }

    record Answer(int status, JsonNode body) {
    }

    private static void reply(HttpExchange ex, Answer a) throws IOException {
        try (ex) {
            DemoStandIn.reply(ex, a.status(), "application/json; charset=UTF-8",
                    a.body().toString().getBytes(StandardCharsets.UTF_8));
        }
    }

    private static ObjectNode error(String code) {
        return JsonNodeFactory.instance.objectNode().put("error", code);
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> q = new HashMap<>();
        if (raw == null || raw.isEmpty()) {
            return q;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                q.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return q;
    }
}
