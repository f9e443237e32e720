package yingyan.adapters.hubfeed;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Component;
import yingyan.canonical.CanonicalJson;
import yingyan.spi.DemoServer;
import yingyan.spi.DemoStandIn;

/**
 * The quick start's stand-in for a county hub: {@code GET /api/v1/feed?after=&limit=} over HTTP with Basic
 * auth (the consumer and password of {@code hub.adapters.hub-feed}), serving the items of every
 * {@code test-data/hub-feed/<case>/input.json} page in folder order, as a county hub's feed answers
 * ({@code {"items": [...], "next": cursor}}, next never null). Loopback only; stopped with the hub.
 */
@Component
@ConditionalOnProperty(name = "hub.demo.enabled", havingValue = "true")
class HubFeedDemoServer extends DemoServer {
    private static final Logger log = LoggerFactory.getLogger(HubFeedDemoServer.class);

    private final HubFeedProperties props;
    private final int port;
    private final Path dataDir;
    private List<JsonNode> items = List.of();

    HubFeedDemoServer(HubFeedProperties props, @Value("${hub.demo.hub-feed-port:18083}") int port,
                      @Value("${hub.demo.data-dir:test-data}") String dataDir) {
        this.props = props;
        this.port = port;
        this.dataDir = Path.of(dataDir, HubFeedProperties.ADAPTER_ID);
    }

    @Override
    protected HttpServer start() throws IOException {
        items = load(dataDir);
        HttpServer server = DemoStandIn.listen(port, "/api/v1/feed", this::handle, "the hub-feed demo county",
                "hub.demo.hub-feed-port", "hub.adapters.hub-feed.base-url");
        log.info("hub-feed demo county on http://127.0.0.1:{}/api/v1/feed with {} sample items",
                server.getAddress().getPort(), items.size());
        return server;
    }

    int port() {
        return address().getPort();
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String expected = "Basic " + Base64.getEncoder().encodeToString((props.consumer() + ":" + props.password())
                    .getBytes(StandardCharsets.UTF_8));
            int status;
            JsonNode body;
            if (!expected.equals(ex.getRequestHeaders().getFirst("Authorization"))) {
                status = 401;
                body = problem(401, "wrong or missing credential");
            } else {
                Map<String, String> q = query(ex.getRequestURI().getRawQuery());
                try {
                    int after = q.containsKey("after") ? position(q.get("after")) : 0;
                    int limit = Integer.parseInt(q.getOrDefault("limit", "100"));
                    if (limit < 1 || limit > 1000) {
                        throw new IllegalArgumentException();
                    }
                    status = 200;
                    body = page(items, after, limit);
                } catch (IllegalArgumentException e) {
                    status = 400;
                    body = problem(400, "bad after or limit");
                }
            }
            DemoStandIn.reply(ex, status, status == 200 ? "application/json" : "application/problem+json",
                    CanonicalJson.mapper().writeValueAsBytes(body));
        }
    }

    /** A feed page: the items after position {@code after} (1-based positions), and the cursor after them. */
    static ObjectNode page(List<JsonNode> items, int after, int limit) {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        ArrayNode out = body.putArray("items");
        int end = Math.min(items.size(), after + limit);
        for (int i = after; i < end; i++) {
            out.add(items.get(i));
        }
        body.put("next", cursor(Math.max(after, end)));
        return body;
    }

    static String cursor(int position) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(("demo:" + position)
                .getBytes(StandardCharsets.US_ASCII));
    }

    static int position(String cursor) {
        String s = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.US_ASCII);
        if (!s.startsWith("demo:")) {
            throw new IllegalArgumentException();
        }
        return Integer.parseInt(s.substring(5));
    }

    static List<JsonNode> load(Path dir) throws IOException {
        List<Path> pages = DemoStandIn.samplePages(dir, log, "hub-feed demo county", "items");
        List<JsonNode> out = new ArrayList<>();
        for (Path p : pages) {
            try {
                CanonicalJson.mapper().readTree(Files.readAllBytes(p)).path("items").forEach(out::add);
            } catch (IOException e) {
                log.warn("hub-feed demo county: {} is not JSON, skipped ({})", p, e.getMessage());
            }
        }
        return List.copyOf(out);
    }

    private static ObjectNode problem(int status, String detail) {
        ObjectNode p = JsonNodeFactory.instance.objectNode();
        p.put("status", status);
        p.put("detail", detail);
        return p;
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> out = new HashMap<>();
        if (raw != null) {
            for (String part : raw.split("&")) {
                int eq = part.indexOf('=');
                if (eq > 0) {
                    out.put(part.substring(0, eq), URLDecoder.decode(part.substring(eq + 1), StandardCharsets.UTF_8));
                }
            }
        }
        return out;
    }
}
