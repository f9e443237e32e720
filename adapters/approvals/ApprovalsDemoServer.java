package yingyan.adapters.approvals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Component;
import yingyan.canonical.CanonicalTime;
import yingyan.canonical.JsonLimits;
import yingyan.spi.DemoServer;
import yingyan.spi.ExactJson;
import yingyan.spi.DemoStandIn;

/**
 * The quick start's stand-in for the city approval system: {@code GET /api/cases} per the contract in
 * docs/contracts/departments/approvals.md (updatedSince inclusive, page/size, ordered by updatedAt then caseNo,
 * 400 above size 500, 401 without the configured key), serving the cases of every
 * {@code test-data/approvals/<case>/input.json} page. Loopback only; stopped with the hub.
 */
@Component
@ConditionalOnProperty(name = "hub.demo.enabled", havingValue = "true")
class ApprovalsDemoServer extends DemoServer {
    static final int MAX_SIZE = 500;
    private static final Logger log = LoggerFactory.getLogger(ApprovalsDemoServer.class);
    private static final ObjectMapper JSON = JsonLimits.mapper();
    /** The sample case whose times the demo moves to the start (test-data/approvals/{@value}/). */
    static final String SHIFTED_TO_NOW = "shifted-to-now";
    private static final List<String> TIMES = List.of("receivedAt", "acceptedAt", "decidedAt", "completedAt",
            "updatedAt");
    private static final DateTimeFormatter SOURCE_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
    private static final Comparator<JsonNode> ORDER = Comparator
            .comparing((JsonNode n) -> n.path("updatedAt").asText(""))
            .thenComparing(n -> n.path("caseNo").asText(""));

    private final ApprovalsDemoProperties demo;
    private final String apiKey;
    private List<JsonNode> cases = List.of();

    ApprovalsDemoServer(ApprovalsDemoProperties demo, ApprovalsProperties props) {
        this.demo = demo;
        this.apiKey = props.apiKey();
    }

    @Override
    protected HttpServer start() throws IOException {
        cases = load(Path.of(demo.dataDir(), ApprovalsProperties.ADAPTER_ID), Instant.now());
        HttpServer server = DemoStandIn.listen(demo.approvalsPort(), "/api/cases", this::handle,
                "the approvals demo server", "hub.demo.approvals-port", "hub.adapters.approvals.base-url");
        log.info("approvals demo server on http://127.0.0.1:{}/api/cases with {} sample cases",
                server.getAddress().getPort(), cases.size());
        return server;
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            Answer a = "GET".equals(ex.getRequestMethod())
                    ? answer(cases, apiKey, ex.getRequestHeaders().getFirst("X-Api-Key"), ex.getRequestURI().getRawQuery())
                    : new Answer(405, error("only GET is supported"));
            DemoStandIn.reply(ex, a.status(), "application/json; charset=UTF-8", JSON.writeValueAsBytes(a.body()));
        }
    }

    /** The API's answer to one request, as the contract defines it. */
    static Answer answer(List<JsonNode> cases, String expectedKey, String key, String rawQuery) {
        if (key == null || !key.equals(expectedKey)) {
            return new Answer(401, error("wrong or missing X-Api-Key"));
        }
        Map<String, String> q = query(rawQuery);
        String since = q.get("updatedSince");
        if (since != null && !CanonicalTime.isSourceTime(since)) {
            return new Answer(400, error("updatedSince must be yyyy-MM-dd HH:mm:ss"));
        }
        int page;
        int size;
        try {
            page = Integer.parseInt(q.getOrDefault("page", "1"));
            size = Integer.parseInt(q.getOrDefault("size", "100"));
        } catch (NumberFormatException e) {
            return new Answer(400, error("page and size must be whole numbers"));
        }
        if (page < 1 || size < 1) {
            return new Answer(400, error("page and size start at 1"));
        }
        if (size > MAX_SIZE) {
            return new Answer(400, error("size must be at most " + MAX_SIZE));
        }
        List<JsonNode> hits = cases.stream()
                .filter(c -> since == null || c.path("updatedAt").asText("").compareTo(since) >= 0)
                .sorted(ORDER)
                .toList();
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.put("total", hits.size());
        body.put("page", page);
        body.put("size", size);
        ArrayNode items = body.putArray("items");
        long from = (long) (page - 1) * size;
        if (from < hits.size()) {
            hits.subList((int) from, (int) Math.min(hits.size(), from + size)).forEach(items::add);
        }
        return new Answer(200, body);
    }

    /**
     * Every item of every sample page; a case found in several pages counts once, at its newest version. The
     * items of the {@value #SHIFTED_TO_NOW} case are moved in time, all their times by one amount, so that their
     * {@code updatedAt} is a minute before {@code now} (docs/contracts/supervision.md §6: the quick start shows a
     * case near its promised deadline, NEAR_PROMISED, whenever it is started).
     */
    static List<JsonNode> load(Path dir, Instant now) throws IOException {
        List<Path> pages = DemoStandIn.samplePages(dir, log, "approvals demo server", "cases");
        Map<String, JsonNode> byCase = new LinkedHashMap<>();
        List<JsonNode> keyless = new ArrayList<>();
        for (Path p : pages) {
            JsonNode page;
            try {
                page = ExactJson.read(Files.readAllBytes(p));
            } catch (IOException e) {
                log.warn("approvals demo server: {} is not JSON, skipped ({})", p, e.getMessage());
                continue;
            }
            boolean shift = p.getParent().getFileName().toString().equals(SHIFTED_TO_NOW);
            for (JsonNode item : page.path("items")) {
                if (shift && item instanceof ObjectNode o) {
                    shiftToNow(o, now);
                }
                String caseNo = item.path("caseNo").asText("");
                if (caseNo.isEmpty()) {
                    keyless.add(item);
                } else {
                    byCase.merge(caseNo, item, (a, b) -> ORDER.compare(a, b) >= 0 ? a : b);
                }
            }
        }
        List<JsonNode> all = new ArrayList<>(byCase.values());
        all.addAll(keyless);
        return List.copyOf(all);
    }

    /**
     * Moves the item's step and update times by the whole seconds that bring its {@code updatedAt} to a minute
     * before {@code now} (Beijing time, the API's format); an item without a readable {@code updatedAt} stays.
     */
    static void shiftToNow(ObjectNode item, Instant now) {
        LocalDateTime updated = sourceTime(item.path("updatedAt").asText(""));
        if (updated == null) {
            return;
        }
        LocalDateTime target = LocalDateTime.ofInstant(now.minusSeconds(60), CanonicalTime.BEIJING)
                .truncatedTo(ChronoUnit.SECONDS);
        long seconds = ChronoUnit.SECONDS.between(updated, target);
        for (String field : TIMES) {
            LocalDateTime t = sourceTime(item.path(field).asText(""));
            if (t != null) {
                item.put(field, SOURCE_TIME.format(t.plusSeconds(seconds)));
            }
        }
    }

    private static LocalDateTime sourceTime(String s) {
        return CanonicalTime.isSourceTime(s) ? LocalDateTime.parse(s, SOURCE_TIME) : null;
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> q = new HashMap<>();
        if (raw == null || raw.isEmpty()) {
            return q;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            q.putIfAbsent(k, v);
        }
        return q;
    }

    private static JsonNode error(String message) {
        return JsonNodeFactory.instance.objectNode().put("error", message);
    }

    /** Status and JSON body of one answer. */
    record Answer(int status, JsonNode body) {
    }
}
