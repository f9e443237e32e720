package yingyan.province;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;
import yingyan.canonical.JsonLimits;
import yingyan.spi.DemoStandIn;
import yingyan.spi.Payloads;

/**
 * The quick start's stand-in for the provincial system: {@code POST /api/supervision/v1/batches} per
 * docs/contracts/province.md §1 and {@code POST /api/supervision/v1/alerts} per §3 (the same answers, listing
 * alert ids) on 127.0.0.1 ({@code hub.demo.province-port}). It checks the signature and that
 * X-Region is the body's region (400 otherwise), refuses over 500 records or 5 MB (413), validates a few
 * fields of each record (rejected E_FIELD naming the field), and keeps every Idempotency-Key: the same
 * key again answers 409 with the original answer, with another body 422. In memory; demo profile only.
 */
@Component
@ConditionalOnProperty(name = "hub.demo.enabled", havingValue = "true")
class DemoProvince implements InitializingBean, DisposableBean {
    private static final Logger log = LoggerFactory.getLogger(DemoProvince.class);
    private static final ObjectMapper JSON = JsonLimits.mapper();
    private static final int MAX_BYTES = 5_000_000;

    private final String secret;
    private final int port;
    /** The record batches' endpoint (§1). */
    static final Endpoint RECORDS = new Endpoint("/api/supervision/v1/batches", "records", "recordId",
            new String[]{"recordId", "domain", "regionCode", "department", "matter", "status", "source"});
    /** The alert batches' endpoint (§3): alert v1, answers list alert ids. */
    static final Endpoint ALERTS = new Endpoint("/api/supervision/v1/alerts", "alerts", "alertId",
            new String[]{"alertId", "rule", "ruleVersion", "level", "recordIds", "regionCode", "raisedAt", "inputs"});

    private final Map<String, Kept> keys = new ConcurrentHashMap<>();
    private HttpServer server;

    private record Kept(String bodySha256, byte[] answer) {
    }

    /**
     * One of the province's batch endpoints: its path, the body's list of items, the field naming an item, and the
     * fields an item must have (one missing is rejected E_FIELD naming it).
     */
    record Endpoint(String path, String list, String id, String[] required) {
    }

    record Answer(int status, byte[] body) {
    }

    DemoProvince(ProvinceProperties props, Environment env) {
        this.secret = props.secret();
        this.port = env.getProperty("hub.demo.province-port", Integer.class, 18082);
    }

    @Override
    public void afterPropertiesSet() throws IOException {
        server = DemoStandIn.listen(port, RECORDS.path(), ex -> handle(ex, RECORDS), "the demo province",
                "hub.demo.province-port", "hub.province.base-url");
        server.createContext(ALERTS.path(), ex -> handle(ex, ALERTS));
        log.info("demo province on http://127.0.0.1:{}/api/supervision/v1/ (batches, alerts)",
                server.getAddress().getPort());
    }

    @Override
    public void destroy() {
        if (server != null) {
            server.stop(0);
        }
    }

    int port() {
        return server.getAddress().getPort();
    }

    private void handle(HttpExchange ex, Endpoint to) throws IOException {
        try (ex) {
            Answer a;
            if (!"POST".equals(ex.getRequestMethod())) {
                a = new Answer(405, error("only POST"));
            } else {
                byte[] body;
                try (InputStream in = ex.getRequestBody()) {
                    body = in.readNBytes(MAX_BYTES + 1);
                }
                a = answer(to, body, ex.getRequestHeaders().getFirst("X-Region"),
                        ex.getRequestHeaders().getFirst("Idempotency-Key"),
                        ex.getRequestHeaders().getFirst("X-Signature"));
            }
            ex.getResponseHeaders().set("Content-Type", "application/json; charset=UTF-8");
            ex.sendResponseHeaders(a.status(), a.body().length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(a.body());
            }
        }
    }

    /** The province's answer to one record batch, as the contract defines it. */
    Answer answer(byte[] body, String region, String key, String signature) {
        return answer(RECORDS, body, region, key, signature);
    }

    /** The province's answer to one request to endpoint {@code to}, as the contract defines it. */
    Answer answer(Endpoint to, byte[] body, String region, String key, String signature) {
        if (body.length > MAX_BYTES) {
            return new Answer(413, error("over 5 MB"));
        }
        if (!ProvinceSigner.matches(body, secret, signature)) {
            return new Answer(400, error("bad X-Signature"));
        }
        if (key == null || key.isBlank()) {
            return new Answer(400, error("no Idempotency-Key"));
        }
        String sha = Payloads.sha256(body);
        Kept kept = keys.get(to.list() + " " + key);
        if (kept != null) {
            return kept.bodySha256.equals(sha) ? new Answer(409, kept.answer)
                    : new Answer(422, error("Idempotency-Key " + key + " was used with another body"));
        }
        JsonNode batch;
        try {
            batch = JSON.readTree(body);
        } catch (IOException e) {
            return new Answer(400, error("bad JSON"));
        }
        if (batch == null || !batch.path(to.list()).isArray() || !batch.hasNonNull("batchId")) {
            return new Answer(400, error("batchId and " + to.list() + " are required"));
        }
        if (!batch.path("region").asText("").equals(region)) {
            return new Answer(400, error("X-Region is not the body's region"));
        }
        if (batch.get(to.list()).size() > 500) {
            return new Answer(413, error("over 500 " + to.list()));
        }
        ObjectNode out = JSON.createObjectNode();
        out.put("batchId", batch.get("batchId").asText());
        ArrayNode accepted = out.putArray("accepted");
        ArrayNode rejected = out.putArray("rejected");
        for (JsonNode r : batch.get(to.list())) {
            String missing = missing(r, to.required());
            if (missing == null) {
                accepted.add(r.path(to.id()).asText());
            } else {
                rejected.addObject().put(to.id(), r.path(to.id()).asText(""))
                        .put("code", "E_FIELD").put("reason", missing + ": required");
            }
        }
        byte[] answer = out.toString().getBytes(StandardCharsets.UTF_8);
        // Two requests with the same new key at once: the first kept answer wins, the other gets 409.
        Kept first = keys.putIfAbsent(to.list() + " " + key, new Kept(sha, answer));
        if (first != null) {
            return first.bodySha256.equals(sha) ? new Answer(409, first.answer) : new Answer(422, error("key reused"));
        }
        log.info("demo province: {} batch {} → {} accepted, {} rejected", to.list(), key, accepted.size(),
                rejected.size());
        return new Answer(200, answer);
    }

    private static String missing(JsonNode r, String[] required) {
        for (String f : required) {
            if (!r.hasNonNull(f) || r.get(f).isTextual() && r.get(f).asText().isBlank()) {
                return f;
            }
        }
        return null;
    }

    private static byte[] error(String message) {
        return JSON.createObjectNode().put("error", message).toString().getBytes(StandardCharsets.UTF_8);
    }
}
